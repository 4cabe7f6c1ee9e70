"""Shared test helpers: run the CLI in-process and capture what a user would see."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from creditfix.cli import main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# The per-user cache (creditfix/cache.py) of this test session, never the user's own; creditfix
# processes the tests start inherit it.
_CACHE = tempfile.mkdtemp(prefix="creditfix-test-cache-")
os.environ["CREDITFIX_CACHE_DIR"] = _CACHE
os.environ.pop("CREDITFIX_NO_CACHE", None)
atexit.register(shutil.rmtree, _CACHE, ignore_errors=True)

# Property and fuzz tests (test_properties.py, test_fuzz_loaders.py): "ci" keeps the whole suite
# quick; "long" is for a fuzzing session (pytest --hypothesis-profile=long, or
# CREDITFIX_HYPOTHESIS=long). No deadline: shared CI machines stall now and then, and a slow
# input is caught by the hazard corpus's timing, not by hypothesis.
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
settings.register_profile("long", settings.get_profile("ci"), max_examples=5000)
settings.load_profile(os.environ.get("CREDITFIX_HYPOTHESIS", "ci"))


@dataclass
class Result:
    """What one CLI run printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """``run("metrics", "file.yaml", stdin="...")`` → Result(code, stdout, stderr)."""

    def invoke(*args: str, stdin: str | bytes | None = None) -> Result:
        if stdin is not None:
            import io
            import sys

            data = stdin.encode() if isinstance(stdin, str) else stdin
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Result(code, captured.out, captured.err)

    return invoke
