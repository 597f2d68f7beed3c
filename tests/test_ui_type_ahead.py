"""Keys typed ahead of a screen switch go to the screen switched to, as a terminal user types
them: ``tab j j`` sent together from Today moves the account list's cursor, not Today's. The
terminal's driver queues keys back to back; here they are queued the same way, none waiting for
the one before to be handled."""

from __future__ import annotations

import pytest
from textual import events

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.guided import GuidedReviewScreen
from kamtui.ui.main_screen import MainScreen
from kamtui.ui.today import TodayList, TodayScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.fixture
def store(demo_store: Store) -> Store:
    return demo_store


def type_ahead(app: KamApp, *keys: str) -> None:
    """The keys queued at once, as the terminal's driver queues what is typed fast."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


@pytest.mark.parametrize("leave", ["tab", "escape"])
async def test_keys_typed_after_leaving_today_move_the_account_list(store: Store, leave: str) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        today_at = app.screen.query_one(TodayList).highlighted
        first = app.main.account_list.cursor
        type_ahead(app, leave, "j", "j")
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.account_list.cursor == first + 2
        today = [s for s in app.screen_stack if isinstance(s, TodayScreen)]
        assert not today or today[0].query_one(TodayList).highlighted == today_at


async def test_keys_typed_after_opening_an_item_act_on_the_account_panes(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        item = app.screen.current()
        assert item is not None
        type_ahead(app, "enter", "z")  # z: zoom the pane the item opened in
        await settle(app, pilot)
        assert isinstance(app.screen, MainScreen)
        assert app.main.zoomed is not None


async def test_keys_typed_after_starting_the_guided_review_act_in_it(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        type_ahead(app, "R", "s")  # s: skip the first account
        await settle(app, pilot)
        assert isinstance(app.screen, GuidedReviewScreen)
        assert app.screen.state.position == 1
