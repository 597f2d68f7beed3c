"""Write documents into a data file the way another program would: past the store's door."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from kamtui.store.codec import META_TABLE, parse_snapshot
from kamtui.store.writing import snapshot_chunks


def write_raw_documents(
    path: Path, docs: Mapping[str, Sequence[Mapping[str, Any]]], first_id: int = 900_000
) -> list[int]:
    """Add ``docs`` (table -> documents) to the snapshot at ``path`` as they are, unvalidated,
    in kamtui's own layout (so that the lazy read paths see them too); return their ids.
    The file must have no journal lines past its snapshot (compact first)."""
    data = parse_snapshot(path.read_bytes())
    seq = data.get(META_TABLE, {}).get("1", {}).get("seq", 0)
    ids = []
    n = first_id
    for table, rows in docs.items():
        for doc in rows:
            n += 1
            data.setdefault(table, {})[str(n)] = json.loads(json.dumps(doc))
            ids.append(n)
    path.write_bytes(b"".join(snapshot_chunks(data, seq)))
    return ids
