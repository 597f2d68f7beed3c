"""Fixtures shared by the UI tests: the small hand-built portfolio and a store over it, and a
store over the demo portfolio."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui.sample import materialize_demo
from kamtui.store import Store
from tests.ui_fixtures import TODAY, build_portfolio


@pytest.fixture
def db(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "k.json"
    return path, build_portfolio(path)


@pytest.fixture
def store(db: tuple[Path, dict[str, int]]) -> Iterator[Store]:
    s = Store(db[0], user="tester")
    yield s
    s.close(compact=False)


@pytest.fixture
def demo_store(tmp_path: Path) -> Iterator[Store]:
    """The demo portfolio, dated TODAY, opened as user "tester"."""
    s = Store(materialize_demo(tmp_path / "demo.json", TODAY), user="tester")
    yield s
    s.close(compact=False)
