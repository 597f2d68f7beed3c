"""Command line: ``kamtui`` opens the TUI; ``kamtui due`` and ``kamtui check`` are plain reports.

Exit codes: 0 fine, 1 usage, 2 data problem. Every error is one line on stderr.
Textual is imported only when the TUI opens.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import shutil
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from kamtui import __version__

if TYPE_CHECKING:
    from kamtui.store import Store

EXIT_OK, EXIT_USAGE, EXIT_DATA = 0, 1, 2
# Bigger files are read after the first frame (the TUI shows "loading" and Today's reviews first).
EAGER_BYTES = 1_000_000  # about 350 accounts, read in ~10 ms


class UsageError(Exception):
    pass


class DataError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see kamtui --help)")


def default_db_path() -> Path:
    env = os.environ.get("KAMTUI_DB")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path("kamtui") / "kamtui.json"


def _today(value: str | None) -> dt.date:
    if not value:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--today: {value!r} is not a date (YYYY-MM-DD)") from None


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="kamtui",
        description="Keyboard-driven key account management: today's queue, stakeholder maps, account plans.",
    )
    p.add_argument("--version", action="version", version=f"kamtui {__version__}")
    p.add_argument("--db", type=Path, help="database file (default: $KAMTUI_DB or the user data dir)")
    p.add_argument("--demo", action="store_true", help="open a fresh copy of the demo portfolio (your data untouched)")
    p.add_argument("--today", help=argparse.SUPPRESS)  # frozen clock for tests and demos
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    due = sub.add_parser("due", help="print today's queue (reviews, actions, contacts) without starting the TUI")
    due.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    due.add_argument("--days", type=int, default=0, help="also list what falls due in the next N days")
    due.add_argument("--owner", help="only accounts owned by NAME")
    due.add_argument("--format", choices=("table", "plain", "json"), default="table")
    due.add_argument("--today", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    check = sub.add_parser("check", help="validate a database file and list what is wrong")
    check.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")

    imp = sub.add_parser("import", help="import accounts or contacts from a CSV export (HubSpot, Salesforce)")
    imp.add_argument("file", type=Path, metavar="FILE.csv", help="the CSV file")
    imp.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    imp.add_argument("--kind", choices=("accounts", "contacts"), help="what the file holds (default: from its columns)")
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="COLUMN=FIELD",
        help="read COLUMN into FIELD (repeatable); COLUMN= ignores the column",
    )
    imp.add_argument("--dry-run", action="store_true", help="show what would be created, updated and refused")
    imp.add_argument("--skip-bad", action="store_true", help="import the good rows even if some are refused")
    imp.add_argument(
        "--dates",
        choices=("auto", "dmy", "mdy"),
        default="auto",
        help="order of dates like 03/04/2026 (default: proved by the file's other dates, else day-first)",
    )

    export = sub.add_parser(
        "export",
        help="export the account plans as JSON, CSV, Markdown or an iCalendar feed",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "formats:\n"
            "  json  the whole database (ids and all), re-importable with `kamtui import-json FILE`\n"
            "  csv   three linked tables: accounts, stakeholders, actions (ids link them). With -o FILE\n"
            "        they go to FILE, STEM-stakeholders.csv and STEM-actions.csv beside it (STEM is FILE\n"
            "        without .csv); without -o the accounts table is printed; --table picks one table\n"
            "  md    the account plans in four parts (relationships, the client's business, objectives,\n"
            "        strategy and actions) plus reviews, for readers who never saw kamtui\n"
            "  ics   RFC 5545 calendar: review cadences as recurring all-day events from the next review\n"
            "        due, and open actions on their due dates, each with an alarm the day before\n"
            "Without -o the export goes to standard output. Files are created 0600; an existing\n"
            "file is never replaced without --force."
        ),
    )
    export.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    export.add_argument("--format", required=True, choices=("json", "csv", "md", "ics"), help="what to write")
    export.add_argument("--account", metavar="NAME", help="only this account (exact name or unique prefix, any case)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--force", action="store_true", help="replace FILE (and its CSV siblings) if it exists")
    export.add_argument("--table", choices=("accounts", "stakeholders", "actions"), help="csv: write only this table")
    export.add_argument("--today", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    import_json = sub.add_parser(
        "import-json",
        help="import a `kamtui export --format json` file: adds and updates records by id, never deletes",
    )
    import_json.add_argument("file", type=Path, metavar="FILE.json", help="the export file")
    import_json.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file (created if missing)")
    import_json.add_argument("--dry-run", action="store_true", help="say what would change and write nothing")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "due":
            return cmd_due(args)
        if args.command == "check":
            return cmd_check(args)
        if args.command == "import":
            return cmd_import(args)
        if args.command in ("export", "import-json"):
            return cmd_export(args) if args.command == "export" else cmd_import_json(args)
        return cmd_tui(args)
    except UsageError as exc:
        _err(str(exc))
        return EXIT_USAGE
    except DataError as exc:
        _err(str(exc))
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `kamtui due | head`: the reader went away; not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the CLI promises one line, never a traceback
        from kamtui.store import StoreError

        if isinstance(exc, StoreError | OSError):
            _err(_os_message(exc) if isinstance(exc, OSError) else str(exc))
            return EXIT_DATA
        _err(f"unexpected error: {type(exc).__name__}: {exc}")
        return EXIT_DATA


def _err(message: str) -> None:
    """Print one line on stderr: every error passes here, so a path or name given by the user
    (``KAMTUI_DB=$'\\e[31m...'``) shows its control characters visibly, never raw."""
    from kamtui.domain.text import clean

    line = " ".join(clean(message).split())
    print(f"kamtui: {line}", file=sys.stderr)


def _os_message(exc: OSError) -> str:
    """``exc`` as "FILE: reason" rather than Python's "[Errno 2] reason: 'FILE'"."""
    if exc.strerror and exc.filename is not None:
        target = f"{exc.filename} -> {exc.filename2}" if exc.filename2 is not None else f"{exc.filename}"
        return f"{target}: {exc.strerror}"
    return str(exc)


@contextlib.contextmanager
def _writing(path: Path, nothing: str) -> Iterator[None]:
    """An OSError while ``path`` is written names it: a full disk says which file, and ``nothing``."""
    try:
        yield
    except BrokenPipeError:
        raise
    except OSError as exc:
        raise DataError(f"cannot write {path}: {exc.strerror or exc}; {nothing}") from None


def _open_existing(path: Path, only: tuple[str, ...] | None = None) -> object:
    from kamtui.store import Store, StoreError

    if not path.exists() and not path.is_symlink():
        raise DataError(f"no database at {path}; start `kamtui` once to create it, or pass --db")
    try:
        return Store(path, create=False, only=only, read_only=True)  # readers create nothing
    except StoreError as exc:
        raise DataError(str(exc)) from None


def _open_writer(path: Path, *, dry_run: bool) -> Store:
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
    store.on_lock_wait = lambda p, waiting: _err(waiting_message(p)) if waiting else None
    return store


def cmd_due(args: argparse.Namespace) -> int:
    import gc

    from kamtui.report.due import render_json, render_plain, render_table, use_colour
    from kamtui.store import StoreError
    from kamtui.store.config import load_thresholds
    from kamtui.store.portfolio import Portfolio, due_view, today_queue

    if args.days < 0:
        raise UsageError("--days must be 0 or more")
    # A short-lived process over up to millions of documents and entities, none of them in a
    # reference cycle: the cyclic collector would only rescan them (a third of the run time).
    gc.disable()
    today = _today(getattr(args, "today", None))
    path = _resolve_db(args)
    if not path.exists() and not path.is_symlink():
        _open_existing(path)  # raises the "no database" error
    try:
        # The four tables due reads; accounts stay JSON text until read: only those with a
        # cadence, or named by a due action or contact, are ever parsed.
        store = due_view(path)
    except StoreError as exc:
        raise DataError(str(exc)) from None
    try:
        items = today_queue(
            Portfolio(store, lambda: today), today, days=args.days, owner=args.owner, thresholds=load_thresholds()
        )
    finally:
        store.close(compact=False)
    if args.format == "json":
        sys.stdout.write(render_json(items, today))
    elif args.format == "plain":
        sys.stdout.write(render_plain(items, today))
    else:
        width = shutil.get_terminal_size((100, 24)).columns
        sys.stdout.write(render_table(items, today, colour=use_colour(sys.stdout.isatty()), width=width))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from kamtui.domain.text import clean
    from kamtui.store import Store
    from kamtui.store.check import check_store

    path = _resolve_db(args)
    store = _open_existing(path)
    assert isinstance(store, Store)
    try:
        problems, totals = check_store(store)
    finally:
        store.close(compact=False)
    summary = ", ".join(f"{n} {t}" for t, n in totals.items())
    if not problems:
        print(clean(f"{path}: OK ({summary})"))
        return EXIT_OK
    for problem in problems:
        print(clean(problem))
    print(clean(f"{path}: {len(problems)} problem(s) in {summary}"), file=sys.stderr)
    return EXIT_DATA


def cmd_import(args: argparse.Namespace) -> int:
    """`kamtui import FILE.csv`: plan against the database, then apply in one transaction (or nothing)."""
    import time
    from collections.abc import Callable

    from kamtui.domain.importer import ImportFileError, MappingError
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
    path = _resolve_db(args)
    exists = path.exists() or path.is_symlink()
    store: Store | None = None
    if exists or not args.dry_run:  # a dry run never creates the database
        store = _open_writer(path, dry_run=args.dry_run)
    try:
        try:
            plan = plan_import(src, args.kind, args.map, store, dates=args.dates, progress=progress_bar("checking"))
        except MappingError as exc:
            raise UsageError(str(exc)) from None
        except ImportFileError as exc:
            raise DataError(f"{src}: {exc}") from None
        refused = plan.refused
        if args.dry_run:
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
        assert store is not None
        for note in plan.notes:
            _err(f"note: {clean(note)}")
        try:
            with _writing(path, "nothing was imported"):
                result = apply_import(store, plan, skip_bad=args.skip_bad, progress=progress_bar("writing"))
        except ImportRefused as exc:
            for row in exc.refused:
                _err(clean(f"{src.name}: {row.describe()}"))
            raise DataError(str(exc)) from None
        for row in result.plan.refused:
            _err(clean(f"{src.name}: skipped {row.describe()}"))
        print(f"{clean(src.name)}: {result.summary()}")
        return EXIT_OK
    finally:
        if store is not None:
            store.close(compact=not args.dry_run)


def cmd_export(args: argparse.Namespace) -> int:
    """`kamtui export --format json|csv|md|ics`: to standard output, or -o FILE (never replaced without --force)."""
    from kamtui.domain.errors import ValidationError
    from kamtui.domain.text import clean
    from kamtui.report.csv_tables import csv_paths, render_csv
    from kamtui.report.ical import render_ics
    from kamtui.report.markdown import render_markdown
    from kamtui.report.output import write_new_files
    from kamtui.report.plans import load_plans, select_account
    from kamtui.store import Store
    from kamtui.store.config import load_thresholds
    from kamtui.store.exchange import dump_json
    from kamtui.store.portfolio import Portfolio

    if args.table and args.format != "csv":
        raise UsageError("--table goes with --format csv")
    today = _today(getattr(args, "today", None))
    path = _resolve_db(args)
    store = _open_existing(path)
    assert isinstance(store, Store)
    try:
        portfolio = Portfolio(store, lambda: today)
        account_id = None
        if args.account is not None:
            try:
                account_id = select_account(portfolio.accounts(), args.account).id
            except LookupError as exc:
                raise DataError(str(exc)) from None
        if args.format == "json":
            texts = {"json": dump_json(store, account_id)}
        else:
            plans = load_plans(portfolio, today, account_id, with_health=args.format != "ics")
            if args.format == "md":
                texts = {"md": render_markdown(plans, today, thresholds=load_thresholds())}
            elif args.format == "ics":
                texts = {"ics": render_ics(plans, today)}
            else:
                tables = render_csv(plans, today)
                texts = {args.table: tables[args.table]} if args.table else tables
    except (ValidationError, TypeError) as exc:
        raise DataError(f"cannot export {path}: {exc} (run `kamtui check`)") from None
    finally:
        store.close(compact=False)
    if args.output is None:
        sys.stdout.write(texts.get("accounts", next(iter(texts.values()))))
        return EXIT_OK
    out = args.output.expanduser()
    files = csv_paths(out) if len(texts) > 1 else {next(iter(texts)): out}
    try:
        write_new_files({files[k]: texts[k] for k in texts}, force=args.force)
    except (FileExistsError, IsADirectoryError) as exc:
        raise UsageError(_os_message(exc)) from None
    except OSError as exc:  # names the file asked for, never the temp file beside it
        raise DataError(f"cannot write {_os_message(exc)}; nothing was written") from None
    print(clean("wrote " + ", ".join(str(files[k]) for k in texts)))
    return EXIT_OK


def cmd_import_json(args: argparse.Namespace) -> int:
    """`kamtui import-json FILE`: bring an export back, in one transaction; importing twice changes nothing."""
    from kamtui.domain.text import clean
    from kamtui.store.exchange import import_data, plan_json_import, read_export

    data = read_export(args.file.expanduser())
    path = _resolve_db(args)
    if args.dry_run and not (path.exists() or path.is_symlink()):
        _open_existing(path)  # raises the "no database" error: a dry run creates nothing
    store = _open_writer(path, dry_run=args.dry_run)
    try:
        if args.dry_run:
            result = plan_json_import(store, data)[1]
        else:
            with _writing(path, "nothing was imported"):
                result = import_data(store, data)
    finally:
        store.close(compact=not args.dry_run)
    print(clean(f"{'would import' if args.dry_run else 'imported'} {args.file}: {result.summary()}"))
    return EXIT_OK


def _check_config() -> None:
    """Raise DataError (one line naming the file) if the config file is bad or, when
    ``KAMTUI_CONFIG`` names it, missing."""
    from kamtui.store import StoreError
    from kamtui.store.config import load_thresholds

    try:
        load_thresholds()
    except StoreError as exc:
        raise DataError(str(exc)) from None


def _resolve_db(args: argparse.Namespace) -> Path:
    path: Path = args.db if getattr(args, "db", None) else default_db_path()
    return path.expanduser()


def cmd_tui(args: argparse.Namespace) -> int:
    today = _today(args.today) if args.today else None
    _check_config()  # a config with a typo refuses to start, as for the CLI: nothing opened or created
    if args.demo:
        if args.db:
            raise UsageError("--demo opens a copy of the sample portfolio; it cannot be combined with --db")
        import tempfile

        from kamtui.sample.demo import materialize_demo

        folder = Path(tempfile.mkdtemp(prefix="kamtui-demo-"))
        path = materialize_demo(folder / "demo.json", today or dt.date.today())
    else:
        path = _resolve_db(args)
    from kamtui.store import Store, StoreError

    store: Store | None = None
    try:
        big = path.stat().st_size > EAGER_BYTES
    except OSError:
        big = False  # missing (created empty) or unreadable: Store says which, below
    preview = None
    if big:
        # Today's queue is computed on another core while Textual starts and this process reads
        # the whole file (see kamtui.report.preview); without it Today waits for the full read.
        from kamtui.report.preview import PreviewProcess

        try:
            preview = PreviewProcess(path, today or dt.date.today())
        except OSError:
            preview = None
    else:
        try:
            store = Store(path)
        except StoreError as exc:
            raise DataError(str(exc)) from None
    from kamtui.ui.app import Loader, run_app

    loader = None if store is not None else Loader(path, lambda: Store(path), preview)
    app = None
    try:
        app = run_app(store, loader=loader, today=today, demo=args.demo)
    finally:
        if preview is not None:
            preview.stop()
        opened = store if store is not None else app.store if app is not None and app.loaded else None
        if opened is not None:
            opened.close(compact=not args.demo)
        if args.demo:
            shutil.rmtree(path.parent, ignore_errors=True)  # the demo copy lives only as long as the app
    if app.load_error:
        raise DataError(app.load_error)
    for text in app.unsaved:  # saves given up because the user quit while they waited for the lock
        _err(text)
    crashed: int | None = getattr(app, "return_code", None)
    if crashed:  # an unhandled exception stopped the app; Textual printed its traceback above
        from kamtui.domain.text import clean

        error = getattr(app, "_exception", None)
        what = f"{type(error).__name__}: {error}" if error is not None else f"exit code {crashed}"
        _err(f"the TUI stopped on an unexpected error: {clean(what)}")
        return crashed
    return EXIT_DATA if app.unsaved else EXIT_OK
