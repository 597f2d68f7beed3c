"""The TinyDB internals kamtui relies on (all in kamtui/store/tinydb_view.py) still exist.

This test fails the day a TinyDB release renames or reshapes them, before a user meets a
read-only view that writes, or a query cache that answers with stale documents.
"""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from tinydb import Query, TinyDB
from tinydb.table import Table

from kamtui.store import Store, StoreError


def test_table_writes_all_pass_through_update_table() -> None:
    assert callable(getattr(Table, "_update_table", None))
    assert list(inspect.signature(Table._update_table).parameters) == ["self", "updater"]
    for writer in ("insert", "insert_multiple", "update", "update_multiple", "remove", "truncate"):
        assert "_update_table" in inspect.getsource(getattr(Table, writer)), writer


def test_a_database_keeps_its_open_tables_in_tables(tmp_path: Path) -> None:
    db = TinyDB(tmp_path / "plain.json")
    table = db.table("accounts")
    assert db._tables["accounts"] is table
    db.close()


def test_the_read_only_view_refuses_writes_and_follows_the_store(tmp_path: Path) -> None:
    with Store(tmp_path / "k.json", user="t") as store:
        acc = store.insert("accounts", {"name": "ACME"})
        view = store.tinydb.table("accounts")
        assert view.get(doc_id=acc)["name"] == "ACME"
        for write in (
            lambda: view.insert({"name": "x"}),
            lambda: view.update({"name": "y"}),
            lambda: view.upsert({"name": "z"}, Query().name == "nobody"),
            lambda: view.remove(doc_ids=[acc]),
            lambda: view.truncate(),
            lambda: store.tinydb.drop_tables(),
        ):
            with pytest.raises(StoreError, match="read-only"):
                write()
        store.update("accounts", acc, {"name": "ACME Corp"})
        assert view.get(doc_id=acc)["name"] == "ACME Corp"  # the cache was cleared
        store.close(compact=False)
