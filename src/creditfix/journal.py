"""The journal of ``creditfix check -o FILE``: what lets a killed run resume where it stopped.

``FILE.creditfix-journal`` sits next to the output (mode 0600). Its first line is a header that
fingerprints the run; every following line is one finished client, appended and flushed in input
order. Each line is ``CRC32 JSON\\n`` (eight hex digits of the CRC-32 of the JSON text), so a line
torn by ``kill -9`` or a power cut is recognised and dropped together with anything after it — the
valid prefix is kept, as SQLite does with the frames of its write-ahead log. When the run
finishes, the output is written atomically from the journal's clients plus the new ones, and the
journal is deleted.

The header holds the journal format, the creditfix version and two SHA-256 digests: of the inputs
(every file with its size, mtime and ctime, the quick check rsync and git's index use) and of the
options that change results (formats, packs and rule files, select/ignore/severity/params, as-of
— or today's date when results depend on it —, redact, fail-on, column map, encoding, caps). A
journal whose header differs is never reused: creditfix says why on stderr and starts afresh.
Only digests and results go into the journal: with ``--redact`` the results are redacted before
they are written, and the header carries no path or value at all.

While a run owns the journal it holds a POSIX lock on it (``fcntl.lockf``, released by the kernel
when the process dies, unlike git's ``index.lock`` files, and not inherited by worker processes),
so a second run on the same output stops with one line instead of interleaving records.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from creditfix import __version__
from creditfix.check import CheckResult
from creditfix.errors import UsageError

SUFFIX = ".creditfix-journal"
FORMAT = 1
_KIND = "creditfix check journal"
_FIELDS = CheckResult._fields
#: Fields held as Decimal, written as their exact text.
_DECIMALS = (_FIELDS.index("suggested_limit"),)
_ENCODER = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
#: A power cut may lose what the OS has not written out; an fsync at most this often bounds it.
_SYNC_SECONDS = 1.0


def journal_path(output: Path) -> Path:
    """Where the journal of *output* lives."""
    return output.with_name(output.name + SUFFIX)


@dataclass(frozen=True)
class Fingerprint:
    """What a journal must match to be reused."""

    inputs: str
    options: str
    version: str = __version__
    format: int = FORMAT

    def header(self) -> dict[str, Any]:
        return {"kind": _KIND, "format": self.format, "fields": list(_FIELDS), "version": self.version,
                "inputs": self.inputs, "options": self.options}  # fmt: skip

    def difference(self, header: Mapping[str, Any]) -> str | None:
        """Why a journal with *header* is not from this run, or None when it is."""
        if header.get("kind") != _KIND or header.get("format") != self.format or header.get("fields") != list(_FIELDS):
            return "it is not a journal this creditfix can read"
        if header.get("version") != self.version:
            return f"it was written by creditfix {header.get('version')}"
        if header.get("inputs") != self.inputs:
            return "the input files changed"
        if header.get("options") != self.options:
            return "the options changed"
        return None


def _digest(lines: Iterable[str]) -> str:
    sha = hashlib.sha256()
    for line in lines:
        sha.update(line.encode("utf-8", "surrogateescape"))
        sha.update(b"\n")
    return sha.hexdigest()


def file_stamp(path: str) -> str:
    """``path size mtime ctime`` (or ``path missing``): what tells that a file changed."""
    try:
        info = os.stat(path)
    except OSError:
        return f"{path}\0missing"
    return f"{path}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}"


def fingerprint(files: Iterable[str], options: Mapping[str, Any], stamped: Iterable[str] = ()) -> Fingerprint:
    """The fingerprint of a run over *files* (in input order) with *options* (JSON-able; Decimals
    and tuples allowed) and the files that *options* name (*stamped*: packs, column map, config)."""
    inputs = _digest(file_stamp(path) for path in files)
    text = json.dumps(options, sort_keys=True, default=str, ensure_ascii=False)
    return Fingerprint(inputs, _digest([text, *(file_stamp(path) for path in stamped)]))


# --- lines --------------------------------------------------------------------------------------


def _line(payload: object) -> bytes:
    text = _ENCODER.encode(payload).encode("utf-8")
    return b"%08x %s\n" % (zlib.crc32(text), text)


def _parse_line(raw: bytes) -> Any:
    """The JSON value of one complete, intact line; ValueError for anything else."""
    if not raw.endswith(b"\n") or len(raw) < 11 or raw[8:9] != b" ":
        raise ValueError("torn")
    text = raw[9:-1]
    if int(raw[:8], 16) != zlib.crc32(text):
        raise ValueError("checksum")
    return json.loads(text)


def _record(result: CheckResult) -> list[Any]:
    """A result as a JSON array in field order (the header names the fields): half the cost of an
    object, and the journal is written once per client."""
    values = list(result)
    for i in _DECIMALS:
        if values[i] is not None:
            values[i] = str(values[i])
    return values


def records_of(results: Iterable[CheckResult]) -> bytes:
    """The journal records of *results* (a worker makes them; :meth:`Journal.append_records` writes them)."""
    return b"".join(_line(_record(result)) for result in results)


def _result(values: Any, index: int) -> CheckResult:
    if not isinstance(values, list) or len(values) != len(_FIELDS) or values[0] != index:
        raise ValueError("not a result")
    for i in _DECIMALS:
        if values[i] is not None:
            values[i] = Decimal(values[i])
    return CheckResult(*values)


# --- the journal --------------------------------------------------------------------------------


class Journal:
    """An open, locked journal: the clients already done, and an append handle for the rest."""

    def __init__(self, path: Path, handle: IO[bytes], count: int) -> None:
        self.path = path
        self.count = count  # clients already done
        self._handle = handle
        self._next = count
        self._synced = time.monotonic()

    def done(self, size: int = 4096) -> Iterator[list[CheckResult]]:
        """The clients already done, in input order, *size* at a time (read again from the
        journal, which :meth:`open` checked: memory does not grow with their number). Read
        through the locked descriptor with ``pread``: closing any other descriptor of the file
        would release this process's lock on it (POSIX record locks)."""
        fd = self._handle.fileno()
        offset, index = 0, -1  # -1: the header line comes first
        pending = b""
        batch: list[CheckResult] = []
        while index < self.count:
            block = os.pread(fd, 1 << 20, offset)
            if not block:
                break
            offset += len(block)
            lines = (pending + block).split(b"\n")
            pending = lines.pop()
            for raw in lines:
                if index >= 0 and index < self.count:
                    batch.append(_result(_parse_line(raw + b"\n"), index))
                    if len(batch) >= size:
                        yield batch
                        batch = []
                index += 1
        if batch:
            yield batch

    @classmethod
    def open(cls, output: Path, run: Fingerprint, *, resume: bool, say: Callable[[str], None]) -> Journal:
        """Open (creating, resuming or restarting) the journal of *output* and lock it. *say*
        prints one notice line on stderr."""
        path = journal_path(output)
        handle = _open_locked(path)
        try:
            count, keep, why = _read(handle, run) if resume else (0, 0, None)
            torn = keep > 0 and os.fstat(handle.fileno()).st_size > keep
            if why is not None:
                say(f"{path} is from a different run ({why}): starting afresh")
            elif count or torn:
                dropped = " (dropped the torn or damaged end of the journal)" if torn else ""
                say(f"resuming from {path}: {count} client(s) already done{dropped}")
            handle.seek(keep)
            handle.truncate()
            if keep == 0:
                handle.write(_line(run.header()))
            handle.flush()
            os.fsync(handle.fileno())
        except BaseException:
            handle.close()
            raise
        return cls(path, handle, count)

    def append(self, result: CheckResult) -> None:
        """Record one finished client (they come in input order) and hand it to the OS at once."""
        if result.index != self._next:
            raise RuntimeError(f"journal: result {result.index} out of order, expected {self._next}")
        self._handle.write(_line(_record(result)))
        self._handle.flush()
        self._next += 1
        now = time.monotonic()
        if now - self._synced >= _SYNC_SECONDS:
            os.fsync(self._handle.fileno())
            self._synced = now

    def append_records(self, first: int, count: int, records: bytes) -> None:
        """Record *count* finished clients from index *first* on (:func:`records_of` made *records*)."""
        if count == 0:
            return
        if first != self._next:
            raise RuntimeError(f"journal: result {first} out of order, expected {self._next}")
        self._handle.write(records)
        self._handle.flush()
        self._next += count
        now = time.monotonic()
        if now - self._synced >= _SYNC_SECONDS:
            os.fsync(self._handle.fileno())
            self._synced = now

    def finish(self) -> None:
        """The output is written: delete the journal (still holding its lock), then release it."""
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        from creditfix.output import sync_folder

        sync_folder(self.path.parent if str(self.path.parent) else Path("."))
        self.close()

    def close(self) -> None:
        """Release the journal and keep it (an interrupted run resumes from it)."""
        self._handle.close()


def _open_locked(path: Path) -> IO[bytes]:
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        raise UsageError(f"cannot open the journal: {exc.strerror or 'I/O error'}", path=str(path)) from None
    handle = os.fdopen(fd, "r+b")
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UsageError("the journal is not a regular file", path=str(path))
        if info.st_mode & 0o077:
            os.fchmod(fd, 0o600)
        _lock(fd, path)
    except BaseException:
        handle.close()
        raise
    return handle


def _lock(fd: int, path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock, one writer assumed
        return
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        raise UsageError(
            "another creditfix check is writing this output (its journal is locked)", path=str(path)
        ) from None


def _read(handle: IO[bytes], run: Fingerprint) -> tuple[int, int, str | None]:
    """How many intact records a journal whose header matches *run* holds, the byte length of the
    valid prefix, and why the journal cannot be used (None when it can, or when it is new). Each
    record is checked and let go: :meth:`Journal.done` reads them again, a few thousand at a time."""
    handle.seek(0)
    first = handle.readline()
    if not first:
        return 0, 0, None
    try:
        header = _parse_line(first)
    except ValueError:
        return 0, 0, "it is damaged"
    why = run.difference(header) if isinstance(header, dict) else "it is damaged"
    if why is not None:
        return 0, 0, why
    count = 0
    keep = len(first)
    for raw in handle:
        try:
            _result(_parse_line(raw), count)
        except (ValueError, TypeError, KeyError, ArithmeticError):
            break  # a torn or damaged record: it and anything after it are done again
        count += 1
        keep += len(raw)
    return count, keep, None
