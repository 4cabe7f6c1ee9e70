"""Coverage-guided fuzzing of creditfix's loaders with atheris (libFuzzer for Python).

    python fuzz/fuzz_loaders.py TARGET [libFuzzer options] [CORPUS_DIR ...]

TARGET is one of yaml, table, rules, side-csv, columns, config, config-toml, condition (see
tests/loader_targets.py, which tests/test_fuzz_loaders.py drives with hypothesis). Without a
corpus directory, fuzz/corpus/TARGET is used, seeded from examples/, rules/ and tests/hazards/.
A crash is an exception other than CreditfixError, or an error message that is not one line or
echoes an input value; libFuzzer saves the input as crash-<sha1> (see fuzz/README.md).
"""

from __future__ import annotations

import hashlib
import re
import sys
from pathlib import Path

import atheris

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

with atheris.instrument_imports(include=["creditfix", "loader_targets"]):
    from loader_targets import TARGETS, run_target

_CONFIG_SEED = b"""packs: [core, cn]
select: [core-]
ignore: [cn-sesame-low]
severity: {core-overdue-now: high}
params: {core: {young_file_months: 12}}
lang: zh
fail_on: high
portfolio: {overdue_rate_warning: 0.03}
"""
_TOML_SEED = b"""[tool.creditfix]
packs = ["core", "cn"]
lang = "zh"
[tool.creditfix.params.core]
young_file_months = 12
"""


def seeds(target: str) -> list[bytes]:
    """The seed inputs of *target*: the shipped examples, packs and hazard corpus of its format."""
    hazards, examples = ROOT / "tests" / "hazards", ROOT / "examples"
    globs = {
        "yaml": [examples.glob("profile.*.yaml"), hazards.glob("yaml.*.yaml")],
        "table": [examples.glob("*.csv"), hazards.glob("csv.*.csv")],
        "side-csv": [examples.glob("payments.*.csv")],
        "rules": [(ROOT / "rules").glob("*.yaml")],
        "columns": [examples.glob("columns.*.yaml")],
    }
    found = [path.read_bytes() for group in globs.get(target, []) for path in sorted(group)]
    if target == "config":
        found.append(_CONFIG_SEED)
    if target == "config-toml":
        found.append(_TOML_SEED)
    if target == "condition":  # every condition and text of the built-in packs
        for pack in sorted((ROOT / "rules").glob("*.yaml")):
            found += [m.group(1).encode() for m in re.finditer(r"^\s+when: (.+)$", pack.read_text(), re.M)]
            found += [m.group(1).encode() for m in re.finditer(r"^\s+en: (.+)$", pack.read_text(), re.M)]
    return found


def seed_corpus(target: str, folder: Path) -> None:
    """Write the seeds of *target* into *folder* (named by content, so reseeding adds nothing twice)."""
    folder.mkdir(parents=True, exist_ok=True)
    for data in seeds(target):
        (folder / hashlib.sha1(data).hexdigest()).write_bytes(data)


def main() -> None:
    import os

    # libFuzzer reruns this command for -minimize_crash, -fork and -jobs, passing on its options
    # but not the target: the target travels in the environment, and the command names the
    # interpreter (the script is not executable on its own).
    given = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] in TARGETS else None
    target = given or os.environ.get("CREDITFIX_FUZZ_TARGET", "")
    if target not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} TARGET [libFuzzer options] [CORPUS_DIR ...]; TARGET: {', '.join(TARGETS)}")
    os.environ["CREDITFIX_FUZZ_TARGET"] = target
    args = [f"{sys.executable} {Path(__file__).resolve()}", *sys.argv[2 if given else 1 :]]
    if given and not any(not a.startswith("-") for a in args[1:]):  # no corpus directory given
        folder = Path(__file__).resolve().parent / "corpus" / target
        seed_corpus(target, folder)
        args.append(str(folder))
    elif given:  # corpus folders are seeded; a file is one input to rerun (a crash to reproduce)
        for corpus in (Path(a) for a in args[1:] if not a.startswith("-")):
            if not corpus.is_file():
                seed_corpus(target, corpus)

    def one_input(data: bytes) -> None:
        run_target(target, data)

    atheris.Setup(args, one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
