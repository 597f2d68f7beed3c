"""Keys typed in one burst after tab, shift+tab or enter in a form belong to the field the
focus moved to. Moving with Textual's ``focus_next`` from a binding the field sees first (enter
in an Input submits it, tab is the app's binding) happened only after the keys already queued to
the old field: `why<tab>XYZ` in the put-off form saved the reason `whyXYZ` and kept the old
date. The form moves the focus in the step that handles the key (tests/test_ui_bursts.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from textual import events
from textual.widgets import Input

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.guided import GuidedReviewScreen
from tests.test_ui import make, settle
from tests.ui_fixtures import TODAY

SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
MOVES = pytest.mark.parametrize("move", ["tab", "enter"])


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def burst(app: KamApp, *keys: str) -> None:
    """The keys as a terminal delivers a fast typist's: all queued before any is handled."""
    for key in keys:
        char = {"plus": "+", "minus": "-"}.get(key, key if len(key) == 1 else None)
        app.post_message(events.Key(key, char))


def field(app: KamApp, name: str) -> Input:
    return app.screen.query_one(f"#f-{name}", Input)


async def _put_off_form(app: KamApp, pilot: object) -> GuidedReviewScreen:
    """The guided review (R on Today) on the first account with an action, and d on it."""
    await settle(app, pilot)  # type: ignore[arg-type]
    await pilot.press("R")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, GuidedReviewScreen)
    while not any(e.kind == "action" for e in screen.agenda.items):
        await pilot.press("s")  # type: ignore[attr-defined]
        await settle(app, pilot)  # type: ignore[arg-type]
        assert app.screen is screen, "no due account with an action"
    n = next(e.number for e in screen.agenda.items if e.kind == "action")
    await pilot.press(str(n), "d")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]
    assert isinstance(app.screen, FormScreen)
    return screen


@SIZES
@MOVES
async def test_put_off_why_then_the_date_in_one_burst(demo_store: Store, size: tuple[int, int], move: str) -> None:
    app = KamApp(demo_store, today=TODAY)
    async with app.run_test(size=size) as pilot:
        screen = await _put_off_form(app, pilot)
        entry = screen.selected()
        assert entry is not None and entry.action_id is not None
        burst(app, "w", "h", "y", move, "plus", "3", "w")
        await settle(app, pilot)
        assert field(app, "reason").value == "why"
        assert field(app, "due").value == "+3w"  # typed over the offered date
        assert app.focused is field(app, "due")
        burst(app, "shift+tab", "n", "o", "t", "e")  # back up: typed over the reason (selected on focus)
        await settle(app, pilot)
        assert app.focused is field(app, "reason")
        assert field(app, "reason").value == "note"
        assert field(app, "due").value == "+3w"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        doc = demo_store.get("actions", entry.action_id)
        assert doc is not None and doc["deferred_reason"] == "note"
        assert doc["due"] == (TODAY + dt.timedelta(weeks=3)).isoformat()


@SIZES
@MOVES
async def test_add_stakeholder_name_then_title_in_one_burst(store: Store, size: tuple[int, int], move: str) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.title_text == "Add stakeholder"
        burst(app, "Z", "e", "d", move, "C", "T", "O", move)
        await settle(app, pilot)
        assert (field(app, "name").value, field(app, "title").value) == ("Zed", "CTO")
        assert app.focused is app.screen.query_one("#f-role")  # the select after the title
        burst(app, "shift+tab", "shift+tab", "B", "o")  # back to the name: typed over it (selected on focus)
        await settle(app, pilot)
        assert app.focused is field(app, "name")
        assert (field(app, "name").value, field(app, "title").value) == ("Bo", "CTO")


@SIZES
@pytest.mark.parametrize("save", ["ctrl+s", "enter"])
async def test_the_last_field_and_save_in_one_burst_saves_what_was_typed(
    demo_store: Store, size: tuple[int, int], save: str
) -> None:
    """Saving (ctrl+s anywhere, enter on the last field) waits for the keys typed before it."""
    app = KamApp(demo_store, today=TODAY)
    async with app.run_test(size=size) as pilot:
        screen = await _put_off_form(app, pilot)
        entry = screen.selected()
        assert entry is not None and entry.action_id is not None
        burst(app, "w", "h", "y", "tab", "plus", "2", "w", save)
        await settle(app, pilot)
        assert app.screen is screen
        doc = demo_store.get("actions", entry.action_id)
        assert doc is not None and doc["deferred_reason"] == "why"
        assert doc["due"] == (TODAY + dt.timedelta(weeks=2)).isoformat()
