"""Every rule's own test cases, and the contract every built-in rule is held to.

One parametrised test runs each case of each rule of each built-in pack (ids ``<rule-id>-<case>``);
the meta-tests check ids, cases, basis, source and texts, so that adding a rule touches only its pack.
"""

from __future__ import annotations

import re

import pytest

from creditfix.metrics import CATALOGUE
from creditfix.rules.engine import CompiledPack, CompiledRule, builtin_packs, load_packs, run_case
from creditfix.rules.schema import RuleCase

PACKS: list[CompiledPack] = load_packs(list(builtin_packs()))
RULES: list[tuple[CompiledPack, CompiledRule]] = [(pack, rule) for pack in PACKS for rule in pack.rules]
CASES: list[tuple[CompiledPack, CompiledRule, RuleCase]] = [
    (pack, rule, case) for pack, rule in RULES for case in rule.rule.tests
]


def _case_id(rule: CompiledRule, case: RuleCase) -> str:
    return f"{rule.id}-{re.sub(r'[^a-z0-9]+', '-', case.name.lower()).strip('-')}"


@pytest.mark.parametrize(("pack", "rule", "case"), CASES, ids=[_case_id(r, c) for _, r, c in CASES])
def test_rule_case(pack: CompiledPack, rule: CompiledRule, case: RuleCase) -> None:
    result = run_case(pack, rule, case)
    assert result.ok, result.message()


@pytest.mark.parametrize(("pack", "rule"), RULES, ids=[r.id for _, r in RULES])
def test_rule_contract(pack: CompiledPack, rule: CompiledRule) -> None:
    spec = rule.rule
    assert spec.id.startswith(f"{pack.name}-"), "rule ids start with their pack's name"
    outcomes = {case.fires for case in spec.tests}
    assert outcomes == {True, False}, "a rule needs at least one firing and one silent case"
    assert len({c.name for c in spec.tests}) == len(spec.tests), "case names are unique within a rule"
    for field in ("title", "why") + (("action", "brief") if spec.kind == "issue" else ()):
        texts = getattr(spec, field)
        assert texts is not None, f"{field} missing"
        assert set(texts) == {"en", "zh"}, f"{field} needs en and zh"
        assert all(t.strip() for t in texts.values()), f"{field} is empty"
    assert spec.source.strip(), "source missing"
    assert rule.reads, "the condition reads at least one metric"
    assert rule.reads <= set(CATALOGUE)


#: The longest a brief may read, filled with a firing case's numbers: one line of the plan's short view.
BRIEF_MAX = {"en": 90, "zh": 45}


@pytest.mark.parametrize(
    ("pack", "rule"), [(p, r) for p, r in RULES if r.rule.brief], ids=lambda x: getattr(x, "id", "")
)
def test_a_brief_is_one_short_line_with_its_numbers(pack: CompiledPack, rule: CompiledRule) -> None:
    firing = next(case for case in rule.rule.tests if case.fires)
    namespace = {**pack.params, **firing.metrics}
    for lang, limit in BRIEF_MAX.items():
        template = rule.text("brief", lang)
        assert template is not None
        text = template.render(namespace, lambda amount: f"{amount:,.2f}")
        assert "?" not in text, f"{lang}: a number the brief needs is not in its firing case: {text}"
        assert len(text) <= limit, f"{lang}: {len(text)} characters, over {limit}: {text}"
        assert "\n" not in text


def test_rule_ids_are_unique_across_packs() -> None:
    ids = [rule.id for _, rule in RULES]
    assert len(ids) == len(set(ids))


def test_builtin_packs_are_core_cn_us() -> None:
    assert {p.name for p in PACKS} == {"core", "cn", "us"}
    assert len(RULES) >= 40


def test_rule_of_thumb_is_never_called_law() -> None:
    for _, rule in RULES:
        if rule.rule.basis == "rule-of-thumb":
            text = " ".join(rule.rule.why.values()).lower()
            assert "law requires" not in text, rule.id
            assert "法律规定" not in text, rule.id


def test_rules_doc_is_fresh(run) -> None:
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    result = run("rules", "docs")
    assert result.code == 0
    assert result.out == docs.read_text(encoding="utf-8"), (
        "docs/rules.md is stale: run `creditfix rules docs > docs/rules.md`"
    )


def test_readme_names_the_columns_a_table_needs_for_a_firm_grade() -> None:
    """The README lists the metrics the critical and high issue rules read (a table row without
    one gets a provisional grade): all packs' (read by both cn and us), then cn's and us's own."""
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    listed = " ".join(readme[readme.index("(all packs: ") : readme.index("`creditfix rules explain ID` shows")].split())
    parts = re.split(r"; (?:cn|us) also ", listed)
    found = [set(re.findall(r"`(\w+)`", part)) for part in parts]
    for part, found_in in zip(parts, found, strict=True):  # `inquiries_1m`/`3m`/`6m`/`12m`
        found_in |= {f"inquiries_{n}" for n in re.findall(r"`(\d+m)`", part)}
        found_in -= {n for n in found_in if n[0].isdigit()}

    def reads(names: list[str]) -> set[str]:
        return {
            metric
            for pack in load_packs(names)
            for rule in pack.rules
            if rule.rule.severity in ("critical", "high") and not rule.is_strength
            for metric in rule.reads
        }

    cn, us = reads(["core", "cn"]), reads(["core", "us"])
    assert found == [cn & us, cn - us, us - cn]


def test_verify_reports_a_contradicting_case(run, tmp_path) -> None:
    pack = tmp_path / "x.yaml"
    pack.write_text(
        "pack: x\ntitle: T\nrules:\n"
        "  - id: x-late\n    category: repayment\n    severity: low\n    when: late_payments_24m > 2\n"
        "    title: T\n    action: A\n    why: W\n    basis: rule-of-thumb\n    source: test\n"
        "    tests:\n      - {name: two lates, metrics: {late_payments_24m: 2}, fires: true}\n"
        "      - {name: none, metrics: {late_payments_24m: 0}, fires: false}\n",
        encoding="utf-8",
    )
    result = run("rules", "verify", pack)
    assert result.code == 1
    assert result.out == f"{pack}:4: x-late: two lates: expected fires, got silent\n"
    assert "1 pack(s), 1 rules, 2 cases: 1 passed, 1 failed" in result.err


def test_verify_refuses_an_empty_pack(run, tmp_path) -> None:
    pack = tmp_path / "empty.yaml"
    pack.write_text("pack: empty\ntitle: Nothing\nrules: []\n", encoding="utf-8")
    result = run("rules", "verify", pack)
    assert result.code == 2
    assert result.err == f"creditfix: error: {pack}:3: the pack has no rules\n"


def test_renamed_rule_keeps_its_old_id_as_alias(run, tmp_path) -> None:
    pack = tmp_path / "x.yaml"
    pack.write_text(
        "pack: x\nversion: 2.1.0\ntitle: T\nrules:\n"
        "  - id: x-late-new\n    aliases: [x-late]\n    category: repayment\n    severity: low\n"
        "    when: late_payments_24m > 0\n    title: T\n    action: A\n    why: W\n    basis: rule-of-thumb\n"
        "    source: test\n    tests:\n      - {name: late, metrics: {late_payments_24m: 1}, fires: true}\n"
        "      - {name: clean, metrics: {late_payments_24m: 0}, fires: false}\n",
        encoding="utf-8",
    )
    explained = run("rules", "explain", "x-late", "--rules", pack)
    assert explained.code == 0, explained.err
    assert explained.out.startswith("x-late-new  (x 2.1.0,")
    listed = run("rules", "list", "--pack", pack, "--format", "json")
    assert '"version": "2.1.0"' in listed.out
    assert '"id": "x-late-new"' in listed.out


def test_verify_flags_a_rule_without_cases(run, tmp_path) -> None:
    pack = tmp_path / "x.yaml"
    pack.write_text(
        "pack: x\ntitle: T\nrules:\n  - id: x-dti\n    category: debt_ratio\n    when: debt_to_income > 0.4\n"
        "    title: T\n    action: A\n    why: W\n    basis: rule-of-thumb\n    source: notes\n    tests: []\n",
        encoding="utf-8",
    )
    result = run("rules", "verify", pack)
    assert result.code == 1
    assert result.out == f"{pack}:4: x-dti: no test cases (add one that fires and one that stays silent)\n"
