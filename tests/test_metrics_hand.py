"""compute_metrics against values computed by hand, the way a credit advisor would.

Every expected number was worked out from DESIGN.md §2-3 and the conventions in the ``creditfix.metrics``
docstring, with the arithmetic in a comment. Expectations are written ``"name=value ..."``: a value is an
integer, a decimal, a fraction ``a/b``, ``true``/``false``, or ``!word`` for "unavailable, with a reason
mentioning *word*" (never 0).
"""

from __future__ import annotations

import textwrap
from datetime import date
from decimal import Decimal

import pytest

from creditfix.load.profile import parse_profile_text
from creditfix.metrics import CATALOGUE, Metrics, clean_by_dates, compute_metrics
from creditfix.model import Profile

P = pytest.param
INQUIRY_METRICS = ("inquiries_1m", "inquiries_3m", "inquiries_6m", "inquiries_12m", "inquiries_24m")


def bug(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(reason="BUG: " + reason, strict=True)


def run(text: str, as_of: date | None = None) -> Metrics:
    return compute_metrics(parse_profile_text(textwrap.dedent(text), "t.yaml"), as_of)


def run_in(jurisdiction: str, body: str, as_of: str = "2026-11-20") -> Metrics:
    """:func:`run` of a profile of *jurisdiction* on *as_of* whose lists are *body*."""
    return run(f"as_of: {as_of}\nclient: {{jurisdiction: {jurisdiction}}}\n{body}")


def parse_expected(spec: str) -> dict[str, object]:
    expected: dict[str, object] = {}
    for token in spec.split():
        name, raw = token.split("=", 1)
        if name.endswith(">"):  # name>=N: unavailable, with the lower bound N
            name, raw = name[:-1], ">" + raw
        assert name in CATALOGUE, f"not a metric: {name}"
        if raw.startswith(">"):
            expected[name] = raw
            continue
        if raw.startswith("!") or raw in ("true", "false"):
            expected[name] = raw
        elif "/" in raw:
            top, bottom = raw.split("/")
            expected[name] = Decimal(top) / Decimal(bottom)
        else:
            expected[name] = Decimal(raw) if "." in raw else int(raw)
    return expected


def check(m: Metrics, spec: str) -> None:
    for name, want in parse_expected(spec).items():
        if isinstance(want, str) and want.startswith(">"):
            assert name not in m.values, f"{name} should be a lower bound, got {m.values.get(name)!r}"
            assert m.at_least.get(name) == int(want[1:]), f"{name}: at least {m.at_least.get(name)!r}"
            continue
        if isinstance(want, str) and want.startswith("!"):
            assert name not in m.values, f"{name} should be unavailable, got {m.values.get(name)!r}"
            reason = m.unavailable.get(name, "")
            assert reason, f"{name}: no reason given"
            assert want[1:].lower() in reason.lower(), f"{name}: {reason!r}"
            continue
        assert name in m.values, f"{name} unavailable: {m.unavailable.get(name)!r}"
        got = m.values[name]
        if isinstance(want, str):
            assert got is (want == "true"), f"{name}: {got!r} != {want}"
        elif isinstance(want, int):
            assert not isinstance(got, bool), f"{name}: {got!r} is a bool"
            assert got == want, f"{name}: {got!r} != {want!r}"
        else:
            assert float(got) == pytest.approx(float(want), rel=1e-9), f"{name}: {got!r} != {want!r}"


# ---------------------------------------------------------------------------------------------------------
# One realistic CN file: every metric in the catalogue, checked at once.

BASE = """\
    as_of: 2026-11-01
    client: {jurisdiction: CN}
    income: {monthly: 12000, verified: false}
    score: {value: 612, scale: sesame}
    debts:
      - {id: jiebei, lender: 借呗, type: credit_line, balance: 18000, limit: 20000, min_payment: 900,
         status: closed_by_lender, opened: 2021-03-01, past_due: 0, history: "NNNNNNNNNNNNNN1NNNNNN12N"}
      - {id: card1, lender: 招商银行, type: card, balance: 5000, limit: 10000, min_payment: 500,
         opened: 2025-08-15, past_due: 0, history: "NNNNNNNNNNNNNNN"}
      - {id: oldcard, lender: 招商银行, type: card, balance: 0, limit: 30000, status: closed,
         opened: 2015-06-10, past_due: 0, history: "NNNNNNNNNNNNNN", history_end: 2026-01}
      - {id: loan, type: personal_loan, balance: 30000, min_payment: 2000, opened: 2026-06-01, past_due: 0,
         history: "NNNNNN"}
    inquiries:
      - {date: 2026-10-15, reason: card_application}              # hard, 1m
      - {date: 2026-10-20, reason: self}                          # soft
      - {date: 2026-09-30, reason: loan_application, hard: false} # override: soft
      - {date: 2026-09-12, reason: loan_application}              # hard, 3m
      - {date: 2026-08-20, reason: employment, hard: true}        # override: hard, 3m
      - {date: 2026-07-01, reason: post_loan}                     # soft
      - {date: 2026-03-01, reason: guarantee}                     # hard, 12m
      - {date: 2025-01-01, reason: self, hard: true}              # hard, 24m
    public_records: []
"""

BASE_EXPECTED = " ".join(
    [
        "monthly_income=12000 income_verified=false",
        # jiebei 900 + card1 500 + loan 2000 (closed_by_lender still repaid; oldcard owes nothing); / 12000
        "monthly_debt_payments=3400 debt_to_income=3400/12000",
        "minimums_below_interest=!apr interest_gap=!apr",  # no debt gives its APR
        "total_debt=53000",  # 18000 + 5000 + 0 + 30000
        # card1 5000 over 10000 alone: the closed oldcard's limit is gone, and in China the line the
        # lender closed (jiebei) is a loan being repaid, outside card use
        "revolving_balance=5000 revolving_limit=10000 revolving_utilization=0.5 max_card_utilization=0.5",
        "max_card_balance=5000 max_card_limit=10000",
        # windows after: 1m 2026-10-01, 3m 08-01, 6m 05-01, 12m 2025-11-01, 24m 2024-11-01
        # 1m: 10-15; 3m and 6m: + 09-12, 08-20; 12m: + 03-01; 24m: + 2025-01-01
        "inquiries_1m=1 inquiries_3m=3 inquiries_6m=3 inquiries_12m=4 inquiries_24m=5",
        # jiebei: 24 codes ending 2026-11, index 0 = 2024-12; '1' at 14 (2026-02), '1' at 21 (2026-09),
        # '2' at 22 (2026-10), N in 2026-11. Longest run Sep+Oct; last late Oct -> 1 month.
        "late_payments_12m=3 late_payments_24m=3 severe_late_24m=0 max_consecutive_late_24m=2",
        "max_months_past_due_24m=2 months_since_last_late=1",
        # 12m = 2025-12..2026-11: jiebei 9 N + 3 late, card1 12 N, oldcard 2 N (2025-12, 2026-01), loan 6 N
        "on_time_rate_12m=29/32",
        "overdue_accounts=0 overdue_amount=0 defaulted_balance=0 collection_accounts=0 charged_off_accounts=0",
        "closed_by_lender=1",
        # jiebei's runs: 2026-02 (paid up in 03: clean by 2031-03-31) and 2026-09..10 (paid up in 11:
        # clean by 2031-11-30); both still on the report
        "negative_records=2 expired_records=0 defaults_on_file=0 medical_off_report=0",
        "relief_2025_records=0",  # both runs are in 2026, after the relief's dates
        "bankruptcies_on_file=0 chapter13_open=0 months_since_bankruptcy=!bankruptcy",  # public_records: []
        "credit_age_months=136",  # 2015-06-10 -> 2026-10-10 = 136 whole months; 11-01 is before 11-10
        "credit_accounts=4 open_accounts=2",  # open: card1, loan
        "new_accounts_6m=1",  # loan 2026-06-01 is after 2026-05-01
        "lenders_with_balance=3",  # 借呗, 招商银行, and "loan" (no lender: its id)
        "loan_lenders_with_balance=2",  # 借呗's line and "loan": the 招商银行 card is left out
        "score=612 score_pct=262/600",  # (612 - 350) / (950 - 350)
    ]
)


def test_base_profile_every_metric_by_hand() -> None:
    m = run(BASE)
    assert m.as_of == date(2026, 11, 1)
    check(m, BASE_EXPECTED)
    assert set(parse_expected(BASE_EXPECTED)) == set(CATALOGUE), "every metric is checked by hand"


@pytest.mark.parametrize(
    ("country", "records", "expected"),
    [
        # Chapter 7 filed 2016-12-01: 10 years, to 2026-12-01, still on file on 2026-11-01; Chapter 13
        # filed 2019-06-01: 7 years, gone on 2026-06-01
        P(
            "US",
            "[{type: bankruptcy, chapter: 7, filed: 2016-12-01, discharged: 2017-03-20},"
            " {type: bankruptcy, chapter: 13, filed: 2019-06-01}]",
            "bankruptcies_on_file=1 negative_records=1 expired_records=1 months_since_bankruptcy=119 chapter13_open=0",
            id="US-ch7-on-ch13-gone",
        ),
        # a Chapter 13 filed 2023-10-15 without a discharge: its plan may still run (36 whole months)
        P(
            "US",
            "[{type: bankruptcy, chapter: 13, filed: 2023-10-15}]",
            "bankruptcies_on_file=1 months_since_bankruptcy=36 chapter13_open=1",
            id="US-ch13-running",
        ),
        P(
            "US",
            "[{type: bankruptcy, chapter: 13, filed: 2021-10-15}, {type: bankruptcy, chapter: 13, filed: 2023-01-02,"
            " discharged: 2026-01-10}]",
            "bankruptcies_on_file=2 months_since_bankruptcy=45 chapter13_open=0",
            id="US-ch13-over-or-discharged",
        ),
        P(
            "US",
            "[{type: bankruptcy, filed: 2016-11-01}]",
            "bankruptcies_on_file=0 expired_records=1",
            id="US-10y-to-the-day",
        ),
        # outside the US creditfix knows no reporting period: every bankruptcy given counts, and has no
        # clean-by date
        P("CN", "[{type: bankruptcy, filed: 2012-01-01}]", "bankruptcies_on_file=1 negative_records=0", id="CN"),
        P("US", "[]", "bankruptcies_on_file=0 chapter13_open=0 months_since_bankruptcy=!bankruptcy", id="none"),
    ],
)
def test_bankruptcies_on_file(country: str, records: str, expected: str) -> None:
    text = f"as_of: 2026-11-01\nclient: {{jurisdiction: {country}}}\ndebts: []\npublic_records: {records}\n"
    check(run(text), expected)


def test_us_a_collection_settled_after_a_delinquency_stays_on_the_report() -> None:
    # first delinquency 2021-02: 7 years from 180 days after it (2021-02-28 + 180 days = 2021-08-27)
    profile = "debts: [{id: midland, balance: 0, status: settled, first_delinquency: 2021-02}]"
    check(run_in("US", profile), "defaults_on_file=1 negative_records=1 collection_accounts=0 overdue_accounts=0")
    records = clean_by_dates(
        parse_profile_text(f"client: {{jurisdiction: US}}\n{profile}", "p.yaml"), date(2026, 11, 20)
    )
    assert [(r.item, r.clean_by, r.rule) for r in records] == [("settled", date(2028, 8, 27), "us-7y-180d")]


def test_a_code_k_in_the_window_is_a_run_of_k() -> None:
    # 36 codes to 2026-11: 1 2 3 4 in 2024-09..12; the window (2024-12..2026-11) holds only the 4,
    # which says 4 months past due: a 连三 whose start is older than the window
    m = run('as_of: 2026-11-01\ndebts: [{id: a, balance: 1, history: "NNNNNNNNN1234NNNNNNNNNNNNNNNNNNNNNNN"}]')
    check(m, "late_payments_24m=1 max_months_past_due_24m=4 max_consecutive_late_24m=4")


def test_bankruptcy_clean_by_dates_run_from_filing() -> None:
    profile = Profile.model_validate(
        {
            "client": {"jurisdiction": "US"},
            "debts": [],
            "public_records": [
                {"type": "bankruptcy", "chapter": 7, "filed": date(2021, 5, 14), "discharged": date(2021, 9, 2)},
                {"type": "bankruptcy", "chapter": 13, "filed": date(2018, 2, 28)},
            ],
        }
    )
    rows = clean_by_dates(profile, date(2026, 11, 1))
    assert [(r.debt_id, r.item, r.since, r.clean_by, r.rule, r.expired) for r in rows] == [
        ("", "bankruptcy", "2018-02", date(2025, 2, 28), "us-7y-bankruptcy", True),
        ("", "bankruptcy", "2021-05", date(2031, 5, 14), "us-10y-bankruptcy", False),
    ]


def test_bankruptcies_unknown_without_public_records() -> None:
    check(run("as_of: 2026-11-01\nclient: {jurisdiction: US}\ndebts: []\n"), "bankruptcies_on_file=!public_records")


# ---------------------------------------------------------------------------------------------------------
# Missing data: unavailable with a reason, never 0. as_of 2026-11-01.


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        P(
            "debts: [{id: a, balance: 100, min_payment: 10}]",
            "monthly_income=!income debt_to_income=!income income_verified=!income monthly_debt_payments=10",
            id="no-income-no-dti",
        ),
        P(
            "income: {monthly: 5000}\ndebts: [{id: a, balance: 100}, {id: b, balance: 50, min_payment: 10}]",
            "monthly_debt_payments=!min_payment debt_to_income=!monthly_debt_payments monthly_income=5000",
            id="missing-min-payment",
        ),
        P(  # a closed debt with nothing owed is not being repaid: no min_payment needed; 10 / 5000
            "income: {monthly: 5000}\ndebts: [{id: a, balance: 0, status: closed}, {id: b, balance: 50, min_payment: 10}]",
            "monthly_debt_payments=10 debt_to_income=0.002",
            id="paid-off-debt-needs-no-min-payment",
        ),
        P(  # 1200 x 390% / 12 = 390 a month against a 300 minimum: grows by 90; the card: 10 < 35
            "debts: [{id: a, balance: 1200, apr: 390%, min_payment: 300}, {id: b, balance: 500, apr: 24%, min_payment: 35}]",
            "minimums_below_interest=1 interest_gap=90",
            id="payday-minimum-below-interest",
        ),
        P(  # 333.33 x 19% / 12 = 5.277725 -> 5.28 (half up, as payoff charges it): a 5.28 minimum only holds
            "debts: [{id: a, balance: 333.33, apr: 0.19, min_payment: 5.28}, {id: b, balance: 100, apr: 0, min_payment: 5}]",
            "minimums_below_interest=1 interest_gap=0",
            id="minimum-equal-to-interest",
        ),
        P(  # a closed debt with nothing owed needs no APR; 100 x 12% / 12 = 1.00 against 0.50
            "debts: [{id: a, balance: 0, status: closed}, {id: b, balance: 100, apr: 0.12, min_payment: 0.5}]",
            "minimums_below_interest=1 interest_gap=0.5",
            id="gap-in-cents",
        ),
        P("debts: [{id: a, balance: 100, min_payment: 10}]", "minimums_below_interest=!apr", id="no-apr"),
        P("income: {annual: 150000, verified: true}", "monthly_income=12500 income_verified=true", id="annual/12"),
        P("income: {monthly: 1}", "score=!score score_pct=!score", id="no-score"),
        P("score: {value: 700, scale: fico}", "score=700 score_pct=400/550", id="fico-pct"),  # (700-300)/(850-300)
        P("score: {value: 850, scale: vantage}", "score_pct=1", id="vantage-top"),
        P("debts: [{id: a, balance: 1}]", " ".join(f"{n}=!inquir" for n in INQUIRY_METRICS), id="no-inquiries"),
        P("inquiries: []", " ".join(f"{n}=0" for n in INQUIRY_METRICS), id="empty-inquiries-list-is-zero"),
        P(
            "debts: [{id: a, balance: 1, opened: 2020-01-01}, {id: b, balance: 1}]",
            "new_accounts_6m=!opened credit_accounts=2",
            id="missing-opened-new-accounts",
        ),
        P(  # b may be the oldest account: 82 months (2020-01-01 -> 2026-11-01) is only a lower bound
            "debts: [{id: a, balance: 1, opened: 2020-01-01}, {id: b, balance: 1}]",
            "credit_age_months=!opened",
            id="missing-opened-credit-age",
        ),
        P(  # b is open with a balance and no history: "0 late" is a guess
            "debts: [{id: a, balance: 1, history: NNN}, {id: b, balance: 1}]",
            "late_payments_12m=!history on_time_rate_12m=!history max_consecutive_late_24m=!history",
            id="missing-history-on-one-open-debt",
        ),
        P(
            "debts: [{id: a, balance: 1}]",
            "late_payments_24m=!history max_months_past_due_24m=!history on_time_rate_12m=!history",
            id="no-history-at-all",
        ),
        P(
            'debts: [{id: a, balance: 1, history: "NNNN"}]',
            "months_since_last_late=!late late_payments_24m=0 max_months_past_due_24m=0 "
            "max_consecutive_late_24m=0 on_time_rate_12m=1",
            id="never-late",
        ),
        P(  # on-time / (on-time + late) = 0 / 0: nothing was due
            'debts: [{id: a, balance: 0, status: closed, history: "***C"}]',
            "on_time_rate_12m=!due late_payments_12m=0",
            id="nothing-due",
        ),
        P(  # thin file: nothing owed, nothing late, no age
            "debts: []",
            "total_debt=0 credit_accounts=0 late_payments_24m=0 overdue_accounts=0 credit_age_months=!opened "
            "revolving_utilization=!limit",
            id="no-debts",
        ),
    ],
)
def test_missing_data(profile: str, expected: str) -> None:
    check(run("as_of: 2026-11-01\n" + profile), expected)


# ---------------------------------------------------------------------------------------------------------
# Window edges for dated events: in the N-month window when after as_of minus N months, not after as_of.


@pytest.mark.parametrize(
    ("as_of", "day", "metric", "count"),
    [
        ("2026-11-01", "2026-08-01", "inquiries_3m", 0),  # exactly as_of - 3 months: out
        ("2026-11-01", "2026-08-02", "inquiries_3m", 1),  # one day later: in
        ("2026-11-01", "2026-11-01", "inquiries_3m", 1),  # on as_of: in
        ("2026-11-01", "2026-11-02", "inquiries_3m", 0),  # after as_of: ignored
        ("2026-11-01", "2024-11-01", "inquiries_24m", 0),
        ("2026-11-01", "2024-11-02", "inquiries_24m", 1),
        ("2026-03-31", "2026-02-28", "inquiries_1m", 0),  # 2026-03-31 - 1 month clamps to 02-28: out
        ("2026-03-31", "2026-03-01", "inquiries_1m", 1),
        ("2024-03-31", "2024-02-29", "inquiries_1m", 0),  # leap year: clamps to the 29th
        ("2024-03-31", "2024-03-01", "inquiries_1m", 1),
        ("2026-05-31", "2026-02-28", "inquiries_3m", 0),  # 05-31 - 3 months = 02-28
        ("2026-05-31", "2026-03-01", "inquiries_3m", 1),
        ("2028-02-29", "2027-02-28", "inquiries_12m", 0),  # 2028-02-29 - 12 months = 2027-02-28
        ("2028-02-29", "2027-03-01", "inquiries_12m", 1),
    ],
    ids=str,
)
def test_inquiry_window_edges(as_of: str, day: str, metric: str, count: int) -> None:
    check(run(f"as_of: {as_of}\ninquiries: [{{date: {day}, reason: loan_application}}]"), f"{metric}={count}")


@pytest.mark.parametrize(
    ("inquiry", "hard"),
    [
        ("reason: loan_application", 1),
        ("reason: card_application", 1),
        ("reason: guarantee", 1),
        ("reason: post_loan", 0),
        ("reason: self", 0),
        ("reason: employment", 0),
        ("reason: self, hard: true", 1),
        ("reason: card_application, hard: false", 0),
        ("hard: true", 1),
        ("hard: false", 0),
    ],
    ids=lambda v: str(v).replace("reason: ", ""),
)
def test_soft_and_hard_inquiries(inquiry: str, hard: int) -> None:
    check(run(f"as_of: 2026-11-01\ninquiries: [{{date: 2026-10-20, {inquiry}}}]"), f"inquiries_1m={hard}")


@pytest.mark.parametrize(("opened", "count"), [("2026-05-01", 0), ("2026-05-02", 1), ("2026-11-01", 1)], ids=str)
def test_new_accounts_window_edge(opened: str, count: int) -> None:
    # as_of 2026-11-01 minus 6 months = 2026-05-01: out; the day after: in
    check(run(f"as_of: 2026-11-01\ndebts: [{{id: a, balance: 1, opened: {opened}}}]"), f"new_accounts_6m={count}")


# ---------------------------------------------------------------------------------------------------------
# History forms and conventions. as_of 2026-11-01 unless stated.


@pytest.mark.parametrize(
    "history",
    [
        P('"NNN12N3N"', id="pboc"),
        P('"NNN 12N 3N"', id="pboc-spaced"),
        P("[N, N, N, 1, 2, N, 3, N]", id="list-with-yaml-ints"),
        P('"OK OK OK 30 60 OK 90 OK"', id="us-tokens"),
        P("[OK, OK, OK, 30, 60, OK, 90, OK]", id="us-list"),
    ],
)
def test_history_forms_agree(history: str) -> None:
    # 2026-04..2026-11: N N N 1 2 N 3 N. Severe: the 3; run Jul+Aug; last late Oct; 5 on time of 8.
    # The longest run is 2 months, but the 3 says 3 months past due: 3 in a row
    m = run(f"as_of: 2026-11-01\ndebts: [{{id: a, balance: 1, past_due: 0, history: {history}}}]")
    check(
        m,
        "late_payments_12m=3 late_payments_24m=3 severe_late_24m=1 max_consecutive_late_24m=3 "
        "max_months_past_due_24m=3 months_since_last_late=1 on_time_rate_12m=5/8 overdue_accounts=0",
    )


@pytest.mark.parametrize(
    ("extra", "evaluate_on", "expected"),
    [
        P("", None, "months_since_last_late=2 late_payments_12m=1", id="ends-at-as_of"),  # late 2026-09
        P(  # late 2026-04; an open debt: 2026-07..10 have no record, so the counts are lower bounds
            ", history_end: 2026-06", None, "months_since_last_late=7 late_payments_12m>=1", id="history_end"
        ),
        P(  # late 2024-07, outside the 24 months 2024-12..2026-11 (months since is not windowed)
            ", history_end: 2024-09",
            None,
            "months_since_last_late=28 late_payments_24m>=0 max_months_past_due_24m>=0",
            id="history_end-outside-24m",
        ),
        P(  # evaluated on 2027-01-15, the history still ends at the profile's as_of month: late 2026-09
            "", date(2027, 1, 15), "months_since_last_late=4 late_payments_12m>=1", id="ends-at-profile-as_of"
        ),
        P(", history_end: 2026-06, status: closed", None, "late_payments_12m=1", id="closed-ends-with-its-record"),
    ],
)
def test_history_end(extra: str, evaluate_on: date | None, expected: str) -> None:
    check(run(f'as_of: 2026-11-01\ndebts: [{{id: a, balance: 1, history: "1NN"{extra}}}]', evaluate_on), expected)


@pytest.mark.parametrize(
    ("debt", "expected"),
    [  # as_of 2026-11-01: the 12 months are 2025-12..2026-11, the 24 2024-12..2026-11
        P(  # open since 2015, six months given (2026-06..11): lates before June would go uncounted
            'opened: 2015-03-01, history: "NNNNNN"',
            "late_payments_24m>=0 late_payments_12m>=0 on_time_rate_12m=!2025-12",
            id="opened-before-its-history",
        ),
        P('history: "NNNNNN"', "late_payments_24m=0 on_time_rate_12m=1", id="no-opened-date-the-history-is-its-life"),
        P('opened: 2026-05-10, history: "NNNNNN"', "late_payments_24m=0", id="history-from-the-month-after-opening"),
        P(  # the month that may not be due yet can be left out; an unknown month cannot
            'opened: 2026-05-10, history: "N1#NN", history_end: 2026-10',
            "late_payments_24m>=1 max_consecutive_late_24m=!2026-08",
            id="unknown-code",
        ),
        P(  # closed in June 2025: nothing is reported after that
            'opened: 2024-01-05, status: closed, closed: 2025-06-20, history: "NNNNNNNNNNNNN1NNN", history_end: 2025-05',
            "late_payments_24m=1",
            id="closed-at-its-date",
        ),
        P(  # the lender reports nothing after the charge-off
            'opened: 2015-03-01, status: charged_off, history: "NN1234567B", history_end: 2025-08',
            "late_payments_24m=8 severe_late_24m=6",
            id="charged-off-ends-with-its-record",
        ),
        P(  # two debts, each with its own months missing
            'opened: 2026-01-01, history: "NN", history_end: 2026-03}, {id: b, balance: 5, opened: 2025-10-01, '
            'history: "NNNNNN"',
            "late_payments_12m>=0",
            id="each-debt-named",
        ),
    ],
)
def test_months_without_a_record_make_the_counts_lower_bounds(debt: str, expected: str) -> None:
    check(run(f"as_of: 2026-11-01\ndebts: [{{id: a, balance: 100, past_due: 0, {debt}}}]"), expected)


def test_the_months_without_a_record_are_named() -> None:
    m = run(
        "as_of: 2026-11-01\ndebts: [{id: a, balance: 100, opened: 2026-01-01, history: NN, history_end: 2026-03},"
        " {id: b, balance: 5, opened: 2015-10-01, history: N#NNNNNNN, past_due: 0}]"
    )
    assert m.unavailable["late_payments_12m"] == (
        "no history (or payments) for 2026-04 to 2026-10 of debt a; 2025-12 to 2026-02, 2026-04 of debt b"
    )


def test_history_without_profile_as_of_ends_at_evaluation_month() -> None:
    # no as_of in the profile: "1N" ends at the evaluation month 2026-11, so late in 2026-10
    check(run('debts: [{id: a, balance: 1, history: "1N"}]', date(2026, 11, 20)), "months_since_last_late=1")


@pytest.mark.parametrize(
    ("history", "expected"),
    [
        P("NN**N1", "on_time_rate_12m=3/4 late_payments_12m=1", id="nothing-due-left-out"),  # 2 months with *
        P(  # "11" in 2025-10/11 fall outside 2025-12..2026-11; the 12 inside are all N
            "11NNNNNNNNNNNN",
            "on_time_rate_12m=1 late_payments_12m=0 late_payments_24m=2 months_since_last_late=12",
            id="only-12-months",
        ),
    ],
)
def test_on_time_rate(history: str, expected: str) -> None:
    check(run(f'as_of: 2026-11-01\ndebts: [{{id: a, balance: 1, history: "{history}"}}]'), expected)


@pytest.mark.parametrize(
    ("histories", "late_12m", "longest"),
    [
        P(["N111N"], 3, 3, id="one-debt-run-of-3"),  # 连三
        P(["NN11", "11NN"], 4, 2, id="split-across-debts"),  # Aug-Nov late, but on two debts: runs of 2
        P(["1N1N1"], 3, 1, id="alternating"),
        P(["11N11", "N1NNN"], 5, 2, id="same-month-on-two-debts-counts-twice"),
    ],
)
def test_consecutive_late_runs_per_debt(histories: list[str], late_12m: int, longest: int) -> None:
    debts = ", ".join(f'{{id: d{i}, balance: 1, history: "{h}"}}' for i, h in enumerate(histories))
    check(
        run(f"as_of: 2026-11-01\ndebts: [{debts}]"), f"late_payments_12m={late_12m} max_consecutive_late_24m={longest}"
    )


def test_bad_debt_code_is_severe_and_seven_months() -> None:
    # "NN3B": 3 in Oct, B in Nov. Both late and severe; B = 7 months past due and makes a bad debt (呆账).
    # The run: 2 months, and the 3 says 3 in a row (B, a classification, says no count of its own)
    m = run('as_of: 2026-11-01\ndebts: [{id: a, balance: 1200, past_due: 1200, history: "NN3B"}]')
    check(
        m,
        "late_payments_12m=2 severe_late_24m=2 max_months_past_due_24m=7 max_consecutive_late_24m=3 "
        "charged_off_accounts=1 overdue_accounts=1 overdue_amount=1200 months_since_last_late=0 on_time_rate_12m=1/2",
    )


# ---------------------------------------------------------------------------------------------------------
# Itemised payments become month codes: the same facts give the same answers.

HISTORY_KEYS = [name for name in CATALOGUE if name.endswith(("_12m", "_24m", "_late")) and "inquir" not in name]

PAYMENTS = """\
    payments:
      - {debt: a, due: 2026-06-10, paid: 2026-06-10}   # on time
      - {debt: a, due: 2026-07-10, paid: 2026-07-11}   # 1 day
      - {debt: a, due: 2026-08-10, paid: 2026-09-09}   # 30 days
      - {debt: a, due: 2026-09-10, paid: 2026-10-11}   # 31 days
      - {debt: a, due: 2026-10-10}                     # unpaid: 22 days to as_of 2026-11-01
"""


@pytest.mark.parametrize(
    ("country", "history", "expected"),
    [
        P(  # CN: ceil(days/30) -> N 1 1 1 2 for Jun..Oct (Sep's 31 days reach 2 in Oct); 1 on time of 5
            "CN",
            "N1112",
            "late_payments_12m=4 max_consecutive_late_24m=4 max_months_past_due_24m=2 months_since_last_late=1 "
            "on_time_rate_12m=1/5 severe_late_24m=0",
            id="CN",
        ),
        P(  # US: days // 30, shown in the month it is reached -> N N N 1 1: Aug's 30 days in Sep, Sep's
            # 31 days in Oct (1 and 22 days late are not reported); last late Oct
            "US",
            "NNN11",
            "late_payments_12m=2 max_consecutive_late_24m=2 max_months_past_due_24m=1 months_since_last_late=1 "
            "on_time_rate_12m=3/5 severe_late_24m=0",
            id="US",
        ),
    ],
)
def test_payments_equal_history(country: str, history: str, expected: str) -> None:
    head = f"as_of: 2026-11-01\nclient: {{jurisdiction: {country}}}\n"
    by_payments = run(head + "debts: [{id: a, balance: 1}]\n" + textwrap.dedent(PAYMENTS))
    by_history = run(head + f'debts: [{{id: a, balance: 1, history: "{history}", history_end: 2026-10}}]')
    check(by_payments, expected)
    check(by_history, expected)
    assert len(HISTORY_KEYS) == 7
    assert {k: by_payments.get(k) for k in HISTORY_KEYS} == {k: by_history.get(k) for k in HISTORY_KEYS}


@pytest.mark.parametrize(
    ("country", "payment", "code", "late", "severe"),
    [
        # 95 days: May-Aug end at 21, 51, 82 days and paid at 95 -> 1 2 3 4 (ceil(days/30))
        ("CN", "due: 2026-05-10, paid: 2026-08-13", 4, 4, 1),
        ("US", "due: 2026-05-10, paid: 2026-08-13", 3, 3, 1),  # days // 30 -> N 1 2 3 ("90")
        ("CN", "due: 2026-05-10, paid: 2026-06-09", 1, 1, 0),  # 30 days -> 1 (May), still 1 when paid
        ("US", "due: 2026-05-10, paid: 2026-06-08", 0, 0, 0),  # 29 days: not late in the US
        ("US", "due: 2026-05-10, paid: 2026-06-09", 1, 1, 0),  # 30 days: one missed payment, in June
        # unpaid, 295 days to as_of: 1-7 from January to July, 7 to October; CN 4+ is severe (Apr-Oct)
        ("CN", "due: 2026-01-10", 7, 10, 7),
        ("US", "due: 2026-01-10", 7, 9, 7),  # N in January, 1-7 from February to August, 7 to October
        ("CN", "due: 2026-10-10, paid: 2026-10-10", 0, 0, 0),  # paid on the day
        ("CN", "due: 2026-09-10, paid: 2026-11-20", 2, 2, 0),  # paid after as_of: unpaid then, 52 days -> 1 2
        ("CN", "due: 2026-10-10, paid: 2026-11-20", 1, 1, 0),  # 22 days by as_of (not 41) -> 1
    ],
    ids=lambda v: str(v).replace("due: ", "").replace("paid: ", "paid "),
)
def test_days_late_to_code(country: str, payment: str, code: int, late: int, severe: int) -> None:
    text = f"as_of: 2026-11-01\nclient: {{jurisdiction: {country}}}\ndebts: [{{id: a, balance: 1}}]\n"
    m = run(text + f"payments: [{{debt: a, {payment}}}]")
    # (the months after the payment's have no record: the counts are lower bounds, the same numbers)
    seen = {**m.at_least, **m.values}
    assert (seen["max_months_past_due_24m"], seen["late_payments_12m"], seen["severe_late_24m"]) == (code, late, severe)
    if late:  # one payment left unpaid: its late months run on
        assert seen["max_consecutive_late_24m"] == late


def test_a_payment_paid_late_this_month_is_late_but_not_overdue_today() -> None:
    # due 10-05, paid 11-10 (36 days): October 1, November 2 (a new code before it was paid); nothing
    # is owed on it on as_of 11-20
    m = run(
        "as_of: 2026-11-20\ndebts: [{id: a, balance: 900}]\npayments: [{debt: a, due: 2026-10-05, paid: 2026-11-10}]"
    )
    check(m, "late_payments_12m=2 max_months_past_due_24m=2 months_since_last_late=0 overdue_accounts=0")


@pytest.mark.parametrize(
    ("history", "paid", "expected"),
    [
        # payment due Sep 10 paid 10-20 = 40 days: CN 1 at the end of Sep, 2 by Oct 20, over NNN
        P("NNN", "2026-10-20", "late_payments_12m=2 max_months_past_due_24m=2 on_time_rate_12m=1/3", id="pay"),
        # paid on time, against the history's 2 in Sep
        P("N2N", "2026-09-10", "late_payments_12m=1 max_months_past_due_24m=2 on_time_rate_12m=2/3", id="hist"),
    ],
)
def test_worse_code_wins_when_both_describe_a_month(history: str, paid: str, expected: str) -> None:
    text = f'as_of: 2026-11-01\ndebts: [{{id: a, balance: 1, history: "{history}", history_end: 2026-10}}]\n'
    m = run(text + f"payments: [{{debt: a, due: 2026-09-10, paid: {paid}}}]")
    check(m, expected)


def test_unpaid_in_as_of_month_is_overdue_today() -> None:
    # as_of 11-20, due 11-05 unpaid: 15 days -> code 1 in the as_of month -> overdue, but nobody said
    # how much: overdue_amount unavailable. The 11-25 payment is not due yet.
    text = "as_of: 2026-11-20\ndebts: [{id: a, balance: 900}]\npayments:\n"
    text += "  - {debt: a, due: 2026-10-05, paid: 2026-10-05}\n  - {debt: a, due: 2026-11-05}\n"
    m = run(text + "  - {debt: a, due: 2026-11-25}")
    check(
        m,
        "late_payments_12m=1 months_since_last_late=0 overdue_accounts=1 overdue_amount=!past_due on_time_rate_12m=1/2",
    )


def test_unpaid_from_last_month_is_still_overdue_today() -> None:
    # due 10-10, never paid: 22 days overdue on as_of 11-01 (code 1 in Oct, nothing due yet in Nov)
    m = run("as_of: 2026-11-01\ndebts: [{id: a, balance: 900}]\npayments: [{debt: a, due: 2026-10-10}]")
    check(m, "late_payments_12m=1 overdue_accounts=1 overdue_amount=!past_due")


# ---------------------------------------------------------------------------------------------------------
# Overdue, collections, charge-offs.


@pytest.mark.parametrize(
    ("debts", "expected"),
    [
        P("{id: a, balance: 3000, past_due: 300}", "overdue_accounts=1 overdue_amount=300", id="past_due"),
        P(  # a collection cannot be brought up to date: its balance is defaulted, not overdue
            "{id: a, balance: 4000, status: collection}",
            "overdue_accounts=0 overdue_amount=0 defaulted_balance=4000 collection_accounts=1 charged_off_accounts=0",
            id="collection",
        ),
        P(
            "{id: a, balance: 2500, status: charged_off}",
            "overdue_accounts=0 overdue_amount=0 defaulted_balance=2500 charged_off_accounts=1 collection_accounts=0",
            id="charged_off",
        ),
        P(
            "{id: a, balance: 4000, past_due: 100, status: collection}",
            "overdue_accounts=0 overdue_amount=0 defaulted_balance=4000",
            id="collection-with-past_due",
        ),
        P(
            "{id: a, balance: 2500, past_due: 100, status: charged_off}",
            "overdue_accounts=0 overdue_amount=0 defaulted_balance=2500",
            id="charged_off-with-past_due",
        ),
        P(
            "{id: a, balance: 0, status: collection}",
            "overdue_accounts=0 overdue_amount=0 defaulted_balance=0",
            id="collection-paid",
        ),
        P(  # the card's 300 is overdue; the collection's 4000 is defaulted
            "{id: a, balance: 3000, past_due: 300}, {id: b, balance: 4000, status: collection}, "
            "{id: c, balance: 50, past_due: 0}",
            "overdue_accounts=1 overdue_amount=300 defaulted_balance=4000 open_accounts=2",
            id="mixed",
        ),
        P(
            '{id: a, balance: 3000, history: "N1"}',
            "overdue_accounts=1 overdue_amount=!past_due",
            id="late-now-without-past_due",
        ),
        P(
            '{id: a, balance: 3000, past_due: 0, history: "1N"}',
            "overdue_accounts=0 overdue_amount=0",
            id="late-last-month-only",
        ),
        P(  # paid off: its last code says late, but nothing is owed or due (a new user's case)
            '{id: a, balance: 0, status: settled, past_due: 0, history: "NN123456"}, '
            '{id: b, balance: 0, status: closed, history: "N1"}',
            "overdue_accounts=0 overdue_amount=0",
            id="settled-with-late-codes",
        ),
        P(
            '{id: a, balance: 0, status: closed, past_due: 120, history: "N1"}',
            "overdue_accounts=1 overdue_amount=120",
            id="closed-with-past-due",
        ),
        P(
            "{id: a, balance: 1, status: frozen}, {id: b, balance: 1, status: settled}, "
            "{id: c, balance: 1, status: closed_by_lender}",
            "open_accounts=1 closed_by_lender=1 credit_accounts=3",
            id="statuses",
        ),
    ],
)
def test_overdue(debts: str, expected: str) -> None:
    check(run(f"as_of: 2026-11-01\ndebts: [{debts}]"), expected)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        P(  # an advisor's case: a 呆账 settled 2022-06-15 is a record until 2027-06-15, not a debt to negotiate
            "client: {jurisdiction: CN}\ndebts: [{id: a, balance: 0, status: settled, closed: 2022-06-15,"
            ' history: "NNNN1234567BBBB", history_end: 2022-06}]',
            "charged_off_accounts=0 defaults_on_file=1 negative_records=1 expired_records=0",
            id="cn-settled-bad-debt",
        ),
        P(  # still owed: B codes on an open account
            'client: {jurisdiction: CN}\ndebts: [{id: a, balance: 900, history: "N1234567B"}]',
            "charged_off_accounts=1 defaults_on_file=1 overdue_accounts=1",
            id="cn-bad-debt-owed",
        ),
        P(  # delinquency from 2019-01: 2019-01-31 + 180 days = 2019-07-30, + 7 years = 2026-07-30, passed
            "client: {jurisdiction: US}\ndebts: [{id: a, balance: 2500, status: charged_off,"
            ' history: "OK 30 60 90 120 150 180 CO", history_end: 2019-07}]',
            "charged_off_accounts=0 defaults_on_file=0 negative_records=0 expired_records=1 defaulted_balance=2500",
            id="us-charge-off-past-its-date",
        ),
        P(  # 2021-03 + 180 days + 7 years is 2028: still reported, still owed
            "client: {jurisdiction: US}\ndebts: [{id: a, balance: 380, status: collection,"
            ' history: "30 60 90", history_end: 2021-05}]',
            "collection_accounts=1 defaults_on_file=1 negative_records=1 expired_records=0",
            id="us-collection-on-file",
        ),
        P(  # a collection with nothing owed is a record, not a debt to settle
            "client: {jurisdiction: US}\ndebts: [{id: a, balance: 0, status: collection}]",
            "collection_accounts=0 defaults_on_file=1",
            id="us-collection-paid",
        ),
    ],
)
def test_defaults_owed_on_file_and_expired(text: str, expected: str) -> None:
    check(run(f"as_of: 2026-11-20\n{text}"), expected)


# ---------------------------------------------------------------------------------------------------------
# Utilisation.


@pytest.mark.parametrize(
    ("debts", "expected"),
    [
        P(  # closed_by_lender line counts (not CN: see below), a closed card does not even with a balance left
            "{id: a, type: credit_line, balance: 900, limit: 1000, status: closed_by_lender}, "
            "{id: b, type: card, balance: 100, limit: 4000}, {id: c, type: card, balance: 500, limit: 5000, status: closed}",
            "revolving_balance=1000 revolving_limit=5000 revolving_utilization=0.2 max_card_utilization=0.9 total_debt=1500"
            " max_card_balance=900 max_card_limit=1000",
            id="closed_by_lender-counts-closed-does-not",
        ),
        P(  # two cards at 50%: the most used is the one with the larger balance
            "{id: a, type: card, balance: 500, limit: 1000}, {id: b, type: card, balance: 1000, limit: 2000}, "
            "{id: c, type: card, balance: 100, limit: 1000}",
            "max_card_utilization=0.5 max_card_balance=1000 max_card_limit=2000",
            id="most-used-tie",
        ),
        P(
            "{id: a, type: card, balance: 100}, {id: b, type: card, balance: 100, limit: 1000}",
            "revolving_balance=200 revolving_limit=!limit revolving_utilization=!limit max_card_utilization=!limit",
            id="card-without-limit",
        ),
        P(
            "{id: a, type: card, balance: 0, status: closed}, {id: b, type: card, balance: 300, limit: 1000}",
            "revolving_limit=1000 revolving_utilization=0.3",
            id="closed-card-without-limit-is-fine",
        ),
        P(
            "{id: a, type: personal_loan, balance: 9000}, {id: b, type: credit_line, balance: 250, limit: 1000}",
            "revolving_balance=250 revolving_utilization=0.25 total_debt=9250",
            id="loan-not-revolving",
        ),
        P(  # the lender cut the line to 0 with 5000 owed: 5000 / 1000 overall; the line is the most used
            "{id: a, type: credit_line, balance: 5000, limit: 0, status: closed_by_lender}, "
            "{id: b, type: card, balance: 0, limit: 1000}",
            "revolving_balance=5000 revolving_limit=1000 revolving_utilization=5 max_card_utilization=!limit"
            " max_card_balance=!limit max_card_limit=!limit",
            id="line-cut-to-zero",
        ),
    ],
)
def test_utilisation(debts: str, expected: str) -> None:
    check(run(f"as_of: 2026-11-01\ndebts: [{debts}]"), expected)


@pytest.mark.parametrize(
    ("jurisdiction", "expected"),
    [
        # US: a closed card with a balance keeps counting with its last limit: 9000 + 1000 over 10000 + 5000
        ("US", "revolving_balance=10000 revolving_limit=15000 max_card_utilization=0.9 max_card_balance=9000"),
        # CN: the closed 借呗 line is a loan being repaid: 1000 / 5000 on the card alone
        ("CN", "revolving_balance=1000 revolving_limit=5000 revolving_utilization=0.2 max_card_utilization=0.2"),
    ],
)
def test_a_line_closed_by_the_lender_in_utilisation(jurisdiction: str, expected: str) -> None:
    debts = (
        "{id: line, type: credit_line, balance: 9000, limit: 10000, status: closed_by_lender}, "
        "{id: card, type: card, balance: 1000, limit: 5000}"
    )
    metrics = run_in(jurisdiction, f"debts: [{debts}]", as_of="2026-11-01")
    check(metrics, expected + " total_debt=10000 closed_by_lender=1")


def test_lenders_with_balance_distinct() -> None:
    # 招商银行 twice counts once; a paid-off lender not at all; no lender -> the debt id
    debts = "{id: a, lender: 招商银行, balance: 1}, {id: b, lender: 招商银行, balance: 2}, {id: c, lender: 花呗, balance: 0}"
    check(run(f"as_of: 2026-11-01\ndebts: [{debts}, {{id: d, balance: 5}}]"), "lenders_with_balance=2 total_debt=8")


# ---------------------------------------------------------------------------------------------------------
# metrics: given directly win over derived ones and feed the combined ratios.


@pytest.mark.parametrize(
    ("profile", "expected"),
    [
        P(  # no income section: 1500 / 6000
            "debts: [{id: a, balance: 9, min_payment: 1500}]\nmetrics: {monthly_income: 6000}",
            "monthly_income=6000 debt_to_income=0.25",
            id="income-feeds-dti",
        ),
        P(  # min_payment unknown: 3000 / 12000
            "income: {monthly: 12000}\ndebts: [{id: a, balance: 9}]\nmetrics: {monthly_debt_payments: 3000}",
            "monthly_debt_payments=3000 debt_to_income=0.25",
            id="payments-feed-dti",
        ),
        P(  # wins over the derived 1000: 2400 / 12000
            "income: {monthly: 12000}\ndebts: [{id: a, balance: 9, min_payment: 1000}]\n"
            "metrics: {monthly_debt_payments: 2400}",
            "monthly_debt_payments=2400 debt_to_income=0.2",
            id="given-beats-derived",
        ),
        P(  # card without a limit, limit from a bureau summary: 10000 / 50000
            "debts: [{id: a, type: card, balance: 10000}]\nmetrics: {revolving_limit: 50000}",
            "revolving_limit=50000 revolving_utilization=0.2 revolving_balance=10000",
            id="limit-feeds-utilization",
        ),
        P(  # the ratio itself wins over 1000 / 12000
            "income: {monthly: 12000}\ndebts: [{id: a, balance: 9, min_payment: 1000}]\nmetrics: {debt_to_income: 0.5}",
            "debt_to_income=0.5",
            id="ratio-given",
        ),
        P(  # counts given beat the history ("N1": 1 late); other inquiry windows stay unavailable
            'debts: [{id: a, balance: 9, history: "N1"}]\nmetrics: {late_payments_24m: 4, inquiries_6m: 2}',
            "late_payments_24m=4 late_payments_12m=1 inquiries_6m=2 inquiries_3m=!inquir",
            id="counts-given",
        ),
    ],
)
def test_metrics_given_directly(profile: str, expected: str) -> None:
    m = run("as_of: 2026-11-01\n" + profile)
    check(m, expected)
    given = parse_profile_text("as_of: 2026-11-01\n" + profile, "t.yaml").metrics or {}
    assert set(given) <= m.supplied


@pytest.mark.parametrize(
    ("jurisdiction", "inquiries", "expected"),
    [
        # DOMAIN.md (myFICO): rate-shopping for a mortgage, auto or student loan counts once; 14 days is used
        P("US", "auto_application 2026-04-02, auto_application 2026-04-10", "inquiries_12m=1", id="auto-8-days"),
        P("US", "auto_application 2026-04-02, auto_application 2026-04-16", "inquiries_12m=2", id="auto-14-days"),
        P(  # a run is measured from its first: 04-02, 04-10 (once), 04-20 starts a new one
            "US",
            "mortgage_application 2026-04-02, mortgage_application 2026-04-10, mortgage_application 2026-04-20",
            "inquiries_12m=2",
            id="mortgage-runs",
        ),
        P("US", "auto_application 2026-04-02, mortgage_application 2026-04-03", "inquiries_12m=2", id="two-kinds"),
        P("US", "card_application 2026-04-02, card_application 2026-04-03", "inquiries_12m=2", id="cards-count-each"),
        P("CN", "auto_application 2026-04-02, auto_application 2026-04-10", "inquiries_12m=2", id="cn-counts-each"),
    ],
)
def test_rate_shopping_counts_once_in_the_us(jurisdiction: str, inquiries: str, expected: str) -> None:
    listed = ", ".join(
        f"{{date: {day}, reason: {reason}}}" for reason, day in (item.split() for item in inquiries.split(", "))
    )
    check(run_in(jurisdiction, f"inquiries: [{listed}]"), expected)


@pytest.mark.parametrize(
    ("debts", "jurisdiction", "expected"),
    [
        # DOMAIN.md (bureau policy, 2023): paid medical collections and those under $500 are not reported
        P("{id: m, balance: 380, status: collection, medical: true}", "US",
          "medical_off_report=1 collection_accounts=0 defaults_on_file=0 negative_records=0 defaulted_balance=380",
          id="under-500"),
        P("{id: m, balance: 0, status: collection, medical: true}", "US",
          "medical_off_report=1 collection_accounts=0 defaults_on_file=0", id="paid"),
        P("{id: m, balance: 500, status: collection, medical: true}", "US",
          "medical_off_report=0 collection_accounts=1 defaults_on_file=1", id="500-is-reported"),
        # a paid one entered as settled, with its delinquency date: not reported either
        P("{id: m, balance: 0, status: settled, medical: true, first_delinquency: 2023-06}", "US",
          "medical_off_report=1 defaults_on_file=0 negative_records=0", id="settled"),
        # unpaid ones only a year after the delinquency began (as_of 2026-11-20: 11 months, then 12)
        P("{id: m, balance: 2400, status: collection, medical: true, first_delinquency: 2025-12}", "US",
          "medical_off_report=1 collection_accounts=0 defaults_on_file=0", id="under-a-year"),
        P("{id: m, balance: 2400, status: collection, medical: true, first_delinquency: 2025-11}", "US",
          "medical_off_report=0 collection_accounts=1 defaults_on_file=1", id="a-year"),
        P("{id: m, balance: 380, status: collection}", "US",
          "medical_off_report=0 collection_accounts=1", id="not-medical"),
        P("{id: m, balance: 380, status: collection, medical: true}", "CN",
          "medical_off_report=0 collection_accounts=1", id="cn"),
    ],
)  # fmt: skip
def test_medical_collections(debts: str, jurisdiction: str, expected: str) -> None:
    check(run_in(jurisdiction, f"debts: [{debts}]"), expected)


@pytest.mark.parametrize(
    ("jurisdiction", "history", "severe"),
    [
        # PBOC grid: 3 is 61-90 days, 4 is 91-120: months 90+ days late are the 4 and 5 -> 2
        ("CN", "NN12345", 2),
        # a US report's 90 token (90-119 days) is read as code 3: 90, 120 -> 2
        ("US", "OK 30 60 90 120", 2),
    ],
)
def test_severe_lates_by_the_report_s_own_scale(jurisdiction: str, history: str, severe: int) -> None:
    check(run_in(jurisdiction, f'debts: [{{id: a, balance: 1, history: "{history}"}}]'), f"severe_late_24m={severe}")


def test_an_account_past_its_date_is_not_credit_history() -> None:
    # an advisor's case: a 2014 card charged off in 2018 (clean by 2025-10-27) and a secured card from
    # 2026-03: the report holds one account, 8 months old, not 150 months of history
    text = """\
        as_of: 2026-11-20
        client: {jurisdiction: US}
        debts:
          - {id: old, type: card, balance: 2000, status: charged_off, opened: 2014-05-01,
             history: "30 60 90 120 150 180 CO", history_end: 2018-10}
          - {id: secured, type: card, balance: 50, limit: 300, opened: 2026-03-10, history: "OK OK OK OK OK OK OK OK"}
        """
    check(run(text), "expired_records=1 credit_accounts=1 credit_age_months=8 charged_off_accounts=0")


@pytest.mark.parametrize(
    ("debts", "as_of", "expected"),
    [
        # PBOC notice of 2025-12-22: overdues dated 2020-2025, repaid by 2026-03-31 (and each at most
        # ¥10,000, which the profile cannot tell): a 2024-09 late paid up in 2024-10 may be gone
        P('{id: a, balance: 100, history: "NN1NN", history_end: 2024-11}', "2026-11-20",
          "relief_2025_records=1 negative_records=1", id="2024-late"),
        # a 2025-12 late paid up in 2026-01: within the dates, repaid in time
        P('{id: a, balance: 100, history: "N1NNNNNNNNNN", history_end: 2026-10}', "2026-11-20",
          "relief_2025_records=1", id="2025-12-late"),
        # a 2026-01 late is after the relief's dates
        P('{id: a, balance: 100, history: "1NNNNNNNNNN", history_end: 2026-11}', "2026-11-20",
          "relief_2025_records=0 negative_records=1", id="2026-late"),
        # still unpaid: not repaid by 2026-03-31
        P('{id: a, balance: 100, past_due: 100, history: "NN123", history_end: 2026-11}', "2026-11-20",
          "relief_2025_records=0", id="unpaid"),
        # a 2019 late is before the relief's dates
        P('{id: a, balance: 100, history: "1N", history_end: 2020-01}', "2024-06-01",
          "relief_2025_records=0", id="before-the-notice"),
    ],
)  # fmt: skip
def test_the_2025_relief(debts: str, as_of: str, expected: str) -> None:
    check(run_in("CN", f"debts: [{debts}]", as_of=as_of), expected)


def test_the_2025_relief_is_chinese() -> None:
    check(run_in("US", 'debts: [{id: a, balance: 1, history: "OK 30 OK"}]'), "relief_2025_records=0")


def test_a_rate_shopping_run_counts_in_a_window_any_of_its_dates_falls_in() -> None:
    # mortgage applications on 01-25 and 02-05 are one run; on 2026-02-26 the 1-month window holds
    # the second one only: the run still counts there once
    runs = "inquiries: [{date: 2026-01-25, reason: mortgage_application}, {date: 2026-02-05, reason: mortgage_application}]"
    check(run_in("US", runs, as_of="2026-02-26"), "inquiries_1m=1 inquiries_3m=1 inquiries_12m=1")
