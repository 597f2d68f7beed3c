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
from kamtui.ui.today import TodayScreen
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
