"""Client-table rows: the direct row → metrics path that `check` takes gives exactly what the
Profile path (`plan` on a row) gives — the same metrics to the digit, the same one-line errors."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creditfix.errors import InputError
from creditfix.load import table
from creditfix.load.table import RowFacts, RowWork
from creditfix.metrics import _COMBINED, _DERIVATIONS, Metrics, MetricUnavailable, _combined, _Context, compute_metrics
from creditfix.model import Profile
from creditfix.money import _parse_text, parse_amount

AS_OF = date(2026, 11, 20)
_NUMBERS = ["0", "7", "1200", "18000.50", "0.35", "1,234", "1.234", "¥2,000", "(12)", "-5", "1e3", "35%", "２０", " 9 "]
_BAD = ["abc", "1,23", "12.5.1", "--", "9" * 30, "NaN", "1" * 25]
_CELLS: dict[str, list[str]] = {
    "name": ["Li Wei", "x" * 201, "  "],
    "jurisdiction": ["CN", "us", "USA", "1", "gb"],
    "currency": ["CNY", "usd", "YEN", "€"],
    "as_of": ["2026-11-20", "2026-02-30", "20261120", "2026-1-5"],
    "monthly_income": [*_NUMBERS, *_BAD],
    "annual_income": ["120000", "-1", "abc", "1,200,000"],
    "income_verified": ["yes", "no", "是", "maybe", "1"],
    "score": ["612", "300", "951", "600.5", "600.0", "abc", "-3"],
    "score_scale": ["sesame", "FICO", "vantage", "bogus"],
    "total_debt": [*_NUMBERS, *_BAD],
    "monthly_debt_payments": _NUMBERS,
    "revolving_balance": _NUMBERS,
    "revolving_limit": [*_NUMBERS, "0"],
    "revolving_utilization": ["0.35", "35%", "1.5", "0,4", "abc"],
    "inquiries_6m": ["0", "3", "2.0", "2.5", "-1", "x"],
    "late_payments_24m": ["0", "4", "1e1"],
    "overdue_accounts": ["0", "1", "yes"],
    "overdue_amount": ["0", "1216", "1,216.00"],
    "closed_by_lender": ["0", "1"],
    "credit_age_months": ["96", "0"],
}
_IDS = ["C-0042", "0012345", "1.23457E+11", "x" * 201]


@st.composite
def rows(draw: st.DrawFn) -> RowWork:
    columns = draw(st.lists(st.sampled_from(sorted(_CELLS)), unique=True, max_size=12))
    comma = draw(st.booleans())
    record: dict[str, tuple[str, Decimal | None]] = {}
    for column in columns:
        text = draw(st.sampled_from(["", *_CELLS[column]]))
        scale = draw(st.sampled_from([None, None, Decimal("0.01")])) if column != "score_scale" else None
        record[column] = (text.strip(), scale)
    client_id = draw(st.sampled_from(_IDS))
    record["client_id"] = (client_id, None)
    return RowWork.of_record(record, client_id, "," if comma else ".", "t.csv", 7)


def _outcome(call: object) -> tuple[str, object]:
    try:
        return "ok", call()  # type: ignore[operator]
    except InputError as exc:
        return "error", exc.one_line()


def _exact(metrics: Metrics) -> tuple[object, ...]:
    """Metrics compared to the digit and the type (Decimal('1.0') is not Decimal('1'))."""
    values = tuple((name, type(value).__name__, str(value)) for name, value in metrics.values.items())
    return metrics.as_of, values, tuple(metrics.unavailable.items()), metrics.supplied


def _exact_facts(facts: RowFacts) -> tuple[object, ...]:
    return facts.client_id, facts.jurisdiction, facts.currency, _exact(facts.metrics)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows(), st.sampled_from([None, AS_OF]))
def test_direct_row_path_matches_the_profile_path(row: RowWork, as_of: date | None) -> None:
    direct = _outcome(lambda: _exact_facts(row.facts(as_of)))
    via_profile = _outcome(lambda: _exact_facts(RowFacts.of(row.profile(), as_of)))
    assert direct == via_profile


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows(), st.sampled_from([None, AS_OF]))
def test_quick_check_vouches_only_for_valid_rows(row: RowWork, as_of: date | None) -> None:
    """The quick check alone (no fallback): whatever it accepts, Profile validation accepts with the
    same values."""
    try:
        data = table._row_data(row.record, row.client_id, row.decimal_mark, row.source, row.line)
        quick = table._row_facts(data, as_of)
    except (InputError, table._Unusual):
        return
    assert _exact_facts(quick) == _exact_facts(RowFacts.of(row.profile(), as_of))


def test_a_plain_row_takes_the_direct_path() -> None:
    cells = {
        "jurisdiction": "CN",
        "monthly_income": "12000",
        "score": "612",
        "inquiries_6m": "3",
        "as_of": "2026-11-01",
    }
    record: dict[str, tuple[str, Decimal | None]] = {k: (v, None) for k, v in cells.items()}
    data = table._row_data(record, "C-1", ".", "t.csv", 2)
    facts = table._row_facts(data, None)
    assert facts.metrics.as_of == date(2026, 11, 1)
    assert facts.metrics.values["score_pct"] == Decimal(262) / 600
    assert facts.metrics.unavailable["total_debt"] == "debts not given"


@pytest.mark.parametrize(
    ("cells", "error"),
    [
        ({"jurisdiction": "USA"}, "t.csv:2: jurisdiction: expected a two-letter country code such as CN or US"),
        (
            {"jurisdiction": "USA", "as_of": "2026-02-30"},
            "t.csv:2: jurisdiction: expected a two-letter country code such as CN or US (and 1 more error)",
        ),
        (
            {"score": "612", "score_scale": "bogus"},
            "t.csv:2: score_scale: must be one of 'sesame', 'fico' or 'vantage'",
        ),
        ({"jurisdiction": "CN", "score": "999"}, "t.csv:2: score: a sesame score lies between 350 and 950"),
        ({"jurisdiction": "USA", "total_debt": "abc"}, "t.csv:2: total_debt: not an amount"),
    ],
)
def test_bad_rows_give_the_profile_paths_errors(cells: dict[str, str], error: str) -> None:
    record: dict[str, tuple[str, Decimal | None]] = {k: (v, None) for k, v in cells.items()}
    work = RowWork.of_record(record, "C-1", ".", "t.csv", 2)
    with pytest.raises(InputError) as direct:
        work.facts(AS_OF)
    with pytest.raises(InputError) as via_profile:
        work.profile()
    assert direct.value.one_line() == via_profile.value.one_line() == error


def _generic(profile: Profile, as_of: date) -> Metrics:
    """compute_metrics without its shortcut for profiles with no records: every derivation runs."""
    ctx = _Context(profile, as_of)
    supplied = profile.metrics or {}
    values, reasons = {}, {}
    for name, derive in _DERIVATIONS.items():
        if name not in supplied:
            try:
                values[name] = derive(ctx)
            except MetricUnavailable as exc:
                reasons[name] = str(exc)
    assert set(_COMBINED) <= set(table.CATALOGUE)
    return _combined(as_of, supplied, values, reasons, profile.score.scale if profile.score else None)


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"income": {"annual": 120000, "verified": True}},
        {"client": {"jurisdiction": "US"}, "score": {"value": 700, "scale": "fico"}, "metrics": {"total_debt": 5}},
        {"income": {"monthly": 0}, "metrics": {"monthly_debt_payments": 10, "revolving_limit": 0, "score": 400}},
    ],
)
def test_record_free_profiles_get_what_every_derivation_says(data: dict[str, object]) -> None:
    profile = Profile.model_validate(data)
    assert _exact(compute_metrics(profile, AS_OF)) == _exact(_generic(profile, AS_OF))


def _amount(parse: object) -> str:
    try:
        return str(parse())  # type: ignore[operator]
    except ValueError as exc:
        return f"error: {exc}"


@given(st.text(alphabet="0123456789.,", max_size=60), st.sampled_from([".", ","]))
def test_plain_amounts_parse_as_the_full_parser_does(text: str, mark: str) -> None:
    fast = _amount(lambda: parse_amount(text, decimal_mark=mark))
    assert fast == _amount(lambda: _parse_text(text, mark))
