"""Account health: each measure at its extremes, the weighted blend, trend, history and sparkline."""

from __future__ import annotations

import datetime as dt

import pytest

from kamtui.domain.health import (
    DEFAULT_CONTACT_DAYS,
    SPARK,
    WEIGHTS,
    Health,
    contact_score,
    health,
    plan_score,
    relationship_score,
    review_score,
    sparkline,
)
from kamtui.domain.model import Action, DecisionRole, Level, Review, Stakeholder

D = dt.date
TODAY = D(2026, 6, 15)
JUNE_1 = D(2026, 6, 1)


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def rv(e: int = 3, lo: int = 3, s: int = 3, h: int = 3, day: dt.date = JUNE_1) -> Review:
    return Review(account_id=1, date=day, engagement=e, loyalty=lo, satisfaction=s, health=h)


def sh(
    friendliness: int = 0,
    influence: Level = Level.MEDIUM,
    *,
    contact: int | None = 1,
    every: int | None = None,
    left: bool = False,
    role: DecisionRole = DecisionRole.USER,
) -> Stakeholder:
    return Stakeholder(
        account_id=1,
        name="X",
        role=role,
        influence=influence,
        friendliness=friendliness,
        last_contact=None if contact is None else ago(contact),
        contact_every_days=every,
        left=left,
    )


def act(due: dt.date | None, done: bool = False) -> Action:
    return Action(account_id=1, objective_id=1, text="do", due=due, done=done)


# ------------------------------------------------------------------------ review score


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ((1, 1, 1, 1), 0),
        ((5, 5, 5, 5), 100),
        ((3, 3, 3, 3), 50),
        ((5, 1, 3, 3), 50),
        ((2, 2, 2, 2), 25),
        ((5, 5, 5, 4), 94),
    ],
)
def test_review_score(scores: tuple[int, int, int, int], expected: int) -> None:
    assert review_score(rv(*scores)) == expected


# ------------------------------------------------------------------ relationship score


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([], None),
        ([sh(2, left=True)], None),  # nobody current
        ([sh(-2), sh(-2, Level.HIGH)], 0),
        ([sh(2), sh(2, Level.LOW)], 100),
        ([sh(0)], 50),
        ([sh(1)], 75),
        ([sh(2, Level.HIGH), sh(-2, Level.LOW)], 75),  # influence-weighted: (3*2 - 1*2) / 4 = 1
        ([sh(-2, Level.HIGH), sh(2, Level.LOW)], 25),
        ([sh(0), sh(2, left=True)], 40),  # a champion who left costs 10
        ([sh(0), sh(1, left=True)], 50),  # someone merely friendly who left does not
        ([sh(0), sh(1, left=True, role=DecisionRole.CHAMPION)], 40),  # a champion by role, as risk.py says
        ([sh(0), sh(-1, left=True, role=DecisionRole.COACH)], 40),
        ([sh(-2), sh(2, left=True)], 0),  # never below 0
    ],
)
def test_relationship_score(people: list[Stakeholder], expected: int | None) -> None:
    assert relationship_score(people) == expected


# -------------------------------------------------------------------------- plan score


@pytest.mark.parametrize(
    ("actions", "expected"),
    [
        ([], None),
        ([act(None)], None),  # no due date: nothing can be late
        ([act(TODAY + dt.timedelta(days=5), done=True)], None),  # done early: not yet counted
        ([act(ago(1))], 0),
        ([act(TODAY)], 100),  # due today is not overdue
        ([act(TODAY + dt.timedelta(days=3))], 100),
        ([act(ago(10), done=True)], 100),
        ([act(ago(1)), act(TODAY)], 50),
        ([act(ago(1)), act(ago(2)), act(ago(3), done=True)], 33),
    ],
)
def test_plan_score(actions: list[Action], expected: int | None) -> None:
    assert plan_score(actions, TODAY) == expected


# ----------------------------------------------------------------------- contact score


@pytest.mark.parametrize(
    ("people", "expected"),
    [
        ([], None),
        ([sh(contact=None, left=True)], None),
        ([sh(contact=30, every=30)], 100),  # exactly on the cadence day: ok
        ([sh(contact=31, every=30)], 0),  # one day later: not
        ([sh(contact=DEFAULT_CONTACT_DAYS)], 100),  # no cadence: 60 days
        ([sh(contact=DEFAULT_CONTACT_DAYS + 1)], 0),
        ([sh(contact=None, every=30)], 0),  # never contacted
        ([sh(contact=1), sh(contact=None)], 50),
        ([sh(contact=1), sh(contact=None, left=True)], 100),  # who left is ignored
        ([sh(contact=1), sh(contact=1), sh(contact=90)], 67),
    ],
)
def test_contact_score(people: list[Stakeholder], expected: int | None) -> None:
    assert contact_score(people, TODAY) == expected


# ------------------------------------------------------------------------------ health


def test_no_data_at_all_has_no_health() -> None:
    h = health([], [], [], TODAY)
    assert (h.score, h.parts, h.history, h.trend) == (None, {}, (), "")
    only_left = health([], [sh(2, left=True)], [act(None)], TODAY)
    assert only_left.score is None and only_left.history == ()


def test_all_four_measures_blend_by_their_weights() -> None:
    people = [sh(2, contact=1), sh(0, contact=None)]  # relationships 75, contact 50
    h = health([rv(5, 5, 5, 5)], people, [act(ago(1)), act(TODAY)], TODAY)  # reviews 100, plan 50
    assert h.parts == {"reviews": 100, "relationships": 75, "plan": 50, "contact": 50}
    assert sum(WEIGHTS.values()) == 100
    assert h.score == round((40 * 100 + 30 * 75 + 15 * 50 + 15 * 50) / 100) == 78


@pytest.mark.parametrize(
    ("reviews", "people", "actions", "parts", "score"),
    [
        ([rv(5, 5, 5, 5)], [], [], {"reviews": 100}, 100),
        ([], [sh(1, contact=1)], [], {"relationships": 75, "contact": 100}, round((30 * 75 + 15 * 100) / 45)),
        ([], [], [act(ago(1)), act(TODAY)], {"plan": 50}, 50),
        ([rv(5, 5, 5, 5)], [], [act(ago(1))], {"reviews": 100, "plan": 0}, round(40 * 100 / 55)),
    ],
)
def test_weights_are_shared_out_when_a_measure_has_no_data(
    reviews: list[Review], people: list[Stakeholder], actions: list[Action], parts: dict[str, int], score: int
) -> None:
    h = health(reviews, people, actions, TODAY)
    assert (h.parts, h.score) == (parts, score)


def test_history_has_one_point_per_review_then_todays() -> None:
    # Health is recorded, never recomputed: a review that recorded its health shows it; one from
    # before (no stored health) shows its own scores, marked; today's score comes last.
    people = [sh(0, contact=1)]  # relationships 50, contact 100
    revs = [
        rv(1, 1, 1, 1, D(2026, 1, 1)),
        Review(account_id=1, date=D(2026, 2, 1), health_score=61, health_reviews=50, health_plan=80),
        rv(5, 5, 5, 5, D(2026, 3, 1)),
    ]
    h = health(revs, people, [], TODAY)
    today = round((40 * 100 + 30 * 50 + 15 * 100) / 85)
    assert h.history == (0, 61, 100, today) and h.score == today
    assert [p.recorded for p in h.points] == [False, True, False] and h.estimated
    assert h.points[1].parts == {"reviews": 50, "plan": 80}
    assert h.trend == "▲"  # the last review recorded no health: its own 100 against the 61 before


def test_history_keeps_the_last_twelve_reviews() -> None:
    revs = [rv(1 + i % 5, 3, 3, 3, D(2025, 1, 1) + dt.timedelta(days=30 * i)) for i in range(15)]
    h = health(revs, [], [], TODAY)
    assert len(h.points) == 12 and len(h.history) == 13
    assert h.history[:-1] == tuple(review_score(r) for r in revs[-12:])
    assert h.history[-1] == h.score == review_score(revs[-1])


def test_without_reviews_history_is_todays_score_and_no_trend() -> None:
    h = health([], [sh(2, contact=1)], [], TODAY)
    assert h.history == (h.score,) and h.score is not None
    assert h.trend == ""


@pytest.mark.parametrize(
    ("history", "arrow"),
    [
        ((), ""),
        ((50,), ""),
        ((50, 53), "▲"),  # +3 is up
        ((50, 52), "▶"),
        ((50, 50), "▶"),
        ((50, 48), "▶"),
        ((50, 47), "▼"),  # -3 is down
        ((10, 90, 60), "▼"),  # only the last step counts
        ((90, 10, 13), "▲"),
    ],
)
def test_trend_arrow(history: tuple[int, ...], arrow: str) -> None:
    assert Health(history[-1] if history else None, {}, history).trend == arrow


def test_trend_from_reviews() -> None:
    # Reviews that recorded no health: their own scores, like with like.
    down = health([rv(4, 4, 4, 4, D(2026, 1, 1)), rv(3, 4, 4, 4, D(2026, 2, 1))], [], [], TODAY)
    assert down.history == (75, 69, 69) and down.trend == "▼"
    steady = health([rv(4, 4, 4, 4, D(2026, 1, 1)), rv(4, 4, 4, 4, D(2026, 2, 1))], [], [], TODAY)
    assert steady.trend == "▶"
    # A review that recorded it: today's health against the recorded one.
    recorded = Review(account_id=1, date=D(2026, 2, 1), engagement=3, loyalty=4, satisfaction=4, health=4)
    recorded.health_score, recorded.health_reviews, recorded.health_plan = 77, 69, 100  # (40*69 + 15*100) / 55
    late = health([rv(4, 4, 4, 4, D(2026, 1, 1)), recorded], [], [act(ago(1))], TODAY)
    assert late.history == (75, 77, round(40 * 69 / 55)) and late.trend == "▼"  # an action went late since
    kept = health([rv(4, 4, 4, 4, D(2026, 1, 1)), recorded], [], [act(TODAY)], TODAY)
    assert kept.history == (75, 77, 77) and kept.trend == "▶"


# --------------------------------------------------------------------------- sparkline


def test_sparkline_edge_cases() -> None:
    assert sparkline([]) == ""
    assert sparkline([42]) == SPARK[3]
    assert sparkline([7, 7, 7]) == SPARK[3] * 3  # flat: the middle bar
    assert sparkline([0, 100]) == "▁█"
    assert sparkline([100, 0, 50]) == "█▁" + SPARK[4]  # 3.5 rounds to 4
    assert sparkline(list(range(8))) == SPARK


def test_sparkline_with_fixed_scale_clamps() -> None:
    assert sparkline([0, 50, 100], 0, 100) == "▁" + SPARK[4] + "█"
    assert sparkline([-20, 120], 0, 100) == "▁█"
    assert sparkline([50, 50], 0, 100) == SPARK[4] * 2  # flat values on a fixed scale stay in place
    assert sparkline([1, 2], 5, 5) == SPARK[3] * 2  # no span
