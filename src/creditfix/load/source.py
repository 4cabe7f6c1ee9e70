"""Reading bytes from a file or stdin under a size cap, and decoding them as text."""

from __future__ import annotations

import sys
from pathlib import Path

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
        if str(path) == STDIN:
            data = sys.stdin.buffer.read(max_bytes + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
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
