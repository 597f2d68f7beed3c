"""kamtui's marks, and what stands for them where the terminal cannot show them: the one place
that decides the mark set, for the command line's reports and for the TUI alike.

kamtui writes a few marks of its own: ``…`` (text cut), ``·`` (between the parts of a detail),
``▲ ▼ ▶`` (health trends), ``␣`` (a bidi control made visible), ``→``. Under a locale whose
encoding cannot write them (``LC_ALL=C`` with ``PYTHONUTF8=0``), :func:`encodes_marks` is false
and they are written as ASCII stand-ins:

- in text (the reports: :data:`ASCII_MARKS`), where the line is measured after the choice, a
  stand-in may take more cells than its mark (``...`` for ``…``);
- on a screen (the TUI: :func:`cell_stand_in`), where every cell was placed before anything is
  written, each character becomes ASCII of exactly its width: kamtui's marks and the screen's
  own glyphs (box lines, blocks) by what they look like, any other character as ``?`` per cell.

Pure: characters in, characters out.
"""

from __future__ import annotations

import codecs
import unicodedata

from kamtui.domain.text import cell_width

ASCII_MARKS = {
    "\u2026": "...",  # …
    "\u00b7": "-",  # ·
    "\u25b2": "^",  # ▲
    "\u25bc": "v",  # ▼
    "\u25b6": ">",  # ▶
    "\u2423": "_",  # ␣
    "\u2192": "->",  # →
}

# One cell for one cell: kamtui's marks where their text stand-in is longer, and the other
# marks the TUI draws (risks, ticks, flags, the enter key), then the screen's glyphs by shape.
_CELL_MARKS = {
    **{mark: ascii for mark, ascii in ASCII_MARKS.items() if len(ascii) == 1},
    "\u2026": "~",  # … (as a file manager cuts a name)
    "\u2192": ">",  # →
    "\u25b3": "^",  # △ an amber risk
    "\u25c6": "*",  # ◆ an objective
    "\u2691": "*",  # ⚑ a red relationship risk
    "\u2713": "+",  # ✓
    "\u2717": "x",  # ✗
    "\u23ce": "<",  # ⏎ the enter key, in the footer
    "\u25c0": "<",  # ◀
}
# Block elements by how much of the cell they fill (sparklines, scrollbars, thick borders).
_BLOCKS = {
    **dict.fromkeys("\u2581\u2582", "_"),  # ▁ ▂
    **dict.fromkeys("\u2583\u2584", "-"),  # ▃ ▄
    **dict.fromkeys("\u2585\u2586", "="),  # ▅ ▆
    **dict.fromkeys("\u2587\u2588\u2580\u2591\u2592\u2593", "#"),  # ▇ █ ▀ ░ ▒ ▓
    "\u2594": "-",  # ▔ upper one eighth: the top of a tall border
    **dict.fromkeys("\u258a\u258b\u258c\u258d\u258e\u258f\u2590\u2595\u2589", "|"),  # ▏ ▕ ▊ ...: sides
}


def encodes_marks(encoding: str | None) -> bool:
    """Whether text in ``encoding`` can hold every one of kamtui's marks (None: a stream
    without an encoding, which holds any text)."""
    if encoding is None:
        return True
    try:
        codecs.lookup(encoding)
        "".join(ASCII_MARKS).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def cell_stand_in(ch: str) -> str:
    """``ch`` as ASCII of exactly its width on a screen: a mark or a glyph by its look, a
    character of the user's data as ``?`` per cell, a combining mark as nothing."""
    known = _CELL_MARKS.get(ch) or _BLOCKS.get(ch)
    if known is not None:
        return known
    if "\u2500" <= ch <= "\u257f":  # box drawing: lines, corners, tees
        name = unicodedata.name(ch, "")
        if " AND " in name or "ARC" in name or "CROSS" in name:
            return "+"  # corners, tees, crossings
        return "|" if "VERTICAL" in name else "-"
    if "\u2580" <= ch <= "\u259f":  # quadrants and the rest of the blocks
        return "#"
    return "?" * cell_width(ch)
