"""Amounts, dates and spans of time as the user reads them, in the language in force (issue 15).

English is what kamtui always showed (``1.9M``, ``2026-12-02``, ``3w late``) and never touches
Babel: its path is a plain f-string, and this module imports Babel only once another language
formats something. Spanish goes through Babel with :func:`kamtui.i18n.locale_name` (``es``,
``es_ES``, ``es_MX``...): ``1.234.567,89 €``, ``1,9 M€``, ``02/12/2026``, ``mié 02 dic``, ``hace
3 días``, ``en 2 sem.``, ``3 sem. de retraso``. Mexico writes numbers as English does
(``1,234.5``), Spain and most of South America with a decimal comma: the locale says which.

Babel is slow per call (tens of microseconds) and these run per row of a 50,000-account list,
so Babel is asked once per locale (and currency) for the symbols and patterns, and the numbers
are then formatted with f-strings and a character swap (:class:`_Numbers`).

The currency: an ISO 4217 code set for the whole portfolio (stored in the data file:
:mod:`kamtui.store.settings`, installed here with :func:`set_portfolio_currency` when a file is
read) and overridable per account (``Account.currency``): callers that know the account pass
its code. With no currency anywhere amounts show with no symbol, in every language.

Machine outputs (JSON, CSV, ICS, the stored file) never come here: they stay ISO and plain.
"""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import Any

from kamtui import i18n
from kamtui.domain.errors import ValidationError
from kamtui.i18n import _

#: The codes kamtui takes for a currency (ISO 4217): the Spanish-speaking markets the source
#: articles name first, then the currencies their customers trade in.
CURRENCIES: tuple[str, ...] = (
    "EUR", "USD", "MXN", "COP", "PEN", "CLP", "ARS", "BOB", "BRL", "CAD", "CHF", "CNY", "CRC",
    "CZK", "DKK", "DOP", "GBP", "GTQ", "HNL", "INR", "JPY", "NIO", "NOK", "PAB", "PLN", "PYG",
    "SEK", "UYU", "VES", "ZAR",
)  # fmt: skip
_KNOWN = frozenset(CURRENCIES)

NBSP = "\u00a0"

# ------------------------------------------------------------------ the portfolio's currency
_portfolio = ""


def set_portfolio_currency(code: str | None) -> None:
    """The currency of the portfolio now read (``""`` or None: none). Set by whoever reads the
    data file (the TUI's session, the CLI); a code kamtui does not take is none."""
    global _portfolio
    code = (code or "").strip().upper()
    _portfolio = code if code in _KNOWN else ""


def portfolio_currency() -> str:
    """The portfolio's currency code, ``""`` when none is set."""
    return _portfolio


def check_currency(field: str, value: Any) -> str:
    """``value`` as a currency code (upper case, one of :data:`CURRENCIES`), ``""`` for none;
    ValidationError naming ``field`` otherwise."""
    if value is None or value == "":
        return ""
    if not isinstance(value, str):
        raise ValidationError(
            field, _("must be a currency code such as EUR, not {kind}").format(kind=type(value).__name__)
        )
    code = value.strip().upper()
    if code and code not in _KNOWN:
        raise ValidationError(
            field,
            _("{code} is not a currency kamtui knows: use an ISO 4217 code such as {codes}").format(
                code=repr(value.strip()), codes=", ".join(CURRENCIES[:7])
            ),
        )
    return code


# ------------------------------------------------------------------ numbers, once per locale
class _Numbers:
    """A locale's way of writing numbers and one currency, read from Babel once."""

    __slots__ = ("decimal", "digits", "group", "group_from", "prefix", "space", "symbol", "units")

    def __init__(self, locale: str, currency: str) -> None:
        from babel import Locale, UnknownLocaleError
        from babel.numbers import format_decimal, get_currency_precision, get_currency_symbol

        try:
            loc = Locale.parse(locale)
        except (UnknownLocaleError, ValueError):  # es_XX: a region CLDR does not know
            loc = Locale.parse(locale.partition("_")[0])
        symbols = loc.number_symbols.get("latn", loc.number_symbols)
        self.decimal: str = symbols.get("decimal", ".")
        self.group: str = symbols.get("group", ",")
        # Spanish leaves four-digit numbers ungrouped (1234, 12.345): CLDR's minimum grouping.
        self.group_from = 10_000 if format_decimal(1234, locale=loc).isdigit() else 1000
        self.symbol: str = get_currency_symbol(currency, locale=loc) if currency else ""
        pattern = loc.currency_formats["standard"].pattern if currency else ""
        self.prefix: bool = pattern.startswith("¤")
        self.digits: int = get_currency_precision(currency) if currency else 2
        self.space = loc.language != "en"  # "1,9 M" in Spanish, "1.9M" in English
        if loc.language == "es":  # millones, mil millones, billones (10^12)
            self.units = ((1.0, "", 0), (1e3, "k", 0), (1e6, "M", 1), (1e9, "mil M", 1), (1e12, "B", 1))
        else:
            self.units = _UNITS

    def digits_text(self, value: float, decimals: int) -> str:
        """``value`` (not negative) with this locale's separators."""
        return self.localized(f"{value:,.{decimals}f}" if value >= self.group_from else f"{value:.{decimals}f}")

    def localized(self, shown: str) -> str:
        """A number written the English way (``1,250,000.5``) with this locale's separators."""
        if self.decimal == "." and self.group == ",":
            return shown
        return shown.translate({44: "\x00", 46: self.decimal}).replace("\x00", self.group)

    def with_symbol(self, number: str, unit: str = "") -> str:
        """``number`` with its unit and the currency symbol where the locale puts it."""
        sym = self.symbol
        if self.space and unit:
            number = f"{number}{NBSP}{unit}"
        else:
            number += unit
        if not sym:
            return number
        if self.prefix:
            return f"{sym}{NBSP}{number}" if sym[-1].isalpha() else sym + number
        joint = "" if unit and not sym[0].isalpha() else NBSP  # "1,9 M€", "950 €", "1,9 M COP"
        return f"{number}{joint}{sym}"


# Spanish numbers and dates as CLDR writes them (Babel 2.19; tests.test_es_formats checks the
# table against Babel for every Spanish locale), so that a Spanish screen shows numbers without
# a currency and dates without loading Babel (~45 ms at first paint). Babel gives the rest.
_ES_POINT = frozenset({"MX", "US", "PR", "SV", "HN", "BR", "PA", "GT", "DO", "NI", "CU", "BZ", "PE"})
_ES_SPACE = frozenset({"CR"})  # 1 234,5
_ES_SEPT = {"": "sept", "ES": "sept", "PH": "sept", "GQ": "sept", "EA": "sept", "IC": "sept", "VE": "sept",
            "PY": "sept", "UY": "set", "PE": "set"}  # fmt: skip
_ES_DAYS = ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")
_ES_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "{sep}", "oct", "nov", "dic")


def _spanish(locale: str) -> str | None:
    """The region of a Spanish ``locale`` ("" for none), None for another language."""
    lang, _sep, region = locale.partition("_")
    return region if lang == "es" else None


@cache
def _numbers(locale: str, currency: str) -> _Numbers:
    region = _spanish(locale)
    if region is not None and not currency:
        fmt = _Numbers.__new__(_Numbers)
        fmt.decimal, fmt.group = (".", ",") if region in _ES_POINT else (",", "\u00a0" if region in _ES_SPACE else ".")
        fmt.group_from, fmt.symbol, fmt.prefix, fmt.digits, fmt.space = 1000, "", False, 2, True
        fmt.units = ((1.0, "", 0), (1e3, "k", 0), (1e6, "M", 1), (1e9, "mil M", 1), (1e12, "B", 1))
        return fmt
    return _Numbers(locale, currency)


# ------------------------------------------------------------------ amounts
_UNITS = ((1.0, "", 0), (1e3, "k", 0), (1e6, "M", 1), (1e9, "B", 1), (1e12, "T", 1))


def _short(a: float, units: tuple[tuple[float, str, int], ...]) -> tuple[str, str] | None:
    """The digits and unit of amount ``a`` (not negative) in short form, or None from a thousand
    trillion (shown in exponent form)."""
    if round(a / 1e12, 1) >= 1000:
        return None
    unit = max(i for i, (size, _u, _d) in enumerate(units) if a >= size or i == 0)
    while True:
        size, suffix, digits = units[unit]
        if suffix == "k" and a < 9950:  # 1,500 is '1.5k', not '2k'; '1k' and '10k' keep no '.0'
            digits = 1
        shown = f"{a / size:.{digits}f}"
        if digits and suffix == "k":
            shown = shown.removesuffix(".0")
        if float(shown) < 1000 or unit == len(units) - 1:
            return shown, suffix
        unit += 1


def _money_en(value: float) -> str:
    """1234567 -> '1.2M', 950000 -> '950k', 1500 -> '1.5k', 999999 -> '1.0M' (never '1000k'); from a
    thousand trillion, '1.0e18': never longer than 8 characters, whatever was typed."""
    if not math.isfinite(value):
        return "-"
    a = abs(value)
    short = _short(a, _UNITS)
    if short is None:
        return ("-" if value < 0 else "") + f"{a:.1e}".replace("e+", "e")
    shown, suffix = short
    sign = "-" if value < 0 and float(shown) != 0 else ""
    return f"{sign}{shown}{suffix}"


def money(value: float, currency: str | None = None) -> str:
    """An amount in short form for a list or a sentence: ``1.9M`` (English, no currency, as
    always), ``€1.9M``, ``1,9 M€`` (es_ES), ``$1.9 M`` (es_MX, pesos). ``currency``: the
    account's code; None or ``""`` is the portfolio's."""
    code = currency or _portfolio
    if code == "\x00":  # money_cell's: no symbol, whatever the currency
        code = ""
    if not code and i18n._language == "en":  # the common path: no Babel, no lookup
        return _money_en(value)
    if not math.isfinite(value):
        return "-"
    fmt = _numbers(i18n.locale_name(), code)
    a = abs(value)
    short = _short(a, fmt.units)
    if short is None:
        text = f"{a:.1e}".replace("e+", "e").replace(".", fmt.decimal)
        shown, unit, zero = text, "", False
    else:
        shown, unit = short
        if unit == "mil M" and a < 1e10:  # as CLDR writes it: 2500 M, then 25 mil M
            shown, unit = f"{a / 1e6:.0f}", "M"
        zero = float(shown) == 0
        shown = shown.replace(".", fmt.decimal)
    sign = "-" if value < 0 and not zero else ""
    return sign + fmt.with_symbol(shown, unit)


def money_cell(value: float, currency: str | None, width: int) -> str:
    """:func:`money` right-aligned in a column ``width`` cells wide: what does not fit loses
    its spaces ("12,5M€"), then its symbol (the column then shows the number alone)."""
    text = money(value, currency)
    if len(text) > width:
        text = text.replace(NBSP, "")
        if len(text) > width and (currency or _portfolio):
            text = money(value, "\x00").replace(NBSP, "")  # no symbol
        if len(text) > width and math.isfinite(value):  # "25 mil M": ten thousand millions and more
            text = f"{value:.1e}".replace("e+", "e").replace(".", typed_decimal())
    return text.rjust(width)[-width:]


def amount(value: float, currency: str | None = None) -> str:
    """An amount in full: ``1,234,567.89`` (English, no currency), ``1.234.567,89 €`` (es_ES),
    ``$1,234,567.89`` (es_MX, pesos); the currency's own decimals (none for Chilean pesos)."""
    if not math.isfinite(value):
        return "-"
    code = currency or _portfolio
    if not code and i18n._language == "en":
        return f"{value:,.2f}"
    fmt = _numbers(i18n.locale_name(), code)
    sign = "-" if value < 0 and round(abs(value), fmt.digits) != 0 else ""
    return sign + fmt.with_symbol(fmt.digits_text(abs(value), fmt.digits))


def number_shown(text: str) -> str:
    """A number written the English way (``1,250,000.5``) as the language writes it
    (``1.250.000,5`` in Spain); English as it is."""
    if i18n._language == "en":
        return text
    return _numbers(i18n.locale_name(), "").localized(text)


def percent(fraction: float, decimals: int = 0) -> str:
    """A share as a percentage: ``14.3%`` in English, ``14,3%`` in Spain."""
    return number_shown(f"{fraction * 100:.{decimals}f}") + "%"


def count_text(n: int) -> str:
    """A count as a title shows it: ``10,000`` in English (as always), ``10.000`` in Spain,
    ``10,000`` in Mexico."""
    if i18n._language == "en":
        return f"{n:,}"
    return ("-" if n < 0 else "") + _numbers(i18n.locale_name(), "").digits_text(abs(n), 0)


def typed_decimal() -> str:
    """The decimal separator a form reads in an amount that could be either ("1.234"): the
    locale's (a comma in Spain, a point in Mexico and in English)."""
    if i18n._language == "en":
        return "."
    return _numbers(i18n.locale_name(), "").decimal


def typed_amount(value: float) -> str:
    """An amount as a form shows it for editing: exact, no thousands separators, the locale's
    decimal separator (``1234.5``; ``1234,5`` in Spain), so that it reads back as it was."""
    text = f"{value:.0f}" if value.is_integer() else repr(value)
    if i18n._language == "en" or "e" in text:
        return text
    text = text.replace(".", typed_decimal())
    _whole, comma, decimals = text.partition(",")
    return text + "0" if comma and len(decimals) == 3 else text  # "1,2340": "1,234" would be refused


# ------------------------------------------------------------------ dates
def date(day: dt.date) -> str:
    """A full date: ``2026-12-02`` in English (as always), ``02/12/2026`` in Spanish."""
    if i18n._language == "en":
        return day.isoformat()
    return f"{day.day:02d}/{day.month:02d}/{day.year:04d}"


def shown_iso(text: str) -> str:
    """A date as stored (ISO text) shown as :func:`date` shows it; any other text as it is."""
    if i18n._language == "en" or len(text) != 10 or text[4] != "-" or text[7] != "-":
        return text
    return f"{text[8:]}/{text[5:7]}/{text[:4]}"


@cache
def _names(locale: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The short weekday names (Monday first) and month names of ``locale``, without the
    closing point Babel gives some ("sept.")."""
    region = _spanish(locale)
    if region is not None:
        sep = _ES_SEPT.get(region, "sep")
        return _ES_DAYS, tuple(m.format(sep=sep) for m in _ES_MONTHS)
    from babel import Locale, UnknownLocaleError
    from babel.dates import get_day_names, get_month_names

    try:
        loc = Locale.parse(locale)
    except (UnknownLocaleError, ValueError):
        loc = Locale.parse(locale.partition("_")[0])
    days = get_day_names("abbreviated", locale=loc)
    months = get_month_names("abbreviated", locale=loc)
    return tuple(days[i].rstrip(".") for i in range(7)), tuple(months[i].rstrip(".") for i in range(1, 13))


def day_title(day: dt.date) -> str:
    """A day with its weekday, for a title: ``Wed 02 Dec 2026``; ``mié 02 dic 2026``."""
    if i18n._language == "en":
        return f"{day:%a %d %b %Y}"
    days, months = _names(i18n.locale_name())
    return f"{days[day.weekday()]} {day.day:02d} {months[day.month - 1]} {day.year}"


def day_short(day: dt.date) -> str:
    """A day with its weekday, no year: ``Wed 02 Dec``; ``mié 02 dic``."""
    if i18n._language == "en":
        return f"{day:%a %d %b}"
    days, months = _names(i18n.locale_name())
    return f"{days[day.weekday()]} {day.day:02d} {months[day.month - 1]}"


def day_month(day: dt.date, today: dt.date) -> str:
    """A day in a sentence: ``3 Nov``, ``3 Nov 2025`` in another year than today's; ``3 nov``."""
    if i18n._language == "en":
        return f"{day.day} {day:%b}" + ("" if day.year == today.year else f" {day.year}")
    month = _names(i18n.locale_name())[1][day.month - 1]
    return f"{day.day} {month}" + ("" if day.year == today.year else f" {day.year}")


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def month_day(day: dt.date, today: dt.date) -> str:
    """A date for a narrow cell whose year is never in doubt: `` 3 Jun`` in today's year (the day
    padded, so that a column's dates line up), ``Sep 2025`` in any other; `` 3 jun``, ``19 sept``,
    ``sept 2025`` in Spanish."""
    if i18n._language == "en":
        month = MONTHS[day.month - 1]
    else:
        month = _names(i18n.locale_name())[1][day.month - 1]
    return f"{day.day:>2} {month}" if day.year == today.year else f"{month} {day.year}"


# ------------------------------------------------------------------ spans of time
def _span_en(n: int) -> str:
    if n < 14:
        return f"{n}d"
    if n < 70:
        return f"{n // 7}w"
    if n < 730:
        return f"{n // 30}mo"
    return f"{n // 365}y" if n < 100 * 365 else "99y+"


def _span_es(n: int, compact: bool) -> str:
    """``n`` days in Spanish: "3 días", "2 sem.", "5 meses", "3 años" (compact, at most 8 cells
    with "en " or "-": "3 d", "2 sem", "5 m.", "3 a.")."""
    if n < 14:
        return f"{n}{NBSP}d" if compact else (f"{n}{NBSP}día" if n == 1 else f"{n}{NBSP}días")
    if n < 70:
        return f"{n // 7}{NBSP}sem" if compact else f"{n // 7}{NBSP}sem."
    if n < 730:
        m = n // 30
        return f"{m}{NBSP}m." if compact else (f"{m}{NBSP}mes" if m == 1 else f"{m}{NBSP}meses")
    if n >= 100 * 365:
        return f"99{NBSP}a.+" if compact else f"99{NBSP}años+"
    y = n // 365
    return f"{y}{NBSP}a." if compact else (f"{y}{NBSP}año" if y == 1 else f"{y}{NBSP}años")


def due_words(due: dt.date | None, today: dt.date, compact: bool = False) -> str:
    """When something is due, from ``today``: "today", "tomorrow", "in 3d", "2d late", "in 5w",
    "11mo late" (English, as always: at most 9 characters); "hoy", "mañana", "en 3 días", "en 2
    sem.", "3 sem. de retraso" in Spanish, or for a list's column (``compact``, at most 8 cells)
    "en 3 d", "en 2 sem", "-3 sem"."""
    if due is None:
        return "-"
    delta = (due - today).days
    if i18n._language == "en":
        if delta == 0:
            return "today"
        if delta == 1:
            return "tomorrow"
        amount = _span_en(abs(delta))
        return f"in {amount}" if delta > 0 else f"{amount} late"
    if delta == 0:
        return "hoy"
    if delta == 1:
        return "mañana"
    span = _span_es(abs(delta), compact)
    if delta > 0:
        return f"en {span}"
    return f"-{span}" if compact else f"{span} de retraso"


def ago_words(days: int) -> str:
    """How long ago, for a date in the past: "today", "3d ago" (English, as always); "hoy",
    "hace 3 días", "hace 2 sem."; a date ahead: "ahead of today", "posterior a hoy"."""
    if i18n._language == "en":
        return "today" if days == 0 else f"{days}d ago" if days > 0 else "ahead of today"
    if days == 0:
        return "hoy"
    if days < 0:
        return "posterior a hoy"
    return f"hace {_span_es(days, False)}"


def age_words(days: int) -> str:
    """An age: "3 days", "5 weeks", "8 months", "2 years"; "3 días", "5 semanas", "8 meses", "2 años"."""
    en = i18n._language == "en"
    if days < 14:
        n, one, many = days, ("day", "día"), ("days", "días")
    elif days < 61:
        n, one, many = days // 7, ("week", "semana"), ("weeks", "semanas")
    elif days < 730:
        n, one, many = days * 12 // 365, ("month", "mes"), ("months", "meses")
    else:
        n, one, many = days // 365, ("year", "año"), ("years", "años")
    word = (one if n == 1 else many)[0 if en else 1]
    return f"{n} {word}" if en else f"{n}{NBSP}{word}"
