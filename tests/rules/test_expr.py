"""The condition language: what it accepts, what it computes, and each refusal's exact message."""

from __future__ import annotations

from decimal import Decimal

import pytest

from creditfix.rules.expr import _GLOBALS, ExprError, combine, compile_expression
from creditfix.rules.template import compile_template

KINDS = {
    "late_payments_24m": "number",
    "debt_to_income": "number",
    "income_verified": "bool",
    "dti_warning": "number",
    "lenders": "list",
}


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        (
            "late_payments_24m >= 3 or debt_to_income > 0.5",
            {"late_payments_24m": 1, "debt_to_income": Decimal("0.51")},
            True,
        ),
        (
            "0.3 < debt_to_income <= dti_warning",
            {"debt_to_income": Decimal("0.5"), "dti_warning": Decimal("0.5")},
            True,
        ),
        ("not income_verified and late_payments_24m == 0", {"income_verified": False, "late_payments_24m": 0}, True),
        ("income_verified == true", {"income_verified": False}, False),
        ("late_payments_24m in [1, 2, 3]", {"late_payments_24m": 4}, False),
        ("late_payments_24m not in [1, 2, 3]", {"late_payments_24m": 4}, True),
        ("max(late_payments_24m, 2) - min(1, 3) == 1", {"late_payments_24m": 0}, True),
        ("abs(-late_payments_24m) * 2 / 4 == 1.5", {"late_payments_24m": 3}, True),
        # 0.1 + 0.2 is exactly 0.3: float literals become Decimals
        ("debt_to_income + 0.1 == 0.3", {"debt_to_income": Decimal("0.2")}, True),
    ],
)
def test_accepted_expressions_compute(source: str, values: dict[str, object], expected: bool) -> None:
    assert compile_expression(source, KINDS, want="bool").evaluate(values) is expected


def test_names_read_are_recorded() -> None:
    expression = compile_expression("late_payments_24m > dti_warning or income_verified", KINDS, want="bool")
    assert expression.names == {"late_payments_24m", "dti_warning", "income_verified"}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("().__class__", "attribute access (.) is not allowed"),
        ("late_payments_24m.__class__ == 1", "attribute access (.) is not allowed"),
        ("__import__('os')", "calls are allowed only to min, max and abs"),
        ("open('/etc/passwd')", "calls are allowed only to min, max and abs"),
        ("__builtins__", "names starting with _ are not allowed: '__builtins__'"),
        ("10**99999 > 1", "the ** operator is not allowed"),
        ("lenders[0] == 1", "subscripts ([...]) are not allowed"),
        ("[x for x in lenders] == 1", "comprehensions are not allowed"),
        ("(lambda: 1) == 1", "lambda is not allowed"),
        ("1 if income_verified else 2", "IfExp is not allowed in a condition"),
        ("late_paymnts_24m > 1", "unknown name 'late_paymnts_24m' (did you mean 'late_payments_24m'?)"),
        ("income_verified > 1", "type error: < <= > >= compare numbers, got true/false and a number"),
        ("income_verified == 1", "type error: cannot compare true/false with a number"),
        ("late_payments_24m + income_verified > 1", "type error: arithmetic needs numbers, got true/false"),
        ("late_payments_24m", "type error: expected true/false, got a number"),
        ("late_payments_24m // 2 > 1", "only + - * / are allowed for arithmetic"),
        ("late_payments_24m > > 1", "syntax error at column 21: invalid syntax"),
        ("late_payments_24m >", "syntax error: invalid syntax"),
        (
            " or ".join(["late_payments_24m > 1"] * 30),
            "expression longer than 500 characters (raise caps.expr_chars in the config or CREDITFIX_CAPS)",
        ),
        (
            " + ".join(["1"] * 60) + " > 1",
            "expression has more than 100 parts (182) (raise caps.expr_nodes in the config or CREDITFIX_CAPS)",
        ),
        ("9" * 40 + " > 1", "number literal longer than 30 digits"),
        ("", "empty expression"),
    ],
)
def test_refusals(source: str, message: str) -> None:
    with pytest.raises(ExprError) as caught:
        compile_expression(source, KINDS, want="bool")
    assert str(caught.value) == message


def test_thousand_term_expression_is_refused_quickly() -> None:
    import time

    source = " + ".join(["late_payments_24m"] * 1000) + " > 1"
    start = time.perf_counter()
    with pytest.raises(ExprError, match="longer than 500"):
        compile_expression(source, KINDS, want="bool")
    assert time.perf_counter() - start < 0.5


def test_template_fills_placeholders() -> None:
    template = compile_template(
        "Cut {debt_to_income:pct} to {dti_warning:pct}: {{not a placeholder}} {late_payments_24m} late",
        KINDS,
    )
    text = template.render(
        {"debt_to_income": Decimal("0.6234"), "dti_warning": Decimal("0.5"), "late_payments_24m": 3}, str
    )
    assert text == "Cut 62.3% to 50.0%: {not a placeholder} 3 late"


def test_template_money_and_arithmetic() -> None:
    template = compile_template("Pay {debt_to_income * 1000 - 100:money}", KINDS)
    assert template.render({"debt_to_income": Decimal("0.5")}, lambda d: f"${d:,.2f}") == "Pay $400.00"


def test_template_unavailable_metric_shows_question_mark() -> None:
    assert compile_template("{late_payments_24m} late", KINDS).render({}, str) == "? late"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{x.__class__}", "placeholder {x.__class__}: attribute access (.) is not allowed"),
        (
            "{late_payments_24m.__class__.__mro__}",
            "placeholder {late_payments_24m.__class__.__mro__}: attribute access (.) is not allowed",
        ),
        ("{0}", "placeholder {0}: ..."),
        ("{debt_to_income:!r}", "unknown format '!r' in a placeholder (use money, pct, int)"),
        ("open { brace", "unbalanced '{' at character 6; write {{ for a brace"),
        ("{unknown_metric}", "placeholder {unknown_metric}: unknown name 'unknown_metric'"),
    ],
)
def test_template_refusals(text: str, message: str) -> None:
    if message.endswith("..."):
        compile_template(text, KINDS)  # a bare number is a harmless literal
        return
    with pytest.raises(ExprError) as caught:
        compile_template(text, KINDS)
    assert str(caught.value) == message


def test_a_long_operator_chain_with_raised_caps_is_one_error() -> None:
    from creditfix import caps

    previous = caps.active()
    caps.use(caps.Caps(expr_chars=10_000_000, expr_nodes=1_000_000))
    try:
        with pytest.raises(ExprError, match=r"nested too deeply|cannot be parsed"):
            compile_expression("*".join(["9"] * 3000) + " > debt_to_income", {"debt_to_income": "number"})
    finally:
        caps.use(previous)


@pytest.mark.parametrize("pack", ["core", "cn", "us"])
def test_combined_conditions_evaluate_like_each_alone(pack: str) -> None:
    """combine joins the checked source of each condition: the same values, in order."""
    import random

    from creditfix.metrics import CATALOGUE
    from creditfix.rules.engine import load_packs

    [compiled] = load_packs([pack])
    conditions = [r.when for r in compiled.rules]
    code = combine(conditions)
    rng = random.Random(pack)
    numbers = [0, 1, 2, 3, 6, Decimal("0.3"), Decimal("0.75"), Decimal("1.2"), 100, Decimal("5000.50")]
    for _ in range(300):
        namespace: dict[str, object] = {
            name: rng.random() < 0.5 if spec.unit == "bool" else rng.choice(numbers) for name, spec in CATALOGUE.items()
        }
        namespace.update(compiled.params)
        try:
            alone: object = tuple(c.evaluate(namespace) for c in conditions)
        except ArithmeticError:
            alone = "division"
        try:
            together: object = eval(code, _GLOBALS, namespace)
        except ArithmeticError:
            together = "division"
        assert together == alone


def test_combined_conditions_the_parser_refuses_as_text_are_joined_as_trees() -> None:
    """Over 200 nested parentheses (caps raised) the joined text is refused; the trees are not."""
    from dataclasses import replace

    condition = compile_expression("x * (x - 1) > 5.5", {"x": "number"}, want="bool")
    refused = replace(condition, checked="(" * 201)  # what the parser refuses, standing in for a deep one
    assert eval(combine([refused, condition]), _GLOBALS, {"x": 3}) == (True, True)
    assert eval(combine([refused]), _GLOBALS, {"x": Decimal("0.4")}) == (False,)
    assert eval(combine([condition]), _GLOBALS, {"x": 10}) == (True,)
