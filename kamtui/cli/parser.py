"""The command line's arguments: the TUI's options and the subcommands.

Every word of ``--help`` and of a usage error is in the user's language (kamtui.i18n):
kamtui's own help texts through ``_``, and argparse's words ("usage:", "options", "invalid
choice: ...") through :func:`argparse_speaks`, which lends argparse kamtui's catalog while
it builds the parser and reads the command line (Python ships no Spanish catalog for it).
"""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

from kamtui import __version__
from kamtui.cli.common import MAX_DAYS, UsageError
from kamtui.i18n import N_, _, ngettext

# argparse's own words that kamtui's command line can show, marked for the catalog: argparse
# looks each up (through the ``_`` and ``ngettext`` of its module) when it says it, and
# argparse_speaks makes those kamtui's. The %-placeholders are argparse's and stay as they are.
ARGPARSE_WORDS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_("%(prog)s: error: %(message)s\n"),
)


def _argparse_gettext(message: str | None) -> str | None:
    return message if message is None else _(message)


@contextlib.contextmanager
def argparse_speaks() -> Iterator[None]:
    """Inside, argparse says its words in kamtui's language (its module's ``_`` and ``ngettext``
    are kamtui's), restored after: a parser built and a command line read inside speak it."""
    saved = vars(argparse)["_"], vars(argparse)["ngettext"]
    setattr(argparse, "_", _argparse_gettext)  # noqa: B010 - argparse's module global, not an attribute of ours
    setattr(argparse, "ngettext", ngettext)  # noqa: B010
    try:
        yield
    finally:
        setattr(argparse, "_", saved[0])  # noqa: B010
        setattr(argparse, "ngettext", saved[1])  # noqa: B010


def _whole_number(value: str) -> int:
    """``--days``: a whole number, refused in the user's language (argparse would say "invalid
    int value")."""
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(_("{value} is not a whole number").format(value=repr(value))) from None


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: object, **kwargs: object) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.add_argument("-h", "--help", action="help", help=_("show this help message and exit"))

    def error(self, message: str) -> NoReturn:
        raise UsageError(_("{message} (see kamtui --help)").format(message=message))


def build_parser() -> argparse.ArgumentParser:
    """The parser, its help in the language in force (build it inside :func:`argparse_speaks`
    for argparse's own words)."""
    p = _Parser(
        prog="kamtui",
        description=_("Keyboard-driven key account management: today's queue, stakeholder maps, account plans."),
    )
    p.add_argument(
        "--version", action="version", version=f"kamtui {__version__}", help=_("show program's version number and exit")
    )
    p.add_argument(
        "--db", type=Path, metavar=_("DB"), help=_("database file (default: $KAMTUI_DB or the user data dir)")
    )
    p.add_argument(
        "--demo", action="store_true", help=_("open a fresh copy of the demo portfolio (your data untouched)")
    )
    p.add_argument("--today", help=argparse.SUPPRESS)  # frozen clock for tests and demos
    p.add_argument(
        "--lang",
        metavar="LANG",
        help=_("language: en or es (default: the config file, then LC_ALL, LC_MESSAGES, LANG)"),
    )
    sub = p.add_subparsers(dest="command", metavar=_("COMMAND"), parser_class=_Parser)
    db_help = _("database file")

    due = sub.add_parser("due", help=_("print today's queue (reviews, actions, contacts) without starting the TUI"))
    due.add_argument("--db", type=Path, metavar=_("DB"), default=argparse.SUPPRESS, help=db_help)
    due.add_argument(
        "--days",
        type=_whole_number,
        default=0,
        metavar=_("DAYS"),
        help=_("also list what falls due in the next DAYS days (0 to {max}: ten years)").format(max=MAX_DAYS),
    )
    due.add_argument(
        "--owner",
        metavar=_("OWNER"),
        help=_("only accounts owned by OWNER (any case); an OWNER with none is an error"),
    )
    due.add_argument(
        "--format", choices=("table", "plain", "json"), default="table", help=_("how to print it (default: table)")
    )
    due.add_argument(
        "--sort",
        choices=("stakes", "late", "name"),
        default="stakes",
        help=_(
            "order within each group: what is at stake (urgency x account value, Today's order; default), "
            "most late first, or by account name"
        ),
    )
    due.add_argument(
        "--changes",
        action="store_true",
        help=_("also say what changed on each account due for review since its last review"),
    )
    due.add_argument("--today", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    check = sub.add_parser("check", help=_("validate a database file and list what is wrong"))
    check.add_argument("--db", type=Path, metavar=_("DB"), default=argparse.SUPPRESS, help=db_help)
    check.add_argument("--today", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    imp = sub.add_parser("import", help=_("import accounts, contacts or deals from a CSV export (HubSpot, Salesforce)"))
    imp.add_argument("file", type=Path, metavar=_("FILE.csv"), help=_("the CSV file"))
    imp.add_argument("--db", type=Path, metavar=_("DB"), default=argparse.SUPPRESS, help=db_help)
    imp.add_argument(
        "--kind",
        choices=("accounts", "contacts", "deals"),
        help=_("what the file holds: deals are HubSpot deals or Salesforce opportunities (default: from its columns)"),
    )
    imp.add_argument(
        "--map",
        action="append",
        default=[],
        metavar=_("COLUMN=FIELD"),
        help=_("read COLUMN into FIELD (repeatable); COLUMN= ignores the column"),
    )
    imp.add_argument("--dry-run", action="store_true", help=_("show what would be created, updated and refused"))
    imp.add_argument("--skip-bad", action="store_true", help=_("import the good rows even if some are refused"))
    imp.add_argument(
        "--dates",
        choices=("auto", "dmy", "mdy"),
        default="auto",
        help=_("order of dates like 03/04/2026 (default: proved by the file's other dates, else day-first)"),
    )

    export = sub.add_parser(
        "export",
        help=_("export the account plans as JSON, CSV, Markdown, an iCalendar feed, or one account's meeting brief"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=_(
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
    export.add_argument("--db", type=Path, metavar=_("DB"), default=argparse.SUPPRESS, help=db_help)
    export.add_argument(
        "--format", required=True, choices=("json", "csv", "md", "ics", "brief"), help=_("what to write")
    )
    export.add_argument(
        "--account", metavar=_("NAME"), help=_("only this account (exact name or unique prefix, any case)")
    )
    export.add_argument(
        "-o", "--output", type=Path, metavar=_("FILE"), help=_("write to FILE instead of standard output")
    )
    export.add_argument("--force", action="store_true", help=_("replace FILE (and its CSV siblings) if it exists"))
    export.add_argument(
        "--table",
        choices=("accounts", "stakeholders", "actions", "opportunities", "kpis"),
        help=_("csv: write only this table"),
    )
    export.add_argument("--today", default=argparse.SUPPRESS, help=argparse.SUPPRESS)

    import_json = sub.add_parser(
        "import-json",
        help=_("import a `kamtui export --format json` file: adds and updates records by id, never deletes"),
    )
    import_json.add_argument("file", type=Path, metavar=_("FILE.json"), help=_("the export file"))
    import_json.add_argument(
        "--db", type=Path, metavar=_("DB"), default=argparse.SUPPRESS, help=_("database file (created if missing)")
    )
    import_json.add_argument("--dry-run", action="store_true", help=_("say what would change and write nothing"))
    for command in sub.choices.values():  # read before parsing (kamtui.cli._speak); accepted anywhere
        command.add_argument("--lang", metavar="LANG", default=argparse.SUPPRESS, help=_("language: en or es"))
    return p
