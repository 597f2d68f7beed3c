"""Issue 11, item 9: the keys the README promises beyond one screen work on Today and on the
portfolio as on the account list (t R p l i I u, and everywhere T ? ctrl+p q), acting on the
account in view; a key that means nothing on a screen is not shown there."""

from __future__ import annotations

from typing import Any

import pytest
from textual.command import CommandPalette

from kamtui.domain.queue import QueueItem
from kamtui.store import Store
from kamtui.ui.activity import TimelineScreen
from kamtui.ui.app import KamApp
from kamtui.ui.forms import ConfirmScreen, FormScreen
from kamtui.ui.guided import GuidedReviewScreen
from kamtui.ui.help import HelpScreen
from kamtui.ui.main_screen import MainScreen
from kamtui.ui.portfolio_screen import PortfolioList, PortfolioScreen
from kamtui.ui.today import TodayList, TodayScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY

# The README's promise: these keys work on the account list and its panes, Today and the portfolio.
SHARED = {"t": "today", "R": "guided_review", "p": "portfolio", "l": "log_interaction", "i": "timeline"}
SHARED |= {"I": "import_csv", "u": "undo"}


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.fixture
def store(demo_store: Store) -> Store:
    return demo_store


async def press(app: KamApp, pilot: Any, *keys: str) -> None:
    for key in keys:
        await pilot.press(key)
        await settle(app, pilot)


def doc(store: Store, table: str, doc_id: int) -> dict[str, Any]:
    found = store.get(table, doc_id)
    assert found is not None
    return found


def top(app: KamApp) -> object:
    """The screen on top, as mypy does not narrow it from an earlier check."""
    return app.screen


def names(app: KamApp) -> list[str]:
    return [type(s).__name__ for s in app.screen_stack]


def today_item(app: KamApp) -> QueueItem:
    assert isinstance(app.screen, TodayScreen)
    item = app.screen.current()
    assert item is not None
    return item


async def highlight_contact(app: KamApp, pilot: Any) -> QueueItem:
    """Move Today's cursor to the first contact item."""
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    options = screen.query_one(TodayList)
    for index in range(options.option_count):
        if options.get_option_at_index(index).disabled:
            continue
        options.highlighted = index
        found = screen.current()
        if found is not None and found.kind == "contact":
            break
    await settle(app, pilot)
    item = today_item(app)
    assert item.kind == "contact"
    return item


def key_map(screen: Any) -> dict[str, str]:
    """Each key the screen has on top, with its action (the screen's and the app's: Today's R is
    the app's own, run as the key is read: see tests/test_ui_type_ahead.py)."""
    return {key: b.binding.action.removeprefix("app.") for key, b in screen.active_bindings.items()}


async def test_today_has_every_shared_key_but_those_of_the_panes(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        keys = key_map(app.screen)
        assert {k: keys.get(k) for k in SHARED if k != "t"} == {k: a for k, a in SHARED.items() if k != "t"}
        for key in ("z", "1", "2", "3", "ctrl+l"):  # the panes' keys: not on Today, and so not shown
            assert key not in keys
        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(app)
        assert "Log a meeting" in text and "activity timeline" in text and "Undo the last change" in text
        assert "Zoom" not in text


async def test_on_today_p_l_i_capital_i_act_on_the_highlighted_item(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        item = today_item(app)
        name = doc(store, "accounts", item.account_id)["name"]

        await press(app, pilot, "p")
        assert names(app) == ["MainScreen", "TodayScreen", "PortfolioScreen"]
        await press(app, pilot, "escape")
        assert isinstance(app.screen, TodayScreen)

        await press(app, pilot, "i")
        assert isinstance(app.screen, TimelineScreen) and name in app.screen.heading
        await press(app, pilot, "escape")

        await press(app, pilot, "l")
        assert isinstance(app.screen, FormScreen) and app.screen.title_text == f"Log interaction with {name}"
        await press(app, pilot, "escape")

        await press(app, pilot, "I")
        assert isinstance(app.screen, FormScreen) and "CSV file" in screen_text(app)
        await press(app, pilot, "escape")
        assert isinstance(app.screen, TodayScreen)

        # The portfolio opened from Today: enter shows the customer in the account panes.
        await press(app, pilot, "p", "enter")
        assert isinstance(app.screen, MainScreen)
        assert app.main.account_id is not None


async def test_on_today_l_ticks_the_contact_and_u_undoes_the_interaction(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        item = await highlight_contact(app, pilot)
        assert item.target_id is not None
        before = doc(store, "stakeholders", item.target_id)["last_contact"]
        logged = store.count("interactions")
        await press(app, pilot, "l")
        assert isinstance(app.screen, FormScreen)
        await press(app, pilot, "ctrl+s")
        assert isinstance(app.screen, TodayScreen)
        assert doc(store, "stakeholders", item.target_id)["last_contact"] == TODAY.isoformat() != before
        assert store.count("interactions") == logged + 1
        await press(app, pilot, "u")
        assert doc(store, "stakeholders", item.target_id)["last_contact"] == before
        assert store.count("interactions") == logged
        assert isinstance(app.screen, TodayScreen)


async def test_the_portfolio_has_every_shared_key(store: Store) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "p")
        assert isinstance(app.screen, PortfolioScreen)
        keys = key_map(app.screen)
        assert {k: keys.get(k) for k in SHARED if k != "p"} == {k: a for k, a in SHARED.items() if k != "p"}
        assert keys["p"] == "close"
        for key in ("z", "1", "ctrl+l"):
            assert key not in keys


async def test_on_the_portfolio_t_l_i_capital_i_u_and_r_work(store: Store) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await press(app, pilot, "p")
        screen = app.screen
        assert isinstance(screen, PortfolioScreen)
        row = screen.query_one(PortfolioList).current
        assert row is not None
        name = row.customer.name

        await press(app, pilot, "i")
        assert isinstance(app.screen, TimelineScreen) and name in app.screen.heading
        await press(app, pilot, "escape", "l")
        assert isinstance(app.screen, FormScreen) and app.screen.title_text == f"Log interaction with {name}"
        await press(app, pilot, "escape", "I")
        assert isinstance(app.screen, FormScreen) and "CSV file" in screen_text(app)
        await press(app, pilot, "escape")
        assert top(app) is screen

        # P promotes (a change), u undoes it on the portfolio itself.
        candidate = next(r for r in screen.ranked if r.customer.tier != "key")
        screen.query_one(PortfolioList).cursor = next(
            i for i, r in enumerate(screen.query_one(PortfolioList).rows) if r is candidate
        )
        await press(app, pilot, "P")
        assert isinstance(app.screen, ConfirmScreen)
        await press(app, pilot, "y")
        assert doc(store, "accounts", candidate.customer.id)["tier"] == "key"
        await press(app, pilot, "u")
        assert doc(store, "accounts", candidate.customer.id)["tier"] == candidate.customer.tier
        assert top(app) is screen

        await press(app, pilot, "t")  # Today, the portfolio closed
        assert names(app) == ["MainScreen", "TodayScreen"]
        await press(app, pilot, "p", "t")  # opened from Today: back to it
        assert names(app) == ["MainScreen", "TodayScreen"]
        await press(app, pilot, "p", "R")  # the guided review, over the panes
        assert names(app) == ["MainScreen", "GuidedReviewScreen"] and isinstance(app.screen, GuidedReviewScreen)


@pytest.mark.parametrize("where", ["today", "portfolio"])
async def test_the_keys_of_everywhere_work_on_today_and_the_portfolio(store: Store, where: str) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if where == "portfolio":
            await press(app, pilot, "p")
        top = app.screen
        assert type(top).__name__ == {"today": "TodayScreen", "portfolio": "PortfolioScreen"}[where]
        theme = app.theme
        await press(app, pilot, "T")
        assert app.theme != theme
        await press(app, pilot, "question_mark")
        assert isinstance(app.screen, HelpScreen)
        await press(app, pilot, "escape", "ctrl+p")
        assert isinstance(app.screen, CommandPalette)
        await press(app, pilot, "escape")
        assert app.screen is top
        await press(app, pilot, "q")
        assert app.return_code == 0 and not app.is_running
