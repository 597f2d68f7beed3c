"""Keys typed ahead on Today act in the order typed: ``j j enter`` read in one go (a fast typist,
a pasted or scripted sequence, a slow link that delivers them together) opens the third item,
not the first. Enter is a priority binding (run as the key is read, so that the keys after it
reach the account panes); the moves before it must then be priority bindings too, or they
would still be on their way to the list when enter reads its cursor."""

from __future__ import annotations

import pytest
from textual import events

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.main_screen import MainScreen
from kamtui.ui.today import TodayList, TodayScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def _typed(app: KamApp, *keys: str) -> None:
    """Keys as the terminal driver hands them over, in one read: all queued before any is handled."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@pytest.mark.parametrize(
    "keys",
    [("j", "j"), ("down", "down", "down"), ("j", "j", "j", "k"), ("G", "k"), ("j", "j", "home", "j"), ("pagedown",)],
)
async def test_moves_typed_ahead_of_enter_are_made_before_it(demo_store: Store, keys: tuple[str, ...]) -> None:
    app = KamApp(demo_store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        first = screen.current()
        for key in keys:  # one at a time, each handled before the next: where the cursor ends up
            await pilot.press(key)
            await settle(app, pilot)
        want = screen.current()
        assert want is not None and want != first
        await pilot.press("g")
        await settle(app, pilot)
        assert screen.current() == first
        _typed(app, *keys, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.account_id == want.account_id


async def test_keys_typed_after_enter_still_reach_the_account_panes(demo_store: Store) -> None:
    app = KamApp(demo_store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        first = screen.current()
        assert first is not None
        _typed(app, "enter", "j")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.account_id == first.account_id  # the j went on to the account panes


async def test_until_the_user_moves_the_cursor_it_stays_on_the_most_urgent_item(demo_store: Store) -> None:
    """A big file's Today shows the preview's reviews due first, in another order than the whole
    queue that replaces them: the cursor was kept on the preview's first item, wherever that
    landed (line 21 at 50,000 accounts), and enter opened an account the user had not picked."""
    app = KamApp(demo_store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        ranked = list(screen.everyone)
        first = screen.current()
        screen.query_one(TodayList).highlighted = None  # as Today opens on a big file:
        screen._placed = None
        screen._show(list(reversed(ranked)), "loading…")  # the preview's lines first, in their order
        assert screen.current() != first
        screen._show(ranked)
        await settle(app, pilot)
        assert screen.current() == first
        await pilot.press("j", "j")  # once the user moves it, it stays on their item
        await settle(app, pilot)
        mine = screen.current()
        assert mine is not None and mine != first
        screen._show(list(reversed(ranked)))
        await settle(app, pilot)
        assert screen.current() == mine
