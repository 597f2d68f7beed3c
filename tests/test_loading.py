"""A big file is read after the first frame: Today says it is loading, then shows the reviews due
from a quick read of the accounts alone, then everything. Keys that need the data wait for it."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from unittest.mock import patch

import pytest

import kamtui.cli
import kamtui.cli.tui
import kamtui.store.today
import kamtui.ui.app
import kamtui.ui.loading
import kamtui.ui.today
from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem
from kamtui.report.preview import STAGES, Stage, compute
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.store.portfolio import LenientPortfolio
from kamtui.store.today import Seed, today_queue
from kamtui.ui.account_list import AccountList
from kamtui.ui.app import KamApp, Loader
from kamtui.ui.messages import PreviewStage
from kamtui.ui.today import TodayScreen
from tests.test_daily import due_reviews
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # no config: the defaults


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return materialize_demo(tmp_path / "demo.json", TODAY)


async def wait_for(pilot: object, condition: object, tries: int = 250) -> None:
    for _ in range(tries):
        if condition():  # type: ignore[operator]
            return
        await pilot.pause(0.02)  # type: ignore[attr-defined]
    raise AssertionError("condition never became true")


def gated_read(path: Path) -> tuple[Callable[[], Store], threading.Event]:
    """The app's whole read of ``path``, held until the event is set."""
    gate = threading.Event()

    def full() -> Store:
        gate.wait(10)
        return Store(path, user="tester")

    return full, gate


class GatedPreview:
    """Stands in for the helper process: each stage is released by the test."""

    def __init__(self, path: Path) -> None:
        self.gates = {stage: threading.Event() for stage in STAGES}
        self.stages = {stage.name: stage for stage in compute(path, TODAY)}
        self.stopped = threading.Event()

    def shown(self, name: str) -> list[QueueItem]:
        """A stage's items as Today shows them (the whole queue ranked)."""
        st = self.stages[name]
        if st.stakes is None:
            return st.items
        return Seed.of(st.state, TODAY, DEFAULT_THRESHOLDS, st.items, st.stakes).queue()

    def __iter__(self) -> Iterator[Stage]:
        for stage in STAGES:
            while not self.gates[stage].wait(0.05):
                if self.stopped.is_set():
                    return
            yield self.stages[stage]

    def stop(self) -> None:
        self.stopped.set()


async def test_big_file_paints_loading_then_the_preview_then_its_own_queue(demo: Path) -> None:
    preview = GatedPreview(demo)
    full, full_gate = gated_read(demo)

    app = KamApp(loader=Loader(demo, full, preview), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert f"Today · loading {demo}…" in screen_text(app)
        assert not app.loaded

        preview.gates["reviews"].set()
        await wait_for(pilot, lambda: "reading actions and contacts…" in screen_text(app))
        text = screen_text(app)
        assert "Today · Mon 23 Nov 2026" in text
        assert "Reviews due (" in text and "Plan actions due" not in text
        # The reviews due, read from the accounts alone: most late first (ranking by what is at
        # stake needs the pipeline and the map, read with the rest of the queue).
        assert sorted(it.account_id for it in app.screen.items) == sorted(due_reviews(demo))
        lateness = [it.days_late for it in app.screen.items]
        assert len(lateness) >= 3 and lateness == sorted(lateness, reverse=True)

        preview.gates["queue"].set()
        await wait_for(pilot, lambda: "loading the account list…" in screen_text(app))
        assert app.screen.items == preview.shown("queue")
        assert "Plan actions due (" in screen_text(app)
        footer = screen_text(app).splitlines()[-1]
        assert "Quit" in footer and "Open" not in footer and "Accounts" not in footer
        # nothing that needs the whole file works yet, and nothing breaks
        for key in ("tab", "enter", "p", "R", "m"):
            await pilot.press(key)
            assert isinstance(app.screen, TodayScreen), key
        assert not app.loaded and not app.main.query(AccountList)

        full_gate.set()
        await wait_for(pilot, lambda: app.main.ready)
        await settle(app, pilot)
        assert preview.stopped.is_set()
        text = screen_text(app)
        assert "loading" not in text and "reading actions" not in text
        assert app.screen.items == preview.shown("queue")  # its own computation agrees
        footer = screen_text(app).splitlines()[-1]
        assert "Open" in footer and "Accounts" in footer
        await pilot.press("tab")
        await settle(app, pilot)
        assert app.screen is app.main
        assert len(app.main.account_list.data.visible) == len(list(app.store.all("accounts")))
    app.store.close(compact=False)


async def test_a_late_preview_never_replaces_the_apps_own_queue(demo: Path) -> None:
    preview = GatedPreview(demo)
    # would say "nothing due" if it were shown, and be kept if it were adopted
    preview.stages["queue"] = preview.stages["queue"]._replace(items=[], stakes={})
    app = KamApp(loader=Loader(demo, lambda: Store(demo, user="tester"), preview), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main.ready)
        await settle(app, pilot)
        own = list(app.screen.items)
        for gate in preview.gates.values():
            gate.set()
        await settle(app, pilot)
        assert own and app.screen.items == own
    app.store.close(compact=False)


async def test_big_file_opening_on_the_account_list(demo: Path) -> None:
    app = KamApp(loader=Loader(demo, lambda: Store(demo, user="tester")), today=TODAY, start="accounts")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main.ready)
        await settle(app, pilot)
        assert not app.main.query("#loading")
        assert "Accounts " in screen_text(app)
    app.store.close(compact=False)


async def test_a_big_file_that_cannot_be_read_exits_with_the_reason(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"accounts": {"1": {"name": ')
    app = KamApp(loader=Loader(bad, lambda: Store(bad)), today=TODAY)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: bool(app.load_error))
    assert app.return_code == 2
    assert str(bad) in app.load_error
    assert not app.loaded


def test_cli_reads_a_big_file_after_the_first_frame_and_reports_its_error(
    tmp_path: Path, demo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    given: list[tuple[object, object]] = []

    def fake_run_app(store: Store | None, *, loader: Loader | None = None, **_: object) -> SimpleNamespace:
        given.append((store, loader))
        return SimpleNamespace(
            store=None, loaded=False, stopped_by=None, load_error=f"{demo}: the reason, in one line", unsaved=[]
        )

    monkeypatch.setattr(kamtui.ui.app, "run_app", fake_run_app)
    monkeypatch.setattr(kamtui.cli.tui, "EAGER_BYTES", 0)
    assert kamtui.cli.main(["--db", str(demo)]) == kamtui.cli.EXIT_DATA
    store, loader = given[0]
    assert store is None and isinstance(loader, Loader) and loader.path == demo
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "the reason, in one line" in err and "Traceback" not in err

    monkeypatch.setattr(kamtui.cli.tui, "EAGER_BYTES", 10_000_000)  # small: read before the app starts
    given.clear()
    monkeypatch.setattr(
        kamtui.ui.app,
        "run_app",
        lambda store, **kw: (
            given.append((store, kw["loader"])) or SimpleNamespace(load_error="", unsaved=[], stopped_by=None)
        ),
    )
    assert kamtui.cli.main(["--db", str(demo)]) == kamtui.cli.EXIT_OK
    store, loader = given[0]
    assert isinstance(store, Store) and loader is None


async def test_after_a_big_load_full_collections_are_rarer_and_restored_on_exit(demo: Path) -> None:
    """Once a big file is loaded and frozen, a full collection (which paused cursor moves ~20 ms
    at 1,000 accounts) comes ten times rarer; the process gets its own setting back at exit."""
    import gc

    from kamtui.ui.app import FULL_GC_EVERY

    before = gc.get_threshold()
    app = KamApp(loader=Loader(demo, lambda: Store(demo, user="tester")), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.session.loaded and app.main.ready)
        await settle(app, pilot)
        assert gc.get_threshold() == (before[0], before[1], FULL_GC_EVERY)
    assert gc.get_threshold() == before
    app.store.close(compact=False)


def test_the_command_line_pauses_the_collector_for_start_up_and_the_app_resumes_it(
    tmp_path: Path, demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Start-up allocates ~a million objects and no garbage: the collector is off from the command
    line until the app's first frame (run_app asks the app to resume it), and on whatever way out."""
    import gc

    seen: list[bool] = []

    def fake_run_app(store: Store | None, **_: object) -> SimpleNamespace:
        seen.append(gc.isenabled())
        return SimpleNamespace(load_error="", unsaved=[], stopped_by=None)

    monkeypatch.setattr(kamtui.ui.app, "run_app", fake_run_app)
    assert gc.isenabled()
    assert kamtui.cli.main(["--db", str(demo)]) == kamtui.cli.EXIT_OK
    assert seen == [False] and gc.isenabled()
    # Refused before the app starts (a --db whose folder does not exist): back on as well.
    assert kamtui.cli.main(["--db", str(tmp_path / "no" / "such.json")]) == kamtui.cli.EXIT_DATA
    assert gc.isenabled()


async def test_the_app_resumes_a_paused_collector_after_its_first_frame(demo: Path) -> None:
    import gc

    store = Store(demo, user="tester")
    app = KamApp(store, today=TODAY)
    app.resume_collector = True  # as run_app sets it when the command line paused the collector
    gc.disable()
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(pilot, gc.isenabled)
            assert isinstance(app.screen, TodayScreen)
    finally:
        gc.enable()
        store.close(compact=False)
    # Only when asked: a test's app (or any embedding) leaves the collector as it found it.
    gc.disable()
    try:
        app = KamApp(Store(demo, user="tester"), today=TODAY)
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert not gc.isenabled()
    finally:
        gc.enable()
        app.store.close(compact=False)


def _call_back(store: Store, account_id: int) -> None:
    """A late action added to the account's first objective."""
    objective = next(oid for oid, _ in store.children("objectives", account_id))
    doc = {"account_id": account_id, "objective_id": objective, "text": "Call back", "due": "2026-11-20"}
    store.insert("actions", doc)


def _count_whole_computations(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Which accounts each computation of queue items here was for (None: all of them)."""
    calls: list[object] = []
    real = kamtui.store.today.queue_items

    def counting(*args: object, **kwargs: object) -> list[QueueItem]:
        calls.append(kwargs.get("accounts"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(kamtui.store.today, "queue_items", counting)
    return calls


async def test_the_previews_queue_of_the_state_read_is_kept_not_computed_again(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The preview computed the whole queue from the state the app then reads: the app keeps it
    (no quick pass, no whole computation here), stops the preview, and recomputes only what a
    change names, giving what a whole computation gives."""
    preview = GatedPreview(demo)
    full, full_gate = gated_read(demo)

    calls = _count_whole_computations(monkeypatch)
    app = KamApp(loader=Loader(demo, full, preview), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        for gate in preview.gates.values():
            gate.set()
        await wait_for(pilot, lambda: "loading the account list…" in screen_text(app))
        full_gate.set()
        await wait_for(pilot, lambda: app.main.ready)
        await settle(app, pilot)
        assert "loading" not in screen_text(app) and "checking risks" not in screen_text(app)
        assert app.screen.items == preview.shown("queue")
        assert calls == []  # neither the quick pass nor the whole queue was computed here
        assert preview.stopped.is_set()

        aid = next(it.account_id for it in app.screen.items if it.kind == "action")
        with Store(demo, user="someone-else") as other:  # another session's edit
            _call_back(other, aid)
        app.poll()
        await wait_for(pilot, lambda: any("Call back" in it.title for it in app.screen.items))
        await settle(app, pilot)
        assert calls and None not in calls  # only the accounts the change named
        assert app.screen.items == today_queue(LenientPortfolio(app.store, lambda: TODAY), TODAY)
    app.store.close(compact=False)


async def test_a_preview_of_an_older_state_is_shown_but_not_kept(demo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Another session edited the file between the preview's read and the app's: the preview's
    queue is only provisional, and the app computes its own from what it read."""
    preview = GatedPreview(demo)
    for gate in preview.gates.values():
        gate.set()
    aid = next(it.account_id for it in preview.stages["queue"].items if it.kind == "action")
    with Store(demo, user="someone-else") as other:
        _call_back(other, aid)
    calls = _count_whole_computations(monkeypatch)
    app = KamApp(loader=Loader(demo, lambda: Store(demo, user="tester"), preview), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main.ready)
        await wait_for(pilot, lambda: any("Call back" in it.title for it in app.screen.items))
        await settle(app, pilot)
        assert None in calls  # computed here, whole
        assert app.screen.items == today_queue(LenientPortfolio(app.store, lambda: TODAY), TODAY)
    app.store.close(compact=False)


def _read_before_the_previews_queue(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> tuple[GatedPreview, threading.Event, KamApp, list[object]]:
    """An app over ``demo`` whose preview stages and whole read are held until released, and
    whose queue is computed in a worker, as for a big file; with the computations of its queue."""
    preview = GatedPreview(demo)
    full, full_gate = gated_read(demo)
    monkeypatch.setattr(kamtui.ui.today, "SMALL", 0)
    calls = _count_whole_computations(monkeypatch)
    return preview, full_gate, KamApp(loader=Loader(demo, full, preview), today=TODAY), calls


async def _reviews_shown_then_file_read(
    app: KamApp, pilot: object, preview: GatedPreview, full_gate: threading.Event
) -> None:
    """The preview's reviews shown, then the whole file read (the preview's queue still held)."""
    preview.gates["reviews"].set()
    await wait_for(pilot, lambda: "reading actions and contacts…" in screen_text(app))
    full_gate.set()
    await wait_for(pilot, lambda: app.loaded)


async def test_the_app_waits_for_the_previews_queue_rather_than_compute_it_too(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file is read before the preview is done: the app waits for the preview's queue (it
    computes the same on another core, started earlier) and keeps it, computing nothing itself."""
    preview, full_gate, app, calls = _read_before_the_previews_queue(demo, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await _reviews_shown_then_file_read(app, pilot, preview, full_gate)
        for _ in range(10):
            await pilot.pause(0.02)
        assert calls == [] and "reading actions and contacts…" in screen_text(app)  # waiting
        preview.gates["queue"].set()
        await wait_for(pilot, lambda: "reading actions" not in screen_text(app) and "loading" not in screen_text(app))
        await settle(app, pilot)
        assert app.screen.items == preview.shown("queue")
        assert calls == []  # kept, not computed
    app.store.close(compact=False)


async def test_a_preview_that_ends_without_its_queue_is_not_waited_for(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preview, full_gate, app, calls = _read_before_the_previews_queue(demo, monkeypatch)
    async with app.run_test(size=(120, 40)) as pilot:
        await _reviews_shown_then_file_read(app, pilot, preview, full_gate)
        for _ in range(5):
            await pilot.pause(0.02)
        assert calls == []  # waiting for the preview
        preview.stop()  # as if the process died before its queue
        await wait_for(pilot, lambda: None in calls)
        await wait_for(pilot, lambda: "reading actions" not in screen_text(app))
        await settle(app, pilot)
        assert app.screen.items == today_queue(LenientPortfolio(app.store, lambda: TODAY), TODAY)
    app.store.close(compact=False)


def _recorded_read(path: Path) -> tuple[Callable[[], Store], threading.Event]:
    """The app's whole read of ``path``; the event is set once it has begun."""
    begun = threading.Event()

    def full() -> Store:
        begun.set()
        return Store(path, user="tester")

    return full, begun


async def test_the_file_is_read_once_the_previews_first_stage_is_on_screen(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big file's tables are parsed in calls that hold the interpreter lock ~0.1 s each: the
    read waits for the first screen (the preview's reviews due) to be drawn."""
    monkeypatch.setattr(kamtui.ui.loading, "FIRST_SCREEN_WAIT", 60.0)
    preview = GatedPreview(demo)
    full, begun = _recorded_read(demo)
    app = KamApp(loader=Loader(demo, full, preview), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(10):
            await pilot.pause(0.02)
        assert "loading" in screen_text(app) and not begun.is_set()
        preview.gates["reviews"].set()
        await wait_for(pilot, begun.is_set)
        assert "Reviews due (" in screen_text(app)
        preview.gates["queue"].set()
        await wait_for(pilot, lambda: app.main.ready)
    app.store.close(compact=False)


async def test_a_preview_that_ends_without_a_stage_does_not_hold_the_read_back(
    demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kamtui.ui.loading, "FIRST_SCREEN_WAIT", 60.0)
    preview = GatedPreview(demo)
    full, begun = _recorded_read(demo)
    app = KamApp(loader=Loader(demo, full, preview), today=TODAY)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert not begun.is_set()
        preview.stop()  # as if the process died at once
        await wait_for(pilot, lambda: app.main.ready)
        await settle(app, pilot)
        assert "loading" not in screen_text(app)
    app.store.close(compact=False)


async def test_a_queue_right_behind_the_reviews_waits_for_their_frame(demo: Path) -> None:
    """A queue kept from earlier today comes right behind the reviews due: the frame with the
    reviews is drawn before the whole queue's hundreds of lines are made."""
    preview = GatedPreview(demo)
    for gate in preview.gates.values():
        gate.set()  # both stages at once, as the helper gives a kept queue
    full, full_gate = gated_read(demo)
    app = KamApp(loader=Loader(demo, full, preview), today=TODAY)
    drawn_before: list[tuple[str, bool]] = []
    shown = TodayScreen.on_preview_stage

    def recording(screen: TodayScreen, message: PreviewStage) -> None:
        drawn_before.append((message.stage, app.session.first_screen.is_set()))
        shown(screen, message)

    with patch.object(TodayScreen, "on_preview_stage", recording):
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: len(drawn_before) == 2)
            assert drawn_before == [("reviews", False), ("queue", True)]
            full_gate.set()
            await wait_for(pilot, lambda: app.main.ready)
    app.store.close(compact=False)
