"""Debt payoff: month-by-month schedules for avalanche, snowball, a custom order, minimums only and
the credit-aware order, side by side. Pure: takes debts, returns :class:`Schedule` values.

**The month** (DOMAIN.md "Debt payoff"; the traps public calculators fall into are named there):

1. interest once, at APR/12 on the balance owed at the start of the month, rounded half up to cents;
2. every debt gets its own minimum, capped at what it owes (never skipped while a target is paid);
3. the rest of the budget goes to the strategy's current target; money a closing debt frees rolls
   to the next target the same month.

If the budget is below the minimums due, minimums are paid in the strategy's priority order until
the money runs out and the schedule says so (:class:`Shortfall`). A schedule that does not reach
zero within ``max_months`` has ``months_to_debt_free = None``: never "paid off" with a balance left.

**Orders** (each total, never dependent on input order; ties end on the debt id):

- avalanche: highest APR first; ties: smaller balance, then id.
- snowball: smallest balance first; ties: higher APR, then id.
- custom: the given ids first, in that order; debts not listed follow in avalanche order.
- minimums: minimums only, nothing extra (the baseline "interest saved" is measured against).
- credit_aware: (1) what is overdue today: a collection or charge-off until paid, an open debt's
  ``past_due`` amount until covered (on top of the month's own minimum: the past-due amount is what
  earlier months left unpaid, so paying only the minimum never brings an account up to date);
  (2) each card or credit line over the first utilisation target down to just under it, the one
  that needs the least to get there first (ties: avalanche), so that cards get under one after
  another; (3) the same for each further target; (4) the rest in avalanche order. The targets are
  the client's rule pack's (:func:`utilisation_targets`): US 90% (a card maxed out), 30% then 10%
  (DOMAIN.md: Experian, FICO), CN 80%, 70%, 50% (the level banks flag, then creditfix's targets); rules of thumb [T],
  not law, and 30% then 10% when no pack names any.

A minimum that is not paid in full (a budget below the minimums, or a fixed payment below it) adds
what is missing to the debt's past-due amount.

Priorities are recomputed each month from the balances after interest. Balances are rounded to
cents when the plan starts. Month 1 is dated one month after ``start``.

**Events** (the profile's ``events:``) fall in the first month whose date is on or after theirs.
An event on or before ``start`` is in the past: a ``promo_end`` then applies from month 1 (the
promotion is over), the others are not applied (:func:`past_events`); nor is an event after the
schedule's last month.

- ``promo_end``: the new APR applies to that month's interest;
- ``raise`` / ``budget``: the budget grows by / becomes the amount from that month on;
- ``lump_sum``: paid that month on top of the budget, to its ``debt`` first if named, the rest (or
  all of it) down the strategy's order;
- ``new_debt``: joins the plan at the end of that month; interest and its minimum start the month
  after. A budget given as an amount stays that amount; one given as the minimums plus an extra
  grows by the new debt's minimum. The schedule is not debt-free before every new debt has joined
  and been paid.

``minimums`` (the baseline) pays each debt's minimum and nothing else: it honours the events that
change the debts (``promo_end``, ``new_debt``), not the ones that add money.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from typing import Literal

from creditfix.dates import add_months
from creditfix.model import Debt, Event
from creditfix.money import cents

_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")
_MONTHS_PER_YEAR = 12
#: The month each card gets under 30% is reported whatever the targets (``utilisation_under_30``).
_UTILISATION_30 = Decimal("0.30")
#: The credit-aware order's utilisation targets when no pack names any: rules of thumb [T]
#: (DOMAIN.md: Experian, FICO).
DEFAULT_TARGETS = (Decimal("0.30"), Decimal("0.10"))
#: Pack params that are utilisation levels worth paying a card under (cn: the level banks flag,
#: the target, the good level; us: a card maxed out, the guideline and the best level).
TARGET_PARAMS = frozenset({"card_maxed", "util_flag", "util_target", "util_good", "util_guideline", "util_best"})
#: A schedule stops once the balance is this many times what was borrowed: it is never repaid.
_RUNAWAY = 100
#: The month counts a shortfall answers with "pay this much to finish in N months" (issue 5).
SHORTFALL_HORIZONS = (36, 60)
#: Statuses with nothing left to pay.
_SETTLED = frozenset({"closed", "settled"})
#: Statuses that are overdue as a whole until paid.
_OVERDUE_STATUSES = frozenset({"collection", "charged_off"})


class Strategy(StrEnum):
    """Which debt gets the money left after the minimums."""

    avalanche = "avalanche"
    snowball = "snowball"
    custom = "custom"
    minimums = "minimums"
    credit_aware = "credit_aware"


@dataclass(frozen=True)
class DebtMonth:
    """One debt in one month. ``principal = payment - interest`` (negative when the balance grows);
    ``past_due``: what is still past due after the month's payment (an open debt's own past-due
    amount and any minimum not paid in full)."""

    id: str
    interest: Decimal
    minimum: Decimal
    payment: Decimal
    principal: Decimal
    balance: Decimal
    past_due: Decimal = _ZERO

    @property
    def minimum_missed(self) -> bool:
        """The payment fell short of the minimum due (only when the budget is below the minimums)."""
        return self.payment < self.minimum


@dataclass(frozen=True)
class MonthRow:
    """One month of the schedule: every debt in the plan, closed ones with zeros."""

    month: int
    date: date
    debts: tuple[DebtMonth, ...]

    @property
    def interest(self) -> Decimal:
        return sum((d.interest for d in self.debts), _ZERO)

    @property
    def payment(self) -> Decimal:
        return sum((d.payment for d in self.debts), _ZERO)

    @property
    def balance(self) -> Decimal:
        return sum((d.balance for d in self.debts), _ZERO)


@dataclass(frozen=True)
class Shortfall:
    """Why the plan does not work as asked, and what monthly payment would finish it.

    ``kind``: ``minimums`` (the budget is below the minimums due), ``interest`` (the payments do not
    cover the interest: negative amortisation, the balance grows; or only just cover it: it stays
    level), ``overdue`` (an account is still past due after month 1: nothing beyond the minimums
    went to it) or ``slow`` (not debt-free within ``max_months``). ``payments`` maps 36 and 60 to the level
    total monthly payment that clears everything in that many months (None when no debts have an APR
    and minimum to plan with).
    """

    kind: Literal["minimums", "interest", "overdue", "slow"]
    message: str
    payments: dict[int, Decimal]


@dataclass(frozen=True)
class Schedule:
    """A payoff plan for one strategy.

    ``budget`` is the total paid per month (for ``minimums``: the minimums due in month 1).
    ``utilisation_under_30`` maps each card or credit line with a limit to the first month its
    balance is under 30% of the limit (0: already under at the start; None: never in the schedule).
    ``interest_saved``/``months_saved`` are against minimums only and are set by :func:`compare`
    (None when minimums only does not finish within ``max_months``, so there is nothing to compare).
    ``borrowed`` is the balance of the ``new_debt`` events that joined the plan.
    """

    strategy: Strategy
    start: date
    budget: Decimal
    rows: tuple[MonthRow, ...]
    months_to_debt_free: int | None
    debt_free_date: date | None
    total_interest: Decimal
    total_paid: Decimal
    close_order: tuple[str, ...]
    utilisation_under_30: dict[str, int | None]
    shortfall: Shortfall | None
    start_balance: Decimal
    end_balance: Decimal
    borrowed: Decimal = _ZERO
    interest_saved: Decimal | None = None
    months_saved: int | None = None

    @property
    def debt_free(self) -> bool:
        """Every balance reached zero within the schedule."""
        return self.months_to_debt_free is not None


class MissingTerm(ValueError):
    """A debt with a balance lacks what payoff needs (never guessed); names the debt and the field."""

    def __init__(self, debt_id: str, field: str, hint: str) -> None:
        super().__init__(f"debt {debt_id}: no {field}; {hint}")
        self.debt_id, self.field, self.hint = debt_id, field, hint


@dataclass
class _State:
    """One debt as the schedule moves it month by month (its balance and rate change)."""

    id: str
    balance: Decimal
    apr: Decimal
    minimum: Decimal
    limit: Decimal | None
    overdue: Decimal | None  # open debt's past_due still to cover; None: not overdue
    whole_overdue: bool  # collection / charge-off: overdue until paid


def _cents(amount: Decimal) -> Decimal:
    return cents(amount)  # half up, and safe with as many digits as a hostile balance has


def _money(amount: Decimal) -> str:
    return f"{_cents(amount):,.2f}"


def _active(debts: Iterable[Debt], seen: set[str] | None = None) -> list[_State]:
    """The debts with something to pay, checked: an APR and a minimum are needed, never guessed."""
    states: list[_State] = []
    seen = set() if seen is None else seen
    for debt in debts:
        if debt.id in seen:
            raise ValueError(f"debt {debt.id}: duplicate debt id")
        seen.add(debt.id)
        balance = _cents(debt.balance)
        if balance <= 0 or debt.status in _SETTLED:
            continue
        whole = debt.status in _OVERDUE_STATUSES
        if debt.apr is None:
            rate = "the rate the collector charges (0% if none)" if whole else "the interest rate (0% if none)"
            raise MissingTerm(debt.id, "apr", f"give {rate} to plan payoff")
        if debt.min_payment is None:
            due = (
                "the monthly payment agreed with the collector (0 if none)" if whole else "the minimum monthly payment"
            )
            raise MissingTerm(debt.id, "min_payment", f"give {due} to plan payoff")
        overdue = _cents(debt.past_due) if debt.past_due and debt.past_due > 0 and not whole else None
        limit = debt.limit if debt.revolving and debt.limit is not None and debt.limit > 0 else None
        states.append(_State(debt.id, balance, debt.apr, _cents(debt.min_payment), limit, overdue, whole))
    return states


def _avalanche_key(s: _State) -> tuple[Decimal, Decimal, str]:
    return (-s.apr, s.balance, s.id)


def _snowball_key(s: _State) -> tuple[Decimal, Decimal, str]:
    return (s.balance, -s.apr, s.id)


def _under(limit: Decimal, ratio: Decimal) -> Decimal:
    """The largest balance in cents strictly under ``ratio`` of ``limit``."""
    edge = limit * ratio
    floor = edge.quantize(_CENT, rounding=ROUND_DOWN)
    return max(floor - _CENT if floor == edge else floor, _ZERO)


# A tranche: (debt, cap kind); the cap is worked out when money reaches it, from the state then.
_Tranche = tuple[_State, Literal["overdue", "all"] | Decimal]


def utilisation_targets(params: Iterable[Mapping[str, object]]) -> tuple[Decimal, ...]:
    """The utilisation levels the credit-aware order pays cards under, highest first: the
    :data:`TARGET_PARAMS` among the packs' *params* (ratios between 0 and 1), else
    :data:`DEFAULT_TARGETS`."""
    found = {
        Decimal(value)
        for mapping in params
        for name, value in mapping.items()
        if name in TARGET_PARAMS and isinstance(value, (int, Decimal)) and not isinstance(value, bool) and 0 < value < 1
    }
    return tuple(sorted(found, reverse=True)) or DEFAULT_TARGETS


def _tranches(
    open_debts: list[_State], strategy: Strategy, order: Sequence[str], targets: Sequence[Decimal]
) -> list[_Tranche]:
    avalanche = sorted(open_debts, key=_avalanche_key)
    if strategy is Strategy.snowball:
        return [(s, "all") for s in sorted(open_debts, key=_snowball_key)]
    if strategy is Strategy.custom:
        rank = {debt_id: i for i, debt_id in enumerate(order)}
        listed = sorted((s for s in open_debts if s.id in rank), key=lambda s: rank[s.id])
        return [(s, "all") for s in listed + [s for s in avalanche if s.id not in rank]]
    if strategy is Strategy.credit_aware:
        tranches: list[_Tranche] = [(s, "overdue") for s in avalanche if s.whole_overdue or s.overdue]
        revolving = [(s, s.limit) for s in open_debts if s.limit is not None]
        for ratio in targets:
            # The card nearest the level first (the least money to get under it; ties: avalanche):
            # cards get under one after another. Most used first would move to the other card as soon
            # as the first one's use fell below it, keeping both over the level for months.
            over = sorted(
                ((s, s.balance - _under(limit, ratio)) for s, limit in revolving if s.balance > _under(limit, ratio)),
                key=lambda pair: (pair[1], _avalanche_key(pair[0])),
            )
            tranches += [(s, ratio) for s, _ in over]
        return tranches + [(s, "all") for s in avalanche]
    return [(s, "all") for s in avalanche]


def _cap(state: _State, kind: Literal["overdue", "all"] | Decimal) -> Decimal:
    if kind == "all" or (kind == "overdue" and state.whole_overdue):
        return state.balance
    if kind == "overdue":
        return min(state.overdue or _ZERO, state.balance)
    assert state.limit is not None
    assert isinstance(kind, Decimal)
    return max(state.balance - _under(state.limit, kind), _ZERO)


def _pay(state: _State, amount: Decimal) -> None:
    state.balance -= amount
    if state.overdue is not None:
        state.overdue = max(state.overdue - amount, _ZERO)


def event_month(when: date, start: date) -> int:
    """The schedule month an event dated *when* falls in: the first whose date is on or after it
    (0 or less: on or before *start*, in the past)."""
    month = (when.year - start.year) * _MONTHS_PER_YEAR + when.month - start.month
    return month + 1 if month >= 0 and add_months(start, month) < when else month


def past_events(events: Iterable[Event], start: date) -> list[Event]:
    """The events on or before *start* that are not applied: they already happened (a past
    ``promo_end`` is applied: its APR is the one in force)."""
    return [e for e in events if e.date <= start and e.type != "promo_end"]


@dataclass
class _Timeline:
    """The events by the month they fall in (only months from 1 on)."""

    apr: dict[int, list[tuple[str, Decimal]]] = field(default_factory=dict)
    budget: dict[int, list[tuple[str, Decimal]]] = field(default_factory=dict)
    lump: dict[int, list[tuple[Decimal, str | None]]] = field(default_factory=dict)
    new: dict[int, list[_State]] = field(default_factory=dict)

    @property
    def last_new(self) -> int:
        return max(self.new, default=0)


def _timeline(
    events: Iterable[Event], start: date, states: list[_State], *, horizon: int, money: bool = True
) -> _Timeline:
    """Sort *events* into months 1 to *horizon*; ``money=False`` leaves out raises and budget changes."""
    timeline = _Timeline()
    seen = {s.id for s in states}
    for event in sorted(events, key=lambda e: e.date):
        month = event_month(event.date, start)
        if month < 1 and event.type == "promo_end":
            month = 1  # the promotion is already over: its APR is the one in force
        if not 1 <= month <= horizon:
            continue
        if event.type == "promo_end" and event.debt is not None and event.apr is not None:
            timeline.apr.setdefault(month, []).append((event.debt, event.apr))
        elif event.type in ("raise", "budget") and event.amount is not None and money:
            timeline.budget.setdefault(month, []).append((event.type, _cents(event.amount)))
        elif event.type == "lump_sum" and event.amount is not None:
            timeline.lump.setdefault(month, []).append((_cents(event.amount), event.debt))
        elif event.type == "new_debt" and event.account is not None:
            timeline.new.setdefault(month, []).extend(_active([event.account], seen))
    return timeline


@dataclass(frozen=True)
class _Run:
    """What one simulation of a schedule gives: its months, when it ends (None: not within the
    months simulated), the order debts close in and the month each card gets down to 30% of its limit."""

    rows: tuple[MonthRow, ...]
    months: int | None
    close_order: tuple[str, ...]
    under_30: dict[str, int | None]
    missed: int | None = None  # first month a minimum was missed
    borrowed: Decimal = _ZERO


def _simulate(
    states: list[_State],
    strategy: Strategy,
    budget: Decimal | None,
    order: Sequence[str],
    start: date,
    max_months: int,
    timeline: _Timeline | None = None,
    fixed: Mapping[str, Decimal] | None = None,
    grow: bool = False,
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
) -> _Run:
    timeline = timeline or _Timeline()
    states = list(states)
    future = {s.id: s for month in timeline.new.values() for s in month}
    rows: list[MonthRow] = []
    closed: list[str] = []
    missed: int | None = None
    borrowed = _ZERO
    under_30: dict[str, int | None] = {
        s.id: (0 if s.balance <= _under(s.limit, _UTILISATION_30) else None) for s in states if s.limit is not None
    }
    if not any(s.balance > 0 for s in states) and not timeline.new:
        return _Run((), 0, (), under_30)
    owed = sum((s.balance for s in states), _ZERO)
    for month in range(1, max_months + 1):
        by_id = {s.id: s for s in states} | future
        for debt_id, apr in timeline.apr.get(month, ()):
            if debt_id in by_id:
                by_id[debt_id].apr = apr
        if budget is not None:
            for kind, amount in timeline.budget.get(month, ()):
                budget = amount if kind == "budget" else budget + amount
        interest = {s.id: _cents(s.balance * s.apr / _MONTHS_PER_YEAR) for s in states}
        for s in states:
            s.balance += interest[s.id]
        open_debts = [s for s in states if s.balance > 0]
        tranches = _tranches(open_debts, strategy, order, targets)
        minimum = {s.id: min(s.minimum, s.balance) for s in states}
        paid = dict.fromkeys(minimum, _ZERO)
        left = budget
        priority = list({t[0].id: t[0] for t in tranches}.values())
        # Minimums first, in priority order so that a short budget misses the least urgent ones.
        # A minimum pays the month's own due, not what is past due from earlier months.
        for s in priority:
            due = minimum[s.id] if fixed is None or s.id not in fixed else min(fixed[s.id], s.balance)
            amount = due if left is None else min(due, left)
            s.balance -= amount
            paid[s.id] += amount
            if left is not None:
                left -= amount
            if amount < minimum[s.id]:
                missed = month if missed is None else missed
                if not s.whole_overdue:
                    s.overdue = (s.overdue or _ZERO) + minimum[s.id] - amount
        if fixed is not None:
            left = _ZERO  # nothing beyond the fixed payments, but lump sums
        if left is not None:
            for amount, target in timeline.lump.get(month, ()):
                state = by_id.get(target) if target is not None else None
                if state is not None and target not in future and state.balance > 0:
                    direct = min(amount, state.balance)
                    _pay(state, direct)
                    paid[state.id] += direct
                    amount -= direct
                left += amount
            for s, level in tranches:
                if left <= 0:
                    break
                amount = min(left, _cap(s, level))
                _pay(s, amount)
                paid[s.id] += amount
                left -= amount
        closed += [s.id for s in priority if s.balance == 0]  # same month: in priority order
        for s in timeline.new.get(month, ()):
            if grow and budget is not None:
                budget += s.minimum  # a budget of "the minimums plus extra" covers a new debt's minimum too
            states.append(s)
            del future[s.id]
            interest[s.id] = minimum[s.id] = paid[s.id] = _ZERO
            borrowed += s.balance
            if s.limit is not None:
                under_30[s.id] = None
        for s in states:
            if s.limit is not None and under_30[s.id] is None and s.balance <= _under(s.limit, _UTILISATION_30):
                under_30[s.id] = month
        rows.append(
            MonthRow(
                month,
                add_months(start, month),
                tuple(
                    DebtMonth(
                        s.id,
                        interest[s.id],
                        minimum[s.id],
                        paid[s.id],
                        paid[s.id] - interest[s.id],
                        s.balance,
                        min(s.overdue or _ZERO, s.balance),
                    )
                    for s in states
                ),
            )
        )
        if month >= timeline.last_new and all(s.balance == 0 for s in states):
            return _Run(tuple(rows), month, tuple(closed), under_30, missed, borrowed)
        if rows[-1].balance > _RUNAWAY * (owed + borrowed):
            break  # the interest outgrows every payment: it never ends, and the numbers would overflow
    return _Run(tuple(rows), None, tuple(closed), under_30, missed, borrowed)


def _budget(states: list[_State], strategy: Strategy, budget: Decimal | None, extra: Decimal | None) -> Decimal | None:
    if budget is not None and extra is not None:
        raise ValueError("give a budget or an extra amount, not both")
    for name, value in (("budget", budget), ("extra", extra)):
        if value is not None and (not value.is_finite() or value < 0):
            raise ValueError(f"{name} must be a non-negative amount")
    if strategy is Strategy.minimums:
        return None
    if budget is not None:
        return _cents(budget)
    return sum((s.minimum for s in states), _ZERO) + _cents(extra or _ZERO)


def _check_order(debts: Sequence[Debt], strategy: Strategy, order: Sequence[str], events: Sequence[Event] = ()) -> None:
    if strategy is not Strategy.custom:
        if order:
            raise ValueError("an order is only used by the custom strategy")
        return
    if not order:
        raise ValueError("the custom strategy needs an order of debt ids")
    known = {d.id for d in debts} | {e.account.id for e in events if e.account is not None}
    seen: set[str] = set()
    for debt_id in order:
        if debt_id not in known:
            raise ValueError(f"order: no debt with id {debt_id}")
        if debt_id in seen:
            raise ValueError(f"order: debt {debt_id} is listed twice")
        seen.add(debt_id)


def plan_payoff(
    debts: Sequence[Debt],
    *,
    strategy: Strategy,
    budget: Decimal | None = None,
    extra: Decimal | None = None,
    order: Sequence[str] = (),
    start: date,
    max_months: int = 600,
    events: Sequence[Event] = (),
    pay: Mapping[str, Decimal] | None = None,
    answer_shortfall: bool = True,
    money: Callable[[Decimal], str] | None = None,
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
) -> Schedule:
    """The month-by-month schedule of *strategy*.

    *budget* is the total paid each month; *extra* means the minimums due at the start plus *extra*
    (neither: the minimums, with freed money rolling on). ``minimums`` ignores both. *events* are
    honoured as the module says. *pay* (``minimums`` only) pays the debts it names that amount each
    month instead of their minimum — less than the minimum is a missed payment — and lump sums go
    down the avalanche order. ``answer_shortfall=False`` leaves out the payments that would finish
    in 36 and 60 months (a search of many schedules). *money* formats the amounts in a shortfall's
    message (default ``1,234.56``). *targets* are credit-aware's utilisation levels
    (:func:`utilisation_targets`). Raises ``ValueError`` naming the debt for a debt with a balance
    but no APR or no minimum, and for an order that names unknown or repeated debts.
    """
    if max_months < 1:
        raise ValueError("max_months must be at least 1")
    _check_order(debts, strategy, order, events)
    if pay is not None:
        known = {d.id for d in debts} | {e.account.id for e in events if e.account is not None}
        if strategy is not Strategy.minimums:
            raise ValueError("fixed payments are only used with the minimums strategy")
        for debt_id, amount in pay.items():
            if debt_id not in known:
                raise ValueError(f"--pay: no debt with id {debt_id}")
            if not amount.is_finite() or amount < 0:
                raise ValueError(f"--pay: {debt_id}: must be a non-negative amount")
        pay = {k: _cents(v) for k, v in pay.items()}
    states = _active(debts)
    monthly = _budget(states, strategy, budget, extra)
    timeline = _timeline(events, start, states, horizon=max_months, money=monthly is not None or pay is not None)
    start_balance = sum((s.balance for s in states), _ZERO)
    # Interest and minimums of month 1, before the simulation changes the balances.
    first_interest = sum((_cents(s.balance * s.apr / _MONTHS_PER_YEAR) for s in states), _ZERO)
    first_minimums = sum(
        (min(s.minimum, s.balance + _cents(s.balance * s.apr / _MONTHS_PER_YEAR)) for s in states), _ZERO
    )
    run = _simulate(
        states, strategy, monthly, order, start, max_months, timeline, pay, grow=budget is None, targets=targets
    )
    total_interest = sum((r.interest for r in run.rows), _ZERO)
    total_paid = sum((r.payment for r in run.rows), _ZERO)
    end_balance = run.rows[-1].balance if run.rows else start_balance
    schedule = Schedule(
        strategy=strategy,
        start=start,
        budget=first_minimums if monthly is None else monthly,
        rows=run.rows,
        # A run that missed a minimum is not a way out of debt: the late marks, fees and penalty
        # rates it would bring are not modelled (simulate --pay shows the arrears), so no date.
        months_to_debt_free=run.months if run.missed is None else None,
        debt_free_date=None if run.months is None or run.missed is not None else add_months(start, run.months),
        total_interest=total_interest,
        total_paid=total_paid,
        close_order=run.close_order,
        utilisation_under_30=run.under_30,
        shortfall=None,
        start_balance=start_balance,
        end_balance=end_balance,
        borrowed=run.borrowed,
    )
    shortfall = _shortfall(schedule, monthly, first_interest, first_minimums, max_months, run.missed, money or _money)
    if shortfall is None:
        return schedule
    kind, message = shortfall
    if not answer_shortfall or kind == "overdue":  # a level payment over years is no answer to that
        return replace(schedule, shortfall=Shortfall(kind, message, {}))
    payments = {
        n: payment_for(debts, n, strategy=strategy, order=order, start=start, events=events, targets=targets)
        for n in SHORTFALL_HORIZONS
    }
    return replace(schedule, shortfall=Shortfall(kind, message, payments))


def _shortfall(
    schedule: Schedule,
    monthly: Decimal | None,
    first_interest: Decimal,
    first_minimums: Decimal,
    max_months: int,
    missed: int | None = None,
    money: Callable[[Decimal], str] = _money,
) -> tuple[Literal["minimums", "interest", "overdue", "slow"], str] | None:
    if schedule.start_balance + schedule.borrowed == 0:
        return None
    if monthly is not None and monthly < first_minimums:
        return (
            "minimums",
            f"the budget of {money(monthly)} a month is below the minimums due ({money(first_minimums)}): "
            "some minimum payments would be missed",
        )
    if missed is not None and monthly is not None:
        row = schedule.rows[missed - 1]
        return (
            "minimums",
            f"from month {missed} ({row.date.isoformat()}) the budget is below the minimums due "
            f"({money(sum((d.minimum for d in row.debts), _ZERO))}): some minimum payments would be missed",
        )
    if schedule.start_balance == 0:  # only debts still to come
        return None if schedule.debt_free else ("slow", f"not debt-free within {max_months} months at this payment")
    first = schedule.rows[0]
    # A payment exactly equal to the interest does not make the balance grow: it stays level.
    if monthly is not None and first.payment < first.interest:
        return (
            "interest",
            f"the budget of {money(monthly)} a month does not cover the interest ({money(first_interest)} "
            "in month 1): the balance grows instead of falling",
        )
    if monthly is not None and first.payment == first.interest:
        return (
            "interest",
            f"the budget of {money(monthly)} a month only pays the interest ({money(first_interest)} "
            "in month 1): the balance does not go down",
        )
    still = [(d.id, d.past_due) for d in first.debts if d.past_due > 0] if missed is None else []
    if still:  # every minimum paid, but nothing beyond went to what an account was already past due
        which = ", ".join(f"{debt_id} ({money(amount)})" for debt_id, amount in still)
        total = sum((amount for _, amount in still), _ZERO)
        return (
            "overdue",
            f"still past due after month 1: {which}; the minimums never bring an account up to date, so pay "
            f"{money(total)} on top of them to it in month 1 to stop further late months",
        )
    if schedule.debt_free:
        return None
    growing = [d.id for d in first.debts if d.principal < 0]
    if monthly is None and growing:
        which = "that balance grows" if len(growing) == 1 else "those balances grow"
        return (
            "interest",
            f"the minimum payment does not cover the interest of {', '.join(growing)}: "
            f"paying only the minimums, {which} instead of falling",
        )
    level = [d.id for d in first.debts if d.principal == 0 and d.balance > 0]
    if monthly is None and level:
        which = "that balance does not go down" if len(level) == 1 else "those balances do not go down"
        return (
            "interest",
            f"the minimum payment only pays the interest of {', '.join(level)}: paying only the minimums, {which}",
        )
    if schedule.end_balance > schedule.start_balance + schedule.borrowed:
        # Falls at first, then debts whose payment is below their interest outgrow the rest.
        return (
            "interest",
            f"the payments do not keep up with the interest: the balance grows from "
            f"{money(schedule.start_balance)} to {money(schedule.end_balance)} in {max_months} months",
        )
    if not schedule.debt_free:
        return "slow", f"not debt-free within {max_months} months at this payment"
    return None


def payment_for(
    debts: Sequence[Debt],
    months: int,
    *,
    strategy: Strategy = Strategy.avalanche,
    order: Sequence[str] = (),
    start: date,
    events: Sequence[Event] = (),
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
) -> Decimal:
    """The smallest level total monthly payment (to the cent, never below the minimums due) that
    makes *debts* debt-free within *months* under *strategy* (``minimums`` plans with avalanche).
    Of *events*, all but raises and budget changes are honoured (the payment is level).

    Found by bisection on the simulation itself, so it agrees with :func:`plan_payoff` exactly.
    """
    if months < 1:
        raise ValueError("months must be at least 1")
    if strategy is Strategy.minimums:
        strategy, order = Strategy.avalanche, ()
    _check_order(debts, strategy, order, events)
    states = _active(debts)
    if not states and not any(e.type == "new_debt" for e in events):
        return _ZERO

    def finishes(payment: Decimal) -> bool:
        fresh = _active(debts)
        timeline = _timeline(events, start, fresh, horizon=months, money=False)
        run = _simulate(fresh, strategy, payment, order, start, months, timeline, targets=targets)
        return run.months is not None

    minimums = sum((s.minimum for s in states), _ZERO)
    # One month of interest on everything plus the balance clears it all in month 1 (and each new
    # debt, with a month of interest, the month after it joins).
    later = [
        _active([e.account])
        for e in events
        if e.type == "new_debt" and e.account is not None and 1 <= event_month(e.date, start) <= months
    ]
    high = sum((s.balance + _cents(s.balance * s.apr / _MONTHS_PER_YEAR) for s in states), _ZERO) + sum(
        (s.balance + _cents(s.balance * s.apr / _MONTHS_PER_YEAR) + s.minimum for group in later for s in group),
        _ZERO,
    )
    low = max(minimums - _CENT, _ZERO)
    low += _CENT
    if high <= low or finishes(low):
        return low
    # Invariant: low does not finish, high does. Bisection over whole cents.
    low_c, high_c = int(low * 100), int(high * 100)
    while high_c - low_c > 1:
        mid = (low_c + high_c) // 2
        if finishes(Decimal(mid) / 100):
            high_c = mid
        else:
            low_c = mid
    return (Decimal(high_c) / 100).quantize(_CENT)


def compare(
    debts: Sequence[Debt],
    *,
    budget: Decimal | None = None,
    extra: Decimal | None = None,
    order: Sequence[str] = (),
    start: date,
    max_months: int = 600,
    events: Sequence[Event] = (),
    money: Callable[[Decimal], str] | None = None,
    targets: Sequence[Decimal] = DEFAULT_TARGETS,
) -> list[Schedule]:
    """Every strategy side by side (custom only when *order* is given), in :class:`Strategy` order,
    each with the interest and months saved against minimums only (*targets*: credit-aware's)."""
    baseline = plan_payoff(
        debts, strategy=Strategy.minimums, start=start, max_months=max_months, events=events, money=money
    )
    schedules: list[Schedule] = []
    for strategy in Strategy:
        if strategy is Strategy.custom and not order:
            continue
        if strategy is Strategy.minimums:
            schedule = baseline
        else:
            schedule = plan_payoff(
                debts,
                strategy=strategy,
                budget=budget,
                extra=extra,
                order=order if strategy is Strategy.custom else (),
                start=start,
                max_months=max_months,
                events=events,
                money=money,
                targets=targets,
            )
        if baseline.debt_free:
            assert baseline.months_to_debt_free is not None
            saved_months = (
                None
                if schedule.months_to_debt_free is None
                else baseline.months_to_debt_free - schedule.months_to_debt_free
            )
            schedule = replace(
                schedule,
                interest_saved=baseline.total_interest - schedule.total_interest if schedule.debt_free else None,
                months_saved=saved_months,
            )
        schedules.append(schedule)
    return schedules
