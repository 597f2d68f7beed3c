"""Dates as typed into a form, in English or Spanish (issue 15, item 4): ISO, words, days or
weeks or months from today, and day/month/year written either way when only one reading exists."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamtui.domain.errors import ValidationError
from kamtui.domain.typed_dates import typed_date
from kamtui.ui.forms import parse_date_input

TODAY = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("typed", "date"),
    [
        ("2026-12-31", dt.date(2026, 12, 31)),
        ("today", TODAY),
        ("Hoy", TODAY),
        ("t", TODAY),
        ("tomorrow", dt.date(2026, 12, 4)),
        ("mañana", dt.date(2026, 12, 4)),
        ("MAÑANA", dt.date(2026, 12, 4)),
        ("manana", dt.date(2026, 12, 4)),
        ("ayer", dt.date(2026, 12, 2)),
        ("yesterday", dt.date(2026, 12, 2)),
        ("+3", dt.date(2026, 12, 6)),
        ("+3d", dt.date(2026, 12, 6)),
        ("3d", dt.date(2026, 12, 6)),
        ("-3d", dt.date(2026, 11, 30)),
        ("+2w", dt.date(2026, 12, 17)),
        ("+2s", dt.date(2026, 12, 17)),  # dos semanas
        ("-1s", dt.date(2026, 11, 26)),
        ("+1m", dt.date(2027, 1, 3)),
        ("31/12/2026", dt.date(2026, 12, 31)),  # day first
        ("31.12.2026", dt.date(2026, 12, 31)),
        ("31-12-2026", dt.date(2026, 12, 31)),
        ("12/31/2026", dt.date(2026, 12, 31)),  # month first
        ("1/2/2027", None),  # ambiguous: see below
        ("5/5/2027", dt.date(2027, 5, 5)),  # both readings are the same day
        ("  13/1/2027 ", dt.date(2027, 1, 13)),
        ("", None),
        ("   ", None),
    ],
)
def test_what_a_typed_date_means(typed: str, date: dt.date | None) -> None:
    if typed.strip() and date is None:
        with pytest.raises(ValidationError):
            typed_date(typed, TODAY)
    else:
        assert typed_date(typed, TODAY) == date


def test_a_date_that_reads_two_ways_is_refused_with_both_readings() -> None:
    with pytest.raises(ValidationError) as caught:
        typed_date("02/12/2026", TODAY, "due")
    assert caught.value.field == "due"
    assert caught.value.reason == ("'02/12/2026' could be 2 December or 12 February: type 2026-12-02 or 2026-02-12")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("31/31/2026", "'31/31/2026' is not a real date"),
        ("30/02/2026", "'30/02/2026' is not a real date"),
        ("31/12/26", "is not a date"),  # a two-digit year is not guessed
        ("31/12-2026", "is not a date"),  # one separator, not two
        ("+99999m", "is too far from today"),
        ("+99999999d", "is not a date"),
        ("pasado", "is not a date"),
    ],
)
def test_unreadable_dates_are_refused_quoting_what_was_typed(typed: str, reason: str) -> None:
    with pytest.raises(ValidationError) as caught:
        typed_date(typed, TODAY, "due")
    assert reason in caught.value.reason


@given(st.dates(min_value=dt.date(1970, 1, 1), max_value=dt.date(2100, 12, 31)), st.sampled_from("/.-"))
def test_a_day_first_or_month_first_date_reads_as_itself_when_it_reads_one_way(date: dt.date, sep: str) -> None:
    day_first = f"{date.day}{sep}{date.month}{sep}{date.year}"
    month_first = f"{date.month:02}{sep}{date.day:02}{sep}{date.year}"
    for typed in (day_first, month_first):
        if date.day > 12 or date.day == date.month:
            assert typed_date(typed, TODAY) == date
        else:
            with pytest.raises(ValidationError):
                typed_date(typed, TODAY)
    assert typed_date(date.isoformat(), TODAY) == date


def test_a_form_refuses_a_spanish_tomorrow_where_only_the_past_will_do() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_date_input("mañana", TODAY, "last_contact", not_after_today=True)
    assert caught.value.reason == "2026-12-04 is after today (2026-12-03)"
    assert parse_date_input("ayer", TODAY, "last_contact", not_after_today=True) == dt.date(2026, 12, 2)
