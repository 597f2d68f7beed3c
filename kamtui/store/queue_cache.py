"""Today's queue kept beside the database (``kamtui.json.today``), for the state it was computed from.

Computing the whole queue reads every account, action and stakeholder: about a second at
50,000 accounts, for ``kamtui due`` and for each TUI session that opens the file. The queue
depends on the file's data, the day, the thresholds and the language alone, so a session that
has computed it writes it here, bound to the state of the file it came from, and a later
reader of the very same state on the same day takes it instead of computing it:

- the binding is the snapshot's signature (inode, size, modification time, as
  :attr:`kamtui.store.Store.state_id` has it) and the seq of the last edit the queue holds: a
  reader checks that the snapshot is that file and that the journal continuing it ends at that
  edit. Any later edit (the journal), another snapshot, another day, other thresholds, another
  language or another kamtui, and the file is not used;
- a compaction that folds the journal into a new snapshot holding that very state binds the
  queue to the new snapshot (:func:`rebind`): the data did not change, only its file;
- writers alone write it (a TUI session that may write the database, with the database's mode
  and group, replaced whole); readers (``kamtui due``, Today's preview) only read it.

The file is a cache: a missing, damaged, foreign or stale one is ignored (and never trusted
beyond its binding); nothing is lost by deleting it. Line one is the binding, line two the
queue: its items by account, each account's in :func:`kamtui.store.today.queue_items`' order
(what ranking starts from: :func:`kamtui.store.today.queue_order`), each account's stake, and
the owner of each account with items.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import os
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kamtui import __version__, i18n
from kamtui.domain.queue import KIND_ORDER, QueueItem
from kamtui.domain.stakes import Stake
from kamtui.store import journal
from kamtui.store.doctext import digit_keys
from kamtui.store.errors import StoreError
from kamtui.store.files import AtomicFile, mode_and_group, read_whole, refuse_unsafe
from kamtui.store.reading import moved, signature

if TYPE_CHECKING:
    from kamtui.store.store import Store
    from kamtui.store.today import Seed

FORMAT = 1
#: Files at least this big keep their queue (where Today's preview runs, kamtui.cli.tui.EAGER_BYTES:
#: below it the queue takes a few milliseconds, less than reading it back).
CACHE_ABOVE = 1_000_000  # bytes


def beside(data: Path) -> Path:
    """The queue file of the database file ``data``."""
    return data.with_name(data.name + ".today")


def ahead(data: Path) -> Path:
    """The file of the next days' queues of the database file ``data`` (kamtui.store.queue_ahead)."""
    return data.with_name(data.name + ".ahead")


@dataclass(frozen=True, slots=True)
class Cached:
    """A queue as the file holds it: computed from the state ``state``, for the database as it is
    ``now`` (that state, or a later one of the same snapshot: kamtui.store.today.kept_queue)."""

    state: tuple[int, ...]  # Store.state_id of the state it was computed from
    now: tuple[int, ...]  # ... of the database now: the same, or later edits of the same snapshot
    items: list[QueueItem]  # by account, each account's in queue_items' order
    stakes: dict[int, Stake]
    owners: dict[int, str]  # the owner key of each account with items
    #: Each item's key in Today's order (kamtui.domain.stakes.rank_keyed, by stakes), the items
    #: then carrying their rank's words; None: not ranked (rank them).
    keys: list[tuple[object, ...]] | None = None

    def keyed(self, key: str | None = None) -> list[tuple[tuple[object, ...], QueueItem]] | None:
        """The items (of the owner ``key``'s accounts, if given) beside their keys in Today's
        order (kamtui.domain.stakes.in_rank_order sorts them), None if not ranked."""
        if self.keys is None:
            return None
        pairs = zip(self.keys, self.items, strict=True)
        return [p for p in pairs if key is None or self.owners.get(p[1].account_id) == key]

    def owned(self, key: str) -> list[QueueItem]:
        """The items of the accounts of the owner ``key`` (owner_key), as queue_items gives them
        for that owner."""
        return [it for it in self.items if self.owners.get(it.account_id) == key]


def _header(state: Sequence[int], snap_seq: int, today: dt.date, thresholds: str) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "kamtui": __version__,
        "lang": i18n.locale_name(),
        "snapshot": list(state[:3]),
        "snap_seq": snap_seq,
        "seq": state[3],
        "today": today.isoformat(),
        "thresholds": thresholds,
    }


def _row(it: QueueItem, key: Sequence[object] | None) -> list[Any]:
    due = it.due.isoformat() if it.due is not None else None
    ranked = [] if key is None else [it.ranked, list(key)]
    return [
        it.kind,
        it.account_id,
        it.account,
        it.owner,
        it.title,
        it.detail,
        due,
        it.days_late,
        it.severity,
        it.target_id,
        it.never_contacted,
        *ranked,
    ]


def entry(
    state: Sequence[int],
    snap_seq: int,
    today: dt.date,
    thresholds: str,
    items: Sequence[QueueItem],
    stakes: Mapping[int, Stake],
    owners: Mapping[int, str],
    keys: Sequence[Sequence[object]] | None = None,
) -> bytes:
    """The queue computed from the state ``state`` (Store.state_id; ``snap_seq``: the seq its
    snapshot holds) for ``today`` as the file holds it: its binding, then the queue, a line each.
    ``owners``: the owner of each account that has items (kamtui.domain.owners.owner_key: what
    ``kamtui due --owner`` picks by); ``keys``: each item's key in Today's order (Cached.keys),
    the items carrying their rank's words."""
    import msgspec

    # Into one buffer, a row at a time: the rows of 22,000 items as lists at once, then the body
    # and the entry each copied again, took ~20 MB while Today was drawn; this, ~11.
    encoder = msgspec.json.Encoder()
    buf = bytearray()
    encoder.encode_into(_header(state, snap_seq, today, thresholds), buf, -1)
    buf += b'\n{"items":['
    for n, it in enumerate(items):
        if n:
            buf += b","
        encoder.encode_into(_row(it, None if keys is None else keys[n]), buf, -1)
    buf += b'],"stakes":'
    encoder.encode_into({str(aid): [s.revenue, s.pipeline, s.tier, s.red] for aid, s in stakes.items()}, buf, -1)
    buf += b',"owners":'
    encoder.encode_into({str(aid): key for aid, key in owners.items()}, buf, -1)
    buf += b"}\n"
    return bytes(buf)


def save(
    path: Path,
    state: Sequence[int],
    snap_seq: int,
    today: dt.date,
    thresholds: str,
    items: Sequence[QueueItem],
    stakes: Mapping[int, Stake],
    owners: Mapping[int, str],
    keys: Sequence[Sequence[object]] | None = None,
) -> bool:
    """Keep the queue (see :func:`entry`) beside the database ``path``; False if it could not be
    written (a read-only folder, a full disk: it is only a cache). Never raises OSError or
    StoreError."""
    return _write(beside(path), path, entry(state, snap_seq, today, thresholds, items, stakes, owners, keys))


def _write(target: Path, path: Path, data: bytes) -> bool:
    """Replace ``target`` whole with ``data``, with the mode and group of the database ``path``."""
    try:
        refuse_unsafe(target)
        info = mode_and_group(path)
        mode = (info[0] & 0o666 | 0o600) if info is not None else 0o600
        with AtomicFile(target, mode, info[1] if info is not None else None) as tmp:
            tmp.write(data)
            tmp.commit()
    except (OSError, StoreError):
        return False
    return True


def save_ahead(path: Path, data: bytes) -> bool:
    """Replace the file of the queues computed ahead for the database ``path``
    (kamtui.store.queue_ahead) with ``data``: :func:`entry`-ies, one after the other. False if
    it could not be written; never raises OSError or StoreError."""
    return _write(ahead(path), path, data)


Entry = tuple[dict[str, Any], bytes | memoryview]  # a queue's binding, and the bytes of the queue
Found = tuple[Entry, tuple[int, ...]]  # a kept queue and the state of the database now (see find)


def line(header: Mapping[str, Any], body: bytes | memoryview) -> bytes:
    """An :data:`Entry` as the file holds it (see :func:`entries`)."""
    import msgspec

    return msgspec.json.encode(header) + b"\n" + body + b"\n"


def entries(file: Path) -> list[Entry]:
    """The queues a file holds (line one a binding, line two its queue, and so on), as kamtui
    writes them: none if there is no such file, or from the first pair that is not one."""
    import msgspec

    try:
        _st, raw = read_whole(file)  # a symlink refused, never followed
    except (OSError, StoreError):
        return []
    view = memoryview(raw)  # the queues as views of the bytes read: no copy of a few MB each
    found: list[Entry] = []
    pos = 0
    while (eol := raw.find(b"\n", pos)) >= 0:
        end = raw.find(b"\n", eol + 1)
        try:
            header = msgspec.json.decode(view[pos:eol])
        except (msgspec.DecodeError, RecursionError):  # RecursionError: nested past what msgspec follows
            break
        if not isinstance(header, dict):
            break
        found.append((header, view[eol + 1 : len(raw) if end < 0 else end]))
        if end < 0:
            break
        pos = end + 1
    return found


def _ints(value: Any, n: int) -> bool:
    return type(value) is list and len(value) == n and all(type(v) is int and v >= 0 for v in value)


def _binding_ok(header: Mapping[str, Any], today: dt.date, thresholds: str) -> bool:
    return (
        header.get("format") == FORMAT
        and header.get("kamtui") == __version__
        and header.get("lang") == i18n.locale_name()
        and header.get("today") == today.isoformat()
        and header.get("thresholds") == thresholds
        and _ints(header.get("snapshot"), 3)
        and _ints([header.get("snap_seq"), header.get("seq")], 2)
    )


def current(path: Path, header: Mapping[str, Any]) -> tuple[int, ...] | None:
    """The state of the database at ``path`` now (Store.state_id) if it is the state the binding
    names or a later one of the same snapshot: the snapshot is the file named, and the journal
    continuing it reaches the edit named; else None."""
    try:
        refuse_unsafe(path)
        st = os.stat(path)
        if list(signature(st)) != header["snapshot"]:
            return None
        found = journal.scan(journal.beside(path), 0, None)
        wanted = journal.continuing(found.entries, header["snap_seq"], None)
        top = wanted[-1].seq if wanted else header["snap_seq"]
        if top < header["seq"] or moved(path, st):
            return None
    except (OSError, ValueError, StoreError):  # journal.Damaged is a ValueError
        return None
    return (*signature(st), top)


def bound(
    path: Path, header: Mapping[str, Any], today: dt.date, thresholds: str, *, exact: bool = False
) -> tuple[int, ...] | None:
    """The state of the database ``path`` now (see :func:`current`) if the binding ``header`` is
    for ``today``, ``thresholds`` and the language in force and names that state or, unless
    ``exact``, an earlier one of the same snapshot; else None."""
    if not _binding_ok(header, today, thresholds):
        return None
    now = current(path, header)
    return None if now is None or (exact and now[3] != header["seq"]) else now


def find(path: Path, today: dt.date, thresholds: str) -> Found | None:
    """The queue kept for the database ``path`` for ``today``, ``thresholds`` and the language in
    force, computed from the database as it is now or an earlier state of the same snapshot,
    not yet decoded, with the state of the database now (see :func:`current`): the one a
    session kept for today, else one computed ahead for today (kamtui.store.queue_ahead); None
    if there is none. :func:`holding` and :func:`load` take it rather than read it again."""
    for file in (beside(path), ahead(path)):
        for header, body in entries(file):
            if (now := bound(path, header, today, thresholds)) is not None:
                return (header, body), now
    return None


def holds(path: Path, found: Entry, today: dt.date, thresholds: str, *, exact: bool = False) -> bool:
    """Whether a queue the file holds is one for the database ``path`` (as it is now, or, unless
    ``exact``, an earlier state of the same snapshot), ``today``, ``thresholds`` and the
    language in force, and reads whole: what a reader would take (:func:`load`)."""
    header, body = found
    now = bound(path, header, today, thresholds, exact=exact)
    return now is not None and _queue((*now[:3], header["seq"]), now, body) is not None


def kept_after(path: Path, today: dt.date, thresholds: str) -> int | None:
    """The seq of the state whose queue is kept for the database ``path`` (as :func:`load` would
    take it), by the bindings alone: what a store opened with ``touched_after`` of it tells the
    edits since of (Store.edited_since); None if there is none."""
    found = find(path, today, thresholds)
    return None if found is None else int(found[0][0]["seq"])


def holding(path: Path, today: dt.date, thresholds: str, found: Found | None = None) -> tuple[int, ...] | None:
    """The state (Store.state_id) whose queue is kept for the database ``path`` if it is the
    database as it is now, for ``today``, ``thresholds`` (kamtui.store.today.thresholds_id) and the
    language in force; else None. Reads the binding alone (see :func:`load`), or takes
    ``found``, what :func:`find` found."""
    found = find(path, today, thresholds) if found is None else found
    if found is None:
        return None
    (header, _body), now = found
    return now if now[3] == header["seq"] else None


def load(path: Path, today: dt.date, thresholds: str, found: Found | None = None) -> Cached | None:
    """The queue kept for the database ``path``, for ``today``, ``thresholds``
    (kamtui.store.today.thresholds_id) and the language in force, if it was computed from the
    database as it is now (Cached.now == Cached.state) or from an earlier state of the same
    snapshot (the edits since are in the journal: kamtui.store.today.kept_queue updates the
    accounts they concern); None if there is none, or none that holds (see the module docstring).
    ``found``: what :func:`find` found, not read again."""
    found = find(path, today, thresholds) if found is None else found
    if found is None:
        return None
    (header, body), now = found
    return _queue((*now[:3], header["seq"]), now, body)


def _queue(state: tuple[int, ...], now: tuple[int, ...], body: bytes | memoryview) -> Cached | None:
    import msgspec

    try:
        doc = _body_decoder().decode(body)
        rows = doc.items
        for row in rows:
            if (row.ranked is _UNSET) != (row.key is _UNSET):  # a rank's words without its key, or the reverse
                raise ValueError(row)
        items = [
            QueueItem(
                row.kind,
                row.account_id,
                row.account,
                row.owner,
                row.title,
                row.detail,
                row.due,
                row.days_late,
                row.severity,
                row.target_id,
                row.never_contacted,
                "" if row.ranked is _UNSET else row.ranked,
            )
            for row in rows
        ]
        keys = [row.key for row in rows] if rows and all(row.key is not _UNSET for row in rows) else None
        if not (digit_keys(doc.stakes) and digit_keys(doc.owners)):
            return None
        stakes = dict(zip(map(int, doc.stakes), (Stake(*v) for v in doc.stakes.values()), strict=True))
        owners = dict(zip(map(int, doc.owners), doc.owners.values(), strict=True))
        if any(it.account_id not in owners for it in items):
            return None
    except (msgspec.DecodeError, ValueError, RecursionError):
        return None
    return Cached(state, now, items, stakes, owners, keys)


_decoder: Any = None
_UNSET: Any = None  # msgspec.UNSET, once msgspec is imported


def _body_decoder() -> Any:
    """The decoder of a kept queue (line two of an entry): its rows (as :func:`_row` writes them)
    checked field by field as msgspec decodes them, ~4x quicker than checks of each in Python
    (~22,000 rows at 50,000 accounts). A row carries its rank's words and key (Cached.keys, as
    kamtui.domain.stakes.rank_keyed makes them by stakes) or neither: 11 fields or 13, no null
    for either, nothing after them."""
    global _decoder, _UNSET
    if _decoder is None:
        import msgspec

        _UNSET = msgspec.UNSET
        absent = msgspec.UnsetType

        kinds: Any = Literal.__getitem__(tuple(KIND_ORDER))
        row = msgspec.defstruct(
            "Row",
            [
                ("kind", kinds),
                ("account_id", int),
                ("account", str),
                ("owner", str),
                ("title", str),
                ("detail", str),
                ("due", dt.date | None),
                ("days_late", int),
                ("severity", int),
                ("target_id", int | None),
                ("never_contacted", bool),
                ("ranked", str | absent, msgspec.UNSET),
                ("key", tuple[int, float, int, int, str] | absent, msgspec.UNSET),
            ],
            array_like=True,
            forbid_unknown_fields=True,  # a longer row: not one kamtui wrote
            gc=False,
        )
        fields = [
            ("items", list[row]),  # type: ignore[valid-type]
            ("stakes", dict[str, tuple[float, float, str, str]]),  # revenue, pipeline, tier, red
            ("owners", dict[str, str]),
        ]
        _decoder = msgspec.json.Decoder(msgspec.defstruct("Body", fields, gc=False))
    return _decoder


def rebind(path: Path, old: Sequence[int], new: Sequence[int], seq: int) -> None:
    """After a compaction replaced snapshot ``old`` (its signature) by ``new`` holding the state
    up to edit ``seq``: a queue computed from a state of the old snapshot at or after ``seq`` is
    one of the new snapshot too (the journal past ``seq`` is kept): bind it to the new one. A
    queue of an earlier state is stale for good: dropped. The same for each queue kept ahead.
    Best effort, never raises."""
    for file in (beside(path), ahead(path)):
        found = entries(file)
        kept = []
        for header, body in found:
            if header.get("snapshot") != list(old) or type(header.get("seq")) is not int:
                kept.append((header, body))  # bound to another snapshot: a reader checks it anyway
            elif header["seq"] >= seq:
                kept.append(({**header, "snapshot": list(new), "snap_seq": seq}, body))
        if kept == found:
            continue
        if not kept:
            with contextlib.suppress(OSError):
                os.unlink(file)
            continue
        _write(file, path, b"".join(line(header, body) for header, body in kept))


def entry_of(store: Store, seed: Seed, snap_seq: int) -> bytes | None:
    """The queue of ``seed`` as the file holds it (:func:`entry`), with its accounts' owners (those
    the seed does not know read from ``store``), if the store still holds the state it was
    computed from (else None: no reader would find that state)."""
    from kamtui.store.today import _owner_of

    keyed, known = seed.keyed, seed.owners or {}
    pairs = [pair for aid in sorted(keyed) for pair in keyed[aid]]
    items = [it for _key, it in pairs]
    owners = {}
    for aid in keyed:
        if aid in known:
            owners[aid] = known[aid]
            continue
        doc = store.get("accounts", aid)
        owners[aid] = _owner_of(doc) if doc is not None else ""
    if store.state_id != seed.state:
        return None
    keys = [key for key, _it in pairs]
    return entry(seed.state, snap_seq, seed.today, seed.thresholds, items, seed.stakes, owners, keys)


def _keep(store: Store, seed: Seed, snap_seq: int) -> None:
    data = entry_of(store, seed, snap_seq)
    if data is not None:
        _write(beside(store.path), store.path, data)


def keeper(store: Store) -> Callable[[Seed], None] | None:
    """What keeps each whole queue a session computes (TodayCache's ``keep``) beside ``store``'s
    file, in a thread of its own, or None where nothing is kept: a session that may not write,
    a partial view, or a file small enough to compute its queue at once."""
    if store.read_only or store.only is not None:
        return None
    try:
        if os.stat(store.path).st_size < CACHE_ABOVE:
            return None
    except OSError:
        return None

    def keep(seed: Seed) -> None:
        snap_seq = store.snap_seq  # before state_id: equal ids after it, and it is this snapshot's
        if store.state_id != seed.state:
            return  # the store moved on: this queue is of a state no reader will find
        # The cache goes on changing its dict of lists; the lists are replaced, never changed.
        frozen = dataclasses.replace(seed, keyed=dict(seed.keyed))
        threading.Thread(
            target=_keep,
            args=(store, frozen, snap_seq),
            name="kamtui-keep-queue",
            daemon=True,
        ).start()

    return keep
