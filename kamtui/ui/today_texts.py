"""Today's texts: the counts line, the highlighted item's rank in words, each item's line, and
the note under a group cut short (pure functions of the queue, shown as data: never markup)."""

from __future__ import annotations

import datetime as dt

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from kamtui.domain.formats import due_words
from kamtui.domain.queue import KIND_ORDER, KIND_TITLES, QueueItem
from kamtui.domain.text import clean, truncate
from kamtui.i18n import _, ngettext


def count_words(kind: str, n: int, terse: bool = False) -> str:
    """ "5 reviews", "1 red alert" (terse, on a narrow screen: "1 red"), in the user's language."""
    if kind == "review":
        return ngettext("{n} review", "{n} reviews", n).format(n=n)
    if kind == "action":
        return ngettext("{n} action", "{n} actions", n).format(n=n)
    if kind == "contact":
        return ngettext("{n} contact", "{n} contacts", n).format(n=n)
    if kind == "losing_touch":
        return ngettext("{n} losing touch", "{n} losing touch", n).format(n=n)
    if kind == "risk":
        if terse:
            return ngettext("{n} red", "{n} red", n).format(n=n)
        return ngettext("{n} red alert", "{n} red alerts", n).format(n=n)
    if kind == "plan":
        if terse:
            return ngettext("{n} plan", "{n} plan", n).format(n=n)
        return ngettext("{n} plan flag", "{n} plan flags", n).format(n=n)
    return f"{n} {_(KIND_TITLES[kind]).lower()}"


SEVERITY_MARK = {2: ("!!", "bold red"), 1: ("! ", "yellow"), 0: ("  ", "dim")}


def counts_line(c: dict[str, int], pending: str, any_items: bool, width: int) -> Text:
    """ "5 reviews  ·  18 actions  ·  …": in fewer words when that does not fit ``width``, then cut."""
    line = Text()
    for gap, terse in (("  ·  ", False), (" · ", True)):
        line = Text(no_wrap=True, overflow="ellipsis")
        for n, kind in enumerate(k for k in KIND_ORDER if c[k]):
            if n:
                line.append(gap, style="dim")
            line.append(count_words(kind, c[kind], terse), style="bold" if kind != "risk" else "bold red")
        if pending:
            line.append((gap if any_items else "") + pending, style="dim")
        if line.cell_len <= width:
            break
    line.truncate(width, overflow="ellipsis")
    return line


def why_text(it: QueueItem | None, width: int) -> Text:
    """The highlighted item's rank in words, for the title's first line ("  ·  ranked: 1.9M key,
    map red, 3w late"), cut to ``width``; nothing when there is no room for it."""
    t = Text(no_wrap=True, overflow="ellipsis", style="dim italic")
    if it is not None and it.ranked and width >= 20:
        t.append("  ·  " + _("ranked: {why}").format(why=clean(it.ranked)))
        t.truncate(width, overflow="ellipsis")
    return t


def queue_line(it: QueueItem, today: dt.date, width: int) -> Text:
    """One queue item on one line: urgency, when, the account, what."""
    mark, style = SEVERITY_MARK[it.severity]
    t = Text(no_wrap=True, overflow="ellipsis")
    t.append(mark + " ", style=style)
    # The 9-cell column: "in 3d", "2d late"; in Spanish the compact "en 3 d", "-3 sem.".
    when = due_words(it.due, today, compact=True) if it.due else (_("red") if it.severity >= 2 else _("amber"))
    t.append(f"{when:<9} ", style=style)
    acc_w = max(19, min(27, width // 4 + 1))  # a quarter of the line: 20 at 80 columns, 25 at 100
    t.append(f"{truncate(clean(it.account), acc_w - 1):<{acc_w}}", style="bold")
    if it.kind == "review":
        t.append(clean(it.detail))
    elif it.kind in ("contact", "losing_touch"):
        t.append(clean(it.title), style="bold")
        t.append(f"  {clean(it.detail)}", style="dim")
    else:
        t.append(clean(it.title))
        if it.kind == "action":
            t.append(f"  {clean(it.detail)}", style="dim")
    why = "  · " + _("ranked: {why}").format(why=clean(it.ranked)) if it.ranked else ""  # kamtui.domain.stakes
    if why and t.cell_len + cell_len(why) <= width:  # whole or not at all: the title has the highlighted one's
        t.append(why, style="dim italic")
    t.truncate(width, overflow="ellipsis")
    return t


def more_note(n: int, width: int, console: Console) -> Text:
    """The note under a group cut at GROUP_LIMIT items, wrapped to ``width`` here (the list
    cuts its lines rather than wrap them), each line after the first indented."""
    more = Text(_("{n} more, less urgent: m shows only yours; ").format(n=n), style="dim")
    more.append(_("kamtui due --format plain lists them all"), style="dim italic")
    lines = more.wrap(console, max(10, width - 5))
    return Text("\n").join(Text.assemble("     " if i else "   … ", line) for i, line in enumerate(lines))
