"""A database file kamtui refuses to open leaves nothing beside it: the lock file is made only
once the file has been read as a kamtui database (it was made first, and left behind)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kamtui.store import Store
from kamtui.store.errors import StoreError

REFUSED = {
    "garbage": b"garbage\n",
    "not_tinydb": b'{"x": 1}\n',
    "binary": bytes(range(256)),
    "truncated": b'{\n "_meta": {\n  "1": {"schema": 1',
}


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("content", REFUSED.values(), ids=list(REFUSED))
def test_a_refused_file_leaves_nothing_beside_it(tmp_path: Path, content: bytes) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    before = _listing(tmp_path)
    with pytest.raises(StoreError):
        Store(bad, user="tester")
    assert _listing(tmp_path) == before == ["bad.json"]
    assert bad.read_bytes() == content


def test_a_lock_file_already_there_is_left_as_it_was(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"garbage\n")
    (tmp_path / "bad.json.lock").write_bytes(b"")
    with pytest.raises(StoreError):
        Store(bad, user="tester")
    assert _listing(tmp_path) == ["bad.json", "bad.json.lock"]


def test_a_good_file_still_gets_its_lock_and_can_be_written(tmp_path: Path) -> None:
    good = tmp_path / "good.json"
    Store(good, user="tester").close()
    store = Store(good, user="tester")
    try:
        assert "good.json.lock" in _listing(tmp_path)
        store.insert("accounts", {"name": "Acme"})
    finally:
        store.close()
    reread = Store(good, user="tester", read_only=True)
    try:
        assert [d["name"] for _, d in reread.all("accounts")] == ["Acme"]
    finally:
        reread.close()


@pytest.mark.parametrize(
    "args",
    [["due"], ["check"], ["import", "ACCOUNTS"], []],  # [] opens the TUI
    ids=["due", "check", "import", "tui"],
)
def test_the_command_line_refuses_it_and_leaves_nothing(tmp_path: Path, args: list[str]) -> None:
    folder = tmp_path / "x"
    folder.mkdir()
    bad = folder / "bad.json"
    bad.write_bytes(b"garbage\n")
    csv = tmp_path / "accounts.csv"
    csv.write_text("name\nAcme\n", encoding="utf-8")
    argv = [str(csv) if a == "ACCOUNTS" else a for a in args]
    done = subprocess.run(
        [sys.executable, "-m", "kamtui", "--db", str(bad), *argv],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode != 0
    assert "not valid JSON" in done.stderr and "Traceback" not in done.stderr
    assert _listing(folder) == ["bad.json"]
