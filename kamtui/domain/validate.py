"""Field validators shared by every entity.

Each takes the field name first so that the error it raises names the field.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from enum import Enum
from typing import Any, TypeVar

from kamtui.domain.amounts import amount, within_limit
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import date as shown_date
from kamtui.i18n import N_, _

E = TypeVar("E", bound=Enum)

MAX_TEXT = 1000
MAX_NOTE = 20000

_INT_TEXT = re.compile(r"[+-]?[0-9]{1,18}")
# YYYY-MM-DD, optionally followed by a time ("2025-01-31T09:00", "2025-01-31 09:00") that is dropped.
_DATE_TEXT = re.compile(r"([0-9]{4}-[0-9]{2}-[0-9]{2})(?:[T ].*)?", re.DOTALL)


def text(field: str, value: Any, *, required: bool = False, max_len: int = MAX_TEXT) -> str:
    if value.__class__ is str and value.isascii() and "\x00" not in value:  # the common case, at once
        stripped = value.strip()
        if len(stripped) <= max_len and (stripped or not required):
            return stripped
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field, _("must be text, not {kind}").format(kind=type(value).__name__))
    if "\x00" in value:
        raise ValidationError(field, _("must not contain a NUL character"))
    _check_encodable(field, value)
    stripped = value.strip()
    if required and not stripped:
        raise ValidationError(field, _("must not be empty"))
    if len(stripped) > max_len:
        raise ValidationError(
            field, _("is {n} characters long; the limit is {limit}").format(n=len(stripped), limit=max_len)
        )
    return stripped


def _check_encodable(field: str, value: str) -> None:
    if value.isascii():
        return
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValidationError(field, _("holds a character JSON cannot store (lone surrogate)")) from exc


def text_list(field: str, value: Any, *, max_len: int = MAX_TEXT) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str | bytes | bytearray) or not isinstance(value, Sequence):
        raise ValidationError(field, _("must be a list of text"))
    return [t for t in (text(f"{field}[{i}]", v, max_len=max_len) for i, v in enumerate(value)) if t]


_BY_VALUE: dict[type[Enum], dict[Any, Enum]] = {}


def _by_value(cls: type[E]) -> dict[Any, E]:
    """The members of ``cls`` by value (``cls(value)`` goes through Enum's Python-level call)."""
    members = _BY_VALUE.get(cls)
    if members is None:
        members = _BY_VALUE[cls] = {m.value: m for m in cls}
    return members  # type: ignore[return-value]


def enum(field: str, cls: type[E], value: Any) -> E:
    if isinstance(value, cls):
        return value
    if isinstance(value, str):
        member = _by_value(cls).get(value)  # the stored spelling
        if member is not None:
            return member
        key = value.strip().lower().replace("-", "_").replace(" ", "_")
        for member in cls:
            if member.value == key or member.name.lower() == key:
                return member
    allowed = ", ".join(str(m.value) for m in cls)
    raise ValidationError(
        field, _("unknown value {value}; expected one of: {allowed}").format(value=repr(value), allowed=allowed)
    )


def integer(field: str, value: Any, lo: int | None = None, hi: int | None = None) -> int:
    number: int
    if isinstance(value, bool):
        raise ValidationError(field, _("must be a whole number, not {value}").format(value=repr(value)))
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and _INT_TEXT.fullmatch(value.strip()):
        number = int(value.strip())
    elif isinstance(value, float) and math.isfinite(value) and value.is_integer():
        number = int(value)
    else:
        raise ValidationError(field, _("must be a whole number, not {value}").format(value=repr(value)))
    if (lo is not None and number < lo) or (hi is not None and number > hi):
        if lo is not None and hi is not None:
            raise ValidationError(field, _("{number} is out of range {lo}..{hi}").format(number=number, lo=lo, hi=hi))
        if lo is not None:
            raise ValidationError(field, _("{number} is out of range (at least {lo})").format(number=number, lo=lo))
        raise ValidationError(field, _("{number} is out of range (at most {hi})").format(number=number, hi=hi))
    return number


def optional_int(field: str, value: Any, lo: int | None = None, hi: int | None = None) -> int | None:
    if value is None or value == "":
        return None
    return integer(field, value, lo, hi)


def score(field: str, value: Any) -> int:
    """A 1-5 score."""
    return integer(field, value, 1, 5)


def _finite(field: str, value: Any) -> float:
    """``value`` (a number, or its text: "1,234.5") as a finite float."""
    if isinstance(value, bool):
        raise ValidationError(field, _("must be a number, not a yes/no value"))
    if isinstance(value, str):
        try:
            value = float(value.replace("_", "").replace(",", "").strip())
        except ValueError as exc:
            raise ValidationError(field, _("{value} is not a number").format(value=repr(value))) from exc
    if not isinstance(value, int | float):
        raise ValidationError(field, _("must be a number, not {kind}").format(kind=type(value).__name__))
    try:
        out = float(value)
    except OverflowError as exc:  # an int beyond the float range
        raise ValidationError(field, _("is too large to store")) from exc
    if not math.isfinite(out):
        raise ValidationError(field, _not_finite(value))
    return out + 0.0  # -0.0 -> 0.0


def number(field: str, value: Any) -> float:
    """A KPI's target or reading: a number, negative included ("1,234.5" is accepted), at most a
    thousand trillion either side of zero, as an amount (:func:`kamtui.domain.amounts.within_limit`)."""
    return within_limit(field, _finite(field, value), "a KPI value")


def optional_number(field: str, value: Any) -> float | None:
    return None if value is None or value == "" else number(field, value)


def money(field: str, value: Any) -> float:
    """A non-negative amount by the one amount rule (:func:`kamtui.domain.amounts.amount`: digits,
    finite, at most a thousand trillion); None or "" is 0."""
    if value is None or value == "":
        return 0.0
    return amount(field, value)


#: The dates kamtui takes, typed or imported (:func:`in_window`, :func:`happened`: where today is
#: known the window is narrower). Before the first is a typo (0001-01-01, 1900-01-01), after the
#: last too. The model reads any real date stored (:func:`stored_date`).
EARLIEST_DATE = dt.date(1970, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
#: How far after today a date typed or imported may be (a due date, an expected close): further
#: out, it is a typo (+99999d, 9999-12-31).
MAX_AHEAD_YEARS = 10


def stored_date(field: str, value: Any) -> dt.date:
    """A date the model keeps: any real date (:func:`date`). What is stored always loads: an
    older kamtui, or a script, kept 0001-01-01 or 2300-01-01. New ones are held to the window
    (:data:`EARLIEST_DATE` to :data:`LATEST_DATE`, and narrower) where they are typed or
    imported, by :func:`in_window` and :func:`happened`; ``kamtui check`` names a stored one."""
    return date(field, value)


def optional_stored_date(field: str, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return stored_date(field, value)


def _not_finite(value: Any) -> str:
    return _("{value} cannot be stored (JSON holds only finite numbers)").format(value=value)


def _outside(day: dt.date, first: dt.date, last: dt.date) -> str:
    if day < first:
        return _("{day} is before {first}, the earliest date kamtui keeps: a typo?").format(
            day=shown_date(day), first=shown_date(first)
        )
    return _("{day} is after {last}, the latest date kamtui keeps: a typo?").format(
        day=shown_date(day), last=shown_date(last)
    )


def latest_ahead(today: dt.date) -> dt.date:
    """The last date a due date or an expected close may have: :data:`MAX_AHEAD_YEARS` years after
    ``today`` (the 28th of February for a leap day), never past :data:`LATEST_DATE`."""
    try:
        limit = today.replace(year=min(today.year + MAX_AHEAD_YEARS, dt.MAXYEAR))
    except ValueError:  # the 29th of February
        limit = today.replace(year=min(today.year + MAX_AHEAD_YEARS, dt.MAXYEAR), day=28)
    return min(limit, LATEST_DATE)


def in_window(field: str, day: dt.date, today: dt.date, noun: str = N_("a date")) -> dt.date:
    """The rule for a date a KAM types or imports, where today is known: from
    :data:`EARLIEST_DATE` to :data:`MAX_AHEAD_YEARS` years after ``today`` (``noun`` names it)."""
    limit = latest_ahead(today)
    if day > limit:
        raise ValidationError(
            field,
            _("{day} is more than {years} years ahead (the latest is {limit}): {noun} that far out is a typo").format(
                day=shown_date(day), years=MAX_AHEAD_YEARS, limit=shown_date(limit), noun=_(noun)
            ),
        )
    if day < EARLIEST_DATE:
        raise ValidationError(field, _outside(day, EARLIEST_DATE, LATEST_DATE))
    return day


def happened(field: str, day: dt.date, today: dt.date) -> dt.date:
    """The rule for a date that records something that happened (a review held, a contact, an
    interaction, a reading, a deal won or lost): in the window and not after ``today``."""
    if day > today:
        raise ValidationError(
            field, _("{day} is after today ({today})").format(day=shown_date(day), today=shown_date(today))
        )
    return in_window(field, day, today)


def date(field: str, value: Any) -> dt.date:
    """The grammar of a date alone (any real date; a time after it dropped): what a form parses
    typed text with. :func:`stored_date` adds the window the model keeps."""
    if (  # the stored spelling, YYYY-MM-DD: no pattern to match
        value.__class__ is str
        and len(value) == 10
        and value[4] == value[7] == "-"
        and value.isascii()
        and (value[:4] + value[5:7] + value[8:]).isdigit()
    ):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass  # not a real date: said below
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None:
        raise ValidationError(field, _("is required; use YYYY-MM-DD"))
    if isinstance(value, str):
        raw = value.strip()
        m = _DATE_TEXT.fullmatch(raw)
        if m is None:
            raise ValidationError(field, _("{text} is not a date; use YYYY-MM-DD").format(text=repr(raw)))
        try:
            return dt.date.fromisoformat(m.group(1))
        except ValueError as exc:
            raise ValidationError(
                field, _("{text} is not a real date ({why})").format(text=m.group(1), why=exc)
            ) from exc
    raise ValidationError(field, _("must be a date, not {kind}").format(kind=type(value).__name__))


FIRST_PLAN_YEAR, LAST_PLAN_YEAR = 2000, 2100
_DIGIT_RUNS = re.compile(r"[0-9]+")


def plan_period(field: str, value: Any) -> str:
    """A KPI's plan period as stored: empty (no period), or text ("2027", "FY2027", "Q3 2027",
    "2026/2027"). A number of three digits or more in it must be a year from 2000 to 2100:
    "99999" or "FY1999" are refused. Text that names no year ("FY26", as an older kamtui kept it)
    is kept; a form asks for the year (:func:`period_with_year`)."""
    period = text(field, value, max_len=20)
    runs = [r for r in _DIGIT_RUNS.findall(period) if len(r) >= 3]
    if all(len(r) == 4 and FIRST_PLAN_YEAR <= int(r) <= LAST_PLAN_YEAR for r in runs):
        return period
    raise ValidationError(field, _period_help(period))


def period_with_year(field: str, period: str) -> str:
    """``period`` (a stored one, see :func:`plan_period`) as a form takes it: empty, or naming
    its year. A period without one ("Q3", "FY26") is never the plan under way
    (kpi_status.is_current), so its KPIs would never be flagged off track."""
    if period and not any(len(r) == 4 for r in _DIGIT_RUNS.findall(period)):
        raise ValidationError(field, _period_help(period))
    return period


def _period_help(period: str) -> str:
    return _("{period} is not a plan period: name its year, {first} to {last} (2027, FY2027; blank: no period)").format(
        period=repr(period), first=FIRST_PLAN_YEAR, last=LAST_PLAN_YEAR
    )


def optional_date(field: str, value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    return date(field, value)


def boolean(field: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    raise ValidationError(field, _("must be true or false, not {value}").format(value=repr(value)))


def json_value(field: str, value: Any, depth: int = 0) -> None:
    """Refuse anything JSON cannot hold: NaN, infinities, bytes, sets, objects."""
    if depth > 20:
        raise ValidationError(field, _("is nested too deeply"))
    if value is None or isinstance(value, bool | int | str):
        if isinstance(value, str):
            _check_encodable(field, value)
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValidationError(field, _not_finite(value))
        return
    if isinstance(value, list | tuple):
        for i, item in enumerate(value):
            json_value(f"{field}[{i}]", item, depth + 1)
        return
    if isinstance(value, Mapping):
        for k, item in value.items():
            if not isinstance(k, str):
                raise ValidationError(field, _("key {key} is not text").format(key=repr(k)))
            json_value(f"{field}.{k}", item, depth + 1)
        return
    raise ValidationError(field, _("a {kind} cannot be stored in JSON").format(kind=type(value).__name__))
