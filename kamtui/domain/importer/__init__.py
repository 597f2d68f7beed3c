"""CSV import, the pure part: read a CRM export, recognise its columns, plan what to change.

Nothing here touches the store; :mod:`kamtui.store.importer` applies a plan. The steps:

1. :func:`read_table` (:mod:`.table`) decodes the bytes (UTF-8 with or without a byte-order mark, UTF-16 or
   UTF-32 with one, else Windows-1252; binary files and repeated column names are refused),
   picks the delimiter (an Excel ``sep=;`` line, else whichever of
   ``, ; TAB |`` the header line holds most of, outside quotes), and parses the rows, keeping
   the physical line each record starts on: quoted newlines span lines, and empty rows
   (blank lines, or only empty cells) are skipped without shifting later line numbers.
2. :func:`map_columns` (:mod:`.columns`) recognises HubSpot and Salesforce column names (case, spaces and
   punctuation ignored: "Annual Revenue", "annual_revenue" and "AnnualRevenue" are one), plus
   kamtui's own field names; ``--map COLUMN=FIELD`` overrides; ``COLUMN=`` ignores a column.
   :func:`detect_kind` tells accounts, contacts and deals (HubSpot deals, Salesforce
   opportunities) apart by their columns; a deal's stage and probability are read by :mod:`.deals`.
3. :func:`plan_rows` (:mod:`.plan`, :mod:`.match`) turns each row into an entity, validated by the domain model, and
   matches it against the existing records: by CRM record id first, else by name
   (case-insensitive; contacts by name within their account; deals by account, title and close
   date). A contact or deal whose account kamtui does not have is refused. Each row becomes a create, an
   update (only the fields that differ), unchanged, or refused with ``line N: field: reason``.

Conventions (documented in the README; values are read by :mod:`.values`):

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
* A contact's or deal's CRM id is kept in its document under ``crm_id``.
"""

from kamtui.domain.errors import ImportFileError, MappingError, UnknownKind
from kamtui.domain.importer.columns import ColumnMap, Kind, detect_kind, map_columns, parse_map
from kamtui.domain.importer.match import Action, Existing, PlannedRow
from kamtui.domain.importer.plan import DateOrder, ImportPlan, Progress, plan_rows, plan_text
from kamtui.domain.importer.table import Row, Table, read_table
from kamtui.domain.importer.values import parse_amount, parse_bool, parse_date

__all__ = [
    "Action",
    "ColumnMap",
    "DateOrder",
    "Existing",
    "ImportFileError",
    "ImportPlan",
    "Kind",
    "MappingError",
    "PlannedRow",
    "Progress",
    "Row",
    "Table",
    "UnknownKind",
    "detect_kind",
    "map_columns",
    "parse_amount",
    "parse_bool",
    "parse_date",
    "parse_map",
    "plan_rows",
    "plan_text",
    "read_table",
]
