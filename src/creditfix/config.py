"""Settings: defaults, then a config file, then ``CREDITFIX_*`` environment variables, then flags.

The file is ``.creditfix.yaml`` or the ``[tool.creditfix]`` table of ``pyproject.toml``, found by
walking up from the working directory (the nearest wins); ``--config FILE`` (or
``CREDITFIX_CONFIG``) names one instead. Every effective setting remembers where it came from, so
``creditfix config`` can say.

Settings (all optional)::

    packs: [core, cn]              # packs to load instead of core + the client's jurisdiction pack
    rules: [./house-rules.yaml]    # extra packs (paths relative to the config file)
    select: [cn-, repayment]       # keep only rules matching an id, an id prefix or a category
    ignore: [cn-sesame-low]        # drop rules matching an id, an id prefix or a category
    severity: {cn-dti-warning: high}       # per-rule severity override
    params: {cn: {inquiry_limit_6m: 4}}    # pack params override, by pack name
    lang: zh                       # default language
    fail_on: high                  # default --fail-on
    caps: {profile_bytes: 5MB, table_rows: 2000000}   # raise or lower input caps (creditfix.caps)

``CREDITFIX_CAPS=table_rows=2000000,profile_bytes=5MB`` sets caps from the environment; it wins over
the file cap by cap.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic_core import ValidationError

from creditfix import caps as input_caps
from creditfix.errors import InputError, UsageError, did_you_mean
from creditfix.load.source import decode_utf8, read_bytes
from creditfix.load.validate import to_input_error
from creditfix.load.yamlsafe import parse_yaml

if TYPE_CHECKING:
    from creditfix.rules.engine import CompiledPack

Severity = Literal["critical", "high", "medium", "low", "info"]
CONFIG_NAMES = (".creditfix.yaml", ".creditfix.yml")
_ENV_LISTS = {
    "packs": "CREDITFIX_PACKS",
    "rules": "CREDITFIX_RULES",
    "select": "CREDITFIX_SELECT",
    "ignore": "CREDITFIX_IGNORE",
}
_ENV_SCALARS = {"lang": "CREDITFIX_LANG", "fail_on": "CREDITFIX_FAIL_ON"}


@dataclass(frozen=True)
class Settings:
    """The effective settings and, for each, where it came from."""

    packs: tuple[str, ...] | None = None
    rules: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, str] = field(default_factory=dict)
    params: Mapping[str, Mapping[str, object]] = field(default_factory=dict)
    lang: str | None = None
    fail_on: str | None = None
    portfolio: Mapping[str, Decimal] = field(default_factory=dict)
    caps: Mapping[str, int] = field(default_factory=dict)  # overrides of creditfix.caps defaults
    file: str | None = None
    origins: Mapping[str, str] = field(default_factory=dict)


def find_config(start: Path) -> Path | None:
    """The nearest ``.creditfix.yaml`` or ``pyproject.toml`` with ``[tool.creditfix]`` at or above *start*."""
    for folder in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        return "[tool.creditfix]" in path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


def _read_file(path: Path) -> tuple[dict[str, Any], dict[tuple[str | int, ...], tuple[str, int]]]:
    name = str(path)
    if path.name == "pyproject.toml":
        import tomllib

        try:
            data = tomllib.loads(decode_utf8(read_bytes(path), name))
        except tomllib.TOMLDecodeError as exc:
            raise InputError(f"TOML syntax error: {exc}", path=name) from None
        table = data.get("tool", {}).get("creditfix", {})
        if not isinstance(table, dict):
            raise InputError("[tool.creditfix] must be a table", path=name)
        return _decimal_floats(table), {}
    value, positions = parse_yaml(decode_utf8(read_bytes(path), name), name)
    if value is None:
        return {}, {}
    if not isinstance(value, dict):
        raise InputError("expected a mapping of settings", path=name, line=1)
    return value, {p: (name, pos[0]) for p, pos in positions.items()}


def _decimal_floats(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _decimal_floats(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decimal_floats(v) for v in value]
    return value


def load_settings(
    explicit: Path | None = None, *, cwd: Path | None = None, env: Mapping[str, str] | None = None
) -> Settings:
    """Defaults ← config file ← environment. Flags are applied by the caller with :func:`with_flags`."""
    environ = os.environ if env is None else env
    if explicit is None and environ.get("CREDITFIX_CONFIG"):
        explicit = Path(environ["CREDITFIX_CONFIG"])
    if explicit is not None and not explicit.is_file():
        raise UsageError("config file not found", path=str(explicit))
    path = explicit or find_config(cwd or Path.cwd())
    origins: dict[str, str] = {}
    values: dict[str, Any] = {}
    if path is not None:
        from creditfix.config_schema import FileSettings  # pydantic's models: only with a config file

        raw, sources = _read_file(path)
        try:
            parsed = FileSettings.model_validate(raw)
        except ValidationError as exc:
            raise to_input_error(exc, FileSettings, sources, str(path)) from None
        base = path.parent
        for key in parsed.model_fields_set:
            value = getattr(parsed, key)
            if key == "rules":
                value = [str(base / ref) if ref.endswith((".yaml", ".yml")) else ref for ref in value]
            if key == "caps":
                value = _file_caps(value, sources, str(path))
            values[key] = value
            origins[key] = str(path)
    for key, var in _ENV_LISTS.items():
        if environ.get(var):
            values[key] = [part.strip() for part in environ[var].split(",") if part.strip()]
            origins[key] = f"env {var}"
    for key, var in _ENV_SCALARS.items():
        if environ.get(var):
            choices = ("en", "zh") if key == "lang" else ("critical", "high", "medium", "low", "info")
            if environ[var] not in choices:
                raise UsageError(f"must be one of {', '.join(choices)}", field=var)
            values[key] = environ[var]
            origins[key] = f"env {var}"
    if environ.get(input_caps.ENV):
        try:
            values["caps"] = {**values.get("caps", {}), **input_caps.parse_env(environ[input_caps.ENV])}
        except ValueError as exc:
            raise UsageError(str(exc), field=input_caps.ENV) from None
        origins["caps"] = ", ".join(filter(None, (origins.get("caps"), f"env {input_caps.ENV}")))
    return Settings(
        packs=tuple(values["packs"]) if values.get("packs") is not None else None,
        rules=tuple(values.get("rules", ())),
        select=tuple(values.get("select", ())),
        ignore=tuple(values.get("ignore", ())),
        severity=dict(values.get("severity", {})),
        params={k: dict(v) for k, v in values.get("params", {}).items()},
        lang=values.get("lang"),
        fail_on=values.get("fail_on"),
        portfolio={str(k): v for k, v in values.get("portfolio", {}).items()},
        caps=dict(values.get("caps", {})),
        file=str(path) if path else None,
        origins=origins,
    )


def _file_caps(
    raw: Mapping[str, int | str], sources: Mapping[tuple[str | int, ...], tuple[str, int]], name: str
) -> dict[str, int]:
    """The ``caps:`` table of a config file, each name and value checked, errors located."""
    result: dict[str, int] = {}
    for cap, value in raw.items():
        line = sources.get(("caps", cap), (name, None))[1]
        if cap not in input_caps.NAMES:
            raise InputError(f"unknown cap{did_you_mean(cap, input_caps.NAMES)}", path=name, line=line, field="caps")
        try:
            result[cap] = input_caps.parse_value(cap, value)
        except ValueError as exc:
            raise InputError(str(exc), path=name, line=line, field=f"caps.{cap}") from None
    return result


def caps_of(settings: Settings) -> input_caps.Caps:
    """The input caps these settings put in force."""
    return input_caps.with_overrides(dict(settings.caps))


def with_flags(settings: Settings, **flags: Any) -> Settings:
    """Apply command-line flags (those not None) on top of *settings*."""
    updates: dict[str, Any] = {}
    origins = dict(settings.origins)
    for key, value in flags.items():
        if value is None or value == () or value == []:
            continue
        if key == "rules":  # --rules adds to the packs the file and environment named
            value = (*settings.rules, *value)
        updates[key] = tuple(value) if isinstance(value, list) else value
        origins[key] = "flag"
    return replace(settings, **updates, origins=origins)


def packs_for(jurisdiction: str | None, settings: Settings) -> list[CompiledPack]:
    """The packs a client is evaluated with: the configured ones (or core + the jurisdiction's pack)
    plus extra packs, with select/ignore/severity/params applied."""
    from creditfix.rules.engine import configure, default_pack_refs, load_packs

    refs = list(settings.packs) if settings.packs is not None else default_pack_refs(jurisdiction)
    packs = load_packs([*refs, *settings.rules], params=settings.params)
    return configure(packs, select=settings.select, ignore=settings.ignore, severity=settings.severity)


def __getattr__(name: str) -> Any:
    # ``FileSettings`` is a pydantic model, defined in creditfix.config_schema so that a run without
    # a config file imports none of pydantic's models; importing it from here still works.
    if name in ("FileSettings", "ParamValue"):
        from creditfix import config_schema

        return getattr(config_schema, name)
    raise AttributeError(f"module 'creditfix.config' has no attribute {name!r}")
