"""`kamtui check`: validate every document through the domain and find broken links."""

from __future__ import annotations

import datetime as dt

from kamtui.domain.dates import date_problems
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import ENTITIES, Account, repeated_member
from kamtui.domain.selection import CRITERIA, unknown_criteria
from kamtui.i18n import _, ngettext
from kamtui.store.schema import META_FIELDS
from kamtui.store.store import Store

_LINKS = {"objective_id": "objectives"}


def check_store(store: Store, today: dt.date | None = None) -> tuple[list[str], dict[str, int]]:
    """Every problem as one line ("stakeholders/123: role: unknown value ..."), and table sizes.
    ``today`` (None: the clock's) is what the dates are held to: an event after it, a due date
    more than ten years ahead, a cadence that has ended (kamtui.domain.dates)."""
    today = today or dt.date.today()
    problems: list[str] = []
    totals: dict[str, int] = {}
    accounts = {i for i, _doc in store.all("accounts")}
    for table, cls in ENTITIES.items():
        n = 0
        for doc_id, doc in store.all(table):
            n += 1
            try:
                entity = cls.from_doc({k: v for k, v in doc.items() if k not in META_FIELDS}, doc_id)
            except ValidationError as exc:
                problems.append(f"{table}/{doc_id}: {exc}")
                continue
            except TypeError as exc:
                problems.append(f"{table}/{doc_id}: " + _("missing or unexpected field ({error})").format(error=exc))
                continue
            if isinstance(entity, Account):
                problems += _criteria_problems(table, doc_id, entity)
                if (twice := repeated_member(entity.team)) is not None:  # stored before the team form refused it
                    problems.append(f"{table}/{doc_id}: " + _("team: {problem}").format(problem=twice))
            problems += [f"{table}/{doc_id}: {exc}" for exc in date_problems(entity, today)]
            if table != "accounts" and doc.get("account_id") not in accounts:
                missing = _("account {id} does not exist").format(id=doc.get("account_id"))
                problems.append(f"{table}/{doc_id}: {missing}")
            for link, target in _LINKS.items():
                if doc.get(link) is not None and store.get(target, doc[link]) is None:  # None: no link
                    missing = _("{link} {id} does not exist").format(link=link, id=doc[link])
                    problems.append(f"{table}/{doc_id}: {missing}")
        totals[table] = n
    return problems, totals


def _criteria_problems(table: str, doc_id: int, account: Account) -> list[str]:
    """One line per account scored on a criterion the scoring does not know (a label such as
    "revenue potential" is migrated on load, so only a real stranger is named here)."""
    unknown = unknown_criteria(account.criteria)
    if not unknown:
        return []
    names = ", ".join(repr(k) for k in unknown)
    what = ngettext(
        "unknown criterion {names} (the score ignores it); known: {known}",
        "unknown criteria {names} (the score ignores them); known: {known}",
        len(unknown),
    ).format(names=names, known=", ".join(CRITERIA))
    return [f"{table}/{doc_id}: criteria: {what}"]
