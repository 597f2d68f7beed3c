"""Logging interactions (l) and the account's activity timeline (i)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kamtui.domain.model import Interaction, InteractionKind
from kamtui.domain.text import clean
from kamtui.domain.timeline import timeline
from kamtui.store.portfolio import Change
from kamtui.ui.forms import FormField, FormScreen, parse_date_input

if TYPE_CHECKING:
    from kamtui.ui.app import KamApp

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


KINDS = [(k.value, k.value) for k in InteractionKind]


def interaction_form(app: KamApp, account_id: int, preselect: list[int] | None = None) -> FormScreen:
    """Log a meeting, call, email, visit or event with stakeholders of the account."""
    today = app.today
    people = [s for s in app.portfolio.stakeholders(account_id) if not s.left and s.id is not None]
    chosen = [str(i) for i in (preselect or [])]
    fields = [
        FormField(
            "kind", "Kind", "select", InteractionKind.MEETING.value, [(k.value, k.value) for k in InteractionKind]
        ),
        FormField(
            "stakeholders",
            "With (space ticks)",
            "multi",
            chosen,
            [(f"{clean(s.name)} · {s.role.label}", str(s.id)) for s in people],
        ),
        FormField("date", "Date (today, -2d, YYYY-MM-DD)", "date", today.isoformat()),
        FormField("summary", "Summary", value=""),
    ]
    account = app.portfolio.account(account_id)
    title = f"Log interaction with {clean(account.name) if account else 'account'}"

    def build(v: dict[str, Any]) -> Interaction:
        return Interaction(
            account_id=account_id,
            # Logging sets the stakeholders' last contact: it has to have happened.
            date=parse_date_input(v["date"], today, "date", not_after_today=True) or today,
            kind=v["kind"],
            stakeholders=[int(x) for x in v["stakeholders"]],
            summary=v["summary"],
            by=app.user,
        )

    def save(interaction: Interaction) -> Change:
        return app.record(app.portfolio.log_interaction(interaction), focus=("stakeholder", None))

    return FormScreen(title, fields, build, save)


class TimelineScreen(ModalScreen[None]):
    """Everything that happened on the account, newest first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,i", "dismiss", "Close"),
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
    ]
    DEFAULT_CSS = """
    TimelineScreen { align: center middle; }
    TimelineScreen #timeline { width: 100; max-width: 100%; height: 90%; border: thick $accent;
        background: $surface; padding: 0 1; }
    TimelineScreen #timeline-title { text-style: bold; color: $accent; }
    """

    def __init__(self, app: KamApp, account_id: int) -> None:
        super().__init__()
        p = app.portfolio
        account = p.account(account_id)
        self.heading = f"Activity of {clean(account.name) if account else '?'} · esc closes"
        self.events = timeline(
            p.interactions(account_id), p.reviews(account_id), p.stakeholders(account_id), p.actions(account_id)
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline"):
            yield Static(self.heading, id="timeline-title", markup=False)
            with VerticalScroll(id="timeline-scroll"):
                yield Static(self.render_events(), markup=False)

    def render_events(self) -> Text:
        out = Text()
        if not self.events:
            return Text("Nothing logged yet: press l on the account to log an interaction.", style="dim")
        for i, e in enumerate(self.events):
            if i:
                out.append("\n")
            out.append(f"{e.date.isoformat()}  ", style="dim")
            out.append(f"{e.kind:<9}", style=KIND_STYLE.get(e.kind, ""))
            out.append(clean(e.text))
            if e.by:
                out.append(f"  ({clean(e.by)})", style="dim")
        return out

    def action_scroll_down(self) -> None:
        self.query_one("#timeline-scroll", VerticalScroll).scroll_down()

    def action_scroll_up(self) -> None:
        self.query_one("#timeline-scroll", VerticalScroll).scroll_up()
