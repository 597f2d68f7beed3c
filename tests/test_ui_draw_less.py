"""What a cursor move draws: only the lines that changed, never stale ones.

A move on the account list redraws the list's two cursor rows (every row when it scrolls) and
the panes of the new account. These tests hold the ways that work is kept small (a new pane
subtitle repaints the bottom border only, the list's rows are drawn as made, lines prepared
ahead are styled ahead, a line's width is read once per drawing) and check, after moves,
edits, a resize, a theme change and a focus change, that what is on screen is exactly what a
fresh drawing of every widget gives: nothing served from a cache is stale.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.segment import Segment
from textual.content import Content
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Static

from kamtui.domain.model import DecisionRole, Level, Stakeholder
from kamtui.sample import generate
from kamtui.store import Store
from kamtui.ui import compat
from kamtui.ui.account_list import AccountList
from kamtui.ui.app import KamApp
from kamtui.ui.line_view import CursorView, LineView
from kamtui.ui.panes.base import set_subtitle
from kamtui.ui.panes.plan import PlanPane
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.test_ui import make, screen_text, settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("gen") / "p.json"
    generate(path, 120, seed=5, today=TODAY)
    return path


@pytest.fixture
def big(generated: Path, tmp_path: Path) -> Any:
    path = tmp_path / "p.json"
    path.write_bytes(generated.read_bytes())
    store = Store(path, user="tester")
    yield store
    store.close(compact=False)


def forget_drawn_lines(widget: Widget) -> None:
    """Drop the lines Textual keeps for ``widget`` (its next drawing starts from scratch)."""
    widget._styles_cache.clear()


def drawn(app: KamApp) -> list[Strip]:
    """The screen as the compositor draws it now, from what each widget keeps."""
    return list(app.screen._compositor.render_strips())


def fresh(app: KamApp) -> list[Strip]:
    """The screen as Textual itself draws it from scratch: every widget's kept lines and rows
    dropped (Textual's, the list's, the cursor's), every widget drawn by Widget.render_lines."""
    for widget in app.screen.walk_children(Widget, with_self=True):
        forget_drawn_lines(widget)
        if isinstance(widget, AccountList):
            widget._strips.clear()
        if isinstance(widget, CursorView):
            widget._cursor_drawn = None
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(LineView, "render_lines", Widget.render_lines)
        patch.setattr(AccountList, "render_lines", Widget.render_lines)
        return drawn(app)


def assert_nothing_stale(app: KamApp, what: str) -> None:
    now = drawn(app)
    again = fresh(app)
    for y, (a, b) in enumerate(zip(now, again, strict=True)):
        assert list(a) == list(b), f"{what}: line {y} is stale:\n{a.text!r}\n{b.text!r}"


def text_of(strips: list[Strip]) -> list[str]:
    return ["".join(segment.text for segment in strip) for strip in strips]


# ------------------------------------------------------------- private members
def test_the_private_attributes_used_are_still_there() -> None:
    """compat writes the subtitle where Textual's setter keeps it, and drops Textual's kept lines:
    both attributes must still exist and mean that."""
    widget = Widget()
    for owner, attribute in compat.PRIVATE_ATTRIBUTES.values():
        assert isinstance(widget, owner) and hasattr(widget, attribute), attribute
    assert widget._border_subtitle is None
    widget.border_subtitle = "3 people"  # the public setters keep a Content, as compat does
    assert isinstance(widget._border_subtitle, Content) and widget._border_subtitle.plain == "3 people"
    assert widget._border_title is None
    widget.border_title = "Plan"
    assert isinstance(widget._border_title, Content) and widget._border_title.plain == "Plan"


# ------------------------------------------------------------------ subtitles
async def rest_three_down(app: Any, pilot: Any) -> None:
    """Settled, three moves down with the cursor resting after each (its neighbours prepared), settled."""
    await settle(app, pilot)
    for _ in range(3):
        await pilot.press("j")
        await pilot.pause(0.05)
    await settle(app, pilot)


@pytest.mark.parametrize("drawn_by", ["the pane", "Textual"])
async def test_a_new_subtitle_repaints_the_bottom_border_alone(store: Store, drawn_by: str) -> None:
    """Textual's border_subtitle setter redraws every line of a pane; the subtitle is on the
    bottom border only, and a move changes it on most panes. Whether the pane draws its content
    rows itself (compat.Edges) or Textual does (here: the pane tinted), none is drawn again."""
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        view = app.query_one(PlanPane).view
        if drawn_by == "Textual":
            view.styles.tint = "red 10%"
            await settle(app, pilot)
            assert not compat.framed_plainly(view)
        asked: list[int] = []
        render_line = view.render_line

        def spy(y: int) -> Strip:
            asked.append(y)
            return render_line(y)

        drawing: list[Region] = []
        render_lines = Widget.render_lines

        def textual(self: Widget, crop: Region) -> list[Strip]:
            if self is view:
                drawing.append(crop)
            return render_lines(self, crop)

        view.render_line = spy  # type: ignore[method-assign]
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Widget, "render_lines", textual)
            set_subtitle(view, "7/9 done · 2 overdue [b]not markup[/b]")
            await settle(app, pilot)
        height = view.outer_size.height
        if drawn_by == "Textual":
            assert asked == []  # no content line drawn again
        else:  # the rows are looked up; Textual draws the bottom border, nothing else
            assert {(crop.y, crop.height) for crop in drawing} == {(height - 1, 1)}
        bottom = text_of(view.render_lines(Region(0, 0, *view.outer_size)))[-1]
        assert "7/9 done · 2 overdue [b]not markup[/b]" in bottom
        assert view.border_subtitle is not None and "not markup" in view.border_subtitle
        assert_nothing_stale(app, "new subtitle")
        set_subtitle(view, "")  # none at all: the bottom border drawn plain again
        await settle(app, pilot)
        assert "done" not in text_of(view.render_lines(Region(0, 0, *view.outer_size)))[-1]
        assert_nothing_stale(app, "no subtitle")


async def test_a_border_row_drawn_before_is_not_drawn_again(big: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Back to an account shown before: every pane's subtitle reads as it did then, and its
    bottom border is the row Textual drew then (kept by what it says), not drawn again."""
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        views = [v for v in app.screen.query(LineView) if v.region and v.border_subtitle is not None]
        shown: list[list[str | None]] = []
        for key in ("j", "j", "k"):
            await pilot.press(key)
            await pilot.pause(0.05)
            await settle(app, pilot)
            shown.append([v.border_subtitle for v in views])
        assert shown[0] != shown[1]  # the two accounts' subtitles differ
        asked: list[tuple[str | None, Region]] = []
        render_lines = Widget.render_lines

        def spy(self: Widget, crop: Region) -> list[Strip]:
            if isinstance(self, LineView):
                asked.append((self.id, crop))
            return render_lines(self, crop)

        monkeypatch.setattr(Widget, "render_lines", spy)
        await pilot.press("j")
        await settle(app, pilot)
        assert [v.border_subtitle for v in views] == shown[1]
        assert asked == []
        monkeypatch.undo()
        assert_nothing_stale(app, "back to an account")


async def test_a_subtitle_set_before_the_pane_has_a_size_shows() -> None:
    """Not mounted yet: the public setter (nothing drawn to keep)."""
    view = LineView()
    compat.set_border_subtitle(view, "2 reviews")
    assert view.border_subtitle == "2 reviews"


# --------------------------------------------------------------- after moves
async def test_every_move_up_and_down_leaves_nothing_stale(big: Store) -> None:
    """Down through every account (the list scrolls, every pane changes: rows, subtitles, the
    lines prepared ahead) and back up; the screen after each move is what a fresh drawing gives."""
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(AccountList)
        n = len(lst.data.visible)
        for i in range(n + 2):
            await pilot.press("j")
            if i % 3 == 0:
                await pilot.pause(0.05)  # the cursor rests: the panes prepare its neighbours
            await settle(app, pilot)
            assert_nothing_stale(app, f"down {i}")
        assert lst.scroll_offset.y > 0
        for i in range(45):
            await pilot.press("k")
            await settle(app, pilot)
            assert_nothing_stale(app, f"up {i}")


async def test_nothing_stale_after_edits_resize_theme_and_focus(big: Store) -> None:
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await rest_three_down(app, pilot)
        plan = app.query_one(PlanPane)
        p = app.session.portfolio
        with_actions = next(r.id for r in app.session.rows.visible if any(not a.done for a in p.actions(r.id)))
        app.main.go_to_account(with_actions)
        await settle(app, pilot)
        await pilot.press("2")  # the plan: its subtitle counts what is done
        await settle(app, pilot)
        before = plan.view.border_subtitle
        for _ in range(40):
            if (plan.current_key() or "").startswith("a:"):
                break
            await pilot.press("j")
            await settle(app, pilot)
        await pilot.press("space")  # tick an action: the pane and its subtitle change
        await settle(app, pilot)
        assert plan.view.border_subtitle != before
        assert_nothing_stale(app, "after an edit")
        await pilot.press("u")
        await settle(app, pilot)
        assert plan.view.border_subtitle == before
        assert_nothing_stale(app, "after undo")
        await pilot.press("ctrl+l")  # back to the list
        await settle(app, pilot)
        assert_nothing_stale(app, "focus back on the list")
        await pilot.resize_terminal(100, 30)
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        assert_nothing_stale(app, "after a resize")
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        assert_nothing_stale(app, "after a theme change")


async def test_another_sessions_change_to_the_shown_account_shows(big: Store) -> None:
    """The shown account changed by another session: its panes are built and drawn again."""
    app = make(big)
    other = Store(big.path, user="someone-else")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            await pilot.press("j")
            await pilot.pause(0.05)
            await settle(app, pilot)
            account_id = app.main.account_id
            assert account_id is not None
            people = app.query_one(StakeholderPane)
            before = people.view.border_subtitle
            other.insert(
                "stakeholders",
                Stakeholder(
                    account_id=account_id, name="Zelda Newcomer", role=DecisionRole.USER, influence=Level.LOW
                ).to_doc(),
            )
            app.poll()
            for _ in range(3):  # the poll worker, then the refresh it posts
                await settle(app, pilot)
            assert "Zelda Newcomer" in screen_text(app)
            assert people.view.border_subtitle != before
            assert_nothing_stale(app, "after another session's change")
    finally:
        other.close(compact=False)


# ---------------------------------------------------------- the account list
async def test_the_list_draws_its_rows_as_textual_would(big: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """The account list draws its ready-made rows itself (compat.render_plain): the same strips
    as Textual's own drawing, focused or not, scrolled, cut to part of its width, any theme."""
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(AccountList)

        def same(what: str) -> None:
            width, height = lst.outer_size
            for crop in (Region(0, 0, width, height), Region(3, 5, width - 10, 4)):
                ours = lst.render_lines(crop)
                forget_drawn_lines(lst)
                textuals = Widget.render_lines(lst, crop)
                assert [list(s) for s in ours] == [list(s) for s in textuals], (what, crop)

        assert compat.plain_styles(lst)
        same("first")
        for _ in range(50):
            await pilot.press("j")
        await settle(app, pilot)
        assert lst.scroll_offset.y > 0
        same("scrolled")
        await pilot.press("2")
        await settle(app, pilot)
        same("not focused")
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(app, pilot)
        same("other theme")


async def test_the_list_draws_as_textual_under_no_color(big: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """NO_COLOR: Textual's line filter turns colours grey; the list's rows go through it too."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(AccountList)
        assert lst.get_line_filters()
        crop = Region(0, 0, *lst.outer_size)
        ours = lst.render_lines(crop)
        forget_drawn_lines(lst)
        assert [list(s) for s in ours] == [list(s) for s in Widget.render_lines(lst, crop)]


async def test_styles_that_change_the_lines_send_the_list_back_to_textual(big: Store) -> None:
    """Padding (or a border, a tint...) given to the list: Textual draws it (nothing it kept
    from before the list drew itself is stale), and the list draws itself again after."""
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(AccountList)
        for _ in range(5):
            await pilot.press("j")
        await settle(app, pilot)
        row = screen_text(app).splitlines()[3]
        lst.styles.padding = (0, 2)
        await settle(app, pilot)
        assert not compat.plain_styles(lst)
        assert screen_text(app).splitlines()[3].startswith("  " + row[:8])  # the padding is drawn
        assert_nothing_stale(app, "padded")
        for _ in range(40):
            await pilot.press("j")
        await settle(app, pilot)
        assert_nothing_stale(app, "padded, scrolled")
        lst.styles.padding = 0
        await settle(app, pilot)
        assert compat.plain_styles(lst)
        await pilot.press("j")
        await settle(app, pilot)
        assert_nothing_stale(app, "plain again")


async def test_a_move_that_scrolls_the_list_does_not_restyle_its_rows(
    big: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each move past the last row shown scrolls the list by one row: every row shifts, and
    Textual would draw each one again (a new strip, its styles, its line filters). The rows are
    ready-made: the list hands them over as they are."""
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(AccountList)
        for _ in range(lst.size.height + 2):
            await pilot.press("j")
        await settle(app, pilot)
        top = lst.scroll_offset.y
        assert top > 0
        through_textual: list[Widget] = []
        render_lines = Widget.render_lines

        def spy(self: Widget, crop: Region) -> list[Strip]:
            through_textual.append(self)
            return render_lines(self, crop)

        monkeypatch.setattr(Widget, "render_lines", spy)
        await pilot.press("j")
        await settle(app, pilot)
        assert lst.scroll_offset.y == top + 1
        assert lst not in through_textual
        assert any(isinstance(w, Static) for w in through_textual)  # the frame was drawn (the titles)


async def test_the_rows_a_move_draws_anew_are_made_while_the_cursor_rests(
    big: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A move draws the row it leaves without the cursor and the row it reaches with it: both are
    made once the cursor rests (with the panes' neighbours), not in the move's frame."""
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        lst = app.query_one(AccountList)
        made: list[int] = []
        row_segments = AccountList.row_segments

        def spy(self: AccountList, row: Any, width: int, base: Any) -> list[Segment]:
            made.append(row.id)
            return row_segments(self, row, width, base)

        for key in ("j", "j", "j", "k"):
            await pilot.press(key)
            await pilot.pause(0.05)  # the cursor rests
            await settle(app, pilot)
            made.clear()
            with pytest.MonkeyPatch.context() as patch:
                patch.setattr(AccountList, "row_segments", spy)
                patch.setattr(AccountList, "_schedule_prepare", lambda self: None)  # the move alone
                await pilot.press("j")
                await pilot.pause()
            assert made == [], made
            assert_nothing_stale(app, "after the move")
            await pilot.press("k")
            await pilot.pause(0.05)
            await settle(app, pilot)
        assert lst.cursor == 2


# ------------------------------------------------------------------ the panes
def assert_panes_drawn_as_textual_would(app: KamApp, what: str) -> int:
    """Every shown pane view's rows, whole and cut, are Textual's own drawing of them."""
    checked = 0
    for view in app.screen.query(LineView):
        if not view.region or not view.outer_size:
            continue  # not shown
        width, height = view.outer_size
        for crop in (Region(0, 0, width, height), Region(2, 1, max(1, width - 5), max(1, height - 2))):
            ours = view.render_lines(crop)
            forget_drawn_lines(view)
            textuals = Widget.render_lines(view, crop)
            assert [list(s) for s in ours] == [list(s) for s in textuals], (what, view.id, crop)
        checked += 1
    return checked


@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_the_panes_draw_their_rows_as_textual_would(big: Store, size: tuple[int, int]) -> None:
    """A pane draws its content rows between the borders and padding Textual gives it
    (compat.Edges): the same strips as Textual's own drawing, in every pane, focused or not,
    zoomed, after moves and in another theme."""
    app = make(big)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert assert_panes_drawn_as_textual_would(app, "first") >= 2
        for _ in range(4):
            await pilot.press("j")
            await pilot.pause(0.05)
        await settle(app, pilot)
        assert_panes_drawn_as_textual_would(app, "after moves")
        for key in "12345":
            await pilot.press(key)  # each pane shown and focused in turn
            await settle(app, pilot)
            await pilot.press("j", "j")
            await settle(app, pilot)
            assert_panes_drawn_as_textual_would(app, f"pane {key}")
        await pilot.press("z")
        await settle(app, pilot)
        assert_panes_drawn_as_textual_would(app, "zoomed")
        await pilot.press("z", "ctrl+l")
        await settle(app, pilot)
        app.theme = "textual-light" if app.theme != "textual-light" else "textual-dark"
        await settle(app, pilot)
        assert_panes_drawn_as_textual_would(app, "other theme")
        assert_nothing_stale(app, "other theme")


async def test_the_panes_draw_as_textual_under_no_color(big: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        assert app.get_line_filters()
        assert_panes_drawn_as_textual_would(app, "NO_COLOR")
        assert_nothing_stale(app, "NO_COLOR")


async def test_a_pane_textual_would_draw_otherwise_is_left_to_textual(store: Store) -> None:
    """An outline, a tint, text opacity: Textual adds to each row, and draws them all; a row
    Textual draws otherwise than (left, the line, right) makes the pane leave them all to it."""
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        view = app.query_one(PlanPane).view
        for rule, value in (("outline", ("solid", "red")), ("tint", "blue 20%"), ("text_opacity", "50%")):
            setattr(view.styles, rule, value)
            await settle(app, pilot)
            assert not compat.framed_plainly(view), rule
            assert_panes_drawn_as_textual_would(app, rule)
            assert_nothing_stale(app, rule)
            for part in ("_top", "_right", "_bottom", "_left") if rule == "outline" else ("",):
                view.styles.clear_rule(rule + part)
            await settle(app, pilot)
        assert compat.framed_plainly(view)
        edges = compat.Edges()
        crop = Region(0, 0, *view.outer_size)

        def textual(region: Region) -> list[Strip]:  # draws its rows with a marker in front
            return [Strip([Segment("X"), *strip]) for strip in Widget.render_lines(view, region)]

        assert [s.text for s in edges.render(view, crop, textual, 0)] == [s.text for s in textual(crop)]
        assert edges.sides is None


async def test_a_pane_given_padding_or_another_border_draws_them(store: Store) -> None:
    """The sides of a row are taken again when the styles they come from change, set in code
    as well as by the CSS."""
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        view = app.query_one(PlanPane).view
        for padding, border in (((0, 2), None), ((0, 0), ("heavy", "green")), ((0, 1, 0, 3), ("ascii", "red"))):
            view.styles.padding = padding
            if border is not None:
                view.styles.border = border
            await settle(app, pilot)
            assert compat.framed_plainly(view)
            assert_panes_drawn_as_textual_would(app, f"{padding} {border}")
            assert_nothing_stale(app, f"{padding} {border}")


async def test_a_move_leaves_textual_only_the_border_rows_to_draw(big: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A move changes most rows of every pane; Textual drew each (its line, padding, borders,
    a new strip, the filters: ~40 us a row). Now it draws a pane's border rows only."""
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await rest_three_down(app, pilot)
        asked: list[tuple[LineView, Region]] = []
        render_lines = Widget.render_lines

        def spy(self: Widget, crop: Region) -> list[Strip]:
            if isinstance(self, LineView):
                asked.append((self, crop))
            return render_lines(self, crop)

        monkeypatch.setattr(Widget, "render_lines", spy)
        await pilot.press("j")
        await settle(app, pilot)
        assert asked
        for view, crop in asked:
            gutter = view.styles.gutter
            content = range(gutter.top, view.outer_size.height - gutter.bottom)
            assert not any(y in content for y in crop.line_range), (view.id, crop)


async def test_a_pane_reads_its_width_once_per_drawing(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """Textual asks a view for each of its lines in turn; the width and the scroll position (a
    look-up of the view's place on the screen each) are read once for all of them."""
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        view = app.query_one(PlanPane).view
        reads: list[int] = []
        width: property = LineView.__dict__["line_width"]

        def counting(self: LineView) -> int:
            reads.append(1)
            return int(width.fget(self))  # type: ignore[misc]

        monkeypatch.setattr(LineView, "line_width", property(counting))
        forget_drawn_lines(view)
        lines = view.render_lines(Region(0, 0, *view.outer_size))
        assert len(lines) == view.outer_size.height >= 5
        assert len(reads) == 1


async def test_showing_a_prepared_account_reads_each_panes_place_once(
    big: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pane showing an account asked ~5 times where its view is on the screen (a look-up
    each), and the stakeholders counted their coverage's lines again: once now, and not at all."""
    from kamtui.ui.panes import stakeholders

    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await rest_three_down(app, pilot)  # the cursor rests: its neighbours are prepared
        areas: list[str | None] = []
        counted: list[int] = []
        region = Widget.scrollable_content_region
        height = stakeholders.coverage_height

        def area(self: Widget) -> Region:
            areas.append(self.id)
            return region.fget(self)  # type: ignore[attr-defined, no-any-return]

        def count(cov: Any, width: int) -> int:
            counted.append(width)
            return height(cov, width)

        panes = [p for p in app.main.panes if getattr(p, "display", True)]  # those shown
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(Widget, "scrollable_content_region", property(area))
            patch.setattr(stakeholders, "coverage_height", count)
            app.main.show_account(app.session.rows.visible[4].id)
        assert sorted(areas, key=str) == sorted((p.view.id for p in panes), key=str)
        assert counted == []
        await settle(app, pilot)
        assert_nothing_stale(app, "shown")


async def test_lines_prepared_ahead_are_drawn_without_styling_them_again(
    big: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawing a pane's line gives it the view's base style; for the lines prepared ahead (the
    accounts beside the cursor) that is done while the user reads, not in the move's frame."""
    app = make(big)
    async with app.run_test(size=(120, 40)) as pilot:
        await rest_three_down(app, pilot)
        await pilot.pause(0.1)  # the neighbours are prepared
        styled: list[str] = []
        drawing: list[LineView] = []
        apply_style = Segment.apply_style.__func__  # type: ignore[attr-defined]
        render_lines = LineView.render_lines

        def spy(cls: type[Segment], *args: Any, **kwargs: Any) -> Any:
            if drawing:  # styled while a pane's lines are drawn
                styled.append(type(drawing[-1]).__name__)
            return apply_style(cls, *args, **kwargs)

        def draw(self: LineView, crop: Region) -> list[Strip]:
            drawing.append(self)
            try:
                return render_lines(self, crop)
            finally:
                drawing.pop()

        monkeypatch.setattr(Segment, "apply_style", classmethod(spy))
        monkeypatch.setattr(LineView, "render_lines", draw)
        await pilot.press("j")
        await settle(app, pilot)
        # Only the lines under the panes' cursors, drawn with the cursor's style, are made then.
        assert len(styled) <= 2, styled
        monkeypatch.undo()
        assert_nothing_stale(app, "prepared")


async def test_static_titles_still_draw(store: Store) -> None:
    """Widgets with their own lines (the list's title) are left to Textual."""
    app = make(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        title = app.query_one("#list-title", Static)
        assert "Accounts 3" in text_of(title.render_lines(Region(0, 0, *title.outer_size)))[0]
