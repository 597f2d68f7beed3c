"""In-app latency: cursor moves and filter keystrokes on the account list, timed inside the app.

Run by :mod:`bench_tui` (and ``run.py``), one size per fresh interpreter: :func:`in_app` starts
``python bench_inapp.py N [--moves M] [--rounds R]``, which prints one JSON line.

``KamApp`` runs under ``run_test`` at 120x40, on the account list, because Pilot's ``press``
itself waits 60-85 ms: cursor = from ``AccountList.action_cursor_down`` (and, second figure, from
the key event reaching the app) until the screen has settled after the panes were updated from
the Highlighted message (see :class:`Probe`); filter = from the filter ``Input.Changed`` handler
until the re-rendered list (and panes, if the highlighted account changed) settled. The headless
driver skips the terminal write, so these figures cover handlers, layout and line rendering, not
the terminal's own work. Full (gen 2) GC pauses are counted alongside.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, ROOT, median, percentile, portfolio, work_copy

MOVES = 200
FILTER_QUERY = "aur"  # typed one key at a time; "Aurora ..." is one of the generator's name stems
FILTER_ROUNDS = 3
COLS, LINES = 120, 40


class Probe:
    """Timestamps a user action and the screen refresh after which everything it triggered is on screen.

    Done = an ``after_refresh`` callback finds the screen settled: no dirty widget, no pending
    layout or scroll, no message queued on the app or any widget of the screen (the panes post
    follow-up messages, e.g. DataTable/OptionList highlights). At most 8 extra refreshes are awaited.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.t0 = 0.0
        self.t_key = 0.0
        self.kind = ""
        self.active = False
        self.await_show = False
        self.tries = 0
        self.frames = 0
        self.samples: dict[str, list[float]] = {}
        self.done: Any = None  # asyncio.Event, made inside the running loop

    def add(self, key: str, seconds: float) -> None:
        self.samples.setdefault(key, []).append(seconds)

    def begin(self, kind: str) -> None:
        self.kind, self.t0, self.tries, self.active = kind, time.perf_counter(), 0, True
        self.frames = 0

    def arm(self) -> None:
        self.app.call_after_refresh(self._finish)

    def _settled(self) -> bool:
        screen = self.app.screen
        if screen._dirty_widgets or screen._layout_required or screen._repaint_required or screen._scroll_required:
            return False
        return all(node._message_queue.empty() for node in (self.app, *screen.walk_children(with_self=True)))

    def _finish(self) -> None:
        if not self.active:
            return
        if not self._settled() and self.tries < 8:
            self.tries += 1
            self.arm()
            return
        t1 = time.perf_counter()
        self.active = False
        self.add(self.kind, t1 - self.t0)
        self.add("frames_" + self.kind, self.frames)
        if self.kind == "cursor" and self.t_key:
            self.add("cursor_key", t1 - self.t_key)
        self.done.set()


async def _inapp(accounts: int, moves: int, rounds: int) -> dict[str, Any]:
    import asyncio
    import gc
    import inspect
    import resource

    from textual import events
    from textual.screen import Screen

    from kamtui.store import Store
    from kamtui.ui.account_list import AccountList
    from kamtui.ui.accounts_pane import AccountsPane
    from kamtui.ui.app import KamApp

    src = portfolio(accounts)
    with tempfile.TemporaryDirectory(prefix="tui-", dir=DATA) as tmp:
        db = work_copy(src, Path(tmp))
        t = time.perf_counter()
        store = Store(db, user="bench")
        open_s = time.perf_counter() - t
        t = time.perf_counter()
        kwargs: dict[str, Any] = {"today": dt.date.today()}
        if "start" in inspect.signature(KamApp.__init__).parameters:
            kwargs["start"] = "accounts"  # newer builds open on the Today queue; measure the list
        if "loader" in inspect.signature(KamApp.__init__).parameters:
            # The way the app opens a file this big: through its loader (rows built off the UI
            # thread, then the collector frozen), here over the store opened above.
            from kamtui.ui.app import Loader

            kwargs["loader"] = Loader(db, lambda: store)
            app = KamApp(**kwargs)
        else:
            app = KamApp(store, **kwargs)
        init_s = time.perf_counter() - t
        probe = Probe(app)

        # Breakdown: compositor refresh (layout + render_line + diff) while a measurement is open.
        orig_timer_update = Screen._on_timer_update

        def timed_timer_update(self: Screen) -> None:
            t = time.perf_counter()
            orig_timer_update(self)
            if probe.active:
                t1 = time.perf_counter()
                probe.add("refresh_" + probe.kind, t1 - t)
                if not probe.frames:
                    probe.add("first_" + probe.kind, t1 - probe.t0)
                probe.frames += 1

        orig_changed = AccountsPane.on_input_changed
        recording = {"filter": False, "moves": False}

        def timed_changed(self: AccountsPane, event: Any) -> None:
            if not (recording["filter"] and event.input.id == "filter"):
                orig_changed(self, event)
                return
            probe.begin("filter")
            before = self.list._last_id
            probe.await_show = True  # before the handler: the list may call show_account synchronously
            orig_changed(self, event)
            probe.add("filter_handler", time.perf_counter() - probe.t0)
            if self.list._last_id == before and probe.await_show:
                probe.await_show = False
                probe.arm()

        gc_started = [0.0]

        def on_gc(phase: str, info: dict[str, int]) -> None:
            if phase == "start":
                gc_started[0] = time.perf_counter()
            elif probe.active or recording["moves"]:
                probe.add(f"gc{info['generation']}", time.perf_counter() - gc_started[0])

        gc.callbacks.append(on_gc)
        Screen._on_timer_update = timed_timer_update  # type: ignore[method-assign]
        AccountsPane.on_input_changed = timed_changed  # type: ignore[method-assign]
        try:
            async with app.run_test(size=(COLS, LINES)) as pilot:
                probe.done = asyncio.Event()
                t = time.perf_counter()
                await pilot.pause()

                def panes_ready() -> bool:
                    main = getattr(app, "_main", None)  # newer builds: the main screen says
                    return bool(main.ready) if main is not None else getattr(app, "_panes_ready", True)

                while not panes_ready() and time.perf_counter() - t < 120:
                    await pilot.pause(0.05)  # the loader is still reading
                for _ in range(3):  # whatever screen was pushed over the main one
                    if app.screen.query(AccountList):
                        break
                    app.pop_screen()
                    await pilot.pause()
                lst = app.query_one(AccountList)
                lst.focus()
                await pilot.pause()
                while not lst.data.visible and accounts and time.perf_counter() - t < 30:
                    await pilot.pause(0.01)

                driver = app._driver
                orig_send = driver.send_message

                def send(message: Any) -> None:
                    if isinstance(message, events.Key):
                        probe.t_key = time.perf_counter()
                    orig_send(message)

                driver.send_message = send

                orig_down = lst.action_cursor_down

                def down() -> None:
                    probe.begin("cursor")
                    before = lst._last_id
                    probe.await_show = True  # before the action: the list may call show_account synchronously
                    orig_down()
                    probe.add("cursor_action", time.perf_counter() - probe.t0)
                    if lst._last_id == before and probe.await_show:
                        probe.await_show = False
                        probe.arm()

                host = app if hasattr(app, "show_account") else app.main  # newer builds: the main screen shows
                orig_show = host.show_account

                def show(account_id: int | None) -> None:
                    t = time.perf_counter()
                    orig_show(account_id)
                    if probe.active:
                        probe.add("show_" + probe.kind, time.perf_counter() - t)
                    if probe.await_show:
                        probe.await_show = False
                        probe.arm()

                lst.action_cursor_down = down  # type: ignore[method-assign]
                host.show_account = show
                if getattr(lst, "on_highlight", None) is not None:
                    lst.on_highlight = show  # the list calls the app synchronously, not via a message

                async def press(key: str) -> bool:
                    probe.done.clear()
                    await pilot.press(key)
                    try:
                        await asyncio.wait_for(probe.done.wait(), 5)
                    except TimeoutError:
                        probe.active = False
                        return False
                    return True

                gc.collect()
                missed = 0
                recording["moves"] = True
                for _ in range(min(moves, max(0, len(lst.data.visible) - 1))):
                    missed += not await press("j")
                recording["moves"] = False
                for _ in range(rounds):
                    await pilot.press("slash")
                    recording["filter"] = True
                    for ch in FILTER_QUERY:
                        missed += not await press(ch)
                    recording["filter"] = False
                    await pilot.press("escape")
                    await pilot.pause()
                await app.action_quit()
        finally:
            gc.callbacks.remove(on_gc)
            Screen._on_timer_update = orig_timer_update  # type: ignore[method-assign]
            AccountsPane.on_input_changed = orig_changed  # type: ignore[method-assign]
            store.close(compact=False)

    s = probe.samples

    def ms(key: str, fn: Any = median) -> float | None:
        return round(fn(s[key]) * 1000, 2) if s.get(key) else None

    def p99(values: list[float]) -> float:
        return percentile(values, 99)

    return {
        "store_open_s": round(open_s, 3),
        "app_init_s": round(init_s, 3),
        "cursor_n": len(s.get("cursor", [])),
        "cursor_ms": ms("cursor"),
        "cursor_p99_ms": ms("cursor", p99),
        "cursor_key_ms": ms("cursor_key"),
        "cursor_key_p99_ms": ms("cursor_key", p99),
        "cursor_action_ms": ms("cursor_action"),
        "cursor_show_ms": ms("show_cursor"),
        "cursor_refresh_ms": ms("refresh_cursor"),
        "cursor_first_ms": ms("first_cursor"),
        "cursor_frames": round(median(s["frames_cursor"]), 1) if s.get("frames_cursor") else None,
        "filter_n": len(s.get("filter", [])),
        "filter_ms": ms("filter"),
        "filter_max_ms": ms("filter", max),
        "filter_handler_ms": ms("filter_handler"),
        "filter_refresh_ms": ms("refresh_filter"),
        "filter_first_ms": ms("first_filter"),
        "filter_frames": round(median(s["frames_filter"]), 1) if s.get("frames_filter") else None,
        "missed": missed,
        "gc2_during_moves": len(s.get("gc2", [])),
        "gc2_max_ms": ms("gc2", max),
        "inapp_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def in_app(accounts: int, moves: int = MOVES, rounds: int = FILTER_ROUNDS) -> dict[str, Any]:
    """The in-app measurements for one size, in a fresh interpreter (no state from other sizes)."""
    cmd = [sys.executable, __file__, str(accounts), "--moves", str(moves), "--rounds", str(rounds)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=600, cwd=ROOT)
    if proc.returncode != 0:
        raise RuntimeError(f"in-app run for {accounts} failed:\n{proc.stderr[-4000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("accounts", type=int, help="portfolio size")
    ap.add_argument("--moves", type=int, default=MOVES, help="cursor moves timed")
    ap.add_argument("--rounds", type=int, default=FILTER_ROUNDS, help="times the filter query is typed")
    args = ap.parse_args(argv)
    print(json.dumps(asyncio.run(_inapp(args.accounts, args.moves, args.rounds))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
