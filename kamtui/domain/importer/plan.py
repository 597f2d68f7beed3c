"""Planning an import: each row of the file becomes a create, an update, unchanged or refused.

:func:`plan_text` reads, maps and plans in one call; :func:`plan_rows` plans a table already
read. First the file's conventions are settled (decimal comma or point, day- or month-first
dates: proved by its other values, see :mod:`kamtui.domain.importer`), then each row is
checked and matched (:mod:`kamtui.domain.importer.match`). A plan writes nothing; the store
applies it (:mod:`kamtui.store.importer`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from kamtui.domain.errors import ImportFileError, UnknownKind
from kamtui.domain.importer.columns import (
    DATE_FIELDS,
    MONEY_FIELDS,
    NAME_FIELD,
    ColumnMap,
    Kind,
    detect_kind,
    map_columns,
    parse_map,
)
from kamtui.domain.importer.deals import probability_fractions
from kamtui.domain.importer.match import Action, Existing, PlannedRow, RowPlanner
from kamtui.domain.importer.table import DELIMITER_NAMES, Table, read_table, repeated_column
from kamtui.domain.importer.values import ambiguous_date, date_evidence, decimal_evidence

DateOrder = Literal["auto", "dmy", "mdy"]
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class ImportPlan:
    kind: Kind
    source: str
    table: Table
    columns: ColumnMap
    rows: list[PlannedRow]
    notes: list[str] = field(default_factory=list)
    base_seq: int | None = None
    dates: DateOrder = "auto"
    today: dt.date | None = None  # the day it was checked against (close dates), kept to plan again

    def of(self, action: Action) -> list[PlannedRow]:
        return [r for r in self.rows if r.action == action]

    @property
    def counts(self) -> dict[Action, int]:
        out: dict[Action, int] = {"create": 0, "update": 0, "unchanged": 0, "refused": 0}
        for r in self.rows:
            out[r.action] += 1
        return out

    @property
    def refused(self) -> list[PlannedRow]:
        return self.of("refused")

    def summary(self) -> str:
        c = self.counts
        return f"{c['create']} to create, {c['update']} to update, {c['unchanged']} unchanged, {c['refused']} refused"

    def describe_file(self) -> str:
        t = self.table
        n = len(t.rows)
        delimiter = DELIMITER_NAMES.get(t.delimiter, repr(t.delimiter))
        return f"{self.source}: {n} row{'s' if n != 1 else ''} of {self.kind}, {delimiter}-separated, {t.encoding}"

    def describe_columns(self) -> str:
        used = sorted(self.columns.fields.items(), key=lambda kv: kv[1])
        parts = [f"{self.table.header[i]} -> {f}" for f, i in used]
        text = "columns: " + ", ".join(parts)
        if self.columns.ignored:
            text += "; ignored: " + ", ".join(self.columns.ignored)
        return text


def _conventions(table: Table, cols: ColumnMap, dates: DateOrder) -> tuple[str | None, str | None, list[str]]:
    """The file's decimal separator and date order (None: contradictory), and notes about them."""
    notes: list[str] = []
    money_idx = [i for f, i in cols.fields.items() if f in MONEY_FIELDS]
    date_idx = [i for f, i in cols.fields.items() if f in DATE_FIELDS]
    decimals: dict[str, int] = {}
    orders: dict[str, int] = {}
    ambiguous_dates = 0
    for row in table.rows:
        for i in money_idx:
            if i < len(row.cells) and (e := decimal_evidence(row.cells[i])):
                decimals.setdefault(e, row.line)
        for i in date_idx:
            if i < len(row.cells):
                cell = row.cells[i].strip()
                if (o := date_evidence(cell)) is not None:
                    orders.setdefault(o, row.line)
                elif ambiguous_date(cell):
                    ambiguous_dates += 1
    decimal: str | None
    if len(decimals) == 1:
        decimal = next(iter(decimals))
    elif not decimals:
        decimal = "," if table.delimiter == ";" else "."
    else:
        decimal = None
        notes.append(
            f"numbers: decimal commas (line {decimals[',']}) and decimal points (line {decimals['.']}); "
            "amounts like 1.234 are refused as ambiguous"
        )
    order: str | None
    if dates != "auto":
        order = dates
    elif len(orders) == 1:
        order = next(iter(orders))
    elif not orders:
        order = "dmy"
        if ambiguous_dates:
            notes.append(
                f"dates: {ambiguous_dates} date(s) like 03/04/2026 read day-first (no date in the file proves "
                "the order); pass --dates mdy if they are month-first"
            )
    else:
        order = None
        notes.append(
            f"dates: day-first (line {orders['dmy']}) and month-first (line {orders['mdy']}) dates; "
            "dates like 03/04/2026 are refused as ambiguous"
        )
    return decimal, order, notes


def plan_rows(
    table: Table,
    kind: Kind,
    cols: ColumnMap,
    existing: Existing,
    *,
    dates: DateOrder = "auto",
    source: str = "",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """Plan ``table``'s rows. ``today`` (None: the clock's) is the day close dates are checked
    against: one more than ten years ahead is refused, as the opportunity form refuses it."""
    today = today or dt.date.today()
    name_field = NAME_FIELD[kind]
    if name_field not in cols.fields and not ({"first_name", "last_name"} & set(cols.fields)):
        what = {"accounts": "account name", "contacts": "contact name", "deals": "deal name"}[kind]
        raise ImportFileError(f"no column gives the {what}; use --map COLUMN={name_field}")
    if kind != "accounts" and not ({"account", "account_crm_id"} & set(cols.fields)):
        raise ImportFileError(
            f"no column links {kind} to their account (Associated Company, Account Name or Account ID); "
            "use --map COLUMN=account"
        )
    decimal, order, notes = _conventions(table, cols, dates)
    planner = RowPlanner(kind, cols, existing, decimal, order, len(table.header), today)
    if (i := cols.fields.get("probability")) is not None:
        cells = (row.cells[i] for row in table.rows if i < len(row.cells))
        planner.probability_fractions = probability_fractions(cells, decimal)
        if planner.probability_fractions:
            notes.append("probability: every value is between 0 and 1, read as fractions (0.7 = 70%)")
    planned: list[PlannedRow] = []
    total = len(table.rows)
    step = max(1, total // 200)
    for n, row in enumerate(table.rows, 1):
        planned.append(planner.plan(row))
        if progress is not None and (n % step == 0 or n == total):
            progress(n, total)
    if table.skipped_empty:
        notes.append(f"{table.skipped_empty} empty row(s) skipped")
    return ImportPlan(kind, source, table, cols, planned, notes, existing.seq, dates, today)


def plan_text(
    data: bytes | str,
    kind: Kind | None,
    mapping: Mapping[str, str] | Iterable[str] | None,
    existing: Existing | Callable[[Kind], Existing],
    *,
    dates: DateOrder = "auto",
    source: str = "<text>",
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportPlan:
    """Read, map and plan in one call. ``mapping``: ``{"Column": "field"}`` or ``["Column=field"]``.

    ``existing`` may be a function of the file's kind, called once the kind is known (so that
    only a deal import reads the stored opportunities)."""
    table = read_table(data)
    if kind is None:
        kind = detect_kind(table.header)
        if kind is None:
            raise UnknownKind("cannot tell from its columns whether the file holds accounts, contacts or deals")
    if mapping is None:
        overrides: dict[str, str] = {}
    elif isinstance(mapping, Mapping):
        overrides = dict(mapping)
        parse_map([f"{c}={f}" for c, f in overrides.items()], kind)  # validates the field names
    else:
        overrides = parse_map(mapping, kind)
    cols = map_columns(table.header, kind, overrides)
    if (why := repeated_column(table.header, set(cols.fields.values()))) is not None:
        raise ImportFileError(f"line {table.header_line}: {why}")
    state = existing(kind) if callable(existing) else existing
    return plan_rows(table, kind, cols, state, dates=dates, source=source, progress=progress, today=today)
