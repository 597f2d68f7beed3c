"""The writers: ``kamtui import`` (a CSV export from a CRM) and ``kamtui import-json`` (a
``kamtui export --format json`` file). Each is one transaction, or nothing."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from kamtui.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    DataError,
    UsageError,
    db_to_create,
    err,
    open_existing,
    open_writer,
    to_stdout,
    today_from,
    writing,
)

if TYPE_CHECKING:
    from kamtui.store import Store


def cmd_import(args: argparse.Namespace) -> int:
    """`kamtui import FILE.csv`: plan against the database, then apply in one transaction (or nothing)."""
    import time
    from collections.abc import Callable

    from kamtui.domain.importer import ImportFileError, MappingError, UnknownKind
    from kamtui.domain.text import clean
    from kamtui.store.importer import ImportRefused, apply_import, plan_import

    def progress_bar(label: str) -> Callable[[int, int], None] | None:
        """A text bar on stderr, updated in place; only on a terminal, only for large files."""
        if not sys.stderr.isatty():
            return None
        last = [0.0]

        def show(done: int, total: int) -> None:
            if total < 1000:
                return
            now = time.monotonic()
            if done < total and now - last[0] < 0.1:
                return
            last[0] = now
            filled = 30 * done // total
            bar = f"\r{label} [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}"
            sys.stderr.write(bar if done < total else "\r" + " " * len(bar) + "\r")
            sys.stderr.flush()

        return show

    src: Path = args.file
    if not src.is_file():
        raise DataError(f"{src}: no such file" if not src.exists() else f"{src}: not a regular file")
    path = db_to_create(args, make_default=not args.dry_run)
    exists = path.exists() or path.is_symlink()
    # A missing database is created only once the file is read and planned (against nothing):
    # a file refused as a whole (binary, a repeated column) leaves no empty database behind.
    store: Store | None = open_writer(path, dry_run=args.dry_run) if exists else None
    try:
        try:
            checking, today = progress_bar("checking"), today_from(args)
            plan = plan_import(src, args.kind, args.map, store, dates=args.dates, progress=checking, today=today)
        except UnknownKind as exc:
            raise UsageError(f"{exc}; pass --kind accounts, contacts or deals") from None
        except MappingError as exc:
            raise UsageError(str(exc)) from None
        except ImportFileError as exc:
            raise DataError(f"{src}: {exc}") from None
        refused = plan.refused
        if args.dry_run:
            with to_stdout("the dry run's report"):
                print(clean(plan.describe_file()))
                print(clean(plan.describe_columns()))
                for note in plan.notes:
                    print(f"note: {clean(note)}")
                for action in ("create", "update"):
                    rows = plan.of(action)
                    for row in rows[:20]:
                        print(f"{action:<8} {clean(row.describe())}")
                    if len(rows) > 20:
                        print(f"{action:<8} ... and {len(rows) - 20} more")
                for row in refused:
                    print(f"refused  {clean(row.describe())}")
                print(f"dry run: {plan.summary()}; nothing written")
            return EXIT_DATA if refused and not args.skip_bad else EXIT_OK
        if store is None:
            store = open_writer(path, dry_run=False)  # apply_import plans again against it
        for note in plan.notes:
            err(f"note: {clean(note)}")
        try:
            with writing(path, "nothing was imported"):
                result = apply_import(store, plan, skip_bad=args.skip_bad, progress=progress_bar("writing"))
        except ImportRefused as exc:
            for row in exc.refused:
                err(clean(f"{src.name}: {row.describe()}"))
            raise DataError(str(exc)) from None
        for row in result.plan.refused:
            err(clean(f"{src.name}: skipped {row.describe()}"))
        summary = f"{clean(src.name)}: {result.summary()}"
        with to_stdout("the report", done=f"imported {summary}"):  # saved: the line says so
            print(summary)
        return EXIT_OK
    finally:
        if store is not None:
            store.close(compact=not args.dry_run)


def cmd_import_json(args: argparse.Namespace) -> int:
    """`kamtui import-json FILE`: bring an export back, in one transaction; importing twice changes nothing."""
    from kamtui.domain.text import clean
    from kamtui.store.exchange import import_data, plan_json_import, read_export

    data = read_export(args.file.expanduser())
    path = db_to_create(args, make_default=not args.dry_run)
    if args.dry_run and not (path.exists() or path.is_symlink()):
        open_existing(path)  # raises the "no database" error: a dry run creates nothing
    store = open_writer(path, dry_run=args.dry_run)
    try:
        if args.dry_run:
            result = plan_json_import(store, data)[1]
        else:
            with writing(path, "nothing was imported"):
                result = import_data(store, data)
    finally:
        store.close(compact=not args.dry_run)
    line = clean(f"{'would import' if args.dry_run else 'imported'} {args.file}: {result.summary()}")
    if args.dry_run:
        with to_stdout("the dry run's report"):
            print(line)
    else:
        with to_stdout("the report", done=line):  # saved: the line says so
            print(line)
    return EXIT_OK
