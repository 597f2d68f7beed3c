"""Command line: ``kamtui`` opens the TUI; ``due``, ``check`` and ``export`` are plain reports;
``import`` and ``import-json`` write.

Exit codes: 0 fine, 1 usage, 2 data problem. Every error is one line on stderr. Textual is
imported only when the TUI opens. :mod:`.parser` holds the arguments, :mod:`.common` what the
commands share, :mod:`.reports`, :mod:`.imports` and :mod:`.tui` the commands.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Sequence

from kamtui.cli.common import (
    EXIT_DATA,
    EXIT_OK,
    EXIT_USAGE,
    DataError,
    Stopped,
    UsageError,
    drop_stdout,
    err,
    os_message,
)

__all__ = ["EXIT_DATA", "EXIT_OK", "EXIT_USAGE", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line ``argv`` (None: the process's own) and return its exit code.

    As the process's own entry (the ``kamtui`` script and ``python -m kamtui`` call ``main()``
    from their ``__main__``), ``kamtui due`` ends the process itself once its output is
    flushed: tearing down the interpreter (every module, the queue, the documents read) is
    ~8 ms at 25 accounts and ~15 ms at 10,000 of a report whose process is over anyway.
    Called with arguments, or from anywhere else (tests), it always returns, the cyclic
    collector as it found it.
    """
    collecting = gc.isenabled()
    code, finished = _main(argv)
    if finished and argv is None and getattr(sys.modules.get("__main__"), "main", None) is main:
        os._exit(code)
    if collecting:
        gc.enable()  # a command may have paused the cyclic collector for its own run
    return code


def _speak(argv: Sequence[str]) -> None:
    """Choose the language before anything is said (kamtui.i18n): ``--lang``, the config file's
    ``language``, the environment. A config file that cannot be read is not an error here: the
    command that reads it says so, in the language chosen without it."""
    from kamtui import i18n

    cli: str | None = None
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            cli = argv[i + 1]
        elif arg.startswith("--lang="):
            cli = arg.partition("=")[2]
    configured: str | None = None
    if cli is None:
        from kamtui.store.config import load_language
        from kamtui.store.errors import StoreError

        with contextlib.suppress(StoreError):
            configured = load_language()
    i18n.use(cli, configured)


def _main(argv: Sequence[str] | None) -> tuple[int, bool]:
    """The exit code, and whether the process has nothing left to do but exit (its output
    written and flushed, every file closed)."""
    _speak(sys.argv[1:] if argv is None else argv)
    from kamtui.cli.parser import argparse_speaks, build_parser
    from kamtui.report.terminal import fit_stream

    fit_stream(sys.stderr)  # every error line, even under LC_ALL=C (see kamtui.report.terminal)
    try:
        with argparse_speaks():  # argparse's own words ("usage:", "invalid choice") in the user's language
            args = build_parser().parse_args(argv)
        if args.command is not None:
            fit_stream(sys.stdout)  # the reports; the TUI draws through Textual, not this stream
        if args.command in ("due", "check", "export"):
            from kamtui.cli import reports

            code = {"due": reports.cmd_due, "check": reports.cmd_check, "export": reports.cmd_export}[args.command](
                args
            )
            if args.command != "due":
                return code, False
            # Here, not at exit: a reader gone before a short output was flushed (`| head -0`)
            # is the BrokenPipeError below, as for a long one, not a warning and exit code 120.
            for stream in (sys.stdout, sys.stderr):
                if stream is not None:
                    stream.flush()
            return code, True
        if args.command in ("import", "import-json"):
            from kamtui.cli import imports

            return (imports.cmd_import(args) if args.command == "import" else imports.cmd_import_json(args)), False
        from kamtui.cli.tui import cmd_tui

        return cmd_tui(args), False
    except UsageError as exc:
        err(str(exc))
        return EXIT_USAGE, False
    except DataError as exc:
        err(str(exc))
        return EXIT_DATA, False
    except KeyboardInterrupt:
        return 130, False
    except Stopped as exc:  # a hang-up or SIGTERM, after the TUI cleaned up
        return 128 + exc.signum, False
    except BrokenPipeError:
        # `kamtui due | head`: the reader went away; not an error worth a traceback.
        drop_stdout()
        return EXIT_OK, False
    except Exception as exc:  # noqa: BLE001 - the CLI promises one line, never a traceback
        from kamtui.store import StoreError

        if isinstance(exc, StoreError | OSError):
            err(os_message(exc) if isinstance(exc, OSError) else str(exc))
            return EXIT_DATA, False
        from kamtui.i18n import _

        err(_("unexpected error: {error}").format(error=f"{type(exc).__name__}: {exc}"))
        return EXIT_DATA, False
