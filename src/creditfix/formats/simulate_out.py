"""``creditfix simulate`` output: the months (Rich or JSON) and what happens to each finding."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from creditfix.formats.jsonout import SCHEMA_VERSION, client_json
from creditfix.formats.plan_doc import currency_of
from creditfix.formats.text import show_value
from creditfix.metrics import CATALOGUE
from creditfix.money import format_money
from creditfix.simulate import Simulation

#: The table's columns: heading and metric (the first five and the last are not metrics).
_COLUMNS = (
    ("month", ""),
    ("date", ""),
    ("grade", ""),
    ("risk", ""),
    ("balance", ""),
    ("util", "revolving_utilization"),
    ("DTI", "debt_to_income"),
    ("over\ndue", "overdue_accounts"),
    ("late\n24m", "late_payments_24m"),
    ("inq\n6m", "inquiries_6m"),
    ("find\nings", ""),
)
#: A table of more months than this shows only the months where something changes.
_ALL_MONTHS = 24


def _value(name: str, value: object) -> object:
    if isinstance(value, Decimal) and CATALOGUE[name].unit == "ratio":
        return value.quantize(Decimal("0.0001"))
    return value


def assumptions_text(sim: Simulation) -> str:
    """The assumptions in one sentence."""
    a = sim.assumptions
    currency = currency_of(sim.profile)

    def money(amount: Decimal) -> str:
        return format_money(amount, currency)

    if a.mode == "plan":
        paying = f"following the plan: {money(a.budget)} a month, credit-aware order"
        if a.catch_up > 0:
            paying += f", {money(a.catch_up)} past due paid in month 1"
    elif a.mode == "pay":
        fixed = ", ".join(f"{k} {money(v)}" for k, v in a.pay.items())
        paying = f"paying {fixed} a month and the minimums on the rest"
    else:
        paying = f"paying the minimums on time ({money(a.budget)} a month)"
    inquiries = (
        "the last 12 months' hard inquiries recur at the same pace"
        if a.new_inquiries
        else "no new applications for credit"
    )
    events = f"; {a.events} event(s) from the profile" if a.events else ""
    return f"{paying}; {inquiries}{events}"


def simulate_document(sim: Simulation) -> dict[str, Any]:
    """The JSON document (field names are a stable contract)."""
    a = sim.assumptions
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "simulation",
        "client": client_json(sim.profile),
        "start": sim.start,
        "months": len(sim.months) - 1,
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
                "risk_points": m.risk_points,
                "balance": m.balance,
                "metrics": {k: _value(k, v) for k, v in m.values.items()},
                "findings": list(m.findings),
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
                "before": {k: _value(k, v) for k, v in c.before.items()},
                "after": {k: _value(k, v) for k, v in c.after.items()},
            }
            for c in sim.changes
        ],
    }


def render_simulation(sim: Simulation, console: Any) -> None:
    """The months as a table (every month up to two years, else the months where something
    changes), then each finding: when it clears, appears, or that it stays."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    currency = currency_of(sim.profile)
    who = sim.profile.client.id or "profile"
    months = len(sim.months) - 1
    console.print(Text(f"Simulation for {who}: {months} months from {sim.start.isoformat()}", style="bold"))
    console.print(Text(f"Assuming {assumptions_text(sim)}.", style="dim"))
    shown = list(sim.months)
    if months > _ALL_MONTHS:
        shown = [
            m
            for i, m in enumerate(sim.months)
            if i in (0, months) or m.grade != sim.months[i - 1].grade or m.findings != sim.months[i - 1].findings
        ]
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, padding=(0, 1))
    for header, _ in _COLUMNS:
        table.add_column(header, justify="left" if header in ("date", "grade") else "right", no_wrap=True)
    for m in shown:
        values = [show_value(n, m.values[n], currency) if n in m.values else "n/a" for _, n in _COLUMNS[5:-1]]
        table.add_row(
            str(m.month), m.date.isoformat(), m.grade, str(m.risk_points), format_money(m.balance, currency),
            *values, str(len(m.findings)),
        )  # fmt: skip
    console.print(table)
    if len(shown) < len(sim.months):
        console.print(Text("Months where nothing changes are left out; --format json has every month.", style="dim"))
    words = {"clears": "clears", "passes": "passes", "appears": "appears", "stays": "stays"}
    findings = Table(
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True, padding=(0, 1), expand=True
    )
    findings.add_column("finding", no_wrap=True)
    findings.add_column("when", no_wrap=True)
    findings.add_column("what", ratio=1, overflow="fold")
    for change in sim.changes:
        if change.cleared_on is not None and change.status == "clears":
            when = f"{change.cleared_on.isoformat()} (month {change.cleared})"
        elif change.appeared is not None:
            when = f"month {change.appeared}" + (f" to {change.cleared}" if change.cleared else " on")
        else:
            when = f"after {months} months"
        moved = ", ".join(
            f"{k} {show_value(k, v, currency)} → {show_value(k, change.after[k], currency)}"
            for k, v in change.before.items()
            if k in change.after and change.after[k] != v
        )
        what = Text(f"{change.title} ", style="bold" if change.status == "clears" else "")
        what.append(f"[{change.rule_id}, {change.severity}]", style="dim")
        if moved:
            what.append(f"\n{moved}", style="dim")
        findings.add_row(words[change.status], when, what)
    if sim.changes:
        console.print(findings)
