"""Today and ``kamtui due`` rank by what is at stake and show plan hygiene, item for item alike:
``kamtui due --sort stakes|late|name`` on a real file in a subprocess, and Today under Pilot."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import Account, Action, Objective, Opportunity, Stakeholder
from kamtui.report.due import summary_line
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.store.today import today_queue
from kamtui.ui.app import KamApp
from kamtui.ui.guided import GuidedReviewScreen
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.today import TodayScreen
from tests.cli_run import assert_one_error, kamtui_run, sealed_env
from tests.test_ui import screen_text, settle

TODAY = dt.date(2026, 3, 10)
TODAY_ARGS = ("--today", TODAY.isoformat())


def day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def build(path: Path) -> dict[str, int]:
    """A 300k candidate with an action 7 weeks late, and a 1.5M key account (0.4M weighted
    pipeline) whose map is red with an action 3 weeks late, a person never contacted and an
    objective 3 weeks past its date."""
    store = Store(path, user="tester")
    ids: dict[str, int] = {}
    try:
        small = store.insert("accounts", Account(name="Aardvark Candidate", tier="candidate", revenue=300_000).to_doc())
        big = store.insert("accounts", Account(name="Zephyr Key", tier="key", owner="ana", revenue=1_500_000).to_doc())
        store.insert(
            "opportunities", Opportunity(account_id=big, title="Roll-out", value=800_000, stage="propose").to_doc()
        )
        ids["small"], ids["big"] = small, big
        for acc, text, late in ((small, "Send the brochure", 49), (big, "Ask Miguel for the CEO meeting", 21)):
            objective = store.insert("objectives", Objective(account_id=acc, title=f"Grow {acc}", due=day(90)).to_doc())
            ids[f"action_{acc}"] = store.insert(
                "actions",
                Action(account_id=acc, objective_id=objective, text=text, owner="ana", due=day(-late)).to_doc(),
            )
        ids["ceo"] = store.insert(
            "objectives", Objective(account_id=big, title="Meet the new CEO", due=day(-21), status="at_risk").to_doc()
        )
        store.insert(
            "actions", Action(account_id=big, objective_id=ids["ceo"], text="Find a sponsor", owner="ana").to_doc()
        )
        ids["dana"] = store.insert(
            "stakeholders",
            Stakeholder(
                account_id=big,
                name="Dana",
                role="economic_buyer",
                influence="high",
                friendliness=-1,
                contact_every_days=30,
            ).to_doc(),
        )
    finally:
        store.close(compact=False)
    return ids


def due_json(tmp_path: Path, db: Path, *args: str) -> list[dict[str, Any]]:
    run = kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--format", "json", *args)
    assert run.rc == 0 and run.err == "", run
    items: list[dict[str, Any]] = json.loads(run.out)["items"]
    return items


def accounts_of(items: list[dict[str, Any]], kind: str) -> list[str]:
    return [it["account"] for it in items if it["kind"] == kind]


def test_due_sorts_by_stakes_by_default_and_by_late_or_name_on_request(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    build(db)
    default = due_json(tmp_path, db)
    assert default == due_json(tmp_path, db, "--sort", "stakes")
    assert accounts_of(default, "action") == ["Zephyr Key", "Aardvark Candidate"]
    ranked = {it["title"]: it["ranked"] for it in default}
    assert ranked["Ask Miguel for the CEO meeting"] == "1.9M key, map red, 3w late"
    assert ranked["Send the brochure"] == "300k candidate, 7w late"
    assert ranked["Dana"] == "1.9M key, map red, never contacted"
    plan = [it for it in default if it["kind"] == "plan"]
    assert [it["title"] for it in plan] == ["objective 'Meet the new CEO' 3w past its date, at risk"]
    assert accounts_of(due_json(tmp_path, db, "--sort", "late"), "action") == ["Aardvark Candidate", "Zephyr Key"]
    by_name = due_json(tmp_path, db, "--sort", "name")
    assert accounts_of(by_name, "action") == ["Aardvark Candidate", "Zephyr Key"]
    # The same items whatever the order.
    key = lambda it: json.dumps(it, sort_keys=True)  # noqa: E731
    assert sorted(map(key, by_name)) == sorted(map(key, default))


def test_due_table_says_why_each_item_ranks_where_it_does(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    build(db)
    run = kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, env=sealed_env(tmp_path, COLUMNS="160"))
    assert run.rc == 0, run
    lines = run.out.splitlines()
    assert "Plan hygiene (1)" in lines
    actions = lines[lines.index("Plan actions due (2)") + 1 :][:2]
    assert "Zephyr Key" in actions[0] and actions[0].endswith("  - ranked: 1.9M key, map red, 3w late")
    assert "Aardvark Candidate" in actions[1] and actions[1].endswith("  - ranked: 300k candidate, 7w late")


def test_a_bad_sort_is_one_line_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    build(db)
    run = kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--sort", "size")
    line = assert_one_error(run, 1)
    assert "--sort" in line and "'size'" in line and "stakes" in line
    assert run.out == ""


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


async def test_today_shows_plan_hygiene_and_the_ranked_words_as_due_does(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    ids = build(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(200, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            text = screen_text(app)
            assert "Plan hygiene (1)" in text
            assert "objective 'Meet the new CEO' 3w past its date, at risk" in text
            assert "ranked: 1.9M key, map red, 3w late" in text
            assert "ranked: 1.9M key, map red, never contacted" in text
            assert text.index("Ask Miguel for the CEO meeting") < text.index("Send the brochure")
            # Item for item what `kamtui due` lists.
            assert screen.items == today_queue(
                Portfolio(store, lambda: TODAY), TODAY, thresholds=app.session.thresholds
            )
            # The plan flag opens on its objective in the plan.
            for _ in range(len(screen.items) + 5):
                item = screen.current()
                if item is not None and item.kind == "plan":
                    break
                await pilot.press("j")
            assert item is not None and item.kind == "plan" and item.target_id == ids["ceo"]
            await pilot.press("enter")
            await settle(app, pilot)
            assert not isinstance(app.screen, TodayScreen)
            assert app.query_one(PlanPane).current_key() == f"o:{ids['ceo']}"
    finally:
        store.close(compact=False)


async def test_the_guided_review_walks_the_account_most_at_stake_first(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    ids = build(path)
    store = Store(path, user="tester")
    try:  # both due for review: the candidate 7 weeks late, the key account 3 weeks late
        for key, late in (("small", 49), ("big", 21)):
            store.update("accounts", ids[key], {"cadence": "weekly", "last_review": day(-7 - late).isoformat()})
    finally:
        store.close(compact=False)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            reviews = [it for it in screen.items if it.kind == "review"]
            assert [(it.account_id, it.days_late) for it in reviews] == [(ids["big"], 21), (ids["small"], 49)]
            assert app.session.due_for_review(mine=False) == [ids["big"], ids["small"]]
            await pilot.press("R")
            await settle(app, pilot)
            assert isinstance(app.screen, GuidedReviewScreen)
            assert app.screen.account_id == ids["big"]
    finally:
        store.close(compact=False)


def test_the_due_summary_line_says_less_rather_than_overflow() -> None:
    counts = {"review": 272, "action": 358, "contact": 482, "risk": 961, "plan": 274, "losing_touch": 18134}
    wide = summary_line(counts, TODAY, 200)
    assert wide.startswith("kamtui: 2026-03-10: 272 reviews due, 358 plan actions due, 482 stakeholders to contact")
    assert summary_line(counts, TODAY, 120) == (
        "kamtui: 2026-03-10: 272 reviews, 358 actions, 482 contacts, 961 risk alerts, 274 plan flags,"
        " 18134 losing touch"
    )
    cut = summary_line(counts, TODAY, 80)
    assert len(cut) == 80 and cut.endswith("…")
