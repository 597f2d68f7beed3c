"""The tables of one database in memory, as the store reads them: documents by id, per-account
indexes, documents kept as their JSON text until read, a TinyDB view.

A big file's documents stay views into the bytes read (msgspec.Raw, see
:func:`kamtui.store.codec.parse_tables`), as a lazy read-only view's stay lines of text: a
document is parsed each time it is read (a few microseconds) and not kept, so that a pass over
every document (Today's queue) leaves memory as it found it; a memo of what was built from an
account's records goes by :meth:`Documents.children_stored`, the objects stored, which stay the
same while a document does. At 50,000 accounts the documents as dicts took ~550 MB, as text ~200.

:class:`Documents` is the reading half of :class:`kamtui.store.store.Store`; the store keeps it
in step with the files (load, catch-up, commit) through :meth:`Documents._install` and
:meth:`Documents._apply`. Stored documents are never changed in place: a change replaces the
document, so a reader holding one sees a consistent version.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, cast

from kamtui.domain.model import TABLES
from kamtui.domain.queue import Fields
from kamtui.i18n import _
from kamtui.store import places, settings
from kamtui.store.codec import META_TABLE, Tables
from kamtui.store.doctext import account_of, all_text, fields_of, parse_doc, unparsed
from kamtui.store.places import Source
from kamtui.store.tinydb_view import clear_caches, read_only_tinydb
from kamtui.store.writing import sorted_ids

Change = tuple[str, int]  # (table, document id)
_BY_ID = operator.itemgetter(0)


def accounts_touched(table: str, key: str, old: Any, new: Any) -> set[int] | None:
    """The accounts whose records a change of record ``table``/``key`` from ``old`` to ``new``
    (None: absent) concerns: the account itself, or a child's account before and after (a record
    deleted or moved names its account here, not by what is stored any more); None if it
    concerns every account."""
    if table == "accounts":
        return {int(key)}
    if table == settings.SETTINGS:  # the portfolio's currency: every account shows it
        return None
    touched = set()
    for doc in (old, new):
        if doc is None:
            continue
        account = account_of(doc)
        if isinstance(account, int) and not isinstance(account, bool):
            touched.add(account)
    return touched


class Documents:
    """The in-memory tables. Reads are thread-safe (``_mutex``)."""

    def __init__(self, only: Iterable[str] | None = None, lazy: Mapping[str, Iterable[str]] | None = None) -> None:
        #: A read-only view of just these tables (``kamtui due`` needs four of eight); the others
        #: are not parsed when the snapshot is in kamtui's own one-document-per-line layout.
        self.only: frozenset[str] | None = frozenset((*only, settings.SETTINGS)) if only is not None else None
        if lazy and self.only is None:
            raise ValueError("lazy tables need a read-only view (only=...)")  # a file read whole has views instead
        #: In the read-only view, tables whose documents stay JSON text until read, each with the
        #: fields whose emptiness is noted without parsing (see :meth:`all_set`).
        self._lazy: dict[str, tuple[str, ...]] = {t: tuple(f) for t, f in (lazy or {}).items()}
        self._unset: dict[str, dict[str, set[str]]] = {}
        #: The in-memory tables, held briefly by readers and by whoever installs new state.
        self._mutex = threading.RLock()
        self._data: Tables = {}
        #: table -> account id -> the ids of its documents (lists: a set costs ~3x the memory, and
        #: an account has a handful of each).
        self._index: dict[str, dict[Any, list[str]]] = {}
        self._tinydb: Any = None
        self._owners: dict[str, dict[str, Any]] = {}
        #: The copies the documents are places in (kamtui.store.spots): the last read's, and the
        #: one before it (a memo may still hold its places); older ones are retired, closed with
        #: their disk space freed once no computation pins them (see :meth:`pinned`).
        self._sources: list[Source] = []
        #: The accounts whose records changed since :meth:`take_touched` (an account's own id for
        #: the account; a child's account before and after the change): a record deleted or moved
        #: names its account here, not by what is stored any more. None: every account may have.
        self._touched: set[int] | None = set()
        #: Each account's weighted open pipeline (str id -> float, see ranking.pipelines), read
        #: from the snapshot's ``_meta`` by a view that left the opportunities table unparsed
        #: (``summaries``); None whenever the table itself is read.
        self.pipelines: dict[int, float] | None = None

    def _damaged(self, reason: str) -> Exception:
        """The error for a lazy document that turns out not to be a JSON object."""
        return ValueError(reason)

    # ----------------------------------------------------------- keeping in step
    def _install(
        self, data: Tables, unset: dict[str, dict[str, set[str]]], owners: dict[str, dict[str, Any]] | None = None
    ) -> None:
        """Replace every table (a load); ``owners``: the account of each document read as a view
        (see codec.parse_tables), by table, until its index is built. Caller holds the mutex."""
        self._data = data
        self._unset = unset
        self._owners = owners or {}
        self._index.clear()
        self._changed()
        self._touched = None  # a (re)load: what changed is told apart by the caller, if at all

    def _changes_since(self, before: Tables, pending: set[int] | None) -> set[Change]:
        """After a reload: the records that differ from ``before`` (the tables as they were), each
        noted as touched with the accounts not yet taken (``pending``). The caller holds the
        store's ``_io`` (nothing else changes the tables meanwhile) but not the mutex: comparing
        reads the documents left on disk (seconds at 50,000 accounts), and readers go on."""
        with self._mutex:
            after = {t: dict(d) for t, d in self._data.items() if t != META_TABLE}
        found: list[tuple[str, str, Any, Any]] = []
        for t in set(before) | set(after):
            old, new = before.get(t, {}), after.get(t, {})
            # In id order, the files' order: documents left on disk are read a window at a time.
            for k in sorted_ids(old.keys() | new.keys()):
                if not _same(old.get(k), new.get(k)):
                    found.append((t, k, old.get(k), new.get(k)))
        with self._mutex:
            self._touched = pending
            for t, k, old_doc, new_doc in found:
                self.note_touched(t, k, old_doc, new_doc)
        return {(t, int(k)) for t, k, _old, _new in found}

    def note_touched(self, table: str, key: str, old: Any, new: Any) -> None:
        """Remember the accounts a change of this record concerns (see :meth:`take_touched`).
        Caller holds the mutex."""
        if self._touched is None:
            return
        accounts = accounts_touched(table, key, old, new)
        if accounts is None:
            self._touched = None
        else:
            self._touched |= accounts

    def take_touched(self) -> set[int] | None:
        """The accounts whose records changed since the last call, by this process or another
        (None: any account may have, e.g. after the file was read again), and start afresh."""
        with self._mutex:
            touched, self._touched = self._touched, set()
            return touched

    def _apply(self, op: Mapping[str, Any]) -> Change:
        """Apply a journal op (``{"t", "id", "doc"}``, doc None for a delete). Caller holds the
        mutex and calls :meth:`_changed` when done."""
        table, key, doc = op["t"], str(op["id"]), op.get("doc")
        if self.only is not None and table not in self.only:
            return table, int(key)
        tbl = self._data.setdefault(table, {})
        old = tbl.get(key)  # its account is all _reindex and note_touched read: text is fine
        if doc is None:
            tbl.pop(key, None)
        else:
            tbl[key] = doc
        self._reindex(table, key, old, doc)
        self.note_touched(table, key, old, doc)
        return table, int(key)

    def _changed(self) -> None:
        """Documents changed: what the TinyDB view cached is stale; the portfolio's currency
        (kamtui.store.settings) may have changed."""
        if self._tinydb is not None:
            clear_caches(self._tinydb)
        settings.install(self)

    def _reindex(self, table: str, key: str, old: Any, new: Any) -> None:
        """Move ``key`` in the table's index from the account of ``old`` to that of ``new`` (either
        None, a document or its text)."""
        idx = self._index.get(table)
        if idx is None:
            return
        if old is not None:
            keys = idx.get(account_of(old))
            if keys is not None and key in keys:
                keys.remove(key)
        if new is not None:
            keys = idx.setdefault(account_of(new), [])
            if key not in keys:
                keys.append(key)

    # ------------------------------------------------------------ reading API
    @property
    def tinydb(self) -> Any:
        """A read-only ``tinydb.TinyDB`` over the current state (imported lazily)."""
        if self._tinydb is None:
            self._tinydb = read_only_tinydb(self._all_tables)
        return self._tinydb

    def get(self, table: str, doc_id: int) -> dict[str, Any] | None:
        """The stored document itself, not a copy (copying would make reads O(size)): never mutate it.
        One held as its text is parsed anew (see the module).

        A mutation would bypass the journal (other processes would not see it) and reach disk
        silently at the next compaction. Change documents through ``Store.commit``.
        """
        doc = self._data.get(table, {}).get(str(doc_id))
        return self._parsed(table, str(doc_id), doc) if unparsed(doc) else doc

    def _parse_lazy(self, table: str, key: str) -> dict[str, Any] | None:
        """Parse a document held as its text in place (it keeps its position), and keep it parsed
        (the TinyDB view's way: it reads every document). Caller holds the mutex."""
        tbl: dict[str, Any] = self._data[table]
        text: Any = tbl.get(key)
        if not unparsed(text):
            return text  # type: ignore[no-any-return]
        doc = self._parsed(table, key, text)
        tbl[key] = doc
        return doc

    def parsed(self, table: str, doc_id: int, stored: Any) -> dict[str, Any]:
        """A document as :meth:`children_stored` gives it, as an object."""
        return self._parsed(table, str(doc_id), stored) if unparsed(stored) else stored

    def _parsed(self, table: str, key: str, text: Any) -> dict[str, Any]:
        """A document held as its text, parsed (not kept); the store's damage error if it is not
        a JSON object (a file whose CRC vouches for it never has one)."""
        try:
            doc = parse_doc(text)
        except ValueError:  # UnicodeDecodeError too
            doc = None
        if not isinstance(doc, dict):
            raise self._damaged(_("document {table}/{id} is not a JSON object").format(table=table, id=key))
        return doc

    def _all_tables(self) -> Tables:
        """Every table, every document parsed (what the TinyDB view reads)."""
        self._parse_all_lazy()
        return self._data

    def _parse_all_lazy(self) -> None:
        with self._mutex:
            for table, docs in self._data.items():
                for key, doc in list(docs.items()):
                    if unparsed(doc):
                        self._parse_lazy(table, key)

    def all(self, table: str, by_id: bool = False) -> Iterator[tuple[int, dict[str, Any]]]:
        """``(id, document)`` pairs, in id order if ``by_id``; the documents are the stored ones
        (see :meth:`get`), or, for one still held as its text, parsed for this pass alone (not
        kept: see the module), as the pass reaches it (the copy a place is in stays open
        meanwhile: see :meth:`pinned`)."""
        return cast(Iterator[tuple[int, dict[str, Any]]], self._walk(table, by_id, self._parsed))

    def all_fields(self, table: str, fields: tuple[str, ...]) -> Iterator[tuple[int, Fields]]:
        """:meth:`all`, each document held as its text read for ``fields`` alone (doctext.fields_of:
        the account list's rows read seven fields of every account, ~0.1 s less at 50,000); the
        stored ones are themselves. One that is not a JSON object is the same error as in
        :meth:`all`."""

        def read(table: str, key: str, text: Any) -> Fields:
            try:
                return cast(Fields, fields_of(text, fields))
            except ValueError:
                return self._parsed(table, key, text)  # says what is wrong as a parse does

        return cast(Iterator[tuple[int, Fields]], self._walk(table, False, read))

    def _walk(self, table: str, by_id: bool, read: Callable[[str, str, Any], Any]) -> Iterator[tuple[int, Any]]:
        """A pass over ``table`` (see :meth:`all`), each document held as its text ``read``."""
        with self._mutex:
            tbl = self._data.get(table, {})
            items = [(k, tbl[k]) for k in sorted(tbl, key=int)] if by_id else list(tbl.items())
            sources = self.sources()
        if not sources:
            return ((int(k), read(table, k, d) if unparsed(d) else d) for k, d in items)
        walk = self._pass(table, items, sources, read)
        next(walk)  # pinned from now on, though it be read later or never (closing it unpins)
        return cast(Iterator[tuple[int, Any]], walk)

    def _pass(
        self,
        table: str,
        items: list[tuple[str, Any]],
        sources: tuple[Source, ...],
        read: Callable[[str, str, Any], Any],
    ) -> Iterator[tuple[int, Any] | None]:
        with self.pinned(sources):
            yield None
            for k, d in items:
                yield int(k), read(table, k, d) if unparsed(d) else d

    # ------------------------------------------------------- documents on disk
    def sources(self) -> tuple[Source, ...]:
        """The copies the documents now held may be places in (kamtui.store.spots); none but a
        store's that reads a very big file. Caller holds the mutex, or takes a moment's view."""
        return tuple(self._sources)

    @contextmanager
    def pinned(self, sources: tuple[Source, ...] | None = None) -> Iterator[None]:
        """Keep ``sources`` (default: the current ones) open while a computation reads places in
        them: a reload meanwhile retires them, and they close once the last pin goes. Today's
        queue, a pass over a table, a compaction and a reload's comparison pin them."""
        if sources is None:
            with self._mutex:
                sources = self.sources()
        for source in sources:
            source.pin()
        try:
            yield
        finally:
            for source in sources:
                source.unpin()

    def all_set(self, table: str, field_name: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """Like :meth:`all` but may leave out documents whose ``field_name`` is null, "" or absent.

        In a lazy view such documents are skipped without being parsed (when the field was named
        in ``lazy``); otherwise every document comes. Callers still check the field themselves.
        """
        with self._mutex:
            skip = self._unset.get(table, {}).get(field_name, set())
            out = []
            for key, doc in self._data.get(table, {}).items():
                if unparsed(doc):
                    if key in skip:
                        continue
                    doc = self._parsed(table, key, doc)  # for this pass alone, as all() does
                out.append((int(key), doc))
        return iter(out)

    def count(self, table: str) -> int:
        return len(self._data.get(table, {}))

    def children(self, table: str, account_id: int) -> list[tuple[int, dict[str, Any]]]:
        """Documents of ``table`` whose ``account_id`` is ``account_id`` (indexed), by id."""
        return [
            (i, self._parsed(table, str(i), d) if unparsed(d) else d)
            for i, d in self.children_stored(table, account_id)
        ]

    def children_stored(self, table: str, account_id: int) -> list[tuple[int, Any]]:
        """:meth:`children` as stored: a document may still be its text (see :meth:`parsed`). The
        same objects while the documents are unchanged, so that a memo can go by identity."""
        with self._mutex:
            idx = self._child_index(table)
            tbl = self._data.get(table, {})
            pairs = [(int(k), d) for k in idx.get(account_id, ()) if (d := tbl.get(k)) is not None]
        pairs.sort(key=_BY_ID)  # Today reads thousands of accounts' children: no generator, no lambda
        return pairs

    def _child_index(self, table: str) -> dict[Any, list[str]]:
        """account_id -> keys of ``table``, built on first use. Caller holds the mutex."""
        idx = self._index.get(table)
        if idx is None:
            idx = {}
            # Documents still held as read were read with their accounts (a journal's are dicts).
            owners = self._owners.pop(table, {})
            data = self._data.get(table, {})
            setdefault = idx.setdefault
            if all_text(data.values()) and owners.keys() >= data.keys():  # all as read: ~2x quicker
                for key in data:
                    setdefault(owners[key], []).append(key)
            else:
                for key, doc in data.items():
                    owner = owners[key] if key in owners and unparsed(doc) else account_of(doc)
                    setdefault(owner, []).append(key)
            self._index[table] = idx
        return idx

    def accounts_of(self, tables: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Each document's account (doctext.account_of) by id, of each of ``tables``, as the
        per-account index has them (built if need be: ~20 ms a table at 50,000 accounts)."""
        with self._mutex:
            out: dict[str, dict[str, Any]] = {}
            for table in tables:
                found = out[table] = {}
                for owner, keys in self._child_index(table).items():
                    for key in keys:
                        found[key] = owner
            return out

    def build_indexes(self) -> None:
        """Build every child table's per-account index now rather than on first use (a loader
        that freezes the garbage collector afterwards wants them among the frozen objects)."""
        with self._mutex:
            for table in TABLES:
                if table != "accounts":
                    self._child_index(table)


def _same(old: Any, new: Any) -> bool:
    """Whether two versions of a stored document (either may be its text, or None) are equal."""
    if old is new:
        return True
    if old is None or new is None:
        return False
    if type(old) is type(new) and (old == new or not places.is_place(old)):
        return bool(old == new)  # text with text as written (canonical), dicts; the same place
    try:
        if places.is_place(old) and places.is_place(new) and places.text(old) == places.text(new):
            return True  # places in two copies: the same canonical text is the same document
        return bool((parse_doc(old) if unparsed(old) else old) == (parse_doc(new) if unparsed(new) else new))
    except ValueError:  # one no longer reads (an I/O error, a damaged document): it changed
        return False
