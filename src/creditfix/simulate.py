"""What-if simulation: a profile moved forward month by month, with its metrics and findings
recomputed each month, so that a person sees which findings clear when and how the grade moves.

The months are those of the payoff schedule (:mod:`creditfix.payoff`): month *m* is dated *m*
months after ``as_of``, and the balances, payments and past-due amounts are the schedule's. The
assumptions, stated in every output (:attr:`Simulation.assumptions`):

- **Payments**, one of: the minimums on time (the default); following the plan (``follow_plan``:
  the credit-aware payoff order with the budget: the minimums due now plus ``extra``, or
  ``budget``, and collections and charge-offs settled in month 1); or fixed amounts for named debts
  (``pay``) and the minimums for the rest. On time means up to date: in month 1 what is past due is
  paid on top of the minimums (except on a debt given a fixed payment). The profile's ``events``
  are honoured. A payment covers the month's own minimum; what is past due stays past due until
  paid on top, and a minimum not paid in full adds to it.
- **History**: each month, each debt whose history is known (a ``history`` or itemised payments)
  gains an itemised payment due that day: paid that day when nothing is past due after it, else
  unpaid until the month the past-due amount is cleared, so it ages into a late month code the way
  any late payment does. A debt whose history is not given stays without one (never guessed).
- **Inquiries**: by default the hard inquiries of the last 12 months recur 12 months later, and
  again, at the same pace; with ``new_inquiries=False`` (and always when following the plan, which
  says to stop applying) there are none. A ``new_debt`` event is an application: it adds a hard
  inquiry on its date.
- **Accounts**: a loan paid off is closed, a collection or charge-off paid off is settled (a US
  medical collection, deleted from the report once paid), a card paid off stays open. Income,
  score, limits and minimum payments stay as they are.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Literal

from creditfix.dates import add_months, month_index
from creditfix.metrics import (
    Metrics,
    MetricValue,
    clean_by_dates,
    compute_metrics,
    history_late_in,
    medical_unreported,
    unpaid_payments,
)
from creditfix.model import Debt, Event, Inquiry, InquiryReason, Payment, Profile
from creditfix.money import format_pct
from creditfix.payoff import (
    DEFAULT_TARGETS,
    DebtMonth,
    Schedule,
    Strategy,
    event_month,
    plan_payoff,
    utilisation_targets,
)
from creditfix.plan import Milestone, Recovery, triage, with_bounds
from creditfix.rules.consts import SEVERITIES
from creditfix.rules.engine import CompiledPack, CompiledRule, Evaluation, evaluate

#: Longest simulation: ten years, past every window and every US retention period but bankruptcy.
MAX_MONTHS = 120
#: The metrics each simulated month reports (besides grade, risk points and balance).
MONTH_METRICS = (
    "revolving_utilization",
    "max_card_utilization",
    "debt_to_income",
    "overdue_accounts",
    "late_payments_24m",
    "inquiries_6m",
)
Mode = Literal["minimums", "plan", "pay"]
Status = Literal["clears", "eases", "escalates", "unknown", "returns", "stays", "appears", "passes"]
_APPLICATION: dict[str, InquiryReason] = {
    "card": "card_application",
    "credit_line": "card_application",
    "mortgage": "mortgage_application",
    "auto": "auto_application",
    "student": "student_application",
}
_ZERO = Decimal("0.00")
_CENT = Decimal("0.01")


NO_DEBTS = "the profile gives no debts (metric values alone, or no debts: list); payoff and simulate need them"


def gives_debts(profile: Profile) -> bool:
    """Whether *profile* lists its debts (not metric values alone), as payoff and simulate need."""
    return profile.debts is not None and not profile.metrics


class SimulationError(ValueError):
    """The profile cannot be simulated (e.g. a debt without an APR, metric values given directly);
    ``cause`` is the payoff error behind it, if any."""

    def __init__(self, message: str, cause: ValueError | None = None) -> None:
        super().__init__(message)
        self.cause = cause


_NO_PAST_DUE = (
    "debt {debt} is behind today (its history or payments) but gives no past_due:"
    " give the amount overdue to see the months ahead"
)


class NoPastDue(ValueError):
    """A debt behind today (by its history or itemised payments) that says not by how much."""

    def __init__(self, debt_id: str) -> None:
        super().__init__(_NO_PAST_DUE.format(debt=debt_id))
        self.debt_id = debt_id


@dataclass(frozen=True)
class Assumptions:
    """How the months were filled in."""

    mode: Mode
    budget: Decimal  # paid in month 1 (for ``pay``: the fixed payments and the other minimums)
    catch_up: Decimal  # paid on top in month 1 to bring accounts up to date (``plan``)
    pay: Mapping[str, Decimal]
    new_inquiries: bool
    events: int  # events applied
    past_events: int  # events on or before the start, not applied
    settled: Decimal = _ZERO  # of catch_up: collections and charge-offs paid in full (``plan``)
    left: Decimal = _ZERO  # owed on US collections and charge-offs left to leave the report within a year


@dataclass(frozen=True)
class SimMonth:
    """One month of the simulation (month 0 is today)."""

    month: int
    date: date
    grade: str
    risk_points: int
    balance: Decimal
    values: Mapping[str, MetricValue]
    findings: tuple[str, ...]  # ids of the issue rules that fire, in plan order
    at_least: Mapping[str, MetricValue] = field(default_factory=dict)  # lower bounds of unavailable ones
    provisional: bool = False  # a critical or high rule could not be assessed (creditfix.plan.provisional)


@dataclass(frozen=True)
class Change:
    """What happens to one finding over the simulation.

    ``status``: ``clears`` (fires today, and from ``cleared`` on no more), ``eases`` (stops firing in
    ``cleared`` while a milder rule on the same facts starts then: ``replaced_by``), ``escalates`` (stops
    firing in ``cleared`` because a worse rule on the same facts starts then: ``replaced_by``; see
    :func:`_escalation`), ``returns`` (clears in ``cleared`` but fires again from ``appeared``),
    ``stays`` (fires every month), ``appears`` (does not fire today but does in the last month,
    first in ``appeared``), ``passes`` (appears and clears again). ``before``/``after`` are the
    values the rule reads, today (or when it appeared) and in the month it cleared (or the last
    month). Findings of severity ``info`` are notes, not problems, and are not followed.
    """

    rule_id: str
    severity: str
    title: str
    status: Status
    appeared: int | None
    cleared: int | None
    cleared_on: date | None
    before: Mapping[str, MetricValue]
    after: Mapping[str, MetricValue]
    replaced_by: str | None = None


@dataclass(frozen=True)
class Simulation:
    """Everything ``creditfix simulate`` shows."""

    profile: Profile
    start: date
    assumptions: Assumptions
    months: tuple[SimMonth, ...]
    changes: tuple[Change, ...]
    schedule: Schedule
    lang: str = "en"
    warning: str | None = None  # the payments do not cover the minimums or the interest


@dataclass
class _Record:
    """A projected payment: due on a simulated month's date, paid then or when the arrears clear."""

    due: date
    paid: date | None
    amount: Decimal
    made: Payment | None = None  # the Payment for the profile, made once its paid date is final

    def payment(self, debt_id: str) -> Payment:
        made = self.made or Payment.model_construct(debt=debt_id, due=self.due, paid=self.paid, amount=self.amount)
        if self.paid is not None:
            self.made = made
        return made


@dataclass
class _Account:
    """A debt as it moves through the months: its month codes added to a history that ends with the
    start month (``appendable``), or else projected payment records (``recorded``: its history is
    known only from payments, or stops before the start)."""

    debt: Debt
    recorded: bool
    appendable: bool = False
    records: list[_Record] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    age: int | None = None  # months since the oldest payment still unpaid fell due (None: nothing past due)
    cleared: date | None = None  # when what was past due at the start was first paid up
    us: bool = False  # US codes count 30 days late as 1 (a missed month reads N); elsewhere the due month is 1
    deleted: bool = False  # off the report: a US medical collection once paid (the bureaus delete it)

    def presented(self) -> Debt:
        """The debt as the profile of the current month holds it."""
        if not self.codes:
            return self.debt
        assert self.debt.history is not None
        assert self.debt.history_end is not None
        return self.debt.model_copy(
            update={
                "history": (*self.debt.history, *self.codes),
                "history_end": self.debt.history_end + len(self.codes),
            }
        )


#: Statuses of accounts that report a month code every month.
_REPORTING = frozenset({"open", "frozen", "closed_by_lender"})


def _account(profile: Profile, debt: Debt, start: date) -> _Account:
    pinned = _pinned(profile, debt, start)
    reporting = debt.status in _REPORTING
    appendable = reporting and bool(debt.history) and pinned.history_end == month_index(start)
    us = profile.jurisdiction == "US"
    age = None
    if debt.past_due:  # as old as the history's last code says (a late code: months past due)
        last = debt.history[-1] if debt.history else "N"
        # a PBOC code counts the due month: 1 is up to 30 days, so 0 months since the payment fell due
        age = 7 if last == "B" else max(int(last) - (0 if us else 1), 0) if last in "1234567" else 0
    recorded = reporting and not appendable and (bool(debt.history) or _has_payments(profile, debt.id))
    return _Account(pinned, recorded, appendable, age=age, us=us)


_DEFAULTED = frozenset({"collection", "charged_off"})
#: A defaulted debt whose record leaves the report this soon is not assumed paid up front.
_LEAVING_MONTHS = 12


def _leaving_soon(profile: Profile, start: date) -> frozenset[str]:
    """Ids of the collections and charge-offs whose record leaves the report within a year of *start*,
    or should have left it already (core-records-expired says to dispute it, not to pay it)."""
    soon = add_months(start, _LEAVING_MONTHS)
    return frozenset(
        c.debt_id
        for c in clean_by_dates(profile, start)
        if c.item in _DEFAULTED and c.clean_by is not None and c.clean_by <= soon
    )


def _settled_whole(debt: Debt) -> Debt:
    """*debt* (in collection or charged off) as the plan settles it, in full in month 1: a rate or
    minimum it lacks is 0 (it has no month to run)."""
    if debt.apr is not None and debt.min_payment is not None:
        return debt
    return debt.model_copy(
        update={"apr": _ZERO if debt.apr is None else debt.apr, "min_payment": debt.min_payment or _ZERO}
    )


def simulate(
    profile: Profile,
    packs: Sequence[CompiledPack],
    *,
    months: int,
    as_of: date | None = None,
    follow_plan: bool = False,
    budget: Decimal | None = None,
    extra: Decimal | None = None,
    pay: Mapping[str, Decimal] | None = None,
    new_inquiries: bool = True,
    lang: str = "en",
    money: Callable[[Decimal], str] = str,
) -> Simulation:
    """Move *profile* forward *months* months under the module's assumptions.

    Raises :class:`SimulationError` (one line) when the profile cannot be simulated.
    """
    if not 1 <= months <= MAX_MONTHS:
        raise SimulationError(f"months must be between 1 and {MAX_MONTHS}")
    if not gives_debts(profile):
        raise SimulationError(NO_DEBTS)
    if pay and follow_plan:
        raise SimulationError("give fixed payments or follow the plan, not both")
    start = as_of or profile.as_of
    if start is None:
        raise SimulationError("no as_of: give the profile's as_of or --as-of to start from")
    events = tuple(profile.events or ())
    debts = tuple(_with_itemised_arrears(profile, d, start) for d in profile.debts or ())
    for debt in debts:
        if (
            debt.past_due is None
            and debt.status in _REPORTING
            and debt.id not in (pay or {})
            and (history_late_in(profile, debt, month_index(start), start) or unpaid_payments(profile, debt.id, start))
        ):  # the months ahead start with paying it up: how much is not known, and never guessed
            raise SimulationError(_NO_PAST_DUE.format(debt=debt.id), NoPastDue(debt.id))
    if follow_plan:  # a collection or charge-off is settled in month 1: no rate or minimum to know
        debts = tuple(_settled_whole(d) if d.status in _DEFAULTED else d for d in debts)
    mode: Mode = "plan" if follow_plan else "pay" if pay else "minimums"
    # A US medical collection the bureaus do not report is not paid up front: the plan's step is to
    # have it validated and checked with the insurer before paying anything on it.
    unreported = {d.id for d in debts if profile.jurisdiction == "US" and medical_unreported(d, month_index(start))}
    # Nor a US collection or charge-off that leaves the report within a year: paying it shortens
    # nothing, and the plan's step says one about to leave is often best left to do so.
    leaving = _leaving_soon(profile, start) if follow_plan and profile.jurisdiction == "US" else frozenset()
    # Paying on time brings every account up to date in month 1: what is past due is paid on top of
    # the minimums (not for debts given a fixed payment); following the plan settles collections
    # and charge-offs too, as its steps say.
    owed_now = {
        d.id: d.balance if d.status in _DEFAULTED and follow_plan else d.past_due
        for d in debts
        if (d.status in _REPORTING or follow_plan)
        and d.status not in ("closed", "settled")
        and d.id not in (pay or {})
        and d.id not in unreported
        and d.id not in leaving
    }
    catching_up = tuple(
        Event.model_construct(date=add_months(start, 1), type="lump_sum", amount=amount.quantize(_CENT), debt=debt_id)
        for debt_id, amount in owed_now.items()
        if amount and amount > 0
    )
    catch_up = sum((e.amount or _ZERO for e in catching_up), _ZERO)
    defaulted = {d.id for d in debts if d.status in _DEFAULTED}
    settled = sum((e.amount or _ZERO for e in catching_up if e.debt in defaulted), _ZERO) if follow_plan else _ZERO
    left = sum((d.balance for d in debts if d.id in leaving), _ZERO)
    if follow_plan:
        targets = utilisation_targets(p.params for p in packs)  # the client's packs' levels
        schedule = _schedule(
            debts,
            Strategy.credit_aware,
            start,
            months,
            (*events, *catching_up),
            budget=budget,
            extra=extra or _ZERO,
            targets=targets,
        )
        new_inquiries = False
    else:
        schedule = _schedule(debts, Strategy.minimums, start, months, (*events, *catching_up), pay=dict(pay or {}))
    first = schedule.rows[0].debts if schedule.rows else ()
    monthly = sum(((pay or {}).get(d.id, d.minimum) for d in first), _ZERO)  # lump sums are not monthly
    assumptions = Assumptions(
        mode=mode,
        budget=schedule.budget if mode == "plan" else monthly,
        catch_up=catch_up,
        settled=settled,
        left=left,
        pay=dict(pay or {}),
        new_inquiries=new_inquiries,
        events=sum(1 for e in events if e.date > start),
        past_events=sum(1 for e in events if e.date <= start),
    )
    accounts = {d.id: _account(profile, d, start) for d in debts}
    joining = {e.account.id: e for e in events if e.type == "new_debt" and e.account is not None and e.date > start}
    inquiries = _future_inquiries(profile, start, months, new_inquiries, joining.values())
    evaluations: list[tuple[Evaluation, Metrics]] = []
    states: list[SimMonth] = []
    read = _read_by(packs, lang)
    for month in range(months + 1):
        day = add_months(start, month)
        if month:
            row = {d.id: d for d in schedule.rows[month - 1].debts} if month <= len(schedule.rows) else {}
            for account in accounts.values():
                _advance(account, row.get(account.debt.id), day, start if month == 1 else day)
            for debt_id, event in joining.items():
                if event_month(event.date, start) == month and event.account is not None:
                    accounts[debt_id] = _Account(
                        _opened(event.account, event.date, day), False, appendable=True, us=profile.jurisdiction == "US"
                    )
        current = _profile_at(profile, accounts, inquiries, day)
        metrics = compute_metrics(current, day, removed_after=start, only=read)  # records leave the report on time
        evaluation = evaluate(packs, metrics, detail=False)  # _changes reads the values from the metrics
        summary = triage(evaluation, packs)
        ranked = sorted(evaluation.findings, key=lambda f: _rank(f.rule))
        states.append(
            SimMonth(
                month=month,
                date=day,
                grade=summary.grade,
                risk_points=summary.risk_points,
                balance=sum((a.debt.balance for a in accounts.values()), _ZERO),
                values={n: metrics.values[n] for n in MONTH_METRICS if n in metrics.values},
                findings=tuple(f.rule.id for f in ranked),
                at_least={n: metrics.at_least[n] for n in MONTH_METRICS if n in metrics.at_least},
                provisional=summary.provisional,
            )
        )
        evaluations.append((evaluation, metrics))
    return Simulation(
        profile=profile,
        start=start,
        assumptions=assumptions,
        months=tuple(states),
        changes=_changes(states, evaluations, lang, money),
        schedule=schedule,
        lang=lang,
        warning=schedule.shortfall.message if schedule.shortfall and schedule.shortfall.kind != "slow" else None,
    )


def _read_by(packs: Sequence[CompiledPack], lang: str) -> frozenset[str]:
    """The metrics each month is evaluated on, all that the months and changes show: those the
    rules read, those the rules' titles show (:func:`_changes`) and :data:`MONTH_METRICS`."""
    names = {*MONTH_METRICS}
    for pack in packs:
        names.update(pack.reads)
        for rule in pack.rules:
            title = rule.text("title", lang)
            if title is not None:
                names.update(title.names)
    return frozenset(names)


def _rank(rule: CompiledRule) -> tuple[int, int, int, str]:
    from creditfix.plan import rank_key

    return rank_key(rule)


def _schedule(
    debts: Sequence[Debt],
    strategy: Strategy,
    start: date,
    months: int,
    events: Sequence[Event],
    *,
    budget: Decimal | None = None,
    extra: Decimal | None = None,
    pay: Mapping[str, Decimal] | None = None,
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
) -> Schedule:
    try:
        return plan_payoff(
            debts,
            strategy=strategy,
            budget=budget,
            extra=None if budget is not None else extra,
            start=start,
            max_months=months,
            events=events,
            pay=pay if strategy is Strategy.minimums else None,
            answer_shortfall=False,
            targets=targets,
        )
    except ValueError as exc:
        raise SimulationError(str(exc), exc) from None


def _has_payments(profile: Profile, debt_id: str) -> bool:
    return any(p.debt == debt_id for p in profile.payments or ())


def _pinned(profile: Profile, debt: Debt, start: date) -> Debt:
    """*debt* with its history tied to the month it ends in (it ends with the profile's as_of month
    when ``history_end`` is not given: that must not move as the simulated as_of does)."""
    if debt.history and debt.history_end is None:
        return debt.model_copy(update={"history_end": month_index(profile.as_of or start)})
    return debt


def _opened(debt: Debt, when: date, day: date) -> Debt:
    """A debt taken on by a ``new_debt`` event on *when*, in the month dated *day*: nothing due yet."""
    return debt.model_copy(update={"opened": debt.opened or when, "history": ("*",), "history_end": month_index(day)})


def _advance(account: _Account, row: DebtMonth | None, day: date, paid_on: date) -> None:
    """Apply one schedule month (*row*: the debt's line of it, None when not in it) to *account*;
    what was past due at the start, once paid, was paid on *paid_on* (the start itself in month 1,
    where the catch-up is paid "now", as the plan says; else *day*).

    The month's code is how many months the oldest payment still unpaid after this month's payment
    is past due, as :func:`creditfix.metrics.late_marks` codes a payment: in the US 30 days make
    ``1`` (a payment missed this month reads ``N``), elsewhere the month it fell due in is already
    ``1`` (it is late by the month's end); ``N`` once nothing is past due, ``*`` when nothing was due."""
    debt = account.debt
    reporting = debt.status in _REPORTING
    if row is None:
        if reporting and account.appendable and debt.revolving:
            account.codes.append("*")  # a card paid off and still open: nothing due
        return
    update: dict[str, object] = {"balance": row.balance}
    if account.cleared is None and (debt.past_due or 0) > 0 and row.past_due <= 0:
        account.cleared = paid_on
    if debt.past_due is not None or row.past_due > 0:
        update["past_due"] = row.past_due
    if reporting:
        if row.past_due <= 0:
            account.age = None
        else:
            account.age = 0 if account.age is None else account.age + 1
        if account.appendable:
            if account.age is None:
                code = "N" if row.minimum > 0 else "*"
            else:
                level = account.age if account.us else account.age + 1
                code = str(min(level, 7)) if level else "N"
            account.codes.append(code)
        elif account.recorded and row.minimum > 0:
            account.records.append(_Record(day, None, row.payment))
    if row.past_due == 0:
        for record in account.records:
            if record.paid is None:
                record.paid = day
    if row.balance == 0:
        if debt.status in ("collection", "charged_off"):
            update.update(status="settled", closed=day, past_due=_ZERO)
            # US bureaus delete a paid medical collection (DOMAIN.md), as records leave on time here
            account.deleted = account.us and debt.medical is True and debt.status == "collection"
        elif not debt.revolving and debt.status in ("open", "frozen"):
            update.update(status="closed", closed=day)
    account.debt = debt.model_copy(update=update)


def _with_itemised_arrears(profile: Profile, debt: Debt, start: date) -> Debt:
    """*debt* with ``past_due`` set to its itemised payments still unpaid at *start*, when it gives
    no ``past_due`` of its own and every such payment has an amount: the schedule then pays them
    in month 1 on time, as it does a ``past_due``."""
    if debt.past_due is not None:
        return debt
    unpaid = unpaid_payments(profile, debt.id, start)
    if not unpaid or any(p.amount is None for p in unpaid):
        return debt
    return debt.model_copy(update={"past_due": sum((p.amount or _ZERO for p in unpaid), _ZERO)})


def _paid_up(payments: Sequence[Payment], accounts: Mapping[str, _Account], day: date) -> tuple[Payment, ...]:
    """The profile's own *payments*, those still unpaid marked paid when their debt was brought up
    to date (by *day*)."""
    out = []
    for payment in payments:
        account = accounts.get(payment.debt)
        cleared = account.cleared if account is not None else None
        if cleared is not None and cleared <= day and payment.paid is None and payment.due < cleared:
            payment = payment.model_copy(update={"paid": cleared})
        out.append(payment)
    return tuple(out)


def _profile_at(profile: Profile, accounts: Mapping[str, _Account], inquiries: Sequence[Inquiry], day: date) -> Profile:
    shown = {debt_id: account for debt_id, account in accounts.items() if not account.deleted}
    projected = [r.payment(debt_id) for debt_id, account in shown.items() for r in account.records]
    own = [p for p in _paid_up(profile.payments or (), accounts, day) if p.debt in shown]
    return profile.model_copy(
        update={
            "as_of": day,
            "debts": tuple(a.presented() for a in shown.values()),
            "payments": None if profile.payments is None and not projected else (*own, *projected),
            "inquiries": None
            if profile.inquiries is None and not inquiries
            else (*(profile.inquiries or ()), *(q for q in inquiries if q.date <= day)),
            "events": None,
        }
    )


def _future_inquiries(
    profile: Profile, start: date, months: int, recur: bool, joining: Iterable[Event]
) -> list[Inquiry]:
    end = add_months(start, months)
    out: list[Inquiry] = []
    if recur:
        year_ago = add_months(start, -12)
        for inquiry in profile.inquiries or ():
            if not (inquiry.is_hard and year_ago < inquiry.date <= start):
                continue
            k = 1
            while (when := add_months(inquiry.date, 12 * k)) <= end:
                out.append(inquiry.model_copy(update={"date": when}))
                k += 1
    for event in joining:
        assert event.account is not None
        out.append(
            Inquiry.model_construct(
                date=event.date,
                by=event.account.lender,
                reason=_APPLICATION.get(event.account.type, "loan_application"),
                hard=None,
            )
        )
    return sorted(out, key=lambda q: q.date)


def _changes(
    states: Sequence[SimMonth],
    evaluations: Sequence[tuple[Evaluation, Metrics]],
    lang: str,
    money: Callable[[Decimal], str],
) -> tuple[Change, ...]:
    last = len(states) - 1
    rules: dict[str, tuple[CompiledRule, int]] = {}
    for month, (evaluation, _) in enumerate(evaluations):
        for finding in evaluation.findings:
            if finding.rule.rule.severity != "info":  # notes (how long records stay...), not problems
                rules.setdefault(finding.rule.id, (finding.rule, month))
    unassessed = [{n.rule.id for n in evaluation.not_assessed} for evaluation, _ in evaluations]
    out = []
    for rule_id, (rule, first) in rules.items():
        firing = [rule_id in s.findings for s in states]
        cleared = None
        status: Status
        if not firing[last]:
            cleared = max(m for m in range(len(states)) if firing[m]) + 1
        if first == 0 and cleared is None and not all(firing):
            # clears, then comes back: report the first clear month and the return
            status = "returns"
            cleared = firing.index(False)
            first = next(m for m in range(cleared, len(states)) if firing[m])
        elif first == 0:
            status = "stays" if cleared is None else "clears"
        else:
            status = "appears" if cleared is None else "passes"
        replaced_by = None
        if status in ("clears", "passes"):
            assert cleared is not None
            replaced_by = _successor(rule, cleared, states, rules, worse=True)
            if replaced_by:
                status = "escalates"
            elif status == "clears":
                replaced_by = _successor(rule, cleared, states, rules, worse=False)
                status = "eases" if replaced_by else status
        if status in ("clears", "passes") and rule_id in unassessed[cleared]:  # type: ignore[index]
            status = "unknown"  # it fired on lower bounds, and the real values are still unknown
        seen, seen_metrics = evaluations[0 if status == "returns" else first]
        then = evaluations[cleared if cleared is not None else last][1]
        template = rule.text("title", lang)
        bounds = next((f.at_least for f in (*seen.findings, *seen.strengths) if f.rule.id == rule_id), frozenset())
        namespace = with_bounds(seen.namespaces[rule.pack], seen_metrics, bounds)  # a lower bound reads ≥3
        out.append(
            Change(
                rule_id=rule_id,
                severity=rule.rule.severity,
                title=template.render(namespace, money) if template else rule_id,
                status=status,
                appeared=first if first else None,
                cleared=cleared,
                cleared_on=states[cleared].date if cleared is not None else None,
                before={n: seen_metrics.values[n] for n in rule.evidence_names if n in seen_metrics.values},
                after={n: then.values[n] for n in rule.evidence_names if n in then.values},
                replaced_by=replaced_by,
            )
        )
    order = {"clears": 0, "eases": 1, "returns": 2, "passes": 3, "escalates": 4, "unknown": 5, "appears": 6, "stays": 7}
    return tuple(
        sorted(out, key=lambda c: (order[c.status], c.cleared or 0, c.appeared or 0, _rank(rules[c.rule_id][0])))
    )


def _successor(
    rule: CompiledRule,
    month: int,
    states: Sequence[SimMonth],
    rules: Mapping[str, tuple[CompiledRule, int]],
    *,
    worse: bool,
) -> str | None:
    """The rule that takes over from *rule* in *month*, when it stops firing then: a rule of the same
    category that reads one of the same metrics, starts firing that very month, and is more severe
    (*worse*: ``cn-late-warning`` giving way to ``cn-consecutive-late``, not a clear) or less so
    (a card from 90% to 89% of its limit: ``us-card-maxed`` easing to ``us-card-over-guideline``).
    Of several, the most severe, then the plan's order."""
    spec, reads = rule.rule, set(rule.evidence_names)
    level = SEVERITIES.index(spec.severity)
    found = [
        other
        for other_id, (other, _) in rules.items()
        if other.rule.category == spec.category
        and (SEVERITIES.index(other.rule.severity) < level if worse else SEVERITIES.index(other.rule.severity) > level)
        and reads.intersection(other.evidence_names)
        and other_id in states[month].findings
        and other_id not in states[month - 1].findings
    ]
    return min(found, key=_rank).id if found else None


def _title_of(rule_id: str | None, changes: Mapping[str, Change]) -> str | None:
    found = changes.get(rule_id) if rule_id is not None else None
    return found.title if found is not None else rule_id


def recovery(
    profile: Profile,
    packs: Sequence[CompiledPack],
    steps: Sequence[str],
    *,
    months: int,
    as_of: date | None = None,
    extra: Decimal | None = None,
    lang: str = "en",
    money: Callable[[Decimal], str] = str,
) -> Recovery:
    """The plan's recovery timeline: :func:`simulate` following the plan for *months*, and for each
    of *steps* (the plan's rule ids, in order) the month its finding clears, soonest first."""
    try:
        result = simulate(
            profile, packs, months=months, as_of=as_of, follow_plan=True, extra=extra, lang=lang, money=money
        )
    except SimulationError as exc:
        return Recovery(months, unavailable=_why_not(exc, lang))
    changes = {c.rule_id: c for c in result.changes}
    milestones = [
        Milestone(c.rule_id, c.title, c.cleared, c.cleared_on, c.before, c.after)
        if c.status == "clears"
        else Milestone(
            c.rule_id, c.title, c.cleared, c.cleared_on, c.before, c.after, eased_to=_title_of(c.replaced_by, changes)
        )
        if c.status == "eases"
        else Milestone(c.rule_id, c.title, None, None, c.before, c.after)  # stays, or clears and comes back
        for c in (changes[r] for r in steps if r in changes)
    ]
    # A milder finding that takes over from a step (cards under 80% overall, one still over) is
    # followed to its own end, so that the month-by-month timeline does not lose it.
    followed = set(steps)
    for milestone in list(milestones):
        change = changes[milestone.rule_id]
        while change.status == "eases" and change.replaced_by in changes and change.replaced_by not in followed:
            after = changes[change.replaced_by]
            followed.add(after.rule_id)
            cleared = after.status in ("clears", "passes", "eases")
            milestones.append(
                Milestone(
                    after.rule_id, after.title, after.cleared if cleared else None,
                    after.cleared_on if cleared else None, after.before, after.after,
                    eased_to=_title_of(after.replaced_by, changes) if after.status == "eases" else None,
                    follows=milestone.rule_id,
                )
            )  # fmt: skip
            change = after
    milestones.sort(key=lambda m: m.month if m.month is not None else months + 1)  # stable: plan order on ties
    first = result.months[0]
    grades = [(0, result.start, first.grade, first.provisional)]
    for state in result.months[1:]:
        if (state.grade, state.provisional) != grades[-1][2:]:
            grades.append((state.month, state.date, state.grade, state.provisional))
    return Recovery(
        months=months,
        payment=result.assumptions.budget,
        catch_up=result.assumptions.catch_up,
        grades=tuple(grades),
        milestones=tuple(milestones),
        events=result.assumptions.events,
        warning=result.warning or _heavy(profile, result.assumptions.budget, lang, money),
        extra=extra or _ZERO,
        settled=result.assumptions.settled,
        left=result.assumptions.left,
    )


def _why_not(exc: SimulationError, lang: str) -> str:
    """Why there is no recovery timeline, in *lang*: the profile gives no debts, or a debt lacks a
    term payoff needs (the others are usage errors the plan does not make)."""
    from creditfix.formats.labels import labels
    from creditfix.payoff import MissingTerm

    words = labels(lang)
    if isinstance(exc.cause, MissingTerm):
        return words[f"no_{exc.cause.field}"].format(debt=exc.cause.debt_id)
    if isinstance(exc.cause, NoPastDue):
        return words.get("no_past_due", _NO_PAST_DUE).format(debt=exc.cause.debt_id)
    if str(exc) == NO_DEBTS:
        return words.get("no_debts", NO_DEBTS)  # the English text is NO_DEBTS itself
    return str(exc)


#: Debt payments above this share of income: the timeline's assumption that they are made every
#: month deserves a word (DOMAIN.md: 70% of income is the CN high-risk level; 43% the US cap).
_HEAVY_SHARE = Decimal("0.7")


def _heavy(profile: Profile, payment: Decimal, lang: str, money: Callable[[Decimal], str]) -> str | None:
    """A warning when the timeline's monthly payment takes most of the income it is paid from."""
    income = profile.income.monthly_amount if profile.income is not None else None
    if not income or income <= 0 or payment <= _HEAVY_SHARE * income:
        return None
    from creditfix.formats.labels import labels

    return labels(lang)["heavy"].format(payment=money(payment), share=format_pct(payment / income))


__all__ = [
    "MAX_MONTHS",
    "Assumptions",
    "Change",
    "SimMonth",
    "Simulation",
    "SimulationError",
    "recovery",
    "simulate",
]
