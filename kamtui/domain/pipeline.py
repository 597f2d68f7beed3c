"""An account's or the portfolio's opportunities in numbers: the pipeline (open, weighted, won
and lost in the last 12 months), the projected value, and the breakdowns by stage and close
month the pipeline view shows. Apart from :mod:`kamtui.domain.deals` so that what only reads
stored opportunities (``kamtui due``'s stakes) does not import it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kamtui.domain.deals import OPEN_STAGES, Opportunity, Stage


@dataclass(frozen=True, slots=True)
class Pipeline:
    """An account's (or a portfolio's) opportunities in numbers."""

    open_count: int
    open_value: float
    weighted: float  # open value times probability
    won_12m: float  # won with a close date in the last 12 months
    lost_12m: float

    @classmethod
    def of(cls, opportunities: list[Opportunity], today: dt.date) -> Pipeline:
        year_ago = today - dt.timedelta(days=365)
        open_ = [o for o in opportunities if o.is_open]

        def closed(stage: Stage) -> float:
            return sum(
                o.value
                for o in opportunities
                if o.stage is stage and o.close_date is not None and year_ago < o.close_date <= today
            )

        return cls(
            len(open_),
            sum(o.value for o in open_),
            sum(o.weighted for o in open_),
            closed(Stage.WON),
            closed(Stage.LOST),
        )


def projected_value(revenue: float, opportunities: list[Opportunity]) -> float:
    """Current annual revenue plus the weighted open pipeline: what the account is heading for."""
    return revenue + sum(o.weighted for o in opportunities if o.is_open)


# ------------------------------------------------------------- the portfolio's pipeline
@dataclass(frozen=True, slots=True)
class PipelineRow:
    """One row of a pipeline breakdown: the open opportunities in a stage or a close month."""

    label: str
    count: int = 0
    value: float = 0.0
    weighted: float = 0.0

    def plus(self, opp: Opportunity) -> PipelineRow:
        return PipelineRow(self.label, self.count + 1, self.value + opp.value, self.weighted + opp.weighted)


def total_row(rows: list[PipelineRow], label: str = "total") -> PipelineRow:
    return PipelineRow(label, sum(r.count for r in rows), sum(r.value for r in rows), sum(r.weighted for r in rows))


def by_stage(opportunities: list[Opportunity]) -> list[PipelineRow]:
    """The open pipeline by stage, in pipeline order (``open``, stage not recorded, first; a
    stage without opportunities is still a row)."""
    rows = {s: PipelineRow(s.value) for s in OPEN_STAGES}
    for o in opportunities:
        if o.is_open:
            rows[o.stage] = rows[o.stage].plus(o)
    return [r for s, r in rows.items() if s is not Stage.OPEN or r.count]


OVERDUE = "overdue"
NO_DATE = "no date"


def by_close_month(opportunities: list[Opportunity], today: dt.date, months: int = 12) -> list[PipelineRow]:
    """The open pipeline by expected close month: overdue (a close date before today), this
    month and the ``months - 1`` after it ("2027-01"), later, and no date. Every month is a row;
    later and no date only when they hold a deal (an empty "no date" row read as a fault)."""
    first = today.replace(day=1)
    keys = []
    year, month = first.year, first.month
    for _ in range(months):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    later = f"after {keys[-1]}"
    rows = {k: PipelineRow(k) for k in (OVERDUE, *keys, later, NO_DATE)}
    for o in opportunities:
        if not o.is_open:
            continue
        if o.close_date is None:
            key = NO_DATE
        elif o.close_date < today:
            key = OVERDUE
        else:
            key = f"{o.close_date.year:04d}-{o.close_date.month:02d}"
            key = key if key in rows else later
        rows[key] = rows[key].plus(o)
    return [r for k, r in rows.items() if r.count or k not in (later, NO_DATE)]


def is_overdue(opp: Opportunity, today: dt.date) -> bool:
    """Open with an expected close date already past."""
    return opp.is_open and opp.close_date is not None and opp.close_date < today
