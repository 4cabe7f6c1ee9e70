"""Fuzzing every loader: arbitrary bytes, and valid documents with hostile edits.

The contract (RELIABILITY.md 1): whatever the input, the only exception that escapes a loader is a
:class:`creditfix.errors.CreditfixError`, and its message is one line that echoes no input value.
Each target in tests/loader_targets.py feeds one input to one loader and checks exactly that;
fuzz/fuzz_loaders.py drives the same targets with atheris for longer runs.

Budgets come from the hypothesis profile in conftest.py ("ci": about ten seconds for this file;
``--hypothesis-profile=long`` or CREDITFIX_HYPOTHESIS=long for a fuzzing session).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from creditfix.errors import InputError
from creditfix.load.yamlsafe import parse_yaml

from conftest import EXAMPLES, ROOT
from loader_targets import CANARY, TARGETS, check_error, run_target
from strategies import Raw, client_table_bytes, hostile_edit, profile_data, side_csv_bytes, to_yaml

#: Pieces of every input format; concatenated at random they get past the first parse more often
#: than random bytes do.
FRAGMENTS = [
    CANARY, "creditfix: 1\n", "debts:\n", "  - id: a\n", "    balance: 1\n", "history: ", "OK", ":", "-", "[",
    "{", "}", "]", "\n", " ", "\t", '"', "'", "&a ", "*a", "!!python/object ", "? ", "|\n", ">\n", "---\n", "...\n",
    "client_id,total_debt,score\n", "C-1,100,700\n", ",", ";", "1e5", "0x10", ".nan", "2021-02-30", "when: ",
    "rules:\n", "pack: x\n", "title: t\n", "{" + CANARY + "}", "\r", "\u2028", "\x85", "\ufeff", "é", "李", "\x00",
    "[tool.creditfix]\n", "packs = [", "lang = 'zh'\n", "overdue_accounts > 0", " and ", "(", ")", "**", ".__class__",
]  # fmt: skip
arbitrary = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=200).map(str.encode),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map(lambda parts: "".join(parts).encode("utf-8", "replace")),
)


def yaml_document(seed: Any) -> st.SearchStrategy[bytes]:
    """*seed* (plain data, or a strategy of it) with hostile edits, written as YAML in a drawn style."""
    seeds = seed if isinstance(seed, st.SearchStrategy) else st.just(seed)

    @st.composite
    def build(draw: st.DrawFn) -> bytes:
        document = draw(hostile_edit(draw(seeds)))
        return to_yaml(document, flow_depth=draw(st.integers(0, 5)), plain_text=draw(st.booleans())).encode()

    return build()


def _read(path: Path) -> Any:
    data, _ = parse_yaml(path.read_text(encoding="utf-8"), str(path))
    return data


def _small_pack() -> Any:
    pack = _read(ROOT / "rules" / "core.yaml")
    pack["rules"] = pack["rules"][:2]  # a whole pack per example would spend the budget on parsing
    return pack


CONFIG = {
    "packs": ["core", "cn"],
    "select": ["core-"],
    "ignore": ["cn-sesame-low"],
    "severity": {"core-overdue-now": "high"},
    "params": {"core": {"young_file_months": 12}},
    "lang": "zh",
    "fail_on": "high",
    "portfolio": {"overdue_rate_warning": Decimal("0.03")},
}


# --- the oracle itself -------------------------------------------------------------------------


@pytest.mark.parametrize("error", [InputError("unknown field", field=f"acct{CANARY}"), InputError("")])
def test_the_oracle_rejects_a_bad_message(error: InputError) -> None:
    with pytest.raises(AssertionError):
        check_error(error)


def test_an_error_is_one_line_whatever_its_reason_quotes() -> None:
    # A reason may quote a rule pack's placeholder text, which can hold any character; found by
    # test_arbitrary_input[condition]: "placeholder {...\n \x01}: ..." and "{\x00\n\x00}".
    error = InputError("placeholder {a\rb\u2028c\x00d\x85e\tf}: syntax error", path="p.yaml", line=3)
    assert error.one_line() == "p.yaml:3: placeholder {a b c d e f}: syntax error"


def test_the_oracle_accepts_a_good_message() -> None:
    check_error(InputError("unknown field (did you mean 'balance'?)", path="p.yaml", line=3, field="debts[0].balanse"))


# --- arbitrary input, every loader -------------------------------------------------------------


@pytest.mark.parametrize("target", sorted(TARGETS))
@given(data=arbitrary)
def test_arbitrary_input(target: str, data: bytes) -> None:
    run_target(target, data)


# --- valid documents with hostile edits --------------------------------------------------------


@given(yaml_document(profile_data()))
@example(f"creditfix: 1\nacct{CANARY}: 5\n".encode())  # was echoed: "acct6222...: unknown field"
@example(f"creditfix: 1\nmetrics: {{acct{CANARY}: 5}}\n".encode())  # was echoed as metrics.acct6222...
@example(f"creditfix: 1\nacct{CANARY}: 1\nacct{CANARY}: 2\n".encode())  # was echoed as a duplicate key
@example(
    f"creditfix: 1\nclient: {{id: a}}\ndebts: [{{id: a, balance: {10**23 - 1}, limit: 0.01, type: card}}]\n".encode()
)
def test_hostile_profile(data: bytes) -> None:
    run_target("yaml", data)


@given(client_table_bytes())
# was echoed: "... but the row's currency is 6222...": a currency cell that is no currency code
@example(f"currency,max_card_balance\n{CANARY},\u00a5{CANARY}\n".encode())
def test_hostile_client_table(data: bytes) -> None:
    run_target("table", data)


@given(side_csv_bytes())
def test_hostile_side_csv(data: bytes) -> None:
    run_target("side-csv", data)


@given(yaml_document(_read(EXAMPLES / "columns.lender-export.yaml")))
def test_hostile_column_map(data: bytes) -> None:
    run_target("columns", data)


@given(yaml_document(_small_pack()))
@example(f"{CANARY}!: {{0".encode())  # was echoed: "6222...!: keys must be text"
@example(to_yaml({**_small_pack(), "rules": [{**_small_pack()["rules"][0], "title": {CANARY: "x"}}]}).encode())
def test_hostile_rule_pack(data: bytes) -> None:
    run_target("rules", data)


@given(yaml_document(CONFIG))
@example(f":{CANARY}: {{0".encode())  # was echoed: ":6222...: keys must be text"
def test_hostile_config(data: bytes) -> None:
    run_target("config", data)


@given(
    st.lists(
        st.one_of(
            st.sampled_from(["overdue_accounts", "total_debt", "income_verified", "dti_warning", "name", CANARY]),
            st.sampled_from(["<", "<=", "==", "!=", " in ", " not in ", " and ", " or ", "not ", "+", "-", "*", "/"]),
            st.sampled_from(["(", ")", "[", "]", ",", "min(", "max(", "abs(", "0", "0.5", "1e999", "'x'", "true"]),
            st.sampled_from(
                ["{", "}", "{{", "}}", ":money", ":pct", ":int", ".__class__", "__import__(", "**", "9" * 40]
            ),
        ),
        max_size=30,
    ).map(lambda parts: "".join(parts).encode())
)
@example(b"{...\n \x01}")  # the placeholder's text, line break and all, was quoted in the message
@example(b"overdue_accounts > 0and true")  # Python's SyntaxWarning went to stderr as a second line
@example(b"name == '\\d'")  # DeprecationWarning: invalid escape sequence
@example(b"{x.__class__}")
@example(b"10**99999")
@example(b"(" * 200 + b"1" + b")" * 200)
def test_hostile_condition_and_template(data: bytes) -> None:
    run_target("condition", data)


def test_raw_scalars_reach_the_loader_unquoted() -> None:
    # The hostile edits rely on Raw scalars being written as is: `.nan` must arrive as a float.
    text = to_yaml({"debts": [{"id": "a", "balance": Raw(".nan")}]})
    assert "balance: .nan" in text
    with pytest.raises(InputError, match=r"debts\[0\]\.balance: must be a finite amount"):
        TARGETS["yaml"](text.encode())
