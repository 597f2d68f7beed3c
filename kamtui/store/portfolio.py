"""Typed access to the store: domain entities in, domain entities out, undo for every change.

Also what is computed from a portfolio for every reader: an account's plan
(:func:`account_plan`) and health (:func:`account_health`). Today's queue is in
:mod:`kamtui.store.today`; the quick read-only views ``kamtui due`` and the preview process
open are in :mod:`kamtui.store.views`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from kamtui.domain.errors import ValidationError
from kamtui.domain.health import DEFAULT_TREND_POINTS, Health, health, recorded_health
from kamtui.domain.model import (
    CHILD_TABLES,
    Account,
    Action,
    Coverage,
    Entity,
    Interaction,
    Kpi,
    Objective,
    Opportunity,
    Review,
    Stakeholder,
)
from kamtui.i18n import N_, _, ngettext
from kamtui.store.schema import META_FIELDS
from kamtui.store.store import Store
from kamtui.store.transaction import Op

if TYPE_CHECKING:
    from kamtui.domain.account_plan import AccountPlan  # imported by account_plan(): not `kamtui due`'s

T = TypeVar("T", bound=Entity)
REVIEW_SESSIONS = "review_sessions"  # per user and day: the accounts skipped in the guided review
MEMO_SIZE = 4096  # accounts' child lists kept as entities (the Today queue and the panes re-read them)
# What a change is called where the user reads it ("Undo: add account"), by verb and table.
_LABELS = {
    ("add", "accounts"): N_("add account"),
    ("edit", "accounts"): N_("edit account"),
    ("delete", "accounts"): N_("delete account"),
    ("add", "stakeholders"): N_("add stakeholder"),
    ("edit", "stakeholders"): N_("edit stakeholder"),
    ("delete", "stakeholders"): N_("delete stakeholder"),
    ("add", "objectives"): N_("add objective"),
    ("edit", "objectives"): N_("edit objective"),
    ("delete", "objectives"): N_("delete objective"),
    ("add", "actions"): N_("add action"),
    ("edit", "actions"): N_("edit action"),
    ("delete", "actions"): N_("delete action"),
    ("add", "reviews"): N_("add review"),
    ("edit", "reviews"): N_("edit review"),
    ("delete", "reviews"): N_("delete review"),
    ("add", "interactions"): N_("add interaction"),
    ("edit", "interactions"): N_("edit interaction"),
    ("delete", "interactions"): N_("delete interaction"),
    ("add", "opportunities"): N_("add opportunity"),
    ("edit", "opportunities"): N_("edit opportunity"),
    ("delete", "opportunities"): N_("delete opportunity"),
    ("add", "kpis"): N_("add kpi"),
    ("edit", "kpis"): N_("edit kpi"),
    ("delete", "kpis"): N_("delete kpi"),
}


def _label(verb: str, cls: type[Entity]) -> str:
    """ "add account": what a change to a record of ``cls`` is called, in the user's language."""
    label = _LABELS.get((verb, cls.TABLE))
    return _(label) if label else f"{verb} {cls.__name__.lower()}"


@dataclass(frozen=True, slots=True)
class Change:
    """A committed change and the ops that undo it."""

    label: str
    undo: tuple[Op, ...]
    ids: tuple[int, ...]


def _entity(cls: type[T], doc_id: int, doc: dict[str, Any]) -> T:
    # from_doc reads the entity's own fields alone, and the store's META_FIELDS are none of them:
    # no copy without them (Today and kamtui due build thousands of entities).
    return cls.from_doc(doc, doc_id)


class Portfolio:
    """The account portfolio over a :class:`Store`."""

    def __init__(self, store: Store, today: Callable[[], dt.date] = dt.date.today) -> None:
        self.store = store
        self._today = today
        # Read and written by the UI thread and by worker threads (Today, saves, the loader):
        # every access holds _memo_lock. Entities are built outside it.
        self._memo: OrderedDict[tuple[str, int], tuple[list[dict[str, Any]], list[Entity]]] = OrderedDict()
        self._memo_lock = threading.Lock()

    @property
    def today(self) -> dt.date:
        return self._today()

    @property
    def user(self) -> str:
        return self.store.user

    # ---------------------------------------------------------------- reading
    def account(self, account_id: int) -> Account | None:
        doc = self.store.get("accounts", account_id)
        return None if doc is None else self.entity(Account, account_id, doc)

    def accounts(self) -> Iterator[Account]:
        for doc_id, doc in self.store.all("accounts"):
            account = self.entity(Account, doc_id, doc)
            if account is not None:
                yield account

    def entity(self, cls: type[T], doc_id: int, doc: dict[str, Any]) -> T | None:
        """A stored document as its entity, for every reader above: raises ValidationError if the
        domain refuses it. A reader that shows what it can (the TUI's) returns None instead, and
        the document is left out of what it reads."""
        return _entity(cls, doc_id, doc)

    def _children(self, cls: type[T], account_id: int) -> list[T]:
        pairs = self.store.children_stored(cls.TABLE, account_id)  # a big file's are still text
        key = (cls.TABLE, account_id)
        with self._memo_lock:
            hit = self._memo.get(key)
            # Stored documents are replaced, never changed in place: the same objects mean the same
            # entities. The entry keeps the documents alive, so their identities cannot be reused.
            same = hit is not None and len(hit[0]) == len(pairs)
            if hit is not None and same and all(a is b for a, (_a, b) in zip(hit[0], pairs, strict=True)):
                self._memo.move_to_end(key)
                return list(hit[1])  # type: ignore[arg-type]
        parse = self.store.parsed
        entities = [e for i, d in pairs if (e := self.entity(cls, i, parse(cls.TABLE, i, d))) is not None]
        with self._memo_lock:
            self._memo[key] = ([d for _k, d in pairs], list[Entity](entities))
            self._memo.move_to_end(key)
            while len(self._memo) > MEMO_SIZE:
                self._memo.popitem(last=False)
        return list(entities)

    def stakeholders(self, account_id: int) -> list[Stakeholder]:
        return sorted(self._children(Stakeholder, account_id), key=lambda s: (s.left, -s.friendliness, s.name.lower()))

    def objectives(self, account_id: int) -> list[Objective]:
        order = {"short": 0, "medium": 1, "long": 2}
        return sorted(
            self._children(Objective, account_id),
            key=lambda o: (order[o.horizon.value], o.due or dt.date.max, o.title.lower()),
        )

    def actions(self, account_id: int) -> list[Action]:
        return sorted(self._children(Action, account_id), key=lambda a: (a.due or dt.date.max, a.text.lower()))

    def reviews(self, account_id: int) -> list[Review]:
        """Oldest first."""
        return sorted(self._children(Review, account_id), key=lambda r: (r.date, r.id or 0))

    def interactions(self, account_id: int) -> list[Interaction]:
        """Newest first."""
        return sorted(self._children(Interaction, account_id), key=lambda i: (i.date, i.id or 0), reverse=True)

    def opportunities(self, account_id: int) -> list[Opportunity]:
        return sorted(self._children(Opportunity, account_id), key=lambda o: o.close_date or dt.date.max)

    def kpis(self, account_id: int) -> list[Kpi]:
        """By plan period (newest first), then name."""
        kpis = sorted(self._children(Kpi, account_id), key=lambda k: k.name.lower())
        return sorted(kpis, key=lambda k: k.period, reverse=True)

    def get(self, cls: type[T], doc_id: int) -> T | None:
        doc = self.store.get(cls.TABLE, doc_id)
        return None if doc is None else _entity(cls, doc_id, doc)

    # ---------------------------------------------------------------- writing
    def commit(self, ops: Sequence[Op], label: str) -> Change:
        """Commit ``ops`` in one transaction; return what undoes them."""
        undo: list[Op] = []
        for op in ops:
            if op.kind == "insert":
                continue  # its id is known only after commit; handled below
            assert op.id is not None
            current = self.store.get(op.table, op.id)
            if current is None:
                continue
            if op.kind == "delete":
                undo.append(Op("insert", op.table, op.id, {k: v for k, v in current.items() if k not in META_FIELDS}))
            else:
                undo.append(Op("update", op.table, op.id, {f: current.get(f) for f in op.values}))
        ids = self.store.commit(ops)
        for op, doc_id in zip(ops, ids, strict=True):
            if op.kind == "insert":
                undo.append(Op("delete", op.table, doc_id))
        # Undo must see the state this change produced, so that a later edit by someone else
        # to the same field is detected as a conflict rather than silently reverted.
        stamped = tuple(
            Op(u.kind, u.table, u.id, u.values, self.store.get(u.table, u.id) if u.id is not None else None)
            for u in reversed(undo)
        )
        return Change(label, stamped, tuple(ids))

    def undo(self, change: Change) -> Change:
        """Revert ``change``; the result can itself be undone (redo)."""
        return self.commit(list(change.undo), _("undo {label}").format(label=change.label))

    def save(self, entity: T, seen: T | None = None, label: str = "") -> tuple[T, Change]:
        """Insert ``entity`` (no id) or update the fields that differ from ``seen``."""
        cls = type(entity)
        doc = entity.to_doc()
        if entity.id is None:
            change = self.commit([Op("insert", cls.TABLE, None, doc)], label or _label("add", cls))
            new_id = change.ids[0]
        else:
            new_id = entity.id
            base = seen.to_doc() if seen is not None else None
            stored = self.store.get(cls.TABLE, entity.id) or {}
            reference = base if base is not None else stored
            changes = {k: v for k, v in doc.items() if reference.get(k) != v}
            ops = [Op("update", cls.TABLE, entity.id, changes, base)] if changes else []  # no change: no write
            change = self.commit(ops, label or _label("edit", cls))
        saved = self.get(cls, new_id)
        assert saved is not None
        return saved, change

    def delete(self, entity: Entity, label: str = "") -> Change:
        """Delete ``entity`` and what hangs off it (an account's records, an objective's actions)."""
        assert entity.id is not None
        ops: list[Op] = []
        if isinstance(entity, Account):
            for table in CHILD_TABLES:
                ops += [Op("delete", table, i) for i, _doc in self.store.children(table, entity.id)]
        elif isinstance(entity, Objective):
            ops += [
                Op("delete", "actions", i)
                for i, d in self.store.children("actions", entity.account_id)
                if d.get("objective_id") == entity.id
            ]
        # What the user saw: if someone changed the record since, the delete is a conflict.
        ops.append(Op("delete", type(entity).TABLE, entity.id, {}, entity.to_doc()))
        return self.commit(ops, label or _label("delete", type(entity)))

    # ------------------------------------------------------- domain operations
    def toggle_action(self, action: Action) -> tuple[Action, Change]:
        done = not action.done
        new = Action.from_doc(
            {
                **action.to_doc(),
                "done": done,
                "done_at": self.today if done else None,
                "done_by": self.user if done else "",
            },
            action.id,
        )
        return self.save(new, action, _("tick action") if done else _("untick action"))

    def tick_actions(self, actions: Sequence[Action]) -> Change:
        """Tick every open action of ``actions`` in one transaction (one change, one undo); each
        against what the user saw, so an action someone else changed since is a conflict."""
        ops: list[Op] = []
        for a in actions:
            if a.done or a.id is None:
                continue
            seen = a.to_doc()
            done = Action.from_doc({**seen, "done": True, "done_at": self.today, "done_by": self.user}, a.id).to_doc()
            ops.append(Op("update", Action.TABLE, a.id, {k: v for k, v in done.items() if seen.get(k) != v}, seen))
        n = len(ops)
        label = _("tick action") if n == 1 else ngettext("tick {n} action", "tick {n} actions", n).format(n=n)
        return self.commit(ops, label)

    def defer_action(self, action: Action, due: dt.date, reason: str) -> tuple[Action, Change]:
        """Put an open action off to ``due`` (after its current date or today), counted, with why."""
        if action.done:
            raise ValidationError("due", _("the action is done: untick it to plan it again"))
        floor = max(action.due or self.today, self.today)
        if due <= floor:
            raise ValidationError("due", _("must be after {date} to put the action off").format(date=floor.isoformat()))
        if not reason.strip():
            raise ValidationError("reason", _("say why it is put off (it is kept beside the count)"))
        doc = {**action.to_doc(), "due": due, "deferred": action.deferred + 1, "deferred_reason": reason}
        return self.save(Action.from_doc(doc, action.id), action, _("defer action"))

    def set_friendliness(self, sh: Stakeholder, value: int, reason: str = "") -> tuple[Stakeholder, Change]:
        new = sh.with_friendliness(max(-2, min(2, value)), self.today, self.user, reason)
        return self.save(new, sh, _("change friendliness"))

    def record_review(self, review: Review, kpis: Sequence[tuple[Kpi, Kpi]] = ()) -> Change:
        """Save a review and move the account's last review to its date, with the KPI readings
        taken at it (``(seen, new)`` pairs: a KPI changed since it was seen is a conflict), in
        one transaction. The account's health and its parts are recorded with the review."""
        self.store.refresh()
        account = self.account(review.account_id)
        if account is None:
            raise LookupError(_("account {id} no longer exists").format(id=review.account_id))
        # Health is recorded with the review, as it is now, and never recomputed afterwards.
        aid = review.account_id
        score, parts = recorded_health(review, self.stakeholders(aid), self.actions(aid))
        review = dataclasses.replace(
            review,
            health_score=score,
            health_reviews=parts.get("reviews"),
            health_relationships=parts.get("relationships"),
            health_plan=parts.get("plan"),
            health_contact=parts.get("contact"),
        )
        ops = [Op("insert", "reviews", None, review.to_doc())]
        for seen, new in kpis:
            assert new.id is not None and new.account_id == review.account_id
            base, doc = seen.to_doc(), new.to_doc()
            ops.append(Op("update", Kpi.TABLE, new.id, {k: x for k, x in doc.items() if base.get(k) != x}, base))
        if account.last_review is None or review.date >= account.last_review:
            ops.append(
                Op(
                    "update",
                    "accounts",
                    account.id,
                    {"last_review": review.date.isoformat()},
                    {"last_review": account.last_review.isoformat() if account.last_review else None},
                )
            )
        return self.commit(ops, _("record review"))

    def save_selection_settings(self, weights: dict[str, int], key_threshold: int) -> Change:
        """Save the team's criteria weights and key-account threshold (undoable)."""
        from kamtui.store.facts import selection_ops

        return self.commit(selection_ops(self.store, weights, key_threshold), _("change criteria weights"))

    # ------------------------------------------------ guided review, per user and day
    def _review_session(self, user: str, day: dt.date) -> tuple[int | None, dict[str, Any]]:
        for doc_id, doc in self.store.all(REVIEW_SESSIONS):
            if doc.get("user") == user and doc.get("date") == day.isoformat():
                return doc_id, doc
        return None, {}

    def skipped_in_review(self, user: str, day: dt.date) -> set[int]:
        """The accounts ``user`` skipped in the guided review on ``day`` (offered again the next day)."""
        return {i for i in self._review_session(user, day)[1].get("skipped", []) if isinstance(i, int)}

    def skip_in_review(self, account_id: int, user: str, day: dt.date) -> Change:
        """Remember that ``user`` skipped ``account_id`` in the guided review on ``day`` (undoable:
        undone, the account is offered again)."""
        doc_id, doc = self._review_session(user, day)
        skipped = sorted({*doc.get("skipped", []), account_id})
        if doc_id is None:
            values = {"user": user, "date": day.isoformat(), "skipped": skipped}
            return self.commit([Op("insert", REVIEW_SESSIONS, None, values)], "skip in the guided review")
        return self.commit(
            [Op("update", REVIEW_SESSIONS, doc_id, {"skipped": skipped}, None)], "skip in the guided review"
        )

    def log_interaction(self, interaction: Interaction) -> Change:
        """Save an interaction; its stakeholders' last contact moves up and coverage grows."""
        # Decide against what is stored now (another session may have logged a newer contact),
        # and pass what was seen so that a change landing in between is a conflict, not lost.
        self.store.refresh()
        ops = [Op("insert", "interactions", None, interaction.to_doc())]
        for sid in interaction.stakeholders:
            sh = self.get(Stakeholder, sid)
            if sh is None or sh.account_id != interaction.account_id:
                raise LookupError(_("stakeholder {id} is not on this account").format(id=sid))
            changes: dict[str, Any] = {}
            if sh.last_contact is None or interaction.date > sh.last_contact:
                changes["last_contact"] = interaction.date.isoformat()
            if sh.coverage in (Coverage.NONE,):
                changes["coverage"] = Coverage.BRIEF.value
            if changes:
                seen = {
                    "last_contact": sh.last_contact.isoformat() if sh.last_contact else None,
                    "coverage": sh.coverage.value,
                }
                ops.append(Op("update", "stakeholders", sid, changes, seen))
        return self.commit(ops, _("log interaction"))


def account_plan(
    portfolio: Portfolio,
    account: Account,
    today: dt.date,
    *,
    with_health: bool = True,
    with_interactions: bool = False,
) -> AccountPlan:
    """``account`` and its records, as the exports and the meeting brief show them."""
    from kamtui.domain.account_plan import AccountPlan

    aid = account.id
    assert aid is not None
    return AccountPlan(
        account=account,
        stakeholders=portfolio.stakeholders(aid),
        objectives=portfolio.objectives(aid),
        actions=portfolio.actions(aid),
        reviews=portfolio.reviews(aid),
        opportunities=portfolio.opportunities(aid),
        kpis=portfolio.kpis(aid),
        interactions=portfolio.interactions(aid) if with_interactions else (),
        health=account_health(portfolio, aid, today) if with_health else None,
    )


def account_health(
    portfolio: Portfolio, account_id: int, today: dt.date, trend_points: float = DEFAULT_TREND_POINTS
) -> Health:
    return health(
        portfolio.reviews(account_id),
        portfolio.stakeholders(account_id),
        portfolio.actions(account_id),
        today,
        trend_points,
    )


class LenientPortfolio(Portfolio):
    """The portfolio as the screens read it: a document that does not load is left out (its
    account's other records still show) instead of failing the read (kamtui.ui.damage names it).
    Today's preview process reads with it too, so that what it computes is what Today computes."""

    def entity(self, cls: type[T], doc_id: int, doc: dict[str, Any]) -> T | None:
        try:
            return super().entity(cls, doc_id, doc)
        except (ValidationError, TypeError):
            return None
