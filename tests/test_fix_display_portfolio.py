"""The portfolio (`p`) at 100 columns and narrower cut account names and flags mid-word with
nothing to say so ("Meridian Health Partn"); a cut ends in an ellipsis, as in every other list."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.domain.selection import Ranked
from kamtui.domain.text import clean
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.portfolio_screen import PortfolioList, PortfolioScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def _shown_whole_or_cut(whole: str, line: str) -> bool:
    """``whole`` is in ``line``, or a start of it followed by the ellipsis."""
    if whole in line:
        return True
    return any(whole[:n] + "…" in line for n in range(len(whole) - 1, 0, -1))


@pytest.mark.parametrize("size", [(104, 30), (100, 30), (80, 24)])
async def test_names_and_flags_cut_in_the_portfolio_end_in_an_ellipsis(tmp_path: Path, size: tuple[int, int]) -> None:
    path = materialize_demo(tmp_path / "demo.json", TODAY)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("p")
            await settle(app, pilot)
            assert isinstance(app.screen, PortfolioScreen)
            lst = app.screen.query_one(PortfolioList)
            cut_names = cut_flags = 0
            for _ in ("all", "flagged"):  # the first rows, then the flagged ones (every row with a flag)
                top = lst.scroll_offset.y
                shown = screen_text(app).splitlines()  # as on screen: the scrollbar over the list's right
                for y in range(lst.size.height):
                    if top + y >= len(lst.rows) or not isinstance(row := lst.rows[top + y], Ranked):
                        continue
                    line = shown[lst.region.y + y]
                    name, flag = clean(row.customer.name), clean(row.flags[0]) if row.flags else ""
                    assert _shown_whole_or_cut(name, line), (name, line)
                    cut_names += name not in line
                    if flag:
                        assert _shown_whole_or_cut(flag, line), (flag, line)
                        cut_flags += flag not in line
                header = shown[lst.region.y - 1]  # the column titles, for the columns drawn
                rows = "\n".join(shown[lst.region.y : lst.region.bottom])
                assert ("segment" in header) == any(s in rows for s in ("champion", "loyal", "promising")), header
                await pilot.press("f")
                await settle(app, pilot)
            assert cut_flags, "no flag long enough to be cut at this width: the test shows nothing"
            if size[0] > 100:  # the segment column's width narrows the names; without it they fit
                assert cut_names, "no name long enough to be cut at this width: the test shows nothing"
    finally:
        store.close(compact=False)
