"""Command palette (ctrl+p): every action, and "go to account" by fuzzy name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from kamtui.domain.text import clean

if TYPE_CHECKING:
    from kamtui.ui.app import KamApp

MAX_ACCOUNT_HITS = 30


def _actions(app: KamApp) -> list[tuple[str, str, Callable[[], object]]]:
    from kamtui.ui.account_list import AccountList
    from kamtui.ui.panes import PlanPane, ReviewPane, StakeholderPane

    lst = app.query_one(AccountList)
    sh = app.query_one(StakeholderPane)
    plan = app.query_one(PlanPane)
    rev = app.query_one(ReviewPane)
    return [
        ("Today: what needs me", "Today's queue (t)", app.action_today),
        ("Guided review of due accounts", "Walk the due accounts one by one (R)", app.action_guided_review),
        ("Portfolio: Pareto, RFM, promotion candidates", "Rank every customer (p)", app.action_portfolio),
        ("Import a CSV export", "HubSpot or Salesforce accounts or contacts, dry run first (I)", app.action_import_csv),
        ("Log an interaction", "Meeting, call, email, visit or event (l)", app.action_log_interaction),
        ("Activity timeline", "Interactions, reviews, attitude changes, actions done (i)", app.action_timeline),
        ("Record a review", "Review the selected account (r)", rev.action_review),
        ("Edit review cadence", "Preset or RRULE, next dates previewed (c)", rev.action_cadence),
        ("Add stakeholder", "Add someone to the relationship map", sh.action_add),
        ("Add objective", "Add an objective to the account plan", plan.action_add_objective),
        ("Undo", "Undo the last change (u)", app.action_undo),
        ("Sort accounts", "Cycle the sort column (s)", lst.action_sort),
        ("Reverse sort", "Reverse the sort order (S)", lst.action_reverse),
        ("Filter accounts", "Filter as you type (/)", lst.action_filter),
        ("Only my accounts", "Toggle the 'mine' filter (m)", lst.action_toggle_mine),
        ("Only accounts due", "Toggle the 'due or overdue' filter (d)", lst.action_toggle_due),
        ("Only key accounts", "Toggle the 'key accounts' filter (K)", lst.action_toggle_key),
        ("Clear filters", "Show every account (escape)", lst.action_clear),
        ("Zoom pane", "Zoom the focused pane to full screen and back (z)", app.action_zoom),
        ("Show stakeholders", "Stakeholder grid (1)", partial(app.action_tab, "stakeholders")),
        ("Show plan", "Plan checklist (2)", partial(app.action_tab, "plan")),
        ("Show reviews", "Review cadence (3)", partial(app.action_tab, "reviews")),
        ("Light / dark theme", "Toggle the theme (T)", app.action_toggle_theme),
        ("Keys", "Every key of the focused pane (?)", app.action_help),
        ("Quit", "Leave kamtui (q)", app.exit),
    ]


class PlainMatcher(Matcher):
    """A matcher whose candidates are plain text: an account called ``[bold]x`` or
    ``[@click=app.quit]x[/]`` is shown as typed, never parsed as markup (Textual's
    ``Matcher.highlight`` parses it: styles, click actions, or a markup error)."""

    def highlight(self, candidate: str) -> Content:
        text = clean(candidate)  # no control character reaches the terminal (a no-op on row names)
        content = Content(text)
        score, offsets = self.fuzzy_search.match(self.query, text)
        if not score:
            return content
        for offset in offsets:
            if not text[offset].isspace():
                content = content.stylize(self.match_style, offset, offset + 1)
        return content


class KamCommands(Provider):
    @property
    def kam(self) -> KamApp:
        return self.app  # type: ignore[return-value]

    def _go_to(self, account_id: int) -> None:
        self.kam.leave_today()  # from Today (where kamtui opens) the account would stay hidden behind it
        self.kam.go_to_account(account_id)

    def matcher(self, user_input: str, case_sensitive: bool = False) -> Matcher:
        return PlainMatcher(user_input, match_style=self.match_style, case_sensitive=case_sensitive)

    async def discover(self) -> Hits:
        for name, help_text, fn in _actions(self.kam):
            yield DiscoveryHit(Content(name), fn, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, fn in _actions(self.kam):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), fn, text=name, help=help_text)
        if len(query.strip()) < 2:
            return
        needle = query.lower()
        hits: list[tuple[float, str, int]] = []
        first = needle[0]
        for row in self.kam.rows.rows.values():  # row.name is already cleaned for display
            low = row.name.lower()
            if first not in low:
                continue
            score = matcher.match(row.name)
            if score > 0:
                hits.append((score, row.name, row.id))
        hits.sort(key=lambda h: -h[0])
        for score, name, account_id in hits[:MAX_ACCOUNT_HITS]:
            label = f"Go to account: {name}"
            yield Hit(
                score * 0.99,
                matcher.highlight(label),
                partial(self._go_to, account_id),
                text=label,
                help="Select it in the account list",
            )
