"""A very big file's child documents left on disk: each is its place in a private copy of the
snapshot file (an int, see kamtui.store.places), read from there when it is needed
(kamtui.store.documents).

A session reading a 50,000-account file held the whole file's bytes (155 MB) for the views of
its documents (msgspec.Raw, see :func:`kamtui.store.codec.parse_tables`). Here it holds only the
accounts' (30 MB, which the account list reads at once) and, for every other document, where it
is: one int each, smaller than a view. The file is read table by table, so that no copy of it
is whole in memory at any moment either.

Why this is sound:

- The places are in a private copy of the file (:func:`kamtui.store.places.copy_into`), made
  by the kernel beside the file, with no name: nobody else can write it, and it goes when the
  session does, even after a kill -9. It is made while the file is read through a descriptor
  of its own (the same inode: the same bytes, unless it is written in place meanwhile). Then
  the CRC-32 of the copy from the first table on must equal the CRC of the bytes read from
  there, which ``_meta``'s CRC vouched for: else the file is read whole instead. The file
  itself may be replaced by another session's compaction, or written in place by a TinyDB
  script: the copy still reads what was read. The store reads the file again when it
  changes, as always (kamtui.store.store.Store.refresh).
- A place is taken only in a copy in kamtui's own one-document-per-line layout whose CRC-32
  (in ``_meta``) vouches for every byte, and only where the layout puts each document, a line
  each: every line is checked for that before any place is used (see :func:`_layout`).
- Only a session that may write makes a copy (``Store(on_disk=True)``, the TUI's): a reader
  creates nothing (see README, the store's promises). A copy that cannot be made (a folder
  one may not write, a full disk), or that would leave no room for a compaction of the file
  after it (every other session's saves would fail while it grows), leaves the documents in
  memory, as views.

The cost: a copy of the file on disk per session (in the page cache while it is read), and a
read of a few microseconds for a document that is not in the window last read.
"""

from __future__ import annotations

import os
import queue
import re
import threading
import zlib
from collections.abc import Iterator, Mapping
from itertools import accumulate, repeat
from operator import add, lshift, sub
from pathlib import Path
from typing import Any

from kamtui.domain.model import CHILD_TABLES
from kamtui.store import codec, doctext, integrity, owned
from kamtui.store.files import open_nofollow, refuse_unsafe
from kamtui.store.places import OFFSET_MASK, SIZE_BITS, SIZE_MASK, SOURCE_SHIFT, Copying, Source, unnamed_file

__all__ = ["SPOTS_ABOVE", "Source", "read_tables"]

#: A whole read of a file this big (bytes) leaves its child documents on disk (about 20,000
#: accounts: below, a session's memory is ~100 MB of which Python and Textual are a third).
SPOTS_ABOVE = 64_000_000
_LINE_HEAD = re.compile(rb'\n  "([0-9]+)": \{')  # how a document's line starts, with its id
CHUNK = 2 << 20  # bytes of a table split into lines at once
#: Room left on the file system after a private copy and a compaction of the file (see _room_for_a_copy).
SPARE_BYTES = 256 << 20
HEAD = 4 << 20  # bytes read first: _meta (about 1 MB at 50,000 accounts) and the first header


def read_tables(path: Path, owners: dict[str, dict[str, Any]]) -> tuple[os.stat_result, codec.Tables, Source] | None:
    """Every table of the snapshot at ``path``, its child documents as places (see the module),
    the others as views of their own table's bytes, with the copy they are places in;
    ``owners`` receives each child document's ``account_id`` by id (see codec.parse_tables).
    None if the file is small, no copy can be made, or it is not exactly as kamtui writes it
    (the caller then reads it whole, which names any damage). Raises UnsafePath for a symlink,
    OSError if it cannot be opened."""
    refuse_unsafe(path)
    fd = open_nofollow(path, os.O_RDONLY)
    try:
        st = os.fstat(fd)
        wanted = SPOTS_ABOVE < st.st_size <= OFFSET_MASK and _room_for_a_copy(fd, st.st_size)  # < 64 GB
        tmp = unnamed_file(path.parent) if wanted else None
        if tmp is None:
            return None
        source = Source(tmp, path)  # closing it closes the copy, whatever happens below
        heads_of: dict[str, dict[str, Any]] = {t: {} for t in owners}
        try:
            found = _read_while_copied(fd, tmp, st, source, heads_of)
        except BaseException:
            source.close()
            raise
    finally:
        os.close(fd)
    if found is None:
        source.close()
        return None
    owners.update(heads_of)
    return st, found, source


def _room_for_a_copy(fd: int, size: int) -> bool:
    """Whether the file system of ``fd`` has room for a copy of ``size`` bytes and, after it, still
    for a compaction of the file (another ``size`` bytes, written beside it) and SPARE_BYTES: a
    copy that filled the disk would make every other session's saves fail while it grows."""
    try:
        vfs = os.fstatvfs(fd)
    except OSError:
        return False
    return vfs.f_bavail * vfs.f_frsize >= 2 * size + SPARE_BYTES


def _read_while_copied(
    fd: int, tmp: int, st: os.stat_result, source: Source, owners: dict[str, dict[str, Any]]
) -> codec.Tables | None:
    """The kernel copies the open file ``fd`` into ``tmp`` on the other core while ``source``
    reads the file itself (the same bytes, through a descriptor of its own); then it reads the
    copy (Source.read_from). None if the copy failed, or does not hold the bytes read (the file
    was written in place meanwhile, not kamtui's protocol: the whole read tells what it holds).

    The proof that it holds them: the CRC-32 of the copy from the first table on (where every
    place is) equals the CRC of the bytes the read took from there, which ``_meta``'s vouched
    for. The file's size and modification time only tell a write sooner (a script can put the
    time back; a coarse clock gives two writes the same)."""
    source.read_from(os.dup(fd))
    copying = Copying(fd, tmp, st.st_size)
    try:
        found = _read(source, st.st_size, owners, copying)
    except ValueError:  # msgspec's, UnicodeDecodeError, Unreadable: the whole read names the damage
        found = None
    finally:
        copied = copying.result()  # the copy's CRC, from where _read said
        source.read_from(None)
    after = os.fstat(fd)
    if found is None or copied is None or (after.st_size, after.st_mtime_ns) != (st.st_size, st.st_mtime_ns):
        return None
    tables, read_crc = found
    return tables if copied == read_crc else None


def _read(
    source: Source, size: int, owners: dict[str, dict[str, Any]], copying: Copying | None = None
) -> tuple[codec.Tables, int] | None:
    """See :func:`read_tables`: the tables, and the CRC-32 of the bytes read from the first table
    to the end (``copying`` is told where that is: Copying.check_from); ValueError or None if
    the file is not as expected."""
    head = source.read_at(0, min(size, HEAD))
    found = codec.meta_head(head, fast=True) if head.startswith(b"{\n") else None
    while found is None and head.startswith(b"{\n") and len(head) < size:  # a bigger _meta
        head = source.read_at(0, min(size, 4 * len(head)))
        found = codec.meta_head(head, fast=True)
    if found is None:
        return None
    _meta, first, meta_table, listed = found
    meta = meta_table.get("1")
    if not isinstance(meta, dict) or not isinstance(meta.get("crc32"), int):
        return None
    starts = [first.start() + rel for rel in listed]
    ends = [*starts[1:], size - 2]  # the last table ends before "\n}\n"
    if any(b <= a for a, b in zip(starts, ends, strict=True)) or source.read_at(size - 3, 3) != b"\n}\n":
        return None
    if copying is not None:
        copying.check_from(starts[0])
    crc = _Crc()
    out: codec.Tables = {codec.META_TABLE: meta_table}
    try:
        for start, end in zip(starts, ends, strict=True):
            # From the newline before the header to the next header (or the file's end).
            stop = end if end < size - 2 else size
            region = source.read_at(start - 1, stop - start + 1)
            crc.add(memoryview(region)[1:])
            m = codec.table_header(region, 1)
            if m is None:
                return None
            name, empty, begin = m.group(1).decode("utf-8"), m.group(2), m.end() - 1
            del m  # it holds the region, which goes before the next is read
            if empty:  # an empty table: nothing but its line
                if region[begin + 1 :] != (b"\n" if end < size - 2 else b"\n}\n") or name in out:
                    return None
                out[name] = {}
                continue
            cut = codec.table_end(region, begin, end - start + 1)
            body = memoryview(region)[begin:cut]
            if name in out or not body or body[-1] != ord("}"):
                return None
            heads_of: dict[str, Any] | None
            if name in CHILD_TABLES:
                lines = _layout(region, begin, cut)
                # Each document's account: from the snapshot's summary of them (kamtui.store.owned),
                # which the CRC checked below vouches for, as for every place; else read by the
                # msgspec pass that checks every document (owners_read). Either way each document
                # is checked to be a JSON object, and the ids the JSON holds to be the lines' (a CRC
                # is no signature: such a file is refused here, not found damaged when read).
                heads_of = viewed = None
                if lines is not None:
                    heads_of = owned.read(meta.get(owned.OWNERS), name, lines)
                    if heads_of is not None:
                        ids: list[str] | None = doctext.object_ids(body)  # ~2/3 of owners_read's pass
                    else:
                        heads_of = doctext.owners_read(body)
                        ids = None if heads_of is None else list(heads_of)
                    viewed = lines.places(start - 1, source) if ids == lines.ids else None
                del region, body, lines  # the table's bytes go now: its documents stay on disk
            else:
                viewed = doctext.raw_table(body)
                heads_of = None if viewed is None else doctext.owners_of(body, viewed)
            if viewed is None or heads_of is None:
                return None
            out[name] = viewed
            if name in owners:
                owners[name] = heads_of
    finally:
        rest_crc = crc.value()
    extra = codec.vouched(meta)
    if integrity.snapshot_crc(b"", meta.get("heads"), rest_crc, extra) != meta["crc32"]:
        return None
    return out, rest_crc


class _Lines(Mapping[str, bytes]):
    """A child table's documents as :func:`_layout` found them, in the file's order: id -> the
    document's text (a copy of it, cut from the table's bytes: read only for a document whose
    account the snapshot's summary does not hold, see kamtui.store.owned.read)."""

    def __init__(self, region: bytes, ids: list[str], starts: list[int], lines: list[int]) -> None:
        self.region, self.ids, self.starts, self.lines = region, ids, starts, lines
        self._index: dict[str, int] | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[str]:
        return iter(self.ids)

    def __getitem__(self, key: str) -> bytes:
        if self._index is None:
            self._index = dict(zip(self.ids, range(len(self.ids)), strict=True))
        i = self._index[key]
        doc = self.starts[i] + len(key) + 6  # after '  "' id '": '
        end = self.starts[i] + self.lines[i] - (1 if i < len(self.ids) - 1 else 0)  # less the comma
        return self.region[doc:end]

    def places(self, at: int, source: Source) -> dict[str, Any] | None:
        """Each document's place in ``source``, the table's bytes starting at ``at`` in the file:
        its offset after ``  "<id>": `` and its length, less the comma (the last line has none);
        None if an id is written twice."""
        first = (source.number << SOURCE_SHIFT) + (at << SIZE_BITS)
        docs = map(add, self.starts, map(add, map(len, self.ids), repeat(6)))
        sizes = map(sub, self.lines, map(add, map(len, self.ids), repeat(7)))
        found = dict(
            zip(self.ids, map(add, map(lshift, docs, repeat(SIZE_BITS)), map(add, sizes, repeat(first))), strict=True)
        )
        if len(found) != len(self.ids):
            return None
        found[self.ids[-1]] += 1
        return found


def _layout(region: bytes, begin: int, cut: int) -> _Lines | None:
    """The documents of the table whose text is ``region[begin:cut]``, each where kamtui's layout
    puts it; None unless every document is there.

    The layout: ``{``, then line i ``  "<id i>": <document i>``, the lines joined by ``,\n``
    after ``{\n`` and before ``\n }``. The CRC already vouches that kamtui wrote every byte, so
    this is belt and braces, checked at C speed with no Python loop: the body holds one line
    per document between ``{`` and `` }`` (a newline is nothing but a line's end); as many lines
    start with ``  "<id>": {``; each line ends with ``},`` but the last, which ends with ``}``
    (and :meth:`_Lines.places` finds each id written once). Then each line holds its own
    document alone (two documents on a line would need a document over two lines elsewhere,
    whose second line would start with an id out of order), from the ``{`` after its id to the
    ``}`` that ends the line. Every other layout is read as views instead
    (tests/test_store_spots.py); only a file made to pass these checks and the JSON's (every
    document an object, the JSON's ids the lines') with a CRC made to match could put a place
    elsewhere, and its document would then read as damaged (the TUI then ends, writing nothing:
    kamtui.ui.app, kamtui.cli.tui)."""
    lengths = _line_lengths(region, begin, cut)
    n = len(lengths) - 2
    if n < 1 or lengths[0] != 1 or lengths[-1] != 2 or max(lengths) > SIZE_MASK:
        return None  # "{", a line per document, " }"; no document longer than a place holds
    if region.count(b"},\n", begin, cut) != n - 1 or not region.startswith(b"}\n }", cut - 4):
        return None
    written = _LINE_HEAD.findall(region, begin, cut)
    if len(written) != n:
        return None
    keys = b" ".join(written).decode("ascii").split(" ")  # ASCII digits: the pattern's
    lines = lengths[1:-1]
    starts = list(accumulate(map(add, lines, repeat(1)), initial=begin + 2))[:-1]  # after each newline
    return _Lines(region, keys, starts, lines)


def _line_lengths(region: bytes, begin: int, cut: int) -> list[int]:
    """The lengths of the lines of ``region[begin:cut]``, split a few MB at a time (a split of
    the whole would hold a copy of every line at once)."""
    lengths: list[int] = []
    pos = begin
    while True:
        stop = region.find(b"\n", min(pos + CHUNK, cut), cut)
        if stop < 0:
            lengths.extend(map(len, region[pos:cut].split(b"\n")))
            return lengths
        lengths.extend(map(len, region[pos:stop].split(b"\n")))
        pos = stop + 1


class _Crc:
    """zlib.crc32 of the regions given, in order, on a thread of its own (it lets go of the
    interpreter lock): the read decodes one table while the previous one is checked."""

    def __init__(self) -> None:
        self._crc = 0
        self._queue: queue.SimpleQueue[memoryview | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="kamtui-crc", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while (part := self._queue.get()) is not None:
            self._crc = zlib.crc32(part, self._crc)

    def add(self, part: memoryview) -> None:
        self._queue.put(part)

    def value(self) -> int:
        self._queue.put(None)
        self._thread.join()
        return self._crc
