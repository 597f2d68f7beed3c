"""The store's door: what may be written, and what "the same value" means.

Every document written to a kamtui table goes through :func:`admit`, which builds the domain
entity from it (refusing, with the field named, anything the domain rejects: a NUL, a bad date,
a missing name...) so that what is stored always loads. A new document is stored in its
*normal form*: every field of the entity, in its stored spelling, defaults filled in; keys the
entity does not know (written by a newer kamtui, say) are kept as they are. An update keeps the
fields it does not change byte for byte as stored and writes the changed ones normalised.

:func:`normal` is the same normal form for comparing: a document stored without its optional
fields (by an older kamtui, an import, any TinyDB script) and the entity the user edited agree
that an absent ``industry`` and ``""`` are the same value, so the conflict check compares like
with like.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from kamtui.domain.entity import field_spec, to_json
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import ENTITIES
from kamtui.i18n import _
from kamtui.store.errors import StoreError

META_FIELDS = frozenset({"rev", "updated_at", "updated_by"})


class InvalidDocument(StoreError):
    """A document the domain refuses. Nothing was written."""

    def __init__(self, table: str, doc_id: int | str, reason: str) -> None:
        self.table = table
        self.doc_id = doc_id
        self.reason = reason
        message = _("{table} {id}: {reason}; nothing was written")
        super().__init__(message.format(table=table, id=doc_id, reason=reason))


def _entity_doc(
    table: str, doc_id: int | str, doc: Mapping[str, Any], fields: Iterable[str] | None = None
) -> dict[str, Any]:
    """The entity's own fields of ``doc`` (or just ``fields`` of them), normalised; raises
    InvalidDocument. The whole document is checked either way."""
    cls = ENTITIES[table]
    try:
        entity = cls.from_doc({k: v for k, v in doc.items() if k not in META_FIELDS}, int(doc_id))
        if fields is None:
            return entity.to_doc()
        own = {name for name, _spec in field_spec(cls)}
        return {k: to_json(getattr(entity, k)) for k in fields if k in own}
    except ValidationError as exc:
        raise InvalidDocument(table, doc_id, str(exc)) from None
    except (TypeError, AttributeError) as exc:
        raise InvalidDocument(table, doc_id, _("missing or unexpected field ({error})").format(error=exc)) from None


def normal(table: str, doc_id: int | str, doc: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """``doc`` in normal form for comparing (extra keys kept); the document itself if the table
    has no schema or the document does not load (then raw values are all there is to compare)."""
    if doc is None or table not in ENTITIES:
        return doc
    try:
        return {**doc, **_entity_doc(table, doc_id, doc)}
    except InvalidDocument:
        return doc


def admit(
    table: str, doc_id: int | str, doc: dict[str, Any], changed: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The document to store: ``doc`` (a whole new document when ``changed`` is None, else the
    stored one with ``changed`` merged in) checked by the domain. Raises InvalidDocument.

    New documents are stored in normal form; an update normalises only the fields it changes.
    """
    if table not in ENTITIES:
        return doc
    if changed is None:
        return {**doc, **_entity_doc(table, doc_id, doc)}
    entity = _entity_doc(table, doc_id, doc, changed)  # only the changed fields are re-spelled
    return {k: entity.get(k, val) for k, val in doc.items()}
