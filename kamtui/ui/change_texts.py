"""What changed since the last review, as text: one line for the guided review's bar, a list
for the reviews pane (built without an App, tested as text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from rich.text import Text

from kamtui.domain.changes import Moved, summary
from kamtui.domain.health import day_words
from kamtui.domain.text import clean, truncate
from kamtui.i18n import _

MARK = {"health": "♥", "attitude": "±", "interaction": "☎", "done": "✓", "late": "!", "deal": "$", "kpi": "◎"}
STYLE = {"late": "red", "done": "green", "health": "bold"}


def changes_line(since: dt.date | None, moved: Sequence[Moved], today: dt.date, width: int) -> Text:
    """``since 02 Oct: 1 attitude change · 2 interactions · 1 newly late`` and the first attitude
    change, or "nothing changed"; "" for an account never reviewed."""
    out = Text(no_wrap=True, overflow="ellipsis")
    if since is None:
        return out
    out.append(_("since {day}: ").format(day=day_words(since, today)), style="dim")
    counts = summary(moved)
    if not counts and not moved:
        out.append(_("nothing changed"), style="dim")
        return out
    out.append(counts or _("health moved"), style="yellow")
    first = next((m for m in moved if m.kind == "attitude"), None)
    if first is not None:
        out.append(" · ")
        out.append(clean(first.text))
    out.truncate(width, overflow="ellipsis")
    return out


def changes_text(since: dt.date | None, moved: Sequence[Moved], today: dt.date, width: int) -> Text:
    """The reviews pane's list: a heading, then one line per change, newest first in each kind."""
    out = Text()
    if since is None:
        return out
    out.append(_("Since the last review ({day})").format(day=day_words(since, today)), style="bold underline")
    if not moved:
        out.append("\n" + _("nothing changed"), style="dim")
        return out
    for m in moved:
        out.append("\n")
        out.append(f"{MARK.get(m.kind, '·')} ", style=STYLE.get(m.kind, "dim"))
        if m.date is not None and m.kind != "health":
            out.append(f"{day_words(m.date, today):<7}", style="dim")
        out.append(truncate(clean(m.text).replace("\n", " "), max(20, width - 10)), style=STYLE.get(m.kind, ""))
    return out
