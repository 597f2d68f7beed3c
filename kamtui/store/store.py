"""A crash-safe, multi-process store over one TinyDB JSON file.

Layout on disk, for a data file ``kamtui.json``::

    kamtui.json            the snapshot: a plain TinyDB database, one document per line, sorted
    kamtui.json.journal    JSON lines, one transaction per line, appended and fsynced
    kamtui.json.lock       flock target; never deleted, never the data file itself
    kamtui.json.backups/   hard links to earlier snapshots, newest N kept

An edit takes the exclusive flock, applies journal lines other processes appended since we
last looked, resolves conflicts (:mod:`kamtui.store.transaction`), appends one line, fsyncs and
releases: its cost does not depend on the size of the database. Compaction (see
:meth:`Store.compact`) writes a new snapshot to a temp file beside the data *without* holding
the lock, then, under the lock, ``os.replace``-s it into place, fsyncs the directory and
replaces the journal with the lines other writers appended meanwhile. Loading
(:mod:`kamtui.store.reading`) parses the snapshot (:mod:`kamtui.store.codec`) and replays the
journal (:mod:`kamtui.store.journal`), skipping lines the snapshot already holds and ignoring a
torn last line. The tables in memory, and the read-only TinyDB view over them, are
:class:`~kamtui.store.documents.Documents`.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from kamtui.i18n import _
from kamtui.store import backups, compaction, journal, locking, owned, queue_cache
from kamtui.store.codec import META_TABLE
from kamtui.store.documents import Change, Documents
from kamtui.store.errors import DiskError, ReadOnlyStore, StoreError
from kamtui.store.files import AtomicFile, Prefetch, fsync_dir, open_beside, refuse_unsafe, why_read_only
from kamtui.store.locking import LockAbandoned, lock_timeout_from_env
from kamtui.store.reading import Signature, changes_opportunities, corrupt, moved, read_state, signature
from kamtui.store.transaction import Op, current_user, dumps_line, now, resolve


class Store(Documents):
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
        verify: bool = True,
        prefetched: Prefetch | None = None,
        summaries: bool = False,
        touched_after: int | None = None,
        views: bool | None = None,
        on_disk: bool = False,
    ) -> None:
        super().__init__(only, lazy)
        #: Whether a whole read of a big file leaves its child documents on disk, in a private
        #: copy (kamtui.store.spots): a session that may write and stays open asks for it (the
        #: TUI's); a read-only one never makes the copy (readers create nothing).
        self._on_disk = on_disk and only is None and not read_only
        #: Whether a big file's documents stay its text until read (Documents): a whole read's
        #: always, a partial read's if asked (one that reads a few accounts' records).
        self._views = only is None if views is None else views
        #: The accounts the edits after seq ``touched_after`` (of this snapshot) concern, as the
        #: first read found them (kamtui.store.reading.read_state); None: unknown, or not asked.
        self.edited_since: set[int] | None = None
        #: The seq ``edited_since`` counts from, and the state (state_id) it was read at.
        self.edited_after: int | None = None
        self.edited_state: tuple[int, ...] | None = None
        self._touched_since = touched_after
        #: Whether a partial read (``only``) checks the snapshot's CRC (see codec.parse_tables).
        self._verify = verify
        #: Whether a partial read takes the snapshot's summary of the opportunities (Documents.pipelines).
        self._summaries = summaries and only is not None
        self.path = Path(os.path.abspath(path))
        self.user = user or current_user()
        #: In bulk mode commits never compact (a bulk load would otherwise rewrite the whole
        #: snapshot every compaction.COMPACT_JOURNAL_BYTES of journal); call :meth:`compact` at the end.
        self.bulk = bulk
        #: The error of the last compaction attempt, None if it succeeded (or none was tried).
        #: Compactions that commit() and close() start are best effort and never raise: the
        #: edits are durable in the journal either way. Check this to see whether one failed.
        self.last_compaction_error: Exception | None = None
        self.journal_path = journal.beside(self.path)
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self.backup_dir = backups.backup_dir(self.path)
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
        # _mutex: the in-memory tables (see Documents), held briefly by readers and by whoever
        #         installs new state.
        self._wlock = threading.RLock()
        self._io = threading.RLock()
        self._abandon = threading.Event()
        # Where we are in the files (see reading.State).
        self._seq = 0
        self._snap_seq = 0
        self._snap_sig: Signature | None = None
        self._journal_ino: int | None = None
        self._jpos = 0
        self._jlast: int | None = None  # seq of the journal line that ends at _jpos
        self._closed = False
        self._lock_fd: int | None = None
        found = refuse_unsafe(self.path)
        sidecars = {self.journal_path: refuse_unsafe(self.journal_path), self.lock_path: refuse_unsafe(self.lock_path)}
        existed = found is not None  # a regular file (a symlink or anything else was refused)
        if not existed and (not create or read_only or self.only is not None):
            raise StoreError(_("{path} does not exist").format(path=self.path))
        #: Why this session may not write (None: it may). A read-only session reads as usual and
        #: refuses every edit with ReadOnlyStore; it creates and changes nothing on disk.
        self.read_only_reason: str | None = None
        if read_only or self.only is not None:
            self.read_only_reason = _("opened read-only")
        elif found is not None:
            self.read_only_reason = why_read_only(self.path, found, sidecars)
        if not existed and not self.path.parent.is_dir():
            # Which folder a database lives in is the caller's choice (the CLI makes the default
            # one): a store never creates folders, so a typo in a path cannot make a tree of them.
            if self.path.parent.exists():
                cannot = _("cannot create {path}: {folder} is not a folder")
            else:
                cannot = _("cannot create {path}: {folder} does not exist")
            raise StoreError(cannot.format(path=self.path, folder=self.path.parent))
        if existed:
            # Read first, lock after: a file refused here (not a kamtui database) is left with
            # nothing new beside it. The read takes no lock: readers never wait for writers (see
            # kamtui.store.reading), and a writer takes the lock again for each write.
            self._load(prefetched)
            self._touched = set()  # what was read first is no change
            if self.read_only_reason is None:
                try:
                    self._lock_fd = self._open_sidecar(self.lock_path, os.O_RDWR)
                except PermissionError:
                    self.read_only_reason = _("you may not write {path}").format(path=self.lock_path)
            return
        if self.read_only_reason is None:
            self._lock_fd = self._open_sidecar(self.lock_path, os.O_RDWR)
        assert self._lock_fd is not None
        try:
            with self._exclusive(wait=True):
                if not self.path.exists():
                    compaction.create_empty(self.path)
                self._load()
                self._touched = set()
        except BaseException:
            os.close(self._lock_fd)
            raise

    @property
    def read_only(self) -> bool:
        return self.read_only_reason is not None

    @property
    def seq(self) -> int:
        return self._seq

    @property
    def snap_seq(self) -> int:
        """The last edit the snapshot read holds (the journal continues it)."""
        return self._snap_seq

    @property
    def state_id(self) -> tuple[int, ...]:
        """The snapshot read (inode, size, mtime) and the last edit applied: equal ids, equal data."""
        with self._mutex:
            return (*(self._snap_sig or ()), self._seq)

    def abandon_waits(self) -> None:
        """Make every write now waiting for the file lock give up at once (LockAbandoned)."""
        event, self._abandon = self._abandon, threading.Event()
        event.set()

    def _damaged(self, reason: str) -> Exception:
        return corrupt(self.path, reason)

    # ----------------------------------------------------------------- files
    def _open_sidecar(self, p: Path, flags: int) -> int:
        """Open (creating it with the data file's mode, 0600 at most open) a journal or lock file."""
        return open_beside(p, flags, self.path)

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
                raise StoreError(_("{path} is closed").format(path=self.path))
            timeout = self.lock_timeout if wait else 0
            with locking.exclusive(
                self._lock_fd, self.path, timeout=timeout, on_wait=self.on_lock_wait, cancel=cancel
            ) as got:
                if not got:
                    yield False
                    return
                with self._io:
                    yield True
        finally:
            self._wlock.release()

    # ------------------------------------------------------------------ load
    def _load(self, prefetched: Prefetch | None = None) -> None:
        """(Re)read snapshot and journal, and install them as the state. Caller holds ``_io``
        (or is the constructor); the reading itself takes no lock (see kamtui.store.reading)."""
        state = read_state(
            self.path,
            self.journal_path,
            self.only,
            self._lazy,
            self._verify,
            prefetched,
            self._summaries,
            views=self._views,
            touched_after=self._touched_since,
            on_disk=self._on_disk and self.read_only_reason is None,
        )
        touched_after, self._touched_since = self._touched_since, None  # the first read only
        with self._mutex:
            self._install(state.data, state.unset, state.owners)
            self.pipelines = state.pipelines
            self._seq = state.seq
            self._snap_seq = state.snap_seq
            self._snap_sig = state.snap_sig
            self._journal_ino = state.journal_ino
            self._jpos = state.jpos
            self._jlast = state.jlast
            self.edited_since = state.touched  # a reload: None (it starts afresh)
            if state.source is not None:
                self._sources.append(state.source)
                while len(self._sources) > 2:
                    self._sources.pop(0).retire()
            known = state.touched is not None
            self.edited_after, self.edited_state = (touched_after, self.state_id) if known else (None, None)

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
                raise StoreError(
                    _("{path} has disappeared (moved or deleted by another program)").format(path=self.path)
                ) from None
            try:
                jst: os.stat_result | None = os.stat(self.journal_path)
            except FileNotFoundError:
                jst = None
            if self._snap_sig == signature(st) and (
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
            raise StoreError(
                _("{path} has disappeared (moved or deleted by another program)").format(path=self.path)
            ) from None
        if signature(st) != self._snap_sig:
            return self._reload()
        try:
            found = journal.scan(self.journal_path, self._jpos, self._journal_ino)
            prev = self._jlast
            if found.replaced and not moved(self.path, st):
                # The journal was replaced or cut but the snapshot was not (not our protocol):
                # read it from its start, skipping what we hold, checking every sequence number.
                found = journal.scan(self.journal_path, 0, None)
                prev = None
            if moved(self.path, st):
                return self._reload()
            wanted = journal.continuing(found.entries, self._seq, prev)
        except journal.Damaged as exc:
            raise corrupt(self.path, str(exc), self.journal_path) from None
        if self.pipelines is not None and changes_opportunities(wanted):
            return self._reload()  # the summary no longer holds: read the table
        changes: set[Change] = set()
        with self._mutex:
            for entry in wanted:
                for op in entry.ops:
                    changes.add(self._apply(op))
                self._seq = entry.seq
            self._journal_ino = found.ino
            self._jpos = found.end
            if found.entries:
                self._jlast = found.entries[-1].seq
            elif found.replaced:
                self._jlast = None
            if changes:
                self._changed()
        return changes

    def _reload(self) -> set[Change]:
        """Load again (another process compacted or replaced the file); what changed."""
        before = {t: dict(d) for t, d in self._data.items() if t != META_TABLE}
        pending = self._touched  # the accounts not yet taken survive the reload
        with self.pinned():  # the places of ``before`` are compared with the new ones
            self._load()
            return self._changes_since(before, pending)

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

        Under the file lock, after catching up with other sessions: the ops are checked and
        merged by :func:`kamtui.store.transaction.resolve` (the conflict rule: a change to a
        field another session changed since ``seen`` raises ConflictError), then written as one
        fsynced journal line. Any error leaves nothing written.
        """
        if self.read_only_reason is not None:
            raise ReadOnlyStore(self.path, self.read_only_reason)
        ops = list(ops)
        if not ops:
            return []
        with self._exclusive(wait=True):
            self._catch_up()
            stamp, user = now(), self.user
            resolved, ids = resolve(ops, self._data, stamp, user, self.new_id)
            if not resolved:
                return ids
            seq = self._seq + 1
            line = dumps_line({"seq": seq, "ts": stamp, "user": user, "ops": resolved})
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
                    self._apply(entry)
                self._seq = seq
                self._jlast = seq
                self._changed()
            due = self._auto_compaction_due()
        if due:
            # Outside the lock (other writers go on meanwhile) and best effort: the edit is
            # durable already, so a failed compaction must not make commit() look failed.
            self._compact_quietly(wait=True, due=self._auto_compaction_due)
        return ids

    def _append(self, line: bytes) -> None:
        fd = self._open_sidecar(self.journal_path, os.O_WRONLY | os.O_APPEND)
        try:
            ino = os.fstat(fd).st_ino
            if self._journal_ino is not None and ino != self._journal_ino:
                raise StoreError(_("journal replaced under the lock"))  # cannot happen with flock held
            created = self._journal_ino is None
            self._journal_ino = ino
            journal.append(fd, line, self._jpos)
        finally:
            os.close(fd)
        if created:
            fsync_dir(self.path.parent)
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
        return not self.bulk and self._jpos > compaction.COMPACT_JOURNAL_BYTES

    def _close_compaction_due(self) -> bool:
        """Whether compacting is worth its cost (see compaction.due_at_close). Only stats files."""
        try:
            st = os.stat(self.path)
            journal_size = os.stat(self.journal_path).st_size
        except OSError:
            return False
        if signature(st) != self._snap_sig:
            # Another process compacted (or replaced the file) since we last looked: folding
            # what is left is its business; deciding would cost us a full reload.
            return False
        return compaction.due_at_close(st.st_size, journal_size)

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
            # Each record's account, for the snapshot's summary of them (a file that has one).
            owners = self.accounts_of(owned.OWNED) if compaction.sums_up(view) else None
            sources = self.sources()  # what the view's places are in, as it is written
            seq = self._seq
            base = (self._snap_sig, self._journal_ino, self._jpos)
            tmp = compaction.reserve(self.path, self.journal_path)
        try:
            # (2) Without the lock: serialise and write. Nothing here reads self._data.
            with self.pinned(sources):
                compaction.write_snapshot(tmp, view, seq, owners)
            del view, owners
            # (3) Under the lock: install, unless someone else compacted meanwhile.
            with self._exclusive(wait=True):
                return self._install_snapshot(tmp, seq, base)
        finally:
            tmp.discard()

    def _install_snapshot(self, tmp: AtomicFile, seq: int, base: tuple[Signature | None, int | None, int]) -> bool:
        """Step (3) of :meth:`compact`. Caller holds the exclusive flock."""
        snap_sig, journal_ino, journal_pos = base
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            raise StoreError(
                _("{path} has disappeared (moved or deleted by another program)").format(path=self.path)
            ) from None
        try:
            jst: os.stat_result | None = os.stat(self.journal_path)
        except FileNotFoundError:
            jst = None
        if signature(st) != snap_sig:
            return False  # another compaction replaced the snapshot: ours is stale
        if journal_ino is not None and (jst is None or jst.st_ino != journal_ino or jst.st_size < journal_pos):
            return False  # the journal was replaced or cut: not the history our view is based on
        self._catch_up()  # the snapshot is unchanged: this only reads lines appended during (2)
        tail = b""  # the lines appended during (2); _catch_up checked them
        if self._journal_ino is not None:
            tail = journal.tail(self.journal_path, self._journal_ino, journal_pos, self._jpos, seq)
        self._snap_sig, self._journal_ino = compaction.install(self.path, self.journal_path, tmp, tail, self._snap_seq)
        self._snap_seq = seq
        if snap_sig is not None:  # the queue kept for a state the new snapshot holds is the new one's
            queue_cache.rebind(self.path, snap_sig, self._snap_sig, seq)
        self._jpos = len(tail)  # memory already holds every line of the tail
        self._jlast = self._seq if tail else None
        return True

    # -------------------------------------------------------------- lifecycle
    def close(self, *, compact: bool = True) -> None:
        """Release the lock file. Never raises for a failed compaction.

        With ``compact`` (the default), compacts first when that is cheap relative to its
        benefit (see compaction.due_at_close) and no other process holds the lock; a failure is
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


def open_store(path: Path | str, user: str | None = None, *, create: bool = True, bulk: bool = False) -> Store:
    return Store(Path(path), user, create=create, bulk=bulk)
