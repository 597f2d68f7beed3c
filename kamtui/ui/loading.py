"""Reading a file too big to read before the first frame: the whole store in a background
thread, and meanwhile Today's queue in stages from a preview computed elsewhere
(``kamtui.report.preview``). Both report back as typed messages (:mod:`kamtui.ui.messages`).

Daemon threads, not workers: quitting while a big file loads must not wait for them (the read
writes nothing; an interrupted read is like any crash, which the store survives).
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from textual.message import Message
from textual.message_pump import MessagePump

from kamtui.domain.queue import QueueItem, Thresholds
from kamtui.domain.stakes import Stake
from kamtui.store import Store, StoreError
from kamtui.store.today import Seed, thresholds_id
from kamtui.ui.messages import Loaded, LoadFailed, PreviewStage

# The longest a big file's read waits for the preview's first stage to be on screen (it shows
# after ~0.1-0.2 s; a preview that fails says so by ending, which releases the read at once).
FIRST_SCREEN_WAIT = 1.0

if TYPE_CHECKING:
    from kamtui.ui.rows import AccountRows


class Stage(Protocol):
    """A stage of the preview (kamtui.report.preview.Stage)."""

    @property
    def name(self) -> str: ...
    @property
    def items(self) -> list[QueueItem]: ...  # the whole queue's not ranked yet
    @property
    def stakes(self) -> dict[int, Stake] | None: ...  # the whole queue's only
    @property
    def state(self) -> tuple[int, ...]: ...
    @property
    def thresholds(self) -> str: ...
    @property
    def keys(self) -> list[tuple[object, ...]] | None: ...  # kept: the items' keys in Today's order
    @property
    def kept(self) -> bool: ...  # read from the queue kept beside the database (no need to keep it again)


class Preview(Protocol):
    """Today's queue in stages from elsewhere while the file loads (kamtui.report.preview)."""

    def __iter__(self) -> Iterator[Stage]: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Loader:
    """How the app reads a file too big to read before the first frame."""

    path: Path
    open: Callable[[], Store]  # the whole store; raises StoreError
    preview: Preview | None = None  # Today's queue, computed in parallel, shown until the app has its own


def load_in_background(
    loader: Loader,
    make_rows: Callable[[Store], AccountRows],
    post: Callable[[Message], object],
    after: threading.Event | None = None,
) -> None:
    """Read the whole file off the UI thread; ``post`` a Loaded or a LoadFailed message. Once
    ``after`` is set, if given (the first screen is on: Session.first_screen), or FIRST_SCREEN_WAIT
    seconds have passed."""

    def load() -> None:
        if after is not None:
            after.wait(FIRST_SCREEN_WAIT)
        try:
            # A big file is a million long-lived objects and no garbage: the collector would only
            # rescan them while they are built (seconds at 50,000 accounts), and every full
            # collection afterwards would pause the UI ~1 s. Off while loading, then frozen.
            gc.disable()
            try:
                store = loader.open()
                rows = make_rows(store)
                # The per-account indexes (hundreds of thousands of sets at 50,000 accounts) are
                # otherwise built on first use, after the freeze, and every full collection
                # rescans them (~50 ms pauses while moving).
                store.build_indexes()
            finally:
                gc.freeze()
                gc.enable()
        except StoreError as exc:
            post(LoadFailed(str(exc)))
            return
        post(Loaded(store, rows))

    threading.Thread(target=load, name="kamtui-load", daemon=True).start()


def show_preview(
    preview: Preview,
    target: MessagePump,
    done: Callable[[], bool],
    today: dt.date,
    thresholds: Thresholds,
    offer: Callable[[Seed], None],
    over: Callable[[], None],
    drawn: threading.Event | None = None,
) -> None:
    """Post the preview's stages to ``target`` (Today) as they come, until ``done()``; the whole
    queue is ranked here (off the UI thread) and ``offer``-ed as a :class:`Seed` the session's
    queue may keep (Session.offer_seed): straight from this thread, not after the UI thread has
    handled a message, so that a computation of the app's own starting meanwhile keeps it.
    ``over()`` once the preview has nothing more to give (its queue offered, or it ended).
    After the first stage, the next waits until ``drawn`` is set (the first stage is on screen:
    Session.first_screen), at most FIRST_SCREEN_WAIT seconds: a queue kept from earlier today
    comes right behind the reviews due, and showing it first (~30 ms at 10,000 accounts, its
    hundreds of lines) would hold back the first frame."""

    def read() -> None:
        try:
            for stage in preview:
                if done():
                    break
                if stage.stakes is None:
                    target.post_message(PreviewStage(stage.name, stage.items))
                    if drawn is not None:
                        drawn.wait(FIRST_SCREEN_WAIT)
                    continue
                seed = Seed.of(
                    stage.state, today, thresholds, stage.items, stage.stakes, kept=stage.kept, keys=stage.keys
                )
                if stage.thresholds == thresholds_id(thresholds):  # else only a provisional view
                    offer(seed)
                over()
                target.post_message(PreviewStage(stage.name, seed.queue()))
        except RuntimeError:
            pass  # the app has quit
        finally:
            over()

    threading.Thread(target=read, name="kamtui-preview", daemon=True).start()
