"""The reports: ``kamtui due``, ``kamtui check`` and ``kamtui export``. Never import Textual."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kamtui.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    MAX_DAYS,
    DataError,
    UsageError,
    open_existing,
    os_message,
    resolve_db,
    to_stdout,
    today_from,
)
from kamtui.i18n import _, ngettext

if TYPE_CHECKING:
    from kamtui.domain.queue import QueueItem
    from kamtui.report.changes import AccountChanges
    from kamtui.store import Store


def cmd_due(args: argparse.Namespace) -> int:
    import gc

    # A short-lived process over up to millions of documents and entities, none of them in a
    # reference cycle: the cyclic collector would only rescan them (a third of the run time),
    # and before them the modules imported here. Not turned back on: at the end of the
    # process its first collection would scan everything made since (~3 ms at 25 accounts,
    # ~10 ms at 10,000); main() turns it back on for a caller that goes on.
    gc.disable()
    if not 0 <= args.days <= MAX_DAYS:  # past it a date overflows (int too large, year past 9999)
        raise UsageError(
            _("--days must be from 0 to {max} (ten years), not {days}").format(max=MAX_DAYS, days=args.days)
        )
    today = today_from(args)
    if dt.date.max.toordinal() - today.toordinal() < args.days:  # a frozen --today near the end of time
        raise UsageError(
            _("--days {days} from {today} goes past the last date there is ({last})").format(
                days=args.days, today=today, last=dt.date.max
            )
        )
    path = resolve_db(args)
    if not path.exists() and not path.is_symlink():
        open_existing(path)  # raises the "no database" error
    items = _queue(path, today, args)
    from kamtui.report.due import render_json, render_plain, render_table, use_colour
    from kamtui.report.terminal import unicode_ok

    # --changes reads what the quick view leaves out (interactions, deals, KPIs): the whole file.
    blocks = _changes(path, items, today) if args.changes else None
    ascii = not unicode_ok(sys.stdout)  # e.g. LC_ALL=C: the stream writes marks as ASCII, see fit_stream
    if args.format == "json":
        extra = None
        if blocks is not None:
            from kamtui.report.changes import changes_json

            extra = {"changes": changes_json(blocks)}
        texts = [render_json(items, today, ascii=ascii, extra=extra)]
    elif args.format == "plain":
        texts = [render_plain(items, today)]
    else:
        # A terminal's width (or COLUMNS); to a file or a pipe, none: what each row says is whole
        # (`kamtui due > today.txt` cut each row at 100 columns, a number in the middle).
        tty = sys.stdout.isatty()
        width = shutil.get_terminal_size((100, 24)).columns if tty or os.environ.get("COLUMNS") else None
        colour = use_colour(tty)
        texts = [render_table(items, today, colour=colour, width=width, ascii=ascii)]
    if blocks is not None and args.format != "json":
        from kamtui.report.changes import render_changes_text

        texts.append(render_changes_text(blocks))
    with to_stdout(_("the queue")):
        for text in texts:
            sys.stdout.write(text)
    return EXIT_OK


def _queue(path: Path, today: dt.date, args: argparse.Namespace) -> list[QueueItem]:
    """Today's queue as asked: from the queue a session kept beside the database for this day
    (kamtui.store.queue_cache) when there is one, brought up to date with the edits since (the
    accounts they concern computed again); else computed whole."""
    from kamtui.domain.owners import owner_key
    from kamtui.domain.stakes import in_rank_order
    from kamtui.store import queue_cache
    from kamtui.store.config import load_thresholds
    from kamtui.store.files import Prefetch
    from kamtui.store.today import queue_order, thresholds_id

    thresholds = load_thresholds()
    kept = None
    prefetch = None
    if args.days == 0 and _big(path, queue_cache.CACHE_ABOVE):
        tid = thresholds_id(thresholds)
        found = queue_cache.find(path, today, tid)
        if found is None or queue_cache.holding(path, today, tid, found) is None:  # the file is to be
            prefetch = Prefetch(path)  # read: from now on, while the kept queue is decoded (~0.1 s)
        kept = None if found is None else queue_cache.load(path, today, tid, found)
    want = None if args.owner is None else owner_key(args.owner)
    if kept is not None and kept.now == kept.state:  # the file as the queue was computed: nothing to read
        pairs = kept.keyed(want) if args.sort == "stakes" else None
        if pairs is not None:  # ranked as Today ranks it: in its order already, and why
            items = in_rank_order(pairs)
        else:
            items = queue_order(
                kept.items if want is None else kept.owned(want), kept.stakes, today, thresholds, args.sort
            )
        if items or want is None:
            return items
    if prefetch is None:  # read while the modules below are imported (~13 ms at 10,000 accounts)
        prefetch = Prefetch(path)
    from kamtui.store import StoreError
    from kamtui.store.portfolio import Portfolio
    from kamtui.store.today import kept_queue, today_queue
    from kamtui.store.views import due_view

    try:
        # The seven tables due reads; accounts stay JSON text until read: only those with a
        # cadence, or named by a due action or contact, are ever parsed.
        store = due_view(path, prefetched=prefetch, touched_after=None if kept is None else kept.state[3])
    except StoreError as exc:
        raise DataError(str(exc)) from None
    try:
        portfolio = Portfolio(store, lambda: today)
        updated = None if kept is None else kept_queue(portfolio, kept, today, thresholds)
        if updated is not None:
            pairs = updated.keyed(want) if args.sort == "stakes" else None
            if pairs is not None:  # ranked as Today ranks it (the kept items' keys hold)
                items = in_rank_order(pairs)
            else:
                items = queue_order(
                    updated.items if want is None else updated.owned(want), updated.stakes, today, thresholds, args.sort
                )
        else:
            items = today_queue(
                portfolio, today, days=args.days, owner=args.owner, thresholds=thresholds, sort=args.sort
            )
        if args.owner is not None and not items:  # an item is of an account of theirs: found
            _check_owner(store, args.owner)
    finally:
        store.close(compact=False)
    return items


def _big(path: Path, least: int) -> bool:
    try:
        return os.stat(path).st_size >= least
    except OSError:
        return False


def _check_owner(store: Store, asked: str) -> None:
    """Raise DataError naming the owners there are if no account is ``asked``'s (compared as the
    queue's filter compares): "Nothing due" would read as an all-clear for a typo. Only for an
    empty queue, and the accounts without a cadence (never parsed by the quick view) are read
    only when none of those with one is theirs."""
    from kamtui.domain.owners import owner_key, owners, unknown_owner_message

    def stored(doc: Mapping[str, Any]) -> str:
        name = doc.get("owner")
        return "" if name is None else str(name)

    want = owner_key(asked)
    if any(owner_key(stored(doc)) == want for _id, doc in store.all_set("accounts", "cadence")):
        return
    names = [stored(doc) for _id, doc in store.all("accounts")]
    if not any(owner_key(name) == want for name in names):
        raise DataError(unknown_owner_message(asked, owners(names)))


def _changes(path: Path, items: list[QueueItem], today: dt.date) -> list[AccountChanges]:
    """What changed since the last review on each account of ``items`` due for review, in order."""
    from kamtui.report.changes import AccountChanges
    from kamtui.store.agenda import account_changes
    from kamtui.store.config import load_thresholds
    from kamtui.store.portfolio import Portfolio

    store = open_existing(path)
    try:
        portfolio, thresholds = Portfolio(store, lambda: today), load_thresholds()
        blocks = []
        for it in items:
            if it.kind == "review":
                since, moved = account_changes(portfolio, it.account_id, today, thresholds)
                blocks.append(AccountChanges(it.account_id, it.account, since, tuple(moved)))
        return blocks
    finally:
        store.close(compact=False)


def cmd_check(args: argparse.Namespace) -> int:
    from kamtui.domain.labels import records
    from kamtui.domain.text import clean
    from kamtui.store.check import check_store

    today = today_from(args)
    path = resolve_db(args)
    store = open_existing(path)
    try:
        problems, totals = check_store(store, today)
    finally:
        store.close(compact=False)
    summary = ", ".join(records(t, n) for t, n in totals.items())
    note = _changed_outside(path)
    with to_stdout(_("the check's report")):
        if not problems:
            print(clean(_("{path}: OK ({summary})").format(path=path, summary=summary)))
            if note:
                print(clean(note))
            return EXIT_OK
        if note:
            print(clean(note))
        for problem in problems:
            print(clean(problem))
    n = len(problems)
    told = ngettext("{path}: {n} problem(s) in {summary}", "{path}: {n} problem(s) in {summary}", n)
    print(clean(told.format(path=path, n=n, summary=summary)), file=sys.stderr)
    return EXIT_DATA


def _changed_outside(path: Path) -> str | None:
    """A note when the file was changed since kamtui wrote it (its CRC no longer holds): it reads
    the same, but whole, as slowly as a file no session has opened, until kamtui next rewrites
    it (a compaction: kamtui.store.compaction)."""
    from kamtui.store.codec import crc_holds
    from kamtui.store.errors import StoreError
    from kamtui.store.files import read_whole

    try:
        _st, raw = read_whole(path)
    except (OSError, StoreError):
        return None  # the check itself read it: a file gone since is the next command's to tell
    if crc_holds(raw) is not False:
        return None
    return _(
        "note: {path} was changed since kamtui last wrote it (its checksum no longer matches): "
        "it reads correctly, but whole and more slowly, until kamtui next rewrites it"
    ).format(path=path)


def cmd_export(args: argparse.Namespace) -> int:
    """`kamtui export --format json|csv|md|ics|brief`: to standard output, or -o FILE (never replaced
    without --force). The brief is one account's (--account) and, on a terminal, follows its locale."""
    from kamtui.domain.brief import build_brief, render_brief
    from kamtui.domain.errors import ValidationError
    from kamtui.domain.text import clean
    from kamtui.report.csv_tables import csv_paths, render_csv
    from kamtui.report.ical import render_ics
    from kamtui.report.markdown import render_markdown
    from kamtui.report.output import write_new_files
    from kamtui.report.plans import load_plans, select_account
    from kamtui.report.terminal import unicode_ok
    from kamtui.store.config import load_thresholds
    from kamtui.store.exchange import dump_json
    from kamtui.store.portfolio import Portfolio

    if args.table and args.format != "csv":
        raise UsageError(_("--table goes with --format csv"))
    if args.format == "brief" and args.account is None:
        raise UsageError(_("--format brief needs --account NAME (one account's meeting brief)"))
    today = today_from(args)
    path = resolve_db(args)
    store = open_existing(path)
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
            brief = args.format == "brief"
            plans = load_plans(portfolio, today, account_id, with_health=args.format != "ics", with_interactions=brief)
            if brief:
                # On a terminal, text as the terminal can lay it out; to a file or a pipe, as stored.
                terminal = args.output is None and sys.stdout.isatty()
                texts = {"brief": "".join(render_brief(build_brief(p, today, terminal=terminal)) for p in plans)}
            elif args.format == "md":
                texts = {"md": render_markdown(plans, today, thresholds=load_thresholds())}
            elif args.format == "ics":
                texts = {"ics": render_ics(plans, today)}
            else:
                tables = render_csv(plans, today)
                texts = {args.table: tables[args.table]} if args.table else tables
    except (ValidationError, TypeError) as exc:
        raise DataError(
            _("cannot export {path}: {reason} (run `kamtui check`)").format(path=path, reason=exc)
        ) from None
    finally:
        store.close(compact=False)
    if args.output is None:
        text = texts.get("accounts", next(iter(texts.values())))
        with to_stdout(_("the export")):
            if unicode_ok(sys.stdout) or args.format == "brief":  # the brief is read there: the locale's marks
                sys.stdout.write(text)
            else:  # an export is UTF-8 (as with -o FILE), whatever the terminal's locale
                sys.stdout.flush()
                sys.stdout.buffer.write(text.encode("utf-8"))
        return EXIT_OK
    out = args.output.expanduser()
    files = csv_paths(out) if len(texts) > 1 else {next(iter(texts)): out}
    try:
        write_new_files({files[k]: texts[k] for k in texts}, force=args.force)
    except (FileExistsError, IsADirectoryError) as exc:
        raise UsageError(os_message(exc)) from None
    except OSError as exc:  # names the file asked for, never the temp file beside it
        raise DataError(_("cannot write {reason}; nothing was written").format(reason=os_message(exc))) from None
    with to_stdout(_("the names of the files written")):
        print(clean(_("wrote {files}").format(files=", ".join(str(files[k]) for k in texts))))
    return EXIT_OK
