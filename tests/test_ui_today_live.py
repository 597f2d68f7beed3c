"""An open Today screen follows another session's edits, as the list and the panes do, and its
cursor stays on the item it was on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import Action, Review
from kamtui.domain.queue import QueueItem
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.ui.app import KamApp
from kamtui.ui.today import TodayScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio, d


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


def identity(item: QueueItem | None) -> tuple[object, ...] | None:
    return None if item is None else (item.kind, item.account_id, item.target_id, item.title)


async def remote_refresh(app: KamApp, pilot: Any) -> None:
    """Run the app's refresh (what its timer runs every second) and wait until it is shown."""
    app.poll()
    for _ in range(3):  # the poll worker, the refresh it calls back, Today's own worker if any
        await settle(app, pilot)


async def put_cursor_on(app: KamApp, pilot: Any, kind: str, target_id: int | None) -> QueueItem:
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    for _ in range(len(screen.items) + 5):
        item = screen.current()
        if item is not None and item.kind == kind and item.target_id == target_id:
            return item
        await pilot.press("j")
    raise AssertionError(f"no {kind} {target_id} in Today")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_today_shows_another_sessions_new_overdue_action(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "k.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    other = Store(path, user="someone-else")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            # The cursor on the contact item, below the actions: a new action shifts it down a line.
            before = await put_cursor_on(app, pilot, "contact", ids["hostile_dm"])
            new_id = other.insert(
                "actions",
                Action(
                    account_id=ids["acme"], objective_id=ids["objective"], text="Chase the signed order", due=d(-2)
                ).to_doc(),
            )
            await remote_refresh(app, pilot)
            assert app.screen is screen, "Today stays open"
            assert new_id in {it.target_id for it in screen.items if it.kind == "action"}
            assert "Chase the signed order" in screen_text(app)
            assert identity(screen.current()) == identity(before), "the cursor stays on its item"
    finally:
        other.close(compact=False)
        store.close(compact=False)


async def test_today_drops_a_review_another_session_recorded(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    other = Store(path, user="someone-else")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            assert ("review", ids["acme"]) in {(it.kind, it.account_id) for it in screen.items}
            before = await put_cursor_on(app, pilot, "contact", ids["hostile_dm"])
            Portfolio(other, lambda: TODAY).record_review(
                Review(account_id=ids["acme"], date=TODAY, reviewer="ana", engagement=4, loyalty=4, satisfaction=4)
            )
            await remote_refresh(app, pilot)
            assert ("review", ids["acme"]) not in {(it.kind, it.account_id) for it in screen.items}
            assert "Reviews due" not in screen_text(app)
            assert identity(screen.current()) == identity(before), "the cursor stays on its item"
    finally:
        other.close(compact=False)
        store.close(compact=False)


async def test_a_change_recomputes_a_big_todays_queue_for_the_account_it_touched_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Above SMALL accounts Today computes in a worker, the quick part (no risks) first while
    nothing is shown. Once the whole queue is on screen, a change computes neither the quick one
    nor everything again: only the accounts it touched, ranked again with the rest (with a team on
    one server every session recomputes on every edit of anyone)."""
    from kamtui.sample import generate
    from kamtui.store import today as queue_module
    from kamtui.ui import today as today_module

    path = tmp_path / "big.json"
    generate(path, today_module.SMALL + 20, seed=3, today=TODAY)
    calls: list[tuple[bool, object]] = []
    real = queue_module.queue_items

    def counted(*args: Any, **kwargs: Any) -> list[QueueItem]:
        calls.append((kwargs.get("risks", True), kwargs.get("accounts")))
        return real(*args, **kwargs)

    monkeypatch.setattr(queue_module, "queue_items", counted)
    store = Store(path, user="tester")
    other = Store(path, user="someone-else")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            for _ in range(3):
                await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            assert calls[:2] == [(False, None), (True, None)]  # the first load: quick, then whole
            calls.clear()
            p = Portfolio(other, lambda: TODAY)
            due = next(it for it in screen.items if it.kind == "review")
            p.record_review(Review(account_id=due.account_id, date=TODAY, notes="from another session"))
            await remote_refresh(app, pilot)
            assert calls == [(True, {due.account_id})]
            assert not any(it.account_id == due.account_id and it.kind == "review" for it in screen.items)
            from kamtui.store.today import today_queue

            assert screen.everyone == today_queue(Portfolio(store, lambda: TODAY), TODAY)
    finally:
        other.close(compact=False)
        store.close(compact=False)


async def test_lines_that_read_the_same_are_not_handed_to_the_list_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another session's edit that changes nothing Today shows leaves the list's lines (and its
    cursor) alone; one that does replaces them, the cursor staying on its item."""
    import dataclasses

    from kamtui.ui.today import TodayList

    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    other = Store(path, user="someone-else")
    handed: list[int] = []
    real = TodayList.set_options

    def counted(self: TodayList, options: Any) -> Any:
        handed.append(len(list(options)))
        return real(self, options)

    monkeypatch.setattr(TodayList, "set_options", counted)
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen) and handed
            p = Portfolio(other, lambda: TODAY)
            contact = await put_cursor_on(
                app, pilot, "contact", next(it.target_id for it in screen.items if it.kind == "contact")
            )
            handed.clear()
            acc = p.account(contact.account_id)
            assert acc is not None
            p.save(dataclasses.replace(acc, notes="nothing Today shows"), acc)
            await remote_refresh(app, pilot)
            assert handed == [] and identity(screen.current()) == identity(contact)
            action = next(it for it in screen.items if it.kind == "action")
            done = next(a for a in p.actions(action.account_id) if a.id == action.target_id)
            p.toggle_action(done)
            await remote_refresh(app, pilot)
            assert len(handed) == 1 and identity(screen.current()) == identity(contact)
            assert all(identity(it) != identity(action) for it in screen.items)
            assert done.text not in screen_text(app)
    finally:
        other.close(compact=False)
        store.close(compact=False)
