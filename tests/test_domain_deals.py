"""Opportunities in numbers: the pipeline, projected value, moving along the stages, closing,
and the portfolio's breakdowns by stage and close month. Pure: no store, no app."""

from __future__ import annotations

import datetime as dt

import pytest

from kamtui.domain.deals import Opportunity, Stage, closed, moved_stage, with_stage
from kamtui.domain.errors import ValidationError
from kamtui.domain.pipeline import (
    NO_DATE,
    OVERDUE,
    Pipeline,
    by_close_month,
    by_stage,
    is_overdue,
    projected_value,
    total_row,
)

TODAY = dt.date(2026, 11, 23)


def opp(stage: str, value: float, close: dt.date | None = None, probability: int | None = None) -> Opportunity:
    return Opportunity(
        account_id=1, title=f"{stage} deal", value=value, stage=Stage(stage), close_date=close, probability=probability
    )


def test_pipeline_weights_open_deals_and_counts_won_and_lost_of_the_last_12_months() -> None:
    opps = [
        opp("propose", 100_000),  # 50% -> 50k
        opp("negotiate", 200_000, probability=30),  # set by hand: 60k
        opp("won", 80_000, TODAY - dt.timedelta(days=30)),
        opp("won", 999_000, TODAY - dt.timedelta(days=400)),  # older than 12 months
        opp("won", 5_000, None),  # no close date: not counted in any 12 months
        opp("lost", 40_000, TODAY - dt.timedelta(days=10)),
    ]
    p = Pipeline.of(opps, TODAY)
    assert (p.open_count, p.open_value, p.weighted) == (2, 300_000, 110_000)
    assert (p.won_12m, p.lost_12m) == (80_000, 40_000)
    assert projected_value(1_000_000, opps) == 1_110_000
    assert projected_value(500, []) == 500


def test_chance_is_the_stage_default_unless_set_and_closed_deals_are_certain() -> None:
    assert opp("qualify", 10).chance == 25
    assert opp("qualify", 10, probability=0).chance == 0  # 0 set by hand is not "unset"
    assert opp("won", 10, probability=20).chance == 100
    assert opp("lost", 10, probability=20).weighted == 0
    with pytest.raises(ValidationError, match="probability"):
        opp("qualify", 10, probability=101)


def test_stages_move_along_the_pipeline_and_stop_at_its_ends() -> None:
    assert moved_stage(Stage.PROSPECT, 1) is Stage.QUALIFY
    assert moved_stage(Stage.COMMIT, 1) is None  # w closes it
    assert moved_stage(Stage.PROSPECT, -1) is None
    assert moved_stage(Stage.OPEN, 1) is Stage.PROSPECT  # stage not recorded: forward to the first
    assert moved_stage(Stage.OPEN, -1) is None
    assert moved_stage(Stage.WON, 1) is None and moved_stage(Stage.LOST, -1) is None
    moved = with_stage(opp("qualify", 10, probability=80), Stage.PROPOSE)
    assert moved.stage is Stage.PROPOSE and moved.probability is None and moved.chance == 50


def test_closing_sets_the_reason_and_a_close_date_not_in_the_future() -> None:
    future = closed(opp("commit", 10, TODAY + dt.timedelta(days=20)), True, " Best price ", TODAY)
    assert (future.stage, future.close_date, future.reason) == (Stage.WON, TODAY, "Best price")
    undated = closed(opp("commit", 10), False, "went elsewhere", TODAY)
    assert (undated.stage, undated.close_date) == (Stage.LOST, TODAY)
    past = TODAY - dt.timedelta(days=3)
    assert closed(opp("commit", 10, past), True, "", TODAY).close_date == past


def test_the_portfolio_pipeline_by_stage_in_pipeline_order() -> None:
    opps = [opp("propose", 100), opp("propose", 300, probability=10), opp("commit", 50), opp("won", 1000)]
    rows = by_stage(opps)
    assert [r.label for r in rows] == ["prospect", "qualify", "propose", "negotiate", "commit"]  # no "open" row
    propose = rows[2]
    assert (propose.count, propose.value, propose.weighted) == (2, 400, 80)
    total = total_row(rows)
    assert (total.count, total.value, total.weighted) == (3, 450, 125)
    assert by_stage([opp("open", 10)])[0].label == "open"


def test_the_portfolio_pipeline_by_close_month_with_overdue_later_and_no_date() -> None:
    opps = [
        opp("propose", 100, TODAY - dt.timedelta(days=1)),  # overdue
        opp("propose", 200, TODAY),  # this month
        opp("propose", 300, dt.date(2027, 1, 31)),
        opp("propose", 400, dt.date(2028, 6, 1)),  # after the twelve months
        opp("propose", 500),  # no date
        opp("won", 600, dt.date(2027, 1, 1)),  # closed: not pipeline
    ]
    rows = {r.label: r for r in by_close_month(opps, TODAY)}
    assert rows[OVERDUE].value == 100 and rows["2026-11"].value == 200 and rows["2027-01"].value == 300
    assert rows["after 2027-10"].value == 400 and rows[NO_DATE].value == 500
    assert rows["2026-12"].count == 0  # every month of the twelve is a row
    labels = [r.label for r in by_close_month(opps, TODAY)]
    assert labels[0] == OVERDUE and labels[1] == "2026-11" and labels[12] == "2027-10" and labels[-1] == NO_DATE
    assert "after 2027-10" not in [r.label for r in by_close_month(opps[:1], TODAY)]  # no row when empty
    assert NO_DATE not in [r.label for r in by_close_month(opps[:4], TODAY)]  # nor for no date
    assert is_overdue(opps[0], TODAY) and not is_overdue(opps[1], TODAY)
