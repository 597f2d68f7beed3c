"""`?`: every binding of the focused pane and of the app, generated from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from kamtui.ui.everywhere import everywhere_bindings

_GROUP_NAMES = {
    "AccountList": "Account list",
    "StakeholderPane": "Stakeholders",
    "StakeholderTable": "Stakeholders",
    "PlanPane": "Plan",
    "PlanList": "Plan",
    "DealsPane": "Opportunities",
    "DealsList": "Opportunities",
    "PipelineScreen": "Pipeline",
    "PipelineList": "Pipeline",
    "ReviewPane": "Reviews",
    "TodayList": "Today",
    "TodayScreen": "Today",
    "PortfolioList": "Portfolio",
    "PortfolioScreen": "Portfolio",
    "GuidedReviewScreen": "Guided review",
    "MainScreen": "Accounts and panes",
    "KamApp": "Everywhere",
}


def _key_label(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "plus": "+", "minus": "-", "equals_sign": "=", "space": "space"}
    names |= {"greater_than_sign": ">", "less_than_sign": "<"}
    return names.get(key, key)


# The key column is as wide as the longest key text, up to this; a longer key wraps inside its column.
KEY_COLUMN_MAX = 22


def help_groups(bindings: dict[str, ActiveBinding]) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(key text, description)]) in display order; "Everywhere" last."""
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
    order = [g for g in groups if g != "Everywhere"] + (["Everywhere"] if "Everywhere" in groups else [])
    return [(g, groups[g]) for g in order]


def key_column_width(groups: list[tuple[str, list[tuple[str, str]]]]) -> int:
    return min(KEY_COLUMN_MAX, max((len(k) for _, rows in groups for k, _ in rows), default=1))


def help_text(bindings: dict[str, ActiveBinding]) -> Group:
    """Group headings and, under each, a two-column grid: the key column sized to the longest key (capped, wrapping
    inside its column), two spaces, then the description (wrapping under itself), so the two never run together."""
    groups = help_groups(bindings)
    palette = "command palette: every action, go to account by name"
    if any(key == "ctrl+p" for _, rows in groups for key, _ in rows):
        groups = [(g, [(k, palette if k == "ctrl+p" else d) for k, d in rows]) for g, rows in groups]
    else:
        groups.append(("", [("ctrl+p", palette)]))
    width = key_column_width(groups)
    parts: list[RenderableType] = []
    for gi, (group, rows) in enumerate(groups):
        if gi:
            parts.append(Text(""))
        if group:
            parts.append(Text(group, style="bold underline"))
        grid = Table.grid(padding=(0, 0, 0, 2))
        grid.add_column(width=width, overflow="fold", style="bold cyan")
        grid.add_column(ratio=1, overflow="fold")
        for key, desc in rows:
            grid.add_row(Text(key), Text(desc))
        parts.append(Padding(grid, (0, 0, 0, 2)))
    return Group(*parts)


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help-close"),
        *everywhere_bindings(),
    ]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen #help { width: 80; max-width: 100%; height: auto; max-height: 90%; border: thick $accent;
        background: $surface; padding: 0 1; }
    HelpScreen #help-title { text-style: bold; color: $accent; }
    HelpScreen #help-file { color: $text-muted; }
    """

    def __init__(self, bindings: dict[str, ActiveBinding], pane: str | None, file: str = "") -> None:
        super().__init__()
        self.bindings_snapshot = bindings
        self.pane = pane
        self.file = file  # the open database, as the TUI names it

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(f"Keys ({self.pane or 'app'}) · esc closes", id="help-title", markup=False)
            if self.file:
                yield Static(f"file {self.file}", id="help-file", markup=False)
            with VerticalScroll():
                yield Static(help_text(self.bindings_snapshot), markup=False)
