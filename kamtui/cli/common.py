"""What every command shares: its errors and exit codes, one-line messages, the database it opens."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from kamtui.i18n import _

if TYPE_CHECKING:
    from kamtui.store import Store

EXIT_OK, EXIT_USAGE, EXIT_DATA = 0, 1, 2

#: The furthest ``kamtui due --days`` looks ahead: ten years, plenty for any plan, and far from
#: the numbers that overflow a date (``--days 99999999999``) or the calendar's end.
MAX_DAYS = 3660


class UsageError(Exception):
    """The command line is wrong: one line, exit 1."""


class DataError(Exception):
    """The data (a file, the database, the config) is wrong: one line, exit 2."""


class Stopped(BaseException):
    """A signal (a hang-up, SIGTERM) ended the TUI: exit 128 + the signal's number, as a shell
    reports it. A BaseException, so that nothing on the way swallows it as an error."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        super().__init__(f"ended by signal {signum}")


def err(message: str) -> None:
    """Print one line on stderr: every error passes here, so a path or name given by the user
    (``KAMTUI_DB=$'\\e[31m...'``) shows its control characters visibly, never raw."""
    from kamtui.domain.text import clean

    line = " ".join(clean(message).split())
    print(f"kamtui: {line}", file=sys.stderr)


def os_message(exc: OSError) -> str:
    """``exc`` as "FILE: reason" rather than Python's "[Errno 2] reason: 'FILE'" (without a
    file, the reason alone: never "[Errno 28]")."""
    if exc.strerror and exc.filename is not None:
        target = f"{exc.filename} -> {exc.filename2}" if exc.filename2 is not None else f"{exc.filename}"
        return f"{target}: {exc.strerror}"
    return exc.strerror or str(exc)


@contextlib.contextmanager
def to_stdout(what: str, *, done: str | None = None) -> Iterator[None]:
    """Write ``what`` (the queue, the export) to standard output in the block, flushed at its
    end: a stream that cannot take it (a full disk, ``> /dev/full``; an I/O error) is one line,
    "cannot write the export to standard output: no space left on device" (DataError, exit 2),
    whether a write in the block failed or the flush. What is still buffered is then dropped,
    so that Python does not fail again at exit ("Exception ignored", exit 120). A reader gone
    (BrokenPipeError: ``| head``) is left to main, which ends quietly.

    ``done``: what the command did before (an import saved), said first, so that the line does
    not read as a failed import: "imported a.csv: 2 created, ...; could not write the report to
    standard output: no space left on device"."""
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        drop_stdout()
        reason = exc.strerror or str(exc)
        reason = f"{reason[:1].lower()}{reason[1:]}"
        if done is not None:
            raise DataError(
                _("{done}; could not write {what} to standard output: {reason}").format(
                    done=done, what=what, reason=reason
                )
            ) from None
        raise DataError(
            _("cannot write {what} to standard output: {reason}").format(what=what, reason=reason)
        ) from None


def drop_stdout() -> None:
    """Send what is left of standard output nowhere: it cannot be written, and Python would
    otherwise try again at exit and complain."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # not a file (a test's capture): nothing to drop
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)


@contextlib.contextmanager
def writing(path: Path, nothing: str) -> Iterator[None]:
    """An OSError while ``path`` is written names it: a full disk says which file, and ``nothing``."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise DataError(
            _("cannot write {path}: {reason}; {nothing}").format(path=path, reason=exc.strerror or exc, nothing=nothing)
        ) from None


def today_from(args: argparse.Namespace) -> dt.date:
    """``--today`` (a frozen clock for tests and demos), else today.

    A frozen day must be one the model keeps (:data:`kamtui.domain.validate.EARLIEST_DATE` to
    :data:`~kamtui.domain.validate.LATEST_DATE`): the queue, the checks and the exports count
    days and years from it, and from 9999-12-31 they overflow the calendar."""
    value = getattr(args, "today", None)
    if not value:
        return dt.date.today()
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(_("--today: {value} is not a date (YYYY-MM-DD)").format(value=repr(value))) from None
    from kamtui.domain.validate import EARLIEST_DATE, LATEST_DATE

    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise UsageError(
            _("--today: {day} is outside the dates kamtui keeps ({first} to {last})").format(
                day=day.isoformat(), first=EARLIEST_DATE, last=LATEST_DATE
            )
        )
    return day


def default_db_path() -> Path:
    env = os.environ.get("KAMTUI_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("kamtui") / "kamtui.json"


def resolve_db(args: argparse.Namespace) -> Path:
    """The database a command works on: ``--db``, else ``$KAMTUI_DB``, else the default file."""
    path: Path = args.db if getattr(args, "db", None) else default_db_path()
    return path.expanduser()


def db_to_create(args: argparse.Namespace, *, make_default: bool = True) -> Path:
    """The database of a command that creates it if missing (the TUI, the imports).

    Its folder must exist when the user named the file (``--db``, ``KAMTUI_DB``): a typo must
    not create folders nobody asked for (DataError, one line, exit 2, as ``due`` refuses a
    missing file). Only the default file's folder is made, on first run, private (0700), and
    only if ``make_default`` (a dry run makes nothing).
    """
    path = resolve_db(args)
    folder = path.parent
    if folder.is_dir():
        return path
    named = bool(getattr(args, "db", None) or os.environ.get("KAMTUI_DB"))
    if not named and not folder.exists():
        if make_default:
            folder.mkdir(parents=True, mode=0o700)
        return path
    if folder.exists():
        message = _("cannot create {path}: {folder} is not a folder; create the folder first, or give another --db")
    else:
        message = _("cannot create {path}: {folder} does not exist; create the folder first, or give another --db")
    raise DataError(message.format(path=path, folder=folder))


def open_existing(path: Path, only: tuple[str, ...] | None = None) -> Store:
    """The database for a command that only reads it: read-only, creating nothing."""
    from kamtui.store import Store, StoreError

    if not path.exists() and not path.is_symlink():
        if not path.parent.is_dir():
            raise DataError(
                _("no database at {path}: {folder} is not a folder; give another --db").format(
                    path=path, folder=path.parent
                )
            )
        raise DataError(_("no database at {path}; start `kamtui` once to create it, or pass --db").format(path=path))
    try:
        return Store(path, create=False, only=only, read_only=True)  # readers create nothing
    except StoreError as exc:
        raise DataError(str(exc)) from None


def open_writer(path: Path, *, dry_run: bool) -> Store:
    """The store for a command that writes (a dry run opens it read-only: it creates nothing).

    A write that waits for another session's lock says so on stderr after a moment, and gives
    up after the store's lock timeout (``KAMTUI_LOCK_TIMEOUT``) with exit code 2.
    """
    from kamtui.store import Store, StoreError
    from kamtui.store.locking import waiting_message

    try:
        store = Store(path, create=not dry_run, read_only=dry_run)
    except StoreError as exc:
        raise DataError(str(exc)) from None
    store.on_lock_wait = lambda p, waiting: err(waiting_message(p)) if waiting else None
    return store


def check_config() -> None:
    """Raise DataError (one line naming the file) if the config file is bad or, when
    ``KAMTUI_CONFIG`` names it, missing."""
    from kamtui.store import StoreError
    from kamtui.store.config import load_thresholds

    try:
        load_thresholds()
    except StoreError as exc:
        raise DataError(str(exc)) from None
