"""The short forms the guided review opens on a numbered item: put an action off, log a contact
with one person (or everyone listed to contact). The field you type in comes first; ctrl+s saves from anywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Action, Stakeholder
from kamtui.domain.text import clean
from kamtui.i18n import _, ngettext
from kamtui.store.portfolio import Change
from kamtui.ui.entity_forms import interaction_form
from kamtui.ui.forms import FormField, FormScreen, parse_date_input
from kamtui.ui.session import Session

DEFER_BY = dt.timedelta(days=7)  # the new date offered: a week after the later of its due date and today


def defer_form(session: Session, action: Action) -> FormScreen:
    """Put ``action`` off: why (required), then the new date; counted on the action."""
    today = session.today
    offered = max(action.due or today, today) + DEFER_BY
    if action.deferred:
        why = ngettext(
            "Why is it put off? (put off {n}x already)", "Why is it put off? (put off {n}x already)", action.deferred
        ).format(n=action.deferred)
    else:
        why = _("Why is it put off?")
    fields = [
        FormField("reason", why, value=""),
        FormField("due", _("New date (YYYY-MM-DD, +1w, tomorrow)"), "date", offered.isoformat()),
    ]

    def build(v: dict[str, Any]) -> tuple[dt.date, str]:
        due = parse_date_input(v["due"], today, "due")
        if due is None:
            raise ValidationError("due", _("give the date it is put off to"))
        return due, str(v["reason"])

    def save(value: tuple[dt.date, str]) -> Change:
        due, reason = value
        return session.record(session.portfolio.defer_action(action, due, reason)[1], ("plan", f"a:{action.id}"))

    title = _("Put off: {action}").format(action=clean(action.text))
    return FormScreen(title, fields, build, save, session=session)


def quick_log_form(session: Session, account_id: int, people: Sequence[Stakeholder]) -> FormScreen:
    """Log a contact with ``people`` (ticked, each can be unticked): what was said first, then
    how and when (today; a call with one person, a meeting with several)."""
    return interaction_form(session, account_id, [p.id for p in people if p.id is not None], quick=True)
