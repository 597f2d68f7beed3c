"""Stored text is data: hostile names render literally in every pane, never as markup or control bytes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kamtui.domain.text import clean
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import ConfirmScreen, FormScreen
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.hostile import STORABLE_NAMES
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
CHUNK = 11  # build_portfolio has 11 name slots: account, sponsor, stakeholders, titles, objective, action, notes


def _chunks() -> list[list[str]]:
    return [STORABLE_NAMES[i : i + CHUNK] for i in range(0, len(STORABLE_NAMES), CHUNK)]


@pytest.mark.parametrize("names", _chunks(), ids=lambda c: f"{len(c)}names")
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_hostile_names_render_literally_everywhere(
    tmp_path: Path, names: list[str], size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "tester")
    path = tmp_path / "k.json"
    build_portfolio(path, names=names)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            seen: list[str] = []
            for _ in range(3):  # every account, every pane
                for tab in ("1", "2", "3"):
                    await pilot.press(tab)
                    await settle(app, pilot)
                    seen.append(screen_text(app))
                await pilot.press("ctrl+l", "j")
                await settle(app, pilot)
            await pilot.press("ctrl+l", "g", "1", "z")
            await settle(app, pilot)
            seen.append(screen_text(app))
            await pilot.press("z", "e")  # the edit form shows the stored name in an Input
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen)
            seen.append(screen_text(app))
            await pilot.press("escape", "d")
            await settle(app, pilot)
            assert isinstance(app.screen, ConfirmScreen)
            seen.append(screen_text(app))
            await pilot.press("n", "2")
            await settle(app, pilot)
            plan = app.query_one(PlanPane)
            assert plan.objectives, "plan pane shows the hostile objective"
            await pilot.press("ctrl+p", *"x")
            await settle(app, pilot)
            seen.append(screen_text(app))
            await pilot.press("escape")
            await settle(app, pilot)
            assert app.is_running, "a [@click=app.quit] name must not quit the app"
            assert app.query_one(StakeholderPane).items
            for text in seen:
                bad = CONTROL.findall(text)
                assert not bad, f"control characters reached the screen: {bad!r} in {text!r}"
            everything = "\n".join(seen)
            if size[0] < 100:
                return  # at 80 columns names are truncated; what matters there is that nothing leaks or crashes
            for name in names:
                visible = clean(name).strip()
                if visible and CONTROL.search(visible) is None and len(visible) < 30 and "\t" not in visible:
                    assert visible[:10] in everything, f"{name!r} not shown literally"
    finally:
        store.close(compact=False)
