"""Today: the morning queue (first screen), and the guided review loop over due accounts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from kamtui.domain.cadence import in_words
from kamtui.domain.model import Review
from kamtui.domain.queue import KIND_ORDER, KIND_TITLES, QueueItem, counts
from kamtui.domain.risk import review_risks, stakeholder_risks
from kamtui.domain.text import clean, truncate
from kamtui.store.portfolio import today_queue
from kamtui.ui.owners import NO_OWNER, Owner, OwnerPicker, Pick, nobody_message, owner_key, queue_line

if TYPE_CHECKING:
    from kamtui.ui.app import KamApp

PREVIEW_NOTES = {"reviews": "reading actions and contacts…", "queue": "loading the account list…"}
SMALL = 300  # accounts: below this Today computes its queue at once, above it in a worker
GROUP_LIMIT = 100  # a morning review starts at the top; an OptionList of thousands of rows also stalls
SHORT_TITLES = {"review": "reviews", "action": "actions", "contact": "contacts", "risk": "red alerts"}
SEVERITY_MARK = {2: ("!!", "bold red"), 1: ("! ", "yellow"), 0: ("  ", "dim")}


def _identity(item: QueueItem) -> tuple[object, ...]:
    """What makes a queue item the same item after the queue is computed again (an edit of an
    action's text or a contact's name keeps it; an account has several risks, told by their words)."""
    return (item.kind, item.account_id, item.target_id, item.title if item.kind == "risk" else "")


class TodayList(OptionList):
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # enter opens the item in the account panes: not before the file is read
        return action != "select" or bool(getattr(self.app, "loaded", True))

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", tooltip="Open the item in the account panes, cursor on it"),
        Binding("j", "cursor_down", "Down", show=False),
        Binding("k", "cursor_up", "Up", show=False),
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]


class TodayScreen(Screen[None]):
    """What needs me today: reviews, actions, contacts and red risk alerts, most urgent first."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", tooltip="Open the item in the account panes, cursor on it"),
        Binding("m", "mine", "Mine", tooltip="Only my accounts"),
        Binding("o", "owner", "Owner", show=False, tooltip="Only the queue of an owner you pick"),
        Binding("R", "guided", "Guided review", tooltip="Walk the due accounts one at a time"),
        Binding("tab,escape", "accounts", "Accounts", tooltip="The account list and its panes"),
        Binding("q", "app.quit", "Quit"),
        Binding("question_mark", "app.help", "Help"),
    ]
    DEFAULT_CSS = """
    TodayScreen #today-title { height: 3; padding: 0 1; background: $panel; }
    TodayScreen TodayList, TodayScreen TodayList:focus { height: 1fr; border: none; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="today")
        self.items: list[QueueItem] = []  # shown: everyone's, or the accounts of ``owner``
        self.everyone: list[QueueItem] = []
        self.mine = False
        self.owner = ""  # an owner key; set with `m` (the user) or `o`
        self._own = False  # the items are the app's own computation, not the loader's preview

    @property
    def kam(self) -> KamApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Static("", id="today-title", markup=False)
        yield TodayList(id="today-list")
        yield Footer()

    def on_mount(self) -> None:
        where = "" if self.kam.loaded else f" {self.kam.db_path}"
        self.query_one("#today-title", Static).update(Text(f"Today · loading{where}…", style="bold"))

    def on_screen_resume(self) -> None:
        if self.kam.loaded:  # also right after on_mount: the queue is read once, here
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.kam.loaded or action not in ("open", "mine", "owner", "guided", "accounts")

    def reload(self) -> None:
        self._own = True
        app = self.kam
        # Everyone's queue, shown filtered by owner here: Today counts every owner's items.
        if len(app.rows.rows) <= SMALL:  # a few ms: no thread hop, the first frame has the queue
            self._show(today_queue(app.portfolio, app.today, thresholds=app.thresholds))
            return
        self._load()

    @work(thread=True, exclusive=True, group="today")
    def _load(self) -> None:
        app = self.kam
        # What is due first (fast), then the risk alerts, which read every reviewed account.
        quick = today_queue(app.portfolio, app.today, thresholds=app.thresholds, risks=False)
        app.call_from_thread(self._show, quick, "checking risks…")
        items = today_queue(app.portfolio, app.today, thresholds=app.thresholds)
        app.call_from_thread(self._show, items)

    def _owner_of(self, item: QueueItem) -> str:
        """The key of the owner of the item's account (what the queue's owner filter compares)."""
        row = self.kam.rows.rows.get(item.account_id) if self._own else None
        return owner_key(row.owner if row is not None else item.owner)

    def _owners(self) -> list[Owner]:
        return self.kam.rows.owners(Counter(self._owner_of(it) for it in self.everyone))

    def show_preview(self, stage: str, items: list[QueueItem]) -> None:
        """The queue from the loader's preview while the file loads: the reviews due (read from the
        accounts alone), then all of it; ignored once the app computes its own."""
        if not self._own:
            self._show(items, PREVIEW_NOTES.get(stage, "loading…"))

    def _show(self, items: list[QueueItem], pending: str = "") -> None:
        ol = self.query_one(TodayList)
        keep, keep_index = self.current(), ol.highlighted  # read before the items change
        self.everyone = items
        if self.mine:
            items = [it for it in items if self._owner_of(it) == self.owner]
        self.items = items
        today = self.kam.today
        c = counts(items)
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(f"Today · {today:%a %d %b %Y}", style="bold")
        owners = self._owners() if self._own else []
        if self.mine and self.owner == owner_key(self.kam.rows.user):
            title.append(f" · mine ({clean(self.kam.rows.user)})", style="bold cyan")
        elif self.mine:
            name = next((o.label for o in owners if o.key == self.owner), NO_OWNER)
            title.append(f" · owner {name}", style="bold cyan")
        title.append("\n")
        if not items and not pending:
            title.append("Nothing needs you today.", style="green")
        for n, kind in enumerate(k for k in KIND_ORDER if c[k]):
            if n:
                title.append("  ·  ", style="dim")
            title.append(f"{c[kind]} {SHORT_TITLES[kind]}", style="bold" if kind != "risk" else "bold red")
        if pending:
            title.append(("  ·  " if items else "") + pending, style="dim")
        if owners:
            title.append("\n")
            title.append_text(queue_line(owners, self.owner if self.mine else None))
        width = max(40, self.size.width - 4)
        options: list[Option] = []
        for kind in KIND_ORDER:
            group = [(n, it) for n, it in enumerate(items) if it.kind == kind]
            if not group:
                continue
            options.append(Option(Text(f"{KIND_TITLES[kind]} ({len(group)})", style="bold underline"), disabled=True))
            for n, it in group[:GROUP_LIMIT]:
                options.append(Option(self._line(it, today, width), id=f"{kind}:{n}"))
            if len(group) > GROUP_LIMIT:
                more = Text(f"   … {len(group) - GROUP_LIMIT} more, less urgent: m shows only yours; ", style="dim")
                more.append("kamtui due --format plain lists them all", style="dim italic")
                options.append(Option(more, disabled=True))
        with self.app.batch_update():
            self.query_one("#today-title", Static).update(title)
            ol.set_options(options)
            if options:
                ol.highlighted = self._cursor_for(options, keep, keep_index)
            ol.focus()
        if self.kam.loaded:
            self.app.call_after_refresh(self.kam.ensure_main)

    def _cursor_for(self, options: list[Option], keep: QueueItem | None, index: int | None) -> int:
        """Where the cursor goes in new options: on the item it was on if that is still listed,
        else on the line it was on, else on the first item."""
        if keep is not None:
            wanted = _identity(keep)
            for i, option in enumerate(options):
                if option.id is not None and _identity(self.items[int(option.id.split(":")[1])]) == wanted:
                    return i
        if index is not None and index < len(options) and not options[index].disabled:
            return index
        return next((i for i, o in enumerate(options) if not o.disabled), 0)

    @staticmethod
    def _line(it: QueueItem, today: dt.date, width: int) -> Text:
        mark, style = SEVERITY_MARK[it.severity]
        t = Text(no_wrap=True, overflow="ellipsis")
        t.append(mark + " ", style=style)
        when = in_words(it.due, today) if it.due else ("red" if it.severity >= 2 else "amber")
        t.append(f"{when:<9} ", style=style)
        acc_w = 27 if width >= 100 else 19
        t.append(f"{truncate(clean(it.account), acc_w - 1):<{acc_w}}", style="bold")
        if it.kind == "review":
            t.append(clean(it.detail))
        elif it.kind == "contact":
            t.append(clean(it.title), style="bold")
            t.append(f"  {clean(it.detail)}", style="dim")
        else:
            t.append(clean(it.title))
            if it.kind == "action":
                t.append(f"  {clean(it.detail)}", style="dim")
        t.truncate(width, overflow="ellipsis")
        return t

    def current(self) -> QueueItem | None:
        opt = self.query_one(TodayList).highlighted_option
        if opt is None or opt.id is None:
            return None
        return self.items[int(opt.id.split(":")[1])]

    async def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        await self.action_open()

    async def action_open(self) -> None:
        item = self.current()
        if item is not None and self.kam.loaded:  # enter on the list reaches here unchecked
            await self.kam.ensure_main()
            self.kam.open_item(item)

    def action_mine(self) -> None:
        rows = self.kam.rows
        if self.mine and self.owner == owner_key(rows.user):
            self.mine = False
        elif not rows.owns_any(rows.user):  # an empty queue would read as "nothing needs you"
            self.app.notify(nobody_message(rows.user, rows.owners()), markup=False, timeout=8)
            return
        else:
            self.mine, self.owner = True, owner_key(rows.user)
        self._show(self.everyone)

    def action_owner(self) -> None:
        def chosen(pick: Pick | None) -> None:
            if pick is not None:
                self.mine, self.owner = pick.owner is not None, pick.owner or ""
                self._show(self.everyone)

        self.app.push_screen(OwnerPicker(self._owners(), self.owner if self.mine else None, self.kam.rows.user), chosen)

    async def action_guided(self) -> None:
        await self.kam.ensure_main()
        self.kam.start_guided_review(mine=self.mine, owner=self.owner)

    async def action_accounts(self) -> None:
        await self.kam.ensure_main()
        self.kam.leave_today()


# ------------------------------------------------------------------ guided review
SCORE_KEYS = {"g": "engagement", "y": "loyalty", "a": "satisfaction", "h": "health"}


@dataclass
class GuidedState:
    accounts: list[int]
    position: int = 0
    reviewed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    alerts: int = 0


class GuidedReviewScreen(ModalScreen[GuidedState]):
    """A bar over the account panes. Keys: g/y/a/h then 1-5, n note, l log, enter record, s skip, q stop."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "record", "Record", tooltip="Record the review with these scores and move on"),
        Binding("s", "skip", "Skip"),
        Binding("q,escape", "stop", "Stop", tooltip="Stop; coming back today resumes here"),
        Binding("g", "pick('engagement')", "engaGement"),
        Binding("y", "pick('loyalty')", "loYalty"),
        Binding("a", "pick('satisfaction')", "sAtisfaction", show=False),
        Binding("h", "pick('health')", "Health"),
        Binding("1", "score(1)", "1", show=False),
        Binding("2", "score(2)", "2", show=False),
        Binding("3", "score(3)", "3", show=False),
        Binding("4", "score(4)", "4", show=False),
        Binding("5", "score(5)", "5", show=False),
        Binding("n", "note", "Note"),
        Binding("l", "log", "Log interaction"),
        Binding("i", "timeline", "Timeline", show=False),
    ]
    DEFAULT_CSS = """
    GuidedReviewScreen { align: center bottom; background: transparent; }
    GuidedReviewScreen #guided { dock: bottom; height: auto; max-height: 12; width: 100%;
        border: thick $accent; background: $surface; padding: 0 1; }
    """

    def __init__(self, state: GuidedState) -> None:
        super().__init__()
        self.state = state
        self.pending: str | None = None
        self.scores: dict[str, int] = {}
        self.note = ""
        self.busy = False

    @property
    def kam(self) -> KamApp:
        return self.app  # type: ignore[return-value]

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
        self.kam.go_to_account(self.account_id, focus=False)
        previous = self.kam.portfolio.reviews(self.account_id)
        last: Review | None = previous[-1] if previous else None
        self.scores = {
            name: getattr(last, name) if last else 3 for name in ("engagement", "loyalty", "satisfaction", "health")
        }
        self.pending = None
        self.note = ""
        self._paint()

    def _paint(self) -> None:
        p, today = self.kam.portfolio, self.kam.today
        acc = p.account(self.account_id)
        st = self.state
        out = Text()
        out.append(f"Guided review {st.position + 1}/{len(st.accounts)} · ", style="bold")
        if acc is None:
            from kamtui.ui.damage import damaged

            broken = damaged(p, "accounts", self.account_id, 0)
            why = f"damaged: {clean(broken[0].reason)}" if broken else "deleted"
            out.append(f"(account {why}: s skips)", style="red")
            self.query_one("#guided-body", Static).update(out)
            return
        out.append(clean(acc.name), style="bold cyan")
        due_item = self.kam.review_due_of(self.account_id)
        if due_item is not None:
            out.append(f" · {in_words(due_item, today)}", style="bold red" if due_item < today else "yellow")
        risks = stakeholder_risks(p.stakeholders(self.account_id), today, self.kam.thresholds) + review_risks(
            acc, p.reviews(self.account_id), today, self.kam.thresholds
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
        from kamtui.ui.forms import FormField, FormScreen

        def build(v: dict[str, Any]) -> str:
            return str(v["note"])

        def done(note: str | None) -> None:
            if note is not None:
                self.note = note
                self._paint()

        self.app.push_screen(
            FormScreen("Review note", [FormField("note", "Note", value=self.note)], build, lambda n: n), done
        )

    def action_log(self) -> None:
        from kamtui.ui.activity import interaction_form

        self.app.push_screen(interaction_form(self.kam, self.account_id), lambda _: self._paint())

    def action_timeline(self) -> None:
        from kamtui.ui.activity import TimelineScreen

        self.app.push_screen(TimelineScreen(self.kam, self.account_id))

    def action_record(self) -> None:
        if self.busy:
            return
        acc = self.kam.portfolio.account(self.account_id)
        if acc is None:
            self.action_skip()
            return
        review = Review(
            account_id=self.account_id,
            date=self.kam.today,
            reviewer=self.kam.user,
            notes=self.note,
            **self.scores,
        )
        self.busy = True
        self._save(review)

    @work(thread=True, exclusive=True, group="guided")
    def _save(self, review: Review) -> None:
        try:
            change = self.kam.portfolio.record_review(review)
        except Exception as exc:  # noqa: BLE001 - shown; the scores stay for another try
            self.app.call_from_thread(self._failed, exc)
            return
        self.kam.record(change, None)
        self.app.call_from_thread(self._recorded)

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.app.notify(f"Review not saved: {exc}", severity="error", markup=False, timeout=8)

    def _recorded(self) -> None:
        self.busy = False
        st = self.state
        st.reviewed.append(self.account_id)
        st.alerts += self.kam.red_alerts(self.account_id)
        self._advance()

    def action_skip(self) -> None:
        self.state.skipped.append(self.account_id)
        self.kam.save_skipped(self.account_id)
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
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,enter,q,space", "dismiss", "Close")]
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
