"""`T` (light / dark), which the README lists as working everywhere, did nothing in the guided
review, the help and the meeting brief: Textual stops a modal screen's keys at the screen, so
the app's own binding never saw them."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.brief_screen import BriefScreen
from kamtui.ui.guided import GuidedReviewScreen
from kamtui.ui.guided_summary import SummaryScreen
from kamtui.ui.help import HelpScreen
from kamtui.ui.owners import OwnerPicker
from kamtui.ui.today import TodayScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


async def _toggles_here(app: KamApp, pilot: object) -> None:
    before = app.theme
    await pilot.press("T")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert app.theme != before, f"T did nothing on {type(app.screen).__name__}"
    await pilot.press("T")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert app.theme == before


async def test_t_switches_the_theme_in_the_dialogs_too(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "demo.json", TODAY)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="today")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, TodayScreen)
            await _toggles_here(app, pilot)
            await pilot.press("o")
            await settle(app, pilot)
            assert isinstance(app.screen, OwnerPicker)
            await _toggles_here(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            assert isinstance(app.screen, GuidedReviewScreen)
            await _toggles_here(app, pilot)
            await pilot.press("question_mark")
            await settle(app, pilot)
            assert isinstance(app.screen, HelpScreen)
            await _toggles_here(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("q")  # stops the review: its summary
            await settle(app, pilot)
            assert isinstance(app.screen, SummaryScreen)
            await _toggles_here(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("tab")  # to the account panes
            await settle(app, pilot)
            await pilot.press("b")
            await settle(app, pilot)
            assert isinstance(app.screen, BriefScreen)
            await _toggles_here(app, pilot)
    finally:
        store.close(compact=False)


async def test_the_help_of_a_dialog_lists_t(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "demo.json", TODAY)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="today")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            assert isinstance(app.screen, GuidedReviewScreen)
            keys = {b.binding.id for b in app.screen.active_bindings.values()}
            assert "toggle-theme" in keys
    finally:
        store.close(compact=False)


async def test_t_switches_the_theme_over_the_timeline_a_question_and_a_form(tmp_path: Path) -> None:
    from kamtui.ui.activity import TimelineScreen
    from kamtui.ui.forms import ConfirmScreen, FormScreen

    path = materialize_demo(tmp_path / "demo.json", TODAY)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("i")
            await settle(app, pilot)
            assert isinstance(app.screen, TimelineScreen)
            await _toggles_here(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("1", "d")  # delete a stakeholder: asks first
            await settle(app, pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await _toggles_here(app, pilot)
            await pilot.press("n")
            await settle(app, pilot)
            await pilot.press("e")  # edit the stakeholder: a form, its first field a text box
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            before = app.theme
            await pilot.press("T")
            await settle(app, pilot)
            assert app.theme == before  # the text box keeps its T
            assert "T" in str(getattr(form.focused, "value", ""))
    finally:
        store.close(compact=False)
