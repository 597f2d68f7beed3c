"""`?`: every binding of the focused pane and of the app, generated from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

_GROUP_NAMES = {
    "AccountList": "Account list",
    "StakeholderPane": "Stakeholders",
    "StakeholderTable": "Stakeholders",
    "PlanPane": "Plan",
    "PlanList": "Plan",
    "ReviewPane": "Reviews",
    "KamApp": "Everywhere",
}


def _key_label(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "plus": "+", "minus": "-", "equals_sign": "=", "space": "space"}
    return names.get(key, key)


def help_text(bindings: dict[str, ActiveBinding]) -> Text:
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[str, str]] = set()
    for key, active in bindings.items():
        b = active.binding
        if not b.description or b.system:
            continue
        group = _GROUP_NAMES.get(type(active.node).__name__, type(active.node).__name__)
        desc = b.tooltip or b.description
        if (group, b.action) in seen:
            # Same action under another key (j and down): show the keys together.
            for i, (k, d) in enumerate(groups[group]):
                if d == desc:
                    groups[group][i] = (f"{k}, {_key_label(key)}", d)
            continue
        seen.add((group, b.action))
        groups.setdefault(group, []).append((_key_label(key), desc))
    out = Text()
    order = [g for g in groups if g != "Everywhere"] + (["Everywhere"] if "Everywhere" in groups else [])
    for gi, group in enumerate(order):
        if gi:
            out.append("\n")
        out.append(f"{group}\n", style="bold underline")
        for key, desc in groups[group]:
            out.append(f"  {key:<14}", style="bold cyan")
            out.append(f"{desc}\n")
    out.append("\n  ctrl+p        ", style="bold cyan")
    out.append("command palette: every action, go to account by name\n")
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "dismiss", "Close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help { width: 80; max-width: 100%; height: auto; max-height: 90%; border: thick $accent;
        background: $surface; padding: 0 1; }
    HelpScreen #help-title { text-style: bold; color: $accent; }
    """

    def __init__(self, bindings: dict[str, ActiveBinding], pane: str | None) -> None:
        super().__init__()
        self.bindings_snapshot = bindings
        self.pane = pane

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(f"Keys ({self.pane or 'app'}) · esc closes", id="help-title", markup=False)
            with VerticalScroll():
                yield Static(help_text(self.bindings_snapshot), markup=False)
