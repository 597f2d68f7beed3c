"""The snapshot file's format: a plain TinyDB database in kamtui's own one-document-per-line layout.

:func:`kamtui.store.writing.snapshot_chunks` writes it: ``_meta`` first (schema version, the
seq of the last edit the snapshot holds, and a CRC-32 of every byte after it), then the tables
sorted by name, each document on one line, keys sorted, so that equal data gives identical
bytes and an edit shows in ``git diff`` as the one line it changed.

:func:`parse_snapshot` reads any TinyDB file whole and says what is wrong with a damaged one.
:func:`parse_tables` reads kamtui's own layout faster: a big file in pieces (so that a reading
thread never holds the interpreter lock for long), or only the tables a reader needs, with some
documents left as JSON text until read (``kamtui due``; :mod:`kamtui.store.doctext`), vouched
for by the CRC-32 in ``_meta``.
:func:`decode` picks between them.
"""

from __future__ import annotations

import gc
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from kamtui.i18n import N_, _
from kamtui.store import integrity, owned
from kamtui.store.doctext import (
    all_objects,
    digit_keys,
    loads,
    msgspec_decoder,
    owners_of,
    raw_table,
)

SCHEMA_VERSION = 1
META_TABLE = "_meta"
#: A table a snapshot may sum up in ``_meta``, and the key of that summary there: a view that
#: asks for summaries (parse_tables' ``summarised``) reads the summary instead of the table.
SUMMARIES = {"opportunities": "pipelines"}
#: The accounts with a cadence, as kamtui.domain.queue.REVIEW_FIELDS by id: what the TUI's
#: first screen of a big file shows (kamtui.store.reading.review_summary), read from the head
#: of the file. Not in SUMMARIES: every other reader needs the accounts themselves.
REVIEWS = "reviews"
#: What ``_meta`` records of the snapshot itself. Its every other key is a summary (SUMMARIES,
#: REVIEWS, owned.OWNERS: each child document's account), each vouched for by the CRC.
META_OWN = frozenset({"crc32", "heads", "schema", "seq"})


def vouched(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The summaries ``_meta`` holds, those this kamtui reads and any other: a later kamtui's
    file, with a summary this one does not know, is still a file its CRC vouches for."""
    return {k: v for k, v in meta.items() if k not in META_OWN}


Tables = dict[str, dict[str, dict[str, Any]]]

# A file this big is parsed by msgspec (~1.8x faster than json); below, importing msgspec (~20 ms)
# would cost more than it saves (~3 ms per MB).
MSGSPEC_ABOVE = 8_000_000  # bytes


def _table_ok(table: dict[str, Any]) -> bool:
    """Every document an object and every id ASCII digits, checked at C speed (no Python loop)."""
    return not table or (digit_keys(table) and set(map(type, table.values())) == {dict})


def _check_layout(data: Any) -> str | None:
    """Why ``data`` is not a TinyDB database, or None if it is one."""
    if not isinstance(data, dict):
        return _("not a TinyDB database: the top level is a {type}, not an object").format(type=type(data).__name__)
    for name, table in data.items():
        if not isinstance(table, dict):
            return _("not a TinyDB database: table {name} is a {type}, not an object").format(
                name=repr(name), type=type(table).__name__
            )
        if _table_ok(table):
            continue
        for key, doc in table.items():
            if not isinstance(doc, dict):
                return _("not a TinyDB database: document {table}/{id} is not an object").format(table=name, id=key)
            if not (key.isascii() and key.isdigit()):
                return _("not a TinyDB database: document id {table}/{id} is not a number").format(
                    table=name, id=repr(key)
                )
    return None


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off meanwhile (if it was on). JSON holds no reference cycles:
    among the containers parsed from it, the collector has nothing to find, and its passes over
    hundreds of thousands of them (a parse, a pass over every document) only cost time."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def parse_snapshot(raw: bytes, fast: bool | None = None) -> Tables:
    """Parse snapshot bytes, raising ValueError with a readable reason (by msgspec if ``fast``;
    None: if the file is over MSGSPEC_ABOVE)."""
    if not raw:
        raise ValueError(_("the file is empty (0 bytes)"))
    # Without the collector: it makes a 50,000-account file parse ~40% faster.
    with collector_paused():
        try:
            if not (len(raw) > MSGSPEC_ABOVE if fast is None else fast):
                raise ValueError("json")
            data = msgspec_decoder().decode(raw)
        except ValueError:  # msgspec.DecodeError too
            data = _json_verdict(raw)
        reason = _check_layout(data)  # before the collector's first pass would rescan it all
    if reason:
        raise ValueError(reason)
    return data  # type: ignore[no-any-return]


def _json_verdict(raw: bytes) -> Any:
    """What ``json.loads`` makes of a file msgspec refused, or ValueError with a readable reason."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(_("not valid UTF-8 (byte {byte})").format(byte=exc.start)) from exc
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data":
            where = _("trailing garbage after the JSON document (line {line}, column {column})")
            raise ValueError(where.format(line=exc.lineno, column=exc.colno)) from exc
        why = _("not valid JSON: {error} (line {line}, column {column})")
        error = _(_JSON_ERRORS[exc.msg]) if exc.msg in _JSON_ERRORS else exc.msg
        raise ValueError(why.format(error=error, line=exc.lineno, column=exc.colno)) from exc


# What Python's json parser (its C scanner) says of a file it refuses, in the user's language:
# json's own words are English whatever the locale.
_JSON_ERRORS = {
    "Expecting value": N_("Expecting value"),
    "Expecting property name enclosed in double quotes": N_("Expecting property name enclosed in double quotes"),
    "Expecting ':' delimiter": N_("Expecting ':' delimiter"),
    "Expecting ',' delimiter": N_("Expecting ',' delimiter"),
    "Unterminated string starting at": N_("Unterminated string starting at"),
    "Invalid control character at": N_("Invalid control character at"),
    "Invalid \\escape": N_("Invalid \\escape"),
    "Invalid \\uXXXX escape": N_("Invalid \\uXXXX escape"),
}


_TABLE_LINE = re.compile(rb'^ "([^"\\\n]*)": \{(\},?)?$', re.M)


# Canonical JSON (kamtui's encoder, ensure_ascii=False) escapes only control characters; an escaped
# printable ASCII character could spell a key ("\\u0063adence"), which the lazy hints cannot see.
_ESCAPED_ASCII = re.compile(rb"\\u00[2-7]")


def _surely_unset(doc: bytes, token: bytes) -> bool:
    """Whether the document's JSON text certainly has the field (``token`` is its quoted name) null,
    "" or absent at the top level, by looking at the text alone.

    Sound for any JSON object text without escaped ASCII: a key equal to the name can only be
    written as ``token``; a quote inside a string is escaped, so ``token`` followed by ``:`` is a
    key. Exactly one occurrence, followed by ``: null`` or ``: ""`` and the end of the value: either
    it is the field (null or "") or the field is absent. Anything else answers False.
    """
    i = doc.find(token)
    if i < 0 or doc.find(token, i + 1) >= 0:
        return False
    value = doc[i + len(token) : i + len(token) + 7]
    return value in (b": null,", b": null}") or value[:5] in (b': "",', b': ""}')


def _lazy_table(body: bytes, fields: Iterable[str]) -> tuple[dict[str, Any], dict[str, set[str]]] | None:
    """A table's documents as id -> JSON bytes, unparsed, and for each of ``fields`` the ids whose
    value is certainly null or "" (see :func:`_surely_unset`); None if a line is unexpected."""
    if body == b"{}":
        return {}, {f: set() for f in fields}
    lines = body.split(b"\n")
    if len(lines) < 3 or lines[0] != b"{" or lines[-1] != b" }" or _ESCAPED_ASCII.search(body):
        return None
    parts = [line.partition(b'": ') for line in lines[1:-1]]
    keys = [p[0][3:] for p in parts]
    if not all(p[0][:3] == b'  "' and p[2][:1] == b"{" for p in parts):
        return None
    if b"" in keys or not b"".join(keys).isdigit():
        return None
    docs = dict(zip([k.decode() for k in keys], [p[2] for p in parts], strict=True))
    unset = {}
    for field_name in fields:
        token = f'"{field_name}"'.encode()
        unset[field_name] = {k for k, d in docs.items() if _surely_unset(d, token)}
    return docs, unset


PIECES_ABOVE = 4_000_000  # bytes: smaller files parse in one call (a few ms at most)
# A file this big read for writing keeps its documents as views into the file's bytes (see
# parse_tables' ``views``): at 50,000 accounts the 155 MB file made ~550 MB of dicts.
VIEWS_ABOVE = MSGSPEC_ABOVE
CHUNK_BYTES = 2 * 1024 * 1024  # per parse call when a table is parsed in pieces (~8 ms each)


def _parse_table(raw: bytes, begin: int, end: int, fast: bool = False) -> dict[str, Any] | None:
    """A table's text ``raw[begin:end]`` (``{``, one document per line, `` }``) parsed a few
    thousand lines at a time.

    One parse of a 40 MB table holds the interpreter lock for a quarter of a second: a TUI loading
    the file in a thread could not draw a frame meanwhile. In pieces of about CHUNK_BYTES, cut
    at line ends and read from the file's bytes (no copy of the table, no list of lines), the
    lock changes hands between calls. None (the caller parses the whole file) if a piece is not
    JSON. The pieces give exactly what one parse of the table gives: a JSON string holds no raw
    newline, so a cut inside a document (another writer's layout, over several lines) leaves a
    piece with a bracket open, which no JSON text can be; cut between documents, each piece holds
    whole documents, and a repeated id is the last one, as in one parse.
    """
    if not raw.startswith(b"{\n", begin, end) or not raw.endswith(b"\n }", begin, end):
        return None
    view = memoryview(raw)
    try:
        if end - begin <= CHUNK_BYTES:  # one call: no pieces to join
            whole = loads(view[begin:end], fast)
            return whole if isinstance(whole, dict) else None
        out: dict[str, Any] = {}
        start, stop = begin + 2, end - 3  # the documents: after "{\n", before "\n }"
        while start < stop:
            cut = raw.find(b"\n", min(start + CHUNK_BYTES, stop), stop)
            cut = stop if cut < 0 else cut
            last = cut - 1 if raw[cut - 1] == ord(",") else cut
            part = loads(b"".join((b"{", view[start:last], b"}")), fast)
            if not isinstance(part, dict):
                return None
            out.update(part)
            start = cut + 1
    except ValueError:  # not JSON (UnicodeDecodeError too): the whole-file parse names the damage
        return None
    return out


_WHITE_SPACE = frozenset(b" \t\n\r\x0b\x0c")  # what bytes.rstrip() strips


def table_end(raw: bytes, start: int, end: int) -> int:
    """Where the text of a table that starts at ``start`` ends, its next table's header being at
    ``end``: before the white space and the one comma in between (``raw[start:end].rstrip()``
    without a final comma), found without copying the table."""
    stop = end
    while stop > start and raw[stop - 1] in _WHITE_SPACE:
        stop -= 1
    if stop > start and raw[stop - 1] == ord(","):
        stop -= 1
    return stop


def table_header(raw: bytes, pos: int) -> re.Match[bytes] | None:
    """The table header line starting at ``pos`` (just after a newline), or None."""
    if raw[pos - 1 : pos] != b"\n":
        return None
    eol = raw.find(b"\n", pos)
    return _TABLE_LINE.match(raw, pos, eol if eol >= 0 else len(raw))


def _scanned_heads(raw: bytes) -> list[re.Match[bytes]] | None:
    """Every table header, found by reading the whole file (~1 ms per MB)."""
    heads: list[re.Match[bytes]] = []
    pos = 0
    while True:  # table headers are the only lines that start with one space and a quote
        pos = raw.find(b'\n "', pos)
        if pos < 0:
            return heads
        m = table_header(raw, pos + 1)
        if m is None:
            return None
        heads.append(m)
        pos = pos + 1


def meta_head(
    raw: bytes, fast: bool | None = None
) -> tuple[re.Match[bytes], re.Match[bytes], dict[str, Any], list[Any]] | None:
    """``_meta``'s header and the first table's after it, read from the head of a snapshot, with
    the ``_meta`` table (parsed once: its summaries make it ~3 MB at 50,000 accounts) and the
    list of table offsets it holds ("heads": from the first table's header; see
    :func:`~kamtui.store.writing.snapshot_chunks`), not yet checked; None if there is no such
    list. ``fast``: parsed by msgspec (see :func:`loads`; None: if ``raw`` is over
    MSGSPEC_ABOVE, a big file's whole text; a reader of the head alone of one says so)."""
    meta = table_header(raw, 2)
    if meta is None or meta.group(1) != META_TABLE.encode() or meta.group(2):
        return None
    pos = raw.find(b'\n "', meta.end())
    first = table_header(raw, pos + 1) if pos >= 0 else None
    if first is None:
        return None
    try:
        text = memoryview(raw)[meta.end() - 1 : table_end(raw, meta.end() - 1, first.start())]
        table = loads(text, len(raw) > MSGSPEC_ABOVE if fast is None else fast)
        listed = table["1"]["heads"]
    except (ValueError, KeyError, TypeError):
        return None
    if not isinstance(listed, list) or not listed or listed[0] != 0:
        return None
    if not all(type(rel) is int and rel >= 0 for rel in listed):
        return None
    return meta, first, table, listed


def _listed_heads(raw: bytes) -> tuple[list[re.Match[bytes]], dict[str, Any]] | None:
    """The table headers where the snapshot's ``_meta`` says they are (see :func:`meta_head`),
    each checked to be a header, and the ``_meta`` table they were read from; None if there is
    no such list or any offset is wrong. A header the list misses would lie inside a listed
    table: that table's text would then not parse as documents (a partial read checks the CRC
    too)."""
    found = meta_head(raw)
    if found is None:
        return None
    meta, first, table, listed = found
    heads = [meta]
    for rel in listed:
        m = table_header(raw, first.start() + rel)
        if m is None or m.start() <= heads[-1].start():
            return None
        heads.append(m)
    return heads, table


def parse_tables(
    raw: bytes,
    wanted: Iterable[str] | None,
    lazy: Mapping[str, Iterable[str]] | None = None,
    unset: dict[str, dict[str, set[str]]] | None = None,
    verify: bool = True,
    fast: bool | None = None,
    summarised: bool = False,
    views: bool = False,
    owners: dict[str, dict[str, Any]] | None = None,
) -> Tables | None:
    """Parse only ``wanted`` tables (None: all, in pieces) of a snapshot in kamtui's own layout;
    None if unsure. ``summarised``: a wanted table whose summary ``_meta`` holds (SUMMARIES) is
    left out; the caller reads the summary instead.

    ``views``: every table read but ``_meta`` and the ``lazy`` ones maps ids to msgspec.Raw views
    into ``raw``, parsed when read (kamtui.store.documents): ``raw`` is kept, not ~3.5x its size
    of dicts (and a partial read that reads a few accounts' records decodes ~6x less). Each
    table is one msgspec call (~80 ms for the 42 MB of stakeholders at 50,000 accounts), and one
    more that checks that every document is an object and reads its ``account_id``
    (:func:`kamtui.store.doctext.owners_of`); the CRC is checked as for a partial read. ``owners``: the viewed tables
    it names (as keys) receive each document's ``account_id`` by id.

    The layout written by :func:`~kamtui.store.writing.snapshot_chunks` puts each table's header
    on a line of its own (`` "name": {``) and each document on one line, so a table is the text between two header
    lines. Only the wanted tables are decoded and parsed (UTF-8 never holds an ASCII byte inside
    a multi-byte character, so the headers can be found in the raw bytes). Anything unexpected
    (another writer's layout, a truncated or padded file, bad UTF-8 or JSON in a wanted table)
    returns None and the caller parses the whole file, which also reports what is wrong with it.

    Tables named in ``lazy`` map ids to the documents' JSON *bytes*, parsed only when read
    (:meth:`Store.get`); ``unset[table][field]`` receives the ids whose ``field`` (one of
    ``lazy[table]``) is certainly null or "", so that a reader can skip them unparsed. Their
    JSON is checked only when parsed: a damaged document in a lazy table is reported when read.

    A partial read checks the snapshot's CRC-32 (see :func:`_intact`) unless ``verify`` is False:
    only for a provisional reader whose result a whole read replaces (the TUI's preview process).
    """
    lazy = lazy or {}
    fast = len(raw) > MSGSPEC_ABOVE if fast is None else fast  # see loads
    if not raw.startswith(b"{\n") or not raw.endswith(b"\n}\n"):
        return None
    # Listed offsets: where every table is parsed, one hidden inside another would not parse; a
    # partial read's CRC vouches for them; a provisional reader (verify=False) only shows what it
    # reads until a whole read replaces it, and nothing keeps it (see kamtui.report.preview).
    listed = _listed_heads(raw)
    heads, meta_table = listed if listed is not None else (_scanned_heads(raw), None)
    if not heads or heads[0].start() != 2:
        return None
    want = None if wanted is None else set(wanted) | {META_TABLE}
    # The CRC of everything after _meta, on another core while this thread decodes (zlib lets go
    # of the interpreter lock for it): ~12 ms of kamtui due's read at 10,000 accounts.
    checked = (want is not None or views) and verify  # documents or tables not parsed here
    threaded = checked and len(heads) > 1 and len(raw) > integrity.CRC_THREAD_ABOVE
    crc = integrity.Crc(memoryview(raw)[heads[1].start() :]) if threaded else None
    meta = meta_table.get("1") if meta_table is not None else None
    summed_owners = meta.get(owned.OWNERS) if isinstance(meta, dict) else None
    out: Tables = {}
    try:
        with collector_paused():
            for n, m in enumerate(heads):
                end = heads[n + 1].start() if n + 1 < len(heads) else len(raw) - 2
                name = m.group(1).decode("utf-8")
                if want is not None and name not in want and not m.group(2):
                    # not wanted: check how it ends without copying it (tens of MB at 50,000 accounts)
                    tail = raw[max(m.end() - 1, end - 16) : end].rstrip()
                    if not tail.endswith((b"}", b"},")):
                        return None
                    continue
                if name == META_TABLE and meta_table is not None:  # parsed for its list of heads
                    out[name] = meta_table
                    if summarised and want is not None and isinstance(meta := meta_table.get("1"), dict):
                        want -= {t for t, key in SUMMARIES.items() if key in meta}
                    continue
                # The table's text from "{" to "}", as a view of the file's bytes: a wanted table is
                # decoded straight from them (a copy of a table is milliseconds at 10,000 accounts).
                if m.group(2):
                    if end != m.end() + 1:  # nothing but the next header after an empty table's line
                        return None
                    body = memoryview(b"{}")
                else:
                    body = memoryview(raw)[m.end() - 1 : table_end(raw, m.end() - 1, end)]
                if not body or body[-1] != ord("}"):
                    return None
                if views and name != META_TABLE and (want is None or name not in lazy):
                    viewed = raw_table(body)
                    if viewed is None:
                        return None
                    out[name] = viewed
                    if owners is not None and name in owners:
                        # Each document's account: from the snapshot's summary of them where its
                        # CRC is checked (kamtui.store.owned), else one msgspec pass that also
                        # checks that every document is an object, as a parse does.
                        heads_of = owned.read(summed_owners, name, viewed) if checked else None
                        if heads_of is None:
                            heads_of = owners_of(body, viewed)
                        elif not all_objects(viewed):
                            return None
                        owners[name] = heads_of
                    elif not all_objects(viewed):  # even where a CRC holds: anyone can write one
                        return None
                    continue
                if want is None:  # every table, in pieces (see _parse_table)
                    whole = {} if body.nbytes == 2 else _parse_table(raw, m.end() - 1, m.end() - 1 + body.nbytes, fast)
                    if whole is None:
                        return None
                    out[name] = whole
                    continue
                if name in want and name in lazy:
                    found = _lazy_table(bytes(body), lazy[name])
                    if found is not None:
                        out[name] = found[0]
                        if unset is not None:
                            unset[name] = found[1]
                        continue
                if name in want:
                    table = loads(body, fast)
                    if not isinstance(table, dict):
                        return None
                    out[name] = table
                    if summarised and name == META_TABLE and isinstance(meta := table.get("1"), dict):
                        want -= {t for t, key in SUMMARIES.items() if key in meta}  # _meta comes first
            # Still without the collector: its first pass would rescan every document just made.
            plain = {
                t: d for t, d in out.items() if (unset is None or t not in unset) and not (views and t != META_TABLE)
            }
            if _check_layout(plain) is not None:
                return None
    except ValueError:  # msgspec.DecodeError, UnicodeDecodeError: the whole parse names the damage
        return None
    if checked and not _intact(raw, heads, out, None if crc is None else crc.value()):
        return None  # something was skipped unchecked: only the whole parse can vouch for it
    return out


def _intact(raw: bytes, heads: list[re.Match[bytes]], tables: Tables, rest_crc: int | None = None) -> bool:
    """Whether the bytes after the leading ``_meta`` table, and the table offsets it lists, have the
    CRC-32 it records (see :func:`~kamtui.store.writing.snapshot_chunks`): the file is exactly
    as kamtui wrote it, valid JSON throughout, including the tables and documents a partial read skipped, and its tables
    are where the reader looked for them. A few ms per 10 MB."""
    if heads[0].group(1) != META_TABLE.encode():
        return False
    meta = tables.get(META_TABLE, {}).get("1")
    if not isinstance(meta, dict) or not isinstance(crc := meta.get("crc32"), int):
        return False
    rest = memoryview(raw)[heads[1].start() :] if len(heads) > 1 else b""
    extra = vouched(meta)
    try:
        return integrity.snapshot_crc(rest, meta.get("heads"), rest_crc, extra) == crc
    except (TypeError, ValueError):  # a summary json cannot write back (not kamtui's)
        return False


def crc_holds(raw: bytes) -> bool | None:
    """Whether a snapshot kamtui wrote is still exactly as written (its CRC-32 holds: the quick
    partial reads can trust it); None if it holds no CRC (another program's file, or one written
    before kamtui kept one). False: changed since, by hand or by another program."""
    found = meta_head(raw)
    meta = found[2].get("1") if found is not None else None
    if not isinstance(meta, dict) or not isinstance(meta.get("crc32"), int):
        return None
    listed = _listed_heads(raw)  # None: a table moved (an edit that changed the lengths)
    return listed is not None and _intact(raw, listed[0], {META_TABLE: listed[1]})


def decode(
    raw: bytes,
    only: Iterable[str] | None = None,
    lazy: Mapping[str, Iterable[str]] | None = None,
    unset: dict[str, dict[str, set[str]]] | None = None,
    verify: bool = True,
    summarised: bool = False,
    views: bool = False,
    owners: dict[str, dict[str, Any]] | None = None,
) -> Tables:
    """The snapshot's tables, or only those named in ``only`` (with ``lazy``, ``unset``, ``verify``
    and ``summarised`` as for :func:`parse_tables`; ``views`` and ``owners`` for a file over
    VIEWS_ABOVE: ``owners`` is emptied when the documents are not views). Raises
    ValueError with a readable reason for a damaged file.

    A whole small file is one parse (quickest); a big one is read in pieces (see
    :func:`parse_tables`) so that a UI thread is not starved while it loads, and by msgspec (see
    :func:`kamtui.store.doctext.loads`). Whatever the fast path is unsure of is parsed whole by
    :func:`parse_snapshot`, which names the damage.
    """
    views = views and len(raw) > VIEWS_ABOVE
    pieces = only is not None or len(raw) > PIECES_ABOVE or views
    found = (
        parse_tables(raw, only, lazy, unset, verify, summarised=summarised, views=views, owners=owners)
        if pieces
        else None
    )
    if (not found or not views) and owners is not None:
        owners.clear()
    if not found:
        if unset is not None:
            unset.clear()
        return parse_snapshot(raw)
    return found
