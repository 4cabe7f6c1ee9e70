"""The profile: one person's debts, repayment history, income, score and credit inquiries.

Pydantic models, frozen, unknown fields forbidden, strict types: what the loaders produce and what
metrics read. Money is ``Decimal``; dates are ``date``; history is normalised to PBOC month codes.
Only ``id`` and ``balance`` are required on a debt, and nothing at the top level: a missing field
makes the metrics that need it unavailable, never an error and never a guess.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator

from creditfix.dates import DateError, parse_date, parse_month
from creditfix.errors import did_you_mean, safe_name
from creditfix.money import AmountError, checked_number, parse_amount, parse_rate

if TYPE_CHECKING:
    from pydantic_core import SchemaValidator

DebtType = Literal["card", "credit_line", "personal_loan", "mortgage", "auto", "student", "business", "other"]
DebtStatus = Literal["open", "closed", "closed_by_lender", "frozen", "collection", "charged_off", "settled"]
InquiryReason = Literal[
    "loan_application",
    "card_application",
    "guarantee",
    "mortgage_application",
    "auto_application",
    "student_application",
    "post_loan",
    "self",
    "employment",
    "insurance",
    "prequalification",
]
ScoreScale = Literal["sesame", "fico", "vantage"]

#: Revolving debts: a balance drawn against a limit (utilisation applies).
REVOLVING_TYPES: frozenset[str] = frozenset({"card", "credit_line"})
#: Hard inquiries are those made for a credit decision; the rest are soft (DOMAIN.md: bank practice,
#: myFICO). Clicking "check my limit" in a lending app is a loan application.
HARD_REASONS: frozenset[str] = frozenset(
    {
        "loan_application",
        "card_application",
        "guarantee",
        "mortgage_application",
        "auto_application",
        "student_application",
    }
)
#: Score ranges by scale: Sesame 350-950, FICO and VantageScore 300-850 (DOMAIN.md).
SCORE_RANGES: dict[str, tuple[int, int]] = {"sesame": (350, 950), "fico": (300, 850), "vantage": (300, 850)}

#: PBOC repayment-grid codes. 1-7 are months past due (1 = 1-30 days ... 7 = 180+ days).
HISTORY_CODES = frozenset("N1234567*C#DZGB")
LATE_CODES = frozenset("1234567B")
_PLAIN_HISTORY = re.compile(r"[N1-7*C#DZGB]+")
#: US tokens and the PBOC code they equal (counting missed payments: "30" = one missed = "1").
US_TOKENS = {"OK": "N", "30": "1", "60": "2", "90": "3", "120": "4", "150": "5", "180": "6", "CO": "B"}


class LocatedValueError(ValueError):
    """A cross-field error that knows which field it belongs to (the loader maps it to a line)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


def _money(value: object) -> Decimal:
    try:
        amount = parse_amount(value)
    except AmountError as exc:
        raise ValueError(str(exc)) from None
    if amount < 0:
        raise ValueError("must not be negative")
    return amount


def _rate(value: object) -> Decimal:
    try:
        rate = parse_rate(value)
    except AmountError as exc:
        raise ValueError(str(exc)) from None
    if rate < 0:
        raise ValueError("must not be negative")
    return rate


def _date(value: object) -> date:
    if isinstance(value, (bool, int)):
        raise ValueError("expected a date written as YYYY-MM-DD, not a number")
    try:
        return parse_date(value)
    except DateError as exc:
        raise ValueError(str(exc)) from None


def _month(value: object) -> int:
    try:
        return parse_month(value)
    except DateError as exc:
        raise ValueError(str(exc)) from None


def _text(value: object) -> object:
    # Identifiers typed without quotes arrive as integers (``id: 42``); they are still text.
    # Leading zeros survive because the YAML loader keeps ``0012345`` as text.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _history(value: object) -> tuple[str, ...]:
    """Normalise a repayment history to PBOC codes, oldest month first."""
    if isinstance(value, str) and len(value) <= 600 and _PLAIN_HISTORY.fullmatch(value):
        return tuple(value)  # already one PBOC code per character (the common case)
    if isinstance(value, str):
        pieces = [p for p in re.split(r"[\s,]+", value.strip().upper()) if p]
        # One month as a US token ("OK", "120") is never a PBOC string: each has an O or a 0.
        one_us_token = len(pieces) == 1 and pieces[0] in US_TOKENS
        if one_us_token or (len(pieces) > 1 and all(p in US_TOKENS or p in HISTORY_CODES for p in pieces)):
            tokens = pieces  # "OK OK 30 OK" or "N, N, 1"
        else:
            tokens = list("".join(pieces))  # "NNNN 1NNN": one code per character
    elif isinstance(value, (list, tuple)):
        tokens = []
        for item in value:
            if isinstance(item, bool) or not isinstance(item, (str, int)):
                raise ValueError("history items must be status codes")
            tokens.append(str(item).strip().upper())
    else:
        raise ValueError("expected a string of status codes or a list of them")
    codes = []
    for position, token in enumerate(t for t in tokens if t):
        code = US_TOKENS.get(token, token)
        if code not in HISTORY_CODES:
            raise ValueError(
                f"unknown status code at month {position + 1} "
                "(allowed: N 1-7 * C # D Z G B, or OK 30 60 90 120 150 180 CO)"
            )
        codes.append(code)
    if len(codes) > 600:
        raise ValueError("more than 600 months of history")
    return tuple(codes)


def _jurisdiction(value: object) -> object:
    if isinstance(value, str):
        code = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise ValueError("expected a two-letter country code such as CN or US")
        return code
    return value


def _currency(value: object) -> object:
    if isinstance(value, str):
        code = value.strip().upper()
        if not re.fullmatch(r"[A-Z]{3}", code):
            raise ValueError("expected a three-letter currency code such as CNY or USD")
        return code
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    if len(value) > 200:
        raise ValueError("longer than 200 characters")
    return value.strip()


def _as_tuple(value: object) -> object:
    # YAML gives lists; the models keep immutable tuples.
    return tuple(value) if isinstance(value, list) else value


def _finite(value: object) -> object:
    """A number given as a setting (a config or pack param) is finite and of at most ``MAX_DIGITS``
    digits, like an amount: ``.nan``, ``.inf`` and ``1e400`` are refused; other values pass."""
    if isinstance(value, Decimal):
        try:
            return checked_number(value, "number")
        except AmountError as exc:
            raise ValueError(str(exc)) from None
    return value


#: Put on a setting's type: its numbers checked by :func:`_finite`.
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
    """Who the profile belongs to. Every field is optional; ``id`` defaults to the file stem."""

    id: Text | None = None
    name: Text | None = None
    jurisdiction: Jurisdiction | None = None
    currency: Currency | None = None


class Income(_Model):
    """Net income. ``verified`` means proof of income has been given to lenders."""

    monthly: Money | None = None
    annual: Money | None = None
    verified: bool = False

    @model_validator(mode="after")
    def _one_amount(self) -> Income:
        if self.monthly is None and self.annual is None:
            raise ValueError("give monthly or annual income")
        return self

    @property
    def monthly_amount(self) -> Decimal:
        """Monthly net income (annual / 12 when only annual is given)."""
        return monthly_amount(self.monthly, self.annual)


def monthly_amount(monthly: Decimal | None, annual: Decimal | None) -> Decimal:
    """Monthly net income from what was given: the monthly amount, else annual / 12."""
    if monthly is not None:
        return monthly
    assert annual is not None
    return annual / 12


class Score(_Model):
    """A credit score and its scale (Sesame 350-950, FICO/VantageScore 300-850)."""

    value: int
    scale: ScoreScale
    date: Day | None = None

    @model_validator(mode="after")
    def _in_range(self) -> Score:
        low, high = SCORE_RANGES[self.scale]
        if not low <= self.value <= high:
            raise ValueError(f"a {self.scale} score lies between {low} and {high}")
        return self


class Debt(_Model):
    """One credit account: a card, a credit line, a loan."""

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

    @model_validator(mode="after")
    def _consistent(self) -> Debt:
        if self.limit == 0 and self.balance > 0 and self.status in ("open", "frozen"):
            raise LocatedValueError(
                ("limit",), "is 0 while the balance is positive; give the limit the balance was drawn against"
            )
        if self.opened and self.closed and self.closed < self.opened:
            raise LocatedValueError(("closed",), "is before opened")
        return self

    @property
    def revolving(self) -> bool:
        """Cards and credit lines: a balance drawn against a limit."""
        return self.type in REVOLVING_TYPES


class Payment(_Model):
    """One due repayment: when it was due, when (if ever) it was paid."""

    debt: Text
    due: Day
    paid: Day | None = None
    amount: Money | None = None


class Inquiry(_Model):
    """A credit report inquiry. Hard or soft is decided by ``reason`` unless ``hard`` says so."""

    date: Day
    by: Text | None = None
    reason: InquiryReason | None = None
    hard: bool | None = None

    @model_validator(mode="after")
    def _decidable(self) -> Inquiry:
        if self.reason is None and self.hard is None:
            raise ValueError("give a reason (e.g. loan_application, post_loan) or hard: true/false")
        return self

    @property
    def is_hard(self) -> bool:
        """Whether lenders see this as an application for credit."""
        if self.hard is not None:
            return self.hard
        return self.reason in HARD_REASONS


EventType = Literal["lump_sum", "raise", "budget", "promo_end", "new_debt"]
#: The fields each kind of event needs, and may have (besides ``date``, ``type`` and ``note``).
EVENT_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "lump_sum": (frozenset({"amount"}), frozenset({"amount", "debt"})),
    "raise": (frozenset({"amount"}), frozenset({"amount"})),
    "budget": (frozenset({"amount"}), frozenset({"amount"})),
    "promo_end": (frozenset({"debt", "apr"}), frozenset({"debt", "apr"})),
    "new_debt": (frozenset({"account"}), frozenset({"account"})),
}


class Event(_Model):
    """Something that will happen on a date, which payoff and simulation honour.

    - ``lump_sum``: ``amount`` paid once that month on top of the budget (to ``debt`` first if given);
    - ``raise``: the monthly budget grows by ``amount`` from that month on;
    - ``budget``: the monthly budget becomes ``amount`` from that month on (a pay cut, a new job);
    - ``promo_end``: ``debt``'s APR becomes ``apr`` from that month's interest on;
    - ``new_debt``: ``account`` (a debt) is taken on that month; interest and its minimum start the
      month after.
    """

    date: Day
    type: EventType
    amount: Money | None = None
    debt: Text | None = None
    apr: Rate | None = None
    account: Debt | None = None
    note: Text | None = None

    @model_validator(mode="after")
    def _fields_for_type(self) -> Event:
        needed, allowed = EVENT_FIELDS[self.type]
        for name in ("amount", "debt", "apr", "account"):
            given = getattr(self, name) is not None
            if given and name not in allowed:
                raise LocatedValueError((name,), f"is not used by a {self.type} event")
            if not given and name in needed:
                raise LocatedValueError((name,), f"a {self.type} event needs {name}")
        account = self.account
        if account is not None:  # a new debt starts up to date, with no record yet
            for name in ("history", "history_end", "closed"):
                if getattr(account, name) is not None:
                    raise LocatedValueError(("account", name), "a new debt has none yet")
            if account.past_due:
                raise LocatedValueError(("account", "past_due"), "a new debt has nothing past due")
            if account.status != "open":
                raise LocatedValueError(("account", "status"), "a new debt is open")
        return self


#: Validation context key: the profile's ``metrics`` values are converted already (a table row).
CONVERTED = "metrics_converted"


def _metric_values(value: object, info: ValidationInfo) -> object:
    """Check names against the catalogue and convert each value by the metric's unit (values that
    a client-table row already converted, by its column map's declared scale, are kept)."""
    if not isinstance(value, dict):
        return value
    from creditfix.metrics import CATALOGUE, coerce_metric

    converted: dict[str, object] = {}
    kept = bool(info.context and info.context.get(CONVERTED))
    for name, raw in value.items():
        if name not in CATALOGUE:
            hint = did_you_mean(name, CATALOGUE) if safe_name(name) else ""
            raise LocatedValueError((name,), f"unknown metric{hint}")
        try:
            converted[name] = raw if kept else coerce_metric(name, raw)
        except ValueError as exc:
            raise LocatedValueError((name,), str(exc)) from None
    return converted


class Profile(_Model):
    """A person's credit situation on a date."""

    creditfix: Literal[1] = 1
    client: Client = Field(default_factory=Client)
    as_of: Day | None = None
    income: Income | None = None
    score: Score | None = None
    debts: Annotated[tuple[Debt, ...], BeforeValidator(_as_tuple)] | None = None
    payments: Annotated[tuple[Payment, ...], BeforeValidator(_as_tuple)] | None = None
    inquiries: Annotated[tuple[Inquiry, ...], BeforeValidator(_as_tuple)] | None = None
    events: Annotated[tuple[Event, ...], BeforeValidator(_as_tuple)] | None = Field(
        default=None, description="future events that payoff and simulate honour"
    )
    metrics: Annotated[dict[str, Decimal | bool | int], BeforeValidator(_metric_values)] | None = Field(
        default=None, description="metric values given directly (a bureau summary or a client-table row)"
    )

    @model_validator(mode="after")
    def _references(self) -> Profile:
        ids = [d.id for d in self.debts or ()]
        seen: set[str] = set()
        for index, debt_id in enumerate(ids):
            if debt_id in seen:
                raise LocatedValueError(("debts", index, "id"), "duplicate debt id")
            seen.add(debt_id)
        for index, payment in enumerate(self.payments or ()):
            if payment.debt not in seen:
                hint = did_you_mean(payment.debt, [i for i in ids if safe_name(i)])
                raise LocatedValueError(("payments", index, "debt"), f"no debt with this id{hint}")
        for index, event in enumerate(self.events or ()):
            if event.type == "new_debt":
                assert event.account is not None
                if event.account.id in seen:
                    raise LocatedValueError(("events", index, "account", "id"), "duplicate debt id")
                seen.add(event.account.id)
        known = [*seen]
        opens = {e.account.id: e.date for e in self.events or () if e.account is not None}
        for index, event in enumerate(self.events or ()):
            if event.debt is not None and event.debt not in seen:
                hint = did_you_mean(event.debt, [i for i in known if safe_name(i)])
                raise LocatedValueError(("events", index, "debt"), f"no debt with this id{hint}")
            if event.debt in opens and event.date <= opens[event.debt]:
                raise LocatedValueError(
                    ("events", index, "date"), "is not after the new_debt event that opens this debt"
                )
        if self.as_of is not None:
            for index, debt in enumerate(self.debts or ()):
                if debt.opened and debt.opened > self.as_of:
                    raise LocatedValueError(("debts", index, "opened"), "is after as_of")
        return self

    @property
    def jurisdiction(self) -> str | None:
        """The client's two-letter country code, if given."""
        return self.client.jurisdiction


def profile_validator() -> SchemaValidator:
    """What ``Profile.model_validate`` runs, ready sooner: pydantic builds it from the models on
    first use (~20 ms, including its plugin lookup), so it is kept in the per-user cache
    (creditfix/cache.py), keyed by this module's code and the pydantic version."""
    global _validator
    if _validator is not None:
        return _validator
    from pydantic_core import SchemaValidator

    from creditfix import cache

    name = "profile-validator-" + cache.key(("model",))
    found = cache.load(name)
    if isinstance(found, SchemaValidator):
        _validator = found
        return found
    Profile.model_rebuild()
    built: SchemaValidator = Profile.__pydantic_validator__  # type: ignore[assignment]
    if type(built) is SchemaValidator:  # not one wrapped for pydantic plugins
        cache.store(name, built, kind="profile-validator")
    _validator = built
    return built


_validator: SchemaValidator | None = None
