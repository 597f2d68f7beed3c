"""What silence does to what we know of a person, and when everyone is due for a contact.

**Decay.** An attitude is known as of the last contact; the longer the silence, the less it
counts. Its weight halves every ``half_life_days`` (40 by default)::

    weight = 0.5 ** (days since last contact / half_life_days)      (never contacted: 0)

A supportive attitude counts as ``friendliness x weight`` (its *support*): a champion (+2) is
still a supporter while that is at least ``supporter_min`` (0.5), i.e. for two half-lives
(80 days), a friendly person (+1) for one (40 days). So a champion not heard from in 90 days
(2 x 0.21 = 0.42) no longer counts as a supporter. An unfriendly or hostile attitude does not
fade: silence never makes an opponent safe.

**Default contact cadence.** Someone without their own "contact every N days" gets one: the
shorter of the default for their influence (high 30, medium 60, low 90 days) and the default
for their buying role, when it has one (economic buyer, decision maker, champion 30;
blocker 45; technical buyer 45). So no one is silently never due.

Every number is a field of :class:`RiskRules` (the config's ``[risk]`` table). Pure: no I/O.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import Any, TypeVar

from kamtui.domain.model import DecisionRole, Level, Stakeholder
from kamtui.i18n import _, language

Role = DecisionRole
E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class RiskRules:
    """The relationship rules' numbers: decay, coverage, the new risk rules and default cadences."""

    half_life_days: float = 40.0  # an attitude's weight halves with every this many days of silence
    supporter_min: float = 0.5  # friendliness x weight at least this: still a supporter
    cold_weight: float = 0.5  # a role holder whose weight fell below this is cold (0.5: one half-life)
    coverage_roles: tuple[DecisionRole, ...] = (
        Role.ECONOMIC_BUYER,
        Role.DECISION_MAKER,
        Role.CHAMPION,
        Role.TECHNICAL_BUYER,
    )
    blocker_silence_days: int = 45  # an unfriendly or hostile blocker silent this long is red
    economic_buyer_silence_days: int = 45  # an economic buyer silent this long is red
    cooling_window_days: int = 180  # a champion's drop in friendliness this recent is news
    cadence_high: int = 30  # default contact cadence (days) by influence
    cadence_medium: int = 60
    cadence_low: int = 90
    # default contact cadence (days) by buying role, when shorter than the influence's
    role_cadence: tuple[tuple[DecisionRole, int], ...] = (
        (Role.ECONOMIC_BUYER, 30),
        (Role.DECISION_MAKER, 30),
        (Role.CHAMPION, 30),
        (Role.BLOCKER, 45),
        (Role.TECHNICAL_BUYER, 45),
    )


DEFAULT_RISK_RULES = RiskRules()


# ------------------------------------------------------------------------------ decay


def days_since(last_contact: dt.date | None, today: dt.date) -> int | None:
    """Days of silence (0 for a contact dated after today); None: never contacted."""
    return None if last_contact is None else max(0, (today - last_contact).days)


def weight(last_contact: dt.date | None, today: dt.date, rules: RiskRules = DEFAULT_RISK_RULES) -> float:
    """How much what we know of the person still counts: 1 on the day of contact, halving every
    half-life; 0 when never contacted."""
    days = days_since(last_contact, today)
    return 0.0 if days is None else float(0.5 ** (days / rules.half_life_days))


def support(s: Stakeholder, today: dt.date, rules: RiskRules = DEFAULT_RISK_RULES) -> float:
    """The attitude as it counts today: friendliness x weight when supportive; an unfriendly or
    hostile attitude counts in full (silence does not make an opponent safe)."""
    if s.friendliness <= 0:
        return float(s.friendliness)
    return s.friendliness * weight(s.last_contact, today, rules)


def is_supporter(s: Stakeholder, today: dt.date, rules: RiskRules = DEFAULT_RISK_RULES) -> bool:
    return not s.left and s.friendliness > 0 and support(s, today, rules) >= rules.supporter_min


def supporter_days(friendliness: int, rules: RiskRules = DEFAULT_RISK_RULES) -> float:
    """How many days of silence a supportive attitude lasts before it no longer counts."""
    if friendliness <= 0:
        return 0.0
    return rules.half_life_days * math.log2(friendliness / rules.supporter_min)


# -------------------------------------------------------------------- default cadence


def _member(cls: type[E], value: Any) -> E | None:
    """A stored role or influence read as the validator reads it (None: unreadable)."""
    if isinstance(value, cls):
        return value
    if not isinstance(value, str):
        return None
    try:
        return cls(value)  # the stored spelling: a dict lookup (``kamtui due`` reads every stakeholder)
    except ValueError:
        pass
    key = value.strip().lower().replace("-", "_").replace(" ", "_")
    return next((m for m in cls if m.value == key or m.name.lower() == key), None)


def default_cadence(role: Any, influence: Any, rules: RiskRules = DEFAULT_RISK_RULES) -> tuple[int, str]:
    """Contact every how many days for someone without their own cadence, and why in words:
    the shorter of the influence's default and the buying role's (when it has one; a tie is
    told as the role's).

    ``role`` and ``influence`` may be entities' values or stored text; a missing or unreadable
    one reads as the model's default (influencer, medium)."""
    lvl = _member(Level, influence) or Level.MEDIUM
    return _default(_member(Role, role) or Role.INFLUENCER, lvl, rules, language())


@lru_cache(maxsize=256)
def _default(r: DecisionRole, lvl: Level, rules: RiskRules, lang: str) -> tuple[int, str]:
    """(``lang``: the words are the language's, kept apart per language.)"""
    by_level = {Level.HIGH: rules.cadence_high, Level.MEDIUM: rules.cadence_medium, Level.LOW: rules.cadence_low}
    why = {Level.HIGH: _("high influence"), Level.MEDIUM: _("medium influence"), Level.LOW: _("low influence")}[lvl]
    days = by_level[lvl]
    by_role = dict(rules.role_cadence).get(r)
    if by_role is not None and by_role <= days:  # a tie is told by the role: the more specific reason
        days, why = by_role, r.label
    return days, why


def contact_every(s: Stakeholder, rules: RiskRules = DEFAULT_RISK_RULES) -> tuple[int, bool]:
    """The person's contact cadence in days, and whether it is their own (False: the default)."""
    if s.contact_every_days:
        return s.contact_every_days, True
    return default_cadence(s.role, s.influence, rules)[0], False


_DOC_DEFAULTS: dict[tuple[Any, Any, RiskRules, str], tuple[int, str]] = {}


def doc_default_cadence(doc: Mapping[str, Any], rules: RiskRules = DEFAULT_RISK_RULES) -> tuple[int, str]:
    """:func:`default_cadence` of a stored stakeholder document (``kamtui due`` asks it of
    thousands: the stored texts' answers are kept, a few dozen pairs in any file)."""
    role, influence = doc.get("role"), doc.get("influence")
    if role.__class__ is not str or influence.__class__ is not str:
        return default_cadence(role, influence, rules)
    key = (role, influence, rules, language())
    known = _DOC_DEFAULTS.get(key)
    if known is None:
        known = default_cadence(role, influence, rules)
        if len(_DOC_DEFAULTS) < 1024:  # bounded: a hostile file may spell them a million ways
            _DOC_DEFAULTS[key] = known
    return known
