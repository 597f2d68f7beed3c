"""Command palette (ctrl+p): every action, and "go to account" by fuzzy name."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher

from kamtui.domain.text import clean
from kamtui.i18n import _
from kamtui.ui.main_screen import MainScreen

MAX_ACCOUNT_HITS = 30
Command = tuple[str, str, Callable[[], object]]


def _actions(app: App[Any], main: MainScreen) -> list[Command]:
    """Every action of the palette, as (name, help, what it runs): the main screen's own
    actions (on the selected account) and the app's."""
    from kamtui.ui.currency_form import currency_form
    from kamtui.ui.panes.plan import PlanPane
    from kamtui.ui.panes.reviews import ReviewPane
    from kamtui.ui.panes.stakeholders import StakeholderPane

    out: list[Command] = [
        (_("Today: what needs me"), _("Today's queue (t)"), main.action_today),
        (_("Guided review of due accounts"), _("Walk the due accounts one by one (R)"), main.action_guided_review),
        (_("Portfolio: Pareto, RFM, promotion candidates"), _("Rank every customer (p)"), main.action_portfolio),
        (
            _("Import a CSV export"),
            _("HubSpot or Salesforce accounts or contacts, dry run first (I)"),
            main.action_import_csv,
        ),
        (_("Log an interaction"), _("Meeting, call, email, visit or event (l)"), main.action_log_interaction),
        (_("Activity timeline"), _("Interactions, reviews, attitude changes, actions done (i)"), main.action_timeline),
        (_("Undo"), _("Undo the last change (u)"), main.action_undo),
        (_("Meeting brief"), _("The selected account on one page (b)"), main.action_brief),
        (_("Score criteria"), _("The selected account's key-account criteria 1-5 (C)"), main.action_criteria),
        (
            _("Portfolio currency"),
            _("The currency amounts show in, for the whole team"),
            lambda: app.push_screen(currency_form(main.session)),
        ),
    ]
    if main.ready:
        lst = main.account_list
        sh, plan, rev = main.query_one(StakeholderPane), main.query_one(PlanPane), main.query_one(ReviewPane)
        out += [
            (_("Record a review"), _("Review the selected account (r)"), rev.action_review),
            (_("Edit review cadence"), _("Preset or RRULE, next dates previewed (c)"), rev.action_cadence),
            (_("Add stakeholder"), _("Add someone to the relationship map"), sh.action_add),
            (_("Add objective"), _("Add an objective to the account plan"), plan.action_add_objective),
            (_("Sort accounts"), _("Cycle the sort column (s)"), lst.action_sort),
            (_("Reverse sort"), _("Reverse the sort order (S)"), lst.action_reverse),
            (_("Filter accounts"), _("Filter as you type (/)"), lst.action_filter),
            (_("Only my accounts"), _("Toggle the 'mine' filter (m)"), lst.action_toggle_mine),
            (_("Only accounts due"), _("Toggle the 'due or overdue' filter (d)"), lst.action_toggle_due),
            (_("Only key accounts"), _("Toggle the 'key accounts' filter (K)"), lst.action_toggle_key),
            (_("Clear filters"), _("Show every account (escape)"), lst.action_clear),
            (_("Zoom pane"), _("Zoom the focused pane to full screen and back (z)"), main.action_zoom),
            (_("Show stakeholders"), _("Stakeholder grid (1)"), partial(main.action_tab, "stakeholders")),
            (_("Show plan"), _("Plan checklist (2)"), partial(main.action_tab, "plan")),
            (_("Show reviews"), _("Review cadence (3)"), partial(main.action_tab, "reviews")),
        ]
    out += [
        (_("Light / dark theme"), _("Toggle the theme (T)"), partial(app.run_action, "app.toggle_theme")),
        (_("Keys"), _("The keys that work here (?)"), partial(app.run_action, "app.help")),
        (_("Quit"), _("Leave kamtui (q)"), partial(app.run_action, "app.quit")),
    ]
    return out


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
    def main(self) -> MainScreen:
        return next(s for s in self.app.screen_stack if isinstance(s, MainScreen))

    def _go_to(self, account_id: int) -> None:
        main = self.main
        main.leave_today()  # from Today (where kamtui opens) the account would stay hidden behind it
        main.go_to_account(account_id)

    def matcher(self, user_input: str, case_sensitive: bool = False) -> Matcher:
        return PlainMatcher(user_input, match_style=self.match_style, case_sensitive=case_sensitive)

    async def discover(self) -> Hits:
        for name, help_text, fn in _actions(self.app, self.main):
            yield DiscoveryHit(Content(name), fn, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, fn in _actions(self.app, self.main):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), fn, text=name, help=help_text)
        if len(query.strip()) < 2:
            return
        needle = query.lower()
        hits: list[tuple[float, str, int]] = []
        first = needle[0]
        for row in self.main.session.rows.rows.values():  # row.name is already cleaned for display
            low = row.name.lower()
            if first not in low:
                continue
            score = matcher.match(row.name)
            if score > 0:
                hits.append((score, row.name, row.id))
        hits.sort(key=lambda h: -h[0])
        for score, name, account_id in hits[:MAX_ACCOUNT_HITS]:
            label = _("Go to account: {name}").format(name=name)
            yield Hit(
                score * 0.99,
                matcher.highlight(label),
                partial(self._go_to, account_id),
                text=label,
                help=_("Select it in the account list"),
            )
