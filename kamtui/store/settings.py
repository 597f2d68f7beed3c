"""The portfolio's own settings, stored in the data file so that the whole team sees the same.

One document, id 1, in the ``settings`` table (a table of no entity: the store keeps it, the
journal and compaction carry it like any other, ``import-json``/``export`` round-trip it). Today
it holds the portfolio's currency (issue 15: ``{"currency": "EUR"}``), an ISO 4217 code that
amounts are shown in unless an account sets its own (``Account.currency``).

Whenever a store reads the file or a change arrives, :func:`install` hands the currency to
:mod:`kamtui.domain.formats`, so that every amount shown (TUI, CLI, exports) follows it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from kamtui.domain import formats
from kamtui.domain.errors import ValidationError
from kamtui.store.schema import InvalidDocument

if TYPE_CHECKING:
    from kamtui.store.documents import Documents
    from kamtui.store.store import Store
    from kamtui.store.transaction import Op

SETTINGS = "settings"
PORTFOLIO = 1  # the one document's id


def stored_currency(doc: Mapping[str, Any] | None) -> str:
    """The currency a settings document holds, ``""`` for none or one kamtui does not take."""
    if not isinstance(doc, Mapping):
        return ""
    try:
        return formats.check_currency("currency", doc.get("currency"))
    except ValidationError:
        return ""


def portfolio_currency(docs: Documents) -> str:
    """The portfolio's currency code as stored, ``""`` when none is set."""
    return stored_currency(docs.get(SETTINGS, PORTFOLIO))


def install(docs: Documents) -> None:
    """Show amounts in the currency of the portfolio ``docs`` holds (see the module's docstring)."""
    formats.set_portfolio_currency(stored_currency(docs.get(SETTINGS, PORTFOLIO)))


def currency_ops(docs: Documents, code: str) -> list[Op]:
    """The write that sets the portfolio's currency to ``code`` (``""``: none); no write when it
    is already so. Raises InvalidDocument, naming the field, for a code kamtui does not take."""
    from kamtui.store.transaction import Op

    try:
        code = formats.check_currency("currency", code)
    except ValidationError as exc:
        raise InvalidDocument(SETTINGS, PORTFOLIO, str(exc)) from None
    current = docs.get(SETTINGS, PORTFOLIO)
    if current is None:
        return [Op("insert", SETTINGS, PORTFOLIO, {"currency": code})] if code else []
    if current.get("currency") == code:
        return []
    return [Op("update", SETTINGS, PORTFOLIO, {"currency": code})]


def set_portfolio_currency(store: Store, code: str) -> str:
    """Set the portfolio's currency (``""``: none) for everyone who opens the file; returns the
    code stored. Raises InvalidDocument, naming the field, for a code kamtui does not take."""
    ops = currency_ops(store, code)
    if ops:
        store.commit(ops)
    install(store)
    return portfolio_currency(store)
