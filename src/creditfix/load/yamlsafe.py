"""A strict, safe YAML reader that keeps line numbers.

It builds plain Python values straight from the parser's event stream (libyaml's when present, six
times faster than the pure-Python one) instead of PyYAML's composer and constructor, because that
lets one iterative pass enforce the whole input contract of RELIABILITY.md:

- no tags (``!!python/object`` and friends), no anchors or aliases (alias bombs);
- nesting capped (30,000 nested ``[`` crash the C composer, which recurses);
- YAML 1.2 core scalars: ``NO`` and ``yes`` stay text, ``010`` and ``0012345`` stay text,
  ``1:20`` stays text; floats become ``Decimal`` from their text, never binary floats;
- duplicate keys and non-text keys are errors; numbers longer than 40 characters are refused;
- exactly one document.

Every value's position is recorded by its path (``("debts", 0, "balance")`` → line, column) so
that validation errors point at the line that holds the field.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from creditfix import caps
from creditfix.errors import InputError, safe_name
from creditfix.load.yamlfast import quick_yaml

Path = tuple[str | int, ...]
Positions = dict[Path, tuple[int, int]]

#: Longest numeric scalar converted (a 5,000-digit integer is refused, not parsed).
MAX_NUMBER_CHARS = 40

_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_SPECIAL_FLOAT = {
    ".inf": "Infinity", ".Inf": "Infinity", ".INF": "Infinity",
    "+.inf": "Infinity", "+.Inf": "Infinity", "+.INF": "Infinity",
    "-.inf": "-Infinity", "-.Inf": "-Infinity", "-.INF": "-Infinity",
    ".nan": "NaN", ".NaN": "NaN", ".NAN": "NaN",
}  # fmt: skip
_LEADING_ZERO = re.compile(r"[-+]?0[0-9]")
_STR_TAG = "tag:yaml.org,2002:str"
#: How deep libyaml itself nests (its error comes before our cap when the input is much deeper).
_LIBYAML_DEPTH = 1000


@functools.lru_cache(maxsize=8192)  # keys and common values recur in every profile; results are immutable
def resolve_plain(text: str) -> object:
    """The value of an untagged plain scalar under the YAML 1.2 core schema (with Decimal floats).

    Integers with leading zeros stay text: in a credit file they are identifiers, not octal.
    """
    if text in _NULL:
        return None
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    first = text[0]
    if first.isdigit() or first in "+-.":
        if len(text) > MAX_NUMBER_CHARS and _FLOAT.fullmatch(text):
            raise ValueError(f"number longer than {MAX_NUMBER_CHARS} characters")
        if _LEADING_ZERO.match(text):
            return text
        if _INT.fullmatch(text):
            return int(text)
        if _FLOAT.fullmatch(text):
            try:
                return Decimal(text)
            except InvalidOperation:  # an exponent past what Decimal holds (0e1000000000000000000)
                raise ValueError("number out of range") from None
        if text in _SPECIAL_FLOAT:
            return Decimal(_SPECIAL_FLOAT[text])
    return text


class _Frame:
    __slots__ = ("is_map", "key", "key_line", "path", "value")

    def __init__(self, value: Any, path: Path) -> None:
        self.value = value
        self.is_map = isinstance(value, dict)
        self.path = path
        self.key: str | None = None
        self.key_line = 0


@functools.cache
def _loader() -> Any:
    """PyYAML's loader class, imported with PyYAML (~10 ms) when the strict reader first runs."""
    try:  # libyaml bindings; the pure-Python parser is a fallback with the same events
        from yaml import CSafeLoader

        return CSafeLoader
    except ImportError:  # pragma: no cover - depends on how PyYAML was built
        from yaml import SafeLoader

        return SafeLoader


def parse_yaml(
    text: str, path: str, *, max_depth: int | None = None, positions: bool = True
) -> tuple[object, Positions]:
    """Parse one YAML document into plain values and the position of every path.

    With ``positions=False`` only the top-level keys' positions are recorded: the same checks and
    the same errors, for callers that parse again with positions only when they need a line.
    Raises :class:`InputError` naming *path* and the line for every breach of the contract.
    Nesting is capped at *max_depth* (default: the ``yaml_depth`` cap in force).
    """
    depth_cap = max_depth if max_depth is not None else caps.active().yaml_depth
    if not positions:  # plain YAML read quickly, without importing PyYAML; the rest, and every error, below
        quick = quick_yaml(text, depth_cap)
        if quick is not None:
            return quick
    import yaml
    from yaml.events import (
        AliasEvent,
        DocumentStartEvent,
        MappingEndEvent,
        MappingStartEvent,
        ScalarEvent,
        SequenceEndEvent,
        SequenceStartEvent,
        StreamEndEvent,
    )

    found: Positions = {}
    record = positions
    stack: list[_Frame] = []
    root: object = None
    documents = 0

    def fail(reason: str, mark: Any, field: Path | None = None) -> InputError:
        return InputError(
            reason, path=path, line=mark.line + 1, col=mark.column + 1, field=dotted(field) if field else None
        )

    def attach(value: object, mark: Any) -> Path:
        """Place *value* in the current container; return its path."""
        nonlocal root
        if not stack:
            root = value
            if record:
                found[()] = (mark.line + 1, mark.column + 1)
            return ()
        frame = stack[-1]
        if not frame.is_map:
            item_path = (*frame.path, len(frame.value))
            frame.value.append(value)
            if record:
                found[item_path] = (mark.line + 1, mark.column + 1)
            return item_path
        if frame.key is None:
            raise AssertionError("value without key")  # pragma: no cover - guarded in the loop
        item_path = (*frame.path, frame.key)
        frame.value[frame.key] = value
        if record or not frame.path:
            found[item_path] = (frame.key_line, 0)
        frame.key = None
        return item_path

    loader = _loader()(text)
    try:
        while True:
            event: Any = loader.get_event()
            kind = event.__class__
            if kind is ScalarEvent:
                frame = stack[-1] if stack else None
                if event.anchor is not None:
                    raise fail("anchors and aliases (& and *) are not allowed", event.start_mark)
                tag = event.tag
                if tag is not None and tag != _STR_TAG and tag != "!":
                    raise fail("YAML tags (!...) are not allowed", event.start_mark)
                if tag == _STR_TAG or not event.implicit[0]:
                    value: object = event.value
                else:
                    try:
                        value = resolve_plain(event.value)
                    except ValueError as exc:
                        where = None
                        if frame is not None:
                            where = (*frame.path, frame.key or "" if frame.is_map else len(frame.value))
                        raise fail(str(exc), event.start_mark, where) from None
                if frame is None or not frame.is_map:
                    attach(value, event.start_mark)
                elif frame.key is None:  # a key
                    if not isinstance(value, str):
                        raise fail("keys must be text", event.start_mark, frame.path)
                    if value in frame.value:
                        raise fail("duplicate key", event.start_mark, (*frame.path, value))
                    frame.key = value
                    if record or not frame.path:  # top-level keys always: the size caps name their line
                        frame.key_line = event.start_mark.line + 1
                else:  # the value of the pending key, attached in line (the commonest event)
                    frame.value[frame.key] = value
                    if record or not frame.path:
                        found[(*frame.path, frame.key)] = (frame.key_line, 0)
                    frame.key = None
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                stack.pop()
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                mark = event.start_mark
                if event.anchor is not None:
                    raise fail("anchors and aliases (& and *) are not allowed", mark)
                if event.tag is not None:
                    raise fail("YAML tags (!...) are not allowed", mark)
                if stack and stack[-1].is_map and stack[-1].key is None:
                    raise fail("keys must be text", mark, stack[-1].path)
                if len(stack) >= depth_cap:
                    hint = caps.hint("yaml_depth") if max_depth is None else ""
                    raise fail(f"nesting deeper than {depth_cap} levels{hint}", mark)
                container: dict[str, object] | list[object] = {} if kind is MappingStartEvent else []
                stack.append(_Frame(container, attach(container, mark)))
            elif kind is DocumentStartEvent:
                documents += 1
                if documents > 1:
                    raise fail("more than one YAML document in the file", event.start_mark)
            elif kind is AliasEvent:
                raise fail("anchors and aliases (& and *) are not allowed", event.start_mark)
            elif kind is StreamEndEvent:
                break
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if "maximum nesting depth" in problem:  # libyaml's own limit (1,000 levels) met before ours
            line = mark.line + 1 if mark is not None else None
            if depth_cap < _LIBYAML_DEPTH:
                hint = caps.hint("yaml_depth") if max_depth is None else ""
                raise InputError(f"nesting deeper than {depth_cap} levels{hint}", path=path, line=line) from None
            reason = f"nesting deeper than {_LIBYAML_DEPTH} levels, the YAML parser's own limit"
            raise InputError(reason, path=path, line=line) from None
        if mark is None:
            raise InputError(f"YAML syntax error: {problem}", path=path) from None
        if _char_at(text, mark.line, mark.column) == "\t":
            problem = "a tab character where YAML allows only spaces (indent with spaces)"
        raise InputError(f"YAML syntax error: {problem}", path=path, line=mark.line + 1, col=mark.column + 1) from None
    except yaml.YAMLError as exc:  # reader errors: control characters, bad encodings
        raise InputError(f"YAML error: {str(exc).splitlines()[0]}", path=path) from None
    finally:
        loader.dispose()
    return root, found


def _char_at(text: str, line: int, column: int) -> str:
    lines = text.split("\n", line + 1)
    if line < len(lines) and column < len(lines[line]):
        return lines[line][column]
    return ""


def dotted(path: Path) -> str:
    """``("debts", 0, "balance")`` → ``debts[0].balance``, for error messages.

    A key that does not look like a field name (a misplaced account number, a key with a line
    break) shows as ``?``: messages never echo input values.
    """
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            name = part if safe_name(part) else "?"
            out += f".{name}" if out else name
    return out
