"""``kamtui --demo`` removes its copy however it ends: ``q``, a hang-up or a SIGTERM (issue 11, item 16).

The demo is a fresh copy in a temp folder that lives only as long as the app. A real process on
a pseudo-terminal, with TMPDIR pointing into the test's folder: it shows Today, then gets the
signal (as when the SSH connection drops, or ``kill`` / a service manager stops it).
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.cli_run import sealed_env

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")

READY = b"Reviews"  # Today's first group: the app is up and drawing
PATIENCE = 60.0  # a guard against a hang, not a measurement


class Session:
    """``python -m kamtui --demo`` on a pseudo-terminal of 120x40."""

    def __init__(self, tmp: Path) -> None:
        self.temp = tmp / "tmp"
        self.temp.mkdir()
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = sealed_env(tmp, TERM="xterm-256color", TMPDIR=str(self.temp), KAMTUI_CONFIG="/dev/null")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kamtui", "--demo"],
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=tmp,
            start_new_session=True,  # its own session and controlling terminal, as over SSH
        )
        os.close(slave)
        self.master = master
        self.screen = b""

    def read_until(self, wanted: bytes) -> None:
        deadline = time.monotonic() + PATIENCE
        while wanted not in self.screen:
            assert time.monotonic() < deadline, f"never saw {wanted!r}: {self.screen[-500:]!r}"
            if self.proc.poll() is not None:
                raise AssertionError(f"kamtui exited with {self.proc.returncode}: {self.screen[-500:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                self.screen += os.read(self.master, 65536)

    def demo_folders(self) -> list[str]:
        return sorted(p.name for p in self.temp.iterdir())

    def drain(self) -> None:
        """Read what is left so the process never blocks on a full terminal."""
        while True:
            ready, _, _ = select.select([self.master], [], [], 0.1)
            if not ready:
                return
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the process closed the terminal
                return
            if not chunk:
                return
            self.screen += chunk

    def wait(self) -> int:
        deadline = time.monotonic() + PATIENCE
        while self.proc.poll() is None:
            assert time.monotonic() < deadline, "kamtui did not end after the signal"
            self.drain()
        self.drain()
        return self.proc.returncode

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@pytest.fixture
def session(tmp_path: Path) -> object:
    s = Session(tmp_path)
    yield s
    s.close()


def test_q_removes_the_demo_copy(session: Session) -> None:
    session.read_until(READY)
    assert len(session.demo_folders()) == 1
    os.write(session.master, b"q")
    assert session.wait() == 0
    assert session.demo_folders() == []


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM], ids=["SIGHUP", "SIGTERM"])
def test_a_signal_removes_the_demo_copy(session: Session, signum: signal.Signals) -> None:
    session.read_until(READY)
    [folder] = session.demo_folders()
    assert (session.temp / folder / "demo.json").is_file()
    session.proc.send_signal(signum)
    rc = session.wait()
    assert rc == 128 + signum, rc  # ended by the signal, as a shell reports it, not killed mid-way
    assert session.demo_folders() == []
    if signum == signal.SIGTERM:  # the terminal is still there: it is given back as it was
        assert b"\x1b[?1049l" in session.screen.rpartition(READY)[2]
