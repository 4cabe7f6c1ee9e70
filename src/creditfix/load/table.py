"""Client tables: one client per CSV row, as advisors and lenders export them (DESIGN §2.2).

Columns are profile fields (``client_id, name, jurisdiction, currency, as_of, monthly_income,
annual_income, income_verified, score, score_scale``) and metric names; a metric column supplies
that metric directly. ``--columns map.yaml`` renames foreign headers
(``{their_header: our_name}`` or ``{their_header: {field: our_name, scale: 0.01}}``; ``null`` drops
a column). Every row remembers its line; a bad row is an error for that row only.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any, NamedTuple

from pydantic import ValidationError

from creditfix import caps
from creditfix.errors import CreditfixError, InputError, UsageError, did_you_mean, safe_name
from creditfix.load.csvread import CsvTable, RaggedRowError, RawBatch, parse_batch, read_csv, refuse_spreadsheet_id
from creditfix.load.source import decode_utf8, display_name, open_table, read_bytes
from creditfix.load.validate import to_input_error
from creditfix.load.yamlsafe import parse_yaml
from creditfix.metrics import (
    CATALOGUE,
    Metrics,
    MetricValue,
    coerce_bool,
    coerce_metric,
    compute_metrics,
    summary_metrics,
)
from creditfix.model import (
    CONVERTED,
    SCORE_RANGES,
    Profile,
    _currency,
    _date,
    _jurisdiction,
    _money,
    _not_blank,
    monthly_amount,
)
from creditfix.money import AmountError, parse_amount

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


@dataclass(frozen=True)
class ColumnMap:
    """How foreign headers map onto ours: target name (None = drop) and a numeric scale."""

    targets: dict[str, str | None]
    scales: dict[str, Decimal]

    @staticmethod
    def empty() -> ColumnMap:
        return ColumnMap({}, {})


def load_column_map(path: str | FsPath) -> ColumnMap:
    """Read a ``--columns`` YAML file."""
    name = display_name(path)
    data, positions = parse_yaml(decode_utf8(read_bytes(path), name), name)
    if not isinstance(data, dict):
        raise InputError("expected a mapping of their header to our column", path=name, line=1)
    targets: dict[str, str | None] = {}
    scales: dict[str, Decimal] = {}
    for header, spec in data.items():
        line = positions[(header,)][0]
        scale: object = None
        if isinstance(spec, dict):
            unknown = [k for k in spec if k not in ("field", "scale")]
            if unknown:
                raise InputError(
                    f"unknown key{did_you_mean(str(unknown[0]), ['field', 'scale'])}; use field and scale",
                    path=name,
                    line=line,
                    field=safe_name(header) or None,
                )
            target, scale = spec.get("field"), spec.get("scale")
        else:
            target = spec
        if target is not None and (not isinstance(target, str) or target not in KNOWN_COLUMNS):
            hint = did_you_mean(target, KNOWN_COLUMNS) if isinstance(target, str) else ""
            raise InputError(f"not a known column{hint}", path=name, line=line, field=safe_name(header) or None)
        targets[header] = target
        if scale is not None:
            try:
                scales[header] = parse_amount(scale)
            except AmountError:
                raise InputError("scale must be a number", path=name, line=line) from None
    return ColumnMap(targets, scales)


_PROFILE_FIELDS = frozenset(Profile.model_fields)
#: A key at the start of a line: a top-level key of a block mapping (not a comment, list or flow).
_TOP_LEVEL_KEY = re.compile(r"^([^\s#\-{\[.][^:\n]*):", re.MULTILINE)


def column_map_in(path: str | FsPath) -> ColumnMap | None:
    """The column map the YAML file *path* holds, or None when it is not one: its top-level keys
    (in its first 4 KB) are not all profile fields, as a profile's are, and it loads as a valid
    ``--columns`` map. A profile is told apart without being parsed."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096).decode("utf-8", "replace")
    except OSError:
        return None
    keys = {key.strip().strip("'\"") for key in _TOP_LEVEL_KEY.findall(head)}
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
        """Each mapped column's stripped text and scale."""
        shape = self.shape
        return {t: (c.strip(), s) for t, c, s in zip(shape.targets, self.cells, shape.scales, strict=True) if t}

    @property
    def decimal_mark(self) -> str:
        return self.shape.decimal_mark

    @property
    def source(self) -> str:
        return self.shape.source

    def profile(self) -> Profile:
        """The row's profile; raises :class:`InputError` naming the row's line and column."""
        return _row_profile(self.record, self.client_id, self.decimal_mark, self.source, self.line)

    def facts(self, as_of: date | None) -> RowFacts:
        """The row's client and metrics on *as_of* (default: the row's ``as_of``, then today) —
        the same values and the same errors as :meth:`profile` and ``compute_metrics``, without
        building the profile when the row plainly passes its validation."""
        data = _row_data(self.record, self.client_id, self.decimal_mark, self.source, self.line)
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


def looks_like_table(header_line: str) -> bool:
    """True when a first line reads as a client-table header (for sniffing stdin)."""
    cells = [c.strip().strip('"') for c in re.split(r"[,;\t|]", header_line)]
    return len(cells) >= 2 and sum(c in KNOWN_COLUMNS for c in cells) >= 2


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

    def recognised(header: list[str]) -> bool:
        return all(target(c) is None or target(c) in KNOWN_COLUMNS for c in header)

    # An export's unnamed index column (pandas writes one) is fine when the column map names it.
    table = read_csv(
        data if data is not None else open_table(path),
        name,
        recognised=recognised,
        encoding=encoding,
        empty_header_ok="" in mapping.targets,
    )
    for index, cell in enumerate(table.header):
        wanted = target(cell)
        if wanted is not None and wanted not in KNOWN_COLUMNS:
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
    used = [t for t in targets if t is not None]
    if len(set(used)) != len(used):
        table.close()
        raise InputError("two columns map to the same field", path=table.name, line=table.header_line)
    scales = [mapping.scales.get(c) for c in table.header]
    decimal_mark = "," if table.delimiter == ";" else "."
    return TableShape(tuple(targets), tuple(scales), decimal_mark, table.name, table.delimiter)


class TableBatch(NamedTuple):
    """Consecutive rows of one table as raw text (:class:`RawBatch`) with what a worker needs to
    read them: the table's shape. :func:`batch_rows` gives the same rows :func:`iter_table` gives."""

    shape: TableShape
    raw: RawBatch


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
    name = shape.source
    targets = shape.targets
    id_column = targets.index("client_id") if "client_id" in targets else None
    stem = FsPath(name).stem
    for line, cells in parse_batch(batch.raw, shape.delimiter, len(targets), name):
        if isinstance(cells, InputError):
            ragged = cells.cells if isinstance(cells, RaggedRowError) else []
            client_id = ragged[id_column].strip() or None if id_column is not None and id_column < len(ragged) else None
            yield TableRow(name, line, client_id, None, cells)
            continue
        client_id = (cells[id_column].strip() if id_column is not None else "") or f"{stem}:{line}"
        yield TableRow(name, line, client_id, None, None, RowWork(cells, client_id, line, shape))


def _ragged_id(header: list[str], error: InputError, mapping: ColumnMap) -> str | None:
    """The client id of a row with the wrong number of cells, when its id column is still readable."""
    cells = error.cells if isinstance(error, RaggedRowError) else []
    for index, cell in enumerate(header):
        if mapping.targets.get(cell, cell) == "client_id" and index < len(cells):
            return cells[index].strip() or None
    return None


def _row_profile(
    record: dict[str, tuple[str, Decimal | None]], client_id: str, decimal_mark: str, name: str, line: int
) -> Profile:
    return _validated(_row_data(record, client_id, decimal_mark, name, line), name, line)


def _row_data(
    record: dict[str, tuple[str, Decimal | None]], client_id: str, decimal_mark: str, name: str, line: int
) -> dict[str, Any]:
    """The row's cells converted into profile input (what :class:`Profile` validates); a cell that
    cannot be converted raises :class:`InputError` naming its column."""

    def fail(column: str, reason: str) -> InputError:
        return InputError(reason, path=name, line=line, field=column)

    refuse_spreadsheet_id(client_id, path=name, line=line, field="client_id")

    def number(column: str, text: str, scale: Decimal | None) -> object:
        if scale is None:
            return text
        try:
            return parse_amount(text.rstrip("%"), decimal_mark=decimal_mark) * scale
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
            verified = income.get("verified", False)
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
        value = parse_amount(text.rstrip("%"), decimal_mark=decimal_mark) * scale
        if unit == "ratio" and isinstance(value, Decimal):  # the map declares the unit: 1.2 is 120%
            if value < 0:
                raise ValueError("must not be negative")
            return value
    elif decimal_mark == "," and unit in ("money", "count", "months", "score"):
        value = parse_amount(text, decimal_mark=decimal_mark)
    elif decimal_mark == "," and unit == "ratio":
        value = text.replace(",", ".")
    return coerce_metric(column, value)


def _money_text(value: object, decimal_mark: str, fail: Any, column: str) -> Decimal:
    if isinstance(value, Decimal):
        return value
    try:
        return parse_amount(value, decimal_mark=decimal_mark)
    except AmountError as exc:
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
