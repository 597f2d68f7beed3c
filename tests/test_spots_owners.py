"""A very big file's records left on disk (kamtui.store.spots) take each one's account from the
snapshot's summary of them (kamtui.store.owned) where the CRC vouches for it, rather than a
msgspec pass over every child table; the same places and the same per-account records as that
pass gives; the pass where there is no summary, or one that does not fit; nothing taken from a
summary the CRC does not vouch for; an id written twice never read as places."""

from __future__ import annotations

import json
import re
import zlib
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import CHILD_TABLES, TABLES
from kamtui.sample import generate
from kamtui.store import Store, codec, doctext, integrity, owned, places, spots, writing
from kamtui.store.compaction import REVIEWS_SUMMED_FROM
from tests.ui_fixtures import TODAY

#: Accounts that are no whole number from 1 to 2**32 - 1: the summary holds 0 for them, and the
#: reader reads them from each record's text.
ODD_OWNERS: list[Any] = ["7", None, 2**40, -3, 1.5]


@pytest.fixture(autouse=True)
def spots_for_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spots, "SPOTS_ABOVE", 0)


@pytest.fixture
def summed(tmp_path: Path) -> Path:
    """A file as kamtui compacts it with the summaries (REVIEWS_SUMMED_FROM accounts and up), a
    few of its records with odd accounts (as a TinyDB script may leave them)."""
    path = tmp_path / "k.json"
    generate(path, REVIEWS_SUMMED_FROM + 10, 5, TODAY)
    tables, meta = _tables(path)
    keys = writing.sorted_ids(tables["stakeholders"])
    for key, odd in zip([*keys[: len(ODD_OWNERS)], *keys[-len(ODD_OWNERS) :]], ODD_OWNERS * 2, strict=True):
        tables["stakeholders"][key]["account_id"] = odd  # the first records and the last
    del tables["actions"][next(iter(tables["actions"]))]["account_id"]
    order = {t: writing.sorted_ids(tables[t]) for t in owned.OWNED if tables.get(t)}
    summaries = codec.vouched(meta) | {owned.OWNERS: owned.summed(tables, order)}
    path.write_bytes(b"".join(writing.snapshot_chunks(tables, meta["seq"], summaries)))
    return path


def _tables(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    raw = json.loads(path.read_bytes())
    return {t: d for t, d in raw.items() if t != codec.META_TABLE}, raw[codec.META_TABLE]["1"]


def _by_account(store: Store) -> dict[str, dict[Any, list[int]]]:
    """Every child table's records by account, as the store's per-account index finds them."""
    owners = {d.get("account_id") for t in CHILD_TABLES for _i, d in store.all(t)} | {
        a for a, _d in store.all("accounts")
    }
    return {t: {a: [i for i, _d in store.children(t, a)] for a in owners if _hashable(a)} for t in CHILD_TABLES}


def _hashable(value: Any) -> bool:
    return not isinstance(value, (dict, list))


def _plain(path: Path) -> tuple[dict[str, dict[int, Any]], dict[str, dict[Any, list[int]]]]:
    """Every document and every account's records, as a store that parses the whole file has them."""
    with Store(path, user="t", read_only=True) as store:
        return {t: dict(store.all(t)) for t in TABLES}, _by_account(store)


def _read(path: Path) -> tuple[dict[str, dict[int, Any]], dict[str, dict[Any, list[int]]], Store]:
    store = Store(path, user="t", on_disk=True)
    return {t: dict(store.all(t)) for t in TABLES}, _by_account(store), store


def _no_pass(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Make the msgspec pass over a child table fail the test if it runs; count the others."""
    calls: list[int] = []
    real = doctext.owners_read

    def refused(body: memoryview) -> Any:
        calls.append(len(body))
        return real(body)

    monkeypatch.setattr(doctext, "owners_read", refused)
    return calls


def test_the_accounts_come_from_the_summary_and_give_what_a_pass_gives(
    summed: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _no_pass(monkeypatch)
    found = spots.read_tables(summed, owners := {t: {} for t in CHILD_TABLES})
    assert found is not None
    assert calls == []  # no child table was parsed for its accounts
    tables = found[1]
    for t in CHILD_TABLES:
        if not tables[t]:
            continue
        assert all(places.is_place(p) for p in tables[t].values())
        body = memoryview(json.dumps(_tables(summed)[0][t]).encode())
        assert owners[t] == doctext.owners_read(body), t  # each record's account, odd ones read from it
    found[2].close()
    docs, by_account, store = _read(summed)
    try:
        assert (docs, by_account) == _plain(summed)
        odd = by_account["stakeholders"]
        assert all(len(odd[o]) == 2 for o in ODD_OWNERS if o is not None)
        assert len(by_account["actions"][None]) == 1
    finally:
        store.close(compact=False)


def test_a_file_without_the_summary_is_read_by_the_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "k.json"
    generate(path, 60, 3, TODAY)  # too small for the summaries
    assert owned.OWNERS not in json.loads(path.read_bytes())["_meta"]["1"]
    calls = _no_pass(monkeypatch)
    docs, by_account, store = _read(path)
    try:
        assert len(calls) == sum(1 for t in CHILD_TABLES if store.count(t))
        assert all(places.is_place(d) for t in CHILD_TABLES for d in store._data[t].values())
        assert (docs, by_account) == _plain(path)
    finally:
        store.close(compact=False)


def _resummed(path: Path, change: Any) -> None:
    """The file as a compaction writes it, with ``change(owners summary)`` in its ``_meta`` and
    its CRC made to match (as a program imitating kamtui might)."""
    tables, meta = _tables(path)
    summaries = codec.vouched(meta)
    summaries[owned.OWNERS] = change(dict(summaries[owned.OWNERS]))
    path.write_bytes(b"".join(writing.snapshot_chunks(tables, meta["seq"], summaries)))


@pytest.mark.parametrize(
    "change",
    [
        lambda s: {k: v for k, v in s.items() if k != "stakeholders"},  # none for a table
        lambda s: s | {"stakeholders": s["stakeholders"][:-8]},  # one record short
        lambda s: s | {"stakeholders": "not base64!"},
        lambda s: s | {"stakeholders": 7},
    ],
    ids=["missing", "one short", "not base64", "not text"],
)
def test_a_summary_that_does_not_fit_is_not_taken(summed: Path, monkeypatch: pytest.MonkeyPatch, change: Any) -> None:
    _resummed(summed, change)
    calls = _no_pass(monkeypatch)
    docs, by_account, store = _read(summed)
    try:
        assert len(calls) == 1  # the stakeholders, by the pass
        assert all(places.is_place(d) for d in store._data["stakeholders"].values())
        assert (docs, by_account) == _plain(summed)
    finally:
        store.close(compact=False)


def test_a_summary_the_crc_does_not_vouch_for_is_not_taken(summed: Path) -> None:
    """A summary changed, its length kept, the CRC not made to match: no places (the read that
    takes over names nothing wrong: the documents are whole, only the summary differs)."""
    raw = summed.read_bytes()
    text = json.loads(raw)["_meta"]["1"][owned.OWNERS]["stakeholders"]
    swapped = owned.summed({"stakeholders": {"1": {"account_id": 999_999}}}, {"stakeholders": ["1"]})["stakeholders"]
    changed = swapped + text[len(swapped) :]
    assert changed != text and len(changed) == len(text)
    summed.write_bytes(raw.replace(text.encode(), changed.encode(), 1))
    assert spots.read_tables(summed, {t: {} for t in CHILD_TABLES}) is None
    docs, by_account, store = _read(summed)
    try:
        assert not any(places.is_place(d) for d in store._data["stakeholders"].values())
        assert (docs, by_account) == _plain(summed)
        assert by_account["stakeholders"].get(999_999, []) == []
    finally:
        store.close(compact=False)


def test_an_id_written_twice_is_never_taken_for_places(summed: Path) -> None:
    """Two lines with one id, the CRC made to match: no pass of the table's JSON saw them (the
    summary spared it), so the layout check itself refuses them."""
    raw = summed.read_bytes()
    meta = json.loads(raw)["_meta"]["1"]
    rest = raw[raw.index(b'\n "accounts": {') + 1 :].decode()
    start = rest.index(' "stakeholders": {\n') + len(' "stakeholders": {\n')
    first, second = rest[start:].split("\n", 2)[:2]
    twice = second.replace(second.split('"')[1], first.split('"')[1], 1)
    _with_crc(summed, meta, rest[:start] + first + "\n" + twice + rest[start + len(first) + 1 + len(second) :])
    as_json = json.loads(summed.read_bytes())["stakeholders"]
    assert len(as_json) == len(_tables(summed)[0]["stakeholders"])  # a valid file, one record fewer as JSON
    assert spots.read_tables(summed, {t: {} for t in CHILD_TABLES}) is None


def _with_crc(path: Path, meta: dict[str, Any], rest: str) -> None:
    """``rest`` (every table after ``_meta``) written after a ``_meta`` whose offsets and CRC vouch for it."""
    data = rest.encode()
    heads = [0, *(m.start() + 1 for m in re.finditer(rb'\n "[a-z_]+": [{]', data))]
    crc = integrity.snapshot_crc(b"", heads, zlib.crc32(data), codec.vouched(meta))
    enc = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": ")).encode
    head = enc({**meta, "crc32": crc, "heads": heads})
    path.write_bytes(f'{{\n "_meta": {{\n  "1": {head}\n }},\n'.encode() + data)
    assert codec.crc_holds(path.read_bytes()) is True


def test_the_head_of_a_big_file_is_parsed_by_msgspec_as_by_json(summed: Path) -> None:
    head = summed.read_bytes()[: spots.HEAD]
    by_msgspec, by_json = codec.meta_head(head, fast=True), codec.meta_head(head, fast=False)
    assert by_msgspec is not None and by_json is not None
    assert by_msgspec[2] == by_json[2] and by_msgspec[3] == by_json[3]


FORGED = {
    "not JSON inside": lambda line: line.replace('"name": "', '"name": !', 1),
    "two documents on a line": lambda line: line[:-1] + ' "999999": {"account_id": 1},',
    "not an object": lambda line: line.split(": ", 1)[0] + ": [1],",
}


@pytest.mark.parametrize("forgery", sorted(FORGED))
def test_a_forged_document_is_refused_at_open_with_the_summary_too(summed: Path, forgery: str) -> None:
    """A document's line changed, the CRC made to match: the summary spares the pass that reads
    each record's account, not the check that each is a JSON object under the lines' own id."""
    raw = summed.read_bytes()
    meta = json.loads(raw)["_meta"]["1"]
    rest = raw[raw.index(b'\n "accounts": {') + 1 :].decode()
    start = rest.index(' "stakeholders": {\n') + len(' "stakeholders": {\n')
    line = rest[start : rest.index("\n", start)]
    _with_crc(summed, meta, rest[:start] + FORGED[forgery](line) + rest[start + len(line) :])
    assert spots.read_tables(summed, {t: {} for t in CHILD_TABLES}) is None
