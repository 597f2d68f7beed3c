"""Pin how the main screen looks at 120x40 and 80x24 (frozen date, fixed portfolio).

Update after an intended change with: pytest tests/test_snapshots.py --snapshot-update
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamtui.store import Store
from kamtui.ui.app import KamApp
from tests.ui_fixtures import TODAY, build_portfolio


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[KamApp]:
    monkeypatch.setenv("USER", "tester")
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    yield KamApp(store, today=TODAY, start="accounts")
    store.close(compact=False)


async def _settle(pilot: Any) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_main_screen_120x40(snap_compare: Any, app: KamApp) -> None:
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settle)


def test_main_screen_80x24(snap_compare: Any, app: KamApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), run_before=_settle)


def test_plan_tab_80x24(snap_compare: Any, app: KamApp) -> None:
    assert snap_compare(app, terminal_size=(80, 24), press=["2"], run_before=_settle)
