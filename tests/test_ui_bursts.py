"""Keys typed in one burst go where the screen they were typed at sends them. Textual's
``focus()`` moves the focus a step later, after the keys already received: `/acme` typed fast
opened the add-account form with its `a`, and `ctrl+l j` moved the pane just left. Each switch
of focus that a key makes happens in the same step (Screen.set_focus)."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input

from kamtui.store import Store
from kamtui.ui.account_list import AccountList
from kamtui.ui.forms import FormScreen
from tests.test_ui import make, screen_text, settle

SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def burst(app: object, *keys: str) -> None:
    """The keys as a terminal delivers a fast typist's: all queued before any is handled."""
    for key in keys:
        char = key if len(key) == 1 else None
        app.post_message(events.Key(key, char))  # type: ignore[attr-defined]


@SIZES
async def test_a_filter_typed_fast_filters(store: Store, size: tuple[int, int]) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        burst(app, "slash", "a", "c")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)  # `a` did not open "Add account"
        assert app.screen.query_one("#filter", Input).value == "ac"
        assert [r.name for r in app.session.rows.visible] == ["ACME Corp"]
        await pilot.press("enter")  # back to the list, the filter kept
        await settle(app, pilot)
        assert isinstance(app.focused, AccountList)
        assert app.screen.query_one("#filter", Input).value == "ac"
        burst(app, "slash", "m", "e")  # again: the filter goes on from where it was
        await settle(app, pilot)
        assert app.screen.query_one("#filter", Input).value == "acme"
        assert [r.name for r in app.session.rows.visible] == ["ACME Corp"]


@SIZES
async def test_back_to_the_list_and_a_move_in_one_burst_moves_the_list(store: Store, size: tuple[int, int]) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        first = app.screen.account_list.cursor  # type: ignore[attr-defined]
        await pilot.press("tab")  # into the stakeholders pane
        await settle(app, pilot)
        assert not isinstance(app.focused, AccountList)
        burst(app, "ctrl+l", "j")
        await settle(app, pilot)
        assert isinstance(app.focused, AccountList)
        assert app.screen.account_list.cursor == first + 1, screen_text(app)  # type: ignore[attr-defined]


@SIZES
async def test_a_name_typed_with_the_key_that_opens_the_form_is_the_name(store: Store, size: tuple[int, int]) -> None:
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        burst(app, "a", "B", "o", "b")  # Add account, and its name, in one burst
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#f-name", Input).value == "Bob"
        burst(app, "b", "y")  # typed on: after it, not replacing it
        await settle(app, pilot)
        assert app.screen.query_one("#f-name", Input).value == "Bobby"


@SIZES
@pytest.mark.parametrize("query", ["", "e"])
@pytest.mark.parametrize("opened", ["in the burst", "before it"])
async def test_a_filter_its_enter_and_a_move_in_one_burst(
    store: Store, size: tuple[int, int], query: str, opened: str
) -> None:
    """`/e⏎j` typed fast (a paste, keys bunched up over SSH): the filter is `e`, the list has the
    focus and the `j` moved its cursor. The box took the `j` as text (`ej`): its enter moved the
    focus only after the keys behind it. An empty filter (`/⏎j`) closes, as typed slowly. The
    burst may open the box itself (its keys were queued to the list) or come once it is open."""
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        lst = app.screen.account_list  # type: ignore[attr-defined]
        rows = app.session.rows
        expected = [r.name for r in rows.visible if not query or query in r.name.lower()]
        start = lst.cursor
        if opened == "before it":
            await pilot.press("slash")
            await settle(app, pilot)
        burst(app, *(["slash"] if opened == "in the burst" else []), *query, "enter", "j")
        await settle(app, pilot)
        box = app.screen.query_one("#filter", Input)
        assert box.value == query
        assert [r.name for r in rows.visible] == expected
        assert isinstance(app.focused, AccountList)
        assert box.display == bool(query)  # an empty filter closed
        assert lst.cursor == start + 1, screen_text(app)


@SIZES
@pytest.mark.parametrize("where", ["form", "filter"])
async def test_editing_keys_act_in_the_order_they_were_typed(store: Store, size: tuple[int, int], where: str) -> None:
    """A text box's own keys (backspace, ctrl+u, the arrows, ctrl+w) are Textual bindings, run
    once the key has bubbled up to the app, after the characters typed behind them: `abc⌫⌫d`
    typed fast gave `ab`, and `ctrl+u zoe` cleared the `zoe`. They act in turn now."""
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("a" if where == "form" else "slash")
        await settle(app, pilot)
        box = app.focused
        assert isinstance(box, Input)
        for keys, value in [
            ([*"abc", "backspace", "backspace", "d"], "ad"),
            (["ctrl+u", *"zoe"], "zoe"),
            (["left", "left", "X"], "zXoe"),
            (["end", "ctrl+w", *"ana"], "ana"),
            (["home", "delete", "B"], "Bna"),
        ]:
            burst(app, *keys)
            await settle(app, pilot)
            assert box.value == value, keys
        assert app.focused is box
