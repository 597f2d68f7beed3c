"""What every stored entity shares: conversion to and from its JSON document.

Entities are slotted dataclasses that validate themselves on construction; a document's keys
the entity does not know are ignored on read (the store's door keeps them on disk).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping
from enum import Enum
from typing import Any, ClassVar, Self

from kamtui.domain.errors import ValidationError
from kamtui.domain.fast_read import Readers
from kamtui.i18n import _


class Entity:
    """Shared document conversion. Subclasses are dataclasses with an ``id`` field."""

    TABLE: ClassVar[str]
    DATE_FIELDS: ClassVar[tuple[str, ...]] = ()

    id: int | None

    def to_doc(self) -> dict[str, Any]:
        return {name: to_json(getattr(self, name)) for name, _kind in field_spec(type(self))}

    @classmethod
    def from_doc(cls, doc: Mapping[str, Any], id: int | None = None) -> Self:
        """Build from a stored document; unknown keys are ignored, a missing required one is refused.

        By the class's reader (kamtui.domain.fast_read) when it has one and the document reads
        there; else by the constructor, which converts what it can and refuses the rest."""
        read = READERS.of(cls)
        if read is not None:
            entity: Self | None = read(doc, id)
            if entity is not None:
                return entity
        factory: Callable[..., Self] = cls
        return factory(id=id, **kwargs_of(cls, "", doc, cls.TABLE))


#: Each entity class's reader (kamtui.domain.fast_read), declared where the class is defined.
READERS = Readers()


def kwargs_of(cls: type, prefix: str, doc: Any, what: str) -> dict[str, Any]:
    """The keyword arguments of dataclass ``cls`` found in ``doc``, checked for missing required fields."""
    if not isinstance(doc, Mapping):
        raise ValidationError(what, _("must be an object, not {kind}").format(kind=type(doc).__name__))
    kwargs: dict[str, Any] = {}
    for name, required in field_spec(cls):
        if name in doc:
            kwargs[name] = doc[name]
        elif required:
            raise ValidationError(prefix + name, _("is required"))
    return kwargs


_FIELD_SPECS: dict[type, tuple[tuple[str, bool], ...]] = {}


def field_spec(cls: type) -> tuple[tuple[str, bool], ...]:
    """(name, required) of each field but ``id``; dataclasses.fields() is slow to call per document."""
    spec = _FIELD_SPECS.get(cls)
    if spec is None:
        spec = _FIELD_SPECS[cls] = tuple(
            (f.name, f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING)
            for f in dataclasses.fields(cls)
            if f.name != "id"
        )
    return spec


def to_json(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return [to_json(x) for x in value]
    if isinstance(value, dict):
        return {k: to_json(x) for k, x in value.items()}
    if hasattr(value, "to_json"):
        return value.to_json()
    return value
