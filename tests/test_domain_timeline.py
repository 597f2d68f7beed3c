"""The activity timeline: interactions, reviews, attitude changes and actions done, newest first."""

from __future__ import annotations

import datetime as dt

from kamtui.domain.model import Action, FriendlinessChange, Interaction, InteractionKind, Review, Stakeholder
from kamtui.domain.timeline import Event, timeline

D = dt.date


def person(sid: int, name: str, history: list[tuple[dt.date, int]] | None = None) -> Stakeholder:
    changes = [FriendlinessChange(day, value, "ana") for day, value in history or []]
    return Stakeholder(account_id=1, name=name, friendliness_history=changes, id=sid)


def meeting(day: dt.date, who: list[int], summary: str = "kick-off", kind: str = "meeting") -> Interaction:
    return Interaction(
        account_id=1, date=day, kind=InteractionKind(kind), stakeholders=who, summary=summary, by="ben", id=1
    )


def test_empty() -> None:
    assert timeline([], [], [], []) == []


def test_interactions_name_their_stakeholders() -> None:
    people = [person(1, "Ada"), person(2, "Bo")]
    events = timeline(
        [
            meeting(D(2026, 5, 1), [1, 2]),
            meeting(D(2026, 5, 2), [], "newsletter", "email"),
            meeting(D(2026, 5, 3), [9]),
        ],
        [],
        people,
        [],
    )
    assert events == [
        Event(D(2026, 5, 3), "meeting", "with ?: kick-off", "ben"),  # a stakeholder since deleted
        Event(D(2026, 5, 2), "email", "newsletter", "ben"),
        Event(D(2026, 5, 1), "meeting", "with Ada, Bo: kick-off", "ben"),
    ]


def test_reviews_show_their_scores_and_notes() -> None:
    reviews = [
        Review(account_id=1, date=D(2026, 1, 10), reviewer="ana", engagement=4, loyalty=3, satisfaction=5, health=2),
        Review(account_id=1, date=D(2026, 2, 10), reviewer="ben", notes="renewal at risk"),
    ]
    assert timeline([], reviews, [], []) == [
        Event(
            D(2026, 2, 10),
            "review",
            "engagement 3, loyalty 3, satisfaction 3, overall 3 · renewal at risk",
            "ben",
        ),
        Event(D(2026, 1, 10), "review", "engagement 4, loyalty 3, satisfaction 5, overall 2", "ana"),
    ]


def test_attitude_changes_only_when_the_value_changes_first_entry_shown() -> None:
    history = [(D(2026, 1, 1), 0), (D(2026, 2, 1), 0), (D(2026, 3, 1), -2), (D(2026, 4, 1), -2), (D(2026, 5, 1), 2)]
    events = timeline([], [], [person(1, "Ada", history)], [])
    assert events == [
        Event(D(2026, 5, 1), "attitude", "Ada: hostile → champion", "ana"),
        Event(D(2026, 3, 1), "attitude", "Ada: neutral → hostile", "ana"),
        Event(D(2026, 1, 1), "attitude", "Ada: neutral", "ana"),
    ]


def test_attitude_histories_are_per_stakeholder() -> None:
    people = [person(1, "Ada", [(D(2026, 1, 1), 1)]), person(2, "Bo", [(D(2026, 1, 2), -1), (D(2026, 1, 3), 1)])]
    texts = [e.text for e in timeline([], [], people, [])]
    assert texts == ["Bo: unfriendly → friendly", "Bo: unfriendly", "Ada: friendly"]


def test_done_actions_with_their_date_open_ones_not() -> None:
    actions = [
        Action(account_id=1, objective_id=1, text="send proposal", done=True, done_at=D(2026, 4, 2), done_by="ana"),
        Action(account_id=1, objective_id=1, text="still open", due=D(2026, 4, 1)),
        Action(account_id=1, objective_id=1, text="done, date unknown", done=True),
    ]
    assert timeline([], [], [], actions) == [Event(D(2026, 4, 2), "done", "send proposal", "ana")]


def test_everything_merged_newest_first() -> None:
    people = [person(1, "Ada", [(D(2026, 2, 5), 1)])]
    events = timeline(
        [meeting(D(2026, 3, 1), [1]), meeting(D(2026, 1, 1), [1], "intro", "call")],
        [Review(account_id=1, date=D(2026, 2, 20))],
        people,
        [Action(account_id=1, objective_id=1, text="demo", done=True, done_at=D(2026, 4, 1))],
    )
    assert [(e.date, e.kind) for e in events] == [
        (D(2026, 4, 1), "done"),
        (D(2026, 3, 1), "meeting"),
        (D(2026, 2, 20), "review"),
        (D(2026, 2, 5), "attitude"),
        (D(2026, 1, 1), "call"),
    ]
    dates = [e.date for e in events]
    assert dates == sorted(dates, reverse=True)


def test_same_day_events_keep_a_stable_order() -> None:
    day = D(2026, 3, 1)
    events = timeline(
        [meeting(day, [])],
        [Review(account_id=1, date=day)],
        [person(1, "Ada", [(day, 1)])],
        [Action(account_id=1, objective_id=1, text="demo", done=True, done_at=day)],
    )
    assert [e.kind for e in events] == ["meeting", "review", "attitude", "done"]
