"""The accounts pane: the list's title (count, sort and filters), its column header, the
filter box and the virtual account list."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from kamtui.domain.formats import count_text
from kamtui.i18n import _
from kamtui.ui.account_list import AccountList
from kamtui.ui.compat import FixedSizeInput, check_refresh
from kamtui.ui.rows import SORTS, AccountRows
from kamtui.ui.text_box import TextBox


class FilterBox(TextBox, FixedSizeInput):
    """The filter's text box, whose enter hands the focus back (``on_enter``) in the step that
    handles it, so that the keys typed after it in one burst (`/acme⏎j`: a paste, keys bunched
    up over SSH) go where the focus went. Input's enter only posted Submitted, behind them: the
    box took the `j` as text.

    Keys reach the box two ways. Typed while it has the focus, they are queued to it: its enter
    is handled here in turn, and a key still queued after it is passed on to the new focus.
    Typed in the burst that opened it, they were queued to the list, and the app hands the box
    the printable ones (KamApp.on_key) and runs the box's enter binding: ``action_submit``.
    """

    def __init__(self, on_enter: Callable[[str], None], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.on_enter = on_enter

    async def on_key(self, event: events.Key) -> None:
        focused = self.screen.focused
        if focused is not self and focused is not None:
            event.stop()
            event.prevent_default()  # not Input's: the key is not the box's any more
            focused.post_message(events.Key(event.key, event.character))
        elif event.key == "enter":
            event.stop()
            event.prevent_default()
            self.on_enter(self.value)

    async def action_submit(self) -> None:
        self.on_enter(self.value)


class AccountsPane(Vertical):
    """Title (sort and filters), column header, the filter input and the list."""

    DEFAULT_CSS = """
    AccountsPane #list-title { height: 1; background: $panel; color: $text; text-style: bold; padding: 0 1; }
    AccountsPane #list-header { height: 1; color: $text-muted; text-style: bold; padding: 0 0 0 0; }
    AccountsPane #filter { display: none; height: 1; border: none; padding: 0 1; margin: 0; }
    AccountsPane.filtering #filter { display: block; }
    """

    def __init__(
        self, rows: AccountRows, on_highlight: Callable[[int | None], None], welcome: Text | None = None
    ) -> None:
        super().__init__(id="accounts-pane")
        self.rows = rows
        self.list = AccountList(
            rows, id="account-list", on_highlight=on_highlight, welcome=welcome, on_filter=self.open_filter
        )
        self._titles = ("", "")

    def compose(self) -> ComposeResult:
        yield Static("", id="list-title", markup=False)
        # No selection on focus: keys typed in the burst that opened it are in it before its focus
        # event, and a selected text would be replaced by the next key.
        yield FilterBox(
            self._filter_entered,
            placeholder=_("filter: name, owner, industry, tier"),
            id="filter",
            select_on_focus=False,
        )
        yield Static("", id="list-header", markup=False)
        yield self.list

    def on_mount(self) -> None:
        self.list.refresh_rows()

    def update_title(self) -> None:
        d = self.rows
        shown, total = len(d.visible), len(d.rows)
        count = count_text(shown) if shown == total else f"{count_text(shown)}/{count_text(total)}"
        label = d.filter_label()
        sort = next(t for k, t in SORTS if k == d.sort_key)
        # The filter before the sort: on a narrow list the end of the title is cut off.
        by = _("by {sort}").format(sort=_(sort))
        title = _("Accounts {count}").format(count=count) + (f" · {label}" if label else "")
        title += f" · {by}{' ▼' if d.reverse else ''}"
        header = " " + self.list.header_text(max(10, self.list.line_width))[1:]
        if (title, header) != self._titles:  # one line each: no layout pass
            self._titles = (title, header)
            self.query_one("#list-title", Static).update(title, layout=False)
            self.query_one("#list-header", Static).update(header, layout=False)

    def on_account_list_title_changed(self, event: AccountList.TitleChanged) -> None:
        event.stop()
        self.update_title()

    def on_resize(self) -> None:
        self.update_title()

    def open_filter(self) -> None:
        """Show the filter box and focus it now (see AccountList.on_filter)."""
        box = self.query_one("#filter", Input)
        self.add_class("filtering")
        box.value = self.rows.query
        self.screen.set_focus(box)  # now: keys typed right after `/` are the filter's (focus() is a step late)

    def on_account_list_filters_cleared(self, event: AccountList.FiltersCleared) -> None:
        event.stop()
        self.query_one("#filter", Input).value = ""
        self.remove_class("filtering")

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "filter":
            return
        event.stop()
        self.rows.query = event.value
        self.rows.apply()
        self.list.refresh_rows()
        self.update_title()  # now, not on the TitleChanged message: same frame as the list
        # The filter box asked for its own repaint before this handler ran, and the screen would
        # draw that frame alone and this one a frame (16 ms) later: hand the repaints over now.
        bar = [self.list.vertical_scrollbar] if self.list.show_vertical_scrollbar else []
        for widget in (self.list, *bar, *self.query(Static)):
            check_refresh(widget)

    def _filter_entered(self, value: str) -> None:
        """Enter in the filter: back to the list, the filter kept (an empty one closes)."""
        if not value:
            self.remove_class("filtering")
        self.screen.set_focus(self.list)

    def close_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.rows.query = ""
        self.remove_class("filtering")
        self.rows.apply()
        self.list.refresh_rows()
        self.screen.set_focus(self.list)

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape" and self.has_class("filtering") and self.screen.focused is self.query_one("#filter"):
            event.stop()
            self.close_filter()
