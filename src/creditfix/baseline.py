"""A previous batch run to compare with: ``creditfix check --portfolio --baseline PREVIOUS``.

PREVIOUS is the output of an earlier ``check`` — ``--format json``, ``jsonl`` or ``csv``, or the
``--portfolio`` ``--format json`` or ``csv`` export — read for each client's id, grade and risk
points (the portfolio json keeps no risk points). A client
whose grade is worse now than then is *newly worse* and joins the review list, whatever its grade.
Clients are matched by id (the first row of an id given twice); a client in error in either run
is not compared, and one in error then is counted as such, not as new.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from creditfix.errors import InputError
from creditfix.load.source import decode_utf8, display_name, read_bytes

GRADES = "ABCDE"


@dataclass(frozen=True)
class Previous:
    """One client in the baseline run (grade None: it was in error then)."""

    grade: str | None
    risk_points: int | None


def load_baseline(path: str | Path) -> dict[str, Previous]:
    """Client id → its grade and risk points in the baseline (the first row of a repeated id)."""
    name = display_name(path)
    text = decode_utf8(read_bytes(path), name)  # the caps.table_bytes limit, like a client table
    stripped = text.lstrip()
    if stripped.startswith("{"):
        first_line = stripped.split("\n", 1)[0].strip()
        if first_line == "{":  # an indented JSON document
            return _from_document(text, name)
        return _from_lines(text, name)
    return _from_csv(text, name)


def _entry(record: object, name: str, line: int | None) -> tuple[str, Previous] | None:
    if not isinstance(record, dict):
        raise InputError("expected a client object from creditfix check", path=name, line=line)
    client, grade, points = record.get("client_id"), record.get("grade"), record.get("risk_points")
    if record.get("error") or grade in (None, ""):  # a client in error then: nothing to compare with
        known = isinstance(client, str | int) and not isinstance(client, bool) and str(client) != ""
        return (str(client), Previous(None, None)) if known else None
    if not isinstance(client, str | int) or isinstance(client, bool) or str(client) == "":
        raise InputError("a client without client_id", path=name, line=line, field="client_id")
    if grade not in tuple(GRADES):
        raise InputError(f"grade must be one of {', '.join(GRADES)}", path=name, line=line, field="grade")
    try:
        risk = None if points in (None, "") else int(str(points))
    except ValueError:
        raise InputError("risk_points must be a whole number", path=name, line=line, field="risk_points") from None
    return str(client), Previous(str(grade), risk)


def _from_document(text: str, name: str) -> dict[str, Previous]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError("not valid JSON", path=name, line=exc.lineno) from None
    clients = document.get("clients") if isinstance(document, dict) else None
    if isinstance(document, dict) and document.get("kind") == "portfolio":  # last month's --portfolio json
        view = document.get("portfolio")
        limits = view.get("limits") if isinstance(view, dict) else None
        failed = view.get("failed") if isinstance(view, dict) else None
        if isinstance(limits, list) and isinstance(failed, list):
            clients = [*limits, *failed]  # each with its grade, or its error (no risk points: not kept)
    elif not isinstance(document, dict) or document.get("kind") != "check":
        clients = None
    if not isinstance(clients, list):
        raise InputError(
            "expected the output of creditfix check --format json (or check --portfolio --format json)",
            path=name,
            line=1,
        )
    out: dict[str, Previous] = {}
    for record in clients:
        entry = _entry(record, name, None)
        if entry is not None:
            out.setdefault(*entry)
    return out


def _from_lines(text: str, name: str) -> dict[str, Previous]:
    out: dict[str, Previous] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise InputError("not a JSON line", path=name, line=number) from None
        entry = _entry(record, name, number)
        if entry is not None:
            out.setdefault(*entry)
    return out


def _from_csv(text: str, name: str) -> dict[str, Previous]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None or not {"client_id", "grade", "risk_points"} <= set(header):
        raise InputError("expected a creditfix check CSV with client_id, grade and risk_points", path=name, line=1)
    out: dict[str, Previous] = {}
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        record = dict(zip(header, row, strict=False))
        client = record.get("client_id", "")
        record["client_id"] = client[1:] if client.startswith("'") else client  # spreadsheet-safe cells
        entry = _entry(record, name, number)
        if entry is not None:
            out.setdefault(*entry)
    return out


def worse(now: str | None, then: Previous | None) -> bool:
    """The grade is worse now than in the baseline."""
    return (
        now is not None and then is not None and then.grade is not None and GRADES.index(now) > GRADES.index(then.grade)
    )


def better(now: str | None, then: Previous | None) -> bool:
    """The grade is better now than in the baseline."""
    return (
        now is not None and then is not None and then.grade is not None and GRADES.index(now) < GRADES.index(then.grade)
    )
