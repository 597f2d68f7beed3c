"""Account health: 0-100, a weighted blend of four measures, with a trend and a history.

| measure        | weight | 100 means                                                   |
|----------------|--------|-------------------------------------------------------------|
| reviews        | 40     | latest review scored 5 on engagement, loyalty, satisfaction, health |
| relationships  | 30     | key players friendly; no red relationship risk              |
| plan           | 15     | no overdue plan action                                      |
| contact        | 15     | every current stakeholder contacted within their cadence (or 60 days) |

A measure without data (no reviews, no stakeholders, no actions) drops out and its weight is
shared by the others; an account with no data at all has no health (None).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kamtui.domain.model import Action, DecisionRole, Level, Review, Stakeholder

WEIGHTS = {"reviews": 40, "relationships": 30, "plan": 15, "contact": 15}
DEFAULT_CONTACT_DAYS = 60
_INFLUENCE_WEIGHT = {Level.LOW: 1.0, Level.MEDIUM: 2.0, Level.HIGH: 3.0}
_CHAMPION_ROLES = (DecisionRole.CHAMPION, DecisionRole.COACH)
SPARK = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True, slots=True)
class Health:
    score: int | None
    parts: dict[str, int]
    history: tuple[int, ...]  # one score per review, oldest first, ending with today's

    @property
    def trend(self) -> str:
        if len(self.history) < 2:
            return ""
        delta = self.history[-1] - self.history[-2]
        return "▲" if delta >= 3 else "▼" if delta <= -3 else "▶"


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


def _blend(parts: dict[str, int]) -> int | None:
    if not parts:
        return None
    weight = sum(WEIGHTS[k] for k in parts)
    return round(sum(WEIGHTS[k] * v for k, v in parts.items()) / weight)


def health(
    reviews: Sequence[Review], stakeholders: Sequence[Stakeholder], actions: Sequence[Action], today: dt.date
) -> Health:
    """``reviews`` oldest first."""
    others: dict[str, int] = {}
    for name, value in (
        ("relationships", relationship_score(stakeholders)),
        ("plan", plan_score(actions, today)),
        ("contact", contact_score(stakeholders, today)),
    ):
        if value is not None:
            others[name] = value
    parts = dict(others)
    if reviews:
        parts["reviews"] = review_score(reviews[-1])
    score = _blend(parts)
    history: list[int] = []
    for r in reviews[-12:]:
        h = _blend({**others, "reviews": review_score(r)})
        if h is not None:
            history.append(h)
    if not reviews and score is not None:
        history.append(score)
    return Health(score, parts, tuple(history))


def sparkline(values: Sequence[float], lo: float | None = None, hi: float | None = None) -> str:
    if not values:
        return ""
    lo = min(values) if lo is None else lo
    hi = max(values) if hi is None else hi
    span = hi - lo
    if span <= 0:
        return SPARK[3] * len(values)
    return "".join(SPARK[min(7, max(0, round((v - lo) / span * 7)))] for v in values)
