"""Today's queue: reviews due, plan actions due, stakeholders past their contact cadence.

Works on raw documents (``(id, dict)`` pairs) so that ``kamtui due`` stays fast at 50,000
accounts: only the few fields it needs are parsed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, overload

from kamtui.domain.cadence import add_days, next_review
from kamtui.domain.contact import DEFAULT_RISK_RULES, RiskRules, doc_default_cadence
from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import shown_iso
from kamtui.i18n import N_, _

Doc = Mapping[str, Any]


class Fields(Protocol):
    """What a reader of a few fields of a document needs: a dict, or a document read for those
    fields alone (kamtui.store.doctext.fields_of)."""

    @overload
    def get(self, key: str, /) -> Any: ...
    @overload
    def get(self, key: str, default: Any, /) -> Any: ...


# Losing touch comes last: mostly amber, and long (everyone without a cadence of their own who is due).
KIND_ORDER = {"review": 0, "action": 1, "contact": 2, "risk": 3, "plan": 4, "losing_touch": 5}
# Marked for the catalog: shown through kind_title (or _(KIND_TITLES[kind])).
KIND_TITLES = {
    "review": N_("Reviews due"),
    "action": N_("Plan actions due"),
    "contact": N_("Stakeholders to contact"),
    "risk": N_("Risk alerts"),
    "plan": N_("Plan hygiene"),
    "losing_touch": N_("Losing touch"),
}


def kind_title(kind: str) -> str:
    """The heading of a kind of Today's items, in the user's language: "Reviews due"."""
    return _(KIND_TITLES[kind])


@dataclass(frozen=True)
class Thresholds:
    """Every tunable number of the queue and the risk rules, in one place."""

    contact_max_factor: float = 1.5  # red once past ideal interval x this
    key_player_silence_days: int = 60  # decision maker / economic buyer unfriendly and silent this long
    champion_silence_days: int = 60  # a champion not contacted this long is a risk
    review_late_periods: float = 1.0  # red alert once a review is late by more than this many cadence periods
    health_trend_points: float = 3.0  # ▲/▼ once a score moved this many points of 100 (kamtui.domain.health.trend)
    risk: RiskRules = DEFAULT_RISK_RULES  # relationship decay, coverage, risks, default cadences: the config's [risk]
    # Plan hygiene (kamtui.domain.hygiene)
    objective_late_red_days: int = 21  # an open objective this many days past its date is red (else amber)
    unowned_action_days: int = 30  # an open action with no owner is flagged once due within this many days
    # Order by what is at stake (kamtui.domain.stakes): score = urgency x stake
    stakes_money_unit: float = 100_000.0  # stake grows by one per doubling of (revenue + weighted pipeline) / this
    stakes_tier_key: float = 2.0  # stake multiplier of a key account
    stakes_tier_candidate: float = 1.0
    stakes_tier_regular: float = 0.5
    stakes_red_factor: float = 1.5  # multiplier of an account whose relationship map is red
    stakes_never_contacted_days: int = 60  # a person never contacted counts as this many days late
    stakes_undated_red_days: int = 28  # a red item with no date (a risk, a plan flag) counts as this many days late


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True, slots=True)
class QueueItem:
    kind: str  # review | action | contact | risk
    account_id: int
    account: str
    owner: str
    title: str
    detail: str
    due: dt.date | None
    days_late: int  # > 0 overdue, 0 due today, < 0 still ahead
    severity: int  # 2 red, 1 amber, 0 on time
    target_id: int | None = None
    never_contacted: bool = False  # a contact item for someone never contacted (counts as very late)
    ranked: str = ""  # why it ranks where it does, in words ("1.9M key, map red, 3w late"): kamtui.domain.stakes

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "account_id": self.account_id,
            "account": self.account,
            "owner": self.owner,
            "title": self.title,
            "detail": self.detail,
            "due": self.due.isoformat() if self.due else None,
            "days_late": self.days_late,
            "severity": self.severity,
            "target_id": self.target_id,
            "never_contacted": self.never_contacted,
            "ranked": self.ranked,
        }

    def with_ranked(self, ranked: str) -> QueueItem:
        """A copy saying why it ranks where it does (kamtui.domain.stakes.rank, for every item of
        a queue: dataclasses.replace is twice as slow)."""
        s = self
        return QueueItem(
            s.kind,
            s.account_id,
            s.account,
            s.owner,
            s.title,
            s.detail,
            s.due,
            s.days_late,
            s.severity,
            s.target_id,
            s.never_contacted,
            ranked,
        )


def stored_date(value: Any) -> dt.date | None:
    """A stored ISO date, or None when missing or unreadable (``kamtui check`` reports those)."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _text(value: Any) -> str:
    """A document's text field; a missing or null one is empty (not "None")."""
    return "" if value is None else str(value)


#: The only fields of an account that its review item reads (review_due and build_queue): a
#: snapshot sums up the accounts with a cadence as these (kamtui.store.compaction), so that the
#: TUI's first screen of a big file need not read the accounts table.
REVIEW_FIELDS = ("name", "owner", "cadence", "last_review")


def review_rows(accounts: Mapping[str, Any], ids: Iterable[str]) -> dict[str, list[Any]] | None:
    """The REVIEW_FIELDS of each account with a cadence, as stored, by id in ``ids``' order; None
    if a document is not a JSON object (not kamtui's)."""
    out: dict[str, list[Any]] = {}
    for key in ids:
        doc = accounts[key]
        if not isinstance(doc, Mapping):
            return None
        if doc.get("cadence"):
            out[key] = [doc.get(f) for f in REVIEW_FIELDS]
    return out


def review_due(doc: Fields, today: dt.date) -> dt.date | None:
    """The account's next review date, or None without a (valid) cadence."""
    cadence = doc.get("cadence")
    if not cadence:
        return None
    try:
        return next_review(str(cadence), stored_date(doc.get("last_review")), today)
    except ValidationError:
        return None


def build_queue(
    accounts: Iterable[tuple[int, Doc]],
    actions: Iterable[tuple[int, Doc]],
    stakeholders: Iterable[tuple[int, Doc]],
    today: dt.date,
    *,
    days: int = 0,
    owner: str | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    kinds: frozenset[str] = frozenset(KIND_ORDER),
    lookup: Callable[[int], Doc | None] | None = None,
) -> list[QueueItem]:
    """Everything due on or before ``today + days``, most urgent first within each kind.

    With ``lookup`` (an account document by id), ``accounts`` need only hold the accounts that
    have a cadence (the others are never due for review); actions and contacts find any other
    account through ``lookup``. The result is the same as with every account in ``accounts``.
    """
    horizon = today + dt.timedelta(days=days)
    want = None if owner is None else owner.strip().casefold()
    acc: dict[int, Doc] = {}
    for i, d in accounts:
        if want is None or _text(d.get("owner")).strip().casefold() == want:
            acc[i] = d

    def account_of(ref: Any) -> Doc | None:
        a = acc.get(ref)  # a stored account_id may be any JSON value; dict lookup semantics
        if a is not None or lookup is None:
            return a
        key = _as_id(ref)
        a = None if key is None or key in acc else lookup(key)
        if a is None or (want is not None and _text(a.get("owner")).strip().casefold() != want):
            return None
        return a

    items: list[QueueItem] = []
    if "review" in kinds:
        review_title, last_review, never_reviewed = _("review due"), _("last review {date}"), _("last review never")
        for i, d in acc.items():
            due = review_due(d, today)
            if due is not None and due <= horizon:
                late = (today - due).days
                last = d.get("last_review")
                items.append(
                    QueueItem(
                        "review",
                        i,
                        _text(d.get("name")),
                        _text(d.get("owner")),
                        review_title,
                        last_review.format(date=shown_iso(last)) if last else never_reviewed,
                        due,
                        late,
                        2 if late > 0 else 1 if late == 0 else 0,
                    )
                )
    if "action" in kinds:
        owner_is = _("owner {name}")
        for i, d in actions:
            if d.get("done"):
                continue
            due = stored_date(d.get("due"))
            if due is None or due > horizon:
                continue
            a = account_of(d.get("account_id"))  # last: it may parse a lazily loaded account
            if a is None:
                continue
            late = (today - due).days
            items.append(
                QueueItem(
                    "action",
                    int(d["account_id"]),
                    _text(a.get("name")),
                    _text(d.get("owner") or a.get("owner")),
                    _text(d.get("text")),
                    owner_is.format(name=d.get("owner") or "-"),
                    due,
                    late,
                    2 if late > 0 else 1 if late == 0 else 0,
                    i,
                )
            )
    contacts, losing_touch = "contact" in kinds, "losing_touch" in kinds
    if contacts or losing_touch:
        words = contact_words()
        for i, d in stakeholders:  # every person of the file: the loop is kept lean
            every = d.get("contact_every_days")
            if every is None:
                # No cadence of their own (absent or null): due by the default one, "losing touch".
                # A key-account matter: the accounts under review (with a review cadence), those
                # whose risks Today checks; elsewhere it would list most of a big file's people
                # (18,800 rows at 10,000 generated accounts) and hide the rest. They are among
                # ``acc`` already: no other account is looked up (nor parsed, in a lazy view).
                if not losing_touch or d.get("left"):
                    continue
                ref = d.get("account_id")
                key = ref if type(ref) is int else _as_id(ref)
                a = acc.get(key) if key is not None else None
                if a is None or not a.get("cadence"):
                    continue
            else:
                own = not isinstance(every, bool) and isinstance(every, int) and every > 0
                if not (own and contacts) or d.get("left"):
                    continue
                a = account_of(d.get("account_id"))
                if a is None:
                    continue
            item = contact_item(i, d, a, today, horizon, thresholds, words)
            if item is not None:
                items.append(item)
    items.sort(key=lambda it: (KIND_ORDER[it.kind], -it.severity, -it.days_late, it.account.lower(), it.title.lower()))
    return items


def _as_id(ref: Any) -> int | None:
    """The int key ``ref`` equals as a dict key (True is 1, 2.0 is 2), or None."""
    if isinstance(ref, int):
        return int(ref)
    if isinstance(ref, float) and ref.is_integer():
        return int(ref)
    return None


def contact_due(last_contact: dt.date | None, every: int, today: dt.date) -> dt.date:
    return today if last_contact is None else add_days(last_contact, every)


def contact_words() -> tuple[str, str, str, str]:
    """The words of a contact item in the user's language, looked up once per queue (not per person)."""
    return (
        _("never contacted"),
        _("last contact {days}d ago"),
        _("{since}, every {every}d"),
        _("{since}, default every {every}d ({why})"),
    )


def contact_item(
    sid: int,
    d: Doc,
    a: Doc,
    today: dt.date,
    horizon: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    words: tuple[str, str, str, str] | None = None,
) -> QueueItem | None:
    """A person due for a contact: by their own cadence ("contact"), or, without one, by the
    default cadence of their influence and role ("losing_touch", amber; red only once silent
    past that cadence x contact_max_factor: never contacted is amber, not red)."""
    own = d.get("contact_every_days") is not None
    every, why = (int(d["contact_every_days"]), "") if own else doc_default_cadence(d, thresholds.risk)
    last = stored_date(d.get("last_contact"))
    due = contact_due(last, every, today)
    if due > horizon:
        return None
    late = (today - due).days
    never, ago, every_own, every_default = words or contact_words()
    since = never if last is None else ago.format(days=(today - last).days)
    limit = int(every * thresholds.contact_max_factor)
    red = (last is None and own) or (last is not None and (today - last).days > limit)
    return QueueItem(
        "contact" if own else "losing_touch",
        int(d["account_id"]),
        _text(a.get("name")),
        _text(d.get("owner") or a.get("owner")),
        _text(d.get("name")),
        every_own.format(since=since, every=every) if own else every_default.format(since=since, every=every, why=why),
        due,
        late,
        2 if red else 1 if late >= 0 else 0,
        sid,
        never_contacted=last is None,
    )


def counts(items: Iterable[QueueItem]) -> dict[str, int]:
    out = dict.fromkeys(KIND_ORDER, 0)
    for it in items:
        out[it.kind] += 1
    return out
