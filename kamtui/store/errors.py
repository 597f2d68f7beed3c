"""Errors the store raises. Each message is one readable line naming the file."""

from __future__ import annotations

from pathlib import Path

from kamtui.domain.text import clean, truncate


class StoreError(Exception):
    """Base class of store errors."""


class CorruptFile(StoreError):
    """The data file (or its journal) cannot be read. Nothing was written to it."""

    def __init__(self, path: Path, reason: str, backup: Path | None) -> None:
        self.path = path
        self.reason = reason
        self.backup = backup
        hint = f"; newest good backup: {backup}" if backup is not None else "; no good backup was found"
        super().__init__(f"cannot read {path}: {reason}{hint}. The file was left untouched.")


class UnsafePath(StoreError):
    """The path is a symlink, or not a regular file: refused."""


class ConflictError(StoreError):
    """Another session changed the same field of the same record first. Nothing was written."""

    def __init__(
        self, table: str, doc_id: int, fields: list[str], by: str, at: str, deleted: bool = False, label: object = ""
    ) -> None:
        self.table = table
        self.doc_id = doc_id
        self.fields = fields
        self.by = by
        self.at = at
        self.deleted = deleted
        what = "deleted it" if deleted else f"changed {', '.join(fields)}"
        # The record as the user knows it ("account 'ACME'"), not by its id ("accounts 16")
        name = truncate(clean(label), 40) if isinstance(label, str) and label.strip() else ""
        record = f"{RECORD.get(table, table)} '{name}'" if name else f"{table} {doc_id}"
        # A deletion leaves no record to say when (the store keeps no trace of a deleted one).
        when = f" at {at}" if at else ("" if deleted else " at an unknown time")
        super().__init__(
            f"conflict on {record}: {by or 'another session'} {what}{when} after you opened it; "
            "your change was not saved"
        )


RECORD = {
    "accounts": "account",
    "stakeholders": "stakeholder",
    "objectives": "objective",
    "actions": "action",
    "reviews": "review",
    "interactions": "interaction",
    "opportunities": "opportunity",
    "kpis": "KPI",
}


class UnstorableValue(StoreError):
    """A value JSON cannot hold (NaN, bytes, ...). Nothing was written."""


class ReadOnlyStore(StoreError):
    """An edit in a read-only session (the user may not write the file). Nothing was written."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"read-only session ({reason}): nothing was written")


class DiskError(StoreError, OSError):
    """The disk refused a write (full, read-only, I/O error). Names the user's data file, not a
    journal or temp file; still an OSError (``errno``, ``strerror``). Nothing was saved."""

    def __init__(self, path: Path, exc: OSError) -> None:
        OSError.__init__(self, exc.errno, exc.strerror or str(exc), str(path))
        self.path = path

    def __str__(self) -> str:
        return f"cannot write {self.path}: {self.strerror}; nothing was saved"
