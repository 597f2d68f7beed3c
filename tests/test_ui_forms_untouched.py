"""Forms show stored text cleaned, but save only what the user edited: a field left alone keeps
its stored value byte for byte (escape sequences, bidi marks, BEL, C1 controls and all), and a
form saved without any edit writes nothing at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamtui.store import Op, Store
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.test_ui import settle
from tests.ui_fixtures import TODAY, build_portfolio

# One per name slot of build_portfolio: account, sponsor, globex, initech, the decision maker,
# her title, the champion, the user, the objective, the late action, the review notes.
HOSTILE = [
    "\x1b[2J ACME",
    "\u202eevil sponsor",
    "Glo\x07bex",
    "Ini\x9b31mtech",
    "Dana \x1b]0;owned\x07 Decider",
    "C\u202eFO\x1b[31m",
    "Carl\x9bChampion",
    "Uma\u2066User\u2069",
    "Win \x1b[5m the renewal",
    "Send\x07 the \u202eROI case",
    "steady",
]


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, dict[str, int]]:
    path = tmp_path / "k.json"
    ids = build_portfolio(path, names=HOSTILE)
    s = Store(path, user="tester")
    # An amount the form shows rounded ("1235") must not come back rounded either.
    s.commit([Op("update", "accounts", ids["acme"], {"revenue": 1234.56})])
    s.close(compact=False)
    return path, ids


def on_disk(path: Path) -> bytes:
    """Everything a write could change: the snapshot and the journal."""
    return path.read_bytes() + b"\0" + Path(f"{path}.journal").read_bytes()


def stored(path: Path, table: str, doc_id: int) -> str:
    """The stored document as another session reads it, as exact JSON."""
    fresh = Store(path, user="reader")
    try:
        doc = fresh.get(table, doc_id)
        assert doc is not None
        return json.dumps(doc, sort_keys=True, ensure_ascii=True)
    finally:
        fresh.close(compact=False)


async def _open_form(app: KamApp, pilot: object, which: str, ids: dict[str, int]) -> None:
    if which == "account":
        await pilot.press("ctrl+l", "e")  # type: ignore[attr-defined]
    elif which == "stakeholder":
        await pilot.press("1")  # type: ignore[attr-defined]
        await settle(app, pilot)
        pane = app.query_one(StakeholderPane)
        while pane.current() is not None and pane.current().id != ids["hostile_dm"]:  # type: ignore[union-attr]
            await pilot.press("j")  # type: ignore[attr-defined]
        await pilot.press("e")  # type: ignore[attr-defined]
    else:
        await pilot.press("2")  # type: ignore[attr-defined]
        await settle(app, pilot)
        plan = app.query_one(PlanPane)
        key = f"o:{ids['objective']}" if which == "objective" else f"a:{ids['late_action']}"
        for _ in range(20):
            if plan.current_key() == key:
                break
            await pilot.press("j")  # type: ignore[attr-defined]
        assert plan.current_key() == key
        await pilot.press("e")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert isinstance(app.screen, FormScreen)


FORMS = {
    # form: (table, id key, the hostile fields, a plain field to edit, its new value)
    "account": ("accounts", "acme", ("name", "sponsor", "revenue"), "industry", "Robotics"),
    "stakeholder": ("stakeholders", "hostile_dm", ("name", "title"), "owner", "zoe"),
    "objective": ("objectives", "objective", ("title",), "owner", "zoe"),
    "action": ("actions", "late_action", ("text",), "owner", "zoe"),
}


@pytest.mark.parametrize("which", list(FORMS))
async def test_saving_an_untouched_form_writes_nothing(hostile: tuple[Path, dict[str, int]], which: str) -> None:
    path, ids = hostile
    table, key, _, _, _ = FORMS[which]
    before = stored(path, table, ids[key])
    disk = on_disk(path)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await _open_form(app, pilot, which, ids)
            form = app.screen
            assert isinstance(form, FormScreen)
            shown = " ".join(str(w.value) for w in form.query("Input"))
            assert "\x1b" not in shown and "\u202e" not in shown and "\x9b" not in shown, shown
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, FormScreen)
            assert app.session.undo_stack == [], "nothing was changed, so there is nothing to undo"
    finally:
        store.close(compact=False)
    assert stored(path, table, ids[key]) == before
    assert on_disk(path) == disk, "an unchanged form must not write (no journal line, no rev bump)"


@pytest.mark.parametrize("which", list(FORMS))
async def test_editing_one_field_leaves_the_others_as_stored(hostile: tuple[Path, dict[str, int]], which: str) -> None:
    path, ids = hostile
    table, key, untouched, edited, value = FORMS[which]
    before = json.loads(stored(path, table, ids[key]))
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await _open_form(app, pilot, which, ids)
            app.screen.query_one(f"#f-{edited}").value = value  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert not isinstance(app.screen, FormScreen)
    finally:
        store.close(compact=False)
    after = json.loads(stored(path, table, ids[key]))
    assert after[edited] == value
    for name in untouched:
        assert after[name] == before[name], name
    changed = {k for k in after if after[k] != before[k]} - {"rev", "updated_at", "updated_by"}
    assert changed == {edited}


async def test_a_field_the_user_edits_saves_what_was_typed(hostile: tuple[Path, dict[str, int]]) -> None:
    """The user's edit wins, cleaned text and all: only an untouched field keeps the stored bytes."""
    path, ids = hostile
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await _open_form(app, pilot, "account", ids)
            field = app.screen.query_one("#f-name")
            field.value = field.value + " Ltd"  # type: ignore[attr-defined]
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
    finally:
        store.close(compact=False)
    doc = json.loads(stored(path, "accounts", ids["acme"]))
    assert doc["name"] == "^[[2J ACME Ltd"
    assert doc["sponsor"] == HOSTILE[1]
    assert doc["revenue"] == 1234.56
