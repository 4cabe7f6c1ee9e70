"""Third-party packs that are wrong or hostile: one line naming file, line and rule, exit 2, fast."""

from __future__ import annotations

import textwrap
import time
from pathlib import Path

import pytest

from conftest import EXAMPLES

PROFILE = EXAMPLES / "profile.us-maxed-out.yaml"

GOOD_RULE = """\
  - id: x-good
    category: repayment
    severity: low
    when: late_payments_24m > 0
    title: Good
    action: Do it
    why: Because
    basis: rule-of-thumb
    source: test
    tests:
      - {name: fires, metrics: {late_payments_24m: 1}, fires: true}
      - {name: silent, metrics: {late_payments_24m: 0}, fires: false}
"""


def pack(rules: str, header: str = "pack: x\ntitle: Test pack\n") -> str:
    return header + "rules:\n" + textwrap.dedent(rules)


def bad_rule(field: str, value: str) -> str:
    rule = GOOD_RULE.replace("x-good", "x-bad")
    lines = [f"    {field}: {value}" if line.startswith(f"    {field}:") else line for line in rule.splitlines()]
    return "\n".join(lines) + "\n"


CASES = [
    (
        "escape-class",
        pack(bad_rule("when", '"().__class__ == 1"')),
        "x.yaml:7: x-bad.when: attribute access (.) is not allowed",
    ),
    (
        "escape-import",
        pack(bad_rule("when", "\"__import__('os') == 1\"")),
        "x.yaml:7: x-bad.when: calls are allowed only to min, max and abs",
    ),
    (
        "escape-open",
        pack(bad_rule("when", "\"open('/etc/passwd') == 1\"")),
        "x.yaml:7: x-bad.when: calls are allowed only to min, max and abs",
    ),
    ("huge-power", pack(bad_rule("when", '"10**99999 > 1"')), "x.yaml:7: x-bad.when: the ** operator is not allowed"),
    (
        "thousand-terms",
        pack(bad_rule("when", '"' + " + ".join(["late_payments_24m"] * 1000) + ' > 1"')),
        "x.yaml:7: x-bad.when: expression longer than 500 characters (raise caps.expr_chars in the config or CREDITFIX_CAPS)",
    ),
    (
        "unknown-metric",
        pack(bad_rule("when", "late_paymnts_24m > 0")),
        "x.yaml:7: x-bad.when: unknown name 'late_paymnts_24m' (did you mean 'late_payments_24m'?)",
    ),
    (
        "type-error",
        pack(bad_rule("when", "income_verified > 0")),
        "x.yaml:7: x-bad.when: type error: < <= > >= compare numbers, got true/false and a number",
    ),
    (
        "template-escape",
        pack(bad_rule("action", '"{x.__class__}"')),
        "x.yaml:9: x-bad.action.en: placeholder {x.__class__}: attribute access (.) is not allowed",
    ),
    ("duplicate-id", pack(GOOD_RULE + GOOD_RULE), "x.yaml:16: x-good: duplicate rule id (first at rule 1)"),
    ("zero-rules", "pack: x\ntitle: Empty\nrules: []\n", "x.yaml:3: the pack has no rules"),
    (
        "python-tag",
        "pack: x\ntitle: !!python/object/apply:os.system [ls]\nrules: []\n",
        "x.yaml:2:8: YAML tags (!...) are not allowed",
    ),
    ("alias-bomb", "pack: x\na: &a [1, 1]\nb: [*a, *a]\n", "x.yaml:2:4: anchors and aliases (& and *) are not allowed"),
    (
        "unknown-field",
        pack(bad_rule("severity", "high").replace("    severity", "    severty")),
        "x.yaml:6: rules[0].severty: unknown field (did you mean 'severity'?)",
    ),
    (
        "bad-severity",
        pack(bad_rule("severity", "urgent")),
        "x.yaml:6: rules[0].severity: must be one of 'critical', 'high', 'medium', 'low' or 'info'",
    ),
    (
        "nan-param",
        pack(GOOD_RULE, header="pack: x\ntitle: Test pack\nparams: {limit: .nan}\n"),
        "x.yaml:3: params.limit: must be a finite number",
    ),
    (
        "overflowing-param",
        pack(GOOD_RULE, header="pack: x\ntitle: Test pack\nparams: {limit: 1e400}\n"),
        "x.yaml:3: params.limit: number has more than 24 digits",
    ),
    (
        "no-basis",
        pack(GOOD_RULE.replace("    basis: rule-of-thumb\n", "")),
        "x.yaml:4: rules[0].basis: required field is missing",
    ),
]


@pytest.mark.parametrize(("name", "text", "line"), CASES, ids=[c[0] for c in CASES])
def test_bad_pack_is_refused_in_one_line(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, text: str, line: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.yaml").write_text(text, encoding="utf-8")
    start = time.perf_counter()
    result = run("plan", PROFILE, "--rules", "x.yaml", "--format", "json")
    assert time.perf_counter() - start < 1.0
    assert result.code == 2
    assert result.out == ""
    assert result.err == f"creditfix: error: {line}\n"


def test_good_third_party_pack_adds_its_rule(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("x.yaml").write_text(pack(GOOD_RULE), encoding="utf-8")
    result = run("plan", PROFILE, "--rules", "x.yaml", "--format", "json")
    assert result.code == 0, result.err
    assert '"rule": "x-good"' in result.out


def test_unknown_builtin_pack(run) -> None:
    result = run("plan", PROFILE, "--rules", "usa")
    assert result.code == 2
    assert (
        result.err
        == "creditfix: error: no built-in pack 'usa' (did you mean 'us'?); give a .yaml file or one of: cn, core, us\n"
    )
