"""Recognising a CRM export's columns: which column feeds which field, of accounts, contacts or deals.

:func:`map_columns` recognises HubSpot and Salesforce column names (case, spaces and
punctuation ignored: "Annual Revenue", "annual_revenue" and "AnnualRevenue" are one), plus
kamtui's own field names; ``--map COLUMN=FIELD`` overrides (:func:`parse_map`); ``COLUMN=``
ignores a column. :func:`detect_kind` tells accounts, contacts and deals (opportunities) apart
by their columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from kamtui.domain.errors import MappingError
from kamtui.i18n import _

Kind = Literal["accounts", "contacts", "deals"]


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
# Deals (HubSpot) and opportunities (Salesforce) become kamtui opportunities.
DEAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "title": ("title", "Deal Name", "Opportunity Name", "Deal", "Opportunity", "Name"),
    "crm_id": ("crm_id", "Record ID", "Deal ID", "Opportunity ID", "Id", "CRM ID", "HubSpot ID", "Salesforce ID"),
    "value": ("value", "Amount", "Deal Amount", "Amount (company currency)", "Opportunity Amount"),
    "stage": ("stage", "Deal Stage", "Stage", "Opportunity Stage", "StageName"),
    "close_date": ("close_date", "Close Date", "CloseDate", "Expected Close Date"),
    "probability": ("probability", "Deal probability", "Probability (%)", "Probability", "Deal Stage Probability"),
    "owner": ("owner", "Deal owner", "Opportunity Owner", "Owner", "HubSpot Owner", "Owner Name"),
    "account": ("account", "Associated Company", "Company name", "Account Name", "Company", "Account"),
    "account_crm_id": (
        "account_crm_id",
        "Associated Company ID",
        "Associated Company IDs",
        "Associated Company IDs (Primary)",
        "Company ID",
        "Account ID",
        "AccountId",
    ),
    "reason": ("reason", "Closed Lost Reason", "Closed Won Reason", "Loss Reason", "Reason"),
}
COLUMNS: dict[Kind, dict[str, tuple[str, ...]]] = {
    "accounts": ACCOUNT_COLUMNS,
    "contacts": CONTACT_COLUMNS,
    "deals": DEAL_COLUMNS,
}
# The field that names a record of each kind (a row without it is refused).
NAME_FIELD: dict[Kind, str] = {"accounts": "name", "contacts": "name", "deals": "title"}
# The table a kind's records are stored in.
TABLE_OF: dict[Kind, str] = {"accounts": "accounts", "contacts": "stakeholders", "deals": "opportunities"}

# Columns only deal and opportunity exports have (checked first: they also name the company).
_DEAL_SIGNS = {
    column_key(c)
    for c in (
        "Deal Name",
        "Deal Stage",
        "Deal ID",
        "Deal owner",
        "Deal probability",
        "Opportunity Name",
        "Opportunity ID",
        "Opportunity Owner",
        "Close Date",
        "Probability (%)",
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

# How the fields' values are read (see :mod:`.values`).
DATE_FIELDS = {"last_review", "last_contact", "close_date"}
MONOTONIC_DATES = {"last_review", "last_contact"}  # never moved backwards by an import
MONEY_FIELDS = {"revenue", "cost_to_serve", "value"}


def detect_kind(header: Sequence[str]) -> Kind | None:
    keys = {column_key(h) for h in header}
    if keys & _DEAL_SIGNS:
        return "deals"
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
            raise MappingError(
                _("--map {item}: expected COLUMN=FIELD (FIELD empty to ignore the column)").format(item=repr(item))
            )
        target = target.strip()
        if target and target not in COLUMNS[kind]:
            fields_ = ", ".join(sorted(COLUMNS[kind]))
            raise MappingError(
                _("--map {item}: {target} is not a field of {kind}; fields: {fields}").format(
                    item=repr(item), target=repr(target), kind=kind, fields=fields_
                )
            )
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
            raise MappingError(
                _("--map {column}={target}: the file has no column {name}").format(
                    column=col, target=target, name=repr(col)
                )
            )
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
