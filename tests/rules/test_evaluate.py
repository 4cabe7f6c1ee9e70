"""`evaluate` runs each pack's assessable conditions in one compiled call; what it reports must be
exactly what evaluating rule by rule reports, division by zero included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

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


def _reference(packs: list[CompiledPack], metrics: Metrics) -> Evaluation:
    findings: list[Finding] = []
    strengths: list[Finding] = []
    not_assessed: list[NotAssessed] = []
    silent: list[CompiledRule] = []
    namespaces = {}
    for pack in packs:
        namespace = {**metrics.values, **pack.params}
        namespaces[pack.name] = namespace
        for rule in pack.rules:
            missing = tuple(n for n in rule.evidence_names if n not in metrics.values)
            if missing:
                not_assessed.append(NotAssessed(rule, missing, metrics.unavailable))
            else:
                _evaluate_one_by_one([rule], metrics.values, namespace, findings, strengths, not_assessed, silent)
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
