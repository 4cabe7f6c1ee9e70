"""The profile: one person's debts, repayment history, income, score and credit inquiries.

Frozen records, unknown fields forbidden, strict types: what the loaders produce and what metrics
read. Money is ``Decimal``; dates are ``date``; history is normalised to PBOC month codes. Only
``id`` and ``balance`` are required on a debt, and nothing at the top level: a missing field makes
the metrics that need it unavailable, never an error and never a guess.

The records are plain classes, not pydantic models: defining pydantic models costs about 30 ms of
every run (``pydantic.main``, ``pydantic.fields``, ``pydantic.types``), more than the rest of a
``metrics`` run. They are validated by a ``pydantic_core.SchemaValidator`` built from the pydantic
definition of the profile (:mod:`creditfix.profile_schema`, which uses the checks below) and kept
in the per-user cache (:mod:`creditfix.cache`); only building it (a first run, an upgrade, the
cache turned off) imports pydantic's models. The records offer what the code and callers use of
pydantic's model API: ``model_validate``, ``model_copy``, ``model_construct``, ``model_dump``,
``model_fields`` and keyword construction (``Debt(id="a", balance=1)`` validates); they compare
equal to the pydantic models of :mod:`creditfix.profile_schema` with the same values.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any, Literal

from creditfix.dates import DateError, parse_date, parse_month
from creditfix.errors import did_you_mean, safe_name
from creditfix.money import AmountError, checked_number, parse_amount, parse_rate

if TYPE_CHECKING:
    from typing import Protocol, Self

    from pydantic_core import SchemaValidator
    from pydantic_core.core_schema import ValidationInfo

    class _HasJurisdiction(Protocol):
        @property
        def jurisdiction(self) -> str | None: ...


_Day = date  # a field named ``date`` shadows the type in its class

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
PublicRecordType = Literal["bankruptcy"]
BankruptcyChapter = Literal[7, 11, 12, 13]
EventType = Literal["lump_sum", "raise", "budget", "promo_end", "new_debt"]

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

#: The fields each kind of event needs, and may have (besides ``date``, ``type`` and ``note``).
EVENT_FIELDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "lump_sum": (frozenset({"amount"}), frozenset({"amount", "debt"})),
    "raise": (frozenset({"amount"}), frozenset({"amount"})),
    "budget": (frozenset({"amount"}), frozenset({"amount"})),
    "promo_end": (frozenset({"debt", "apr"}), frozenset({"debt", "apr"})),
    "new_debt": (frozenset({"account"}), frozenset({"account"})),
}

#: Validation context key: the profile's ``metrics`` values are converted already (a table row).
CONVERTED = "metrics_converted"


class LocatedValueError(ValueError):
    """A cross-field error that knows which field it belongs to (the loader maps it to a line)."""

    def __init__(self, loc: tuple[str | int, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


# --- Field checks (the pydantic definition in creditfix.profile_schema puts them on the fields) ---


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


# --- Records -------------------------------------------------------------------------------------


class _RecordType(type):
    """The records' metaclass: each record class knows its fields (its annotations, in order), the
    required ones (those without a class-level default), and its pydantic definition's fields."""

    field_names: tuple[str, ...]
    required: frozenset[str]

    def __init__(cls, name: str, bases: tuple[type, ...], namespace: dict[str, Any]) -> None:
        super().__init__(name, bases, namespace)
        cls.field_names = tuple(namespace.get("__annotations__", {}))
        cls.required = frozenset(n for n in cls.field_names if n not in namespace)

    @property
    def model_fields(cls) -> dict[str, Any]:
        """The pydantic ``FieldInfo`` of each field (imports pydantic's models)."""
        from creditfix.profile_schema import twin

        return twin(cls).model_fields


class Record(metaclass=_RecordType):
    """A frozen record validated by a schema made from its pydantic definition. pydantic-core fills
    ``__dict__`` (every field) and the three slots below, as it does for a pydantic model."""

    __slots__ = ("__dict__", "__pydantic_extra__", "__pydantic_fields_set__", "__pydantic_private__")

    def __init__(self, **data: Any) -> None:
        cls = type(self)
        if data or cls.required:
            state = cls.model_validate(data).__dict__
        else:  # all defaults: as pydantic, no field check runs on a default
            state = {name: getattr(cls, name) for name in cls.field_names}
        _set_state(self, state, set(data))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen: use model_copy(update=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if type(other) is type(self):
            return self.__dict__ == other.__dict__
        if _is_twin(type(self), type(other)):
            return all(getattr(self, name) == getattr(other, name) for name in type(self).field_names)
        return NotImplemented

    def __hash__(self) -> int:
        return hash((type(self).__name__, *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __reduce__(self) -> tuple[Any, ...]:
        return _rebuild, (type(self), self.__dict__, getattr(self, "__pydantic_fields_set__", None))

    @property
    def model_fields_set(self) -> set[str]:
        """The fields given when this record was made (not defaulted)."""
        return set(getattr(self, "__pydantic_fields_set__", None) or ())

    @classmethod
    def model_validate(cls, obj: Any, *, strict: bool | None = None, context: Any = None) -> Self:
        """Validate *obj* (a mapping of fields) into a record, or raise ``pydantic.ValidationError``."""
        record: Self = validator_of(cls).validate_python(obj, strict=strict, context=context)
        return record

    @classmethod
    def model_construct(cls, _fields_set: set[str] | None = None, **values: Any) -> Self:
        """A record from *values* as given, defaults for the rest, nothing checked."""
        record = cls.__new__(cls)
        state = {name: values[name] if name in values else getattr(cls, name, None) for name in cls.field_names}
        _set_state(record, state, set(values) if _fields_set is None else _fields_set)
        return record

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy with the fields in *update* replaced (not validated, as with pydantic)."""
        import copy

        state = {**self.__dict__, **(update or {})}
        if deep:
            state = copy.deepcopy(state)
        record = type(self).__new__(type(self))
        _set_state(record, state, self.model_fields_set | set(update or ()))
        return record

    def model_dump(self) -> dict[str, Any]:
        """The fields as a dict, nested records as dicts (tuples stay tuples, as with pydantic)."""
        return {name: _dump(value) for name, value in self.__dict__.items()}


def _set_state(record: Record, state: dict[str, Any], fields_set: set[str]) -> None:
    object.__setattr__(record, "__dict__", state)
    object.__setattr__(record, "__pydantic_fields_set__", fields_set)
    object.__setattr__(record, "__pydantic_extra__", None)
    object.__setattr__(record, "__pydantic_private__", None)


def _rebuild(cls: type[Record], state: dict[str, Any], fields_set: set[str] | None) -> Record:
    record = cls.__new__(cls)
    _set_state(record, dict(state), set(fields_set or ()))
    return record


def _dump(value: object) -> object:
    if isinstance(value, Record):
        return value.model_dump()
    if isinstance(value, tuple):
        return tuple(_dump(v) for v in value)
    if isinstance(value, list):
        return [_dump(v) for v in value]
    if isinstance(value, dict):
        return {k: _dump(v) for k, v in value.items()}
    return value


def _is_twin(record: type, other: type) -> bool:
    """Whether *other* is the pydantic definition of the record class *record*."""
    schema = sys.modules.get("creditfix.profile_schema")
    return schema is not None and getattr(schema, record.__name__, None) is other


class Client(Record):
    """Who the profile belongs to. Every field is optional; ``id`` defaults to the file stem."""

    id: str | None = None
    name: str | None = None
    jurisdiction: str | None = None
    currency: str | None = None


class IncomeProperties:
    """What an income (record or pydantic model) tells beyond its fields."""

    __slots__ = ()
    if TYPE_CHECKING:  # the fields it reads (annotations here would be fields of the pydantic model)
        monthly: Decimal | None
        annual: Decimal | None

    @property
    def monthly_amount(self) -> Decimal:
        """Monthly net income (annual / 12 when only annual is given)."""
        return monthly_amount(self.monthly, self.annual)


class Income(IncomeProperties, Record):
    """Income (CN: take-home; US: gross, before tax). ``verified``: proof of income has been given to
    lenders (None: not said, so not assumed either way)."""

    monthly: Decimal | None = None
    annual: Decimal | None = None
    verified: bool | None = None


def monthly_amount(monthly: Decimal | None, annual: Decimal | None) -> Decimal:
    """Monthly net income from what was given: the monthly amount, else annual / 12 to the cent (a
    money amount, written as such: 68,000 a year is 5,666.67 a month, not 5,666.666...)."""
    if monthly is not None:
        return monthly
    assert annual is not None
    return (annual / 12).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


class Score(Record):
    """A credit score and its scale (Sesame 350-950, FICO/VantageScore 300-850)."""

    value: int
    scale: ScoreScale
    date: _Day | None = None


class DebtProperties:
    """What a debt (record or pydantic model) tells beyond its fields."""

    __slots__ = ()
    if TYPE_CHECKING:  # the fields it reads (annotations here would be fields of the pydantic model)
        type: DebtType

    @property
    def revolving(self) -> bool:
        """Cards and credit lines: a balance drawn against a limit."""
        return self.type in REVOLVING_TYPES


class Debt(DebtProperties, Record):
    """One credit account: a card, a credit line, a loan."""

    id: str
    lender: str | None = None
    type: DebtType = "other"
    balance: Decimal
    limit: Decimal | None = None
    apr: Decimal | None = None
    min_payment: Decimal | None = None
    status: DebtStatus = "open"
    opened: _Day | None = None
    closed: _Day | None = None
    past_due: Decimal | None = None
    history: tuple[str, ...] | None = None
    history_end: int | None = None
    first_delinquency: int | None = None
    medical: bool | None = None


class Payment(Record):
    """One due repayment: when it was due, when (if ever) it was paid."""

    debt: str
    due: _Day
    paid: _Day | None = None
    amount: Decimal | None = None


class InquiryProperties:
    """What an inquiry (record or pydantic model) tells beyond its fields."""

    __slots__ = ()
    if TYPE_CHECKING:  # the fields it reads (annotations here would be fields of the pydantic model)
        reason: InquiryReason | None
        hard: bool | None

    @property
    def is_hard(self) -> bool:
        """Whether lenders see this as an application for credit."""
        if self.hard is not None:
            return self.hard
        return self.reason in HARD_REASONS


class Inquiry(InquiryProperties, Record):
    """A credit report inquiry. Hard or soft is decided by ``reason`` unless ``hard`` says so."""

    date: _Day
    by: str | None = None
    reason: InquiryReason | None = None
    hard: bool | None = None


class PublicRecord(Record):
    """A public record on the credit report: a bankruptcy, with its chapter (US), the date it was
    filed and, if granted, the date of the discharge. A dismissed case is still a record."""

    type: PublicRecordType
    chapter: BankruptcyChapter | None = None
    filed: _Day
    discharged: _Day | None = None


class Event(Record):
    """Something that will happen on a date, which payoff and simulation honour.

    - ``lump_sum``: ``amount`` paid once that month on top of the budget (to ``debt`` first if given);
    - ``raise``: the monthly budget grows by ``amount`` from that month on;
    - ``budget``: the monthly budget becomes ``amount`` from that month on (a pay cut, a new job);
    - ``promo_end``: ``debt``'s APR becomes ``apr`` from that month's interest on;
    - ``new_debt``: ``account`` (a debt) is taken on that month; interest and its minimum start the
      month after.
    """

    date: _Day
    type: EventType
    amount: Decimal | None = None
    debt: str | None = None
    apr: Decimal | None = None
    account: Debt | None = None
    note: str | None = None


class ProfileProperties:
    """What a profile (record or pydantic model) tells beyond its fields."""

    __slots__ = ()
    if TYPE_CHECKING:  # the fields it reads (annotations here would be fields of the pydantic model)
        client: _HasJurisdiction

    @property
    def jurisdiction(self) -> str | None:
        """The client's two-letter country code, if given."""
        return self.client.jurisdiction


class Profile(ProfileProperties, Record):
    """A person's credit situation on a date."""

    creditfix: Literal[1] = 1
    client: Client = Client()
    as_of: _Day | None = None
    income: Income | None = None
    score: Score | None = None
    debts: tuple[Debt, ...] | None = None
    payments: tuple[Payment, ...] | None = None
    inquiries: tuple[Inquiry, ...] | None = None
    public_records: tuple[PublicRecord, ...] | None = None
    events: tuple[Event, ...] | None = None
    metrics: dict[str, Decimal | bool | int] | None = None


# --- Cross-field checks (run after the fields, on the record) -----------------------------------


def _income_check(self: Income) -> Income:
    if self.monthly is None and self.annual is None:
        raise ValueError("give monthly or annual income")
    return self


def _score_check(self: Score) -> Score:
    low, high = SCORE_RANGES[self.scale]
    if not low <= self.value <= high:
        raise ValueError(f"a {self.scale} score lies between {low} and {high}")
    return self


def _debt_check(self: Debt) -> Debt:
    if self.limit == 0 and self.balance > 0 and self.status in ("open", "frozen"):
        raise LocatedValueError(
            ("limit",), "is 0 while the balance is positive; give the limit the balance was drawn against"
        )
    if self.opened and self.closed and self.closed < self.opened:
        raise LocatedValueError(("closed",), "is before opened")
    return self


def _inquiry_check(self: Inquiry) -> Inquiry:
    if self.reason is None and self.hard is None:
        raise ValueError("give a reason (e.g. loan_application, post_loan) or hard: true/false")
    return self


def _public_record_check(self: PublicRecord) -> PublicRecord:
    if self.discharged is not None and self.discharged < self.filed:
        raise LocatedValueError(("discharged",), "is before filed")
    return self


def _event_check(self: Event) -> Event:
    needed, allowed = EVENT_FIELDS[self.type]
    for name in ("amount", "debt", "apr", "account"):
        given = getattr(self, name) is not None
        if given and name not in allowed:
            raise LocatedValueError((name,), f"is not used by a {self.type} event")
        if not given and name in needed:
            raise LocatedValueError((name,), f"a {self.type} event needs {name}")
    account = self.account
    if account is not None:  # a new debt starts up to date, with no record yet
        for name in ("history", "history_end", "closed", "first_delinquency"):
            if getattr(account, name) is not None:
                raise LocatedValueError(("account", name), "a new debt has none yet")
        if account.past_due:
            raise LocatedValueError(("account", "past_due"), "a new debt has nothing past due")
        if account.status != "open":
            raise LocatedValueError(("account", "status"), "a new debt is open")
    return self


def _profile_check(self: Profile) -> Profile:
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
            raise LocatedValueError(("events", index, "date"), "is not after the new_debt event that opens this debt")
    if self.as_of is not None:
        for index, debt in enumerate(self.debts or ()):
            if debt.opened and debt.opened > self.as_of:
                raise LocatedValueError(("debts", index, "opened"), "is after as_of")
        for index, record in enumerate(self.public_records or ()):
            if record.filed > self.as_of:
                raise LocatedValueError(("public_records", index, "filed"), "is after as_of")
    return self


# --- Validators -----------------------------------------------------------------------------------

#: The records, by name (the pydantic definition has a model of each name).
RECORDS: dict[str, type[Record]] = {
    cls.__name__: cls for cls in (Client, Income, Score, Debt, Payment, Inquiry, PublicRecord, Event, Profile)
}
#: The modules whose code decides what the profile validator does (the cache key stamps them).
VALIDATOR_MAKERS = ("model", "profile_schema")


def profile_validator() -> SchemaValidator:
    """What validates a profile into a :class:`Profile`: built from the pydantic definition on
    first use (~30 ms of imports and ~20 ms of building), so it is kept in the per-user cache
    (creditfix/cache.py), keyed by the code of this module and of the definition, and the pydantic
    version. Loading it from there imports none of pydantic's models."""
    global _validator
    if _validator is not None:
        return _validator
    from pydantic_core import SchemaValidator

    from creditfix import cache

    name = "profile-validator-" + cache.key(VALIDATOR_MAKERS)
    found = cache.load(name)
    if isinstance(found, SchemaValidator):
        _validator = found
        return found
    from creditfix.profile_schema import record_validator

    built = record_validator(Profile)
    cache.store(name, built, kind="profile-validator")
    _validator = built
    return built


_validator: SchemaValidator | None = None
_validators: dict[type[Record], SchemaValidator] = {}


def validator_of(cls: type[Record]) -> SchemaValidator:
    """The validator of a record class (the profile's is cached; the others are built in-process)."""
    if cls is Profile:
        return profile_validator()
    found = _validators.get(cls)
    if found is None:
        from creditfix.profile_schema import record_validator

        found = _validators[cls] = record_validator(cls)
    return found


def __getattr__(name: str) -> Any:
    # The pydantic pieces (``Finite``, ``Money``...) live in creditfix.profile_schema; importing one
    # from here still works (and imports pydantic's models then).
    if name in ("Finite", "Money", "Rate", "Day", "Month", "Text", "History", "Jurisdiction", "Currency"):
        from creditfix import profile_schema

        return getattr(profile_schema, name)
    raise AttributeError(f"module 'creditfix.model' has no attribute {name!r}")
