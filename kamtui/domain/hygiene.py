"""Plan hygiene: what is wrong with an account plan, each in words, as Today's items (kind "plan").

The rules (thresholds in :class:`kamtui.domain.queue.Thresholds`, the config's [thresholds]):

- **overdue objective**: an objective still open or at risk whose date is past.
  "objective 'Meet the new CEO' 3w past its date, at risk". Red once at risk or
  ``objective_late_red_days`` past its date, else amber. If no open action serves it either,
  the same item says so (", no open action").
- **objective with no open action**: an open or at-risk objective that no open (not done)
  action serves. "objective 'Win the Rotterdam hub' has no open action". Amber.
- **action with no owner**: an open action whose owner is empty, with no due date or due
  within ``unowned_action_days``. "action 'Send the proposal' has no owner". Amber.

Done and dropped objectives are never flagged. Off-track KPIs are Today's red risk alerts
(:mod:`kamtui.domain.kpi_status`). Works on stored documents, like :func:`build_queue`, so
``kamtui due`` parses only what it needs; a document the model refuses is left out
(``kamtui check`` reports it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from kamtui.domain.cadence import in_words
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Objective, ObjectiveStatus
from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem, Thresholds, stored_date
from kamtui.i18n import _

OBJECTIVE, ACTION = "objective", "action"  # an item's detail: what it is about (Today opens it in the plan)
_CLOSED = frozenset({ObjectiveStatus.DONE.value, ObjectiveStatus.DROPPED.value})


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _surely_not_past(value: Any, today: dt.date) -> bool:
    """The stored date is absent, or a plain ISO date on or after ``today``: the entity's date
    (None, or that very date, if the validator takes it) is not past."""
    if value is None or value == "":
        return True
    if not isinstance(value, str) or len(value) != len("2026-01-31"):
        return False
    try:
        return dt.date.fromisoformat(value) >= today
    except ValueError:
        return False


def _quoted(title: str, limit: int = 60) -> str:
    return "'" + (title if len(title) <= limit else title[: limit - 1] + "…") + "'"


def objective_problem(
    o: Objective, has_open_action: bool, today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[str, int] | None:
    """What is wrong with an objective, in words, and how bad (2 red, 1 amber), or None."""
    if o.status in (ObjectiveStatus.DONE, ObjectiveStatus.DROPPED):
        return None
    at_risk = o.status is ObjectiveStatus.AT_RISK
    if o.due is not None and o.due < today:
        if at_risk and not has_open_action:
            words = _("objective {title} {late} past its date, at risk, no open action")
        elif at_risk:
            words = _("objective {title} {late} past its date, at risk")
        elif not has_open_action:
            words = _("objective {title} {late} past its date, no open action")
        else:
            words = _("objective {title} {late} past its date")
        late = in_words(o.due, today).removesuffix(" late").removesuffix(" de retraso")  # "3w", "3 sem."
        red = at_risk or (today - o.due).days >= thresholds.objective_late_red_days
        return words.format(title=_quoted(o.title), late=late), 2 if red else 1
    if not has_open_action:
        words = (
            _("objective {title} has no open action (at risk)")
            if at_risk
            else _("objective {title} has no open action")
        )
        return words.format(title=_quoted(o.title)), 1
    return None


def plan_items(
    objectives: Iterable[tuple[int, Mapping[str, Any]]],
    actions: Iterable[tuple[int, Mapping[str, Any]]],
    account_of: Callable[[int], Mapping[str, Any] | None],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> list[QueueItem]:
    """Every account's plan hygiene items (stored documents in), red first, then most overdue.

    ``account_of`` gives the account document of an id, or None to leave the account out (gone,
    or not the owner's).
    """
    open_served: set[Any] = set()  # objective ids some open action serves
    unowned: list[tuple[int, Mapping[str, Any]]] = []
    horizon = today + dt.timedelta(days=thresholds.unowned_action_days)
    for aid, d in actions:
        if d.get("done"):  # build_queue's reading of "done"
            continue
        open_served.add(d.get("objective_id"))
        if not _text(d.get("owner")).strip():
            due = stored_date(d.get("due"))
            if due is None or due <= horizon:
                unowned.append((aid, d))
    items: list[QueueItem] = []
    for oid, d in objectives:
        if d.get("status") in _CLOSED:
            continue  # the stored spelling of done / dropped: no entity needed
        if oid in open_served and _surely_not_past(d.get("due"), today):
            continue  # served and not past its date: nothing to say, whatever the entity (most objectives)
        try:
            o = Objective.from_doc(d, oid)
        except (ValidationError, TypeError):
            continue
        problem = objective_problem(o, oid in open_served, today, thresholds)
        if problem is None:
            continue
        account = account_of(o.account_id)
        if account is None:
            continue
        words, severity = problem
        late = 0 if o.due is None else (today - o.due).days
        due = o.due if late > 0 else None  # only an overdue objective's date is what is wrong
        items.append(_item(o.account_id, account, o.owner, words, OBJECTIVE, due, max(late, 0), severity, oid))
    for aid, d in unowned:
        try:
            account_id = int(d["account_id"])
        except (KeyError, TypeError, ValueError):
            continue
        account = account_of(account_id)
        if account is None:
            continue
        due = stored_date(d.get("due"))
        words = (_("action {title} has no owner") if due else _("action {title} has no owner and no date")).format(
            title=_quoted(_text(d.get("text")))
        )
        late = 0 if due is None else (today - due).days
        items.append(_item(account_id, account, "", words, ACTION, due, late, 1, aid))
    items.sort(key=lambda it: (-it.severity, -it.days_late, it.account.lower(), it.title.lower()))
    return items


def _item(
    account_id: int,
    account: Mapping[str, Any],
    owner: str,
    words: str,
    about: str,
    due: dt.date | None,
    late: int,
    severity: int,
    target: int,
) -> QueueItem:
    return QueueItem(
        "plan",
        account_id,
        _text(account.get("name")),
        owner or _text(account.get("owner")),
        words,
        about,
        due,
        late,
        severity,
        target,
    )
