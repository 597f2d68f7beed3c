"""One amount rule for every way an amount comes in: the opportunity form (and the account
form's revenue) read what was typed through the same domain parser as ``kamtui import`` reads a
CSV cell, so both take and refuse the same texts, with the same reason."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.deals import Opportunity
from kamtui.domain.errors import ValidationError
from kamtui.domain.importer import Existing, plan_text
from kamtui.domain.model import Account
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY

REFUSED = ["1e18", "1e5", "1E5", "inf", "-inf", "nan", "Infinity", "1e400", "2000000000000000", "1,000,000,000,000,001"]
ACCEPTED = {"0": 0.0, "120,000": 120_000.0, "1,234.50": 1234.5, "1000000000000000": 1e15, "$ 99.90": 99.9}


def _form_value(text: str) -> float:
    """What the opportunity form does with the typed value (its ``build``)."""
    return Opportunity(account_id=1, title="Renewal", value=text).value


def _imported(text: str) -> list[str]:
    """The import's verdict on a deals CSV whose one row has ``text`` as its amount."""
    csv = f'Deal Name,Amount,Deal Stage,Associated Company\nRenewal,"{text}",qualify,Acme\n'
    plan = plan_text(csv, "deals", None, Existing(accounts={1: {"name": "Acme"}}))
    return [r.describe() for r in plan.refused]


@pytest.mark.parametrize("text", REFUSED)
def test_the_form_and_the_import_refuse_the_same_amounts_for_the_same_reason(text: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _form_value(text)
    assert caught.value.field == "value"
    assert "amount" in caught.value.reason
    assert _imported(text) == [f"line 2: value: {caught.value.reason}"]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED.items())
def test_the_form_and_the_import_take_the_same_amounts(text: str, expected: float) -> None:
    assert _form_value(text) == expected
    assert _imported(text) == []
    csv = f'Deal Name,Amount,Deal Stage,Associated Company\nRenewal,"{text}",qualify,Acme\n'
    plan = plan_text(csv, "deals", None, Existing(accounts={1: {"name": "Acme"}}))
    assert plan.rows[0].values["value"] == expected


def test_the_rule_says_the_limit() -> None:
    with pytest.raises(ValidationError) as caught:
        Account(name="Acme", revenue="2000000000000000")
    assert caught.value.field == "revenue"
    assert "1,000,000,000,000,000" in caught.value.reason
    with pytest.raises(ValidationError, match=r"revenue: .*1,000,000,000,000,000"):
        Account(name="Acme", revenue=2e15)  # a number is held to the same limit
    with pytest.raises(ValidationError, match="must not be negative"):
        Account(name="Acme", cost_to_serve="-5")


def test_kamtui_import_refuses_an_amount_above_the_limit_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name\nAcme\n", encoding="utf-8")
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "Deal Name,Amount,Deal Stage,Associated Company\nSmall,100,qualify,Acme\nHuge,2000000000000000,qualify,Acme\n",
        encoding="utf-8",
    )

    def kamtui(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kamtui", *args], capture_output=True, text=True, timeout=120, check=False
        )

    assert kamtui("import", "--db", str(db), str(accounts)).returncode == 0
    before = db.read_bytes()
    done = kamtui("import", "--db", str(db), str(deals))
    assert done.returncode != 0 and done.stdout == ""
    assert "Traceback" not in done.stderr
    line = next(t for t in done.stderr.splitlines() if "line 3" in t)
    assert line.startswith("kamtui: deals.csv: line 3: value: ") and "1,000,000,000,000,000" in line
    assert db.read_bytes() == before


async def test_the_opportunity_form_refuses_1e18_on_the_value_field(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.json", user="tester")
    try:
        acme = store.insert("accounts", Account(name="Acme").to_doc())
        app = KamApp(store, today=TODAY, start="accounts")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("5")
            await settle(app, pilot)
            await pilot.press("a")
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            fields: Any = form
            fields.query_one("#f-title").value = "Renewal"
            fields.query_one("#f-value").value = "1e18"
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form
            error = str(form.query_one("#e-value").render())
            assert "amount" in error and "1,000,000,000,000,000" in error, error
            assert "1,000,000,000,000,000" in screen_text(app)
        assert store.children("opportunities", acme) == []
    finally:
        store.close(compact=False)
