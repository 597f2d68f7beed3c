"""The whole database as one JSON file, and back.

An export is a plain TinyDB database: one object per kamtui table, documents keyed by their
id, exactly as stored (``rev``, ``updated_at`` and ``updated_by`` included), plus an
``_export`` table that says what the file is. Nothing else is needed to read it::

    {
     "_export": {"1": {"format": "kamtui", "schema": 1, "account": null}},
     "accounts": {"1": {"name": "Northwind", "tier": "key", ...}},
     "actions": {...},
     ...
    }

:func:`import_json` brings such a file (or a kamtui data file itself) back through the
store, in one transaction. Records are matched by table and id, so ids are preserved and
importing the same file twice changes nothing: a record the store lacks is inserted, one that
differs is overwritten by the file (the file wins), an equal one is left alone. Nothing is
ever deleted. Documents are stored in their normal form (see :mod:`kamtui.store.schema`), so a
file without optional fields imports as if it had their defaults. Every document is validated
by the domain first and every link (account, objective) checked; one bad document refuses the
whole import, and nothing is written.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kamtui.domain.errors import ValidationError
from kamtui.domain.formats import check_currency
from kamtui.domain.model import ENTITIES, TABLES
from kamtui.i18n import _, ngettext
from kamtui.store.codec import META_TABLE, SCHEMA_VERSION, parse_snapshot
from kamtui.store.errors import StoreError
from kamtui.store.schema import META_FIELDS, normal
from kamtui.store.settings import PORTFOLIO, SETTINGS
from kamtui.store.store import Store
from kamtui.store.transaction import Op

EXPORT_TABLE = "_export"
EXPORT_FORMAT = "kamtui"
# At most this many problems are named in the message of a refused import.
_PROBLEMS_SHOWN = 3


class ExchangeError(StoreError):
    """The file cannot be imported; nothing was written. The message says why in one line."""


@dataclass(frozen=True, slots=True)
class ImportResult:
    inserted: int
    updated: int
    unchanged: int

    def summary(self) -> str:
        return _("{inserted} added, {updated} updated, {unchanged} unchanged").format(
            inserted=self.inserted, updated=self.updated, unchanged=self.unchanged
        )


def _plain(doc: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in doc.items() if k not in META_FIELDS}


def export_tables(store: Store, account_id: int | None = None) -> dict[str, dict[str, dict[str, Any]]]:
    """The kamtui tables as ``{table: {id: document}}``, ids in numeric order.

    With ``account_id``, only that account and the records that belong to it.
    """
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    for table in TABLES:
        if account_id is None:
            rows = sorted(store.all(table), key=lambda kv: kv[0])
        elif table == "accounts":
            doc = store.get(table, account_id)
            rows = [] if doc is None else [(account_id, doc)]
        else:
            rows = store.children(table, account_id)
        tables[table] = {str(i): {k: doc[k] for k in sorted(doc)} for i, doc in rows}
    settings_doc = store.get(SETTINGS, PORTFOLIO) if account_id is None else None
    if settings_doc is not None:  # the portfolio's currency (issue 15); absent until one is set
        tables[SETTINGS] = {str(PORTFOLIO): {k: settings_doc[k] for k in sorted(settings_doc)}}
    return tables


def dump_json(store: Store, account_id: int | None = None) -> str:
    """The database (or one account's part of it) as the text of an export file."""
    head = {EXPORT_TABLE: {"1": {"format": EXPORT_FORMAT, "schema": SCHEMA_VERSION, "account": account_id}}}
    data = {**head, **export_tables(store, account_id)}
    try:
        return json.dumps(data, ensure_ascii=False, allow_nan=False, indent=1) + "\n"
    except ValueError as exc:  # NaN or a lone surrogate; the store refuses both, so only a hand-edited file
        raise StoreError(_("cannot write the export as JSON: {error}").format(error=exc)) from None


def read_export(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Parse an export (or a kamtui data file); raise ExchangeError naming what is wrong."""
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ExchangeError(_("{path} is a directory, not an export file").format(path=path)) from None
    except OSError as exc:
        raise ExchangeError(_("cannot read {path}: {error}").format(path=path, error=exc.strerror or exc)) from None
    try:
        return parse_snapshot(raw)
    except ValueError as exc:
        raise ExchangeError(_("{path} is not a kamtui export: {error}").format(path=path, error=exc)) from None


def plan_json_import(store: Store, data: Mapping[str, Mapping[str, Any]]) -> tuple[list[Op], ImportResult]:
    """The operations that bring ``data`` into ``store``, and what they amount to.

    Raises ExchangeError (nothing done) for a file of a newer kamtui, an unknown table, an
    invalid document or a link to a record that is neither in the file nor in the store.
    """
    for marker in (EXPORT_TABLE, META_TABLE):
        info = data.get(marker, {}).get("1", {})
        schema = info.get("schema") if isinstance(info, Mapping) else None
        if isinstance(schema, int) and schema > SCHEMA_VERSION:
            newer = _("the file was written by a newer kamtui (schema {schema}); upgrade kamtui")
            raise ExchangeError(newer.format(schema=schema))
    unknown = sorted(t for t in data if not t.startswith("_") and t not in ENTITIES and t != SETTINGS)
    if unknown:
        unknown_table = _("unknown table {name}; a kamtui export holds {known}")
        raise ExchangeError(unknown_table.format(name=repr(unknown[0]), known=", ".join(TABLES)))
    problems: list[str] = []
    docs: dict[str, dict[int, dict[str, Any]]] = {}
    for table in TABLES:
        cls = ENTITIES[table]
        rows: dict[int, dict[str, Any]] = {}
        for key, doc in data.get(table, {}).items():
            doc_id = int(key)
            if doc_id <= 0 or key != str(doc_id):
                problems.append(f"{table}/{key}: " + _("the id must be a positive whole number"))
                continue
            plain = _plain(doc)
            try:
                # Stored in normal form (every field, stored spellings), as the store keeps any new
                # document: a file without its optional fields must not look changed later.
                plain = {**plain, **cls.from_doc(plain, doc_id).to_doc()}
            except ValidationError as exc:
                problems.append(f"{table}/{doc_id}: {exc}")
                continue
            except TypeError as exc:
                problems.append(f"{table}/{doc_id}: " + _("missing or unexpected field ({error})").format(error=exc))
                continue
            rows[doc_id] = plain
        docs[table] = rows
    settings_doc = _plain(data.get(SETTINGS, {}).get(str(PORTFOLIO)) or {})
    if settings_doc:
        try:
            settings_doc["currency"] = check_currency("currency", settings_doc.get("currency"))
        except ValidationError as exc:
            problems.append(f"{SETTINGS}/{PORTFOLIO}: {exc}")

    def exists(table: str, doc_id: Any) -> bool:
        if isinstance(doc_id, bool) or not isinstance(doc_id, int):
            return False
        return doc_id in docs[table] or store.get(table, doc_id) is not None

    for table, rows in docs.items():
        for doc_id, doc in rows.items():
            if table != "accounts" and not exists("accounts", doc.get("account_id")):
                missing = _("account {id} is neither in the file nor here").format(id=doc.get("account_id"))
                problems.append(f"{table}/{doc_id}: {missing}")
            if doc.get("objective_id") is not None and not exists("objectives", doc["objective_id"]):
                missing = _("objective {id} is neither in the file nor here").format(id=doc["objective_id"])
                problems.append(f"{table}/{doc_id}: {missing}")
    if problems:
        shown = "; ".join(problems[:_PROBLEMS_SHOWN])
        if len(problems) > _PROBLEMS_SHOWN:
            rest = len(problems) - _PROBLEMS_SHOWN
            refused = ngettext(
                "nothing imported: {problems} (and {n} more)", "nothing imported: {problems} (and {n} more)", rest
            ).format(problems=shown, n=rest)
        else:
            refused = _("nothing imported: {problems}").format(problems=shown)
        raise ExchangeError(refused)

    ops: list[Op] = []
    inserted = updated = unchanged = 0
    for table in TABLES:  # accounts first: a reader between two imports never sees an orphan
        for doc_id, doc in docs[table].items():
            current = store.get(table, doc_id)
            if current is None:
                ops.append(Op("insert", table, doc_id, doc))
                inserted += 1
            elif normal(table, doc_id, _plain(current)) == doc:
                unchanged += 1
            else:
                ops.append(Op("update", table, doc_id, doc))
                updated += 1
    current_settings = store.get(SETTINGS, PORTFOLIO)
    if settings_doc and (current_settings is None or _plain(current_settings) != settings_doc):
        ops.append(Op("insert" if current_settings is None else "update", SETTINGS, PORTFOLIO, settings_doc))
    return ops, ImportResult(inserted, updated, unchanged)


def import_data(store: Store, data: Mapping[str, Mapping[str, Any]]) -> ImportResult:
    """Import parsed export ``data`` in one transaction (see the module docstring)."""
    ops, result = plan_json_import(store, data)
    if ops:
        store.commit(ops)
    return result


def import_json(store: Store, path: Path | str) -> ImportResult:
    """Import the export file at ``path`` in one transaction; idempotent; ids preserved."""
    return import_data(store, read_export(Path(path)))
