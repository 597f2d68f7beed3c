"""CSV export is safe to open in a spreadsheet (no formula runs, no raw control character) and a
kamtui CSV export imports back unchanged; JSON export stays lossless for every hostile string."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kamtui.domain.model import Account, Action, Horizon, Objective, Stakeholder, Tier
from kamtui.domain.spreadsheet import csv_text, needs_quote, unquote_formula, visible_controls
from kamtui.report.csv_tables import csv_cell
from kamtui.store import Store
from kamtui.store.schema import META_FIELDS
from tests.cli_run import TODAY_ARGS, kamtui_run
from tests.hostile import STORABLE_NAMES
from tests.ui_fixtures import d

FORMULA_NAMES = ["=1+1", "+49 Partners", "-2 Corp", "@Home", '=HYPERLINK("http://x","y")', " =cmd", "\u00a0@x"]
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _unsafe(text: str) -> list[str]:
    """Characters a spreadsheet or terminal must not get raw from a CSV cell (tab and newline are text)."""
    return sorted({repr(ch) for ch in text if ch not in "\t\n" and (unicodedata.category(ch) == "Cc" or ch in BIDI)})


# ------------------------------------------------------------------------------ the rule


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2", "'-2"),  # text that looks like a number is still text
        ("@cmd", "'@cmd"),
        ("\tTab", "'\tTab"),
        ("\r=x", "'\n=x"),
        (" =cmd", "' =cmd"),  # spreadsheets skip leading whitespace
        ("\u00a0=cmd", "'\u00a0=cmd"),
        ("'=x", "''=x"),  # a quoted formula is quoted again, so the rule can be undone
        ("'t Hoen", "'t Hoen"),
        ("a-b = c", "a-b = c"),
        ("Esc\x1b[2Jape", "Esc^[[2Jape"),
        ("bell\x07 del\x7f c1\x9b31m", "bell^G del^? c1?31m"),
        ("\u202eevil", "\u2423evil"),
        ("two\nlines\tand a tab", "two\nlines\tand a tab"),
        ("crlf\r\nline", "crlf\nline"),
        ("", ""),
    ],
)
def test_text_cells(value: str, cell: str) -> None:
    assert csv_cell(value) == cell
    assert _unsafe(str(csv_cell(value))) == []


@pytest.mark.parametrize("number", [-5, -5.5, 0, 1_200_000, -2])
def test_numbers_stay_numbers(number: float) -> None:
    # OWASP: a cell typed as a number cannot carry a formula; -5 must reach the sheet as -5.
    assert csv_cell(number) == number


@given(st.text())
def test_the_quote_is_undone_exactly(value: str) -> None:
    # What the importer reads back is the text as exported, less the defusing quote.
    assert unquote_formula(csv_text(value)) == visible_controls(value)


# ------------------------------------------------------------------------------ real files


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """Accounts, stakeholders and actions named after every hostile and formula-like string."""
    path = tmp_path / "k.json"
    store = Store(path, user="tester")
    try:
        for name in [*STORABLE_NAMES, *FORMULA_NAMES]:
            acc = store.insert(
                "accounts",
                Account(name=name, tier=Tier.KEY, owner=name, industry=name, notes=name, revenue=1000).to_doc(),
            )
            store.insert(
                "stakeholders",
                Stakeholder(account_id=acc, name=name, title=name, friendliness=-2, notes=name).to_doc(),
            )
            obj = store.insert("objectives", Objective(account_id=acc, title=name, horizon=Horizon.SHORT).to_doc())
            store.insert("actions", Action(account_id=acc, objective_id=obj, text=name, owner=name, due=d(2)).to_doc())
    finally:
        store.close()
    return path


def test_csv_files_have_no_formula_and_no_control_character(tmp_path: Path, hostile_db: Path) -> None:
    out = tmp_path / "out" / "p.csv"
    out.parent.mkdir()
    run = kamtui_run(tmp_path, "export", "--db", hostile_db, "--format", "csv", "-o", out, *TODAY_ARGS)
    assert run.rc == 0, run
    files = [out, out.with_name("p-stakeholders.csv"), out.with_name("p-actions.csv")]
    numbers = {"id", "account_id", "objective_id", "revenue", "cost_to_serve", "friendliness", "contact_every_days"}
    for file in files:
        text = file.read_bytes().decode("utf-8")
        assert _unsafe(text.replace("\r\n", "\n")) == [], file.name
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        assert rows
        for row in rows:
            for column, value in row.items():
                if column in numbers:
                    assert value == "" or float(value) is not None  # a number, as a number
                else:
                    assert not needs_quote(value) or value.startswith("'"), (file.name, column, value)
    stakeholders = list(csv.DictReader(io.StringIO(files[1].read_text(encoding="utf-8"), newline="")))
    assert {r["friendliness"] for r in stakeholders} == {"-2"}  # a negative number is not quoted
    names = {r["name"] for r in csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"), newline=""))}
    assert {"'=1+1", "'+49 Partners", "'-2 Corp", "'@Home", "'[/]"} - names == {"'[/]"}
    assert "Esc" not in "".join(names) and "^[[2J" in names


def test_a_kamtui_csv_export_imports_back_unchanged(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    store = Store(db, user="tester")
    try:
        for name in [*FORMULA_NAMES, "'t Hoen", "'=quoted", "Plain Ltd"]:
            store.insert("accounts", Account(name=name, tier=Tier.KEY, owner="ana", revenue=1000).to_doc())
    finally:
        store.close()
    out = tmp_path / "accounts.csv"
    assert kamtui_run(tmp_path, "export", "--db", db, "--format", "csv", "--table", "accounts", "-o", out).rc == 0
    run = kamtui_run(tmp_path, "import", out, "--db", db, "--dry-run")
    assert run.rc == 0, run
    assert "0 to create, 0 to update, 10 unchanged" in run.out, run.out


def test_json_export_round_trips_every_hostile_string_byte_exact(tmp_path: Path, hostile_db: Path) -> None:
    first = tmp_path / "first.json"
    assert kamtui_run(tmp_path, "export", "--db", hostile_db, "--format", "json", "-o", first).rc == 0
    fresh = tmp_path / "fresh.json"
    run = kamtui_run(tmp_path, "import-json", first, "--db", fresh)
    assert run.rc == 0, run
    second = tmp_path / "second.json"
    assert kamtui_run(tmp_path, "export", "--db", fresh, "--format", "json", "-o", second).rc == 0

    def user_data(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
        data = json.loads(path.read_bytes())
        return {
            table: {i: {k: v for k, v in doc.items() if k not in META_FIELDS} for i, doc in docs.items()}
            for table, docs in data.items()
            if table != "_export"
        }

    assert user_data(second) == user_data(first)
    exported = user_data(first)
    stored = Store(hostile_db, create=False)
    try:
        for table in ("accounts", "stakeholders", "objectives", "actions"):
            for doc_id, doc in dict(stored.all(table)).items():
                for field in ("name", "title", "text", "owner", "notes", "industry"):
                    if field in doc:
                        # the very same code points (so the same UTF-8 bytes) as stored
                        assert exported[table][str(doc_id)][field].encode() == doc[field].encode()
    finally:
        stored.close(compact=False)
    names = [doc["name"] for doc in exported["accounts"].values()]
    assert sorted(names) == sorted(n.strip() for n in [*STORABLE_NAMES, *FORMULA_NAMES])
