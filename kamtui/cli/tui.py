"""``kamtui`` (and ``kamtui --demo``): the TUI, on the user's database or a fresh demo copy that
is removed however the TUI ends (``q``, a hang-up, SIGTERM)."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kamtui.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    DataError,
    Stopped,
    UsageError,
    check_config,
    db_to_create,
    err,
    today_from,
)
from kamtui.i18n import _

if TYPE_CHECKING:
    from kamtui.report.preview import PreviewProcess, SummedFirst
    from kamtui.store import Store

    Preview = PreviewProcess | SummedFirst

# Bigger files are read after the first frame (the TUI shows "loading" and Today's reviews first).
EAGER_BYTES = 1_000_000  # about 350 accounts, read in ~10 ms
# Above this (about 20,000 accounts) the first screen's reviews due are read here while Textual
# is imported (report.preview.SummedFirst). Measured side by side: at 50,000 accounts (155 MB)
# the first paint came 0.03-0.15 s sooner; at 10,000 (31 MB) the helper's answer is there
# before Textual is, and reading it here too only slowed the start (~0.04 s).
SUMMED_HERE_ABOVE = 64_000_000


@contextlib.contextmanager
def ended_by(*signums: int) -> Iterator[None]:
    """While inside, each of ``signums`` (a hang-up, SIGTERM) ends the TUI the way an exception
    does: :class:`Stopped` unwinds through every ``finally`` (the demo copy removed, the store
    closed, the preview process stopped, Textual giving the terminal back) instead of the process
    dying where it stands. A second signal during that clean-up is ignored."""
    stopping = False

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise Stopped(signum)

    previous = [(s, signal.signal(s, stop)) for s in signums]
    try:
        yield
    finally:
        for s, handler in previous:
            signal.signal(s, handler)


def leave_tls_unloaded() -> None:
    """Keep OpenSSL out of the TUI's process.

    asyncio imports :mod:`ssl` when it is imported, to offer TLS connections; that maps
    OpenSSL's libraries and builds the module's tables: 4.7 MB of resident memory per session
    and ~5 ms of start-up, for a program that opens no network connection. A ``None`` entry in
    :data:`sys.modules` makes that import fail, which asyncio expects (it then offers no TLS).
    Only when nothing has imported asyncio or ssl yet, and not under Textual's devtools (whose
    client may speak TLS).
    """
    if "ssl" in sys.modules or "asyncio" in sys.modules or "devtools" in os.environ.get("TEXTUAL", ""):
        return
    sys.modules["ssl"] = None  # type: ignore[assignment]


def cmd_tui(args: argparse.Namespace) -> int:
    leave_tls_unloaded()
    # Start-up (importing Textual and kamtui, opening the file, the first screen) allocates about
    # a million objects and no garbage: the cyclic collector would scan them ~120 times before
    # the first frame (~15 ms of ~200). Paused until then; the app resumes it (run_app).
    gc.disable()
    try:
        return _tui(args)
    finally:
        gc.enable()


def _tui(args: argparse.Namespace) -> int:
    today = today_from(args) if args.today else None
    check_config()  # a config with a typo refuses to start, as for the CLI: nothing opened or created
    if args.demo and args.db:
        raise UsageError(_("--demo opens a copy of the sample portfolio; it cannot be combined with --db"))
    with ended_by(signal.SIGTERM, signal.SIGHUP):
        if not args.demo:
            return _run(db_to_create(args), today, demo=False)
        import tempfile

        from kamtui.sample.demo import materialize_demo

        folder = Path(tempfile.mkdtemp(prefix="kamtui-demo-"))
        try:
            path = materialize_demo(folder / "demo.json", today or dt.date.today())
            return _run(path, today, demo=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # the demo copy lives only as long as the app


def _run(path: Path, today: dt.date | None, *, demo: bool) -> int:
    """The TUI over the database at ``path``; the exit code."""
    store: Store | None = None
    try:
        size = path.stat().st_size
    except OSError:
        size = 0  # missing (created empty) or unreadable: Store says which, below
    big = size > EAGER_BYTES
    preview: Preview | None = None
    if big:
        # Today's queue is computed on another core while Textual starts and this process reads
        # the whole file (see kamtui.report.preview); without it Today waits for the full read.
        # Above SUMMED_HERE_ABOVE the reviews due the head of the file sums up come first from
        # a thread here, while Textual is imported (SummedFirst).
        from kamtui.report.preview import PreviewProcess, SummedFirst

        day = today or dt.date.today()
        if size > SUMMED_HERE_ABOVE:
            preview = SummedFirst(path, day)
        else:
            try:
                preview = PreviewProcess(path, day)
            except OSError:
                preview = None
    try:
        # The [keys] table names the TUI's bindings, so checking it imports the TUI (~200 ms):
        # after the preview started (it needs no TUI), before a file is created or opened.
        _check_keys()
    except DataError:
        if preview is not None:
            preview.stop()
        raise
    if not big:
        from kamtui.store import Store, StoreError  # after the preview process started, for a big file

        try:
            store = Store(path)
        except StoreError as exc:
            raise DataError(str(exc)) from None
    from kamtui.ui.app import Loader, run_app

    loader = None if store is not None else Loader(path, lambda: _open_big(path, today), preview)
    app = None
    try:
        # A demo copy is removed even if a hang-up's shutdown has to be cut short.
        cleanup = (lambda: shutil.rmtree(path.parent, ignore_errors=True)) if demo else None
        app = run_app(store, loader=loader, today=today, demo=demo, on_hard_exit=cleanup)
    finally:
        if preview is not None:
            preview.stop()
        opened = store if store is not None else app.store if app is not None and app.loaded else None
        # A document found damaged as it was read (KamApp's load_error once the file is open): the
        # file is written no more, not even compacted (which would copy that document's text
        # into a new snapshot whose CRC vouched for it); the edits saved stay in its journal.
        damaged = app is not None and bool(app.load_error)
        if opened is not None:
            opened.close(compact=not demo and not damaged)
            if not damaged:
                # The next days' queues, from the file as this session leaves it (kamtui.store.queue_ahead).
                from kamtui.store import queue_ahead

                queue_ahead.start(opened, today or dt.date.today(), fresh=True)
    if app.stopped_by is not None:  # a hang-up or SIGTERM quit the app; everything is closed
        raise Stopped(app.stopped_by)
    for text in app.unsaved:  # saves given up because the user quit while they waited for the lock
        err(text)
    if app.load_error:
        raise DataError(app.load_error)
    crashed: int | None = getattr(app, "return_code", None)
    if crashed:  # an unhandled exception stopped the app; Textual printed its traceback above
        from kamtui.domain.text import clean

        error = getattr(app, "_exception", None)
        what = f"{type(error).__name__}: {error}" if error is not None else _("exit code {code}").format(code=crashed)
        err(_("the TUI stopped on an unexpected error: {error}").format(error=clean(what)))
        return crashed
    return EXIT_DATA if app.unsaved else EXIT_OK


def _open_big(path: Path, today: dt.date | None) -> Store:
    """The store of a big file, read telling the edits since the state whose queue is kept beside
    it for ``today`` (Store.edited_since): Today then brings that queue up to date instead of
    computing it whole (kamtui.store.today.TodayCache's ``kept``)."""
    from kamtui.store import Store, StoreError, queue_cache
    from kamtui.store.config import load_thresholds
    from kamtui.store.today import thresholds_id

    try:
        tid = thresholds_id(load_thresholds())
    except StoreError:
        tid = ""  # the app reports the settings; no kept queue is taken
    after = queue_cache.kept_after(path, today or dt.date.today(), tid) if tid else None
    # A session stays open: a very big file's child documents stay on disk (kamtui.store.spots).
    return Store(path, touched_after=after, on_disk=True)


def _check_keys() -> None:
    """Raise DataError if the config's [keys] names a binding the TUI does not have (the ids
    are the TUI's to know; checked, like the rest of the file, before anything is opened)."""
    from kamtui.store import StoreError
    from kamtui.ui.app import KamApp
    from kamtui.ui.keymap import load_keymap

    try:
        load_keymap(KamApp)
    except StoreError as exc:
        raise DataError(str(exc)) from None
