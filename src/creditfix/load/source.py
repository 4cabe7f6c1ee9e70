"""Reading bytes from a file or stdin under a size cap, and decoding them as text."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import BinaryIO

from creditfix import caps
from creditfix.errors import InputError

STDIN = "-"


def display_name(path: str | Path) -> str:
    """How a source is named in messages: ``<stdin>`` for ``-``, else the path as given."""
    return "<stdin>" if str(path) == STDIN else str(path)


def read_bytes(path: str | Path, *, cap: str = "table_bytes") -> bytes:
    """The whole content of *path* (``-`` = stdin), refusing anything over the size cap named *cap*
    (``table_bytes``, ``profile_bytes`` or ``pack_bytes``; see :mod:`creditfix.caps`)."""
    name = display_name(path)
    max_bytes: int = getattr(caps.active(), cap)
    try:
        data = sys.stdin.buffer.read(max_bytes + 1) if str(path) == STDIN else _read_file(path, max_bytes + 1)
    except FileNotFoundError:
        raise InputError("no such file", path=name) from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file", path=name) from None
    except PermissionError:
        raise InputError("permission denied", path=name) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or 'I/O error'}", path=name) from None
    if len(data) > max_bytes:
        raise too_large("file", cap, name)
    return data


#: What one read asks for: a profile is a few kilobytes, read in one call.
_READ = 1 << 16


def _read_file(path: str | Path, limit: int) -> bytes:
    """Up to *limit* bytes of the file *path* (or pipe), with plain system calls: a buffered
    file's ``read(limit)`` sets aside *limit* bytes (the 2 MB cap) for every profile read, and
    costs ~20 µs more a file than the data itself."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    try:
        parts = []
        size = 0
        while size < limit:
            data = os.read(descriptor, min(limit - size, _READ))
            if not data:  # the end (a short read is not, from a pipe)
                break
            parts.append(data)
            size += len(data)
        return parts[0] if len(parts) == 1 else b"".join(parts)
    finally:
        os.close(descriptor)


def open_table(path: str | Path) -> bytes | BinaryIO:
    """*path* to read a client table from: an open file that can be read more than once as a
    stream (memory does not grow with its size), or, for stdin and pipes, the bytes read once.
    The same refusals as :func:`read_bytes`, size cap ``table_bytes`` included."""
    if str(path) == STDIN:
        return read_bytes(path)
    name = display_name(path)
    try:
        handle = open(path, "rb")  # noqa: SIM115 - the caller reads and closes it
    except (FileNotFoundError, IsADirectoryError, PermissionError, OSError):
        return read_bytes(path)  # the same error, worded in one place
    try:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            handle.close()
            return read_bytes(path)
        if info.st_size > caps.active().table_bytes:
            raise too_large("file", "table_bytes", name)
    except BaseException:
        handle.close()
        raise
    return handle


def too_large(what: str, cap: str, name: str) -> InputError:
    """The one-line refusal of an input over the size cap named *cap*."""
    limit = caps.size_text(getattr(caps.active(), cap))
    return InputError(f"{what} is larger than the {limit} limit{caps.hint(cap)}", path=name)


def decode_utf8(data: bytes, name: str) -> str:
    """UTF-8 (a BOM is dropped), or one line naming the first bad byte's line."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError("not UTF-8 text; save the file as UTF-8", path=name, line=line) from None
