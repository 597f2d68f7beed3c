"""A list of ticks that reads without colour.

Textual's SelectionList draws every option's box as ``▐X▌`` and tells ticked from unticked by
colour alone: under ``NO_COLOR`` or on a monochrome terminal all boxes look ticked. Here an
unticked box is drawn empty (``▐ ▌``), through the public ``render_line`` only.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import Checkbox, SelectionList
from textual.widgets.option_list import OptionDoesNotExist


class TickList(SelectionList[str]):
    """A SelectionList whose unticked boxes are empty, so that the state reads without colour."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if option.value in self.selected:
            return strip
        segments = list(strip)
        # The box is the three segments SelectionList puts before the prompt: left, inner, right
        # (a Checkbox's glyphs). Drawn otherwise one day, the test of this module fails.
        if len(segments) > 2 and segments[1].text == Checkbox.BUTTON_INNER:
            segments[1] = Segment(" " * len(Checkbox.BUTTON_INNER), segments[1].style)
            return Strip(segments, strip.cell_length)
        return strip
