"""Lists of a profile read from CSV files next to it (``payments: payments.csv``): the same strictness
as a client table."""

from __future__ import annotations

from pathlib import Path

import pytest

PROFILE = """\
creditfix: 1
client: {id: side, jurisdiction: US}
as_of: 2026-11-20
debts: DEBTS
payments: PAYMENTS
"""


@pytest.mark.parametrize(
    ("debts", "payments", "bad", "message"),
    [
        (
            "id,balance\n6.22848E+18,1900\n",
            "debt,due,paid\n",
            "debts.csv",
            "2: id: turned into a number by a spreadsheet (scientific notation); export it as text",
        ),
        (
            "id,balance\ncard,1900\n",
            "debt,due,paid\ncard,2026-10-05,2026-10-03\n6.22848E+18,2026-11-05,2026-11-03\n",
            "payments.csv",
            "3: debt: turned into a number by a spreadsheet (scientific notation); export it as text",
        ),
    ],
    ids=["debt-id", "payment-debt"],
)
def test_spreadsheet_mangled_id_in_a_side_csv_is_refused(
    run, tmp_path: Path, debts: str, payments: str, bad: str, message: str
) -> None:
    (tmp_path / "debts.csv").write_text(debts, encoding="utf-8")
    (tmp_path / "payments.csv").write_text(payments, encoding="utf-8")
    profile = tmp_path / "me.yaml"
    profile.write_text(PROFILE.replace("DEBTS", "debts.csv").replace("PAYMENTS", "payments.csv"), encoding="utf-8")
    result = run("metrics", profile)
    assert result.code == 2
    assert result.err == f"creditfix: error: {tmp_path / bad}:{message}\n"
    assert "6.22848" not in result.err
