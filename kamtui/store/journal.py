"""The journal: complete lines, checked, and checked to continue the state they extend.

Each line is one transaction ``{"seq": N, "ts": ..., "user": ..., "ops": [...]}``. Sequence
numbers go up by exactly one from line to line, and the first line a state needs is the one
after the state's own seq (the snapshot's, at load). Lines at or below that seq are already
in the state (a crash between compaction's two renames leaves the whole old journal beside
the new snapshot) and are skipped. A line out of order - a seq that goes backwards, repeats,
or jumps ahead - means lines are missing or were written by something that broke the
protocol: the journal is damaged and is refused like any other damage, never half-applied
(a later compaction would make the loss permanent).

Writing: :func:`append` adds one fsynced line; a compaction keeps :func:`tail`.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.i18n import _
from kamtui.store.errors import StoreError
from kamtui.store.files import open_nofollow, write_all


@dataclass(frozen=True, slots=True)
class Entry:
    pos: int  # byte offset of the line in the journal
    seq: int
    ops: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Scan:
    ino: int | None  # None: no journal
    entries: list[Entry]
    end: int  # offset just after the last complete line read
    replaced: bool  # the journal is not the one (or shorter than) the caller had read up to


class Damaged(ValueError):
    """A journal line that is not a valid entry, or out of sequence. ``pos`` is its byte offset;
    ``message`` says what is wrong with it, naming that offset."""

    def __init__(self, pos: int, message: str) -> None:
        self.pos = pos
        super().__init__(message)


def beside(data: Path) -> Path:
    """The journal of the database file ``data``."""
    return data.with_name(data.name + ".journal")


def _valid_id(doc_id: Any) -> bool:
    return isinstance(doc_id, int) and not isinstance(doc_id, bool) and doc_id > 0


def _valid_op(op: Any) -> bool:
    return (
        isinstance(op, dict)
        and isinstance(op.get("t"), str)
        and _valid_id(op.get("id"))
        and (op.get("doc") is None or isinstance(op.get("doc"), dict))
    )


def scan(path: Path, start: int, known_ino: int | None, *, allow_torn_tail: bool = True) -> Scan:
    """The complete lines of the journal at ``path`` from byte ``start``.

    When the file is not ``known_ino`` (replaced, e.g. by a compaction) or is shorter than
    ``start``, nothing is read and ``replaced`` is True: the caller decides (reload, or read
    again from 0). A torn last line (a writer killed mid-append) is left out when
    ``allow_torn_tail``; any other damaged line raises :class:`Damaged`.
    """
    try:
        fd = open_nofollow(path, os.O_RDONLY)
    except FileNotFoundError:
        return Scan(None, [], 0, known_ino is not None)
    try:
        st = os.fstat(fd)
        if (known_ino is not None and st.st_ino != known_ino) or st.st_size < start:
            return Scan(st.st_ino, [], 0, True)
        if st.st_size == start:
            return Scan(st.st_ino, [], start, False)
        parts = []
        offset = start
        while True:
            chunk = os.pread(fd, 1 << 20, offset)
            if not chunk:
                break
            parts.append(chunk)
            offset += len(chunk)
        buf = b"".join(parts)
    finally:
        os.close(fd)
    end = buf.rfind(b"\n") + 1
    lines = buf[:end].split(b"\n")[:-1]
    entries: list[Entry] = []
    pos = start
    for i, line in enumerate(lines):
        try:
            entry = json.loads(line)
            if not isinstance(entry, dict) or not _valid_id(entry.get("seq")):
                raise ValueError(_("not a journal entry"))
            ops = entry.get("ops")
            if not isinstance(ops, list) or not all(_valid_op(op) for op in ops):
                raise ValueError(_("journal entry without valid ops"))
        except (ValueError, UnicodeDecodeError) as exc:
            if i == len(lines) - 1 and end == len(buf) and allow_torn_tail:
                break  # a torn last line: the write never finished; ignored
            raise Damaged(
                pos, _("journal line at byte {pos} is damaged ({error})").format(pos=pos, error=exc)
            ) from None
        entries.append(Entry(pos, entry["seq"], ops))
        pos += len(line) + 1
    return Scan(st.st_ino, entries, pos, False)


def continuing(entries: list[Entry], state_seq: int, prev: int | None) -> list[Entry]:
    """The entries a state at ``state_seq`` lacks, after checking the sequence.

    ``prev`` is the seq of the line just before the first entry (None at the start of the
    file). Raises :class:`Damaged` for a line out of order or a gap after ``state_seq``.
    """
    wanted: list[Entry] = []
    seq = state_seq
    for entry in entries:
        if prev is not None and entry.seq != prev + 1:
            message = _(
                "journal line at byte {pos} has sequence number {seq} after {prev} (edits missing or out of order)"
            )
            raise Damaged(entry.pos, message.format(pos=entry.pos, seq=entry.seq, prev=prev))
        prev = entry.seq
        if entry.seq <= seq:
            continue  # already in the state
        if entry.seq != seq + 1:
            message = _(
                "journal line at byte {pos} has sequence number {seq} but the data file ends at {end} "
                "(edits {first}-{last} are missing)"
            )
            raise Damaged(
                entry.pos, message.format(pos=entry.pos, seq=entry.seq, end=seq, first=seq + 1, last=entry.seq - 1)
            )
        wanted.append(entry)
        seq = entry.seq
    return wanted


def append(fd: int, line: bytes, pos: int) -> None:
    """Write ``line`` at ``pos``, the end of the journal's last complete line, and fsync it.

    A torn tail (a writer killed mid-append) after ``pos`` is cut first, so the line starts on a
    line of its own. If the write fails (disk full, EIO) the file is cut back to ``pos``: the line
    must not surface later as an edit whose commit raised. The caller holds the store's lock.
    """
    if os.fstat(fd).st_size != pos:
        os.ftruncate(fd, pos)
    try:
        write_all(fd, line)
        os.fsync(fd)
    except BaseException:
        with contextlib.suppress(OSError):
            os.ftruncate(fd, pos)
        raise


def tail(path: Path, ino: int, start: int, end: int, above: int) -> bytes:
    """The complete lines between bytes ``start`` and ``end`` of the journal (inode ``ino``) whose
    seq is above ``above``: what a compaction keeps of the journal. The caller holds the store's
    lock and has read (and so checked) those lines already."""
    if end <= start:
        return b""
    fd = open_nofollow(path, os.O_RDONLY)
    try:
        if os.fstat(fd).st_ino != ino:
            raise StoreError(_("journal replaced under the lock"))  # cannot happen with flock held
        want = end - start
        parts = []
        while want > 0:
            chunk = os.pread(fd, min(want, 1 << 22), start)
            if not chunk:
                raise StoreError(_("{path} shrank under the lock").format(path=path))
            parts.append(chunk)
            start += len(chunk)
            want -= len(chunk)
    finally:
        os.close(fd)
    lines = b"".join(parts).splitlines(keepends=True)
    # All have seq > above unless a writer broke the protocol.
    return b"".join(line for line in lines if json.loads(line)["seq"] > above)
