"""Stakeholders for the risk, coverage and decay tests: one builder, days counted back from TODAY."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from kamtui.domain.model import Coverage, DecisionRole, FriendlinessChange, Level, Stakeholder

TODAY = dt.date(2026, 6, 15)
Role = DecisionRole


def ago(days: int) -> dt.date:
    return TODAY - dt.timedelta(days=days)


def sh(
    sid: int,
    name: str = "",
    *,
    role: DecisionRole = Role.USER,
    influence: Level = Level.MEDIUM,
    friendliness: int = 0,
    coverage: Coverage = Coverage.NONE,
    contact: int | None = 1,  # days ago; None: never contacted
    every: int | None = None,
    left: bool = False,
    history: Sequence[tuple[int, int, str]] = (),  # (days ago, friendliness, why)
) -> Stakeholder:
    return Stakeholder(
        account_id=1,
        name=name or f"S{sid}",
        role=role,
        influence=influence,
        friendliness=friendliness,
        friendliness_history=[FriendlinessChange(ago(d), v, "ana", why) for d, v, why in history],
        coverage=coverage,
        last_contact=None if contact is None else ago(contact),
        contact_every_days=every,
        left=left,
        id=sid,
    )
