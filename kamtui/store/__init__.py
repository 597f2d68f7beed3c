"""Persistence: the only code that touches files. Imports no Textual or Rich.

``Store``, ``open_store`` and ``Op`` are imported on first use: the TUI starts its preview
process (see :mod:`kamtui.cli.tui`) after reading the config, which needs only the errors.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kamtui.store.errors import ConflictError, CorruptFile, StoreError, UnsafePath, UnstorableValue

if TYPE_CHECKING:
    from kamtui.store.store import Store, open_store
    from kamtui.store.transaction import Op

__all__ = ["ConflictError", "CorruptFile", "Op", "Store", "StoreError", "UnsafePath", "UnstorableValue", "open_store"]


def __getattr__(name: str) -> Any:
    if name in ("Store", "open_store"):
        from kamtui.store import store

        return getattr(store, name)
    if name == "Op":
        from kamtui.store.transaction import Op

        return Op
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
