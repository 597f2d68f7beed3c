"""What the user is told about the session itself: the read-only banner and the words of the
read-only and lock-wait notices (stored paths and reasons shown cleaned, never as markup)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual.screen import Screen
from textual.widgets import Static

from kamtui.domain.text import clean
from kamtui.i18n import _


def read_only_notice(reason: str) -> str:
    return _("Read-only session ({reason}): nothing can be saved").format(reason=reason)


def waiting_notice(path: Path) -> str:
    return _("Waiting for {path} (locked by another session) · esc: stop waiting, nothing is lost").format(path=path)


class ReadOnlyBanner(Static):
    """One line on top of a screen while the session is read-only."""

    DEFAULT_CSS = """
    ReadOnlyBanner { dock: top; height: 1; padding: 0 1; background: $warning 25%; text-style: bold; }
    """

    def __init__(self, reason: str) -> None:
        line = _("READ-ONLY · {reason} · edits are refused").format(reason=reason)
        super().__init__(Text(clean(line), no_wrap=True, end=""))


def show_read_only(screen: Screen[Any], reason: str | None) -> None:
    """Put the banner on top of ``screen`` (once) if the session is read-only (``reason``)."""
    if reason is not None and not screen.query(ReadOnlyBanner):
        screen.mount(ReadOnlyBanner(reason))
