"""Dates a KAM could never mean are refused: a last contact of 0001-01-01 (shown as 739952 days
ago, and `kamtui check` said OK), an objective due +99999d (2300-09-17), an open deal closing
1900-01-01. A date typed or imported is from 1970-01-01 and at most ten years ahead
(validate.in_window: the close dates' rule, generalised), and `kamtui check` names a stored one
outside (the model reads any real date: what is stored always loads).
And the review form's preview tells what saving does: a review dated before the last one does
not move the next review."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.dates import date_problems
from kamtui.domain.deals import Opportunity
from kamtui.domain.importer import Existing, plan_text
from kamtui.domain.model import Account, Horizon, Objective, Stakeholder
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from tests.raw import write_raw_documents
from tests.test_term_forms import focused_id, on_screen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.mark.parametrize(
    ("cls", "field", "value"),
    [
        (Stakeholder, "last_contact", "0001-01-01"),
        (Stakeholder, "last_contact", "1969-12-31"),
        (Objective, "due", "2300-09-17"),
        (Opportunity, "close_date", "1900-01-01"),
        (Opportunity, "close_date", "9999-12-31"),
    ],
)
def test_the_window_is_the_rule_of_dates_typed_or_imported_not_of_what_is_stored(
    cls: Any, field: str, value: str
) -> None:
    """The model reads such a date (an older kamtui kept them: what is stored always loads, see
    tests/test_fix_stored_dates.py); the rule where today is known refuses it, naming it."""
    need = {"name": "Ada"} if cls is Stakeholder else {"title": "Grow"}
    doc = cls(account_id=1, **need).to_doc()
    entity = cls.from_doc({**doc, field: value})
    assert getattr(entity, field) == dt.date.fromisoformat(value)
    problems = date_problems(entity, TODAY)
    assert [p.field for p in problems] == [field] and value in problems[0].reason


async def test_the_objective_form_refuses_a_due_date_more_than_ten_years_ahead(tmp_path: Path) -> None:
    from kamtui.ui.entity_forms import objective_form

    store = Store(tmp_path / "k.json", user="tester")
    try:
        acme = store.insert("accounts", Account(name="Acme").to_doc())
        app = KamApp(store, today=TODAY, start="accounts")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            for typed, said in (
                ("+99999d", "2300-09-07 is more than 10 years ahead"),
                ("+4000d", "more than 10 years ahead"),
            ):
                app.push_screen(objective_form(app.session, acme, None, Horizon.SHORT))
                await settle(app, pilot)
                form = app.screen
                assert isinstance(form, FormScreen)
                fields: Any = form
                fields.query_one("#f-title").value = "Grow"
                fields.query_one("#f-due").value = typed
                await settle(app, pilot)
                await pilot.press("ctrl+s")
                await settle(app, pilot)
                assert app.screen is form
                error = form.query_one("#e-due")
                assert said in str(error.render()), str(error.render())
                assert focused_id(app) == "f-due" and on_screen(app, error)
                await pilot.press("escape")
                await settle(app, pilot)
        assert store.children("objectives", acme) == []
    finally:
        store.close(compact=False)


def test_the_import_refuses_dates_out_of_the_window_with_their_line() -> None:
    acme = Existing(accounts={1: {"name": "Acme"}})
    contacts = "First Name,Last Name,Company,Last Contact\nAda,King,Acme,0001-01-01\n"
    plan = plan_text(contacts, "contacts", None, acme, today=TODAY)
    assert [f"line {r.line}: {e}" for r in plan.rows for e in r.errors] == [
        "line 2: last_contact: 0001-01-01 is before 1970-01-01, the earliest date kamtui keeps: a typo?"
    ]
    deals = "Deal Name,Amount,Deal Stage,Close Date,Associated Company\nRenewal,100,qualify,1900-01-01,Acme\n"
    plan = plan_text(deals, "deals", None, acme, today=TODAY)
    assert [f"line {r.line}: {e}" for r in plan.rows for e in r.errors] == [
        "line 2: close_date: 1900-01-01 is before 1970-01-01, the earliest date kamtui keeps: a typo?"
    ]


def test_kamtui_check_names_a_stored_date_out_of_the_window(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    store = Store(db, user="tester")
    try:
        acme = store.insert("accounts", Account(name="Acme").to_doc())
    finally:
        store.close()
    (sid,) = write_raw_documents(
        db, {"stakeholders": [{"account_id": acme, "name": "Ada", "last_contact": "0001-01-01"}]}
    )
    run = subprocess.run(
        [sys.executable, "-m", "kamtui", "check", "--db", str(db), "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0, run.stdout
    assert any(
        line.startswith(f"stakeholders/{sid}: last_contact: 0001-01-01 is before 1970-01-01")
        for line in run.stdout.splitlines()
    ), run.stdout


async def test_the_review_preview_says_a_review_before_the_last_one_moves_nothing(tmp_path: Path) -> None:
    from kamtui.ui.entity_forms import review_form

    store = Store(tmp_path / "k.json", user="tester")
    try:
        acme = store.insert(
            "accounts", Account(name="Acme", tier="key", cadence="monthly", last_review=dt.date(2026, 10, 1)).to_doc()
        )
        app = KamApp(store, today=TODAY, start="accounts")
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            account = app.session.portfolio.account(acme)
            assert account is not None
            app.push_screen(review_form(app.session, account))
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            fields: Any = form
            fields.query_one("#f-date").value = "1999-06-01"
            await settle(app, pilot)
            preview = str(form.query_one("#form-preview").render())
            assert "1999-07-01" not in preview and "2026-11-01" in preview, preview
            await pilot.press("ctrl+s")
            await settle(app, pilot)
        doc = store.get("accounts", acme)
        assert doc is not None and doc["last_review"] == "2026-10-01"  # as the preview said
    finally:
        store.close(compact=False)
