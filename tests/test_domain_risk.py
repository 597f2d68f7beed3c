"""Relationship risk rules, each at its boundary, with a frozen today."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

import pytest

from kamtui.domain.cadence import next_review
from kamtui.domain.model import Account, Coverage, DecisionRole, Level, Review, Stakeholder
from kamtui.domain.queue import Thresholds
from kamtui.domain.risk import Risk, relationship_status, review_risks, risk_items, stakeholder_risks
from tests.stakeholders import TODAY, Role
from tests.stakeholders import sh as any_sh

sh = functools.partial(any_sh, coverage=Coverage.REGULAR)  # a regular contact unless said

D = dt.date


def healthy() -> list[Stakeholder]:
    """A map without any risk: two regular contacts, a champion, a supportive key player."""
    return [
        sh(101, "Chloe", role=Role.CHAMPION, friendliness=2),
        sh(102, "Ed", role=Role.ECONOMIC_BUYER, influence=Level.HIGH, friendliness=1),
    ]


def rules(risks: list[Risk]) -> list[str]:
    return [r.rule for r in risks]


def only(risks: list[Risk], rule: str) -> list[Risk]:
    return [r for r in risks if r.rule == rule]


def test_healthy_map_has_no_risk_and_is_green() -> None:
    assert stakeholder_risks(healthy(), TODAY) == []
    assert relationship_status(healthy()) == "green"


def test_no_stakeholders_no_stakeholder_risk() -> None:
    assert stakeholder_risks([], TODAY) == []


# ------------------------------------------------------- key player unfriendly / hostile


@pytest.mark.parametrize("role", [Role.DECISION_MAKER, Role.ECONOMIC_BUYER])
@pytest.mark.parametrize(("friendliness", "word", "severity"), [(-2, "hostile", 2), (-1, "unfriendly", 1)])
def test_key_player_unfriendly_but_contacted_59_days_ago_is_not_silent(
    role: DecisionRole, friendliness: int, word: str, severity: int
) -> None:
    risks = stakeholder_risks([*healthy(), sh(7, "Dora", role=role, friendliness=friendliness, contact=59)], TODAY)
    [r] = only(risks, "key_player_hostile")
    assert (r.severity, r.stakeholder_id) == (severity, 7)
    assert r.message == f"{role.label} Dora is {word}"
    assert only(risks, "key_player_hostile_silent") == []


@pytest.mark.parametrize("role", [Role.DECISION_MAKER, Role.ECONOMIC_BUYER])
@pytest.mark.parametrize(("friendliness", "word"), [(-2, "hostile"), (-1, "unfriendly")])
def test_key_player_unfriendly_and_silent_exactly_60_days_is_red(
    role: DecisionRole, friendliness: int, word: str
) -> None:
    risks = stakeholder_risks([*healthy(), sh(7, "Dora", role=role, friendliness=friendliness, contact=60)], TODAY)
    [r] = only(risks, "key_player_hostile_silent")
    assert (r.severity, r.stakeholder_id) == (2, 7)
    assert r.message == f"{role.label} Dora is {word} and no contact in 60 days"
    assert only(risks, "key_player_hostile") == []


def test_key_player_hostile_never_contacted_is_red() -> None:
    risks = stakeholder_risks(
        [*healthy(), sh(7, "Dora", role=Role.DECISION_MAKER, friendliness=-2, contact=None)], TODAY
    )
    [r] = only(risks, "key_player_hostile_silent")
    assert r.severity == 2 and r.message == "decision maker Dora is hostile and never contacted"


@pytest.mark.parametrize("role", [Role.INFLUENCER, Role.BLOCKER, Role.TECHNICAL_BUYER, Role.USER])
def test_hostile_non_key_role_is_not_a_key_player_risk(role: DecisionRole) -> None:
    risks = stakeholder_risks([*healthy(), sh(7, role=role, friendliness=-2, contact=None)], TODAY)
    assert not {"key_player_hostile", "key_player_hostile_silent"} & set(rules(risks))


@pytest.mark.parametrize("friendliness", [0, 1, 2])
def test_neutral_or_friendly_decision_maker_is_no_risk(friendliness: int) -> None:
    risks = stakeholder_risks([*healthy(), sh(7, role=Role.DECISION_MAKER, friendliness=friendliness)], TODAY)
    assert risks == []


def test_hostile_decision_maker_who_left_is_ignored() -> None:
    risks = stakeholder_risks(
        [*healthy(), sh(7, "Dora", role=Role.DECISION_MAKER, friendliness=-2, contact=None, left=True)], TODAY
    )
    assert rules(risks) == ["left"]


@pytest.mark.parametrize(("days", "silent"), [(29, False), (30, True)])
def test_custom_key_player_silence_days(days: int, silent: bool) -> None:
    th = Thresholds(key_player_silence_days=30)
    risks = stakeholder_risks([*healthy(), sh(7, role=Role.DECISION_MAKER, friendliness=-1, contact=days)], TODAY, th)
    assert rules(risks) == (["key_player_hostile_silent"] if silent else ["key_player_hostile"])


# ------------------------------------------------------------- key player contact cadence


@pytest.mark.parametrize(
    "who",
    [
        {"influence": Level.HIGH, "role": Role.INFLUENCER},
        {"influence": Level.LOW, "role": Role.DECISION_MAKER},
        {"influence": Level.LOW, "role": Role.ECONOMIC_BUYER},
    ],
)
def test_key_player_exactly_on_cadence_day_is_no_risk_one_day_past_is(who: dict[str, Any]) -> None:
    on_time = sh(7, "Kim", contact=30, every=30, friendliness=1, **who)
    assert only(stakeholder_risks([*healthy(), on_time], TODAY), "key_player_quiet") == []
    late = sh(7, "Kim", contact=31, every=30, friendliness=1, **who)
    [r] = only(stakeholder_risks([*healthy(), late], TODAY), "key_player_quiet")
    assert (r.severity, r.stakeholder_id) == (1, 7)
    assert r.message == f"Kim ({late.role.label}) last contact 31 days ago, cadence 30d"


def test_key_player_with_cadence_never_contacted_is_quiet() -> None:
    kp = sh(7, "Kim", influence=Level.HIGH, friendliness=1, contact=None, every=30)
    [r] = only(stakeholder_risks([*healthy(), kp], TODAY), "key_player_quiet")
    assert r.message == "Kim (user) never contacted, cadence 30d"


def test_cadence_of_non_key_player_or_key_player_without_cadence_is_not_checked() -> None:
    minor = sh(7, influence=Level.MEDIUM, contact=300, every=30)
    no_cadence = sh(8, influence=Level.HIGH, friendliness=1, contact=59)
    gone = sh(9, influence=Level.HIGH, friendliness=1, contact=300, every=30, left=True)
    risks = stakeholder_risks([*healthy(), minor, no_cadence, gone], TODAY)
    assert "key_player_quiet" not in rules(risks)


# ------------------------------------------------------------------ single-threaded


@pytest.mark.parametrize(
    ("coverages", "risky"),
    [
        ([], True),
        ([Coverage.REGULAR], True),
        ([Coverage.IN_DEPTH], True),
        ([Coverage.REGULAR, Coverage.REGULAR], False),
        ([Coverage.IN_DEPTH, Coverage.REGULAR], False),
    ],
)
def test_single_threaded_counts_regular_or_deeper_contacts(coverages: list[Coverage], risky: bool) -> None:
    people = [sh(10 + i, f"P{i}", coverage=c, friendliness=2) for i, c in enumerate(coverages)]
    people += [sh(20, "Brie", coverage=Coverage.BRIEF, friendliness=2), sh(21, "Nia", coverage=Coverage.NONE)]
    risks = only(stakeholder_risks(people, TODAY), "single_threaded")
    assert len(risks) == int(risky)
    if risky:
        assert risks[0].severity == 1 and risks[0].stakeholder_id is None
        who = f" (only {people[0].name})" if coverages else ""
        assert risks[0].message == f"single-threaded: at most one contact with regular coverage{who}"


def test_single_threaded_ignores_stakeholders_who_left() -> None:
    people = [
        sh(1, "Ann", coverage=Coverage.IN_DEPTH, friendliness=2),
        sh(2, "Bob", coverage=Coverage.IN_DEPTH, left=True),
    ]
    [r] = only(stakeholder_risks(people, TODAY), "single_threaded")
    assert r.message.endswith("(only Ann)")


def test_everyone_left_gives_no_map_rules_only_departures() -> None:
    risks = stakeholder_risks([sh(1, coverage=Coverage.NONE, left=True), sh(2, left=True)], TODAY)
    assert rules(risks) == ["left", "left"]


# ------------------------------------------------------------- champion and supporters


@pytest.mark.parametrize(
    ("role", "friendliness", "has_champion"),
    [
        (Role.INFLUENCER, 2, True),
        (Role.CHAMPION, 1, True),
        (Role.CHAMPION, 2, True),
        (Role.CHAMPION, 0, False),
        (Role.INFLUENCER, 1, False),
        (Role.COACH, 1, False),
    ],
)
def test_no_champion(role: DecisionRole, friendliness: int, has_champion: bool) -> None:
    people = [
        sh(1, role=role, friendliness=friendliness),
        sh(2, role=Role.ECONOMIC_BUYER, influence=Level.HIGH, friendliness=1),
    ]
    risks = only(stakeholder_risks(people, TODAY), "no_champion")
    assert len(risks) == int(not has_champion)
    if risks:
        assert risks[0].severity == 1 and risks[0].message == "no champion among current stakeholders"


def test_champion_who_left_does_not_count_as_champion() -> None:
    people = [sh(1, friendliness=2, left=True), sh(2, friendliness=1), sh(3, friendliness=1)]
    assert "no_champion" in rules(stakeholder_risks(people, TODAY))


@pytest.mark.parametrize(
    ("high", "risky"),
    [
        ([], False),  # no high-influence stakeholder: nothing to check
        ([0], True),
        ([-2, 0], True),
        ([-2, 1], False),
        ([2], False),
    ],
)
def test_no_supporter_among_high_influence(high: list[int], risky: bool) -> None:
    people = [sh(1, "Chloe", role=Role.CHAMPION, friendliness=2, influence=Level.MEDIUM), sh(2)]
    people += [sh(10 + i, influence=Level.HIGH, friendliness=f) for i, f in enumerate(high)]
    risks = only(stakeholder_risks(people, TODAY), "no_key_supporter")
    assert len(risks) == int(risky)
    if risks:
        assert risks[0].severity == 2 and risks[0].message == "no supporter among high-influence stakeholders"


def test_high_influence_supporter_who_left_does_not_count() -> None:
    people = [*healthy()[:1], sh(2, influence=Level.HIGH), sh(3, influence=Level.HIGH, friendliness=2, left=True)]
    assert "no_key_supporter" in rules(stakeholder_risks(people, TODAY))


# ----------------------------------------------------------------- relationship status


@pytest.mark.parametrize(
    ("people", "status"),
    [
        ([], "red"),
        ([sh(1, friendliness=2), sh(2, friendliness=2)], "red"),  # no key player at all
        ([sh(1, role=Role.DECISION_MAKER, friendliness=0), sh(2, friendliness=2)], "red"),  # none supportive
        ([sh(1, role=Role.DECISION_MAKER, friendliness=2, left=True), sh(2, friendliness=2)], "red"),  # left
        ([sh(1, role=Role.DECISION_MAKER, friendliness=1)], "amber"),  # only one supporter
        (
            [
                sh(1, role=Role.DECISION_MAKER, friendliness=1),
                sh(2, friendliness=1),
                sh(3, influence=Level.HIGH, friendliness=-1),
            ],
            "amber",  # a hostile key player
        ),
        ([sh(1, influence=Level.HIGH, friendliness=1), sh(2, friendliness=1)], "green"),
        ([sh(1, role=Role.ECONOMIC_BUYER, friendliness=2), sh(2, friendliness=1), sh(3, friendliness=-2)], "green"),
    ],
)
def test_relationship_status(people: list[Stakeholder], status: str) -> None:
    assert relationship_status(people) == status


# -------------------------------------------------------------------- who has left


@pytest.mark.parametrize(
    ("role", "friendliness"), [(Role.CHAMPION, 0), (Role.COACH, -1), (Role.INFLUENCER, 2), (Role.CHAMPION, 2)]
)
def test_champion_who_left_is_red(role: DecisionRole, friendliness: int) -> None:
    people = [*healthy(), sh(9, "Lea", role=role, friendliness=friendliness, left=True)]
    [r] = stakeholder_risks(people, TODAY)
    assert (r.rule, r.severity, r.stakeholder_id) == ("champion_left", 2, 9)
    assert r.message == "champion Lea has left the company"


@pytest.mark.parametrize(("role", "friendliness"), [(Role.USER, 1), (Role.DECISION_MAKER, -2), (Role.INFLUENCER, 0)])
def test_someone_else_who_left_is_amber(role: DecisionRole, friendliness: int) -> None:
    people = [*healthy(), sh(9, "Lea", role=role, friendliness=friendliness, left=True)]
    [r] = stakeholder_risks(people, TODAY)
    assert (r.rule, r.severity, r.stakeholder_id, r.message) == ("left", 1, 9, "Lea has left the company")


# ---------------------------------------------------------------------- champion quiet


@pytest.mark.parametrize(("days", "quiet"), [(59, False), (60, True), (None, False)])
def test_champion_quiet_at_exactly_champion_silence_days(days: int | None, quiet: bool) -> None:
    people = [sh(1, "Chloe", role=Role.CHAMPION, friendliness=2, contact=days), healthy()[1], sh(3)]
    risks = only(stakeholder_risks(people, TODAY), "champion_quiet")
    assert len(risks) == int(quiet)
    if quiet:
        assert (risks[0].severity, risks[0].stakeholder_id) == (1, 1)
        assert risks[0].message == "champion Chloe not contacted in 60 days"


@pytest.mark.parametrize(("role", "friendliness"), [(Role.CHAMPION, 0), (Role.USER, 2)])
def test_champion_by_role_or_by_attitude(role: DecisionRole, friendliness: int) -> None:
    people = [sh(1, role=role, friendliness=friendliness, contact=90), *healthy()]
    assert len(only(stakeholder_risks(people, TODAY), "champion_quiet")) == 1


def test_champion_who_left_is_not_quiet_and_custom_silence_days() -> None:
    gone = sh(1, role=Role.CHAMPION, friendliness=2, contact=300, left=True)
    assert "champion_quiet" not in rules(stakeholder_risks([gone, *healthy()], TODAY))
    th = Thresholds(champion_silence_days=30)
    people = [sh(1, role=Role.CHAMPION, friendliness=2, contact=29), healthy()[1]]
    assert "champion_quiet" not in rules(stakeholder_risks(people, TODAY, th))
    people = [sh(1, role=Role.CHAMPION, friendliness=2, contact=30), healthy()[1]]
    assert "champion_quiet" in rules(stakeholder_risks(people, TODAY, th))


def test_risks_are_most_severe_first() -> None:
    people = [
        sh(1, "Amy", friendliness=0, coverage=Coverage.NONE),
        sh(2, "Dora", role=Role.DECISION_MAKER, influence=Level.HIGH, friendliness=-2, contact=None),
    ]
    risks = stakeholder_risks(people, TODAY)
    severities = [r.severity for r in risks]
    assert severities == sorted(severities, reverse=True)
    assert set(rules(risks)) == {"key_player_hostile_silent", "single_threaded", "no_champion", "no_key_supporter"}


# ---------------------------------------------------------------------- review trends


def account(cadence: str = "monthly", last_review: dt.date | None = None) -> Account:
    return Account(name="Acme", owner="ana", cadence=cadence, last_review=last_review, id=1)


def reviews(*scores: tuple[int, int]) -> list[Review]:
    """(engagement, loyalty) pairs, oldest first, one a month."""
    return [
        Review(account_id=1, date=D(2026, 1 + i, 1), engagement=e, loyalty=lo, id=i + 1)
        for i, (e, lo) in enumerate(scores)
    ]


RECENT = account(last_review=D(2026, 6, 1))


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([(5, 3), (4, 3), (3, 3)], ["engagement_falling"]),
        ([(3, 5), (3, 4), (3, 2)], ["loyalty_falling"]),
        ([(5, 5), (4, 4), (1, 1)], ["engagement_falling", "loyalty_falling"]),
        ([(5, 5), (4, 4), (4, 4)], []),  # equal values do not count
        ([(4, 4), (4, 4), (3, 3)], []),
        ([(3, 3), (4, 4), (3, 3)], []),
        ([(5, 5), (4, 4)], []),  # two reviews are one fall, not two running
        ([(5, 5), (4, 4), (3, 3), (3, 3)], []),  # only the last three matter
        ([(1, 1), (5, 5), (4, 4), (3, 3)], ["engagement_falling", "loyalty_falling"]),
        ([], []),
    ],
)
def test_engagement_or_loyalty_down_in_two_reviews_running(scores: list[tuple[int, int]], expected: list[str]) -> None:
    risks = review_risks(RECENT, reviews(*scores), TODAY)
    assert rules(risks) == expected
    assert all(r.severity == 1 and r.stakeholder_id is None for r in risks)


def test_falling_message_names_the_three_values() -> None:
    [r] = review_risks(RECENT, reviews((5, 3), (4, 3), (2, 3)), TODAY)
    assert r.message == "engagement down in two reviews running (5 > 4 > 2)"


# ----------------------------------------------------------------------- review late


@pytest.mark.parametrize(
    ("cadence", "last", "period"),
    [
        ("monthly", D(2026, 1, 15), 31),  # due 15 Feb; the period from 15 Jan is 31 days
        ("monthly", D(2026, 2, 15), 28),  # due 15 Mar; the period from 15 Feb is 28 days
        ("weekly", D(2026, 5, 4), 7),
        ("biweekly", D(2026, 5, 4), 14),
        ("quarterly", D(2026, 1, 1), 90),
    ],
)
def test_review_overdue_by_more_than_one_period(cadence: str, last: dt.date, period: int) -> None:
    acc = account(cadence, last)
    due = next_review(cadence, last, last)
    assert due is not None and (due - last).days == period
    exactly = due + dt.timedelta(days=period)
    assert review_risks(acc, [], exactly) == []
    [r] = review_risks(acc, [], exactly + dt.timedelta(days=1))
    assert (r.rule, r.severity) == ("review_very_late", 2)
    assert r.message == f"review overdue by {period + 1} days, more than a full cadence period ({period}d)"


def test_review_late_periods_threshold_moves_the_boundary() -> None:
    acc = account("weekly", D(2026, 5, 4))  # due 11 May
    th = Thresholds(review_late_periods=2.0)
    assert review_risks(acc, [], D(2026, 5, 25), th) == []  # 14 days late: exactly two periods
    [r] = review_risks(acc, [], D(2026, 5, 26), th)
    assert r.message == "review overdue by 15 days, more than 2 cadence periods (7d)"
    half = Thresholds(review_late_periods=0.5)  # 3.5 days
    assert review_risks(acc, [], D(2026, 5, 14), half) == []
    assert rules(review_risks(acc, [], D(2026, 5, 15), half)) == ["review_very_late"]


@pytest.mark.parametrize(
    "acc",
    [
        account("monthly", None),  # never reviewed: due today, not late by a period
        account("", D(2020, 1, 1)),  # no cadence: never due
        account("FREQ=MONTHLY;UNTIL=20200110", D(2020, 1, 1)),  # the cadence has ended
    ],
)
def test_no_late_review_alert_without_a_period(acc: Account) -> None:
    assert review_risks(acc, [], TODAY) == []


# ------------------------------------------------------------------------ risk items


def test_risk_items_are_queue_items_with_severity_and_stakeholder() -> None:
    people = [sh(7, "Dora", role=Role.DECISION_MAKER, influence=Level.HIGH, friendliness=-2, contact=None)]
    acc = account("weekly", D(2026, 5, 4))
    items = risk_items(1, acc, people, reviews((5, 5), (4, 4), (3, 3)), TODAY)
    assert {it.kind for it in items} == {"risk"}
    assert all(
        (it.account_id, it.account, it.owner, it.due, it.days_late) == (1, "Acme", "ana", None, 0) for it in items
    )
    assert [it.severity for it in items] == sorted((it.severity for it in items), reverse=True)
    assert all(it.detail == "map red" for it in items)
    by_title = {it.title: it for it in items}
    hostile = by_title["decision maker Dora is hostile and never contacted"]
    assert (hostile.severity, hostile.target_id) == (2, 7)
    late = next(it for it in items if it.title.startswith("review overdue"))
    assert (late.severity, late.target_id) == (2, None)
    assert by_title["engagement down in two reviews running (5 > 4 > 3)"].severity == 1
    assert by_title["single-threaded: at most one contact with regular coverage (only Dora)"].target_id is None


def test_risk_items_without_stakeholders_name_the_rule() -> None:
    [item] = risk_items(3, account("weekly", D(2026, 5, 4)), [], [], TODAY)
    assert (item.kind, item.account_id, item.severity, item.detail) == ("risk", 3, 2, "review very late")


def test_risk_items_pass_thresholds_on() -> None:
    people = [*healthy(), sh(7, role=Role.DECISION_MAKER, friendliness=-1, contact=30)]
    acc = account("weekly", D(2026, 6, 8))
    assert [it.severity for it in risk_items(1, acc, people, [], TODAY)] == [1]
    [item] = risk_items(1, acc, people, [], TODAY, Thresholds(key_player_silence_days=30))
    assert item.severity == 2 and item.title.endswith("and no contact in 30 days")
