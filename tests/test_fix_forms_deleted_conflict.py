"""Saving a form over a record another session deleted names the record as the user knows it
(like every other conflict), not by its table and internal id ("conflict on stakeholders 35"),
and says the way out: saving again can only be refused again."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Static

from kamtui.store import ConflictError, Store, open_store
from kamtui.ui.forms import FormScreen
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.test_ui import make, settle


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def test_an_edit_of_a_deleted_record_names_it(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    s1, s2 = open_store(db, "ana"), open_store(db, "ben")
    try:
        a = s1.insert("accounts", {"name": "ACME", "owner": "ana"})
        s2.refresh()
        seen = dict(s2.get("accounts", a) or {})
        s1.delete("accounts", a)
        with pytest.raises(ConflictError) as err:
            s2.update("accounts", a, {"owner": "ben"}, seen=seen)
        said = str(err.value)
        assert err.value.deleted
        assert said.startswith("conflict on account 'ACME': another session deleted it"), said
        assert "accounts" not in said and f" {a}" not in said
        assert "unknown time" not in said  # the store does not know when: it does not pretend to
    finally:
        s1.close(compact=False)
        s2.close(compact=False)


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_saving_a_stakeholder_another_session_deleted(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    path, _ids = db
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        person = app.query_one(StakeholderPane).current()
        assert person is not None and person.id is not None
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)
        other = Store(path, user="someone-else")
        other.delete("stakeholders", person.id)
        other.close(compact=False)
        await pilot.press("end", *" Jr", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, FormScreen)  # refused: what was typed stays
        said = str(app.screen.query_one("#form-error", Static).render())
        assert f"conflict on stakeholder '{person.name}': another session deleted it" in said, said
        assert "stakeholders" not in said and str(person.id) not in said
        assert "esc" in said and "gone" in said  # the way out: saving again is refused again
        assert store.get("stakeholders", person.id) is None  # nothing resurrected
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, FormScreen)
