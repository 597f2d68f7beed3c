"""Issue 11, item 8: the layout follows every resize at once. After a resize, each screen shows
exactly what it shows when kamtui starts at that size (whichever screen was on top when the
terminal changed), never the previous size's layout."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from kamtui.domain.queue import KIND_TITLES
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.portfolio_screen import PortfolioScreen
from kamtui.ui.today import TodayScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY

WIDE, NARROW = (120, 40), (80, 24)


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return materialize_demo(tmp_path / "demo.json", TODAY)


async def _screen_after(
    path: Path, start: str, size: tuple[int, int], keys: Sequence[str], resize_to: tuple[int, int] | None, then: str
) -> tuple[str, str]:
    """The screen (its class and its text) after ``keys`` at ``size``, a resize to ``resize_to``
    (none: started there) and the keys of ``then``."""
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start=start)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            for key in keys:
                await pilot.press(key)
                await settle(app, pilot)
            if resize_to is not None:
                await pilot.resize_terminal(*resize_to)
                await settle(app, pilot)
            for key in then.split():
                await pilot.press(key)
                await settle(app, pilot)
            return type(app.screen).__name__, screen_text(app)
    finally:
        store.close(compact=False)


@pytest.mark.parametrize(("before", "after"), [(WIDE, NARROW), (NARROW, WIDE)])
@pytest.mark.parametrize(
    ("start", "keys", "then", "shown"),
    [
        ("today", [], "", "TodayScreen"),  # Today on top
        ("today", [], "tab", "MainScreen"),  # resized under Today, then Today left
        ("today", ["question_mark"], "escape tab", "MainScreen"),  # resized two screens down
        ("accounts", [], "", "MainScreen"),
        ("accounts", ["p"], "", "PortfolioScreen"),
        ("accounts", ["p"], "escape", "MainScreen"),
        ("accounts", ["R"], "", "GuidedReviewScreen"),  # a bar over the main screen
        ("accounts", ["i"], "", "TimelineScreen"),
    ],
)
async def test_a_resized_screen_shows_what_a_start_at_that_size_shows(
    demo: Path,
    before: tuple[int, int],
    after: tuple[int, int],
    start: str,
    keys: list[str],
    then: str,
    shown: str,
) -> None:
    resized = await _screen_after(demo, start, before, keys, after, then)
    fresh = await _screen_after(demo, start, after, keys, None, then)
    assert resized[0] == fresh[0] == shown
    assert resized[1] == fresh[1]


async def test_today_lines_fit_the_new_width(demo: Path) -> None:
    """Each queue item stays one line at the new width, its account column as wide as there."""
    store = Store(demo, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=WIDE) as pilot:
            await settle(app, pilot)
            await pilot.resize_terminal(*NARROW)
            await settle(app, pilot)
            assert isinstance(app.screen, TodayScreen)
            lines = screen_text(app).splitlines()
            items = [line for line in lines if line[1:3] in ("!!", "! ")]
            assert len(items) >= 10
            assert all(len(line.rstrip()) <= NARROW[0] for line in lines)
            # Every line under a group title is an item (none is the wrapped tail of one above it).
            titles = tuple(f" {title} (" for title in KIND_TITLES.values())
            body = [line for line in lines[3:-1] if line.strip() and not line.startswith(titles)]
            assert lines[0].rstrip().endswith("  ·  ranked: 2.5M key, map red, 3w late")  # the highlighted item's
            assert [line for line in body if line[1:3] not in ("!!", "! ", "  ")] == []
            await pilot.resize_terminal(*WIDE)
            await settle(app, pilot)
            assert "Solano Retail Group " in screen_text(app)  # the wide account column, uncut
    finally:
        store.close(compact=False)


async def test_the_portfolio_header_follows_the_width(demo: Path) -> None:
    store = Store(demo, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=NARROW) as pilot:
            await settle(app, pilot)
            await pilot.press("p")
            await settle(app, pilot)
            assert isinstance(app.screen, PortfolioScreen)
            assert "segment" not in screen_text(app)
            await pilot.resize_terminal(*WIDE)
            await settle(app, pilot)
            assert "segment" in screen_text(app) and "champion" in screen_text(app)
    finally:
        store.close(compact=False)


def test_the_panes_are_tabs_below_36_rows_as_below_100_columns() -> None:
    """Three panes stacked at 24 rows left the middle one a border line and no row; at 30 rows,
    two rows (a tester's 100x30), the panes around it blank lines to spare."""
    from kamtui.ui.layout import pane_layout

    for height in (24, 30, 35):
        short = pane_layout(120, None, "plan", "plan", height=height)
        assert short.narrow and short.single and short.tabs_shown and short.panes_shown == {"plan"}
        assert short.accounts_width == max(44, int(120 * 0.42))  # the list keeps its wide width
    tall = pane_layout(120, None, "plan", "plan", height=36)
    assert not tall.narrow and tall.panes_shown == {"stakeholders", "plan", "reviews"}


async def test_stacked_at_the_fewest_rows_the_middle_pane_has_five_lines(demo: Path) -> None:
    from kamtui.ui.layout import STACKED_FROM

    # The list focused: the plan not, so the stakeholders' pane does not give it room (_give_way).
    _, text = await _screen_after(demo, "accounts", (100, STACKED_FROM), [], None, "")
    lines = text.splitlines()
    top = next(i for i, line in enumerate(lines) if "╭─ Plan" in line)
    bottom = next(i for i, line in enumerate(lines) if i > top and "╰" in line and "done" in line)
    assert bottom - top - 1 >= 5, text
    assert any("╭─ Stakeholders" in line for line in lines) and any("╭─ Reviews" in line for line in lines)


async def test_at_120x24_the_plan_shows_its_rows_and_a_resize_there_shows_the_same(demo: Path) -> None:
    resized = await _screen_after(demo, "accounts", WIDE, [], (120, 24), "2")
    fresh = await _screen_after(demo, "accounts", (120, 24), [], None, "2")
    assert resized == fresh
    lines = fresh[1].splitlines()
    top = next(i for i, line in enumerate(lines) if "╭─ Plan" in line)
    assert "Reviews ─" not in "".join(lines[top : top + 6])  # the plan has rows of its own
    assert any("term" in line for line in lines[top + 1 : top + 8]), fresh[1]  # its sections show
