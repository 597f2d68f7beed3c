"""The portfolio's open pipeline (o on the portfolio): every open opportunity of every account by
stage and by expected close month (overdue, the next twelve months, later, no date) with count,
value and weighted value, then the overdue ones and the largest by weighted value, each with its
account. Enter on one of those opens its account; escape (or o) goes back to the portfolio."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.widgets import Static

from kamtui.domain.deals import Opportunity
from kamtui.domain.errors import ValidationError
from kamtui.domain.pipeline import by_close_month, by_stage, is_overdue
from kamtui.domain.text import money
from kamtui.i18n import N_, _, ngettext
from kamtui.ui.deal_texts import pipeline_deal_line, pipeline_table
from kamtui.ui.footer import FittingFooter
from kamtui.ui.line_view import CursorView, text_lines
from kamtui.ui.session import Session

LARGEST = 15  # the open opportunities listed by weighted value


def pipeline_lines(opps: list[Opportunity], names: dict[int, str], today: dt.date) -> list[tuple[int | None, Text]]:
    """The view's lines, each with the account it opens (None: not selectable). Pure."""
    lines: list[tuple[int | None, Text]] = []

    def add(texts: list[Text]) -> None:
        lines.extend((None, t) for t in texts)

    add(pipeline_table(_("Open pipeline by stage"), by_stage(opps)))
    add([Text("")])
    add(pipeline_table(_("By expected close month"), by_close_month(opps, today)))
    open_ = [o for o in opps if o.is_open]
    late = sorted((o for o in open_ if is_overdue(o, today)), key=lambda o: o.close_date or today)
    largest = sorted(open_, key=lambda o: -o.weighted)[:LARGEST]
    groups = ((_("Overdue: expected to close before today"), late), (_("Largest by weighted value"), largest))
    for title, group in groups:
        add([Text(""), Text(f"{title} ({len(group)})", style="bold underline")])
        if not group:
            add([Text("  " + _("none"), style="dim")])
        for o in group:
            name = names.get(o.account_id) or _("account {id}").format(id=o.account_id)
            lines.append((o.account_id, pipeline_deal_line(name, o, today)))
    return lines


class PipelineList(CursorView):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "first", N_("First"), show=False, id="first"),
        Binding("G", "last", N_("Last"), show=False, id="last"),
    ]
    DEFAULT_CSS = """
    PipelineList { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="pipeline-list")
        self.lines: list[tuple[int | None, Text]] = []

    def set_content(self, lines: list[tuple[int | None, Text]]) -> None:
        self.lines = lines
        self.targets = [i for i, (account, _t) in enumerate(lines) if account is not None]
        self.cursor = 0
        self.rebuild()

    def build(self, width: int) -> list[Strip]:
        console = self.app.console
        out: list[Strip] = []
        for _a, text in self.lines:
            text.no_wrap, text.overflow = True, "ellipsis"
            out.extend(text_lines(text, width, console)[:1] or [Strip.blank(width)])
        return out

    @property
    def current_account(self) -> int | None:
        line = self.cursor_line
        return self.lines[line][0] if line is not None else None


class PipelineScreen(Screen[int | None]):
    """Dismissed with the account to open (enter on an opportunity), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter", "open", N_("Open"), tooltip=N_("Open the opportunity's account in the panes"), id="pipeline-open"
        ),
        Binding("escape,o", "close", N_("Back"), tooltip=N_("Back to the portfolio"), id="pipeline-close"),
        Binding("q", "app.quit", N_("Quit"), id="quit"),
    ]
    DEFAULT_CSS = """
    PipelineScreen #pipeline-title { height: 1; background: $panel; padding: 0 1; }
    """

    class Loaded(Message):
        def __init__(self, lines: list[tuple[int | None, Text]], title: Text) -> None:
            super().__init__()
            self.lines = lines
            self.title = title

    def __init__(self, session: Session) -> None:
        super().__init__(id="pipeline")
        self.session = session

    def compose(self) -> ComposeResult:
        yield Static(_("Pipeline · reading the opportunities…"), id="pipeline-title", markup=False)
        yield PipelineList()
        yield FittingFooter()

    def on_mount(self) -> None:
        self.query_one(PipelineList).focus()
        self._load()

    @work(thread=True, exclusive=True, group="pipeline")
    def _load(self) -> None:
        s = self.session
        names = {i: str(d.get("name", "")) for i, d in s.store.all("accounts")}
        opps: list[Opportunity] = []
        skipped = 0
        for i, doc in s.store.all("opportunities"):
            try:
                opps.append(Opportunity.from_doc(doc, i))
            except (ValidationError, TypeError):
                skipped += 1  # damaged: kamtui check names it; the rest still adds up
        open_ = [o for o in opps if o.is_open]
        title = Text(no_wrap=True, overflow="ellipsis")
        n = len(open_)
        title.append(
            ngettext("Pipeline · {n} open opportunity", "Pipeline · {n} open opportunities", n).format(n=f"{n:,}"),
            style="bold",
        )
        weighted = _("{amount} weighted").format(amount=money(sum(o.weighted for o in open_)))
        title.append(f" · {money(sum(o.value for o in open_))} · {weighted}")
        if skipped:
            title.append(" · " + _("{n} damaged left out (kamtui check)").format(n=skipped), style="yellow")
        self.post_message(self.Loaded(pipeline_lines(opps, names, s.today), title))

    def on_pipeline_screen_loaded(self, message: Loaded) -> None:
        self.query_one("#pipeline-title", Static).update(message.title)
        self.query_one(PipelineList).set_content(message.lines)

    def action_open(self) -> None:
        account = self.query_one(PipelineList).current_account
        if account is not None:
            self.dismiss(account)

    def action_close(self) -> None:
        self.dismiss(None)
