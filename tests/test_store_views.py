"""A big file's documents kept as their text, views into the bytes read (kamtui.store.documents):
read as the dicts they were, written back byte for byte, indexed by account without parsing,
and never kept parsed by a pass over every document."""

from __future__ import annotations

import dataclasses
import gc
import json
import shutil
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.domain.model import CHILD_TABLES, TABLES
from kamtui.sample import generate
from kamtui.store import codec, doctext, today, writing
from kamtui.store.doctext import account_of, unparsed
from kamtui.store.errors import CorruptFile
from kamtui.store.portfolio import Portfolio
from kamtui.store.store import Store
from kamtui.store.today import today_queue
from kamtui.ui.rows import ROW_FIELDS, AccountRows
from tests.hostile import STORABLE_NAMES
from tests.ui_fixtures import TODAY


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A generated portfolio of 60 accounts, as kamtui writes it (a snapshot with its CRC)."""
    path = tmp_path / "k.json"
    generate(path, 60, 3)
    return path


def _open(path: Path, views: bool, monkeypatch: pytest.MonkeyPatch, **kw: Any) -> Store:
    monkeypatch.setattr(codec, "VIEWS_ABOVE", 0 if views else 10**12)
    return Store(path, user="tester", **kw)


def _everything(s: Store) -> dict[str, dict[int, dict[str, Any]]]:
    return {t: dict(s.all(t)) for t in TABLES}


def test_documents_stay_text_and_read_as_the_dicts_they_were(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _open(sample, False, monkeypatch, read_only=True)
    viewed = _open(sample, True, monkeypatch, read_only=True)
    assert not any(unparsed(d) for t in TABLES for d in plain._data[t].values())
    assert all(unparsed(d) for t in TABLES for d in viewed._data[t].values())
    assert _everything(viewed) == _everything(plain)
    whole = json.loads(sample.read_bytes())
    assert _everything(viewed) == {t: {int(k): d for k, d in whole.get(t, {}).items()} for t in TABLES}
    for aid, _doc in plain.all("accounts"):
        assert viewed.get("accounts", aid) == plain.get("accounts", aid)
        for table in CHILD_TABLES:
            assert viewed.children(table, aid) == plain.children(table, aid)
    # Read, not kept: a pass over every document leaves them all text.
    assert all(unparsed(d) for t in TABLES for d in viewed._data[t].values())


def test_the_index_comes_from_the_text_without_parsing(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = _open(sample, True, monkeypatch, read_only=True)
    assert set(s._owners) == set(CHILD_TABLES)
    parsed: list[str] = []
    monkeypatch.setattr(doctext, "parse_doc", lambda text: parsed.append(text) or json.loads(bytes(text)))
    s.build_indexes()
    assert parsed == [] and s._owners == {}
    whole = json.loads(sample.read_bytes())
    for table in CHILD_TABLES:
        docs = whole.get(table, {})
        for aid in {d["account_id"] for d in docs.values()}:
            want = sorted(int(k) for k, d in docs.items() if d["account_id"] == aid)
            assert [i for i, _d in s.children_stored(table, aid)] == want


@pytest.mark.parametrize("edit", ["moved", "deleted", "created"])
@pytest.mark.parametrize("views", [True, False])
def test_the_index_follows_the_journals_moves_deletions_and_creations(
    sample: Path, monkeypatch: pytest.MonkeyPatch, views: bool, edit: str
) -> None:
    """A file read with an edit since its snapshot: the read's accounts hold for the documents
    still as read, not for one the journal moved to another account, deleted or created."""
    writer = _open(sample, False, monkeypatch)
    sid, doc = next(iter(writer.all("stakeholders")))
    other = next(aid for aid, _a in writer.all("accounts") if aid != doc["account_id"])
    if edit == "moved":
        writer.update("stakeholders", sid, {"account_id": other})
    elif edit == "deleted":
        writer.delete("stakeholders", sid)
    else:
        sid = writer.insert("stakeholders", {**doc, "account_id": other, "name": "New"})
    expected = {aid: [i for i, _d in writer.children("stakeholders", aid)] for aid, _a in writer.all("accounts")}
    writer.close(compact=False)  # the edit stays in the journal
    s = _open(sample, views, monkeypatch, read_only=True)
    s.build_indexes()
    got = {aid: [i for i, _d in s.children("stakeholders", aid)] for aid, _a in s.all("accounts")}
    assert got == expected
    assert (sid in got[other]) == (edit != "deleted") and sid not in got[doc["account_id"]]
    if edit == "deleted":  # not left in the index either
        assert all(str(sid) not in ids for ids in s._index["stakeholders"].values())


def test_documents_held_as_text_without_their_accounts_read_are_indexed_from_their_text(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = _open(sample, False, monkeypatch, read_only=True)
    s = _open(sample, True, monkeypatch, read_only=True)
    with s._mutex:
        s._install(s._data, {}, owners=None)  # views whose accounts no read gave
    s.build_indexes()
    for aid, _a in plain.all("accounts"):
        for table in CHILD_TABLES:
            assert s.children(table, aid) == plain.children(table, aid)


def test_untouched_documents_are_written_back_byte_for_byte(
    sample: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = _open(sample, False, monkeypatch)
    aid = next(iter(dict(s.all("accounts"))))
    s.update("accounts", aid, {"notes": "changed"})
    s.close(compact=False)
    # The same file and journal compacted by a store of each kind: the same snapshot.
    snapshots = []
    for views in (True, False):
        d = tmp_path / ("views" if views else "dicts")
        d.mkdir()
        for f in sample.parent.glob("k.json*"):
            if f.is_file():
                shutil.copy(f, d / f.name)
        c = _open(d / "k.json", views, monkeypatch)
        assert c.compact()
        c.close(compact=False)
        snapshots.append((d / "k.json").read_bytes())
    assert snapshots[0] == snapshots[1]
    before = set(sample.read_bytes().splitlines())
    changed = [line for line in snapshots[0].splitlines() if line not in before]
    assert len(changed) == 2 and b'"changed"' in changed[1]  # _meta's line and the account's


def test_a_document_that_is_not_an_object_is_refused_at_open(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Even in a file whose CRC holds (a CRC is no signature: anyone can write a matching one)."""
    raw = json.loads(sample.read_bytes())
    key = next(iter(raw["accounts"]))
    raw["accounts"][key] = [1, 2]
    tables = {t: d for t, d in raw.items() if t != "_meta"}
    sample.write_bytes(b"".join(writing.snapshot_chunks(tables, raw["_meta"]["1"]["seq"])))
    with pytest.raises(CorruptFile, match=f"accounts/{key} is not an object"):
        _open(sample, True, monkeypatch, read_only=True)


def test_a_file_its_crc_does_not_vouch_for_is_parsed_whole(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    raw = sample.read_bytes()
    name = json.loads(raw)["accounts"][next(iter(json.loads(raw)["accounts"]))]["name"]
    sample.write_bytes(raw.replace(json.dumps(name).encode(), json.dumps(name[::-1]).encode(), 1))
    s = _open(sample, True, monkeypatch, read_only=True)
    assert not any(unparsed(d) for t in TABLES for d in s._data[t].values())
    assert name[::-1] in {d["name"] for _i, d in s.all("accounts")}


def test_another_sessions_compaction_changes_only_what_it_changed(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watcher = _open(sample, True, monkeypatch)
    writer = _open(sample, True, monkeypatch)
    sid, doc = next(iter(writer.all("stakeholders")))
    watcher.get("stakeholders", sid)  # read once: nothing is kept from it
    writer.update("stakeholders", sid, {"notes": "moved on"})
    assert writer.compact()
    assert watcher.refresh() == {("stakeholders", sid)}
    assert watcher.take_touched() == {doc["account_id"]}
    assert watcher.get("stakeholders", sid)["notes"] == "moved on"  # type: ignore[index]
    writer.close(compact=False)
    watcher.close(compact=False)


def test_a_memo_of_an_accounts_records_goes_by_the_stored_objects(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = _open(sample, True, monkeypatch, read_only=True)
    p = Portfolio(s)
    aid = next(a for a, _d in s.all("accounts") if s.children_stored("stakeholders", a))
    calls: list[int] = []
    real = s.parsed
    monkeypatch.setattr(s, "parsed", lambda t, i, d: calls.append(i) or real(t, i, d))
    first = p.stakeholders(aid)
    assert calls and first == p.stakeholders(aid)
    assert len(calls) == len(first)  # the second read built nothing


def test_the_queue_runs_without_the_collector(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = _open(sample, True, monkeypatch, read_only=True)
    seen: list[bool] = []
    real = today.build_queue
    monkeypatch.setattr(today, "build_queue", lambda *a, **k: seen.append(gc.isenabled()) or real(*a, **k))
    assert gc.isenabled()
    viewed = today_queue(Portfolio(s, lambda: TODAY), TODAY)
    assert seen == [False] and gc.isenabled()
    plain = _open(s.path, False, monkeypatch, read_only=True)
    assert viewed == today_queue(Portfolio(plain, lambda: TODAY), TODAY)


# Values a document may hold, nested objects with their own account_id among them.
_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**60), 2**60), st.floats(allow_nan=False, allow_infinity=False), st.text()
)
_KEYS = st.sampled_from(["account_id", "name", "notes", "a", "zz", '"account_id": 7', "{", "\\u0061ccount_id"])
_VALUES = st.recursive(
    _SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3), max_leaves=8
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_KEYS | st.text(max_size=5), _VALUES, max_size=6))
def test_account_of_reads_the_text_as_a_parse_does(doc: dict[str, Any]) -> None:
    text = writing._DOC_ENCODER.encode(doc).encode()
    raw = msgspec.json.decode(b'{"1": ' + text + b"}", type=dict[str, msgspec.Raw])["1"]
    want = doc.get("account_id")
    for held in (text, text + b",", raw):
        got = account_of(held)
        assert got == want and type(got) is type(want)


def test_account_of_a_repeated_key_is_the_last_as_a_parse_reads_it() -> None:
    text = b'{"account_id": 1, "account_id": 2}'
    assert account_of(text) == json.loads(text)["account_id"] == 2


_ROW_KEYS = st.sampled_from([*ROW_FIELDS, "business", "\\u006eame", "nam"])


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(_ROW_KEYS | st.text(max_size=5), _VALUES, max_size=8))
def test_a_document_read_for_a_few_fields_answers_as_its_parse_does(doc: dict[str, Any]) -> None:
    text = writing._DOC_ENCODER.encode(doc).encode()
    raw = msgspec.json.decode(b'{"1": ' + text + b"}", type=dict[str, msgspec.Raw])["1"]
    for held in (text, text + b",", raw):
        read = doctext.fields_of(held, ROW_FIELDS)
        for key in ROW_FIELDS:
            for default in (None, "regular"):
                got, want = read.get(key, default), doc.get(key, default)
                assert got == want and type(got) is type(want)
            assert read.get(key) == doc.get(key)


def test_a_few_fields_of_a_document_written_twice_or_escaped_read_as_a_parse_reads_them() -> None:
    for text in (b'{"name": "a", "name": "b"}', b'{"\\u006eame": "c", "tier": null}', b'{"x": {"name": "d"}}'):
        read, doc = doctext.fields_of(text, ROW_FIELDS), json.loads(text)
        assert [read.get(k, "-") for k in ROW_FIELDS] == [doc.get(k, "-") for k in ROW_FIELDS]


def test_a_document_that_is_not_an_object_read_for_a_few_fields_is_the_same_error(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = _open(sample, True, monkeypatch, read_only=True)
    with s._mutex:
        s._data["accounts"][next(iter(s._data["accounts"]))] = msgspec.Raw(b"[1, 2]")
    with pytest.raises(Exception) as whole:
        list(s.all("accounts"))
    with pytest.raises(type(whole.value), match="is not a JSON object"):
        list(s.all_fields("accounts", ROW_FIELDS))


@pytest.mark.parametrize("hostile", [False, True])
def test_the_account_lists_rows_read_from_views_are_the_rows_read_from_dicts(
    sample: Path, monkeypatch: pytest.MonkeyPatch, hostile: bool
) -> None:
    if hostile:  # user text of every kind in the fields a row reads
        w = _open(sample, False, monkeypatch)
        for (aid, _d), name in zip(list(w.all("accounts")), STORABLE_NAMES, strict=False):
            w.update("accounts", aid, {"name": name, "owner": name[::-1], "industry": name[:3], "currency": "EUR"})
        assert w.compact()
        w.close(compact=False)
    rows = {}
    for views in (True, False):
        s = _open(sample, views, monkeypatch, read_only=True)
        assert all(unparsed(d) for d in s._data["accounts"].values()) == views
        made = AccountRows(Portfolio(s, lambda: TODAY), lambda: TODAY, "ana")
        rows[views] = ({i: dataclasses.astuple(r) for i, r in made.rows.items()}, [r.id for r in made.visible])
    assert rows[True] == rows[False]
