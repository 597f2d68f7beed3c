"""`?`: every binding of the focused pane, the screen and the app, generated from the bindings
themselves: only keys that do something there (Textual's own that do nothing in kamtui, or
nothing on that screen, are left out), under a title that names the screen."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
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
    "BriefScreen": "Meeting brief",
    "OwnerPicker": "Owners",
    "TimelineScreen": "Activity timeline",
    "ImportPreview": "Import preview",
    "SummaryScreen": "Guided review summary",
    "KamApp": "Everywhere",
    "App": "Everywhere",
}

# What the help's title calls each screen.
SCREEN_NAMES = {
    "TodayScreen": "Today",
    "PortfolioScreen": "Portfolio",
    "PipelineScreen": "Pipeline",
    "MainScreen": "Accounts",
    "GuidedReviewScreen": "Guided review",
    "BriefScreen": "Meeting brief",
    "OwnerPicker": "Owners",
    "TimelineScreen": "Activity timeline",
    "ImportPreview": "Import preview",
    "SummaryScreen": "Guided review summary",
}

# Textual's own bindings: left out (copy: nothing in kamtui is selected to copy), or said in our words.
_LEFT_OUT = {"screen.copy_text", "copy_text"}
_HORIZONTAL = {"scroll_left", "scroll_right", "page_left", "page_right"}  # only where a list scrolls sideways
_FOCUS_MOVES = {"app.focus_next": "Next pane", "app.focus_previous": "Previous pane"}
_WORDS = {  # Textual's scroll views' descriptions, in those of our lists (j and down then show together)
    "Scroll Up": "Up",
    "Scroll Down": "Down",
    "Scroll Home": "First",
    "Scroll End": "Last",
    "Page Up": "Page up",
    "Page Down": "Page down",
}


def screen_name(screen: Screen[object], pane: str | None = None) -> str:
    """The help's title: the screen's name and, on the main screen, the focused pane's."""
    from kamtui.ui.layout import PANE_TITLES

    name = SCREEN_NAMES.get(type(screen).__name__) or type(screen).__name__.removesuffix("Screen")
    return f"{name} · {PANE_TITLES[pane]}" if pane in PANE_TITLES else name


def does_something(active: ActiveBinding, screen: Screen[object] | None) -> bool:
    """Whether the binding is one a user can use where help was asked."""
    b, node = active.binding, active.node
    if not b.description or b.system or b.action in _LEFT_OUT:
        return False
    if b.action in _HORIZONTAL:
        return bool(getattr(node, "allow_horizontal_scroll", False))
    if b.action in _FOCUS_MOVES and screen is not None:
        return len(screen.focus_chain) > 1
    return True


def _group_of(node: DOMNode, screen: Screen[object] | None) -> str:
    name = type(node).__name__
    if name in _GROUP_NAMES:
        return _GROUP_NAMES[name]
    if screen is not None and node is not screen and type(screen).__name__ in _GROUP_NAMES:
        return _GROUP_NAMES[type(screen).__name__]  # a Textual widget of the screen (its scroller, its list)
    return name


def _key_label(key: str) -> str:
    names = {"question_mark": "?", "slash": "/", "plus": "+", "minus": "-", "equals_sign": "=", "space": "space"}
    names |= {"greater_than_sign": ">", "less_than_sign": "<"}
    return names.get(key, key)


# The key column is as wide as the longest key text, up to this; a longer key wraps inside its column.
KEY_COLUMN_MAX = 22


def help_groups(
    bindings: dict[str, ActiveBinding], screen: Screen[object] | None = None
) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group title, [(key text, description)]) in display order; "Everywhere" last. With the
    ``screen`` they are active on, only the keys that do something there (see does_something)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[str, str]] = set()
    for key, active in bindings.items():
        b = active.binding
        if not does_something(active, screen):
            continue
        group = _group_of(active.node, screen)
        desc = _FOCUS_MOVES.get(b.action) or b.tooltip or _WORDS.get(b.description, b.description)
        if (group, b.action) in seen or any(d == desc for _, d in groups.get(group, [])):
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


def help_text(bindings: dict[str, ActiveBinding], screen: Screen[object] | None = None) -> Group:
    """Group headings and, under each, a two-column grid: the key column sized to the longest key (capped, wrapping
    inside its column), two spaces, then the description (wrapping under itself), so the two never run together."""
    groups = help_groups(bindings, screen)
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

    def __init__(self, screen: Screen[object], pane: str | None = None, file: str = "") -> None:
        """The keys active on ``screen`` (the one help opens over), ``pane`` the main screen's
        focused pane, ``file`` the open database as the TUI names it."""
        super().__init__()
        self.bindings_snapshot = screen.active_bindings
        self.title_text = f"Keys ({screen_name(screen, pane)}) · esc closes"
        self.body = help_text(self.bindings_snapshot, screen)
        self.file = file

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(self.title_text, id="help-title", markup=False)
            if self.file:
                yield Static(f"file {self.file}", id="help-file", markup=False)
            with VerticalScroll():
                yield Static(self.body, markup=False)
