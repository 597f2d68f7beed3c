"""The session: what every screen and widget is given instead of the app.

One user working on one file: the data once it is read (store, portfolio, the account rows),
the settings (today, thresholds, user), whether the session may write, and the only ways to
write (``write``, ``record``, ``undo``). Writes run in worker threads and report back to the
app as typed messages (:mod:`kamtui.ui.messages`); no widget calls into the app, and no module
of ``kamtui.ui`` imports ``kamtui.ui.app``.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kamtui.domain.agenda import ReviewDraft
from kamtui.domain.queue import Thresholds, build_queue, review_due
from kamtui.domain.risk import risk_items
from kamtui.domain.stakes import rank
from kamtui.i18n import _
from kamtui.store import Store, StoreError, memory, queue_ahead, queue_cache
from kamtui.store.locking import LockAbandoned
from kamtui.store.portfolio import Change, Portfolio
from kamtui.store.ranking import account_stakes
from kamtui.store.today import Seed, TodayCache
from kamtui.ui.messages import DataChanged, Focus, LockWait, Refused, Saved, SaveFailed

if TYPE_CHECKING:
    from textual.app import App

    from kamtui.ui.rows import AccountRows

UNDO_DEPTH = 200
PREVIEW_WAIT_S = 30.0  # the longest Today waits for the loader's preview (see wait_for_preview)
WRITE_ERRORS = (StoreError, ValueError, LookupError, OSError)  # what a write may fail with, said in one line


class Session:
    """See the module docstring. ``host`` is the running Textual app: the session posts its
    messages there, runs its writes as its workers and shows its notices."""

    store: Store  # these three are set by attach(): at once for a small file, else by the loader
    portfolio: Portfolio
    rows: AccountRows

    def __init__(
        self,
        host: App[Any],
        *,
        path: Path | None,
        thresholds: Thresholds,
        today: dt.date | None = None,
        demo: bool = False,
    ) -> None:
        self.host = host
        self.path = path
        self.thresholds = thresholds
        self.frozen_today = today
        self.demo = demo
        self.loaded = False
        self.undo_stack: list[Change] = []
        self.quitting = False  # set when the user quits: a write given up then is kept for the CLI
        self.unsaved: list[str] = []  # saves given up because the user quit: the CLI reports them
        #: Reviews in progress by account (the guided review keeps them when it stops or moves on).
        self.review_drafts: dict[int, ReviewDraft] = {}
        #: What each saved change added to a review in progress's "done" (undo takes it out).
        self._review_words: list[tuple[Change, int, str]] = []
        self._seed: Seed | None = None  # the loader's preview's whole queue, until the data is read
        #: Set while no preview is computing Today's queue (see wait_for_preview).
        self.preview_over = threading.Event()
        self.preview_over.set()
        #: Set once the first screen shows what the preview read, or the preview is over: a big
        #: file is read after it (see kamtui.ui.loading.load_in_background).
        self.first_screen = threading.Event()
        self.first_screen.set()
        #: Set once the app's first screen is whole (the account list and its panes mounted behind
        #: Today): work for later days waits for it, not to slow the first screen (look_ahead).
        self.settled = threading.Event()
        self._give_back = False  # see changes_from_others
        #: The helper computing the next days' queues, once started (see look_ahead).
        self.ahead: subprocess.Popen[bytes] | None = None

    # ---------------------------------------------------------------- the data
    @property
    def today(self) -> dt.date:
        return self.frozen_today or dt.date.today()

    def make_rows(self, store: Store) -> AccountRows:
        """The account list's rows over ``store`` (safe off the UI thread: it only reads)."""
        from kamtui.store.portfolio import LenientPortfolio
        from kamtui.ui.rows import AccountRows

        portfolio = LenientPortfolio(store, lambda: self.today)
        me = os.environ.get("USER", "") or store.user
        return AccountRows(portfolio, lambda: self.today, me, lambda: self.thresholds)

    def quit(self) -> None:
        """The session ends (q, a hang-up, a damaged document): a save still waiting for the lock
        gives up, and each save given up from now on is kept for the CLI to report."""
        self.quitting = True
        if self.loaded:
            self.store.abandon_waits()

    def attach(self, store: Store, rows: AccountRows) -> None:
        """The data is read: from now on the screens may use it."""
        self.store = store
        self.rows = rows
        self.portfolio = rows.portfolio
        #: Today's whole queue, kept between changes (each DataChanged below names what to redo).
        self.queue = TodayCache(self.portfolio, self.thresholds, keep=queue_cache.keeper(store), kept=True)
        self.loaded = True
        seed, self._seed = self._seed, None
        if seed is not None:  # the preview was quicker than the read (see offer_seed)
            self.queue.offer(seed)
        store.on_lock_wait = self._lock_wait
        self.look_ahead()

    def look_ahead(self) -> None:
        """Start the helper that keeps the next days' queues (kamtui.store.queue_ahead) once the
        loader's preview is over (it runs on the core the helper takes) and the first screen is
        whole (``settled``: what it reads first holds the interpreter lock ~30 ms at 10,000
        accounts), from a thread of its own (opening and locking a file may wait on a network
        file system), which reaps it. Nothing where none is kept (a small file, a session that
        may not write)."""
        store, today = self.store, self.today

        def run() -> None:
            self.preview_over.wait(PREVIEW_WAIT_S)
            self.settled.wait(PREVIEW_WAIT_S)
            self.ahead = queue_ahead.start(store, today)
            if self.ahead is not None:
                self.ahead.wait()

        threading.Thread(target=run, name="kamtui-look-ahead", daemon=True).start()

    def offer_seed(self, seed: Seed) -> None:
        """Today's whole queue as the loader's preview computed it (from its reading thread): kept
        as the session's own if the store holds the state it was computed from (TodayCache.offer)."""
        self._seed = seed
        if self.loaded:  # else attach offers it (offering it twice is harmless)
            self._seed = None
            self.queue.offer(seed)

    def wait_for_preview(self) -> None:
        """Until the loader's preview has offered its whole queue or ended (at most
        PREVIEW_WAIT_S): it started before this process read the file and computes the same
        queue on another core, so it is usually done first, and computing it here meanwhile
        would only make the one kept come later (seconds at 50,000 accounts)."""
        self.preview_over.wait(PREVIEW_WAIT_S)

    def _lock_wait(self, path: Path, waiting: bool) -> None:
        # From the writing thread: post, never call into the app (it may be quitting).
        self.host.post_message(LockWait(path, waiting))

    @property
    def user(self) -> str:
        """Who edits are stamped with."""
        return self.store.user

    @property
    def me(self) -> str:
        """Whose accounts "mine" shows (``$USER``, lower case)."""
        return self.rows.user

    @property
    def read_only_reason(self) -> str | None:
        """Why this session may not write (None: it may, or the file is still loading)."""
        return self.store.read_only_reason if self.loaded else None

    def refuse_if_read_only(self) -> bool:
        """True (after saying so, once per attempt) if this session may not write."""
        reason = self.read_only_reason
        if reason is None:
            return False
        self.host.post_message(Refused(reason))
        return True

    # ----------------------------------------------------------------- writing
    def write(self, fn: Callable[[], Change], focus: Focus = None) -> None:
        """Run a store write off the UI thread; saved, it refreshes the screens and is undoable."""
        if not self.refuse_if_read_only():
            self._write(fn, focus)

    def _write(self, fn: Callable[[], Change], focus: Focus, undoable: bool = True) -> None:
        def work() -> None:
            try:
                change = fn()
            except WRITE_ERRORS as exc:
                self.write_failed(exc, _("Not saved") if undoable else _("Cannot undo"))
                return
            self.record(change, focus, undoable=undoable)

        self.host.run_worker(work, thread=True, group="store")

    def record(self, change: Change, focus: Focus = None, *, undoable: bool = True) -> Change:
        """Report a write done (from a worker thread): the screens show it, undo can revert it."""
        self.host.post_message(Saved(change, focus, undoable))
        return change

    def write_failed(self, exc: Exception, what: str = "") -> None:
        """From a worker thread: say why a write was not saved (``what``: "Not saved" in the
        user's language unless told; after quitting: keep it for the CLI)."""
        said = what or _("Not saved")
        text = str(exc) if isinstance(exc, LockAbandoned) else _("{what}: {error}").format(what=said, error=exc)
        if self.quitting:
            self.unsaved.append(text)
        else:
            self.host.post_message(SaveFailed(text))

    def saved(self, message: Saved) -> DataChanged:
        """On the UI thread, a write saved: keep it undoable and say which accounts it touched."""
        change = message.change
        if message.undoable and change.undo:  # a save that changed nothing has nothing to undo
            self.undo_stack.append(change)
            del self.undo_stack[:-UNDO_DEPTH]
        touched = self.accounts_of((op.table, op.id, op.values) for op in change.undo)
        # With what the store applied meanwhile: another session's edits caught up by this commit.
        also = self.store.take_touched()
        self.queue.touch(None if also is None else touched | also)
        return DataChanged(touched | (also or set()), message.focus, everything=also is None)

    def undo(self) -> None:
        """Revert the last change (itself undone by nothing: undo is not a change to undo)."""
        if not self.undo_stack:
            self.host.notify(_("Nothing to undo"), timeout=2, markup=False)
            return
        if self.refuse_if_read_only():
            return
        change = self.undo_stack.pop()
        self.host.notify(_("Undo: {change}").format(change=change.label), timeout=2, markup=False)
        self._unsay(change)
        self._write(lambda: self.portfolio.undo(change), None, undoable=False)

    def review_done(self, account_id: int, texts: list[str], change: Change | None) -> None:
        """Add to the review in progress of ``account_id`` what was done during it (``change``:
        the save that did it, so that undoing it, from any screen, takes the words out)."""
        draft = self.review_drafts.get(account_id)
        if draft is None:
            return
        draft.done.extend(texts)
        if change is not None:
            self._review_words += [(change, account_id, t) for t in texts]

    def _unsay(self, change: Change) -> None:
        for _change, account_id, text in [w for w in self._review_words if w[0] is change]:
            draft = self.review_drafts.get(account_id)
            if draft is not None and text in draft.done:
                del draft.done[len(draft.done) - 1 - draft.done[::-1].index(text)]  # the latest
        self._review_words = [w for w in self._review_words if w[0] is not change]

    def account_of(self, table: str, doc_id: int | None, values: Any = None) -> int | None:
        """The account a record belongs to (from the stored record, else the values written)."""
        if table == "accounts":
            return doc_id
        doc = (self.store.get(table, doc_id) if doc_id is not None else None) or values or {}
        account_id = doc.get("account_id") if isinstance(doc, dict) else None
        return account_id if isinstance(account_id, int) else None

    def accounts_of(self, records: Iterable[tuple[str, int | None, Any]]) -> set[int]:
        return {a for t, i, v in records if (a := self.account_of(t, i, v)) is not None}

    def changes_from_others(self) -> DataChanged | None:
        """Read the edits other sessions saved since the last call (in a worker: it may read
        the journal); raises StoreError."""
        if self._give_back:  # the screens have let the state read before this one go since
            self._give_back = False
            memory.give_back()
        read = self.store.state_id[:-1]  # the snapshot read (inode, size, time)
        changes = self.store.refresh()
        # Another session's compaction: the file was read again, and the state held until now
        # goes once the screens show the new one (kamtui.store.memory).
        self._give_back = self.store.state_id[:-1] != read
        # The accounts the store saw change since it was last asked (a commit of ours may have
        # caught up with others' edits first), a deleted or moved record's included.
        touched = self.store.take_touched()
        if not changes and touched is not None and not touched:
            return None
        if touched is None:
            self.queue.touch(None)
            return DataChanged(set(), everything=True)
        accounts = touched | self.accounts_of((table, doc_id, None) for table, doc_id in changes)
        self.queue.touch(accounts)
        return DataChanged(accounts)

    # ----------------------------------------------------------- guided review
    def skipped_today(self) -> set[int]:
        """The accounts this user skipped in today's guided review (they come back tomorrow)."""
        return self.portfolio.skipped_in_review(self.user, self.today)

    def skip(self, account_id: int) -> None:
        """Remember a skip for the day (undoable). A read-only session reviews without
        remembering skips, and says nothing about it."""
        if self.read_only_reason is None:
            self._write(lambda: self.portfolio.skip_in_review(account_id, self.user, self.today), None)

    def due_for_review(self, mine: bool, owner: str | None = None) -> list[int]:
        """The accounts the guided review walks: due or overdue, not skipped today; everyone's,
        or (``mine``) those of ``owner``, by default the user's."""
        owner = (self.me if owner is None else owner) if mine else None
        items = build_queue(self.store.all("accounts"), (), (), self.today, owner=owner, kinds=frozenset({"review"}))
        items = rank(items, account_stakes(self.portfolio, items), self.today, self.thresholds)  # Today's order
        skipped = self.skipped_today()
        return [it.account_id for it in items if it.account_id not in skipped]

    def review_due_of(self, account_id: int) -> dt.date | None:
        doc = self.store.get("accounts", account_id)
        return review_due(doc, self.today) if doc else None

    def red_alerts(self, account_id: int) -> int:
        acc = self.portfolio.account(account_id)
        if acc is None:
            return 0
        p = self.portfolio
        items = risk_items(
            account_id, acc, p.stakeholders(account_id), p.reviews(account_id), self.today, self.thresholds
        )
        return sum(1 for it in items if it.severity >= 2)
