"""The criteria form (`C`): one customer's key-account criteria scored 1-5, or left blank.

Every criterion the scoring knows (:data:`kamtui.domain.selection.CRITERIA`) has a select:
blank (not scored: the score falls back to what the data says) or 1-5. The scores are stored
under the criteria keys the scoring reads; a criterion the scoring does not know (``kamtui
check`` names it) is kept as it is and named under the fields. Saved through the portfolio:
undoable, refreshing the portfolio's score and flags. Reachable from the portfolio (the
customer at the cursor) and from the account panes (the selected account).
"""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from kamtui.domain.model import Account
from kamtui.domain.selection import CRITERIA, unknown_criteria
from kamtui.domain.text import clean
from kamtui.i18n import N_, _
from kamtui.store.portfolio import Change
from kamtui.ui.forms import FormField, FormScreen
from kamtui.ui.session import Session

NOT_SCORED = ""
SCORE_OPTIONS: list[tuple[str, str]] = [  # (label, marked: translated where shown; value)
    (N_("- not scored"), NOT_SCORED),
    (N_("1 poor"), "1"),
    (N_("2 weak"), "2"),
    (N_("3 fair"), "3"),
    (N_("4 good"), "4"),
    (N_("5 excellent"), "5"),
]


def scores_from(values: dict[str, Any]) -> dict[str, int]:
    """The scored criteria of the form's values (blank ones left out), by criterion key."""
    return {key: int(str(values[key])) for key in CRITERIA if str(values.get(key, NOT_SCORED) or NOT_SCORED)}


def criteria_note(unknown: list[str]) -> str:
    """The line under the fields: what a blank means, and what the scoring does not know."""
    text = _("blank: not scored (the score uses the data: revenue, growth potential, else 3)")
    if unknown:
        names = ", ".join(repr(clean(k)) for k in unknown)
        text += "\n" + _("kept, unknown to the scoring (kamtui check names them): {names}").format(names=names)
    return text


def criteria_form(session: Session, acc: Account) -> FormScreen:
    """Score ``acc`` on every criterion (1-5 or blank)."""
    unknown = unknown_criteria(acc.criteria)
    options = [(_(label), value) for label, value in SCORE_OPTIONS]
    fields = [
        FormField(key, f"{_(label).capitalize()} (1-5)", "select", str(acc.criteria.get(key, NOT_SCORED)), options)
        for key, label in CRITERIA.items()
    ]

    def build(values: dict[str, Any]) -> Account:
        kept = {k: acc.criteria[k] for k in unknown}  # never dropped silently: check names them
        return Account.from_doc({**acc.to_doc(), "criteria": {**kept, **scores_from(values)}}, acc.id)

    def save(new: Account) -> Change:
        _saved, change = session.portfolio.save(
            new, acc, _("score criteria of {account}").format(account=clean(acc.name))
        )
        return session.record(change, None)

    return FormScreen(
        _("Criteria of {account}").format(account=clean(acc.name)),
        fields,
        build,
        save,
        lambda values: criteria_note(unknown),
        session=session,
    )


def open_criteria(screen: Screen[Any], session: Session, account_id: int | None) -> None:
    """Push the criteria form over ``screen`` for ``account_id`` (none or gone: say so)."""
    acc = session.portfolio.account(account_id) if account_id is not None else None
    if acc is None:
        screen.notify(_("No account selected"), timeout=3, markup=False)
        return
    screen.app.push_screen(criteria_form(session, acc))
