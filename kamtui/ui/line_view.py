"""The line-view engine the panes draw with: pre-rendered lines of exactly the view's width,
repainted only where they differ, in a view whose size comes from CSS (new content never
needs a layout pass), and the cursor views built on it.

Stored text reaches here as ``rich.text.Text``: never markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len, get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from kamtui.i18n import N_
from kamtui.ui.compat import Edges

if TYPE_CHECKING:
    from rich.console import Console
    from textual.filter import LineFilter


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
        self._frame: tuple[int, int] | None = None  # (line width, top line) while render_lines runs
        self._edges = Edges()
        self._held: Region | None = None  # the content area, held while a pane shows an account

    @property
    def allow_vertical_scroll(self) -> bool:
        return self.max_scroll_y > 0 and not (self.disabled or self.loading)

    @property
    def content_area(self) -> Region:
        """Where the lines are drawn (``scrollable_content_region``: a look-up of the view's place
        on the screen), or the one held by :meth:`hold_area`."""
        return self.scrollable_content_region if self._held is None else self._held

    def hold_area(self, hold: bool) -> None:
        """Read the content area once and answer with it until released (``hold`` False): while
        a pane shows an account, which moves nothing on the screen, it is asked for ~5 times."""
        self._held = self.scrollable_content_region if hold else None

    @property
    def line_width(self) -> int:
        return self.content_area.width

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
        top, height = self.scroll_offset.y, self.content_area.height
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
        limit = max(0, height - self.content_area.height)
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

    def ensure_built(self, width: int | None = None) -> None:
        """Build the lines now if they were built for another width, or never: a view whose
        container the layout shows again gets no Resize of its own, and would draw lines cut
        for its old width (or none, if it was hidden from the start)."""
        if width is None:
            width = self.line_width
        if width > 0 and width != self._built_width:
            self._lines = self.build(width)
            self._built_width = width
            self._set_virtual(width, len(self._lines))

    def render_lines(self, crop: Region) -> list[Strip]:
        """Textual asks ``render_line`` for each line of ``crop`` in turn, all at one width and
        scroll position: both (each a look-up of the view's place on the screen) are read once
        here, not for every line."""
        self._frame = (self.line_width, self.scroll_offset.y)
        try:
            return self._edges.render(self, crop, super().render_lines, self.style_generation)
        finally:
            self._frame = None

    def get_line_filters(self) -> Sequence[LineFilter]:
        return () if self._edges.calibrating else super().get_line_filters()

    def frame(self) -> tuple[int, int]:
        """The line width and the index of the top line shown."""
        return self._frame or (self.line_width, self.scroll_offset.y)

    def render_line(self, y: int) -> Strip:
        width, top = self.frame()
        self.ensure_built(width)
        return self.plain_line(top + y, width)

    def make_ahead(self, lines: list[Strip]) -> None:
        """Lines about to be shown (another account's, prepared ahead): style them and make
        their rows as drawing will, now, so that drawing them is a look-up."""
        base = self.base_style()
        self._edges.make_ahead(self, [line.apply_style(base) for line in lines], self.style_generation)

    def plain_line(self, index: int, width: int) -> Strip:
        """Line ``index`` of the content (blank past its end), without a cursor."""
        base = self.base_style()
        if 0 <= index < len(self._lines):
            return self._lines[index].apply_style(base)
        return Strip.blank(width, base)


class CursorView(LineView, can_focus=True):
    """A LineView whose selectable lines (``targets``) carry a cursor, moved by keys or a click."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", N_("Down"), show=False, id="cursor-down"),
        Binding("k,up", "cursor_up", N_("Up"), show=False, id="cursor-up"),
        Binding("home", "first", N_("First"), show=False, id="first"),
        Binding("end", "last", N_("Last"), show=False, id="last"),
        Binding("pagedown", "page_down", N_("Page down"), show=False, id="page-down"),
        Binding("pageup", "page_up", N_("Page up"), show=False, id="page-up"),
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
        # The cursor's line as last drawn: (line, cursor style, base style, span, drawn).
        self._cursor_drawn: tuple[Strip, Style, Style, tuple[int, int] | None, Strip] | None = None

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
        width, top = self.frame()
        self.ensure_built(width)
        index = top + y
        if index != self.cursor_line or index >= len(self._lines):
            return self.plain_line(index, width)
        return self.cursor_strip(self._lines[index], width)

    def cursor_strip(self, line: Strip, width: int, span: tuple[int, int] | None = None) -> Strip:
        """``line`` under the cursor (only the cells of ``span``, if given); the same strip while
        nothing it is made of changes, so that drawing it again is a look-up."""
        cursor, base = self.cursor_style(), self.base_style()
        kept = self._cursor_drawn
        if kept is not None and kept[0] is line and kept[1] is cursor and kept[2] is base and kept[3] == span:
            return kept[4]
        if span is None:
            segments = [Segment(t, (s or Style()) + cursor) for t, s, _ in line]
        else:
            x0, x1 = span
            segments = [
                *line.crop(0, x0),
                *(Segment(t, (s or Style()) + cursor) for t, s, _ in line.crop(x0, x1)),
                *line.crop(x1, width),
            ]
        strip = Strip(segments, width).apply_style(base)
        self._cursor_drawn = (line, cursor, base, span, strip)
        return strip

    def move_to(self, index: int) -> None:
        """Put the cursor on item ``index`` (clamped), scrolled into view, repainting two lines."""
        old_line = self.cursor_line
        self.cursor = max(0, min(index, len(self.targets) - 1)) if self.targets else 0
        line = self.cursor_line
        if line is None or line == old_line:
            return
        top, height = self.scroll_offset.y, self.content_area.height
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
        top, height = self.scroll_offset.y, self.content_area.height
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
        return max(1, self.content_area.height - 1)

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


class PaneList(CursorView):
    """A pane's list in its rounded box (the plan, the business, the opportunities): the title
    on the border, `g` / `G` to the first and last line."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("g", "first", N_("First"), show=False, id="first"),
        Binding("G", "last", N_("Last"), show=False, id="last"),
    ]
    DEFAULT_CSS = """
    PaneList { height: 1fr; border: round $primary 50%; border-title-color: $text; }
    PaneList:focus { border: round $border; }
    """

    def __init__(self, *, id: str, title: str) -> None:
        super().__init__(id=id)
        self.border_title = title
