"""A read-only ``tinydb.TinyDB`` over the store's tables in memory (``Store.tinydb``).

TinyDB stays the document API a script may use, but every write goes through the store's
journal and lock (``Store.commit``), so this view refuses writes *before* touching anything.
It is the only module that imports TinyDB, and the only one that knows its internals: a
table's ``_update_table`` (every write path of ``Table`` passes there) and a database's
``_tables`` (the open tables, whose query caches go stale when the store changes).
TinyDB is imported when the view is first used, never by ``kamtui due``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kamtui.store.errors import StoreError

Tables = dict[str, dict[str, dict[str, Any]]]

READ_ONLY = "write through Store.commit(), which journals and locks; the TinyDB view is read-only"


class _Storage:
    """A TinyDB Storage that reads the tables it is given. Writes go through the journal."""

    def __init__(self, read: Callable[[], Tables]) -> None:
        self._read = read

    def read(self) -> Tables:
        return self._read()

    def write(self, data: Tables) -> None:
        raise StoreError(READ_ONLY)

    def close(self) -> None:
        pass


def read_only_tinydb(read: Callable[[], Tables]) -> Any:
    """A ``tinydb.TinyDB`` over the live tables ``read()`` returns, whose every write raises.

    Stock TinyDB mutates the dict ``Storage.read()`` returned (documents updated in place, a
    table dropped) before it calls ``Storage.write()``; since ours returns the live state, the
    write path must be cut off at the table level, not at the storage.
    """
    from tinydb import TinyDB
    from tinydb.table import Table

    class ReadOnlyTable(Table):  # type: ignore[misc]
        def _update_table(self, updater: Any) -> None:
            raise StoreError(READ_ONLY)

    class ReadOnlyTinyDB(TinyDB):  # type: ignore[misc]
        table_class = ReadOnlyTable

        def drop_table(self, name: str) -> None:
            raise StoreError(READ_ONLY)

        def drop_tables(self) -> None:
            raise StoreError(READ_ONLY)

    return ReadOnlyTinyDB(read, storage=_Storage)


def clear_caches(db: Any) -> None:
    """Forget what ``db``'s open tables cached: the tables changed underneath.

    Each table's query cache is cleared rather than the tables forgotten: callers may hold a
    ``db.table(name)`` whose cache would otherwise keep answering with stale documents.
    """
    for table in list(db._tables.values()):
        table.clear_cache()
