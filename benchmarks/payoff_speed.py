"""Payoff and simulation speed: a 10-debt, 30-year schedule for every strategy (issue 5 target:
well under a second), and a 120-month simulation of a shipped example.

    python benchmarks/payoff_speed.py [--repeat 5]

The minimums are just above a month of interest, so minimums-only runs for over 20 years.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from creditfix import load_profile
from creditfix.config import load_settings, packs_for
from creditfix.model import Debt
from creditfix.payoff import compare
from creditfix.simulate import simulate

ROOT = Path(__file__).resolve().parent.parent


def ten_debts() -> list[Debt]:
    debts = []
    for i in range(10):
        revolving = i % 2 == 0
        debts.append(
            Debt.model_validate(
                {
                    "id": f"d{i}",
                    "type": "card" if revolving else "personal_loan",
                    "balance": Decimal(4000 + 3100 * i),
                    "limit": Decimal(6000 + 3500 * i) if revolving else None,
                    "apr": Decimal("0.04") + Decimal("0.025") * i,
                    # Just over a month's interest plus a little: minimums only takes decades.
                    "min_payment": (Decimal(4000 + 3100 * i) * (Decimal("0.04") + Decimal("0.025") * i) / 12
                                    + Decimal(12)).quantize(Decimal("0.01")),
                }
            )
        )  # fmt: skip
    return debts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    debts = ten_debts()
    start = date(2026, 11, 20)
    times = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        schedules = compare(debts, extra=Decimal(300), start=start, max_months=360, order=[d.id for d in debts][::-1])
        times.append(time.perf_counter() - began)
    months = {s.strategy.value: len(s.rows) for s in schedules}
    print(f"payoff: 10 debts, all {len(schedules)} strategies, months simulated {months}")
    print(f"  compare(): median {statistics.median(times):.3f} s, best {min(times):.3f} s (target: well under 1 s)")

    profile = load_profile(ROOT / "examples" / "profile.cn-jiebei-closed.yaml")
    packs = packs_for(profile.jurisdiction, load_settings())
    times = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        simulate(profile, packs, months=120, follow_plan=True)
        times.append(time.perf_counter() - began)
    print(f"simulate: 120 months of the 借呗 example: median {statistics.median(times):.3f} s")


if __name__ == "__main__":
    main()
