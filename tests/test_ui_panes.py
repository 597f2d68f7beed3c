"""The line-API panes and the account list: what keeps a move to one frame, and the keys of
the panes' own cursors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from textual.widget import Widget

from kamtui.sample import generate
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.ui.account_list import AccountList
from kamtui.ui.panes.base import Pane
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.panes.stakeholders import StakeholderPane
from kamtui.ui.rows import AccountRows
from tests.test_ui import make, screen_text, settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every widget that asks for a layout pass (directly or through a layout reactive)."""
    asked: list[str] = []
    refresh = Widget.refresh

    def spy(self: Widget, *regions: Any, **kwargs: Any) -> Widget:
        if kwargs.get("layout"):
            asked.append(f"{type(self).__name__}#{self.id}")
        return refresh(self, *regions, **kwargs)

    monkeypatch.setattr(Widget, "refresh", spy)
    return asked


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_showing_another_account_needs_no_layout_pass(
    store: Store, size: tuple[int, int], layouts: list[str]
) -> None:
    """A layout pass re-arranges the whole screen (and used to cost a frame per move): the panes'
    sizes come from CSS, so new content must never ask for one."""
    app = make(store)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        ids = [row.id for row in app.session.rows.visible]
        for account_id in [*ids, *reversed(ids), None]:
            layouts.clear()
            app.main.show_account(account_id)
            assert layouts == [], account_id
            await settle(app, pilot)
        assert "No account selected" in screen_text(app)


async def test_cursor_move_and_filter_keystroke_ask_for_no_layout(store: Store, layouts: list[str]) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        layouts.clear()
        app.query_one(AccountList).action_cursor_down()
        assert layouts == []
        await settle(app, pilot)
        assert "Globex · KEY" in screen_text(app)
        await pilot.press("slash")
        await settle(app, pilot)
        layouts.clear()
        await pilot.press("a", "c")
        await settle(app, pilot)
        assert [r.name for r in app.session.rows.visible] == ["ACME Corp"]
        assert "ACME Corp · KEY" in screen_text(app)
        assert layouts == []


async def test_stakeholder_cursor_keys_and_a_new_account_starts_at_the_top(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("tab")
        pane = app.query_one(StakeholderPane)
        people = [s.id for s in pane.items]
        assert len(people) == 3 and pane.current() is not None and pane.current().id == people[0]  # type: ignore[union-attr]
        await pilot.press("end")
        assert pane.current().id == people[-1]  # type: ignore[union-attr]
        await pilot.press("j")  # at the bottom: stays
        assert pane.current().id == people[-1]  # type: ignore[union-attr]
        await pilot.press("home", "down")
        assert pane.current().id == people[1]  # type: ignore[union-attr]
        await pilot.press("pagedown")
        assert pane.current().id == people[-1]  # type: ignore[union-attr]
        await pilot.press("pageup")
        assert pane.current().id == people[0]  # type: ignore[union-attr]
        await pilot.press("ctrl+l", "j")  # Globex: nobody
        await settle(app, pilot)
        assert pane.current() is None
        await pilot.press("k")  # back to ACME: the cursor starts on the first person again
        await settle(app, pilot)
        assert pane.current() is not None and pane.current().id == people[0]  # type: ignore[union-attr]


async def test_plan_cursor_skips_placeholders_and_keeps_its_item(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("2")
        await settle(app, pilot)
        plan = app.query_one(PlanPane)
        seen = [plan.current_key()]
        for _ in range(10):
            await pilot.press("j")
            seen.append(plan.current_key())
        # Every selectable line once, in order, the "(none: a adds one)" placeholder never.
        keys = list(dict.fromkeys(seen))
        # The KPI section's title comes last (no KPIs: its placeholder is not selectable).
        assert keys[0] == "h:short" and keys[-2].startswith("o:") and keys[-1] == f"K:{TODAY.year}"  # type: ignore[union-attr]
        assert "h:medium" in keys and "h:long" in keys
        assert not any(k.startswith("e:") for k in keys)  # type: ignore[union-attr]
        await pilot.press("g")
        assert plan.current_key() == "h:short"
        await pilot.press("G")
        assert plan.current_key() == keys[-1]
        # An edit elsewhere keeps the cursor on the same item.
        target = f"a:{ids['open_action']}"
        while plan.current_key() != target:
            await pilot.press("k")
        app.main.refresh_accounts({ids["acme"]})
        await settle(app, pilot)
        assert plan.current_key() == target


async def test_click_puts_the_stakeholder_cursor_on_the_row(store: Store) -> None:
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        pane = app.query_one(StakeholderPane)
        third = pane.items[2]
        # The table's first lines are the roles' coverage (two at this width), then the column titles;
        # people follow, one a line.
        await pilot.click("#sh-table", offset=(3, 1 + 2 + 1 + 2))  # border, coverage, titles, third person
        await settle(app, pilot)
        assert pane.current() is not None and pane.current().id == third.id  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "p.json"
    generate(path, 300, seed=3, today=TODAY)
    return path


@pytest.mark.parametrize("typed", ["aur", "a b", "ko", "zz", "an  e", "q"])
def test_typing_a_filter_gives_what_a_fresh_filter_gives(generated: Path, typed: str) -> None:
    """Typing filters the previous selection; the result must be what filtering all rows gives,
    in the same order, for every prefix, every sort and the quick filters."""
    store = Store(generated, user="tester")
    try:
        portfolio = Portfolio(store, lambda: TODAY)
        rows = AccountRows(portfolio, lambda: TODAY, "ana")
        for sort_index in (0, 1, 3):
            for mine in (False, True):
                rows.query, rows.sort_index, rows.mine = "", sort_index, mine
                rows.apply()
                for i in range(1, len(typed) + 1):
                    rows.query = typed[:i]
                    rows.apply()
                    fresh = AccountRows(portfolio, lambda: TODAY, "ana")
                    fresh.query, fresh.sort_index, fresh.mine = typed[:i], sort_index, mine
                    fresh.apply()
                    assert [r.id for r in rows.visible] == [r.id for r in fresh.visible], (typed[:i], sort_index)
                # Deleting a character (not an extension) filters all rows again.
                rows.query = typed[:-1]
                rows.apply()
                fresh.query = typed[:-1]
                fresh.apply()
                assert [r.id for r in rows.visible] == [r.id for r in fresh.visible]
    finally:
        store.close(compact=False)


def test_rows_changed_under_a_typed_filter_are_filtered_again(generated: Path, tmp_path: Path) -> None:
    path = tmp_path / "p.json"
    path.write_bytes(generated.read_bytes())
    store = Store(path, user="tester")
    try:
        portfolio = Portfolio(store, lambda: TODAY)
        rows = AccountRows(portfolio, lambda: TODAY, "ana")
        rows.query = "zzq"
        rows.apply()
        assert rows.visible == []
        first = next(iter(rows.rows))
        store.update("accounts", first, {"name": "Zzqx Corp"})
        rows.update({first})  # a new row object: the typed filter must not reuse the old selection
        rows.query = "zzqx"
        rows.apply()
        assert [r.id for r in rows.visible] == [first]
        assert rows.today == TODAY and isinstance(rows.today, dt.date)
    finally:
        store.close(compact=False)


async def test_accounts_beside_the_cursor_are_prepared_and_never_shown_stale(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    ids = db[1]
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "k")  # back on ACME: the panes prepare Globex (below) once the cursor rests
        await pilot.pause(0.1)
        await settle(app, pilot)
        panes = [w for w in app.screen.query("*") if isinstance(w, Pane)]
        shown = [p for p in panes if isinstance(p, Widget) and p.display]
        hidden = [p for p in panes if p not in shown]
        assert hidden, "wide, the business and opportunities panes wait behind the plan"
        assert shown and all(ids["globex"] in {key[0] for key in list(p.prepared.keys())} for p in shown)
        assert not any(p.prepared.keys() for p in hidden)  # nothing is prepared for a hidden pane
        await pilot.press("j")  # shows the prepared lines
        await settle(app, pilot)
        prepared = screen_text(app)
        for pane in panes:
            pane.refresh_pane()  # render Globex afresh: the same screen
        await settle(app, pilot)
        assert screen_text(app) == prepared and "Globex · KEY" in prepared
        # Prepared, then changed (here by another write): what shows is the new state.
        await pilot.press("k")
        await pilot.pause(0.1)
        await settle(app, pilot)
        store.update("accounts", ids["globex"], {"owner": "zoe"})
        await pilot.press("j")
        await settle(app, pilot)
        assert "Globex · KEY · owner zoe" in screen_text(app)


async def test_a_line_view_shown_again_draws_lines_for_its_width(store: Store, db: tuple[Path, dict[str, int]]) -> None:
    """A view whose container the layout shows again may get no Resize of its own (seen in a
    real terminal: `j 5` showed a blank Opportunities pane): drawing builds what it lacks."""
    from kamtui.ui.line_view import LineView

    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        view = app.query_one("#reviews", LineView)
        width = view.line_width
        assert width > 0
        view._built_width = width - 7  # lines cut for a width it no longer has, no Resize coming
        first = "".join(seg.text for seg in view.render_line(0))
        assert view._built_width == width and len(first) == width
        assert "Cadence" in first or first.strip()


async def test_wide_the_stakeholders_give_the_focused_middle_pane_room(
    store: Store, db: tuple[Path, dict[str, int]]
) -> None:
    """At 120x40 the pane between stakeholders and reviews (plan, business, opportunities) gets
    more rows while it has the focus; the stakeholders take theirs back when focused."""
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        stakeholders, business = app.query_one("#stakeholders"), app.query_one("#business")
        await pilot.press("1")
        await settle(app, pilot)
        tall = stakeholders.size.height
        await pilot.press("4")
        await settle(app, pilot)
        assert stakeholders.has_class("giving-way") and stakeholders.size.height < tall
        roomy = business.size.height
        await pilot.press("1")
        await settle(app, pilot)
        assert not stakeholders.has_class("giving-way") and stakeholders.size.height == tall
        await pilot.press("4")
        await settle(app, pilot)
        assert business.size.height == roomy


def test_the_coverage_layout_counted_without_text_is_the_one_built_by_measuring_text() -> None:
    """coverage_height is asked on every cursor move and counts cells without building lines;
    its layout must be the one measuring the built lines gives (the first that fits)."""
    import itertools

    from rich.text import Text

    from kamtui.domain.coverage import Cover, RoleCoverage
    from kamtui.domain.model import DecisionRole
    from kamtui.ui.panes.stakeholders import _roles_text, coverage_height, coverage_lines

    def measured(cov: list[RoleCoverage], width: int) -> list[Text]:  # the layout, by built text
        for title in ("Coverage  ", ""):
            one = _roles_text(cov, False, title)
            if one.cell_len <= width:
                return [one]
        half = (len(cov) + 1) // 2
        for short in (False, True):
            two = [_roles_text(cov[:half], short, ""), _roles_text(cov[half:], short, "")]
            if all(t.cell_len <= width for t in two):
                return two
        for t in two:
            t.truncate(width, overflow="ellipsis")
        return two

    roles = [DecisionRole.ECONOMIC_BUYER, DecisionRole.DECISION_MAKER, DecisionRole.CHAMPION, DecisionRole.USER]
    for n, states, width in itertools.product((1, 3, 4), itertools.product(list(Cover), repeat=2), range(8, 120, 3)):
        cov = [RoleCoverage(role, states[i % 2], None, None, 1) for i, role in enumerate(roles[:n])]
        want = measured(cov, width)
        got = coverage_lines(cov, width)
        assert [t.plain for t in got] == [t.plain for t in want], (n, states, width)
        assert coverage_height(cov, width) == len(want)
