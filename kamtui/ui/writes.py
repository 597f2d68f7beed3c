"""What a write tells the screens: typed messages posted from worker threads, and the banner of
a read-only session.

Worker threads post these (``post_message`` is thread-safe and never blocks, so a write that
ends while the app quits cannot deadlock it, as ``call_from_thread`` could).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.message import Message
from textual.widgets import Static

from kamtui.domain.text import clean


class LockWait(Message):
    """A write has waited long for another session's lock (``waiting``), or stopped waiting."""

    def __init__(self, path: Path, waiting: bool) -> None:
        super().__init__()
        self.path = path
        self.waiting = waiting


class WriteDone(Message):
    """A write (or an undo) was saved."""

    def __init__(self, change: Any, focus: tuple[str, Any] | None, undoable: bool) -> None:
        super().__init__()
        self.change = change
        self.focus = focus
        self.undoable = undoable


class WriteFailed(Message):
    """A write was not saved; ``text`` says why in one line."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text


def read_only_notice(reason: str) -> str:
    return f"Read-only session ({reason}): nothing can be saved"


def waiting_notice(path: Path) -> str:
    return f"Waiting for {path} (locked by another session) · esc: stop waiting, nothing is lost"


class ReadOnlyBanner(Static):
    """One line on top of Today and the main screen while the session is read-only."""

    DEFAULT_CSS = """
    ReadOnlyBanner { dock: top; height: 1; padding: 0 1; background: $warning 25%; text-style: bold; }
    """

    def __init__(self, reason: str) -> None:
        super().__init__(Text(clean("READ-ONLY · " + reason + " · edits are refused"), no_wrap=True, end=""))
