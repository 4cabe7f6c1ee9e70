"""`check` streams: jsonl to a file is written as clients finish (atomically), table rows go to
workers as raw cells, and the CSV reader reads lines one at a time."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from creditfix import check
from creditfix.config import Settings

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


@given(st.text(alphabet=" ab,\r\n\x0b\u2028", max_size=12000))
def test_first_line_is_the_first_non_blank_of_splitlines(text: str) -> None:
    from creditfix.load.csvread import _first_line

    expected = next((line for line in text.splitlines() if line.strip()), "")
    assert _first_line(text) == expected


@pytest.mark.parametrize("text", ["\n" * 5000 + "x" * 9000 + "\ny", " \r\n" * 3000, "a" * 20000, ""])
def test_first_line_past_the_first_slice(text: str) -> None:
    from creditfix.load.csvread import _first_line

    assert _first_line(text) == next((line for line in text.splitlines() if line.strip()), "")


def _outcome(rows: object) -> list[object]:
    """What parsing gives: each row's line and cells (or error), then the error that ends it."""
    from creditfix.errors import InputError

    out: list[object] = []
    try:
        for line, cells in rows:  # type: ignore[attr-defined]
            out.append((line, str(cells) if isinstance(cells, InputError) else cells))
    except InputError as exc:
        out.append(str(exc))
    return out


@settings(max_examples=300)
@given(
    st.lists(st.lists(st.text(alphabet=" ab\t\x00\x85\u2028中", max_size=3), min_size=3, max_size=3), max_size=8),
    st.sampled_from([",", ";"]),
    st.lists(st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]), min_size=8, max_size=8),
    st.sampled_from(["", "", "", '"', '""', ",", ";"]),
    st.integers(0, 40),
    st.booleans(),
)
def test_a_batch_split_without_the_csv_reader_is_what_the_reader_gives(
    rows: list[list[str]], delimiter: str, ends: list[str], odd: str, where: int, ragged: bool
) -> None:
    """Most batches are split at line breaks and delimiters (no quotes): the same rows, lines,
    blank rows skipped and ragged rows as the CSV reader gives, or the reader's way."""
    import csv

    from creditfix.load.csvread import RawBatch, _checked, parse_batch

    if ragged and rows:
        rows[len(rows) // 2].pop()
    text = "".join(delimiter.join(cells) + end for cells, end in zip(rows, ends, strict=False))
    text = text[:where] + odd + text[where:]  # a quote or a delimiter somewhere
    width = 3
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    expected = _outcome(_checked(reader, 6, 6, width, "t.csv", [], []))
    assert _outcome(parse_batch(RawBatch(7, text, len(rows)), delimiter, width, "t.csv")) == expected


def _reader_batches(text: str, delimiter: str, size: int, max_rows: int) -> list[object]:
    """The batches of *text* (the lines below a one-line header) as the CSV reader splits them,
    the way :attr:`CsvTable.raw` did before it cut plain blocks itself: the reference."""
    import csv

    kept: list[str] = []

    def taped() -> Iterator[str]:
        for line in io.StringIO(text, newline=""):
            kept.append(line)
            yield line

    reader = csv.reader(taped(), delimiter=delimiter, strict=True)
    out: list[object] = []
    last = 1
    first, count, in_batch = last + 1, 0, 0
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num + 1
            if not "".join(cells).strip():
                continue
            count += 1
            if count > max_rows:
                if start > first:
                    out.append((first, "".join(kept[: start - first]), in_batch))
                out.append(f"too many at {start}")
                return out
            in_batch += 1
            if in_batch >= size:
                out.append((first, "".join(kept), in_batch))
                kept.clear()
                first, in_batch = last + 1, 0
    except csv.Error:
        if last >= first:
            out.append((first, "".join(kept[: last - first + 1]), in_batch))
        out.append(f"malformed at {last + 1}")
        return out
    if last >= first:
        out.append((first, "".join(kept), in_batch))
    return out


_RAW_PIECES = ["a", "b", " ", "\t", "\x0b", "\u2028", "中", ",", ";", '"', "\n", "\n", "\r\n", "\r\n", "\r", "\x00"]


@settings(max_examples=400)
@given(
    st.lists(st.sampled_from(_RAW_PIECES), max_size=80),
    st.sampled_from([",", ";"]),
    st.integers(1, 5),
    st.integers(0, 12),
    st.integers(1, 9),
    st.booleans(),
)
def test_raw_batches_are_what_the_csv_reader_splits(
    pieces: list[str], delimiter: str, size: int, max_rows: int, block: int, crlf: bool
) -> None:
    """The main process cuts plain blocks of a table at line breaks without the CSV reader, and
    reads the others with it: the same batches (lines, text, rows), cap and broken-quote ending
    as the reader gives, wherever the blocks end (here every few characters)."""
    from creditfix.errors import InputError
    from creditfix.load import csvread

    body = "".join(pieces)
    if crlf:  # every line break CR LF, as Excel writes them
        body = body.replace("\r\n", "\n").replace("\r", "").replace("\n", "\r\n")
    header = f"h1{delimiter}h2\n"
    expected = _reader_batches(body, delimiter, size, max_rows)
    original = csvread._CHUNK
    csvread._CHUNK = block
    try:
        table = csvread.read_csv((header + body).encode(), "t.csv")
        assert table.raw is not None
        got: list[object] = []
        try:
            for batch in table.raw(size, max_rows, lambda line: InputError("too many", line=line)):
                got.append(tuple(batch))
        except InputError as exc:
            got.append(f"too many at {exc.line}" if exc.reason == "too many" else f"malformed at {exc.line}")
    finally:
        csvread._CHUNK = original
    assert got == expected


@given(st.text(alphabet='ab,"\r\né中', max_size=60), st.sampled_from(["utf-8", "utf-16", "gb18030"]))
def test_a_table_read_as_a_stream_splits_lines_as_stringio_does(text: str, codec: str) -> None:
    """Blocks of the decoded stream may end between CR and LF or inside a character."""
    stream = io.TextIOWrapper(io.BytesIO(text.encode(codec)), encoding=codec, newline="")
    stream._CHUNK_SIZE = 3  # type: ignore[attr-defined]
    assert list(stream) == list(io.StringIO(text, newline=""))


def test_a_table_file_is_decoded_block_by_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading from the file (in tiny blocks) gives the rows that the bytes in memory give,
    the encoding guessed from the whole file (the cp1252 byte is near the end)."""
    from creditfix.load import csvread
    from creditfix.load.table import iter_table

    text = "client_id,name,total_debt\r\n" + "".join(f"C-{i},N{i},{i}\r\n" for i in range(200)) + "C-x,Jos\xe9,1\r\n"
    path = tmp_path / "t.csv"
    path.write_bytes(text.encode("cp1252"))
    monkeypatch.setattr(csvread, "_BLOCK", 7)
    from_file = [(r.line, r.client_id, r.profile) for r in iter_table(path)]
    from_bytes = [(r.line, r.client_id, r.profile) for r in iter_table(path, data=path.read_bytes())]
    assert from_file == from_bytes
    assert from_file[-1][2] is not None
    assert from_file[-1][2].client.name == "José"


def _row_by_row(path: Path) -> list[check.CheckResult]:
    """What check gives when every row is its own job (the way before row batches): iter_table."""
    from creditfix.errors import CreditfixError
    from creditfix.load.table import iter_table

    check.init_worker(Settings(), date(2026, 11, 20))
    results = []
    try:
        for row in iter_table(path, lazy=True):
            error = row.error.one_line() if row.error else None
            job = check.Job(len(results), row.source, row.line, row.client_id, profile=row.work, error=error)
            results.append(check.run_job(job))
    except CreditfixError as exc:
        results.append(check.CheckResult(len(results), str(path), exc.line, None, error=exc.one_line()))
    return results


_TABLE_LINES = [
    "C-{n},CN,1200,3,0\r\n",
    "C-{n},US,,1,2\n",
    '"C-{n}","US","1,500",0,0\n',
    '"C-{n}\nx",CN,900,1,1\n',  # a line break inside a quoted cell
    "\n",
    " , , , ,\n",
    "C-{n},CN,12\n",  # ragged
    "C-{n},CN,abc,1,1\n",  # a bad cell
    '"C-{n},CN,1,1,1\n',  # unterminated quote: ends the table
]


@given(
    st.lists(st.integers(0, len(_TABLE_LINES) - 2), max_size=30), st.booleans(), st.integers(1, 4), st.integers(1, 9)
)
def test_row_batches_give_what_row_by_row_gives(
    tmp_path_factory: pytest.TempPathFactory, picks: list[int], broken: bool, size: int, max_rows: int
) -> None:
    """Batches of raw rows (any size) read in workers: the same results, lines, errors, cap and
    broken-quote ending as reading the table row by row."""
    from creditfix import caps

    lines = [_TABLE_LINES[p].format(n=n) for n, p in enumerate(picks)]
    if broken:
        lines.insert(len(lines) // 2, _TABLE_LINES[-1].format(n=99))
    path = tmp_path_factory.mktemp("t") / "t.csv"
    path.write_text("client_id,jurisdiction,monthly_income,inquiries_6m,overdue_accounts\n" + "".join(lines))
    before = caps.active()
    caps.use(caps.Caps(table_rows=max_rows))
    try:
        expected = _row_by_row(path)
        original = check.BATCH_ROWS
        check.BATCH_ROWS = size
        try:
            batched = list(
                check.run_all(check.jobs_for([str(path)]), workers=1, settings=Settings(), as_of=date(2026, 11, 20))
            )
            for done in range(len(expected) + 1):
                resumed = check.skip(check.jobs_for([str(path)]), done)
                rest = list(check.run_all(resumed, workers=1, settings=Settings(), as_of=date(2026, 11, 20)))
                assert rest == expected[done:]
        finally:
            check.BATCH_ROWS = original
    finally:
        caps.use(before)
    assert batched == expected


def test_row_batches_across_workers_keep_order(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        "client_id,monthly_income,inquiries_6m\n" + "".join(f"C-{n},{1000 + n},{n % 9}\n" for n in range(1300))
    )
    one = list(check.run_all(check.jobs_for([str(path)]), workers=1, settings=Settings(), as_of=date(2026, 11, 20)))
    two = list(check.run_all(check.jobs_for([str(path)]), workers=2, settings=Settings(), as_of=date(2026, 11, 20)))
    assert [r.index for r in two] == list(range(1300))
    assert two == one


def test_jsonl_crosses_as_utf8_bytes_unless_it_does_not_encode(tmp_path: Path) -> None:
    """A worker encodes a batch's jsonl for a UTF-8 output (stdout, ``-o FILE``); text with a lone
    surrogate stays text, for the output's own error handling; a file gets both in order."""
    from creditfix.formats.check_out import jsonl_lines
    from creditfix.output import AtomicFile

    results = [check.CheckResult(0, "t.csv", 2, "王芳", "B", 3, {"high": 1}, "r", "T ≥3", "high")]
    odd = [results[0]._replace(client_id="x\udcff")]
    emit = check.Emit(jsonl=True, keep=False, utf8=True)
    assert check.Done.of(results, emit).jsonl == jsonl_lines(results).encode("utf-8")
    assert check.Done.of(odd, emit).jsonl == jsonl_lines(odd)
    out = AtomicFile(tmp_path / "out.jsonl")
    out.write("a\n")
    out.write_bytes("王\n".encode())
    out.write("b\n")
    out.commit()
    assert (tmp_path / "out.jsonl").read_text(encoding="utf-8") == "a\n王\nb\n"


def _rows_of_text(body: str, delimiter: str, max_rows: int) -> list[object]:
    """The rows below a one-line header as the CSV reader reads the whole text (blank rows skipped,
    ragged ones as errors), then the error that ends them (a broken quote, or the row past
    *max_rows*): the reference for rows read a range of the file at a time."""
    import csv

    from creditfix.errors import InputError
    from creditfix.load.csvread import _checked

    reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter, strict=True)
    out: list[object] = []
    try:
        for count, (line, cells) in enumerate(_checked(reader, 1, 1, 2, "t.csv", [], []), start=1):
            if count > max_rows:
                out.append(f"too many at {line}")
                break
            out.append((line, str(cells) if isinstance(cells, InputError) else cells))
    except InputError as exc:
        out.append(str(exc))
    return out


_RANGE_PIECES = ["a", "b", "7", " ", "\t", "\x0b", "\xa0", ",", ";", '"', "\n", "\n", "\n", "\r\n", "\r", "\x00"]
#: Characters each encoding a range is read in can hold (blank-looking ones among them).
_RANGE_EXTRA = {
    "utf-8": ["中", "\u3000", "\u2028", "\u2003"],
    "utf-8-sig": ["中", "\u3000"],
    "gb18030": ["中", "\u3000", "\u2003", "\u2028", "\x85"],
    "cp1252": ["é", "€"],
}


@settings(max_examples=400)
@given(
    st.data(),
    st.sampled_from(sorted(_RANGE_EXTRA)),
    st.sampled_from([",", ";"]),
    st.integers(1, 5),
    st.integers(0, 12),
    st.sampled_from([3, 8, 20, 1 << 20]),
    st.sampled_from([6, 131072, 131072]),
    st.booleans(),
    st.booleans(),
)
def test_ranges_of_a_file_read_in_workers_are_what_the_csv_reader_reads(
    data: st.DataObject,
    codec: str,
    delimiter: str,
    size: int,
    max_rows: int,
    block: int,
    limit: int,
    crlf: bool,
    plain: bool,
) -> None:
    """A table in a file comes as ranges of bytes that workers read and decode: together, the
    same rows, lines, blank and ragged rows, cap and broken-quote ending as the CSV reader
    gives for the whole text, in each encoding, wherever the blocks end (here every few bytes)
    and whatever the field size limit; each range holds the rows it says."""
    import csv
    import tempfile

    from creditfix.errors import InputError
    from creditfix.load import csvread

    pieces = data.draw(st.lists(st.sampled_from(_RANGE_PIECES + _RANGE_EXTRA[codec]), max_size=80))
    body = "".join(pieces)
    if plain:  # what most tables are: no quote, no NUL, no lone CR
        body = body.replace('"', "").replace("\x00", "").replace("\r", "")
    if crlf:  # every line break CR LF, as Excel writes them
        body = body.replace("\r\n", "\n").replace("\r", "").replace("\n", "\r\n")
    header = f"h1{delimiter}h2" + ("\r\n" if crlf else "\n")
    original = csvread._RANGE_BLOCK, csv.field_size_limit(limit)
    csvread._RANGE_BLOCK = block
    try:
        expected = _rows_of_text(body, delimiter, max_rows)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "t.csv"
            path.write_bytes((header + body).encode(codec))
            table = csvread.read_csv(path.open("rb"), "t.csv", encoding=None if codec == "utf-8-sig" else codec)
            assert table.encoding == codec
            assert table.raw is not None
            got: list[object] = []
            try:
                for batch in table.raw(size, max_rows, lambda line: InputError("too many", line=line)):
                    text = csvread.read_range(batch, "t.csv") if isinstance(batch, csvread.RawRange) else batch
                    rows = _outcome(csvread.parse_batch(text, delimiter, 2, "t.csv"))
                    assert len(rows) == batch.rows
                    got.extend(rows)
            except InputError as exc:
                got.append(f"too many at {exc.line}" if exc.reason == "too many" else str(exc))
    finally:
        csvread._RANGE_BLOCK = original[0]
        csv.field_size_limit(original[1])
    assert got == expected


def test_a_plain_table_file_goes_to_workers_as_ranges(tmp_path: Path) -> None:
    """The main process of check only finds where batches of a plain table file start (past a
    BOM and a CR LF header): a worker reads the rows; stdin, bytes and UTF-16 come as text."""
    from creditfix.load.csvread import RawBatch, RawRange
    from creditfix.load.table import iter_table_batches

    text = "client_id,total_debt\r\n" + "".join(f"C-{i},{i}\r\n" for i in range(3000))
    path = tmp_path / "t.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode())
    batches = list(iter_table_batches(path, size=512))
    assert {type(b.raw) for b in batches} == {RawRange}
    assert sum(b.raw.rows for b in batches) == 3000
    assert batches[0].raw.offset == len("\ufeffclient_id,total_debt\r\n".encode())
    read = [b.read().raw for b in batches]
    assert "".join(r.text for r in read) == text.split("\r\n", 1)[1]
    assert [r.first_line for r in read] == [b.raw.first_line for b in batches]
    from_bytes = list(iter_table_batches(path, size=512, data=path.read_bytes()))
    assert {type(b.raw) for b in from_bytes} == {RawBatch}
    path.write_bytes(text.encode("utf-16"))
    assert {type(b.raw) for b in iter_table_batches(path, size=512)} == {RawBatch}


def test_a_table_changed_while_being_read_costs_its_rows_an_error(tmp_path: Path) -> None:
    """Rows whose range of the file was read after the file changed (rewritten, truncated) are
    errors naming the file and the range's first line; the run goes on."""
    path = tmp_path / "t.csv"
    path.write_text("client_id,total_debt\n" + "".join(f"C-{i},{i}\n" for i in range(2000)), encoding="utf-8")
    jobs = list(check.jobs_for([str(path)]))
    assert [type(j) for j in jobs] == [check.RowBatch] * len(jobs)
    assert len(jobs) > 2
    path.write_text("client_id,total_debt\n" + "".join(f"C-{i},{i}\n" for i in range(100)), encoding="utf-8")
    done = check.run_chunk(jobs[:2])
    assert done.count == jobs[0].rows + jobs[1].rows
    assert {r.error for r in done.results} == {f"{path}:2: changed while it was being read; check it again"} | {
        f"{path}:{jobs[1].batch.raw.first_line}: changed while it was being read; check it again"
    }
    assert [r.index for r in done.results] == list(range(done.count))
    one_by_one = list(jobs[2].jobs())  # the way a worker that died is retried
    assert [j.index for j in one_by_one] == list(range(jobs[2].index, jobs[2].index + jobs[2].rows))
    assert all(j.error and "changed while it was being read" in j.error for j in one_by_one)
    path.unlink()
    assert all(r.error for r in check.run_chunk(jobs[2:3]).results)


def test_jsonl_to_an_unbuffered_stdout_is_written_as_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With ``PYTHONUNBUFFERED`` stdout's buffer is the file itself: workers' UTF-8 bytes are
    written to it as they are, every byte even when the file takes a few at a time."""
    import sys

    from creditfix import cli

    class Slow(io.FileIO):
        def write(self, data: object) -> int:
            return super().write(memoryview(data)[:5] if isinstance(data, memoryview) else data)  # type: ignore[arg-type]

    path = tmp_path / "out.jsonl"
    stdout = io.TextIOWrapper(Slow(path, "w"), encoding="utf-8", write_through=True)
    monkeypatch.setattr(sys, "stdout", stdout)
    assert cli._utf8_stdout()
    cli._write_jsonl('{"client_id": "李伟"}\n'.encode(), None)
    cli._write_jsonl("text\n", None)
    assert path.read_text(encoding="utf-8") == '{"client_id": "李伟"}\ntext\n'


def test_jsonl_of_a_process_unbuffered_or_not(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    table = str(EXAMPLES / "clients.csv")
    outputs = []
    for unbuffered in ("", "1"):
        env = {**os.environ, "PYTHONUNBUFFERED": unbuffered}
        command = [sys.executable, "-m", "creditfix", "check", table, "--format", "jsonl", "--jobs", "2"]
        outputs.append(subprocess.run(command, capture_output=True, env=env, check=False).stdout)
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"\n") == 24
