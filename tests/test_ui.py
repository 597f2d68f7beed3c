"""Pilot tests: every pane's keys and every form's validation, on a frozen date."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.worker import WorkerCancelled

from kamtui.domain.model import Stakeholder
from kamtui.store import Store
from kamtui.ui.account_list import AccountList
from kamtui.ui.app import KamApp
from kamtui.ui.forms import ConfirmScreen, FormScreen
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.ui_fixtures import TODAY


def screen_text(app: KamApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


async def workers_done(app: App[Any]) -> None:
    """Every worker finished. One replaced by a newer of its exclusive group (the app's journal
    poll, every second, replaces one still reading on a slow machine) counts as finished: it
    raises WorkerCancelled, which App.workers.wait_for_complete would pass on."""
    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()


async def settle(app: KamApp, pilot: Any) -> None:
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


def make(store: Store) -> KamApp:
    return KamApp(store, today=TODAY, start="accounts")


async def test_opens_on_most_urgent_account_and_fills_every_pane(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "Accounts 3" in text
        assert "ACME Corp · KEY · owner ana" in text
        assert "Dana Decider" in text and "Carl Champion" in text
        assert "Send the ROI case" in text  # plan
        assert "Short term (1)" in text and "Long term (1)" in text
        assert "every month" in text  # cadence in words
        assert "9d late" in text  # monthly from 40 days ago: 14 Oct + 1 month
        assert "decision maker Dana Decider is hostile" in text  # warning in words
        assert "engagement down in two reviews" in text


async def test_moving_the_cursor_updates_every_pane(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        text = screen_text(app)
        assert "Globex · KEY · owner ben" in text
        assert "No stakeholders yet" in text
        assert "Dana Decider" not in text
        await pilot.press("k")
        await settle(app, pilot)
        assert "ACME Corp · KEY" in screen_text(app)
        await pilot.press("G")
        await settle(app, pilot)
        assert "Initech · REGULAR" in screen_text(app)
        await pilot.press("g")
        await settle(app, pilot)
        assert "ACME Corp · KEY" in screen_text(app)


async def test_filter_sort_and_quick_filters(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", "g", "l", "o")
        await settle(app, pilot)
        assert [r.name for r in app.session.rows.visible] == ["Globex"]
        assert "/glo" in screen_text(app)
        await pilot.press("enter")  # back to the list, filter kept
        assert isinstance(app.focused, AccountList)
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(app.session.rows.visible) == 3
        await pilot.press("m")
        await settle(app, pilot)
        assert [r.name for r in app.session.rows.visible] == ["Initech"]  # owner = $USER (tester)
        assert "mine (tester)" in screen_text(app)
        await pilot.press("m", "d")
        await settle(app, pilot)
        assert [r.name for r in app.session.rows.visible] == ["ACME Corp"]
        await pilot.press("d", "K")
        await settle(app, pilot)
        assert {r.name for r in app.session.rows.visible} == {"ACME Corp", "Globex"}
        await pilot.press("escape")
        await pilot.press("s")  # name
        await settle(app, pilot)
        assert [r.name for r in app.session.rows.visible] == ["ACME Corp", "Globex", "Initech"]
        await pilot.press("S")
        await settle(app, pilot)
        assert [r.name for r in app.session.rows.visible] == ["Initech", "Globex", "ACME Corp"]
        await pilot.press("s")  # revenue
        await settle(app, pilot)
        assert "by revenue" in screen_text(app)


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


async def test_friendliness_keys_record_history(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        pane = app.query_one(StakeholderPane)
        assert pane.current() is not None
        # Sorted by friendliness: champion first, then user, then the hostile decision maker.
        while pane.current().id != ids["hostile_dm"]:  # type: ignore[union-attr]
            await pilot.press("j")
        await pilot.press("plus")  # asks why (optional): enter saves without a reason
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        doc = store.get("stakeholders", ids["hostile_dm"])
        assert doc is not None and doc["friendliness"] == -1
        # "was": what it was before, for the timeline's before→after
        last = {"date": TODAY.isoformat(), "value": -1, "by": "tester", "reason": "", "was": -2}
        assert doc["friendliness_history"][-1] == last
        assert pane.current().id == ids["hostile_dm"]  # type: ignore[union-attr]  # cursor stays on the person
        await pilot.press("minus", "enter")
        await settle(app, pilot)
        await pilot.press("minus")  # already hostile: nothing to ask
        await settle(app, pilot)
        assert store.get("stakeholders", ids["hostile_dm"])["friendliness"] == -2  # type: ignore[index]


async def test_stakeholder_form_validates_inline_and_escape_leaves_no_trace(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        before = store.count("stakeholders")
        seq = store.seq
        await pilot.press("tab", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")  # empty name
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert "must not be empty" in screen_text(app)
        assert store.count("stakeholders") == before and store.seq == seq
        await pilot.press(*"Zed")
        app.screen.query_one("#f-last_contact").value = "2025-02-30"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "not a real date" in screen_text(app)
        assert store.seq == seq
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert store.count("stakeholders") == before and store.seq == seq
        # and now a valid one
        await pilot.press("a", *"Zed Zimmer")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        assert store.count("stakeholders") == before + 1
        assert "Zed Zimmer" in screen_text(app)


async def test_edit_and_delete_stakeholder_asks_first(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        pane = app.query_one(StakeholderPane)
        first = pane.current()
        assert first is not None
        await pilot.press("e")
        await settle(app, pilot)
        field = app.screen.query_one("#f-title")
        field.value = "Chief Happiness Officer"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get("stakeholders", first.id)["title"] == "Chief Happiness Officer"  # type: ignore[arg-type,index]
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert store.get("stakeholders", first.id) is not None  # type: ignore[arg-type]
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert store.get("stakeholders", first.id) is None  # type: ignore[arg-type]


async def test_plan_space_toggles_and_undo_reverts_repeatedly(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        plan = app.query_one(PlanPane)
        while plan.current_key() != f"a:{ids['late_action']}":
            await pilot.press("j")
        await pilot.press("space")
        await settle(app, pilot)
        doc = store.get("actions", ids["late_action"])
        assert doc is not None and doc["done"] is True
        assert doc["done_at"] == TODAY.isoformat() and doc["done_by"] == "tester"
        assert plan.current_key() == f"a:{ids['late_action']}"
        await pilot.press("j", "space")  # tick the next one too
        await settle(app, pilot)
        assert store.get("actions", ids["open_action"])["done"] is True  # type: ignore[index]
        await pilot.press("u")
        await settle(app, pilot)
        assert store.get("actions", ids["open_action"])["done"] is False  # type: ignore[index]
        await pilot.press("u")
        await settle(app, pilot)
        doc = store.get("actions", ids["late_action"])
        assert doc is not None and doc["done"] is False and doc["done_by"] == ""


async def test_plan_add_objective_and_action_where_the_cursor_is(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        plan = app.query_one(PlanPane)
        while plan.current_key() != f"o:{ids['objective']}":
            await pilot.press("j")
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and "Add action" in app.screen.title_text
        await pilot.press(*"Call the CFO")
        app.screen.query_one("#f-due").value = "+7d"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        actions = [d for _, d in store.children("actions", ids["acme"]) if d["text"] == "Call the CFO"]
        assert len(actions) == 1
        assert actions[0]["objective_id"] == ids["objective"]
        assert actions[0]["due"] == "2026-11-30"
        # On a horizon header, a adds an objective in that horizon.
        await pilot.press("g")  # first option: "Short term"
        await pilot.press("a")
        await settle(app, pilot)
        assert "Add objective" in app.screen.title_text  # type: ignore[attr-defined]
        await pilot.press(*"Expand to Spain")
        app.screen.query_one("#f-due").value = "2026-02-30"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "not a real date" in screen_text(app)
        app.screen.query_one("#f-due").value = ""  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        titles = {d["title"]: d for _, d in store.children("objectives", ids["acme"])}
        assert titles["Expand to Spain"]["horizon"] == "short"


async def test_review_form_refuses_score_of_7_and_advances_next_due(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "r")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert "next review after saving: 2026-12-23" in screen_text(app)
        app.screen.query_one("#f-engagement").value = "7"  # type: ignore[attr-defined]
        await settle(app, pilot)
        n = store.count("reviews")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "7 is out of range 1..5" in screen_text(app)
        assert store.count("reviews") == n
        app.screen.query_one("#f-engagement").value = "5"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.count("reviews") == n + 1
        assert store.get("accounts", ids["acme"])["last_review"] == TODAY.isoformat()  # type: ignore[index]
        text = screen_text(app)
        assert "2026-12-23" in text and "in 4w" in text


async def test_cadence_form_previews_three_dates_and_refuses_bad_rrule(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("3", "c")
        await settle(app, pilot)
        box = app.screen.query_one("#f-cadence")
        box.value = "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await settle(app, pilot)
        text = screen_text(app)
        assert "every 2 weeks on Monday" in text
        assert "2026-10-26" in text and "2026-11-09" in text and "2026-11-23" in text
        box.value = "every tuesday-ish"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "neither a preset" in screen_text(app)
        assert store.get("accounts", ids["acme"])["cadence"] == "monthly"  # type: ignore[index]
        box.value = "biweekly"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get("accounts", ids["acme"])["cadence"] == "biweekly"  # type: ignore[index]


async def test_zoom_tab_focus_and_help(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        assert app.main.focused_pane() == "stakeholders"
        await pilot.press("z")
        await settle(app, pilot)
        assert app.main.zoomed == "stakeholders"
        assert not app.query_one("#accounts-pane").display and not app.query_one("#plan").display
        await pilot.press("z")
        await settle(app, pilot)
        assert app.main.zoomed is None and app.query_one("#plan").display
        await pilot.press("tab")
        assert app.main.focused_pane() == "plan"
        await pilot.press("shift+tab")
        assert app.main.focused_pane() == "stakeholders"
        await pilot.press("question_mark")
        await settle(app, pilot)
        text = screen_text(app)
        # The focused pane's keys first, then the main screen's, then the app's (scrolled to).
        assert "Raise friendliness" in text and "Accounts and panes" in text and "Zoom" in text
        await pilot.press("end")
        await settle(app, pilot)
        assert "Everywhere" in screen_text(app)
        await pilot.press("escape")


async def test_narrow_terminal_turns_right_side_into_tabs(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        text = screen_text(app)
        assert "1 Stakeholders" in text and "2 Plan" in text and "3 Rev" in text
        assert app.query_one("#stakeholders").display and not app.query_one("#plan").display
        await pilot.press("2")
        await settle(app, pilot)
        assert app.query_one("#plan").display and not app.query_one("#stakeholders").display
        assert "Send the ROI case" in screen_text(app)
        await pilot.press("3")
        await settle(app, pilot)
        assert "every month" in screen_text(app)


async def test_edits_from_another_session_show_up_without_moving_the_cursor(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    path, ids = db
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab", "j")
        pane = app.query_one(StakeholderPane)
        selected = pane.current()
        other = Store(path, user="someone-else")
        sh = Stakeholder.from_doc(
            {
                k: v
                for k, v in other.get("stakeholders", ids["user"]).items()  # type: ignore[union-attr]
                if k not in ("rev", "updated_at", "updated_by")
            }
        )
        other.update("stakeholders", ids["user"], {"name": "Uma Renamed"})
        other.close(compact=False)
        assert sh.name
        app.poll()
        await settle(app, pilot)
        assert "Uma Renamed" in screen_text(app)
        assert pane.current() is not None and pane.current().id == selected.id  # type: ignore[union-attr]


async def test_failed_save_says_so_and_keeps_what_was_typed(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    path, _ids = db
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        pane = app.query_one(StakeholderPane)
        target = pane.current()
        assert target is not None
        await pilot.press("e")
        await settle(app, pilot)
        # Someone else renames the same person while our form is open: a real conflict.
        other = Store(path, user="someone-else")
        other.update("stakeholders", target.id, {"name": "Renamed Elsewhere"})  # type: ignore[arg-type]
        other.close(compact=False)
        app.screen.query_one("#f-name").value = "My New Name"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert "not saved" in screen_text(app) and "someone-else" in screen_text(app)
        assert app.screen.query_one("#f-name").value == "My New Name"  # type: ignore[attr-defined]
        assert store.get("stakeholders", target.id)["name"] == "Renamed Elsewhere"  # type: ignore[arg-type,index]


async def test_add_edit_and_delete_an_account_from_the_list(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        n = store.count("accounts")
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "must not be empty" in screen_text(app) and store.count("accounts") == n
        await pilot.press(*"Umbrella Corp")
        app.screen.query_one("#f-revenue").value = "lots"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "is not an amount" in screen_text(app) and store.count("accounts") == n
        app.screen.query_one("#f-revenue").value = "2500000"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.count("accounts") == n + 1
        new_id = app.main.account_id
        doc = store.get("accounts", new_id)  # type: ignore[arg-type]
        assert doc is not None and doc["name"] == "Umbrella Corp" and doc["tier"] == "key"
        assert doc["cadence"] == "monthly" and doc["owner"] == "tester" and doc["revenue"] == 2_500_000
        assert "Umbrella Corp · KEY" in screen_text(app)  # selected and shown
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#f-sponsor").value = "Albert Wesker"  # type: ignore[attr-defined]
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert store.get("accounts", new_id)["sponsor"] == "Albert Wesker"  # type: ignore[arg-type,index]
        await pilot.press("D")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(app, pilot)
        assert store.get("accounts", new_id) is None  # type: ignore[arg-type]
        assert len(app.session.rows.rows) == n
        await pilot.press("u")
        await settle(app, pilot)
        assert store.get("accounts", new_id) is not None  # type: ignore[arg-type]
