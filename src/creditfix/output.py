"""Writing results: stdout, or a file written atomically (temp file in the same folder, fsync,
rename) and created 0600, so an interrupted run never leaves a half-written or destroyed report."""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from pathlib import Path

from creditfix.errors import UsageError


def write_atomic(path: Path, text: str, *, encoding: str = "utf-8") -> None:
    """Replace *path* with *text* in one step; the file is readable by its owner only."""
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise UsageError("the folder for -o does not exist", path=str(path))
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding=encoding, newline="") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
        raise


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
