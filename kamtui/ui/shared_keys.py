"""The keys every full screen shares: the main screen (the account list and its panes), Today and
the portfolio.

`t` Today, `R` the guided review, `p` the portfolio, `l` log an interaction, `i` the activity
timeline, `I` import a CSV export, `u` undo. Each of these screens is a :class:`SharedKeysScreen`:
it puts :func:`shared_bindings` among its own bindings (where its footer and `?` list them), and
says which account it has in view (:meth:`SharedKeysScreen.account_in_view`: the selected
account, Today's highlighted item, the portfolio's selected customer), which `l` and `i` act on.
The dialogs over them (forms, help, the timeline, the guided review's bar) keep their own keys.

What needs the main screen (an account opened in its panes, the guided review over them, Today
over it) is asked of the app by message; the app hands it to the main screen.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any, TypeVar

from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from kamtui.i18n import N_, _
from kamtui.ui.session import Session

ResultType = TypeVar("ResultType")


def shared_bindings(*, shown: Collection[str] = (), leave_out: Collection[str] = ()) -> list[Binding]:
    """The shared keys (new Binding objects), those whose ids are in ``shown`` in the footer,
    those in ``leave_out`` left to the screen (it has its own, or the key means nothing there)."""
    bindings = [
        Binding("u", "undo", N_("Undo"), tooltip=N_("Undo the last change, repeatedly"), id="undo"),
        Binding("t", "today", N_("Today"), tooltip=N_("Today's queue: what needs me"), id="today"),
        Binding(
            "R",
            "guided_review",
            N_("Guided review"),
            tooltip=N_("Walk the due accounts one at a time"),
            id="guided-review",
        ),
        Binding(
            "l",
            "log_interaction",
            N_("Log"),
            tooltip=N_("Log a meeting, call, email, visit or event"),
            id="log-interaction",
        ),
        Binding("i", "timeline", N_("Activity"), tooltip=N_("The account's activity timeline"), id="timeline"),
        Binding("I", "import_csv", N_("Import"), tooltip=N_("Import a CRM export (CSV): dry run first"), id="import"),
        Binding(
            "p",
            "portfolio",
            N_("Portfolio"),
            tooltip=N_("Pareto, RFM, criteria score, promotion candidates"),
            id="portfolio",
        ),
    ]
    out = []
    for b in bindings:
        if b.id not in leave_out:
            out.append(Binding(b.key, b.action, b.description, show=b.id in shown, tooltip=b.tooltip, id=b.id))
    return out


class ShowToday(Message):
    """Put Today on top (unless it is)."""


class OpenAccount(Message):
    """Show this account in the main screen's list and panes."""

    def __init__(self, account_id: int) -> None:
        super().__init__()
        self.account_id = account_id


class StartGuided(Message):
    """Start the guided review over these due accounts, over the main screen's panes."""

    def __init__(self, accounts: list[int]) -> None:
        super().__init__()
        self.accounts = accounts


class SharedKeysScreen(Screen[ResultType]):
    """A full screen with the shared keys' actions (see the module docstring)."""

    session: Session

    def account_in_view(self) -> int | None:
        """The account `l` and `i` act on."""
        return None

    def stakeholder_in_view(self) -> int | None:
        """The stakeholder ticked in the interaction form `l` opens."""
        return None

    def due_accounts(self) -> list[int]:
        """The accounts `R` walks: everyone's due ones (Today: those of the owner it shows)."""
        return self.session.due_for_review(mine=False)

    def make_way(self) -> None:
        """Before Today or the guided review take over: a screen that should not stay under them
        closes (the portfolio does)."""

    def _ask_app(self, message: Message) -> None:
        # To the app itself: this screen may close before the message would bubble up from it.
        self.app.post_message(message)

    def action_today(self) -> None:
        self.make_way()
        self._ask_app(ShowToday())

    def guided_accounts(self) -> list[int] | None:
        """The accounts `R` walks; None, saying so, when none is due."""
        accounts = self.due_accounts()
        if not accounts:
            if self.session.skipped_today():
                words = _(
                    "Nothing due for review today (skipped ones come back tomorrow): "
                    "the guided review has nothing to walk through"
                )
            else:
                words = _("Nothing due for review today: the guided review has nothing to walk through")
            self.notify(words, markup=False)
            return None
        return accounts

    def action_guided_review(self) -> None:
        accounts = self.guided_accounts()
        if accounts is not None:
            self.make_way()
            self._ask_app(StartGuided(accounts))

    def action_portfolio(self) -> None:
        from kamtui.ui.portfolio_screen import PortfolioScreen

        def closed(account_id: int | None) -> None:
            if account_id is not None:
                self._ask_app(OpenAccount(account_id))

        self.app.push_screen(PortfolioScreen(self.session), closed)

    def _account(self) -> int | None:
        account_id = self.account_in_view()
        if account_id is None:
            self.notify(_("No account selected"), timeout=3, markup=False)
        return account_id

    def action_log_interaction(self) -> None:
        from kamtui.ui.entity_forms import interaction_form

        account_id = self._account()
        if account_id is not None:
            stakeholder = self.stakeholder_in_view()
            preselect = [stakeholder] if stakeholder is not None else []
            self.app.push_screen(interaction_form(self.session, account_id, preselect))

    def action_timeline(self) -> None:
        from kamtui.ui.activity import TimelineScreen

        account_id = self._account()
        if account_id is not None:
            self.app.push_screen(TimelineScreen(self.session, account_id))

    def action_import_csv(self) -> None:
        from kamtui.ui.import_screen import ImportPreview, import_form

        def planned(plan: Any) -> None:
            if plan is not None:
                self.app.push_screen(ImportPreview(self.session, plan))

        self.app.push_screen(import_form(self.session), planned)

    def action_undo(self) -> None:
        self.session.undo()
