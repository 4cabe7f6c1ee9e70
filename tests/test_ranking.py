"""Ranked output past the spill threshold (records in a temporary file, read back in ranked order)
is byte for byte the output of results held in memory; the temporary file is 0600, nameless, in
the output's folder, and gone on every way out; the table is Rich only on a terminal and for a
few rows."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from creditfix import ranking
from creditfix.check import CheckResult, ranked
from creditfix.journal import Journal

from conftest import ROOT
from strategies import check_results

INPUTS = ["examples", "tests/hazards/csv.ragged-row.csv"]  # ties, CJK titles, an error ranked last
CHECK = ["check", *INPUTS, "--as-of", "2026-11-20"]


@pytest.fixture
def spills(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every temporary file a Ranking makes, with the folder asked for and its mode; the runs are
    in the repository so that sources are relative paths."""
    monkeypatch.chdir(ROOT)
    made: list[Any] = []
    real = tempfile.TemporaryFile

    def spy(*args: Any, **kwargs: Any) -> Any:
        handle = real(*args, **kwargs)
        made.append((handle, kwargs.get("dir"), stat.S_IMODE(os.fstat(handle.fileno()).st_mode)))
        return handle

    monkeypatch.setattr(ranking.tempfile, "TemporaryFile", spy)
    return made


def _results(keys: list[tuple[bool, int | None]]) -> list[CheckResult]:
    return [
        CheckResult(i, f"s{i}.yaml", None, f"c{i}", risk_points=risk, error="bad" if error else None)
        for i, (error, risk) in enumerate(keys)
    ]


def _records(results: Any) -> list[str]:
    return [f"{r.index}:{r.risk_points}:é中\r\n" for r in results]  # multi-byte text: byte offsets differ from len


@given(
    st.lists(st.tuples(st.booleans(), st.one_of(st.none(), st.integers(0, 40))), max_size=60),
    st.integers(0, 70),
    st.lists(st.integers(1, 9), max_size=8),
)
def test_records_come_back_in_ranked_order_held_or_spilled(
    keys: list[tuple[bool, int | None]], spill_at: int, batches: list[int]
) -> None:
    results = _results(keys)
    with ranking.Ranking(_records, spill_at=spill_at) as ranks:
        begin = 0
        for size in [*batches, len(results)]:  # batches of any size, the rest at the end
            ranks.add(results[begin : begin + size])
            begin += size
        assert ranks.count == len(results)
        assert list(ranks.records()) == _records(ranked(results))
        assert list(ranks.records()) == _records(ranked(results))  # read back again
        assert sorted(ranks.records(in_order=False)) == sorted(_records(results))
        assert (ranks.held() is None) == (len(results) > spill_at)


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_spilled_run_writes_what_a_held_one_does(
    run, spills: list[Any], monkeypatch: pytest.MonkeyPatch, fmt: str, jobs: str
) -> None:
    held = run(*CHECK, "--format", fmt, "--jobs", jobs)
    assert spills == []
    monkeypatch.setattr(ranking, "SPILL_AT", 7)
    spilled = run(*CHECK, "--format", fmt, "--jobs", jobs)
    assert len(spills) == 1
    handle, folder, mode = spills[0]
    assert (folder, mode, handle.closed) == (None, 0o600, True)  # $TMPDIR without -o
    assert spilled.code == held.code == 2
    assert spilled.out == held.out
    if fmt != "table":
        assert spilled.out.encode("utf-8") == (ROOT / "tests" / "golden" / f"check.examples.{fmt}").read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "json", "table"])
def test_a_spilled_run_to_a_file(
    run, spills: list[Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, fmt: str
) -> None:
    reference = tmp_path / f"held.{fmt}"
    run(*CHECK, "--format", fmt, "-o", reference)
    monkeypatch.setattr(ranking, "SPILL_AT", 0)
    out = tmp_path / f"out.{fmt}"
    result = run(*CHECK, "--format", fmt, "-o", out, "--jobs", "2")
    assert result.code == 2
    assert result.out == ""
    assert out.read_bytes() == reference.read_bytes()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    [(handle, folder, mode)] = spills
    assert (Path(folder), mode, handle.closed) == (tmp_path, 0o600, True)  # next to the output
    assert sorted(p.name for p in tmp_path.iterdir()) == [reference.name, out.name]


def test_the_temporary_file_goes_when_writing_fails(
    run, spills: list[Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from creditfix.formats import check_out

    def failing(records: Any) -> Any:
        yield "client_id\r\n"
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(ranking, "SPILL_AT", 3)
    monkeypatch.setattr(check_out, "csv_parts", failing)
    out = tmp_path / "out.csv"
    result = run(*CHECK, "--format", "csv", "-o", out)
    assert result.code == 3
    [(handle, _, _)] = spills
    assert handle.closed
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv.creditfix-journal"]  # kept to resume


def test_a_resumed_spilled_run_writes_the_same_file(
    run, spills: list[Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(Journal, "finish", Journal.close)  # as if killed just after writing the output
    out = tmp_path / "out.txt"
    first = run(*CHECK, "-o", out)
    reference = out.read_bytes()
    out.unlink()
    monkeypatch.setattr(ranking, "SPILL_AT", 5)
    again = run(*CHECK, "-o", out)
    assert "already done" in again.err
    assert again.code == first.code == 2
    assert out.read_bytes() == reference


TABLE = """\
3 clients, ranked by risk
#  client                   grade  risk  top finding / error
-  -----------------------  -----  ----  ----------------------------------------------
1  王 芳 (tab, [31mescape)    E     102  [critical] Overdue now on 1 account(s)
2  CN-0003                    C      20  [high] 1 late month(s) in the last 12 months
3  x                          —       —  t.csv:4: row has 3 cells but the header has 30
"""


def test_the_plain_table(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One line per client, columns aligned in terminal cells (a Chinese character takes two),
    control characters as spaces, no trailing spaces."""
    from creditfix.load.table import iter_table

    table = tmp_path / "t.csv"
    source = (ROOT / "examples" / "clients.csv").read_text(encoding="utf-8").splitlines()
    header, rows = source[0], {line.split(",", 1)[0]: line for line in source[1:]}
    clean = rows["CN-0001"].replace("CN-0001", '"王\t芳 (tab,\x1b[31mescape)"', 1)
    table.write_text("\n".join([header, rows["CN-0003"], clean, "x,y,z"]) + "\n", encoding="utf-8")
    assert [r.error for r in iter_table(table)][:2] == [None, None]
    monkeypatch.chdir(tmp_path)
    result = run("check", "t.csv", "--as-of", "2026-11-20", "--jobs", "1")
    assert result.out == TABLE


def test_rich_on_a_terminal_for_a_few_rows_plain_past_them(
    run, monkeypatch: pytest.MonkeyPatch, spills: list[Any]
) -> None:
    from creditfix import cli
    from creditfix.formats import check_out

    plain = run(*CHECK, "--jobs", "1").out  # not a terminal
    assert plain.startswith("95 clients, ranked by risk\n #  client")
    monkeypatch.setattr(cli, "_console", lambda: Console(force_terminal=True, width=100, highlight=False))
    drawn = run(*CHECK, "--jobs", "1")
    assert "95 clients, ranked by risk" in drawn.out
    assert "┏━━━━┳" in drawn.out
    assert "\x1b[" in drawn.out  # colour
    monkeypatch.setattr(check_out, "RICH_ROWS", 94)
    assert run(*CHECK, "--jobs", "1").out == plain


def test_every_ranked_format_has_a_record() -> None:
    from creditfix.formats import CheckFormat, check_out

    assert set(check_out.RECORDS) == set(CheckFormat) - {CheckFormat.jsonl}  # jsonl streams in input order


@given(st.lists(check_results(), max_size=3))
def test_json_records_are_what_the_document_writer_writes(results: list[CheckResult]) -> None:
    from creditfix.formats.check_out import json_records, result_json
    from creditfix.formats.jsonout import write_value

    assert json_records(results) == ["    " + write_value(result_json(r), 2, 2) for r in results]


def _plain_table_one_by_one(count: int, records: list[str]) -> str:
    """The plain table written a record at a time with :func:`fit_cell`: the reference."""
    from creditfix.formats.check_out import _HEADERS, _title, cell_width, fit_cell

    widths = [len(str(count)), 0, 1, 1, 0]
    for record in records:
        client, _, risk, top = record.split("\t")
        widths[1] = max(widths[1], cell_width(client))
        widths[3] = max(widths[3], len(risk))
        widths[4] = max(widths[4], cell_width(top))
    widths = [max(width, len(header)) for width, (header, _) in zip(widths, _HEADERS, strict=True)]
    head = [fit_cell(header, width, justify) for width, (header, justify) in zip(widths, _HEADERS, strict=True)]
    out = f"{_title(count)}\n{'  '.join(head).rstrip()}\n{'  '.join('-' * width for width in widths)}\n"
    for rank, record in enumerate(records, start=1):
        client, grade, risk, top = record.split("\t")
        client = fit_cell(client, widths[1], "left")
        out += f"{rank:>{widths[0]}}  {client}  {grade:^{widths[2]}}  {risk:>{widths[3]}}  {top}\n"
    return out


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["C-1", "王芳" * 5, "x" * 14, "", "ü"]),
            st.sampled_from(["A", "E", "—", ""]),
            st.sampled_from(["0", "112", "—"]),
            st.sampled_from(["nothing to fix", "[high] " + "中" * 12, "[low] " + "x" * 20]),
        ),
        max_size=20,
    ),
    st.integers(1, 700),
    st.integers(0, 20),
)
def test_the_plain_table_a_piece_at_a_time_is_the_table_a_record_at_a_time(
    cells: list[tuple[str, str, str, str]], repeat: int, chinese_at: int
) -> None:
    """Records split and padded a piece at a time (ASCII pieces with str.ljust): the same text as a
    record at a time, across pieces, with wide characters in some pieces only."""
    from creditfix.formats.check_out import plain_table_parts

    records = ["\t".join(c) for c in cells] * (repeat // max(len(cells), 1) + 1) if cells else []
    records = [r for r in records if r.isascii()] + [r for r in records if not r.isascii()][:chinese_at]
    expected = _plain_table_one_by_one(len(records), records)
    assert "".join(plain_table_parts(len(records), list(reversed(records)), records)) == expected
