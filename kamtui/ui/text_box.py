"""A text box whose editing keys act in the order they were typed.

Textual's Input inserts a printable key as it handles it, but its other keys (backspace, the
arrows, ctrl+u, ctrl+w, home, end...) are bindings, run only once the key has bubbled up to the
app, after the keys queued behind it have been handled. Typed in one burst (a fast typist, a
paste, keys bunched up over SSH): `abc⌫⌫d` gave `ab`, not `ad`, and `ctrl+u zoe` cleared the
`zoe` typed after it. Here the box runs its own bindings when it handles the key, in turn.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

from kamtui.ui.compat import own_action


class TextBox(Input):
    """An Input that runs its own key bindings in the order the keys were typed (see above)."""

    async def on_key(self, event: events.Key) -> None:
        action = own_action(self, event.key)
        if action is None or event.is_printable:
            return  # a character (Input inserts it, in turn), or a key that is not the box's
        event.stop()
        event.prevent_default()
        await self.run_action(action)
