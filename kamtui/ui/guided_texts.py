"""The guided review bar's text, built without an App (tested as text)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from rich.text import Text

from kamtui.domain.agenda import KEYS, Agenda, AgendaItem
from kamtui.domain.cadence import add_days, in_words
from kamtui.domain.formats import due_words
from kamtui.domain.health import day_words
from kamtui.domain.text import clean, truncate
from kamtui.i18n import N_, _

SCORE_KEYS = {"g": "engagement", "y": "loyalty", "a": "satisfaction", "h": "health"}
MARKS = {"action": "□", "contact": "☎", "losing_touch": "☎", "risk": "▲", "plan": "◇"}
# What each score is called on the bar (the names are the review's stored fields).
SCORE_WORDS = {
    "engagement": N_("engagement"),
    "loyalty": N_("loyalty"),
    "satisfaction": N_("satisfaction"),
    "health": N_("health"),
}
# What the keys do to an item of each kind (kamtui.domain.agenda.KEYS, said in the user's language).
KEY_WORDS = {
    "action": N_("space done · X all · d defer"),
    "contact": N_("l log · L all · +/- attitude"),
    "losing_touch": N_("l log · L all · +/- attitude"),
    "risk": N_("l log · +/- attitude"),
}
SHOWN = 6  # numbered items in sight at once; the rest scroll with j/k


def context_lines(agenda: Agenda, today: dt.date, width: int) -> Text:
    """The previous review's note and the next step: what the last review said, and what is next."""
    out = Text()
    last = agenda.last_review
    if last is None:
        out.append(_("no review yet"), style="dim")
    else:
        day = day_words(last.date, today)
        if last.reviewer:
            said = _("last review {day} by {reviewer}").format(day=day, reviewer=clean(last.reviewer))
        else:
            said = _("last review {day}").format(day=day)
        out.append(said, style="dim")
        note = clean(last.notes).replace("\n", " ")
        out.append(": " if note else " " + _("(no note)"), style="dim")
        if note:
            out.append(truncate(note, max(20, width - 30)))
    step = agenda.next_step
    out.append("\n" + _("next step: "), style="dim")
    if step is None:
        out.append(_("none planned (a adds an action in the plan pane)"), style="yellow")
    else:
        out.append(truncate(clean(step.text), max(20, width - 30)))
        if step.due is not None:
            out.append(f" · {in_words(step.due, today)}", style="red" if step.due < today else "dim")
    return out


def item_line(entry: AgendaItem, selected: bool, width: int, deferred: str = "") -> Text:
    """One numbered item: its number, mark, lateness, what and why."""
    it = entry.item
    style = "reverse" if selected else ""
    line = Text(no_wrap=True, overflow="ellipsis")
    line.append(f"{'▸' if selected else ' '}{entry.number:>2} ", style=f"bold {style}".strip())
    mark_style = "bold red" if it.severity >= 2 else "yellow" if it.severity == 1 else "dim"
    line.append(f"{MARKS.get(it.kind, '·')} ", style=mark_style)
    if it.kind in ("action", "contact", "losing_touch") and it.due is not None:
        if it.days_late > 0:  # in the words Today and the next step use ("4w late", not "28d late")
            late = due_words(it.due, add_days(it.due, it.days_late), compact=True)
        else:
            late = _("today") if it.days_late == 0 else _("soon")
        line.append(f"{late:<9}" if len(late) < 9 else f"{late} ", style=mark_style)
    line.append(clean(it.title), style="bold" if selected else "")
    detail = clean(it.detail)
    if deferred:
        detail = f"{detail} · {deferred}" if detail else deferred
    if detail:
        line.append(f"  {detail}", style="dim")
    line.truncate(width, overflow="ellipsis")
    return line


def item_keys(entry: AgendaItem) -> str:
    """What the keys do to this item ("" when none acts on it: a risk about no one, a KPI)."""
    it = entry.item
    acts = it.kind in KEYS and (it.kind == "action" or entry.stakeholder_id is not None)
    return _(KEY_WORDS.get(it.kind, KEYS[it.kind])) if acts else ""


def items_text(agenda: Agenda, selected: int, width: int, deferred: Mapping[int, str]) -> Text:
    """The numbered items around the selected one (``selected``: index into the items)."""
    out = Text()
    items = agenda.items
    if not agenda.unusual:
        out.append("✓ " + _("nothing unusual: enter records the review"), style="green")
        return out
    start = max(0, min(selected - SHOWN // 2, len(items) - SHOWN))
    shown = items[start : start + SHOWN]
    for n, entry in enumerate(shown):
        if n:
            out.append("\n")
        extra = deferred.get(entry.action_id, "") if entry.action_id is not None else ""
        out.append_text(item_line(entry, start + n == selected, width, extra))
    # Below the items, on a line of its own (a long title would cut it off at 80 columns):
    # how many are out of sight, and what the keys do to the selected one.
    hidden = len(items) - len(shown)
    keys = item_keys(items[selected]) if 0 <= selected < len(items) else ""
    if hidden or keys:
        foot = Text("\n   ", no_wrap=True, overflow="ellipsis")
        if hidden:
            above, below = start, len(items) - start - len(shown)
            up = _("{n} above").format(n=above) if above else ""
            down = _("{n} below").format(n=below) if below else ""
            where = " · ".join(p for p in (up, down) if p)
            foot.append(_("{where}: j/k moves").format(where=where), style="dim")
        if keys:
            foot.append(" · " if hidden else "").append(f"{items[selected].number}: {keys}", style="cyan")
        foot.truncate(width + 1, overflow="ellipsis")
        out.append_text(foot)
    return out


def scores_text(
    scores: Mapping[str, int], pending: str | None, note: str, done: Sequence[str], width: int = 200
) -> Text:
    """The scores with their keys, the note and what was done (each one line, cut to ``width``)."""
    out = Text()
    for key, name in SCORE_KEYS.items():
        out.append(f"{_(SCORE_WORDS[name])} ", style="bold reverse" if pending == name else "dim")
        out.append(f"[{scores[name]}]", style="bold")
        out.append(f" ({key})  ", style="dim")
    if note:
        out.append("\n" + _("note: "), style="dim")
        out.append(truncate(clean(note).replace("\n", " "), max(20, width - 6)))
    if done:
        out.append("\n" + _("done here: "), style="dim")
        more = f" (+{len(done) - 3})" if len(done) > 3 else ""
        said = "; ".join(clean(d) for d in reversed(done[-3:]))  # the latest first
        out.append(truncate(said, max(20, width - 11 - len(more))), style="green")  # 11: the words before
        out.append(more, style="dim")
    if pending:
        out.append(
            "\n" + _("{score}: press 1-5").format(score=_(SCORE_WORDS.get(pending, pending))), style="bold yellow"
        )
    return out
