"""The reviews pane: the cadence in words, the next review due, the review risks and notes,
today's health against the last review's recorded one (what moved, in words), beside (or,
narrower, under) the trends of the scores and of the recorded health; then what changed since
the last review (kamtui.domain.changes) and every review,
newest first, with its date, reviewer, scores and notes (the pane scrolls; zoomed, it shows
them all)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.strip import Strip

from kamtui.domain.health import since_review
from kamtui.domain.model import Account
from kamtui.i18n import N_, _
from kamtui.store.agenda import account_changes
from kamtui.store.portfolio import account_health
from kamtui.ui.change_texts import changes_text
from kamtui.ui.damage import damage_text, damaged
from kamtui.ui.line_view import LineView, text_lines
from kamtui.ui.panes.base import Pane, set_subtitle
from kamtui.ui.plan_texts import all_reviews_text, score_trends, since_text
from kamtui.ui.session import Session
from kamtui.ui.texts import cadence_text, reviews_count

# The cadence column, the trends column, every review (under both), the subtitle.
ReviewsState = tuple[Text, Text, Text, str]


class ReviewPane(LineView, Pane, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r",
            "review",
            N_("Review"),
            tooltip=N_("Record a review; the next due date moves by the cadence"),
            id="review-record",
        ),
        Binding(
            "c", "cadence", N_("Cadence"), tooltip=N_("Edit the review cadence (preset or RRULE)"), id="review-cadence"
        ),
        Binding("j,down", "scroll_down", N_("Scroll down"), show=False, id="cursor-down"),
        Binding("k,up", "scroll_up", N_("Scroll up"), show=False, id="cursor-up"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="page-down"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="page-up"),
        Binding("home", "scroll_home", N_("Top"), show=False, id="first"),
        Binding("end", "scroll_end", N_("Bottom"), show=False, id="last"),
    ]
    DEFAULT_CSS = """
    ReviewPane { height: 10; border: round $primary 50%; border-title-color: $text; padding: 0 1; }
    ReviewPane:focus { border: round $border; }
    """
    HISTORY_WIDTH = 32
    SIDE_BY_SIDE_FROM = 68  # content width: narrower, the history goes under the cadence

    def __init__(self, session: Session) -> None:
        super().__init__(id="reviews")
        self.init_pane(session)
        self.border_title = _("Reviews")
        self._body = Text()
        self._history = Text()
        self._all = Text()

    def load(self, account_id: int | None) -> ReviewsState:
        p = self.session.portfolio
        acc = p.account(account_id) if account_id is not None else None
        if acc is None or acc.id is None:
            broken = damaged(p, "accounts", account_id, 0) if account_id is not None else []
            return damage_text(broken), Text(), Text(), ""
        reviews = p.reviews(acc.id)
        today, points = self.session.today, self.session.thresholds.health_trend_points
        body = cadence_text(acc, reviews, today, self.session.thresholds)
        h = account_health(p, acc.id, today, points)
        since = since_review(h, p.stakeholders(acc.id), today)
        if since is not None:  # ``health 62 (▼ from 70 at the review of 3 Nov): plan +15, ...``
            body.append("\n").append_text(since_text(since))
        broken = damaged(p, "reviews", acc.id, len(reviews))
        if broken:
            body = Text("\n").join([damage_text(broken), body])
        every = Text(_("All reviews, newest first"), style="bold underline") if reviews else Text()
        if reviews:
            every.append("\n")
            every.append_text(all_reviews_text(reviews))
            # What changed since the last review, above them (wrapped to the pane by text_lines).
            last_day, moved = account_changes(p, acc.id, today, self.session.thresholds)
            moved = [m for m in moved if m.kind != "health"]  # the pane says the health just above
            every = Text("\n\n").join([changes_text(last_day, moved, today, 240), every])
        return body, score_trends(reviews, h, points), every, reviews_count(len(reviews))

    def lines_for(self, state: ReviewsState, width: int) -> list[Strip]:
        body, history, every, _subtitle = state
        return self.render_all(body, history, every, width)

    def apply(self, state: ReviewsState, lines: list[Strip] | None) -> None:
        self._body, self._history, self._all, subtitle = state
        if lines is None:
            self.rebuild()
        else:
            self.set_lines(lines, self.line_width)
        set_subtitle(self, subtitle)

    def build(self, width: int) -> list[Strip]:
        return self.render_all(self._body, self._history, self._all, width)

    def render_all(self, body: Text, history: Text, every: Text, width: int) -> list[Strip]:
        lines = self.render_columns(body, history, width)
        if every:
            lines += [Strip.blank(width), *text_lines(every, width, self.app.console)]
        return lines

    def render_columns(self, body_text: Text, history_text: Text, width: int) -> list[Strip]:
        console = self.app.console
        if width >= self.SIDE_BY_SIDE_FROM:
            side = self.HISTORY_WIDTH
            body = text_lines(body_text, width - side - 1, console)
            history = text_lines(history_text, side, console)
            blank_body, blank_side = Strip.blank(width - side - 1), Strip.blank(side)
            return [
                Strip.join(
                    [
                        body[i] if i < len(body) else blank_body,
                        Strip.blank(1),
                        history[i] if i < len(history) else blank_side,
                    ]
                )
                for i in range(max(len(body), len(history)))
            ]
        history = text_lines(history_text, width, console)
        return text_lines(body_text, width, console) + ([Strip.blank(width), *history] if history else [])

    def _scroll(self, y: float) -> None:
        self.scroll_to(y=y, animate=False, immediate=True)

    def action_scroll_down(self) -> None:
        self._scroll(self.scroll_offset.y + 1)

    def action_scroll_up(self) -> None:
        self._scroll(self.scroll_offset.y - 1)

    def action_page_down(self) -> None:
        self._scroll(self.scroll_offset.y + self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self._scroll(self.scroll_offset.y - self.scrollable_content_region.height)

    def action_scroll_home(self) -> None:
        self._scroll(0)

    def action_scroll_end(self) -> None:
        self._scroll(self.max_scroll_y)

    def _account(self) -> Account | None:
        return self.session.portfolio.account(self.account_id) if self.account_id is not None else None

    def action_review(self) -> None:
        from kamtui.ui.entity_forms import review_form  # forms load when first used

        acc = self._account()
        if acc is not None:
            self.app.push_screen(review_form(self.session, acc))

    def action_cadence(self) -> None:
        from kamtui.ui.entity_forms import cadence_form

        acc = self._account()
        if acc is not None:
            self.app.push_screen(cadence_form(self.session, acc))
