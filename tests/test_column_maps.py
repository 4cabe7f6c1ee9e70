"""Column maps (``--columns``) beyond renaming: ``codes``, ``negative: zero`` and monthly status
columns (``field: history``), on exported datasets' layouts; and every mistake in a map as one
line naming the file, line and column."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from creditfix.load.table import iter_table, load_column_map
from creditfix.metrics import HISTORY_METRICS, compute_metrics, history_metrics
from creditfix.model import Profile

from conftest import EXAMPLES

TAIWAN = EXAMPLES / "taiwan-default.sample.csv"
TAIWAN_MAP = EXAMPLES / "columns.taiwan-default.yaml"
CODES = '{"-2": "*", "-1": N, "0": N, "8": "7", "9": "7"}'


def _jsonl(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_monthly_status_columns_rank_the_taiwan_layout(run) -> None:
    """Every row gets a result; the status columns make the late-payment metrics."""
    result = run("check", TAIWAN, "--columns", TAIWAN_MAP, "--rules", "cn", "-f", "jsonl", "--jobs", "1")
    assert result.code == 0, result.err
    rows = _jsonl(result.out)
    assert [r["client_id"] for r in rows] == [str(n) for n in range(101, 121)]  # rows in = results out
    assert [r["error"] for r in rows] == [None] * 20
    assert [r["risk_points"] for r in rows] == [
        0, 15, 0, 120, 70, 25, 135, 40, 135, 25, 0, 75, 0, 0, 135, 15, 0, 75, 15, 15,
    ]  # fmt: skip
    # --redact checks one row at a time, the full way: the same grading
    redacted = _jsonl(run("check", TAIWAN, "--columns", TAIWAN_MAP, "--rules", "cn", "-f", "jsonl", "--redact").out)
    assert [(r["grade"], r["risk_points"], r["counts"]) for r in redacted] == [
        (r["grade"], r["risk_points"], r["counts"]) for r in rows
    ]


def test_status_columns_give_what_a_profile_history_gives(run) -> None:
    """Client 109 (PAY_0..PAY_6 = 8 7 6 5 4 3, newest first) has the metrics of a profile whose one
    debt's history is 345677 (8 is 7, 180+ days, in creditfix's codes)."""
    got = json.loads(run("metrics", TAIWAN, "--columns", TAIWAN_MAP, "--client", "109", "-f", "json").out)["metrics"]
    values = {name: got[name]["value"] for name in HISTORY_METRICS}
    assert values == {
        "late_payments_12m": 6,
        "late_payments_24m": 6,
        "severe_late_24m": 6,
        "max_consecutive_late_24m": 7,
        "max_months_past_due_24m": 7,
        "months_since_last_late": 0,
        "on_time_rate_12m": 0.0,
        "overdue_accounts": 1,
    }
    profile = Profile.model_validate(
        {"as_of": date(2005, 9, 30), "debts": [{"id": "card", "balance": 14298, "history": "345677"}]}
    )
    metrics = compute_metrics(profile)
    assert {name: metrics.values[name] for name in HISTORY_METRICS} == dict(history_metrics("345677", False))
    assert dict(history_metrics("345677", False)) == {**values, "on_time_rate_12m": 0}


def test_history_codes_read_as_the_jurisdiction_counts_them() -> None:
    # a PBOC code 3 is 61-90 days: 90+ days late is 4 and up in China, 3 and up elsewhere (US "90")
    assert dict(history_metrics("N3N", True))["severe_late_24m"] == 0
    assert dict(history_metrics("N3N", False))["severe_late_24m"] == 1
    # nothing due for six months: nothing late, no on-time rate, no last late month
    assert dict(history_metrics("******", False)) == {
        "late_payments_12m": 0,
        "late_payments_24m": 0,
        "severe_late_24m": 0,
        "max_consecutive_late_24m": 0,
        "max_months_past_due_24m": 0,
        "overdue_accounts": 0,
    }


def _table(tmp_path: Path, text: str, columns: str) -> tuple[Path, Path]:
    table = tmp_path / "export.csv"
    table.write_text(text, encoding="utf-8")
    mapping = tmp_path / "map.yaml"
    mapping.write_text(columns, encoding="utf-8")
    return table, mapping


def _read(table: Path, mapping: Path) -> dict[str | None, dict[str, object]]:
    """Each readable row's supplied metrics (those of its history too), by client id."""
    rows = iter_table(table, columns=load_column_map(mapping))
    return {row.client_id: dict(row.profile.metrics or {}) for row in rows if row.profile is not None}


def test_status_cells_not_listed_are_read_as_they_are_or_refused(run, tmp_path: Path) -> None:
    table, mapping = _table(
        tmp_path,
        "id,s0,s1,s2,late\n"
        "a,1,N,0,\n"  # 1 as it is; 0 by the codes
        "b,,,,\n"  # no status at all: no history metrics, as with no columns
        "c,N,x,N,\n"  # x is no status code: this row alone is refused
        "d,2,N,N,0\n"  # a metric column of its own wins over the history's
        "e,NA,OK,30,\n",  # NA is missing; US tokens read as in a profile
        f"id: client_id\nlate: late_payments_24m\n"
        f"s0: {{field: history, months_ago: 0, codes: {CODES}}}\n"
        f"s1: {{field: history, months_ago: 1, codes: {CODES}}}\n"
        f"s2: {{field: history, months_ago: 3, codes: {CODES}}}\n",  # month 2 has no column: unknown
    )
    result = run("check", table, "--columns", mapping, "-f", "jsonl", "--jobs", "1")
    assert result.code == 2
    rows = _jsonl(result.out)
    assert [r["client_id"] for r in rows] == ["a", "b", "c", "d", "e"]
    assert [r["error"] for r in rows] == [
        None,
        None,
        f"{table}:4: history: the status of 1 month before as_of is not a status code; give the column codes in"
        " the column map",
        None,
        None,
    ]
    rows_read = _read(table, mapping)
    assert (rows_read["a"]["late_payments_24m"], rows_read["a"]["months_since_last_late"]) == (1, 0)
    assert rows_read["b"] == {}
    assert (rows_read["d"]["late_payments_24m"], rows_read["d"]["late_payments_12m"]) == (0, 1)
    assert (rows_read["e"]["late_payments_24m"], rows_read["e"]["months_since_last_late"]) == (1, 3)


def test_days_past_due_columns_are_coded_as_payments_that_late(run, tmp_path: Path) -> None:
    """A lender's monthly DPD columns: 45 days is code 2 in China (1-30 days is 1), 1 in the US
    (from 30 days: the "30" token), as an itemised payment 45 days late would be."""
    table, mapping = _table(
        tmp_path,
        "id,where,dpd0,dpd1,dpd2\ncn,CN,0,45,0\nus,US,0,45,0\nother,,0,45.0,95\nclosed,US,X,0,0\nbad,US,x,0,0\n",
        "id: client_id\nwhere: jurisdiction\n"
        "dpd0: {field: history, months_ago: 0, days_late: true, codes: {X: '*'}}\n"
        "dpd1: {field: history, months_ago: 1, days_late: true}\n"
        "dpd2: {field: history, months_ago: 2, days_late: true}\n",
    )
    result = run("check", table, "--columns", mapping, "-f", "jsonl", "--jobs", "1")
    assert [r["error"] for r in _jsonl(result.out)] == [
        None,
        None,
        None,
        None,
        f"{table}:6: history: the status of the as_of month is not a status code or days past due; give the"
        " column codes in the column map",
    ]
    rows = _read(table, mapping)
    assert (rows["cn"]["max_months_past_due_24m"], rows["us"]["max_months_past_due_24m"]) == (2, 1)
    assert (rows["other"]["max_months_past_due_24m"], rows["other"]["late_payments_24m"]) == (4, 2)
    assert rows["closed"]["late_payments_24m"] == 0
    assert rows["closed"]["on_time_rate_12m"] == 1


def test_codes_give_categories_their_meaning(run, tmp_path: Path) -> None:
    """German credit's credit_history codes (A33: a delay in the past; A34 says nothing of how
    late: not known), and a ratio code in a table with a decimal comma."""
    table, mapping = _table(
        tmp_path,
        "id;history;rate\nr1;A33;2\nr2;A34;1\nr3;A30;\nr4;A35;1\n",
        "id: client_id\n"
        "history: {field: late_payments_24m, codes: {A30: 0, A31: 0, A32: 0, A33: 1, A34: null}}\n"
        "rate: {field: debt_to_income, codes: {'1': 0.35, '2': 0.3}}\n",
    )
    result = run("check", table, "--columns", mapping, "-f", "jsonl", "--jobs", "1")
    assert [r["error"] for r in _jsonl(result.out)] == [
        None,
        None,
        None,
        f"{table}:5: late_payments_24m: not an amount; the column map's codes do not list it",
    ]
    rows = _read(table, mapping)
    assert rows["r1"] == {"late_payments_24m": 1, "debt_to_income": Decimal("0.3")}
    assert rows["r2"] == {"debt_to_income": Decimal("0.35")}
    assert rows["r3"] == {"late_payments_24m": 0}


def test_negative_zero_reads_a_credit_balance_as_nothing_owed(run, tmp_path: Path) -> None:
    table, mapping = _table(
        tmp_path,
        "id,limit,bill\nA,5.00E+05,-1166\nB,20000,(250.00)\nC,20000,3913\nD,20000,-x\n",
        "id: client_id\nlimit: {field: revolving_limit, scale: 1}\nbill: {field: revolving_balance, negative: zero}\n",
    )
    result = run("check", table, "--columns", mapping, "--rules", "us", "-f", "jsonl", "--jobs", "1")
    assert [r["error"] for r in _jsonl(result.out)] == [
        None,
        None,
        None,
        f"{table}:5: revolving_balance: not an amount",
    ]
    got = json.loads(run("metrics", table, "--columns", mapping, "--client", "A", "-f", "json").out)["metrics"]
    assert (got["revolving_balance"]["value"], got["revolving_limit"]["value"]) == (0, 500000)
    assert got["revolving_utilization"]["value"] == 0.0
    plain = tmp_path / "plain.yaml"
    plain.write_text("id: client_id\nlimit: {field: revolving_limit, scale: 1}\nbill: revolving_balance\n")
    refused = _jsonl(run("check", table, "--columns", plain, "-f", "jsonl", "--jobs", "1").out)
    assert [r["error"] for r in refused][:2] == [
        f"{table}:2: revolving_balance: must not be negative",
        f"{table}:3: revolving_balance: must not be negative",
    ]


def test_exponent_notation_in_an_undeclared_column_names_the_fix(run, tmp_path: Path) -> None:
    table, mapping = _table(tmp_path, "id,limit\nA,5.00E+05\n", "id: client_id\nlimit: revolving_limit\n")
    result = run("check", table, "--columns", mapping, "-f", "jsonl", "--jobs", "1")
    assert _jsonl(result.out)[0]["error"] == (
        f"{table}:2: revolving_limit: a number in exponent notation is read only in a column the column map"
        " gives a scale (scale: 1 keeps it as is)"
    )


BAD_MAPS = [
    ("PAY_0: {field: history, month: 0}",
     "2: PAY_0: unknown key (did you mean 'months_ago'?); use field, scale, codes, negative, months_ago or days_late"),
    ("PAY_0: {field: history}",
     "2: PAY_0: months_ago: required with field: history (0 = the as_of month, 1 = the month before...)"),
    ("PAY_0: {field: history, months_ago: 24}", "2: PAY_0: months_ago: a whole number from 0 to 23"),
    ("PAY_0: {field: history, months_ago: true}", "2: PAY_0: months_ago: a whole number from 0 to 23"),
    ("PAY_0: {field: history, months_ago: 0}\nPAY_2: {field: history, months_ago: 0}",
     "3: PAY_2: months_ago: the same month as PAY_0"),
    ("LATE: {field: late_payments_24m, months_ago: 0}", "2: LATE: months_ago: only with field: history"),
    ("LATE: {field: late_payments_24m, negative: zero}", "2: LATE: negative: only for an amount column"),
    ("BILL: {field: revolving_balance, negative: yes}",
     "2: BILL: negative: zero (a credit balance: nothing owed) or error"),
    ('PAY_0:\n  field: history\n  months_ago: 0\n  codes:\n    "-1": N\n    "-2": X',
     "7: PAY_0: codes: the meaning is not a status code (N 1-7 * C # D Z G B, or OK 30 60 90 120 150 180 CO)"),
    ("LATE: {field: late_payments_24m, codes: {A: abc}}", "2: LATE: codes: the meaning is not a value of late_payments_24m"),
    ("LATE: {field: late_payments_24m, codes: {A: [1]}}",
     "2: LATE: codes: each meaning is a number, text, true/false or null"),
    ("LATE: {field: null, codes: {A: 1}}", "2: LATE: codes: not for a column that is dropped or holds the client id"),
    ("PAY_0: {field: history, months_ago: 0, codes: []}", "2: PAY_0: codes: a mapping of their cell to its meaning"),
    ("PAY_0: {field: history, months_ago: 0, codes: {-1: N}}",
     '2:48: PAY_0.codes: keys must be text (quote a header or code that YAML reads as a number or true/false: "-1")'),
    ("PAY_0: {field: history, months_ago: 0, scale: 1}", "2: PAY_0: scale: a status column has no scale"),
    ("LATE: {field: late_payments_24m, days_late: true}", "2: LATE: days_late: only with field: history"),
    ("PAY_0: {field: history, months_ago: 0, days_late: 1}",
     "2: PAY_0: days_late: true (the cells are days past due) or false"),
    ("PAY_0: {field: history, months_ago: 0, days_late: true, codes: {X: Y}}",
     "2: PAY_0: codes: the meaning is not a status code (N 1-7 * C # D Z G B, or OK 30 60 90 120 150 180 CO)"
     " or days past due"),
    ("BILL: {scale: 1}", "2: BILL: field: required (our column, or null to drop the column)"),
    ("PAY_0: {field: histroy, months_ago: 0}", "2: PAY_0: not a known column (did you mean 'history'?)"),
]  # fmt: skip


@pytest.mark.parametrize(("entry", "error"), BAD_MAPS, ids=[e for _, e in BAD_MAPS])
def test_a_bad_column_map_is_one_line(run, tmp_path: Path, entry: str, error: str) -> None:
    table, mapping = _table(tmp_path, "ID,PAY_0,PAY_2,BILL,LATE\n1,-1,0,100,0\n", f"ID: client_id\n{entry}\n")
    result = run("check", table, "--columns", mapping, "-f", "jsonl", "--jobs", "1")
    assert (result.code, result.out) == (2, "")
    assert result.err == f"creditfix: error: {mapping}:{error}\n"


def test_a_status_header_needs_the_map(run, tmp_path: Path) -> None:
    """A column headed "history" is not a status column unless the map makes it one."""
    table = tmp_path / "t.csv"
    table.write_text("client_id,history\nA,N\n", encoding="utf-8")
    result = run("check", table, "-f", "jsonl")
    assert result.code == 2
    assert result.out.endswith(f'"error": "{table}:1: column 2: unknown column; map it with --columns"}}\n')
