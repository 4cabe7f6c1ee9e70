"""A quick reader for the plain YAML most profiles are written in, vouched for by the strict one.

:func:`~creditfix.load.yamlsafe.parse_yaml` builds values from libyaml's events, one Python object
(and two marks) per event: ~140 µs for a profile of a dozen lines, half of what a client costs.
Most profiles use a small part of YAML: block mappings and sequences, one-line flow mappings and
sequences, plain scalars, quoted scalars without escapes (a whole value, or an item of a flow
collection), and comments. This module
reads exactly that part, line by line with a few regular expressions, in a fraction of the time,
and gives up (returns None) on anything else — a tab, a multi-line flow collection or scalar, a
quoted key, an escape, an anchor, a tag, a character libyaml would refuse, a duplicate key, a
number too long, nesting past the cap — so that the strict reader reads it and reports its error
exactly as before. What it does read, it reads to the same values (plain scalars resolve with the
same :func:`~creditfix.load.yamlsafe.resolve_plain`); a property test holds the two readers to that.
"""

from __future__ import annotations

import functools
import re
from typing import Any

#: Characters the quick reader leaves to the strict one wherever they are: tabs, CR and other
#: controls, libyaml's line breaks (U+0085, U+2028, U+2029), surrogates, the byte order mark,
#: non-characters and astral characters; an ASCII text needs only the first part. (Written as the
#: characters refused, not those allowed: a class of most of Unicode takes milliseconds to compile.)
_UNSAFE_ASCII = "[\x00-\x09\x0b-\x1f\x7f]"
_UNSAFE = "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff\U00010000-\U0010ffff]"
#: A block mapping entry: key, then nothing or a space and the value (the comment already cut).
_ENTRY = r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?"
#: The first character of a plain scalar: no indicator (a sign or dot only before a digit or dot).
_FIRST = r"(?:[A-Za-z0-9]|[^\x00-\x9f]|[-+.][0-9.])"
#: A plain scalar in block context: nothing in it that could end it or start something else
#: (``: ``, `` #``), no flow or quote characters (a comma included) at all.
_BLOCK_PLAIN = _FIRST + r"[^#:\[\]{},'\"\\]*"
#: A plain scalar in a flow collection (the same, and no question mark).
_FLOW_PLAIN = _FIRST + r"[^#:\[\]{},'\"\\?]*"
_FLOW_KEY = r"([A-Za-z_][A-Za-z0-9_]*): +"
#: A flow mapping or sequence of plain scalars alone (the commonest), split at its commas at once.
_FLAT_MAP = rf"\{{ *(?:[A-Za-z_][A-Za-z0-9_]*: +{_FLOW_PLAIN}(?:, *[A-Za-z_][A-Za-z0-9_]*: +{_FLOW_PLAIN})*)?\}}"
_FLAT_LIST = rf"\[ *(?:{_FLOW_PLAIN}(?:, *{_FLOW_PLAIN})*)?\]"
#: A whole value that is one quoted scalar without escapes, and maybe a comment after it.
_QUOTED = r"(?:\"([^\"\\]*)\"|'([^']*)')(?: +#.*)?"
#: A quoted scalar without escapes in a flow collection (what follows it is checked there).
_FLOW_QUOTED = r"\"([^\"\\]*)\"|'([^']*)'"


_SOURCES = {
    "unsafe_ascii": _UNSAFE_ASCII,
    "unsafe": _UNSAFE,
    "entry": _ENTRY,
    "block_plain": _BLOCK_PLAIN,
    "flow_plain": _FLOW_PLAIN,
    "flow_key": _FLOW_KEY,
    "flat_map": _FLAT_MAP,
    "flat_list": _FLAT_LIST,
    "quoted": _QUOTED,
    "flow_quoted": _FLOW_QUOTED,
}


class _Patterns:
    """The patterns above, each compiled when the quick reader first needs it: all of them take
    ~1.2 ms, and one profile needs about half (only one of the unsafe patterns, say)."""

    def __getattr__(self, name: str) -> re.Pattern[str]:
        if name not in _SOURCES:
            raise AttributeError(name)
        pattern = re.compile(_SOURCES[name])
        setattr(self, name, pattern)
        return pattern


@functools.cache
def _patterns() -> _Patterns:
    return _Patterns()


#: The words that match a key's pattern but resolve to no text (``true:``, ``null:``): the strict
#: reader refuses them as keys (see :func:`~creditfix.load.yamlsafe.resolve_plain`).
_NOT_TEXT = frozenset({"null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"})


class _GiveUp(Exception):
    """Raised inside the quick reader: the strict reader must read this text."""


def quick_yaml(text: str, max_depth: int) -> tuple[dict[str, Any], dict[tuple[str | int, ...], tuple[int, int]]] | None:
    """*text* read as a mapping, with the line of each top-level key (as ``parse_yaml`` gives them
    with ``positions=False``), or None when the strict reader must read it."""
    from creditfix.load.yamlsafe import resolve_plain

    patterns = _patterns()
    if (patterns.unsafe_ascii if text.isascii() else patterns.unsafe).search(text):
        return None
    lines: list[tuple[int, int, str]] = []  # (line number, indent, content without comment)
    for number, raw in enumerate(text.split("\n"), 1):
        content = raw.lstrip(" ")
        if not content or content[0] == "#":
            continue
        before, _, _ = content.partition(" #")
        if "'" in before or '"' in before:
            code = content.rstrip(" ")  # a quoted scalar ends it (checked where the value is read)
        else:  # no quote before a comment: it starts outside any quoted scalar, whatever it holds
            code = before.rstrip(" ")
            if "#" in code:
                return None
        lines.append((number, len(raw) - len(content), code))
    if not lines or lines[0][1] != 0:
        return None
    reader = _Reader(lines, max_depth, resolve_plain, patterns)
    try:
        data = reader.mapping(0, 1)
    except (_GiveUp, ValueError, IndexError):
        return None
    if reader.at != len(lines):
        return None
    return data, reader.top


class _Reader:
    """Reads the content lines from ``at`` on; every method raises :class:`_GiveUp` on doubt."""

    __slots__ = ("at", "depth", "lines", "patterns", "resolve", "top")

    def __init__(self, lines: list[tuple[int, int, str]], depth: int, resolve: Any, patterns: _Patterns) -> None:
        self.patterns = patterns
        self.lines = lines
        self.at = 0
        self.depth = depth
        self.resolve = resolve
        self.top: dict[tuple[str | int, ...], tuple[int, int]] = {}

    def key(self, name: str) -> str:
        if name in _NOT_TEXT:  # keys must be text
            raise _GiveUp
        return name

    def mapping(self, indent: int, depth: int, head: str | None = None) -> dict[str, Any]:
        """A block mapping at *indent*; *head* is its first entry when it follows ``- `` on the
        line of a sequence item (its indent is then the column of its key)."""
        if depth > self.depth:
            raise _GiveUp
        out: dict[str, Any] = {}
        lines = self.lines
        while True:
            if head is not None:
                number, code = lines[self.at][0], head
                head = None
            else:
                if self.at >= len(lines):
                    return out
                number, column, code = lines[self.at]
                if column < indent:
                    return out
                if column > indent or (code[0] == "-" and (len(code) == 1 or code[1] == " ")):
                    raise _GiveUp  # (a sequence at the indent of a key is that key's value: nested)
            match = self.patterns.entry.fullmatch(code)
            if match is None:
                raise _GiveUp
            name = self.key(match.group(1))
            if name in out:
                raise _GiveUp
            if indent == 0 and depth == 1:
                self.top[(name,)] = (number, 0)
            self.at += 1
            value = match.group(2)
            if value is not None:
                out[name] = self.inline(value, depth + 1)
                self.no_deeper(indent)
            else:
                out[name] = self.nested(indent, depth + 1)

    def nested(self, indent: int, depth: int) -> Any:
        """The block value of a key with nothing after its colon (None when there is none)."""
        if self.at >= len(self.lines):
            return None
        _, column, code = self.lines[self.at]
        item = code[0] == "-" and (len(code) == 1 or code[1] == " ")
        if column > indent:
            return self.sequence(column, depth) if item else self.mapping(column, depth)
        if column == indent and item:
            return self.sequence(column, depth)
        return None

    def sequence(self, indent: int, depth: int) -> list[Any]:
        if depth > self.depth:
            raise _GiveUp
        out: list[Any] = []
        lines = self.lines
        while self.at < len(lines):
            _, column, code = lines[self.at]
            if column < indent:
                break
            if column > indent or code[:2] != "- ":
                if column == indent:  # the parent mapping goes on
                    break
                raise _GiveUp
            rest = code[2:]
            start = len(rest) - len(rest.lstrip(" "))
            rest = rest[start:]
            match = self.patterns.entry.fullmatch(rest) if rest[:1] not in ("[", "{", '"', "'") else None
            if match is not None:  # "- key: value": a mapping whose keys stand at the column of this one
                out.append(self.mapping(indent + 2 + start, depth + 1, head=rest))
            else:
                self.at += 1
                out.append(self.inline(rest, depth + 1))
                self.no_deeper(indent)
        return out

    def no_deeper(self, indent: int) -> None:
        """After a value on its key's line, nothing may continue it on deeper lines."""
        if self.at < len(self.lines) and self.lines[self.at][1] > indent:
            raise _GiveUp

    def inline(self, text: str, depth: int) -> Any:
        """A value on the line of its key or dash."""
        first = text[:1]
        if first in ("{", "["):
            if depth > self.depth:
                raise _GiveUp
            if first == "{" and self.patterns.flat_map.fullmatch(text) is not None:
                return self.flat_map(text)
            if first == "[" and self.patterns.flat_list.fullmatch(text) is not None:
                inner = text[1:-1].strip(" ")
                return [self.resolve(item.strip(" ")) for item in inner.split(",")] if inner else []
            value, end = self.flow(text, 0, depth)
            if text[end:].strip(" "):
                raise _GiveUp
            return value
        if first in ('"', "'"):
            match = self.patterns.quoted.fullmatch(text)
            if match is None:
                raise _GiveUp
            return match.group(1) if match.group(1) is not None else match.group(2)
        if "'" in text or '"' in text:
            raise _GiveUp
        if self.patterns.block_plain.fullmatch(text) is None:
            raise _GiveUp
        return self.resolve(text)

    def flat_map(self, text: str) -> dict[str, Any]:
        """A flow mapping that :data:`_FLAT_MAP` matched: entries split at commas, keys at colons."""
        inner = text[1:-1].strip(" ")
        if not inner:
            return {}
        resolve = self.resolve
        out = {}
        for entry in inner.split(","):
            name, _, value = entry.partition(":")
            out[name.strip(" ")] = resolve(value.strip(" "))
        if len(out) != inner.count(",") + 1 or not _NOT_TEXT.isdisjoint(out):  # a duplicate key; true: 1
            raise _GiveUp
        return out

    def flow(self, text: str, at: int, depth: int) -> tuple[Any, int]:
        """The flow collection starting at *text[at]*, and where it ends."""
        if depth > self.depth:
            raise _GiveUp
        closing = "}" if text[at] == "{" else "]"
        out: Any = {} if closing == "}" else []
        at = _skip(text, at + 1)
        if text[at] == closing:
            return out, at + 1
        while True:
            if closing == "}":
                match = self.patterns.flow_key.match(text, at)
                if match is None:
                    raise _GiveUp
                name = self.key(match.group(1))
                if name in out:
                    raise _GiveUp
                value, at = self.flow_value(text, match.end(), depth + 1)
                out[name] = value
            else:
                value, at = self.flow_value(text, at, depth + 1)
                out.append(value)
            at = _skip(text, at)
            if text[at] == closing:
                return out, at + 1
            if text[at] != ",":
                raise _GiveUp
            at = _skip(text, at + 1)
            if text[at] in "]}":  # a trailing comma
                raise _GiveUp

    def flow_value(self, text: str, at: int, depth: int) -> tuple[Any, int]:
        if text[at] in "[{":
            return self.flow(text, at, depth)
        if text[at] in "\"'":  # ('a''b' stops after 'a', where the next character makes it give up)
            match = self.patterns.flow_quoted.match(text, at)
            if match is None:
                raise _GiveUp
            quoted = match.group(1) if match.group(1) is not None else match.group(2)
            return quoted, match.end()
        match = self.patterns.flow_plain.match(text, at)
        if match is None:
            raise _GiveUp
        return self.resolve(match.group().rstrip(" ")), match.end()


def _skip(text: str, at: int) -> int:
    """The first position from *at* that is not a space."""
    while text[at] == " ":
        at += 1
    return at
