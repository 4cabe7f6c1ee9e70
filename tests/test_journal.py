"""``check -o FILE`` journal: a run killed with ``kill -9`` resumes and writes the same bytes; a torn
record is dropped, a journal of another run is never reused, leftover temp files are removed."""

from __future__ import annotations

import importlib.util
import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from creditfix import check
from creditfix.journal import SUFFIX, Journal

from conftest import ROOT

AS_OF = "2026-11-20"
PROFILES = 300


def _generator() -> Any:
    """benchmarks/check_throughput.py: its generator of realistic synthetic profiles."""
    spec = importlib.util.spec_from_file_location("check_throughput", ROOT / "benchmarks" / "check_throughput.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def clients(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A few hundred profiles and one broken file (so every run exits 2 and reports one error)."""
    folder = tmp_path_factory.mktemp("clients")
    rng = random.Random(7)
    profile_text = _generator().profile_text
    for i in range(PROFILES):
        (folder / f"p{i:05d}.yaml").write_text(profile_text(rng, i), encoding="utf-8")
    (folder / "p00150x.yaml").write_text("debts: [\n", encoding="utf-8")
    return folder


def args(clients: Path, out: Path, fmt: str, *extra: str) -> list[str]:
    return ["check", str(clients), "-o", str(out), "-f", fmt, "--as-of", AS_OF, "--jobs", "1", *extra]


def summary(err: str) -> str:
    """The summary line without its time."""
    line = err.strip().splitlines()[-1]
    return line.rsplit(", ", 1)[0]


@pytest.fixture
def keep_journal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs keep their journal as if killed just after writing the output."""
    monkeypatch.setattr(Journal, "finish", Journal.close)


@pytest.fixture
def computed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The index of every client actually computed (in-process runs with --jobs 1)."""
    seen: list[int] = []
    real = check.run_job

    def counting(job: check.Job) -> check.CheckResult:
        seen.append(job.index)
        return real(job)

    monkeypatch.setattr(check, "run_job", counting)
    return seen


def records(journal: Path) -> int:
    return max(0, journal.read_bytes().count(b"\n") - 1)


def children(pid: int) -> set[int]:
    """The child processes of *pid* (Linux /proc; empty elsewhere)."""
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(p) for p in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def spawn_and_kill(argv: list[str], journal: Path, at_least: int) -> int:
    """Start creditfix in a child process, SIGKILL it once *journal* holds *at_least* records;
    return how many it held. Its worker processes must not outlive it."""
    # The creditfix this interpreter has installed, as in-process runs use (not src/: the built-in
    # packs would be other files, and the journal rightly says "a different run").
    child = subprocess.Popen(
        [sys.executable, "-m", "creditfix", *argv], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 20
    try:
        while time.monotonic() < deadline and child.poll() is None:
            if journal.exists() and records(journal) >= at_least:
                break
            time.sleep(0.002)
        assert child.poll() is None, "the run finished before it could be killed"
        workers = children(child.pid)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.kill()
        child.wait()
    deadline = time.monotonic() + 5
    while any(alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    orphans = [pid for pid in workers if alive(pid)]
    for pid in orphans:  # tidy up before failing
        os.kill(pid, signal.SIGKILL)
    assert not orphans, "worker processes outlived a killed run"
    return records(journal)


@pytest.mark.parametrize(("fmt", "jobs"), [("jsonl", "1"), ("csv", "2")])
def test_kill_9_then_rerun_gives_identical_output(run, clients: Path, tmp_path: Path, fmt: str, jobs: str) -> None:
    reference = tmp_path / f"reference.{fmt}"
    whole = run(*args(clients, reference, fmt))
    out = tmp_path / f"out.{fmt}"
    journal = out.with_name(out.name + SUFFIX)
    held = spawn_and_kill(args(clients, out, fmt, "--jobs", jobs), journal, at_least=40)
    assert 40 <= held < PROFILES + 1
    assert not out.exists()
    assert oct(journal.stat().st_mode & 0o777) == "0o600"
    resumed = run(*args(clients, out, fmt))
    assert resumed.code == whole.code == 2
    assert out.read_bytes() == reference.read_bytes()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert not journal.exists()
    assert f"creditfix: resuming from {journal}: " in resumed.err
    assert summary(resumed.err) == summary(whole.err)
    assert summary(whole.err) == (
        f"creditfix: {PROFILES + 1} clients, 3 clean, with findings: 80 critical, 258 high, 242 medium, "
        "161 low, 283 info, 1 error(s)"
    )


def test_finished_clients_are_not_computed_again(
    run, clients: Path, tmp_path: Path, keep_journal: None, computed: list[int]
) -> None:
    out = tmp_path / "out.json"
    first = run(*args(clients, out, "json"))
    reference = out.read_bytes()
    out.unlink()
    computed.clear()
    again = run(*args(clients, out, "json"))
    assert computed == []
    assert (again.code, summary(again.err)) == (first.code, summary(first.err))
    assert out.read_bytes() == reference


def torn(lines: list[bytes]) -> list[bytes]:
    """Killed in the middle of writing record 101: 100 intact records, then part of a line."""
    return [*lines[:101], lines[101][:37]]


def damaged(lines: list[bytes]) -> list[bytes]:
    """Record 51 changed after it was written (its checksum no longer matches); the rest intact."""
    changed = lines[51]
    for grade in (b'"C"', b'"D"', b'"E"'):
        changed = changed.replace(grade, b'"A"', 1)
    assert changed != lines[51]
    return [*lines[:51], changed, *lines[52:]]


@pytest.mark.parametrize(
    ("fmt", "harm", "first_redone", "notice"),
    [
        ("csv", torn, 100, "100 client(s) already done (dropped the torn or damaged end of the journal)"),
        ("jsonl", damaged, 50, "50 client(s) already done (dropped the torn or damaged end of the journal)"),
    ],
    ids=["torn-last-record", "damaged-record"],
)
def test_torn_or_damaged_records_are_done_again(
    run, clients: Path, tmp_path: Path, keep_journal: None, computed: list[int], fmt: str, harm: Any,
    first_redone: int, notice: str,
) -> None:  # fmt: skip
    """The valid prefix is kept; the bad record and everything after it are computed again."""
    out = tmp_path / f"out.{fmt}"
    run(*args(clients, out, fmt))
    reference = out.read_bytes()
    journal = out.with_name(out.name + SUFFIX)
    journal.write_bytes(b"".join(harm(journal.read_bytes().splitlines(keepends=True))))
    computed.clear()
    resumed = run(*args(clients, out, fmt))
    assert f"creditfix: resuming from {journal}: {notice}\n" in resumed.err
    assert computed == list(range(first_redone, PROFILES + 1))
    assert out.read_bytes() == reference


@pytest.mark.parametrize(
    ("change", "why"),
    [
        ("touch", "the input files changed"),
        ("as-of", "the options changed"),
        ("redact", "the options changed"),
        ("header", "it is damaged"),
    ],
)
def test_journal_of_another_run_is_never_reused(
    run, clients: Path, tmp_path: Path, keep_journal: None, computed: list[int], change: str, why: str
) -> None:
    out = tmp_path / "out.jsonl"
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("p00001.yaml", "p00002.yaml", "p00003.yaml"):
        (folder / name).write_bytes((clients / name).read_bytes())
    run(*args(folder, out, "jsonl"))
    journal = out.with_name(out.name + SUFFIX)
    extra: tuple[str, ...] = ()
    if change == "touch":
        stamp = (folder / "p00002.yaml").stat().st_mtime_ns + 1_000_000_000
        os.utime(folder / "p00002.yaml", ns=(stamp, stamp))
    elif change == "as-of":
        extra = ("--as-of", "2026-12-01")
    elif change == "redact":
        extra = ("--redact",)
    else:
        journal.write_bytes(b"00000000 {}\n" + journal.read_bytes().split(b"\n", 1)[1])
    computed.clear()
    again = run(*args(folder, out, "jsonl"), *extra)
    assert again.err.startswith(f"creditfix: {journal} is from a different run ({why}): starting afresh\n")
    assert computed == [0, 1, 2]


def test_no_resume_starts_afresh(run, clients: Path, tmp_path: Path, keep_journal: None, computed: list[int]) -> None:
    out = tmp_path / "out.jsonl"
    run(*args(clients, out, "jsonl"))
    reference = out.read_bytes()
    computed.clear()
    again = run(*args(clients, out, "jsonl", "--no-resume"))
    assert "resuming" not in again.err
    assert computed == list(range(PROFILES + 1))
    assert out.read_bytes() == reference


def test_leftover_temp_files_are_removed(run, clients: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    leftovers = [tmp_path / ".out.jsonl.k3_x9a0q.tmp", tmp_path / ".out.jsonl.zzzzzzzz.tmp"]
    strangers = [tmp_path / ".out.jsonl.notes.tmp", tmp_path / ".other.jsonl.k3_x9a0q.tmp", tmp_path / "out.jsonl.tmp"]
    for path in (*leftovers, *strangers):
        path.write_text("half a report", encoding="utf-8")
    result = run("check", clients / "p00001.yaml", "-o", out, "-f", "jsonl", "--as-of", AS_OF)
    assert result.code == 0, result.err
    assert f"creditfix: removed 2 temp file(s) left by an interrupted write of {out}\n" in result.err
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in strangers)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.jsonl", *(p.name for p in strangers)])


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """Another process holds the lock of out.jsonl's journal."""
    journal = tmp_path / f"out.jsonl{SUFFIX}"
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import fcntl, os, sys, time\n"
         "fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)\n"
         "fcntl.lockf(fd, fcntl.LOCK_EX)\nprint('locked', flush=True)\ntime.sleep(30)\n",
         str(journal)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None
    assert holder.stdout.readline() == "locked\n"
    yield journal
    holder.kill()
    holder.wait()


def test_a_second_run_on_the_same_output_stops(run, clients: Path, tmp_path: Path, locked: Path) -> None:
    result = run("check", clients / "p00001.yaml", "-o", tmp_path / "out.jsonl", "-f", "jsonl")
    assert result.code == 2
    assert result.err == (
        f"creditfix: error: {locked}: another creditfix check is writing this output (its journal is locked)\n"
    )


def test_no_journal_without_a_file_or_from_stdin(run, clients: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    text = (clients / "p00001.yaml").read_text(encoding="utf-8")
    assert run("check", "-", "-o", out, "-f", "jsonl", "--as-of", AS_OF, stdin=text).code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]
    assert run("check", clients / "p00001.yaml", "-f", "jsonl").code == 0
    assert not list(clients.glob(f"*{SUFFIX}"))


def test_missing_output_folder_is_one_line(run, clients: Path, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "out.jsonl"
    result = run("check", clients / "p00001.yaml", "-o", out, "-f", "jsonl")
    assert result.code == 2
    assert result.err == f"creditfix: error: {out}: the folder for -o does not exist\n"


def test_a_changed_side_file_makes_another_run(run, tmp_path: Path, keep_journal: None, computed: list[int]) -> None:
    # The payments CSV is skipped as a client but read by its profile: a change to it changes results.
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("profile.us-payments-csv.yaml", "payments.us-payments-csv.csv"):
        (folder / name).write_bytes((ROOT / "examples" / name).read_bytes())
    out = tmp_path / "out.jsonl"
    run(*args(folder, out, "jsonl"))
    side = folder / "payments.us-payments-csv.csv"
    stamp = side.stat().st_mtime_ns + 1_000_000_000
    os.utime(side, ns=(stamp, stamp))
    computed.clear()
    again = run(*args(folder, out, "jsonl"))
    journal = out.with_name(out.name + SUFFIX)
    assert again.err.startswith(
        f"creditfix: {journal} is from a different run (the input files changed): starting afresh\n"
    )
    assert computed == [0]


def test_reading_the_done_clients_back_keeps_the_lock(tmp_path: Path) -> None:
    """A resumed run reads its journal again through the locked descriptor: opening and closing
    the file anew would drop the process's POSIX lock and let a second run write the same journal."""
    from creditfix.check import CheckResult
    from creditfix.journal import fingerprint, records_of

    out = tmp_path / "out.csv"
    run_print = fingerprint([], {"x": 1})
    first = Journal.open(out, run_print, resume=True, say=lambda line: None)
    done = [CheckResult(i, "t.csv", i + 2, f"C-{i}", grade="A", risk_points=0) for i in range(10)]
    first.append_records(0, len(done), records_of(done))
    first.close()
    notes: list[str] = []
    resumed = Journal.open(out, run_print, resume=True, say=notes.append)
    assert notes == [f"resuming from {tmp_path / ('out.csv' + SUFFIX)}: 10 client(s) already done"]
    assert [r for part in resumed.done(size=3) for r in part] == done
    probe = subprocess.run(
        [sys.executable, "-c",
         "import fcntl, os, sys\nfd = os.open(sys.argv[1], os.O_RDWR)\n"
         "try:\n    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept OSError:\n    print('held')\n"
         "else:\n    print('free')\n",
         str(tmp_path / ("out.csv" + SUFFIX))],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert probe.stdout == "held\n"
    resumed.close()
