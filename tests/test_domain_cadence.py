"""Review cadences: presets, RRULEs, when the next review is due and how that reads."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

import pytest

from kamtui.domain.cadence import (
    days_late,
    describe,
    in_words,
    next_review,
    parse_cadence,
    period_days,
)
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Account

D = dt.date
TODAY = D(2025, 3, 10)  # a Monday


# ------------------------------------------------------------------------------ presets


@pytest.mark.parametrize(
    ("cadence", "last", "expected"),
    [
        ("weekly", D(2025, 1, 31), D(2025, 2, 7)),
        ("biweekly", D(2025, 1, 31), D(2025, 2, 14)),
        ("weekly", D(2025, 12, 29), D(2026, 1, 5)),
        ("monthly", D(2025, 1, 15), D(2025, 2, 15)),
        ("monthly", D(2025, 1, 31), D(2025, 2, 28)),  # month end, common year
        ("monthly", D(2024, 1, 31), D(2024, 2, 29)),  # month end, leap year
        ("monthly", D(2025, 3, 31), D(2025, 4, 30)),
        ("monthly", D(2025, 12, 31), D(2026, 1, 31)),
        ("quarterly", D(2025, 1, 31), D(2025, 4, 30)),
        ("quarterly", D(2025, 11, 30), D(2026, 2, 28)),
        ("quarterly", D(2025, 1, 1), D(2025, 4, 1)),
        ("Monthly", D(2025, 1, 15), D(2025, 2, 15)),  # any case
        (" WEEKLY ", D(2025, 1, 31), D(2025, 2, 7)),
    ],
)
def test_presets_step_from_the_last_review(cadence: str, last: dt.date, expected: dt.date) -> None:
    assert next_review(cadence, last, TODAY) == expected


def test_preset_occurrences_step_from_each_due_date() -> None:
    c = parse_cadence("monthly")
    # Each step is a month after the previous due date, so the 31st settles on the 28th.
    assert c.occurrences(D(2025, 1, 31), 3) == [D(2025, 2, 28), D(2025, 3, 28), D(2025, 4, 28)]
    assert parse_cadence("weekly").occurrences(D(2025, 1, 31), 3) == [D(2025, 2, 7), D(2025, 2, 14), D(2025, 2, 21)]
    assert parse_cadence("quarterly").occurrences(D(2025, 1, 15), 3) == [
        D(2025, 4, 15),
        D(2025, 7, 15),
        D(2025, 10, 15),
    ]
    assert c.occurrences(D(2025, 1, 31), 0) == []


@pytest.mark.parametrize(
    ("cadence", "days"),
    [("weekly", 7), ("biweekly", 14), ("monthly", 28), ("quarterly", 89)],
)
def test_period_days_from_31_january_2025(cadence: str, days: int) -> None:
    assert period_days(cadence, D(2025, 1, 31)) == days


def test_period_days_in_leap_february_and_without_cadence() -> None:
    assert period_days("monthly", D(2024, 1, 31)) == 29
    assert period_days("monthly", D(2025, 3, 1)) == 31
    assert period_days("quarterly", D(2025, 1, 1)) == 90
    assert period_days("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", D(2025, 1, 6)) == 14
    assert period_days("", D(2025, 1, 6)) is None


# ------------------------------------------------------------------------------ RRULEs


@pytest.mark.parametrize(
    ("cadence", "last", "expected"),
    [
        # From a Monday the next Monday two weeks on; from a Wednesday the Monday of the next "on" week.
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", D(2025, 1, 6), D(2025, 1, 20)),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", D(2025, 1, 8), D(2025, 1, 20)),
        ("FREQ=MONTHLY;BYDAY=1TU", D(2025, 1, 7), D(2025, 2, 4)),
        ("FREQ=MONTHLY;BYDAY=1TU", D(2025, 1, 14), D(2025, 2, 4)),
        # Reviewed late, 13 days after the first Tuesday: the next one is exactly half the
        # nominal 30-day period away, which is not "close to" this review, so it falls due.
        ("FREQ=MONTHLY;BYDAY=1TU", D(2025, 1, 20), D(2025, 2, 4)),
        ("RRULE:FREQ=MONTHLY;BYDAY=1TU", D(2025, 1, 7), D(2025, 2, 4)),
        ("rrule:freq=monthly;byday=1tu", D(2025, 1, 7), D(2025, 2, 4)),
        ("freq=weekly;byday=fr", D(2025, 1, 31), D(2025, 2, 7)),
        ("FREQ=WEEKLY;BYDAY=FR;", D(2025, 1, 31), D(2025, 2, 7)),  # trailing ';'
        ("FREQ=MONTHLY;BYDAY=-1FR", D(2025, 1, 31), D(2025, 2, 28)),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", D(2025, 1, 31), D(2025, 2, 28)),
        ("FREQ=MONTHLY;BYMONTHDAY=15", D(2025, 1, 15), D(2025, 2, 15)),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15", D(2025, 3, 15), D(2026, 3, 15)),
        ("FREQ=DAILY;INTERVAL=10", D(2025, 1, 1), D(2025, 1, 11)),
        # A review covers the occurrence it was held close to: reviewed two days before the
        # last Friday, the next one due is the last Friday of the next period.
        ("FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR", D(2025, 1, 29), D(2025, 3, 28)),
        ("FREQ=WEEKLY;UNTIL=20250301", D(2025, 1, 31), D(2025, 2, 7)),
        ("FREQ=WEEKLY;UNTIL=20250301", D(2025, 2, 28), None),  # the rule has ended
        ("FREQ=WEEKLY;UNTIL=20250301T000000Z", D(2025, 1, 31), D(2025, 2, 7)),
    ],
)
def test_rrule_next_review(cadence: str, last: dt.date, expected: dt.date | None) -> None:
    assert next_review(cadence, last, TODAY) == expected


def test_rrule_occurrences_give_the_next_three_dates() -> None:
    assert parse_cadence("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO").occurrences(D(2025, 1, 6), 3) == [
        D(2025, 1, 20),
        D(2025, 2, 3),
        D(2025, 2, 17),
    ]
    assert parse_cadence("FREQ=MONTHLY;BYDAY=1TU").occurrences(D(2025, 1, 7), 3) == [
        D(2025, 2, 4),
        D(2025, 3, 4),
        D(2025, 4, 1),
    ]
    # An ended rule gives what is left.
    assert parse_cadence("FREQ=WEEKLY;UNTIL=20250215").occurrences(D(2025, 1, 31), 3) == [D(2025, 2, 7), D(2025, 2, 14)]


def test_parsed_rule_is_normalised() -> None:
    c = parse_cadence("rrule: freq=weekly; interval=2; byday=mo")
    assert c.rule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"
    assert parse_cadence("BYDAY=MO;FREQ=WEEKLY").rule == "FREQ=WEEKLY;BYDAY=MO"
    assert parse_cadence("FREQ=WEEKLY;UNTIL=20251231T235959Z").rule == "FREQ=WEEKLY;UNTIL=20251231"
    assert parse_cadence("Quarterly").text == "quarterly"


@pytest.mark.parametrize(
    "cadence",
    [
        "fortnightly",
        "every monday",
        "FREQ=",
        "FREQ=FOO",
        "FREQ=HOURLY",
        "FREQ=MINUTELY;INTERVAL=30",
        "FREQ=SECONDLY",
        "RRULE:FREQ=HOURLY",
        "FREQ=WEEKLY;INTERVAL=0",  # used to hang for ever
        "FREQ=WEEKLY;INTERVAL=-1",
        "FREQ=WEEKLY;INTERVAL=two",
        "FREQ=WEEKLY;INTERVAL=99999999999999999999",
        "FREQ=YEARLY;INTERVAL=11",
        "FREQ=WEEKLY;BYDAY=",
        "FREQ=WEEKLY;BYDAY=XX",
        "FREQ=WEEKLY;BYDAY=1MO",  # numbered weekday needs MONTHLY/YEARLY
        "FREQ=MONTHLY;BYDAY=6MO",
        "FREQ=MONTHLY;BYDAY=0MO",
        "FREQ=MONTHLY;BYMONTHDAY=0",
        "FREQ=MONTHLY;BYMONTHDAY=32",
        "FREQ=YEARLY;BYMONTH=13",
        "FREQ=WEEKLY;BYMONTHDAY=1",
        "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30",  # used to crawl to the year 9999
        "FREQ=DAILY;INTERVAL=7;BYDAY=MO",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30",  # never a real date
        "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31",
        "FREQ=WEEKLY;WKST=XX",
        "FREQ=WEEKLY;UNTIL=garbage",
        "FREQ=WEEKLY;UNTIL=20250230",
        "FREQ=WEEKLY;COUNT=3",
        "FREQ=WEEKLY;COUNT=2;UNTIL=20250101",
        "FREQ=WEEKLY;BYHOUR=9",
        "FREQ=YEARLY;BYWEEKNO=20",
        "FREQ=YEARLY;BYYEARDAY=100",
        "FREQ=WEEKLY;FOO=1",
        "FREQ=WEEKLY;FREQ=DAILY",
        "FREQ=WEEKLY;;BYDAY=MO",
        "FREQ=WEEKLY;INTERVAL",
        "DTSTART:20250101T000000\nRRULE:FREQ=WEEKLY",
        "FREQ=WEEKLY;DTSTART=20250101",
        "FREQ=WEEKLY\nRRULE:FREQ=DAILY",  # used to fail an assert
        "FREQ=WEEKLY\nEXDATE:20250101",
        "   ",
        "",
    ],
)
def test_invalid_cadences_are_refused_without_crawling_the_calendar(cadence: str) -> None:
    """Refused, and never by a search through the centuries (dateutil gives up on a rule that
    never happens only at the year 9999): at most one 400-year Gregorian cycle is looked at.
    Counted, not timed."""
    parse_cadence.cache_clear()
    with pytest.raises(ValidationError) as caught, years_examined() as years:
        parse_cadence(cadence)
    assert caught.value.field == "cadence"
    assert caught.value.reason
    assert len(years) <= 401


@pytest.mark.parametrize("cadence", ["FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "FREQ=MONTHLY;BYMONTH=4;BYMONTHDAY=31"])
def test_a_rule_that_never_happens_is_searched_for_within_one_cycle_of_years(cadence: str) -> None:
    """What the count above rests on: such a rule is searched for (the years dateutil looks at
    are seen), and that search ends at the year 9999 from a start no more than 400 years before."""
    parse_cadence.cache_clear()
    with pytest.raises(ValidationError, match="never falls on a real date"), years_examined() as years:
        parse_cadence(cadence)
    assert years and max(years) == 9999 and len(years) <= 401


@contextmanager
def years_examined() -> Iterator[set[int]]:
    """The years dateutil's rrule looks at meanwhile (each calls its calendar's ``rebuild(year,
    month)``): calls traced, not lines, and whatever tracer was there put back."""
    years: set[int] = set()

    def trace(frame: FrameType, event: str, arg: object) -> None:
        code = frame.f_code
        if event == "call" and code.co_name == "rebuild" and "dateutil" in code.co_filename:
            years.add(int(frame.f_locals["year"]))

    before = sys.gettrace()
    sys.settrace(trace)
    try:
        yield years
    finally:
        sys.settrace(before)


def test_hourly_says_why() -> None:
    with pytest.raises(ValidationError, match="daily or less often"):
        parse_cadence("FREQ=HOURLY;INTERVAL=24")


def test_an_account_refuses_a_bad_cadence() -> None:
    with pytest.raises(ValidationError) as caught:
        Account(name="Acme", cadence="FREQ=WEEKLY;INTERVAL=0")
    assert caught.value.field == "cadence"
    assert Account(name="Acme", cadence="").cadence == ""


def test_non_text_cadence_is_refused() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_cadence(7)  # type: ignore[arg-type]
    assert caught.value.field == "cadence"


# ------------------------------------------------------------------------------ in words


@pytest.mark.parametrize(
    ("cadence", "words"),
    [
        ("weekly", "every week"),
        ("biweekly", "every 2 weeks"),
        ("monthly", "every month"),
        ("quarterly", "every quarter"),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO", "every 2 weeks on Monday"),
        ("FREQ=WEEKLY;BYDAY=MO,WE,FR", "every week on Monday, Wednesday and Friday"),
        ("FREQ=MONTHLY;BYDAY=1TU", "every month on the first Tuesday"),
        ("rrule:freq=monthly;byday=1tu", "every month on the first Tuesday"),
        ("FREQ=MONTHLY;BYDAY=+2TH", "every month on the second Thursday"),
        ("FREQ=MONTHLY;BYDAY=5FR", "every month on the fifth Friday"),
        ("FREQ=MONTHLY;BYDAY=-1FR", "every month on the last Friday"),
        ("FREQ=MONTHLY;BYDAY=-2FR", "every month on the second to last Friday"),
        ("FREQ=MONTHLY;BYDAY=-3FR", "every month on the third to last Friday"),
        ("FREQ=YEARLY;BYDAY=21MO", "every year on the 21st Monday"),
        ("FREQ=MONTHLY;BYSETPOS=1;BYDAY=MO,TU", "every month on the first Monday or Tuesday"),
        ("FREQ=MONTHLY;INTERVAL=3", "every quarter"),
        ("FREQ=MONTHLY;INTERVAL=6", "every 6 months"),
        ("FREQ=MONTHLY;BYMONTHDAY=15", "every month on day 15"),
        ("FREQ=MONTHLY;BYMONTHDAY=-1", "every month on the last day"),
        ("FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=15", "every year in March on day 15"),
        ("FREQ=YEARLY;BYMONTH=3,9;BYDAY=1MO", "every year in March and September on the first Monday"),
        ("FREQ=DAILY", "every day"),
        ("FREQ=DAILY;INTERVAL=10", "every 10 days"),
        ("FREQ=YEARLY;INTERVAL=2", "every 2 years"),
        ("FREQ=WEEKLY;UNTIL=20251231", "every week until 2025-12-31"),
        ("", "no review cadence"),
        ("  ", "no review cadence"),
    ],
)
def test_describe(cadence: str, words: str) -> None:
    assert describe(cadence) == words


def test_describe_refuses_an_invalid_cadence() -> None:
    with pytest.raises(ValidationError):
        describe("fortnightly")


# ------------------------------------------------------------------------------ due dates


def test_next_review_never_reviewed_is_today() -> None:
    assert next_review("monthly", None, TODAY) == TODAY
    assert next_review("FREQ=MONTHLY;BYDAY=1TU", None, TODAY) == TODAY


def test_next_review_without_cadence_is_none() -> None:
    assert next_review("", None, TODAY) is None
    assert next_review("", D(2025, 1, 1), TODAY) is None
    assert next_review("   ", D(2025, 1, 1), TODAY) is None


def test_next_review_refuses_an_invalid_cadence_even_when_never_reviewed() -> None:
    # It used to say "due today" for any garbage as long as there was no last review.
    with pytest.raises(ValidationError):
        next_review("fortnightly", None, TODAY)


def test_next_review_ignores_today_once_reviewed() -> None:
    assert next_review("weekly", D(2025, 1, 1), D(2030, 1, 1)) == D(2025, 1, 8)


@pytest.mark.parametrize(
    "cadence",
    [
        "weekly",
        "biweekly",
        "monthly",
        "quarterly",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        "FREQ=MONTHLY;BYDAY=1TU",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=MONTHLY;BYMONTHDAY=31",
        "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
        "FREQ=DAILY;INTERVAL=3;BYDAY=MO",
    ],
)
def test_next_review_is_always_after_the_last_and_within_two_periods(cadence: str) -> None:
    """Each next review is found after the last, within two periods, looking at no year but the
    few between the two (counted, not timed; the rule checked once before, as parsing it does)."""
    parse_cadence(cadence)
    last = D(2023, 12, 1)
    for _ in range(120):
        with years_examined() as years:
            nxt = next_review(cadence, last, TODAY)
        assert nxt is not None
        assert last < nxt
        assert (nxt - last).days <= 2 * 366 * 4 + 31  # leap days come every four years
        assert all(last.year <= y <= nxt.year for y in years)
        last = last + dt.timedelta(days=5)


@pytest.mark.parametrize(
    ("offset", "words"),
    [
        (0, "today"),
        (1, "tomorrow"),
        (3, "in 3d"),
        (13, "in 13d"),
        (14, "in 2w"),
        (20, "in 2w"),
        (21, "in 3w"),
        (69, "in 9w"),
        (70, "in 2mo"),
        (95, "in 3mo"),
        (400, "in 13mo"),
        (-1, "1d late"),
        (-2, "2d late"),
        (-13, "13d late"),
        (-14, "2w late"),
        (-30, "4w late"),
        (-75, "2mo late"),
        (-729, "24mo late"),
        (730, "in 2y"),
        (-3650, "10y late"),
        (36499, "in 99y"),
        (36500, "in 99y+"),
        (-54_750, "99y+ late"),
    ],
)
def test_in_words(offset: int, words: str) -> None:
    assert in_words(TODAY + dt.timedelta(days=offset), TODAY) == words


def test_in_words_fits_a_nine_cell_column_for_any_date() -> None:
    for day in (dt.date.min, dt.date.max, TODAY + dt.timedelta(days=400), TODAY - dt.timedelta(days=333)):
        assert len(in_words(day, TODAY)) <= 9


def test_in_words_without_a_date() -> None:
    assert in_words(None, TODAY) == "-"


def test_days_late() -> None:
    assert days_late(D(2025, 3, 7), TODAY) == 3
    assert days_late(TODAY, TODAY) == 0
    assert days_late(D(2025, 3, 12), TODAY) == -2
    assert days_late(None, TODAY) is None
