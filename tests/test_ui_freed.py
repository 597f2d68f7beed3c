"""A closed screen leaves nothing behind on the app: a widget that watches the app (a form's
TextArea watches its theme) leaves its watcher on the app, and Textual forgets it only when the
theme next changes (textual#6666), so each notes form opened stayed in memory for the life of
the app. KamApp.pop_screen forgets the watchers of closed widgets (compat.drop_closed_watchers)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from textual.widgets import TextArea

from kamtui.ui import compat
from kamtui.ui.business_forms import notes_form
from tests.test_ui import settle
from tests.test_ui_footer import running


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


async def test_a_closed_notes_form_leaves_no_watcher_on_the_app(tmp_path: Path) -> None:
    async with running(tmp_path, (120, 40)) as (app, pilot):
        account = next(iter(app.session.portfolio.accounts()))
        for _ in range(4):
            await app.push_screen(notes_form(app.session, account))
            await settle(app, pilot)
            watching = [node for node, _ in getattr(app, compat.WATCHERS)["theme"]]
            assert any(isinstance(node, TextArea) for node in watching)  # where Textual keeps it
            await pilot.press("escape")
            await settle(app, pilot)
        left = [node for node, _ in getattr(app, compat.WATCHERS).get("theme", [])]
        assert not [node for node in left if isinstance(node, TextArea)]
        gc.collect()
        assert len([o for o in gc.get_objects() if isinstance(o, TextArea)]) <= 1  # the last may wait for its timer
