"""A document's place in a private copy of the snapshot file it was read from (kamtui.store.spots):
the copy (:class:`Source`), and each document's place in it, one int (see :func:`text`), read
when needed."""

from __future__ import annotations

import contextlib
import errno
import itertools
import os
import threading
import weakref
import zlib
from pathlib import Path

from kamtui.i18n import _

# A place is one int: source number << SOURCE_SHIFT | offset << SIZE_BITS | length. A document
# up to 16 MB, in a file up to 64 GB; an int of three 30-bit digits (36 bytes, a view's 48).
SIZE_BITS = 24
SIZE_MASK = (1 << SIZE_BITS) - 1
SOURCE_SHIFT = 60
OFFSET_MASK = (1 << (SOURCE_SHIFT - SIZE_BITS)) - 1
#: Every open source by number: a place names its source by number, so that it holds no
#: reference (weakly: a source goes, and its copy with it, when its store lets it go).
_SOURCES: dict[int, weakref.ref[Source]] = {}
_numbers = itertools.count(1)
WINDOW = 1 << 20  # bytes read at once, at most, when documents are read in the file's order
FIRST_WINDOW = 32 << 10
RUN = 8
#: What copy_file_range answers where it cannot copy between the two files (copy_into).
_NO_KERNEL_COPY = frozenset({errno.EXDEV, errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP})
CRC_CHUNK = 4 << 20  # bytes of the copy read at once to check it
_SEQUENTIAL = 256  # a read starting at most this far after the last one ended reads a window


class Unreadable(ValueError):
    """A place could not be read (an I/O error, or its source closed)."""


class Source:
    """A private copy of the snapshot file a session read (:func:`unnamed_file`, :func:`copy_into`): the
    documents' places are in it. Nobody else can write it, so a place always reads what was
    read there, whatever happens to the file itself (another session's compaction replaces it;
    a TinyDB script may write it in place).

    Reads are thread-safe. A pass in the file's order (a compaction, an export, Today over every
    document) reads a window of WINDOW bytes at a time; other reads read the document alone."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self._meanwhile: int | None = None  # see read_from
        #: Its number in a place (see :func:`text`).
        self.number = number = next(_numbers)
        _SOURCES[number] = weakref.ref(self, lambda _ref: _SOURCES.pop(number, None))
        self.path = path  # the database it is a copy of, to name in an error
        self._lock = threading.Lock()
        self._window = b""
        self._start = 0
        self._next = -1
        self._pins = 0  # computations reading places in it now (Documents.pinned)
        self._retired = False  # no longer the store's: closed once nothing pins it
        self._run = 0  # reads in a row, each where the one before ended
        self._windows = 0  # windows read in a row

    def read(self, offset: int, size: int) -> bytes:
        """The ``size`` bytes at ``offset``; :class:`Unreadable` if they cannot be read."""
        with self._lock:
            at = offset - self._start
            if at >= 0 and at + size <= len(self._window):
                self._next = offset + size
                return self._window[at : at + size]
            # A window once RUN reads in a row each started where the one before ended: a pass
            # in the file's order; growing from FIRST_WINDOW (an account's few records, next to
            # each other, read the document alone).
            self._run = self._run + 1 if 0 <= offset - self._next <= _SEQUENTIAL else 0
            windowed = self._run >= RUN
            self._windows = self._windows + 1 if windowed else 0
            want = max(size, min(WINDOW, FIRST_WINDOW << self._windows)) if windowed else size
            data = self._pread(offset, want)
            if len(data) < size:
                raise Unreadable(_("{path}: a document lies past the end of its copy").format(path=self.path))
            self._next = offset + size
            if not windowed:
                return data
            self._window, self._start = data, offset
            return data[:size]

    def read_at(self, offset: int, size: int) -> bytes:
        """Up to ``size`` bytes at ``offset`` (fewer at the end), not kept."""
        with self._lock:
            return self._pread(offset, size)

    def _pread(self, offset: int, size: int) -> bytes:
        """:meth:`read_at`; the caller holds the lock (so that the descriptor is not closed, and
        its number taken by another file, meanwhile)."""
        fd = self._fd
        if fd is None:
            raise Unreadable(_("{path}: its copy is closed").format(path=self.path))
        if self._meanwhile is not None:
            fd = self._meanwhile
        try:
            return os.pread(fd, size, offset)
        except OSError as exc:
            said = _("{path} could not be read: {error}").format(path=self.path, error=exc.strerror)
            raise Unreadable(said) from None

    def read_from(self, fd: int | None) -> None:
        """Read from ``fd`` instead of the copy, until called with None: the file itself while
        the copy of it is made (the same bytes). Closes the descriptor read until then."""
        with self._lock:
            old, self._meanwhile = self._meanwhile, fd
        if old is not None:
            os.close(old)

    def pin(self) -> None:
        """A computation reads places in it: :meth:`retire` leaves it open until :meth:`unpin`."""
        with self._lock:
            self._pins += 1

    def unpin(self) -> None:
        with self._lock:
            self._pins -= 1
            done = self._retired and self._pins == 0
        if done:
            self.close()

    def retire(self) -> None:
        """The store has read newer copies: close this one now, or once nothing pins it."""
        with self._lock:
            self._retired = True
            done = self._pins == 0
        if done:
            self.close()

    def close(self) -> None:
        """Let the copy go (its disk space with it); a place in it no longer reads."""
        with self._lock:
            fd, self._fd = self._fd, None
            meanwhile, self._meanwhile = self._meanwhile, None
            self._window = b""
            for d in (fd, meanwhile):
                if d is not None:
                    os.close(d)
        _SOURCES.pop(self.number, None)

    def __del__(self) -> None:
        fds = (self._fd, self._meanwhile)
        self._fd = self._meanwhile = None
        for fd in fds:
            if fd is not None:
                with contextlib.suppress(OSError):
                    os.close(fd)


def unnamed_file(folder: Path) -> int | None:
    """A new file of ``folder`` that has no name (O_TMPFILE: gone when closed, even after a kill
    -9), opened for reading and writing; None if one cannot be made (a folder one may not write, a
    file system without unnamed files)."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None:
        return None
    try:
        return os.open(folder, flag | os.O_RDWR | os.O_CLOEXEC, 0o600)
    except OSError:
        return None


def copy_into(fd: int, tmp: int, size: int) -> bool:
    """Copy the first ``size`` bytes of the open file ``fd`` into ``tmp``; False if they could not
    all be copied (a full disk). Copied by the kernel (copy_file_range: no bytes pass through this
    process, and the interpreter lock is let go meanwhile; a file system that shares extents, such
    as XFS or Btrfs, copies nothing). Where the kernel will not copy between these two files
    (EXDEV: an overlay file system's layers, a file bind-mounted alone; or a kernel without the
    call), the rest is sent by sendfile, in the kernel too."""
    done = 0
    try:
        while done < size:
            try:
                n = os.copy_file_range(fd, tmp, size - done, done, done)
            except OSError as exc:
                if exc.errno not in _NO_KERNEL_COPY:
                    raise
                os.lseek(tmp, done, os.SEEK_SET)  # sendfile writes at the file position
                while done < size:
                    n = os.sendfile(tmp, fd, done, size - done)
                    if n <= 0:
                        break
                    done += n
                break
            if n <= 0:
                break
            done += n
    except OSError:
        return False
    return done == size


class Copying:
    """:func:`copy_into` on a thread of its own: the file is read meanwhile (the kernel copies it
    on the other core). Then, once :meth:`check_from` has said from where, the CRC-32 of the copy
    from there to its end (the reader compares it with the CRC of the bytes it read: the proof
    that the copy holds them). :meth:`result` waits for both.

    The thread copies between descriptors of its own (dups, which it closes): whatever becomes
    of the caller's meanwhile (closed when a signal interrupts :meth:`result`, their numbers
    then another file's), it never writes into anything but the copy."""

    def __init__(self, fd: int, tmp: int, size: int) -> None:
        self._copied = False
        self._crc: int | None = None
        self._from: int | None = None
        self._asked = threading.Event()  # check_from or result has been called
        self._thread: threading.Thread | None = None
        try:
            src = os.dup(fd)
        except OSError:
            return
        try:
            dst = os.dup(tmp)
        except OSError:
            os.close(src)
            return

        def run() -> None:
            try:
                self._copied = copy_into(src, dst, size)
                if self._copied:
                    self._asked.wait()
                    if self._from is not None:
                        self._crc = crc_of(dst, self._from, size)
            finally:
                os.close(src)
                os.close(dst)

        thread = threading.Thread(target=run, name="kamtui-copy", daemon=True)
        try:
            thread.start()
        except RuntimeError:  # no thread can be started: nothing copied
            os.close(src)
            os.close(dst)
            return
        self._thread = thread

    def check_from(self, offset: int) -> None:
        """Once copied, compute the CRC-32 of the copy from ``offset`` to its end."""
        self._from = offset
        self._asked.set()

    def result(self) -> int | None:
        """The CRC-32 of the copy from :meth:`check_from`'s offset, once every byte is copied;
        None if they could not all be copied, or no offset was given."""
        self._asked.set()
        if self._thread is None:
            return None
        self._thread.join()
        return self._crc if self._copied else None


def crc_of(fd: int, start: int, end: int) -> int | None:
    """zlib.crc32 of the bytes of ``fd`` from ``start`` to ``end``, read a few MB at a time (the
    interpreter lock let go meanwhile); None if they cannot all be read."""
    crc, at = 0, start
    try:
        while at < end:
            part = os.pread(fd, min(CRC_CHUNK, end - at), at)
            if not part:
                return None
            crc = zlib.crc32(part, crc)
            at += len(part)
    except OSError:
        return None
    return crc


def text(place: int) -> bytes:
    """A document's JSON text, read from its place; :class:`Unreadable` if it cannot be read (its
    source closed or gone: a place outlived the session's copy)."""
    ref = _SOURCES.get(place >> SOURCE_SHIFT)
    source = ref() if ref is not None else None
    if source is None:
        raise Unreadable(_("a document's copy of the file is gone"))
    return source.read((place >> SIZE_BITS) & OFFSET_MASK, place & SIZE_MASK)


def is_place(doc: object) -> bool:
    """Whether a stored document is a place (an int: a document itself is always an object)."""
    return type(doc) is int
