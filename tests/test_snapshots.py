"""Pin how kamtui looks: every screen at a fixed size, over fixed data, on a frozen date.

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
(then look at every changed SVG before committing it).

Each snapshot is the same on every run and every machine:
- the date is frozen (``TODAY``) and the data fixed: the hand-built portfolio of
  ``tests/ui_fixtures.py``, or the demo dated ``TODAY`` (its dates otherwise move with today);
- the database sits at a fixed path (``SNAP_DIR``, made and removed by each test; a lock makes
  a concurrent run on the same machine wait), so that a path the UI shows is the same in the SVG;
- the environment is fixed: no config file, ``$USER``, colour and a UTF-8 locale;
- a text field's cursor does not blink (it is drawn, or not, by what the keys did, not by the
  clock), and every worker has finished before the screenshot.
"""

from __future__ import annotations

import fcntl
import shutil
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input

from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui.app import KamApp
from tests.test_ui import workers_done
from tests.ui_fixtures import TODAY, build_portfolio

SNAP_DIR = Path("/tmp/kamtui-snapshots")  # fixed: the UI may show the database's path
LOCK = Path("/tmp/kamtui-snapshots.lock")  # held while SNAP_DIR is in use (left behind, empty)
USER = "tester"
WIDE = (120, 40)
NARROW = (80, 24)

Steps = Callable[[Any], Awaitable[None]]
Step = str | tuple[str, ...]  # a key, or keys pressed in one go (typing)


@pytest.fixture
def snap_dir(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """``SNAP_DIR``, empty, for this test alone; the environment the UI reads, fixed."""
    monkeypatch.setenv("USER", USER)
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # the user's thresholds and [keys] stay out
    monkeypatch.setenv("LANG", "C.UTF-8")
    for name in ("NO_COLOR", "LC_ALL", "LC_CTYPE", "KAMTUI_DB"):
        monkeypatch.delenv(name, raising=False)
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another run of these tests on this machine waits here
        shutil.rmtree(SNAP_DIR, ignore_errors=True)
        SNAP_DIR.mkdir(mode=0o700)
        try:
            yield SNAP_DIR
        finally:
            shutil.rmtree(SNAP_DIR, ignore_errors=True)


def _app(path: Path, start: str) -> Iterator[KamApp]:
    store = Store(path, user=USER)
    try:
        yield KamApp(store, today=TODAY, start=start)
    finally:
        store.close(compact=False)


@pytest.fixture
def app(snap_dir: Path) -> Iterator[KamApp]:
    """The hand-built portfolio (three accounts, ACME with everything), on the account list."""
    path = snap_dir / "portfolio.json"
    build_portfolio(path)
    yield from _app(path, "accounts")


@pytest.fixture
def demo_path(snap_dir: Path) -> Path:
    return materialize_demo(snap_dir / "demo.json", TODAY)


@pytest.fixture
def demo(demo_path: Path) -> Iterator[KamApp]:
    """The demo portfolio (28 accounts) dated TODAY, on the account list."""
    yield from _app(demo_path, "accounts")


@pytest.fixture
def demo_today(demo_path: Path) -> Iterator[KamApp]:
    """The demo portfolio opened as kamtui opens: Today over the main screen."""
    yield from _app(demo_path, "today")


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


def keys(*steps: Step) -> Steps:
    """Settle, press each step's keys and settle again after it (a key may start a worker or
    open a screen). A text field's cursor is stopped from blinking as soon as it is on screen: hidden
    then, it is shown for good by the next key or focus, so it is drawn or not by the keys alone."""

    async def run(pilot: Any) -> None:
        await _settle(pilot)
        _steady_cursors(pilot.app)
        for step in steps:
            await pilot.press(*((step,) if isinstance(step, str) else step))
            await _settle(pilot)
            _steady_cursors(pilot.app)

    return run


def _steady_cursors(app: KamApp) -> None:
    for field in app.screen.query(Input):
        if field.cursor_blink:
            field.cursor_blink = False


# ------------------------------------------------------------------ the main screen
def test_main_screen_120x40(snap_compare: Any, app: KamApp) -> None:
    assert snap_compare(app, terminal_size=WIDE, run_before=keys())


def test_main_screen_80x24(snap_compare: Any, app: KamApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=keys())


def test_plan_tab_80x24(snap_compare: Any, app: KamApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, press=["2"], run_before=keys())


def test_stakeholders_focus_120x40(snap_compare: Any, app: KamApp) -> None:
    """tab: the stakeholders pane focused, its cursor moved to the second person."""
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("tab", "j"))


def test_plan_focus_120x40(snap_compare: Any, app: KamApp) -> None:
    """2: the plan pane focused beside the others, its cursor on the late action."""
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("2", "j"))


def test_stakeholders_tab_80x24(snap_compare: Any, app: KamApp) -> None:
    """Below 100 columns the panes are tabs: tab focuses the stakeholders tab."""
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("tab", "j"))


def test_reviews_tab_80x24(snap_compare: Any, app: KamApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("3"))


# ------------------------------------------------------------------ a form with an error
# Nine fields before the cadence (the currency among them).
ADD_ACCOUNT_BAD_CADENCE: tuple[Step, ...] = ("a", tuple("Umbrella"), *["enter"] * 9, tuple("often"), "enter")


def test_add_account_refused_cadence_120x40(snap_compare: Any, app: KamApp) -> None:
    """Add account, every field passed with enter, a cadence no preset or RRULE: the error in view."""
    assert snap_compare(app, terminal_size=WIDE, run_before=keys(*ADD_ACCOUNT_BAD_CADENCE))


def test_add_account_refused_cadence_80x24(snap_compare: Any, app: KamApp) -> None:
    assert snap_compare(app, terminal_size=NARROW, run_before=keys(*ADD_ACCOUNT_BAD_CADENCE))


# ------------------------------------------------------------------ screens over the main screen
def test_help_120x40(snap_compare: Any, app: KamApp) -> None:
    """? on the stakeholders pane: its keys, the main screen's and the app's."""
    assert snap_compare(app, terminal_size=WIDE, run_before=keys("tab", "question_mark"))


def test_help_80x24(snap_compare: Any, app: KamApp) -> None:
    """? on the account list at 80 columns: no key runs into its description."""
    assert snap_compare(app, terminal_size=NARROW, run_before=keys("question_mark"))


def test_timeline_120x40(snap_compare: Any, demo: KamApp) -> None:
    """i on the second account: interactions, reviews, attitude changes and actions done."""
    assert snap_compare(demo, terminal_size=WIDE, run_before=keys("j", "i"))


def test_today_120x40(snap_compare: Any, demo_today: KamApp) -> None:
    assert snap_compare(demo_today, terminal_size=WIDE, run_before=keys())


def test_today_80x24(snap_compare: Any, demo_today: KamApp) -> None:
    assert snap_compare(demo_today, terminal_size=NARROW, run_before=keys())


def test_portfolio_120x40(snap_compare: Any, demo: KamApp) -> None:
    """p: Pareto with the 80% line, RFM and the criteria score."""
    assert snap_compare(demo, terminal_size=WIDE, run_before=keys("p"))


def test_guided_review_120x40(snap_compare: Any, demo_today: KamApp) -> None:
    """R on Today: the first due account with its panes, warnings and the scores to confirm."""
    assert snap_compare(demo_today, terminal_size=WIDE, run_before=keys("R"))


# ------------------------------------------------------------------ the whole account plan (issue 12)
# The demo's first account at TODAY is a key account with every part of the plan; `j` moves to it
# when the list opens elsewhere. Each pane is reached with its number key, as a user does.


def test_business_pane_120x40(snap_compare: Any, demo: KamApp) -> None:
    """4: goals, financial health, initiatives, the SWOT 2x2 with stale items said in words, the team."""
    assert snap_compare(demo, terminal_size=WIDE, run_before=keys("j", "4"))


def test_business_tab_80x24(snap_compare: Any, demo: KamApp) -> None:
    assert snap_compare(demo, terminal_size=NARROW, run_before=keys("j", "4"))


def test_opportunities_pane_120x40(snap_compare: Any, demo: KamApp) -> None:
    """5: open deals by stage, won and lost with their reasons; the header's money."""
    assert snap_compare(demo, terminal_size=WIDE, run_before=keys("j", "5"))


def test_opportunities_zoomed_80x24(snap_compare: Any, demo: KamApp) -> None:
    assert snap_compare(demo, terminal_size=NARROW, run_before=keys("j", "5", "z"))


def test_plan_with_kpis_zoomed_120x40(snap_compare: Any, demo: KamApp) -> None:
    """2 then z: the projected value, objectives naming the people they concern, the KPIs."""
    assert snap_compare(demo, terminal_size=WIDE, run_before=keys("j", "2", "z"))


def test_meeting_brief_80x24(snap_compare: Any, demo: KamApp) -> None:
    """b: the meeting brief of the selected account."""
    assert snap_compare(demo, terminal_size=NARROW, run_before=keys("j", "b"))


def test_pipeline_120x40(snap_compare: Any, demo: KamApp) -> None:
    """p then o: the portfolio's open pipeline by stage and close month."""
    assert snap_compare(demo, terminal_size=WIDE, run_before=keys("p", "o"))


def test_criteria_form_80x24(snap_compare: Any, demo: KamApp) -> None:
    """C: the account's criteria scores, each 1-5 or blank."""
    assert snap_compare(demo, terminal_size=NARROW, run_before=keys("j", "C"))


# ------------------------------------------------------------------ a first run
@pytest.fixture
def first_run(snap_dir: Path) -> Iterator[KamApp]:
    """No database yet: kamtui creates an empty one at its path and opens on Today, as the CLI does."""
    yield from _app(snap_dir / "kamtui.json", "today")


def test_first_run_120x40(snap_compare: Any, first_run: KamApp) -> None:
    """An empty database: which file is open, and how to begin."""
    assert snap_compare(first_run, terminal_size=WIDE, run_before=keys())


def test_first_run_80x24(snap_compare: Any, first_run: KamApp) -> None:
    assert snap_compare(first_run, terminal_size=NARROW, run_before=keys())


def test_first_run_accounts_120x40(snap_compare: Any, first_run: KamApp) -> None:
    """tab from Today: the account list, alone, says the same (no empty panes beside it)."""
    assert snap_compare(first_run, terminal_size=WIDE, run_before=keys("tab"))
