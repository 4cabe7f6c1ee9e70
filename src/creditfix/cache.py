"""A per-user cache of what creditfix would otherwise build on every run from its own files: the
compiled built-in rule packs (about 15 ms of every ``plan``), the profile validator (about 20 ms
of every command that reads a profile) and, for the CLI, the compiled code of the methods
``dataclasses`` generates (:mod:`creditfix.codecache`).

One file per item in ``$CREDITFIX_CACHE_DIR``, else ``$XDG_CACHE_HOME/creditfix``, else
``~/.cache/creditfix``; ``CREDITFIX_NO_CACHE=1`` turns it off. Each key covers everything its item
depends on — for a pack the file's bytes (:func:`digest`), the params and caps applied and the
name it is shown by — and always the creditfix version, the size and mtime of each module that
makes the item, and the Python and pydantic versions. A file is written atomically (mode 0600) and
carries a BLAKE2b-256 digest of its payload; of each kind of item the newest :data:`KEEP` files are
kept. Nothing of any input (profiles, tables, user packs) is ever cached.

Nothing cached refers to pydantic's models, so that loading an item imports none of them (they
cost ~30 ms): the profile validator makes the plain records of :mod:`creditfix.model`, and a pydantic
model instance in an item (a compiled rule's definition) is stored as a :class:`FrozenModel` with
the same name and field values, which compares equal to it.

Any failure to read or write the cache — a missing, unreadable, truncated or corrupt file, a file
another user owns or others may write — falls back to building, silently: the cache never changes
a result and never stops a run.
"""

from __future__ import annotations

import contextlib
import functools
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType
from typing import Any

try:  # the C unpickler alone: pickle.py also defines the Python pickler (~0.8 ms of every run to import)
    from _pickle import loads as _unpickle
except ImportError:  # pragma: no cover - a Python without the C accelerator
    from pickle import loads as _unpickle

try:  # the built-in BLAKE2: hashlib would load OpenSSL first (~3 ms of every run)
    from _blake2 import blake2b as _blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b as _blake2b


def _digest(data: bytes) -> bytes:
    """BLAKE2b-256 of *data*: as strong as SHA-256, and three times faster than the built-in one."""
    return _blake2b(data, digest_size=_DIGEST).digest()


def digest(data: bytes) -> str:
    """The hex digest (BLAKE2b-256) of *data*, for keys: a pack file's bytes."""
    return _digest(data).hex()


ENV_DIR = "CREDITFIX_CACHE_DIR"
ENV_OFF = "CREDITFIX_NO_CACHE"
_MAGIC = b"creditfix-pack-cache 2\n"  # 2: BLAKE2b-256 digests
_DIGEST = 32  # bytes of a digest


def cache_dir() -> Path | None:
    """Where cached packs live, or None when the cache is off."""
    if os.environ.get(ENV_OFF, "") not in ("", "0"):
        return None
    explicit = os.environ.get(ENV_DIR)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG spec: a relative path is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "creditfix"


def _source_stamp(modules: tuple[str, ...]) -> list[tuple[str, int, int]]:
    """Size and mtime of each of *modules*: an edited checkout never reads a stale item."""
    package = _package()
    stamp = []
    for module in modules:
        st = os.stat(package.joinpath(*module.split(".")).with_suffix(".py"))
        stamp.append((module, st.st_size, st.st_mtime_ns))
    return stamp


@functools.cache  # a run makes a key for each item it reads: the code cache, the validator, each pack
def _package() -> Path:
    return Path(__file__).resolve().parent


def key(makers: tuple[str, ...], *parts: object) -> str:
    """The cache key of an item made by the creditfix modules *makers* (``"rules.engine"``) from
    *parts* (plain values, by their repr)."""
    from creditfix import __version__

    identity = (__version__, sys.version, _pydantic_version(), _source_stamp(makers), parts)
    return _digest(repr(identity).encode()).hex()[:40]


@functools.cache
def _pydantic_version() -> str:
    """What names the installed pydantic (and the pydantic-core it pins): the text of its version
    module, read without importing pydantic, which a run that reads only cached items otherwise
    never does (~5 ms); pydantic-core, which they need, is a package of its own."""
    import importlib.util

    spec = importlib.util.find_spec("pydantic")
    try:
        folder = spec.submodule_search_locations[0]  # type: ignore[union-attr, index]
        return Path(folder, "version.py").read_text(encoding="utf-8")
    except (AttributeError, TypeError, IndexError, OSError):  # not a package of files (a zip, say): ask it
        import pydantic

        return pydantic.VERSION


def _code(code: CodeType) -> tuple[Callable[[bytes], object], tuple[bytes]]:
    return marshal.loads, (marshal.dumps(code),)


def load(name: str, decode: Callable[[bytes], object] = _unpickle) -> object | None:
    """The object cached under *name*, or None (missing, unreadable, corrupt or untrusted).
    *decode* reads what :func:`store` wrote with the matching *encode*."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{name}.pickle", "rb") as file:
            st = os.fstat(file.fileno())
            if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & 0o022):
                return None  # only a file this user wrote, which nobody else may change
            data = file.read()
        digest, payload = data[len(_MAGIC) : len(_MAGIC) + _DIGEST], data[len(_MAGIC) + _DIGEST :]
        if not data.startswith(_MAGIC) or _digest(payload) != digest:
            return None
        value: object = decode(payload)
        return value
    except Exception:  # any damage at all means: compile instead
        return None


#: Files kept per kind of item (``pack-core``, ``profile-validator``): one per set of params in use,
#: and a few older ones after an upgrade or an edit of a checkout; older ones are deleted.
KEEP = 8


def store(
    name: str, value: object, *, kind: str | None = None, encode: Callable[[object], bytes] | None = None
) -> None:
    """Cache *value* under *name* (pickled, unless *encode* is given), and delete all but the newest
    :data:`KEEP` files whose name starts with ``kind-``; any failure is ignored (the next run builds
    it again)."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    temp = None
    try:
        payload = encode(value) if encode is not None else _pickled(value)
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as file:
            file.write(_MAGIC + _digest(payload) + payload)
        os.replace(temp, folder / f"{name}.pickle")
        temp = None
        if kind is not None:
            _prune(folder, kind)
    except Exception:
        pass
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _pickled(value: object) -> bytes:
    """*value* pickled: code objects by marshal, pydantic model instances as :class:`FrozenModel`."""
    import copyreg
    import io
    import pickle  # only when an item is made: loading needs the C unpickler alone

    class Pickler(pickle.Pickler):
        def reducer_override(self, obj: object) -> Any:
            """A pydantic model instance as a :class:`FrozenModel`; anything else as usual."""
            main = sys.modules.get("pydantic.main")
            if main is not None and isinstance(obj, main.BaseModel):
                return FrozenModel, (type(obj).__name__, dict(obj))
            return NotImplemented

    buffer = io.BytesIO()
    pickler = Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = {**copyreg.dispatch_table, CodeType: _code}  # code objects via marshal
    pickler.dump(value)
    return buffer.getvalue()


class FrozenModel:
    """A pydantic model instance as the cache keeps it: its class name and field values, read as
    attributes, frozen; equal to the model instance it was made from (and to any of that class
    with the same values). ``model_copy(update=...)`` and ``model_dump()`` work as on the model."""

    __slots__ = ("__dict__", "_name")
    _name: str

    def __init__(self, name: str, values: dict[str, Any]) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "__dict__", values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{self._name} is frozen: use model_copy(update=...)")

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenModel):
            return self._name == other._name and self.__dict__ == other.__dict__
        fields = getattr(type(other), "model_fields", None)
        if type(other).__name__ == self._name and isinstance(fields, dict) and list(fields) == list(self.__dict__):
            return all(getattr(other, name) == value for name, value in self.__dict__.items())
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._name, *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{self._name}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __reduce__(self) -> tuple[Any, ...]:
        return FrozenModel, (self._name, self.__dict__)

    def model_copy(self, *, update: dict[str, Any] | None = None) -> FrozenModel:
        return FrozenModel(self._name, {**self.__dict__, **(update or {})})

    def model_dump(self) -> dict[str, Any]:
        def plain(value: object) -> object:
            if isinstance(value, FrozenModel):
                return value.model_dump()
            if isinstance(value, tuple):
                return tuple(plain(v) for v in value)
            if isinstance(value, dict):
                return {k: plain(v) for k, v in value.items()}
            return value

        return {name: plain(value) for name, value in self.__dict__.items()}


def _prune(folder: Path, kind: str) -> None:
    """Delete all but the newest :data:`KEEP` items of *kind* (stale ones are never read again)."""
    items = []
    for entry in os.scandir(folder):
        if entry.name.startswith(f"{kind}-") and entry.name.endswith(".pickle"):
            with contextlib.suppress(OSError):
                items.append((entry.stat().st_mtime_ns, entry.path))
    for _, path in sorted(items, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(path)
