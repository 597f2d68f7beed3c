"""Colour that degrades honestly: under NO_COLOR no text is lost with its colour.

Textual draws every colour as the grey of the same luminance when NO_COLOR is set. Text that
stood out by its hue rather than its brightness (a red alert on near-black) then becomes a dark
grey on a near-black grey. :class:`ReadableMonochrome` draws the same greys, except that text
stands out from its background by as much as its colour did (its most different channel): a
red alert stays as visible as it was, text meant to be faint (the X of an unticked box) stays
faint, and lines and blocks (borders, scrollbars) are left as they are. The states themselves
read by their marks, bold, underline and reverse (see ``app.tcss``), never by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rich.color import Color as RichColor
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter, Monochrome, monochrome_style


def _decoration(text: str) -> bool:
    """Lines, corners and blocks: drawn, not read."""
    return all(ch == " " or 0x2500 <= ord(ch) <= 0x259F for ch in text)


def _color(rich_color: RichColor | None, default: Color | None) -> Color | None:
    if rich_color is None or rich_color.is_default:
        return default
    return Color.from_rich_color(rich_color)


def _distance(a: Color, b: Color) -> float:
    """How far apart two colours are in any channel (0-1): what a colour terminal shows."""
    return max(abs(a.r - b.r), abs(a.g - b.g), abs(a.b - b.b)) / 255


@lru_cache(4096)
def readable_style(style: Style, background: Color) -> Style:
    """``style`` in greys, its text standing out from its background as much as its colour
    made it stand out in its most different channel (a grey on a grey is unchanged)."""
    grey = monochrome_style(style)
    fg = _color(style.color, None)
    bg = _color(style.bgcolor, background)
    if fg is None or bg is None:
        return grey
    want = _distance(fg, bg)
    grey_bg = bg.monochrome.brightness
    if abs(fg.monochrome.brightness - grey_bg) >= want:
        return grey
    level = round(255 * min(1.0, max(0.0, grey_bg + want if grey_bg < 0.5 else grey_bg - want)))
    return grey + Style.from_color(Color(level, level, level).rich_color)


class ReadableMonochrome(LineFilter):
    """Textual's NO_COLOR greys, without losing text whose colour set it apart."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        return [
            Segment(text, style if style is None else self._style(text, style, background), control)
            for text, style, control in segments
        ]

    @staticmethod
    def _style(text: str, style: Style, background: Color) -> Style:
        if not text.strip() or _decoration(text):
            return monochrome_style(style)
        return readable_style(style, background)


_READABLE = ReadableMonochrome()


def readable_filters(filters: Sequence[LineFilter]) -> list[LineFilter]:
    """The app's line filters, with Textual's NO_COLOR filter replaced by :class:`ReadableMonochrome`."""
    return [_READABLE if type(f) is Monochrome else f for f in filters]
