"""The Business pane: the client's business (goals, financial health, current initiatives, the
four SWOT quadrants), our team with the executive sponsor, and the account's notes; a cursor
on each item, each item with the day it was last updated and stale ones said so in words.

Wide enough, the SWOT shows as a 2x2 grid whose cursor covers one quadrant's item; the lines
and where each item sits come from :func:`kamtui.ui.business_texts.arrange`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region
from textual.strip import Strip

from kamtui.domain.business import ITEM_PARTS
from kamtui.domain.model import Account
from kamtui.i18n import N_, _
from kamtui.ui.business_texts import Arranged, BusinessView, arrange, business_view
from kamtui.ui.line_view import LineView, PaneList, fit, text_lines, text_segments
from kamtui.ui.panes.base import Pane, set_subtitle
from kamtui.ui.session import Session


class BusinessList(PaneList):
    """The business, one item a line (in the SWOT grid, one item a cell), a cursor on each."""

    def __init__(self) -> None:
        super().__init__(id="business-list", title=_("Business"))
        self.view_state = business_view(None, dt.date.min)
        self.keys: list[str] = []  # the key of each target, in cursor order
        self.spans: list[tuple[int, int]] = []  # the cells (x from, x to) of each target

    def arranged(self, view: BusinessView, width: int) -> Arranged:
        return arrange(view, max(width, 1))

    def place(self, arranged: Arranged) -> None:
        """Where the items sit: the same keys in the same order at any width, only their rows
        and cells change (the SWOT's grid), so the cursor stays on its item."""
        self.keys, self.targets, self.spans = arranged.keys, arranged.targets, arranged.spans

    def build(self, width: int) -> list[Strip]:
        arranged = self.arranged(self.view_state, width)
        self.place(arranged)
        return self.render_rows(arranged, width)

    def render_rows(self, arranged: Arranged, width: int) -> list[Strip]:
        console = self.app.console
        lines: list[Strip] = []
        for row in arranged.rows:
            segments = text_segments(row)
            if segments is not None:
                lines.append(fit(segments, width))
            else:
                lines.extend(text_lines(row, width, console)[:1] or [Strip.blank(width)])
        return lines

    def render_line(self, y: int) -> Strip:
        width, top = self.frame()
        index = top + y
        if index != self.cursor_line or index >= len(self._lines) or not 0 <= self.cursor < len(self.spans):
            return super().render_line(y)
        x0, x1 = self.spans[self.cursor]
        if x0 <= 0 and x1 >= width:
            return super().render_line(y)
        return self.cursor_strip(self._lines[index], width, (x0, x1))

    def move_to(self, index: int) -> None:
        old = self.cursor_line
        super().move_to(index)
        line = self.cursor_line
        if line is not None and line == old:  # another cell of the same row (the SWOT grid)
            self.refresh(Region(0, line - self.scroll_offset.y, self.line_width, 1))

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y - self.gutter.top
        x = event.x - self.gutter.left
        for i, (row, (x0, x1)) in enumerate(zip(self.targets, self.spans, strict=True)):
            if row == line and x0 <= x < x1:
                self.move_to(i)
                return


@dataclass(frozen=True, slots=True)
class BusinessState:
    account: Account | None
    view: BusinessView


class BusinessPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "a",
            "add",
            N_("Add"),
            tooltip=N_("Add a goal, initiative, SWOT item or team member to the section at the cursor"),
            id="business-add",
        ),
        Binding(
            "e",
            "edit",
            N_("Edit"),
            tooltip=N_("Edit the item at the cursor (saving stamps it with today's date)"),
            id="business-edit",
        ),
        Binding(
            "d", "delete", N_("Delete"), tooltip=N_("Delete the item at the cursor (asks first)"), id="business-delete"
        ),
        Binding("u", "undo", N_("Undo"), tooltip=N_("Undo the last change, repeatedly"), id="undo"),
    ]
    DEFAULT_CSS = """
    BusinessPane { height: 1fr; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="business")
        self.init_pane(session)
        self.account: Account | None = None
        self.list = BusinessList()

    def compose(self) -> ComposeResult:
        yield self.list

    @property
    def view(self) -> LineView:
        return self.list

    def current_key(self) -> str | None:
        keys, cursor = self.list.keys, self.list.cursor
        return keys[cursor] if 0 <= cursor < len(keys) else None

    # ------------------------------------------------------------------ showing
    def load(self, account_id: int | None) -> BusinessState:
        acc = self.session.portfolio.account(account_id) if account_id is not None else None
        return BusinessState(acc, business_view(acc, self.session.today))

    def lines_for(self, state: BusinessState, width: int) -> list[Strip]:
        return self.list.render_rows(self.list.arranged(state.view, width), width)

    def refresh_pane(self, keep: str | None = None) -> None:  # type: ignore[override]
        self.apply(self.load(self.account_id), None, keep)

    def apply(self, state: BusinessState, lines: list[Strip] | None, keep: str | None = None) -> None:
        bl = self.list
        keep = keep or self.current_key()
        old_cursor = bl.cursor
        self.account = state.account
        bl.view_state = state.view
        width = bl.line_width
        bl.place(bl.arranged(state.view, width if width > 0 else 80))
        keys = bl.keys
        bl.cursor = keys.index(keep) if keep in keys else min(old_cursor, max(0, len(keys) - 1))
        if lines is None:
            bl.rebuild()
        else:
            bl.set_lines(lines, width)
        bl.reveal_cursor()
        set_subtitle(bl, state.view.subtitle)

    # ---------------------------------------------------------------- actions
    def _part_at_cursor(self) -> str | None:
        """The list part (goals, initiatives, a SWOT quadrant) or "team" the cursor is in."""
        key = self.current_key() or ""
        kind, _sep, rest = key.partition(":")
        part = rest.partition(":")[0]
        if kind in ("h", "i", "e") and (part in ITEM_PARTS or part == "team"):
            return part
        if kind == "m" or key == "sponsor":
            return "team"
        return None

    def action_add(self) -> None:
        from kamtui.ui.business_forms import item_form, member_form  # forms load when first used

        acc, key = self.account, self.current_key()
        if acc is None or key is None:
            return
        part = self._part_at_cursor()
        if part == "team":
            self.app.push_screen(member_form(self.session, acc, None))
        elif part is not None:
            self.app.push_screen(item_form(self.session, acc, part, None))
        else:
            self.action_edit()  # the financial health and the notes are one text each

    def action_edit(self) -> None:
        from kamtui.ui.business_forms import health_form, item_form, member_form, notes_form, sponsor_form

        acc, key = self.account, self.current_key()
        if acc is None or key is None:
            return
        kind, _sep, rest = key.partition(":")
        if kind == "i":
            part, _sep, n = rest.partition(":")
            self.app.push_screen(item_form(self.session, acc, part, int(n)))
        elif kind == "m":
            self.app.push_screen(member_form(self.session, acc, int(rest)))
        elif key == "fh":
            self.app.push_screen(health_form(self.session, acc))
        elif key == "sponsor":
            self.app.push_screen(sponsor_form(self.session, acc))
        elif kind == "notes":
            self.app.push_screen(notes_form(self.session, acc))
        else:
            self.app.bell()  # a header: a adds to it

    def action_delete(self) -> None:
        from kamtui.ui.business_forms import without
        from kamtui.ui.forms import ConfirmScreen

        acc, key = self.account, self.current_key()
        if acc is None or key is None:
            return
        found = without(acc, key)
        if found is None:
            self.app.bell()
            return
        new, question, then = found
        portfolio = self.session.portfolio

        def answer(yes: bool | None) -> None:
            if yes:
                self.session.write(lambda: portfolio.save(new, acc, _("delete from business"))[1], ("business", then))

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_undo(self) -> None:
        self.session.undo()
