"""``creditfix metrics`` as a Rich table: value and meaning of every metric, reasons for the rest."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from creditfix.formats.text import show_value
from creditfix.metrics import CATALOGUE, Metrics
from creditfix.model import Profile
from creditfix.money import default_currency


def render_metrics_table(profile: Profile, metrics: Metrics, console: Console) -> None:
    """Print the metrics of *profile* to *console*."""
    who = profile.client.id or "profile"
    table = Table(title=f"Metrics for {who} as of {metrics.as_of.isoformat()}", title_justify="left")
    table.add_column("Metric", no_wrap=True)
    table.add_column("Value", justify="right", no_wrap=True)
    table.add_column("Meaning")
    currency = profile.client.currency or default_currency(profile.jurisdiction)
    for name, spec in CATALOGUE.items():
        if name in metrics.values:
            value = show_value(name, metrics.values[name], currency)
            note = spec.meaning + (" (given)" if name in metrics.supplied else "")
            table.add_row(name, value, Text(note))
        elif name in metrics.at_least:  # a lower bound: what the debts with a history show
            value = "≥" + show_value(name, metrics.at_least[name], currency)
            reason = f"{spec.meaning}: at least, {metrics.unavailable[name]}"
            table.add_row(name, value, Text(reason))
        else:
            reason = f"{spec.meaning}: unavailable, {metrics.unavailable[name]}"
            table.add_row(Text(name, style="dim"), Text("—", style="dim"), Text(reason, style="dim"))
    console.print(table)
