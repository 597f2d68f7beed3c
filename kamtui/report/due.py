"""Today's queue as text for the terminal (no Rich, no Textual: it runs in login scripts)."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable, Mapping, Sequence

from kamtui.domain.formats import date as local_date
from kamtui.domain.formats import due_words
from kamtui.domain.queue import KIND_ORDER, KIND_TITLES, QueueItem, counts
from kamtui.domain.text import cell_width, clean, one_cell_each, truncate
from kamtui.i18n import _, ngettext, npgettext

_RED, _YELLOW, _DIM, _BOLD, _RESET = "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[1m", "\x1b[0m"


def _width(s: str) -> int:
    """Cells of ``s`` (text as :func:`clean` shows it) on the terminal: kamtui's one measure,
    the TUI's, so a combining keycap or an accent takes none here either."""
    return cell_width(s)


def _fit(s: str, width: int, ellipsis: str = "\u2026") -> str:
    """``s`` padded or cut to ``width`` cells, a cut ending in ``ellipsis`` (one cell per
    character) and keeping each character whole (an accent with its letter, a joined emoji)."""
    if one_cell_each(s):
        return s.ljust(width) if len(s) <= width else s[: width - len(ellipsis)] + ellipsis
    cut = truncate(s, width, ellipsis)
    return cut + " " * (width - _width(cut))


def use_colour(stream_isatty: bool) -> bool:
    return stream_isatty and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def _counted(kind: str, n: int, terse: bool) -> str:
    """ "3 reviews due" ("3 reviews" when ``terse``): ``n`` items of ``kind``, in the language in force."""
    if kind == "review":
        words = ngettext("{n} review", "{n} reviews", n) if terse else ngettext("{n} review due", "{n} reviews due", n)
    elif kind == "action":
        if terse:
            words = ngettext("{n} action", "{n} actions", n)
        else:
            words = ngettext("{n} plan action due", "{n} plan actions due", n)
    elif kind == "contact":
        if terse:
            words = ngettext("{n} contact", "{n} contacts", n)
        else:
            words = ngettext("{n} stakeholder to contact", "{n} stakeholders to contact", n)
    elif kind == "risk":
        if terse:
            words = npgettext("terse", "{n} risk alert", "{n} risk alerts", n)
        else:
            words = ngettext("{n} risk alert", "{n} risk alerts", n)
    elif kind == "plan":
        words = (
            npgettext("terse", "{n} plan flag", "{n} plan flags", n)
            if terse
            else ngettext("{n} plan hygiene", "{n} plan hygiene", n)
        )
    elif kind == "losing_touch":
        if terse:
            words = npgettext("terse", "{n} losing touch", "{n} losing touch", n)
        else:
            words = ngettext("{n} losing touch", "{n} losing touch", n)
    else:
        words = f"{{n}} {KIND_TITLES.get(kind, kind).lower()}"
    return words.format(n=n)


def summary_line(c: dict[str, int], today: dt.date, width: int | None, ellipsis: str = "\u2026") -> str:
    """The counts on one line: "kamtui: 2026-11-23: 1 review due, 2 risk alerts, ...", in fewer
    words when that does not fit ``width`` ("1 review, 2 risk alerts"), then cut (``None``: no
    width to fit, the whole line)."""
    for terse in (False, True):
        told = ", ".join(_counted(k, c[k], terse) for k in KIND_ORDER if c[k])
        line = f"kamtui: {local_date(today)}: {told}"
        if width is None:
            return line
        if cell_width(line) <= width:
            return line
    assert width is not None
    return truncate(line, width, ellipsis)


def render_table(
    items: Sequence[QueueItem], today: dt.date, *, colour: bool = False, width: int | None = 100, ascii: bool = False
) -> str:
    """Grouped, counted, in the items' order (by what is at stake unless ``--sort`` says otherwise),
    each row ending with why it ranks there when there is room; fits ``width`` columns (``None``,
    output to a file or a pipe: no width to fit, what each row says whole, only the columns
    before it cut to their widths). ``ascii``: for a terminal that cannot show kamtui's marks (see
    :mod:`kamtui.report.terminal`), a cut ends in "..." within its column; the stream itself turns
    the other marks into ASCII."""
    ellipsis = "..." if ascii else "\u2026"
    if not items:
        return _("Nothing due. Enjoy the day.") + "\n"
    lines: list[str] = []
    c = counts(items)
    lines.append(f"{_BOLD if colour else ''}{summary_line(c, today, width, ellipsis)}{_RESET if colour else ''}")
    # "in 3d"; in Spanish "3 sem. de retraso", or "-3 sem." where the row is short of room: the
    # column is as wide as its widest entry.
    compact = width is not None and width < 120
    # Each date's words once: a few hundred dates among ~22,000 items at 50,000 accounts.
    words = {due: due_words(due, today, compact) for due in {it.due for it in items}}
    whens = [words[it.due] for it in items]
    when_w, acc_w, own_w = min(18, max(9, *(_width(w) for w in whens))), 24, 8
    what_w = None if width is None else max(20, width - when_w - acc_w - own_w - 8)
    ranked_word = _("ranked: {why}")
    groups: dict[str, list[tuple[QueueItem, str]]] = {kind: [] for kind in KIND_ORDER}
    for it, when in zip(items, whens, strict=True):  # one pass, each group in the items' order
        if (group := groups.get(it.kind)) is not None:
            group.append((it, when))
    # The same few accounts, owners and dates fill most rows (~22,000 rows of ~4,400 accounts at
    # 50,000 accounts): each is cleaned, cut and padded once.
    fit_when: dict[str, str] = {}
    fit_account: dict[str, str] = {}
    fit_owner: dict[str, str] = {}

    def cell(value: str, width: int, memo: dict[str, str], shown: Callable[[str], str] = clean) -> str:
        got = memo.get(value)
        if got is None:
            got = memo[value] = _fit(shown(value), width, ellipsis)
        return got

    for kind in KIND_ORDER:
        group = groups[kind]
        if not group:
            continue
        lines.append("")
        title = _(KIND_TITLES[kind])
        lines.append(f"{_BOLD if colour else ''}{title} ({len(group)}){_RESET if colour else ''}")
        for it, when in group:
            flag = "!!" if it.severity == 2 else "! " if it.severity == 1 else "  "
            what = clean(it.title) if kind != "review" else clean(it.detail)
            if kind in ("contact", "losing_touch"):
                what = f"{clean(it.title)}: {clean(it.detail)}"
            if it.ranked:  # ASCII, like most titles: _fit's quick path (20,000 rows at 10,000 accounts)
                what += "  - " + ranked_word.format(why=clean(it.ranked))
            row = (
                f"{flag} {cell(when, when_w, fit_when, str)} {cell(it.account, acc_w, fit_account)} "
                f"{cell(it.owner, own_w, fit_owner)} {what if what_w is None else _fit(what, what_w, ellipsis)}"
            ).rstrip()
            if colour and it.severity == 2:
                row = _RED + row + _RESET
            elif colour and it.severity == 1:
                row = _YELLOW + row + _RESET
            lines.append(row)
    return "\n".join(lines) + "\n"


def render_plain(items: Sequence[QueueItem], today: dt.date) -> str:
    """One tab-separated line per item: kind, due, days late, account, owner, title, detail."""
    out = []
    for it in items:
        fields = [
            it.kind,
            it.due.isoformat() if it.due else "",
            str(it.days_late),
            clean(it.account),
            clean(it.owner),
            clean(it.title),
            clean(it.detail),
        ]
        out.append("\t".join(fields))
    return "\n".join(out) + ("\n" if out else "")


# Characters json.dumps(ensure_ascii=False) leaves raw but a terminal must not receive. A
# pattern, compiled (and kept by re) by the first --format json: the table never needs it.
_UNSAFE_IN_JSON = "[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]"


def render_json(
    items: Sequence[QueueItem], today: dt.date, *, ascii: bool = False, extra: Mapping[str, object] | None = None
) -> str:
    """UTF-8 JSON; control and bidi characters (only ever inside strings) escaped as \\uXXXX,
    and with ``ascii`` every non-ASCII character too (for a stream that cannot write them).
    ``extra``: more members of the document (``kamtui due --changes``: "changes")."""
    payload = {"today": today.isoformat(), "items": [it.to_json() for it in items], **(extra or {})}
    text = json.dumps(payload, ensure_ascii=ascii, indent=1)
    return re.sub(_UNSAFE_IN_JSON, lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"
