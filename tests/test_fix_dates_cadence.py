"""A cadence that has already ended is refused: FREQ=DAILY;UNTIL=20000101 was saved, its preview
listed no date, and the account left the review queue in silence ("no review cadence"). One
domain rule (cadence.check_ahead) for the cadence form, ``kamtui import`` and ``kamtui check``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.errors import ValidationError
from kamtui.domain.importer import Existing, plan_text
from kamtui.domain.model import Account
from kamtui.store import Store
from kamtui.store.check import check_store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from tests.test_term_forms import focused_id, on_screen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY

ENDED = "FREQ=DAILY;UNTIL=20000101"


def test_a_cadence_with_no_review_after_the_last_one_is_refused() -> None:
    from kamtui.domain.cadence import check_ahead

    with pytest.raises(ValidationError) as caught:
        check_ahead("cadence", ENDED, dt.date(2026, 10, 1), TODAY)
    assert caught.value.field == "cadence"
    assert "ends on 2000-01-01, before the next review" in caught.value.reason
    with pytest.raises(ValidationError, match="after today"):
        check_ahead("cadence", ENDED, None, TODAY)  # never reviewed
    check_ahead("cadence", "FREQ=MONTHLY;UNTIL=20270101", dt.date(2026, 11, 15), TODAY)  # one to come
    check_ahead("cadence", "monthly", dt.date(2026, 11, 15), TODAY)
    check_ahead("cadence", "", None, TODAY)


async def test_the_cadence_form_refuses_an_ended_cadence_inline_and_writes_nothing(tmp_path: Path) -> None:
    from kamtui.ui.entity_forms import cadence_form

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
            app.push_screen(cadence_form(app.session, account))
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            seq = store.seq
            fields: Any = form
            fields.query_one("#f-cadence").value = ENDED
            await settle(app, pilot)
            preview = str(form.query_one("#form-preview").render())
            assert "before the next review" in preview, preview
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form and store.seq == seq
            error = form.query_one("#e-cadence")
            assert "ends on 2000-01-01, before the next review" in str(error.render())
            assert focused_id(app) == "f-cadence" and on_screen(app, error)
        doc = store.get("accounts", acme)
        assert doc is not None and doc["cadence"] == "monthly"
    finally:
        store.close(compact=False)


def test_the_import_refuses_an_ended_cadence_with_its_line() -> None:
    plan = plan_text(f"Account Name,cadence\nBeta,{ENDED}\n", "accounts", None, Existing(), today=TODAY)
    errors = [f"line {r.line}: {e}" for r in plan.rows for e in r.errors]
    assert len(errors) == 1 and errors[0].startswith("line 2: cadence: ") and "before the next review" in errors[0]


def test_kamtui_check_names_a_stored_ended_cadence(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.json", user="tester")
    try:
        acme = store.insert("accounts", Account(name="Acme", cadence=ENDED, last_review=dt.date(2026, 1, 5)).to_doc())
        problems, _ = check_store(store, TODAY)
    finally:
        store.close(compact=False)
    assert [p for p in problems if p.startswith(f"accounts/{acme}: cadence: ")], problems
