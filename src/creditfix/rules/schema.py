"""The rule-pack format (DESIGN §4), validated strictly when a pack loads.

A pack is a YAML file: ``pack`` (its name), ``version``, ``title``, ``jurisdiction`` (absent for
packs that apply everywhere), ``params`` (thresholds a config may override), optional ``weights``
(risk points per severity) and ``grades`` (risk points where each grade starts), and ``rules``.
A rule is one entry: a stable id, what it checks (``when``), how it ranks, its text in en and zh,
its basis and source, and its own test cases.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from creditfix.errors import did_you_mean, safe_name
from creditfix.profile_schema import Finite
from creditfix.rules.consts import HORIZONS as HORIZONS
from creditfix.rules.consts import LANGS as LANGS
from creditfix.rules.consts import SEVERITIES as SEVERITIES
from creditfix.rules.consts import Horizon as Horizon
from creditfix.rules.consts import Lang as Lang
from creditfix.rules.consts import Severity as Severity

Category = Literal["repayment", "debt_ratio", "utilization", "inquiries", "overdue", "history", "income", "limit"]
Basis = Literal["statute", "regulator", "rule-of-thumb"]

_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
_PARAM = re.compile(r"[a-z][a-z0-9_]*")


def _rule_id(value: str) -> str:
    if not _ID.fullmatch(value) or len(value) > 64:
        raise ValueError("must be kebab-case (a-z, 0-9 and single hyphens), at most 64 characters")
    return value


def _local_text(value: object) -> object:
    if isinstance(value, str):
        return {"en": value}
    if isinstance(value, dict):
        for lang in value:
            if lang not in LANGS:
                shown = f" {lang!r}" if safe_name(lang) else ""  # keys are echoed only when they look like names
                raise ValueError(f"unknown language{shown}{did_you_mean(str(lang), LANGS)}; use en or zh")
        if "en" not in value:
            raise ValueError("needs an en text")
    return value


def _as_tuple(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


RuleId = Annotated[str, AfterValidator(_rule_id)]
LocalText = Annotated[dict[Lang, str], BeforeValidator(_local_text)]
#: A param's value; numbers finite and at most 24 digits (``.nan`` and ``1e400`` are refused).
ParamValue = Annotated[Decimal | bool | int | str | list[Annotated[Decimal, Finite] | int | str], Finite]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", strict=True, hide_input_in_errors=True, defer_build=True)


class RuleCase(_Model):
    """A rule's own test: metric values and whether the rule fires on them."""

    name: str
    metrics: dict[str, Decimal | bool | int]
    params: dict[str, ParamValue] = Field(default_factory=dict)
    fires: bool


class Rule(_Model):
    """One rule of a pack."""

    id: RuleId
    kind: Literal["issue", "strength"] = "issue"
    category: Category
    severity: Severity = "info"
    horizon: Horizon = "now"
    impact: int = Field(default=5, ge=0, le=10)
    when: str
    title: LocalText
    action: LocalText | None = None
    #: The action in one line (what to do, with its key number), for the plan's short view; a
    #: pack may leave it out, and the action's first sentence stands in.
    brief: LocalText | None = None
    why: LocalText
    basis: Basis
    source: str = Field(min_length=3)
    aliases: Annotated[tuple[RuleId, ...], BeforeValidator(_as_tuple)] = ()
    #: Rules (of any pack) whose findings this one replaces when both fire: it says the same
    #: about the same fact, more precisely (us-young-thin-file over core-young-file).
    supersedes: Annotated[tuple[RuleId, ...], BeforeValidator(_as_tuple)] = ()
    tests: Annotated[tuple[RuleCase, ...], BeforeValidator(_as_tuple)]

    @model_validator(mode="after")
    def _complete(self) -> Rule:
        if self.kind == "issue" and self.action is None:
            raise ValueError("an issue rule needs an action: what to do about it")
        return self


def _int_to_decimal(value: object) -> object:
    return Decimal(value) if isinstance(value, int) and not isinstance(value, bool) else value


class LimitTier(_Model):
    """A credit-limit tier for a grade: a name and the limit as a multiple of monthly income."""

    tier: str
    income_multiple: Annotated[Decimal, BeforeValidator(_int_to_decimal)] = Field(ge=0)


class Pack(_Model):
    """A rule pack file."""

    pack: RuleId
    version: Annotated[str, AfterValidator(lambda v: _version(v))] = "1.0.0"
    title: str
    jurisdiction: str | None = None
    description: str | None = None
    params: dict[str, ParamValue] = Field(default_factory=dict)
    weights: dict[Severity, int] | None = None
    grades: dict[Literal["B", "C", "D", "E"], int] | None = None
    limits: dict[Literal["A", "B", "C", "D", "E"], LimitTier] | None = None
    rules: Annotated[tuple[Rule, ...], BeforeValidator(_as_tuple)]

    @model_validator(mode="after")
    def _params_named(self) -> Pack:
        for name in self.params:
            if not _PARAM.fullmatch(name):
                raise ValueError("param names are snake_case (a-z, 0-9, _)")
        return self


def _version(value: str) -> str:
    if not re.fullmatch(r"\d+\.\d+(\.\d+)?", value):
        raise ValueError("must look like 1.2 or 1.2.3")
    return value
