"""Relationship risks, each explained in words, and the red / amber / green relationship status."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kamtui.domain.cadence import next_review, period_days
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import KEY_ROLES, Account, Coverage, DecisionRole, Level, Review, Stakeholder
from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem, Thresholds


@dataclass(frozen=True, slots=True)
class Risk:
    rule: str  # a stable id, e.g. "key_player_hostile"
    severity: int  # 2 red, 1 amber
    message: str
    stakeholder_id: int | None = None


def _days_since(day: dt.date | None, today: dt.date) -> int | None:
    return None if day is None else (today - day).days


def stakeholder_risks(
    stakeholders: Sequence[Stakeholder], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Risk]:
    """What the stakeholder map warns about, most severe first."""
    risks: list[Risk] = []
    active = [s for s in stakeholders if not s.left]
    for s in active:
        if s.role in KEY_ROLES and s.friendliness < 0:
            since = _days_since(s.last_contact, today)
            silent = since is None or since >= thresholds.key_player_silence_days
            attitude = "hostile" if s.friendliness <= -2 else "unfriendly"
            if silent:
                when = "never contacted" if since is None else f"no contact in {since} days"
                risks.append(
                    Risk("key_player_hostile_silent", 2, f"{s.role.label} {s.name} is {attitude} and {when}", s.id)
                )
            else:
                risks.append(
                    Risk(
                        "key_player_hostile",
                        2 if s.friendliness <= -2 else 1,
                        f"{s.role.label} {s.name} is {attitude}",
                        s.id,
                    )
                )
        if s.is_key_player and s.contact_every_days:
            since = _days_since(s.last_contact, today)
            if since is None or since > s.contact_every_days:
                when = "never contacted" if since is None else f"last contact {since} days ago"
                risks.append(
                    Risk(
                        "key_player_quiet",
                        1,
                        f"{s.name} ({s.role.label}) {when}, cadence {s.contact_every_days}d",
                        s.id,
                    )
                )
    for s in active:
        champion = s.role is DecisionRole.CHAMPION or s.friendliness >= 2
        since = _days_since(s.last_contact, today)
        if champion and since is not None and since >= thresholds.champion_silence_days:
            risks.append(Risk("champion_quiet", 1, f"champion {s.name} not contacted in {since} days", s.id))
    for s in stakeholders:
        if s.left:
            if s.role in (DecisionRole.CHAMPION, DecisionRole.COACH) or s.friendliness >= 2:
                risks.append(Risk("champion_left", 2, f"champion {s.name} has left the company", s.id))
            else:
                risks.append(Risk("left", 1, f"{s.name} has left the company", s.id))
    covered = [s for s in active if s.coverage.rank >= Coverage.REGULAR.rank]
    if active and len(covered) <= 1:
        who = f" (only {covered[0].name})" if covered else ""
        risks.append(Risk("single_threaded", 1, f"single-threaded: at most one contact with regular coverage{who}"))
    if active and not any(
        s.friendliness >= 2 or (s.role is DecisionRole.CHAMPION and s.friendliness > 0) for s in active
    ):
        risks.append(Risk("no_champion", 1, "no champion among current stakeholders"))
    high = [s for s in active if s.influence is Level.HIGH]
    if high and not any(s.friendliness > 0 for s in high):
        risks.append(Risk("no_key_supporter", 2, "no supporter among high-influence stakeholders"))
    risks.sort(key=lambda r: -r.severity)
    return risks


def review_risks(
    account: Account, reviews: Sequence[Review], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Risk]:
    """Trends across reviews (oldest first) and how late the next review is."""
    risks: list[Risk] = []
    if len(reviews) >= 3:
        a, b, c = reviews[-3:]
        for name in ("engagement", "loyalty"):
            x, y, z = getattr(a, name), getattr(b, name), getattr(c, name)
            if z < y < x:
                risks.append(Risk(f"{name}_falling", 1, f"{name} down in two reviews running ({x} > {y} > {z})"))
    late = _review_very_late(account.cadence, account.last_review, today, thresholds)
    if late is not None:
        risks.append(late)
    return risks


def _review_very_late(cadence: str, last_review: dt.date | None, today: dt.date, thresholds: Thresholds) -> Risk | None:
    try:
        due = next_review(cadence, last_review, today)
        period = period_days(cadence, last_review) if last_review else None
    except ValidationError:
        return None
    # Late by *more than* review_late_periods periods: exactly one period late is not yet an alert.
    if due is not None and period and (today - due).days > period * thresholds.review_late_periods:
        periods = thresholds.review_late_periods
        how_much = "a full cadence period" if periods == 1 else f"{periods:g} cadence periods"
        return Risk(
            "review_very_late", 2, f"review overdue by {(today - due).days} days, more than {how_much} ({period}d)"
        )
    return None


# --------------------------------------------------------------- red-risk pre-filter
#
# Building entities (validation, enums, dates, friendliness history) for every reviewed account
# is most of what `kamtui due` costs at 10,000 accounts, yet most accounts raise no red risk.
# may_have_red_risk() looks at the stored documents and answers False only when the entity
# rules above *certainly* raise no red risk; when anything is unusual (a value the validators
# would convert, refuse or default) it answers True and the caller builds the entities, which
# remain the only judge of what is shown. So the queue is the same with or without it
# (tests/test_due_fast.py compares both). A new red rule must be added here too.

_NOT_KEY_ROLES = frozenset(r.value for r in DecisionRole if r not in KEY_ROLES)
_NOT_HIGH = frozenset({Level.LOW.value, Level.MEDIUM.value})
_ISO_DATE_LEN = len("2026-01-31")


def _surely_active(d: Mapping[str, Any]) -> bool:
    return d.get("left", False) is False  # the default; the validator keeps False as it is


def _surely_not_key(d: Mapping[str, Any]) -> bool:
    role = d.get("role", DecisionRole.INFLUENCER.value)  # the default role is not a key role
    return isinstance(role, str) and role in _NOT_KEY_ROLES  # stored spelling: maps to itself


def _surely_friendliness(d: Mapping[str, Any]) -> int | None:
    """The stored friendliness when it is a plain int (kept as is by the validator), else None."""
    f = d.get("friendliness", 0)
    return f if type(f) is int else None


def _surely_not_high(d: Mapping[str, Any]) -> bool:
    influence = d.get("influence", Level.MEDIUM.value)
    return isinstance(influence, str) and influence in _NOT_HIGH


def may_have_red_risk(
    account: Mapping[str, Any],
    stakeholders: Iterable[Mapping[str, Any]],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> bool:
    """Whether :func:`risk_items` could raise a red risk for these stored documents.

    False is a promise (no red risk whatever the entities turn out to be); True only means
    "build the entities and see".
    """
    supporter = False
    all_not_high = True
    for d in stakeholders:
        if not _surely_active(d):
            return True  # champion_left
        f = _surely_friendliness(d)
        if not _surely_not_key(d) and (f is None or f < 0):
            return True  # key_player_hostile(_silent)
        if f is not None and f > 0 and d.get("influence") == Level.HIGH.value:
            supporter = True
        all_not_high = all_not_high and _surely_not_high(d)
    if not supporter and not all_not_high:
        return True  # no_key_supporter
    # review_very_late: the same rule on the values the Account entity would hold.
    cadence, last = account.get("cadence", ""), account.get("last_review")
    if not isinstance(cadence, str):
        return True
    last_date: dt.date | None = None
    if last is not None and last != "":
        if not isinstance(last, str) or len(last) != _ISO_DATE_LEN:
            return True
        try:
            last_date = dt.date.fromisoformat(last)
        except ValueError:
            return True
    return _review_very_late(cadence.strip(), last_date, today, thresholds) is not None


def relationship_status(stakeholders: Sequence[Stakeholder]) -> str:
    """Altify's map status: red without a supportive key player, amber if thin, else green."""
    active = [s for s in stakeholders if not s.left]
    key = [s for s in active if s.is_key_player]
    if not key or not any(s.friendliness > 0 for s in key):
        return "red"
    if any(s.friendliness < 0 for s in key) or sum(1 for s in active if s.friendliness > 0) < 2:
        return "amber"
    return "green"


def risk_items(
    account_id: int,
    account: Account,
    stakeholders: Sequence[Stakeholder],
    reviews: Sequence[Review],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[QueueItem]:
    """The account's risks as queue items (kind "risk"), most severe first."""
    risks = stakeholder_risks(stakeholders, today, thresholds) + review_risks(account, reviews, today, thresholds)
    status = relationship_status(stakeholders) if stakeholders else ""
    return [
        QueueItem(
            "risk",
            account_id,
            account.name,
            account.owner,
            r.message,
            f"map {status}" if status else r.rule.replace("_", " "),
            None,
            0,
            r.severity,
            r.stakeholder_id,
        )
        for r in sorted(risks, key=lambda r: -r.severity)
    ]
