"""Hypothesis strategies: valid profiles (CN and US) as plain data, as YAML text, and as models.

``profile_data()`` draws the plain Python value a loader would build from a valid file (Decimal
money, ``date`` dates, strings); ``to_yaml`` writes it as the YAML text a person might type, in a
mix of block and flow styles, quoted and plain scalars, so that the loader is exercised too.
``Profile.model_validate(data)`` and ``parse_profile_text(to_yaml(data))`` must agree.
``check_results()`` draws ``check`` results for the output formats.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from creditfix.check import CheckResult
from creditfix.model import HARD_REASONS, SCORE_RANGES, US_TOKENS

DEBT_TYPES = ("card", "credit_line", "personal_loan", "mortgage", "auto", "student", "business", "other")
STATUSES = ("open", "closed", "closed_by_lender", "frozen", "collection", "charged_off", "settled")
REASONS = (*sorted(HARD_REASONS), "post_loan", "self", "employment", "insurance", "prequalification")
PBOC_CODES = "N1234567*C#DZGB"
#: A recognisable value that must never show in an error message (an account number).
CANARY = "6222021234567890123"

ids = st.from_regex(r"[a-z][a-z0-9-]{0,11}", fullmatch=True)
names = st.sampled_from(["李伟", "王芳", "Jordan Lee", "María José", "Zoë O'Brien", "张 敏"])


def money(high: int = 2_000_000, places: int = 2) -> st.SearchStrategy[Decimal]:
    """A non-negative amount with at most *places* decimals; now and then one at the edge of what
    the loader accepts (23 digits, or 20 decimal places), which makes ratios of 1E+40."""
    usual = st.integers(0, high * 10**places).map(lambda n: Decimal(n).scaleb(-places))
    huge = st.integers(0, 10**23 - 1).map(Decimal)
    tiny = st.integers(1, 10**3).map(lambda n: Decimal(n).scaleb(-20))
    return st.one_of(usual, usual, usual, usual, usual, usual, huge, tiny)


def day(low: date, high: date) -> st.SearchStrategy[date]:
    return st.dates(min_value=low, max_value=max(low, high))


@st.composite
def history(draw: st.DrawFn, jurisdiction: str) -> str | list[str]:
    """A repayment history: a PBOC code string, or (US) space-separated tokens or a list."""
    length = draw(st.integers(1, 36))
    if jurisdiction == "US" and draw(st.booleans()):
        tokens = draw(st.lists(st.sampled_from(sorted(US_TOKENS)), min_size=length, max_size=length))
        return tokens if draw(st.booleans()) else " ".join(tokens)
    codes = draw(st.lists(st.sampled_from(PBOC_CODES), min_size=length, max_size=length))
    text = "".join(codes)
    if draw(st.booleans()) and len(text) > 12:
        text = text[:12] + " " + text[12:]  # people group months by year
    return text


@st.composite
def debt(draw: st.DrawFn, debt_id: str, as_of: date, jurisdiction: str) -> dict[str, Any]:
    out: dict[str, Any] = {"id": debt_id}
    kind = draw(st.sampled_from(DEBT_TYPES))
    status = draw(st.sampled_from(STATUSES))
    balance = draw(money())
    if draw(st.booleans()):
        out["type"] = kind
    out["balance"] = balance
    if draw(st.booleans()):
        out["lender"] = draw(st.sampled_from(["借呗", "招商银行", "Chase", "Capital One", "花呗"]))
    if draw(st.booleans()) or kind in ("card", "credit_line"):
        # A limit of 0 with a balance on an open line is refused by the model: keep limits positive.
        out["limit"] = draw(money().filter(lambda m: m > 0)) if draw(st.integers(0, 9)) else None
    if draw(st.booleans()):
        out["apr"] = draw(st.integers(0, 3600).map(lambda n: Decimal(n).scaleb(-4)))
    if draw(st.booleans()):
        out["min_payment"] = draw(money(50_000))
    if status != "open" or draw(st.booleans()):
        out["status"] = status
    opened = None
    if draw(st.booleans()):
        opened = draw(day(date(1990, 1, 1), as_of))
        out["opened"] = opened
        if draw(st.integers(0, 3)) == 0:
            out["closed"] = draw(day(opened, as_of))
    if draw(st.booleans()):
        out["past_due"] = draw(st.one_of(st.just(Decimal(0)), money(20_000)))
    if draw(st.integers(0, 3)):
        out["history"] = draw(history(jurisdiction))
        if draw(st.integers(0, 3)) == 0:
            end = draw(day(date(2000, 1, 1), as_of))
            out["history_end"] = f"{end.year:04d}-{end.month:02d}"
    return {k: v for k, v in out.items() if v is not None}


@st.composite
def profile_data(draw: st.DrawFn, jurisdiction: str | None = None) -> dict[str, Any]:
    """A valid profile as plain data; CN or US unless *jurisdiction* is given."""
    place = jurisdiction or draw(st.sampled_from(["CN", "US"]))
    as_of = draw(day(date(2005, 1, 1), date(2035, 12, 31)))
    data: dict[str, Any] = {"creditfix": 1}
    client: dict[str, Any] = {"id": draw(ids), "jurisdiction": place}
    if draw(st.booleans()):
        client["name"] = draw(names)
    if draw(st.booleans()):
        client["currency"] = {"CN": "CNY", "US": "USD"}[place]
    data["client"] = client
    data["as_of"] = as_of
    if draw(st.integers(0, 4)):
        income: dict[str, Any] = {}
        if draw(st.booleans()):
            income["monthly"] = draw(money(200_000))
        else:
            income["annual"] = draw(money(2_000_000))
        if draw(st.booleans()):
            income["verified"] = draw(st.booleans())
        data["income"] = income
    if draw(st.booleans()):
        scale = draw(st.sampled_from(["sesame"] if place == "CN" else ["fico", "vantage"]))
        low, high = SCORE_RANGES[scale]
        data["score"] = {"value": draw(st.integers(low, high)), "scale": scale}
    if draw(st.integers(0, 5)):
        debt_ids = draw(st.lists(ids, max_size=6, unique=True))
        data["debts"] = [draw(debt(i, as_of, place)) for i in debt_ids]
        if debt_ids and draw(st.booleans()):
            payments = []
            for _ in range(draw(st.integers(0, 12))):
                due = draw(day(as_of - timedelta(days=900), as_of + timedelta(days=60)))
                payment: dict[str, Any] = {"debt": draw(st.sampled_from(debt_ids)), "due": due}
                if draw(st.integers(0, 3)):
                    payment["paid"] = due + timedelta(days=draw(st.integers(-5, 400)))
                if draw(st.booleans()):
                    payment["amount"] = draw(money(20_000))
                payments.append(payment)
            data["payments"] = payments
    if draw(st.integers(0, 3)):
        inquiries = []
        for _ in range(draw(st.integers(0, 12))):
            inquiry: dict[str, Any] = {"date": draw(day(as_of - timedelta(days=1000), as_of))}
            if draw(st.integers(0, 4)):
                inquiry["reason"] = draw(st.sampled_from(REASONS))
            else:
                inquiry["hard"] = draw(st.booleans())
            if draw(st.booleans()):
                inquiry["by"] = draw(st.sampled_from(["招商银行", "360借条", "Chase", "Experian"]))
            inquiries.append(inquiry)
        data["inquiries"] = inquiries
    return data


# --- YAML text ---------------------------------------------------------------------------------

_PLAIN_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_ ")


def _scalar(value: Any, plain_text: bool) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, Decimal)):
        return format(value, "f") if isinstance(value, Decimal) else str(value)
    if isinstance(value, date):
        return value.isoformat()
    assert isinstance(value, str)
    text_ok = value and set(value) <= _PLAIN_SAFE and value[0].isalpha() and value == value.strip()
    if plain_text and text_ok and value.lower() not in ("true", "false", "null", "yes", "no", "on", "off", "y", "n"):
        return value
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _key(key: Any) -> str:
    if isinstance(key, str) and key and set(key) <= _PLAIN_SAFE - {" "} and key[0].isalpha():
        return key
    return json.dumps(str(key), ensure_ascii=False)


def to_yaml(data: Any, *, flow_depth: int = 99, plain_text: bool = True) -> str:
    """*data* as YAML: block style down to *flow_depth*, flow style below it."""
    return _block(data, 0, flow_depth, plain_text) + "\n"


def _flow(value: Any, plain_text: bool) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(k)}: {_flow(v, plain_text)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v, plain_text) for v in value) + "]"
    return _scalar(value, plain_text)


def _block(value: Any, indent: int, flow_depth: int, plain_text: bool) -> str:
    pad = "  " * indent
    if isinstance(value, dict):
        if not value:
            return pad + "{}"
        lines = []
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item and flow_depth > 0:
                lines.append(f"{pad}{_key(key)}:\n{_block(item, indent + 1, flow_depth - 1, plain_text)}")
            else:
                lines.append(f"{pad}{_key(key)}: {_flow(item, plain_text)}")
        return "\n".join(lines)
    if isinstance(value, list):
        if not value:
            return pad + "[]"
        lines = []
        for item in value:
            if isinstance(item, dict) and item and flow_depth > 0:
                inner = _block(item, indent + 1, flow_depth - 1, plain_text)
                lines.append(f"{pad}- {inner.lstrip()}")
            else:
                lines.append(f"{pad}- {_flow(item, plain_text)}")
        return "\n".join(lines)
    return pad + _scalar(value, plain_text)


@st.composite
def profile_yaml(draw: st.DrawFn, jurisdiction: str | None = None) -> tuple[dict[str, Any], str]:
    """A valid profile and its YAML text, in a drawn style."""
    data = draw(profile_data(jurisdiction))
    text = to_yaml(data, flow_depth=draw(st.integers(0, 4)), plain_text=draw(st.booleans()))
    return data, text


# --- hostile edits of valid documents ----------------------------------------------------------


class Raw(str):
    """A scalar written into YAML exactly as it is (``.nan``, ``0x1F``, ``1:20``)."""


_HOSTILE_PLAIN = [
    ".nan", ".inf", "-.inf", "1e999", "1e-999", "9" * 30, "0x1F", "0o17", "010", "1_000", "1:20", "NO", "yes",
    "~", "2021-02-30", "0000-01-01", "2026-13-01", "12:30:00", "2026-01-01T10:00:00Z", "-5", "-0", "+7", "1.5",
    "-0.0001", "1e3", "1E+3", CANARY, f"-{CANARY}", f"{CANARY}.5", f"{CANARY}e5", "2026-11", "Infinity", "null",
]  # fmt: skip
_HOSTILE_TEXT = [
    CANARY, f"¥{CANARY}", f"({CANARY})", "18%", "1800%", "-18%", "%", "nan", "Infinity", "1e3", "(1,234.56)",
    "１２３", "", " ", "\n", "a\u2028b", "\x00", "\r", "\t", "OK OK 30", "1,2,3", "N" * 700, "x" * 300,
    f"{{{CANARY}}}", "{x.__class__}", "{", "}", "__import__('os')", "().__class__", "10**99999", "open('x')",
]  # fmt: skip
_HOSTILE_KEYS = [CANARY, f"a{CANARY}", f"acct_{CANARY}", "__class__", "balance ", "BALANCE", "x" * 50, "\u2028"]

hostile_leaf: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from([Raw(t) for t in _HOSTILE_PLAIN]),
    st.sampled_from(_HOSTILE_TEXT),
    st.sampled_from([True, False, None, 0, -1, 10**30, -(10**30), Decimal("-0.01"), Decimal("1E-30")]),
    st.text(max_size=20),
    st.integers(),
    st.dates().map(lambda d: Raw(d.isoformat())),
)
hostile_value: st.SearchStrategy[Any] = st.recursive(
    hostile_leaf,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.one_of(st.sampled_from(_HOSTILE_KEYS), ids), inner, max_size=3),
    ),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            out += _paths(item, (*prefix, index))
    return out


@st.composite
def hostile_edit(draw: st.DrawFn, document: Any) -> Any:
    """*document* (plain data) with one to three places replaced by hostile values or keys."""
    import copy

    doc = copy.deepcopy(document)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        value = draw(hostile_value)
        if not path:
            doc = value
            continue
        parent = doc
        for part in path[:-1]:
            parent = parent[part]
        last = path[-1]
        action = draw(st.integers(0, 3))
        if action == 0 and isinstance(parent, dict):  # a new or renamed key
            key = draw(st.sampled_from(_HOSTILE_KEYS))
            parent[key] = parent.pop(last)
        elif action == 1 and isinstance(parent, dict):
            del parent[last]
        else:
            parent[last] = value
    return doc


# --- CSV client tables -------------------------------------------------------------------------

_CELLS = [
    "", " ", "0", "1", "12000", "9,500", "1,234.56", "8.765,44", "¥8,765.44", "￥12,000.00", "(1,234.56)",
    "１２３", "6.22848E+18", "-5", "32.8%", "0.45", "yes", "no", "是", "否", "CN", "US", "NO", "2026-11-20",
    "2021-02-30", "sesame", "fico", "nan", "inf", "1e999", "9" * 40, CANARY, f"¥{CANARY}", f"{CANARY}%",
    '"', 'a"b', "\t", "=HYPERLINK()", "\u2028",
]  # fmt: skip


@st.composite
def client_table_bytes(draw: st.DrawFn) -> bytes:
    """A client table as a spreadsheet might export it: known and unknown headers, odd cells,
    any delimiter, line ending and encoding."""
    from creditfix.load.table import KNOWN_COLUMNS

    known = sorted(KNOWN_COLUMNS)
    header = draw(
        st.lists(
            st.sampled_from([*known, CANARY, "客户编号", "client id"]),
            min_size=1,
            max_size=8,
            unique=draw(st.integers(0, 9)) > 0,
        )
    )
    if draw(st.booleans()) and "client_id" not in header:
        header = ["client_id", *header]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    cell = st.one_of(st.sampled_from(_CELLS), st.text(max_size=8))
    rows = draw(
        st.lists(st.lists(cell, min_size=max(0, len(header) - 1), max_size=len(header) + 1), min_size=1, max_size=5)
    )

    def quote(text: str) -> str:
        if draw(st.booleans()) or any(c in text for c in (delimiter, '"', "\n", "\r")):
            return '"' + text.replace('"', '""') + '"' if draw(st.integers(0, 29)) else '"' + text
        return text

    newline = draw(st.sampled_from(["\n", "\r\n"]))
    text = newline.join(delimiter.join(quote(c) for c in row) for row in [header, *rows]) + newline
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "cp1252", "utf-16"]))
    return text.encode(encoding, "replace")


@st.composite
def side_csv_bytes(draw: st.DrawFn) -> bytes:
    """A debts, payments or inquiries CSV file next to a profile, with odd cells."""
    from creditfix.model import Debt, Inquiry, Payment

    model = draw(st.sampled_from([Debt, Payment, Inquiry]))
    fields = [*model.model_fields, CANARY, "balence"]
    header = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=6, unique=draw(st.integers(0, 9)) > 0))
    cell = st.one_of(st.sampled_from([*_CELLS, "card", "open", "NNN1", "OK", "loan_application", "true"]), st.text())
    rows = draw(st.lists(st.lists(cell, min_size=len(header), max_size=len(header)), max_size=4))
    return "\n".join(",".join(row) for row in [header, *rows]).encode("utf-8", "replace") + b"\n"


_RESULT_TEXT = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(["=1+1", "\u2028", '"', "\\", "贷款"]))


def check_results() -> st.SearchStrategy[CheckResult]:
    """``check`` results with odd text (quotes, backslashes, line separators, Chinese) in every field."""
    return st.builds(
        CheckResult,
        index=st.integers(0, 9),
        source=st.text(max_size=8),
        line=st.one_of(st.none(), st.integers(1, 10**6)),
        client_id=_RESULT_TEXT,
        grade=st.one_of(st.none(), st.sampled_from("ABCDE")),
        risk_points=st.one_of(st.none(), st.integers(0, 500)),
        counts=st.dictionaries(st.sampled_from(["critical", "high", "medium", "low", "info"]), st.integers(0, 9)),
        top_rule=_RESULT_TEXT,
        top_title=_RESULT_TEXT,
        top_severity=_RESULT_TEXT,
        error=_RESULT_TEXT,
    )
