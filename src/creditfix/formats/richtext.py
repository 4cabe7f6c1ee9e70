"""Plain strings for Rich, drawn exactly as Rich draws a ``str``, without the cost of reading them.

Rich reads every ``str`` it draws (a title, a header, a cell, a printed line) as console markup
(``[bold]``) with emoji codes (``:smile:``): a parse each time the string is measured or drawn,
and the first one imports Rich's table of emoji codes (~2 ms of a run). A string with neither a
``[`` nor a ``:`` reads as itself, so :func:`rich_text` hands it over as a :class:`~rich.text.Text`,
which Rich draws as it is; any other string is still left to Rich to read, so what is printed
never changes.
"""

from __future__ import annotations

from rich.text import Text


def rich_text(text: str, style: str = "") -> Text | str:
    """*text* as Rich would read it: a :class:`Text` in *style* (the style Rich gives that kind of
    string: ``table.title`` for a table's title) when it has no markup or emoji code, else *text*."""
    if "[" in text or ":" in text:
        return text
    return Text(text, style=style)
