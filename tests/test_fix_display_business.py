"""The Business pane's dates say their year whenever it could be another than today's: in a
narrow cell a fresh item showed "09-18", and in January a KAM could not tell last September's
SWOT item from this year's."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from kamtui.domain.business import STALE_AFTER_DAYS
from kamtui.ui.business_texts import BizLine, cell, updated_note


def _compact(day: dt.date, today: dt.date) -> str:
    return updated_note(day, today, compact=True).plain


def test_a_fresh_date_of_another_year_says_its_year() -> None:
    january = dt.date(2027, 1, 10)
    shown = _compact(dt.date(2026, 9, 18), january)  # fresh: 114 days old
    assert "2026" in shown, shown
    assert shown == "Sep 2026"


def test_a_fresh_date_of_this_year_says_day_and_month() -> None:
    today = dt.date(2026, 11, 23)
    assert _compact(dt.date(2026, 11, 20), today) == "20 Nov"
    assert _compact(dt.date(2026, 6, 3), today) == " 3 Jun"  # as wide as "20 Nov": the dates align
    assert _compact(today, today) == "23 Nov"


def test_a_date_ahead_of_today_in_another_year_says_its_year() -> None:
    today = dt.date(2026, 12, 30)
    assert _compact(dt.date(2027, 1, 2), today) == "Jan 2027"


def test_no_compact_note_is_ambiguous_about_its_year() -> None:
    """Every fresh age, across a new year: the compact note names a year unless it is today's."""
    today = dt.date(2027, 2, 1)
    for age in range(-30, STALE_AFTER_DAYS + 1):
        day = today - dt.timedelta(days=age)
        shown = _compact(day, today)
        if day.year != today.year:
            assert str(day.year) in shown, (day, shown)
        else:
            assert not any(ch.isdigit() for ch in shown.replace(str(day.day), "", 1)), (day, shown)
        assert len(shown) <= 8


def test_a_narrow_swot_cell_keeps_the_year_and_its_width() -> None:
    today = dt.date(2027, 1, 10)
    line = BizLine(
        "i:threats:0",
        True,
        Text("  • Online competitors taking share"),
        updated_note(dt.date(2026, 9, 18), today),
        updated_note(dt.date(2026, 9, 18), today, compact=True),
    )
    shown = cell(line, 24)  # a SWOT cell of the pane at 80x24
    assert shown.cell_len == 24
    assert shown.plain.endswith("  Sep 2026") and "…" in shown.plain
