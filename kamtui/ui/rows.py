"""The account list's view model: one light row per account, sorted and filtered fast.

Rows are built from raw store documents (no validation: the store only holds validated
documents). Health and risk flags need an account's children, so they are computed lazily
for the rows on screen and cached until that account changes.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from kamtui.domain.health import Health, health
from kamtui.domain.owners import NO_OWNER, Owner, owner_key, owners
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Fields, Thresholds, review_due
from kamtui.domain.risk import stakeholder_risks
from kamtui.domain.text import clean
from kamtui.i18n import N_, _, pgettext
from kamtui.store.doctext import REVIEW_DUE_FIELDS
from kamtui.store.portfolio import Portfolio

SORTS: tuple[tuple[str, str], ...] = (  # (key, its name: translated where shown)
    ("due", N_("next review")),
    ("name", N_("name")),
    ("revenue", N_("revenue")),
    ("health", N_("health")),
    ("tier", N_("tier")),
    ("owner", N_("owner")),
)
TIER_ORDER = {"key": 0, "candidate": 1, "regular": 2}
PLACED_UP_TO = 64  # changed rows put in place one by one (bisect); more: the whole selection is sorted
TIER_SHORT = {"key": "KEY", "candidate": "CND", "regular": "REG"}


def column_titles() -> dict[str, str]:
    """The account list's column titles, in the user's language (no wider than its columns)."""
    return {
        "flags": "",
        "name": pgettext("account list column", "Account"),
        "tier": pgettext("account list column", "Tier"),
        "owner": pgettext("account list column", "Owner"),
        "revenue": pgettext("account list column", "Rev"),
        "health": pgettext("account list column", "Hlth"),
        "next": pgettext("account list column", "Review"),
    }


def tier_word(tier: str) -> str:
    """A tier in words, in the user's language (an account: feminine in Spanish)."""
    words = {
        "key": pgettext("tier", "key"),
        "candidate": pgettext("tier", "candidate"),
        "regular": pgettext("tier", "regular"),
    }
    return words.get(tier, tier)


def tier_shorts() -> dict[str, str]:
    """TIER_SHORT in the user's language (the list asks once, not per row)."""
    return {
        "key": pgettext("tier, 3 letters", "KEY"),
        "candidate": pgettext("tier, 3 letters", "CND"),
        "regular": pgettext("tier, 3 letters", "REG"),
    }


@dataclass(slots=True, eq=False)  # identity: finding a row in 50,000 is a C-level scan
class Row:
    id: int
    name: str
    tier: str
    owner: str
    industry: str
    revenue: float
    due: dt.date | None
    search: str
    health: Health | None = None
    red_risk: bool = False
    currency: str = ""  # the account's own, "" for the portfolio's (kamtui.domain.formats)


#: What a row reads of its account (make_row): the rest of a big file's accounts is not parsed.
ROW_FIELDS = ("name", "tier", "owner", "industry", "revenue", "currency", *REVIEW_DUE_FIELDS)


def make_row(doc_id: int, doc: Fields, today: dt.date) -> Row:
    name = clean(doc.get("name", ""))
    tier = str(doc.get("tier", "regular"))
    owner = clean(doc.get("owner", ""))
    industry = clean(doc.get("industry", ""))
    revenue = doc.get("revenue") or 0.0
    return Row(
        doc_id,
        name,
        tier,
        owner,
        industry,
        float(revenue) if isinstance(revenue, int | float) else 0.0,
        review_due(doc, today),
        f"{name}\t{owner}\t{industry}\t{tier}".lower(),
        currency=doc.get("currency") or "",
    )


class AccountRows:
    """All rows, and the visible (filtered, sorted) selection of them.

    ``thresholds`` gives the risk thresholds in force (the session's, read from the config file):
    the red-risk flag must agree with what the panes show for the same account.
    """

    def __init__(
        self,
        portfolio: Portfolio,
        today: Callable[[], dt.date],
        user: str,
        thresholds: Callable[[], Thresholds] = lambda: DEFAULT_THRESHOLDS,
    ) -> None:
        self.portfolio = portfolio
        self._today = today
        self._thresholds = thresholds
        self.user = user.lower()
        self.rows: dict[int, Row] = {}
        self.visible: list[Row] = []
        self.sort_index = 0
        self.reverse = False
        self.query = ""
        self.mine = False  # only the accounts of ``owner``: the user's, or one picked with `o`
        self.owner = owner_key(user)
        self.due_only = False
        self.key_only = False
        self._version = 0  # bumped whenever rows change: the incremental filter starts over
        self._applied: tuple[tuple[object, ...], str] | None = None
        self._owner_label: tuple[str, int, str] | None = None  # owner key, rows' version, label
        self.reload()

    @property
    def today(self) -> dt.date:
        return self._today()

    @property
    def sort_key(self) -> str:
        return SORTS[self.sort_index][0]

    def reload(self) -> None:
        today = self.today
        self.rows = {i: make_row(i, d, today) for i, d in self.portfolio.store.all_fields("accounts", ROW_FIELDS)}
        self._version += 1
        self.apply()

    def update(self, ids: Iterable[int]) -> None:
        """Rebuild the rows of accounts that changed (or whose children changed), and put them
        in their places among the visible ones: an edit (anyone's, in a team every few seconds)
        re-sorted all 50,000 rows before, ~70 ms of every session's CPU."""
        today = self.today
        changed = set(ids)
        for i in changed:
            doc = self.portfolio.store.get("accounts", i)
            if doc is None:
                self.rows.pop(i, None)
            else:
                self.rows[i] = make_row(i, doc, today)
        self._version += 1
        query = self.query.lower()
        state = self._state(today)
        applied = self._applied
        if applied is None or applied != ((*state, self._version - 1), query) or len(changed) > PLACED_UP_TO:
            self.apply()
            return
        key, terms = self._key(), query.split()
        visible = [r for r in self.visible if r.id not in changed]
        if self.reverse:
            visible.reverse()  # ascending again: every key ends with the id, so no two rows tie
        for i in changed:
            row = self.rows.get(i)
            if row is not None and self._passes(row, terms, today):
                if self.sort_key == "health":
                    self.ensure_health(row)
                bisect.insort(visible, row, key=key)
        if self.reverse:
            visible.reverse()
        self.visible = visible
        self._applied = ((*state, self._version), query)

    def ensure_health(self, row: Row) -> Row:
        if row.health is None:
            p, today = self.portfolio, self.today
            try:
                shs = p.stakeholders(row.id)
                row.health = health(
                    p.reviews(row.id), shs, p.actions(row.id), today, self._thresholds().health_trend_points
                )
                row.red_risk = any(r.severity >= 2 for r in stakeholder_risks(shs, today, self._thresholds()))
            except (ValueError, TypeError, KeyError):
                row.health = Health(None, {}, ())
        return row

    def filter_label(self) -> str:
        bits = []
        if self.mine and self.owner == owner_key(self.user):
            bits.append(_("mine ({user})").format(user=self.user))
        elif self.mine:
            bits.append(_("owner {name}").format(name=self.owner_label(self.owner)))
        if self.due_only:
            bits.append(pgettext("filter", "due"))
        if self.key_only:
            bits.append(pgettext("filter", "key"))
        if self.query:
            bits.append(f"/{self.query}")
        return " ".join(bits)

    def _state(self, today: dt.date) -> tuple[object, ...]:
        """What the visible rows were chosen and sorted by, the query and the rows' version apart."""
        return (self.mine, self.owner, self.due_only, self.key_only, self.sort_index, self.reverse, today)

    def _passes(self, row: Row, terms: list[str], today: dt.date) -> bool:
        """Whether the filters and the query's ``terms`` keep ``row`` (as :meth:`apply` filters)."""
        if self.mine and owner_key(row.owner) != self.owner:
            return False
        if self.key_only and row.tier != "key":
            return False
        if self.due_only and not (row.due is not None and row.due <= today):
            return False
        return all(term in row.search for term in terms)

    def apply(self) -> None:
        today = self.today
        terms = self.query.lower().split()
        state = (*self._state(today), self._version)
        previous = self._applied
        self._applied = (state, self.query.lower())
        if previous is not None and previous[0] == state and self.query.lower().startswith(previous[1]):
            # The query was extended (typing): every new term contains an old one, so the new
            # selection is a subset of the old, already sorted. Filter that, do not sort again.
            for term in terms:
                self.visible = [r for r in self.visible if term in r.search]
            return
        rows: Iterable[Row] = self.rows.values()
        if self.mine:
            rows = [r for r in rows if owner_key(r.owner) == self.owner]
        if self.key_only:
            rows = [r for r in rows if r.tier == "key"]
        if self.due_only:
            rows = [r for r in rows if r.due is not None and r.due <= today]
        for term in terms:
            rows = [r for r in rows if term in r.search]
        self.visible = self._sorted(list(rows))

    def owner_label(self, key: str) -> str:
        """The name shown for the owner ``key``, as :func:`owners` names them everywhere (the
        spelling most of their accounts use); worked out once per version of the rows (the
        list's title asks on every filter keystroke)."""
        if self._owner_label is None or self._owner_label[:2] != (key, self._version):
            found = owners(r.owner for r in self.rows.values() if owner_key(r.owner) == key)
            self._owner_label = (key, self._version, found[0].label if found else _(NO_OWNER))
        return self._owner_label[2]

    def owners(self, queue: dict[str, int] | None = None) -> list[Owner]:
        """The owners of the accounts (with ``queue``: their items in today's queue, by owner key)."""
        return owners((r.owner for r in self.rows.values()), queue)

    def owns_any(self, name: str) -> bool:
        key = owner_key(name)
        return any(owner_key(r.owner) == key for r in self.rows.values())

    def _key(self) -> Callable[[Row], tuple[Any, ...]]:
        """The sort key of the chosen sort; each ends with the account's id, so that no two rows
        tie and a changed row has one place (:meth:`update`)."""
        return _SORT_KEYS.get(self.sort_key, _by_name)

    def _sorted(self, rows: list[Row]) -> list[Row]:
        if self.sort_key == "health":
            for r in rows:
                self.ensure_health(r)
        rows.sort(key=self._key())
        if self.reverse:
            rows.reverse()
        return rows


_FAR = dt.date.max


def _by_name(r: Row) -> tuple[Any, ...]:
    return (r.name.lower(), r.id)


_SORT_KEYS: dict[str, Callable[[Row], tuple[Any, ...]]] = {
    "due": lambda r: (r.due or _FAR, r.name.lower(), r.id),
    "name": _by_name,
    "revenue": lambda r: (-r.revenue, r.name.lower(), r.id),
    "health": lambda r: (
        r.health is None or r.health.score is None,
        r.health.score if r.health and r.health.score is not None else 0,
        r.name.lower(),
        r.id,
    ),
    "tier": lambda r: (TIER_ORDER.get(r.tier, 9), r.name.lower(), r.id),
    "owner": lambda r: (r.owner.lower(), r.name.lower(), r.id),
}
