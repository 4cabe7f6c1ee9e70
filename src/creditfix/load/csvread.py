"""Reading CSV the way spreadsheets and banks export it, strictly.

Encodings: a BOM is honoured; otherwise UTF-8, then GB18030 (Chinese exports), then cp1252 are
tried, and a guessed encoding is accepted only when the header it yields is recognised (a cp1252
file "decodes" as GB18030 into garbage). Delimiter: ``,`` ``;`` tab or ``|``, whichever the header
line uses most. Quotes are strict (an unterminated quote is an error, not a swallowed file), rows
must have as many cells as the header, a header may not repeat, and blank rows are skipped and
counted. For ``check``, the rows of a table file come in batches, as text or, where plain, as
ranges of the file that a worker reads itself (:class:`RawRange`).
"""

from __future__ import annotations

import bisect
import codecs
import csv
import functools
import io
import os
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, BinaryIO, NamedTuple

from creditfix.errors import InputError

_DELIMITERS = (",", ";", "\t", "|")
#: What a spreadsheet makes of a long numeric id (``6.22848E+18``): the digits are gone.
_EXCEL_NUMBER = re.compile(r"[0-9](\.[0-9]+)?[eE]\+[0-9]+")
_GUESSES = ("utf-8", "gb18030", "cp1252")


def is_spreadsheet_id(cell: str) -> bool:
    """True for an id that a spreadsheet turned into scientific notation (see :func:`refuse_spreadsheet_id`)."""
    return _EXCEL_NUMBER.fullmatch(cell) is not None


#: :data:`_EXCEL_NUMBER` as a line of its own.
_EXCEL_LINE = re.compile(rf"^{_EXCEL_NUMBER.pattern}$", re.MULTILINE)


def any_spreadsheet_id(cells: Sequence[str]) -> bool:
    """False when no cell of *cells* :func:`is_spreadsheet_id` (one search of them all); True when
    one may be (a cell with a line break in it may make it so)."""
    return _EXCEL_LINE.search("\n".join(cells)) is not None


def refuse_spreadsheet_id(cell: str, *, path: str, line: int, field: str) -> None:
    """Raise :class:`InputError` when the id *cell* is one a spreadsheet turned into scientific
    notation; no id can be recovered from it."""
    if is_spreadsheet_id(cell):
        raise InputError(
            "turned into a number by a spreadsheet (scientific notation); export it as text",
            path=path,
            line=line,
            field=field,
        )


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
    rows: Generator[tuple[int, list[str] | InputError], None, None]
    delimiter: str
    encoding: str
    blank_rows: list[int] = field(default_factory=list)
    #: The same rows as raw text, a batch at a time (instead of :attr:`rows`; see :func:`raw_batches`).
    raw: Callable[[int, int, Callable[[int], InputError]], Iterator[RawBatch | RawRange]] | None = None
    #: The file the rows are read from (None for bytes already in memory).
    stream: io.TextIOBase | None = None

    def close(self) -> None:
        """Close the file without reading the rows (closing :attr:`rows` only does that once
        they are being read: a generator that never started has no ``finally`` to run)."""
        self.rows.close()
        if self.stream is not None:
            self.stream.close()


class RawBatch(NamedTuple):
    """Consecutive records of a table as the text they were read from (blank ones included), for a
    worker process to split again with :func:`parse_batch`: a string is far cheaper to send than
    lists of cells. *first_line* is the line the text starts on; *rows* counts the non-blank ones."""

    first_line: int
    text: str
    rows: int


#: Bytes decoded at a time when a table is read as a stream.
_BLOCK = 1 << 18
#: Characters of a table's text split into batches at a time (see :func:`_chunk`): a few hundred rows.
_CHUNK = 1 << 16


def _decodes(handle: BinaryIO, codec: str) -> bool:
    """True when the whole of *handle* decodes as *codec*: read in blocks, the text thrown away, so
    a large table never sits in memory twice (bytes and text) to be checked."""
    decoder = codecs.getincrementaldecoder(codec)()
    handle.seek(0)
    try:
        while block := handle.read(_BLOCK):
            decoder.decode(block)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _prefix(handle: BinaryIO, codec: str, size: int) -> tuple[str, bool]:
    """The text of the first *size* bytes of *handle* as *codec* (a character cut short at the end
    is left out), and whether that is the whole file."""
    handle.seek(0)
    data = handle.read(size)
    at_end = len(data) < size or not handle.read(1)
    return codecs.getincrementaldecoder(codec)(errors="replace").decode(data, final=at_end), at_end


def _first_line_of(handle: BinaryIO, codec: str) -> str:
    """The first line that is not blank (as ``str.splitlines`` splits the whole text), decoding no
    more of the file than it must."""
    size = 1 << 14
    while True:
        text, at_end = _prefix(handle, codec, size)
        lines = text.splitlines()
        for number, line in enumerate(lines):
            if line.strip():
                if number < len(lines) - 1 or at_end:  # not cut short by the prefix
                    return line
                break
        else:
            if at_end:
                return ""
        size *= 4


def _decode(handle: BinaryIO, name: str, recognised: Callable[[list[str]], bool], encoding: str | None) -> str:
    """The codec *handle* is read with: *encoding*, the one a BOM names, or the first guess that
    decodes the whole file and (except UTF-8) yields a recognised header."""
    if encoding:
        try:
            b"".decode(encoding)  # not a text encoding: LookupError, as bytes.decode says
            if _decodes(handle, encoding):
                return encoding
        except LookupError:
            pass
        raise InputError(f"cannot be decoded as {encoding}", path=name)
    handle.seek(0)
    start = handle.read(3)
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if start.startswith(bom):
            if _decodes(handle, codec):
                return codec
            raise InputError(f"has a {codec} byte-order mark but is not valid {codec}", path=name)
    for codec in _GUESSES:
        if not _decodes(handle, codec):
            continue
        header = _header_cells(_first_line_of(handle, codec))
        if codec == "gb18030" and all(cell.isascii() for cell in header) and not _decodes(handle, "gb2312"):
            # An ASCII header cannot tell GB18030 from cp1252 (accented Latin letters pair up into
            # rare GBK characters); Chinese exports stay within GB2312's common characters.
            continue
        if codec == "utf-8" or recognised(header):
            return codec
    raise InputError(
        "encoding not recognised (tried UTF-8, GB18030, cp1252); save as UTF-8 or pass --encoding", path=name
    )


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


def _header_cells(line: str) -> list[str]:
    delimiter = max(_DELIMITERS, key=line.count)
    return [cell.strip().strip('"').strip() for cell in line.split(delimiter)]


def _taped(lines: Iterator[str], kept: list[str]) -> Iterator[str]:
    """*lines*, each also appended to *kept*: what the CSV reader consumed, as text."""
    append = kept.append
    for line in lines:
        append(line)
        yield line


def read_csv(
    data: bytes | BinaryIO,
    name: str,
    *,
    recognised: Callable[[list[str]], bool] = lambda header: True,
    encoding: str | None = None,
    delimiter: str | None = None,
    empty_header_ok: bool = False,
) -> CsvTable:
    """Decode and open *data* as a CSV table; rows are read lazily and checked as they come.

    *data* is bytes, or a seekable binary file, which is then read as a stream (checked for its
    encoding block by block first, then decoded a block at a time as rows are read: memory does
    not grow with the table) and closed once its rows are read.
    """
    handle = io.BytesIO(data) if isinstance(data, bytes) else data
    try:
        used = _decode(handle, name, recognised, encoding)
        first = _first_line_of(handle, used)
        if not first:
            raise InputError("empty CSV file", path=name)
        handle.seek(0)
        stream = io.TextIOWrapper(handle, encoding=used, newline="")
    except BaseException:
        handle.close()
        raise
    delim = delimiter or max(_DELIMITERS, key=first.count)
    kept: list[str] = []
    reader = csv.reader(_taped(stream, kept), delimiter=delim, strict=True)
    header: list[str] | None = None
    header_line = 0
    blank: list[int] = []
    previous = 0
    try:
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
            if not cell and not empty_header_ok:  # unless a column map names it
                raise InputError(f"header cell {index + 1} is empty", path=name, line=header_line)
            if cell in seen:
                raise InputError(
                    f"column {index + 1} repeats the header of column {seen[cell] + 1}", path=name, line=header_line
                )
            seen[cell] = index
    except BaseException:
        stream.close()
        raise
    width = len(header)

    def rows() -> Generator[tuple[int, list[str] | InputError], None, None]:
        try:
            yield from _checked(reader, 0, previous, width, name, blank, kept)
        finally:
            stream.close()

    def raw(size: int, max_rows: int, too_many: Callable[[int], InputError]) -> Iterator[RawBatch | RawRange]:
        """*size* non-blank rows a batch; past *max_rows* rows, the batch before that row and then
        the error *too_many* gives for its line (a broken quote likewise ends the rows). A file in
        an encoding whose line breaks are bytes of their own comes as :class:`RawRange` s of it
        while its text is plain (:func:`_range_batches`)."""
        kept.clear()  # the header's lines: the rows are read from the stream, not through *reader*
        start = _rows_offset(handle, used, previous) if handle is data else None
        if start is None:
            return _raw_batches(stream, previous + 1, delim, size, max_rows, too_many, name)
        rows_at = _Place(start, previous + 1)
        return _range_batches(stream, handle, rows_at, codecs.lookup(used).name, delim, size, max_rows, too_many, name)

    return CsvTable(name, header, header_line, rows(), delim, used, blank, raw, stream)


_MALFORMED = "malformed row: unterminated quote or stray quote character"


class RawRange(NamedTuple):
    """Consecutive records of a table as where they are in its file: a worker reads and decodes
    them itself (:func:`read_range`), so that the main process neither decodes their text nor
    sends it. *stamp* is the file's device, inode, size and modification time when the table
    was opened: a file changed since is not read as if it were the same."""

    path: str
    offset: int
    length: int
    first_line: int
    rows: int
    encoding: str
    stamp: tuple[int, int, int, int]


#: Encodings in which a byte LF, CR, quote or NUL is always that character, never part of another
#: (GB18030's second and fourth bytes are 0x30 or more), and which decode from any line start.
_RANGE_CODECS = {"utf-8": "utf-8", "utf-8-sig": "utf-8", "cp1252": "cp1252", "gb18030": "gb18030"}
#: Bytes of a table's file looked at a time by :func:`_range_batches` (a few times this at most
#: are held at once, whatever the size of the table).
_RANGE_BLOCK = 1 << 19


def _stamp(status: os.stat_result) -> tuple[int, int, int, int]:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def read_range(part: RawRange, name: str) -> RawBatch:
    """The text of *part* as a :class:`RawBatch`; :class:`InputError` (naming its first line)
    when the file is no longer what it was when the table was opened."""
    changed = InputError("changed while it was being read; check it again", path=name, line=part.first_line)
    try:
        descriptor = os.open(part.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:
        raise changed from None
    try:
        if _stamp(os.fstat(descriptor)) != part.stamp:
            raise changed
        os.lseek(descriptor, part.offset, os.SEEK_SET)
        parts = []
        size = 0
        while size < part.length and (data := os.read(descriptor, part.length - size)):
            parts.append(data)
            size += len(data)
    except OSError:
        raise changed from None
    finally:
        os.close(descriptor)
    try:
        if size != part.length:
            raise UnicodeError
        text = b"".join(parts).decode(part.encoding)
    except UnicodeError:
        raise changed from None
    return RawBatch(part.first_line, text, part.rows)


class _Place(NamedTuple):
    """A line start in a table's file: its byte offset and its line number."""

    offset: int
    line: int


def _rows_offset(handle: BinaryIO, codec: str, lines: int) -> int | None:
    """Where the rows of a table in the file *handle* start: the byte after its first *lines*
    lines (the header and the blank lines before it). None when the file is not one a worker can
    read a range of: not a file of its own, an encoding not in :data:`_RANGE_CODECS`, or a lone
    CR (a line break too) before the rows or at the end of the header."""
    if codecs.lookup(codec).name not in _RANGE_CODECS or not isinstance(getattr(handle, "name", None), str):
        return None
    handle.seek(0)
    head = b""
    while head.count(b"\n") < lines:
        more = handle.read(1 << 16)
        if not more:
            return None
        head += more
    end = 0
    for _ in range(lines):
        end = head.index(b"\n", end) + 1
    if head.count(b"\r", 0, end) != head.count(b"\r\n", 0, end):
        return None
    return end


def _plain_bytes(block: bytes, window: int) -> bool:
    """Whether the lines of *block* (of a file in one of :data:`_RANGE_CODECS`) are read as the
    CSV reader reads them when split at their line breaks: no quote, no NUL, no CR but in a CR LF,
    and no line longer than twice *window* bytes (each *window* bytes hold a line break)."""
    if b'"' in block or b"\0" in block:
        return False
    if b"\r" in block and block.count(b"\r") != block.count(b"\r\n"):
        return False
    return all(block.find(b"\n", start, start + window) >= 0 for start in range(0, len(block) - window + 1, window))


@functools.lru_cache(maxsize=16)
def _maybe_blank(codec: str, delimiter: str) -> tuple[re.Pattern[bytes], re.Pattern[bytes]]:
    """A line start (a LF, in ``b"\\n" + block``) whose line may be blank, and such a line: no byte
    that only a character other than a space or *delimiter* can hold (printable ASCII; in GB18030
    not the digits, which are bytes of four-byte characters). Each such line is then decoded and
    looked at; most tables have none, found with one quick search of the line starts."""
    sure = bytes(b for b in range(0x21, 0x7F) if chr(b) != delimiter and not (codec == "gb18030" and 0x30 <= b <= 0x39))
    other = b"[^\n" + b"".join(re.escape(bytes([b])) for b in sure) + b"]"
    return re.compile(b"\n(?:" + other + b"|\n)"), re.compile(b"\n(" + other + b"*)(?=\n|\\Z)")


def _blank_lines(block: bytes, codec: str, delimiter: str) -> list[int]:
    """Where the blank lines of *block* start (only spaces and delimiters: no cell has anything else)."""
    starts: list[int] = []
    text = b"\n" + block
    quick, line = _maybe_blank(codec, delimiter)
    if not quick.search(text):
        return starts
    for found in line.finditer(text):
        if found.start() < len(block) and not found.group(1).decode(codec).replace(delimiter, "").strip():
            starts.append(found.start())
    return starts


def _range_batches(
    stream: io.TextIOWrapper,
    handle: BinaryIO,
    rows_at: _Place,
    codec: str,
    delimiter: str,
    size: int,
    max_rows: int,
    too_many: Callable[[int], InputError],
    name: str,
) -> Iterator[RawBatch | RawRange]:
    """The rest of the table in the file *handle* (which *stream* reads) as :class:`RawRange` s of
    about *size* rows (the rows from *rows_at*): the main process only looks for line breaks,
    quotes and blank lines, a block at a time, and workers read the text. From the first block
    that is not plain (:func:`_plain_bytes`), or where the cap would be passed, the rest is read
    as text (:func:`_raw_batches`): the same rows, lines and errors."""
    path = handle.name
    stamp = _stamp(os.fstat(handle.fileno()))
    read_as = _RANGE_CODECS[codec]
    window = max(1, csv.field_size_limit() // 2)
    offset, line = rows_at
    count = 0
    target = 0  # bytes a batch: *size* lines of the first block
    capped = False
    try:
        while True:
            handle.seek(offset)
            block = handle.read(_RANGE_BLOCK)
            if not block:
                return
            full = len(block) == _RANGE_BLOCK
            if full:
                block = block[: block.rfind(b"\n") + 1]  # (a line longer than a block is not plain)
            if not block or not _plain_bytes(block, window):
                break
            blanks = _blank_lines(block, codec, delimiter)
            target = target or max(1, size * len(block) // max(1, block.count(b"\n")))
            start = 0
            while start < len(block):
                end = block.find(b"\n", start + target - 1) + 1
                if not end:
                    if full and start:  # the rest of the block starts the next one
                        break
                    end = len(block)
                lines = block.count(b"\n", start, end) + (not block.endswith(b"\n") and end == len(block))
                rows = lines - (bisect.bisect_left(blanks, end) - bisect.bisect_left(blanks, start))
                if count + rows > max_rows:
                    capped = True
                    break
                yield RawRange(path, offset + start, end - start, line, rows, read_as, stamp)
                count += rows
                line += lines
                start = end
            offset += start
            if capped:
                break
        handle.seek(offset)  # the rest as text, from a line start
        stream.detach()  # (*stream* would close *handle*)
        rest = io.TextIOWrapper(handle, encoding=read_as, newline="")
        stream = rest
        yield from _raw_batches(rest, line, delimiter, size, max_rows - count, too_many, name)
    finally:
        stream.close()


class _Chunk(NamedTuple):
    """A block of a table's text cut at a line break, as lines, and where its non-blank rows are:
    each one's first and last line (indices into *lines*). *sep* is what joins the lines again
    ("" when they keep their line breaks); *ended* whether the last line has one. *lines_read*
    lines are whole records; *broken* when the CSV reader stopped there (a broken quote)."""

    lines: list[str]
    sep: str
    ended: bool
    starts: Sequence[int]
    ends: Sequence[int]
    lines_read: int
    broken: bool = False

    def text(self, begin: int, end: int) -> str:
        """The text of lines *begin* .. *end* - 1, as the table has it."""
        if begin >= end:
            return ""
        if not self.sep:
            return "".join(self.lines[begin:end])
        return self.sep.join(self.lines[begin:end]) + (self.sep if end < len(self.lines) or self.ended else "")


def _raw_batches(
    stream: io.TextIOBase,
    first: int,
    delimiter: str,
    size: int,
    max_rows: int,
    too_many: Callable[[int], InputError],
    name: str,
) -> Iterator[RawBatch]:
    """The rest of *stream* (its first line is line *first*) as batches of *size* non-blank rows,
    as :attr:`CsvTable.raw` gives them: each batch from the line after the one before to its last
    row's last line (blank lines included, and those at the end in a last batch). A block at a
    time (:func:`_chunk`): most are cut at line breaks without the CSV reader."""
    pending: list[str] = []  # the text of the batch being filled, from earlier chunks
    base = first  # the line of the chunk's first line
    in_batch = count = 0
    try:
        while chunk := _chunk(stream, delimiter):
            starts, ends = chunk.starts, chunk.ends
            position = taken = 0  # the first line and row of the chunk not yet in a batch
            while taken < len(starts):
                step = min(size - in_batch, len(starts) - taken)
                if count + step > max_rows:
                    over = taken + max_rows - count  # the row past the cap
                    start = starts[over]
                    if base + start > first:
                        yield RawBatch(first, "".join(pending) + chunk.text(position, start), in_batch + over - taken)
                    raise too_many(base + start)
                taken += step
                in_batch += step
                count += step
                if in_batch == size:
                    end = ends[taken - 1] + 1
                    pending.append(chunk.text(position, end))
                    yield RawBatch(first, "".join(pending), in_batch)
                    pending.clear()
                    position, first, in_batch = end, base + end, 0
            pending.append(chunk.text(position, chunk.lines_read))
            base += chunk.lines_read
            if chunk.broken:
                if base > first:
                    yield RawBatch(first, "".join(pending), in_batch)
                raise InputError(_MALFORMED, path=name, line=base)
        if base > first:
            yield RawBatch(first, "".join(pending), in_batch)
    finally:
        stream.close()


#: A line as ``TextIOWrapper(newline="")`` reads them: up to LF, CR LF or a lone CR.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")


def _chunk(stream: io.TextIOBase, delimiter: str) -> _Chunk | None:
    """The next block of *stream*, cut at a line break; None at its end."""
    text = stream.read(_CHUNK)
    if not text:
        return None
    if not text.endswith("\n"):  # (a CR at the end may be the first half of a CR LF)
        text += stream.readline()
    return _plain_chunk(text, delimiter) or _read_chunk(text, stream, delimiter)


#: A blank line (only spaces and delimiters) in ``"\n" + text``, by delimiter (see :func:`_plain_chunk`).
_BLANK = {d: re.compile(rf"\n(?:[^\S\r\n]|{re.escape(d)})*\r?\n") for d in _DELIMITERS}


def _plain_chunk(text: str, delimiter: str) -> _Chunk | None:
    """*text* as a chunk of one row a line, when that is what the CSV reader makes of it: no
    quote, no NUL, every line break the same (LF, or CR LF) and no line over the reader's field
    size limit. Its blank lines (only spaces and delimiters: no cell has anything else) are found
    with one search; only a chunk with one looks at each line. None for any other text."""
    if '"' in text or "\0" in text:
        return None
    sep = "\r\n" if "\r" in text else "\n"
    lines = text.split(sep)
    if sep == "\r\n" and not text.count("\r") == text.count("\n") == len(lines) - 1:  # a lone CR or LF
        return None
    ended = lines[-1] == ""
    if ended:
        lines.pop()
    if max(map(len, lines)) > csv.field_size_limit():
        return None
    pattern = _BLANK.get(delimiter) or re.compile(rf"\n(?:[^\S\r\n]|{re.escape(delimiter)})*\r?\n")
    rows: Sequence[int] = range(len(lines))
    if pattern.search("\n" + text if ended else "\n" + text + "\n"):
        rows = [number for number, line in enumerate(lines) if line.replace(delimiter, "").strip()]
    return _Chunk(lines, sep, ended, rows, rows, len(lines))


def _read_chunk(text: str, stream: io.TextIOBase, delimiter: str) -> _Chunk:
    """*text* as the CSV reader reads it, record by record; a quoted cell open at its end takes
    the lines of *stream* it needs. A broken quote ends the chunk at the record before."""
    lines = _LINE.findall(text)
    more = len(lines)

    def feed() -> Iterator[str]:
        yield from lines[:more]
        while extra := stream.readline():
            lines.append(extra)
            yield extra

    reader = csv.reader(feed(), delimiter=delimiter, strict=True)
    starts: list[int] = []
    ends: list[int] = []
    read = 0  # lines of whole records
    try:
        while read < more:
            cells = next(reader)
            start, read = read, reader.line_num
            if "".join(cells).strip():
                starts.append(start)
                ends.append(read - 1)
    except csv.Error:
        return _Chunk(lines, "", True, starts, ends, read, broken=True)
    return _Chunk(lines, "", True, starts, ends, read)


def parse_batch(batch: RawBatch, delimiter: str, width: int, name: str) -> Iterator[tuple[int, list[str] | InputError]]:
    """The non-blank rows of *batch* (from :attr:`CsvTable.raw`) with their lines, as
    :attr:`CsvTable.rows` gives them: the same cells, lines and ragged-row errors."""
    rows = _plain_rows(batch.text, delimiter, width)
    if rows is not None:  # a line a row: the same cells on the same lines, without the reader
        return zip(range(batch.first_line, batch.first_line + len(rows)), rows, strict=True)
    # a batch is small: StringIO's copy costs nothing, and it splits lines as the whole table's reader did
    reader = csv.reader(io.StringIO(batch.text, newline=""), delimiter=delimiter, strict=True)
    return _checked(reader, batch.first_line - 1, batch.first_line - 1, width, name, [], [])


def _plain_rows(text: str, delimiter: str, width: int) -> list[list[str]] | None:
    """The rows of *text* split at its line breaks and delimiters, when that is what the CSV reader
    makes of it (no quote, which may hold either; no lone CR, which ends a line too; no line
    over its field size limit) and every row has *width* cells, not all blank: what most tables
    are. None for any other text (a blank or ragged row, which the reader's way reports)."""
    if '"' in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            return None
    lines = text.split("\n")
    if lines[-1] == "":  # the text ends with a line break
        lines.pop()
    if not lines or max(map(len, lines)) > csv.field_size_limit():
        return None
    rows = list(map(str.split, lines, repeat(delimiter)))
    if set(map(len, rows)) != {width} or not all(map(str.strip, map("".join, rows))):
        return None
    return rows


def _checked(
    reader: Any, offset: int, last: int, width: int, name: str, blank: list[int], kept: list[str]
) -> Iterator[tuple[int, list[str] | InputError]]:
    """The rows *reader* reads after line *last* (its line numbers count from *offset*): blank
    ones noted in *blank* and skipped, ragged ones as errors; what the reader consumed is dropped
    from *kept* as it goes. A broken quote ends them with its error."""
    try:
        for cells in reader:
            kept.clear()
            start, last = last + 1, offset + reader.line_num
            if not "".join(cells).strip():  # blank: no cell has anything but spaces
                blank.append(start)
                continue
            if len(cells) != width:
                reason = f"row has {len(cells)} cells but the header has {width}"
                yield start, RaggedRowError(cells, reason, path=name, line=start)
                continue
            yield start, cells
    except csv.Error:
        raise InputError(_MALFORMED, path=name, line=last + 1) from None
