"""Every loader as a function of one input's bytes, with the input contract as assertions.

Shared by tests/test_fuzz_loaders.py (hypothesis) and fuzz/fuzz_loaders.py (atheris): each target
feeds the bytes to one loader the way the CLI would and lets only creditfix's own errors through,
checked by :func:`check_error`: one line, no traceback, no seeded value (:data:`CANARY`) echoed.
Anything else that escapes is a bug.
"""

from __future__ import annotations

import tempfile
import unicodedata
import warnings
from collections.abc import Callable
from pathlib import Path

from creditfix.config import load_settings
from creditfix.errors import CreditfixError, RulePackError
from creditfix.load.profile import parse_profile_text
from creditfix.load.source import decode_utf8
from creditfix.load.table import iter_table, load_column_map
from creditfix.metrics import compute_metrics
from creditfix.rules.engine import load_pack
from creditfix.rules.expr import ExprError, compile_expression, kinds_from
from creditfix.rules.template import compile_template

#: A recognisable value (an account number) that fuzz inputs carry and no message may show.
CANARY = "6222021234567890123"
_FOLDER = Path(tempfile.mkdtemp(prefix="creditfix-fuzz-"))
_KINDS = kinds_from({"total_debt": "money", "income_verified": "bool"}, {"dti_warning": 1, "name": "x"})


def check_error(error: CreditfixError) -> None:
    """The promise of RELIABILITY.md 1 for one error: one line, no canary value."""
    line = error.one_line()
    assert line, "an empty error message"
    assert line.splitlines() == [line], f"not one line: {line!r}"
    assert not any(unicodedata.category(c) == "Cc" for c in line), f"a control character in the message: {line!r}"
    assert CANARY not in line, f"the message echoes an input value: {line!r}"


def _file(name: str, data: bytes) -> Path:
    path = _FOLDER / name
    path.write_bytes(data)
    return path


def yaml_profile(data: bytes) -> None:
    """A YAML profile (``load_yaml_profile`` minus the file: decode, parse, validate), then its metrics."""
    profile = parse_profile_text(decode_utf8(data, "p.yaml"), "p.yaml", base_dir=_FOLDER)
    compute_metrics(profile)


def side_csv(data: bytes) -> None:
    """A profile whose debts, payments and inquiries come from CSV files next to it."""
    for key in ("debts", "payments", "inquiries"):
        _file(f"{key}.csv", data)
    for key in ("debts", "payments", "inquiries"):
        try:
            profile = parse_profile_text(f"creditfix: 1\n{key}: {key}.csv\n", "p.yaml", base_dir=_FOLDER)
        except CreditfixError as exc:  # the header fits one of the three at most
            check_error(exc)
        else:
            compute_metrics(profile)


def client_table(data: bytes) -> None:
    """A client table: every row validated (row errors come back as values; they are checked too)."""
    for row in iter_table("t.csv", data=data):
        if row.error is not None:
            check_error(row.error)
        else:
            assert row.profile is not None
            compute_metrics(row.profile)


def column_map(data: bytes) -> None:
    """A ``--columns`` map, then a table read through it."""
    mapping = load_column_map(_file("columns.yaml", data))
    for row in iter_table("t.csv", data=b"client_id,total_debt\nC-1,100\n", columns=mapping):
        if row.error is not None:
            check_error(row.error)


def rule_pack(data: bytes) -> None:
    """A rule pack file: parsed, validated, every condition and template compiled."""
    load_pack(_file("pack.yaml", data))


def config_yaml(data: bytes) -> None:
    """A ``.creditfix.yaml`` config file."""
    load_settings(_file(".creditfix.yaml", data), env={})


def config_toml(data: bytes) -> None:
    """A ``pyproject.toml`` with a ``[tool.creditfix]`` table."""
    folder = _FOLDER / "toml"
    folder.mkdir(exist_ok=True)
    path = folder / "pyproject.toml"
    path.write_bytes(data)
    load_settings(path, env={})


def condition(data: bytes) -> None:
    """A ``when`` condition and a text template, compiled directly (they raise :class:`ExprError`)."""
    text = data.decode("utf-8", "replace")
    for compile_one in (lambda: compile_expression(text, _KINDS), lambda: compile_template(text, _KINDS)):
        try:
            compile_one()
        except ExprError as exc:  # load_pack reports it as a RulePackError: that line is what a user sees
            line = RulePackError(str(exc), path="pack.yaml", line=1).one_line()
            assert line.splitlines() == [line], f"not one line: {line!r}"
            assert not any(unicodedata.category(c) == "Cc" for c in line), (
                f"a control character in the message: {line!r}"
            )


TARGETS: dict[str, Callable[[bytes], None]] = {
    "yaml": yaml_profile,
    "side-csv": side_csv,
    "table": client_table,
    "columns": column_map,
    "rules": rule_pack,
    "config": config_yaml,
    "config-toml": config_toml,
    "condition": condition,
}


def run_target(name: str, data: bytes) -> None:
    """Feed *data* to target *name*; a :class:`CreditfixError` is checked, anything else (a
    warning too) propagates."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            TARGETS[name](data)
        except CreditfixError as exc:
            check_error(exc)
    # A warning is printed on stderr: a second line next to the error, or noise after a success.
    assert not caught, f"a warning reached stderr: {caught[0].category.__name__}: {caught[0].message}"
