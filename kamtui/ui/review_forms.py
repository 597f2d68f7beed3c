"""The short forms the guided review opens on a numbered item: put an action off, log a contact
with one person (or everyone listed to contact). The field you type in comes first; ctrl+s saves from anywhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Action, Stakeholder
from kamtui.domain.text import clean
from kamtui.store.portfolio import Change
from kamtui.ui.entity_forms import interaction_form
from kamtui.ui.forms import FormField, FormScreen, parse_date_input
from kamtui.ui.session import Session

DEFER_BY = dt.timedelta(days=7)  # the new date offered: a week after the later of its due date and today


def defer_form(session: Session, action: Action) -> FormScreen:
    """Put ``action`` off: why (required), then the new date; counted on the action."""
    today = session.today
    offered = max(action.due or today, today) + DEFER_BY
    times = f" (put off {action.deferred}x already)" if action.deferred else ""
    fields = [
        FormField("reason", f"Why is it put off?{times}", value=""),
        FormField("due", "New date (YYYY-MM-DD, +1w, tomorrow)", "date", offered.isoformat()),
    ]

    def build(v: dict[str, Any]) -> tuple[dt.date, str]:
        due = parse_date_input(v["due"], today, "due")
        if due is None:
            raise ValidationError("due", "give the date it is put off to")
        return due, str(v["reason"])

    def save(value: tuple[dt.date, str]) -> Change:
        due, reason = value
        return session.record(session.portfolio.defer_action(action, due, reason)[1], ("plan", f"a:{action.id}"))

    return FormScreen(f"Put off: {clean(action.text)}", fields, build, save, session=session)


def quick_log_form(session: Session, account_id: int, people: Sequence[Stakeholder]) -> FormScreen:
    """Log a contact with ``people`` (ticked, each can be unticked): what was said first, then
    how and when (today; a call with one person, a meeting with several)."""
    return interaction_form(session, account_id, [p.id for p in people if p.id is not None], quick=True)
