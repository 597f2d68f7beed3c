"""Pin how kamtui looks in Spanish (issue 15, item 6): Spanish words are longer, and at 80x24
and 120x40 nothing may be clipped into nonsense.

The same fixed data, date and environment as ``tests/test_snapshots.py`` (see there how to update
and why each run is the same), with Spanish chosen (``es_ES``) before the demo is built, as
``kamtui --demo --lang es`` does: the demo's names and notes are then Spanish too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamtui.sample import materialize_demo
from kamtui.ui.app import KamApp
from tests.test_snapshots import (  # noqa: F401 - snap_dir is a fixture used by name
    ADD_ACCOUNT_BAD_CADENCE,
    NARROW,
    WIDE,
    _app,
    keys,
    snap_dir,
)
from tests.ui_fixtures import TODAY, build_portfolio


@pytest.fixture
def es_app(snap_dir: Path, spanish: None) -> Iterator[KamApp]:  # noqa: F811
    """The hand-built portfolio on the account list, in Spanish."""
    path = snap_dir / "portfolio.json"
    build_portfolio(path)
    yield from _app(path, "accounts")


@pytest.fixture
def es_demo_path(snap_dir: Path, spanish: None) -> Path:  # noqa: F811
    return materialize_demo(snap_dir / "demo.json", TODAY)


@pytest.fixture
def es_demo(es_demo_path: Path) -> Iterator[KamApp]:
    yield from _app(es_demo_path, "accounts")


@pytest.fixture
def es_today(es_demo_path: Path) -> Iterator[KamApp]:
    yield from _app(es_demo_path, "today")


def test_es_today_120x40(snap_compare: Any, es_today: KamApp) -> None:
    assert snap_compare(es_today, terminal_size=WIDE, run_before=keys())


def test_es_today_80x24(snap_compare: Any, es_today: KamApp) -> None:
    assert snap_compare(es_today, terminal_size=NARROW, run_before=keys())


def test_es_split_panes_120x40(snap_compare: Any, es_demo: KamApp) -> None:
    """The account list beside the account's panes, the plan focused on its first item."""
    assert snap_compare(es_demo, terminal_size=WIDE, run_before=keys("2", "j"))


def test_es_split_panes_80x24(snap_compare: Any, es_app: KamApp) -> None:
    """Below 100 columns the panes are tabs: the relationship map's tab focused."""
    assert snap_compare(es_app, terminal_size=NARROW, run_before=keys("tab", "j"))


def test_es_business_80x24(snap_compare: Any, es_demo: KamApp) -> None:
    assert snap_compare(es_demo, terminal_size=NARROW, run_before=keys("4"))


def test_es_form_refused_120x40(snap_compare: Any, es_app: KamApp) -> None:
    """Add account with a cadence no preset or RRULE reads: the Spanish error at its field."""
    assert snap_compare(es_app, terminal_size=WIDE, run_before=keys(*ADD_ACCOUNT_BAD_CADENCE))


def test_es_form_refused_80x24(snap_compare: Any, es_app: KamApp) -> None:
    assert snap_compare(es_app, terminal_size=NARROW, run_before=keys(*ADD_ACCOUNT_BAD_CADENCE))


def test_es_help_120x40(snap_compare: Any, es_app: KamApp) -> None:
    assert snap_compare(es_app, terminal_size=WIDE, run_before=keys("tab", "question_mark"))


def test_es_help_80x24(snap_compare: Any, es_app: KamApp) -> None:
    assert snap_compare(es_app, terminal_size=NARROW, run_before=keys("question_mark"))


def test_es_guided_review_120x40(snap_compare: Any, es_today: KamApp) -> None:
    assert snap_compare(es_today, terminal_size=WIDE, run_before=keys("R"))


def test_es_portfolio_120x40(snap_compare: Any, es_demo: KamApp) -> None:
    assert snap_compare(es_demo, terminal_size=WIDE, run_before=keys("p"))
