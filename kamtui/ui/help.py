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

from kamtui.i18n import N_, _
from kamtui.ui.everywhere import everywhere_bindings

_GROUP_NAMES = {
    "AccountList": N_("Account list"),
    "StakeholderPane": N_("Stakeholders"),
    "StakeholderTable": N_("Stakeholders"),
    "PlanPane": N_("Plan"),
    "PlanList": N_("Plan"),
    "DealsPane": N_("Opportunities"),
    "DealsList": N_("Opportunities"),
    "PipelineScreen": N_("Pipeline"),
    "PipelineList": N_("Pipeline"),
    "ReviewPane": N_("Reviews"),
    "TodayList": N_("Today"),
    "TodayScreen": N_("Today"),
    "PortfolioList": N_("Portfolio"),
    "PortfolioScreen": N_("Portfolio"),
    "GuidedReviewScreen": N_("Guided review"),
    "MainScreen": N_("Accounts and panes"),
    "BriefScreen": N_("Meeting brief"),
    "OwnerPicker": N_("Owners"),
    "TimelineScreen": N_("Activity timeline"),
    "ImportPreview": N_("Import preview"),
    "SummaryScreen": N_("Guided review summary"),
    "KamApp": N_("Everywhere"),
    "App": N_("Everywhere"),
}

# What the help's title calls each screen.
SCREEN_NAMES = {
    "TodayScreen": N_("Today"),
    "PortfolioScreen": N_("Portfolio"),
    "PipelineScreen": N_("Pipeline"),
    "MainScreen": N_("Accounts"),
    "GuidedReviewScreen": N_("Guided review"),
    "BriefScreen": N_("Meeting brief"),
    "OwnerPicker": N_("Owners"),
    "TimelineScreen": N_("Activity timeline"),
    "ImportPreview": N_("Import preview"),
    "SummaryScreen": N_("Guided review summary"),
}

# Textual's own bindings: left out (copy: nothing in kamtui is selected to copy), or said in our words.
_LEFT_OUT = {"screen.copy_text", "copy_text"}
_HORIZONTAL = {"scroll_left", "scroll_right", "page_left", "page_right"}  # only where a list scrolls sideways
_FOCUS_MOVES = {"app.focus_next": N_("Next pane"), "app.focus_previous": N_("Previous pane")}
_WORDS = {  # Textual's scroll views' descriptions, in those of our lists (j and down then show together)
    "Scroll Up": N_("Up"),
    "Scroll Down": N_("Down"),
    "Scroll Home": N_("First"),
    "Scroll End": N_("Last"),
    "Page Up": N_("Page up"),
    "Page Down": N_("Page down"),
}


# Textual's own binding descriptions and tooltips that the footer, help or a form may show
# (its widgets' BINDINGS: Input's editing keys, the lists' and scroll views' moves, TextArea's,
# the app's quit and palette keys): marked here so that the catalog has them; said through _().
# tests/test_es_ui_shell.py checks that every one of those widgets' words is listed.
TEXTUAL_WORDS = (
    N_("Copy"),
    N_("Copy selected text"),
    N_("Cursor down"),
    N_("Cursor down select"),
    N_("Cursor left"),
    N_("Cursor left select"),
    N_("Cursor left word select"),
    N_("Cursor line end"),
    N_("Cursor line end select"),
    N_("Cursor line start"),
    N_("Cursor line start select"),
    N_("Cursor page down"),
    N_("Cursor page up"),
    N_("Cursor right"),
    N_("Cursor right select"),
    N_("Cursor right word select"),
    N_("Cursor up"),
    N_("Cursor up select"),
    N_("Cursor word left"),
    N_("Cursor word right"),
    N_("Cut"),
    N_("Cut selected text"),
    N_("Delete all to the left"),
    N_("Delete all to the right"),
    N_("Delete character left"),
    N_("Delete character right"),
    N_("Delete left to start of word"),
    N_("Delete line"),
    N_("Delete right to start of word"),
    N_("Delete to line end"),
    N_("Delete to line start"),
    N_("Down"),
    N_("First"),
    N_("Focus Next"),
    N_("Focus Previous"),
    N_("Go to end"),
    N_("Go to start"),
    N_("Last"),
    N_("Move cursor left"),
    N_("Move cursor left a word"),
    N_("Move cursor left a word and select"),
    N_("Move cursor left and select"),
    N_("Move cursor right a word"),
    N_("Move cursor right a word and select"),
    N_("Move cursor right and select"),
    N_("Move cursor right or accept the completion suggestion"),
    N_("Page Down"),
    N_("Page Left"),
    N_("Page Right"),
    N_("Page Up"),
    N_("Paste"),
    N_("Paste text from the clipboard"),
    N_("Quit"),
    N_("Redo"),
    N_("Scroll Down"),
    N_("Scroll End"),
    N_("Scroll Home"),
    N_("Scroll Left"),
    N_("Scroll Right"),
    N_("Scroll Up"),
    N_("Select"),
    N_("Select all"),
    N_("Select line"),
    N_("Select line end"),
    N_("Select line start"),
    N_("Show menu"),
    N_("Submit"),
    N_("Quit the app and return to the command prompt."),
    N_("Toggle"),
    N_("Toggle option"),
    N_("Undo"),
    N_("Up"),
    N_("palette"),
    N_("Open the command palette"),
)


def screen_name(screen: Screen[object], pane: str | None = None) -> str:
    """The help's title: the screen's name and, on the main screen, the focused pane's."""
    from kamtui.ui.layout import PANE_TITLES

    known = SCREEN_NAMES.get(type(screen).__name__)
    name = _(known) if known else type(screen).__name__.removesuffix("Screen")
    return f"{name} · {_(PANE_TITLES[pane])}" if pane in PANE_TITLES else name


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
        return _(_GROUP_NAMES[name])
    if screen is not None and node is not screen and type(screen).__name__ in _GROUP_NAMES:
        return _(_GROUP_NAMES[type(screen).__name__])  # a Textual widget of the screen (its scroller, its list)
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
    """(group title, [(key text, description)]) in display order, in the user's language;
    "Everywhere" last. With the ``screen`` they are active on, only the keys that do something
    there (see does_something)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    seen: set[tuple[str, str]] = set()
    for key, active in bindings.items():
        b = active.binding
        if not does_something(active, screen):
            continue
        group = _group_of(active.node, screen)
        desc = _(_FOCUS_MOVES.get(b.action) or b.tooltip or _WORDS.get(b.description, b.description))
        if (group, b.action) in seen or any(d == desc for _k, d in groups.get(group, [])):
            # Same action under another key (j and down): show the keys together.
            for i, (k, d) in enumerate(groups[group]):
                if d == desc:
                    groups[group][i] = (f"{k}, {_key_label(key)}", d)
            continue
        seen.add((group, b.action))
        groups.setdefault(group, []).append((_key_label(key), desc))
    last = _("Everywhere")
    order = [g for g in groups if g != last] + ([last] if last in groups else [])
    return [(g, groups[g]) for g in order]


def key_column_width(groups: list[tuple[str, list[tuple[str, str]]]]) -> int:
    return min(KEY_COLUMN_MAX, max((len(k) for _g, rows in groups for k, _d in rows), default=1))


def help_text(bindings: dict[str, ActiveBinding], screen: Screen[object] | None = None) -> Group:
    """Group headings and, under each, a two-column grid: the key column sized to the longest key (capped, wrapping
    inside its column), two spaces, then the description (wrapping under itself), so the two never run together."""
    groups = help_groups(bindings, screen)
    palette = _("command palette: every action, go to account by name")
    if any(key == "ctrl+p" for _g, rows in groups for key, _d in rows):
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
        Binding("escape,q,question_mark", "dismiss", N_("Close"), id="help-close"),
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
        self.title_text = _("Keys ({screen}) · esc closes").format(screen=screen_name(screen, pane))
        self.body = help_text(self.bindings_snapshot, screen)
        self.file = file

    def compose(self) -> ComposeResult:
        with Vertical(id="help"):
            yield Static(self.title_text, id="help-title", markup=False)
            if self.file:
                yield Static(_("file {file}").format(file=self.file), id="help-file", markup=False)
            with VerticalScroll():
                yield Static(self.body, markup=False)
