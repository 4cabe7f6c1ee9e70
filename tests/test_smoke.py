"""The CLI starts, shows help and version, and runs on a shipped example."""

from __future__ import annotations

from conftest import EXAMPLES


def test_version(run):
    result = run("--version")
    assert result.code == 0
    assert result.out.startswith("creditfix ")


def test_bare_command_shows_help_on_stderr(run):
    result = run()
    assert result.code == 2
    assert result.out == ""
    assert "Usage: creditfix" in result.err


def test_metrics_on_example(run):
    result = run("metrics", EXAMPLES / "profile.cn-jiebei-closed.yaml", "--format", "json")
    assert result.code == 0, result.err
    assert '"schema_version": 1' in result.out
