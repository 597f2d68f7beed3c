"""The snapshot's summary of the accounts with a cadence (`_meta`'s "reviews"): the TUI's first
screen of a big file (the preview's reviews due) is read from the head of the file instead of
the accounts table, and is exactly what the table gives; an account changed in the journal,
anything unusual, a replaced file or a file written without it and the table is read."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.domain.queue import REVIEW_FIELDS, QueueItem, build_queue, review_rows
from kamtui.report.preview import compute
from kamtui.sample import generate
from kamtui.store import Op, Store, codec, writing
from kamtui.store.compaction import REVIEWS_SUMMED_FROM
from kamtui.store.reading import head_meta, review_summary
from kamtui.store.views import due_view
from tests.hostile import STORABLE_NAMES

TODAY = dt.date(2026, 12, 2)
REVIEWS = frozenset({"review"})


@pytest.fixture(autouse=True)
def _config(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def _generated(tmp_path: Path, accounts: int = REVIEWS_SUMMED_FROM + 50) -> Path:
    path = tmp_path / "k.json"
    generate(path, accounts, 7, TODAY)
    with Store(path, user="t") as store:
        store.compact()  # written by this kamtui: with the summaries
    return path


def _from_table(path: Path) -> list[QueueItem]:
    with Store(path, user="t", read_only=True) as store:
        return build_queue(store.all("accounts"), (), (), TODAY, kinds=REVIEWS)


def _from_summary(path: Path) -> list[QueueItem] | None:
    rows = review_summary(path)
    return None if rows is None else build_queue(rows, (), (), TODAY, kinds=REVIEWS)


def _meta(path: Path) -> dict[str, Any]:
    return json.loads(path.read_bytes())["_meta"]["1"]  # type: ignore[no-any-return]


def test_the_first_screen_reads_the_summary_and_shows_what_the_table_gives(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    summed = _meta(path)["reviews"]
    assert summed and all(row[2] for row in summed.values())  # only accounts with a cadence
    want = _from_table(path)
    assert want and _from_summary(path) == want
    assert next(compute(path, TODAY)).items == want  # the preview's first stage


def test_the_summary_is_read_from_the_head_of_the_file(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    raw = path.read_bytes()
    cut = raw.index(b'\n "accounts": {') + 40
    path.write_bytes(raw[:cut])  # everything after the accounts' first bytes gone
    got = head_meta(path, ("reviews", "seq"))
    meta = json.loads(raw)["_meta"]["1"]
    assert got is not None and got[0].get("reviews") == meta["reviews"] and got[0].get("seq") == meta["seq"]
    assert got[0].get("pipelines") is None  # the summaries not asked for are skipped, not built


def test_the_crc_vouches_for_the_summary(tmp_path: Path) -> None:
    """A partial read (kamtui due) checks the summary with the rest: the file as written passes,
    a summary changed by hand does not (and the whole file is parsed instead)."""
    path = _generated(tmp_path)
    raw = path.read_bytes()
    assert codec.parse_tables(raw, ("accounts",)) is not None
    name = next(iter(_meta(path)["reviews"].values()))[0]
    forged = raw.replace(json.dumps(name, ensure_ascii=False).encode(), b'"Forged Ltd"', 1)
    assert forged != raw
    assert codec.parse_tables(forged, ("accounts",)) is None


def _an_account(store: Store) -> tuple[int, dict[str, Any]]:
    return next((i, d) for i, d in store.all("accounts") if d.get("cadence"))


def test_the_journal_s_account_edits_are_read_into_the_summary(tmp_path: Path) -> None:
    """Each op holds the whole account it writes: reviewed, renamed, cadence dropped, deleted,
    created with a cadence; the summary then gives what the table gives."""
    path = _generated(tmp_path)
    with Store(path, user="t") as store:
        cadenced = [(i, d) for i, d in store.all("accounts") if d.get("cadence")]
        (a, da), (b, db), (c, dc), (d, dd) = cadenced[:4]
        new = store.new_id("accounts")
        store.commit([Op("update", "accounts", a, {"last_review": "2020-01-01"}, da)])
        store.commit([Op("update", "accounts", b, {"name": "[red]Renamed[/red] Ñandú"}, db)])
        store.commit([Op("update", "accounts", c, {"cadence": None}, dc)])
        store.commit([Op("delete", "accounts", d, None, dd)])
        store.commit([Op("insert", "accounts", new, {**da, "name": "Newcomer", "last_review": None}, None)])
        store.close(compact=False)  # the edits stay in the journal
    rows = review_summary(path)
    assert rows is not None and [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert {r[0] for r in rows} >= {a, b, new} and not {c, d} & {r[0] for r in rows}
    items = next(compute(path, TODAY)).items
    assert items == _from_table(path) == _from_summary(path)
    assert any(it.account_id == a and it.detail == "last review 2020-01-01" for it in items)
    assert dict(rows)[b]["name"] == "[red]Renamed[/red] Ñandú" and dict(rows)[new]["name"] == "Newcomer"


def test_an_edit_elsewhere_keeps_the_summary(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    with Store(path, user="t") as store:
        oid, doc = next(iter(store.all("actions")))
        store.commit([Op("update", "actions", oid, {"title": "Call back"}, doc)])
        store.close(compact=False)
    assert _from_summary(path) == _from_table(path)


def test_a_small_file_or_one_written_before_has_no_summary(tmp_path: Path) -> None:
    small = _generated(tmp_path, accounts=20)
    assert "reviews" not in _meta(small) and review_summary(small) is None
    assert next(compute(small, TODAY)).items == _from_table(small)
    (tmp_path / "old").mkdir()
    path = _generated(tmp_path / "old")
    doc = json.loads(path.read_bytes())
    path.write_text(json.dumps(doc), encoding="utf-8")  # another program's layout
    assert review_summary(path) is None
    assert next(compute(path, TODAY)).items == _from_table(path)


@pytest.mark.parametrize(
    "rows",
    [
        [],  # not an object
        {"x1": ["A", "ann", "monthly", None]},  # an id that is not a number
        {"1": ["A", "ann", "monthly"]},  # a row too short
        {"1": {"name": "A"}},  # not a row
    ],
)
def test_a_summary_not_as_kamtui_writes_it_is_not_read(tmp_path: Path, rows: object) -> None:
    path = _generated(tmp_path)
    raw = path.read_bytes()
    start = raw.index(b'"reviews": {') + len(b'"reviews": ')  # not the owners' summary of the table
    end = raw.index(b', "schema": ', start)
    path.write_bytes(raw[:start] + json.dumps(rows).encode() + raw[end:])
    assert review_summary(path) is None
    assert next(compute(path, TODAY)).items == _from_table(path)


def test_a_hostile_name_comes_back_unchanged(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    with Store(path, user="t") as store:
        ids = [i for i, d in store.all("accounts") if d.get("cadence")][: len(STORABLE_NAMES)]
        store.commit(
            [
                Op("update", "accounts", i, {"name": n, "last_review": "2020-01-01"}, store.get("accounts", i))
                for i, n in zip(ids, STORABLE_NAMES, strict=False)
            ]
        )
        store.compact()
    names = {it.account for it in _from_summary(path) or []}
    assert set(STORABLE_NAMES[: len(ids)]) <= names


def test_the_quick_view_still_reads_a_file_with_the_summary(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    view = due_view(path)
    try:
        assert view.count("accounts") > 0
    finally:
        view.close(compact=False)


_values = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.sampled_from(["monthly", "weekly", "quarterly", "FREQ=WEEKLY;INTERVAL=3", "", "2026-11-30", "bogus"]),
    st.integers(-5, 5),
    st.booleans(),
    st.lists(st.integers(), max_size=2),
)
_account = st.dictionaries(st.sampled_from([*REVIEW_FIELDS, "tier", "revenue", "notes"]), _values, max_size=7)


@settings(max_examples=150, deadline=None)
@given(st.lists(_account, max_size=12))
def test_the_review_items_read_no_field_the_summary_leaves_out(accounts: list[dict[str, Any]]) -> None:
    """Whatever is stored, the reviews due from the summary's rows are those from the documents."""
    table = {str(i + 1): d for i, d in enumerate(accounts)}
    rows = review_rows(table, writing.sorted_ids(table))
    assert rows is not None
    summed = [(int(k), dict(zip(REVIEW_FIELDS, row, strict=True))) for k, row in rows.items()]
    whole = [(int(k), d) for k, d in table.items()]
    assert build_queue(summed, (), (), TODAY, kinds=REVIEWS) == build_queue(whole, (), (), TODAY, kinds=REVIEWS)


HEAD = b'{\n "_meta": {\n  "1": '


@pytest.mark.parametrize("read", [len(HEAD), 41, 997, 1 << 18, "eol-1", "eol", "eol+1"])
def test_the_head_is_the_same_however_many_reads_it_takes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, read: int | str
) -> None:
    """The ``_meta`` line found across reads of any size: its end in the first read, as a read's
    first or last byte ("eol": the reads are as long as the line is before its newline), in the
    middle of one; a file cut inside it gives None."""
    import kamtui.store.reading as reading

    path = _generated(tmp_path)
    raw = path.read_bytes()
    eol = raw.index(b"\n", len(HEAD))
    want = head_meta(path, ("reviews", "seq"))
    assert want is not None
    size = read if isinstance(read, int) else eol + {"eol-1": -1, "eol": 0, "eol+1": 1}[read]
    monkeypatch.setattr(reading, "_HEAD_READ", size)
    got = head_meta(path, ("reviews", "seq"))
    assert got is not None
    assert (got[0].get("reviews"), got[0].get("seq")) == (want[0].get("reviews"), want[0].get("seq"))
    path.write_bytes(raw[:eol])  # no end of the line
    assert head_meta(path, ("reviews", "seq")) is None
