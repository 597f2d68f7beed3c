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
from kamtui.i18n import _, pgettext

if TYPE_CHECKING:
    from kamtui.store import Store


def cmd_import(args: argparse.Namespace) -> int:
    """`kamtui import FILE.csv`: plan against the database, then apply in one transaction (or nothing)."""
    import time
    from collections.abc import Callable

    from kamtui.domain.importer import ImportFileError, MappingError, UnknownKind
    from kamtui.domain.text import cell_width, clean
    from kamtui.store.importer import ImportRefused, apply_import, plan_import

    def pad(word: str, width: int) -> str:
        return word + " " * (width - cell_width(word))

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
        message = _("{file}: no such file") if not src.exists() else _("{file}: not a regular file")
        raise DataError(message.format(file=src))
    path = db_to_create(args, make_default=not args.dry_run)
    exists = path.exists() or path.is_symlink()
    # A missing database is created only once the file is read and planned (against nothing):
    # a file refused as a whole (binary, a repeated column) leaves no empty database behind.
    store: Store | None = open_writer(path, dry_run=args.dry_run) if exists else None
    try:
        try:
            checking, today = progress_bar(_("checking")), today_from(args)
            plan = plan_import(src, args.kind, args.map, store, dates=args.dates, progress=checking, today=today)
        except UnknownKind as exc:
            raise UsageError(_("{reason}; pass --kind accounts, contacts or deals").format(reason=exc)) from None
        except MappingError as exc:
            raise UsageError(str(exc)) from None
        except ImportFileError as exc:
            raise DataError(f"{src}: {exc}") from None
        refused = plan.refused
        if args.dry_run:
            with to_stdout(_("the dry run's report")):
                print(clean(plan.describe_file()))
                print(clean(plan.describe_columns()))
                for note in plan.notes:
                    print(_("note: {note}").format(note=clean(note)))
                words = {
                    "create": pgettext("import row", "create"),
                    "update": pgettext("import row", "update"),
                    "refused": pgettext("import row", "refused"),
                }
                width = max(8, *(cell_width(w) + 1 for w in words.values()))
                for action in ("create", "update"):
                    rows = plan.of(action)
                    for row in rows[:20]:
                        print(f"{pad(words[action], width)} {clean(row.describe())}")
                    if len(rows) > 20:
                        more = _("... and {n} more").format(n=len(rows) - 20)
                        print(f"{pad(words[action], width)} {more}")
                for row in refused:
                    print(f"{pad(words['refused'], width)} {clean(row.describe())}")
                print(_("dry run: {summary}; nothing written").format(summary=plan.summary()))
            return EXIT_DATA if refused and not args.skip_bad else EXIT_OK
        if store is None:
            store = open_writer(path, dry_run=False)  # apply_import plans again against it
        for note in plan.notes:
            err(_("note: {note}").format(note=clean(note)))
        try:
            with writing(path, _("nothing was imported")):
                result = apply_import(store, plan, skip_bad=args.skip_bad, progress=progress_bar(_("writing")))
        except ImportRefused as exc:
            for row in exc.refused:
                err(clean(f"{src.name}: {row.describe()}"))
            raise DataError(str(exc)) from None
        for row in result.plan.refused:
            err(clean(_("{file}: skipped {row}").format(file=src.name, row=row.describe())))
        summary = f"{clean(src.name)}: {result.summary()}"
        with to_stdout(
            _("the report"), done=_("imported {summary}").format(summary=summary)
        ):  # saved: the line says so
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
            with writing(path, _("nothing was imported")):
                result = import_data(store, data)
    finally:
        store.close(compact=not args.dry_run)
    told = _("would import {file}: {summary}") if args.dry_run else _("imported {file}: {summary}")
    line = clean(told.format(file=args.file, summary=result.summary()))
    if args.dry_run:
        with to_stdout(_("the dry run's report")):
            print(line)
    else:
        with to_stdout(_("the report"), done=line):  # saved: the line says so
            print(line)
    return EXIT_OK
