"""Folding the journal into a new snapshot: when it is worth it, and the file steps.

``Store.compact`` runs the protocol (which steps hold the lock, and what the store then
knows); this module holds the policy and the work on the files:

* :func:`due_at_close` and :data:`COMPACT_JOURNAL_BYTES`: when a compaction is worth its cost.
* :func:`write_snapshot`: the new snapshot into a temp file beside the data (no lock needed).
* :func:`install`: the backup link, the new snapshot and the journal's tail swapped in, in the
  order that leaves a consistent pair of files after a crash at any point.
* :func:`create_empty`: the snapshot of a new database.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kamtui.domain.model import TABLES
from kamtui.store import backups, owned
from kamtui.store.codec import REVIEWS, SUMMARIES, Tables
from kamtui.store.doctext import parsed
from kamtui.store.files import AtomicFile, mode_and_group, sweep_temps
from kamtui.store.queue_cache import ahead as queues_ahead
from kamtui.store.queue_cache import beside as queue_file
from kamtui.store.reading import Signature, signature
from kamtui.store.writing import snapshot_chunks, sorted_ids

# A commit that leaves the journal larger than this compacts (unless the store is in bulk mode).
COMPACT_JOURNAL_BYTES = 8 * 1024 * 1024
# close() compacts only when it is cheap relative to its benefit: the snapshot is small (the
# rewrite is instant), or the journal has grown to a noticeable share of the load time (one
# journal byte costs about as much to replay as one snapshot byte costs to parse). Otherwise
# the journal stays: it is correct, replayed on load, and folded in by a later compaction.
CLOSE_COMPACT_SNAPSHOT_BYTES = 4 * 1024 * 1024
CLOSE_COMPACT_JOURNAL_BYTES = 1024 * 1024
CLOSE_COMPACT_JOURNAL_SHARE = 32  # ... or when the journal is at least 1/32 of the snapshot
# The accounts are summed up for the first screen (codec.REVIEWS) from this many: a smaller file
# is read whole before the first frame anyway (kamtui.cli.tui.EAGER_BYTES, ~350 accounts).
REVIEWS_SUMMED_FROM = 200


def due_at_close(snapshot_bytes: int, journal_bytes: int) -> bool:
    """Whether closing a store should compact (see CLOSE_COMPACT_*)."""
    if journal_bytes == 0:
        return False
    if snapshot_bytes < CLOSE_COMPACT_SNAPSHOT_BYTES:
        return True
    return journal_bytes >= max(CLOSE_COMPACT_JOURNAL_BYTES, snapshot_bytes // CLOSE_COMPACT_JOURNAL_SHARE)


def reserve(path: Path, journal_path: Path) -> AtomicFile:
    """A temp file for the next snapshot of ``path``, with the data file's mode and group, after
    removing the temp files of compactions that died (a snapshot's or a journal's). Caller holds
    the store's lock, so that a sweep (which holds it too) never takes this temp for a dead one
    before it is flocked."""
    sweep_temps(path)
    sweep_temps(journal_path)
    sweep_temps(queue_file(path))  # a queue kept by a session that died while writing it
    sweep_temps(queues_ahead(path))  # ... or by a helper computing the next days' (queue_ahead)
    mode, group = mode_and_group(path) or (0o600, None)
    return AtomicFile(path, mode, group)


def sums_up(data: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether a snapshot of ``data`` holds the summaries of its accounts and of each record's
    account (REVIEWS_SUMMED_FROM accounts and up)."""
    return len(data.get("accounts") or ()) >= REVIEWS_SUMMED_FROM


def write_snapshot(
    tmp: AtomicFile, data: Tables, seq: int, owners: Mapping[str, Mapping[str, Any]] | None = None
) -> None:
    """Serialise ``data`` at ``seq`` into ``tmp`` and fsync it, with the summary of its
    opportunities that `kamtui due` reads instead of them (ranking.pipelines; none when they
    hold anything unusual) and the summary of its accounts that the TUI's first screen of a big
    file reads instead of them (queue.review_rows), and the account of each record `kamtui due`
    reads (kamtui.store.owned; ``owners``: those the caller knows, by table). Needs no lock."""
    from kamtui.domain.queue import review_rows
    from kamtui.store.ranking import pipelines

    summaries: dict[str, object] = {}
    opportunities = _parsed_table(data.get("opportunities"))
    summed = pipelines(opportunities) if opportunities else None  # no table to skip: no summary
    if summed is not None:
        summaries[SUMMARIES["opportunities"]] = summed
    accounts = _parsed_table(data.get("accounts"))
    if accounts and sums_up(data):
        reviews = review_rows(accounts, sorted_ids(accounts))
        if reviews is not None:
            summaries[REVIEWS] = reviews
        owners_summed = owned.summed(data, {t: sorted_ids(data[t]) for t in owned.OWNED if data.get(t)}, owners)
        if owners_summed:
            summaries[owned.OWNERS] = owners_summed
    chunks = snapshot_chunks(data, seq, summaries)
    for chunk in chunks:
        tmp.write(chunk)
    del chunks
    tmp.sync()


class _Parsed(Mapping[str, Any]):
    """A table whose documents may be held as their text (kamtui.store.documents), read as
    objects: each parsed when read, and not kept."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        self._table = table

    def __getitem__(self, key: str) -> Any:
        return parsed(self._table[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


def _parsed_table(table: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """``table`` read as objects (see _Parsed); itself when every document is one already."""
    if table is None or all(type(d) is dict for d in table.values()):
        return table
    return _Parsed(table)


def install(path: Path, journal_path: Path, snapshot: AtomicFile, tail: bytes, snap_seq: int) -> tuple[Signature, int]:
    """Swap in the new ``snapshot`` and a journal holding only ``tail``; the new snapshot's
    signature and the new journal's inode. Caller holds the store's lock.

    The old snapshot (holding edits up to ``snap_seq``) is linked into the backups first. Then
    the snapshot is replaced, then the journal: a crash between the two leaves the new snapshot
    and the full journal, whose lines the snapshot already holds are skipped on load.
    """
    mode, group = mode_and_group(path) or (0o600, None)
    with AtomicFile(journal_path, mode & 0o666 | 0o600, group) as journal:
        journal.write(tail)
        journal.sync()
        backups.keep(path, snap_seq)
        snapshot.commit()
        new_snap = signature(path.stat())
        new_journal = journal.inode()
        journal.commit()
    return new_snap, new_journal


def create_empty(path: Path) -> None:
    """Write the empty database of a new store (every table, seq 0). Caller holds the lock."""
    sweep_temps(path)
    with AtomicFile(path) as tmp:
        for chunk in snapshot_chunks({t: {} for t in TABLES}, 0):
            tmp.write(chunk)
        tmp.commit()
