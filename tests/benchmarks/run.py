"""All kamtui benchmarks in one table: every figure a median over several runs, with its spread.

Run: ``python tests/benchmarks/run.py [--sizes 25,1000,10000,50000] [--runs N] [--quick]``
(``--quick``: sizes 25 and 10,000, fewer runs, a few minutes). Needs tmux; visidata is optional
(``pip install -e '.[bench]'``). Portfolios are generated once into ``tests/benchmarks/.data/``.

What each row measures (details in the module each comes from):

* first paint (bench_tui, bench_visidata): launch in a private tmux server at 120x40 until the first
  screen (Today, whose rows name accounts) shows its first rows; a bare Textual app showing one word
  and ``vd`` on the same accounts exported as a JSON array run alternately with kamtui in the same
  loop (bare, kamtui, visidata, bare, ...). Files over 1 MB are read after the first frame, so
  first paint may show Today's reviews due (read from the accounts alone) while the rest loads;
  "fully loaded" is until Today shows no progress note, and peak RSS is the VmHWM then.
  kamtui is byte-compiled first, as ``pip install`` does (see ``common.compile_app``).
* cursor / filter (bench_tui): inside the app (``run_test`` at 120x40, on the account list), one fresh
  process per run; per run, the median (and p99) over the moves or keystrokes; the row gives the
  median of those per-run figures and their min-max.
* durable edit (bench_store): fsynced updates, the sizes taking turns edit by edit; one run = a batch
  of edits, whose median is that run's figure; the 50,000/25 ratio is per run, side by side.
* open database (bench_store): ``Store(path)`` vs ``json.loads`` of the same file, alternating.
* ``kamtui due`` (bench_due): the whole process on a copy of the file, output to a pipe.
* "queue kept" (first paint, fully loaded, RSS, ``kamtui due``): the same on a copy that a session
  opened today before, which kept Today's queue beside it (``kamtui.store.queue_cache``;
  ``common.keep_queue``); the rows without it run on copies no session has ever opened, where the
  queue is computed. "10 edits since": the queue kept, then 10 accounts renamed by another session
  (the journal): the accounts they concern are computed again. "first of the day": on a copy a
  session opened yesterday, whose helper computed the next days' queues
  (``kamtui.store.queue_ahead``; ``common.keep_ahead``), then 10 edits since. Files over 1 MB only.
* guided review (bench_review): the demo's due queue, dated today, reviewed by a scripted keyboard
  (Pilot) that ticks every due and late action and logs a contact with every person to contact
  (X and L act on all those listed, space and l on one); keys per account in the loop (typed text
  apart), keys in all with the R that opens it, and how often anything but the loop and its forms
  was on screen.
* team (bench_team; default run only, not ``--quick``): 30 headless TUI sessions over one 10,000-account
  file while 4 editor processes make 40 edits through kamtui's Portfolio API; one run. Visibility: from
  an editor's commit returning until a session's screens have handled the change (Today's queue
  recomputed) and repainted, over every (edit, session) pair; idle: each session's CPU over 60 s with
  no edits, as % of one core; RSS is VmRSS then.

Spread is always min-max of the per-run figure; a comparison gives the ratio of medians and, in
parentheses, the min-max of the per-run ratios (each run's pair measured back to back).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import signal
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_inapp
import bench_store
import bench_tui
from bench_due import due_runs
from bench_visidata import export_accounts, vd_command, vd_path, vd_ready
from common import DATA, EDITS_SINCE, compile_app, median, portfolio

SIZES = (25, 1_000, 10_000, 50_000)
QUICK_SIZES = (25, 10_000)
NO_VD = "visidata not installed (pip install -e '.[bench]')"


@dataclass
class Target:
    """``value <= limit`` (the value is the row's median, or its ratio when ``on_ratio``)."""

    size: int | None  # None: every size
    limit: float
    text: str
    on_ratio: bool = False


# Issue 14's targets (and the earlier ones it did not change).
TARGETS: dict[str, list[Target]] = {
    "paint_bare": [
        Target(25, 1.10, "<= 1.10x bare", on_ratio=True),
        Target(50_000, 1.5, "<= 1.5x bare", on_ratio=True),
    ],
    "paint_vd": [Target(10_000, 1.0, "<= 1.0x visidata", on_ratio=True)],
    "loaded": [Target(10_000, 500.0, "<= 0.5 s"), Target(50_000, 1_500.0, "<= 1.5 s")],
    "loaded_kept": [Target(10_000, 500.0, "<= 0.5 s"), Target(50_000, 1_500.0, "<= 1.5 s")],
    "loaded_ahead": [Target(10_000, 500.0, "<= 0.5 s"), Target(50_000, 1_500.0, "<= 1.5 s")],
    "cursor": [Target(50_000, 8.0, "<= 8 ms")],
    "cursor_p99": [Target(50_000, 25.0, "<= 25 ms")],
    "filter": [Target(50_000, 30.0, "<= 30 ms")],
    "edit": [Target(None, 5.0, "<= 5 ms")],
    "edit_ratio": [Target(50_000, 2.0, "<= 2")],
    "open": [
        Target(50_000, 0.4, "<= 0.4x json.loads", on_ratio=True),
        Target(None, 1.3, "<= 1.3x json.loads", on_ratio=True),
    ],
    "due": [Target(10_000, 0.3, "<= 0.3 s"), Target(50_000, 0.8, "<= 0.8 s")],
    "due_kept": [Target(10_000, 0.3, "<= 0.3 s"), Target(50_000, 0.8, "<= 0.8 s")],
    "due_since": [Target(10_000, 0.3, "<= 0.3 s"), Target(50_000, 0.8, "<= 0.8 s")],
    "due_ahead": [Target(10_000, 0.3, "<= 0.3 s"), Target(50_000, 0.8, "<= 0.8 s")],
    "paint_es": [Target(None, 1.10, "<= 1.10x English", on_ratio=True)],  # issue 15: no slower in Spanish
    "due_es": [Target(None, 1.10, "<= 1.10x English", on_ratio=True)],  # issue 15: no slower in Spanish
    "rss": [Target(50_000, 300.0, "<= 300 MB")],
    "rss_kept": [Target(50_000, 300.0, "<= 300 MB")],
    "review_keys": [Target(None, 4.0, "<= 4 keys/account")],
    "review_changes": [Target(None, 0.0, "0")],
    "team_visible": [Target(None, 2.0, "<= 2 s")],
    "team_visible_max": [Target(None, 2.0, "<= 2 s")],
    "team_idle": [Target(None, 0.5, "<= 0.5 %")],
    "team_idle_max": [Target(None, 0.5, "<= 0.5 %")],
}


@dataclass
class Row:
    key: str
    figure: str
    size: str
    values: list[float]  # per-run figures
    unit: str
    comparison: str = "-"
    ratio: float | None = None
    size_n: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def target(self) -> tuple[str, str]:
        for t in TARGETS.get(self.key, []):
            if t.size is not None and t.size != self.size_n:
                continue
            value = self.ratio if t.on_ratio else self.extra.get("median", median(self.values) if self.values else None)
            if value is None:
                return t.text, "n/a"
            return t.text, "pass" if value <= t.limit else "FAIL"
        return "-", ""


def _fmt(v: float, unit: str) -> str:
    if unit == "ms":
        return f"{v:,.0f}" if v >= 100 else f"{v:.1f}" if v >= 10 else f"{v:.2f}"
    if unit == "s":
        return f"{v:.2f}" if v >= 1 else f"{v:.3f}"
    if unit == "MB":
        return f"{v:,.0f}"
    return f"{v:.2f}"


def _with_unit(text: str, unit: str) -> str:
    return f"{text} {unit}" if unit and unit != "x" else text


def _compare(mine: list[float], theirs: list[float], what: str, unit: str) -> tuple[str, float | None]:
    """'1.05x (0.98-1.12) what 583 ms': ratio of medians, min-max of per-run ratios, their median."""
    if not mine or not theirs:
        return "-", None
    ratio = median(mine) / median(theirs)
    pairs = [a / b for a, b in zip(mine, theirs, strict=False) if b]
    spread = f" ({min(pairs):.2f}-{max(pairs):.2f})" if len(pairs) > 1 else ""
    return f"{ratio:.2f}x{spread} {what} {_with_unit(_fmt(median(theirs), unit), unit)}", ratio


def _size(n: int) -> str:
    return f"{n:,}"


# ------------------------------------------------------------------ measurements


def paint_rows(sizes: tuple[int, ...], runs: int, log: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    vd = vd_path()
    try:
        tmux = bench_tui.Tmux()
    except RuntimeError as exc:
        for n in sizes:
            rows.append(Row("paint_bare", "first paint (first screen)", _size(n), [], "ms", str(exc), size_n=n))
        return rows
    with tempfile.TemporaryDirectory(prefix="paint-", dir=DATA) as tmp:
        workdir = Path(tmp)
        bare_script = workdir / "bare_app.py"
        bare_script.write_text(bench_tui.BARE_APP)
        try:
            tmux.start()
            bench_tui.first_paint(tmux, min(sizes), 1, workdir, bare_script)  # warm-up: bytecode, page cache
            for n in sizes:
                log(f"first paint, {n:,} accounts ({runs} runs{', with visidata' if vd else ''})")
                src = portfolio(n)
                others = []
                if vd:
                    exported = export_accounts(src, workdir / f"accounts-{n}.json")
                    others.append(("vd", vd_command(vd, exported), vd_ready(src)))
                r = bench_tui.first_paint(tmux, n, runs, workdir, bare_script, others, ("en", "es"))
                kam = [float(x) for x in r["paint_runs_ms"]]
                bare = [float(x) for x in r["paint_bare_runs_ms"]]
                text, ratio = _compare(kam, bare, "bare Textual", "ms")
                screen = {"today": "Today", "list": "account list"}.get(r["paint_screen"], r["paint_screen"])
                figure = f"first paint (first screen: {screen})"
                rows.append(Row("paint_bare", figure, _size(n), kam, "ms", text, ratio, n))
                if vd:
                    vd_ms = [float(x) for x in r["paint_vd_runs_ms"]]
                    text, ratio = _compare(kam, vd_ms, "visidata", "ms")
                    rows.append(Row("paint_vd", figure, _size(n), kam, "ms", text, ratio, n))
                else:
                    rows.append(Row("paint_vd", figure, _size(n), kam, "ms", NO_VD, None, n))
                full = [float(x) for x in r["paint_full_runs_ms"]]
                rows.append(Row("loaded", "fully loaded (Today complete)", _size(n), full, "ms", size_n=n))
                kept = [float(x) for x in r["paint_full_kept_runs_ms"]]
                if kept:
                    text, ratio = _compare(kept, full, "queue computed", "ms")
                    rows.append(Row("loaded_kept", "fully loaded, queue kept", _size(n), kept, "ms", text, ratio, n))
                    paint = [float(x) for x in r["paint_kept_runs_ms"]]
                    text, ratio = _compare(paint, kam, "queue computed", "ms")
                    rows.append(Row("paint_kept", "first paint, queue kept", _size(n), paint, "ms", text, ratio, n))
                es = [float(x) for x in r["paint_es_runs_ms"]]
                text, ratio = _compare(es, kam, "English", "ms")
                rows.append(Row("paint_es", "first paint in Spanish", _size(n), es, "ms", text, ratio, n))
                rss = [float(x) for x in r["rss_runs_mb"]]
                rows.append(Row("rss", "TUI peak RSS, fully loaded", _size(n), rss, "MB", size_n=n))
                kept_rss = [float(x) for x in r["rss_kept_runs_mb"]]
                if kept_rss:
                    rows.append(Row("rss_kept", "TUI peak RSS, queue kept", _size(n), kept_rss, "MB", size_n=n))
                ahead = [float(x) for x in r["paint_full_ahead_runs_ms"]]
                if ahead:
                    text, ratio = _compare(ahead, full, "queue computed", "ms")
                    figure = f"fully loaded, first of the day, {EDITS_SINCE} edits since"
                    rows.append(Row("loaded_ahead", figure, _size(n), ahead, "ms", text, ratio, n))
                    paint = [float(x) for x in r["paint_ahead_runs_ms"]]
                    text, ratio = _compare(paint, kam, "queue computed", "ms")
                    figure = f"first paint, first of the day, {EDITS_SINCE} edits since"
                    rows.append(Row("paint_ahead", figure, _size(n), paint, "ms", text, ratio, n))
        finally:
            tmux.close()
    return rows


def inapp_rows(sizes: tuple[int, ...], runs: int, moves: int, log: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    for n in sizes:
        log(f"cursor and filter in the app, {n:,} accounts ({runs} runs of {moves} moves)")
        results = [bench_inapp.in_app(n, moves) for _ in range(runs)]

        def series(key: str, results: list[dict[str, Any]] = results) -> list[float]:
            return [float(r[key]) for r in results if r.get(key) is not None]

        moved = results[0]["cursor_n"]
        rows += [
            Row("cursor", f"cursor move, settled, median of {moved}", _size(n), series("cursor_ms"), "ms", size_n=n),
            Row(
                "cursor_p99", f"cursor move, settled, p99 of {moved}", _size(n), series("cursor_p99_ms"), "ms", size_n=n
            ),
            Row(
                "cursor_first",
                "cursor move, first frame with all panes",
                _size(n),
                series("cursor_first_ms"),
                "ms",
                size_n=n,
            ),
            Row("filter", "filter keystroke, settled", _size(n), series("filter_ms"), "ms", size_n=n),
        ]
        missed = sum(r["missed"] for r in results)
        if missed:
            rows[-1].comparison = f"{missed} keys not settled within 5 s"
    return rows


def store_rows(sizes: tuple[int, ...], runs: int, log: Callable[[str], None]) -> list[Row]:
    rows: list[Row] = []
    per_round = 20
    with tempfile.TemporaryDirectory(prefix="store-", dir=DATA) as tmp:
        works: dict[int, Path] = {}
        for n in sizes:
            folder = Path(tmp) / str(n)
            folder.mkdir()
            works[n] = bench_store.prepared_copy(portfolio(n), folder)
        for n in sizes:
            open_runs = 15 if n <= 1_000 else (runs if n <= 10_000 else min(runs, 3))
            log(f"open vs json.loads, {n:,} accounts ({open_runs} runs each, alternating)")
            loads, opens = bench_store.open_vs_loads(works[n], open_runs)
            ms_open = [s * 1000 for s in opens]
            text, ratio = _compare(ms_open, [s * 1000 for s in loads], "json.loads", "ms")
            rows.append(Row("open", "open database", _size(n), ms_open, "ms", text, ratio, n))
        log(f"durable edits, all sizes taking turns ({runs} runs of {per_round} edits)")
        edits = bench_store.interleaved_edits(works, runs, per_round)
    edit_rows = []
    for n in sizes:
        all_ms = [s * 1000 for batch in edits[n] for s in batch]
        per_run = [median(batch) * 1000 for batch in edits[n]]
        row = Row("edit", "durable edit (fsynced), median", _size(n), per_run, "ms", size_n=n)
        row.extra["median"] = median(all_ms)
        row.comparison = f"max single edit {max(all_ms):.1f} ms"
        edit_rows.append(row)
    if len(sizes) > 1:
        lo, hi = min(sizes), max(sizes)
        per_run = [median(b) / median(a) for a, b in zip(edits[lo], edits[hi], strict=True)]
        ratio = median([s for b in edits[hi] for s in b]) / median([s for b in edits[lo] for s in b])
        row = Row("edit_ratio", f"durable edit, {hi:,} / {lo:,}", f"{hi:,}/{lo:,}", per_run, "x", size_n=hi)
        row.extra["median"] = ratio
        row.ratio = ratio
        row.comparison = "ratio of medians, side by side"
        if lo != 25:
            row.size_n = None
        edit_rows.append(row)
    return rows + edit_rows


def due_rows(sizes: tuple[int, ...], runs: int, log: Callable[[str], None]) -> list[Row]:
    rows = []
    for n in sizes:
        log(f"kamtui due, {n:,} accounts ({runs} runs, English and Spanish alternating)")
        by_lang = due_runs(n, runs, ("en", "es"))
        rows.append(Row("due", "`kamtui due`, whole process", _size(n), by_lang["en"], "s", size_n=n))
        text, ratio = _compare(by_lang["es"], by_lang["en"], "English", "s")
        rows.append(Row("due_es", "`kamtui due` in Spanish", _size(n), by_lang["es"], "s", text, ratio, n))
        kept = due_runs(n, runs, kept=True).get("en")
        if kept:
            text, ratio = _compare(kept, by_lang["en"], "queue computed", "s")
            rows.append(Row("due_kept", "`kamtui due`, queue kept", _size(n), kept, "s", text, ratio, n))
            since = due_runs(n, runs, kept=True, edits=EDITS_SINCE)["en"]
            text, ratio = _compare(since, by_lang["en"], "queue computed", "s")
            figure = f"`kamtui due`, queue kept, {EDITS_SINCE} edits since"
            rows.append(Row("due_since", figure, _size(n), since, "s", text, ratio, n))
        ahead = due_runs(n, runs, ahead=True, edits=EDITS_SINCE).get("en")
        if ahead:
            text, ratio = _compare(ahead, by_lang["en"], "queue computed", "s")
            figure = f"`kamtui due`, first of the day, {EDITS_SINCE} edits since"
            rows.append(Row("due_ahead", figure, _size(n), ahead, "s", text, ratio, n))
    return rows


def review_rows(log: Callable[[str], None]) -> list[Row]:
    """The scripted morning review over the demo's due queue (bench_review): keystrokes."""
    import bench_review

    log("guided review of the demo's due queue, by a scripted keyboard")
    r = bench_review.run()
    what = f"{r['accounts']} accounts, {r['acted_on']} items acted on"
    return [
        Row(
            "review_keys", "guided review, keys per account in the loop", "demo", [r["keys_per_account"]], "keys", what
        ),
        Row(
            "review_total",
            "guided review, keys in all with R (+ typed text)",
            "demo",
            [float(r["keys"])],
            "keys",
            f"{r['typed']} characters typed; at most {r['max_keys_one_account']} keys on one account",
        ),
        Row("review_changes", "guided review, screen changes", "demo", [float(r["screen_changes"])], "", "-"),
    ]


def team_rows(log: Callable[[str], None]) -> list[Row]:
    """A team on one server (bench_team): edits seen by every idle session, and what idling costs."""
    import bench_team

    return team_table(bench_team.run(log=log))


def team_table(r: dict[str, Any]) -> list[Row]:
    """The rows of a bench_team result."""
    size, n = _size(r["accounts"]), r["accounts"]
    who = f"{r['sessions']} sessions, {r['editors']} editors, {r['edits']} edits"
    inf = float("inf")  # a pair never seen fails the max (and, if none was seen, the median)
    never = inf if r["missed"] else r["visible_max_s"]
    med = inf if r["visible_median_s"] is None else r["visible_median_s"]
    cpu = f"one edit costs a session {r['edit_cpu_median_ms']:.0f} ms CPU"
    rows = [
        Row("team_visible", "edit visible in every session, median", size, [med], "s", who, size_n=n),
        Row("team_visible_max", "edit visible in every session, max", size, [never], "s", cpu, size_n=n),
        Row("team_idle", "idle session CPU, median (% of a core)", size, [r["idle_cpu_median_pct"]], "%", size_n=n),
        Row("team_idle_max", "idle session CPU, max (% of a core)", size, [r["idle_cpu_max_pct"]], "%", size_n=n),
        Row("team_rss", "idle session RSS, median", size, [float(r["rss_median_mb"])], "MB", size_n=n),
    ]
    rows[1].comparison += f"; {r['missed']} (edit, session) pairs never seen" if r["missed"] else ""
    rows[2].comparison = f"over {r['idle_s']:.0f} s with no edits"
    rows[4].comparison = f"max {r['rss_max_mb']:.0f} MB"
    return rows


# ------------------------------------------------------------------------ table


ORDER = (
    "paint_bare",
    "paint_vd",
    "paint_es",
    "paint_kept",
    "paint_ahead",
    "loaded",
    "loaded_kept",
    "loaded_ahead",
    "cursor",
    "cursor_p99",
    "cursor_first",
    "filter",
    "edit",
    "edit_ratio",
)
ORDER += (
    "open",
    "due",
    "due_kept",
    "due_since",
    "due_ahead",
    "due_es",
    "rss",
    "rss_kept",
    "review_keys",
    "review_total",
    "review_changes",
)
ORDER += ("team_visible", "team_visible_max", "team_idle", "team_idle_max", "team_rss")


def format_table(rows: list[Row]) -> str:
    rows = sorted(rows, key=lambda r: ORDER.index(r.key))  # stable: sizes stay in order within a figure
    header = ("figure", "size", "median", "spread (min-max)", "comparison", "target", "result")
    cells = [header]
    for r in rows:
        med = r.extra.get("median", median(r.values) if r.values else None)
        if med is None:
            med_s, spread = "-", "-"
        else:
            med_s = _with_unit(_fmt(med, r.unit), r.unit) if r.unit != "x" else f"{med:.2f}x"
            if r.values:
                spread = f"{_fmt(min(r.values), r.unit)}-{_fmt(max(r.values), r.unit)}"
                spread = _with_unit(spread, r.unit) if r.unit != "x" else spread + "x"
            else:
                spread = "-"
        if r.key == "edit_ratio" and r.size_n is None:
            target, result = "(target is 50,000 / 25)", ""
        else:
            target, result = r.target()
        cells.append((r.figure, r.size, med_s, spread, r.comparison, target, result))
    right = {1, 2, 3}
    widths = [max(len(c[i]) for c in cells) for i in range(len(header))]

    def line(c: tuple[str, ...]) -> str:
        parts = [v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(c, widths, strict=True))]
        return "  ".join(parts).rstrip()

    out = [line(cells[0]), "  ".join("-" * w for w in widths)]
    out += [line(c) for c in cells[1:]]
    return "\n".join(out)


def targets_line(rows: list[Row]) -> str:
    """After the table: how many targets were met, then each one missed (in the table's order,
    with its target), and where each miss is explained."""
    rows = sorted(rows, key=lambda r: ORDER.index(r.key))
    judged = [(r, *r.target()) for r in rows if not (r.key == "edit_ratio" and r.size_n is None)]
    missed = [(r, target) for r, target, result in judged if result == "FAIL"]
    total = sum(1 for _r, _t, result in judged if result in ("pass", "FAIL"))
    if not missed:
        return f"targets: all {total} met."
    lines = [
        f"targets: {total - len(missed)} of {total} met. Missed, each explained figure by figure in"
        ' README.md (Performance: "What meets its target and what does not"):'
    ]
    lines += [f"  - {r.figure} at {r.size} ({target})" for r, target in missed]
    return "\n".join(lines)


def machine_line() -> str:
    cpu = "unknown CPU"
    try:
        for text in Path("/proc/cpuinfo").read_text().splitlines():
            if text.startswith("model name"):
                cpu = text.split(":", 1)[1].strip()
                break
    except OSError:
        cpu = platform.processor() or cpu
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    now = dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")
    return (
        f"machine: {cpu}, {cores} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {now}"
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", help="comma-separated account counts (default 25,1000,10000,50000)")
    ap.add_argument("--runs", type=int, help="runs per figure (default 5; --quick 3)")
    ap.add_argument("--quick", action="store_true", help="sizes 25,10000 and fewer runs")
    ap.add_argument("--only", help=argparse.SUPPRESS)  # comma list of paint,inapp,store,due,review,team (debugging)
    args = ap.parse_args(argv)
    sizes = tuple(int(x) for x in args.sizes.split(",")) if args.sizes else (QUICK_SIZES if args.quick else SIZES)
    runs = args.runs or (3 if args.quick else 5)
    inapp_runs = max(2, min(runs, 3))
    moves = 100 if args.quick else bench_inapp.MOVES
    parts = set(args.only.split(",")) if args.only else {"paint", "inapp", "store", "due", "review"}
    if not args.only and not args.quick:
        parts.add("team")  # minutes, and every core: the default run only

    def on_term(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)  # the finally blocks kill the tmux server

    signal.signal(signal.SIGTERM, on_term)
    signal.signal(signal.SIGHUP, on_term)
    started = time.perf_counter()

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f} s] {message}", file=sys.stderr, flush=True)

    compile_app()
    for n in sizes if parts & {"paint", "inapp", "store", "due"} else ():  # generate missing portfolios
        portfolio(n)
    rows: list[Row] = []
    if "paint" in parts:
        rows += paint_rows(sizes, runs, log)
    if "inapp" in parts:
        rows += inapp_rows(sizes, inapp_runs, moves, log)
    if "store" in parts:
        rows += store_rows(sizes, runs, log)
    if "due" in parts:
        rows += due_rows(sizes, runs, log)
    if "review" in parts:
        rows += review_rows(log)
    if "team" in parts:
        rows += team_rows(log)
    log("done")
    print(format_table(rows))
    print()
    print(targets_line(rows))
    print(
        f"runs: first paint, open, due, edits {runs} (open: 15 up to 1,000 accounts, 3 at 50,000); in-app {inapp_runs}"
        f" processes of {moves} cursor moves and"
        f" {bench_inapp.FILTER_ROUNDS}x{len(bench_inapp.FILTER_QUERY)} filter keys;"
        " edit runs = 20 fsynced edits each."
    )
    print(
        "spread = min-max of the per-run figure; comparison = ratio of medians (min-max of the per-run ratios)"
        " and the other side's median."
    )
    print(machine_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
