"""The benchmark's table ends with one line on its targets: how many were met, and which were
missed, pointing to where the README explains each miss."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

BENCH = Path(__file__).resolve().parent / "benchmarks"


def _run_module() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location("kamtui_bench_run", BENCH / "run.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclasses look their module up there
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def test_the_line_after_the_table_counts_the_targets_and_names_each_miss() -> None:
    run = _run_module()
    rows = [
        run.Row("rss", "TUI peak RSS, fully loaded", "50,000", [290.0, 310.0, 305.0], "MB", size_n=50_000),
        run.Row("due", "`kamtui due`, whole process", "10,000", [0.2, 0.25, 0.21], "s", size_n=10_000),
        run.Row("due", "`kamtui due`, whole process", "50,000", [0.9, 1.0, 0.95], "s", size_n=50_000),
        run.Row("due", "`kamtui due`, whole process", "25", [0.09], "s", size_n=25),  # no target
    ]
    lines = run.targets_line(rows).splitlines()
    assert lines[0].startswith("targets: 1 of 3 met. Missed, each explained")
    assert "What meets its target and what does not" in lines[0]
    assert lines[1:] == [  # in the table's order, each with its target
        "  - `kamtui due`, whole process at 50,000 (<= 0.8 s)",
        "  - TUI peak RSS, fully loaded at 50,000 (<= 300 MB)",
    ]
    assert "What meets its target and what does not" in Path(BENCH.parents[1], "README.md").read_text()
    assert run.targets_line(rows[1:2]) == "targets: all 1 met."


def test_the_benchmark_stops_the_helpers_a_session_left_and_no_other() -> None:
    """A TUI session over a big file leaves a helper computing the next days' queues
    (kamtui.store.queue_ahead) when it ends: the benchmark stops those that started during a
    measurement (Tmux.stop), so that they do not run under the next ones, and only those."""
    import subprocess
    import time

    _run_module()
    bench_tui = sys.modules["bench_tui"]
    sleeper = [sys.executable, "-c", "import time; time.sleep(60)", "kamtui.store.queue_ahead"]
    running = subprocess.Popen(sleeper)
    try:
        time.sleep(0.1)
        before = bench_tui.helpers()
        assert running.pid in before
        left = subprocess.Popen(sleeper)
        time.sleep(0.1)
        assert bench_tui.stop_helpers_since(before) == {left.pid}
        assert left.wait(5) == -9 and running.poll() is None
    finally:
        running.kill()
        running.wait()
