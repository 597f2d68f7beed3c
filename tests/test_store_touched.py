"""Which accounts a change concerns, as the store saw it: a deleted or moved record names its
account too (the stored record no longer can), and another session's edits that one of our
commits caught up with are not lost to the screens (they are refreshed by account)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui.domain.model import Account, Stakeholder
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from tests.ui_fixtures import TODAY


@pytest.fixture
def two(tmp_path: Path) -> Iterator[tuple[Store, Store, dict[str, int]]]:
    path = tmp_path / "k.json"
    a = Store(path, user="ana")
    p = Portfolio(a, lambda: TODAY)
    ids: dict[str, int] = {}
    for name in ("acme", "globex", "initech"):
        acc, _ = p.save(Account(name=name))
        assert acc.id is not None
        ids[name] = acc.id
    rosa, _ = p.save(Stakeholder(account_id=ids["acme"], name="Rosa"))
    assert rosa.id is not None
    ids["rosa"] = rosa.id
    b = Store(path, user="ben")
    a.take_touched()  # what was made above is no news
    try:
        yield a, b, ids
    finally:
        b.close(compact=False)
        a.close(compact=False)


def test_a_store_opened_has_nothing_touched(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    Store(path, user="ana").close(compact=False)
    s = Store(path, user="ana")
    try:
        assert s.take_touched() == set()
    finally:
        s.close(compact=False)


def test_another_sessions_delete_names_the_account_the_record_was_in(two: tuple[Store, Store, dict[str, int]]) -> None:
    a, b, ids = two
    b.delete("stakeholders", ids["rosa"])
    assert a.refresh() == {("stakeholders", ids["rosa"])}
    assert a.take_touched() == {ids["acme"]}  # the record is gone: only the store's note knows
    assert a.take_touched() == set()  # taken once


def test_a_record_moved_to_another_account_names_both(two: tuple[Store, Store, dict[str, int]]) -> None:
    a, b, ids = two
    b.update("stakeholders", ids["rosa"], {"account_id": ids["globex"]})
    a.refresh()
    assert a.take_touched() == {ids["acme"], ids["globex"]}


def test_edits_our_commit_caught_up_with_are_kept_for_the_screens(two: tuple[Store, Store, dict[str, int]]) -> None:
    a, b, ids = two
    b.update("accounts", ids["initech"], {"tier": "key"})  # another session, before our next poll
    a.update("accounts", ids["globex"], {"notes": "ours"})  # our commit catches up first
    assert a.refresh() == set()  # nothing left for the poll to read...
    assert a.take_touched() == {ids["initech"], ids["globex"]}  # ...but the change is not lost


def test_a_reload_after_another_sessions_compaction_names_what_changed(
    two: tuple[Store, Store, dict[str, int]],
) -> None:
    a, b, ids = two
    b.delete("stakeholders", ids["rosa"])
    assert b.compact()  # a new snapshot: a reads the file again
    a.refresh()
    assert a.take_touched() == {ids["acme"]}


async def test_the_list_row_of_an_account_another_session_changed_follows_our_own_save(
    two: tuple[Store, Store, dict[str, int]],
) -> None:
    """Our save caught up with another session's change of another account: that account's row
    shows it without waiting for anything else to touch it."""
    from kamtui.ui.app import KamApp
    from tests.test_ui import screen_text, settle

    a, b, ids = two
    app = KamApp(a, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "KEY" not in screen_text(app)
        b.update("accounts", ids["initech"], {"tier": "key"})
        session = app.session
        acme = session.portfolio.account(ids["acme"])
        assert acme is not None
        session.write(lambda: session.portfolio.save(dataclasses.replace(acme, notes="ours"), acme)[1])
        await settle(app, pilot)
        await settle(app, pilot)
        assert "KEY" in screen_text(app)


async def test_the_panes_follow_a_delete_of_the_shown_account_and_ignore_others_changes(
    two: tuple[Store, Store, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The shown account's panes are built again when a change concerns it (another session
    deleting one of its people names it, though the record is gone), not for every change."""
    from kamtui.ui.app import KamApp
    from kamtui.ui.main_screen import MainScreen
    from tests.test_ui import screen_text, settle

    a, b, ids = two
    app = KamApp(a, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        main = app.screen
        assert isinstance(main, MainScreen)
        main.go_to_account(ids["acme"])
        await settle(app, pilot)
        assert main.account_id == ids["acme"] and "Rosa" in screen_text(app)
        shown: list[int | None] = []
        real = MainScreen.show_account
        monkeypatch.setattr(MainScreen, "show_account", lambda self, i: (shown.append(i), real(self, i))[1])
        b.update("accounts", ids["initech"], {"notes": "not the shown account"})
        app.poll()
        for _ in range(3):
            await settle(app, pilot)
        assert shown == []
        b.delete("stakeholders", ids["rosa"])
        app.poll()
        for _ in range(3):
            await settle(app, pilot)
        assert shown == [ids["acme"]] and "Rosa" not in screen_text(app)
