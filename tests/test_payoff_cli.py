"""`creditfix payoff` on the examples: side by side, JSON, schedule CSV, and one-line errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import EXAMPLES

US = EXAMPLES / "profile.us-maxed-out.yaml"


def test_strategies_side_by_side_in_json(run) -> None:
    result = run("payoff", US, "--extra", "500", "--format", "json")
    assert result.code == 0, result.err
    document = json.loads(result.out)
    by_name = {s["strategy"]: s for s in document["strategies"]}
    assert set(by_name) == {"avalanche", "snowball", "minimums", "credit_aware"}
    assert by_name["avalanche"]["budget"] == 1404  # 904 of minimums + 500
    assert by_name["avalanche"]["total_interest"] <= by_name["snowball"]["total_interest"]
    assert by_name["minimums"]["months_to_debt_free"] > by_name["avalanche"]["months_to_debt_free"]
    assert by_name["avalanche"]["interest_saved"] > 0


def test_budget_below_minimums_says_so_with_payments_that_work(run) -> None:
    result = run("payoff", US, "--budget", "100", "--strategy", "avalanche", "--format", "json")
    assert result.code == 0, result.err
    shortfall = json.loads(result.out)["strategies"][0]["shortfall"]
    assert shortfall["kind"] == "minimums"
    assert set(shortfall["payments"]) == {"36", "60"}


def test_schedule_csv_is_written(run, tmp_path: Path) -> None:
    target = tmp_path / "schedule.csv"
    result = run(
        "payoff", US, "--extra", "200", "--strategy", "avalanche", "--schedule-csv", target, "--format", "json"
    )
    assert result.code == 0, result.err
    rows = list(csv.DictReader(target.open(encoding="utf-8")))
    assert rows[0]["strategy"] == "avalanche"
    assert {r["debt"] for r in rows} == {"chase-sapphire", "citi-double", "capital-one", "auto", "student"}
    assert rows[-1]["balance"] == "0.00"


def test_usage_errors_are_one_line(run) -> None:
    both = run("payoff", US, "--budget", "100", "--extra", "5")
    assert (both.code, both.err) == (2, "creditfix: error: give --budget or --extra, not both\n")
    unknown = run("payoff", US, "--strategy", "avalanch")
    assert unknown.err == "creditfix: error: --strategy: unknown strategy (did you mean 'avalanche'?)\n"


LEVEL = """\
creditfix: 1
client: {id: level, jurisdiction: US}
as_of: 2026-11-20
debts:
  - {id: card, type: card, balance: 10000, limit: 12000, apr: 24%, min_payment: 200}
"""


def test_payment_equal_to_the_interest_says_the_balance_does_not_go_down(run, tmp_path: Path) -> None:
    # 24% a year on 10,000 is exactly 200.00 of interest a month: the balance stays level, it does not grow.
    profile = tmp_path / "level.yaml"
    profile.write_text(LEVEL, encoding="utf-8")
    result = run("payoff", profile, "--budget", "200", "--format", "json")
    assert result.code == 0, result.err
    messages = {s["strategy"]: s["shortfall"]["message"] for s in json.loads(result.out)["strategies"]}
    assert messages["avalanche"] == (
        "the budget of $200.00 a month only pays the interest ($200.00 in month 1): the balance does not go down"
    )
    assert messages["minimums"] == (
        "the minimum payment only pays the interest of card: paying only the minimums, that balance does not go down"
    )
    assert not any("grow" in message for message in messages.values())


def test_amount_options_share_the_other_commands_messages(run) -> None:
    negative = run("payoff", US, "--extra=-5")
    assert (negative.code, negative.err) == (2, "creditfix: error: --extra: must not be negative\n")
    bad = run("payoff", US, "--budget", "lots")
    assert (bad.code, bad.err) == (2, "creditfix: error: --budget: not an amount\n")


def test_profile_without_debts_is_named_in_the_error(run, tmp_path: Path) -> None:
    profile = tmp_path / "thin.yaml"
    profile.write_text("creditfix: 1\nas_of: 2026-11-20\n", encoding="utf-8")
    no_debts = "the profile gives no debts (metric values alone, or no debts: list); payoff and simulate need them"
    for command in ("payoff", "simulate"):
        result = run(command, profile)
        assert (result.code, result.err) == (2, f"creditfix: error: {profile}: {no_debts}\n")
    table = run("payoff", EXAMPLES / "clients.csv", "--client", "CN-0001")
    assert (table.code, table.err) == (2, f"creditfix: error: {EXAMPLES / 'clients.csv'}: {no_debts}\n")


BELOW_INTEREST = """\
creditfix: 1
client: {id: hal, jurisdiction: US}
as_of: 2026-11-29
debts:
  - {id: store, type: card, balance: 3000, limit: 10000, apr: 30%, min_payment: 70}
  - {id: personal, type: personal_loan, balance: 8000, apr: 12%, min_payment: 270}
"""


def test_a_budget_that_misses_minimums_gets_no_date_and_the_level_payments_say_within(run, tmp_path: Path) -> None:
    # The store card's 70 does not cover its 75 of interest. The smallest level payment for 60 months
    # is below the 340 of minimums, so it is the minimums' total (which clears it in 47 months).
    profile = tmp_path / "hal.yaml"
    profile.write_text(BELOW_INTEREST, encoding="utf-8")
    table = run("payoff", profile, "--budget", "320", "--strategy", "avalanche")
    assert table.code == 0, table.err
    row = next(line for line in table.out.splitlines() if "avalanche " in line and "│" in line)
    assert row.split("│")[2:4] == ["  never ", " —         "]
    minimums = run("payoff", profile, "--strategy", "minimums").out
    assert (
        "$394.14 a month clears it within 36 months, $340.00 a month (the minimums' total, kept up as debts close) "
        "clears it within 60 months" in " ".join(minimums.split())
    )
    document = json.loads(run("payoff", profile, "--budget", "320", "--format", "json").out)
    assert {s["strategy"]: s["months_to_debt_free"] for s in document["strategies"]} == dict.fromkeys(
        ("avalanche", "snowball", "minimums", "credit_aware")
    )


def test_a_collection_without_terms_is_asked_for_what_a_collection_has(run, tmp_path: Path) -> None:
    profile = tmp_path / "c.yaml"
    profile.write_text(
        "creditfix: 1\nclient: {id: c, jurisdiction: US}\nas_of: 2026-11-29\n"
        "debts:\n  - {id: er, type: other, status: collection, balance: 740}\n",
        encoding="utf-8",
    )
    result = run("payoff", profile)
    assert (result.code, result.err) == (
        2,
        f"creditfix: error: {profile}:5: debts[0].apr: missing: give the rate the collector charges (0% if none)"
        " to plan payoff\n",
    )
    profile.write_text(profile.read_text(encoding="utf-8").replace("balance: 740", "balance: 740, apr: 0%"))
    result = run("payoff", profile)
    assert result.err.endswith(
        "debts[0].min_payment: missing: give the monthly payment agreed with the collector (0 if none) to plan payoff\n"
    )
