"""Pure text builders for the opportunities: the pane's lines, the account header's figures and
the portfolio's pipeline view. Entities in, ``rich.text.Text`` out; no widget, no app, no store.

Stored text (titles, owners, objectives, reasons, account names) is cleaned and appended as
text, never parsed as markup.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from kamtui.domain.deals import STAGE_PROBABILITY, Opportunity, Stage
from kamtui.domain.formats import date as full_date
from kamtui.domain.formats import money_cell
from kamtui.domain.pipeline import NO_DATE, OVERDUE, Pipeline, PipelineRow, is_overdue, total_row
from kamtui.domain.text import cell_width, clean, money, truncate
from kamtui.i18n import _, language, ngettext, pgettext
from kamtui.ui.texts import fill

STAGE_STYLE = {Stage.WON: "green", Stage.LOST: "red"}
WIDE = 96  # cells: from here a line has a stage column (narrower, the group header names it)
NARROW = 60  # cells: below, no weighted column (the group header sums it): the close date fits


def stage_label(stage: Stage) -> str:
    """A stage in words (``open`` is the stage of older records that did not record one)."""
    return _("open, stage not set") if stage is Stage.OPEN else stage_word(stage)


def stage_word(stage: Stage) -> str:
    """A stage's name, in the user's language (an opportunity: feminine in Spanish)."""
    words = {
        Stage.OPEN: pgettext("stage", "open"),
        Stage.PROSPECT: pgettext("stage", "prospect"),
        Stage.QUALIFY: pgettext("stage", "qualify"),
        Stage.PROPOSE: pgettext("stage", "propose"),
        Stage.NEGOTIATE: pgettext("stage", "negotiate"),
        Stage.COMMIT: pgettext("stage", "commit"),
        Stage.WON: pgettext("stage", "won"),
        Stage.LOST: pgettext("stage", "lost"),
    }
    return words[stage]


def row_label(label: str) -> str:
    """A pipeline row's label (a stage, a month, overdue...) in the user's language."""
    if label in Stage.__members__.values():
        return stage_word(Stage(label))
    if label == OVERDUE:
        return pgettext("pipeline row", "overdue")
    if label == NO_DATE:
        return pgettext("pipeline row", "no date")
    if label == "total":
        return pgettext("pipeline row", "total")
    if label.startswith("after "):
        return _("after {month}").format(month=label.removeprefix("after "))
    return label


_WIDTHS: dict[str, tuple[int, int]] = {}


def _stage_prob_widths() -> tuple[int, int]:
    """The stage and probability columns' widths: at least the English ones (9, 7), wider for
    longer words (Spanish "negociación"); worked out once per language."""
    lang = language()
    widths = _WIDTHS.get(lang)
    if widths is None:
        stages = max(cell_width(stage_word(s)) for s in Stage if s is not Stage.OPEN)
        prob = cell_width(_("{chance}% set").format(chance=50))
        widths = _WIDTHS[lang] = (min(12, max(9, stages)), min(9, max(7, prob)))
    return widths


def _cell(value: str, width: int, right: bool = False) -> str:
    cut = truncate(value, width)
    pad = " " * max(0, width - cell_width(cut))
    return pad + cut if right else cut + pad


def _title_width(width: int, wide: bool) -> int:
    """The title's column: what the other columns leave, keeping ~28 cells for the owner and the
    objective (at least 14, at most 36); narrow, all the close date leaves."""
    stage_w, prob_w = _stage_prob_widths()
    if width < NARROW:
        return max(14, width - 2 - 7 - prob_w - 2 - 13)
    extra = (stage_w - 9 if wide else 0) + prob_w - 7
    return max(14, min(36, width - (49 if wide else 39) - extra - 28))


def close_words(o: Opportunity, today: dt.date) -> tuple[str, str]:
    """The expected close date as shown, and its style: an open one already past it is overdue."""
    if o.close_date is None:
        return (pgettext("close date", "no date"), "dim") if o.is_open else ("-", "dim")
    if is_overdue(o, today):
        days = (today - o.close_date).days
        amount = f"{days}d" if days < 14 else f"{days // 7}w" if days < 70 else f"{days // 30}mo"
        return _("overdue {amount}").format(amount=amount), "bold red"
    return full_date(o.close_date), ""


def probability_words(o: Opportunity) -> tuple[str, str]:
    """The probability, and its style: the stage's default plain, one set by hand marked "set"."""
    if o.is_open and o.probability is not None:
        return _("{chance}% set").format(chance=o.chance), "bold"
    return f"{o.chance}%", "dim"


def deal_columns(width: int) -> Text:
    """The column titles over the lines :func:`deal_line` draws at ``width`` cells."""
    wide = width >= WIDE
    stage_w, prob_w = _stage_prob_widths()
    t = Text(no_wrap=True, overflow="ellipsis", style="dim")
    t.append("  " + _cell(_("Opportunity"), _title_width(width, wide)) + " ")
    t.append(_cell(pgettext("deal column", "value"), 6, right=True) + " ")
    if wide:
        t.append(_cell(pgettext("deal column", "stage"), stage_w) + " ")
    t.append(_cell(pgettext("deal column", "prob."), prob_w) + (" " if width >= NARROW else ""))
    if width >= NARROW:
        t.append(_cell(pgettext("deal column", "wtd"), 6, right=True))
    t.append("  " + _cell(pgettext("deal column", "close"), 13) + " " + pgettext("deal column", "owner · objective"))
    return t


def deal_line(o: Opportunity, objective: str | None, today: dt.date, width: int, currency: str = "") -> Text:
    """One line: title, value, stage (wide), probability, weighted value, expected close date (or
    "overdue"), owner, the objective it serves and, closed, why. ``currency``: the account's own
    (empty: the portfolio's)."""
    wide = width >= WIDE
    stage_w, prob_w = _stage_prob_widths()
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append("  ")
    t.append(_cell(clean(o.title), _title_width(width, wide)), style="bold" if o.is_open else "")
    t.append(" " + money_cell(o.value, currency, 6) + " ")
    if wide:
        t.append(_cell(stage_word(o.stage), stage_w), style=STAGE_STYLE.get(o.stage, "cyan"))
        t.append(" ")
    words, style = probability_words(o)
    t.append(_cell(words, prob_w), style=style)
    if width >= NARROW:
        t.append(" " + money_cell(o.weighted, currency, 6))
    t.append("  ")
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


def group_header(
    title: str, opps: list[Opportunity], today: dt.date, open_group: bool | None = None, currency: str = ""
) -> Text:
    """A group's title line: Open, Won or Lost (``title``, in the user's language; ``open_group``:
    the open one, which says its weighted value and what is overdue), with how many and how much."""
    if open_group is None:
        open_group = title == "Open"
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f"{title} ({len(opps)})", style="bold underline")
    if not opps:
        return t
    value = sum(o.value for o in opps)
    t.append(f"  {money(value, currency)}", style="bold")
    if open_group:
        weighted = money(sum(o.weighted for o in opps), currency)
        t.append(" · " + _("{amount} weighted").format(amount=weighted), style="dim")
        late = sum(1 for o in opps if is_overdue(o, today))
        if late:
            t.append(" · " + ngettext("{n} overdue", "{n} overdue", late).format(n=late), style="bold red")
    return t


def stage_header(stage: Stage, opps: list[Opportunity], currency: str = "") -> Text:
    """An open stage's line within the Open group: its default probability, count and value."""
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(f" {stage_label(stage)}", style="bold cyan")
    default = _("default {chance}%").format(chance=STAGE_PROBABILITY[stage])
    t.append(f"  {default} · {len(opps)} · {money(sum(o.value for o in opps), currency)}", style="dim")
    return t


def deals_summary(p: Pipeline, currency: str = "") -> str:
    """The pane's subtitle: the weighted open pipeline and what was won in the last 12 months."""
    return ngettext(
        "pipeline {weighted} weighted ({n} open) · won {won} in 12 months",
        "pipeline {weighted} weighted ({n} open) · won {won} in 12 months",
        p.open_count,
    ).format(weighted=money(p.weighted, currency), n=p.open_count, won=money(p.won_12m, currency))


def header_figures(revenue: float, p: Pipeline, currency: str = "") -> Text:
    """The account header's money: current annual revenue, the weighted open pipeline (when
    something is open) and what was won in the last 12 months (when anything was), in the
    account's ``currency`` ("": the portfolio's)."""
    t = Text(no_wrap=True)
    t.append(_("{amount}/yr").format(amount=money(revenue, currency)))
    if p.open_count:
        t.append(" · ", style="dim")
        fill(t, _("pipeline {amount} wtd"), "dim", amount=(money(p.weighted, currency), "bold"))
    if p.won_12m:
        t.append(" · ", style="dim")
        fill(t, _("won 12m {amount}"), "dim", amount=(money(p.won_12m, currency), "bold green"))
    return t


# --------------------------------------------------------- the portfolio's pipeline view
def _row_text(row: PipelineRow, bold: bool = False, style: str = "") -> Text:
    t = Text(no_wrap=True, overflow="ellipsis", style="bold" if bold else "")
    t.append(f"  {_cell(row_label(row.label), 22)}", style=style)
    if row.count:
        t.append(f" {row.count:>5} {money(row.value):>8} {money(row.weighted):>8}")
    else:
        t.append(f" {'-':>5} {'-':>8} {'-':>8}", style="dim")
    return t


def pipeline_table(title: str, rows: list[PipelineRow]) -> list[Text]:
    """A breakdown's lines: its title and column names, a line per row, then the total."""
    head = Text(no_wrap=True, overflow="ellipsis")
    head.append(title, style="bold underline")
    count, value = pgettext("pipeline column", "count"), pgettext("pipeline column", "value")
    weighted = pgettext("pipeline column", "weighted")
    cols = Text(f"  {'':<22} {count:>5} {value:>8} {weighted:>8}", style="dim", no_wrap=True)
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
    t.append(f"  {stage_word(o.stage)}", style="cyan")
    return t
