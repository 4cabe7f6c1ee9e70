"""The command as its own process (python -m creditfix: the start-up path, with gc.freeze and the
cached dataclass code) prints and writes what the same command run in-process does."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import EXAMPLES, Result

PROFILE = EXAMPLES / "profile.cn-jiebei-closed.yaml"


def _untimed(err: str) -> str:
    return re.sub(r"\d+\.\d+s$", "", err, flags=re.MULTILINE)  # check's summary says how long it took


def _process(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CREDITFIX_CACHE_DIR": str(cache)}
    env.pop("CREDITFIX_NO_CACHE", None)
    return subprocess.run(
        [sys.executable, "-m", "creditfix", *args], env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "args",
    [
        ("metrics", str(PROFILE), "--format", "json"),
        ("plan", str(PROFILE), "--format", "json"),
        ("plan", str(PROFILE), "--format", "markdown"),
        ("check", str(EXAMPLES), "--format", "jsonl", "--jobs", "1"),
    ],
)
def test_a_process_prints_what_the_command_prints_in_process(
    args: tuple[str, ...], tmp_path: Path, run: Callable[..., Result]
) -> None:
    expected = run(*args)
    for _ in range(2):  # filling the cache, then reading it
        got = _process(*args, cache=tmp_path)
        assert (got.returncode, got.stdout, _untimed(got.stderr)) == (
            expected.code,
            expected.out,
            _untimed(expected.err),
        )


def test_a_process_writes_its_output_file_whole(tmp_path: Path, run: Callable[..., Result]) -> None:
    expected = run("plan", str(PROFILE), "--format", "json")
    for name in ("first.json", "second.json"):
        got = _process("plan", str(PROFILE), "--format", "json", "-o", str(tmp_path / name), cache=tmp_path)
        assert got.returncode == expected.code
        assert (tmp_path / name).read_text(encoding="utf-8") == expected.out
