"""Amounts, dates and yes/no as CRM exports write them (see the conventions in
:mod:`kamtui.domain.importer`). The ``*_evidence`` functions say what a value proves about the
file's convention (decimal comma or point, day or month first); the parsers read a value
given the convention, raising ValueError with the reason. Amounts are read by the domain's one
reading of an amount (:mod:`kamtui.domain.amounts`), which the forms use too."""

from __future__ import annotations

import datetime as dt
import re

from kamtui.domain.amounts import decimal_evidence, parse_amount
from kamtui.i18n import _

__all__ = [
    "ambiguous_date",
    "date_evidence",
    "decimal_evidence",
    "parse_amount",
    "parse_bool",
    "parse_date",
]

# ------------------------------------------------------------------ dates

_ISO = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:(?:[T ]|\s+)[0-9].*)?", re.DOTALL)
_NUMERIC = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4}|[0-9]{2})(?:,?\s+[0-9].*)?", re.DOTALL)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_DAY_MONTH = re.compile(r"([0-9]{1,2})[ \-]([A-Za-z]{3,9})\.?[ \-,]+([0-9]{4})(?:\s+[0-9].*)?", re.DOTALL)
_MONTH_DAY = re.compile(r"([A-Za-z]{3,9})\.? ([0-9]{1,2}),? ([0-9]{4})(?:\s+[0-9].*)?", re.DOTALL)


def date_evidence(text: str) -> str | None:
    """ "dmy" or "mdy" if a numeric date proves its order, else None."""
    m = _NUMERIC.fullmatch(text.strip())
    if m is None:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    return None


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 2000 if n < 70 else 1900
    return n


def _real(text: str, y: int, mo: int, d: int) -> dt.date:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(_("{text} is not a real date").format(text=repr(text))) from None


def ambiguous_date(text: str) -> bool:
    """Whether ``text`` is a numeric date whose day and month could be swapped ("03/04/2026",
    not "04/04/2026"); a date that proves its order (:func:`date_evidence`) is not ambiguous."""
    m = _NUMERIC.fullmatch(text.strip())
    return m is not None and m.group(1) != m.group(2) and date_evidence(text) is None


def parse_date(text: str, order: str | None) -> dt.date:
    """A date text. ``order`` ("dmy"/"mdy") settles "03/04/2026"; None refuses it as ambiguous."""
    s = text.strip()
    m = _ISO.fullmatch(s)
    if m:
        return _real(s, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC.fullmatch(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        if a > 12 and b > 12:
            raise ValueError(_("{text} is not a real date").format(text=repr(s)))
        proof = date_evidence(s) or ("dmy" if a == b else None)  # 03/03: either order
        use = proof or order
        if use is None:
            raise ValueError(
                _("{text} is ambiguous: the file has both day-first and month-first dates").format(text=repr(s))
            )
        return _real(s, y, b, a) if use == "dmy" else _real(s, y, a, b)
    m = _DAY_MONTH.fullmatch(s)
    if m and m.group(2).lower() in _MONTHS:
        return _real(s, int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _MONTH_DAY.fullmatch(s)
    if m and m.group(1).lower() in _MONTHS:
        return _real(s, int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    raise ValueError(_("{text} is not a date (use 2026-12-31 or 31/12/2026)").format(text=repr(s)))


_TRUE = {"yes", "y", "true", "1", "x", "ja", "oui", "si", "sí"}
_FALSE = {"no", "n", "false", "0", "", "nein", "non"}


def parse_bool(text: str) -> bool:
    t = text.strip().casefold()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError(_("{text} is not yes or no").format(text=repr(text.strip())))
