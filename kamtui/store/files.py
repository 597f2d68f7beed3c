"""Files written whole, and opened safely: the one atomic write every writer of kamtui uses.

:class:`AtomicFile` is how a file is replaced without a moment at which it is half written: a
temp file beside the target (the same folder, so the rename never crosses a file system),
written and fsynced, then ``os.replace``-d over the target and the folder fsynced. The store's
compaction and its first snapshot, ``kamtui export`` and the sample portfolios all write through
it. The other helpers open files without following a symlink planted in their place.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import threading
from collections.abc import Mapping
from pathlib import Path

from kamtui.i18n import _
from kamtui.store.errors import UnsafePath

TEMP_MARK = ".tmp-"  # temp files are named .NAME.tmp-PID-RANDOM beside NAME


def write_all(fd: int, data: bytes) -> None:
    """``os.write`` until every byte is written (a write may be short)."""
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def fsync_dir(folder: Path) -> None:
    """Make a rename or a new file in ``folder`` durable."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def open_nofollow(p: Path, flags: int, mode: int = 0o600) -> int:
    """``os.open`` that refuses a symlink planted at ``p`` (even after we checked) with UnsafePath."""
    try:
        return os.open(p, flags | os.O_NOFOLLOW, mode)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise UnsafePath(
                _("refusing {path}: it is a symbolic link (open the real file instead)").format(path=p)
            ) from None
        raise


def refuse_unsafe(p: Path) -> os.stat_result | None:
    """Raise UnsafePath if ``p`` is a symlink or not a regular file; its status (a regular file's:
    what ``os.stat`` would say), or None if it does not exist."""
    try:
        st = os.lstat(p)
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(st.st_mode):
        raise UnsafePath(_("refusing {path}: it is a symbolic link (open the real file instead)").format(path=p))
    if not stat.S_ISREG(st.st_mode):
        raise UnsafePath(_("refusing {path}: it is not a regular file").format(path=p))
    return st


def refuse_to_replace(target: Path) -> None:
    """Raise UnsafePath unless ``target`` is missing or a regular file (a symlink: its target),
    the only things a rename over it may replace: renamed over, a device (``-o /dev/full
    --force`` as root), a FIFO or a socket would be gone, a regular file in its place."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return
    what = f"{target}"
    if stat.S_ISLNK(st.st_mode):
        what = f"{target} -> {os.readlink(target)}"
        try:
            st = os.stat(target)
        except FileNotFoundError:
            return  # a dangling link: the link itself is replaced, nothing it points at
        except OSError:
            pass  # a loop, a folder we may not read: not known to be a regular file
        else:
            if stat.S_ISREG(st.st_mode):
                return
    elif stat.S_ISREG(st.st_mode):
        return
    raise UnsafePath(_("{path} is not a regular file; refusing to replace it").format(path=what))


def may_write(p: Path, st: os.stat_result | None = None) -> bool:
    """Whether the user may write ``p`` (its status ``st``, if known): by permission, and by its
    mode (a 0400 file is read-only to its owner by choice, whoever that is)."""
    if st is None:
        try:
            st = os.stat(p)
        except OSError:
            return False
    return bool(st.st_mode & 0o222) and os.access(p, os.W_OK)


def mode_and_group(p: Path) -> tuple[int, int] | None:
    """The permission bits and group of ``p``, None if it does not exist."""
    try:
        st = os.stat(p)
    except FileNotFoundError:
        return None
    return stat.S_IMODE(st.st_mode), st.st_gid


def open_beside(p: Path, flags: int, like: Path) -> int:
    """Open ``p`` (never through a symlink), creating it if needed with the mode and group of
    ``like`` (read and write bits only, and always readable and writable by its owner), or 0600
    if ``like`` does not exist: how the store opens its journal and lock file."""
    try:
        return open_nofollow(p, flags)
    except FileNotFoundError:
        pass
    fd = open_nofollow(p, flags | os.O_CREAT, 0o600)
    info = mode_and_group(like)
    mode = 0o600
    if info is not None:
        mode = info[0] & 0o666 | 0o600
        with contextlib.suppress(OSError):
            os.fchown(fd, -1, info[1])
    os.fchmod(fd, mode)
    return fd


def naming(exc: OSError, target: Path) -> OSError:
    """``exc`` about ``target``: a full disk or a missing folder says which file could not be
    written, never the temp file beside it. The subclass follows errno (FileNotFoundError, ...)."""
    if exc.errno is None:
        return exc
    return OSError(exc.errno, exc.strerror, str(target))


class AtomicFile:
    """New content for ``target``, swapped in whole by :meth:`commit`.

    The temp file is created (0600, exclusively, never through a symlink) and flocked at once:
    the flock tells :func:`sweep_temps` that its writer is alive, however long the writing takes
    (a compaction writes without holding the store's lock). It then gets ``mode`` and, if given,
    ``group``. :meth:`commit` fsyncs it, ``os.replace``-s it over the target and fsyncs the
    folder. Until then the target is untouched; :meth:`discard` (or leaving a ``with`` block
    without committing) removes the temp. Every OSError names the target, never the temp.
    """

    def __init__(self, target: Path, mode: int = 0o600, group: int | None = None) -> None:
        import secrets  # only writers need it (~6 ms of `kamtui due`'s start-up otherwise)

        self.target = target
        self.path = target.with_name(f".{target.name}{TEMP_MARK}{os.getpid()}-{secrets.token_hex(4)}")
        self._synced = True
        self._done = False
        try:
            self.fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        except OSError as exc:
            raise naming(exc, target) from None
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os.fchmod(self.fd, mode)
            if group is not None:
                with contextlib.suppress(OSError):
                    os.fchown(self.fd, -1, group)
        except OSError as exc:
            self.discard()
            raise naming(exc, target) from None
        except BaseException:
            self.discard()
            raise

    def write(self, data: bytes) -> None:
        try:
            write_all(self.fd, data)
        except OSError as exc:
            raise naming(exc, self.target) from None
        self._synced = False

    def sync(self) -> None:
        """fsync what was written (commit does it too, if needed)."""
        if not self._synced:
            try:
                os.fsync(self.fd)
            except OSError as exc:
                raise naming(exc, self.target) from None
            self._synced = True

    def inode(self) -> int:
        return os.fstat(self.fd).st_ino

    def commit(self) -> None:
        """Replace the target with what was written: fsync, rename, fsync of the folder. A target
        that is not a regular file (:func:`refuse_to_replace`) is refused, UnsafePath."""
        self.sync()
        refuse_to_replace(self.target)
        try:
            os.replace(self.path, self.target)
        except OSError as exc:
            raise naming(exc, self.target) from None
        self._done = True
        self._close()
        fsync_dir(self.target.parent)

    def discard(self) -> None:
        """Remove the temp file unless it was committed. Never raises."""
        with contextlib.suppress(OSError):
            self._close()
        if not self._done:
            self._done = True
            with contextlib.suppress(OSError):
                os.unlink(self.path)

    def _close(self) -> None:
        if self.fd >= 0:
            fd, self.fd = self.fd, -1
            os.close(fd)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.discard()


def sweep_temps(target: Path) -> None:
    """Remove the temp files of ``target`` whose writer died (a crash during a compaction).

    A live writer keeps its temp flocked (see :class:`AtomicFile`); a temp we can flock belongs
    to a writer that died. (Checking whether its pid is alive would keep a temp forever once the
    pid is reused.) One we cannot even open is removed too: the worst that can do is make a live
    compaction of another user fail, never lose data. The store sweeps under its lock.
    """
    prefix = f".{target.name}{TEMP_MARK}"
    with contextlib.suppress(OSError):
        for entry in os.scandir(target.parent):
            if not (entry.name.startswith(prefix) and entry.is_file(follow_symlinks=False)):
                continue
            try:
                fd = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            except FileNotFoundError:
                continue
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # its writer is alive
            else:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
            finally:
                os.close(fd)


def why_read_only(path: Path, st: os.stat_result, sidecars: Mapping[Path, os.stat_result | None]) -> str | None:
    """Why the user may not write the database ``path`` (its status ``st``) with its ``sidecars``
    (journal, lock: each with its status, None where it does not exist), or None; the statuses as
    :func:`refuse_unsafe` found them (not asked twice: opening a small file is a few of these
    calls). Respects the modes themselves, so a 0400 file is read-only even for root (who could
    write it anyway)."""
    if not may_write(path, st):
        return _("you may not write {path}").format(path=path)
    folder_ok: bool | None = None  # asked only where a sidecar is still to be made
    for side, side_st in sidecars.items():
        if side_st is not None:
            if not may_write(side, side_st):
                return _("you may not write {path}").format(path=side)
            continue
        if folder_ok is None:
            folder_ok = os.access(path.parent, os.W_OK | os.X_OK)
        if not folder_ok:
            return _("you may not create files in {path}").format(path=path.parent)
    return None


def read_whole(path: Path) -> tuple[os.stat_result, bytes]:
    """The file's status and bytes, as one read: a symlink refused (UnsafePath), never followed;
    one buffer (a list of chunks joined would hold the file twice)."""
    refuse_unsafe(path)
    fd = open_nofollow(path, os.O_RDONLY)
    try:
        st = os.fstat(fd)
        with open(fd, "rb", closefd=False) as fh:
            return st, fh.read()
    finally:
        os.close(fd)


class Prefetch:
    """A file's bytes and status, read on a thread of its own while the reader does other work
    first (``kamtui due`` imports its modules meanwhile: a read lets go of the interpreter lock),
    read as :func:`kamtui.store.reading.read_state` reads it (:func:`read_whole`).

    :meth:`take` gives ``(fstat, bytes)``, or None if anything went wrong: the reader then reads
    the file itself, and says what is wrong with it. ``keep``: every :meth:`take` gives them (two
    readers in turn: each checks that the file was not replaced since, as for its own read)."""

    def __init__(self, path: Path, *, keep: bool = False) -> None:
        self._keep = keep
        self._result: tuple[os.stat_result, bytes] | None = None
        self._thread = threading.Thread(target=self._read, args=(path,), name="kamtui-prefetch", daemon=True)
        self._thread.start()

    def _read(self, path: Path) -> None:
        try:
            self._result = read_whole(path)
        except (OSError, UnsafePath):
            return

    def take(self) -> tuple[os.stat_result, bytes] | None:
        """What was read (once unless ``keep``: the bytes are the caller's to drop)."""
        self._thread.join()
        result = self._result
        if not self._keep:
            self._result = None
        return result
