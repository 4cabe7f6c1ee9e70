"""Start-up benchmark: wall time of ``creditfix metrics`` (or ``plan``) on an example, as a ratio to a bare
interpreter that only imports typer, rich, pydantic and yaml (the floor no CLI on this stack beats).

Runs both commands interleaved, N times each, and reports medians and the ratio (target: <= 1.3).
Ratios within one run are what count: these machines are shared and noisy.

    python benchmarks/startup.py [--runs 21] [--command metrics|plan] [--format table|json]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "profile.cn-jiebei-closed.yaml"
TARGET = 1.3


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--python", default=sys.executable, help="interpreter with creditfix installed")
    parser.add_argument("--format", default="table", choices=["table", "json"])
    parser.add_argument("--command", default="metrics", choices=["metrics", "plan"])
    args = parser.parse_args()
    bare = [args.python, "-c", "import typer, rich, pydantic, yaml"]
    ours = [args.python, "-m", "creditfix", args.command, str(EXAMPLE), "--format", args.format]
    for cmd in (bare, ours):  # warm the file cache and .pyc files
        timed(cmd)
    floor, run = [], []
    for _ in range(args.runs):
        floor.append(timed(bare))
        run.append(timed(ours))
    f, r = statistics.median(floor), statistics.median(run)
    ratio = r / f
    print(f"bare import of typer, rich, pydantic, yaml: {f * 1000:7.1f} ms (median of {args.runs})")
    print(f"creditfix {args.command} {EXAMPLE.name} ({args.format}): {r * 1000:7.1f} ms")
    print(f"ratio: {ratio:.2f} (target <= {TARGET})")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
