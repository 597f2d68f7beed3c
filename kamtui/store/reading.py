"""Reading a database from disk without the lock: the snapshot, then the journal that continues it.

Writers append to the journal, and a compaction replaces the snapshot *before* the journal
(both by rename), so a read is consistent unless the snapshot was replaced while it was read:
then the journal read may already be the new one. Hence :func:`read_state` reads the snapshot,
reads the journal, and starts again if the snapshot is no longer the one it read. Readers never
wait for writers, and a reader creates nothing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.domain.model import CHILD_TABLES, TABLES
from kamtui.i18n import _
from kamtui.store import codec, doctext, journal, spots, writing
from kamtui.store.backups import newest_good_backup
from kamtui.store.codec import META_TABLE, SCHEMA_VERSION, Tables
from kamtui.store.errors import CorruptFile, StoreError
from kamtui.store.files import Prefetch, open_nofollow, read_whole, refuse_unsafe

READ_ATTEMPTS = 50  # reads that found the snapshot replaced under them before one gives up

Signature = tuple[int, int, int]


@dataclass(slots=True)
class State:
    """What one lock-free read of snapshot and journal found."""

    data: Tables
    seq: int  # the last edit the state holds
    snap_seq: int  # ... of which the snapshot holds those up to this one
    snap_sig: Signature  # the snapshot read (see signature)
    journal_ino: int | None  # the journal read (None: there was none)
    jpos: int  # the offset just after its last complete line
    jlast: int | None  # the seq of the line that ends there
    unset: dict[str, dict[str, set[str]]]  # see codec.parse_tables
    pipelines: dict[int, float] | None = None  # read from the snapshot's summary (see read_state)
    owners: dict[str, dict[str, Any]] | None = None  # of documents held as views (codec.parse_tables)
    touched: set[int] | None = None  # the accounts the edits after ``touched_after`` concern (read_state)
    source: spots.Source | None = None  # the private copy the child documents are places in


def signature(st: os.stat_result) -> Signature:
    """What tells one version of a file from another: inode, size, modification time."""
    return st.st_ino, st.st_size, st.st_mtime_ns


def moved(path: Path, st: os.stat_result) -> bool:
    """Whether ``path`` is no longer the file ``st`` describes (another process replaced it)."""
    try:
        return signature(os.stat(path)) != signature(st)
    except FileNotFoundError:
        raise StoreError(_("{path} has disappeared (moved or deleted by another program)").format(path=path)) from None


def corrupt(path: Path, reason: str, damaged: Path | None = None) -> CorruptFile:
    """The error for a database ``path`` that cannot be read: the ``damaged`` file (the data file
    itself unless given, e.g. its journal), why, and the newest good backup."""
    return CorruptFile(damaged or path, reason, newest_good_backup(path))


def apply_op(data: Tables, op: Mapping[str, Any], only: frozenset[str] | None) -> None:
    """Apply a journal op to tables being loaded (no index yet); tables outside ``only`` are not held."""
    table = op["t"]
    if only is not None and table not in only:
        return
    tbl = data.setdefault(table, {})
    if op.get("doc") is None:
        tbl.pop(str(op["id"]), None)
    else:
        tbl[str(op["id"])] = op["doc"]


def read_state(
    path: Path,
    journal_path: Path,
    only: frozenset[str] | None = None,
    lazy: Mapping[str, Iterable[str]] | None = None,
    verify: bool = True,
    prefetched: Prefetch | None = None,
    summarised: bool = False,
    views: bool = False,
    touched_after: int | None = None,
    on_disk: bool = False,
) -> State:
    """Snapshot plus journal, read without the file lock (see the module docstring).

    ``only``, ``lazy``, ``verify`` and ``views`` as for :func:`kamtui.store.codec.decode`; the first
    attempt takes the snapshot from ``prefetched`` when it read it. ``summarised``: the
    opportunities are read from the snapshot's summary of them (State.pipelines) when it has
    one and the journal changes none of them; else the table is read. Raises CorruptFile for a
    damaged snapshot or journal (a journal that does not continue its snapshot is damaged),
    StoreError for a file written by a newer kamtui, UnsafePath for a symlink.

    ``touched_after``: the seq of an earlier state of this snapshot; State.touched is then the
    accounts the edits after it concern (kamtui.store.documents.accounts_touched) among the
    tables read, or None if that is unknown (an edit of the settings, or a state the snapshot
    already holds more than).

    ``on_disk``: a whole read of a big file leaves its child documents on disk, in a private
    copy (State.source; see kamtui.store.spots), if it can.
    """
    for _attempt in range(READ_ATTEMPTS):
        got = prefetched.take() if prefetched is not None else None
        prefetched = None
        unset: dict[str, dict[str, set[str]]] = {}
        owners: dict[str, dict[str, Any]] = {t: {} for t in CHILD_TABLES} if views else {}
        # A whole read of a big file leaves the child documents on disk (kamtui.store.spots).
        placed = spots.read_tables(path, owners) if on_disk and got is None and only is None and verify else None
        kept = False
        if placed is not None:
            st, data, source = placed
        else:
            st, raw = got if got is not None else read_whole(path)  # what follows checks either the same way
            try:
                data = codec.decode(raw, only, lazy, unset, verify, summarised, views, owners)
            except ValueError as exc:
                raise corrupt(path, str(exc)) from None
        try:
            skipped = summarised and only is not None and OPPORTUNITIES in only and OPPORTUNITIES not in data
            if not skipped and placed is None:
                del raw  # else kept: the journal may change an opportunity (see _with_opportunities)
            meta = data.get(META_TABLE, {}).get("1", {})
            seq = meta.get("seq", 0)
            if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
                raise corrupt(path, _("_meta.seq is not a number"))
            schema = meta.get("schema", SCHEMA_VERSION)
            if isinstance(schema, int) and schema > SCHEMA_VERSION:
                newer = _("{path} was written by a newer kamtui (schema {schema}); upgrade kamtui")
                raise StoreError(newer.format(path=path, schema=schema))
            for t in TABLES:
                data.setdefault(t, {})
            try:
                found = journal.scan(journal_path, 0, None)
                wanted = journal.continuing(found.entries, seq, None)
            except journal.Damaged as exc:
                if moved(path, st):
                    continue
                raise corrupt(path, str(exc), journal_path) from None
            if moved(path, st):
                continue
            pipelines = None
            if skipped:
                pipelines = summary(meta, wanted)
                if pipelines is None:
                    data[OPPORTUNITIES] = _opportunities(path, raw)
                del raw
            touched: set[int] | None = set() if touched_after is not None and touched_after >= seq else None
            for entry in wanted:
                for op in entry.ops:
                    if touched is not None and entry.seq > touched_after:  # type: ignore[operator]
                        touched = _touched(data, op, only, touched)
                    apply_op(data, op, only)
            if isinstance(meta, dict) and meta.keys() - codec.META_OWN:
                # Its summaries were for this read (~10 MB at 50,000 accounts as objects): a state
                # keeps what _meta says of the snapshot itself.
                data[META_TABLE] = {"1": {k: v for k, v in meta.items() if k in codec.META_OWN}}
            last = found.entries[-1].seq if found.entries else None
            top = wanted[-1].seq if wanted else seq
            state = State(data, top, seq, signature(st), found.ino, found.end, last, unset, pipelines, owners or None)
            state.touched = touched
            state.source = source if placed is not None else None
            kept = True
            return state
        finally:
            if placed is not None and not kept:
                placed[2].close()  # read again, or refused: its copy goes now
    raise StoreError(_("{path} kept being replaced while it was read; try again").format(path=path))


OPPORTUNITIES = "opportunities"


def _touched(data: Tables, op: Mapping[str, Any], only: frozenset[str] | None, touched: set[int]) -> set[int] | None:
    """``touched`` with the accounts the journal op concerns, read before it is applied (None:
    every account). An op of a table not read concerns nothing read from this state."""
    from kamtui.store.documents import accounts_touched

    table = op["t"]
    if only is not None and table not in only:
        return touched
    key = str(op["id"])
    more = accounts_touched(table, key, data.get(table, {}).get(key), op.get("doc"))
    if more is None:
        return None
    touched |= more
    return touched


def summary(meta: Mapping[str, Any], entries: Iterable[journal.Entry]) -> dict[int, float] | None:
    """The snapshot's summary of the opportunities (kamtui.store.ranking.pipelines), by account
    id, when it holds for the state read: None if it is missing or not as kamtui writes it, or
    if the journal after the snapshot changes an opportunity."""
    found = meta.get(codec.SUMMARIES[OPPORTUNITIES])
    if not isinstance(found, dict) or changes_opportunities(entries):
        return None
    # The ids checked at C speed (~46,000 at 50,000 accounts); the int() of each is most of the rest.
    if not (doctext.digit_keys(found) and set(map(type, found.values())) <= {float}):
        return None
    return dict(zip(map(int, found), found.values(), strict=True))


def changes_opportunities(entries: Iterable[journal.Entry]) -> bool:
    """Whether these journal entries change an opportunity (a summary of them no longer holds)."""
    return any(op.get("t") == OPPORTUNITIES for e in entries for op in e.ops)


def _opportunities(path: Path, raw: bytes) -> dict[str, Any]:
    """The opportunities table of a snapshot already read whole once (its CRC checked)."""
    try:
        tables = codec.parse_tables(raw, (OPPORTUNITIES,), verify=False) or codec.parse_snapshot(raw)
    except ValueError as exc:
        raise corrupt(path, str(exc)) from None
    return tables.get(OPPORTUNITIES, {})


# The head of a snapshot as kamtui writes it (writing.snapshot_chunks): its _meta document is the
# third line, whole.
_META_HEAD = b'{\n "_meta": {\n  "1": '
_HEAD_READ = 1 << 18  # bytes per read while looking for the end of that line


def head_meta(path: Path, fields: tuple[str, ...]) -> tuple[Any, os.stat_result] | None:
    """The snapshot's ``_meta`` document read from the head of the file alone, for ``fields``
    alone (doctext.fields_of: ``get`` answers for them; the other summaries, ~2 MB at 50,000
    accounts, are skipped, not built), and the file's status; None if the file does not start
    as kamtui writes it. Reads about as many bytes as ``_meta`` holds, not the file."""
    try:
        refuse_unsafe(path)
        fd = open_nofollow(path, os.O_RDONLY)
    except (OSError, StoreError):
        return None
    try:
        st = os.fstat(fd)
        first = os.read(fd, _HEAD_READ)
        if not first.startswith(_META_HEAD):
            return None
        # Each read searched alone and the line joined once (~3 MB at 50,000 accounts: adding
        # each read to the head and searching it all again copied and scanned it ~12 times).
        chunks, eol = [first], first.find(b"\n", len(_META_HEAD))
        while eol < 0:
            chunk = os.read(fd, _HEAD_READ)
            if not chunk:
                return None
            at = chunk.find(b"\n")
            if at >= 0:
                eol = sum(map(len, chunks)) + at
            chunks.append(chunk)
        head = b"".join(chunks)  # one read: that read itself, not a copy
        meta = doctext.fields_of(memoryview(head)[len(_META_HEAD) : eol], fields)
    except (OSError, ValueError):  # ValueError: not JSON, or not an object
        return None
    finally:
        os.close(fd)
    return meta, st


def review_summary(path: Path) -> list[tuple[int, dict[str, Any]]] | None:
    """The accounts with a cadence as the snapshot sums them up (codec.REVIEWS: enough for the
    reviews due, kamtui.domain.queue.REVIEW_FIELDS), with the edits of the journal after the
    snapshot (each op holds the whole account it writes), by id in the file's order; None if the
    summary is missing or not as kamtui writes it, if the journal writes an account that is not
    an object, or if the file was replaced meanwhile.

    Provisional, as the preview's first stage is (kamtui.report.preview): the CRC that vouches
    for the summary covers the whole file, which the TUI's own read checks and replaces this with.
    """
    from kamtui.domain.queue import REVIEW_FIELDS

    got = head_meta(path, (codec.REVIEWS, "seq", "schema"))
    if got is None:
        return None
    meta, st = got
    rows, seq = meta.get(codec.REVIEWS), meta.get("seq")
    if not isinstance(rows, dict) or type(seq) is not int or meta.get("schema") != SCHEMA_VERSION:
        return None
    try:
        entries = journal.continuing(journal.scan(journal.beside(path), 0, None).entries, seq, None)
        if moved(path, st):
            return None
    except (OSError, ValueError, StoreError):  # journal.Damaged is a ValueError
        return None
    for key, row in rows.items():
        if not (key.isascii() and key.isdigit()) or type(row) is not list or len(row) != len(REVIEW_FIELDS):
            return None
    for op in (op for e in entries for op in e.ops if op.get("t") == "accounts"):
        key, doc = str(op.get("id")), op.get("doc")
        if doc is not None and not isinstance(doc, dict):
            return None
        if doc is not None and doc.get("cadence"):
            rows[key] = [doc.get(f) for f in REVIEW_FIELDS]
        else:  # deleted, or without a cadence now
            rows.pop(key, None)
    if not all(key.isascii() and key.isdigit() for key in rows):
        return None
    return [(int(key), dict(zip(REVIEW_FIELDS, rows[key], strict=True))) for key in writing.sorted_ids(rows)]
