"""Names use the room there is: at 100 columns Today cut 'Solano Retail Group' to 19 cells with
~28 blank ones at the end of its line, and the stakeholders' table cut 'Miguel Ortega' to 12 with
a dozen free (a tester's screens). Today's account column is a quarter of the line (19 to 27
cells); a narrow stakeholders table widens its names into what the other columns leave."""

from __future__ import annotations

import pytest

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
async def test_today_and_the_stakeholders_table_show_names_whole_where_there_is_room(
    demo_store: Store, size: tuple[int, int]
) -> None:
    app = KamApp(demo_store, today=TODAY, start="today")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Solano Retail Group " in text and "Solano Retail Gro…" not in text, text
        if size[0] >= 100:
            assert "Meridian Health Partners " in text, text
        await pilot.press("tab")  # the account list, its panes
        await settle(app, pilot)
        await pilot.press("slash", *"solano", "enter")
        await settle(app, pilot)
        pane = app.screen.query_one(StakeholderPane)
        lines = [line for line in screen_text(app).splitlines() if "champion" in line and "Miguel" in line]
        assert lines and "Miguel Ortega" in lines[0], (pane.size, lines)
