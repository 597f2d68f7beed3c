"""Today's queue computed in a helper process while the TUI starts (big files only).

The TUI's own process must read the whole file before anything can be edited: seconds at
50,000 accounts, and it shares one interpreter lock with the screen. This process starts
before the TUI imports Textual, runs on another core, reads only what Today needs and writes
one JSON line per stage to stdout:

1. ``reviews``: the reviews due, from the accounts table alone (a fraction of the file);
2. ``queue``: the whole queue as Today computes it (damaged documents left out, as the screens
   read them), not ranked, with each account's stake and the state of the file it was read
   from (:attr:`kamtui.store.Store.state_id`).

Where a queue is kept beside the database for this day (:mod:`kamtui.store.queue_cache`, by a
session today or computed ahead): for the file as it is, the queue stage says so and the TUI
reads it from there; for an earlier state of the same snapshot, there is no queue stage: the
TUI's own read tells the edits since, and Today computes those accounts alone the moment the
file is read (:class:`kamtui.store.today.TodayCache`'s ``kept``).

The TUI reads the first stage itself when the head of the file sums up the reviews due
(:class:`SummedFirst`: no process to start first), and tells this process not to give it.

The TUI shows each stage as it arrives, marked as still loading. Once it has read the file
itself, a queue computed from the very state it holds is kept as its own
(:meth:`kamtui.store.today.TodayCache.offer`: seconds of work not done twice at 50,000
accounts); any other is replaced by its own computation. The process writes nothing to the
data file (read-only views) and says nothing on failure: the TUI's own read reports what is
wrong with a file (so it skips the CRC check of the tables it does not read, which ``kamtui
due`` makes).
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import subprocess
import sys
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NamedTuple

# The TUI starts the helper before anything else it imports: what the stages are made of is
# imported where they are made (~60 ms that would otherwise come before the process starts).
if TYPE_CHECKING:
    from kamtui.domain.queue import QueueItem
    from kamtui.domain.stakes import Stake

STAGES = ("reviews", "queue")


class Stage(NamedTuple):
    """One stage as the helper wrote it."""

    name: str  # one of STAGES
    items: list[QueueItem]  # reviews: as shown; queue: not ranked yet (queue_items' order)
    stakes: dict[int, Stake] | None = None  # queue: each account's stake
    state: tuple[int, ...] = ()  # queue: the state of the file it was computed from
    thresholds: str = ""  # queue: kamtui.store.today.thresholds_id of those it was computed with
    kept: bool = False  # queue: read from the queue kept beside the database (kamtui.store.queue_cache)
    keys: list[tuple[object, ...]] | None = None  # kept: each item's key in Today's order (Cached.keys)


def items_from_json(docs: Iterable[dict[str, Any]]) -> list[QueueItem]:
    """:func:`item_from_json` of each (the domain imported once, not once an item)."""
    from kamtui.domain.queue import QueueItem

    return [_item(QueueItem, d) for d in docs]


def item_from_json(d: dict[str, Any]) -> QueueItem:
    """The inverse of :meth:`QueueItem.to_json`."""
    from kamtui.domain.queue import QueueItem

    return _item(QueueItem, d)


def _item(make: type[QueueItem], d: dict[str, Any]) -> QueueItem:
    due = d.get("due")
    target = d.get("target_id")
    return make(
        kind=str(d["kind"]),
        account_id=int(d["account_id"]),
        account=str(d["account"]),
        owner=str(d["owner"]),
        title=str(d["title"]),
        detail=str(d["detail"]),
        due=dt.date.fromisoformat(due) if due else None,
        days_late=int(d["days_late"]),
        severity=int(d["severity"]),
        target_id=int(target) if target is not None else None,
        never_contacted=bool(d.get("never_contacted", False)),
        ranked=str(d.get("ranked", "")),
    )


def _reviews(accounts: Iterable[tuple[int, Any]], today: dt.date) -> Stage:
    """The reviews due of ``accounts`` (id, document or summary row) as the first stage."""
    from kamtui.domain.queue import build_queue

    return Stage("reviews", build_queue(accounts, (), (), today, kinds=frozenset({"review"})))


def summed_reviews(path: Path, today: dt.date) -> Stage | None:
    """The reviews due as the head of the file sums them up (kamtui.store.reading.review_summary:
    ~45 ms at 50,000 accounts); None if it does not."""
    from kamtui.store.reading import review_summary

    summed = review_summary(path)
    return None if summed is None else _reviews(summed, today)


def compute(path: Path, today: dt.date, shown: bool = False) -> Iterator[Stage]:
    """The stages, in order (what the helper process writes). ``shown``: the TUI shows the reviews
    due the head of the file sums up itself (:class:`SummedFirst`), so they are no stage here."""
    from kamtui.store import queue_cache
    from kamtui.store.config import load_thresholds
    from kamtui.store.files import Prefetch
    from kamtui.store.reading import review_summary
    from kamtui.store.today import thresholds_id

    # The queue a session kept for the file as it is now, for today: all there is to do but the
    # reviews due first, when the head of the file sums them up (the first frame is drawn before
    # the TUI has read the 22,000 items of a 50,000-account queue and made its lines).
    thresholds = load_thresholds()
    holding = queue_cache.holding(path, today, thresholds_id(thresholds))
    if holding is not None:
        first = None if shown else summed_reviews(path, today)
        if first is not None:
            yield first
        yield Stage("queue", [], {}, holding, thresholds_id(thresholds), kept=True)  # items: read_stages
        return
    # One kept for an earlier state of this snapshot: the TUI's own read tells the edits since, and
    # Today brings it up to date the moment the file is read (TodayCache's ``kept``): the reviews
    # due are all there is to show before, when the head of the file sums them up.
    # (Where the TUI shows them itself, whether the file sums them up is all that is read here.)
    if queue_cache.kept_after(path, today, thresholds_id(thresholds)) is not None:
        summed = review_summary(path)
        if summed is not None:
            if not shown:
                yield _reviews(summed, today)
            return
    # The file is read while the modules below are imported, once for both views.
    prefetch = Prefetch(path, keep=True)
    from kamtui.store.portfolio import LenientPortfolio
    from kamtui.store.ranking import account_stakes
    from kamtui.store.today import queue_items
    from kamtui.store.views import due_view, reviews_view

    # Provisional: the TUI's whole read replaces this and is the one verdict on a damaged file,
    # so the snapshot's CRC (~12 ms per 10,000 accounts) is not checked for the reviews due. The
    # snapshot's summary of the accounts is read from the head of the file (~1 MB at 50,000
    # accounts) while the whole file is read for the queue; else the accounts table, which
    # waits for that read.
    summed = review_summary(path)
    if summed is not None:
        if not shown:
            yield _reviews(summed, today)
    else:
        store = reviews_view(path, verify=False, prefetched=prefetch)
        try:
            accounts = list(store.all_set("accounts", "cadence"))
            yield _reviews(accounts, today)
        finally:
            store.close(compact=False)
        del accounts, store
    del summed
    # The whole queue may be kept by the TUI as its own (TodayCache.offer): read as `kamtui due`
    # reads, the CRC vouching for what the view skips and for where it found the tables.
    store = due_view(path, prefetched=prefetch)
    del prefetch  # the bytes are dropped with the view's read
    try:
        portfolio = LenientPortfolio(store, lambda: today)
        items = queue_items(portfolio, today, thresholds=thresholds)
        yield Stage("queue", items, account_stakes(portfolio, items), store.state_id, thresholds_id(thresholds))
    finally:
        store.close(compact=False)


def main(argv: list[str] | None = None) -> int:
    """``python -m kamtui.report.preview PATH YYYY-MM-DD [LOCALE [shown]]``: one JSON line per
    stage on stdout, its words in the TUI's language (LOCALE: i18n.locale_name, ``es_MX``;
    English if none); ``shown``: see :func:`compute`."""
    args = sys.argv[1:] if argv is None else argv
    gc.disable()  # short-lived, and nothing it builds is garbage until it exits
    try:
        path, today = Path(args[0]), dt.date.fromisoformat(args[1])
        if len(args) > 2:
            from kamtui import i18n

            i18n.set_language(*(i18n.parse(args[2]) or (i18n.DEFAULT, None)))
        for stage in compute(path, today, shown=args[3:4] == ["shown"]):
            doc: dict[str, Any] = {"stage": stage.name}
            if stage.kept:  # the TUI reads the items from where they are kept (read_stages)
                doc |= {"kept": True, "state": stage.state, "thresholds": stage.thresholds}
            else:
                doc["items"] = [it.to_json() for it in stage.items]
            if stage.stakes is not None and not stage.kept:  # the whole queue, computed here
                doc["stakes"] = {aid: [s.revenue, s.pipeline, s.tier, s.red] for aid, s in stage.stakes.items()}
                doc |= {"state": stage.state, "thresholds": stage.thresholds}
            line = json.dumps(doc, ensure_ascii=True)
            sys.stdout.write(line + "\n")
            sys.stdout.flush()
    except BrokenPipeError:
        return 0  # the TUI no longer needs it
    except Exception:  # noqa: BLE001 - the TUI's own read of the file reports every problem
        return 2
    return 0


class PreviewProcess:
    """The helper process, started at once; iterate for its stages; ``stop()`` ends it early."""

    def __init__(self, path: Path, today: dt.date, *, shown: bool = False) -> None:
        from kamtui.i18n import locale_name

        self.path, self.today = path, today
        self.proc = subprocess.Popen(  # in the language in force: the items' words are the TUI's
            [
                sys.executable,
                "-m",
                "kamtui.report.preview",
                str(path),
                today.isoformat(),
                locale_name(),
                *(["shown"] if shown else []),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )

    def __iter__(self) -> Iterator[Stage]:
        """Blocks between stages; ends when the process does (or is stopped)."""
        stdout = self.proc.stdout
        if stdout is None:
            return
        try:
            yield from read_stages(stdout, self.path, self.today)
        finally:
            stdout.close()
            self.stop()

    def stop(self) -> None:
        """Kill the process if it still runs (its reader then sees the end of its output), and reap it."""
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()


class SummedFirst:
    """The stages of a big file's first screen: the reviews due the head of the file sums up,
    read here on a thread started first (~45 ms at 50,000 accounts, while the TUI imports
    Textual), then the helper process's (:class:`PreviewProcess`, told not to give those). The
    first screen needs neither a process started nor its imports: 0.03-0.15 s sooner at 50,000
    side by side (above 64 MB only: see kamtui.cli.tui.SUMMED_HERE_ABOVE).
    Where the file sums up nothing, the helper gives the reviews due too, from the accounts."""

    def __init__(self, path: Path, today: dt.date) -> None:
        self._stage: Stage | None = None
        self._thread = threading.Thread(target=self._sum, args=(path, today), name="kamtui-summary", daemon=True)
        self._thread.start()
        try:
            self._helper: PreviewProcess | None = PreviewProcess(path, today, shown=True)
        except OSError:  # no process can start: the reviews due, then the TUI's own read
            self._helper = None

    def _sum(self, path: Path, today: dt.date) -> None:
        try:
            self._stage = summed_reviews(path, today)
        except Exception:  # noqa: BLE001 - provisional, as the helper's: the TUI's own read reports
            self._stage = None

    def __iter__(self) -> Iterator[Stage]:
        """The reviews due (if summed up), then the helper's stages as they come."""
        self._thread.join()
        if self._stage is not None:
            yield self._stage
        if self._helper is not None:
            yield from self._helper

    def stop(self) -> None:
        if self._helper is not None:
            self._helper.stop()


def read_stages(stream: IO[bytes], path: Path | None = None, today: dt.date | None = None) -> Iterator[Stage]:
    """Parse the helper's lines; stop at the first one that is not a well-formed stage. A queue
    the helper found kept beside the database ``path`` is read from there (for ``today``): the
    stages end if it no longer holds."""
    for raw in stream:
        try:
            doc = json.loads(raw)
            name = doc["stage"]
            if name == "queue" and doc.get("kept") is True:
                stage = _kept(path, today, tuple(int(n) for n in doc["state"]), str(doc["thresholds"]))
                if stage is None:
                    return
                yield stage
                continue
            items = items_from_json(doc["items"])
            if name == "queue":
                stakes = _stakes(doc)
                state = tuple(int(n) for n in doc["state"])
                stage = Stage(name, items, stakes, state, str(doc["thresholds"]))
            else:
                stage = Stage(name, items)
        except (ValueError, KeyError, TypeError):
            return
        if name not in STAGES:
            return
        yield stage


def _stakes(doc: dict[str, Any]) -> dict[int, Stake]:
    from kamtui.domain.stakes import Stake

    return {int(k): Stake(float(r), float(p), str(t), str(red)) for k, (r, p, t, red) in doc["stakes"].items()}


def _kept(path: Path | None, today: dt.date | None, state: tuple[int, ...], thresholds: str) -> Stage | None:
    """The queue kept beside ``path`` as a stage, if it is still the one of ``state``."""
    if path is None or today is None:
        return None
    from kamtui.store import queue_cache

    kept = queue_cache.load(path, today, thresholds)
    if kept is None or kept.state != state:
        return None
    return Stage("queue", kept.items, kept.stakes, kept.state, thresholds, kept=True, keys=kept.keys)


if __name__ == "__main__":
    raise SystemExit(main())
