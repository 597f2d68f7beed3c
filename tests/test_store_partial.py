"""The read-only partial view `kamtui due` uses: same documents, never writes, falls back safely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamtui.store import Op, Store, StoreError
from kamtui.store.store import parse_snapshot, parse_tables

WANTED = ("accounts", "stakeholders")


def _db(tmp_path: Path) -> Path:
    path = tmp_path / "k.json"
    store = Store(path, user="t")
    a = store.insert("accounts", {"name": 'A "quoted" {brace}\n "fake": {', "revenue": 1.0})
    store.commit([Op("insert", "stakeholders", None, {"account_id": a, "name": f"S{i}"}) for i in range(3)])
    store.insert("interactions", {"account_id": a, "date": "2026-01-01", "kind": "call", "stakeholders": []})
    store.compact()
    store.insert("accounts", {"name": "after compaction"})  # in the journal only
    store.close(compact=False)
    return path


def test_parse_tables_matches_the_full_parse_for_wanted_tables(tmp_path: Path) -> None:
    raw = _db(tmp_path).read_bytes()
    full = parse_snapshot(raw)
    part = parse_tables(raw, WANTED)
    assert part is not None
    assert set(part) == {"_meta", *WANTED}
    for table in part:
        assert part[table] == full[table]


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[:-3],  # truncated
        lambda b: b + b"garbage",  # trailing garbage
        lambda b: json.dumps(json.loads(b), indent=4).encode(),  # another writer's layout
        lambda b: b"\xff" + b,  # invalid UTF-8
        lambda b: b'{"accounts": {}}',  # stock TinyDB's one-line layout
    ],
)
def test_parse_tables_declines_anything_unexpected(tmp_path: Path, damage: object) -> None:
    raw = _db(tmp_path).read_bytes()
    assert parse_tables(damage(raw), WANTED) is None  # type: ignore[operator]


def test_partial_store_sees_the_journal_and_never_writes(tmp_path: Path) -> None:
    path = _db(tmp_path)
    before = path.read_bytes()
    store = Store(path, create=False, only=WANTED)
    try:
        names = sorted(d["name"] for _, d in store.all("accounts"))
        assert names[-1] == "after compaction"
        assert store.count("stakeholders") == 3
        assert store.count("interactions") == 0  # not loaded
        with pytest.raises(StoreError, match="read-only"):
            store.insert("accounts", {"name": "x"})
        assert store.compact() is False
    finally:
        store.close()
    assert path.read_bytes() == before


def test_partial_store_reports_a_corrupt_file_like_the_full_one(tmp_path: Path) -> None:
    path = _db(tmp_path)
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(StoreError, match="cannot read"):
        Store(path, create=False, only=WANTED)
