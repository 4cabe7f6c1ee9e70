"""Writing results: stdout, or a file written atomically (temp file in the same folder, fsync,
rename) and created 0600, so an interrupted run never leaves a half-written or destroyed report."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from creditfix.errors import UsageError


class AtomicFile:
    """A file that replaces *path* in one step once complete: written to a temp file in the same
    folder (created 0600) that :meth:`commit` fsyncs and renames over *path*; :meth:`discard`, or
    a run that never commits, leaves *path* as it was. Lets a result stream out as it is made."""

    def __init__(self, path: Path, *, encoding: str = "utf-8") -> None:
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise UsageError("the folder for -o does not exist", path=str(path))
        handle, self._temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        self._path = path
        self._out = os.fdopen(handle, "w", encoding=encoding, newline="")
        self._open = True

    def write(self, text: str) -> None:
        self._out.write(text)

    def commit(self) -> None:
        """Make the file *path*; the file is readable by its owner only."""
        self._out.flush()
        os.fsync(self._out.fileno())
        self._out.close()
        os.chmod(self._temp, 0o600)
        os.replace(self._temp, self._path)
        self._open = False

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
