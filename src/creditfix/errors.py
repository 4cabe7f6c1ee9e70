"""The exception tree for bad input, bad packs and bad usage.

Loaders raise these; only the CLI catches them. Each error knows where it points (file, line,
column, field) and renders as the one line that RELIABILITY.md promises:
``FILE:LINE[:COL]: FIELD: reason``. Messages never carry field *values*: they may be ID or
account numbers.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


class CreditfixError(Exception):
    """Base of every error creditfix reports to a user as one line (exit code 2)."""

    def __init__(
        self,
        reason: str,
        *,
        path: str | None = None,
        line: int | None = None,
        col: int | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.path = path
        self.line = line
        self.col = col
        self.field = field

    def at(self, path: str) -> CreditfixError:
        """Fill in the file if the raiser did not know it (returns self for chaining)."""
        if self.path is None:
            self.path = path
        return self

    def one_line(self) -> str:
        """``FILE:LINE[:COL]: FIELD: reason``, with the parts that are known."""
        head = ""
        if self.path is not None:  # FILE, FILE:LINE or FILE:LINE:COL
            where = [self.path]
            if self.line is not None:
                where.append(str(self.line))
                if self.line and self.col is not None:
                    where.append(str(self.col))
            head = ":".join(where) + ": "
        field = f"{self.field}: " if self.field else ""
        text = " ".join(f"{head}{field}{self.reason}".splitlines())
        # Every line break (\r, \u2028, ...) and control character a reason may quote (a rule
        # pack's placeholder text, a file name) becomes a space: one line on any terminal.
        return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)

    def __str__(self) -> str:
        return self.one_line()


class InputError(CreditfixError):
    """A profile, client table or column map that cannot be read or does not validate."""


class RulePackError(CreditfixError):
    """A rule pack that cannot be loaded, parsed or validated."""


class UsageError(CreditfixError):
    """Options that contradict each other or name things that do not exist."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` when a close match exists, else an empty string."""
    import difflib  # only on the error path

    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{matches[0]}'?)" if matches else ""


def safe_name(text: object, limit: int = 40) -> str | None:
    """Return *text* if it looks like a field name we may echo, else None.

    Keys of a user's file are shown back only when they look like identifiers, so that a
    misplaced account number used as a key is never printed.
    """
    if not isinstance(text, str) or not text or len(text) > limit:
        return None
    if not (text[0].isalpha() or text[0] == "_"):
        return None
    if all(ch.isalnum() or ch in "_-" for ch in text) and not any(ch.isdigit() for ch in text[:1]):
        digits = sum(ch.isdigit() for ch in text)
        return text if digits <= 4 else None
    return None
