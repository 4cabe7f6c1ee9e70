"""``check`` of a batch of client-table rows, all at once: the same results as one row at a time
(:func:`creditfix.check.run_job`), several times faster.

A table's rows mostly hold the same columns and the same handful of distinct cells, so:

- each row is read by a reader made once per table (:func:`creditfix.load.table.rows_reader`),
  which converts each distinct cell of a column once;
- rows with the same metrics available are evaluated together, pack by pack, by one function
  that runs every assessable condition over all of them (:func:`creditfix.rules.expr.combine_rows`);
- clients whose rules fired the same way share one grading (:func:`creditfix.plan.triage`).

A row the reader does not vouch for (a cell it cannot convert, a score off its scale...), and the
rows of a group whose conditions raise (a division by zero), go the one-at-a-time way, which
then gives the same result or error as it always has. Tests hold the two ways to the same results.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from itertools import compress, islice, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple

from creditfix.check import (
    _STATE,
    CheckResult,
    Grading,
    RowBatch,
    _packs,
    graded,
    grading,
    money_formatter,
    remembered,
    run_job,
    shared_text,
)
from creditfix.load.table import RowValues, TableShape, batch_cells, batch_row, row_ids, rows_reader
from creditfix.metrics import nothing_to_measure_without
from creditfix.money import default_currency
from creditfix.plan import PROVISIONAL_SEVERITIES, provisional, triage
from creditfix.rules.engine import _NO_EVIDENCE, Evaluation, Finding, without_superseded
from creditfix.rules.expr import RowsFunction, combine_rows
from creditfix.rules.template import BoundTemplate

if TYPE_CHECKING:
    from creditfix.rules.engine import CompiledPack, CompiledRule, _Program

#: Readers by table shape: a process sees few (they do not depend on the settings).
_READERS: dict[TableShape, Any] = {}
_KEPT = 4096


class _Kept(NamedTuple):
    """What a process keeps between batches for the packs in force: kept in the worker state,
    so that :func:`~creditfix.check.init_worker` (other settings, other packs) starts afresh."""

    #: Functions by program (see :func:`_function`).
    functions: dict[int, _Compiled]
    #: Gradings by jurisdiction and metrics available, then by what fired (see :func:`_grade`).
    grades: dict[tuple[str | None, tuple[str, ...]], dict[tuple[tuple[object, ...], ...], _Graded]]
    #: Gradings by the packs and the findings (see :func:`_grade`).
    by_findings: dict[tuple[tuple[int, ...], tuple[int, ...]], _Graded]
    #: Top findings' titles by rule (see :func:`_title_of`).
    titles: dict[int, tuple[CompiledRule, _Title | None]]


def _kept() -> _Kept:
    found = _STATE.get("tablecheck")
    if found is None:
        found = _STATE["tablecheck"] = _Kept({}, {}, {}, {})
    return found  # type: ignore[return-value]


def check_rows(work: RowBatch) -> list[CheckResult]:
    """The results of *work*'s rows, in order, as :func:`run_job` gives them one by one."""
    if _STATE.get("redact"):  # redaction: the one-at-a-time way (rare, and simple)
        return [run_job(job) for job in work.jobs()]
    shape = work.batch.shape
    rows = list(islice(batch_cells(work.batch), work.skip, None))
    readable = [number for number, (_, cells) in enumerate(rows) if type(cells) is list]
    lines = [rows[number][0] for number in readable]
    cells: list[list[str]] = [rows[number][1] for number in readable]  # type: ignore[misc]
    read = _reader(shape)(cells, row_ids(shape, lines, cells))
    values: list[RowValues | None] = [None] * len(rows)
    groups: dict[tuple[str | None, tuple[str, ...]], list[int]] = {}
    for number, got in zip(readable, read, strict=True):
        if got is not None:
            values[number] = got
            groups.setdefault((got.jurisdiction, tuple(got.values)), []).append(number)
    results: list[CheckResult | None] = [None] * len(rows)
    for (jurisdiction, names), members in groups.items():
        _grade_group(work, rows, values, members, jurisdiction, names, results)
    return [
        result if result is not None else run_job(work.job(work.skip + number, batch_row(shape, *rows[number])))
        for number, result in enumerate(results)
    ]


def _reader(shape: TableShape) -> Any:
    return remembered(_READERS, shape, lambda: rows_reader(shape), 64)


class _Compiled(NamedTuple):
    """A program's conditions evaluated over many rows (see :func:`_function`)."""

    program: _Program
    #: Each row's condition values: the findings' (rules that are not strengths) first.
    function: RowsFunction
    getter: Any  # a row's inputs to *function*, from its values
    findings: tuple[CompiledRule, ...]  # the rules of the first condition values
    #: A row's condition values -> the findings' (None: they are all of them). Strengths play no
    #: part in a grading: left out, the clients graded the same way share one outcome.
    part: Any
    doubts: _Doubts | None  # the rules that may leave a row's grade provisional


class _Doubts(NamedTuple):
    """The critical or high rules a program cannot assess for lack of data
    (:func:`creditfix.plan.doubtful`): a row's grade is provisional unless each of them is
    decided for it all the same (``a > 0 or b > 0`` without ``b`` fires when ``a > 0``; ``a > 0
    and b > 0`` fails when ``a`` is 0), as :func:`creditfix.rules.engine.evaluate` decides."""

    #: Each rule's place among the findings' condition values (None: it cannot fire here).
    fired: tuple[int | None, ...]
    #: Each rule's place among the values of *fails* (None: it cannot be told to fail here).
    failed: tuple[int | None, ...]
    fails: RowsFunction | None  # the rules' failing conditions, over many rows
    getter: Any  # a row's inputs to *fails*, from its values
    #: A rule that can neither fire nor fail without its missing metrics: every row is in doubt.
    always: bool

    def left(self, fired: tuple[object, ...], failed: tuple[object, ...] | None) -> bool:
        """Whether a rule is left undecided for a row whose findings' values are *fired* and
        whose failing conditions' values are *failed*."""
        return any(
            not (f is not None and fired[f]) and not (x is not None and failed is not None and failed[x])
            for f, x in zip(self.fired, self.failed, strict=True)
        )


def _doubts(
    pack: CompiledPack, program: _Program, findings: tuple[CompiledRule, ...], available: frozenset[str]
) -> _Doubts | None:
    """The :class:`_Doubts` of *program* (None when it leaves no critical or high rule undecided)."""
    rules = [
        rule
        for rule, missing in program.unassessable
        if rule.rule.severity in PROVISIONAL_SEVERITIES
        and not all(nothing_to_measure_without(name, available) for name in missing)
    ]
    if not rules:
        return None
    place = {id(rule): number for number, rule in enumerate(findings)}
    failing = [(rule, program.decidable.get(id(rule), (None, None))[1]) for rule in rules]
    conditions = [fails for _, fails in failing if fails is not None and fails.names]
    function, names = combine_rows(conditions, pack.params) if conditions else (None, ())
    at = iter(range(len(conditions)))
    failed = tuple(next(at) if fails is not None and fails.names else None for _, fails in failing)
    getter: Any = itemgetter(*names) if names else None
    fired = tuple(place.get(id(rule)) for rule in rules)
    always = any(f is None and x is None for f, x in zip(fired, failed, strict=True))
    return _Doubts(fired, failed, function, getter, always)


def _function(pack: CompiledPack, program: _Program, available: frozenset[str]) -> _Compiled:
    """The function evaluating *program* over many rows, the getter of its inputs from a row's
    values, and which values are the findings'. Kept with the program (the pack keeps its
    programs), so the id stays the program's. Strengths are still evaluated: a condition that
    raises sends the rows one at a time, as it always has."""
    functions = _kept().functions
    found = functions.get(id(program))
    if found is None or found.program is not program:
        if len(functions) >= 1024:
            functions.clear()
        graded = list(zip(program.graded, program.graded_conditions, strict=True))
        ordered = [pair for pair in graded if not pair[0].is_strength] + [
            pair for pair in graded if pair[0].is_strength
        ]
        findings = tuple(rule for rule, _ in ordered if not rule.is_strength)
        if ordered:
            function, names = combine_rows([condition for _, condition in ordered], pack.params)
        else:  # nothing to assess in this pack for these metrics: every row's outcome is empty
            function, names = (lambda rows: [() for _ in rows]), ()
        getter: Any = itemgetter(*names) if names else (lambda values: None)
        part = itemgetter(slice(0, len(findings))) if len(findings) < len(ordered) else None
        doubts = _doubts(pack, program, findings, available)
        found = functions[id(program)] = _Compiled(program, function, getter, findings, part, doubts)
    return found


def _grade_group(
    work: RowBatch,
    rows: Sequence[tuple[int, object]],
    values: Sequence[RowValues | None],
    members: list[int],
    jurisdiction: str | None,
    names: tuple[str, ...],
    results: list[CheckResult | None],
) -> None:
    """Grade the rows *members* (same jurisdiction, same metrics available) together; rows left
    without a result go the one-at-a-time way."""
    packs: Sequence[CompiledPack] = _packs(jurisdiction)  # type: ignore[assignment]
    available = frozenset(names)
    programs = [pack.program(available) for pack in packs]
    read: list[RowValues] = [values[number] for number in members]  # type: ignore[misc]
    compiled = [_function(pack, program, available) for pack, program in zip(packs, programs, strict=True)]
    fired: list[list[tuple[object, ...]]] = []
    failed: list[tuple[int, _Doubts, list[tuple[object, ...]] | None]] = []  # (pack, doubts, each row's)
    rows_values = [r.values for r in read]
    try:
        for function, getter, part in ((c.function, c.getter, c.part) for c in compiled):
            every = function(map(getter, rows_values))
            fired.append(every if part is None else list(map(part, every)))
        doubted = [(number, c.doubts) for number, c in enumerate(compiled) if c.doubts is not None]
        always = any(doubts.always for _, doubts in doubted)  # then no row needs telling apart
        for number, doubts in doubted if not always else ():
            told = doubts.fails(map(doubts.getter, rows_values)) if doubts.fails else None
            failed.append((number, doubts, told))
    except Exception:  # a division by zero (or worse): one at a time, to say which rule
        return
    first = work.index + work.skip
    source = work.batch.shape.source
    grades = _grades(jurisdiction, names)
    fallback = default_currency(jurisdiction)
    outcomes: Iterable[tuple[tuple[object, ...], ...]] = zip(*fired, strict=True) if fired else repeat((), len(members))
    for place, (row, number, outcome) in enumerate(zip(read, members, outcomes, strict=True)):
        try:
            found = grades.get(outcome) or _grade(grades, outcome, compiled, packs)
            currency = row.currency or fallback
            title = None if found.title is None else _title(found.title, row.values, currency)
            doubt = always or any(
                d.left(outcome[p], told[place] if told is not None else None) for p, d, told in failed
            )
            results[number] = graded((first + number, source, rows[number][0]), row.client_id, found.grading, title,
                                     row.values, currency, provisional(found.grading.grade, doubt))  # fmt: skip
        except Exception:  # the one-at-a-time way reports it
            continue


class _Graded(NamedTuple):
    """A grading and its top finding's title (see :func:`_title`)."""

    grading: Grading
    title: _Title | None


class _Title(NamedTuple):
    """A top finding's title template, bound to its pack's params, and the titles it gave: one for
    each distinct value of what it reads (see :func:`_title`), whatever the grading."""

    template: BoundTemplate
    texts: dict[tuple[object, ...], str]
    key: Callable[[Mapping[str, object], str | None], tuple[object, ...]]  # see _key_of


def _title(title: _Title, values: Mapping[str, object], currency: str | None) -> str:
    """The top finding's title for a client's *values* in *currency*: rendered once per distinct
    value of what the template reads (most clients with a finding share its few titles)."""
    template, texts, key_of = title
    key = key_of(values, currency)
    text = texts.get(key)
    if text is None:
        money = _MONEY.get(currency) or _MONEY.setdefault(currency, money_formatter(currency))
        text = template.render(values, money)
        text = shared_text(text) if text else text
        if len(texts) >= _KEPT:
            texts.clear()
        texts[key] = text
    return text


def _title_of(top: CompiledRule, packs: Sequence[CompiledPack]) -> _Title | None:
    """The :class:`_Title` of the top finding *top*, kept (by rule) for every grading it tops."""
    titles = _kept().titles
    found = titles.get(id(top))
    if found is None or found[0] is not top:
        template = top.text("title", "en")
        params = next(pack.params for pack in packs if pack.name == top.pack) if template else {}
        if len(titles) >= _KEPT:
            titles.clear()
        bound = template.bind(params) if template else None
        found = titles[id(top)] = (top, _Title(bound, {}, _key_of(bound.reads)) if bound else None)
    return found[1]


def _key_of(reads: tuple[str, ...]) -> Callable[[Mapping[str, object], str | None], tuple[object, ...]]:
    """The key of a title's text: the currency and each value the template *reads*, as
    :func:`_exactly` tells them apart (most templates read one value: that one is written out)."""
    if len(reads) == 1:
        name = reads[0]

        def one(values: Mapping[str, object], currency: str | None) -> tuple[object, ...]:
            value = values.get(name, _UNSET)
            return (currency, (Decimal, str(value)) if type(value) is Decimal else (type(value), value))

        return one

    def each(values: Mapping[str, object], currency: str | None) -> tuple[object, ...]:
        return (currency, *map(_exactly, map(values.get, reads, repeat(_UNSET))))

    return each


_UNSET = object()


def _exactly(value: object) -> object:
    """*value* as a key that tells apart what renders differently: ``1``, ``True`` and ``1.0``
    are equal, as are ``Decimal("0")`` and ``Decimal("-0")``."""
    return (Decimal, str(value)) if type(value) is Decimal else (type(value), value)


#: Money formatters by currency.
_MONEY: dict[str | None, Callable[[Decimal], str]] = {}


def _grades(jurisdiction: str | None, names: tuple[str, ...]) -> dict[tuple[tuple[object, ...], ...], _Graded]:
    """The gradings kept for clients of *jurisdiction* with metrics *names* (see :func:`_grade`)."""
    return remembered(_kept().grades, (jurisdiction, names), dict, 64)


def _grade(
    grades: dict[tuple[tuple[object, ...], ...], _Graded],
    outcome: tuple[tuple[object, ...], ...],
    compiled: Sequence[_Compiled],
    packs: Sequence[CompiledPack],
) -> _Graded:
    """The grading of the rules that fired (*outcome*: each pack's findings' condition values),
    kept in *grades* for every client with the same jurisdiction, metrics and outcome; and by the
    findings alone (clients with different metrics often share their findings)."""
    fired = [rule for c, out in zip(compiled, outcome, strict=True) for rule in compress(c.findings, out)]
    findings = tuple(without_superseded(fired))
    key = (tuple(map(id, packs)), tuple(map(id, findings)))
    by_findings = _kept().by_findings
    found = by_findings.get(key)
    if found is None:
        summary = triage(Evaluation(tuple(Finding(r, _NO_EVIDENCE) for r in findings), (), (), (), {}), packs)
        title = _title_of(summary.top, packs) if summary.top is not None else None
        if len(by_findings) >= _KEPT:
            by_findings.clear()
        found = by_findings[key] = _Graded(grading(summary, packs), title)
    if len(grades) >= _KEPT:
        grades.clear()
    grades[outcome] = found
    return found
