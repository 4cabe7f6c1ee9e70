"""``check`` of a client table a batch at a time (creditfix.tablecheck) gives exactly the results of
the row-by-row way (run_job on each row): same grades, points, counts, top findings, titles and
errors, for tables of valid, odd and broken cells, with or without ids, in either CSV dialect."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditfix import check
from creditfix.check import CheckResult, RowBatch, init_worker, run_job
from creditfix.config import load_settings, with_flags
from creditfix.errors import InputError
from creditfix.formats.check_out import CONTROLS, jsonl_line, jsonl_lines, result_json, table_records
from creditfix.load.table import ColumnMap, ColumnRead, iter_table_batches
from creditfix.tablecheck import check_rows
from test_table_rows import _CELLS, _IDS

from strategies import check_results

AS_OF = date(2026, 11, 20)
_MORE: dict[str, list[str]] = {
    "inquiries_1m": ["0", "1", "4"],
    "inquiries_12m": ["0", "2", "9", "14"],
    "late_payments_12m": ["0", "1", "3"],
    "max_consecutive_late_24m": ["0", "1", "3", "6"],
    "collection_accounts": ["0", "1"],
    "charged_off_accounts": ["0", "1"],
    "debt_to_income": ["0.2", "55%", "0.9"],
    "on_time_rate_12m": ["1", "0.75", "90%"],
    "score_pct": ["0.4"],
}
_POOL = {**_CELLS, **_MORE, "jurisdiction": ["CN", "US", "cn", " US ", "USA", ""]}
_ODD = ["", " ", "NA", "n/a", "NULL", "#N/A"]


def _batches(text: str, columns: ColumnMap | None = None) -> list[RowBatch]:
    batches = []
    index = 0
    try:
        for batch in iter_table_batches("t.csv", size=7, data=text.encode("utf-8"), columns=columns):
            batches.append(RowBatch(index, batch))
            index += batch.raw.rows
    except InputError:  # the table as a whole (no rows): not a batch's business
        pass
    return batches


def _one_by_one(batch: RowBatch) -> list[CheckResult]:
    return [run_job(job) for job in batch.jobs()]


@st.composite
def tables(draw: st.DrawFn) -> str:
    columns = draw(st.lists(st.sampled_from(sorted(_POOL)), unique=True, min_size=1, max_size=14))
    with_ids = draw(st.booleans())
    header = (["client_id"] if with_ids else []) + columns
    delimiter = draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for _ in range(draw(st.integers(1, 20))):
        shape = draw(st.sampled_from(["row", "row", "row", "row", "blank", "ragged"]))
        if shape == "blank":
            out.write("\n")
            continue
        cells = [draw(st.sampled_from([*_IDS, "C-1", "C-2", ""]))] if with_ids else []
        cells += [draw(st.sampled_from([*_POOL[c], *_ODD])) for c in columns]
        writer.writerow(cells + (["extra"] if shape == "ragged" else []))
    return out.getvalue()


@pytest.fixture(autouse=True)
def _worker() -> Iterator[None]:
    init_worker(load_settings(env={}), AS_OF)
    yield
    check._STATE.clear()


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_a_batch_at_a_time_gives_what_row_by_row_gives(text: str) -> None:
    for batch in _batches(text):
        assert check_rows(batch) == _one_by_one(batch)


#: A column map with codes, a credit balance read as 0 and three monthly status columns.
_STATUS = (("-2", "*", False), ("-1", "N", False), ("0", "N", False), ("8", "7", False), ("9", "7", False))
_MAPPED = ColumnMap(
    {"ID": "client_id", "LIM": "revolving_limit", "BILL": "revolving_balance", "P0": "history", "P1": "history",
     "P3": "history", "DPD": "history", "HIST": "late_payments_24m", "WHERE": "jurisdiction", "RATE": "debt_to_income"},
    {"LIM": Decimal(1)},
    {
        "BILL": ColumnRead(negative_zero=True),
        "P0": ColumnRead(_STATUS, months_ago=0),
        "P1": ColumnRead(_STATUS, months_ago=1),
        "P3": ColumnRead(_STATUS, months_ago=3),
        "DPD": ColumnRead((("X", "*", False),), months_ago=2, days_late=True),
        "HIST": ColumnRead((("A33", "1", True), ("A34", "", False), ("A30", "0", True))),
        "RATE": ColumnRead((("1", "0.35", True), ("2", "0.2", True))),
    },
)  # fmt: skip
_MAPPED_CELLS = {
    "ID": ["1", "2", "", "6.22848E+18"],
    "LIM": ["20000", "5.00E+05", "0", "x"],
    "BILL": ["3913", "-1166", "(250.00)", "0", "-x"],
    "P0": ["-2", "-1", "0", "1", "2", "3", "8", "9", "N", "OK", "x"],
    "P1": ["-2", "-1", "0", "2", "4", "7"],
    "P3": ["-1", "0", "3", "B"],
    "DPD": ["0", "15", "30", "45", "95.0", "400", "X", "N", "y"],
    "HIST": ["A30", "A33", "A34", "A35", "2"],
    "WHERE": ["CN", "US", ""],
    "RATE": ["1", "2", "0.5", "50"],
}


@st.composite
def mapped_tables(draw: st.DrawFn) -> str:
    columns = [
        "ID",
        *draw(st.lists(st.sampled_from([c for c in sorted(_MAPPED_CELLS) if c != "ID"]), unique=True, min_size=1)),
    ]
    delimiter = draw(st.sampled_from([",", ";"]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
    writer.writerow(columns)
    for _ in range(draw(st.integers(1, 20))):
        writer.writerow([draw(st.sampled_from([*_MAPPED_CELLS[c], *_ODD])) for c in columns])
    return out.getvalue()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mapped_tables())
def test_a_mapped_batch_at_a_time_gives_what_row_by_row_gives(text: str) -> None:
    """Codes, negative: zero and status columns (a column map's) read the same both ways."""
    for batch in _batches(text, _MAPPED):
        assert check_rows(batch) == _one_by_one(batch)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.integers(0, 8))
def test_a_resumed_batch_skips_exactly_the_rows_done(text: str, skip: int) -> None:
    for batch in _batches(text):
        resumed = check.replace(batch, skip=min(skip, batch.batch.raw.rows))
        assert check_rows(resumed) == _one_by_one(resumed)


def test_typical_rows_are_graded_in_the_batch_not_one_by_one(monkeypatch: pytest.MonkeyPatch) -> None:
    text = Path("examples/clients.csv").read_text(encoding="utf-8")
    batches = _batches(text)
    expected = [_one_by_one(b) for b in batches]
    calls: list[object] = []
    monkeypatch.setattr("creditfix.tablecheck.run_job", lambda job: calls.append(job) or run_job(job))
    assert [check_rows(b) for b in batches] == expected
    assert sum(len(r) for r in expected) >= 20
    assert calls == []  # the shipped example is read and graded entirely a batch at a time


def test_cells_with_line_breaks_and_refused_ids_in_a_batch_match_row_by_row() -> None:
    """A batch reads a column at a time (a column of plain amounts, or of ids, in one match): a
    quoted cell holding a line break, a long name, an id a spreadsheet mangled, or one that only
    looks so across a line break, is still read as row by row reads it."""
    text = (
        "client_id,name,jurisdiction,total_debt,monthly_income,late_payments_12m\n"
        'C-1,Li,CN,"100\n200",5000,1\n'
        '"1.2E+5\nx",Wang,CN,300,5000,0\n'
        'C-3,"A\nB",US,400,"5000\n",2\n'
        "C-4,,US,500,6000,0\n"
        "1.23457E+11,Zhao,CN,600,6000,0\n"
        f"C-6,{'x' * 201},US,700,7000,1\n"
        "C-7,Qian,US,800,7000,3\n"
    )
    (batch,) = _batches(text)
    results = check_rows(batch)
    assert results == _one_by_one(batch)
    assert [r.error is None for r in results] == [False, True, True, True, False, False, True]


def test_a_condition_that_divides_by_zero_sends_its_rows_one_by_one(tmp_path: Path) -> None:
    pack = tmp_path / "ratio.yaml"
    pack.write_text(
        """pack: ratio
title: Dividing pack
rules:
  - id: ratio-odd
    category: debt_ratio
    severity: medium
    when: monthly_debt_payments / revolving_limit > 0.5
    title: Odd ratio
    action: Do it
    why: Because
    basis: rule-of-thumb
    source: test
    tests: []
""",
        encoding="utf-8",
    )
    init_worker(with_flags(load_settings(env={}), rules=(str(pack),)), AS_OF)
    text = "client_id,jurisdiction,monthly_debt_payments,revolving_limit\nA,US,10,0\nB,US,10,1\nC,US,0,5\n"
    (batch,) = _batches(text)
    results = check_rows(batch)
    assert results == _one_by_one(batch)
    assert [r.top_rule for r in results] == [None, "ratio-odd", None]


def test_redacted_ids_match_row_by_row() -> None:
    init_worker(load_settings(env={}), AS_OF, redact=True)
    (batch, *_) = _batches("client_id,jurisdiction,late_payments_12m\nC-000123,CN,2\nC-000124,US,0\n")
    results = check_rows(batch)
    assert results == _one_by_one(batch)
    assert [r.client_id for r in results] == ["…0123", "…0124"]


@given(check_results())
def test_jsonl_lines_are_what_json_dumps_writes(result: CheckResult) -> None:
    assert jsonl_line(result) == json.dumps(result_json(result), ensure_ascii=False) + "\n"


@given(st.lists(check_results(), max_size=6), st.lists(st.integers(0, 5), max_size=12))
def test_a_batch_of_jsonl_lines_is_each_line(results: list[CheckResult], picks: list[int]) -> None:
    """Clients sharing their grading, counts (the same dict, or an equal one) and top finding, with
    other ids and lines, are written as each one alone would be."""
    if results:
        results += [
            results[pick % len(results)]._replace(client_id=f"C-{pick}", line=pick, counts=dict(results[0].counts))
            if pick % 2
            else results[pick % len(results)]._replace(client_id=None, source="other.csv")
            for pick in picks
        ]
    assert jsonl_lines(results) == "".join(map(jsonl_line, results))


@given(st.lists(check_results(), min_size=1, max_size=6), st.lists(st.integers(0, 5), max_size=12))
def test_a_batch_of_jsonl_lines_without_errors_is_each_line(results: list[CheckResult], picks: list[int]) -> None:
    """A batch without errors is written a field at a time: the same lines, shared gradings and
    top findings or not, ids and lines of any kind."""
    results = [r._replace(error=None) for r in results]
    results += [
        results[pick % len(results)]._replace(client_id=f"C-{pick}", line=pick, counts=dict(results[0].counts))
        if pick % 2
        else results[pick % len(results)]._replace(client_id=None, source="other.csv", line=None)
        for pick in picks
    ]
    assert jsonl_lines(results) == jsonl_lines(iter(results)) == "".join(map(jsonl_line, results))


@given(st.lists(check_results(), max_size=6))
def test_plain_table_records_show_control_characters_as_spaces(results: list[CheckResult]) -> None:
    def record(r: CheckResult) -> str:
        client = (r.client_id or r.source).translate(CONTROLS)
        if r.error:
            return f"{client}\t—\t—\t{r.error.translate(CONTROLS)}"
        nothing = "nothing found: too little data" if r.provisional else "nothing to fix"
        top = f"[{r.top_severity}] {r.top_title}".translate(CONTROLS) if r.top_rule else nothing
        return f"{client}\t{r.grade or ''}{'?' if r.provisional else ''}\t{r.risk_points}\t{top}"

    assert table_records(results + results) == [record(r) for r in results + results]


def test_other_settings_in_the_same_process_are_not_graded_from_memory() -> None:
    """What a process keeps between batches belongs to the packs in force: a worker set up again
    with other settings (a severity override here) grades afresh."""
    from dataclasses import replace

    text = Path("examples/clients.csv").read_text(encoding="utf-8")
    before = [r for b in _batches(text) for r in check_rows(b)]
    assert any(r.top_rule == "core-overdue-now" for r in before)
    init_worker(replace(load_settings(env={}), severity={"core-overdue-now": "info"}), AS_OF)
    batches = _batches(text)
    after = [r for b in batches for r in check_rows(b)]
    assert after == [r for b in batches for r in _one_by_one(b)]
    assert after != before
    assert not any(r.top_rule == "core-overdue-now" and r.top_severity == "critical" for r in after)


def test_a_pack_with_nothing_to_assess_keeps_rows_in_the_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table whose columns give a pack nothing it can assess (only late_payments_12m, for the us
    pack) is still graded a batch at a time, not row by row."""
    text = "client_id,jurisdiction,late_payments_12m\n" + "".join(f"U-{i},US,{i % 3}\n" for i in range(40))
    batches = _batches(text)
    expected = [_one_by_one(b) for b in batches]
    calls: list[object] = []
    monkeypatch.setattr("creditfix.tablecheck.run_job", lambda job: calls.append(job) or run_job(job))
    assert [check_rows(b) for b in batches] == expected
    assert calls == []
