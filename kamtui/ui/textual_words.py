"""Textual's own words that reach the screen, in the user's language (issue 15): its palette's
system commands (Theme, Quit, Keys, Screenshot...), the palette's and the theme picker's
placeholders, the notice ctrl+c gives and the screenshot's notices. Public API only: each is
Textual's method said again with the words through the catalog."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from typing import Any

from textual import events
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen
from textual.theme import ThemeProvider

from kamtui.i18n import N_, _

SCREENSHOT = "kamtui-screenshot"  # the name kamtui's screenshots are delivered under

# Textual's words that its palette's system commands show (App.get_system_commands), said
# through _() below: marked here for the catalog.
SYSTEM_WORDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Hide the keys and widget help panel"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


class TextualWords(App[None]):
    """The app's base: Textual's words said in the user's language (see the module docstring)."""

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Textual's commands of the palette (theme, quit, keys, screenshot...), in the user's
        language: their titles and help are Textual's English, listed in SYSTEM_WORDS."""
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":  # its notices in the user's language (see below)
                command = command._replace(callback=lambda: self.set_timer(0.1, self.screenshot_in_words))
            yield command._replace(title=_(command.title), help=_(command.help))

    def screenshot_in_words(self) -> None:
        """Textual's screenshot command, delivered under kamtui's own name so that the notice
        that it was saved (or not) is said in the user's language (Textual's says it in English)."""
        name = f"{self.title}_{dt.datetime.now():%Y-%m-%dT%H_%M_%S}.svg"
        self.deliver_text(
            io.StringIO(self.export_screenshot()),
            save_filename=name,
            open_method="browser",
            mime_type="image/svg+xml",
            name=SCREENSHOT,
        )

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        if event.name == SCREENSHOT:
            where = _("Saved screenshot to {path}").format(path=event.path) if event.path else _("Saved screenshot")
            self.notify(where, title=_("Screenshot"), markup=False)

    def on_delivery_failed(self, event: events.DeliveryFailed) -> None:
        if event.name == SCREENSHOT:
            self.notify(_("Failed to save screenshot"), title=_("Screenshot"), severity="error", markup=False)

    def action_change_theme(self) -> None:
        """Textual's theme picker, with its placeholder in the user's language."""
        self.push_screen(CommandPalette(providers=[ThemeProvider], placeholder=_("Search for themes…")))

    def action_command_palette(self) -> None:
        """Textual's, with its placeholder in the user's language."""
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def action_help_quit(self) -> None:
        """ctrl+c, which no longer quits (Textual's words, in the user's language)."""
        for key, active in self.active_bindings.items():
            if active.binding.action in ("quit", "app.quit"):
                self.notify(
                    _("Press {key} to quit the app").format(key=key),
                    title=_("Do you want to quit?"),
                    markup=False,
                )
                return
