"""Every date typed into a form keeps the window ``kamtui import`` and ``kamtui check`` hold
(kamtui.domain.validate): not before 1970, and at most ten years ahead, or not after today for
what has happened. A tester saved a stakeholder's last contact and a logged interaction dated
1969-12-31 without a word, and ``kamtui check`` then failed the file: those two forms held only
"not after today" themselves. The put-off date of an action held nothing (9999-12-31 saved)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import Account, Action, Objective, Stakeholder
from kamtui.store import Store
from kamtui.store.check import check_store
from kamtui.ui.app import KamApp
from kamtui.ui.entity_forms import interaction_form, stakeholder_form
from kamtui.ui.forms import FormScreen, parse_date_input
from kamtui.ui.review_forms import defer_form
from kamtui.ui.session import Session
from tests.test_term_forms import focused_id, on_screen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def _stakeholder(session: Session, ids: dict[str, int]) -> FormScreen:
    return stakeholder_form(session, ids["acme"], None)


def _interaction(session: Session, ids: dict[str, int]) -> FormScreen:
    return interaction_form(session, ids["acme"], [ids["person"]])


def _put_off(session: Session, ids: dict[str, int]) -> FormScreen:
    action = session.portfolio.actions(ids["acme"])[0]
    return defer_form(session, action)


# form, its date field, the other fields it needs, and whether the date records what happened
FORMS: dict[str, tuple[Callable[[Session, dict[str, int]], FormScreen], str, dict[str, str], bool]] = {
    "last contact": (_stakeholder, "last_contact", {"name": "Bob"}, True),
    "interaction": (_interaction, "date", {"summary": "old"}, True),
    "put off": (_put_off, "due", {"reason": "busy"}, False),
}


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("1969-12-31", "is before 1970-01-01, the earliest date kamtui keeps"),
        ("9999-12-31", "is more than 10 years ahead|is after today (2026-11-23)"),
    ],
    ids=["1969", "9999"],
)
@pytest.mark.parametrize("form_name", list(FORMS))
async def test_a_date_out_of_the_window_is_refused_inline_and_nothing_is_saved(
    tmp_path: Path, form_name: str, typed: str, says: str
) -> None:
    make_form, field, other, happened = FORMS[form_name]
    says = says.split("|")[-1 if happened else 0]
    store = Store(tmp_path / "k.json", user="tester")
    try:
        acme = store.insert(
            "accounts", Account(name="Acme", tier="key", cadence="monthly", last_review=dt.date(2026, 10, 1)).to_doc()
        )
        person = store.insert("stakeholders", Stakeholder(account_id=acme, name="Ann").to_doc())
        goal = store.insert("objectives", Objective(account_id=acme, title="Grow", horizon="short").to_doc())
        late = TODAY - dt.timedelta(days=3)
        store.insert("actions", Action(account_id=acme, objective_id=goal, text="Call", due=late).to_doc())
        app = KamApp(store, today=TODAY, start="accounts")
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            app.push_screen(make_form(app.session, {"acme": acme, "person": person}))
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            seq = store.seq
            fields: Any = form
            for name, value in {**other, field: typed}.items():
                fields.query_one(f"#f-{name}").value = value
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert app.screen is form and store.seq == seq  # nothing written
            error = form.query_one(f"#e-{field}")
            assert says in str(error.render()), str(error.render())
            assert focused_id(app) == f"f-{field}" and on_screen(app, error)
        problems, _totals = check_store(store, TODAY)
        assert problems == []
    finally:
        store.close(compact=False)


def test_typed_dates_keep_the_window_of_their_kind() -> None:
    assert parse_date_input("1970-01-01", TODAY, "date", not_after_today=True) == dt.date(1970, 1, 1)
    assert parse_date_input("", TODAY, "date") is None
    ahead = TODAY.replace(year=TODAY.year + 10)
    assert parse_date_input(ahead.isoformat(), TODAY, "due") == ahead
    for text, happened in (("1969-12-31", True), ("1969-12-31", False), ("+1d", True), ("2037-01-01", False)):
        with pytest.raises(ValueError):
            parse_date_input(text, TODAY, "date", not_after_today=happened)
