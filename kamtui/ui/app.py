"""The Textual app: it makes the session, puts the main screen at the bottom (and Today over
it), reads a big file after the first frame, and turns what workers hand back (typed messages)
into notices and into refreshes of the screens that show the data."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import os
import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.actions import SkipAction
from textual.app import App
from textual.await_complete import AwaitComplete
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.filter import LineFilter
from textual.screen import ModalScreen
from textual.widgets import Input

from kamtui.domain.queue import QueueItem
from kamtui.i18n import N_
from kamtui.store import Store, StoreError
from kamtui.store.config import load_thresholds
from kamtui.store.errors import CorruptFile
from kamtui.ui.ascii_screen import ascii_where_needed
from kamtui.ui.colour import readable_filters
from kamtui.ui.compat import drop_closed_watchers, end_on
from kamtui.ui.first_run import file_label
from kamtui.ui.keymap import load_keymap
from kamtui.ui.loading import Loader, Preview, load_in_background, show_preview
from kamtui.ui.main_screen import MainScreen
from kamtui.ui.messages import (
    DataChanged,
    Loaded,
    LoadFailed,
    LockWait,
    ReadFailed,
    Refused,
    Saved,
    SaveFailed,
)
from kamtui.ui.notices import read_only_notice, waiting_notice
from kamtui.ui.session import Session
from kamtui.ui.shared_keys import OpenAccount, StartGuided
from kamtui.ui.textual_words import TextualWords
from kamtui.ui.today import TodayScreen

if TYPE_CHECKING:
    from textual.screen import Screen

__all__ = ["KamApp", "Loader", "Preview", "run_app"]

FULL_GC_EVERY = 100  # middle-generation collections per full one once a big file is loaded (Python: 10)

POLL_SECONDS = 1.0  # how often other sessions' edits are read
ENDING_SIGNALS = (signal.SIGHUP, signal.SIGTERM)  # end the app as q does (see KamApp._catch_endings)
HARD_EXIT_AFTER = 5.0  # seconds a signalled shutdown may take before the process exits anyway


def _commands() -> type[Provider]:
    from kamtui.ui.commands import KamCommands

    return KamCommands


class KamApp(TextualWords):
    """kamtui. Over ``store`` (a small file, read before the first frame), or over what
    ``loader`` reads once the first frame is up (a big one). ``start``: "today" (Today over
    the main screen) or "accounts" (the main screen alone)."""

    TITLE = "kamtui"
    CSS_PATH = ["app.tcss", "main_screen.tcss"]  # the default screen's CSS is the app's
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", N_("Quit"), id="quit"),
        Binding(
            "escape",
            "stop_waiting",
            N_("Stop waiting"),
            priority=True,
            tooltip=N_("Give up a save waiting for the lock"),
            id="stop-waiting",
        ),
        Binding("question_mark", "help", N_("Help"), tooltip=N_("The keys that work here"), id="help"),
        Binding("T", "toggle_theme", N_("Light/dark"), show=False, id="toggle-theme"),
    ]

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
        # A bad config file raises StoreError here, before Textual starts: the CLI checks it
        # first and refuses to start with its one-line error (never a toast and the defaults).
        thresholds = load_thresholds()
        keymap = load_keymap(type(self))
        self.start = start
        self.loader = loader
        self.load_error = ""  # why the loader failed; the CLI prints it after the app exits
        self.lock_waits = 0  # saves now waiting long for another session's lock (escape gives up)
        path = store.path if store is not None else loader.path if loader is not None else None
        self.session = Session(self, path=path, thresholds=thresholds, today=today, demo=demo)
        if store is not None:
            self.session.attach(store, self.session.make_rows(store))
        self._main: MainScreen | None = None
        self._gc_threshold: tuple[int, int, int] | None = None  # the one replaced after a big load
        self.theme = "textual-dark"
        self.set_keymap(keymap)
        #: The signal (a hang-up, SIGTERM) that ended the app, if one did; the CLI exits 128 + it.
        self.stopped_by: int | None = None
        self._replaced_signals: dict[int, Any] = {}
        #: Run (by the CLI's wish: the demo copy removed) if a signalled shutdown has to be cut short.
        self.hard_exit_hooks: list[Callable[[], None]] = []
        #: Seconds after a hang-up or SIGTERM before the process exits whatever still runs (set by
        #: run_app, the command line's way in; None in tests, which share their process).
        self.hard_exit_after: float | None = None
        #: The command line paused the cyclic collector for start-up (see kamtui.cli.tui): after
        #: the first frame, what start-up built is frozen and the collector resumes.
        self.resume_collector = False
        # A document found damaged when read (a file made to pass kamtui's checks, its CRC forged,
        # whose documents are read when needed: see kamtui.store.spots) ends the session as a file
        # that cannot be read does at open: the CLI prints why, no traceback.
        end_on(self, (CorruptFile,), self._ended_by_damage)

    # -------------------------------------------------- what the CLI reads after
    @property
    def loaded(self) -> bool:
        return self.session.loaded

    @property
    def store(self) -> Store:
        return self.session.store

    @property
    def unsaved(self) -> list[str]:
        """Saves given up because the user quit while they waited for the lock."""
        return self.session.unsaved

    # ------------------------------------------------------------------ screens
    def get_default_screen(self) -> MainScreen:
        # Opening on Today, the list and its panes are mounted after Today's first frame (see
        # on_today_screen_shown): the first screen paints without waiting for them.
        self._main = MainScreen(self.session, mount_later=self.start == "today")
        return self._main

    @property
    def main(self) -> MainScreen:
        """The account list and its panes: the bottom screen, whichever screen is on top."""
        assert self._main is not None, "the app is not running"
        return self._main

    def on_mount(self) -> None:
        if self.resume_collector:  # first: before the loader (below) pauses it for its own read
            self.call_after_refresh(_resume_collector)
        self._catch_endings()
        s = self.session
        self.sub_title = file_label(s.path, s.demo)
        today = TodayScreen(s) if self.start == "today" else None
        if today is not None:
            self.push_screen(today)
        if s.loaded:
            self.set_interval(POLL_SECONDS, self.poll)
            return
        assert self.loader is not None
        if self.loader.preview is not None and today is not None:
            s.preview_over.clear()
            s.first_screen.clear()
            pv = self.loader.preview

            def over() -> None:
                s.preview_over.set()
                s.first_screen.set()  # no stage to wait for any more

            show_preview(pv, today, lambda: today.complete, s.today, s.thresholds, s.offer_seed, over, s.first_screen)
        # After the first frame: parsing holds the interpreter lock for long stretches. And after
        # the preview's first stage is on screen: the whole queue is the preview's too, so the
        # read has time, and a table is one call that would hold the frame back (~0.1 s).
        self.call_after_refresh(load_in_background, self.loader, s.make_rows, self.post_message, s.first_screen)

    def _broadcast(self, message: DataChanged | LockWait) -> None:
        """Pass a message on to every screen (a copy each: copies do not bubble back here)."""
        for screen in self.screen_stack:
            screen.post_message(message.copy())

    async def _mount_main(self) -> None:
        await self.main.mount_panes()
        self.session.settled.set()
        if self.loader is not None and self._gc_threshold is None:
            gc.freeze()  # the list and panes built over a big file live as long as the app, too
            # A full collection scans everything made since the freeze (the screens' caches of
            # entities and lines): Python's every tenth middle one paused a cursor move ~20 ms at
            # 1,000 accounts, 8 times in 200 moves; ten times rarer, none in 200 moves.
            self._gc_threshold = gc.get_threshold()
            young, middle, _old = self._gc_threshold
            gc.set_threshold(young, middle, FULL_GC_EVERY)

    def pop_screen(self) -> AwaitComplete:
        """Textual's, then: a widget that watched the app (a form's TextArea watches its theme)
        leaves its watcher here when its screen closes; forgotten once the screen is gone (see
        compat.drop_closed_watchers), else every notes form opened stayed in memory."""
        popped = super().pop_screen()

        async def then_forget() -> None:
            await popped
            drop_closed_watchers(self)

        return AwaitComplete(then_forget()).call_next(self)

    def on_today_screen_complete(self) -> None:
        if self.loader is not None and self.loader.preview is not None:
            self.loader.preview.stop()  # if it is still computing, it is no longer needed

    async def on_today_screen_shown(self) -> None:
        await self._mount_main()

    async def on_today_screen_open(self, message: TodayScreen.Open) -> None:
        await self._open_item(message.item)

    async def _open_item(self, item: QueueItem) -> None:
        await self._mount_main()
        self.main.open_item(item)

    async def on_start_guided(self, message: StartGuided) -> None:
        await self._start_guided(message.accounts)

    async def _start_guided(self, accounts: list[int]) -> None:
        await self._mount_main()
        self.main.start_guided_review(accounts)

    async def action_guided_review(self) -> None:
        """Today's R, as action_leave_today: the keys typed after it reach the guided review."""
        accounts = self.screen.guided_accounts() if isinstance(self.screen, TodayScreen) else None
        if accounts is not None:
            await self._start_guided(accounts)

    async def on_open_account(self, message: OpenAccount) -> None:
        await self._mount_main()
        self.main.open_account(message.account_id)

    def on_show_today(self) -> None:
        if not isinstance(self.screen, TodayScreen):
            self.push_screen(TodayScreen(self.session))

    async def action_leave_today(self) -> None:
        """Today's tab and escape (priority bindings: run as the key is read, before the keys
        typed after it are handed to a widget, so that those reach the account list)."""
        await self._mount_main()
        self.main.leave_today()

    async def action_open_today_item(self) -> None:
        """Today's enter, as action_leave_today: the keys typed after it act on the panes."""
        item = self.screen.current() if isinstance(self.screen, TodayScreen) else None
        if item is None:
            raise SkipAction()  # nothing highlighted: the key goes on to the list
        await self._open_item(item)

    # ------------------------------------------------------------------ loading
    async def on_loaded(self, message: Loaded) -> None:
        self.session.attach(message.store, message.rows)
        if self.loader is not None and self.loader.preview is not None and not isinstance(self.screen, TodayScreen):
            self.loader.preview.stop()  # Today alone uses it (TodayScreen.Complete stops it there)
        self.set_interval(POLL_SECONDS, self.poll)
        self.refresh_bindings()  # the keys that waited for the data show in the footer again
        if isinstance(self.screen, TodayScreen):
            self.screen.loaded()
        else:
            await self._mount_main()

    def on_load_failed(self, message: LoadFailed) -> None:
        self.load_error = message.text
        self.exit(return_code=2)

    def _ended_by_damage(self, error: Exception) -> None:
        self.load_error = self.load_error or str(error)
        self.session.quit()  # as for q: a save still under way is reported, not lost

    # ------------------------------------------------------------------ writing
    def on_saved(self, message: Saved) -> None:
        self._broadcast(self.session.saved(message))

    def on_save_failed(self, message: SaveFailed) -> None:
        self.notify(message.text, severity="error", markup=False, timeout=8)

    def on_refused(self, message: Refused) -> None:
        self.notify(read_only_notice(message.reason), severity="warning", markup=False, timeout=6)

    def on_lock_wait(self, message: LockWait) -> None:
        self.lock_waits = max(0, self.lock_waits + (1 if message.waiting else -1))
        self.refresh_bindings()
        if message.waiting:
            timeout = self.session.store.lock_timeout
            self.notify(waiting_notice(message.path), severity="warning", markup=False, timeout=timeout)
        self._broadcast(message)  # a form whose save waits says so

    def on_data_changed(self, message: DataChanged) -> None:
        self._broadcast(message)

    def on_read_failed(self, message: ReadFailed) -> None:
        self.notify(message.text, severity="error", markup=False)

    @work(thread=True, exclusive=True, group="poll")
    def poll(self) -> None:
        """Read other sessions' edits (every POLL_SECONDS); the screens show them."""
        try:
            changed = self.session.changes_from_others()
        except StoreError as exc:
            self.post_message(ReadFailed(str(exc)))
            return
        if changed is not None:
            self.post_message(changed)

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "stop_waiting":
            return self.lock_waits > 0
        if action in ("leave_today", "open_today_item", "guided_review"):  # Today's, once the file is read
            return self.session.loaded and isinstance(self.screen, TodayScreen)
        if action == "command_palette":  # its commands act on the screen below: not under a form or a question
            return not isinstance(self.screen, ModalScreen)
        return True

    def action_stop_waiting(self) -> None:
        """Escape while a save waits for another session's lock: give up the wait; a form keeps
        what was typed and says it was not saved."""
        self.session.store.abandon_waits()

    async def action_quit(self) -> None:
        """Quit at once: a save still waiting for the lock gives up and is reported by the CLI."""
        self.session.quit()
        self.exit()

    def _catch_endings(self) -> None:
        """While the app runs, a hang-up (the SSH connection dropped, the tmux server killed) or
        SIGTERM quits it the way ``q`` does, from inside the event loop.

        A Python signal handler that raises cannot do this: the exception lands in whatever the
        main thread runs, and asyncio logs and swallows it when that is one of its callbacks -
        the app then went on drawing to a terminal that was gone, its input thread spinning on
        the dead terminal. The handlers the app replaces are put back when it stops.
        """
        loop = asyncio.get_running_loop()
        for signum in ENDING_SIGNALS:
            self._replaced_signals[signum] = signal.getsignal(signum)
            loop.add_signal_handler(signum, self._ended_by, signum)

    def _ended_by(self, signum: int) -> None:
        if self.stopped_by is not None:
            return
        self.stopped_by = signum
        if signum == signal.SIGHUP:
            # The terminal is gone: what Textual still writes while it shuts down (restoring the
            # terminal) goes nowhere instead of failing on the dead terminal and blocking it.
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                with contextlib.suppress(OSError):
                    os.dup2(devnull, fd)
            os.close(devnull)
        self.session.quit()
        if self.hard_exit_after is not None:
            # A last resort if ending still hangs - in Textual's shutdown (its writer thread may
            # have died on the dead terminal before the signal came) or after it, a thread the
            # interpreter waits for at exit: every saved edit is on disk already.
            watchdog = threading.Timer(self.hard_exit_after, self._hard_exit, (signum,))
            watchdog.daemon = True
            watchdog.start()
        self.exit(return_code=128 + signum)

    def _hard_exit(self, signum: int) -> None:
        for hook in self.hard_exit_hooks:
            with contextlib.suppress(Exception):
                hook()
        os._exit(128 + signum)

    def _restore_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum, handler in self._replaced_signals.items():
            loop.remove_signal_handler(signum)
            signal.signal(signum, handler)
        self._replaced_signals.clear()

    def on_unmount(self) -> None:
        if self._gc_threshold is not None:  # the process may go on (tests, the CLI's clean-up)
            gc.set_threshold(*self._gc_threshold)
        self._restore_signals()  # before the loop closes (which would leave them at SIG_DFL)

    def get_line_filters(self) -> list[LineFilter]:
        # Under NO_COLOR, Textual's greys without losing text whose colour set it apart.
        return readable_filters(super().get_line_filters())

    def on_key(self, event: events.Key) -> None:
        """A printable key that reached the app unused while a text box has the focus was typed
        before the focus moved there, in the same burst (`/acme`, typed fast): Textual sent it to
        the widget that had the focus when it arrived, and the box never saw it. It is the box's.
        (A key sent to the box itself never gets here: the box takes every printable key.)"""
        focused = self.focused
        if not (event.is_printable and event.character):
            return
        if isinstance(focused, Input):
            event.stop()
            focused.insert_text_at_cursor(event.character)
        elif focused is None and callable(early := getattr(self.screen, "typed_before_focus", None)):
            event.stop()  # a form just opened, its first field not focused yet (FormScreen.typed_before_focus)
            early(event.character)

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"

    def action_help(self) -> None:
        from kamtui.ui.help import HelpScreen

        screen: Screen[object] = self.screen
        pane = self.main.focused_pane() if screen is self._main else None
        s = self.session
        self.push_screen(HelpScreen(screen, pane, file_label(s.path, s.demo)))


def run_app(
    store: Store | None = None,
    *,
    loader: Loader | None = None,
    today: dt.date | None = None,
    demo: bool = False,
    on_hard_exit: Callable[[], None] | None = None,
) -> KamApp:
    """Run the TUI over ``store`` (a small file, read before the first frame), or over what
    ``loader`` reads once the first frame is up (a big one; it then freezes the collector).
    Under a locale that cannot write Unicode, the screen is drawn in ASCII of the same widths.
    ``on_hard_exit`` runs if a hang-up's shutdown has to be cut short (see KamApp._ended_by)."""
    app = KamApp(store, loader=loader, today=today, demo=demo)
    app.hard_exit_after = HARD_EXIT_AFTER
    app.resume_collector = not gc.isenabled()
    if on_hard_exit is not None:
        app.hard_exit_hooks.append(on_hard_exit)
    with ascii_where_needed():
        app.run()
    return app


def _resume_collector() -> None:
    """Start-up's objects (Textual's and kamtui's modules, the first screen) live as long as the
    app: frozen, no later collection rescans them; then the collector runs as usual."""
    gc.freeze()
    gc.enable()
