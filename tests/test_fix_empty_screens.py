"""An empty database, beyond the first-run message: the keys that lead to the panes (1-5, z)
and the portfolio (p). Through Pilot at 80x24 and 120x40."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.main_screen import MainScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY

SIZES = [(80, 24), (120, 40)]


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("key", ["1", "2", "3", "4", "5", "z"])
async def test_a_pane_key_without_accounts_says_so_and_a_still_adds_one(
    tmp_path: Path, size: tuple[int, int], key: str
) -> None:
    """The panes are not shown while there is no account. Their keys moved the focus into a
    hidden pane: the footer then showed that pane's keys, and `a`, which the list's message
    offers, did nothing."""
    store = Store(tmp_path / "empty.json", user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press(key)
            await settle(app, pilot)
            assert isinstance(app.screen, MainScreen)
            assert app.main.focused_pane() == "accounts"
            notes = [str(n.message) for n in app._notifications]
            assert "No account yet: a adds one, I imports a CRM export" in notes
            assert " a Add " in screen_text(app).splitlines()[-1]
            await pilot.press("a")
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen)
    finally:
        store.close(compact=False)


@pytest.mark.parametrize("size", SIZES)
async def test_the_portfolio_of_an_empty_file_says_there_are_no_accounts_and_how_to_begin(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """`p` over a file without accounts showed a title and a column header over nothing."""
    from kamtui.ui.portfolio_screen import PortfolioList, PortfolioScreen

    store = Store(tmp_path / "empty.json", user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("p")
            await settle(app, pilot)
            assert isinstance(app.screen, PortfolioScreen)
            text = screen_text(app)
            assert "No accounts yet" in text, text
            assert "add an account on the account list" in text and "import a CRM export" in text, text
            assert "customer " not in text  # no column header over no rows
            assert all(len(line) <= size[0] for line in text.splitlines())
            await pilot.press("escape", "tab", "a", *"Acme", "ctrl+s")  # the first account, as it says
            await settle(app, pilot)
            await pilot.press("p")
            await settle(app, pilot)
            text = screen_text(app)
            assert "Acme" in text and "No accounts yet" not in text, text
            assert isinstance(app.focused, PortfolioList)
    finally:
        store.close(compact=False)
