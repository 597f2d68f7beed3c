"""Issue 11, item 14: every state reads without colour, and a selection never looks like an alert.

With NO_COLOR, Textual draws every colour as the grey of the same luminance: a red alert
became dark grey on near-black. Here each text cell must stand out from its background, the
cursor is reversed, and ticked boxes differ from unticked ones by more than brightness. In a
16-colour terminal the selection and the focus must not downgrade to the alert colour.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.color import ColorSystem
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.widget import Widget
from textual.widgets import SelectionList

from kamtui.store import Store
from kamtui.ui.account_list import AccountList
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.test_ui import workers_done
from tests.ui_fixtures import TODAY


async def settle(app: KamApp, pilot: Any) -> None:
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


def decoration(text: str) -> bool:
    """Lines, corners and blocks (borders, scrollbars, bars): drawn, not read."""
    return all(ch == " " or 0x2500 <= ord(ch) <= 0x259F for ch in text)


def rgb(color: Any, default: Color) -> Color:
    return default if color is None or color.is_default else Color.from_rich_color(color)


def distance(a: Color, b: Color) -> float:
    """How far apart two colours are in their most different channel (0-1); for greys, their contrast."""
    return max(abs(a.r - b.r), abs(a.g - b.g), abs(a.b - b.b)) / 255


Cells = list[list[tuple[str, float, float]]]


def text_cells(app: KamApp) -> Cells:
    """Per screen row, each text segment: how far its colour stands out from its background, and
    the background's brightness."""
    out = []
    for strip in app.screen._compositor.render_strips():
        row = []
        for seg in strip:
            if seg.style is None or not seg.text.strip() or decoration(seg.text):
                continue
            fg, bg = rgb(seg.style.color, Color(255, 255, 255)), rgb(seg.style.bgcolor, Color(0, 0, 0))
            row.append((seg.text, distance(fg, bg), bg.brightness))
        out.append(row)
    return out


async def render(path: Path, keys: list[str], start: str) -> Cells:
    store = Store(path, user="tester")
    try:
        app = KamApp(store, today=TODAY, start=start)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            for key in keys:
                await pilot.press(key)
                await settle(app, pilot)
            return text_cells(app)
    finally:
        store.close(compact=False)


def lost(colour: Cells, grey: Cells) -> list[tuple[str, float, float]]:
    """Text that stands out less without colour than it did with it (text, with colour, without),
    as far as greys allow: on a grey background of brightness b, text is at most max(b, 1 - b) apart."""
    out = []
    for crow, grow in zip(colour, grey, strict=True):
        assert [t for t, _, _ in crow] == [t for t, _, _ in grow]
        for (t, c, _), (_, g, b) in zip(crow, grow, strict=True):
            if g < min(c, max(b, 1 - b)) - 0.02:
                out.append((t, round(c, 2), round(g, 2)))
    return out


def rows_of(app: KamApp, widget: Widget) -> list[list[Segment]]:
    """The widget's rows as drawn on the screen (colours and filters included)."""
    r = widget.region
    strips = app.screen._compositor.render_strips()
    return [list(strips[y].crop(r.x, r.right)) for y in range(r.y, r.bottom)]


def row_with(rows: list[list[Segment]], text: str) -> list[Segment]:
    return next(row for row in rows if text in "".join(seg.text for seg in row))


def attrs(style: Style | None) -> tuple[bool, ...]:
    s = style or Style()
    return (bool(s.bold), bool(s.reverse), bool(s.underline), bool(s.italic), bool(s.strike))


@pytest.mark.parametrize(
    ("start", "keys"), [("accounts", []), ("accounts", ["tab"]), ("today", []), ("accounts", ["p"])]
)
async def test_without_colour_no_text_fades_into_its_background(
    db: tuple[Path, dict[str, int]], monkeypatch: pytest.MonkeyPatch, start: str, keys: list[str]
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    colour = await render(db[0], keys, start)
    monkeypatch.setenv("NO_COLOR", "1")
    grey = await render(db[0], keys, start)
    faded = lost(colour, grey)
    assert faded == [], "\n".join(map(str, faded))
    # The alerts are there, and now stand out: the late review, the hostile decision maker.
    flat = {t.strip(): g for row in grey for t, g, _ in row}
    if start == "accounts" and not keys:
        assert flat["9d late"] >= 0.5 and flat["unfriendly"] >= 0.5


async def test_without_colour_the_cursor_is_reversed_where_the_focus_is(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        accounts = app.query_one(AccountList)
        cursor_row = row_with(rows_of(app, accounts), "ACME Corp")
        other_row = row_with(rows_of(app, accounts), "Globex")
        assert all(seg.style and seg.style.reverse for seg in cursor_row if seg.text.strip())
        assert not any(seg.style and seg.style.reverse for seg in other_row)
        await pilot.press("tab")
        await settle(app, pilot)
        # The list's cursor, no longer focused, still shows without colour; the table's is reversed.
        cursor_row = row_with(rows_of(app, accounts), "ACME Corp")
        assert any(seg.style and seg.style.underline for seg in cursor_row if seg.text.strip())
        assert not any(seg.style and seg.style.reverse for seg in cursor_row if seg.text.strip())
        table = app.query_one(StakeholderPane)
        assert app.focused is not None and table in app.focused.ancestors_with_self
        table_cursor = [
            seg
            for seg in row_with(rows_of(app, app.focused), "Carl Champion")
            if seg.text.strip() and not decoration(seg.text)
        ]
        assert table_cursor and all(seg.style and seg.style.reverse for seg in table_cursor)


async def test_without_colour_ticked_and_unticked_boxes_differ_by_more_than_brightness(
    store: Store, db: tuple[Path, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    ids = db[1]
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        pane = app.query_one(StakeholderPane)
        while pane.current().id != ids["hostile_dm"]:  # type: ignore[union-attr]
            await pilot.press("j")
        await pilot.press("l")  # log an interaction: the stakeholder at the cursor is ticked
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        box_list = app.screen.query_one("#f-stakeholders", SelectionList)
        rows = rows_of(app, box_list)

        def box(name: str) -> Segment:  # what is inside a person's box: ▐X▌ or ▐ ▌
            row = row_with(rows, name)
            return row[next(i for i, seg in enumerate(row) if seg.text == "▐") + 1]

        ticked, unticked = box("Dana"), box("Carl")
        assert (ticked.text, unticked.text) == ("X", " ")  # an empty box reads without colour
        assert attrs(ticked.style) != attrs(unticked.style)
        box_list.deselect_all()  # untick Dana: her box empties, in place
        await settle(app, pilot)
        rows = rows_of(app, box_list)
        assert box("Dana").text == " "


def sixteen(color: Any) -> int | None:
    """The colour a 16-colour terminal shows for this one."""
    return None if color is None else color.downgrade(ColorSystem.STANDARD).number


def alert_colours(app: KamApp) -> set[int | None]:
    background = Color.parse(app.theme_variables["background"])
    alerts = {1, 9}  # red and bright red
    for name in ("error", "warning"):
        alerts.add(sixteen((background + Color.parse(app.theme_variables[name])).rich_color))
    return alerts


async def test_in_sixteen_colours_the_selection_and_the_focus_are_not_alert_coloured(store: Store) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        alerts = alert_colours(app)
        accounts = app.query_one(AccountList)
        cursor = row_with(rows_of(app, accounts), "ACME Corp")
        assert {sixteen(seg.style.bgcolor) for seg in cursor if seg.style} & alerts == set()
        await pilot.press("tab")  # the stakeholders' table focused: its border and its cursor
        await settle(app, pilot)
        focused = app.focused
        assert focused is not None
        rows = rows_of(app, focused)
        border = [seg for seg in rows[0] if seg.text.strip() and decoration(seg.text)]
        assert border and {sixteen(seg.style.color) for seg in border if seg.style} & alerts == set()
        table_cursor = row_with(rows, "Carl Champion")
        assert {sixteen(seg.style.bgcolor) for seg in table_cursor if seg.style} & alerts == set()
        # The blurred list cursor neither.
        cursor = row_with(rows_of(app, accounts), "ACME Corp")
        assert {sixteen(seg.style.bgcolor) for seg in cursor if seg.style} & alerts == set()
        await pilot.press("p")  # the portfolio's cursor
        await settle(app, pilot)
        lines = app.screen._compositor.render_strips()
        styled = [seg for strip in lines for seg in strip if seg.style and seg.style.bold and seg.style.bgcolor]
        assert styled, "the portfolio shows a cursor"
        assert {sixteen(seg.style.bgcolor) for seg in styled if seg.style} & alerts == set()


async def test_without_colour_todays_highlighted_item_is_marked(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from kamtui.ui.today import TodayList

    monkeypatch.setenv("NO_COLOR", "1")
    app = KamApp(store, today=TODAY, start="today")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        today = app.screen.query_one(TodayList)
        rows = rows_of(app, today)
        assert today.highlighted is not None
        highlighted = row_with(rows, "9d late")  # the first item, under the highlight
        assert all(s.style and s.style.underline for s in highlighted if s.text.strip())
        other = row_with(rows, "3d late")
        assert not any(s.style and s.style.underline for s in other if s.text.strip())
