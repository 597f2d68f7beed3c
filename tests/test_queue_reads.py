"""What Today and ``kamtui due`` read quickly stays what they read before: the shortcuts taken
for speed at 10,000 accounts (see the README's benchmark table) give the same values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from kamtui.domain.entity import field_spec
from kamtui.domain.model import ENTITIES, Stakeholder
from kamtui.domain.queue import QueueItem
from kamtui.store import Store
from kamtui.store.codec import _table_end, parse_snapshot, parse_tables
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
def test_a_table_ends_where_its_text_less_white_space_and_one_comma_ends(text: bytes) -> None:
    """The partial read decodes a table straight from the file's bytes, up to :func:`_table_end`."""
    raw = b'x"' + text + b'\n "'
    stripped = text.rstrip()
    assert raw[2 : _table_end(raw, 2, 2 + len(text))] == stripped.removesuffix(b",")


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
