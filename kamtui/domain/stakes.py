"""Order by what is at stake: Today's groups, ``kamtui due`` and the guided review rank each item
by how urgent it is weighted by what its account is worth.

    score   = urgency x stake
    urgency = 1 + late / 7            when due or late (due today: 1, 3 weeks late: 4)
              7 / (7 + days ahead)    when still ahead (within ``kamtui due --days``)
    late    = the item's days late, but at least
              stakes_never_contacted_days  for a person never contacted (counts as very late),
              stakes_undated_red_days      for a red item with no date (a risk alert, a plan flag)
    stake   = tier weight x (1 + log2(1 + money / stakes_money_unit)) x (stakes_red_factor if red)
    money   = the account's revenue + its weighted open pipeline (value x probability)
    tier weight: stakes_tier_key, stakes_tier_candidate, stakes_tier_regular
    red     = the account's relationship map is red (kamtui.domain.risk.relationship_status)

With the defaults a 1.9M key account with a red map 3 weeks late scores 4 x 2 x 5.3 x 1.5 = 64;
a 300k candidate 7 weeks late 8 x 1 x 3 = 24. Ties keep the older order: most severe, then most
late, then the account's name. Each item carries the words of its rank:
"ranked: 1.9M key, map red, 3w late". The weights are :class:`~kamtui.domain.queue.Thresholds`
fields, so the config's [thresholds] table sets them.

Pure: items and each account's :class:`Stake` in, ordered items out.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kamtui.domain.cadence import in_words
from kamtui.domain.labels import tier as tier_label
from kamtui.domain.queue import DEFAULT_THRESHOLDS, KIND_ORDER, QueueItem, Thresholds
from kamtui.domain.text import money
from kamtui.i18n import _

SORTS = ("stakes", "late", "name")  # `kamtui due --sort`; stakes is the default and Today's order
WEEK = 7


@dataclass(frozen=True, slots=True)
class Stake:
    """What an account puts at stake."""

    revenue: float = 0.0
    pipeline: float = 0.0  # weighted open pipeline
    tier: str = "regular"
    red: str = ""  # why it counts as red, in words ("map red"), or ""

    @property
    def money(self) -> float:
        return max(0.0, self.revenue) + max(0.0, self.pipeline)


NO_STAKE = Stake()


def tier_weight(tier: str, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> float:
    weights = {
        "key": thresholds.stakes_tier_key,
        "candidate": thresholds.stakes_tier_candidate,
        "regular": thresholds.stakes_tier_regular,
    }
    return weights.get(tier, thresholds.stakes_tier_regular)


def stake_weight(stake: Stake, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> float:
    """tier weight x (1 + log2(1 + money / unit)) x (red factor when red)."""
    weight = tier_weight(stake.tier, thresholds) * (1 + math.log2(1 + stake.money / thresholds.stakes_money_unit))
    return weight * thresholds.stakes_red_factor if stake.red else weight


def late_days(item: QueueItem, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> int:
    """How many days late the item counts as (negative: still ahead)."""
    late = item.days_late
    if item.never_contacted:
        late = max(late, thresholds.stakes_never_contacted_days)
    if item.due is None and item.severity >= 2:
        late = max(late, thresholds.stakes_undated_red_days)
    return late


def urgency(late: int) -> float:
    """1 when due today, one more per week late; below 1 (halving a week ahead) when ahead."""
    return 1 + late / WEEK if late >= 0 else WEEK / (WEEK - late)


def score(item: QueueItem, stake: Stake, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> float:
    return urgency(late_days(item, thresholds)) * stake_weight(stake, thresholds)


def _when_words() -> tuple[str, str, str, str, str]:
    """The words of :func:`when_words`, looked up once per ranking (not per item)."""
    return _("never contacted"), _("red"), _("no date"), _("due today"), _("due tomorrow")


def when_words(item: QueueItem, today: dt.date, words: tuple[str, str, str, str, str] | None = None) -> str:
    never, red, no_date, due_today, due_tomorrow = words or _when_words()
    if item.never_contacted:
        return never
    if item.due is None:
        return red if item.severity >= 2 else no_date
    ahead = (item.due - today).days
    return due_today if ahead == 0 else due_tomorrow if ahead == 1 else in_words(item.due, today)


def value_words(stake: Stake) -> str:
    """ "1.9M key, map red": what the account puts at stake."""
    tier = tier_label(stake.tier)
    value = f"{money(stake.money)} {tier}" if stake.money > 0 else tier
    return f"{value}, {_(stake.red)}" if stake.red else value  # red: English, marked (kamtui.store.ranking)


def rank_words(item: QueueItem, stake: Stake, today: dt.date) -> str:
    """Why the item ranks where it does: "1.9M key, map red, 3w late"."""
    return f"{value_words(stake)}, {when_words(item, today)}"


def rank_keyed(
    items: Iterable[QueueItem],
    stakes: Mapping[int, Stake],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    sort: str = "stakes",
) -> list[tuple[tuple[object, ...], QueueItem]]:
    """Each item with its rank's words, beside the key :func:`rank` sorts it by (not sorted: a
    caller keeping them between changes sorts them with others'). The key groups by kind
    (Today's order of groups), then orders by ``sort``: ``stakes`` (the score above), ``late``
    (most severe, then most late) or ``name`` (the account's name); ties most severe, then most
    late, then by account name. An account missing from ``stakes`` counts as a regular account
    worth nothing."""
    if sort not in SORTS:
        raise ValueError(
            _("unknown sort {sort}; expected one of: {sorts}").format(sort=repr(sort), sorts=", ".join(SORTS))
        )
    per_account: dict[int, tuple[str, float]] = {}  # value words and stake weight, once per account
    keyed: list[tuple[tuple[object, ...], QueueItem]] = []
    last = len(KIND_ORDER)
    when = _when_words()
    for it in items:
        known = per_account.get(it.account_id)
        if known is None:
            stake = stakes.get(it.account_id, NO_STAKE)
            known = per_account[it.account_id] = (value_words(stake), stake_weight(stake, thresholds))
        words, weight = known
        ranked = it.with_ranked(f"{words}, {when_words(it, today, when)}")
        group, name = KIND_ORDER.get(it.kind, last), it.account.lower()
        if sort == "stakes":
            key: tuple[object, ...] = (
                group,
                -urgency(late_days(it, thresholds)) * weight,
                -it.severity,
                -it.days_late,
                name,
            )
        elif sort == "late":
            key = (group, -it.severity, -it.days_late, name)
        else:
            key = (group, name, -it.severity, -it.days_late)
        keyed.append((key, ranked))
    return keyed


def rank(
    items: Iterable[QueueItem],
    stakes: Mapping[int, Stake],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    sort: str = "stakes",
) -> list[QueueItem]:
    """The items grouped by kind (Today's order of groups), each group ordered by ``sort``
    (see :func:`rank_keyed`), each carrying its rank's words."""
    return in_rank_order(rank_keyed(items, stakes, today, thresholds, sort))


def in_rank_order(keyed: list[tuple[tuple[object, ...], QueueItem]]) -> list[QueueItem]:
    """The items of :func:`rank_keyed` pairs sorted by their keys (stable: equal keys keep the
    order the pairs came in)."""
    keyed.sort(key=lambda pair: pair[0])
    return [it for _key, it in keyed]
