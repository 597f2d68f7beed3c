"""A field's inline error describes what is in its box. Typed in one burst (a paste, type-ahead
over a slow link), a correction and ctrl+s reach the form before the Input.Changed messages of
the keys: the save refused the new value and marked the field, then those messages arrived and
took the mark off (each change clears its field's error), leaving the refusal unsaid beside the
field. A change clears the error only when the box no longer holds the value it was for."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets import Input

from kamtui.store import Store
from kamtui.ui.entity_forms import review_form
from kamtui.ui.forms import FieldError, FormScreen
from tests.test_term_forms import on_screen
from tests.test_ui import make, settle
from tests.test_ui_bursts import burst


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


async def open_review_form(app: Any, pilot: Any) -> FormScreen:
    """The review form of the account the list opens on."""
    await settle(app, pilot)
    account = app.session.portfolio.account(app.main.account_id or 0)
    assert account is not None
    app.push_screen(review_form(app.session, account))
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, FormScreen)
    return form


def error_of(form: FormScreen, name: str) -> str:
    err = form.query_one(f"#e-{name}", FieldError)
    return str(err.render()) if err.has_class("shown") else ""


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_a_correction_saved_in_one_burst_is_marked_beside_its_field(store: Store, size: tuple[int, int]) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        form = await open_review_form(app, pilot)
        box = form.query_one("#f-date", Input)
        box.focus()
        box.value = "2026-02-30"
        await settle(app, pilot)
        seq = store.seq
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "2026-02-30 is not a real date" in error_of(form, "date")
        await pilot.press("end")  # the cursor after the text, nothing selected
        await settle(app, pilot)
        burst(app, "backspace", "backspace", "2", "9", "ctrl+s")
        await settle(app, pilot)
        assert box.value == "2026-02-29" and store.seq == seq
        assert "2026-02-29 is not a real date" in error_of(form, "date")
        assert on_screen(app, form.query_one("#e-date"))
        await pilot.press("backspace")  # typed on: the mark is for a value no longer there
        await settle(app, pilot)
        assert error_of(form, "date") == ""


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_the_preview_says_why_without_a_fields_key(store: Store, lang: str) -> None:
    """The line under a form said `date: 2026-02-30 is not a real date`, the field's key in
    English whatever the language: it gives the reason alone, which names the value typed."""
    from kamtui import i18n

    i18n.set_language(lang)
    app = make(store)
    async with app.run_test(size=(80, 24)) as pilot:
        form = await open_review_form(app, pilot)
        form.query_one("#f-date", Input).value = "2026-02-30" if lang == "en" else "30/02/2026"
        await settle(app, pilot)
        preview = str(form.query_one("#form-preview").render())
        said = "2026-02-30 is not a real date" if lang == "en" else "'30/02/2026' no es una fecha real"
        assert preview.startswith(f"✗ {said}"), preview
        assert "date" not in preview.split(said)[0]
