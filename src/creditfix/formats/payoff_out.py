"""``creditfix payoff`` output: strategies side by side (Rich or JSON) and the full schedule as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from creditfix.formats.jsonout import SCHEMA_VERSION, client_json
from creditfix.model import Event, Profile
from creditfix.money import format_money
from creditfix.payoff import Schedule, event_month


def payoff_document(profile: Profile, schedules: Sequence[Schedule]) -> dict[str, Any]:
    """The JSON document: one entry per strategy (field names are a stable contract)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "payoff",
        "client": client_json(profile),
        "start": schedules[0].start if schedules else None,
        "events": [_event_json(e, schedules[0].start) for e in applied_events(profile, schedules)],
        "strategies": [
            {
                "strategy": s.strategy.value,
                "budget": s.budget,
                "months_to_debt_free": s.months_to_debt_free,
                "debt_free_date": s.debt_free_date,
                "total_interest": s.total_interest if s.debt_free else None,  # a never-ending sum means nothing
                "total_paid": s.total_paid if s.debt_free else None,
                "interest_saved": s.interest_saved,
                "months_saved": s.months_saved,
                "close_order": list(s.close_order),
                "utilisation_under_30": dict(s.utilisation_under_30),
                "shortfall": None
                if s.shortfall is None
                else {
                    "kind": s.shortfall.kind,
                    "message": s.shortfall.message,
                    "payments": {str(k): v for k, v in s.shortfall.payments.items()},
                },
            }
            for s in schedules
        ],
    }


def applied_events(profile: Profile, schedules: Sequence[Schedule]) -> list[Event]:
    """The profile's events after the start, in date order (the ones the schedules honour)."""
    if not schedules:
        return []
    start = schedules[0].start
    return sorted((e for e in profile.events or () if e.date > start), key=lambda e: e.date)


def _event_json(event: Event, start: date) -> dict[str, Any]:
    return {
        "date": event.date,
        "type": event.type,
        "month": event_month(event.date, start),
        "amount": event.amount,
        "debt": event.debt if event.account is None else event.account.id,
        "apr": event.apr if event.account is None else event.account.apr,
    }


def event_text(event: Event, money: Any) -> str:
    """``2027-03-01 lump sum 5,000.00 → cmb-card``."""
    what = event.type.replace("_", " ")
    if event.type == "lump_sum":
        return f"{event.date} {what} {money(event.amount)}" + (f" → {event.debt}" if event.debt else "")
    if event.type == "raise":
        return f"{event.date} {what} +{money(event.amount)} a month"
    if event.type == "budget":
        return f"{event.date} budget {money(event.amount)} a month"
    if event.type == "promo_end":
        return f"{event.date} promo ends: {event.debt} at {_rate(event.apr or Decimal(0))}"
    assert event.account is not None
    return f"{event.date} new debt {event.account.id} {money(event.account.balance)}"


def _rate(apr: Decimal) -> str:
    """An APR as given: ``18.25%``, ``26.24%``, ``0%``."""
    return f"{(apr * 100).normalize():f}%"


def schedule_csv(schedules: Sequence[Schedule]) -> str:
    """Every month of every strategy, one row per debt."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["strategy", "month", "date", "debt", "interest", "minimum", "payment", "principal", "balance"])
    for schedule in schedules:
        for row in schedule.rows:
            for debt in row.debts:
                writer.writerow(
                    [schedule.strategy.value, row.month, row.date.isoformat(), debt.id, debt.interest, debt.minimum,
                     debt.payment, debt.principal, debt.balance]
                )  # fmt: skip
    return out.getvalue()


def render_payoff_table(profile: Profile, schedules: Sequence[Schedule], currency: str | None, console: Any) -> None:
    """Strategies side by side, then each shortfall in words, then a balance chart (no colour needed)."""
    from rich.table import Table
    from rich.text import Text

    def money(value: Any) -> str:
        return format_money(value, currency)

    budget = schedules[0].budget if schedules else None
    title = f"Payoff for {profile.client.id or 'profile'}" + (
        f": {money(budget)} a month" if budget is not None else ""
    )
    table = Table(title=title, title_justify="left")
    for column in ("strategy", "months", "debt-free", "total interest", "saved vs minimums"):
        table.add_column(column, justify="left" if column in ("strategy", "debt-free") else "right", no_wrap=True)
    for s in schedules:
        months = str(s.months_to_debt_free) if s.months_to_debt_free is not None else "never"
        date_text = s.debt_free_date.isoformat() if s.debt_free_date else "—"
        saved = money(s.interest_saved) if s.interest_saved is not None else "—"
        interest = money(s.total_interest) if s.debt_free else "—"
        table.add_row(s.strategy.value, months, date_text, interest, saved)
    console.print(table)
    events = applied_events(profile, schedules)
    if events:
        console.print(Text("Events: " + "; ".join(event_text(e, money) for e in events)))
    for s in schedules:
        under = ", ".join(
            f"{k} in month {v}" if v else (f"{k} already" if v == 0 else f"{k} never")
            for k, v in s.utilisation_under_30.items()
        )
        console.print(Text(f"{s.strategy.value}: debts close {' → '.join(s.close_order) or '—'}"))
        if under:
            console.print(Text(f"  cards under 30%: {under}"))
    for s in schedules:
        if s.shortfall is not None:
            payments = _level_payments(s.shortfall.payments, s.rows[0].debts if s.rows else (), money)
            console.print(Text(f"{s.strategy.value}: {s.shortfall.message}" + (f" ({payments})" if payments else "")))
    best = next((s for s in schedules if s.strategy.value == "avalanche"), None)
    if best is not None and best.rows:
        _chart(best, money, console)


def _level_payments(payments: Mapping[int, Decimal], first: Sequence[Any], money: Any) -> str:
    """``$394.14 a month clears it within 36 months, ...``: the smallest level payment for each
    horizon, which is never below the minimums; one that is the minimums says so, and a longer
    horizon with the same payment adds nothing."""
    minimums = sum((d.minimum for d in first), Decimal(0))
    parts, seen = [], set()
    for months, payment in sorted(payments.items()):
        if payment in seen:
            continue
        seen.add(payment)
        what = f"{money(payment)} a month" + (
            " (the minimums' total, kept up as debts close)" if first and payment <= minimums else ""
        )
        parts.append(f"{what} clears it within {months} months")
    return ", ".join(parts)


def _chart(schedule: Schedule, money: Any, console: Any, width: int = 50, points: int = 12) -> None:
    """Total balance over time as a bar per period: readable without colour."""
    rows = schedule.rows if schedule.debt_free else schedule.rows[:120]  # a balance that only grows: ten years
    step = max(1, len(rows) // points)
    picked = list(rows[::step])
    if picked[-1] is not rows[-1]:
        picked.append(rows[-1])
    top = max((r.balance for r in picked), default=0) or 1
    console.print(f"Total balance, {schedule.strategy.value}:")
    for row in picked:
        bar = "#" * int(row.balance / top * width)
        console.print(f"  {row.date.isoformat()}  {bar:<{width}}  {money(row.balance)}")
