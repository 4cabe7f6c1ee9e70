"""Loaders: the only code that reads input files. Everything they return is validated and located.

``load_profile`` reads a YAML profile, a client table (``.csv``; pick a row with ``client``) or
stdin (``-``: a table when its first line is a client-table header, else YAML).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from creditfix import caps
from creditfix.errors import InputError
from creditfix.load.profile import load_yaml_profile, parse_profile_text
from creditfix.load.source import STDIN, decode_utf8, display_name, read_bytes, too_large

if TYPE_CHECKING:
    from creditfix.load.table import ColumnMap, TableRow, iter_table, load_column_map
    from creditfix.model import Profile

__all__ = ["ColumnMap", "TableRow", "is_table", "iter_table", "load_column_map", "load_profile"]

#: Client tables are read by creditfix.load.table, imported when a table is (not for a YAML profile).
_FROM_TABLE = frozenset({"ColumnMap", "TableRow", "iter_table", "load_column_map"})


def __getattr__(name: str) -> Any:
    if name in _FROM_TABLE:
        from creditfix.load import table

        return getattr(table, name)
    raise AttributeError(f"module 'creditfix.load' has no attribute {name!r}")


def is_table(path: str | Path) -> bool:
    """Whether *path* names a client table (by its ``.csv``/``.tsv`` suffix)."""
    return Path(str(path)).suffix.lower() in (".csv", ".tsv")


def load_profile(
    path: str | Path,
    *,
    client: str | None = None,
    columns: ColumnMap | None = None,
    encoding: str | None = None,
) -> Profile:
    """Load one profile from a YAML file, a client-table row, or stdin (``-``).

    Raises :class:`creditfix.errors.InputError` (one located line) for anything invalid.
    """
    name = display_name(path)
    if str(path) == STDIN or is_table(path):
        from creditfix.load.table import iter_table, looks_like_table, pick_row
    if str(path) == STDIN:
        data = read_bytes(path)
        head = data[:4096].lstrip(b"\xef\xbb\xbf").decode("utf-8", "replace").lstrip().split("\n", 1)[0]
        if looks_like_table(head, columns):
            return pick_row(iter_table(path, columns=columns, encoding=encoding, data=data), client, name)
        if client is not None:
            raise InputError("--client applies to client tables only", path=name)
        if len(data) > caps.active().profile_bytes:
            raise too_large("profile", "profile_bytes", name)
        return parse_profile_text(decode_utf8(data, name), name)
    if is_table(path):
        return pick_row(iter_table(path, columns=columns, encoding=encoding), client, name)
    if client is not None:
        raise InputError("--client applies to client tables only", path=name)
    return load_yaml_profile(path)
