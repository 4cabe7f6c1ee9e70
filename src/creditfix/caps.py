"""Caps on the work one input may cause: file sizes, YAML nesting, list lengths, rows per client
table, and the size of a rule condition.

The defaults keep a hostile file's cost well under a second and 100 MB (RELIABILITY.md 4). A
config file may raise or lower them (``caps: {profile_bytes: 5MB, table_rows: 2000000}``), and so
may the environment (``CREDITFIX_CAPS=table_rows=2000000,profile_bytes=5MB``). The loaders read
the caps that are active in the process (:func:`active`); the CLI sets them from the settings
once per run, and ``check`` workers set them when they start.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Any

_MB = 1024 * 1024


@dataclass(frozen=True)
class Caps:
    """The caps in force; every field is a positive integer."""

    profile_bytes: int = 2 * _MB  # a long YAML profile is tens of kilobytes
    table_bytes: int = 20 * _MB  # client tables and other input files (column maps, stdin)
    pack_bytes: int = 2 * _MB  # a rule pack; the built-in ones are about 60 KB
    yaml_depth: int = 64  # a profile needs 4 levels, a rule pack 6
    table_rows: int = 1_000_000  # client rows in one table (one row is held at a time)
    debts: int = 200  # a person has tens of accounts, not thousands
    payments: int = 5000  # itemised payments in one profile: years of them
    inquiries: int = 1000  # credit inquiries in one profile
    events: int = 200  # future events in one profile
    expr_chars: int = 500  # characters in a rule's ``when`` or a text placeholder
    expr_nodes: int = 100  # syntax nodes in one such expression
    client_seconds: int = 10  # one client in check: a profile takes milliseconds


#: One line per cap, for the README, ``creditfix config`` and error messages.
MEANINGS = {
    "profile_bytes": "largest YAML profile read",
    "table_bytes": "largest client table (or other input file) read",
    "pack_bytes": "largest rule pack read",
    "yaml_depth": "deepest YAML nesting accepted",
    "table_rows": "most client rows in one table",
    "debts": "most debts in one profile",
    "payments": "most payments in one profile",
    "inquiries": "most inquiries in one profile",
    "events": "most events in one profile",
    "expr_chars": "longest rule condition, in characters",
    "expr_nodes": "most syntax nodes in one rule condition",
    "client_seconds": "longest check works on one client before stopping it",
}
NAMES = tuple(f.name for f in fields(Caps))
DEFAULT = Caps()
ENV = "CREDITFIX_CAPS"
_SIZE = r"\s*([0-9]+)\s*(|[kKmMgG][bB]?)\s*"  # compiled when first used (re caches it): rarely
_UNITS = {"": 1, "k": 1024, "m": _MB, "g": 1024 * _MB}

_active = DEFAULT


def active() -> Caps:
    """The caps in force in this process."""
    return _active


def use(caps: Caps) -> None:
    """Put *caps* in force in this process (the CLI once per run; each ``check`` worker)."""
    global _active
    _active = caps


def with_overrides(overrides: dict[str, int]) -> Caps:
    """The defaults with *overrides* (already validated by :func:`parse_value`) applied."""
    return replace(DEFAULT, **overrides)


def parse_value(name: str, value: Any) -> int:
    """A cap's value from a config file or the environment: a positive integer; sizes may say
    ``KB``/``MB``/``GB`` (``5MB``). Raises ValueError with the reason."""
    if isinstance(value, bool):
        raise ValueError("expected a positive whole number")
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and name.endswith("_bytes") and (match := re.fullmatch(_SIZE, value)):
        number = int(match.group(1)) * _UNITS[match.group(2)[:1].lower()]
    elif isinstance(value, str) and value.strip().isdigit():
        number = int(value)
    else:
        unit = " (or a size such as 5MB)" if name.endswith("_bytes") else ""
        raise ValueError(f"expected a positive whole number{unit}")
    if number < 1:
        raise ValueError("expected a positive whole number")
    return number


def parse_env(text: str) -> dict[str, int]:
    """``name=value,name=value`` from :data:`ENV`. Raises ValueError naming the bad part."""
    from creditfix.errors import did_you_mean

    result: dict[str, int] = {}
    for part in text.split(","):
        if not part.strip():
            continue
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep:
            raise ValueError("expected name=value pairs separated by commas")
        if name not in NAMES:
            raise ValueError(f"unknown cap{did_you_mean(name, NAMES)}")
        try:
            result[name] = parse_value(name, value.strip())
        except ValueError as exc:
            raise ValueError(f"{name}: {exc}") from None
    return result


def size_text(count: int) -> str:
    """``2 MB`` for whole megabytes, else ``1500 bytes``."""
    return f"{count // _MB} MB" if count % _MB == 0 else f"{count} bytes"


def hint(name: str) -> str:
    """How to raise cap *name*, appended to every refusal so the one line says what to do."""
    return f" (raise caps.{name} in the config or {ENV})"
