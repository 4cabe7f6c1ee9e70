"""Input caps: documented defaults, raised and lowered from the config file or CREDITFIX_CAPS, and
every refusal one line that names the file, the cap and how to raise it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from creditfix import caps

from conftest import EXAMPLES

US = EXAMPLES / "profile.us-maxed-out.yaml"
TABLE = EXAMPLES / "clients.csv"


def hint(name: str) -> str:
    return f" (raise caps.{name} in the config or CREDITFIX_CAPS)"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("CREDITFIX_CONFIG", "CREDITFIX_CAPS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def config(home: Path, text: str) -> Path:
    path = home / ".creditfix.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(run, *argv: object) -> str:  # type: ignore[no-untyped-def]
    """The one line on stderr of a run that must exit 2."""
    result = run(*argv)
    assert result.code == 2, result.err
    return result.err  # type: ignore[no-any-return]


def debts_profile(path: Path, count: int) -> Path:
    lines = ["client: {id: many, jurisdiction: US}", "as_of: 2026-11-20", "debts:"]
    lines += [f"  - {{id: d{i}, balance: 100}}" for i in range(count)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_defaults_are_the_documented_values(run, home: Path) -> None:
    result = run("config", "--format", "json")
    assert result.code == 0, result.err
    shown = json.loads(result.out)["settings"]["caps"]
    assert shown == {
        "value": {
            "profile_bytes": 2 * 1024 * 1024, "table_bytes": 20 * 1024 * 1024, "pack_bytes": 2 * 1024 * 1024,
            "yaml_depth": 64, "table_rows": 1_000_000, "debts": 200, "payments": 5000, "inquiries": 1000,
            "events": 200, "expr_chars": 500, "expr_nodes": 100, "client_seconds": 10,
        },
        "from": "default",
    }  # fmt: skip
    assert set(caps.MEANINGS) == set(caps.NAMES)


def test_lowered_profile_size_refuses_in_one_line(run, home: Path) -> None:
    config(home, "caps: {profile_bytes: 1KB}\n")
    assert (
        refusal(run, "metrics", US, "--format", "json")
        == f"creditfix: error: {US}: file is larger than the 1024 bytes limit{hint('profile_bytes')}\n"
    )


def test_raised_profile_size_accepts_a_bigger_file(run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    big = home / "big.yaml"
    big.write_text(US.read_text(encoding="utf-8") + "# padding\n" * 250_000, encoding="utf-8")  # 2.5 MB
    assert (
        refusal(run, "metrics", big, "--format", "json")
        == f"creditfix: error: {big}: file is larger than the 2 MB limit{hint('profile_bytes')}\n"
    )
    monkeypatch.setenv("CREDITFIX_CAPS", "profile_bytes=3MB")
    assert run("metrics", big, "--format", "json").code == 0


def test_list_caps_lowered_and_raised(run, home: Path) -> None:
    two = debts_profile(home / "two.yaml", 2)
    many = debts_profile(home / "many.yaml", 250)
    assert run("metrics", two, "-f", "json").code == 0
    refused = run("metrics", many, "-f", "json")
    assert (
        refused.err
        == f"creditfix: error: {many}:3: debts: more than 200 entries (the limit for one profile){hint('debts')}\n"
    )
    config(home, "caps:\n  debts: 1\n")
    assert run("metrics", two, "-f", "json").err == (
        f"creditfix: error: {two}:3: debts: more than 1 entries (the limit for one profile){hint('debts')}\n"
    )
    config(home, "caps:\n  debts: 300\n")
    assert run("metrics", many, "-f", "json").code == 0


def test_yaml_depth_lowered(run, home: Path) -> None:
    config(home, "caps: {yaml_depth: 2}\n")
    assert (
        refusal(run, "plan", US, "--format", "json")
        == f"creditfix: error: {US}:10:5: nesting deeper than 2 levels{hint('yaml_depth')}\n"
    )


def test_table_rows_from_the_environment(run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITFIX_CAPS", "table_rows=3")
    result = run("check", TABLE, "--format", "jsonl", "--jobs", "1")
    assert result.code == 2
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [r["client_id"] for r in lines[:3]] == ["CN-0001", "CN-0002", "CN-0003"]
    assert lines[3]["error"] == f"{TABLE}:5: more than 3 client rows{hint('table_rows')}"
    monkeypatch.setenv("CREDITFIX_CAPS", "table_rows=24")
    assert run("check", TABLE, "--format", "jsonl", "--jobs", "1").code == 0


def test_check_workers_use_the_configured_caps(run, home: Path) -> None:
    folder = home / "clients"
    folder.mkdir()
    debts_profile(folder / "a.yaml", 3)
    debts_profile(folder / "b.yaml", 1)
    config(home, "caps: {debts: 2}\n")
    result = run("check", folder, "--format", "jsonl", "--jobs", "2")
    assert result.code == 2
    errors = [json.loads(line)["error"] for line in result.out.splitlines()]
    assert errors == [
        f"{folder / 'a.yaml'}:3: debts: more than 2 entries (the limit for one profile){hint('debts')}",
        None,
    ]


def test_expression_caps_lowered_and_raised(run, home: Path) -> None:
    condition = " or ".join(["late_payments_24m > 1"] * 30)  # 713 characters
    pack = home / "long.yaml"
    pack.write_text(
        "pack: long\ntitle: Long\nrules:\n  - id: long-one\n    category: repayment\n    severity: low\n"
        f'    horizon: 30d\n    impact: 1\n    when: "{condition}"\n    title: t\n    action: a\n    why: w\n'
        "    basis: rule-of-thumb\n    source: test\n    tests:\n"
        "      - {name: fires, metrics: {late_payments_24m: 2}, fires: true}\n"
        "      - {name: silent, metrics: {late_payments_24m: 0}, fires: false}\n",
        encoding="utf-8",
    )
    refused = run("rules", "verify", pack)
    assert refused.err == (
        f"creditfix: error: {pack}:9: long-one.when: expression longer than 500 characters{hint('expr_chars')}\n"
    )
    config(home, "caps: {expr_chars: 1000, expr_nodes: 200}\n")
    assert run("rules", "verify", pack).code == 0
    config(home, "caps: {expr_nodes: 5}\n")
    lowered = run("rules", "verify", "core")
    assert lowered.code == 2
    assert "parts" in lowered.err
    assert lowered.err.endswith(f"{hint('expr_nodes')}\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("caps: {debst: 3}\n", ".creditfix.yaml:1: caps: unknown cap (did you mean 'debts'?)"),
        ("caps:\n  debts: 0\n", ".creditfix.yaml:2: caps.debts: expected a positive whole number"),
        ("caps: {debts: 5MB}\n", ".creditfix.yaml:1: caps.debts: expected a positive whole number"),
        (
            "caps: {profile_bytes: lots}\n",
            ".creditfix.yaml:1: caps.profile_bytes: expected a positive whole number (or a size such as 5MB)",
        ),
    ],
)
def test_bad_caps_are_one_line(run, home: Path, text: str, message: str) -> None:
    config(home, text)
    result = run("plan", US, "--format", "json")
    assert result.code == 2
    assert result.err == f"creditfix: error: {home / message}\n"


def test_bad_environment_caps(run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITFIX_CAPS", "table_rowz=3")
    result = run("metrics", US)
    assert result.code == 2
    assert result.err == "creditfix: error: CREDITFIX_CAPS: unknown cap (did you mean 'table_rows'?)\n"


def test_caps_reset_between_runs_in_one_process(run, home: Path) -> None:
    config(home, "caps: {profile_bytes: 1KB}\n")
    assert run("metrics", US, "-f", "json").code == 2
    (home / ".creditfix.yaml").unlink()
    assert run("metrics", US, "-f", "json").code == 0
    assert caps.active() == caps.DEFAULT
