"""The Textual app: split panes over the portfolio, every edit through the store off the UI thread."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical
from textual.filter import LineFilter
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Static

from kamtui.domain.cadence import DEFAULT_CADENCE_BY_TIER
from kamtui.domain.model import Account, Level, Tier
from kamtui.domain.queue import QueueItem, Thresholds, build_queue, review_due
from kamtui.domain.risk import risk_items
from kamtui.domain.text import clean
from kamtui.store import Op, Store, StoreError
from kamtui.store.config import load_thresholds
from kamtui.store.locking import LockAbandoned
from kamtui.store.portfolio import Change, Portfolio
from kamtui.ui.colour import readable_filters
from kamtui.ui.today import GuidedReviewScreen, GuidedState, SummaryScreen, TodayScreen
from kamtui.ui.writes import (
    LockWait,
    ReadOnlyBanner,
    WriteDone,
    WriteFailed,
    read_only_notice,
    waiting_notice,
)

if TYPE_CHECKING:  # the account list, panes and forms are imported after the first frame
    from kamtui.ui.account_list import AccountList, AccountsPane
    from kamtui.ui.forms import FormScreen
    from kamtui.ui.rows import AccountRows

NARROW_BELOW = 100
PANES = ("stakeholders", "plan", "reviews")
PANE_TITLES = {"stakeholders": "Stakeholders", "plan": "Plan", "reviews": "Reviews"}
POLL_SECONDS = 1.0
TIERS = [(t.value, t.value) for t in Tier]
SESSIONS = "review_sessions"  # per user and day: accounts skipped in the guided review
MAIN_ONLY = frozenset(
    {
        "zoom",
        "tab",
        "undo",
        "today",
        "guided_review",
        "log_interaction",
        "timeline",
        "focus_list",
        "portfolio",
        "import_csv",
    }
)


class Preview(Protocol):
    """Today's queue in stages from elsewhere while the file loads (kamtui.report.preview)."""

    def __iter__(self) -> Iterator[tuple[str, list[QueueItem]]]: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Loader:
    """How the app reads a file too big to read before the first frame (see KamApp._load)."""

    path: Path
    open: Callable[[], Store]  # the whole store; raises StoreError
    preview: Preview | None = None  # Today's queue, computed in parallel, shown until the app has its own


def _commands() -> type[Provider]:
    from kamtui.ui.commands import KamCommands

    return KamCommands


WHILE_LOADING = frozenset({"quit", "help", "toggle_theme", "stop_waiting"})


class KamApp(App[None]):
    """kamtui."""

    TITLE = "kamtui"
    CSS_PATH = "app.tcss"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit"),
        Binding("escape", "stop_waiting", "Stop waiting", priority=True, tooltip="Give up a save waiting for the lock"),
        Binding("question_mark", "help", "Help", tooltip="Every key of the focused pane and the app"),
        Binding("z", "zoom", "Zoom", tooltip="Zoom the focused pane to the full screen and back"),
        Binding("1", "tab('stakeholders')", "Stakeholders", show=False),
        Binding("2", "tab('plan')", "Plan", show=False),
        Binding("3", "tab('reviews')", "Reviews", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("t", "today", "Today", tooltip="Today's queue: what needs me"),
        Binding("R", "guided_review", "Guided review", show=False, tooltip="Walk the due accounts one at a time"),
        Binding("l", "log_interaction", "Log", tooltip="Log a meeting, call, email, visit or event"),
        Binding("i", "timeline", "Activity", show=False, tooltip="The account's activity timeline"),
        Binding("I", "import_csv", "Import", show=False, tooltip="Import a CRM export (CSV): dry run first"),
        Binding("p", "portfolio", "Portfolio", show=False, tooltip="Pareto, RFM, criteria score, promotion candidates"),
        Binding("T", "toggle_theme", "Light/dark", show=False),
        Binding("ctrl+l", "focus_list", "Account list", show=False),
    ]

    # Set by attach(): at once when the app is given a store, else when the loader has read the file.
    store: Store
    portfolio: Portfolio
    rows: AccountRows
    user: str

    def __init__(
        self,
        store: Store | None = None,
        *,
        today: dt.date | None = None,
        demo: bool = False,
        start: str = "today",
        loader: Loader | None = None,
    ) -> None:
        super().__init__()
        self.start = start
        # A bad config file raises StoreError here, before Textual starts: the CLI checks it
        # first and refuses to start with its one-line error (never a toast and the defaults).
        self.thresholds: Thresholds = load_thresholds()
        self.frozen_today = today
        self.demo = demo
        self.loaded = False
        self.load_error = ""  # why the loader failed; the CLI prints it after the app exits
        self.loader = loader
        self.db_path: Path | None = store.path if store is not None else loader.path if loader else None
        self.undo_stack: list[Change] = []
        self.lock_waits = 0  # saves now waiting long for another session's lock (escape gives up)
        self.quitting = False
        self.unsaved: list[str] = []  # saves given up because the user quit: the CLI reports them
        self._panes_ready = False
        self._main_mounting = False
        self.zoomed: str | None = None
        self.tab = "stakeholders"
        self.account_id: int | None = None
        self.theme = "textual-dark"
        if store is not None:
            self.attach(store, self.make_rows(store))

    def make_rows(self, store: Store) -> AccountRows:
        """The account list's rows (safe to build off the UI thread: it only reads the store)."""
        from kamtui.ui.damage import ScreenPortfolio
        from kamtui.ui.rows import AccountRows

        portfolio = ScreenPortfolio(store, lambda: self.today)
        user = os.environ.get("USER", "") or store.user
        return AccountRows(portfolio, lambda: self.today, user, lambda: self.thresholds)

    def attach(self, store: Store, rows: AccountRows) -> None:
        self.store = store
        self.rows = rows
        self.portfolio = rows.portfolio
        self.user = store.user
        self.loaded = True
        store.on_lock_wait = self._lock_wait_from_thread

    def _lock_wait_from_thread(self, path: Path, waiting: bool) -> None:
        # From the writing thread: post, never call into the app (it may be quitting).
        self.post_message(LockWait(path, waiting))

    @property
    def read_only_reason(self) -> str | None:
        """Why this session may not write (None: it may, or the file is still loading)."""
        return self.store.read_only_reason if self.loaded else None

    def mark_read_only(self) -> None:
        """Put the read-only banner on top of the main screen and of Today (once each) if the
        session is read-only."""
        reason = self.read_only_reason
        if reason is None:
            return
        for screen in self.screen_stack:
            if (screen is self.main or isinstance(screen, TodayScreen)) and not screen.query(ReadOnlyBanner):
                screen.mount(ReadOnlyBanner(reason))

    def refuse_if_read_only(self) -> bool:
        """True (after saying so, once per attempt) if this session may not write."""
        reason = self.read_only_reason
        if reason is None:
            return False
        self.notify(read_only_notice(reason), severity="warning", markup=False, timeout=6)
        return True

    @property
    def account_list(self) -> AccountList:
        from kamtui.ui.account_list import AccountList

        return self.main.query_one(AccountList)

    @property
    def accounts_pane(self) -> AccountsPane:
        from kamtui.ui.account_list import AccountsPane

        return self.main.query_one(AccountsPane)

    @property
    def main(self) -> Screen[Any]:
        """The account list and its panes: the bottom screen, whichever screen is on top."""
        return self.screen_stack[0]

    @property
    def today(self) -> dt.date:
        return self.frozen_today or dt.date.today()

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        # Opening on Today, the account list and its panes are mounted after Today's first
        # frame (see ensure_main): the first screen paints without waiting for them.
        if self.start != "today" and self.loaded:
            self._main_mounting = True
            yield from self._main_widgets()

    def _main_widgets(self) -> list[Widget]:
        from kamtui.ui.account_list import AccountsPane
        from kamtui.ui.panes import AccountHeader, PlanPane, ReviewPane, StakeholderPane

        return [
            Horizontal(
                AccountsPane(self.rows, on_highlight=self.show_account),
                Vertical(
                    AccountHeader(),
                    Static("", id="tabs", markup=False),
                    StakeholderPane(),
                    PlanPane(),
                    ReviewPane(),
                    id="right",
                ),
                id="main",
            ),
            Footer(),
        ]

    def on_mount(self) -> None:
        self.sub_title = ("demo copy: " if self.demo else "") + str(self.db_path or "")
        if self.start == "today":
            self.push_screen(TodayScreen())
        elif not self.loaded:
            self.main.mount(Static(f"Loading {self.db_path}…", id="loading", markup=False))
        self.call_after_refresh(self.mark_read_only)
        if self._main_mounting:
            self._main_ready()
        if not self.loaded:
            assert self.loader is not None
            if self.loader.preview is not None and isinstance(self.screen, TodayScreen):
                self._read_preview(self.loader.preview, self.screen)
            # After the first frame: parsing holds the interpreter lock for long stretches.
            self.call_after_refresh(self._start_load)

    async def ensure_main(self) -> None:
        """Mount the account list and the panes under the screen on top (once, after loading)."""
        if self._main_mounting or not self.loaded:
            return
        self._main_mounting = True
        for node in self.main.query("#loading"):
            await node.remove()
        await self.main.mount_all(self._main_widgets())
        self._main_ready()
        if self.loader is not None:
            gc.freeze()  # the list and panes built over a big file live as long as the app, too

    def _main_ready(self) -> None:
        self._panes_ready = True
        self.show_account(self.account_id)
        self.account_list.focus()
        self.set_interval(POLL_SECONDS, self.poll)
        self.apply_layout()

    def _start_load(self) -> None:
        # A daemon thread, not a worker: quitting while a big file loads must not wait for it
        # (the read writes nothing; an interrupted read is like any crash, which the store survives).
        def load() -> None:
            with contextlib.suppress(RuntimeError):  # the app quit while the file loaded: nobody to tell
                self._load()

        threading.Thread(target=load, name="kamtui-load", daemon=True).start()

    def _load(self) -> None:
        """Read the whole file off the UI thread (Today shows the loader's preview meanwhile)."""
        loader = self.loader
        assert loader is not None
        try:
            # A big file is a million long-lived objects and no garbage: the collector would only
            # rescan them while they are built (seconds at 50,000 accounts), and every full
            # collection afterwards would pause the UI ~1 s. Off while loading, then frozen.
            gc.disable()
            try:
                store = loader.open()
                rows = self.make_rows(store)
                # The per-account indexes (hundreds of thousands of sets at 50,000 accounts) are
                # otherwise built on first use, after the freeze, and every full collection
                # rescans them (~50 ms pauses while moving).
                store.build_indexes()
            finally:
                gc.freeze()
                gc.enable()
        except StoreError as exc:
            self.call_from_thread(self._load_failed, str(exc))
            return
        self.call_from_thread(lambda: self.run_worker(self._loaded(store, rows), group="loaded"))

    def _read_preview(self, preview: Preview, screen: TodayScreen) -> None:
        """Show the preview's stages as they come (a daemon thread, like the loader: quitting
        never waits for it; the CLI stops the preview process on the way out)."""

        def read() -> None:
            with contextlib.suppress(RuntimeError):  # the app has quit
                for stage, items in preview:
                    if self.loaded:
                        break
                    self.call_from_thread(screen.show_preview, stage, items)

        threading.Thread(target=read, name="kamtui-preview", daemon=True).start()

    def _load_failed(self, message: str) -> None:
        self.load_error = message
        self.exit(return_code=2)

    async def _loaded(self, store: Store, rows: AccountRows) -> None:
        self.attach(store, rows)
        self.mark_read_only()
        self.refresh_bindings()  # the keys that waited for the data show in the footer again
        if self.loader is not None and self.loader.preview is not None:
            self.loader.preview.stop()  # if it is still computing, it is no longer needed
        if isinstance(self.screen, TodayScreen):
            self.screen.reload()
        else:
            await self.ensure_main()

    def on_resize(self) -> None:
        if self._panes_ready:
            self.apply_layout()

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW_BELOW

    def apply_layout(self) -> None:
        accounts = self.accounts_pane
        right = self.main.query_one("#right")
        tabs = self.main.query_one("#tabs", Static)
        panes = {name: self.main.query_one(f"#{name}") for name in PANES}
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
    def show_account(self, account_id: int | None) -> None:
        from kamtui.ui.panes import AccountHeader, PlanPane, ReviewPane, StakeholderPane

        self.account_id = account_id
        if not self._panes_ready:
            return  # the panes are still being mounted; on_mount shows this account
        with self.batch_update():
            self.main.query_one(AccountHeader).show_account(account_id)
            self.main.query_one(StakeholderPane).show_account(account_id)
            self.main.query_one(PlanPane).show_account(account_id)
            self.main.query_one(ReviewPane).show_account(account_id)

    def go_to_account(self, account_id: int, focus: bool = True) -> None:
        lst = self.account_list
        if not lst.select_id(account_id):
            self.rows.query, self.rows.mine, self.rows.due_only, self.rows.key_only = "", False, False, False
            self.rows.apply()
            lst.refresh_rows(keep_id=account_id)
            pane = self.accounts_pane
            if pane.has_class("filtering"):
                pane.close_filter()
            lst.select_id(account_id)
        if focus:
            lst.focus()

    # ------------------------------------------------------------ daily review
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """App keys that would act behind a dialog are off while one is open, and all but a few
        while the file is still loading."""
        if action == "stop_waiting":
            return self.lock_waits > 0
        if not self._panes_ready:
            return action in WHILE_LOADING
        if action not in MAIN_ONLY or self.screen is self.screen_stack[0]:
            return True
        return isinstance(self.screen, TodayScreen) and action == "guided_review"

    def action_today(self) -> None:
        if not isinstance(self.screen, TodayScreen):
            self.push_screen(TodayScreen())
            self.call_after_refresh(self.mark_read_only)

    def leave_today(self) -> None:
        if isinstance(self.screen, TodayScreen):
            self.pop_screen()

    def open_item(self, item: QueueItem) -> None:
        """Show a queue item in the split panes with the cursor on it."""
        from kamtui.ui.panes import PlanPane, StakeholderPane

        self.leave_today()
        self.zoomed = None
        self.go_to_account(item.account_id, focus=False)
        self.show_account(item.account_id)  # now, so that the panes can put the cursor on the item
        if item.kind == "action" and item.target_id is not None:
            self.action_tab("plan")
            self.main.query_one(PlanPane).refresh_pane(keep=f"a:{item.target_id}")
        elif item.kind in ("contact", "risk") and item.target_id is not None:
            self.action_tab("stakeholders")
            self.main.query_one(StakeholderPane).refresh_pane(keep=item.target_id)
        elif item.kind == "risk":
            self.action_tab("stakeholders")
        else:
            self.action_tab("reviews")

    def review_due_of(self, account_id: int) -> dt.date | None:
        doc = self.store.get("accounts", account_id)
        return review_due(doc, self.today) if doc else None

    def red_alerts(self, account_id: int) -> int:
        acc = self.portfolio.account(account_id)
        if acc is None:
            return 0
        items = risk_items(
            account_id,
            acc,
            self.portfolio.stakeholders(account_id),
            self.portfolio.reviews(account_id),
            self.today,
            self.thresholds,
        )
        return sum(1 for it in items if it.severity >= 2)

    def _session(self) -> tuple[int | None, dict[str, Any]]:
        for doc_id, doc in self.store.all(SESSIONS):
            if doc.get("user") == self.user and doc.get("date") == self.today.isoformat():
                return doc_id, doc
        return None, {}

    def skipped_today(self) -> set[int]:
        return set(self._session()[1].get("skipped", []))

    def save_skipped(self, account_id: int) -> None:
        doc_id, doc = self._session()
        skipped = sorted({*doc.get("skipped", []), account_id})
        if doc_id is None:
            op = Op("insert", SESSIONS, None, {"user": self.user, "date": self.today.isoformat(), "skipped": skipped})
        else:
            op = Op("update", SESSIONS, doc_id, {"skipped": skipped}, None)
        self._save_session(op)

    @work(thread=True, group="store")
    def _save_session(self, op: Op) -> None:
        if self.read_only_reason is not None:
            return  # a read-only session reviews without remembering skips
        try:
            self.store.commit([op])
        except StoreError as exc:
            self.write_failed(exc, "Could not remember the skip")

    def due_accounts(self, mine: bool, owner: str | None = None) -> list[int]:
        """The accounts due for review: everyone's, or (``mine``) those of ``owner``, by default the user."""
        owner = (self.rows.user if owner is None else owner) if mine else None
        items = build_queue(self.store.all("accounts"), (), (), self.today, owner=owner, kinds=frozenset({"review"}))
        skipped = self.skipped_today()
        return [it.account_id for it in items if it.account_id not in skipped]

    def action_guided_review(self) -> None:
        self.start_guided_review(mine=False)

    def start_guided_review(self, mine: bool, owner: str | None = None) -> None:
        accounts = self.due_accounts(mine, owner)
        if not accounts:
            self.notify(
                "No account is due for review" + (" (skipped ones come back tomorrow)" if self.skipped_today() else "")
            )
            return
        self.leave_today()
        self.zoomed = None
        self.apply_layout()

        def finished(state: GuidedState | None) -> None:
            if state is None:
                return
            self.rows.update(state.reviewed)
            self.account_list.refresh_rows()
            self.push_screen(SummaryScreen(state, finished=state.position >= len(state.accounts)))

        self.push_screen(GuidedReviewScreen(GuidedState(accounts)), finished)

    def action_log_interaction(self) -> None:
        from kamtui.ui.activity import interaction_form
        from kamtui.ui.panes import StakeholderPane

        if self.account_id is None:
            return
        preselect: list[int] = []
        if self.focused_pane() == "stakeholders":
            current = self.main.query_one(StakeholderPane).current()
            if current is not None and current.id is not None:
                preselect = [current.id]
        self.push_screen(interaction_form(self, self.account_id, preselect))

    # ---------------------------------------------------------------- accounts
    def _account_form(self, acc: Account | None) -> FormScreen:
        from kamtui.ui.forms import FormField, FormScreen, amount_text

        fields = [
            FormField("name", "Name", value=acc.name if acc else ""),
            FormField(
                "tier", "Tier", "select", (acc.tier if acc else Tier.KEY).value, [(t.value, t.value) for t in Tier]
            ),
            FormField("industry", "Industry", value=acc.industry if acc else ""),
            FormField("owner", "Owner (account manager)", value=acc.owner if acc else self.user),
            FormField("sponsor", "Executive sponsor", value=acc.sponsor if acc else ""),
            FormField("revenue", "Annual revenue", "number", amount_text(acc.revenue) if acc else "0"),
            FormField("cost_to_serve", "Cost to serve", "number", amount_text(acc.cost_to_serve) if acc else "0"),
            FormField(
                "growth_potential",
                "Growth potential",
                "select",
                (acc.growth_potential if acc else Level.MEDIUM).value,
                [(lv.value, lv.value) for lv in Level],
            ),
            FormField(
                "cadence",
                "Review cadence: weekly, biweekly, monthly, quarterly or an RRULE (empty: the tier's default)",
                value=acc.cadence if acc else "",
            ),
        ]

        def build(v: dict[str, Any]) -> Account:
            base = acc.to_doc() if acc else {}
            cadence = str(v["cadence"]).strip() or DEFAULT_CADENCE_BY_TIER.get(str(v["tier"]), "")
            doc = {**base, **{k: v[k] for k in v if k != "cadence"}, "cadence": cadence}
            return Account.from_doc(doc, acc.id if acc else None)

        def save(new: Account) -> Change:
            saved, change = self.portfolio.save(new, acc, "edit account" if acc else "add account")
            return self.record(change, ("account", saved.id))

        return FormScreen("Edit account" if acc else "Add account", fields, build, save)

    def action_add_account(self) -> None:
        self.push_screen(self._account_form(None))

    def action_edit_account(self) -> None:
        acc = self.portfolio.account(self.account_id) if self.account_id is not None else None
        if acc is not None:
            self.push_screen(self._account_form(acc))

    def action_delete_account(self) -> None:
        from kamtui.ui.forms import ConfirmScreen

        acc = self.portfolio.account(self.account_id) if self.account_id is not None else None
        if acc is None or acc.id is None:
            return
        counts = {t: len(self.store.children(t, acc.id)) for t in ("stakeholders", "objectives", "actions", "reviews")}
        what = ", ".join(f"{n} {t}" for t, n in counts.items() if n)

        def answer(yes: bool | None) -> None:
            if yes:
                self.write(lambda: self.portfolio.delete(acc), focus=None)

        question = f"Delete account {clean(acc.name)}" + (f" and its {what}?" if what else "?") + " (u undoes)"
        self.push_screen(ConfirmScreen(question), answer)

    def action_import_csv(self) -> None:
        from kamtui.ui.import_screen import ImportPreview, import_form

        def planned(plan: Any) -> None:
            if plan is not None:
                self.push_screen(ImportPreview(plan))

        self.push_screen(import_form(self), planned)

    def action_portfolio(self) -> None:
        from kamtui.ui.portfolio_screen import PortfolioScreen

        self.push_screen(PortfolioScreen(), lambda _: self.refresh_accounts(set(self.rows.rows)))

    def action_timeline(self) -> None:
        from kamtui.ui.activity import TimelineScreen

        if self.account_id is not None:
            self.push_screen(TimelineScreen(self, self.account_id))

    def action_focus_list(self) -> None:
        self.zoomed = None
        self.apply_layout()
        self.account_list.focus()

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
            self.account_list.focus()
        else:
            self._focus_pane(pane)

    def _focus_pane(self, name: str) -> None:
        target = {"stakeholders": "#sh-table", "plan": "#plan-list", "reviews": "#reviews"}[name]
        self.main.query_one(target).focus()

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

    def get_line_filters(self) -> list[LineFilter]:
        # Under NO_COLOR, Textual's greys without losing text whose colour set it apart.
        return readable_filters(super().get_line_filters())

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_help(self) -> None:
        from kamtui.ui.help import HelpScreen

        self.push_screen(HelpScreen(self.screen.active_bindings, self.focused_pane()))

    # ---------------------------------------------------------------- writing
    def write(self, fn: Callable[[], Change], focus: tuple[str, Any] | None = None) -> None:
        """Run a store write off the UI thread; on success refresh the panes and keep it undoable."""
        if not self.refuse_if_read_only():
            self._write(fn, focus)

    @work(thread=True, group="store")
    def _write(self, fn: Callable[[], Change], focus: tuple[str, Any] | None, undoable: bool = True) -> None:
        try:
            change = fn()
        except (StoreError, ValueError, LookupError, OSError) as exc:
            self.write_failed(exc, "Not saved" if undoable else "Cannot undo")
            return
        self.record(change, focus, undoable=undoable)

    def write_failed(self, exc: Exception, what: str = "Not saved") -> None:
        """From a worker thread: say why a write was not saved (after quitting: keep it for the CLI)."""
        text = str(exc) if isinstance(exc, LockAbandoned) else f"{what}: {exc}"
        if self.quitting:
            self.unsaved.append(text)
        else:
            self.post_message(WriteFailed(text))

    def record(self, change: Change, focus: tuple[str, Any] | None = None, *, undoable: bool = True) -> Change:
        """Called from a worker thread after a successful write."""
        self.post_message(WriteDone(change, focus, undoable))
        return change

    def on_write_failed(self, message: WriteFailed) -> None:
        self.notify(message.text, severity="error", markup=False, timeout=8)

    def on_lock_wait(self, message: LockWait) -> None:
        self.lock_waits = max(0, self.lock_waits + (1 if message.waiting else -1))
        self.refresh_bindings()
        if message.waiting:
            self.notify(waiting_notice(message.path), severity="warning", markup=False, timeout=self.store.lock_timeout)
        for screen in self.screen_stack:
            if hasattr(screen, "lock_wait"):
                screen.lock_wait(message)

    def action_stop_waiting(self) -> None:
        """Escape while a save waits for another session's lock: give up the wait; a form keeps
        what was typed and says it was not saved."""
        self.store.abandon_waits()

    async def action_quit(self) -> None:
        """Quit at once: a save still waiting for the lock gives up and is reported by the CLI."""
        self.quitting = True
        if self.loaded:
            self.store.abandon_waits()
        self.exit()

    def on_write_done(self, message: WriteDone) -> None:
        self._after_write(message.change, message.focus, message.undoable)

    def _after_write(self, change: Change, focus: tuple[str, Any] | None, undoable: bool) -> None:
        from kamtui.ui.panes import PlanPane, StakeholderPane

        if undoable and change.undo:  # a save that changed nothing has nothing to undo
            self.undo_stack.append(change)
            del self.undo_stack[:-200]
        self.refresh_accounts(self._touched_accounts((op.table, op.id, op.values) for op in change.undo))
        if focus is not None:
            pane, key = focus
            if pane == "account" and key:
                self.go_to_account(key)
            elif pane == "plan" and key:
                self.main.query_one(PlanPane).refresh_pane(keep=key)
            elif pane == "stakeholder" and key:
                self.main.query_one(StakeholderPane).refresh_pane(keep=key)

    def _account_of(self, table: str, doc_id: int | None, values: Any = None) -> int | None:
        """The account a record belongs to (from the stored record, else the values written)."""
        if table == "accounts":
            return doc_id
        doc = (self.store.get(table, doc_id) if doc_id is not None else None) or values or {}
        account_id = doc.get("account_id") if isinstance(doc, dict) else None
        return account_id if isinstance(account_id, int) else None

    def _touched_accounts(self, records: Iterable[tuple[str, int | None, Any]]) -> set[int]:
        out = {a for t, i, v in records if (a := self._account_of(t, i, v)) is not None}
        if self.account_id is not None:
            out.add(self.account_id)
        return out

    def refresh_accounts(self, account_ids: set[int]) -> None:
        """Rebuild list rows for these accounts, the panes if the selected one is among them, and
        Today's queue if it is open (any account's change can add or settle an item)."""
        self.rows.update(account_ids)
        lst = self.account_list
        lst.refresh_rows(keep_id=self.account_id)
        if self.account_id in account_ids or self.account_id is None:
            self.show_account(self.account_id if lst.current is None else lst.current.id)
        for screen in self.screen_stack:
            if isinstance(screen, TodayScreen):
                screen.reload()

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo", timeout=2)
            return
        change = self.undo_stack.pop()

        def undo() -> Change:
            return self.portfolio.undo(change)

        if self.refuse_if_read_only():
            self.undo_stack.append(change)
            return
        self.notify(f"Undo: {change.label}", timeout=2, markup=False)
        self._write(undo, None, undoable=False)

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
        self.refresh_accounts(self._touched_accounts((table, doc_id, None) for table, doc_id in changes))


def run_app(
    store: Store | None = None, *, loader: Loader | None = None, today: dt.date | None = None, demo: bool = False
) -> KamApp:
    """Run the TUI over ``store`` (a small file, read before the first frame), or over what
    ``loader`` reads once the first frame is up (a big one; it then freezes the collector)."""
    app = KamApp(store, loader=loader, today=today, demo=demo)
    app.run()
    return app


def make_app(store: Store, *, today: dt.date | None = None, start: str = "today") -> KamApp:
    """The app factory tests and benchmarks reuse."""
    return KamApp(store, today=today, start=start)
