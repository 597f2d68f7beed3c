"""Compaction: outside the lock while writing, when close() compacts, bulk mode, visible failures."""

from __future__ import annotations

import errno
import json
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tinydb

from kamtui.store import Op, Store, StoreError, compaction, open_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "kamtui.json"


def populate(path: Path, accounts: int = 200) -> list[int]:
    s = open_store(path, "setup")
    ids = s.commit([Op("insert", "accounts", None, {"name": f"acc {i}", "v": 0}) for i in range(accounts)])
    s.compact()
    s.close(compact=False)
    return ids


def snapshot_seq(path: Path) -> int:
    return int(json.loads(path.read_bytes())["_meta"]["1"]["seq"])


def journal_seqs(store: Store) -> list[int]:
    return [json.loads(line)["seq"] for line in store.journal_path.read_bytes().splitlines()]


def temps(path: Path) -> list[str]:
    return [p.name for p in path.parent.iterdir() if ".tmp-" in p.name]


def sig(path: Path) -> tuple[int, int, int]:
    st = os.stat(path)
    return st.st_ino, st.st_size, st.st_mtime_ns


def during_snapshot_write(monkeypatch: pytest.MonkeyPatch, hook: Callable[[], None]) -> list[int]:
    """Run ``hook`` once, while a compaction serialises its snapshot (step 2, lock released)."""
    real = compaction.snapshot_chunks
    calls: list[int] = []

    def wrapped(data: Any, seq: int, summaries: Any = None) -> list[bytes]:
        chunks = real(data, seq, summaries)
        if not calls:
            calls.append(seq)
            hook()
        return chunks

    monkeypatch.setattr(compaction, "snapshot_chunks", wrapped)
    return calls


def in_thread(fn: Callable[[], None], timeout: float = 10.0) -> None:
    """Run ``fn`` in a thread; fail if it is still blocked (on the store lock) after ``timeout``."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)

    t = threading.Thread(target=run)
    t.start()
    t.join(timeout)
    assert not t.is_alive(), "the other writer was blocked: the compaction held the lock while writing"
    if errors:
        raise errors[0]


# ------------------------------------------------------------------ out of the lock


@pytest.mark.parametrize("trigger", ["compact", "commit", "close"])
def test_writer_commits_while_snapshot_is_written(db: Path, monkeypatch: pytest.MonkeyPatch, trigger: str) -> None:
    ids = populate(db)
    a = open_store(db, "ana")
    b = open_store(db, "ben", bulk=True)  # bulk: b's own commits never compact
    a.update("accounts", ids[0], {"v": 1})
    added: list[int] = []

    def other_writer() -> None:
        b.update("accounts", ids[1], {"v": 2}, seen=b.get("accounts", ids[1]))
        added.append(b.insert("accounts", {"name": "added meanwhile"}))

    calls = during_snapshot_write(monkeypatch, lambda: in_thread(other_writer))
    if trigger == "compact":
        assert a.compact()
    elif trigger == "commit":
        monkeypatch.setattr(compaction, "COMPACT_JOURNAL_BYTES", 0)
        a.update("accounts", ids[2], {"v": 3})
    else:
        a.close()
    assert calls, "no compaction ran"
    n = calls[0]
    assert a.last_compaction_error is None
    # The new snapshot holds the state at seq n; the journal exactly the two lines b wrote meanwhile.
    assert snapshot_seq(db) == n
    assert journal_seqs(a) == [n + 1, n + 2]
    assert not temps(db)
    if trigger != "close":
        assert a.get("accounts", ids[1])["v"] == 2  # type: ignore[index]
        assert a.get("accounts", added[0]) is not None
        a.close(compact=False)
    b.update("accounts", ids[3], {"v": 4})  # b goes on after the compaction it did not see
    b.close(compact=False)

    fresh = open_store(db, "checker")
    assert fresh.get("accounts", ids[0])["v"] == 1  # type: ignore[index]
    assert fresh.get("accounts", ids[1])["v"] == 2  # type: ignore[index]
    assert fresh.get("accounts", ids[3])["v"] == 4  # type: ignore[index]
    assert fresh.get("accounts", added[0]) is not None
    if trigger == "commit":
        assert fresh.get("accounts", ids[2])["v"] == 3  # type: ignore[index]
    assert fresh.count("accounts") == len(ids) + 1
    fresh.close(compact=False)


def test_compaction_by_another_process_meanwhile_wins(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = populate(db)
    a = open_store(db, "ana")
    b = open_store(db, "ben")
    a.update("accounts", ids[0], {"v": 1})
    seen_temps: list[list[str]] = []

    def other_compacts() -> None:
        mine = temps(db)
        b.update("accounts", ids[1], {"v": 2})
        assert b.compact()
        seen_temps.append([t for t in mine if t in temps(db)])  # b's sweep left a's live temp alone

    during_snapshot_write(monkeypatch, lambda: in_thread(other_compacts))
    assert a.compact() is False  # a's snapshot is stale: b's is installed and kept
    assert seen_temps and len(seen_temps[0]) == 1
    assert a.last_compaction_error is None
    assert not temps(db)
    assert snapshot_seq(db) == b.seq
    a.refresh()
    assert a.get("accounts", ids[1])["v"] == 2  # type: ignore[index]
    a.close(compact=False)
    b.close(compact=False)
    fresh = open_store(db)
    assert fresh.get("accounts", ids[0])["v"] == 1  # type: ignore[index]
    assert fresh.get("accounts", ids[1])["v"] == 2  # type: ignore[index]
    fresh.close(compact=False)


def test_closed_during_snapshot_write(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ids = populate(db)
    a = open_store(db, "ana")
    a.update("accounts", ids[0], {"v": 1})
    during_snapshot_write(monkeypatch, lambda: in_thread(lambda: a.close(compact=False)))
    with pytest.raises(StoreError, match="closed"):
        a.compact()
    assert not temps(db)
    fresh = open_store(db)
    assert fresh.get("accounts", ids[0])["v"] == 1  # type: ignore[index]
    fresh.close(compact=False)


# ------------------------------------------------------------------ close policy


@pytest.fixture
def small_thresholds(monkeypatch: pytest.MonkeyPatch) -> None:
    """A 'large' snapshot from 20 kB on, a 'large' journal from 4 kB (or 1/8 of the snapshot)."""
    monkeypatch.setattr(compaction, "CLOSE_COMPACT_SNAPSHOT_BYTES", 20_000)
    monkeypatch.setattr(compaction, "CLOSE_COMPACT_JOURNAL_BYTES", 4_000)
    monkeypatch.setattr(compaction, "CLOSE_COMPACT_JOURNAL_SHARE", 8)


def test_close_compacts_a_small_snapshot(db: Path) -> None:
    populate(db, 20)
    s = open_store(db, "ana")
    s.insert("accounts", {"name": "one edit"})
    s.close()
    assert s.journal_path.read_bytes() == b""
    assert s.last_compaction_error is None


@pytest.mark.usefixtures("small_thresholds")
def test_close_keeps_a_small_journal_beside_a_large_snapshot(db: Path) -> None:
    populate(db, 400)
    assert db.stat().st_size > 20_000
    before = sig(db)
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "one edit"})
    s.close()
    assert sig(db) == before  # not rewritten
    assert len(journal_seqs(s)) == 1
    fresh = open_store(db)
    assert fresh.get("accounts", a) is not None  # replayed from the journal
    fresh.close()


@pytest.mark.usefixtures("small_thresholds")
def test_close_compacts_once_the_journal_is_large(db: Path) -> None:
    populate(db, 400)
    size = db.stat().st_size
    s = open_store(db, "ana")
    while s.journal_path.stat().st_size < max(4_000, size // 8):
        s.insert("accounts", {"name": "edit", "pad": "x" * 200})
    s.close()
    assert s.journal_path.read_bytes() == b""
    assert snapshot_seq(db) == s.seq


@pytest.mark.usefixtures("small_thresholds")
def test_close_compacts_by_share_of_the_snapshot(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    populate(db, 400)
    size = db.stat().st_size
    monkeypatch.setattr(compaction, "CLOSE_COMPACT_JOURNAL_BYTES", 1)
    s = open_store(db, "ana")
    while s.journal_path.stat().st_size < size // 8 - 1000:  # one more line (~650 bytes) stays below
        s.insert("accounts", {"name": "edit", "pad": "x" * 200})
    s.close()  # below 1/8 of the snapshot: kept
    assert s.journal_path.stat().st_size > 0
    s = open_store(db, "ana")
    while s.journal_path.stat().st_size < size // 8:
        s.insert("accounts", {"name": "edit", "pad": "x" * 200})
    s.close()
    assert s.journal_path.read_bytes() == b""


def test_close_leaves_another_process_compaction_alone(db: Path) -> None:
    populate(db, 20)
    a = open_store(db, "ana")
    a.insert("accounts", {"name": "a"})
    b = open_store(db, "ben")
    b.compact()
    b.insert("accounts", {"name": "b"})
    before = sig(db)
    a.close()  # a would have to reload the whole file to decide: it does not compact
    assert sig(db) == before and len(journal_seqs(b)) == 1
    b.close()
    assert b.journal_path.read_bytes() == b""


def test_close_without_compact_never_compacts(db: Path) -> None:
    populate(db, 20)
    s = open_store(db, "ana")
    s.insert("accounts", {"name": "x"})
    s.close(compact=False)
    assert len(journal_seqs(s)) == 1


# ------------------------------------------------------------------ failures are visible


def failing_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(data: Any, seq: int, summaries: Any = None) -> list[bytes]:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(compaction, "snapshot_chunks", fail)


def test_failed_close_compaction_is_recorded_not_raised(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    populate(db, 20)
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "kept"})
    failing_snapshot(monkeypatch)
    s.close()  # does not raise
    assert isinstance(s.last_compaction_error, OSError) and s.last_compaction_error.errno == errno.ENOSPC
    assert not temps(db)
    monkeypatch.undo()
    fresh = open_store(db)
    assert fresh.get("accounts", a) is not None
    assert fresh.last_compaction_error is None
    assert fresh.compact() and fresh.last_compaction_error is None
    fresh.close()


def test_failed_commit_compaction_does_not_fail_the_commit(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    populate(db, 20)
    s = open_store(db, "ana")
    monkeypatch.setattr(compaction, "COMPACT_JOURNAL_BYTES", 0)
    failing_snapshot(monkeypatch)
    a = s.insert("accounts", {"name": "durable"})  # the edit is journaled: commit() succeeds
    assert isinstance(s.last_compaction_error, OSError)
    with pytest.raises(OSError):
        s.compact()  # an explicit compaction raises
    monkeypatch.undo()
    monkeypatch.setattr(compaction, "COMPACT_JOURNAL_BYTES", 0)
    s.insert("accounts", {"name": "next"})  # its compaction succeeds: the error is cleared
    assert s.last_compaction_error is None
    assert s.journal_path.read_bytes() == b""
    s.close(compact=False)
    fresh = open_store(db)
    assert fresh.get("accounts", a) is not None
    fresh.close(compact=False)


# ------------------------------------------------------------------ bulk mode


@pytest.mark.parametrize("bulk", [False, True])
def test_bulk_mode_defers_compaction(db: Path, monkeypatch: pytest.MonkeyPatch, bulk: bool) -> None:
    populate(db, 20)
    monkeypatch.setattr(compaction, "COMPACT_JOURNAL_BYTES", 2_000)
    before = sig(db)
    s = open_store(db, "ana", bulk=bulk)
    for i in range(40):
        s.insert("accounts", {"name": f"bulk {i}", "pad": "x" * 100})
    if bulk:
        assert sig(db) == before  # never compacted while loading
        assert len(journal_seqs(s)) == 40
        assert s.compact()
        assert s.journal_path.read_bytes() == b""
    else:
        assert sig(db) != before and s.journal_path.stat().st_size <= 2_000
    s.close(compact=False)
    fresh = open_store(db)
    assert fresh.count("accounts") == 60
    fresh.close(compact=False)
    with tinydb.TinyDB(db) as t:  # the snapshot is plain TinyDB; the journal holds the rest
        assert len(t.table("accounts")) == 60 - len(journal_seqs(s))


def test_module_threshold_still_disables_compaction(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    populate(db, 20)
    monkeypatch.setattr(compaction, "COMPACT_JOURNAL_BYTES", 1 << 62)
    before = sig(db)
    s = open_store(db, "ana")
    for i in range(20):
        s.insert("accounts", {"name": f"n {i}", "pad": "x" * 500})
    assert sig(db) == before
    s.close(compact=False)
