"""CSV import, the pure part: read a CRM export, recognise its columns, plan what to change.

Nothing here touches the store; :mod:`kamtui.store.importer` applies a plan. The steps:

1. :func:`read_table` decodes the bytes (UTF-8 with or without a byte-order mark, UTF-16 with
   one, else Windows-1252), picks the delimiter (an Excel ``sep=;`` line, else whichever of
   ``, ; TAB |`` the header line holds most of, outside quotes), and parses the rows, keeping
   the physical line each record starts on: quoted newlines span lines, and empty rows
   (blank lines, or only empty cells) are skipped without shifting later line numbers.
2. :func:`map_columns` recognises HubSpot and Salesforce column names (case, spaces and
   punctuation ignored: "Annual Revenue", "annual_revenue" and "AnnualRevenue" are one), plus
   kamtui's own field names; ``--map COLUMN=FIELD`` overrides; ``COLUMN=`` ignores a column.
   :func:`detect_kind` tells accounts from contacts by their columns.
3. :func:`plan_rows` turns each row into an entity, validated by the domain model, and
   matches it against the existing records: by CRM record id first, else by name
   (case-insensitive; contacts by name within their account). Each row becomes a create, an
   update (only the fields that differ), unchanged, or refused with ``line N: field: reason``.

Conventions (documented in the README):

* Numbers: "1.234.567,89", "1,234,567.89", "1 234 567,89", "1'234.50", "€ 1.234,50",
  "$1,234.50", "EUR 1234" are all read. A value whose one separator is followed by exactly
  three digits ("1.234", "1,234") is ambiguous; it follows the file's convention, proved by its
  other numbers ("1.234,5" proves a decimal comma). With no proof, a semicolon-separated file
  uses a decimal comma, any other a decimal point. A file that proves both refuses ambiguous values.
* Dates: ISO ("2026-12-31", "2026-12-31 10:00", "2026-12-31T10:00:00Z"), "31/12/2026",
  "31.12.2026", "31-12-26", "31 Dec 2026", "Dec 31, 2026". Whether "03/04/2026" is the 3rd of
  April or the 4th of March follows the file's other dates: one with a first part above 12
  proves day-first, a second part above 12 proves month-first. With no proof, day-first (a
  note says so); a file that proves both refuses the ambiguous dates. ``dates="dmy"`` or
  ``"mdy"`` forces an order.
* An empty cell never clears a stored value. Dates of last contact and last review never
  move backwards (kamtui may know of a later contact than the CRM).
* New accounts are ``regular`` tier without a review cadence: the CRM's type or lifecycle
  stage says nothing about key account status, which is the KAM's decision.
* A contact's CRM id is kept in its stakeholder document under ``crm_id``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from kamtui.domain.errors import DomainError, ValidationError
from kamtui.domain.model import Account, Stakeholder
from kamtui.domain.spreadsheet import unquote_formula

Kind = Literal["accounts", "contacts"]
KINDS: tuple[Kind, ...] = ("accounts", "contacts")
DateOrder = Literal["auto", "dmy", "mdy"]
Action = Literal["create", "update", "unchanged", "refused"]
Progress = Callable[[int, int], None]
META = frozenset({"rev", "updated_at", "updated_by"})


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (unreadable, no header, no name column)."""


class MappingError(DomainError, ValueError):
    """A ``--map`` or ``--kind`` the file does not fit: a usage problem, not a data one."""


# ------------------------------------------------------------------ reading


@dataclass(slots=True)
class Row:
    line: int  # the physical line the record starts on, 1-based, the header being line 1 or later
    cells: list[str]


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[Row]
    delimiter: str
    encoding: str
    header_line: int = 1
    skipped_empty: int = 0


_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


def decode(data: bytes) -> tuple[str, str]:
    """The text and a description of its encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _count_outside_quotes(line: str, ch: str) -> int:
    n, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            n += 1
    return n


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header line holds most of (outside quotes); a comma on a tie or none."""
    counts = {d: _count_outside_quotes(header_line, d) for d in _DELIMITER_NAMES}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


_SEP_LINE = re.compile(r"sep=(.)\s*", re.IGNORECASE)


def read_table(data: bytes | str) -> Table:
    """Parse CSV bytes (or text) into a header and non-empty rows with their line numbers."""
    if isinstance(data, str):
        text, encoding = data.removeprefix("\ufeff"), "text"
    else:
        text, encoding = decode(data)
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first == len(lines):
        raise ImportFileError("the file is empty")
    m = _SEP_LINE.fullmatch(lines[first])
    if m:  # Excel's "sep=;" hint line
        delimiter = m.group(1)
        # Drop the hint line but keep line numbers: replace it with an empty line.
        head, _, rest = text.partition(lines[first])
        text = head + rest
    else:
        delimiter = sniff_delimiter(lines[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[Row] = []
    skipped = 0
    last = 0
    try:
        for cells in reader:
            start = last + 1
            last = reader.line_num
            if not any(c.strip() for c in cells):
                if header is not None:
                    skipped += 1
                continue
            if header is None:
                header = [c.strip().removeprefix("\ufeff").strip() for c in cells]
                header_line = start
                continue
            rows.append(Row(start, cells))
    except csv.Error as exc:
        raise ImportFileError(f"line {last + 1}: not valid CSV ({exc})") from None
    if header is None:
        raise ImportFileError("the file has no header row")
    return Table(header, rows, delimiter, encoding, header_line, skipped)


# ---------------------------------------------------------------- columns


def column_key(name: str) -> str:
    """ "Annual Revenue", "annual_revenue", "AnnualRevenue" -> "annualrevenue"."""
    return re.sub(r"[\W_]+", "", name.casefold())


# Target fields and the column names that feed them, in order of preference. Each list starts
# with kamtui's own field name, so that a kamtui export imports back.
ACCOUNT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "Company name", "Account Name", "Company", "Account", "Organization", "Organisation"),
    "crm_id": ("crm_id", "Record ID", "Account ID", "Company ID", "Id", "CRM ID", "HubSpot ID", "Salesforce ID"),
    "industry": ("industry", "Industry", "Sector"),
    "revenue": ("revenue", "Annual Revenue", "AnnualRevenue", "Revenue", "Total Revenue"),
    "owner": ("owner", "Company owner", "Account Owner", "Owner", "HubSpot Owner", "Owner Name", "Account Owner Name"),
    "tier": ("tier",),
    "sponsor": ("sponsor",),
    "cost_to_serve": ("cost_to_serve",),
    "growth_potential": ("growth_potential",),
    "cadence": ("cadence",),
    "last_review": ("last_review",),
    "notes": ("notes",),
}
CONTACT_COLUMNS: dict[str, tuple[str, ...]] = {
    "name": ("name", "Full Name", "Contact Name", "Contact"),
    "first_name": ("first_name", "First Name", "FirstName", "Given Name"),
    "last_name": ("last_name", "Last Name", "LastName", "Surname", "Family Name"),
    "crm_id": ("crm_id", "Record ID", "Contact ID", "Id", "CRM ID", "HubSpot ID", "Salesforce ID"),
    "title": ("title", "Job Title", "Title", "Position"),
    "owner": ("owner", "Contact owner", "Contact Owner", "Owner", "HubSpot Owner", "Owner Name"),
    "last_contact": (
        "last_contact",
        "Last Activity Date",
        "Last Activity",
        "Last Contacted",
        "LastActivityDate",
        "Last Engagement Date",
    ),
    "account": ("account", "Associated Company", "Account Name", "Company Name", "Company", "Account"),
    "account_crm_id": (
        "account_crm_id",
        "Associated Company ID",
        "Associated Company IDs",
        "Associated Company IDs (Primary)",
        "Company ID",
        "Account ID",
        "AccountId",
    ),
    "role": ("role",),
    "influence": ("influence",),
    "friendliness": ("friendliness",),
    "coverage": ("coverage",),
    "contact_every_days": ("contact_every_days",),
    "left": ("left",),
    "notes": ("notes",),
}
COLUMNS: dict[Kind, dict[str, tuple[str, ...]]] = {"accounts": ACCOUNT_COLUMNS, "contacts": CONTACT_COLUMNS}

# Columns recognised as part of a CRM export but deliberately not imported (listed as ignored).
KNOWN_UNUSED = {
    column_key(c)
    for c in (
        "Create Date",
        "Created Date",
        "Last Activity Date",
        "Last Activity",
        "Lifecycle Stage",
        "Type",
        "Account Type",
        "Email",
        "Phone",
        "Phone Number",
        "Mobile",
        "Mobile Phone",
        "Website",
        "Company Domain Name",
        "Website URL",
        "City",
        "Country",
        "Country/Region",
        "Billing City",
        "Billing Country",
        "Salutation",
        "Description",
    )
}
# Columns only contact exports have.
_CONTACT_SIGNS = {
    column_key(c)
    for c in (
        "First Name",
        "Last Name",
        "Job Title",
        "Contact ID",
        "Contact owner",
        "Associated Company",
        "Email",
        "Full Name",
        "Contact Name",
        "Salutation",
    )
}
_ACCOUNT_SIGNS = {
    column_key(c)
    for c in (
        "Company name",
        "Account Name",
        "Annual Revenue",
        "Industry",
        "Company owner",
        "Account Owner",
        "Account ID",
    )
}

# Fields a --map may name, beyond the entities' own.
DATE_FIELDS = {"last_review", "last_contact"}
MONEY_FIELDS = {"revenue", "cost_to_serve"}


def detect_kind(header: Sequence[str]) -> Kind | None:
    keys = {column_key(h) for h in header}
    if keys & _CONTACT_SIGNS:
        return "contacts"
    if keys & _ACCOUNT_SIGNS or "name" in keys:
        return "accounts"
    return None


@dataclass(slots=True)
class ColumnMap:
    fields: dict[str, int]  # target field -> column index
    ignored: list[str]  # header names not imported


def parse_map(items: Iterable[str], kind: Kind) -> dict[str, str]:
    """``["Company=name", "Email="]`` -> ``{"Company": "name", "Email": ""}``; MappingError if bad."""
    out: dict[str, str] = {}
    for item in items:
        col, sep, target = item.rpartition("=")
        if not sep or not col.strip():
            raise MappingError(f"--map {item!r}: expected COLUMN=FIELD (FIELD empty to ignore the column)")
        target = target.strip()
        if target and target not in COLUMNS[kind]:
            fields_ = ", ".join(sorted(COLUMNS[kind]))
            raise MappingError(f"--map {item!r}: {target!r} is not a field of {kind}; fields: {fields_}")
        out[col.strip()] = target
    return out


def map_columns(header: Sequence[str], kind: Kind, overrides: Mapping[str, str] | None = None) -> ColumnMap:
    """Which column feeds which field. Raises MappingError for an override naming no column."""
    keys = [column_key(h) for h in header]
    chosen: dict[str, int] = {}
    forced: set[int] = set()
    for col, target in (overrides or {}).items():
        if col in header:
            idx = header.index(col)
        elif column_key(col) in keys:
            idx = keys.index(column_key(col))
        else:
            raise MappingError(f"--map {col}={target}: the file has no column {col!r}")
        forced.add(idx)
        for f, i in list(chosen.items()):
            if i == idx:
                del chosen[f]
        if target:
            chosen[target] = idx
    for target, aliases in COLUMNS[kind].items():
        if target in chosen:
            continue
        for alias in aliases:
            k = column_key(alias)
            idx = next((i for i, key in enumerate(keys) if key == k and i not in forced), -1)
            if idx >= 0 and idx not in chosen.values():
                chosen[target] = idx
                break
    used = set(chosen.values())
    ignored = [h for i, h in enumerate(header) if i not in used]
    return ColumnMap(chosen, ignored)


# ---------------------------------------------------------------- numbers

_CURRENCY = r"(?:[€$£¥₹₩₽¤]|[A-Z]{3})"
_MONEY = re.compile(
    rf"^\s*(?P<s1>[-+])?\s*(?:{_CURRENCY}\s*)?(?P<s2>[-+])?\s*(?P<num>[0-9][0-9.,' \u00a0\u202f\u2009]*|[.,][0-9]+)"
    rf"\s*(?:{_CURRENCY})?\s*$"
)
_SPACE_GROUPS = re.compile(r"[0-9]{1,3}(?:[' \u00a0\u202f\u2009][0-9]{3})+(?:[.,][0-9]*)?")


def _core(text: str) -> tuple[bool, str] | None:
    """Sign and the digits-and-separators core of a money text, or None if it is not one."""
    s = text.strip()
    neg = False
    if s.startswith("(") and s.endswith(")"):
        neg, s = True, s[1:-1]
    m = _MONEY.match(s)
    if m is None:
        return None
    neg = neg or "-" in (m.group("s1"), m.group("s2"))
    num = m.group("num").strip()
    if re.search(r"[' \u00a0\u202f\u2009]", num):
        if not _SPACE_GROUPS.fullmatch(num):
            return None
        num = re.sub(r"[' \u00a0\u202f\u2009]", "", num)
    return neg, num


def decimal_evidence(text: str) -> str | None:
    """The decimal separator a number proves ("," or "."), or None when it proves nothing."""
    core = _core(text)
    if core is None:
        return None
    num = core[1]
    seps = [c for c in num if c in ",."]
    if not seps:
        return None
    if len(set(seps)) == 2:
        return seps[-1]
    sep = seps[0]
    if len(seps) > 1:
        return "," if sep == "." else "."
    whole, _, frac = num.partition(sep)
    if len(frac) != 3 or not whole or whole == "0" or len(whole) > 3:
        return sep
    return None


def parse_amount(text: str, decimal: str | None) -> float:
    """A money text as a float. ``decimal`` settles "1.234"; None refuses it as ambiguous.

    Raises ValueError with the reason.
    """
    core = _core(text)
    if core is None:
        raise ValueError(f"{text.strip()!r} is not an amount")
    neg, num = core
    seps = [c for c in num if c in ",."]
    if not seps:
        value = float(num)
    elif len(set(seps)) == 2:
        dec = seps[-1]
        thou = "," if dec == "." else "."
        whole, _, frac = num.rpartition(dec)
        if seps.count(dec) != 1 or not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(thou)}[0-9]{{3}})*", whole):
            raise ValueError(f"{text.strip()!r} is not an amount (misplaced separators)")
        value = float(whole.replace(thou, "") + "." + frac)
    else:
        sep = seps[0]
        if len(seps) > 1:
            if not re.fullmatch(rf"[0-9]{{1,3}}(?:{re.escape(sep)}[0-9]{{3}})+", num):
                raise ValueError(f"{text.strip()!r} is not an amount (misplaced separators)")
            value = float(num.replace(sep, ""))
        else:
            whole, _, frac = num.partition(sep)
            if decimal_evidence(num) is None:  # "1.234": thousands or decimals?
                if decimal is None:
                    raise ValueError(
                        f"{text.strip()!r} is ambiguous: the file has both decimal commas and decimal points"
                    )
                is_decimal = sep == decimal
            else:
                is_decimal = True
            if not frac and not is_decimal:
                raise ValueError(f"{text.strip()!r} is not an amount")
            value = float((whole or "0") + "." + (frac or "0")) if is_decimal else float(whole + frac)
    return -value if neg else value


# ------------------------------------------------------------------ dates

_ISO = re.compile(r"([0-9]{4})[-/.]([0-9]{1,2})[-/.]([0-9]{1,2})(?:(?:[T ]|\s+)[0-9].*)?", re.DOTALL)
_NUMERIC = re.compile(r"([0-9]{1,2})[/.\-]([0-9]{1,2})[/.\-]([0-9]{4}|[0-9]{2})(?:,?\s+[0-9].*)?", re.DOTALL)
_MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ]
    )
    for m in names
}
_DAY_MONTH = re.compile(r"([0-9]{1,2})[ \-]([A-Za-z]{3,9})\.?[ \-,]+([0-9]{4})(?:\s+[0-9].*)?", re.DOTALL)
_MONTH_DAY = re.compile(r"([A-Za-z]{3,9})\.? ([0-9]{1,2}),? ([0-9]{4})(?:\s+[0-9].*)?", re.DOTALL)


def date_evidence(text: str) -> str | None:
    """ "dmy" or "mdy" if a numeric date proves its order, else None."""
    m = _NUMERIC.fullmatch(text.strip())
    if m is None:
        return None
    a, b = int(m.group(1)), int(m.group(2))
    if a > 12 >= b:
        return "dmy"
    if b > 12 >= a:
        return "mdy"
    return None


def _year(y: str) -> int:
    n = int(y)
    if len(y) == 2:
        n += 2000 if n < 70 else 1900
    return n


def _real(text: str, y: int, mo: int, d: int) -> dt.date:
    try:
        return dt.date(y, mo, d)
    except ValueError:
        raise ValueError(f"{text!r} is not a real date") from None


def parse_date(text: str, order: str | None) -> dt.date:
    """A date text. ``order`` ("dmy"/"mdy") settles "03/04/2026"; None refuses it as ambiguous."""
    s = text.strip()
    m = _ISO.fullmatch(s)
    if m:
        return _real(s, int(m.group(1)), int(m.group(2)), int(m.group(3)))
    m = _NUMERIC.fullmatch(s)
    if m:
        a, b, y = int(m.group(1)), int(m.group(2)), _year(m.group(3))
        if a > 12 and b > 12:
            raise ValueError(f"{s!r} is not a real date")
        proof = date_evidence(s) or ("dmy" if a == b else None)  # 03/03: either order
        use = proof or order
        if use is None:
            raise ValueError(f"{s!r} is ambiguous: the file has both day-first and month-first dates")
        return _real(s, y, b, a) if use == "dmy" else _real(s, y, a, b)
    m = _DAY_MONTH.fullmatch(s)
    if m and m.group(2).lower() in _MONTHS:
        return _real(s, int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1)))
    m = _MONTH_DAY.fullmatch(s)
    if m and m.group(1).lower() in _MONTHS:
        return _real(s, int(m.group(3)), _MONTHS[m.group(1).lower()], int(m.group(2)))
    raise ValueError(f"{s!r} is not a date (use 2026-12-31 or 31/12/2026)")


_TRUE = {"yes", "y", "true", "1", "x", "ja", "oui", "si", "sí"}
_FALSE = {"no", "n", "false", "0", "", "nein", "non"}


def parse_bool(text: str) -> bool:
    t = text.strip().casefold()
    if t in _TRUE:
        return True
    if t in _FALSE:
        return False
    raise ValueError(f"{text.strip()!r} is not yes or no")


# ------------------------------------------------------------------ planning


@dataclass(slots=True)
class Existing:
    """The records an import is matched against: ``id -> document`` (the stored documents)."""

    accounts: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    stakeholders: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    seq: int | None = None  # the store's sequence number when read, to detect a stale plan


@dataclass(slots=True)
class PlannedRow:
    line: int
    action: Action
    label: str  # the record's name, for listings
    table: str
    record_id: int | None = None  # the matched record (update, unchanged)
    values: dict[str, Any] = field(default_factory=dict)  # create: the document; update: the changes
    seen: dict[str, Any] = field(default_factory=dict)  # update: the stored values of the changed fields
    errors: list[str] = field(default_factory=list)  # refused: "field: reason"
    crm_id: str = ""

    def describe(self) -> str:
        if self.action == "refused":
            return f"line {self.line}: {'; '.join(self.errors)}"
        if self.action == "update":
            return f"line {self.line}: {self.label} ({', '.join(sorted(self.values))})"
        return f"line {self.line}: {self.label}"


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
        delimiter = _DELIMITER_NAMES.get(t.delimiter, repr(t.delimiter))
        return f"{self.source}: {n} row{'s' if n != 1 else ''} of {self.kind}, {delimiter}-separated, {t.encoding}"

    def describe_columns(self) -> str:
        used = sorted(self.columns.fields.items(), key=lambda kv: kv[1])
        parts = [f"{self.table.header[i]} -> {f}" for f, i in used]
        text = "columns: " + ", ".join(parts)
        if self.columns.ignored:
            text += "; ignored: " + ", ".join(self.columns.ignored)
        return text


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


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
                elif (m := _NUMERIC.fullmatch(cell)) and m.group(1) != m.group(2):
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
) -> ImportPlan:
    if "name" not in cols.fields and not ({"first_name", "last_name"} & set(cols.fields)):
        what = "account" if kind == "accounts" else "contact"
        raise ImportFileError(f"no column gives the {what} name; use --map COLUMN=name")
    if kind == "contacts" and not ({"account", "account_crm_id"} & set(cols.fields)):
        raise ImportFileError(
            "no column links contacts to their account (Associated Company, Account Name or Account ID); "
            "use --map COLUMN=account"
        )
    decimal, order, notes = _conventions(table, cols, dates)
    planner = _Planner(kind, cols, existing, decimal, order, len(table.header))
    planned: list[PlannedRow] = []
    total = len(table.rows)
    step = max(1, total // 200)
    for n, row in enumerate(table.rows, 1):
        planned.append(planner.plan(row))
        if progress is not None and (n % step == 0 or n == total):
            progress(n, total)
    if table.skipped_empty:
        notes.append(f"{table.skipped_empty} empty row(s) skipped")
    return ImportPlan(kind, source, table, cols, planned, notes, existing.seq, dates)


def plan_text(
    data: bytes | str,
    kind: Kind | None,
    mapping: Mapping[str, str] | Iterable[str] | None,
    existing: Existing,
    *,
    dates: DateOrder = "auto",
    source: str = "<text>",
    progress: Progress | None = None,
) -> ImportPlan:
    """Read, map and plan in one call. ``mapping``: ``{"Column": "field"}`` or ``["Column=field"]``."""
    table = read_table(data)
    if kind is None:
        kind = detect_kind(table.header)
        if kind is None:
            raise MappingError("cannot tell whether the file holds accounts or contacts; pass --kind")
    if mapping is None:
        overrides: dict[str, str] = {}
    elif isinstance(mapping, Mapping):
        overrides = dict(mapping)
        parse_map([f"{c}={f}" for c, f in overrides.items()], kind)  # validates the field names
    else:
        overrides = parse_map(mapping, kind)
    cols = map_columns(table.header, kind, overrides)
    return plan_rows(table, kind, cols, existing, dates=dates, source=source, progress=progress)


class _Planner:
    def __init__(
        self, kind: Kind, cols: ColumnMap, existing: Existing, decimal: str | None, order: str | None, width: int
    ) -> None:
        self.kind = kind
        self.width = width
        self.cols = cols
        self.existing = existing
        self.decimal = decimal
        self.order = order
        self.seen_ids: dict[str, int] = {}
        self.seen_names: dict[tuple[int, str], int] = {}
        self.accounts_by_crm: dict[str, list[int]] = {}
        self.accounts_by_name: dict[str, list[int]] = {}
        for i, d in existing.accounts.items():
            if crm := str(d.get("crm_id") or "").strip():
                self.accounts_by_crm.setdefault(crm, []).append(i)
            self.accounts_by_name.setdefault(_name_key(str(d.get("name", ""))), []).append(i)
        self.contacts_by_crm: dict[str, list[int]] = {}
        self.contacts_by_name: dict[tuple[int, str], list[int]] = {}
        if kind == "contacts":
            for i, d in existing.stakeholders.items():
                if crm := str(d.get("crm_id") or "").strip():
                    self.contacts_by_crm.setdefault(crm, []).append(i)
                key = (d.get("account_id"), _name_key(str(d.get("name", ""))))
                self.contacts_by_name.setdefault(key, []).append(i)  # type: ignore[arg-type]

    def cell(self, row: Row, name: str) -> str:
        i = self.cols.fields.get(name)
        if i is None or i >= len(row.cells):
            return ""
        # A leading quote that defuses a formula start ("'=1+1", written by kamtui's CSV export
        # or a spreadsheet) is not part of the value; "'t Hoen" keeps its quote.
        return unquote_formula(row.cells[i].strip()).strip()

    # Values a row gives, converted; empty cells left out (an empty cell never clears a value).
    def values(self, row: Row) -> tuple[dict[str, Any], list[str]]:
        out: dict[str, Any] = {}
        errors: list[str] = []
        for name in self.cols.fields:
            if name in ("first_name", "last_name"):
                continue
            raw = self.cell(row, name)
            if not raw:
                continue
            try:
                if name in MONEY_FIELDS:
                    out[name] = parse_amount(raw, self.decimal)
                elif name in DATE_FIELDS:
                    out[name] = parse_date(raw, self.order).isoformat()
                elif name == "left":
                    out[name] = parse_bool(raw)
                else:
                    out[name] = raw
            except ValueError as exc:
                errors.append(f"{name}: {exc}")
        if "name" not in out:
            full = " ".join(p for p in (self.cell(row, "first_name"), self.cell(row, "last_name")) if p)
            if full:
                out["name"] = full
        return out, errors

    def plan(self, row: Row) -> PlannedRow:
        table = "accounts" if self.kind == "accounts" else "stakeholders"
        extra = row.cells[self.width :]
        if any(c.strip() for c in extra):
            return PlannedRow(
                row.line,
                "refused",
                "",
                table,
                errors=[f"row has {len(row.cells)} cells; the header has {self.width}"],
            )
        values, errors = self.values(row)
        label = str(values.get("name", ""))
        crm = str(values.pop("crm_id", "") or "")
        result = PlannedRow(row.line, "refused", label, table, crm_id=crm)
        if not values.get("name"):
            errors.insert(0, "name: must not be empty")
        if errors:
            result.errors = errors
            return result
        try:
            if self.kind == "accounts":
                self._plan_account(result, values, crm)
            else:
                self._plan_contact(result, values, crm)
        except ValidationError as exc:
            result.action = "refused"
            result.errors = [str(exc)]
        except _Refuse as exc:
            result.action = "refused"
            result.errors = [str(exc)]
        return result

    def _duplicate(self, crm: str, scope: int, name: str, line: int) -> None:
        if crm:
            if crm in self.seen_ids:
                raise _Refuse(f"crm_id: {crm} appears again (first on line {self.seen_ids[crm]})")
            self.seen_ids[crm] = line
        key = (scope, _name_key(name))
        if key in self.seen_names and not crm:
            raise _Refuse(f"name: {name!r} appears again (first on line {self.seen_names[key]})")
        self.seen_names.setdefault(key, line)

    def _match(
        self,
        crm: str,
        name: str,
        by_crm: dict[str, list[int]],
        by_name: list[int],
        docs: Mapping[int, Mapping[str, Any]],
        what: str,
    ) -> tuple[int | None, bool]:
        """The matching record and whether it matched by CRM id."""
        if crm and by_crm.get(crm):
            hits = by_crm[crm]
            if len(hits) > 1:
                raise _Refuse(f"crm_id: {len(hits)} {what}s have CRM id {crm}; merge them in kamtui first")
            return hits[0], True
        if not by_name:
            return None, False
        if len(by_name) > 1:
            raise _Refuse(f"name: {len(by_name)} {what}s are named {name!r}; give them their CRM ids in kamtui")
        hit = by_name[0]
        other = str(docs[hit].get("crm_id") or "").strip()
        if crm and other and other != crm:
            raise _Refuse(f"crm_id: the {what} named {name!r} has CRM id {other}, not {crm}")
        return hit, False

    def _plan_account(self, result: PlannedRow, values: dict[str, Any], crm: str) -> None:
        name = str(values["name"])
        self._duplicate(crm, 0, name, result.line)
        hit, by_id = self._match(
            crm,
            name,
            self.accounts_by_crm,
            self.accounts_by_name.get(_name_key(name), []),
            self.existing.accounts,
            "account",
        )
        if crm:
            values["crm_id"] = crm
        if hit is None:
            account = Account(**values)
            result.action, result.values, result.label = "create", account.to_doc(), account.name
            return
        self._update(result, hit, self.existing.accounts[hit], values, Account, by_id)

    def _plan_contact(self, result: PlannedRow, values: dict[str, Any], crm: str) -> None:
        account_name = str(values.pop("account", "") or "")
        account_crm = str(values.pop("account_crm_id", "") or "")
        account_id = self._account_for(account_name, account_crm)
        name = str(values["name"])
        self._duplicate(crm, account_id, name, result.line)
        hit, by_id = self._match(
            crm,
            name,
            self.contacts_by_crm,
            self.contacts_by_name.get((account_id, _name_key(name)), []),
            self.existing.stakeholders,
            "contact",
        )
        values["account_id"] = account_id
        if hit is None:
            sh = Stakeholder(**values)
            doc = sh.to_doc()
            if crm:
                doc["crm_id"] = crm
            result.action, result.values, result.label = "create", doc, sh.name
            return
        current = self.existing.stakeholders[hit]
        if current.get("account_id") != account_id:
            here = self.existing.accounts.get(current.get("account_id"), {}).get("name", "?")  # type: ignore[arg-type]
            raise _Refuse(
                f"account: {name!r} is on {here!r} in kamtui; move them or mark them left there, then import again"
            )
        self._update(result, hit, current, values, Stakeholder, by_id, crm=crm)

    def _account_for(self, name: str, crm: str) -> int:
        if crm and self.accounts_by_crm.get(crm):
            hits = self.accounts_by_crm[crm]
        elif name:
            hits = self.accounts_by_name.get(_name_key(name), [])
            if not hits:
                raise _Refuse(f"account: no account named {name!r} (import the accounts first)")
        elif crm:
            raise _Refuse(f"account: no account has CRM id {crm} (import the accounts first)")
        else:
            raise _Refuse("account: empty; a contact needs its company")
        if len(hits) > 1:
            raise _Refuse(f"account: {len(hits)} accounts are named {name!r}; give them their CRM ids")
        return hits[0]

    def _update(
        self,
        result: PlannedRow,
        hit: int,
        current: Mapping[str, Any],
        values: dict[str, Any],
        cls: type[Account] | type[Stakeholder],
        by_id: bool,
        crm: str = "",
    ) -> None:
        stored = {k: val for k, val in current.items() if k not in META}
        if not by_id:
            values.pop("name", None)  # matched by name: the KAM's spelling of it stays
        for f in DATE_FIELDS & set(values):
            if stored.get(f) and str(stored[f]) >= str(values[f]):
                del values[f]  # never move a last contact or review backwards
        merged = cls.from_doc({**stored, **values}, hit).to_doc()
        changes = {k: merged[k] for k in values if k in merged and stored.get(k) != merged[k]}
        if crm and cls is Stakeholder and stored.get("crm_id") != crm:
            changes["crm_id"] = crm
        result.record_id = hit
        result.label = str(merged.get("name", result.label))
        if not changes:
            result.action = "unchanged"
            return
        result.action = "update"
        result.values = changes
        result.seen = {k: stored.get(k) for k in changes}


class _Refuse(Exception):
    pass
