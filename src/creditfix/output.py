"""Writing results: stdout, or a file written atomically (temp file in the same folder, fsync,
rename) and created 0600, so an interrupted run never leaves a half-written or destroyed report.

A run killed between creating its temp file and the rename leaves ``.NAME.XXXXXXXX.tmp`` behind;
:func:`remove_leftover_temp_files` removes those of one output (``check -o`` calls it once it
holds the output's journal lock, so no live writer's temp file is touched).
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from collections.abc import Iterable
from pathlib import Path

from creditfix.errors import UsageError

_TEMP_SUFFIX = ".tmp"
#: tempfile.mkstemp's random part: 8 characters of ``a-z0-9_``.
_TEMP_RANDOM = r"[a-z0-9_]{8}"


def _temp_prefix(path: Path) -> str:
    return f".{path.name}."


class AtomicFile:
    """A file that replaces *path* in one step once complete: written to a temp file in the same
    folder (created 0600) that :meth:`commit` fsyncs and renames over *path*; :meth:`discard`, or
    a run that never commits, leaves *path* as it was. Lets a result stream out as it is made."""

    def __init__(self, path: Path, *, encoding: str = "utf-8") -> None:
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise UsageError("no such folder to write the file in", path=str(path))
        import tempfile  # only when a file is written

        handle, self._temp = tempfile.mkstemp(prefix=_temp_prefix(path), suffix=_TEMP_SUFFIX, dir=folder)
        self._path = path
        self._folder = folder
        self._out = os.fdopen(handle, "w", encoding=encoding, newline="")
        self._open = True

    def write(self, text: str) -> None:
        self._out.write(text)

    def write_bytes(self, data: bytes) -> None:
        """Write text already encoded in the file's encoding (after any text written before)."""
        self._out.flush()
        self._out.buffer.write(data)

    def commit(self) -> None:
        """Make the file *path*; the file is readable by its owner only."""
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.chmod(self._temp, 0o600)
        os.replace(self._temp, self._path)
        self._open = False
        sync_folder(self._folder)

    def discard(self) -> None:
        """Drop the temp file unless committed (safe to call in any case)."""
        if self._open:
            self._open = False
            self._out.close()
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self._temp)


def write_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace *path* with *text* in one step; the file is readable by its owner only."""
    out = AtomicFile(path, encoding=encoding)
    try:
        out.write(text)
        out.commit()
    finally:
        out.discard()


def sync_folder(folder: Path) -> None:
    """fsync a folder so that a rename or unlink in it survives a power cut (POSIX; best effort)."""
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def remove_leftover_temp_files(path: Path) -> int:
    """Delete the temp files that interrupted :func:`write_atomic` calls for *path* left behind
    (regular files named exactly like its temp files, nothing else); returns how many."""
    folder = path.parent if str(path.parent) else Path(".")
    pattern = re.compile(re.escape(_temp_prefix(path)) + _TEMP_RANDOM + re.escape(_TEMP_SUFFIX))
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if not pattern.fullmatch(entry.name):
                continue
            with contextlib.suppress(OSError):
                if stat.S_ISREG(entry.stat(follow_symlinks=False).st_mode):
                    os.unlink(entry.path)
                    removed += 1
    return removed


def emit_parts(parts: Iterable[str], output: Path | None, *, encoding: str | None = None) -> None:
    """:func:`emit` of the text that *parts* make together, written as they come: a long output
    is never held whole."""
    if output is not None:
        out = AtomicFile(output, encoding=encoding or "utf-8")
        try:
            for part in parts:
                out.write(part)
            out.commit()
        finally:
            out.discard()
        return
    if encoding is None:
        for part in parts:
            sys.stdout.write(part)
        return
    import codecs

    encoder = codecs.getincrementalencoder(encoding)()  # a BOM once, at the start
    sys.stdout.flush()
    for part in parts:
        sys.stdout.buffer.write(encoder.encode(part))
    sys.stdout.buffer.write(encoder.encode("", final=True))


def emit(text: str, output: Path | None, *, encoding: str | None = None) -> None:
    """Write *text* to *output* (atomically) or to stdout; *encoding* (e.g. ``utf-8-sig`` for CSV
    that spreadsheets open) applies to both."""
    if output is not None:
        write_atomic(output, text, encoding=encoding or "utf-8")
    elif encoding is None:
        sys.stdout.write(text)
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode(encoding))
