"""Each child document's account, summed up in a snapshot's ``_meta`` (its ``owners`` summary).

A reader that keeps a big file's documents as their text (a whole read without a private copy,
a TUI session's up to 64 MB; ``kamtui due`` after other sessions' edits:
kamtui.store.views.due_view) still needs to know whose each document is, to find an account's
records. Reading every document's ``account_id`` from the text is one msgspec pass over each
table (:func:`kamtui.store.doctext.owners_of`: ~150-200 ms for the tables ``kamtui due`` reads
at 50,000 accounts, ~70 ms for every child table at 10,000). A compaction writes them instead,
per table: the account of each document in the order the snapshot writes them (by id), as
32-bit little-endian numbers, base64-encoded (~2.2 MB at 50,000 accounts, 1.4% of the file:
one JSON string per table, decoded in a few milliseconds).

The summary is vouched for by the snapshot's CRC (kamtui.store.codec.vouched), and a reader
takes it only where it checks that CRC: then the file is exactly as a kamtui compaction wrote
it, the summary included. (That every document is an object, which the pass of owners_of
checked by the way, is still checked: a CRC is no signature. See codec.parse_tables.) A
document whose ``account_id`` is not a whole number from 1 to 2**32 - 1 (none, text, a very
big number) is written as 0: its reader reads it from the document, as before. (Taken from a
store's per-account index, an account equal to such a number, ``true`` or ``1.0``, is written
as that number: the index, a dict, holds them as one account, as every reader's does.)
"""

from __future__ import annotations

import base64
import binascii
import sys
from array import array
from collections.abc import Mapping, Sequence
from typing import Any

from kamtui.store.doctext import account_of

OWNERS = "owners"
#: The tables summed up: every child table (kamtui.domain.model.CHILD_TABLES, not imported here:
#: every reader imports this module, and not every reader needs the model).
OWNED = ("stakeholders", "objectives", "actions", "reviews", "interactions", "opportunities", "kpis")
_UNSUMMED = 0  # the document's account is read from the document
_LARGEST = 2**32 - 1
#: C's unsigned int, 4 bytes wherever CPython runs; where it is not, no summary is written or read.
_WIDE_ENOUGH = array("I").itemsize == 4


def summed(
    data: Mapping[str, Mapping[str, Any]],
    order: Mapping[str, Sequence[str]],
    owners: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, str]:
    """The ``owners`` summary of the tables ``data`` holds, each table's documents in ``order``
    (the snapshot's: kamtui.store.writing.sorted_ids). ``owners``: each document's account by
    table, where the caller knows them (a store's per-account index: Documents.accounts_of);
    else read from each document, parsed or held as its text (doctext.account_of: ~2 us a
    document, ~0.3 s at 50,000 accounts)."""
    out: dict[str, str] = {}
    for table in OWNED if _WIDE_ENOUGH else ():
        docs = data.get(table)
        if not docs:
            continue
        known = owners.get(table) if owners is not None else None
        if known is not None:
            found = [known.get(key) for key in order[table]]
        else:
            found = [account_of(docs[key]) for key in order[table]]
        numbers = array("I", [o if type(o) is int and 0 < o <= _LARGEST else _UNSUMMED for o in found])
        if sys.byteorder != "little":
            numbers.byteswap()
        out[table] = base64.b64encode(numbers.tobytes()).decode("ascii")
    return out


def read(summary: Any, table: str, viewed: Mapping[str, Any]) -> dict[str, Any] | None:
    """Each document's account by id, for ``table`` whose documents ``viewed`` holds as their
    text (id -> text, in the snapshot's order), as the snapshot's ``owners`` summary has them;
    None if it does not hold them all (no summary of the table, or one of another length)."""
    if not viewed:  # an empty table: a compaction sums up none
        return {}
    if not _WIDE_ENOUGH or not isinstance(summary, dict) or not isinstance(text := summary.get(table), str):
        return None
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):  # not base64, or not ASCII
        return None
    numbers = array("I")
    if len(raw) != numbers.itemsize * len(viewed):
        return None
    numbers.frombytes(raw)
    if sys.byteorder != "little":
        numbers.byteswap()
    owners: dict[str, Any] = dict(zip(viewed, numbers.tolist(), strict=True))
    if _UNSUMMED in numbers:
        for key, owner in owners.items():
            if owner == _UNSUMMED:
                owners[key] = account_of(viewed[key])
    return owners
