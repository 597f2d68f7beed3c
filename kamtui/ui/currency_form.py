"""The portfolio's currency, set from the command palette (issue 15): one choice, stored in the
data file for the whole team (kamtui.store.settings), undone with u like any change."""

from __future__ import annotations

from typing import Any

from kamtui.domain.formats import CURRENCIES, check_currency, portfolio_currency
from kamtui.i18n import _
from kamtui.store.settings import currency_ops
from kamtui.ui.forms import FormField, FormScreen
from kamtui.ui.session import Session


def currency_form(session: Session) -> FormScreen:
    """A form with one select: no currency, or one of :data:`CURRENCIES`."""
    options = [(_("None (amounts without a symbol)"), ""), *((code, code) for code in CURRENCIES)]
    fields = [FormField("currency", _("Currency of the portfolio (an account may set its own)"), "select",
                        portfolio_currency(), options)]  # fmt: skip

    def build(values: dict[str, Any]) -> str:
        return check_currency("currency", values["currency"])

    def save(code: str) -> Any:
        change = session.portfolio.commit(currency_ops(session.store, code), _("set the portfolio currency"))
        return session.record(change)

    return FormScreen(_("Portfolio currency"), fields, build, save, session=session)
