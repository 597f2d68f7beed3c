"""A hang-up ends kamtui: the SSH connection drops or the tmux server is killed, and the process
quits as after ``q`` (demo copy removed) instead of living on, drawing to a terminal that is
gone with its input thread spinning on it.

The old handler raised an exception from the signal handler; when the signal landed while the
event loop ran one of its callbacks, asyncio logged and swallowed it, and the app went on.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kamtui.store import Store
from kamtui.ui.app import KamApp
from tests.test_ui import settle
from tests.ui_fixtures import TODAY, build_portfolio


async def test_sigterm_quits_the_app_from_its_event_loop(tmp_path: Path) -> None:
    """In-process (SIGTERM; a hang-up also points the dead terminal's descriptors at /dev/null,
    which would silence this test process: the terminal test below covers it)."""
    signum = signal.SIGTERM
    path = tmp_path / "k.json"
    build_portfolio(path)

    def outer(received: int, frame: object) -> None:  # what the CLI installs around the app
        raise AssertionError("the app's own handler should have taken the signal")

    before = signal.signal(signum, outer)
    try:
        store = Store(path, user="tester")
        app = KamApp(store, today=TODAY)
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(app, pilot)
            os.kill(os.getpid(), signum)
            for _ in range(200):
                if not app.is_running:
                    break
                await pilot.pause(0.01)
            assert app.stopped_by == signum
        assert app.return_code == 128 + signum
        assert signal.getsignal(signum) is outer  # put back once the app stopped
        store.close()
    finally:
        signal.signal(signum, before)


def _tmux(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=False, env=env)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_killing_the_terminal_ends_kamtui_and_removes_the_demo_copy(tmp_path: Path) -> None:
    """Five times over (the old fault depended on where the signal landed)."""
    repo = str(Path(__file__).resolve().parent.parent)
    env = {**os.environ, "KAMTUI_CONFIG": "/dev/null", "TMPDIR": str(tmp_path), "PYTHONPATH": repo}
    for i in range(5):
        name = f"kamtui-hangup-{os.getpid()}-{i}"
        cmd = f"{sys.executable} -m kamtui --demo"
        started = _tmux("-L", name, "new-session", "-d", "-s", name, "-x", "100", "-y", "30", cmd, env=env)
        assert started.returncode == 0, started.stderr
        try:
            for _ in range(300):
                if "Today" in _tmux("-L", name, "capture-pane", "-p", "-t", name).stdout:
                    break
                time.sleep(0.05)
            pids = _tmux("-L", name, "list-panes", "-t", name, "-F", "#{pane_pid}").stdout.split()
            assert pids, "kamtui did not start"
            pid = int(pids[0])
        finally:
            _tmux("-L", name, "kill-server")
        for _ in range(200):  # a hang guard, not a speed target
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.05)
        else:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError(f"kamtui (pid {pid}) lived on after its terminal was killed")
        assert not [p for p in tmp_path.iterdir() if p.name.startswith("kamtui-demo-")]
