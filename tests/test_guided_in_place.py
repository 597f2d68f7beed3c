"""The guided review acts in place: per account a numbered agenda (late actions, people to
contact, risks), keys that act on the selected item without leaving the loop, scores kept when
it stops and resumes, and defer counted on the action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui.domain.agenda import build_agenda, deferred_words
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Account, Action, Objective
from kamtui.domain.queue import QueueItem
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.store.agenda import account_agenda
from kamtui.store.portfolio import Portfolio
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.guided import GuidedReviewScreen
from kamtui.ui.guided_texts import items_text
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return materialize_demo(tmp_path / "demo.json", TODAY)


@pytest.fixture
def store(demo: Path) -> Iterator[Store]:
    s = Store(demo, user="tester")
    yield s
    s.close(compact=False)


def _item(
    kind: str, title: str, late: int, severity: int = 2, target: int | None = None, account: int = 1
) -> QueueItem:
    due = TODAY - dt.timedelta(days=late)
    return QueueItem(kind, account, "Acme", "ana", title, "", due, late, severity, target)


# ------------------------------------------------------------------ the agenda (pure)
def test_agenda_numbers_actions_then_contacts_then_risks_most_urgent_first_and_leaves_reviews_out() -> None:
    items = [
        _item("risk", "Rosa hostile", 0, 2, 7),
        _item("contact", "Carmen", 3, 1, 8),
        _item("review", "review due", 20),
        _item("action", "Send the deck", 2, 2, 5),
        _item("action", "Call the CFO", 30, 2, 6),
        _item("action", "Other account", 99, 2, 9, account=2),
    ]
    agenda = build_agenda(1, items, [], [], TODAY)
    assert [(e.number, e.kind, e.item.title) for e in agenda.items] == [
        (1, "action", "Call the CFO"),
        (2, "action", "Send the deck"),
        (3, "contact", "Carmen"),
        (4, "risk", "Rosa hostile"),
    ]
    assert agenda.items[0].action_id == 6 and agenda.items[0].stakeholder_id is None
    assert agenda.items[2].stakeholder_id == 8 and agenda.items[3].stakeholder_id == 7
    assert agenda.unusual
    assert not build_agenda(1, [_item("review", "review due", 3)], [], [], TODAY).unusual


def test_the_next_step_is_the_open_action_due_first() -> None:
    actions = [
        Action(account_id=1, objective_id=1, text="undated", id=1),
        Action(account_id=1, objective_id=1, text="later", due=TODAY + dt.timedelta(days=9), id=2),
        Action(account_id=1, objective_id=1, text="done", due=TODAY - dt.timedelta(days=9), done=True, id=3),
        Action(account_id=1, objective_id=1, text="sooner", due=TODAY + dt.timedelta(days=2), id=4),
    ]
    assert build_agenda(1, [], [], actions, TODAY).next_step == actions[3]
    assert build_agenda(1, [], [], actions[:1], TODAY).next_step == actions[0]
    assert build_agenda(1, [], [], [], TODAY).next_step is None


def test_the_items_out_of_sight_are_told_above_or_below() -> None:
    """At the last of 15 items it said "9 more", as if they were still to come."""
    items = [_item("action", f"Step {n}", 30, 2, 100 + n) for n in range(15)]
    agenda = build_agenda(1, items, [], [], TODAY)
    first = items_text(agenda, 0, 80, {}).plain.splitlines()[-1]
    assert first.startswith("   9 below: j/k moves"), first
    last = items_text(agenda, 14, 80, {}).plain.splitlines()[-1]
    assert last.startswith("   9 above: j/k moves"), last
    middle = items_text(agenda, 7, 80, {}).plain.splitlines()[-1]
    assert middle.startswith("   4 above · 5 below: j/k moves"), middle


def test_deferred_in_words() -> None:
    assert [deferred_words(n) for n in (0, 1, 3)] == ["", "deferred once", "deferred 3x"]


def test_item_lines_show_the_selection_and_its_keys_and_stay_in_width() -> None:
    agenda = build_agenda(
        1, [_item("action", "Call the CFO " * 10, 30, 2, 6), _item("contact", "Carmen", 3, 1, 8)], [], [], TODAY
    )
    text = items_text(agenda, 0, 60, {6: "deferred 3x"}).plain.splitlines()
    assert text[0].startswith("▸ 1") and "space done" not in text[0] + text[1]
    assert text[-1] == "   1: space done · X all · d defer"  # whole, however long the title
    assert all(len(line) <= 60 for line in text)
    full = items_text(agenda, 0, 200, {6: "deferred 3x"}).plain
    assert "deferred 3x" in full
    on_contact = items_text(agenda, 1, 60, {}).plain.splitlines()
    assert on_contact[-1] == "   2: l log · L all · +/- attitude"


# ------------------------------------------------------------------ defer (store)
def test_defer_moves_the_date_counts_and_keeps_why(tmp_path: Path) -> None:
    store = Store(tmp_path / "k.json", user="tester")
    try:
        p = Portfolio(store, lambda: TODAY)
        acc, _ = p.save(Account(name="Acme", cadence="monthly"))
        assert acc.id is not None
        obj, _ = p.save(Objective(account_id=acc.id, title="Grow"))
        assert obj.id is not None
        action, _ = p.save(
            Action(account_id=acc.id, objective_id=obj.id, text="Send", due=TODAY - dt.timedelta(days=3))
        )
        moved, _ = p.defer_action(action, TODAY + dt.timedelta(days=7), "waiting for legal")
        again, _ = p.defer_action(moved, TODAY + dt.timedelta(days=14), "legal on holiday")
        assert (again.due, again.deferred, again.deferred_reason) == (
            TODAY + dt.timedelta(days=14),
            2,
            "legal on holiday",
        )
        seq = store.seq
        with pytest.raises(ValidationError, match="after"):
            p.defer_action(again, TODAY + dt.timedelta(days=10), "earlier than its date")
        with pytest.raises(ValidationError, match="why"):
            p.defer_action(again, TODAY + dt.timedelta(days=30), "  ")
        assert store.seq == seq  # refused: nothing written
    finally:
        store.close(compact=False)


# ------------------------------------------------------------------ the loop, by keyboard
async def _open_loop(app: KamApp, pilot: object) -> GuidedReviewScreen:
    await settle(app, pilot)  # type: ignore[arg-type]
    await pilot.press("R")  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]
    screen = app.screen
    assert isinstance(screen, GuidedReviewScreen)
    return screen


async def _to_account_with(app: KamApp, pilot: object, screen: GuidedReviewScreen, kind: str) -> None:
    """Skip (s) to the first account whose agenda has an item of ``kind``, and select it."""
    while not any(e.kind == kind for e in screen.agenda.items):
        await pilot.press("s")  # type: ignore[attr-defined]
        await settle(app, pilot)  # type: ignore[arg-type]
        assert app.screen is screen, f"no due account with a {kind} to act on"
    n = next(e.number for e in screen.agenda.items if e.kind == kind)
    await pilot.press(str(n))  # type: ignore[attr-defined]
    await settle(app, pilot)  # type: ignore[arg-type]


async def test_space_ticks_the_selected_action_without_leaving_the_loop(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_loop(app, pilot)
        await _to_account_with(app, pilot, screen, "action")
        entry = screen.selected()
        assert entry is not None and entry.action_id is not None
        account = screen.account_id
        await pilot.press("space")
        await settle(app, pilot)
        assert store.get("actions", entry.action_id)["done"] is True  # type: ignore[index]
        assert app.screen is screen and screen.account_id == account  # still in the loop, same account
        assert entry.action_id not in {e.action_id for e in screen.agenda.items}
        assert any(d.startswith("ticked: ") for d in screen.draft.done)


async def test_d_puts_the_action_off_with_why_and_counts_it(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_loop(app, pilot)
        await _to_account_with(app, pilot, screen, "action")
        entry = screen.selected()
        assert entry is not None and entry.action_id is not None
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")  # no reason: refused, nothing written
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert store.get("actions", entry.action_id).get("deferred", 0) == 0  # type: ignore[union-attr]
        await pilot.press(*"waiting for legal", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen
        doc = store.get("actions", entry.action_id)
        assert doc is not None and doc["deferred"] == 1 and doc["deferred_reason"] == "waiting for legal"
        assert dt.date.fromisoformat(doc["due"]) > TODAY


async def test_plus_minus_and_l_act_on_the_selected_person(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_loop(app, pilot)
        await _to_account_with(app, pilot, screen, "contact")
        entry = screen.selected()
        assert entry is not None and entry.stakeholder_id is not None
        sid = entry.stakeholder_id
        before = store.get("stakeholders", sid)["friendliness"]  # type: ignore[index]
        key, step = ("minus", -1) if before > -2 else ("plus", 1)
        await pilot.press(key)
        await settle(app, pilot)
        await pilot.press(*"cooled after the price rise", "enter")
        await settle(app, pilot)
        doc = store.get("stakeholders", sid)
        assert doc is not None and doc["friendliness"] == before + step
        assert doc["friendliness_history"][-1]["reason"] == "cooled after the price rise"
        n = store.count("interactions")
        await pilot.press(str(entry.number), "l")
        await settle(app, pilot)
        await pilot.press(*"called about the renewal", "ctrl+s")
        await settle(app, pilot)
        assert store.count("interactions") == n + 1
        logged = max(store.all("interactions"), key=lambda kv: kv[0])[1]
        assert logged["stakeholders"] == [sid] and logged["summary"] == "called about the renewal"
        assert app.screen is screen
        assert len(screen.draft.done) == 2


async def test_scores_are_kept_when_the_loop_stops_and_resumes(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_loop(app, pilot)
        account = screen.account_id
        await pilot.press("g", "5", "h", "1", "q")
        await settle(app, pilot)
        await pilot.press("enter")  # closes the summary
        await settle(app, pilot)
        screen = await _open_loop(app, pilot)
        while screen.account_id != account:  # the accounts reviewed or skipped since drop out
            await pilot.press("s")
            await settle(app, pilot)
        assert screen.draft.scores["engagement"] == 5 and screen.draft.scores["health"] == 1
        await pilot.press("enter")
        await settle(app, pilot)
        review = max(store.children("reviews", account), key=lambda kv: kv[0])[1]
        assert (review["engagement"], review["health"], review["date"]) == (5, 1, TODAY.isoformat())


def test_the_store_agenda_matches_todays_items_for_the_account(store: Store) -> None:
    """What the loop lists for an account is what Today lists for it (actions and contacts),
    plus its amber risks, which Today leaves to the panes."""
    from kamtui.store.today import today_queue

    p = Portfolio(store, lambda: TODAY)
    queue = today_queue(p, TODAY)
    for account_id in {it.account_id for it in queue if it.kind == "review"}:
        agenda = account_agenda(p, account_id, TODAY)
        today_items = {(it.kind, it.target_id) for it in queue if it.account_id == account_id and it.kind != "review"}
        listed = {(e.kind, e.item.target_id) for e in agenda.items}
        assert today_items <= listed, account_id


# ------------------------------------------------------------------ review history
def test_the_timeline_says_how_long_a_guided_review_took_and_what_was_done() -> None:
    from kamtui.domain.model import Review
    from kamtui.domain.timeline import duration_words, timeline

    assert [duration_words(s) for s in (0, 59, 95, 3725)] == ["0s", "59s", "1m 35s", "1h 02m"]
    guided = Review(account_id=1, date=TODAY, reviewer="ana", seconds=95, done=["ticked: Send the deck"])
    form = Review(account_id=1, date=TODAY - dt.timedelta(days=30), reviewer="ben")
    quick = Review(account_id=1, date=TODAY - dt.timedelta(days=60), reviewer="ana", seconds=12)
    events = [e.text for e in timeline([], [guided, form, quick], [], [])]
    assert events[0].endswith("took 1m 35s · done: ticked: Send the deck")
    assert "took" not in events[1]
    assert events[2].endswith("took 12s · nothing else done")
    with pytest.raises(ValidationError):
        Review(account_id=1, date=TODAY, seconds=-1)
    with pytest.raises(ValidationError):
        Review(account_id=1, date=TODAY, done="ticked")  # type: ignore[arg-type]


async def test_enter_typed_while_a_tick_is_saving_records_the_tick_too(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ "space enter" typed fast: the review waits for the tick's save, so its record says what
    was done (it was recorded without, the tick saved a moment later)."""
    import threading

    slow = threading.Event()
    toggle = Portfolio.toggle_action

    def slow_toggle(self: Portfolio, action: Action) -> object:
        slow.wait(10)  # the save of a busy shared file (let go below)
        return toggle(self, action)

    monkeypatch.setattr(Portfolio, "toggle_action", slow_toggle)
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_loop(app, pilot)
        await _to_account_with(app, pilot, screen, "action")
        account, entry = screen.account_id, screen.selected()
        assert entry is not None
        await pilot.press("space", "enter")
        assert app.screen is screen and screen.record_waiting  # enter came while the tick saved
        slow.set()
        await settle(app, pilot)
        review = max(store.children("reviews", account), key=lambda kv: kv[0])[1]
        assert review["reviewer"] == "tester" and review["done"] == [f"ticked: {entry.item.title}"]
        assert store.get("actions", entry.item.target_id or 0)["done"] is True  # type: ignore[index]
        assert app.screen is not screen or screen.account_id != account  # moved on, as enter does


async def test_a_guided_review_records_who_how_long_and_what_was_done(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_loop(app, pilot)
        await _to_account_with(app, pilot, screen, "action")
        account = screen.account_id
        entry = screen.selected()
        assert entry is not None
        await pilot.press("space", "enter")
        await settle(app, pilot)
        review = max(store.children("reviews", account), key=lambda kv: kv[0])[1]
        assert review["reviewer"] == "tester" and review["date"] == TODAY.isoformat()
        assert review["done"] == [f"ticked: {entry.item.title}"]
        assert isinstance(review["seconds"], int) and review["seconds"] >= 0


def test_the_plan_pane_line_says_how_often_an_action_was_put_off_and_why() -> None:
    from kamtui.ui.texts import action_line

    a = Action(account_id=1, objective_id=1, text="Send", due=TODAY, deferred=3, deferred_reason="legal [red]x[/red]")
    plain = action_line(a, TODAY).plain
    assert "deferred 3x (legal [red]x[/red])" in plain  # the reason is data, shown as typed
    assert "deferred" not in action_line(Action(account_id=1, objective_id=1, text="Send"), TODAY).plain


def test_what_was_done_stays_on_one_line_latest_first() -> None:
    from kamtui.ui.guided_texts import scores_text

    scores = {"engagement": 3, "loyalty": 3, "satisfaction": 3, "health": 3}
    done = [f"ticked: a long action text number {n} " * 2 for n in range(5)]
    lines = scores_text(scores, None, "", done, 60).plain.splitlines()
    said = next(line for line in lines if line.startswith("done here: "))
    assert len(said) <= 60 and said.endswith("(+2)") and "number 4" in said
