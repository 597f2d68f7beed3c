"""Memory a big file's state freed, given back to the system (kamtui.store.memory)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from kamtui.domain.queue import DEFAULT_THRESHOLDS
from kamtui.sample import materialize_demo
from kamtui.store import Store, memory
from kamtui.ui.session import Session
from tests.ui_fixtures import TODAY


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_memory_freed_goes_back_to_the_system() -> None:
    """What a state read again frees stays with the C allocator (blocks between others that
    stay, as a big file's rows and dicts are) until it is asked to give it back."""
    pairs = [(bytes(20_000) + bytes([i % 256]), bytes(600) + bytes([i % 256])) for i in range(6000)]  # ~120 MB
    survivors = [pair[1] for pair in pairs]
    del pairs
    freed = _rss_mb()
    assert memory.give_back()
    after = _rss_mb()
    assert freed - after > 60, (freed, after)
    assert len(survivors) == 6000


def test_a_session_gives_memory_back_once_after_the_file_is_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another session's compaction: the file is read again, and at the next poll (the screens
    have let the old state go by then) the memory it freed is given back; an edit in the journal
    alone reads no snapshot, and gives nothing back."""
    given: list[bool] = []
    monkeypatch.setattr(memory, "give_back", lambda: given.append(True) or True)
    path = materialize_demo(tmp_path / "k.json", TODAY)
    session = Session(None, path=path, thresholds=DEFAULT_THRESHOLDS, today=TODAY)  # type: ignore[arg-type]
    other = Store(path, user="other")
    with Store(path, user="t") as store:
        session.attach(store, session.make_rows(store))
        aid = next(iter(other.all("accounts")))[0]
        other.update("accounts", aid, {"name": "Edited in the journal"})
        session.changes_from_others()
        session.changes_from_others()
        assert given == []
        other.update("accounts", aid, {"name": "Edited, then compacted"})
        other.compact()
        session.changes_from_others()
        assert given == [] and store.get("accounts", aid)["name"] == "Edited, then compacted"  # type: ignore[index]
        session.changes_from_others()
        assert given == [True]
        session.changes_from_others()
        assert given == [True]
    other.close(compact=False)
