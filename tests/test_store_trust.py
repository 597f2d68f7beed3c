"""Issue 10, the store's half: no false conflicts, no quietly dropped journal lines, nothing
stored that cannot load, read-only files respected, readers that create nothing, a held lock
that freezes nobody, and a memo shared safely between threads."""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kamtui.domain.model import Account, Tier
from kamtui.store import ConflictError, CorruptFile, Op, Store, locking
from kamtui.store import portfolio as portfolio_module
from kamtui.store.codec import parse_tables
from kamtui.store.errors import ReadOnlyStore
from kamtui.store.locking import LockAbandoned, LockTimeout
from kamtui.store.portfolio import Portfolio
from kamtui.store.schema import InvalidDocument
from tests.as_user import listing, run_as_other_user, shared_folder
from tests.raw import write_raw_documents

# ----------------------------------------------------------------- false conflicts (item 1)


def _file_with_bare_account(path: Path) -> int:
    """A data file holding an account stored without any optional field (an older kamtui, a script)."""
    Store(path, user="setup").close()
    return write_raw_documents(path, {"accounts": [{"name": "X"}]})[0]


def test_a_document_without_optional_fields_saves_and_deletes_without_conflict(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    acc_id = _file_with_bare_account(path)
    with Store(path, user="ana") as store:
        portfolio = Portfolio(store)
        seen = portfolio.account(acc_id)
        assert seen is not None
        saved, _ = portfolio.save(dataclasses.replace(seen, industry="Retail"), seen)
        assert saved.industry == "Retail"
        doc = store.get("accounts", acc_id)
        assert doc is not None
        # Only the changed field was written; what the user did not touch stays as stored (absent).
        assert {k for k in doc if k not in ("rev", "updated_at", "updated_by")} == {"name", "industry"}
        again = portfolio.account(acc_id)
        assert again is not None
        portfolio.save(dataclasses.replace(again, notes="second save"), again)
        latest = portfolio.account(acc_id)
        assert latest is not None
        portfolio.delete(latest)
        assert store.get("accounts", acc_id) is None


def test_a_real_conflict_on_a_bare_document_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    acc_id = _file_with_bare_account(path)
    with Store(path, user="ana") as mine, Store(path, user="ben") as theirs:
        seen = Portfolio(mine).account(acc_id)
        assert seen is not None
        other = Portfolio(theirs).account(acc_id)
        assert other is not None
        Portfolio(theirs).save(dataclasses.replace(other, industry="Energy"), other)
        with pytest.raises(ConflictError, match="industry"):
            Portfolio(mine).save(dataclasses.replace(seen, industry="Retail"), seen)
        # A different field merges.
        Portfolio(mine).save(dataclasses.replace(seen, owner="ana"), seen)
        doc = mine.get("accounts", acc_id)
        assert doc is not None and doc["industry"] == "Energy" and doc["owner"] == "ana"


def test_a_delete_is_refused_when_a_script_changed_the_record_without_a_rev(tmp_path: Path) -> None:
    """The conflict check compares what was seen with what is stored, not only the ``rev`` stamp:
    a TinyDB script that rewrites a record keeps (or never had) a rev, and the change still counts."""
    path = tmp_path / "k.json"
    acc_id = _file_with_bare_account(path)
    with Store(path, user="ana") as store:
        seen = store.get("accounts", acc_id)
        assert seen is not None and "rev" not in seen
    data = json.loads(path.read_text())
    data["accounts"][str(acc_id)]["industry"] = "Energy"  # no rev, as a script writes it
    path.write_text(json.dumps(data))
    with Store(path, user="ana") as store:
        with pytest.raises(ConflictError, match="industry"):
            store.commit([Op("delete", "accounts", acc_id, seen=seen)])
        assert store.get("accounts", acc_id) is not None


def test_new_documents_are_stored_in_normal_form_keeping_unknown_keys(tmp_path: Path) -> None:
    with Store(tmp_path / "k.json", user="ana") as store:
        acc = store.insert("accounts", {"name": " ACME ", "tier": "Key", "from_newer_kamtui": [1]})
        doc = store.get("accounts", acc)
        assert doc is not None
        assert doc["name"] == "ACME" and doc["tier"] == "key" and doc["industry"] == "" and doc["criteria"] == {}
        assert doc["from_newer_kamtui"] == [1]


# ------------------------------------------------------------- what cannot load (item 6)


@pytest.mark.parametrize(
    ("table", "values", "field"),
    [
        ("accounts", {"name": "nul\x00inside"}, "name"),
        ("accounts", {"name": "ok", "tier": "platinum"}, "tier"),
        ("accounts", {"name": "ok", "last_review": "yesterday"}, "last_review"),
        ("stakeholders", {"account_id": 1, "name": "ok", "friendliness": 9}, "friendliness"),
        ("accounts", {"tier": "key"}, "name"),
    ],
)
def test_the_store_refuses_what_the_domain_rejects_and_writes_nothing(
    tmp_path: Path, table: str, values: dict[str, object], field: str
) -> None:
    path = tmp_path / "k.json"
    with Store(path, user="ana") as store:
        acc = store.insert("accounts", {"name": "ACME"})
        before = listing(tmp_path)
        with pytest.raises(InvalidDocument, match=field):
            store.insert(table, values)
        if table == "accounts" and field in values:
            with pytest.raises(InvalidDocument, match=field):
                store.update("accounts", acc, values)
        assert listing(tmp_path) == before
        assert store.get("accounts", acc) is not None and store.count(table) == (1 if table == "accounts" else 0)


# ------------------------------------------------------------ journal sequence (item 2)


def _journal_line(seq: int, doc_id: int, name: str) -> bytes:
    op = {"t": "accounts", "id": doc_id, "doc": {"name": name, "rev": 1}}
    return (json.dumps({"seq": seq, "ts": "2026-12-01T00:00:00Z", "user": "x", "ops": [op]}) + "\n").encode()


@pytest.fixture
def journaled(tmp_path: Path) -> Iterator[Path]:
    """A file with two compactions behind it (so backups exist) and three edits in its journal."""
    path = tmp_path / "k.json"
    with Store(path, user="ana") as store:
        store.insert("accounts", {"name": "first"})
        store.compact()
        store.insert("accounts", {"name": "second"})
        store.compact()
        for i in range(3):
            store.insert("accounts", {"name": f"edit {i}"})
        store.close(compact=False)
    yield path


@pytest.mark.parametrize(
    ("seqs", "reason"),
    [
        ((2,), "sequence number 2 after 5"),  # goes backwards
        ((5,), "sequence number 5 after 5"),  # repeats
        ((7,), "sequence number 7 after 5"),  # jumps ahead
        ((6, 8), "sequence number 8 after 6"),
    ],
)
def test_a_journal_out_of_sequence_is_refused_untouched(journaled: Path, seqs: tuple[int, ...], reason: str) -> None:
    journal = journaled.with_name(journaled.name + ".journal")
    with journal.open("ab") as fh:
        for seq in seqs:
            fh.write(_journal_line(seq, 10_000 + seq, f"line {seq}"))
    before = listing(journaled.parent)
    with pytest.raises(CorruptFile, match=reason) as err:
        Store(journaled, user="ana")
    assert str(journal) in str(err.value) and "newest good backup: " in str(err.value)
    assert err.value.backup is not None and err.value.backup.exists()
    assert listing(journaled.parent) == before


def test_a_journal_that_does_not_continue_the_snapshot_is_refused(journaled: Path) -> None:
    with Store(journaled, user="ana") as store:
        store.compact()  # snapshot at seq 5, empty journal
        store.close(compact=False)
    journal = journaled.with_name(journaled.name + ".journal")
    journal.write_bytes(_journal_line(7, 123, "after a gap"))
    with pytest.raises(CorruptFile, match="edits 6-6 are missing"):
        Store(journaled, user="ana")


def test_a_live_session_refuses_a_journal_that_breaks_its_sequence(journaled: Path) -> None:
    store = Store(journaled, user="ana")
    try:
        journal = journaled.with_name(journaled.name + ".journal")
        with journal.open("ab") as fh:
            fh.write(_journal_line(9, 999, "out of order"))
        size = journal.stat().st_size
        with pytest.raises(CorruptFile, match="sequence number 9 after 5"):
            store.refresh()
        with pytest.raises(CorruptFile):
            store.insert("accounts", {"name": "not written"})
        assert journal.stat().st_size == size
    finally:
        store.close(compact=False)


def test_a_crash_between_compaction_renames_still_loads(journaled: Path) -> None:
    """The new snapshot beside the whole old journal: lines the snapshot holds are skipped."""
    journal = journaled.with_name(journaled.name + ".journal")
    old_journal = journal.read_bytes()
    with Store(journaled, user="ana") as store:
        store.compact()
        expected = sorted(d["name"] for _, d in store.all("accounts"))
        store.close(compact=False)
    journal.write_bytes(old_journal)
    with Store(journaled, user="ana") as store:
        assert sorted(d["name"] for _, d in store.all("accounts")) == expected
        store.insert("accounts", {"name": "after"})  # and the next edit continues it


# -------------------------------------------------------- a skipped table is checked (item 3)


def test_a_partial_read_vouches_for_the_bytes_it_skips(journaled: Path) -> None:
    with Store(journaled, user="ana") as store:
        store.insert("objectives", {"account_id": 1, "title": "Grow", "horizon": "short"})
        store.compact()
        store.close(compact=False)
    raw = journaled.read_bytes()
    assert parse_tables(raw, ("accounts",)) is not None
    i = raw.index(b'"Grow"')
    for damage in (b'"Gr\xffw"', b'"Grow ', b'"Grxw"'):
        assert parse_tables(raw[:i] + damage + raw[i + len(damage) :], ("accounts",)) is None


# --------------------------------------------------------------- read-only files (item 4)


def _one_account(path: Path, user: str) -> None:
    """A database at ``path`` holding one account, ACME, its edit left in the journal."""
    with Store(path, user=user) as store:
        store.insert("accounts", {"name": "ACME"})
        store.close(compact=False)


def test_a_0400_file_opens_as_a_read_only_session_and_nothing_changes(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    _one_account(path, "ana")
    path.chmod(0o400)
    before = listing(tmp_path)
    store = Store(path, user="ana")
    try:
        assert store.read_only and store.read_only_reason == f"you may not write {path}"
        assert [d["name"] for _, d in store.all("accounts")] == ["ACME"]
        with pytest.raises(ReadOnlyStore, match="read-only session"):
            store.insert("accounts", {"name": "refused"})
        assert not store.compact()
    finally:
        store.close()
    assert listing(tmp_path) == before


@pytest.mark.parametrize("sidecar", ["journal", "lock"])
def test_a_sidecar_only_readable_makes_a_read_only_session_that_names_it(tmp_path: Path, sidecar: str) -> None:
    """The journal or the lock file, there and 0444, is named as the reason (its mode, asked once
    with the check that it is a regular file, not again)."""
    path = tmp_path / "k.json"
    _one_account(path, "ana")
    side = path.with_name(f"k.json.{sidecar}")
    side.touch()
    side.chmod(0o444)
    before = listing(tmp_path)
    store = Store(path, user="ana")
    try:
        assert store.read_only and store.read_only_reason == f"you may not write {side}"
        assert [d["name"] for _, d in store.all("accounts")] == ["ACME"]
    finally:
        store.close()
    assert listing(tmp_path) == before
    side.chmod(0o644)
    with Store(path, user="ana") as store:  # writable again: a session that may write
        assert not store.read_only


def test_a_folder_where_the_lock_cannot_be_made_makes_a_read_only_session() -> None:
    """Another user who may write the file and its journal but not create the lock file beside
    them reads the file, read-only, and the reason names the folder."""
    with shared_folder() as folder:
        path = folder / "k.json"
        _one_account(path, "owner")
        path.with_name("k.json.lock").unlink()
        for p in folder.iterdir():
            p.chmod(0o666)
        folder.chmod(0o755)
        before = listing(folder)

        def attempt() -> tuple[str | None, list[str]]:
            s = Store(path, user="guest")
            try:
                return s.read_only_reason, [d["name"] for _, d in s.all("accounts")]
            finally:
                s.close()

        assert run_as_other_user(attempt) == (f"you may not create files in {folder}", ["ACME"])
        assert listing(folder) == before


def test_a_user_who_may_only_read_gets_a_read_only_session() -> None:
    with shared_folder() as folder:
        path = folder / "k.json"
        _one_account(path, "owner")
        for p in folder.iterdir():
            p.chmod(0o644)
        folder.chmod(0o755)
        before = listing(folder)

        def attempt() -> tuple[bool, str | None, list[str], str]:
            s = Store(path, user="guest")
            try:
                names = [d["name"] for _, d in s.all("accounts")]
                try:
                    s.insert("accounts", {"name": "refused"})
                    outcome = "written"
                except ReadOnlyStore as exc:
                    outcome = str(exc)
                return s.read_only, s.read_only_reason, names, outcome
            finally:
                s.close()

        read_only, reason, names, outcome = run_as_other_user(attempt)
        assert read_only and names == ["ACME"] and "read-only session" in outcome
        assert reason is not None and "you may not write" in reason
        assert listing(folder) == before


# ------------------------------------------------------------- a held lock (item 8)


@pytest.fixture
def held_lock(tmp_path: Path) -> Iterator[Path]:
    """A data file whose lock another process holds until the test ends."""
    path = tmp_path / "k.json"
    _one_account(path, "ana")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, sys, time\n"
            "f = open(sys.argv[1], 'a')\n"
            "fcntl.flock(f, fcntl.LOCK_EX)\n"
            "print('held', flush=True)\n"
            "time.sleep(120)\n",
            str(path.with_name(path.name + ".lock")),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == b"held\n"
        yield path
    finally:
        holder.kill()
        holder.wait()


def _writer(store: Store, results: list[object]) -> threading.Thread:
    def write() -> None:
        try:
            results.append(store.insert("accounts", {"name": "waiting"}))
        except Exception as exc:  # noqa: BLE001 - reported to the test
            results.append(exc)

    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_reads_never_wait_for_a_held_lock_and_a_waiting_write_can_be_abandoned(
    held_lock: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locking, "NOTICE_AFTER", 0.05)
    before = listing(held_lock.parent)
    store = Store(held_lock, user="ana")  # opening reads without the lock
    try:
        noticed = threading.Event()
        store.on_lock_wait = lambda p, waiting: noticed.set() if waiting else None
        store.lock_timeout = 600
        results: list[object] = []
        writer = _writer(store, results)
        assert noticed.wait(10), "the waiting write never said it was waiting"
        assert writer.is_alive()
        # While that write waits: reads, refreshes and another process's reader all go on.
        reads: list[object] = []
        reader = threading.Thread(
            target=lambda: reads.append(
                (store.refresh(), [d["name"] for _, d in store.all("accounts")], store.get("accounts", 1))
            ),
            daemon=True,
        )
        reader.start()
        reader.join(10)
        assert not reader.is_alive(), "a read waited for the file lock"
        assert reads == [(set(), ["ACME"], None)]
        with Store(held_lock, read_only=True) as other:
            assert other.count("accounts") == 1
        store.abandon_waits()
        writer.join(10)
        assert not writer.is_alive()
        assert isinstance(results[0], LockAbandoned) and "not saved" in str(results[0])
        assert store.count("accounts") == 1
    finally:
        store.close()
    assert listing(held_lock.parent) == before


def test_a_write_gives_up_after_the_timeout_and_close_does_not_wait(
    held_lock: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locking, "NOTICE_AFTER", 0.05)
    store = Store(held_lock, user="ana")
    store.lock_timeout = 0.2
    with pytest.raises(LockTimeout, match=r"gave up waiting for .*k\.json: locked by another session"):
        store.insert("accounts", {"name": "late"})
    store.lock_timeout = 600
    waiting = threading.Event()
    store.on_lock_wait = lambda p, now: waiting.set() if now else None
    results: list[object] = []
    writer = _writer(store, results)
    assert waiting.wait(10)
    store.close()  # quitting: the waiting write is abandoned, not waited for
    writer.join(10)
    assert not writer.is_alive() and isinstance(results[0], LockAbandoned)
    with Store(held_lock, read_only=True) as check:
        assert check.count("accounts") == 1


def test_lock_timeout_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAMTUI_LOCK_TIMEOUT", "2.5")
    assert locking.lock_timeout_from_env() == 2.5
    for bad in ("", "soon", "-1", "0", "nan", "inf"):
        monkeypatch.setenv("KAMTUI_LOCK_TIMEOUT", bad)
        assert locking.lock_timeout_from_env() == locking.LOCK_TIMEOUT


# ------------------------------------------------------------ the shared memo (item 15)


def test_the_child_memo_is_safe_between_threads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(portfolio_module, "MEMO_SIZE", 3)  # constant eviction: the racy path
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        with Store(tmp_path / "k.json", user="ana") as store:
            ids = store.commit([Op("insert", "accounts", None, {"name": f"a{i}"}) for i in range(12)])
            store.commit([Op("insert", "stakeholders", None, {"account_id": a, "name": f"s{a}"}) for a in ids])
            portfolio = Portfolio(store)
            errors: list[BaseException] = []

            def hammer(seed: int) -> None:
                rng = random.Random(seed)
                try:
                    for _ in range(3000):
                        a = rng.choice(ids)
                        people = portfolio.stakeholders(a)
                        assert [p.account_id for p in people] == [a]
                except BaseException as exc:  # noqa: BLE001 - reported to the test
                    errors.append(exc)

            threads = [threading.Thread(target=hammer, args=(i,)) for i in range(4)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            assert errors == []
    finally:
        sys.setswitchinterval(interval)


def test_account_entities_still_load_through_the_portfolio(tmp_path: Path) -> None:
    with Store(tmp_path / "k.json", user="ana") as store:
        acc = store.insert("accounts", Account(name="ACME", tier=Tier.KEY).to_doc())
        assert Portfolio(store).account(acc) == Account(name="ACME", tier=Tier.KEY, id=acc)
        assert os.path.exists(tmp_path / "k.json.lock")


# ------------------------------------------------------------------ a full disk (item 12)


def test_a_full_disk_names_the_data_file_and_saves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno

    from kamtui.store.errors import DiskError

    path = tmp_path / "k.json"
    with Store(path, user="ana") as store:
        store.insert("accounts", {"name": "ACME"})
        journal = path.with_name(path.name + ".journal")
        size = journal.stat().st_size

        def full(fd: int, data: object) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(os, "write", full)
        with pytest.raises(DiskError) as err:
            store.insert("accounts", {"name": "lost"})
        monkeypatch.undo()
        assert str(err.value) == f"cannot write {path}: No space left on device; nothing was saved"
        assert isinstance(err.value, OSError) and err.value.errno == errno.ENOSPC
        assert journal.stat().st_size == size and store.count("accounts") == 1
        store.close(compact=False)
