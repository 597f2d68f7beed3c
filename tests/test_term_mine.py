"""Issue 11, item 13: when $USER owns no account, `m` says so and names the owners there are;
`o` shows any owner's queue (Today and the list); Today counts its items per owner."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import Stakeholder
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.today import TodayScreen
from tests.test_ui import workers_done
from tests.ui_fixtures import TODAY


def contact_due_for_tester(store: Store, ids: dict[str, int]) -> None:
    """Initech (tester's) gets a stakeholder never contacted: tester has an item in today's queue too."""
    ida = Stakeholder(account_id=ids["initech"], name="Ida Inez", contact_every_days=30, owner="tester")
    store.insert("stakeholders", ida.to_doc())


async def settle(app: KamApp, pilot: Any) -> None:
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


def screen_text(app: KamApp) -> str:
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(seg.text for seg in strip) for strip in strips)


def notes(app: KamApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def list_title(app: KamApp) -> str:
    return str(app.query_one("#list-title").render())


def visible(app: KamApp) -> list[str]:
    return [r.name for r in app.session.rows.visible]


async def pick(app: KamApp, pilot: Any, owner: str) -> None:
    """Open the owner picker with `o` and choose ``owner`` with the keys."""
    await pilot.press("o")
    await settle(app, pilot)
    text = screen_text(app)
    assert "Whose accounts?" in text and "Everyone" in text
    for _ in range(10):
        if owner in str(app.screen.query_one("OptionList").highlighted_option.prompt):  # type: ignore[attr-defined]
            break
        await pilot.press("j")
    await pilot.press("enter")
    await settle(app, pilot)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_m_names_the_owners_when_you_own_no_account(
    db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    store = Store(db[0], user="zoe")  # owns nothing: ana, ben and tester own the three accounts
    try:
        app = KamApp(store, today=TODAY, start="accounts")
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("m")
            await settle(app, pilot)
            assert len(visible(app)) == 3  # not an empty list that looks like "nothing to do"
            said = notes(app)[-1]
            assert "You (zoe) own no account" in said and "ana (1)" in said and "ben (1)" in said
            assert "tester (1)" in said and "o shows anyone's" in said
            # The same on Today.
            await pilot.press("t")
            await settle(app, pilot)
            assert isinstance(app.screen, TodayScreen)
            before = list(app.screen.items)
            await pilot.press("m")
            await settle(app, pilot)
            assert app.screen.items == before and "You (zoe) own no account" in notes(app)[-1]
            assert "Nothing needs you" not in screen_text(app)
    finally:
        store.close(compact=False)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_o_shows_any_owners_accounts_in_the_list(store: Store, size: tuple[int, int]) -> None:
    app = KamApp(store, today=TODAY, start="accounts")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        await pick(app, pilot, "ben")
        assert visible(app) == ["Globex"]
        assert "owner ben" in list_title(app) and "owner ben" in screen_text(app)
        await pilot.press("m")  # m: back to mine (tester)
        await settle(app, pilot)
        assert visible(app) == ["Initech"] and "mine (tester)" in list_title(app)
        assert "mine (tester)" in screen_text(app)
        await pick(app, pilot, "Everyone")
        assert len(visible(app)) == 3
        await pilot.press("o", "escape")  # the picker closes without a change
        await settle(app, pilot)
        assert len(visible(app)) == 3


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_today_counts_per_owner_and_o_shows_an_owners_queue(
    store: Store, db: tuple[Path, dict[str, int]], size: tuple[int, int]
) -> None:
    contact_due_for_tester(store, db[1])
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        everyone = list(screen.items)
        by_owner: dict[int, str] = {r.id: r.owner for r in app.session.rows.rows.values()}
        ana = [it for it in everyone if by_owner[it.account_id] == "ana"]
        assert ana and len(ana) < len(everyone)
        assert f"ana {len(ana)}" in screen_text(app)  # the counts per owner
        await pick(app, pilot, "ana")
        assert screen.items == ana
        text = screen_text(app)
        assert "owner ana" in text and f"ana {len(ana)}" in text  # the counts stay, for everyone
        await pilot.press("m")  # mine: tester's queue
        await settle(app, pilot)
        assert screen.items and all(by_owner[it.account_id] == "tester" for it in screen.items)
        assert "mine (tester)" in screen_text(app)
        await pick(app, pilot, "Everyone")
        assert screen.items == everyone


async def test_the_guided_review_walks_the_picked_owners_accounts(store: Store) -> None:
    app = KamApp(store, today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pick(app, pilot, "ben")
        assert app.session.due_for_review(True, "ben") == []  # Globex is reviewed quarterly, not due
        assert app.session.due_for_review(True, "ana") != []
        assert app.session.due_for_review(True) == app.session.due_for_review(True, "tester")


def test_owners_fold_spellings_and_count_accounts_and_queue_items() -> None:
    from kamtui.domain.owners import owners

    found = owners(["ANA", "ben", "ana", "Ana ", "", "  "], {"ana": 5, "": 1})
    assert [(o.key, o.name, o.accounts, o.queue) for o in found] == [
        ("ana", "Ana", 3, 5),  # tied spellings: not the capitals, then code point order
        ("", "", 2, 1),
        ("ben", "ben", 1, 0),
    ]
