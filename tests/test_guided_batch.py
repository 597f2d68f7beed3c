"""The guided review acts on a whole account at once where that is what happened: X ticks every
action listed (one change, one undo), L logs one contact with everyone listed to contact, and u
undoes the loop's last change and takes it out of what the review says was done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kamtui.domain.model import Account, Action, Objective
from kamtui.store import Store
from kamtui.store.errors import ConflictError
from kamtui.store.portfolio import Portfolio
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.guided import GuidedReviewScreen
from tests.test_ui import settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@pytest.fixture
def store(demo_store: Store) -> Store:
    return demo_store


async def _loop_at(app: KamApp, pilot: object, kind: str, at_least: int) -> GuidedReviewScreen:
    """Open the loop and skip to the first account listing ``at_least`` items of ``kind``."""
    await settle(app, pilot)
    await pilot.press("R")  # type: ignore[attr-defined]
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, GuidedReviewScreen)
    while sum(e.kind == kind for e in screen.agenda.items) < at_least:
        await pilot.press("s")  # type: ignore[attr-defined]
        await settle(app, pilot)
        assert app.screen is screen, f"no due account with {at_least} items of kind {kind}"
    return screen


# ------------------------------------------------------------------ the store: one change
@pytest.fixture
def plan(tmp_path: Path) -> Iterator[tuple[Store, Portfolio, Callable[..., Action]]]:
    """An account with one objective, and a maker of its actions (saved)."""
    store = Store(tmp_path / "k.json", user="ana")
    p = Portfolio(store, lambda: TODAY)
    acc, _ = p.save(Account(name="Acme"))
    assert acc.id is not None
    obj, _ = p.save(Objective(account_id=acc.id, title="Grow"))
    assert obj.id is not None

    def action(text: str, **kw: object) -> Action:
        return p.save(Action(account_id=acc.id, objective_id=obj.id, text=text, **kw))[0]  # type: ignore[arg-type]

    yield store, p, action
    store.close(compact=False)


def test_tick_actions_is_one_change_undone_at_once_and_skips_the_done(
    plan: tuple[Store, Portfolio, Callable[..., Action]],
) -> None:
    store, p, action = plan
    late = TODAY - dt.timedelta(days=3)
    a, b = action("Send", due=late), action("Call", due=late)
    c = action("Old", done=True)
    untouched = store.get("actions", c.id)  # type: ignore[arg-type]
    change = p.tick_actions([a, b, c])
    assert change.label == "tick 2 actions"
    for done in (a, b):
        doc = store.get("actions", done.id)  # type: ignore[arg-type]
        assert doc is not None
        assert (doc["done"], doc["done_at"], doc["done_by"]) == (True, TODAY.isoformat(), "ana")
    assert store.get("actions", c.id) == untouched  # type: ignore[arg-type]
    p.undo(change)
    assert [store.get("actions", x.id)["done"] for x in (a, b)] == [False, False]  # type: ignore[arg-type,index]


def test_tick_actions_merges_other_fields_and_refuses_all_on_a_clash(
    plan: tuple[Store, Portfolio, Callable[..., Action]],
) -> None:
    store, p, action = plan
    a, b, c = action("Send"), action("Call"), action("Visit")
    p.save(Action.from_doc({**c.to_doc(), "text": "Visit Rosa"}, c.id), c)  # someone else, meanwhile
    # ... and someone ticked b yesterday: ticking it today clashes with their date.
    Portfolio(store, lambda: TODAY - dt.timedelta(days=1)).toggle_action(b)
    seq = store.seq
    with pytest.raises(ConflictError):
        p.tick_actions([a, b, c])  # as the user saw them
    assert store.seq == seq and store.get("actions", a.id)["done"] is False  # type: ignore[arg-type,index]
    p.tick_actions([a, c])
    doc = store.get("actions", c.id)  # type: ignore[arg-type]
    assert doc is not None and doc["done"] is True and doc["text"] == "Visit Rosa"  # merged, kept


# ------------------------------------------------------------------ the loop, by keyboard
async def test_X_ticks_every_listed_action_and_one_u_unticks_them_and_their_words(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _loop_at(app, pilot, "action", 2)
        account = screen.account_id
        ids = [e.action_id for e in screen.agenda.items if e.action_id is not None]
        await pilot.press("X")
        await settle(app, pilot)
        assert app.screen is screen and screen.account_id == account
        assert all(store.get("actions", i)["done"] for i in ids)  # type: ignore[index]
        assert not any(e.kind == "action" for e in screen.agenda.items)
        assert len([d for d in screen.draft.done if d.startswith("ticked: ")]) == len(ids)
        await pilot.press("u")
        await settle(app, pilot)
        assert not any(store.get("actions", i)["done"] for i in ids)  # type: ignore[index]
        assert screen.draft.done == []
        assert {e.action_id for e in screen.agenda.items if e.kind == "action"} == set(ids)
        await pilot.press("X")  # nothing listed any more after ticking: said, nothing written
        await settle(app, pilot)
        seq = store.seq
        await pilot.press("X")
        await settle(app, pilot)
        assert store.seq == seq


async def test_L_logs_one_meeting_with_everyone_listed_to_contact(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _loop_at(app, pilot, "contact", 2)
        people = list(
            dict.fromkeys(e.stakeholder_id for e in screen.agenda.items if e.kind in ("contact", "losing_touch"))
        )
        n = store.count("interactions")
        await pilot.press("L")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press(*"account meeting: agreed the renewal plan", "ctrl+s")
        await settle(app, pilot)
        assert app.screen is screen and store.count("interactions") == n + 1
        logged = max(store.all("interactions"), key=lambda kv: kv[0])[1]
        assert sorted(logged["stakeholders"]) == sorted(people) and logged["kind"] == "meeting"
        assert logged["date"] == TODAY.isoformat() and logged["by"] == "tester"
        assert not any(e.kind in ("contact", "losing_touch") for e in screen.agenda.items)
        assert len(screen.draft.done) == 1 and screen.draft.done[0].startswith("logged a contact with ")
        await pilot.press("u")
        await settle(app, pilot)
        assert store.count("interactions") == n and screen.draft.done == []


async def test_u_in_the_loop_keeps_words_of_a_change_it_did_not_make(store: Store) -> None:
    """Undo of something done before the loop opened reverts it; the review's words stay."""
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _loop_at(app, pilot, "action", 1)
        await pilot.press(str(next(e.number for e in screen.agenda.items if e.kind == "action")), "space")
        await settle(app, pilot)
        said = list(screen.draft.done)
        assert len(said) == 1
        session = screen.session
        top = session.undo_stack.pop()  # the tick, put under a change the loop did not make
        other = session.portfolio.save(Account(name="Made elsewhere"))[1]
        session.undo_stack += [top, other]
        await pilot.press("u")
        await settle(app, pilot)
        assert screen.draft.done == said
        assert not any(doc.get("name") == "Made elsewhere" for _, doc in store.all("accounts"))


def test_an_off_track_kpi_is_not_taken_for_a_person() -> None:
    """A KPI's risk item targets the KPI: l, + and - must not look it up as a stakeholder."""
    from kamtui.domain.agenda import person_id
    from kamtui.domain.kpi_status import KPI_RISK_DETAIL
    from kamtui.domain.queue import QueueItem

    def item(kind: str, detail: str) -> QueueItem:
        return QueueItem(kind, 1, "Acme", "ana", "x", detail, TODAY, 0, 2, 21)

    assert person_id(item("risk", KPI_RISK_DETAIL)) is None
    assert [person_id(item(k, "map red")) for k in ("risk", "contact", "losing_touch")] == [21, 21, 21]
    assert person_id(item("action", "")) is None and person_id(item("plan", "")) is None


async def test_question_mark_in_the_loop_opens_help_with_every_key_of_the_loop(store: Store) -> None:
    from kamtui.ui.help import HelpScreen
    from tests.test_term_help import help_lines

    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _loop_at(app, pilot, "action", 1)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(" ".join(help_lines(app)).split())  # descriptions may wrap at 80 columns
        for words in ("Tick every action listed", "Log one contact with everyone listed", "Undo the last change"):
            assert words in shown, words
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen


async def test_an_undo_outside_the_loop_takes_the_words_out_of_the_review_in_progress(store: Store) -> None:
    """Ticked in the loop, stopped, undone from the account list: back in the loop, the review
    no longer says it was done."""
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _loop_at(app, pilot, "action", 2)
        account = screen.account_id
        await pilot.press("X")
        await settle(app, pilot)
        assert screen.draft.done
        await pilot.press("q")
        await settle(app, pilot)
        await pilot.press("enter")  # the summary closes
        await settle(app, pilot)
        assert not isinstance(app.screen, GuidedReviewScreen)
        await pilot.press("u")
        await settle(app, pilot)
        assert app.session.review_drafts[account].done == []
        loop = await _loop_at(app, pilot, "action", 2)
        assert loop.account_id == account and loop.draft.done == []
