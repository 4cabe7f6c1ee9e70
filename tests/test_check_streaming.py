"""`check` streams: jsonl to a file is written as clients finish (atomically), table rows go to
workers as raw cells, and the CSV reader reads lines one at a time."""

from __future__ import annotations

import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from creditfix.load.csvread import _lines

from conftest import EXAMPLES


def test_jsonl_to_a_file_is_what_stdout_gets(run, tmp_path: Path) -> None:
    table = EXAMPLES / "clients.csv"
    out = tmp_path / "triage.jsonl"
    to_stdout = run("check", table, "--format", "jsonl", "--as-of", "2026-11-20", "--jobs", "1")
    to_file = run("check", table, "--format", "jsonl", "--as-of", "2026-11-20", "--jobs", "2", "-o", out)
    assert to_file.code == to_stdout.code == 0
    assert to_file.out == ""
    assert out.read_text(encoding="utf-8") == to_stdout.out
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["triage.jsonl"]


def test_jsonl_to_a_missing_folder_fails_before_any_work(run, tmp_path: Path) -> None:
    result = run("check", EXAMPLES / "clients.csv", "--format", "jsonl", "-o", tmp_path / "no" / "x.jsonl")
    assert result.code == 2
    assert "the folder for -o does not exist" in result.err


@given(st.text(alphabet='ab,"\r\né', max_size=40))
def test_lines_split_as_stringio_does(text: str) -> None:
    assert list(_lines(text)) == list(io.StringIO(text, newline=""))
