"""``creditfix check`` output: a ranked Rich table, JSON, JSON lines (streamed) or spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from creditfix.check import CheckResult
from creditfix.formats.jsonout import SCHEMA_VERSION, dumps, write_value

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
    """One compact JSON line: ``json.dumps(result_json(result), ensure_ascii=False)`` and a newline,
    written field by field (a batch writes one per client; tests hold it to ``json.dumps``)."""
    top = (
        _TOP % (_text(result.top_rule), _json(result.top_severity), _json(result.top_title))
        if result.top_rule
        else "null"
    )
    counts = result.counts
    return _LINE % (
        _json(result.client_id),
        _text(result.source),
        _json(result.line),
        _json(result.grade),
        _json(result.risk_points),
        _counts_json(counts) if counts else "null",
        top,
        _json(result.error),
    )


_LINE = (
    '{"client_id": %s, "source": %s, "line": %s, "grade": %s, "risk_points": %s, "counts": %s, "top": %s, '
    '"error": %s}\n'
)
_TOP = '{"rule": %s, "severity": %s, "title": %s}'
_text = json.encoder.encode_basestring  # what dumps(ensure_ascii=False) uses


def _json(value: str | int | None) -> str:
    if value is None:
        return "null"
    return _text(value) if isinstance(value, str) else str(int(value))


def _counts_json(counts: Mapping[str, int]) -> str:
    key = tuple(counts.items())
    found = _COUNTS_TEXT.get(key)
    if found is None:
        if len(_COUNTS_TEXT) >= 4096:
            _COUNTS_TEXT.clear()
        found = _COUNTS_TEXT[key] = json.dumps(counts)
    return found


_COUNTS_TEXT: dict[tuple[tuple[str, int], ...], str] = {}


def json_document(results: Sequence[CheckResult], summary: dict[str, Any], packs: Sequence[dict[str, str]] = ()) -> str:
    """The whole batch, ranked by risk, with the packs (and versions) clients were checked with."""
    return "".join(json_parts(results, summary, packs))


#: Clients per piece of streamed output: the text of a hundred thousand clients is never one string.
_PIECE = 256


def json_parts(
    results: Sequence[CheckResult], summary: dict[str, Any], packs: Sequence[dict[str, str]] = ()
) -> Iterator[str]:
    """:func:`json_document` in pieces, a few clients at a time (``dumps`` of the same document)."""
    head = dumps({"schema_version": SCHEMA_VERSION, "kind": "check", "packs": list(packs), "summary": summary})
    head = head.removesuffix("\n}\n")
    if not results:
        yield head + ',\n  "clients": []\n}\n'
        return
    yield head + ',\n  "clients": [\n'
    for begin in range(0, len(results), _PIECE):
        part = ",\n".join("    " + write_value(result_json(r), 2, 2) for r in results[begin : begin + _PIECE])
        yield part if begin == 0 else ",\n" + part
    yield "\n  ]\n}\n"


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_text(results: Sequence[CheckResult]) -> str:
    """All results as CSV (the caller writes it as utf-8-sig so that Excel shows Chinese)."""
    return "".join(csv_parts(results))


def csv_parts(results: Sequence[CheckResult]) -> Iterator[str]:
    """:func:`csv_text` in pieces, a few clients at a time."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for number, r in enumerate(results, start=1):
        counts = r.counts or {}
        row = [
            r.client_id, r.source, r.line, r.grade, r.risk_points,
            *(counts.get(s) if r.error is None else None for s in ("critical", "high", "medium", "low", "info")),
            r.top_rule, r.top_severity, r.top_title, r.error,
        ]  # fmt: skip
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
        if number % _PIECE == 0:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()


#: Clients rendered at once in the ranked table: a Rich table holds every cell and line of its
#: rendering, several kilobytes a client, so long tables are drawn a slice at a time.
TABLE_SLICE = 1000
_HEADERS = (("#", "right"), ("client", "left"), ("grade", "center"), ("risk", "right"), ("top finding / error", "left"))


def render_table(results: Sequence[CheckResult], console: Any) -> None:
    """Ranked by risk points, errors last. More than :data:`TABLE_SLICE` clients are drawn in
    slices with the column widths of the whole table, one table on screen."""
    title = f"{len(results)} clients, ranked by risk"
    if len(results) <= TABLE_SLICE:
        console.print(_table(results, 1, title))
        return
    from rich.segment import Segments

    widths = _widths(results, console.width)
    last = (len(results) - 1) // TABLE_SLICE
    for number, begin in enumerate(range(0, len(results), TABLE_SLICE)):
        part = _table(results[begin : begin + TABLE_SLICE], begin + 1, title if number == 0 else None, widths)
        lines = console.render_lines(part, console.options, pad=False, new_lines=True)
        if number > 0:
            lines = lines[1:]  # its top edge: the table goes on
        if number < last:
            lines = lines[:-1]  # its bottom edge
        console.print(Segments([segment for line in lines for segment in line]), end="")


def _table(results: Sequence[CheckResult], first: int, title: str | None, widths: Sequence[int] = ()) -> Any:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=title, title_justify="left", show_header=title is not None)
    for index, (column, justify) in enumerate(_HEADERS):
        table.add_column(column, justify=justify, width=widths[index] if widths else None)  # type: ignore[arg-type]
    for rank, r in enumerate(results, start=first):
        if r.error:
            table.add_row(str(rank), Text(r.client_id or r.source), "—", "—", Text(r.error, style="red"))
        else:
            top = Text(f"[{r.top_severity}] {r.top_title}") if r.top_rule else Text("nothing to fix", style="green")
            table.add_row(str(rank), Text(r.client_id or r.source), r.grade or "", str(r.risk_points), top)
    return table


def _widths(results: Sequence[CheckResult], console_width: int) -> list[int]:
    """Each column's width for the whole table: its widest cell, the last column narrowed (its text
    wraps) so that the table fits the console."""
    from rich.cells import cell_len

    widths = [len(str(len(results))), 0, 1, 1, 0]
    for r in results:
        widths[1] = max(widths[1], cell_len(r.client_id or r.source))
        widths[3] = max(widths[3], len(str(r.risk_points)))
        top = r.error or (f"[{r.top_severity}] {r.top_title}" if r.top_rule else "nothing to fix")
        widths[4] = max(widths[4], cell_len(top))
    widths = [max(w, cell_len(header)) for w, (header, _) in zip(widths, _HEADERS, strict=True)]
    frame = 3 * len(widths) + 1  # padding of one space each side and a rule between columns
    widths[4] = max(min(widths[4], console_width - frame - sum(widths[:4])), cell_len(_HEADERS[4][0]))
    return widths
