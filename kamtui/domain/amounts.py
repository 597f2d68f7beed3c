"""Money amounts: the one reading of an amount, whoever typed or exported it.

The rule (documented in the README): an amount is written in digits, with thousands separators
and a decimal separator as people and CRM exports write them ("1,234,567.89", "1.234.567,89",
"1 234 567,89", "1'234.50", "€ 1.234,50", "$1,234.50", "EUR 1234", "(1,000.00)" for a negative);
never in exponent form ("1e5") nor as "inf" or "nan". It is finite, not negative where the field
says so (every amount kamtui stores: revenue, cost to serve, an opportunity's value), and at most
:data:`MAX_AMOUNT`, a thousand trillion, which the money column shows ("1.0e15"; below it,
"999.9T") and which a float holds to the unit.

:func:`amount` applies the rule to a field (raising ValidationError naming it): the forms read
what was typed through it (via the model's validators), ``kamtui import`` each CSV cell.
:func:`parse_amount` is the grammar alone, for the importer's other numbers (probabilities);
:func:`decimal_evidence` what a text proves about a file's decimal separator.
"""

from __future__ import annotations

import math
import re
from typing import Any

from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import typed_decimal
from kamtui.i18n import _

#: The largest amount kamtui takes: a thousand trillion.
MAX_AMOUNT = 1e15
LIMIT_TEXT = "1,000,000,000,000,000"

_CURRENCY = r"(?:[€$£¥₹₩₽¤]|[A-Z]{3})"
_MONEY = re.compile(
    rf"^\s*(?P<s1>[-+])?\s*(?:{_CURRENCY}\s*)?(?P<s2>[-+])?\s*(?P<num>[0-9][0-9.,' \u00a0\u202f\u2009]*|[.,][0-9]+)"
    rf"\s*(?:{_CURRENCY})?\s*$"
)
_SPACE_GROUPS = re.compile(r"[0-9]{1,3}(?:[' \u00a0\u202f\u2009][0-9]{3})+(?:[.,][0-9]*)?")
# "1,234": a thousand and more in English, decimals where the comma is the decimal separator.
_COMMA_THOUSANDS = re.compile(r"[-+]?\s*[1-9][0-9]{0,2},[0-9]{3}")
# What float() reads but an amount is not: exponents, infinities, not-a-number.
_NOT_DIGITS = re.compile(r"[-+]?(?:(?:[0-9]+[.,]?[0-9]*|[.,][0-9]+)e[-+]?[0-9]+|inf(?:inity)?|nan)", re.IGNORECASE)


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
    whole, _sep, frac = num.partition(sep)
    if len(frac) != 3 or not whole or whole == "0" or len(whole) > 3:
        return sep
    return None


def parse_amount(text: str, decimal: str | None) -> float:
    """A money text as a float (the grammar only: sign and size are :func:`amount`'s).
    ``decimal`` settles "1.234"; None refuses it as ambiguous.

    Raises ValueError with the reason.
    """
    core = _core(text)
    if core is None:
        if _NOT_DIGITS.fullmatch(text.strip()):
            raise ValueError(
                _("{text} is not an amount: write it in digits (1234.50, 1,234.50), at most {limit}").format(
                    text=repr(text.strip()), limit=LIMIT_TEXT
                )
            )
        raise ValueError(_("{text} is not an amount").format(text=repr(text.strip())))
    neg, num = core
    seps = [c for c in num if c in ",."]
    if not seps:
        value = float(num)
    elif len(set(seps)) == 2:
        dec = seps[-1]
        thou = "," if dec == "." else "."
        whole, _sep, frac = num.rpartition(dec)
        if seps.count(dec) != 1 or not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(thou)}[0-9]{{3}})*", whole):
            raise ValueError(_("{text} is not an amount (misplaced separators)").format(text=repr(text.strip())))
        value = float(whole.replace(thou, "") + "." + frac)
    else:
        sep = seps[0]
        if len(seps) > 1:
            if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+", num):
                raise ValueError(_("{text} is not an amount (misplaced separators)").format(text=repr(text.strip())))
            value = float(num.replace(sep, ""))
        else:
            whole, _sep, frac = num.partition(sep)
            if decimal_evidence(num) is None:  # "1.234": thousands or decimals?
                if decimal is None:
                    raise ValueError(
                        _("{text} is ambiguous: the file has both decimal commas and decimal points").format(
                            text=repr(text.strip())
                        )
                    )
                is_decimal = sep == decimal
            else:
                is_decimal = True
            if not frac and not is_decimal:
                raise ValueError(_("{text} is not an amount").format(text=repr(text.strip())))
            value = float((whole or "0") + "." + (frac or "0")) if is_decimal else float(whole + frac)
    return -value if neg else value


#: ``amount``'s ``decimal`` for what a person typed in a form: the language's decimal separator.
TYPED = "typed"


def amount(field: str, value: Any, decimal: str | None = TYPED, *, negative: bool = False) -> float:
    """``value`` (a number, or its text) as an amount by the rule above, or ValidationError
    naming ``field``. ``decimal`` settles a text such as "1.234": the import gives the file's;
    :data:`TYPED` (a form) the language's: a point in English and in Mexico ("1.234" is 1.234,
    "1,234" 1234), a comma in Spain ("1.234" is 1234; "1,234" is refused, as an English
    thousands separator would be read as decimals). ``negative`` lets a field that may be
    negative take one."""
    if isinstance(value, bool):
        raise ValidationError(field, _("must be an amount, not a yes/no value"))
    if isinstance(value, str):
        if decimal == TYPED:
            decimal = typed_decimal()
            if decimal == "," and _COMMA_THOUSANDS.fullmatch(value.strip()):
                text = value.strip()
                raise ValidationError(
                    field,
                    _("{text} is ambiguous with a decimal comma: type {whole} (whole) or {exact} (decimals)").format(
                        text=repr(text), whole=text.replace(",", ""), exact=text + "0"
                    ),
                )
        try:
            value = parse_amount(value, decimal)
        except ValueError as exc:
            raise ValidationError(field, str(exc)) from None
    elif not isinstance(value, int | float):
        raise ValidationError(field, _("must be an amount, not {kind}").format(kind=type(value).__name__))
    if isinstance(value, float) and not math.isfinite(value):
        raise ValidationError(field, _("{value} cannot be stored (JSON holds only finite numbers)").format(value=value))
    if value < 0 and not negative:
        raise ValidationError(field, _("must not be negative"))
    return within_limit(field, value)


def within_limit(field: str, value: float, noun: str = "an amount") -> float:
    """``value`` as a float if it is at most :data:`MAX_AMOUNT` either side of zero (the rule of
    amounts, and of the signed numbers of a KPI: ``noun`` names them), else ValidationError."""
    if abs(value) > MAX_AMOUNT:
        shown = f"{value:,.0f}" if abs(value) < 1e30 else _("the number")  # an int may be beyond a float
        if noun != "an amount":  # a KPI value
            why = _("{shown} is too large: a KPI value is at most {limit} either side of zero (a thousand trillion)")
        elif value < 0:
            why = _("{shown} is too large: an amount is at most {limit} either side of zero (a thousand trillion)")
        else:
            why = _("{shown} is too large: an amount is at most {limit} (a thousand trillion)")
        raise ValidationError(field, why.format(shown=shown, limit=LIMIT_TEXT))
    return float(value) + 0.0  # -0.0 -> 0.0
