"""Turning pydantic's validation errors into one located line: ``FILE:LINE: FIELD: reason``."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic_core import ValidationError

from creditfix.errors import CreditfixError, InputError, did_you_mean, safe_name
from creditfix.load.yamlsafe import Path, dotted
from creditfix.model import LocatedValueError

#: Where each path of the input came from: (file, line). Paths absent here fall back to a parent.
Sources = Mapping[Path, tuple[str, int]]

_MESSAGES = {
    "missing": "required field is missing",
    "bool_type": "expected true or false",
    "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "string_type": "expected text",
    "model_type": "expected a mapping of fields",
    "model_attributes_type": "expected a mapping of fields",
    "dict_type": "expected a mapping",
    "tuple_type": "expected a list",
    "list_type": "expected a list",
    "decimal_type": "expected a number",
    "too_long": "too many entries",
}


def _clean_loc(loc: tuple[Any, ...]) -> Path:
    # pydantic inserts union-member tags ('function-before[...]', 'decimal') into locations.
    return tuple(p for p in loc if isinstance(p, int) or "[" not in str(p))


def _field_names(model: type[Any], loc: Path) -> list[str]:
    """The field names allowed where *loc* points (for did-you-mean); *model* is a pydantic model
    or a record class of creditfix.model (whose ``model_fields`` are its pydantic model's)."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = getattr(current, "model_fields", {}).get(part)
        if info is None:
            return []
        current = _model_in(info.annotation)
    return list(getattr(current, "model_fields", {}))


def _model_in(annotation: Any) -> Any:
    from pydantic import BaseModel  # only on the error path: pydantic's models cost ~30 ms to import

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def locate(sources: Sources, loc: Path, default: str) -> tuple[str, int | None]:
    """The file and line that hold *loc*, or its nearest recorded parent."""
    for end in range(len(loc), -1, -1):
        found = sources.get(loc[:end])
        if found is not None:
            return found
    return default, None


def to_input_error(
    exc: ValidationError,
    model: type[Any],
    sources: Sources,
    default_path: str,
    error: type[CreditfixError] = InputError,
) -> CreditfixError:
    """The first error of *exc* as an :class:`InputError` pointing at its file and line."""
    errors = exc.errors(include_url=False)
    first = _typo_first(errors)
    loc = _clean_loc(first["loc"])
    kind = first["type"]
    ctx = first.get("ctx") or {}
    cause = ctx.get("error")
    if isinstance(cause, LocatedValueError):
        loc = (*loc, *cause.loc)
        reason = str(cause)
    elif kind == "extra_forbidden":
        key = loc[-1] if loc else ""
        hint = did_you_mean(str(key), _field_names(model, loc[:-1])) if safe_name(key) else ""
        reason = f"unknown field{hint}"
    elif kind == "literal_error":
        given = first.get("input")
        choices = _literal_choices(ctx)
        if isinstance(given, str) and given.strip() in choices and given.strip().isdigit():
            hint = " (a number: write it without quotes)"  # chapter: "7"
        else:
            hint = did_you_mean(given, choices) if isinstance(given, str) else ""
        reason = f"must be one of {ctx.get('expected', '')}{hint}"
    elif kind == "value_error":
        reason = first["msg"].removeprefix("Value error, ")
    else:
        reason = _MESSAGES.get(kind, first["msg"])
    if kind == "missing":
        path, line = locate(sources, loc[:-1], default_path)
    else:
        path, line = locate(sources, loc, default_path)
    more = len(errors) - 1
    if more:
        reason += f" (and {more} more error{'s' if more > 1 else ''})"
    return error(reason, path=path, line=line, field=dotted(loc) or None)


def _typo_first(errors: list[Any]) -> Any:
    """The error to report: a required field missing where an unknown one was given beside it is
    most likely that field misspelt, so the unknown one (with its did-you-mean) is told first."""
    first = errors[0]
    if first["type"] == "missing":
        parent = _clean_loc(first["loc"])[:-1]
        for error in errors:
            if error["type"] == "extra_forbidden" and _clean_loc(error["loc"])[:-1] == parent:
                return error
    return first


def _literal_choices(ctx: Mapping[str, Any]) -> list[str]:
    expected = str(ctx.get("expected", ""))
    return [part.strip(" '") for part in expected.replace(" or ", ",").split(",") if part.strip(" '")]
