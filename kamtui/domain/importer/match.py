"""One row of a CRM export against the stored records: what it creates, updates, or why it is
refused (``line N: field: reason``).

A row is converted by the file's conventions and validated by the domain model, then matched:
by CRM record id first, else by name (case-insensitive; contacts by name within their
account; deals by title, account and close date). An empty cell never clears a stored value;
last contact and review dates never move backwards; an update carries only the fields that
differ, with the stored values they replace
(so that a concurrent edit of the same field is a conflict when the plan is applied).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from kamtui.domain import validate as v
from kamtui.domain.amounts import amount
from kamtui.domain.cadence import check_ahead
from kamtui.domain.deals import Opportunity, Stage, check_close_date
from kamtui.domain.errors import ValidationError
from kamtui.domain.importer.columns import (
    DATE_FIELDS,
    MONEY_FIELDS,
    MONOTONIC_DATES,
    NAME_FIELD,
    TABLE_OF,
    ColumnMap,
    Kind,
)
from kamtui.domain.importer.deals import parse_probability, parse_stage
from kamtui.domain.importer.table import Row
from kamtui.domain.importer.values import parse_bool, parse_date
from kamtui.domain.model import Account, Stakeholder
from kamtui.domain.spreadsheet import unquote_formula
from kamtui.i18n import _

META = frozenset({"rev", "updated_at", "updated_by"})  # the store's stamps, not fields of an entity


Action = Literal["create", "update", "unchanged", "refused"]


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass(slots=True)
class Existing:
    """The records an import is matched against: ``id -> document`` (the stored documents)."""

    accounts: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    stakeholders: dict[int, Mapping[str, Any]] = field(default_factory=dict)
    seq: int | None = None  # the store's sequence number when read, to detect a stale plan
    opportunities: dict[int, Mapping[str, Any]] = field(default_factory=dict)  # read for deal imports only


def deal_key(account_id: int, title: str, close_date: object) -> tuple[int, str]:
    """What identifies a deal without a CRM id: its account, title (case-insensitive) and close date."""
    return account_id, f"{name_key(title)}|{close_date or ''}"


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
            what = "; ".join(self.errors)
        elif self.action == "update":
            what = f"{self.label} ({', '.join(sorted(self.values))})"
        else:
            what = self.label
        return _("line {n}: {what}").format(n=self.line, what=what)


class RowPlanner:
    """Plans the rows of one file against ``existing``, remembering the rows it planned (a CRM id
    or a name that appears twice in the file is refused the second time)."""

    def __init__(
        self,
        kind: Kind,
        cols: ColumnMap,
        existing: Existing,
        decimal: str | None,
        order: str | None,
        width: int,
        today: dt.date,
    ) -> None:
        self.kind = kind
        self.today = today  # a close date more than ten years after it is refused (as in the form)
        self.width = width
        self.cols = cols
        self.existing = existing
        self.decimal = decimal
        self.order = order
        self.seen_ids: dict[str, int] = {}
        self.seen_names: dict[tuple[int, str], int] = {}
        self.probability_fractions = False  # the file writes probabilities as 0-1 (set by the plan)
        self.accounts_by_crm: dict[str, list[int]] = {}
        self.accounts_by_name: dict[str, list[int]] = {}
        for i, d in existing.accounts.items():
            if crm := str(d.get("crm_id") or "").strip():
                self.accounts_by_crm.setdefault(crm, []).append(i)
            self.accounts_by_name.setdefault(name_key(str(d.get("name", ""))), []).append(i)
        self.contacts_by_crm: dict[str, list[int]] = {}
        self.contacts_by_name: dict[tuple[int, str], list[int]] = {}
        if kind == "contacts":
            for i, d in existing.stakeholders.items():
                if crm := str(d.get("crm_id") or "").strip():
                    self.contacts_by_crm.setdefault(crm, []).append(i)
                key = (d.get("account_id"), name_key(str(d.get("name", ""))))
                self.contacts_by_name.setdefault(key, []).append(i)  # type: ignore[arg-type]
        self.deals_by_crm: dict[str, list[int]] = {}
        self.deals_by_key: dict[tuple[int, str], list[int]] = {}
        if kind == "deals":
            for i, d in existing.opportunities.items():
                if crm := str(d.get("crm_id") or "").strip():
                    self.deals_by_crm.setdefault(crm, []).append(i)
                dkey = deal_key(d.get("account_id"), str(d.get("title", "")), d.get("close_date"))  # type: ignore[arg-type]
                self.deals_by_key.setdefault(dkey, []).append(i)

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
                    out[name] = amount(name, raw, self.decimal)  # the forms' rule: refused alike
                elif name in DATE_FIELDS:
                    day = parse_date(raw, self.order)
                    if name == "close_date":
                        check_close_date(name, day, self.today)  # the opportunity form's rule
                    else:  # a last review or contact has happened (the forms' rule)
                        v.happened(name, day, self.today)
                    out[name] = day.isoformat()
                elif name == "left":
                    out[name] = parse_bool(raw)
                elif name == "stage":
                    out[name] = parse_stage(raw).value
                elif name == "probability":
                    out[name] = parse_probability(raw, self.decimal, self.probability_fractions)
                else:
                    out[name] = raw
            except ValidationError as exc:  # names its field
                errors.append(str(exc))
            except ValueError as exc:
                errors.append(f"{name}: {exc}")
        try:  # what needs two cells: a won or lost deal's close has happened; a cadence has a review to come
            if "close_date" in out and "stage" in out:
                closing = dt.date.fromisoformat(out["close_date"])
                check_close_date("close_date", closing, self.today, Stage(out["stage"]))
            if out.get("cadence"):
                last = out.get("last_review")
                check_ahead("cadence", out["cadence"], dt.date.fromisoformat(last) if last else None, self.today)
        except ValidationError as exc:
            errors.append(str(exc))
        if "name" not in out:
            full = " ".join(p for p in (self.cell(row, "first_name"), self.cell(row, "last_name")) if p)
            if full:
                out["name"] = full
        return out, errors

    def plan(self, row: Row) -> PlannedRow:
        table = TABLE_OF[self.kind]
        name_field = NAME_FIELD[self.kind]
        extra = row.cells[self.width :]
        if any(c.strip() for c in extra):
            return PlannedRow(
                row.line,
                "refused",
                "",
                table,
                errors=[_("row has {n} cells; the header has {width}").format(n=len(row.cells), width=self.width)],
            )
        values, errors = self.values(row)
        label = str(values.get(name_field, ""))
        crm = str(values.pop("crm_id", "") or "")
        result = PlannedRow(row.line, "refused", label, table, crm_id=crm)
        if not values.get(name_field):
            errors.insert(0, f"{name_field}: " + _("must not be empty"))
        if errors:
            result.errors = errors
            return result
        try:
            if self.kind == "accounts":
                self._plan_account(result, values, crm)
            elif self.kind == "contacts":
                self._plan_contact(result, values, crm)
            else:
                self._plan_deal(result, values, crm)
        except ValidationError as exc:
            result.action = "refused"
            result.errors = [str(exc)]
        except _Refuse as exc:
            result.action = "refused"
            result.errors = [str(exc)]
        return result

    def _duplicate(self, crm: str, key: tuple[int, str], name: str, line: int, what: str = "name") -> None:
        if crm:
            if crm in self.seen_ids:
                raise _Refuse(
                    "crm_id: " + _("{crm} appears again (first on line {n})").format(crm=crm, n=self.seen_ids[crm])
                )
            self.seen_ids[crm] = line
        if key in self.seen_names and not crm:
            raise _Refuse(
                f"{what}: "
                + _("{name} appears again (first on line {n})").format(name=repr(name), n=self.seen_names[key])
            )
        self.seen_names.setdefault(key, line)

    def _match(
        self,
        crm: str,
        name: str,
        by_crm: dict[str, list[int]],
        by_name: list[int],
        docs: Mapping[int, Mapping[str, Any]],
        what: str,
        field_name: str = "name",
    ) -> tuple[int | None, bool]:
        """The matching record and whether it matched by CRM id."""
        if crm and by_crm.get(crm):
            hits = by_crm[crm]
            if len(hits) > 1:
                raise _Refuse("crm_id: " + _same_crm(what).format(n=len(hits), crm=crm))
            return hits[0], True
        if not by_name:
            return None, False
        if len(by_name) > 1:
            raise _Refuse(f"{field_name}: " + _same_name(what).format(n=len(by_name), name=repr(name)))
        hit = by_name[0]
        other = str(docs[hit].get("crm_id") or "").strip()
        if crm and other and other != crm:
            raise _Refuse("crm_id: " + _other_crm(what).format(name=repr(name), other=other, crm=crm))
        return hit, False

    def _plan_account(self, result: PlannedRow, values: dict[str, Any], crm: str) -> None:
        name = str(values["name"])
        self._duplicate(crm, (0, name_key(name)), name, result.line)
        hit, by_id = self._match(
            crm,
            name,
            self.accounts_by_crm,
            self.accounts_by_name.get(name_key(name), []),
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
        self._duplicate(crm, (account_id, name_key(name)), name, result.line)
        hit, by_id = self._match(
            crm,
            name,
            self.contacts_by_crm,
            self.contacts_by_name.get((account_id, name_key(name)), []),
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
                "account: "
                + _("{name} is on {account} in kamtui; move them or mark them left there, then import again").format(
                    name=repr(name), account=repr(here)
                )
            )
        self._update(result, hit, current, values, Stakeholder, by_id, crm=crm)

    def _plan_deal(self, result: PlannedRow, values: dict[str, Any], crm: str) -> None:
        account_name = str(values.pop("account", "") or "")
        account_crm = str(values.pop("account_crm_id", "") or "")
        account_id = self._account_for(account_name, account_crm, deal=True)
        title = str(values["title"])
        key = deal_key(account_id, title, values.get("close_date"))
        self._duplicate(crm, key, title, result.line, "title")
        hit, by_id = self._match(
            crm,
            title,
            self.deals_by_crm,
            self.deals_by_key.get(key, []),
            self.existing.opportunities,
            "deal",
            "title",
        )
        values["account_id"] = account_id
        if hit is None:
            opp = Opportunity(**values)
            doc = opp.to_doc()
            if crm:
                doc["crm_id"] = crm
            result.action, result.values, result.label = "create", doc, opp.title
            return
        current = self.existing.opportunities[hit]
        if current.get("account_id") != account_id:
            here = self.existing.accounts.get(current.get("account_id"), {}).get("name", "?")  # type: ignore[arg-type]
            raise _Refuse(
                "account: "
                + _("the deal {title} is on {account} in kamtui; move it there, then import again").format(
                    title=repr(title), account=repr(here)
                )
            )
        self._update(result, hit, current, values, Opportunity, by_id, crm=crm)

    def _account_for(self, name: str, crm: str, deal: bool = False) -> int:
        if crm and self.accounts_by_crm.get(crm):
            hits = self.accounts_by_crm[crm]
        elif name:
            hits = self.accounts_by_name.get(name_key(name), [])
            if not hits:
                raise _Refuse(
                    "account: " + _("no account named {name} (import the accounts first)").format(name=repr(name))
                )
        elif crm:
            raise _Refuse("account: " + _("no account has CRM id {crm} (import the accounts first)").format(crm=crm))
        elif deal:
            raise _Refuse("account: " + _("empty; a deal needs its account"))
        else:
            raise _Refuse("account: " + _("empty; a contact needs its company"))
        if len(hits) > 1:
            raise _Refuse(
                "account: "
                + _("{n} accounts are named {name}; give them their CRM ids").format(n=len(hits), name=repr(name))
            )
        return hits[0]

    def _update(
        self,
        result: PlannedRow,
        hit: int,
        current: Mapping[str, Any],
        values: dict[str, Any],
        cls: type[Account] | type[Stakeholder] | type[Opportunity],
        by_id: bool,
        crm: str = "",
    ) -> None:
        stored = {k: val for k, val in current.items() if k not in META}
        if not by_id:
            values.pop(NAME_FIELD[self.kind], None)  # matched by name: the KAM's spelling of it stays
        for f in MONOTONIC_DATES & set(values):
            if stored.get(f) and str(stored[f]) >= str(values[f]):
                del values[f]  # never move a last contact or review backwards
        merged = cls.from_doc({**stored, **values}, hit).to_doc()
        changes = {k: merged[k] for k in values if k in merged and stored.get(k) != merged[k]}
        if crm and cls is not Account and stored.get("crm_id") != crm:
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


def _same_crm(what: str) -> str:
    if what == "account":
        return _("{n} accounts have CRM id {crm}; merge them in kamtui first")
    if what == "contact":
        return _("{n} contacts have CRM id {crm}; merge them in kamtui first")
    return _("{n} deals have CRM id {crm}; merge them in kamtui first")


def _same_name(what: str) -> str:
    if what == "account":
        return _("{n} accounts are named {name}; give them their CRM ids in kamtui")
    if what == "contact":
        return _("{n} contacts are named {name}; give them their CRM ids in kamtui")
    return _("{n} deals are named {name}; give them their CRM ids in kamtui")


def _other_crm(what: str) -> str:
    if what == "account":
        return _("the account named {name} has CRM id {other}, not {crm}")
    if what == "contact":
        return _("the contact named {name} has CRM id {other}, not {crm}")
    return _("the deal named {name} has CRM id {other}, not {crm}")
