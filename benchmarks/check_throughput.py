"""Batch benchmark for ``creditfix check``: throughput against the parse floor, --jobs speed-up,
and peak memory.

Generates realistic synthetic inputs in a temporary folder (YAML profiles with debts, 24-month
histories and inquiries; a client table with the columns of examples/clients.csv), then measures:

- YAML profiles: ``check --jobs 1`` wall time as a ratio to merely parsing the same files with the
  C YAML loader in one process (target: within 1.5x);
- client table: rows per second per core (target: at least 50,000);
- ``--jobs 2`` against ``--jobs 1`` (target: at least 1.7x faster);
- the default table output to a pipe (plain text) against ``--format jsonl`` (target: within 1.2x);
- peak RSS of the ``check`` process itself (``wait4`` on it) at 1,000 and 100,000 table rows,
  for ``--format jsonl -o FILE``, ``--format csv -o FILE``, ``--format json -o FILE`` and the
  default table output (target: flat; jsonl streams, a ranked output keeps 12 bytes a client past
  a few thousand and their records in a temporary file).

    python benchmarks/check_throughput.py [--profiles 10000] [--rows 100000] [--runs 3] [--only yaml]

Ratios within one run are what count: these machines are shared and noisy.
"""

from __future__ import annotations

import argparse
import csv
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

COLUMNS = [
    "client_id",
    "name",
    "jurisdiction",
    "as_of",
    "monthly_income",
    "income_verified",
    "score",
    "score_scale",
    "total_debt",
    "monthly_debt_payments",
    "revolving_balance",
    "revolving_limit",
    "inquiries_1m",
    "inquiries_3m",
    "inquiries_6m",
    "inquiries_12m",
    "late_payments_12m",
    "late_payments_24m",
    "max_consecutive_late_24m",
    "overdue_accounts",
    "overdue_amount",
    "collection_accounts",
    "charged_off_accounts",
    "closed_by_lender",
    "credit_age_months",
]


def profile_text(rng: random.Random, index: int) -> str:
    cn = rng.random() < 0.5
    lines = [
        f"client: {{id: P-{index:06d}, jurisdiction: {'CN' if cn else 'US'}}}",
        "as_of: 2026-11-20",
        f"income: {{monthly: {rng.randrange(3000, 30000)}, verified: {str(rng.random() < 0.5).lower()}}}",
        f"score: {{value: {rng.randrange(450, 800)}, scale: {'sesame' if cn else 'fico'}}}",
        "debts:",
    ]
    for d in range(rng.randrange(1, 6)):
        limit = rng.randrange(2000, 50000)
        history = "".join(rng.choice("NNNNNNNNNNNNNNNNNN1") for _ in range(24))
        kind = rng.choice(["card", "credit_line", "personal_loan"])
        opened = f"20{rng.randrange(10, 25)}-0{rng.randrange(1, 9)}-15"
        balance, apr, minimum = rng.randrange(0, limit), rng.randrange(3, 30), rng.randrange(50, 2000)
        past_due = minimum if history[-1] != "N" else 0  # a month late now has its minimum overdue
        lines.append(
            f"  - {{id: d{d}, type: {kind}, balance: {balance}, limit: {limit}, apr: {apr}%, "
            f"min_payment: {minimum}, opened: {opened}, past_due: {past_due}, history: {history}}}"
        )
    lines.append("inquiries:")
    for _ in range(rng.randrange(0, 8)):
        lines.append(
            f"  - {{date: 2026-{rng.randrange(1, 11):02d}-{rng.randrange(1, 28):02d}, reason: loan_application}}"
        )
    if lines[-1] == "inquiries:":
        lines[-1] = "inquiries: []"
    lines.append("public_records: []")  # an advisor's export says "no bankruptcy" rather than nothing
    return "\n".join(lines) + "\n"


def table_row(rng: random.Random, index: int) -> list[object]:
    limit = rng.randrange(1000, 80000)
    return [
        f"T-{index:07d}", f"Client {index}", rng.choice(["CN", "US"]), "2026-11-20", rng.randrange(3000, 30000),
        rng.choice(["yes", "no"]), rng.randrange(450, 800), "", rng.randrange(0, 300000), rng.randrange(0, 9000),
        rng.randrange(0, limit), limit, rng.randrange(0, 3), rng.randrange(0, 5), rng.randrange(0, 9),
        rng.randrange(0, 14), rng.randrange(0, 4), rng.randrange(0, 8), rng.randrange(0, 4), rng.randrange(0, 2),
        rng.randrange(0, 3000), 0, 0, rng.randrange(0, 2), rng.randrange(6, 240),
    ]  # fmt: skip


def generate(folder: Path, profiles: int, rows: int, seed: int = 7) -> tuple[Path, Path]:
    rng = random.Random(seed)
    yaml_dir = folder / "profiles"
    yaml_dir.mkdir()
    for i in range(profiles):
        (yaml_dir / f"p{i:06d}.yaml").write_text(profile_text(rng, i), encoding="utf-8")
    table = folder / "clients.csv"
    with table.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        for i in range(rows):
            row = table_row(rng, i)
            row[7] = "sesame" if row[2] == "CN" else "fico"
            writer.writerow(row)
    return yaml_dir, table


#: Runs one command and prints its wall time and peak RSS: a fresh, small process, because a child
#: forked from this (large) one would report this one's size as its peak.
_MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
if os.waitstatus_to_exitcode(status) not in (0, 1, 2):  # a crash is not a fast run
    sys.exit(f"check failed with exit code {os.waitstatus_to_exitcode(status)}")
print(time.perf_counter() - start, usage.ru_maxrss)
"""


def timed_check(args: list[str], *, fmt: str = "jsonl", output: Path | None = None) -> tuple[float, int]:
    """Wall time and peak RSS (KiB) of one ``creditfix check`` run: that process's own peak (with
    any worker it waited for), from ``wait4`` in a fresh parent of its own."""
    command = [sys.executable, "-m", "creditfix", "check", *args, "--format", fmt, "--as-of", "2026-11-20"]
    if output is not None:
        command += ["-o", str(output)]
    measured = subprocess.run([sys.executable, "-c", _MEASURE, *command], capture_output=True, text=True, check=True)
    elapsed, peak = measured.stdout.split()
    return float(elapsed), int(peak)


def best(runs: int, args: list[str], **kwargs: object) -> tuple[float, int]:
    """The fastest of *runs* runs (the least disturbed by other work on a shared machine)."""
    results = [timed_check(args, **kwargs) for _ in range(runs)]  # type: ignore[arg-type]
    return min(r[0] for r in results), max(r[1] for r in results)


def floor(parse: Callable[[], object]) -> float:
    """Seconds that merely parsing the input takes, in this process."""
    start = time.perf_counter()
    parse()
    return time.perf_counter() - start


def one_and_two(runs: int, target: Path) -> tuple[float, float]:
    """Wall times of ``check --jobs 1`` and ``--jobs 2`` on *target*."""
    return best(runs, [str(target), "--jobs", "1"])[0], best(runs, [str(target), "--jobs", "2"])[0]


def head(table: Path, rows: int, folder: Path) -> Path:
    """The first *rows* client rows of *table*, as a table of its own."""
    out = folder / f"clients-{rows}.csv"
    with table.open(encoding="utf-8") as source, out.open("w", encoding="utf-8") as sink:
        for number, line in enumerate(source):
            if number > rows:
                break
            sink.write(line)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1, help="runs per timing; the fastest counts")
    parser.add_argument("--only", choices=["yaml", "table", "memory"], action="append", help="parts to run")
    args = parser.parse_args()
    parts = set(args.only or ["yaml", "table", "memory"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        yaml_dir, table = generate(folder, args.profiles, max(args.rows, 100_000))
        if "yaml" in parts:
            yaml_floor = floor(lambda: [yaml.load(p.read_bytes(), Loader=yaml.CSafeLoader) for p in yaml_dir.iterdir()])
            yaml_one, yaml_two = one_and_two(args.runs, yaml_dir)
            print(f"YAML profiles: {args.profiles}; parse floor (C loader, one process) {yaml_floor:.2f}s")
            print(f"  check --jobs 1: {yaml_one:.2f}s = {yaml_one / yaml_floor:.2f}x the floor (target <= 1.5x)")
            print(f"  check --jobs 2: {yaml_two:.2f}s = {yaml_one / yaml_two:.2f}x faster (target >= 1.7x)")
        if "table" in parts:
            rows = head(table, args.rows, folder)
            csv_floor = floor(lambda: sum(1 for _ in csv.reader(rows.open(newline="", encoding="utf-8"))))
            table_one, table_two = one_and_two(args.runs, rows)
            print(f"client table: {args.rows} rows; csv module floor {csv_floor:.2f}s")
            print(f"  check --jobs 1: {table_one:.2f}s = {args.rows / table_one:,.0f} rows/s (target >= 50,000)")
            print(f"  check --jobs 2: {table_two:.2f}s = {table_one / table_two:.2f}x faster (target >= 1.7x)")
            table_text = best(args.runs, [str(rows), "--jobs", "1"], fmt="table")[0]
            ratio = table_text / table_one
            print(f"  check --format table (a pipe): {table_text:.2f}s = {ratio:.2f}x jsonl (target <= 1.2x)")
        if "memory" in parts:
            print("peak RSS of the check process (wait4), client table, --jobs 1 (target: flat):")
            small, large = head(table, 1_000, folder), head(table, 100_000, folder)
            for label, fmt, output in (
                ("--format jsonl -o FILE", "jsonl", folder / "out.jsonl"),
                ("--format csv -o FILE", "csv", folder / "out.csv"),
                ("--format json -o FILE", "json", folder / "out.json"),
                ("--format table (a pipe)", "table", None),
            ):
                _, peak_small = timed_check([str(small), "--jobs", "1"], fmt=fmt, output=output)
                _, peak_large = timed_check([str(large), "--jobs", "1"], fmt=fmt, output=output)
                print(
                    f"  {label}: 1,000 rows {peak_small / 1024:.1f} MiB, 100,000 rows {peak_large / 1024:.1f} MiB, "
                    f"ratio {peak_large / peak_small:.2f}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
