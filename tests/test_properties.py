"""Properties of the pipeline over generated valid profiles (tests/strategies.py), CN and US.

- a profile written as YAML loads to the same model as the data it was written from;
- every metric is in its unit's range, and an unavailable one always says why;
- the plan's ranking is total and does not depend on the order findings arrive in;
- ``plan --format json`` and ``metrics --format json`` read back to the in-memory values, exactly;
- itemised payments and a history string that state the same facts give the same metrics;
- ``check`` grades a client exactly as ``plan`` does.

Budgets come from the hypothesis profile in conftest.py (``--hypothesis-profile=long`` for more).
"""

from __future__ import annotations

import contextlib
import copy
import io
import itertools
import json
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from creditfix.check import Job, init_worker, run_job
from creditfix.cli import main
from creditfix.config import Settings
from creditfix.dates import add_months, month_index
from creditfix.load.profile import parse_profile_text
from creditfix.metrics import CATALOGUE, Metrics, compute_metrics, days_late_code
from creditfix.model import SCORE_RANGES, Profile
from creditfix.money import rounded
from creditfix.plan import Plan, build_plan, clean_by_dates, rank_key
from creditfix.rules.engine import CompiledPack, default_pack_refs, evaluate, load_packs
from creditfix.rules.schema import HORIZONS, SEVERITIES

from strategies import ids, profile_data, profile_yaml, to_yaml

#: The CLI tests write a file and run the whole command (~40 ms each): a fifth of the budget.
CLI_EXAMPLES = max(10, settings.default.max_examples // 5)
_FOLDER = Path(tempfile.mkdtemp(prefix="creditfix-properties-"))


@cache
def packs_for(jurisdiction: str | None) -> list[CompiledPack]:
    return load_packs(default_pack_refs(jurisdiction))


def plan_of(profile: Profile) -> Plan:
    packs = packs_for(profile.jurisdiction)
    metrics = compute_metrics(profile)
    lang = "zh" if profile.jurisdiction == "CN" else "en"
    return build_plan(profile, metrics, evaluate(packs, metrics), packs, lang=lang)


# --- loading -----------------------------------------------------------------------------------


@given(profile_yaml())
@example(  # found by this test: one month of US history written as a string ("120") was refused
    (
        {"client": {"id": "a", "jurisdiction": "US"}, "debts": [{"id": "b", "balance": Decimal(0), "history": "120"}]},
        'client: {id: a, jurisdiction: US}\ndebts: [{id: b, balance: 0, history: "120"}]\n',
    )
)
def test_yaml_text_loads_to_the_data_it_was_written_from(drawn: tuple[dict[str, Any], str]) -> None:
    data, text = drawn
    assert parse_profile_text(text, "p.yaml") == Profile.model_validate(copy.deepcopy(data))


@pytest.mark.parametrize(("history", "codes"), [("OK", ("N",)), ("120", ("4",)), ("CO", ("B",)), ("30", ("1",))])
def test_one_month_of_us_history_is_one_code(history: str, codes: tuple[str, ...]) -> None:
    profile = parse_profile_text(f"debts: [{{id: a, balance: 1, history: '{history}'}}]\n", "p.yaml")
    assert profile.debts is not None
    assert profile.debts[0].history == codes


# --- metrics -----------------------------------------------------------------------------------


def assert_in_range(metrics: Metrics, profile: Profile) -> None:
    assert set(metrics.values).isdisjoint(metrics.unavailable)
    assert set(metrics.values) | set(metrics.unavailable) == set(CATALOGUE)
    for name, reason in metrics.unavailable.items():
        assert isinstance(reason, str), name
        assert reason.strip(), f"{name} is unavailable without a reason"
    for name, value in metrics.values.items():
        unit = CATALOGUE[name].unit
        if unit == "bool":
            assert isinstance(value, bool), name
            continue
        assert not isinstance(value, bool), name
        if unit in ("money", "ratio"):
            assert isinstance(value, Decimal), (name, value)
            assert value.is_finite(), (name, value)
            assert value >= 0, (name, value)
        else:  # count, months, score
            assert isinstance(value, int), (name, value)
            assert value >= 0, (name, value)
    values = metrics.values
    debts = len(profile.debts or ())
    if profile.score is not None:
        low, high = SCORE_RANGES[profile.score.scale]
        assert low <= values["score"] <= high
        assert 0 <= values["score_pct"] <= 1
    if "on_time_rate_12m" in values:
        assert values["on_time_rate_12m"] <= 1
    windows = [values.get(f"inquiries_{n}m") for n in (1, 3, 6, 12, 24)]
    if None not in windows:
        assert windows == sorted(windows), "a longer window never holds fewer inquiries"
    for small, large in (("late_payments_12m", "late_payments_24m"), ("severe_late_24m", "late_payments_24m")):
        if small in values and large in values:
            assert values[small] <= values[large], (small, large)
    if "max_consecutive_late_24m" in values:
        # a run is at most the late months, or the worst code's months past due (a 4 whose first
        # months left the window)
        late, worst = values["late_payments_24m"], values["max_months_past_due_24m"]
        assert (values["max_consecutive_late_24m"] > 0) == (late > 0)
        assert values["max_consecutive_late_24m"] <= max(min(24, late), worst)
        assert values["max_months_past_due_24m"] <= 7
        assert (values["max_months_past_due_24m"] > 0) == (values["late_payments_24m"] > 0)
    for name in ("overdue_accounts", "open_accounts", "collection_accounts", "closed_by_lender", "new_accounts_6m"):
        if name in values:
            assert values[name] <= debts, name
    if "revolving_balance" in values:
        assert values["revolving_balance"] <= values["total_debt"]


@given(profile_data())
def test_every_metric_is_in_range_or_unavailable_with_a_reason(data: dict[str, Any]) -> None:
    profile = Profile.model_validate(data)
    assert_in_range(compute_metrics(profile), profile)


@given(profile_data(), st.dates(date(2000, 1, 1), date(2040, 12, 31)))
def test_metrics_stay_in_range_on_any_evaluation_date(data: dict[str, Any], when: date) -> None:
    # --as-of may be before the profile's own as_of: events after it must simply not count.
    profile = Profile.model_validate(data)
    assert_in_range(compute_metrics(profile, when), profile)


# --- ranking -----------------------------------------------------------------------------------


@st.composite
def reranked_rules(draw: st.DrawFn) -> list[Any]:
    """The built-in rules with drawn severities, impacts and horizons, in a drawn order."""
    rules = [r for p in packs_for("CN") + packs_for("US")[1:] for r in p.rules]
    changed = []
    for rule in draw(st.lists(st.sampled_from(rules), min_size=2, max_size=30, unique_by=lambda r: r.id)):
        update = {
            "severity": draw(st.sampled_from(SEVERITIES)),
            "impact": draw(st.integers(0, 10)),
            "horizon": draw(st.sampled_from(HORIZONS)),
        }
        changed.append(type(rule)(**{**rule.__dict__, "rule": rule.rule.model_copy(update=update)}))
    return changed


@given(reranked_rules(), st.randoms(use_true_random=False))
def test_ranking_is_total_and_independent_of_input_order(rules: list[Any], random: Any) -> None:
    keys = [rank_key(r) for r in rules]
    assert len(set(keys)) == len(keys), "two different rules rank equal"
    shuffled = list(rules)
    random.shuffle(shuffled)
    assert [r.id for r in sorted(shuffled, key=rank_key)] == [r.id for r in sorted(rules, key=rank_key)]
    ordered = sorted(rules, key=rank_key)
    for first, second in itertools.pairwise(ordered):
        a, b = first.rule, second.rule
        assert (SEVERITIES.index(a.severity), -a.impact, HORIZONS.index(a.horizon), a.id) < (
            SEVERITIES.index(b.severity),
            -b.impact,
            HORIZONS.index(b.horizon),
            b.id,
        )


@given(profile_data(), st.randoms(use_true_random=False))
def test_plan_steps_do_not_depend_on_the_order_findings_arrive_in(data: dict[str, Any], random: Any) -> None:
    profile = Profile.model_validate(data)
    packs = packs_for(profile.jurisdiction)
    metrics = compute_metrics(profile)
    evaluation = evaluate(packs, metrics)
    plan = build_plan(profile, metrics, evaluation, packs)
    findings = list(evaluation.findings)
    random.shuffle(findings)
    shuffled = type(evaluation)(**{**evaluation.__dict__, "findings": tuple(findings)})
    again = build_plan(profile, metrics, shuffled, packs)
    assert again.steps == plan.steps
    assert [s.rank for s in plan.steps] == list(range(1, len(plan.steps) + 1))
    assert [s.rule_id for s in plan.steps] == [
        f.rule.id for f in sorted(evaluation.findings, key=lambda f: rank_key(f.rule))
    ]


# --- JSON output -------------------------------------------------------------------------------


def cli_json(*args: str) -> Any:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert code in (0, 1), err.getvalue()
    return json.loads(out.getvalue(), parse_float=Decimal)


def same_number(parsed: Any, expected: Any) -> bool:
    """Equal type and written digits: JSON's 18000.10 is Decimal('18000.10'), not 18000.1."""
    if isinstance(expected, bool) or expected is None:
        return parsed is expected
    if isinstance(expected, int):
        return type(parsed) is int and parsed == expected
    assert isinstance(expected, Decimal)
    if isinstance(parsed, bool) or not isinstance(parsed, (int, Decimal)):
        return False
    return (str(parsed) if isinstance(parsed, int) else format(parsed, "f")) == format(expected, "f")


def shown(name: str, value: Any) -> Any:
    """A metric value as the JSON documents give it: ratios to 4 places."""
    if isinstance(value, Decimal) and CATALOGUE[name].unit == "ratio":
        return rounded(value, Decimal("0.0001"))
    return value


def assert_metrics_block(block: dict[str, Any], metrics: Metrics) -> None:
    assert list(block) == list(CATALOGUE)
    for name, entry in block.items():
        assert entry["unit"] == CATALOGUE[name].unit
        assert same_number(entry["value"], shown(name, metrics.values.get(name))), (
            name,
            entry,
            metrics.values.get(name),
        )
        assert entry.get("reason") == metrics.unavailable.get(name)


def write_profile(text: str) -> Path:
    path = _FOLDER / "client.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@settings(max_examples=CLI_EXAMPLES)
@given(profile_yaml())
def test_metrics_json_reads_back_to_the_computed_metrics(drawn: tuple[dict[str, Any], str]) -> None:
    data, text = drawn
    document = cli_json("metrics", str(write_profile(text)), "--format", "json")
    metrics = compute_metrics(Profile.model_validate(data))
    assert document["as_of"] == metrics.as_of.isoformat()
    assert_metrics_block(document["metrics"], metrics)


@settings(max_examples=CLI_EXAMPLES)
@given(profile_yaml())
@example(  # found by this test: a ratio of 1E+25 made quantize() raise, so plan and metrics JSON crashed
    (
        {
            "as_of": date(2026, 1, 1),
            "debts": [{"id": "a", "type": "card", "balance": Decimal(10**23 - 1), "limit": Decimal("0.01")}],
        },
        "as_of: 2026-01-01\ndebts: [{id: a, type: card, balance: 99999999999999999999999, limit: 0.01}]\n",
    )
)
def test_plan_json_reads_back_to_the_plan(drawn: tuple[dict[str, Any], str]) -> None:
    data, text = drawn
    document = cli_json("plan", str(write_profile(text)), "--format", "json")
    profile = Profile.model_validate({**copy.deepcopy(data), "client": {"id": "client", **data.get("client", {})}})
    plan = plan_of(profile)
    assert document["as_of"] == plan.as_of.isoformat()
    assert document["client"]["id"] == profile.client.id
    body = document["plan"]
    assert (body["grade"], body["risk_points"], body["counts"]) == (plan.grade, plan.risk_points, dict(plan.counts))
    assert [s["rule"] for s in body["steps"]] == [s.rule_id for s in plan.steps]
    for written, step in zip(body["steps"], plan.steps, strict=True):
        assert (written["rank"], written["title"], written["action"], written["why"]) == (
            step.rank,
            step.title,
            step.action,
            step.why,
        )
        assert list(written["evidence"]) == list(step.evidence)
        for name, value in step.evidence.items():
            assert same_number(written["evidence"][name], shown(name, value)), (name, value)
    assert [(c["debt"], c["since"], c["months_late"], c["clean_by"]) for c in body["clean_by"]] == [
        (c.debt_id, c.since or None, c.months_late, c.clean_by.isoformat() if c.clean_by else None)
        for c in plan.clean_by
    ]
    assert [w["under_on"] for w in body["inquiry_windows"]] == [w.under_on.isoformat() for w in plan.inquiry_windows]
    assert [u["rule"] for u in body["not_assessed"]] == [u.rule_id for u in plan.not_assessed]
    assert_metrics_block(document["metrics"], plan.metrics)


# --- history and payments ----------------------------------------------------------------------


@st.composite
def repayments(draw: st.DrawFn) -> tuple[str, date, list[tuple[str, dict[int, tuple[date, int]]]]]:
    """A jurisdiction, an as_of date and, per debt, the due date and days late of each month's payment."""
    jurisdiction = draw(st.sampled_from(["CN", "US"]))
    as_of = draw(st.dates(date(2010, 1, 1), date(2035, 12, 31)))
    debts = []
    for debt_id in draw(st.lists(ids, min_size=1, max_size=3, unique=True)):
        months: dict[int, tuple[date, int]] = {}
        for back in draw(st.lists(st.integers(0, 40), min_size=1, max_size=15, unique=True)):
            first = date(as_of.year, as_of.month, 1)
            for _ in range(back):
                first = (first - timedelta(days=1)).replace(day=1)
            due = first.replace(day=draw(st.integers(1, min(28, as_of.day) if back == 0 else 28)))
            # Paid before the as_of month: an unpaid payment is late "so far", and one paid late in
            # the as_of month is late but paid, which a history code cannot say.
            before = (date(as_of.year, as_of.month, 1) - due).days - 1
            days = draw(st.integers(0, min(250, before))) if before > 0 else 0
            months[month_index(due)] = (due, days)
        debts.append((debt_id, months))
    return jurisdiction, as_of, debts


def _as_history(months: dict[int, tuple[date, int]], jurisdiction: str, as_of: date) -> str:
    """The history string of the same payments, as a monthly record shows them, walked day by day:
    each month a payment is unpaid at the end of gets its code then; the day it is paid shows a code
    it newly reached; outside the US the due month reads 1 for any day late."""
    worst: dict[int, int] = {}
    for due, days in months.values():
        standing = 0  # the payment's code at the last month end
        for late in range(days + 1):
            day = due + timedelta(days=late)
            code = days_late_code(late, jurisdiction)
            level = 0 if code == "N" else int(code)
            if jurisdiction != "US" and days > 0 and month_index(day) == month_index(due):
                level = max(level, 1)
            if late == days:  # the day it is paid
                if month_index(day) == month_index(due) or level > standing:
                    worst[month_index(day)] = max(worst.get(month_index(day), 0), level)
            elif (day + timedelta(days=1)).day == 1:  # a month end
                worst[month_index(day)] = max(worst.get(month_index(day), 0), level)
                standing = level
    first = min(worst, default=month_index(as_of))
    return "".join(
        ("N" if worst[m] == 0 else str(worst[m])) if m in worst else "*" for m in range(first, month_index(as_of) + 1)
    )


@given(repayments(), st.sampled_from(["history", "both"]))
def test_payments_and_history_give_the_same_metrics(drawn: Any, form: str) -> None:
    jurisdiction, as_of, debts = drawn
    base = {"client": {"id": "x", "jurisdiction": jurisdiction}, "as_of": as_of}
    itemised = Profile.model_validate(
        {
            **base,
            "debts": [{"id": i, "balance": Decimal(100)} for i, _ in debts],
            "payments": [
                {"debt": i, "due": due, "paid": due + timedelta(days=days)}
                for i, months in debts
                for due, days in months.values()
            ],
        }
    )
    written = {
        **base,
        "debts": [{"id": i, "balance": Decimal(100), "history": _as_history(m, jurisdiction, as_of)} for i, m in debts],
    }
    if form == "both":
        written["payments"] = itemised.model_dump()["payments"]
    history = Profile.model_validate(written)
    from_payments, from_history = compute_metrics(itemised), compute_metrics(history)
    # A month with no payment has no record in the itemised form (the history says "*", nothing
    # due): there the counts are lower bounds of the same numbers, and the rates unavailable.
    in_payments = {**from_payments.at_least, **from_payments.values}
    in_history = {**from_history.at_least, **from_history.values}
    assert {name: in_history.get(name) for name in in_payments} == in_payments
    for name in in_history.keys() - in_payments.keys():
        assert from_payments.unavailable[name].startswith("no history (or payments) for ")
    assert from_history.unavailable.keys() <= from_payments.unavailable.keys()
    by_history, by_payments = clean_by_dates(history, as_of), clean_by_dates(itemised, as_of)
    if form == "history":  # (the dates may differ, below: compare them debt by debt)
        by_history, by_payments = (
            sorted(dates, key=lambda c: (c.debt_id, c.since)) for dates in (by_history, by_payments)
        )
    if form == "both":
        assert by_history == by_payments
        return
    # A history shows the first month a late run reads paid up, itemised payments the day it was
    # paid (in that month or in the run's last): a CN record (5 years from the day it is paid up)
    # may clear up to two months sooner, never later.
    assert [c[:4] + c[5:6] for c in by_history] == [c[:4] + c[5:6] for c in by_payments]
    for old, new in zip(by_history, by_payments, strict=True):
        if old.clean_by is None or jurisdiction == "US":
            assert new.clean_by == old.clean_by
        else:
            assert new.clean_by is not None
            assert add_months(old.clean_by, -2) < new.clean_by <= old.clean_by


# --- check and plan ----------------------------------------------------------------------------


@settings(max_examples=CLI_EXAMPLES)
@given(profile_yaml())
def test_check_grades_a_client_as_plan_does(drawn: tuple[dict[str, Any], str]) -> None:
    data, text = drawn
    path = write_profile(text)
    init_worker(Settings(), None)
    result = run_job(Job(0, str(path), None, None))
    plan = plan_of(Profile.model_validate({**copy.deepcopy(data), "client": {"id": "client", **data["client"]}}))
    assert result.error is None
    assert (result.grade, result.risk_points, result.counts) == (plan.grade, plan.risk_points, dict(plan.counts))
    assert result.top_rule == (plan.steps[0].rule_id if plan.steps else None)
    assert result.top_severity == plan.worst()
    assert result.provisional == plan.provisional
    values = plan.metrics.values
    behind, defaulted = values.get("overdue_accounts"), values.get("defaulted_balance")
    anything = bool(behind) or bool(defaulted)
    assert result.overdue_now == (None if behind is None and not anything else anything)


def test_to_yaml_round_trips_a_known_profile() -> None:
    # The writer the properties rely on, on a hand-made case: block, flow and quoting all load.
    data = {"client": {"id": "li-wei", "name": "李伟", "jurisdiction": "CN"}, "as_of": date(2026, 11, 20)}
    data["debts"] = [{"id": "jiebei", "balance": Decimal("18000.10"), "history": "NNNN 1NN"}]
    for depth in (0, 1, 2, 9):
        for plain in (True, False):
            assert parse_profile_text(to_yaml(data, flow_depth=depth, plain_text=plain), "p.yaml") == (
                Profile.model_validate(data)
            )
