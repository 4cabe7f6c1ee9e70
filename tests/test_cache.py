"""The compiled-pack cache: a cached pack is the pack compiled afresh, and a cache that is damaged,
missing, unwritable or turned off never changes a result or stops a run."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

import creditfix.model
from creditfix import cache
from creditfix.rules.engine import CompiledPack, load_packs

from conftest import EXAMPLES, Result

PROFILE = EXAMPLES / "profile.cn-jiebei-closed.yaml"


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv(cache.ENV_DIR, str(where))
    monkeypatch.setattr(creditfix.model, "_validator", None)  # as in a new process
    return where


def files(folder: Path) -> list[Path]:
    """The packs and validators cached (the dataclass code a command may add is tested apart)."""
    found = sorted(folder.glob("*.pickle")) if folder.is_dir() else []
    return [path for path in found if not path.name.startswith("dataclass-code-")]


def fingerprint(packs: list[CompiledPack]) -> list[object]:
    """What a compiled pack is, as plain values (code objects by their bytecode)."""
    return [
        (p.name, p.version, p.title, p.jurisdiction, p.path, dict(p.params), p.weights, p.grades, p.limits,
         [(r.rule, r.pack, r.path, r.line, r.when.source, r.when.code.co_code, r.when.names, r.when.kind, r.reads,
           {f: {lang: t.parts for lang, t in by.items()} for f, by in r.texts.items()}) for r in p.rules])
        for p in packs
    ]  # fmt: skip


def test_a_cached_pack_is_the_pack_compiled_afresh(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = load_packs(["core", "cn", "us"])
    assert len(files(folder)) == 3
    cached = load_packs(["core", "cn", "us"])
    monkeypatch.setenv(cache.ENV_OFF, "1")
    fresh = load_packs(["core", "cn", "us"])
    assert fingerprint(cached) == fingerprint(first) == fingerprint(fresh)


def test_params_and_caps_are_part_of_the_key(folder: Path) -> None:
    load_packs(["cn"])
    load_packs(["cn"], params={"cn": {"inquiry_limit_6m": 5}})
    assert len(files(folder)) == 2
    [pack] = load_packs(["cn"], params={"cn": {"inquiry_limit_6m": 5}})
    assert pack.params["inquiry_limit_6m"] == 5


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: b"", id="empty"),
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:-1] + bytes([data[-1] ^ 1]), id="one-bit-flipped"),
        pytest.param(lambda data: b"garbage" * 100, id="garbage"),
        pytest.param(lambda data: data[:55] + b"\x80\x05N.", id="valid-pickle-of-something-else"),
    ],
)
def test_a_damaged_cache_file_is_compiled_again(
    damage: Callable[[bytes], bytes], folder: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    expected = run("plan", PROFILE, "--format", "json")
    assert [p.name.split("-")[0] for p in files(folder)] == ["pack", "pack", "profile"]
    for path in files(folder):
        path.write_bytes(damage(path.read_bytes()))
    monkeypatch.setattr(creditfix.model, "_validator", None)
    again = run("plan", PROFILE, "--format", "json")
    assert (again.code, again.out, again.err) == (expected.code, expected.out, expected.err)
    monkeypatch.setattr(creditfix.model, "_validator", None)
    third = run("plan", PROFILE, "--format", "json")  # and the damaged files were replaced
    assert third.out == expected.out
    assert all(cache.load(path.stem) is not None for path in files(folder))


def test_profiles_are_validated_alike_with_and_without_the_cache(
    folder: Path, monkeypatch: pytest.MonkeyPatch, run: Callable[..., Result]
) -> None:
    bad = "debts:\n  - {id: a, balance: 10, apr: lots}\n  - {id: b, balance: -1}\n"
    cases = [("metrics", PROFILE, "--format", "json"), ("metrics", "-")]
    outcomes = []
    for cached in ("cold", "warm", "off"):
        if cached == "off":
            monkeypatch.setenv(cache.ENV_OFF, "1")
        monkeypatch.setattr(creditfix.model, "_validator", None)
        outcomes.append([run(*args, stdin=bad) for args in cases])
        assert any(p.name.startswith("profile-validator-") for p in files(folder))
    assert outcomes[0] == outcomes[1] == outcomes[2]
    assert outcomes[0][1].code == 2
    assert outcomes[0][1].err.startswith("creditfix: error: <stdin>:2: debts[0].apr:")


def test_a_file_others_may_write_is_not_read(folder: Path) -> None:
    load_packs(["core"])
    [path] = files(folder)
    os.chmod(path, 0o666)
    assert cache.load(path.stem) is None


def test_an_unwritable_cache_folder_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                run: Callable[..., Result]) -> None:  # fmt: skip
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    monkeypatch.setenv(cache.ENV_DIR, str(blocker / "cache"))
    result = run("plan", PROFILE, "--format", "json")
    assert result.code == 0
    assert result.err == ""


def test_old_items_are_deleted(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "KEEP", 2)
    for limit in (4, 5, 6, 7):
        load_packs(["cn"], params={"cn": {"inquiry_limit_6m": limit}})
    load_packs(["core"])
    assert sorted(p.name.split("-")[1] for p in files(folder)) == ["cn", "cn", "core"]
    [pack] = load_packs(["cn"], params={"cn": {"inquiry_limit_6m": 7}})  # the newest: still there
    assert pack.params["inquiry_limit_6m"] == 7
    assert len(files(folder)) == 3


def test_the_cache_can_be_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.ENV_OFF, "1")
    load_packs(["core", "cn"])
    assert not folder.exists()


def test_pack_files_of_users_are_not_cached(folder: Path) -> None:
    load_packs([Path("rules/core.yaml").resolve()])
    assert files(folder) == []
