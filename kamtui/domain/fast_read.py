"""Entities built from stored documents at speed, for the readers that build thousands of them
(Today's queue and ``kamtui due`` at 10,000 accounts, the TUI's load).

:func:`reader` generates, once per class, a function that builds the object straight from a
document: each field is read by a few inline checks when its value has the stored spelling
(the one the validators return unchanged: ``"2026-12-02"``, ``"friendly"`` as an enum's value,
an ASCII text with no space around it, ...), and by the very validator ``__post_init__`` calls
otherwise, so a converted value is the same. A document that is not a dict, lacks a required
field or holds a value a validator refuses makes the reader give up (None); the constructor
then reads it and raises its error, naming the first bad field as it always did. Nothing else
changes: a reader is a shortcut to the object the constructor would build.

``tests/test_fast_read.py`` checks that reader and constructor agree on generated documents,
and that every entity's stored spelling takes the shortcut.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable
from enum import Enum
from typing import Any

from kamtui.domain import validate as v
from kamtui.domain.amounts import MAX_AMOUNT

Reader = Callable[..., Any]  # (doc, id=None) -> the object, or None: give up

_MISSING = object()
_INF = math.inf


class Field:
    """How one field is read: ``code`` is the inline reading of ``x`` (``{f}``: the field's name,
    ``{c}``: this field's fallback in the generated namespace, ``{e}``: ``extra``), ``fallback``
    the validator, which must give what ``__post_init__`` gives for the value. (A plain class:
    a dataclass costs the import half a millisecond.)"""

    __slots__ = ("code", "extra", "fallback")

    def __init__(self, code: str, fallback: Callable[[str, Any], Any], extra: Any = None) -> None:
        self.code, self.fallback, self.extra = code, fallback, extra


def integer(lo: int | None = None, hi: int | None = None, convert: Callable[[str, Any], Any] | None = None) -> Field:
    """v.integer (or ``convert``, which must agree with it on ints) within ``lo``..``hi``."""
    bounds = "".join(f" or x {op} {bound}" for op, bound in (("<", lo), (">", hi)) if bound is not None)
    fallback = convert or (lambda f, x: v.integer(f, x, lo, hi))
    return Field(f"if x.__class__ is not int{bounds}: x = {{c}}({{f}}, x)", fallback)


def optional_int(lo: int | None = None, hi: int | None = None) -> Field:
    bounds = "".join(f" or x {op} {bound}" for op, bound in (("<", lo), (">", hi)) if bound is not None)
    return Field(
        f"if x is not None and (x.__class__ is not int{bounds}): x = {{c}}({{f}}, x)",
        lambda f, x: v.optional_int(f, x, lo, hi),
    )


def text(max_len: int = v.MAX_TEXT, required: bool = False) -> Field:
    empty = " or not x" if required else ""
    return Field(
        "if x.__class__ is str and x.isascii() and '\\x00' not in x:\n"
        "    x = x.strip()\n"
        f"    if len(x) > {max_len}{empty}: x = {{c}}({{f}}, x)\n"
        "else: x = {c}({f}, x)",
        lambda f, x: v.text(f, x, required=required, max_len=max_len),
    )


def enum(cls: type[Enum]) -> Field:
    return Field(
        "y = {e}.get(x) if x.__class__ is str else None\nx = y if y is not None else {c}({f}, x)",
        lambda f, x: v.enum(f, cls, x),
        {m.value: m for m in cls},  # the stored spelling: a member's value
    )


_ISO = (
    "x.__class__ is str and len(x) == 10 and x[4] == '-' == x[7] and x.isascii() and (x[:4] + x[5:7] + x[8:]).isdigit()"
)


# The stored spelling (the model keeps any real date: validate.stored_date).
_KEPT = _ISO


def date() -> Field:
    return Field(f"x = _fromiso(x) if {_KEPT} else {{c}}({{f}}, x)", v.stored_date)


def optional_date() -> Field:
    return Field(f"if x is not None: x = _fromiso(x) if {_KEPT} else {{c}}({{f}}, x)", v.optional_stored_date)


def boolean() -> Field:
    return Field("if x.__class__ is not bool: x = {c}({f}, x)", v.boolean)


def money() -> Field:
    return Field("x = x + 0.0 if x.__class__ is float and 0.0 <= x <= _MAX_AMOUNT else {c}({f}, x)", v.money)


def number() -> Field:
    return Field("x = x + 0.0 if x.__class__ is float and -_MAX_AMOUNT <= x <= _MAX_AMOUNT else {c}({f}, x)", v.number)


def optional_number() -> Field:
    return Field(
        "if x is not None:\n"
        "    x = x + 0.0 if x.__class__ is float and -_MAX_AMOUNT <= x <= _MAX_AMOUNT else {c}({f}, x)",
        v.optional_number,
    )


def converted(convert: Callable[[Any], Any], empty: type[list[Any]] | type[dict[str, Any]] | None = None) -> Field:
    """A field ``__post_init__`` reads with ``convert(value)`` (a list of records, a mapping);
    ``empty``: an empty list (or dict) is read as a new empty one without the call."""
    shortcut = f"if x.__class__ is {empty.__name__} and not x: x = {empty.__name__}()\nelse: " if empty else ""
    return Field(shortcut + "x = {c}({f}, x)", lambda f, x: convert(x))


COMPILE_AFTER = 128  # documents of a class its constructor reads before its reader is compiled


class Readers(dict[type, Reader]):
    """Each class's reader, generated from its declaration once the class is read often enough
    to pay for it (:meth:`of`): compiling one costs ~0.4 ms, what the constructor takes for ~130
    documents, so a small file (25 accounts) or a class read a few times never compiles one.
    Asking for it by key (``readers[cls]``) compiles it at once; None for a class without one.
    Two threads may both compile a reader; either result is the same."""

    def __init__(self) -> None:
        super().__init__()
        self._declared: dict[type, dict[str, Field]] = {}
        self._uses: dict[type, int] = {}

    def declare(self, cls: type, **fields: Field) -> None:
        """How each field of dataclass ``cls`` but ``id`` is read, every one of them (see :func:`reader`)."""
        _check(cls, fields)
        self._declared[cls] = fields
        self.pop(cls, None)  # a reader compiled from an earlier declaration

    def of(self, cls: type) -> Reader | None:
        """``cls``'s reader, or None while the constructor reads it (see the class docstring):
        each call without a reader counts one document read by the constructor."""
        read = self.get(cls)
        if read is None and cls in self._declared:
            uses = self._uses[cls] = self._uses.get(cls, 0) + 1
            if uses >= COMPILE_AFTER:
                read = self[cls]
        return read

    def __missing__(self, cls: type) -> Reader | None:
        fields = self._declared.get(cls)
        if fields is None:
            return None
        read = self[cls] = reader(cls, **fields)
        return read


def _check(cls: type, fields: dict[str, Field]) -> None:
    if {f.name for f in dataclasses.fields(cls) if f.name != "id"} != set(fields):
        raise TypeError(f"{cls.__name__}: the reader's fields are not the dataclass's ({sorted(fields)})")


def reader(cls: type, **fields: Field) -> Reader:
    """The reader of dataclass ``cls`` (slotted, not frozen, no ``__init__`` of its own beyond
    the dataclass's): ``fields`` names how each field but ``id`` is read, every one of them."""
    _check(cls, fields)
    declared = [f for f in dataclasses.fields(cls) if f.name != "id"]
    has_id = any(f.name == "id" for f in dataclasses.fields(cls))
    ns: dict[str, Any] = {"_M": _MISSING, "_INF": _INF, "_fromiso": dt.date.fromisoformat, "_new": object.__new__}
    ns["_MAX_AMOUNT"] = MAX_AMOUNT
    ns["_cls"] = cls
    body: list[str] = []
    for n, f in enumerate(declared):
        spec = fields[f.name]
        fallback = f"_c{n}"
        ns[fallback] = spec.fallback
        body.append(f"x = get({f.name!r}, _M)")
        if f.default is not dataclasses.MISSING:
            ns[f"_d{n}"] = f.default
            body.append(f"if x is _M: x = _d{n}")
        elif f.default_factory is not dataclasses.MISSING:
            ns[f"_d{n}"] = f.default_factory
            body.append(f"if x is _M: x = _d{n}()")
        else:
            body.append("if x is _M: return None")
        # A default is read as a stored value is (as __post_init__ reads it: Business() turns
        # its default swot {} into four empty parts).
        ns[f"_e{n}"] = spec.extra
        code = spec.code.replace("{c}", fallback).replace("{e}", f"_e{n}").replace("{f}", repr(f.name))
        body += code.splitlines()
        body.append(f"v{n} = x")
    sets = [f"o.{f.name} = v{n}" for n, f in enumerate(declared)] + (["o.id = id"] if has_id else [])
    source = "\n".join(
        [
            "def read(doc, id=None):",
            "    if doc.__class__ is not dict: return None",
            "    get = doc.get",
            "    try:",
            *("        " + line for line in body),
            "    except Exception:",
            "        return None  # the constructor says what is wrong",
            "    o = _new(_cls)",
            *("    " + line for line in sets),
            "    return o",
        ]
    )
    exec(compile(source, f"<reader of {cls.__name__}>", "exec"), ns)
    read: Reader = ns["read"]
    read.source = source  # type: ignore[attr-defined]
    return read
