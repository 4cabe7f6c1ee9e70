"""Loading a YAML profile: strict parse, lists from side CSV files, validation with line numbers."""

from __future__ import annotations

from pathlib import Path as FsPath
from typing import Any

from pydantic_core import ValidationError

from creditfix import caps
from creditfix.errors import CreditfixError, InputError, did_you_mean
from creditfix.load.source import STDIN, decode_utf8, display_name, read_bytes
from creditfix.load.validate import to_input_error
from creditfix.load.yamlsafe import Path, parse_yaml
from creditfix.metrics import coerce_bool
from creditfix.model import Debt, Inquiry, Payment, Profile, profile_validator

#: Top-level lists that may be given as a CSV file next to the YAML, and the model of their rows.
_LIST_FILES: dict[str, type[Debt] | type[Payment] | type[Inquiry]] = {
    "debts": Debt,
    "payments": Payment,
    "inquiries": Inquiry,
}
_BOOL_COLUMNS = {"hard", "verified"}
_ID_COLUMNS = {"id", "debt"}  # a debt's id, and the debt a payment is for


def parse_profile_text(text: str, name: str, *, base_dir: FsPath | None = None) -> Profile:
    """Validate YAML *text* (named *name* in messages) into a :class:`Profile`.

    Positions cost as much to record as the rest of the parse, and only an error needs one: a
    profile is parsed (with its top-level keys' lines, for the size caps) and validated without
    them first, and parsed again with them to locate an error (or to read lists from side CSV
    files, whose rows are located too).
    """
    data, top = parse_yaml(text, name, positions=False)
    if isinstance(data, dict) and not any(isinstance(data.get(key), str) for key in _LIST_FILES):
        _check_sizes(data, name, {p: (name, pos[0]) for p, pos in top.items()})
        _default_id(data, name)
        try:
            profile: Profile = profile_validator().validate_python(data)
        except ValidationError:
            pass
        else:
            clash = _currency_clash(data, profile)
            if clash is None:
                return profile
    return _located_profile(text, name, base_dir)


def _default_id(data: dict[str, Any], name: str) -> None:
    client = data.get("client")
    if isinstance(client, dict) and "id" not in client and name != "<stdin>":
        client["id"] = FsPath(name).stem
    elif client is None and name != "<stdin>":
        data["client"] = {"id": FsPath(name).stem}


def _located_profile(text: str, name: str, base_dir: FsPath | None) -> Profile:
    data, positions = parse_yaml(text, name)
    if data is None:
        raise InputError("empty profile: nothing but comments or blank lines", path=name)
    if not isinstance(data, dict):
        raise InputError("expected a mapping of profile fields at the top level", path=name, line=1)
    sources: dict[Path, tuple[str, int]] = {p: (name, pos[0]) for p, pos in positions.items()}
    _check_sizes(data, name, sources)
    for key, model in _LIST_FILES.items():
        value = data.get(key)
        if isinstance(value, str):
            if not value.lower().endswith(".csv"):
                raise InputError(
                    "expected a list or the name of a .csv file", path=name, line=sources[(key,)][1], field=key
                )
            data[key] = _list_from_csv(value, key, model, base_dir, name, sources[(key,)][1], sources)
            _check_sizes(data, name, sources)
    _default_id(data, name)
    try:
        profile: Profile = profile_validator().validate_python(data)
    except ValidationError as exc:
        raise to_input_error(exc, Profile, sources, name) from None
    clash = _currency_clash(data, profile)
    if clash is not None:
        where, message = clash
        path, line = sources.get(where, sources.get(where[:-1], (name, None)))
        field = ".".join(f"[{k}]" if isinstance(k, int) else k for k in where).replace(".[", "[")
        raise InputError(message, path=path, line=line, field=field)
    return profile


#: The money fields of a profile (``creditfix.profile_schema``'s ``Money``), by the key they have.
_MONEY_KEYS = frozenset({"monthly", "annual", "balance", "limit", "min_payment", "past_due", "amount"})


def _currency_clash(data: object, profile: Profile) -> tuple[Path, str] | None:
    """The first amount written with a currency sign or word that cannot be the profile's currency
    (``¥50,000`` in a USD profile, ``€8.000`` in a CNY one), and what to say about it: an amount is
    never converted, and a sign that contradicts the currency is a mistake of the export or the
    typing, not a detail. None when there is none or the currency is not known."""
    from creditfix.money import currency_clash, default_currency

    currency = (profile.client.currency or default_currency(profile.jurisdiction) or "").upper()
    if not currency:
        return None
    stack: list[tuple[Path, object]] = [((), data)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                if isinstance(item, str) and key in _MONEY_KEYS:
                    clash = currency_clash(item, currency, "profile")
                    if clash is not None:
                        return (*where, key), clash
                elif isinstance(item, (dict, list)):
                    stack.append(((*where, key), item))
        elif isinstance(value, list):
            stack.extend(((*where, index), item) for index, item in enumerate(value) if isinstance(item, (dict, list)))
    return None


def _check_sizes(data: dict[str, Any], name: str, sources: dict[Path, tuple[str, int]]) -> None:
    """Longest lists a profile may hold (caps ``debts``, ``payments``, ``inquiries``, ``events``): with the size
    cap they keep a hostile file's cost well under a second and 100 MB."""
    active = caps.active()
    for key in (*_LIST_FILES, "events"):
        value = data.get(key)
        cap = getattr(active, key)
        if isinstance(value, list) and len(value) > cap:
            path, line = sources.get((key,), (name, 1))
            raise InputError(
                f"more than {cap} entries (the limit for one profile){caps.hint(key)}", path=path, line=line, field=key
            )


def _list_from_csv(
    ref: str,
    key: str,
    model: type[Debt] | type[Payment] | type[Inquiry],
    base_dir: FsPath | None,
    yaml_name: str,
    yaml_line: int,
    sources: dict[Path, tuple[str, int]],
) -> list[dict[str, Any]]:
    from creditfix.load.csvread import read_csv, refuse_spreadsheet_id  # only for lists kept in CSV files

    path = (base_dir or FsPath.cwd()) / ref
    if not path.is_file():
        raise InputError("no such CSV file next to the profile", path=yaml_name, line=yaml_line, field=key)
    csv_name = str(path) if base_dir is None else str(FsPath(yaml_name).parent / ref)
    fields = list(model.field_names)
    table = read_csv(read_bytes(path), csv_name, recognised=lambda header: all(h in fields for h in header))
    for index, cell in enumerate(table.header):
        if cell not in fields:
            raise InputError(
                f"unknown column{did_you_mean(cell, fields)}",
                path=csv_name,
                line=table.header_line,
                field=f"column {index + 1}",
            )
    items: list[dict[str, Any]] = []
    for line, cells in table.rows:
        if isinstance(cells, InputError):
            raise cells
        row: dict[str, Any] = {}
        for column, cell in zip(table.header, cells, strict=True):
            cell = cell.strip()
            if not cell:
                continue
            if column in _ID_COLUMNS:
                refuse_spreadsheet_id(cell, path=csv_name, line=line, field=column)
            if column in _BOOL_COLUMNS:
                try:
                    row[column] = coerce_bool(cell)
                except ValueError as exc:
                    raise InputError(str(exc), path=csv_name, line=line, field=column) from None
            else:
                row[column] = cell
        sources[(key, len(items))] = (csv_name, line)
        items.append(row)
    return items


def side_files(path: str | FsPath) -> list[tuple[str, FsPath]]:
    """The CSV files the YAML profile *path* names for its lists (``payments: payments.csv``), as
    (list, resolved path); none when it names none or cannot be read."""
    try:
        data = read_bytes(path, cap="profile_bytes")
        if b".csv" not in data.lower():
            return []
        value, _ = parse_yaml(decode_utf8(data, str(path)), str(path), positions=False)
    except CreditfixError:
        return []
    if not isinstance(value, dict):
        return []
    named = ((key, value.get(key)) for key in _LIST_FILES)
    return [
        (key, (FsPath(path).parent / ref).resolve())
        for key, ref in named
        if isinstance(ref, str) and ref.lower().endswith(".csv")
    ]


def load_yaml_profile(path: str | FsPath) -> Profile:
    """Read and validate a YAML profile file (``-`` reads stdin)."""
    name = display_name(path)
    text = decode_utf8(read_bytes(path, cap="profile_bytes"), name)
    base = None if str(path) == STDIN else FsPath(path).parent
    return parse_profile_text(text, name, base_dir=base)
