"""Account health: 0-100, a weighted blend of four measures, recorded at each review, with a
trend and what moved since the last review.

| measure        | weight | 100 means                                                   |
|----------------|--------|-------------------------------------------------------------|
| reviews        | 40     | latest review scored 5 on engagement, loyalty, satisfaction, health |
| relationships  | 30     | key players friendly; no red relationship risk              |
| plan           | 15     | no overdue plan action                                      |
| contact        | 15     | every current stakeholder contacted within their cadence (or 60 days) |

A measure without data (no reviews, no stakeholders, no actions) drops out and its weight is
shared by the others; an account with no data at all has no health (None).

Health is *recorded, never recomputed*: recording a review stores the score and its parts as
they were that day (:func:`recorded_health`, kept in ``Review.health_score`` and
``Review.health_parts``). The history is those stored points (a review recorded before kamtui
kept them stands in with its own scores, :func:`review_score`, marked ``recorded=False``), then
today's score; nothing done today changes a past point. :func:`trend` is the one rule for every
arrow (health and each 1-5 review measure); :func:`since_review` says, in words, what moved
between the last recorded review and today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kamtui.domain.formats import day_month
from kamtui.domain.model import (
    FRIENDLINESS_LABELS,
    HEALTH_PARTS,
    Action,
    DecisionRole,
    Level,
    Review,
    Stakeholder,
)
from kamtui.domain.text import clean
from kamtui.i18n import _, pgettext

WEIGHTS = {"reviews": 40, "relationships": 30, "plan": 15, "contact": 15}
assert tuple(WEIGHTS) == HEALTH_PARTS
DEFAULT_CONTACT_DAYS = 60
DEFAULT_TREND_POINTS = 3.0  # config: [thresholds] health_trend_points
HISTORY_LENGTH = 12  # reviews in the history and the sparklines
_INFLUENCE_WEIGHT = {Level.LOW: 1.0, Level.MEDIUM: 2.0, Level.HIGH: 3.0}
_CHAMPION_ROLES = (DecisionRole.CHAMPION, DecisionRole.COACH)
SPARK = "▁▂▃▄▅▆▇█"
UP, DOWN, LEVEL = "▲", "▼", "▶"


def trend(values: Sequence[float], lo: float = 0, hi: float = 100, points: float = DEFAULT_TREND_POINTS) -> str:
    """The one trend rule, for health (0-100) and for each 1-5 review measure: the last value
    against the one before it, on its scale ``lo``-``hi`` stretched to 0-100. Up (▲) by at
    least ``points``, down (▼) by at least ``points``, else level (▶); "" with fewer than two
    values. On a 1-5 scale one step is 25 points, so any change of a measure shows."""
    if len(values) < 2:
        return ""
    span = hi - lo
    delta = (values[-1] - values[-2]) / span * 100 if span > 0 else 0.0
    return UP if delta >= points else DOWN if delta <= -points else LEVEL


@dataclass(frozen=True, slots=True)
class HealthPoint:
    """One past point of the history: the health recorded with a review, or (``recorded`` False,
    a review from before kamtui kept it) the review's own scores as 0-100."""

    date: dt.date
    score: int
    recorded: bool
    parts: Mapping[str, int]


def point_of(r: Review) -> HealthPoint:
    if r.health_score is not None:
        return HealthPoint(r.date, r.health_score, True, dict(r.health_parts))
    return HealthPoint(r.date, review_score(r), False, {})


@dataclass(frozen=True, slots=True)
class Health:
    score: int | None  # today's
    parts: dict[str, int]  # today's
    history: tuple[int, ...]  # the past points' scores, oldest first, then today's score
    points: tuple[HealthPoint, ...] = ()  # the past points: one per review, the last twelve
    trend_points: float = DEFAULT_TREND_POINTS

    @property
    def trend(self) -> str:
        """Today's score against the one recorded at the last review (:func:`trend`). When that
        review recorded none (from before kamtui kept it), like is compared with like: the last
        two reviews' own scores."""
        last = self.last
        if last is not None and not last.recorded:
            return trend([p.score for p in self.points], 0, 100, self.trend_points)
        return trend(self.history, 0, 100, self.trend_points)

    @property
    def last(self) -> HealthPoint | None:
        return self.points[-1] if self.points else None

    @property
    def estimated(self) -> bool:
        """Some past point is a review's own scores, not a recorded health."""
        return any(not p.recorded for p in self.points)


def review_score(r: Review) -> int:
    return round((r.engagement + r.loyalty + r.satisfaction + r.health - 4) / 16 * 100)


def relationship_score(stakeholders: Sequence[Stakeholder]) -> int | None:
    active = [s for s in stakeholders if not s.left]
    if not active:
        return None
    total = sum(_INFLUENCE_WEIGHT[s.influence] for s in active)
    mean = sum(_INFLUENCE_WEIGHT[s.influence] * s.friendliness for s in active) / total  # -2..2
    score = (mean + 2) / 4 * 100
    # The same "champion" as the champion_left risk: by role (champion, coach) or by attitude.
    if any(s.left and (s.role in _CHAMPION_ROLES or s.friendliness >= 2) for s in stakeholders):
        score -= 10
    return max(0, min(100, round(score)))


def plan_score(actions: Sequence[Action], today: dt.date) -> int | None:
    open_or_due = [a for a in actions if a.due is not None and (not a.done or a.due <= today)]
    if not open_or_due:
        return None
    overdue = sum(1 for a in open_or_due if a.is_overdue(today))
    return round(100 * (1 - overdue / len(open_or_due)))


def contact_score(stakeholders: Sequence[Stakeholder], today: dt.date) -> int | None:
    active = [s for s in stakeholders if not s.left]
    if not active:
        return None
    ok = 0
    for s in active:
        every = s.contact_every_days or DEFAULT_CONTACT_DAYS
        if s.last_contact is not None and (today - s.last_contact).days <= every:
            ok += 1
    return round(100 * ok / len(active))


def blend(parts: Mapping[str, int]) -> int | None:
    if not parts:
        return None
    weight = sum(WEIGHTS[k] for k in parts)
    return round(sum(WEIGHTS[k] * v for k, v in parts.items()) / weight)


def health_parts(
    review: Review | None, stakeholders: Sequence[Stakeholder], actions: Sequence[Action], day: dt.date
) -> dict[str, int]:
    """The measures that have data on ``day``, ``review`` (the latest) giving the reviews part."""
    parts: dict[str, int] = {}
    for name, value in (
        ("reviews", review_score(review) if review is not None else None),
        ("relationships", relationship_score(stakeholders)),
        ("plan", plan_score(actions, day)),
        ("contact", contact_score(stakeholders, day)),
    ):
        if value is not None:
            parts[name] = value
    return parts


def recorded_health(
    review: Review, stakeholders: Sequence[Stakeholder], actions: Sequence[Action]
) -> tuple[int | None, dict[str, int]]:
    """The health and its parts to store with ``review``: the account as it is when the review
    is recorded, the plan and contact measured on the review's date."""
    parts = health_parts(review, stakeholders, actions, review.date)
    return blend(parts), parts


def health(
    reviews: Sequence[Review],
    stakeholders: Sequence[Stakeholder],
    actions: Sequence[Action],
    today: dt.date,
    trend_points: float = DEFAULT_TREND_POINTS,
) -> Health:
    """Today's health and the stored history; ``reviews`` oldest first."""
    parts = health_parts(reviews[-1] if reviews else None, stakeholders, actions, today)
    score = blend(parts)
    points = tuple(point_of(r) for r in reviews[-HISTORY_LENGTH:])
    history = tuple(p.score for p in points) + (() if score is None else (score,))
    return Health(score, parts, history, points, trend_points)


# ------------------------------------------------------------ since the last review
def day_words(day: dt.date, today: dt.date) -> str:
    """``3 Nov``; ``3 Nov 2025`` in another year than today's."""
    return day_month(day, today)  # "3 nov" in Spanish (kamtui.domain.formats)


def attitude_changes(stakeholders: Sequence[Stakeholder], since: dt.date) -> tuple[str, ...]:
    """``Rosa Díaz turned unfriendly``: who is now of another attitude than before ``since``
    (their dated attitude history; a change on that very day counts, and a change undone since
    does not). Names are cleaned for display."""
    said: list[str] = []
    for s in stakeholders:
        history = s.friendliness_history
        first = next((i for i, h in enumerate(history) if h.date >= since), None)
        if first is None:
            continue
        before = history[first - 1].value if first > 0 else None
        if before == s.friendliness:
            continue
        said.append(
            _("{name} turned {attitude}").format(name=clean(s.name), attitude=_(FRIENDLINESS_LABELS[s.friendliness]))
        )
    return tuple(said)


@dataclass(frozen=True, slots=True)
class SinceReview:
    """Today's health against the last review's recorded one, part by part."""

    score: int  # today's
    before: HealthPoint  # the last review's
    arrow: str
    moves: tuple[tuple[str, int], ...]  # (part, change in points), the biggest first
    turned: tuple[str, ...]  # who changed attitude since, said when relationships moved
    today: dt.date

    def head(self) -> str:
        """``▼ from 70 at the review of 3 Nov``; when that review recorded no health: ``▼ by the
        reviews' own scores (the review of 3 Nov recorded no health)``."""
        when = day_words(self.before.date, self.today)
        if not self.before.recorded:
            if self.arrow:
                return _("{arrow} by the reviews' own scores (the review of {when} recorded no health)").format(
                    arrow=self.arrow, when=when
                )
            return _("(the review of {when} recorded no health)").format(when=when)
        if self.score == self.before.score:
            return _("{arrow} as at the review of {when}").format(arrow=self.arrow, when=when)
        return _("{arrow} from {score} at the review of {when}").format(
            arrow=self.arrow, score=self.before.score, when=when
        )

    def short(self) -> str:
        """``from 70``: for the header, after the score and its arrow; "" when not recorded."""
        if not self.before.recorded:
            return ""
        if self.score == self.before.score:
            return _("as at the review")
        return _("from {score}").format(score=self.before.score)

    def tail(self) -> str:
        """``since 3 Nov: plan +15, relationships -8: Rosa turned unfriendly`` (the header's end),
        ``trend from the reviews' own scores`` when the review recorded no health."""
        if not self.before.recorded:
            return _("trend from the reviews' own scores") if self.arrow else ""
        moved = self.moved()
        if not moved:
            return ""
        return _("since {day}: {moved}").format(day=day_words(self.before.date, self.today), moved=moved)

    def moved(self) -> str:
        """``plan +15, relationships -8: Rosa turned unfriendly``; "" when no part moved."""
        words = [f"{part_label(part)} {delta:+d}" for part, delta in self.moves if part != "relationships"]
        rel = dict(self.moves).get("relationships")
        if rel is not None:
            said = f"{part_label('relationships')} {rel:+d}"
            words.append(said + (": " + ", ".join(self.turned) if self.turned else ""))
        return ", ".join(words)

    def words(self) -> str:
        """``health 62 (▼ from 70 at the review of 3 Nov): plan +15, relationships -8: Rosa turned unfriendly``."""
        moved = self.moved()
        head = _("health {score} ({how})").format(score=self.score, how=self.head())
        return head + (f": {moved}" if moved else "")


def part_label(part: str) -> str:
    """A part of the health score (a key of WEIGHTS) in the user's language."""
    if part == "reviews":
        return pgettext("health part", "reviews")
    if part == "relationships":
        return pgettext("health part", "relationships")
    if part == "plan":
        return pgettext("health part", "plan")
    if part == "contact":
        return pgettext("health part", "contact")
    return part


def since_review(h: Health, stakeholders: Sequence[Stakeholder], today: dt.date) -> SinceReview | None:
    """What moved between the last review's recorded health and today's (None without a review
    or without a health today). Parts are compared only when the review recorded them."""
    last = h.last
    if last is None or h.score is None:
        return None
    moves = sorted(
        ((k, h.parts[k] - v) for k, v in last.parts.items() if k in h.parts and h.parts[k] != v),
        key=lambda m: (-abs(m[1]), HEALTH_PARTS.index(m[0])),
    )
    turned = attitude_changes(stakeholders, last.date) if any(k == "relationships" for k, _delta in moves) else ()
    return SinceReview(h.score, last, h.trend, tuple(moves), turned, today)


def sparkline(values: Sequence[float], lo: float | None = None, hi: float | None = None) -> str:
    if not values:
        return ""
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    span = hi - lo
    if span <= 0:
        return SPARK[3] * len(values)
    return "".join(SPARK[min(7, max(0, round((v - lo) / span * 7)))] for v in values)
