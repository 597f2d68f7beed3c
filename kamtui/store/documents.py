"""The tables of one database in memory, as the store reads them: documents by id, per-account
indexes, documents of a lazy read-only view kept as JSON text until read, a TinyDB view.

:class:`Documents` is the reading half of :class:`kamtui.store.store.Store`; the store keeps it
in step with the files (load, catch-up, commit) through :meth:`Documents._install` and
:meth:`Documents._apply`. Stored documents are never changed in place: a change replaces the
document, so a reader holding one sees a consistent version.
"""

from __future__ import annotations

import operator
import threading
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from kamtui.domain.model import TABLES
from kamtui.i18n import _
from kamtui.store import settings
from kamtui.store.codec import META_TABLE, Tables, loads, unparsed
from kamtui.store.tinydb_view import clear_caches, read_only_tinydb

Change = tuple[str, int]  # (table, document id)
_BY_ID = operator.itemgetter(0)


class Documents:
    """The in-memory tables. Reads are thread-safe (``_mutex``)."""

    def __init__(self, only: Iterable[str] | None = None, lazy: Mapping[str, Iterable[str]] | None = None) -> None:
        #: A read-only view of just these tables (``kamtui due`` needs four of eight); the others
        #: are not parsed when the snapshot is in kamtui's own one-document-per-line layout.
        self.only: frozenset[str] | None = frozenset((*only, settings.SETTINGS)) if only is not None else None
        if lazy and self.only is None:
            raise ValueError("lazy tables need a read-only view (only=...)")
        #: In the read-only view, tables whose documents stay JSON text until read, each with the
        #: fields whose emptiness is noted without parsing (see :meth:`all_set`).
        self._lazy: dict[str, tuple[str, ...]] = {t: tuple(f) for t, f in (lazy or {}).items()}
        self._unset: dict[str, dict[str, set[str]]] = {}
        #: The in-memory tables, held briefly by readers and by whoever installs new state.
        self._mutex = threading.RLock()
        self._data: Tables = {}
        self._index: dict[str, dict[int, set[str]]] = {}
        self._tinydb: Any = None
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
    def _install(self, data: Tables, unset: dict[str, dict[str, set[str]]]) -> None:
        """Replace every table (a load). Caller holds the mutex."""
        self._data = data
        self._unset = unset
        self._index.clear()
        self._changed()
        self._touched = None  # a (re)load: what changed is told apart by the caller, if at all

    def _changes_since(self, before: Tables, pending: set[int] | None) -> set[Change]:
        """After a reload: the records that differ from ``before`` (the tables as they were), each
        noted as touched with the accounts not yet taken (``pending``). Caller holds the mutex."""
        self._touched = pending
        changes: set[Change] = set()
        for t in set(before) | set(self._data):
            if t == META_TABLE:
                continue
            old, new = before.get(t, {}), self._data.get(t, {})
            for k in set(old) | set(new):
                if old.get(k) is not new.get(k) and old.get(k) != new.get(k):
                    changes.add((t, int(k)))
                    self.note_touched(t, k, old.get(k), new.get(k))
        return changes

    def note_touched(self, table: str, key: str, old: Any, new: Any) -> None:
        """Remember the accounts a change of this record concerns (see :meth:`take_touched`).
        Caller holds the mutex."""
        if self._touched is None:
            return
        if table == "accounts":
            self._touched.add(int(key))
            return
        if table == settings.SETTINGS:  # the portfolio's currency: every account shows it
            self._touched = None
            return
        for doc in (old, new):
            if doc is None:
                continue
            if not isinstance(doc, dict):  # still JSON text (a lazy view): its account unknown
                self._touched = None
                return
            account = doc.get("account_id")
            if isinstance(account, int) and not isinstance(account, bool):
                self._touched.add(account)

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
        old = tbl.get(key)
        if unparsed(old):
            old = self._parse_lazy(table, key)
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

    # ------------------------------------------------------------ reading API
    @property
    def tinydb(self) -> Any:
        """A read-only ``tinydb.TinyDB`` over the current state (imported lazily)."""
        if self._tinydb is None:
            self._tinydb = read_only_tinydb(self._all_tables)
        return self._tinydb

    def get(self, table: str, doc_id: int) -> dict[str, Any] | None:
        """The stored document itself, not a copy (copying would make reads O(size)): never mutate it.

        A mutation would bypass the journal (other processes would not see it) and reach disk
        silently at the next compaction. Change documents through ``Store.commit``.
        """
        doc = self._data.get(table, {}).get(str(doc_id))
        if unparsed(doc):
            with self._mutex:
                return self._parse_lazy(table, str(doc_id))
        return doc

    def _parse_lazy(self, table: str, key: str) -> dict[str, Any] | None:
        """Parse a lazy table's document in place (it keeps its position). Caller holds the mutex."""
        tbl: dict[str, Any] = self._data[table]
        text: Any = tbl.get(key)
        if not unparsed(text):
            return text  # type: ignore[no-any-return]
        try:
            doc = loads(text[:-1] if text.endswith(b",") else text)
        except (ValueError, UnicodeDecodeError):
            doc = None
        if not isinstance(doc, dict):
            raise self._damaged(_("document {table}/{id} is not a JSON object").format(table=table, id=key))
        tbl[key] = doc
        return doc

    def _all_tables(self) -> Tables:
        """Every table, every document parsed (what the TinyDB view reads)."""
        self._parse_all_lazy()
        return self._data

    def _parse_all_lazy(self) -> None:
        with self._mutex:
            for table in self._lazy:
                for key, doc in list(self._data.get(table, {}).items()):
                    if unparsed(doc):
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
                if unparsed(doc):
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
            pairs = [(int(k), tbl[k]) for k in idx.get(account_id, ()) if k in tbl]
        pairs.sort(key=_BY_ID)  # Today reads thousands of accounts' children: no generator, no lambda
        return pairs

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
            for table in TABLES:
                if table != "accounts":
                    if table in self._lazy:
                        self._parse_all_lazy()
                    self._child_index(table)
