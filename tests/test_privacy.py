"""--redact: seeded canary values never reach any output; numbers and findings are unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES

CANARIES = ("Canary Zhang", "ID-CANARY-110101199003074512", "acct-6222021234567890")
PROFILE = """\
client: {id: ID-CANARY-110101199003074512, name: Canary Zhang, jurisdiction: CN, currency: CNY}
as_of: 2026-11-20
income: {monthly: 9000, verified: false}
debts:
  - {id: acct-6222021234567890, lender: 招商银行, type: card, balance: 9600, limit: 10000, apr: 18%, min_payment: 960,
     opened: 2019-07-15, past_due: 1920, history: NNNNNNNNNNNNNNNNNNNNNN12}
payments:
  - {debt: acct-6222021234567890, due: 2026-10-10, amount: 960}
inquiries: []
events:
  - {date: 2027-01-05, type: lump_sum, amount: 500, debt: acct-6222021234567890, note: from Canary Zhang's bonus}
  - {date: 2027-02-05, type: new_debt, account: {id: ID-CANARY-110101199003074512-loan, balance: 900, apr: 0,
     min_payment: 100}}
"""


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    path = tmp_path / "client.yaml"
    path.write_text(PROFILE, encoding="utf-8")
    return path


def _assert_clean(text: str) -> None:
    for value in (*CANARIES, "110101199003074512", "6222021234567890", "Canary"):
        assert value not in text, value


@pytest.mark.parametrize(
    "args",
    [
        ["plan", "--format", "json"],
        ["plan", "--format", "markdown"],
        ["plan", "--format", "table"],
        ["metrics", "--format", "json"],
        ["payoff", "--format", "json", "--extra", "100"],
        ["payoff", "--format", "table", "--extra", "100"],
        ["simulate", "--format", "json", "--months", "6"],
        ["simulate", "--format", "table", "--follow-plan"],
        ["simulate", "--format", "json", "--pay", "acct-6222021234567890=2000"],
    ],
    ids=lambda a: "-".join(a[:3]),
)
def test_no_canary_reaches_output_under_redact(run, canary: Path, args: list[str]) -> None:
    command, *rest = args
    result = run(command, canary, *rest, "--redact")
    assert result.code == 0, result.err
    _assert_clean(result.out)
    _assert_clean(result.err)


def test_check_outputs_are_redacted(run, canary: Path, tmp_path: Path) -> None:
    for fmt in ("json", "jsonl", "csv", "table"):
        result = run("check", canary, "--format", fmt, "--redact", "--jobs", "1")
        assert result.code == 0, result.err
        _assert_clean(result.out)
        _assert_clean(result.err)


def test_check_journal_is_redacted(run, canary: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The journal of ``check -o`` holds results only after redaction, and no path or value in its
    header; kept here as if the run had been killed just before deleting it."""
    from creditfix.journal import SUFFIX, Journal

    monkeypatch.setattr(Journal, "finish", Journal.close)
    bad = tmp_path / "bad.yaml"  # an error result too: its message must not carry a value either
    bad.write_text(PROFILE.replace("balance: 9600", "balance: 6222021234567890x"), encoding="utf-8")
    for fmt in ("json", "jsonl", "csv", "table"):
        out = tmp_path / f"out.{fmt}"
        result = run("check", canary, bad, "--format", fmt, "--redact", "-o", out)
        assert result.code == 2, result.err
        journal = out.with_name(out.name + SUFFIX)
        text = journal.read_text(encoding="utf-8")
        assert "…4512" in text
        _assert_clean(text)
        _assert_clean(out.read_text(encoding="utf-8-sig"))
        _assert_clean(result.err)
        assert oct(journal.stat().st_mode & 0o777) == "0o600"


def test_redacted_plan_keeps_its_numbers(run, canary: Path) -> None:
    plain = json.loads(run("plan", canary, "--format", "json").out)
    hidden = json.loads(run("plan", canary, "--format", "json", "--redact").out)
    assert hidden["client"]["id"] == "…4512"
    assert hidden["client"]["name"].startswith("P-")
    assert hidden["plan"]["grade"] == plain["plan"]["grade"]
    assert [s["rule"] for s in hidden["plan"]["steps"]] == [s["rule"] for s in plain["plan"]["steps"]]
    assert hidden["metrics"] == plain["metrics"]
    assert [c["debt"] for c in hidden["plan"]["clean_by"]] == ["…7890"]


def test_errors_never_carry_values(run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(PROFILE.replace("balance: 9600", "balance: 6222021234567890x"), encoding="utf-8")
    result = run("plan", bad)
    assert result.code == 2
    _assert_clean(result.err)


def test_pseudonym_is_stable_across_runs(run) -> None:
    first = json.loads(run("plan", EXAMPLES / "profile.us-maxed-out.yaml", "-f", "json", "--redact").out)["client"]
    second = json.loads(run("plan", EXAMPLES / "profile.us-maxed-out.yaml", "-f", "json", "--redact").out)["client"]
    assert first == second
    assert first["name"] != "Jordan Lee"
