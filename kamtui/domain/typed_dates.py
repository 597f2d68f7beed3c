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
from kamtui.i18n import _, pgettext

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
    lambda: pgettext("month", "January"),
    lambda: pgettext("month", "February"),
    lambda: pgettext("month", "March"),
    lambda: pgettext("month", "April"),
    lambda: pgettext("month", "May"),
    lambda: pgettext("month", "June"),
    lambda: pgettext("month", "July"),
    lambda: pgettext("month", "August"),
    lambda: pgettext("month", "September"),
    lambda: pgettext("month", "October"),
    lambda: pgettext("month", "November"),
    lambda: pgettext("month", "December"),
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
            raise ValidationError(field, _("{text} is too far from today").format(text=repr(typed))) from None
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
        raise ValidationError(field, _("{text} is not a real date").format(text=repr(typed)))
    if len(readings) > 1:
        a, b = readings
        raise ValidationError(
            field,
            _("{text} could be {one} or {other}: type {one_iso} or {other_iso}").format(
                text=repr(typed), one=_spoken(a), other=_spoken(b), one_iso=a.isoformat(), other_iso=b.isoformat()
            ),
        )
    return readings[0]


def _spoken(date: dt.date) -> str:
    return pgettext("date", "{day} {month}").format(day=date.day, month=_MONTHS[date.month - 1]())
