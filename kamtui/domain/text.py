"""Make stored text safe to show in a terminal: no control bytes, no bidi overrides, and no
character a terminal may draw at another width than the layout counts."""

from __future__ import annotations

import re
import unicodedata

from kamtui.domain.formats import money as money  # the one short form of an amount (issue 15)

# Characters whose only work is to join, select or tint the glyphs beside them. Terminals do
# this each their own way (tmux 3.3a draws MAN ZWJ WOMAN ZWJ GIRL in 2 cells, others in 6, and
# Rich counts 2; a heart with the emoji selector 1 cell or 2, Rich 2; a thumb with a skin
# tone 2 or 4, Rich 2), so a row holding one ended at another column than the layout placed it.
# On display they are left out: the family shows as its three people, 6 cells everywhere.
# ZWJ, ZWNJ, variation selectors (ideographic ones, U+E0100.., change no width and stay), emoji
# skin tones, tag characters (a subdivision flag shows as its black flag), the soft hyphen (a
# hyphenation hint: the word as written).
_JOINERS = "\u00ad\u200c\u200d\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\U000e0001\U000e0020-\U000e007f"
_DROP = re.compile(f"[{_JOINERS}]")
# The other format characters (category Cf: bidi marks and overrides, zero width space, word
# joiner, byte-order mark, invisible operators, ...) and the Hangul fillers (blank letters that
# Rich counts as no cell and terminals as one or two) are invisible yet make two names that
# look alike differ: on display each is a visible one-cell mark.
_FORMAT = (
    "\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f\u202a-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\u3164\uffa0"
)
# C0 and C1 controls (but not tab/newline, handled separately), DEL, the format characters
# above, and lone surrogates (which cannot be written to a UTF-8 terminal at all).
_CONTROL = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT}\ud800-\udfff]")
# Outside a terminal (a spreadsheet cell) only what can reorder or hide text: controls, bidi
# marks, the byte-order mark and lone surrogates; an emoji keeps its joiners there.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]")
# What the fast path must still look for in printable text: selectors, skin tones, fillers.
_PRINTABLE_TRAPS = re.compile("[\ufe00-\ufe0f\U0001f3fb-\U0001f3ff\u3164\uffa0]")
# Unicode line and paragraph separators: line breaks to some renderers.
_SEPARATORS = re.compile("[\u2028\u2029]")
VISIBLE_MARK = "\u2423"  # ␣


def clean(value: object, *, one_line: bool = True, terminal: bool = True) -> str:
    """``value`` as text fit for display: each control character becomes a visible mark, and
    what remains is as wide on any terminal as Rich (the layout) counts it.

    C0 controls show in caret notation (ESC -> ``^[``), C1 controls and lone surrogates as
    ``?``, invisible format characters (bidi marks, zero width space, byte-order mark, ...) as
    ``␣``; joiners, variation selectors, skin tones and soft hyphens are left out (see
    ``_JOINERS``). ``one_line`` turns line breaks and tabs into spaces; otherwise newlines stay
    and tabs become four spaces. ``terminal=False`` (text for another program: a spreadsheet)
    only makes the controls, bidi marks and byte-order marks visible. Only what is shown
    changes: stored text is never cleaned.
    """
    s = "" if value is None else str(value)
    # Printable as Python counts it but for no-break spaces (Spanish numbers and dates: "3 sem."),
    # which are shown as they are.
    printable = s.isprintable() or (
        ("\xa0" in s or "\u202f" in s) and s.replace("\xa0", " ").replace("\u202f", " ").isprintable()
    )
    if printable and (s.isascii() or not terminal or _PRINTABLE_TRAPS.search(s) is None):
        return s  # fast path: no control, format, separator, surrogate, selector or filler
    if one_line:
        s = s.replace("\r\n", " ").replace("\n", " ").replace("\r", " ").replace("\t", " ")
        s = _SEPARATORS.sub(" ", s)
    else:
        s = s.replace("\t", "    ").replace("\r", "")
        s = _SEPARATORS.sub("\n", s)
    if terminal and _DROP.search(s):
        s = _DROP.sub("", s)
    unsafe = _CONTROL if terminal else _UNSAFE
    if unsafe.search(s):
        s = unsafe.sub(_visible, s)
    return s


def _visible(match: re.Match[str]) -> str:
    ch = match.group(0)
    code = ord(ch)
    if code < 0x20:
        return "^" + chr(code + 0x40)  # caret notation, as `cat -v`
    if code == 0x7F:
        return "^?"
    if 0x80 <= code <= 0x9F or 0xD800 <= code <= 0xDFFF:
        return "?"  # C1 controls, lone surrogates
    return VISIBLE_MARK  # a format character or a filler


def truncate(value: str, width: int, ellipsis: str = "\u2026") -> str:
    """``value`` cut to at most ``width`` terminal cells, ending in ``ellipsis`` (one cell per
    character: "…", or "..." for a terminal without it) when cut.

    Widths are counted in cells as a terminal shows them (an emoji or CJK character takes
    two), and a cut never splits a character from its combining marks or a joined emoji.
    """
    if width <= 0:  # no room, not even for "…": only what takes no cell fits (a soft hyphen)
        return value if cell_width(value) == 0 else ""
    if one_cell_each(value):
        return value if len(value) <= width else value[: max(0, width - len(ellipsis))] + ellipsis[:width]
    clusters = _clusters(value, beyond=width)  # no further than needed to know it is too wide
    if sum(cells for _, cells in clusters) <= width:
        return value
    if len(ellipsis) > width:
        ellipsis = ellipsis[:width]
    room = width - len(ellipsis)
    used = 0
    end = 0
    for stop, cells in clusters:
        if used + cells > room:
            break
        used += cells
        end = stop
    return value[:end] + ellipsis


def cell_width(value: str) -> int:
    """How many terminal cells ``value`` takes."""
    return len(value) if one_cell_each(value) else sum(cells for _, cells in _clusters(value))


def one_cell_each(value: str) -> bool:
    """Whether every character of ``value`` takes one cell and joins nothing: ASCII, or all below
    the combining marks but the soft hyphen (Spanish, French, German text: "Álvarez", "Ñandú").
    Checked at C speed; such text is measured and cut by its length, as :func:`_clusters` would."""
    return value.isascii() or _NOT_ONE_CELL.search(value) is None


_ZWJ = "\u200d"
#: A character from the combining marks up, or a soft hyphen (a regex search: ~3x quicker than
#: max()). Written as what it is not: the same set, compiled in ~0.2 ms at start, not ~4.5 ms.
_NOT_ONE_CELL = re.compile("[^\x00-\xac\xae-\u02ff]")


def _clusters(value: str, beyond: int | None = None) -> list[tuple[int, int]]:
    """(end index, cells) of each user-perceived character of ``value``, approximately; with
    ``beyond``, only as far as the first characters taking more than ``beyond`` cells (each of
    those complete: a character after them can join only the last)."""
    out: list[tuple[int, int]] = []
    prev = ""
    total = 0  # cells of the characters in out
    for i, ch in enumerate(value):
        if ch < "\u0300" and ch != "\xad" and prev != _ZWJ:
            # Below the combining marks (Latin-1, Latin extended), but the soft hyphen: one cell, and
            # joining nothing, unless it follows a joiner (the common case, quickly)
            if beyond is not None and total > beyond:
                break
            out.append((i + 1, 1))
            total += 1
            prev = ch
            continue
        joins = out and (
            prev == _ZWJ
            or _zero_width(ch)
            or 0x1F3FB <= ord(ch) <= 0x1F3FF  # emoji skin-tone modifier
            or (_is_regional(ch) and _is_regional(prev) and out[-1][1] == 1 and _single_regional(value, i))
        )
        if joins:
            _end, cells = out[-1]
            if ch == "\ufe0f" and cells == 1:  # emoji presentation selector makes it wide
                cells = 2
            if _is_regional(ch):
                cells = 2  # a flag
            total += cells - out[-1][1]
            out[-1] = (i + 1, cells)
        else:
            if beyond is not None and total > beyond:
                break  # the characters so far are complete, and already too wide
            cells = 0 if _zero_width(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
            out.append((i + 1, cells))
            total += cells
        prev = ch
    return out


def _zero_width(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me", "Cf") or unicodedata.combining(ch) != 0


def _is_regional(ch: str) -> bool:
    return len(ch) == 1 and 0x1F1E6 <= ord(ch) <= 0x1F1FF


def _single_regional(value: str, i: int) -> bool:
    """Whether ``value[i]`` is the second of a pair of regional indicators (a flag)."""
    n = 0
    j = i - 1
    while j >= 0 and _is_regional(value[j]):
        n += 1
        j -= 1
    return n % 2 == 1


_NOUNS = frozenset({"reviews", "actions", "contacts", "alerts", "flags", "stakeholders", "days", "weeks"})


def counted(n: int, words: str) -> str:
    """ "3 reviews", "1 review": ``words`` (kamtui's plural labels: "risk alerts", "plan actions
    due", "stakeholders to contact") with its noun singular when ``n`` is 1."""
    if n == 1:
        parts = words.split(" ")
        for i, word in enumerate(parts):
            if word in _NOUNS:
                parts[i] = word[:-1]
                break
        words = " ".join(parts)
    return f"{n} {words}"
