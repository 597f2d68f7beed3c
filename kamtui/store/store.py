"""A crash-safe, multi-process store over one TinyDB JSON file.

Layout on disk, for a data file ``kamtui.json``::

    kamtui.json            the snapshot: a plain TinyDB database, one document per line, sorted
    kamtui.json.journal    JSON lines, one transaction per line, appended and fsynced
    kamtui.json.lock       flock target; never deleted, never the data file itself
    kamtui.json.backups/   hard links to earlier snapshots, newest N kept

An edit takes the exclusive flock, applies journal lines other processes appended since we
last looked, resolves conflicts (see :meth:`Store.commit`), appends one line, fsyncs and
releases: its cost does not depend on the size of the database. Compaction (see
:meth:`Store.compact`) writes a new snapshot to a temp file beside the data *without* holding
the lock, then, under the lock, ``os.replace``-s it into place, fsyncs the directory and
replaces the journal with the lines other writers appended meanwhile. Loading parses the
snapshot and replays the journal, skipping lines the snapshot already holds and ignoring a
torn last line.

TinyDB stays the document API over the in-memory state (:attr:`Store.tinydb`, read-only).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import gc
import getpass
import json
import os
import re
import stat
import threading
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from kamtui.store import journal
from kamtui.store.errors import (
    ConflictError,
    CorruptFile,
    DiskError,
    ReadOnlyStore,
    StoreError,
    UnsafePath,
    UnstorableValue,
)
from kamtui.store.locking import LockAbandoned, lock_timeout_from_env
from kamtui.store.locking import acquire as acquire_lock
from kamtui.store.schema import admit, normal

SCHEMA_VERSION = 1
META_TABLE = "_meta"
META_FIELDS = frozenset({"rev", "updated_at", "updated_by"})
KNOWN_TABLES = (
    "accounts",
    "stakeholders",
    "objectives",
    "actions",
    "reviews",
    "interactions",
    "opportunities",
)
BACKUPS_KEPT = 10
# A commit that leaves the journal larger than this compacts (unless the store is in bulk mode).
COMPACT_JOURNAL_BYTES = 8 * 1024 * 1024
# close() compacts only when it is cheap relative to its benefit: the snapshot is small (the
# rewrite is instant), or the journal has grown to a noticeable share of the load time (one
# journal byte costs about as much to replay as one snapshot byte costs to parse). Otherwise
# the journal stays: it is correct, replayed on load, and folded in by a later compaction.
CLOSE_COMPACT_SNAPSHOT_BYTES = 4 * 1024 * 1024
CLOSE_COMPACT_JOURNAL_BYTES = 1024 * 1024
CLOSE_COMPACT_JOURNAL_SHARE = 32  # ... or when the journal is at least 1/32 of the snapshot

Tables = dict[str, dict[str, dict[str, Any]]]
Change = tuple[str, int]


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises various errors without a passwd entry
        return os.environ.get("USER", "") or "unknown"


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(slots=True)
class Op:
    """One change in a transaction."""

    kind: Literal["insert", "update", "delete"]
    table: str
    id: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    seen: Mapping[str, Any] | None = None


def _dumps_line(obj: Any) -> bytes:
    try:
        return (json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n").encode()
    except (TypeError, ValueError) as exc:
        raise UnstorableValue(f"value cannot be stored as JSON: {exc}") from exc
    except UnicodeEncodeError as exc:
        raise UnstorableValue("value holds a character JSON cannot store (lone surrogate)") from exc


def _valid_id(doc_id: Any) -> bool:
    return isinstance(doc_id, int) and not isinstance(doc_id, bool) and doc_id > 0


def _table_ok(table: dict[str, Any]) -> bool:
    """Every document an object and every id ASCII digits, checked at C speed (no Python loop)."""
    if not table:
        return True
    ids = "".join(table)
    return ids.isascii() and ids.isdigit() and "" not in table and set(map(type, table.values())) == {dict}


def _check_layout(data: Any) -> str | None:
    """Why ``data`` is not a TinyDB database, or None if it is one."""
    if not isinstance(data, dict):
        return f"not a TinyDB database: the top level is a {type(data).__name__}, not an object"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"not a TinyDB database: table {name!r} is a {type(table).__name__}, not an object"
        if _table_ok(table):
            continue
        for key, doc in table.items():
            if not isinstance(doc, dict):
                return f"not a TinyDB database: document {name}/{key} is not an object"
            if not (key.isascii() and key.isdigit()):
                return f"not a TinyDB database: document id {name}/{key!r} is not a number"
    return None


def parse_snapshot(raw: bytes) -> Tables:
    """Parse snapshot bytes, raising ValueError with a readable reason."""
    if not raw:
        raise ValueError("the file is empty (0 bytes)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(f"not valid UTF-8 (byte {exc.start})") from exc
    # JSON holds no reference cycles, so the cyclic GC has nothing to find among the millions of
    # containers json.loads creates; pausing it makes a 50,000-account file parse ~40% faster.
    paused = gc.isenabled()
    gc.disable()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            where = f"line {exc.lineno}, column {exc.colno}"
            raise ValueError(f"trailing garbage after the JSON document ({where})") from exc
        raise ValueError(f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    finally:
        if paused:
            gc.enable()
    reason = _check_layout(data)
    if reason:
        raise ValueError(reason)
    return data  # type: ignore[no-any-return]


_TABLE_LINE = re.compile(rb'^ "([^"\\\n]*)": \{(\},?)?$', re.M)


# Canonical JSON (kamtui's encoder, ensure_ascii=False) escapes only control characters; an escaped
# printable ASCII character could spell a key ("\\u0063adence"), which the lazy hints cannot see.
_ESCAPED_ASCII = re.compile(rb"\\u00[2-7]")


def _unparsed(doc: object) -> bool:
    """A lazy table's document still held as its JSON text (see :func:`parse_tables`)."""
    return type(doc) is bytes


def _surely_unset(doc: bytes, token: bytes) -> bool:
    """Whether the document's JSON text certainly has the field (``token`` is its quoted name) null,
    "" or absent at the top level, by looking at the text alone.

    Sound for any JSON object text without escaped ASCII: a key equal to the name can only be
    written as ``token``; a quote inside a string is escaped, so ``token`` followed by ``:`` is a
    key. Exactly one occurrence, followed by ``: null`` or ``: ""`` and the end of the value: either
    it is the field (null or "") or the field is absent. Anything else answers False.
    """
    i = doc.find(token)
    if i < 0 or doc.find(token, i + 1) >= 0:
        return False
    value = doc[i + len(token) : i + len(token) + 7]
    return value in (b": null,", b": null}") or value[:5] in (b': "",', b': ""}')


def _lazy_table(body: bytes, fields: Iterable[str]) -> tuple[dict[str, Any], dict[str, set[str]]] | None:
    """A table's documents as id -> JSON bytes, unparsed, and for each of ``fields`` the ids whose
    value is certainly null or "" (see :func:`_surely_unset`); None if a line is unexpected."""
    if body == b"{}":
        return {}, {f: set() for f in fields}
    lines = body.split(b"\n")
    if len(lines) < 3 or lines[0] != b"{" or lines[-1] != b" }" or _ESCAPED_ASCII.search(body):
        return None
    parts = [line.partition(b'": ') for line in lines[1:-1]]
    keys = [p[0][3:] for p in parts]
    if not all(p[0][:3] == b'  "' and p[2][:1] == b"{" for p in parts):
        return None
    if b"" in keys or not b"".join(keys).isdigit():
        return None
    docs = dict(zip([k.decode() for k in keys], [p[2] for p in parts], strict=True))
    unset = {}
    for field_name in fields:
        token = f'"{field_name}"'.encode()
        unset[field_name] = {k for k, d in docs.items() if _surely_unset(d, token)}
    return docs, unset


PIECES_ABOVE = 4_000_000  # bytes: smaller files parse in one call (a few ms at most)
CHUNK_BYTES = 512 * 1024  # per json.loads call when a table is parsed in pieces (~5 ms each)


def _parse_table(body: bytes) -> dict[str, Any] | None:
    """A table's text (``{``, one document per line, `` }``) parsed a few thousand lines at a time.

    One json.loads over a 40 MB table holds the interpreter lock for half a second: a TUI loading
    the file in a thread could not draw a frame meanwhile. In pieces of about CHUNK_BYTES, cut
    at line ends (no list of lines: that would hold the table twice), the lock changes hands
    between calls. None (the caller parses the whole file) unless every line is one document.
    """
    if not body.startswith(b"{\n") or not body.endswith(b"\n }"):
        return None
    out: dict[str, Any] = {}
    lines = 0
    start, stop = 2, len(body) - 3  # the documents: after "{\n", before "\n }"
    while start < stop:
        end = body.find(b"\n", min(start + CHUNK_BYTES, stop), stop)
        end = stop if end < 0 else end
        piece = body[start:end]
        lines += piece.count(b"\n") + 1
        if piece.endswith(b","):
            piece = piece[:-1]
        part = json.loads("{" + piece.decode("utf-8") + "}")
        if not isinstance(part, dict):
            return None
        out.update(part)
        start = end + 1
    # A document over several lines would have made a piece invalid JSON, or changed the count.
    return out if len(out) == lines else None


def parse_tables(
    raw: bytes,
    wanted: Iterable[str] | None,
    lazy: Mapping[str, Iterable[str]] | None = None,
    unset: dict[str, dict[str, set[str]]] | None = None,
) -> Tables | None:
    """Parse only ``wanted`` tables (None: all, in pieces) of a snapshot in kamtui's own layout;
    None if unsure.

    The layout written by :func:`_snapshot_bytes` puts each table's header on a line of its own
    (`` "name": {``) and each document on one line, so a table is the text between two header
    lines. Only the wanted tables are decoded and parsed (UTF-8 never holds an ASCII byte inside
    a multi-byte character, so the headers can be found in the raw bytes). Anything unexpected
    (another writer's layout, a truncated or padded file, bad UTF-8 or JSON in a wanted table)
    returns None and the caller parses the whole file, which also reports what is wrong with it.

    Tables named in ``lazy`` map ids to the documents' JSON *bytes*, parsed only when read
    (:meth:`Store.get`); ``unset[table][field]`` receives the ids whose ``field`` (one of
    ``lazy[table]``) is certainly null or "", so that a reader can skip them unparsed. Their
    JSON is checked only when parsed: a damaged document in a lazy table is reported when read.
    """
    lazy = lazy or {}
    if not raw.startswith(b"{\n") or not raw.endswith(b"\n}\n"):
        return None
    heads = []
    pos = 0
    while True:  # table headers are the only lines that start with one space and a quote
        pos = raw.find(b'\n "', pos)
        if pos < 0:
            break
        eol = raw.find(b"\n", pos + 1)
        m = _TABLE_LINE.match(raw, pos + 1, eol if eol >= 0 else len(raw))
        if m is None:
            return None
        heads.append(m)
        pos = pos + 1
    if not heads or heads[0].start() != 2:
        return None
    want = None if wanted is None else set(wanted) | {META_TABLE}
    out: Tables = {}
    paused = gc.isenabled()
    gc.disable()
    try:
        for n, m in enumerate(heads):
            end = heads[n + 1].start() if n + 1 < len(heads) else len(raw) - 2
            name = m.group(1).decode("utf-8")
            if want is not None and name not in want and not m.group(2):
                # not wanted: check how it ends without copying it (tens of MB at 50,000 accounts)
                tail = raw[max(m.end() - 1, end - 16) : end].rstrip()
                if not tail.endswith((b"}", b"},")):
                    return None
                continue
            body = b"{}" if m.group(2) else raw[m.end() - 1 : end].rstrip()
            if body.endswith(b","):
                body = body[:-1]
            if not body.endswith(b"}"):
                return None
            if want is None:  # every table, in pieces (see _parse_table)
                whole = {} if body == b"{}" else _parse_table(body)
                if whole is None:
                    return None
                out[name] = whole
                continue
            if name in want and name in lazy:
                found = _lazy_table(body, lazy[name])
                if found is not None:
                    out[name] = found[0]
                    if unset is not None:
                        unset[name] = found[1]
                    continue
            if name in want:
                table = json.loads(body.decode("utf-8"))
                if not isinstance(table, dict):
                    return None
                out[name] = table
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    finally:
        if paused:
            gc.enable()
    if _check_layout({t: d for t, d in out.items() if unset is None or t not in unset}) is not None:
        return None
    if want is not None and not _intact(raw, heads, out):
        return None  # something was skipped unchecked: only the whole parse can vouch for it
    return out


def _intact(raw: bytes, heads: list[re.Match[bytes]], tables: Tables) -> bool:
    """Whether the bytes after the leading ``_meta`` table have the CRC-32 it records (see
    :func:`snapshot_chunks`): the file is exactly as kamtui wrote it, valid JSON throughout,
    including the tables and documents a partial read skipped. A few ms per 10 MB."""
    if heads[0].group(1) != META_TABLE.encode():
        return False
    meta = tables.get(META_TABLE, {}).get("1")
    crc = meta.get("crc32") if isinstance(meta, dict) else None
    if not isinstance(crc, int):
        return False
    rest = memoryview(raw)[heads[1].start() :] if len(heads) > 1 else b""
    return zlib.crc32(rest) == crc


# Each document is one line, encoded by the C encoder (no ``indent``: with it, json falls back to
# the pure-Python encoder, 5x slower). Keys sorted, so equal data gives identical bytes.
_DOC_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(", ", ": "))


def _sorted_ids(table: Mapping[str, Any]) -> list[str]:
    """Ids by (length, text): numeric order for canonical decimal ids ("9" < "10"), and a total,
    deterministic order for any. Two C-level sorts, no Python key function: fast at 100k+ ids."""
    ids = sorted(table)
    ids.sort(key=len)  # stable: equal lengths keep their text order
    return ids


def snapshot_chunks(data: Tables, seq: int) -> list[bytes]:
    """The snapshot file for ``data`` at ``seq``, as UTF-8 chunks (one per table).

    A plain TinyDB database: tables sorted by name, documents by id, one document per line::

        {
         "_meta": {
          "1": {"schema": 1, "seq": 42}
         },
         "accounts": {
          "7": {"name": "ACME", "rev": 3, ...},
          "12": {...}
         },
         "actions": {}
        }

    so that an edit shows in ``git diff`` as the one line of the document it changed.
    Raises :class:`UnstorableValue` for a value JSON cannot hold.

    The ``_meta`` table comes first and holds the CRC-32 of every byte after it, so that a
    reader that skips tables can still tell, at memory speed, that the file is exactly as
    written (see :func:`parse_tables`).
    """
    tables = {t: d for t, d in data.items() if t != META_TABLE}
    enc = _DOC_ENCODER.encode
    names = sorted(tables)
    chunks: list[bytes] = []
    crc = 0
    try:
        for i, name in enumerate(names):
            tbl = tables[name]
            head = f" {enc(name)}: "
            tail = ",\n" if i < len(names) - 1 else "\n}\n"
            if tbl:
                # Ids are ASCII digits (parse_snapshot and commit guarantee it): no escaping needed.
                body = ",\n".join([f'  "{k}": {enc(tbl[k])}' for k in _sorted_ids(tbl)])
                text = head + "{\n" + body + "\n }" + tail
            else:
                text = head + "{}" + tail
            chunk = text.encode()
            crc = zlib.crc32(chunk, crc)
            chunks.append(chunk)
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError (a lone surrogate) is a ValueError
        raise UnstorableValue(f"cannot serialise the database: {exc}") from exc
    meta = enc({"crc32": crc, "schema": SCHEMA_VERSION, "seq": seq})
    end = ",\n" if names else "\n}\n"
    return [f'{{\n {enc(META_TABLE)}: {{\n  "1": {meta}\n }}{end}'.encode(), *chunks]


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


class _Temp:
    """A temp file beside the data, flocked by its writer until it is renamed or discarded.

    The flock tells a sweeping compaction that the writer is alive (it may be writing its
    snapshot outside the store lock); a dead writer's flock is gone, and its temp is swept.
    """

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self.fd = fd
        self.renamed = False

    def close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)

    def rename_to(self, target: Path) -> None:
        os.replace(self.path, target)
        self.renamed = True
        self.close()

    def discard(self) -> None:
        with contextlib.suppress(OSError):
            self.close()
        if not self.renamed:
            with contextlib.suppress(OSError):
                os.unlink(self.path)


_READ_ONLY = "write through Store.commit(), which journals and locks; the TinyDB view is read-only"
_READ_ATTEMPTS = 50  # reads that found the snapshot replaced under them before one gives up


@dataclass(slots=True)
class _State:
    """What one lock-free read of snapshot and journal found (see :meth:`Store._read_state`)."""

    data: Tables
    seq: int
    snap_seq: int
    snap_sig: tuple[int, int, int]
    journal_ino: int | None
    jpos: int
    jlast: int | None
    unset: dict[str, dict[str, set[str]]]


def _may_write(p: Path) -> bool:
    """Whether the user may write ``p``: by permission, and by its mode (a 0400 file is
    read-only to its owner by choice, whoever that is)."""
    try:
        st = os.stat(p)
    except OSError:
        return False
    return os.access(p, os.W_OK) and bool(st.st_mode & 0o222)


class _ReadOnlyView:
    """A TinyDB Storage that reads the store's in-memory tables. Writes go through the journal."""

    def __init__(self, store: Store) -> None:
        self._store = store

    def read(self) -> Tables:
        self._store._parse_all_lazy()
        return self._store._data

    def write(self, data: Tables) -> None:
        raise StoreError(_READ_ONLY)

    def close(self) -> None:
        pass


def _read_only_tinydb(store: Store) -> Any:
    """A ``tinydb.TinyDB`` over the store's memory whose every write raises *before* touching it.

    Stock TinyDB mutates the dict ``Storage.read()`` returned (documents updated in place, a
    table dropped) before it calls ``Storage.write()``; since ours returns the live state, the
    write path must be cut off at the table level, not at the storage.
    """
    from tinydb import TinyDB
    from tinydb.table import Table

    class ReadOnlyTable(Table):  # type: ignore[misc]
        def _update_table(self, updater: Any) -> None:
            raise StoreError(_READ_ONLY)

    class ReadOnlyTinyDB(TinyDB):  # type: ignore[misc]
        table_class = ReadOnlyTable

        def drop_table(self, name: str) -> None:
            raise StoreError(_READ_ONLY)

        def drop_tables(self) -> None:
            raise StoreError(_READ_ONLY)

    return ReadOnlyTinyDB(store, storage=_ReadOnlyView)


class Store:
    """The open database. Thread-safe; one instance per process and file."""

    def __init__(
        self,
        path: Path,
        user: str | None = None,
        *,
        create: bool = True,
        bulk: bool = False,
        only: Iterable[str] | None = None,
        lazy: Mapping[str, Iterable[str]] | None = None,
        read_only: bool = False,
    ) -> None:
        self.path = Path(os.path.abspath(path))
        #: A read-only view of just these tables (``kamtui due`` needs four of eight); the others
        #: are not parsed when the snapshot is in kamtui's own one-document-per-line layout.
        self.only: frozenset[str] | None = frozenset(only) if only is not None else None
        if lazy and self.only is None:
            raise ValueError("lazy tables need a read-only view (only=...)")
        #: In the read-only view, tables whose documents stay JSON text until read, each with the
        #: fields whose emptiness is noted without parsing (see :meth:`all_set`).
        self._lazy: dict[str, tuple[str, ...]] = {t: tuple(f) for t, f in (lazy or {}).items()}
        self._unset: dict[str, dict[str, set[str]]] = {}
        self.user = user or current_user()
        #: In bulk mode commits never compact (a bulk load would otherwise rewrite the whole
        #: snapshot every COMPACT_JOURNAL_BYTES of journal); call :meth:`compact` at the end.
        self.bulk = bulk
        #: The error of the last compaction attempt, None if it succeeded (or none was tried).
        #: Compactions that commit() and close() start are best effort and never raise: the
        #: edits are durable in the journal either way. Check this to see whether one failed.
        self.last_compaction_error: Exception | None = None
        self.journal_path = self.path.with_name(self.path.name + ".journal")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_dir = self.path.with_name(self.path.name + ".backups")
        #: Seconds a write waits for another session's lock before giving up (LockTimeout).
        self.lock_timeout: float = lock_timeout_from_env()
        #: Called from the writing thread with True once a write has waited NOTICE_AFTER seconds
        #: for another session's lock, and with False when that wait ends (locked, or given up).
        self.on_lock_wait: Callable[[Path, bool], None] | None = None
        # Three locks, always taken in this order, never the other way round:
        # _wlock: one writer of this process at a time (flock cannot tell our own threads apart);
        #         held while waiting for the file lock, so nothing else may wait for it blindly.
        # _io:    whatever reads or moves the file positions (catch-up, commit, compaction steps);
        #         taken only once the file lock is held, so refresh() never waits on the file lock.
        # _mutex: the in-memory tables, held briefly by readers and by whoever installs new state.
        self._wlock = threading.RLock()
        self._io = threading.RLock()
        self._mutex = threading.RLock()
        self._abandon = threading.Event()
        self._data: Tables = {}
        self._seq = 0
        self._snap_seq = 0
        self._snap_sig: tuple[int, int, int] | None = None
        self._journal_ino: int | None = None
        self._jpos = 0
        self._jlast: int | None = None  # seq of the journal line that ends at _jpos
        self._index: dict[str, dict[int, set[str]]] = {}
        self._tinydb: Any = None
        self._closed = False
        self._lock_fd: int | None = None
        self._refuse_unsafe(self.path)
        self._refuse_unsafe(self.journal_path)
        self._refuse_unsafe(self.lock_path)
        existed = self.path.exists()
        if not existed and (not create or read_only or self.only is not None):
            raise StoreError(f"{self.path} does not exist")
        #: Why this session may not write (None: it may). A read-only session reads as usual and
        #: refuses every edit with ReadOnlyStore; it creates and changes nothing on disk.
        self.read_only_reason: str | None = None
        if read_only or self.only is not None:
            self.read_only_reason = "opened read-only"
        elif existed:
            self.read_only_reason = self._why_read_only()
        if not existed:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        if self.read_only_reason is None:
            try:
                self._lock_fd = self._open_sidecar(self.lock_path, os.O_RDWR)
            except PermissionError:
                if not existed:
                    raise
                self.read_only_reason = f"you may not write {self.lock_path}"
        if existed:
            self._load()  # no lock: readers never wait for writers (see _read_state)
            return
        assert self._lock_fd is not None
        try:
            with self._exclusive(wait=True):
                if not self.path.exists():
                    self._create_snapshot()
                self._load()
        except BaseException:
            os.close(self._lock_fd)
            raise

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    def _why_read_only(self) -> str | None:
        """Why the user may not write this store, or None. Respects the modes themselves, so a
        0400 file is read-only even for root (who could write it anyway)."""
        if not _may_write(self.path):
            return f"you may not write {self.path}"
        folder_ok = os.access(self.path.parent, os.W_OK | os.X_OK)
        for side in (self.journal_path, self.lock_path):
            if os.path.lexists(side):
                if not _may_write(side):
                    return f"you may not write {side}"
            elif not folder_ok:
                return f"you may not create files in {self.path.parent}"
        return None

    def abandon_waits(self) -> None:
        """Make every write now waiting for the file lock give up at once (LockAbandoned)."""
        event, self._abandon = self._abandon, threading.Event()
        event.set()

    # ----------------------------------------------------------------- files
    @staticmethod
    def _refuse_unsafe(p: Path) -> None:
        try:
            st = os.lstat(p)
        except FileNotFoundError:
            return
        if stat.S_ISLNK(st.st_mode):
            raise UnsafePath(f"refusing {p}: it is a symbolic link (open the real file instead)")
        if not stat.S_ISREG(st.st_mode):
            raise UnsafePath(f"refusing {p}: it is not a regular file")

    def _data_mode(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return stat.S_IMODE(st.st_mode), st.st_uid, st.st_gid

    def _open_sidecar(self, p: Path, flags: int) -> int:
        """Open (creating 0600, or the data file's mode) a journal or lock file, never via a symlink."""
        try:
            return _open_nofollow(p, flags)
        except FileNotFoundError:
            pass
        fd = _open_nofollow(p, flags | os.O_CREAT, 0o600)
        self._match_data_mode(fd)
        return fd

    def _match_data_mode(self, fd: int) -> None:
        info = self._data_mode()
        mode = 0o600
        if info is not None:
            mode = info[0] & 0o666 | 0o600
            with contextlib.suppress(OSError):
                os.fchown(fd, -1, info[2])
        os.fchmod(fd, mode)

    @contextlib.contextmanager
    def _exclusive(self, *, wait: bool) -> Iterator[bool]:
        """Hold the exclusive file lock (and ``_io``); yields False if ``wait`` is False and it is busy.

        Waits at most :attr:`lock_timeout` seconds (LockTimeout), calls :attr:`on_lock_wait` once
        the wait gets long, and gives up when :meth:`abandon_waits` is called (LockAbandoned).
        """
        cancel = self._abandon
        if wait:
            while not self._wlock.acquire(timeout=0.05):
                if cancel.is_set():
                    raise LockAbandoned(self.path)
        elif not self._wlock.acquire(blocking=False):
            yield False
            return
        try:
            if self._closed or self._lock_fd is None:  # the fd number may already belong to another file
                raise StoreError(f"{self.path} is closed")
            callback = self.on_lock_wait
            noticed = False

            def notice() -> None:
                nonlocal noticed
                noticed = True
                if callback is not None:
                    callback(self.path, True)

            try:
                got = acquire_lock(
                    self._lock_fd,
                    fcntl.LOCK_EX,
                    self.path,
                    timeout=self.lock_timeout if wait else 0,
                    on_wait=notice if callback is not None else None,
                    cancel=cancel,
                )
            finally:
                if noticed and callback is not None:
                    callback(self.path, False)  # the wait is over, whichever way
            if not got:
                yield False
                return
            try:
                with self._io:
                    yield True
            finally:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
        finally:
            self._wlock.release()

    def _fsync_dir(self) -> None:
        fd = os.open(self.path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    @staticmethod
    def _sig(st: os.stat_result) -> tuple[int, int, int]:
        return st.st_ino, st.st_size, st.st_mtime_ns

    # ------------------------------------------------------------------ load
    def newest_good_backup(self) -> Path | None:
        return newest_good_backup(self.backup_dir, self.path.name)

    def _corrupt(self, reason: str, path: Path | None = None) -> CorruptFile:
        return CorruptFile(path or self.path, reason, self.newest_good_backup())

    def _load(self) -> None:
        """(Re)read snapshot and journal, and install them as the state. Caller holds ``_io``
        (or is the constructor); the reading itself takes no lock (see :meth:`_read_state`)."""
        state = self._read_state()
        with self._mutex:
            self._data = state.data
            self._seq = state.seq
            self._snap_seq = state.snap_seq
            self._snap_sig = state.snap_sig
            self._journal_ino = state.journal_ino
            self._jpos = state.jpos
            self._jlast = state.jlast
            self._unset = state.unset
            self._index.clear()
            self._clear_tinydb_cache()

    def _read_state(self) -> _State:
        """Snapshot plus journal, read without the file lock.

        Writers append to the journal and compaction replaces the snapshot *before* the journal
        (both by rename), so a read is consistent unless the snapshot was replaced while we read:
        then the journal read may already be the new one. Hence: read the snapshot, read the
        journal, and start again if the snapshot is no longer the one we read.
        """
        for _ in range(_READ_ATTEMPTS):
            self._refuse_unsafe(self.path)
            fd = _open_nofollow(self.path, os.O_RDONLY)
            try:
                st = os.fstat(fd)
                with open(fd, "rb", closefd=False) as fh:
                    raw = fh.read()  # one buffer: a list of chunks joined would hold the file twice
            finally:
                os.close(fd)
            unset: dict[str, dict[str, set[str]]] = {}
            try:
                # A whole small file is one json.loads (quickest); a big one is read in pieces
                # (see _parse_table) so that a UI thread is not starved while it loads.
                pieces = self.only is not None or len(raw) > PIECES_ABOVE
                parsed = parse_tables(raw, self.only, self._lazy, unset) if pieces else None
                if parsed is None:
                    unset = {}
                data = parsed or parse_snapshot(raw)
                del raw
            except ValueError as exc:
                raise self._corrupt(str(exc)) from None
            meta = data.get(META_TABLE, {}).get("1", {})
            seq = meta.get("seq", 0)
            if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
                raise self._corrupt("_meta.seq is not a number")
            schema = meta.get("schema", SCHEMA_VERSION)
            if isinstance(schema, int) and schema > SCHEMA_VERSION:
                raise StoreError(f"{self.path} was written by a newer kamtui (schema {schema}); upgrade kamtui")
            for t in KNOWN_TABLES:
                data.setdefault(t, {})
            try:
                found = journal.scan(self.journal_path, 0, None)
                wanted = journal.continuing(found.entries, seq, None)
            except journal.Damaged as exc:
                if self._snapshot_moved(st):
                    continue
                raise self._corrupt(str(exc), self.journal_path) from None
            if self._snapshot_moved(st):
                continue
            for entry in wanted:
                for op in entry.ops:
                    self._apply_op(data, op)
            last = found.entries[-1].seq if found.entries else None
            top = wanted[-1].seq if wanted else seq
            return _State(data, top, seq, self._sig(st), found.ino, found.end, last, unset)
        raise StoreError(f"{self.path} kept being replaced while it was read; try again")

    def _snapshot_moved(self, st: os.stat_result) -> bool:
        try:
            return self._sig(os.stat(self.path)) != self._sig(st)
        except FileNotFoundError:
            raise StoreError(f"{self.path} has disappeared (moved or deleted by another program)") from None

    def _apply_op(self, data: Tables, op: dict[str, Any]) -> None:
        """Apply a journal op to tables being loaded (no index yet)."""
        table = op["t"]
        if self.only is not None and table not in self.only:
            return
        tbl = data.setdefault(table, {})
        if op.get("doc") is None:
            tbl.pop(str(op["id"]), None)
        else:
            tbl[str(op["id"])] = op["doc"]

    def _apply_entry_op(self, op: dict[str, Any]) -> Change:
        table, key, doc = op["t"], str(op["id"]), op.get("doc")
        if self.only is not None and table not in self.only:
            return table, int(key)
        tbl = self._data.setdefault(table, {})
        old = tbl.get(key)
        if _unparsed(old):
            old = self._parse_lazy(table, key)
        if doc is None:
            tbl.pop(key, None)
        else:
            tbl[key] = doc
        self._reindex(table, key, old, doc)
        return table, int(key)

    # --------------------------------------------------------------- indexes
    def _reindex(self, table: str, key: str, old: Mapping[str, Any] | None, new: Mapping[str, Any] | None) -> None:
        idx = self._index.get(table)
        if idx is None:
            return
        if old is not None:
            s = idx.get(old.get("account_id"))  # type: ignore[arg-type]
            if s is not None:
                s.discard(key)
        if new is not None:
            idx.setdefault(new.get("account_id"), set()).add(key)  # type: ignore[arg-type]

    def _clear_tinydb_cache(self) -> None:
        # Clear each table's query cache rather than forgetting the tables: callers may hold a
        # ``db.table(name)`` whose cache would otherwise keep answering with stale documents.
        if self._tinydb is not None:
            for table in list(self._tinydb._tables.values()):
                table.clear_cache()

    # ------------------------------------------------------------ reading API
    @property
    def tinydb(self) -> Any:
        """A read-only ``tinydb.TinyDB`` over the current state (imported lazily)."""
        if self._tinydb is None:
            self._tinydb = _read_only_tinydb(self)
        return self._tinydb

    @property
    def seq(self) -> int:
        return self._seq

    def get(self, table: str, doc_id: int) -> dict[str, Any] | None:
        """The stored document itself, not a copy (copying would make reads O(size)): never mutate it.

        A mutation would bypass the journal (other processes would not see it) and reach disk
        silently at the next compaction. Change documents through :meth:`commit`.
        """
        doc = self._data.get(table, {}).get(str(doc_id))
        if _unparsed(doc):
            with self._mutex:
                return self._parse_lazy(table, str(doc_id))
        return doc

    def _parse_lazy(self, table: str, key: str) -> dict[str, Any] | None:
        """Parse a lazy table's document in place (it keeps its position). Caller holds the mutex."""
        tbl: dict[str, Any] = self._data[table]
        text: Any = tbl.get(key)
        if not _unparsed(text):
            return text  # type: ignore[no-any-return]
        try:
            doc = json.loads(text[:-1] if text.endswith(b",") else text)
        except (ValueError, UnicodeDecodeError):
            doc = None
        if not isinstance(doc, dict):
            raise self._corrupt(f"document {table}/{key} is not a JSON object")
        tbl[key] = doc
        return doc

    def _parse_all_lazy(self) -> None:
        with self._mutex:
            for table in self._lazy:
                for key, doc in list(self._data.get(table, {}).items()):
                    if _unparsed(doc):
                        self._parse_lazy(table, key)

    def all(self, table: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(id, document)`` pairs; the documents are the stored ones (see :meth:`get`)."""
        with self._mutex:
            if table in self._lazy:
                self._parse_all_lazy()
            items = list(self._data.get(table, {}).items())
        return ((int(k), d) for k, d in items)

    def all_set(self, table: str, field_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """Like :meth:`all` but may leave out documents whose ``field_name`` is null, "" or absent.

        In a lazy view such documents are skipped without being parsed (when the field was named
        in ``lazy``); otherwise every document comes. Callers still check the field themselves.
        """
        with self._mutex:
            skip = self._unset.get(table, {}).get(field_name, set())
            out = []
            for key, doc in self._data.get(table, {}).items():
                if _unparsed(doc):
                    if key in skip:
                        continue
                    doc = self._parse_lazy(table, key) or {}  # never None: the key is present
                out.append((int(key), doc))
        return iter(out)

    def count(self, table: str) -> int:
        return len(self._data.get(table, {}))

    def children(self, table: str, account_id: int) -> list[tuple[int, dict[str, Any]]]:
        """Documents of ``table`` whose ``account_id`` is ``account_id`` (indexed)."""
        with self._mutex:
            if table in self._lazy:
                self._parse_all_lazy()
            idx = self._child_index(table)
            tbl = self._data.get(table, {})
            return sorted(((int(k), tbl[k]) for k in idx.get(account_id, ()) if k in tbl), key=lambda kv: kv[0])

    def _child_index(self, table: str) -> dict[int, set[str]]:
        """account_id -> keys of ``table``, built on first use. Caller holds the mutex."""
        idx = self._index.get(table)
        if idx is None:
            idx = {}
            for key, doc in self._data.get(table, {}).items():
                idx.setdefault(doc.get("account_id"), set()).add(key)  # type: ignore[arg-type]
            self._index[table] = idx
        return idx

    def build_indexes(self) -> None:
        """Build every child table's per-account index now rather than on first use (a loader
        that freezes the garbage collector afterwards wants them among the frozen objects)."""
        with self._mutex:
            for table in KNOWN_TABLES:
                if table != "accounts":
                    if table in self._lazy:
                        self._parse_all_lazy()
                    self._child_index(table)

    # ------------------------------------------------------------ refreshing
    def refresh(self) -> set[Change]:
        """Pick up edits other processes made. Cheap when nothing changed; never waits for the
        file lock, nor for a write of this process (that poll is skipped: the next one catches up)."""
        if self._closed or not self._io.acquire(blocking=False):
            return set()
        try:
            if self._closed:
                return set()
            try:
                st = os.stat(self.path)
            except FileNotFoundError:
                raise StoreError(f"{self.path} has disappeared (moved or deleted by another program)") from None
            try:
                jst: os.stat_result | None = os.stat(self.journal_path)
            except FileNotFoundError:
                jst = None
            if self._snap_sig == self._sig(st) and (
                jst is None or (jst.st_ino == self._journal_ino and jst.st_size == self._jpos)
            ):
                return set()
            return self._catch_up()
        finally:
            self._io.release()

    def _catch_up(self) -> set[Change]:
        """Read what other processes wrote since we last looked. Caller holds ``_io``."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise StoreError(f"{self.path} has disappeared (moved or deleted by another program)") from None
        if self._sig(st) != self._snap_sig:
            return self._reload()
        try:
            found = journal.scan(self.journal_path, self._jpos, self._journal_ino)
            prev = self._jlast
            if found.replaced and not self._snapshot_moved(st):
                # The journal was replaced or cut but the snapshot was not (not our protocol):
                # read it from its start, skipping what we hold, checking every sequence number.
                found = journal.scan(self.journal_path, 0, None)
                prev = None
            if self._snapshot_moved(st):
                return self._reload()
            wanted = journal.continuing(found.entries, self._seq, prev)
        except journal.Damaged as exc:
            raise self._corrupt(str(exc), self.journal_path) from None
        changes: set[Change] = set()
        with self._mutex:
            for entry in wanted:
                for op in entry.ops:
                    changes.add(self._apply_entry_op(op))
                self._seq = entry.seq
            self._journal_ino = found.ino
            self._jpos = found.end
            if found.entries:
                self._jlast = found.entries[-1].seq
            elif found.replaced:
                self._jlast = None
            if changes:
                self._clear_tinydb_cache()
        return changes

    def _reload(self) -> set[Change]:
        """Load again (another process compacted or replaced the file); what changed."""
        before = {t: dict(d) for t, d in self._data.items() if t != META_TABLE}
        self._load()
        changes = set()
        for t in set(before) | set(self._data):
            if t == META_TABLE:
                continue
            old, new = before.get(t, {}), self._data.get(t, {})
            for k in set(old) | set(new):
                if old.get(k) is not new.get(k) and old.get(k) != new.get(k):
                    changes.add((t, int(k)))
        return changes

    # ---------------------------------------------------------------- writing
    def new_id(self, table: str) -> int:
        import secrets  # only writers need it (~6 ms of `kamtui due`'s start-up otherwise)

        tbl = self._data.get(table, {})
        while True:
            candidate = secrets.randbits(52) + 1
            if str(candidate) not in tbl:
                return candidate

    def insert(self, table: str, values: Mapping[str, Any]) -> int:
        return self.commit([Op("insert", table, None, values)])[0]

    def update(
        self, table: str, doc_id: int, changes: Mapping[str, Any], seen: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        self.commit([Op("update", table, doc_id, changes, seen)])
        doc = self.get(table, doc_id)
        assert doc is not None
        return doc

    def delete(self, table: str, doc_id: int, seen: Mapping[str, Any] | None = None) -> None:
        self.commit([Op("delete", table, doc_id, {}, seen)])

    def commit(self, ops: Iterable[Op]) -> list[int]:
        """Apply ``ops`` as one durable transaction; return the ids they touched.

        Conflict rule (documented in the README): a change is refused with
        :class:`ConflictError`, and nothing of the transaction is written, when another
        session changed *the same field of the same record* to a different value after the
        caller read it (``seen``), or deleted the record. Changes to different fields of one
        record, or to different records, merge. ``seen=None`` means a blind write.
        """
        if self.read_only_reason is not None:
            raise ReadOnlyStore(self.path, self.read_only_reason)
        ops = list(ops)
        if not ops:
            return []
        with self._exclusive(wait=True):
            self._catch_up()
            now, user = _now(), self.user
            resolved: list[dict[str, Any]] = []
            staged: dict[tuple[str, str], dict[str, Any] | None] = {}
            ids: list[int] = []
            for op in ops:
                if op.table == META_TABLE or not op.table or op.table.startswith("_"):
                    raise StoreError(f"table {op.table!r} is reserved")
                tbl = self._data.get(op.table, {})
                if op.kind not in ("insert", "update", "delete"):
                    raise StoreError(f"unknown operation {op.kind!r}")
                if op.kind == "insert":
                    if op.id is not None and not _valid_id(op.id):
                        raise StoreError(f"document id {op.id!r} is not a positive integer")
                    doc_id = op.id if op.id is not None else self.new_id(op.table)
                    key = str(doc_id)
                    if key in tbl or (op.table, key) in staged:
                        raise StoreError(f"{op.table} {doc_id} already exists")
                    doc = admit(op.table, doc_id, {k: val for k, val in op.values.items() if k not in META_FIELDS})
                    doc.update(rev=1, updated_at=now, updated_by=user)
                else:
                    if not _valid_id(op.id):
                        raise StoreError(f"document id {op.id!r} is not a positive integer")
                    assert op.id is not None
                    doc_id = op.id
                    key = str(doc_id)
                    current = staged[(op.table, key)] if (op.table, key) in staged else tbl.get(key)
                    if op.kind == "delete":
                        if current is None:
                            ids.append(doc_id)
                            continue
                        if op.seen is not None and current.get("rev") != op.seen.get("rev"):
                            # Like with like: absent and default are the same value (see schema.normal).
                            now_doc, seen_doc = normal(op.table, doc_id, current), normal(op.table, doc_id, op.seen)
                            assert now_doc is not None and seen_doc is not None
                            changed = [f for f in now_doc if f not in META_FIELDS and now_doc.get(f) != seen_doc.get(f)]
                            if changed:
                                raise self._conflict(op.table, doc_id, changed, current)
                        doc = None
                    else:
                        if current is None:
                            raise ConflictError(op.table, doc_id, [], "another session", "", deleted=True)
                        values = {k: val for k, val in op.values.items() if k not in META_FIELDS}
                        merged = {**current, **values}
                        if op.seen is not None:
                            # Like with like: absent and default are the same value (see schema.normal).
                            was, now_doc = normal(op.table, doc_id, op.seen), normal(op.table, doc_id, current)
                            new_doc = normal(op.table, doc_id, merged)
                            assert was is not None and now_doc is not None and new_doc is not None
                            clash = [f for f in values if was.get(f) != now_doc.get(f) != new_doc.get(f)]
                            if clash:
                                raise self._conflict(op.table, doc_id, clash, current)
                        doc = admit(op.table, doc_id, merged, values)
                        doc.update(rev=int(current.get("rev", 0)) + 1, updated_at=now, updated_by=user)
                staged[(op.table, key)] = doc
                resolved.append({"t": op.table, "id": doc_id, "doc": doc})
                ids.append(doc_id)
            if not resolved:
                return ids
            seq = self._seq + 1
            line = _dumps_line({"seq": seq, "ts": now, "user": user, "ops": resolved})
            # Apply what the line decodes to, not the caller's objects: memory then holds exactly
            # what disk holds (string keys, lists for tuples, plain str for str enums) and shares
            # no mutable value with the caller.
            written = json.loads(line)["ops"]
            try:
                self._append(line)
            except OSError as exc:  # a full disk says which file (the user's), and that nothing was saved
                raise DiskError(self.path, exc) from None
            with self._mutex:
                for entry in written:
                    self._apply_entry_op(entry)
                self._seq = seq
                self._jlast = seq
                self._clear_tinydb_cache()
            due = self._auto_compaction_due()
        if due:
            # Outside the lock (other writers go on meanwhile) and best effort: the edit is
            # durable already, so a failed compaction must not make commit() look failed.
            self._compact_quietly(wait=True, due=self._auto_compaction_due)
        return ids

    @staticmethod
    def _conflict(table: str, doc_id: int, fields: list[str], current: Mapping[str, Any]) -> ConflictError:
        return ConflictError(table, doc_id, fields, current.get("updated_by", ""), current.get("updated_at", ""))

    def _append(self, line: bytes) -> None:
        fd = self._open_sidecar(self.journal_path, os.O_WRONLY | os.O_APPEND)
        try:
            st = os.fstat(fd)
            if self._journal_ino is not None and st.st_ino != self._journal_ino:
                raise StoreError("journal replaced under the lock")  # cannot happen with flock held
            if st.st_size != self._jpos:
                # A torn tail from a writer killed mid-append: drop it so ours starts on a line.
                os.ftruncate(fd, self._jpos)
            created = self._journal_ino is None
            self._journal_ino = st.st_ino
            try:
                view = memoryview(line)
                while view:
                    n = os.write(fd, view)
                    view = view[n:]
                os.fsync(fd)
            except BaseException:
                # Disk full, EIO...: take the line back so that it cannot surface later as an
                # edit whose commit() raised.
                with contextlib.suppress(OSError):
                    os.ftruncate(fd, self._jpos)
                raise
        finally:
            os.close(fd)
        if created:
            self._fsync_dir()
        self._jpos += len(line)

    # ------------------------------------------------------------- compaction
    def compact(self, *, wait: bool = True) -> bool:
        """Fold the journal into a new snapshot; True if it did, False if it did not have to.

        False when the store is closed, when ``wait`` is False and another process held the
        lock, or when another process compacted while this one was writing (its snapshot
        holds our state too). Raises on failure, and records it in :attr:`last_compaction_error`.

        Three steps. (1) Under the exclusive flock: catch up, take a shallow copy of the
        tables at seq N (documents are never mutated in place: commits and replays store new
        dicts, so the copy is a consistent view), and create a flocked temp file beside the
        data. (2) Without the lock: serialise the copy into the temp file and fsync it; other
        processes keep committing. (3) Under the flock again: if the snapshot or the journal
        was replaced meanwhile (another compaction), give up; else catch up, hard-link the
        old snapshot into the backups, ``os.replace`` the temp over the data file, fsync the
        directory, then ``os.replace`` the journal with one holding only the lines of seq > N
        (those appended during step 2), fsync it and the directory.

        A crash anywhere leaves a consistent pair: before the first replace, old snapshot
        and full journal; between the replaces, the new snapshot and the full journal, whose
        lines of seq <= N loading skips; after, the new snapshot and the tail.
        """
        if self.only is not None:
            return False  # a partial view never writes
        return self._compact(wait=wait, due=None)

    def _compact_quietly(self, *, wait: bool, due: Callable[[], bool]) -> bool:
        """A best-effort compaction: never raises (the error is in last_compaction_error).

        Any Exception, not only OSError/StoreError (MemoryError at 50,000 accounts, a bug):
        the edits are safe in the journal, and close() must still release the lock file.
        """
        try:
            return self._compact(wait=wait, due=due)
        except Exception:  # noqa: BLE001 - recorded by _compact
            return False

    def _auto_compaction_due(self) -> bool:
        return not self.bulk and self._jpos > COMPACT_JOURNAL_BYTES

    def _close_compaction_due(self) -> bool:
        """Whether compacting is worth its cost (see CLOSE_COMPACT_*). Only stats files."""
        try:
            st = os.stat(self.path)
            journal = os.stat(self.journal_path).st_size
        except OSError:
            return False
        if self._sig(st) != self._snap_sig:
            # Another process compacted (or replaced the file) since we last looked: folding
            # what is left is its business; deciding would cost us a full reload.
            return False
        snapshot = st.st_size
        if journal == 0:
            return False
        if snapshot < CLOSE_COMPACT_SNAPSHOT_BYTES:
            return True
        return journal >= max(CLOSE_COMPACT_JOURNAL_BYTES, snapshot // CLOSE_COMPACT_JOURNAL_SHARE)

    def _compact(self, *, wait: bool, due: Callable[[], bool] | None) -> bool:
        try:
            done = self._compact_steps(wait=wait, due=due)
        except Exception as exc:
            self.last_compaction_error = exc
            raise
        self.last_compaction_error = None  # declining (lock busy, nothing due) is no failure
        return done

    def _compact_steps(self, *, wait: bool, due: Callable[[], bool] | None) -> bool:
        # (1) Under the lock: a consistent view at seq N, and a reserved temp file.
        if self._closed or self.read_only_reason is not None:
            return False
        with self._exclusive(wait=wait) as got:
            if not got:
                return False
            self._catch_up()
            if due is not None and not due():
                return False
            view = {t: dict(d) for t, d in self._data.items() if t != META_TABLE}
            seq = self._seq
            base = (self._snap_sig, self._journal_ino, self._jpos)
            self._sweep_temps()
            info = self._data_mode()
            tmp = self._reserve_temp(info[0] if info else 0o600, info)
        try:
            # (2) Without the lock: serialise and write. Nothing here reads self._data.
            chunks = snapshot_chunks(view, seq)
            del view
            for chunk in chunks:
                _write_all(tmp.fd, chunk)
            del chunks
            os.fsync(tmp.fd)
            # (3) Under the lock: install, unless someone else compacted meanwhile.
            with self._exclusive(wait=True):
                return self._install(tmp, seq, base, info)
        finally:
            tmp.discard()

    def _install(
        self, tmp: _Temp, seq: int, base: tuple[Any, int | None, int], info: tuple[int, int, int] | None
    ) -> bool:
        """Step (3) of :meth:`compact`. Caller holds the exclusive flock."""
        snap_sig, journal_ino, journal_pos = base
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise StoreError(f"{self.path} has disappeared (moved or deleted by another program)") from None
        try:
            jst: os.stat_result | None = os.stat(self.journal_path)
        except FileNotFoundError:
            jst = None
        if self._sig(st) != snap_sig:
            return False  # another compaction replaced the snapshot: ours is stale
        if journal_ino is not None and (jst is None or jst.st_ino != journal_ino or jst.st_size < journal_pos):
            return False  # the journal was replaced or cut: not the history our view is based on
        self._catch_up()  # the snapshot is unchanged: this only reads lines appended during (2)
        tail = self._journal_tail(journal_pos, seq)
        jtmp = self._reserve_temp((info[0] & 0o666 | 0o600) if info else 0o600, info)
        try:
            _write_all(jtmp.fd, tail)
            os.fsync(jtmp.fd)
            self._backup()
            tmp.rename_to(self.path)
            self._fsync_dir()
            # From here a crash leaves the new snapshot and the full journal: still correct.
            new_snap = self._sig(os.stat(self.path))
            new_journal = os.fstat(jtmp.fd).st_ino
            jtmp.rename_to(self.journal_path)
            self._fsync_dir()
        finally:
            jtmp.discard()
        self._snap_sig = new_snap
        self._snap_seq = seq
        self._journal_ino = new_journal
        self._jpos = len(tail)  # memory already holds every line of the tail
        self._jlast = self._seq if tail else None
        return True

    def _journal_tail(self, start: int, seq: int) -> bytes:
        """Complete journal lines from byte ``start`` to our offset whose seq is above ``seq``."""
        if self._journal_ino is None or self._jpos <= start:
            return b""
        fd = _open_nofollow(self.journal_path, os.O_RDONLY)
        try:
            if os.fstat(fd).st_ino != self._journal_ino:
                raise StoreError("journal replaced under the lock")  # cannot happen with flock held
            want = self._jpos - start
            parts = []
            while want > 0:
                chunk = os.pread(fd, min(want, 1 << 22), start)
                if not chunk:
                    raise StoreError(f"{self.journal_path} shrank under the lock")
                parts.append(chunk)
                start += len(chunk)
                want -= len(chunk)
        finally:
            os.close(fd)
        lines = b"".join(parts).splitlines(keepends=True)
        # _catch_up validated these lines; all have seq > N unless a writer broke the protocol.
        return b"".join(line for line in lines if json.loads(line)["seq"] > seq)

    def _reserve_temp(self, mode: int, info: tuple[int, int, int] | None) -> _Temp:
        """Create and flock a temp file beside the data. Caller holds the exclusive flock.

        Created and flocked under the store lock, so a sweep (which holds that lock too) sees
        either no file or a flocked one while its writer lives.
        """
        import secrets

        path = self.path.with_name(f".{self.path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        tmp = _Temp(path, fd)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.fchmod(fd, mode)
            if info is not None:
                with contextlib.suppress(OSError):
                    os.fchown(fd, -1, info[2])
        except BaseException:
            tmp.discard()
            raise
        return tmp

    def _create_snapshot(self) -> None:
        """Write the empty database of a new store. Caller holds the exclusive flock."""
        self._sweep_temps()
        tmp = self._reserve_temp(0o600, None)
        try:
            for chunk in snapshot_chunks({t: {} for t in KNOWN_TABLES}, 0):
                _write_all(tmp.fd, chunk)
            os.fsync(tmp.fd)
            tmp.rename_to(self.path)
        finally:
            tmp.discard()
        self._fsync_dir()

    def _sweep_temps(self) -> None:
        """Remove temp files left by a crashed compaction. Caller holds the exclusive flock.

        A live writer keeps its temp flocked (see :meth:`_reserve_temp`); a temp we can flock
        belongs to a writer that died. (Checking whether its pid is alive would keep a temp
        forever once the pid is reused.) One we cannot even open is removed too: the worst
        that can do is make a live compaction of another user fail, never lose data.
        """
        prefix = f".{self.path.name}.tmp-"
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.path.parent):
                if not (entry.name.startswith(prefix) and entry.is_file(follow_symlinks=False)):
                    continue
                try:
                    fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
                except FileNotFoundError:
                    continue
                except OSError:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                    continue
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # its writer is alive
                else:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)
                finally:
                    os.close(fd)

    def _backup(self) -> None:
        self.backup_dir.mkdir(mode=0o700, exist_ok=True)
        self._refuse_unsafe_dir(self.backup_dir)
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = self.backup_dir / f"{self.path.name}.{stamp}.seq{self._snap_seq}"
        try:
            os.link(self.path, target)
        except OSError:
            return  # a filesystem without hard links: the journal still protects the data
        backups = sorted(p for p in self.backup_dir.iterdir() if p.name.startswith(self.path.name + "."))
        for old in backups[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()

    @staticmethod
    def _refuse_unsafe_dir(p: Path) -> None:
        if p.is_symlink():
            raise UnsafePath(f"refusing {p}: it is a symbolic link")

    # -------------------------------------------------------------- lifecycle
    def close(self, *, compact: bool = True) -> None:
        """Release the lock file. Never raises for a failed compaction.

        With ``compact`` (the default), compacts first when that is cheap relative to its
        benefit (see CLOSE_COMPACT_*) and no other process holds the lock; a failure is
        recorded in :attr:`last_compaction_error`. Call :meth:`compact` first to force one.
        """
        if self._closed:
            return
        self.abandon_waits()  # a write still waiting for another session's lock gives up now
        with self._wlock, self._io:
            if self._closed:
                return
            if compact and self.read_only_reason is None and self._close_compaction_due():
                self._compact_quietly(wait=False, due=self._close_compaction_due)
            self._closed = True
            if self._lock_fd is not None:
                os.close(self._lock_fd)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _open_nofollow(p: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` that refuses a symlink planted at ``p`` (even after we checked) with UnsafePath."""
    try:
        return os.open(p, flags | os.O_NOFOLLOW, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(f"refusing {p}: it is a symbolic link (open the real file instead)") from None
        raise


def newest_good_backup(backup_dir: Path, name: str) -> Path | None:
    try:
        candidates = sorted((p for p in backup_dir.iterdir() if p.name.startswith(name + ".")), reverse=True)
    except OSError:
        return None
    for p in candidates:
        try:
            parse_snapshot(p.read_bytes())
        except (OSError, ValueError):
            continue
        return p
    return None


def open_store(path: Path | str, user: str | None = None, *, create: bool = True, bulk: bool = False) -> Store:
    return Store(Path(path), user, create=create, bulk=bulk)
