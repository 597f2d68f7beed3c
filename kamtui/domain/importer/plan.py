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
from kamtui.domain.importer.table import Table, read_table, repeated_column
from kamtui.domain.importer.values import ambiguous_date, date_evidence, decimal_evidence
from kamtui.i18n import N_, _, ngettext

# What a file holds and how it is separated, in words (describe_file).
KIND_WORDS = {"accounts": N_("accounts"), "contacts": N_("contacts"), "deals": N_("deals")}
SEPARATED = {
    ",": N_("comma-separated"),
    ";": N_("semicolon-separated"),
    "\t": N_("tab-separated"),
    "|": N_("bar-separated"),
}

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
        return _("{create} to create, {update} to update, {unchanged} unchanged, {refused} refused").format(
            create=c["create"], update=c["update"], unchanged=c["unchanged"], refused=c["refused"]
        )

    def describe_file(self) -> str:
        t = self.table
        n = len(t.rows)
        known = SEPARATED.get(t.delimiter)
        separated = _(known) if known else _("{delimiter}-separated").format(delimiter=repr(t.delimiter))
        rows = ngettext("{n} row of {kind}", "{n} rows of {kind}", n).format(n=n, kind=_(KIND_WORDS[self.kind]))
        return f"{self.source}: {rows}, {separated}, {t.encoding}"

    def describe_columns(self) -> str:
        used = sorted(self.columns.fields.items(), key=lambda kv: kv[1])
        parts = [f"{self.table.header[i]} -> {f}" for f, i in used]
        text = _("columns: {columns}").format(columns=", ".join(parts))
        if self.columns.ignored:
            text += "; " + _("ignored: {columns}").format(columns=", ".join(self.columns.ignored))
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
            _(
                "numbers: decimal commas (line {comma}) and decimal points (line {point}); "
                "amounts like 1.234 are refused as ambiguous"
            ).format(comma=decimals[","], point=decimals["."])
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
                _(
                    "dates: {n} date(s) like 03/04/2026 read day-first (no date in the file proves "
                    "the order); pass --dates mdy if they are month-first"
                ).format(n=ambiguous_dates)
            )
    else:
        order = None
        notes.append(
            _(
                "dates: day-first (line {dmy}) and month-first (line {mdy}) dates; "
                "dates like 03/04/2026 are refused as ambiguous"
            ).format(dmy=orders["dmy"], mdy=orders["mdy"])
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
        if kind == "accounts":
            why = _("no column gives the account name; use --map COLUMN={field}")
        elif kind == "contacts":
            why = _("no column gives the contact name; use --map COLUMN={field}")
        else:
            why = _("no column gives the deal name; use --map COLUMN={field}")
        raise ImportFileError(why.format(field=name_field))
    if kind != "accounts" and not ({"account", "account_crm_id"} & set(cols.fields)):
        if kind == "contacts":
            why = _(
                "no column links contacts to their account (Associated Company, Account Name or Account ID); "
                "use --map COLUMN=account"
            )
        else:
            why = _(
                "no column links deals to their account (Associated Company, Account Name or Account ID); "
                "use --map COLUMN=account"
            )
        raise ImportFileError(why)
    decimal, order, notes = _conventions(table, cols, dates)
    planner = RowPlanner(kind, cols, existing, decimal, order, len(table.header), today)
    if (i := cols.fields.get("probability")) is not None:
        cells = (row.cells[i] for row in table.rows if i < len(row.cells))
        planner.probability_fractions = probability_fractions(cells, decimal)
        if planner.probability_fractions:
            notes.append(_("probability: every value is between 0 and 1, read as fractions (0.7 = 70%)"))
    planned: list[PlannedRow] = []
    total = len(table.rows)
    step = max(1, total // 200)
    for n, row in enumerate(table.rows, 1):
        planned.append(planner.plan(row))
        if progress is not None and (n % step == 0 or n == total):
            progress(n, total)
    if table.skipped_empty:
        notes.append(_("{n} empty row(s) skipped").format(n=table.skipped_empty))
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
            raise UnknownKind(_("cannot tell from its columns whether the file holds accounts, contacts or deals"))
    if mapping is None:
        overrides: dict[str, str] = {}
    elif isinstance(mapping, Mapping):
        overrides = dict(mapping)
        parse_map([f"{c}={f}" for c, f in overrides.items()], kind)  # validates the field names
    else:
        overrides = parse_map(mapping, kind)
    cols = map_columns(table.header, kind, overrides)
    if (why := repeated_column(table.header, set(cols.fields.values()))) is not None:
        raise ImportFileError(_("line {n}: {why}").format(n=table.header_line, why=why))
    state = existing(kind) if callable(existing) else existing
    return plan_rows(table, kind, cols, state, dates=dates, source=source, progress=progress, today=today)
