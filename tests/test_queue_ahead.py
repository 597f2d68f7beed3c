"""The next days' queues computed ahead (kamtui.store.queue_ahead): the first reader of a day
takes from them exactly what it would compute, brought up to date by the journal; one helper
at a time, started only by a session that may write."""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import threading
import time
from pathlib import Path

import pytest

from kamtui import i18n
from kamtui.domain.queue import DEFAULT_THRESHOLDS
from kamtui.sample import materialize_demo
from kamtui.store import Store, queue_ahead, queue_cache
from kamtui.store.today import thresholds_id
from kamtui.ui.session import Session
from tests.test_queue_cache import due, edit_everything, owners_of, portfolios
from tests.ui_fixtures import TODAY

THRESHOLDS = thresholds_id(DEFAULT_THRESHOLDS)
AHEAD = queue_ahead.days(TODAY)


@pytest.fixture(autouse=True)
def _setup(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # no config: the default thresholds
    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.setattr(queue_cache, "CACHE_ABOVE", 0)  # every file keeps its queues here


def days_held(path: Path) -> list[str]:
    return [header["today"] for header, _body in queue_cache.entries(queue_cache.ahead(path))]


def test_due_prints_from_a_queue_computed_ahead_what_it_computes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in portfolios(tmp_path):
        asks = [(), ("--sort", "late"), ("--sort", "name"), ("--format", "json")]
        asks += [("--owner", o.upper(), "--format", "json") for o in sorted(owners_of(path))]
        computed = {day: [due(path, capsys, *a, today=day) for a in asks] for day in AHEAD}
        assert not queue_cache.ahead(path).exists()  # a reader creates nothing
        assert queue_ahead.fill(path, TODAY) == AHEAD
        assert days_held(path) == [day.isoformat() for day in AHEAD]
        for day in AHEAD:
            assert queue_cache.holding(path, day, THRESHOLDS) is not None
            assert [due(path, capsys, *a, today=day) for a in asks] == computed[day], (path, day)
        assert queue_cache.load(path, TODAY, THRESHOLDS) is None  # today's is not computed ahead
        assert "Nothing due" not in computed[AHEAD[0]][0]


def test_due_reads_the_queue_computed_ahead(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A mark put in the file shows: it is read, not computed again."""
    path = materialize_demo(tmp_path / "k.json", TODAY)
    queue_ahead.fill(path, TODAY)
    ahead = queue_cache.ahead(path)
    lines = ahead.read_bytes().split(b"\n")
    body = json.loads(lines[3])  # the second day's queue
    body["items"][0][4] = "MARKED AHEAD"
    lines[3] = json.dumps(body).encode()
    ahead.write_bytes(b"\n".join(lines))
    assert "MARKED AHEAD" in due(path, capsys, "--format", "json", today=AHEAD[1])
    assert "MARKED AHEAD" not in due(path, capsys, "--format", "json", today=AHEAD[0])


def test_a_queue_computed_ahead_is_brought_up_to_date_by_the_edits_since(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for path in portfolios(tmp_path)[:2]:
        queue_ahead.fill(path, TODAY)
        before = queue_cache.load(path, AHEAD[0], THRESHOLDS)
        assert before is not None
        edit_everything(path, set(before.owners))
        kept = queue_cache.load(path, AHEAD[0], THRESHOLDS)
        assert kept is not None and kept.now[3] == kept.state[3] + 6
        asks = [(), ("--format", "json"), *[("--owner", o, "--format", "json") for o in sorted(owners_of(path))]]
        updated = [due(path, capsys, *a, today=AHEAD[0]) for a in asks]
        queue_cache.ahead(path).unlink()
        assert [due(path, capsys, *a, today=AHEAD[0]) for a in asks] == updated, path
        assert "Renamed [b]x[/b]" in updated[1] and "Call back" in updated[1]


def test_the_helper_keeps_what_holds_and_computes_the_rest(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    assert queue_ahead.fill(path, TODAY) == AHEAD
    entries = dict(zip(days_held(path), queue_cache.entries(queue_cache.ahead(path)), strict=True))
    assert queue_ahead.fill(path, TODAY) == []  # all there
    # The next day: its own queue and the next two are there, only the third is computed; today's
    # stays (a session that took it from here keeps no other).
    tomorrow = AHEAD[0]
    assert queue_ahead.fill(path, tomorrow) == [tomorrow + dt.timedelta(days=3)]
    now = dict(zip(days_held(path), queue_cache.entries(queue_cache.ahead(path)), strict=True))
    assert sorted(now) == [(tomorrow + dt.timedelta(days=n)).isoformat() for n in range(4)]
    assert all(now[day] == entries[day] for day in entries if day in now)  # kept as they were
    # An edit: what was computed still holds (the journal brings it up to date), none is computed.
    store = Store(path, user="t")
    aid, doc = next(iter(store.all("accounts")))
    store.update("accounts", aid, {"notes": "edited"}, seen=doc)
    store.close(compact=False)
    assert queue_ahead.fill(path, tomorrow) == []
    # Another snapshot with the same bytes: nothing holds, everything is computed again.
    copy = path.with_name("copy.json")
    copy.write_bytes(path.read_bytes())
    os.replace(copy, path)
    assert queue_ahead.fill(path, tomorrow) == queue_ahead.days(tomorrow)


def test_the_days_ahead_stop_at_the_last_date() -> None:
    assert queue_ahead.days(dt.date.max) == []
    assert queue_ahead.days(dt.date.max - dt.timedelta(days=1)) == [dt.date.max]
    assert len(queue_ahead.days(TODAY)) == queue_ahead.DAYS == 3


def test_a_compaction_binds_the_queues_ahead_to_the_snapshot_that_holds_their_state(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    queue_ahead.fill(path, TODAY)
    before = queue_cache.load(path, AHEAD[2], THRESHOLDS)
    assert before is not None
    with Store(path, user="t") as store:
        assert store.compact()
        state = store.state_id
    for day in AHEAD:
        after = queue_cache.load(path, day, THRESHOLDS)
        assert after is not None and after.state == state
    assert queue_cache.load(path, AHEAD[2], THRESHOLDS).items == before.items  # type: ignore[union-attr]
    with Store(path, user="t") as store:
        aid, doc = next(iter(store.all("accounts")))
        store.update("accounts", aid, {"notes": "edited"}, seen=doc)
        assert store.compact()
    assert not queue_cache.ahead(path).exists()  # of a state gone for good


@pytest.mark.parametrize("damage", ["garbage", "a binding alone", "a queue cut short"])
def test_damaged_queues_ahead_are_ignored_and_computed_again(
    damage: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    computed = due(path, capsys, "--format", "json", today=AHEAD[0])
    queue_ahead.fill(path, TODAY)
    ahead = queue_cache.ahead(path)
    raw = ahead.read_bytes()
    ahead.write_bytes(
        {
            "garbage": b"\x00\xff not json\n",
            "a binding alone": raw.partition(b"\n")[0] + b"\n",
            "a queue cut short": raw[: raw.index(b"\n") + 100],
        }[damage]
    )
    assert queue_cache.load(path, AHEAD[0], THRESHOLDS) is None
    assert due(path, capsys, "--format", "json", today=AHEAD[0]) == computed
    assert queue_ahead.fill(path, TODAY)  # what does not hold is computed again
    assert queue_cache.load(path, AHEAD[0], THRESHOLDS) is not None


def test_queues_ahead_are_in_their_language(tmp_path: Path, spanish: None) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    queue_ahead.fill(path, TODAY)
    kept = queue_cache.load(path, AHEAD[0], THRESHOLDS)
    assert kept is not None and any("salud" in it.detail for it in kept.items)
    i18n.set_language("en")
    assert queue_cache.load(path, AHEAD[0], THRESHOLDS) is None


def wait_for(proc: object) -> int:
    assert proc is not None
    return proc.wait(timeout=120)  # type: ignore[attr-defined, no-any-return]


def test_one_helper_at_a_time_started_by_a_session_that_may_write(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    ahead = queue_cache.ahead(path)
    with Store(path, user="t", create=False, read_only=True) as store:
        assert queue_ahead.start(store, TODAY) is None
    with Store(path, user="t", create=False, only=("accounts",), read_only=True) as store:
        assert queue_ahead.start(store, TODAY) is None
    assert not ahead.exists()
    with Store(path, user="t") as store:
        # Another helper holds the file: none is started.
        fd = os.open(ahead, os.O_RDONLY | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            assert queue_ahead.start(store, TODAY) is None
        finally:
            os.close(fd)
        os.chmod(path, 0o640)
        ahead.unlink()
        assert wait_for(queue_ahead.start(store, TODAY)) == 0
    assert days_held(path) == [day.isoformat() for day in AHEAD]
    assert oct(ahead.stat().st_mode & 0o777) == "0o640"  # the database's mode
    monkeypatch.setattr(queue_cache, "CACHE_ABOVE", path.stat().st_size + 1)
    with Store(path, user="t") as store:
        assert queue_ahead.start(store, TODAY) is None  # small enough to compute at once


def test_the_helper_neither_follows_nor_replaces_a_symlink(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    ahead = queue_cache.ahead(path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_bytes(b"")
    ahead.symlink_to(elsewhere)
    with Store(path, user="t") as store:
        assert queue_ahead.start(store, TODAY) is None
    assert queue_ahead.main([str(path), TODAY.isoformat(), "en"]) == 0
    assert ahead.is_symlink() and elsewhere.read_bytes() == b""
    assert queue_cache.load(path, AHEAD[0], THRESHOLDS) is None


def test_a_helper_whose_database_cannot_be_read_says_nothing(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    path.write_bytes(b"{ not json")
    assert queue_ahead.main([str(path), TODAY.isoformat(), "en"]) == 2
    assert queue_ahead.main([str(path), "not a date", "en"]) == 2
    assert not queue_cache.ahead(path).exists()


def test_a_session_starts_the_helper_once_the_preview_is_over_and_the_first_screen_whole(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    session = Session(None, path=path, thresholds=DEFAULT_THRESHOLDS, today=TODAY)  # type: ignore[arg-type]
    with Store(path, user="t") as store:
        session.store = store
        session.preview_over.clear()  # a preview computes on the other core
        session.look_ahead()
        time.sleep(0.3)
        assert session.ahead is None and not queue_cache.ahead(path).exists()
        session.preview_over.set()
        time.sleep(0.3)  # the first screen is still being built (the app sets settled after)
        assert session.ahead is None and not queue_cache.ahead(path).exists()
        session.settled.set()
        for thread in threading.enumerate():
            if thread.name == "kamtui-look-ahead":
                thread.join(timeout=120)
        assert session.ahead is not None and session.ahead.returncode == 0
    assert days_held(path) == [day.isoformat() for day in AHEAD]


def test_a_session_starts_no_helper_while_the_days_ahead_are_held(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    assert queue_ahead.wanted(path, TODAY)
    queue_ahead.fill(path, TODAY)
    assert not queue_ahead.wanted(path, TODAY)
    with Store(path, user="t") as store:
        assert queue_ahead.start(store, TODAY) is None
        assert queue_ahead.wanted(path, AHEAD[0])  # the next day: its third day ahead is missing
        assert wait_for(queue_ahead.start(store, AHEAD[0])) == 0
    assert days_held(path) == [(TODAY + dt.timedelta(days=n)).isoformat() for n in range(1, 5)]


def test_the_helper_leaves_the_collector_as_it_found_it(tmp_path: Path) -> None:
    """Its entry point runs in tests' own process too."""
    import gc

    assert gc.isenabled()
    queue_ahead.main([str(tmp_path / "missing.json"), TODAY.isoformat(), "en"])
    assert gc.isenabled()


def test_a_leaving_session_computes_again_the_days_its_edits_made_stale(tmp_path: Path) -> None:
    path = materialize_demo(tmp_path / "k.json", TODAY)
    queue_ahead.fill(path, TODAY)
    assert not queue_ahead.wanted(path, TODAY, fresh=True)
    store = Store(path, user="t")
    aid, doc = next(iter(store.all("accounts")))
    store.update("accounts", aid, {"name": "Edited today"}, seen=doc)
    store.close(compact=False)
    assert not queue_ahead.wanted(path, TODAY)  # they hold: the journal brings them up to date
    assert queue_ahead.wanted(path, TODAY, fresh=True)  # but not as the file is now
    assert all(queue_cache.holding(path, day, THRESHOLDS) is None for day in AHEAD)
    assert queue_ahead.main([str(path), TODAY.isoformat(), "en", "fresh"]) == 0
    assert all(queue_cache.holding(path, day, THRESHOLDS) is not None for day in AHEAD)  # read as they are
    assert any(it.account == "Edited today" for it in queue_cache.load(path, AHEAD[0], THRESHOLDS).items)  # type: ignore[union-attr]
    assert queue_ahead.fill(path, TODAY, fresh=True) == []


def test_the_tui_starts_a_fresh_helper_as_it_leaves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    import kamtui.cli
    import kamtui.cli.tui
    import kamtui.ui.app

    path = materialize_demo(tmp_path / "k.json", TODAY)
    started: list[tuple[Path, dt.date, bool]] = []
    monkeypatch.setattr(
        queue_ahead, "start", lambda store, today, *, fresh=False: started.append((store.path, today, fresh))
    )
    monkeypatch.setattr(kamtui.cli.tui, "EAGER_BYTES", 10_000_000)  # read before the app starts
    monkeypatch.setattr(
        kamtui.ui.app, "run_app", lambda store, **kw: SimpleNamespace(load_error="", unsaved=[], stopped_by=None)
    )
    assert kamtui.cli.main(["--db", str(path), "--today", TODAY.isoformat()]) == kamtui.cli.EXIT_OK
    assert started == [(path, TODAY, True)]
