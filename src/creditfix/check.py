"""Batch triage: many clients (files, folders, client tables, stdin) through the same packs.

One result per client — id, source (file and line), grade, risk points, counts by severity, the top
finding, or the one-line error that ``plan`` would print. A bad file or row never stops the batch.
Results come back in input order; ``--jobs N`` spreads clients over worker processes, with packs
loaded once per process, and a worker that dies costs only the client it was working on. The main
process does little per client: it finds where batches of a client table's rows start in its file
(or, for stdin and text it cannot cut as bytes, splits the text), and the workers read the rows
and make each result's output line and journal record (:class:`Emit`).
"""

from __future__ import annotations

import fnmatch
import functools
import gc
import os
import signal
import stat
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from creditfix.config import Settings
from creditfix.errors import CreditfixError, InputError, UsageError
from creditfix.load.csvread import RawRange
from creditfix.load.profile import parse_profile_text
from creditfix.load.source import STDIN, decode_utf8
from creditfix.load.table import RowFacts, RowWork, TableBatch, TableRow
from creditfix.model import Profile
from creditfix.money import default_currency, format_money

if TYPE_CHECKING:
    from creditfix.load.table import ColumnMap
    from creditfix.plan import Triage
    from creditfix.rules.engine import CompiledPack, CompiledRule

_PROFILE_SUFFIXES = (".yaml", ".yml")
_TABLE_SUFFIXES = (".csv", ".tsv")


_NO_COUNTS: dict[str, int] = {}


class CheckResult(NamedTuple):
    """The triage of one client. A named tuple: a batch makes one per client, a ranked output
    keeps them all, and they cross between processes (*counts* is shared: read it, never change it)."""

    index: int  # type: ignore[assignment]  # shadows tuple.index, which nothing here calls
    source: str
    line: int | None
    client_id: str | None
    grade: str | None = None
    risk_points: int | None = None
    counts: dict[str, int] = _NO_COUNTS
    top_rule: str | None = None
    top_title: str | None = None
    top_severity: str | None = None
    error: str | None = None
    overdue_now: bool | None = None
    late_24m: int | None = None
    limit_tier: str | None = None
    suggested_limit: Decimal | None = None
    limit_currency: str | None = None  # the currency of suggested_limit
    provisional: bool = False  # a critical or high rule could not be assessed (see creditfix.plan.provisional)


@dataclass(frozen=True, slots=True)
class Job:
    """One unit of work: a YAML file, or one client-table row already loaded."""

    index: int
    source: str
    line: int | None
    client_id: str | None
    profile: object | None = None  # RowWork (a table row), bytes (stdin) or None to load *source*
    error: str | None = None


@dataclass
class Discovery:
    """What :func:`discover` found out about the files of a folder as it walked it: those it left
    out and why (*skipped*: path, reason), and the column map each table with a foreign header is
    read with (*maps*: table → (map file, map)). *columns* and *encoding* are ``--columns`` and
    ``--encoding``, with which a header is recognised."""

    columns: ColumnMap | None = None
    encoding: str | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)
    maps: dict[str, tuple[str, ColumnMap]] = field(default_factory=dict)
    output: Path | None = None  # ``-o FILE``: never read as an input, even in a folder walked


def discover(
    paths: Sequence[str], include: Sequence[str] = (), exclude: Sequence[str] = (), found: Discovery | None = None
) -> Iterator[str]:
    """Every input named by *paths*: files as given, folders walked recursively in name order.

    A folder's files that are not clients are left out (into ``found.skipped``): a YAML column map
    (:func:`~creditfix.load.table.column_map_in`), and a CSV whose header is not a client table's
    but that a profile of the run names as its ``debts``/``payments``/``inquiries`` file. A CSV
    with a foreign header that a column map of the run reads is read with that map
    (``found.maps``). A file named on the command line is always checked as it is.
    """
    from creditfix.load.profile import side_files
    from creditfix.load.table import column_map_in, header_fits

    found = found if found is not None else Discovery()
    output_id = _file_id(found.output)  # once, not once a file
    files: list[tuple[str, bool]] = []  # (path, found in a folder)
    for path in paths:
        if path == STDIN or not Path(path).is_dir():
            files.append((path, False))
            continue
        for folder, dirs, names in os.walk(path):
            dirs.sort()
            for name in sorted(names):
                full = os.path.join(folder, name)
                if not name.lower().endswith(_PROFILE_SUFFIXES + _TABLE_SUFFIXES):
                    continue
                if include and not any(fnmatch.fnmatch(full, g) or fnmatch.fnmatch(name, g) for g in include):
                    continue
                if any(fnmatch.fnmatch(full, g) or fnmatch.fnmatch(name, g) for g in exclude):
                    continue
                why = _not_input(full, found.output, output_id)
                if why is not None:
                    found.skipped.append((full, why))
                    continue
                files.append((full, True))
    profiles = [p for p, _ in files if p != STDIN and p.lower().endswith(_PROFILE_SUFFIXES)]
    maps: dict[str, ColumnMap | None] = {}  # YAML file -> its column map, worked out once
    named: dict[Path, str] | None = None  # side CSV -> why, worked out at the first foreign table

    def column_map(path: str) -> ColumnMap | None:
        if path not in maps:
            maps[path] = column_map_in(path)
        return maps[path]

    for path, walked in files:
        if not walked:
            yield path
        elif path.lower().endswith(_PROFILE_SUFFIXES):
            if column_map(path) is None:
                yield path
            else:
                found.skipped.append((path, "a column map"))
        elif header_fits(path, found.columns, found.encoding):
            yield path
        elif _is_report(path):
            found.skipped.append((path, "a creditfix check report"))
        else:
            if named is None:
                named = {csv: f"the {key} file of {p}" for p in profiles for key, csv in side_files(p)}
            why = named.get(Path(path).resolve())
            if why is not None:
                found.skipped.append((path, why))
                continue
            for candidate in profiles:
                mapping = column_map(candidate)
                if mapping is not None and header_fits(path, mapping, found.encoding):
                    found.maps[path] = (candidate, mapping)
                    break
            yield path


def _not_input(path: str, output: Path | None, output_id: tuple[int, int] | None) -> str | None:
    """Why a file found in a folder is no input at all: the run's own output (*output*, whose
    device and inode are *output_id* when it exists), or not a regular file (opening a named pipe
    waits for a writer for ever)."""
    try:
        status = os.stat(path)
    except OSError:
        return None  # unreadable: reported as that client's error
    if not stat.S_ISREG(status.st_mode):
        return "not a regular file (a pipe, socket or device)"
    if output_id is not None and (status.st_dev, status.st_ino) == output_id:
        if not _is_report(path):  # a client file: the run would replace it with its report
            raise UsageError("the output would overwrite an input file; write it elsewhere", path=str(output))
        return "the output of this run"
    return None


def _file_id(path: Path | None) -> tuple[int, int] | None:
    """The device and inode of *path*, or None when there is none (yet)."""
    try:
        status = os.stat(path) if path is not None else None
    except OSError:
        return None
    return (status.st_dev, status.st_ino) if status is not None else None


#: The first columns of a ``check`` report in csv (plain or ``--portfolio``).
_REPORT_HEADER = ["client_id", "source", "line", "grade"]
#: What follows the grade in a report's header (reports written before ``provisional``: risk_points).
_AFTER_GRADE = ("provisional", "risk_points")


def _is_report(path: str) -> bool:
    """True for a CSV that an earlier ``check --format csv`` wrote (an advisor's folder often
    keeps last month's report next to the clients)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(512).decode("utf-8-sig", "replace")
    except OSError:
        return False
    cells = [cell.strip().strip('"') for cell in head.split("\n", 1)[0].split(",")]
    count = len(_REPORT_HEADER)
    return cells[:count] == _REPORT_HEADER and len(cells) > count and cells[count] in _AFTER_GRADE


@dataclass(frozen=True, slots=True)
class RowBatch:
    """Consecutive rows of a client table, as raw text for a worker to read (the main process
    only splits the table): jobs *index*, *index* + 1, ... of the batch's rows, the first *skip*
    of them already done (a resumed run)."""

    index: int
    batch: TableBatch
    skip: int = 0

    @property
    def rows(self) -> int:
        return self.batch.raw.rows - self.skip

    def near_end(self, workers: int) -> bool:
        """Whether this is one of the last batches of its table's file (about two for each of
        *workers* after it); False when not known (text already read)."""
        raw = self.batch.raw
        return isinstance(raw, RawRange) and raw.stamp[2] - raw.offset - raw.length < 2 * workers * raw.length

    def read(self) -> RowBatch:
        """The batch with its rows' text in hand (:meth:`TableBatch.read`: in a worker, a range of
        the table's file is read there); :class:`InputError` when the file changed meanwhile."""
        batch = self.batch.read()
        return self if batch is self.batch else replace(self, batch=batch)

    def jobs(self) -> Iterator[Job]:
        """The batch's rows as jobs (in a worker: the rows are read there); a file changed since
        the table was opened makes each row an error."""
        from creditfix.load.table import batch_rows

        try:
            batch = self.batch.read()
        except InputError as exc:
            for number in range(self.skip, self.batch.raw.rows):
                yield Job(self.index + number, self.batch.shape.source, exc.line, None, error=exc.one_line())
            return
        for number, row in enumerate(batch_rows(batch)):
            if number >= self.skip:
                yield self.job(number, row)

    def job(self, number: int, row: TableRow) -> Job:
        """The job of the batch's row *number* (counting skipped rows)."""
        error = row.error.one_line() if row.error else None
        return Job(self.index + number, row.source, row.line, row.client_id, profile=row.work, error=error)


#: Table rows per batch of raw text: ~40 ms of a worker's time, and one round trip.
BATCH_ROWS = 512


def jobs_for(
    paths: Iterable[str],
    *,
    columns: object = None,
    encoding: str | None = None,
    maps: Mapping[str, tuple[str, ColumnMap]] | None = None,
) -> Iterator[Job | RowBatch]:
    """Expand inputs into jobs in input order; a table contributes batches of rows (one job per row),
    read with its own column map from *maps* (see :class:`Discovery`) if it has one, else *columns*."""
    from creditfix.load import is_table
    from creditfix.load.source import read_bytes
    from creditfix.load.table import ColumnMap, iter_table_batches, looks_like_table

    index = 0
    for path in paths:
        data = None
        table = is_table(path)
        if path == STDIN:
            try:
                data = read_bytes(path)
            except CreditfixError as exc:
                yield Job(index, "<stdin>", exc.line, None, error=exc.one_line())
                index += 1
                continue
            head = data[:4096].lstrip(b"\xef\xbb\xbf").decode("utf-8", "replace").split("\n", 1)[0]
            table = looks_like_table(head, columns if isinstance(columns, ColumnMap) else None)
        if not table:
            yield Job(index, "<stdin>" if path == STDIN else path, None, None, profile=data)
            index += 1
            continue
        column_map = maps[path][1] if maps and path in maps else columns if isinstance(columns, ColumnMap) else None
        try:
            for batch in iter_table_batches(path, size=BATCH_ROWS, columns=column_map, encoding=encoding, data=data):
                yield RowBatch(index, batch)
                index += batch.raw.rows
        except CreditfixError as exc:  # the table as a whole: encoding, header, quotes
            yield Job(index, str(path) if path != STDIN else "<stdin>", exc.line, None, error=exc.one_line())
            index += 1


# --- per-process state: packs compiled once ---------------------------------------------------

_STATE: dict[str, object] = {}
_WATCHED = 0  # the process whose parent is watched (see _exit_with_parent)


def init_worker(settings: Settings, as_of: date | None, redact: bool = False) -> None:
    """Set up a process (or the main one) to run jobs."""
    import multiprocessing

    from creditfix import caps
    from creditfix.config import caps_of

    if multiprocessing.parent_process() is not None:
        _exit_with_parent()
        # What the worker inherited (modules, packs, settings) lives as long as it does: frozen,
        # no collection of the worker traverses it, nor copies its pages to write into them.
        gc.freeze()
    caps.use(caps_of(settings))
    _STATE.clear()
    _STATE["settings"] = settings
    _STATE["as_of"] = as_of
    _STATE["redact"] = redact
    _STATE["packs"] = {}


def _exit_with_parent() -> None:
    """In a worker: exit when the main process is gone. A ``kill -9`` of ``creditfix check`` would
    otherwise leave its workers blocked on the task queue for ever (a sibling still holds the
    queue's write end, so they never see end-of-file)."""
    import time

    global _WATCHED
    if os.getpid() == _WATCHED:  # once per process (a forked worker inherits this from its parent)
        return
    _WATCHED = os.getpid()
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="creditfix-parent-watch", daemon=True).start()


def _packs(jurisdiction: str | None) -> list[object]:
    from creditfix.config import packs_for

    cache: dict[str | None, list[object]] = _STATE["packs"]  # type: ignore[assignment]
    if jurisdiction not in cache:
        cache[jurisdiction] = packs_for(jurisdiction, _STATE["settings"])  # type: ignore[arg-type, assignment]
    return cache[jurisdiction]


def run_job(job: Job) -> CheckResult:
    """Triage one client; every expected failure becomes an error result."""
    from creditfix.plan import triage, with_bounds
    from creditfix.rules.engine import evaluate

    if _STATE.get("redact") and job.client_id:
        from creditfix.privacy import last4

        job = replace(job, client_id=last4(job.client_id))
    if job.error is not None:
        return CheckResult(job.index, job.source, job.line, job.client_id, error=job.error)
    try:
        if isinstance(job.profile, RowWork):  # validated here, in the worker, straight to metrics
            facts = job.profile.facts(_STATE.get("as_of"))  # type: ignore[arg-type]
            if _STATE.get("redact"):
                from creditfix.privacy import last4

                facts = facts._replace(client_id=last4(facts.client_id or ""))
        else:
            if isinstance(job.profile, Profile):
                profile = job.profile
            elif isinstance(job.profile, bytes):
                profile = parse_profile_text(decode_utf8(job.profile, "<stdin>"), "<stdin>")
            else:
                from creditfix.load.profile import load_yaml_profile

                profile = load_yaml_profile(job.source)
            if _STATE.get("redact"):
                from creditfix.privacy import redact

                profile = redact(profile)
            facts = RowFacts.of(profile, _STATE.get("as_of"))  # type: ignore[arg-type]
        client_id, jurisdiction, currency, metrics = facts
        packs = _packs(jurisdiction)
        evaluation = evaluate(packs, metrics, detail=False)  # type: ignore[arg-type]
        summary = triage(evaluation, packs)  # type: ignore[arg-type]
        top = summary.top
        title = None
        if top is not None:
            bounds = next(f.at_least for f in evaluation.findings if f.rule is top)  # lower bounds read ≥3
            namespace = with_bounds(evaluation.namespaces[top.pack], metrics, bounds)
            title = top_title(top, namespace, currency, jurisdiction)
    except CreditfixError as exc:
        return CheckResult(job.index, job.source, job.line, job.client_id, error=exc.one_line())
    except Exception as exc:  # one client's bug must not stop the batch
        return CheckResult(
            job.index, job.source, job.line, job.client_id, error=f"internal error: {type(exc).__name__}"
        )
    where = (job.index, job.source, job.line)
    money = currency or default_currency(jurisdiction)
    values = metrics.values
    if metrics.at_least.get("late_payments_24m"):  # a lower bound above 0: late, whatever else is unknown
        values = {**values, "late_payments_24m": metrics.at_least["late_payments_24m"]}
    return graded(where, client_id or job.client_id, grading(summary, packs), title, values, money, summary.provisional)  # type: ignore[arg-type]


def top_title(
    top: CompiledRule, namespace: Mapping[str, object], currency: str | None, jurisdiction: str | None
) -> str | None:
    """The top finding's title in English, its amounts in the client's currency."""
    template = top.text("title", "en")
    if template is None:
        return None
    title = template.render(namespace, money_formatter(currency or default_currency(jurisdiction)))
    return shared_text(title) if title else title


def money_formatter(currency: str | None) -> Callable[[Decimal], str]:
    """:func:`format_money` in *currency*."""
    return functools.partial(format_money, currency=currency)


class Grading(NamedTuple):
    """What every client graded the same way shares (:func:`grading`)."""

    grade: str
    risk_points: int
    counts: dict[str, int]  # shared: read it, never change it
    top: CompiledRule | None
    #: The limit tier and income multiple for the grade, for the grade one worse (a provisional
    #: grade's) and for grade E (a client overdue now), if any.
    limits: tuple[tuple[str, Decimal] | None, tuple[str, Decimal] | None, tuple[str, Decimal] | None]


_WORSE = {"A": "B", "B": "C", "C": "D", "D": "E", "E": "E"}


def grading(summary: Triage, packs: Sequence[CompiledPack]) -> Grading:
    """The :class:`Grading` of *summary*: the limit tiers from the first pack with a ``limits``
    table for the grade."""

    def tier(grade: str) -> tuple[str, Decimal] | None:
        return next((p.limits[grade] for p in packs if p.limits and grade in p.limits), None)

    limits = (tier(summary.grade), tier(_WORSE[summary.grade]), tier("E"))
    return Grading(summary.grade, summary.risk_points, _shared_counts(summary.counts), summary.top, limits)


def graded(
    where: tuple[int, str, int | None],
    client_id: str | None,
    grading: Grading,
    title: str | None,
    values: Mapping[str, object],
    currency: str | None,
    provisional: bool = False,
) -> CheckResult:
    """The result of a client (*where*: its index, source and line) graded by *grading*.

    The suggested limit tier is the grade's; a provisional grade's (the grade lacks data:
    :func:`creditfix.plan.provisional`) is the tier of the grade one worse, and a client overdue
    now (behind, in collection or charged off) or with any other critical finding (over the 连三累六
    red line) gets grade E's: most banks decline on those. The amount is the tier's multiple of
    monthly income, when income is known and not known to be unproven, in *currency* (a multiple
    of 0 is 0 whatever the income)."""
    top = grading.top
    tier = limit = None
    overdue = _overdue_now(values)
    limits = grading.limits[2 if declined(overdue, grading.counts) else 1 if provisional else 0]
    if limits is not None and _STATE.get("limits", True):
        tier, multiple = limits
        income = values.get("monthly_income")
        proven = values.get("income_verified") is not False
        if multiple == 0:
            limit = Decimal(0)
        elif isinstance(income, (int, Decimal)) and proven:
            limit = (multiple * Decimal(income)).quantize(Decimal(1))
    late = values.get("late_payments_24m")
    return CheckResult(
        *where,
        client_id,
        grading.grade,
        grading.risk_points,
        grading.counts,
        top.id if top else None,
        title,
        top.rule.severity if top else None,
        None,
        overdue,
        None if late is None else int(late),  # type: ignore[call-overload]
        tier,
        limit,
        currency if limit is not None else None,
        provisional,
    )


def declined(overdue_now: bool | None, counts: Mapping[str, int]) -> bool:
    """Whether a client gets grade E's limit tier whatever its grade: overdue now, or with any other
    critical finding (over the 连三累六 red line): most banks decline on those."""
    return bool(overdue_now) or counts.get("critical", 0) > 0


def _overdue_now(values: Mapping[str, object]) -> bool | None:
    """Anything past due today, for the lender's overdue rate: an account behind on its payments, or
    a balance in collection or charged off (None: unknown). A table giving ``overdue_accounts``
    alone is taken at its word."""
    if any(
        isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value > 0
        for value in map(values.get, _OVERDUE_SIGNS)
    ):
        return True
    return None if values.get("overdue_accounts") is None else False


#: The metrics that each say a client is past due today (owing on a collection or charge-off too).
_OVERDUE_SIGNS = (
    "overdue_accounts",
    "overdue_amount",
    "defaulted_balance",
    "collection_accounts",
    "charged_off_accounts",
)


#: One dict per distinct set of counts (a ranked table holds every result: they stay small).
_COUNTS: dict[tuple[tuple[str, int], ...], dict[str, int]] = {}


_K = TypeVar("_K")
_V = TypeVar("_V")


def remembered(cache: dict[_K, _V], key: _K, make: Callable[[], _V], bound: int) -> _V:
    """``cache[key]``, made by *make* the first time; the cache is emptied when it holds *bound*
    items, so that memory stays flat however many clients go through."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= bound:
            cache.clear()
        found = cache[key] = make()
    return found


def _shared_counts(counts: Mapping[str, int]) -> dict[str, int]:
    """The counts by severity as a dict shared by every result with the same counts (read-only)."""
    return remembered(_COUNTS, tuple(counts.items()), lambda: dict(counts), 4096)


#: One string per distinct top-finding title: a ranked output holds every result, and a few
#: thousand titles cover a hundred thousand clients.
_TEXTS: dict[str, str] = {}


def shared_text(text: str) -> str:
    """*text* as the one string shared by every result with the same text (bounded, like _COUNTS)."""
    return remembered(_TEXTS, text, lambda: text, 16384)


class Emit(NamedTuple):
    """What a worker makes of each result besides counting it: its jsonl line, its journal record,
    the result itself (for a ranked output). Made where the result is, so the main process only
    writes text."""

    jsonl: bool = False
    journal: bool = False
    keep: bool = True
    limits: bool = True  # the limit tier and amount (only the portfolio view shows them)
    #: The jsonl text as UTF-8 bytes, for an output written in UTF-8 without newline translation:
    #: encoded in the worker, it crosses between processes as it is written (a str is encoded to
    #: be pickled and decoded again). Text that does not encode (a lone surrogate) stays a str.
    utf8: bool = False


#: Counts a batch of results adds to the summary: errors, clean (no finding, and a grade that is
#: not provisional), provisional grades, then clients with findings of each severity, then the
#: most severe top finding (an index into SEVERITIES; len(SEVERITIES) for none).
Tally = list[int]


def tally(results: Iterable[CheckResult]) -> Tally:
    """The summary counts of *results* (see :data:`Tally`): counted a field at a time, and the
    counts by severity once per distinct counts dict (results graded alike share one)."""
    from creditfix.rules.consts import SEVERITIES

    results = results if isinstance(results, Sequence) else list(results)
    counts = [0] * (len(SEVERITIES) + 4)
    errors = list(map(_ERROR, results))
    counts[0] = len(errors) - errors.count(None)
    doubts = list(map(_PROVISIONAL, results))
    if counts[0] or any(doubts):
        counts[1] = sum(r.error is None and r.top_rule is None and not r.provisional for r in results)
        counts[2] = sum(r.error is None and r.provisional for r in results)
    else:
        counts[1] = list(map(_TOP_RULE, results)).count(None)
    shared = list(map(_COUNTS_OF, results))
    by_id = dict(zip(map(id, shared), shared, strict=True))
    for key, number in Counter(map(id, shared)).items():
        found = by_id[key]
        if found:
            for column, severity in enumerate(SEVERITIES, start=3):
                if found.get(severity):
                    counts[column] += number
    worst = len(SEVERITIES)
    for severity in set(map(_TOP_SEVERITY, results)):
        if severity:
            worst = min(worst, SEVERITIES.index(severity))  # type: ignore[arg-type, unused-ignore]
    counts[-1] = worst
    return counts


_ERROR = itemgetter(CheckResult._fields.index("error"))
_TOP_RULE = itemgetter(CheckResult._fields.index("top_rule"))
_COUNTS_OF = itemgetter(CheckResult._fields.index("counts"))
_TOP_SEVERITY = itemgetter(CheckResult._fields.index("top_severity"))
_PROVISIONAL = itemgetter(CheckResult._fields.index("provisional"))


def add_tally(total: Tally, more: Tally) -> None:
    """Add *more* into *total* (the last count is a minimum, not a sum)."""
    for number in range(len(total) - 1):
        total[number] += more[number]
    total[-1] = min(total[-1], more[-1])


@dataclass(slots=True)
class Done:
    """The results of some consecutive jobs, in input order, as :class:`Emit` asked: how many, the
    summary counts, the jsonl text (bytes with ``Emit.utf8``), the journal records and (``keep``)
    the results."""

    first: int  # the index of the first result
    count: int
    tally: Tally
    results: list[CheckResult]
    jsonl: str | bytes = ""
    journal: bytes = b""

    def __reduce__(self) -> tuple[object, ...]:
        # plain tuples cross between processes faster than named ones
        return _done, (self.first, self.count, self.tally, [tuple(r) for r in self.results], self.jsonl, self.journal)

    @staticmethod
    def of(results: list[CheckResult], emit: Emit) -> Done:
        text: str | bytes = ""
        records = b""
        if emit.jsonl:
            from creditfix.formats.check_out import jsonl_lines

            text = jsonl_lines(results)
            if emit.utf8:
                with suppress(UnicodeEncodeError):  # kept as text: the output's own error handling decides
                    text = text.encode("utf-8")
        if emit.journal:
            from creditfix.journal import records_of

            records = records_of(results)
        first = results[0].index if results else -1
        return Done(first, len(results), tally(results), results if emit.keep else [], text, records)


def _done(
    first: int, count: int, counts: Tally, rows: list[tuple[object, ...]], text: str | bytes, records: bytes
) -> Done:
    results = []
    for row in rows:
        title = row[_TITLE]
        if title:  # one string per title here too: each batch brings its own copies
            row = (*row[:_TITLE], shared_text(title), *row[_TITLE + 1 :])  # type: ignore[arg-type]
        results.append(CheckResult._make(row))
    return Done(first, count, counts, results, text, records)


_TITLE = CheckResult._fields.index("top_title")


Work = Job | RowBatch


def _jobs(items: Iterable[Work]) -> Iterator[Job]:
    for item in items:
        if isinstance(item, RowBatch):
            yield from item.jobs()
        else:
            yield item


#: Results kept, nothing else made.
KEEP = Emit()


def run_chunk(items: list[Work], emit: Emit = KEEP) -> Done:
    """Several jobs (files, or batches of table rows) in one worker call: fewer round trips
    between processes."""
    from creditfix.tablecheck import check_rows

    _STATE["limits"] = emit.limits
    results: list[CheckResult] = []
    with _timer_signal(), _few_collections():
        for item in items:
            if isinstance(item, RowBatch):
                try:
                    item = item.read()
                except InputError:  # the file changed since the table was opened: each row says so
                    results.extend(map(_timed, item.jobs()))
                    continue
                rows: list[CheckResult] | None = None
                try:
                    with deadline():
                        rows = check_rows(item)
                except TookTooLong:  # a row that hangs: find it, one row at a time
                    if rows is None:  # (the timer may also fire just after the batch is done)
                        rows = [_timed(job) for job in item.jobs()]
                results.extend(rows)
            else:
                results.append(_timed(item))
    return Done.of(results, emit)


#: The youngest generation's collection threshold while jobs run (Python's default: 700). A batch
#: of table rows makes a hundred thousand short-lived containers and next to no reference cycles:
#: at 700, a collection every ~100 rows scans what the batch still holds (~6% of a worker's time,
#: measured on the 100,000-row benchmark table); at this, a tenth of that.
_YOUNG_THRESHOLD = 10_000


@contextmanager
def _few_collections() -> Iterator[None]:
    """Collect the youngest generation every :data:`_YOUNG_THRESHOLD` allocations in this block."""
    previous = gc.get_threshold()
    gc.set_threshold(max(previous[0], _YOUNG_THRESHOLD), *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


def _timed(job: Job) -> CheckResult:
    """:func:`run_job` within the ``client_seconds`` cap; a client that takes longer is an error."""
    from creditfix import caps

    result = None
    try:
        with deadline():
            result = run_job(job)
    except TookTooLong:
        if result is None:  # the timer may also fire just after the client is done
            seconds = caps.active().client_seconds
            reason = f"took longer than {seconds} s to check; stopped{caps.hint('client_seconds')}"
            result = CheckResult(job.index, job.source, job.line, job.client_id, error=reason)
    return result


class TookTooLong(BaseException):
    """Raised in the middle of a client's check by :func:`deadline` (not an Exception: nothing on
    the way may take it for the client's own error)."""


#: The longest timer set (a year): a larger ``client_seconds`` means "no limit" in practice, and
#: ``setitimer`` refuses times past about 9e9 seconds.
_LONGEST_TIMER = 365 * 24 * 3600
#: Whether a :func:`deadline` is running, and whether :func:`_timer_signal` set up the signal.
_TIMING = [False, False]


def _stop(signum: int, frame: object) -> None:
    if _TIMING[0]:  # a signal handled just after its block ended is ignored
        raise TookTooLong


@contextmanager
def _timer_signal() -> Iterator[None]:
    """Handle the timer signal of :func:`deadline` in this block (once for many clients). Only in
    a main thread (every check worker, and the CLI) on POSIX; elsewhere clients run unbounded."""
    if _TIMING[1] or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGALRM, _stop)
    _TIMING[1] = True
    try:
        yield
    finally:
        _TIMING[1] = False
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def deadline() -> Iterator[None]:
    """Raise :class:`TookTooLong` in this block once the ``client_seconds`` cap has passed (inside
    :func:`_timer_signal`; elsewhere the block runs unbounded)."""
    from creditfix import caps

    if not _TIMING[1]:
        yield
        return
    _TIMING[0] = True
    signal.setitimer(signal.ITIMER_REAL, min(caps.active().client_seconds, _LONGEST_TIMER))
    try:
        yield
    finally:
        _TIMING[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)


def _isolate(
    chunk: list[Work], settings: Settings, as_of: date | None, redact: bool, emit: Emit
) -> Iterator[CheckResult]:
    """Re-run a chunk whose worker died one job at a time in a process of its own (a fresh one
    after each death), so that only the job that kills its process is reported as such."""
    pool: ProcessPoolExecutor | None = None
    try:
        for job in _jobs(chunk):
            if pool is None:
                pool = ProcessPoolExecutor(1, initializer=init_worker, initargs=(settings, as_of, redact))
            try:
                yield pool.submit(run_chunk, [job], KEEP._replace(limits=emit.limits)).result().results[0]
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                pool = None
                yield CheckResult(
                    job.index, job.source, job.line, job.client_id, error="worker process died on this client"
                )
    finally:
        if pool is not None:
            pool.shutdown(wait=True)


#: Table rows per chunk sent to a worker: four batches (~50 ms of a worker's time; a batch read
#: from a range of the file holds about :data:`BATCH_ROWS` rows, a few more or fewer). Each round
#: trip costs the worker ~1 ms of waiting while its results cross to the main process, and costs
#: the main process time that the workers compete with: on the 100,000-row benchmark table,
#: chunks of four batches took ~4% less time with --jobs 2 than chunks of two, and chunks of six
#: ~5% more (the last chunks keep one worker busy while the other has none). A chunk of YAML files
#: holds *chunk_size* (16) of them.
_CHUNK_ROWS = 4 * BATCH_ROWS - BATCH_ROWS // 2


def skip(items: Iterable[Work], count: int) -> Iterator[Work]:
    """*items* without their first *count* jobs (done in an earlier run)."""
    for item in items:
        if count <= 0:
            yield item
        elif isinstance(item, RowBatch):
            if count < item.rows:
                yield replace(item, skip=item.skip + count)
            count -= min(count, item.rows)
        else:
            count -= 1


def run_batches(
    jobs: Iterable[Work],
    *,
    workers: int,
    settings: Settings,
    as_of: date | None,
    chunk_size: int = 16,
    redact: bool = False,
    emit: Emit = KEEP,
) -> Iterator[Done]:
    """Results in input order, a batch at a time. With more than one worker, jobs go out in chunks
    (*chunk_size* files, or :data:`_CHUNK_ROWS` table rows; the last batches of a table one at a
    time) and a bounded number of
    chunks is in flight, so memory does not grow with the number of clients; a worker that dies
    costs only the client it was working on."""
    if workers <= 1:
        init_worker(settings, as_of, redact)
        files: list[Work] = []  # YAML files run *chunk_size* at a time: a chunk's costs are shared
        for item in jobs:
            if isinstance(item, RowBatch):
                if files:
                    yield run_chunk(files, emit)
                    files = []
                yield run_chunk([item], emit)
            else:
                files.append(item)
                if len(files) >= chunk_size:
                    yield run_chunk(files, emit)
                    files = []
        if files:
            yield run_chunk(files, emit)
        return
    window = workers * 4
    source = iter(jobs)

    def next_chunk() -> list[Work]:
        chunk: list[Work] = []
        rows = files = 0
        for item in source:
            chunk.append(item)
            if isinstance(item, RowBatch):
                if item.near_end(workers):  # the last batches go one a chunk: the workers end together
                    break
                rows += item.rows
            else:
                files += 1
            if rows * chunk_size + files * _CHUNK_ROWS >= _CHUNK_ROWS * chunk_size:  # rows and files: a full chunk
                break
        return chunk

    pool = ProcessPoolExecutor(workers, initializer=init_worker, initargs=(settings, as_of, redact))
    pending: list[tuple[list[Work], Future[Done]]] = []
    try:
        while True:
            while len(pending) < window:
                chunk = next_chunk()
                if not chunk:
                    break
                pending.append((chunk, pool.submit(run_chunk, chunk, emit)))
            if not pending:
                return
            chunk, future = pending.pop(0)
            try:
                yield future.result()
            except BrokenProcessPool:
                pool.shutdown(wait=False, cancel_futures=True)
                yield Done.of(list(_isolate(chunk, settings, as_of, redact, emit)), emit)
                pool = ProcessPoolExecutor(workers, initializer=init_worker, initargs=(settings, as_of, redact))
                pending = [(c, pool.submit(run_chunk, c, emit)) for c, _ in pending]
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_all(jobs: Iterable[Work], **options: Any) -> Iterator[CheckResult]:
    """Every result in input order; *options* as for :func:`run_batches` (results kept)."""
    for done in run_batches(jobs, **options):
        yield from done.results


def rank_group(result: CheckResult) -> tuple[bool, int]:
    """The ranking key but for input order: errors last, then highest risk points first."""
    return (result.error is not None, -(result.risk_points or 0))


def ranked(results: Sequence[CheckResult]) -> list[CheckResult]:
    """Highest risk first; errors last; ties by input order (:func:`rank_group`, then the index)."""
    return sorted(results, key=lambda r: (*rank_group(r), r.index))


__all__ = [
    "CheckResult", "Done", "Emit", "InputError", "Job", "RowBatch", "discover", "jobs_for", "rank_group", "ranked",
    "run_all", "run_batches", "skip", "tally",
]  # fmt: skip
