"""Make stored text safe to show in a terminal: no control bytes, no bidi overrides."""

from __future__ import annotations

import re
import unicodedata

# C0 and C1 controls (but not tab/newline, handled separately), DEL, and the bidi
# embedding/override/isolate marks that can reorder what a terminal shows.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(value: object, *, one_line: bool = True) -> str:
    """``value`` as text fit for display: control characters shown as U+FFFD-free visible marks."""
    s = "" if value is None else str(value)
    if one_line:
        s = s.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
    else:
        s = s.replace("\t", "    ").replace("\r", "")
    if _CONTROL.search(s):
        s = _CONTROL.sub(_visible, s)
    return s


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return "^" + chr(code + 0x40)  # caret notation, as `cat -v`
    if code == 0x7F:
        return "^?"
    return "\u2423" if unicodedata.category(ch) == "Cf" else "?"


def truncate(value: str, width: int) -> str:
    if width <= 0:
        return ""
    if len(value) <= width:
        return value
    return value[: max(0, width - 1)] + "\u2026"


def money(value: float) -> str:
    """1234567 -> '1.2M', 950000 -> '950k'."""
    a = abs(value)
    if a >= 1e9:
        return f"{value / 1e9:.1f}B"
    if a >= 1e6:
        return f"{value / 1e6:.1f}M"
    if a >= 1e3:
        return f"{value / 1e3:.0f}k"
    return f"{value:.0f}"
