"""Hostile-input corpus: every case in tests/hazards/ through the CLI, against hazards/expected.yaml.

Each case is one input file (``<format>.<case>.<ext>``) or, for binary and huge inputs, a generator
below that writes it into ``tmp_path``. The expectation is either the exact one line on stderr and
exit code 2, or exit code 0 and values in ``creditfix metrics --format json``. Every case also
checks the contract of RELIABILITY.md: no traceback, exactly one line for an error, no seeded field
value in that line, and well under a second.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import time
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from creditfix.cli import main
from creditfix.load.yamlsafe import parse_yaml

from conftest import EXAMPLES, ROOT

HAZARDS = ROOT / "tests" / "hazards"
EXPECTED = HAZARDS / "expected.yaml"
#: A guard against runaway cost (a hostile file that takes seconds or more), not a benchmark: these
#: machines are shared and noisy, and 0.5 s failed under load. "Well under a second" (RELIABILITY.md
#: 4) is measured by benchmarks, not by a timed test.
TIME_LIMIT = 2.0
EXTENSIONS = {"yaml": ".yaml", "csv": ".csv"}
CASE_KEYS = {"args", "code", "stderr", "stderr_re", "values", "secrets", "generate", "xfail", "note"}
SECRET_ID = "110101199003074512"
CLIENT_HEADER = (
    "client_id,name,jurisdiction,as_of,monthly_income,income_verified,score,score_scale,total_debt,"
    "monthly_debt_payments,revolving_balance,revolving_limit,inquiries_6m,late_payments_24m,"
    "overdue_accounts,overdue_amount"
)


# --- generators: inputs that are binary or too big to commit ---------------------------------


def deep_30000(path: Path) -> None:
    """30,000 nested ``[``: segfaults PyYAML's C composer."""
    path.write_text(
        f'creditfix: 1\nclient: {{id: "{SECRET_ID}"}}\ndebts: ' + "[" * 30_000 + "]" * 30_000 + "\n",
        encoding="utf-8",
    )


def gbk_yaml(path: Path) -> None:
    """A profile saved as GBK by a Chinese editor; the first non-ASCII byte is on line 4."""
    text = (
        f'creditfix: 1\nclient:\n  id: "{SECRET_ID}"\n  name: 李伟\n'
        "debts:\n  - id: jiebei\n    lender: 借呗\n    balance: 18000\n"
    )
    path.write_bytes(text.encode("gbk"))


def huge_50mb(path: Path) -> None:
    """A 50 MB profile: valid YAML, one debt a line."""
    line = f'  - {{id: d%07d, balance: 1000, lender: "{SECRET_ID}"}}\n'
    count = 50 * 1024 * 1024 // len(line % 0) + 1
    with path.open("w", encoding="utf-8") as handle:
        handle.write("creditfix: 1\ndebts:\n")
        handle.writelines(line % i for i in range(count))


def many_debts(path: Path) -> None:
    """A 0.6 MB profile of 20,000 debts: far under the 20 MB size cap, seconds to validate."""
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f'creditfix: 1\nclient: {{id: "{SECRET_ID}"}}\ndebts:\n')
        handle.writelines(f"  - {{id: d{i}, balance: 1000}}\n" for i in range(20_000))


def unpaid_for_decades(path: Path) -> None:
    """5,000 payments (the cap) unpaid since 1950-1963: each is 180+ days late at some 800 month
    ends, which must not cost a pair per payment per month."""
    start = date(1950, 1, 1)
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f'creditfix: 1\nclient: {{id: "{SECRET_ID}", jurisdiction: CN}}\nas_of: 2026-11-20\n')
        handle.write("debts: [{id: a, balance: 1000}]\npayments:\n")
        handle.writelines(f"  - {{debt: a, due: {start + timedelta(days=i)}}}\n" for i in range(5_000))


def gbk_csv(path: Path) -> None:
    """A client table exported by a Chinese Excel: GBK, CRLF, 是/否 booleans."""
    rows = [
        CLIENT_HEADER,
        "CN-0001,李伟,CN,2026-11-20,12000,否,598,sesame,43400,3940,31400,34000,6,3,1,1920",
        "CN-0002,王芳,CN,2026-11-20,18000,是,742,sesame,622100,3810,2100,38000,0,0,0,0",
    ]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("gbk"))


def _cp1252_table(path: Path, name: str) -> None:
    rows = [CLIENT_HEADER, f"US-0001,{name},US,2026-11-20,5200,yes,642,fico,45480,904,9280,9500,1,1,0,0"]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))


def cp1252_csv(path: Path) -> None:
    """A Western Excel export whose accented bytes happen to be valid GB18030 too."""
    _cp1252_table(path, "François Lefèvre")


def cp1252_csv_not_gbk(path: Path) -> None:
    """A Western Excel export whose accented bytes are not valid GB18030."""
    _cp1252_table(path, "José Müller")


GENERATORS: dict[str, Callable[[Path], None]] = {
    f.__name__: f
    for f in (deep_30000, gbk_yaml, huge_50mb, many_debts, unpaid_for_decades, gbk_csv, cp1252_csv, cp1252_csv_not_gbk)
}


# --- the cases ---------------------------------------------------------------------------------


def _load_cases() -> dict[str, dict[str, Any]]:
    data, _ = parse_yaml(EXPECTED.read_text(encoding="utf-8"), str(EXPECTED))
    assert isinstance(data, dict)
    return data


CASES = _load_cases()


def _params() -> list[Any]:
    params = []
    for name, case in CASES.items():
        marks = []
        if case.get("xfail"):
            marks.append(pytest.mark.xfail(reason=case["xfail"], strict=True))
        params.append(pytest.param(name, id=name, marks=marks))
    return params


def _input_file(name: str, case: dict[str, Any], tmp_path: Path) -> Path:
    ext = EXTENSIONS[name.split(".", 1)[0]]
    if "generate" in case:
        path = tmp_path / f"{name}{ext}"
        GENERATORS[case["generate"]](path)
        return path
    return HAZARDS / f"{name}{ext}"


def _lookup(document: Any, dotted: str) -> Any:
    value = document
    for part in dotted.split("."):
        assert isinstance(value, dict), f"{dotted}: {part!r} is not in a mapping"
        assert part in value, f"{dotted}: no {part!r} in the JSON output"
        value = value[part]
    return value


def _same(actual: Any, expected: Any) -> bool:
    """Equal by type and by written digits: 1000 is not 1E+3 and 12000.00 is not 12000."""
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return type(actual) is type(expected) and actual == expected
    if isinstance(expected, (int, Decimal)):
        return type(actual) is type(expected) and str(actual) == str(expected)
    return bool(actual == expected)


@pytest.fixture(scope="module", autouse=True)
def _warm_up() -> None:
    """Import and build everything once so that each case's timing is its own work."""
    sink = io.StringIO()
    with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink):
        main(["metrics", str(EXAMPLES / "profile.cn-healthy.yaml"), "--format", "json"])
        main(["metrics", str(EXAMPLES / "clients.csv"), "--client", "CN-0003", "--format", "json"])
        main(["metrics", str(EXAMPLES / "clients.csv"), "--client", "nobody"])


@pytest.mark.parametrize("name", _params())
def test_hazard(run: Callable[..., Any], tmp_path: Path, name: str) -> None:
    case = CASES[name]
    path = _input_file(name, case, tmp_path)
    args = [str(a).replace("{file}", str(path)) for a in case.get("args", ["metrics", "{file}"])]

    started = time.perf_counter()
    result = run(*args)
    elapsed = time.perf_counter() - started

    assert "Traceback" not in result.err, result.err
    assert result.code == case["code"], f"exit {result.code}, stderr: {result.err!r}"
    if case["code"] == 0:
        assert result.err == ""
        document = json.loads(result.out, parse_float=Decimal)
        for dotted, expected in case["values"].items():
            actual = _lookup(document, dotted)
            assert _same(actual, expected), f"{dotted}: {actual!r} != {expected!r}"
    else:
        assert result.out == ""
        assert result.err.endswith("\n"), f"not one line: {result.err!r}"
        assert result.err.count("\n") == 1, f"not one line: {result.err!r}"
        line = result.err.removesuffix("\n")
        if "stderr" in case:
            assert line == case["stderr"].replace("{file}", str(path))
        else:
            pattern = re.escape(str(path)).join(case["stderr_re"].split("{file}"))
            assert re.fullmatch(pattern, line), line
        for secret in case.get("secrets", []):
            assert str(secret) not in line.replace(str(path), "FILE"), f"the message shows the input value {secret!r}"
    assert elapsed < TIME_LIMIT, f"took {elapsed:.2f} s"


def test_every_case_has_an_input_and_every_input_a_case() -> None:
    files = {p.name for p in HAZARDS.iterdir() if p.name != "expected.yaml"}
    committed = {f"{n}{EXTENSIONS[n.split('.', 1)[0]]}" for n, c in CASES.items() if "generate" not in c}
    assert files == committed
    for name, case in CASES.items():
        assert set(case) <= CASE_KEYS, f"{name}: unknown keys {set(case) - CASE_KEYS}"
        assert case.get("generate", "") in ("", *GENERATORS), f"{name}: no generator {case.get('generate')}"
        assert ("values" in case) == (case["code"] == 0), f"{name}: values go with exit code 0"
        assert case["code"] == 0 or ("stderr" in case) != ("stderr_re" in case), name
        assert not case.get("xfail") or case["xfail"].startswith("BUG:"), name


def test_committed_corpus_is_small() -> None:
    assert sum(p.stat().st_size for p in HAZARDS.iterdir()) < 200 * 1024
