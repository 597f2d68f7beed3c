"""The portfolio over a real store: logging, reviews, undo/redo, conflicts, cascades, today's queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import (
    TABLES,
    Account,
    Action,
    Coverage,
    DecisionRole,
    Interaction,
    Kpi,
    Level,
    Objective,
    Opportunity,
    Review,
    Stakeholder,
)
from kamtui.domain.queue import Thresholds, review_due
from kamtui.store import ConflictError, Store
from kamtui.store.portfolio import Change, Portfolio, account_health
from kamtui.store.schema import META_FIELDS
from kamtui.store.today import today_queue

D = dt.date
TODAY = D(2026, 11, 23)
State = dict[str, dict[int, dict[str, Any]]]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "kamtui.json"


@pytest.fixture
def store(path: Path) -> Iterator[Store]:
    s = Store(path, "ana")
    yield s
    s.close()


@pytest.fixture
def p(store: Store) -> Portfolio:
    return Portfolio(store, lambda: TODAY)


def state(store: Store) -> State:
    """Every table, without the store's metadata (rev, updated_at, updated_by)."""
    return {t: {i: {k: v for k, v in d.items() if k not in META_FIELDS} for i, d in store.all(t)} for t in TABLES}


def journal_lines(store: Store) -> int:
    j = store.journal_path
    return len(j.read_bytes().splitlines()) if j.exists() else 0


def add_account(p: Portfolio, name: str = "Acme", **kw: Any) -> Account:
    kw.setdefault("owner", "ana")
    kw.setdefault("cadence", "monthly")
    acc, _ = p.save(Account(name=name, **kw))
    return acc


def add_person(p: Portfolio, account: Account, name: str = "Ada", **kw: Any) -> Stakeholder:
    assert account.id is not None
    sh, _ = p.save(Stakeholder(account_id=account.id, name=name, **kw))
    return sh


def interaction(account: Account, day: dt.date, *people: Stakeholder) -> Interaction:
    assert account.id is not None
    return Interaction(account_id=account.id, date=day, stakeholders=[s.id for s in people if s.id is not None])


def review(account: Account, day: dt.date, **kw: Any) -> Review:
    assert account.id is not None
    return Review(account_id=account.id, date=day, reviewer="ana", **kw)


def reread(p: Portfolio, acc: Account) -> Account:
    """The account as stored now (record_review has moved its last review since it was read)."""
    assert acc.id is not None
    got = p.account(acc.id)
    assert got is not None
    return got


def fresh(p: Portfolio, sh: Stakeholder) -> Stakeholder:
    assert sh.id is not None
    got = p.get(Stakeholder, sh.id)
    assert got is not None
    return got


# ------------------------------------------------------------------------ log_interaction


def test_log_interaction_moves_last_contact_up_and_coverage_none_to_brief(p: Portfolio) -> None:
    acc = add_account(p)
    ada = add_person(p, acc, "Ada", last_contact=D(2026, 10, 1))
    bo = add_person(p, acc, "Bo")  # never contacted
    change = p.log_interaction(interaction(acc, D(2026, 11, 20), ada, bo))
    assert (fresh(p, ada).last_contact, fresh(p, ada).coverage) == (D(2026, 11, 20), Coverage.BRIEF)
    assert (fresh(p, bo).last_contact, fresh(p, bo).coverage) == (D(2026, 11, 20), Coverage.BRIEF)
    assert acc.id is not None
    [logged] = p.interactions(acc.id)
    assert logged.id == change.ids[0] and logged.stakeholders == [ada.id, bo.id]


def test_log_interaction_never_moves_last_contact_back_nor_coverage_down(p: Portfolio) -> None:
    acc = add_account(p)
    ada = add_person(p, acc, "Ada", last_contact=D(2026, 11, 1), coverage=Coverage.IN_DEPTH)
    p.log_interaction(interaction(acc, D(2026, 10, 1), ada))  # an older one, logged late
    assert (fresh(p, ada).last_contact, fresh(p, ada).coverage) == (D(2026, 11, 1), Coverage.IN_DEPTH)
    p.log_interaction(interaction(acc, D(2026, 11, 1), ada))  # same day
    assert fresh(p, ada).last_contact == D(2026, 11, 1)
    assert acc.id is not None and len(p.interactions(acc.id)) == 2


@pytest.mark.parametrize("coverage", [Coverage.BRIEF, Coverage.REGULAR, Coverage.IN_DEPTH])
def test_log_interaction_keeps_existing_coverage(p: Portfolio, coverage: Coverage) -> None:
    acc = add_account(p)
    ada = add_person(p, acc, coverage=coverage)
    p.log_interaction(interaction(acc, TODAY, ada))
    assert fresh(p, ada).coverage is coverage


def test_log_interaction_is_one_journal_line(p: Portfolio, store: Store) -> None:
    acc = add_account(p)
    people = [add_person(p, acc, n) for n in ("Ada", "Bo", "Cy")]
    before = journal_lines(store)
    p.log_interaction(interaction(acc, TODAY, *people))
    assert journal_lines(store) == before + 1


def test_log_interaction_refuses_a_stakeholder_of_another_account_and_writes_nothing(
    p: Portfolio, store: Store
) -> None:
    acc, other = add_account(p, "Acme"), add_account(p, "Globex")
    ada, stranger = add_person(p, acc, "Ada"), add_person(p, other, "Stranger")
    before, lines = state(store), journal_lines(store)
    with pytest.raises(LookupError, match=f"stakeholder {stranger.id} is not on this account"):
        p.log_interaction(interaction(acc, TODAY, ada, stranger))
    with pytest.raises(LookupError):
        p.log_interaction(Interaction(account_id=acc.id or 0, date=TODAY, stakeholders=[123456789]))
    assert state(store) == before and journal_lines(store) == lines


# -------------------------------------------------------------------------- record_review


def test_record_review_moves_last_review_and_next_due_by_the_cadence(p: Portfolio, store: Store) -> None:
    acc = add_account(p, cadence="monthly", last_review=D(2026, 10, 23))
    assert acc.id is not None
    lines = journal_lines(store)
    change = p.record_review(review(acc, D(2026, 11, 23), engagement=4))
    assert journal_lines(store) == lines + 1  # review and account in one transaction
    doc = store.get("accounts", acc.id)
    assert doc is not None and doc["last_review"] == "2026-11-23"
    assert review_due(doc, TODAY) == D(2026, 12, 23)
    [saved] = p.reviews(acc.id)
    assert (saved.id, saved.date, saved.engagement) == (change.ids[0], D(2026, 11, 23), 4)


def test_record_review_of_a_never_reviewed_account(p: Portfolio) -> None:
    acc = add_account(p, cadence="weekly")
    assert acc.id is not None
    p.record_review(review(acc, D(2026, 11, 20)))
    got = p.account(acc.id)
    assert got is not None and got.last_review == D(2026, 11, 20)


def test_record_review_moves_last_review_only_forward(p: Portfolio) -> None:
    acc = add_account(p, last_review=D(2026, 11, 1))
    assert acc.id is not None
    p.record_review(review(acc, D(2026, 10, 1)))  # a review entered late
    got = p.account(acc.id)
    assert got is not None and got.last_review == D(2026, 11, 1)
    assert [r.date for r in p.reviews(acc.id)] == [D(2026, 10, 1)]


def test_record_review_of_a_deleted_account(p: Portfolio, store: Store) -> None:
    acc = add_account(p)
    p.delete(acc)
    lines = journal_lines(store)
    with pytest.raises(LookupError):
        p.record_review(review(acc, TODAY))
    assert journal_lines(store) == lines


# ------------------------------------------------------------------------------- undo/redo


def _log(p: Portfolio) -> Change:
    acc = add_account(p)
    ada = add_person(p, acc, "Ada", last_contact=D(2026, 10, 1))
    bo = add_person(p, acc, "Bo", coverage=Coverage.REGULAR)
    return p.log_interaction(interaction(acc, D(2026, 11, 20), ada, bo))


def _review(p: Portfolio) -> Change:
    return p.record_review(review(add_account(p, last_review=D(2026, 10, 23)), D(2026, 11, 23)))


def _review_first(p: Portfolio) -> Change:
    return p.record_review(review(add_account(p), D(2026, 11, 23)))


def _edit(p: Portfolio) -> Change:
    acc = add_account(p, revenue=100.0)
    new = Account.from_doc({**acc.to_doc(), "name": "Acme Corp", "revenue": 250.0}, acc.id)
    return p.save(new, acc)[1]


def _insert(p: Portfolio) -> Change:
    return p.save(Stakeholder(account_id=add_account(p).id or 0, name="New"))[1]


def _tick(p: Portfolio) -> Change:
    acc = add_account(p)
    assert acc.id is not None
    obj, _ = p.save(Objective(account_id=acc.id, title="Grow"))
    action, _ = p.save(Action(account_id=acc.id, objective_id=obj.id or 0, text="call", due=TODAY))
    return p.toggle_action(action)[1]


def _friendliness(p: Portfolio) -> Change:
    return p.set_friendliness(add_person(p, add_account(p), friendliness=1), -2)[1]


def _delete_account(p: Portfolio) -> Change:
    acc = add_account(p)
    populate(p, acc)
    populate(p, add_account(p, "Other"))
    return p.delete(reread(p, acc))


def _delete_objective(p: Portfolio) -> Change:
    acc = add_account(p)
    populate(p, acc)
    assert acc.id is not None
    return p.delete(p.objectives(acc.id)[0])


def populate(p: Portfolio, acc: Account) -> None:
    """One record in every child table of ``acc``."""
    assert acc.id is not None
    ada = add_person(p, acc, "Ada")
    obj, _ = p.save(Objective(account_id=acc.id, title="Grow"))
    p.save(Action(account_id=acc.id, objective_id=obj.id or 0, text="call", due=TODAY))
    p.record_review(review(acc, D(2026, 11, 1)))
    p.log_interaction(interaction(acc, D(2026, 11, 2), ada))
    p.save(Opportunity(account_id=acc.id, title="Renewal", value=1000.0))
    p.save(Kpi(account_id=acc.id, name="On-time delivery", target=95.0, unit="%"))


CHANGES: dict[str, Callable[[Portfolio], Change]] = {
    "log interaction": _log,
    "record review": _review,
    "record first review": _review_first,
    "edit": _edit,
    "insert": _insert,
    "tick action": _tick,
    "friendliness": _friendliness,
    "delete account": _delete_account,
    "delete objective": _delete_objective,
}


@pytest.mark.parametrize("make", CHANGES.values(), ids=CHANGES.keys())
def test_undo_restores_and_redo_reapplies(p: Portfolio, store: Store, make: Callable[[Portfolio], Change]) -> None:
    # Set up through the same function, then undo just its last change to get the state before it.
    change = make(p)
    after = state(store)
    lines = journal_lines(store)
    undone = p.undo(change)
    assert journal_lines(store) == lines + 1
    before = state(store)
    assert before != after
    redone = p.undo(undone)
    assert state(store) == after
    p.undo(redone)
    assert state(store) == before


def test_undo_of_log_interaction_restores_each_field(p: Portfolio, store: Store) -> None:
    acc = add_account(p)
    ada = add_person(p, acc, "Ada", last_contact=D(2026, 10, 1))
    before = state(store)
    change = p.log_interaction(interaction(acc, D(2026, 11, 20), ada))
    p.undo(change)
    assert state(store) == before
    assert (fresh(p, ada).last_contact, fresh(p, ada).coverage) == (D(2026, 10, 1), Coverage.NONE)


def test_undo_of_record_review_restores_last_review(p: Portfolio, store: Store) -> None:
    acc = add_account(p, last_review=D(2026, 10, 23))
    assert acc.id is not None
    before = state(store)
    p.undo(p.record_review(review(acc, D(2026, 11, 23))))
    assert state(store) == before
    got = p.account(acc.id)
    assert got is not None and got.last_review == D(2026, 10, 23) and p.reviews(acc.id) == []


def test_delete_account_cascades_to_every_child(p: Portfolio, store: Store) -> None:
    acc, other = add_account(p, "Acme"), add_account(p, "Globex")
    populate(p, acc)
    populate(p, other)
    assert acc.id is not None and other.id is not None
    kept = {t: store.children(t, other.id) for t in TABLES if t != "accounts"}
    assert all(kept.values())
    lines = journal_lines(store)
    p.delete(reread(p, acc))
    assert journal_lines(store) == lines + 1
    assert p.account(acc.id) is None
    for table in TABLES:
        if table != "accounts":
            assert store.children(table, acc.id) == [], table
            assert store.children(table, other.id) == kept[table], table


def test_delete_objective_takes_its_actions_only(p: Portfolio, store: Store) -> None:
    acc = add_account(p)
    assert acc.id is not None
    keep, _ = p.save(Objective(account_id=acc.id, title="Keep"))
    drop, _ = p.save(Objective(account_id=acc.id, title="Drop"))
    p.save(Action(account_id=acc.id, objective_id=keep.id or 0, text="stays"))
    p.save(Action(account_id=acc.id, objective_id=drop.id or 0, text="goes"))
    p.delete(drop)
    assert [a.text for a in p.actions(acc.id)] == ["stays"]
    assert [o.title for o in p.objectives(acc.id)] == ["Keep"]


# -------------------------------------------------------------------------------- conflicts


def test_record_review_decides_against_the_latest_stored_last_review(p: Portfolio, path: Path) -> None:
    acc = add_account(p, last_review=D(2026, 10, 23))
    assert acc.id is not None
    other = Store(path, "ben")
    try:
        other.update("accounts", acc.id, {"last_review": "2026-11-01"})
        p.record_review(review(acc, D(2026, 10, 30)))  # older than ben's: last_review stays
        assert p.store.get("accounts", acc.id)["last_review"] == "2026-11-01"  # type: ignore[index]
        p.record_review(review(acc, D(2026, 11, 23)))  # newer: moves forward
        other.refresh()
        doc = other.get("accounts", acc.id)
        assert doc is not None and doc["last_review"] == "2026-11-23"
        assert len(other.children("reviews", acc.id)) == 2
    finally:
        other.close()


def test_save_conflicts_on_the_same_field_merges_another(p: Portfolio, store: Store, path: Path) -> None:
    acc = add_account(p, revenue=100.0)
    assert acc.id is not None
    other = Store(path, "ben")
    try:
        other.update("accounts", acc.id, {"revenue": 300.0, "industry": "Retail"})
        lines = journal_lines(store)
        with pytest.raises(ConflictError):
            p.save(Account.from_doc({**acc.to_doc(), "revenue": 200.0}, acc.id), acc)
        assert journal_lines(store) == lines
        saved, _ = p.save(Account.from_doc({**acc.to_doc(), "notes": "hi"}, acc.id), acc)
        assert (saved.revenue, saved.industry, saved.notes) == (300.0, "Retail", "hi")
    finally:
        other.close()


def test_undo_conflicts_when_another_session_changed_the_field_since(p: Portfolio, store: Store, path: Path) -> None:
    acc = add_account(p)
    ada = add_person(p, acc, "Ada", friendliness=1)
    assert ada.id is not None
    _, change = p.set_friendliness(ada, 2)
    other = Store(path, "ben")
    try:
        other.update("stakeholders", ada.id, {"friendliness": -1})
        lines = journal_lines(store)
        with pytest.raises(ConflictError):
            p.undo(change)
        assert journal_lines(store) == lines
        assert fresh(p, ada).friendliness == -1
    finally:
        other.close()


def test_undo_of_an_insert_conflicts_when_the_record_was_edited_since(p: Portfolio, path: Path) -> None:
    acc = add_account(p)
    sh, change = p.save(Stakeholder(account_id=acc.id or 0, name="New"))
    assert sh.id is not None
    other = Store(path, "ben")
    try:
        other.update("stakeholders", sh.id, {"title": "CTO"})
        with pytest.raises(ConflictError):
            p.undo(change)
        assert fresh(p, sh).title == "CTO"
    finally:
        other.close()


def test_log_interaction_from_a_stale_session_does_not_move_last_contact_back(p: Portfolio, path: Path) -> None:
    acc = add_account(p)
    ada = add_person(p, acc, "Ada", last_contact=D(2026, 10, 1))
    assert ada.id is not None
    other = Store(path, "ben")
    try:
        Portfolio(other, lambda: TODAY).log_interaction(interaction(acc, D(2026, 11, 20), ada))
        p.log_interaction(interaction(acc, D(2026, 11, 5), ada))  # p has not refreshed: it saw 2026-10-01
        assert fresh(p, ada).last_contact == D(2026, 11, 20)
    finally:
        other.close()


# ----------------------------------------------------------------------------- today_queue


def queue_setup(p: Portfolio) -> dict[str, Account]:
    """Ana's Acme has one of everything due today; Ben's Globex too; Ana's Initech is due in 3 days."""
    acme = add_account(p, "Acme", owner="ana", cadence="monthly", last_review=D(2026, 10, 23))
    globex = add_account(p, "Globex", owner="Ben", cadence="weekly", last_review=D(2026, 11, 10))
    initech = add_account(p, "Initech", owner="ana", cadence="weekly", last_review=D(2026, 11, 19))
    plain = add_account(p, "Plain", owner="ana", cadence="")  # no cadence: no review, no risk alerts
    for acc in (acme, globex, plain):
        assert acc.id is not None
        obj, _ = p.save(Objective(account_id=acc.id, title="Grow"))
        p.save(Action(account_id=acc.id, objective_id=obj.id or 0, text=f"{acc.name} call", due=D(2026, 11, 20)))
        add_person(p, acc, f"{acc.name} Ada", contact_every_days=30, last_contact=D(2026, 10, 1), friendliness=2)
        add_person(p, acc, f"{acc.name} Dora", role=DecisionRole.DECISION_MAKER, influence=Level.HIGH, friendliness=-2)
    p.record_review(review(acme, D(2026, 9, 23), engagement=2))
    p.record_review(review(acme, D(2026, 10, 23), engagement=4))
    return {"acme": acme, "globex": globex, "initech": initech, "plain": plain}


def test_today_queue_merges_reviews_actions_contacts_and_red_risks(p: Portfolio) -> None:
    accs = queue_setup(p)
    items = today_queue(p, TODAY)
    kinds = [it.kind for it in items]
    assert kinds == sorted(kinds, key=["review", "action", "contact", "risk", "plan", "losing_touch"].index)
    got = {(it.kind, it.account) for it in items}
    assert {("review", "Acme"), ("review", "Globex"), ("action", "Acme"), ("action", "Globex")} <= got
    assert {("contact", "Acme"), ("contact", "Globex"), ("contact", "Plain"), ("action", "Plain")} <= got
    assert ("review", "Initech") not in got and ("review", "Plain") not in got
    risks = [it for it in items if it.kind == "risk"]
    assert risks and all(it.severity == 2 for it in risks)  # amber risks stay in the account panes
    assert {it.account for it in risks} == {"Acme", "Globex"}  # Plain has no cadence
    dora = next(it for it in risks if it.title == "decision maker Acme Dora is hostile and never contacted")
    acme_id = accs["acme"].id
    assert acme_id is not None and dora.account_id == acme_id
    assert dora.target_id == next(s.id for s in p.stakeholders(acme_id) if s.name == "Acme Dora")


def test_today_queue_review_item_shows_health(p: Portfolio) -> None:
    accs = queue_setup(p)
    acme_id = accs["acme"].id
    assert acme_id is not None
    h = account_health(p, acme_id, TODAY)
    # Down against the health recorded at the last review: the action went late and Ada's
    # contact lapsed since.
    assert h.score is not None and h.trend == "▼" and h.last is not None and h.last.recorded
    [item] = [it for it in today_queue(p, TODAY) if it.kind == "review" and it.account == "Acme"]
    assert item.detail == f"health {h.score} ▼ · last review 2026-10-23"
    assert (item.due, item.days_late, item.severity) == (TODAY, 0, 1)


def test_today_queue_review_without_health_data_keeps_its_detail(p: Portfolio) -> None:
    add_account(p, "Bare", cadence="weekly")
    [item] = today_queue(p, TODAY)
    assert (item.kind, item.detail) == ("review", "last review never")


@pytest.mark.parametrize("owner", ["ben", " BEN "])
def test_today_queue_honours_owner(p: Portfolio, owner: str) -> None:
    queue_setup(p)
    items = today_queue(p, TODAY, owner=owner)
    assert items and {it.account for it in items} == {"Globex"}
    assert {it.kind for it in items} == {"review", "action", "contact", "risk", "plan", "losing_touch"}


def test_today_queue_honours_days(p: Portfolio) -> None:
    queue_setup(p)
    assert ("review", "Initech") not in {(it.kind, it.account) for it in today_queue(p, TODAY, days=2)}
    ahead = [it for it in today_queue(p, TODAY, days=3) if it.account == "Initech"]
    assert [(it.kind, it.due, it.days_late, it.severity) for it in ahead] == [("review", D(2026, 11, 26), -3, 0)]


def test_today_queue_passes_thresholds_to_risks(p: Portfolio) -> None:
    acc = add_account(p, "Acme", cadence="weekly", last_review=D(2026, 11, 1))  # due 8 Nov: 15 days late
    assert acc.id is not None
    add_person(p, acc, "Ada", friendliness=2, coverage=Coverage.REGULAR, last_contact=D(2026, 11, 1))
    add_person(p, acc, "Bo", friendliness=1, coverage=Coverage.REGULAR, last_contact=D(2026, 11, 1))
    risks = [it for it in today_queue(p, TODAY) if it.kind == "risk"]
    assert [it.title for it in risks] == ["review overdue by 15 days, more than a full cadence period (7d)"]
    assert [it for it in today_queue(p, TODAY, thresholds=Thresholds(review_late_periods=3)) if it.kind == "risk"] == []


def test_log_interaction_from_a_stale_session_does_not_lower_coverage(p: Portfolio, path: Path) -> None:
    acc = add_account(p)
    ada = add_person(p, acc, "Ada")
    assert ada.id is not None
    other = Store(path, "ben")
    try:
        other.update("stakeholders", ada.id, {"coverage": "in_depth"})
        p.log_interaction(interaction(acc, D(2026, 11, 5), ada))  # p has not refreshed: it saw "none"
        assert fresh(p, ada).coverage is Coverage.IN_DEPTH
    finally:
        other.close()
