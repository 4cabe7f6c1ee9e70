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


def test_help_paragraphs_reflow_to_the_terminal() -> None:
    """A command's docstring is written with line breaks; --help re-flows each paragraph to the
    terminal's width instead of keeping the source's breaks (which left ragged lines at 80)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "COLUMNS": "80"}
    out = subprocess.run(
        [sys.executable, "-m", "creditfix", "check", "--help"], capture_output=True, text=True, env=env, check=True
    ).stdout
    assert " (mode 0600): if the run is killed, the same command again skips the clients" in out
