"""Choosing key accounts: Pareto on revenue, RFM on buying behaviour, a weighted criteria score,
promotion candidates and key accounts to re-check. Nothing here demotes anyone: it flags.

Works on light per-customer facts (:class:`Customer`) so that 50,000 customers rank in well
under a second.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kamtui.domain.criteria import CRITERIA as CRITERIA
from kamtui.domain.criteria import criterion_key as criterion_key
from kamtui.domain.criteria import unknown_criteria as unknown_criteria
from kamtui.domain.errors import ValidationError
from kamtui.i18n import _

DEFAULT_WEIGHTS: dict[str, int] = {
    "revenue_potential": 30,
    "growth": 25,
    "solvency": 15,
    "relationships": 15,
    "strategic_value": 15,
}
KEY_THRESHOLD = 70  # criteria score at or above which a customer deserves key-account treatment
PARETO_SHARE = 0.8
LOW_RETURN_RATIO = 3.0  # revenue / cost to serve below this: a key account to re-check
_GROWTH_SCORE = {"low": 2, "medium": 3, "high": 5}


@dataclass(slots=True)
class Customer:
    id: int
    name: str
    tier: str
    owner: str
    revenue: float
    cost_to_serve: float = 0.0
    growth: str = "medium"
    criteria: dict[str, int] = field(default_factory=dict)
    last_activity: dt.date | None = None  # latest interaction or won deal
    frequency: int = 0  # interactions and won deals in the last 365 days
    monetary: float = 0.0  # value of deals won in the last 365 days


@dataclass(slots=True)
class Ranked:
    customer: Customer
    rank: int  # 1 = largest revenue
    share: float  # of total revenue
    cumulative: float  # cumulative share up to and including this customer
    in_pareto: bool  # inside the top 80% of revenue
    r: int = 0
    f: int = 0
    m: int = 0
    segment: str = ""
    score: int = 0  # weighted criteria score 0-100
    flags: list[str] = field(default_factory=list)


def validate_weights(weights: Mapping[str, int]) -> dict[str, int]:
    """3-5 known criteria with whole, non-negative weights that add up to more than zero."""
    out: dict[str, int] = {}
    for name, weight in weights.items():
        if name not in CRITERIA:
            raise ValidationError(
                "weights",
                _("unknown criterion {name}; known: {known}").format(name=repr(name), known=", ".join(CRITERIA)),
            )
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0 or weight > 100:
            raise ValidationError(
                f"weights.{name}", _("must be a whole number 0-100, not {value}").format(value=repr(weight))
            )
        if weight:
            out[name] = weight
    if not 3 <= len(out) <= 5:
        raise ValidationError("weights", _("pick 3 to 5 criteria with a weight above 0 (got {n})").format(n=len(out)))
    return out


def _quintiles(values: Sequence[float], higher_is_better: bool = True) -> list[int]:
    """Score 1-5 by rank (ties share the lower rank), 5 = best."""
    n = len(values)
    if n == 0:
        return []
    order = sorted(range(n), key=lambda i: values[i])
    scores = [0] * n
    i = 0
    while i < n:
        j = i
        while j + 1 < n and values[order[j + 1]] == values[order[i]]:
            j += 1
        q = 1 + (i * 5) // n
        for k in range(i, j + 1):
            scores[order[k]] = q if higher_is_better else 6 - q
        i = j + 1
    return scores


def rfm_segment(r: int, f: int, m: int) -> str:
    if r >= 4 and f >= 4 and m >= 4:
        return "champion"
    if r >= 3 and f >= 4:
        return "loyal"
    if r <= 2 and (f >= 3 or m >= 3):
        return "at risk"
    if r <= 2:
        return "hibernating"
    if r >= 4 and f <= 2:
        return "new"
    return "promising"


def criteria_score(c: Customer, weights: Mapping[str, int], revenue_score: int) -> int:
    """Weighted mean of 1-5 scores as 0-100. Unscored criteria fall back to what the data says
    (revenue quintile, growth potential) or a neutral 3."""
    total = sum(weights.values())
    if total <= 0:
        return 0
    acc = 0.0
    for name, weight in weights.items():
        score = c.criteria.get(name)
        if score is None:
            if name == "revenue_potential":
                score = revenue_score
            elif name == "growth":
                score = _GROWTH_SCORE.get(c.growth, 3)
            else:
                score = 3
        acc += weight * (score - 1) / 4
    return round(100 * acc / total)


def rank(
    customers: Iterable[Customer],
    today: dt.date,
    weights: Mapping[str, int] = DEFAULT_WEIGHTS,
    key_threshold: int = KEY_THRESHOLD,
) -> list[Ranked]:
    """Every customer ranked by revenue, with cumulative share, RFM, criteria score and flags."""
    items = sorted(customers, key=lambda c: (-c.revenue, c.name.lower()))
    total = sum(max(0.0, c.revenue) for c in items)
    out: list[Ranked] = []
    running = 0.0
    for i, c in enumerate(items, 1):
        share = c.revenue / total if total > 0 else 0.0
        before = running
        running += share
        out.append(Ranked(c, i, share, running, before < PARETO_SHARE))
    recency_days = [float((today - c.last_activity).days) if c.last_activity else 1e9 for c in items]
    r_scores = _quintiles(recency_days, higher_is_better=False)
    f_scores = _quintiles([float(c.frequency) for c in items])
    m_scores = _quintiles([c.monetary for c in items])
    rev_scores = _quintiles([c.revenue for c in items])
    for k, row in enumerate(out):
        c = row.customer
        row.r, row.f, row.m = r_scores[k], f_scores[k], m_scores[k]
        if c.last_activity is None:
            row.r = 1
        if c.frequency == 0:
            row.f = 1
        if c.monetary <= 0:
            row.m = 1
        row.segment = rfm_segment(row.r, row.f, row.m)
        row.score = criteria_score(c, weights, rev_scores[k])
        row.flags = flags_for(row, key_threshold)
    return out


KEY_CADENCE = "monthly"  # a promoted account's review cadence (the README's promise)
# As the account form sets them (kamtui.domain.cadence.DEFAULT_CADENCE_BY_TIER; not imported:
# the model imports this module, and cadence imports dateutil).
_TIER_DEFAULT_CADENCE = {"candidate": "quarterly", "regular": ""}


def promoted_cadence(tier: str, cadence: str) -> str:
    """The review cadence of an account promoted to key account: monthly, unless it has a
    cadence of its own (one that is not just its former tier's default, which a candidate's
    "quarterly" is)."""
    if not cadence.strip() or cadence == _TIER_DEFAULT_CADENCE.get(tier):
        return KEY_CADENCE
    return cadence


def flags_for(row: Ranked, key_threshold: int = KEY_THRESHOLD) -> list[str]:
    """Words for the portfolio screen: promotion candidates and key accounts to re-check.

    A customer earns key-account treatment by its criteria score, by growing fast, or by its
    share of revenue (inside the 80%); a key account is re-checked for its place only when it
    has none of these left, so an account promoted for one of them is not flagged at once.
    """
    c = row.customer
    flags: list[str] = []
    strong_score = row.score >= key_threshold
    growing_fast = c.growth == "high" and row.r >= 4 and row.f >= 4
    if c.tier != "key":
        if strong_score:
            flags.append(
                _("promote? criteria score {score} >= {threshold}").format(score=row.score, threshold=key_threshold)
            )
        elif growing_fast:
            flags.append(_("promote? growing fast (high growth, recent and frequent buying)"))
        elif row.in_pareto and c.tier == "regular":
            flags.append(_("promote? inside the 80% of revenue"))
    else:
        if c.cost_to_serve > 0 and c.revenue / c.cost_to_serve < LOW_RETURN_RATIO:
            flags.append(
                _("re-check: return {ratio}x cost to serve").format(ratio=f"{c.revenue / c.cost_to_serve:.1f}")
            )
        if not (row.in_pareto or strong_score or growing_fast):
            flags.append(
                _("re-check: outside the 80% of revenue, criteria score {score} < {threshold}").format(
                    score=row.score, threshold=key_threshold
                )
            )
        if row.segment == "at risk":
            flags.append(_("re-check: buying at risk"))
        elif row.segment == "hibernating":
            flags.append(_("re-check: buying hibernating"))
    return flags
