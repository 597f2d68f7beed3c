"""The main screen: the account list beside the panes of the selected account, and every key
that acts on them. Today, the portfolio, the guided review, the timeline and the forms are
screens pushed over it; it is the app's default screen, so it is always at the bottom.

Its keys are its own bindings: they work (and show) only while it is the screen on top, and,
while a big file loads, not at all (``check_action``): nothing else gates them. The keys it
shares with Today and the portfolio (t R p l i I u) come from :mod:`kamtui.ui.shared_keys`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Static

from kamtui.domain.hygiene import OBJECTIVE
from kamtui.domain.kpi_status import is_kpi_risk
from kamtui.domain.labels import records
from kamtui.domain.model import CHILD_TABLES
from kamtui.domain.queue import QueueItem
from kamtui.domain.text import clean
from kamtui.i18n import N_, _
from kamtui.ui.first_run import NO_ACCOUNT_YET, first_run_text
from kamtui.ui.footer import FittingFooter
from kamtui.ui.layout import MIDDLE, PANES, Layout, pane_layout, tabs_text
from kamtui.ui.messages import DataChanged, Focus
from kamtui.ui.notices import show_read_only
from kamtui.ui.session import Session
from kamtui.ui.shared_keys import SharedKeysScreen, shared_bindings

if TYPE_CHECKING:  # the list and the panes are imported when they are mounted, after the first frame
    from kamtui.ui.account_list import AccountList
    from kamtui.ui.accounts_pane import AccountsPane
    from kamtui.ui.panes.base import Pane


class MainScreen(SharedKeysScreen[None]):
    """The account list and its panes (see the module docstring). ``mount_later``: compose
    nothing yet (the panes are mounted by :meth:`mount_panes`, once the file is read and, when
    kamtui opens on Today, after Today's first frame)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # The app's, repeated first so that the footer shows them before this screen's own keys.
        Binding("q", "app.quit", N_("Quit"), id="quit"),
        Binding("question_mark", "app.help", N_("Help"), tooltip=N_("The keys that work here"), id="help"),
        Binding("z", "zoom", N_("Zoom"), tooltip=N_("Zoom the focused pane to the full screen and back"), id="zoom"),
        Binding("1", "tab('stakeholders')", N_("Stakeholders"), show=False, id="tab-stakeholders"),
        Binding("2", "tab('plan')", N_("Plan"), show=False, id="tab-plan"),
        Binding("3", "tab('reviews')", N_("Reviews"), show=False, id="tab-reviews"),
        Binding("4", "tab('business')", N_("Business"), show=False, id="tab-business"),
        Binding("5", "tab('deals')", N_("Opportunities"), show=False, id="tab-deals"),
        *shared_bindings(shown=("today", "log-interaction")),
        Binding("ctrl+l", "focus_list", N_("Account list"), show=False, id="focus-list"),
        Binding("b", "brief", N_("Brief"), tooltip=N_("Meeting brief: the account on one page"), id="brief"),
        Binding(
            "C", "criteria", N_("Criteria"), show=False, tooltip=N_("Score the account's criteria 1-5"), id="criteria"
        ),
    ]

    def __init__(self, session: Session, *, mount_later: bool) -> None:
        super().__init__(id="main")
        self.session = session
        self.mount_later = mount_later
        self.ready = False  # the list and the panes are mounted
        self._mounting = False
        self.account_id: int | None = None
        self.zoomed: str | None = None
        self.tab = "stakeholders"  # the focused pane (narrow: the one shown)
        self.middle = "plan"  # wide: the pane between stakeholders and reviews (see kamtui.ui.layout)
        self.panes: list[Pane] = []  # the header and the five panes, once mounted
        self._laid_out_empty = False  # the layout is that of a file without accounts
        self._shown: frozenset[str] = frozenset()  # the panes the layout shows
        self._tabs_width = 80
        self._stale: set[Pane] = set()  # hidden panes behind on the account they show

    # ------------------------------------------------------------------ layout
    def compose(self) -> ComposeResult:
        if self.session.loaded and not self.mount_later:
            self._mounting = True
            yield from self._widgets()
        elif not self.session.loaded and not self.mount_later:
            yield Static(_("Loading {file}…").format(file=self.session.path), id="loading", markup=False)

    def _widgets(self) -> list[Any]:
        from kamtui.ui.accounts_pane import AccountsPane
        from kamtui.ui.panes.business import BusinessPane
        from kamtui.ui.panes.deals import DealsPane
        from kamtui.ui.panes.header import AccountHeader
        from kamtui.ui.panes.plan import PlanPane
        from kamtui.ui.panes.reviews import ReviewPane
        from kamtui.ui.panes.stakeholders import StakeholderPane

        s = self.session
        return [
            Horizontal(
                AccountsPane(s.rows, on_highlight=self.show_account, welcome=first_run_text(s.path, on_today=False)),
                Vertical(
                    AccountHeader(s),
                    Static("", id="tabs", markup=False),
                    StakeholderPane(s),
                    PlanPane(s),
                    BusinessPane(s),
                    DealsPane(s),
                    ReviewPane(s),
                    id="right",
                ),
                id="main-split",
            ),
            FittingFooter(),
        ]

    def on_mount(self) -> None:
        if self._mounting:
            self._panes_mounted()

    async def mount_panes(self) -> None:
        """Mount the account list and the panes (once, and only once the file is read)."""
        if self._mounting or not self.session.loaded:
            return
        self._mounting = True
        for node in self.query("#loading"):
            await node.remove()
        await self.mount_all(self._widgets())
        if not self.query("#right"):
            return  # the app quit while they mounted (q at once): its screens are being removed
        self._panes_mounted()

    def _panes_mounted(self) -> None:
        from kamtui.ui.panes.base import Pane

        self.panes = [w for w in self.query_one("#right").children if isinstance(w, Pane)]
        self.ready = True
        show_read_only(self, self.session.read_only_reason)
        self.show_account(self.account_id)
        self.account_list.focus()
        self.apply_layout()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Every key of this screen needs the list and the panes: none before they are there
        (the app's own, quit and help, are the app's to check)."""
        return self.ready

    @property
    def account_list(self) -> AccountList:
        return self.accounts_pane.list

    @property
    def accounts_pane(self) -> AccountsPane:
        from kamtui.ui.accounts_pane import AccountsPane

        return self.query_one(AccountsPane)

    def on_resize(self) -> None:
        if self.ready:
            self.apply_layout()

    @property
    def narrow(self) -> bool:
        return self._layout(None).narrow

    def _layout(self, zoomed: str | None) -> Layout:
        return pane_layout(self.size.width, zoomed, self.tab, self.middle, self.size.height)

    def apply_layout(self) -> None:
        # No account at all: the list alone, saying how to begin (the panes would be empty grids).
        self._laid_out_empty = not self.session.rows.rows
        zoomed = "accounts" if self._laid_out_empty else self.zoomed
        layout = self._layout(zoomed)
        self._shown = layout.panes_shown
        beside = layout.accounts_width if layout.accounts_shown and isinstance(layout.accounts_width, int) else 0
        self._tabs_width = max(20, self.size.width - beside - 1)
        accounts = self.accounts_pane
        accounts.display = layout.accounts_shown
        accounts.styles.width = layout.accounts_width
        self.query_one("#right").display = layout.right_shown
        tabs = self.query_one("#tabs", Static)
        tabs.display = layout.tabs_shown
        for name in PANES:
            self.query_one(f"#{name}").display = name in layout.panes_shown
        for pane in [p for p in self._stale if self._shows(p)]:
            self._stale.discard(pane)
            pane.show_account(self.account_id)
        single = layout.single
        self.query_one("#reviews").styles.height = "1fr" if single else 10
        stakeholders = self.query_one("#stakeholders")
        stakeholders.styles.height = "1fr" if single else "auto"
        stakeholders.set_class(single, "single")
        self._give_way()
        self._update_tabs()

    def _give_way(self) -> None:
        """Wide, the stakeholders pane gives the pane below it room (a shorter box; it scrolls)
        while that pane (plan, business or opportunities) has the focus."""
        give = not self._layout(self.zoomed).single and self.tab in MIDDLE
        self.query_one("#stakeholders").set_class(give, "giving-way")

    def _update_tabs(self) -> None:
        tabs = self.query_one("#tabs", Static)
        if tabs.display:
            tabs.update(tabs_text(self._shown, self.tab, self._tabs_width))

    # ----------------------------------------------------------------- moving
    def show_account(self, account_id: int | None) -> None:
        self.account_id = account_id
        if not self.ready:
            return  # the panes are still being mounted; they show this account when they are
        with self.app.batch_update():
            for pane in self.panes:
                if self._shows(pane):
                    pane.show_account(account_id)
                else:  # hidden by the layout: it shows the account when the layout shows it
                    pane.account_id = account_id
                    self._stale.add(pane)

    @staticmethod
    def _shows(pane: Pane) -> bool:
        return bool(getattr(pane, "display", True))

    def go_to_account(self, account_id: int, focus: bool = True) -> None:
        """Select ``account_id`` in the list (clearing the filters that hide it)."""
        lst = self.account_list
        if not lst.select_id(account_id):
            rows = self.session.rows
            rows.query, rows.mine, rows.due_only, rows.key_only = "", False, False, False
            rows.apply()
            lst.refresh_rows(keep_id=account_id)
            pane = self.accounts_pane
            if pane.has_class("filtering"):
                pane.close_filter()
            lst.select_id(account_id)
        if focus:
            self.set_focus(lst)

    def show_in_panes(self, account_id: int) -> None:
        """The guided review's way to put an account behind its bar: selected, panes shown now."""
        self.go_to_account(account_id, focus=False)

    def open_item(self, item: QueueItem) -> None:
        """Show a queue item in the split panes with the cursor on it."""
        from kamtui.ui.panes.plan import PlanPane
        from kamtui.ui.panes.stakeholders import StakeholderPane

        self.leave_today()
        self.zoomed = None
        self.go_to_account(item.account_id, focus=False)
        self.show_account(item.account_id)  # now, so that the panes can put the cursor on the item
        if item.kind == "action" and item.target_id is not None:
            self.action_tab("plan")
            self.query_one(PlanPane).refresh_pane(keep=f"a:{item.target_id}")
        elif item.kind == "plan" and item.target_id is not None:
            self.action_tab("plan")  # a plan flag: the objective's or the action's line in the plan
            self.query_one(PlanPane).refresh_pane(keep=f"{'o' if item.detail == OBJECTIVE else 'a'}:{item.target_id}")
        elif is_kpi_risk(item):
            self.action_tab("plan")  # an off-track KPI: its line in the plan
            self.query_one(PlanPane).refresh_pane(keep=f"k:{item.target_id}")
        elif item.kind in ("contact", "losing_touch", "risk") and item.target_id is not None:
            self.action_tab("stakeholders")
            self.query_one(StakeholderPane).refresh_pane(keep=item.target_id)
        elif item.kind == "risk":
            self.action_tab("stakeholders")
        else:
            self.action_tab("reviews")

    def focused_pane(self) -> str | None:
        node = self.focused
        while node is not None:
            if node.id in PANES or node.id == "accounts-pane":
                return "accounts" if node.id == "accounts-pane" else node.id
            node = node.parent  # type: ignore[assignment]
        return None

    def action_focus_list(self) -> None:
        self.zoomed = None
        self.apply_layout()
        self._focus_pane("accounts")

    def _no_account_yet(self) -> bool:
        """A file without accounts shows the list alone (see apply_layout): a key that leads to
        a pane keeps the focus on the list, where `a` adds the first account, and says so."""
        if self.session.rows.rows:
            return False
        self._focus_pane("accounts")
        self.notify(_(NO_ACCOUNT_YET), timeout=4, markup=False)
        return True

    def action_zoom(self) -> None:
        if self._no_account_yet():
            return
        pane = self.focused_pane()
        self.zoomed = None if self.zoomed else pane
        self.apply_layout()
        if pane is not None:
            self._focus_pane(pane)

    def _focus_pane(self, name: str) -> None:
        """Focus the pane (or the list) now, in this step: Textual's ``focus()`` moves it later,
        after the keys already typed, which went to the pane just left (``2a`` from the
        opportunities added an opportunity under the plan)."""
        from kamtui.ui.panes.base import Pane

        if name == "accounts":
            self.set_focus(self.account_list)
            return
        pane = self.query_one(f"#{name}")
        assert isinstance(pane, Pane)
        self.set_focus(pane.view)

    def action_tab(self, name: str) -> None:
        if self._no_account_yet():
            return
        self.tab = name
        if name in MIDDLE:
            self.middle = name
        if self.zoomed and self.zoomed != name:
            self.zoomed = name
        self.apply_layout()
        self._focus_pane(name)

    def on_descendant_focus(self) -> None:
        pane = self.focused_pane()
        if pane in PANES and pane != self.tab:
            self.tab = pane
            if pane in MIDDLE:
                self.middle = pane
            if self.narrow:
                self.apply_layout()
            else:
                self._give_way()
                self._update_tabs()

    # ---------------------------------------------------------------- changes
    def on_data_changed(self, message: DataChanged) -> None:
        rows = self.session.rows
        ids = set(message.account_ids)
        if message.everything:
            rows.reload()
            if self.account_id is not None:
                ids.add(self.account_id)
        self.refresh_accounts(ids, message.focus)

    def refresh_accounts(self, account_ids: set[int], focus: Focus = None) -> None:
        """Rebuild the list rows of these accounts (every account a change concerns, a deleted
        or moved record's included: the store notes them as it applies the change), the panes if
        the selected one is among them, and put the cursor where ``focus`` says."""
        from kamtui.ui.panes.plan import PlanPane
        from kamtui.ui.panes.stakeholders import StakeholderPane

        if not self.session.loaded:
            return
        ids = set(account_ids)
        self.session.rows.update(ids)
        if not self.ready:
            return
        if self._laid_out_empty != (not self.session.rows.rows):  # the first account, or the last one gone
            self.apply_layout()
        lst = self.account_list
        lst.refresh_rows(keep_id=self.account_id)
        if self.account_id in ids or self.account_id is None:
            self.show_account(self.account_id if lst.current is None else lst.current.id)
        if focus is not None:
            pane, key = focus
            if pane == "account" and key:
                self.go_to_account(key)
            elif pane == "plan" and key:
                self.query_one(PlanPane).refresh_pane(keep=key)
            elif pane == "stakeholder" and key:
                self.query_one(StakeholderPane).refresh_pane(keep=key)
            elif pane in ("business", "deals") and key:
                # Their refresh_pane takes the key of the line to keep the cursor on.
                self.query_one(f"#{pane}").refresh_pane(keep=key)  # type: ignore[attr-defined]

    # ---------------------------------------------------------------- actions
    def account_in_view(self) -> int | None:
        return self.account_id

    def stakeholder_in_view(self) -> int | None:
        """The stakeholder at the cursor, when the stakeholders pane has the focus."""
        from kamtui.ui.panes.stakeholders import StakeholderPane

        if self.focused_pane() != "stakeholders":
            return None
        current = self.query_one(StakeholderPane).current()
        return current.id if current is not None else None

    def open_account(self, account_id: int) -> None:
        """Show ``account_id`` in the list and the panes (Today, if on top, closed)."""
        self.leave_today()
        self.go_to_account(account_id)

    def leave_today(self) -> None:
        """Close Today if it is on top (the panes would stay hidden behind it)."""
        from kamtui.ui.today import TodayScreen

        if isinstance(self.app.screen, TodayScreen):
            self.app.pop_screen()

    def start_guided_review(self, accounts: list[int]) -> None:
        from kamtui.ui.guided import GuidedReviewScreen
        from kamtui.ui.guided_summary import GuidedState, SummaryScreen

        self.leave_today()
        self.zoomed = None
        self.apply_layout()

        def finished(state: GuidedState | None) -> None:
            if state is not None:
                self.app.push_screen(SummaryScreen(state, finished=state.position >= len(state.accounts)))

        self.app.push_screen(GuidedReviewScreen(self.session, GuidedState(accounts), self.show_in_panes), finished)

    # --------------------------------------------------------------- accounts
    def action_brief(self) -> None:
        from kamtui.ui.brief_screen import open_brief

        open_brief(self, self.session, self.account_id)

    def action_criteria(self) -> None:
        from kamtui.ui.criteria_form import open_criteria

        open_criteria(self, self.session, self.account_id)

    def action_add_account(self) -> None:
        from kamtui.ui.entity_forms import account_form

        self.app.push_screen(account_form(self.session, None))

    def action_edit_account(self) -> None:
        from kamtui.ui.entity_forms import account_form

        acc = self.session.portfolio.account(self.account_id) if self.account_id is not None else None
        if acc is not None:
            self.app.push_screen(account_form(self.session, acc))

    def action_delete_account(self) -> None:
        from kamtui.ui.forms import ConfirmScreen

        session = self.session
        acc = session.portfolio.account(self.account_id) if self.account_id is not None else None
        if acc is None or acc.id is None:
            return
        # Every record the delete takes with it (Portfolio.delete: every child table), named.
        counts = {t: len(session.store.children_stored(t, acc.id)) for t in CHILD_TABLES}
        what = ", ".join(records(t, n) for t, n in counts.items() if n)

        def answer(yes: bool | None) -> None:
            if yes:
                session.write(lambda: session.portfolio.delete(acc), focus=None)

        if what:
            question = _("Delete account {name} and its {what}? (u undoes)").format(name=clean(acc.name), what=what)
        else:
            question = _("Delete account {name}? (u undoes)").format(name=clean(acc.name))
        self.app.push_screen(ConfirmScreen(question), answer)
