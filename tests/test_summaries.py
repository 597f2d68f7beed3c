"""The snapshot's summary of the opportunities (each account's weighted open pipeline, in `_meta`):
`kamtui due` and the preview read it instead of the table, and rank exactly as from the table;
an edit in the journal, anything unusual, a changed byte or an older file and the table is read."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui.domain.queue import QueueItem
from kamtui.sample import generate
from kamtui.store import Op, Store
from kamtui.store.portfolio import Portfolio
from kamtui.store.ranking import account_stakes
from kamtui.store.today import queue_items
from kamtui.store.views import due_view

TODAY = dt.date(2026, 12, 2)


def _generated(tmp_path: Path, accounts: int = 80) -> Path:
    path = tmp_path / "k.json"
    generate(path, accounts, 7, TODAY)
    store = Store(path, user="t")
    store.compact()  # written by this kamtui: with the summary
    store.close(compact=False)
    return path


def _queue(store: Store) -> tuple[list[dict[str, object]], dict[int, object]]:
    portfolio = Portfolio(store, lambda: TODAY)
    items: list[QueueItem] = queue_items(portfolio, TODAY)
    return [it.to_json() for it in items], {a: repr(s) for a, s in account_stakes(portfolio, items).items()}


@contextlib.contextmanager
def _both(path: Path) -> Iterator[tuple[Store, Store]]:
    """The quick view, and the whole file read as the TUI reads it; both closed after."""
    view, whole = due_view(path), Store(path, user="t", read_only=True)
    try:
        yield view, whole
    finally:
        view.close()
        whole.close()


def _meta(path: Path) -> dict[str, object]:
    return json.loads(path.read_bytes())["_meta"]["1"]  # type: ignore[no-any-return]


def test_the_view_ranks_from_the_summary_exactly_as_from_the_table(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    assert _meta(path)["pipelines"]
    with _both(path) as (view, whole):
        assert view.pipelines is not None and view.count("opportunities") == 0  # the table not parsed
        assert whole.pipelines is None and whole.count("opportunities") > 0
        items, stakes = _queue(view)
        assert (items, stakes) == _queue(whole)
        assert any(json.loads(s.split("pipeline=")[1].split(",")[0]) > 0 for s in stakes.values())  # type: ignore[union-attr]


def _an_opportunity(store: Store) -> tuple[int, dict[str, object]]:
    oid, doc = next(iter(store.all("opportunities")))
    return oid, doc


@pytest.mark.parametrize(
    "edit",
    [
        lambda oid, doc: Op("update", "opportunities", oid, {"value": 9_999_999.0}, doc),
        lambda oid, doc: Op("delete", "opportunities", oid, None, doc),
    ],
)
def test_an_opportunity_changed_after_the_snapshot_is_read_from_the_table(tmp_path: Path, edit: object) -> None:
    path = _generated(tmp_path)
    writer = Store(path, user="t")
    oid, doc = _an_opportunity(writer)
    writer.commit([edit(oid, doc)])  # type: ignore[operator]
    writer.close(compact=False)  # in the journal only
    assert "pipelines" in _meta(path)
    with _both(path) as (view, whole):
        assert view.pipelines is None and view.count("opportunities") == whole.count("opportunities")
        assert _queue(view) == _queue(whole)


def test_a_view_that_sees_an_opportunity_change_reads_the_table_again(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    view = due_view(path)
    try:
        assert view.pipelines is not None
        writer = Store(path, user="t")
        oid, doc = _an_opportunity(writer)
        writer.commit([Op("update", "opportunities", oid, {"value": 1.0}, doc)])
        writer.close(compact=False)
        view.refresh()
        assert view.pipelines is None and view.get("opportunities", oid) is not None
        whole = Store(path, user="t", read_only=True)
        assert _queue(view) == _queue(whole)
        whole.close()
    finally:
        view.close()


def test_an_unusual_opportunity_leaves_no_summary(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    doc = json.loads(path.read_bytes())
    # Written by hand: "50" is read as 50 by the model but not by the quick stake reading (the
    # door of every commit would have stored 50).
    next(iter(doc["opportunities"].values()))["probability"] = "50"
    path.write_text(json.dumps(doc), encoding="utf-8")
    store = Store(path, user="t")
    store.compact()
    store.close(compact=False)
    assert "pipelines" not in _meta(path)
    with _both(path) as (view, whole):
        assert view.pipelines is None
        assert _queue(view) == _queue(whole)


def test_a_changed_summary_is_caught_by_the_crc_and_the_table_read(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    raw = path.read_bytes()
    head, _, rest = raw.partition(b'"pipelines": {"')
    key, _, tail = rest.partition(b'": ')
    number, _, after = tail.partition(b",")
    changed = head + b'"pipelines": {"' + key + b'": ' + number + b"1" + b"," + after  # one digit more
    assert changed != raw and json.loads(changed)
    path.write_bytes(changed)
    with _both(path) as (view, whole):
        assert view.pipelines is None and view.count("opportunities") > 0
        assert _queue(view) == _queue(whole)


def test_a_file_written_before_the_summary_is_read_as_before(tmp_path: Path) -> None:
    path = _generated(tmp_path)
    doc = json.loads(path.read_bytes())
    del doc["_meta"]["1"]["pipelines"]  # as an older kamtui wrote it (then in TinyDB's own layout)
    path.write_text(json.dumps(doc), encoding="utf-8")
    with _both(path) as (view, whole):
        assert view.pipelines is None
        assert _queue(view) == _queue(whole)


def _hand_edited(path: Path, edit: object) -> None:
    """The file rewritten as another program would (TinyDB's layout), ``edit`` applied to it."""
    doc = json.loads(path.read_bytes())
    edit(doc)  # type: ignore[operator]
    path.write_text(json.dumps(doc), encoding="utf-8")


def _first(doc: dict[str, dict[str, dict[str, object]]], table: str) -> dict[str, object]:
    return next(iter(doc[table].values()))


def _no_roles(d: dict[str, dict[str, dict[str, object]]]) -> None:
    for sh in d["stakeholders"].values():
        sh["role"] = ["decision_maker"]


def _huge(d: dict[str, dict[str, dict[str, object]]]) -> None:
    for o in list(d["opportunities"].values())[:2]:
        o.update(value=1.5e308, probability=100, stage="propose")


@pytest.mark.parametrize(
    ("edit", "summed"),
    [
        (_huge, False),  # valid (kamtui check says so) but past any float once weighted: JSON cannot hold it
        (lambda d: _first(d, "opportunities").update(stage=["propose"]), False),  # not a stage at all
        (lambda d: _first(d, "opportunities").update(value=10**400, stage="propose"), False),  # past any float
        (_no_roles, True),  # not a role: the opportunities are summed as before
    ],
)
def test_a_file_with_odd_values_still_compacts_and_due_reads_it(tmp_path: Path, edit: object, summed: bool) -> None:
    path = _generated(tmp_path)
    _hand_edited(path, edit)
    store = Store(path, user="t")
    assert store.compact()  # the summary is left out when it cannot be trusted; the compaction goes on
    store.close(compact=False)
    assert ("pipelines" in _meta(path)) is summed
    with _both(path) as (view, whole):
        assert (view.pipelines is not None) is summed
        assert _queue(view) == _queue(whole)
    result = subprocess.run(
        [sys.executable, "-m", "kamtui", "due", "--db", str(path), "--today", TODAY.isoformat()],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr


def test_an_account_read_as_entities_sums_its_pipeline_as_the_summary_does(tmp_path: Path) -> None:
    """Python 3.12's sum() compensates where += does not: every reading adds with sum()."""
    path = _generated(tmp_path)

    def edit(d: dict[str, dict[str, dict[str, object]]]) -> None:
        aid = int(_first(d, "opportunities")["account_id"])  # type: ignore[call-overload]
        d["accounts"][str(aid)]["revenue"] = "1,000"  # the model reads it; the quick stake reading does not
        opps = [o for o in d["opportunities"].values() if o["account_id"] == aid]
        for o in opps:
            o.update(value=0.0)
        # 0.06 is lost beside 1e15 (the largest amount kamtui takes) by +=, kept by 3.12's sum()
        for o, value in zip(opps, (0.06, 1e15, 0.06), strict=False):
            o.update(value=value, probability=100, stage="propose")

    _hand_edited(path, edit)
    store = Store(path, user="t")
    store.compact()
    store.close(compact=False)
    assert _meta(path)["pipelines"]
    with _both(path) as (view, whole):
        assert view.pipelines is not None
        assert _queue(view) == _queue(whole)
