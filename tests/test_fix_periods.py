"""Dates and periods out of reach: a KPI's plan period names a year from 2000 to 2100, and an
opportunity's close date is at most ten years ahead, in the form and in ``kamtui import`` alike
(one domain rule each)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.deals import Kpi
from kamtui.domain.errors import ValidationError
from kamtui.domain.importer import Existing, plan_text
from kamtui.domain.model import Account
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


# ------------------------------------------------------------------ plan periods
@pytest.mark.parametrize("period", ["99999", "1999", "2101", "FY99999", "2026-20277", "Q3 1999"])
def test_a_plan_period_must_name_a_year_from_2000_to_2100(period: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Kpi(account_id=1, name="NPS", target=40, period=period)
    assert caught.value.field == "period"
    assert "2000" in caught.value.reason and "2100" in caught.value.reason


@pytest.mark.parametrize("period", ["", "2026", "FY2027", "2026/2027", "Q3 2026", "H1 2030", "2000", "2100"])
def test_plan_periods_that_name_a_year_are_kept(period: str) -> None:
    assert Kpi(account_id=1, name="NPS", target=40, period=f" {period} ").period == period


@pytest.mark.parametrize("period", ["Q3", "FY26", "next year", "0"])
def test_a_stored_period_naming_no_year_still_reads_but_a_form_asks_for_the_year(period: str) -> None:
    """An older kamtui kept any text: such a KPI is not damaged. A form asks for the year (a
    period without one is never the plan under way, so its KPI would never be flagged)."""
    from kamtui.domain import validate

    assert Kpi(account_id=1, name="NPS", target=40, period=period).period == period
    with pytest.raises(ValidationError) as caught:
        validate.period_with_year("period", period)
    assert "2000" in caught.value.reason


def test_a_stored_kpi_is_read_by_the_same_rule() -> None:
    doc = Kpi(account_id=1, name="NPS", target=40, period="2027").to_doc()
    with pytest.raises(ValidationError, match="period"):
        Kpi.from_doc({**doc, "period": "99999"})


@pytest.mark.parametrize("period", ["99999", "Q3"])
async def test_the_kpi_form_refuses_a_period_inline_and_writes_nothing(tmp_path: Path, period: str) -> None:
    from kamtui.ui.kpi_forms import kpi_form

    store = Store(tmp_path / "k.json", user="tester")
    try:
        acme = store.insert("accounts", Account(name="Acme").to_doc())
        app = KamApp(store, today=TODAY, start="accounts")
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            app.push_screen(kpi_form(app.session, acme, None))
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            fields: Any = form
            fields.query_one("#f-name").value = "NPS"
            fields.query_one("#f-target").value = "40"
            fields.query_one("#f-period").value = period
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form
            error = str(form.query_one("#e-period").render())
            assert period in error and "2000" in error and "2100" in error, error
        assert store.children("kpis", acme) == []
    finally:
        store.close(compact=False)


# ------------------------------------------------------------------ close dates
def test_a_close_date_at_most_ten_years_ahead() -> None:
    from kamtui.domain.deals import check_close_date

    today = dt.date(2026, 12, 3)
    check_close_date("close_date", dt.date(2036, 12, 3), today)
    check_close_date("close_date", dt.date(1999, 1, 1), today)  # the past is history, not a typo
    with pytest.raises(ValidationError) as caught:
        check_close_date("close_date", dt.date(2036, 12, 4), today)
    assert caught.value.field == "close_date" and "10 years" in caught.value.reason
    check_close_date("close_date", dt.date(2034, 2, 28), dt.date(2024, 2, 29))  # a leap day's limit


def _deals_csv(close: str) -> str:
    return f"Deal Name,Amount,Deal Stage,Close Date,Associated Company\nRenewal,100,qualify,{close},Acme\n"


def test_the_import_refuses_9999_12_31_with_its_line() -> None:
    plan = plan_text(_deals_csv("9999-12-31"), "deals", None, Existing(accounts={1: {"name": "Acme"}}), today=TODAY)
    assert [r.describe() for r in plan.refused] == [
        f"line 2: close_date: 9999-12-31 is more than 10 years ahead (the latest is "
        f"{TODAY.replace(year=TODAY.year + 10).isoformat()}): an expected close that far out is a typo"
    ]
    plan = plan_text(_deals_csv("2027-03-31"), "deals", None, Existing(accounts={1: {"name": "Acme"}}), today=TODAY)
    assert plan.refused == []


def test_kamtui_import_refuses_9999_12_31_on_stderr_and_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name\nAcme\n", encoding="utf-8")
    deals = tmp_path / "deals.csv"
    deals.write_text(_deals_csv("9999-12-31"), encoding="utf-8")

    def kamtui(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "kamtui", *args], capture_output=True, text=True, timeout=120, check=False
        )

    assert kamtui("import", "--db", str(db), str(accounts)).returncode == 0
    before = db.read_bytes()
    done = kamtui("import", "--db", str(db), str(deals))
    assert done.returncode != 0 and done.stdout == "" and "Traceback" not in done.stderr
    assert "kamtui: deals.csv: line 2: close_date: 9999-12-31 is more than 10 years ahead" in done.stderr
    assert db.read_bytes() == before


async def test_the_deal_form_refuses_the_same_close_date_inline(tmp_path: Path) -> None:
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
            fields.query_one("#f-close_date").value = "9999-12-31"
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form
            error = str(form.query_one("#e-close_date").render())
            assert "9999-12-31 is more than 10 years ahead" in error, error
        assert store.children("opportunities", acme) == []
    finally:
        store.close(compact=False)
