"""Today's queue over hand-built documents with a frozen today."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from kamtui.domain.queue import QueueItem, Thresholds, build_queue, counts, review_due

D = dt.date
TODAY = D(2025, 3, 10)  # a Monday


def iso(days_ago: int) -> str:
    return (TODAY - dt.timedelta(days=days_ago)).isoformat()


def acc(name: str, owner: str = "ana", cadence: str = "weekly", last_review: str | None = None) -> dict[str, Any]:
    return {"name": name, "owner": owner, "cadence": cadence, "last_review": last_review}


def queue(
    accounts: list[tuple[int, dict[str, Any]]],
    actions: list[tuple[int, dict[str, Any]]] | None = None,
    stakeholders: list[tuple[int, dict[str, Any]]] | None = None,
    **kw: Any,
) -> list[QueueItem]:
    return build_queue(accounts, actions or [], stakeholders or [], TODAY, **kw)


def by_title(items: list[QueueItem]) -> dict[str, QueueItem]:
    return {f"{it.kind}:{it.account}:{it.title}": it for it in items}


# ------------------------------------------------------------------------------ reviews


def test_review_due_exactly_today_is_amber() -> None:
    [item] = queue([(1, acc("Acme", last_review=iso(7)))])
    assert (item.kind, item.due, item.days_late, item.severity) == ("review", TODAY, 0, 1)
    assert item.detail == f"last review {iso(7)}"
    assert item.account_id == 1 and item.owner == "ana" and item.title == "review due"


def test_overdue_review_is_red_with_days_late() -> None:
    [item] = queue([(1, acc("Acme", last_review=iso(10)))])
    assert (item.due, item.days_late, item.severity) == (TODAY - dt.timedelta(days=3), 3, 2)


def test_review_one_day_late_is_red() -> None:
    [item] = queue([(1, acc("Acme", last_review=iso(8)))])
    assert (item.days_late, item.severity) == (1, 2)


def test_review_ahead_shows_only_within_days() -> None:
    accounts = [(1, acc("Acme", last_review=iso(4)))]  # due in 3 days
    assert queue(accounts) == []
    assert queue(accounts, days=2) == []  # the day before the due date: still outside
    [item] = queue(accounts, days=3)  # exactly on the horizon: inside
    assert (item.days_late, item.severity) == (-3, 0)
    assert len(queue(accounts, days=30)) == 1


def test_never_reviewed_is_due_today() -> None:
    [item] = queue([(1, acc("Acme", cadence="monthly", last_review=None))])
    assert (item.due, item.days_late, item.severity) == (TODAY, 0, 1)
    assert item.detail == "last review never"


def test_no_cadence_or_invalid_cadence_is_never_due() -> None:
    accounts = [
        (1, acc("NoCadence", cadence="")),
        (2, acc("NoCadenceKey", cadence=None)),  # type: ignore[arg-type]
        (3, acc("Garbage", cadence="fortnightly")),  # never reviewed: used to show as due today
        (4, acc("Garbage2", cadence="FREQ=WEEKLY;INTERVAL=0", last_review=iso(30))),  # used to hang
        (5, {"name": "Bare"}),
    ]
    assert queue(accounts, days=365) == []
    assert review_due({"cadence": "fortnightly"}, TODAY) is None


def test_unreadable_last_review_counts_as_never() -> None:
    [item] = queue([(1, acc("Acme", last_review="not a date"))])
    assert item.due == TODAY


# ------------------------------------------------------------------------------ actions


def action(account_id: int, text: str, due: str | None, **kw: Any) -> dict[str, Any]:
    return {"account_id": account_id, "objective_id": 1, "text": text, "due": due, **kw}


def test_actions_due_overdue_done_and_undated() -> None:
    accounts = [(1, acc("Acme", cadence=""))]
    actions = [
        (10, action(1, "due today", iso(0))),
        (11, action(1, "overdue", iso(4), owner="bo")),
        (12, action(1, "done and overdue", iso(9), done=True)),
        (13, action(1, "no due date", None)),
        (14, action(1, "in two days", iso(-2))),
        (15, action(99, "orphan", iso(3))),  # its account is not in the list
    ]
    items = queue(accounts, actions)
    assert [it.title for it in items] == ["overdue", "due today"]
    overdue, today = items
    assert (overdue.days_late, overdue.severity, overdue.target_id, overdue.owner) == (4, 2, 11, "bo")
    assert overdue.detail == "owner bo"
    assert (today.days_late, today.severity, today.target_id, today.owner) == (0, 1, 10, "ana")
    assert today.detail == "owner -"

    ahead = [it for it in queue(accounts, actions, days=2) if it.title == "in two days"]
    assert [(it.days_late, it.severity) for it in ahead] == [(-2, 0)]
    assert not [it for it in queue(accounts, actions, days=1) if it.title == "in two days"]


# ------------------------------------------------------------------------------ contacts


def person(account_id: int, name: str, every: Any, last: str | None, **kw: Any) -> dict[str, Any]:
    return {"account_id": account_id, "name": name, "contact_every_days": every, "last_contact": last, **kw}


def test_contact_cadence_amber_then_red() -> None:
    accounts = [(1, acc("Acme", cadence=""))]
    people = [
        (20, person(1, "at ideal", 30, iso(30))),  # due exactly today: amber
        (21, person(1, "past ideal", 30, iso(31))),
        (22, person(1, "at max", 30, iso(45))),  # 30 x 1.5 = 45: not yet past max
        (23, person(1, "past max", 30, iso(46))),
        (24, person(1, "never", 30, None)),
        (25, person(1, "recent", 30, iso(10))),
        (26, person(1, "left", 30, iso(400), left=True)),
        (27, person(1, "no cadence", None, iso(400))),
        (28, person(1, "bool cadence", True, iso(400))),
        (29, person(1, "zero cadence", 0, iso(400))),
    ]
    items = by_title(queue(accounts, stakeholders=people))
    # Without a cadence of their own, a person is due by the default one (kamtui.domain.contact):
    # "losing touch", on accounts under review only (Acme has no review cadence here).
    assert set(items) == {f"contact:Acme:{n}" for n in ("at ideal", "past ideal", "at max", "past max", "never")}
    reviewed = by_title(queue([(1, acc("Acme", cadence="quarterly"))], stakeholders=people))
    assert "losing_touch:Acme:no cadence" in reviewed and "losing_touch:Acme:bool cadence" not in reviewed

    def sev(name: str) -> tuple[int, int]:
        it = items[f"contact:Acme:{name}"]
        return it.severity, it.days_late

    assert sev("at ideal") == (1, 0)
    assert sev("past ideal") == (1, 1)
    assert sev("at max") == (1, 15)
    assert sev("past max") == (2, 16)
    assert sev("never") == (2, 0)
    assert items["contact:Acme:never"].detail == "never contacted, every 30d"
    assert items["contact:Acme:past max"].detail == "last contact 46d ago, every 30d"
    assert items["contact:Acme:past max"].target_id == 23


def test_contact_ahead_within_days_is_on_time() -> None:
    accounts = [(1, acc("Acme", cadence=""))]
    people = [(20, person(1, "soon", 30, iso(27)))]  # due in 3 days
    assert queue(accounts, stakeholders=people, days=2) == []
    [item] = queue(accounts, stakeholders=people, days=3)
    assert (item.severity, item.days_late) == (0, -3)


def test_contact_max_factor_is_tunable() -> None:
    accounts = [(1, acc("Acme", cadence=""))]
    people = [(20, person(1, "p", 10, iso(12)))]
    assert queue(accounts, stakeholders=people)[0].severity == 1
    tight = Thresholds(contact_max_factor=1.1)
    assert queue(accounts, stakeholders=people, thresholds=tight)[0].severity == 2


def test_contact_owner_falls_back_to_the_account_owner() -> None:
    accounts = [(1, acc("Acme", owner="ana", cadence=""))]
    people = [(20, person(1, "p", 10, None)), (21, person(1, "q", 10, None, owner="bo"))]
    owners = {it.title: it.owner for it in queue(accounts, stakeholders=people)}
    assert owners == {"p": "ana", "q": "bo"}


# ------------------------------------------------------------------------------ filters, order, counts


def world() -> tuple[list[Any], list[Any], list[Any]]:
    accounts = [
        (1, acc("Acme", owner="Ana", last_review=iso(7))),  # review due today
        (2, acc("bolt", owner="ana", last_review=iso(20))),  # review 13 days late
        (3, acc("Crux", owner="Bob", last_review=iso(9))),  # review 2 days late
        (4, acc("Dyn", owner="", last_review=iso(1))),  # not due
        (5, {"name": "Echo", "owner": None, "cadence": "weekly", "last_review": iso(8)}),
    ]
    actions = [
        (10, action(1, "call CTO", iso(1))),
        (11, action(3, "send deck", iso(5))),
        (12, action(2, "book visit", iso(0))),
    ]
    people = [
        (20, person(1, "Marta", 30, None)),
        (21, person(3, "Luis", 30, iso(31))),
        (22, person(2, "Zoe", 30, iso(50))),
    ]
    return accounts, actions, people


def test_order_is_reviews_actions_contacts_most_urgent_first() -> None:
    items = queue(*world())
    assert [(it.kind, it.account, it.title) for it in items] == [
        ("review", "bolt", "review due"),  # red, 13 late
        ("review", "Crux", "review due"),  # red, 2 late
        ("review", "Echo", "review due"),  # red, 1 late
        ("review", "Acme", "review due"),  # amber
        ("action", "Crux", "send deck"),
        ("action", "Acme", "call CTO"),
        ("action", "bolt", "book visit"),  # amber, due today
        ("contact", "bolt", "Zoe"),  # red, 20 late
        ("contact", "Acme", "Marta"),  # red, never contacted
        ("contact", "Crux", "Luis"),  # amber
    ]
    assert [it.severity for it in items] == [2, 2, 2, 1, 2, 2, 1, 2, 2, 1]


def test_equal_urgency_is_ordered_by_account_name_ignoring_case() -> None:
    accounts = [(i, acc(name, last_review=iso(7))) for i, name in enumerate(["delta", "Bravo", "alpha", "Charlie"])]
    assert [it.account for it in queue(accounts)] == ["alpha", "Bravo", "Charlie", "delta"]


@pytest.mark.parametrize("owner", ["ana", "ANA", "Ana", " ana "])
def test_owner_filter_is_case_insensitive(owner: str) -> None:
    items = queue(*world(), owner=owner)
    assert {it.account for it in items} == {"Acme", "bolt"}
    assert counts(items) == {"review": 2, "action": 2, "contact": 2, "losing_touch": 0, "risk": 0, "plan": 0}


def test_owner_filter_matching_nobody_and_null_owner() -> None:
    assert queue(*world(), owner="zed") == []
    # A null owner is no owner, not the text "None".
    assert queue(*world(), owner="none") == []
    echo = [it for it in queue(*world()) if it.account == "Echo"]
    assert echo and all(it.owner == "" for it in echo)


def test_kinds_limits_what_is_built() -> None:
    items = queue(*world(), kinds=frozenset({"action"}))
    assert {it.kind for it in items} == {"action"}


def test_counts() -> None:
    assert counts(queue(*world())) == {"review": 4, "action": 3, "contact": 3, "losing_touch": 0, "risk": 0, "plan": 0}
    assert counts([]) == {"review": 0, "action": 0, "contact": 0, "losing_touch": 0, "risk": 0, "plan": 0}


def test_queue_item_to_json() -> None:
    [item] = queue([(7, acc("Acme", last_review=iso(9)))])
    assert item.to_json() == {
        "kind": "review",
        "account_id": 7,
        "account": "Acme",
        "owner": "ana",
        "title": "review due",
        "detail": f"last review {iso(9)}",
        "due": iso(2),
        "days_late": 2,
        "severity": 2,
        "target_id": None,
        "never_contacted": False,
        "ranked": "",
    }


def test_the_queue_accepts_generators() -> None:
    accounts, actions, people = world()
    items = build_queue(iter(accounts), iter(actions), iter(people), TODAY)
    assert len(items) == 10
