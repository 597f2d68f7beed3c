"""What an export is made of: one :class:`AccountPlan` per account, and choosing one by name.

The renderers (:mod:`kamtui.report.markdown`, :mod:`kamtui.report.csv_tables`,
:mod:`kamtui.report.ical`) are pure functions over these bundles of domain entities (no Rich,
no Textual, no files); :func:`load_plans` builds them from a portfolio. The JSON export and its
re-import live in :mod:`kamtui.store.exchange`.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from kamtui.domain.account_plan import AccountPlan as AccountPlan
from kamtui.domain.cadence import next_review
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Account
from kamtui.domain.text import clean
from kamtui.i18n import _, ngettext

if TYPE_CHECKING:
    from kamtui.store.portfolio import Portfolio


def load_plans(
    portfolio: Portfolio,
    today: dt.date,
    account_id: int | None = None,
    *,
    with_health: bool = True,
    with_interactions: bool = False,
) -> list[AccountPlan]:
    """The plans of every account (or one), by name.

    Raises ValidationError or TypeError for a document the domain refuses (`kamtui check`).
    """
    from kamtui.store.portfolio import account_plan

    if account_id is None:
        accounts = list(portfolio.accounts())
    else:
        one = portfolio.account(account_id)
        accounts = [] if one is None else [one]
    accounts.sort(key=lambda a: (a.name.casefold(), a.id or 0))
    return [
        account_plan(portfolio, a, today, with_health=with_health, with_interactions=with_interactions)
        for a in accounts
    ]


# ------------------------------------------------------------------------ choosing one


def select_account(accounts: Iterable[Account], query: str) -> Account:
    """The account named ``query`` exactly, else the one whose name starts with it (any case).

    Raises LookupError with a one-line message naming the candidates when none or several fit.
    """
    pool = list(accounts)
    exact = [a for a in pool if a.name == query]
    if len(exact) == 1:
        return exact[0]
    if len(exact) > 1:
        raise LookupError(
            _("{n} accounts are named {name}: {names}").format(
                n=len(exact), name=_quote(query), names=_names(exact, with_id=True)
            )
        )
    want = query.casefold()
    matches = [a for a in pool if a.name.casefold() == want] or [a for a in pool if a.name.casefold().startswith(want)]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise LookupError(
            _("{name} fits {n} accounts: {names}; give more of the name").format(
                name=_quote(query), n=len(matches), names=_names(matches)
            )
        )
    close = difflib.get_close_matches(query, [a.name for a in pool], n=5, cutoff=0.6)
    if close:
        raise LookupError(
            _("no account named {name}; did you mean {names}?").format(
                name=_quote(query), names=", ".join(_quote(n) for n in close)
            )
        )
    raise LookupError(_("no account named {name}").format(name=_quote(query)))


def _quote(name: str) -> str:
    return f"'{clean(name)[:60]}'"


def _names(accounts: Sequence[Account], *, with_id: bool = False, limit: int = 8) -> str:
    shown = sorted(accounts, key=lambda a: (a.name.casefold(), a.id or 0))[:limit]
    parts = [_quote(a.name) + (f" (id {a.id})" if with_id else "") for a in shown]
    if len(accounts) > limit:
        n = len(accounts) - limit
        return ngettext("{names} and {n} more", "{names} and {n} more", n).format(names=", ".join(parts), n=n)
    return ", ".join(parts)


def next_due(account: Account, today: dt.date) -> dt.date | None:
    """The account's next review, None without a (valid) cadence."""
    try:
        return next_review(account.cadence, account.last_review, today)
    except ValidationError:
        return None
