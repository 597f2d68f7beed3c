"""The account's activity timeline (i): interactions, reviews, attitude changes and actions
done, newest first."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kamtui.domain.formats import date as full_date
from kamtui.domain.text import clean
from kamtui.domain.timeline import Event, timeline
from kamtui.i18n import N_, _
from kamtui.ui.everywhere import everywhere_bindings, help_binding
from kamtui.ui.session import Session

KIND_STYLE = {
    "meeting": "bold cyan",
    "call": "cyan",
    "email": "blue",
    "visit": "bold magenta",
    "event": "magenta",
    "review": "bold yellow",
    "attitude": "green",
    "done": "dim green",
}

# What each kind of event is called on the timeline (the kinds are stored values, never translated).
KIND_WORDS = {
    "meeting": N_("meeting"),
    "call": N_("call"),
    "email": N_("email"),
    "visit": N_("visit"),
    "event": N_("event"),
    "review": N_("review"),
    "attitude": N_("attitude"),
    "done": N_("done"),
}


def timeline_text(events: list[Event]) -> Text:
    """One line per event: date, kind, what happened, by whom."""
    if not events:
        return Text(_("Nothing logged yet: press l on the account to log an interaction."), style="dim")
    out = Text()
    for i, e in enumerate(events):
        if i:
            out.append("\n")
        out.append(f"{full_date(e.date)}  ", style="dim")
        out.append(f"{_(KIND_WORDS.get(e.kind, e.kind)):<9}", style=KIND_STYLE.get(e.kind, ""))
        out.append(clean(e.text))
        if e.by:
            out.append(f"  ({clean(e.by)})", style="dim")
    return out


class TimelineScreen(ModalScreen[None]):
    """Everything that happened on the account, newest first; `?` lists its keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i", "dismiss", N_("Close"), id="timeline-close"),
        Binding("j,down", "scroll_down", N_("Down"), show=False, id="cursor-down"),
        Binding("k,up", "scroll_up", N_("Up"), show=False, id="cursor-up"),
        help_binding(),
        *everywhere_bindings(),
    ]
    DEFAULT_CSS = """
    TimelineScreen { align: center middle; }
    TimelineScreen #timeline { width: 100; max-width: 100%; height: 90%; border: thick $accent;
        background: $surface; padding: 0 1; }
    TimelineScreen #timeline-title { text-style: bold; color: $accent; }
    """

    def __init__(self, session: Session, account_id: int) -> None:
        super().__init__()
        p = session.portfolio
        account = p.account(account_id)
        name = clean(account.name) if account else "?"
        self.heading = _("Activity of {account} · esc closes · ? keys").format(account=name)
        self.events = timeline(
            p.interactions(account_id), p.reviews(account_id), p.stakeholders(account_id), p.actions(account_id)
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline"):
            yield Static(self.heading, id="timeline-title", markup=False)
            with VerticalScroll(id="timeline-scroll"):
                yield Static(timeline_text(self.events), markup=False)

    def action_scroll_down(self) -> None:
        self.query_one("#timeline-scroll", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#timeline-scroll", VerticalScroll).scroll_up()
