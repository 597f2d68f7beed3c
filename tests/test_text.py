"""kamtui.domain.text: clean, truncate and money, fed hostile names."""

from __future__ import annotations

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from kamtui.domain.text import cell_width, clean, money, truncate
from tests.hostile import HOSTILE_NAMES, STORABLE_NAMES

BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")


def unsafe(s: str, *, allow_newline: bool = False) -> list[str]:
    """The characters of ``s`` a terminal must never be sent raw."""
    bad = []
    for ch in s:
        code = ord(ch)
        if ch == "\n" and allow_newline:
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F or ch in BIDI or 0xD800 <= code <= 0xDFFF or ch in "\u2028\u2029":
            bad.append(ch)
    return bad


# ------------------------------------------------------------------------------ clean


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Acme", "Acme"),
        ("[bold]x", "[bold]x"),  # markup is not clean's business: kept verbatim, escaped by the UI
        ("[@click=app.quit]x[/]", "[@click=app.quit]x[/]"),
        ("\x1b[2J", "^[[2J"),
        ("\x1b]0;owned\x07", "^[]0;owned^G"),
        ("\x9b31m", "?31m"),
        ("\x00", "^@"),
        ("\x7f", "^?"),
        ("\u202eevil", "\u2423evil"),
        ("\ufeffbom", "\u2423bom"),
        ("\u061cmark", "\u2423mark"),
        ("x\ny", "x y"),
        ("x\r\ny", "x y"),
        ("x\ry", "x y"),
        ("x\ty", "x y"),
        ("x\u2028y\u2029z", "x y z"),
        ("lone \ud800", "lone ?"),
        ("🚀 Rocket Corp", "🚀 Rocket Corp"),
        ("👨\u200d👩\u200d👧", "👨👩👧"),  # joiner left out: 6 cells in Rich and every terminal (test_fix_widths)
        ("e\u0301", "e\u0301"),
        (None, ""),
        (42, "42"),
    ],
)
def test_clean_one_line(raw: object, shown: str) -> None:
    assert clean(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("a\nb", "a\nb"),
        ("a\r\nb", "a\nb"),
        ("a\tb", "a    b"),
        ("a\u2028b", "a\nb"),
        ("a\x1b[31mb", "a^[[31mb"),
    ],
)
def test_clean_multi_line_keeps_newlines(raw: str, shown: str) -> None:
    assert clean(raw, one_line=False) == shown


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_hostile_names_clean_to_safe_text(name: str) -> None:
    one = clean(name)
    assert unsafe(one) == []
    assert unsafe(clean(name, one_line=False), allow_newline=True) == []
    one.encode("utf-8")
    assert clean(one) == one  # idempotent


_controls = st.characters(max_codepoint=0x9F) | st.sampled_from([*sorted(BIDI), "\u2028", "\u2029", "\ud800", "\udfff"])
_any = st.characters(blacklist_categories=())  # includes lone surrogates


@settings(max_examples=300, deadline=None)
@given(st.text(_controls | _any, max_size=60))
def test_clean_never_leaves_controls_or_bidi(raw: str) -> None:
    assert unsafe(clean(raw)) == []
    assert unsafe(clean(raw, one_line=False), allow_newline=True) == []
    clean(raw).encode("utf-8")


# Printable, yet drawn at other widths than Rich counts: variation selectors, skin tones, Hangul fillers
_PRINTABLE = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"),
    blacklist_characters=[*map(chr, [*range(0xFE00, 0xFE10), *range(0x1F3FB, 0x1F400)]), "\u3164", "\uffa0"],
)


@settings(max_examples=200, deadline=None)
@given(st.text(_PRINTABLE, max_size=40))
def test_clean_leaves_printable_text_alone(raw: str) -> None:
    assert clean(raw) == raw


# ------------------------------------------------------------------------------ truncate


@pytest.mark.parametrize(
    ("value", "width", "cut"),
    [
        ("Acme", 10, "Acme"),
        ("Acme", 4, "Acme"),
        ("Acme Corp", 4, "Acm…"),
        ("Acme", 1, "…"),
        ("Acme", 0, ""),
        ("Acme", -3, ""),
        ("", 5, ""),
        ("🚀 Rocket Corp", 14, "🚀 Rocket Corp"),
        ("🚀 Rocket Corp", 13, "🚀 Rocket Co…"),
        ("🚀 Rocket Corp", 5, "🚀 R…"),
        ("🚀 Rocket Corp", 2, "…"),  # the rocket takes two cells: no room for it and "…"
        ("🚀 Rocket Corp", 3, "🚀…"),
        ("日本語の会社", 5, "日本…"),
        ("e\u0301e\u0301e\u0301e\u0301", 4, "e\u0301e\u0301e\u0301e\u0301"),
        ("e\u0301e\u0301e\u0301e\u0301", 3, "e\u0301e\u0301…"),
        ("👨\u200d👩\u200d👧 Family", 4, "👨\u200d👩\u200d👧 …"),
        ("👨\u200d👩\u200d👧 Family", 2, "…"),
    ],
)
def test_truncate_counts_terminal_cells(value: str, width: int, cut: str) -> None:
    assert truncate(value, width) == cut


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=range(len(HOSTILE_NAMES)))
def test_hostile_names_truncate_within_width(name: str) -> None:
    shown = clean(name)
    assert cell_width(shown) == cell_len(shown)
    for width in range(0, 40):
        cut = truncate(shown, width)
        assert cell_len(cut) <= width
        if cut != shown and width > 0:
            assert cut.endswith("…")
            assert shown.startswith(cut[:-1])
            assert not cut[:-1].endswith("\u200d")  # never cut inside a joined emoji


def test_truncate_a_500_character_name() -> None:
    long = "A" * 500
    assert truncate(long, 20) == "A" * 19 + "…"
    assert truncate(long, 500) == long


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=40), st.integers(0, 50))
@example("\xad", 0)  # found by CI: a soft hyphen takes no cell, so it fits in none
@example("", 0)
@example("a", 0)
def test_truncate_never_exceeds_the_width(value: str, width: int) -> None:
    cut = truncate(value, width)
    assert cell_width(cut) <= width
    if cell_width(value) <= width:
        assert cut == value


# ------------------------------------------------------------------------------ money


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, "0"),
        (0.4, "0"),
        (-0.4, "0"),  # no "-0"
        (12, "12"),
        (999, "999"),
        (999.5, "1k"),  # not "1000"
        (1000, "1k"),
        (1499, "1.5k"),  # not "1k": small amounts keep a decimal
        (12_345, "12k"),
        (950_000, "950k"),
        (999_499, "999k"),
        (999_999, "1.0M"),  # not "1000k"
        (1_234_567, "1.2M"),
        (999_949_999, "999.9M"),
        (999_999_999, "1.0B"),  # not "1000.0M"
        (2_500_000_000, "2.5B"),
        (999_949_999_999, "999.9B"),
        (1e12, "1.0T"),  # not "1000.0B"
        (999.94e12, "999.9T"),
        (999.96e12, "1.0e15"),  # not "1000.0T"
        (1e18, "1.0e18"),
        (-2.5e30, "-2.5e30"),
        (1.7976931348623157e308, "1.8e308"),
        (-1_500_000, "-1.5M"),
        (-950_000, "-950k"),
        (math.nan, "-"),
        (math.inf, "-"),
    ],
)
def test_money(value: float, shown: str) -> None:
    assert money(value) == shown


@settings(max_examples=200, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_money_is_short(value: float) -> None:
    shown = money(value)
    assert len(shown) <= 8  # a column of amounts holds any amount a form accepts (1e18 was 500000000.0B)
    assert not shown.lstrip("-").startswith("1000")


def test_storable_names_are_a_subset() -> None:
    assert set(STORABLE_NAMES) < set(HOSTILE_NAMES)
    assert "\x00" not in STORABLE_NAMES and " " not in STORABLE_NAMES


def test_counted_says_one_in_the_singular() -> None:
    from kamtui.domain.text import counted

    assert counted(1, "reviews") == "1 review"
    assert counted(2, "reviews") == "2 reviews"
    assert counted(1, "plan actions due") == "1 plan action due"
    assert counted(1, "stakeholders to contact") == "1 stakeholder to contact"
    assert counted(1, "red alerts") == "1 red alert"
    assert counted(1, "losing touch") == "1 losing touch"
    assert counted(0, "plan flags") == "0 plan flags"


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF, exclude_characters="\xad"), max_size=40), st.integers(0, 45))
def test_text_of_one_cell_characters_is_measured_and_cut_as_the_clusters_say(value: str, width: int) -> None:
    """The quick path (Spanish, French, German text: "Álvarez") agrees with the character walk."""
    from kamtui.domain.text import _clusters, one_cell_each

    assert one_cell_each(value)
    assert cell_width(value) == sum(cells for _, cells in _clusters(value)) == len(value)
    if width:  # each character one cell: the cut keeps width - 1 of them and the ellipsis
        assert truncate(value, width) == (value if len(value) <= width else value[: width - 1] + "…")


def test_the_quick_path_takes_exactly_the_characters_below_the_combining_marks_but_the_soft_hyphen() -> None:
    """Every code point: one takes the quick path (measured by its length) if and only if it is
    below U+0300 and not the soft hyphen, whatever way the check is written."""
    from kamtui.domain.text import one_cell_each

    quick = {cp for cp in range(0x110000) if one_cell_each("é" + chr(cp))}  # "é": not ASCII, so the check runs
    assert quick == set(range(0x300)) - {0xAD}
