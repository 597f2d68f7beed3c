"""Where the guided review stands (the accounts it walks, reviewed, skipped) and the summary at
its end or when it stops."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from kamtui.i18n import N_, _
from kamtui.ui.everywhere import everywhere_bindings, help_binding
from kamtui.ui.footer import FittingFooter


@dataclass
class GuidedState:
    accounts: list[int]
    position: int = 0
    reviewed: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    alerts: int = 0


class SummaryScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter,escape,q,space", "dismiss", N_("Close"), id="summary-close"),  # enter: as it says
        help_binding(show=True),
        *everywhere_bindings(),
    ]
    DEFAULT_CSS = """
    SummaryScreen { align: center middle; }
    SummaryScreen #summary { width: 60; max-width: 100%; height: auto; border: thick $success;
        background: $surface; padding: 1 2; }
    """

    def __init__(self, state: GuidedState, finished: bool) -> None:
        super().__init__()
        self.state = state
        self.finished = finished

    def compose(self) -> ComposeResult:
        st = self.state
        t = Text()
        t.append((_("Guided review finished") if self.finished else _("Guided review stopped")) + "\n\n", style="bold")
        labels = [_("reviewed"), _("skipped"), _("alerts")]
        width = max(len(w) for w in labels) + 2
        t.append(f"{labels[0]:<{width}}{len(st.reviewed)}\n")
        t.append(f"{labels[1]:<{width}}{len(st.skipped)}\n")
        t.append(f"{labels[2]:<{width}}{st.alerts}", style="bold red" if st.alerts else "")
        t.append(" " + _("(red risks on the reviewed accounts)") + "\n", style="dim")
        left = len(st.accounts) - st.position
        if not self.finished and left:
            t.append("\n" + _("{n} left: R resumes here today.").format(n=left), style="yellow")
        t.append("\n\n" + _("enter closes"), style="dim")
        with Vertical(id="summary"):
            yield Static(t, markup=False)
        yield FittingFooter()  # its own keys, over those of the screen below
