"""``creditfix check --portfolio``: the lender's view of a batch.

Grade distribution, the share of clients overdue today and with late payments in 24 months against
warning lines (config ``portfolio:``; defaults are creditfix's rule of thumb, not regulation), the
review list (grades D and E, and with ``--baseline`` an earlier run's output the clients whose grade
got worse since), and a suggested limit tier per client from the pack's ``limits:`` table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from creditfix.baseline import Previous, better, worse
from creditfix.check import CheckResult
from creditfix.formats.check_out import safe_cell
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
        return f"grade {result.grade}" if result.grade in REVIEW_GRADES else None

    grades = {g: sum(1 for r in assessed if r.grade == g) for g in "ABCDE"}
    overdue_known = [r for r in assessed if r.overdue_now is not None]
    late_known = [r for r in assessed if r.late_24m is not None]
    overdue_rate = _share(sum(1 for r in overdue_known if r.overdue_now), len(overdue_known))
    late_rate = _share(sum(1 for r in late_known if r.late_24m), len(late_known))
    movement = None
    if baseline is not None:
        compared = [r for r in assessed if previous(r) is not None]
        now_ids = {r.client_id for r in assessed}
        movement = {
            "compared": len(compared),
            "worse": sum(1 for r in compared if worse(r.grade, previous(r))),
            "better": sum(1 for r in compared if better(r.grade, previous(r))),
            "new": len(assessed) - len(compared),
            "gone": sum(1 for client in then if client not in now_ids),
        }
    return {
        "clients": len(results),
        "assessed": len(assessed),
        "errors": len(results) - len(assessed),
        "grades": grades,
        "overdue_rate": {
            "value": overdue_rate,
            "of": len(overdue_known),
            "warning_line": warn["overdue_rate_warning"],
            "above": overdue_rate is not None and overdue_rate >= warn["overdue_rate_warning"],
        },
        "late_rate_24m": {
            "value": late_rate,
            "of": len(late_known),
            "warning_line": warn["late_rate_warning"],
            "above": late_rate is not None and late_rate >= warn["late_rate_warning"],
        },
        "baseline": movement,
        "review": [
            {
                "client_id": r.client_id,
                "source": r.source,
                "line": r.line,
                "grade": r.grade,
                "previous_grade": getattr(previous(r), "grade", None),
                "risk_points": r.risk_points,
                "top_rule": r.top_rule,
                "reason": reason(r),
            }
            for r in sorted(assessed, key=lambda r: (-(r.risk_points or 0), r.index))
            if reason(r) is not None
        ],
        "limits": [
            {"client_id": r.client_id, "grade": r.grade, "tier": r.limit_tier, "suggested_limit": r.suggested_limit}
            for r in assessed
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
                     "limit_tier", "suggested_limit", "error", "previous_grade"])  # fmt: skip
    then = baseline or {}
    for r in results:
        before = then.get(r.client_id) if r.client_id is not None and r.error is None else None
        review = (r.grade in REVIEW_GRADES or worse(r.grade, before)) if r.grade else None
        row = [r.client_id, r.source, r.line, r.grade, r.risk_points, r.overdue_now, r.late_24m, review,
               r.limit_tier, r.suggested_limit, r.error, before.grade if before else None]  # fmt: skip
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return out.getvalue()


def render_portfolio(summary: Mapping[str, Any], console: Any) -> None:
    """Rich tables: the distribution and rates, then the review list."""
    from rich.table import Table
    from rich.text import Text

    def pct(value: Decimal | None) -> str:
        return "n/a" if value is None else f"{(value * 100).quantize(Decimal('0.1'))}%"

    console.print(
        Text(f"Portfolio: {summary['assessed']} clients assessed, {summary['errors']} error(s)", style="bold")
    )
    head = Table(title="Grades", title_justify="left")
    for grade in "ABCDE":
        head.add_column(grade, justify="right")
    head.add_row(*(str(summary["grades"][g]) for g in "ABCDE"))
    console.print(head)
    for key, label in (("overdue_rate", "Overdue today"), ("late_rate_24m", "Late in 24 months")):
        entry = summary[key]
        flag = "ABOVE the warning line" if entry["above"] else "under the warning line"
        console.print(f"{label}: {pct(entry['value'])} of {entry['of']} ({flag} {pct(entry['warning_line'])})")
    movement = summary.get("baseline")
    if movement is not None:
        console.print(
            f"Against the baseline: {movement['compared']} compared, {movement['worse']} worse, "
            f"{movement['better']} better, {movement['new']} new, {movement['gone']} gone"
        )
    which = "grades D-E or newly worse" if movement is not None else "grades D-E"
    review = Table(title=f"Review list ({which}): {len(summary['review'])}", title_justify="left")
    for column in ("client", "grade", "risk", "why", "top rule"):
        review.add_column(column)
    for item in summary["review"]:
        client = Text(str(item["client_id"]))
        review.add_row(client, item["grade"], str(item["risk_points"]), item["reason"], item["top_rule"] or "")
    console.print(review)
