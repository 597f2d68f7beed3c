"""Relationship risks, each explained in words, and the red / amber / green relationship status.

The rules that weigh silence (kamtui.domain.contact: an attitude's weight halves every
half-life; default contact cadences), each with its numbers in the config's ``[risk]`` table:

- ``blocker_hostile``: a blocker who is hostile (red) or unfriendly (amber); red too once
  silent ``blocker_silence_days`` (45) or never contacted: "blocker Ivo is unfriendly and no
  contact in 70 days".
- ``economic_buyer_silent`` (red): an economic buyer never contacted, or silent
  ``economic_buyer_silence_days`` (45) or more.
- ``champion_cooling``: a champion (by role, or someone who was a champion) whose friendliness
  dropped within ``cooling_window_days`` (180) and has not come back: amber, red once they are
  against us.
- ``champion_faded`` (amber): the account has champions but silence has faded them all: none
  still counts as a supporter (friendliness x weight below ``supporter_min``). A champion who
  left is ``champion_left`` (red).
- ``key_player_silent`` (amber): a key player (high influence, or a buying role of
  ``coverage_roles``, or economic buyer / decision maker) without a cadence of their own, past
  the default cadence of their influence and role (never contacted counts). One warning per
  person: someone already warned about their silence by another rule is not warned again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kamtui.domain.cadence import next_review, period_days
from kamtui.domain.contact import RiskRules, default_cadence, is_supporter
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import date as shown_date
from kamtui.domain.labels import friendliness as attitude_word
from kamtui.domain.model import (
    KEY_ROLES,
    Account,
    Coverage,
    DecisionRole,
    Level,
    Review,
    Stakeholder,
)
from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem, Thresholds
from kamtui.i18n import N_, _, ngettext, pgettext


@dataclass(frozen=True, slots=True)
class Risk:
    rule: str  # a stable id, e.g. "key_player_hostile"
    severity: int  # 2 red, 1 amber
    message: str
    stakeholder_id: int | None = None


def _days_since(day: dt.date | None, today: dt.date) -> int | None:
    return None if day is None else (today - day).days


# Coverage.rank builds a list per call: Today judges thousands of people.
_REGULAR_OR_MORE = frozenset(c for c in Coverage if c.rank >= Coverage.REGULAR.rank)


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
            attitude = attitude_word(-2 if s.friendliness <= -2 else -1)
            if silent:
                message = _("{role} {name} is {attitude} and {when}").format(
                    role=s.role.label, name=s.name, attitude=attitude, when=_silence(since)
                )
                risks.append(Risk("key_player_hostile_silent", 2, message, s.id))
            else:
                risks.append(
                    Risk(
                        "key_player_hostile",
                        2 if s.friendliness <= -2 else 1,
                        _("{role} {name} is {attitude}").format(role=s.role.label, name=s.name, attitude=attitude),
                        s.id,
                    )
                )
        if s.is_key_player and s.contact_every_days:
            since = _days_since(s.last_contact, today)
            if since is None or since > s.contact_every_days:
                if since is None:
                    when = _("never contacted")
                else:
                    when = ngettext("last contact {n} day ago", "last contact {n} days ago", since).format(n=since)
                message = _("{name} ({role}) {when}, cadence {every}d").format(
                    name=s.name, role=s.role.label, when=when, every=s.contact_every_days
                )
                risks.append(Risk("key_player_quiet", 1, message, s.id))
    for s in active:
        champion = s.role is DecisionRole.CHAMPION or s.friendliness >= 2
        since = _days_since(s.last_contact, today)
        if champion and since is not None and since >= thresholds.champion_silence_days:
            message = ngettext(
                "champion {name} not contacted in {n} day", "champion {name} not contacted in {n} days", since
            ).format(name=s.name, n=since)
            risks.append(Risk("champion_quiet", 1, message, s.id))
    for s in stakeholders:
        if s.left:
            if s.role in (DecisionRole.CHAMPION, DecisionRole.COACH) or s.friendliness >= 2:
                message = _("champion {name} has left the company").format(name=s.name)
                risks.append(Risk("champion_left", 2, message, s.id))
            else:
                risks.append(Risk("left", 1, _("{name} has left the company").format(name=s.name), s.id))
    covered = [s for s in active if s.coverage in _REGULAR_OR_MORE]
    if active and len(covered) <= 1:
        if covered:
            message = _("single-threaded: at most one contact with regular coverage (only {name})").format(
                name=covered[0].name
            )
        else:
            message = _("single-threaded: at most one contact with regular coverage")
        risks.append(Risk("single_threaded", 1, message))
    champions = [s for s in active if s.friendliness >= 2 or (s.role is DecisionRole.CHAMPION and s.friendliness > 0)]
    if active and not champions:
        risks.append(Risk("no_champion", 1, _("no champion among current stakeholders")))
    elif champions and not any(is_supporter(s, today, thresholds.risk) for s in champions):
        risks.append(_champion_faded(champions, today, thresholds.risk))
    risks += _silence_risks(active, today, thresholds.risk, risks)
    high = [s for s in active if s.influence is Level.HIGH]
    if high and not any(s.friendliness > 0 for s in high):
        risks.append(Risk("no_key_supporter", 2, _("no supporter among high-influence stakeholders")))
    risks.sort(key=lambda r: -r.severity)
    return risks


# Rules whose warning about a person already says they are silent: the person is not warned again.
_SILENCE_RULES = frozenset({"key_player_hostile_silent", "key_player_quiet", "champion_quiet"})


def _silence(since: int | None) -> str:
    if since is None:
        return _("never contacted")
    return ngettext("no contact in {n} day", "no contact in {n} days", since).format(n=since)


def _champion_faded(champions: Sequence[Stakeholder], today: dt.date, rules: RiskRules) -> Risk:
    who = ", ".join(f"{s.name} {_silence(_days_since(s.last_contact, today))}" for s in champions[:3])
    return Risk(
        "champion_faded",
        1,
        _("no champion counts any more: {who} (an attitude's weight halves every {days} days)").format(
            who=who, days=f"{rules.half_life_days:g}"
        ),
        champions[0].id if len(champions) == 1 else None,
    )


def _silence_risks(
    active: Sequence[Stakeholder], today: dt.date, rules: RiskRules, earlier: Sequence[Risk]
) -> list[Risk]:
    """Hostile blockers, silent economic buyers, cooling champions and silent key players."""
    out: list[Risk] = []
    said = {r.stakeholder_id for r in earlier if r.rule in _SILENCE_RULES and r.stakeholder_id is not None}
    hostile_silent = {r.stakeholder_id for r in earlier if r.rule == "key_player_hostile_silent"}
    for s in active:
        since = _days_since(s.last_contact, today)
        silent_already = s.id is not None and s.id in said
        warned = s.id is not None and s.id in hostile_silent
        if s.role is DecisionRole.BLOCKER and s.friendliness < 0:
            attitude = attitude_word(s.friendliness)
            if since is None or since >= rules.blocker_silence_days:
                message = _("blocker {name} is {attitude} and {when}").format(
                    name=s.name, attitude=attitude, when=_silence(since)
                )
                out.append(Risk("blocker_hostile", 2, message, s.id))
                warned = True
            else:
                message = _("blocker {name} is {attitude}").format(name=s.name, attitude=attitude)
                out.append(Risk("blocker_hostile", 2 if s.friendliness <= -2 else 1, message, s.id))
        if s.role is DecisionRole.ECONOMIC_BUYER and not warned:
            if since is None:
                message = _("economic buyer {name} never contacted").format(name=s.name)
                out.append(Risk("economic_buyer_silent", 2, message, s.id))
                warned = True
            elif since >= rules.economic_buyer_silence_days:
                limit = rules.economic_buyer_silence_days
                message = _("economic buyer {name} silent {n} days (limit {limit})").format(
                    name=s.name, n=since, limit=limit
                )
                out.append(Risk("economic_buyer_silent", 2, message, s.id))
                warned = True
        cooled = champion_cooling(s, today, rules)
        if cooled is not None:
            out.append(cooled)
        key = s.is_key_player or s.role in rules.coverage_roles
        if key and not s.contact_every_days and not (warned or silent_already):
            every, why = default_cadence(s.role, s.influence, rules)
            if since is None or since > every:
                if since is None:
                    when = _("never contacted")
                else:
                    when = ngettext("silent {n} day", "silent {n} days", since).format(n=since)
                if why == s.role.label:  # the role is said already
                    message = _("{name} ({role}) {when}, past the default cadence of {every}d")
                else:
                    message = _("{name} ({role}) {when}, past the default cadence of {every}d ({why})")
                message = message.format(name=s.name, role=s.role.label, when=when, every=every, why=why)
                out.append(Risk("key_player_silent", 1, message, s.id))
    return out


def champion_cooling(s: Stakeholder, today: dt.date, rules: RiskRules) -> Risk | None:
    """A champion whose friendliness dropped within the cooling window and has not come back.

    A champion: the role, or an attitude of champion (+2) before the drop. The attitude before
    a change is the previous entry of the friendliness history (a first entry has none)."""
    if s.left:
        return None
    history = sorted(s.friendliness_history, key=lambda h: h.date)
    for before, change in zip(reversed(history[:-1]), reversed(history[1:]), strict=True):
        if (today - change.date).days > rules.cooling_window_days:
            break
        champion = s.role is DecisionRole.CHAMPION or before.value >= 2
        if change.value < before.value and champion and s.friendliness < before.value:
            was, now = attitude_word(before.value), attitude_word(s.friendliness)
            if change.reason:
                message = _("champion {name} cooled from {was} to {now} on {date}: {why}")
            else:
                message = _("champion {name} cooled from {was} to {now} on {date}")
            message = message.format(name=s.name, was=was, now=now, date=shown_date(change.date), why=change.reason)
            return Risk("champion_cooling", 2 if s.friendliness < 0 else 1, message, s.id)
    return None


def review_risks(
    account: Account, reviews: Sequence[Review], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> list[Risk]:
    """Trends across reviews (oldest first) and how late the next review is."""
    risks = review_trend_risks(reviews)
    late = _review_very_late(account.cadence, account.last_review, today, thresholds)
    if late is not None:
        risks.append(late)
    return risks


def review_trend_risks(reviews: Sequence[Review]) -> list[Risk]:
    """A score falling in two reviews running (reviews oldest first). Amber, always: Today's red
    alerts (:func:`red_risk_items`) read no reviews."""
    risks: list[Risk] = []
    if len(reviews) >= 3:
        a, b, c = reviews[-3:]
        for name in ("engagement", "loyalty"):
            x, y, z = getattr(a, name), getattr(b, name), getattr(c, name)
            if z < y < x:
                risks.append(Risk(f"{name}_falling", 1, _falling(name).format(x=x, y=y, z=z)))
    return risks


def _falling(name: str) -> str:
    if name == "engagement":
        return _("engagement down in two reviews running ({x} > {y} > {z})")
    return _("loyalty down in two reviews running ({x} > {y} > {z})")


def _review_very_late(cadence: str, last_review: dt.date | None, today: dt.date, thresholds: Thresholds) -> Risk | None:
    try:
        due = next_review(cadence, last_review, today)
        period = period_days(cadence, last_review) if last_review else None
    except ValidationError:
        return None
    # Late by *more than* review_late_periods periods: exactly one period late is not yet an alert.
    if due is not None and period and (today - due).days > period * thresholds.review_late_periods:
        periods = thresholds.review_late_periods
        if periods == 1:
            message = _("review overdue by {n} days, more than a full cadence period ({period}d)")
        else:
            message = _("review overdue by {n} days, more than {periods} cadence periods ({period}d)")
        return Risk("review_very_late", 2, message.format(n=(today - due).days, periods=f"{periods:g}", period=period))
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
_NOT_BLOCKER = frozenset(r.value for r in DecisionRole if r is not DecisionRole.BLOCKER)
_NOT_ECONOMIC_BUYER = frozenset(r.value for r in DecisionRole if r is not DecisionRole.ECONOMIC_BUYER)
_ISO_DATE_LEN = len("2026-01-31")


def _surely_active(d: Mapping[str, Any]) -> bool:
    return d.get("left", False) is False  # the default; the validator keeps False as it is


def _surely_not_key(d: Mapping[str, Any]) -> bool:
    role = d.get("role", DecisionRole.INFLUENCER.value)  # the default role is not a key role
    return isinstance(role, str) and role in _NOT_KEY_ROLES  # stored spelling: maps to itself


def _surely_not(d: Mapping[str, Any], roles: frozenset[str]) -> bool:
    role = d.get("role", DecisionRole.INFLUENCER.value)
    return isinstance(role, str) and role in roles


def _surely_recent(d: Mapping[str, Any], today: dt.date, days: int) -> bool:
    """The stored last contact is a plain ISO date less than ``days`` before ``today``."""
    last = d.get("last_contact")
    if not isinstance(last, str) or len(last) != _ISO_DATE_LEN:
        return False
    try:
        return (today - dt.date.fromisoformat(last)).days < days
    except ValueError:
        return False


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
        if (f is None or f < 0) and (not _surely_not(d, _NOT_BLOCKER) or d.get("friendliness_history")):
            return True  # blocker_hostile, champion_cooling (to hostile or unfriendly)
        rules = thresholds.risk
        if not _surely_not(d, _NOT_ECONOMIC_BUYER) and not _surely_recent(d, today, rules.economic_buyer_silence_days):
            return True  # economic_buyer_silent
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


def status_label(status: str) -> str:
    """ "red", "amber", "green" (a :func:`relationship_status`) in the user's language."""
    if status == "red":
        return pgettext("status", "red")
    if status == "amber":
        return pgettext("status", "amber")
    if status == "green":
        return pgettext("status", "green")
    return status


# What each rule is called where no map status is shown (an account without stakeholders).
RULE_LABELS = {
    "key_player_hostile_silent": N_("key player hostile silent"),
    "key_player_hostile": N_("key player hostile"),
    "key_player_quiet": N_("key player quiet"),
    "champion_quiet": N_("champion quiet"),
    "champion_left": N_("champion left"),
    "left": N_("left"),
    "single_threaded": N_("single threaded"),
    "no_champion": N_("no champion"),
    "champion_faded": N_("champion faded"),
    "no_key_supporter": N_("no key supporter"),
    "blocker_hostile": N_("blocker hostile"),
    "economic_buyer_silent": N_("economic buyer silent"),
    "champion_cooling": N_("champion cooling"),
    "key_player_silent": N_("key player silent"),
    "engagement_falling": N_("engagement falling"),
    "loyalty_falling": N_("loyalty falling"),
    "review_very_late": N_("review very late"),
}


def rule_label(rule: str) -> str:
    """A risk rule's id ("review_very_late") as words, in the user's language."""
    label = RULE_LABELS.get(rule)
    return _(label) if label is not None else rule.replace("_", " ")


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
    return _as_items(account_id, account, stakeholders, risks)


def red_risk_items(
    account_id: int,
    account: Account,
    stakeholders: Sequence[Stakeholder],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[QueueItem]:
    """The red ones of :func:`risk_items`, in its order: Today's and ``kamtui due``'s risk alerts.

    The reviews' trends are amber (:func:`review_trend_risks`), so no reviews are read: at
    10,000 accounts, ~750 accounts' reviews were built for trends the alerts never show. A
    damaged review no longer hides the account's alerts either (Today, which leaves it out,
    showed them)."""
    risks = stakeholder_risks(stakeholders, today, thresholds)
    late = _review_very_late(account.cadence, account.last_review, today, thresholds)
    if late is not None:
        risks.append(late)
    return _as_items(account_id, account, stakeholders, [r for r in risks if r.severity >= 2])


def _as_items(
    account_id: int, account: Account, stakeholders: Sequence[Stakeholder], risks: Sequence[Risk]
) -> list[QueueItem]:
    status = relationship_status(stakeholders) if stakeholders else ""
    detail = _("map {status}").format(status=status_label(status)) if status else ""
    return [
        QueueItem(
            "risk",
            account_id,
            account.name,
            account.owner,
            r.message,
            detail or rule_label(r.rule),
            None,
            0,
            r.severity,
            r.stakeholder_id,
        )
        for r in sorted(risks, key=lambda r: -r.severity)
    ]
