"""Amounts, dates and yes/no as CRM exports write them (see the conventions in
:mod:`kamtui.domain.importer`). The ``*_evidence`` functions say what a value proves about the
file's convention (decimal comma or point, day or month first); the parsers read a value
given the convention, raising ValueError with the reason."""

from __future__ import annotations

import datetime as dt
import re

# ---------------------------------------------------------------- numbers

_CURRENCY = r"(?:[€$£¥₹₩₽¤]|[A-Z]{3})"
_MONEY = re.compile(
    rf"^\s*(?P<s1>[-+])?\s*(?:{_CURRENCY}\s*)?(?P<s2>[-+])?\s*(?P<num>[0-9][0-9.,' \u00a0\u202f\u2009]*|[.,][0-9]+)"
    rf"\s*(?:{_CURRENCY})?\s*$"
)
_SPACE_GROUPS = re.compile(r"[0-9]{1,3}(?:[' \u00a0\u202f\u2009][0-9]{3})+(?:[.,][0-9]*)?")


def _core(text: str) -> tuple[bool, str] | None:
    """Sign and the digits-and-separators core of a money text, or None if it is not one."""
    s = text.strip()
    neg = False
    if s.startswith("(") and s.endswith(")"):
        neg, s = True, s[1:-1]
    m = _MONEY.match(s)
    if m is None:
        return None
    neg = neg or "-" in (m.group("s1"), m.group("s2"))
    num = m.group("num").strip()
    if re.search(r"[' \u00a0\u202f\u2009]", num):
        if not _SPACE_GROUPS.fullmatch(num):
            return None
        num = re.sub(r"[' \u00a0\u202f\u2009]", "", num)
    return neg, num


def decimal_evidence(text: str) -> str | None:
    """The decimal separator a number proves ("," or "."), or None when it proves nothing."""
    core = _core(text)
    if core is None:
        return None
    num = core[1]
    seps = [c for c in num if c in ",."]
    if not seps:
        return None
    if len(set(seps)) == 2:
        return seps[-1]
    sep = seps[0]
    if len(seps) > 1:
        return "," if sep == "." else "."
    whole, _, frac = num.partition(sep)
    if len(frac) != 3 or not whole or whole == "0" or len(whole) > 3:
        return sep
    return None


def parse_amount(text: str, decimal: str | None) -> float:
    """A money text as a float. ``decimal`` settles "1.234"; None refuses it as ambiguous.

    Raises ValueError with the reason.
    """
    core = _core(text)
    if core is None:
        raise ValueError(f"{text.strip()!r} is not an amount")
    neg, num = core
    seps = [c for c in num if c in ",."]
    if not seps:
        value = float(num)
    elif len(set(seps)) == 2:
        dec = seps[-1]
        thou = "," if dec == "." else "."
        whole, _, frac = num.rpartition(dec)
        if seps.count(dec) != 1 or not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(thou)}[0-9]{{3}})*", whole):
            raise ValueError(f"{text.strip()!r} is not an amount (misplaced separators)")
        value = float(whole.replace(thou, "") + "." + frac)
    else:
        sep = seps[0]
        if len(seps) > 1:
            if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+", num):
                raise ValueError(f"{text.strip()!r} is not an amount (misplaced separators)")
            value = float(num.replace(sep, ""))
        else:
            whole, _, frac = num.partition(sep)
            if decimal_evidence(num) is None:  # "1.234": thousands or decimals?
                if decimal is None:
                    raise ValueError(
                        f"{text.strip()!r} is ambiguous: the file has both decimal commas and decimal points"
                    )
                is_decimal = sep == decimal
            else:
                is_decimal = True
            if not frac and not is_decimal:
                raise ValueError(f"{text.strip()!r} is not an amount")
            value = float((whole or "0") + "." + (frac or "0")) if is_decimal else float(whole + frac)
    return -value if neg else value


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
        raise ValueError(f"{text!r} is not a real date") from None


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
            raise ValueError(f"{s!r} is not a real date")
        proof = date_evidence(s) or ("dmy" if a == b else None)  # 03/03: either order
        use = proof or order
        if use is None:
            raise ValueError(f"{s!r} is ambiguous: the file has both day-first and month-first dates")
        return _real(s, y, b, a) if use == "dmy" else _real(s, y, a, b)
    m = _DAY_MONTH.fullmatch(s)
    if m and m.group(2).lower() in _MONTHS:
        return _real(s, int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _MONTH_DAY.fullmatch(s)
    if m and m.group(1).lower() in _MONTHS:
        return _real(s, int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    raise ValueError(f"{s!r} is not a date (use 2026-12-31 or 31/12/2026)")


_TRUE = {"yes", "y", "true", "1", "x", "ja", "oui", "si", "sí"}
_FALSE = {"no", "n", "false", "0", "", "nein", "non"}


def parse_bool(text: str) -> bool:
    t = text.strip().casefold()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError(f"{text.strip()!r} is not yes or no")
