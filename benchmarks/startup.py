"""Start-up benchmark: wall time of ``creditfix metrics`` (or ``plan``) on an example, as a ratio to a bare
interpreter that only imports typer, rich, pydantic and yaml (the floor no CLI on this stack beats).

Runs both commands interleaved, N times each, and reports medians and the ratio of medians (target:
<= 1.3), and the ratio of the fastest runs (less sensitive to other load on the machine).
Ratios within one run are what count: these machines are shared and noisy. The warm-up run also
fills creditfix's cache (compiled packs, profile validator), as any first run does; ``--no-cache``
measures every run without it (CREDITFIX_NO_CACHE=1).

``--floor rich-modules`` adds to the bare import the Rich modules a table is rendered with
(``rich.console``, ``rich.table``, ``rich.panel``; ``import rich`` alone loads almost nothing):
what creditfix itself adds to start-up, its imports and its work, on top of what it uses.

    python benchmarks/startup.py [--runs 21] [--command metrics|plan] [--format table|json] [--no-cache]
                                 [--floor packages|rich-modules]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "profile.cn-jiebei-closed.yaml"
TARGET = 1.3


def timed(cmd: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--python", default=sys.executable, help="interpreter with creditfix installed")
    parser.add_argument("--format", default="table", choices=["table", "json"])
    parser.add_argument("--command", default="metrics", choices=["metrics", "plan"])
    parser.add_argument("--no-cache", action="store_true", help="run creditfix with CREDITFIX_NO_CACHE=1")
    parser.add_argument("--floor", default="packages", choices=["packages", "rich-modules"])
    args = parser.parse_args()
    imports = "typer, rich, pydantic, yaml"
    if args.floor == "rich-modules":
        imports += ", rich.console, rich.table, rich.panel"
    bare = [args.python, "-c", f"import {imports}"]
    ours = [args.python, "-m", "creditfix", args.command, str(EXAMPLE), "--format", args.format]
    env = {**os.environ, "CREDITFIX_NO_CACHE": "1"} if args.no_cache else None
    timed(bare)  # warm the file cache and .pyc files (and creditfix's own cache)
    timed(ours, env)
    floor, run = [], []
    for _ in range(args.runs):
        floor.append(timed(bare))
        run.append(timed(ours, env))
    f, r = statistics.median(floor), statistics.median(run)
    ratio = r / f
    cache = " without its cache" if args.no_cache else ""
    fastest = min(floor), min(run)
    print(f"bare import of {imports}: {f * 1000:7.1f} ms", end="")
    print(f" (median of {args.runs}; min {fastest[0] * 1000:.1f})")
    print(f"creditfix {args.command} {EXAMPLE.name} ({args.format}){cache}: {r * 1000:7.1f} ms", end="")
    print(f" (min {fastest[1] * 1000:.1f})")
    print(f"ratio: {ratio:.2f} (target <= {TARGET}); of the fastest runs: {fastest[1] / fastest[0]:.2f}")
    return 0 if ratio <= TARGET else 1


if __name__ == "__main__":
    raise SystemExit(main())
