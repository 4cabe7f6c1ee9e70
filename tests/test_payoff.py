"""Payoff schedules: closed-form checks, the known calculator bugs as regression tests, the strategy
orders, shortfalls, and property tests for the invariants (DOMAIN.md "Debt payoff")."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, getcontext, localcontext
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditfix.model import Debt
from creditfix.payoff import Schedule, Strategy, compare, payment_for, plan_payoff

START = date(2026, 1, 15)
D = Decimal


def debt(id: str, balance: str, apr: str | None, minimum: str | None, **extra: Any) -> Debt:
    return Debt.model_validate(
        {"id": id, "balance": D(balance), "apr": None if apr is None else D(apr), "min_payment": minimum, **extra}
    )


def cents(x: Decimal) -> Decimal:
    return x.quantize(D("0.01"), rounding=ROUND_HALF_UP)


def annuity(principal: Decimal, apr: Decimal, months: int) -> tuple[Decimal, Decimal]:
    """The level payment (rounded up to the cent) that repays a loan in *months*, and the exact
    total interest of the closed form with that payment: (n-1) payments and a last one equal to
    what is left, B(n-1) * (1+r), where B(k) = P(1+r)^k - A((1+r)^k - 1)/r."""
    with localcontext() as ctx:
        ctx.prec = 50
        r = apr / 12
        growth = (1 + r) ** months
        exact = principal * r * growth / (growth - 1)
        payment = exact.quantize(D("0.01"), rounding="ROUND_UP")
        total_interest = (
            (months - 1) * payment + closed_form_balance(principal, r, payment, months - 1) * (1 + r) - principal
        )
    return payment, +total_interest


def closed_form_balance(principal: Decimal, r: Decimal, payment: Decimal, k: int) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 50
        g = (1 + r) ** k
        return principal * g - (payment * k if r == 0 else payment * (g - 1) / r)


LOANS = [
    ("10000", "0.06", 36),
    ("25000", "0.045", 60),
    ("3500", "0.2499", 24),
    ("18000", "0.0799", 48),
    ("1200", "0", 12),
    ("200000", "0.05", 360),
]


@pytest.mark.parametrize(("principal", "apr", "months"), LOANS)
def test_single_loan_matches_the_annuity_formula(principal: str, apr: str, months: int) -> None:
    payment, interest = annuity(D(principal), D(apr), months) if apr != "0" else (D(principal) / months, D(0))
    loan = debt("loan", principal, apr, str(payment), type="personal_loan")
    schedule = plan_payoff([loan], strategy=Strategy.avalanche, start=START)
    assert schedule.months_to_debt_free == months
    assert schedule.debt_free_date == date(2026 + (months // 12), 1, 15)
    assert schedule.total_paid == D(principal) + schedule.total_interest
    assert schedule.shortfall is None
    # The schedule rounds each month's interest to cents; the closed form does not. The difference
    # is the sum of those roundings grown at the loan's rate, at most half a cent a month each.
    r = D(apr) / 12
    with localcontext() as ctx:
        ctx.prec = 50
        bound = D("0.005") * (months if r == 0 else ((1 + r) ** months - 1) / r)
    assert abs(schedule.total_interest - interest) <= bound


@pytest.mark.parametrize(("principal", "apr", "months"), LOANS)
def test_single_loan_is_the_closed_form_plus_its_roundings_to_the_cent(principal: str, apr: str, months: int) -> None:
    """Every month's balance equals B(k) plus the cent roundings the schedule made, each grown at
    (1+r) since: the schedule is the annuity formula, to the cent, over the whole term."""
    payment = annuity(D(principal), D(apr), months)[0] if apr != "0" else D(principal) / months
    schedule = plan_payoff([debt("loan", principal, apr, str(payment))], strategy=Strategy.avalanche, start=START)
    r = D(apr) / 12
    previous, drift = D(principal), D(0)
    with localcontext() as ctx:
        ctx.prec = 50
        for row in schedule.rows[:-1]:
            month = row.debts[0]
            assert month.payment == payment
            drift = drift * (1 + r) + (month.interest - previous * r)
            expected = closed_form_balance(D(principal), r, payment, row.month) + drift
            assert abs(month.balance - expected) < D("0.000001"), row.month
            previous = month.balance
        last = schedule.rows[-1].debts[0]
        assert last.payment == previous + last.interest
        assert last.balance == 0


def test_known_loan_against_the_textbook() -> None:
    # 10,000 at 6% over 36 months: payment 304.22 (exact 304.2194), total interest 951.90 exactly
    # in the closed form; cent rounding of 36 monthly charges moves it by at most a few cents.
    schedule = plan_payoff([debt("car", "10000", "0.06", "304.22")], strategy=Strategy.avalanche, start=START)
    assert schedule.months_to_debt_free == 36
    assert schedule.debt_free_date == date(2029, 1, 15)
    assert all(r.debts[0].payment == D("304.22") for r in schedule.rows[:-1])
    assert schedule.rows[-1].debts[0].payment < D("304.22")
    assert abs(schedule.total_interest - D("951.90")) <= D("0.05")


def test_zero_apr_debt_costs_no_interest() -> None:
    schedule = plan_payoff(
        [debt("promo", "1200", "0", "100", type="card", limit="2000")], strategy=Strategy.avalanche, start=START
    )
    assert schedule.months_to_debt_free == 12
    assert schedule.total_interest == 0
    assert schedule.total_paid == D("1200")
    assert all(row.debts[0].payment == D("100") for row in schedule.rows)


@pytest.mark.parametrize(
    "paid",
    [
        debt("zero", "0", None, None),
        debt("closed", "500", None, None, status="closed"),
        debt("settled", "500", "0.2", "50", status="settled"),
    ],
    ids=["zero-balance", "closed", "settled"],
)
def test_a_debt_already_paid_is_skipped(paid: Debt) -> None:
    other = debt("loan", "1000", "0", "100")
    schedule = plan_payoff([paid, other], strategy=Strategy.snowball, start=START)
    assert [d.id for d in schedule.rows[0].debts] == ["loan"]
    assert schedule.months_to_debt_free == 10
    alone = plan_payoff([paid], strategy=Strategy.avalanche, start=START)
    assert alone.months_to_debt_free == 0
    assert alone.debt_free_date == START
    assert alone.rows == ()


@pytest.mark.parametrize("strategy", list(Strategy))
def test_empty_debt_list_is_debt_free_now(strategy: Strategy) -> None:
    order = ["x"] if strategy is Strategy.custom else ()
    if order:
        with pytest.raises(ValueError, match="no debt with id x"):
            plan_payoff([], strategy=strategy, order=order, start=START)
        return
    schedule = plan_payoff([], strategy=strategy, budget=D("100"), start=START)
    assert (schedule.months_to_debt_free, schedule.debt_free_date) == (0, START)
    assert schedule.total_interest == schedule.total_paid == 0
    assert schedule.rows == ()
    assert schedule.close_order == ()
    assert schedule.shortfall is None


def test_compare_on_empty_debts() -> None:
    schedules = compare([], extra=D("50"), start=START)
    assert [s.strategy for s in schedules] == ["avalanche", "snowball", "minimums", "credit_aware"]
    assert all(s.interest_saved == 0 and s.months_saved == 0 for s in schedules)


@pytest.mark.parametrize(
    ("debts", "message"),
    [
        ([debt("visa-1", "500", "0.2", None)], r"^debt visa-1: no min_payment"),
        ([debt("visa-1", "500", None, "25")], r"^debt visa-1: no apr"),
        ([debt("a", "500", "0.2", "25"), debt("a", "10", "0.2", "5")], r"^debt a: duplicate"),
    ],
    ids=["no-minimum", "no-apr", "duplicate-id"],
)
def test_missing_facts_are_one_line_errors_naming_the_debt(debts: list[Debt], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_payoff(debts, strategy=Strategy.avalanche, start=START)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"strategy": Strategy.custom}, "needs an order"),
        ({"strategy": Strategy.custom, "order": ["a", "nope"]}, "no debt with id nope"),
        ({"strategy": Strategy.custom, "order": ["a", "a"]}, "listed twice"),
        ({"strategy": Strategy.avalanche, "order": ["a"]}, "only used by the custom strategy"),
        ({"strategy": Strategy.avalanche, "budget": D("1"), "extra": D("1")}, "not both"),
        ({"strategy": Strategy.avalanche, "extra": D("-5")}, "non-negative"),
        ({"strategy": Strategy.avalanche, "max_months": 0}, "at least 1"),
    ],
)
def test_bad_options_are_errors(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        plan_payoff([debt("a", "500", "0.2", "25")], start=START, **kwargs)


# --- the calculator bugs (DOMAIN.md) ------------------------------------------------------------

CARD = debt("card", "10000", "0.24", "150", type="card", limit="12000")


def test_budget_below_the_interest_is_flagged_with_payments_that_work() -> None:
    # 24% on 10,000 is 200.00 a month; 150 a month never gets anywhere.
    schedule = plan_payoff([CARD], strategy=Strategy.avalanche, budget=D("150"), start=START, max_months=120)
    assert schedule.shortfall is not None
    assert schedule.shortfall.kind == "interest"
    assert "does not cover the interest (200.00" in schedule.shortfall.message
    # Never "paid off" with a balance left.
    assert schedule.months_to_debt_free is None
    assert schedule.debt_free_date is None
    assert not schedule.debt_free
    assert schedule.end_balance > schedule.start_balance
    assert [r.balance for r in schedule.rows] == sorted(r.balance for r in schedule.rows)
    for months in (36, 60):
        payment = schedule.shortfall.payments[months]
        works = plan_payoff([CARD], strategy=Strategy.avalanche, budget=payment, start=START, max_months=months)
        assert works.debt_free
        assert works.months_to_debt_free == months, "the smallest payment needs all the months"
        short = plan_payoff(
            [CARD], strategy=Strategy.avalanche, budget=payment - D("0.01"), start=START, max_months=months
        )
        assert not short.debt_free, "a cent less does not finish: the payment is the least that works"
    # The standard 36-month payment on 10,000 at 24% is 392.33 (annuity formula).
    assert schedule.shortfall.payments[36] == annuity(D("10000"), D("0.24"), 36)[0]


def test_minimum_below_the_interest_is_flagged_under_minimums_only() -> None:
    schedule = plan_payoff([CARD], strategy=Strategy.minimums, start=START, max_months=60)
    assert schedule.shortfall is not None
    assert schedule.shortfall.kind == "interest"
    assert "card" in schedule.shortfall.message
    assert schedule.months_to_debt_free is None
    assert schedule.rows[-1].balance > D("10000")


def test_balance_that_falls_at_first_then_outgrows_the_budget_is_flagged() -> None:
    # Month 1 interest is 300 of a 410 budget, but the 36% card gets only 10 a month until the 0%
    # loan is paid; by then its interest alone is above the budget.
    debts = [debt("loan", "9000", "0", "400"), debt("card", "10000", "0.36", "10", type="card", limit="10000")]
    schedule = plan_payoff(debts, strategy=Strategy.avalanche, start=START, max_months=120)
    assert schedule.rows[0].balance < schedule.start_balance
    assert schedule.shortfall is not None
    assert schedule.shortfall.kind == "interest"
    assert "grows from 19,000.00 to" in schedule.shortfall.message
    assert schedule.months_to_debt_free is None
    assert schedule.utilisation_under_30 == {"card": None}


def test_budget_below_the_minimums_is_flagged_and_misses_the_least_urgent() -> None:
    debts = [debt("hi", "1000", "0.30", "100"), debt("lo", "1000", "0.05", "100")]
    schedule = plan_payoff(debts, strategy=Strategy.avalanche, budget=D("150"), start=START)
    assert schedule.shortfall is not None
    assert schedule.shortfall.kind == "minimums"
    assert "below the minimums due (200.00)" in schedule.shortfall.message
    first = {d.id: d for d in schedule.rows[0].debts}
    assert first["hi"].payment == D("100")
    assert first["lo"].payment == D("50")
    assert first["lo"].minimum_missed
    assert schedule.shortfall.payments[60] >= D("200"), "never suggests less than the minimums"
    # it gets paid off (late fees aside), but a plan that misses minimums gives no date
    assert schedule.rows[-1].balance == 0
    assert (schedule.months_to_debt_free, schedule.debt_free_date) == (None, None)


def test_a_month_cap_never_reports_paid_off() -> None:
    schedule = plan_payoff(
        [debt("loan", "5000", "0.1", "100")], strategy=Strategy.avalanche, start=START, max_months=12
    )
    assert schedule.months_to_debt_free is None
    assert schedule.debt_free_date is None
    assert schedule.end_balance > 0
    assert schedule.shortfall is not None
    assert schedule.shortfall.kind == "slow"
    assert "12 months" in schedule.shortfall.message


THREE = [
    debt("visa", "4000", "0.22", "120", type="card", limit="5000"),
    debt("store", "800", "0.28", "35", type="card", limit="1000"),
    debt("car", "9000", "0.07", "260", type="auto"),
]


@pytest.mark.parametrize("strategy", [s for s in Strategy if s is not Strategy.custom])
def test_every_minimum_is_paid_every_month(strategy: Strategy) -> None:
    schedule = plan_payoff(THREE, strategy=strategy, extra=D("250"), start=START)
    assert schedule.debt_free
    minimums = {d.id: d.min_payment or D(0) for d in THREE}
    previous = {d.id: d.balance for d in THREE}
    for row in schedule.rows:
        for d in row.debts:
            owed = previous[d.id] + d.interest
            assert d.minimum == min(minimums[d.id], owed)
            assert d.payment >= d.minimum, (row.month, d.id)
            previous[d.id] = d.balance


def test_non_targets_get_exactly_their_minimum() -> None:
    schedule = plan_payoff(THREE, strategy=Strategy.avalanche, extra=D("250"), start=START)
    first = {d.id: d.payment for d in schedule.rows[0].debts}
    assert first == {"visa": D("120"), "store": D("35") + D("250"), "car": D("260")}


def test_interest_is_charged_once_per_month_on_the_balance() -> None:
    schedule = plan_payoff(THREE, strategy=Strategy.snowball, extra=D("100"), start=START)
    aprs = {d.id: d.apr for d in THREE}
    previous = {d.id: d.balance for d in THREE}
    for row in schedule.rows:
        for d in row.debts:
            assert d.interest == cents(previous[d.id] * aprs[d.id] / 12)  # type: ignore[operator]
            assert d.balance == previous[d.id] + d.interest - d.payment
            previous[d.id] = d.balance
    # A year of one card on its own: interest is 12 monthly charges, not 24.
    one = plan_payoff([debt("c", "1000", "0.12", "1000")], strategy=Strategy.avalanche, start=START)
    assert one.rows[0].debts[0].interest == D("10.00")
    assert one.months_to_debt_free == 2


def test_freed_money_rolls_to_the_next_target_the_same_month() -> None:
    schedule = plan_payoff(THREE, strategy=Strategy.avalanche, budget=D("700"), start=START)
    assert schedule.months_to_debt_free is not None
    for row in schedule.rows[:-1]:
        assert row.payment == D("700"), f"the whole budget is used in month {row.month}"
    assert schedule.total_paid == 700 * (len(schedule.rows) - 1) + schedule.rows[-1].payment


# --- orders ------------------------------------------------------------------------------------


def test_strategy_orders() -> None:
    by = {s.strategy: s for s in compare(THREE, extra=D("250"), order=["car", "visa", "store"], start=START)}
    assert by[Strategy.avalanche].close_order == ("store", "visa", "car")
    assert by[Strategy.snowball].close_order == ("store", "visa", "car")
    assert by[Strategy.custom].close_order[0] == "car"
    first_custom = {d.id: d.payment for d in by[Strategy.custom].rows[0].debts}
    assert first_custom["car"] == D("260") + D("250")


def test_avalanche_and_snowball_differ_and_break_ties() -> None:
    debts = [
        debt("big-high", "6000", "0.25", "100"),
        debt("small-low", "500", "0.05", "25"),
        debt("b-tie", "500", "0.05", "25"),
    ]
    avalanche = plan_payoff(debts, strategy=Strategy.avalanche, extra=D("300"), start=START)
    snowball = plan_payoff(debts, strategy=Strategy.snowball, extra=D("300"), start=START)
    assert avalanche.close_order[0] == "big-high"
    # Equal balance and APR: the id decides.
    assert snowball.close_order[:2] == ("b-tie", "small-low")
    assert avalanche.total_interest < snowball.total_interest


def test_avalanche_tie_on_apr_pays_the_smaller_balance() -> None:
    debts = [debt("a", "3000", "0.2", "50"), debt("b", "1000", "0.2", "50")]
    schedule = plan_payoff(debts, strategy=Strategy.avalanche, extra=D("200"), start=START)
    assert {d.id: d.payment for d in schedule.rows[0].debts} == {"a": D("50"), "b": D("250")}


def test_custom_order_lists_some_debts_and_the_rest_follow_by_avalanche() -> None:
    schedule = plan_payoff(THREE, strategy=Strategy.custom, order=["car"], extra=D("250"), start=START)
    assert schedule.close_order == ("car", "store", "visa")


def test_credit_aware_clears_overdue_then_utilisation_then_avalanche() -> None:
    debts = [
        debt("loan", "3000", "0.30", "100", type="personal_loan"),
        debt("late", "2000", "0.10", "50", type="card", limit="10000", past_due="120"),
        debt("maxed", "1900", "0.15", "40", type="card", limit="2000"),
        debt("coll", "300", "0", "0", status="collection"),
    ]
    schedule = plan_payoff(debts, strategy=Strategy.credit_aware, extra=D("600"), start=START)
    first = {d.id: d for d in schedule.rows[0].debts}
    # Collection paid whole, then the past-due 120 on top of the month's minimum 50, then "maxed"
    # down under 30%.
    assert first["coll"].payment == D("300")
    assert first["late"].payment == D("50") + D("120")
    assert first["maxed"].payment == D("40") + D("600") - D("300") - D("120")
    assert first["loan"].payment == D("100")
    assert schedule.close_order[0] == "coll"
    under = schedule.utilisation_under_30
    assert under["late"] == 0, "2,000 of 10,000 is already under 30%"
    assert under["maxed"] is not None
    avalanche = plan_payoff(debts, strategy=Strategy.avalanche, extra=D("600"), start=START)
    assert under["maxed"] < avalanche.utilisation_under_30["maxed"]  # type: ignore[operator]


def test_utilisation_under_30_is_strict_and_none_when_never() -> None:
    card = debt("c", "1000", "0", "100", type="card", limit="1000")
    schedule = plan_payoff([card], strategy=Strategy.avalanche, start=START)
    # 1000 → 900 ... 300 after month 7 is exactly 30%, not under; 200 after month 8 is.
    assert schedule.utilisation_under_30 == {"c": 8}
    capped = plan_payoff([card], strategy=Strategy.avalanche, start=START, max_months=3)
    assert capped.utilisation_under_30 == {"c": None}


def test_compare_reports_interest_and_months_saved_against_minimums() -> None:
    schedules = compare(THREE, extra=D("250"), start=START)
    minimums = next(s for s in schedules if s.strategy is Strategy.minimums)
    assert minimums.debt_free
    for s in schedules:
        assert s.interest_saved == minimums.total_interest - s.total_interest
        assert s.months_saved == minimums.months_to_debt_free - s.months_to_debt_free  # type: ignore[operator]
        if s.strategy is not Strategy.minimums:
            assert s.interest_saved > 0
            assert s.months_saved > 0  # type: ignore[operator]


def test_payment_for_agrees_with_the_simulation() -> None:
    for months in (12, 36):
        payment = payment_for(THREE, months, start=START)
        assert (
            plan_payoff(THREE, strategy=Strategy.avalanche, budget=payment, start=START).months_to_debt_free == months
        )
        slower = plan_payoff(THREE, strategy=Strategy.avalanche, budget=payment - D("0.01"), start=START)
        assert slower.months_to_debt_free is None or slower.months_to_debt_free > months
    assert payment_for([], 36, start=START) == 0


# --- properties --------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=20000, places=2, allow_nan=False, allow_infinity=False)
aprs = st.decimals(min_value=0, max_value=D("0.36"), places=4)


@st.composite
def debt_lists(draw: st.DrawFn) -> list[Debt]:
    count = draw(st.integers(min_value=1, max_value=5))
    debts = []
    for i in range(count):
        balance = draw(money)
        apr = draw(aprs)
        # Minimums from "below the interest" to "the whole balance".
        minimum = draw(st.decimals(min_value=D("1"), max_value=max(D("1"), balance), places=2))
        revolving = draw(st.booleans())
        fields: dict[str, Any] = {"type": "card" if revolving else "personal_loan"}
        if revolving:
            fields["limit"] = draw(st.decimals(min_value=max(D("1"), balance), max_value=D("40000"), places=2))
        if draw(st.integers(0, 5)) == 0:
            fields["past_due"] = minimum
        debts.append(debt(f"d{i}", str(balance), str(apr), str(minimum), **fields))
    return debts


FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check_invariants(debts: list[Debt], schedule: Schedule) -> None:
    previous = {d.id: cents(d.balance) for d in debts}
    for row in schedule.rows:
        for d in row.debts:
            assert d.balance >= 0
            assert d.payment >= 0
            assert d.balance == previous[d.id] + d.interest - d.payment
            previous[d.id] = d.balance
    payments = sum((d.payment for r in schedule.rows for d in r.debts), D(0))
    principal = sum((d.principal for r in schedule.rows for d in r.debts), D(0))
    assert payments == principal + schedule.total_interest
    assert principal == schedule.start_balance - schedule.end_balance
    assert payments == schedule.total_paid
    missed = any(d.minimum_missed for r in schedule.rows for d in r.debts)
    if schedule.debt_free:
        assert schedule.end_balance == 0
        assert not missed  # a run that misses a minimum gives no debt-free date, even if it gets there
    else:
        assert schedule.end_balance > 0 or missed


@FAST
@given(debts=debt_lists(), extra=money, strategy=st.sampled_from([s for s in Strategy if s is not Strategy.custom]))
def test_balances_never_negative_and_money_is_conserved(debts: list[Debt], extra: Decimal, strategy: Strategy) -> None:
    schedule = plan_payoff(debts, strategy=strategy, extra=extra, start=START, max_months=240)
    _check_invariants(debts, schedule)


@FAST
@given(debts=debt_lists(), budget=money)
def test_any_budget_conserves_money(debts: list[Debt], budget: Decimal) -> None:
    schedule = plan_payoff(debts, strategy=Strategy.credit_aware, budget=budget, start=START, max_months=240)
    _check_invariants(debts, schedule)
    if schedule.shortfall is not None:
        assert all(p >= 0 for p in schedule.shortfall.payments.values())


@FAST
@given(debts=debt_lists(), extra=money)
def test_avalanche_never_costs_more_interest_than_snowball(debts: list[Debt], extra: Decimal) -> None:
    avalanche = plan_payoff(debts, strategy=Strategy.avalanche, extra=extra, start=START, max_months=240)
    snowball = plan_payoff(debts, strategy=Strategy.snowball, extra=extra, start=START, max_months=240)
    if avalanche.debt_free and snowball.debt_free:
        # Exactly true before rounding; each monthly charge is rounded to the cent, so on tiny or
        # near-equal debts the two may differ the other way by at most those half cents.
        assert avalanche.total_interest <= snowball.total_interest + rounding(avalanche) + rounding(snowball)


def rounding(schedule: Schedule) -> Decimal:
    """The most the schedule's cent rounding can move its total interest: half a cent per charge."""
    return D("0.005") * sum(1 for row in schedule.rows for d in row.debts if d.interest or d.principal)


def test_avalanche_beats_snowball_by_real_money() -> None:
    debts = [
        debt("card", "8000", "0.26", "200"),
        debt("loan", "1500", "0.06", "60"),
        debt("store", "600", "0.12", "25"),
    ]
    avalanche = plan_payoff(debts, strategy=Strategy.avalanche, extra=D("300"), start=START)
    snowball = plan_payoff(debts, strategy=Strategy.snowball, extra=D("300"), start=START)
    assert snowball.total_interest - avalanche.total_interest > D("50")


@FAST
@given(debts=debt_lists(), extra=money)
def test_no_strategy_takes_longer_than_minimums_only(debts: list[Debt], extra: Decimal) -> None:
    schedules = compare(debts, extra=extra, order=[d.id for d in reversed(debts)], start=START, max_months=240)
    minimums = next(s for s in schedules if s.strategy is Strategy.minimums)
    for s in schedules:
        if minimums.months_to_debt_free is not None:
            assert s.months_to_debt_free is not None
            assert s.months_to_debt_free <= minimums.months_to_debt_free
            assert s.total_interest <= minimums.total_interest


def test_decimal_context_is_untouched() -> None:
    assert getcontext().prec == 28


def test_an_account_left_past_due_after_month_1_is_a_shortfall() -> None:
    """The minimums never bring an overdue account up to date: a schedule that leaves the amount
    past due says so (and what to pay); credit-aware with enough extra clears it in month 1."""
    card = debt("card", "5000", "0.24", "150", past_due="300", type="card", limit="6000")
    loan = debt("loan", "2000", "0.08", "100")
    only = plan_payoff([card, loan], strategy=Strategy.minimums, start=START)
    assert only.shortfall is not None
    assert (only.shortfall.kind, only.shortfall.payments) == ("overdue", {})
    assert only.shortfall.message == (
        "still past due after month 1: card (300.00); the minimums never bring an account up to date, so pay "
        "300.00 on top of them to it in month 1 to stop further late months"
    )
    snowball = plan_payoff([card, loan], strategy=Strategy.snowball, extra=D("300"), start=START)
    assert snowball.shortfall is not None  # the extra went to the smaller loan
    assert snowball.shortfall.kind == "overdue"
    aware = plan_payoff([card, loan], strategy=Strategy.credit_aware, extra=D("300"), start=START)
    assert aware.rows[0].debts[0].past_due == 0
    assert aware.shortfall is None or aware.shortfall.kind != "overdue"


def test_credit_aware_pays_cards_under_the_packs_levels() -> None:
    """A CN client's cards go under 80%, then 70%, then 50% (cn's levels); a US client's under 30%
    first: with 0% APR and 2,000 on top of the minimums, the 85% card takes it all in the US, while
    in CN the 75% card gets its share on the way under 70%, once the 85% one is under 80%."""
    from creditfix.payoff import DEFAULT_TARGETS, utilisation_targets
    from creditfix.rules.engine import load_packs

    debts = [
        debt("a", "8500", "0", "100", limit="10000", type="card"),
        debt("b", "7500", "0", "100", limit="10000", type="card"),
    ]
    cn = utilisation_targets(p.params for p in load_packs(["core", "cn"]))
    us = utilisation_targets(p.params for p in load_packs(["core", "us"]))
    assert cn == (D("0.8"), D("0.7"), D("0.5"))
    assert us == (D("0.9"), D("0.3"), D("0.1"))  # a maxed card first: us-card-maxed reads 90%
    assert utilisation_targets([]) == DEFAULT_TARGETS == (D("0.3"), D("0.1"))
    assert utilisation_targets([{"util_flag": 80, "other": D("0.2")}]) == DEFAULT_TARGETS  # not ratios

    def first_month(targets: tuple[Decimal, ...]) -> dict[str, Decimal]:
        schedule = plan_payoff(debts, strategy=Strategy.credit_aware, extra=D("2000"), start=START, targets=targets)
        return {d.id: d.payment for d in schedule.rows[0].debts}

    # both are under 90%; b needs 4,400.01 to get under 30%, a 5,400.01: b first (nearest the level)
    assert first_month(us) == {"a": D("100"), "b": D("2100")}
    # The order is set from the month's balances before payments (a 8,500, b 7,500: b is nearer
    # every level); each amount when the money gets there, after the minimums (a 8,400, b 7,400):
    # a to 7,999.99 (under 80%: 400.01), under 70% b (400.01) then a (1,000), and what is left
    # (199.98) to b on the way to 50%
    assert first_month(cn) == {"a": D("100") + D("400.01") + D("1000"), "b": D("100") + D("400.01") + D("199.98")}
