"""The read-only partial view `kamtui due` uses: same documents, never writes, falls back safely."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamtui.store import Op, Store, StoreError, codec, integrity
from kamtui.store.codec import parse_snapshot, parse_tables

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


# ------------------------------------------------------------ the full read, in pieces


@pytest.mark.parametrize("msgspec_above", [0, codec.MSGSPEC_ABOVE])  # msgspec, json
def test_every_table_in_pieces_equals_the_whole_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, msgspec_above: int
) -> None:
    monkeypatch.setattr(codec, "MSGSPEC_ABOVE", msgspec_above)
    monkeypatch.setattr(codec, "CHUNK_BYTES", 300)  # many pieces of a line or two each
    monkeypatch.setattr(codec, "PIECES_ABOVE", 0)  # and the full open reads in pieces too
    path = _db(tmp_path)
    store = Store(path, user="t")
    for i in range(7):
        store.insert("stakeholders", {"account_id": 1, "name": f'extra {i} \u202e\x01 \\ " ,\n}}'})
    store.compact()
    store.close(compact=False)
    raw = path.read_bytes()
    whole = parse_snapshot(raw)
    pieces = parse_tables(raw, None)
    assert pieces == whole
    assert list(pieces) == list(whole)  # tables in file order
    assert len(pieces["stakeholders"]) == 10
    seen: list[object] = []
    real = codec.parse_tables
    monkeypatch.setattr(codec, "parse_tables", lambda raw, *a, **k: seen.append(a[0]) or real(raw, *a, **k))
    opened = Store(path, user="t")  # the full open goes through the same path
    assert seen == [None]
    try:
        assert dict(opened.all("stakeholders")) == {int(k): v for k, v in whole["stakeholders"].items()}
    finally:
        opened.close(compact=False)


def _same_id_twice(raw: bytes, first: bytes, second: bytes) -> bytes:
    lines = raw.split(b"\n")
    a = next(i for i, line in enumerate(lines) if first in line)
    b = next(i for i, line in enumerate(lines) if second in line)
    key = lines[a].split(b":", 1)[0]
    lines[b] = key + b":" + lines[b].split(b":", 1)[1]
    return b"\n".join(lines)


@pytest.mark.parametrize("chunk", [300, codec.CHUNK_BYTES])
@pytest.mark.parametrize(
    "rewrite",
    [
        # a document over two lines (another writer's layout), one starting like a table's header
        lambda raw: raw.replace(b'"name": "S1"', b'"name":\n "S1"'),
        # the same id twice: the last one wins, as in json.loads
        lambda raw: _same_id_twice(raw, b'"name": "S0"', b'"name": "S1"'),
    ],
)
def test_pieces_give_what_the_whole_parse_gives_or_way_to_it(
    tmp_path: Path, rewrite: object, chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(codec, "CHUNK_BYTES", chunk)
    raw = rewrite(_db(tmp_path).read_bytes())  # type: ignore[operator]
    pieces = parse_tables(raw, None)
    whole = parse_snapshot(raw)
    if b'"name":\n' in raw and pieces is None:  # the whole-file parse takes over
        pass
    else:
        assert pieces == whole
        assert [list(t) for t in pieces.values()] == [list(t) for t in whole.values()]  # same order too
    path = tmp_path / "other.json"
    path.write_bytes(raw)
    path.chmod(0o600)
    store = Store(path, user="t")
    try:
        assert dict(store.all("stakeholders")) == {int(k): v for k, v in parse_snapshot(raw)["stakeholders"].items()}
    finally:
        store.close(compact=False)


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("chunk", [1, 8, 20, 10_000])
def test_a_piece_cut_inside_a_document_is_refused_not_misread(
    chunk: int, fast: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pieces are cut at line ends: inside a document over several lines, the piece has a bracket
    open and is no JSON text (a string holds no raw newline); between documents, what it holds is
    what one parse of the table gives."""
    monkeypatch.setattr(codec, "CHUNK_BYTES", chunk)
    body = (
        b'{\n  "1": {"a": [1,\n  2], "s": "x,\\n"},\n  "2": {"b": {"c":\n  {}}},\n  "3": {"d": 3},\n  "1": {"e": 5}\n }'
    )
    raw = b"xx" + body + b"yy"
    got = codec._parse_table(raw, 2, 2 + len(body), fast)
    expected = json.loads(body)
    assert got is None or got == expected
    if chunk >= len(body):
        assert got is not None and got == expected and list(got) == list(expected)
    elif chunk == 1:
        assert got is None  # the first cut falls inside document 1


def test_tables_are_found_where_meta_lists_them_without_reading_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = _db(tmp_path).read_bytes()
    listed = codec._listed_heads(raw)
    scanned = codec._scanned_heads(raw)
    assert listed is not None and scanned is not None
    assert [m.span() for m in listed[0]] == [m.span() for m in scanned]
    whole = parse_snapshot(raw)
    assert listed[1] == whole["_meta"]  # the _meta table, parsed once for its list and kept
    monkeypatch.setattr(codec, "_scanned_heads", lambda raw: pytest.fail("read the whole file for headers"))
    assert parse_tables(raw, None) == whole
    assert parse_tables(raw, WANTED) == {t: whole[t] for t in (*WANTED, "_meta")}


@pytest.mark.parametrize(
    "heads",
    [
        lambda h: [h[0] + 3, *h[1:]],  # not where a table starts
        lambda h: [h[0], h[2], h[1], *h[3:]],  # out of order
        lambda h: [1, *h[1:]],  # the first is not 0
        lambda h: h[:-1],  # one missing: the last table then holds another's header
        lambda h: [h[0], h[1] + 2, *h[2:]],
        lambda h: "0",
    ],
)
def test_wrong_offsets_in_meta_are_not_trusted(tmp_path: Path, heads: object) -> None:
    raw = _db(tmp_path).read_bytes()
    line = raw.split(b"\n")[2]
    meta = json.loads(line.split(b": ", 1)[1])
    meta["heads"] = heads(meta["heads"])  # type: ignore[operator]
    bad = raw.replace(line, b'  "1": ' + json.dumps(meta).encode(), 1)
    whole = parse_snapshot(bad)
    assert parse_tables(bad, None) in (None, whole)  # never other documents than the whole parse's
    if codec._listed_heads(bad) is None:
        assert parse_tables(bad, None) == whole  # found by reading the file instead
    assert parse_tables(bad, WANTED) is None  # a partial read: the CRC vouches for the offsets too


def test_a_table_hidden_from_the_listed_offsets_is_never_read_as_absent(tmp_path: Path) -> None:
    """Offsets that skip a wanted table, hidden after one a partial read skips: the reader refuses
    (the CRC covers the offsets), it never reads it as empty. The TUI keeps the whole queue the
    preview computes from such a read (kamtui.report.preview reads it verified)."""
    verify = True
    path = tmp_path / "k.json"
    store = Store(path, user="t")
    a = store.insert("accounts", {"name": "A"})
    o = store.insert("objectives", {"account_id": a, "title": "Grow"})
    store.insert("actions", {"account_id": a, "objective_id": o, "text": "Call"})
    store.insert("interactions", {"account_id": a, "date": "2026-01-01", "kind": "call", "stakeholders": []})
    store.compact()
    store.close(compact=False)
    raw = path.read_bytes()
    line = raw.split(b"\n")[2]
    meta = json.loads(line.split(b": ", 1)[1])
    names = [m.group(1).decode() for m in codec._scanned_heads(raw) or []][1:]
    skipped = names.index("interactions")  # right after actions, which this read does not want
    assert names[skipped - 1] == "actions"
    meta["heads"] = [h for i, h in enumerate(meta["heads"]) if i != skipped]
    bad = raw.replace(line, b'  "1": ' + json.dumps(meta).encode(), 1)
    got = parse_tables(bad, ("accounts", "interactions"), verify=verify)
    assert got is None or got["interactions"] == parse_snapshot(bad)["interactions"] != {}


@pytest.mark.parametrize("thread_above", [0, 10**12])  # the CRC on a thread of its own, and inline
def test_a_changed_byte_in_a_table_not_read_is_caught_by_the_crc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, thread_above: int
) -> None:
    raw = _db(tmp_path).read_bytes()
    monkeypatch.setattr(integrity, "CRC_THREAD_ABOVE", thread_above)
    assert parse_tables(raw, WANTED) is not None
    changed = raw.replace(b'"kind": "call"', b'"kind": "cbll"')  # valid JSON still, in a table skipped
    assert changed != raw
    assert parse_tables(changed, WANTED) is None
    assert parse_tables(changed, WANTED, verify=False) is not None  # the CRC alone saw it
