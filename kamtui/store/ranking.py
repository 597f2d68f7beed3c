"""What each account of a queue puts at stake, read from the store for
:func:`kamtui.domain.stakes.rank` (Today, ``kamtui due`` and the guided review share it).

``kamtui due`` ranks thousands of accounts, so the few fields the stake needs are read from the
stored documents when they hold the stored spelling (what the validators keep as it is); an
account with anything unusual in them is read as entities instead. The two readings differ only
on documents the model refuses (``kamtui check`` reports them).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from kamtui.domain.deals import STAGE_PROBABILITY, Opportunity, Stage
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import KEY_ROLES, Account, DecisionRole, Level, Stakeholder, Tier
from kamtui.domain.queue import QueueItem
from kamtui.domain.risk import relationship_status
from kamtui.domain.stakes import Stake
from kamtui.i18n import N_

# Why an account counts as red, as Stake.red keeps it (in English: a preview cache may keep it);
# translated where it is shown.
MAP_RED = N_("map red")

if TYPE_CHECKING:
    from kamtui.store.portfolio import Portfolio

_TIERS = frozenset(t.value for t in Tier)
_STAGES = {s.value: s for s in Stage}
_ROLES = frozenset(r.value for r in DecisionRole)
_KEY_ROLES = frozenset(r.value for r in KEY_ROLES)
_LEVELS = frozenset(level.value for level in Level)
# The defaults and the one value compared, as plain strings (an enum's .value is a descriptor call).
_OPEN, _REGULAR, _INFLUENCER = Stage.OPEN.value, Tier.REGULAR.value, DecisionRole.INFLUENCER.value
_MEDIUM, _HIGH = Level.MEDIUM.value, Level.HIGH.value


class _Unusual(Exception):
    """A stored value the validators would convert or refuse: read the entity instead."""


def _amount(value: Any) -> float:
    if value is None:
        return 0.0
    if type(value) is float and math.isfinite(value) and value >= 0:
        return value
    if type(value) is int and value >= 0:
        try:
            return float(value)
        except OverflowError:  # beyond any float: the model refuses it too
            raise _Unusual from None
    raise _Unusual


def _account(doc: Mapping[str, Any]) -> tuple[float, str]:
    tier = doc.get("tier", _REGULAR)
    if not isinstance(tier, str) or tier not in _TIERS:
        raise _Unusual
    return _amount(doc.get("revenue")), tier


def _weighted(doc: Mapping[str, Any]) -> float:
    """An opportunity's weighted value when open (value x chance), else 0: Opportunity.weighted."""
    stored = doc.get("stage", _OPEN)
    stage = _STAGES.get(stored) if isinstance(stored, str) else None
    probability = doc.get("probability")
    if stage is None or not (probability is None or (type(probability) is int and 0 <= probability <= 100)):
        raise _Unusual
    if not stage.is_open:
        return 0.0
    chance = STAGE_PROBABILITY[stage] if probability is None else probability
    return _amount(doc.get("value")) * chance / 100


def _map_red(docs: Iterable[Mapping[str, Any]]) -> bool:
    """relationship_status(...) == "red" on stored documents: no active key player on our side."""
    for d in docs:
        left, role = d.get("left", False), d.get("role", _INFLUENCER)
        influence, friendliness = d.get("influence", _MEDIUM), d.get("friendliness", 0)
        if type(left) is not bool or not isinstance(role, str) or not isinstance(influence, str):
            raise _Unusual  # (a list is no set member: it would raise, not answer)
        if role not in _ROLES or influence not in _LEVELS:
            raise _Unusual
        if type(friendliness) is not int or not -2 <= friendliness <= 2:
            raise _Unusual
        if not left and (influence == _HIGH or role in _KEY_ROLES) and friendliness > 0:
            return False
    return True


def _entity_weighted(oid: int, doc: Mapping[str, Any]) -> float | None:
    """An opportunity's weighted value as its entity gives it (None: the model refuses it)."""
    try:
        o = Opportunity.from_doc(doc, oid)
    except (ValidationError, TypeError):
        return None  # `kamtui check` reports it
    return o.weighted if o.is_open else 0.0


def _stake_of_entities(portfolio: Portfolio, aid: int, doc: dict[str, Any]) -> Stake | None:
    store = portfolio.store
    try:
        account = portfolio.entity(Account, aid, doc)
    except (ValidationError, TypeError):
        return None
    if account is None:
        return None
    if store.pipelines is not None:  # both readings agree on every opportunity (see pipelines())
        pipeline = store.pipelines.get(aid, 0.0)
    else:  # summed by sum() as the others are (Python 3.12's sum() compensates, += does not)
        values = (_entity_weighted(oid, d) for oid, d in store.children("opportunities", aid))
        pipeline = sum((w for w in values if w is not None), 0.0)
    try:
        people: list[Stakeholder] = portfolio.stakeholders(aid)
    except (ValidationError, TypeError):
        people = []  # a broken stakeholder: the map is not judged (`kamtui check` reports it)
    red = MAP_RED if people and relationship_status(people) == "red" else ""
    return Stake(account.revenue, pipeline, account.tier.value, red)


def account_stakes(portfolio: Portfolio, items: Iterable[QueueItem]) -> dict[int, Stake]:
    """The stake of every account the items name (read once per account). Red: the account's
    relationship map is red (it has people and no active key player on their side). What an
    account puts at stake depends on the account alone, so every queue ranks it the same."""
    store = portfolio.store
    known = store.pipelines  # the snapshot's summary, when the view read it instead of the table
    stakes: dict[int, Stake] = {}
    for aid in dict.fromkeys(it.account_id for it in items):
        doc = store.get("accounts", aid)
        if doc is None:
            continue
        try:
            revenue, tier = _account(doc)
            if known is not None:
                pipeline = known.get(aid, 0)
            else:
                pipeline = sum(_weighted(d) for _, d in store.children("opportunities", aid))
            people = [d for _, d in store.children("stakeholders", aid)]
            red = MAP_RED if people and _map_red(people) else ""
            stakes[aid] = Stake(revenue, pipeline, tier, red)
        except _Unusual:
            stake = _stake_of_entities(portfolio, aid, doc)
            if stake is not None:
                stakes[aid] = stake  # else: a broken account ranks as worth nothing
    return stakes


def pipelines(opportunities: Mapping[str, Any]) -> dict[str, float] | None:
    """Each account's weighted open pipeline (the stake's), by account id as text, from a table of
    stored opportunities: what a compaction keeps in the snapshot's ``_meta`` so that ``kamtui
    due`` and the preview need not parse the table (~27,000 documents at 10,000 accounts).

    Summed as :func:`account_stakes` sums them (by id within an account, the same floats), and
    only when both of its readings agree on every document: None if any is unusual (an
    account_id that is not a whole number, a value the validators would convert) or refused."""
    by_account: dict[int, list[tuple[int, Mapping[str, Any]]]] = {}
    for key, doc in opportunities.items():
        aid = doc.get("account_id") if isinstance(doc, Mapping) else None
        if type(aid) is not int or not (key.isascii() and key.isdigit()):
            return None
        by_account.setdefault(aid, []).append((int(key), doc))
    out: dict[str, float] = {}
    try:
        for aid, pairs in by_account.items():
            pairs.sort(key=lambda pair: pair[0])
            values = [_weighted(doc) for _, doc in pairs]
            if any(_entity_weighted(oid, doc) != value for (oid, doc), value in zip(pairs, values, strict=True)):
                return None
            total = sum(values)
            if not math.isfinite(total):  # JSON cannot hold it (values near the float limit)
                return None
            out[str(aid)] = total
    except _Unusual:
        return None
    return out
