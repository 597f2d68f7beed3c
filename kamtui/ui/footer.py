"""The footer every screen shows: Textual's, showing only the keys that fit whole.

Textual's footer lays every key out on one line and lets the last ones run off the edge: at 80
columns the account panes' footer ended in ``b Brie`` or ``u Und``. Here the keys that do not fit
whole are hidden, last first; the help key (``?``, which lists them all) and the quit key are
the last to go.

Textual's footer makes its keys anew whenever the screen's bindings may have changed, ~20 widgets
each time, six times over while kamtui starts; this one does so only when the keys it would show
differ from those it shows.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from kamtui.i18n import _
from kamtui.ui.compat import PALETTE_KEY_CLASS as PALETTE
from kamtui.ui.compat import drop_closed_watchers, footer_key_action, translate_footer_key

KEEP = ("help", "quit")  # the actions whose keys show whatever else is hidden, most wanted first


def fitting(widths: Sequence[int], room: int, keep: Sequence[int] = ()) -> list[bool]:
    """Which of the keys (``widths`` in cells, in order) show in ``room`` cells: first those of
    ``keep`` (indexes, most wanted first) that fit, wherever they are, then the longest run of
    the others from the first that fits beside them. Pure, for the tests."""
    shown = [False] * len(widths)
    used = 0
    for i in keep:
        if 0 <= i < len(widths) and not shown[i] and used + widths[i] <= room:
            shown[i] = True
            used += widths[i]
    for i, width in enumerate(widths):
        if i in keep:
            continue
        if used + width > room:
            break
        shown[i] = True
        used += width
    return shown


MAX_WAITS = 5  # refreshes a fit waits for its keys' layout (two is the most seen)


class FittingFooter(Footer):
    """A footer whose keys that do not fit are hidden, not cut (see the module docstring), and
    that shows none while its screen is under another: a dialog without a footer of its own
    (a form, a question, the owner picker) left the keys of the screen below in sight, keys
    that do nothing while the dialog is open."""

    DEFAULT_CSS = """
    FittingFooter.-under > * { visibility: hidden; }
    """

    def __init__(self) -> None:
        super().__init__()
        self._widths: dict[Widget, int] = {}
        self._composed: object = None  # what the keys shown were made from (see _keys)
        self._waits = 0  # refreshes waited in a row for the keys to be laid out (see _fit)

    def _keys(self) -> object:
        """Everything Textual's ``compose`` makes the keys from: each shown binding with its key's
        display, description, action, state and tooltip; the palette's key; the footer's options."""
        app = self.app
        active = self.screen.active_bindings
        shown = tuple(
            (b.key, app.get_key_display(b), b.description, b.action, enabled, tooltip, b.group)
            for (_node, b, enabled, tooltip) in active.values()
            if b.show
        )
        palette = active.get(app.COMMAND_PALETTE_BINDING)
        palette_key = None
        if palette is not None and self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            _node, b, enabled, tooltip = palette
            palette_key = (b.key, app.get_key_display(b), b.description, b.action, enabled, tooltip, b.tooltip)
        return (shown, palette_key)

    def on_mount(self) -> None:
        self.app.screen_change_signal.subscribe(self, self._screen_changed)
        self._screen_changed(self.app.screen)

    def on_unmount(self) -> None:
        self.app.screen_change_signal.unsubscribe(self)

    def _screen_changed(self, top: Screen[object]) -> None:
        """Its keys show only while its screen is on top (they are hidden, not made anew); back on
        top, they are fitted to the width as it is now."""
        under = top is not self.screen
        self.set_class(under, "-under")
        if not under:
            self._fit_after_refresh()

    def compose(self) -> ComposeResult:
        # The keys read as Textual's compose reads them, in the same step. Its widgets are passed
        # on one by one, as made: a key yielded inside a group (`with KeyGroup`) stays in it.
        keys = self._keys() if self.is_attached else None
        made = False
        for widget in super().compose():
            made = True
            translate_footer_key(widget, _)  # bindings' words are marked N_ (class-level), said here
            yield widget
        self._composed = keys if made else None

    async def recompose(self) -> None:  # on every change of focus or of bindings
        if self._composed is not None and self.is_attached and self._keys() == self._composed:
            return  # the same keys: the ones shown stay
        await super().recompose()
        drop_closed_watchers(self)  # the old keys' (see compat): else each recomposition kept them
        self._widths.clear()
        self._fit_after_refresh()

    def on_resize(self) -> None:
        self._waits = 0
        self._fit()

    def _fit_after_refresh(self) -> None:
        self._waits = 0
        self.call_after_refresh(self._fit)

    def _wait_for_layout(self) -> None:
        """Fit again after the next refresh, a few times in a row at most: keys that are never
        laid out (a screen off the terminal) must not keep the app busy refreshing, forever. The
        next resize, recomposition or return to the top fits them."""
        if self._waits < MAX_WAITS:
            self._waits += 1
            self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        keys = [c for c in self.children if not c.has_class(PALETTE)]
        if not keys or not self.region.width or not self.screen.is_current:
            # Nothing to fit, or not on screen: its screen is under another (its keys, hidden,
            # have no place; the region it keeps is the one it had), fitted when back on top.
            return
        if any(k not in self._widths for k in keys):  # measured once, all shown and laid out
            if any(not k.display for k in keys):
                for k in keys:
                    k.display = True
                self._wait_for_layout()
                return
            left = self.region.x
            for k in keys:
                if k.region.width == 0:
                    self._wait_for_layout()  # not laid out yet
                    return
                right = k.region.right + k.styles.margin.right
                self._widths[k] = right - left
                left = right
        palette = sum(c.outer_size.width for c in self.children if c.has_class(PALETTE) and c.display)
        actions = [footer_key_action(k) for k in keys]
        keep = [actions.index(a) for a in KEEP if a in actions]
        shown = fitting([self._widths[k] for k in keys], self.size.width - palette, keep)
        for k, show in zip(keys, shown, strict=True):
            if k.display != show:
                k.display = show
