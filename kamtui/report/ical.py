"""The review cadences and action due dates as an iCalendar (RFC 5545) feed.

ICS, and why a review series may be split
-----------------------------------------
Each account with a cadence gets a review event whose DTSTART is the next review due and
whose RRULE repeats the cadence, so that the calendar shows what kamtui would ask for if
every review were held on the day it falls due (:meth:`Cadence.occurrences`). Presets step
from the last review by whole months, and a month after 30 September is 30 October but a
month after 30 January is 28 February, after which the series stays on the 28th. No single
RRULE says "the 30th, then the 28th from February on" (BYMONTHDAY=-1 would say the 31st
in March), so such a series is cut where the day of the month changes: the first event
carries RRULE ... ;UNTIL=<last date of its part> and the next one (UID ``...-part2``,
RELATED-TO the first) carries on, every event synchronised with its own DTSTART. A series
no RRULE can follow at all (for example FREQ=MONTHLY;BYMONTHDAY=1,15, whose 15th falls
within half a period of the 1st and so is never due in kamtui) is written as its next
:data:`SCHEDULE_LENGTH` dates (DTSTART plus RDATE). Either way the calendar expands to
exactly kamtui's dates; the split is checked by expanding it before it is written.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.rrule import rrulestr

from kamtui import __version__
from kamtui.domain import formats
from kamtui.domain.cadence import Cadence, describe, parse_cadence
from kamtui.domain.errors import ValidationError
from kamtui.domain.text import clean
from kamtui.i18n import _
from kamtui.report.plans import AccountPlan

# How many review dates an exported series is checked against (and listed, if no RRULE fits).
SCHEDULE_LENGTH = 36
_MAX_PARTS = 4


@dataclass(frozen=True, slots=True)
class SeriesPart:
    """One VEVENT of a review series: DTSTART, an RRULE body (or None) and extra RDATEs."""

    start: dt.date
    rule: str | None
    rdates: tuple[dt.date, ...] = ()


def _expand(rule: str, start: dt.date, count: int) -> list[dt.date]:
    r = rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time()))
    return [x.date() for x in itertools.islice(r, count)]


def _with_until(rule: str, until: dt.date) -> str:
    parts = [p for p in rule.split(";") if not p.startswith("UNTIL=")]
    return ";".join([*parts, f"UNTIL={until.strftime('%Y%m%d')}"])


def review_series(cadence: Cadence, first: dt.date, length: int = SCHEDULE_LENGTH) -> list[SeriesPart]:
    """The VEVENT parts that expand to ``first`` and the reviews after it as kamtui chains them.

    One part with the cadence's RRULE when that rule, started on ``first``, gives kamtui's
    dates; else the series cut where they part (at most a few parts, each ending in UNTIL but
    the last); else ``first`` plus the next ``length - 1`` dates as RDATEs. See the module doc.
    """
    chain = [first, *cadence.occurrences(first, length - 1)]
    parts: list[SeriesPart] = []
    i = 0
    while i < len(chain) and len(parts) <= _MAX_PARTS:
        rest = chain[i:]
        plain = _expand(cadence.rule, chain[i], len(rest) + 1)
        j = next((k for k, (x, y) in enumerate(zip(plain, rest, strict=False)) if x != y), min(len(plain), len(rest)))
        if j == 0:
            break
        ends_early = len(chain) < length and len(plain) > len(rest)  # kamtui's series stops; the rule does not
        if i + j < len(chain) or ends_early:
            parts.append(SeriesPart(chain[i], _with_until(cadence.rule, chain[i + j - 1])))
        else:
            parts.append(SeriesPart(chain[i], cadence.rule))
        i += j
    if i < len(chain) or len(parts) > _MAX_PARTS:
        return [SeriesPart(first, None, tuple(chain[1:]))]
    return parts


def _plain(value: object) -> str:
    """Stored text as one line for a calendar: as stored (an emoji keeps its joiners and
    selectors), but for the controls and bidi marks :func:`clean` makes visible outside a terminal."""
    return clean(value, terminal=False)


def _ics_escape(value: object, *, one_line: bool = True) -> str:
    """A TEXT value (RFC 5545 3.3.11): no control character, ``\\ ; ,`` and newlines escaped."""
    s = clean(value, one_line=one_line, terminal=False).strip()  # some readers drop a line's trailing blanks
    return s.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


# Characters that belong to the one before them (a reader shows them as one character): a fold
# between the two would split it. ZWJ (and what follows it), variation selectors, emoji skin
# tones and tag characters; combining marks are told by their category.
_EXTENDS = re.compile("[\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0020-\U000e007f\U000e0100-\U000e01ef]")
_REGIONAL = re.compile("[\U0001f1e6-\U0001f1ff]")  # two of them make a flag


def _fold_points(line: str) -> list[bool]:
    """For each index of ``line``, whether a fold may go before it without splitting a grapheme
    (ZWJ sequences, selectors, skin tones, combining marks, flags: a close approximation of
    Unicode's extended grapheme clusters, which the standard library does not provide)."""
    ok = [True] * len(line)
    regional = 0
    for i, ch in enumerate(line):
        inside = bool(
            _EXTENDS.match(ch)
            or unicodedata.category(ch) in ("Mn", "Mc", "Me")
            or (i and line[i - 1] == "\u200d")
            or (_REGIONAL.match(ch) and regional % 2 == 1)
        )
        ok[i] = not inside
        regional = regional + 1 if _REGIONAL.match(ch) else 0
    return ok


def fold(line: str) -> str:
    """An RFC 5545 content line folded at 75 octets, CRLF-ended: never inside a UTF-8 character,
    and between graphemes where one fits (an emoji family or a flag stays whole on its line)."""
    size = [0]
    for ch in line:
        size.append(size[-1] + len(ch.encode("utf-8")))
    if size[-1] <= 75:
        return line + "\r\n"
    points = _fold_points(line)
    out: list[str] = []
    start, limit, best = 0, 75, -1
    i = 0
    while i < len(line):
        if i > start and points[i]:
            best = i
        if size[i + 1] - size[start] > limit:
            cut = best if best > start else i  # a grapheme longer than a line is cut where it must
            out.append(line[start:cut])
            start, limit, best = cut, 74, -1  # a continuation line starts with a blank
            continue
        i += 1
    out.append(line[start:])
    return "\r\n ".join(out) + "\r\n"


def _ics_date(day: dt.date) -> str:
    return day.strftime("%Y%m%d")


def _alarm(description: str, trigger: str) -> list[str]:
    """A DISPLAY alarm; ``description`` already escaped (a translation's own commas included)."""
    return ["BEGIN:VALARM", "ACTION:DISPLAY", f"DESCRIPTION:{description}", f"TRIGGER:{trigger}", "END:VALARM"]


def render_ics(
    plans: Sequence[AccountPlan],
    today: dt.date,
    *,
    stamp: dt.datetime | None = None,
    length: int = SCHEDULE_LENGTH,
) -> str:
    """An RFC 5545 calendar: each account's review series and each open action's due date.

    Review events recur (RRULE) from the next review due; never-reviewed accounts are due
    ``today``. Events are all-day, transparent, with a DISPLAY alarm the day before.
    """
    stamp = stamp or dt.datetime.now(dt.UTC)
    dtstamp = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//kamtui//kamtui {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_ics_escape(_('kamtui reviews and actions'))}",
    ]
    for p in plans:
        lines += _review_events(p, today, dtstamp, length)
        lines += _action_events(p, dtstamp)
    lines.append("END:VCALENDAR")
    return "".join(fold(line) for line in lines)


def _review_events(p: AccountPlan, today: dt.date, dtstamp: str, length: int) -> list[str]:
    a = p.account
    if not a.cadence:
        return []
    try:
        cadence = parse_cadence(a.cadence)
    except ValidationError:
        return []
    first = today if a.last_review is None else cadence.next_after(a.last_review)
    if first is None:
        return []
    name = _ics_escape(a.name)
    summary = _ics_escape(_("Review: {account}")).format(account=name)
    about = [
        _("Account review of {account}, {cadence} ({rule}).").format(
            account=_plain(a.name), cadence=describe(a.cadence), rule=_plain(a.cadence)
        )
    ]
    if a.owner:
        about.append(_("Owner: {name}.").format(name=_plain(a.owner)))
    if a.last_review:
        about.append(_("Last review: {date}.").format(date=formats.date(a.last_review)))
    else:
        about.append(_("Never reviewed yet."))
    description = _ics_escape("\n".join(about), one_line=False)
    uid = f"kamtui-review-{p.id}@kamtui"
    out: list[str] = []
    for n, part in enumerate(review_series(cadence, first, length), start=1):
        out += [
            "BEGIN:VEVENT",
            f"UID:{uid if n == 1 else f'kamtui-review-{p.id}-part{n}@kamtui'}",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(part.start)}",
            f"DTEND;VALUE=DATE:{_ics_date(part.start + dt.timedelta(days=1))}",
        ]
        if part.rule:
            out.append(f"RRULE:{part.rule}")
        if part.rdates:
            out.append("RDATE;VALUE=DATE:" + ",".join(_ics_date(d) for d in part.rdates))
        if n > 1:
            out.append(f"RELATED-TO;RELTYPE=SIBLING:{uid}")
        out += [
            f"SUMMARY:{summary}",
            f"DESCRIPTION:{description}",
            "CATEGORIES:kamtui,review",
            "TRANSP:TRANSPARENT",
            *_alarm(_ics_escape(_("Account review due tomorrow: {account}")).format(account=name), "-P1D"),
            "END:VEVENT",
        ]
    return out


def _action_events(p: AccountPlan, dtstamp: str) -> list[str]:
    a = p.account
    objectives = {o.id: o for o in p.objectives}
    out: list[str] = []
    for act in p.actions:
        if act.done or act.due is None:
            continue
        text = _ics_escape(act.text)
        about = [_("Plan action for {account}.").format(account=_plain(a.name))]
        o = objectives.get(act.objective_id)
        if o is not None:
            about.append(_("Objective: {title}.").format(title=_plain(o.title)))
        if act.owner:
            about.append(_("Owner: {name}.").format(name=_plain(act.owner)))
        out += [
            "BEGIN:VEVENT",
            f"UID:kamtui-action-{act.id}@kamtui",
            f"DTSTAMP:{dtstamp}",
            f"DTSTART;VALUE=DATE:{_ics_date(act.due)}",
            *([f"DTEND;VALUE=DATE:{_ics_date(act.due + dt.timedelta(days=1))}"] if act.due < dt.date.max else []),
            "SUMMARY:"
            + _ics_escape(_("Action: {action} ({account})")).format(action=text, account=_ics_escape(a.name)),
            f"DESCRIPTION:{_ics_escape(chr(10).join(about), one_line=False)}",
            "CATEGORIES:kamtui,action",
            "TRANSP:TRANSPARENT",
            *_alarm(_ics_escape(_("Action due tomorrow: {action}")).format(action=text), "-P1D"),
            "END:VEVENT",
        ]
    return out
