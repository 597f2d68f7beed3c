"""The account list: a virtual, line-API list that renders only the rows on screen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from kamtui.domain.formats import due_words, money_cell
from kamtui.domain.owners import owner_key
from kamtui.i18n import N_, _
from kamtui.ui.compat import plain_styles, render_plain, scroll_update, thumb_eighths
from kamtui.ui.line_view import text_lines
from kamtui.ui.owners import OwnerPicker, Pick, nobody_message
from kamtui.ui.rows import SORTS, AccountRows, Row, column_titles, tier_shorts


def columns_for(width: int) -> tuple[str, ...]:
    if width >= 60:
        return ("flags", "name", "tier", "owner", "revenue", "health", "next")
    if width >= 44:
        return ("flags", "name", "tier", "revenue", "health", "next")
    return ("flags", "name", "health", "next")


WIDTHS = {"flags": 2, "tier": 4, "owner": 7, "revenue": 6, "health": 4, "next": 9}  # next: "11mo late"


RIGHT = {"revenue", "health"}
PREPARE_AFTER_S = 0.02  # the panes prepare the accounts beside the cursor once it rests this long


class AccountList(ScrollView, can_focus=True):
    """Only visible rows are rendered, so 50,000 accounts scroll without a stall.
    ``on_highlight`` is called with the account under the cursor each time it changes."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "account-list--cursor",
        "account-list--late",
        "account-list--today",
        "account-list--risk",
        "account-list--key",
        "account-list--dim",
        "account-list--good",
        "account-list--bad",
    }
    DEFAULT_CSS = """
    AccountList { background: $surface; overflow-x: hidden; scrollbar-size-vertical: 1; }
    AccountList > .account-list--cursor {
        color: $block-cursor-blurred-foreground; background: $block-cursor-blurred-background; text-style: bold;
    }
    AccountList:focus > .account-list--cursor {
        color: $block-cursor-foreground; background: $block-cursor-background; text-style: $block-cursor-text-style;
    }
    AccountList > .account-list--late { color: $error; text-style: bold; }
    AccountList > .account-list--today { color: $warning; }
    AccountList > .account-list--risk { color: $error; }
    AccountList > .account-list--key { color: $primary; text-style: bold; }
    AccountList > .account-list--dim { color: $text-muted; }
    AccountList > .account-list--good { color: $success; }
    AccountList > .account-list--bad { color: $error; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", N_("Down"), show=False, id="cursor-down"),
        Binding("k,up", "cursor_up", N_("Up"), show=False, id="cursor-up"),
        Binding("g,home", "first", N_("First"), show=False, id="first"),
        Binding("G,end", "last", N_("Last"), show=False, id="last"),
        Binding("pagedown,ctrl+d", "page_down", N_("Page down"), show=False, id="page-down"),
        Binding("pageup,ctrl+u", "page_up", N_("Page up"), show=False, id="page-up"),
        Binding(
            "slash",
            "filter",
            N_("Filter"),
            tooltip=N_("Filter by name, owner, industry or tier as you type"),
            id="filter",
        ),
        Binding("s", "sort", N_("Sort"), tooltip=N_("Cycle the sort column"), id="sort"),
        Binding("S", "reverse", N_("Reverse"), show=False, id="sort-reverse"),
        Binding("m", "toggle_mine", N_("Mine"), tooltip=N_("Only accounts I own"), id="only-mine"),
        Binding(
            "o",
            "pick_owner",
            N_("Owner"),
            show=False,
            tooltip=N_("Only the accounts of an owner you pick"),
            id="pick-owner",
        ),
        Binding("d", "toggle_due", N_("Due"), tooltip=N_("Only accounts due or overdue for review"), id="only-due"),
        Binding("K", "toggle_key", N_("Key only"), tooltip=N_("Only key accounts"), id="only-key"),
        # The account itself is the main screen's business: the list only offers the keys.
        Binding("a", "screen.add_account", N_("Add"), tooltip=N_("Add an account"), id="account-add"),
        Binding(
            "e",
            "screen.edit_account",
            N_("Edit"),
            show=False,
            tooltip=N_("Edit the account: name, tier, owner, cadence..."),
            id="account-edit",
        ),
        Binding(
            "D",
            "screen.delete_account",
            N_("Delete"),
            show=False,
            tooltip=N_("Delete the account and its records (asks)"),
            id="account-delete",
        ),
        Binding("escape", "clear", N_("Clear filters"), show=False, id="clear-filters"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)

    class TitleChanged(Message):
        pass

    class FiltersCleared(Message):
        pass

    def __init__(
        self,
        rows: AccountRows,
        *,
        on_highlight: Callable[[int | None], None],
        welcome: Text | None = None,
        id: str | None = None,
        on_filter: Callable[[], None] | None = None,
    ) -> None:
        super().__init__(id=id)
        self.data = rows
        self.on_highlight = on_highlight
        #: Opens the filter box, focused, in this very step (a message would do it after the keys
        #: that follow `/`; KamApp.on_key hands those to the box).
        self.on_filter = on_filter
        self.welcome = welcome  # what the list says while there is no account at all
        self._empty_lines: tuple[int, bool, list[Strip]] = (-1, False, [])
        self._last_id: int | None = None
        # Rendered rows by (account id, width, line_width, under the cursor): a move re-renders at most one new row.
        self._strips: dict[tuple[int, int, int, bool], Strip] = {}
        self._strips_today: dt.date | None = None
        self._styles: dict[str, Style] | None = None
        self._painted_cursor = 0
        self._prepare_timer: Timer | None = None
        self._frame: tuple[int, int, int] | None = None  # (width, line_width, top row) while render_lines runs
        self._header_width = 0  # the line_width the column titles were last asked for
        self._tiers = tier_shorts()  # "KEY", in the user's language: once, not per row

    # ----------------------------------------------------------------- data
    @property
    def current(self) -> Row | None:
        rows = self.data.visible
        return rows[self.cursor] if 0 <= self.cursor < len(rows) else None

    def refresh_rows(self, keep_id: int | None = None) -> None:
        """The rows changed (filter, sort, other session): keep the cursor on the same account."""
        target = keep_id if keep_id is not None else self._last_id
        visible = self.data.visible
        size = Size(self.size.width, len(visible))
        if size != self.virtual_size:
            # The list's own size is fixed by the layout: a new row count needs no layout pass
            # (unless the scrollbar appears or goes, which _scroll_update handles).
            self.set_reactive(AccountList.virtual_size, size)
            scroll_update(self, size)
        index = 0
        if target is not None:
            row = self.data.rows.get(target)
            try:
                index = visible.index(row)  # type: ignore[arg-type]
            except ValueError:
                index = min(self.cursor, max(0, len(visible) - 1))
        self._strips.clear()
        self.cursor = index
        self.vertical_scrollbar.position = self.scroll_y  # may have been left behind (watch_scroll_y)
        self.refresh()
        self.post_message(self.TitleChanged())

    def select_id(self, account_id: int) -> bool:
        row = self.data.rows.get(account_id)
        if row is None or row not in self.data.visible:  # rows compare by identity: a C-level scan
            return False
        self.cursor = self.data.visible.index(row)
        return True

    def watch_cursor(self, value: int) -> None:
        n = len(self.data.visible)
        if n and not 0 <= value < n:
            self.cursor = max(0, min(value, n - 1))
            return
        scroll_y = self.scroll_offset.y
        self._scroll_cursor_visible()
        if self.scroll_offset.y == scroll_y:
            # Not scrolled: only the old and the new cursor line change.
            width = self.size.width
            self.refresh(Region(0, self._painted_cursor - scroll_y, width, 1), Region(0, value - scroll_y, width, 1))
        self._painted_cursor = value
        row = self.current
        new_id = row.id if row else None
        if new_id != self._last_id:
            self._last_id = new_id
            # Called, not a message: the frame that moves the cursor also shows every pane updated.
            self.on_highlight(new_id)
            self._schedule_prepare()

    def _schedule_prepare(self) -> None:
        """Once the cursor rests (PREPARE_AFTER_S), have the panes prepare the accounts above and
        below it, so that the next move only swaps in lines already rendered."""
        if self._prepare_timer is not None:
            self._prepare_timer.stop()
        self._prepare_timer = self.set_timer(PREPARE_AFTER_S, self._prepare_neighbours)

    def _prepare_neighbours(self) -> None:
        from kamtui.ui.panes.base import prepare_accounts

        self._prepare_timer = None
        rows, cursor = self.data.visible, self.cursor
        prepare_accounts(self.screen, [rows[i].id for i in (cursor + 1, cursor - 1) if 0 <= i < len(rows)])
        # The rows the next move draws anew: the neighbours under the cursor, this one without it.
        width, layout, base = self.size.width, self.line_width, self._style("base")
        filters, background = self.get_line_filters(), self.background_colors[1]
        for i, on_cursor in ((cursor + 1, True), (cursor - 1, True), (cursor, False)):
            if 0 <= i < len(rows) and width > 0:
                strip = self._row_strip(rows[i], width, layout, on_cursor=on_cursor, base=base)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)

    def _scroll_cursor_visible(self) -> None:
        self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True, immediate=True)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        # As ScrollView's, except that the scrollbar is repainted only when its thumb moves on screen
        # (at 50,000 rows, once in ~170 moves): a scrollbar repaint costs as much as the whole list.
        bar = self.vertical_scrollbar
        if self.show_vertical_scrollbar and thumb_eighths(bar, old_value) != thumb_eighths(bar, new_value):
            self.vertical_scrollbar.position = new_value
        if round(old_value) != round(new_value):
            self.refresh(self.size.region)

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.data.visible))
        self._scroll_cursor_visible()
        self.vertical_scrollbar.position = self.scroll_y
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def on_focus(self) -> None:
        self.notify_style_update()  # the cursor row has its own colour when focused
        self.refresh()

    def on_blur(self) -> None:
        self.notify_style_update()
        self.refresh()

    def _style(self, name: str) -> Style:
        """The widget's base style and its component styles, computed once until the CSS changes."""
        styles = self._styles
        if styles is None:
            get = self.get_component_rich_style
            styles = {c.removeprefix("account-list--"): get(c) for c in self.COMPONENT_CLASSES}
            styles["base"] = self.rich_style
            self._styles = styles
        return styles[name]

    # ------------------------------------------------------------- rendering
    @property
    def line_width(self) -> int:
        """The cells a row's columns are laid out in: the list's width less its scrollbar's, which
        is drawn over the last ones (rows laid out the whole width lost the end of "11mo late"
        under it). As the portfolio's list (PortfolioList.line_width)."""
        return self.scrollable_content_region.width

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows of ``crop``, drawn as ``render_line`` makes them (see compat.render_plain:
        a cursor move that scrolls the list by one row shifts every row, and Textual would style
        each one again), unless the list's styles give Textual something to add. The width and
        the scroll position (each a look-up of the list's place on the screen) are read once
        here, not for every row."""
        self._frame = (self.size.width, self.line_width, self.scroll_offset.y)
        try:
            # Textual's line cache, unused meanwhile, still knows what to draw again (the repaints
            # asked for mark it) if the list's styles ever send it back there.
            return render_plain(self, crop) if plain_styles(self) else super().render_lines(crop)
        finally:
            self._frame = None

    def render_line(self, y: int) -> Strip:
        width, layout, scroll_y = self._frame or (self.size.width, self.line_width, self.scroll_offset.y)
        if layout != self._header_width:  # a scrollbar came or went: the column titles follow
            self._header_width = layout
            self.post_message(self.TitleChanged())
        index = scroll_y + y
        base = self._style("base")
        rows = self.data.visible
        if index >= len(rows):
            if not rows:
                lines = self._empty_text(width)
                return lines[index].apply_style(base) if index < len(lines) else Strip.blank(width, base)
            return Strip.blank(width, base)
        return self._row_strip(rows[index], width, layout, on_cursor=index == self.cursor, base=base)

    def _row_strip(self, row: Row, width: int, layout: int, *, on_cursor: bool, base: Style) -> Strip:
        """The row as a line ``width`` cells long (the list's: what Textual expects), its columns
        laid out in the first ``layout`` (:attr:`line_width`), the rest under the scrollbar."""
        today = self.data.today
        if today != self._strips_today:
            self._strips.clear()  # "in 3d" is relative to today
            self._strips_today = today
        key = (row.id, width, layout, on_cursor)
        strip = self._strips.get(key)
        if strip is None:
            row = self.data.ensure_health(row)
            layout = min(layout, width)
            segments = self.row_segments(row, layout, base)
            if on_cursor:
                cursor_style = self._style("cursor")
                segments = [Segment(t, (s or Style()) + cursor_style) for t, s, _c in segments]
            if width > layout:
                segments.append(Segment(" " * (width - layout), base))
            if len(self._strips) > 4096:
                self._strips.clear()
            strip = self._strips[key] = Strip(segments, width)
        return strip

    def _empty_text(self, width: int) -> list[Strip]:
        """The lines of an empty list: no account matches the filters, or there is none at all
        (then ``welcome``: the file and how to begin), wrapped to ``width``."""
        none_at_all = not self.data.rows
        cached_width, cached_none, lines = self._empty_lines
        if (cached_width, cached_none) != (width, none_at_all):
            if none_at_all and self.welcome is not None:
                text = self.welcome
            else:
                text = Text(_("No accounts yet. Press a to add one.") if none_at_all else _("No accounts match."))
                text.stylize(self._style("dim"))
            lines = text_lines(text, width, self.app.console, indent=1)
            self._empty_lines = (width, none_at_all, lines)
        return lines

    def row_segments(self, row: Row, width: int, base: Style) -> list[Segment]:
        cols = columns_for(width)
        today = self.data.today
        fixed = sum(WIDTHS[c] + 1 for c in cols if c != "name")  # each with the space before it
        name_w = max(4, width - fixed)
        late = row.due is not None and row.due < today
        due_today = row.due == today

        def cs(name: str) -> Style:
            return self._style(name.removeprefix("account-list--"))

        out: list[Segment] = []
        for c in cols:
            if c == "flags":
                flag = ("!" if late else " ") + ("⚑" if row.red_risk else " ")
                out.append(Segment(flag, base + cs("account-list--late")))
            elif c == "name":
                style = base + (cs("account-list--key") if row.tier == "key" else Style())
                name = (
                    set_cell_size(row.name, name_w)
                    if cell_len(row.name) <= name_w
                    else set_cell_size(row.name, name_w - 1) + "…"
                )
                out.append(Segment(name, style))
            elif c == "tier":
                out.append(Segment(self._tiers.get(row.tier, row.tier[:3]).ljust(4), base + cs("account-list--dim")))
            elif c == "owner":
                out.append(Segment(set_cell_size(row.owner, WIDTHS["owner"]), base + cs("account-list--dim")))
            elif c == "revenue":
                out.append(Segment(money_cell(row.revenue, row.currency, WIDTHS["revenue"]), base))
            elif c == "health":
                h = row.health
                if h is None or h.score is None:
                    out.append(Segment("   -", base + cs("account-list--dim")))
                else:
                    style = (
                        cs("account-list--good")
                        if h.score >= 70
                        else cs("account-list--bad")
                        if h.score < 45
                        else Style()
                    )
                    text = f"{h.score:>3}{h.trend or ' '}"
                    out.append(Segment(set_cell_size(text, 4), base + style))
            elif c == "next":
                words = due_words(row.due, today, compact=True) if row.due else "-"
                style = (
                    cs("account-list--late")
                    if late
                    else cs("account-list--today")
                    if due_today
                    else cs("account-list--dim")
                )
                out.append(Segment(set_cell_size(words, WIDTHS["next"]), base + style))
            if c != cols[-1]:
                out.append(Segment(" ", base))
        line_len = sum(cell_len(s.text) for s in out)
        if line_len < width:
            out.append(Segment(" " * (width - line_len), base))
        return out

    def header_text(self, width: int) -> str:
        """The column titles over rows laid out in ``width`` cells (:attr:`line_width`)."""
        self._header_width = width
        cols = columns_for(width)
        fixed = sum(WIDTHS[c] + 1 for c in cols if c != "name")
        name_w = max(4, width - fixed)
        parts, names = [], column_titles()
        for c in cols:
            w = name_w if c == "name" else WIDTHS[c]
            t = names[c]
            if c == self.data.sort_key or (c == "next" and self.data.sort_key == "due"):
                t += "▼" if self.data.reverse else "▲"
            parts.append(t.rjust(w) if c in RIGHT else set_cell_size(t, w))
        return " ".join(parts)

    # --------------------------------------------------------------- actions
    def _page(self) -> int:
        return max(1, self.size.height - 1)

    def action_cursor_down(self) -> None:
        if self.cursor < len(self.data.visible) - 1:
            self.cursor += 1

    def action_cursor_up(self) -> None:
        if self.cursor > 0:
            self.cursor -= 1

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = max(0, len(self.data.visible) - 1)

    def action_page_down(self) -> None:
        self.cursor = min(len(self.data.visible) - 1, self.cursor + self._page())

    def action_page_up(self) -> None:
        self.cursor = max(0, self.cursor - self._page())

    def action_sort(self) -> None:
        self.data.sort_index = (self.data.sort_index + 1) % len(SORTS)
        self.data.reverse = False
        self.data.apply()
        self.refresh_rows()

    def action_reverse(self) -> None:
        self.data.reverse = not self.data.reverse
        self.data.apply()
        self.refresh_rows()

    def action_toggle_mine(self) -> None:
        d = self.data
        if d.mine and d.owner == owner_key(d.user):
            d.mine = False
        elif not d.owns_any(d.user):  # an empty list would read as "nothing to do"
            self.app.notify(nobody_message(d.user, d.owners()), markup=False, timeout=8)
            return
        else:
            d.mine, d.owner = True, owner_key(d.user)
        d.apply()
        self.refresh_rows()

    def action_pick_owner(self) -> None:
        d = self.data

        def chosen(pick: Pick | None) -> None:
            if pick is not None:
                d.mine = pick.owner is not None
                d.owner = owner_key(d.user) if pick.owner is None else pick.owner
                d.apply()
                self.refresh_rows()

        self.app.push_screen(OwnerPicker(d.owners(), d.owner if d.mine else None, d.user), chosen)

    def action_toggle_due(self) -> None:
        self.data.due_only = not self.data.due_only
        self.data.apply()
        self.refresh_rows()

    def action_toggle_key(self) -> None:
        self.data.key_only = not self.data.key_only
        self.data.apply()
        self.refresh_rows()

    def action_filter(self) -> None:
        if self.on_filter is not None:
            self.on_filter()

    def action_clear(self) -> None:
        d = self.data
        if d.query or d.mine or d.due_only or d.key_only:
            d.query, d.mine, d.due_only, d.key_only = "", False, False, False
            d.apply()
            self.refresh_rows()
            self.post_message(self.FiltersCleared())

    def on_click(self, event: events.Click) -> None:
        _x, scroll_y = self.scroll_offset
        index = scroll_y + event.y
        if 0 <= index < len(self.data.visible):
            self.cursor = index
