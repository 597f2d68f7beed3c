"""Issue 10 in the TUI: a read-only session says so and refuses edits once, clearly; a save that
waits for another process's lock says so, never freezes the screen, can be abandoned with
escape keeping what was typed, and quitting never waits for it."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from kamtui.store import Store, locking
from kamtui.ui.account_list import AccountList
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.notices import ReadOnlyBanner
from kamtui.ui.today import TodayScreen
from tests.as_user import listing
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio


async def wait_until(pilot: Any, condition: Any, rounds: int = 400) -> None:
    """Let the app run until ``condition()`` holds (bounded by rounds, not by a clock)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.01)
    raise AssertionError("the condition never held")


# ----------------------------------------------------------------------- read-only


async def test_a_read_only_session_says_so_and_refuses_edits_once(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path)
    path.chmod(0o400)
    before = listing(tmp_path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        banner = app.screen.query_one(ReadOnlyBanner)
        assert f"READ-ONLY · you may not write {path}" in str(banner.render())
        await pilot.press("enter")  # open the first item: the main screen
        await settle(app, pilot)
        assert app.main.query_one(ReadOnlyBanner)
        app.main.account_list.focus()
        await pilot.press("a")  # add an account: refused before anything is typed
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        notes = [n.message for n in app._notifications]
        assert any("Read-only session" in m and "nothing can be saved" in m for m in notes), notes
        await pilot.press("2", "j", "j", "space")  # tick an action: refused with the same words
        await settle(app, pilot)
        assert sum("Read-only session" in n.message for n in app._notifications) >= 2
    store.close()
    assert listing(tmp_path) == before


# --------------------------------------------------------------------- a held lock


@pytest.fixture
def locked(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, subprocess.Popen[bytes]]]:
    """A store whose lock file another process holds; waits are reported at once."""
    monkeypatch.setattr(locking, "NOTICE_AFTER", 0.0)
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\nf = open(sys.argv[1], 'a')\nfcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\ntime.sleep(120)\n",
            str(path.with_name(path.name + ".lock")),
        ],
        stdout=subprocess.PIPE,
    )
    assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
    try:
        yield store, holder
    finally:
        holder.kill()
        holder.wait()
        store.close()


async def test_a_save_waiting_for_the_lock_never_freezes_and_escape_keeps_the_input(
    locked: tuple[Store, subprocess.Popen[bytes]],
) -> None:
    store, _ = locked
    seq = store.seq
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.main.account_list.focus()
        await pilot.press("a", *"Waiting Co")
        await pilot.press("ctrl+s")
        form = app.screen
        assert isinstance(form, FormScreen)
        await wait_until(pilot, lambda: app.lock_waits > 0)
        assert "locked by another session" in screen_text(app)
        # The rest of the app goes on: the list behind the form still moves.
        lst = app.main.query_one(AccountList)
        first = lst.current
        lst.action_cursor_down()
        await pilot.pause()
        assert lst.current is not first
        await pilot.press("escape")  # gives up the wait, not the form
        await wait_until(pilot, lambda: not form.saving)
        assert app.screen is form
        assert "not saved: stopped waiting for" in screen_text(app)
        assert form.query_one("#f-name", Input).value == "Waiting Co"
        await pilot.press("escape")  # now the form itself
        await pilot.pause()
        assert not isinstance(app.screen, FormScreen)
    assert store.seq == seq and app.unsaved == []


async def test_quitting_while_a_save_waits_reports_it_not_saved(
    locked: tuple[Store, subprocess.Popen[bytes]],
) -> None:
    store, _ = locked
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2", "j", "j", "space")  # tick an action in the plan
        await wait_until(pilot, lambda: app.lock_waits > 0)
        await pilot.press("q")
    assert len(app.unsaved) == 1 and "not saved: stopped waiting for" in app.unsaved[0]
