"""The command line's arguments: the TUI's options and the subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from kamtui import __version__
from kamtui.cli.common import MAX_DAYS, UsageError
from kamtui.i18n import _


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see kamtui --help)")


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(
        prog="kamtui",
        description="Keyboard-driven key account management: today's queue, stakeholder maps, account plans.",
    )
    p.add_argument("--version", action="version", version=f"kamtui {__version__}")
    p.add_argument("--db", type=Path, help="database file (default: $KAMTUI_DB or the user data dir)")
    p.add_argument("--demo", action="store_true", help="open a fresh copy of the demo portfolio (your data untouched)")
    p.add_argument("--today", help=argparse.SUPPRESS)  # frozen clock for tests and demos
    p.add_argument(
        "--lang",
        metavar="LANG",
        help=_("language: en or es (default: the config file, then LC_ALL, LC_MESSAGES, LANG)"),
    )
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    due = sub.add_parser("due", help="print today's queue (reviews, actions, contacts) without starting the TUI")
    due.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    due.add_argument(
        "--days", type=int, default=0, help=f"also list what falls due in the next N days (0 to {MAX_DAYS}: ten years)"
    )
    due.add_argument("--owner", help="only accounts owned by NAME (any case); a NAME owning none is an error")
    due.add_argument("--format", choices=("table", "plain", "json"), default="table")
    due.add_argument(
        "--sort",
        choices=("stakes", "late", "name"),
        default="stakes",
        help="order within each group: what is at stake (urgency x account value, Today's order; default), "
        "most late first, or by account name",
    )
    due.add_argument(
        "--changes",
        action="store_true",
        help="also say what changed on each account due for review since its last review",
    )
    due.add_argument("--today", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    check = sub.add_parser("check", help="validate a database file and list what is wrong")
    check.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    check.add_argument("--today", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    imp = sub.add_parser("import", help="import accounts, contacts or deals from a CSV export (HubSpot, Salesforce)")
    imp.add_argument("file", type=Path, metavar="FILE.csv", help="the CSV file")
    imp.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    imp.add_argument(
        "--kind",
        choices=("accounts", "contacts", "deals"),
        help="what the file holds: deals are HubSpot deals or Salesforce opportunities (default: from its columns)",
    )
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
        help="export the account plans as JSON, CSV, Markdown, an iCalendar feed, or one account's meeting brief",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "formats:\n"
            "  json  the whole database (ids and all), re-importable with `kamtui import-json FILE`\n"
            "  csv   five linked tables: accounts, stakeholders, actions, opportunities, kpis (ids link\n"
            "        them). With -o FILE they go to FILE and STEM-stakeholders.csv, STEM-actions.csv,\n"
            "        STEM-opportunities.csv, STEM-kpis.csv beside it (STEM is FILE without .csv); without\n"
            "        -o the accounts table is printed; --table picks one table\n"
            "  md    the account plans in four parts (relationships, the client's business, objectives,\n"
            "        strategy and actions) plus reviews, for readers who never saw kamtui\n"
            "  ics   RFC 5545 calendar: review cadences as recurring all-day events from the next review\n"
            "        due, and open actions on their due dates, each with an alarm the day before\n"
            "  brief one account's meeting brief (needs --account): their goals and financial health,\n"
            "        threats, open opportunities, the people likely there, open and late actions,\n"
            "        off-track KPIs, the last review and the next step\n"
            "Without -o the export goes to standard output. Files are created 0600; an existing\n"
            "file is never replaced without --force."
        ),
    )
    export.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file")
    export.add_argument("--format", required=True, choices=("json", "csv", "md", "ics", "brief"), help="what to write")
    export.add_argument("--account", metavar="NAME", help="only this account (exact name or unique prefix, any case)")
    export.add_argument("-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output")
    export.add_argument("--force", action="store_true", help="replace FILE (and its CSV siblings) if it exists")
    export.add_argument(
        "--table",
        choices=("accounts", "stakeholders", "actions", "opportunities", "kpis"),
        help="csv: write only this table",
    )
    export.add_argument("--today", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    import_json = sub.add_parser(
        "import-json",
        help="import a `kamtui export --format json` file: adds and updates records by id, never deletes",
    )
    import_json.add_argument("file", type=Path, metavar="FILE.json", help="the export file")
    import_json.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file (created if missing)")
    import_json.add_argument("--dry-run", action="store_true", help="say what would change and write nothing")
    for command in sub.choices.values():  # read before parsing (kamtui.cli._speak); accepted anywhere
        command.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=_("language: en or es"))
    return p
