"""What the guided review puts in front of you for one account, numbered so that a key can act
on an item in place: its due and late plan actions, the people to contact, its risks (amber ones
too: the review is the place to explain them) and off-track KPIs, with the previous review's
note and the next step.

Pure: the items come from the same queue rules as Today (``kamtui.domain.queue``,
``kamtui.domain.risk``, ``kamtui.domain.kpi_status``); the store layer gathers them for one
account (``kamtui.store.agenda``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from kamtui.domain.kpi_status import is_kpi_risk
from kamtui.domain.model import Action, Review
from kamtui.domain.queue import QueueItem
from kamtui.i18n import N_, _

# The order in which an account's items are listed (then the most severe and latest first).
AGENDA_ORDER = ("action", "contact", "losing_touch", "risk", "plan")
PERSON_KINDS = frozenset({"contact", "losing_touch", "risk"})  # their target is a stakeholder (a risk's may be none)
# What a key can do to an item of each kind (shown beside it in the loop).
KEYS = {  # marked for the catalog: shown with _(KEYS[kind])
    "action": N_("space done · X all · d defer"),
    "contact": N_("l log · L all · +/- attitude"),
    "losing_touch": N_("l log · L all · +/- attitude"),
    "risk": N_("l log · +/- attitude"),
}


def person_id(it: QueueItem) -> int | None:
    """The stakeholder a queue item is about: a contact's, or a risk's unless the risk is an
    off-track KPI (whose target is the KPI)."""
    if it.kind not in PERSON_KINDS or is_kpi_risk(it):
        return None
    return it.target_id


@dataclass(frozen=True, slots=True)
class AgendaItem:
    number: int  # 1-based, as shown
    item: QueueItem

    @property
    def kind(self) -> str:
        return self.item.kind

    @property
    def stakeholder_id(self) -> int | None:
        """The person the item is about (a contact, a risk about someone), if any."""
        return person_id(self.item)

    @property
    def action_id(self) -> int | None:
        return self.item.target_id if self.item.kind == "action" else None


@dataclass(frozen=True, slots=True)
class Agenda:
    account_id: int
    items: tuple[AgendaItem, ...]
    last_review: Review | None
    next_step: Action | None  # the open action due first (an undated one last)

    @property
    def unusual(self) -> bool:
        """Anything to act on; without it, enter alone records the review."""
        return bool(self.items)


def _rank(it: QueueItem) -> tuple[int, int, int, str]:
    kind = AGENDA_ORDER.index(it.kind) if it.kind in AGENDA_ORDER else len(AGENDA_ORDER)
    return (kind, -it.severity, -it.days_late, it.title.casefold())


def build_agenda(
    account_id: int,
    items: Sequence[QueueItem],
    reviews: Sequence[Review],
    actions: Sequence[Action],
    today: dt.date,
) -> Agenda:
    """The account's agenda from its queue items (reviews due are the loop itself: left out),
    its reviews (oldest first) and its plan actions."""
    mine = sorted((it for it in items if it.account_id == account_id and it.kind != "review"), key=_rank)
    open_actions = [a for a in actions if not a.done]
    next_step = min(open_actions, key=lambda a: (a.due is None, a.due or today, a.text.casefold()), default=None)
    return Agenda(
        account_id=account_id,
        items=tuple(AgendaItem(n, it) for n, it in enumerate(mine, start=1)),
        last_review=reviews[-1] if reviews else None,
        next_step=next_step,
    )


def deferred_words(times: int) -> str:
    """How often an action was put off, in words for its line ("" if never)."""
    if times <= 0:
        return ""
    return _("deferred once") if times == 1 else _("deferred {n}x").format(n=times)


@dataclass(slots=True)
class ReviewDraft:
    """A review in progress: kept while the loop moves on, stops or resumes (the same day)."""

    scores: dict[str, int]
    note: str = ""
    done: list[str] = field(default_factory=list)  # what was done during it, in words
    seconds: float = 0.0  # time spent on it so far
    selected: int = 0  # the numbered item the cursor is on (0-based)
