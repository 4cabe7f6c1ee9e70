"""The plan: ranking key, grade, dates, exit codes and the input forms `plan` accepts."""

from __future__ import annotations

import json
import textwrap
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from creditfix.load.profile import parse_profile_text
from creditfix.metrics import _clean_by, compute_metrics
from creditfix.model import LATE_CODES, Debt
from creditfix.plan import clean_by_dates, grade_for, inquiry_windows, rank_key
from creditfix.rules.engine import evaluate, load_packs

from conftest import EXAMPLES

JIEBEI = EXAMPLES / "profile.cn-jiebei-closed.yaml"
HEALTHY = EXAMPLES / "profile.cn-healthy.yaml"


def profile(text: str):  # type: ignore[no-untyped-def]
    return parse_profile_text(textwrap.dedent(text), "t.yaml")


def test_ranking_key_is_total_and_documented() -> None:
    packs = load_packs(["core", "cn", "us"])
    rules = [r for p in packs for r in p.rules]
    keys = [rank_key(r) for r in rules]
    assert len(set(keys)) == len(keys), "no two rules tie"
    ordered = sorted(rules, key=rank_key)
    severities = ["critical", "high", "medium", "low", "info"]
    assert [severities.index(r.rule.severity) for r in ordered] == sorted(
        severities.index(r.rule.severity) for r in rules
    )


def test_equal_severity_orders_by_impact_then_horizon_then_id() -> None:
    packs = load_packs(["core"])
    by_id = {r.id: r for r in packs[0].rules}
    # both high: core-severe-late has impact 8, core-late-recent impact 7
    assert rank_key(by_id["core-severe-late"]) < rank_key(by_id["core-late-recent"])


@pytest.mark.parametrize(
    ("points", "grade"),
    [(0, "A"), (4, "A"), (5, "B"), (14, "B"), (15, "C"), (35, "D"), (50, "D"), (80, "E"), (500, "E")],
)
def test_grade_thresholds(points: int, grade: str) -> None:
    assert grade_for(points, {"B": 5, "C": 15, "D": 35, "E": 80}) == grade


def test_cn_clean_by_is_five_years_after_repayment() -> None:
    p = profile(
        """
        client: {jurisdiction: CN}
        as_of: 2026-11-20
        debts:
          - {id: card, balance: 100, history: "NNNN11NNNNNN", history_end: 2026-11}
          - {id: loan, balance: 100, history: "NNNNNNNNNN12"}
        """
    )
    items = {c.debt_id: c for c in clean_by_dates(p, date(2026, 11, 20))}
    # card: late in 2026-04 and 2026-05, repaid by the end of 2026-06 -> clean by 2031-06-30
    assert items["card"].since == "2026-04"
    assert items["card"].months_late == 2
    assert items["card"].clean_by == date(2031, 6, 30)
    # loan: still late this month -> 5 years after it is settled (no date yet)
    assert items["loan"].clean_by is None


def test_cn_clean_by_from_itemised_payments_runs_from_the_day_paid() -> None:
    p = profile(
        """
        client: {jurisdiction: CN}
        as_of: 2026-11-29
        debts: [{id: card, balance: 100}]
        payments:
          - {debt: card, due: 2026-07-10, paid: 2026-08-24}
          - {debt: card, due: 2026-08-10, paid: 2026-08-24}
          - {debt: card, due: 2026-09-10, paid: 2026-09-09}
        """
    )
    (item,) = clean_by_dates(p, date(2026, 11, 29))
    # late in July and August, both paid on 2026-08-24: 5 years from that day, not from a month end
    assert (item.since, item.months_late, item.clean_by) == ("2026-07", 2, date(2031, 8, 24))


def test_cn_clean_by_on_a_settled_account_runs_from_where_each_overdue_ended() -> None:
    # Decree 631 Art. 16: 5 years from the day each overdue ends. On a settled account the run that
    # lasted until the settlement ended on the settlement date; a run paid up before it ended then.
    p = profile(
        """
        client: {jurisdiction: CN}
        as_of: 2026-11-20
        debts:
          - {id: cured, balance: 0, status: settled, closed: 2026-09-15, history: "N12NNNN", history_end: 2026-09}
          - {id: settled, balance: 0, status: settled, closed: 2026-09-15, history: "N12N34", history_end: 2026-08}
        """
    )
    items = clean_by_dates(p, date(2026, 11, 20))
    cured = [c for c in items if c.debt_id == "cured"]
    # late 2026-04..05, paid up in 06: clean by 2031-06-30, not 5 years after the settlement
    assert [(c.since, c.clean_by) for c in cured] == [("2026-04", date(2031, 6, 30))]
    settled = [(c.since, c.clean_by) for c in items if c.debt_id == "settled"]
    # 2026-04..05 paid up in 06 -> 2031-06-30; 2026-07..08 ran until the settlement -> 2031-09-15
    assert settled == [("2026-04", date(2031, 6, 30)), ("2026-07", date(2031, 9, 15))]


def test_negative_records_count_every_record_still_on_the_report() -> None:
    # a 2023-01 late (paid up in 2023-02: clean by 2028-02-29) is outside every 24-month window but
    # still on a PBOC report; one from 2020 (clean by 2025-03-31) has gone
    text = """
        client: {jurisdiction: CN}
        as_of: 2026-11-20
        debts:
          - {id: card, balance: 100, history: "NN1NNNNN", history_end: 2023-06}
          - {id: old, balance: 0, status: closed, history: "1N", history_end: 2020-03}
        """
    metrics = compute_metrics(profile(text), date(2026, 11, 20))
    # (the card's record stops in 2023-06 while it is still open: the 24-month count is a lower bound)
    assert "late_payments_24m" not in metrics.values
    assert metrics.at_least["late_payments_24m"] == 0
    assert metrics.values["negative_records"] == 1
    us = compute_metrics(profile(text.replace("CN", "US")), date(2026, 11, 20))
    assert us.values["negative_records"] == 2  # US: 7 years from each delinquency: 2030-01-31, 2027-02-28


def test_us_clean_by_is_seven_years_after_delinquency() -> None:
    p = profile(
        """
        client: {jurisdiction: US}
        as_of: 2026-11-20
        debts:
          - {id: card, balance: 100, history: "OK OK 30 OK OK OK", history_end: 2026-11}
          - {id: old, balance: 0, status: charged_off, history: "OK 30 60 90 120 CO", history_end: 2019-06}
        """
    )
    items = {c.debt_id: c for c in clean_by_dates(p, date(2026, 11, 20))}
    assert items["card"].clean_by == date(2033, 8, 31)  # 30 days late in 2026-08
    assert items["card"].rule == "us-7y"
    # charged off: 7 years from 180 days after the delinquency began (2019-02) -> 2019-08-30 + 7y
    assert items["old"].item == "charged_off"
    assert items["old"].clean_by == date(2026, 8, 27)
    assert items["old"].expired, "already past: should be disputed"


def test_inquiry_window_falls_back_under_its_limit() -> None:
    p = profile(
        """
        client: {jurisdiction: CN}
        as_of: 2026-11-20
        debts: []
        inquiries:
          - {date: 2026-10-28, reason: loan_application}
          - {date: 2026-10-15, reason: loan_application}
          - {date: 2026-10-02, reason: loan_application}
          - {date: 2026-09-20, reason: loan_application}
          - {date: 2026-08-11, reason: loan_application}
          - {date: 2026-07-05, reason: card_application}
          - {date: 2026-06-01, reason: post_loan}
        """
    )
    metrics = compute_metrics(p)
    packs = load_packs(["core", "cn"])
    windows = {w.months: w for w in inquiry_windows(p, metrics, packs)}
    limits = {m: w.limit for m, w in windows.items()}
    for months, window in windows.items():
        assert window.count > limits[months]
        # the day it is back under, the count in that window equals the limit
        later = compute_metrics(p, window.under_on).values[f"inquiries_{months}m"]
        before = compute_metrics(p, date.fromordinal(window.under_on.toordinal() - 1)).values[f"inquiries_{months}m"]
        assert later == window.limit
        assert before > window.limit


def test_plan_exit_codes(run) -> None:
    assert run("plan", JIEBEI, "--format", "json").code == 0
    assert run("plan", JIEBEI, "--format", "json", "--fail-on", "critical").code == 1
    assert run("plan", HEALTHY, "--format", "json", "--fail-on", "low").code == 0
    bad = run("plan", EXAMPLES / "nope.yaml")
    assert bad.code == 2
    assert bad.err == f"creditfix: error: {EXAMPLES / 'nope.yaml'}: no such file\n"
    assert run("plan", JIEBEI, "--as-of", "2026-13-01").err == "creditfix: error: --as-of: month must be 01-12\n"


def test_plan_reads_stdin_and_client_table_rows(run) -> None:
    from_stdin = run("plan", "-", "--format", "json", stdin=JIEBEI.read_text(encoding="utf-8"))
    assert from_stdin.code == 0, from_stdin.err
    assert json.loads(from_stdin.out)["plan"]["steps"][0]["rule"] == "core-overdue-now"
    row = run("plan", EXAMPLES / "clients.csv", "--client", "CN-0006", "--format", "json")
    assert row.code == 0, row.err
    document = json.loads(row.out)
    assert document["client"]["id"] == "CN-0006"
    assert document["plan"]["grade"] == "E"


def test_plan_language_defaults_to_zh_for_cn(run) -> None:
    zh = json.loads(run("plan", JIEBEI, "--format", "json").out)
    en = json.loads(run("plan", JIEBEI, "--format", "json", "--lang", "en").out)
    assert zh["lang"] == "zh"
    assert en["lang"] == "en"
    assert zh["plan"]["steps"][0]["title"] != en["plan"]["steps"][0]["title"]


@pytest.mark.parametrize(
    ("lang", "why"),
    [
        ("zh", "债务 loan 没有年利率（apr）；请填写利率（无息填 0%）后才能规划还款"),
        ("en", "debt loan: no apr; give the interest rate (0% if none) to plan payoff"),
    ],
)
def test_no_timeline_says_why_in_the_plan_language(run, tmp_path, lang: str, why: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        "client: {id: x, jurisdiction: CN}\nas_of: 2026-11-20\n"
        "debts: [{id: loan, type: personal_loan, balance: 6000, min_payment: 500, history: NN1N}]\n",
        encoding="utf-8",
    )
    plan = json.loads(run("plan", str(path), "--format", "json", "--lang", lang).out)["plan"]
    assert plan["recovery"]["unavailable"] == why


def test_a_grade_on_too_little_data_is_provisional(run, tmp_path) -> None:
    table = tmp_path / "thin.csv"
    table.write_text("client_id,jurisdiction,as_of,monthly_income\nA1,US,2026-11-01,5000\n", encoding="utf-8")
    result = run("plan", str(table), "--client", "A1", "--format", "markdown")
    assert result.out.splitlines()[2:7] == [
        "**Grade A (provisional) · 0 risk points · no findings**",
        "",
        "Debt-to-income n/a · Card use n/a · Overdue n/a · Late months (24m) n/a · "
        "Hard inquiries (12m) n/a · Score n/a",
        "",
        "Packs: core 1.0.0, us 1.0.0",
    ]
    assert "Nothing found in what could be assessed, but some rules could not be" in result.out
    assert json.loads(run("plan", str(table), "--client", "A1", "--format", "json").out)["plan"]["provisional"]
    healthy = json.loads(run("plan", str(EXAMPLES / "profile.cn-healthy.yaml"), "--format", "json").out)["plan"]
    assert (healthy["grade"], healthy["provisional"]) == ("A", False)


def test_json_is_byte_identical_across_runs(run) -> None:
    first = run("plan", JIEBEI, "--format", "json", "--as-of", "2027-01-15").out
    assert first == run("plan", JIEBEI, "--format", "json", "--as-of", "2027-01-15").out


def test_evaluation_reports_not_assessed_with_reason() -> None:
    p = profile(
        """
        client: {jurisdiction: CN}
        as_of: 2026-11-20
        debts: [{id: card, type: card, balance: 100, limit: 1000}]
        """
    )
    packs = load_packs(["core", "cn"])
    evaluation = evaluate(packs, compute_metrics(p))
    missing = {n.rule.id: n.missing for n in evaluation.not_assessed}
    assert missing["cn-income-unverified"] == {"income_verified": "income not given"}
    # income given without saying whether it was proven: not assumed either way (missing is not zero)
    said_nothing = profile(
        """
        client: {jurisdiction: CN}
        as_of: 2026-11-20
        income: {monthly: 9000}
        debts: [{id: card, type: card, balance: 100, limit: 1000}]
        """
    )
    evaluation = evaluate(packs, compute_metrics(said_nothing))
    missing = {n.rule.id: n.missing for n in evaluation.not_assessed}
    assert missing["cn-income-unverified"] == {"income_verified": "income.verified not given"}


def test_an_old_collection_and_charge_off_are_not_also_overdue_now() -> None:
    # An advisor's case: a 2021 medical collection and a charged-off card, every open account paid
    # up. Before the split, both also counted as "overdue now" (critical): grade E at 115 points.
    p = profile(
        """
        client: {jurisdiction: US}
        as_of: 2026-11-20
        debts:
          - {id: medical, balance: 1200, status: collection, history: "OK 30 60 90 120", history_end: 2021-03}
          - {id: oldcard, type: card, balance: 2300, limit: 2500, status: charged_off,
             history: "OK OK 30 60 90 120 150 180 CO", history_end: 2021-06}
          - {id: card, type: card, balance: 400, limit: 3000, past_due: 0, history: "OK OK OK OK OK OK"}
        """
    )
    metrics = compute_metrics(p)
    assert (metrics.values["overdue_accounts"], metrics.values["overdue_amount"]) == (0, 0)
    assert metrics.values["defaulted_balance"] == 3500
    fired = {f.rule.id for f in evaluate(load_packs(["core", "us"]), metrics).findings}
    assert {"core-collection", "core-charged-off"} <= fired
    assert "core-overdue-now" not in fired
    behind = profile(
        """
        client: {jurisdiction: US}
        as_of: 2026-11-20
        debts: [{id: card, type: card, balance: 400, limit: 3000, past_due: 35, history: "OK OK 30"}]
        """
    )
    fired = {f.rule.id for f in evaluate(load_packs(["core", "us"]), compute_metrics(behind)).findings}
    assert "core-overdue-now" in fired


def test_a_small_medical_collection_is_disputed_not_settled() -> None:
    # an advisor's case: a 2020 medical collection of $380; DOMAIN.md: under $500 is not reported
    p = profile(
        """
        client: {jurisdiction: US}
        as_of: 2026-11-20
        debts:
          - {id: med, balance: 380, status: collection, medical: true, history: "30 60 90", history_end: 2020-10}
          - {id: card, type: card, balance: 400, limit: 3000, past_due: 0, history: "OK OK OK OK"}
        """
    )
    fired = {f.rule.id for f in evaluate(load_packs(["core", "us"]), compute_metrics(p)).findings}
    assert "us-medical-off-report" in fired
    assert "core-collection" not in fired


@given(st.dictionaries(st.integers(24240, 24290), st.sampled_from("NNN1234567B*C"), max_size=40))
def test_late_runs_are_the_maximal_stretches_of_late_months(months: dict[int, str]) -> None:
    # reference: a run is a stretch of consecutive recorded months with a late code (1-7, B)
    expected, run = [], []
    for m in range(24239, 24292):
        if months.get(m, "") in LATE_CODES:
            run.append(m)
        elif run:
            expected.append((f"{run[0] // 12:04d}-{run[0] % 12 + 1:02d}", len(run)))
            run = []
    debt = Debt.model_construct(id="d", balance=Decimal(0), status="closed")
    got = _clean_by(profile("client: {jurisdiction: CN}"), [debt], [months], date(2026, 11, 20))
    assert sorted((c.since, c.months_late) for c in got) == sorted(expected)


def test_us_first_delinquency_dates_a_collection_whatever_the_collector_reports() -> None:
    # the collector's own history starts in 2021; the original creditor's delinquency began 2018-03:
    # 2018-03-31 + 180 days = 2018-09-27, + 7 years = 2025-09-27 (FCRA §1681c(c)), already past
    p = profile(
        """
        client: {jurisdiction: US}
        as_of: 2026-11-20
        debts:
          - {id: sold, balance: 900, status: collection, first_delinquency: 2018-03,
             history: "120 150 180", history_end: 2021-03}
          - {id: bare, balance: 400, status: charged_off, first_delinquency: 2022-01}
        """
    )
    items = {c.debt_id: c for c in clean_by_dates(p, date(2026, 11, 20))}
    assert (items["sold"].clean_by, items["sold"].expired) == (date(2025, 9, 27), True)
    assert (items["bare"].clean_by, items["bare"].expired) == (date(2029, 7, 30), False)  # 2022-01-31 + 180 d
    metrics = compute_metrics(p)
    assert (metrics.values["expired_records"], metrics.values["collection_accounts"]) == (1, 0)
    assert metrics.values["charged_off_accounts"] == 1


def test_a_bad_debt_settled_last_year_still_asks_for_two_clean_years() -> None:
    # an advisor's case: a 呆账 settled 2025-06-15 (17 months before as_of): banks want about 2 years
    p = profile(
        """
        client: {jurisdiction: CN}
        as_of: 2026-11-20
        debts:
          - {id: gf, type: card, balance: 0, status: settled, closed: 2025-06-15, history: "N1234567BB",
             history_end: 2025-06}
          - {id: cmb, type: card, balance: 500, limit: 10000, past_due: 0, history: "NNNNNNNNNNNN"}
        """
    )
    fired = {f.rule.id for f in evaluate(load_packs(["core", "cn"]), compute_metrics(p)).findings}
    assert "cn-bad-debt-wait" in fired
    assert "core-charged-off" not in fired  # settled: nothing to negotiate


@pytest.mark.parametrize(
    "debt",
    [
        # a payment due in 2020 and never paid: the overdue has not ended, whatever else the file says
        "{id: loan, type: personal_loan, balance: 500}",
        # a history that stops before as_of while past_due says the account is behind today
        '{id: loan, type: personal_loan, balance: 500, past_due: 600, history: "NNNNN12", history_end: 2026-08}',
    ],
)
def test_cn_an_overdue_not_yet_ended_has_no_clean_by_date(debt: str) -> None:
    p = profile(
        f"""
        client: {{jurisdiction: CN}}
        as_of: 2026-11-10
        debts: [{debt}]
        payments: [{{debt: loan, due: 2020-03-15, amount: 500}}]
        """
    )
    items = clean_by_dates(p, date(2026, 11, 10))
    assert [c.clean_by for c in items if c.debt_id == "loan"][-1] is None
    metrics = compute_metrics(p)
    assert metrics.values["expired_records"] == 0
    assert metrics.values["relief_2025_records"] == 0
    assert metrics.values["negative_records"] >= 1


def test_rules_verify_decides_as_evaluate_does(run, tmp_path) -> None:
    pack = tmp_path / "p.yaml"
    pack.write_text(
        "pack: p\ntitle: P\nrules:\n  - id: p-either\n    category: overdue\n    severity: high\n"
        "    horizon: now\n    impact: 5\n    when: overdue_accounts > 0 or score < 600\n"
        "    title: {en: Either, zh: 二者之一}\n    action: {en: Act, zh: 行动}\n    why: {en: Why, zh: 原因}\n"
        "    basis: rule-of-thumb\n    source: test\n    tests:\n"
        "      - {name: overdue alone, metrics: {overdue_accounts: 1}, fires: true}\n"
        "      - {name: nothing known, metrics: {overdue_accounts: 0}, fires: false}\n",
        encoding="utf-8",
    )
    result = run("rules", "verify", pack)
    assert result.code == 1
    assert "p-either: nothing known: expected silent, got not assessed (missing score)" in result.out + result.err
    assert "overdue alone" not in result.out + result.err


def test_a_rule_that_supersedes_another_replaces_its_finding(run, tmp_path) -> None:
    # a young (11 months), thin (1 account) US file: us-young-thin-file says it with the US advice,
    # and supersedes core-young-file, which would say the same fact again (in the plan and in check)
    path = tmp_path / "young.yaml"
    path.write_text(
        "client: {id: y, jurisdiction: US}\nas_of: 2026-11-20\nincome: {monthly: 3000, verified: true}\n"
        "debts: [{id: card, type: card, balance: 45, limit: 300, apr: 25%, min_payment: 25, opened: 2025-12-10,"
        ' history: "NNNNNNNNNNN"}]\ninquiries: []\npublic_records: []\n',
        encoding="utf-8",
    )
    steps = [s["rule"] for s in json.loads(run("plan", str(path), "--format", "json").out)["plan"]["steps"]]
    assert "us-young-thin-file" in steps
    assert "core-young-file" not in steps
    table = tmp_path / "t.csv"
    table.write_text("client_id,jurisdiction,credit_accounts,credit_age_months\nY1,US,1,11\n", encoding="utf-8")
    row = json.loads(run("check", str(table), "--format", "jsonl", "--jobs", "1").out)
    assert row["top"]["rule"] == "us-young-thin-file"
    assert row["counts"]["low"] == 1


def test_a_collection_is_not_a_credit_account(tmp_path) -> None:
    """A collector's account of a debt is on the report, but it is not credit the person holds:
    a thin file with one card and a paid collection has 1 credit account, not 2."""
    from datetime import date

    from creditfix.load.profile import parse_profile_text
    from creditfix.metrics import compute_metrics

    text = (
        "creditfix: 1\nclient: {id: t, jurisdiction: US}\ndebts:\n"
        "  - {id: card, type: card, balance: 100, limit: 1000, opened: 2020-01-01, past_due: 0}\n"
        "  - {id: midland, status: collection, balance: 0, first_delinquency: 2024-03}\n"
    )
    metrics = compute_metrics(parse_profile_text(text, "t.yaml"), date(2026, 11, 29))
    assert metrics.values["credit_accounts"] == 1
    assert metrics.values["defaults_on_file"] == 1  # the collection is still a record
