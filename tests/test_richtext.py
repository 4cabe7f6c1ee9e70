"""Plain strings handed to Rich as Text draw exactly as the strings do, markup or not."""

from __future__ import annotations

import io

import pytest
from rich.console import Console
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from creditfix.formats.richtext import rich_text

TEXTS = ["plain words", "中文标题（截至 2026-11-20）", "[bold]markup[/bold]", "an :smile: code", "a\\[b", "x: y", ""]


def _drawn(title: object, cell: object, line: object, color: bool) -> str:
    out = io.StringIO()
    console = Console(
        file=out, width=60, highlight=False, force_terminal=color, color_system="truecolor" if color else None
    )
    table = Table(title=title, title_justify="left")  # type: ignore[arg-type]
    table.add_column(cell)  # type: ignore[arg-type]
    table.add_row(cell)  # type: ignore[arg-type]
    console.print(table)
    console.print(Panel("body", title=line))  # type: ignore[arg-type]
    console.print(line)  # type: ignore[arg-type]
    return out.getvalue()


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("color", [False, True])
def test_rich_text_draws_as_the_string_does(text: str, color: bool) -> None:
    as_text = _drawn(rich_text(text, "table.title"), rich_text(text), rich_text(text), color)
    assert as_text == _drawn(text, text, text, color)


def test_only_strings_without_markup_or_emoji_codes_become_text() -> None:
    assert rich_text("[red]x") == "[red]x"
    assert rich_text("a :b: c") == "a :b: c"
    assert isinstance(rich_text("plain"), Text)
