"""How `kamtui due` ends: as the process's own entry it skips the interpreter's teardown once
its output is flushed; called in-process it returns, the cyclic collector as it found it.

Real subprocesses: the teardown, the flush and a reader gone early only exist there.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kamtui.cli import main
from kamtui.sample import generate
from tests.cli_run import kamtui_run, sealed_env

TODAY = dt.date(2026, 6, 15)
ARGS = ("--today", TODAY.isoformat())

# The ``kamtui`` script's own lines (see [project.scripts]), and a teardown anyone would see:
# an atexit hook, which runs only if the interpreter is torn down.
SCRIPT = (
    "import atexit, sys\n"
    "atexit.register(lambda: print('torn down', file=sys.stderr))\n"
    "from kamtui.cli import main\n"
    "sys.exit(main())\n"
)


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("due-exit") / "gen.json"
    generate(path, 120, seed=7, today=TODAY)
    return path


def _env(tmp: Path) -> dict[str, str]:
    """Buffered standard streams, as a user's are (PYTHONUNBUFFERED would hide the flush)."""
    env = sealed_env(tmp)
    env.pop("PYTHONUNBUFFERED", None)
    return env


def test_due_as_the_process_ends_without_teardown_and_writes_everything(tmp_path: Path, portfolio: Path) -> None:
    for fmt in ("table", "json"):  # the JSON (~17 KB) outgrows the stream's buffer: a flush at the end
        args = ["due", "--db", str(portfolio), *ARGS, "--format", fmt]
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, *args], capture_output=True, env=_env(tmp_path), cwd=tmp_path, check=False
        )
        reference = kamtui_run(tmp_path, *args, env=_env(tmp_path))
        assert done.returncode == 0 and reference.rc == 0, done.stderr
        assert done.stderr == b""  # no "torn down": the process ended once the output was flushed
        assert done.stdout.decode() == reference.out
        assert len(done.stdout) > 4000


def test_other_commands_and_errors_still_tear_down(tmp_path: Path, portfolio: Path) -> None:
    """Only a `due` that finished ends the process itself: an error returns through main."""
    cases = ((["check", "--db", str(portfolio)], 0), (["due", "--db", str(tmp_path / "none.json")], 2))
    for args, code in cases:
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT, *args], capture_output=True, env=_env(tmp_path), cwd=tmp_path, check=False
        )
        assert done.returncode == code, done.stderr
        assert done.stderr.decode().splitlines()[-1] == "torn down"


def test_due_whose_reader_is_gone_is_quiet(tmp_path: Path, portfolio: Path) -> None:
    """`kamtui due | head -0`: a short output still in the buffer when the reader is gone ends
    as a long one does (exit 0, nothing on stderr), not with Python's "Exception ignored"."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "kamtui", "due", "--db", str(portfolio), *ARGS],
            stdout=write,
            stderr=subprocess.PIPE,
            env=_env(tmp_path),
            cwd=tmp_path,
            check=False,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (0, b"")


def test_due_in_process_returns_with_the_collector_on(
    portfolio: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tests' way in: main() returns (never ends the process), even with no arguments, and
    leaves the cyclic collector on as it found it (due pauses it for its own run)."""
    assert gc.isenabled()
    assert main(["due", "--db", str(portfolio), *ARGS]) == 0
    assert gc.isenabled()
    monkeypatch.setattr(sys, "argv", ["kamtui", "due", "--db", str(portfolio), *ARGS])
    assert main() == 0  # this process's __main__ is pytest's: nothing here is the kamtui command
    assert gc.isenabled()
    assert capsys.readouterr().out.count("kamtui: 2026-06-15") == 2
