"""Compiled code of the methods that ``dataclasses`` generates, kept in the per-user cache.

Each ``@dataclass`` writes its ``__init__``, ``__repr__``, ``__eq__``, ``__hash__``, ``__setattr__``...
as source text and compiles it, every run: ``plan`` defines about 35 dataclasses, and compiling
their ~190 methods is ~16 ms of its start-up, more than anything else it imports. For the duration
of one CLI command (:func:`active`), ``dataclasses._create_fn`` is replaced by a copy of it that
compiles each text once per user: the code objects are cached by their exact source text (and the
Python version, by the cache key), and executed exactly as ``dataclasses`` executes them. Only the
compilation is skipped; every class is still built, every run. Python versions whose
``dataclasses`` differs from the one this copies (not 3.11 or 3.12) are left alone.
"""

from __future__ import annotations

import contextlib
import dataclasses
import marshal
import sys
from collections.abc import Callable, Iterator
from types import CodeType
from typing import Any

#: Modules whose dataclasses are not kept: pydantic's, defined only by a run that fills the cache
#: (their code would be read by every later run for nothing).
_NOT_KEPT = ("pydantic", "annotated_types")
#: The name dataclasses gives the return type in the generated text (renamed in Python 3.12).
_RETURN_TYPE = "__dataclass_return_type__" if sys.version_info >= (3, 12) else "_return_type"
#: The texts compiled in this process, and whether any is new to the cache.
_codes: dict[str, CodeType] = {}
_added = False


def _applies() -> bool:
    create = getattr(dataclasses, "_create_fn", None)
    return (
        sys.version_info[:2] in ((3, 11), (3, 12))
        and create is not None
        and create.__code__.co_varnames[:6] == ("name", "args", "body", "globals", "locals", "return_type")
    )


def _create_fn(
    name: str,
    args: list[str],
    body: list[str],
    *,
    globals: dict[str, Any] | None = None,
    locals: dict[str, Any] | None = None,
    return_type: Any = dataclasses.MISSING,
) -> Any:
    """``dataclasses._create_fn`` of Python 3.11 and 3.12 (they differ only in :data:`_RETURN_TYPE`),
    with the compiled text looked up first."""
    global _added
    if locals is None:
        locals = {}
    return_annotation = ""
    if return_type is not dataclasses.MISSING:
        locals[_RETURN_TYPE] = return_type
        return_annotation = f"->{_RETURN_TYPE}"
    joined = ",".join(args)
    lines = "\n".join(f"  {b}" for b in body)
    txt = f" def {name}({joined}){return_annotation}:\n{lines}"
    local_vars = ", ".join(locals.keys())
    txt = f"def __create_fn__({local_vars}):\n{txt}\n return {name}"
    code = _codes.get(txt)
    if code is None:
        code = compile(txt, "<string>", "exec", dont_inherit=True)
        if not str((globals or {}).get("__name__", "")).startswith(_NOT_KEPT):
            _codes[txt] = code
            _added = True
    ns: dict[str, Any] = {}
    exec(code, globals, ns)  # dataclasses' own generated text, run as dataclasses runs it
    made: Callable[..., Any] = ns["__create_fn__"]
    return made(**locals)


def _dumps(codes: object) -> bytes:
    assert isinstance(codes, dict)
    return marshal.dumps(codes)


@contextlib.contextmanager
def active(command: str) -> Iterator[None]:
    """Dataclasses defined inside the block reuse cached compiled methods; the cache is updated
    at the end of the block if any text was new. Each *command* has its own item (a command loads
    only the code it uses: ``plan``'s is ~200 methods, ~1 ms to read)."""
    if not _applies() or dataclasses._create_fn is _create_fn:  # type: ignore[attr-defined]
        yield
        return
    from creditfix import cache

    global _added
    name = f"dataclass-code-{command}-" + cache.key(("codecache",))
    found = cache.load(name, marshal.loads)
    if isinstance(found, dict) and not _codes:
        _codes.update((k, v) for k, v in found.items() if isinstance(k, str) and isinstance(v, CodeType))
    original = dataclasses._create_fn  # type: ignore[attr-defined]
    dataclasses._create_fn = _create_fn  # type: ignore[attr-defined]
    try:
        yield
    finally:
        dataclasses._create_fn = original  # type: ignore[attr-defined]
        if _added:
            cache.store(name, dict(_codes), kind=f"dataclass-code-{command}", encode=_dumps)
            _added = False
