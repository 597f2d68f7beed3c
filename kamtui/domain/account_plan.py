"""One account and everything its plan shows: what the exports and the meeting brief are made
of (built from a portfolio by :func:`kamtui.store.portfolio.account_plan`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from kamtui.domain.deals import Kpi, Opportunity
from kamtui.domain.health import Health
from kamtui.domain.model import Account, Action, Interaction, Objective, Review, Stakeholder


@dataclass(frozen=True, slots=True)
class AccountPlan:
    """``reviews`` oldest first; ``interactions`` (newest first) only when asked for (the
    meeting brief's last contact and topic); ``health`` when computed."""

    account: Account
    stakeholders: Sequence[Stakeholder] = ()
    objectives: Sequence[Objective] = ()
    actions: Sequence[Action] = ()
    reviews: Sequence[Review] = ()
    opportunities: Sequence[Opportunity] = ()
    kpis: Sequence[Kpi] = ()
    interactions: Sequence[Interaction] = ()
    health: Health | None = None

    @property
    def id(self) -> int:
        return self.account.id or 0
