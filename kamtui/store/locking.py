"""Waiting for the store's file lock: politely, visibly, abandonably, and never for ever.

A writer needs the exclusive ``flock`` on ``FILE.lock``. Another process may hold it for long
(a compaction on a slow NFS server, a stuck process, ``flock FILE.lock sleep 600``). So the
wait is a loop of non-blocking attempts that

* calls ``on_wait`` once after :data:`NOTICE_AFTER` seconds (the TUI says "waiting for FILE
  (locked by another session)", the CLI prints the same on stderr),
* gives up with :class:`LockTimeout` after ``timeout`` seconds (:data:`LOCK_TIMEOUT` unless the
  caller or ``KAMTUI_LOCK_TIMEOUT`` says otherwise), and
* gives up with :class:`LockAbandoned` as soon as ``cancel`` is set (escape in the TUI, quitting).

Nothing was written when either is raised. Readers never take this lock (see ``Store``).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kamtui.i18n import _
from kamtui.store.errors import StoreError

#: Seconds a writer waits for another session's lock before giving up (``KAMTUI_LOCK_TIMEOUT``).
LOCK_TIMEOUT = 30.0
#: Seconds of waiting after which ``on_wait`` is called once.
NOTICE_AFTER = 2.0
_POLL_MAX = 0.05


class LockTimeout(StoreError):
    """Another session held the file lock for longer than the timeout. Nothing was written."""

    def __init__(self, path: Path, waited: float) -> None:
        self.path = path
        self.waited = waited
        message = _("gave up waiting for {path}: locked by another session for {waited} s; nothing was written")
        super().__init__(message.format(path=path, waited=f"{waited:g}"))


class LockAbandoned(StoreError):
    """The wait for the file lock was abandoned (escape, quitting). Nothing was written."""

    def __init__(self, path: Path) -> None:
        self.path = path
        super().__init__(_("not saved: stopped waiting for {path} (locked by another session)").format(path=path))


def lock_timeout_from_env(default: float = LOCK_TIMEOUT) -> float:
    """``KAMTUI_LOCK_TIMEOUT`` in seconds if it is a positive number, else ``default``."""
    raw = os.environ.get("KAMTUI_LOCK_TIMEOUT", "").strip()
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if value > 0 and value == value and value != float("inf") else default


def waiting_message(path: Path) -> str:
    return _("waiting for {path} (locked by another session)").format(path=path)


def acquire(
    fd: int,
    kind: int,
    path: Path,
    *,
    timeout: float | None,
    on_wait: Callable[[], None] | None = None,
    cancel: threading.Event | None = None,
    notice_after: float | None = None,
) -> bool:
    """Take ``flock(fd, kind)``; True once held.

    ``timeout`` 0 means one attempt: False if the lock is busy. ``None`` waits until the lock is
    free or ``cancel`` is set. Otherwise raises :class:`LockTimeout` after ``timeout`` seconds.
    """
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        if timeout == 0:
            return False
    start = time.monotonic()
    notice = NOTICE_AFTER if notice_after is None else notice_after
    noticed = False
    pause = 0.002
    while True:
        if cancel is not None and cancel.is_set():
            raise LockAbandoned(path)
        waited = time.monotonic() - start
        if timeout is not None and waited >= timeout:
            raise LockTimeout(path, timeout)
        if not noticed and on_wait is not None and waited >= notice:
            noticed = True
            on_wait()
        if cancel is not None:
            cancel.wait(pause)
        else:
            time.sleep(pause)
        pause = min(pause * 2, _POLL_MAX)
        try:
            fcntl.flock(fd, kind | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            continue


@contextlib.contextmanager
def exclusive(
    fd: int,
    path: Path,
    *,
    timeout: float | None,
    on_wait: Callable[[Path, bool], None] | None = None,
    cancel: threading.Event | None = None,
) -> Iterator[bool]:
    """Hold ``flock(fd, LOCK_EX)`` for the ``with`` block; yields False (not held) if ``timeout``
    is 0 and the lock is busy. ``on_wait(path, True)`` once the wait gets long (see
    :func:`acquire`), then ``on_wait(path, False)`` when it ends, whichever way."""
    noticed = False

    def notice() -> None:
        nonlocal noticed
        noticed = True
        if on_wait is not None:
            on_wait(path, True)

    try:
        got = acquire(fd, fcntl.LOCK_EX, path, timeout=timeout, on_wait=notice if on_wait else None, cancel=cancel)
    finally:
        if noticed and on_wait is not None:
            on_wait(path, False)  # the wait is over, whichever way
    if not got:
        yield False
        return
    try:
        yield True
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
