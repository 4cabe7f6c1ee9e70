"""The plan on a terminal: every step's action whole, the first sentence of its reason (``--details``:
the whole reason and the strengths' reasons), so that it reads top to bottom quickly."""

from __future__ import annotations

import json

import pytest

from creditfix.formats.plan_doc import first_sentence

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


def test_the_table_cuts_reasons_and_says_how_to_see_them_whole(run) -> None:
    brief = run("plan", JIEBEI, "--lang", "en", "--timeline", "0")
    whole = run("plan", JIEBEI, "--lang", "en", "--timeline", "0", "--details")
    assert brief.code == whole.code == 0
    # the whole reason of cn-inquiries-at-limit has three sentences; the table shows the first
    flat = " ".join(brief.out.replace("│", " ").split())
    flat_whole = " ".join(whole.out.replace("│", " ").split())
    first = "Why: Banks count hard inquiries in several windows and decline when any is over their level."
    rest = "These levels are typical bank practice, not a PBOC rule"
    assert first in flat
    assert rest not in flat
    assert first in flat_whole
    assert rest in flat_whole
    # actions are never cut
    assert "6) Do not apply to many other lenders to replace the line." in flat
    assert "Reasons are cut to their first sentence: plan --details shows them whole." in flat
    assert "Reasons are cut" not in flat_whole
    # strengths: one line each, their reasons with --details
    assert "✓ An established credit history (88 months)\n" in brief.out
    assert "✓ An established credit history (88 months) — A long record" in whole.out
    assert len(brief.out.splitlines()) < len(whole.out.splitlines())


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
    out = " ".join(run("plan", path).out.split())
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
