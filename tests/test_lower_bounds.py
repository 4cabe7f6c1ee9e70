"""A known part of a repayment history is a lower bound: 3 late months in a row on one card are
3 whatever a debt without a history shows. Such metrics stay unavailable, with their bound
(`at_least`), and only a rule that can only start to fire as they grow may fire on them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from creditfix.load.profile import parse_profile_text
from creditfix.metrics import compute_metrics
from creditfix.rules.expr import compile_expression, rising_in

KINDS = {"a": "number", "b": "number", "c": "number", "f": "bool"}


@pytest.mark.parametrize(
    ("source", "rising"),
    [
        ("a >= 3", {"a"}),
        ("3 <= a", {"a"}),
        ("a >= 3 and b > 1", {"a", "b"}),
        ("a >= 3 or b >= 6", {"a", "b"}),
        ("a - b > 2", {"a"}),  # grows with a, falls with b
        ("a + b >= c", {"a", "b"}),
        ("max(a, b) >= 3", {"a", "b"}),
        ("a > 3 and b < 2", {"a"}),
        ("a < 3", set()),
        ("not a > 3", set()),
        ("a == 3", set()),
        ("a * 2 > 1", set()),  # a product is not relied on
        ("1 < a < 5", set()),  # true, then false again
        ("a >= 3 or f", {"a"}),
    ],
)
def test_rising_in(source: str, rising: set[str]) -> None:
    assert rising_in(compile_expression(source, KINDS)) == rising  # type: ignore[arg-type]


PARTIAL = """\
client: {id: partial, jurisdiction: CN}
as_of: 2026-11-20
income: {monthly: 9000, verified: true}
debts:
  - {id: huabei, type: card, balance: 3000, limit: 8000, min_payment: 300, apr: 18%, history: "NNNNNNNNNNNNNNNNNNNNN121"}
  - {id: loan, type: personal_loan, balance: 20000, min_payment: 1500, apr: 8%}
inquiries: []
"""


def test_lates_on_the_debts_with_a_history_are_lower_bounds() -> None:
    metrics = compute_metrics(parse_profile_text(PARTIAL, "partial.yaml"), date(2026, 11, 20))
    # huabei: 2026-09 "1", 2026-10 "2", 2026-11 "1"; the loan, still owed, has no history
    assert metrics.at_least == {
        "late_payments_12m": 3, "late_payments_24m": 3, "severe_late_24m": 0, "max_consecutive_late_24m": 3,
        "max_months_past_due_24m": 2, "negative_records": 1,
        # huabei is behind today (its history says so, not how much); whether the loan is: not known
        "overdue_accounts": 1, "overdue_amount": Decimal(0),
    }  # fmt: skip
    for name in metrics.at_least:
        assert name not in metrics.values
        lacks = "past_due (or history, or payments)" if name.startswith("overdue") else "history (or payments)"
        assert metrics.unavailable[name] == f"{lacks} missing for debt loan"
    # not a lower bound: an unknown debt may hold a more recent late, or change the share
    assert "months_since_last_late" not in metrics.at_least
    assert "on_time_rate_12m" not in metrics.at_least


def test_no_history_at_all_gives_no_bounds_but_the_records_known_from_statuses() -> None:
    text = PARTIAL.replace(', history: "NNNNNNNNNNNNNNNNNNNNN121"', "")
    metrics = compute_metrics(parse_profile_text(text, "partial.yaml"), date(2026, 11, 20))
    nothing_overdue_known = {"overdue_accounts": 0, "overdue_amount": Decimal(0)}
    assert metrics.at_least == {"negative_records": 0, **nothing_overdue_known}
    in_collection = text.replace("apr: 8%}", "apr: 8%}\n  - {id: old, balance: 900, status: collection}")
    metrics = compute_metrics(parse_profile_text(in_collection, "partial.yaml"), date(2026, 11, 20))
    assert metrics.at_least == {"negative_records": 1, **nothing_overdue_known}


def test_a_rising_rule_fires_on_bounds_and_others_stay_not_assessed(run, tmp_path: Path) -> None:
    profile = tmp_path / "partial.yaml"
    profile.write_text(PARTIAL, encoding="utf-8")
    plan = json.loads(run("plan", profile, "--format", "json", "--lang", "en", "--timeline", "0").out)["plan"]
    steps = {s["rule"]: s for s in plan["steps"]}
    red_line = steps["cn-consecutive-late"]  # max_consecutive_late_24m >= 3 or late_payments_24m >= 6
    assert red_line["at_least"] == ["late_payments_24m", "max_consecutive_late_24m"]
    assert red_line["evidence"] == {"late_payments_24m": 3, "max_consecutive_late_24m": 3}
    assert red_line["title"] == "Over the 连三累六 red line: longest run ≥3 month(s), ≥3 late months in two years"
    unassessed = {u["rule"] for u in plan["not_assessed"]}
    assert "core-severe-late" in unassessed  # rising, but silent on the bound: the real value may fire it
    assert "core-on-time-rate-low" in unassessed  # not a lower bound at all
    table = " ".join(run("plan", profile, "--lang", "en", "--timeline", "0").out.split())
    assert "red line: longest run ≥3 month(s), ≥3 late months in two years" in table
    details = run("plan", profile, "--lang", "en", "--timeline", "0", "--details").out
    assert "late_payments_24m ≥ 3, max_consecutive_late_24m ≥ 3" in " ".join(details.split())
    metrics = json.loads(run("metrics", profile, "--format", "json").out)["metrics"]
    assert metrics["max_consecutive_late_24m"] == {
        "value": None, "unit": "months", "reason": "history (or payments) missing for debt loan", "at_least": 3,
    }  # fmt: skip
    checked = json.loads(run("check", profile, "--format", "jsonl").out)
    # paying the overdue comes first (it is the one step that helps today); the red line counts too
    assert checked["top"]["title"] == "Overdue now on ≥1 account(s)"  # whether the loan is behind: not known
    assert checked["counts"]["critical"] == 2


def test_bounds_hold_when_a_sibling_rule_divides_by_zero(run, tmp_path: Path) -> None:
    """A pack whose combined conditions raise is evaluated rule by rule: the rules on lower bounds
    fire the same (whether a rule fires must not depend on an unrelated rule of its pack)."""
    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "pack: mine\ntitle: Mine\nrules:\n"
        "  - {id: mine-run, category: repayment, severity: high, when: max_consecutive_late_24m >= 3,\n"
        "     title: Run, action: Do, why: Because, basis: rule-of-thumb, source: test, tests: []}\n"
        "  - {id: mine-ratio, category: debt_ratio, severity: low, when: total_debt / inquiries_6m > 100,\n"
        "     title: Ratio, action: Do, why: Because, basis: rule-of-thumb, source: test, tests: []}\n",
        encoding="utf-8",
    )
    profile = tmp_path / "partial.yaml"
    profile.write_text(PARTIAL, encoding="utf-8")  # no inquiries: mine-ratio divides by zero
    plan = json.loads(run("plan", profile, "--rules", pack, "--format", "json", "--timeline", "0").out)["plan"]
    steps = {s["rule"]: s for s in plan["steps"]}
    assert steps["mine-run"]["at_least"] == ["max_consecutive_late_24m"]
    assert {u["rule"]: u["missing"] for u in plan["not_assessed"]}["mine-ratio"] == {"when": "division by zero"}


#: PARTIAL with the amount huabei is behind by: the months ahead start with paying it.
PARTIAL_DUE = PARTIAL.replace(
    'history: "NNNNNNNNNNNNNNNNNNNNN121"', 'past_due: 300, history: "NNNNNNNNNNNNNNNNNNNNN121"'
)


def test_the_months_ahead_need_the_amount_a_debt_is_behind(run, tmp_path: Path) -> None:
    profile = tmp_path / "partial.yaml"
    profile.write_text(PARTIAL, encoding="utf-8")
    result = run("simulate", profile, "--months", "6")
    assert result.code == 2
    assert result.err == (
        "creditfix: error: debt huabei is behind today (its history or payments) but gives no past_due:"
        " give the amount overdue to see the months ahead\n"
    )
    plan = json.loads(run("plan", profile, "--format", "json", "--lang", "en").out)["plan"]
    assert plan["recovery"]["unavailable"] == (
        "debt huabei is behind today (its history or payments) but gives no past_due:"
        " give the amount overdue to see the months ahead"
    )


def test_simulate_titles_and_the_portfolio_use_the_bounds(run, tmp_path: Path) -> None:
    profile = tmp_path / "partial.yaml"
    profile.write_text(PARTIAL_DUE, encoding="utf-8")
    plan = json.loads(run("plan", profile, "--format", "json", "--lang", "en").out)["plan"]
    titles = [m["title"] for m in plan["recovery"]["milestones"]]
    assert titles
    assert not any("?" in t for t in titles), titles
    portfolio = json.loads(run("check", profile, "--portfolio", "--format", "json").out)["portfolio"]
    assert portfolio["late_rate_24m"]["of"] == 1  # late for sure: the known lates are a lower bound above 0
    assert portfolio["late_rate_24m"]["value"] == 1


def test_simulate_does_not_call_a_bound_that_ages_out_a_clear(run, tmp_path: Path) -> None:
    """The known lates leave the 12-month window in month 12, but the loan without a history might
    still hold lates: that finding is no longer assessed, not cleared."""
    profile = tmp_path / "partial.yaml"
    profile.write_text(PARTIAL_DUE, encoding="utf-8")
    result = run("simulate", profile, "--months", "14", "--follow-plan", "--format", "json")
    changes = {c["rule"]: (c["status"], c["cleared_month"]) for c in json.loads(result.out)["changes"]}
    assert changes["core-late-recent"] == ("unknown", 12)
    # huabei is paid up in month 1, but whether the loan (no past_due, no history) is behind is not known
    assert changes["core-overdue-now"] == ("unknown", 1)
    table = run("simulate", profile, "--months", "14", "--follow-plan", "--lang", "en").out
    assert "no longer assessed" in table
    assert "month 12 (a history is missing)" in table
