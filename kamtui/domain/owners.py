"""Whose accounts: the owners there are, and what to say when a name owns none.

An owner is compared by its key (trimmed, case-folded), as the queue's owner filter does
(:func:`kamtui.domain.queue.build_queue`); it is shown in the spelling most of its accounts
store (cleaned; see :func:`_spelling`), on every screen and on the command line alike. An
account without an owner belongs to "(no owner)", whose key is "". Pure: names in, owners and
words out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from kamtui.domain.text import clean
from kamtui.i18n import N_, _, ngettext

NO_OWNER = N_("(no owner)")  # marked: translated where shown
NAMED = 8  # owners named in a one-line message before "and N more"


def owner_key(name: str) -> str:
    return name.strip().casefold()


@dataclass(frozen=True)
class Owner:
    key: str  # what filters compare
    name: str  # what is shown
    accounts: int
    queue: int = 0  # items of their accounts in today's queue

    @property
    def label(self) -> str:
        return clean(self.name) or _(NO_OWNER)


def owners(account_owners: Iterable[str], queue: Mapping[str, int] | None = None) -> list[Owner]:
    """Every owner of an account (the stored names), most accounts first; with ``queue`` (items
    per owner key) each owner's count in today's queue."""
    spellings: dict[str, Counter[str]] = {}
    for name, n in Counter(account_owners).items():  # each spelling once (10,000 accounts, a few owners)
        spellings.setdefault(owner_key(name), Counter())[name.strip()] += n
    queue = queue or {}
    found = [Owner(key, _spelling(spelled), spelled.total(), queue.get(key, 0)) for key, spelled in spellings.items()]
    return sorted(found, key=lambda o: (-o.accounts, o.key == "", o.key))


def _spelling(spelled: Counter[str]) -> str:
    """The name shown for one owner: the spelling most of their accounts use; of those tied, one
    not in capitals, then the first in code point order ("Ana" of "ANA", "ana" and "Ana"). Never
    the order the accounts came in, which a store need not keep (a compaction can hold the newest
    accounts ahead of older ones)."""
    return min(spelled.items(), key=lambda kv: (-kv[1], kv[0].isupper(), kv[0]))[0]


def named_owners(found: list[Owner]) -> str:
    """``ana (12), ben (3), (no owner) (1)``: the first :data:`NAMED`, then "and N more"."""
    named = ", ".join(f"{o.label} ({o.accounts})" for o in found[:NAMED])
    if len(found) > NAMED:
        more = len(found) - NAMED
        return ngettext("{names} and {n} more", "{names} and {n} more", more).format(names=named, n=more)
    return named


def unknown_owner_message(asked: str, found: list[Owner]) -> str:
    """One line for an owner filter (``kamtui due --owner``) that no account's owner fits: who owns some."""
    if not owner_key(asked):
        if not found:
            return _("no account is without an owner: there are no accounts yet")
        return _("no account is without an owner; owners: {owners}").format(owners=named_owners(found))
    name = clean(asked.strip())[:60]
    if not found:
        return _("no account is owned by '{name}': there are no accounts yet").format(name=name)
    return _("no account is owned by '{name}'; owners: {owners}").format(name=name, owners=named_owners(found))
