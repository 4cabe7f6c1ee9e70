"""The quick YAML reader reads what it accepts exactly as the strict one does, and gives up on the rest."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from creditfix.errors import InputError
from creditfix.load.yamlfast import _NOT_TEXT, quick_yaml
from creditfix.load.yamlsafe import _FALSE, _NULL, _TRUE, parse_yaml

from conftest import EXAMPLES, ROOT
from strategies import profile_yaml


def _strict(text: str) -> tuple[str, dict[Any, Any]] | str:
    """The strict reader's value (as its repr: Decimal NaN is not equal to itself) and top-level
    lines, or its error."""
    try:
        value, found = parse_yaml(text, "p.yaml", positions=True)  # always the event reader
    except InputError as exc:
        return exc.one_line()
    return repr(value), {path: (line, 0) for path, (line, _) in found.items() if len(path) == 1}


def _agrees(text: str, depth: int = 64) -> bool:
    """Whether the quick reader read *text* (False: it gave up), asserting it read it as the strict one."""
    quick = quick_yaml(text, depth)
    if quick is None:
        return False
    value, top = quick
    assert _strict(text) == (repr(value), top)
    return True


PLAIN = [
    "client: {id: P-1, jurisdiction: CN}\nas_of: 2026-11-20\nincome: {monthly: 7943, verified: true}\n",
    "debts:\n  - {id: d0, type: card, balance: 36481, limit: 37119, apr: 7%, history: NN1N}\ninquiries: []\n",
    "debts:\n- id: a\n  balance: 1.50\n  history: [N, 1]\n- id: b\n  balance: -0.5\nscore:\n",
    "client:\n  name: Jordan  Lee   # a comment\n  id: 'x # not a comment'\n\n# alone\nas_of:\n",
    "a: {b: {c: [1, {d: e}]}, f: []}\nb: [ x , y ]\nc: { }\nd: a~\ne: null\nf: 1e5\ng: 0012\nh: .5\n",
    "a:\n  -   id: x\n      b: 2\n  - no\n",
    "name: 张 敏\nlender: 招商银行\n",
]
#: Texts the quick reader must leave to the strict one (each is an error there, or beyond the quick part).
HARD = [
    "a: 1\na: 2\n",
    "a: {b: 1, b: 2}\n",
    "a: &x 1\nb: *x\n",
    "a: !!str 1\n",
    "true: 1\n",
    "a: {null: 1}\n",
    "a: 9999999999999999999999999999999999999999999\n",
    "a:\n\tb: 1\n",
    "a: 1\r\nb: 2\r\n",
    "a: [1,\n  2]\n",
    "a: b\n  c\n",
    "- 1\n- 2\n",
    "a: 1\n---\nb: 2\n",
    "---\na: 1\n",
    'a: "x\\ty"\n',
    "a: 'it''s'\n",
    "a: x#y\n",
    "a: b: c\n",
    "a: {b: 1,}\n",
    "a: [1, , 2]\n",
    "a: |\n  text\n",
    "a:\n  b: 1\n   c: 2\n",
    "a:\n  - 1\n  b: 2\n",
    "  a: 1\n",
    "a: \x85b\n",
    "a: b\u2028c\n",
    "# nothing\n",
    "",
    "a:b\n",
    "a: 'x'y\n",
    'a: "x"# c\n',
]


@pytest.mark.parametrize("text", PLAIN)
def test_reads_the_plain_part_as_the_strict_reader(text: str) -> None:
    assert _agrees(text)


@pytest.mark.parametrize("text", HARD)
def test_leaves_the_rest_to_the_strict_reader(text: str) -> None:
    assert not _agrees(text)


def test_examples_and_hazards_agree() -> None:
    files = sorted(EXAMPLES.glob("*.yaml")) + sorted((ROOT / "tests").rglob("*.yaml"))
    read = sum(_agrees(path.read_text(encoding="utf-8").removeprefix("\ufeff")) for path in files)
    assert read >= 5  # most examples are plain YAML


def test_nesting_cap_is_kept() -> None:
    text = "a: {b: [c]}\n"
    assert _agrees(text, depth=3)
    assert quick_yaml(text, 2) is None


def test_keys_that_are_not_text_are_known() -> None:
    assert frozenset(k for k in _NULL | _TRUE | _FALSE if k[:1].isalpha()) == _NOT_TEXT


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(profile_yaml())
def test_generated_profiles_agree(drawn: tuple[Any, str]) -> None:
    _agrees(drawn[1])


#: Characters that mean something to YAML, to throw at the quick reader.
_TRICKY = st.text(alphabet=" \n-:#{}[],'\"ab1.0%&*!|>?~\t\\", max_size=40)


@settings(max_examples=1500)
@given(_TRICKY)
@example("a: [b, c]\nd:\n- e\n")
@example("a:\n- {b: c}\n-  d\n")
def test_tricky_texts_agree(text: str) -> None:
    _agrees(text)


#: Lines at various indents, to splice into documents whose nesting the quick reader must get right.
_FRAGMENTS = ["x: 1\n", "a:\n", "  y: [a]\n", "- z\n", "  - {k: v}\n", "    # c\n", "  - b: 1\n", "    c: 2\n",
              "   d: 3\n", "- {x: y}\n", "  k:\n", "  -\n", "    - m\n", "\n"]  # fmt: skip


@settings(max_examples=1500)
@given(st.lists(st.sampled_from([*PLAIN[:4], *_FRAGMENTS]), max_size=8))
def test_spliced_lines_agree(parts: list[str]) -> None:
    _agrees("".join(parts))
