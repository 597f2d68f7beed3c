"""Every use of a private Textual API, behind one door.

kamtui pins Textual to the range its suite runs on (``textual>=8.2,<9`` in pyproject.toml).
Inside that range these private members keep a cursor move or a filter keystroke to one frame
with no layout pass; each is wrapped here, once, and ``tests/test_ui_compat.py`` checks that
every one still exists with the signature used here, so the day a Textual release renames or
changes one, that test fails (rather than a pane going stale, or a move costing two frames).

Nothing else in ``kamtui`` calls a private Textual member.

Here too are the places where kamtui draws rows the way Textual would (:func:`render_plain`,
:class:`Edges`): what a cursor move costs is mostly Textual drawing rows again, one by one, that
kamtui has ready. Each is used only while the widget's styles leave Textual nothing else to add,
and ``tests/test_ui_draw_less.py`` compares what each draws with Textual's own drawing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from rich.segment import Segment
from textual.app import App
from textual.color import Color
from textual.content import Content
from textual.filter import LineFilter
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import WorkerFailed

# The private members used below, by owner: the compat test checks each one's signature.
PRIVATE: dict[str, tuple[type, str, tuple[str, ...]]] = {
    "check_refresh": (Widget, "_check_refresh", ("self",)),
    "scroll_update": (Widget, "_scroll_update", ("self", "virtual_size")),
    "watch_value": (Input, "_watch_value", ("self", "value")),
    "handle_exception": (App, "_handle_exception", ("self", "error")),
}
# Private attributes read or written below, by owner: tests/test_ui_draw_less.py checks that
# each is still there and still means what it is used for here.
PRIVATE_ATTRIBUTES: dict[str, tuple[type, str]] = {
    "border_title": (Widget, "_border_title"),  # the Content the top border shows
    "border_subtitle": (Widget, "_border_subtitle"),  # the Content the bottom border shows
    "closing": (Widget, "_closing"),  # the node is removed, or being removed (drop_closed_watchers)
    "bindings": (Widget, "_bindings"),  # the node's own bindings, keymap applied (own_action)
}


def check_refresh(widget: Widget) -> None:
    """Hand ``widget``'s pending repaint to its screen now (``Widget._check_refresh``), not when
    the widget is next idle: it then joins a frame another widget already asked for instead of
    taking one of its own a frame period (16 ms) later."""
    widget._check_refresh()


def set_border_subtitle(widget: Widget, text: str) -> None:
    """Put ``text`` (plain, never markup) on ``widget``'s bottom border, repainting that row alone.

    Textual's ``border_subtitle`` setter repaints the whole widget: every line of a pane is drawn
    again (its line cache dropped) when only its bottom row changed, and on a cursor move that is
    most of what drawing a pane costs. Here the subtitle is stored where the setter stores it
    (``Widget._border_subtitle``: the Content the border is drawn from, made as the setter makes
    it) and only the bottom border row is marked for a repaint. Without a bottom border, or
    before the widget has a size, the public setter does it all."""
    content = Content(text).expand_tabs(4).split()[0]
    old = widget._border_subtitle
    if old is not None and old.plain == content.plain:
        return
    width, height = widget.outer_size
    if not (widget.is_mounted and width and height) or widget.styles.border_bottom[0] in INVISIBLE_EDGES:
        widget.border_subtitle = content
        return
    widget._border_subtitle = content
    x, y = widget.content_offset  # refresh() takes regions relative to the content
    widget.refresh(Region(-x, height - 1 - y, width, 1))


INVISIBLE_EDGES = ("", "none", "hidden")


def plain_styles(widget: Widget) -> bool:
    """Nothing for Textual to add to the widget's lines: no border, padding, outline, hatch,
    tint or opacity, and no link under the mouse to highlight. Textual then draws each line as
    the widget's ``render_line`` returns it (through the app's line filters)."""
    return not any(widget.styles.gutter) and framed_plainly(widget)


def render_plain(widget: Widget, crop: Region) -> list[Strip]:
    """What ``Widget.render_lines`` returns for a widget with :func:`plain_styles` whose
    ``render_line`` returns lines of exactly its width, without Textual's line cache: each line
    through the app's line filters (a strip keeps what a filter made of it), cut to ``crop``.

    Textual draws a widget's lines again, one by one (a new strip for each, and each filtered
    again), whenever they are marked for a repaint; a list that scrolls by one row on a cursor
    move marks them all, though the rows themselves are ready-made and only shift."""
    background = widget.background_colors[1]
    filters = widget.get_line_filters()
    render_line = widget.render_line
    strips: list[Strip] = []
    for y in crop.line_range:
        strip = render_line(y)
        for line_filter in filters:
            strip = strip.apply_filter(line_filter, background)
        strips.append(strip)
    x1, x2 = crop.column_span
    if (x1, x2) != (0, widget.size.width):
        strips = [strip.crop(x1, x2) for strip in strips]
    return strips


class Look(NamedTuple):
    """What the rows of a framed widget are drawn with (all of it, for :class:`Edges`)."""

    generation: int  # changes whenever the widget's styles do
    width: int
    height: int
    first: int  # the content rows: first up to end
    end: int
    colours: tuple[Color, Color]  # Widget.background_colors: under the widget, the widget's
    filters: tuple[LineFilter, ...]
    left: object  # the side borders (type, colour)
    right: object
    padding: object

    @classmethod
    def of(cls, widget: Widget, generation: int) -> Look:
        width, height = widget.outer_size
        styles = widget.styles
        gutter = styles.gutter
        return cls(
            generation,
            width,
            height,
            gutter.top,
            height - gutter.bottom,
            widget.background_colors,
            tuple(widget.get_line_filters()),
            styles.border_left,
            styles.border_right,
            styles.padding,
        )


class Edges:
    """Draws a widget's content rows between its side borders and padding itself; the border and
    padding rows come from Textual.

    Textual draws each row of a widget again, one by one, whenever it is marked for a repaint:
    the widget's line, then its padding and side borders, a new strip, the line filters; ~40 us
    a row in a bordered pane, where a cursor move changes most rows of every pane. What Textual
    puts on either side of a content row depends on the widget's styles alone: it is taken once
    from a row Textual draws (unfiltered: ``calibrating`` tells the widget's ``get_line_filters``
    to return none) and put around each of the widget's lines here. A row whose line is the same
    strip as before, a border row with a title or subtitle it had before, and a line made ahead
    (:meth:`make_ahead`) are look-ups. Rows come out exactly as Textual draws them; if the row
    taken does not read as (left, the widget's line, right), Textual draws them all. Only while
    Textual adds nothing else (:func:`framed_plainly`)."""

    def __init__(self) -> None:
        self.look: Look | None = None
        self.sides: tuple[list[Segment], list[Segment]] | None = None  # None: Textual draws all
        self.rows: dict[int, tuple[Strip, Strip]] = {}  # row -> (the widget's line, the row drawn)
        self.edge_rows: dict[tuple[int, object], Strip] = {}  # (row, its title or subtitle) -> drawn
        self.ahead: dict[int, tuple[Strip, Strip]] = {}  # id(line) -> (line, its row), made ahead
        self.calibrating = False

    def render(
        self, widget: Widget, crop: Region, textual: Callable[[Region], list[Strip]], generation: int
    ) -> list[Strip]:
        """What ``textual(crop)`` (``Widget.render_lines``) returns."""
        if not framed_plainly(widget):
            self.look = None
            return textual(crop)
        look = Look.of(widget, generation)
        if look != self.look:
            self.look, self.sides = look, self._sides(widget, textual, look)
            self.rows.clear()
            self.edge_rows.clear()
            self.ahead.clear()
        if self.sides is None:
            return textual(crop)
        width, first, end = look.width, look.first, look.end
        render_line = widget.render_line
        rows, edge_rows, ahead = self.rows, self.edge_rows, self.ahead
        title, subtitle, last = widget._border_title, widget._border_subtitle, look.height - 1
        x1, x2 = crop.column_span
        cut = (x1, x2) != (0, width)
        out: list[Strip] = []
        for y in crop.line_range:
            if not first <= y < end:  # a border or padding row: Textual's, kept by what it says
                label = title if y == 0 else subtitle if y == last else None
                edge_key = (y, None if label is None else (label.plain, tuple(label.spans)))
                edge = edge_rows.get(edge_key)
                if edge is None:
                    if len(edge_rows) > 64:
                        edge_rows.clear()
                    edge = edge_rows[edge_key] = textual(Region(0, y, width, 1))[0]
                strip = edge
            else:
                line = render_line(y - first)
                kept = rows.get(y)
                if kept is None or kept[0] is not line:
                    kept = ahead.get(id(line))
                    if kept is None or kept[0] is not line:
                        kept = (line, self._row(line))
                    rows[y] = kept
                strip = kept[1]
            out.append(strip.crop(x1, x2) if cut else strip)
        return out

    def make_ahead(self, widget: Widget, lines: list[Strip], generation: int) -> None:
        """Make the rows of these lines (as the widget's ``render_line`` will return them) now,
        while the user reads: drawing them is then a look-up. Nothing unless the widget looks
        as when its sides were taken."""
        if self.sides is None or not framed_plainly(widget) or Look.of(widget, generation) != self.look:
            return
        if len(self.ahead) > 128:  # a few accounts' worth: only the next move's are wanted
            self.ahead.clear()
        for line in lines:
            self.ahead[id(line)] = (line, self._row(line))

    def _row(self, line: Strip) -> Strip:
        assert self.look is not None and self.sides is not None
        left, right = self.sides
        strip = Strip([*left, *line, *right], self.look.width)
        for line_filter in self.look.filters:
            strip = strip.apply_filter(line_filter, self.look.colours[1])
        return strip

    def _sides(
        self, widget: Widget, textual: Callable[[Region], list[Strip]], look: Look
    ) -> tuple[list[Segment], list[Segment]] | None:
        """What Textual puts on either side of a content row, or None (it draws otherwise)."""
        if look.end <= look.first or look.width <= 0:
            return None
        self.calibrating = True
        try:
            drawn = list(textual(Region(0, look.first, look.width, 1))[0])
        finally:
            self.calibrating = False
        line = list(widget.render_line(0))
        styles = widget.styles
        before = (styles.border_left[0] not in INVISIBLE_EDGES) + bool(styles.padding.left)
        after = (styles.border_right[0] not in INVISIBLE_EDGES) + bool(styles.padding.right)
        if len(drawn) != before + len(line) + after or drawn[before : before + len(line)] != line:
            return None
        return drawn[:before], drawn[len(drawn) - after :]


def framed_plainly(widget: Widget) -> bool:
    """Textual adds nothing to a content row of ``widget`` but its padding and side borders:
    no outline, tint, opacity, text opacity or hatch, and no link under the mouse."""
    styles = widget.styles
    if any(edge not in INVISIBLE_EDGES for edge, _ in styles.outline):
        return False
    if styles.tint.a or styles.text_opacity != 1.0 or widget.opacity != 1.0:
        return False
    if styles.has_rule("hatch") and styles.hatch != "none":
        return False
    hover = widget.hover_style
    return not (widget.auto_links and hover.link_id and "@click" in hover.meta)


def scroll_update(widget: Widget, virtual_size: Size) -> None:
    """Show, hide and size the scrollbars for a new virtual size (``Widget._scroll_update``):
    what a layout pass would do for them, without the layout pass."""
    widget._scroll_update(virtual_size)


def own_action(widget: Widget, key: str) -> str | None:
    """The action ``widget``'s own bindings (not its ancestors') give ``key``, or None. Textual
    keeps them, with the keymap applied, in ``DOMNode._bindings`` (a BindingsMap), and offers
    them only through the whole chain of the focused widget's ancestors."""
    bindings = widget._bindings.key_to_bindings.get(key)
    return bindings[0].action if bindings else None


class FixedSizeInput(Input):
    """An Input whose size never changes (one line, set by CSS). Input sets its scrollable size
    on every keystroke (``Input._watch_value``), which asks for a layout pass of the whole screen
    and a frame of its own; here the size is set first without one, so Input's own assignment
    is a no-op."""

    def _watch_value(self, value: str) -> None:
        size = Size(self.content_width, 1)
        if size != self.virtual_size:
            self.set_reactive(Input.virtual_size, size)
        super()._watch_value(value)


def thumb_eighths(bar: ScrollBar, position: float) -> int | None:
    """Where a vertical scrollbar draws its thumb for ``position``, in eighths of a cell, or None
    when it draws none: the arithmetic of ``ScrollBarRender.render_bar`` (copied: Textual does
    not expose it). Two positions with the same answer draw the same bar, so a list can skip the
    scrollbar's repaint (as costly as the list's) when its thumb does not move on screen."""
    size, virtual, window = bar.size.height, bar.window_virtual_size, bar.window_size
    if not (size and window and virtual > window and virtual != size):
        return None
    thumb = max(1.0, window / (virtual / size))
    return int((size - thumb) * (position / (virtual - window)) * 8)


def redraw_after_start_up(screen: Widget) -> None:
    """Draw every widget of ``screen`` in the next frame.

    Textual (8.2) runs the app's compose and mount inside a batch update; a screen pushed then
    has its first, full frame rendered inside that batch and dropped (``App._display`` returns
    while a batch is open), and its widgets count as drawn: one that does not change again (Today's
    title) stays blank until the next full frame, ~20 ms later. Public API only: each widget is
    marked for a repaint, so the next frame (after the batch) carries the whole screen."""
    for widget in screen.walk_children(with_self=True):
        widget.refresh()


# The class Textual's footer gives the command palette's key (docked at its right).
PALETTE_KEY_CLASS = "-command-palette"


def footer_key_action(widget: Widget) -> str:
    """The action a key of Textual's footer runs, unqualified ("help", not "app.help"); "" for
    any other widget. The key widget, ``FooterKey``, is in a private module."""
    from textual.widgets._footer import FooterKey

    return widget.action.rpartition(".")[2] if isinstance(widget, FooterKey) else ""


def translate_footer_key(widget: Widget, translate: Callable[[str], str]) -> None:
    """A key of Textual's footer, not yet mounted, says its description and tooltip through
    ``translate`` (the user's language); any other widget is left as it is. ``FooterKey`` is in a
    private module; its ``description`` (what ``render`` shows) and ``tooltip`` are public."""
    from textual.widgets._footer import FooterKey

    if not isinstance(widget, FooterKey):
        return
    if widget.description:
        widget.description = translate(widget.description)
    if isinstance(widget.tooltip, str) and widget.tooltip:
        widget.tooltip = translate(widget.tooltip)


# Where Textual keeps the watchers of a reactive value: on the watched object, an attribute of
# this very name (set with setattr, so not name-mangled), {attribute: [(watching node, callback)]}.
WATCHERS = "__watchers"


def drop_closed_watchers(watched: object) -> None:
    """Forget the watchers of ``watched`` whose node is closed (removed from the screen).

    ``data_bind`` and ``watch(other, ...)`` leave a (node, callback) pair on the *watched* object,
    and Textual (8.2) drops those of closed nodes only when the watched value next changes
    (textual#6666). Textual's footer binds every key it makes to its ``compact``, which never
    changes: each recomposition (every change of focus or of bindings) left its ~20 old keys alive,
    half a megabyte a keystroke, for as long as the footer lives. Closed is Textual's own test
    (``_closing``, as in ``Reactive._check_watchers``): a node not yet mounted keeps its watchers.
    """
    watchers = getattr(watched, WATCHERS, None)
    for entries in watchers.values() if isinstance(watchers, dict) else ():
        entries[:] = [entry for entry in entries if not getattr(entry[0], "_closing", False)]


def end_on(app: App[Any], kinds: tuple[type[Exception], ...], end: Callable[[Exception], None]) -> None:
    """Have ``app`` hand an exception of ``kinds`` that nothing caught, raised in a message
    handler or a worker (WorkerFailed), to ``end``, then exit with code 2, rather than print
    Textual's traceback and exit with code 1 (``App._handle_exception``, which both reach:
    wrapped for this app alone). The widget whose handler raised takes no more messages, as
    after any error; the app's own go on to its exit."""
    textuals = app._handle_exception

    def handle(error: Exception) -> None:
        found = error.error if isinstance(error, WorkerFailed) else error
        if not isinstance(found, kinds):
            textuals(error)
            return
        end(found)
        app.exit(return_code=2)

    setattr(app, "_handle_exception", handle)  # noqa: B010 - an instance's own, over the class's
