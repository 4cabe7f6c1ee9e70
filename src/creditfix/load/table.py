"""Client tables: one client per CSV row, as advisors and lenders export them (DESIGN §2.2).

Columns are profile fields (``client_id, name, jurisdiction, currency, as_of, monthly_income,
annual_income, income_verified, score, score_scale``) and metric names; a metric column supplies
that metric directly. ``--columns map.yaml`` renames foreign headers
(``{their_header: our_name}`` or ``{their_header: {field: our_name, scale: 0.01}}``; ``null`` drops
a column), and says how an export's cells read (:class:`ColumnRead`): ``codes`` that mean
something (``{A34: 1}``), ``negative: zero`` for a credit balance, and monthly status columns that
make up a repayment history (``{field: history, months_ago: 0, codes: {...}}``), whose metrics
(:data:`~creditfix.metrics.HISTORY_METRICS`) the row then has as a profile with that history
would. Every row remembers its line; a bad row is an error for that row only.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from pathlib import Path as FsPath
from typing import Any, NamedTuple

from pydantic_core import ValidationError

from creditfix import caps
from creditfix.errors import CreditfixError, InputError, UsageError, did_you_mean, safe_name
from creditfix.load.csvread import (
    CsvTable,
    RaggedRowError,
    RawBatch,
    RawRange,
    any_spreadsheet_id,
    is_spreadsheet_id,
    parse_batch,
    read_csv,
    read_range,
    refuse_spreadsheet_id,
)
from creditfix.load.source import decode_utf8, display_name, open_table, read_bytes
from creditfix.load.validate import to_input_error
from creditfix.load.yamlsafe import parse_yaml
from creditfix.metrics import (
    CATALOGUE,
    Metrics,
    MetricValue,
    add_combined,
    coerce_bool,
    coerce_metric,
    combined_columns,
    compute_metrics,
    days_late_code,
    history_metrics,
    summary_metrics,
)
from creditfix.model import (
    CONVERTED,
    HISTORY_CODES,
    SCORE_RANGES,
    US_TOKENS,
    Profile,
    _currency,
    _date,
    _jurisdiction,
    _money,
    _not_blank,
    monthly_amount,
)
from creditfix.money import (
    _EXPONENT,
    _PLAIN,
    MAX_DIGITS,
    AmountError,
    currency_clash,
    currency_mark,
    default_currency,
    parse_amount,
    parse_scaled,
)

#: Columns that are profile fields rather than metrics.
PROFILE_COLUMNS = (
    "client_id", "name", "jurisdiction", "currency", "as_of",
    "monthly_income", "annual_income", "income_verified", "score", "score_scale",
)  # fmt: skip
_PROFILE_COLUMN_SET = frozenset(PROFILE_COLUMNS)
KNOWN_COLUMNS = _PROFILE_COLUMN_SET | frozenset(CATALOGUE)
_DEFAULT_SCALE = {"CN": "sesame", "US": "fico"}
#: Cells that mean "not known" in exported data (R, pandas, SQL dumps): the same as an empty cell.
MISSING = frozenset({"NA", "N/A", "NAN", "NULL", "NONE", "#N/A"})


#: The target of a column map's monthly status columns: together they make the row's history.
HISTORY = "history"
#: The most months back a status column may be: the history metrics look back 24 months.
_HISTORY_MONTHS = 24


@dataclass(frozen=True)
class ColumnRead:
    """How one column's cells read, besides its target and scale: the column map's ``codes``
    (cells that mean something, replaced by the text of their meaning), ``negative: zero`` (an
    amount below 0 is a credit balance: nothing owed) and, for a monthly status column of the
    history, ``months_ago``. Text in, text out, before the cell is converted as usual."""

    #: (their cell, our text, whether our text is a number): a number's decimal mark is the table's.
    codes: tuple[tuple[str, str, bool], ...] = ()
    negative_zero: bool = False
    months_ago: int | None = None
    #: A status column that gives days past due (0 = on time), not a status code.
    days_late: bool = False

    @functools.cached_property
    def _replace(self) -> dict[str, dict[str, str]]:
        """The codes by decimal mark: what each listed cell becomes in a table with that mark."""
        return {
            ".": {cell: text for cell, text, _ in self.codes},
            ",": {cell: text.replace(".", ",") if number else text for cell, text, number in self.codes},
        }

    def lists(self, cell: str) -> bool:
        """Whether the codes give the stripped *cell* a meaning."""
        return cell in self._replace["."]

    def text(self, cell: str, scale: Decimal | None, decimal_mark: str) -> str:
        """What the stripped *cell* reads as: its code's meaning, or 0 for a credit balance."""
        if self.codes:
            cell = self._replace[decimal_mark].get(cell, cell)
        if self.negative_zero and cell and not cell[0].isdigit():
            try:
                amount = parse_amount(cell.rstrip("%"), decimal_mark=decimal_mark)
            except AmountError:  # not an amount: the usual reading says so
                return cell
            if amount < 0:
                return "0"
        return cell


@dataclass(frozen=True)
class ColumnMap:
    """How foreign headers map onto ours: target name (None = drop), a numeric scale and how
    cells read (:class:`ColumnRead`)."""

    targets: dict[str, str | None]
    scales: dict[str, Decimal]
    reads: dict[str, ColumnRead] = field(default_factory=dict)

    @staticmethod
    def empty() -> ColumnMap:
        return ColumnMap({}, {})


_SPEC_KEYS = ("field", "scale", "codes", "negative", "months_ago", "days_late")


def load_column_map(path: str | FsPath) -> ColumnMap:
    """Read a ``--columns`` YAML file; a mistake is an :class:`InputError` naming its line."""
    name = display_name(path)
    try:
        data, positions = parse_yaml(decode_utf8(read_bytes(path), name), name)
    except InputError as exc:
        if exc.reason == "keys must be text":  # -1: N, as an export's codes are written
            exc.reason += ' (quote a header or code that YAML reads as a number or true/false: "-1")'
        raise
    if not isinstance(data, dict):
        raise InputError("expected a mapping of their header to our column", path=name, line=1)
    targets: dict[str, str | None] = {}
    scales: dict[str, Decimal] = {}
    reads: dict[str, ColumnRead] = {}
    months: dict[int, str] = {}  # the status column of each month of the history
    for header, spec in data.items():
        line = positions[(header,)][0]
        where = safe_name(header) or None

        def fail(reason: str, *key: str, at: str | None = where, line: int = line, header: str = header) -> InputError:
            return InputError(reason, path=name, line=positions.get((header, *key), (line,))[0], field=at)

        scale: object = None
        if isinstance(spec, dict):
            unknown = [k for k in spec if k not in _SPEC_KEYS]
            if unknown:
                hint = did_you_mean(str(unknown[0]), _SPEC_KEYS)
                raise fail(
                    f"unknown key{hint}; use field, scale, codes, negative, months_ago or days_late", str(unknown[0])
                )
            if "field" not in spec:
                raise fail("field: required (our column, or null to drop the column)")
            target, scale = spec["field"], spec.get("scale")
        else:
            target = spec
        if target is not None and (not isinstance(target, str) or target not in KNOWN_COLUMNS | {HISTORY}):
            hint = did_you_mean(target, KNOWN_COLUMNS | {HISTORY}) if isinstance(target, str) else ""
            raise fail(f"not a known column{hint}")
        targets[header] = target
        if scale is not None:
            if target == HISTORY:
                raise fail("scale: a status column has no scale", "scale")
            try:
                scales[header] = parse_amount(scale)
            except AmountError:
                raise InputError("scale must be a number", path=name, line=line) from None
        if isinstance(spec, dict):
            read = _column_read(spec, target, scales.get(header), fail)
            if read is not None:
                reads[header] = read
                if read.months_ago is not None:
                    if read.months_ago in months:
                        raise fail(f"months_ago: the same month as {months[read.months_ago]}", "months_ago")
                    months[read.months_ago] = where or "another column"
    return ColumnMap(targets, scales, reads)


def _column_read(spec: dict[str, Any], target: str | None, scale: Decimal | None, fail: Any) -> ColumnRead | None:
    """The :class:`ColumnRead` of a column map entry (None when it says nothing of how cells read)."""
    ago = spec.get("months_ago")
    if target == HISTORY:
        if "months_ago" not in spec:
            raise fail("months_ago: required with field: history (0 = the as_of month, 1 = the month before...)")
        if type(ago) is not int or not 0 <= ago < _HISTORY_MONTHS:
            raise fail(f"months_ago: a whole number from 0 to {_HISTORY_MONTHS - 1}", "months_ago")
    elif "months_ago" in spec:
        raise fail("months_ago: only with field: history", "months_ago")
    days = spec.get("days_late", False)
    if type(days) is not bool:
        raise fail("days_late: true (the cells are days past due) or false", "days_late")
    if days and target != HISTORY:
        raise fail("days_late: only with field: history", "days_late")
    negative = spec.get("negative", "error")
    if negative not in ("zero", "error"):
        raise fail("negative: zero (a credit balance: nothing owed) or error", "negative")
    if negative == "zero" and target not in _AMOUNTS:
        raise fail("negative: only for an amount column", "negative")
    codes: list[tuple[str, str, bool]] = []
    given = spec.get("codes")
    if "codes" in spec:
        if not isinstance(given, dict) or not given:
            raise fail("codes: a mapping of their cell to its meaning", "codes")
        if target in (None, "client_id"):
            raise fail("codes: not for a column that is dropped or holds the client id", "codes")
    for cell, meaning in (given or {}).items():
        if isinstance(meaning, bool):
            text = "true" if meaning else "false"
        elif isinstance(meaning, int | Decimal):
            text = format(meaning, "f")
        elif meaning is None or isinstance(meaning, str):
            text = (meaning or "").strip()
        else:
            raise fail("codes: each meaning is a number, text, true/false or null", "codes", cell)
        if not _meaning_fits(target, text, scale, days):
            what = "a status code (N 1-7 * C # D Z G B, or OK 30 60 90 120 150 180 CO)" if target == HISTORY else ""
            what += " or days past due" if days else ""
            raise fail(f"codes: the meaning is not {what or 'a value of ' + str(target)}", "codes", cell)
        codes.append((cell.strip(), text, isinstance(meaning, int | Decimal) and not isinstance(meaning, bool)))
    if not codes and negative != "zero" and target != HISTORY:
        return None
    return ColumnRead(tuple(codes), negative == "zero", ago if target == HISTORY else None, days)


def _meaning_fits(target: str | None, text: str, scale: Decimal | None, days: bool) -> bool:
    """Whether a code's meaning *text* reads in a column of *target*."""
    if target == HISTORY:
        return not text or _status_code(text, days, us=False) is not None
    return _converter(str(target), scale, ".")(text) is not _BAD


#: Days past due in a status column: a whole number (pandas may write 45.0).
_DAYS = re.compile(r"-?[0-9]{1,6}(?:\.0+)?")


def _status_code(text: str, days: bool = False, *, us: bool = False) -> str | None:
    """The PBOC code of one month's status cell (a code or a US token; with *days*, a number of
    days past due, coded as an itemised payment that late is: :func:`days_late_code`, US from 30
    days), None if it is none of them."""
    if days and _DAYS.fullmatch(text):
        return days_late_code(int(text.partition(".")[0]), "US" if us else None)
    upper = text.upper()
    code = US_TOKENS.get(upper, upper)
    return code if len(code) == 1 and code in HISTORY_CODES else None


_PROFILE_FIELDS = frozenset(Profile.field_names)


def column_map_in(path: str | FsPath) -> ColumnMap | None:
    """The column map the YAML file *path* holds, or None when it is not one: its top-level keys
    (in its first 4 KB) are not all profile fields, as a profile's are, and it loads as a valid
    ``--columns`` map. A profile is told apart without being parsed."""
    try:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            head = os.read(descriptor, 4096).decode("utf-8", "replace")
        finally:
            os.close(descriptor)
    except OSError:
        return None
    keys = {
        line.partition(":")[0].strip().strip("'\"")
        for line in head.split("\n")
        if line and not line[0].isspace() and line[0] not in "#-{[." and ":" in line
    }
    if not keys or keys <= _PROFILE_FIELDS:
        return None
    try:
        return load_column_map(path)
    except CreditfixError:
        return None


def header_fits(path: str | FsPath, columns: ColumnMap | None = None, encoding: str | None = None) -> bool:
    """Whether the table at *path* has a header read as a client table's (with *columns*); only
    its first lines are read."""
    try:
        table = _open(path, display_name(path), columns or ColumnMap.empty(), encoding, None)
    except CreditfixError:
        return False
    table.close()
    return True


@dataclass(frozen=True)
class TableShape:
    """What every row of one table shares: each column's target and scale, the decimal mark and
    the table's name. Pickled once per batch of rows sent to a worker, not once per row."""

    targets: tuple[str | None, ...]
    scales: tuple[Decimal | None, ...]
    decimal_mark: str
    source: str
    delimiter: str = ","
    #: How each column's cells read (:class:`ColumnRead`), when the column map says; () when it
    #: says nothing for any column (most tables): their cells are read as they are.
    reads: tuple[ColumnRead | None, ...] = ()

    @functools.cached_property
    def id_column(self) -> int | None:
        """Which column holds the client id, if any."""
        return self.targets.index("client_id") if "client_id" in self.targets else None

    @functools.cached_property
    def stem(self) -> str:
        """The table's file name without its suffix: ids of rows without one are ``stem:line``."""
        return FsPath(self.source).stem

    @functools.cached_property
    def history(self) -> tuple[tuple[int, int, ColumnRead], ...]:
        """(column, place in the history string, read) of each monthly status column; the
        string runs from the oldest month a column gives to the ``as_of`` month."""
        found = [(index, read) for index, read in enumerate(self.reads) if read and read.months_ago is not None]
        length = max((read.months_ago or 0 for _, read in found), default=-1) + 1
        return tuple((index, length - 1 - (read.months_ago or 0), read) for index, read in found)


@dataclass(frozen=True, slots=True)
class RowWork:
    """A row read and split but not yet validated (``iter_table(lazy=True)``): its raw cells,
    small and cheap to pickle, so a batch can do all the per-row work in worker processes.
    :meth:`profile` (and :meth:`facts`) do the validation."""

    cells: list[str]
    client_id: str
    line: int
    shape: TableShape

    @staticmethod
    def of_record(
        record: dict[str, tuple[str, Decimal | None]], client_id: str, decimal_mark: str, source: str, line: int
    ) -> RowWork:
        """A row from its cells by column name (for tests and callers that built one)."""
        shape = TableShape(tuple(record), tuple(s for _, s in record.values()), decimal_mark, source)
        return RowWork([text for text, _ in record.values()], client_id, line, shape)

    @property
    def record(self) -> dict[str, tuple[str, Decimal | None]]:
        """Each mapped column's stripped text (read as the column map says) and scale; not the
        history's status columns (:attr:`history`)."""
        shape = self.shape
        if not shape.reads:
            return {t: (c.strip(), s) for t, c, s in zip(shape.targets, self.cells, shape.scales, strict=True) if t}
        mark = shape.decimal_mark
        return {
            t: (c.strip() if r is None else r.text(c.strip(), s, mark), s)
            for t, c, s, r in zip(shape.targets, self.cells, shape.scales, shape.reads, strict=True)
            if t and t != HISTORY
        }

    @property
    def history(self) -> list[tuple[int, str, ColumnRead]]:
        """(place in the history string, status text, how it reads) of each monthly status column."""
        shape = self.shape
        mark = shape.decimal_mark
        return [(place, read.text(self.cells[index].strip(), None, mark), read) for index, place, read in shape.history]

    @property
    def decimal_mark(self) -> str:
        return self.shape.decimal_mark

    @property
    def source(self) -> str:
        return self.shape.source

    def profile(self) -> Profile:
        """The row's profile; raises :class:`InputError` naming the row's line and column."""
        return _validated(self._data(), self.source, self.line)

    def _data(self) -> dict[str, Any]:
        shape = self.shape
        history = self.history if shape.history else ()
        try:
            return _row_data(self.record, self.client_id, self.decimal_mark, self.source, self.line, history)
        except InputError as exc:
            if shape.reads and exc.field != HISTORY and exc.field in shape.targets:  # a category the codes leave out?
                index = shape.targets.index(exc.field)
                read = shape.reads[index]
                if read is not None and read.codes and not read.lists(self.cells[index].strip()):
                    exc.reason += "; the column map's codes do not list it"
            raise

    def facts(self, as_of: date | None) -> RowFacts:
        """The row's client and metrics on *as_of* (default: the row's ``as_of``, then today) —
        the same values and the same errors as :meth:`profile` and ``compute_metrics``, without
        building the profile when the row plainly passes its validation."""
        data = self._data()
        try:
            return _row_facts(data, as_of)
        except _Unusual:
            return RowFacts.of(_validated(data, self.source, self.line), as_of)  # raises the row's error


class RowFacts(NamedTuple):
    """What a batch needs of one client (a table row, or any profile): who it is and the metrics."""

    client_id: str | None
    jurisdiction: str | None
    currency: str | None
    metrics: Metrics

    @staticmethod
    def of(profile: Profile, as_of: date | None) -> RowFacts:
        """The facts of a validated profile."""
        return RowFacts(
            profile.client.id, profile.jurisdiction, profile.client.currency, compute_metrics(profile, as_of)
        )


@dataclass(frozen=True, slots=True)
class TableRow:
    """One client of a table: where it came from and its profile, or the error that row has
    (with ``lazy=True``: ``work`` to validate later instead of ``profile``)."""

    source: str
    line: int
    client_id: str | None
    profile: Profile | None
    error: InputError | None
    work: RowWork | None = None


def looks_like_table(header_line: str, columns: ColumnMap | None = None) -> bool:
    """True when a first line reads as a client-table header (for sniffing stdin), its cells
    renamed by *columns* (``--columns``) first."""
    targets = columns.targets if columns is not None else {}
    cells = [c.strip().strip('"') for c in re.split(r"[,;\t|]", header_line)]
    return len(cells) >= 2 and sum(targets.get(c, c) in KNOWN_COLUMNS | {HISTORY} for c in cells) >= 2


def iter_table(
    path: str | FsPath,
    *,
    columns: ColumnMap | None = None,
    encoding: str | None = None,
    data: bytes | None = None,
    lazy: bool = False,
) -> Iterator[TableRow]:
    """Every client row of a table, in file order; bad rows come as errors, not exceptions.

    Problems with the file as a whole (encoding, header, quotes) raise :class:`InputError`.
    """
    name = display_name(path)
    mapping = columns or ColumnMap.empty()
    table = _open(path, name, mapping, encoding, data)
    shape = _shape(table, mapping)
    targets = shape.targets
    id_column = targets.index("client_id") if "client_id" in targets else None
    stem = FsPath(name).stem
    count = 0
    max_rows = caps.active().table_rows  # one process holds one row at a time; this bounds a run
    for line, cells in table.rows:
        count += 1
        if count > max_rows:
            raise InputError(f"more than {max_rows} client rows{caps.hint('table_rows')}", path=name, line=line)
        if isinstance(cells, InputError):
            yield TableRow(name, line, _ragged_id(table.header, cells, mapping), None, cells)
            continue
        client_id = (cells[id_column].strip() if id_column is not None else "") or f"{stem}:{line}"
        work = RowWork(cells, client_id, line, shape)
        if lazy:
            yield TableRow(name, line, client_id, None, None, work)
            continue
        try:
            profile = work.profile()
        except InputError as exc:
            yield TableRow(name, line, client_id, None, exc)
        else:
            yield TableRow(name, line, client_id, profile, None)
    if count == 0:
        raise InputError("no client rows below the header", path=name, line=table.header_line)


def _open(path: str | FsPath, name: str, mapping: ColumnMap, encoding: str | None, data: bytes | None) -> CsvTable:
    """The table at *path* (or *data*), read as a stream, its header checked against *mapping*."""

    def target(cell: str) -> str | None:
        return mapping.targets.get(cell, cell)

    def known(cell: str) -> bool:
        wanted = target(cell)
        return wanted is None or wanted in KNOWN_COLUMNS or (wanted == HISTORY and cell in mapping.targets)

    def recognised(header: list[str]) -> bool:
        return all(map(known, header))

    # An export's unnamed index column (pandas writes one) is fine when the column map names it.
    table = read_csv(
        data if data is not None else open_table(path),
        name,
        recognised=recognised,
        encoding=encoding,
        empty_header_ok="" in mapping.targets,
    )
    for index, cell in enumerate(table.header):
        if not known(cell):
            table.close()
            hint = did_you_mean(cell, KNOWN_COLUMNS) if safe_name(cell) else ""
            raise InputError(
                f"unknown column{hint}; map it with --columns",
                path=name,
                line=table.header_line,
                field=f"column {index + 1}",
            )
    return table


def _shape(table: CsvTable, mapping: ColumnMap) -> TableShape:
    targets = [mapping.targets.get(c, c) for c in table.header]
    used = [t for t in targets if t is not None and t != HISTORY]  # status columns: one per month (the map says)
    if len(set(used)) != len(used):
        table.close()
        raise InputError("two columns map to the same field", path=table.name, line=table.header_line)
    scales = [mapping.scales.get(c) for c in table.header]
    reads = tuple(mapping.reads.get(c) for c in table.header)
    decimal_mark = "," if table.delimiter == ";" else "."
    return TableShape(
        tuple(targets), tuple(scales), decimal_mark, table.name, table.delimiter, reads if any(reads) else ()
    )


class TableBatch(NamedTuple):
    """Consecutive rows of one table as raw text (:class:`RawBatch`), or as where that text is in
    the table's file (:class:`RawRange`), with what a worker needs to read them: the table's
    shape. :func:`batch_rows` gives the same rows :func:`iter_table` gives."""

    shape: TableShape
    raw: RawBatch | RawRange

    def read(self) -> TableBatch:
        """The batch with its text in hand: a range of the file is read and decoded here (in a
        worker); :class:`InputError` when the file changed since the table was opened."""
        if isinstance(self.raw, RawRange):
            return TableBatch(self.shape, read_range(self.raw, self.shape.source))
        return self


def iter_table_batches(
    path: str | FsPath,
    *,
    size: int,
    columns: ColumnMap | None = None,
    encoding: str | None = None,
    data: bytes | None = None,
) -> Iterator[TableBatch]:
    """The client rows of a table as :class:`TableBatch` es of *size* rows, in file order: the
    main process of ``check`` only splits the text, workers read the rows (:func:`batch_rows`).
    The same errors for the table as a whole as :func:`iter_table`, raised after the rows before."""
    name = display_name(path)
    mapping = columns or ColumnMap.empty()
    table = _open(path, name, mapping, encoding, data)
    shape = _shape(table, mapping)
    max_rows = caps.active().table_rows

    def too_many(line: int) -> InputError:
        return InputError(f"more than {max_rows} client rows{caps.hint('table_rows')}", path=name, line=line)

    assert table.raw is not None
    count = 0
    for raw in table.raw(size, max_rows, too_many):
        count += raw.rows
        yield TableBatch(shape, raw)
    if count == 0:
        raise InputError("no client rows below the header", path=name, line=table.header_line)


def batch_rows(batch: TableBatch) -> Iterator[TableRow]:
    """The rows of *batch* as ``iter_table(lazy=True)`` gives them: a ragged row as its error, any
    other as :class:`RowWork` to validate."""
    shape = batch.shape
    for line, cells in batch_cells(batch):
        yield batch_row(shape, line, cells)


def batch_cells(batch: TableBatch) -> Iterator[tuple[int, list[str] | InputError]]:
    """The rows of *batch* as their lines and cells (a ragged row as its error): what
    :func:`batch_rows` makes :class:`TableRow` s of."""
    shape = batch.shape
    raw = batch.raw if isinstance(batch.raw, RawBatch) else read_range(batch.raw, shape.source)
    return parse_batch(raw, shape.delimiter, len(shape.targets), shape.source)


def batch_row(shape: TableShape, line: int, cells: list[str] | InputError) -> TableRow:
    """The :class:`TableRow` of one row of :func:`batch_cells`."""
    id_column = shape.id_column
    if isinstance(cells, InputError):
        ragged = cells.cells if isinstance(cells, RaggedRowError) else []
        client_id = ragged[id_column].strip() or None if id_column is not None and id_column < len(ragged) else None
        return TableRow(shape.source, line, client_id, None, cells)
    client_id = row_id(shape, line, cells)
    return TableRow(shape.source, line, client_id, None, None, RowWork(cells, client_id, line, shape))


def row_id(shape: TableShape, line: int, cells: list[str]) -> str:
    """The client id of a (not ragged) row: its ``client_id`` cell, else ``stem:line``."""
    id_column = shape.id_column
    return (cells[id_column].strip() if id_column is not None else "") or f"{shape.stem}:{line}"


def row_ids(shape: TableShape, lines: Sequence[int], cells: Sequence[list[str]]) -> list[str]:
    """The :func:`row_id` of each of many rows (not ragged): their id cells stripped together."""
    if shape.id_column is None:
        return [f"{shape.stem}:{line}" for line in lines]
    ids = list(map(str.strip, map(itemgetter(shape.id_column), cells)))
    if "" in ids:
        ids = [found or f"{shape.stem}:{line}" for found, line in zip(ids, lines, strict=True)]
    return ids


def _ragged_id(header: list[str], error: InputError, mapping: ColumnMap) -> str | None:
    """The client id of a row with the wrong number of cells, when its id column is still readable."""
    cells = error.cells if isinstance(error, RaggedRowError) else []
    for index, cell in enumerate(header):
        if mapping.targets.get(cell, cell) == "client_id" and index < len(cells):
            return cells[index].strip() or None
    return None


def _row_data(
    record: dict[str, tuple[str, Decimal | None]],
    client_id: str,
    decimal_mark: str,
    name: str,
    line: int,
    history: Sequence[tuple[int, str, ColumnRead]] = (),
) -> dict[str, Any]:
    """The row's cells converted into profile input (what :class:`Profile` validates); a cell that
    cannot be converted raises :class:`InputError` naming its column. The metrics of the
    *history* (:attr:`RowWork.history`) join those of the metric columns, which win."""

    def fail(column: str, reason: str) -> InputError:
        return InputError(reason, path=name, line=line, field=column)

    refuse_spreadsheet_id(client_id, path=name, line=line, field="client_id")

    def number(column: str, text: str, scale: Decimal | None) -> object:
        if scale is None:
            return text
        try:
            return parse_scaled(text, scale, decimal_mark=decimal_mark)
        except AmountError as exc:
            raise fail(column, str(exc)) from None

    data: dict[str, Any] = {"client": {"id": client_id}}
    metrics: dict[str, object] = {}
    income: dict[str, object] = {}
    for column, (text, scale) in record.items():
        if not text or column == "client_id" or (len(text) <= 4 and text.strip().upper() in MISSING):
            continue
        if column not in _PROFILE_COLUMN_SET:  # a metric (most columns): checked first
            try:
                metrics[column] = _metric_cell(column, text, scale, decimal_mark)
            except ValueError as exc:
                raise fail(column, str(exc)) from None
        elif column in ("name", "jurisdiction", "currency"):
            data["client"][column] = text
        elif column == "as_of":
            data["as_of"] = text
        elif column in ("monthly_income", "annual_income"):
            income[column.removesuffix("_income")] = _money_text(
                number(column, text, scale), decimal_mark, fail, column
            )
        elif column == "income_verified":
            try:
                income["verified"] = coerce_bool(text)
            except ValueError as exc:
                raise fail(column, str(exc)) from None
        elif column == "score":
            points = _money_text(number(column, text, scale), decimal_mark, fail, column)
            if points != points.to_integral_value():
                raise fail(column, "expected a whole number")
            data.setdefault("score", {})["value"] = int(points)
        else:  # score_scale
            data.setdefault("score", {})["scale"] = text.lower()
    _check_currency(record, data["client"], fail)
    if history:
        where = str(data["client"].get("jurisdiction", "")).strip().upper()
        codes = _history_text(history, fail, us=where == "US")
        if codes is not None:
            for metric, value in history_metrics(codes, where == "CN"):
                metrics.setdefault(metric, value)
    if income:
        if "monthly" not in income and "annual" not in income:
            metrics["income_verified"] = income["verified"]
        else:
            data["income"] = income
    score = data.get("score")
    if score is not None and "scale" not in score:
        default = _DEFAULT_SCALE.get(str(data["client"].get("jurisdiction", "")).upper())
        if default is None:
            raise fail("score_scale", "required with score (sesame, fico or vantage)")
        score["scale"] = default
    if score is not None and "value" not in score:
        del data["score"]
    if metrics:
        data["metrics"] = metrics
    return data


def _history_text(history: Sequence[tuple[int, str, ColumnRead]], fail: Any, *, us: bool) -> str | None:
    """The history string of a row's status columns (``#`` for a month with none or an empty
    cell), or None when none of them holds a status; a cell that is not one is an error."""
    codes = ["#"] * (max(place for place, _, _ in history) + 1)
    known = False
    for place, text, read in history:
        if not text or (len(text) <= 4 and text.upper() in MISSING):
            continue
        code = _status_code(text, read.days_late, us=us)
        if code is None:
            ago = read.months_ago or 0
            when = "the as_of month" if ago == 0 else f"{ago} month{'s' if ago > 1 else ''} before as_of"
            what = "a status code or days past due" if read.days_late else "a status code"
            raise fail(HISTORY, f"the status of {when} is not {what}; give the column codes in the column map")
        codes[place] = code
        known = known or code != "#"
    return "".join(codes) if known else None


def _check_currency(record: dict[str, tuple[str, Decimal | None]], client: dict[str, Any], fail: Any) -> None:
    """Refuse an amount cell whose currency sign or word cannot be the row's currency (its
    ``currency`` cell, else CNY for CN and USD for US rows): ``¥50,000`` in a USD row is a mistake of
    the export, never a conversion."""
    currency = (
        str(client.get("currency") or default_currency(str(client.get("jurisdiction") or "").strip().upper()) or "")
        .strip()
        .upper()
    )
    if not re.fullmatch(r"[A-Z]{3}", currency):  # none, or not a currency: the model refuses the cell
        return
    for column, (text, _) in record.items():
        if column in _AMOUNTS and text and not text.strip()[:1].isdigit():
            clash = currency_clash(text, currency, "row")
            if clash is not None:
                raise fail(column, clash)


def _validated(data: dict[str, Any], name: str, line: int) -> Profile:
    """:class:`Profile` validation of a row's data; an error names the row's line and column."""
    try:
        return Profile.model_validate(data, context={CONVERTED: True})  # metric cells: converted by _metric_cell
    except ValidationError as exc:
        error = to_input_error(exc, Profile, {}, name)
        field = _column_of(error.field)
        raise InputError(error.reason, path=name, line=line, field=field) from None


class _Unusual(Exception):
    """A row the quick check does not vouch for: :class:`Profile` validation decides."""


def _row_facts(data: dict[str, Any], as_of: date | None) -> RowFacts:
    """The client and metrics of a row's data when they plainly pass :class:`Profile` validation,
    checked with the model's own field validators; anything else raises :class:`_Unusual`."""
    client = data["client"]
    try:
        client_id = _not_blank(client["id"])
        if "name" in client:
            _not_blank(client["name"])
        # text in, text out: the row's cells are strings
        jurisdiction = str(_jurisdiction(client["jurisdiction"])) if "jurisdiction" in client else None
        currency = str(_currency(client["currency"])) if "currency" in client else None
        own = _date(data["as_of"]) if "as_of" in data else None  # checked even when --as-of overrides it
        when = as_of or own or date.today()
        income = data.get("income")
        monthly = verified = None
        if income is not None:
            amounts = {key: _money(value) for key, value in income.items() if key != "verified"}
            monthly = monthly_amount(amounts.get("monthly"), amounts.get("annual"))
            verified = income.get("verified")
    except ValueError:
        raise _Unusual from None
    score = data.get("score")
    value = scale = None
    if score is not None:
        value, scale = score["value"], score["scale"]
        if scale not in SCORE_RANGES or not SCORE_RANGES[scale][0] <= value <= SCORE_RANGES[scale][1]:
            raise _Unusual
    metrics = summary_metrics(
        when,
        data.get("metrics", {}),
        monthly_income=monthly,
        income_verified=verified,
        score=value,
        score_scale=scale,
    )
    return RowFacts(client_id, jurisdiction, currency, metrics)


# --- the quick reader of whole batches (``check``) ------------------------------------------------


class _Mark:
    """What a cell converter gives instead of a value: see :data:`_ABSENT` and :data:`_BAD`."""


#: What a cell converter gives for an empty or ``NA`` cell, and for one it cannot convert.
_ABSENT = _Mark()
_BAD = _Mark()


class RowValues(NamedTuple):
    """What the quick reader gives of a row: who, and the values of its metrics (not their order,
    nor why the others are unavailable: a batch that only grades needs neither)."""

    client_id: str
    jurisdiction: str | None
    currency: str | None
    values: dict[str, MetricValue]


def _converter(column: str, scale: Decimal | None, decimal_mark: str) -> Any:
    """The function turning a raw cell of *column* into its value, as :func:`_row_data` then
    :func:`_row_facts` would: :data:`_ABSENT` for an empty or missing cell, :data:`_BAD` for one
    they would not pass quietly (the full path then says why)."""

    def amount(text: str) -> Decimal:
        if scale is None:
            return parse_amount(text, decimal_mark=decimal_mark)
        return parse_scaled(text, scale, decimal_mark=decimal_mark)

    def score(text: str) -> int:
        points = amount(text)
        if points != points.to_integral_value():
            raise ValueError("expected a whole number")
        return int(points)

    def name(text: str) -> str:
        if len(text) > 200:
            raise ValueError("too long")
        return text

    def plain(text: str) -> object:  # most cells: digits (a dot), converted as _metric_cell would
        if unit == "money" and _PLAIN.fullmatch(text):
            return Decimal(text)
        if unit in _WHOLE_UNITS and text.isascii() and text.isdigit() and len(text) <= MAX_DIGITS:
            return int(text)
        return _metric_cell(column, text, scale, decimal_mark)

    unit = CATALOGUE[column].unit if column in CATALOGUE else None
    metric = plain
    if scale is not None or decimal_mark != ".":
        metric = lambda text: _metric_cell(column, text, scale, decimal_mark)  # noqa: E731
    convert: Any = {
        "name": name,
        "jurisdiction": lambda text: str(_jurisdiction(text)),
        "currency": lambda text: str(_currency(text)),
        "as_of": _date,
        "monthly_income": lambda text: _money(amount(text)),
        "annual_income": lambda text: _money(amount(text)),
        "income_verified": coerce_bool,
        "score": score,
        "score_scale": str.lower,
    }.get(column, metric)

    signed = column in _AMOUNTS  # a sign or word of a currency: the full path checks it against the row's

    def cell(raw: str) -> object:
        text = raw.strip()
        if not text or (len(text) <= 4 and text.upper() in MISSING):
            return _ABSENT
        if signed and not text[0].isdigit() and currency_mark(text) is not None:
            return _BAD
        try:
            return convert(text)
        except (ValueError, ArithmeticError):  # AmountError, DateError: the full path says which
            return _BAD

    return cell


_WHOLE_UNITS = frozenset({"count", "months", "score"})
#: Amount columns (money metrics, income): non-negative, a plain cell is the Decimal it spells.
_AMOUNTS = frozenset({"monthly_income", "annual_income", *(n for n, s in CATALOGUE.items() if s.unit == "money")})
#: A column of plain amounts, one a line: the whole column is checked with one match.
_PLAIN_LINES = re.compile(rf"(?:{_PLAIN.pattern}\n)*{_PLAIN.pattern}")
#: Distinct cells remembered per column: a table repeats the same counts, dates and flags.
_CELLS_KEPT = 4096
#: The longest name a profile takes: a column of names no longer is only measured, not converted
#: (a name plays no part in a row's grading, and an empty one is as good as none).
_NAME_LENGTH = 200


class _Column(NamedTuple):
    """How the quick reader reads one column of a table."""

    position: int
    target: str
    convert: Any  # a cell's value, or a mark (see _converter)
    #: "plain": amounts, a plain cell the Decimal it spells; "each": every cell converted (names,
    #: amounts with a scale or a decimal comma: they hardly repeat); "repeated": each distinct
    #: cell converted once, remembered in *seen* (counts, dates, flags).
    kind: str
    seen: dict[str, object]
    marked: set[str]  # the cells of *seen* whose value is a mark


def rows_reader(shape: TableShape) -> Callable[[Sequence[list[str]], Sequence[str]], list[RowValues | None]]:
    """A reader of many rows of *shape* at once (their cells, and their client ids), giving each
    row's :class:`RowValues` — the values :meth:`RowWork.facts` gives, for a row it passes quietly
    — or None for any other row. Column by column: each distinct cell of a column converted once,
    and the rows with every cell present (most) made into values together."""
    columns: list[_Column] = []
    mark = shape.decimal_mark
    for index, (target, scale) in enumerate(zip(shape.targets, shape.scales, strict=True)):
        if target is None or target == "client_id" or target == HISTORY:
            continue
        how = shape.reads[index] if shape.reads else None
        kind = "repeated"
        if target in _AMOUNTS:
            # (a code may be a plain number: every cell is looked up)
            kind = "plain" if scale is None and mark == "." and not (how and how.codes) else "each"
        elif target == "name":
            kind = "each"
        convert = _converter(target, scale, mark)
        if how is not None:
            convert = _reading(how, convert, scale, mark)
        columns.append(_Column(index, target, convert, kind, {}, set()))
    history = shape.history

    def read(cells: Sequence[list[str]], client_ids: Sequence[str]) -> list[RowValues | None]:
        out = read_values(cells, client_ids)
        if history and cells:
            _add_history(out, cells, history, mark)
        return out

    def read_values(cells: Sequence[list[str]], client_ids: Sequence[str]) -> list[RowValues | None]:
        if not cells:
            return []
        transposed = list(zip(*cells, strict=True))
        converted: dict[str, Sequence[object]] = {}
        odd: set[int] = set()  # rows with an empty or unconvertible cell
        for column in columns:
            if column.target == "name" and max(map(len, transposed[column.position])) <= _NAME_LENGTH:
                continue  # every name passes (or is empty): nothing reads them
            values, marked = _column(transposed[column.position], column)
            if marked:
                odd.update(number for number, value in enumerate(values) if type(value) is _Mark)
            converted[column.target] = values
        if not odd:
            return _rows_values(client_ids, converted)
        out: list[RowValues | None] = [None] * len(cells)
        regular = [number for number in range(len(cells)) if number not in odd]
        if len(regular) > 1:
            pick = itemgetter(*regular)
            made = _rows_values(pick(client_ids), {name: pick(column) for name, column in converted.items()})
            for number, got in zip(regular, made, strict=True):
                out[number] = got
        else:
            odd.update(regular)
        for number in odd:
            present: dict[str, Sequence[object]] = {}
            for name, column_values in converted.items():
                value = column_values[number]
                if value is _BAD:
                    break
                if value is not _ABSENT:
                    present[name] = (value,)
            else:
                out[number] = _rows_values((client_ids[number],), present)[0]
        return out

    return read


def _reading(read: ColumnRead, convert: Callable[[str], object], scale: Decimal | None, mark: str) -> Any:
    """*convert* of a cell read as the column map says (:meth:`ColumnRead.text`)."""
    text = read.text
    return lambda raw: convert(text(raw.strip(), scale, mark))


#: What a status cell gives that is not a status code: the row's history is the full path's to refuse.
_NOT_STATUS = "!"


def _add_history(
    out: list[RowValues | None], cells: Sequence[list[str]], history: Sequence[tuple[int, int, ColumnRead]], mark: str
) -> None:
    """Add to each row of *out* the metrics of its history (:func:`_history_text`), those its
    metric columns do not give; a row whose status cells do not all read is left to the full path."""
    length = max(place for _, place, _ in history) + 1
    by_place: list[Any] = [repeat("#")] * length
    us_place: list[Any] | None = None  # days past due read as a US row's (from 30 days), where they differ
    for index, place, read in history:
        seen: dict[str, tuple[str, str]] = {}  # a cell's code in a US row, and in any other
        for cell in {row[index] for row in cells}:
            text = read.text(cell.strip(), None, mark)
            if not text or (len(text) <= 4 and text.upper() in MISSING):
                seen[cell] = ("#", "#")
            else:
                seen[cell] = (
                    _status_code(text, read.days_late, us=True) or _NOT_STATUS,
                    _status_code(text, read.days_late) or _NOT_STATUS,
                )
        by_place[place] = [seen[row[index]][1] for row in cells]
        if read.days_late:
            us_place = us_place or list(by_place)
            us_place[place] = [seen[row[index]][0] for row in cells]
        elif us_place is not None:
            us_place[place] = by_place[place]
    strings = list(map("".join, zip(*by_place, strict=False)))
    us_strings = list(map("".join, zip(*us_place, strict=False))) if us_place is not None else strings
    for number, got in enumerate(out):
        if got is None:  # an error already
            continue
        codes = us_strings[number] if got.jurisdiction == "US" else strings[number]
        if not codes.strip("#"):  # no status known
            continue
        if _NOT_STATUS in codes:
            out[number] = None
            continue
        values = got.values
        for metric, value in history_metrics(codes, got.jurisdiction == "CN"):
            if metric not in values:
                values[metric] = value


def _column(cells: Sequence[str], column: _Column) -> tuple[list[object], bool]:
    """The values of a column's *cells*, and whether any of them is a mark (:data:`_ABSENT`, :data:`_BAD`)."""
    if column.kind == "repeated":
        seen, marked = column.seen, column.marked
        distinct = set(cells)
        new = distinct.difference(seen)
        if new:
            if len(seen) + len(new) > _CELLS_KEPT:
                seen.clear()
                marked.clear()
                new = distinct
            for cell in new:
                value = seen[cell] = column.convert(cell)
                if type(value) is _Mark:
                    marked.add(cell)
        return list(map(seen.__getitem__, cells)), not marked.isdisjoint(distinct)
    if column.kind == "plain":
        text = "\n".join(cells)
        if text.count("\n") == len(cells) - 1 and _PLAIN_LINES.fullmatch(text):  # no cell holds a line break
            return list(map(Decimal, cells)), False
        plain = _PLAIN.fullmatch
        values = [Decimal(cell) if plain(cell) else column.convert(cell) for cell in cells]
    else:
        values = list(map(column.convert, cells))
    return values, _Mark in set(map(type, values))


def _rows_values(client_ids: Sequence[str], columns: Mapping[str, Sequence[Any]]) -> list[RowValues | None]:
    """The values of rows whose cells *columns* holds, each present and converted in every row, as
    :func:`_row_data` then :func:`_row_facts` make them; None for a row they would not pass quietly."""
    nothing: Sequence[Any] = (None,) * len(client_ids)
    jurisdictions = columns.get("jurisdiction", nothing)
    names = [name for name in columns if name not in _PROFILE_COLUMN_SET]
    income: Sequence[Any] = nothing
    verified: Sequence[Any] = nothing
    if "monthly_income" in columns or "annual_income" in columns:
        monthly, annual = columns.get("monthly_income", nothing), columns.get("annual_income", nothing)
        # a monthly amount in every row is the income as it is (monthly_amount gives it back)
        income = monthly if "monthly_income" in columns else list(map(monthly_amount, monthly, annual))
        verified = columns.get("income_verified", nothing)
    elif "income_verified" in columns:
        names.append("income_verified")  # a metric of its own without an income
    scores = columns.get("score", nothing)
    scales: Sequence[Any] = nothing
    if "score" in columns:
        given_scales = columns.get("score_scale", nothing)
        if all(given_scales):  # (every row names its scale)
            scales = given_scales
        else:
            given = zip(given_scales, jurisdictions, strict=True)
            scales = [scale or _DEFAULT_SCALE.get(where or "") for scale, where in given]
    refused: Container[int] = ()  # ids the model refuses (or may: a quick look, then the full one)
    if max(map(len, client_ids)) > 200 or any_spreadsheet_id(client_ids):
        refused = {n for n, text in enumerate(client_ids) if len(text) > 200 or is_spreadsheet_id(text)}
    # row_values of each row: the fields, the supplied metrics, then the combined ratios
    known: dict[str, Sequence[Any]] = {}
    if income is not nothing:
        known["monthly_income"] = income
    if verified is not nothing:
        known["income_verified"] = verified
    if "score" in columns:
        known["score"] = scores
    known.update((name, columns[name]) for name in names)
    combined = combined_columns(known, scales)
    lacking: set[int] = set()  # rows some combined ratio is unavailable to: add_combined says which
    for column in combined.values():
        if None in column:
            lacking.update(number for number, value in enumerate(column) if value is None)
    base, supplied = len(known), frozenset(names)
    value_names = [*known, *combined]
    rows = zip(*known.values(), *combined.values(), strict=True) if value_names else repeat((), len(client_ids))
    currencies = columns.get("currency", nothing)
    # a score off its scale: looked for among the distinct (score, scale) pairs, a few hundred
    off_scale = "score" in columns and any(
        score is not None and not _in_range(score, scale) for score, scale in set(zip(scores, scales, strict=True))
    )
    if not refused and not off_scale and not lacking:  # most batches: every row as it is, together
        made = map(dict, map(zip, repeat(value_names), rows))
        return list(map(RowValues, client_ids, jurisdictions, currencies, made))
    out: list[RowValues | None] = []
    for number, (client_id, jurisdiction, currency, row, score, scale) in enumerate(
        zip(client_ids, jurisdictions, currencies, rows, scores, scales, strict=True)
    ):
        if number in refused or (score is not None and not _in_range(score, scale)):
            out.append(None)
            continue
        if number in lacking:
            values = dict(zip(value_names[:base], row[:base], strict=True))
            add_combined(values, supplied, scale)
        else:
            values = dict(zip(value_names, row, strict=True))
        out.append(RowValues(client_id, jurisdiction, currency, values))
    return out


def _in_range(score: int, scale: str | None) -> bool:
    """Whether *score* is on *scale* (a known one)."""
    return scale in SCORE_RANGES and SCORE_RANGES[scale][0] <= score <= SCORE_RANGES[scale][1]


_FIELD_COLUMNS = {
    "client.name": "name", "client.jurisdiction": "jurisdiction", "client.currency": "currency",
    "income.monthly": "monthly_income", "income.annual": "annual_income", "income": "monthly_income",
    "score.value": "score", "score.scale": "score_scale", "score": "score", "as_of": "as_of",
}  # fmt: skip


def _column_of(field: str | None) -> str | None:
    if field is None:
        return None
    if field.startswith("metrics."):
        return field.removeprefix("metrics.")
    return _FIELD_COLUMNS.get(field, field)


@functools.lru_cache(maxsize=4096)
def _metric_cell(column: str, text: str, scale: Decimal | None, decimal_mark: str) -> MetricValue:
    """The value of a metric cell; ValueError (AmountError) says why there is none.

    Cached: a table repeats the same few counts, dates and amounts over and over, and every
    argument and result is immutable; the cache is bounded, so memory stays flat.
    """
    unit = CATALOGUE[column].unit
    value: object = text
    if scale is not None:
        value = parse_scaled(text, scale, decimal_mark=decimal_mark)
        if unit == "ratio" and isinstance(value, Decimal):  # the map declares the unit: 1.2 is 120%
            if value < 0:
                raise ValueError("must not be negative")
            return value
    elif decimal_mark == "," and unit in ("money", "count", "months", "score"):
        value = parse_amount(text, decimal_mark=decimal_mark)
    elif decimal_mark == "," and unit == "ratio":
        value = text.replace(",", ".")
    try:
        return coerce_metric(column, value)
    except ValueError as exc:
        if unit == "ratio" and str(exc).startswith(_AMBIGUOUS):  # a table's column can say its unit once
            raise ValueError(
                f"{_AMBIGUOUS}: write a percentage ('45%') or a fraction (0.45), or give the column"
                " a scale in a column map (--columns; scale: 0.01 for 0-100)"
            ) from None
        if scale is None and isinstance(value, str) and _EXPONENT.fullmatch(value.strip().lstrip("-")):
            raise ValueError(_EXPONENT_HINT) from None
        raise


#: Why a cell in exponent notation (``5.00E+05``, as spreadsheets and R write numbers) is refused.
_EXPONENT_HINT = (
    "a number in exponent notation is read only in a column the column map gives a scale (scale: 1 keeps it as is)"
)


#: How :func:`~creditfix.money.parse_rate` refuses a bare number above 1.
_AMBIGUOUS = "a bare number above 1 is ambiguous"


def _money_text(value: object, decimal_mark: str, fail: Any, column: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return parse_amount(value, decimal_mark=decimal_mark)
    except AmountError as exc:
        if isinstance(value, str) and _EXPONENT.fullmatch(value.strip().lstrip("-")):
            raise fail(column, _EXPONENT_HINT) from None
        raise fail(column, str(exc)) from None


def pick_row(rows: Iterator[TableRow], client: str | None, name: str) -> Profile:
    """The one profile a single-client command works on: ``--client ID``, or the only row."""
    chosen: TableRow | None = None
    total = 0
    for row in rows:
        total += 1
        if client is None:
            if chosen is not None:
                raise UsageError("the table has more than one client; choose one with --client ID", path=name)
            chosen = row
        elif row.client_id == client:
            chosen = row
            break
    if chosen is None:
        raise UsageError(f"no client with that id among {total} rows", path=name)
    if chosen.error is not None:
        raise chosen.error
    assert chosen.profile is not None
    return chosen.profile
