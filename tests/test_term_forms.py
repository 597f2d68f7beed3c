"""Issue 11, item 10: forms a keyboard user can finish at 80x24 and 120x40.

`enter` moves on from a select field too; every field can be reached (the dialog scrolls);
a refused field is scrolled into view, focused, and its error is on screen; a last contact
(or an interaction) dated after today is refused.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget
from textual.widgets import Input, Select

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.test_ui import workers_done
from tests.ui_fixtures import TODAY

SIZES = [(80, 24), (120, 40)]


async def settle(app: KamApp, pilot: Any) -> None:
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


def on_screen(app: KamApp, widget: Widget) -> bool:
    """The whole widget is drawn: every cell of its region is the widget itself (or a child of it), on the screen."""
    region = widget.region
    if not region or not app.screen.region.contains_region(region):
        return False
    for y in range(region.y, region.bottom):
        for x in (region.x, region.right - 1):
            hit, _ = app.screen.get_widget_at(x, y)
            if hit is not widget and widget not in hit.ancestors:
                return False
    return True


def focused_id(app: KamApp) -> str | None:
    return app.focused.id if app.focused is not None else None


async def next_field(app: KamApp, pilot: Any, expect: str) -> None:
    await pilot.press("enter")
    await settle(app, pilot)
    assert focused_id(app) == f"f-{expect}"
    assert isinstance(app.screen, FormScreen)
    assert on_screen(app, app.screen.query_one(f"#f-{expect}")), f"{expect} is focused but out of sight"
    assert_at_rest(app)


def assert_at_rest(app: KamApp) -> None:
    """The fields stay where the form put them: no scroll animation (Textual's own centring of a
    focused widget) is still moving them, to land wherever its timing takes it."""
    fields = app.screen.query_one("#fields")
    assert not app.animator.is_being_animated(fields, "scroll_y"), "the form is still scrolling"
    assert fields.scroll_y == int(fields.scroll_y), f"the fields stopped mid-line: {fields.scroll_y}"


async def pick(app: KamApp, pilot: Any, steps: int) -> None:
    """Choose the option `steps` below the current one in the focused select, with keys only."""
    await pilot.press("space")  # open the menu
    await settle(app, pilot)
    await pilot.press(*["down"] * steps, "enter")
    await settle(app, pilot)
    assert isinstance(app.focused, Select)


@pytest.mark.parametrize("size", SIZES)
async def test_add_account_with_keys_only_and_a_refused_cadence_is_shown(store: Store, size: tuple[int, int]) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        n, seq = store.count("accounts"), store.seq
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and focused_id(app) == "f-name"
        await pilot.press(*"Umbrella Corp")
        await next_field(app, pilot, "tier")
        await pick(app, pilot, 2)  # key -> regular (key, candidate, regular)
        await next_field(app, pilot, "industry")  # enter on a select moves on; it does not open the menu
        await pilot.press(*"Pharma")
        await next_field(app, pilot, "owner")
        await pilot.press("ctrl+u", *"zoe")
        await next_field(app, pilot, "sponsor")
        await pilot.press(*"Albert Wesker")
        await next_field(app, pilot, "revenue")
        await pilot.press("ctrl+u", *"2500000")
        await next_field(app, pilot, "cost_to_serve")
        await pilot.press("ctrl+u", *"40000")
        await next_field(app, pilot, "currency")
        await pick(app, pilot, 3)  # the portfolio's -> EUR -> USD -> MXN
        await next_field(app, pilot, "growth_potential")
        await pick(app, pilot, 1)  # medium -> high
        await next_field(app, pilot, "cadence")
        await pilot.press(*"every tuesday-ish")
        await pilot.press("enter")  # enter on the last field submits
        await settle(app, pilot)
        # Refused: nothing written, the cadence focused, and its error drawn on the screen.
        assert isinstance(app.screen, FormScreen)
        assert store.count("accounts") == n and store.seq == seq
        assert focused_id(app) == "f-cadence"
        error = app.screen.query_one("#e-cadence")
        assert error.display and "neither a preset" in str(error.render())
        assert on_screen(app, error), f"the error is out of sight: {error.region} on {app.screen.region}"
        assert on_screen(app, app.screen.query_one("#f-cadence"))
        # Put right, then saved with every field as typed.
        await pilot.press("ctrl+u", *"quarterly", "enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert store.count("accounts") == n + 1
        doc = store.get("accounts", app.main.account_id)  # type: ignore[arg-type]
        assert doc is not None
        assert {k: doc[k] for k in ("name", "tier", "industry", "owner", "sponsor", "growth_potential", "cadence")} == {
            "name": "Umbrella Corp",
            "tier": "regular",
            "industry": "Pharma",
            "owner": "zoe",
            "sponsor": "Albert Wesker",
            "growth_potential": "high",
            "cadence": "quarterly",
        }
        assert doc["revenue"] == 2_500_000 and doc["cost_to_serve"] == 40_000 and doc["currency"] == "MXN"


@pytest.mark.parametrize("size", SIZES)
async def test_a_refused_field_above_the_view_is_scrolled_back_into_sight(store: Store, size: tuple[int, int]) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        for _ in range(9):  # down to the last field; the name (first) is left empty
            await pilot.press("enter")
            await settle(app, pilot)
        assert focused_id(app) == "f-cadence"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert focused_id(app) == "f-name"
        assert on_screen(app, app.screen.query_one("#f-name"))
        assert on_screen(app, app.screen.query_one("#e-name"))


async def test_enter_on_a_select_moves_on_and_the_menu_still_opens_with_space(store: Store) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("a", "enter")
        await settle(app, pilot)
        tier = app.screen.query_one("#f-tier", Select)
        assert app.focused is tier
        await pilot.press("enter")
        await settle(app, pilot)
        assert not tier.expanded and focused_id(app) == "f-industry"
        await pilot.press("shift+tab")
        await pilot.press("down")  # the usual keys still open the menu
        await settle(app, pilot)
        assert tier.expanded
        await pilot.press("escape")  # closes the menu only
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and not tier.expanded


@pytest.mark.parametrize("size", SIZES)
async def test_a_last_contact_after_today_is_refused(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        before, seq = store.count("stakeholders"), store.seq
        await pilot.press(*"Zed Zimmer")
        box = app.screen.query_one("#f-last_contact", Input)
        box.focus()
        await pilot.press(*"+3d")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert store.count("stakeholders") == before and store.seq == seq
        assert focused_id(app) == "f-last_contact"
        error = app.screen.query_one("#e-last_contact")
        assert "after today" in str(error.render()) and on_screen(app, error)
        await pilot.press("ctrl+u", *"today", "ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert store.count("stakeholders") == before + 1


async def test_an_interaction_dated_after_today_is_refused(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    ids = db[1]
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        pane = app.query_one(StakeholderPane)
        while pane.current().id != ids["hostile_dm"]:  # type: ignore[union-attr]
            await pilot.press("j")
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        seq = store.seq
        app.screen.query_one("#f-date", Input).value = "tomorrow"
        app.screen.query_one("#f-summary", Input).value = "Lunch next week"
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and store.seq == seq
        assert focused_id(app) == "f-date"
        error = app.screen.query_one("#e-date")
        assert "after today" in str(error.render()) and on_screen(app, error)
        doc = store.get("stakeholders", ids["hostile_dm"])
        assert doc is not None and doc["last_contact"] != (TODAY.replace(day=24)).isoformat()


async def test_enter_on_a_tick_list_moves_on_and_space_still_ticks(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    from textual.widgets import SelectionList

    ids = db[1]
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        pane = app.query_one(StakeholderPane)
        while pane.current().id != ids["hostile_dm"]:  # type: ignore[union-attr]
            await pilot.press("j")
        await pilot.press("l")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and focused_id(app) == "f-kind"
        await next_field(app, pilot, "stakeholders")
        ticks = app.screen.query_one("#f-stakeholders", SelectionList)
        before = list(ticks.selected)
        await pilot.press("down", "space")  # space ticks the next person
        await settle(app, pilot)
        assert len(ticks.selected) == len(before) + 1
        await next_field(app, pilot, "date")  # enter moves on, ticking nothing
        assert len(ticks.selected) == len(before) + 1


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_a_form_opening_on_a_select_shows_that_fields_label(tmp_path: Path, size: tuple[int, int]) -> None:
    """The first field focused when a form opens is scrolled into sight with its label (a select
    alone used to leave its label just above the top: the criteria form opened label-less)."""
    from kamtui.ui.forms import FormScreen as Form
    from tests.ui_fixtures import build_portfolio

    path = tmp_path / "p.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            app.main.go_to_account(ids["globex"])
            await settle(app, pilot)
            await pilot.press("C")
            await settle(app, pilot)
            assert isinstance(app.screen, Form)
            first = app.screen.fields[0].name
            label = app.screen.query(".field-label").first()
            assert focused_id(app) == f"f-{first}"
            assert on_screen(app, label), "the first field's label is out of sight"
    finally:
        store.close(compact=False)
