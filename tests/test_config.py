"""Configuration: where settings come from, which wins, and that they change exactly what they say."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES

JIEBEI = EXAMPLES / "profile.cn-jiebei-closed.yaml"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for var in ("CREDITFIX_CONFIG", "CREDITFIX_LANG", "CREDITFIX_FAIL_ON", "CREDITFIX_SELECT", "CREDITFIX_IGNORE"):
        monkeypatch.delenv(var, raising=False)
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    return tmp_path


def settings(run) -> dict:  # type: ignore[no-untyped-def, type-arg]
    result = run("config", "--format", "json")
    assert result.code == 0, result.err
    return json.loads(result.out)["settings"]  # type: ignore[no-any-return]


def steps(run, *args: str) -> list[dict]:  # type: ignore[no-untyped-def, type-arg]
    result = run("plan", JIEBEI, "--format", "json", *args)
    assert result.code == 0, result.err
    return json.loads(result.out)["plan"]["steps"]  # type: ignore[no-any-return]


def test_no_config_means_defaults(run, home: Path) -> None:
    found = settings(run)
    assert found["lang"] == {"value": None, "from": "default"}
    assert found["select"] == {"value": [], "from": "default"}


def test_config_file_is_found_walking_up(run, home: Path) -> None:
    (home / ".creditfix.yaml").write_text("lang: en\nignore: [cn-income-unverified]\n", encoding="utf-8")
    found = settings(run)
    assert found["lang"] == {"value": "en", "from": str(home / ".creditfix.yaml")}
    ids = [s["rule"] for s in steps(run)]
    assert "cn-income-unverified" not in ids
    assert "core-overdue-now" in ids


def test_pyproject_table_is_read(run, home: Path) -> None:
    (home / "pyproject.toml").write_text('[tool.creditfix]\nselect = ["core-"]\n', encoding="utf-8")
    assert {s["pack"] for s in steps(run)} == {"core"}


def test_environment_beats_file_and_flag_beats_environment(run, home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (home / ".creditfix.yaml").write_text("lang: en\n", encoding="utf-8")
    monkeypatch.setenv("CREDITFIX_LANG", "zh")
    assert settings(run)["lang"] == {"value": "zh", "from": "env CREDITFIX_LANG"}
    result = run("plan", JIEBEI, "--format", "json", "--lang", "en")
    assert json.loads(result.out)["lang"] == "en"


def test_severity_and_params_overrides_change_the_plan(run, home: Path) -> None:
    before = {s["rule"]: s for s in steps(run)}
    assert before["core-late-recent"]["severity"] == "high"
    (home / ".creditfix.yaml").write_text(
        "severity: {core-late-recent: critical}\nparams: {cn: {inquiry_limit_6m: 4}}\n", encoding="utf-8"
    )
    after = {s["rule"]: s for s in steps(run)}
    assert after["core-late-recent"]["severity"] == "critical"
    assert "cn-inquiries-over" in after
    assert "cn-inquiries-over" not in before


def test_fail_on_from_config(run, home: Path) -> None:
    (home / ".creditfix.yaml").write_text("fail_on: critical\n", encoding="utf-8")
    assert run("plan", JIEBEI, "--format", "json").code == 1


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selct: [x]\n", ".creditfix.yaml:1: selct: unknown field (did you mean 'select'?)"),
        (
            "ignore: [core-overdue-nw]\n",
            "ignore: 'core-overdue-nw' matches no rule id, id prefix or category (did you mean 'core-overdue-now'?)",
        ),
        (
            "params: {core: {young_fle_months: 3}}\n",
            "params: pack core has no param 'young_fle_months' (did you mean 'young_file_months'?)",
        ),
        ("lang: fr\n", ".creditfix.yaml:1: lang: must be one of 'en' or 'zh'"),
        (
            "params: {cn: {dti_warning: 1e400}}\n",
            ".creditfix.yaml:1: params.cn.dti_warning: number has more than 24 digits",
        ),
        ("params: {cn: {dti_warning: .nan}}\n", ".creditfix.yaml:1: params.cn.dti_warning: must be a finite number"),
        ("params: {cn: {dti_warning: -.inf}}\n", ".creditfix.yaml:1: params.cn.dti_warning: must be a finite number"),
        (
            "portfolio: {late_rate_warning: .nan}\n",
            ".creditfix.yaml:1: portfolio.late_rate_warning: must be a finite number",
        ),
    ],
)
def test_bad_config_is_one_line(run, home: Path, text: str, message: str) -> None:
    (home / ".creditfix.yaml").write_text(text, encoding="utf-8")
    result = run("plan", JIEBEI, "--format", "json")
    assert result.code == 2
    expected = message if message.startswith(("ignore", "params")) else f"{home / message}"
    assert result.err == f"creditfix: error: {expected}\n"


def test_pyproject_float_that_overflows_to_infinity_is_refused(run, home: Path) -> None:
    # TOML reads 1e400 as the float inf
    (home / "pyproject.toml").write_text("[tool.creditfix]\nparams = {cn = {dti_warning = 1e400}}\n", encoding="utf-8")
    result = run("plan", JIEBEI, "--format", "json")
    assert result.code == 2
    assert (
        result.err == f"creditfix: error: {home / 'pyproject.toml'}: params.cn.dti_warning: must be a finite number\n"
    )
