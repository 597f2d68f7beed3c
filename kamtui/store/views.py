"""Read-only views of a database for the readers that must be quick: ``kamtui due`` and the
preview process the TUI starts for a big file (:mod:`kamtui.report.preview`).

A view parses only the tables it needs when the snapshot is in kamtui's own layout, and keeps
the accounts as JSON text until read: those without a cadence are never parsed (see
:func:`kamtui.store.codec.parse_tables`). It takes no lock and creates nothing.
"""

from __future__ import annotations

from pathlib import Path

from kamtui.store.files import Prefetch
from kamtui.store.store import Store

# All today_queue reads.
DUE_TABLES = ("accounts", "actions", "stakeholders", "reviews", "kpis", "objectives", "opportunities")


def due_view(
    path: Path, *, verify: bool = True, prefetched: Prefetch | None = None, touched_after: int | None = None
) -> Store:
    """The read-only view :func:`kamtui.store.today.today_queue` needs, as fast as it opens: five tables, and the
    accounts left as JSON text until read (only those with a cadence, or named by a due action
    or contact, are ever parsed). Raises StoreError as :class:`Store` does. ``verify=False`` skips
    the check that the tables not read are intact (see codec.parse_tables): provisional readers only.
    ``prefetched``: the file already being read (files.Prefetch), taken as the first read. The
    opportunities, read only for the stakes, come from the snapshot's summary of them when it
    holds (Store.pipelines; see kamtui.store.reading.read_state). ``touched_after``: see
    Store.edited_since (what :func:`kamtui.store.today.kept_queue` updates a kept queue with):
    then only the accounts the edits concern are read, and a big file's documents, the accounts'
    too, are left as its text until read (codec.parse_tables' ``views``) rather than all parsed
    or split into lines."""
    return Store(
        path,
        create=False,
        only=DUE_TABLES,
        lazy=None if touched_after is not None else {"accounts": ("cadence",)},
        verify=verify,
        prefetched=prefetched,
        summaries=True,
        touched_after=touched_after,
        views=touched_after is not None,
    )


def reviews_view(path: Path, *, verify: bool = True, prefetched: Prefetch | None = None) -> Store:
    """The accounts alone, those without a cadence left unparsed: enough for the reviews due."""
    return Store(
        path, create=False, only=("accounts",), lazy={"accounts": ("cadence",)}, verify=verify, prefetched=prefetched
    )
