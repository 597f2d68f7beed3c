"""Issue 11, item 11: the help's key column never runs into its description, at 80x24 and 120x40."""

from __future__ import annotations

import re
from typing import Any

import pytest
from textual.geometry import Region
from textual.widgets import Static

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.help import HelpScreen
from tests.test_ui import workers_done
from tests.ui_fixtures import TODAY

# A row: two spaces, the key text (single spaces inside, as in "pageup, ctrl+u"), at least two spaces, the description.
ROW = re.compile(r"^  (?P<key>\S+(?: \S+)*)(?P<sep> {2,})(?P<desc>\S.*)$")


async def settle(app: KamApp, pilot: Any) -> None:
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


def help_lines(app: KamApp) -> list[str]:
    """Every line of the help's body, including the part scrolled out of view."""
    assert isinstance(app.screen, HelpScreen)
    body = app.screen.query_one("VerticalScroll > Static", Static)
    strips = body.render_lines(Region(0, 0, body.size.width, body.size.height))
    return ["".join(seg.text for seg in strip).rstrip() for strip in strips]


def check_columns(lines: list[str]) -> list[tuple[str, str]]:
    """Every key row has a separator and one description column; gives (key, description) per row."""
    rows: list[tuple[str, str]] = []
    desc_col: int | None = None
    for line in lines:
        if not line or not line.startswith(" "):  # blank or a group heading
            continue
        m = ROW.match(line)
        if m is None:
            # Only a continuation may lack a separator: the key's next part alone, or the description's next line.
            assert rows, f"a row without a separator: {line!r}"
            indent = len(line) - len(line.lstrip())
            assert desc_col is not None
            if indent >= desc_col:
                key, desc = rows[-1]
                rows[-1] = (key, f"{desc} {line.strip()}")
            else:
                assert len(line) <= desc_col - 2, f"key text runs into the description column: {line!r}"
                key, desc = rows[-1]
                rows[-1] = (f"{key} {line.strip()}", desc)
            continue
        col = m.start("desc")
        if desc_col is None:
            desc_col = col
        if col != desc_col and line[:desc_col].strip() == "" and rows:
            key, desc = rows[-1]
            rows[-1] = (key, f"{desc} {line.strip()}")
            continue
        assert col == desc_col, f"description out of its column in {line!r}"
        rows.append((m["key"], m["desc"]))
    assert desc_col is not None
    return rows


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
@pytest.mark.parametrize("start", ["accounts", "today"])
async def test_help_key_column_never_runs_into_its_description(store: Store, size: tuple[int, int], start: str) -> None:
    app = KamApp(store, today=TODAY, start=start)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        lines = help_lines(app)
        rows = check_columns(lines)
        assert len(rows) > 10
        keys = {k for k, _ in rows}
        descs = " ".join(d for _, d in rows)
        # The long keys that used to run into their description are there, whole, each with its description.
        assert "command palette" in descs
        if start == "accounts":
            assert "pagedown, ctrl+d" in keys
        # Textual's copy (nothing in kamtui is selected to copy) is not listed.
        assert "ctrl+c, super+c" not in keys
        # Nothing is cut off: the widest line fits the help's body.
        width = app.screen.query_one("VerticalScroll > Static").size.width
        assert max(len(line) for line in lines) <= width
        # The visible part of the screen has the same honest columns.
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")


@pytest.mark.parametrize("width", [40, 76, 116])
def test_a_key_longer_than_the_cap_wraps_inside_its_column(width: int) -> None:
    from rich.console import Console
    from textual.binding import ActiveBinding, Binding
    from textual.widget import Widget

    from kamtui.ui.help import KEY_COLUMN_MAX, help_text

    node = Widget()
    long_key = "ctrl+shift+alt+pagedown"  # as a [keys] remap could make it
    bindings = {
        "j": ActiveBinding(node, Binding("j", "down", "Down"), True),
        long_key: ActiveBinding(node, Binding(long_key, "page_down", "Page down to the very last row"), True),
        "super+ctrl+shift+y": ActiveBinding(
            node,
            Binding("super+ctrl+shift+y", "yank", "Copy the selected account's name and every one of its dates"),
            True,
        ),
    }
    console = Console(width=width, record=True, color_system=None)
    console.print(help_text(bindings))
    lines = [line.rstrip() for line in console.export_text().splitlines()]
    assert all(len(line) <= width for line in lines)
    desc_col = 2 + KEY_COLUMN_MAX + 2  # the long key sets the column to its cap
    body = [line.ljust(desc_col) for line in lines if line.startswith("  ")]
    for line in body:
        assert line[desc_col - 2 : desc_col] == "  ", f"no separator in {line!r}"
    keys = "".join(line[:desc_col].replace(" ", "") for line in body)
    descs = " ".join(line[desc_col:].strip() for line in body if line[desc_col:].strip())
    assert keys == f"j{long_key}super+ctrl+shift+yctrl+p"
    assert descs.startswith("Down Page down to the very last row Copy the selected account's name and every one")
