"""Objectives in numbers, part three of the account plan: the opportunities (the pipeline, won
and lost business) and the account's KPIs with their targets.

An opportunity's stage says both where it is and whether it is still open: ``won`` and ``lost``
close it. ``open`` is the stage of opportunities from older files (open, stage not recorded).
Its probability is the stage's default unless one is set; its weighted value is value times
probability. A KPI is on track when its latest reading meets the target in its direction. The
opportunities in numbers (pipeline, projected value, breakdowns) are in :mod:`kamtui.domain.pipeline`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar

from kamtui.domain import fast_read as fr
from kamtui.domain import labels
from kamtui.domain import validate as v
from kamtui.domain.entity import READERS, Entity, kwargs_of
from kamtui.domain.errors import ValidationError
from kamtui.i18n import N_, _


class Stage(StrEnum):
    OPEN = "open"
    PROSPECT = "prospect"
    QUALIFY = "qualify"
    PROPOSE = "propose"
    NEGOTIATE = "negotiate"
    COMMIT = "commit"
    WON = "won"
    LOST = "lost"

    @property
    def is_open(self) -> bool:
        return self not in (Stage.WON, Stage.LOST)

    @property
    def label(self) -> str:
        """The stage in the user's language (the value stays the stored spelling)."""
        return labels.stage(self.value)


# The default probability of each stage, in percent (documented in the README).
STAGE_PROBABILITY: dict[Stage, int] = {
    Stage.OPEN: 20,
    Stage.PROSPECT: 10,
    Stage.QUALIFY: 25,
    Stage.PROPOSE: 50,
    Stage.NEGOTIATE: 70,
    Stage.COMMIT: 90,
    Stage.WON: 100,
    Stage.LOST: 0,
}
OPEN_STAGES: tuple[Stage, ...] = tuple(s for s in Stage if s.is_open)


@dataclass(slots=True)
class Opportunity(Entity):
    TABLE: ClassVar[str] = "opportunities"
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ("close_date",)

    account_id: int
    title: str
    value: float = 0.0
    stage: Stage = Stage.OPEN
    close_date: dt.date | None = None
    probability: int | None = None  # percent; None: the stage's default
    owner: str = ""
    objective_id: int | None = None  # the objective it serves
    reason: str = ""  # why it was won or lost
    id: int | None = None

    def __post_init__(self) -> None:
        self.account_id = v.integer("account_id", self.account_id, 0)
        self.title = v.text("title", self.title, required=True)
        self.value = v.money("value", self.value)
        self.stage = v.enum("stage", Stage, self.stage)
        self.close_date = v.optional_stored_date("close_date", self.close_date)
        self.probability = v.optional_int("probability", self.probability, 0, 100)
        self.owner = v.text("owner", self.owner)
        self.objective_id = v.optional_int("objective_id", self.objective_id, 0)
        self.reason = v.text("reason", self.reason)

    @property
    def is_open(self) -> bool:
        return self.stage.is_open

    @property
    def chance(self) -> int:
        """The probability in percent: the one set, else the stage's (closed: 100 or 0)."""
        if not self.stage.is_open or self.probability is None:
            return STAGE_PROBABILITY[self.stage]
        return self.probability

    @property
    def weighted(self) -> float:
        return self.value * self.chance / 100


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better: on track at or above the target
    LOWER = "lower"  # lower is better: on track at or below the target


@dataclass(slots=True)
class KpiReading:
    date: dt.date
    value: float

    def __post_init__(self) -> None:
        self.date = v.stored_date("history.date", self.date)
        self.value = v.number("history.value", self.value)

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date.isoformat(), "value": self.value}


@dataclass(slots=True)
class Kpi(Entity):
    """A KPI of the account plan for one plan period (the annual account plan: "2027")."""

    TABLE: ClassVar[str] = "kpis"
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ("updated",)

    account_id: int
    name: str
    target: float
    unit: str = ""
    direction: Direction = Direction.HIGHER
    actual: float | None = None
    period: str = ""
    updated: dt.date | None = None
    history: list[KpiReading] = field(default_factory=list)
    id: int | None = None

    def __post_init__(self) -> None:
        self.account_id = v.integer("account_id", self.account_id, 0)
        self.name = v.text("name", self.name, required=True)
        self.target = v.number("target", self.target)
        self.unit = v.text("unit", self.unit, max_len=20)
        self.direction = v.enum("direction", Direction, self.direction)
        self.actual = v.optional_number("actual", self.actual)
        self.period = v.plan_period("period", self.period)
        self.updated = v.optional_stored_date("updated", self.updated)
        self.history = _readings(self.history)

    @property
    def on_track(self) -> bool | None:
        """None until there is a reading."""
        if self.actual is None:
            return None
        return self.actual >= self.target if self.direction is Direction.HIGHER else self.actual <= self.target

    def with_reading(self, value: float, day: dt.date) -> Kpi:
        """A copy with a new actual, the reading kept in its history (one per day: the last wins)."""
        value = v.number("actual", value)
        history = [h for h in self.history if h.date != day] + [KpiReading(day, value)]
        history.sort(key=lambda h: h.date)
        return Kpi.from_doc({**self.to_doc(), "actual": value, "updated": day, "history": history}, self.id)


# ------------------------------------------------------------- moving and closing
FORWARD_STAGES: tuple[Stage, ...] = tuple(s for s in OPEN_STAGES if s is not Stage.OPEN)


def moved_stage(stage: Stage, step: int) -> Stage | None:
    """The open stage ``step`` places along the pipeline from ``stage`` (None past either end,
    or for a closed one). ``open`` (stage not recorded) moves forward to the first stage; nothing
    moves back to it."""
    if not stage.is_open:
        return None
    if stage is Stage.OPEN:
        return FORWARD_STAGES[0] if step > 0 else None
    index = FORWARD_STAGES.index(stage) + step
    return FORWARD_STAGES[index] if 0 <= index < len(FORWARD_STAGES) else None


def with_stage(opp: Opportunity, stage: Stage) -> Opportunity:
    """A copy at ``stage``, its probability back to the stage's default (a probability set by
    hand belongs to the stage it was set at)."""
    return Opportunity.from_doc({**opp.to_doc(), "stage": stage, "probability": None}, opp.id)


def closed(opp: Opportunity, won: bool, reason: str, today: dt.date) -> Opportunity:
    """A copy closed as won or lost with ``reason``; it closes today unless it has a close date
    on or before today (a deal cannot have closed in the future)."""
    close_date = opp.close_date if opp.close_date is not None and opp.close_date <= today else today
    stage = Stage.WON if won else Stage.LOST
    return Opportunity.from_doc(
        {**opp.to_doc(), "stage": stage, "reason": reason.strip(), "close_date": close_date}, opp.id
    )


#: How far ahead an expected close date may be: further out, it is a typo (9999-12-31). The
#: one rule of every date typed or imported (:func:`kamtui.domain.validate.in_window`).
MAX_CLOSE_YEARS = v.MAX_AHEAD_YEARS


def check_close_date(field: str, close_date: dt.date, today: dt.date, stage: Stage | None = None) -> None:
    """Refuse a close date more than :data:`MAX_CLOSE_YEARS` years after ``today``, or before
    :data:`~kamtui.domain.validate.EARLIEST_DATE` (ValidationError naming ``field``); a won or
    lost deal's (``stage``) has happened, so it is not after today either. Applied where today is
    known: the opportunity form and ``kamtui import``."""
    if stage is not None and not stage.is_open:
        v.happened(field, close_date, today)
    else:
        v.in_window(field, close_date, today, N_("an expected close"))


def _readings(value: Any) -> list[KpiReading]:
    """Kpi.history as __post_init__ (and the reader) read it."""
    if not isinstance(value, list):
        raise ValidationError("history", _("must be a list of readings"))
    return [
        h if isinstance(h, KpiReading) else KpiReading(**kwargs_of(KpiReading, "history.", h, "history")) for h in value
    ]


# Read at speed (kamtui.domain.fast_read), each field as its __post_init__ line reads it.
READERS.declare(
    Opportunity,
    account_id=fr.integer(0),
    title=fr.text(required=True),
    value=fr.money(),
    stage=fr.enum(Stage),
    close_date=fr.optional_date(),
    probability=fr.optional_int(0, 100),
    owner=fr.text(),
    objective_id=fr.optional_int(0),
    reason=fr.text(),
)
READERS.declare(
    Kpi,
    account_id=fr.integer(0),
    name=fr.text(required=True),
    target=fr.number(),
    unit=fr.text(20),
    direction=fr.enum(Direction),
    actual=fr.optional_number(),
    period=fr.Field("x = {c}({f}, x)", v.plan_period),
    updated=fr.optional_date(),
    history=fr.converted(_readings, list),
)
