"""What Today and ``kamtui due`` read quickly stays what they read before: the shortcuts taken
for speed at 10,000 accounts (see the README's benchmark table) give the same values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.domain.entity import field_spec
from kamtui.domain.errors import ValidationError
from kamtui.domain.hygiene import OBJECTIVE, objective_problem, plan_items
from kamtui.domain.model import ENTITIES, Objective, Stakeholder
from kamtui.domain.queue import QueueItem
from kamtui.store import Store
from kamtui.store.codec import parse_snapshot, parse_tables, table_end
from kamtui.store.portfolio import _entity
from kamtui.store.schema import META_FIELDS


def test_no_entity_has_a_field_the_store_keeps_for_itself() -> None:
    """The portfolio builds entities from stored documents as they are, store fields and all."""
    for cls in ENTITIES.values():
        assert not {name for name, _ in field_spec(cls)} & META_FIELDS, cls.__name__


def test_an_entity_of_a_stored_document_is_the_entity_of_its_own_fields() -> None:
    own = {"account_id": 3, "name": "Ed", "role": "economic_buyer", "last_contact": "2026-01-02"}
    stored = {**own, "rev": 4, "updated_at": "2026-01-02T10:00:00Z", "updated_by": "ana"}
    assert set(stored) - set(own) == META_FIELDS
    assert _entity(Stakeholder, 7, stored) == Stakeholder.from_doc(own, 7)


def test_with_ranked_is_a_copy_with_every_field_but_ranked() -> None:
    fields = [f.name for f in dataclasses.fields(QueueItem)]
    # A new field must be copied by QueueItem.with_ranked too: add it there, then here.
    assert fields == [
        "kind",
        "account_id",
        "account",
        "owner",
        "title",
        "detail",
        "due",
        "days_late",
        "severity",
        "target_id",
        "never_contacted",
        "ranked",
    ]
    item = QueueItem("contact", 3, "Acme", "ana", "Ed", "every 30d", dt.date(2026, 1, 2), -2, 1, 9, True, "old")
    assert item.with_ranked("new") == dataclasses.replace(item, ranked="new")
    assert item.ranked == "old"


@pytest.mark.parametrize(
    "text",
    [b'{"1": {}}', b'{"1": {}},', b'{"1": {}},\n', b'{"1": {}}\n \t', b'{"1": {}},,', b"{}", b"{", b'{"1": {}} ,', b""],
)
def test_atable_ends_where_its_text_less_white_space_and_one_comma_ends(text: bytes) -> None:
    """The partial read decodes a table straight from the file's bytes, up to :func:`table_end`."""
    raw = b'x"' + text + b'\n "'
    stripped = text.rstrip()
    assert raw[2 : table_end(raw, 2, 2 + len(text))] == stripped.removesuffix(b",")


def test_a_partial_read_refuses_bad_utf_8_in_a_wanted_table_and_reads_the_others(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    store = Store(path, user="t")
    store.insert("accounts", {"name": "Acme"})
    store.insert("stakeholders", {"account_id": 1, "name": "Ed"})
    store.insert("actions", {"account_id": 1, "objective_id": 1, "text": "Call"})
    store.compact()
    store.close(compact=False)
    raw = path.read_bytes()
    assert parse_tables(raw, ["stakeholders", "actions"], verify=False) == {
        t: d for t, d in parse_snapshot(raw).items() if t in ("_meta", "stakeholders", "actions")
    }
    damaged = raw.replace(b'"Ed"', b'"E\xffd"')
    assert damaged != raw
    assert parse_tables(damaged, ["stakeholders"], verify=False) is None
    assert parse_tables(damaged, ["actions"], verify=False) is not None  # the damage is in a table not read


# ------------------------------------------------------ plan hygiene: objectives left unbuilt

TODAY = dt.date(2026, 6, 15)


def _day(offset: int) -> str:
    return (TODAY + dt.timedelta(days=offset)).isoformat()


_objective = st.fixed_dictionaries(
    {"account_id": st.just(1), "title": st.sampled_from(["Win", " Win ", ""])},
    optional={
        "due": st.sampled_from(
            [
                *(None, "", _day(-30), _day(-1), _day(0), _day(1), _day(400), " " + _day(5), _day(-3) + "T10:00"),
                *(_day(3) + "T10:00", "2026-W30-1", "2026-W20-1", "bad", "2026-02-30", 20260701, 1.5),
            ]
        ),
        "status": st.sampled_from(["open", "at_risk", "done", "dropped", "Done", " at risk ", "bogus", None, 3]),
    },
)


@settings(max_examples=500, deadline=None)
@given(objectives=st.lists(_objective, max_size=4), served=st.sets(st.integers(1, 4)))
def test_plan_hygiene_says_of_objectives_what_their_entities_say(
    objectives: list[dict[str, object]], served: set[int]
) -> None:
    """Objectives served by an open action and not past their date are passed over unbuilt: the
    items are those of every objective judged as an entity."""
    docs = list(enumerate(objectives, 1))
    actions = [(100 + i, {"account_id": 1, "objective_id": i, "text": "Do", "owner": "ana"}) for i in served]
    expected = []
    for oid, d in docs:
        try:
            problem = objective_problem(Objective.from_doc(d, oid), oid in served, TODAY)
        except (ValidationError, TypeError):
            continue
        if problem is not None:
            expected.append((oid, *problem))
    got = plan_items(docs, actions, {1: {"name": "Acme"}}.get, TODAY)
    assert sorted((it.target_id, it.title, it.severity) for it in got if it.detail == OBJECTIVE) == sorted(expected)


def test_an_accounts_children_come_in_id_order(tmp_path: Path) -> None:
    """By number, not as text: document 10 after document 9."""
    store = Store(tmp_path / "k.json", user="t")
    try:
        ids = [store.insert("stakeholders", {"account_id": 1, "name": f"S{n}"}) for n in range(12)]
        store.insert("stakeholders", {"account_id": 2, "name": "other"})
        assert [i for i, _ in store.children("stakeholders", 1)] == sorted(ids)
        assert {i: d["name"] for i, d in store.children("stakeholders", 1)} == {i: f"S{n}" for n, i in enumerate(ids)}
        assert store.children("stakeholders", 3) == []
    finally:
        store.close(compact=False)
