"""What every pane shares: the session, the selected account, showing an account in two steps
(read, then draw), and the accounts prepared ahead of the cursor."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.cache import LRUCache
from textual.dom import DOMNode
from textual.strip import Strip
from textual.widget import Widget

from kamtui.ui.compat import check_refresh, set_border_subtitle
from kamtui.ui.line_view import LineView
from kamtui.ui.session import Session

PREPARED = 4  # accounts prepared ahead per pane (the two beside the cursor, and slack)


class Pane:
    """Mixin for a pane widget. A pane shows an account in two steps: ``load`` reads what it
    shows (no widget state touched, so it may run ahead for an account not yet shown),
    ``apply`` shows it (with the lines ``lines_for`` rendered ahead, or rendering them)."""

    account_id: int | None = None
    session: Session
    prepared: LRUCache[tuple[object, ...], tuple[Any, list[Strip]]]

    def init_pane(self, session: Session) -> None:
        self.session = session
        self.prepared = LRUCache(PREPARED)

    def show_account(self, account_id: int | None) -> None:
        self.account_id = account_id
        view = self.view
        view.hold_area(True)
        try:
            key = self._prepared_key(account_id)
            prepared = self.prepared.get(key)
            if prepared is not None:
                self.prepared.discard(key)
                self.apply(*prepared)
            else:
                self.refresh_pane()
        finally:
            view.hold_area(False)
        # Hand the repaint to the screen now rather than when the pane is next idle: it then
        # joins a frame another widget already asked for (the filter box's, the list's)
        # instead of taking one of its own a frame period (16 ms) later.
        assert isinstance(self, Widget)
        for widget in (self, *self.children):
            check_refresh(widget)

    def refresh_pane(self) -> None:
        self.apply(self.load(self.account_id), None)

    def load(self, account_id: int | None) -> Any:
        raise NotImplementedError

    def lines_for(self, state: Any, width: int) -> list[Strip]:
        raise NotImplementedError

    def apply(self, state: Any, lines: list[Strip] | None) -> None:
        raise NotImplementedError

    @property
    def view(self) -> LineView:
        """The line view that draws this pane (the pane itself, or its one child)."""
        assert isinstance(self, LineView)
        return self

    def _prepared_key(self, account_id: int | None) -> tuple[object, ...]:
        view, session = self.view, self.session
        return (
            account_id,
            session.store.seq,
            session.today,
            id(session.thresholds),
            view.line_width,
            view.style_generation,
        )

    def prepare(self, account_id: int | None) -> None:
        """Load and render ``account_id`` ahead, so that showing it next is cheap (the accounts
        beside the cursor, while the user reads). Anything changed since (data, today, width,
        styles) makes the prepared lines unused: they are keyed by all of it."""
        key = self._prepared_key(account_id)
        width = self.view.line_width
        if key in self.prepared or width <= 0:
            return
        state = self.load(account_id)
        lines = self.lines_for(state, width)
        # Drawn, a line gets the view's base style and its row (borders, padding): made now for
        # the lines a view shows first, drawing them is a look-up.
        view = self.view
        view.make_ahead(lines[: max(0, view.content_area.height)])
        self.prepared.set(key, (state, lines))


def prepare_accounts(root: DOMNode, account_ids: Iterable[int | None]) -> None:
    """Prepare every shown pane under ``root`` for these accounts (see Pane.prepare)."""
    # Shown: the pane itself and its view (a pane hidden by the layout keeps a displayed child).
    panes = [w for w in root.query("*") if isinstance(w, Pane) and w.view.display and getattr(w, "display", True)]
    for account_id in account_ids:
        for pane in panes:
            pane.prepare(account_id)


def set_subtitle(widget: LineView, text: str) -> None:
    """The pane's subtitle, on its bottom border: a new one repaints that row, not the pane."""
    set_border_subtitle(widget, text)
