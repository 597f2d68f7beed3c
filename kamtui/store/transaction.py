"""What a transaction writes: its ops checked against the stored state, and the conflict rule.

:func:`resolve` turns the caller's :class:`Op` list into the journal's ops (whole documents,
stamped with ``rev``, ``updated_at`` and ``updated_by``), each document let through the door of
:mod:`kamtui.store.schema`, or refuses the whole transaction. It reads the tables it is given
and changes nothing; ``Store.commit`` calls it under the file lock, after catching up.

Conflict rule (documented in the README): a change is refused with :class:`ConflictError` when
another session changed *the same field of the same record* to a different value after the
caller read it (``seen``), or deleted the record. Changes to different fields of one record,
or to different records, merge. ``seen=None`` means a blind write.
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from kamtui.i18n import _
from kamtui.store.codec import META_TABLE, Tables
from kamtui.store.doctext import parsed
from kamtui.store.errors import ConflictError, StoreError, UnstorableValue
from kamtui.store.schema import META_FIELDS, admit, normal


@dataclass(slots=True)
class Op:
    """One change in a transaction."""

    kind: Literal["insert", "update", "delete"]
    table: str
    id: int | None = None
    values: Mapping[str, Any] = field(default_factory=dict)
    seen: Mapping[str, Any] | None = None


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises various errors without a passwd entry
        return os.environ.get("USER", "") or "unknown"


def now() -> str:
    """The time stamp of a transaction (UTC, to the second)."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def dumps_line(obj: Any) -> bytes:
    """``obj`` as one journal line; UnstorableValue for what JSON cannot hold."""
    try:
        return (json.dumps(obj, ensure_ascii=False, allow_nan=False, separators=(",", ":")) + "\n").encode()
    except (TypeError, ValueError) as exc:
        raise UnstorableValue(_("value cannot be stored as JSON: {error}").format(error=exc)) from exc
    except UnicodeEncodeError as exc:
        raise UnstorableValue(_("value holds a character JSON cannot store (lone surrogate)")) from exc


def valid_id(doc_id: Any) -> bool:
    return isinstance(doc_id, int) and not isinstance(doc_id, bool) and doc_id > 0


def _label(doc: Mapping[str, Any]) -> Any:
    """What the user knows the record by (its name, title or text), or ""."""
    return doc.get("name") or doc.get("title") or doc.get("text") or ""


def _conflict(table: str, doc_id: int, fields: list[str], current: Mapping[str, Any]) -> ConflictError:
    return ConflictError(
        table, doc_id, fields, current.get("updated_by", ""), current.get("updated_at", ""), label=_label(current)
    )


def _deleted(op: Op) -> ConflictError:
    """An update of a record another session deleted. The record is gone from the tables, so it
    is named by what the caller read of it (or what it writes); who deleted it, and when, the
    tables do not say."""
    label = _label(op.seen or {}) or _label(op.values)
    assert op.id is not None
    return ConflictError(op.table, op.id, [], "", "", deleted=True, label=label)


def resolve(
    ops: Iterable[Op], data: Tables, stamp: str, user: str, new_id: Callable[[str], int]
) -> tuple[list[dict[str, Any]], list[int]]:
    """The journal ops of a transaction over ``data`` (``{"t", "id", "doc"}``, doc None for a
    delete) and the ids the caller's ops touched. Raises StoreError (ConflictError, InvalidDocument,
    ...) and then nothing may be written. ``new_id(table)`` gives an id for an insert without one."""
    resolved: list[dict[str, Any]] = []
    staged: dict[tuple[str, str], dict[str, Any] | None] = {}
    ids: list[int] = []
    for op in ops:
        if op.table == META_TABLE or not op.table or op.table.startswith("_"):
            raise StoreError(_("table {name} is reserved").format(name=repr(op.table)))
        tbl = data.get(op.table, {})
        if op.kind not in ("insert", "update", "delete"):
            raise StoreError(_("unknown operation {kind}").format(kind=repr(op.kind)))
        if op.kind == "insert":
            if op.id is not None and not valid_id(op.id):
                raise StoreError(_("document id {id} is not a positive integer").format(id=repr(op.id)))
            doc_id = op.id if op.id is not None else new_id(op.table)
            key = str(doc_id)
            if key in tbl or (op.table, key) in staged:
                raise StoreError(_("{table} {id} already exists").format(table=op.table, id=doc_id))
            doc = admit(op.table, doc_id, {k: val for k, val in op.values.items() if k not in META_FIELDS})
            doc.update(rev=1, updated_at=stamp, updated_by=user)
        else:
            if not valid_id(op.id):
                raise StoreError(_("document id {id} is not a positive integer").format(id=repr(op.id)))
            assert op.id is not None
            doc_id = op.id
            key = str(doc_id)
            current = staged[(op.table, key)] if (op.table, key) in staged else parsed(tbl.get(key))
            if op.kind == "delete":
                if current is None:
                    ids.append(doc_id)
                    continue
                if op.seen is not None and current != op.seen:
                    # Like with like: absent and default are the same value (see schema.normal).
                    now_doc, seen_doc = normal(op.table, doc_id, current), normal(op.table, doc_id, op.seen)
                    assert now_doc is not None and seen_doc is not None
                    changed = [f for f in now_doc if f not in META_FIELDS and now_doc.get(f) != seen_doc.get(f)]
                    if changed:
                        raise _conflict(op.table, doc_id, changed, current)
                doc = None
            else:
                if current is None:
                    raise _deleted(op)
                values = {k: val for k, val in op.values.items() if k not in META_FIELDS}
                merged = {**current, **values}
                if op.seen is not None and op.seen != current:
                    # Changed since the caller read it (an unchanged document cannot clash, and
                    # building its normal forms is most of an edit's cost). Like with like:
                    # absent and default are the same value (see schema.normal).
                    was, now_doc = normal(op.table, doc_id, op.seen), normal(op.table, doc_id, current)
                    new_doc = normal(op.table, doc_id, merged)
                    assert was is not None and now_doc is not None and new_doc is not None
                    clash = [f for f in values if was.get(f) != now_doc.get(f) != new_doc.get(f)]
                    if clash:
                        raise _conflict(op.table, doc_id, clash, current)
                doc = admit(op.table, doc_id, merged, values)
                doc.update(rev=int(current.get("rev", 0)) + 1, updated_at=stamp, updated_by=user)
        staged[(op.table, key)] = doc
        resolved.append({"t": op.table, "id": doc_id, "doc": doc})
        ids.append(doc_id)
    return resolved, ids
