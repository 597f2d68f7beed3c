"""Every write goes through Portfolio and is undoable where it makes sense, the guided
review's skips and the portfolio's weights included; what workers hand back are typed
messages whose repeats collapse."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.store import Store
from kamtui.store.facts import selection_settings
from kamtui.store.portfolio import Portfolio
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.guided import GuidedReviewScreen
from kamtui.ui.guided_summary import SummaryScreen
from kamtui.ui.messages import DataChanged, PreviewStage
from kamtui.ui.portfolio_screen import PortfolioScreen
from kamtui.ui.today import TodayScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY, build_portfolio, d


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def test_a_skip_in_the_guided_review_is_remembered_per_user_and_day_and_undone(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    try:
        p = Portfolio(store, lambda: TODAY)
        first = p.skip_in_review(ids["acme"], "tester", TODAY)
        second = p.skip_in_review(ids["globex"], "tester", TODAY)
        assert p.skipped_in_review("tester", TODAY) == {ids["acme"], ids["globex"]}
        assert p.skipped_in_review("ana", TODAY) == set() and p.skipped_in_review("tester", d(1)) == set()
        p.undo(second)
        assert p.skipped_in_review("tester", TODAY) == {ids["acme"]}
        p.undo(first)
        assert p.skipped_in_review("tester", TODAY) == set() and store.count("review_sessions") == 0
    finally:
        store.close(compact=False)


async def test_u_undoes_a_skip_and_the_guided_review_offers_the_account_again(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, GuidedReviewScreen) and screen.account_id == ids["acme"]
            assert screen.state.accounts == [ids["acme"]]  # the only account due
            await pilot.press("s")
            await settle(app, pilot)
            assert isinstance(app.screen, SummaryScreen)
            await pilot.press("enter")
            await settle(app, pilot)
            assert app.session.skipped_today() == {ids["acme"]}
            assert app.session.undo_stack and app.session.undo_stack[-1].label == "skip in the guided review"
            await pilot.press("u")
            await settle(app, pilot)
            assert app.session.skipped_today() == set()
            await pilot.press("R")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, GuidedReviewScreen) and screen.state.accounts == [ids["acme"]]
    finally:
        store.close(compact=False)


async def test_changed_weights_are_undone_by_u(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    before = selection_settings(store)[1:]
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("p", "w")
            await settle(app, pilot)
            form = app.screen
            assert isinstance(form, FormScreen)
            for name in ("revenue_potential", "growth", "solvency", "relationships", "strategic_value"):
                form.query_one(f"#f-{name}").value = "0"  # type: ignore[attr-defined]
            for name in ("growth", "solvency", "strategic_value"):
                form.query_one(f"#f-{name}").value = "30"  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, PortfolioScreen)
            changed = selection_settings(store)[1:]
            assert changed != before and changed[0] == {"growth": 30, "solvency": 30, "strategic_value": 30}
            await pilot.press("escape", "u")
            await settle(app, pilot)
            assert selection_settings(store)[1:] == before
    finally:
        store.close(compact=False)


async def test_a_write_refreshes_today_through_the_messages(tmp_path: Path) -> None:
    """A save is one Saved message to the app, passed on to each screen as DataChanged: Today
    drops the action a write ticked at once."""
    path = tmp_path / "k.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            today = app.screen
            assert isinstance(today, TodayScreen)
            assert ids["late_action"] in {it.target_id for it in today.items if it.kind == "action"}
            late = app.session.portfolio.actions(ids["acme"])[0]
            app.session.write(lambda: app.session.portfolio.toggle_action(late)[1])
            await settle(app, pilot)
            await settle(app, pilot)
            assert ids["late_action"] not in {it.target_id for it in today.items if it.kind == "action"}
    finally:
        store.close(compact=False)


def test_repeated_messages_collapse_into_the_newest() -> None:
    older = DataChanged({1, 2}, ("plan", "a:1"))
    newer = DataChanged({3})
    assert older.can_replace(newer)
    assert newer.account_ids == {1, 2, 3} and newer.focus == ("plan", "a:1")
    assert DataChanged(set(), everything=True).can_replace(newer) and newer.everything
    assert not older.can_replace(PreviewStage("queue", []))
    assert PreviewStage("reviews", []).can_replace(PreviewStage("queue", []))
    assert TodayScreen.Queue([], "checking risks…").can_replace(TodayScreen.Queue([]))
