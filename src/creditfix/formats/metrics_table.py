"""``creditfix metrics`` as a Rich table: value and meaning of every metric, reasons for the rest."""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from creditfix.formats.richtext import rich_text
from creditfix.formats.text import show_value
from creditfix.metrics import CATALOGUE, Metrics
from creditfix.model import Profile
from creditfix.money import default_currency


def render_metrics_table(profile: Profile, metrics: Metrics, console: Console) -> None:
    """Print the metrics of *profile* to *console*."""
    who = profile.client.id or "profile"
    currency = profile.client.currency or default_currency(profile.jurisdiction)
    rows: list[tuple[Text, Text, Text]] = []
    for name, spec in CATALOGUE.items():
        if name in metrics.values:
            value = show_value(name, metrics.values[name], currency)
            note = spec.meaning + (" (given)" if name in metrics.supplied else "")
            rows.append((Text(name), Text(value), Text(note)))
        elif name in metrics.at_least:  # a lower bound: what the debts with a history show
            value = "≥" + show_value(name, metrics.at_least[name], currency)
            reason = f"{spec.meaning}: at least, {metrics.unavailable[name]}"
            rows.append((Text(name), Text(value), Text(reason)))
        else:
            reason = f"{spec.meaning}: unavailable, {metrics.unavailable[name]}"
            rows.append((Text(name, style="dim"), Text("—", style="dim"), Text(reason, style="dim")))
    title = rich_text(f"Metrics for {who} as of {metrics.as_of.isoformat()}", "table.title")
    table = Table(title=title, title_justify="left")
    # The two columns that never wrap are as wide as their widest cell, which is what Rich would
    # measure; given, Rich measures only the meanings (measuring every cell, twice, is most of the
    # drawing time).
    table.add_column(Text("Metric"), no_wrap=True, width=_widest("Metric", (row[0] for row in rows)))
    table.add_column(Text("Value"), justify="right", no_wrap=True, width=_widest("Value", (row[1] for row in rows)))
    table.add_column(Text("Meaning"))
    for row in rows:
        table.add_row(*row)
    console.print(table)


def _widest(header: str, cells: Iterable[Text]) -> int:
    """The width in terminal cells of the widest of *header* and *cells* (one line each)."""
    return max(cell_len(header), *(cell_len(cell.plain) for cell in cells))
