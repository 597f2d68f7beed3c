"""What Today and ``kamtui due`` read quickly stays what they read before: the shortcuts taken
for speed at 10,000 accounts (see the README's benchmark table) give the same values."""

from __future__ import annotations

import dataclasses
import datetime as dt

from kamtui.domain.entity import field_spec
from kamtui.domain.model import ENTITIES, Stakeholder
from kamtui.domain.queue import QueueItem
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
