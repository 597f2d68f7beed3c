"""An edit touches O(1) bytes: one journal line, no snapshot rewrite, the same I/O at 25 and 5,000 accounts."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from kamtui.store import Op, Store, open_store


def build(path: Path, accounts: int) -> list[int]:
    s = open_store(path, "setup")
    ops = [
        Op("insert", "accounts", None, {"name": f"Account {i}", "tier": "regular", "revenue": i * 1000, "owner": "ana"})
        for i in range(accounts)
    ]
    ids = s.commit(ops)
    s.commit(
        [
            Op("insert", "stakeholders", None, {"account_id": a, "name": f"Person {k}", "influence": "medium"})
            for a in ids
            for k in range(3)
        ]
    )
    s.close()  # compacts: everything is in the snapshot, the journal is empty
    return ids


class IOCounter:
    """Counts the bytes the store reads and writes through ``os.read`` / ``os.write``."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.read = self.written = 0
        real_read, real_write = os.read, os.write

        def read(fd: int, n: int) -> bytes:
            data = real_read(fd, n)
            self.read += len(data)
            return data

        def write(fd: int, data: Any) -> int:
            n = real_write(fd, data)
            self.written += n
            return n

        monkeypatch.setattr(os, "read", read)
        monkeypatch.setattr(os, "write", write)


def edit_costs(path: Path, ids: list[int], monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Do edits (some interleaved with another session's) and return (read, written) bytes per edit."""
    s: Store = open_store(path, "ana")
    other = open_store(path, "ben")
    snap_before = os.stat(path)
    journal = s.journal_path
    costs: list[tuple[int, int]] = []
    with monkeypatch.context() as m:
        counter = IOCounter(m)
        for n in range(20):
            if n % 4 == 0:
                other.update("accounts", ids[-1 - n], {"owner": "ben"})  # s must read this line, and only it
            lines_before = journal.read_bytes().count(b"\n")
            r0, w0 = counter.read, counter.written
            a = ids[n * 7 % len(ids)]
            s.update("accounts", a, {"revenue": n}, seen=s.get("accounts", a))
            costs.append((counter.read - r0, counter.written - w0))
            assert journal.read_bytes().count(b"\n") == lines_before + 1
    snap_after = os.stat(path)
    assert (snap_after.st_ino, snap_after.st_mtime_ns, snap_after.st_size) == (
        snap_before.st_ino,
        snap_before.st_mtime_ns,
        snap_before.st_size,
    ), "an edit rewrote the snapshot"
    assert s.get("accounts", ids[0])["revenue"] == 0  # type: ignore[index]
    other.close(compact=False)
    s.close(compact=False)
    return costs


def test_edit_cost_independent_of_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = tmp_path / "small.json"
    large = tmp_path / "large.json"
    small_costs = edit_costs(small, build(small, 25), monkeypatch)
    large_costs = edit_costs(large, build(large, 5_000), monkeypatch)
    assert large.stat().st_size > 100 * small.stat().st_size
    for (r_small, w_small), (r_large, w_large) in zip(small_costs, large_costs, strict=True):
        # One journal line out; at most the other session's line in. Never the database.
        assert w_small < 1024 and w_large < 1024
        assert r_small < 1024 and r_large < 1024
        assert abs(w_large - w_small) <= 16  # only the digits of ids and values differ
