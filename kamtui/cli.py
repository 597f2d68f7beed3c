"""Command line: ``kamtui`` opens the TUI; ``kamtui due`` and ``kamtui check`` are plain reports.

Exit codes: 0 fine, 1 usage, 2 data problem. Every error is one line on stderr.
Textual is imported only when the TUI opens.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from kamtui import __version__

EXIT_OK, EXIT_USAGE, EXIT_DATA = 0, 1, 2


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
    return p


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "due":
            return cmd_due(args)
        if args.command == "check":
            return cmd_check(args)
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
            _err(str(exc))
            return EXIT_DATA
        _err(f"unexpected error: {type(exc).__name__}: {exc}")
        return EXIT_DATA


def _err(message: str) -> None:
    line = " ".join(message.split())
    print(f"kamtui: {line}", file=sys.stderr)


def _open_existing(path: Path) -> object:
    from kamtui.store import Store, StoreError

    if not path.exists() and not path.is_symlink():
        raise DataError(f"no database at {path}; start `kamtui` once to create it, or pass --db")
    try:
        return Store(path, create=False)
    except StoreError as exc:
        raise DataError(str(exc)) from None


def cmd_due(args: argparse.Namespace) -> int:
    from kamtui.report.due import render_json, render_plain, render_table, use_colour
    from kamtui.store import Store
    from kamtui.store.config import load_thresholds
    from kamtui.store.portfolio import Portfolio, today_queue

    if args.days < 0:
        raise UsageError("--days must be 0 or more")
    today = _today(getattr(args, "today", None))
    path = _resolve_db(args)
    store = _open_existing(path)
    assert isinstance(store, Store)
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
        print(f"{path}: OK ({summary})")
        return EXIT_OK
    for problem in problems:
        print(clean(problem))
    print(f"{path}: {len(problems)} problem(s) in {summary}", file=sys.stderr)
    return EXIT_DATA


def _resolve_db(args: argparse.Namespace) -> Path:
    path: Path = args.db if getattr(args, "db", None) else default_db_path()
    return path.expanduser()


def cmd_tui(args: argparse.Namespace) -> int:
    today = _today(args.today) if args.today else None
    if args.demo:
        if args.db:
            raise UsageError("--demo opens a copy of the sample portfolio; it cannot be combined with --db")
        import tempfile

        from kamtui.sample import materialize_demo

        folder = Path(tempfile.mkdtemp(prefix="kamtui-demo-"))
        path = materialize_demo(folder / "demo.json", today or dt.date.today())
    else:
        path = _resolve_db(args)
    from kamtui.store import Store, StoreError

    try:
        store = Store(path)
    except StoreError as exc:
        raise DataError(str(exc)) from None
    from kamtui.ui.app import run_app

    try:
        run_app(store, today=today, demo=args.demo)
    finally:
        store.close(compact=not args.demo)
        if args.demo:
            shutil.rmtree(path.parent, ignore_errors=True)  # the demo copy lives only as long as the app
    return EXIT_OK
