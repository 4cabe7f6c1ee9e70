"""The plan as data (for JSON) and as plain lines shared by the markdown and table renderers."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from creditfix.formats.labels import fix_text, labels, reason_text
from creditfix.formats.text import show_value
from creditfix.metrics import CATALOGUE, CleanBy, MetricValue
from creditfix.model import Profile
from creditfix.money import default_currency, format_money, rounded
from creditfix.plan import InquiryWindow, Milestone, Plan, Recovery, Step
from creditfix.rules.consts import HORIZONS


def plan_document(plan: Plan) -> dict[str, Any]:
    """The ``creditfix plan --format json`` document (field names are a stable contract)."""
    from creditfix.formats.jsonout import SCHEMA_VERSION, client_json, metric_json  # not for the table

    metrics = plan.metrics
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "plan",
        "client": client_json(plan.profile),
        "as_of": plan.as_of,
        "lang": plan.lang,
        "packs": [{"name": name, "version": version} for name, version in plan.packs],
        "plan": {
            "grade": plan.grade,
            "provisional": plan.provisional,
            "risk_points": plan.risk_points,
            "counts": dict(plan.counts),
            "steps": [
                {
                    "rank": s.rank,
                    "rule": s.rule_id,
                    "pack": s.pack,
                    "category": s.category,
                    "severity": s.severity,
                    "horizon": s.horizon,
                    "impact": s.impact,
                    "title": s.title,
                    "action": s.action,
                    "brief": s.brief,
                    "why": s.why,
                    "evidence": evidence_json(s.evidence),
                    "at_least": sorted(s.at_least),
                    "basis": s.basis,
                    "source": s.source,
                    "windows": [_window_json(w) for w in s.windows],
                }
                for s in plan.steps
            ],
            "strengths": [
                {"rule": s.rule_id, "title": s.title, "why": s.why, "evidence": dict(s.evidence)}
                for s in plan.strengths
            ],
            "not_assessed": [
                {"rule": u.rule_id, "title": u.title, "missing": dict(u.missing), "fix": list(u.fix)}
                for u in plan.not_assessed
            ],
            "not_applicable": [{"rule": u.rule_id, "missing": dict(u.missing)} for u in plan.not_applicable],
            "clean_by": [_clean_json(c) for c in plan.clean_by],
            "inquiry_windows": [_window_json(w) for w in plan.inquiry_windows],
            "recovery": None if plan.recovery is None else _recovery_json(plan.recovery),
        },
        "metrics": {name: metric_json(name, metrics) for name in CATALOGUE},
    }


def evidence_json(values: Mapping[str, object]) -> dict[str, object]:
    """Metric values for JSON (see :func:`evidence_value`)."""
    return {name: evidence_value(name, value) for name, value in values.items()}


def evidence_value(name: str, value: object) -> object:
    """A metric value for JSON: ratios to 4 places, the rest exact."""
    if isinstance(value, Decimal) and CATALOGUE[name].unit == "ratio":
        return rounded(value, Decimal("0.0001"))
    return value


def _window_json(window: InquiryWindow) -> dict[str, Any]:
    return {"months": window.months, "count": window.count, "limit": window.limit, "under_on": window.under_on}


def _recovery_json(recovery: Recovery) -> dict[str, Any]:
    return {
        "months": recovery.months,
        "unavailable": recovery.unavailable,
        "monthly_payment": None if recovery.unavailable else recovery.payment,
        "catch_up": None if recovery.unavailable else recovery.catch_up,
        "events": recovery.events,
        "warning": recovery.warning,
        "grades": [{"month": m, "date": d, "grade": g, "provisional": p} for m, d, g, p in recovery.grades],
        "milestones": [
            {
                "rule": m.rule_id,
                "title": m.title,
                "month": m.month,
                "date": m.on,
                "before": evidence_json(m.before),
                "after": evidence_json(m.after),
                "eased_to": m.eased_to,
                "follows": m.follows,
            }
            for m in recovery.milestones
        ],
    }


def _clean_json(item: CleanBy) -> dict[str, Any]:
    return {
        "debt": item.debt_id or None,  # None: a public record (a bankruptcy)
        "item": item.item,
        "since": item.since or None,
        "months_late": item.months_late,
        "clean_by": item.clean_by,
        "rule": item.rule,
        "expired": item.expired,
    }


# --- shared text pieces ------------------------------------------------------------------------


def currency_of(profile: Profile) -> str | None:
    """The currency amounts of *profile* are shown in."""
    return profile.client.currency or default_currency(profile.jurisdiction)


def summary_line(plan: Plan) -> str:
    """``Debt-to-income 32.8% · Card use 92.4% · ...``: the few numbers that matter, in words (the
    evidence of each step names the metrics)."""
    return " · ".join(summary_parts(plan))


def summary_parts(plan: Plan) -> list[str]:
    """Each of the summary's numbers with its label (:func:`creditfix.plan.summary_metrics`); no
    cards reads "no open cards or lines", a lower bound ``≥3`` (a bound of 0 says nothing: n/a)."""
    from creditfix.plan import summary_metrics

    words = labels(plan.lang)
    currency = currency_of(plan.profile)
    parts = []
    for name in summary_metrics(plan.profile.jurisdiction, plan.metrics):
        value = plan.metrics.values.get(name)
        if value is not None:
            shown = show_value(name, value, currency)
        elif plan.metrics.at_least.get(name):
            shown = "≥" + show_value(name, plan.metrics.at_least[name], currency)
        elif name in _CARD_METRICS and name in plan.metrics.not_applicable:
            shown = words["no_cards"]
        elif name == "overdue_amount" and plan.metrics.values.get("overdue_accounts"):
            shown = words["amount_unknown"].format(n=plan.metrics.values["overdue_accounts"])
        else:
            shown = words["unavailable"]
        label = words.get("m." + name, name)
        if name == "score" and plan.profile.score is not None:  # a score is named by its model
            label = words.get(f"m.score.{plan.profile.score.scale}", label)
        parts.append(f"{label} {shown}")
    return parts


_CARD_METRICS = frozenset({"revolving_utilization", "max_card_utilization"})
#: The categories of findings that paying more a month clears sooner.
PAID_DOWN = frozenset({"utilization", "debt_ratio", "overdue"})


def headline(plan: Plan) -> str:
    """``Grade D · 70 risk points · 1 critical, 1 high``."""
    words = labels(plan.lang)
    counts = words["count_sep"].join(
        words["count"].format(n=n, severity=words["sev." + s]) for s, n in plan.counts.items() if n
    )
    counts = counts or words["no_findings"]
    grade = words["provisional"].format(grade=plan.grade) if plan.provisional else plan.grade
    return f"{words['grade'].format(grade=grade)} · {words['points'].format(points=plan.risk_points)} · {counts}"


def nothing_to_fix(plan: Plan) -> str:
    """The line a plan without steps shows: all clear, or clear only as far as it could look."""
    return labels(plan.lang)["none_yet" if plan.not_assessed else "none"]


def evidence_text(plan: Plan, evidence: Mapping[str, MetricValue], at_least: frozenset[str] = frozenset()) -> str:
    """``overdue_accounts = 1, overdue_amount = ¥1,920.00``; a lower bound reads ``≥ 3``."""
    currency = currency_of(plan.profile)
    return ", ".join(
        f"{name} {'≥' if name in at_least else '='} {show_value(name, value, currency)}"
        for name, value in evidence.items()
    )


def clean_record(plan: Plan, item: CleanBy) -> tuple[str, str, str, str]:
    """(debt, record, since, clears) texts of one clean-by row."""
    words = labels(plan.lang)
    record = words["late"].format(n=item.months_late) if item.item == "late" else words[item.item]
    if item.clean_by is None:
        if item.rule.startswith("us-"):
            clears = words["us_unknown"]
        else:  # an overdue still running ends when it is paid; a bad debt or collection when settled
            clears = words["after_repaid"] if item.item == "late" else words["after_settle"]
    else:
        clears = item.clean_by.isoformat() + (f" ({words['dispute']})" if item.expired else "")
    return item.debt_id or words["public_record"], record, item.since or "—", clears


def window_text(plan: Plan, window: InquiryWindow, short: bool = False) -> str:
    """One inquiry window as a sentence."""
    words = labels(plan.lang)
    key = "window_short" if short else "window_line"
    return words[key].format(
        months=window.months, count=window.count, limit=window.limit, date=window.under_on.isoformat()
    )


def unassessed_groups(plan: Plan) -> list[tuple[list[str], str, str]]:
    """The rules not assessed as (rule ids, what is missing and why, what to add), rules missing
    the same data for the same reasons together, each metric list under its reason, in *lang*."""
    groups: dict[tuple[str, str], list[str]] = {}
    for unassessed in plan.not_assessed:
        by_reason: dict[str, list[str]] = {}
        for name, reason in unassessed.missing.items():
            by_reason.setdefault(reason_text(reason, plan.lang), []).append(name)
        missing = "; ".join(f"{', '.join(names)}: {reason}" for reason, names in by_reason.items())
        fix = "; ".join(fix_text(f, plan.lang) for f in unassessed.fix)
        groups.setdefault((missing, fix), []).append(unassessed.rule_id)
    return [(ids, missing, fix) for (missing, fix), ids in groups.items()]


def step_groups(plan: Plan) -> list[tuple[str, list[Step]]]:
    """The steps as they are read, under their headings: by horizon, soonest first, in rank order
    within each; then the notes (info: worth knowing, nothing to fix), whatever their horizon, so
    that a note never stands above a step that lowers risk."""
    words = labels(plan.lang)
    groups = [(words["h." + h], [s for s in plan.steps if s.horizon == h and s.severity != "info"]) for h in HORIZONS]
    groups.append((words["notes"], [s for s in plan.steps if s.severity == "info"]))
    return [(heading, steps) for heading, steps in groups if steps]


def recovery_lines(plan: Plan) -> tuple[str, list[tuple[str, str, str]], str]:
    """The recovery timeline as (assumptions, [(when, title, change)], grade path); the
    assumptions line alone, saying why, when there is no timeline."""
    words = labels(plan.lang)
    recovery = plan.recovery
    assert recovery is not None
    if recovery.unavailable is not None:
        return words["recovery_unavailable"].format(reason=recovery.unavailable), [], ""
    currency = currency_of(plan.profile)
    how = words["recovery_how"].format(**_assumptions(plan))
    rows = []
    for milestone in recovery.milestones:
        if milestone.month is None or milestone.on is None:
            when = words["not_within"].format(months=recovery.months)
        else:
            when = words["milestone"].format(date=milestone.on.isoformat(), month=milestone.month)
        change = _change_text(milestone, currency)
        if milestone.eased_to is not None:
            change = words["eased_to"].format(change=change, title=milestone.eased_to)
        rows.append((when, milestone.title, change))
    if recovery.warning:
        how += words["stop"] + words["warning"].format(text=recovery.warning)
    return how, rows, f"{words['grade_path']}{words['sep']}{grade_path(plan)}"


def recovery_line(plan: Plan) -> str:
    """The recovery timeline in one line: what it assumes and the grade path (``Paying ¥3,940.00
    a month..., no new credit: grade E now → D 2026-12-29``)."""
    words = labels(plan.lang)
    recovery = plan.recovery
    assert recovery is not None
    if recovery.unavailable is not None:
        return words["recovery_unavailable"].format(reason=recovery.unavailable)
    if len(recovery.grades) == 1:  # no change on the whole timeline
        _, _, grade, doubt = recovery.grades[0]
        path = words["grade_stays"].format(grade=grade + ("?" if doubt else ""), months=recovery.months)
    else:
        path = words["grade_path_short"].format(path=grade_path(plan))
    assumed = _assumptions(plan)
    if recovery.extra > 0:
        line = words["recovery_extra"].format(**assumed, extra=format_money(recovery.extra, currency_of(plan.profile)))
    else:  # the minimums alone: say so, and how to see it sooner
        line = words["recovery_minimums"].format(**assumed)
    line += words["sep"] + path
    if recovery.extra <= 0 and any(step.category in PAID_DOWN for step in plan.steps):
        line += words["sooner"]  # only where paying more can clear something sooner
    if recovery.warning:
        line += words["stop"] + words["warning"].format(text=recovery.warning)
    return line


def _assumptions(plan: Plan) -> dict[str, str]:
    """The monthly payment, the catch-up and the events a recovery timeline assumes, as text."""
    words = labels(plan.lang)
    recovery = plan.recovery
    assert recovery is not None
    currency = currency_of(plan.profile)
    overdue = recovery.catch_up - recovery.settled
    catch_up = words["catch_up"].format(amount=format_money(overdue, currency)) if overdue > 0 else ""
    if recovery.settled > 0:
        catch_up += words["settle"].format(amount=format_money(recovery.settled, currency))
    if recovery.left > 0:
        catch_up += words["left"].format(amount=format_money(recovery.left, currency))
    events = words["with_events"].format(n=recovery.events) if recovery.events else ""
    return {"payment": format_money(recovery.payment, currency), "catch_up": catch_up, "events": events}


def grade_path(plan: Plan) -> str:
    """``E now → D 2026-12-29 → C? 2027-11-29``: the grade on the timeline, each change dated; ``?``
    marks a provisional grade (a critical or high rule not assessed then)."""
    words = labels(plan.lang)
    grades = plan.recovery.grades if plan.recovery is not None else ()
    shown = [(d, g + ("?" if p else "")) for _, d, g, p in grades]
    path = [words["grade_now"].format(grade=shown[0][1])] if shown else []
    path += [f"{g} {d.isoformat()}" for d, g in shown[1:]]
    return " → ".join(path)


def _change_text(milestone: Milestone, currency: str | None) -> str:
    """``inquiries_6m 6 → 4`` for each value the rule reads that changes."""
    parts = []
    for name, before in milestone.before.items():
        after = milestone.after.get(name)
        if after is not None and after != before:
            parts.append(f"{name} {show_value(name, before, currency)} → {show_value(name, after, currency)}")
    return ", ".join(parts)
