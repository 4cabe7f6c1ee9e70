"""Golden output: ``creditfix metrics --format json`` on every shipped example, byte for byte.

Regenerate after an intended change with ``CREDITFIX_REGEN=1 python -m pytest tests/test_golden.py``
and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"
TAIWAN = EXAMPLES / "taiwan-default.sample.csv"

CASES = [
    *((f.name, [str(f)]) for f in sorted(EXAMPLES.glob("profile.*.yaml"))),
    *(
        (f"clients.csv@{client}", [str(EXAMPLES / "clients.csv"), "--client", client])
        for client in ("CN-0001", "CN-0009", "US-0004")
    ),
    (
        "lender-export.csv@L-1003",
        [
            str(EXAMPLES / "lender-export.csv"),
            "--columns",
            str(EXAMPLES / "columns.lender-export.yaml"),
            "--client",
            "L-1003",
        ],
    ),
    (
        "taiwan-default.sample.csv@109",
        # (the file has no as_of: the statements are of September 2005)
        [
            str(TAIWAN),
            "--columns",
            str(EXAMPLES / "columns.taiwan-default.yaml"),
            "--client",
            "109",
            "--as-of",
            "2005-09-30",
        ],
    ),
]


@pytest.mark.parametrize(("name", "args"), CASES, ids=[c[0] for c in CASES])
def test_metrics_json_is_golden(run, name: str, args: list[str]) -> None:
    result = run("metrics", *args, "--format", "json")
    assert result.code == 0, result.err
    assert result.err == ""
    golden = GOLDEN / f"metrics.{name}.json"
    if os.environ.get("CREDITFIX_REGEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")


def test_every_example_has_a_golden_file() -> None:
    profiles = {f.name for f in EXAMPLES.glob("profile.*.yaml")}
    covered = {Path(c[1][0]).name for c in CASES}
    assert profiles <= covered


def test_json_is_identical_across_runs(run) -> None:
    path = EXAMPLES / "profile.cn-jiebei-closed.yaml"
    first = run("metrics", path, "--format", "json", "--as-of", "2026-12-31").out
    second = run("metrics", path, "--format", "json", "--as-of", "2026-12-31").out
    assert first == second
    assert '"as_of": "2026-12-31"' in first


PLAN_CASES = [
    *(
        (f"{f.name}.{fmt}", [str(f), "--format", fmt], fmt)
        for f in sorted(EXAMPLES.glob("profile.*.yaml"))
        for fmt in ("json", "markdown")
    ),
    (
        "profile.cn-jiebei-closed.yaml.en.markdown",
        [str(EXAMPLES / "profile.cn-jiebei-closed.yaml"), "--format", "markdown", "--lang", "en"],
        "markdown",
    ),
    ("clients.csv@US-0008.json", [str(EXAMPLES / "clients.csv"), "--client", "US-0008", "--format", "json"], "json"),
    # the terminal view: short (the default), in both languages, and with --details
    ("profile.cn-jiebei-closed.yaml.table", [str(EXAMPLES / "profile.cn-jiebei-closed.yaml")], "table"),
    (
        "profile.cn-jiebei-closed.yaml.en.table",
        [str(EXAMPLES / "profile.cn-jiebei-closed.yaml"), "--lang", "en"],
        "table",
    ),
    ("profile.us-maxed-out.yaml.details.table", [str(EXAMPLES / "profile.us-maxed-out.yaml"), "--details"], "table"),
]
_SUFFIX = {"json": "json", "markdown": "md", "table": "txt"}


@pytest.mark.parametrize(("name", "args", "fmt"), PLAN_CASES, ids=[c[0] for c in PLAN_CASES])
def test_plan_is_golden(run, name: str, args: list[str], fmt: str) -> None:
    result = run("plan", *args)
    assert result.code == 0, result.err
    assert result.err == ""
    golden = GOLDEN / f"plan.{name.removesuffix('.' + fmt)}.{_SUFFIX[fmt]}"
    if os.environ.get("CREDITFIX_REGEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")


SIMULATE_CASES = [
    ("us-maxed-out.follow-plan.json", ["profile.us-maxed-out.yaml", "--follow-plan", "--extra", "300", "-f", "json"]),
    ("cn-jiebei-closed.minimums.json", ["profile.cn-jiebei-closed.yaml", "--months", "24", "-f", "json"]),
    ("us-payments-csv.table.txt", ["profile.us-payments-csv.yaml", "--months", "30", "--no-new-inquiries"]),
]


@pytest.mark.parametrize(("name", "args"), SIMULATE_CASES, ids=[c[0] for c in SIMULATE_CASES])
def test_simulate_is_golden(run, name: str, args: list[str]) -> None:
    result = run("simulate", str(EXAMPLES / args[0]), *args[1:])
    assert result.code == 0, result.err
    assert result.err == ""
    golden = GOLDEN / f"simulate.{name}"
    if os.environ.get("CREDITFIX_REGEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")


PAYOFF_CASES = [
    ("us-payoff-events.table.txt", ["profile.us-payoff-events.yaml", "--extra", "250"]),
    ("us-payoff-events.json", ["profile.us-payoff-events.yaml", "--extra", "250", "-f", "json"]),
    ("cn-jiebei-closed.budget.json", ["profile.cn-jiebei-closed.yaml", "--budget", "6000", "-f", "json"]),
]


@pytest.mark.parametrize(("name", "args"), PAYOFF_CASES, ids=[c[0] for c in PAYOFF_CASES])
def test_payoff_is_golden(run, name: str, args: list[str]) -> None:
    result = run("payoff", str(EXAMPLES / args[0]), *args[1:])
    assert result.code == 0, result.err
    assert result.err == ""
    golden = GOLDEN / f"payoff.{name}"
    if os.environ.get("CREDITFIX_REGEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")


def test_payoff_schedule_csv_is_golden(run, tmp_path: Path) -> None:
    target = tmp_path / "schedule.csv"
    path = EXAMPLES / "profile.us-payoff-events.yaml"
    result = run("payoff", path, "--extra", "250", "-s", "credit_aware", "--schedule-csv", target, "-f", "json")
    assert result.code == 0, result.err
    golden = GOLDEN / "payoff.us-payoff-events.credit_aware.csv"
    if os.environ.get("CREDITFIX_REGEN"):
        golden.write_bytes(target.read_bytes())
    assert target.read_bytes() == golden.read_bytes()


#: ``check`` over every example and a table with a bad row (an error result, ranked last), with
#: ties in risk points (ranked by input order); paths relative to the repository.
CHECK_INPUTS = ["examples", "tests/hazards/csv.ragged-row.csv"]
CHECK_CASES = [("examples.csv", "csv"), ("examples.json", "json"), ("examples.table.txt", "table")]


@pytest.mark.parametrize(("name", "fmt"), CHECK_CASES, ids=[c[0] for c in CHECK_CASES])
def test_check_is_golden(run, monkeypatch: pytest.MonkeyPatch, name: str, fmt: str) -> None:
    monkeypatch.chdir(ROOT)
    result = run("check", *CHECK_INPUTS, "--format", fmt, "--as-of", "2026-11-20", "--jobs", "1")
    assert result.code == 2, result.err
    golden = GOLDEN / f"check.{name}"
    if os.environ.get("CREDITFIX_REGEN"):
        golden.write_bytes(result.out.encode("utf-8"))
    assert result.out == golden.read_bytes().decode("utf-8")  # CSV lines end in CRLF


#: ``check --portfolio`` over the same inputs: the lender's view, with the bad row's error listed.
PORTFOLIO_CASES = [("examples.json", "json"), ("examples.table.txt", "table")]


@pytest.mark.parametrize(("name", "fmt"), PORTFOLIO_CASES, ids=[c[0] for c in PORTFOLIO_CASES])
def test_portfolio_is_golden(run, monkeypatch: pytest.MonkeyPatch, name: str, fmt: str) -> None:
    monkeypatch.chdir(ROOT)
    result = run("check", *CHECK_INPUTS, "--portfolio", "-f", fmt, "--as-of", "2026-11-20", "--jobs", "1")
    assert result.code == 2, result.err
    golden = GOLDEN / f"portfolio.{name}"
    if os.environ.get("CREDITFIX_REGEN"):
        golden.write_text(result.out, encoding="utf-8")
    assert result.out == golden.read_text(encoding="utf-8")
