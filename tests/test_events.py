"""Profile events in payoff: each kind lands in the right month with the right money, past events
are not applied, and a malformed event is one located line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from creditfix.model import Event
from creditfix.payoff import Strategy, event_month, plan_payoff
from test_payoff import START, D, debt

CARD = debt("card", "3000", "0.24", "100", type="card", limit="5000")
LOAN = debt("loan", "6000", "0", "200", type="personal_loan")


def event(**fields: object) -> Event:
    return Event.model_validate(fields)


def test_event_month_is_the_first_payment_date_on_or_after_it() -> None:
    # Month m is dated START + m months (2026-01-15 → month 1 is 2026-02-15).
    assert event_month(date(2026, 1, 15), START) == 0  # the start itself: past
    assert event_month(date(2026, 1, 16), START) == 1
    assert event_month(date(2026, 2, 15), START) == 1
    assert event_month(date(2026, 2, 16), START) == 2
    assert event_month(date(2025, 12, 31), START) < 1


def test_lump_sum_goes_to_its_debt_that_month_and_only_that_month() -> None:
    plain = plan_payoff([CARD, LOAN], strategy=Strategy.avalanche, extra=D("0"), start=START)
    lump = plan_payoff(
        [CARD, LOAN],
        strategy=Strategy.avalanche,
        extra=D("0"),
        start=START,
        events=[event(date="2026-03-01", type="lump_sum", amount="1000", debt="loan")],
    )
    # Month 2 (2026-03-15) gets it; the loan is 0% APR, so it is not the avalanche target.
    assert lump.rows[1].payment == plain.rows[1].payment + 1000
    assert {d.id: d.payment for d in lump.rows[1].debts}["loan"] == D("1200.00")
    assert lump.rows[0].payment == plain.rows[0].payment
    assert lump.rows[2].payment == plain.rows[2].payment
    assert lump.total_paid + D("0") == lump.total_interest + CARD.balance + LOAN.balance
    assert lump.months_to_debt_free is not None
    assert plain.months_to_debt_free is not None
    assert lump.months_to_debt_free < plain.months_to_debt_free


def test_promo_end_raises_the_apr_from_that_months_interest() -> None:
    promo = debt("promo", "2400", "0", "100", type="card", limit="3000")
    schedule = plan_payoff(
        [promo],
        strategy=Strategy.minimums,
        start=START,
        events=[event(date="2026-04-10", type="promo_end", debt="promo", apr="24%")],
    )
    interest = [r.interest for r in schedule.rows[:4]]
    # Months 1-2 at 0%; month 3 (2026-04-15) charges 2% of the 2,200 left, month 4 2% of 2,144.
    assert interest == [D("0.00"), D("0.00"), D("44.00"), D("42.88")]


def test_raise_and_budget_change_the_money_from_their_month_on() -> None:
    schedule = plan_payoff(
        [LOAN],
        strategy=Strategy.avalanche,
        budget=D("300"),
        start=START,
        events=[
            event(date="2026-03-15", type="raise", amount="100"),
            event(date="2026-05-15", type="budget", amount="250"),
        ],
    )
    assert [r.payment for r in schedule.rows[:5]] == [D("300"), D("400"), D("400"), D("250"), D("250")]


def test_minimums_baseline_ignores_money_events_but_not_debt_events() -> None:
    events = [
        event(date="2026-03-01", type="lump_sum", amount="1000"),
        event(date="2026-03-01", type="raise", amount="1000"),
        event(date="2026-06-01", type="promo_end", debt="loan", apr="12%"),
    ]
    schedule = plan_payoff([LOAN], strategy=Strategy.minimums, start=START, events=events)
    assert {r.payment for r in schedule.rows[:-1]} == {D("200.00")}
    assert schedule.rows[4].interest > 0  # 2026-06-15: the 12% applies


def test_new_debt_joins_without_interest_or_minimum_in_its_first_month() -> None:
    car = {"id": "car", "type": "auto", "balance": "5000", "apr": "6%", "min_payment": "150"}
    schedule = plan_payoff(
        [CARD],
        strategy=Strategy.avalanche,
        budget=D("1000"),
        start=START,
        events=[event(date="2026-06-01", type="new_debt", account=car)],
    )
    ids = [[d.id for d in r.debts] for r in schedule.rows]
    assert ids[3] == ["card"]
    assert ids[4] == ["card", "car"]
    joined = schedule.rows[4].debts[1]
    assert (joined.interest, joined.minimum, joined.payment, joined.balance) == (0, 0, 0, D("5000"))
    assert schedule.rows[5].debts[1].interest == D("25.00")  # 0.5% of 5,000 the month after
    assert schedule.borrowed == D("5000")
    assert schedule.debt_free
    assert schedule.close_order == ("card", "car")
    assert schedule.total_paid == schedule.total_interest + CARD.balance + D("5000")


def test_debt_free_waits_for_a_debt_still_to_come() -> None:
    small = debt("small", "100", "0", "100")
    car = {"id": "car", "type": "auto", "balance": "600", "apr": "0", "min_payment": "200"}
    schedule = plan_payoff(
        [small],
        strategy=Strategy.avalanche,
        budget=D("200"),
        start=START,
        events=[event(date="2026-05-15", type="new_debt", account=car)],
    )
    # small is paid in month 1, car joins in month 4 and is paid in months 5-7.
    assert schedule.months_to_debt_free == 7


def test_missed_minimums_become_past_due_and_are_reported() -> None:
    schedule = plan_payoff([CARD], strategy=Strategy.minimums, start=START, pay={"card": D("40")})
    assert [r.debts[0].past_due for r in schedule.rows[:3]] == [D("60.00"), D("120.00"), D("180.00")]
    assert schedule.shortfall is not None
    assert schedule.shortfall.kind == "interest"


def test_pay_names_only_known_debts() -> None:
    with pytest.raises(ValueError, match="pay: no debt with id nope"):
        plan_payoff([CARD], strategy=Strategy.minimums, start=START, pay={"nope": D("1")})


@pytest.mark.parametrize(
    ("event_yaml", "message"),
    [
        (
            "{date: 2027-01-01, type: lump_sum}",
            "p.yaml:5: events[0].amount: a lump_sum event needs amount",
        ),
        (
            "{date: 2027-01-01, type: raise, amount: 100, debt: card}",
            "p.yaml:5: events[0].debt: is not used by a raise event",
        ),
        (
            "{date: 2027-01-01, type: promo_end, debt: crad, apr: 20%}",
            "p.yaml:5: events[0].debt: no debt with this id (did you mean 'card'?)",
        ),
        (
            "{date: 2027-01-01, type: windfall, amount: 5}",
            "p.yaml:5: events[0].type: must be one of 'lump_sum', 'raise', 'budget', 'promo_end' or 'new_debt'",
        ),
        (
            "{date: 2027-01-01, type: new_debt, account: {id: card, balance: 5}}",
            "p.yaml:5: events[0].account.id: duplicate debt id",
        ),
        (
            "{date: 2027-13-01, type: raise, amount: 5}",
            "p.yaml:5: events[0].date:",
        ),
        (
            "{date: 2027-01-01, type: new_debt, account: {id: car, balance: 5, past_due: 1}}",
            "p.yaml:5: events[0].account.past_due: a new debt has nothing past due",
        ),
        (
            "{date: 2027-01-01, type: new_debt, account: {id: car, balance: 5, history: NN}}",
            "p.yaml:5: events[0].account.history: a new debt has none yet",
        ),
        (
            "{date: 2027-01-01, type: promo_end, debt: car, apr: 9%}\n"
            "  - {date: 2027-02-01, type: new_debt, account: {id: car, balance: 5}}",
            "p.yaml:5: events[0].date: is not after the new_debt event that opens this debt",
        ),
    ],
)
def test_a_bad_event_is_one_located_line(run, tmp_path: Path, event_yaml: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "as_of: 2026-11-20\ndebts:\n  - {id: card, type: card, balance: 10, limit: 100}\nevents:\n  - "
        + event_yaml
        + "\n",
        encoding="utf-8",
    )
    result = run("payoff", path)
    assert result.code == 2
    assert result.err.startswith(f"creditfix: error: {tmp_path}/{message}")
    assert result.err.count("\n") == 1


def test_payoff_cli_applies_events_and_notes_past_ones(run, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "as_of: 2026-11-20\n"
        "debts:\n  - {id: card, type: card, balance: 3000, limit: 5000, apr: 24%, min_payment: 100}\n"
        "events:\n"
        "  - {date: 2026-10-01, type: lump_sum, amount: 500}\n"
        "  - {date: 2027-01-10, type: lump_sum, amount: 1000}\n",
        encoding="utf-8",
    )
    import json

    result = run("payoff", path, "--strategy", "avalanche", "--format", "json")
    assert result.code == 0, result.err
    assert result.err == ("creditfix: note: lump_sum event on 2026-10-01 is not after 2026-11-20; not applied\n")
    document = json.loads(result.out)
    assert document["events"] == [
        {"date": "2027-01-10", "type": "lump_sum", "month": 2, "amount": 1000, "debt": None, "apr": None}
    ]
    table = run("payoff", path, "--strategy", "avalanche")
    assert "Events: 2027-01-10 lump sum 1,000.00\n" in table.out
    plain = run("payoff", path, "--strategy", "avalanche", "--format", "json", "--as-of", "2027-02-01")
    assert (
        json.loads(result.out)["strategies"][0]["months_to_debt_free"]
        < json.loads(plain.out)["strategies"][0]["months_to_debt_free"]
    )
