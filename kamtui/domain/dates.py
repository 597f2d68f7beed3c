"""Which of an entity's dates record something that happened and which plan something, and the
rule each follows where today is known (:func:`kamtui.domain.validate.happened`, ``in_window``).

The model keeps any date from 1970 to 2100 (it has no clock); a form, ``kamtui import`` and
``kamtui check`` know today and hold a date to these rules: a review's, an interaction's, a last
contact, an attitude change, a KPI reading and a won or lost deal's close have happened (not
after today); a due date or an open deal's expected close is at most ten years ahead. A cadence
must still have a review to come (:func:`kamtui.domain.cadence.check_ahead`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import TypeVar

from kamtui.domain import validate as v
from kamtui.domain.cadence import check_ahead
from kamtui.domain.deals import Kpi, Opportunity
from kamtui.domain.entity import Entity
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Account, Action, Interaction, Objective, Review, Stakeholder

E = TypeVar("E", bound=Entity)
Rule = Callable[[str, dt.date, dt.date], dt.date]


def _dates(entity: Entity) -> Iterator[tuple[str, dt.date | None, Rule]]:
    """Each date of ``entity`` with its field name and rule."""
    happened, planned = v.happened, v.in_window
    if isinstance(entity, Account):
        yield "last_review", entity.last_review, happened
    elif isinstance(entity, Stakeholder):
        yield "last_contact", entity.last_contact, happened
        for h in entity.friendliness_history:
            yield "friendliness_history.date", h.date, happened
    elif isinstance(entity, Objective):
        yield "due", entity.due, planned
    elif isinstance(entity, Action):
        yield "due", entity.due, planned
        yield "done_at", entity.done_at, happened
    elif isinstance(entity, Review | Interaction):
        yield "date", entity.date, happened
    elif isinstance(entity, Opportunity):
        yield "close_date", entity.close_date, planned if entity.is_open else happened
    elif isinstance(entity, Kpi):
        yield "updated", entity.updated, happened
        for r in entity.history:
            yield "history.date", r.date, happened


def date_problems(entity: Entity, today: dt.date) -> list[ValidationError]:
    """What ``entity``'s dates (and an account's cadence) break of the rules above, one error each."""
    problems: list[ValidationError] = []
    for name, day, rule in _dates(entity):
        if day is None:
            continue
        try:
            rule(name, day, today)
        except ValidationError as exc:
            problems.append(exc)
    if isinstance(entity, Account) and entity.cadence:
        try:
            check_ahead("cadence", entity.cadence, entity.last_review, today)
        except ValidationError as exc:
            problems.append(exc)
    return problems


def check_dates(entity: E, today: dt.date) -> E:
    """``entity``, or the first of :func:`date_problems` raised (naming its field): what a form
    refuses before saving."""
    problems = date_problems(entity, today)
    if problems:
        raise problems[0]
    return entity
