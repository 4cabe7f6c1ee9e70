"""``creditfix simulate`` output: the months (Rich or JSON) and what happens to each finding."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from creditfix.formats.jsonout import SCHEMA_VERSION, client_json
from creditfix.formats.labels import labels
from creditfix.formats.plan_doc import currency_of, evidence_json
from creditfix.formats.text import show_value
from creditfix.money import format_money
from creditfix.simulate import SimMonth, Simulation

#: The metrics of the table's columns, between balance and the count of findings (headings: labels).
_METRIC_COLUMNS = ("revolving_utilization", "debt_to_income", "overdue_accounts", "late_payments_24m", "inquiries_6m")
#: A table of more months than this shows only the months where something changes.
_ALL_MONTHS = 24


def assumptions_text(sim: Simulation) -> str:
    """The assumptions in one sentence (in the simulation's language)."""
    a = sim.assumptions
    words = labels(sim.lang)
    currency = currency_of(sim.profile)

    def money(amount: Decimal) -> str:
        return format_money(amount, currency)

    if a.mode == "plan":
        paying = words["sim_plan"].format(payment=money(a.budget))
    elif a.mode == "pay":
        paying = words["sim_pay"].format(fixed=", ".join(f"{k} {money(v)}" for k, v in a.pay.items()))
    else:
        paying = words["sim_minimums"].format(payment=money(a.budget))
    if a.catch_up > 0:
        paying += words["sim_catch_up"].format(amount=money(a.catch_up))
    borrowing = any(e.type == "new_debt" and e.date > sim.start for e in sim.profile.events or ())
    quiet = words["sim_no_new_but"] if borrowing else words["sim_no_new"]
    parts = [paying, words["sim_recur"] if a.new_inquiries else quiet]
    if a.events:
        parts.append(words["sim_events"].format(n=a.events))
    return ("；" if sim.lang == "zh" else "; ").join(parts)


def simulate_document(sim: Simulation) -> dict[str, Any]:
    """The JSON document (field names are a stable contract)."""
    a = sim.assumptions
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "simulation",
        "client": client_json(sim.profile),
        "start": sim.start,
        "months": len(sim.months) - 1,
        "warning": sim.warning,
        "assumptions": {
            "payments": a.mode,
            "monthly_payment": a.budget,
            "catch_up": a.catch_up,
            "pay": dict(a.pay),
            "new_inquiries": a.new_inquiries,
            "events_applied": a.events,
            "events_past": a.past_events,
        },
        "timeline": [
            {
                "month": m.month,
                "date": m.date,
                "grade": m.grade,
                "provisional": m.provisional,
                "risk_points": m.risk_points,
                "balance": m.balance,
                "metrics": evidence_json(m.values),
                "findings": list(m.findings),
                **({"at_least": evidence_json(m.at_least)} if m.at_least else {}),
            }
            for m in sim.months
        ],
        "changes": [
            {
                "rule": c.rule_id,
                "severity": c.severity,
                "title": c.title,
                "status": c.status,
                "appeared_month": c.appeared,
                "cleared_month": c.cleared,
                "cleared_on": c.cleared_on,
                "replaced_by": c.replaced_by,
                "before": evidence_json(c.before),
                "after": evidence_json(c.after),
            }
            for c in sim.changes
        ],
    }


def _shown(name: str, month: SimMonth, currency: str | None) -> str:
    """A month's value of *name*; a lower bound reads ``≥3`` (a bound of 0 says nothing: n/a)."""
    if name in month.values:
        return show_value(name, month.values[name], currency)
    if month.at_least.get(name):
        return "≥" + show_value(name, month.at_least[name], currency)
    return "n/a"


def render_simulation(sim: Simulation, console: Any) -> None:
    """The months as a table (every month up to two years, else the months where something
    changes), then each finding: when it clears, escalates or appears, or that it stays."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    words = labels(sim.lang)
    currency = currency_of(sim.profile)
    who = sim.profile.client.id or "profile"
    months = len(sim.months) - 1
    title = words["sim_title"].format(who=who, months=months, date=sim.start.isoformat())
    console.print(Text(title, style="bold"))
    console.print(Text(words["sim_assuming"].format(what=assumptions_text(sim)), style="dim"))
    if sim.warning:
        console.print(Text(words["warning"].format(text=sim.warning), style="bold"))
    shown = list(sim.months)
    if months > _ALL_MONTHS:
        shown = [
            m
            for i, m in enumerate(sim.months)
            if i in (0, months)
            or (m.grade, m.provisional, m.findings)
            != (sim.months[i - 1].grade, sim.months[i - 1].provisional, sim.months[i - 1].findings)
        ]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, padding=(0, 1))
    for index, header in enumerate(words["sim_cols"].split("|")):
        table.add_column(header, justify="left" if index in (1, 2) else "right", no_wrap=True)
    for m in shown:
        values = [_shown(n, m, currency) for n in _METRIC_COLUMNS]
        table.add_row(
            str(m.month), m.date.isoformat(), m.grade + ("?" if m.provisional else ""), str(m.risk_points),
            format_money(m.balance, currency),
            *values, str(len(m.findings)),
        )  # fmt: skip
    console.print(table)
    if len(shown) < len(sim.months):
        console.print(Text(words["sim_left_out"], style="dim"))
    findings = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, padding=(0, 1), expand=True
    )
    findings.add_column(words["sim_finding"], no_wrap=True)
    findings.add_column(words["sim_when"], no_wrap=True)
    findings.add_column(words["sim_what"], ratio=1, overflow="fold")
    for change in sim.changes:
        if change.status == "returns":
            when = words["sim_returns"].format(cleared=change.cleared, month=change.appeared)
        elif change.status == "escalates":
            when = words["sim_escalates"].format(month=change.cleared, rule=change.replaced_by)
        elif change.status == "eases":
            when = words["sim_eases"].format(month=change.cleared, rule=change.replaced_by)
        elif change.status == "unknown":
            when = words["sim_unknown"].format(month=change.cleared)
        elif change.cleared_on is not None and change.status == "clears":
            when = words["sim_month"].format(date=change.cleared_on.isoformat(), month=change.cleared)
        elif change.appeared is not None and change.cleared:
            when = words["sim_between"].format(month=change.appeared, cleared=change.cleared)
        elif change.appeared is not None:
            when = words["sim_from"].format(month=change.appeared)
        else:
            when = words["sim_after"].format(months=months)
        moved = ", ".join(
            f"{k} {show_value(k, v, currency)} → {show_value(k, change.after[k], currency)}"
            for k, v in change.before.items()
            if k in change.after and change.after[k] != v
        )
        what = Text(f"{change.title} ", style="bold" if change.status == "clears" else "")
        what.append(f"[{change.rule_id}, {words['sev.' + change.severity]}]", style="dim")
        if moved:
            what.append(f"\n{moved}", style="dim")
        findings.add_row(words["st." + change.status], when, what)
    if sim.changes:
        console.print(findings)
