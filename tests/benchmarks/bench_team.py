"""A team on one server: N idle TUI sessions over one file while E editors change it.

Run: ``python tests/benchmarks/bench_team.py [--sessions 30] [--accounts 10000] [--editors 4]
[--edits 40] [--idle 60] [--pace 2]``. Importable: :func:`run` returns a dict of the figures.

Method. Every process is real and works on one copy of the cached sample portfolio:

* A session is ``kamtui`` as the command line runs it (``kamtui.cli.tui``): a file over
  ``EAGER_BYTES`` read by the app's ``Loader`` after the first frame (without the preview
  process, which only speeds up that first frame and is stopped once the file is read), the
  collector paused for start-up, ``KamApp.run(headless=True)`` at 120x40, ended by SIGTERM as
  the app handles it. It polls the others' edits every ``POLL_SECONDS`` as any session does.
  It writes timestamped events (JSON lines, ``time.monotonic()``: CLOCK_MONOTONIC, one clock
  for every process on Linux) to its own file. Three hooks, none changing what the app does:
  ``Session.changes_from_others`` stamps the DataChanged it returns with the store's sequence
  number then (the journal line numbers every edit of the file, whoever made it); the main
  screen records the highest stamp it has handled; Today (which recomputes its queue in a
  worker above 300 accounts, through ``TodayCache.queue``) records, for each full queue it
  shows, the store's sequence when that computation began. An edit is on screen once both
  have reached it; the event is written from ``call_after_refresh``, i.e. after the frame
  that follows.
* Sessions start ``--parallel`` at a time (default: the cores) and count as ready once the file
  is read, the account list and panes are mounted and Today shows its own full queue.
* Idle: a few seconds after the last session is ready, each session's utime+stime
  (``/proc/PID/stat``, all its threads) over ``--idle`` seconds with nothing written, as % of
  one core; RSS is VmRSS at the end of the window.
* Edits: E editor processes, each with its own ``Store`` and ``Portfolio`` (kamtui's API, each
  edit one committed, fsynced transaction), on their own accounts, take turns over a mix:
  tick/untick an action, log a call with a stakeholder, move a stakeholder's friendliness, edit
  an account's notes; one edit every ``--pace`` seconds per editor on average (0.5-1.5x). An
  editor records its commit's sequence number and when the call returned.
* Visibility of an edit in a session: from the editor's commit returning to the session's first
  "seen" event at or past that sequence number; median and max over every (edit, session) pair.
  A pair never seen within ``--timeout`` seconds after the last edit is counted as missed.
  Sessions' CPU during the edit phase, divided by the edits, is what one edit costs each session.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, ROOT, compile_app, median, percentile, portfolio, work_copy

SESSIONS, ACCOUNTS, EDITORS, EDITS, IDLE_S, PACE_S = 30, 10_000, 4, 40, 60.0, 2.0
COLS, LINES = 120, 40
SETTLE_S = 3.0  # after the last session is ready, before the idle window
KINDS = ("tick", "log", "friendliness", "account")
TICK = os.sysconf("SC_CLK_TCK")


def _emit(out: IO[str], ev: str, **fields: Any) -> None:
    out.write(json.dumps({"ev": ev, "t": time.monotonic(), **fields}) + "\n")
    out.flush()


def _after(owner: type, name: str, hook: Any) -> None:
    """Patch ``owner.name`` to call ``hook(result, *args)`` after it (its signature kept for Textual)."""
    orig = getattr(owner, name)

    @functools.wraps(orig)
    def wrapped(*args: Any, **kw: Any) -> Any:
        result = orig(*args, **kw)
        hook(result, *args, **kw)
        return result

    setattr(owner, name, wrapped)


# ------------------------------------------------------------------ a session (child process)


def session_main(db: Path, out: IO[str]) -> int:
    gc.disable()  # as kamtui.cli.tui does for start-up; the app resumes it after the first frame
    from kamtui.cli.tui import EAGER_BYTES
    from kamtui.store import Store
    from kamtui.store.today import TodayCache
    from kamtui.ui.app import HARD_EXIT_AFTER, KamApp, Loader
    from kamtui.ui.main_screen import MainScreen
    from kamtui.ui.messages import DataChanged, Loaded, ReadFailed
    from kamtui.ui.session import Session
    from kamtui.ui.today import TodayScreen

    seen = {"main": -1, "today": -1, "shown": -1, "ready": 0}
    queues: dict[int, tuple[object, int]] = {}  # id(full queue) -> (the list, store seq when begun)

    class Harness(KamApp):
        # Textual reads CSS_PATH relative to the file of the class that sets it: KamApp's, absolute here.
        CSS_PATH = [Path(sys.modules[KamApp.__module__].__file__ or "").parent / p for p in KamApp.CSS_PATH]

        def on_mount(self) -> None:  # Textual calls KamApp.on_mount too (handlers run up the MRO)
            self._ready_timer = self.set_interval(0.1, self.check_ready)

        async def on_loaded(self, message: Loaded) -> None:  # before KamApp's: the seq the rows were built at
            reached("main", message.store.seq)

        def on_read_failed(self, message: ReadFailed) -> None:
            _emit(out, "read_failed", text=message.text)

        def check_ready(self) -> None:
            if self.session.loaded and self._main is not None and self._main.ready and seen["today"] >= 0:
                self._ready_timer.stop()
                seen["ready"] = 1
                self.call_after_refresh(lambda: _emit(out, "ready", seq=min(seen["main"], seen["today"])))
                reached("main", -1)

    def reached(part: str, seq: int) -> None:
        seen[part] = max(seen[part], seq)
        now = min(seen["main"], seen["today"])
        if seen["ready"] and now > seen["shown"]:
            seen["shown"] = now
            app.call_after_refresh(lambda: _emit(out, "seen", seq=now))

    def stamp(changed: DataChanged | None, session: Session) -> None:  # the store's seq when it was read
        if changed is not None:
            changed.bench_seq = session.store.seq  # type: ignore[attr-defined]

    def main_changed(_: None, screen: MainScreen, message: DataChanged) -> None:
        reached("main", getattr(message, "bench_seq", -1))

    def today_shown(_: None, screen: TodayScreen, items: list[Any], pending: str = "") -> None:
        got = queues.pop(id(items), None)
        if not pending and got is not None and got[0] is items:
            reached("today", got[1])

    orig_queue = TodayCache.queue  # what Today shows whole (its quick first part is today_queue's)

    def whole_queue(cache: TodayCache, today: Any) -> Any:
        seq = cache.portfolio.store.seq  # before: the result holds at least the edits up to seq
        items = orig_queue(cache, today)
        queues[id(items)] = (items, seq)
        return items

    _after(Session, "changes_from_others", stamp)
    _after(DataChanged, "copy", lambda c, m: setattr(c, "bench_seq", getattr(m, "bench_seq", -1)))
    _after(MainScreen, "on_data_changed", main_changed)
    _after(TodayScreen, "_show", today_shown)
    setattr(TodayCache, "queue", whole_queue)  # noqa: B010

    store = None if db.stat().st_size > EAGER_BYTES else Store(db)
    loader = None if store is not None else Loader(db, lambda: Store(db))
    app = Harness(store, loader=loader)
    app.hard_exit_after = HARD_EXIT_AFTER
    app.resume_collector = True
    _emit(out, "start", pid=os.getpid())
    try:
        app.run(headless=True, size=(COLS, LINES))
    finally:
        if app.loaded:
            app.store.close(compact=False)  # a scratch copy: no compaction in the figures' way
    code = getattr(app, "return_code", 0) or 0
    _emit(out, "exit", code=code, stopped_by=app.stopped_by)
    return 0 if app.stopped_by is not None else code


# ------------------------------------------------------------------- an editor (child process)


def editor_main(db: Path, out: IO[str], index: int, count: int, edits: int, pace: float, seed: int) -> int:
    import dataclasses
    import datetime as dt

    from kamtui.domain.model import Action, Interaction, InteractionKind, Stakeholder
    from kamtui.store import Store
    from kamtui.store.portfolio import Portfolio

    store, day = Store(db, user=f"editor{index}"), dt.date.today()
    p = Portfolio(store)
    rng = random.Random(seed * 1000 + index)
    mine = [i for i, _ in store.all("accounts") if i % count == index]
    people = [a for a in mine if store.children("stakeholders", a)]
    pools = {"tick": [a for a in mine if store.children("actions", a)], "log": people, "friendliness": people}
    kinds = [k for k in KINDS if pools.setdefault(k, mine)]  # those this editor's accounts allow
    if not kinds:
        raise SystemExit(f"editor {index}: no account of its own (more editors than accounts?)")
    _emit(out, "ready")
    sys.stdin.readline()  # "go"
    for n in range(edits):
        time.sleep(pace * rng.uniform(0.5, 1.5))
        kind = kinds[(n + index) % len(kinds)]
        store.refresh()  # as a session would have: edit what is stored now
        account = rng.choice(pools[kind])
        t0 = time.monotonic()
        if kind == "tick":
            action = p.get(Action, store.children("actions", account)[0][0])
            assert action is not None
            p.toggle_action(action)
        elif kind in ("log", "friendliness"):
            sh = p.get(Stakeholder, rng.choice(store.children("stakeholders", account))[0])
            assert sh is not None and sh.id is not None
            if kind == "log":
                p.log_interaction(Interaction(account, day, InteractionKind.CALL, [sh.id], f"call {n}", store.user))
            else:
                p.set_friendliness(sh, sh.friendliness + (1 if sh.friendliness < 2 else -1), "bench")
        else:
            acc = p.account(account)
            assert acc is not None
            p.save(dataclasses.replace(acc, notes=f"edited by {store.user}, edit {n}"), acc)
        _emit(out, "edit", seq=store.seq, t0=t0, t1=time.monotonic(), kind=kind, account=account)
    store.close(compact=False)
    return 0


# ------------------------------------------------------------------------ the orchestrator


@dataclass
class Child:
    """A child process in its own process group, and the JSON-line events it wrote."""

    name: str
    proc: subprocess.Popen[bytes]
    out: Path
    err: Path
    events: list[dict[str, Any]] = field(default_factory=list)
    _pos: int = 0

    def read(self) -> None:
        """Take in the events written since the last read (whole lines only)."""
        with contextlib.suppress(FileNotFoundError), open(self.out, "rb") as f:
            f.seek(self._pos)
            data = f.read()
            end = data.rfind(b"\n") + 1
            self._pos += end
            self.events += [json.loads(line) for line in data[:end].splitlines()]

    def has(self, ev: str) -> bool:
        return any(e["ev"] == ev for e in self.events)

    def failed(self) -> str | None:
        if not self.proc.poll():  # running, or ended well
            return None
        return f"{self.name} exited {self.proc.returncode}: {self.err.read_text()[-2000:]}"


def _spawn(name: str, args: list[str], folder: Path, stdin: int | None = None) -> Child:
    out, err = folder / f"{name}.jsonl", folder / f"{name}.err"
    with open(err, "wb") as e:
        cmd = [sys.executable, __file__, *args, "--out", str(out)]
        proc = subprocess.Popen(cmd, cwd=ROOT, stdin=stdin, stdout=e, stderr=e, start_new_session=True)
    return Child(name, proc, out, err)


def _cpu_s(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _wait(children: list[Child], done: Any, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        for c in children:
            c.read()
            if (why := c.failed()) is not None:
                raise RuntimeError(why)
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not within {timeout:.0f} s")
        time.sleep(0.05)


def _stop(children: list[Child], grace: float = 10.0) -> None:
    """SIGTERM (a session ends as the app does on it), then SIGKILL to what is left of each group."""
    for c in children:
        if c.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(c.proc.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for c in children:
        try:
            c.proc.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:  # still running (so its group is still its own): kill it all
            with contextlib.suppress(ProcessLookupError):
                os.killpg(c.proc.pid, signal.SIGKILL)
            c.proc.wait()


def run(
    sessions: int = SESSIONS,
    accounts: int = ACCOUNTS,
    editors: int = EDITORS,
    edits: int = EDITS,
    idle: float = IDLE_S,
    pace: float = PACE_S,
    parallel: int | None = None,
    timeout: float = 60.0,
    seed: int = 7,
    log: Any = None,
) -> dict[str, Any]:
    if min(sessions, editors, edits) < 1:
        raise ValueError("at least one session, one editor and one edit")
    say = log or (lambda m: print(m, file=sys.stderr, flush=True))
    parallel = parallel or len(os.sched_getaffinity(0))
    src = portfolio(accounts)
    children: list[Child] = []
    with tempfile.TemporaryDirectory(prefix="team-", dir=DATA) as tmp:
        folder = Path(tmp)
        db = work_copy(src, folder)
        try:
            started = time.monotonic()
            say(f"starting {sessions} sessions over {accounts:,} accounts, {parallel} at a time")
            ses: list[Child] = []
            for i in range(sessions):
                _wait(ses, lambda: sum(not c.has("ready") for c in ses) < parallel, 60 + accounts / 50, "loading")
                ses.append(_spawn(f"session{i}", ["--session", str(db)], folder))
                children.append(ses[-1])
            _wait(ses, lambda: all(c.has("ready") for c in ses), 60 + accounts / 50, "loading")
            load_s = time.monotonic() - started
            time.sleep(SETTLE_S)
            say(f"all ready in {load_s:.1f} s; idle window of {idle:.0f} s")
            cpu0, t0 = {c.name: _cpu_s(c.proc.pid) for c in ses}, time.monotonic()
            time.sleep(idle)
            cpu1, t1 = {c.name: _cpu_s(c.proc.pid) for c in ses}, time.monotonic()
            idle_pct = [(cpu1[c.name] - cpu0[c.name]) / (t1 - t0) * 100 for c in ses]
            rss = [_rss_mb(c.proc.pid) for c in ses]
            say(f"{editors} editors making {edits} edits, one every ~{pace:.1f} s each")
            eds = []
            for i in range(editors):
                mine = edits // editors + (i < edits % editors)
                opts = f"--index {i} --count {editors} --seed {seed} --edits {mine} --pace {pace}".split()
                eds.append(_spawn(f"editor{i}", ["--editor", str(db), *opts], folder, subprocess.PIPE))
            children += eds
            _wait(eds, lambda: all(c.has("ready") for c in eds), 60 + accounts / 50, "editors opening")
            cpu2 = {c.name: _cpu_s(c.proc.pid) for c in ses}
            for e in eds:
                assert e.proc.stdin is not None
                e.proc.stdin.write(b"go\n")
                e.proc.stdin.flush()
            _wait(eds, lambda: all(c.proc.poll() is not None for c in eds), 60 + edits * pace * 2, "editing")
            for e in eds:
                e.read()
                if e.proc.returncode != 0:
                    raise RuntimeError(f"{e.name} exited {e.proc.returncode}: {e.err.read_text()[-2000:]}")
            done = [ev for e in eds for ev in e.events if ev["ev"] == "edit"]
            last = max(ev["seq"] for ev in done)

            def caught_up() -> bool:
                return all(any(ev["ev"] == "seen" and ev["seq"] >= last for ev in c.events) for c in ses)

            try:
                _wait(ses, caught_up, timeout, "sessions catching up")
            except TimeoutError as exc:
                say(str(exc))
            cpu3 = {c.name: _cpu_s(c.proc.pid) for c in ses}
        finally:
            _stop(children)
            for c in children:
                c.read()  # before the folder goes
    lat: list[float] = []
    missed = 0
    for ed in done:
        for c in ses:
            t = next((ev["t"] for ev in c.events if ev["ev"] == "seen" and ev["seq"] >= ed["seq"]), None)
            if t is None:
                missed += 1
            else:
                lat.append(t - ed["t1"])
    commits = [(ev["t1"] - ev["t0"]) * 1000 for ev in done]
    per_edit = [(cpu3[c.name] - cpu2[c.name]) / len(done) * 1000 for c in ses]
    failed = [ev["text"] for c in ses for ev in c.events if ev["ev"] == "read_failed"]
    unclean = [c.name for c in ses if not any(ev["ev"] == "exit" and ev["stopped_by"] for ev in c.events)]
    r: dict[str, Any] = {"sessions": sessions, "accounts": accounts, "editors": editors, "edits": len(done)}
    r |= {"idle_s": round(t1 - t0, 1), "load_s": round(load_s, 1), "pairs": len(lat), "missed": missed}
    r |= {f"visible_{k}_s": round(f(lat), 3) if lat else None for k, f in (("median", median), ("max", max))}
    r |= {
        "visible_p90_s": round(percentile(lat, 90), 3) if lat else None,
        "visible_min_s": round(min(lat), 3) if lat else None,
    }
    for key, values in (("idle_cpu", idle_pct), ("rss", rss), ("edit_cpu", per_edit), ("commit", commits)):
        unit = {"idle_cpu": "pct", "rss": "mb", "edit_cpu": "ms", "commit": "ms"}[key]
        r |= {f"{key}_median_{unit}": round(median(values), 3), f"{key}_max_{unit}": round(max(values), 3)}
    # sessions that did not end as the app does on SIGTERM, and errors reading the others' edits
    return r | {"unclean_exits": unclean, "read_failed": failed[:5]}


def details(r: dict[str, Any]) -> str:
    """What the table's rows leave out (the rows: ``run.team_table``)."""
    out = [
        f"{r['sessions']} sessions, {r['accounts']:,} accounts, {r['editors']} editors, {r['edits']} edits;"
        f" all loaded in {r['load_s']} s; idle window {r['idle_s']} s",
        f"visibility: p90 {r['visible_p90_s']} s, min {r['visible_min_s']} s; {r['pairs']} (edit, session) pairs"
        f" seen, {r['missed']} never seen",
        f"one edit costs each session {r['edit_cpu_median_ms']:.0f} ms CPU (median; max {r['edit_cpu_max_ms']:.0f});"
        f" commit {r['commit_median_ms']:.1f} ms median, max {r['commit_max_ms']:.1f} ms",
    ]
    if r["unclean_exits"]:
        out.append(f"sessions that did not end cleanly on SIGTERM: {', '.join(r['unclean_exits'])}")
    if r["read_failed"]:
        out.append(f"read failures in sessions: {r['read_failed']}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sessions", type=int, default=SESSIONS)
    ap.add_argument("--accounts", type=int, default=ACCOUNTS)
    ap.add_argument("--editors", type=int, default=EDITORS)
    ap.add_argument("--edits", type=int, default=EDITS, help="edits in all (shared among the editors)")
    ap.add_argument("--idle", type=float, default=IDLE_S, help="seconds of the idle window")
    ap.add_argument("--pace", type=float, default=PACE_S, help="mean seconds between one editor's edits")
    ap.add_argument("--parallel", type=int, help="sessions loading at once (default: the cores)")
    ap.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for sessions after the last edit")
    ap.add_argument("--seed", type=int, default=7)
    for hidden in ("--session", "--editor", "--out"):  # child processes
        ap.add_argument(hidden, type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--count", type=int, default=1, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.session or args.editor:
        with open(args.out, "a", encoding="utf-8") as out:
            if args.session:
                return session_main(args.session, out)
            return editor_main(args.editor, out, args.index, args.count, args.edits, args.pace, args.seed)

    def on_term(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # run()'s finally stops every child

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    signal.signal(signal.SIGINT, signal.default_int_handler)  # Ctrl-C even when started in the background
    compile_app()
    r = run(args.sessions, args.accounts, args.editors, args.edits, args.idle, args.pace, args.parallel, args.timeout)
    from run import format_table, team_table

    print(format_table(team_table(r)))
    print(details(r))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
