"""Whose accounts on screen: what `m` says when $USER owns none, Today's line of owners and
the `o` picker. Who the owners are, and how one is compared and named, is
:mod:`kamtui.domain.owners`'s (the command line says the same).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from kamtui.domain.owners import NAMED, Owner, owner_key
from kamtui.domain.text import clean
from kamtui.i18n import N_, _, ngettext
from kamtui.ui.everywhere import everywhere_bindings, help_binding
from kamtui.ui.footer import FittingFooter


def nobody_message(user: str, found: list[Owner]) -> str:
    """What `m` says when the user owns no account: who does."""
    you = clean(user) or "?"
    if not found:
        return _("You ({user}) own no account: there are no accounts yet (a on the account list adds one).").format(
            user=you
        )
    named = ", ".join(f"{o.label} ({o.accounts})" for o in found[:NAMED])
    if len(found) > NAMED:
        more = len(found) - NAMED
        return ngettext(
            "You ({user}) own no account. Owners: {owners} and {n} more. o shows anyone's.",
            "You ({user}) own no account. Owners: {owners} and {n} more. o shows anyone's.",
            more,
        ).format(user=you, owners=named, n=more)
    return _("You ({user}) own no account. Owners: {owners}. o shows anyone's.").format(user=you, owners=named)


def queue_line(found: list[Owner], selected: str | None) -> Text:
    """Today's counts per owner, the owner shown (if any) in bold."""
    line = Text(_("by owner") + "  ", style="dim", no_wrap=True, overflow="ellipsis")
    listed = [o for o in sorted(found, key=lambda o: (-o.queue, o.key == "", o.key)) if o.queue]
    if not listed:
        line.append(_("nothing due for anyone"), style="dim")
    for i, o in enumerate(listed):
        if i:
            line.append(" · ", style="dim")
        line.append(f"{o.label} {o.queue}", style="bold reverse" if o.key == selected else "")
    line.append("   " + _("o picks one"), style="dim")
    return line


@dataclass(frozen=True)
class Pick:
    """The picker's answer: an owner's key, or None for everyone."""

    owner: str | None


class OwnerPicker(ModalScreen[Pick | None]):
    """Choose whose accounts to show: everyone, or one owner (with their accounts and queue)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", N_("Close"), id="owners-close"),
        Binding("j", "list('cursor_down')", N_("Down"), show=False, id="cursor-down"),
        Binding("k", "list('cursor_up')", N_("Up"), show=False, id="cursor-up"),
        help_binding(show=True),
        *everywhere_bindings(),
    ]
    DEFAULT_CSS = """
    OwnerPicker { align: center middle; }
    OwnerPicker #owners { width: 60; max-width: 100%; height: auto; max-height: 90%; border: thick $primary;
        background: $surface; padding: 0 1; }
    OwnerPicker #owners-title { text-style: bold; padding-bottom: 1; }
    OwnerPicker OptionList { height: auto; max-height: 20; border: none; padding: 0; }
    """

    def __init__(self, found: list[Owner], current: str | None, user: str) -> None:
        super().__init__()
        self.found = found
        self.current = current
        self.user = owner_key(user)

    def compose(self) -> ComposeResult:
        total = sum(o.accounts for o in self.found)
        queue = sum(o.queue for o in self.found)
        everyone = _("Everyone · {accounts} · {queue} today").format(accounts=_accounts(total), queue=queue)
        options = [Option(Text(everyone), id="everyone")]
        for i, o in enumerate(self.found):
            line = Text(o.label, style="bold")
            if o.key == self.user:
                line.append(" " + _("(you)"))
            counts = _("{accounts} · {queue} today").format(accounts=_accounts(o.accounts), queue=o.queue)
            line.append(f" · {counts}")
            options.append(Option(line, id=f"owner:{i}"))
        with Vertical(id="owners"):
            yield Static(_("Whose accounts? enter shows them · esc closes"), id="owners-title", markup=False)
            yield OptionList(*options)
        yield FittingFooter()  # its own keys, over those of the screen below

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        keys = [o.key for o in self.found]
        ol.highlighted = 0 if self.current not in keys else keys.index(self.current) + 1
        ol.focus()

    def action_list(self, action: str) -> None:
        getattr(self.query_one(OptionList), f"action_{action}")()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        oid = event.option.id or ""
        self.dismiss(Pick(None) if oid == "everyone" else Pick(self.found[int(oid.split(":")[1])].key))


def _accounts(n: int) -> str:
    return ngettext("{n} account", "{n} accounts", n).format(n=n)
