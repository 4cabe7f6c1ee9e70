"""`evaluate` runs each pack's assessable conditions in one compiled call; what it reports must be
exactly what evaluating rule by rule reports, division by zero included. A rule with a metric
missing is decided when its condition is true (or false) whatever that metric is: the reference
here tells that with its own three-valued walk of the condition."""

from __future__ import annotations

import ast
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditfix.metrics import CATALOGUE, Metrics, MetricValue
from creditfix.rules.engine import (
    CompiledPack,
    CompiledRule,
    Evaluation,
    Finding,
    NotAssessed,
    _evaluate_one_by_one,
    evaluate,
    load_pack,
    load_packs,
)
from creditfix.rules.expr import _GLOBALS, ExprError, Kind, _ToDecimal, compile_expression, decided

DIVIDING_PACK = """\
pack: x
title: Dividing pack
rules:
  - id: x-ratio
    category: debt_ratio
    severity: high
    when: total_debt / monthly_income > 3
    title: Ratio
    action: Do it
    why: Because
    basis: rule-of-thumb
    source: test
    tests: []
  - id: x-late
    category: repayment
    severity: low
    when: late_payments_24m > 0
    title: Late
    action: Do it
    why: Because
    basis: rule-of-thumb
    source: test
    tests: []
"""


def _values(unit: str) -> st.SearchStrategy[MetricValue]:
    if unit == "bool":
        return st.booleans()
    if unit in ("count", "months", "score"):
        return st.integers(min_value=0, max_value=900)
    return st.sampled_from([Decimal(0), Decimal("0.35"), Decimal("0.9"), Decimal(1200), Decimal("18000.50")])


@st.composite
def metric_sets(draw: st.DrawFn) -> Metrics:
    names = draw(st.lists(st.sampled_from(sorted(CATALOGUE)), unique=True))
    values = {n: draw(_values(CATALOGUE[n].unit)) for n in CATALOGUE if n in names}
    unavailable = {n: f"{n} not given" for n in CATALOGUE if n not in values}
    return Metrics(date(2026, 11, 20), values, unavailable)


def _kleene(node: ast.expr, namespace: dict[str, object], missing: set[str]) -> bool | None:
    """True, False, or None when the value depends on a *missing* name."""
    if isinstance(node, ast.BoolOp):
        parts = [_kleene(v, namespace, missing) for v in node.values]
        if isinstance(node.op, ast.And):
            return False if False in parts else (True if all(p is True for p in parts) else None)
        return True if True in parts else (False if all(p is False for p in parts) else None)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Not):
        inner = _kleene(node.operand, namespace, missing)
        return None if inner is None else not inner
    if any(isinstance(n, ast.Name) and n.id in missing for n in ast.walk(node)):
        return None
    tree = ast.fix_missing_locations(ast.Expression(_ToDecimal().visit(node)))
    return bool(eval(compile(tree, "<reference>", "eval"), _GLOBALS, namespace))


def _reference(packs: list[CompiledPack], metrics: Metrics) -> Evaluation:
    findings: list[Finding] = []
    strengths: list[Finding] = []
    not_assessed: list[NotAssessed] = []
    silent: list[CompiledRule] = []
    namespaces = {}
    for pack in packs:
        namespace = {**metrics.values, **pack.params}
        namespaces[pack.name] = namespace
        assessable = []
        for rule in pack.rules:  # the decided ones first, as evaluate lists them
            missing = tuple(n for n in rule.evidence_names if n not in metrics.values)
            if not missing:
                assessable.append(rule)
                continue
            try:
                told = _kleene(ast.parse(rule.when.source.strip(), mode="eval").body, namespace, set(missing))
            except ArithmeticError:
                told = None
            if told is None:
                not_assessed.append(NotAssessed(rule, missing, metrics.unavailable))
            elif told:
                known = {n: metrics.values[n] for n in rule.evidence_names if n in metrics.values}
                (strengths if rule.is_strength else findings).append(Finding(rule, known))
            else:
                silent.append(rule)
        _evaluate_one_by_one(assessable, metrics.values, namespace, findings, strengths, not_assessed, silent)
    superseded = {name for f in findings for name in f.rule.rule.supersedes}  # a rule's more precise twin fired
    findings = [f for f in findings if f.rule.id not in superseded]
    return Evaluation(tuple(findings), tuple(strengths), tuple(not_assessed), tuple(silent), namespaces)


def _shown(evaluation: Evaluation) -> tuple[object, ...]:
    def found(items: tuple[Finding, ...]) -> list[tuple[str, list[tuple[str, str]]]]:
        return [(f.rule.id, [(k, repr(v)) for k, v in f.evidence.items()]) for f in items]

    return (
        found(evaluation.findings),
        found(evaluation.strengths),
        [(n.rule.id, n.names, n.missing) for n in evaluation.not_assessed],
        [r.id for r in evaluation.silent],
        evaluation.namespaces,
    )


_PACKS = load_packs(["core", "cn", "us"])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(metric_sets())
def test_batched_evaluation_reports_what_rule_by_rule_does(metrics: Metrics) -> None:
    assert _shown(evaluate(_PACKS, metrics)) == _shown(_reference(_PACKS, metrics))


def test_division_by_zero_is_not_assessed_and_the_rest_still_count(tmp_path: Path) -> None:
    (tmp_path / "x.yaml").write_text(DIVIDING_PACK, encoding="utf-8")
    packs = [load_pack(tmp_path / "x.yaml")]
    values: dict[str, MetricValue] = {"total_debt": Decimal(100), "monthly_income": Decimal(0), "late_payments_24m": 2}
    metrics = Metrics(date(2026, 11, 20), values, {})
    evaluation = evaluate(packs, metrics)
    assert [(n.rule.id, n.names) for n in evaluation.not_assessed] == [("x-ratio", ("when",))]
    assert [f.rule.id for f in evaluation.findings] == ["x-late"]
    assert _shown(evaluation) == _shown(_reference(packs, metrics))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(metric_sets())
def test_without_detail_the_same_findings(metrics: Metrics) -> None:
    full, brief = evaluate(_PACKS, metrics), evaluate(_PACKS, metrics, detail=False)
    assert [f.rule.id for f in brief.findings] == [f.rule.id for f in full.findings]
    assert [f.rule.id for f in brief.strengths] == [f.rule.id for f in full.strengths]
    assert brief.namespaces == full.namespaces


@pytest.mark.parametrize(
    ("source", "missing", "holds", "fails"),
    [
        ("a > 1 or b > 2", {"b"}, "a > 1", None),
        ("a > 1 and b > 2", {"b"}, None, "not a > 1"),
        ("not (a > 1 and b > 2)", {"b"}, "not a > 1", None),
        ("a > 1 and (b > 2 or c < 1)", {"b"}, "a > 1 and c < 1", "not a > 1"),
        ("a + b > 2", {"b"}, None, None),  # a sum cannot be told without both
        ("a > 1 or b > 2", {"a", "b"}, None, None),
    ],
)
def test_decided_parts(source: str, missing: set[str], holds: str | None, fails: str | None) -> None:
    kinds: dict[str, Kind] = {"a": "number", "b": "number", "c": "number"}
    told = decided(compile_expression(source, kinds), missing)
    assert tuple(part.source if part else None for part in told) == (holds, fails)


def test_a_rule_is_decided_without_a_metric_it_does_not_need() -> None:
    # 7 late months in 24 is over 累六 whatever the longest run; no debts at all is no young file
    values: dict[str, MetricValue] = {"late_payments_24m": 7, "credit_accounts": 0}
    metrics = Metrics(date(2026, 11, 20), values, {"max_consecutive_late_24m": "not given"})
    evaluation = evaluate(_PACKS, metrics)
    fired = {f.rule.id: f.evidence for f in evaluation.findings}
    assert fired["cn-consecutive-late"] == {"late_payments_24m": 7}
    assert "core-young-file" in {r.id for r in evaluation.silent}
    assert "core-young-file" not in {n.rule.id for n in evaluation.not_assessed}


def test_optional_parts_of_a_text_are_left_out_when_their_numbers_are_unknown() -> None:
    from creditfix.rules.template import compile_template

    kinds: dict[str, Kind] = {"a": "number", "b": "number"}
    template = compile_template("Over the line[[: {a} in a row]][[, {b} in all]].", kinds)
    money = str
    assert template.render({"a": 3, "b": 7}, money) == "Over the line: 3 in a row, 7 in all."
    assert template.render({"b": 7}, money) == "Over the line, 7 in all."
    assert template.render({}, money) == "Over the line."
    assert compile_template("{a} and {b}", kinds).render({"a": 1}, money) == "1 and ?"  # outside: '?'
    for bad, message in [
        ("[[ {a} [[ {b} ]] ]]", "unbalanced '[[' at character 8 (optional parts do not nest)"),
        ("{a} ]]", "unbalanced ']]' at character 5 (optional parts do not nest)"),
        ("[[ {a}", "an optional part '[[' is not closed with ']]'"),
    ]:
        with pytest.raises(ExprError) as caught:
            compile_template(bad, kinds)
        assert str(caught.value) == message
