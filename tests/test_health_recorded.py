"""Health is recorded, never recomputed (issue 13, item 1): each review stores the health and its
parts as they were that day; the history and the trend come from stored values; today's health
says in words what moved since the last review; one trend rule for health and every measure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui.domain.errors import ValidationError
from kamtui.domain.health import (
    DEFAULT_TREND_POINTS,
    Health,
    HealthPoint,
    attitude_changes,
    health,
    recorded_health,
    review_score,
    since_review,
    trend,
)
from kamtui.domain.model import (
    Account,
    Action,
    FriendlinessChange,
    Interaction,
    Objective,
    Review,
    Stakeholder,
)
from kamtui.domain.queue import DEFAULT_THRESHOLDS
from kamtui.store import Store
from kamtui.store.exchange import dump_json, import_json
from kamtui.store.portfolio import Portfolio, account_health
from kamtui.ui.plan_texts import score_trends

D = dt.date
TODAY = D(2026, 11, 23)
NOV_3 = D(2026, 11, 3)


def rv(e: int = 3, day: dt.date = NOV_3, **kw: object) -> Review:
    return Review(account_id=1, date=day, engagement=e, loyalty=e, satisfaction=e, health=e, **kw)  # type: ignore[arg-type]


def person(name: str, now: int, history: list[tuple[dt.date, int]], **kw: object) -> Stakeholder:
    changes = [FriendlinessChange(day, value, "ana") for day, value in history]
    return Stakeholder(account_id=1, name=name, friendliness=now, friendliness_history=changes, **kw)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------- the trend rule
@pytest.mark.parametrize(
    ("values", "lo", "hi", "arrow"),
    [
        ((), 0, 100, ""),
        ((50,), 0, 100, ""),
        ((50, 53), 0, 100, "▲"),
        ((50, 52), 0, 100, "▶"),
        ((50, 47), 0, 100, "▼"),
        ((10, 90, 60), 0, 100, "▼"),  # the last step only
        ((3, 4), 1, 5, "▲"),  # one step of a 1-5 measure is 25 points of 100
        ((4, 3), 1, 5, "▼"),
        ((4, 2, 2), 1, 5, "▶"),  # was "▼" in the reviews pane: it compared with the first review
        ((2, 4, 4), 1, 5, "▶"),
    ],
)
def test_one_trend_rule_for_health_and_every_measure(values: tuple[int, ...], lo: int, hi: int, arrow: str) -> None:
    assert trend(values, lo, hi) == arrow


def test_the_trend_threshold_is_a_setting() -> None:
    assert DEFAULT_THRESHOLDS.health_trend_points == DEFAULT_TREND_POINTS
    assert trend((50, 55), points=10) == "▶" and trend((50, 60), points=10) == "▲"
    assert Health(60, {}, (50, 60), (), 20).trend == "▶"


def test_the_trend_threshold_is_read_from_the_config_file(tmp_path: Path) -> None:
    from kamtui.store.config import load_thresholds
    from kamtui.store.errors import StoreError

    cfg = tmp_path / "config.toml"
    cfg.write_text("[thresholds]\nhealth_trend_points = 10\n", encoding="utf-8")
    assert load_thresholds(cfg).health_trend_points == 10.0
    cfg.write_text("[thresholds]\nhealth_trend_points = -1\n", encoding="utf-8")
    with pytest.raises(StoreError, match="health_trend_points"):
        load_thresholds(cfg)


def test_each_review_shows_the_health_recorded_with_it() -> None:
    from kamtui.ui.plan_texts import all_reviews_text

    text = all_reviews_text([rv(3, D(2026, 10, 1)), rv(4, NOV_3, health_score=72, health_reviews=75)]).plain
    newest, older = text.split("\n")
    assert newest.endswith("overall 1-5 4  health 72") and older.endswith("overall 1-5 3")


def test_the_reviews_pane_trends_follow_the_rule() -> None:
    # engagement went 4, 2, 2: level since the last review, whatever the first one said.
    lines = score_trends([rv(4, D(2026, 9, 1)), rv(2, D(2026, 10, 1)), rv(2, NOV_3)]).plain.split("\n")
    assert lines[0].startswith("engagement") and lines[0].endswith(" 2 ▶")


# ------------------------------------------------------------------ recorded, never recomputed
def test_a_review_keeps_its_health_and_older_ones_load_without() -> None:
    r = rv(health_score=70, health_reviews=50, health_plan=85)
    back = Review.from_doc(r.to_doc())
    assert (back.health_score, back.health_parts) == (70, {"reviews": 50, "plan": 85})
    old = {k: x for k, x in r.to_doc().items() if not k.startswith("health_")}
    assert (Review.from_doc(old).health_score, Review.from_doc(old).health_parts) == (None, {})
    with pytest.raises(ValidationError, match="health_score"):
        rv(health_score=101)
    with pytest.raises(ValidationError, match="health_plan"):
        Review.from_doc({**r.to_doc(), "health_plan": "lots"})
    with pytest.raises(ValidationError, match="health_contact"):
        rv(health_contact=-1)


def test_recorded_health_is_that_days_blend() -> None:
    people = [person("Rosa", 1, [])]  # relationships 75
    late = Action(account_id=1, objective_id=1, text="x", due=D(2026, 11, 1))
    score, parts = recorded_health(rv(5), people, [late])
    assert parts == {"reviews": 100, "relationships": 75, "plan": 0, "contact": 0}
    assert score == round((40 * 100 + 30 * 75) / 100)
    on_time = Action(account_id=1, objective_id=1, text="x", due=D(2026, 11, 10))  # late today, not on 3 Nov
    assert recorded_health(rv(5), people, [on_time])[1]["plan"] == 100


def test_history_is_what_was_stored_whatever_happens_today() -> None:
    reviews = [rv(5, D(2026, 9, 1), health_score=80, health_reviews=100), rv(1, NOV_3)]
    calm = health(reviews, [person("Rosa", 2, [])], [], TODAY)
    stormy = health(reviews, [person("Rosa", -2, [])], [], TODAY)
    assert calm.score != stormy.score
    assert calm.points == stormy.points
    assert calm.history[:-1] == stormy.history[:-1] == (80, review_score(reviews[1]))
    assert calm.history[-1] == calm.score  # today's comes last
    assert [p.recorded for p in calm.points] == [True, False]  # the old review: its own scores
    assert calm.estimated


# ------------------------------------------------------------------ what moved, in words
def test_what_moved_since_the_review_in_words() -> None:
    before = HealthPoint(NOV_3, 70, True, {"reviews": 50, "relationships": 50, "plan": 85, "contact": 100})
    now = {"reviews": 50, "relationships": 42, "plan": 100, "contact": 100}
    people = [
        person("Rosa", -1, [(D(2026, 10, 1), 1), (D(2026, 11, 10), -1)]),  # cooled after the review
        person("Carl", 2, [(D(2026, 10, 2), 2)]),  # changed before it: not news
        person("Dana", 0, [(D(2026, 10, 2), 0), (D(2026, 11, 5), -2), (D(2026, 11, 6), 0)]),  # and back
    ]
    h = Health(62, now, (70, 62), (before,))
    since = since_review(h, people, TODAY)
    assert since is not None
    assert (
        since.words()
        == "health 62 (▼ from 70 at the review of 3 Nov): plan +15, relationships -8: Rosa turned unfriendly"
    )
    assert (since.short(), since.tail()) == (
        "from 70",
        "since 3 Nov: plan +15, relationships -8: Rosa turned unfriendly",
    )
    assert attitude_changes(people, NOV_3) == ("Rosa turned unfriendly",)


def test_words_for_a_review_without_recorded_health_and_without_any() -> None:
    # Like is compared with like: without a recorded health, the reviews' own scores give the trend.
    reviews = [rv(4, D(2025, 11, 1)), rv(3, D(2025, 12, 1))]
    h = health(reviews, [person("Rosa", 2, [], last_contact=TODAY)], [], TODAY)
    assert h.score is not None and h.score > review_score(reviews[-1]) and h.trend == "▼"
    since = since_review(h, [], TODAY)
    assert since is not None and since.moves == () and since.short() == ""
    assert since.head() == "▼ by the reviews' own scores (the review of 1 Dec 2025 recorded no health)"
    assert since.tail() == "trend from the reviews' own scores"
    assert since_review(health([], [person("Rosa", 1, [])], [], TODAY), [], TODAY) is None


# ---------------------------------------------------------------------- through the portfolio
@pytest.fixture
def p(tmp_path: Path) -> Iterator[Portfolio]:
    store = Store(tmp_path / "k.json", "ana")
    yield Portfolio(store, lambda: TODAY)
    store.close()


def test_logging_ticking_and_attitudes_never_change_a_past_point(p: Portfolio) -> None:
    store = p.store
    aid = store.insert("accounts", Account(name="Solano", cadence="monthly").to_doc())
    rosa_id = store.insert(
        "stakeholders", person("Rosa", 1, [], last_contact=D(2026, 9, 1)).to_doc() | {"account_id": aid}
    )
    oid = store.insert("objectives", Objective(account_id=aid, title="Renew").to_doc())
    act_id = store.insert("actions", Action(account_id=aid, objective_id=oid, text="Call", due=D(2026, 11, 1)).to_doc())
    p.record_review(Review(account_id=aid, date=D(2026, 10, 1), engagement=4, loyalty=4, satisfaction=4, health=4))
    p.record_review(Review(account_id=aid, date=TODAY, engagement=2, loyalty=2, satisfaction=2, health=2))
    stored = p.reviews(aid)
    assert all(r.health_score is not None and r.health_parts for r in stored)
    first = account_health(p, aid, TODAY)
    assert first.history[:-1] == tuple(r.health_score for r in stored)

    p.log_interaction(Interaction(account_id=aid, date=TODAY, stakeholders=[rosa_id], summary="call"))
    action = p.get(Action, act_id)
    assert action is not None
    p.toggle_action(action)
    stored_rosa = p.get(Stakeholder, rosa_id)
    assert stored_rosa is not None
    p.set_friendliness(stored_rosa, -1, "price")

    after = account_health(p, aid, TODAY)
    assert after.points == first.points and after.history[:-1] == first.history[:-1]
    assert after.score != first.score  # today's health did move
    since = since_review(after, p.stakeholders(aid), TODAY)
    assert since is not None and "Rosa turned unfriendly" in since.moved()


def test_json_export_and_import_keep_the_recorded_health(p: Portfolio, tmp_path: Path) -> None:
    aid = p.store.insert("accounts", Account(name="Solano").to_doc())
    p.record_review(Review(account_id=aid, date=TODAY, engagement=5, loyalty=5, satisfaction=5, health=5))
    out = tmp_path / "export.json"
    out.write_text(dump_json(p.store), encoding="utf-8")
    other = Store(tmp_path / "other.json", "ben")
    try:
        import_json(other, out)
        [(_, doc)] = other.all("reviews")
        assert (doc["health_score"], doc["health_reviews"], doc["health_plan"]) == (100, 100, None)
    finally:
        other.close()


# ------------------------------------------------------------------------------- the TUI
async def test_the_header_and_the_reviews_pane_say_what_moved_since_the_review(
    db: tuple[Path, dict[str, int]], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamtui.ui.app import KamApp
    from tests.test_ui import screen_text, settle
    from tests.ui_fixtures import TODAY as UI_TODAY

    monkeypatch.setenv("USER", "tester")
    ids = db[1]
    review_day = UI_TODAY - dt.timedelta(days=20)  # 3 Nov: the ROI case was not late yet
    Portfolio(store, lambda: review_day).record_review(
        Review(account_id=ids["acme"], date=review_day, engagement=3, loyalty=3, satisfaction=3, health=3)
    )
    p = Portfolio(store, lambda: UI_TODAY)
    carl = p.get(Stakeholder, ids["champion"])
    assert carl is not None
    p.set_friendliness(carl, -1, "lost the budget")
    h = account_health(p, ids["acme"], UI_TODAY)
    assert h.last is not None and h.last.recorded and h.score is not None and h.score < h.last.score
    app = KamApp(store, today=UI_TODAY, start="accounts")
    async with app.run_test(size=(240, 40)) as pilot:
        await settle(app, pilot)
        header = app.query_one("#account-header")
        plain = "\n".join("".join(s.text for s in strip) for strip in header._lines)  # type: ignore[attr-defined]
        assert f"health {h.score} ▼ from {h.last.score} " in plain
        assert "since 3 Nov: plan -50, relationships " in plain and ": Carl Champion turned unfriendly" in plain
        await pilot.press("3")  # the reviews pane
        await settle(app, pilot)
        assert f"Health  {h.score} ▼ from {h.last.score} at the review of 3 Nov: plan -50" in screen_text(app)


async def test_the_review_form_records_the_health_of_the_day(
    db: tuple[Path, dict[str, int]], store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamtui.ui.app import KamApp
    from kamtui.ui.forms import FormScreen
    from tests.test_ui import settle
    from tests.ui_fixtures import TODAY as UI_TODAY

    monkeypatch.setenv("USER", "tester")
    acme = db[1]["acme"]
    before = {i for i, _ in store.children("reviews", acme)}
    app = KamApp(store, today=UI_TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "r")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        [(rid, doc)] = [(i, d) for i, d in store.children("reviews", acme) if i not in before]
        p = Portfolio(store, lambda: UI_TODAY)
        saved = p.get(Review, rid)
        assert saved is not None
        assert (saved.health_score, saved.health_parts) == recorded_health(saved, p.stakeholders(acme), p.actions(acme))
        assert doc["health_score"] is not None and set(saved.health_parts) == {
            "reviews",
            "relationships",
            "plan",
            "contact",
        }
        header = app.query_one("#account-header")
        plain = "\n".join("".join(s.text for s in strip) for strip in header._lines)  # type: ignore[attr-defined]
        assert f"health {saved.health_score} ▶ as at the review " in plain
