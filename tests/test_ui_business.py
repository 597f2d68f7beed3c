"""The Business pane (issue 12, items 1 and 4): the client's business, the SWOT, our team and
the notes, each item dated, edited in place; and the stakeholder's owner from our team."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select, TextArea

from kamtui.domain.business import Business, BusinessItem
from kamtui.domain.model import Account, TeamMember, Tier
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.ui.app import KamApp
from kamtui.ui.forms import ConfirmScreen, FormScreen
from kamtui.ui.panes.business import BusinessPane
from tests.hostile import STORABLE_NAMES
from tests.raw import write_raw_documents
from tests.test_ui import make, screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio, d

SIZES = [(120, 40), (80, 24)]
SIZE_IDS = ["120x40", "80x24"]


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


def sample_account(**changes: Any) -> Account:
    business = Business(
        goals=[BusinessItem("Grow in APAC", d(-10)), BusinessItem("Cut costs by 10%", None)],
        financial_health="Profitable, 4% growth",
        financial_health_updated=d(-250),
        initiatives=[BusinessItem("ERP migration", d(-30))],
        swot={
            "strengths": [BusinessItem("Strong brand", d(-5))],
            "weaknesses": [BusinessItem("Slow decisions", d(-20))],
            "opportunities": [],
            "threats": [BusinessItem("Low-cost competitor", d(-400))],
        },
    )
    acc = Account(
        name="ACME Corp",
        tier=Tier.KEY,
        owner="ana",
        team=[TeamMember("ana", "key account manager"), TeamMember("Sam Li", "solutions engineer")],
        sponsor="Vera COO",
        business=business,
        notes="Renewal talks in Q1.\nCFO prefers email.",
        id=1,
    )
    return dataclasses.replace(acc, **changes)


def seed(store: Store, account_id: int, **changes: Any) -> None:
    """Give the stored account the sample business, team and notes (``changes`` on top)."""
    p = Portfolio(store, lambda: TODAY)
    acc = p.account(account_id)
    assert acc is not None
    s = sample_account()
    new = dataclasses.replace(acc, business=s.business, team=s.team, notes=s.notes)
    p.save(dataclasses.replace(new, **changes), acc)


def account_doc(store: Store, account_id: int) -> dict[str, Any]:
    doc = store.get("accounts", account_id)
    assert doc is not None
    return doc


async def open_business(app: KamApp, pilot: Any) -> BusinessPane:
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)
    pane = app.query_one(BusinessPane)
    assert app.focused is pane.list
    return pane


async def go_to(pilot: Any, pane: BusinessPane, key: str) -> None:
    await pilot.press("g")
    for _ in range(80):
        if pane.current_key() == key:
            await settle(pilot.app, pilot)
            return
        await pilot.press("j")
    raise AssertionError(f"no line {key!r}; keys: {pane.list.keys}")


async def type_into(app: KamApp, pilot: Any, field: str, value: str) -> None:
    app.screen.query_one(f"#f-{field}").value = value  # type: ignore[attr-defined]
    await settle(app, pilot)


async def submit(app: KamApp, pilot: Any) -> None:
    await pilot.press("ctrl+s")
    await settle(app, pilot)


# ----------------------------------------------------------------- the pane
@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_key_4_shows_every_section(store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]) -> None:
    seed(store, db[1]["acme"])
    app = make(store)
    async with app.run_test(size=size) as pilot:
        pane = await open_business(app, pilot)
        text = screen_text(app)
        for title in ("Business", "Goals (2)", "Grow in APAC", "date unknown", "Financial health", "stale: 8 months"):
            assert title in text, title
        assert "4 Business" in text  # the tab bar
        await pilot.press("G")  # the last line: the notes come into view
        await settle(app, pilot)
        text = screen_text(app)
        assert "Notes" in text and "CFO prefers email." in text
        assert pane.current_key() is not None and pane.current_key().startswith("notes")  # type: ignore[union-attr]
        await go_to(pilot, pane, "i:threats:0")
        text = screen_text(app)
        assert "Threats (1)" in text and "stale: 13 months" in text


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_add_edit_delete_and_undo_a_swot_item(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    aid = db[1]["acme"]
    seed(store, aid)
    app = make(store)
    async with app.run_test(size=size) as pilot:
        pane = await open_business(app, pilot)
        await go_to(pilot, pane, "h:opportunities")
        await pilot.press("a")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and "Add opportunity (SWOT)" in app.screen.title_text
        await pilot.press(*"Expansion into Spain")
        await submit(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        swot = account_doc(store, aid)["business"]["swot"]
        assert swot["opportunities"] == [{"text": "Expansion into Spain", "updated": TODAY.isoformat()}]
        assert swot["threats"] == [{"text": "Low-cost competitor", "updated": d(-400).isoformat()}]  # untouched
        assert pane.current_key() == "i:opportunities:0"
        assert "Expansion into Spain" in screen_text(app)
        # Edit the stale threat: it is stamped today and no longer stale.
        await go_to(pilot, pane, "i:threats:0")
        await pilot.press("e")
        await settle(app, pilot)
        await type_into(app, pilot, "text", "Low-cost competitor from Asia")
        await submit(app, pilot)
        swot = account_doc(store, aid)["business"]["swot"]
        assert swot["threats"] == [{"text": "Low-cost competitor from Asia", "updated": TODAY.isoformat()}]
        assert pane.current_key() == "i:threats:0"
        assert "stale: 13 months" not in screen_text(app)
        # Delete asks first; n keeps it, y deletes it; u brings it back.
        await pilot.press("d")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        await settle(app, pilot)
        assert len(account_doc(store, aid)["business"]["swot"]["threats"]) == 1
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert account_doc(store, aid)["business"]["swot"]["threats"] == []
        assert pane.current_key() == "h:threats"
        await pilot.press("u")
        await settle(app, pilot)
        assert account_doc(store, aid)["business"]["swot"]["threats"][0]["text"] == "Low-cost competitor from Asia"
        await pilot.press("u")
        await settle(app, pilot)
        assert account_doc(store, aid)["business"]["swot"]["threats"][0]["text"] == "Low-cost competitor"


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_add_edit_and_delete_a_goal(store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]) -> None:
    aid = db[1]["acme"]
    seed(store, aid)
    app = make(store)
    async with app.run_test(size=size) as pilot:
        pane = await open_business(app, pilot)
        await go_to(pilot, pane, "i:goals:0")
        await pilot.press("a")  # on an item: adds to its section
        await settle(app, pilot)
        await pilot.press(*"Win the Q1 renewal")
        await submit(app, pilot)
        goals = account_doc(store, aid)["business"]["goals"]
        assert [g["text"] for g in goals] == ["Grow in APAC", "Cut costs by 10%", "Win the Q1 renewal"]
        assert [g["updated"] for g in goals] == [d(-10).isoformat(), None, TODAY.isoformat()]
        assert pane.current_key() == "i:goals:2"
        await pilot.press("k")  # the goal without a date: an edit dates it
        await pilot.press("e")
        await settle(app, pilot)
        await submit(app, pilot)  # saved as it was: confirmed still true today
        goals = account_doc(store, aid)["business"]["goals"]
        assert goals[1] == {"text": "Cut costs by 10%", "updated": TODAY.isoformat()}
        await pilot.press("g", "j", "d", "y")
        await settle(app, pilot)
        goals = account_doc(store, aid)["business"]["goals"]
        assert [g["text"] for g in goals] == ["Cut costs by 10%", "Win the Q1 renewal"]
        assert pane.current_key() == "i:goals:0"


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_team_member_sponsor_health_and_notes(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    aid = db[1]["acme"]
    seed(store, aid)
    app = make(store)
    async with app.run_test(size=size) as pilot:
        pane = await open_business(app, pilot)
        await go_to(pilot, pane, "sponsor")
        await pilot.press("a")  # in our team's section: a new member
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and "Add team member" in app.screen.title_text
        await pilot.press(*"Zoe Park")
        await type_into(app, pilot, "role", "executive sponsor")
        await submit(app, pilot)
        team = account_doc(store, aid)["team"]
        assert team[-1] == {"member": "Zoe Park", "role": "executive sponsor"}
        assert pane.current_key() == "m:2"
        await pilot.press("e")
        await settle(app, pilot)
        await type_into(app, pilot, "role", "VP sales")
        await submit(app, pilot)
        assert account_doc(store, aid)["team"][2] == {"member": "Zoe Park", "role": "VP sales"}
        await pilot.press("d", "y")
        await settle(app, pilot)
        assert [m["member"] for m in account_doc(store, aid)["team"]] == ["ana", "Sam Li"]
        await pilot.press("u")
        await settle(app, pilot)
        assert [m["member"] for m in account_doc(store, aid)["team"]] == ["ana", "Sam Li", "Zoe Park"]
        # The sponsor, the financial health and the notes are edited with e on their line.
        await go_to(pilot, pane, "sponsor")
        await pilot.press("e")
        await settle(app, pilot)
        await type_into(app, pilot, "sponsor", "Max CEO")
        await submit(app, pilot)
        assert account_doc(store, aid)["sponsor"] == "Max CEO"
        await go_to(pilot, pane, "fh")
        await pilot.press("e")
        await settle(app, pilot)
        await type_into(app, pilot, "financial_health", "Loss-making in 2026")
        await submit(app, pilot)
        business = account_doc(store, aid)["business"]
        assert business["financial_health"] == "Loss-making in 2026"
        assert business["financial_health_updated"] == TODAY.isoformat()
        assert business["goals"][0]["updated"] == d(-10).isoformat()  # the rest keep their dates
        await go_to(pilot, pane, "notes")
        await pilot.press("e")
        await settle(app, pilot)
        area = app.screen.query_one("#f-notes", TextArea)
        assert area.text == "Renewal talks in Q1.\nCFO prefers email."
        await pilot.press("end", "enter", *"Visit in March.")
        await submit(app, pilot)
        assert account_doc(store, aid)["notes"] == "Renewal talks in Q1.\nVisit in March.\nCFO prefers email."
        await pilot.press("G")  # the notes' last line: all of them in view
        await settle(app, pilot)
        assert "Visit in March." in screen_text(app)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_bad_input_is_refused_in_place_and_nothing_is_written(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    aid = db[1]["acme"]
    seed(store, aid)
    app = make(store)
    async with app.run_test(size=size) as pilot:
        pane = await open_business(app, pilot)
        seq = store.seq
        await go_to(pilot, pane, "h:strengths")
        await pilot.press("a")
        await settle(app, pilot)
        for typed, error in (
            ("   ", "must not be empty"),
            ("a\x00b", "must not contain a NUL character"),
            ("x" * 1001, "the limit is 1000"),
        ):
            await type_into(app, pilot, "text", typed)
            await submit(app, pilot)
            assert isinstance(app.screen, FormScreen), typed
            assert error in screen_text(app), typed
            assert app.screen.query_one("#e-text").has_class("shown")  # at its field
            assert store.seq == seq
        await pilot.press("escape")
        await settle(app, pilot)
        await go_to(pilot, pane, "m:0")
        await pilot.press("e")
        await settle(app, pilot)
        await type_into(app, pilot, "member", "")
        await submit(app, pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.query_one("#e-member").has_class("shown")
        assert "must not be empty" in screen_text(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert store.seq == seq and app.session.undo_stack == []


async def test_hostile_items_are_shown_as_data(tmp_path: Path) -> None:
    path = tmp_path / "h.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    try:
        names = STORABLE_NAMES
        seed(
            store,
            ids["acme"],
            business=Business(
                goals=[BusinessItem(n, TODAY) for n in names[:20]],
                swot={"threats": [BusinessItem(n, None) for n in names[20:]]},
            ),
            team=[TeamMember(n, n) for n in names[:8]],
            sponsor="[@click=app.quit]x[/]",
            notes="\x1b[2J\x9b31m[bold]note",
        )
        for size in SIZES:
            app = make(store)
            async with app.run_test(size=size) as pilot:
                pane = await open_business(app, pilot)
                texts = [screen_text(app)]
                for _ in range(len(pane.list.keys)):
                    await pilot.press("pagedown")
                texts.append(screen_text(app))
                await pilot.press("G")
                await settle(app, pilot)
                texts.append(screen_text(app))
                text = "\n".join(texts)
                assert not any(c in text for c in "\x1b\x07\x9b\u202e"), size
                assert "[bold]x" in text and "[@click=app.quit]x[/]" in text
                assert app.is_running  # [@click=app.quit] did nothing
    finally:
        store.close(compact=False)


async def test_stale_items_read_without_colour(
    store: Store, db: tuple[Path, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    seed(store, db[1]["acme"])
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_business(app, pilot)
        text = screen_text(app)
        assert "date unknown" in text and "stale: 8 months" in text
        assert "3 of 7 stale" in text  # the pane's subtitle


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
async def test_an_older_file_with_plain_string_items_shows_and_edits(tmp_path: Path, size: tuple[int, int]) -> None:
    path = tmp_path / "old.json"
    build_portfolio(path)
    old = {
        "name": "Aardvark Old Ltd",
        "tier": "key",
        "owner": "tester",
        "cadence": "monthly",
        "last_review": "2026-01-01",
        "business": {
            "goals": ["Double the plant output", "Enter Brazil"],
            "financial_health": "Stable",
            "initiatives": ["SAP rollout"],
            "swot": {"strengths": ["Loyal staff"], "threats": ["Tariffs"]},
        },
    }
    (aid,) = write_raw_documents(path, {"accounts": [old]})
    store = Store(path, user="tester")
    try:
        app = make(store)
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            app.main.go_to_account(aid)
            await settle(app, pilot)
            pane = await open_business(app, pilot)
            text = screen_text(app)
            assert "Double the plant output" in text and "date unknown" in text
            await go_to(pilot, pane, "i:goals:1")
            await pilot.press("e")
            await settle(app, pilot)
            await type_into(app, pilot, "text", "Enter Brazil and Chile")
            await submit(app, pilot)
            doc = account_doc(store, aid)
            assert doc["business"]["goals"] == [
                {"text": "Double the plant output", "updated": None},
                {"text": "Enter Brazil and Chile", "updated": TODAY.isoformat()},
            ]
            assert doc["business"]["swot"]["threats"] == [{"text": "Tariffs", "updated": None}]
            assert doc["business"]["financial_health"] == "Stable"
            assert "Enter Brazil and Chile" in screen_text(app)
    finally:
        store.close(compact=False)


async def test_the_swot_grid_has_a_cursor_per_quadrant_when_zoomed(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    aid = db[1]["acme"]
    seed(store, aid)
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_business(app, pilot)
        await pilot.press("z")
        await settle(app, pilot)
        rows = screen_text(app).split("\n")
        grid = next(r for r in rows if "Strengths (1)" in r)
        assert "Weaknesses (1)" in grid  # side by side
        await go_to(pilot, pane, "i:strengths:0")
        await pilot.press("j")
        assert pane.current_key() == "h:weaknesses"
        await pilot.press("j", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen) and "weakness" in app.screen.title_text
        await pilot.press(*"No presence in APAC")
        await submit(app, pilot)
        weak = account_doc(store, aid)["business"]["swot"]["weaknesses"]
        assert [w["text"] for w in weak] == ["Slow decisions", "No presence in APAC"]
        assert pane.current_key() == "i:weaknesses:1"


async def test_a_stakeholders_owner_is_chosen_from_our_team(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    ids = db[1]
    seed(store, ids["acme"])
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("1", "e")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        owner = app.screen.query_one("#f-owner", Select)
        options = {value: str(label) for label, value in owner._options}  # type: ignore[attr-defined]
        assert set(options) == {"ana", "Sam Li", ""}
        assert options[""] == "(none)" and "solutions engineer" in options["Sam Li"]
        owner.value = "Sam Li"
        await settle(app, pilot)
        await submit(app, pilot)
        assert not isinstance(app.screen, FormScreen)
        edited = [doc for _, doc in store.children("stakeholders", ids["acme"]) if doc["owner"] == "Sam Li"]
        assert len(edited) == 1
        # A new stakeholder starts with the account's owner (the user is not in the team).
        await pilot.press("a")
        await settle(app, pilot)
        assert app.screen.query_one("#f-owner", Select).value == "ana"


async def test_an_owner_outside_the_team_stays_offered(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    ids = db[1]
    seed(store, ids["acme"], team=[TeamMember("Sam Li", "solutions engineer")])
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("1", "j", "e")  # Uma User, owned by ben (not in the team)
        await settle(app, pilot)
        owner = app.screen.query_one("#f-owner", Select)
        assert owner.value == "ben"
        values = [value for _, value in owner._options]  # type: ignore[attr-defined]
        assert values == ["Sam Li", "ana", "ben", ""]
        await submit(app, pilot)  # unchanged: nothing written
        assert app.session.undo_stack == []


async def test_an_edit_of_the_business_elsewhere_meanwhile_is_a_conflict(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    path, ids = db
    aid = ids["acme"]
    seed(store, aid)
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_business(app, pilot)
        await go_to(pilot, pane, "i:goals:0")
        await pilot.press("e")
        await settle(app, pilot)
        # Someone else rewrites the goals while our form is open.
        other = Store(path, user="someone-else")
        business = dict(account_doc(other, aid)["business"])
        business["goals"] = [{"text": "Their goal", "updated": TODAY.isoformat()}]
        other.update("accounts", aid, {"business": business})
        other.close(compact=False)
        await type_into(app, pilot, "text", "My goal")
        await submit(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert "not saved" in screen_text(app) and "someone-else" in screen_text(app)
        assert app.screen.query_one("#f-text").value == "My goal"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await settle(app, pilot)
    assert [g["text"] for g in account_doc(store, aid)["business"]["goals"]] == ["Their goal"]


async def test_a_read_only_session_refuses_before_anything_is_typed(tmp_path: Path) -> None:
    path = tmp_path / "ro.json"
    ids = build_portfolio(path)
    path.chmod(0o444)
    store = Store(path, user="tester")
    try:
        assert store.read_only_reason is not None
        app = make(store)
        async with app.run_test(size=(120, 40)) as pilot:
            pane = await open_business(app, pilot)
            await go_to(pilot, pane, "h:goals")
            await pilot.press("a")
            await settle(app, pilot)
            assert not isinstance(app.screen, FormScreen)
            await go_to(pilot, pane, "sponsor")
            await pilot.press("d")
            await settle(app, pilot)
            if isinstance(app.screen, ConfirmScreen):
                await pilot.press("y")
                await settle(app, pilot)
            assert account_doc(store, ids["acme"])["sponsor"] == "Vera COO"
    finally:
        path.chmod(0o644)
        store.close(compact=False)
