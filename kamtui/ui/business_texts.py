"""Pure text builders for the Business pane: the client's business (goals, financial health,
initiatives, the four SWOT quadrants), our team and the account's notes, one line each, and
how those lines are arranged at a width (the SWOT as a 2x2 grid when there is room).

No widget, no app, no store: tested without an App (tests/test_ui_business.py). Stored text
is cleaned (:func:`kamtui.domain.text.clean`) and appended as text, never parsed as markup.
Staleness is said in words ("stale: 8 months", "date unknown"), so it reads without colour.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

from rich.text import Text

from kamtui.domain.business import PART_TITLES, STALE_AFTER_DAYS, SWOT_KEYS, BusinessItem
from kamtui.domain.formats import date as full_date
from kamtui.domain.formats import month_day
from kamtui.domain.model import Account
from kamtui.domain.text import clean
from kamtui.i18n import N_, _, ngettext

GRID_MIN_WIDTH = 60  # from this width the SWOT shows as two quadrants side by side
GRID_GAP = " │ "
NOTES_MAX_LINES = 12  # the notes shown in the pane; the rest is in the edit form
HEADER_STYLE = "bold underline"
STALE_STYLE = "bold yellow"


# ------------------------------------------------------------------- one line
@dataclass(frozen=True, slots=True)
class BizLine:
    """One line of the pane: ``key`` names what it shows ("i:goals:2" the third goal, "h:goals"
    the goals' header, "e:goals" their empty hint, "fh" the financial health, "m:0" the first
    team member, "sponsor", "notes" / "notes:3" the notes); ``note`` is kept whole at the
    right (a date, staleness), ``text`` is cut to what room is left."""

    key: str
    selectable: bool
    text: Text
    note: Text = field(default_factory=Text)
    compact_note: Text | None = None  # a shorter note for a narrow cell (None: the note)


def age_words(days: int) -> str:
    """An age in words: "3 days", "5 weeks", "8 months", "2 years"."""
    if days < 14:
        return ngettext("{n} day", "{n} days", days).format(n=days)
    if days < 61:
        return ngettext("{n} week", "{n} weeks", days // 7).format(n=days // 7)
    if days < 730:
        return ngettext("{n} month", "{n} months", days * 12 // 365).format(n=days * 12 // 365)
    return ngettext("{n} year", "{n} years", days // 365).format(n=days // 365)


def updated_note(updated: dt.date | None, today: dt.date, compact: bool = False) -> Text:
    """When an item was last written, stale ones said so in words (``compact``: for a narrow
    cell, the words alone, or a fresh item's :func:`short_date`)."""
    if updated is None:
        return Text(_("date unknown"), style=STALE_STYLE)
    days = (today - updated).days
    if days > STALE_AFTER_DAYS:
        words = _("stale: {age}").format(age=age_words(days))
        return Text(words if compact else f"{full_date(updated)} · {words}", style=STALE_STYLE)
    return Text(short_date(updated, today) if compact else full_date(updated), style="dim")


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: dt.date, today: dt.date) -> str:
    """A date for a narrow cell whose year is never in doubt: " 3 Jun" in today's year (the day
    padded, so that the dates of a column line up), "Sep 2025" in any other. A fresh item is at
    most STALE_AFTER_DAYS old, so last September's may sit beside this January's: month and day
    alone ("09-18") could not tell them apart. The language's month names (" 3 jun", "sept 2025")."""
    return month_day(day, today)


def _item_line(key: str, item: BusinessItem, today: dt.date) -> BizLine:
    text = Text("  • ")
    text.append(clean(item.text))
    return BizLine(key, True, text, updated_note(item.updated, today), updated_note(item.updated, today, True))


def _header(key: str, title: str, count: int, stale: int = 0) -> BizLine:
    text = Text(f"{title} ({count})", style=HEADER_STYLE)
    note = Text(_("{n} stale").format(n=stale), style=STALE_STYLE) if stale else Text()
    return BizLine(key, True, text, note)


def _hint(key: str, words: str = N_("none: a adds one")) -> BizLine:
    """An empty section's hint: ``words`` marked with N_, translated here."""
    return BizLine(key, False, Text(f"  {_(words)}", style="dim"))


# --------------------------------------------------------------- the sections
@dataclass(frozen=True, slots=True)
class BusinessView:
    """The pane's lines, width aside: the lines above the SWOT, each quadrant's (its header
    first), the lines below it, and the notes (wrapped at the width)."""

    top: list[BizLine]
    swot: dict[str, list[BizLine]]
    bottom: list[BizLine]
    notes: str
    subtitle: str


def part_lines(part: str, items: list[BusinessItem], today: dt.date) -> list[BizLine]:
    """A list part (goals, initiatives, a SWOT quadrant): its header, then an item a line."""
    stale = sum(1 for x in items if x.is_stale(today))
    lines = [_header(f"h:{part}", _(PART_TITLES[part]), len(items), stale)]
    lines += [_item_line(f"i:{part}:{i}", x, today) for i, x in enumerate(items)]
    return lines if items else [*lines, _hint(f"e:{part}")]


def health_line(acc: Account, today: dt.date) -> BizLine:
    b = acc.business
    text = Text(_("Financial health:") + " ", style="bold")
    if b.financial_health:
        text.append(clean(b.financial_health), style="")
        return BizLine(
            "fh",
            True,
            text,
            updated_note(b.financial_health_updated, today),
            updated_note(b.financial_health_updated, today, True),
        )
    text.append(_("none: e sets it"), style="not bold dim")
    return BizLine("fh", True, text)


def team_lines(acc: Account) -> list[BizLine]:
    """Our side of the account: the team members with their roles, then the executive sponsor."""
    lines = [_header("h:team", _("Our team"), len(acc.team))]
    for i, m in enumerate(acc.team):
        text = Text("  • ")
        text.append(clean(m.member))
        if m.role:
            text.append(f" · {clean(m.role)}", style="dim")
        lines.append(BizLine(f"m:{i}", True, text))
    if not acc.team:
        lines.append(_hint("e:team"))
    sponsor = Text(_("Executive sponsor:") + " ", style="bold")
    if acc.sponsor:
        sponsor.append(clean(acc.sponsor), style="not bold")
    else:
        sponsor.append(_("none: e names one"), style="not bold dim")
    lines.append(BizLine("sponsor", True, sponsor))
    return lines


def stale_summary(acc: Account, today: dt.date) -> str:
    """The pane's subtitle: how much of the business is stale, in words."""
    b = acc.business
    items = [x for part in ("goals", "initiatives", *SWOT_KEYS) for x in b.items(part)]
    if b.financial_health:  # dated like an item
        items.append(BusinessItem(b.financial_health, b.financial_health_updated))
    stale = sum(1 for x in items if x.is_stale(today))
    swot = [x for k in SWOT_KEYS for x in b.swot[k]]
    swot_stale = sum(1 for x in swot if x.is_stale(today))
    if not items:
        return _("nothing recorded")
    if not stale:
        return _("all up to date")
    out = _("{n} of {total} stale").format(n=stale, total=len(items))
    return out + (" · " + _("SWOT {n} of {total}").format(n=swot_stale, total=len(swot)) if swot else "")


def business_view(acc: Account | None, today: dt.date) -> BusinessView:
    if acc is None:
        return BusinessView([BizLine("none", False, Text(_("No account selected"), style="dim"))], {}, [], "", "")
    b = acc.business
    top = [
        *part_lines("goals", b.goals, today),
        health_line(acc, today),
        *part_lines("initiatives", b.initiatives, today),
    ]
    swot = {k: part_lines(k, b.swot[k], today) for k in SWOT_KEYS}
    return BusinessView(top, swot, team_lines(acc), acc.notes, stale_summary(acc, today))


def notes_lines(notes: str, width: int) -> list[BizLine]:
    """The notes header, then the notes wrapped at ``width`` (at most NOTES_MAX_LINES), each a
    line of its own so that the cursor walks through them."""
    lines = [BizLine("notes", True, Text(_("Notes"), style=HEADER_STYLE))]
    if not notes.strip():
        return [*lines, _hint("e:notes", N_("none: e writes them"))]
    room = max(10, width - 2)
    wrapped: list[str] = []
    for para in clean(notes, one_line=False).split("\n"):
        wrapped.extend(textwrap.wrap(para, room, break_long_words=True, replace_whitespace=False) or [""])
    shown = wrapped[:NOTES_MAX_LINES]
    for i, line in enumerate(shown):
        lines.append(BizLine(f"notes:{i}", True, Text(f"  {line}")))
    if len(wrapped) > len(shown):
        more = len(wrapped) - len(shown)
        more_lines = ngettext("{n} more line: e shows them all", "{n} more lines: e shows them all", more)
        lines.append(BizLine(f"notes:{len(shown)}", True, Text("  … " + more_lines.format(n=more), "dim")))
    return lines


# ------------------------------------------------------------------ arranging
def cell(line: BizLine, width: int) -> Text:
    """``line`` as exactly ``width`` cells: its note right-aligned and whole (the compact one,
    or none, when the cell is narrow), its text cut with an ellipsis to the room left."""
    if width <= 0:
        return Text()
    note = line.note
    if note and line.compact_note is not None and line.text.cell_len + note.cell_len + 2 > width:
        note = line.compact_note  # the text needs the room more than the note's date
    if note and width - note.cell_len - 2 < 6:
        note = Text()
    room = width - (note.cell_len + 2 if note else 0)
    text = line.text.copy()
    text.no_wrap = True
    if text.cell_len > room:
        text.truncate(room, overflow="ellipsis")
    text.pad_right(max(0, room - text.cell_len))
    if note:
        text.append("  ")
        text.append_text(note)
    return text


@dataclass(frozen=True, slots=True)
class Arranged:
    """The pane at a width: its rows (each exactly that wide), and for each selectable line in
    cursor order its key, its row and its cells (x from, x to)."""

    rows: list[Text]
    keys: list[str]
    targets: list[int]
    spans: list[tuple[int, int]]


def arrange(view: BusinessView, width: int) -> Arranged:
    """Lay the view out at ``width``: one column, with the SWOT as four titled blocks, or (from
    GRID_MIN_WIDTH) the SWOT as a 2x2 grid: strengths | weaknesses over opportunities | threats."""
    rows: list[Text] = []
    placed: list[tuple[str, int, int, int]] = []  # (key, row, x from, x to), in cursor order

    def full(lines: list[BizLine]) -> None:
        for line in lines:
            if line.selectable:
                placed.append((line.key, len(rows), 0, width))
            rows.append(cell(line, width))

    full(view.top)
    if view.swot:
        swot_title = Text(_("SWOT"), style="bold reverse")
        rows.append(cell(BizLine("swot", False, swot_title), width))
        if width >= GRID_MIN_WIDTH:
            left = (width - len(GRID_GAP)) // 2
            right = width - left - len(GRID_GAP)
            for a, b in (("strengths", "weaknesses"), ("opportunities", "threats")):
                la, lb = view.swot[a], view.swot[b]
                top = len(rows)
                for i in range(max(len(la), len(lb))):
                    row = cell(la[i], left) if i < len(la) else Text(" " * left)
                    row.append(GRID_GAP, style="dim")
                    row.append_text(cell(lb[i], right) if i < len(lb) else Text(" " * right))
                    rows.append(row)
                placed += [(x.key, top + i, 0, left) for i, x in enumerate(la) if x.selectable]
                placed += [(x.key, top + i, width - right, width) for i, x in enumerate(lb) if x.selectable]
        else:
            for k in SWOT_KEYS:
                full(view.swot[k])
    full(view.bottom)
    if view.swot:  # an account is shown
        full(notes_lines(view.notes, width))
    for row in rows:
        row.no_wrap = True
        row.overflow = "ellipsis"
    return Arranged(rows, [p[0] for p in placed], [p[1] for p in placed], [(p[2], p[3]) for p in placed])
