"""`?` everywhere: a title that names the screen, only keys that do something there, and help
on the dialogs too (the brief, the owner picker, the timeline, the import preview, the guided
review's summary). Through Pilot at 80x24 and 120x40."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.help import HelpScreen
from kamtui.ui.import_screen import ImportPreview
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio

SIZES = [(80, 24), (120, 40)]
# Textual's own bindings that do nothing in kamtui, or nothing where they were listed.
TEXTUAL_NOISE = ("Copy selected text", "Scroll Left", "Scroll Right", "Page Left", "Page Right", "Focus Next")


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def help_of(app: KamApp) -> tuple[str, str]:
    """The help's title and its whole body (scrolled out of view included)."""
    assert isinstance(app.screen, HelpScreen)
    title = str(app.screen.query_one("#help-title", Static).render())
    body = app.screen.query_one("VerticalScroll > Static", Static)
    lines = body.render_lines(body.region.reset_offset)
    return title, "\n".join("".join(seg.text for seg in strip).rstrip() for strip in lines)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("keys", "title", "listed"),
    [
        ((), "Keys (Today)", "The account list and its panes"),
        (("p",), "Keys (Portfolio)", "Pick 3-5 criteria and their weights"),
        (("tab",), "Keys (Accounts)", "Filter by name, owner, industry or tier as you type"),
        (("tab", "2"), "Keys (Accounts · Plan)", "Tick or untick the action"),
    ],
)
async def test_help_names_its_screen_and_lists_only_keys_that_work_there(
    tmp_path: Path, size: tuple[int, int], keys: tuple[str, ...], title: str, listed: str
) -> None:
    """The title said "Keys (app)" on Today and the portfolio, and the list had Textual's copy,
    sideways scrolling and focus keys, which do nothing there."""
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press(*keys, "question_mark")
            await settle(app, pilot)
            head, body = help_of(app)
            assert head.startswith(title + " "), head
            assert listed in body, body
            assert not [noise for noise in TEXTUAL_NOISE if noise in body], body
            if keys == ("tab",):  # tab moves between the list and the panes: said so
                assert "Next pane" in body
    finally:
        store.close(compact=False)


async def _help_over(app: KamApp, pilot: Pilot[None], screen: str, title: str, listed: tuple[str, ...]) -> None:
    """`?` over the dialog ``screen``: help titled ``title`` lists ``listed`` and none of Textual's
    own keys; escape goes back to the dialog."""
    await pilot.press("question_mark")
    await settle(app, pilot)
    head, body = help_of(app)
    assert head.startswith(title + " "), head
    assert all(word in body for word in listed), body
    assert not [noise for noise in TEXTUAL_NOISE if noise in body], body
    await pilot.press("escape")  # back where help was asked
    await settle(app, pilot)
    assert type(app.screen).__name__ == screen


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("keys", "screen", "title", "listed"),
    [
        (("tab", "b"), "BriefScreen", "Keys (Meeting brief)", ("Page down", "Close")),
        (("tab", "o"), "OwnerPicker", "Keys (Owners)", ("Down", "Close")),
    ],
)
async def test_question_mark_opens_help_on_the_brief_and_the_owner_picker(
    tmp_path: Path, size: tuple[int, int], keys: tuple[str, ...], screen: str, title: str, listed: tuple[str, ...]
) -> None:
    """`?` did nothing on these two: a modal screen stops the app's keys, and neither had its own."""
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press(*keys)
            await settle(app, pilot)
            assert type(app.screen).__name__ == screen
            await _help_over(app, pilot, screen, title, listed)
    finally:
        store.close(compact=False)


IMPORT_FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


async def _open_import_preview(app: KamApp, pilot: Pilot[None]) -> None:
    """I, the file, ctrl+s: the dry run's preview."""
    await pilot.press("I")
    await settle(app, pilot)
    app.screen.query_one("#f-path", Input).value = str(IMPORT_FIXTURES / "refused_rows.csv")
    await settle(app, pilot)
    await pilot.press("ctrl+s")
    await settle(app, pilot)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("keys", "screen", "title", "listed"),
    [
        (("tab", "i"), "TimelineScreen", "Keys (Activity timeline)", ("Down", "Close")),
        (("I",), "ImportPreview", "Keys (Import preview)", ("Write the good rows", "Cancel", "Down")),
        (("R", "q"), "SummaryScreen", "Keys (Guided review summary)", ("Close",)),
    ],
)
async def test_question_mark_opens_help_on_the_timeline_the_import_preview_and_the_summary(
    tmp_path: Path, size: tuple[int, int], keys: tuple[str, ...], screen: str, title: str, listed: tuple[str, ...]
) -> None:
    """`?` did nothing on these three dialogs either; the preview and the summary show `? Help`."""
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            if keys == ("I",):
                await _open_import_preview(app, pilot)
            else:
                await pilot.press(*keys)
                await settle(app, pilot)
            assert type(app.screen).__name__ == screen
            seen = screen_text(app)  # the preview's and the summary's footers say so, the timeline's title
            assert ("? keys" if screen == "TimelineScreen" else "? Help") in seen, seen
            await _help_over(app, pilot, screen, title, listed)
    finally:
        store.close(compact=False)


async def test_an_import_that_ends_under_the_help_closes_both(tmp_path: Path) -> None:
    """Help asked while the import writes: the preview closing must not pop the help in its place
    and stay open, busy, with every key refused."""
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await _open_import_preview(app, pilot)
            preview = app.screen
            assert isinstance(preview, ImportPreview)
            preview.busy = True  # as while its worker writes
            await pilot.press("question_mark")
            await settle(app, pilot)
            assert isinstance(app.screen, HelpScreen)
            preview.post_message(ImportPreview.Finished(summary="1 created"))
            await settle(app, pilot)
            assert not [s for s in app.screen_stack if isinstance(s, (ImportPreview, HelpScreen))]
    finally:
        store.close(compact=False)
