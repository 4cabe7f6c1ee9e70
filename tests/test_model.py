"""The profile records (creditfix.model) and their pydantic definition (creditfix.profile_schema):
the records mirror the models exactly, validate as they do, and a run with a warm cache imports
none of pydantic's models."""

from __future__ import annotations

import copy
import os
import pickle
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError
from pydantic_core import PydanticUndefined

from creditfix import load_profile, model, profile_schema

from conftest import EXAMPLES

PROFILE = EXAMPLES / "profile.cn-jiebei-closed.yaml"


@pytest.mark.parametrize("name", list(model.RECORDS))
def test_each_record_has_the_fields_and_defaults_of_its_model(name: str) -> None:
    record, definition = model.RECORDS[name], profile_schema.MODELS[name]
    assert record.field_names == tuple(definition.model_fields)
    for field, info in definition.model_fields.items():
        if info.default_factory is not None:
            assert getattr(record, field) == info.default_factory()  # type: ignore[call-arg]
        elif info.default is PydanticUndefined:
            assert field in record.required
        else:
            assert field not in record.required
            assert getattr(record, field) == info.default
    assert set(record.required) == {f for f, i in definition.model_fields.items() if i.is_required()}


def test_the_models_share_the_records_properties() -> None:
    for name in model.RECORDS:
        record, definition = model.RECORDS[name], profile_schema.MODELS[name]
        own = {k for k, v in vars(record).items() if isinstance(v, property)}
        assert not own, f"{name}: properties belong on a *Properties mixin both classes share"
        for base in record.__mro__[1:]:
            if base.__name__.endswith("Properties"):
                assert base in definition.__mro__


def _walk(node: object) -> list[object]:
    if isinstance(node, dict):
        return [x for v in node.values() for x in _walk(v)]
    if isinstance(node, (list, tuple)):
        return [x for v in node for x in _walk(v)]
    return [node]


def test_the_validator_makes_records_and_refers_to_no_pydantic_model() -> None:
    validator = profile_schema.record_validator(model.Profile)
    schema = validator.__reduce__()[1][0]
    leaves = _walk(schema)
    for definition in profile_schema.MODELS.values():
        assert definition not in leaves
        assert not any(getattr(leaf, "__self__", None) is definition for leaf in leaves)
    assert {leaf for leaf in leaves if isinstance(leaf, type) and issubclass(leaf, model.Record)} == set(
        model.RECORDS.values()
    )


DATA = {
    "client": {"id": 7, "jurisdiction": "cn"},
    "as_of": "2024-03-01",
    "income": {"annual": "120,000"},
    "debts": [
        {"id": "a", "type": "card", "balance": "1,000", "limit": 5000, "history": "NN1N", "history_end": "2024-02"},
        {"id": "b", "balance": 10},
    ],
    "payments": [{"debt": "a", "due": "2024-01-05", "paid": "2024-01-04"}],
    "inquiries": [{"date": "2024-01-02", "reason": "loan_application"}],
    "events": [{"date": "2024-06-01", "type": "new_debt", "account": {"id": "c", "balance": 5}}],
    "metrics": {"inquiries_1m": 2},
}


def test_a_record_validates_and_behaves_as_the_model() -> None:
    record = model.Profile.model_validate(copy.deepcopy(DATA))
    definition = profile_schema.Profile.model_validate(copy.deepcopy(DATA))
    assert type(record) is model.Profile
    assert type(record.debts[0]) is model.Debt
    assert record == definition
    assert definition == record
    assert repr(record) == repr(definition)
    assert record.model_dump() == definition.model_dump()
    assert record.model_fields_set == definition.model_fields_set
    assert record.jurisdiction == "CN"
    assert record.income.monthly_amount == Decimal(10000)
    assert record.debts[0].revolving
    assert record.inquiries[0].is_hard
    assert pickle.loads(pickle.dumps(record)) == record == copy.deepcopy(record)
    assert hash(record.debts[0]) == hash(copy.deepcopy(record.debts[0]))  # type: ignore[index]
    changed = record.model_copy(update={"as_of": None})
    assert changed.as_of is None
    assert record.as_of is not None
    assert changed.debts == record.debts
    with pytest.raises(AttributeError):
        record.as_of = None  # type: ignore[misc]


def _plain(exc: ValidationError) -> list[object]:
    return [
        {**e, "ctx": {k: (type(v).__name__, str(v), getattr(v, "loc", None)) for k, v in e.get("ctx", {}).items()}}
        for e in exc.errors(include_url=False)
    ]


def test_records_refuse_what_the_models_refuse() -> None:
    for bad in ({"debts": [{"id": "a"}]}, {"debt": []}, {"debts": [{"id": "a", "balance": 1, "limit": 0}]}):
        with pytest.raises(ValidationError) as ours:
            model.Profile.model_validate(bad)
        with pytest.raises(ValidationError) as theirs:
            profile_schema.Profile.model_validate(bad)
        assert _plain(ours.value) == _plain(theirs.value)
    with pytest.raises(ValidationError):
        model.Debt(id="a")
    assert model.Debt(id="a", balance=1) == profile_schema.Debt(id="a", balance=1)
    assert model.Profile() == profile_schema.Profile()
    assert model.Event.model_construct(date=None, type="raise").apr is None


def test_load_profile_gives_records_with_or_without_the_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    cached = load_profile(PROFILE)
    monkeypatch.setenv("CREDITFIX_NO_CACHE", "1")
    monkeypatch.setattr(model, "_validator", None)
    fresh = load_profile(PROFILE)
    assert type(cached) is type(fresh) is model.Profile
    assert cached == fresh


@pytest.mark.parametrize("command", ["metrics", "plan"])
def test_a_run_with_a_warm_cache_imports_no_pydantic_model(command: str, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from creditfix.cli import main\n"
        f"sys.argv = ['creditfix', {command!r}, {str(PROFILE)!r}, '--format', 'json']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "loaded = [m for m in ('pydantic.main', 'creditfix.profile_schema', 'creditfix.rules.schema') if m in sys.modules]\n"
        "print(loaded, file=sys.stderr)\n"
    )
    env = {**os.environ, "CREDITFIX_CACHE_DIR": str(tmp_path)}
    env.pop("CREDITFIX_NO_CACHE", None)
    runs = [subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True) for _ in range(2)]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout
    assert "pydantic.main" in runs[0].stderr  # the first run filled the cache
    assert runs[1].stderr.strip().splitlines()[-1] == "[]"


def test_metrics_plan_and_render_take_the_pydantic_model_too() -> None:
    from creditfix import build_plan, compute_metrics, evaluate, load_packs, render
    from creditfix.load.yamlsafe import parse_yaml

    data, _ = parse_yaml(PROFILE.read_text(encoding="utf-8"), PROFILE.name, positions=False)
    data["client"] = {"id": PROFILE.stem, **data.get("client", {})}
    outputs = []
    for profile in (model.Profile.model_validate(copy.deepcopy(data)), profile_schema.Profile.model_validate(data)):
        metrics = compute_metrics(profile)
        packs = load_packs(["core", "cn"])
        plan = build_plan(profile, metrics, evaluate(packs, metrics), packs, lang="en")
        outputs.append((render(plan, "json"), render(plan, "markdown")))
    assert outputs[0] == outputs[1]
    assert outputs[0][0] == render_of_loaded()


def render_of_loaded() -> str:
    from creditfix import build_plan, compute_metrics, evaluate, load_packs, render

    profile = load_profile(PROFILE)
    metrics = compute_metrics(profile)
    packs = load_packs(["core", "cn"])
    return render(build_plan(profile, metrics, evaluate(packs, metrics), packs, lang="en"), "json")


def test_records_and_models_have_the_same_docstrings() -> None:
    for name, record in model.RECORDS.items():
        assert record.__doc__ == profile_schema.MODELS[name].__doc__, name  # the JSON Schema shows them


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("1,200 dollars", "not an amount: a word next to the number (a currency is a sign or code: $, ¥, USD, 元)"),
        ("dollars 1200", "not an amount: a word next to the number (a currency is a sign or code: $, ¥, USD, 元)"),
        ("1,20,0", "thousands separators are not in groups of three"),
        ("A35", "not an amount"),
    ],
)
def test_amount_errors_say_what_is_wrong(text: str, error: str) -> None:
    from creditfix.money import AmountError, parse_amount

    with pytest.raises(AmountError) as caught:
        parse_amount(text)
    assert str(caught.value) == error
