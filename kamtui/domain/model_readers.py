"""How each entity of :mod:`kamtui.domain.model` is read from a stored document at speed
(:mod:`kamtui.domain.fast_read`): each field as its ``__post_init__`` line reads it.

``tests/test_fast_read.py`` holds every reader to its constructor. Registered in
:data:`kamtui.domain.entity.READERS` when the model loads.
"""

from __future__ import annotations

from kamtui.domain import fast_read as fr
from kamtui.domain import validate as v
from kamtui.domain.entity import READERS
from kamtui.domain.formats import check_currency
from kamtui.domain.model import (
    Account,
    Action,
    Coverage,
    DecisionRole,
    FriendlinessChange,
    Horizon,
    Interaction,
    InteractionKind,
    Level,
    Objective,
    ObjectiveStatus,
    Review,
    Stakeholder,
    Tier,
    _business,
    _cadence,
    _criteria,
    _done,
    _history,
    _ids,
    _team,
    friendliness_value,
)

_ID, _TEXT, _NOTE, _DAY = fr.integer(0), fr.text(), fr.text(v.MAX_NOTE), fr.optional_date()
_IDS = fr.converted(lambda x: _ids("stakeholders", x), list)

READERS.declare(
    FriendlinessChange,
    date=fr.date(),
    value=fr.integer(-2, 2, friendliness_value),
    by=_TEXT,
    reason=_TEXT,
    was=fr.optional_int(-2, 2),
)
READERS.declare(
    Account,
    name=fr.text(required=True),
    tier=fr.enum(Tier),
    industry=_TEXT,
    owner=_TEXT,
    team=fr.converted(_team, list),
    sponsor=_TEXT,
    revenue=fr.money(),
    cost_to_serve=fr.money(),
    growth_potential=fr.enum(Level),
    criteria=fr.converted(_criteria, dict),
    business=fr.converted(_business),
    cadence=fr.Field("x = {c}({f}, x)", _cadence),
    last_review=_DAY,
    crm_id=_TEXT,
    notes=_NOTE,
    currency=fr.Field("if x.__class__ is not str or x: x = {c}({f}, x)", check_currency),
)
READERS.declare(
    Stakeholder,
    account_id=_ID,
    name=fr.text(required=True),
    title=_TEXT,
    role=fr.enum(DecisionRole),
    influence=fr.enum(Level),
    friendliness=fr.integer(-2, 2, friendliness_value),
    friendliness_history=fr.converted(_history, list),
    coverage=fr.enum(Coverage),
    last_contact=_DAY,
    contact_every_days=fr.optional_int(1, 3660),
    owner=_TEXT,
    left=fr.boolean(),
    notes=_NOTE,
)
READERS.declare(
    Objective,
    account_id=_ID,
    title=fr.text(required=True),
    horizon=fr.enum(Horizon),
    owner=_TEXT,
    due=_DAY,
    status=fr.enum(ObjectiveStatus),
    stakeholders=_IDS,
)
READERS.declare(
    Action,
    account_id=_ID,
    objective_id=_ID,
    text=fr.text(required=True),
    owner=_TEXT,
    due=_DAY,
    done=fr.boolean(),
    done_at=_DAY,
    done_by=_TEXT,
    stakeholders=_IDS,
    deferred=_ID,
    deferred_reason=_TEXT,
)
_PERCENT, _SCORE = fr.optional_int(0, 100), fr.integer(1, 5)
READERS.declare(
    Review,
    account_id=_ID,
    date=fr.date(),
    reviewer=_TEXT,
    engagement=_SCORE,
    loyalty=_SCORE,
    satisfaction=_SCORE,
    health=_SCORE,
    notes=_NOTE,
    health_score=_PERCENT,
    health_reviews=_PERCENT,
    health_relationships=_PERCENT,
    health_plan=_PERCENT,
    health_contact=_PERCENT,
    seconds=fr.optional_int(0),
    done=fr.converted(_done, list),
)
READERS.declare(
    Interaction,
    account_id=_ID,
    date=fr.date(),
    kind=fr.enum(InteractionKind),
    stakeholders=_IDS,
    summary=_NOTE,
    by=_TEXT,
)
