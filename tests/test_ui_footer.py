"""The footer shows whole keys only: at 80 columns the account panes' footer used to end in
``b Brie`` or ``u Und``. The keys that do not fit are hidden, last first; help and quit last of all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.footer import FittingFooter, fitting
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


@asynccontextmanager
async def running(tmp_path: Path, size: tuple[int, int], start: str = "accounts") -> AsyncIterator[tuple[KamApp, Any]]:
    """The app over a fresh test portfolio at ``size``, settled; its store closed after."""
    path = tmp_path / "k.json"
    build_portfolio(path)
    app = KamApp(Store(path, user="tester"), today=TODAY, start=start)
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            yield app, pilot
    finally:
        app.store.close(compact=False)


def test_the_kept_keys_first_then_the_others_in_order_as_far_as_they_fit() -> None:
    assert fitting([5, 5, 5], 15) == [True, True, True]
    assert fitting([5, 5, 5], 14) == [True, True, False]
    assert fitting([5, 9, 2], 8) == [True, False, False]  # a run: 2 would fit, but after 9
    assert fitting([5, 5, 5, 4], 10, keep=[3]) == [True, False, False, True]
    assert fitting([5, 5, 5, 4], 3, keep=[3]) == [False] * 4
    assert fitting([5, 5, 4, 6], 10, keep=[2, 3]) == [False, False, True, True]
    assert fitting([5, 5, 4, 6], 9, keep=[2, 3]) == [True, False, True, False]  # 6 does not fit
    assert fitting([], 10, keep=[0]) == []


@given(st.lists(st.integers(1, 20), max_size=12), st.integers(0, 120), st.lists(st.integers(0, 11), max_size=3))
def test_what_shows_always_fits_and_nothing_that_fits_is_left_out(
    widths: list[int], room: int, keep: list[int]
) -> None:
    shown = fitting(widths, room, keep)
    assert sum(w for w, s in zip(widths, shown, strict=True) if s) <= room
    kept = [i for i in dict.fromkeys(keep) if i < len(widths)]
    # every kept key that would still fit shows
    used = sum(w for w, s in zip(widths, shown, strict=True) if s)
    assert all(shown[i] or used + widths[i] > room for i in kept)
    # the others show as a run from the first: none after a hidden one
    others = [s for i, s in enumerate(shown) if i not in kept]
    assert others == sorted(others, reverse=True)
    if others and not all(others):
        nxt = next(i for i, s in enumerate(shown) if i not in kept and not s)
        assert used + widths[nxt] > room


def _visible_keys(app: KamApp) -> list[str]:
    footer = app.screen.query_one(FittingFooter)
    return [
        f"{k.key_display} {k.description}".strip()  # type: ignore[attr-defined]
        for k in footer.children
        if k.display and not k.has_class("-command-palette") and k.region.width
    ]


async def _check_footer(app: KamApp, width: int) -> list[str]:
    line = screen_text(app).splitlines()[-1]
    keys = _visible_keys(app)
    assert keys, line
    for key in keys:
        assert key in line, f"{key!r} not shown whole in {line!r}"
    assert "? Help" in keys and "q Quit" in keys, line
    assert len(line.rstrip()) <= width
    return keys


async def test_at_80_columns_every_pane_shows_whole_keys_and_more_once_wider(tmp_path: Path) -> None:
    async with running(tmp_path, (80, 24)) as (app, pilot):
        seen = {}
        for key in ("tab", "3", "1", "2", "4", "5"):  # the list, then each pane focused
            await pilot.press(key)
            await settle(app, pilot)
            seen[key] = await _check_footer(app, 80)
        await pilot.resize_terminal(160, 40)
        await settle(app, pilot)
        wide = await _check_footer(app, 160)
        assert len(wide) > len(seen["5"])  # hidden keys come back when there is room
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        assert await _check_footer(app, 80) == seen["5"]


async def test_today_at_50_columns_keeps_help_and_quit_and_so_does_the_list_behind_it(tmp_path: Path) -> None:
    async with running(tmp_path, (50, 24), start="today") as (app, pilot):
        await _check_footer(app, 50)
        await pilot.press("tab")  # the list's footer, composed while Today was on top
        await settle(app, pilot)
        assert app.screen is app.main
        await _check_footer(app, 50)


async def test_the_keys_a_footer_replaces_are_freed(tmp_path: Path) -> None:
    """Each change of focus makes the footer new keys; the old ones must go. Textual's footer
    binds each key to its ``compact`` (data_bind), and Textual forgets a closed key's binding
    only when ``compact`` changes: every keystroke that moved the focus kept ~20 dead keys,
    half a megabyte, for the life of the app (textual#6666; kamtui.ui.compat.drop_closed_watchers)."""
    import gc
    import weakref

    from kamtui.ui import compat

    async with running(tmp_path, (120, 40)) as (app, pilot):
        footer = app.screen.query_one(FittingFooter)
        # Where Textual keeps the bindings (if this moves, the pruning does nothing)
        watchers = getattr(footer, compat.WATCHERS)
        assert {type(node).__name__ for node, _ in watchers["compact"]} == {"FooterKey"}
        old = [weakref.ref(k) for k in footer.children]
        assert old
        for _ in range(6):
            await pilot.press("tab")
            await settle(app, pilot)
        assert footer is app.screen.query_one(FittingFooter)
        gc.collect()
        assert [r for r in old if r() is not None] == []
        live = {id(k) for k in footer.children}
        assert all(id(node) in live for node, _ in getattr(footer, compat.WATCHERS)["compact"])


async def test_the_footer_makes_its_keys_anew_only_when_they_change(tmp_path: Path) -> None:
    """Textual's footer rebuilt its ~20 keys on every bindings signal, six times while kamtui
    started: the same keys are kept; different ones are made."""
    async with running(tmp_path, (120, 40)) as (app, pilot):
        footer = app.screen.query_one(FittingFooter)
        before = list(footer.children)
        shown = _visible_keys(app)
        app.screen.refresh_bindings()  # the signal, with nothing changed
        await settle(app, pilot)
        assert list(footer.children) == before  # the very same widgets
        assert _visible_keys(app) == shown
        await pilot.press("tab")  # the stakeholders pane: other keys
        await settle(app, pilot)
        assert not set(footer.children) & set(before)
        assert _visible_keys(app) != shown
        await pilot.press("shift+tab")  # back: the list's keys, made again
        await settle(app, pilot)
        assert _visible_keys(app) == shown


async def test_keys_of_a_group_stay_in_their_group() -> None:
    """Textual's footer puts bindings of one group in a KeyGroup; the fitting footer passes its
    keys on as they are made, so that they stay inside it."""
    from textual.app import App, ComposeResult
    from textual.binding import Binding

    move = Binding.Group("Move")

    class Grouped(App[None]):
        BINDINGS = [
            Binding("j", "noop('down')", "Down", group=move),
            Binding("k", "noop('up')", "Up", group=move),
            Binding("x", "noop('other')", "Other"),
        ]

        def compose(self) -> ComposeResult:
            yield FittingFooter()

        def action_noop(self, what: str) -> None:
            pass

    app = Grouped()
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        footer = app.query_one(FittingFooter)
        footer.bindings_changed(app.screen)
        await pilot.pause()
        await pilot.pause()
        groups = [c for c in footer.children if type(c).__name__ == "KeyGroup"]
        assert len(groups) == 1, [type(c).__name__ for c in footer.children]
        assert sorted(k.key for k in groups[0].children if hasattr(k, "key")) == ["j", "k"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("key", ["question_mark", "a", "t"])
async def test_a_footer_under_another_screen_leaves_the_app_idle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    """A footer whose screen is under another (help, a form, Today over the panes) has no keys
    laid out; it asked to be fitted again after every refresh, for as long as the other screen
    was open: the app used a core doing nothing (and every Pilot test waited out its idle
    timeout at each key: the suite ran seven times slower)."""
    calls = 0
    fit = FittingFooter._fit

    def counting(self: FittingFooter) -> None:
        nonlocal calls
        calls += 1
        fit(self)

    monkeypatch.setattr(FittingFooter, "_fit", counting)
    async with running(tmp_path, (120, 40)) as (app, pilot):
        main = app.screen
        shown = _visible_keys(app)
        await pilot.press(key)
        await settle(app, pilot)
        assert app.screen is not main
        calls = 0
        for _ in range(20):  # twenty refreshes of the screen on top
            app.screen.refresh()
            await pilot.pause()
        assert calls <= 5, f"the footer under {type(app.screen).__name__} was fitted {calls} times in 20 refreshes"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is main and _visible_keys(app) == shown  # fitted again, back on top
