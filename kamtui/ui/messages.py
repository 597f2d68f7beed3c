"""What workers hand back, as typed messages.

Worker threads (a save, the poll of other sessions' edits, the loader) post these to the app:
``post_message`` is thread-safe and never blocks, so a worker that ends while the app quits
cannot deadlock it, as ``call_from_thread`` could. The app passes on to its screens what
concerns them (see ``KamApp``); those copies do not bubble back up.

A message that may come in bursts says how repeats collapse (``can_replace``, as toolong's
messages do): when the next one is already queued behind it, only that one is handled, and it
stands for both.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual.message import Message

from kamtui.domain.queue import QueueItem
from kamtui.store.portfolio import Change

if TYPE_CHECKING:
    from kamtui.store import Store
    from kamtui.ui.rows import AccountRows

# Where the cursor goes after a write: ("account", id), ("plan", "a:12"), ("stakeholder", id),
# ("reviews", None); None leaves it where it is.
Focus = tuple[str, Any] | None


class Saved(Message, bubble=False):
    """A write (or an undo) was saved; ``undoable`` puts it on the undo stack."""

    def __init__(self, change: Change, focus: Focus = None, undoable: bool = True) -> None:
        super().__init__()
        self.change = change
        self.focus = focus
        self.undoable = undoable


class SaveFailed(Message, bubble=False):
    """A write was not saved; ``text`` says why in one line."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class Refused(Message, bubble=False):
    """An edit was refused before anything was typed or written: the session is read-only."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class LockWait(Message, bubble=False):
    """A write has waited long for another session's lock (``waiting``), or stopped waiting."""

    def __init__(self, path: Path, waiting: bool) -> None:
        super().__init__()
        self.path = path
        self.waiting = waiting

    def copy(self) -> LockWait:
        return LockWait(self.path, self.waiting)


class DataChanged(Message, bubble=False):
    """Records changed (a write of ours, or another session's): the accounts they belong to,
    where the cursor goes (``focus``), and ``everything`` when every account may have changed.

    Repeats collapse into one: the ids of both, the newer focus (else the older one)."""

    def __init__(self, account_ids: set[int], focus: Focus = None, everything: bool = False) -> None:
        super().__init__()
        self.account_ids = set(account_ids)
        self.focus = focus
        self.everything = everything

    def copy(self) -> DataChanged:
        return DataChanged(self.account_ids, self.focus, self.everything)

    def can_replace(self, message: Message) -> bool:
        if not isinstance(message, DataChanged):
            return False
        message.account_ids |= self.account_ids
        message.focus = message.focus or self.focus
        message.everything = message.everything or self.everything
        return True


class ReadFailed(Message, bubble=False):
    """Reading other sessions' edits failed; ``text`` says why in one line."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class Loaded(Message, bubble=False):
    """The loader read the whole file (a big one, read after the first frame)."""

    def __init__(self, store: Store, rows: AccountRows) -> None:
        super().__init__()
        self.store = store
        self.rows = rows


class LoadFailed(Message, bubble=False):
    """The loader could not read the file; ``text`` says why (the CLI prints it after the app exits)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


class PreviewStage(Message, bubble=False):
    """A stage of Today's queue from the loader's preview (``stage`` names it). A newer stage
    replaces an older one still queued."""

    def __init__(self, stage: str, items: list[QueueItem]) -> None:
        super().__init__()
        self.stage = stage
        self.items = items

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, PreviewStage)
