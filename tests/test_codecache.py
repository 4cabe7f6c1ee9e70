"""The cache of dataclass methods' compiled code: a command run with it prints what it prints
without it, a damaged item is compiled again, and dataclasses is left as it was."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path

import pytest

from creditfix import codecache

from conftest import EXAMPLES

PROFILE = EXAMPLES / "profile.cn-jiebei-closed.yaml"


def _run(cache: Path, *extra: str, no_cache: bool = False) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CREDITFIX_CACHE_DIR": str(cache)}
    env.pop("CREDITFIX_NO_CACHE", None)
    if no_cache:
        env["CREDITFIX_NO_CACHE"] = "1"
    argv = [sys.executable, "-m", "creditfix", "plan", str(PROFILE), "--format", "json", *extra]
    return subprocess.run(argv, env=env, capture_output=True, text=True, check=False)


@pytest.mark.skipif(not codecache._applies(), reason="this Python's dataclasses are left alone")
def test_a_run_with_cached_code_prints_what_a_run_without_prints(tmp_path: Path) -> None:
    plain = _run(tmp_path, no_cache=True)
    first = _run(tmp_path)
    [item] = tmp_path.glob("dataclass-code-plan-json-*.pickle")
    written = item.stat().st_mtime_ns
    second = _run(tmp_path)
    assert item.stat().st_mtime_ns == written  # every method came from the cache: nothing new to store
    assert (plain.returncode, plain.stdout, plain.stderr) == (first.returncode, first.stdout, first.stderr)
    assert (second.returncode, second.stdout, second.stderr) == (first.returncode, first.stdout, first.stderr)
    item.write_bytes(item.read_bytes()[:-10])  # damaged: compiled again, and rewritten
    third = _run(tmp_path)
    assert third.stdout == first.stdout
    assert item.stat().st_mtime_ns != written


def test_dataclasses_is_restored_after_a_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = dataclasses._create_fn  # type: ignore[attr-defined]
    with codecache.active("test"):

        @dataclasses.dataclass(frozen=True)
        class Point:
            x: int
            y: int = 2

    assert dataclasses._create_fn is original  # type: ignore[attr-defined]
    assert Point(1) == Point(1, 2)
    assert repr(Point(1)) == "test_dataclasses_is_restored_after_a_command.<locals>.Point(x=1, y=2)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        Point(1).x = 3  # type: ignore[misc]


def _methods(cls: type) -> dict[str, object]:
    names = ("__init__", "__repr__", "__eq__", "__lt__", "__hash__", "__setattr__", "__delattr__")
    found = {}
    for name in names:
        function = cls.__dict__.get(name)
        code = getattr(function, "__code__", None)
        if code is not None:
            found[name] = (code.co_code, code.co_consts, code.co_names, code.co_varnames, function.__annotations__)
    return found


def _define() -> type:
    @dataclasses.dataclass(frozen=True, order=True)
    class Everything:
        a: int
        b: list[int] = dataclasses.field(default_factory=list)
        c: str = "c"
        _return_type: int = 0  # the name Python 3.11 gives the return type in its generated text

    return Everything


@pytest.mark.skipif(not codecache._applies(), reason="this Python's dataclasses are left alone")
def test_the_cached_methods_are_those_dataclasses_makes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREDITFIX_CACHE_DIR", str(tmp_path))
    plain = _define()
    for _ in range(2):  # compiled, then from the cache
        monkeypatch.setattr(codecache, "_codes", {})
        with codecache.active("test"):
            cached = _define()
        assert _methods(cached) == _methods(plain)
        assert cached(1) < cached(2)
        assert cached(1, [2]) == cached(1, [2])
