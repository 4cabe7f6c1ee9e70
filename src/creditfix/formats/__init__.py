"""Output formats: one module per format, keyed by an Enum that the CLI options use."""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any


class MetricsFormat(StrEnum):
    """Formats of ``creditfix metrics``."""

    table = "table"
    json = "json"


class CheckFormat(StrEnum):
    """Formats of ``creditfix check``."""

    table = "table"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"


class PlanFormat(StrEnum):
    """Formats of ``creditfix plan``."""

    table = "table"
    json = "json"
    markdown = "markdown"


class Lang(StrEnum):
    """Languages of rule texts and headings."""

    en = "en"
    zh = "zh"


class Severity(StrEnum):
    """Severities, for ``--fail-on``."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"


def render(plan: object, format: str | PlanFormat = PlanFormat.json, *, width: int = 100, details: bool = False) -> str:
    """A plan as text: ``json`` (the stable document), ``markdown``, or ``table`` (plain text).

    The same renderers the CLI uses; ``table`` is rendered without colour at *width* columns, each
    reason cut to its first sentence unless *details*.
    """
    from creditfix.plan import Plan

    if not isinstance(plan, Plan):
        raise TypeError("render() takes a Plan from build_plan()")
    chosen = PlanFormat(format)
    if chosen is PlanFormat.json:
        from creditfix.formats.jsonout import dumps
        from creditfix.formats.plan_doc import plan_document

        return dumps(plan_document(plan))
    if chosen is PlanFormat.markdown:
        from creditfix.formats.plan_markdown import render_plan_markdown

        return render_plan_markdown(plan)
    from creditfix.formats.plan_table import render_plan_table

    return plain_text(lambda console: render_plan_table(plan, console, details=details), width)


def plain_text(draw: Callable[[Any], None], width: int = 100) -> str:
    """What a Rich renderer prints, as plain text without colour (for files and the API)."""
    import io

    from rich.console import Console

    buffer = io.StringIO()
    draw(Console(file=buffer, width=width, color_system=None, highlight=False))
    return unpadded(buffer.getvalue())


def unpadded(text: str) -> str:
    """*text* without the spaces Rich pads each line with to a table's width (plain text only)."""
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))
