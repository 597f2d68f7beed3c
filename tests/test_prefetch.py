"""The data file read ahead on a thread (files.Prefetch, what `kamtui due` reads while it imports):
what a read finds through it is what it finds without it, a file replaced after the read ahead
is read again, and a file the read ahead could not read is read, and refused, as before."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kamtui.store import Store, UnsafePath
from kamtui.store.files import Prefetch
from kamtui.store.reading import read_state
from kamtui.store.views import due_view, reviews_view


def _db(path: Path, name: str) -> Path:
    store = Store(path, user="t")
    store.insert("accounts", {"name": name, "cadence": "monthly"})
    store.compact()
    store.insert("accounts", {"name": f"{name} (journal)"})  # after the snapshot: the journal too
    store.close(compact=False)
    return path


def _names(store: Store) -> list[str]:
    return sorted(d["name"] for _, d in store.all("accounts"))


def test_a_view_reads_through_the_prefetch_what_it_reads_without_it(tmp_path: Path) -> None:
    path = _db(tmp_path / "k.json", "Acme")
    prefetch = Prefetch(path)
    with_it, without = due_view(path, prefetched=prefetch), due_view(path)
    try:
        assert _names(with_it) == _names(without) == ["Acme", "Acme (journal)"]
        assert prefetch.take() is None  # taken once, by the view
    finally:
        with_it.close()
        without.close()


def test_a_file_replaced_after_it_was_read_ahead_is_read_again(tmp_path: Path) -> None:
    path = _db(tmp_path / "k.json", "Old")
    prefetch = Prefetch(path)
    prefetch._thread.join()  # the old file is read
    other = _db(tmp_path / "other.json", "New")
    os.replace(other, path)  # as a compaction replaces it (a new inode)
    os.replace(other.with_name("other.json.journal"), path.with_name("k.json.journal"))
    state = read_state(path, path.with_name("k.json.journal"), prefetched=prefetch)
    assert sorted(d["name"] for d in state.data["accounts"].values()) == ["New", "New (journal)"]


def test_a_symlink_is_not_read_ahead_and_is_refused_as_before(tmp_path: Path) -> None:
    target = _db(tmp_path / "real.json", "Acme")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    prefetch = Prefetch(link)
    assert prefetch.take() is None
    with pytest.raises(UnsafePath):
        due_view(link, prefetched=Prefetch(link))


def test_what_cannot_be_read_ahead_is_refused_by_the_read_in_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "k.json"
    folder.mkdir()  # not a regular file: the read ahead gives up, the read says why
    result = subprocess.run(
        [sys.executable, "-m", "kamtui", "due", "--db", str(folder)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert str(folder) in result.stderr


def test_a_kept_read_ahead_serves_two_views_in_turn(tmp_path: Path) -> None:
    """As the preview process reads: the reviews' view, then the queue's, from one read."""
    path = _db(tmp_path / "k.json", "Acme")
    prefetch = Prefetch(path, keep=True)
    first = reviews_view(path, prefetched=prefetch)
    second = due_view(path, prefetched=prefetch)
    try:
        assert _names(first) == _names(second) == ["Acme", "Acme (journal)"]
        assert prefetch.take() is not None
    finally:
        first.close()
        second.close()
