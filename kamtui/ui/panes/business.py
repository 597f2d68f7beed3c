"""The Business pane (being built: see issue 12)."""

from __future__ import annotations

from rich.text import Text
from textual.strip import Strip

from kamtui.ui.line_view import LineView, text_lines
from kamtui.ui.panes.base import Pane
from kamtui.ui.session import Session


class BusinessPane(LineView, Pane, can_focus=True):
    DEFAULT_CSS = """
    BusinessPane { height: 1fr; border: round $primary 50%; border-title-color: $text; padding: 0 1; }
    BusinessPane:focus { border: round $border; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="business")
        self.init_pane(session)
        self.border_title = "Business"
        self._text = Text()

    def load(self, account_id: int | None) -> Text:
        return Text()

    def lines_for(self, state: Text, width: int) -> list[Strip]:
        return text_lines(state, width, self.app.console)

    def apply(self, state: Text, lines: list[Strip] | None) -> None:
        self._text = state
        self.rebuild()

    def build(self, width: int) -> list[Strip]:
        return text_lines(self._text, width, self.app.console)
