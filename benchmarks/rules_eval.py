"""Rule evaluation benchmark: cost of evaluating the compiled built-in packs, per rule per client.

Builds the metrics of every shipped example profile and client-table row once, then times
``evaluate(packs, metrics)`` over them many times. Target: well under 1 µs per rule per client.

    python benchmarks/rules_eval.py [--rounds 2000]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from creditfix.load import iter_table, load_profile
from creditfix.metrics import compute_metrics
from creditfix.rules.engine import builtin_packs, evaluate, load_packs

ROOT = Path(__file__).resolve().parent.parent
TARGET_US = 1.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    args = parser.parse_args()
    profiles = [load_profile(p) for p in sorted((ROOT / "examples").glob("profile.*.yaml"))]
    profiles += [row.profile for row in iter_table(ROOT / "examples" / "clients.csv") if row.profile]
    all_metrics = [compute_metrics(p) for p in profiles]
    start = time.perf_counter()
    packs = load_packs(list(builtin_packs()))
    load_ms = (time.perf_counter() - start) * 1000
    rules = sum(len(p.rules) for p in packs)
    start = time.perf_counter()
    for _ in range(args.rounds):
        for metrics in all_metrics:
            evaluate(packs, metrics)
    elapsed = time.perf_counter() - start
    evaluations = args.rounds * len(all_metrics)
    per_rule_us = elapsed / (evaluations * rules) * 1e6
    print(f"packs: {', '.join(p.name for p in packs)} ({rules} rules), loaded and compiled in {load_ms:.1f} ms")
    print(f"clients: {len(all_metrics)}, evaluations: {evaluations}")
    print(
        f"per client: {elapsed / evaluations * 1e6:.1f} µs; "
        f"per rule per client: {per_rule_us:.3f} µs (target < {TARGET_US})"
    )
    return 0 if per_rule_us < TARGET_US else 1


if __name__ == "__main__":
    raise SystemExit(main())
