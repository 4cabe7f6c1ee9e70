"""The metric vocabulary and ``compute_metrics``: one catalogue, one place for every derivation.

Every metric has a name, a unit, a one-line meaning and its derivation. Rules, client tables,
``creditfix metrics``, docs and JSON all use these names. A metric the data cannot support is
*unavailable with a reason*, never 0 and never guessed.

Conventions (documented once, used everywhere):

- **Windows** count back from ``as_of``. A dated event (inquiry, opening) is in the N-month window
  when it is after ``as_of`` minus N months and not after ``as_of``. A monthly record (history code,
  payment due month) is in the window when its month is one of the N calendar months ending with
  the ``as_of`` month.
- **History** ends at ``history_end`` (YYYY-MM) when given, else at the profile's own ``as_of``
  month, else at the evaluation month. Itemised payments become month codes too, as a monthly
  record shows them (:func:`late_marks`): each month a payment stayed unpaid at its end gets the
  code for its days late then (CN and others: ``ceil(days/30)``, so 1-30 days = ``1``, and the due
  month gets ``1`` for any day late; US: ``days // 30``, since US lenders report from 30 days
  late), capped at ``7``; the month it was paid in shows the code it had reached when that is worse
  than the month before. An unpaid payment is late by the days from due to ``as_of``. So a payment
  95 days late is four late months (``1234``; US ``N123``), not one. Where history and payments
  both describe a month, the worse code counts, so both forms give the same answers for the same
  facts.
- **Coverage**: a debt's months from the one after ``opened`` to the one before ``as_of`` (see
  :meth:`_Context._uncovered` for closed and defaulted debts) should each have a code; where one in
  a window has none (or ``#``), counts over the window are lower bounds and rates unavailable.
- **Late** months are codes ``1``-``7`` and ``B``; **severe** (90+ days) ones are ``3``+ and ``B`` in
  the US (the "90" token) and ``4``+ and ``B`` elsewhere (a PBOC ``3`` is 61-90 days).
"""

from __future__ import annotations

import bisect
import functools
import math
import re
from collections.abc import Callable, Container, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from itertools import repeat
from operator import truediv
from typing import Literal, NamedTuple, TypeVar

from creditfix.dates import add_months, in_window, month_index, month_label, months_between
from creditfix.model import LATE_CODES, SCORE_RANGES, Debt, Inquiry, Payment, Profile, PublicRecord
from creditfix.money import AmountError, cents, parse_amount, parse_rate

Unit = Literal["money", "ratio", "count", "months", "bool", "score"]
MetricValue = Decimal | int | bool


@dataclass(frozen=True)
class MetricSpec:
    """One entry of the vocabulary."""

    name: str
    unit: Unit
    meaning: str
    derivation: str


def _spec(name: str, unit: Unit, meaning: str, derivation: str) -> tuple[str, MetricSpec]:
    return name, MetricSpec(name, unit, meaning, derivation)


#: The vocabulary, in the order it is shown.
CATALOGUE: dict[str, MetricSpec] = dict(
    [
        _spec(
            "monthly_income",
            "money",
            "Income per month (US: gross, before tax, as DTI guidelines use)",
            "income.monthly, or income.annual / 12",
        ),
        _spec("income_verified", "bool", "Proof of income has been given to lenders", "income.verified"),
        _spec(
            "monthly_debt_payments",
            "money",
            "Minimum payments due each month",
            "sum of min_payment over debts with a balance that are open, frozen or closed by the lender",
        ),
        _spec(
            "debt_to_income",
            "ratio",
            "Share of income that goes to debt payments",
            "monthly_debt_payments / monthly_income",
        ),
        _spec("total_debt", "money", "Everything owed", "sum of balance over all debts"),
        _spec(
            "revolving_balance",
            "money",
            "Owed on cards and credit lines",
            "sum of balance over cards and credit lines that are open, frozen or closed by the lender"
            " (CN: not a line closed by the lender, whose balance is a loan being repaid)",
        ),
        _spec("revolving_limit", "money", "Credit limits of those cards and lines", "sum of their limit"),
        _spec(
            "revolving_utilization",
            "ratio",
            "Share of revolving credit in use",
            "revolving_balance / revolving_limit",
        ),
        _spec(
            "max_card_utilization",
            "ratio",
            "Utilisation of the most used card or line",
            "max of balance / limit over the same cards and lines",
        ),
        _spec(
            "max_card_balance",
            "money",
            "Balance on the most used card or line",
            "balance of the card or line with max_card_utilization (the larger balance on a tie)",
        ),
        _spec(
            "max_card_limit",
            "money",
            "Limit of the most used card or line",
            "limit of the same card or line",
        ),
        _spec(
            "minimums_below_interest",
            "count",
            "Debts whose minimum payment does not cover the month's interest (the balance never falls)",
            "debts being repaid with min_payment <= balance x apr / 12",
        ),
        _spec(
            "interest_gap",
            "money",
            "Extra a month those minimums need just to stop the balances growing",
            "sum over those debts of balance x apr / 12 - min_payment, in cents",
        ),
        *(
            _spec(
                f"inquiries_{n}m",
                "count",
                f"Hard inquiries in the last {n} month{'s' if n > 1 else ''}",
                f"hard inquiries dated after as_of minus {n} month{'s' if n > 1 else ''}, up to as_of"
                " (US: mortgage, auto or student loan applications of one kind within 14 days count once)",
            )
            for n in (1, 3, 6, 12, 24)
        ),
        _spec(
            "late_payments_12m",
            "count",
            "Late months in the last 12 months, each debt's added up",
            "debt-months with code 1-7 or B among the 12 months ending with as_of, summed over debts",
        ),
        _spec(
            "late_payments_24m",
            "count",
            "Late months in the last 24 months, each debt's added up",
            "as above over 24 months",
        ),
        _spec(
            "severe_late_24m",
            "count",
            "Months 90+ days late in the last 24 months",
            "debt-months with code 3-7 or B in 24 months (US: the 90 token or worse); CN: code 4-7 or B"
            " (a PBOC code 3 is 61-90 days)",
        ),
        _spec(
            "max_consecutive_late_24m",
            "months",
            "Longest run of late months on one debt (连三 = 3)",
            "longest run of consecutive late months on any single debt within 24 months; a code k in"
            " the window counts as a run of k (it says k months past due: a 4 alone is a 连三 whose"
            " start is older than the window)",
        ),
        _spec(
            "max_months_past_due_24m",
            "months",
            "Worst delinquency in 24 months, in months past due",
            "highest code 1-7 in 24 months (B counts as 7)",
        ),
        _spec(
            "months_since_last_late",
            "months",
            "Months since the most recent late month",
            "as_of month minus the month of the latest late code on any debt",
        ),
        _spec(
            "on_time_rate_12m",
            "ratio",
            "Share of months on time in 12 months, over every account with a payment due",
            "on-time account-months / (on-time + late account-months) in 12 months, as the repayment grid"
            " reads (a payment 95 days late is 4 late months); months with nothing due are left out",
        ),
        _spec(
            "overdue_accounts",
            "count",
            "Debts overdue today that can still be brought up to date",
            "debts with past_due > 0, a late code in the as_of month or an unpaid itemised payment;"
            " not those in collection or charged off (see defaulted_balance)",
        ),
        _spec(
            "overdue_amount",
            "money",
            "Amount overdue today on those debts",
            "sum of past_due (or of the unpaid itemised payments) over the overdue_accounts",
        ),
        _spec(
            "defaulted_balance",
            "money",
            "Balance owed on debts in collection or charged off",
            "sum of balance over debts with status collection or charged_off, or a B code in their history"
            " and not settled or closed",
        ),
        _spec(
            "negative_records",
            "count",
            "Negative records still on the report",
            "late runs, bad debts, collections and charge-offs not yet past their clean-by date"
            " (CN: 5 years after the overdue ends; US: 7 years after the delinquency)",
        ),
        _spec(
            "relief_2025_records",
            "count",
            "CN late records the PBOC's 2025 relief may have removed",
            "late records dated 2020-2025 whose overdue ended by 2026-03 (the relief also needs each at most"
            " ¥10,000: check the amount); 0 outside CN or before the notice of 2025-12-22",
        ),
        _spec(
            "expired_records",
            "count",
            "Negative records past their clean-by date",
            "records of the debts list that should already have left the report (see negative_records)",
        ),
        _spec(
            "defaults_on_file",
            "count",
            "Collections, charge-offs and bad debts still on the report",
            "those of the negative_records, paid or not (US: a debt settled after a delinquency, with"
            " first_delinquency, too)",
        ),
        _spec(
            "bankruptcies_on_file",
            "count",
            "Bankruptcies still on the report",
            "public_records of type bankruptcy; in the US, those filed less than 10 years ago (Chapter 12 and 13:"
            " 7 years)",
        ),
        _spec(
            "months_since_bankruptcy",
            "months",
            "Months since the latest bankruptcy on file was filed",
            "whole months from the filing date of the latest of the bankruptcies_on_file to as_of",
        ),
        _spec(
            "chapter13_open",
            "count",
            "US Chapter 13 cases whose repayment plan may still be running",
            "bankruptcies_on_file of chapter 13 with no discharged date, filed less than 60 months ago"
            " (plans last 3 to 5 years)",
        ),
        _spec(
            "medical_off_report",
            "count",
            "US medical collections that bureaus no longer report",
            "debts with medical: true in collection and paid, under $500 or with a first_delinquency less than"
            " 12 months ago, or settled (US; bureau policy since 2023)",
        ),
        _spec(
            "collection_accounts",
            "count",
            "Debts in collection, still owed and reported",
            "debts with status collection and a balance, whose record is not past its clean-by date"
            " (nor a US medical collection under $500: see medical_off_report)",
        ),
        _spec(
            "charged_off_accounts",
            "count",
            "Debts charged off or bad debt (呆账), still owed and reported",
            "debts with status charged_off, or a B code in their history and not settled or closed, with a balance,"
            " whose record is not past its clean-by date",
        ),
        _spec("closed_by_lender", "count", "Credit lines closed by the lender", "debts with status closed_by_lender"),
        _spec(
            "credit_age_months",
            "months",
            "Age of the oldest account on the report",
            "whole months from the earliest opened (not an account whose record is past its date)",
        ),
        _spec(
            "credit_accounts",
            "count",
            "Credit accounts on file",
            "number of debts, whatever their status, but one whose record is past its date and a collection"
            " (a collector's account of a debt, not credit)",
        ),
        _spec("open_accounts", "count", "Accounts open today", "debts with status open or frozen"),
        _spec(
            "new_accounts_6m",
            "count",
            "Accounts opened in the last 6 months",
            "debts opened after as_of minus 6 months",
        ),
        _spec(
            "lenders_with_balance",
            "count",
            "Different lenders currently owed",
            "distinct lender (or debt id when no lender is given) over debts with a balance",
        ),
        _spec(
            "loan_lenders_with_balance",
            "count",
            "Different lenders currently owed on credit lines and personal loans (多头借贷)",
            "as lenders_with_balance, over credit lines, personal loans and other debts (no cards,"
            " mortgages, car, student or business loans)",
        ),
        _spec("score", "score", "Credit score", "score.value"),
        _spec(
            "score_pct",
            "ratio",
            "Score as a share of its scale's range",
            "(score - scale minimum) / (scale maximum - scale minimum); Sesame 350-950, FICO/Vantage 300-850",
        ),
    ]
)

#: Debt statuses whose balance is still being repaid on a schedule.
_REPAYING = frozenset({"open", "frozen", "closed_by_lender"})
_T = TypeVar("_T")
_DEFAULTED = frozenset({"collection", "charged_off"})
#: Records (:class:`CleanBy` items) of a default: collection, charge-off, bad debt (呆账).
_DEFAULT_ITEMS = frozenset({"collection", "charged_off", "bad_debt", "settled"})
_US = "US"
_CN = "CN"


class MetricUnavailable(Exception):
    """Raised inside a derivation: the data cannot support the metric, for the reason given."""


#: Reasons that say the data is there but holds nothing to measure (no cards: no card use), not
#: that something is missing: a rule reading only such metrics is *not applicable*, and no data
#: would change that (see :attr:`Metrics.not_applicable`).
NOTHING_TO_MEASURE = frozenset(
    {
        "no open cards or credit lines",
        "no card or line has a limit above 0",
        "no revolving credit limit",
        "no late month in the history given",
        "no payment was due in the last 12 months",
        "no debt was opened by as_of",
        "no bankruptcy on file",
    }
)


@dataclass(frozen=True)
class Metrics:
    """The metric values of one profile on one date, and why the others are unavailable."""

    as_of: date
    values: Mapping[str, MetricValue]
    unavailable: Mapping[str, str]
    supplied: frozenset[str] = field(default_factory=frozenset)
    #: For some unavailable metrics, a value the real one is known to reach: the lates and runs
    #: counted on the debts that have a history when another debt still owed has none. Only a
    #: rule that can only start firing as such a metric grows may read it (see the rule engine).
    at_least: Mapping[str, MetricValue] = field(default_factory=dict)

    def get(self, name: str) -> MetricValue | None:
        """The value, or None when unavailable (see :attr:`unavailable` for the reason)."""
        return self.values.get(name)

    @property
    def not_applicable(self) -> frozenset[str]:
        """The unavailable metrics with nothing to measure (:data:`NOTHING_TO_MEASURE`)."""
        return frozenset(n for n, reason in self.unavailable.items() if reason in NOTHING_TO_MEASURE)


def coerce_metric(name: str, value: object) -> MetricValue:
    """Convert a given value (YAML scalar or CSV text) to the unit of metric *name*."""
    unit = CATALOGUE[name].unit
    if unit == "bool":
        return coerce_bool(value)
    try:
        if unit == "money":
            amount = parse_amount(value)
            if amount < 0:
                raise ValueError("must not be negative")
            return amount
        if unit == "ratio":
            ratio = parse_rate(value)
            if ratio < 0:
                raise ValueError("must not be negative")
            return ratio
        number = parse_amount(value)
    except AmountError as exc:
        raise ValueError(str(exc)) from None
    if number != number.to_integral_value() or number < 0:
        raise ValueError("expected a whole number, not negative")
    return int(number)


_TRUE_WORDS = {"true", "yes", "y", "1", "是", "已验证"}
_FALSE_WORDS = {"false", "no", "n", "0", "否", "未验证"}


def coerce_bool(value: object) -> bool:
    """True/false from a YAML bool or spreadsheet text (true/false, yes/no, 1/0, 是/否)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE_WORDS:
            return True
        if word in _FALSE_WORDS:
            return False
    raise ValueError("expected true or false")


# --- repayment history -------------------------------------------------------------------------

_SEVERITY = {"N": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "B": 8}


def _worse(a: str | None, b: str) -> str:
    """The code that says more about repayment: a late beats on time beats no-payment codes."""
    if a is None:
        return b
    return b if _SEVERITY.get(b, -1) > _SEVERITY.get(a, -1) else a


def days_late_code(days: int, jurisdiction: str | None) -> str:
    """The month code for a payment *days* late (see the module docstring)."""
    if days <= 0:
        return "N"
    periods = days // 30 if jurisdiction == _US else math.ceil(days / 30)
    return "N" if periods == 0 else str(min(periods, 7))


@functools.lru_cache(maxsize=4096)
def late_marks(due: date, end: date, us: bool) -> tuple[tuple[tuple[int, str], ...], range]:
    """The month codes of one payment due on *due* and paid on *end* (or unpaid on *end*, the
    ``as_of`` date), as a monthly record shows them: (month, code) pairs, and the months that read
    ``7`` once it has been 180+ days late at two month ends in a row (a range: a payment unpaid for
    decades is not a pair per month).

    Each month the payment stayed unpaid at its end gets the code for the days late then
    (:func:`days_late_code`); the due month gets ``1`` for any day late outside the US (US lenders
    report from 30 days). The month of *end* gets the code for the days late on *end* when that is
    worse than the month before it: a payment that reached a new code before it was paid (or by
    ``as_of``) shows it. A payment due on 15 January and paid on 20 April (95 days) reads ``1234``
    from January to April (US ``N123``), as the account's history string does; one due on 31 January
    and paid on 2 February reads ``1`` (January) alone.
    """
    jurisdiction = _US if us else None
    first, last = month_index(due), month_index(end)
    if end <= due:
        return ((first, "N"),), range(0)
    marks: list[tuple[int, str]] = []
    before = 0  # the code (as a number) at the end of the month before
    for month in range(first, last + 1):
        if before == 7:  # every month end from here reads 7, and the month of end adds nothing new
            return tuple(marks), range(month, last)
        day = end if month == last else _month_end(month)
        code = days_late_code((day - due).days, jurisdiction)
        level = 0 if code == "N" else int(code)
        if month == first and not us:
            level = max(level, 1)
        if month == first or month < last or level > before:
            marks.append((month, str(level) if level else "N"))
        before = level
    return tuple(marks), range(0)


def debt_months(profile: Profile, debt: Debt, as_of: date) -> dict[int, str]:
    """Month number → code for one debt, from its history string and its itemised payments
    (:func:`late_marks`); where both describe a month, the worse code."""
    months: dict[int, str] = dict(_history_codes(profile, debt, as_of)) if debt.history else {}
    if profile.payments:
        _add_payments(months, profile, debt, as_of)
    as_month = month_index(as_of)
    if months and max(months) > as_month:  # a history that runs past the evaluation date
        return {m: c for m, c in months.items() if m <= as_month}
    return months


def _add_payments(months: dict[int, str], profile: Profile, debt: Debt, as_of: date) -> None:
    """Mark *months* with the codes of *debt*'s itemised payments (see :func:`debt_months`)."""
    us = profile.jurisdiction == _US
    sevens: list[range] = []
    for payment in profile.payments or ():
        if payment.debt != debt.id or payment.due > as_of:
            continue
        paid = payment.paid if payment.paid is not None and payment.paid <= as_of else None
        days = ((paid or as_of) - payment.due).days
        if paid is None and days <= 0:
            continue
        marks, seven = late_marks(payment.due, paid or as_of, us)
        for month, code in marks:
            months[month] = _worse(months.get(month), code)
        if seven:
            sevens.append(seven)
    for month in _union(sevens):  # each month once, however many payments were 180+ days late in it
        months[month] = _worse(months.get(month), "7")


def _union(ranges: list[range]) -> Iterator[int]:
    """Every number of *ranges* (step 1) once, in order."""
    upto = min((r.start for r in ranges), default=0)  # numbers below this are done
    for r in sorted(ranges, key=lambda r: r.start):
        yield from range(max(r.start, upto), r.stop)
        upto = max(upto, r.stop)


def _history_codes(profile: Profile, debt: Debt, as_of: date) -> Iterator[tuple[int, str]]:
    """(month number, code) of each month of *debt*'s history string."""
    history = debt.history or ""
    return enumerate(history, _history_end(profile, debt, as_of) - len(history) + 1)


def _history_end(profile: Profile, debt: Debt, as_of: date) -> int:
    """The month *debt*'s history string ends in (see the module docstring)."""
    return debt.history_end if debt.history_end is not None else month_index(profile.as_of or as_of)


def history_late_in(profile: Profile, debt: Debt, month: int, as_of: date) -> bool:
    """Whether *debt*'s history string (not its itemised payments) shows *month* late."""
    history = debt.history or ""
    back = _history_end(profile, debt, as_of) - month
    return 0 <= back < len(history) and history[-1 - back] in LATE_CODES


#: Loans whose applications FICO counts once when made while shopping for a rate (DOMAIN.md,
#: myFICO: within 14 to 45 days; 14, the strictest, is used so that the count is never too low).
_RATE_SHOPPING = frozenset({"mortgage_application", "auto_application", "student_application"})
_SHOPPING_DAYS = 14


def inquiry_runs(inquiries: Iterable[Inquiry], *, us: bool) -> list[tuple[date, ...]]:
    """The dates of the hard *inquiries*, grouped as scores count them: one each, except (*us*) the
    mortgage, auto and student loan applications of one kind made within 14 days of the first of a
    run, which count once (Chinese banks count each one). A run counts in a window when any of its
    dates falls in it, so the count is never too low."""
    runs: list[list[date]] = []
    open_runs: dict[str, list[date]] = {}
    for inquiry in sorted(inquiries, key=lambda q: q.date):
        if us and inquiry.reason in _RATE_SHOPPING:
            run = open_runs.get(inquiry.reason)
            if run is not None and (inquiry.date - run[0]).days < _SHOPPING_DAYS:
                run.append(inquiry.date)
                continue
            run = open_runs[inquiry.reason] = [inquiry.date]
            runs.append(run)
        else:
            runs.append([inquiry.date])
    return [tuple(run) for run in runs]


# --- the derivations ---------------------------------------------------------------------------


class _Context:
    """What every derivation reads: the profile, the date, and per-debt month maps (computed once)."""

    def __init__(
        self, profile: Profile, as_of: date, *, known_only: bool = False, removed_after: date | None = None
    ) -> None:
        self.profile = profile
        self.as_of = as_of
        self.known_only = known_only  # the debts with a record only: lower bounds (see _lower_bounds)
        self.removed_after = removed_after  # see compute_metrics
        self.as_month = month_index(as_of)
        self._months: list[dict[int, str]] | None = None
        self._checked: list[dict[int, str]] | MetricUnavailable | None = None
        self._recent: list[str] | None = None
        self._joined: dict[int, str] = {}
        self._since: dict[int, date] = {}
        self._hard: list[tuple[date, ...]] | None = None
        self._revolving: list[tuple[int, Debt]] | None = None
        self._once: dict[Callable[[_Context], object], object] = {}

    def debts(self) -> tuple[Debt, ...]:
        if self.profile.debts is None:
            raise MetricUnavailable("debts not given")
        return self.profile.debts

    def raw_months(self) -> list[dict[int, str]]:
        """Per-debt month maps as given (empty for a debt with no record)."""
        if self._months is None:
            self._months = [debt_months(self.profile, d, self.as_of) for d in self.debts()]
        return self._months

    def months(self) -> list[dict[int, str]]:
        """Per-debt month maps; unavailable unless every debt still owed has a record."""
        if self._checked is None:
            try:
                self._checked = self._checked_months()
            except MetricUnavailable as exc:
                self._checked = exc
        if isinstance(self._checked, MetricUnavailable):
            raise MetricUnavailable(str(self._checked))
        return self._checked

    def _checked_months(self) -> list[dict[int, str]]:
        debts = self.debts()
        self.raw_months()
        assert self._months is not None
        if debts and not any(self._months):
            raise MetricUnavailable("no repayment history given (debts[].history or payments)")
        # A debt still owed with no record of its own would count as "never late": a guess.
        lacking = [
            (i, d)
            for i, (d, m) in enumerate(zip(debts, self._months, strict=True))
            if not m and d.balance > 0 and d.status not in ("closed", "settled")
        ]
        if lacking and not self.known_only:
            raise _missing(lacking, "history (or payments)")
        return self._months

    def window(self, months: int) -> range:
        return range(self.as_month - months + 1, self.as_month + 1)

    def recent(self, months: int) -> list[str]:
        """Per debt, its codes in the last *months* (at most 24) months, oldest first, as one
        string with a space for a month without a record: counted and scanned at C speed."""
        if self._recent is None:
            window = self.window(_LONGEST_WINDOW)
            self._recent = ["".join(map(debt.get, window, repeat(" "))) for debt in self.months()]
        assert months <= _LONGEST_WINDOW
        return self._recent if months == _LONGEST_WINDOW else [codes[-months:] for codes in self._recent]

    def joined(self, months: int) -> str:
        """:meth:`recent` as one string (debts apart by ``|``): counting a code is one C call.
        Unavailable when a debt's record leaves a month of the window unknown (:meth:`_uncovered`)."""
        found = self._joined.get(months)
        if found is None:
            if not self.known_only:
                self._uncovered(months)
            found = self._joined[months] = "|".join(self.recent(months))
        return found

    def _uncovered(self, months: int) -> None:
        """Raise when, within the last *months* months, a debt has months it is known to have been
        open for but no record of (no code, or ``#``): lates there would go uncounted, so counts
        over the window are only lower bounds. A debt is open from the month after ``opened`` (else
        from its first record) to the month before ``as_of`` (the current month's payment may not be
        due yet), or to the month before ``closed`` (else its last record) once closed or settled,
        or to its last record once in collection or charged off (the lender's reporting ends there)."""
        first = self.as_month - months + 1
        spans: list[str] = []
        for debt, by_month, codes in zip(self.debts(), self.months(), self.recent(months), strict=True):
            if not by_month or not (" " in codes or "#" in codes):
                continue
            start = month_index(debt.opened) + 1 if debt.opened else min(by_month)
            if debt.status in ("closed", "settled"):
                end = month_index(debt.closed) - 1 if debt.closed else max(by_month)
            elif debt.status in _DEFAULTED:
                end = max(by_month)
            else:
                end = self.as_month - 1
            missing = [m for m in range(max(start, first), min(end, self.as_month) + 1) if codes[m - first] in " #"]
            if missing:
                spans.append(f"{_spans(missing)} of debt {debt.id}")
        if spans:
            raise MetricUnavailable(_UNRECORDED + "; ".join(spans))

    def since(self, months: int) -> date:
        """Where the *months*-month window ending on ``as_of`` starts (exclusive; see :func:`in_window`)."""
        found = self._since.get(months)
        if found is None:
            found = self._since[months] = add_months(self.as_of, -months)
        return found

    def hard_inquiry_runs(self) -> list[tuple[date, ...]]:
        """The dates of the hard inquiries, as scores count them (:func:`inquiry_runs`)."""
        if self.profile.inquiries is None:
            raise MetricUnavailable("inquiries not given")
        if self._hard is None:
            hard = [q for q in self.profile.inquiries if q.is_hard]
            self._hard = inquiry_runs(hard, us=self.profile.jurisdiction == _US)
        return self._hard

    def once(self, work: Callable[[_Context], _T]) -> _T:
        """What *work* gives for this context, worked out once (several metrics read the same
        lists); a :class:`MetricUnavailable` it raises is raised again each time."""
        found = self._once.get(work, self)  # self: nothing yet
        if found is self:
            try:
                found = work(self)
            except MetricUnavailable as exc:
                found = exc
            self._once[work] = found
        if isinstance(found, MetricUnavailable):
            raise MetricUnavailable(str(found))
        return found  # type: ignore[return-value]

    def revolving(self) -> list[tuple[int, Debt]]:
        """(index, debt) of every card and credit line being repaid. A line the lender closed counts
        in the US, where a closed card with a balance keeps counting with its last limit (FICO); not
        in China, where a 借呗-type line is reported as the loans drawn on it, and what is left once
        it is closed is a loan being repaid, outside the use of the cards and lines still open."""
        if self._revolving is None:
            statuses = _REPAYING if self.profile.jurisdiction != _CN else _REPAYING - {"closed_by_lender"}
            self._revolving = [(i, d) for i, d in enumerate(self.debts()) if d.revolving and d.status in statuses]
        return self._revolving


_LACKING = "history (or payments) missing for "
#: Why a count over a window is only a lower bound when some months of it have no record.
_UNRECORDED = "no history (or payments) for "


def _spans(months: list[int]) -> str:
    """Ascending month numbers as runs: ``2025-01 to 2025-06, 2026-03``."""
    runs: list[list[int]] = []
    for month in months:
        if runs and month == runs[-1][1] + 1:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    return ", ".join(month_label(a) if a == b else f"{month_label(a)} to {month_label(b)}" for a, b in runs)


#: What a debt lacks when nothing says whether it is behind today (see _find_overdue).
_PAST_DUE = "past_due (or history, or payments)"


def _missing(debts: Iterable[tuple[int, Debt]], what: str) -> MetricUnavailable:
    """``limit missing for debt card-a`` (``debts a, b``): named by the ids the profile gives them."""
    ids = [debt.id for _, debt in debts]
    return MetricUnavailable(f"{what} missing for {'debt' if len(ids) == 1 else 'debts'} {', '.join(ids)}")


def _income(ctx: _Context) -> Decimal:
    if ctx.profile.income is None:
        raise MetricUnavailable("income not given")
    return ctx.profile.income.monthly_amount


def _income_verified(ctx: _Context) -> bool:
    if ctx.profile.income is None:
        raise MetricUnavailable("income not given")
    if ctx.profile.income.verified is None:
        raise MetricUnavailable("income.verified not given")
    return ctx.profile.income.verified


def _repaying(ctx: _Context) -> list[tuple[int, Debt]]:
    return ctx.once(_find_repaying)


def _find_repaying(ctx: _Context) -> list[tuple[int, Debt]]:
    return [(i, d) for i, d in enumerate(ctx.debts()) if d.status in _REPAYING and d.balance > 0]


def _monthly_debt_payments(ctx: _Context) -> Decimal:
    repaying = _repaying(ctx)
    lacking = [(i, d) for i, d in repaying if d.min_payment is None]
    if lacking:
        raise _missing(lacking, "min_payment")
    return sum((d.min_payment or Decimal(0) for _, d in repaying), Decimal(0))


def _below_interest(ctx: _Context) -> list[tuple[Decimal, Decimal]]:
    return ctx.once(_find_below_interest)


def _find_below_interest(ctx: _Context) -> list[tuple[Decimal, Decimal]]:
    """(month's interest, minimum) of every debt being repaid whose minimum does not exceed its
    interest; unavailable unless every debt being repaid gives both its APR and its minimum."""
    repaying = _repaying(ctx)
    lacking = [(i, d) for i, d in repaying if d.apr is None or d.min_payment is None]
    if lacking:
        raise _missing(lacking, "apr or min_payment")
    found = []
    for _, debt in repaying:
        assert debt.apr is not None
        assert debt.min_payment is not None
        interest = cents(debt.balance * debt.apr / 12)  # as payoff charges it
        if interest > 0 and debt.min_payment <= interest:
            found.append((interest, debt.min_payment))
    return found


def _revolving_balance(ctx: _Context) -> Decimal:
    return sum((d.balance for _, d in ctx.revolving()), Decimal(0))


def _revolving_limit(ctx: _Context) -> Decimal:
    revolving = ctx.revolving()
    lacking = [(i, d) for i, d in revolving if d.limit is None]
    if lacking:
        raise _missing(lacking, "limit")
    return sum((d.limit or Decimal(0) for _, d in revolving), Decimal(0))


def _most_used(ctx: _Context) -> tuple[Decimal, Decimal, Decimal]:
    """(utilisation, balance, limit) of the most used card or line (the larger balance on a tie)."""
    revolving = ctx.revolving()
    if not revolving:
        raise MetricUnavailable("no open cards or credit lines")
    lacking = [(i, d) for i, d in revolving if d.limit is None]
    if lacking:
        raise _missing(lacking, "limit")
    if any(d.limit == 0 and d.balance > 0 for _, d in revolving):
        raise MetricUnavailable("a card or line has a limit of 0 with a balance")
    used = [(d.balance / d.limit, d.balance, d.limit) for _, d in revolving if d.limit]
    if not used:
        raise MetricUnavailable("no card or line has a limit above 0")
    return max(used)


def _max_card_utilization(ctx: _Context) -> Decimal:
    return ctx.once(_most_used)[0]


def _inquiries(months: int) -> Callable[[_Context], int]:
    def derive(ctx: _Context) -> int:
        # in_window(date, as_of, months) for any date of a run: its latest date up to as_of is
        # after the window's start (worked out once for the five windows)
        latest = ctx.once(_latest_inquiries)
        return len(latest) - bisect.bisect_right(latest, ctx.since(months))

    return derive


def _latest_inquiries(ctx: _Context) -> list[date]:
    """Per hard inquiry run with a date up to ``as_of``, its latest such date, in order."""
    as_of = ctx.as_of
    return sorted(max(day for day in run if day <= as_of) for run in ctx.hard_inquiry_runs() if min(run) <= as_of)


def _late_count(months: int, codes: frozenset[str]) -> Callable[[_Context], int]:
    def derive(ctx: _Context) -> int:
        return sum(map(ctx.joined(months).count, codes))

    return derive


#: Codes of a month 90+ days late. On a PBOC grid a code counts periods overdue by days: 3 is 61-90
#: days, so 90+ is 4 (91-120) or worse; a US report's "90" (90-119 days) is read as 3 (US_TOKENS).
_SEVERE = frozenset("34567B")
_SEVERE_CN = frozenset("4567B")


def _severe_late(ctx: _Context) -> int:
    codes = _SEVERE_CN if ctx.profile.jurisdiction == _CN else _SEVERE
    return sum(map(ctx.joined(24).count, codes))


_LATE_RUN = re.compile("[1-7B]+")
#: The longest window a history metric looks back over (see :meth:`_Context.recent`).
_LONGEST_WINDOW = 24


def _max_consecutive_late(ctx: _Context) -> int:
    """The longest late run in the window, or the worst numeric code in it if more: a month ``k``
    months past due was late in the k-1 months before it too (``B``, a bad debt, says no count)."""
    joined = ctx.joined(24)
    longest = max(map(len, _LATE_RUN.findall(joined)), default=0)
    worst = max((int(code) for code in set(joined) & _NUMERIC_LATE), default=0)
    return max(longest, worst)


_NUMERIC_LATE = frozenset("1234567")


def _max_months_past_due(ctx: _Context) -> int:
    codes = set(ctx.joined(24)) & LATE_CODES
    return max((7 if code == "B" else int(code) for code in codes), default=0)


def _months_since_last_late(ctx: _Context) -> int:
    late = [m for debt in ctx.months() for m, code in debt.items() if code in LATE_CODES]
    if not late:
        raise MetricUnavailable("no late month in the history given")
    return ctx.as_month - max(late)


def _on_time_rate(ctx: _Context) -> Decimal:
    recent = ctx.joined(12)
    on_time = recent.count("N")
    late = sum(map(recent.count, LATE_CODES))
    if on_time + late == 0:
        raise MetricUnavailable("no payment was due in the last 12 months")
    return Decimal(on_time) / Decimal(on_time + late)


def _overdue(ctx: _Context) -> list[tuple[int, Debt, bool]]:
    return ctx.once(_find_overdue)


def _find_overdue(ctx: _Context) -> list[tuple[int, Debt, bool]]:
    """(index, debt, late by history) for every debt overdue today that can still be brought up to
    date: one in collection or charged off cannot (see ``defaulted_balance``)."""
    found = []
    unknown = []  # debts that say nothing of today: no past_due, history or itemised payments
    payers = {p.debt for p in ctx.profile.payments or ()}
    for index, debt in enumerate(ctx.debts()):
        if debt.status in _DEFAULTED:
            continue
        if _paid_off(debt):
            continue
        if debt.past_due is None and not debt.history and debt.id not in payers and debt.balance > 0:
            unknown.append((index, debt))  # behind or not: not known (never a guess of 0)
            continue
        if debt.past_due is not None:  # what is overdue today, given: it wins over a history's last code
            if debt.past_due > 0:
                found.append((index, debt, False))
            continue
        # Late this month by its history string, or by a payment still unpaid (one paid late this
        # month marks the month, but is paid)
        if history_late_in(ctx.profile, debt, ctx.as_month, ctx.as_of) or _unpaid(ctx, debt):
            found.append((index, debt, True))
    if unknown and not ctx.known_only:
        raise _missing(unknown, _PAST_DUE)
    return found


def unpaid_payments(profile: Profile, debt_id: str, as_of: date) -> list[Payment]:
    """Itemised payments of debt *debt_id* that fell due before *as_of* and are still unpaid on it."""
    return [
        p for p in profile.payments or () if p.debt == debt_id and p.due < as_of and (p.paid is None or p.paid > as_of)
    ]


def _unpaid(ctx: _Context, debt: Debt) -> list[Payment]:
    return unpaid_payments(ctx.profile, debt.id, ctx.as_of)


def _paid_off(debt: Debt) -> bool:
    """Settled or closed with nothing owed and nothing past due: not behind, whatever its last code."""
    return debt.status in ("settled", "closed") and debt.balance == 0 and not (debt.past_due or 0) > 0


def _unpaid_amounts(ctx: _Context, debt: Debt) -> Decimal | None:
    """What the unpaid payments of *debt* add up to, or None when one has no amount."""
    unpaid = _unpaid(ctx, debt)
    if not unpaid or any(p.amount is None for p in unpaid):
        return None
    return sum((p.amount or Decimal(0) for p in unpaid), Decimal(0))


def _overdue_amount(ctx: _Context) -> Decimal:
    total = Decimal(0)
    lacking = []
    for index, debt, _late_now in _overdue(ctx):
        if debt.past_due:
            total += debt.past_due
        elif debt.past_due is None:
            unpaid = _unpaid_amounts(ctx, debt)
            if unpaid is None:
                lacking.append((index, debt))
            else:
                total += unpaid
    if lacking and not ctx.known_only:  # (a lower bound leaves their unknown amounts out)
        raise _missing(lacking, "past_due (late this month per history)")
    return total


# --- negative records and when each leaves the report ----------------------------------------


class CleanBy(NamedTuple):
    """A negative record and the date it leaves the report (None: it depends on a future settlement)."""

    debt_id: str  # "" for a public record
    item: str  # "late" | "bad_debt" | "collection" | "charged_off" | "settled" (US, after a delinquency) | "bankruptcy"
    since: str  # YYYY-MM of the first late month, or "" when unknown
    months_late: int
    clean_by: date | None
    rule: str  # "cn-5y-after-settlement" | "us-7y" | "us-7y-180d" | "us-10y-bankruptcy" | "us-7y-bankruptcy"
    expired: bool


@functools.lru_cache(maxsize=4096)
def _clean_on(index: int, years: int, days: int = 0) -> date:
    """The end of month *index*, plus *days*, plus *years* (clean-by dates repeat across clients)."""
    return _years_later(_month_end(index) + timedelta(days=days), years)


#: ``YYYY-MM`` of a month number, cached: the months of late runs recur across clients.
_month_text = functools.lru_cache(maxsize=4096)(month_label)


def _month_end(index: int) -> date:
    return add_months(date(index // 12, index % 12 + 1, 1), 1) - timedelta(days=1)


def _years_later(day: date, years: int) -> date:
    return add_months(day, 12 * years)


#: Codes that show a month paid up (or with nothing due) after a late run: the overdue ended there.
_CURED = frozenset("N*")


def _paid_up_on(profile: Profile, debt_id: str, first: int, last: int, as_of: date) -> date | None:
    """The day the late run of months *first*..*last* of debt *debt_id* was paid up, when itemised
    payments say so: the latest payment date of its late payments due in the run, provided it falls
    in the run's last month or the one after (else a history code shows the run going on)."""
    paid = [
        p.paid
        for p in profile.payments or ()
        if p.debt == debt_id and p.paid is not None and p.due < p.paid <= as_of and first <= month_index(p.due) <= last
    ]
    ended = max(paid, default=None)
    return ended if ended is not None and last <= month_index(ended) <= last + 1 else None


def clean_by_dates(profile: Profile, as_of: date) -> tuple[CleanBy, ...]:
    """The negative records of every debt and when each leaves the report.

    PBOC (Decree 631 Art. 16): 5 years from the day the overdue ends. A late run followed by a month
    paid up ended by that month at the latest (its end + 5 years); a run that lasted until the account
    was settled ended on the settlement date (``closed`` + 5 years); one still unpaid has no date yet.
    US (FCRA §1681c): a late payment 7 years from the delinquency (the end of its month, the latest it
    can be); a collection or charge-off 7 years from 180 days after the delinquency began; a
    bankruptcy (a public record, with no debt id) 10 years from its filing, or 7 for Chapter 12 or 13.
    """
    debts = profile.debts or ()
    return _clean_by(profile, debts, [debt_months(profile, d, as_of) for d in debts], as_of)


def _clean_by(
    profile: Profile, debts: Iterable[Debt], per_debt: Iterable[Mapping[int, str]], as_of: date
) -> tuple[CleanBy, ...]:
    us = profile.jurisdiction == _US
    out: list[CleanBy] = []
    as_month = month_index(as_of)
    for debt, months in zip(debts, per_debt, strict=True):
        # US: a debt settled after a delinquency (a collection paid for less, say) keeps its record
        settled_late = us and debt.status == "settled" and debt.first_delinquency is not None
        if debt.status not in _DEFAULTED and not settled_late and LATE_CODES.isdisjoint(months.values()):
            continue  # never late, not in default: no record (most debts)
        if us and medical_unreported(debt, as_month):
            continue  # a medical collection the bureaus do not report
        runs: list[tuple[int, int, bool]] = []  # (first late month, last late month, bad debt)
        if months:  # a run ends at a month paid up, or at a month with no record (a space here)
            first_month = min(months)
            codes = "".join(map(months.get, range(first_month, max(months) + 1), repeat(" ")))
            for run in _LATE_RUN.finditer(codes):
                runs.append((first_month + run.start(), first_month + run.end() - 1, "B" in run.group()))
        defaulted = debt.status in _DEFAULTED and debt.balance > 0
        # CN: a run with an itemised payment still unpaid, or the last one of a debt behind today, has
        # not ended yet
        still_due = (
            frozenset(month_index(p.due) for p in unpaid_payments(profile, debt.id, as_of))
            if not us and profile.payments
            else ()
        )
        behind = not us and not _paid_off(debt) and ((debt.past_due or 0) > 0 or bool(still_due))
        for first, last, bad in runs:
            final = (first, last, bad) == runs[-1]
            unpaid = (
                (last >= as_month and history_late_in(profile, debt, as_month, as_of))
                or (final and (defaulted or behind))
                or (bool(still_due) and any(first <= m <= last for m in still_due))
            )
            item = "bad_debt" if bad else "late"
            if final and debt.status in _DEFAULTED:
                item = debt.status
            when: date | None
            if us:
                if item in _DEFAULT_ITEMS:  # the date of first delinquency, when the report gives it
                    began = debt.first_delinquency if final and debt.first_delinquency is not None else first
                    when, rule = _clean_on(began, 7, 180), "us-7y-180d"
                else:
                    when, rule = _clean_on(first, 7), "us-7y"
            else:
                rule = "cn-5y-after-settlement"
                if unpaid:
                    when = None
                elif (
                    final
                    and debt.status == "settled"
                    and debt.closed is not None
                    and months.get(last + 1) not in _CURED
                ):
                    when = _years_later(debt.closed, 5)  # the run lasted until the settlement
                else:
                    when = _clean_on(last + 1, 5)
                    ended = _paid_up_on(profile, debt.id, first, last, as_of)
                    if ended is not None:  # the day it was paid up is known: 5 years from then
                        when = min(when, _years_later(ended, 5))
            out.append(  # debt_id, item, since, months_late, clean_by, rule, expired
                CleanBy(
                    debt.id,
                    item,
                    _month_text(first),
                    last - first + 1,
                    when,
                    rule,
                    when is not None and when <= as_of,
                )
            )
        if (debt.status in _DEFAULTED or settled_late) and not runs:  # a record with no history to date it
            rule = "us-7y-180d" if us else "cn-5y-after-settlement"
            paid_on = debt.closed if not us and debt.balance == 0 else None
            when = _years_later(paid_on, 5) if paid_on else None
            dated = ""
            if us and debt.first_delinquency is not None:
                when = _clean_on(debt.first_delinquency, 7, 180)
                dated = f"{debt.first_delinquency // 12:04d}-{debt.first_delinquency % 12 + 1:02d}"
            out.append(CleanBy(debt.id, debt.status, dated, 0, when, rule, when is not None and when <= as_of))
    if us:
        for record in profile.public_records or ():
            if record.type == "bankruptcy" and record.filed <= as_of:
                years = bankruptcy_years(record)
                when = _years_later(record.filed, years)
                rule = "us-7y-bankruptcy" if years == 7 else "us-10y-bankruptcy"
                out.append(CleanBy("", "bankruptcy", f"{record.filed:%Y-%m}", 0, when, rule, when <= as_of))
    return tuple(sorted(out, key=lambda c: (c.clean_by or date.max, c.debt_id, c.since)))


def bankruptcy_years(record: PublicRecord) -> int:
    """Years a US bankruptcy is reported from its filing: 10 (FCRA §1681c(a)(1), from the order for
    relief); the bureaus remove a Chapter 12 or 13 case after 7 (their policy)."""
    return 7 if record.chapter in (12, 13) else 10


def _on_file(ctx: _Context) -> list[PublicRecord]:
    """The bankruptcies on the report: in the US until :func:`bankruptcy_years` after filing;
    elsewhere every one given (no reporting period is known to creditfix)."""
    records = ctx.profile.public_records
    if records is None:
        raise MetricUnavailable("public_records not given")
    us = ctx.profile.jurisdiction == _US
    return [
        r
        for r in records
        if r.type == "bankruptcy"
        and r.filed <= ctx.as_of
        and not (us and _years_later(r.filed, bankruptcy_years(r)) <= ctx.as_of)
    ]


def _months_since_bankruptcy(ctx: _Context) -> int:
    on_file = ctx.once(_on_file)
    if not on_file:
        raise MetricUnavailable("no bankruptcy on file")
    return months_between(max(r.filed for r in on_file), ctx.as_of)


#: A Chapter 13 plan runs 3 to 5 years: a case filed longer ago than this is over, discharged or not.
_PLAN_MONTHS = 60


def _chapter13_open(ctx: _Context) -> int:
    return sum(
        1
        for r in ctx.once(_on_file)
        if r.chapter == 13 and r.discharged is None and months_between(r.filed, ctx.as_of) < _PLAN_MONTHS
    )


#: PBOC notice of 2025-12-22 (DOMAIN.md): overdues dated 2020-01-01 to 2025-12-31, each at most
#: ¥10,000 and fully repaid by 2026-03-31, stop being shown. Months as :func:`month_index` numbers.
_RELIEF_FIRST, _RELIEF_LAST, _RELIEF_REPAID = 2020 * 12, 2025 * 12 + 11, 2026 * 12 + 2
_RELIEF_NOTICE = date(2025, 12, 22)


def _relief(ctx: _Context) -> int:
    """CN late records that the 2025 relief may have removed: dated 2020-2025 and over by 2026-03
    (their amounts, the other condition, are not known here)."""
    records = ctx.once(_records)
    if ctx.profile.jurisdiction != _CN or ctx.as_of < _RELIEF_NOTICE:
        return 0
    count = 0
    for item in records:
        if item.item not in ("late", "bad_debt") or not item.since or item.clean_by is None:
            continue
        first = int(item.since[:4]) * 12 + int(item.since[5:]) - 1
        last = first + item.months_late - 1
        ended = month_index(add_months(item.clean_by, -60))  # the month the overdue ended
        if first >= _RELIEF_FIRST and last <= _RELIEF_LAST and ended <= _RELIEF_REPAID:
            count += 1
    return count


def _negative_records(ctx: _Context) -> int:
    """Negative records still on the report (see :func:`clean_by_dates`); a debt still owed with no
    record of its own may hide more: then the count is a lower bound."""
    debts = ctx.debts()
    months = ctx.raw_months()
    lacking = [
        (i, d)
        for i, (d, m) in enumerate(zip(debts, months, strict=True))
        if not m and d.balance > 0 and d.status not in ("closed", "settled", *_DEFAULTED)
    ]
    if lacking and not ctx.known_only:
        raise _missing(lacking, "history (or payments)")
    return sum(1 for item in ctx.once(_records) if not item.expired)


def _still_shown(ctx: _Context, item: CleanBy) -> bool:
    """Whether *item* is past its date and may still be shown: expired, and (in a projection that
    assumes the bureaus delete records on time, ``removed_after``) already expired on that date."""
    if not item.expired:
        return False
    return ctx.removed_after is None or (item.clean_by is not None and item.clean_by <= ctx.removed_after)


def _records(ctx: _Context) -> tuple[CleanBy, ...]:
    return _clean_by(ctx.profile, ctx.debts(), ctx.raw_months(), ctx.as_of)


def _gone(ctx: _Context) -> frozenset[str]:
    """Ids of the debts whose collection, charge-off or bad-debt record is past its clean-by date."""
    return frozenset(c.debt_id for c in ctx.once(_records) if c.expired and c.item in _DEFAULT_ITEMS)


def _collections(ctx: _Context) -> int:
    gone = ctx.once(_gone) | ctx.once(_medical_off_report)
    return sum(1 for d in ctx.debts() if d.status == "collection" and d.balance > 0 and d.id not in gone)


#: US bureaus have not reported paid medical collections, nor those under $500, since 2023 (DOMAIN.md).
_MEDICAL_FLOOR = Decimal(500)


#: ... and report an unpaid one only a year after the delinquency began.
_MEDICAL_WAIT_MONTHS = 12


def medical_unreported(debt: Debt, as_month: int) -> bool:
    """A medical collection that US bureaus do not report: paid (settled, or nothing owed), under
    $500, or delinquent for less than a year (from ``first_delinquency``, when given)."""
    if not debt.medical or debt.status not in ("collection", "settled"):
        return False
    if debt.status == "settled":
        return True  # paid
    recent = debt.first_delinquency is not None and as_month - debt.first_delinquency < _MEDICAL_WAIT_MONTHS
    return debt.balance < _MEDICAL_FLOOR or recent


def _medical_off_report(ctx: _Context) -> frozenset[str]:
    """Ids of the US medical collections that bureaus no longer report (not records: see _clean_by)."""
    debts = ctx.debts()
    if ctx.profile.jurisdiction != _US:
        return frozenset()
    return frozenset(d.id for d in debts if medical_unreported(d, ctx.as_month))


def _defaulted_balance(ctx: _Context) -> Decimal:
    """What is owed on debts in collection or charged off, a bad debt (``B`` in the history of a
    debt not settled or closed) included, as :func:`_charged_off` counts it."""
    return sum(
        (
            d.balance
            for d, m in zip(ctx.debts(), ctx.raw_months(), strict=True)
            if d.status in _DEFAULTED or ("B" in m.values() and d.status not in ("settled", "closed"))
        ),
        Decimal(0),
    )


def _charged_off(ctx: _Context) -> int:
    """Charge-offs and bad debts still owed: a settled one is a record (``defaults_on_file``), not a
    debt to negotiate; one past its clean-by date is to be disputed (``expired_records``)."""
    debts = ctx.debts()
    months = ctx.raw_months()
    gone = ctx.once(_gone)
    return sum(
        1
        for d, m in zip(debts, months, strict=True)
        if (d.status == "charged_off" or ("B" in m.values() and d.status not in ("settled", "closed")))
        and d.balance > 0
        and d.id not in gone
    )


def _on_report(ctx: _Context) -> list[tuple[int, Debt]]:
    """(index, debt) of the accounts still on the report: not one whose collection, charge-off or
    bad-debt record is past its date (the whole account leaves the report with it)."""
    gone = ctx.once(_gone)
    return [(i, d) for i, d in enumerate(ctx.debts()) if d.id not in gone]


def _credit_age(ctx: _Context) -> int:
    debts = [d for _, d in ctx.once(_on_report)]
    lacking = [(i, d) for i, d in ctx.once(_on_report) if d.opened is None]
    if lacking:  # the undated account may be the oldest: no guess
        raise _missing(lacking, "opened")
    opened = [d.opened for d in debts if d.opened is not None and d.opened <= ctx.as_of]
    if not opened:
        raise MetricUnavailable("no debt was opened by as_of")
    return months_between(min(opened), ctx.as_of)


def _new_accounts(ctx: _Context) -> int:
    debts = ctx.debts()
    lacking = [(i, d) for i, d in enumerate(debts) if d.opened is None]
    if lacking:
        raise _missing(lacking, "opened")
    return sum(1 for d in debts if d.opened is not None and in_window(d.opened, ctx.as_of, 6))


def _lenders(ctx: _Context, types: Container[str] | None = None) -> int:
    """Different lenders owed (a debt without a lender counts by its id), of debts of *types* if given."""
    return len({d.lender or f"id:{d.id}" for d in ctx.debts() if d.balance > 0 and (types is None or d.type in types)})


#: Debt types the multi-lender count (多头借贷) reads: what online platforms and consumer-finance
#: firms lend. Cards, and loans for a home, car, study or business, are left out.
_LOAN_TYPES = frozenset({"credit_line", "personal_loan", "other"})


def _score(ctx: _Context) -> int:
    if ctx.profile.score is None:
        raise MetricUnavailable("score not given")
    return ctx.profile.score.value


_DERIVATIONS: dict[str, Callable[[_Context], MetricValue]] = {
    "monthly_income": _income,
    "income_verified": _income_verified,
    "monthly_debt_payments": _monthly_debt_payments,
    "minimums_below_interest": lambda ctx: len(_below_interest(ctx)),
    "interest_gap": lambda ctx: sum((i - m for i, m in _below_interest(ctx)), Decimal(0)),
    "total_debt": lambda ctx: sum((d.balance for d in ctx.debts()), Decimal(0)),
    "revolving_balance": _revolving_balance,
    "revolving_limit": _revolving_limit,
    "max_card_utilization": _max_card_utilization,
    "max_card_balance": lambda ctx: ctx.once(_most_used)[1],
    "max_card_limit": lambda ctx: ctx.once(_most_used)[2],
    **{f"inquiries_{n}m": _inquiries(n) for n in (1, 3, 6, 12, 24)},
    "late_payments_12m": _late_count(12, LATE_CODES),
    "late_payments_24m": _late_count(24, LATE_CODES),
    "severe_late_24m": _severe_late,
    "max_consecutive_late_24m": _max_consecutive_late,
    "max_months_past_due_24m": _max_months_past_due,
    "months_since_last_late": _months_since_last_late,
    "on_time_rate_12m": _on_time_rate,
    "overdue_accounts": lambda ctx: len(_overdue(ctx)),
    "overdue_amount": _overdue_amount,
    "defaulted_balance": _defaulted_balance,
    "negative_records": _negative_records,
    "relief_2025_records": _relief,
    "expired_records": lambda ctx: sum(1 for item in ctx.once(_records) if _still_shown(ctx, item)),
    "defaults_on_file": lambda ctx: sum(
        1 for item in ctx.once(_records) if not item.expired and item.item in _DEFAULT_ITEMS
    ),
    "bankruptcies_on_file": lambda ctx: len(ctx.once(_on_file)),
    "months_since_bankruptcy": _months_since_bankruptcy,
    "chapter13_open": _chapter13_open,
    "medical_off_report": lambda ctx: len(ctx.once(_medical_off_report)),
    "collection_accounts": _collections,
    "charged_off_accounts": _charged_off,
    "closed_by_lender": lambda ctx: sum(1 for d in ctx.debts() if d.status == "closed_by_lender"),
    "credit_age_months": _credit_age,
    "credit_accounts": lambda ctx: sum(1 for _, d in ctx.once(_on_report) if d.status != "collection"),
    "open_accounts": lambda ctx: sum(1 for d in ctx.debts() if d.status in ("open", "frozen")),
    "new_accounts_6m": _new_accounts,
    "lenders_with_balance": _lenders,
    "loan_lenders_with_balance": lambda ctx: _lenders(ctx, _LOAN_TYPES),
    "score": _score,
}


def _ratio(values: dict[str, MetricValue], top: str, bottom: str, zero: str) -> Decimal:
    for name in (top, bottom):
        if name not in values:
            raise MetricUnavailable(f"{name} is unavailable")
    denominator = Decimal(values[bottom])
    if denominator == 0:
        raise MetricUnavailable(zero)
    return Decimal(values[top]) / denominator


def _score_pct(values: dict[str, MetricValue], scale: str | None) -> Decimal:
    if "score" not in values:
        raise MetricUnavailable("score not given")
    if scale is None:
        raise MetricUnavailable("score scale not given")
    low, high = SCORE_RANGES[scale]
    return (Decimal(values["score"]) - low) / (high - low)


#: Metrics derived from other metrics, so that supplied components (a client-table row) feed them.
#: Why each ratio of :data:`_COMBINED` is unavailable when its denominator is 0.
_ZERO = {"debt_to_income": "monthly income is 0", "revolving_utilization": "no revolving credit limit"}
_COMBINED: dict[str, Callable[[dict[str, MetricValue], str | None], MetricValue]] = {
    "debt_to_income": lambda v, s: _ratio(v, "monthly_debt_payments", "monthly_income", _ZERO["debt_to_income"]),
    "revolving_utilization": lambda v, s: _ratio(
        v, "revolving_balance", "revolving_limit", _ZERO["revolving_utilization"]
    ),
    "score_pct": _score_pct,
}


def nothing_to_measure_without(name: str, available: Container[str]) -> bool:
    """Whether a client given the metrics *available* lacks *name* because there is nothing to
    measure (a ratio over a zero limit: :data:`NOTHING_TO_MEASURE`), not for lack of data. A
    client-table row's unavailable metrics are those not given, and the combined ratios whose
    parts are given but whose denominator is 0."""
    parts = _RATIO_PARTS.get(name)
    return parts is not None and all(p in available for p in parts) and _ZERO[name] in NOTHING_TO_MEASURE


def compute_metrics(
    profile: Profile,
    as_of: date | None = None,
    *,
    removed_after: date | None = None,
    only: frozenset[str] | None = None,
) -> Metrics:
    """Derive every metric of the catalogue for *profile* on *as_of*.

    *as_of* defaults to the profile's own ``as_of``, then today. Values given in
    ``profile.metrics`` win over derived ones and feed the combined ratios. *removed_after* is for
    projections (simulate): a negative record whose clean-by date falls after it was deleted on
    that date, as the law requires, so it is not counted in ``expired_records`` (records past their
    date and still shown, to dispute); only those already past it on *removed_after* are. *only*
    (for projections too, which evaluate a profile month after month) derives just the metrics it
    names, and those the combined ratios among them are made of; the others are left out, neither
    values nor unavailable.
    """
    when = as_of or profile.as_of or date.today()
    supplied = profile.metrics or {}
    scale = profile.score.scale if profile.score is not None else None
    if profile.debts is None and profile.payments is None and profile.inquiries is None:
        income = profile.income
        return summary_metrics(
            when,
            supplied,
            monthly_income=income.monthly_amount if income is not None else None,
            income_verified=income.verified if income is not None else None,
            score=profile.score.value if profile.score is not None else None,
            score_scale=scale,
        )
    ctx = _Context(profile, when, removed_after=removed_after)
    values: dict[str, MetricValue] = {}
    unavailable: dict[str, str] = {}
    derivations = _DERIVATIONS if only is None else _derivations_for(only)
    for name, derive in derivations.items():
        if name in supplied:
            continue
        try:
            values[name] = derive(ctx)
        except MetricUnavailable as exc:
            unavailable[name] = str(exc)
    at_least = _lower_bounds(profile, when, unavailable)
    return _combined(when, supplied, values, unavailable, scale, at_least)


@functools.lru_cache(maxsize=16)  # a projection asks for the same names every month
def _derivations_for(names: frozenset[str]) -> dict[str, Callable[[_Context], MetricValue]]:
    """The derivations of *names* and of the parts of the combined ratios among them."""
    wanted = {name for name in CATALOGUE if name in names}
    wanted.update(part for ratio, parts in _RATIO_PARTS.items() if ratio in wanted for part in parts)
    if "score_pct" in wanted:
        wanted.add("score")
    return {name: derive for name, derive in _DERIVATIONS.items() if name in wanted}


#: Metrics that can only grow as months of history are added: counted on the debts that have a
#: history, they are lower bounds when another debt still owed has none.
_COUNTS_UP = ("late_payments_12m", "late_payments_24m", "severe_late_24m", "max_consecutive_late_24m",
              "max_months_past_due_24m", "negative_records", "overdue_accounts", "overdue_amount")  # fmt: skip


def _lower_bounds(profile: Profile, when: date, unavailable: Mapping[str, str]) -> dict[str, MetricValue]:
    """The lower bounds of :data:`_COUNTS_UP` metrics unavailable only because some debt still
    owed has no history (3 late months in a row on one card are 3 whatever another debt shows)."""
    wanted = [
        n
        for n in _COUNTS_UP
        if n in unavailable and unavailable[n].startswith((_LACKING, _PAST_DUE + " missing for ", _UNRECORDED))
    ]
    if not wanted:
        return {}
    ctx = _Context(profile, when, known_only=True)
    bounds = {}
    for name in wanted:
        try:
            bounds[name] = _DERIVATIONS[name](ctx)
        except MetricUnavailable:  # not even a bound (an overdue by history without its amount)
            continue
    return bounds


#: What one account's repayment history says by itself, month by month: the metrics a client
#: table's monthly status columns supply (a column map's ``field: history``, :func:`history_metrics`).
HISTORY_METRICS = ("late_payments_12m", "late_payments_24m", "severe_late_24m", "max_consecutive_late_24m",
                   "max_months_past_due_24m", "months_since_last_late", "on_time_rate_12m",
                   "overdue_accounts")  # fmt: skip


@functools.lru_cache(maxsize=4096)
def history_metrics(history: str, china: bool) -> tuple[tuple[str, MetricValue], ...]:
    """The :data:`HISTORY_METRICS` that one account's *history* (PBOC codes, oldest month first,
    its last month the ``as_of`` month) supports, derived as for a profile whose one debt has that
    history (*china*: a CN profile, where 90+ days late is code 4): the same definitions, so a
    table row's status columns and a profile's history string give the same values. Only
    relative months matter, so any date serves. Cached: a table repeats the same few histories."""
    as_of = date(2000, 1, 31)
    profile = Profile.model_validate(
        {
            "client": {"jurisdiction": _CN} if china else {},
            "as_of": as_of,
            "debts": [{"id": "history", "balance": 1, "history": history}],
        }
    )
    # A month the status columns leave unknown (``#``) is left out, not made a lower bound as in a
    # profile (see _Context._uncovered): a table cell holds a value, not a bound.
    ctx = _Context(profile, as_of, known_only=True)
    found: list[tuple[str, MetricValue]] = []
    for name in HISTORY_METRICS:
        try:
            found.append((name, _DERIVATIONS[name](ctx)))
        except MetricUnavailable:  # months_since_last_late without a late month, and the like
            continue
    return tuple(found)


def summary_metrics(
    as_of: date,
    supplied: Mapping[str, MetricValue],
    *,
    monthly_income: Decimal | None,
    income_verified: bool | None,
    score: int | None,
    score_scale: str | None,
) -> Metrics:
    """:func:`compute_metrics` of a profile without debts, payments or inquiries (a client-table
    row: income, score and supplied metrics), from those values alone: no profile is built."""
    values: dict[str, MetricValue] = {}
    unavailable = dict(_record_free_reasons())
    for name, value in (("monthly_income", monthly_income), ("income_verified", income_verified), ("score", score)):
        if value is not None:
            values[name] = value
            del unavailable[name]
    if monthly_income is not None and income_verified is None:
        unavailable["income_verified"] = "income.verified not given"
    return _combined(as_of, supplied, values, unavailable, score_scale)


def add_combined(values: dict[str, MetricValue], supplied: Container[str], score_scale: str | None) -> dict[str, str]:
    """Add the combined ratios to *values* (those not *supplied*); returns why the others are unavailable."""
    reasons: dict[str, str] = {}
    for name, combine in _COMBINED.items():
        if name in supplied:
            continue
        try:
            values[name] = combine(values, score_scale)
        except MetricUnavailable as exc:
            reasons[name] = str(exc)
    return reasons


def combined_columns(
    columns: Mapping[str, Iterable[MetricValue]], score_scales: Iterable[str | None]
) -> dict[str, list[MetricValue | None]]:
    """:func:`add_combined` for many rows at once (a client table's): *columns* holds each
    metric's value in every row, *score_scales* each row's scale. Each combined ratio not among
    *columns*, as a column: the value :func:`add_combined` gives each row, None where unavailable."""
    out: dict[str, list[MetricValue | None]] = {}
    for name, (top, bottom) in _RATIO_PARTS.items():
        if name not in columns and top in columns and bottom in columns:
            above, below = list(columns[top]), list(columns[bottom])
            if len(above) != len(below):
                raise ValueError("columns of different lengths")
            if 0 in below:
                out[name] = [Decimal(a) / Decimal(b) if b != 0 else None for a, b in zip(above, below, strict=True)]
            else:  # (most batches) divided together
                out[name] = list(map(truediv, map(Decimal, above), map(Decimal, below)))
    if "score_pct" not in columns and "score" in columns:
        # worked out once per distinct score and scale: a table has a few hundred
        scores = list(columns["score"])
        scales = list(score_scales)
        if not set(map(type, scores)) <= {int}:  # (a table's scores are whole numbers)
            out["score_pct"] = list(map(_score_share, scores, scales))
            return out
        pairs = list(zip(scores, scales, strict=True))
        new = set(pairs).difference(_SCORE_SHARES)
        if new:
            if len(_SCORE_SHARES) + len(new) > 4096:  # bounded: memory stays flat
                _SCORE_SHARES.clear()
                new = set(pairs)
            for score, scale in new:
                _SCORE_SHARES[score, scale] = _score_share(score, scale)
        out["score_pct"] = list(map(_SCORE_SHARES.__getitem__, pairs))
    return out


#: score_pct by whole-number score and scale: a table has a few hundred of them.
_SCORE_SHARES: dict[tuple[MetricValue | None, str | None], Decimal | None] = {}


def _score_share(score: MetricValue | None, scale: str | None) -> Decimal | None:
    """Where *score* lies on *scale* (0 at its lowest, 1 at its highest), as :func:`add_combined` puts it."""
    span = SCORE_RANGES.get(scale) if scale is not None else None
    return (Decimal(score) - span[0]) / (span[1] - span[0]) if span is not None else None  # type: ignore[arg-type]


#: The ratios of :data:`_COMBINED` as their numerator and denominator (for :func:`combined_columns`).
_RATIO_PARTS = {
    "debt_to_income": ("monthly_debt_payments", "monthly_income"),
    "revolving_utilization": ("revolving_balance", "revolving_limit"),
}


def row_values(
    supplied: Mapping[str, MetricValue],
    *,
    monthly_income: Decimal | None,
    income_verified: bool | None,
    score: int | None,
    score_scale: str | None,
) -> dict[str, MetricValue]:
    """The values of :func:`summary_metrics` (not in catalogue order, without the reasons for the
    others): what a batch that only grades needs, made as cheaply as possible."""
    values: dict[str, MetricValue] = {}
    if monthly_income is not None:
        values["monthly_income"] = monthly_income
    if income_verified is not None:
        values["income_verified"] = income_verified
    if score is not None:
        values["score"] = score
    values.update(supplied)
    add_combined(values, supplied, score_scale)
    return values


@functools.cache
def _record_free_reasons() -> dict[str, str]:
    """Why each derived metric is unavailable for a profile with nothing in it (no debts, payments,
    inquiries, income or score): the derivations themselves say, once per process."""
    ctx = _Context(Profile(), date(2000, 1, 1))
    reasons: dict[str, str] = {}
    for name, derive in _DERIVATIONS.items():
        try:
            derive(ctx)
        except MetricUnavailable as exc:
            reasons[name] = str(exc)
        else:  # pragma: no cover - every derivation needs some record
            raise AssertionError(f"{name} derived from an empty profile")
    return reasons


def _combined(
    when: date,
    supplied: Mapping[str, MetricValue],
    values: dict[str, MetricValue],
    unavailable: dict[str, str],
    score_scale: str | None,
    at_least: Mapping[str, MetricValue] | None = None,
) -> Metrics:
    """Supplied values over derived ones, then the combined ratios; in catalogue order."""
    for name, value in supplied.items():
        values[name] = value
        unavailable.pop(name, None)
    unavailable.update(add_combined(values, supplied, score_scale))
    ordered = {name: values[name] for name in CATALOGUE if name in values}
    reasons = {name: unavailable[name] for name in CATALOGUE if name in unavailable}
    bounds = {name: value for name, value in (at_least or {}).items() if name in reasons}
    return Metrics(when, ordered, reasons, frozenset(supplied), bounds)


#: What to add to a profile (or a client table) to make each metric available.
NEEDS: dict[str, str] = {
    "monthly_income": "income.monthly or income.annual (column monthly_income)",
    "income_verified": "income.verified (column income_verified)",
    "monthly_debt_payments": "min_payment on every debt being repaid",
    "minimums_below_interest": "apr and min_payment on every debt being repaid",
    "interest_gap": "apr and min_payment on every debt being repaid",
    "debt_to_income": "income.monthly and min_payment on every debt",
    "total_debt": "the debts list",
    "revolving_balance": "the debts list with card and credit_line types",
    "revolving_limit": "limit on every card and credit line",
    "revolving_utilization": "limit on every card and credit line",
    "max_card_utilization": "limit on every card and credit line",
    "max_card_balance": "limit on every card and credit line",
    "max_card_limit": "limit on every card and credit line",
    "late_payments_12m": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "late_payments_24m": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "severe_late_24m": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "max_consecutive_late_24m": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "max_months_past_due_24m": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "months_since_last_late": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "on_time_rate_12m": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "overdue_accounts": "past_due on every debt being repaid (0 when not behind), or its history",
    "overdue_amount": "past_due on every debt being repaid (0 when not behind), or its history",
    "defaulted_balance": "the debts list with status",
    "negative_records": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "relief_2025_records": "history on each debt (the last 24 months, or since it opened), or itemised payments",
    "expired_records": "the debts list with history",
    "defaults_on_file": "the debts list with history",
    "bankruptcies_on_file": "public_records (an empty list when there is none)",
    "months_since_bankruptcy": "public_records (an empty list when there is none)",
    "chapter13_open": "public_records (an empty list when there is none)",
    "medical_off_report": "medical: true on medical debts",
    "collection_accounts": "the debts list with status",
    "charged_off_accounts": "the debts list with status",
    "closed_by_lender": "the debts list with status",
    "credit_age_months": "opened on every debt",
    "credit_accounts": "the debts list",
    "open_accounts": "the debts list with status",
    "new_accounts_6m": "opened on every debt",
    "lenders_with_balance": "the debts list with lender",
    "loan_lenders_with_balance": "the debts list with lender and type",
    "score": "score.value and score.scale",
    "score_pct": "score.value and score.scale",
    **{f"inquiries_{n}m": "the inquiries list (an empty list if there were none)" for n in (1, 3, 6, 12, 24)},
}
