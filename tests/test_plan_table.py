"""The plan on a terminal: every step's action whole, the first sentence of its reason (``--details``:
the whole reason and the strengths' reasons), so that it reads top to bottom quickly."""

from __future__ import annotations

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
