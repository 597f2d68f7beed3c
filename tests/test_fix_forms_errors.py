"""A refused save marks every refused field at once, and focuses (and brings into sight) the
first of them in the form's order; each message quotes what was typed, as typed. The form showed
the first error its build happened to raise (the probability before the value above it), and
only after that was fixed said the value was wrong (`1e400`; the tester's `1.234.567,89` is
read as an amount by the domain now); a date was quoted lowercased ('s-t28')."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FieldError, FormScreen
from tests.test_ui import make, screen_text, settle

SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def form(app: KamApp) -> FormScreen:
    assert isinstance(app.screen, FormScreen), type(app.screen)
    return app.screen


def shown(app: KamApp) -> dict[str, str]:
    """Each field whose error is shown, and what it says."""
    return {
        (e.id or "").removeprefix("e-"): str(e.render()) for e in form(app).query(FieldError) if e.has_class("shown")
    }


@SIZES
async def test_the_opportunity_form_marks_value_and_probability_at_once(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("5")
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert form(app).title_text == "Add opportunity"
        before = store.count("opportunities")
        await pilot.press(*"Deal", "tab", *"1e400", "tab", "tab", *"150", "ctrl+s")
        await settle(app, pilot)
        errors = shown(app)
        assert set(errors) == {"value", "probability"}, errors
        assert "'1e400'" in errors["value"]
        assert "150" in errors["probability"]
        assert app.focused is form(app).query_one("#f-value")  # the first refused, in the form's order
        assert "'1e400'" in screen_text(app)  # in sight, at 80x24 too
        assert store.count("opportunities") == before
        # Typing in one field takes its own mark away, not the other's.
        await pilot.press("ctrl+u", *"1234567.89")
        await settle(app, pilot)
        assert set(shown(app)) == {"probability"}


@SIZES
async def test_a_date_is_quoted_as_typed_and_every_refused_field_is_marked(store: Store, size: tuple[int, int]) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "a")
        await settle(app, pilot)
        assert form(app).title_text == "Add stakeholder"
        before, seq = store.count("stakeholders"), store.seq
        # No name (required), a date that is not one, a cadence that is not a number
        await pilot.press(*["tab"] * 6, *"S-T28", "tab", *"abc", "ctrl+s")
        await settle(app, pilot)
        errors = shown(app)
        assert set(errors) == {"name", "last_contact", "contact_every_days"}, errors
        assert "'S-T28'" in errors["last_contact"], errors  # as typed, not lowercased
        assert "abc" in errors["contact_every_days"]
        assert app.focused is form(app).query_one("#f-name")  # top-down: the first field refused
        assert store.count("stakeholders") == before and store.seq == seq
        assert str(form(app).query_one("#form-error", Static).render()) == ""
