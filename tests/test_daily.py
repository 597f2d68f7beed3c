"""The daily review: Today first, enter opens the item, guided review by keyboard alone, interactions."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import SelectionList

from kamtui.domain.queue import build_queue
from kamtui.domain.stakes import rank, score
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.store.ranking import account_stakes
from kamtui.ui.activity import TimelineScreen
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.guided import GuidedReviewScreen
from kamtui.ui.guided_summary import SummaryScreen
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.panes.stakeholders import StakeholderPane
from kamtui.ui.today import TodayScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # no config: the defaults


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return materialize_demo(tmp_path / "demo.json", TODAY)


def due_reviews(path: Path) -> list[int]:
    """The accounts due for review, in the guided review's order: by what is at stake."""
    store = Store(path, user="tester")
    try:
        items = build_queue(store.all("accounts"), (), (), TODAY, kinds=frozenset({"review"}))
        items = rank(items, account_stakes(Portfolio(store, lambda: TODAY), items), TODAY)
        return [it.account_id for it in items]
    finally:
        store.close(compact=False)


async def test_today_is_first_and_has_every_kind(demo: Path) -> None:
    store = Store(demo, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, TodayScreen)
            text = screen_text(app)
            for title in ("Reviews due (", "Plan actions due (", "Stakeholders to contact (", "Risk alerts ("):
                assert title in text, title
            kinds = {it.kind for it in app.screen.items}
            assert kinds == {"review", "action", "contact", "risk", "plan", "losing_touch"}
            # most at stake first within a kind (urgency x what the account is worth)
            reviews = [it for it in app.screen.items if it.kind == "review"]
            stakes = account_stakes(app.session.portfolio, reviews)
            scores = [score(it, stakes[it.account_id]) for it in reviews]
            assert len(reviews) >= 3 and scores == sorted(scores, reverse=True)
    finally:
        store.close(compact=False)


async def test_enter_opens_the_item_with_the_cursor_on_it(demo: Path) -> None:
    store = Store(demo, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            target = next(it for it in screen.items if it.kind == "action")
            while screen.current() != target:
                await pilot.press("j")
            await pilot.press("enter")
            await settle(app, pilot)
            assert not isinstance(app.screen, TodayScreen)
            assert app.main.account_id == target.account_id
            assert app.query_one(PlanPane).current_key() == f"a:{target.target_id}"
            assert app.main.focused_pane() == "plan"
            await pilot.press("t")  # back to Today from anywhere
            await settle(app, pilot)
            assert isinstance(app.screen, TodayScreen)
            contact = next(it for it in app.screen.items if it.kind == "contact")
            while app.screen.current() != contact:
                await pilot.press("j")
            await pilot.press("enter")
            await settle(app, pilot)
            sh = app.query_one(StakeholderPane).current()
            assert sh is not None and sh.id == contact.target_id
    finally:
        store.close(compact=False)


async def test_m_limits_today_to_my_accounts(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            assert {it.account for it in screen.items} >= {"ACME Corp"}
            await pilot.press("m")
            await settle(app, pilot)
            assert all(it.owner in ("tester", "") or it.account == "Initech" for it in screen.items)
            assert "ACME Corp" not in {it.account for it in screen.items}
            assert "mine (tester)" in screen_text(app)
    finally:
        store.close(compact=False)


async def test_full_guided_review_by_keyboard_then_restart_shows_them_reviewed(demo: Path) -> None:
    due = due_reviews(demo)
    assert len(due) >= 3
    store = Store(demo, user="tester")
    app = KamApp(store, today=TODAY)
    keystrokes = 0
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            assert isinstance(app.screen, GuidedReviewScreen)
            # first account: set engagement 5 and health 2 (4 keys) and record (1 key) = 5 keystrokes
            await pilot.press("g", "5", "h", "2", "enter")
            keystrokes += 5
            await settle(app, pilot)
            while isinstance(app.screen, GuidedReviewScreen):
                await pilot.press("enter")  # nothing unusual: one keystroke
                keystrokes += 1
                await settle(app, pilot)
            assert isinstance(app.screen, SummaryScreen)
            assert f"reviewed  {len(due)}" in screen_text(app)
            first = store.children("reviews", due[0])
            latest = max(first, key=lambda kv: kv[1]["date"])[1]
            assert latest["engagement"] == 5 and latest["health"] == 2 and latest["date"] == TODAY.isoformat()
            await pilot.press("enter")
        assert keystrokes <= 5 + (len(due) - 1)
    finally:
        store.close()
    # Quit and start again: nothing due any more, next dates advanced past today.
    assert due_reviews(demo) == []
    again = Store(demo, user="tester")
    try:
        for account_id in due:
            doc = again.get("accounts", account_id)
            assert doc is not None and doc["last_review"] == TODAY.isoformat()
    finally:
        again.close(compact=False)


async def test_stop_and_resume_the_same_day(demo: Path) -> None:
    due = due_reviews(demo)
    store = Store(demo, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            await pilot.press("s")  # skip the first
            await settle(app, pilot)
            await pilot.press("enter")  # review the second
            await settle(app, pilot)
            await pilot.press("q")  # stop
            await settle(app, pilot)
            assert isinstance(app.screen, SummaryScreen)
            text = screen_text(app)
            assert "reviewed  1" in text and "skipped   1" in text and "R resumes here today" in text
    finally:
        store.close()
    store = Store(demo, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, GuidedReviewScreen)
            assert screen.state.accounts == due[2:]  # skipped and reviewed ones are not offered again
            assert screen.account_id == due[2]
    finally:
        store.close(compact=False)


async def test_log_interaction_resets_the_contact_clock(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("tab")
            pane = app.query_one(StakeholderPane)
            while pane.current().id != ids["hostile_dm"]:  # type: ignore[union-attr]
                await pilot.press("j")
            await pilot.press("l")
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen)
            chosen = app.screen.query_one(SelectionList)
            assert list(chosen.selected) == [str(ids["hostile_dm"])]  # the stakeholder at the cursor
            app.screen.query_one("#f-summary").value = "Coffee, cleared the air"  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, FormScreen)
            doc = store.get("stakeholders", ids["hostile_dm"])
            assert doc is not None and doc["last_contact"] == TODAY.isoformat()
            user = store.get("stakeholders", ids["user"])
            assert user is not None and user["coverage"] == "none"  # not in the interaction
            interactions = store.children("interactions", ids["acme"])
            assert len(interactions) == 1 and interactions[0][1]["by"] == "tester"
            await pilot.press("i")
            await settle(app, pilot)
            assert isinstance(app.screen, TimelineScreen)
            text = screen_text(app)
            assert "Coffee, cleared the air" in text and "meeting" in text and "review" in text
    finally:
        store.close(compact=False)


async def test_guided_review_note_and_log_keys(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("R")
            await settle(app, pilot)
            assert isinstance(app.screen, GuidedReviewScreen)
            assert app.screen.account_id == ids["acme"]
            text = screen_text(app)
            assert "decision maker Dana Decider is hostile" in text  # warnings shown with the account
            await pilot.press("n", *"budget freeze", "enter")
            await settle(app, pilot)
            assert "budget freeze" in screen_text(app)
            await pilot.press("5")  # a digit with no score picked is refused
            await pilot.press("y", "1", "enter")
            await settle(app, pilot)
            reviews = [d for _, d in store.children("reviews", ids["acme"]) if d["date"] == TODAY.isoformat()]
            assert len(reviews) == 1
            assert reviews[0]["notes"] == "budget freeze" and reviews[0]["loyalty"] == 1
    finally:
        store.close(compact=False)
