"""``creditfix check`` output: a ranked Rich table, JSON, JSON lines (streamed) or spreadsheet-safe CSV."""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import repeat
from operator import itemgetter
from types import SimpleNamespace
from typing import Any, TypeVar

from creditfix.check import CheckResult
from creditfix.formats import CheckFormat
from creditfix.formats.jsonout import SCHEMA_VERSION, dumps, write_value

CSV_COLUMNS = (
    "client_id", "source", "line", "grade", "provisional", "risk_points", "critical", "high", "medium", "low", "info",
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
        "provisional": None if result.error is not None else result.provisional,
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
    return _LINE % _fields(result, _TOP, _COUNTS_TEXT, None)


def jsonl_lines(results: Iterable[CheckResult]) -> str:
    """``"".join(map(jsonl_line, results))``, written with the text of each distinct grading and
    top finding kept (bounded) rather than written again: a few hundred gradings and a few thousand
    top findings cover a hundred thousand clients. A batch without errors is written a field at a
    time: each field's texts looked up together, only those not kept made one by one."""
    results = results if isinstance(results, list) else list(results)
    if not results:
        return ""
    client_ids, sources, lines, grades, doubts, risks, counts, rules, severities, titles, errors = zip(
        *map(_JSONL_FIELDS, results), strict=True
    )
    if errors.count(None) != len(errors):
        return _jsonl_each(results)
    source_texts = list(map(_SOURCES.get, sources))
    if None in source_texts:
        for number, (text, source) in enumerate(zip(source_texts, sources, strict=True)):
            if text is None:
                source_texts[number] = _SOURCES.get(source) or _kept(_SOURCES, source, _text(source))
    # counts by identity: the text kept holds the dict, so no other dict can take its id
    grading_keys = list(zip(grades, doubts, risks, map(id, counts), strict=True))
    gradings: list[Any] = list(map(_GRADINGS.get, grading_keys))  # (grading's counts, text), None: not kept
    if None in gradings:
        for number, (found, key) in enumerate(zip(gradings, grading_keys, strict=True)):
            if found is None:
                found = _GRADINGS.get(key)
                if found is None:
                    text = _GRADING % _fields(results[number], _TOP, _COUNTS_TEXT, None)[3:7]
                    found = _kept(_GRADINGS, key, (counts[number], text))
                gradings[number] = found
    top_keys = list(zip(rules, severities, titles, strict=True))
    tops = list(map(_TOPS.get, top_keys))
    if None in tops:
        for number, (top, top_key) in enumerate(zip(tops, top_keys, strict=True)):
            if top is None:
                top = _TOPS.get(top_key)
                if top is None:
                    top = _kept(_TOPS, top_key, _fields(results[number], _TOP, _COUNTS_TEXT, None)[7])
                tops[number] = top
    clients = map(_text, client_ids) if set(map(type, client_ids)) == {str} else map(_json, client_ids)
    numbers = map(str, lines) if set(map(type, lines)) == {int} else map(_json, lines)
    texts = zip(clients, source_texts, numbers, map(itemgetter(1), gradings), tops, strict=True)
    return "".join(map(_GRADED.__mod__, texts))


def _jsonl_each(results: Iterable[CheckResult]) -> str:
    """:func:`jsonl_lines` a result at a time (a batch with errors)."""
    lines: list[str] = []
    append = lines.append
    for result in results:
        client_id, source, line, grade, provisional, risk_points, counts, rule, severity, title, error = _JSONL_FIELDS(
            result
        )
        if error is not None:
            append(jsonl_line(result))
            continue
        source = _SOURCES.get(source) or _kept(_SOURCES, source, _text(source))
        key = (grade, provisional, risk_points, id(counts))
        graded = _GRADINGS.get(key)
        if graded is None:
            text = _GRADING % _fields(result, _TOP, _COUNTS_TEXT, None)[3:7]
            graded = _kept(_GRADINGS, key, (counts, text))
        top = _TOPS.get((rule, severity, title))
        if top is None:
            top = _kept(_TOPS, (rule, severity, title), _fields(result, _TOP, _COUNTS_TEXT, None)[7])
        client = _text(client_id) if type(client_id) is str else _json(client_id)
        append(_GRADED % (client, source, str(line) if type(line) is int else _json(line), graded[1], top))
    return "".join(lines)


#: The fields of a result that its jsonl line shows, in one call.
_JSONL_FIELDS = itemgetter(
    *map(
        CheckResult._fields.index,
        ("client_id", "source", "line", "grade", "provisional", "risk_points", "counts", "top_rule", "top_severity",
         "top_title", "error"),
    )
)  # fmt: skip


_V = TypeVar("_V")


def _kept(texts: dict[Any, _V], key: object, text: _V) -> _V:
    """*text*, kept in *texts* under *key* (emptied when it holds 4,096)."""
    if len(texts) >= 4096:
        texts.clear()
    texts[key] = text
    return text


_SOURCES: dict[str, str] = {}
_GRADINGS: dict[tuple[str | None, bool, int | None, int], tuple[Mapping[str, int], str]] = {}
_TOPS: dict[tuple[str | None, str | None, str | None], str] = {}
_GRADING = '"grade": %s, "provisional": %s, "risk_points": %s, "counts": %s'
_GRADED = '{"client_id": %s, "source": %s, "line": %s, %s, "top": %s, "error": null}\n'


def _fields(
    result: CheckResult, top: str, known: dict[tuple[tuple[str, int], ...], str], indent: int | None
) -> tuple[str, ...]:
    """The JSON text of each value of :func:`result_json`, objects written with *top* (the template of
    ``top``) and *indent* (as ``json.dumps``; counts remembered in *known*)."""
    counts = result.counts
    return (
        _json(result.client_id),
        _text(result.source),
        _json(result.line),
        _json(result.grade),
        "null" if result.error is not None else "true" if result.provisional else "false",
        _json(result.risk_points),
        _counts_json(counts, known, indent) if counts else "null",
        top % (_text(result.top_rule), _json(result.top_severity), _json(result.top_title))
        if result.top_rule
        else "null",
        _json(result.error),
    )


_LINE = (
    '{"client_id": %s, "source": %s, "line": %s, "grade": %s, "provisional": %s, "risk_points": %s, "counts": %s, '
    '"top": %s, "error": %s}\n'
)
_TOP = '{"rule": %s, "severity": %s, "title": %s}'
_text = json.encoder.encode_basestring  # what dumps(ensure_ascii=False) uses


def _json(value: str | int | None) -> str:
    if value is None:
        return "null"
    return _text(value) if isinstance(value, str) else str(int(value))


def _counts_json(counts: Mapping[str, int], known: dict[tuple[tuple[str, int], ...], str], indent: int | None) -> str:
    key = tuple(counts.items())
    found = known.get(key)
    if found is None:
        if len(known) >= 4096:
            known.clear()
        found = known[key] = json.dumps(counts) if indent is None else write_value(counts, 2, indent)
    return found


_COUNTS_TEXT: dict[tuple[tuple[str, int], ...], str] = {}
_COUNTS_INDENTED: dict[tuple[tuple[str, int], ...], str] = {}


#: Clients per piece of streamed output: the text of a hundred thousand clients is never one string.
_PIECE = 256


def _pieces(records: Iterable[str]) -> Iterator[list[str]]:
    """*records* a :data:`_PIECE` at a time."""
    source = iter(records)
    while piece := list(itertools.islice(source, _PIECE)):
        yield piece


def json_records(results: Sequence[CheckResult]) -> list[str]:
    """Each client's object as the json document's ``clients`` list holds it (indented, no comma):
    ``"    " + write_value(result_json(r), 2, 2)``, written field by field (tests hold it to that)."""
    return [_OBJECT % _fields(r, _TOP_INDENTED, _COUNTS_INDENTED, 3) for r in results]


_OBJECT = (
    '    {\n      "client_id": %s,\n      "source": %s,\n      "line": %s,\n      "grade": %s,\n'
    '      "provisional": %s,\n      "risk_points": %s,\n      "counts": %s,\n      "top": %s,\n'
    '      "error": %s\n    }'
)
_TOP_INDENTED = '{\n        "rule": %s,\n        "severity": %s,\n        "title": %s\n      }'


def json_parts(records: Iterable[str], summary: dict[str, Any], packs: Sequence[dict[str, str]] = ()) -> Iterator[str]:
    """The json document of a batch in pieces: the packs (and versions) clients were checked with, the
    summary, and the clients' :func:`json_records` in ranked order (``dumps`` of the whole document)."""
    head = dumps({"schema_version": SCHEMA_VERSION, "kind": "check", "packs": list(packs), "summary": summary})
    head = head.removesuffix("\n}\n")
    pieces = _pieces(records)
    first = next(pieces, None)
    if first is None:
        yield head + ',\n  "clients": []\n}\n'
        return
    yield head + ',\n  "clients": [\n' + ",\n".join(first)
    for piece in pieces:
        yield ",\n" + ",\n".join(piece)
    yield "\n  ]\n}\n"


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_records(results: Sequence[CheckResult]) -> list[str]:
    """Each client's CSV row (with its CRLF)."""
    rows = []
    for r in results:
        counts = r.counts or {}
        row = [
            r.client_id, r.source, r.line, r.grade, None if r.error is not None else str(r.provisional).lower(),
            r.risk_points,
            *(counts.get(s) if r.error is None else None for s in ("critical", "high", "medium", "low", "info")),
            r.top_rule, r.top_severity, r.top_title, r.error,
        ]  # fmt: skip
        rows.append(["" if v is None else safe_cell(v) for v in row])
    return _csv_lines(rows)


def _csv_lines(rows: Iterable[Sequence[object]]) -> list[str]:
    lines: list[str] = []
    csv.writer(SimpleNamespace(write=lines.append), lineterminator="\r\n").writerows(rows)  # one write a row
    return lines


def csv_parts(records: Iterable[str]) -> Iterator[str]:
    """The CSV of a batch in pieces: the header, then the clients' :func:`csv_records` in ranked order
    (the caller writes it as utf-8-sig so that Excel shows Chinese)."""
    yield _csv_lines([CSV_COLUMNS])[0]
    for piece in _pieces(records):
        yield "".join(piece)


#: The most clients drawn as a Rich table on a terminal; more (or any number to a pipe or file) are
#: written as :func:`plain_table_parts`. Rich takes ~0.4 ms a client: a thousand rows are drawn in
#: under half a second, and are more than a screen can show anyway.
RICH_ROWS = 1000
_HEADERS = (("#", "right"), ("client", "left"), ("grade", "center"), ("risk", "right"), ("top finding / error", "left"))


def _title(count: int) -> str:
    return f"{count} client{'' if count == 1 else 's'}, ranked by risk"


def render_table(results: Sequence[CheckResult], console: Any) -> None:
    """The ranked *results* (see :func:`~creditfix.check.ranked`) as a Rich table, for a terminal."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title=_title(len(results)), title_justify="left")
    for column, justify in _HEADERS:
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for rank, r in enumerate(results, start=1):
        if r.error:
            table.add_row(str(rank), Text(r.client_id or r.source), "—", "—", Text(r.error, style="red"))
        else:
            top = Text(f"[{r.top_severity}] {r.top_title}") if r.top_rule else Text(_nothing(r), style="green")
            table.add_row(str(rank), Text(r.client_id or r.source), _grade(r), str(r.risk_points), top)
    console.print(table)


#: Control characters (C0, DEL, C1) become spaces in the plain table: one line per client, and no
#: escape sequence from an input file reaches a terminal.
CONTROLS = str.maketrans(dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)], " "))


def table_records(results: Sequence[CheckResult]) -> list[str]:
    """Each client's cells of the plain table but its rank: client, grade, risk, top finding or
    error, tab-separated (cells hold no tabs: control characters are spaces)."""
    records = []
    for r in results:
        client = r.client_id or r.source
        if not (client.isascii() and client.isprintable()):  # printable ASCII has no control character
            client = client.translate(CONTROLS)
        if r.error:
            records.append(f"{client}\t—\t—\t{r.error.translate(CONTROLS)}")
            continue
        top = _nothing(r)
        if r.top_rule:
            top = _TOP_CELLS.get((r.top_severity, r.top_title)) or _kept(
                _TOP_CELLS, (r.top_severity, r.top_title), f"[{r.top_severity}] {r.top_title}".translate(CONTROLS)
            )
        records.append(f"{client}\t{_grade(r)}\t{r.risk_points}\t{top}")
    return records


def _grade(result: CheckResult) -> str:
    """The grade cell: ``A?`` for a provisional grade (too little data to be sure of it)."""
    return f"{result.grade or ''}{'?' if result.provisional else ''}"


def _nothing(result: CheckResult) -> str:
    """The top finding cell of a client without findings."""
    return "nothing found: too little data" if result.provisional else "nothing to fix"


#: The top finding / error cell of the plain table, by severity and title (a few thousand titles).
_TOP_CELLS: dict[tuple[str | None, str | None], str] = {}


def plain_table_parts(count: int, measure: Iterable[str], rows: Iterable[str]) -> Iterator[str]:
    """The ranked table as plain text, in pieces: a title line, a header line, a line of dashes,
    then one line per client — the columns of the Rich table, aligned with spaces (two between
    columns, widths in terminal cells), nothing wrapped or cut, no trailing spaces. *measure* and
    *rows* are the clients' :func:`table_records`, in any order (for the column widths) and in
    ranked order. Records are split and padded a piece (:data:`_PIECE` of them) at a time."""
    widths = [len(str(count)), 0, 1, 1, 0]
    for piece in _pieces(measure):
        clients, _, risks, tops, ascii = _record_cells(piece)
        widths[1] = max(widths[1], max(map(len, clients)) if ascii else max(map(cell_width, clients)))
        widths[3] = max(widths[3], max(map(len, risks)))
        widths[4] = max(widths[4], max(map(len, tops)) if ascii else max(map(cell_width, tops)))
    widths = [max(width, len(header)) for width, (header, _) in zip(widths, _HEADERS, strict=True)]
    head = [fit_cell(header, width, justify) for width, (header, justify) in zip(widths, _HEADERS, strict=True)]
    yield f"{_title(count)}\n{'  '.join(head).rstrip()}\n{'  '.join('-' * width for width in widths)}\n"
    number, client_width, grade_width, risk_width = widths[0], widths[1], widths[2], widths[3]
    centred: dict[str, str] = {}  # each grade's cell (a handful of grades)
    rank = 0
    for piece in _pieces(rows):
        clients, grades, risks, tops, ascii = _record_cells(piece)
        ranks = map(str.rjust, map(str, range(rank + 1, rank + len(piece) + 1)), repeat(number))
        rank += len(piece)
        if ascii:  # a cell's width is its length
            padded: Iterable[str] = map(str.ljust, clients, repeat(client_width))
        else:
            padded = [fit_cell(client, client_width, "left") for client in clients]
        for grade in set(grades).difference(centred):
            centred[grade] = f"{grade:^{grade_width}}"
        cells = map(centred.__getitem__, grades)
        yield "".join(map(_ROW.format, ranks, padded, cells, map(str.rjust, risks, repeat(risk_width)), tops))


#: A line of the plain table: rank, client, grade, risk, top finding (each already padded).
_ROW = "{}  {}  {}  {}  {}\n"


def _record_cells(records: list[str]) -> tuple[list[str], list[str], list[str], list[str], bool]:
    """The clients, grades, risks and top findings of some :func:`table_records` (split all at
    once), and whether they are all ASCII."""
    text = "\t".join(records)
    cells = text.split("\t")
    if len(cells) != 4 * len(records):  # not four cells each: as unpacking each record would say
        for record in records:
            _client, _grade, _risk, _top = record.split("\t")
    return cells[0::4], cells[1::4], cells[2::4], cells[3::4], text.isascii()


def cell_width(text: str) -> int:
    """Terminal cells that *text* takes (two for a Chinese character)."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def fit_cell(text: str, width: int, justify: str) -> str:
    """*text* padded to *width* cells."""
    pad = width - cell_width(text)
    if justify == "right":
        return " " * pad + text
    if justify == "center":
        return " " * (pad // 2) + text + " " * (pad - pad // 2)
    return text + " " * pad


#: The record each ranked format keeps of a client until the output is written (see
#: :class:`~creditfix.ranking.Ranking`); jsonl is not ranked: its lines stream in input order.
RECORDS = {CheckFormat.json: json_records, CheckFormat.csv: csv_records, CheckFormat.table: table_records}
