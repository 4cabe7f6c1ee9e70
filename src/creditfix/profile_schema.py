"""The pydantic definition of the profile: the one source of its fields, types, defaults and checks.

Pydantic models, frozen, unknown fields forbidden, strict types. The checks are the functions of
:mod:`creditfix.model`, and so are the properties. What the loaders produce is not these models
but the records of :mod:`creditfix.model` (plain classes with the same fields): the validator that
makes them (:func:`record_validator`) is pydantic's schema of these models with each model class
swapped for its record class. ``tests/test_model.py`` proves each record has the fields and
defaults of its model. Importing this module imports pydantic's models (~30 ms), which a run needs
only when the cached validator is missing; the JSON Schema of a profile is made from here.
"""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from creditfix import model
from creditfix.model import (
    BankruptcyChapter,
    DebtStatus,
    DebtType,
    EventType,
    InquiryReason,
    PublicRecordType,
    ScoreScale,
    _as_tuple,
    _currency,
    _date,
    _finite,
    _history,
    _jurisdiction,
    _metric_values,
    _money,
    _month,
    _not_blank,
    _rate,
    _text,
)

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator

#: Put on a setting's type: its numbers checked by :func:`creditfix.model._finite`.
Finite = BeforeValidator(_finite)
Money = Annotated[Decimal, BeforeValidator(_money)]
Rate = Annotated[Decimal, BeforeValidator(_rate)]
Day = Annotated[date, BeforeValidator(_date)]
Month = Annotated[int, BeforeValidator(_month, json_schema_input_type=str)]
Text = Annotated[str, BeforeValidator(_text, json_schema_input_type=str | int), AfterValidator(_not_blank)]
History = Annotated[tuple[str, ...], BeforeValidator(_history, json_schema_input_type=str | list[str | int])]
Jurisdiction = Annotated[str, BeforeValidator(_jurisdiction)]
Currency = Annotated[str, BeforeValidator(_currency)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, hide_input_in_errors=True, defer_build=True)


class Client(_Model):
    __doc__ = model.Client.__doc__  # one text for the record and its model

    id: Text | None = None
    name: Text | None = None
    jurisdiction: Jurisdiction | None = None
    currency: Currency | None = None


class Income(_Model, model.IncomeProperties):
    __doc__ = model.Income.__doc__  # one text for the record and its model

    monthly: Money | None = None
    annual: Money | None = None
    verified: bool | None = None

    _one_amount = model_validator(mode="after")(model._income_check)


class Score(_Model):
    __doc__ = model.Score.__doc__  # one text for the record and its model

    value: int
    scale: ScoreScale
    date: Day | None = None

    _in_range = model_validator(mode="after")(model._score_check)


class Debt(_Model, model.DebtProperties):
    __doc__ = model.Debt.__doc__  # one text for the record and its model

    id: Text
    lender: Text | None = None
    type: DebtType = "other"
    balance: Money
    limit: Money | None = None
    apr: Rate | None = None
    min_payment: Money | None = None
    status: DebtStatus = "open"
    opened: Day | None = None
    closed: Day | None = None
    past_due: Money | None = None
    history: History | None = None
    history_end: Month | None = Field(default=None, description="month of the last history code (YYYY-MM)")
    first_delinquency: Month | None = Field(
        default=None, description="month the delinquency began, as a US report gives it (YYYY-MM)"
    )
    medical: bool | None = Field(default=None, description="a medical bill (US: collections reported apart)")

    _consistent = model_validator(mode="after")(model._debt_check)


class Payment(_Model):
    __doc__ = model.Payment.__doc__  # one text for the record and its model

    debt: Text
    due: Day
    paid: Day | None = None
    amount: Money | None = None


class Inquiry(_Model, model.InquiryProperties):
    __doc__ = model.Inquiry.__doc__  # one text for the record and its model

    date: Day
    by: Text | None = None
    reason: InquiryReason | None = None
    hard: bool | None = None

    _decidable = model_validator(mode="after")(model._inquiry_check)


class PublicRecord(_Model):
    __doc__ = model.PublicRecord.__doc__  # one text for the record and its model

    type: PublicRecordType
    chapter: BankruptcyChapter | None = Field(default=None, description="US bankruptcy chapter: 7, 11, 12 or 13")
    filed: Day
    discharged: Day | None = None

    _dates = model_validator(mode="after")(model._public_record_check)


class Event(_Model):
    __doc__ = model.Event.__doc__  # one text for the record and its model

    date: Day
    type: EventType
    amount: Money | None = None
    debt: Text | None = None
    apr: Rate | None = None
    account: Debt | None = None
    note: Text | None = None

    _fields_for_type = model_validator(mode="after")(model._event_check)


class Profile(_Model, model.ProfileProperties):
    __doc__ = model.Profile.__doc__  # one text for the record and its model

    creditfix: Literal[1] = 1
    client: Client = Field(default_factory=Client)
    as_of: Day | None = None
    income: Income | None = None
    score: Score | None = None
    debts: Annotated[tuple[Debt, ...], BeforeValidator(_as_tuple)] | None = None
    payments: Annotated[tuple[Payment, ...], BeforeValidator(_as_tuple)] | None = None
    inquiries: Annotated[tuple[Inquiry, ...], BeforeValidator(_as_tuple)] | None = None
    public_records: Annotated[tuple[PublicRecord, ...], BeforeValidator(_as_tuple)] | None = Field(
        default=None, description="bankruptcies on the report (an empty list: none)"
    )
    events: Annotated[tuple[Event, ...], BeforeValidator(_as_tuple)] | None = Field(
        default=None, description="future events that payoff and simulate honour"
    )
    metrics: Annotated[dict[str, Decimal | bool | int], BeforeValidator(_metric_values)] | None = Field(
        default=None, description="metric values given directly (a bureau summary or a client-table row)"
    )

    _references = model_validator(mode="after")(model._profile_check)


#: The pydantic model of each record class, by name.
MODELS: dict[str, type[_Model]] = {
    cls.__name__: cls for cls in (Client, Income, Score, Debt, Payment, Inquiry, PublicRecord, Event, Profile)
}


def twin(record: type) -> type[_Model]:
    """The pydantic model that defines the record class *record*."""
    return MODELS[record.__name__]


def record_validator(record: type[model.Record]) -> SchemaValidator:
    """A validator that makes *record* instances: pydantic's schema of its model, each model class
    in it (as the class to make, or a default factory) swapped for its record class, and without
    the schema's ``metadata`` (what pydantic keeps there is for JSON Schema, and refers to the
    models; validation never reads it)."""
    from pydantic_core import SchemaValidator

    definition = twin(record)
    definition.model_rebuild()
    reduced: Any = definition.__pydantic_validator__.__reduce__()  # (SchemaValidator, (schema, config, ...))
    schema, config = reduced[1][0], reduced[1][1]
    swap = {id(MODELS[name]): cls for name, cls in model.RECORDS.items()}
    return SchemaValidator(_swapped(copy.deepcopy(schema), swap), config)


def _swapped(node: Any, swap: dict[int, type[model.Record]]) -> Any:
    if isinstance(node, dict):
        return {key: _swapped(value, swap) for key, value in node.items() if key != "metadata"}
    if isinstance(node, list):
        return [_swapped(value, swap) for value in node]
    if isinstance(node, type) and id(node) in swap:
        return swap[id(node)]
    return node
