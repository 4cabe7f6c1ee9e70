"""What a config file may set (:mod:`creditfix.config`), as a pydantic model: validated only when
there is a config file, so a run without one imports none of pydantic's models."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from creditfix.config import Severity
from creditfix.profile_schema import Finite

#: A number (finite, at most 24 digits: ``.nan`` and ``1e400`` are refused), true/false or text.
ParamValue = Annotated[Decimal | int | bool | str, Finite]


class FileSettings(BaseModel):
    """What a config file may set (unknown keys are errors with a did-you-mean)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, hide_input_in_errors=True, defer_build=True)

    packs: list[str] | None = None
    rules: list[str] = Field(default_factory=list)
    select: list[str] = Field(default_factory=list)
    ignore: list[str] = Field(default_factory=list)
    severity: dict[str, Severity] = Field(default_factory=dict)
    params: dict[str, dict[str, ParamValue]] = Field(default_factory=dict)
    lang: Literal["en", "zh"] | None = None
    fail_on: Severity | None = None
    portfolio: dict[Literal["overdue_rate_warning", "late_rate_warning"], Annotated[Decimal, Finite]] = Field(
        default_factory=dict
    )
    caps: dict[str, int | str] = Field(default_factory=dict)
