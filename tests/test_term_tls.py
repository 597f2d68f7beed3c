"""The TUI's process does not load OpenSSL.

asyncio imports ``ssl`` to offer TLS, which maps OpenSSL's libraries: 4.7 MB of resident
memory per session for a program that opens no connection
(:func:`kamtui.cli.tui.leave_tls_unloaded`). Read from the running process's own memory map.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_cli_demo_signals import Session

pytestmark = pytest.mark.skipif(
    not hasattr(os, "openpty") or not Path("/proc/self/maps").exists(), reason="needs a pseudo-terminal and /proc"
)


def _mapped(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_the_running_tui_has_no_tls_module(tmp_path: Path) -> None:
    session = Session(tmp_path)  # kamtui --demo at 120x40
    try:
        session.read_until(b"Reviews due")  # Today is drawn: Textual and asyncio run
        maps = _mapped(session.proc.pid)
        assert "libpython" in maps or "python" in maps  # the map is the interpreter's
        assert "_ssl" not in maps and "libssl" not in maps, "OpenSSL's TLS module is loaded"
    finally:
        session.close()


def test_asyncio_and_textual_run_without_tls() -> None:
    code = (
        "import sys\n"
        "from kamtui.cli.tui import leave_tls_unloaded\n"
        "leave_tls_unloaded()\n"
        "import asyncio, textual.app\n"
        "async def one(): await asyncio.sleep(0); return 1\n"
        "assert asyncio.run(one()) == 1\n"
        "print(sys.modules.get('ssl'))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "None"


def test_nothing_is_blocked_once_asyncio_was_imported() -> None:
    # A process that imported asyncio first (a test runner, a host program) keeps TLS.
    code = (
        "import sys, asyncio\n"
        "from kamtui.cli.tui import leave_tls_unloaded\n"
        "leave_tls_unloaded()\n"
        "import ssl\n"
        "print(ssl.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "ssl"
