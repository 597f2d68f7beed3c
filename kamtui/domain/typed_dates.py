"""A date as a person types it into a form, in English or in Spanish, read against today.

- ISO: ``2026-12-31``.
- Words: ``today`` / ``t`` / ``hoy``, ``tomorrow`` / ``mañana``, ``yesterday`` / ``ayer``
  (any case; ``manana`` without the tilde too, as typed on a keyboard without it).
- From today: ``+3`` or ``+3d`` days, ``+2w`` or ``+2s`` weeks (semanas), ``+1m`` months, and
  the same with ``-``; ``3d`` without a sign counts forward.
- Day and month with a four-digit year, separated by ``/``, ``.`` or ``-``: ``31/12/2026``
  (day first, as written in Spain and Latin America) or ``12/31/2026`` (month first, as in the
  United States). Only what can be read one way is read: ``02/12/2026`` is 2 December or
  12 February, and is refused with both readings and the unambiguous way to type it.

Pure: no clock (today is given), no locale. An impossible or unreadable date raises
:class:`ValidationError` naming the field and quoting what was typed.
"""

from __future__ import annotations

import datetime as dt
import re

from kamtui.domain import validate
from kamtui.domain.cadence import add_months
from kamtui.domain.errors import ValidationError

WORDS = {
    "today": 0,
    "t": 0,
    "hoy": 0,
    "tomorrow": 1,
    "mañana": 1,
    "manana": 1,
    "yesterday": -1,
    "ayer": -1,
}
_RELATIVE = re.compile(r"^([+-]?\d{1,5})\s*([dwsm]?)$")
_DAY_MONTH = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})$")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def typed_date(text: str, today: dt.date, field: str = "date") -> dt.date | None:
    """What ``text`` means as a date, today being ``today``; ``None`` for an empty text."""
    typed = text.strip()
    raw = typed.lower()  # words and units in any case; an error quotes what was typed
    if not raw:
        return None
    if raw in WORDS:
        return today + dt.timedelta(days=WORDS[raw])
    m = _RELATIVE.match(raw)
    if m and (raw[0] in "+-" or m.group(2)):
        n, unit = int(m.group(1)), m.group(2) or "d"
        try:
            if unit == "m":
                return add_months(today, n)
            return today + dt.timedelta(days=n * (7 if unit in "ws" else 1))
        except (OverflowError, ValueError):
            raise ValidationError(field, f"{typed!r} is too far from today") from None
    m = _DAY_MONTH.match(raw)
    if m:
        return _day_and_month(typed, int(m.group(1)), int(m.group(3)), int(m.group(4)), field)
    return validate.date(field, typed)


def _day_and_month(typed: str, first: int, second: int, year: int, field: str) -> dt.date:
    readings: list[dt.date] = []
    for day, month in ((first, second), (second, first)):  # day first, then month first
        try:
            date = dt.date(year, month, day)
        except ValueError:
            continue
        if date not in readings:
            readings.append(date)
    if not readings:
        raise ValidationError(field, f"{typed!r} is not a real date")
    if len(readings) > 1:
        a, b = readings
        raise ValidationError(
            field,
            f"{typed!r} could be {_spoken(a)} or {_spoken(b)}: type {a.isoformat()} or {b.isoformat()}",
        )
    return readings[0]


def _spoken(date: dt.date) -> str:
    return f"{date.day} {_MONTHS[date.month - 1]}"
