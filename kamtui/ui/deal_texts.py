"""Pure text builders for the opportunities: the pane's lines, the account header's figures and
the portfolio's pipeline view. Entities in, ``rich.text.Text`` out; no widget, no app, no store.

Stored text (titles, owners, objectives, reasons, account names) is cleaned and appended as
text, never parsed as markup.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from kamtui.domain.deals import STAGE_PROBABILITY, Opportunity, Stage
from kamtui.domain.pipeline import NO_DATE, OVERDUE, Pipeline, PipelineRow, is_overdue, total_row
from kamtui.domain.text import cell_width, clean, money, truncate

STAGE_STYLE = {Stage.WON: "green", Stage.LOST: "red"}
WIDE = 96  # cells: from here a line has a stage column (narrower, the group header names it)


def stage_label(stage: Stage) -> str:
    """A stage in words (``open`` is the stage of older records that did not record one)."""
    return "open, stage not set" if stage is Stage.OPEN else stage.value


def _cell(value: str, width: int, right: bool = False) -> str:
    cut = truncate(value, width)
    pad = " " * max(0, width - cell_width(cut))
    return pad + cut if right else cut + pad


def _title_width(width: int, wide: bool) -> int:
    """The title's column: what the other columns leave, keeping ~28 cells for the owner and the
    objective (at least 14, at most 36)."""
    return max(14, min(36, width - (49 if wide else 39) - 28))


def close_words(o: Opportunity, today: dt.date) -> tuple[str, str]:
    """The expected close date as shown, and its style: an open one already past it is overdue."""
    if o.close_date is None:
        return ("no date", "dim") if o.is_open else ("-", "dim")
    if is_overdue(o, today):
        days = (today - o.close_date).days
        amount = f"{days}d" if days < 14 else f"{days // 7}w" if days < 70 else f"{days // 30}mo"
        return f"overdue {amount}", "bold red"
    return o.close_date.isoformat(), ""


def probability_words(o: Opportunity) -> tuple[str, str]:
    """The probability, and its style: the stage's default plain, one set by hand marked "set"."""
    if o.is_open and o.probability is not None:
        return f"{o.chance}% set", "bold"
    return f"{o.chance}%", "dim"


def deal_columns(width: int) -> Text:
    """The column titles over the lines :func:`deal_line` draws at ``width`` cells."""
    wide = width >= WIDE
    t = Text(no_wrap=True, overflow="ellipsis", style="dim")
    t.append("  " + _cell("Opportunity", _title_width(width, wide)) + " ")
    t.append(_cell("value", 6, right=True) + " ")
    if wide:
        t.append(_cell("stage", 9) + " ")
    t.append(_cell("prob.", 7) + " " + _cell("wtd", 6, right=True) + "  " + _cell("close", 13) + " owner · objective")
    return t


def deal_line(o: Opportunity, objective: str | None, today: dt.date, width: int) -> Text:
    """One line: title, value, stage (wide), probability, weighted value, expected close date (or
    "overdue"), owner, the objective it serves and, closed, why."""
    wide = width >= WIDE
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append("  ")
    t.append(_cell(clean(o.title), _title_width(width, wide)), style="bold" if o.is_open else "")
    t.append(" " + _cell(money(o.value), 6, right=True) + " ")
    if wide:
        t.append(_cell(o.stage.value, 9), style=STAGE_STYLE.get(o.stage, "cyan"))
        t.append(" ")
    words, style = probability_words(o)
    t.append(_cell(words, 7), style=style)
    t.append(" " + _cell(money(o.weighted), 6, right=True) + "  ")
    words, style = close_words(o, today)
    t.append(_cell(words, 13), style=style)
    t.append(" " + (truncate(clean(o.owner), 14) or "-"), style="dim")
    if objective is not None:
        t.append(" · ◆ ", style="cyan")
        t.append(truncate(clean(objective), 30), style="dim")
    if not o.is_open and o.reason:
        t.append(" · ", style="dim")
        t.append(clean(o.reason), style="italic")
    return t


def group_header(title: str, opps: list[Opportunity], today: dt.date) -> Text:
    """A group's title line: Open, Won or Lost, with how many and how much."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{title} ({len(opps)})", style="bold underline")
    if not opps:
        return t
    value = sum(o.value for o in opps)
    t.append(f"  {money(value)}", style="bold")
    if title == "Open":
        t.append(f" · {money(sum(o.weighted for o in opps))} weighted", style="dim")
        late = sum(1 for o in opps if is_overdue(o, today))
        if late:
            t.append(f" · {late} overdue", style="bold red")
    return t


def stage_header(stage: Stage, opps: list[Opportunity]) -> Text:
    """An open stage's line within the Open group: its default probability, count and value."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f" {stage_label(stage)}", style="bold cyan")
    t.append(f"  default {STAGE_PROBABILITY[stage]}% · {len(opps)} · {money(sum(o.value for o in opps))}", style="dim")
    return t


def deals_summary(p: Pipeline) -> str:
    """The pane's subtitle: the weighted open pipeline and what was won in the last 12 months."""
    return f"pipeline {money(p.weighted)} weighted ({p.open_count} open) · won {money(p.won_12m)} in 12 months"


def header_figures(revenue: float, p: Pipeline) -> Text:
    """The account header's money: current annual revenue, the weighted open pipeline (when
    something is open) and what was won in the last 12 months (when anything was)."""
    t = Text(no_wrap=True)
    t.append(f"{money(revenue)}/yr")
    if p.open_count:
        t.append(" · pipeline ", style="dim")
        t.append(money(p.weighted), style="bold")
        t.append(" wtd", style="dim")
    if p.won_12m:
        t.append(" · won 12m ", style="dim")
        t.append(money(p.won_12m), style="bold green")
    return t


# --------------------------------------------------------- the portfolio's pipeline view
def _row_text(row: PipelineRow, bold: bool = False, style: str = "") -> Text:
    t = Text(no_wrap=True, overflow="ellipsis", style="bold" if bold else "")
    t.append(f"  {_cell(row.label, 22)}", style=style)
    if row.count:
        t.append(f" {row.count:>5} {money(row.value):>8} {money(row.weighted):>8}")
    else:
        t.append(f" {'-':>5} {'-':>8} {'-':>8}", style="dim")
    return t


def pipeline_table(title: str, rows: list[PipelineRow]) -> list[Text]:
    """A breakdown's lines: its title and column names, a line per row, then the total."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(title, style="bold underline")
    cols = Text(f"  {'':<22} {'count':>5} {'value':>8} {'weighted':>8}", style="dim", no_wrap=True)
    lines = [head, cols]
    for row in rows:
        style = "bold red" if row.label == OVERDUE and row.count else "dim" if row.label == NO_DATE else ""
        lines.append(_row_text(row, style=style))
    lines.append(_row_text(total_row(rows), bold=True))
    return lines


def pipeline_deal_line(account: str, o: Opportunity, today: dt.date) -> Text:
    """An open opportunity in the portfolio's view: the account, its title, value, weighted and
    when it should close."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append("  " + _cell(clean(account), 22), style="bold")
    t.append(" " + _cell(clean(o.title), 26))
    t.append(f" {money(o.value):>7} {money(o.weighted):>7}  ")
    words, style = close_words(o, today)
    t.append(words, style=style)
    t.append(f"  {o.stage.value}", style="cyan")
    return t
