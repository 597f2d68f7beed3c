"""Review cadences: presets or any RFC 5545 RRULE, the next due date, and how late it is.

Everything takes an explicit ``today`` so that results are deterministic in tests.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrule, rrulestr

from kamtui.domain.errors import ValidationError

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
DEFAULT_CADENCE_BY_TIER = {"key": "monthly", "candidate": "quarterly", "regular": ""}

_DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_FREQ_UNITS = {0: "year", 1: "month", 2: "week", 3: "day"}
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last", -2: "second to last"}


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
        grace = dt.timedelta(days=_nominal_days(r) // 2)
        start = dt.datetime.combine(last, dt.time()) + grace
        nxt = r.after(start, inc=False)
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
    return Cadence(text, rule)._next_after(last)


def _nominal_days(r: rrule) -> int:
    """Length of one period of the rule in days: FREQ times INTERVAL."""
    unit = {0: 365, 1: 30, 2: 7, 3: 1}.get(r._freq, 1)
    return int(unit * r._interval)


@lru_cache(maxsize=4096)
def _build(rule: str, start: dt.date) -> rrule:
    result = rrulestr(rule, dtstart=dt.datetime.combine(start, dt.time()))
    assert isinstance(result, rrule)
    return result


@lru_cache(maxsize=1024)
def parse_cadence(text: str) -> Cadence:
    """Parse a preset name or an RRULE; raise ValidationError("cadence", ...) if neither."""
    raw = text.strip()
    if not raw:
        raise ValidationError("cadence", "is empty; use weekly, biweekly, monthly, quarterly or an RRULE")
    preset = PRESETS.get(raw.lower())
    if preset is not None:
        return Cadence(raw.lower(), preset)
    body = raw[6:] if raw.upper().startswith("RRULE:") else raw
    body = body.upper()
    if "FREQ=" not in body:
        raise ValidationError(
            "cadence",
            f"{raw!r} is neither a preset (weekly, biweekly, monthly, quarterly) nor an RRULE such as "
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        )
    if "DTSTART" in body:
        raise ValidationError("cadence", "must not carry DTSTART; the cadence starts from the last review")
    try:
        r = _build(body, dt.date(2000, 1, 1))
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError("cadence", f"{raw!r} is not a valid RRULE ({exc})") from exc
    if r._freq > 3:  # HOURLY, MINUTELY, SECONDLY make no sense for account reviews
        raise ValidationError("cadence", "must repeat daily or less often")
    return Cadence(raw, body)


def next_review(cadence_text: str, last_review: dt.date | None, today: dt.date) -> dt.date | None:
    """When the next review is due. No cadence: never. Never reviewed: today."""
    if not cadence_text:
        return None
    if last_review is None:
        return today
    return parse_cadence(cadence_text).next_after(last_review)


def period_days(cadence_text: str, last_review: dt.date) -> int | None:
    """Length in days of the cadence period that starts at ``last_review``."""
    nxt = next_review(cadence_text, last_review, last_review)
    return None if nxt is None else (nxt - last_review).days


def days_late(due: dt.date | None, today: dt.date) -> int | None:
    """Positive when late, 0 when due today, negative when still ahead; None when never due."""
    return None if due is None else (today - due).days


def in_words(due: dt.date | None, today: dt.date) -> str:
    """ "today", "in 3d", "2d late", "in 5w" ... short enough for a list column."""
    if due is None:
        return "-"
    delta = (due - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    n = abs(delta)
    amount = f"{n}d" if n < 14 else f"{n // 7}w" if n < 70 else f"{n // 30}mo"
    return f"in {amount}" if delta > 0 else f"{amount} late"


def add_days(day: dt.date, n: int) -> dt.date:
    return day + dt.timedelta(days=n)


def add_months(day: dt.date, n: int) -> dt.date:
    result: dt.date = day + relativedelta(months=n)
    return result


def describe_rule(rule: str) -> str:
    """An RRULE body in words: "every 2 weeks on Monday", "monthly on the first Tuesday"."""
    parts = dict(p.split("=", 1) for p in rule.split(";") if "=" in p)
    freq = parts.get("FREQ", "").upper()
    interval = int(parts.get("INTERVAL", "1") or 1)
    unit = {"YEARLY": "year", "MONTHLY": "month", "WEEKLY": "week", "DAILY": "day"}.get(freq, freq.lower())
    if interval == 1:
        base = {"year": "every year", "month": "every month", "week": "every week", "day": "every day"}.get(
            unit, f"every {unit}"
        )
    elif unit == "month" and interval == 3:
        base = "every quarter"
    else:
        base = f"every {interval} {unit}s"
    bits = [base]
    byday = parts.get("BYDAY")
    setpos = parts.get("BYSETPOS")
    if byday:
        days = []
        for token in byday.split(","):
            token = token.strip().upper()
            num = token[:-2]
            code = token[-2:]
            idx = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].index(code) if code in (
                "MO", "TU", "WE", "TH", "FR", "SA", "SU"
            ) else None
            if idx is None:
                continue
            name = _DAY_NAMES[idx]
            n = int(num) if num not in ("", "+", "-") else (int(setpos) if setpos and setpos.lstrip("-").isdigit() else 0)
            days.append(f"the {_ORDINALS.get(n, f'{n}th')} {name}" if n else name)
        if days:
            bits.append("on " + _join(days))
    if parts.get("BYMONTHDAY"):
        nums = [int(x) for x in parts["BYMONTHDAY"].split(",") if x.strip().lstrip("-").isdigit()]
        bits.append("on day " + _join([str(n) if n > 0 else "last" if n == -1 else str(n) for n in nums]))
    if parts.get("COUNT"):
        bits.append(f"{parts['COUNT']} times")
    if parts.get("UNTIL"):
        u = parts["UNTIL"][:8]
        bits.append(f"until {u[:4]}-{u[4:6]}-{u[6:8]}")
    return " ".join(bits)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(cadence_text: str) -> str:
    if not cadence_text:
        return "no review cadence"
    c = parse_cadence(cadence_text)
    return c.describe()
