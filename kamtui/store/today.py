"""Today's queue, for the TUI's Today screen and ``kamtui due`` alike, and kept between changes.

:func:`today_queue` computes it whole. :class:`TodayCache` keeps each account's items and
stake between changes and recomputes only the accounts a change concerns (every change a
session reads names them: :meth:`kamtui.store.documents.Documents.take_touched`), then ranks
again: with a team on one server every session recomputes its queue on every edit of anyone.

Both give the same list: every item of an account depends on that account's own records alone
(its document and children, today, the thresholds), :func:`queue_items` for some accounts gives
each of them the items, in the same order, that it gives them for all, and the items are
ranked from the same order (by account id, each account's in its own order).
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kamtui.domain.errors import ValidationError
from kamtui.domain.health import DEFAULT_TREND_POINTS
from kamtui.domain.hygiene import plan_items
from kamtui.domain.kpi_status import kpi_risk_items
from kamtui.domain.model import Account
from kamtui.domain.owners import owner_key
from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem, Thresholds, build_queue
from kamtui.domain.risk import may_have_red_risk, red_risk_items
from kamtui.domain.stakes import Stake, in_rank_order, rank, rank_keyed
from kamtui.i18n import _
from kamtui.store.codec import collector_paused
from kamtui.store.portfolio import Portfolio, _entity, account_health
from kamtui.store.ranking import account_stakes

if TYPE_CHECKING:
    from kamtui.store.queue_cache import Cached


def queue_items(
    portfolio: Portfolio,
    today: dt.date,
    *,
    accounts: Collection[int] | None = None,
    days: int = 0,
    owner: str | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    risks: bool = True,
) -> list[QueueItem]:
    """The queue's items, not ranked: of every account, or of ``accounts`` only (each of them
    gets the items it gets among all, in the same order).

    Without the cyclic collector: a big file's documents are parsed as the queue reads them
    (kamtui.store.documents), and its passes over them made the queue ~2x slower at 50,000."""
    with collector_paused():
        return _queue_items(portfolio, today, accounts, days, owner, thresholds, risks)


def _queue_items(
    portfolio: Portfolio,
    today: dt.date,
    accounts: Collection[int] | None,
    days: int,
    owner: str | None,
    thresholds: Thresholds,
    risks: bool,
) -> list[QueueItem]:
    store = portfolio.store

    def children(table: str) -> Iterator[tuple[int, dict[str, Any]]]:
        """The records of the accounts asked for, by id: an account's come in the same order
        whether all accounts are asked for or some (its items' order, where ranks tie, follows)."""
        if accounts is None:
            yield from store.all(table, by_id=True)  # parsed one by one (a big file's are text)
        else:
            for aid in sorted(accounts):
                yield from store.children(table, aid)

    if accounts is None:
        # Accounts without a cadence are never due for review; actions and contacts look theirs
        # up. In a lazy read-only view (``kamtui due``) the skipped documents are never parsed.
        chosen: list[tuple[int, dict[str, Any]]] = list(store.all_set("accounts", "cadence"))
    else:
        chosen = [(aid, doc) for aid in sorted(accounts) if (doc := store.get("accounts", aid)) is not None]
    # Each account read once in this pass: actions, contacts, KPIs and plans look theirs up, and
    # a big file's documents are parsed on every read (kamtui.store.documents).
    read: dict[int, dict[str, Any] | None] = dict(chosen)

    def account_doc(account_id: int) -> dict[str, Any] | None:
        if account_id not in read:
            read[account_id] = store.get("accounts", account_id)
        return read[account_id]

    actions = list(children("actions"))  # read for the queue and again for plan hygiene
    items = build_queue(
        chosen,
        actions,
        children("stakeholders"),  # everyone: without a cadence of their own, the default one applies
        today,
        days=days,
        owner=owner,
        thresholds=thresholds,
        lookup=account_doc,
    )
    points = thresholds.health_trend_points
    items = [_with_health(portfolio, it, today, points) if it.kind == "review" else it for it in items]
    if not risks:
        return items
    want = None if owner is None else owner_key(owner)
    alerts: list[QueueItem] = []
    for account_id, doc in chosen:
        if not doc.get("cadence") or (want is not None and _owner_of(doc) != want):
            continue
        # Entities only for accounts that may raise a red risk: the pre-filter reads the stored
        # documents and answers no only when the entity rules certainly find nothing red.
        if not may_have_red_risk(doc, (d for _sid, d in store.children("stakeholders", account_id)), today, thresholds):
            continue
        try:
            account = _entity(Account, account_id, doc)
            alerts += red_risk_items(account_id, account, portfolio.stakeholders(account_id), today, thresholds)
        except (ValidationError, TypeError):
            continue  # `kamtui check` reports broken documents; the queue shows what it can
    # Off-track KPIs of the current plan: a reader of a file without KPIs pays nothing for them.
    alerts += kpi_risk_items(children("kpis"), lambda i: _owned(account_doc(i), want), today)
    # Red alerts only: amber ones show in the account's panes, where there is room to explain them.
    red = [r for r in alerts if r.severity >= 2]
    red.sort(key=lambda it: (-it.severity, it.account.lower()))
    plan = plan_items(
        children("objectives"),
        actions,
        lambda i: _owned(account_doc(i), want),
        today,
        thresholds,
    )
    return items + red + plan


def queue_order(
    items: Iterable[QueueItem],
    stakes: dict[int, Stake],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    sort: str = "stakes",
) -> list[QueueItem]:
    """The items ranked (kamtui.domain.stakes.rank) from one order, whatever computed them: by
    account id, each account's items in the order they came (ties in rank keep it)."""
    ordered = sorted(items, key=lambda it: it.account_id)  # stable
    return rank(ordered, stakes, today, thresholds, sort)


def today_queue(
    portfolio: Portfolio,
    today: dt.date,
    *,
    days: int = 0,
    owner: str | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    risks: bool = True,
    sort: str = "stakes",
) -> list[QueueItem]:
    """Today's queue: reviews, actions and contacts due, then risk alerts of accounts under review
    and plan hygiene; each group ordered by ``sort`` (kamtui.domain.stakes: what is at stake by default).

    One function for the TUI's Today screen and ``kamtui due``. ``risks=False`` leaves out the
    risk alerts and the plan hygiene (the slow part: it reads every reviewed account's
    stakeholders and reviews, and every plan).
    """
    with collector_paused():  # see queue_items: the stakes read every account's deals too
        items = queue_items(portfolio, today, days=days, owner=owner, thresholds=thresholds, risks=risks)
        return queue_order(items, account_stakes(portfolio, items), today, thresholds, sort)


def kept_queue(
    portfolio: Portfolio, kept: Cached, today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Cached | None:
    """A queue kept beside the database (kamtui.store.queue_cache, for ``today`` and
    ``thresholds``) brought up to the state ``portfolio``'s store holds, a later state of the same
    snapshot read with ``touched_after=kept.state[3]`` (Store.edited_since): the accounts the
    edits since concern are computed again (:func:`edited_items`), the others kept. None if that
    cannot be told (an edit of every account, another snapshot): compute the whole queue."""
    got = edited_items(portfolio, kept, today, thresholds)
    if got is None:
        return None
    edited, fresh, stakes = got
    store = portfolio.store
    owners = {}
    for aid in {it.account_id for it in fresh}:
        doc = store.get("accounts", aid)
        owners[aid] = _owner_of(doc) if doc is not None else ""
    return brought_up(kept, edited, fresh, stakes, store.state_id, today, thresholds, owners)


def edited_items(
    portfolio: Portfolio, kept: Cached, today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> tuple[set[int], list[QueueItem], dict[int, Stake]] | None:
    """The accounts the edits since ``kept``'s state concern (see :func:`kept_queue`), their items
    computed again (queue_items' order) and their stakes; None if that cannot be told."""
    store = portfolio.store
    edited = store.edited_since
    if edited is None or store.state_id[:3] != kept.state[:3] or store.state_id[3] < kept.state[3]:
        return None
    with collector_paused():
        fresh = queue_items(portfolio, today, accounts=edited, thresholds=thresholds)
        return set(edited), fresh, account_stakes(portfolio, fresh)


def brought_up(
    kept: Cached,
    edited: Collection[int],
    fresh: list[QueueItem],
    stakes: Mapping[int, Stake],
    state: tuple[int, ...],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    owners: Mapping[int, str] | None = None,
) -> Cached:
    """``kept`` with the items and stakes of the ``edited`` accounts replaced by ``fresh`` ones
    (queue_items' order) and their ``stakes``, for the state ``state``: by account, each account's
    in its own order, as ranking starts from. A ranked queue stays ranked: each item's key depends
    on it and its account's stake alone (kamtui.domain.stakes.rank_keyed), so the kept keys
    hold and the fresh items get theirs. ``owners``: of the fresh items' accounts."""
    all_stakes = {aid: s for aid, s in kept.stakes.items() if aid not in edited}
    all_stakes.update(stakes)
    all_owners = {aid: key for aid, key in kept.owners.items() if aid not in edited}
    all_owners.update(owners or {})
    if kept.keys is not None:
        pairs = [pair for pair in zip(kept.keys, kept.items, strict=True) if pair[1].account_id not in edited]
        pairs += rank_keyed(fresh, all_stakes, today, thresholds)
        pairs.sort(key=lambda pair: pair[1].account_id)  # stable: each account's in its own order
        items, keys = [it for _key, it in pairs], [key for key, _it in pairs]
        return dataclasses.replace(
            kept, state=state, now=state, items=items, stakes=all_stakes, owners=all_owners, keys=keys
        )
    items = [it for it in kept.items if it.account_id not in edited] + fresh
    items.sort(key=lambda it: it.account_id)  # stable: by account, each account's in its own order
    return dataclasses.replace(kept, state=state, now=state, items=items, stakes=all_stakes, owners=all_owners)


def thresholds_id(thresholds: Thresholds) -> str:
    """The same for the same thresholds in any process: their repr (frozen dataclasses)."""
    return repr(thresholds)


Keyed = list[tuple[tuple[object, ...], QueueItem]]


@dataclass(frozen=True)
class Seed:
    """Today's whole queue computed elsewhere (Today's preview process, kamtui.report.preview)
    from one state of the file, ready to be kept: :meth:`TodayCache.offer` takes it in place of
    computing it again when the store holds that very state."""

    state: tuple[int, ...]  # Store.state_id of what it was computed from
    today: dt.date
    thresholds: str  # thresholds_id of those it was computed with
    stakes: dict[int, Stake]
    keyed: dict[int, Keyed]  # each account's items (in queue_items order) beside their rank keys
    kept: bool = False  # read from the queue kept beside the database (kamtui.store.queue_cache)
    #: The owner key of accounts with items (kamtui.domain.owners.owner_key), where known: what
    #: keeping it need not read again from the accounts (kamtui.store.queue_cache.entry_of).
    owners: Mapping[int, str] | None = None

    @classmethod
    def of(
        cls,
        state: tuple[int, ...],
        today: dt.date,
        thresholds: Thresholds,
        items: list[QueueItem],
        stakes: dict[int, Stake],
        *,
        kept: bool = False,
        keys: Sequence[tuple[object, ...]] | None = None,
        owners: Mapping[int, str] | None = None,
    ) -> Seed:
        """From :func:`queue_items`' items and their stakes (as TodayCache keeps its own).
        ``keys``: the items' keys in Today's order, the items carrying their rank's words (a
        queue kept beside the database: kamtui.store.queue_cache.Cached.keys), else ranked here.
        ``owners``: see the field."""
        keyed: dict[int, Keyed] = {}
        if keys is None:
            _keep_keyed(keyed, items, stakes, today, thresholds)
        else:
            for pair in zip(keys, items, strict=True):
                keyed.setdefault(pair[1].account_id, []).append(pair)
        return cls(state, today, thresholds_id(thresholds), stakes, keyed, kept, owners)

    def queue(self) -> list[QueueItem]:
        """The queue ranked, as TodayCache.queue gives it."""
        return _ranked(self.keyed)


def _keep_keyed(
    keyed: dict[int, Keyed], items: list[QueueItem], stakes: dict[int, Stake], today: dt.date, thresholds: Thresholds
) -> None:
    """Add the items' rank-keyed pairs (kamtui.domain.stakes.rank_keyed) to ``keyed``, by account."""
    for pair in rank_keyed(items, stakes, today, thresholds):
        keyed.setdefault(pair[1].account_id, []).append(pair)


def _ranked(keyed: dict[int, Keyed]) -> list[QueueItem]:
    """As rank() sorts: from one order (by account id, each account's items in their own)."""
    return in_rank_order([pair for aid in sorted(keyed) for pair in keyed[aid]])


# An item in rank order: its rank key, its account, its place among the account's items. Sorted,
# these give _ranked's order (a stable sort by key of the items by account, each in its order),
# and no two compare equal, so a changed account's items each have one place (bisect).
Entry = tuple[tuple[object, ...], int, int, QueueItem]


def _entries(keyed: dict[int, Keyed], accounts: Iterable[int]) -> list[Entry]:
    return [(key, aid, n, item) for aid in accounts for n, (key, item) in enumerate(keyed.get(aid, ()))]


class TodayCache:
    """Today's whole queue (everyone's, ranked by stakes) kept between changes: :meth:`touch`
    names the accounts a change concerns (None: any), :meth:`queue` recomputes those alone, or
    everything when asked first, on another day, or after a change of any account.

    ``keep``: called with each whole queue computed here or offered from a computation that did
    not keep it (kamtui.store.queue_cache), in the thread that computed it: a session that may
    write keeps it beside the database for the next reader of the same state.

    ``kept``: instead of computing the whole queue, take the one kept beside the store's file
    (kamtui.store.queue_cache, today's or computed ahead) when the store was opened with
    ``touched_after`` its state (Store.edited_since) and has not moved on since: only the
    accounts the edits since concern are computed (:func:`kept_queue`).

    Thread-safe: changes are named from any thread; one queue is computed at a time."""

    def __init__(
        self,
        portfolio: Portfolio,
        thresholds: Thresholds = DEFAULT_THRESHOLDS,
        keep: Callable[[Seed], None] | None = None,
        *,
        kept: bool = False,
    ) -> None:
        self.portfolio = portfolio
        self.thresholds = thresholds
        self._keep_whole = keep
        self._kept = kept
        self._kept_seen: tuple[tuple[object, ...], int | None] | None = None  # see _kept_after
        self._compute = threading.Lock()
        self._lock = threading.Lock()  # guards _dirty only: touch never waits for a computation
        self._dirty: set[int] | None = None  # accounts changed since the last queue (None: all)
        #: Each account's items, ranked and beside their rank keys (kamtui.domain.stakes.rank_keyed).
        self._keyed: dict[int, Keyed] = {}
        #: The same items in rank order, kept too: an edit moves its account's items alone (sorting
        #: all of them again was ~10% of what another session's edit costs a session).
        self._order: list[Entry] = []
        self._stakes: dict[int, Stake] = {}
        self._today: dt.date | None = None
        self._offered: Seed | None = None  # see offer()

    def offer(self, seed: Seed) -> None:
        """A queue computed elsewhere (from any thread, never waits): the next whole computation
        keeps it instead if it was computed from the state the store then holds (Store.state_id),
        for that day, with the same thresholds; else it is dropped and the queue computed here."""
        self._offered = seed

    def _fits(self, seed: Seed | None, today: dt.date) -> bool:
        return (
            seed is not None
            and seed.today == today
            and seed.thresholds == thresholds_id(self.thresholds)
            and seed.state == self.portfolio.store.state_id
        )

    def warm(self, today: dt.date) -> bool:
        """Whether :meth:`queue` for ``today`` is quick: only changed accounts to compute, a
        fitting queue offered, or one kept beside the file to bring up to date (see ``kept``)."""
        with self._lock:
            if self._today == today and self._dirty is not None:
                return True
        return self._fits(self._offered, today) or self._kept_after(today) is not None

    def _kept_after(self, today: dt.date) -> int | None:
        """The seq of the kept queue the store knows the edits since of, if any (see ``kept``)."""
        store = self.portfolio.store
        if not self._kept or store.edited_since is None or store.edited_state != store.state_id:
            return None
        look = (today, store.state_id, store.edited_after)
        seen = self._kept_seen  # Today asks before it computes, then the computation does: one read
        if seen is not None and seen[0] == look:
            return seen[1]
        from kamtui.store import queue_cache

        after = queue_cache.kept_after(store.path, today, thresholds_id(self.thresholds))
        found = after if after is not None and after == store.edited_after else None
        self._kept_seen = (look, found)
        return found

    def _from_kept(self, today: dt.date) -> Seed | None:
        """The queue kept beside the file brought up to the store's state (see ``kept``), or None."""
        store = self.portfolio.store
        state = store.edited_state  # the state edited_since was read at, if the store still holds it
        if not self._kept or store.edited_since is None or state is None or state != store.state_id:
            return None
        from kamtui.store import queue_cache

        cached = queue_cache.load(store.path, today, thresholds_id(self.thresholds))
        if cached is None or cached.state[3] != store.edited_after:
            return None
        up = kept_queue(self.portfolio, cached, today, self.thresholds)
        if up is None or store.state_id != state:  # moved on meanwhile: computed whole instead
            return None
        return Seed.of(state, today, self.thresholds, up.items, up.stakes, keys=up.keys, owners=up.owners)

    def touch(self, accounts: Iterable[int] | None) -> None:
        with self._lock:
            if accounts is None:
                self._dirty = None
            elif self._dirty is not None:
                self._dirty.update(accounts)

    def queue(self, today: dt.date) -> list[QueueItem]:
        # The copies of a very big file stay open while it reads their places (Documents.pinned).
        with self._compute, self.portfolio.store.pinned():
            with self._lock:
                dirty, self._dirty = self._dirty, set()
            try:
                self._update(today, dirty)
            except BaseException:
                self.touch(None)  # half done: the next queue starts afresh
                raise
            offered = self._offered  # one that came while this one was computed: kept while it may fit
            if offered is not None and offered.state != self.portfolio.store.state_id:
                self._offered = None
            return [entry[3] for entry in self._order]

    def _update(self, today: dt.date, dirty: set[int] | None) -> None:
        p, t = self.portfolio, self.thresholds
        if dirty is None or today != self._today:
            seed, self._offered = self._offered, None
            if seed is None or not self._fits(seed, today):
                seed = self._from_kept(today)  # brought up to the store's state: kept anew below
            if seed is not None and self._fits(seed, today):
                self._stakes = dict(seed.stakes)
                self._keyed = {aid: list(pairs) for aid, pairs in seed.keyed.items()}
                self._order = sorted(_entries(self._keyed, self._keyed))
                self._today = today
                if not seed.kept and self._keep_whole is not None:
                    self._keep_whole(seed)
                return
            state = p.store.state_id  # before reading: a change meanwhile makes the queue not kept
            items = queue_items(p, today, thresholds=t)
            self._stakes = account_stakes(p, items)
            self._keyed = {}
            self._keep(items, today)
            self._order = sorted(_entries(self._keyed, self._keyed))
            self._today = today
            if self._keep_whole is not None and p.store.state_id == state:
                self._keep_whole(Seed(state, today, thresholds_id(t), dict(self._stakes), self._keyed))
            return
        if not dirty:
            return
        fresh = queue_items(p, today, accounts=dirty, thresholds=t)
        for aid in dirty:
            self._keyed.pop(aid, None)
            self._stakes.pop(aid, None)
        self._stakes.update(account_stakes(p, fresh))
        self._keep(fresh, today)
        order = [entry for entry in self._order if entry[1] not in dirty]
        for entry in sorted(_entries(self._keyed, dirty)):
            bisect.insort(order, entry)
        self._order = order

    def _keep(self, items: list[QueueItem], today: dt.date) -> None:
        _keep_keyed(self._keyed, items, self._stakes, today, self.thresholds)


def _owner_of(doc: Mapping[str, Any]) -> str:
    """The owner key of an account document, as build_queue reads it and ``kamtui due --owner``
    checks it (kamtui.domain.owners.owner_key): a missing or null owner is "" (no owner), never
    the text "None" (``--owner None`` would find it, ``--owner ""`` miss it)."""
    name = doc.get("owner")
    return owner_key("" if name is None else str(name))


def _owned(doc: dict[str, Any] | None, want: str | None) -> dict[str, Any] | None:
    """The account document when it is ``want``'s (an owner key; None: anyone's)."""
    if doc is None or want is None or _owner_of(doc) == want:
        return doc
    return None


def _with_health(
    portfolio: Portfolio, item: QueueItem, today: dt.date, trend_points: float = DEFAULT_TREND_POINTS
) -> QueueItem:
    try:
        h = account_health(portfolio, item.account_id, today, trend_points)
    except (ValidationError, TypeError):
        return item
    if h.score is None:
        return item
    score = _("health {score}").format(score=h.score)
    return dataclasses.replace(item, detail=f"{score}{(' ' + h.trend) if h.trend else ''} · {item.detail}")
