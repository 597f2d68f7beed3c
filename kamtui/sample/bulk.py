"""Writing a whole sample portfolio at once: a bulk store in a private folder, swapped in at the end.

Ids are assigned here (1, 2, 3 ... per table) rather than by the store, so that the same input
always gives the same file.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from kamtui.domain.model import ENTITIES, Entity
from kamtui.store.errors import StoreError
from kamtui.store.files import AtomicFile
from kamtui.store.store import Store
from kamtui.store.transaction import Op

BATCH = 4000
SAMPLE_USER = "kamtui-sample"


class Writer:
    """Collects inserts with ids assigned here, committing them to the store in batches."""

    def __init__(self, store: Store, batch: int = BATCH) -> None:
        self.store = store
        self.batch = batch
        self.ops: list[Op] = []
        self.next_id: dict[str, int] = dict.fromkeys(ENTITIES, 1)

    def reserve(self, table: str) -> int:
        doc_id = self.next_id[table]
        self.next_id[table] = doc_id + 1
        return doc_id

    def put(self, doc_id: int, entity: Entity) -> int:
        self.ops.append(Op("insert", type(entity).TABLE, doc_id, entity.to_doc()))
        return doc_id

    def add(self, entity: Entity) -> int:
        return self.put(self.reserve(type(entity).TABLE), entity)

    def maybe_flush(self) -> None:
        if len(self.ops) >= self.batch:
            self.flush()

    def flush(self) -> None:
        if self.ops:
            self.store.commit(self.ops)
            self.ops = []


@contextmanager
def bulk_store(path: Path, *, overwrite: bool, extra: dict[str, Any] | None = None) -> Iterator[Writer]:
    """A store in a private temp dir beside ``path``; on success its compacted snapshot becomes ``path``.

    ``extra`` tables (e.g. ``_demo``) are in the store from the start. No journal, lock or backup
    is left behind. The journal-size compaction is suspended while loading (it would rewrite the
    whole snapshot every 8 MB of journal); the store is compacted once at the end.
    """
    path = Path(os.path.abspath(path))
    if not overwrite and (path.exists() or path.is_symlink()):
        raise FileExistsError(f"{path} already exists; refusing to overwrite it")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmpdir = Path(tempfile.mkdtemp(prefix=".kamtui-sample-", dir=path.parent))
    try:
        tmp = tmpdir / "sample.json"
        if extra:
            with AtomicFile(tmp) as initial:
                initial.write(json.dumps({t: {} for t in ENTITIES} | extra).encode())
                initial.commit()
        store = Store(tmp, user=SAMPLE_USER, bulk=True)  # no compaction every 8 MB of journal while loading
        try:
            writer = Writer(store)
            yield writer
            writer.flush()
            store.compact()  # raises on failure, unlike close()'s best-effort compaction
        finally:
            store.close(compact=False)
        journal = tmp.with_name(tmp.name + ".journal")
        if journal.exists() and journal.stat().st_size:
            raise StoreError(f"could not fold the journal into {tmp}")
        os.chmod(tmp, 0o600)
        if overwrite:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # refuses to clobber a file created meanwhile
            except FileExistsError:
                raise FileExistsError(f"{path} already exists; refusing to overwrite it") from None
            except OSError:
                os.replace(tmp, path)  # a filesystem without hard links
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)
