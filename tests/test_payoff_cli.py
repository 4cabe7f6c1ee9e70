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
