"""Names that try to break a terminal UI: markup, escape sequences, bidi tricks, odd Unicode.

Import ``HOSTILE_NAMES`` to feed them through anything that stores or shows user text. Two
entries are refused by the model (the NUL and the blank name); ``STORABLE_NAMES`` holds the rest.
"""

from __future__ import annotations

HOSTILE_NAMES: list[str] = [
    # Rich / Textual markup
    "[bold]x",
    "[Bold]x",
    "[/]",
    "[",
    "]",
    "[@click=app.quit]x[/]",
    "[$accent]x",
    "[link=https://evil.example]click[/link]",
    "back\\",
    "\\[bold]x",
    ":rocket: :smile:",
    # terminal escape sequences and control characters
    "\x1b[2J",
    "\x1b]0;owned\x07",
    "\x9b31m",
    "\x00",
    "a\x08\x08b",
    "\x7f",
    "x\ny",
    "x\r\ny",
    "x\tTab",
    "x\u2028y",
    # bidi overrides and invisible characters
    "\u202eevil",
    "\u2066isolate\u2069",
    "\u200f\u061cmark",
    "\ufeffbom",
    "zero\u200bwidth",
    # wide, joined and combining characters
    "🚀 Rocket Corp",
    "👨\u200d👩\u200d👧 Family Co",
    "👍🏽 Thumbs",
    "🇪🇸🇫🇷 Flags",
    "❤️ Love Ltd",
    "日本語の会社",
    "e\u0301e\u0301 Cafe\u0301",
    "Z\u0351\u0352\u0353a\u0354\u0355lgo",
    "\u0301leading combining",
    # drawn at other widths than Rich counts (a tester's, in tmux 3.3a): joined, selected, hidden
    "Emoji 🚀🎉 Ltd 👨\u200d👩\u200d👧",
    "Zero\u200bWidth\u200d\ufeffCo",
    "Soft\u00adHyphen GmbH",
    "Hangul\u3164Filler",
    # long and empty-looking
    "A" * 500,
    "Long " * 100,
    " ",
    "%s%n{0}{name}",
    "Robert'); DROP TABLE accounts;--",
]

STORABLE_NAMES: list[str] = [n for n in HOSTILE_NAMES if n.strip() and "\x00" not in n]
