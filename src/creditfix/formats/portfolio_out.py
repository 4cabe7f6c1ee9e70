"""``creditfix check --portfolio``: the lender's view of a batch.

Grade distribution, the share of clients overdue today and with late payments in 24 months against
warning lines (config ``portfolio:``; defaults are creditfix's rule of thumb, not regulation), the
review list (grades D and E), and a suggested limit tier per client from the pack's ``limits:`` table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from creditfix.check import CheckResult
from creditfix.formats.check_out import safe_cell
from creditfix.formats.jsonout import SCHEMA_VERSION, dumps

#: Warning lines used when the config sets none: share of clients overdue today / late in 24 months.
DEFAULT_LINES = {"overdue_rate_warning": Decimal("0.05"), "late_rate_warning": Decimal("0.15")}
REVIEW_GRADES = ("D", "E")


def _share(part: int, whole: int) -> Decimal | None:
    return (Decimal(part) / whole).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP) if whole else None


def portfolio(results: Sequence[CheckResult], lines: Mapping[str, Decimal] | None = None) -> dict[str, Any]:
    """The portfolio summary as data."""
    warn = {**DEFAULT_LINES, **(lines or {})}
    assessed = [r for r in results if r.error is None]
    grades = {g: sum(1 for r in assessed if r.grade == g) for g in "ABCDE"}
    overdue_known = [r for r in assessed if r.overdue_now is not None]
    late_known = [r for r in assessed if r.late_24m is not None]
    overdue_rate = _share(sum(1 for r in overdue_known if r.overdue_now), len(overdue_known))
    late_rate = _share(sum(1 for r in late_known if r.late_24m), len(late_known))
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
        "review": [
            {
                "client_id": r.client_id,
                "source": r.source,
                "line": r.line,
                "grade": r.grade,
                "risk_points": r.risk_points,
                "top_rule": r.top_rule,
            }
            for r in sorted(assessed, key=lambda r: (-(r.risk_points or 0), r.index))
            if r.grade in REVIEW_GRADES
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


def portfolio_csv(results: Sequence[CheckResult]) -> str:
    """One row per client: grade, risk, review flag, limit tier and amount (spreadsheet-safe)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["client_id", "source", "line", "grade", "risk_points", "overdue_now", "late_24m", "review",
                     "limit_tier", "suggested_limit", "error"])  # fmt: skip
    for r in results:
        row = [r.client_id, r.source, r.line, r.grade, r.risk_points, r.overdue_now, r.late_24m,
               r.grade in REVIEW_GRADES if r.grade else None, r.limit_tier, r.suggested_limit, r.error]  # fmt: skip
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
    review = Table(title=f"Review list (grades D-E): {len(summary['review'])}", title_justify="left")
    for column in ("client", "grade", "risk", "top rule"):
        review.add_column(column)
    for item in summary["review"]:
        review.add_row(Text(str(item["client_id"])), item["grade"], str(item["risk_points"]), item["top_rule"] or "")
    console.print(review)
