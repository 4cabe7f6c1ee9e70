"""``check`` of a batch of client-table rows, all at once: the same results as one row at a time
(:func:`creditfix.check.run_job`), several times faster.

A table's rows mostly hold the same columns and the same handful of distinct cells, so:

- each row is read by a reader made once per table (:func:`creditfix.load.table.row_reader`),
  which converts each distinct cell of a column once;
- rows with the same metrics available are evaluated together, pack by pack, by one function
  that runs every assessable condition over all of them (:func:`creditfix.rules.expr.combine_rows`);
- clients whose rules fired the same way share one grading (:func:`creditfix.plan.triage`).

A row the reader does not vouch for (a cell it cannot convert, a score off its scale...), and the
rows of a group whose conditions raise (a division by zero), go the one-at-a-time way, which
then gives the same result or error as it always has. Tests hold the two ways to the same results.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import compress, islice, repeat
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from creditfix.check import _STATE, CheckResult, RowBatch, _packs, graded, run_job, top_title
from creditfix.load.table import RowValues, TableShape, batch_cells, batch_row, row_id, rows_reader
from creditfix.plan import Triage, triage
from creditfix.rules.engine import _NO_EVIDENCE, Evaluation, Finding
from creditfix.rules.expr import RowsFunction, combine_rows

if TYPE_CHECKING:
    from creditfix.rules.engine import CompiledPack, CompiledRule, _Program

#: Readers by table shape, and functions by program: a process sees few of either.
_READERS: dict[TableShape, Any] = {}
_FUNCTIONS: dict[int, tuple[_Program, RowsFunction, Any]] = {}
#: Gradings by jurisdiction and metrics available, then by what fired (see :func:`_grade`), bounded.
_GRADES: dict[tuple[str | None, tuple[str, ...]], dict[tuple[tuple[object, ...], ...], Triage]] = {}
_KEPT = 4096


def check_rows(work: RowBatch) -> list[CheckResult]:
    """The results of *work*'s rows, in order, as :func:`run_job` gives them one by one."""
    if _STATE.get("redact"):  # redaction: the one-at-a-time way (rare, and simple)
        return [run_job(job) for job in work.jobs()]
    shape = work.batch.shape
    rows = list(islice(batch_cells(work.batch), work.skip, None))
    readable = [number for number, (_, cells) in enumerate(rows) if type(cells) is list]
    ids = [row_id(shape, rows[number][0], rows[number][1]) for number in readable]  # type: ignore[arg-type]
    read = _reader(shape)([rows[number][1] for number in readable], ids)
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
    reader = _READERS.get(shape)
    if reader is None:
        if len(_READERS) >= 64:
            _READERS.clear()
        reader = _READERS[shape] = rows_reader(shape)
    return reader


def _function(pack: CompiledPack, program: _Program) -> tuple[RowsFunction, Any]:
    """The function evaluating *program* over many rows, and the getter of its inputs from a row's
    values. Kept with the program (the pack keeps its programs), so the id stays the program's."""
    found = _FUNCTIONS.get(id(program))
    if found is None or found[0] is not program:
        if len(_FUNCTIONS) >= 1024:
            _FUNCTIONS.clear()
        function, names = combine_rows([r.when for r in program.assessable], pack.params)
        getter: Any = itemgetter(*names) if names else (lambda values: None)
        found = _FUNCTIONS[id(program)] = (program, function, getter)
    return found[1], found[2]


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
    fired: list[list[tuple[object, ...]]] = []
    try:
        for pack, program in zip(packs, programs, strict=True):
            function, getter = _function(pack, program)
            fired.append(function(map(getter, [r.values for r in read])))
    except Exception:  # a division by zero (or worse): one at a time, to say which rule
        return
    params = {pack.name: pack.params for pack in packs}
    first = work.index + work.skip
    source = work.batch.shape.source
    grades = _grades(jurisdiction, names)
    outcomes = zip(*fired, strict=True) if fired else repeat((), len(members))
    for row, number, outcome in zip(read, members, outcomes, strict=True):
        try:
            summary = grades.get(outcome) or _grade(grades, outcome, programs, packs)
            top = summary.top
            title = top_title(top, {**row.values, **params[top.pack]}, row.currency, jurisdiction) if top else None
            results[number] = graded((first + number, source, rows[number][0]), row.client_id, summary, title,
                                     row.values, packs)  # fmt: skip
        except Exception:  # the one-at-a-time way reports it
            continue


def _grades(jurisdiction: str | None, names: tuple[str, ...]) -> dict[tuple[tuple[object, ...], ...], Triage]:
    """The gradings kept for clients of *jurisdiction* with metrics *names* (see :func:`_grade`)."""
    key = (jurisdiction, names)
    found = _GRADES.get(key)
    if found is None:
        if len(_GRADES) >= 64:
            _GRADES.clear()
        found = _GRADES[key] = {}
    return found


def _grade(
    grades: dict[tuple[tuple[object, ...], ...], Triage],
    outcome: tuple[tuple[object, ...], ...],
    programs: Sequence[_Program],
    packs: Sequence[CompiledPack],
) -> Triage:
    """:func:`triage` of the rules that fired (*outcome*: each pack's condition values), kept in
    *grades* for every client with the same jurisdiction, metrics and outcome."""
    findings: list[Finding] = []
    for program, out in zip(programs, outcome, strict=True):
        rules: list[CompiledRule] = list(compress(program.assessable, out))
        findings.extend(Finding(rule, _NO_EVIDENCE) for rule in rules if not rule.is_strength)
    if len(grades) >= _KEPT:
        grades.clear()
    found = grades[outcome] = triage(Evaluation(tuple(findings), (), (), (), _NO_NAMESPACES), packs)
    return found


_NO_NAMESPACES: Mapping[str, Mapping[str, object]] = {}
