"""TUI benchmark: first paint in a real terminal vs bare Textual, cursor and filter latency, peak RSS.

Run: ``python tests/benchmarks/bench_tui.py [--sizes 25,10000,50000] [--runs 5] [--moves 200]``.
Importable: :func:`run` returns one dict per portfolio size; :func:`main` prints a table.

* First paint: ``kamtui --db COPY`` starts inside a private tmux server at 120x40; the pane is
  captured every ~10 ms until the first screen shows account content: the account list's title
  ("Accounts N") with an account name from the file below it, or, in builds that open on the
  Today queue, the loaded queue ("Today · <date>" with an account name, or "Nothing needs you
  today"). The first non-blank frame is recorded too. A bare Textual app showing one word is
  the baseline; runs alternate (bare, kamtui, bare, kamtui, ...) so both see the same machine
  state. Each kamtui run opens a fresh copy of the cached portfolio. Peak RSS is the app's
  VmHWM right after first paint.
* Cursor and filter latency: measured inside the app, one size per fresh interpreter
  (:mod:`bench_inapp`).

Portfolios come from ``kamtui.sample.generate`` and are cached in ``tests/benchmarks/.data/``.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_inapp import FILTER_QUERY, FILTER_ROUNDS, MOVES, in_app
from common import (
    DATA,
    EDITS_SINCE,
    compile_app,
    keep_ahead,
    keep_queue,
    median,
    portfolio,
    work_copy,
)

SIZES = (25, 10_000, 50_000)
RUNS = 5
COLS, LINES = 120, 40
POLL_S = 0.010
PAINT_TIMEOUT_S = 180.0
BARE_WORD = "baselineword"

BARE_APP = f"""
from textual.app import App, ComposeResult
from textual.widgets import Static


class Bare(App[None]):
    def compose(self) -> ComposeResult:
        yield Static({BARE_WORD!r})


Bare().run()
"""


# ------------------------------------------------------------------------- tmux


class Tmux:
    """A private tmux server (own socket, no user config), always killed on exit."""

    def __init__(self) -> None:
        if shutil.which("tmux") is None:
            raise RuntimeError("tmux is not installed")
        self.socket = f"kamtui-bench-{os.getpid()}"
        self.pids: set[int] = set()
        self._helpers_before: dict[str, set[int]] = {}
        self.socket_path: Path | None = None
        self._alive = False

    def __call__(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args], capture_output=True, text=True, check=check
        )

    def start(self) -> None:
        # A holder session keeps the server up between runs so no run pays for server start.
        self("new-session", "-d", "-s", "hold", "-x", str(COLS), "-y", str(LINES), "sleep 86400")
        self._alive = True
        atexit.register(self.close)
        self.socket_path = Path(self("display-message", "-p", "-t", "hold", "#{socket_path}").stdout.strip())
        self("set-option", "-g", "remain-on-exit", "on")  # a crashed app leaves its traceback to capture
        self("set-option", "-g", "default-size", f"{COLS}x{LINES}")

    def launch(self, name: str, command: str) -> int:
        self._helpers_before[name] = helpers()
        self("new-session", "-d", "-s", name, "-x", str(COLS), "-y", str(LINES), "exec " + command)
        pid = int(self("display-message", "-p", "-t", name, "#{pane_pid}").stdout.strip())
        self.pids.add(pid)
        return pid

    def capture(self, name: str) -> str | None:
        r = self("capture-pane", "-p", "-t", name, check=False)
        return r.stdout if r.returncode == 0 else None

    def dead(self, name: str) -> bool:
        r = self("display-message", "-p", "-t", name, "#{pane_dead}", check=False)
        return r.returncode != 0 or r.stdout.strip() == "1"

    def stop(self, name: str, pid: int) -> None:
        """End the app, then the helpers it left computing the next days' queues of its copy
        (kamtui.store.queue_ahead: seconds of a core at 50,000 accounts, which would run under
        the next measurements; a user does not start a session a second after the last one)."""
        self("kill-session", "-t", name, check=False)  # SIGHUP to the app
        _reap(pid)
        self.pids.discard(pid)
        stop_helpers_since(self._helpers_before.pop(name, set()))

    def close(self) -> None:
        if not self._alive:
            return
        self._alive = False
        self("kill-server", check=False)
        if self.socket_path is not None and self.socket_path.name == self.socket:
            self.socket_path.unlink(missing_ok=True)
        for pid in list(self.pids):
            _reap(pid)
        self.pids.clear()


def helpers() -> set[int]:
    """The pids of kamtui's helpers computing the next days' queues (kamtui.store.queue_ahead)."""
    found: set[int] = set()
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                cmdline = Path(entry.path, "cmdline").read_bytes()
            except OSError:
                continue
            if b"kamtui.store.queue_ahead" in cmdline:
                found.add(int(entry.name))
    return found


def stop_helpers_since(before: set[int]) -> set[int]:
    """Kill the helpers (see :func:`helpers`) not among ``before``; their pids."""
    started = helpers() - before
    for helper in started:
        with contextlib.suppress(OSError):
            os.kill(helper, signal.SIGKILL)
    return started


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _reap(pid: int, grace_s: float = 3.0) -> None:
    """Wait for ``pid`` (a tmux pane's process, not our child) to exit; SIGKILL it after ``grace_s``."""
    deadline = time.monotonic() + grace_s
    while _running(pid):
        if time.monotonic() > deadline:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                return
            deadline = time.monotonic() + grace_s
        time.sleep(0.01)


def _vm_hwm_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


# ------------------------------------------------------------------ first paint


def _name_matcher(db: Path) -> tuple[dict[int, set[str]], int]:
    """Account-name prefixes (as the list shows them, truncated to 8 cells) grouped by length."""
    from kamtui.domain.text import clean

    doc = json.loads(db.read_bytes())
    accounts = doc.get("accounts", {})
    by_len: dict[int, set[str]] = {}
    for acc in accounts.values():
        name = clean(acc.get("name", ""))[:8].rstrip()
        if len(name) >= 3:
            by_len.setdefault(len(name), set()).add(name)
    return by_len, len(accounts)


def _shows_a_name(lines: list[str], by_len: dict[int, set[str]]) -> bool:
    for line in lines:
        for n, names in by_len.items():
            for i in range(len(line) - n + 1):
                if line[i : i + n] in names:
                    return True
    return False


def _paint_once(
    tmux: Tmux, name: str, command: str, ready: Any, complete: Callable[[str], bool] | None = None
) -> tuple[float, float, float | None, str, float]:
    """Seconds from launch to the first non-blank frame and until ``ready(screen_text)`` names the
    screen it recognised; the app's VmHWM (MB) once ``complete(screen_text)`` (everything loaded;
    at first paint without it); that screen's name; seconds until complete."""
    t0 = time.perf_counter()
    first = 0.0
    pid = tmux.launch(name, command)
    screen: str | None = None
    try:
        while True:
            screen = tmux.capture(name)
            if screen is not None and screen.strip():
                now = time.perf_counter() - t0
                first = first or now
                seen = ready(screen)
                if seen:
                    break
            if time.perf_counter() - t0 > PAINT_TIMEOUT_S or tmux.dead(name):
                raise RuntimeError(f"{name}: no first paint after {time.perf_counter() - t0:.1f}s:\n{screen}")
            time.sleep(POLL_S)
        done = now
        while complete is not None and not (screen is not None and complete(screen)):
            if time.perf_counter() - t0 > PAINT_TIMEOUT_S or tmux.dead(name):
                raise RuntimeError(f"{name}: never finished loading:\n{screen}")
            time.sleep(POLL_S)
            screen = tmux.capture(name)
            done = time.perf_counter() - t0
        return first, now, _vm_hwm_mb(pid), seen, done
    finally:
        tmux.stop(name, pid)


LOADING_MARKS = ("loading", "reading actions", "checking risks")


def screen_words(lang: str) -> dict[str, Any]:
    """What the first screen says in ``lang`` (from kamtui's catalog): Today's title, the empty
    queue, the account list's title and the marks of a screen still loading."""
    from kamtui import i18n
    from kamtui.i18n import _

    i18n.set_language(lang)
    try:
        return {
            "today": _("Today · {date}").split("{")[0],
            "nothing": _("Nothing needs you today.").rstrip("."),
            "accounts": _("Accounts {count}").split("{")[0],
            "loading": tuple(
                _(m).rstrip("…")
                for m in ("loading…", "reading actions and contacts…", "checking risks…", "Today · loading…")
            ),
        }
    finally:
        i18n.set_language("en")


def loaded_fully(screen: str, marks: Sequence[str] = LOADING_MARKS) -> bool:
    """No part of the first screen still says it is loading: the file is read, the queue and its
    risk alerts are built (the account list is mounted behind Today before the risk alerts)."""
    return not any(mark in screen for mark in marks)


def format_count(n: int, lang: str) -> str:
    """``n`` as the account list's title writes it in ``lang`` (10,000 / 10.000)."""
    from kamtui import i18n
    from kamtui.domain.formats import count_text

    i18n.set_language(lang)
    try:
        return count_text(n)
    finally:
        i18n.set_language("en")


def _kamtui_command(db: Path, lang: str = "en") -> str:
    script = Path(sys.executable).with_name("kamtui")
    if script.exists():
        return f"{shlex.quote(str(script))} --db {shlex.quote(str(db))} --lang {lang}"
    return f"{shlex.quote(sys.executable)} -m kamtui --db {shlex.quote(str(db))} --lang {lang}"


def first_paint(
    tmux: Tmux,
    accounts: int,
    runs: int,
    workdir: Path,
    bare_script: Path,
    others: Sequence[tuple[str, str, Callable[[str], str | None]]] = (),
    languages: Sequence[str] = ("en",),
) -> dict[str, Any]:
    """Alternating runs: bare, kamtui (in each of ``languages``), then each of ``others`` ((label,
    shell command, ready(screen)), e.g. another viewer on the same data); each one's run times go
    to ``paint_<label>_runs_ms``; kamtui's in a language other than English to
    ``paint_<lang>_runs_ms`` and ``paint_full_<lang>_runs_ms``."""
    src = portfolio(accounts)
    by_len, total = _name_matcher(src)
    words = {lang: screen_words(lang) for lang in ("en", *languages)}

    def complete_in(lang: str) -> Callable[[str], bool]:
        marks = words[lang]["loading"]
        return lambda screen: loaded_fully(screen, marks)

    def ready_in(lang: str) -> Callable[[str], str | None]:
        w = words[lang]
        title = f"{w['accounts']}{format_count(total, lang)} "

        def kamtui_ready(screen: str) -> str | None:
            """The account list with its title and a row, or the Today queue, loaded."""
            lines = screen.splitlines()
            for i, line in enumerate(lines):
                rest = lines[i + 1 :]
                if title in line and _shows_a_name(rest, by_len):
                    return "list"
                today_loaded = line.strip().startswith(w["today"]) and not any(m in line for m in w["loading"])
                if today_loaded and (any(w["nothing"] in r for r in rest) or _shows_a_name(rest, by_len)):
                    return "today"
            return None

        return kamtui_ready

    def bare_ready(screen: str) -> str | None:
        return "bare" if BARE_WORD in screen else None

    bare_cmd = f"{shlex.quote(sys.executable)} {shlex.quote(str(bare_script))}"
    bare_s: list[float] = []
    kam_s: list[float] = []
    kam_first: list[float] = []
    kam_rss: list[float] = []
    bare_rss: list[float] = []
    screens: set[str] = set()
    other_s: dict[str, list[float]] = {label: [] for label, _, _ in others}
    kam_full: list[float] = []
    kept_s: list[float] = []
    kept_full: list[float] = []
    kept_rss: list[float] = []
    ahead_s: list[float] = []
    ahead_full: list[float] = []
    by_lang: dict[str, tuple[list[float], list[float]]] = {lang: ([], []) for lang in languages if lang != "en"}
    for i in range(runs):
        _, s, rss, _, _ = _paint_once(tmux, f"bare{i}", bare_cmd, bare_ready)
        bare_s.append(s)
        if rss:
            bare_rss.append(rss)
        db = work_copy(src, workdir)  # fresh copy per run, made before the clock starts
        first, s, rss, seen, full = _paint_once(tmux, f"kam{i}", _kamtui_command(db), ready_in("en"), complete_in("en"))
        kam_first.append(first)
        kam_s.append(s)
        kam_full.append(full)
        screens.add(seen)
        if rss:
            kam_rss.append(rss)
        db = work_copy(src, workdir)
        if keep_queue(db):  # opened before today: the queue kept beside the file (queue_cache)
            _, s, rss, _, full = _paint_once(
                tmux, f"kamkept{i}", _kamtui_command(db), ready_in("en"), complete_in("en")
            )
            kept_s.append(s)
            kept_full.append(full)
            if rss:
                kept_rss.append(rss)
        db = work_copy(src, workdir)
        if keep_ahead(db, EDITS_SINCE):  # opened yesterday: today's queue computed ahead (queue_ahead)
            _, s, _, _, full = _paint_once(tmux, f"kamahead{i}", _kamtui_command(db), ready_in("en"), complete_in("en"))
            ahead_s.append(s)
            ahead_full.append(full)
        for lang, (paints, fulls) in by_lang.items():
            db = work_copy(src, workdir)
            _, s, _, _, full = _paint_once(
                tmux, f"kam{lang}{i}", _kamtui_command(db, lang), ready_in(lang), complete_in(lang)
            )
            paints.append(s)
            fulls.append(full)
        for label, command, ready in others:
            _, s, _, _, _ = _paint_once(tmux, f"{label}{i}", command, ready)
            other_s[label].append(s)
    return {
        "paint_bare_ms": round(median(bare_s) * 1000),
        "paint_ms": round(median(kam_s) * 1000),
        "paint_min_ms": round(min(kam_s) * 1000),
        "paint_max_ms": round(max(kam_s) * 1000),
        "paint_ratio": round(median(kam_s) / median(bare_s), 2),
        "paint_first_frame_ms": round(median(kam_first) * 1000),
        "paint_screen": "+".join(sorted(screens)),
        "paint_runs_ms": [round(s * 1000) for s in kam_s],
        "paint_bare_runs_ms": [round(s * 1000) for s in bare_s],
        "paint_first_frame_runs_ms": [round(s * 1000) for s in kam_first],
        "paint_full_runs_ms": [round(s * 1000) for s in kam_full],
        "rss_runs_mb": [round(r) for r in kam_rss],
        "paint_kept_runs_ms": [round(s * 1000) for s in kept_s],
        "paint_full_kept_runs_ms": [round(s * 1000) for s in kept_full],
        "rss_kept_runs_mb": [round(r) for r in kept_rss],
        "paint_ahead_runs_ms": [round(s * 1000) for s in ahead_s],
        "paint_full_ahead_runs_ms": [round(s * 1000) for s in ahead_full],
        **{f"paint_{label}_runs_ms": [round(s * 1000) for s in v] for label, v in other_s.items()},
        **{f"paint_{lang}_runs_ms": [round(s * 1000) for s in v[0]] for lang, v in by_lang.items()},
        **{f"paint_full_{lang}_runs_ms": [round(s * 1000) for s in v[1]] for lang, v in by_lang.items()},
        "rss_mb": round(max(kam_rss)) if kam_rss else None,
        "rss_bare_mb": round(max(bare_rss)) if bare_rss else None,
    }


# ------------------------------------------------------------------------ run


def run(sizes: tuple[int, ...] = SIZES, runs: int = RUNS, moves: int = MOVES) -> list[dict[str, Any]]:
    compile_app()
    for n in sizes:  # generate missing portfolios before any clock starts
        portfolio(n)
    tmux = Tmux()
    rows = []
    with tempfile.TemporaryDirectory(prefix="tui-", dir=DATA) as tmp:
        workdir = Path(tmp)
        bare_script = workdir / "bare_app.py"
        bare_script.write_text(BARE_APP)
        try:
            tmux.start()
            first_paint(tmux, min(sizes), 1, workdir, bare_script)  # warm-up: bytecode, page cache
            for n in sizes:
                row: dict[str, Any] = {"accounts": n}
                row |= first_paint(tmux, n, runs, workdir, bare_script)
                row |= in_app(n, moves)
                rows.append(row)
        finally:
            tmux.close()
    return rows


COLUMNS = (
    ("accounts", "accounts"),
    ("paint_bare_ms", "bare ms"),
    ("paint_ms", "paint ms"),
    ("paint_spread", "paint min-max"),
    ("paint_ratio", "x bare"),
    ("cursor_ms", "cursor med"),
    ("cursor_p99_ms", "cursor p99"),
    ("cursor_key_ms", "key->paint med"),
    ("filter_ms", "filter med"),
    ("filter_max_ms", "filter max"),
    ("rss_mb", "RSS MB"),
)
DETAIL = (
    ("accounts", "accounts"),
    ("paint_screen", "1st screen"),
    ("paint_first_frame_ms", "1st frame ms"),
    ("store_open_s", "Store open s"),
    ("app_init_s", "KamApp() s"),
    ("cursor_action_ms", "cursor action"),
    ("cursor_show_ms", "show_account"),
    ("cursor_refresh_ms", "screen refresh"),
    ("cursor_frames", "frames/move"),
    ("cursor_first_ms", "1st frame"),
    ("cursor_key_p99_ms", "key->paint p99"),
    ("filter_handler_ms", "filter handler"),
    ("filter_refresh_ms", "filter refresh"),
    ("filter_frames", "frames/key"),
    ("filter_first_ms", "filter 1st frame"),
    ("rss_bare_mb", "bare RSS MB"),
    ("inapp_rss_mb", "in-app RSS MB"),
    ("gc2_during_moves", "full GCs"),
    ("gc2_max_ms", "full GC max ms"),
    ("missed", "missed"),
)


def _table(rows: list[dict[str, Any]], columns: tuple[tuple[str, str], ...]) -> str:
    def cell(r: dict[str, Any], k: str) -> str:
        if k == "paint_spread":
            return f"{r['paint_min_ms']}-{r['paint_max_ms']}"
        v = r.get(k)
        return "-" if v is None else f"{v:,}" if k == "accounts" else str(v)

    cells = [[h for _, h in columns]] + [[cell(r, k) for k, _ in columns] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def format_table(rows: list[dict[str, Any]]) -> str:
    return _table(rows, COLUMNS)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated account counts")
    ap.add_argument("--runs", type=int, default=RUNS, help="first-paint runs per size (each: bare + kamtui)")
    ap.add_argument("--moves", type=int, default=MOVES, help="cursor moves timed per size")
    ap.add_argument("--json", action="store_true", help="print JSON instead of tables")
    args = ap.parse_args(argv)

    def on_term(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # run()'s finally kills the tmux server

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    rows = run(tuple(int(x) for x in args.sizes.split(",")), args.runs, args.moves)
    if args.json:
        print(json.dumps(rows, indent=1))
        return 0
    print(format_table(rows))
    print(
        f"\nfirst paint: median of {args.runs} runs in tmux at {COLS}x{LINES}, alternating with a bare Textual app"
        f" (x bare = ratio of medians); RSS = max VmHWM after first paint.\ncursor: {args.moves} 'j' moves, action ->"
        " screen refreshed with all panes updated (ms); filter: each key of"
        f" {FILTER_QUERY!r} x{FILTER_ROUNDS}, Input.Changed -> list re-rendered (ms).\n"
    )
    print(_table(rows, DETAIL))
    print("\n(breakdown medians in ms: action = cursor watcher + scroll; show_account = all panes; screen refresh =")
    print(" layout + render_line + compositor for that update; filter handler = rows.apply + refresh_rows)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
