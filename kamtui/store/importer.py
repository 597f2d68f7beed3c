"""CSV import, the file and store part: read the file, plan against the store, apply in one transaction.

The parsing, matching and validation live in :mod:`kamtui.domain.importer`; this module reads
the file, snapshots the records to match against and commits the plan. ``kamtui import`` and
the TUI share these two calls::

    plan = plan_import(path, kind, mapping, store)          # reads; writes nothing
    result = apply_import(store_or_portfolio, plan)         # one transaction, or nothing

A plan with refused rows is not applied (:class:`ImportRefused`) unless ``skip_bad``. If the
database changed since the plan was made, the file is planned again against the current state
first; updates carry the values they were based on, so a concurrent edit of the same field is
a conflict (:class:`~kamtui.store.errors.ConflictError`) and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.domain.importer import (
    DateOrder,
    Existing,
    ImportPlan,
    Kind,
    PlannedRow,
    Progress,
    plan_rows,
    plan_text,
)
from kamtui.i18n import _, ngettext
from kamtui.store.portfolio import Change, Portfolio
from kamtui.store.store import Store
from kamtui.store.transaction import Op

# A file larger than this is refused outright: an export that size is not a CRM export.
MAX_FILE_BYTES = 512 * 1024 * 1024


class ImportRefused(Exception):
    """The plan has refused rows and ``skip_bad`` was not given. Nothing was written."""

    def __init__(self, refused: list[PlannedRow]) -> None:
        self.refused = refused
        n = len(refused)
        message = ngettext(
            "{n} row(s) refused; nothing was written (fix them, or pass --skip-bad to import the rest)",
            "{n} row(s) refused; nothing was written (fix them, or pass --skip-bad to import the rest)",
            n,
        )
        super().__init__(message.format(n=n))


@dataclass(frozen=True, slots=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped: int  # refused rows left out (skip_bad)
    ids: tuple[int, ...]
    plan: ImportPlan  # the plan actually applied (re-planned if the database had changed)
    change: Change | None = None  # what undoes the import, when applied through a Portfolio

    def summary(self) -> str:
        return _("{created} created, {updated} updated, {unchanged} unchanged, {skipped} skipped").format(
            created=self.created, updated=self.updated, unchanged=self.unchanged, skipped=self.skipped
        )


def existing_records(store: Store, kind: Kind = "accounts") -> Existing:
    """The records to match against (the stored documents, not copies): accounts and
    stakeholders, and for a deal import the opportunities."""
    store.refresh()
    opportunities: dict[int, Mapping[str, Any]] = dict(store.all("opportunities")) if kind == "deals" else {}
    return Existing(dict(store.all("accounts")), dict(store.all("stakeholders")), store.seq, opportunities)


def _existing(state: Existing | Store | Portfolio | None) -> Existing | Callable[[Kind], Existing]:
    if state is None:
        return Existing()
    if isinstance(state, Portfolio):
        store = state.store
        return lambda kind: existing_records(store, kind)
    if isinstance(state, Store):
        return lambda kind: existing_records(state, kind)
    return state


def read_file(path: Path) -> bytes:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        too_large = _("{path}: {size} bytes is too large to import (limit {limit})")
        raise OSError(too_large.format(path=path, size=size, limit=MAX_FILE_BYTES))
    return path.read_bytes()


def plan_import(
    path: Path | str,
    kind: Kind | None = None,
    mapping: Mapping[str, str] | Iterable[str] | None = None,
    state: Existing | Store | Portfolio | None = None,
    *,
    dates: DateOrder = "auto",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """Read ``path`` and plan its import against ``state`` (a store, a portfolio, or nothing).

    ``kind`` None detects accounts, contacts or deals from the columns. ``mapping`` overrides the
    column recognition: ``{"Column": "field"}`` or ``["Column=field"]``; an empty field ignores
    the column. Raises :class:`~kamtui.domain.importer.MappingError` for a mapping or kind the
    file does not fit, :class:`~kamtui.domain.importer.ImportFileError` for an unreadable file,
    OSError if it cannot be read. ``progress(done, total)`` is called as rows are checked.
    ``today`` (None: the clock's) is what close dates are checked against.
    """
    p = Path(path)
    data = read_file(p)
    return plan_text(data, kind, mapping, _existing(state), dates=dates, source=p.name, progress=progress, today=today)


def apply_import(
    target: Store | Portfolio,
    plan: ImportPlan,
    *,
    skip_bad: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Write ``plan`` as one transaction. Raises ImportRefused if rows are refused and not ``skip_bad``."""
    store = target.store if isinstance(target, Portfolio) else target
    store.refresh()
    if plan.base_seq is None or plan.base_seq != store.seq:
        plan = plan_rows(
            plan.table,
            plan.kind,
            plan.columns,
            existing_records(store, plan.kind),
            dates=plan.dates,
            source=plan.source,
            today=plan.today,
        )
    refused = plan.refused
    if refused and not skip_bad:
        raise ImportRefused(refused)
    ops: list[Op] = []
    todo = [r for r in plan.rows if r.action in ("create", "update")]
    total = len(todo)
    step = max(1, total // 200)
    for n, row in enumerate(todo, 1):
        if row.action == "create":
            ops.append(Op("insert", row.table, None, row.values))
        else:
            ops.append(Op("update", row.table, row.record_id, row.values, row.seen))
        if progress is not None and n % step == 0 and n < total:
            progress(n, total)
    change: Change | None = None
    ids: list[int] = []
    if ops:
        label = _("import {source}").format(source=plan.source) if plan.source else _("import")
        if isinstance(target, Portfolio):
            change = target.commit(ops, label)
            ids = list(change.ids)
        else:
            ids = store.commit(ops)
    if progress is not None and total:
        progress(total, total)
    c = plan.counts
    return ImportResult(c["create"], c["update"], c["unchanged"], c["refused"], tuple(ids), plan, change)
