"""Plan hygiene: overdue objectives, objectives with no open action, actions with no owner, each in
words, as Today's "plan" items (kamtui.domain.hygiene), over hand-built documents."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from kamtui.domain.hygiene import ACTION, OBJECTIVE, objective_problem, plan_items
from kamtui.domain.model import Objective
from kamtui.domain.queue import DEFAULT_THRESHOLDS, KIND_ORDER, KIND_TITLES, Thresholds

TODAY = dt.date(2026, 3, 10)
ACCOUNTS: dict[int, dict[str, Any]] = {
    1: {"name": "Solano Retail Group", "owner": "chloe"},
    2: {"name": "Brightwater", "owner": "ana"},
}


def day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


def obj(account: int, title: str, due: int | None = None, status: str = "open", owner: str = "") -> dict[str, Any]:
    return {
        "account_id": account,
        "title": title,
        "due": None if due is None else day(due),
        "status": status,
        "owner": owner,
    }


def act(
    account: int, objective: int, text: str, owner: str = "ana", due: int | None = 5, done: bool = False
) -> dict[str, Any]:
    return {
        "account_id": account,
        "objective_id": objective,
        "text": text,
        "owner": owner,
        "due": None if due is None else day(due),
        "done": done,
    }


def items(
    objectives: list[tuple[int, dict[str, Any]]],
    actions: list[tuple[int, dict[str, Any]]],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    accounts: dict[int, dict[str, Any]] = ACCOUNTS,
) -> list[Any]:
    return plan_items(objectives, actions, accounts.get, TODAY, thresholds)


def test_plan_hygiene_is_a_group_of_today() -> None:
    assert "plan" in KIND_ORDER and KIND_TITLES["plan"] == "Plan hygiene"


def test_an_at_risk_objective_past_its_date_says_so_in_words() -> None:
    [item] = items([(10, obj(1, "Meet the new CEO", due=-21, status="at_risk"))], [(20, act(1, 10, "Ask Miguel"))])
    assert item.kind == "plan" and item.title == "objective 'Meet the new CEO' 3w past its date, at risk"
    assert (item.account_id, item.account, item.owner) == (1, "Solano Retail Group", "chloe")
    assert (item.detail, item.target_id) == (OBJECTIVE, 10)
    assert (item.due, item.days_late, item.severity) == (TODAY - dt.timedelta(days=21), 21, 2)


def test_an_open_objective_is_amber_until_the_red_threshold() -> None:
    served = [(20, act(1, 10, "Draft")), (21, act(1, 11, "Draft"))]
    found = items([(10, obj(1, "Renew", due=-5)), (11, obj(1, "Expand", due=-21))], served)
    assert [(it.title, it.severity) for it in found] == [
        ("objective 'Expand' 3w past its date", 2),  # red first
        ("objective 'Renew' 5d past its date", 1),
    ]
    later = dataclasses.replace(DEFAULT_THRESHOLDS, objective_late_red_days=30)
    assert {it.severity for it in items([(11, obj(1, "Expand", due=-21))], served, later)} == {1}


def test_an_objective_no_open_action_serves() -> None:
    objectives = [
        (10, obj(1, "Win the hub", due=30)),
        (11, obj(1, "Served", due=30)),
        (12, obj(1, "Only done", due=30)),
    ]
    actions = [(20, act(1, 11, "Open one")), (21, act(1, 12, "Done one", done=True))]
    found = items(objectives, actions)
    assert [(it.title, it.target_id, it.severity, it.due) for it in found] == [
        ("objective 'Only done' has no open action", 12, 1, None),
        ("objective 'Win the hub' has no open action", 10, 1, None),
    ]


def test_an_overdue_objective_without_action_is_one_item_saying_both() -> None:
    [item] = items([(10, obj(1, "Meet the CEO", due=-3))], [])
    assert item.title == "objective 'Meet the CEO' 3d past its date, no open action"


def test_done_and_dropped_objectives_are_never_flagged() -> None:
    objectives = [(10, obj(1, "A", due=-90, status="done")), (11, obj(1, "B", due=-90, status="dropped"))]
    objectives.append((12, obj(1, "C", due=-90, status="Done")))  # a spelling the model converts
    assert items(objectives, []) == []


def test_an_open_action_without_owner_due_soon_or_undated() -> None:
    objectives = [(10, obj(1, "Goal", due=60))]
    actions = [
        (20, act(1, 10, "Send the proposal", owner="", due=3)),
        (21, act(1, 10, "Book the visit", owner="  ", due=None)),
        (22, act(1, 10, "Far away", owner="", due=45)),  # beyond unowned_action_days (30)
        (23, act(1, 10, "Done already", owner="", due=1, done=True)),
        (24, act(1, 10, "Owned", owner="ana", due=1)),
    ]
    found = items(objectives, actions)
    assert [(it.title, it.detail, it.target_id, it.severity) for it in found] == [
        ("action 'Book the visit' has no owner and no date", ACTION, 21, 1),
        ("action 'Send the proposal' has no owner", ACTION, 20, 1),
    ]
    assert found[1].due == TODAY + dt.timedelta(days=3) and found[1].days_late == -3
    assert found[1].owner == "chloe"  # the account's owner is whom Today shows it to
    wider = dataclasses.replace(DEFAULT_THRESHOLDS, unowned_action_days=60)
    assert len(items(objectives, actions, wider)) == 3


def test_the_owner_filter_and_missing_accounts_leave_items_out() -> None:
    objectives = [(10, obj(1, "Solano's", due=-3)), (11, obj(2, "Brightwater's", due=-3)), (12, obj(9, "Gone", due=-3))]
    only_ana = {2: ACCOUNTS[2]}
    assert [it.account for it in items(objectives, [], accounts=only_ana)] == ["Brightwater"]


def test_a_document_the_model_refuses_is_left_out() -> None:
    objectives: list[tuple[int, dict[str, Any]]] = [
        (10, {"account_id": 1, "due": day(-3)}),  # no title
        (11, {"account_id": 1, "title": "Bad date", "due": "soon"}),
        (12, obj(1, "Good", due=-3)),
    ]
    actions: list[tuple[int, dict[str, Any]]] = [(20, {"objective_id": 10, "text": "no account", "owner": ""})]
    assert [it.target_id for it in items(objectives, actions)] == [12]


def test_objective_problem_on_the_entity() -> None:
    o = Objective(account_id=1, title="T" * 80, due=TODAY - dt.timedelta(days=100), status="at_risk")
    problem = objective_problem(o, True, TODAY)
    assert problem is not None
    words, severity = problem
    assert words == f"objective '{'T' * 59}…' 3mo past its date, at risk" and severity == 2
    assert objective_problem(Objective(account_id=1, title="Fine", due=TODAY), True, TODAY) is None
