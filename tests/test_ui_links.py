"""Links (issue 12, item 5): the people an objective or action concerns, and the flag on an open
one about someone hostile, silent or gone; all reviews (item 6); the reason of an attitude
change (item 7); the review's 1-5 overall score named apart from the 0-100 health (item 12c)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.links import link_flags, person_flags
from kamtui.domain.model import Review, Stakeholder
from kamtui.domain.timeline import timeline
from kamtui.store import Op, Store
from kamtui.ui.activity import TimelineScreen
from kamtui.ui.forms import FormScreen
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.panes.reviews import ReviewPane
from kamtui.ui.panes.stakeholders import StakeholderPane
from kamtui.ui.plan_texts import all_reviews_text, links_suffix
from tests.hostile import STORABLE_NAMES
from tests.test_ui import make, screen_text, settle
from tests.ui_fixtures import TODAY, d

SIZES = pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


def person(**kw: Any) -> Stakeholder:
    base: dict[str, Any] = {"account_id": 1, "name": "Rosa Díaz", "role": "user", "influence": "low", "id": 5}
    return Stakeholder(**{**base, **kw})


# ------------------------------------------------------------------ pure rules
def test_flags_hostile_silent_never_and_left() -> None:
    assert person_flags(person(friendliness=-2, last_contact=d(-1)), TODAY) == ["Rosa Díaz is hostile"]
    assert person_flags(person(friendliness=-1), TODAY) == ["Rosa Díaz is unfriendly"]
    assert person_flags(person(), TODAY) == []  # no cadence, not a key player: never silent
    assert person_flags(person(contact_every_days=30, last_contact=d(-70)), TODAY) == ["Rosa Díaz silent 70d"]
    assert person_flags(person(contact_every_days=30, last_contact=d(-30)), TODAY) == []
    key = person(role="decision_maker", last_contact=d(-61))  # key player: the 60-day threshold
    assert person_flags(key, TODAY) == ["Rosa Díaz silent 61d"]
    assert person_flags(person(role="decision_maker"), TODAY) == ["Rosa Díaz never contacted"]
    assert person_flags(person(left=True, friendliness=-2), TODAY) == ["Rosa Díaz has left"]
    people = {5: person(friendliness=-2), 6: person(id=6, name="Carl")}
    assert link_flags([6, 5, 99], people, TODAY) == {5: ["Rosa Díaz is hostile"]}


def test_links_suffix_names_people_and_flags_in_words() -> None:
    people = {5: person(name="[bold]Rosa\x1b[2J"), 6: person(id=6, name="Carl Champion")}
    text = links_suffix([5, 6, 99], people, {5: ["[bold]Rosa\x1b[2J is hostile"]}).plain
    assert text.startswith("  ⚑ [bold]Rosa") and text.endswith("  → Carl Champion, 1 removed")
    assert "\x1b" not in text
    assert links_suffix([], people, {}).plain == ""


def test_all_reviews_newest_first_with_reviewer_scores_notes() -> None:
    reviews = [
        Review(
            account_id=1,
            date=d(-30 * i),
            reviewer=f"r{i}",
            engagement=i % 5 + 1,
            loyalty=3,
            satisfaction=3,
            health=2,
            notes=f"note {i}",
        )
        for i in range(7)
    ]
    lines = all_reviews_text(reviews).plain.split("\n")
    assert lines[0].startswith(f"{TODAY.isoformat()}  by r0") and "overall 1-5 2" in lines[0]
    assert lines[1] == "  note 0" and len(lines) == 14 and "note 6" in lines[-1]


def test_timeline_carries_the_reason_and_names_the_overall_score() -> None:
    s = person(friendliness=0).with_friendliness(-2, TODAY, "ana", "cut our budget")
    events = timeline([], [], [s], [])
    assert [e.text for e in events] == ["Rosa Díaz: neutral → hostile · cut our budget"]
    s = s.with_friendliness(-1, d(1), "ana", "")
    assert timeline([], [], [s], [])[0].text == "Rosa Díaz: hostile → unfriendly"
    r = Review(account_id=1, date=TODAY, reviewer="ana", engagement=4, loyalty=3, satisfaction=5, health=2)
    assert "overall 2" in timeline([], [r], [], [])[0].text


# ------------------------------------------------------------------ Pilot
async def _plan(app: Any, pilot: Any) -> PlanPane:
    await settle(app, pilot)
    await pilot.press("2")
    await settle(app, pilot)
    return app.query_one(PlanPane)  # type: ignore[no-any-return]


async def _cursor_to(pilot: Any, plan: PlanPane, key: str) -> None:
    await pilot.press("g")
    for _ in range(60):
        if plan.current_key() == key:
            return
        await pilot.press("j")
    raise AssertionError(key)


@SIZES
async def test_action_concerns_a_hostile_person_and_the_plan_flags_it(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=size) as pilot:
        plan = await _plan(app, pilot)
        await _cursor_to(pilot, plan, f"a:{ids['open_action']}")
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        concerns = form.query_one("#f-stakeholders")
        assert "Concerns (space ticks)" in " ".join(str(w.render()) for w in form.query(".field-label"))
        concerns.select(str(ids["hostile_dm"]))  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get("actions", ids["open_action"])["stakeholders"] == [ids["hostile_dm"]]  # type: ignore[index]
        await pilot.press("z")
        await settle(app, pilot)
        line = next(row for row in screen_text(app).split("\n") if "Book the CTO" in row)
        assert "⚑ Dana Decider is hostile" in line
        # The objective: its form has the field too; done, it is no longer flagged.
        await _cursor_to(pilot, plan, f"o:{ids['objective']}")
        await pilot.press("e")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        form.query_one("#f-stakeholders").select(str(ids["hostile_dm"]))  # type: ignore[attr-defined]
        form.query_one("#f-status").value = "done"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        line = next(row for row in screen_text(app).split("\n") if "Win the renewal" in row)
        assert "→ Dana Decider" in line and "⚑" not in line  # done: named, not flagged
        await pilot.press("u")
        await settle(app, pilot)
        assert store.get("objectives", ids["objective"])["stakeholders"] == []  # type: ignore[index]


async def test_hostile_names_in_concerns_are_data(tmp_path: Path) -> None:
    from tests.ui_fixtures import build_portfolio

    path = tmp_path / "h.json"
    ids = build_portfolio(path, STORABLE_NAMES)
    store = Store(path, user="tester")
    store.commit([Op("update", "actions", ids["open_action"], {"stakeholders": [ids["hostile_dm"], ids["user"]]})])
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _plan(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        text = screen_text(app)
        assert "\x1b" not in text and "→ " in text
    store.close(compact=False)


@SIZES
async def test_attitude_change_asks_why_saves_once_and_undoes(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        pane = app.query_one(StakeholderPane)
        while pane.current().id != ids["hostile_dm"]:  # type: ignore[union-attr]
            await pilot.press("j")
        before = store.get("stakeholders", ids["hostile_dm"])
        await pilot.press("plus")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, FormScreen) and form.title_text == "Dana Decider: hostile → unfriendly"
        await pilot.press("escape")  # changes nothing
        await settle(app, pilot)
        assert store.get("stakeholders", ids["hostile_dm"]) == before
        await pilot.press("plus")
        await settle(app, pilot)
        await pilot.press(*"[bold]new CFO\x1b[2J")
        await pilot.press("enter")
        await settle(app, pilot)
        doc = store.get("stakeholders", ids["hostile_dm"])
        assert doc is not None and doc["friendliness"] == -1 and doc["rev"] == before["rev"] + 1  # type: ignore[index]
        assert doc["friendliness_history"][-1]["reason"] == "[bold]new CFO[2J"
        await pilot.press("i")
        await settle(app, pilot)
        assert isinstance(app.screen, TimelineScreen)
        # Her first recorded change (the fixture stores no history): before → after, and why.
        assert "Dana Decider: hostile → unfriendly · [bold]new CFO[2J" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("u")  # one undo: the change and its reason
        await settle(app, pilot)
        after = store.get("stakeholders", ids["hostile_dm"])
        assert after is not None and after["friendliness"] == -2
        assert after["friendliness_history"] == before["friendliness_history"]  # type: ignore[index]


@SIZES
async def test_reviews_pane_lists_every_review_and_zoom_shows_them_all(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    aid = db[1]["acme"]
    store.commit(
        [
            Op(
                "insert",
                "reviews",
                None,
                Review(
                    account_id=aid,
                    date=d(-400 + 20 * i),
                    reviewer=f"rev{i}",
                    engagement=3,
                    loyalty=3,
                    satisfaction=3,
                    health=4,
                    notes=f"old note {i}",
                ).to_doc(),
            )
            for i in range(6)
        ]
    )
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("3")
        await settle(app, pilot)
        pane = app.query_one(ReviewPane)
        assert pane.border_subtitle == "9 reviews"
        await pilot.press("z")
        await settle(app, pilot)
        text = screen_text(app)
        assert "All reviews, newest first" in text and "overall 1-5" in text and "hlth" not in text
        seen = set()
        for _ in range(40):  # scroll to the end: every review passes by, the oldest last
            seen |= {i for i in range(6) if f"old note {i}" in screen_text(app)}
            await pilot.press("j")
            await pilot.pause()
        assert seen == set(range(6))
        assert "by rev0" in screen_text(app) and dt.date.fromisoformat(d(-400).isoformat()).isoformat() in screen_text(
            app
        )
