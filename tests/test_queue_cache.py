"""Today's queue kept beside the database (kamtui.store.queue_cache): what a reader takes from it
is exactly what it would compute, and it is taken only for the very state, day, thresholds and
language it was computed for."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from kamtui import i18n
from kamtui.cli import main
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.domain.stakes import rank_keyed
from kamtui.report.preview import PreviewProcess, compute, read_stages
from kamtui.sample import generate, materialize_demo
from kamtui.store import Store, queue_cache
from kamtui.store.portfolio import LenientPortfolio
from kamtui.store.today import Seed, TodayCache, kept_queue, queue_items, thresholds_id, today_queue
from tests.hostile import STORABLE_NAMES
from tests.ui_fixtures import TODAY, build_portfolio

THRESHOLDS = thresholds_id(DEFAULT_THRESHOLDS)


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # no config: the default thresholds
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(queue_cache, "CACHE_ABOVE", 0)  # every file keeps its queue here


def keep(path: Path, today: dt.date = TODAY) -> Store:
    """Open ``path`` as a writing session does, compute its whole queue and wait until it is kept.
    The store is returned closed."""
    with Store(path, user="t") as store:
        cache = TodayCache(LenientPortfolio(store, lambda: today), keep=queue_cache.keeper(store))
        cache.queue(today)
        for thread in threading.enumerate():
            if thread.name == "kamtui-keep-queue":
                thread.join()
    assert queue_cache.beside(path).exists()
    return store


def due(path: Path, capsys: pytest.CaptureFixture[str], *args: str, today: dt.date = TODAY) -> str:
    assert main(["due", "--db", str(path), "--today", today.isoformat(), *args]) == 0
    return capsys.readouterr().out


def owners_of(path: Path) -> set[str]:
    store = Store(path, user="t", create=False, read_only=True)
    try:
        return {str(d.get("owner") or "") for _i, d in store.all("accounts")} - {""}
    finally:
        store.close(compact=False)


def portfolios(tmp_path: Path) -> list[Path]:
    demo = materialize_demo(tmp_path / "demo" / "k.json", TODAY)
    generated = tmp_path / "gen" / "k.json"
    generated.parent.mkdir()
    generate(generated, 150, seed=5, today=TODAY)
    hostile = tmp_path / "hostile" / "k.json"
    hostile.parent.mkdir()
    build_portfolio(hostile, STORABLE_NAMES)
    return [demo, generated, hostile]


def test_due_prints_from_a_kept_queue_what_it_computes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for path in portfolios(tmp_path):
        asks = [(), ("--sort", "late"), ("--sort", "name"), ("--format", "json"), ("--format", "plain")]
        asks += [("--owner", o.upper(), "--format", "json") for o in sorted(owners_of(path))]
        computed = [due(path, capsys, *a) for a in asks]
        assert not queue_cache.beside(path).exists()  # a reader creates nothing
        keep(path)
        assert queue_cache.load(path, TODAY, THRESHOLDS) is not None
        assert [due(path, capsys, *a) for a in asks] == computed, path
        assert len(computed) > 5 and "Nothing due" not in computed[0]


def test_due_takes_the_kept_queue_only_while_it_holds(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    keep(path)
    kept = queue_cache.load(path, TODAY, THRESHOLDS)
    assert kept is not None
    # The same binding, one item changed: due prints what the file says (it reads it, not computes).
    marked = [dataclasses.replace(kept.items[0], title="FROM THE KEPT QUEUE"), *kept.items[1:]]
    with Store(path, user="t") as store:
        assert store.state_id == kept.state
        stakes, owners = kept.stakes, kept.owners
        assert queue_cache.save(path, kept.state, store.snap_seq, TODAY, THRESHOLDS, marked, stakes, owners)
    assert "FROM THE KEPT QUEUE" in due(path, capsys, "--format", "plain")
    assert "FROM THE KEPT QUEUE" not in due(path, capsys, "--format", "plain", "--days", "3")  # not what it holds
    assert "FROM THE KEPT QUEUE" not in due(path, capsys, "--format", "plain", today=TODAY + dt.timedelta(days=1))
    # Edits since (another session's, in the journal): the accounts they concern are computed
    # again, the others taken as kept.
    marked_account = kept.items[0].account_id
    other = Store(path, user="u")
    aid = next(i for i in sorted(kept.owners) if i != marked_account)
    other.update("accounts", aid, {"name": "RENAMED BY ANOTHER SESSION"}, seen=other.get("accounts", aid))
    other.close(compact=False)
    assert os.stat(path).st_ino == kept.state[0] and os.stat(other.journal_path).st_size > 0
    assert queue_cache.holding(path, TODAY, THRESHOLDS) is None  # not the state it was computed from
    shown = due(path, capsys, "--format", "plain")
    assert "FROM THE KEPT QUEUE" in shown and "RENAMED BY ANOTHER SESSION" in shown
    other = Store(path, user="u")
    other.update("accounts", marked_account, {"notes": "edited"}, seen=other.get("accounts", marked_account))
    other.close(compact=False)
    assert "FROM THE KEPT QUEUE" not in due(path, capsys, "--format", "plain")


def like(store: Store, table: str, account: int, **changes: object) -> dict[str, object]:
    """A new record of ``account`` made from one it has (``changes`` applied)."""
    _id, doc = next(iter(store.children(table, account)))
    return {**{k: v for k, v in doc.items() if k not in ("rev", "updated_at", "updated_by")}, **changes}


def edit_everything(path: Path, busy: set[int]) -> None:
    """Edits of another session, in the journal: an account renamed and its cadence dropped, a
    stakeholder moved to another account, an action deleted, one added, a review logged; of the
    accounts with items (``busy``)."""
    other = Store(path, user="u")
    try:
        accounts = sorted(
            i
            for i, d in other.all("accounts")
            if i in busy and all(next(iter(other.children(t, i)), None) for t in ("actions", "reviews"))
        )
        first, second, third = accounts[:3]
        other.update("accounts", first, {"name": "Renamed [b]x[/b]"}, seen=other.get("accounts", first))
        other.update("accounts", second, {"cadence": None}, seen=other.get("accounts", second))
        sid, person = next(iter(other.children("stakeholders", third)))
        other.update("stakeholders", sid, {"account_id": first}, seen=person)
        action, doc = next(iter(other.children("actions", accounts[3])))
        other.delete("actions", action, seen=doc)
        other.insert("actions", like(other, "actions", accounts[4], text="Call back", due="2026-11-01", done=False))
        other.insert("reviews", like(other, "reviews", accounts[5], date=TODAY.isoformat()))
    finally:
        other.close(compact=False)


def test_a_kept_queue_brought_up_to_date_is_the_queue_computed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in portfolios(tmp_path)[:2]:
        keep(path)
        before = queue_cache.load(path, TODAY, THRESHOLDS)
        assert before is not None
        edit_everything(path, set(before.owners))
        kept = queue_cache.load(path, TODAY, THRESHOLDS)
        assert kept is not None and kept.now[3] == kept.state[3] + 6
        asks = [(), ("--sort", "late"), ("--format", "json")]
        asks += [("--owner", o, "--format", "json") for o in sorted(owners_of(path))]
        updated = [due(path, capsys, *a) for a in asks]
        queue_cache.beside(path).unlink()
        assert [due(path, capsys, *a) for a in asks] == updated, path
        assert "Renamed [b]x[/b]" in updated[2] and "Call back" in updated[2]


def test_an_edit_of_the_settings_computes_the_whole_queue(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    keep(path)
    kept = queue_cache.load(path, TODAY, THRESHOLDS)
    assert kept is not None
    with Store(path, user="t", create=False, read_only=True, touched_after=kept.state[3]) as store:
        assert store.edited_since == set()  # no edit since: nothing to compute again
        updated = kept_queue(LenientPortfolio(store, lambda: TODAY), kept, TODAY)
        assert updated is not None and updated.items == kept.items and updated.keys == kept.keys  # keys hold
    other = Store(path, user="u")
    other.insert("settings", {"currency": "EUR"})
    other.close(compact=False)
    with Store(path, user="t", create=False, touched_after=kept.state[3]) as store:
        assert store.edited_since is None
        assert (
            kept_queue(LenientPortfolio(store, lambda: TODAY), queue_cache.load(path, TODAY, THRESHOLDS), TODAY) is None
        )


def test_a_kept_queue_holds_for_its_state_day_thresholds_language_and_kamtui(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    store = keep(path)
    kept = queue_cache.load(path, TODAY, THRESHOLDS)
    assert kept is not None and kept.state == store.state_id
    with Store(path, user="t", create=False) as again:
        want = queue_items(LenientPortfolio(again, lambda: TODAY), TODAY)
    by_account = sorted(want, key=lambda it: it.account_id)  # what ranking starts from (queue_order)
    assert [dataclasses.replace(it, ranked="") for it in kept.items] == by_account
    assert kept.keyed() == rank_keyed(by_account, kept.stakes, TODAY)  # ranked as Today ranks them
    assert queue_cache.holding(path, TODAY, THRESHOLDS) == kept.state
    assert queue_cache.load(path, TODAY + dt.timedelta(days=1), THRESHOLDS) is None
    assert queue_cache.load(path, TODAY, thresholds_id(Thresholds(contact_max_factor=2.0))) is None
    i18n.set_language("es", "ES")
    try:
        assert queue_cache.load(path, TODAY, THRESHOLDS) is None
    finally:
        i18n.set_language("en")
    monkeypatch.setattr(queue_cache, "__version__", "99.0")
    assert queue_cache.load(path, TODAY, THRESHOLDS) is None
    monkeypatch.undo()
    monkeypatch.setattr(queue_cache, "CACHE_ABOVE", 0)
    # The same bytes in another file (a restore, a copy): not the snapshot it was computed from.
    copy = path.with_name("copy.json")
    shutil.copyfile(path, copy)
    os.replace(copy, path)
    assert queue_cache.load(path, TODAY, THRESHOLDS) is None


def test_a_compaction_binds_the_kept_queue_to_the_snapshot_that_holds_its_state(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    keep(path)
    before = queue_cache.load(path, TODAY, THRESHOLDS)
    assert before is not None
    with Store(path, user="t") as store:
        assert store.compact()
        state = store.state_id
    assert state != before.state
    after = queue_cache.load(path, TODAY, THRESHOLDS)
    assert after is not None and after.state == state and after.items == before.items
    # An edit, then a compaction: the kept queue is of a state that is gone for good.
    with Store(path, user="t") as store:
        aid, doc = next(iter(store.all("accounts")))
        store.update("accounts", aid, {"notes": "edited"}, seen=doc)
        assert store.compact()
    assert not queue_cache.beside(path).exists()


DAMAGE = {
    "garbage": lambda raw: b"\x00\xff not json",
    "empty": lambda raw: b"",
    "binding alone": lambda raw: raw.partition(b"\n")[0] + b"\n",
    "cut short": lambda raw: raw[: len(raw) // 2],
    "unknown kind": lambda raw: raw.replace(b'"review"', b'"party"', 1),
    "id as text": lambda raw: _first_item(raw, lambda row: [row[0], str(row[1]), *row[2:]]),
    "date not a date": lambda raw: _first_item(raw, lambda row: [*row[:6], "31/02/2026", *row[7:]]),
    "short row": lambda raw: _first_item(raw, lambda row: row[:-1]),
    "an account without its owner": lambda raw: _body(raw, lambda b: {**b, "owners": {}}),
    "stake id not a number": lambda raw: _body(raw, lambda b: {**b, "stakes": {"x1": [1.0, 0.0, "key", ""]}}),
    # int() reads other scripts' digits ("\u0661" is 1): an id is ASCII digits alone
    "stake ids not ASCII": lambda raw: _body(
        raw, lambda b: {**b, "stakes": {"\u0661" + k: v for k, v in b["stakes"].items()}}
    ),
    "owner ids not ASCII": lambda raw: _body(
        raw, lambda b: {**b, "owners": {"\u0660" + k: v for k, v in b["owners"].items()}}
    ),
    "an empty stake id": lambda raw: _body(raw, lambda b: {**b, "stakes": {**b["stakes"], "": [1.0, 0.0, "key", ""]}}),
    "key not a list": lambda raw: _first_item(raw, lambda row: [*row[:-1], "key"]),
    "key of other types": lambda raw: _first_item(raw, lambda row: [*row[:-1], ["0", 1.0, 0, 0, "a"]]),
    "a rank's key without its words": lambda raw: _first_item(raw, lambda row: [*row[:-2], row[-1]]),
    "a field more": lambda raw: _first_item(raw, lambda row: [*row, 0]),
    "a rank's words and key null": lambda raw: _first_item(raw, lambda row: [*row[:-2], None, None]),
    "a rank's key null": lambda raw: _first_item(raw, lambda row: [*row[:-1], None]),
    "no rank, a null after": lambda raw: _first_item(raw, lambda row: [*row[:-2], None]),
    "nested past any reader": lambda raw: (
        raw.partition(b"\n")[0] + b'\n{"x": ' + b"[" * 200_000 + b"]" * 200_000 + b", " + raw.partition(b"\n")[2][1:]
    ),
    "a binding nested past any reader": lambda raw: b"[" * 200_000 + b"]" * 200_000 + b"\n" + raw,
    "never contacted not a bool": lambda raw: _first_item(raw, lambda row: [*row[:10], 0, *row[11:]]),
    "days late not whole": lambda raw: _first_item(raw, lambda row: [*row[:7], 3.0, *row[8:]]),
    "stake tier not text": lambda raw: _body(
        raw, lambda b: {**b, "stakes": {k: [1.0, 0.0, 2, ""] for k in b["stakes"]}}
    ),
    "binding not a list": lambda raw: _header(raw, lambda h: {**h, "snapshot": "abc"}),
    "other format": lambda raw: _header(raw, lambda h: {**h, "format": 2}),
}


def _header(raw: bytes, change: object) -> bytes:
    head, _nl, body = raw.partition(b"\n")
    return json.dumps(change(json.loads(head))).encode() + b"\n" + body  # type: ignore[operator]


def _body(raw: bytes, change: object) -> bytes:
    head, _nl, body = raw.partition(b"\n")
    return head + b"\n" + json.dumps(change(json.loads(body))).encode() + b"\n"  # type: ignore[operator]


def _first_item(raw: bytes, change: object) -> bytes:
    def items(body: dict[str, list[list[object]]]) -> dict[str, object]:
        return {**body, "items": [change(body["items"][0]), *body["items"][1:]]}  # type: ignore[operator]

    return _body(raw, items)


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_kept_queue_is_ignored(damage: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    computed = due(path, capsys, "--format", "json")
    keep(path)
    target = queue_cache.beside(path)
    target.write_bytes(DAMAGE[damage](target.read_bytes()))
    assert queue_cache.load(path, TODAY, THRESHOLDS) is None
    assert due(path, capsys, "--format", "json") == computed


def test_a_kept_queue_through_a_symlink_is_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    keep(path)
    target = queue_cache.beside(path)
    elsewhere = tmp_path / "elsewhere"
    target.rename(elsewhere)
    target.symlink_to(elsewhere)
    assert queue_cache.load(path, TODAY, THRESHOLDS) is None
    assert not keep_once(path)  # nor written through it
    assert target.is_symlink()


def keep_once(path: Path) -> bool:
    kept = queue_cache.load(path, TODAY, THRESHOLDS)
    with Store(path, user="t") as store:
        return queue_cache.save(path, store.state_id, store.snap_seq, TODAY, THRESHOLDS, [], {}, {}) or bool(kept)


def test_the_kept_queue_has_the_database_mode_and_only_writers_keep_one(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    path.chmod(0o640)
    keep(path)
    assert queue_cache.beside(path).stat().st_mode & 0o777 == 0o640
    with Store(path, user="t", create=False, only=("accounts",)) as view:
        assert queue_cache.keeper(view) is None
    queue_cache.beside(path).unlink()
    path.chmod(0o440)  # read-only for everyone (root too: Store respects the modes)
    with Store(path, user="t") as store:
        assert store.read_only and queue_cache.keeper(store) is None
    path.chmod(0o640)


def test_small_files_keep_no_queue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    monkeypatch.setattr(queue_cache, "CACHE_ABOVE", path.stat().st_size + 1)
    with Store(path, user="t") as store:
        assert queue_cache.keeper(store) is None


def test_today_cache_keeps_whole_queues_it_computed_or_was_offered_unkept(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    with Store(path, user="t") as store:
        kept: list[Seed] = []
        portfolio = LenientPortfolio(store, lambda: TODAY)
        cache = TodayCache(portfolio, keep=kept.append)
        queue = cache.queue(TODAY)
        assert len(kept) == 1 and kept[0].state == store.state_id and kept[0].queue() == queue
        cache.touch([next(iter(store.all("accounts")))[0]])
        cache.queue(TODAY)  # an account recomputed: nothing kept
        assert len(kept) == 1
        items = queue_items(portfolio, TODAY)
        stakes = {it.account_id: s for it, s in ((it, kept[0].stakes.get(it.account_id)) for it in items) if s}
        for was_kept, calls in ((True, 1), (False, 2)):
            other = TodayCache(portfolio, keep=kept.append)
            other.offer(Seed.of(store.state_id, TODAY, DEFAULT_THRESHOLDS, items, stakes, kept=was_kept))
            assert other.queue(TODAY) == today_queue(portfolio, TODAY)
            assert len(kept) == calls


def test_the_preview_hands_a_kept_queue_to_the_tui(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    keep(path)
    kept = queue_cache.load(path, TODAY, THRESHOLDS)
    assert kept is not None
    stages = list(compute(path, TODAY))
    assert [(s.name, s.kept, s.items, s.state) for s in stages] == [("queue", True, [], kept.state)]
    got = list(PreviewProcess(path, TODAY))
    assert [(s.name, s.kept, s.state) for s in got] == [("queue", True, kept.state)]
    assert got[0].items == kept.items and got[0].stakes == kept.stakes and got[0].keys
    # Today takes it as its own, ranked by the keys it came with: the queue it would compute.
    stage = got[0]
    seed = Seed.of(stage.state, TODAY, DEFAULT_THRESHOLDS, stage.items, stage.stakes or {}, kept=True, keys=stage.keys)
    with Store(path, user="t", read_only=True) as store:
        cache = TodayCache(LenientPortfolio(store, lambda: TODAY))
        cache.offer(seed)
        assert cache.warm(TODAY)
        assert cache.queue(TODAY) == today_queue(LenientPortfolio(store, lambda: TODAY), TODAY)
    # What the helper writes names the kept queue (its items are read by the TUI itself) ...
    helper = [sys.executable, "-m", "kamtui.report.preview", str(path), TODAY.isoformat(), "en"]
    line = subprocess.run(helper, capture_output=True, check=True).stdout
    assert line.count(b"\n") == 1 and b"items" not in line
    assert [s.items for s in read_stages(io.BytesIO(line), path, TODAY)] == [kept.items]
    # ... and if it was replaced between the helper's look and the TUI's read: no stage (the TUI
    # computes its own).
    queue_cache.beside(path).write_bytes(b"")
    assert list(read_stages(io.BytesIO(line), path, TODAY)) == []


def test_the_preview_speaks_the_tui_language(tmp_path: Path, spanish: None) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    with Store(path, user="t", create=False) as store:
        want = queue_items(LenientPortfolio(store, lambda: TODAY), TODAY)
    queue = [s for s in PreviewProcess(path, TODAY) if s.name == "queue"]
    assert [s.items for s in queue] == [want]
    assert any("salud" in it.detail for it in want)


def test_the_preview_leaves_a_kept_queue_with_edits_since_to_the_tui(tmp_path: Path) -> None:
    """With edits since the kept state, the TUI's own read brings the kept queue up to date
    (test_a_session_brings_the_kept_queue_up_to_date_itself): the preview sends the reviews due
    from the head of the file and no queue, reading nothing more; without such a head (a file
    not compacted by kamtui) it computes the whole queue, as for no kept queue."""
    for summed in (True, False):
        path = tmp_path / str(summed) / "k.json"
        path.parent.mkdir()
        generate(path, 220, seed=5, today=TODAY)
        if summed:
            with Store(path, user="t") as store:
                store.compact()  # the head of the file sums the reviews due up
        else:
            path.write_text(json.dumps(json.loads(path.read_bytes())), encoding="utf-8")  # another layout
        keep(path)
        before = queue_cache.load(path, TODAY, THRESHOLDS)
        assert before is not None
        edit_everything(path, set(before.owners))
        _marked(path, before, set(before.owners))
        with Store(path, user="t", create=False, read_only=True) as store:
            want = today_queue(LenientPortfolio(store, lambda: TODAY), TODAY)
            state = store.state_id
        stages = list(PreviewProcess(path, TODAY))
        reviews = [it.account_id for it in want if it.kind == "review"]
        assert sorted(it.account_id for it in stages[0].items) == sorted(reviews)
        if summed:
            assert [s.name for s in stages] == ["reviews"]
            continue
        assert [(s.name, s.kept) for s in stages] == [("reviews", False), ("queue", False)]
        queue = stages[1]
        assert queue.state == state
        assert Seed.of(state, TODAY, DEFAULT_THRESHOLDS, queue.items, queue.stakes or {}).queue() == want


def test_the_preview_shows_the_reviews_due_before_a_kept_queue(tmp_path: Path) -> None:
    """The first frame needs no more than the reviews due, from the head of the file (a
    snapshot of 200 accounts and more sums them up); the kept queue follows."""
    path = tmp_path / "k.json"
    generate(path, 220, seed=5, today=TODAY)
    keep(path)
    kept = queue_cache.load(path, TODAY, THRESHOLDS)
    assert kept is not None
    got = list(PreviewProcess(path, TODAY))
    assert [(s.name, s.kept) for s in got] == [("reviews", False), ("queue", True)]
    with Store(path, read_only=True) as store:
        reviews = today_queue(LenientPortfolio(store, lambda: TODAY), TODAY)
    assert got[0].items and {it.account_id for it in got[0].items} == {
        it.account_id for it in reviews if it.kind == "review"
    }
    assert got[1].items == kept.items


def test_a_kept_queue_is_brought_up_to_date_from_views_of_a_big_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """With edits since, the view reads the records of the accounts they concern alone: a big
    file's documents stay views into its bytes (parsed when read), and due prints the same."""
    from kamtui.store import codec, doctext
    from kamtui.store.views import due_view

    monkeypatch.setattr(codec, "VIEWS_ABOVE", 0)  # every file is big here
    for n, accounts in enumerate((150, 400)):
        path = tmp_path / str(n) / "k.json"
        path.parent.mkdir()
        generate(path, accounts, seed=5, today=TODAY)
        with Store(path, user="t") as store:
            store.compact()  # in kamtui's own layout, which a partial read reads
        keep(path)
        before = queue_cache.load(path, TODAY, THRESHOLDS)
        assert before is not None
        edit_everything(path, set(before.owners))
        with due_view(path, touched_after=before.state[3]) as view:
            table = view._data["stakeholders"]
            held = [doctext.unparsed(doc) for doc in table.values()]
            assert table and sum(held) >= len(held) - 6  # but the journal's edits, dicts
            assert view.edited_since
        with due_view(path) as view:  # computed whole: parsed at once, as before
            assert not any(doctext.unparsed(doc) for doc in view._data["stakeholders"].values())
        asks = [(), ("--format", "json"), *[("--owner", o, "--format", "json") for o in sorted(owners_of(path))]]
        updated = [due(path, capsys, *a) for a in asks]
        queue_cache.beside(path).unlink()
        assert [due(path, capsys, *a) for a in asks] == updated, path


def _marked(path: Path, kept: queue_cache.Cached, busy: set[int]) -> None:
    """Mark an item of an account no edit of edit_everything concerns, in the kept file."""
    last = max(busy)
    marked = [
        dataclasses.replace(it, title="FROM THE KEPT QUEUE") if it.account_id == last else it for it in kept.items
    ]
    with Store(path, user="t", create=False, read_only=True) as store:
        snap_seq = store.snap_seq
    assert queue_cache.save(path, kept.state, snap_seq, TODAY, THRESHOLDS, marked, kept.stakes, kept.owners, kept.keys)


def test_a_session_brings_the_kept_queue_up_to_date_itself(tmp_path: Path) -> None:
    """A session's store read telling the edits since the kept state: Today computes those
    accounts alone (no need to wait for the preview), and keeps the result anew."""
    import kamtui.cli.tui

    path = tmp_path / "k.json"
    generate(path, 150, seed=5, today=TODAY)
    keep(path)
    before = queue_cache.load(path, TODAY, THRESHOLDS)
    assert before is not None
    edit_everything(path, set(before.owners))
    with Store(path, user="t", create=False, read_only=True) as store:
        want = today_queue(LenientPortfolio(store, lambda: TODAY), TODAY)
    _marked(path, before, set(before.owners))
    store = kamtui.cli.tui._open_big(path, TODAY)  # as the TUI opens a big file
    try:
        assert store.edited_after == before.state[3] and store.edited_since
        cache = TodayCache(LenientPortfolio(store, lambda: TODAY), keep=queue_cache.keeper(store), kept=True)
        assert cache.warm(TODAY)  # Today does not wait for the preview
        got = cache.queue(TODAY)
        assert [it.title for it in got] == [
            "FROM THE KEPT QUEUE" if it.account_id == max(before.owners) else it.title for it in want
        ]
        assert [dataclasses.replace(it, title="") for it in got] == [dataclasses.replace(it, title="") for it in want]
        for thread in threading.enumerate():
            if thread.name == "kamtui-keep-queue":
                thread.join()
        assert queue_cache.holding(path, TODAY, THRESHOLDS) == store.state_id  # kept anew
        # ... with the owners the kept queue and the edited accounts' documents said.
        anew = queue_cache.load(path, TODAY, THRESHOLDS)
        assert anew is not None
        from kamtui.store.today import _owner_of

        assert anew.owners == {aid: _owner_of(store.get("accounts", aid) or {}) for aid in anew.owners}
        assert set(anew.owners) == {it.account_id for it in want}
        # Not for a store that does not know the edits since, nor one that moved on.
        plain = TodayCache(LenientPortfolio(store, lambda: TODAY), kept=False)
        assert not plain.warm(TODAY)
    finally:
        store.close(compact=False)
    _marked(path, before, set(before.owners))
    store = kamtui.cli.tui._open_big(path, TODAY)
    try:
        other = Store(path, user="u")
        aid, doc = next(iter(other.all("accounts")))
        other.update("accounts", aid, {"notes": "later"}, seen=doc)
        other.close(compact=False)
        store.refresh()
        cache = TodayCache(LenientPortfolio(store, lambda: TODAY), kept=True)
        assert not cache.warm(TODAY)
        assert not any(it.title == "FROM THE KEPT QUEUE" for it in cache.queue(TODAY))  # computed whole
    finally:
        store.close(compact=False)


def test_keeping_a_queue_reads_only_the_owners_it_does_not_know(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    with Store(path, user="t") as store:
        items = queue_items(LenientPortfolio(store, lambda: TODAY), TODAY)
        from kamtui.store.ranking import account_stakes
        from kamtui.store.today import _owner_of

        stakes = account_stakes(LenientPortfolio(store, lambda: TODAY), items)
        owners = {aid: _owner_of(store.get("accounts", aid) or {}) for aid in {it.account_id for it in items}}
        read: list[int] = []
        real_get = store.get
        monkeypatch.setattr(store, "get", lambda table, doc_id: read.append(doc_id) or real_get(table, doc_id))
        known = dict(list(owners.items())[1:])
        seed = Seed.of(store.state_id, TODAY, DEFAULT_THRESHOLDS, items, stakes, owners=known)
        entry = queue_cache.entry_of(store, seed, store.snap_seq)
        assert entry is not None and read == [next(iter(owners))]  # the one it did not know
        assert queue_cache._queue(store.state_id, store.state_id, entry.split(b"\n")[1]).owners == owners  # type: ignore[union-attr]


def test_a_kept_queue_is_the_json_of_its_rows_stakes_and_owners(tmp_path: Path) -> None:
    """Encoded a row at a time into one buffer (a peak of memory ~11 MB at 50,000 accounts, not
    ~20), the entry is exactly the one JSON encode of the whole it was before, empty or not."""
    import msgspec

    path = tmp_path / "k.json"
    generate(path, 150, seed=5, today=TODAY)
    with Store(path, user="t", read_only=True) as store:
        portfolio = LenientPortfolio(store, lambda: TODAY)
        items = queue_items(portfolio, TODAY)
        from kamtui.store.ranking import account_stakes

        stakes = account_stakes(portfolio, items)
    owners = {it.account_id: f"owner {it.account_id} \u202e" for it in items}
    keys = [[n, "x"] for n in range(len(items))]
    assert len(items) > 10
    for args in ((items, stakes, owners, keys), (items, stakes, owners, None), ([], {}, {}, None)):
        its, sts, ows, ks = args
        whole = msgspec.json.encode(
            {
                "items": [queue_cache._row(it, None if ks is None else ks[n]) for n, it in enumerate(its)],
                "stakes": {str(a): [s.revenue, s.pipeline, s.tier, s.red] for a, s in sts.items()},
                "owners": {str(a): k for a, k in ows.items()},
            }
        )
        header = msgspec.json.encode(queue_cache._header((1, 2, 3, 4), 3, TODAY, "t"))
        assert queue_cache.entry((1, 2, 3, 4), 3, TODAY, "t", its, sts, ows, ks) == header + b"\n" + whole + b"\n"


def test_due_reads_the_file_while_it_decodes_a_kept_queue_with_edits_since_and_never_while_it_holds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from kamtui.store import files

    path = materialize_demo(tmp_path / "k.json", TODAY)
    computed = due(path, capsys)
    keep(path)
    events: list[str] = []
    real_prefetch, real_load = files.Prefetch, queue_cache.load

    class Reading(real_prefetch):  # type: ignore[misc,valid-type]
        def __init__(self, *a: Any, **k: Any) -> None:
            events.append("read the file")
            super().__init__(*a, **k)

    monkeypatch.setattr(files, "Prefetch", Reading)
    monkeypatch.setattr(queue_cache, "load", lambda *a: events.append("decode the queue") or real_load(*a))
    assert due(path, capsys) == computed
    assert events == ["decode the queue"]  # it holds: the file is not read at all
    other = Store(path, user="u")
    aid = next(i for i, _d in other.all("accounts"))
    other.update("accounts", aid, {"notes": "an edit since"}, seen=other.get("accounts", aid))
    other.close(compact=False)
    events.clear()
    assert due(path, capsys) == computed
    assert events == ["read the file", "decode the queue"]  # the read under way while it decodes


def test_due_reads_each_file_of_kept_queues_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    keep(path)
    other = Store(path, user="u")
    aid = next(i for i, _d in other.all("accounts"))
    other.update("accounts", aid, {"notes": "an edit since"}, seen=other.get("accounts", aid))
    other.close(compact=False)
    read: list[Path] = []
    real = queue_cache.entries
    monkeypatch.setattr(queue_cache, "entries", lambda file: read.append(file) or real(file))
    assert "Nothing due" not in due(path, capsys)
    assert read and len(read) == len(set(read))  # whether the queue holds, then the queue: one read
