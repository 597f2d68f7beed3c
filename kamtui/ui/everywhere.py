"""The app's keys that work on every screen, the dialogs over the others included.

Textual stops a modal screen's keys at the screen (``Screen._modal_binding_chain``): the app's
own bindings never see a key pressed in a dialog, the guided review's bar, the help or the brief.
A modal screen puts :func:`everywhere_bindings` among its own for them to work there, and for
`?` to list them; each binding has the app's id, so a key the config file gives it
(``toggle-theme = "f5"``) works there too.
"""

from __future__ import annotations

from textual.binding import Binding

from kamtui.i18n import N_


def help_binding(*, show: bool = False) -> Binding:
    """`?` on a modal screen whose keys are worth a list (the brief, the owner picker, the
    activity timeline, the import preview, the guided review's summary): the app's help, over
    that screen's keys, under the app's id (a remapped help key works there)."""
    return Binding("question_mark", "app.help", N_("Help"), show=show, id="help")


def everywhere_bindings() -> list[Binding]:
    """`T` light / dark (new Binding objects, not in the footer: `?` lists them)."""
    return [Binding("T", "app.toggle_theme", N_("Light/dark"), show=False, id="toggle-theme")]
