"""Today: the morning queue, the first screen kamtui shows, pushed over the main screen.

Today reads the queue itself (at once for a small portfolio, else in a worker, the quick part
first) and asks for the rest by message: opening an item, the guided review and the way back
to the accounts are the main screen's, which the app hands them to.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kamtui.domain.agenda import person_id
from kamtui.domain.formats import day_title
from kamtui.domain.owners import NO_OWNER, Owner, owner_key
from kamtui.domain.queue import KIND_ORDER, KIND_TITLES, QueueItem, counts
from kamtui.domain.text import clean
from kamtui.i18n import N_, _
from kamtui.store.today import today_queue
from kamtui.ui.compat import redraw_after_start_up
from kamtui.ui.first_run import first_run_text
from kamtui.ui.footer import FittingFooter
from kamtui.ui.messages import DataChanged, PreviewStage
from kamtui.ui.notices import show_read_only
from kamtui.ui.owners import OwnerPicker, Pick, nobody_message
from kamtui.ui.owners import queue_line as owners_line
from kamtui.ui.rich_content import ContentMaker
from kamtui.ui.session import Session
from kamtui.ui.shared_keys import SharedKeysScreen, shared_bindings
from kamtui.ui.today_texts import counts_line, more_note, queue_line, why_text

PREVIEW_NOTES = {"reviews": N_("reading actions and contacts…"), "queue": N_("loading the account list…")}
SMALL = 300  # accounts: below this Today computes its queue at once, above it in a worker
GROUP_LIMIT = 100  # a morning review starts at the top; an OptionList of thousands of rows also stalls
LINE_MIN = 40  # the fewest columns a queue line is made to (see the list's CSS: below, it wraps them)
LINES_KEPT = 4096  # queue lines kept made (a few groups' worth, at a width or two)


def _identity(item: QueueItem) -> tuple[object, ...]:
    """What makes a queue item the same item after the queue is computed again (an edit of an
    action's text or a contact's name keeps it; an account has several risks, told by their words,
    and a plan flag's target is an objective or an action, told by its detail)."""
    told = item.title if item.kind == "risk" else item.detail if item.kind == "plan" else ""
    return (item.kind, item.account_id, item.target_id, told)


class TodayList(OptionList):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "select",
            N_("Open"),
            tooltip=N_("Open the item in the account panes, cursor on it"),
            id="today-open",
        ),
        # The moves are priority bindings, as Today's enter is (TodayScreen): run as each key is
        # read, so that keys read in one go act in the order typed (j j enter opens the third
        # item: as plain bindings, the moves were still on their way to the list when enter ran).
        Binding("j,down", "cursor_down", N_("Down"), show=False, id="cursor-down", priority=True),
        Binding("k,up", "cursor_up", N_("Up"), show=False, id="cursor-up", priority=True),
        Binding("g,home", "first", N_("First"), show=False, id="first", priority=True),
        Binding("G,end", "last", N_("Last"), show=False, id="last", priority=True),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="page-down", priority=True),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="page-up", priority=True),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__(id="today-list")
        self.session = session

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # enter opens the item in the account panes: not before the file is read
        return action != "select" or self.session.loaded


class TodayScreen(SharedKeysScreen[None]):
    """What needs me today: reviews, actions, contacts and red risk alerts, most urgent first.
    The shared keys act on the highlighted item's account (``l`` ticks its contact)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Switching screens, the app's own (priority) actions: they run as the key is read, so the
        # keys typed after it reach the screen switched to, not Today (see KamApp.action_leave_today).
        Binding(
            "enter",
            "app.open_today_item",
            N_("Open"),
            tooltip=N_("Open the item in the account panes, cursor on it"),
            id="today-open",
            priority=True,
        ),
        Binding("m", "mine", N_("Mine"), tooltip=N_("Only my accounts"), id="only-mine"),
        Binding(
            "o", "owner", N_("Owner"), show=False, tooltip=N_("Only the queue of an owner you pick"), id="pick-owner"
        ),
        Binding(
            "R",
            "app.guided_review",
            N_("Guided review"),
            tooltip=N_("Walk the due accounts one at a time"),
            id="guided-review",
            priority=True,
        ),
        Binding(
            "tab,escape",
            "app.leave_today",
            N_("Accounts"),
            tooltip=N_("The account list and its panes"),
            id="today-leave",
            priority=True,
        ),
        Binding("q", "app.quit", N_("Quit"), id="quit"),
        Binding("question_mark", "app.help", N_("Help"), id="help"),
        # t is here already; zoom, the tabs and ctrl+l act on the account panes, which Today hides.
        *shared_bindings(leave_out=("today", "guided-review")),
    ]
    DEFAULT_CSS = """
    TodayScreen #today-title { height: 3; padding: 0 1; background: $panel; }
    TodayScreen #first-run { display: none; height: auto; padding: 0 1; }
    /* Each line is made to fit the width (queue_line): measured as one, not wrapped (~2x quicker). */
    TodayScreen TodayList, TodayScreen TodayList:focus {
        height: 1fr; border: none; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis;
    }
    /* Narrower than the 40 columns a line is made to: wrapped, so that no line loses its title. */
    TodayScreen TodayList.-narrow { text-wrap: wrap; }
    """

    class Open(Message):
        """Show this item in the account panes, the cursor on it."""

        def __init__(self, item: QueueItem) -> None:
            super().__init__()
            self.item = item

    class Shown(Message):
        """Today has painted the app's own queue: what waited behind it may be built now."""

    class Complete(Message):
        """Today shows the app's own whole queue: the loader's preview is no longer needed."""

    class Queue(Message):
        """The queue computed in a worker (``pending``: what is still being computed). A newer
        queue replaces one still waiting to be shown."""

        def __init__(self, items: list[QueueItem], pending: str = "") -> None:
            super().__init__()
            self.items = items
            self.pending = pending

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TodayScreen.Queue)

    def __init__(self, session: Session) -> None:
        super().__init__(id="today")
        self.session = session
        self.items: list[QueueItem] = []  # shown: everyone's, or the accounts of ``owner``
        self.everyone: list[QueueItem] = []
        self.mine = False
        self.owner = ""  # an owner key; set with `m` (the user) or `o`
        self._own = False  # the items are the app's own computation, not the loader's preview
        self._whole = False  # the app's own whole queue (risks and all) has been shown
        self._previewed = False  # the loader's preview showed a queue
        self._shown = False  # Shown was posted
        self._width: int | None = None  # the screen's width the lines were cut to (None: none made yet)
        self._pending = ""  # what is still being computed, said in the title
        self._head = Text()  # the title's first line, and the rest (kept: the rank changes with the cursor)
        self._rest = Text()
        self._lines: list[Content] = []  # the lines the list shows, and the item on each (None: none)
        self._shown_items: list[QueueItem | None] = []
        #: Where Today last put the cursor, and whether the user has moved it since it opened:
        #: until they do, it stays on the most urgent item as the queue changes (the preview's
        #: first lines, the reviews due, come in another order than the whole queue's).
        self._placed: int | None = None
        self._moved = False
        #: Lines made, by item, day and width: as the list's Content (what it makes of a Text), so
        #: that the list measures each once (Content keeps its height), not every line on every
        #: change: ~30% of what another session's edit cost a session in a team.
        self._made: dict[tuple[QueueItem, dt.date, int], Content] = {}
        self._maker: ContentMaker | None = None  # made with the app's console, once mounted

    def compose(self) -> ComposeResult:
        yield Static("", id="today-title", markup=False)
        yield Static("", id="first-run", markup=False)
        yield TodayList(self.session)
        yield FittingFooter()

    def on_mount(self) -> None:
        if self.session.loaded:
            loading = _("Today · loading…")
        else:
            loading = _("Today · loading {file}…").format(file=self.session.path)
        self.query_one("#today-title", Static).update(Text(loading, style="bold"))
        show_read_only(self, self.session.read_only_reason)

    def on_screen_resume(self) -> None:
        if self.session.loaded:  # also right after on_mount: the queue is read once, here
            self.reload()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.session.loaded  # every key of Today's own needs the data (q and ? are the app's)

    def loaded(self) -> None:
        """The file has been read: the app's own queue replaces the preview (kept as its own if it
        was computed from the very state the store holds: see kamtui.report.preview)."""
        show_read_only(self, self.session.read_only_reason)
        self.refresh_bindings()  # the keys that waited for the data show in the footer again
        self.reload()

    @property
    def complete(self) -> bool:
        """The app's own whole queue has been shown."""
        return self._whole

    def on_data_changed(self, message: DataChanged) -> None:
        self.reload()  # any account's change can add or settle an item

    def reload(self) -> None:
        self._own = True
        session = self.session
        # Everyone's queue, shown filtered by owner here: Today counts every owner's items.
        if session.store.count("accounts") <= SMALL:  # a few ms: no thread hop, the first frame has the queue
            self._show(session.queue.queue(session.today))
            return
        self._load()

    @work(thread=True, exclusive=True, group="today")
    def _load(self) -> None:
        s = self.session
        # What is due first (fast), then the risk alerts, which read every reviewed account. Once
        # a whole queue is on screen (a change since: an edit here or in another session) the
        # quick one would only replace it with less for a moment: the whole one is computed alone.
        # So is one the loader's preview computed from the state read (TodayCache.offer), and one
        # after the preview showed what is due: the quick part would only delay the whole one.
        if not (self._whole or self._previewed or s.queue.warm(s.today)):
            quick = today_queue(s.portfolio, s.today, thresholds=s.thresholds, risks=False)
            self.post_message(self.Queue(quick, _("checking risks…")))
        if self._previewed and not s.queue.warm(s.today):
            s.wait_for_preview()  # its queue is usually done first: computed here, it would come later
        # Kept between changes: only the accounts a change named are computed again.
        self.post_message(self.Queue(s.queue.queue(s.today)))

    def _owner_of(self, item: QueueItem) -> str:
        """The key of the owner of the item's account (what the queue's owner filter compares)."""
        row = self.session.rows.rows.get(item.account_id) if self._own else None
        return owner_key(row.owner if row is not None else item.owner)

    def _owners(self) -> list[Owner]:
        rows = self.session.rows.rows if self._own else {}
        spelled = Counter(r.owner if (r := rows.get(it.account_id)) is not None else it.owner for it in self.everyone)
        queue: Counter[str] = Counter()
        for name, n in spelled.items():  # each spelling once: thousands of items, a few owners
            queue[owner_key(name)] += n
        return self.session.rows.owners(queue)

    def on_today_screen_queue(self, message: Queue) -> None:
        self._show(message.items, message.pending)

    def on_preview_stage(self, message: PreviewStage) -> None:
        """The queue from the loader's preview while the file loads: the reviews due (read from the
        accounts alone), then all of it; ignored once the app computes its own."""
        if not self._own:
            self._previewed = True
            self._show(message.items, _(PREVIEW_NOTES.get(message.stage, N_("loading…"))))
            self.call_after_refresh(self.session.first_screen.set)  # the file's read may start

    def _show(self, items: list[QueueItem], pending: str = "") -> None:
        ol = self.query_one(TodayList)
        keep, keep_index = self.current(), ol.highlighted  # read before the items change
        self._moved = self._moved or ol.highlighted != self._placed
        if not self._moved:
            keep, keep_index = None, None  # the first item, as the new order has it
        self.everyone = items
        complete = self._own and not pending
        if complete and not self._whole:
            self.post_message(self.Complete())
        self._whole = self._whole or complete
        if self.mine:
            items = [it for it in items if self._owner_of(it) == self.owner]
        self.items = items
        self._pending = pending
        first_run = self._own and not self.session.rows.rows  # no account at all: say how to begin
        with self.app.batch_update():
            self._title(first_run)  # shown by _fill, with the highlighted item's rank
            welcome = self.query_one("#first-run", Static)
            welcome.display = first_run
            if first_run:
                welcome.update(first_run_text(self.session.path, on_today=True))
            self._fill(keep, keep_index)
            self._placed = ol.highlighted
            ol.focus()
        if self._own and not self._shown:
            self._shown = True
            self.call_after_refresh(redraw_after_start_up, self)  # its first frame may be dropped
            # Shown mounts the panes under Today (~50 ms of widgets): after the frame that has
            # the title too (its new height takes the frame after the list's), not before it.
            self.call_after_refresh(self.call_after_refresh, self.post_message, self.Shown())

    def _title(self, first_run: bool) -> None:
        """Today's date and whose queue (then the highlighted item's rank: :meth:`_show_title`), the
        count of each group (in fewer words when narrow), the owners: three lines whatever the width."""
        items, pending = self.items, self._pending
        title = Text(no_wrap=True, overflow="ellipsis")
        title.append(_("Today · {date}").format(date=day_title(self.session.today)), style="bold")
        owners = self._owners() if self._own else []
        if self.mine and self.owner == owner_key(self.session.me):
            title.append(" · " + _("mine ({me})").format(me=clean(self.session.me)), style="bold cyan")
        elif self.mine:
            name = next((o.label for o in owners if o.key == self.owner), _(NO_OWNER))
            title.append(" · " + _("owner {name}").format(name=name), style="bold cyan")
        self._head, title = title, Text(no_wrap=True, overflow="ellipsis")
        title.append("\n")
        if not items and not pending and not first_run:
            title.append(_("Nothing needs you today."), style="green")
        title.append_text(counts_line(counts(items), pending, bool(items), max(20, self.size.width - 2)))
        if owners:
            title.append("\n")
            title.append_text(owners_line(owners, self.owner if self.mine else None))
        self._rest = title

    def _show_title(self) -> None:
        """The title with the highlighted item's rank in words on its first line."""
        title = self._head.copy()
        title.append_text(why_text(self.current(), self.size.width - 2 - self._head.cell_len))
        title.append_text(self._rest)
        self.query_one("#today-title", Static).update(title)

    def _fill(self, keep: QueueItem | None, keep_index: int | None) -> None:
        """The list's lines for the items shown, cut to the screen's width now. Lines the list
        shows already are not handed to it again (after most changes, say another session's edit,
        the first hundred of each group read the same: the list keeps its lines and its cursor)."""
        ol = self.query_one(TodayList)
        today = self.session.today
        self._theme = self.app.ansi_theme  # once for every line made here (_content)
        self._width = self.size.width
        room = self._width - 4  # the list's, inside its padding and scrollbar
        width = max(LINE_MIN, room)
        ol.set_class(room < LINE_MIN, "-narrow")
        lines: list[Content] = []
        shown: list[QueueItem | None] = []  # the item on each line (None: a heading, a note)
        groups: dict[str, list[QueueItem]] = {kind: [] for kind in KIND_ORDER}
        for it in self.items:  # one pass: thousands of items
            if it.kind in groups:
                groups[it.kind].append(it)
        for kind, group in groups.items():
            if not group:
                continue
            lines.append(self._content(Text(f"{_(KIND_TITLES[kind])} ({len(group)})", style="bold underline")))
            shown.append(None)
            for it in group[:GROUP_LIMIT]:
                lines.append(self._line(it, today, width))
                shown.append(it)
            if len(group) > GROUP_LIMIT:
                lines.append(self._content(more_note(len(group) - GROUP_LIMIT, room, self.app.console)))
                shown.append(None)
        self._shown_items = shown
        if lines != self._lines:
            self._lines = lines
            ol.set_options([Option(line, disabled=item is None) for line, item in zip(lines, shown, strict=True)])
        if lines:
            cursor = self._cursor_for(keep, keep_index)
            if ol.highlighted != cursor:
                ol.highlighted = cursor
        self._show_title()

    def _line(self, item: QueueItem, today: dt.date, width: int) -> Content:
        """An item's line, made once for its day and width (a change recomputes the queue, whose
        items are mostly the same)."""
        key = (item, today, width)
        line = self._made.get(key)
        if line is None:
            if len(self._made) >= LINES_KEPT:
                self._made.clear()
            line = self._made[key] = self._content(queue_line(item, today, width))
        return line

    def _content(self, text: Text) -> Content:
        """``text`` as the list makes it into Content to show it (textual.visual.visualize), in
        the ANSI theme of the _fill that makes it."""
        if self._maker is None:
            self._maker = ContentMaker(self.app.console)
        return self._maker(text, self._theme)

    def on_resize(self) -> None:
        """The lines were cut to the width they were made at: make them again at the new one
        (also when the terminal changed while another screen was on top of this one)."""
        if self._width is not None and self.size.width != self._width:
            with self.app.batch_update():
                self._title(self._own and not self.session.rows.rows)
                self._fill(self.current(), self.query_one(TodayList).highlighted)

    def _cursor_for(self, keep: QueueItem | None, index: int | None) -> int:
        """Where the cursor goes in new lines: on the item it was on if that is still listed,
        else on the line it was on, else on the first item."""
        shown = self._shown_items
        if keep is not None:
            wanted = _identity(keep)
            for i, item in enumerate(shown):
                if item is not None and _identity(item) == wanted:
                    return i
        if index is not None and index < len(shown) and shown[index] is not None:
            return index
        return next((i for i, item in enumerate(shown) if item is not None), 0)

    def current(self) -> QueueItem | None:
        index = self.query_one(TodayList).highlighted
        shown = self._shown_items
        return shown[index] if index is not None and 0 <= index < len(shown) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._show_title()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        item = self.current()
        if item is not None and self.session.loaded:  # enter on the list reaches here unchecked
            self.post_message(self.Open(item))

    def action_mine(self) -> None:
        rows = self.session.rows
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

        self.app.push_screen(OwnerPicker(self._owners(), self.owner if self.mine else None, self.session.me), chosen)

    def account_in_view(self) -> int | None:
        item = self.current()
        return item.account_id if item is not None else None

    def stakeholder_in_view(self) -> int | None:
        item = self.current()
        return person_id(item) if item is not None else None

    def due_accounts(self) -> list[int]:
        return self.session.due_for_review(self.mine, self.owner)
