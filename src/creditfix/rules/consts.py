"""The rule format's orders and names that the engine and the plan read on every run, kept apart
from :mod:`creditfix.rules.schema` (the pydantic definition of a pack) so that a run whose packs
come compiled from the cache imports none of pydantic's models."""

from __future__ import annotations

from typing import Literal

Severity = Literal["critical", "high", "medium", "low", "info"]
Horizon = Literal["now", "30d", "90d", "6m", "12m"]
Lang = Literal["en", "zh"]

#: Ranking orders (DESIGN §5): most severe first, soonest first.
SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low", "info")
HORIZONS: tuple[Horizon, ...] = ("now", "30d", "90d", "6m", "12m")
LANGS: tuple[Lang, ...] = ("en", "zh")
