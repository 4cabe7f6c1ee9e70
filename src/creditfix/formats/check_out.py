"""``creditfix check`` output: a ranked Rich table, JSON, JSON lines (streamed) or spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence
from typing import Any

from creditfix.check import CheckResult
from creditfix.formats.jsonout import SCHEMA_VERSION, dumps

CSV_COLUMNS = (
    "client_id", "source", "line", "grade", "risk_points", "critical", "high", "medium", "low", "info",
    "top_rule", "top_severity", "top_title", "error",
)  # fmt: skip
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def result_json(result: CheckResult) -> dict[str, Any]:
    """One client as a JSON object (the same fields in json and jsonl)."""
    return {
        "client_id": result.client_id,
        "source": result.source,
        "line": result.line,
        "grade": result.grade,
        "risk_points": result.risk_points,
        "counts": result.counts or None,
        "top": {"rule": result.top_rule, "severity": result.top_severity, "title": result.top_title}
        if result.top_rule
        else None,
        "error": result.error,
    }


def jsonl_line(result: CheckResult) -> str:
    """One compact JSON line."""
    return json.dumps(result_json(result), ensure_ascii=False) + "\n"


def json_document(results: Sequence[CheckResult], summary: dict[str, Any], packs: Sequence[dict[str, str]] = ()) -> str:
    """The whole batch, ranked by risk, with the packs (and versions) clients were checked with."""
    return dumps(
        {
            "schema_version": SCHEMA_VERSION,
            "kind": "check",
            "packs": list(packs),
            "summary": summary,
            "clients": [result_json(r) for r in results],
        }
    )


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(results: Sequence[CheckResult]) -> str:
    """All results as CSV (the caller writes it as utf-8-sig so that Excel shows Chinese)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for r in results:
        counts = r.counts or {}
        row = [
            r.client_id, r.source, r.line, r.grade, r.risk_points,
            *(counts.get(s) if r.error is None else None for s in ("critical", "high", "medium", "low", "info")),
            r.top_rule, r.top_severity, r.top_title, r.error,
        ]  # fmt: skip
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return out.getvalue()


def render_table(results: Sequence[CheckResult], console: Any) -> None:
    """Ranked by risk points, errors last."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(results)} clients, ranked by risk", title_justify="left")
    for column, justify in (
        ("#", "right"),
        ("client", "left"),
        ("grade", "center"),
        ("risk", "right"),
        ("top finding / error", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for rank, r in enumerate(results, start=1):
        if r.error:
            table.add_row(str(rank), Text(r.client_id or r.source), "—", "—", Text(r.error, style="red"))
        else:
            top = Text(f"[{r.top_severity}] {r.top_title}") if r.top_rule else Text("nothing to fix", style="green")
            table.add_row(str(rank), Text(r.client_id or r.source), r.grade or "", str(r.risk_points), top)
    console.print(table)
