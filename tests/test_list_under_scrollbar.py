"""The account list's columns fit beside its scrollbar: rows were laid out over the list's whole
width and the scrollbar, drawn over the last cells, cut "11mo late" to "11mo lat" (a tester saw
it at 80 and 100 columns). Rows and column titles are laid out in the width the scrollbar
leaves (AccountList.line_width), as the portfolio's list already was."""

from __future__ import annotations

import datetime as dt

import pytest

from kamtui.store import Store
from kamtui.ui.account_list import AccountList
from kamtui.ui.app import KamApp
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def _row_and_titles(app: KamApp) -> tuple[str, str]:
    lines = screen_text(app).splitlines()
    row = next(line for line in lines if "Saffron" in line and "late" in line)
    titles = next(line for line in lines if "Review▲" in line)
    return row, titles


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_a_long_late_mark_shows_whole_beside_the_scrollbar(demo_store: Store, size: tuple[int, int]) -> None:
    saffron = next(i for i, d in demo_store.all("accounts") if d["name"] == "Saffron Agritech")
    last = (TODAY - dt.timedelta(days=365)).isoformat()
    demo_store.update("accounts", saffron, {"cadence": "monthly", "last_review": last})
    app = KamApp(demo_store, today=TODAY, start="accounts")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        lst = app.screen.query_one(AccountList)
        assert lst.show_vertical_scrollbar and lst.line_width < lst.size.width  # the demo's 28 rows scroll
        row, titles = _row_and_titles(app)
        assert "11mo late " in row, row
        assert titles.index("Review▲") == row.index("11mo late"), (titles, row)  # the column under its title
        await pilot.press("slash", *"saffron", "enter")  # one row: no scrollbar, the whole width
        await settle(app, pilot)
        await settle(app, pilot)
        assert not lst.show_vertical_scrollbar and lst.line_width == lst.size.width
        row, titles = _row_and_titles(app)
        assert "11mo late" in row and titles.index("Review▲") == row.index("11mo late"), (titles, row)
