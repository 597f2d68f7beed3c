"""The account header: two lines on who the account is and how it is doing."""

from __future__ import annotations

from rich.text import Text
from textual.strip import Strip

from kamtui.domain.pipeline import Pipeline
from kamtui.i18n import _
from kamtui.store.portfolio import account_health
from kamtui.ui.damage import damage_text, damaged
from kamtui.ui.deal_texts import header_figures
from kamtui.ui.line_view import LineView, text_lines
from kamtui.ui.panes.base import Pane
from kamtui.ui.session import Session
from kamtui.ui.texts import NO_ACCOUNT, header_text


class AccountHeader(LineView, Pane):
    DEFAULT_CSS = """
    AccountHeader { height: 2; background: $panel; padding: 0 1; }
    """

    def __init__(self, session: Session) -> None:
        super().__init__(id="account-header")
        self.init_pane(session)
        self._text = Text(_(NO_ACCOUNT), style="dim")

    def load(self, account_id: int | None) -> Text:
        p = self.session.portfolio
        acc = p.account(account_id) if account_id is not None else None
        if acc is None or acc.id is None:
            broken = damaged(p, "accounts", account_id, 0) if account_id is not None else []
            return damage_text(broken) if broken else Text(_(NO_ACCOUNT), style="dim")
        today = self.session.today
        figures = header_figures(acc.revenue, Pipeline.of(p.opportunities(acc.id), today), acc.currency)
        h = account_health(p, acc.id, today, self.session.thresholds.health_trend_points)
        return header_text(acc, h, p.stakeholders(acc.id), today, figures)

    def lines_for(self, state: Text, width: int) -> list[Strip]:
        return text_lines(state, width, self.app.console)

    def apply(self, state: Text, lines: list[Strip] | None) -> None:
        self._text = state
        if lines is None:
            self.rebuild()
        else:
            self.set_lines(lines, self.line_width)

    def build(self, width: int) -> list[Strip]:
        return self.lines_for(self._text, width)
