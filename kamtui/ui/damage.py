"""Stored documents the domain refuses (written into the file by another program): the screens
leave them out of what they read and say where each would show that it is damaged and why.

The store refuses such documents on the way in, so they can only come from outside; ``kamtui
check`` lists them all. A screen must still show the rest of the account, never crash on them.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from kamtui.domain.errors import ValidationError
from kamtui.domain.model import ENTITIES
from kamtui.domain.text import clean
from kamtui.i18n import _
from kamtui.store.portfolio import Portfolio


@dataclass(frozen=True, slots=True)
class Damaged:
    """A document that does not load, named as `kamtui check` names it ("stakeholders/123")."""

    table: str
    id: int
    reason: str  # the domain's, naming the field: "name: must not contain a NUL character"


def damaged(portfolio: Portfolio, table: str, account_id: int, loaded: int) -> list[Damaged]:
    """The documents of ``table`` belonging to the account (for "accounts", the account itself)
    that do not load, given that ``loaded`` of them did: nothing to look at when all did."""
    store = portfolio.store
    if table == "accounts":
        doc = store.get("accounts", account_id)
        pairs = [] if doc is None else [(account_id, doc)]
    else:
        pairs = store.children(table, account_id)
    if len(pairs) <= loaded:
        return []
    cls = ENTITIES[table]
    out: list[Damaged] = []
    for doc_id, doc in pairs:
        try:
            Portfolio.entity(portfolio, cls, doc_id, doc)  # the strict reader: what is wrong
        except ValidationError as exc:
            out.append(Damaged(table, doc_id, str(exc)))
        except TypeError as exc:
            out.append(Damaged(table, doc_id, _("missing or unexpected field ({error})").format(error=exc)))
    return out


def damage_text(items: list[Damaged]) -> Text:
    """Two lines per damaged document (which one, then what is wrong), shown as data: cleaned,
    never markup."""
    out = Text()
    for i, item in enumerate(items):
        if i:
            out.append("\n")
        out.append("✗ ", style="bold red")
        out.append(_("{record} is damaged:").format(record=f"{item.table}/{item.id}"), style="red")
        out.append(f"\n  {clean(item.reason)}")
    return out
