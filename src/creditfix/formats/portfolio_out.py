"""``creditfix check --portfolio``: the lender's view of a batch.

Grade distribution, the share of clients overdue today and with late payments in 24 months against
warning lines (config ``portfolio:``; defaults are creditfix's rule of thumb, not regulation), the
review list (grades D and E, and with ``--baseline`` an earlier run's output the clients whose grade
got worse since), a suggested limit tier per client from the pack's ``limits:`` table, and the
clients that could not be read, each with its one-line error. The table is drawn with Rich on a
terminal and written as plain text elsewhere (the plain ``check`` table's layout).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from creditfix.baseline import Previous, better, worse
from creditfix.check import CheckResult, declined
from creditfix.formats.check_out import CONTROLS, cell_width, fit_cell, safe_cell
from creditfix.formats.jsonout import SCHEMA_VERSION, dumps

#: Warning lines used when the config sets none: share of clients overdue today / late in 24 months.
DEFAULT_LINES = {"overdue_rate_warning": Decimal("0.05"), "late_rate_warning": Decimal("0.15")}
REVIEW_GRADES = ("D", "E")


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if whole else None


def portfolio(
    results: Sequence[CheckResult],
    lines: Mapping[str, Decimal] | None = None,
    baseline: Mapping[str, Previous] | None = None,
) -> dict[str, Any]:
    """The portfolio summary as data; with a *baseline* (an earlier run), the clients whose grade
    got worse join the review list and the movement is counted."""
    warn = {**DEFAULT_LINES, **(lines or {})}
    assessed = [r for r in results if r.error is None]
    then = baseline or {}

    def previous(result: CheckResult) -> Previous | None:
        return then.get(result.client_id) if result.client_id is not None else None

    def reason(result: CheckResult) -> str | None:
        before = previous(result)
        if worse(result.grade, before):
            assert before is not None
            return f"worse: {before.grade} → {result.grade}"
        if result.grade in REVIEW_GRADES:
            return f"grade {result.grade}"
        return "overdue now" if result.overdue_now else None

    grades = {g: sum(1 for r in assessed if r.grade == g) for g in "ABCDE"}
    overdue_known = [r for r in assessed if r.overdue_now is not None]
    late_known = [r for r in assessed if r.late_24m is not None]
    overdue_rate = _share(sum(1 for r in overdue_known if r.overdue_now), len(overdue_known))
    late_rate = _share(sum(1 for r in late_known if r.late_24m), len(late_known))

    def rate(value: Decimal | None, known: int, line: Decimal) -> dict[str, Any]:
        # No client's status known: not assessed, neither above nor under the line.
        return {"value": value, "of": known, "warning_line": line, "above": None if value is None else value >= line}

    movement = None
    if baseline is not None:
        compared = [r for r in assessed if getattr(previous(r), "grade", None) is not None]
        failed_then = [r for r in assessed if (before := previous(r)) is not None and before.grade is None]
        now_ids = {r.client_id for r in results}  # a client in error now is listed as failed, not gone
        movement = {
            "compared": len(compared),
            "worse": sum(1 for r in compared if worse(r.grade, previous(r))),
            "better": sum(1 for r in compared if better(r.grade, previous(r))),
            "new": len(assessed) - len(compared) - len(failed_then),
            "gone": sum(1 for client in then if client not in now_ids),
            "failed_then": len(failed_then),
        }

    # The tiers in the order of the limits table: a client's row is its grade's, one worse when
    # provisional, E's when declined (see check.graded).
    def row(r: CheckResult) -> int:
        return 4 if declined(r.overdue_now, r.counts) else min("ABCDE".index(r.grade or "E") + r.provisional, 4)

    tiers: dict[str, list[int]] = {}
    for r in assessed:
        if r.limit_tier is not None:
            tiers.setdefault(r.limit_tier, []).append(row(r))
    tier_counts = [
        {"tier": tier, "clients": len(rows)} for tier, rows in sorted(tiers.items(), key=lambda item: min(item[1]))
    ]
    seen: dict[str, int] = {}
    for r in results:
        if r.client_id is not None:
            seen[r.client_id] = seen.get(r.client_id, 0) + 1
    repeated = {client: times for client, times in seen.items() if times > 1}
    return {
        "clients": len(results),
        "assessed": len(assessed),
        "errors": len(results) - len(assessed),
        "grades": grades,
        "provisional": sum(1 for r in assessed if r.provisional),
        "overdue_rate": rate(overdue_rate, len(overdue_known), warn["overdue_rate_warning"]),
        "late_rate_24m": rate(late_rate, len(late_known), warn["late_rate_warning"]),
        "baseline": movement,
        # ids given to more than one client: a baseline (and anyone joining on id) matches the first
        "repeated_ids": [{"client_id": client, "times": times} for client, times in repeated.items()],
        "review": [
            {
                "client_id": r.client_id,
                "source": r.source,
                "line": r.line,
                "grade": r.grade,
                "provisional": r.provisional,
                "previous_grade": getattr(previous(r), "grade", None),
                "risk_points": r.risk_points,
                "top_rule": r.top_rule,
                "reason": reason(r),
                "tier": r.limit_tier,
            }
            for r in sorted(assessed, key=lambda r: (-(r.risk_points or 0), r.index))
            if reason(r) is not None
        ],
        "tiers": tier_counts,
        "limits": [
            {
                "client_id": r.client_id,
                "grade": r.grade,
                "provisional": r.provisional,
                "tier": r.limit_tier,
                "suggested_limit": r.suggested_limit,
                "currency": r.limit_currency,
            }
            for r in assessed
        ],
        "failed": [
            {"client_id": r.client_id, "source": r.source, "line": r.line, "error": r.error}
            for r in results
            if r.error is not None
        ],
    }


def portfolio_json(summary: Mapping[str, Any], packs: Sequence[Mapping[str, str]]) -> str:
    return dumps(
        {"schema_version": SCHEMA_VERSION, "kind": "portfolio", "packs": list(packs), "portfolio": dict(summary)}
    )


def portfolio_csv(results: Sequence[CheckResult], baseline: Mapping[str, Previous] | None = None) -> str:
    """One row per client: grade, risk, review flag, limit tier and amount, and with a baseline the
    grade then (spreadsheet-safe)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["client_id", "source", "line", "grade", "risk_points", "overdue_now", "late_24m", "review",
                     "limit_tier", "suggested_limit", "error", "previous_grade", "limit_currency",
                     "provisional"])  # fmt: skip
    then = baseline or {}
    for r in results:
        before = then.get(r.client_id) if r.client_id is not None and r.error is None else None
        review = (r.grade in REVIEW_GRADES or worse(r.grade, before) or bool(r.overdue_now)) if r.grade else None
        provisional = r.provisional if r.error is None else None
        row = [r.client_id, r.source, r.line, r.grade, r.risk_points, r.overdue_now, r.late_24m, review,
               r.limit_tier, r.suggested_limit, r.error, before.grade if before else None,
               r.limit_currency, provisional]  # fmt: skip
        writer.writerow(["" if v is None else safe_cell(_lower(v)) for v in row])
    return out.getvalue()


def _lower(value: object) -> object:
    """``true``/``false`` for a bool, as the ``check`` CSV writes them."""
    return str(value).lower() if isinstance(value, bool) else value


class _Table(NamedTuple):
    """One table of the view: a title line, the columns (header, justification) and the rows."""

    title: str
    columns: tuple[tuple[str, str], ...]
    rows: list[tuple[str, ...]]


_NOT_KNOWN = {
    "overdue_rate": "no client's overdue status is known",
    "late_rate_24m": "no client's late history is known",
}


def _blocks(summary: Mapping[str, Any]) -> Iterator[str | _Table]:
    """The view from top to bottom, lines and tables, as both renderers show it."""

    def pct(value: Decimal) -> str:
        return f"{(value * 100).quantize(Decimal('0.1'))}%"

    yield f"Portfolio: {summary['assessed']} clients assessed, {summary['errors']} error(s)"
    yield _Table("Grades", tuple((g, "right") for g in "ABCDE"), [tuple(str(summary["grades"][g]) for g in "ABCDE")])
    if summary["provisional"]:
        yield (
            f"Provisional grades: {summary['provisional']} of {summary['assessed']} (a critical or high rule could not"
            " be assessed for lack of data; their limit tier is the next grade's)"
        )
    for key, label in (("overdue_rate", "Overdue today"), ("late_rate_24m", "Late in 24 months")):
        entry = summary[key]
        if entry["value"] is None:
            yield f"{label}: not assessed ({_NOT_KNOWN[key]})"
            continue
        flag = "ABOVE the warning line" if entry["above"] else "under the warning line"
        yield f"{label}: {pct(entry['value'])} of {entry['of']} ({flag} {pct(entry['warning_line'])})"
    if summary["tiers"]:
        yield (
            "Suggested limit tiers: "
            + " · ".join(f"{item['tier']} {item['clients']}" for item in summary["tiers"])
            + " (each client's: --format csv or json)"
        )
    movement = summary.get("baseline")
    if movement is not None:
        yield (
            f"Against the baseline: {movement['compared']} compared, {movement['worse']} worse, "
            f"{movement['better']} better, {movement['new']} new, {movement['gone']} gone"
            + (f", {movement['failed_then']} in error then" if movement["failed_then"] else "")
        )
    if summary.get("repeated_ids"):
        ids = ", ".join(f"{item['client_id']} ({item['times']}×)" for item in summary["repeated_ids"][:10])
        more = len(summary["repeated_ids"]) - 10
        yield f"Client ids given more than once: {ids}{f' and {more} more' if more > 0 else ''}: an id names one client"
    which = "grades D-E, overdue now or newly worse" if movement is not None else "grades D-E or overdue now"
    yield _Table(
        f"Review list ({which}): {len(summary['review'])}",
        (
            ("client", "left"),
            ("grade", "center"),
            ("risk", "right"),
            ("why", "left"),
            ("tier", "left"),
            ("top rule", "left"),
        ),
        [
            (
                item["client_id"] or item["source"],
                item["grade"] + ("?" if item["provisional"] else ""),
                str(item["risk_points"]),
                item["reason"],
                item["tier"] or "",
                item["top_rule"] or "",
            )
            for item in summary["review"]
        ],
    )
    failed = summary["failed"]
    if failed:
        yield _Table(
            f"Errors, in input order: {len(failed)}",
            (("client", "left"), ("error", "left")),
            [(item["client_id"] or item["source"], item["error"]) for item in failed],
        )


def table_rows(summary: Mapping[str, Any]) -> int:
    """How many rows the view's tables have (the CLI draws it with Rich only when they are few):
    the grades, the review list and the errors."""
    return 1 + len(summary["review"]) + len(summary["failed"])


def render_portfolio(summary: Mapping[str, Any], console: Any) -> None:
    """Rich tables, for a terminal: the distribution and rates, the review list, the errors."""
    from rich.table import Table
    from rich.text import Text

    for number, block in enumerate(_blocks(summary)):
        if isinstance(block, str):
            console.print(Text(block, style="bold" if number == 0 else ""))
            continue
        table = Table(title=block.title, title_justify="left")
        for header, justify in block.columns:
            table.add_column(header, justify=justify)  # type: ignore[arg-type]
        style = "red" if block.columns[-1][0] == "error" else ""
        for row in block.rows:
            table.add_row(*(Text(cell) for cell in row[:-1]), Text(row[-1], style=style))
        console.print(table)


def plain_portfolio(summary: Mapping[str, Any]) -> str:
    """The view as plain text, for a pipe or a file: the lines and tables of :func:`render_portfolio`,
    each table laid out as the plain ``check`` table is (see :func:`_plain_table`)."""
    lines: list[str] = []
    for block in _blocks(summary):
        if isinstance(block, str):
            lines.append(block.translate(CONTROLS))
        else:
            lines += _plain_table(block)
    return "\n".join(lines) + "\n"


def _plain_table(table: _Table) -> list[str]:
    """A title line, a header line, a line of dashes and one line per row: columns two spaces apart,
    aligned in terminal cells, nothing wrapped or cut, no trailing spaces, control characters as spaces."""
    rows = [[cell.translate(CONTROLS) for cell in row] for row in table.rows]
    headers = [header for header, _ in table.columns]
    widths = [max([cell_width(header), *(cell_width(row[n]) for row in rows)]) for n, header in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(fit_cell(c, w, j) for c, w, (_, j) in zip(cells, widths, table.columns, strict=True)).rstrip()

    return [table.title, line(headers), "  ".join("-" * width for width in widths), *(line(row) for row in rows)]
