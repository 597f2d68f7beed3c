"""`kamtui due`'s fast path gives exactly what the reference path gives.

The fast path: a read-only view of four tables with the accounts kept as JSON text until read
(only those with a cadence or named by a due action or contact are parsed), and entities built
only for accounts the red-risk pre-filter cannot clear. The reference: the whole file loaded,
every account with a cadence turned into entities and judged by the risk rules. Both are
rendered in every format and compared byte for byte.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.cli import main
from kamtui.domain.errors import ValidationError
from kamtui.domain.hygiene import plan_items
from kamtui.domain.model import Account, Review, Stakeholder
from kamtui.domain.queue import DEFAULT_THRESHOLDS, QueueItem, Thresholds, build_queue
from kamtui.domain.risk import may_have_red_risk, red_risk_items, risk_items
from kamtui.domain.stakes import rank
from kamtui.report.due import render_json, render_plain, render_table
from kamtui.sample import generate
from kamtui.store import Store
from kamtui.store.codec import _surely_unset
from kamtui.store.portfolio import Portfolio, _entity
from kamtui.store.ranking import account_stakes
from kamtui.store.today import _with_health
from tests.hostile import STORABLE_NAMES
from tests.raw import write_raw_documents
from tests.ui_fixtures import build_portfolio

TODAY = dt.date(2026, 6, 15)


def reference_queue(path: Path, today: dt.date, days: int = 0, owner: str | None = None) -> list[QueueItem]:
    """The queue as computed before the fast path: everything parsed, entities for every reviewed account."""
    store = Store(path, create=False)
    try:
        p = Portfolio(store, lambda: today)
        items = build_queue(
            store.all("accounts"), store.all("actions"), store.all("stakeholders"), today, days=days, owner=owner
        )
        items = [_with_health(p, it, today) if it.kind == "review" else it for it in items]
        want = None if owner is None else owner.strip().casefold()
        alerts: list[QueueItem] = []
        for account_id, doc in store.all("accounts"):
            if not doc.get("cadence") or (want is not None and str(doc.get("owner", "")).strip().casefold() != want):
                continue
            try:
                account = _entity(Account, account_id, doc)
                # The red risks alone: the reviews' trends are amber (tests/test_red_alerts.py).
                alerts += red_risk_items(account_id, account, p.stakeholders(account_id), today, DEFAULT_THRESHOLDS)
            except (ValidationError, TypeError):
                continue
        red = [r for r in alerts if r.severity >= 2]
        red.sort(key=lambda it: (-it.severity, it.account.lower()))
        owned = {
            i: d for i, d in store.all("accounts") if want is None or str(d.get("owner", "")).strip().casefold() == want
        }
        plan = plan_items(store.all("objectives"), store.all("actions"), owned.get, today)
        items = items + red + plan
        return rank(items, account_stakes(p, items), today)
    finally:
        store.close(compact=False)


def assert_due_matches_reference(
    path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")  # no config: the defaults
    monkeypatch.setenv("COLUMNS", "120")
    checked = 0
    for days, owner in ((0, None), (7, None), (30, "ana")):
        ref = reference_queue(path, TODAY, days, owner)
        checked += len(ref)
        expected = {
            "json": render_json(ref, TODAY),
            "plain": render_plain(ref, TODAY),
            "table": render_table(ref, TODAY, width=120),
        }
        for fmt, want in expected.items():
            argv = ["due", "--db", str(path), "--today", TODAY.isoformat(), "--days", str(days), "--format", fmt]
            if owner:
                argv += ["--owner", owner]
            assert main(argv) == 0
            assert capsys.readouterr().out == want, (fmt, days, owner)
    assert checked  # the comparison saw items


def test_due_matches_reference_on_a_generated_portfolio(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gen.json"
    generate(path, 400, seed=11, today=TODAY)
    items = reference_queue(path, TODAY)
    assert {it.kind for it in items} == {"review", "action", "contact", "losing_touch", "risk", "plan"}
    assert_due_matches_reference(path, capsys, monkeypatch)


def test_due_matches_reference_with_journal_edits_and_odd_documents(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Edits still in the journal (a cadence set, a stakeholder turned hostile) and documents
    the validators convert, refuse or default: the lazy view and the pre-filter must not differ."""
    path = tmp_path / "odd.json"
    generate(path, 400, seed=3, today=TODAY)
    store = Store(path, user="t")
    store.compact()
    plain = [i for i, d in store.all("accounts") if not d.get("cadence")]
    keyed = [i for i, d in store.all("accounts") if d.get("cadence")]
    store.close(compact=False)
    # Documents another program wrote (the store refuses some of them and normalises the
    # others): the validators convert, refuse or default them when read.
    odd: list[dict[str, Any]] = [
        {"account_id": keyed[0], "name": "Label", "role": "decision_maker", "friendliness": "hostile"},
        {"account_id": keyed[1], "name": "Spaced", "role": " Decision Maker ", "friendliness": -1},
        {"account_id": keyed[2], "name": "Left as 1", "role": "user", "left": 1},
        {"account_id": keyed[3], "name": "Bad", "role": "user", "friendliness": 9},
        {"account_id": float(keyed[4]), "name": "Float id", "contact_every_days": 7},
        {"account_id": keyed[5], "name": "Text every", "contact_every_days": "14"},
        {"account_id": keyed[6], "name": "High", "influence": "HIGH", "friendliness": "friendly"},
    ]
    write_raw_documents(
        path,
        {
            "stakeholders": odd,
            "reviews": [{"account_id": keyed[10], "date": "not a date"}],
            "actions": [{"account_id": True, "text": "bool id", "due": "2026-06-01", "objective_id": 1}],
        },
    )
    store = Store(path, user="t")
    try:
        # In the journal only: an account gains a cadence; its stakeholders must then be judged.
        store.update("accounts", plain[0], {"cadence": "monthly", "last_review": "2026-01-02"})
        sid = store.insert(
            "stakeholders",
            {"account_id": plain[0], "name": "Late Larry", "role": "economic_buyer", "friendliness": -2},
        )
        store.update("stakeholders", sid, {"left": True})
        store.update("accounts", keyed[7], {"cadence": " quarterly ", "last_review": "2025-01-01T10:00"})
        store.update("accounts", keyed[8], {"cadence": "FREQ=WEEKLY;BYDAY=MO", "last_review": "2026-01-05"})
        store.update("accounts", keyed[9], {"cadence": None})
        store.insert(
            "actions", {"account_id": plain[1], "text": "plain account", "due": "2026-06-10", "objective_id": 1}
        )
    finally:
        store.close(compact=False)
    assert path.with_name(path.name + ".journal").stat().st_size > 0
    assert_due_matches_reference(path, capsys, monkeypatch)


def test_due_matches_reference_on_hostile_names(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "hostile.json"
    build_portfolio(path, names=STORABLE_NAMES)
    store = Store(path, user="tester")
    try:
        for n, name in enumerate(STORABLE_NAMES):
            acc = store.insert(
                "accounts",
                Account(
                    name=name,
                    tier="key",
                    owner=name,
                    cadence="monthly" if n % 3 else "",
                    revenue=1000,
                    last_review=TODAY - dt.timedelta(days=60),
                ).to_doc(),
            )
            store.insert(
                "stakeholders",
                Stakeholder(
                    account_id=acc,
                    name=name,
                    title=name,
                    role="decision_maker",
                    influence="high",
                    friendliness=-2 if n % 2 else 1,
                    last_contact=TODAY - dt.timedelta(days=90),
                    contact_every_days=30,
                ).to_doc(),
            )
            store.insert("reviews", Review(account_id=acc, date=TODAY - dt.timedelta(days=60), notes=name).to_doc())
        store.compact()  # hostile text in the snapshot itself, where the lazy view reads it
    finally:
        store.close(compact=False)
    assert_due_matches_reference(path, capsys, monkeypatch)


# ------------------------------------------------------------------ the pre-filter's promise

_values = st.sampled_from
_stakeholder = st.fixed_dictionaries(
    {"account_id": st.just(1), "name": st.sampled_from(["S", " S ", ""])},
    optional={
        "role": _values(["economic_buyer", "decision_maker", "user", "champion", "coach", " Decision Maker", 3, None]),
        "influence": _values(["high", "medium", "low", "HIGH", "High ", None, 1]),
        "friendliness": _values([-2, -1, 0, 1, 2, 5, "hostile", "champion", "1", 1.0, True, None]),
        "left": _values([False, True, 0, 1, None, "no"]),
        "last_contact": _values([None, "", "2026-06-01", "2025-01-01", "2026-06-01T09:00", "bad"]),
        "contact_every_days": _values([None, 7, 30, "30", 0]),
        "coverage": _values(["none", "regular", "in_depth", "deep"]),
    },
)
_account = st.fixed_dictionaries(
    {"name": st.just("A")},
    optional={
        "cadence": _values(["monthly", " weekly ", "FREQ=MONTHLY;BYDAY=1TU", "bogus", None, 3]),
        "last_review": _values([None, "", "2026-06-01", "2025-11-30", "2026-01-31T10:00", "2026-W05-1", 20260101]),
    },
)


@pytest.mark.parametrize(
    ("account", "stakeholders"),
    [
        ({"name": "A"}, [{"account_id": 1, "name": "S", "role": "champion", "left": True}]),  # champion_left
        ({"name": "A"}, [{"account_id": 1, "name": "S", "role": "decision_maker", "friendliness": -2}]),
        ({"name": "A"}, [{"account_id": 1, "name": "S", "role": "economic_buyer", "friendliness": -1}]),
        ({"name": "A"}, [{"account_id": 1, "name": "S", "influence": "high"}]),  # no_key_supporter
        ({"name": "A", "cadence": "monthly", "last_review": "2026-01-01"}, []),  # review_very_late
    ],
)
def test_prefilter_keeps_every_red_rule(account: dict[str, Any], stakeholders: list[dict[str, Any]]) -> None:
    entity = Account.from_doc(account, 1)
    people = [Stakeholder.from_doc(d, i) for i, d in enumerate(stakeholders, 1)]
    assert any(r.severity >= 2 for r in risk_items(1, entity, people, [], TODAY))
    assert may_have_red_risk(account, stakeholders, TODAY)


@settings(max_examples=1000, deadline=None)
@given(
    account=_account,
    stakeholders=st.lists(_stakeholder, max_size=3),
    periods=st.sampled_from([1.0, 0.5, 2.0]),
)
def test_prefilter_never_clears_an_account_with_a_red_risk(
    account: dict[str, Any], stakeholders: list[dict[str, Any]], periods: float
) -> None:
    thresholds = dataclasses.replace(Thresholds(), review_late_periods=periods)
    try:
        entity = Account.from_doc(account, 1)
        people = [Stakeholder.from_doc(d, i) for i, d in enumerate(stakeholders, 1)]
    except (ValidationError, TypeError):
        return  # the reference shows no alert for an account it cannot read
    red = [r for r in risk_items(1, entity, people, [], TODAY, thresholds) if r.severity >= 2]
    if red:
        assert may_have_red_risk(account, stakeholders, TODAY, thresholds), red


# ------------------------------------------------------------- the lazy view's field hint

_KEYS = ["cadence", 'x"cadence', "name", "cadence "]
_json_values = st.recursive(
    st.sampled_from([None, "", "cadence", '"cadence": null', "monthly", 0, 1.5, True]),
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(_KEYS), inner, max_size=2),
    max_leaves=6,
)


@settings(max_examples=500, deadline=None)
@given(doc=st.dictionaries(st.sampled_from(_KEYS), _json_values, max_size=4), sort=st.booleans())
def test_surely_unset_is_sound(doc: dict[str, Any], sort: bool) -> None:
    text = json.dumps(doc, ensure_ascii=False, sort_keys=sort).encode()
    if _surely_unset(text, b'"cadence"'):
        assert doc.get("cadence") in (None, "")


@pytest.mark.parametrize(
    ("text", "unset"),
    [
        (b'{"cadence": "", "name": "a"}', True),
        (b'{"cadence": null}', True),
        (b'{"name": "a"}', False),  # absent: not proven (the document is parsed)
        (b'{"cadence": "", "cadence": "monthly"}', False),  # a duplicate key: the last wins
        (b'{"cadence": "", "x": {"cadence": 1}}', False),
        (b'{"cadence" : "monthly", "y": {"cadence": ""}}', False),
        (b'{"cadence": "monthly"}', False),
    ],
)
def test_surely_unset_examples(text: bytes, unset: bool) -> None:
    assert _surely_unset(text, b'"cadence"') is unset
