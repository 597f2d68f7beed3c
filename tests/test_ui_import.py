"""Import from the TUI: the form validates the path, the dry run lists refused rows, s imports the rest, u undoes."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.import_screen import ImportPreview
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio

FIXTURES = Path(__file__).parent / "fixtures" / "import"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # no config: the defaults


async def test_import_from_the_tui_dry_run_then_apply_and_undo(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            before = store.count("accounts")
            await pilot.press("I")
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen)
            app.screen.query_one("#f-path").value = str(tmp_path / "missing.csv")  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert "is not a file" in screen_text(app)
            app.screen.query_one("#f-path").value = str(FIXTURES / "refused_rows.csv")  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ImportPreview)
            text = screen_text(app)
            assert "Dry run: nothing written yet" in text and "refused" in text and "line " in text
            seq = store.seq
            await pilot.press("enter")  # refused rows: enter does not import
            await settle(app, pilot)
            assert store.seq == seq and isinstance(app.screen, ImportPreview)
            await pilot.press("s")
            await settle(app, pilot)
            assert not isinstance(app.screen, ImportPreview)
            created = store.count("accounts") - before
            assert created > 0
            assert app.session.rows.rows and len(app.session.rows.rows) == store.count("accounts")
            await pilot.press("u")
            await settle(app, pilot)
            assert store.count("accounts") == before
    finally:
        store.close(compact=False)


async def test_a_file_of_unknown_kind_asks_for_the_kind_in_the_form(tmp_path: Path) -> None:
    """The TUI said "pass --kind", a command-line flag; here the kind is the Records field."""
    path = tmp_path / "k.json"
    build_portfolio(path)
    odd = tmp_path / "odd.csv"
    odd.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("I")
            await settle(app, pilot)
            app.screen.query_one("#f-path").value = str(odd)  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            text = screen_text(app)
            assert "contacts or deals: choose which" in text and "--kind" not in text
            assert app.focused is app.screen.query_one("#f-kind")  # the field refused is the one focused
    finally:
        store.close(compact=False)
