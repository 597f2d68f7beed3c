"""Every displayed row is as wide as the layout thinks, in any terminal.

Rich (and so Textual's layout) measured a joined emoji (MAN ZWJ WOMAN ZWJ GIRL) as 2 cells, an
emoji with a variation selector or a skin tone as 2, a soft hyphen as 1 and a Hangul filler as
0, while terminals draw them character by character (tmux 3.3a: the family 6 cells, the
heart 1, the thumb 4, the filler 2), and the ASCII screen (``LC_ALL=C PYTHONUTF8=0``) wrote each
character as ``?`` per cell of its own: the pane border after such a name moved right, or off
the row. ``clean`` now shows such text as characters that every terminal draws at the width
Rich counts: joiners, selectors and modifiers dropped, invisible format characters as ``␣``.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from kamtui.domain.marks import cell_stand_in
from kamtui.domain.model import Account
from kamtui.domain.queue import QueueItem
from kamtui.domain.spreadsheet import csv_text
from kamtui.domain.text import cell_width, clean
from kamtui.report.due import _width, render_table
from kamtui.store import Store
from kamtui.ui.app import KamApp
from tests.hostile import HOSTILE_NAMES, STORABLE_NAMES
from tests.test_ui import settle
from tests.ui_fixtures import TODAY

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # MAN ZWJ WOMAN ZWJ GIRL
TESTER = [f"Emoji \U0001f680\U0001f389 Ltd {FAMILY}", "Zero\u200bWidth\u200d\ufeffCo"]
MORE = [
    "Heart \u2764\ufe0f Ltd",  # emoji presentation selector: Rich 2 cells, tmux 3.3a 1
    "Thumbs \U0001f44d\U0001f3fd Co",  # skin tone: Rich 2, tmux 4
    "Keycap 1\ufe0f\u20e3 Co",
    "Rainbow \U0001f3f3\ufe0f\u200d\U0001f308 Co",
    "Tag \U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f Co",  # England's flag
    "Soft\u00adHyphen Co",  # Rich 1 cell, kamtui's cell_width 0
    "Word\u2060Joiner Co",
    "ZW\u200cNJ Co",
    "Mongol\u180eVS Co",
    "Hangul\u3164Filler",  # Rich 0 cells, tmux 2
    "Half\uffa0Filler",
    "Text \u263a\ufe0e VS15",
    "Invisible a\u2062b times",
    "Annot\ufff9x\ufffay\ufffbz",
    "\u200d\u200dlead joiners",
    "trail joiner\u200d",
    "Flags \U0001f1ea\U0001f1f8\U0001f1eb\U0001f1f7 Co",
    "Cafe\u0301 Co",
]
CORPUS = [*STORABLE_NAMES, *MORE]


def terminal_cells(ch: str) -> int:
    """The cells a terminal gives ``ch`` on its own, as glibc's wcwidth(3) does: none for a
    combining mark or a format character (but one for the soft hyphen), two for an East Asian
    wide or fullwidth character, else one."""
    if ch == "\u00ad":
        return 1
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or 0x1160 <= ord(ch) <= 0x11FF:
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def joins(ch: str) -> bool:
    """Whether a terminal may draw ``ch`` joined to its neighbours, or not at all, or Rich
    counts it other than a terminal: format characters, variation selectors, emoji modifiers."""
    code = ord(ch)
    return (
        unicodedata.category(ch) == "Cf"
        or 0xFE00 <= code <= 0xFE0F
        or 0x1F3FB <= code <= 0x1F3FF
        or ch in "\u3164\uffa0"
    )


def test_the_tester_names_are_in_the_hostile_corpus() -> None:
    for name in TESTER:
        assert name in HOSTILE_NAMES and name in STORABLE_NAMES


@pytest.mark.parametrize("one_line", [True, False], ids=["one-line", "multi-line"])
@pytest.mark.parametrize("name", CORPUS, ids=range(len(CORPUS)))
def test_cleaned_text_is_as_wide_as_a_terminal_draws_it(name: str, one_line: bool) -> None:
    shown = clean(name, one_line=one_line)
    for line in shown.split("\n"):
        assert [ch for ch in line if joins(ch)] == [], f"{line!r} keeps characters a terminal may join"
        drawn = sum(terminal_cells(ch) for ch in line)
        assert cell_len(line) == drawn, f"{line!r}: Rich counts {cell_len(line)}, a terminal draws {drawn}"
        assert cell_width(line) == drawn  # kamtui's own measure (truncate, the lists' columns)
        ascii_screen = "".join(cell_stand_in(ch) for ch in line)  # LC_ALL=C PYTHONUTF8=0
        assert len(ascii_screen) == drawn, f"{line!r} is {len(ascii_screen)} cells on the ASCII screen"
    assert clean(shown, one_line=one_line) == shown  # idempotent


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        (FAMILY, "\U0001f468\U0001f469\U0001f467"),  # the three people, 6 cells everywhere
        ("Zero\u200bWidth\u200d\ufeffCo", "Zero\u2423Width\u2423Co"),  # invisible spaces made visible
        ("Word\u2060Joiner", "Word\u2423Joiner"),
        ("ZW\u200cNJ", "ZWNJ"),  # a joining hint: nothing to see
        ("Soft\u00adHyphen", "SoftHyphen"),  # a hyphenation hint: the word as written
        ("Heart \u2764\ufe0f", "Heart \u2764"),
        ("Thumbs \U0001f44d\U0001f3fd", "Thumbs \U0001f44d"),
        ("\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f", "\U0001f3f4"),
        ("Hangul\u3164Filler", "Hangul\u2423Filler"),  # a blank-looking letter: shown, not hidden
        ("\U0001f1ea\U0001f1f8", "\U0001f1ea\U0001f1f8"),  # a flag: two cells in Rich and terminals
        ("e\u0301", "e\u0301"),  # combining accents stay
    ],
)
def test_clean_shows_joined_and_invisible_characters_predictably(raw: str, shown: str) -> None:
    assert clean(raw) == shown


def _store(path: Path, names: list[str]) -> Store:
    store = Store(path, user="tester")
    for name in names:
        store.insert("accounts", Account(name=name, tier="key", owner="tester").to_doc())
    return store


ROW_NAMES = ["Plain Account Co", *TESTER, *MORE[:12], "Another Plain Co"]


def _columns(line: str, mark: str) -> tuple[int, int]:
    """(cells a terminal draws before ``mark``, cells of the whole line), character by character."""
    before = sum(terminal_cells(ch) for ch in line[: line.index(mark)])
    return before, sum(terminal_cells(ch) for ch in line)


async def test_account_rows_put_the_pane_border_in_one_column(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    store = _store(path, ROW_NAMES)
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        strips = app.screen._compositor.render_strips()
        lines = ["".join(seg.text for seg in strip) for strip in strips]
        assert all(strip.cell_length == 120 for strip in strips)
        rows = [line for line in lines if "\u2595" in line and " KEY " in line.split("\u2595")[0]]
        assert len(rows) == len(ROW_NAMES), "\n".join(lines)
        border = {line.split("\u2595")[0].strip(): _columns(line, "\u2595") for line in rows}
        plain = next(_columns(line, "\u2595") for line in rows if "Plain Account Co" in line)
        for row, cols in border.items():
            assert cols == plain, f"{row!r}: border at cell {cols[0]} of {cols[1]}, other rows {plain}"
        for line in lines:  # the ASCII screen writes every character as ASCII of its width
            assert len("".join(cell_stand_in(ch) for ch in line)) == 120, line
    reread = Store(path, create=False)
    stored = sorted(doc["name"].encode("utf-8") for _, doc in reread.all("accounts"))
    reread.close(compact=False)
    assert stored == sorted(name.encode("utf-8") for name in ROW_NAMES)  # shown cleaned, kept as typed


def _item(account: str) -> QueueItem:
    return QueueItem("review", 1, account, "tester", "Review", "monthly review", TODAY, 3, 2)


def test_due_table_columns_line_up_whatever_the_account_name() -> None:
    names = ["Plain Account Co", *TESTER, *MORE, "日本語の会社"]
    text = render_table([_item(n) for n in names], TODAY, width=100)
    rows = [line for line in text.splitlines() if "tester" in line]
    assert len(rows) == len(names)
    owner_at = {row: _columns(row, "tester")[0] for row in rows}
    assert len(set(owner_at.values())) == 1, owner_at


def test_due_width_counts_cells_as_drawn() -> None:
    for name in CORPUS:
        shown = clean(name)
        assert _width(shown) == sum(terminal_cells(ch) for ch in shown), repr(shown)


def test_every_format_character_is_left_out_or_marked() -> None:
    """The lists in kamtui.domain.text cover every format character this Python knows."""
    for code in range(0x110000):
        ch = chr(code)
        if unicodedata.category(ch) == "Cf":
            assert clean(f"a{ch}b") in ("ab", "a\u2423b"), f"U+{code:04X}"


@pytest.mark.parametrize("name", [*TESTER, *MORE], ids=range(len(TESTER) + len(MORE)))
def test_a_csv_export_keeps_joined_emoji_for_the_spreadsheet(name: str) -> None:
    """A spreadsheet is not a terminal: a cell keeps joiners, selectors and zero width spaces
    (so a kamtui CSV export imports back unchanged); only bidi marks and the BOM show as ␣."""
    assert csv_text(name) == name.replace("\ufeff", "\u2423")


@pytest.mark.parametrize("ellipsis", ["\u2026", "..."])
def test_due_cuts_a_name_between_characters_never_inside_one(ellipsis: str) -> None:
    """A flag is two code points, an accent may be its own: `due` cut names code point by code
    point, so a cut could leave half a flag (a lone regional letter) before the ellipsis."""
    from kamtui.domain.text import _clusters
    from kamtui.report.due import _fit

    for name in ["Iberia 🇪🇸🇪🇸🇪🇸🇪🇸", "Cafe\u0301 Cafe\u0301 Cafe\u0301", "東京海上ホールディングス"]:
        shown = clean(name)
        ends = {0} | {end for end, _ in _clusters(shown)}
        for width in range(len(ellipsis), 16):
            cut = _fit(shown, width, ellipsis)
            assert _width(cut) == width, (cut, width)
            kept = cut.rstrip(" ")
            if kept != shown:
                kept = kept.removesuffix(ellipsis)
                assert shown.startswith(kept)
                assert len(kept) in ends, (kept, width)  # it ends where a character ends


def test_the_quick_path_of_cluster_widths_agrees_with_the_long_way() -> None:
    """Below U+0300 (the soft hyphen aside) a character takes one cell and joins nothing: the
    quick path of text._clusters must say what the Unicode tables say."""
    from kamtui.domain.text import _zero_width

    for code in range(0x300):
        ch = chr(code)
        if ch == "\xad":
            continue
        assert not _zero_width(ch) and unicodedata.east_asian_width(ch) not in "WF", hex(code)


@settings(max_examples=300)
@given(
    st.text(
        alphabet=st.one_of(
            st.sampled_from(list("ab é·\xad\u0301\u200d\ufe0f\U0001f1ea\U0001f1f8\U0001f468\U0001f3fb東")),
            st.characters(codec="utf-8"),
        ),
        max_size=40,
    ),
    st.integers(min_value=0, max_value=30),
)
def test_a_cut_stops_reading_once_it_knows_and_cuts_where_the_whole_reading_would(value: str, width: int) -> None:
    """truncate reads a long text only as far as the cut (kamtui due fits ~18,000 cells a run):
    what it gives is what reading every character first gives."""
    from kamtui.domain.text import _clusters, truncate

    clusters = _clusters(value)
    total = sum(cells for _, cells in clusters)
    for ellipsis in ("\u2026", "..."):
        cut = truncate(value, width, ellipsis)
        if width <= 0:
            continue
        if total <= width:
            assert cut == value
        else:
            room = width - min(len(ellipsis), width)
            used = end = 0
            for stop, cells in clusters:
                if used + cells > room:
                    break
                used, end = used + cells, stop
            assert cut == value[:end] + ellipsis[:width]
