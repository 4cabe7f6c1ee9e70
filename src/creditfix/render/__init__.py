"""Output formats: one module per format, keyed by an Enum that the CLI options use."""

from __future__ import annotations

from enum import StrEnum


class MetricsFormat(StrEnum):
    """Formats of ``creditfix metrics``."""

    table = "table"
    json = "json"


class PlanFormat(StrEnum):
    """Formats of ``creditfix plan``."""

    table = "table"
    json = "json"
    markdown = "markdown"


class Lang(StrEnum):
    """Languages of rule texts and headings."""

    en = "en"
    zh = "zh"


class Severity(StrEnum):
    """Severities, for ``--fail-on``."""

    critical = "critical"
    high = "high"
    medium = "medium"
    low = "low"
    info = "info"
