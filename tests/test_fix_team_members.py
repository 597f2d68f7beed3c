"""One person is in an account's team once: the team form refuses a second "Sam Li" (case and
spaces ignored) at the member field, saying who is there already; the JSON import refuses an
account whose team lists a person twice, and `kamtui check` names one stored before the rule."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from kamtui.cli import main
from kamtui.domain.model import Account, TeamMember, member_in_team, member_key, repeated_member
from kamtui.store import Store
from kamtui.store.exchange import dump_json, import_json
from kamtui.ui.forms import FormScreen
from tests.test_ui import make, screen_text, settle
from tests.test_ui_business import account_doc, go_to, open_business, seed, submit, type_into


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


def error(app: Any) -> str:
    """The member field's error line, as shown (the screen wraps it)."""
    return str(app.screen.query_one("#e-member", Static).render())


TEAM = [TeamMember("ana", "key account manager"), TeamMember("Sam Li", "solutions engineer")]


def test_names_compare_without_case_and_spaces() -> None:
    assert member_key("  SAM  li ") == member_key("Sam Li") == member_key("samli")
    assert member_key("Jose\u0301") == member_key("JOSÉ")  # a decomposed accent is the same letter
    assert member_key("Sam Lee") != member_key("Sam Li")
    assert member_in_team(TEAM, "sam li") == 1
    assert member_in_team(TEAM, "sam li", skip=1) is None  # the member being edited
    assert member_in_team(TEAM, "Zoe") is None


def test_a_repeated_member_is_named_with_both_positions() -> None:
    assert repeated_member(TEAM) is None
    team = [*TEAM, TeamMember("Zoe"), TeamMember("SAM LI", "architect")]
    assert (
        repeated_member(team)
        == "'Sam Li' and 'SAM LI' are one person (members 2 and 4; case and spaces ignored); remove one"
    )
    assert repeated_member([TeamMember("ana"), TeamMember("ana")]) == (
        "'ana' is listed twice (members 1 and 2); remove one"
    )
    Account(name="Old", team=team)  # a stored account stays readable


async def test_the_team_form_refuses_a_member_twice_at_the_field(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    aid = db[1]["acme"]
    seed(store, aid)
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        pane = await open_business(app, pilot)
        seq = store.seq
        await go_to(pilot, pane, "sponsor")
        await pilot.press("a")  # a new member of our team
        await settle(app, pilot)
        await type_into(app, pilot, "member", "  sam  LI ")
        await type_into(app, pilot, "role", "architect")
        await submit(app, pilot)
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("#e-member").has_class("shown")  # at its field
        assert not app.screen.query_one("#e-role").has_class("shown")
        assert error(app) == "✗ 'Sam Li' is already in the team (member 2, solutions engineer); edit that one"
        assert "already in the team" in screen_text(app)
        assert store.seq == seq
        await type_into(app, pilot, "member", "Zoe Park")  # another name saves
        await submit(app, pilot)
        assert [m["member"] for m in account_doc(store, aid)["team"]] == ["ana", "Sam Li", "Zoe Park"]
        # Editing a member may keep its name (in any case) but not take another member's.
        await go_to(pilot, pane, "m:1")
        await pilot.press("e")
        await settle(app, pilot)
        await type_into(app, pilot, "member", "SAM LI")
        await submit(app, pilot)
        assert account_doc(store, aid)["team"][1] == {"member": "SAM LI", "role": "solutions engineer"}
        await go_to(pilot, pane, "m:2")
        await pilot.press("e")
        await settle(app, pilot)
        await type_into(app, pilot, "member", "Ana")
        await submit(app, pilot)
        assert isinstance(app.screen, FormScreen) and app.screen.query_one("#e-member").has_class("shown")
        assert error(app) == "✗ 'ana' is already in the team (member 1, key account manager); edit that one"
        await pilot.press("escape")
        await settle(app, pilot)
        assert [m["member"] for m in account_doc(store, aid)["team"]] == ["ana", "SAM LI", "Zoe Park"]


def test_the_json_import_restores_a_team_listing_a_person_twice_and_check_names_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup written before the team form refused a second listing must restore as it is
    (a restore that refuses what kamtui itself wrote would strand it); kamtui check names it."""
    src = Store(tmp_path / "a.json", user="t")
    try:
        aid = src.insert("accounts", {"name": "Acme", "team": [m.to_json() for m in TEAM]})
        data = json.loads(dump_json(src))
    finally:
        src.close(compact=False)
    data["accounts"][str(aid)]["team"].append({"member": "ANA ", "role": ""})
    path = tmp_path / "export.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    db = tmp_path / "b.json"
    with Store(db, user="t") as dst:
        import_json(dst, path)
        assert [m["member"] for m in dst.get("accounts", aid)["team"]][-1] == "ANA"  # type: ignore[index]
    assert main(["check", "--db", str(db)]) == 2
    assert "are one person" in capsys.readouterr().out


def test_check_names_a_team_stored_with_a_person_twice(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.json"
    with Store(db, user="t") as s:
        aid = s.insert("accounts", {"name": "Acme", "team": [{"member": "ana"}, {"member": "Ana"}]})
    assert main(["check", "--db", str(db)]) == 2
    out = capsys.readouterr().out
    assert (
        f"accounts/{aid}: team: 'ana' and 'Ana' are one person (members 1 and 2; case and spaces ignored); remove one"
        in out
    )
