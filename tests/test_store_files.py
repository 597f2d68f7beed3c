"""Files the store cannot read are never written; permissions, symlinks and temp files."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kamtui.store import CorruptFile, Op, StoreError, UnsafePath, open_store


def good_store(path: Path, accounts: int = 3) -> list[int]:
    s = open_store(path, "ana")
    ids = s.commit([Op("insert", "accounts", None, {"name": f"acc {i}", "tier": "key"}) for i in range(accounts)])
    s.close()
    return ids


def replace_bytes(path: Path, data: bytes) -> None:
    """Put ``data`` at ``path`` as a new inode (never through a backup's hard link)."""
    tmp = path.with_name(path.name + ".fixture")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def fingerprint(*paths: Path) -> list[tuple[bytes, int, int] | None]:
    out: list[tuple[bytes, int, int] | None] = []
    for p in paths:
        if p.exists():
            st = p.stat()
            out.append((p.read_bytes(), st.st_mtime_ns, st.st_ino))
        else:
            out.append(None)
    return out


def valid_doc() -> bytes:
    return json.dumps({"accounts": {"1": {"name": "ACME"}}, "_meta": {"1": {"schema": 1, "seq": 0}}}).encode()


CORRUPT: dict[str, Callable[[bytes], bytes]] = {
    "truncated": lambda good: good[: len(good) // 2],
    "trailing-garbage": lambda good: good + b'al": "x"}}\n}',  # what an interrupted in-place rewrite leaves
    "empty": lambda good: b"",
    "list": lambda good: b"[]",
    "invalid-utf8": lambda good: good.replace(b"acc 0", b"acc \xff\xfe"),
    "not-tinydb": lambda good: b'{"accounts": {"x": 1}}',
}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "kamtui.json"


@pytest.mark.parametrize("kind", sorted(CORRUPT))
def test_corrupt_snapshot_refused_untouched(db: Path, kind: str) -> None:
    good_store(db)
    replace_bytes(db, CORRUPT[kind](db.read_bytes()))
    journal = db.with_name(db.name + ".journal")
    before = fingerprint(db, journal)
    with pytest.raises(CorruptFile) as err:
        open_store(db, "ben")
    msg = str(err.value)
    assert str(db) in msg and "\n" not in msg
    assert err.value.path == db
    assert fingerprint(db, journal) == before
    assert not [p for p in db.parent.iterdir() if ".tmp-" in p.name]


def test_corrupt_message_names_newest_good_backup(db: Path) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "v1"})
    s.compact()  # backs up the first snapshot
    s.update("accounts", a, {"name": "v2"})
    s.compact()  # backs up the v1 snapshot
    s.update("accounts", a, {"name": "v3"})
    s.compact()  # backs up the v2 snapshot
    s.close(compact=False)
    backups = sorted(s.backup_dir.iterdir())
    assert len(backups) == 3
    newest = backups[-1]
    assert json.loads(newest.read_bytes())["accounts"][str(a)]["name"] == "v2"
    replace_bytes(db, b"{garbage")
    with pytest.raises(CorruptFile) as err:
        open_store(db)
    assert err.value.backup == newest and str(newest) in str(err.value)
    # A damaged newest backup is skipped for the next good one.
    replace_bytes(newest, b"")
    with pytest.raises(CorruptFile) as err:
        open_store(db)
    assert err.value.backup == backups[-2] and str(backups[-2]) in str(err.value)


def test_without_backup_message_says_so(db: Path) -> None:
    replace_bytes(db, b"")
    with pytest.raises(CorruptFile) as err:
        open_store(db)
    assert err.value.backup is None and "no good backup" in str(err.value)
    assert db.read_bytes() == b""


def test_damaged_journal_line_in_middle(db: Path) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "one"})
    s.insert("accounts", {"name": "two"})
    s.update("accounts", a, {"name": "three"})
    s.close(compact=False)
    journal = s.journal_path
    lines = journal.read_bytes().splitlines(keepends=True)
    lines[1] = lines[1][:60] + b"\n"  # a line cut short, followed by whole ones
    journal.write_bytes(b"".join(lines))
    before = fingerprint(db, journal)
    with pytest.raises(CorruptFile) as err:
        open_store(db, "ben")
    assert str(journal) in str(err.value) and "\n" not in str(err.value)
    assert fingerprint(db, journal) == before


def test_file_corrupted_while_open_is_not_written(db: Path) -> None:
    good_store(db)
    s = open_store(db, "ana")
    s.insert("accounts", {"name": "in journal"})
    replace_bytes(db, b"[]")
    before = fingerprint(db, s.journal_path)
    with pytest.raises(CorruptFile):
        s.insert("accounts", {"name": "refused"})
    with pytest.raises(CorruptFile):
        s.compact()
    with pytest.raises(CorruptFile):
        s.refresh()
    s.close()  # tries to compact, must not write either
    assert fingerprint(db, s.journal_path) == before


def test_torn_last_journal_line_ignored(db: Path) -> None:
    s = open_store(db, "ana")
    a = s.insert("accounts", {"name": "kept"})
    s.close(compact=False)
    journal = s.journal_path
    whole = journal.read_bytes()
    journal.write_bytes(whole + b'{"seq": 2, "ts": "2026-01-0')
    s2 = open_store(db, "ben")
    assert s2.get("accounts", a) is not None and s2.seq == 1
    b = s2.insert("accounts", {"name": "next"})
    s2.close(compact=False)
    lines = journal.read_bytes().splitlines(keepends=True)
    assert lines[0] + b"" == whole and len(lines) == 2 and json.loads(lines[1])["seq"] == 2
    s3 = open_store(db)
    assert s3.get("accounts", b) is not None and s3.get("accounts", a) is not None


# ------------------------------------------------------------------ permissions


@pytest.fixture
def umask022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(p: Path) -> int:
    return stat.S_IMODE(os.lstat(p).st_mode)


@pytest.mark.usefixtures("umask022")
def test_created_files_are_private(tmp_path: Path) -> None:
    db = tmp_path / "sub" / "kamtui.json"
    db.parent.mkdir()  # the store makes no folder (the CLI makes the default one, 0700)
    s = open_store(db, "ana")
    s.insert("accounts", {"name": "ACME"})
    s.compact()
    s.insert("accounts", {"name": "Globex"})
    assert mode(db) == 0o600
    assert mode(s.journal_path) == 0o600
    assert mode(s.lock_path) == 0o600
    assert mode(s.backup_dir) == 0o700
    backups = list(s.backup_dir.iterdir())
    assert backups and all(mode(b) == 0o600 for b in backups)
    s.close()


def test_a_store_in_a_missing_folder_is_refused_and_makes_none(tmp_path: Path) -> None:
    db = tmp_path / "no" / "such" / "kamtui.json"
    with pytest.raises(StoreError, match=f"{tmp_path / 'no' / 'such'} does not exist"):
        open_store(db, "ana")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.usefixtures("umask022")
def test_existing_mode_and_group_kept(db: Path) -> None:
    good_store(db)
    os.chmod(db, 0o640)
    gid = db.stat().st_gid
    if os.geteuid() == 0:  # root can show that a foreign group is kept too
        gid = 4242
        os.chown(db, -1, gid)
    s = open_store(db, "ana")
    s.insert("accounts", {"name": "ACME"})
    s.compact()
    s.close()
    assert mode(db) == 0o640 and db.stat().st_gid == gid
    assert mode(s.journal_path) in (0o600, 0o640)  # never wider than the data file


def test_symlink_at_data_path_refused(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.json"
    good_store(target)
    before = fingerprint(target)
    db.symlink_to(target)
    with pytest.raises(UnsafePath) as err:
        open_store(db)
    assert str(db) in str(err.value)
    assert fingerprint(target) == before
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    with pytest.raises(UnsafePath):
        open_store(dangling)
    assert not (tmp_path / "nowhere.json").exists()


@pytest.mark.parametrize("suffix", [".journal", ".lock"])
def test_symlink_at_sidecar_refused(db: Path, tmp_path: Path, suffix: str) -> None:
    good_store(db)
    side = db.with_name(db.name + suffix)
    side.unlink(missing_ok=True)
    target = tmp_path / "victim"
    target.write_bytes(b"precious\n")
    side.symlink_to(target)
    before = fingerprint(db, target)
    with pytest.raises(UnsafePath):
        open_store(db)
    assert fingerprint(db, target) == before


def test_symlink_planted_while_open_refused(db: Path, tmp_path: Path) -> None:
    good_store(db)
    s = open_store(db, "ana")
    s.insert("accounts", {"name": "x"})
    target = tmp_path / "victim"
    target.write_bytes(b"precious\n")
    s.journal_path.unlink()
    s.journal_path.symlink_to(target)
    with pytest.raises((UnsafePath, StoreError)):
        s.insert("accounts", {"name": "y"})
    assert target.read_bytes() == b"precious\n"
    s.close(compact=False)


def test_data_path_not_a_regular_file(tmp_path: Path) -> None:
    (tmp_path / "dir.json").mkdir()
    with pytest.raises(UnsafePath):
        open_store(tmp_path / "dir.json")


def test_temp_files_beside_data_and_cleaned(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    good_store(db)
    stale = db.with_name(f".{db.name}.tmp-999999-deadbeef")  # a crashed compaction's leftover
    stale.write_bytes(b"half a snapshot")
    seen: list[Path] = []
    real_replace = os.replace

    def spy(src: Any, dst: Any) -> None:
        seen.append(Path(src))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    s = open_store(db, "ana")
    s.insert("accounts", {"name": "x"})
    s.compact()
    s.close()
    assert seen and all(p.parent == db.parent for p in seen)
    assert not [p.name for p in db.parent.iterdir() if ".tmp-" in p.name]
