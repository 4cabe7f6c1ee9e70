"""``--redact``: what leaves creditfix about who a client is.

A redacted profile keeps every number (metrics, findings and plans are unchanged) but: the client's
name becomes a stable pseudonym (``P-`` and 6 hex digits of a SHA-256 of the name, the same for the
same name in every run, so an advisor can still match rows); the client id and every debt id keep
only their last 4 characters (``…0042``), with payments pointing at the redacted debt ids.
Pseudonyms are unsalted: they hide names from a casual reader, not from someone who can guess them.
"""

from __future__ import annotations

import hashlib

from creditfix.model import Profile


def last4(value: str) -> str:
    """``…0042``: the last 4 characters only."""
    return "…" + value[-4:] if len(value) > 4 else "…" + value


def pseudonym(name: str) -> str:
    """``P-3fa92c``: stable for the same name."""
    return "P-" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]


def redact(profile: Profile) -> Profile:
    """The same profile with names and identifiers redacted (see the module docstring)."""
    client = profile.client.model_copy(
        update={
            "id": last4(profile.client.id) if profile.client.id else None,
            "name": pseudonym(profile.client.name) if profile.client.name else None,
        }
    )
    mapping: dict[str, str] = {}
    debts = None
    if profile.debts is not None:
        debts = []
        for index, debt in enumerate(profile.debts):
            short = last4(debt.id)
            if short in mapping.values():  # two ids with the same tail stay distinct
                short = f"{short}#{index + 1}"
            mapping[debt.id] = short
            debts.append(debt.model_copy(update={"id": short}))
    payments = None
    if profile.payments is not None:
        payments = tuple(p.model_copy(update={"debt": mapping.get(p.debt, last4(p.debt))}) for p in profile.payments)
    events = None
    if profile.events is not None:
        events = []
        for event in profile.events:
            update: dict[str, object] = {"note": None}
            if event.account is not None:
                short = last4(event.account.id)
                mapping[event.account.id] = short if short not in mapping.values() else f"{short}#e"
                update["account"] = event.account.model_copy(update={"id": mapping[event.account.id]})
            events.append(event.model_copy(update=update))
        events = [e.model_copy(update={"debt": mapping.get(e.debt, last4(e.debt))}) if e.debt else e for e in events]
    return profile.model_copy(
        update={
            "client": client,
            "debts": tuple(debts) if debts is not None else None,
            "payments": payments,
            "events": tuple(events) if events is not None else None,
        }
    )
