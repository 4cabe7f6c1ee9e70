"""Reading CSV the way spreadsheets and banks export it, strictly.

Encodings: a BOM is honoured; otherwise UTF-8, then GB18030 (Chinese exports), then cp1252 are
tried, and a guessed encoding is accepted only when the header it yields is recognised (a cp1252
file "decodes" as GB18030 into garbage). Delimiter: ``,`` ``;`` tab or ``|``, whichever the header
line uses most. Quotes are strict (an unterminated quote is an error, not a swallowed file), rows
must have as many cells as the header, a header may not repeat, and blank rows are skipped and
counted.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from creditfix.errors import InputError

_DELIMITERS = (",", ";", "\t", "|")
_GUESSES = ("utf-8", "gb18030", "cp1252")


class RaggedRowError(InputError):
    """A row whose cell count differs from the header's; keeps the cells so a batch can name the client."""

    def __init__(self, cells: list[str], reason: str, *, path: str, line: int) -> None:
        super().__init__(reason, path=path, line=line)
        self.cells = cells


@dataclass
class CsvTable:
    """A decoded, checked CSV: header cells and rows with the line each row starts on.

    A row with the wrong number of cells arrives as an :class:`InputError` in place of its cells,
    so that a batch reports it and goes on; a broken quote ends the table with an error.
    """

    name: str
    header: list[str]
    header_line: int
    rows: Iterator[tuple[int, list[str] | InputError]]
    delimiter: str
    encoding: str
    blank_rows: list[int] = field(default_factory=list)


def _decode(data: bytes, name: str, recognised: Callable[[list[str]], bool], encoding: str | None) -> tuple[str, str]:
    if encoding:
        try:
            return data.decode(encoding), encoding
        except (UnicodeDecodeError, LookupError):
            raise InputError(f"cannot be decoded as {encoding}", path=name) from None
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(codec), codec
            except UnicodeDecodeError:
                raise InputError(f"has a {codec} byte-order mark but is not valid {codec}", path=name) from None
    for codec in _GUESSES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        header = _header_cells(text)
        if codec == "gb18030" and all(cell.isascii() for cell in header) and not _is_gb2312(data):
            # An ASCII header cannot tell GB18030 from cp1252 (accented Latin letters pair up into
            # rare GBK characters); Chinese exports stay within GB2312's common characters.
            continue
        if codec == "utf-8" or recognised(header):
            return text, codec
    raise InputError(
        "encoding not recognised (tried UTF-8, GB18030, cp1252); save as UTF-8 or pass --encoding", path=name
    )


def _is_gb2312(data: bytes) -> bool:
    try:
        data.decode("gb2312")
    except UnicodeDecodeError:
        return False
    return True


def _first_line(text: str) -> str:
    """The first line that is not blank (as ``text.splitlines()`` splits), looking no further
    into *text* than it must: a table has a hundred thousand lines after it."""
    size = 4096
    while True:
        lines = text[:size].splitlines()
        for number, line in enumerate(lines):
            if line.strip():
                if number < len(lines) - 1 or size >= len(text):  # not cut short by the slice
                    return line
                break
        else:
            if size >= len(text):
                return ""
        size *= 4


def _header_cells(text: str) -> list[str]:
    line = _first_line(text)
    delimiter = max(_DELIMITERS, key=line.count)
    return [cell.strip().strip('"').strip() for cell in line.split(delimiter)]


#: A line as ``io.StringIO(newline="")`` reads it: ended by CR LF, CR or LF, ending kept.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+")


def _lines(text: str) -> Iterator[str]:
    """The lines of *text* one at a time: a StringIO would hold a copy of the whole table at four
    bytes a character for as long as the rows are read."""
    return (match.group() for match in _LINE.finditer(text))


def read_csv(
    data: bytes,
    name: str,
    *,
    recognised: Callable[[list[str]], bool] = lambda header: True,
    encoding: str | None = None,
    delimiter: str | None = None,
    empty_header_ok: bool = False,
) -> CsvTable:
    """Decode and open *data* as a CSV table; rows are read lazily and checked as they come. An
    empty header cell is an error unless *empty_header_ok* (a column map names it)."""
    text, used = _decode(data, name, recognised, encoding)
    first = _first_line(text)
    if not first:
        raise InputError("empty CSV file", path=name)
    delim = delimiter or max(_DELIMITERS, key=first.count)
    reader = csv.reader(_lines(text), delimiter=delim, strict=True)
    header: list[str] | None = None
    header_line = 0
    blank: list[int] = []
    previous = 0
    try:
        for cells in reader:
            start, previous = previous + 1, reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            header, header_line = [c.strip() for c in cells], start
            break
    except csv.Error:
        raise InputError("malformed header line (check quotes)", path=name, line=previous + 1) from None
    if header is None:
        raise InputError("empty CSV file", path=name)
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        if not cell and not empty_header_ok:
            raise InputError(f"header cell {index + 1} is empty", path=name, line=header_line)
        if cell in seen:
            raise InputError(
                f"column {index + 1} repeats the header of column {seen[cell] + 1}", path=name, line=header_line
            )
        seen[cell] = index

    def rows() -> Iterator[tuple[int, list[str] | InputError]]:
        last = previous
        width = len(header)
        try:
            for cells in reader:
                start, last = last + 1, reader.line_num
                if not "".join(cells).strip():  # blank: no cell has anything but spaces
                    blank.append(start)
                    continue
                if len(cells) != width:
                    reason = f"row has {len(cells)} cells but the header has {width}"
                    yield start, RaggedRowError(cells, reason, path=name, line=start)
                    continue
                yield start, cells
        except csv.Error:
            raise InputError(
                "malformed row: unterminated quote or stray quote character", path=name, line=last + 1
            ) from None

    return CsvTable(name, header, header_line, rows(), delim, used, blank)
