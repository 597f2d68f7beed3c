"""The meeting brief counts days in the singular when there is one: 'LATE by 1 day', '1 day ago'."""

from __future__ import annotations

import datetime as dt

from kamtui.domain.brief import _action, _person
from kamtui.domain.model import Action, Stakeholder
from kamtui.domain.text import counted

TODAY = dt.date(2026, 11, 23)


def test_counted_knows_days_and_weeks() -> None:
    assert counted(1, "days") == "1 day"
    assert counted(1, "weeks") == "1 week"
    assert counted(2, "days") == "2 days"


def test_a_late_action_one_day_late() -> None:
    a = Action(account_id=1, objective_id=1, text="Call Rosa", due=TODAY - dt.timedelta(days=1))
    assert _action(a, TODAY).startswith("- LATE by 1 day (due 2026-11-22)")
    b = Action(account_id=1, objective_id=1, text="Call Rosa", due=TODAY - dt.timedelta(days=3))
    assert _action(b, TODAY).startswith("- LATE by 3 days (due")


def test_a_last_contact_one_day_ago() -> None:
    s = Stakeholder(account_id=1, name="Rosa", last_contact=TODAY - dt.timedelta(days=1), id=1)
    assert "(1 day ago)" in _person(s, [], TODAY)[2]
