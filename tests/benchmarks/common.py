"""Helpers shared by the benchmarks: cached sample portfolios and small statistics.

Portfolios come from ``kamtui.sample.generate`` and are cached under ``tests/benchmarks/.data/``
(gitignored) with the same names ``bench_store.py`` uses, so either benchmark reuses the other's
files. Benchmarks must work on copies (:func:`work_copy`): opening a store may write sidecars and
closing it compacts.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DATA = Path(__file__).resolve().parent / ".data"
#: Edits of another session since a queue was kept or computed ahead (accounts renamed).
EDITS_SINCE = 10


def compile_app() -> None:
    """Byte-compile kamtui, as ``pip install`` does for an installed package.

    An editable install under ``PYTHONDONTWRITEBYTECODE=1`` (set on some machines) would otherwise
    recompile every kamtui module on every launch (~100 ms) while Textual, the baseline, loads its
    bytecode: the comparison would measure the compiler, not the app.
    """
    import compileall

    compileall.compile_dir(ROOT / "kamtui", quiet=1)


SEED = 7


def portfolio(accounts: int, seed: int = SEED) -> Path:
    """The cached sample portfolio with ``accounts`` accounts, generated on first use (50k: ~45 s)."""
    DATA.mkdir(parents=True, exist_ok=True)
    cached = DATA / f"portfolio-{accounts}-s{seed}-sample.json"
    if cached.exists():
        return cached
    from kamtui.sample import generate

    print(f"generating a {accounts:,}-account portfolio into {DATA} (once) ...", file=sys.stderr, flush=True)
    tmp = Path(tempfile.mkdtemp(prefix="gen-", dir=DATA))
    try:
        target = tmp / "p.json"
        generate(target, accounts, seed)
        os.replace(target, cached)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return cached


def work_copy(src: Path, folder: Path, name: str = "kamtui.json") -> Path:
    """A fresh copy of ``src`` in ``folder`` (replacing any earlier copy and its sidecars)."""
    for old in folder.glob(name + "*"):
        if old.is_dir() and not old.is_symlink():  # FILE.backups: a session that compacted as it closed
            shutil.rmtree(old)
        else:
            old.unlink()
    dst = folder / name
    shutil.copyfile(src, dst)
    return dst


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), -(-len(ordered) * q // 100)))
    return ordered[int(rank) - 1]


def median(values: list[float]) -> float:
    return statistics.median(values)


def keep_queue(db: Path, edits: int = 0) -> bool:
    """Have ``db`` keep today's queue beside it, as a TUI session that opened it today leaves it
    (kamtui.store.queue_cache): its whole queue computed once, then kept; then ``edits`` edits
    of another session (:func:`edit_accounts`). False where kamtui keeps none (a file
    under queue_cache.CACHE_ABOVE). In a process of its own, as a session is."""
    code = (
        "import sys, threading, datetime as dt\n"
        "from pathlib import Path\n"
        "from kamtui.store import Store, queue_cache\n"
        "from kamtui.store.config import load_thresholds\n"
        "from kamtui.store.portfolio import LenientPortfolio\n"
        "from kamtui.store.today import TodayCache\n"
        "store = Store(Path(sys.argv[1]))\n"
        "today = dt.date.today()\n"
        "keep = queue_cache.keeper(store)\n"
        "cache = TodayCache(LenientPortfolio(store, lambda: today), load_thresholds(), keep=keep)\n"
        "cache.queue(today)\n"
        "[t.join() for t in threading.enumerate() if t.name == 'kamtui-keep-queue']\n"
        "store.close(compact=False)\n"
    )
    import subprocess

    subprocess.run([sys.executable, "-c", code, str(db)], check=True, cwd=ROOT)
    edit_accounts(db, edits)
    return db.with_name(db.name + ".today").exists()


def keep_ahead(db: Path, edits: int = 0) -> bool:
    """Have ``db`` hold today's queue computed ahead, as a TUI session that opened it yesterday
    leaves it (its helper computed the next days' queues: kamtui.store.queue_ahead); then
    ``edits`` edits (see :func:`edit_accounts`). False where kamtui keeps none (a small file)."""
    import datetime as dt
    import subprocess

    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    if os.stat(db).st_size < 1_000_000:  # queue_cache.CACHE_ABOVE: no session starts the helper
        return False
    subprocess.run([sys.executable, "-m", "kamtui.store.queue_ahead", str(db), yesterday, "en"], check=True, cwd=ROOT)
    edit_accounts(db, edits)
    return db.with_name(db.name + ".ahead").exists()


def edit_accounts(db: Path, edits: int) -> None:
    """``edits`` edits of a session, in the journal: accounts spread over the file renamed."""
    if not edits:
        return
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from kamtui.store import Store\n"
        "store = Store(Path(sys.argv[1]))\n"
        "ids = sorted(i for i, _d in store.all('accounts'))[:: max(1, store.count('accounts') // 97)]\n"
        "for i in ids[: int(sys.argv[2])]:\n"
        "    store.update('accounts', i, {'name': f'Renamed {i}'}, seen=store.get('accounts', i))\n"
        "store.close(compact=False)\n"
    )
    import subprocess

    subprocess.run([sys.executable, "-c", code, str(db), str(edits)], check=True, cwd=ROOT)
