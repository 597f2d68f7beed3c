"""The Textual app: split panes over the portfolio, every edit through the store off the UI thread."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Footer, Static

from kamtui.store import Store, StoreError
from kamtui.store.portfolio import Change, Portfolio
from kamtui.ui.account_list import AccountList, AccountsPane
from kamtui.ui.commands import KamCommands
from kamtui.ui.panes import AccountHeader, PlanPane, ReviewPane, StakeholderPane
from kamtui.ui.rows import AccountRows

NARROW_BELOW = 100
PANES = ("stakeholders", "plan", "reviews")
PANE_TITLES = {"stakeholders": "Stakeholders", "plan": "Plan", "reviews": "Reviews"}
POLL_SECONDS = 1.0


class KamApp(App[None]):
    """kamtui."""

    TITLE = "kamtui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {KamCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help", tooltip="Every key of the focused pane and the app"),
        Binding("z", "zoom", "Zoom", tooltip="Zoom the focused pane to the full screen and back"),
        Binding("1", "tab('stakeholders')", "Stakeholders", show=False),
        Binding("2", "tab('plan')", "Plan", show=False),
        Binding("3", "tab('reviews')", "Reviews", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("T", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+l", "focus_list", "Account list", show=False),
    ]

    def __init__(self, store: Store, *, today: dt.date | None = None, demo: bool = False) -> None:
        super().__init__()
        self.store = store
        self.frozen_today = today
        self.demo = demo
        self.portfolio = Portfolio(store, lambda: self.today)
        self.user = store.user
        self.rows = AccountRows(self.portfolio, lambda: self.today, os.environ.get("USER", "") or store.user)
        self.undo_stack: list[Change] = []
        self.zoomed: str | None = None
        self.tab = "stakeholders"
        self.account_id: int | None = None
        self.theme = "textual-dark"

    @property
    def today(self) -> dt.date:
        return self.frozen_today or dt.date.today()

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield AccountsPane(self.rows)
            with Vertical(id="right"):
                yield AccountHeader()
                yield Static("", id="tabs", markup=False)
                yield StakeholderPane()
                yield PlanPane()
                yield ReviewPane()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = ("demo copy: " if self.demo else "") + str(self.store.path)
        self.query_one(AccountList).focus()
        self.set_interval(POLL_SECONDS, self.poll)
        self.apply_layout()

    def on_resize(self) -> None:
        self.apply_layout()

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW_BELOW

    def apply_layout(self) -> None:
        accounts = self.query_one(AccountsPane)
        right = self.query_one("#right")
        tabs = self.query_one("#tabs", Static)
        panes = {name: self.query_one(f"#{name}") for name in PANES}
        zoom = self.zoomed
        accounts.display = zoom in (None, "accounts")
        accounts.styles.width = (
            "1fr" if zoom == "accounts" else (32 if self.narrow else max(44, int(self.size.width * 0.42)))
        )
        right.display = zoom != "accounts"
        tabs.display = self.narrow and zoom is None
        for name, pane in panes.items():
            if zoom is not None:
                pane.display = name == zoom
            else:
                pane.display = not self.narrow or name == self.tab
        single = zoom is not None or self.narrow
        panes["reviews"].styles.height = "1fr" if single else 10
        panes["stakeholders"].styles.height = "1fr" if single else "auto"
        panes["stakeholders"].set_class(single, "single")
        if tabs.display:
            from rich.text import Text

            t = Text(no_wrap=True)
            for i, name in enumerate(PANES, 1):
                style = "bold reverse" if name == self.tab else "dim"
                t.append(f" {i} {PANE_TITLES[name]} ", style=style)
                t.append(" ")
            tabs.update(t)

    # ----------------------------------------------------------------- moving
    def on_account_list_highlighted(self, event: AccountList.Highlighted) -> None:
        self.show_account(event.account_id)

    def show_account(self, account_id: int | None) -> None:
        self.account_id = account_id
        with self.batch_update():
            self.query_one(AccountHeader).show_account(account_id)
            self.query_one(StakeholderPane).show_account(account_id)
            self.query_one(PlanPane).show_account(account_id)
            self.query_one(ReviewPane).show_account(account_id)

    def go_to_account(self, account_id: int) -> None:
        lst = self.query_one(AccountList)
        if not lst.select_id(account_id):
            self.rows.query, self.rows.mine, self.rows.due_only, self.rows.key_only = "", False, False, False
            self.rows.apply()
            lst.refresh_rows(keep_id=account_id)
            self.query_one(AccountsPane).close_filter() if self.query_one(AccountsPane).has_class("filtering") else None
            lst.select_id(account_id)
        lst.focus()

    def action_focus_list(self) -> None:
        self.zoomed = None
        self.apply_layout()
        self.query_one(AccountList).focus()

    def focused_pane(self) -> str | None:
        node = self.focused
        while node is not None:
            if node.id in PANES or node.id == "accounts-pane":
                return "accounts" if node.id == "accounts-pane" else node.id
            node = node.parent  # type: ignore[assignment]
        return None

    def action_zoom(self) -> None:
        pane = self.focused_pane()
        self.zoomed = None if self.zoomed else pane
        self.apply_layout()
        if pane is not None:
            self.call_after_refresh(self._refocus, pane)

    def _refocus(self, pane: str) -> None:
        if pane == "accounts":
            self.query_one(AccountList).focus()
        else:
            self._focus_pane(pane)

    def _focus_pane(self, name: str) -> None:
        target = {"stakeholders": "#sh-table", "plan": "#plan-list", "reviews": "#reviews"}[name]
        self.query_one(target).focus()

    def action_tab(self, name: str) -> None:
        self.tab = name
        if self.zoomed and self.zoomed != name:
            self.zoomed = name
        self.apply_layout()
        self.call_after_refresh(self._focus_pane, name)

    def on_descendant_focus(self) -> None:
        pane = self.focused_pane()
        if pane in PANES and pane != self.tab:
            self.tab = pane
            if self.narrow:
                self.apply_layout()

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_help(self) -> None:
        from kamtui.ui.help import HelpScreen

        self.push_screen(HelpScreen(self.screen.active_bindings, self.focused_pane()))

    # ---------------------------------------------------------------- writing
    def write(self, fn: Callable[[], Change], focus: tuple[str, Any] | None = None) -> None:
        """Run a store write off the UI thread; on success refresh the panes and keep it undoable."""
        self._write(fn, focus)

    @work(thread=True, group="store")
    def _write(self, fn: Callable[[], Change], focus: tuple[str, Any] | None) -> None:
        try:
            change = fn()
        except (StoreError, ValueError, LookupError, OSError) as exc:
            self.call_from_thread(self.notify, f"Not saved: {exc}", severity="error", markup=False, timeout=8)
            return
        self.record(change, focus)

    def record(self, change: Change, focus: tuple[str, Any] | None = None, *, undoable: bool = True) -> Change:
        """Called from a worker thread after a successful write."""
        self.call_from_thread(self._after_write, change, focus, undoable)
        return change

    def _after_write(self, change: Change, focus: tuple[str, Any] | None, undoable: bool) -> None:
        if undoable:
            self.undo_stack.append(change)
            del self.undo_stack[:-200]
        ids = self._accounts_of(change.ids, change.undo)
        self.refresh_accounts(ids)
        if focus is not None:
            pane, key = focus
            if pane == "plan" and key:
                self.query_one(PlanPane).refresh_pane(keep=key)
            elif pane == "stakeholder" and key:
                self.query_one(StakeholderPane).refresh_pane(keep=key)

    def _accounts_of(self, ids: Iterable[int], ops: Iterable[Any] = ()) -> set[int]:
        out: set[int] = set()
        for op in ops:
            doc = self.store.get(op.table, op.id) if op.id is not None else None
            if op.table == "accounts" and op.id is not None:
                out.add(op.id)
            elif doc is not None and isinstance(doc.get("account_id"), int):
                out.add(doc["account_id"])
            elif isinstance(op.values, dict) and isinstance(op.values.get("account_id"), int):
                out.add(op.values["account_id"])
        if self.account_id is not None:
            out.add(self.account_id)
        return out

    def refresh_accounts(self, account_ids: set[int]) -> None:
        """Rebuild list rows for these accounts and the panes if the selected one is among them."""
        self.rows.update(account_ids)
        lst = self.query_one(AccountList)
        lst.refresh_rows(keep_id=self.account_id)
        if self.account_id in account_ids or self.account_id is None:
            self.show_account(self.account_id if lst.current is None else lst.current.id)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo", timeout=2)
            return
        change = self.undo_stack.pop()

        def undo() -> Change:
            return self.portfolio.undo(change)

        self.notify(f"Undo: {change.label}", timeout=2, markup=False)
        self._undo(undo)

    @work(thread=True, group="store")
    def _undo(self, fn: Callable[[], Change]) -> None:
        try:
            change = fn()
        except (StoreError, ValueError, LookupError, OSError) as exc:
            self.call_from_thread(self.notify, f"Cannot undo: {exc}", severity="error", markup=False, timeout=8)
            return
        self.record(change, None, undoable=False)

    # --------------------------------------------------------------- live view
    def poll(self) -> None:
        self._poll()

    @work(thread=True, exclusive=True, group="poll")
    def _poll(self) -> None:
        try:
            changes = self.store.refresh()
        except StoreError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", markup=False)
            return
        if changes:
            self.call_from_thread(self._remote_changes, changes)

    def _remote_changes(self, changes: set[tuple[str, int]]) -> None:
        ids: set[int] = set()
        for table, doc_id in changes:
            if table == "accounts":
                ids.add(doc_id)
            else:
                doc = self.store.get(table, doc_id)
                if doc is not None and isinstance(doc.get("account_id"), int):
                    ids.add(doc["account_id"])
        if self.account_id is not None:
            ids.add(self.account_id)
        self.rows.invalidate(ids)
        self.refresh_accounts(ids)


def run_app(store: Store, *, today: dt.date | None = None, demo: bool = False) -> None:
    app = KamApp(store, today=today, demo=demo)
    app.run()


def make_app(store: Store, *, today: dt.date | None = None) -> KamApp:
    """The app factory tests and benchmarks reuse."""
    return KamApp(store, today=today)
