"""Text templates of rules: ``{expr}``, ``{expr:money}``, ``{expr:pct}``, ``{expr:int}``.

A placeholder holds an expression of the condition language (usually one metric name), so it is
validated and compiled with the same whitelist; ``str.format`` never touches rule text, which makes
``{x.__class__}`` a load error rather than an escape. ``{{`` and ``}}`` are literal braces.

A placeholder whose names are unavailable shows as ``?``, unless it stands in an optional part,
``[[ ... ]]``: then the whole part is left out ("Over the red line[[: {run} months in a row]]"
reads "Over the red line" when the run is unknown). Optional parts do not nest.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Context, Decimal
from functools import cached_property
from typing import NamedTuple

from creditfix.money import format_pct, rounded
from creditfix.rules.expr import ExprError, Expression, Kind, compile_expression

FORMATS = ("money", "pct", "int", "num")
_TOKEN = r"\{\{|\}\}|\{([^{}]*)\}|[{}]|\[\[|\]\]"  # compiled when a pack is (re caches it)


class Mark(NamedTuple):
    """Where an optional part of a template opens (``[[``) or closes (``]]``)."""

    opens: bool


@dataclass(frozen=True)
class Template:
    """Literal text and placeholders, in order."""

    parts: tuple[str | tuple[Expression, str] | Mark, ...]

    @property
    def names(self) -> frozenset[str]:
        """Every name the placeholders read."""
        return frozenset(n for p in self.parts if isinstance(p, tuple) and not isinstance(p, Mark) for n in p[0].names)

    def render(self, namespace: Mapping[str, object], money: Callable[[Decimal], str]) -> str:
        """Fill the placeholders; one whose names are unavailable shows as ``?``."""
        return self._unbound.render(namespace, money)

    @cached_property
    def _unbound(self) -> BoundTemplate:
        return self.bind({})

    def bind(self, params: Mapping[str, object]) -> BoundTemplate:
        """This template with a pack's *params* filled in: ``bind(params).render(values, money)``
        is ``render({**values, **params}, money)``, without making that namespace for every client."""
        parts: list[tuple[int, object, str]] = []
        for part in self.parts:
            if isinstance(part, str):
                parts.append((_TEXT, part, ""))
                continue
            if isinstance(part, Mark):
                parts.append((_OPEN if part.opens else _CLOSE, None, ""))
                continue
            expression, fmt = part
            name = expression.source.strip()
            if expression.names == {name} and name in params:
                parts.append((_VALUE, params[name], fmt))
            elif expression.names == {name}:
                parts.append((_NAME, name, fmt))
            else:
                parts.append((_EXPRESSION, expression, fmt))
        return BoundTemplate(tuple(parts), params)


_TEXT, _VALUE, _NAME, _EXPRESSION, _OPEN, _CLOSE = range(6)
_MISSING = object()


@dataclass(frozen=True)
class BoundTemplate:
    """A :class:`Template` with a pack's params filled in (:meth:`Template.bind`)."""

    parts: tuple[tuple[int, object, str], ...]
    params: Mapping[str, object]

    @cached_property
    def reads(self) -> tuple[str, ...]:
        """The names of a client's values that :meth:`render` reads: two clients with the same
        values of these (and the same money format) get the same text."""
        names: dict[str, None] = {}
        for kind, part, _ in self.parts:
            if kind == _NAME:
                names[part] = None  # type: ignore[index]
            elif kind == _EXPRESSION:
                names.update(dict.fromkeys(sorted(part.names)))  # type: ignore[attr-defined]
        return tuple(names)

    def render(self, values: Mapping[str, object], money: Callable[[Decimal], str]) -> str:
        """Fill the placeholders from a client's *values*; one whose names are unavailable shows as ``?``."""
        out = []
        opened = -1  # where the optional part being filled starts in out (-1: none)
        dropped = False  # a placeholder of that part is unavailable
        for kind, part, fmt in self.parts:
            if kind == _TEXT:
                out.append(part)
                continue
            if kind == _OPEN:
                opened, dropped = len(out), False
                continue
            if kind == _CLOSE:
                if dropped:
                    del out[opened:]
                opened = -1
                continue
            if kind == _NAME:
                part = values.get(part, _MISSING)  # type: ignore[call-overload]
            elif kind == _EXPRESSION:
                expression: Expression = part  # type: ignore[assignment]
                namespace = {**values, **self.params}
                if not expression.names <= namespace.keys() or any(
                    isinstance(namespace[n], AtLeast) for n in expression.names
                ):  # a lower bound is shown as such, not computed with
                    part = _MISSING
                else:
                    try:
                        part = expression.evaluate(namespace)
                    except ArithmeticError:
                        part = _MISSING
            if part is _MISSING and opened >= 0:
                dropped = True
                continue
            out.append("?" if part is _MISSING else _show(part, fmt, money))
        return "".join(out)  # type: ignore[arg-type]


class AtLeast(NamedTuple):
    """A metric value known only as a lower bound (:attr:`creditfix.metrics.Metrics.at_least`):
    a placeholder of it reads ``≥3``."""

    value: object


def _show(value: object, fmt: str, money: Callable[[Decimal], str]) -> str:
    if isinstance(value, AtLeast):
        return "≥" + _show(value.value, fmt, money)
    if isinstance(value, bool):
        return "yes" if value else "no"
    number = Decimal(value) if isinstance(value, (int, Decimal)) else None
    if number is None:
        return str(value)
    if fmt == "money":
        return money(number)
    if fmt == "pct":
        return format_pct(number)
    if fmt == "int" or number == number.to_integral_value():
        return str(rounded(number, Decimal(1)))
    cents = rounded(number, Decimal("0.01"))
    return str(cents.normalize(Context(prec=len(cents.as_tuple().digits))))  # 1.50 -> 1.5, never rounded


def compile_template(text: str, kinds: Mapping[str, Kind]) -> Template:
    """Parse *text*; raises :class:`ExprError` naming the bad placeholder."""
    parts: list[str | tuple[Expression, str] | Mark] = []
    position = 0
    optional = False
    for match in re.finditer(_TOKEN, text):
        if match.start() > position:
            parts.append(text[position : match.start()])
        position = match.end()
        token = match.group(0)
        if token in ("{{", "}}"):
            parts.append(token[0])
            continue
        if token in ("[[", "]]"):
            if optional == (token == "[["):
                raise ExprError(f"unbalanced {token!r} at character {match.start() + 1} (optional parts do not nest)")
            optional = token == "[["
            parts.append(Mark(optional))
            continue
        if token in ("{", "}"):
            raise ExprError(f"unbalanced {token!r} at character {match.start() + 1}; write {token * 2} for a brace")
        inner = match.group(1).strip()
        expression_text, fmt = inner, "num"
        head, sep, tail = inner.rpartition(":")
        if sep and tail.strip() in FORMATS:
            expression_text, fmt = head.strip(), tail.strip()
        elif sep:
            raise ExprError(f"unknown format {tail.strip()[:20]!r} in a placeholder (use money, pct, int)")
        try:
            expression = compile_expression(expression_text, kinds)
        except ExprError as exc:
            raise ExprError(f"placeholder {{{expression_text[:40]}}}: {exc}") from None
        parts.append((expression, fmt))
    if optional:
        raise ExprError("an optional part '[[' is not closed with ']]'")
    if position < len(text):
        parts.append(text[position:])
    return Template(tuple(parts))


#: Where a sentence ends: after . ! ? before a capital, a quote or a bracket (not "Art. 16",
#: "U.S.C. §1681"), or after 。！？ (Chinese).
_SENTENCE_END = r"(?<=[.!?])\s+(?=[A-Z\"“(])|(?<=[。！？])"  # compiled when first used (re caches it)


def first_sentence(text: str) -> str:
    """The first sentence of *text* (all of it when it is one sentence)."""
    return re.split(_SENTENCE_END, text.strip(), maxsplit=1)[0]
