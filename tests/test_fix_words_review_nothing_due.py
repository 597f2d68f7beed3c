"""Today's R with nothing due for review says so in a notification, instead of doing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.domain.model import Account
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.ui.app import KamApp
from kamtui.ui.today import TodayScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY, d


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
@pytest.mark.parametrize("accounts", [0, 1], ids=["empty-file", "none-due"])
async def test_guided_review_with_nothing_due_says_so(tmp_path: Path, size: tuple[int, int], accounts: int) -> None:
    path = tmp_path / "k.json"
    store = Store(path, user="tester")
    if accounts:
        Portfolio(store).save(Account(name="Calm Co", owner="tester", last_review=d(-1)))
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        assert app.session.due_for_review(mine=False) == []
        await pilot.press("R")
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        messages = [str(n.message) for n in app._notifications]
        assert any("Nothing due for review today" in m for m in messages), messages
