"""Review cadences: presets or any RFC 5545 RRULE, the next due date, and how late it is.

Everything takes an explicit ``today`` so that results are deterministic in tests.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from kamtui import i18n
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import date as shown_date
from kamtui.domain.formats import due_words
from kamtui.i18n import _, ngettext, pgettext

# A preset steps from the last review by a fixed amount (a month after 31 January is
# 28/29 February, not 31 March as a bare RRULE would say). Its RRULE is used for words and ICS.
PRESET_STEPS: dict[str, relativedelta] = {
    "weekly": relativedelta(weeks=1),
    "biweekly": relativedelta(weeks=2),
    "monthly": relativedelta(months=1),
    "quarterly": relativedelta(months=3),
}
PRESETS: dict[str, str] = {
    "weekly": "FREQ=WEEKLY;INTERVAL=1",
    "biweekly": "FREQ=WEEKLY;INTERVAL=2",
    "monthly": "FREQ=MONTHLY;INTERVAL=1",
    "quarterly": "FREQ=MONTHLY;INTERVAL=3",
}
#: The presets as Spanish-speaking KAMs name them (revisión semanal, quincenal, mensual,
#: trimestral): read in every language and stored as the preset's own name, so that the file
#: stays the same whatever language typed it (a team with mixed languages shares one file).
PRESET_WORDS: dict[str, str] = {
    "semanal": "weekly",
    "quincenal": "biweekly",
    "mensual": "monthly",
    "trimestral": "quarterly",
}
_WORD_OF_PRESET = {name: word for word, name in PRESET_WORDS.items()}


def preset_name(text: str) -> str:
    """``text`` with a Spanish preset word (any case) replaced by the preset it names."""
    return PRESET_WORDS.get(text.strip().lower(), text)


def typed_cadence(text: str) -> str:
    """A stored cadence as a form shows it for editing: a preset in the user's language
    (``mensual`` in Spanish), anything else as stored. It reads back as the same preset."""
    if i18n.language() == "es":
        return _WORD_OF_PRESET.get(text, text)
    return text


DEFAULT_CADENCE_BY_TIER = {"key": "monthly", "candidate": "quarterly", "regular": ""}

_DAY_NAMES = [
    lambda: pgettext("weekday", "Monday"),
    lambda: pgettext("weekday", "Tuesday"),
    lambda: pgettext("weekday", "Wednesday"),
    lambda: pgettext("weekday", "Thursday"),
    lambda: pgettext("weekday", "Friday"),
    lambda: pgettext("weekday", "Saturday"),
    lambda: pgettext("weekday", "Sunday"),
]
_ORDINALS = {
    1: lambda: pgettext("ordinal", "first"),
    2: lambda: pgettext("ordinal", "second"),
    3: lambda: pgettext("ordinal", "third"),
    4: lambda: pgettext("ordinal", "fourth"),
    5: lambda: pgettext("ordinal", "fifth"),
}
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_MONTH_NAMES = [
    lambda: pgettext("month", "January"), lambda: pgettext("month", "February"),
    lambda: pgettext("month", "March"), lambda: pgettext("month", "April"),
    lambda: pgettext("month", "May"), lambda: pgettext("month", "June"),
    lambda: pgettext("month", "July"), lambda: pgettext("month", "August"),
    lambda: pgettext("month", "September"), lambda: pgettext("month", "October"),
    lambda: pgettext("month", "November"), lambda: pgettext("month", "December"),
]  # fmt: skip

# The RRULE parts a review cadence may use, and the longest INTERVAL per FREQ (ten years).
_PARTS = ("FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "BYSETPOS", "WKST", "UNTIL")
_MAX_INTERVAL = {"DAILY": 3660, "WEEKLY": 520, "MONTHLY": 120, "YEARLY": 10}
_NOMINAL_DAYS = {"DAILY": 1, "WEEKLY": 7, "MONTHLY": 30, "YEARLY": 365}
_REFUSED_PARTS = {
    "COUNT": lambda: _("COUNT cannot end a review cadence (it starts again at every review); use UNTIL=YYYYMMDD"),
    "DTSTART": lambda: _("must not carry DTSTART; the cadence starts from the last review"),
}
_BYDAY_TOKEN = re.compile(r"([+-]?[0-9]{1,2})?(MO|TU|WE|TH|FR|SA|SU)")
_UNTIL = re.compile(r"([0-9]{8})(?:T[0-9]{6}Z?)?")
# A date far enough on that a probe for "does this rule ever happen?" stops within one full
# 400-year Gregorian cycle (dateutil gives up only at year 9999).
_PROBE_START = dt.datetime(9599, 1, 1)


@dataclass(frozen=True, slots=True)
class Cadence:
    """A parsed cadence. ``text`` is what the user typed (a preset name or an RRULE)."""

    text: str
    rule: str  # the RRULE body, without the "RRULE:" prefix

    def _rrule(self, start: dt.date) -> rrule:
        return _build(self.rule, start)

    def next_after(self, last: dt.date) -> dt.date | None:
        """When the review after one held on ``last`` is due.

        A preset steps from ``last``. An RRULE is anchored on ``last``, and a review covers
        the occurrence it was held close to: the next one due is the first occurrence more
        than half a nominal period after ``last`` (so "every 2 months on the last Friday",
        reviewed on the 27th, is next due two months on, not on the 30th).
        """
        return _next_after(self.text, self.rule, last)

    def _next_after(self, last: dt.date) -> dt.date | None:
        step = PRESET_STEPS.get(self.text)
        if step is not None:
            result: dt.date = last + step
            return result
        r = self._rrule(last)
        grace = dt.timedelta(days=_nominal_days(self.rule) // 2)
        start = dt.datetime.combine(last, dt.time()) + grace
        nxt = r.after(start, inc=grace.days > 0)  # exactly half a period after still falls due
        return nxt.date() if nxt is not None else None

    def occurrences(self, last: dt.date, count: int) -> list[dt.date]:
        out: list[dt.date] = []
        cur = last
        while len(out) < count:
            nxt = self.next_after(cur)
            if nxt is None:
                break
            out.append(nxt)
            cur = nxt
        return out

    def describe(self) -> str:
        return describe_rule(self.rule)


@lru_cache(maxsize=65536)
def _next_after(text: str, rule: str, last: dt.date) -> dt.date | None:
    try:
        return Cadence(text, rule)._next_after(last)
    except (OverflowError, ValueError):  # past 9999-12-31 (a stored date an older kamtui kept): none
        return None


def _nominal_days(rule: str) -> int:
    """Length of one period of the rule in days: FREQ times INTERVAL."""
    parts = _split(rule)
    interval = parts.get("INTERVAL", "1")
    return _NOMINAL_DAYS.get(parts.get("FREQ", ""), 1) * (int(interval) if interval.isdigit() else 1)


def _split(rule: str) -> dict[str, str]:
    return dict(p.split("=", 1) for p in rule.split(";") if "=" in p)


@lru_cache(maxsize=4096)
def _build(rule: str, start: dt.date) -> rrule:
    result = rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time()))
    assert isinstance(result, rrule)
    return result


@lru_cache(maxsize=1024)
def parse_cadence(text: str) -> Cadence:
    """Parse a preset name or an RRULE; raise ValidationError("cadence", ...) if neither.

    An RRULE is limited to what a review cadence needs (daily to yearly, at most ten years
    apart, no COUNT) and must fall on a real date, so that computing the next review can
    neither loop for ever nor crawl to the year 9999.
    """
    if not isinstance(text, str):
        raise ValidationError("cadence", _("must be text, not {kind}").format(kind=type(text).__name__))
    raw = text.strip()
    if not raw:
        raise ValidationError("cadence", _("is empty; use weekly, biweekly, monthly, quarterly or an RRULE"))
    name = PRESET_WORDS.get(raw.lower(), raw.lower())
    preset = PRESETS.get(name)
    if preset is not None:
        return Cadence(name, preset)
    body = raw[6:] if raw.upper().startswith("RRULE:") else raw
    body = body.strip().upper().rstrip(";")
    if "FREQ=" not in body:
        raise ValidationError(
            "cadence",
            _(
                "{text} is neither a preset (weekly, biweekly, monthly, quarterly) nor an RRULE such as "
                "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
            ).format(text=repr(raw)),
        )
    if "DTSTART" in body:
        raise ValidationError("cadence", _REFUSED_PARTS["DTSTART"]())
    parts = _rule_parts(raw, body)
    rule = ";".join(f"{k}={val}" for k, val in parts.items())
    try:
        _build(rule, dt.date(2000, 1, 1))
    except (ValueError, TypeError, KeyError, IndexError, OverflowError) as exc:
        raise ValidationError(
            "cadence", _("{text} is not a valid RRULE ({why})").format(text=repr(raw), why=exc)
        ) from exc
    probe = ";".join(f"{k}={val}" for k, val in parts.items() if k != "UNTIL")
    if rrulestr(probe, dtstart=_PROBE_START).after(_PROBE_START, inc=True) is None:
        raise ValidationError("cadence", _("{text} never falls on a real date").format(text=repr(raw)))
    return Cadence(raw, rule)


def _rule_parts(raw: str, body: str) -> dict[str, str]:
    """The checked NAME=VALUE parts of an RRULE body, FREQ first."""

    def bad(why: str) -> ValidationError:
        return ValidationError("cadence", f"{raw!r}: {why}")

    if "\n" in body or "\r" in body:
        raise bad(_("must be a single RRULE line"))
    parts: dict[str, str] = {}
    for chunk in body.split(";"):
        name, sep, value = chunk.partition("=")
        name, value = name.strip(), value.strip()
        if not sep or not name or not value:
            raise bad(_("{part} is not NAME=VALUE").format(part=repr(chunk)))
        if name in _REFUSED_PARTS:
            raise bad(_REFUSED_PARTS[name]())
        if name not in _PARTS:
            raise bad(_("{name} is not supported; use {parts}").format(name=name, parts=", ".join(_PARTS)))
        if name in parts:
            raise bad(_("{name} is given twice").format(name=name))
        parts[name] = value
    freq = parts.get("FREQ", "")
    if freq in ("HOURLY", "MINUTELY", "SECONDLY"):
        raise ValidationError("cadence", _("must repeat daily or less often"))
    if freq not in _MAX_INTERVAL:
        raise bad(_("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY, not {freq}").format(freq=repr(freq)))
    interval = parts.get("INTERVAL", "1")
    top = _MAX_INTERVAL[freq]
    if not interval.isdigit() or not 1 <= int(interval) <= top:
        raise bad(_("INTERVAL must be a whole number from 1 to {top} for FREQ={freq}").format(top=top, freq=freq))
    if "BYDAY" in parts:
        for token in parts["BYDAY"].split(","):
            m = _BYDAY_TOKEN.fullmatch(token.strip())
            if m is None:
                raise bad(_("BYDAY {token} is not a weekday such as MO or 1TU").format(token=repr(token)))
            if m.group(1) is not None:
                n = int(m.group(1))
                limit = {"MONTHLY": 5, "YEARLY": 53}.get(freq)
                if limit is None:
                    raise bad(
                        _("BYDAY {token}: a numbered weekday needs FREQ=MONTHLY or YEARLY").format(token=repr(token))
                    )
                if n == 0 or abs(n) > limit:
                    raise bad(
                        _("BYDAY {token}: the number must be 1..{limit} or -1..-{limit}").format(
                            token=repr(token), limit=limit
                        )
                    )
        if freq == "DAILY" and int(interval) % 7 == 0:
            raise bad(_("FREQ=DAILY with BYDAY and an INTERVAL in whole weeks; use FREQ=WEEKLY"))
    for name, lo, hi in (("BYMONTHDAY", -31, 31), ("BYMONTH", 1, 12), ("BYSETPOS", -366, 366)):
        if name not in parts:
            continue
        if freq in ("DAILY", "WEEKLY"):
            raise bad(_("{name} needs FREQ=MONTHLY or YEARLY").format(name=name))
        for token in parts[name].split(","):
            t = token.strip()
            if not t.lstrip("+-").isdigit() or not lo <= int(t) <= hi or int(t) == 0:
                if lo > 0:
                    why = _("{name} {token} must be a number in 1..{hi}")
                else:
                    why = _("{name} {token} must be a number in 1..{hi} or -1..{lo}")
                raise bad(why.format(name=name, token=repr(token), hi=hi, lo=lo))
    if "WKST" in parts and parts["WKST"] not in _WEEKDAYS:
        raise bad(_("WKST {day} is not a weekday such as MO").format(day=repr(parts["WKST"])))
    if "UNTIL" in parts:
        m = _UNTIL.fullmatch(parts["UNTIL"])
        if m is None:
            raise bad(_("UNTIL must be a date such as 20261231"))
        try:
            dt.datetime.strptime(m.group(1), "%Y%m%d")
        except ValueError as exc:
            raise bad(_("UNTIL {date} is not a real date").format(date=m.group(1))) from exc
        parts["UNTIL"] = m.group(1)  # a date, like the DTSTART it is compared with
    return {"FREQ": freq, **{k: val for k, val in parts.items() if k != "FREQ"}}


def next_review(cadence_text: str, last_review: dt.date | None, today: dt.date) -> dt.date | None:
    """When the next review is due. No cadence: never. Never reviewed: today.

    An invalid cadence raises ValidationError even when the account was never reviewed.
    """
    if not cadence_text or not cadence_text.strip():
        return None
    cadence = parse_cadence(cadence_text)
    if last_review is None:
        return today
    return cadence.next_after(last_review)


def check_ahead(field: str, cadence_text: str, last_review: dt.date | None, today: dt.date) -> None:
    """Refuse (ValidationError naming ``field``) a cadence that has no review to come: one whose
    UNTIL is past, so that nothing falls after the last review (or, never reviewed, after
    ``today``). Saved, it would leave the account's review queue in silence ("no review
    cadence"), as a COUNT would after it ran out."""
    if not cadence_text or not cadence_text.strip():
        return
    cadence = parse_cadence(cadence_text)
    start = last_review or today
    if cadence.next_after(start) is None:
        until = _split(cadence.rule).get("UNTIL", "")
        text = repr(cadence_text.strip())
        if len(until) >= 8:
            ended = _("{text} ends on {date}, before the next review").format(
                text=text, date=f"{until[:4]}-{until[4:6]}-{until[6:8]}"
            )
        else:
            ended = _("{text} ends before the next review").format(text=text)
        if last_review:
            since = _("no review falls after the last review ({date})").format(date=shown_date(start))
        else:
            since = _("no review falls after today ({date})").format(date=shown_date(start))
        raise ValidationError(field, f"{ended}: {since}")


def period_days(cadence_text: str, last_review: dt.date) -> int | None:
    """Length in days of the cadence period that starts at ``last_review``."""
    nxt = next_review(cadence_text, last_review, last_review)
    return None if nxt is None else (nxt - last_review).days


def days_late(due: dt.date | None, today: dt.date) -> int | None:
    """Positive when late, 0 when due today, negative when still ahead; None when never due."""
    return None if due is None else (today - due).days


def in_words(due: dt.date | None, today: dt.date) -> str:
    """ "today", "in 3d", "2d late", "in 5w", "11mo late", "in 3y" ... short enough for a list
    column: never longer than 9 characters ("99y+ late"), whatever date was typed. In Spanish
    "hoy", "en 3 días", "3 sem. de retraso" (:func:`kamtui.domain.formats.due_words`)."""
    return due_words(due, today)


def add_days(day: dt.date, n: int) -> dt.date:
    """``day`` moved ``n`` days, held at the first or last date there is: a date stored by an
    older kamtui may be 0001-01-01 or 9999-12-31, and what is stored always loads."""
    try:
        return day + dt.timedelta(days=n)
    except OverflowError:
        return dt.date.max if n > 0 else dt.date.min


def add_months(day: dt.date, n: int) -> dt.date:
    result: dt.date = day + relativedelta(months=n)
    return result


def describe_rule(rule: str) -> str:
    """An RRULE body in words: "every 2 weeks on Monday", "every month on the first Tuesday"."""
    parts = {k.strip().upper(): val.strip().upper() for k, val in _split(rule).items()}
    freq = parts.get("FREQ", "")
    raw_interval = parts.get("INTERVAL", "1")
    interval = int(raw_interval) if raw_interval.isdigit() else 1
    bits = [_every(freq, interval)]
    months = [int(x) for x in parts.get("BYMONTH", "").split(",") if x.strip().isdigit() and 1 <= int(x) <= 12]
    if months:
        bits.append(_("in {months}").format(months=_join([_MONTH_NAMES[m - 1]() for m in months])))
    setpos = [int(x) for x in parts.get("BYSETPOS", "").split(",") if x.strip().lstrip("+-").isdigit()]
    days: list[str] = []
    plain: list[str] = []
    for token in parts.get("BYDAY", "").split(","):
        m = _BYDAY_TOKEN.fullmatch(token.strip())
        if m is None:
            continue
        name = _DAY_NAMES[_WEEKDAYS.index(m.group(2))]()
        if m.group(1) is not None and int(m.group(1)) != 0:
            days.append(_("the {ordinal} {day}").format(ordinal=_ordinal(int(m.group(1))), day=name))
        else:
            plain.append(name)
    if plain and len(setpos) == 1 and setpos[0] != 0:  # BYSETPOS picks one of them
        days.append(_("the {ordinal} {day}").format(ordinal=_ordinal(setpos[0]), day=_or(plain)))
    else:
        days.extend(plain)
    if days:
        bits.append(_("on {days}").format(days=_join(days)))
    monthdays = [int(x) for x in parts.get("BYMONTHDAY", "").split(",") if x.strip().lstrip("+-").isdigit()]
    if monthdays:
        words = [
            _("day {n}").format(n=n) if n > 0 else _("the {ordinal} day").format(ordinal=_ordinal(n))
            for n in monthdays
            if n != 0
        ]
        if words:
            bits.append(_("on {days}").format(days=_join(words)))
    if parts.get("COUNT"):
        bits.append(_("{n} times").format(n=parts["COUNT"]))
    if parts.get("UNTIL"):
        u = parts["UNTIL"][:8]
        bits.append(_("until {date}").format(date=f"{u[:4]}-{u[4:6]}-{u[6:8]}"))
    return " ".join(bits)


def _every(freq: str, n: int) -> str:
    """ "every week", "every quarter", "every 2 months"."""
    if freq == "MONTHLY" and n == 3:
        return _("every quarter")
    if freq == "YEARLY":
        return _("every year") if n == 1 else ngettext("every {n} year", "every {n} years", n).format(n=n)
    if freq == "MONTHLY":
        return _("every month") if n == 1 else ngettext("every {n} month", "every {n} months", n).format(n=n)
    if freq == "WEEKLY":
        return _("every week") if n == 1 else ngettext("every {n} week", "every {n} weeks", n).format(n=n)
    if freq == "DAILY":
        return _("every day") if n == 1 else ngettext("every {n} day", "every {n} days", n).format(n=n)
    unit = freq.lower()
    return f"every {unit}" if n == 1 else f"every {n} {unit}s"  # not a FREQ kamtui takes


def _ordinal(n: int) -> str:
    """1 -> "first", 21 -> "21st", -1 -> "last", -3 -> "third to last"."""
    if n < 0:
        if n == -1:
            return pgettext("ordinal", "last")
        return pgettext("ordinal", "{ordinal} to last").format(ordinal=_ordinal(-n))
    if n in _ORDINALS:
        return _ORDINALS[n]()
    if 10 <= n % 100 <= 20 or n % 10 not in (1, 2, 3):
        return pgettext("ordinal", "{n}th").format(n=n)
    if n % 10 == 1:
        return pgettext("ordinal", "{n}st").format(n=n)
    if n % 10 == 2:
        return pgettext("ordinal", "{n}nd").format(n=n)
    return pgettext("ordinal", "{n}rd").format(n=n)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _or(items: list[str]) -> str:
    return items[0] if len(items) == 1 else _("{items} or {last}").format(items=" or ".join(items[:-1]), last=items[-1])


def describe(cadence_text: str) -> str:
    if not cadence_text or not cadence_text.strip():
        return _("no review cadence")
    c = parse_cadence(cadence_text)
    return c.describe()
