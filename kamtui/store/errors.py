"""Errors the store raises. Each message is one readable line naming the file."""

from __future__ import annotations

from pathlib import Path

from kamtui.domain.text import clean, truncate
from kamtui.i18n import N_, _


class StoreError(Exception):
    """Base class of store errors."""


class CorruptFile(StoreError):
    """The data file (or its journal) cannot be read. Nothing was written to it."""

    def __init__(self, path: Path, reason: str, backup: Path | None) -> None:
        self.path = path
        self.reason = reason
        self.backup = backup
        if backup is not None:
            message = _("cannot read {path}: {reason}; newest good backup: {backup}. The file was left untouched.")
        else:
            message = _("cannot read {path}: {reason}; no good backup was found. The file was left untouched.")
        super().__init__(message.format(path=path, reason=reason, backup=backup))


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
        # The record as the user knows it ("account 'ACME'"), not by its id ("accounts 16")
        name = truncate(clean(label), 40) if isinstance(label, str) and label.strip() else ""
        record = _(RECORD[table]).format(name=name) if name and table in RECORD else ""
        if name and not record:
            record = f"{table} '{name}'"
        elif not name:
            record = f"{table} {doc_id}"
        # A deletion leaves no record to say when (the store keeps no trace of a deleted one).
        if deleted:
            message = (
                _("conflict on {record}: {by} deleted it at {at} after you opened it; your change was not saved")
                if at
                else _("conflict on {record}: {by} deleted it after you opened it; your change was not saved")
            )
        elif at:
            message = _(
                "conflict on {record}: {by} changed {fields} at {at} after you opened it; your change was not saved"
            )
        else:
            message = _(
                "conflict on {record}: {by} changed {fields} at an unknown time after you opened it; "
                "your change was not saved"
            )
        by = by or _("another session")
        super().__init__(message.format(record=record, by=by, fields=", ".join(fields), at=at))


# A record named as the user knows it, by table (translated where shown).
RECORD = {
    "accounts": N_("account '{name}'"),
    "stakeholders": N_("stakeholder '{name}'"),
    "objectives": N_("objective '{name}'"),
    "actions": N_("action '{name}'"),
    "reviews": N_("review '{name}'"),
    "interactions": N_("interaction '{name}'"),
    "opportunities": N_("opportunity '{name}'"),
    "kpis": N_("KPI '{name}'"),
}


class UnstorableValue(StoreError):
    """A value JSON cannot hold (NaN, bytes, ...). Nothing was written."""


class ReadOnlyStore(StoreError):
    """An edit in a read-only session (the user may not write the file). Nothing was written."""

    def __init__(self, path: Path, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(_("read-only session ({reason}): nothing was written").format(reason=reason))


class DiskError(StoreError, OSError):
    """The disk refused a write (full, read-only, I/O error). Names the user's data file, not a
    journal or temp file; still an OSError (``errno``, ``strerror``). Nothing was saved."""

    def __init__(self, path: Path, exc: OSError) -> None:
        OSError.__init__(self, exc.errno, exc.strerror or str(exc), str(path))
        self.path = path

    def __str__(self) -> str:
        return _("cannot write {path}: {error}; nothing was saved").format(path=self.path, error=self.strerror)
