"""Command line: ``kamtui`` opens the TUI; ``due``, ``check`` and ``export`` are plain reports;
``import`` and ``import-json`` write.

Exit codes: 0 fine, 1 usage, 2 data problem. Every error is one line on stderr. Textual is
imported only when the TUI opens. :mod:`.parser` holds the arguments, :mod:`.common` what the
commands share, :mod:`.reports`, :mod:`.imports` and :mod:`.tui` the commands.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from kamtui.cli.common import EXIT_DATA, EXIT_OK, EXIT_USAGE, DataError, Stopped, UsageError, err, os_message

__all__ = ["EXIT_DATA", "EXIT_OK", "EXIT_USAGE", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    from kamtui.cli.parser import build_parser
    from kamtui.report.terminal import fit_stream

    fit_stream(sys.stderr)  # every error line, even under LANG=C (see kamtui.report.terminal)
    try:
        args = build_parser().parse_args(argv)
        if args.command is not None:
            fit_stream(sys.stdout)  # the reports; the TUI draws through Textual, not this stream
        if args.command in ("due", "check", "export"):
            from kamtui.cli import reports

            return {"due": reports.cmd_due, "check": reports.cmd_check, "export": reports.cmd_export}[args.command](
                args
            )
        if args.command in ("import", "import-json"):
            from kamtui.cli import imports

            return imports.cmd_import(args) if args.command == "import" else imports.cmd_import_json(args)
        from kamtui.cli.tui import cmd_tui

        return cmd_tui(args)
    except UsageError as exc:
        err(str(exc))
        return EXIT_USAGE
    except DataError as exc:
        err(str(exc))
        return EXIT_DATA
    except KeyboardInterrupt:
        return 130
    except Stopped as exc:  # a hang-up or SIGTERM, after the TUI cleaned up
        return 128 + exc.signum
    except BrokenPipeError:
        # `kamtui due | head`: the reader went away; not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the CLI promises one line, never a traceback
        from kamtui.store import StoreError

        if isinstance(exc, StoreError | OSError):
            err(os_message(exc) if isinstance(exc, OSError) else str(exc))
            return EXIT_DATA
        err(f"unexpected error: {type(exc).__name__}: {exc}")
        return EXIT_DATA
