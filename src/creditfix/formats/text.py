"""Human text for values: the one place that knows how each unit is shown."""

from __future__ import annotations

from decimal import Decimal

from creditfix.metrics import CATALOGUE, MetricValue
from creditfix.money import format_money, format_pct


def show_value(name: str, value: MetricValue, currency: str | None) -> str:
    """A metric value as a person reads it: ``¥18,000.00``, ``45.0%``, ``3``, ``yes``."""
    unit = CATALOGUE[name].unit
    if isinstance(value, bool):
        return "yes" if value else "no"
    if unit == "money":
        return format_money(Decimal(value), currency)
    if unit == "ratio":
        return format_pct(Decimal(value))
    return str(value)
