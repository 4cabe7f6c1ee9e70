"""The plan on a terminal: each step's title and one-line brief, dated, read top to bottom in about a
minute (``--details``: each step whole, with its reason, evidence and rule, and the timeline)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from creditfix.rules.template import first_sentence

from conftest import EXAMPLES

JIEBEI = EXAMPLES / "profile.cn-jiebei-closed.yaml"


@pytest.mark.parametrize(
    ("text", "first"),
    [
        ("One sentence only.", "One sentence only."),
        ("Banks look. Then they decline.", "Banks look."),
        ("Kept (FCRA 15 U.S.C. §1681c) for 7 years. More.", "Kept (FCRA 15 U.S.C. §1681c) for 7 years."),
        ("Art. 16 says 5 years. More.", "Art. 16 says 5 years."),
        ('A "quoted" end. "Next" one.', 'A "quoted" end.'),
        ("银行会关注。这说明依赖借贷。", "银行会关注。"),
        ("No full stop at the end", "No full stop at the end"),
    ],
)
def test_first_sentence(text: str, first: str) -> None:
    assert first_sentence(text) == first


def test_the_short_view_gives_title_and_brief_and_details_give_each_step_whole(run) -> None:
    short = run("plan", JIEBEI, "--lang", "en", "--timeline", "0")
    whole = run("plan", JIEBEI, "--lang", "en", "--timeline", "0", "--details")
    assert short.code == whole.code == 0
    flat = " ".join(short.out.replace("│", " ").split())
    flat_whole = " ".join(whole.out.replace("│", " ").split())
    # a step: its number, severity and title, then its brief, with the numbers filled in
    assert "1 critical Overdue now on 1 account(s) Pay what is overdue (¥1,920.00) now, before anything else." in flat
    assert "Pay down ¥3,600.00 on cards and lines to bring use to 70.0%." in flat
    # a note (info) is its title alone
    assert "9 info Negative records stay 5 years, and no one can delete them for a fee" in flat
    assert "PBOC report" not in flat
    # no reason, evidence or whole action in the short view; all of them with --details
    why = "Why: Banks count hard inquiries in several windows and decline when any is over their level."
    action = "6) Do not apply to many other lenders to replace the line."
    evidence = "Evidence: overdue_accounts = 1, overdue_amount = ¥1,920.00 · core-overdue-now (rule of thumb)"
    for text in (why, action, evidence, "Packs: core 1.0.0, cn 1.0.0"):
        assert text not in flat
        assert text in flat_whole
    assert "Each step in full, with why and the evidence: plan --details" in flat
    assert "plan --details" not in flat_whole
    # strengths: one line in the short view, each with its reason with --details
    assert "What is going well: ✓ An established credit history (88 months)\n" in short.out
    assert "✓ An established credit history (88 months) — A long record" in whole.out


def test_the_short_view_dates_each_step_and_gives_the_grade_path(run) -> None:
    short = run("plan", JIEBEI, "--lang", "en", "--as-of", "2026-11-29")
    flat = " ".join(short.out.split())
    assert "Overdue now on 1 account(s) · until 2026-12-29" in flat
    assert "Cards and credit lines 95.7% used · eases 2026-12-29" in flat  # to a card over 80%
    assert "Income not proven to lenders Give lenders" in flat  # no date: paying does not clear it
    assert (
        "Paying the minimums only (¥3,940.00 a month), ¥1,920.00 overdue paid now, no new credit:"
        " grade E now → D 2026-12-29 → C 2027-01-29 → B 2028-11-29 (sooner: plan --extra AMOUNT)"
    ) in flat
    whole = " ".join(run("plan", JIEBEI, "--lang", "en", "--as-of", "2026-11-29", "--details").out.split())
    assert "2027-01-29 (month 2) │ Hard inquiries at the limit stricter banks accept:" in whole  # month by month


WORD = re.compile(r"[A-Za-z0-9¥$][\w.,%'’¥$/-]*")


@pytest.mark.parametrize("example", sorted(EXAMPLES.glob("profile.*.yaml")), ids=lambda p: p.name)
def test_the_short_view_reads_in_about_a_minute(run, example: Path) -> None:
    """At most 380 words (the troubled 借呗 example, ten steps, is the longest: ~370; its details
    ~1,500): about 1.5 minutes read as prose at 238 words a minute, and it is scanned, not read."""
    short = run("plan", example, "--lang", "en", "--as-of", "2026-11-29")
    whole = run("plan", example, "--lang", "en", "--as-of", "2026-11-29", "--details")
    words, whole_words = len(WORD.findall(short.out)), len(WORD.findall(whole.out))
    assert words <= 380, words
    assert words < whole_words


@pytest.mark.parametrize("command", ["plan", "check"])
def test_output_dash_is_stdout_not_a_file_named_dash(run, tmp_path, monkeypatch, command: str) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(command, JIEBEI, "--format", "json", "-o", "-")
    assert result.out.startswith("{") or result.out.startswith("[")
    assert list(tmp_path.iterdir()) == []


EMPTY = "creditfix: 1\nclient: {jurisdiction: CN}\nas_of: 2026-11-20\nincome: {monthly: 8000}\ndebts: []\n"


def test_nothing_to_measure_is_not_applicable_not_missing_data(run, tmp_path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(EMPTY, encoding="utf-8")
    plan = json.loads(run("plan", path, "--format", "json").out)["plan"]
    inapplicable = {u["rule"]: u["missing"] for u in plan["not_applicable"]}
    assert inapplicable["cn-card-maxed"] == {
        "max_card_utilization": "no open cards or credit lines",
        "revolving_utilization": "no revolving credit limit",
    }
    assert "core-strength-on-time" in inapplicable
    missing = {u["rule"] for u in plan["not_assessed"]}
    assert not missing & set(inapplicable)
    assert {"cn-inquiries-over", "cn-sesame-low"} <= missing  # data that can be added
    # no debts at all: the young-file rules are decided (silent), not waiting for dates
    assert not {"core-young-file", "core-thin-file"} & (missing | set(inapplicable))


def test_not_assessed_grouped_and_in_chinese(run, tmp_path) -> None:
    path = tmp_path / "empty.yaml"
    path.write_text(EMPTY, encoding="utf-8")
    short = " ".join(run("plan", path).out.split())
    assert "未评估（6条规则）：请补充查询记录（inquiries；没有就写空列表 []）；" in short  # what to add, once
    assert "cn-inquiries-over" not in short  # which rules, and why: --details
    out = " ".join(run("plan", path, "--details").out.split())
    assert (
        "cn-inquiries-over, cn-inquiries-at-limit — inquiries_12m, inquiries_1m, inquiries_3m, inquiries_6m: "
        "未提供查询记录 (补充：查询记录（inquiries；没有就写空列表 []）)"
    ) in out
    assert "无可评估内容（不适用）：cn-utilization-high, core-on-time-rate-low, cn-card-maxed" in out


def test_a_misspelt_required_field_is_told_as_the_typo(run, tmp_path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("debts:\n  - {id: a, balanse: 10}\n", encoding="utf-8")
    result = run("metrics", path)
    assert result.code == 2
    assert result.err == (
        f"creditfix: error: {path}:2: debts[0].balanse: unknown field (did you mean 'balance'?) (and 1 more error)\n"
    )


@pytest.mark.parametrize("command", ["plan", "check"])
def test_output_naming_a_folder_is_refused_before_anything_is_written(run, tmp_path, monkeypatch, command) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    result = run(command, JIEBEI, "-o", folder)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"creditfix: error: {folder}: --output: is a folder, not a file\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no journal, no temp file
    assert list(folder.iterdir()) == []


def test_extra_is_checked_without_a_timeline(run, tmp_path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("creditfix: 1\nas_of: 2026-11-20\n", encoding="utf-8")
    result = run("plan", path, "--extra", "-5")
    assert (result.code, result.err) == (2, "creditfix: error: --extra: must not be negative\n")


COLLECTION = """creditfix: 1
client: {id: c1, jurisdiction: US}
as_of: 2026-11-29
income: {monthly: 3800, verified: true}
inquiries: []
public_records: []
debts:
  - {id: card, type: card, balance: 900, limit: 3000, apr: 24%, min_payment: 35, opened: 2015-01-01,
     history: "NNNNNNNNNNNNNNNNNNNNNNNN"}
  - {id: midland, type: other, status: collection, balance: 1850, first_delinquency: 2024-11, opened: 2019-03-01}
"""


def test_a_collection_without_a_rate_is_settled_on_the_timeline_and_says_so(run, tmp_path: Path) -> None:
    """The plan settles a collection in month 1, so it needs no apr or minimum: the timeline is
    there, and says that it assumes the collection paid in full; the summary shows what is owed on it,
    and its record is dated from its first delinquency."""
    path = tmp_path / "c1.yaml"
    path.write_text(COLLECTION, encoding="utf-8")
    short = run("plan", path)
    assert short.code == 0, short.err
    flat = " ".join(short.out.split())
    assert "Overdue $0.00" in flat
    assert "In collection or charged off $1,850.00" in flat
    assert "Paying the minimums only ($35.00 a month), $1,850.00 in collection or charged off paid in full now" in flat
    assert "1 account(s) in collection · eases 2026-12-29" in flat  # to a paid collection on file
    assert "│ midland │ collection │ 2024-11 │ 2032-05-29 │" in flat
    # once it is paid, the record stays on the report: a medium finding, so the grade is B, not A
    assert "grade D? now → B 2026-12-29" in flat


def test_the_short_view_gives_a_debts_late_records_one_row(run, tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text(
        "creditfix: 1\nclient: {id: many, jurisdiction: CN}\nas_of: 2026-11-29\nincome: {monthly: 11000, verified: true}\n"
        "debts:\n  - {id: boc-card, type: card, balance: 3000, limit: 12000, apr: 18%, min_payment: 300,"
        ' history: "NN1NNN1NNN1NNNNN1NN1NN1N"}\n',
        encoding="utf-8",
    )
    short = " ".join(run("plan", path, "--lang", "en").out.split())
    assert "│ boc-card │ 6 late records │ 2025-02 – 2026-10 │ 2030-03-31 – 2031-11-30 │" in short
    whole = " ".join(run("plan", path, "--lang", "en", "--details").out.split())
    assert whole.count("│ boc-card │ late 1 month(s) │") == 6


def test_a_us_default_leaving_the_report_within_a_year_is_not_assumed_paid(run, tmp_path: Path) -> None:
    """Paying a collection that leaves the report in five months shortens nothing: the timeline leaves
    it to leave, says so, and the step lasts until then."""
    path = tmp_path / "c2.yaml"
    path.write_text(COLLECTION.replace("first_delinquency: 2024-11", "first_delinquency: 2019-11"), encoding="utf-8")
    flat = " ".join(run("plan", path).out.split())
    assert "│ midland │ collection │ 2019-11 │ 2027-05-28 │" in flat
    assert (
        "Paying the minimums only ($35.00 a month), $1,850.00 in collection or charged off left to leave the"
        " report (within a year, or past its date), no new credit: grade D? now → A? 2027-05-29"
    ) in flat
    # one already past its date is not paid either: dispute it (core-records-expired), do not pay it
    path.write_text(COLLECTION.replace("first_delinquency: 2024-11", "first_delinquency: 2018-01"), encoding="utf-8")
    gone = " ".join(run("plan", path).out.split())
    assert "$1,850.00 in collection or charged off left to leave the report (within a year, or past its date)" in gone
    assert "paid in full now" not in gone
    assert "1 account(s) in collection · until 2027-05-29" in flat


def test_evaluating_long_after_the_profile_says_so_and_the_late_counts_become_lower_bounds(run) -> None:
    # The example is dated 2026-11-20: two years on, its histories say nothing of the
    # months since, so the two clean years are not claimed (lower bounds, a provisional grade).
    path = EXAMPLES / "profile.us-maxed-out.yaml"
    later = run("plan", path, "--as-of", "2028-11-20", "-f", "json")
    assert later.err == (
        "creditfix: note: evaluated on 2028-11-20, 24 month(s) after the profile's as_of (2026-11-20): its balances"
        " and past-due amounts are as of then, and its history stops there\n"
    )
    document = json.loads(later.out)
    assert document["metrics"]["late_payments_24m"]["value"] is None
    assert document["metrics"]["late_payments_24m"]["reason"].startswith("no history (or payments) for 2026-12 to ")
    assert document["plan"]["provisional"] is True
    same_day = run("metrics", path, "--as-of", "2026-12-19")
    assert same_day.err == ""  # less than a month later: no note
    earlier = run("metrics", path, "--as-of", "2026-06-01")
    assert earlier.err == (
        "creditfix: note: evaluated on 2026-06-01, before the profile's as_of (2026-11-20): its balances and"
        " past-due amounts are those of the later date\n"
    )


def test_every_fix_and_the_months_without_a_record_read_in_chinese() -> None:
    from creditfix.formats.labels import fix_text, reason_text
    from creditfix.metrics import NEEDS

    assert [fix for fix in set(NEEDS.values()) if fix_text(fix, "zh") == fix] == []
    assert reason_text("no history (or payments) for 2024-12 to 2026-05 of debt cmb; 2025-03 of debt b", "zh") == (
        "以下月份没有还款记录（history 或 payments）：债务 cmb 的 2024-12至2026-05；债务 b 的 2025-03"
    )


@pytest.mark.parametrize("jurisdiction", ["CN", "US"])
def test_init_writes_a_profile_that_plans_dated_as_asked(run, tmp_path: Path, jurisdiction: str) -> None:
    started = run("init", "-j", jurisdiction, "--as-of", "2027-03-15")
    assert started.code == 0, started.err
    assert "as_of: 2027-03-15 " in started.out
    path = tmp_path / "me.yaml"
    path.write_text(started.out, encoding="utf-8")
    planned = run("plan", path, "-f", "json")
    assert planned.code in (0, 1), planned.err
    assert json.loads(planned.out)["as_of"] == "2027-03-15"
