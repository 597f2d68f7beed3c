"""Store round trips, the on-disk format, metadata, the conflict rule and the TinyDB view."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import textwrap
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tinydb
from tinydb import Query

from kamtui.domain.model import TABLES
from kamtui.store import ConflictError, Op, Store, StoreError, UnstorableValue, codec, doctext, open_store
from kamtui.store.codec import META_TABLE, parse_snapshot

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "kamtui.json"


def stock(path: Path) -> dict[str, dict[int, dict[str, Any]]]:
    """Every table of ``path`` as stock TinyDB reads it (doc ids as ints, meta fields included)."""
    with tinydb.TinyDB(path) as t:
        return {name: {d.doc_id: dict(d) for d in t.table(name).all()} for name in t.tables()}


def memory(store: Store) -> dict[str, dict[int, dict[str, Any]]]:
    return {name: dict(store.all(name)) for name in store._data if name != META_TABLE}


def without_meta(tables: dict[str, dict[int, dict[str, Any]]]) -> dict[str, dict[int, dict[str, Any]]]:
    return {k: v for k, v in tables.items() if k != META_TABLE}


# ------------------------------------------------------------------ round trips


def test_insert_update_delete_round_trip(db: Path) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "ACME", "tier": "key", "revenue": 1_200_000})
    b = s.insert("accounts", {"name": "Globex", "tier": "regular"})
    sh = s.insert("stakeholders", {"account_id": a, "name": "Wile E.", "influence": "high"})
    doc = s.update("accounts", a, {"revenue": 1_300_000})
    assert doc["revenue"] == 1_300_000 and doc["name"] == "ACME"
    s.delete("accounts", b)
    assert s.get("accounts", b) is None
    assert s.children("stakeholders", a) == [(sh, s.get("stakeholders", sh))]
    expected = memory(s)
    s.close()

    s2 = open_store(db, "ben")
    assert memory(s2) == expected
    assert s2.get("accounts", a) is not None
    assert s2.get("accounts", a)["revenue"] == 1_300_000  # type: ignore[index]
    assert dict(s2.all("accounts")).keys() == {a}
    s2.close(compact=False)


def test_commit_is_one_transaction(db: Path) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "ACME"})
    journal_lines = s.journal_path.read_bytes().count(b"\n")
    ids = s.commit(
        [
            Op("insert", "reviews", None, {"account_id": a, "date": "2026-01-02"}),
            Op("update", "accounts", a, {"last_review": "2026-01-02"}),
        ]
    )
    assert ids[1] == a
    assert s.journal_path.read_bytes().count(b"\n") == journal_lines + 1
    # A failing op anywhere in the batch writes nothing of it.
    before = s.journal_path.read_bytes()
    with pytest.raises(StoreError):
        s.commit([Op("insert", "reviews", None, {"account_id": a}), Op("insert", "accounts", a, {})])
    assert s.journal_path.read_bytes() == before
    assert s.count("reviews") == 1
    s.close()


def test_file_is_plain_tinydb_after_close_and_after_compaction(db: Path) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "ACME", "tier": "key"})
    s.insert("stakeholders", {"account_id": a, "name": "Road Runner"})
    s.compact()
    assert without_meta(stock(db)) == memory(s)
    s.update("accounts", a, {"tier": "candidate"})
    s.close()  # compacts
    assert s.journal_path.read_bytes() == b""
    on_disk = stock(db)
    assert on_disk["accounts"][a]["tier"] == "candidate"
    s2 = open_store(db)
    assert without_meta(on_disk) == memory(s2)
    s2.close()
    assert stock(db) == on_disk  # reading with stock TinyDB does not change anything


def write_raw(path: Path, data: dict[str, Any], **dumps: Any) -> None:
    path.write_text(json.dumps(data, **dumps))


RAW = {
    "accounts": {
        "10": {"name": "Zürich ✓", "zeta": 1, "alpha": {"b": [1, 2.5, None], "a": True}, "rev": 1},
        "9": {"name": "Globex", "rev": 2},
        "100": {"name": 'quote " and \\ backslash\nnewline', "rev": 1},
    },
    "stakeholders": {"3": {"account_id": 10, "name": "Ana"}},
    "_meta": {"1": {"seq": 0, "schema": 1}},
    "custom": {},
}

# Everything after the leading _meta table, whose CRC-32 the _meta table records.
EXPECTED_TABLES = """ "accounts": {
  "9": {"name": "Globex", "rev": 2},
  "10": {"alpha": {"a": true, "b": [1, 2.5, null]}, "name": "Zürich ✓", "rev": 1, "zeta": 1},
  "100": {"name": "quote \\" and \\\\ backslash\\nnewline", "rev": 1}
 },
 "actions": {},
 "custom": {},
 "interactions": {},
 "kpis": {},
 "objectives": {},
 "opportunities": {},
 "reviews": {},
 "stakeholders": {
  "3": {"account_id": 10, "name": "Ana"}
 }
}
"""
# Where each table's header starts, in bytes from the first's (what a reader finds them by).
HEADS = [0] + [i + 1 for i, b in enumerate(EXPECTED_TABLES.encode()) if EXPECTED_TABLES.encode()[i : i + 3] == b'\n "']
CRC = zlib.crc32(json.dumps(HEADS).encode(), zlib.crc32(EXPECTED_TABLES.encode()))  # the tables, then the heads
EXPECTED = (
    f'{{\n "_meta": {{\n  "1": {{"crc32": {CRC}, "heads": {HEADS}, "schema": 1, "seq": 0}}\n }},\n' + EXPECTED_TABLES
)


def test_snapshot_is_one_sorted_document_per_line(db: Path) -> None:
    write_raw(db, RAW, indent=4)
    s = open_store(db, "ana")
    assert s.compact()
    s.close()
    text = db.read_text(encoding="utf-8")
    assert text == EXPECTED  # tables by name, ids numerically, keys sorted, UTF-8 kept as is
    meta = {"_meta": {"1": {"crc32": CRC, "heads": HEADS, "schema": 1, "seq": 0}}}
    assert json.loads(text) == {t: {} for t in TABLES} | RAW | meta
    with tinydb.TinyDB(db) as t:  # stock TinyDB reads it
        assert t.table("accounts").get(doc_id=10)["name"] == "Zürich ✓"  # type: ignore[index]
        assert sorted(t.tables()) == sorted(json.loads(text))


def test_snapshot_bytes_stable(db: Path, tmp_path: Path) -> None:
    write_raw(db, RAW)
    s = open_store(db, "ana")
    s.compact()
    first = db.read_bytes()
    s.compact()
    assert db.read_bytes() == first  # same data, same bytes
    s.close()
    # The same data written in another order (keys, ids, tables, whitespace) compacts identically.
    other = tmp_path / "other.json"
    shuffled = {t: {k: dict(reversed(v.items())) for k, v in reversed(d.items())} for t, d in reversed(RAW.items())}
    write_raw(other, shuffled, indent=2, ensure_ascii=True)
    s2 = open_store(other, "ben")
    s2.compact()
    s2.close()
    assert other.read_bytes() == first


def test_one_edit_is_one_changed_line(db: Path) -> None:
    s = open_store(db, "ana")
    ids = s.commit([Op("insert", "accounts", None, {"name": f"acc {i}", "tier": "regular"}) for i in range(50)])
    s.compact()
    before = db.read_text().splitlines()
    s.update("accounts", ids[17], {"tier": "key"})
    s.compact()
    after = db.read_text().splitlines()
    # Braces, _meta (3 lines), accounts (50 + 2), the other known tables empty (1 line each).
    assert len(after) == len(before) == 2 + 3 + (50 + 2) + (len(TABLES) - 1)
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 2  # the document's line and _meta's seq
    assert f'"{ids[17]}": ' in changed[1][1] and '"tier": "key"' in changed[1][1]
    assert '"seq": 2' in changed[0][1]
    s.close()


def test_ids_random_and_unique(db: Path) -> None:
    s = open_store(db, "ana")
    ids = s.commit([Op("insert", "accounts", None, {"name": f"a{i}", "n": i}) for i in range(500)])
    assert len(set(ids)) == 500
    assert all(0 < i < 2**53 for i in ids)  # safe in JavaScript / JSON consumers
    assert ids != sorted(ids)  # not "max + 1"
    other = open_store(db, "ben")
    more = [other.insert("accounts", {"name": f"b{i}", "n": i}) for i in range(20)]
    assert not set(more) & set(ids)
    other.close(compact=False)
    s.close(compact=False)


def test_rev_updated_at_updated_by(db: Path) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "ACME", "rev": 99, "updated_by": "mallory"})
    doc = s.get("accounts", a)
    assert doc is not None
    assert doc["rev"] == 1 and doc["updated_by"] == "ana"
    assert doc["updated_at"].endswith("Z") and len(doc["updated_at"]) == 20
    other = open_store(db, "ben")
    doc2 = other.update("accounts", a, {"name": "ACME Corp", "updated_by": "mallory"})
    assert doc2["rev"] == 2 and doc2["updated_by"] == "ben"
    other.close(compact=False)
    s.close()
    with tinydb.TinyDB(db) as t:
        assert t.table("accounts").get(doc_id=a)["rev"] == 2


def test_invalid_ids_and_tables_refused(db: Path) -> None:
    s = open_store(db, "ana")
    for bad in (-5, 0, True):
        with pytest.raises(StoreError):
            s.commit([Op("insert", "accounts", bad, {"x": 1})])
    with pytest.raises(StoreError):
        s.insert(META_TABLE, {"seq": 10**9})
    with pytest.raises(StoreError):
        s.insert("_private", {})
    s.close()
    assert open_store(db).count("accounts") == 0


def test_memory_matches_disk_and_shares_nothing_with_caller(db: Path) -> None:
    s = open_store(db, "ana")
    tags = ["a"]
    values: dict[Any, Any] = {"name": "ACME", "tags": tags, "pair": (1, 2), 7: "int key"}
    a = s.insert("accounts", values)
    tags.append("mutated by caller")
    doc = s.get("accounts", a)
    assert doc is not None
    assert doc["tags"] == ["a"] and doc["pair"] == [1, 2] and doc["7"] == "int key"
    assert s.compact()  # sort_keys would fail on mixed int/str keys
    s.close()
    assert open_store(db).get("accounts", a) == doc


# ------------------------------------------------------------------ conflicts


def test_same_field_conflict_names_field_and_writes_nothing(db: Path) -> None:
    s1 = open_store(db, "ana")
    s2 = open_store(db, "ben")
    a = s1.insert("accounts", {"name": "ACME", "owner": "ana", "tier": "key"})
    s2.refresh()
    seen1 = dict(s1.get("accounts", a) or {})
    seen2 = dict(s2.get("accounts", a) or {})
    s1.update("accounts", a, {"owner": "chloe"}, seen=seen1)
    journal = s1.journal_path.read_bytes()
    with pytest.raises(ConflictError) as err:
        s2.update("accounts", a, {"owner": "dev", "tier": "regular"}, seen=seen2)
    assert err.value.fields == ["owner"]
    assert err.value.by == "ana"
    assert "owner" in str(err.value) and "ana" in str(err.value) and "\n" not in str(err.value)
    assert str(err.value).startswith("conflict on account 'ACME': ana changed owner at ")  # by name, not "accounts 1"
    assert s1.journal_path.read_bytes() == journal  # nothing of the transaction written
    assert s2.get("accounts", a)["owner"] == "chloe"  # type: ignore[index]
    assert s2.get("accounts", a)["tier"] == "key"  # type: ignore[index]
    # Writing the value the other session already wrote is not a conflict.
    s2.update("accounts", a, {"owner": "chloe"}, seen=seen2)
    s1.close(compact=False)
    s2.close(compact=False)


def test_conflict_between_processes(db: Path) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "ACME", "owner": "ana"})
    seen = dict(s.get("accounts", a) or {})
    code = f"""
        from kamtui.store import open_store
        s = open_store({str(db)!r}, "ben")
        s.update("accounts", {a}, {{"owner": "ben"}}, seen=s.get("accounts", {a}))
        s.close(compact=False)
    """
    subprocess.run([sys.executable, "-c", textwrap.dedent(code)], check=True, cwd=ROOT)
    with pytest.raises(ConflictError) as err:
        s.update("accounts", a, {"owner": "chloe"}, seen=seen)
    assert err.value.fields == ["owner"] and err.value.by == "ben"
    assert s.get("accounts", a)["owner"] == "ben"  # type: ignore[index]
    s.close()


def test_different_fields_of_one_record_merge(db: Path) -> None:
    s1 = open_store(db, "ana")
    s2 = open_store(db, "ben")
    a = s1.insert("accounts", {"name": "ACME", "owner": "ana", "tier": "key"})
    s2.refresh()
    seen1 = dict(s1.get("accounts", a) or {})
    seen2 = dict(s2.get("accounts", a) or {})
    s1.update("accounts", a, {"owner": "chloe"}, seen=seen1)
    doc = s2.update("accounts", a, {"tier": "candidate"}, seen=seen2)
    assert doc["owner"] == "chloe" and doc["tier"] == "candidate" and doc["rev"] == 3
    s1.refresh()
    assert s1.get("accounts", a) == doc
    s1.close(compact=False)
    s2.close()
    assert stock(db)["accounts"][a]["owner"] == "chloe"


def test_delete_versus_edit(db: Path) -> None:
    s1 = open_store(db, "ana")
    s2 = open_store(db, "ben")
    a = s1.insert("accounts", {"name": "ACME", "owner": "ana"})
    b = s1.insert("accounts", {"name": "Globex", "owner": "ana"})
    s2.refresh()
    # Edit after the other session deleted: refused, nothing resurrected.
    seen_a = dict(s2.get("accounts", a) or {})
    s1.delete("accounts", a)
    with pytest.raises(ConflictError) as err:
        s2.update("accounts", a, {"owner": "ben"}, seen=seen_a)
    assert err.value.deleted and "deleted" in str(err.value)
    assert s2.get("accounts", a) is None
    # Delete after the other session edited (with what we saw): refused, the edit kept.
    seen_b = dict(s2.get("accounts", b) or {})
    s1.update("accounts", b, {"owner": "chloe"})
    with pytest.raises(ConflictError) as err:
        s2.delete("accounts", b, seen=seen_b)
    assert err.value.fields == ["owner"]
    assert s2.get("accounts", b)["owner"] == "chloe"  # type: ignore[index]
    # Deleting with the current state as "seen" succeeds.
    s2.delete("accounts", b, seen=s2.get("accounts", b))
    s1.refresh()
    assert s1.get("accounts", b) is None
    s1.close(compact=False)
    s2.close(compact=False)


# ------------------------------------------------------------------ unstorable values


@pytest.mark.parametrize("value", [float("nan"), float("inf"), b"bytes", {1, 2}, "\udc80", object()])
def test_unstorable_value_writes_nothing(db: Path, value: Any) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "ACME"})
    snap, journal = db.read_bytes(), s.journal_path.read_bytes()
    with pytest.raises(UnstorableValue):
        s.insert("accounts", {"name": "bad", "value": value})
    with pytest.raises(UnstorableValue):
        s.update("accounts", a, {"value": value})
    assert db.read_bytes() == snap and s.journal_path.read_bytes() == journal
    doc = s.get("accounts", a)
    assert doc is not None and doc["name"] == "ACME" and "value" not in doc
    assert s.count("accounts") == 1
    assert s.compact()  # memory still serialises
    s.close()


# ------------------------------------------------------------------ refresh and TinyDB view


def test_refresh_returns_changed_ids(db: Path) -> None:
    s1 = open_store(db, "ana")
    s2 = open_store(db, "ben")
    a = s1.insert("accounts", {"name": "ACME"})
    b = s1.insert("accounts", {"name": "Globex"})
    assert s2.refresh() == {("accounts", a), ("accounts", b)}
    assert s2.refresh() == set()
    s1.update("accounts", a, {"name": "ACME Corp"})
    sh = s1.insert("stakeholders", {"account_id": a, "name": "Wile"})
    assert s2.children("stakeholders", a) == []  # builds the index before the change arrives
    assert s2.refresh() == {("accounts", a), ("stakeholders", sh)}
    assert s2.get("accounts", a)["name"] == "ACME Corp"  # type: ignore[index]
    assert [i for i, _ in s2.children("stakeholders", a)] == [sh]
    # Across a compaction by the other side too.
    s1.delete("accounts", b)
    s1.compact()
    assert s2.refresh() == {("accounts", b)}
    assert s2.get("accounts", b) is None
    s1.close(compact=False)
    s2.close(compact=False)


def test_tinydb_view_reflects_edits_and_refuses_writes(db: Path) -> None:
    s1 = open_store(db, "ana")
    s2 = open_store(db, "ben")
    a = s1.insert("accounts", {"name": "ACME", "tier": "key"})
    s2.refresh()
    view = s2.tinydb
    accounts = view.table("accounts")  # a held table: its query cache must not go stale
    q = Query()
    assert [d.doc_id for d in accounts.search(q.tier == "key")] == [a]
    s1.update("accounts", a, {"tier": "regular"})
    s2.refresh()
    assert accounts.search(q.tier == "key") == []
    assert view.table("accounts").search(q.tier == "regular")[0]["name"] == "ACME"
    s2.update("accounts", a, {"tier": "candidate"})  # own edits too
    assert accounts.search(q.tier == "candidate")[0].doc_id == a
    before = json.dumps(s2._data, sort_keys=True)
    journal = s2.journal_path.read_bytes()
    writes: list[Callable[[], object]] = [
        lambda: accounts.insert({"name": "x"}),
        lambda: accounts.update({"name": "HACKED"}),
        lambda: accounts.remove(doc_ids=[a]),
        lambda: accounts.truncate(),
        lambda: view.drop_table("accounts"),
        lambda: view.drop_tables(),
    ]
    for write in writes:
        with pytest.raises(StoreError):
            write()
    assert json.dumps(s2._data, sort_keys=True) == before  # a refused write leaves memory alone
    assert s2.journal_path.read_bytes() == journal
    assert s2.get("accounts", a)["name"] == "ACME"  # type: ignore[index]
    s1.close(compact=False)
    s2.close(compact=False)


def test_closed_store_refuses_use(db: Path) -> None:
    s = open_store(db, "ana")
    s.insert("accounts", {"name": "ACME"})
    s.close()
    holder = os.open(db, os.O_RDONLY)  # likely reuses the lock fd number
    try:
        with pytest.raises(StoreError):
            s.insert("accounts", {"name": "late"})
        assert s.refresh() == set()
        assert not s.compact()
    finally:
        os.close(holder)


def test_create_false_and_context_manager(db: Path) -> None:
    with pytest.raises(StoreError):
        open_store(db, create=False)
    with open_store(db, "ana") as s:
        s.insert("accounts", {"name": "ACME"})
    assert open_store(db, create=False).count("accounts") == 1


def test_parse_pauses_the_cyclic_gc_and_restores_it(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[bool] = []
    real_loads, real_decoder = json.loads, doctext.msgspec_decoder()

    def loads(text: Any) -> Any:  # json's verdict on what msgspec refused
        seen.append(gc.isenabled())
        return real_loads(text)

    class Decoder:
        def decode(self, raw: Any) -> Any:
            seen.append(gc.isenabled())
            return real_decoder.decode(raw)

    monkeypatch.setattr(json, "loads", loads)
    monkeypatch.setattr(doctext, "_decoder", Decoder())
    monkeypatch.setattr(codec, "MSGSPEC_ABOVE", 0)  # msgspec first, json's verdict on what it refuses
    assert gc.isenabled()
    assert parse_snapshot(b'{"accounts": {"1": {"name": "x"}}}') == {"accounts": {"1": {"name": "x"}}}
    with pytest.raises(ValueError, match="not valid JSON"):
        parse_snapshot(b'{"accounts": ')
    assert seen == [False, False, False] and gc.isenabled()
    gc.disable()
    try:
        parse_snapshot(b"{}")
        assert not gc.isenabled()  # a caller's choice is kept
    finally:
        gc.enable()


def test_a_conflict_names_the_record_as_shown_with_its_control_characters_visible() -> None:
    from kamtui.store.errors import ConflictError as Conflict

    at = "2026-12-02T23:24:47Z"
    said = str(Conflict("opportunities", 189099953584831, ["stage"], "ana", at, label="Deal\x1b[31m"))
    assert said.startswith("conflict on opportunity 'Deal^[[31m': ana changed stage at 2026-12-02T23:24:47Z")
    assert "189099953584831" not in said
    assert str(Conflict("kpis", 7, ["target"], "", "", label="")).startswith("conflict on kpis 7: another session")
