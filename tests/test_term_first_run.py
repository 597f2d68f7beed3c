"""Issue 11, item 12 (the TUI's part): an empty database says which file is open and how to
begin (a, I, kamtui --demo), on Today and on the account list, instead of an empty grid; the
file's path is always one key away (?). Through Pilot at 80x24 and 120x40, and as a new user
meets it: kamtui in a terminal (tmux) with an empty home."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.help import HelpScreen
from kamtui.ui.main_screen import MainScreen
from kamtui.ui.today import TodayScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def squeezed(text: str) -> str:
    """The screen's text without spaces and borders: a path folded over two lines reads whole."""
    return re.sub(r"[\s▕▏│]", "", text)


def begins(text: str) -> bool:
    """The three ways to begin are named."""
    return "add an account" in text and "import a CRM export" in text and "kamtui --demo" in text


@pytest.mark.parametrize("size", SIZES)
async def test_an_empty_database_says_which_file_and_how_to_begin(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "kamtui.json"
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, TodayScreen)
            text = screen_text(app)
            assert str(path) in squeezed(text) and begins(text), text
            assert "Nothing needs you today" not in text  # an empty file is not a clear morning

            await pilot.press("tab")  # the account list: the same, and no empty grid beside it
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen)
            text = screen_text(app)
            assert str(path) in squeezed(text) and begins(text), text
            assert "Stakeholders" not in text and "infl." not in text and not app.main.query_one("#right").display

            await pilot.press("question_mark")  # ? names the file
            await settle(app, pilot)
            assert isinstance(app.screen, HelpScreen)
            assert str(path) in squeezed(screen_text(app))
            await pilot.press("escape")
            await settle(app, pilot)

            # The first account: the panes are back, the welcome gone.
            await pilot.press("a")
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen)
            await pilot.press(*"Umbrella", "ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen)
            text = screen_text(app)
            assert "Umbrella" in text and not begins(text) and app.main.query_one("#right").display
            assert "Stakeholders" in text
    finally:
        store.close(compact=False)


async def test_the_help_names_the_file_of_a_full_database_too(tmp_path: Path) -> None:
    from tests.ui_fixtures import build_portfolio

    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert not begins(screen_text(app))
            await pilot.press("question_mark")
            await settle(app, pilot)
            assert str(path) in squeezed(screen_text(app))
    finally:
        store.close(compact=False)


def _tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], check=True, capture_output=True, text=True).stdout


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
@pytest.mark.parametrize("size", SIZES)
def test_first_run_in_a_terminal_with_an_empty_home(tmp_path: Path, size: tuple[int, int]) -> None:
    """`kamtui` as a new user starts it: no data folder yet, the default file made and named."""
    home = tmp_path / "home"
    home.mkdir()
    name = f"kamtui-first-run-{os.getpid()}-{size[0]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAMTUI_", "XDG_", "TMUX"))}
    env |= {"HOME": str(home), "USER": "tester", "LANG": "C.UTF-8", "TERM": "xterm-256color"}
    kamtui = str(Path(sys.executable).with_name("kamtui"))
    subprocess.run(
        ["tmux", "-L", name, "new-session", "-d", "-s", name, "-x", str(size[0]), "-y", str(size[1]), kamtui],
        check=True,
        env=env,
    )
    expected = str(home / ".local" / "share" / "kamtui" / "kamtui.json")
    try:
        screen = ""
        for _ in range(200):  # until the first frame is up (a bounded wait, not a timed assertion)
            screen = _tmux("-L", name, "capture-pane", "-p", "-t", name)
            if "kamtui --demo" in screen:
                break
            time.sleep(0.1)
        assert expected in squeezed(screen) and begins(screen), screen
        assert all(len(line) <= size[0] for line in screen.splitlines())
    finally:
        subprocess.run(["tmux", "-L", name, "kill-server"], check=False)
    assert Path(expected).exists()
