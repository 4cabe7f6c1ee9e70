"""JSON output: a stable contract (fields are added, never renamed), Decimals written exactly.

``json`` cannot write a ``Decimal`` without turning it into a binary float; this writer prints its
exact digits instead, so ``18000.10`` stays ``18000.10``. Keys keep insertion order (the catalogue's),
so output is byte-identical across runs.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

try:  # what json.dumps(text, ensure_ascii=False) runs, without importing json (~1 ms)
    from _json import encode_basestring as _string
except ImportError:  # pragma: no cover - a Python without the C accelerator
    from json.encoder import py_encode_basestring as _string

from creditfix.metrics import CATALOGUE, Metrics
from creditfix.model import Profile
from creditfix.money import rounded

#: Version of every JSON document creditfix writes; bumped only on an incompatible change.
SCHEMA_VERSION = 1
_RATIO_PLACES = Decimal("0.0001")


def dumps(value: Any, indent: int = 2) -> str:
    """Serialise dicts, lists, str, int, bool, None, Decimal and date as JSON text."""
    return _write(value, indent, 0) + "\n"


def write_value(value: Any, indent: int, level: int) -> str:
    """*value* as :func:`dumps` writes it *level* levels deep (no newline after it)."""
    return _write(value, indent, level)


def _write(value: Any, indent: int, level: int) -> str:
    if isinstance(value, str):
        return str(_string(value))
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return int.__repr__(value)  # as json writes an int (an IntEnum too)
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return str(_string(value.isoformat()))
    pad, inner = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{_string(str(k))}: {_write(v, indent, level + 1)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, (list, tuple)):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(f"{inner}{_write(v, indent, level + 1)}" for v in value) + f"\n{pad}]"
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def metric_json(name: str, metrics: Metrics) -> dict[str, Any]:
    """``{"value": ..., "unit": ..., ["reason": ...]}`` for one metric; ratios to 4 places."""
    spec = CATALOGUE[name]
    value = metrics.values.get(name)
    if isinstance(value, Decimal) and spec.unit == "ratio":
        value = rounded(value, _RATIO_PLACES)
    out: dict[str, Any] = {"value": value, "unit": spec.unit}
    if name in metrics.unavailable:
        out["reason"] = metrics.unavailable[name]
    if name in metrics.at_least:  # unavailable, but known to be at least this
        out["at_least"] = metrics.at_least[name]
    if name in metrics.supplied:
        out["supplied"] = True
    return out


def client_json(profile: Profile) -> dict[str, Any]:
    """The client block shared by every JSON document."""
    client = profile.client
    return {"id": client.id, "name": client.name, "jurisdiction": client.jurisdiction, "currency": client.currency}


def metrics_document(profile: Profile, metrics: Metrics) -> dict[str, Any]:
    """The ``creditfix metrics --format json`` document."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": "metrics",
        "client": client_json(profile),
        "as_of": metrics.as_of,
        "metrics": {name: metric_json(name, metrics) for name in CATALOGUE},
    }
