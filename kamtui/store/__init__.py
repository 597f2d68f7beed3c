"""Persistence: the only code that touches files. Imports no Textual or Rich."""

from kamtui.store.errors import ConflictError, CorruptFile, StoreError, UnsafePath, UnstorableValue
from kamtui.store.store import Store, open_store
from kamtui.store.transaction import Op

__all__ = ["ConflictError", "CorruptFile", "Op", "Store", "StoreError", "UnsafePath", "UnstorableValue", "open_store"]
