"""`kamtui due` benchmark: the whole process (interpreter start, imports, store open, queue, output).

Run: ``python tests/benchmarks/bench_due.py [--sizes 25,10000] [--runs 5]``.
Importable: :func:`due_runs` returns the wall times of ``runs`` invocations on one portfolio.

Each size runs on a private copy of the cached portfolio (opening a store may write sidecars),
after one untimed warm-up run (bytecode, page cache). Output goes to a pipe, so ``due`` prints its
table without colour, as it does under ``ssh host kamtui due | less``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import DATA, ROOT, keep_ahead, keep_queue, median, portfolio, work_copy

SIZES = (25, 10_000)
RUNS = 5


def kamtui_argv() -> list[str]:
    script = Path(sys.executable).with_name("kamtui")
    return [str(script)] if script.exists() else [sys.executable, "-m", "kamtui"]


def due_runs(
    accounts: int,
    runs: int = RUNS,
    languages: tuple[str, ...] = ("en",),
    *,
    kept: bool = False,
    edits: int = 0,
    ahead: bool = False,
) -> dict[str, list[float]]:
    """Seconds per ``kamtui due --db COPY --lang L`` process for each language, ``runs`` times
    after one warm-up, the languages alternating run by run (side by side, the same noise).
    ``kept``: on a copy a session opened today before (its queue kept: common.keep_queue); an
    empty dict where kamtui keeps none (a small file). Else on a copy no session opened: the
    queue is computed. ``edits``: with ``kept``, that many edits of another session since it was
    kept (each account renamed is computed again). ``ahead``: on a copy a session opened
    yesterday instead (today's queue computed ahead: common.keep_ahead), then ``edits`` edits."""
    src = portfolio(accounts)
    with tempfile.TemporaryDirectory(prefix="due-", dir=DATA) as tmp:
        db = work_copy(src, Path(tmp))
        if kept and not keep_queue(db, edits):
            return {}
        if ahead and not keep_ahead(db, edits):
            return {}
        times: dict[str, list[float]] = {lang: [] for lang in languages}
        for i in range(runs + 1):
            for lang in languages:
                argv = [*kamtui_argv(), "due", "--db", str(db), "--lang", lang]
                t = time.perf_counter()
                proc = subprocess.run(argv, capture_output=True, cwd=ROOT, check=False)
                elapsed = time.perf_counter() - t
                if proc.returncode != 0:
                    raise RuntimeError(f"kamtui due failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}")
                if i:
                    times[lang].append(elapsed)
    return times


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated account counts")
    ap.add_argument("--runs", type=int, default=RUNS, help="timed runs per size")
    args = ap.parse_args(argv)
    for n in (int(x) for x in args.sizes.split(",")):
        for lang, t in due_runs(n, args.runs, ("en", "es")).items():
            spread = f"min {min(t):.3f}, max {max(t):.3f}, {len(t)} runs"
            print(f"{n:>7,} accounts, {lang}: median {median(t):.3f} s ({spread})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
