"""Run a function as another user, the way a colleague on a shared server would meet a file.

The test process (root in CI) forks; the child drops to ``nobody`` with setgid/setuid and runs
the function with the already-imported code (the virtual environment's interpreter may live
where ``nobody`` cannot execute it), then reports its result or error through a pipe. When the
tests do not run as root, the function runs in a forked child as the current user, who is
then the user without rights (the caller arranges the permissions).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import pwd
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any


def run_as_other_user(fn: Callable[[], Any]) -> Any:
    """``fn()`` in a forked child as ``nobody`` (when root); its return value, or its exception re-raised."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child
        os.close(read_end)
        try:
            if os.geteuid() == 0:
                who = pwd.getpwnam("nobody")
                os.setgroups([])
                os.setgid(who.pw_gid)
                os.setuid(who.pw_uid)
            try:
                payload = ("ok", fn())
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                payload = ("err", exc)
            try:
                data = pickle.dumps(payload)
            except Exception:  # noqa: BLE001
                data = pickle.dumps(("err", RuntimeError(repr(payload[1]))))
            with os.fdopen(write_end, "wb") as fh:
                fh.write(data)
        finally:
            os._exit(0)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as fh:
        data = fh.read()
    os.waitpid(pid, 0)
    kind, value = pickle.loads(data)
    if kind == "err":
        raise value
    return value


@contextlib.contextmanager
def shared_folder() -> Iterator[Path]:
    """A folder every user can enter and read (pytest's tmp_path is private to its owner)."""
    path = Path(tempfile.mkdtemp(prefix="kamtui-shared-", dir="/tmp"))
    path.chmod(0o755)
    try:
        yield path
    finally:
        path.chmod(0o755)
        shutil.rmtree(path, ignore_errors=True)


def listing(folder: Path) -> dict[str, tuple[int, int, bytes]]:
    """Every file in ``folder`` with its mode, mtime and bytes: what "nothing changed" compares."""
    out = {}
    for p in sorted(folder.rglob("*")):
        st = p.lstat()
        out[str(p.relative_to(folder))] = (st.st_mode, st.st_mtime_ns, p.read_bytes() if p.is_file() else b"")
    return out
