"""The meeting brief (`b`): the selected account on one scrollable page, the same sections as
``kamtui export --format brief`` (built by :mod:`kamtui.domain.brief`). `q` or escape closes it."""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from kamtui.domain.account_plan import AccountPlan
from kamtui.domain.brief import Brief, build_brief, hanging
from kamtui.i18n import N_, _, pgettext
from kamtui.store.portfolio import Portfolio, account_plan
from kamtui.ui.everywhere import everywhere_bindings, help_binding
from kamtui.ui.session import Session


def brief_text(brief: Brief) -> Group:
    """The brief as styled lines: late actions in red, stale items in yellow (the words say it
    too). A line too long for the width wraps under its own text, its bullet or indent kept with
    the text's start (a long word or a run of emoji is folded there, never put under the bullet)."""
    # The words the brief's lines say it with (kamtui.domain.brief), in English and as translated.
    late = {"LATE by", pgettext("brief marker", "LATE by")}
    stale = {"stale", "▼ cooling", pgettext("brief marker", "stale"), pgettext("brief marker", "▼ cooling")}
    parts: list[RenderableType] = [Text(brief.title, style="bold"), Text(brief.facts, style="dim")]
    for section in brief.sections:
        parts += [Text(""), Text(section.title, style="bold underline")]
        for line in section.lines:
            style = "red" if any(m in line for m in late) else "yellow" if any(m in line for m in stale) else ""
            parts.append(_hung(line, style))
    return Group(*parts)


def _hung(line: str, style: str) -> RenderableType:
    lead, text = hanging(line)
    if not lead:
        return Text(line, style=style, overflow="fold")
    grid = Table.grid(expand=True)
    grid.add_column(width=cell_len(lead), no_wrap=True)
    grid.add_column(ratio=1, overflow="fold")
    grid.add_row(Text(lead, style=style), Text(text, style=style, overflow="fold"))
    return grid


class BriefScreen(ModalScreen[None]):
    """One account's meeting brief; scrolls with the arrows, j/k, PgUp/PgDn, g/G; `?` lists its keys."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q,escape,b", "close", N_("Close"), id="brief-close"),
        Binding("j,down", "scroll(1)", N_("Down"), show=False, id="cursor-down"),
        Binding("k,up", "scroll(-1)", N_("Up"), show=False, id="cursor-up"),
        Binding("pagedown,space", "page(1)", N_("Page down"), show=False, id="page-down"),
        Binding("pageup", "page(-1)", N_("Page up"), show=False, id="page-up"),
        Binding("g,home", "edge(0)", N_("First"), show=False, id="first"),
        Binding("G,end", "edge(1)", N_("Last"), show=False, id="last"),
        help_binding(),
        *everywhere_bindings(),
    ]
    DEFAULT_CSS = """
    BriefScreen { align: center middle; }
    BriefScreen #brief-dialog {
        width: 100%; max-width: 110; height: 100%; border: thick $accent; background: $surface; padding: 0 1;
    }
    BriefScreen #brief-scroll { height: 1fr; }
    BriefScreen #brief-hint { height: 1; color: $text-muted; }
    """

    def __init__(self, brief: Brief) -> None:
        super().__init__(id="brief")
        self.brief = brief

    def compose(self) -> ComposeResult:
        with Vertical(id="brief-dialog"):
            with VerticalScroll(id="brief-scroll"):
                yield Static(brief_text(self.brief), id="brief-body", markup=False)
            hint = _("j/k, arrows, PgUp/PgDn, g/G scroll · q / esc close · ? keys")
            yield Static(hint, id="brief-hint", markup=False)

    @property
    def scroller(self) -> VerticalScroll:
        return self.query_one("#brief-scroll", VerticalScroll)

    def action_scroll(self, lines: int) -> None:
        self.scroller.scroll_relative(y=lines, animate=False, immediate=True)

    def action_page(self, direction: int) -> None:
        page = max(1, self.scroller.size.height - 1)
        self.scroller.scroll_relative(y=direction * page, animate=False, immediate=True)

    def action_edge(self, end: int) -> None:
        if end:
            self.scroller.scroll_end(animate=False, immediate=True)
        else:
            self.scroller.scroll_home(animate=False, immediate=True)

    def action_close(self) -> None:
        self.dismiss(None)


def parts_of(portfolio: Portfolio, account_id: int, today: dt.date) -> AccountPlan | None:
    """The account's records a brief is made of (None: no such account)."""
    acc = portfolio.account(account_id)
    return None if acc is None else account_plan(portfolio, acc, today, with_interactions=True)


def open_brief(screen: Screen[Any], session: Session, account_id: int | None) -> None:
    """Push the brief of ``account_id`` over ``screen`` (none selected: say so)."""
    parts = parts_of(session.portfolio, account_id, session.today) if account_id is not None else None
    if parts is None:
        screen.notify(_("No account selected"), timeout=3, markup=False)
        return
    screen.app.push_screen(BriefScreen(build_brief(parts, session.today)))
