"""How well ``creditfix check`` ranks real outcomes: the AUC of risk points against an outcome column.

Runs ``creditfix check`` on a client table whose rows carry what actually happened (e.g.
``SeriousDlqin2yrs`` in the "Give Me Some Credit" layout), then reports the area under the ROC
curve of risk points for that outcome: 0.5 is chance, 1.0 a perfect ranking. Ties in risk points
count half, as the Mann-Whitney U statistic does.

    python benchmarks/ranking_auc.py cs-training.csv --outcome SeriousDlqin2yrs \\
        --columns examples/columns.give-me-some-credit.yaml --rules us

Every row gets a result; rows in error are counted and left out of the AUC. Measured on 2026-11-29
(datasets from ``fetch_datasets.py``, maps from examples/): GMSC 0.772 with ``--rules us``; UCI
Taiwan default 0.721 / 0.732 / 0.740 (core, us, cn) with ``--outcome target``; German credit
(``--outcome creditability --bad bad --good good``) and PAKDD 2009 (``--outcome TARGET_LABEL_BAD=1
--good 0``) 0.500: application data, with nothing creditfix assesses.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path


def auc(scored: list[tuple[int, bool]]) -> float:
    """Mann-Whitney AUC of *scored* (score, positive): P(a positive outranks a negative)."""
    positives = sum(1 for _, p in scored if p)
    negatives = len(scored) - positives
    if not positives or not negatives:
        raise SystemExit("the outcome column needs both outcomes to measure a ranking")
    by_score: dict[int, Counter[bool]] = {}
    for score, positive in scored:
        by_score.setdefault(score, Counter())[positive] += 1
    below = 0  # negatives with a lower score than the current one
    wins = 0.0
    for score in sorted(by_score):
        here = by_score[score]
        wins += here[True] * (below + here[False] / 2)
        below += here[False]
    return wins / (positives * negatives)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path)
    parser.add_argument("--outcome", required=True, help="column holding the outcome: 1 (bad) or 0 by default")
    parser.add_argument("--bad", action="append", help="an outcome cell that means bad (default: 1; repeatable)")
    parser.add_argument(
        "--good", action="append", help="an outcome cell that means good (default: any other; repeatable)"
    )
    parser.add_argument("--columns", type=Path, help="column map for creditfix")
    parser.add_argument("--rules", action="append", default=[], help="extra pack(s), e.g. us")
    parser.add_argument("--python", default=sys.executable, help="interpreter with creditfix installed")
    args = parser.parse_args()

    bad = set(args.bad or ["1"])
    good = set(args.good) if args.good else None
    # (only the outcome column is read here: a cell in another encoding does not matter)
    with args.table.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        first = handle.readline()
        delimiter = max(",;\t|", key=first.count)  # as creditfix finds it in a header
        handle.seek(0)
        reader = csv.reader(handle, delimiter=delimiter)
        header = next(reader)
        where = header.index(args.outcome)
        outcome: dict[int, bool] = {}  # by the line each row starts on, as creditfix reports it
        unknown = 0  # rows whose outcome is neither --bad nor --good: left out
        previous = reader.line_num
        for row in reader:
            start, previous = previous + 1, reader.line_num
            if row:
                cell = row[where].strip() if where < len(row) else ""
                if cell in bad or good is None or cell in good:
                    outcome[start] = cell in bad
                else:
                    unknown += 1
    command = [args.python, "-m", "creditfix", "check", str(args.table), "--format", "jsonl"]
    if args.columns:
        command += ["--columns", str(args.columns)]
    for pack in args.rules:
        command += ["--rules", pack]
    run = subprocess.run(command, capture_output=True, text=True, check=False)
    if run.returncode not in (0, 1, 2):
        print(run.stderr, file=sys.stderr)
        return run.returncode
    scored: list[tuple[int, bool]] = []
    errors = left_out = 0
    for line in run.stdout.splitlines():
        result = json.loads(line)
        if result["error"] is not None:
            errors += 1
        elif result["line"] not in outcome:
            left_out += 1
        else:
            scored.append((result["risk_points"], outcome[result["line"]]))
    positives = sum(1 for _, p in scored if p)
    print(
        f"clients: {len(scored) + errors + left_out}, assessed: {len(scored)}, errors: {errors},"
        f" outcome unknown: {left_out} (rows read: {len(outcome) + unknown}), bad outcomes: {positives}"
    )
    print(f"AUC of risk points for {args.outcome}: {auc(scored):.3f} (0.5 is chance)")
    print(run.stderr.strip().splitlines()[-1] if run.stderr.strip() else "", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
