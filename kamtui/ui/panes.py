"""The right-hand panes for the selected account: header, stakeholders, plan, reviews.

Every pane draws through Textual's line API from lines it renders once per account (like the
account list): moving between accounts re-renders only the lines that changed, never needs a
layout pass (each pane's size is fixed by CSS, whatever the account shows) and posts no
follow-up messages, so a move costs one frame.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kamtui.domain.cadence import describe, in_words, next_review, parse_cadence
from kamtui.domain.errors import ValidationError
from kamtui.domain.health import sparkline
from kamtui.domain.model import (
    FRIENDLINESS_LABELS,
    FRIENDLINESS_SYMBOLS,
    Account,
    Action,
    Coverage,
    DecisionRole,
    Horizon,
    Level,
    Objective,
    ObjectiveStatus,
    Review,
    Stakeholder,
)
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.domain.risk import relationship_status, review_risks, stakeholder_risks
from kamtui.domain.text import clean, money, truncate
from kamtui.store.portfolio import account_health
from kamtui.ui.compat import check_refresh
from kamtui.ui.damage import damage_text, damaged
from kamtui.ui.forms import ConfirmScreen, FormField, FormScreen, parse_date_input

if TYPE_CHECKING:
    from rich.console import Console

    from kamtui.ui.app import KamApp

FRIENDLY_STYLE = {-2: "bold white on red", -1: "red", 0: "yellow", 1: "green", 2: "bold green"}
STATUS_STYLE = {"red": "bold red", "amber": "bold yellow", "green": "bold green", "": "dim"}


SHORT_ATTITUDE = {-2: "host.", -1: "unfr.", 0: "neut.", 1: "frnd.", 2: "champ"}
SHORT_LEVEL = {Level.HIGH: "high", Level.MEDIUM: "med", Level.LOW: "low"}
SHORT_ROLES = {
    DecisionRole.ECONOMIC_BUYER: "econ buyer",
    DecisionRole.DECISION_MAKER: "decider",
    DecisionRole.TECHNICAL_BUYER: "tech buyer",
    DecisionRole.INFLUENCER: "influencer",
    DecisionRole.CHAMPION: "champion",
    DecisionRole.COACH: "coach",
    DecisionRole.USER: "user",
    DecisionRole.GATEKEEPER: "gatekeeper",
    DecisionRole.BLOCKER: "blocker",
}


def friendliness_text(value: int, compact: bool = False) -> Text:
    if compact:
        return Text(f"{FRIENDLINESS_SYMBOLS[value]:^3}", style=FRIENDLY_STYLE[value])
    return Text(f"{FRIENDLINESS_SYMBOLS[value]:>2} {FRIENDLINESS_LABELS[value]}", style=FRIENDLY_STYLE[value])


# ------------------------------------------------------------------ line views
def fit(segments: list[Segment], width: int) -> Strip:
    """One line of exactly ``width`` cells: padded, or cut with an ellipsis."""
    strip = Strip(segments)
    if strip.cell_length <= width:
        return strip.extend_cell_length(width)
    cut = strip.crop(0, max(0, width - 1))
    last = segments[-1].style if segments else None
    return Strip([*cut, Segment("…", last)]).adjust_cell_length(width)


_STYLES: dict[str, Style] = {}


def _style(style: str | Style) -> Style:
    if isinstance(style, Style):
        return style
    parsed = _STYLES.get(style)
    if parsed is None:
        parsed = _STYLES[style] = Style.parse(style) if style else Style.null()
    return parsed


def text_segments(text: Text) -> list[Segment] | None:
    """The segments of ``text`` when its spans do not overlap (text built with ``append``, the
    panes' case), else None: Rich's general renderer is several times slower."""
    plain = text.plain
    base = _style(text.style)
    out: list[Segment] = []
    pos = 0
    for start, end, style in text.spans:
        if start < pos or end < start:
            return None
        if start > pos:
            out.append(Segment(plain[pos:start], base))
        if end > start:
            out.append(Segment(plain[start:end], base + _style(style)))
        pos = end
    if pos < len(plain):
        out.append(Segment(plain[pos:], base))
    return out


def _split_lines(segments: list[Segment]) -> list[list[Segment]]:
    lines: list[list[Segment]] = [[]]
    for segment in segments:
        text, style = segment.text, segment.style
        if "\n" not in text:
            lines[-1].append(segment)
            continue
        first, *rest = text.split("\n")
        if first:
            lines[-1].append(Segment(first, style))
        for part in rest:
            lines.append([Segment(part, style)] if part else [])
    return lines


def _wrap(segments: list[Segment], width: int) -> list[list[Segment]]:
    """Word-wrap one line of segments to ``width`` cells (a word longer than that is folded)."""
    plain = "".join(s.text for s in segments)
    if cell_len(plain) <= width:
        return [segments]
    spans: list[tuple[int, int]] = []
    start, n = 0, len(plain)
    while start < n:
        if spans:
            while start < n and plain[start] == " ":
                start += 1
            if start >= n:
                break
        cells, i, space = 0, start, -1
        while i < n:
            w = get_character_cell_size(plain[i])
            if cells + w > width:
                break
            cells += w
            if plain[i] == " ":
                space = i
            i += 1
        if i >= n:
            spans.append((start, n))
            break
        if plain[i] == " ":
            spans.append((start, i))
            start = i + 1
        elif space > start:
            spans.append((start, space))
            start = space + 1
        else:
            spans.append((start, max(i, start + 1)))
            start = max(i, start + 1)
    out: list[list[Segment]] = []
    for a, b in spans:
        line: list[Segment] = []
        offset = 0
        for segment in segments:
            end = offset + len(segment.text)
            if end > a and offset < b:
                line.append(Segment(segment.text[max(a, offset) - offset : min(b, end) - offset], segment.style))
            offset = end
        out.append(line)
    return out


def text_lines(text: Text, width: int, console: Console, indent: int = 0) -> list[Strip]:
    """``text`` as lines of exactly ``width`` cells: wrapped, unless the Text says ``no_wrap``
    (then each line is cut with an ellipsis). Stored text reaches here as ``Text``: never markup."""
    inner = width - 2 * indent
    if inner <= 0:
        return []
    segments = text_segments(text)
    out: list[list[Segment]]
    if segments is not None:
        out = []
        for line in _split_lines(segments):
            out.extend([line] if text.no_wrap else _wrap(line, inner))
    elif text.no_wrap:
        out = []
        for part in text.split("\n", allow_blank=True):
            part.truncate(inner, overflow="ellipsis")
            out.append(list(part.render(console, end="")))
    else:
        out = console.render_lines(text, console.options.update(width=inner, height=None), pad=False)
    pad = [Segment(" " * indent)] if indent else []
    return [fit([*pad, *line], width) if indent else fit(line, width) for line in out]


class LineView(ScrollView, can_focus=False):
    """A fixed-size view of pre-rendered lines: new content repaints only the lines that differ.

    The lines (``build``) depend on the content width only; the view's size comes from CSS, so new
    content never needs a layout pass. There are no scrollbars (a scrollbar appearing would need
    one); the view scrolls with the keys of its subclass and the mouse wheel.
    """

    DEFAULT_CSS = """
    LineView { overflow: hidden hidden; scrollbar-size: 0 0; background: $surface; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._lines: list[Strip] = []
        self._built_width = -1
        self._base: Style | None = None
        self.style_generation = 0

    @property
    def allow_vertical_scroll(self) -> bool:
        return self.max_scroll_y > 0 and not (self.disabled or self.loading)

    @property
    def line_width(self) -> int:
        return self.scrollable_content_region.width

    def build(self, width: int) -> list[Strip]:
        """The content as lines of exactly ``width`` cells."""
        return []

    def rebuild(self) -> None:
        """Render the content again and repaint what changed (nothing before the first layout)."""
        width = self.line_width
        if width <= 0:
            self._built_width = -1
            return
        self.set_lines(self.build(width), width)

    def set_lines(self, lines: list[Strip], width: int) -> None:
        old = self._lines
        self._lines = lines
        if width != self._built_width:
            self._built_width = width
            self._set_virtual(width, len(lines))
            self.refresh()
            return
        scrolled = self._set_virtual(width, len(lines))
        if scrolled:
            self.refresh()
            return
        top, height = self.scroll_offset.y, self.size.height
        changed = [
            Region(0, y - top, width, 1)
            for y in range(top, top + height)
            if (old[y] if y < len(old) else None) != (lines[y] if y < len(lines) else None)
        ]
        if changed:
            self.refresh(*changed)

    def _set_virtual(self, width: int, height: int) -> bool:
        """Set the scrollable size without a layout pass; True if that moved the scroll position."""
        self.set_reactive(ScrollView.virtual_size, Size(width, height))
        top = self.scroll_offset.y
        limit = max(0, height - self.scrollable_content_region.height)
        if top > limit:
            self.set_reactive(ScrollView.scroll_y, float(limit))
            self.set_reactive(ScrollView.scroll_target_y, float(limit))
            return True
        return False

    def on_resize(self, event: events.Resize) -> None:
        if self.line_width != self._built_width:
            self.rebuild()
        else:
            self._set_virtual(self._built_width, len(self._lines))
            self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._base = None
        self.style_generation += 1  # lines prepared with the old styles are stale

    def base_style(self) -> Style:
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.line_width
        base = self.base_style()
        if 0 <= index < len(self._lines):
            return self._lines[index].apply_style(base)
        return Strip.blank(width, base)


class CursorView(LineView, can_focus=True):
    """A LineView whose selectable lines (``targets``) carry a cursor, moved by keys or a click."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "Down", show=False),
        Binding("k,up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"cursor-view--cursor", "cursor-view--header"}
    DEFAULT_CSS = """
    CursorView > .cursor-view--cursor {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    CursorView:focus { background-tint: $foreground 5%; }
    CursorView:focus > .cursor-view--cursor {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    CursorView > .cursor-view--header { text-style: bold; background: $panel; color: $foreground; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.targets: list[int] = []  # the line of each selectable item
        self.cursor = 0  # index into targets
        self._cursor_style: Style | None = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cursor_style = None

    def cursor_style(self) -> Style:
        if self._cursor_style is None:
            self._cursor_style = self.get_component_rich_style("cursor-view--cursor")
        return self._cursor_style

    def header_style(self) -> Style:
        return self.get_component_rich_style("cursor-view--header", partial=True)

    @property
    def cursor_line(self) -> int | None:
        return self.targets[self.cursor] if 0 <= self.cursor < len(self.targets) else None

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        if index != self.cursor_line or index >= len(self._lines):
            return super().render_line(y)
        cursor = self.cursor_style()
        segments = [Segment(t, (s or Style()) + cursor) for t, s, _ in self._lines[index]]
        return Strip(segments, self.line_width).apply_style(self.base_style())

    def move_to(self, index: int) -> None:
        """Put the cursor on item ``index`` (clamped), scrolled into view, repainting two lines."""
        old_line = self.cursor_line
        self.cursor = max(0, min(index, len(self.targets) - 1)) if self.targets else 0
        line = self.cursor_line
        if line is None or line == old_line:
            return
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        first = 0 if self.cursor == 0 else line  # the first item shows what is above it (a header)
        if height > 0 and not top <= first <= line < top + height:
            new_top = first if first < top else line - height + 1
            self.scroll_to(y=max(0, new_top), animate=False, immediate=True)
            self.refresh()
            return
        width = self.line_width
        regions = [Region(0, y - top, width, 1) for y in (old_line, line) if y is not None]
        self.refresh(*regions)

    def reveal_cursor(self) -> None:
        """After new content: scroll so that the cursor line is visible."""
        line = self.cursor_line
        top, height = self.scroll_offset.y, self.scrollable_content_region.height
        if line is None or height <= 0:
            return
        if self.cursor == 0 and top:
            self.set_reactive(ScrollView.scroll_y, 0.0)
            self.set_reactive(ScrollView.scroll_target_y, 0.0)
            self.refresh()
        elif not top <= line < top + height:
            new_top = float(max(0, line - height + 1) if line >= top + height else line)
            self.set_reactive(ScrollView.scroll_y, new_top)
            self.set_reactive(ScrollView.scroll_target_y, new_top)
            self.refresh()

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def action_cursor_down(self) -> None:
        self.move_to(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.move_to(self.cursor - 1)

    def action_first(self) -> None:
        self.move_to(0)

    def action_last(self) -> None:
        self.move_to(len(self.targets) - 1)

    def action_page_down(self) -> None:
        line = self.cursor_line
        if line is None:
            return
        below = [i for i, t in enumerate(self.targets) if t <= line + self._page()]
        self.move_to(max(below[-1], self.cursor + 1))

    def action_page_up(self) -> None:
        line = self.cursor_line
        if line is None:
            return
        above = [i for i, t in enumerate(self.targets) if t >= line - self._page()]
        self.move_to(min(above[0], self.cursor - 1))

    def on_click(self, event: events.Click) -> None:
        line = self.scroll_offset.y + event.y - self.gutter.top
        if line in self.targets:
            self.move_to(self.targets.index(line))


class Pane:
    """Mixin: a pane knows the app and the selected account."""

    account_id: int | None = None

    @property
    def kam(self) -> KamApp:
        return self.app  # type: ignore[attr-defined, no-any-return]

    def show_account(self, account_id: int | None) -> None:
        self.account_id = account_id
        prepared = self.__dict__.setdefault("_prepared", {}).pop(self._prepared_key(account_id), None)
        if prepared is not None:
            self.apply(*prepared)
        else:
            self.refresh_pane()
        # Hand the repaint to the screen now rather than when the pane is next idle: it then
        # joins a frame another widget already asked for (the filter box's, the list's)
        # instead of taking one of its own a frame period (16 ms) later.
        for widget in (self, *self.children):  # type: ignore[attr-defined]
            check_refresh(widget)

    def refresh_pane(self) -> None:
        self.apply(self.load(self.account_id), None)

    # A pane shows an account in two steps: ``load`` reads what it shows (no widget state
    # touched), ``apply`` shows it (with the lines ``lines_for`` renders, or renders them).
    def load(self, account_id: int | None) -> Any:
        raise NotImplementedError

    def lines_for(self, state: Any, width: int) -> list[Strip]:
        raise NotImplementedError

    def apply(self, state: Any, lines: list[Strip] | None) -> None:
        raise NotImplementedError

    @property
    def view(self) -> LineView:
        return self  # type: ignore[return-value]

    def _prepared_key(self, account_id: int | None) -> tuple[object, ...]:
        view = self.view
        kam = self.kam
        return (account_id, kam.store.seq, kam.today, id(kam.thresholds), view.line_width, view.style_generation)

    def prepare(self, account_id: int | None) -> None:
        """Load and render ``account_id`` ahead, so that showing it next is cheap (the accounts
        beside the cursor, while the user reads). Anything changed since (data, today, width,
        styles) makes the prepared lines unused: they are keyed by all of it."""
        prepared: dict[tuple[object, ...], tuple[Any, list[Strip]]] = self.__dict__.setdefault("_prepared", {})
        key = self._prepared_key(account_id)
        width = self.view.line_width
        if key in prepared or width <= 0:
            return
        state = self.load(account_id)
        prepared[key] = (state, self.lines_for(state, width))
        while len(prepared) > PREPARED:
            del prepared[next(iter(prepared))]


PREPARED = 4  # accounts prepared ahead per pane (the two beside the cursor, and slack)


def prepare_accounts(screen: Any, account_ids: Iterable[int | None]) -> None:
    """Prepare every pane of ``screen`` for these accounts (see Pane.prepare)."""
    panes = [w for w in screen.query("*") if isinstance(w, Pane) and w.view.display]
    for account_id in account_ids:
        for pane in panes:
            pane.prepare(account_id)


def _set_subtitle(widget: LineView, text: str) -> None:
    if widget.border_subtitle != text:  # setting it repaints the whole widget
        widget.border_subtitle = text


# --------------------------------------------------------------------- header
class AccountHeader(LineView, Pane):
    DEFAULT_CSS = """
    AccountHeader { height: 2; background: $panel; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__(id="account-header")
        self._text = Text("No account selected", style="dim")

    def load(self, account_id: int | None) -> Text:
        p = self.kam.portfolio
        acc = p.account(account_id) if account_id is not None else None
        if acc is None:
            broken = damaged(p, "accounts", account_id, 0) if account_id is not None else []
            return damage_text(broken) if broken else Text("No account selected", style="dim")
        today = self.kam.today
        shs = p.stakeholders(acc.id)  # type: ignore[arg-type]
        h = account_health(p, acc.id, today)  # type: ignore[arg-type]
        due = next_review(acc.cadence, acc.last_review, today) if acc.cadence else None
        line1 = Text()
        line1.append(clean(acc.name), style="bold")
        line1.append(f" · {acc.tier.value.upper()}", style="bold cyan" if acc.tier.value == "key" else "")
        line1.append(f" · owner {clean(acc.owner) or '-'}")
        if acc.sponsor:
            line1.append(f" · sponsor {clean(acc.sponsor)}")
        line1.append(f" · {money(acc.revenue)}")
        line2 = Text()
        if h.score is not None:
            style = "bold green" if h.score >= 70 else "bold red" if h.score < 45 else "bold yellow"
            line2.append("health ")
            line2.append(f"{h.score} {h.trend}".rstrip(), style=style)
            line2.append(f" {sparkline(h.history, 0, 100)}", style="dim")
        else:
            line2.append("health -", style="dim")
        if due is not None:
            late = (today - due).days
            line2.append(" · review ")
            line2.append(in_words(due, today), style="bold red" if late > 0 else "bold yellow" if late == 0 else "")
        else:
            line2.append(" · no review cadence", style="dim")
        status = relationship_status(shs) if shs else ""
        if status:
            line2.append(" · map ")
            line2.append(status.upper(), style=STATUS_STYLE[status])
        if acc.industry:
            line2.append(f" · {clean(acc.industry)}", style="dim")
        return Text("\n", no_wrap=True).join([line1, line2])

    def lines_for(self, state: Text, width: int) -> list[Strip]:
        return text_lines(state, width, self.app.console)

    def apply(self, state: Text, lines: list[Strip] | None) -> None:
        self._text = state
        if lines is None:
            self.rebuild()
        else:
            self.set_lines(lines, self.line_width)

    def build(self, width: int) -> list[Strip]:
        return self.lines_for(self._text, width)


# --------------------------------------------------------------- stakeholders
class StakeholderTable(CursorView):
    """The stakeholder pane's content: the table (a cursor on each person), the grid, the warnings."""

    DEFAULT_CSS = """
    StakeholderTable { height: 42vh; border: round $primary 50%; border-title-color: $text; }
    StakeholderTable:focus { border: round $border; }
    """

    def __init__(self) -> None:
        super().__init__(id="sh-table")
        self.border_title = "Stakeholders"

    @property
    def pane(self) -> StakeholderPane:
        return self.parent  # type: ignore[return-value]

    def build(self, width: int) -> list[Strip]:
        return self.render_items(self.pane.items, width, self.pane.damage)

    def render_items(self, items: list[Stakeholder], width: int, damage: Text | None = None) -> list[Strip]:
        today = self.kam_today()
        compact = width < 58
        if width >= 88:
            cols = ["Name", "Title", "Role", "Infl", "Attitude", "Coverage", "Last", "Ours"]
        elif width >= 74:
            cols = ["Name", "Role", "Infl", "Attitude", "Coverage", "Last"]
        else:
            cols = ["Name", "Role", "Infl", "Att", "Last"]
        rows: list[list[Text]] = []
        for s in items:
            last = "never" if s.last_contact is None else f"{(today - s.last_contact).days}d"
            quiet = s.contact_every_days is not None and (
                s.last_contact is None or (today - s.last_contact).days > s.contact_every_days
            )
            name = Text(truncate(clean(s.name), 12 if compact else 22), style="strike dim" if s.left else "")
            if s.left:
                name.append(" (left)", style="dim")
            cells: dict[str, Text] = {
                "Name": name,
                "Title": Text(truncate(clean(s.title), 18), style="dim"),
                "Role": Text(SHORT_ROLES[s.role] if compact else s.role.label),
                "Infl": Text(
                    SHORT_LEVEL[s.influence] if compact else s.influence.value,
                    style="bold" if s.influence is Level.HIGH else "dim",
                ),
                "Attitude": friendliness_text(s.friendliness),
                "Att": friendliness_text(s.friendliness, compact=True),
                "Coverage": Text(s.coverage.label),
                "Last": Text(last, style="bold red" if quiet else ""),
                "Ours": Text(truncate(clean(s.owner), 8), style="dim"),
            }
            rows.append([cells[c] for c in cols])
        widths = [max([cell_len(c), *(r[i].cell_len for r in rows)]) for i, c in enumerate(cols)]
        console = self.app.console
        lines: list[Strip] = []
        if items:
            header = self.header_style()
            titles = " " + "  ".join(c.ljust(w) for c, w in zip(cols, widths, strict=True))
            lines.append(
                fit([Segment(titles, header)], width)
                if cell_len(titles) > width
                else Strip([Segment(titles.ljust(width), header)])
            )
            for row in rows:
                segments: list[Segment] = [Segment(" ")]
                for i, (cell, w) in enumerate(zip(row, widths, strict=True)):
                    if i:
                        segments.append(Segment("  "))
                    segments.extend(text_segments(cell) or cell.render(console, end=""))
                    if cell.cell_len < w:
                        segments.append(Segment(" " * (w - cell.cell_len)))
                lines.append(fit(segments, width))
        if damage:
            lines.extend(text_lines(damage, width, console, indent=1))
        lines.extend(text_lines(StakeholderPane.matrix(items, 7 if compact else 10), width, console, indent=1))
        lines.extend(text_lines(StakeholderPane.warnings(items, today, self.app_thresholds()), width, console, 1))
        return lines

    def kam_today(self) -> dt.date:
        return self.pane.kam.today

    def app_thresholds(self) -> Thresholds:
        return self.pane.kam.thresholds


@dataclass(frozen=True, slots=True)
class People:
    items: list[Stakeholder]
    damage: Text  # the stakeholders that do not load


class StakeholderPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("plus,equals_sign", "friendlier", "+friendly", tooltip="Raise friendliness (recorded in history)"),
        Binding("minus", "colder", "-friendly", tooltip="Lower friendliness (recorded in history)"),
        Binding("a", "add", "Add"),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
    ]
    DEFAULT_CSS = """
    StakeholderPane { height: auto; }
    StakeholderPane.single StakeholderTable { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="stakeholders")
        self.items: list[Stakeholder] = []
        self.damage = Text()  # the account's stakeholders that do not load, one line each
        self._table = StakeholderTable()

    def compose(self) -> ComposeResult:
        yield self._table

    @property
    def table(self) -> StakeholderTable:
        return self._table

    def current(self) -> Stakeholder | None:
        t = self._table
        return self.items[t.cursor] if 0 <= t.cursor < len(self.items) else None

    @property
    def view(self) -> LineView:
        return self._table

    def load(self, account_id: int | None) -> People:
        if account_id is None:
            return People([], Text())
        p = self.kam.portfolio
        items = p.stakeholders(account_id)
        return People(items, damage_text(damaged(p, "stakeholders", account_id, len(items))))

    def lines_for(self, state: People, width: int) -> list[Strip]:
        return self._table.render_items(state.items, width, state.damage)

    def refresh_pane(self, keep: int | None = None) -> None:  # type: ignore[override]
        self.apply(self.load(self.account_id), None, keep)

    def apply(self, state: People, lines: list[Strip] | None, keep: int | None = None) -> None:
        t = self._table
        old = self.current()
        keep = keep if keep is not None else (old.id if old else None)
        self.items, self.damage = state.items, state.damage
        cursor = 0
        if keep is not None:
            cursor = next((i for i, s in enumerate(self.items) if s.id == keep), 0)
        t.cursor = cursor
        t.targets = list(range(1, len(self.items) + 1))  # line 0 holds the column titles
        if lines is None:
            t.rebuild()
        else:
            t.set_lines(lines, t.line_width)
        t.reveal_cursor()
        current = len([s for s in self.items if not s.left])
        _set_subtitle(t, f"{current} {'person' if current == 1 else 'people'}")

    @staticmethod
    def matrix(items: list[Stakeholder], cell_w: int = 10) -> Text:
        """Influence (rows) x friendliness (columns); the hostile high-influence corner stands out."""
        out = Text(no_wrap=True)
        out.append("infl.  ", style="dim")
        for f in range(-2, 3):
            label = FRIENDLINESS_LABELS[f] if cell_w >= 10 else SHORT_ATTITUDE[f]
            out.append(f"{label:^{cell_w}}", style=FRIENDLY_STYLE[f])
        for level in (Level.HIGH, Level.MEDIUM, Level.LOW):
            out.append("\n")
            out.append(f"{level.value:<7}", style="bold" if level is Level.HIGH else "dim")
            for f in range(-2, 3):
                names = [
                    clean(s.name).split(" ")[0]
                    for s in items
                    if not s.left and s.influence is level and s.friendliness == f
                ]
                if not names:
                    label = "·"
                elif len(names) == 1:
                    label = truncate(names[0], cell_w - 1)
                else:
                    label = truncate(names[0], cell_w - 3) + f"+{len(names) - 1}"
                style = ""
                if names and level is Level.HIGH and f < 0:
                    style = "bold white on red"
                elif names and f > 0:
                    style = "green"
                elif names and f < 0:
                    style = "red"
                elif not names:
                    style = "dim"
                out.append(f"{label:^{cell_w}}", style=style)
        return out

    @staticmethod
    def warnings(items: list[Stakeholder], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Text:
        risks = stakeholder_risks(items, today, thresholds)
        if not items:
            return Text("No stakeholders yet: press a to add one (tab to this pane first).", style="dim")
        if not risks:
            return Text("✓ no relationship warnings", style="green")
        out = Text()
        for i, r in enumerate(risks[:6]):
            if i:
                out.append("\n")
            out.append("▲ " if r.severity >= 2 else "△ ", style="bold red" if r.severity >= 2 else "yellow")
            out.append(clean(r.message), style="red" if r.severity >= 2 else "")
        if len(risks) > 6:
            out.append(f"\n… {len(risks) - 6} more", style="dim")
        return out

    # ---------------------------------------------------------------- actions
    def action_friendlier(self) -> None:
        self._shift(+1)

    def action_colder(self) -> None:
        self._shift(-1)

    def _shift(self, delta: int) -> None:
        s = self.current()
        if s is None:
            return
        target = max(-2, min(2, s.friendliness + delta))
        if target == s.friendliness:
            self.app.bell()
            return
        self.kam.write(lambda: self.kam.portfolio.set_friendliness(s, target)[1], focus=("stakeholder", s.id))

    def _form(self, s: Stakeholder | None) -> FormScreen:
        today = self.kam.today
        account_id = self.account_id
        assert account_id is not None
        fields = [
            FormField("name", "Name", value=s.name if s else ""),
            FormField("title", "Title", value=s.title if s else ""),
            FormField(
                "role",
                "Decision role",
                "select",
                s.role.value if s else DecisionRole.INFLUENCER.value,
                [(r.label, r.value) for r in DecisionRole],
            ),
            FormField(
                "influence",
                "Influence",
                "select",
                s.influence.value if s else Level.MEDIUM.value,
                [(lv.value, lv.value) for lv in Level],
            ),
            FormField(
                "friendliness",
                "Friendliness",
                "select",
                str(s.friendliness if s else 0),
                [(f"{FRIENDLINESS_SYMBOLS[v]} {FRIENDLINESS_LABELS[v]} ({v:+d})", str(v)) for v in range(-2, 3)],
            ),
            FormField(
                "coverage",
                "Coverage",
                "select",
                s.coverage.value if s else Coverage.NONE.value,
                [(c.label, c.value) for c in Coverage],
            ),
            FormField(
                "last_contact",
                "Last contact (YYYY-MM-DD, today, -3d)",
                "date",
                s.last_contact.isoformat() if s and s.last_contact else "",
            ),
            FormField(
                "contact_every_days",
                "Contact every N days (empty: no cadence)",
                "number",
                str(s.contact_every_days) if s and s.contact_every_days else "",
            ),
            FormField("owner", "Relationship owner on our side", value=s.owner if s else self.kam.user),
            FormField(
                "left", "Left the company", "select", "yes" if s and s.left else "no", [("no", "no"), ("yes", "yes")]
            ),
        ]

        def build(v: dict[str, Any]) -> Stakeholder:
            friendliness = int(v["friendliness"])
            history = list(s.friendliness_history) if s else []
            if s is None or friendliness != s.friendliness:
                from kamtui.domain.model import FriendlinessChange

                history.append(FriendlinessChange(today, friendliness, self.kam.user))
            return Stakeholder(
                account_id=account_id,
                name=v["name"],
                title=v["title"],
                role=v["role"],
                influence=v["influence"],
                friendliness=friendliness,
                friendliness_history=history,
                coverage=v["coverage"],
                last_contact=parse_date_input(v["last_contact"], today, "last_contact", not_after_today=True),
                contact_every_days=v["contact_every_days"].strip() or None,
                owner=v["owner"],
                left=v["left"] == "yes",
                notes=s.notes if s else "",
                id=s.id if s else None,
            )

        def save(new: Stakeholder) -> Any:
            return self.kam.record(self.kam.portfolio.save(new, s)[1], focus=("stakeholder", None))

        return FormScreen("Edit stakeholder" if s else "Add stakeholder", fields, build, save)

    def action_add(self) -> None:
        if self.account_id is not None:
            self.app.push_screen(self._form(None))

    def action_edit(self) -> None:
        s = self.current()
        if s is not None:
            self.app.push_screen(self._form(s))

    def action_delete(self) -> None:
        s = self.current()
        if s is None:
            return

        def answer(yes: bool | None) -> None:
            if yes:
                self.kam.write(lambda: self.kam.portfolio.delete(s), focus=("stakeholder", None))

        self.app.push_screen(ConfirmScreen(f"Delete stakeholder {clean(s.name)}?"), answer)


# ----------------------------------------------------------------------- plan
class PlanList(CursorView):
    """The plan checklist: horizons, objectives and actions, one line each, a cursor on each."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "first", "First", show=False),
        Binding("G", "last", "Last", show=False),
    ]
    DEFAULT_CSS = """
    PlanList { height: 1fr; border: round $primary 50%; border-title-color: $text; }
    PlanList:focus { border: round $border; }
    """

    def __init__(self) -> None:
        super().__init__(id="plan-list")
        self.border_title = "Plan"
        # (key, selectable, text): one line each
        self.options: list[tuple[str, bool, Text]] = []

    def build(self, width: int) -> list[Strip]:
        return self.render_options(self.options, width)

    def render_options(self, options: list[tuple[str, bool, Text]], width: int) -> list[Strip]:
        console = self.app.console
        lines: list[Strip] = []
        for _, _, text in options:
            lines.extend(text_lines(text, width, console)[:1] or [Strip.blank(width)])
        return lines


HORIZON_TITLES = {Horizon.SHORT: "Short term", Horizon.MEDIUM: "Medium term", Horizon.LONG: "Long term"}


Lines = list[Strip]


@dataclass(frozen=True, slots=True)
class PlanState:
    objectives: dict[int, Objective]
    actions: dict[int, Action]
    options: list[tuple[str, bool, Text]]  # (key, selectable, text): one line each
    subtitle: str


class PlanPane(Vertical, Pane):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space", "toggle_done", "Done", tooltip="Tick or untick the action (stamps date and user)"),
        Binding("a", "add", "Add", tooltip="Add an objective, or an action under the objective at the cursor"),
        Binding("A", "add_objective", "Add objective", show=False),
        Binding("e", "edit", "Edit"),
        Binding("d", "delete", "Delete"),
        Binding("u", "undo", "Undo", tooltip="Undo the last change, repeatedly"),
    ]
    DEFAULT_CSS = """
    PlanPane { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__(id="plan")
        self.objectives: dict[int, Objective] = {}
        self.actions: dict[int, Action] = {}
        self._list = PlanList()

    def compose(self) -> ComposeResult:
        yield self._list

    @property
    def list(self) -> PlanList:
        return self._list

    def _keys(self) -> tuple[str, ...]:
        return tuple(key for key, selectable, _ in self._list.options if selectable)

    def current_key(self) -> str | None:
        keys = self._keys()
        cursor = self._list.cursor
        return keys[cursor] if 0 <= cursor < len(keys) else None

    def current(self) -> Objective | Action | None:
        key = self.current_key()
        if key is None:
            return None
        kind, _, ident = key.partition(":")
        if kind == "o":
            return self.objectives.get(int(ident))
        if kind == "a":
            return self.actions.get(int(ident))
        return None

    @property
    def view(self) -> LineView:
        return self._list

    def refresh_pane(self, keep: str | None = None) -> None:  # type: ignore[override]
        self.apply(self.load(self.account_id), None, keep)

    def lines_for(self, state: PlanState, width: int) -> Lines:
        return self._list.render_options(state.options, width)

    def apply(self, state: PlanState, lines: Lines | None, keep: str | None = None) -> None:
        ol = self._list
        keep = keep or self.current_key()
        self.objectives, self.actions = state.objectives, state.actions
        old_cursor = ol.cursor
        ol.options = state.options
        ol.targets = [i for i, (_, selectable, _) in enumerate(state.options) if selectable]
        keys = self._keys()
        index = keys.index(keep) if keep in keys else min(old_cursor, max(0, len(keys) - 1))
        ol.cursor = index
        if lines is None:
            ol.rebuild()
        else:
            ol.set_lines(lines, ol.line_width)
        ol.reveal_cursor()
        _set_subtitle(ol, state.subtitle)

    def load(self, account_id: int | None) -> PlanState:
        p = self.kam.portfolio
        today = self.kam.today
        aid = account_id
        objectives = p.objectives(aid) if aid is not None else []
        actions = p.actions(aid) if aid is not None else []
        by_obj: dict[int, list[Action]] = {}
        for a in actions:
            by_obj.setdefault(a.objective_id, []).append(a)
        options: list[tuple[str, bool, Text]] = []
        total_done = total = overdue = 0

        def add_actions(acts: list[Action]) -> None:
            nonlocal total_done, total, overdue
            for a in acts:
                total += 1
                total_done += a.done
                overdue += a.is_overdue(today)
                options.append((f"a:{a.id}", True, self._action_line(a, today)))

        # Records that do not load come first, each named with what is wrong; the actions of an
        # objective that does not load still show, under it.
        broken = [] if aid is None else damaged(p, "objectives", aid, len(objectives))
        broken += [] if aid is None else damaged(p, "actions", aid, len(actions))
        for item in broken:
            options += [(f"x:{item.table}/{item.id}", False, line) for line in damage_text([item]).split("\n")]
            if item.table == "objectives":
                add_actions(by_obj.get(item.id, []))
        for horizon in Horizon:
            objs = [o for o in objectives if o.horizon is horizon]
            options.append(
                (f"h:{horizon.value}", True, Text(f"{HORIZON_TITLES[horizon]} ({len(objs)})", style="bold underline"))
            )
            for o in objs:
                acts = by_obj.get(o.id or -1, [])
                done = sum(1 for a in acts if a.done)
                t = Text(no_wrap=True, overflow="ellipsis")
                t.append("◆ ", style="cyan")
                t.append(clean(o.title), style="bold strike" if o.status is ObjectiveStatus.DONE else "bold")
                meta = [f"{done}/{len(acts)}"]
                if o.owner:
                    meta.append(clean(o.owner))
                if o.due:
                    meta.append(f"due {o.due.isoformat()}")
                if o.status is not ObjectiveStatus.OPEN:
                    meta.append(o.status.value.replace("_", " "))
                t.append("  " + " · ".join(meta), style="red" if o.status is ObjectiveStatus.AT_RISK else "dim")
                options.append((f"o:{o.id}", True, t))
                add_actions(acts)
            if not objs:
                options.append((f"e:{horizon.value}", False, Text("   (none: a adds one)", style="dim")))
        for _, _, text in options:
            text.no_wrap = True
            text.overflow = "ellipsis"
        return PlanState(
            {o.id: o for o in objectives if o.id is not None},
            {a.id: a for a in actions if a.id is not None},
            options,
            f"{total_done}/{total} done" + (f" · {overdue} overdue" if overdue else ""),
        )

    @staticmethod
    def _action_line(a: Action, today: dt.date) -> Text:
        late = a.is_overdue(today)
        line = Text("  ", no_wrap=True, overflow="ellipsis")
        line.append("[x] " if a.done else "[ ] ", style="green" if a.done else "bold")
        if not a.done and a.due:
            when = in_words(a.due, today)
            line.append(f"{when:<9}", style="bold red" if late else "yellow" if a.due == today else "dim")
        elif not a.done:
            line.append(f"{'-':<9}", style="dim")
        line.append(clean(a.text), style="dim strike" if a.done else "bold" if late else "")
        if a.done and a.done_at:
            line.append(f"  done {a.done_at.isoformat()} by {clean(a.done_by) or '?'}", style="dim")
        elif a.owner:
            line.append(f"  {clean(a.owner)}", style="dim")
        return line

    # ---------------------------------------------------------------- actions
    def action_toggle_done(self) -> None:
        item = self.current()
        if isinstance(item, Action):
            self.kam.write(lambda: self.kam.portfolio.toggle_action(item)[1], focus=("plan", f"a:{item.id}"))

    def _horizon_at_cursor(self) -> Horizon:
        item = self.current()
        if isinstance(item, Objective):
            return item.horizon
        if isinstance(item, Action):
            o = self.objectives.get(item.objective_id)
            return o.horizon if o else Horizon.SHORT
        key = self.current_key() or ""
        if key[:2] in ("h:", "e:"):
            return Horizon(key[2:])
        return Horizon.SHORT

    def action_add(self) -> None:
        item = self.current()
        if isinstance(item, Objective) and item.id is not None:
            self.app.push_screen(self._action_form(None, item.id))
        elif isinstance(item, Action):
            self.app.push_screen(self._action_form(None, item.objective_id))
        else:
            self.action_add_objective()

    def action_add_objective(self) -> None:
        if self.account_id is not None:
            self.app.push_screen(self._objective_form(None, self._horizon_at_cursor()))

    def action_edit(self) -> None:
        item = self.current()
        if isinstance(item, Objective):
            self.app.push_screen(self._objective_form(item, item.horizon))
        elif isinstance(item, Action):
            self.app.push_screen(self._action_form(item, item.objective_id))

    def action_delete(self) -> None:
        item = self.current()
        if item is None:
            return
        if isinstance(item, Objective):
            n = sum(1 for a in self.actions.values() if a.objective_id == item.id)
            question = f"Delete objective {clean(item.title)}" + (f" and its {n} action(s)?" if n else "?")
        else:
            question = f"Delete action {clean(item.text)}?"

        def answer(yes: bool | None) -> None:
            if yes:
                self.kam.write(lambda: self.kam.portfolio.delete(item), focus=("plan", None))

        self.app.push_screen(ConfirmScreen(question), answer)

    def action_undo(self) -> None:
        self.kam.action_undo()

    def _objective_form(self, o: Objective | None, horizon: Horizon) -> FormScreen:
        today = self.kam.today
        account_id = self.account_id
        assert account_id is not None
        fields = [
            FormField("title", "Objective", value=o.title if o else ""),
            FormField(
                "horizon",
                "Horizon",
                "select",
                (o.horizon if o else horizon).value,
                [(h.value, h.value) for h in Horizon],
            ),
            FormField("owner", "Owner", value=o.owner if o else self.kam.user),
            FormField("due", "Due (YYYY-MM-DD, +30d, +3m)", "date", o.due.isoformat() if o and o.due else ""),
            FormField(
                "status",
                "Status",
                "select",
                (o.status if o else ObjectiveStatus.OPEN).value,
                [(s.value.replace("_", " "), s.value) for s in ObjectiveStatus],
            ),
        ]

        def build(v: dict[str, Any]) -> Objective:
            return Objective(
                account_id=account_id,
                title=v["title"],
                horizon=v["horizon"],
                owner=v["owner"],
                due=parse_date_input(v["due"], today, "due"),
                status=v["status"],
                id=o.id if o else None,
            )

        def save(new: Objective) -> Any:
            saved, change = self.kam.portfolio.save(new, o)
            return self.kam.record(change, focus=("plan", f"o:{saved.id}"))

        return FormScreen("Edit objective" if o else "Add objective", fields, build, save)

    def _action_form(self, a: Action | None, objective_id: int) -> FormScreen:
        today = self.kam.today
        account_id = self.account_id
        assert account_id is not None
        obj = self.objectives.get(objective_id)
        fields = [
            FormField("text", "Action", value=a.text if a else ""),
            FormField("owner", "Owner", value=a.owner if a else self.kam.user),
            FormField("due", "Due (YYYY-MM-DD, +7d, +2w)", "date", a.due.isoformat() if a and a.due else ""),
        ]

        def build(v: dict[str, Any]) -> Action:
            return Action(
                account_id=account_id,
                objective_id=objective_id,
                text=v["text"],
                owner=v["owner"],
                due=parse_date_input(v["due"], today, "due"),
                done=a.done if a else False,
                done_at=a.done_at if a else None,
                done_by=a.done_by if a else "",
                id=a.id if a else None,
            )

        def save(new: Action) -> Any:
            saved, change = self.kam.portfolio.save(new, a)
            return self.kam.record(change, focus=("plan", f"a:{saved.id}"))

        title = ("Edit action" if a else "Add action") + (f" under: {clean(obj.title)}" if obj else "")
        return FormScreen(title, fields, build, save)


# -------------------------------------------------------------------- reviews
class ReviewPane(LineView, Pane, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", "Review", tooltip="Record a review; the next due date moves by the cadence"),
        Binding("c", "cadence", "Cadence", tooltip="Edit the review cadence (preset or RRULE)"),
        Binding("j,down", "scroll_down", "Scroll down", show=False),
        Binding("k,up", "scroll_up", "Scroll up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]
    DEFAULT_CSS = """
    ReviewPane { height: 10; border: round $primary 50%; border-title-color: $text; padding: 0 1; }
    ReviewPane:focus { border: round $border; }
    """
    HISTORY_WIDTH = 32
    SIDE_BY_SIDE_FROM = 68  # content width: narrower, the history goes under the cadence

    def __init__(self) -> None:
        super().__init__(id="reviews")
        self.border_title = "Reviews"
        self._body = Text()
        self._history = Text()

    def load(self, account_id: int | None) -> tuple[Text, Text, str]:
        p = self.kam.portfolio
        acc = p.account(account_id) if account_id is not None else None
        if acc is None:
            broken = damaged(p, "accounts", account_id, 0) if account_id is not None else []
            return damage_text(broken), Text(), ""
        reviews = p.reviews(acc.id)  # type: ignore[arg-type]
        body = self.render_cadence(acc, reviews, self.kam.today, self.kam.thresholds)
        broken = damaged(p, "reviews", acc.id, len(reviews))  # type: ignore[arg-type]
        if broken:
            body = Text("\n").join([damage_text(broken), body])
        return (body, self.render_history(reviews), f"{len(reviews)} review{'' if len(reviews) == 1 else 's'}")

    def lines_for(self, state: tuple[Text, Text, str], width: int) -> list[Strip]:
        body, history, _ = state
        return self.render_columns(body, history, width)

    def apply(self, state: tuple[Text, Text, str], lines: list[Strip] | None) -> None:
        self._body, self._history, subtitle = state
        if lines is None:
            self.rebuild()
        else:
            self.set_lines(lines, self.line_width)
        _set_subtitle(self, subtitle)

    def build(self, width: int) -> list[Strip]:
        return self.render_columns(self._body, self._history, width)

    def render_columns(self, body_text: Text, history_text: Text, width: int) -> list[Strip]:
        console = self.app.console
        if width >= self.SIDE_BY_SIDE_FROM:
            side = self.HISTORY_WIDTH
            body = text_lines(body_text, width - side - 1, console)
            history = text_lines(history_text, side, console)
            blank_body, blank_side = Strip.blank(width - side - 1), Strip.blank(side)
            return [
                Strip.join(
                    [
                        body[i] if i < len(body) else blank_body,
                        Strip.blank(1),
                        history[i] if i < len(history) else blank_side,
                    ]
                )
                for i in range(max(len(body), len(history)))
            ]
        history = text_lines(history_text, width, console)
        return text_lines(body_text, width, console) + ([Strip.blank(width), *history] if history else [])

    def action_scroll_down(self) -> None:
        self.scroll_to(y=self.scroll_offset.y + 1, animate=False, immediate=True)

    def action_scroll_up(self) -> None:
        self.scroll_to(y=self.scroll_offset.y - 1, animate=False, immediate=True)

    def action_page_down(self) -> None:
        self.scroll_to(y=self.scroll_offset.y + self.scrollable_content_region.height, animate=False, immediate=True)

    def action_page_up(self) -> None:
        self.scroll_to(y=self.scroll_offset.y - self.scrollable_content_region.height, animate=False, immediate=True)

    def action_scroll_home(self) -> None:
        self.scroll_to(y=0, animate=False, immediate=True)

    def action_scroll_end(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False, immediate=True)

    @staticmethod
    def render_cadence(
        acc: Account, reviews: list[Review], today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
    ) -> Text:
        out = Text()
        try:
            words = describe(acc.cadence)
            due = next_review(acc.cadence, acc.last_review, today) if acc.cadence else None
        except ValidationError as exc:
            words, due = f"invalid cadence: {exc}", None
        out.append("Cadence ", style="dim")
        out.append(words, style="bold")
        if acc.cadence and acc.cadence.upper().startswith(("FREQ", "RRULE")):
            out.append(f"\n        {clean(acc.cadence)}", style="dim")
        out.append("\nLast    ", style="dim")
        out.append(acc.last_review.isoformat() if acc.last_review else "never")
        if acc.last_review:
            out.append(f" ({(today - acc.last_review).days}d)", style="dim")
        out.append("\nNext    ", style="dim")
        if due is None:
            out.append("-" if not acc.cadence else "cadence ended")
        else:
            late = (today - due).days
            out.append(due.isoformat())
            out.append(
                f"  {in_words(due, today)}", style="bold red" if late > 0 else "bold yellow" if late == 0 else "green"
            )
        for risk in review_risks(acc, reviews, today, thresholds):
            out.append("\n▲ " if risk.severity >= 2 else "\n△ ", style="red" if risk.severity >= 2 else "yellow")
            out.append(clean(risk.message))
        if not reviews:
            out.append("\nNo reviews yet: press r to record one.", style="dim")
        elif reviews[-1].notes:
            out.append("\nNote    ", style="dim")
            out.append(clean(reviews[-1].notes), style="italic")
        return out

    @staticmethod
    def render_history(reviews: list[Review]) -> Text:
        out = Text(no_wrap=True, overflow="ellipsis")
        if not reviews:
            return out
        last = reviews[-12:]
        for label, attr in (
            ("engagement", "engagement"),
            ("loyalty", "loyalty"),
            ("satisfaction", "satisfaction"),
            ("health", "health"),
        ):
            values = [getattr(r, attr) for r in last]
            first, latest = values[0], values[-1]
            out.append(f"{label:<13}", style="dim")
            out.append(f"{sparkline(values, 1, 5):<12}", style="cyan")
            arrow = "▲" if latest > first else "▼" if latest < first else "▶"
            out.append(f" {latest} {arrow}\n", style="green" if latest > first else "red" if latest < first else "")
        out.append(f"{'':<13}", style="dim")
        out.append("eng loy sat hlth", style="dim")
        for r in reversed(last[-4:]):
            out.append(f"\n{r.date.isoformat():<13}")
            for v in (r.engagement, r.loyalty, r.satisfaction, r.health):
                out.append(f"{v:>3} ", style="green" if v >= 4 else "red" if v <= 2 else "")
        return out

    def action_review(self) -> None:
        acc = self.kam.portfolio.account(self.account_id) if self.account_id is not None else None
        if acc is None:
            return
        today = self.kam.today
        prev = self.kam.portfolio.reviews(acc.id)  # type: ignore[arg-type]
        base = prev[-1] if prev else None
        fields = [
            FormField("date", "Date (today, YYYY-MM-DD)", "date", today.isoformat()),
            FormField("engagement", "Engagement 1-5", "number", str(base.engagement) if base else "3"),
            FormField("loyalty", "Loyalty 1-5", "number", str(base.loyalty) if base else "3"),
            FormField("satisfaction", "Satisfaction 1-5", "number", str(base.satisfaction) if base else "3"),
            FormField("health", "Health 1-5", "number", str(base.health) if base else "3"),
            FormField("notes", "Notes", value=""),
        ]

        def build(v: dict[str, Any]) -> Review:
            assert acc.id is not None
            return Review(
                account_id=acc.id,
                date=parse_date_input(v["date"], today, "date") or today,
                reviewer=self.kam.user,
                engagement=v["engagement"],
                loyalty=v["loyalty"],
                satisfaction=v["satisfaction"],
                health=v["health"],
                notes=v["notes"],
            )

        def preview(v: dict[str, Any]) -> str:
            if not acc.cadence:
                return "no cadence: set one with c to schedule the next review"
            day = parse_date_input(v["date"], today, "date") or today
            nxt = next_review(acc.cadence, day, today)
            return f"next review after saving: {nxt.isoformat() if nxt else '-'} ({describe(acc.cadence)})"

        def save(r: Review) -> Any:
            return self.kam.record(self.kam.portfolio.record_review(r), focus=("reviews", None))

        self.app.push_screen(FormScreen(f"Review {clean(acc.name)}", fields, build, save, preview))

    def action_cadence(self) -> None:
        acc = self.kam.portfolio.account(self.account_id) if self.account_id is not None else None
        if acc is None:
            return
        today = self.kam.today
        fields = [
            FormField(
                "cadence",
                "Cadence: weekly, biweekly, monthly, quarterly or an RRULE (empty: none)",
                value=acc.cadence,
                placeholder="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
            ),
        ]

        def build(v: dict[str, Any]) -> Account:
            return Account.from_doc({**acc.to_doc(), "cadence": v["cadence"]}, acc.id)

        def preview(v: dict[str, Any]) -> str:
            text = v["cadence"].strip()
            if not text:
                return "no cadence: this account will not come up for review"
            c = parse_cadence(text)
            start = acc.last_review or today
            dates = c.occurrences(start, 3)
            return f"{c.describe()}; next three from {start.isoformat()}: " + ", ".join(d.isoformat() for d in dates)

        def save(new: Account) -> Any:
            return self.kam.record(self.kam.portfolio.save(new, acc, "change cadence")[1], focus=("reviews", None))

        self.app.push_screen(FormScreen(f"Review cadence of {clean(acc.name)}", fields, build, save, preview))
