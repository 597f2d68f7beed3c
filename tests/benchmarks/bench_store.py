"""Store benchmark: open cost vs plain json.loads, one durable edit, compaction, close, stock TinyDB.

Run: ``python tests/benchmarks/bench_store.py [--sizes 25,10000,50000] [--edits 50]``.
Importable: :func:`run` returns one dict per portfolio size; :func:`main` prints a table.

Portfolios come from ``kamtui.sample.generate`` (a local generator if it is unavailable) and
are cached under ``tests/benchmarks/.data/`` (gitignored). Every measurement works on a copy,
so the cached files never change; the copy is first compacted into the current snapshot
format, so open times are those of files this store writes. Compaction is reported as its
total time and as the time it holds the exclusive lock (what other writers wait for: the
snapshot itself is written outside the lock). Stock TinyDB does not fsync: its figure is a
lower bound.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kamtui.store import Op, Store  # noqa: E402

DATA = Path(__file__).resolve().parent / ".data"
SIZES = (25, 10_000, 50_000)
SEED = 7


# ---------------------------------------------------------------------- data


def _local_generate(path: Path, accounts: int, seed: int) -> None:
    """Realistic-enough accounts with 3 stakeholders each, committed in batches."""
    rng = random.Random(seed)
    tiers = ("key", "candidate", "regular")
    owners = ("ana", "ben", "chloe", "dev")
    s = Store(path, user="bench", bulk=True)  # one compaction at the end, not one per 8 MB
    try:
        for start in range(0, accounts, 2000):
            n = min(2000, accounts - start)
            ids = s.commit(
                [
                    Op(
                        "insert",
                        "accounts",
                        None,
                        {
                            "name": f"Account {start + i} {rng.choice(('AG', 'Ltd', 'Inc', 'GmbH'))}",
                            "tier": rng.choices(tiers, (3, 7, 90))[0],
                            "owner": rng.choice(owners),
                            "revenue": round(rng.paretovariate(1.2) * 10_000, 2),
                            "cadence": rng.choice(("", "monthly", "quarterly")),
                            "last_review": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                            "notes": "",
                        },
                    )
                    for i in range(n)
                ]
            )
            s.commit(
                [
                    Op(
                        "insert",
                        "stakeholders",
                        None,
                        {"account_id": a, "name": f"Person {k}", "influence": "medium", "friendliness": 0},
                    )
                    for a in ids
                    for k in range(3)
                ]
            )
        s.compact()
    finally:
        s.close(compact=False)


def portfolio(accounts: int, seed: int = SEED) -> tuple[Path, str]:
    """The cached portfolio file for ``accounts`` and which generator made it."""
    DATA.mkdir(parents=True, exist_ok=True)
    for source in ("sample", "local"):
        cached = DATA / f"portfolio-{accounts}-s{seed}-{source}.json"
        if cached.exists():
            return cached, source
    tmp = Path(tempfile.mkdtemp(prefix="gen-", dir=DATA))
    try:
        target = tmp / "p.json"
        source = "sample"
        try:
            from kamtui.sample import generate

            generate(target, accounts, seed)
        except Exception as exc:  # noqa: BLE001 - any failure of the optional generator: fall back
            print(f"kamtui.sample unavailable ({exc!r}); using the local generator", file=sys.stderr)
            shutil.rmtree(tmp)
            tmp.mkdir()
            source = "local"
            _local_generate(target, accounts, seed)
        cached = DATA / f"portfolio-{accounts}-s{seed}-{source}.json"
        os.replace(target, cached)
        return cached, source
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------- timing


def _time(fn: Callable[[], object]) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _median(fn: Callable[[], object], runs: int) -> float:
    return statistics.median(_time(fn) for _ in range(runs))


class _TimedStore(Store):
    """A Store that records how long each exclusive-lock hold lasted."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.ex_holds: list[float] = []
        super().__init__(*args, **kwargs)

    @contextlib.contextmanager
    def _flock(self, kind: int) -> Iterator[None]:
        import fcntl

        with super()._flock(kind):
            t = time.perf_counter()
            try:
                yield
            finally:
                if kind & fcntl.LOCK_EX:
                    self.ex_holds.append(time.perf_counter() - t)


def prepared_copy(src: Path, folder: Path, name: str = "kamtui.json") -> Path:
    """A copy of ``src`` in ``folder``, compacted into the current snapshot format (what this store writes)."""
    work = folder / name
    for old in folder.glob(name + "*"):
        old.unlink()
    shutil.copyfile(src, work)
    with Store(work, user="bench") as s:
        s.compact()
    return work


def open_vs_loads(work: Path, runs: int) -> tuple[list[float], list[float]]:
    """Seconds for ``json.loads`` of ``work`` and for opening it as a Store, ``runs`` each, alternating."""

    def plain() -> None:
        json.loads(work.read_bytes())

    def store_open() -> None:
        Store(work, user="bench").close(compact=False)

    plain()  # warm the page cache for both
    loads: list[float] = []
    opens: list[float] = []
    for _ in range(runs):
        loads.append(_time(plain))
        opens.append(_time(store_open))
    return loads, opens


def interleaved_edits(
    works: dict[int, Path], rounds: int, per_round: int, seed: int = 1
) -> dict[int, list[list[float]]]:
    """Durable edits (one fsynced update each) on several open stores, taking turns edit by edit.

    Returns, per key of ``works``, ``rounds`` lists of ``per_round`` edit times in seconds, so the
    stores see the same machine state (a ratio between sizes is measured side by side).
    """
    rng = random.Random(seed)
    stores = {k: Store(p, user="bench") for k, p in works.items()}
    try:
        ids = {k: [i for i, _ in s.all("accounts")] for k, s in stores.items()}
        out: dict[int, list[list[float]]] = {k: [] for k in stores}
        n = 0
        for _ in range(rounds):
            batch: dict[int, list[float]] = {k: [] for k in stores}
            for _ in range(per_round):
                for k, s in stores.items():
                    a = rng.choice(ids[k])
                    seen = s.get("accounts", a)
                    n += 1
                    t = time.perf_counter()
                    s.update("accounts", a, {"revenue": float(n)}, seen=seen)
                    batch[k].append(time.perf_counter() - t)
            for k, times in batch.items():
                out[k].append(times)
        return out
    finally:
        for s in stores.values():
            s.close(compact=False)


def measure(accounts: int, edits: int = 50) -> dict[str, Any]:
    src, source = portfolio(accounts)
    big = accounts >= 50_000
    runs = 1 if big else (3 if accounts >= 10_000 else 15)
    with tempfile.TemporaryDirectory(prefix="bench-", dir=DATA) as tmpdir:
        work = Path(tmpdir) / "kamtui.json"
        shutil.copyfile(src, work)
        with Store(work, user="bench") as first:
            first_compact_s = _time(first.compact)  # into the current format; no edits pending
        size = work.stat().st_size

        loads_runs, open_runs = open_vs_loads(work, runs)
        loads_s, open_s = statistics.median(loads_runs), statistics.median(open_runs)

        s = _TimedStore(work, user="bench")
        rng = random.Random(1)
        ids = [i for i, _ in s.all("accounts")]
        times = []
        for n in range(edits):
            a = rng.choice(ids)
            seen = s.get("accounts", a)
            t = time.perf_counter()
            s.update("accounts", a, {"revenue": float(n)}, seen=seen)
            times.append(time.perf_counter() - t)
        s.ex_holds.clear()
        compact_s = _time(s.compact)
        compact_lock_s = max(s.ex_holds)
        s.update("accounts", ids[0], {"revenue": -1.0})
        close_s = _time(s.close)  # compacts only when cheap relative to its benefit
        close_compacted = s.journal_path.stat().st_size == 0

        from tinydb import TinyDB

        stock = Path(tmpdir) / "stock.json"
        shutil.copyfile(src, stock)
        tiny_runs = 1 if big else (2 if accounts >= 10_000 else 15)

        def tiny_update() -> None:
            with TinyDB(stock) as db:  # a script's usual pattern: open, update one document, close
                db.table("accounts").update({"revenue": 1.0}, doc_ids=[ids[0]])

        tiny_s = _median(tiny_update, tiny_runs)

    times.sort()
    return {
        "accounts": accounts,
        "generator": source,
        "file_mb": round(size / 1e6, 2),
        "json_loads_s": round(loads_s, 4),
        "open_s": round(open_s, 4),
        "open_ratio": round(open_s / loads_s, 2) if loads_s else None,
        "edit_median_ms": round(statistics.median(times) * 1000, 2),
        "edit_p95_ms": round(times[int(len(times) * 0.95) - 1] * 1000, 2),
        "compact_s": round(compact_s, 3),
        "first_compact_s": round(first_compact_s, 3),
        "compact_lock_ms": round(compact_lock_s * 1000, 1),
        "close_ms": round(close_s * 1000, 1),
        "close_compacted": close_compacted,
        "tinydb_update_ms": round(tiny_s * 1000, 1),
        "edits": edits,
    }


def run(sizes: tuple[int, ...] = SIZES, edits: int = 50) -> list[dict[str, Any]]:
    return [measure(n, edits) for n in sizes]


COLUMNS = (
    ("accounts", "accounts"),
    ("file_mb", "file MB"),
    ("json_loads_s", "json.loads s"),
    ("open_s", "Store open s"),
    ("open_ratio", "open/loads"),
    ("edit_median_ms", "edit med ms"),
    ("edit_p95_ms", "edit p95 ms"),
    ("compact_s", "compact s"),
    ("compact_lock_ms", "lock held ms"),
    ("close_ms", "close ms"),
    ("close_compacted", "close compacts"),
    ("tinydb_update_ms", "TinyDB upd ms"),
)


def format_table(rows: list[dict[str, Any]]) -> str:
    cells = [[h for _, h in COLUMNS]] + [[str(r[k]) for k, _ in COLUMNS] for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(COLUMNS))]
    lines = ["  ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated account counts")
    ap.add_argument("--edits", type=int, default=50, help="durable edits timed per size")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args(argv)
    rows = run(tuple(int(x) for x in args.sizes.split(",")), args.edits)
    if args.json:
        print(json.dumps(rows, indent=1))
    else:
        print(format_table(rows))
        print(
            f"\n{rows[0]['edits']} durable edits per size (fsynced journal append); stock TinyDB: no fsync."
            "\ncompact s: a compaction after the edits; lock held ms: the longest exclusive-lock hold"
            " during it (the snapshot is written outside the lock); close ms: close() after one more"
            " edit, which compacts only when the snapshot is small or the journal large."
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
