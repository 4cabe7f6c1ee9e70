"""The Typer app: options, wiring and exit codes; nothing else.

Results go to stdout, diagnostics to stderr. Every :class:`CreditfixError` becomes one line
``creditfix: error: FILE:LINE: FIELD: reason`` and exit code 2; anything unexpected becomes one line
and exit code 3 (the traceback only with ``--debug``).
"""

import copy
import errno
import os
import sys
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from creditfix import __version__, exitcodes
from creditfix.errors import CreditfixError, UsageError
from creditfix.formats import CheckFormat, Lang, MetricsFormat, PlanFormat, Severity

if TYPE_CHECKING:  # imported lazily at run time: start-up time is a target
    from rich.console import Console

    from creditfix.check import CheckResult
    from creditfix.config import Settings
    from creditfix.journal import Fingerprint, Journal
    from creditfix.model import Profile
    from creditfix.output import AtomicFile
    from creditfix.ranking import Ranking
    from creditfix.rules.engine import CompiledPack, CompiledRule

app = typer.Typer(
    name="creditfix",
    help="A credit repair advisor: metrics, rule packs and a ranked recovery plan.",
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",  # a docstring's paragraphs are re-flowed to the terminal's width
    context_settings={"help_option_names": ["-h", "--help"]},
)


class Jurisdiction(StrEnum):
    """Jurisdictions with a starter profile."""

    CN = "CN"
    US = "US"


def _version(value: bool) -> None:
    if value:
        print(f"creditfix {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of internal errors.")] = False,
) -> None:
    """creditfix reads a credit profile (YAML or a client-table CSV) and tells what to fix, and when."""


def parse_as_of(text: str | None) -> date | None:
    """``--as-of`` as a date, or a usage error naming the option."""
    if text is None:
        return None
    from creditfix.dates import DateError, parse_date

    try:
        return parse_date(text)
    except DateError as exc:
        raise UsageError(str(exc), field="--as-of") from None


ProfileArg = Annotated[
    str,
    typer.Argument(help="Profile YAML, client table (.csv) or '-' for stdin.", metavar="PROFILE", show_default=False),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of", metavar="DATE", help="Evaluate as of this date (YYYY-MM-DD); default: the profile's as_of."
    ),
]
ClientOpt = Annotated[
    str | None, typer.Option("--client", metavar="ID", help="Client id: the row of a client table to use.")
]
ColumnsOpt = Annotated[
    Path | None, typer.Option("--columns", metavar="FILE", help="YAML map of foreign CSV headers to creditfix columns.")
]
EncodingOpt = Annotated[
    str | None, typer.Option("--encoding", metavar="NAME", help="Encoding of a CSV table (default: detected).")
]


def _load(
    profile: str,
    client: str | None,
    columns: Path | None,
    encoding: str | None,
    redact: bool = False,
    settings: "Settings | None" = None,
) -> "Profile":
    from creditfix.load import load_profile

    if settings is None:  # the input caps of the config file and environment apply to every command
        _settings(None)
    column_map = None
    if columns is not None:
        from creditfix.load import load_column_map  # with the client-table reader

        column_map = load_column_map(columns)
    loaded = load_profile(profile, client=client, columns=column_map, encoding=encoding)
    if redact:
        from creditfix.privacy import redact as redacted

        return redacted(loaded)
    return loaded


def _note_dated(loaded: "Profile", when: date | None) -> None:
    """A note on stderr when ``--as-of`` is a month or more after the profile's own ``as_of`` (its
    balances and past-due amounts are as of then, and its history stops there: the late counts
    after it are lower bounds, see creditfix.metrics), or a month or more before it."""
    if when is None or loaded.as_of is None:
        return
    from creditfix.dates import months_between

    months = months_between(loaded.as_of, when)
    if months >= 1:
        print(
            f"creditfix: note: evaluated on {when}, {months} month(s) after the profile's as_of ({loaded.as_of}):"
            " its balances and past-due amounts are as of then, and its history stops there",
            file=sys.stderr,
        )
    elif months_between(when, loaded.as_of) >= 1:
        print(
            f"creditfix: note: evaluated on {when}, before the profile's as_of ({loaded.as_of}): its balances and"
            " past-due amounts are those of the later date",
            file=sys.stderr,
        )


ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config", metavar="FILE", help="Config file (default: .creditfix.yaml or pyproject.toml found upwards)."
    ),
]
SelectOpt = Annotated[
    list[str] | None,
    typer.Option("--select", metavar="RULE", help="Only rules matching this id, id prefix or category; repeatable."),
]
IgnoreOpt = Annotated[
    list[str] | None,
    typer.Option("--ignore", metavar="RULE", help="Skip rules matching this id, id prefix or category; repeatable."),
]
RedactOpt = Annotated[
    bool, typer.Option("--redact", help="Names to stable pseudonyms, client and debt ids to their last 4 characters.")
]


def _dash_is_stdout(value: Path | None) -> Path | None:
    """``-o -`` is stdout, as ``-`` is stdin for inputs (not a file named ``-``); a folder is refused
    before anything is written (the atomic rename onto it would fail at the end)."""
    if value is None or str(value) == "-":
        return None
    if value.is_dir():
        raise UsageError("is a folder, not a file", path=str(value), field="--output")
    return value


OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        callback=_dash_is_stdout,
        help="Write to FILE (atomically) instead of stdout ('-': stdout).",
    ),
]


@app.command()
def metrics(
    profile: ProfileArg,
    as_of: AsOfOpt = None,
    format: Annotated[MetricsFormat, typer.Option("--format", "-f", help="Output format.")] = MetricsFormat.table,
    client: ClientOpt = None,
    columns: ColumnsOpt = None,
    encoding: EncodingOpt = None,
    redact: RedactOpt = False,
) -> None:
    """Show the derived metrics of a profile with their meanings."""
    from creditfix.metrics import compute_metrics

    when = parse_as_of(as_of)
    loaded = _load(profile, client, columns, encoding, redact)
    _note_dated(loaded, when)
    values = compute_metrics(loaded, when)
    if format is MetricsFormat.json:
        from creditfix.formats.jsonout import dumps, metrics_document

        sys.stdout.write(dumps(metrics_document(loaded, values)))
        return
    from creditfix.formats.metrics_table import render_metrics_table

    render_metrics_table(loaded, values, _console())


@app.command()
def plan(
    profile: ProfileArg,
    as_of: AsOfOpt = None,
    format: Annotated[PlanFormat, typer.Option("--format", "-f", help="Output format.")] = PlanFormat.table,
    lang: Annotated[
        Lang | None, typer.Option("--lang", help="Language of the plan (default: zh for CN profiles, else en).")
    ] = None,
    rules: Annotated[
        list[str] | None,
        typer.Option("--rules", metavar="PACK_OR_FILE", help="Add a rule pack (built-in name or .yaml); repeatable."),
    ] = None,
    fail_on: Annotated[
        Severity | None, typer.Option("--fail-on", help="Exit 1 when a finding is at or above this severity.")
    ] = None,
    client: ClientOpt = None,
    columns: ColumnsOpt = None,
    encoding: EncodingOpt = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    redact: RedactOpt = False,
    timeline: Annotated[
        int,
        typer.Option("--timeline", metavar="MONTHS", min=0, max=120, help="Months of the recovery timeline (0: none)."),
    ] = 24,
    extra: Annotated[
        str | None,
        typer.Option("--extra", metavar="AMOUNT", help="Paid each month on top of the minimums in the timeline."),
    ] = None,
    details: Annotated[
        bool,
        typer.Option(
            "--details",
            help="Table: every step whole (action, why, evidence, rule), the packs, the timeline month by month.",
        ),
    ] = False,
) -> None:
    """The recovery plan: what to do now, in 30 days, 3, 6 and 12 months, and why."""
    from creditfix.metrics import compute_metrics
    from creditfix.plan import build_plan
    from creditfix.rules.consts import SEVERITIES
    from creditfix.rules.engine import evaluate

    when = parse_as_of(as_of)
    paid_extra = _amount(extra, "--extra")  # checked whether or not there is a timeline to use it
    settings = _settings(
        config, rules=rules, select=select, ignore=ignore, lang=lang.value if lang else None,
        fail_on=fail_on.value if fail_on else None,
    )  # fmt: skip
    loaded = _load(profile, client, columns, encoding, redact, settings)
    _note_dated(loaded, when)
    packs = _packs_for(loaded.jurisdiction, settings)
    values = compute_metrics(loaded, when)
    language = settings.lang or ("zh" if loaded.jurisdiction == "CN" else "en")
    result = build_plan(loaded, values, evaluate(packs, values), packs, lang=language)
    if timeline and result.steps:
        from dataclasses import replace

        from creditfix.formats.plan_doc import currency_of
        from creditfix.money import format_money
        from creditfix.simulate import recovery

        currency = currency_of(loaded)
        timeline_of = recovery(
            loaded,
            packs,
            [s.rule_id for s in result.steps],
            months=timeline,
            as_of=values.as_of,
            extra=paid_extra,
            lang=language,
            money=lambda amount: format_money(amount, currency),
        )
        result = replace(result, recovery=timeline_of)
    _emit_plan(result, format, output, details)
    worst = result.worst()
    threshold = settings.fail_on
    if threshold is not None and worst is not None and SEVERITIES.index(worst) <= SEVERITIES.index(threshold):  # type: ignore[arg-type, unused-ignore]
        raise typer.Exit(exitcodes.FINDINGS)


@app.command()
def check(
    paths: Annotated[
        list[str], typer.Argument(metavar="PATH...", help="Profiles, folders (recursive), client tables, or '-'.")
    ],
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format.")] = CheckFormat.table,
    as_of: AsOfOpt = None,
    fail_on: Annotated[
        Severity | None, typer.Option("--fail-on", help="Exit 1 when any client has a finding at or above this.")
    ] = None,
    include: Annotated[list[str] | None, typer.Option("--include", metavar="GLOB", help="Only files matching.")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", metavar="GLOB", help="Skip files matching.")] = None,
    jobs: Annotated[
        int | None, typer.Option("--jobs", "-j", min=1, help="Worker processes (default: all cores).")
    ] = None,
    portfolio: Annotated[
        bool, typer.Option("--portfolio", help="The lender's view: grades, warning lines, review list, limit tiers.")
    ] = False,
    baseline: Annotated[
        Path | None,
        typer.Option(
            "--baseline",
            metavar="FILE",
            help="With --portfolio: an earlier check output (json, jsonl, csv); "
            "clients whose grade got worse join the review list.",
        ),
    ] = None,
    rules: Annotated[
        list[str] | None, typer.Option("--rules", metavar="PACK_OR_FILE", help="Add a rule pack; repeatable.")
    ] = None,
    columns: ColumnsOpt = None,
    encoding: EncodingOpt = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    redact: RedactOpt = False,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume/--no-resume",
            help="With -o FILE: continue a run that was killed, from FILE.creditfix-journal, or start afresh.",
        ),
    ] = True,
) -> None:
    """Triage many clients: one result each, ranked by risk; bad files are reported, never fatal.

    With -o FILE, every finished client is also appended to FILE.creditfix-journal (mode 0600): if
    the run is killed, the same command again skips the clients already done and writes the same
    FILE. The journal is deleted once FILE is written. --no-resume ignores an old journal.
    """
    import itertools
    import time

    from creditfix.check import Discovery, Done, Emit, add_tally, discover, jobs_for, ranked, run_batches, skip, tally
    from creditfix.formats import check_out
    from creditfix.load import load_column_map
    from creditfix.load.source import STDIN
    from creditfix.output import AtomicFile, emit
    from creditfix.rules.consts import SEVERITIES

    start = time.perf_counter()
    when = parse_as_of(as_of)
    if portfolio and format is CheckFormat.jsonl:
        raise UsageError("--portfolio writes table, json or csv", field="--format")
    if baseline is not None and not portfolio:
        raise UsageError("--baseline goes with --portfolio", field="--baseline")
    previous = None
    if baseline is not None:
        from creditfix.baseline import load_baseline

        previous = load_baseline(baseline)
    settings = _settings(config, rules=rules, select=select, ignore=ignore, fail_on=fail_on.value if fail_on else None)
    from creditfix.rules.engine import builtin_packs, load_packs

    # Every pack a client may get, loaded once here: a broken pack or config is one error before
    # any client is read, and the JSON output names each pack with its version.
    _packs_for(None, settings)
    candidates = load_packs([*(settings.packs or builtin_packs()), *settings.rules], params=settings.params)
    pack_versions = [{"name": p.name, "version": p.version} for p in candidates]
    column_map = load_column_map(columns) if columns is not None else None
    workers = jobs or os.cpu_count() or 1
    found = Discovery(column_map, encoding, output=output)
    if output is not None:
        for path in paths:
            if path != STDIN and os.path.isfile(path) and os.path.exists(output) and os.path.samefile(path, output):
                raise UsageError("the output would overwrite an input file; write it elsewhere", path=str(output))
    inputs: Iterable[str] = discover(paths, include or (), exclude or (), found)
    journal = None
    if output is not None and STDIN not in paths:  # stdin cannot be read again: no journal
        from creditfix.journal import fingerprint

        inputs = list(inputs)
        options = {
            "paths": paths, "format": format.value, "portfolio": portfolio, "as_of": as_of,
            "today": None if when else date.today().isoformat(),  # the default as-of of profiles without one
            "include": include, "exclude": exclude, "columns": str(columns) if columns else None,
            "encoding": encoding, "redact": redact, "settings": _result_settings(settings),
        }  # fmt: skip
        stamped = [str(p) for p in builtin_packs().values()]
        stamped += [r for r in (*(settings.packs or ()), *settings.rules) if r.endswith((".yaml", ".yml"))]
        stamped += [str(p) for p in (columns, settings.file) if p]
        read = [*inputs, *(p for p, _ in found.skipped)]  # side files and column maps change results too
        journal = _open_journal(output, fingerprint(read, options, stamped), resume)
    work = jobs_for(inputs, columns=column_map, encoding=encoding, maps=found.maps)
    if journal is not None:
        work = skip(work, journal.count)  # finished clients are not computed again
    results: list[CheckResult] = []  # for --portfolio
    streaming = format is CheckFormat.jsonl and (output is None or not portfolio)  # memory stays flat: nothing is kept
    ranking = None  # a ranked output: the results held, or past a few thousand their records in a temporary file
    if not streaming and not portfolio:
        from creditfix.ranking import Ranking

        ranking = Ranking(check_out.RECORDS[format], folder=output.parent if output is not None else None)
    total = 0
    summed = tally(())
    progress = _progress()
    # Workers make each result's jsonl line and journal record; this process only writes them.
    utf8 = streaming and (output is not None or _utf8_stdout())  # -o FILE: UTF-8, written as it is
    wanted = Emit(jsonl=streaming, journal=journal is not None, keep=not streaming, limits=portfolio, utf8=utf8)
    fresh = run_batches(work, workers=workers, settings=settings, as_of=when, redact=redact, emit=wanted)
    # Clients done before an interruption come from the journal, a few thousand at a time.
    earlier = journal.done() if journal is not None else iter(())
    resumed = (Done.of(part, wanted._replace(journal=False)) for part in earlier)  # already in the journal
    sink = AtomicFile(output) if streaming and output is not None else None  # jsonl -o streams too
    try:
        for new, batch in itertools.chain(zip(itertools.repeat(False), resumed), zip(itertools.repeat(True), fresh)):
            if journal is not None and new:
                journal.append_records(batch.first, batch.count, batch.journal)
            total += batch.count
            add_tally(summed, batch.tally)
            if progress is not None:
                progress.update(progress.task_ids[0], advance=batch.count, description=f"{total} clients")
            if streaming:
                _write_jsonl(batch.jsonl, sink)
            elif ranking is not None:
                ranking.add(batch.results)
            else:
                results.extend(batch.results)
        if progress is not None:  # off the terminal before any result is printed
            progress.stop()
            progress = None
        if total == 0:  # an empty folder, or globs that match nothing: no report, and not "all clear"
            if journal is not None:
                journal.finish()
                journal = None
            raise UsageError("no profiles or client tables found in the inputs", path=", ".join(paths))
        errors, clean, doubtful, worst = summed[0], summed[1], summed[2], summed[-1]
        counts = dict(zip(SEVERITIES, summed[3:-1], strict=True))
        summary = {"clients": total, "clean": clean, "provisional": doubtful, "with_findings": counts, "errors": errors}
        if portfolio:
            from creditfix.formats import portfolio_out

            view = portfolio_out.portfolio(results, settings.portfolio, previous)
            if format is CheckFormat.json:
                emit(portfolio_out.portfolio_json(view, pack_versions), output)
            elif format is CheckFormat.csv:
                emit(portfolio_out.portfolio_csv(ranked(results), previous), output, encoding="utf-8-sig")
            else:  # Rich on a terminal for a few rows, like the check table; plain text elsewhere
                console = _console() if output is None else None
                if (
                    console is not None
                    and console.is_terminal
                    and portfolio_out.table_rows(view) <= check_out.RICH_ROWS
                ):
                    portfolio_out.render_portfolio(view, console)
                else:
                    emit(portfolio_out.plain_portfolio(view), output)
        elif sink is not None:
            sink.commit()
        elif ranking is not None:
            _write_ranked(ranking, format, output, summary, pack_versions)
        if journal is not None:  # the output is complete: the journal has done its job
            journal.finish()
            journal = None
    finally:
        if progress is not None:
            progress.stop()
        if journal is not None:  # interrupted: keep the journal for the next run
            journal.close()
            print(f"creditfix: note: {journal.path} kept: run the same command to resume", file=sys.stderr)
        if sink is not None:
            sink.discard()
        if ranking is not None:
            ranking.close()
    for path, why in found.skipped:
        print(f"creditfix: note: {path}: skipped, {why}", file=sys.stderr)
    for path, (map_file, _) in found.maps.items():
        print(f"creditfix: note: {path}: read with the column map {map_file}", file=sys.stderr)
    by_severity = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "none"
    print(
        f"creditfix: {total} client{'' if total == 1 else 's'}, {clean} clean, "
        + (f"{doubtful} provisional (too little data), " if doubtful else "")
        + f"with findings: {by_severity}, "
        f"{errors} error(s), {time.perf_counter() - start:.2f}s",
        file=sys.stderr,
    )
    if errors:
        raise typer.Exit(exitcodes.BAD_INPUT)
    threshold = settings.fail_on
    if threshold is not None and worst <= SEVERITIES.index(threshold):  # type: ignore[arg-type, unused-ignore]
        raise typer.Exit(exitcodes.FINDINGS)


def _utf8_stdout() -> bool:
    """Whether bytes of UTF-8 written to stdout's buffer are what writing their text to stdout
    writes: a UTF-8 text stream over a binary buffer (buffered, or the file itself when Python
    runs unbuffered: ``PYTHONUNBUFFERED``, as many containers set it), on a system whose line
    ending is LF (stdout translates no newline there)."""
    import codecs
    import io

    stdout = sys.stdout
    return (
        isinstance(stdout, io.TextIOWrapper)
        and os.linesep == "\n"
        and codecs.lookup(stdout.encoding).name == "utf-8"
        and isinstance(getattr(stdout, "buffer", None), io.BufferedIOBase | io.FileIO)
    )


def _write_jsonl(text: str | bytes, sink: "AtomicFile | None") -> None:
    """Write a batch's jsonl to *sink* (``-o FILE``) or stdout, flushed: bytes when the worker
    encoded it (see :func:`_utf8_stdout`)."""
    if sink is not None:
        if isinstance(text, bytes):
            sink.write_bytes(text)
        else:
            sink.write(text)
        return
    if isinstance(text, bytes):
        sys.stdout.flush()  # whatever text went before
        buffer = sys.stdout.buffer
        data = memoryview(text)
        while data:  # an unbuffered stdout (a FileIO) may write part of it
            written = buffer.write(data)
            if written is None:  # a non-blocking stdout that is full
                raise BlockingIOError(errno.EAGAIN, "stdout is full")
            data = data[written:]
        buffer.flush()
    else:
        sys.stdout.write(text)
        sys.stdout.flush()


def _write_ranked(
    ranking: "Ranking", format: CheckFormat, output: Path | None, summary: dict[str, Any], packs: list[dict[str, str]]
) -> None:
    """Write a ranked output of ``check``. The table is drawn with Rich only on a terminal and for at
    most ``RICH_ROWS`` clients; to a pipe or a file (``-o``), or past that, it is plain text."""
    from creditfix.formats import check_out
    from creditfix.output import emit_parts

    if format is CheckFormat.json:
        emit_parts(check_out.json_parts(ranking.records(), summary, packs), output)
    elif format is CheckFormat.csv:
        emit_parts(check_out.csv_parts(ranking.records()), output, encoding="utf-8-sig")
    else:
        console = _console() if output is None and ranking.count <= check_out.RICH_ROWS else None
        held = ranking.held() if console is not None and console.is_terminal else None
        if console is not None and held is not None:
            check_out.render_table(held, console)
            return
        parts = check_out.plain_table_parts(ranking.count, ranking.records(in_order=False), ranking.records())
        emit_parts(parts, output)


@app.command()
def payoff(
    profile: ProfileArg,
    budget: Annotated[str | None, typer.Option("--budget", metavar="AMOUNT", help="Total to pay each month.")] = None,
    extra: Annotated[
        str | None, typer.Option("--extra", metavar="AMOUNT", help="Paid each month on top of all minimums.")
    ] = None,
    strategy: Annotated[
        list[str] | None,
        typer.Option("--strategy", "-s", help="avalanche, snowball, custom, minimums, credit_aware (default: all)."),
    ] = None,
    order: Annotated[
        str | None, typer.Option("--order", metavar="ID,ID,...", help="Your own order of debt ids (strategy custom).")
    ] = None,
    as_of: AsOfOpt = None,
    format: Annotated[MetricsFormat, typer.Option("--format", "-f", help="Output format.")] = MetricsFormat.table,
    schedule_csv: Annotated[
        Path | None, typer.Option("--schedule-csv", metavar="FILE", help="Write every month of every schedule as CSV.")
    ] = None,
    client: ClientOpt = None,
    columns: ColumnsOpt = None,
    encoding: EncodingOpt = None,
    redact: RedactOpt = False,
) -> None:
    """Debt payoff schedules side by side: months to debt-free, interest, what closes when."""
    from creditfix.formats.payoff_out import payoff_document, render_payoff_table
    from creditfix.formats.payoff_out import schedule_csv as to_csv
    from creditfix.money import default_currency, format_money
    from creditfix.payoff import Strategy, compare

    if budget is not None and extra is not None:
        raise UsageError("give --budget or --extra, not both")
    monthly_budget, monthly_extra = _amount(budget, "--budget"), _amount(extra, "--extra")
    chosen = []
    for name in strategy or []:
        try:
            chosen.append(Strategy(name))
        except ValueError:
            from creditfix.errors import did_you_mean

            raise UsageError(
                f"unknown strategy{did_you_mean(name, [s.value for s in Strategy])}", field="--strategy"
            ) from None
    ids = [part.strip() for part in (order or "").split(",") if part.strip()]
    if Strategy.custom in chosen and not ids:
        raise UsageError("the custom strategy needs --order id1,id2,...", field="--strategy")
    loaded = _load(profile, client, columns, encoding, redact)
    currency = loaded.client.currency or default_currency(loaded.jurisdiction)
    _need_debts(loaded, profile)
    start = parse_as_of(as_of) or loaded.as_of or date.today()
    events = loaded.events or ()
    _note_past_events(events, start)
    from creditfix.payoff import utilisation_targets

    # credit-aware pays cards under the levels the client's packs use (cn 80/70/50%, us 30/10%)
    targets = utilisation_targets(p.params for p in _packs_for(loaded.jurisdiction, _settings(None)))
    try:
        schedules = compare(
            loaded.debts or (),
            budget=monthly_budget,
            extra=monthly_extra,
            order=ids,
            start=start,
            events=events,
            money=lambda amount: format_money(amount, currency),
            targets=targets,
        )
    except ValueError as exc:
        raise _located(exc, profile) from None
    if chosen:
        schedules = [s for s in schedules if s.strategy in chosen]
    if schedule_csv is not None:
        from creditfix.output import write_atomic

        write_atomic(schedule_csv, to_csv(schedules))
    if format is MetricsFormat.json:
        from creditfix.formats.jsonout import dumps

        sys.stdout.write(dumps(payoff_document(loaded, schedules)))
        return
    render_payoff_table(loaded, schedules, currency, _console())


@app.command()
def simulate(
    profile: ProfileArg,
    months: Annotated[int, typer.Option("--months", "-m", min=1, max=120, help="Months to move forward.")] = 12,
    follow_plan: Annotated[
        bool,
        typer.Option(
            "--follow-plan", help="Follow the plan: past due paid now, credit-aware order, no new applications."
        ),
    ] = False,
    pay: Annotated[
        list[str] | None,
        typer.Option("--pay", metavar="DEBT=AMOUNT", help="Pay this debt this much a month (repeatable)."),
    ] = None,
    budget: Annotated[
        str | None, typer.Option("--budget", metavar="AMOUNT", help="With --follow-plan: total paid each month.")
    ] = None,
    extra: Annotated[
        str | None,
        typer.Option("--extra", metavar="AMOUNT", help="With --follow-plan: paid on top of the minimums each month."),
    ] = None,
    no_new_inquiries: Annotated[
        bool,
        typer.Option(
            "--no-new-inquiries", help="Assume no new applications (default: the last 12 months' pace recurs)."
        ),
    ] = False,
    as_of: AsOfOpt = None,
    format: Annotated[MetricsFormat, typer.Option("--format", "-f", help="Output format.")] = MetricsFormat.table,
    lang: Annotated[Lang | None, typer.Option("--lang", help="Language of rule texts.")] = None,
    rules: Annotated[
        list[str] | None, typer.Option("--rules", metavar="PACK_OR_FILE", help="Add a rule pack; repeatable.")
    ] = None,
    client: ClientOpt = None,
    columns: ColumnsOpt = None,
    encoding: EncodingOpt = None,
    output: OutputOpt = None,
    config: ConfigOpt = None,
    select: SelectOpt = None,
    ignore: IgnoreOpt = None,
    redact: RedactOpt = False,
) -> None:
    """What if: move the profile forward month by month and see which findings clear when."""
    from creditfix.formats.plan_doc import currency_of
    from creditfix.money import format_money
    from creditfix.output import emit
    from creditfix.simulate import SimulationError
    from creditfix.simulate import simulate as run_simulation

    if budget is not None and extra is not None:
        raise UsageError("give --budget or --extra, not both")
    if (budget is not None or extra is not None) and not follow_plan:
        raise UsageError("--budget and --extra go with --follow-plan", field="--budget" if budget else "--extra")
    if pay and follow_plan:
        raise UsageError("give --pay or --follow-plan, not both")
    fixed: dict[str, Decimal] = {}
    for item in pay or []:
        debt_id, sep, amount = item.partition("=")
        if not sep or not debt_id.strip():
            raise UsageError("expected DEBT=AMOUNT", field="--pay")
        parsed = _amount(amount, "--pay")
        assert parsed is not None
        debt_id = debt_id.strip()
        if redact:  # the profile's debt ids are redacted too
            from creditfix.privacy import last4

            debt_id = last4(debt_id)
        if debt_id in fixed:
            raise UsageError("a debt is given twice", field="--pay")
        fixed[debt_id] = parsed
    when = parse_as_of(as_of)
    settings = _settings(config, rules=rules, select=select, ignore=ignore, lang=lang.value if lang else None)
    loaded = _load(profile, client, columns, encoding, redact)
    _need_debts(loaded, profile)
    packs = _packs_for(loaded.jurisdiction, settings)
    start = when or loaded.as_of
    if start is not None:
        _note_past_events(loaded.events or (), start)
    currency = currency_of(loaded)
    try:
        result = run_simulation(
            loaded,
            packs,
            months=months,
            as_of=when,
            follow_plan=follow_plan,
            budget=_amount(budget, "--budget"),
            extra=_amount(extra, "--extra"),
            pay=fixed or None,
            new_inquiries=not no_new_inquiries,
            lang=settings.lang or ("zh" if loaded.jurisdiction == "CN" else "en"),
            money=lambda amount: format_money(amount, currency),
        )
    except SimulationError as exc:
        raise _located(exc.cause or exc, profile) from None
    if format is MetricsFormat.json:
        from creditfix.formats.jsonout import dumps
        from creditfix.formats.simulate_out import simulate_document

        emit(dumps(simulate_document(result)), output)
        return
    from creditfix.formats.simulate_out import render_simulation

    if output is None:
        render_simulation(result, _console())
    else:
        from creditfix.formats import plain_text

        emit(plain_text(lambda console: render_simulation(result, console), 120), output)


def _located(exc: ValueError, source: str) -> CreditfixError:
    """A payoff error as one line; a debt missing a term points at the debt in the YAML profile."""
    from creditfix.errors import InputError
    from creditfix.payoff import MissingTerm

    if not isinstance(exc, MissingTerm) or not source.lower().endswith((".yaml", ".yml")):
        return UsageError(str(exc))
    from creditfix.load.source import decode_utf8, display_name, read_bytes
    from creditfix.load.yamlsafe import parse_yaml

    name = display_name(source)
    try:
        data, positions = parse_yaml(decode_utf8(read_bytes(source, cap="profile_bytes"), name), name)
    except CreditfixError:
        return UsageError(str(exc))
    debts = data.get("debts") if isinstance(data, dict) else None
    for index, debt in enumerate(debts if isinstance(debts, list) else []):
        if isinstance(debt, dict) and str(debt.get("id")) == exc.debt_id and ("debts", index) in positions:
            return InputError(
                f"missing: {exc.hint}",
                path=name,
                line=positions[("debts", index)][0],
                field=f"debts[{index}].{exc.field}",
            )
    return UsageError(str(exc))


def _amount(text: str | None, option: str) -> Decimal | None:
    """An amount option, or a usage error naming it."""
    if text is None:
        return None
    from creditfix.money import AmountError, parse_amount

    try:
        amount = parse_amount(text)
    except AmountError as exc:
        raise UsageError(str(exc), field=option) from None
    if amount < 0:
        raise UsageError("must not be negative", field=option)
    return amount


def _need_debts(loaded: "Profile", source: str) -> None:
    """Refuse, naming the file, a profile that payoff and simulate cannot schedule: no debts given."""
    from creditfix.simulate import NO_DEBTS, gives_debts

    if not gives_debts(loaded):
        from creditfix.errors import InputError
        from creditfix.load.source import display_name

        raise InputError(NO_DEBTS, path=display_name(source))


def _note_past_events(events: Any, start: date) -> None:
    """Say on stderr which events are on or before the start, and so not applied."""
    from creditfix.payoff import past_events

    for event in past_events(events, start):
        print(f"creditfix: note: {event.type} event on {event.date} is not after {start}; not applied", file=sys.stderr)


def _result_settings(settings: "Settings") -> dict[str, Any]:
    """The settings that change check results or the exit code, for the journal's fingerprint."""
    from creditfix.config import caps_of

    names = ("packs", "rules", "select", "ignore", "severity", "params", "fail_on", "portfolio")
    return {name: _plain(getattr(settings, name)) for name in names} | {"caps": _plain(vars(caps_of(settings)))}


def _open_journal(output: Path, run: "Fingerprint", resume: bool) -> "Journal":
    """Lock the journal of *output* (resuming from it unless told not to) and clean up temp files
    that an interrupted atomic write of *output* left behind."""
    from creditfix.journal import Journal
    from creditfix.output import remove_leftover_temp_files

    if not (output.parent if str(output.parent) else Path(".")).is_dir():
        raise UsageError("the folder for -o does not exist", path=str(output))

    def say(text: str) -> None:
        print(f"creditfix: {text}", file=sys.stderr)

    journal = Journal.open(output, run, resume=resume, say=say)
    removed = remove_leftover_temp_files(output)  # only now: the lock says no other run writes them
    if removed:
        say(f"removed {removed} temp file(s) left by an interrupted write of {output}")
    return journal


def _progress() -> Any:
    """A progress line on stderr, only when stderr is a terminal (never in pipes or CI logs)."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn(),
                        console=Console(stderr=True), transient=True)  # fmt: skip
    progress.add_task("starting", total=None)
    progress.start()
    return progress


def _settings(config: Path | None, **flags: object) -> "Settings":
    """The effective settings; their input caps are put in force for the rest of the run."""
    from creditfix import caps
    from creditfix.config import caps_of, load_settings, with_flags

    settings = with_flags(load_settings(config), **flags)
    caps.use(caps_of(settings))
    return settings


def _packs_for(jurisdiction: str | None, settings: "Settings") -> "list[CompiledPack]":
    from creditfix.config import packs_for

    return packs_for(jurisdiction, settings)


@app.command("config")
def show_config(
    config: ConfigOpt = None,
    format: Annotated[MetricsFormat, typer.Option("--format", "-f", help="Output format.")] = MetricsFormat.table,
) -> None:
    """Show the effective settings and where each came from (file, environment or default)."""
    import dataclasses

    from creditfix.config import caps_of
    from creditfix.formats.jsonout import SCHEMA_VERSION, dumps

    settings = _settings(config)
    fields = ("packs", "rules", "select", "ignore", "severity", "params", "lang", "fail_on")
    values = {name: getattr(settings, name) for name in fields}
    values["caps"] = dataclasses.asdict(caps_of(settings))  # every cap, defaults included
    document = {
        "schema_version": SCHEMA_VERSION,
        "kind": "config",
        "file": settings.file,
        "settings": {
            name: {"value": _plain(value), "from": settings.origins.get(name, "default")}
            for name, value in values.items()
        },
    }
    if format is MetricsFormat.json:
        sys.stdout.write(dumps(document))
        return
    print(f"config file: {settings.file or '(none found)'}")
    for name, entry in document["settings"].items():  # type: ignore[attr-defined]
        shown = entry["value"]
        if name == "caps":
            shown = ", ".join(f"{cap}={value}" for cap, value in shown.items())
        if shown in (None, [], {}):
            shown = {"packs": "core + the client's jurisdiction pack", "lang": "zh for CN profiles, else en"}.get(
                name, "-"
            )
        print(f"{name:8} {shown}    ({entry['from']})")


def _plain(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _emit_plan(result: object, format: PlanFormat, output: Path | None, details: bool) -> None:
    from creditfix.plan import Plan

    assert isinstance(result, Plan)
    if format is PlanFormat.table and output is None:  # the usual case: straight to the terminal
        from creditfix.formats.plan_table import render_plan_table

        console = _console()
        if console.is_terminal or console.color_system is not None:
            render_plan_table(result, console, details=details)
            return
        from creditfix.formats import unpadded

        with console.capture() as captured:  # plain text to a pipe or file: no padding at line ends
            render_plan_table(result, console, details=details)
        sys.stdout.write(unpadded(captured.get()))
        return
    from creditfix.output import emit

    if format is PlanFormat.json:
        from creditfix.formats.jsonout import dumps
        from creditfix.formats.plan_doc import plan_document

        emit(dumps(plan_document(result)), output)
    elif format is PlanFormat.markdown:
        from creditfix.formats.plan_markdown import render_plan_markdown

        emit(render_plan_markdown(result), output)
    else:
        from creditfix.formats import render

        emit(render(result, "table", details=details), output)


rules_app = typer.Typer(
    name="rules",
    help="The rule packs: list them, explain a rule, verify packs against their own test cases.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)
app.add_typer(rules_app)

PacksArg = Annotated[
    list[str] | None,
    typer.Argument(
        metavar="[PACK_OR_FILE]...",
        help="Built-in pack names or .yaml files (default: all built-in).",
        show_default=False,
    ),
]


def _all_packs(refs: list[str] | None) -> "list[CompiledPack]":
    from creditfix.rules.engine import builtin_packs, load_packs

    _settings(None)  # the caps (pack size, condition size) of the config file and environment
    return load_packs(refs or list(builtin_packs()))


@rules_app.command("list")
def rules_list(
    packs: PacksArg = None,
    pack: Annotated[
        list[str] | None, typer.Option("--pack", "-p", metavar="PACK_OR_FILE", help="Only this pack; repeatable.")
    ] = None,
    format: Annotated[MetricsFormat, typer.Option("--format", "-f", help="Output format.")] = MetricsFormat.table,
) -> None:
    """Every rule: id, pack, category, severity, basis and title."""
    loaded = _all_packs([*(packs or []), *(pack or [])] or None)
    rows = [
        {
            "id": r.id,
            "pack": p.name,
            "kind": r.rule.kind,
            "category": r.rule.category,
            "severity": r.rule.severity if r.rule.kind == "issue" else None,
            "horizon": r.rule.horizon if r.rule.kind == "issue" else None,
            "basis": r.rule.basis,
            "title": r.rule.title["en"],
        }
        for p in loaded
        for r in p.rules
    ]
    if format is MetricsFormat.json:
        from creditfix.formats.jsonout import SCHEMA_VERSION, dumps

        packs_json = [{"name": p.name, "version": p.version, "path": p.path} for p in loaded]
        sys.stdout.write(dumps({"schema_version": SCHEMA_VERSION, "kind": "rules", "packs": packs_json, "rules": rows}))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"{len(rows)} rules", title_justify="left")
    for column in ("id", "pack", "category", "severity", "basis", "title"):
        table.add_column(column, no_wrap=column == "id")
    for row in rows:
        severity = row["severity"] or "strength"
        table.add_row(
            *(Text(str(v)) for v in (row["id"], row["pack"], row["category"], severity, row["basis"], row["title"]))
        )
    _console().print(table)


@rules_app.command("explain")
def rules_explain(
    rule_id: Annotated[str, typer.Argument(metavar="ID", help="A rule id (or an old alias).")],
    packs: Annotated[
        list[str] | None,
        typer.Option("--rules", metavar="PACK_OR_FILE", help="Packs to search (default: all built-in)."),
    ] = None,
    lang: Annotated[Lang, typer.Option("--lang", help="Language of the texts.")] = Lang.en,
) -> None:
    """What a rule checks, why, its condition, params, basis and source, and its test cases."""
    from creditfix.errors import did_you_mean

    loaded = _all_packs(packs)
    for pack in loaded:
        for rule in pack.rules:
            if rule_id == rule.id or rule_id in rule.rule.aliases:
                sys.stdout.write(_explain(pack, rule, lang.value))
                return
    known = [r.id for p in loaded for r in p.rules]
    raise UsageError(f"no rule with this id{did_you_mean(rule_id, known)}", field=rule_id[:64])


def _explain(pack: "CompiledPack", rule: "CompiledRule", lang: str) -> str:
    spec = rule.rule

    def pick(texts: Mapping[Any, str] | None) -> str:
        return (texts or {}).get(lang) or (texts or {}).get("en", "")

    params = {name: pack.params[name] for name in sorted(rule.when.names) if name in pack.params}
    lines = [
        f"{spec.id}  ({pack.name} {pack.version}, {rule.path}:{rule.line})",
        f"  {pick(spec.title)}",
        "",
        f"kind:      {spec.kind}",
        f"category:  {spec.category}",
    ]
    if spec.kind == "issue":
        lines += [f"severity:  {spec.severity} (impact {spec.impact})", f"horizon:   {spec.horizon}"]
    lines += [f"when:      {spec.when}"]
    if params:
        lines.append("params:    " + ", ".join(f"{k} = {v}" for k, v in params.items()))
    lines += [f"reads:     {', '.join(sorted(rule.reads))}", f"basis:     {spec.basis}", f"source:    {spec.source}"]
    if spec.aliases:
        lines.append(f"aliases:   {', '.join(spec.aliases)}")
    if spec.supersedes:
        lines.append(f"supersedes: {', '.join(spec.supersedes)} (when both fire)")
    if spec.action:
        lines += ["", "action:", f"  {pick(spec.action)}"]
    if spec.brief:
        lines += ["", "brief:", f"  {pick(spec.brief)}"]
    lines += ["", "why:", f"  {pick(spec.why)}", "", "tests:"]
    for case in spec.tests:
        values = ", ".join(f"{k}={v}" for k, v in case.metrics.items())
        lines.append(f"  {'fires ' if case.fires else 'silent'}  {case.name}: {values}")
    return "\n".join(lines) + "\n"


@rules_app.command("docs")
def rules_docs(packs: PacksArg = None) -> None:
    """Print the rules reference in Markdown (docs/rules.md is this, for the built-in packs)."""
    from creditfix.formats.rules_doc import rules_markdown

    sys.stdout.write(rules_markdown(_all_packs(packs)))


@rules_app.command("verify")
def rules_verify(packs: PacksArg = None) -> None:
    """Load each pack and run every rule's test cases; exit 1 if a case fails, 2 if a pack is invalid."""
    import time

    from creditfix.rules.engine import run_case

    start = time.perf_counter()
    loaded = _all_packs(packs)
    failures = []
    cases = failed_cases = 0
    for pack in loaded:
        for rule in pack.rules:
            if not rule.rule.tests:
                where = f"{rule.path}:{rule.line}" if rule.line else rule.path
                failures.append(f"{where}: {rule.id}: no test cases (add one that fires and one that stays silent)")
            for case in rule.rule.tests:
                cases += 1
                result = run_case(pack, rule, case)
                if not result.ok:
                    failures.append(result.message())
                    failed_cases += 1
    for line in failures:
        print(line)
    rules = sum(len(p.rules) for p in loaded)
    print(
        f"creditfix: {len(loaded)} pack(s), {rules} rules, {cases} cases: {cases - failed_cases} passed, "
        f"{failed_cases} failed ({time.perf_counter() - start:.2f}s)",
        file=sys.stderr,
    )
    if failures:
        raise typer.Exit(exitcodes.FINDINGS)


class SchemaKind(StrEnum):
    """What ``creditfix schema`` describes."""

    profile = "profile"
    rules = "rules"
    config = "config"


@app.command()
def schema(
    kind: Annotated[SchemaKind, typer.Argument(help="profile, rules (a rule pack) or config.")],
) -> None:
    """Print the JSON Schema of profiles, rule packs or config files, for editors to complete and check."""
    import json

    from pydantic import BaseModel

    from creditfix.config_schema import FileSettings
    from creditfix.profile_schema import Profile
    from creditfix.rules.schema import Pack

    models: dict[SchemaKind, type[BaseModel]] = {
        SchemaKind.profile: Profile,
        SchemaKind.rules: Pack,
        SchemaKind.config: FileSettings,
    }
    document = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        **models[kind].model_json_schema(mode="validation"),
    }
    sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


@app.command()
def init(
    jurisdiction: Annotated[
        Jurisdiction, typer.Option("--jurisdiction", "-j", help="CN (PBOC, Sesame) or US (FCRA, FICO).")
    ] = Jurisdiction.CN,
    as_of: AsOfOpt = None,
) -> None:
    """Print a commented starter profile to fill in (redirect it to a file), dated today."""
    from creditfix.starter import STARTER_AS_OF, STARTERS

    when = parse_as_of(as_of) or date.today()
    sys.stdout.write(STARTERS[jurisdiction.value].replace(f"as_of: {STARTER_AS_OF}", f"as_of: {when}", 1))


def _console() -> "Console":
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:
            # Rich exits 1 when the reader goes away (| head); 1 means "findings" here.
            raise BrokenPipeError

    console = _Console(highlight=False, soft_wrap=False)
    if not console.legacy_windows:  # (whose size Rich gives one column narrower than it is set to)
        # Rich works the size out again each time it is read (the environment, then the terminal of
        # stdin, stdout and stderr in turn): ~80 times for a plan's tables. It is read once here,
        # as Rich would read it, for the few milliseconds the command prints.
        console.size = console.size
    return console


def _usage_error(exc: Exception) -> int:
    """Click's usage errors (Typer vendors Click, so they are matched by shape) as one line."""
    ctx = getattr(exc, "ctx", None)
    hint = f" (see '{ctx.command_path} --help')" if ctx is not None else ""
    print(f"creditfix: error: {exc.format_message()}{hint}", file=sys.stderr)  # type: ignore[attr-defined]
    return exitcodes.BAD_INPUT


def _name_of(info: typer.models.CommandInfo) -> str:
    return info.name or typer.main.get_command_name(info.callback.__name__)  # type: ignore[union-attr]


def _runs_one_command(args: list[str]) -> bool:
    """Whether *args* run one known command, with no help asked anywhere (help lists the others)."""
    if not args or "--help" in args or "-h" in args:
        return False
    return any(_name_of(c) == args[0] for c in app.registered_commands) or any(
        g.name == args[0] for g in app.registered_groups
    )


def _only(name: str) -> typer.Typer:
    """The app with only command (or group) *name*: Typer builds a Click command for every command
    of an app, with its signature and type hints, which costs ~15 ms per run when only one is used."""
    one = copy.copy(app)
    one.registered_commands = [c for c in app.registered_commands if _name_of(c) == name]
    one.registered_groups = [g for g in app.registered_groups if g.name == name]
    return one


def _format_of(args: list[str]) -> str:
    """The ``--format`` given in *args* (letters and digits only), or ``default``: each command and
    format imports its own set of modules, so each has its own cached dataclass code."""
    given = "default"
    for index, arg in enumerate(args):
        if arg in ("--format", "-f") and index + 1 < len(args):
            given = args[index + 1]
        elif arg.startswith("--format="):
            given = arg.partition("=")[2]
    return "".join(c for c in given if c.isascii() and c.isalnum())[:20] or "default"


#: Commands that read one profile: their work is small and bounded (``check`` reads any number).
_ONE_PROFILE = frozenset({"metrics", "plan", "payoff", "simulate"})


def main(argv: list[str] | None = None) -> int:
    """Run the command line *argv* (default: the process's own); returns the exit code."""
    import gc

    from creditfix.codecache import active

    process = argv is None  # the process runs this one command (not a test or a caller running many)
    if process:
        # What the imports so far made (Typer, Rich, pydantic: ~100,000 objects) lives until exit:
        # frozen, no collection traverses it again (~5 ms).
        gc.freeze()
    args = sys.argv[1:] if argv is None else argv
    if process and args and args[0] in _ONE_PROFILE:
        # What a command on one profile makes (its modules, records, output) lives until it is
        # written, with next to no reference cycles: the ~20-30 collections Python would make
        # during a plan free about a dozen objects between them (~2-3 ms).
        gc.disable()
    command = f"{args[0]}-{_format_of(args)}" if _runs_one_command(args) else "other"
    with active(command):  # the dataclasses the command imports: compiled methods from the per-user cache
        code = _main(args)
    if process:
        # The command is done and every file it wrote is closed: the full collection Python makes
        # at exit would only traverse what the command's imports and work made (~5 ms), to free
        # memory the process is about to return anyway.
        gc.freeze()
    return code


def run() -> NoReturn:
    """:func:`main` in a process of its own (the ``creditfix`` program, ``python -m creditfix``:
    :mod:`creditfix.__main__`), which then ends with its exit code."""
    code = main()
    if sys.argv[1:2] and sys.argv[1] in _ONE_PROFILE:
        _exit_now(code)
    raise SystemExit(code)


def _exit_now(code: int) -> None:
    """End the process with *code* as Python's exit would (exit handlers run, stdout and stderr
    flushed), without then tearing down its ~280 modules and freeing the objects they hold one by
    one, for a process about to end (~5 ms of a plan). Left to Python when something else may
    still run or report at exit: another thread, a tracer or profiler (coverage, cProfile),
    ``python -i``, or a stream that cannot be flushed (a reader gone away, which Python reports
    as it always has)."""
    import atexit
    import threading

    if threading.active_count() > 1 or sys.gettrace() or sys.getprofile() or sys.flags.inspect:
        return
    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


def _main(args: list[str]) -> int:
    # creditfix uses no pydantic plugins; scanning every installed package's entry points for them
    # costs ~10 ms of start-up on each run.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    debug = "--debug" in args or bool(os.environ.get("CREDITFIX_DEBUG"))
    from creditfix import caps

    caps.use(caps.DEFAULT)  # until a command reads its settings (tests run many commands in one process)
    command = typer.main.get_command(_only(args[0]) if _runs_one_command(args) else app)
    if not args:  # a bare `creditfix`: the help, on stderr since it is not a result
        import contextlib

        with contextlib.redirect_stdout(sys.stderr):
            command.main(args=["--help"], prog_name="creditfix", standalone_mode=False)
        return exitcodes.BAD_INPUT
    try:
        result = command.main(args=args, prog_name="creditfix", standalone_mode=False)
    except CreditfixError as exc:
        print(f"creditfix: error: {exc.one_line()}", file=sys.stderr)
        return exitcodes.BAD_INPUT
    except SystemExit:
        # Typer turns a closed stdout (| head) into exit 1 after swapping in a flush-pacifying
        # wrapper; exit 1 means "findings" here, so report the reader going away as success.
        if type(sys.stdout).__name__ == "PacifyFlushWrapper":
            return exitcodes.OK
        raise
    except typer.Abort:
        print("creditfix: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (| head): not an error of ours; keep Python from complaining at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return exitcodes.OK
    except KeyboardInterrupt:
        print("creditfix: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the last line of defence: one line, exit 3
        if hasattr(exc, "format_message") and hasattr(exc, "exit_code"):
            return _usage_error(exc)
        if debug:
            import traceback

            traceback.print_exc()
        print(
            f"creditfix: internal error: {type(exc).__name__}: {exc} (a bug; rerun with --debug for details)",
            file=sys.stderr,
        )
        return exitcodes.INTERNAL
    return int(result or 0)
