"""The demo portfolio of ``kamtui --demo``: a fresh copy of ``sample_data/demo.json``, dated today.

``demo.json`` is built once (see :mod:`kamtui.sample.demo_build`) with its dates relative to
:data:`DEMO_ANCHOR`; :func:`materialize_demo` copies it with every date moved by the days since,
so that the demo always looks as if it were written today.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from kamtui import i18n
from kamtui.domain.model import ENTITIES
from kamtui.i18n import _
from kamtui.store.codec import META_TABLE, SCHEMA_VERSION
from kamtui.store.files import AtomicFile

DEMO_ANCHOR = dt.date(2026, 1, 15)
DEMO_TABLE = "_demo"  # reserved table: doc "1" holds the date the dates are relative to ("anchor")
DEMO_OWNER = "ana"  # whose accounts the user takes over, so that "mine" shows something

_OWNER_FIELDS = {
    "accounts": ("owner",),
    "stakeholders": ("owner",),
    "objectives": ("owner",),
    "actions": ("owner", "done_by"),
    "reviews": ("reviewer",),
    "interactions": ("by",),
    "opportunities": ("owner",),
}


def demo_name(lang: str = "en") -> str:
    """The built demo's file name in ``lang``: ``demo.json``, in Spanish ``demo_es.json`` (the
    same portfolio in Spanish words: kamtui.sample.demo_words)."""
    return "demo_es.json" if lang == "es" else "demo.json"


def demo_file(lang: str = "en") -> Path:
    """Where the demo in ``lang`` is: the repository's ``sample_data`` or the installed package data."""
    package = Path(__file__).resolve().parent.parent
    name = demo_name(lang)
    candidates = (package.parent / "sample_data" / name, package / "sample_data" / name)
    for p in candidates:
        if p.is_file():
            return p
    folders = ", ".join(str(p.parent) for p in candidates)
    raise FileNotFoundError(_("{name} not found (looked in {folders})").format(name=name, folders=folders))


def repo_demo_path(lang: str = "en") -> Path:
    """The repository's ``sample_data/demo.json`` (or ``demo_es.json``), which ``--demo-source`` rebuilds."""
    return Path(__file__).resolve().parent.parent.parent / "sample_data" / demo_name(lang)


def _shift(value: Any, delta: dt.timedelta) -> Any:
    if not isinstance(value, str) or not value:
        return value
    return (dt.date.fromisoformat(value[:10]) + delta).isoformat()


# Dates inside a document: (table, list field, the date's key in each entry).
_NESTED_DATES = (("stakeholders", "friendliness_history", "date"), ("kpis", "history", "date"))


def _shift_business(business: Any, delta: dt.timedelta) -> None:
    """The dates of an account's business: its financial health's and each item's."""
    if not isinstance(business, dict):
        return
    if business.get("financial_health_updated"):
        business["financial_health_updated"] = _shift(business["financial_health_updated"], delta)
    lists = [business.get("goals"), business.get("initiatives")]
    if isinstance(business.get("swot"), dict):
        lists += business["swot"].values()
    for items in lists:
        for item in items if isinstance(items, list) else ():
            if isinstance(item, dict) and item.get("updated"):
                item["updated"] = _shift(item["updated"], delta)


def shift_dates(data: dict[str, Any], delta: dt.timedelta) -> None:
    """Move every date of a store snapshot (in place) by ``delta``, the dates inside documents
    (attitude changes, KPI readings, the business items) included."""
    for table, cls in ENTITIES.items():
        for doc in data.get(table, {}).values():
            for name in cls.DATE_FIELDS:
                if name in doc:
                    doc[name] = _shift(doc[name], delta)
            if table == "accounts":
                _shift_business(doc.get("business"), delta)
            for t, field, key in _NESTED_DATES:
                for entry in doc.get(field, ()) if table == t else ():
                    if isinstance(entry, dict) and key in entry:
                        entry[key] = _shift(entry[key], delta)


def _rename_owner(data: dict[str, Any], old: str, new: str) -> None:
    for table, names in _OWNER_FIELDS.items():
        for doc in data.get(table, {}).values():
            for name in names:
                if doc.get(name) == old:
                    doc[name] = new
            for m in doc.get("team", ()) if table == "accounts" else ():
                if m.get("member") == old:
                    m["member"] = new
            for h in doc.get("friendliness_history", ()) if table == "stakeholders" else ():
                if h.get("by") == old:
                    h["by"] = new


def materialize_demo(dest: Path, today: dt.date | None = None, *, me: str | None = None) -> Path:
    """Copy the demo portfolio to ``dest`` with every date moved by ``today - anchor``: in
    Spanish words while Spanish is in force (the file holds them as data, whatever language
    opens it later).

    The result is a plain store snapshot (mode 0600) whose dates look as if the demo had been
    written ``today``; ``_demo.anchor`` becomes ``today``. ``me``, if given, takes over the
    accounts (and everything else) owned by "ana", so that a "mine" filter shows something.
    ``dest``'s folder is created if needed; ``dest`` is replaced atomically, and a journal left
    beside it by an earlier demo is removed so that old edits are not replayed over the fresh
    copy. Returns ``dest``.
    """
    today = today or dt.date.today()
    dest = Path(os.path.abspath(dest))
    data = json.loads(demo_file(i18n.language()).read_text(encoding="utf-8"))
    meta = data.get(DEMO_TABLE, {}).get("1", {})
    anchor = dt.date.fromisoformat(meta.get("anchor", DEMO_ANCHOR.isoformat()))
    shift_dates(data, today - anchor)
    for kpi in data.get("kpis", {}).values():  # the annual plan is this year's
        if kpi.get("period") == str(anchor.year):
            kpi["period"] = str(today.year)
    data[DEMO_TABLE] = {"1": {"anchor": today.isoformat()}}
    if me and me != DEMO_OWNER:
        _rename_owner(data, DEMO_OWNER, me)
    data.setdefault(META_TABLE, {"1": {"schema": SCHEMA_VERSION, "seq": 0}})
    payload = json.dumps(data, sort_keys=True, indent=1, ensure_ascii=False).encode()
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    with AtomicFile(dest) as tmp:
        tmp.write(payload)
        tmp.commit()
    with contextlib.suppress(FileNotFoundError):
        os.unlink(dest.with_name(dest.name + ".journal"))
    return dest
