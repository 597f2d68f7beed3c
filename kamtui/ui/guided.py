"""The guided review: a bar over the account panes that walks the due accounts one at a time.

Per account it says what changed since the last review (kamtui.domain.changes) and lists,
numbered, what needs acting on (kamtui.domain.agenda: due and late
actions, people to contact, risks, off-track KPIs) with the last review's note and the next
step, and acts on the selected item in place: space ticks an action, d puts it off (with why,
counted), + / - change the person's attitude (with why), l logs a contact with them; X ticks
every action listed at once and L logs one contact with everyone listed to contact; u undoes
the last change (and takes it out of what the review says was done). g/y/a/h then 1-5 score,
n adds a note, enter records the review (what was done and how long it took go with it), s
skips, q stops. Scores and notes are kept when it stops and resumes the same day."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from kamtui.domain.agenda import Agenda, AgendaItem, ReviewDraft, deferred_words
from kamtui.domain.cadence import in_words
from kamtui.domain.changes import Moved
from kamtui.domain.model import FRIENDLINESS_LABELS, Action, Review, Stakeholder
from kamtui.domain.text import clean
from kamtui.i18n import N_, _
from kamtui.store.agenda import account_agenda, account_changes
from kamtui.store.portfolio import Change
from kamtui.ui.change_texts import changes_line
from kamtui.ui.damage import damaged
from kamtui.ui.everywhere import everywhere_bindings
from kamtui.ui.footer import FittingFooter
from kamtui.ui.guided_summary import GuidedState
from kamtui.ui.guided_texts import SCORE_KEYS, context_lines, items_text, scores_text
from kamtui.ui.messages import DataChanged
from kamtui.ui.session import Session

MEASURES = tuple(SCORE_KEYS.values())


class GuidedReviewScreen(ModalScreen[GuidedState]):
    """A bar over the account panes. ``show`` puts an account in the panes behind the bar (the
    main screen's, given by it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "record",
            N_("Record"),
            tooltip=N_("Record the review with these scores and move on"),
            id="guided-record",
        ),
        Binding("s", "skip", N_("Skip"), id="guided-skip"),
        Binding("q,escape", "stop", N_("Stop"), tooltip=N_("Stop; coming back today resumes here"), id="guided-stop"),
        Binding("j,down", "move(1)", N_("Next item"), show=False, id="guided-next"),
        Binding("k,up", "move(-1)", N_("Previous item"), show=False, id="guided-previous"),
        Binding("space", "tick", N_("Done"), tooltip=N_("Tick the selected action"), id="guided-tick"),
        Binding(
            "X",
            "tick_all",
            N_("All done"),
            show=False,  # the selected action's line shows it: the footer keeps to 80 columns
            tooltip=N_("Tick every action listed, in one change"),
            id="guided-tick-all",
        ),
        Binding(
            "d", "defer", N_("Put off"), tooltip=N_("Put the selected action off: why and to when"), id="guided-defer"
        ),
        Binding("plus", "attitude(1)", N_("Friendlier"), show=False, id="guided-warmer"),
        Binding("minus", "attitude(-1)", N_("Colder"), show=False, id="guided-cooler"),
        Binding("l", "log", N_("Log"), tooltip=N_("Log a contact with the selected person"), id="log-interaction"),
        Binding(
            "L",
            "log_all",
            N_("Log all"),
            show=False,  # the selected person's line shows it
            tooltip=N_("Log one contact with everyone listed to contact"),
            id="guided-log-all",
        ),
        Binding("u", "undo", N_("Undo"), show=False, tooltip=N_("Undo the last change"), id="undo"),
        Binding("g", "pick('engagement')", N_("Score engagement (then 1-5)"), show=False, id="guided-engagement"),
        Binding("y", "pick('loyalty')", N_("Score loyalty (then 1-5)"), show=False, id="guided-loyalty"),
        Binding("a", "pick('satisfaction')", N_("Score satisfaction (then 1-5)"), show=False, id="guided-satisfaction"),
        Binding("h", "pick('health')", N_("Score health (then 1-5)"), show=False, id="guided-health"),
        *[
            Binding(
                str(n),
                f"number({n})",
                N_("Item by number, or score 1-5") if n <= 5 else N_("Item by number"),  # help lists the keys together
                show=False,
                id=f"guided-{n}",
            )
            for n in range(1, 10)
        ],
        Binding("n", "note", N_("Note"), id="guided-note"),
        Binding("i", "timeline", N_("Timeline"), show=False, id="timeline"),
        # A modal screen does not pass keys on to the app's bindings: ? and T are bound here too.
        Binding("question_mark", "app.help", N_("Help"), show=False, id="help"),
        *everywhere_bindings(),
    ]
    DEFAULT_CSS = """
    GuidedReviewScreen { align: center bottom; background: transparent; }
    GuidedReviewScreen #guided { dock: bottom; height: auto; max-height: 17; width: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """

    class Recorded(Message):
        """The review of the account on screen was saved."""

    class Failed(Message):
        """A write of the loop was not saved: ``text`` says why; what was entered stays."""

        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    class Done(Message):
        """Actions of ``account`` were ticked from the loop (``texts`` say what, for the review's
        record; ``change`` is what undo reverts)."""

        def __init__(self, account: int, texts: list[str], change: Change) -> None:
            super().__init__()
            self.account = account
            self.texts = texts
            self.change = change

    class ActEnded(Message):
        """A tick's save ended (done or not): posted after its Done or Failed."""

    def __init__(self, session: Session, state: GuidedState, show: Callable[[int], None]) -> None:
        super().__init__()
        self.session = session
        self.state = state
        self.show = show
        self.pending: str | None = None
        self.busy = False
        # Ticks still saving, and enter pressed meanwhile: the review waits for them, so that
        # what they did is in its record ("space enter" typed fast recorded it without).
        self.acting = 0
        self.record_waiting = False
        self.agenda = Agenda(0, (), None, None)
        self.since: dt.date | None = None  # the last review's date, and what changed since
        self.changes: list[Moved] = []
        self._since = time.monotonic()  # when the account on screen was shown (or the loop resumed)

    @property
    def account_id(self) -> int:
        return self.state.accounts[self.state.position]

    @property
    def draft(self) -> ReviewDraft:
        """The review in progress for the account on screen (started from the last review's scores)."""
        drafts = self.session.review_drafts
        draft = drafts.get(self.account_id)
        if draft is None:
            previous = self.session.portfolio.reviews(self.account_id)
            last: Review | None = previous[-1] if previous else None
            draft = ReviewDraft({m: getattr(last, m) if last else 3 for m in MEASURES})
            drafts[self.account_id] = draft
        return draft

    def compose(self) -> ComposeResult:
        with Vertical(id="guided"):
            yield Static("", id="guided-body", markup=False)
            yield FittingFooter()

    def on_mount(self) -> None:
        self._show_account()

    def on_resize(self, event: events.Resize) -> None:
        self._paint()

    def on_data_changed(self, message: DataChanged) -> None:
        if self.state.position < len(self.state.accounts):
            self._load()  # a tick, a log, an attitude: the agenda follows what was saved
            self._paint()

    # ------------------------------------------------------------ the account on screen
    def _show_account(self) -> None:
        self.show(self.account_id)
        self._since = time.monotonic()
        self.pending = None
        self._load()
        self._paint()

    def _load(self) -> None:
        s = self.session
        self.agenda = account_agenda(s.portfolio, self.account_id, s.today, s.thresholds)
        self.since, self.changes = account_changes(s.portfolio, self.account_id, s.today, s.thresholds)
        draft = self.draft
        draft.selected = max(0, min(draft.selected, len(self.agenda.items) - 1))

    def _spent(self) -> None:
        """Add the time since the account was shown to its draft (it is leaving the screen)."""
        now = time.monotonic()
        self.draft.seconds += now - self._since
        self._since = now

    def selected(self) -> AgendaItem | None:
        items = self.agenda.items
        return items[self.draft.selected] if items else None

    def _paint(self) -> None:
        if self.state.position >= len(self.state.accounts):
            return
        session = self.session
        p, today = session.portfolio, session.today
        acc = p.account(self.account_id)
        st = self.state
        width = max(40, self.size.width - 4)
        out = Text()
        out.append(
            _("Guided review {n}/{total}").format(n=st.position + 1, total=len(st.accounts)) + " · ", style="bold"
        )
        if acc is None:
            broken = damaged(p, "accounts", self.account_id, 0)
            if broken:
                gone = _("(account damaged: {reason}: s skips)").format(reason=clean(broken[0].reason))
            else:
                gone = _("(account deleted: s skips)")
            out.append(gone, style="red")
            self.query_one("#guided-body", Static).update(out)
            return
        out.append(clean(acc.name), style="bold cyan")
        due = session.review_due_of(self.account_id)
        if due is not None:
            out.append(f" · {in_words(due, today)}", style="bold red" if due < today else "yellow")
        changed = changes_line(self.since, self.changes, today, width)
        if changed:
            out.append("\n").append_text(changed)
        out.append("\n")
        out.append_text(context_lines(self.agenda, today, width))
        out.append("\n")
        deferred = {a.id: deferred_words(a.deferred) for a in p.actions(self.account_id) if a.id is not None}
        out.append_text(items_text(self.agenda, self.draft.selected, width, deferred))
        out.append("\n")
        draft = self.draft
        out.append_text(scores_text(draft.scores, self.pending, draft.note, draft.done, width))
        self.query_one("#guided-body", Static).update(out)

    # ------------------------------------------------------------ scores and note
    def action_pick(self, name: str) -> None:
        self.pending = name
        self._paint()

    def action_number(self, n: int) -> None:
        """1-5 scores the measure picked with g/y/a/h; otherwise a number selects that item."""
        if self.pending is not None:
            if n > 5:
                self.app.bell()
                return
            self.draft.scores[self.pending] = n
            self.pending = None
        elif n <= len(self.agenda.items):
            self.draft.selected = n - 1
        else:
            self.app.bell()
            return
        self._paint()

    def action_move(self, step: int) -> None:
        items = self.agenda.items
        if items:
            self.draft.selected = max(0, min(len(items) - 1, self.draft.selected + step))
            self._paint()

    def action_note(self) -> None:
        from kamtui.ui.forms import FormField, FormScreen

        draft = self.draft

        def build(v: dict[str, Any]) -> str:
            return str(v["note"])

        def done(note: str | None) -> None:
            if note is not None:
                draft.note = note
                self._paint()

        form = FormScreen(_("Review note"), [FormField("note", _("Note"), value=draft.note)], build, lambda n: n)
        self.app.push_screen(form, done)

    def action_timeline(self) -> None:
        from kamtui.ui.activity import TimelineScreen

        self.app.push_screen(TimelineScreen(self.session, self.account_id))

    # ------------------------------------------------------------ acting on the selected item
    def _action(self) -> Action | None:
        entry = self.selected()
        if entry is None or entry.action_id is None:
            self._say(_("Select an action first (j/k or its number): space ticks it, d puts it off"))
            return None
        found = next((a for a in self.session.portfolio.actions(self.account_id) if a.id == entry.action_id), None)
        if found is None:
            self.app.bell()
        return found

    def _person(self) -> Stakeholder | None:
        entry = self.selected()
        sid = entry.stakeholder_id if entry is not None else None
        if sid is None:
            return None
        return next((s for s in self.session.portfolio.stakeholders(self.account_id) if s.id == sid), None)

    def _say(self, text: str) -> None:
        self.app.notify(text, timeout=4, markup=False)

    def _did(self, text: str) -> Callable[[Any], None]:
        """A form's callback: once it saved (a result, not a cancel), note what was done."""
        account = self.account_id

        def done(result: Any) -> None:
            if result is not None:
                self._note_done(account, [text], result if isinstance(result, Change) else None)

        return done

    def _note_done(self, account: int, texts: list[str], change: Change | None) -> None:
        self.session.review_done(account, texts, change)
        self._paint()

    def action_tick(self) -> None:
        action = self._action()
        if action is None or self.session.refuse_if_read_only():
            return
        self._tick([action])

    def action_tick_all(self) -> None:
        """Tick every action the agenda lists (due and late), in one change that one u undoes."""
        ids = [e.action_id for e in self.agenda.items if e.action_id is not None]
        actions = [a for a in self.session.portfolio.actions(self.account_id) if a.id in ids and not a.done]
        if not actions:
            self._say(_("No action listed to tick"))
            return
        if self.session.refuse_if_read_only():
            return
        self._tick(actions)

    def _tick(self, actions: list[Action]) -> None:
        self.acting += 1
        self._save_tick(actions)

    @work(thread=True, group="guided-act")
    def _save_tick(self, actions: list[Action]) -> None:
        account = self.account_id
        try:
            if len(actions) == 1:
                new, change = self.session.portfolio.toggle_action(actions[0])
                said = _("ticked: {action}") if new.done else _("unticked: {action}")
                texts = [said.format(action=actions[0].text)]
            else:
                change = self.session.portfolio.tick_actions(actions)
                texts = [_("ticked: {action}").format(action=a.text) for a in actions]
        except Exception as exc:  # noqa: BLE001 - any failure is shown; nothing changed
            self.post_message(self.Failed(_("Not saved: {error}").format(error=exc)))
        else:
            self.session.record(change, ("plan", f"a:{actions[0].id}"))
            self.post_message(self.Done(account, texts, change))
        finally:
            # After Done or Failed. Not an exclusive worker: one cancelled before it ran would
            # never say it ended, and a review waiting for it would wait for ever.
            self.post_message(self.ActEnded())

    def on_guided_review_screen_act_ended(self) -> None:
        self.acting -= 1
        if not self.acting and self.record_waiting:
            self.record_waiting = False
            self.action_record()

    def on_guided_review_screen_done(self, message: Done) -> None:
        self._note_done(message.account, message.texts, message.change)

    def action_undo(self) -> None:
        """Undo the last change (what the review says was done loses it: see Session.undo)."""
        self.session.undo()
        self._paint()

    def action_defer(self) -> None:
        from kamtui.ui.review_forms import defer_form

        action = self._action()
        if action is not None:
            self.app.push_screen(
                defer_form(self.session, action), self._did(_("put off: {action}").format(action=action.text))
            )

    def action_attitude(self, step: int) -> None:
        from kamtui.ui.entity_forms import attitude_form

        person = self._person()
        if person is None:
            self._say(_("Select a person first (a contact or a risk about someone): + and - change their attitude"))
            return
        target = max(-2, min(2, person.friendliness + step))
        if target == person.friendliness:
            self.app.bell()
            return
        was, now = _(FRIENDLINESS_LABELS[person.friendliness]), _(FRIENDLINESS_LABELS[target])
        what = f"{person.name}: {was} → {now}"
        self.app.push_screen(attitude_form(self.session, person, target), self._did(what))

    def action_log(self) -> None:
        from kamtui.ui.entity_forms import interaction_form

        person = self._person()
        if person is not None:
            self._log_with([person])
        else:
            self.app.push_screen(interaction_form(self.session, self.account_id), self._did(_("logged an interaction")))

    def action_log_all(self) -> None:
        """One contact (a meeting) with everyone the agenda lists to contact or losing touch."""
        wanted = [e.stakeholder_id for e in self.agenda.items if e.kind in ("contact", "losing_touch")]
        people = {s.id: s for s in self.session.portfolio.stakeholders(self.account_id)}
        listed = [people[i] for i in dict.fromkeys(wanted) if i in people]
        if not listed:
            self._say(_("Nobody listed to contact: l logs a contact with the selected person"))
            return
        self._log_with(listed)

    def _log_with(self, people: list[Stakeholder]) -> None:
        from kamtui.ui.review_forms import quick_log_form

        names = ", ".join(p.name for p in people)
        self.app.push_screen(
            quick_log_form(self.session, self.account_id, people),
            self._did(_("logged a contact with {names}").format(names=names)),
        )

    # ------------------------------------------------------------ record, skip, stop
    def action_record(self) -> None:
        if self.busy:
            return
        if self.acting:  # recorded once the ticks saving now are in the review's words
            self.record_waiting = True
            return
        if self.session.portfolio.account(self.account_id) is None:
            self.action_skip()
            return
        self._spent()
        draft = self.draft
        sc = draft.scores
        review = Review(
            account_id=self.account_id,
            date=self.session.today,
            reviewer=self.session.user,
            notes=draft.note,
            engagement=sc["engagement"],
            loyalty=sc["loyalty"],
            satisfaction=sc["satisfaction"],
            health=sc["health"],
            seconds=round(draft.seconds),
            done=list(draft.done),
        )
        self.busy = True
        self._save(review)

    @work(thread=True, exclusive=True, group="guided")
    def _save(self, review: Review) -> None:
        try:
            change = self.session.portfolio.record_review(review)
        except Exception as exc:  # noqa: BLE001 - any failure is shown; the scores stay for another try
            self.post_message(self.Failed(_("Review not saved: {error}").format(error=exc)))
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
        self.session.review_drafts.pop(self.account_id, None)  # recorded: nothing left in progress
        st.alerts += self.session.red_alerts(self.account_id)
        self._advance()

    def action_skip(self) -> None:
        self._spent()
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
        if self.state.position < len(self.state.accounts):
            self._spent()  # the draft keeps its scores, note and time for when it resumes
        self.dismiss(self.state)
