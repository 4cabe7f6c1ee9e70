"""`creditfix simulate` and the plan's recovery timeline: months computed by hand, windows that age,
arrears that grow when a minimum is missed, and one-line errors."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from creditfix import compute_metrics, load_profile
from creditfix.config import load_settings, packs_for
from creditfix.simulate import SimulationError, simulate

from conftest import EXAMPLES

D = Decimal
PROFILE = """\
client: {id: sim, jurisdiction: US}
as_of: 2026-11-20
income: {monthly: 5000, verified: true}
debts:
  - {id: card, type: card, balance: 3000, limit: 10000, apr: 0%, min_payment: 500, opened: 2015-01-01,
     past_due: 0, history: "NNNNNNNNNNNNNNNNNNNNNN1N"}
inquiries:
  - {date: 2026-10-01, reason: card_application}
"""


@pytest.fixture
def profile_path(tmp_path: Path) -> Path:
    path = tmp_path / "sim.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def months_of(run, path: Path, *args: str) -> list[dict[str, object]]:
    result = run("simulate", path, "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)["timeline"]  # type: ignore[no-any-return]


def test_month_zero_is_the_profile_as_it_is(profile_path: Path) -> None:
    profile = load_profile(profile_path)
    packs = packs_for("US", load_settings())
    sim = simulate(profile, packs, months=3)
    today = compute_metrics(profile)
    assert sim.months[0].date == date(2026, 11, 20)
    assert sim.months[0].values == {k: today.values[k] for k in sim.months[0].values}


def test_balances_and_utilisation_follow_the_schedule(run, profile_path: Path) -> None:
    timeline = months_of(run, profile_path, "--months", "7")
    assert [m["balance"] for m in timeline] == [3000, 2500, 2000, 1500, 1000, 500, 0, 0]
    assert [m["metrics"]["revolving_utilization"] for m in timeline][:4] == [0.3, 0.25, 0.2, 0.15]
    assert [m["date"] for m in timeline][:3] == ["2026-11-20", "2026-12-20", "2027-01-20"]


def test_a_late_month_leaves_the_12_month_window_on_time(run, profile_path: Path) -> None:
    result = run("simulate", profile_path, "--months", "12", "--format", "json")
    changes = {c["rule"]: c for c in json.loads(result.out)["changes"]}
    # The 30-day late of October 2026 is in the 12 months ending September 2027, out of those
    # ending October 2027 (month 11).
    late = changes["core-late-recent"]
    assert (late["status"], late["cleared_month"], late["cleared_on"]) == ("clears", 11, "2027-10-20")
    assert late["before"] == {"late_payments_12m": 1}
    assert late["after"] == {"late_payments_12m": 0}


def test_inquiries_recur_at_the_same_pace_unless_told_otherwise(run, profile_path: Path) -> None:
    recurring = months_of(run, profile_path, "--months", "12")
    stopped = months_of(run, profile_path, "--months", "12", "--no-new-inquiries")
    # 2026-10-01 recurs on 2027-10-01: in the 6-month window of month 11 (2027-10-20).
    assert recurring[11]["metrics"]["inquiries_6m"] == 1
    assert stopped[11]["metrics"]["inquiries_6m"] == 0
    assert [m["metrics"]["inquiries_6m"] for m in stopped][:6] == [1, 1, 1, 1, 1, 0]


def test_paying_less_than_the_minimum_makes_arrears_that_age(run, profile_path: Path) -> None:
    timeline = months_of(run, profile_path, "--months", "4", "--pay", "card=100")
    assert [m["metrics"]["overdue_accounts"] for m in timeline] == [0, 1, 1, 1, 1]
    late = [m["metrics"]["late_payments_24m"] for m in timeline]
    # The December shortfall is due on 2026-12-20, 30 days late a month later, and each month
    # the arrears stay unpaid adds one month past due (US "30", "60", "90").
    assert late == [1, 1, 2, 3, 4]
    assert "core-severe-late" in timeline[4]["findings"]
    assert "core-severe-late" not in timeline[3]["findings"]
    assert timeline[4]["grade"] > timeline[0]["grade"]


def test_a_finding_that_gives_way_to_a_worse_one_escalates_it_does_not_clear(run) -> None:
    # Missing the jiebei instalments: from month 3 the lates reach 连三累六 (December, January and
    # February read 1, 2, 3 on a PBOC grid: the month a payment falls due in counts), so
    # cn-late-warning ("one step from the red line") stops firing because cn-consecutive-late starts.
    path = EXAMPLES / "profile.cn-jiebei-closed.yaml"
    args = ("simulate", path, "--months", "12", "--pay", "jiebei=0", "--lang", "en")
    result = run(*args, "-f", "json")
    assert result.code == 0, result.err
    changes = {c["rule"]: c for c in json.loads(result.out)["changes"]}
    warning = changes["cn-late-warning"]
    assert (warning["status"], warning["cleared_month"], warning["replaced_by"]) == (
        "escalates",
        3,
        "cn-consecutive-late",
    )
    assert (changes["cn-consecutive-late"]["status"], changes["cn-consecutive-late"]["appeared_month"]) == (
        "appears",
        3,
    )
    # overall use under 80% in month 1 while one card is still above: a milder finding takes over
    utilisation = changes["cn-utilization-high"]
    assert (utilisation["status"], utilisation["cleared_month"], utilisation["replaced_by"]) == (
        "eases",
        1,
        "cn-card-maxed",
    )
    assert changes["cn-card-maxed"]["status"] == "passes"  # and clears in month 2
    assert all(c["replaced_by"] is None for c in changes.values() if c["status"] == "clears")
    table = run(*args)
    assert "escalates  month 3, replaced by cn-consecutive-late  One step from the 连三累六" in table.out
    zh = run("simulate", path, "--months", "12", "--pay", "jiebei=0")
    assert "升级        第3个月被cn-consecutive-late取代  距离“连三累六”红线只差一步" in zh.out


def test_arrears_that_exist_today_keep_ageing(run, tmp_path: Path) -> None:
    path = tmp_path / "behind.yaml"
    path.write_text(
        PROFILE.replace(
            'past_due: 0, history: "NNNNNNNNNNNNNNNNNNNNNN1N"', 'past_due: 500, history: "NNNNNNNNNNNNNNNNNNNNNNN1"'
        )
    )
    timeline = months_of(run, path, "--months", "3", "--pay", "card=0", "--no-new-inquiries")
    # 30 days late today: 60 in December, 90 in January (severe), 120 in February.
    assert [m["metrics"]["late_payments_24m"] for m in timeline] == [1, 2, 3, 4]
    assert ["core-severe-late" in m["findings"] for m in timeline] == [False, False, True, True]
    caught_up = months_of(run, path, "--months", "2", "--follow-plan")
    assert [m["metrics"]["overdue_accounts"] for m in caught_up] == [1, 0, 0]
    assert [m["metrics"]["late_payments_24m"] for m in caught_up] == [1, 1, 1]


def test_following_the_plan_brings_accounts_up_to_date_in_month_one(run) -> None:
    result = run("simulate", EXAMPLES / "profile.cn-jiebei-closed.yaml", "--follow-plan", "-f", "json")
    document = json.loads(result.out)
    assert document["assumptions"]["catch_up"] == 1920
    assert document["assumptions"]["monthly_payment"] == 3940
    assert [m["metrics"]["overdue_accounts"] for m in document["timeline"][:2]] == [1, 0]
    changes = {c["rule"]: c for c in document["changes"]}
    assert changes["core-overdue-now"]["cleared_month"] == 1


def test_on_time_means_up_to_date_and_the_bare_minimum_never_is(run) -> None:
    path = EXAMPLES / "profile.cn-jiebei-closed.yaml"
    on_time = json.loads(run("simulate", path, "--months", "3", "-f", "json").out)
    assert on_time["assumptions"]["catch_up"] == 1920
    assert [m["metrics"]["overdue_accounts"] for m in on_time["timeline"]] == [1, 0, 0, 0]
    # Paying the card's own 960 minimum and not the 1,920 past due keeps it two payments behind:
    # 61-90 days past due in December (PBOC code 3), 91+ in January (code 4: severe), and so on.
    bare = months_of(run, path, "--months", "3", "--pay", "cmb-card=960")
    assert [m["metrics"]["overdue_accounts"] for m in bare] == [1, 1, 1, 1]
    assert [m["metrics"]["late_payments_24m"] for m in bare] == [3, 4, 5, 6]
    assert "core-severe-late" not in bare[1]["findings"]
    assert "core-severe-late" in bare[2]["findings"]


def test_plan_timeline_is_the_same_simulation(run) -> None:
    path = EXAMPLES / "profile.cn-jiebei-closed.yaml"
    plan = json.loads(run("plan", path, "-f", "json").out)["plan"]
    sim = json.loads(run("simulate", path, "--follow-plan", "--months", "24", "-f", "json").out)
    cleared = {c["rule"]: c["cleared_month"] for c in sim["changes"]}
    milestones = plan["recovery"]["milestones"]
    # Every step but the notes (severity info: how long records stay) has a milestone, and so does
    # the milder finding a step eases to (cards under 80% overall, one card still over it).
    steps = [m for m in milestones if m["follows"] is None]
    assert {m["rule"] for m in steps} == {s["rule"] for s in plan["steps"] if s["severity"] != "info"}
    followers = [(m["follows"], m["rule"], m["month"]) for m in milestones if m["follows"] is not None]
    assert followers == [("cn-utilization-high", "cn-card-maxed", 2)]
    eased = next(m for m in milestones if m["rule"] == "cn-utilization-high")
    assert (eased["month"], eased["eased_to"]) == (1, "单张信用卡（或单个额度）使用率达86.9%")
    for milestone in milestones:
        assert milestone["month"] == cleared[milestone["rule"]]
    months = [m["month"] if m["month"] is not None else 99 for m in milestones]
    assert months == sorted(months)
    assert plan["recovery"]["grades"][0] == {"month": 0, "date": "2026-11-20", "grade": "E", "provisional": False}


def test_plan_timeline_can_be_turned_off_or_fed_extra(run) -> None:
    path = EXAMPLES / "profile.us-maxed-out.yaml"
    assert json.loads(run("plan", path, "-f", "json", "--timeline", "0").out)["plan"]["recovery"] is None
    plain = json.loads(run("plan", path, "-f", "json").out)["plan"]["recovery"]
    extra = json.loads(run("plan", path, "-f", "json", "--extra", "600").out)["plan"]["recovery"]
    assert extra["monthly_payment"] == plain["monthly_payment"] + 600

    def month_of(recovery: dict[str, object], rule: str) -> object:
        return next(m["month"] for m in recovery["milestones"] if m["rule"] == rule)  # type: ignore[attr-defined]

    sooner, later = month_of(extra, "us-utilization-severe"), month_of(plain, "us-utilization-severe")
    assert isinstance(sooner, int)
    assert later is None or sooner < later  # type: ignore[operator]


def test_events_move_the_simulation(run, tmp_path: Path) -> None:
    path = tmp_path / "e.yaml"
    path.write_text(
        PROFILE
        + "events:\n"
        + "  - {date: 2027-01-10, type: lump_sum, amount: 1000}\n"
        + "  - {date: 2027-03-01, type: new_debt, account: {id: car, type: auto, balance: 8000, apr: 0%,"
        + " min_payment: 400}}\n",
        encoding="utf-8",
    )
    timeline = months_of(run, path, "--follow-plan", "--months", "6")
    # The budget is the 500 of minimums due today, and grows by the car loan's 400 minimum when it
    # joins: freed money rolls on to the car loan.
    assert [m["balance"] for m in timeline] == [3000, 2500, 1000, 500, 8000, 7100, 6200]
    # The car loan is an application: a hard inquiry on 2027-03-01 (2026-10-01 leaves the
    # 6-month window in month 5).
    assert [m["metrics"]["inquiries_6m"] for m in timeline] == [1, 1, 1, 1, 2, 1, 1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--budget", "500"], "creditfix: error: --budget: --budget and --extra go with --follow-plan\n"),
        (["--pay", "card"], "creditfix: error: --pay: expected DEBT=AMOUNT\n"),
        (["--pay", "card=-5"], "creditfix: error: --pay: must not be negative\n"),
        (["--pay", "nope=5"], "creditfix: error: --pay: no debt with id nope\n"),
        (["--pay", "card=5", "--follow-plan"], "creditfix: error: give --pay or --follow-plan, not both\n"),
    ],
)
def test_bad_options_are_one_line(run, profile_path: Path, args: list[str], message: str) -> None:
    result = run("simulate", profile_path, *args)
    assert (result.code, result.err, result.out) == (2, message, "")


def test_a_client_table_row_cannot_be_simulated(run) -> None:
    result = run("simulate", EXAMPLES / "clients.csv", "--client", "US-0008")
    assert result.code == 2
    assert result.err == (
        f"creditfix: error: {EXAMPLES / 'clients.csv'}: the profile gives no debts (metric values alone, "
        "or no debts: list); payoff and simulate need them\n"
    )
    payoff = run("payoff", EXAMPLES / "clients.csv", "--client", "US-0008")
    assert (payoff.code, payoff.err) == (2, result.err)


def test_a_debt_without_apr_is_named(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("as_of: 2026-11-20\ndebts:\n  - {id: x, balance: 10, min_payment: 5}\n", encoding="utf-8")
    with pytest.raises(SimulationError, match="debt x: no apr"):
        simulate(load_profile(path), packs_for(None, load_settings()), months=2)


def test_a_debt_without_apr_is_located_in_the_file(run, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "as_of: 2026-11-20\ndebts:\n  - {id: ok, balance: 10, apr: 1%, min_payment: 5}\n"
        "  - id: x\n    balance: 10\n    min_payment: 5\n",
        encoding="utf-8",
    )
    for command in ("payoff", "simulate"):
        result = run(command, path)
        assert (result.code, result.out) == (2, "")
        assert result.err == (
            f"creditfix: error: {path}:4: debts[1].apr: missing: give the interest rate (0% if none) to plan payoff\n"
        )


ITEMISED = """\
creditfix: 1
client: {id: items, jurisdiction: CN}
as_of: 2026-11-20
income: {monthly: 9000}
debts:
  - {id: cmb, type: card, balance: 6000, limit: 10000, apr: 18%, min_payment: 500}
payments:
  - {debt: cmb, due: 2026-09-05, paid: 2026-09-04, amount: 500}
  - {debt: cmb, due: 2026-10-05, paid: 2026-10-03, amount: 500}
  - {debt: cmb, due: 2026-11-05, amount: 1000}
"""


def test_an_overdue_known_from_itemised_payments_is_paid_in_month_one(run, tmp_path: Path) -> None:
    # an advisor's case: the overdue comes from an unpaid itemised payment, not from past_due
    path = tmp_path / "items.yaml"
    path.write_text(ITEMISED, encoding="utf-8")
    on_time = json.loads(run("simulate", path, "--months", "3", "-f", "json").out)
    assert on_time["assumptions"]["catch_up"] == 1000
    assert [m["metrics"]["overdue_accounts"] for m in on_time["timeline"]] == [1, 0, 0, 0]
    statuses = {c["rule"]: c["status"] for c in on_time["changes"]}
    assert statuses["core-overdue-now"] == "clears"
    assert "core-severe-late" not in statuses


HEAVY = """\
creditfix: 1
client: {id: heavy, jurisdiction: CN}
as_of: 2026-11-20
income: {monthly: 8000, verified: true}
debts:
  - {id: jd, type: credit_line, balance: 30000, limit: 31000, apr: 18%, min_payment: 3000, past_due: 0, history: "NNNNNN"}
  - {id: wl, type: credit_line, balance: 20000, limit: 20000, apr: 18%, min_payment: 4200, past_due: 0, history: "NNNNNN"}
"""


def test_a_timeline_that_takes_most_of_the_income_says_so(run, tmp_path: Path) -> None:
    # an advisor's case: 7,200 of 8,000 a month for two years is not a plan anyone keeps without help
    path = tmp_path / "heavy.yaml"
    path.write_text(HEAVY, encoding="utf-8")
    recovery = json.loads(run("plan", path, "-f", "json", "--lang", "en").out)["plan"]["recovery"]
    assert recovery["warning"] == (
        "the timeline assumes ¥7,200.00 a month, 90.0% of income: hard to keep up, so ask your lenders early"
        " for a repayment arrangement"
    )
    light = HEAVY.replace("monthly: 8000", "monthly: 30000")
    path.write_text(light, encoding="utf-8")
    assert json.loads(run("plan", path, "-f", "json").out)["plan"]["recovery"]["warning"] is None


_LOAN = "{id: loan, type: personal_loan, balance: 36000, apr: 6.5%, min_payment: 2000, opened: 2025-11-10"
_ON_TIME = [(f"2025-{m:02d}-10", f"2025-{m:02d}-10") for m in (12,)] + [
    (f"2026-{m:02d}-10", f"2026-{m:02d}-10") for m in (1, 2, 3, 4, 6, 7, 8, 9)
]


def test_a_timeline_is_the_same_from_payments_and_from_history(run, tmp_path: Path) -> None:
    # The May instalment paid 95 days late (1234 from May to August) and October's unpaid on
    # 2026-11-20 (1 at the end of October, 2 by now): paid now, as the plan says, the run is
    # October-November, and the 4 of August leaves the 24-month window in August 2028.
    head = "client: {id: c, jurisdiction: CN}\nas_of: 2026-11-20\nincome: {monthly: 11000, verified: true}\n"
    payments = [*_ON_TIME, ("2026-05-10", "2026-08-13")]
    itemised = tmp_path / "payments.yaml"
    itemised.write_text(
        head
        + f"debts: [{_LOAN}}}]\npayments:\n"
        + "".join(f"  - {{debt: loan, due: {due}, paid: {paid}, amount: 2000}}\n" for due, paid in payments)
        + "  - {debt: loan, due: 2026-10-10, amount: 2000}\ninquiries: []\n",
        encoding="utf-8",
    )
    history = tmp_path / "history.yaml"
    history.write_text(
        head + f'debts: [{_LOAN}, past_due: 2000, history: "NNNNN1234N12"}}]\ninquiries: []\n', encoding="utf-8"
    )
    timelines = []
    for path in (itemised, history):
        recovery = json.loads(run("plan", str(path), "--format", "json").out)["plan"]["recovery"]
        timelines.append(([(m["rule"], m["date"]) for m in recovery["milestones"]], recovery["grades"]))
    assert timelines[0] == timelines[1]
    assert ("cn-consecutive-late", "2028-08-20") in timelines[0][0]


def test_a_record_reaching_its_date_in_the_projection_is_deleted_not_disputed(run, tmp_path: Path) -> None:
    # A Chapter 7 filed 2021-05-14 leaves the report 2031-05-14: the projection has it deleted then,
    # not "past its date, dispute it" (core-records-expired), which is for records already past it.
    path = tmp_path / "p.yaml"
    path.write_text(
        "client: {id: r, jurisdiction: US}\nas_of: 2026-11-20\nincome: {monthly: 4200, verified: true}\n"
        "debts: [{id: card, type: card, balance: 120, limit: 500, apr: 24%, min_payment: 25,"
        ' opened: 2022-03-01, history: "NNNNNNNNNNNN"}]\ninquiries: []\n'
        "public_records: [{type: bankruptcy, chapter: 7, filed: 2021-05-14, discharged: 2021-09-02}]\n",
        encoding="utf-8",
    )
    changes = json.loads(run("simulate", str(path), "--months", "60", "--format", "json").out)["changes"]
    assert [(c["rule"], c["status"], c["cleared_on"]) for c in changes] == [
        ("us-bankruptcy-old", "clears", "2031-05-20"),
        ("us-few-accounts", "stays", None),
    ]


def test_a_cn_payment_missed_is_late_in_the_month_it_falls_due(run, tmp_path: Path) -> None:
    # PBOC grid: 1 is 1-30 days, and the due month reads 1 (late by its end): missing December's
    # minimum makes December 1, January 2, February 3 (lender review: it lagged a month behind).
    path = tmp_path / "cn.yaml"
    path.write_text(
        "creditfix: 1\nclient: {id: cn, jurisdiction: CN}\nas_of: 2026-11-29\n"
        "debts:\n  - {id: card, type: card, balance: 8000, limit: 30000, apr: 18%, min_payment: 800,"
        ' opened: 2017-03-01, past_due: 0, history: "NNNNNNNNNNNNNNNNNNNNNNNN"}\n',
        encoding="utf-8",
    )
    timeline = months_of(run, path, "--months", "3", "--pay", "card=400", "--no-new-inquiries")
    assert [m["metrics"]["late_payments_24m"] for m in timeline] == [0, 1, 2, 3]
    assert ["cn-consecutive-late" in m["findings"] for m in timeline] == [False, False, False, True]  # 连三


def test_a_paid_us_medical_collection_leaves_the_projected_report(run, tmp_path: Path) -> None:
    # Paid in month 1 by the plan, it is deleted by the bureaus: it does not come back as "a paid
    # medical collection still reported" (us-medical-off-report) for the rest of the timeline.
    path = tmp_path / "medical.yaml"
    path.write_text(
        "creditfix: 1\nclient: {id: m, jurisdiction: US}\nas_of: 2026-11-29\nincome: {monthly: 5000, verified: true}\n"
        "public_records: []\ninquiries: []\ndebts:\n"
        "  - {id: card, type: card, balance: 1000, limit: 10000, apr: 20%, min_payment: 40, past_due: 0,"
        ' opened: 2024-11-01, history: "OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK OK"}\n'
        "  - {id: er, type: other, balance: 740, status: collection, medical: true, first_delinquency: 2025-06}\n",
        encoding="utf-8",
    )
    timeline = months_of(run, path, "--months", "6", "--follow-plan")
    assert "core-collection" in timeline[0]["findings"]
    assert all("us-medical-off-report" not in m["findings"] for m in timeline)
    assert all("core-collection" not in m["findings"] for m in timeline[1:])
