"""Portfolio screen: ranking with the 80% line, flagged filter, weights form validation, P promotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import ConfirmScreen, FormScreen
from kamtui.ui.portfolio_screen import PortfolioList, PortfolioScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # no config: the defaults


async def test_portfolio_ranks_promotes_and_validates_weights(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "demo.json", TODAY)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("p")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, PortfolioScreen)
            text = screen_text(app)
            assert "80% of revenue above this line" in text
            assert "Portfolio · 28 customers" in text
            revenues = [r.customer.revenue for r in screen.ranked]
            assert revenues == sorted(revenues, reverse=True)
            await pilot.press("f")
            await settle(app, pilot)
            lst = screen.query_one(PortfolioList)
            flagged = [r for r in lst.rows if not isinstance(r, str)]
            assert flagged and all(r.flags for r in flagged)
            candidate = next(r for r in flagged if r.customer.tier != "key")
            while lst.current is None or lst.current.customer.id != candidate.customer.id:
                await pilot.press("j")
            await pilot.press("P")
            await settle(app, pilot)
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(app, pilot)
            doc = store.get("accounts", candidate.customer.id)
            assert doc is not None and doc["tier"] == "key" and doc["cadence"]
            # Weights: refuse a form with only two criteria, accept three.
            await pilot.press("w")
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen)
            for name in ("revenue_potential", "growth", "solvency", "relationships", "strategic_value"):
                app.screen.query_one(f"#f-{name}").value = "0"  # type: ignore[attr-defined]
            app.screen.query_one("#f-growth").value = "50"  # type: ignore[attr-defined]
            app.screen.query_one("#f-solvency").value = "50"  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert "pick 3 to 5 criteria" in screen_text(app)
            assert store.count("settings") == 0
            app.screen.query_one("#f-strategic_value").value = "20"  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, PortfolioScreen)
            assert "growth potential 50, solvency 50, strategic value 20" in screen_text(app)
            await pilot.press("escape")
            await settle(app, pilot)
            assert not isinstance(app.screen, PortfolioScreen)
    finally:
        store.close(compact=False)
