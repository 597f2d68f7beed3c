"""A very big file's child documents left on disk (kamtui.store.spots): each is its place in a
private, nameless copy of the file, read when needed; the same documents as the file holds,
whatever another session or program does to the file meanwhile; never a place taken where
kamtui's layout does not put the document; no copy for a reader."""

from __future__ import annotations

import gc
import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import tracemalloc
import zlib
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import CHILD_TABLES, TABLES
from kamtui.sample import generate
from kamtui.store import codec, doctext, integrity, places, spots, writing
from kamtui.store.store import Store

ROOT = Path(__file__).resolve().parents[1]
SPOTS_ABOVE = spots.SPOTS_ABOVE  # as shipped, before the fixture below lowers it


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A generated portfolio of 60 accounts, as kamtui writes it (a snapshot with its CRC)."""
    path = tmp_path / "k.json"
    generate(path, 60, 3)
    return path


@pytest.fixture(autouse=True)
def spots_for_any_size(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(spots, "SPOTS_ABOVE", 0)


def _plain(path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, dict[int, Any]]:
    """Every document, as a whole parse of the file gives it."""
    data = codec.parse_snapshot(path.read_bytes())
    return {t: {int(k): d for k, d in data.get(t, {}).items()} for t in TABLES}


def _everything(s: Store) -> dict[str, dict[int, Any]]:
    return {t: dict(s.all(t)) for t in TABLES}


def _copies(folder: Path) -> int:
    """How many nameless files of ``folder`` this process holds open (its private copies)."""
    found = 0
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{folder}/#") and target.endswith("(deleted)"):
            found += 1
    return found


def test_only_a_very_big_file_is_left_on_disk(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy on disk per session is worth it where the file's text is most of a session's
    memory: not for the demo, nor 10,000 accounts (31 MB; ~110 MB a session)."""
    assert SPOTS_ABOVE >= 40_000_000
    monkeypatch.setattr(spots, "SPOTS_ABOVE", SPOTS_ABOVE)
    s = Store(sample, user="t", on_disk=True)
    assert not any(places.is_place(d) for t in TABLES for d in s._data[t].values())
    assert _copies(sample.parent) == 0
    s.close(compact=False)


def test_child_documents_are_places_and_read_as_the_file_holds_them(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = Store(sample, user="t", on_disk=True)
    try:
        assert _everything(s) == _plain(sample, monkeypatch)
        for t in CHILD_TABLES:
            assert all(places.is_place(d) for d in s._data[t].values()), t
        assert not any(places.is_place(d) for d in s._data["accounts"].values())  # the list reads them all
        assert _copies(sample.parent) == 1
        # Indexed by account from the one parse that read the accounts, not from the places.
        plain = Store(sample, user="t", read_only=True)
        for aid, _doc in plain.all("accounts"):
            for t in CHILD_TABLES:
                assert s.children(t, aid) == plain.children(t, aid)
    finally:
        s.close(compact=False)


def test_the_session_holds_no_copy_of_the_child_tables_text(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    generate(path, 600, 5)
    raw = path.read_bytes()
    children = sum(len(json.dumps(t)) for n, t in json.loads(raw).items() if n in CHILD_TABLES)
    held = {}
    for on_disk in (False, True):
        gc.collect()
        tracemalloc.start()
        s = Store(path, user="t", on_disk=on_disk)
        held[on_disk] = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        s.close(compact=False)
        del s
    assert held[False] - held[True] > 0.8 * children  # the text, and a view per document, less an int each


def test_the_copy_has_no_name_and_goes_with_the_session(sample: Path) -> None:
    before = sorted(os.listdir(sample.parent))
    s = Store(sample, user="t", on_disk=True)
    assert _copies(sample.parent) == 1
    assert sorted(os.listdir(sample.parent)) == sorted([*before, "k.json.lock"])
    s.close(compact=False)
    del s
    gc.collect()
    assert _copies(sample.parent) == 0
    # A session killed (-9) leaves nothing either: the copy never had a name.
    script = textwrap.dedent(
        f"""
        import sys
        from pathlib import Path
        from kamtui.store import spots
        from kamtui.store.store import Store
        spots.SPOTS_ABOVE = 0
        s = Store(Path({str(sample)!r}), user="t", on_disk=True)
        assert type(next(iter(s._data["stakeholders"].values()))) is int
        print("ready", flush=True)
        sys.stdin.read()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline() == "ready\n"
    held = [os.readlink(f"/proc/{proc.pid}/fd/{fd}") for fd in os.listdir(f"/proc/{proc.pid}/fd")]
    assert any(t.startswith(f"{sample.parent}/#") and t.endswith("(deleted)") for t in held)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert sorted(os.listdir(sample.parent)) == sorted([*before, "k.json.lock"])


def test_another_sessions_compaction_leaves_every_place_as_it_was(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    watcher = Store(sample, user="t", on_disk=True)
    writer = Store(sample, user="t")
    sid, doc = next(iter(writer.all("stakeholders")))
    before = _everything(watcher)
    writer.update("stakeholders", sid, {"notes": "moved on"})
    assert writer.compact()  # a new file renamed over the one the watcher read
    assert _everything(watcher) == before  # not yet read again: what it read, still readable
    assert watcher.refresh() == {("stakeholders", sid)}  # only what changed, places compared by text
    assert watcher.take_touched() == {doc["account_id"]}
    assert watcher.get("stakeholders", sid)["notes"] == "moved on"  # type: ignore[index]
    assert _everything(watcher) == _plain(sample, monkeypatch)
    assert places.is_place(watcher._data["stakeholders"][str(sid)])  # from the new file's copy
    writer.close(compact=False)
    watcher.close(compact=False)


def test_a_tinydb_script_writing_in_place_never_reaches_the_places(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tinydb import TinyDB

    watcher = Store(sample, user="t", on_disk=True)
    before = _everything(watcher)
    sid = next(iter(before["stakeholders"]))
    ino = sample.stat().st_ino
    with TinyDB(sample) as db:  # not kamtui's protocol: it truncates and writes the file in place
        db.table("stakeholders").update({"name": "Written in place"}, doc_ids=[sid])
    assert sample.stat().st_ino == ino
    assert _everything(watcher) == before  # the places are in the session's own copy
    assert ("stakeholders", sid) in watcher.refresh()
    assert watcher.get("stakeholders", sid)["name"] == "Written in place"  # type: ignore[index]
    assert _everything(watcher) == _plain(sample, monkeypatch)
    watcher.close(compact=False)


def test_a_compaction_writes_places_back_byte_for_byte(sample: Path) -> None:
    raw = sample.read_bytes()
    s = Store(sample, user="t", on_disk=True)
    assert s.compact()
    s.close(compact=False)
    assert sample.read_bytes() == raw


def test_no_more_than_two_copies_while_the_file_is_read_again_and_again(sample: Path) -> None:
    watcher = Store(sample, user="t", on_disk=True)
    writer = Store(sample, user="t", on_disk=False)  # its documents in memory: the copies are the watcher's
    sid = next(iter(writer.all("stakeholders")))[0]
    for i in range(4):
        writer.update("stakeholders", sid, {"notes": f"round {i}"})
        assert writer.compact()
        assert watcher.refresh() == {("stakeholders", sid)}
        assert _copies(sample.parent) <= 2
    assert watcher.get("stakeholders", sid)["notes"] == "round 3"  # type: ignore[index]
    writer.close(compact=False)
    watcher.close(compact=False)


def test_a_read_only_session_makes_no_copy(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sample.chmod(0o400)
    s = Store(sample, user="t", on_disk=True)
    assert s.read_only
    assert not any(places.is_place(d) for t in TABLES for d in s._data[t].values())
    assert _copies(sample.parent) == 0
    assert _everything(s) == _plain(sample, monkeypatch)
    s.close(compact=False)


def test_where_no_copy_can_be_made_the_documents_stay_in_memory(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.open

    def no_nameless_files(path: Any, flags: int, *a: Any, **k: Any) -> int:
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(95, "Operation not supported")  # a file system without them
        return real(path, flags, *a, **k)

    monkeypatch.setattr(os, "open", no_nameless_files)
    s = Store(sample, user="t", on_disk=True)
    assert not any(places.is_place(d) for t in TABLES for d in s._data[t].values())
    assert _everything(s) == _plain(sample, monkeypatch)
    s.close(compact=False)


def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd"))


@pytest.mark.parametrize("room", [0, 1, 2])  # in copies of the file, beyond the spare room
def test_no_copy_takes_the_room_a_compaction_needs(sample: Path, monkeypatch: pytest.MonkeyPatch, room: int) -> None:
    """A copy that filled the disk would make every other session's saves fail while it grows
    (a colleague's save refused because someone opened the app): one is made only where there is
    room for it and, after it, for a compaction of the file and then some."""
    size = sample.stat().st_size
    real = os.fstatvfs

    def fstatvfs(fd: int) -> Any:
        vfs = real(fd)
        free = (room * size + spots.SPARE_BYTES + size - 1) // vfs.f_frsize  # just short below 2
        return os.statvfs_result((*vfs[:4], free, *vfs[5:]))

    monkeypatch.setattr(os, "fstatvfs", fstatvfs)
    made: list[int] = []
    real_unnamed = places.unnamed_file
    monkeypatch.setattr(spots, "unnamed_file", lambda folder: made.append(1) or real_unnamed(folder))
    s = Store(sample, user="t", on_disk=True)
    placed = any(places.is_place(d) for d in s._data["stakeholders"].values())
    assert placed == (room == 2) and bool(made) == placed
    assert _everything(s) == _plain(sample, monkeypatch)
    s.close(compact=False)


def test_the_file_is_read_while_the_kernel_copies_it(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The copy (seconds of the kernel's at 50,000 accounts on a file system that copies bytes)
    runs on another thread while the tables are read from the file itself: a copy that waits
    for the read to begin lets it begin. Then every place reads the copy."""
    began = threading.Event()
    waited: list[bool] = []
    real_read, real_copy = spots._read, os.copy_file_range

    def read(*a: Any) -> Any:
        began.set()
        return real_read(*a)

    def copy(*a: Any) -> int:
        waited.append(began.wait(10))  # a copy made before the read would wait here in vain
        return real_copy(*a)

    monkeypatch.setattr(spots, "_read", read)
    monkeypatch.setattr(os, "copy_file_range", copy)
    s = Store(sample, user="t", on_disk=True)
    assert waited and all(waited)
    assert places.is_place(next(iter(s._data["stakeholders"].values())))
    reads: list[int] = []
    real_pread = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, n, at: reads.append(fd) or real_pread(fd, n, at))
    assert _everything(s) == _plain(sample, monkeypatch)
    assert len(set(reads)) == 1 and os.readlink(f"/proc/self/fd/{reads[0]}").endswith("(deleted)")  # the copy
    s.close(compact=False)


def test_a_copy_that_fails_leaves_the_documents_in_memory_and_nothing_open(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(*a: Any) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "copy_file_range", full)
    before = _open_fds()
    assert spots.read_tables(sample, {}) is None
    assert _open_fds() == before
    s = Store(sample, user="t", on_disk=True)
    assert not any(places.is_place(d) for t in TABLES for d in s._data[t].values())
    assert _everything(s) == _plain(sample, monkeypatch)
    s.close(compact=False)


@pytest.mark.parametrize("errno_", [18, 38, 95])  # EXDEV, ENOSYS, EOPNOTSUPP
def test_where_the_kernel_will_not_copy_between_the_files_it_sends_them(
    sample: Path, monkeypatch: pytest.MonkeyPatch, errno_: int
) -> None:
    """copy_file_range refuses two files on different layers of an overlay file system (EXDEV),
    or an old kernel lacks it: the copy is sent by sendfile instead, and the places read it."""

    def refused(*a: Any) -> int:
        raise OSError(errno_, os.strerror(errno_))

    monkeypatch.setattr(os, "copy_file_range", refused)
    s = Store(sample, user="t", on_disk=True)
    assert all(places.is_place(d) for d in s._data["stakeholders"].values())
    assert _everything(s) == _plain(sample, monkeypatch)
    s.close(compact=False)


def test_a_file_written_in_place_while_it_is_read_is_read_whole(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not kamtui's protocol (a TinyDB script truncates and writes in place): the copy may hold
    other bytes than the ones read, so no place is taken; the file is read again, as views."""
    from tinydb import TinyDB

    sid = int(next(iter(json.loads(sample.read_text())["stakeholders"])))
    real_read = spots._read
    written: list[bool] = []

    def read_then_written(*a: Any) -> Any:
        found = real_read(*a)
        if not written:  # once: the read after this one is the whole one
            written.append(True)
            with TinyDB(sample) as db:
                db.table("stakeholders").update({"name": "Written meanwhile"}, doc_ids=[sid])
        return found

    monkeypatch.setattr(spots, "_read", read_then_written)
    before = _open_fds()
    assert spots.read_tables(sample, {}) is None
    assert _open_fds() == before
    s = Store(sample, user="t", on_disk=True)
    assert s.get("stakeholders", sid)["name"] == "Written meanwhile"  # type: ignore[index]
    assert _everything(s) == _plain(sample, monkeypatch)
    s.close(compact=False)


def test_a_write_in_place_the_clock_cannot_tell_never_reaches_a_place(
    sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A same-size write in place, its modification time put back (a coarse clock does the same
    for two writes in one tick), after the read took its bytes and before the kernel copied
    them: the copy holds other bytes than the ones read and vouched for, so no place is taken
    (before, the index said one account and the place read another). The file is read again."""
    raw = sample.read_bytes()
    table = raw.index(b'\n "stakeholders": {')
    line = raw.index(b'\n  "', table)
    key = raw.index(b'"account_id": ', line) + len(b'"account_id": ')
    old = raw[key : raw.index(b",", key)]
    new = b"9" * len(old)  # no account of the sample's: the index and the document would disagree
    sid = int(raw[line + 4 : raw.index(b'"', line + 4)])
    written = threading.Event()
    real_read, real_copy = spots._read, os.copy_file_range

    def read_then_written(*a: Any) -> Any:
        found = real_read(*a)
        if not written.is_set():
            st = os.stat(sample)
            fd = os.open(sample, os.O_WRONLY)
            try:
                os.pwrite(fd, new, key)
            finally:
                os.close(fd)
            os.utime(sample, ns=(st.st_atime_ns, st.st_mtime_ns))
            written.set()
        return found

    def copy_after_the_write(*a: Any) -> int:
        written.wait(10)
        return real_copy(*a)

    monkeypatch.setattr(spots, "_read", read_then_written)
    monkeypatch.setattr(os, "copy_file_range", copy_after_the_write)
    owners: dict[str, dict[str, Any]] = {"stakeholders": {}}
    assert spots.read_tables(sample, owners) is None
    s = Store(sample, user="t", on_disk=True)
    assert s.get("stakeholders", sid)["account_id"] == int(new)  # type: ignore[index]
    assert sid not in {i for i, _ in s.children("stakeholders", int(old))}
    s.close(compact=False)


def test_the_copy_writes_only_into_the_copy_whatever_its_caller_closed(
    tmp_path: Path, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signal that interrupts the wait for the copy (Copying.result) lets its caller close the
    file and the copy; their numbers then go to the next files opened. The copy goes on with
    descriptors of its own, and never writes into those files."""
    release = threading.Event()
    real_copy = os.copy_file_range

    def held(*a: Any) -> int:
        release.wait(10)
        return real_copy(*a)

    monkeypatch.setattr(os, "copy_file_range", held)
    fd = os.open(sample, os.O_RDONLY)
    tmp = places.unnamed_file(tmp_path)
    assert tmp is not None
    copying = places.Copying(fd, tmp, os.fstat(fd).st_size)
    os.close(fd)
    os.close(tmp)
    others = [tmp_path / "a", tmp_path / "b"]
    fds = [os.open(o, os.O_RDWR | os.O_CREAT, 0o600) for o in others]
    try:
        os.write(fds[1], b"untouched")
        release.set()
        copying.check_from(0)
        assert copying.result() == zlib.crc32(sample.read_bytes())  # its own copy, whole
    finally:
        for d in fds:
            os.close(d)
    assert [o.read_bytes() for o in others] == [b"", b"untouched"]


def test_a_place_whose_copy_is_gone_is_a_clear_error(sample: Path) -> None:
    from kamtui.store.errors import CorruptFile

    s = Store(sample, user="t", on_disk=True)
    sid = next(iter(s._data["stakeholders"]))
    s._sources[-1].close()
    with pytest.raises(CorruptFile, match="copy"):
        s.get("stakeholders", int(sid))
    s.close(compact=False)


# ----------------------------------------------------------- layouts not taken for places
def _rewrite(path: Path, table: str, change: Any) -> None:
    """Rewrite ``path`` as kamtui writes it, but with ``change(text)`` applied to one table's
    text, the offsets and the CRC in ``_meta`` made to vouch for the result (as a program
    imitating kamtui might): only the layout tells the reader what it is."""
    data = codec.parse_snapshot(path.read_bytes())
    meta = data["_meta"]["1"]
    chunks = writing.snapshot_chunks(data, meta["seq"], codec.vouched(meta))[1:]
    names = sorted(t for t in data if t != "_meta")
    i = names.index(table)
    changed = change(chunks[i].decode())
    assert changed != chunks[i].decode()
    chunks[i] = changed.encode()
    heads = [sum(map(len, chunks[:j])) for j in range(len(chunks))]
    extra = codec.vouched(meta)
    crc = integrity.snapshot_crc(b"", heads, zlib.crc32(b"".join(chunks)), extra)
    enc = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(", ", ": ")).encode
    head = enc({**meta, "crc32": crc, "heads": heads})
    path.write_bytes(b"".join([f'{{\n "_meta": {{\n  "1": {head}\n }},\n'.encode(), *chunks]))


def _second_line(text: str, change: Any) -> str:
    lines = text.split("\n")
    lines[2] = change(lines[2])
    return "\n".join(lines)


def _lines_cross(text: str) -> str:
    """Two documents on one line and a document over two lines, its second line looking like a
    document's: as many lines as documents, each ending "},", each starting as a document's."""
    lines = text.split("\n")
    lines[1:3] = [lines[1] + " " + lines[2][2:]]
    key, _, doc = lines[2].partition(": ")
    lines[2:3] = [key + ': {"zz": {"x": 0},', '  "999": ' + doc[:-1] + "},"]
    return "\n".join(lines)


LAYOUTS = {
    "a line of two documents and a document of two lines": _lines_cross,
    "no space after the colon": lambda t: _second_line(t, lambda line: line.replace('": {', '":{', 1)),
    "one more space of indent": lambda t: _second_line(t, lambda line: " " + line),
    "two documents on one line": lambda t: t.replace("},\n  ", "}, ", 1),
    "a document over two lines": lambda t: _second_line(t, lambda line: line.replace(", ", ",\n ", 1)),
    "an escaped id": lambda t: _second_line(t, lambda line: '  "\\u00' + hex(ord(line[3]))[2:] + line[4:]),
    "white space after a document": lambda t: _second_line(t, lambda line: line[:-1] + " ,"),
    "the comma on the next line": lambda t: t.replace('},\n  "', '}\n  ,"', 1),
}


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_a_layout_kamtui_does_not_write_is_never_taken_for_places(
    sample: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    _rewrite(sample, "stakeholders", LAYOUTS[layout])
    expected = _plain(sample, monkeypatch)  # still a valid TinyDB file, the same documents or nearly
    owners: dict[str, dict[str, Any]] = {}
    assert spots.read_tables(sample, owners) is None
    s = Store(sample, user="t", on_disk=True)  # read as views instead
    assert not any(places.is_place(d) for d in s._data["stakeholders"].values())
    assert _everything(s) == expected
    s.close(compact=False)


def test_the_rewrite_itself_gives_places_when_nothing_changes(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The helper above writes what kamtui writes when its change changes nothing but a document's
    text: so each case above fails for its layout alone."""
    _rewrite(sample, "stakeholders", lambda t: t.replace('"name": "', '"name": "x', 1))
    found = spots.read_tables(sample, {})
    assert found is not None
    assert {int(k) for k in found[1]["stakeholders"]} == set(_plain(sample, monkeypatch)["stakeholders"])
    found[2].close()


def test_a_pass_in_the_files_order_reads_windows_and_an_account_its_records_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "k.json"
    generate(path, 600, 4)
    s = Store(path, user="t", on_disk=True)
    sizes: list[int] = []
    real = os.pread
    monkeypatch.setattr(os, "pread", lambda fd, n, at: sizes.append(n) or real(fd, n, at))
    docs = dict(s.all("interactions"))  # an export, a compaction, Today over every document
    assert len(docs) > 1000
    assert len(sizes) < len(docs) / 20  # windows, growing
    assert max(sizes) > places.FIRST_WINDOW
    sizes.clear()
    counts = {a: len(s.children_stored("interactions", a)) for a, _d in s.all("accounts")}
    aid = max((a for a, n in counts.items() if n < places.RUN), key=counts.__getitem__)
    sizes.clear()
    mine = s.children("interactions", aid)  # adjacent in a generated file: still each read alone
    assert len(mine) > 3
    assert len(sizes) == len(mine)
    assert max(sizes) < places.FIRST_WINDOW
    s.close(compact=False)


def test_the_tui_opens_a_big_file_with_its_child_documents_on_disk(sample: Path) -> None:
    import datetime as dt

    import kamtui.cli.tui

    store = kamtui.cli.tui._open_big(sample, dt.date(2026, 12, 3))
    try:
        assert all(places.is_place(d) for d in store._data["stakeholders"].values())
    finally:
        store.close(compact=False)


def test_a_pass_reads_on_across_reloads_and_its_copies_close_after_it(sample: Path) -> None:
    """Today's queue or a compaction reads a table while other sessions compact twice and this
    one reads the file again each time: the copies its places are in stay open until it ends."""
    s = Store(sample, user="t", on_disk=True)
    writer = Store(sample, user="t", on_disk=False)
    want = dict(s.all("stakeholders", by_id=True))
    walk = s.all("stakeholders", by_id=True)
    first = next(walk)
    sid = next(iter(writer.all("stakeholders")))[0]
    for i in range(3):
        writer.update("stakeholders", sid, {"notes": f"round {i}"})
        assert writer.compact()
        assert s.refresh() == {("stakeholders", sid)}
    assert _copies(sample.parent) == 3  # the pass's, and the store's two
    assert dict([first, *walk]) == want  # as the pass began, every place still read
    assert _copies(sample.parent) == 2
    abandoned = s.all("stakeholders")  # never read: pinned all the same, until it goes
    for i in range(2):
        writer.update("stakeholders", sid, {"notes": f"again {i}"})
        assert writer.compact()
        s.refresh()
    assert _copies(sample.parent) == 4  # the two it pins, and the store's two
    del abandoned
    gc.collect()
    assert _copies(sample.parent) == 2
    writer.close(compact=False)
    s.close(compact=False)


def test_a_place_reads_in_a_file_whose_accounts_are_empty(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The decoder a place is parsed with exists even where no table was read as views."""
    path = tmp_path / "k.json"
    person = {"account_id": 7, "name": "Ana \u00d1and\u00fa", "role": "champion"}
    path.write_bytes(b"".join(writing.snapshot_chunks({"accounts": {}, "stakeholders": {"3": person}}, 0)))
    monkeypatch.setattr(doctext, "_decoder", None)  # as in a process that read nothing before
    s = Store(path, user="t", on_disk=True)
    assert places.is_place(s._data["stakeholders"]["3"])
    assert s.get("stakeholders", 3) == person
    s.close(compact=False)


def test_readers_go_on_while_a_reload_compares_the_documents(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Comparing every document with the one read before (seconds at 50,000 accounts: it reads
    both copies) holds no lock a reader waits for: the screens stay live meanwhile."""
    import threading

    from kamtui.store import documents

    s = Store(sample, user="t", on_disk=True)
    writer = Store(sample, user="t", on_disk=False)
    sid = next(iter(writer.all("stakeholders")))[0]
    writer.update("stakeholders", sid, {"notes": "moved on"})
    assert writer.compact()
    comparing, go_on = threading.Event(), threading.Event()
    real = documents._same

    def paused(old: Any, new: Any) -> bool:
        comparing.set()
        assert go_on.wait(30)
        return real(old, new)

    monkeypatch.setattr(documents, "_same", paused)
    reload = threading.Thread(target=s.refresh)
    reload.start()
    assert comparing.wait(30)
    read: list[Any] = []
    aid = writer.get("stakeholders", sid)["account_id"]  # type: ignore[index]
    reader = threading.Thread(target=lambda: read.append(dict(s.children("stakeholders", aid))[sid]))
    reader.start()
    reader.join(10)
    alive = reader.is_alive()
    go_on.set()
    reload.join(30)
    assert not alive and read and read[0]["notes"] == "moved on"  # the new state, read meanwhile
    writer.close(compact=False)
    s.close(compact=False)
