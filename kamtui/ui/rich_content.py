"""Rich Text made into Textual Content, as ``Content.from_rich_text`` makes it, each style once.

Today hands its list hundreds of lines at a time (a group's first hundred items each), every one
a Rich Text of a few styled parts. ``Content.from_rich_text`` converts the style of every part
anew (``textual.style.Style.from_rich_style``, with the app's ANSI theme): nearly half of the
time Today took to show a queue (700 lines: 35 ms, against 10 ms here; making their Rich Text
takes ~17 ms). The styles are a handful, so each is converted once per ANSI theme here; the
Content is the same (tests/test_rich_content.py compares the two over the hostile corpus and
every kind of line).
"""

from __future__ import annotations

from rich.console import Console
from rich.style import Style as RichStyle
from rich.terminal_theme import TerminalTheme
from rich.text import Text
from textual.content import Content, Span
from textual.style import Style


class ContentMaker:
    """``maker(text, theme)``: ``text`` as Content, its styles resolved by ``console`` (Rich's
    style names and the theme's) and their ANSI colours by ``theme`` (App.ansi_theme)."""

    def __init__(self, console: Console) -> None:
        self._console = console
        self._theme: TerminalTheme | None = None
        self._styles: dict[str | RichStyle, Style] = {}

    def __call__(self, text: Text, theme: TerminalTheme) -> Content:
        if text.style:  # a style under the whole text: none of Today's lines has one
            return Content.from_rich_text(text, console=self._console)
        if theme is not self._theme:
            self._styles.clear()
            self._theme = theme
        styles = self._styles
        spans: list[Span] = []
        for start, end, style in text.spans:
            converted = styles.get(style)
            if converted is None:
                rich = self._console.get_style(style) if isinstance(style, str) else style
                converted = styles[style] = Style.from_rich_style(rich, theme)
            spans.append(Span(start, end, converted))
        return Content(text.plain, spans)
