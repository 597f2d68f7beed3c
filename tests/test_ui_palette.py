"""The command palette lists account names as typed: never parsed as markup, never an action."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.content import Content
from textual.style import Style

from kamtui.domain.model import Account, Tier
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.commands import PlainMatcher
from tests.test_ui import settle
from tests.ui_fixtures import TODAY

NAMES = [
    "[@click=app.quit]Quitter[/]",
    "[bold]Bold Corp",
    "Acme [/]",
    "Esc\x1b[31mape Ltd",
    "Plain Widgets",
]


@pytest.fixture
def hostile_store(tmp_path: Path) -> Iterator[Store]:
    store = Store(tmp_path / "k.json", user="tester")
    for name in NAMES:
        store.insert("accounts", Account(name=name, tier=Tier.KEY, owner="tester").to_doc())
    yield store
    store.close(compact=False)


def _listed(app: KamApp) -> list[Content]:
    assert isinstance(app.screen, CommandPalette)
    options = app.screen.query_one(CommandList)
    prompts = [options.get_option_at_index(i).prompt for i in range(options.option_count)]
    assert all(isinstance(p, Content) for p in prompts)
    return prompts  # type: ignore[return-value]


def _marked(content: Content) -> str:
    """The characters ``content`` styles: only the letters the matcher highlighted."""
    return "".join(content.plain[span.start : span.end] for span in content.spans)


def _no_action_or_link(content: Content) -> None:
    for span in content.spans:
        style = span.style
        if isinstance(style, Style):
            assert not style.meta and style.link is None, f"action or link in the hit: {style!r}"
        else:
            assert "@" not in style and "link" not in style, f"markup in the hit: {style!r}"


@pytest.mark.parametrize(
    ("typed", "label"),
    [
        ("quitter", "Go to account: [@click=app.quit]Quitter[/]"),
        ("bold corp", "Go to account: [bold]Bold Corp"),
        ("acme", "Go to account: Acme [/]"),
        ("ape ltd", "Go to account: Esc^[[31mape Ltd"),
    ],
    ids=["click-action", "bold-tag", "closing-tag", "escape"],
)
async def test_palette_lists_hostile_names_literally(
    hostile_store: Store, monkeypatch: pytest.MonkeyPatch, typed: str, label: str
) -> None:
    monkeypatch.setenv("USER", "tester")
    app = KamApp(hostile_store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *typed)
        await settle(app, pilot)
        prompts = _listed(app)
        first_lines = [p.plain.split("\n")[0] for p in prompts]
        assert label in first_lines, f"{label!r} not listed literally in {first_lines!r}"
        hit = prompts[first_lines.index(label)]
        _no_action_or_link(hit)
        first = hit.plain.split("\n")[0]
        assert _marked(hit.divide([len(first)])[0]).lower() == typed.replace(" ", "")
        assert "\x1b" not in hit.plain
        await pilot.press("enter")  # go to the account; nothing else happens
        await settle(app, pilot)
        assert app.is_running
        assert not isinstance(app.screen, CommandPalette)
        assert app.main.account_id is not None
        chosen = hostile_store.get("accounts", app.main.account_id)
        assert chosen is not None
        assert "Go to account: " + chosen["name"].replace("\x1b", "^[") == label


async def test_palette_highlights_the_typed_letters_of_a_bracketed_name(
    hostile_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("USER", "tester")
    app = KamApp(hostile_store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p", *"bold")
        await settle(app, pilot)
        hit = next(p for p in _listed(app) if p.plain.startswith("Go to account: [bold]Bold Corp"))
        assert _marked(hit.divide([len("Go to account: [bold]Bold Corp")])[0]).lower() == "bold"


def test_plain_matcher_shows_control_characters_visibly() -> None:
    content = PlainMatcher("evil").highlight("\x1b[2J\u202eevil")
    assert content.plain == "^[[2J\u2423evil"
    assert _marked(content) == "evil"


async def test_go_to_account_from_today_shows_the_account(
    hostile_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamtui.ui.today import TodayScreen

    monkeypatch.setenv("USER", "tester")
    app = KamApp(hostile_store, today=TODAY)  # opens on Today, as kamtui does
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("ctrl+p", *"bold corp")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, (TodayScreen, CommandPalette)), "the account must be shown, not Today"
        assert app.main.account_id is not None
        chosen = hostile_store.get("accounts", app.main.account_id)
        assert chosen is not None and chosen["name"] == "[bold]Bold Corp"


async def test_no_palette_over_a_form(store: Store) -> None:
    """The palette's commands act on the screen below: opened over a form, its Undo undid the
    last change while the form stayed open, and the form's save then failed on a conflict."""
    from kamtui.ui.forms import FormScreen
    from tests.test_ui import make

    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")  # Add account
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+p")  # on the main screen, as before
        await settle(app, pilot)
        assert isinstance(app.screen, CommandPalette)
