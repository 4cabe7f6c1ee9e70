"""creditfix: a command-line credit repair advisor.

The public API is the pipeline the CLI runs, one function per stage::

    from creditfix import load_profile, compute_metrics
    profile = load_profile("examples/profile.cn-jiebei-closed.yaml")
    metrics = compute_metrics(profile)

Names are imported lazily so that ``creditfix --help`` stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_profile": "creditfix.load",
    "compute_metrics": "creditfix.metrics",
    "Metrics": "creditfix.metrics",
    "CATALOGUE": "creditfix.metrics",
    "Profile": "creditfix.model",
    "CreditfixError": "creditfix.errors",
    "InputError": "creditfix.errors",
}

__all__ = [
    "CATALOGUE",
    "CreditfixError",
    "InputError",
    "Metrics",
    "Profile",
    "__version__",
    "compute_metrics",
    "load_profile",
]

if TYPE_CHECKING:
    from creditfix.errors import CreditfixError, InputError
    from creditfix.load import load_profile
    from creditfix.metrics import CATALOGUE, Metrics, compute_metrics
    from creditfix.model import Profile


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'creditfix' has no attribute {name!r}")
    return getattr(import_module(module), name)
