"""How kamtui writes a snapshot file: :func:`snapshot_chunks` (the layout
:mod:`kamtui.store.codec` describes and reads back) and :func:`sorted_ids`, the order of its
documents (and of every list of ids that must match it: the summaries in ``_meta``, the
per-account indexes)."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

from kamtui.i18n import _
from kamtui.store import integrity
from kamtui.store.codec import META_TABLE, SCHEMA_VERSION, Tables
from kamtui.store.doctext import doc_text, unparsed
from kamtui.store.errors import UnstorableValue

__all__ = ["snapshot_chunks", "sorted_ids"]


# Each document is one line, encoded by the C encoder (no ``indent``: with it, json falls back to
# the pure-Python encoder, 5x slower). Keys sorted, so equal data gives identical bytes.
_DOC_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, sort_keys=True, separators=(", ", ": "))


def sorted_ids(table: Iterable[str]) -> list[str]:
    """Ids by (length, text): numeric order for canonical decimal ids ("9" < "10"), and a total,
    deterministic order for any. Two C-level sorts, no Python key function: fast at 100k+ ids."""
    ids = sorted(table)
    ids.sort(key=len)  # stable: equal lengths keep their text order
    return ids


def snapshot_chunks(data: Tables, seq: int, summaries: Mapping[str, Any] | None = None) -> list[bytes]:
    """The snapshot file for ``data`` at ``seq``, as UTF-8 chunks (one per table).

    A plain TinyDB database: tables sorted by name, documents by id, one document per line::

        {
         "_meta": {
          "1": {"crc32": 1234567, "heads": [0, 4321], "schema": 1, "seq": 42}
         },
         "accounts": {
          "7": {"name": "ACME", "rev": 3, ...},
          "12": {...}
         },
         "actions": {}
        }

    so that an edit shows in ``git diff`` as the one line of the document it changed.
    Raises :class:`UnstorableValue` for a value JSON cannot hold.

    The ``_meta`` table comes first and holds the CRC-32 of every byte after it, so that a
    reader that skips tables can still tell, at memory speed, that the file is exactly as
    written (see :func:`parse_tables`), and where each table starts ("heads": byte offsets from
    the first table's header), so that a reader finds them without reading the whole file.

    ``summaries`` (e.g. ``{"pipelines": {...}}``, see :data:`SUMMARIES`) go into ``_meta`` too,
    vouched for by the same CRC, for a reader that would rather not parse the table they sum up.
    """
    tables = {t: d for t, d in data.items() if t != META_TABLE}
    enc = _DOC_ENCODER.encode
    names = sorted(tables)
    chunks: list[bytes] = []
    crc = 0
    try:
        for i, name in enumerate(names):
            tbl = tables[name]
            head = f" {enc(name)}: "
            tail = ",\n" if i < len(names) - 1 else "\n}\n"
            if tbl:
                # Ids are ASCII digits (parse_snapshot and commit guarantee it): no escaping needed.
                # A document still held as the text kamtui wrote it (a view) is written back as is.
                body = ",\n".join(
                    [f'  "{k}": {doc_text(d) if unparsed(d := tbl[k]) else enc(d)}' for k in sorted_ids(tbl)]
                )
                text = head + "{\n" + body + "\n }" + tail
            else:
                text = head + "{}" + tail
            chunk = text.encode()
            crc = zlib.crc32(chunk, crc)
            chunks.append(chunk)
    except (TypeError, ValueError) as exc:  # UnicodeEncodeError (a lone surrogate) is a ValueError
        raise UnstorableValue(_("cannot serialise the database: {error}").format(error=exc)) from exc
    heads = [sum(map(len, chunks[:i])) for i in range(len(chunks))]  # where each table starts
    extra = dict(summaries or {})
    crc = integrity.snapshot_crc(b"", heads, crc, extra)  # the offsets and summaries are vouched for too
    meta = enc({"crc32": crc, "heads": heads, "schema": SCHEMA_VERSION, "seq": seq, **extra})
    end = ",\n" if names else "\n}\n"
    return [f'{{\n {enc(META_TABLE)}: {{\n  "1": {meta}\n }}{end}'.encode(), *chunks]
