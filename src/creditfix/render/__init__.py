"""Output formats: one module per format, keyed by an Enum that the CLI options use."""

from __future__ import annotations

from enum import StrEnum


class MetricsFormat(StrEnum):
    """Formats of ``creditfix metrics``."""

    table = "table"
    json = "json"
