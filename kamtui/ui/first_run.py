"""What a database without accounts shows, on Today and on the account list: which file is
open, and the three ways to begin. Pure: a path in, rich Text out."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text

from kamtui.domain.text import clean
from kamtui.i18n import N_, _


def file_label(path: Path | None, demo: bool = False) -> str:
    """The open file as the TUI names it (a path is data: control characters made visible)."""
    name = clean(str(path)) if path is not None else _("(no file)")
    return _("demo copy {file}").format(file=name) if demo else name


# What a key that leads to a pane says while there is no account (the panes are not shown then).
NO_ACCOUNT_YET = N_("No account yet: a adds one, I imports a CRM export")  # said with _() where shown


def no_accounts_to_rank() -> Text:
    """The portfolio over a file without accounts: nothing to rank, and how to begin from there
    (``a`` is the account list's, one escape away; ``I`` works on the portfolio too)."""
    t = Text()
    t.append(_("No accounts yet: nothing to rank.") + "\n\n", style="bold")
    t.append(_("To begin:") + "\n")
    steps = [
        ("a", _("add an account on the account list (esc leaves the portfolio)")),
        ("I", _("import a CRM export (HubSpot, Salesforce CSV): dry run first")),
    ]
    for n, (key, what) in enumerate(steps):
        t.append(f"  {key}  ", style="bold cyan")
        t.append(what + ("\n" if n < len(steps) - 1 else ""))
    return t


def first_run_text(path: Path | None, *, on_today: bool) -> Text:
    """No accounts yet in ``path``: add one (``a`` on the account list, which ``tab`` leads to
    from Today), import a CRM export (``I``), or look around the demo (``kamtui --demo``)."""
    t = Text()
    t.append(_("No accounts yet in this file:") + "\n", style="bold")
    t.append(f"  {file_label(path)}\n\n")
    t.append(_("To begin:") + "\n")
    steps = [
        (
            _("tab then a") if on_today else "a",
            _("add an account on the account list") if on_today else _("add an account"),
        ),
        ("I", _("import a CRM export (HubSpot, Salesforce CSV): dry run first")),
        ("kamtui --demo", _("look around a sample portfolio (this file is not touched)")),
    ]
    width = max(len(key) for key, _what in steps) + 2  # a key never runs into what it does
    for n, (key, what) in enumerate(steps):
        t.append(f"  {key:<{width}}", style="bold cyan")
        t.append(what + ("\n" if n < len(steps) - 1 else ""))
    return t
