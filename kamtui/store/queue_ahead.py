"""The next days' queues, computed ahead (``kamtui.json.ahead``), for the first open of a day.

A queue kept beside the database (:mod:`kamtui.store.queue_cache`) serves the state it was
computed from on the day it was computed for. The first session of a day, and ``kamtui due``
before it, still computed the whole queue: about two seconds at 50,000 accounts, every
morning. So once a session that may write has its own queue, it starts a helper process
(niced, on the other core, after the session's own start is done) that computes the queues
of the next :data:`DAYS` days from the file as it is then, and keeps them in
``kamtui.json.ahead``, each bound like the queue of today (the snapshot, the seq of the last
edit it holds, the day, the thresholds, the language, kamtui's version). The next morning the
queue of that day is there: the edits made since it was computed are in the journal, and only
the accounts they concern are computed again (:func:`kamtui.store.today.kept_queue`), as for a
queue kept earlier the same day. Three days: the Monday after a Friday.

One helper at a time per file: the session takes a non-blocking ``flock`` on the file of the
queues ahead (created empty, with the database's mode and group, if missing) and hands it to
the helper, which holds it until it exits; a session that cannot take it starts none. The
helper keeps the queues it finds for those days that still hold (same snapshot, same binding),
computes the others, writes them all at once, replaced whole, and says nothing: it is a cache.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import gc
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kamtui.store import queue_cache
from kamtui.store.errors import StoreError
from kamtui.store.files import open_beside

if TYPE_CHECKING:
    from kamtui.store.store import Store

#: How many days ahead of today the helper computes.
DAYS = 3
#: The helper's niceness: it never competes with the sessions it serves.
NICE = 10


def days(today: dt.date) -> list[dt.date]:
    """The days computed ahead of ``today`` (none past the last date there is)."""
    room = dt.date.max.toordinal() - today.toordinal()
    return [today + dt.timedelta(days=n) for n in range(1, min(DAYS, room) + 1)]


def start(store: Store, today: dt.date, *, fresh: bool = False) -> subprocess.Popen[bytes] | None:
    """Start the helper for ``store``'s file and ``today`` in the language in force, unless the
    session may not write (a read-only session, a view), the file is small enough to compute its
    queue at once (queue_cache.CACHE_ABOVE), every day ahead is held (see :func:`wanted`), or
    another helper holds the file of the queues ahead. The helper, or None. Never raises
    OSError or StoreError. ``fresh``: as a session leaves, the days not held for the file as
    it is exactly (the session's edits made the others stale), in a session of its own (the
    terminal may close as soon as the session has)."""
    from kamtui.i18n import locale_name

    path = store.path
    if store.read_only or store.only is not None:
        return None
    try:
        if os.stat(path).st_size < queue_cache.CACHE_ABOVE or not wanted(path, today, fresh=fresh):
            return None
        fd = open_beside(queue_cache.ahead(path), os.O_RDONLY, path)
    except (OSError, StoreError, ValueError):  # ValueError: a settings file that does not read
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return subprocess.Popen(  # the flock is the helper's from now on: it holds fd until it exits
            [
                sys.executable,
                "-m",
                "kamtui.store.queue_ahead",
                str(path),
                today.isoformat(),
                locale_name(),
                *(["fresh"] if fresh else []),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(fd,),
            start_new_session=fresh,
        )
    except OSError:  # another helper holds it (BlockingIOError), or none could start
        return None
    finally:
        os.close(fd)


def wanted(path: Path, today: dt.date, *, fresh: bool = False) -> bool:
    """Whether a day ahead of ``today`` has no queue bound to the database as it is (or, unless
    ``fresh``, an earlier state of its snapshot), by the bindings alone: what the session looks
    at before it starts a helper (which reads the queues too: see :func:`fill`)."""
    from kamtui.store.config import load_thresholds
    from kamtui.store.today import thresholds_id

    tid = thresholds_id(load_thresholds())
    found = queue_cache.entries(queue_cache.ahead(path))
    return not all(
        any(queue_cache.bound(path, h, day, tid, exact=fresh) is not None for h, _b in found) for day in days(today)
    )


def fill(path: Path, today: dt.date, *, fresh: bool = False) -> list[dt.date]:
    """Compute and keep the queues of the days ahead of ``today`` that the file of the queues
    ahead does not hold for the database as it is (or, unless ``fresh``, an earlier state of its
    snapshot); the days computed. Raises StoreError if the database cannot be read."""
    from kamtui.store.config import load_thresholds
    from kamtui.store.today import thresholds_id

    thresholds = load_thresholds()
    tid = thresholds_id(thresholds)
    held: dict[dt.date, queue_cache.Entry] = {}
    entries = queue_cache.entries(queue_cache.ahead(path))
    for day in [today, *days(today)]:  # today's too: a session that took it from here keeps no other
        for found in entries:
            if queue_cache.holds(path, found, day, tid, exact=fresh and day != today):
                held[day] = found
                break
    missing = [day for day in days(today) if day not in held]
    if not missing:
        return []
    from kamtui.store.portfolio import LenientPortfolio
    from kamtui.store.ranking import account_stakes
    from kamtui.store.today import Seed, queue_items
    from kamtui.store.views import due_view

    store = due_view(path)
    try:
        snap_seq, state = store.snap_seq, store.state_id
        portfolio = LenientPortfolio(store, lambda: today)
        lines: dict[dt.date, bytes] = {day: queue_cache.line(*entry) for day, entry in held.items()}
        for day in missing:
            items = queue_items(portfolio, day, thresholds=thresholds)
            seed = Seed.of(state, day, thresholds, items, account_stakes(portfolio, items))
            made = queue_cache.entry_of(store, seed, snap_seq)
            if made is None:  # cannot be: a view does not move on
                return []
            lines[day] = made
    finally:
        store.close(compact=False)
    queue_cache.save_ahead(path, b"".join(lines[day] for day in sorted(lines)))
    return missing


def main(argv: list[str] | None = None) -> int:
    """``python -m kamtui.store.queue_ahead PATH YYYY-MM-DD LOCALE [fresh]``: the helper (see the
    module docstring and :func:`fill`). Started by :func:`start`, it holds the flock on the file
    of the queues ahead (an inherited descriptor) until it exits."""
    args = sys.argv[1:] if argv is None else argv
    with contextlib.suppress(OSError):
        os.nice(NICE)
    gc.disable()  # short-lived, and nothing it builds is garbage until it exits
    try:
        path, today = Path(args[0]), dt.date.fromisoformat(args[1])
        from kamtui import i18n

        i18n.set_language(*(i18n.parse(args[2]) or (i18n.DEFAULT, None)))
        fill(path, today, fresh=args[3:4] == ["fresh"])
    except Exception:  # noqa: BLE001 - a cache: the next session computes what this could not
        return 2
    finally:
        gc.enable()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
