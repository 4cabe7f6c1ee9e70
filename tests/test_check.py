"""`creditfix check`: a batch never stops for one bad client, output order and formats are stable."""

from __future__ import annotations

import csv
import io
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from conftest import EXAMPLES


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name in ("profile.cn-jiebei-closed.yaml", "profile.cn-healthy.yaml", "profile.us-maxed-out.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.yaml").write_text("client: {id: bad}\ndebts: [{id: a, balance: -5}]\n", encoding="utf-8")
    (tmp_path / "sub" / "broken.yaml").write_text("a: [\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a profile", encoding="utf-8")
    return tmp_path


def test_mixed_folder_reports_everyone_and_exits_2(run, folder: Path) -> None:
    result = run("check", folder, "--format", "json", "--as-of", "2026-11-20", "--jobs", "1")
    assert result.code == 2
    document = json.loads(result.out)
    clients = document["clients"]
    assert [(c["client_id"], c["grade"], c["risk_points"]) for c in clients[:3]] == [
        ("li-wei", "E", 102),
        ("jordan-lee", "C", 32),
        ("wang-fang", "A", 0),
    ]
    errors = [c["error"] for c in clients[3:]]
    assert errors == [
        f"{folder / 'sub' / 'bad.yaml'}:2: debts[0].balance: must not be negative",
        f"{folder / 'sub' / 'broken.yaml'}:2:1: YAML syntax error: did not find expected node content",
    ]
    assert document["summary"] == {
        "clients": 5,
        "clean": 1,
        "provisional": 0,
        "with_findings": {"critical": 1, "high": 2, "medium": 1, "low": 2, "info": 2},
        "errors": 2,
    }
    assert result.err.startswith(
        "creditfix: 5 clients, 1 clean, with findings: 1 critical, 2 high, 1 medium, 2 low, 2 info, 2 error(s), "
    )


def test_jsonl_keeps_input_order_under_jobs(run) -> None:
    table = EXAMPLES / "clients.csv"
    one = run("check", table, "--format", "jsonl", "--jobs", "1")
    two = run("check", table, "--format", "jsonl", "--jobs", "2")
    assert one.code == two.code == 0
    assert one.out == two.out
    ids = [json.loads(line)["client_id"] for line in one.out.splitlines()]
    assert ids[:3] == ["CN-0001", "CN-0002", "CN-0003"]
    assert len(ids) == 24


def test_many_profiles_run_in_chunks_in_input_order(run, tmp_path: Path) -> None:
    # --jobs 1 runs YAML files several to a chunk: a table between them and a bad file among them
    # keep their places, and a chunk's bad file costs only itself
    for number in range(40):
        text = f"client: {{id: P-{number:02d}, jurisdiction: CN}}\nincome: {{monthly: {3000 + number}}}\n"
        (tmp_path / f"p{number:02d}.yaml").write_text(text if number != 17 else "client: [\n", encoding="utf-8")
    shutil.copy(EXAMPLES / "clients.csv", tmp_path / "p20-table.csv")
    one = run("check", tmp_path, "--format", "jsonl", "--jobs", "1")
    two = run("check", tmp_path, "--format", "jsonl", "--jobs", "2")
    assert one.code == two.code == 2
    assert one.out == two.out
    rows = [json.loads(line) for line in one.out.splitlines()]
    assert len(rows) == 40 + 24
    assert [r["client_id"] for r in rows[:17]] == [f"P-{n:02d}" for n in range(17)]
    assert rows[17]["error"] is not None
    assert [rows[n]["client_id"] for n in (18, 20, 44, 63)] == ["P-18", "CN-0001", "P-20", "P-39"]


def test_csv_is_spreadsheet_safe(run, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        'client_id,name,jurisdiction,as_of,overdue_accounts\n=HYPERLINK("http://x"),Eve,US,2026-11-20,1\n+1-555,Bob,US,2026-11-20,0\n',
        encoding="utf-8",
    )
    result = run("check", table, "--format", "csv")
    rows = list(csv.reader(io.StringIO(result.out.removeprefix("\ufeff"))))
    assert result.out.startswith("\ufeff")
    assert rows[0][:6] == ["client_id", "source", "line", "grade", "provisional", "risk_points"]
    ids = {row[0] for row in rows[1:]}
    assert ids == {'\'=HYPERLINK("http://x")', "'+1-555"}


def test_fail_on_and_output_file(run, folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    result = run(
        "check",
        folder / "profile.cn-healthy.yaml",
        folder / "profile.us-maxed-out.yaml",
        "--format",
        "json",
        "-o",
        target,
        "--fail-on",
        "high",
    )
    assert result.code == 1
    assert result.out == ""
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert json.loads(target.read_text(encoding="utf-8"))["summary"]["clients"] == 2


def test_bad_pack_stops_before_any_client(run, folder: Path, tmp_path: Path) -> None:
    pack = tmp_path / "evil.yaml"
    pack.write_text("pack: evil\ntitle: x\nrules: []\n", encoding="utf-8")
    result = run("check", folder, "--rules", pack)
    assert result.code == 2
    assert result.err == f"creditfix: error: {pack}:3: the pack has no rules\n"


def _dies_on_bad(job):  # type: ignore[no-untyped-def]
    """Stands in for run_job in forked workers: the process dies outright on one client."""
    import os

    from creditfix import check

    if job.source.endswith("bad.yaml"):
        os._exit(9)
    return check._real_run_job(job)  # type: ignore[attr-defined]


def test_a_dying_worker_costs_only_its_client(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from creditfix import check
    from creditfix.config import Settings

    monkeypatch.setattr(check, "_real_run_job", check.run_job, raising=False)
    monkeypatch.setattr(check, "run_job", _dies_on_bad)
    paths = check.discover([str(folder)])
    results = list(check.run_all(check.jobs_for(paths), workers=2, settings=Settings(), as_of=None, chunk_size=2))
    by_source = {Path(r.source).name: r for r in results}
    assert by_source["bad.yaml"].error == "worker process died on this client"
    assert by_source["broken.yaml"].error is not None
    assert by_source["broken.yaml"].error != "worker process died on this client"
    assert [
        by_source[n].grade
        for n in ("profile.cn-jiebei-closed.yaml", "profile.cn-healthy.yaml", "profile.us-maxed-out.yaml")
    ] == ["E", "A", "C"]
    assert [r.index for r in results] == list(range(len(results)))


def test_portfolio_view(run) -> None:
    result = run("check", EXAMPLES / "clients.csv", "--portfolio", "--format", "json", "--jobs", "1")
    assert result.code == 0, result.err
    view = json.loads(result.out)["portfolio"]
    assert view["clients"] == 24
    assert sum(view["grades"].values()) == 24
    assert view["overdue_rate"]["of"] == 24
    assert view["overdue_rate"]["above"] is True
    assert [item["client_id"] for item in view["review"]][:3] == ["CN-0006", "US-0008", "CN-0004"]
    assert all(item["grade"] in ("D", "E") for item in view["review"])
    limits = {item["client_id"]: item for item in view["limits"]}
    assert limits["CN-0002"]["grade"] == "A"
    assert limits["CN-0002"]["tier"] == "standard-plus"
    assert limits["CN-0002"]["suggested_limit"] == 54000  # 3 x monthly income 18,000
    assert limits["CN-0006"]["tier"] == "decline"


def test_portfolio_warning_lines_come_from_config(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".creditfix.yaml").write_text("portfolio: {overdue_rate_warning: 0.5}\n", encoding="utf-8")
    view = json.loads(run("check", EXAMPLES / "clients.csv", "--portfolio", "-f", "json").out)["portfolio"]
    assert view["overdue_rate"]["warning_line"] == 0.5
    assert view["overdue_rate"]["above"] is False


def test_portfolio_table_goes_to_the_output_file(run, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.txt"
    result = run("check", EXAMPLES / "clients.csv", "--portfolio", "-o", out, "--jobs", "1")
    assert result.code == 0, result.err
    assert result.out == ""
    assert out.read_text(encoding="utf-8").startswith("Portfolio: 24 clients assessed, 0 error(s)\n")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_portfolio_baseline_flags_newly_worse_clients(run, tmp_path: Path, fmt: str) -> None:
    before = run("check", EXAMPLES / "clients.csv", "--format", fmt, "--jobs", "1")
    assert before.code == 0, before.err
    # Pretend CN-0003 (grade C today) was an A and CN-0002 (an A) was a C at the last review.
    text = before.out
    if fmt == "csv":
        rows = text.splitlines()
        header = rows[0].split(",")
        grade = header.index("grade")
        fixed = []
        for row in rows[1:]:
            cells = row.split(",")
            if cells[0] in ("CN-0003", "CN-0002"):
                cells[grade] = {"CN-0003": "A", "CN-0002": "C"}[cells[0]]
            fixed.append(",".join(cells))
        text = "\r\n".join([rows[0], *fixed]) + "\r\n"
    else:
        document = [json.loads(line) for line in text.splitlines()] if fmt == "jsonl" else json.loads(text)
        clients = document if fmt == "jsonl" else document["clients"]
        for client in clients:
            if client["client_id"] in ("CN-0003", "CN-0002"):
                client["grade"] = {"CN-0003": "A", "CN-0002": "C"}[client["client_id"]]
        text = "".join(json.dumps(c) + "\n" for c in clients) if fmt == "jsonl" else json.dumps(document, indent=2)
    baseline = tmp_path / f"before.{fmt}"
    baseline.write_text(text, encoding="utf-8")
    result = run("check", EXAMPLES / "clients.csv", "--portfolio", "-f", "json", "--baseline", baseline, "-j", "1")
    assert result.code == 0, result.err
    view = json.loads(result.out)["portfolio"]
    assert view["baseline"] == {"compared": 24, "worse": 1, "better": 1, "new": 0, "gone": 0, "failed_then": 0}
    flagged = {item["client_id"]: item for item in view["review"]}
    assert flagged["CN-0003"]["reason"] == "worse: A → C"
    assert flagged["CN-0003"]["previous_grade"] == "A"
    assert "CN-0002" not in flagged
    assert all(item["grade"] in ("D", "E") for cid, item in flagged.items() if cid != "CN-0003")


PORTFOLIO_ERRORS_TAIL = """\
Errors, in input order: 2
client             error
-----------------  ----------------------------------------------------------------------------
./sub/bad.yaml     ./sub/bad.yaml:2: debts[0].balance: must not be negative
./sub/broken.yaml  ./sub/broken.yaml:2:1: YAML syntax error: did not find expected node content
"""


def test_portfolio_names_every_client_that_failed_in_input_order(
    run, folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(folder)
    table = run("check", ".", "--portfolio", "--as-of", "2026-11-20", "--jobs", "2")
    assert table.code == 2, table.err
    assert table.out.startswith("Portfolio: 3 clients assessed, 2 error(s)\n")
    assert table.out.endswith("li-wei    E     102  grade E  decline  core-overdue-now\n" + PORTFOLIO_ERRORS_TAIL)
    document = run("check", ".", "--portfolio", "-f", "json", "--as-of", "2026-11-20", "--jobs", "2")
    assert document.code == 2, document.err
    view = json.loads(document.out)["portfolio"]
    assert view["errors"] == 2
    assert view["failed"] == [
        {
            "client_id": None,
            "source": "./sub/bad.yaml",
            "line": None,
            "error": "./sub/bad.yaml:2: debts[0].balance: must not be negative",
        },
        {
            "client_id": None,
            "source": "./sub/broken.yaml",
            "line": None,
            "error": "./sub/broken.yaml:2:1: YAML syntax error: did not find expected node content",
        },
    ]


def test_portfolio_without_data_on_overdue_or_lates_does_not_assess_the_rates(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_text(
        "client_id,jurisdiction,monthly_income,revolving_utilization\nA-1,US,5000,0.2\nA-2,US,4000,0.95\n",
        encoding="utf-8",
    )
    table = run("check", "t.csv", "--portfolio", "--as-of", "2026-11-20", "--jobs", "1")
    assert table.code == 0, table.err
    assert table.out == (
        "Portfolio: 2 clients assessed, 0 error(s)\n"
        "Grades\n"
        "A  B  C  D  E\n"
        "-  -  -  -  -\n"
        "1  0  1  0  0\n"
        "Provisional grades: 2 of 2 (a critical or high rule could not be assessed for lack of data; their limit tier is the next grade's)\n"
        "Overdue today: not assessed (no client's overdue status is known)\n"
        "Late in 24 months: not assessed (no client's late history is known)\n"
        "Suggested limit tiers: standard 1 · minimal 1 (each client's: --format csv or json)\n"
        "Review list (grades D-E or overdue now): 0\n"
        "client  grade  risk  why  tier  top rule\n"
        "------  -----  ----  ---  ----  --------\n"
    )
    view = json.loads(run("check", "t.csv", "--portfolio", "-f", "json", "--jobs", "1").out)["portfolio"]
    assert view["overdue_rate"] == {"value": None, "of": 0, "warning_line": 0.05, "above": None}
    assert view["late_rate_24m"] == {"value": None, "of": 0, "warning_line": 0.15, "above": None}
    assert view["failed"] == []


def test_portfolio_table_is_rich_on_a_terminal_for_a_few_rows_plain_elsewhere(
    run, folder: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from rich.console import Console

    from creditfix import cli
    from creditfix.formats import check_out

    monkeypatch.chdir(folder)
    args = ("check", ".", "--portfolio", "--as-of", "2026-11-20", "--jobs", "1")
    plain = run(*args).out  # not a terminal
    assert plain.endswith(PORTFOLIO_ERRORS_TAIL)
    assert not any(line != line.rstrip() or "━" in line or "│" in line for line in plain.splitlines())
    out = tmp_path / "portfolio.txt"
    assert run(*args, "-o", out).code == 2
    assert out.read_text(encoding="utf-8") == plain
    monkeypatch.setattr(cli, "_console", lambda: Console(force_terminal=True, width=120, highlight=False))
    drawn = run(*args).out
    assert "┏━━━━━━━━━━━━━━━━━━━┳" in drawn
    assert "\x1b[31m./sub/broken.yaml:2:1: YAML syntax error" in drawn  # errors in red
    monkeypatch.setattr(check_out, "RICH_ROWS", 3)  # 1 grades row, 1 review, 2 errors: too many to draw
    assert run(*args).out == plain


def test_a_bad_baseline_is_one_line(run, tmp_path: Path) -> None:
    bad = tmp_path / "before.jsonl"
    bad.write_text('{"client_id": "A-1", "grade": "B", "risk_points": 5}\n{"client_id": "A-2", "grade": "Q"}\n')
    result = run("check", EXAMPLES / "clients.csv", "--portfolio", "--baseline", bad)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"creditfix: error: {bad}:2: grade: grade must be one of A, B, C, D, E\n"
    alone = run("check", EXAMPLES / "clients.csv", "--baseline", bad)
    assert alone.err == "creditfix: error: --baseline: --baseline goes with --portfolio\n"


def test_an_exported_dataset_maps_onto_metrics(run) -> None:
    """The "Give Me Some Credit" layout: an unnamed index column, NA cells, fractions above 1."""
    sample = EXAMPLES / "give-me-some-credit.sample.csv"
    columns = EXAMPLES / "columns.give-me-some-credit.yaml"
    result = run("check", sample, "--columns", columns, "--rules", "us", "--format", "jsonl", "--jobs", "1")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert len(rows) == 40
    assert [r["error"] for r in rows] == [None] * 40
    assert [r["client_id"] for r in rows[:3]] == ["1", "2", "3"]
    # Row 10 has MonthlyIncome NA (missing, not an error) and a DebtRatio of 596 (the file's own
    # figure when income is missing): declared a fraction by the map's scale, so kept as given.
    metrics = json.loads(run("metrics", sample, "--columns", columns, "--client", "10", "-f", "json").out)["metrics"]
    assert metrics["monthly_income"] == {"value": None, "unit": "money", "reason": "income not given"}
    assert metrics["debt_to_income"]["value"] == 596
    row_4 = json.loads(run("metrics", sample, "--columns", columns, "--client", "4", "-f", "json").out)["metrics"]
    assert str(row_4["revolving_utilization"]["value"]) == "1.1257"  # 112.6% used: over the limit
    unmapped = run("check", sample, "--format", "jsonl")
    assert unmapped.code == 2
    assert unmapped.out.endswith(f'"error": "{sample}:1: header cell 1 is empty"}}\n')


def test_exported_numbers_in_exponent_notation_read_in_declared_columns(run, tmp_path: Path) -> None:
    """R and pandas write small fractions as 7.96E-05: read in a column the map declares numeric
    (with a scale); elsewhere exponent notation stays an error, as in YAML amounts."""
    table = tmp_path / "cs.csv"
    table.write_text(
        "id,SeriousDlqin2yrs,RevolvingUtilizationOfUnsecuredLines,DebtRatio,MonthlyIncome\n"
        "50,0,7.96E-05,0.256339661,6900\n"
        "51,0,1.2e+400,0.1,6900\n"
        "52,0,0.5,0.1,1e3\n",
        encoding="utf-8",
    )
    columns = EXAMPLES / "columns.give-me-some-credit.yaml"
    result = run("check", table, "--columns", columns, "--rules", "us", "--format", "jsonl", "--jobs", "1")
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["client_id"] for r in rows] == ["50", "51", "52"]
    assert [r["error"] for r in rows] == [
        None,
        f"{table}:3: revolving_utilization: amount has more than 24 digits",
        f"{table}:4: monthly_income: a number in exponent notation is read only in a column the column map gives"
        " a scale (scale: 1 keeps it as is)",
    ]
    metrics = json.loads(run("metrics", table, "--columns", columns, "--client", "50", "-f", "json").out)["metrics"]
    assert metrics["revolving_utilization"]["value"] == 0.0001  # 0.00796%, shown to 4 places


def test_examples_folder_skips_side_files_and_column_maps(run) -> None:
    # payments.us-payments-csv.csv is a profile's payments list and columns.*.yaml are column maps:
    # not clients. The two foreign-header tables are read with the column map that fits them.
    result = run("check", EXAMPLES, "--format", "jsonl", "--as-of", "2026-11-20", "--jobs", "1")
    assert result.code == 0, result.err
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [r["error"] for r in rows if r["error"]] == []
    sources = {r["source"].removeprefix(f"{EXAMPLES}/") for r in rows}
    assert sources == {
        "clients.csv",
        "give-me-some-credit.sample.csv",
        "lender-export.csv",
        "taiwan-default.sample.csv",
        *(p.name for p in EXAMPLES.glob("profile.*.yaml")),
    }
    tables = {name: sum(1 for r in rows if r["source"].endswith(name)) for name in sources if name.endswith(".csv")}
    assert tables == {
        "clients.csv": 24,
        "give-me-some-credit.sample.csv": 40,
        "lender-export.csv": 4,
        "taiwan-default.sample.csv": 20,
    }
    notes = result.err.splitlines()[:-1]
    maps = (
        "german-credit-codes",
        "german-credit",
        "give-me-some-credit",
        "lender-export",
        "pakdd-2009",
        "taiwan-default",
    )
    assert notes == [
        *(f"creditfix: note: {EXAMPLES / f'columns.{name}.yaml'}: skipped, a column map" for name in maps),
        f"creditfix: note: {EXAMPLES / 'payments.us-payments-csv.csv'}: skipped, the payments file of "
        f"{EXAMPLES / 'profile.us-payments-csv.yaml'}",
        f"creditfix: note: {EXAMPLES / 'give-me-some-credit.sample.csv'}: read with the column map "
        f"{EXAMPLES / 'columns.give-me-some-credit.yaml'}",
        f"creditfix: note: {EXAMPLES / 'lender-export.csv'}: read with the column map "
        f"{EXAMPLES / 'columns.lender-export.yaml'}",
        f"creditfix: note: {EXAMPLES / 'taiwan-default.sample.csv'}: read with the column map "
        f"{EXAMPLES / 'columns.taiwan-default.yaml'}",
    ]


def test_files_named_on_the_command_line_are_always_checked(run) -> None:
    side, columns = EXAMPLES / "payments.us-payments-csv.csv", EXAMPLES / "columns.lender-export.yaml"
    result = run("check", side, columns, "--format", "jsonl", "--jobs", "1")
    assert result.code == 2
    assert [json.loads(line)["error"] for line in result.out.splitlines()] == [
        f"{side}:1: column 1: unknown column; map it with --columns",
        f"{columns}:3: 客户编号: unknown field (and 12 more errors)",
    ]
    assert "note" not in result.err


def test_a_foreign_table_no_profile_names_and_no_map_reads_is_still_an_error(run, tmp_path: Path) -> None:
    shutil.copy(EXAMPLES / "profile.cn-healthy.yaml", tmp_path / "profile.cn-healthy.yaml")
    (tmp_path / "orphan.csv").write_text("debt,due,paid\ncard,2026-10-05,2026-10-03\n", encoding="utf-8")
    # a YAML whose keys are not profile fields but that is no valid column map stays a (bad) profile
    (tmp_path / "notes.yaml").write_text("owner: me\ntodo: call the bank\n", encoding="utf-8")
    result = run("check", tmp_path, "--format", "jsonl", "--jobs", "1")
    assert result.code == 2
    errors = [json.loads(line)["error"] for line in result.out.splitlines()]
    assert errors == [
        f"{tmp_path / 'notes.yaml'}:1: owner: unknown field (and 1 more error)",
        f"{tmp_path / 'orphan.csv'}:1: column 1: unknown column; map it with --columns",
        None,
    ]


def test_a_client_that_hangs_costs_only_itself(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The client_seconds cap stops a client that takes too long (a YAML file, or a table row:
    its batch is then checked row by row to find it); everything else is checked."""
    import time

    from creditfix import caps, check, tablecheck
    from creditfix.config import load_settings
    from creditfix.load import profile, table

    for name in ("profile.cn-healthy.yaml", "profile.us-maxed-out.yaml"):
        shutil.copy(EXAMPLES / name, tmp_path / name)
    real_load, real_facts = profile.load_yaml_profile, table.RowWork.facts

    def load(path: object) -> object:
        if "us-maxed" in str(path):
            time.sleep(30)
        return real_load(path)  # type: ignore[arg-type]

    def facts(self: table.RowWork, as_of: object) -> object:
        if self.client_id == "CN-0002":
            time.sleep(30)
        return real_facts(self, as_of)  # type: ignore[arg-type]

    monkeypatch.setattr(profile, "load_yaml_profile", load)
    monkeypatch.setattr(table.RowWork, "facts", facts)
    monkeypatch.setattr(tablecheck, "_reader", lambda shape: lambda cells, ids: [None] * len(cells))  # row by row
    check.init_worker(load_settings(env={}), None)
    caps.use(caps.with_overrides({"client_seconds": 1}))
    try:
        jobs = list(check.jobs_for([str(tmp_path / "profile.cn-healthy.yaml"), str(tmp_path / "profile.us-maxed-out.yaml"),
                                    str(EXAMPLES / "clients.csv")]))  # fmt: skip
        started = time.monotonic()
        results = check.run_chunk(jobs).results
        took = time.monotonic() - started
    finally:
        caps.use(caps.DEFAULT)
    stopped = [r for r in results if r.error and "took longer" in r.error]
    assert [(r.client_id, r.error) for r in stopped] == [
        (None, "took longer than 1 s to check; stopped (raise caps.client_seconds in the config or CREDITFIX_CAPS)"),
        (
            "CN-0002",
            "took longer than 1 s to check; stopped (raise caps.client_seconds in the config or CREDITFIX_CAPS)",
        ),
    ]
    assert len(results) == 2 + 24
    assert all(r.error is None for r in results if r not in stopped)
    assert took < 10


def test_a_folder_skips_pipes_reports_and_its_own_output(run, tmp_path: Path) -> None:
    """Found in a folder and never read: a named pipe (opening it would wait for ever), an earlier
    check report, and this run's own -o file; each with a note on stderr."""
    import os

    folder = tmp_path / "clients"
    folder.mkdir()
    shutil.copy(EXAMPLES / "profile.cn-healthy.yaml", folder / "a.yaml")
    os.mkfifo(folder / "pipe.yaml")
    first = run("check", folder, "--format", "csv", "-o", folder / "triage.csv", "--jobs", "1")
    assert first.code == 0, first.err
    assert (
        f"creditfix: note: {folder / 'pipe.yaml'}: skipped, not a regular file (a pipe, socket or device)\n"
        in first.err
    )
    shutil.copy(folder / "triage.csv", folder / "last-month.csv")
    again = run("check", folder, "--format", "csv", "-o", folder / "triage.csv", "--jobs", "1")
    assert again.code == 0, again.err
    assert f"creditfix: note: {folder / 'last-month.csv'}: skipped, a creditfix check report\n" in again.err
    assert f"creditfix: note: {folder / 'triage.csv'}: skipped, the output of this run\n" in again.err
    assert "creditfix: 1 client, 1 clean," in again.err
    table = folder / "clients.csv"
    shutil.copy(EXAMPLES / "clients.csv", table)
    clobber = run("check", table, "--format", "csv", "-o", table)
    assert (clobber.code, clobber.out) == (2, "")
    assert clobber.err == f"creditfix: error: {table}: the output would overwrite an input file; write it elsewhere\n"


def test_no_clients_at_all_is_an_error(run, tmp_path: Path) -> None:
    result = run("check", tmp_path, "--format", "jsonl")
    assert (result.code, result.out) == (2, "")
    assert result.err == f"creditfix: error: {tmp_path}: no profiles or client tables found in the inputs\n"
    out = tmp_path.parent / f"{tmp_path.name}-report.csv"
    written = run("check", tmp_path, "--format", "csv", "-o", out)
    assert written.code == 2
    assert not out.exists()  # no empty report, no journal left
    assert not list(tmp_path.parent.glob(f"{tmp_path.name}-report.csv*"))


def test_a_foreign_table_on_stdin_is_read_with_its_column_map(run) -> None:
    data = (EXAMPLES / "lender-export.csv").read_bytes()
    result = run("check", "-", "--columns", EXAMPLES / "columns.lender-export.yaml", "-f", "jsonl", stdin=data)
    rows = [json.loads(line) for line in result.out.splitlines()]
    assert [(r["client_id"], r["source"], r["error"]) for r in rows] == [
        ("L-1001", "<stdin>", None), ("L-1002", "<stdin>", None), ("L-1003", "<stdin>", None), ("L-1004", "<stdin>", None),
    ]  # fmt: skip
    assert result.code == 0, result.err


def test_plain_portfolio_shows_control_characters_as_spaces() -> None:
    from creditfix.check import CheckResult
    from creditfix.formats.portfolio_out import plain_portfolio, portfolio

    results = [
        CheckResult(0, "t.csv", 2, "A\x1b[2J-1", grade="E", risk_points=90, top_rule="core-overdue-now"),
        CheckResult(1, "t.csv", 3, "B\n-2", error="t.csv:3: row has 3 cells but the header has 4"),
    ]
    text = plain_portfolio(portfolio(results))
    assert "\x1b" not in text
    assert text.endswith(
        "A [2J-1    E      90  grade E        core-overdue-now\n"
        "Errors, in input order: 1\n"
        "client  error\n"
        "------  ---------------------------------------------\n"
        "B -2    t.csv:3: row has 3 cells but the header has 4\n"
    )


def test_an_output_inside_the_folder_checked_never_replaces_a_client_file(run, tmp_path: Path) -> None:
    folder = tmp_path / "clients"
    folder.mkdir()
    shutil.copy(EXAMPLES / "clients.csv", folder / "a.csv")
    (folder / "b.csv").write_bytes((EXAMPLES / "clients.csv").read_bytes()[:400].rsplit(b"\n", 1)[0] + b"\n")
    before = (folder / "b.csv").read_bytes()
    result = run("check", folder, "-o", folder / "b.csv", "--format", "csv")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        f"creditfix: error: {folder / 'b.csv'}: the output would overwrite an input file; write it elsewhere\n"
    )
    assert (folder / "b.csv").read_bytes() == before


def test_a_huge_client_seconds_cap_means_no_limit(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITFIX_CAPS", "client_seconds=99999999999")
    result = run("check", EXAMPLES / "clients.csv", "--format", "jsonl", "--jobs", "1")
    assert result.code in (0, 1), result.err
    assert len(result.out.splitlines()) == 24


def test_a_timer_that_fires_just_after_a_client_is_done_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    """The timer signal can be handled after the client's work returned, before the timer is
    cleared: the finished result stands (no duplicate rows, no false 'took longer')."""
    from contextlib import contextmanager

    from creditfix import check
    from creditfix.config import load_settings

    check.init_worker(load_settings(env={}), None)
    original = check.deadline

    @contextmanager
    def firing_on_exit() -> Iterator[None]:  # the handler's raise, at the worst moment
        with original():
            yield
        raise check.TookTooLong

    monkeypatch.setattr(check, "deadline", firing_on_exit)
    jobs = list(check.jobs_for([str(EXAMPLES / "profile.cn-healthy.yaml"), str(EXAMPLES / "clients.csv")]))
    done = check.run_chunk(jobs)
    assert done.count == 25
    assert [r.index for r in done.results] == list(range(25))
    assert all(r.error is None for r in done.results)


def test_a_client_with_too_little_data_is_provisional_not_clean(run, tmp_path: Path) -> None:
    table = tmp_path / "thin.csv"
    table.write_text(
        "client_id,jurisdiction,as_of,monthly_income\nA1,US,2026-11-01,5000\nA2,CN,2026-11-01,\n", encoding="utf-8"
    )
    lines = run("check", str(table), "--format", "jsonl", "--jobs", "1")
    assert lines.out.splitlines()[0] == (
        f'{{"client_id": "A1", "source": "{table}", "line": 2, "grade": "A", "provisional": true, "risk_points": 0, '
        '"counts": {"critical": 0, "high": 0, "medium": 0, "low": 0, "info": 0}, "top": null, "error": null}'
    )
    assert lines.err.startswith("creditfix: 2 clients, 0 clean, 2 provisional (too little data), with findings: none,")
    plain = run("check", str(table), "--jobs", "1").out.splitlines()
    assert plain[3:] == [
        "1  A1       A?       0  nothing found: too little data",
        "2  A2       A?       0  nothing found: too little data",
    ]
    # the healthy example has every fact its rules need: clean, and its grade is sure
    healthy = run("check", str(EXAMPLES / "profile.cn-healthy.yaml"), "--format", "jsonl")
    assert '"grade": "A", "provisional": false' in healthy.out
    assert "1 client, 1 clean, with findings" in healthy.err


def _tally_one_by_one(results: list[object]) -> list[int]:
    """The summary counts as the summary defines them, one result at a time: the reference."""
    from creditfix.rules.consts import SEVERITIES

    counts = [0] * (len(SEVERITIES) + 4)
    worst = len(SEVERITIES)
    for result in results:
        counts[0] += result.error is not None  # type: ignore[attr-defined]
        counts[1] += result.error is None and result.top_rule is None and not result.provisional  # type: ignore[attr-defined]
        counts[2] += result.error is None and result.provisional  # type: ignore[attr-defined]
        for number, severity in enumerate(SEVERITIES, start=3):
            counts[number] += bool((result.counts or {}).get(severity))  # type: ignore[attr-defined]
        if result.top_severity:  # type: ignore[attr-defined]
            worst = min(worst, SEVERITIES.index(result.top_severity))  # type: ignore[attr-defined]
    counts[-1] = worst
    return counts


@given(
    st.lists(
        st.tuples(
            st.integers(0, 4),  # which counts dict (shared by the results that pick it)
            st.sampled_from([None, "critical", "high", "medium", "low", "info"]),
            st.booleans(),  # an error
            st.booleans(),  # a provisional grade
        ),
        max_size=40,
    )
)
def test_tally_counts_each_distinct_counts_dict_once_as_one_by_one(
    picks: list[tuple[int, str | None, bool, bool]],
) -> None:
    """The summary counts a batch adds: counted per distinct counts dict, as one result at a time."""
    from creditfix.check import CheckResult, tally

    shared = [{}, {"high": 2}, {"critical": 1, "low": 0}, {"medium": 1, "info": 3, "high": 1}, {"low": 1}]
    results = []
    for number, (which, severity, error, doubt) in enumerate(picks):
        if error:
            results.append(CheckResult(number, "t.csv", number, None, error="bad row"))
            continue
        counts = shared[which] if number % 3 else dict(shared[which])  # shared, or a copy of its own
        result = CheckResult(number, "t.csv", number, "C", "A", 0, counts, "r" if severity else None, "t", severity)
        results.append(result._replace(provisional=doubt))
    assert tally(results) == tally(iter(results)) == _tally_one_by_one(results)


def test_portfolio_limits_decline_anyone_overdue_now_and_review_them(run, tmp_path: Path) -> None:
    """A lender's view: behind, in collection or charged off is overdue now (the rate and the review
    list), and gets grade E's tier (decline) whatever the grade; a provisional grade gets the tier
    of the grade one worse; a bankruptcy known without its date, or an amount overdue without the
    count of accounts, still makes a finding."""
    head = (
        "client_id,jurisdiction,monthly_income,income_verified,overdue_accounts,overdue_amount,collection_accounts,"
        "charged_off_accounts,late_payments_12m,late_payments_24m,severe_late_24m,max_consecutive_late_24m,"
        "revolving_utilization,max_card_utilization,minimums_below_interest,inquiries_12m,inquiries_6m,"
        "inquiries_1m,inquiries_3m,debt_to_income,bankruptcies_on_file,credit_age_months,credit_accounts,"
        "closed_by_lender\n"
    )
    tail = ",0,0,0,0,10%,10%,0,0,0,0,0,20%,{bk},100,5,0\n"
    rows = {
        "CLEAN": "0,0,0,0", "CHARGEOFF": "0,0,0,1", "COLLECT": "0,0,1,0", "AMTONLY": ',"$5,000",0,0',
    }  # fmt: skip
    table = tmp_path / "m.csv"
    table.write_text(
        head
        + "".join(f"{cid},US,5000,yes,{cells}{tail.format(bk=0)}" for cid, cells in rows.items())
        + "BK,US,5000,yes,0,0,0,0"
        + tail.format(bk=1),
        encoding="utf-8",
    )
    view = json.loads(run("check", str(table), "--portfolio", "-f", "json", "--as-of", "2026-11-20").out)["portfolio"]
    limits = {item["client_id"]: (item["grade"], item["provisional"], item["tier"]) for item in view["limits"]}
    assert limits == {
        "CLEAN": ("A", False, "standard-plus"),
        "CHARGEOFF": ("D", False, "decline"),
        "COLLECT": ("D", False, "decline"),
        "AMTONLY": ("D", False, "decline"),  # core-overdue-now on the amount alone
        "BK": ("C", True, "minimal"),  # us-bankruptcy fires; its age unknown: provisional, D's tier
    }
    assert view["overdue_rate"]["value"] == 0.6  # 3 of 5: the charge-off and the collection count
    assert [(item["client_id"], item["reason"]) for item in view["review"]] == [
        ("CHARGEOFF", "grade D"),
        ("COLLECT", "grade D"),
        ("AMTONLY", "grade D"),
    ]  # fmt: skip  (riskiest first, ties in input order)


def test_a_client_failing_now_is_not_gone_from_the_baseline(run, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("client_id,jurisdiction,overdue_accounts\nA,US,0\nB,US,1\n", encoding="utf-8")
    baseline = tmp_path / "before.jsonl"
    baseline.write_text(run("check", str(table), "--format", "jsonl").out, encoding="utf-8")
    table.write_text("client_id,jurisdiction,overdue_accounts\nA,US,0\nB,US,one\n", encoding="utf-8")
    result = run("check", str(table), "--portfolio", "-f", "json", "--baseline", str(baseline))
    assert result.code == 2
    view = json.loads(result.out)["portfolio"]
    assert view["baseline"] == {"compared": 1, "worse": 0, "better": 0, "new": 0, "gone": 0, "failed_then": 0}
    assert [item["client_id"] for item in view["failed"]] == ["B"]


def test_a_client_failing_then_is_counted_as_such_not_as_new(run, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("client_id,jurisdiction,overdue_accounts\nA,US,0\nB,US,one\n", encoding="utf-8")
    baseline = tmp_path / "before.jsonl"
    baseline.write_text(run("check", str(table), "--format", "jsonl").out, encoding="utf-8")
    table.write_text("client_id,jurisdiction,overdue_accounts\nA,US,0\nB,US,1\nC,US,0\n", encoding="utf-8")
    result = run("check", str(table), "--portfolio", "-f", "json", "--baseline", str(baseline))
    assert result.code == 0, result.err
    view = json.loads(result.out)["portfolio"]
    assert view["baseline"] == {"compared": 1, "worse": 0, "better": 0, "new": 1, "gone": 0, "failed_then": 1}
    table_view = run("check", str(table), "--portfolio", "--baseline", str(baseline)).out
    assert "Against the baseline: 1 compared, 0 worse, 0 better, 1 new, 0 gone, 1 in error then" in table_view


def test_client_ids_given_twice_are_reported_in_the_portfolio(run, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text(
        "client_id,jurisdiction,overdue_accounts\nA,US,0\nB,US,1\nA,US,1\nC,US,0\nA,US,0\nB,US,0\n", encoding="utf-8"
    )
    view = json.loads(run("check", str(table), "--portfolio", "-f", "json").out)["portfolio"]
    assert view["repeated_ids"] == [{"client_id": "A", "times": 3}, {"client_id": "B", "times": 2}]
    shown = run("check", str(table), "--portfolio").out
    assert "Client ids given more than once: A (3×), B (2×): an id names one client" in shown
    alone = json.loads(run("check", EXAMPLES / "clients.csv", "--portfolio", "-f", "json").out)["portfolio"]
    assert alone["repeated_ids"] == []


@pytest.mark.parametrize(
    ("args", "quoted"),
    [
        (("--format", "jsonl"), False),
        (("--format", "jsonl"), True),
        (("--format", "json"), True),
        (("--format", "csv"), False),
        (("--format", "table"), True),
        (("--portfolio", "--format", "table"), False),
        (("--portfolio", "--format", "json"), True),
        (("--portfolio", "--format", "csv"), False),
    ],
)
def test_a_table_read_a_range_at_a_time_gives_what_one_process_gives(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: tuple[str, ...], quoted: bool
) -> None:
    """Workers read a plain table file a range at a time (a BOM, CR LF, blank and bad rows), and
    from the block with a quoted cell holding a line break on, the rest as text: every output
    the same with --jobs 1 and 2, and what the rows read from stdin give."""
    from creditfix import check
    from creditfix.load import csvread

    monkeypatch.setattr(csvread, "_RANGE_BLOCK", 1 << 14)  # blocks of the main process's look
    header, *rows = (EXAMPLES / "clients.csv").read_text(encoding="utf-8").splitlines()
    plain = [row for row in rows if '"' not in row]
    lines = [header] + [
        plain[i % len(plain)].replace(plain[i % len(plain)].split(",")[0], f"X-{i}", 1) for i in range(1400)
    ]
    lines[700] = ""  # a blank row
    lines[901] = lines[901].replace(",CN,", ",CN,extra,")  # a ragged row
    if quoted:
        lines[1200] = lines[1200].replace(",CN,", ',"CN\nthere",', 1)
    table = tmp_path / "many.csv"
    table.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
    from creditfix.load.table import iter_table_batches

    kinds = [type(batch.raw) for batch in iter_table_batches(table, size=check.BATCH_ROWS)]
    assert kinds[0] is csvread.RawRange
    assert (csvread.RawBatch in kinds) is quoted
    base = ("check", table, "--as-of", "2026-11-20", *args)
    one, two = run(*base, "--jobs", "1"), run(*base, "--jobs", "2")
    assert one.code == two.code == 2  # the ragged row
    assert one.out == two.out
    assert one.err.split("error(s)")[0] == two.err.split("error(s)")[0]
    if args == ("--format", "jsonl"):
        from_stdin = run(*base[:1], "-", *base[2:], "--jobs", "2", stdin=table.read_bytes())
        assert from_stdin.out == one.out.replace(str(table), "<stdin>")
        found = [json.loads(line) for line in one.out.splitlines()]
        assert len(found) == 1399
        assert [f["line"] for f in found if f["error"]] == [902] + ([1201] if quoted else [])


def test_a_table_with_fewer_rows_than_workers(run, tmp_path: Path) -> None:
    table = tmp_path / "one.csv"
    table.write_text((EXAMPLES / "clients.csv").read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    with table.open("a", encoding="utf-8") as out:
        out.write((EXAMPLES / "clients.csv").read_text(encoding="utf-8").splitlines()[1])  # no line break at the end
    one = run("check", table, "--format", "jsonl", "--jobs", "1")
    four = run("check", table, "--format", "jsonl", "--jobs", "4")
    assert one.code == four.code == 0
    assert one.out == four.out
    assert json.loads(one.out)["line"] == 2


def test_jobs_run_with_few_collections_and_the_threshold_is_put_back(monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from creditfix import check

    seen = []
    original = check.run_job
    monkeypatch.setattr(check, "run_job", lambda job: seen.append(gc.get_threshold()) or original(job))
    before = gc.get_threshold()
    done = check.run_chunk(list(check.jobs_for([str(EXAMPLES / "profile.cn-healthy.yaml")])))
    assert done.count == 1
    assert seen == [(max(before[0], check._YOUNG_THRESHOLD), *before[1:])]
    assert gc.get_threshold() == before


def test_the_last_batches_of_a_table_file_go_to_workers_one_at_a_time(tmp_path: Path) -> None:
    """Chunks hold several batches of a table, but its last few (two a worker) go one a chunk,
    so that the workers finish together; rows read as text do not know where they are."""
    from creditfix import check

    table = tmp_path / "t.csv"
    table.write_text("client_id,total_debt\n" + "".join(f"C-{i:05d},{i}\n" for i in range(20 * 512)), encoding="utf-8")
    batches = [b for b in check.jobs_for([str(table)]) if isinstance(b, check.RowBatch)]
    assert len(batches) == 20
    assert [b.near_end(2) for b in batches] == [False] * 15 + [True] * 5
    text = check.RowBatch(0, batches[-1].read().batch)
    assert not text.near_end(2)


def _dies_on_row_777(work):  # type: ignore[no-untyped-def]
    """Stands in for check_rows and run_job in forked workers: the process dies on one table row."""
    import os

    from creditfix import check

    if isinstance(work, check.RowBatch):
        if any(job.client_id == "C-00777" for job in work.jobs()):
            os._exit(9)
        return check._real_check_rows(work)  # type: ignore[attr-defined]
    if work.client_id == "C-00777":
        os._exit(9)
    return check._real_run_job(work)  # type: ignore[attr-defined]


def test_a_worker_dying_on_a_table_row_costs_only_that_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The rows of a table file go to workers as ranges; the chunk of a worker that died is run
    again a row at a time (its ranges read in the main process), and only the row that kills its
    process is reported as such."""
    from creditfix import check, tablecheck
    from creditfix.config import Settings

    table = tmp_path / "t.csv"
    rows = "".join(f"C-{i:05d},US,2026-11-01,{1000 + i},{i}\n" for i in range(1500))
    table.write_text("client_id,jurisdiction,as_of,monthly_income,total_debt\n" + rows, encoding="utf-8")
    monkeypatch.setattr(check, "_real_check_rows", tablecheck.check_rows, raising=False)
    monkeypatch.setattr(check, "_real_run_job", check.run_job, raising=False)
    monkeypatch.setattr(tablecheck, "check_rows", _dies_on_row_777)
    monkeypatch.setattr(check, "run_job", _dies_on_row_777)
    results = list(check.run_all(check.jobs_for([str(table)]), workers=2, settings=Settings(), as_of=None))
    assert [r.index for r in results] == list(range(1500))
    assert [(r.client_id, r.line) for r in results if r.error] == [("C-00777", 779)]
    assert results[777].error == "worker process died on this client"


def test_a_bare_percentage_in_a_table_says_how_to_give_the_columns_unit(run, tmp_path: Path) -> None:
    table = tmp_path / "pct.csv"
    table.write_text("client_id,jurisdiction,revolving_utilization\nA,US,45\nB,US,0.5\n", encoding="utf-8")
    lines = [json.loads(line) for line in run("check", table, "--format", "jsonl").out.splitlines()]
    assert lines[0]["error"] == (
        f"{table}:2: revolving_utilization: a bare number above 1 is ambiguous: write a percentage ('45%')"
        " or a fraction (0.45), or give the column a scale in a column map (--columns; scale: 0.01 for 0-100)"
    )
    assert lines[1]["error"] is None


def test_a_currency_sign_that_cannot_be_the_rows_currency_is_an_error(run, tmp_path: Path) -> None:
    """¥50,000 in a US row is a mistake of the export, never a conversion; a sign that agrees (¥ in a
    CN row, $ in a CAD row) is read as before, by the quick reader's path and the full one alike."""
    table = tmp_path / "cur.csv"
    table.write_text(
        "client_id,jurisdiction,currency,monthly_income,overdue_amount\n"
        'A,US,,"¥50,000",0\nB,cn,,"￥12,000.00","¥300"\nC,US,CAD,"$5,000",0\nD,CN,USD,"¥5,000",0\nE,US,,5000,0\n',
        encoding="utf-8",
    )
    for jobs in ("1", "2"):
        lines = [json.loads(line) for line in run("check", table, "--format", "jsonl", "-j", jobs).out.splitlines()]
        errors = {line["client_id"]: line["error"] for line in lines}
        assert errors["A"] == (
            f"{table}:2: monthly_income: the amount is written in ¥ but the row's currency is USD:"
            " give it in that currency (creditfix converts nothing)"
        )
        assert "row's currency is USD" in str(errors["D"])
        assert [errors[c] for c in "BCE"] == [None, None, None]


def test_a_critical_finding_declines_with_a_limit_of_zero(run, tmp_path: Path) -> None:
    # RED is over the 连三累六 red line but current and repaid: grade D, declined all the same (banks
    # decline on it); a decline is an amount of 0 whether the income is known or not.
    table = tmp_path / "t.csv"
    table.write_text(
        "client_id,jurisdiction,monthly_income,income_verified,overdue_accounts,overdue_amount,"
        "late_payments_24m,max_consecutive_late_24m,severe_late_24m\n"
        "RED,CN,12000,yes,0,0,3,3,0\nNEAR,CN,12000,yes,0,0,2,2,0\nNOINCOME,CN,,,1,500,1,1,0\n",
        encoding="utf-8",
    )
    view = json.loads(run("check", str(table), "--portfolio", "-f", "json", "--as-of", "2026-11-20").out)["portfolio"]
    limits = {item["client_id"]: (item["grade"], item["tier"], item["suggested_limit"]) for item in view["limits"]}
    assert limits["RED"] == ("D", "decline", 0)
    assert limits["NOINCOME"][1:] == ("decline", 0)
    assert limits["NEAR"][1] != "decline"
    assert view["tiers"][-1] == {"tier": "decline", "clients": 2}


def test_last_periods_portfolio_json_is_a_baseline(run, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("client_id,jurisdiction,overdue_accounts\nA,US,0\nB,US,0\nC,US,one\n", encoding="utf-8")
    before = tmp_path / "portfolio-2026-10.json"
    before.write_text(run("check", str(table), "--portfolio", "-f", "json").out, encoding="utf-8")
    table.write_text("client_id,jurisdiction,overdue_accounts\nA,US,0\nB,US,1\nC,US,0\n", encoding="utf-8")
    view = json.loads(run("check", str(table), "--portfolio", "-f", "json", "--baseline", str(before)).out)
    movement = view["portfolio"]["baseline"]
    assert movement == {"compared": 2, "worse": 1, "better": 0, "new": 0, "gone": 0, "failed_then": 1}
    assert [(r["client_id"], r["reason"]) for r in view["portfolio"]["review"]] == [("B", "worse: A → D")]
