"""Relationship coverage: for each buying role that matters, is someone in touch with it?

The roles are the config's ``[risk] coverage_roles`` (economic buyer, decision maker,
champion and technical buyer by default). A role's holders are the people in it who have not
left; the champion's are also anyone whose attitude is champion (+2), as the risk rules count
them. Each role shows one state, about its best holder (best first):

- **covered**: someone in the role is in touch and not against us: contacted, friendliness
  neutral or better, and the weight of what we know of them (:func:`kamtui.domain.contact.weight`)
  at least ``cold_weight`` (0.5: last contact within one half-life, 40 days by default);
- **cold**: contacted and not against us, but so long ago that the weight fell below
  ``cold_weight``: what we know of them no longer counts for much;
- **never contacted**: people are mapped in the role but none has ever been contacted;
- **hostile**: everyone in the role we know is unfriendly or hostile (friendliness below neutral);
- **missing**: no one (who has not left) is mapped in the role.

Pure: stakeholders in, states and words out (names as stored: the screen cleans them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from kamtui.domain import labels
from kamtui.domain.contact import DEFAULT_RISK_RULES, RiskRules, days_since, weight
from kamtui.domain.model import DecisionRole, Stakeholder
from kamtui.i18n import _


class Cover(StrEnum):
    COVERED = "covered"
    COLD = "cold"
    NEVER = "never contacted"
    HOSTILE = "hostile"
    MISSING = "missing"

    @property
    def rank(self) -> int:
        """0 the best; the order a role's holders are chosen by."""
        return list(Cover).index(self)

    @property
    def label(self) -> str:
        """The state in the user's language (the value stays as it is: "never contacted")."""
        return labels.cover(self.value)


@dataclass(frozen=True, slots=True)
class RoleCoverage:
    role: DecisionRole
    state: Cover
    person: Stakeholder | None  # the holder the state is about (None: missing)
    days: int | None  # that person's days since last contact (None: never)
    holders: int  # how many current people hold the role

    @property
    def ok(self) -> bool:
        return self.state is Cover.COVERED

    def why(self) -> str:
        """The state's reason in a few words: "Ana Ruiz, friendly, 12d ago"."""
        s = self.person
        if s is None:
            return _("no one mapped in the role")
        attitude = labels.friendliness(s.friendliness)
        more = f" +{self.holders - 1}" if self.holders > 1 else ""
        if self.state is Cover.NEVER:
            return _("{name}, never contacted").format(name=f"{s.name}{more}")
        return _("{name}, {attitude}, {days}d ago").format(name=f"{s.name}{more}", attitude=attitude, days=self.days)

    def words(self) -> str:
        """ "economic buyer: covered (Ana Ruiz, friendly, 12d ago)"."""
        return _("{role}: {state} ({why})").format(role=self.role.label, state=self.state.label, why=self.why())


def _champion(role: DecisionRole, s: Stakeholder) -> bool:
    return role is DecisionRole.CHAMPION and s.friendliness >= 2


def person_cover(s: Stakeholder, today: dt.date, rules: RiskRules = DEFAULT_RISK_RULES) -> Cover:
    """The state one (current) person gives their role."""
    if s.friendliness < 0:
        return Cover.HOSTILE
    if s.last_contact is None:
        return Cover.NEVER
    return Cover.COVERED if weight(s.last_contact, today, rules) >= rules.cold_weight else Cover.COLD


def role_coverage(
    role: DecisionRole, stakeholders: Sequence[Stakeholder], today: dt.date, rules: RiskRules = DEFAULT_RISK_RULES
) -> RoleCoverage:
    """The role's state: its best current holder's (most recent contact, then friendliest, breaks ties)."""
    holders = [s for s in stakeholders if not s.left and (s.role is role or _champion(role, s))]
    if not holders:
        return RoleCoverage(role, Cover.MISSING, None, None, 0)

    def key(s: Stakeholder) -> tuple[int, int, int]:
        since = days_since(s.last_contact, today)
        return (person_cover(s, today, rules).rank, 10**6 if since is None else since, -s.friendliness)

    best = min(holders, key=key)
    return RoleCoverage(
        role, person_cover(best, today, rules), best, days_since(best.last_contact, today), len(holders)
    )


def coverage(
    stakeholders: Sequence[Stakeholder], today: dt.date, rules: RiskRules = DEFAULT_RISK_RULES
) -> list[RoleCoverage]:
    """Every role of ``rules.coverage_roles``, in that order."""
    return [role_coverage(role, stakeholders, today, rules) for role in rules.coverage_roles]


def coverage_summary(cov: Sequence[RoleCoverage]) -> str:
    """ "3/4 roles covered"."""
    return _("{covered}/{n} roles covered").format(covered=sum(1 for c in cov if c.ok), n=len(cov))
