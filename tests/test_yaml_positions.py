"""The YAML reader without positions (a profile's first pass) checks and fails exactly as with them."""

from __future__ import annotations

from pathlib import Path

import pytest

from creditfix.errors import InputError
from creditfix.load.yamlsafe import parse_yaml

from conftest import EXAMPLES, ROOT

INLINE = [
    "a: 1\na: 2\n",
    "a: &x 1\nb: *x\n",
    "a: !!python/object:os.system 1\n",
    "? [1, 2]\n: 3\n",
    "a: [1, {b: 9999999999999999999999999999999999999999999}]\n",
    "- 1\n- {x: [2, 3], y: '4'}\n",
    "a: 1\n---\nb: 2\n",
    "[" * 70 + "]" * 70,
    "a:\n\tb: 1\n",
]
FILES = sorted((ROOT / "tests" / "hazards").glob("yaml.*.yaml")) + sorted(EXAMPLES.glob("*.yaml"))


def _outcome(text: str, positions: bool) -> object:
    try:
        value, found = parse_yaml(text, "p.yaml", positions=positions)
    except InputError as exc:
        return exc.one_line()
    if not positions:
        assert all(len(path) == 1 for path in found), "only top-level keys without positions"
    return repr(value)  # repr: Decimal("NaN") is not equal to itself


@pytest.mark.parametrize("text", INLINE + [path.read_text(encoding="utf-8") for path in FILES])
def test_without_positions_same_values_and_errors(text: str) -> None:
    assert _outcome(text, positions=False) == _outcome(text, positions=True)


def test_positions_are_recorded_by_default(tmp_path: Path) -> None:
    value, found = parse_yaml("client:\n  id: C-1\ndebts:\n  - {id: a, balance: 5}\n", "p.yaml")
    assert value == {"client": {"id": "C-1"}, "debts": [{"id": "a", "balance": 5}]}
    assert found[("debts", 0, "balance")] == (4, 0)
    assert found[("debts", 0)] == (4, 5)
