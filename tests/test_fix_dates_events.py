"""Something that happened cannot be dated after today: a review (its date moves the next review),
as a last contact and a logged interaction already were; a won or lost deal's close, a KPI
reading, an attitude change too. One domain rule (validate.happened, kamtui.domain.dates) for the
forms, ``kamtui import`` (with the line) and ``kamtui check``."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

from kamtui.domain.deals import Kpi, KpiReading, Opportunity, Stage
from kamtui.domain.importer import Existing, plan_text
from kamtui.domain.model import Account, Review
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from tests.test_term_forms import focused_id, on_screen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY

LATER = "2027-06-01"


async def test_the_review_form_refuses_a_date_after_today_inline_and_writes_nothing(tmp_path: Path) -> None:
    from kamtui.ui.entity_forms import review_form

    store = Store(tmp_path / "k.json", user="tester")
    try:
        acme = store.insert(
            "accounts", Account(name="Acme", tier="key", cadence="monthly", last_review=dt.date(2026, 10, 1)).to_doc()
        )
        app = KamApp(store, today=TODAY, start="accounts")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            account = app.session.portfolio.account(acme)
            assert account is not None
            app.push_screen(review_form(app.session, account))
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            seq = store.seq
            fields: Any = form
            fields.query_one("#f-date").value = LATER
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form and store.seq == seq
            error = form.query_one("#e-date")
            assert f"{LATER} is after today ({TODAY.isoformat()})" in str(error.render())
            assert focused_id(app) == "f-date" and on_screen(app, error)
        assert store.children("reviews", acme) == []
        doc = store.get("accounts", acme)
        assert doc is not None and doc["last_review"] == "2026-10-01"
    finally:
        store.close(compact=False)


def _plan(csv: str, kind: str, existing: Existing) -> list[str]:
    plan = plan_text(csv, kind, None, existing, today=TODAY)  # type: ignore[arg-type]
    return [f"line {r.line}: {e}" for r in plan.rows for e in r.errors]


def test_the_import_refuses_a_last_contact_or_review_after_today_with_its_line() -> None:
    acme = Existing(accounts={1: {"name": "Acme"}})
    contacts = f"First Name,Last Name,Company,Last Contact\nAda,King,Acme,{LATER}\n"
    assert _plan(contacts, "contacts", acme) == [f"line 2: last_contact: {LATER} is after today ({TODAY.isoformat()})"]
    accounts = f"Account Name,Last Review\nBeta,{LATER}\n"
    assert _plan(accounts, "accounts", Existing()) == [
        f"line 2: last_review: {LATER} is after today ({TODAY.isoformat()})"
    ]


def test_the_import_refuses_a_won_deal_closed_after_today_but_not_an_open_one() -> None:
    acme = Existing(accounts={1: {"name": "Acme"}})
    head = "Deal Name,Amount,Deal Stage,Close Date,Associated Company\n"
    assert _plan(head + f"Renewal,100,closedwon,{LATER},Acme\n", "deals", acme) == [
        f"line 2: close_date: {LATER} is after today ({TODAY.isoformat()})"
    ]
    assert _plan(head + f"Renewal,100,qualify,{LATER},Acme\n", "deals", acme) == []


def test_the_domain_names_every_event_dated_after_today() -> None:
    from kamtui.domain.dates import date_problems

    later = dt.date.fromisoformat(LATER)
    assert [str(e) for e in date_problems(Review(account_id=1, date=later), TODAY)] == [
        f"date: {LATER} is after today ({TODAY.isoformat()})"
    ]
    kpi = Kpi(account_id=1, name="NPS", target=40, actual=41, updated=later, history=[KpiReading(later, 41)])
    assert [e.field for e in date_problems(kpi, TODAY)] == ["updated", "history.date"]
    won = Opportunity(account_id=1, title="Renewal", stage=Stage.WON, close_date=later)
    assert [e.field for e in date_problems(won, TODAY)] == ["close_date"]
    assert date_problems(Opportunity(account_id=1, title="Renewal", close_date=later), TODAY) == []


def test_kamtui_check_reports_a_stored_review_dated_after_today(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    store = Store(db, user="tester")
    try:
        acme = store.insert("accounts", Account(name="Acme").to_doc())
        rid = store.insert("reviews", Review(account_id=acme, date=dt.date.fromisoformat(LATER)).to_doc())
    finally:
        store.close()
    run = subprocess.run(
        [sys.executable, "-m", "kamtui", "check", "--db", str(db), "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0, run.stdout
    assert f"reviews/{rid}: date: {LATER} is after today ({TODAY.isoformat()})" in run.stdout.splitlines()
    assert "Traceback" not in run.stderr
