"""creditfix: a command-line credit repair advisor.

The public API is the pipeline the CLI runs, one function per stage::

    from creditfix import build_plan, compute_metrics, evaluate, load_packs, load_profile, render
    profile = load_profile("examples/profile.cn-jiebei-closed.yaml")
    metrics = compute_metrics(profile)
    packs = load_packs(["core", "cn"])
    plan = build_plan(profile, metrics, evaluate(packs, metrics), packs, lang="en")
    print(render(plan, "markdown"))

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
    "RulePackError": "creditfix.errors",
    "load_packs": "creditfix.rules.engine",
    "evaluate": "creditfix.rules.engine",
    "build_plan": "creditfix.plan",
    "Plan": "creditfix.plan",
    "render": "creditfix.formats",
}

__all__ = [
    "CATALOGUE",
    "CreditfixError",
    "InputError",
    "Metrics",
    "Plan",
    "Profile",
    "RulePackError",
    "__version__",
    "build_plan",
    "compute_metrics",
    "evaluate",
    "load_packs",
    "load_profile",
    "render",
]

if TYPE_CHECKING:
    from creditfix.errors import CreditfixError, InputError, RulePackError
    from creditfix.formats import render
    from creditfix.load import load_profile
    from creditfix.metrics import CATALOGUE, Metrics, compute_metrics
    from creditfix.model import Profile
    from creditfix.plan import Plan, build_plan
    from creditfix.rules.engine import evaluate, load_packs


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'creditfix' has no attribute {name!r}")
    return getattr(import_module(module), name)
