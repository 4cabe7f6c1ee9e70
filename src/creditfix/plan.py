"""The plan: findings ranked into steps by horizon, a grade, strengths, what was not assessed,
and the dates that matter (when each negative item is clean, when each inquiry window is back
under its limit).

**The ranking key** (DESIGN §5), the one order steps are shown in::

    (severity: critical < high < medium < low < info,  -impact,  horizon: now < 30d < 90d < 6m < 12m,  rule id)

It is total (rule ids are unique) and never depends on pack or dict order. **Risk points** are the
sum of the pack weights of the issue findings' severities (core: critical 50, high 15, medium 5,
low 2, info 0); the **grade** is A below the B threshold, and so on up to E (core: B 5, C 15,
D 35, E 80), so one critical finding alone is a D.

**Clean-by dates** follow the retention law of the client's jurisdiction (DOMAIN.md): PBOC
(Decree 631 Art. 16): 5 years from the day the overdue ends, i.e. from repayment or settlement —
for a late run followed by a month paid up, at the latest the end of that month plus 5 years; for
a run that lasted until the account was settled, the settlement date plus 5 years; still unpaid:
5 years after you settle (no date yet). US (FCRA §1681c): a late payment 7 years from the
delinquency (end of its month, the latest it can be); a collection or charge-off 7 years from
180 days after the delinquency began. Jurisdictions other than US use the PBOC rule only when CN.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from creditfix.dates import add_months, in_window
from creditfix.metrics import NEEDS, NOTHING_TO_MEASURE, CleanBy, Metrics, MetricValue, clean_by_dates
from creditfix.model import Profile
from creditfix.rules.consts import SEVERITIES
from creditfix.rules.engine import CompiledPack, CompiledRule, Evaluation
from creditfix.rules.template import first_sentence

DEFAULT_WEIGHTS = {"critical": 50, "high": 15, "medium": 5, "low": 2, "info": 0}
DEFAULT_GRADES = {"B": 5, "C": 15, "D": 35, "E": 80}
#: The numbers a plan's summary shows first (see :func:`summary_metrics`).
SUMMARY_METRICS = (
    "debt_to_income",
    "revolving_utilization",
    "max_card_utilization",
    "overdue_amount",
    "late_payments_24m",
    "inquiries_6m",
    "score",
)


def summary_metrics(jurisdiction: str | None, metrics: Metrics) -> list[str]:
    """The summary's metrics for a client: :data:`SUMMARY_METRICS`, hard inquiries over 12 months
    in the US (what its rules and FICO count), what is owed in collection or charged off when
    there is any, and the most-used card only when it is known and stands out from overall use (a
    point or more)."""
    names = []
    for name in SUMMARY_METRICS:
        if name == "inquiries_6m" and jurisdiction == "US":
            name = "inquiries_12m"
        if name == "max_card_utilization":
            card, overall = metrics.values.get(name), metrics.values.get("revolving_utilization")
            if card is None or (isinstance(overall, Decimal) and card - overall < Decimal("0.01")):
                continue
        names.append(name)
        defaulted = metrics.values.get("defaulted_balance")
        if name == "overdue_amount" and isinstance(defaulted, Decimal) and defaulted > 0:
            names.append("defaulted_balance")
    return names


_WINDOW_PARAM = re.compile(r"inquir(?:y|ies)_limit_(\d+)m|inquiries_(\d+)m_(?:limit|max)")


@dataclass(frozen=True)
class InquiryWindow:
    """An inquiry window over its limit and the date it falls back under (no new inquiries)."""

    months: int
    count: int
    limit: int
    under_on: date


@dataclass(frozen=True)
class Step:
    """One thing to do: a fired issue rule, with its texts rendered and its evidence."""

    rank: int
    rule_id: str
    pack: str
    category: str
    severity: str
    horizon: str
    impact: int
    title: str
    action: str
    #: The action in one line (the rule's ``brief``, else the action's first sentence).
    brief: str
    why: str
    evidence: Mapping[str, MetricValue]
    basis: str
    source: str
    windows: tuple[InquiryWindow, ...] = ()
    at_least: frozenset[str] = frozenset()  # evidence that is a lower bound (Metrics.at_least)


@dataclass(frozen=True)
class Strength:
    """Something going well."""

    rule_id: str
    title: str
    why: str
    evidence: Mapping[str, MetricValue]


@dataclass(frozen=True)
class Unassessed:
    """A rule that could not be evaluated, the missing metrics with reasons, and what would fix it."""

    rule_id: str
    title: str
    missing: Mapping[str, str]
    fix: tuple[str, ...]


@dataclass(frozen=True)
class Milestone:
    """When one step's finding is projected to clear if the plan is followed (None: not within
    the timeline), and the values its rule reads today and then."""

    rule_id: str
    title: str
    month: int | None
    on: date | None
    before: Mapping[str, MetricValue]
    after: Mapping[str, MetricValue]
    #: The milder finding that takes over that month (a card from 90% to 89%: maxed no more, still
    #: over the guideline), by its title; None when the finding simply clears.
    eased_to: str | None = None
    #: For such a milder finding's own milestone: the rule id of the step it took over from.
    follows: str | None = None


@dataclass(frozen=True)
class Recovery:
    """The recovery timeline: the plan followed month by month (:func:`creditfix.simulate.recovery`).

    ``payment`` is paid every month (the minimums due now plus ``extra``), ``catch_up`` on top in
    month 1 to bring every account up to date; no new applications for credit. ``grades`` holds
    month 0 and each month the grade changes. ``unavailable`` says why there is no timeline.
    """

    months: int
    payment: Decimal = Decimal(0)
    catch_up: Decimal = Decimal(0)
    grades: tuple[tuple[int, date, str, bool], ...] = ()  # (month, date, grade, provisional)
    milestones: tuple[Milestone, ...] = ()
    unavailable: str | None = None
    events: int = 0
    warning: str | None = None
    extra: Decimal = Decimal(0)
    settled: Decimal = Decimal(0)  # of catch_up: collections and charge-offs paid in full
    left: Decimal = Decimal(0)  # US collections and charge-offs left to leave the report within a year


@dataclass(frozen=True)
class Plan:
    """Everything ``creditfix plan`` shows, in one value."""

    profile: Profile
    metrics: Metrics
    lang: str
    packs: tuple[tuple[str, str], ...]
    grade: str
    risk_points: int
    counts: Mapping[str, int]
    steps: tuple[Step, ...]
    strengths: tuple[Strength, ...]
    not_assessed: tuple[Unassessed, ...]
    clean_by: tuple[CleanBy, ...]
    inquiry_windows: tuple[InquiryWindow, ...]
    recovery: Recovery | None = None
    #: Rules with nothing to measure for this client (no cards, no payment due): not a gap in the data.
    not_applicable: tuple[Unassessed, ...] = ()
    #: A critical or high rule could not be assessed for lack of data (:func:`provisional`).
    provisional: bool = False

    @property
    def as_of(self) -> date:
        return self.metrics.as_of

    def worst(self) -> str | None:
        """The most severe finding's severity, if any."""
        return self.steps[0].severity if self.steps else None


def rank_key(rule: CompiledRule) -> tuple[int, int, int, str]:
    """The ranking key of the module docstring (:attr:`CompiledRule.rank`)."""
    return rule.rank


def _first(packs: Sequence[CompiledPack], attribute: str, default: Mapping[str, int]) -> Mapping[str, int]:
    for pack in packs:
        value = getattr(pack, attribute)
        if value:
            return value  # type: ignore[no-any-return]
    return default


def grade_for(points: int, thresholds: Mapping[str, int]) -> str:
    """A–E from risk points and the thresholds where B, C, D and E start."""
    grade = "A"
    for letter in ("B", "C", "D", "E"):
        if points >= thresholds.get(letter, DEFAULT_GRADES[letter]):
            grade = letter
    return grade


@dataclass(frozen=True)
class Triage:
    """What a batch needs of a plan: grade, risk points, counts and the top finding (no texts)."""

    grade: str
    risk_points: int
    counts: Mapping[str, int]
    top: CompiledRule | None
    provisional: bool = False  # see provisional()


def triage(evaluation: Evaluation, packs: Sequence[CompiledPack]) -> Triage:
    """Grade and rank *evaluation* the way :func:`build_plan` does, without rendering any text."""
    weights = _first(packs, "weights", DEFAULT_WEIGHTS)
    rules = [f.rule for f in evaluation.findings]
    points = sum(weights.get(r.rule.severity, 0) for r in rules)
    counts: dict[str, int] = dict.fromkeys(SEVERITIES, 0)
    for rule in rules:
        counts[rule.rule.severity] += 1
    top = min(rules, key=rank_key) if rules else None
    grade = grade_for(points, _first(packs, "grades", DEFAULT_GRADES))
    doubt = any(doubtful(n.rule, n.missing.values()) for n in evaluation.not_assessed)
    return Triage(grade, points, counts, top, provisional(grade, doubt))


#: A rule of these severities left unassessed makes the grade provisional.
PROVISIONAL_SEVERITIES = frozenset({"critical", "high"})


def doubtful(rule: CompiledRule, reasons: Iterable[str]) -> bool:
    """Whether *rule*, not assessed for the unavailable metrics' *reasons*, leaves the grade in
    doubt: it is critical or high, and some metric it lacks is missing data (not "no cards", which
    no data would change: :data:`~creditfix.metrics.NOTHING_TO_MEASURE`)."""
    return rule.rule.severity in PROVISIONAL_SEVERITIES and any(r not in NOTHING_TO_MEASURE for r in reasons)


def provisional(grade: str, doubt: bool) -> bool:
    """A grade is provisional when a critical or high rule could not be assessed for lack of data
    (*doubt*) and it is better than E: it is then only as good as the data given."""
    return doubt and grade != "E"


def with_bounds(namespace: Mapping[str, object], metrics: Metrics, names: frozenset[str]) -> Mapping[str, object]:
    """*namespace* with the lower bounds of *names* (a finding's ``at_least``) in it, marked as
    such for the texts (``≥3``)."""
    if not names:
        return namespace
    from creditfix.rules.template import AtLeast

    return {**namespace, **{name: AtLeast(metrics.at_least[name]) for name in names}}


def build_plan(
    profile: Profile, metrics: Metrics, evaluation: Evaluation, packs: Sequence[CompiledPack], *, lang: str = "en"
) -> Plan:
    """Rank *evaluation*'s findings into a plan for *profile* (texts in *lang*, English fallback)."""
    currency = profile.client.currency
    from creditfix.money import default_currency, format_money

    currency = currency or default_currency(profile.jurisdiction)

    def money(amount: object) -> str:
        from decimal import Decimal

        return format_money(Decimal(str(amount)), currency)

    def text(rule: CompiledRule, field: str, at_least: frozenset[str] = frozenset()) -> str:
        template = rule.text(field, lang)
        if template is None:
            return ""
        return template.render(with_bounds(evaluation.namespaces[rule.pack], metrics, at_least), money)

    windows = inquiry_windows(profile, metrics, packs)
    findings = sorted(evaluation.findings, key=lambda f: rank_key(f.rule))
    steps = []
    for rank, finding in enumerate(findings, start=1):
        rule = finding.rule
        spec = rule.rule
        steps.append(
            Step(
                rank=rank,
                rule_id=spec.id,
                pack=rule.pack,
                category=spec.category,
                severity=spec.severity,
                horizon=spec.horizon,
                impact=spec.impact,
                title=text(rule, "title", finding.at_least),
                action=(action := text(rule, "action", finding.at_least)),
                brief=text(rule, "brief", finding.at_least) or first_sentence(action),
                why=text(rule, "why", finding.at_least),
                evidence=finding.evidence,
                basis=spec.basis,
                source=spec.source,
                windows=tuple(w for w in windows if f"inquiries_{w.months}m" in rule.reads),
                at_least=finding.at_least,
            )
        )
    strengths = tuple(
        Strength(f.rule.id, text(f.rule, "title"), text(f.rule, "why"), f.evidence)
        for f in sorted(evaluation.strengths, key=lambda f: f.rule.id)
    )
    unassessed = tuple(
        Unassessed(
            n.rule.id,
            text(n.rule, "title") if n.rule.reads <= set(evaluation.namespaces[n.rule.pack]) else n.rule.id,
            n.missing,
            tuple(dict.fromkeys(NEEDS.get(m, m) for m in n.missing)),
        )
        for n in sorted(evaluation.not_assessed, key=lambda n: rank_key(n.rule))
    )
    # a rule whose missing metrics have nothing to measure (no cards, no payment due) is not
    # applicable: no data would assess it, so it is listed apart, without a fix
    nothing = metrics.not_applicable
    inapplicable = tuple(u for u in unassessed if u.missing and set(u.missing) <= nothing)
    unassessed = tuple(u for u in unassessed if u not in inapplicable)
    summary = triage(evaluation, packs)
    return Plan(
        profile=profile,
        metrics=metrics,
        lang=lang,
        packs=tuple((p.name, p.version) for p in packs),
        grade=summary.grade,
        risk_points=summary.risk_points,
        counts=summary.counts,
        steps=tuple(steps),
        strengths=strengths,
        not_assessed=unassessed,
        not_applicable=inapplicable,
        provisional=summary.provisional,
        clean_by=clean_by_dates(profile, metrics.as_of),
        inquiry_windows=windows,
    )


# --- dates -------------------------------------------------------------------------------------


def window_limits(packs: Sequence[CompiledPack]) -> dict[int, int]:
    """Inquiry limits by window length from pack params named ``inquiry_limit_6m`` (or ``inquiries_6m_limit``)."""
    limits: dict[int, int] = {}
    for pack in packs:
        for name, value in pack.params.items():
            match = _WINDOW_PARAM.fullmatch(name)
            if match and isinstance(value, int) and not isinstance(value, bool):
                limits.setdefault(int(match.group(1) or match.group(2)), value)
    return limits


def inquiry_windows(profile: Profile, metrics: Metrics, packs: Sequence[CompiledPack]) -> tuple[InquiryWindow, ...]:
    """Each limited window whose hard-inquiry count is over its limit, and the day it is back under."""
    if profile.inquiries is None:
        return ()
    as_of = metrics.as_of
    hard = sorted(q.date for q in profile.inquiries if q.is_hard and q.date <= as_of)
    out = []
    for months, limit in sorted(window_limits(packs).items()):
        inside = [d for d in hard if in_window(d, as_of, months)]
        excess = len(inside) - limit
        if excess <= 0:
            continue
        leaving = inside[excess - 1]  # once the excess oldest are out, the count equals the limit
        day = add_months(leaving, months)
        while in_window(leaving, day, months):
            day += timedelta(days=1)
        while day - timedelta(days=1) > as_of and not in_window(leaving, day - timedelta(days=1), months):
            day -= timedelta(days=1)
        out.append(InquiryWindow(months, len(inside), limit, day))
    return tuple(out)
