"""The guided review: a bar over the account panes that walks the due accounts one at a time
(scores by keyboard, enter records, s skips, q stops), and the summary at the end."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from kamtui.domain.cadence import in_words
from kamtui.domain.model import Review
from kamtui.domain.risk import review_risks, stakeholder_risks
from kamtui.domain.text import clean
from kamtui.ui.activity import TimelineScreen
from kamtui.ui.damage import damaged
from kamtui.ui.entity_forms import interaction_form
from kamtui.ui.forms import FormField, FormScreen
from kamtui.ui.session import Session

SCORE_KEYS = {"g": "engagement", "y": "loyalty", "a": "satisfaction", "h": "health"}


@dataclass
class GuidedState:
    accounts: list[int]
    position: int = 0
    reviewed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    alerts: int = 0


class GuidedReviewScreen(ModalScreen[GuidedState]):
    """A bar over the account panes. Keys: g/y/a/h then 1-5, n note, l log, enter record, s skip, q stop.

    ``show`` puts an account in the panes behind the bar (the main screen's, given by it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "record",
            "Record",
            tooltip="Record the review with these scores and move on",
            id="guided-record",
        ),
        Binding("s", "skip", "Skip", id="guided-skip"),
        Binding("q,escape", "stop", "Stop", tooltip="Stop; coming back today resumes here", id="guided-stop"),
        Binding("g", "pick('engagement')", "engaGement", id="guided-engagement"),
        Binding("y", "pick('loyalty')", "loYalty", id="guided-loyalty"),
        Binding("a", "pick('satisfaction')", "sAtisfaction", show=False, id="guided-satisfaction"),
        Binding("h", "pick('health')", "Health", id="guided-health"),
        Binding("1", "score(1)", "1", show=False, id="guided-1"),
        Binding("2", "score(2)", "2", show=False, id="guided-2"),
        Binding("3", "score(3)", "3", show=False, id="guided-3"),
        Binding("4", "score(4)", "4", show=False, id="guided-4"),
        Binding("5", "score(5)", "5", show=False, id="guided-5"),
        Binding("n", "note", "Note", id="guided-note"),
        Binding("l", "log", "Log interaction", id="log-interaction"),
        Binding("i", "timeline", "Timeline", show=False, id="timeline"),
    ]
    DEFAULT_CSS = """
    GuidedReviewScreen { align: center bottom; background: transparent; }
    GuidedReviewScreen #guided { dock: bottom; height: auto; max-height: 12; width: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """

    class Recorded(Message):
        """The review of the account on screen was saved."""

    class Failed(Message):
        """The review was not saved: ``text`` says why; the scores stay for another try."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(self, session: Session, state: GuidedState, show: Callable[[int], None]) -> None:
        super().__init__()
        self.session = session
        self.state = state
        self.show = show
        self.pending: str | None = None
        self.scores: dict[str, int] = {}
        self.note = ""
        self.busy = False

    @property
    def account_id(self) -> int:
        return self.state.accounts[self.state.position]

    def compose(self) -> ComposeResult:
        with Vertical(id="guided"):
            yield Static("", id="guided-body", markup=False)
            yield Footer()

    def on_mount(self) -> None:
        self._show_account()

    def _show_account(self) -> None:
        self.show(self.account_id)
        previous = self.session.portfolio.reviews(self.account_id)
        last: Review | None = previous[-1] if previous else None
        self.scores = {
            name: getattr(last, name) if last else 3 for name in ("engagement", "loyalty", "satisfaction", "health")
        }
        self.pending = None
        self.note = ""
        self._paint()

    def _paint(self) -> None:
        session = self.session
        p, today = session.portfolio, session.today
        acc = p.account(self.account_id)
        st = self.state
        out = Text()
        out.append(f"Guided review {st.position + 1}/{len(st.accounts)} · ", style="bold")
        if acc is None:
            broken = damaged(p, "accounts", self.account_id, 0)
            why = f"damaged: {clean(broken[0].reason)}" if broken else "deleted"
            out.append(f"(account {why}: s skips)", style="red")
            self.query_one("#guided-body", Static).update(out)
            return
        out.append(clean(acc.name), style="bold cyan")
        due = session.review_due_of(self.account_id)
        if due is not None:
            out.append(f" · {in_words(due, today)}", style="bold red" if due < today else "yellow")
        risks = stakeholder_risks(p.stakeholders(self.account_id), today, session.thresholds) + review_risks(
            acc, p.reviews(self.account_id), today, session.thresholds
        )
        if risks:
            for r in sorted(risks, key=lambda r: -r.severity)[:3]:
                out.append("\n▲ " if r.severity >= 2 else "\n△ ", style="red" if r.severity >= 2 else "yellow")
                out.append(clean(r.message))
            if len(risks) > 3:
                out.append(f"  (+{len(risks) - 3} more in the panes)", style="dim")
        else:
            out.append("\n✓ nothing unusual", style="green")
        out.append("\n")
        for key, name in SCORE_KEYS.items():
            chosen = self.pending == name
            out.append(f"{name} ", style="bold reverse" if chosen else "dim")
            out.append(f"[{self.scores[name]}]", style="bold")
            out.append(f" ({key})   ", style="dim")
        if self.note:
            out.append("\nnote: ", style="dim")
            out.append(clean(self.note))
        if self.pending:
            out.append(f"\n{self.pending}: press 1-5", style="bold yellow")
        self.query_one("#guided-body", Static).update(out)

    def action_pick(self, name: str) -> None:
        self.pending = name
        self._paint()

    def action_score(self, value: int) -> None:
        if self.pending is None:
            self.app.bell()
            return
        self.scores[self.pending] = value
        self.pending = None
        self._paint()

    def action_note(self) -> None:
        def build(v: dict[str, Any]) -> str:
            return str(v["note"])

        def done(note: str | None) -> None:
            if note is not None:
                self.note = note
                self._paint()

        form = FormScreen("Review note", [FormField("note", "Note", value=self.note)], build, lambda n: n)
        self.app.push_screen(form, done)

    def action_log(self) -> None:
        self.app.push_screen(interaction_form(self.session, self.account_id), lambda _: self._paint())

    def action_timeline(self) -> None:
        self.app.push_screen(TimelineScreen(self.session, self.account_id))

    def action_record(self) -> None:
        if self.busy:
            return
        if self.session.portfolio.account(self.account_id) is None:
            self.action_skip()
            return
        review = Review(
            account_id=self.account_id,
            date=self.session.today,
            reviewer=self.session.user,
            notes=self.note,
            **self.scores,
        )
        self.busy = True
        self._save(review)

    @work(thread=True, exclusive=True, group="guided")
    def _save(self, review: Review) -> None:
        try:
            change = self.session.portfolio.record_review(review)
        except Exception as exc:  # noqa: BLE001 - any failure is shown; the scores stay for another try
            self.post_message(self.Failed(f"Review not saved: {exc}"))
            return
        self.session.record(change)
        self.post_message(self.Recorded())

    def on_guided_review_screen_failed(self, message: Failed) -> None:
        self.busy = False
        self.app.notify(message.text, severity="error", markup=False, timeout=8)

    def on_guided_review_screen_recorded(self, message: Recorded) -> None:
        self.busy = False
        st = self.state
        st.reviewed.append(self.account_id)
        st.alerts += self.session.red_alerts(self.account_id)
        self._advance()

    def action_skip(self) -> None:
        self.state.skipped.append(self.account_id)
        self.session.skip(self.account_id)
        self._advance()

    def _advance(self) -> None:
        st = self.state
        st.position += 1
        if st.position >= len(st.accounts):
            self.dismiss(st)
        else:
            self._show_account()

    def action_stop(self) -> None:
        self.dismiss(self.state)


class SummaryScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q,space", "dismiss", "Close", id="summary-close")]
    DEFAULT_CSS = """
    SummaryScreen { align: center middle; }
    SummaryScreen #summary { width: 60; max-width: 100%; height: auto; border: thick $success;
        background: $surface; padding: 1 2; }
    """

    def __init__(self, state: GuidedState, finished: bool) -> None:
        super().__init__()
        self.state = state
        self.finished = finished

    def compose(self) -> ComposeResult:
        st = self.state
        t = Text()
        t.append("Guided review finished\n\n" if self.finished else "Guided review stopped\n\n", style="bold")
        t.append(f"reviewed  {len(st.reviewed)}\n")
        t.append(f"skipped   {len(st.skipped)}\n")
        t.append(f"alerts    {st.alerts}", style="bold red" if st.alerts else "")
        t.append(" (red risks on the reviewed accounts)\n", style="dim")
        left = len(st.accounts) - st.position
        if not self.finished and left:
            t.append(f"\n{left} left: R resumes here today.", style="yellow")
        t.append("\n\nenter closes", style="dim")
        with Vertical(id="summary"):
            yield Static(t, markup=False)
