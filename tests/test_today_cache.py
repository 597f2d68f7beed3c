"""Today's queue kept between changes (kamtui.store.today.TodayCache) is the queue computed
whole: the items of some accounts are theirs among all, and after any mix of edits (by this
session or another, records deleted or moved between accounts, a new day) recomputing only the
accounts the store names gives what computing everything gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import Interaction, Stakeholder
from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem, Thresholds
from kamtui.sample import generate, materialize_demo
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.store.ranking import account_stakes
from kamtui.store.today import Seed, TodayCache, queue_items, today_queue
from tests.ui_fixtures import TODAY


@pytest.fixture(params=["demo", "generated"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "demo":
        path = materialize_demo(tmp_path / "demo.json", TODAY)
    else:
        path = tmp_path / "gen.json"
        generate(path, 80, seed=11, today=TODAY)
    s = Store(path, user="tester")
    yield s
    s.close(compact=False)


def test_the_items_of_some_accounts_are_theirs_among_all_in_the_same_order(store: Store) -> None:
    p = Portfolio(store, lambda: TODAY)
    whole = queue_items(p, TODAY)
    accounts = [aid for aid, _ in store.all("accounts")]
    for aid in accounts:
        assert queue_items(p, TODAY, accounts=[aid]) == [it for it in whole if it.account_id == aid], aid
    some = set(random.Random(3).sample(accounts, 7))

    def by_account(items: list[QueueItem]) -> list[QueueItem]:
        return sorted(items, key=lambda it: it.account_id)  # stable: each account's order kept

    assert by_account(queue_items(p, TODAY, accounts=some)) == by_account([it for it in whole if it.account_id in some])


def _edit(rng: random.Random, p: Portfolio, store: Store) -> None:
    """One edit of a kind Today cares about, on a random record."""
    accounts = [aid for aid, _ in store.all("accounts")]
    aid = rng.choice(accounts)
    kind = rng.randrange(8)
    actions = p.actions(aid)
    people = p.stakeholders(aid)
    if kind == 0 and actions:
        p.toggle_action(rng.choice(actions))
    elif kind == 1 and people:
        person = rng.choice(people)
        p.set_friendliness(person, person.friendliness + rng.choice((-2, -1, 1, 2)), "test")
    elif kind == 2 and people:
        person = rng.choice(people)
        p.log_interaction(Interaction(account_id=aid, date=TODAY, stakeholders=[person.id or 0], summary="x"))
    elif kind == 3 and people:
        p.delete(rng.choice(people))
    elif kind == 4 and people:  # moved to another account, as a script might do
        person = rng.choice(people)
        assert person.id is not None
        store.update("stakeholders", person.id, {"account_id": rng.choice(accounts)})
    elif kind == 5:
        acc = p.account(aid)
        assert acc is not None
        cadence = rng.choice(("", "weekly", "monthly", "quarterly"))
        p.save(dataclasses.replace(acc, cadence=cadence, tier=rng.choice(("key", "regular"))), acc)
    elif kind == 6 and rng.random() < 0.3:
        acc = p.account(aid)
        assert acc is not None
        p.delete(acc)
    else:
        p.save(Stakeholder(account_id=aid, name=f"New {rng.random():.6f}", influence="high", friendliness=-2))


@pytest.mark.parametrize("seed", range(4))
def test_after_any_edits_the_kept_queue_is_the_queue_computed_whole(store: Store, tmp_path: Path, seed: int) -> None:
    rng = random.Random(seed)
    p = Portfolio(store, lambda: TODAY)
    cache = TodayCache(p)
    assert cache.queue(TODAY) == today_queue(p, TODAY)
    store.take_touched()
    other = Store(store.path, user="someone-else")  # another session's edits, read by refresh
    try:
        q = Portfolio(other, lambda: TODAY)
        for _ in range(12):
            for _ in range(rng.randrange(1, 4)):
                _edit(rng, *((p, store) if rng.random() < 0.5 else (q, other)))
            store.refresh()
            cache.touch(store.take_touched())
            assert cache.queue(TODAY) == today_queue(p, TODAY)
    finally:
        other.close(compact=False)


def test_a_new_day_and_a_change_of_anything_compute_it_whole(store: Store) -> None:
    p = Portfolio(store, lambda: TODAY)
    cache = TodayCache(p)
    cache.queue(TODAY)
    later = TODAY + dt.timedelta(days=9)
    assert cache.queue(later) == today_queue(p, later)  # nothing touched, but another day
    cache.touch(None)
    assert cache.queue(later) == today_queue(p, later)


def test_a_computation_that_fails_leaves_the_next_one_whole(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    from kamtui.store import today as today_module

    p = Portfolio(store, lambda: TODAY)
    cache = TodayCache(p)
    cache.queue(TODAY)
    aid = next(aid for aid, _ in store.all("accounts"))
    real = today_module.queue_items
    monkeypatch.setattr(today_module, "queue_items", lambda *a, **k: (_ for _ in ()).throw(OSError("disk")))
    cache.touch({aid})
    with pytest.raises(OSError):
        cache.queue(TODAY)
    calls: list[object] = []

    def spy(*a: object, **k: object) -> object:
        calls.append(k.get("accounts"))
        return real(*a, **k)  # type: ignore[arg-type]

    monkeypatch.setattr(today_module, "queue_items", spy)
    assert cache.queue(TODAY) == today_queue(p, TODAY)
    assert calls[0] is None  # whole, not just the account touched before the failure


def _seed(store: Store, thresholds: Thresholds = DEFAULT_THRESHOLDS, today: dt.date = TODAY) -> Seed:
    """What Today's preview process hands over: the items and stakes computed from the store's state."""
    p = Portfolio(store, lambda: today)
    items = queue_items(p, today, thresholds=thresholds)
    return Seed.of(store.state_id, today, thresholds, items, account_stakes(p, items))


def _no_whole_computation(monkeypatch: pytest.MonkeyPatch) -> None:
    """From now on, computing every account's items here fails the test."""
    from kamtui.store import today as today_module

    real = today_module.queue_items

    def some_only(*args: Any, **kwargs: Any) -> list[QueueItem]:
        assert kwargs.get("accounts") is not None, "the whole queue was computed here"
        return real(*args, **kwargs)

    monkeypatch.setattr(today_module, "queue_items", some_only)


@pytest.mark.parametrize("seed", range(2))
def test_an_offered_queue_kept_between_edits_is_the_queue_computed_whole(
    store: Store, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    p = Portfolio(store, lambda: TODAY)
    cache = TodayCache(p)
    handed = _seed(store)
    want = today_queue(p, TODAY)
    assert handed.queue() == want
    assert not cache.warm(TODAY)
    cache.offer(handed)
    assert cache.warm(TODAY)
    store.take_touched()
    _no_whole_computation(monkeypatch)
    assert cache.queue(TODAY) == want
    for _ in range(6):
        _edit(rng, p, store)
        cache.touch(store.take_touched())
        monkeypatch.undo()
        want = today_queue(p, TODAY)
        _no_whole_computation(monkeypatch)
        assert cache.queue(TODAY) == want


def test_an_offered_queue_of_another_state_day_or_thresholds_is_computed_here(store: Store) -> None:
    p = Portfolio(store, lambda: TODAY)
    older = _seed(store)
    aid = next(aid for aid, _ in store.all("accounts"))
    p.save(Stakeholder(account_id=aid, name="Newcomer", influence="high", friendliness=-2))
    for cache, offered in [
        (TodayCache(p), older),  # the file changed since it was computed
        (TodayCache(p, Thresholds(key_player_silence_days=5)), _seed(store)),  # other thresholds
        (TodayCache(p), _seed(store, today=TODAY - dt.timedelta(days=1))),  # another day
    ]:
        cache.offer(offered)
        assert not cache.warm(TODAY)
        assert cache.queue(TODAY) == today_queue(p, TODAY, thresholds=cache.thresholds)
