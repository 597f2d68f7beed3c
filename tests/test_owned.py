"""The snapshot's summary of each child document's account (kamtui.store.owned): written by a
compaction, equal to what a pass over the documents reads, taken only where the CRC vouches for
it, and never in place of the check that every document is an object."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.deals import Kpi
from kamtui.sample import generate
from kamtui.store import Op, Store, codec, doctext, owned, writing
from kamtui.store.compaction import REVIEWS_SUMMED_FROM
from kamtui.store.doctext import unparsed
from kamtui.store.errors import CorruptFile
from kamtui.store.views import due_view
from tests.ui_fixtures import TODAY

ODD_OWNERS: list[Any] = ["7", None, 2**40, True, -3, 0, 1.5]


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file kamtui compacted, big enough for the summaries, read as views (as a big file is)."""
    monkeypatch.setattr(codec, "VIEWS_ABOVE", 0)
    path = tmp_path / "k.json"
    generate(path, REVIEWS_SUMMED_FROM + 20, 5, TODAY)
    with Store(path, user="t") as store:
        for aid in [a for a, _d in store.all("accounts")][:3]:  # the sample has no KPIs
            store.insert("kpis", Kpi(account_id=aid, name="NPS", target=40.0).to_doc())
        store.compact()
    return path


def _meta(path: Path) -> dict[str, Any]:
    return json.loads(path.read_bytes())["_meta"]["1"]  # type: ignore[no-any-return]


def _tables(path: Path) -> tuple[dict[str, Any], int]:
    raw = json.loads(path.read_bytes())
    return {t: d for t, d in raw.items() if t != codec.META_TABLE}, raw["_meta"]["1"]["seq"]


def _write(path: Path, tables: dict[str, Any], seq: int, owners: dict[str, str] | None = None) -> None:
    """The file as a compaction writes it, its CRC made to match; ``owners``: that summary instead."""
    order = {t: writing.sorted_ids(tables[t]) for t in owned.OWNED if tables.get(t)}
    summary = owned.summed(tables, order) if owners is None else owners
    path.write_bytes(b"".join(writing.snapshot_chunks(tables, seq, {owned.OWNERS: summary})))


READ = ("accounts", *owned.OWNED)  # the tables summed up, and their accounts


def _open(path: Path) -> Store:
    """The summed-up tables read as views (the others would be read by a pass of owners_of)."""
    return Store(path, user="t", read_only=True, only=READ, views=True)


def _by_account(store: Store) -> dict[str, dict[int, list[int]]]:
    accounts = [aid for aid, _d in store.all("accounts")]
    return {t: {a: [i for i, _d in store.children(t, a)] for a in accounts} for t in owned.OWNED}


def _plain(path: Path) -> dict[str, dict[int, list[int]]]:
    with Store(path, user="t", read_only=True, only=READ, views=False) as store:
        assert not any(unparsed(d) for t in READ for d in store._data[t].values())
        return _by_account(store)


def _no_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object) -> None:
        raise AssertionError("read every document's account though the summary holds them")

    monkeypatch.setattr(codec, "owners_of", refuse)


def _moved_deleted_and_made(path: Path) -> None:
    """A stakeholder moved to another account, an action deleted, a review made: then compacted."""
    with Store(path, user="t") as store:
        sid, person = next(iter(store.all("stakeholders")))
        other = next(a for a, _d in store.all("accounts") if a != person["account_id"])
        aid, action = next(iter(store.all("actions")))
        review = {**next(iter(store.all("reviews")))[1], "account_id": other}
        store.commit(
            [
                Op("update", "stakeholders", sid, {"account_id": other}, person),
                Op("delete", "actions", aid, {}, action),
                Op("insert", "reviews", None, review),
            ]
        )
        store.compact()


@pytest.mark.parametrize("edited", [False, True])
def test_a_compaction_sums_up_each_documents_account_in_the_files_order(big: Path, edited: bool) -> None:
    if edited:
        _moved_deleted_and_made(big)
    meta = _meta(big)
    assert set(meta[owned.OWNERS]) == {t for t in owned.OWNED if json.loads(big.read_bytes())[t]}
    assert "kpis" in meta[owned.OWNERS]
    raw = big.read_bytes()
    heads = codec._listed_heads(raw)
    assert heads is not None
    for m, nxt in zip(heads[0], [*heads[0][1:], None], strict=True):
        name = m.group(1).decode()
        if name not in meta[owned.OWNERS]:
            continue
        end = nxt.start() if nxt is not None else len(raw) - 2
        body = memoryview(raw)[m.end() - 1 : codec.table_end(raw, m.end() - 1, end)]
        viewed = doctext.raw_table(body)
        assert viewed is not None
        assert owned.read(meta[owned.OWNERS], name, viewed) == doctext.owners_of(body, viewed)


def test_a_small_file_has_no_summary_of_its_accounts(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    generate(path, 30, 5, TODAY)
    with Store(path, user="t") as store:
        store.compact()
    assert owned.OWNERS not in _meta(path)


def test_a_view_takes_each_documents_account_from_the_summary(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    want = _plain(big)
    _no_pass(monkeypatch)
    with _open(big) as store:
        assert all(unparsed(d) for t in READ for d in store._data[t].values())
        assert _by_account(store) == want


def test_kamtui_due_after_edits_reads_the_accounts_from_the_summary(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(big, user="t") as store:
        seq = store.state_id[3]
        aid = next(a for o in owned.OWNED for a in _plain(big)[o] if _plain(big)[o][a])
        doc = store.get("accounts", aid)
        store.commit([Op("update", "accounts", aid, {"name": "Renamed"}, doc)])
        store.close(compact=False)
    want = _plain(big)
    _no_pass(monkeypatch)
    view = due_view(big, touched_after=seq)
    try:
        assert view.edited_since == {aid}
        for table in ("actions", "kpis", "objectives", "reviews", "stakeholders"):  # opportunities: their sum
            assert [i for i, _d in view.children(table, aid)] == want[table][aid]
    finally:
        view.close(compact=False)


def test_documents_without_a_plain_account_are_read_from_their_text(big: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tables, seq = _tables(big)
    keys = list(tables["stakeholders"])[: len(ODD_OWNERS)]
    for key, odd in zip(keys, ODD_OWNERS, strict=True):
        tables["stakeholders"][key]["account_id"] = odd
    del tables["actions"][next(iter(tables["actions"]))]["account_id"]
    _write(big, tables, seq)
    numbers = base64.b64decode(_meta(big)[owned.OWNERS]["stakeholders"])
    order = writing.sorted_ids(tables["stakeholders"])
    assert {order[i // 4] for i in range(0, len(numbers), 4) if numbers[i : i + 4] == bytes(4)} == set(keys)
    want = _plain(big)
    _no_pass(monkeypatch)
    with _open(big) as store:
        assert _by_account(store) == want
        index = store._child_index("stakeholders")
        assert [next(a for a, ks in index.items() if k in ks) for k in keys] == ODD_OWNERS


@pytest.mark.parametrize(
    "summary",
    [
        lambda s: {**s, "stakeholders": s["stakeholders"][:-8]},  # two documents short
        lambda s: {**s, "stakeholders": s["stakeholders"] + "AAAAAA=="},  # one too many
        lambda s: {**s, "stakeholders": "not base64!"},
        lambda s: {**s, "stakeholders": 12},
        lambda s: [],
    ],
    ids=["short", "long", "not base64", "not text", "not an object"],
)
def test_a_summary_that_does_not_hold_is_not_taken(big: Path, monkeypatch: pytest.MonkeyPatch, summary: Any) -> None:
    """Even where the CRC matches: each document's account is then read from the text."""
    tables, seq = _tables(big)
    _write(big, tables, seq, summary(_meta(big)[owned.OWNERS]))
    want = _plain(big)
    with _open(big) as store:
        assert all(unparsed(d) for d in store._data["stakeholders"].values())  # the CRC held: views
        assert _by_account(store) == want


def test_a_summary_changed_since_the_compaction_is_caught_by_the_crc(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raw = big.read_bytes()
    summary = _meta(big)[owned.OWNERS]["stakeholders"]
    numbers = bytearray(base64.b64decode(summary))
    numbers[0:4], numbers[4:8] = numbers[4:8], numbers[0:4]  # two documents' accounts swapped...
    numbers[0:4], numbers[-4:] = numbers[-4:], numbers[0:4]  # ... and with the last one's
    big.write_bytes(raw.replace(summary.encode(), base64.b64encode(bytes(numbers)), 1))
    want = _plain(big)
    with _open(big) as store:
        assert not any(unparsed(d) for t in READ for d in store._data[t].values())  # parsed whole
        assert _by_account(store) == want
    # A reader that checks no CRC (Today's provisional preview) takes no summary either.
    with Store(big, user="t", read_only=True, only=READ, views=True, verify=False) as store:
        assert all(unparsed(d) for d in store._data["stakeholders"].values())
        assert _by_account(store) == want


def test_a_document_that_is_not_an_object_is_refused_where_the_summary_holds(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A CRC is no signature: a file made with one that matches, and a summary of the right
    length, is still checked document by document."""
    tables, seq = _tables(big)
    key = next(iter(tables["stakeholders"]))
    summary = _meta(big)[owned.OWNERS]
    tables["stakeholders"][key] = [1, 2]
    _write(big, tables, seq, summary)
    _no_pass(monkeypatch)
    with pytest.raises(CorruptFile, match=f"stakeholders/{key} is not an object"):
        _open(big)


def test_every_child_table_is_summed_up() -> None:
    from kamtui.domain.model import CHILD_TABLES

    assert owned.OWNED == CHILD_TABLES


def test_a_later_kamtuis_summary_is_vouched_for_too(big: Path) -> None:
    """A file a later kamtui wrote, with a summary this one does not know, is as written: read
    as quickly, and `kamtui check` does not call it changed. A key added by hand is a change."""
    tables, seq = _tables(big)
    summaries = {k: v for k, v in _meta(big).items() if k in codec.vouched(_meta(big))}
    big.write_bytes(b"".join(writing.snapshot_chunks(tables, seq, {**summaries, "later": {"7": [1.5, "x"]}})))
    assert codec.crc_holds(big.read_bytes()) is True
    with _open(big) as store:
        assert all(unparsed(d) for t in READ for d in store._data[t].values())
    raw = big.read_bytes()
    big.write_bytes(raw.replace(b'"later": ', b'"added": 1, "later": ', 1))
    assert codec.crc_holds(big.read_bytes()) is False


def test_an_older_kamtui_that_knows_no_such_summary_reads_the_file_whole(
    big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One that vouches only for the summaries it knows finds the CRC does not hold: it reads
    the file whole, and finds every record where it is."""
    want = _plain(big)
    older = codec.vouched
    monkeypatch.setattr(codec, "vouched", lambda meta: {k: v for k, v in older(meta).items() if k != owned.OWNERS})
    with _open(big) as store:
        assert not any(unparsed(d) for t in READ for d in store._data[t].values())
        assert _by_account(store) == want


def test_a_state_keeps_none_of_the_summaries_it_read(big: Path) -> None:
    """Read for that read alone (~10 MB at 50,000 accounts as objects, for a session's life)."""
    assert {"owners", "pipelines", "reviews"} <= set(_meta(big))
    with Store(big, user="t", read_only=True) as store:
        assert set(store._data[codec.META_TABLE]["1"]) == codec.META_OWN
