"""A document held as its JSON text until it is read, and how it is read.

A big file's documents stay text after a read (kamtui.store.codec.parse_tables): a lazy
table's line (bytes), a view into the file's bytes (msgspec.Raw) or a place in a private copy
of the file (an int, kamtui.store.places). What reads them is here: whole (:func:`parse_doc`,
:func:`parsed`), a few fields (:func:`fields_of`), its account alone (:func:`account_of`,
:func:`owners_of` for a whole table), or as text to write back (:func:`doc_text`). And
:func:`loads`, the JSON parse every read of the file goes through.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterable, Mapping
from typing import Any

from kamtui.store import places

_decoder: Any = None


def msgspec_decoder() -> Any:
    """msgspec's JSON decoder, imported on first use."""
    global _decoder
    if _decoder is None:
        import msgspec

        _decoder = msgspec.json.Decoder()
    return _decoder


def loads(buf: bytes | bytearray | memoryview, fast: bool = False) -> Any:
    """UTF-8 JSON bytes parsed as ``json.loads`` parses their text; by msgspec if ``fast``.

    Where msgspec accepts a text it gives what ``json.loads`` gives (tests/test_codec_msgspec.py);
    what it refuses (NaN, a lone surrogate escape, a byte order mark, damage) ``json`` parses, so
    that every file reads as it did before; ValueError if neither accepts it.
    """
    if fast:
        try:
            return msgspec_decoder().decode(buf)
        except ValueError:  # msgspec.DecodeError
            pass
    return json.loads(bytes(buf).decode("utf-8"))


_RAW: Any = None  # msgspec.Raw, once raw_table has imported msgspec (none exists before)


def unparsed(doc: object) -> bool:
    """A document still held as its JSON text: a lazy table's line (bytes), a view into the file
    read (msgspec.Raw; see :func:`parse_tables`) or its place in a copy of the file (an int, see
    kamtui.store.places)."""
    kind = type(doc)
    return kind is bytes or kind is _RAW or kind is int


def all_text(docs: Iterable[object]) -> bool:
    """Whether every document is still held as its JSON text (:func:`unparsed`), by their types
    alone (a C-level pass: no call per document)."""
    return all(kind is bytes or kind is _RAW or kind is int for kind in set(map(type, docs)))


REVIEW_DUE_FIELDS = ("cadence", "last_review")  # what kamtui.domain.queue.review_due reads
_fields_decoders: dict[tuple[str, ...], Any] = {}
_UNSET: Any = None  # msgspec.UNSET, once fields_of has imported msgspec


def fields_of(text: Any, fields: tuple[str, ...]) -> Any:
    """A document held as its JSON text (:func:`unparsed`), read for ``fields`` alone: an object
    whose ``get(key, default=None)`` answers as the parsed dict's does for those fields (null,
    absent, a key written twice: the last). The rest is skipped, not built: ~3x quicker than
    :func:`parse_doc` for an account. ValueError if it is not a JSON object (msgspec's, or
    places.Unreadable)."""
    global _UNSET
    decoder = _fields_decoders.get(fields)
    if decoder is None:
        import msgspec

        _UNSET = msgspec.UNSET
        spec = [(name, Any, msgspec.UNSET) for name in fields]
        kind = msgspec.defstruct("Fields", spec, gc=False, namespace={"get": _field_get})
        decoder = _fields_decoders[fields] = msgspec.json.Decoder(kind)
    if type(text) is bytes:  # a lazy table's line, with the comma that ends it
        text = text[:-1] if text.endswith(b",") else text
    elif type(text) is int:
        text = places.text(text)
    return decoder.decode(text)


def _field_get(self: Any, key: str, default: Any = None) -> Any:
    value = getattr(self, key, _UNSET)
    return default if value is _UNSET else value


def parse_doc(text: Any) -> Any:
    """A document held as its JSON text (:func:`unparsed`), parsed; ValueError if it is not JSON
    (places.Unreadable if its place cannot be read)."""
    if type(text) is bytes:  # a lazy table's line, with the comma that ends it: by msgspec if a
        # read has imported it already (a big file's: ~3x quicker), else json (a small file's)
        return loads(text[:-1] if text.endswith(b",") else text, _decoder is not None)
    if type(text) is int:  # a place (kamtui.store.places): the read may have made no decoder
        text = places.text(text)
        decoder = msgspec_decoder()
    else:  # a msgspec.Raw (raw_table made the decoder): loads(text, fast=True), called directly
        decoder = _decoder
    try:
        return decoder.decode(text)
    except ValueError:
        return json.loads(bytes(text).decode("utf-8"))


def parsed(doc: Any) -> Any:
    """A stored document as an object: parsed if still held as its JSON text, else itself."""
    return parse_doc(doc) if unparsed(doc) else doc


def doc_text(doc: Any) -> str:
    """A document held as its JSON text (:func:`unparsed`), as text to write back."""
    text = places.text(doc) if type(doc) is int else bytes(doc)
    return (text[:-1] if text.endswith(b",") else text).decode("utf-8")


# How a document's account is written in canonical JSON (kamtui's encoder: keys sorted).
_ACCOUNT_KEY = b'"account_id": '
_WHOLE_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?=[,}])")


def account_of(doc: Any) -> Any:
    """A stored document's ``account_id`` (None if it has none), read from its JSON text without
    parsing it when the text says it for certain.

    Sound for JSON text: a quote inside a string is escaped, so an unescaped ``"account_id": ``
    is a key; with no ``{`` before it but the document's own, it is a key of the document
    itself; found once, it is the key's only occurrence (a parse would take the last of two).
    Anything else (the key escaped or repeated, a nested object or a brace in a string before
    it, a value that is not a whole number) is parsed.
    """
    if not unparsed(doc):
        return doc.get("account_id")
    try:
        text = places.text(doc) if type(doc) is int else bytes(doc)
    except ValueError:  # places.Unreadable: an I/O error; whoever parses it says so
        return None
    i = text.find(_ACCOUNT_KEY)
    if i > 0 and text.find(b"{", 1, i) < 0 and text.find(_ACCOUNT_KEY, i + 1) < 0:
        m = _WHOLE_NUMBER.match(text, i + len(_ACCOUNT_KEY))
        if m is not None:
            return int(m.group())
    try:
        whole = parse_doc(text)
    except ValueError:
        return None
    return whole.get("account_id") if isinstance(whole, dict) else None


def raw_table(body: memoryview) -> dict[str, Any] | None:
    """A table's documents as id -> msgspec.Raw, each a view into the bytes ``body`` is a view of
    (no copy: the Raw objects keep those bytes alive); None if an id is not ASCII digits. One
    msgspec call, which checks the JSON syntax of every document but not that it is an object."""
    import msgspec

    global _RAW
    _RAW = msgspec.Raw
    msgspec_decoder()  # the decoder parse_doc parses them with
    table: dict[str, Any] = msgspec.json.decode(body, type=dict[str, msgspec.Raw])
    return table if digit_keys(table) else None


def digit_keys(table: Mapping[str, Any]) -> bool:
    """Whether every key is a document id as TinyDB writes one: ASCII digits, at least one.
    Checked at C speed (no Python loop: ~46,000 keys in ~1.4 ms)."""
    ids = "".join(table)
    return not table or (ids.isascii() and ids.isdigit() and "" not in table)


def all_objects(table: Mapping[str, Any]) -> bool:
    """Whether every document of a table :func:`raw_table` read is a JSON object: its msgspec call
    checked each one's JSON, so one that begins with ``{`` is one (~0.2 us a document, a fifth
    of a pass of :func:`owners_of`). A value's JSON text is never empty."""
    return all(memoryview(text)[0] == _BRACE for text in table.values())


_BRACE = ord("{")
_owners_decoder: Any = None
_ACCOUNT_ID = operator.attrgetter("account_id")


def owners_of(body: memoryview, table: dict[str, Any]) -> dict[str, Any]:
    """Each document's ``account_id`` (None if it has none) by id, read from a table's text in one
    msgspec call that builds nothing else (~50 ms for 100,000 documents): where a per-account
    index of documents held as their text comes from, rather than from parsing each. Raises
    ValueError (msgspec.ValidationError) if a document is not a JSON object: what a parse of the
    table would have found. Keyed by ``table``'s own ids (the table :func:`raw_table` made of the
    same text: same ids, same order), so that the ids this call decodes are garbage at once."""
    heads = _owner_heads(body)
    if heads.keys() != table.keys():  # cannot be: the same text gives the same ids, in its order
        raise ValueError("table ids differ between two reads of its text")
    return dict(zip(table, map(_ACCOUNT_ID, heads.values()), strict=True))


def owners_read(body: memoryview) -> dict[str, Any] | None:
    """:func:`owners_of` a table's text alone, keyed by the ids it reads, in its order; None if
    one is not ASCII digits."""
    heads = _owner_heads(body)
    if not digit_keys(heads):
        return None
    return dict(zip(heads, map(_ACCOUNT_ID, heads.values()), strict=True))


def object_ids(body: memoryview) -> list[str]:
    """The ids of a table's documents, in its order, read from its text in one msgspec call that
    checks that each is a JSON object and builds nothing of it (~2/3 of a pass of
    :func:`owners_read`); ValueError (msgspec.ValidationError) if one is not."""
    global _objects_decoder
    if _objects_decoder is None:
        import msgspec

        class Object(msgspec.Struct, gc=False):  # any object: its fields are skipped, not kept
            pass

        _objects_decoder = msgspec.json.Decoder(dict[str, Object])
    return list(_objects_decoder.decode(body))


_objects_decoder: Any = None


def _owner_heads(body: memoryview) -> dict[str, Any]:
    global _owners_decoder
    if _owners_decoder is None:
        import msgspec

        class Owner(msgspec.Struct, gc=False):  # garbage at once, and holds no cycle: ~35% quicker
            account_id: Any = None

        _owners_decoder = msgspec.json.Decoder(dict[str, Owner])
    return _owners_decoder.decode(body)  # type: ignore[no-any-return]
