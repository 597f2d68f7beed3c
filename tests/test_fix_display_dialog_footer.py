"""A dialog without a footer of its own (the owner picker, the guided review's summary, a form)
showed the keys of the screen below in its last row ("⏎ Open  m Mine  R Guided review"), keys
that do nothing while it is open. A footer shows keys only while its screen is the one on top;
the picker and the summary show their own."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.guided_summary import SummaryScreen
from kamtui.ui.help import HelpScreen
from kamtui.ui.owners import OwnerPicker
from kamtui.ui.today import TodayScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY

BELOW = ("Open", "Mine", "Guided review", "Filter", "Zoom", "Today", "Brief", "Add")


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def _last_row(app: KamApp) -> str:
    return screen_text(app).splitlines()[-1]


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_a_dialog_shows_its_own_keys_or_none(tmp_path: Path, size: tuple[int, int]) -> None:
    path = materialize_demo(tmp_path / "demo.json", TODAY)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="today")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            assert isinstance(app.screen, TodayScreen)
            assert "Open" in _last_row(app) and "Mine" in _last_row(app)
            await pilot.press("o")
            await settle(app, pilot)
            assert isinstance(app.screen, OwnerPicker)
            row = _last_row(app)
            assert not any(k in row for k in BELOW), row
            assert "esc Close" in row, row
            await pilot.press("escape")
            await settle(app, pilot)
            assert "Open" in _last_row(app) and "Mine" in _last_row(app)  # Today's keys again
            await pilot.press("R", "q")  # the guided review, stopped at once: its summary
            await settle(app, pilot)
            assert isinstance(app.screen, SummaryScreen)
            row = _last_row(app)
            assert not any(k in row for k in BELOW), row
            assert "⏎ Close" in row, row  # the key the summary names ("enter closes"), not esc
            assert "enter closes" in screen_text(app)
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("tab")  # the account panes
            await settle(app, pilot)
            assert "? Help" in _last_row(app)
            for key, dialog in (("question_mark", HelpScreen), ("a", FormScreen)):
                await pilot.press(key)
                await settle(app, pilot)
                assert isinstance(app.screen, dialog)
                row = _last_row(app)
                assert not any(k in row for k in BELOW), (dialog, row)
                await pilot.press("escape")
                await settle(app, pilot)
                assert "? Help" in _last_row(app)  # the main screen's keys again
    finally:
        store.close(compact=False)
