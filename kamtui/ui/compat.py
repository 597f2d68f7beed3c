"""Every use of a private Textual API, behind one door.

kamtui pins Textual to the range its suite runs on (``textual>=8.2,<9`` in pyproject.toml).
Inside that range these private members keep a cursor move or a filter keystroke to one frame
with no layout pass; each is wrapped here, once, and ``tests/test_ui_compat.py`` checks that
every one still exists with the signature used here, so the day a Textual release renames or
changes one, that test fails (rather than a pane going stale, or a move costing two frames).

Nothing else in ``kamtui`` calls a private Textual member.
"""

from __future__ import annotations

from textual.content import Content
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input

# The private members used below, by owner: the compat test checks each one's signature.
PRIVATE: dict[str, tuple[type, str, tuple[str, ...]]] = {
    "check_refresh": (Widget, "_check_refresh", ("self",)),
    "scroll_update": (Widget, "_scroll_update", ("self", "virtual_size")),
    "watch_value": (Input, "_watch_value", ("self", "value")),
}
# Private attributes read or written below, by owner: tests/test_ui_draw_less.py checks that
# each is still there and still means what it is used for here.
PRIVATE_ATTRIBUTES: dict[str, tuple[type, str]] = {
    "border_subtitle": (Widget, "_border_subtitle"),  # the Content the bottom border shows
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
    styles = widget.styles
    if any(styles.gutter) or any(edge not in INVISIBLE_EDGES for edge, _ in styles.outline):
        return False
    if styles.tint.a or styles.text_opacity != 1.0 or widget.opacity != 1.0:
        return False
    if styles.has_rule("hatch") and styles.hatch != "none":
        return False
    hover = widget.hover_style
    return not (widget.auto_links and hover.link_id and "@click" in hover.meta)


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


def scroll_update(widget: Widget, virtual_size: Size) -> None:
    """Show, hide and size the scrollbars for a new virtual size (``Widget._scroll_update``):
    what a layout pass would do for them, without the layout pass."""
    widget._scroll_update(virtual_size)


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
