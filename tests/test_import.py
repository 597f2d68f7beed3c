"""`kamtui import`: each quirk of real CRM exports has a fixture in tests/fixtures/import and a test here."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from kamtui.cli import main
from kamtui.domain.importer import (
    Existing,
    ImportFileError,
    ImportPlan,
    MappingError,
    UnknownKind,
    detect_kind,
    parse_amount,
    parse_date,
    plan_text,
    read_table,
)
from kamtui.domain.model import Account, Stakeholder
from kamtui.store import Store
from kamtui.store.importer import ImportRefused, apply_import
from kamtui.store.importer import plan_import as plan_import_on
from kamtui.store.portfolio import Portfolio

FIXTURES = Path(__file__).parent / "fixtures" / "import"


def fx(name: str) -> Path:
    return FIXTURES / name


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "k.json", user="tester")
    yield s  # type: ignore[misc]
    s.close(compact=False)


def accounts(store: Store) -> dict[str, dict[str, object]]:
    return {str(d["name"]): d for _, d in store.all("accounts")}


def contacts(store: Store) -> dict[str, dict[str, object]]:
    return {str(d["name"]): d for _, d in store.all("stakeholders")}


# The fixtures' contacts were last contacted up to 2026-12-31, and a last contact after today is
# refused: they are planned as of a day after it, not by the clock.
FIXTURES_TODAY = dt.date(2027, 1, 15)


def plan_import(*args: Any, **kw: Any) -> ImportPlan:
    kw.setdefault("today", FIXTURES_TODAY)
    return plan_import_on(*args, **kw)


def imported(store: Store, name: str, **kw: object) -> None:
    apply_import(store, plan_import(fx(name), state=store, **kw))  # type: ignore[arg-type]


# ------------------------------------------------------------------ quirks, one fixture each


def test_utf8_bom_is_not_part_of_the_first_column(store: Store) -> None:
    table = read_table(fx("hubspot_companies_bom.csv").read_bytes())
    assert table.header[0] == "Record ID"
    assert table.encoding == "UTF-8 with BOM"
    plan = plan_import(fx("hubspot_companies_bom.csv"), state=store)
    assert plan.kind == "accounts"
    assert plan.columns.fields["crm_id"] == 0
    apply_import(store, plan)
    acme = accounts(store)["Acme GmbH"]
    assert acme["crm_id"] == "5001"
    assert acme["industry"] == "Manufacturing"
    assert acme["owner"] == "Dana Kim"
    assert acme["tier"] == "regular"
    assert acme["cadence"] == ""


def test_comma_delimiter_with_us_numbers(store: Store) -> None:
    table = read_table(fx("hubspot_companies_bom.csv").read_bytes())
    assert table.delimiter == ","
    imported(store, "hubspot_companies_bom.csv")
    got = accounts(store)
    assert got["Acme GmbH"]["revenue"] == 1234567.89  # "1,234,567.89"
    assert got["Initech"]["revenue"] == 1234.5  # "$1,234.50"
    assert got["Globex Corp"]["revenue"] == 1.0  # "$1"


def test_semicolon_delimiter_crlf_and_decimal_commas(store: Store) -> None:
    raw = fx("salesforce_accounts_semicolon.csv").read_bytes()
    assert b"\r\n" in raw
    table = read_table(raw)
    assert table.delimiter == ";"
    assert table.header[:2] == ["Account ID", "Account Name"]
    imported(store, "salesforce_accounts_semicolon.csv")
    got = accounts(store)
    assert got["Müller Maschinenbau AG"]["revenue"] == 1234567.89  # "1.234.567,89"
    assert got["Société Générale de Test"]["revenue"] == 1234.5  # "€ 1.234,50"
    # "1.234" alone is ambiguous; the file's other numbers prove a decimal comma: 1234.
    assert got["Olsen & Sønner"]["revenue"] == 1234.0
    assert got["Tiny Ltd"]["revenue"] == 12500.0  # "12 500,00"
    assert got["Müller Maschinenbau AG"]["crm_id"] == "0015g00000AbCdE"


@pytest.mark.parametrize(
    ("text", "decimal", "expected"),
    [
        ("1.234.567,89", ",", 1234567.89),
        ("1,234,567.89", ".", 1234567.89),
        ("1.234.567,89", ".", 1234567.89),  # unambiguous whatever the file says
        ("€ 1.234,50", ".", 1234.5),
        ("$1,234.50", ",", 1234.5),
        ("1234,5", ".", 1234.5),
        ("EUR 2.000", ",", 2000.0),
        ("2.000 EUR", ".", 2.0),
        ("1'234.50", ".", 1234.5),
        ("1 234 567,89", ",", 1234567.89),
        ("0,123", ".", 0.123),
        ("1.234", ",", 1234.0),
        ("1.234", ".", 1.234),
        ("1,234", ".", 1234.0),
        ("1,234", ",", 1.234),
        ("  42  ", ".", 42.0),
        ("-5", ".", -5.0),
        ("(1,000.00)", ".", -1000.0),
    ],
)
def test_amounts(text: str, decimal: str, expected: float) -> None:
    assert parse_amount(text, decimal) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["abc", "12abc", "1.23.4", "1,2345,678", "1,234.567.8", "€", "1.234,56,7"])
def test_not_amounts(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(text, ".")


def test_ambiguous_amount_in_a_contradictory_file_is_refused() -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_amount("1.234", None)
    text = 'name,revenue\nA,"1.234,5"\nB,"1,234.5"\nC,1.234\n'
    plan = plan_text(text, "accounts", None, Existing())
    assert [r.describe() for r in plan.refused] == [
        "line 4: revenue: '1.234' is ambiguous: the file has both decimal commas and decimal points"
    ]
    assert any("decimal commas (line 2)" in n for n in plan.notes)


def test_day_first_dates_prove_the_order_of_ambiguous_ones(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    plan = plan_import(fx("hubspot_contacts_dayfirst.csv"), state=store)
    assert plan.kind == "contacts"
    assert not plan.refused
    assert not plan.notes
    apply_import(store, plan)
    got = contacts(store)
    assert got["Anna Schmidt"]["last_contact"] == "2026-12-31"  # 31/12/2026
    assert got["Ben Okafor"]["last_contact"] == "2026-04-03"  # 03/04/2026, day-first like the rest
    assert got["Chloé Martin"]["last_contact"] == "2026-12-31"  # 2026-12-31 10:00
    assert got["Dev Rao"]["last_contact"] is None
    assert got["Anna Schmidt"]["title"] == "CFO"
    assert got["Anna Schmidt"]["crm_id"] == "9001"
    ids = {d["name"]: i for i, d in store.all("accounts")}
    assert got["Anna Schmidt"]["account_id"] == ids["Acme GmbH"]
    assert got["Dev Rao"]["account_id"] == ids["Initech"]  # "initech": names match case-insensitively


def test_month_first_dates_and_link_by_account_id(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    imported(store, "salesforce_contacts_monthfirst.csv")
    got = contacts(store)
    assert got["Eva Lind"]["last_contact"] == "2026-12-31"  # 12/31/2026 proves month-first
    assert got["Farid Haddad"]["last_contact"] == "2026-03-04"  # so 03/04/2026 is the 4th of March
    ids = {d["name"]: i for i, d in store.all("accounts")}
    assert got["Farid Haddad"]["account_id"] == ids["Globex Corp"]  # no account name: its id 5002


def test_ambiguous_dates_without_proof_are_day_first_with_a_note(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    plan = plan_import(fx("contacts_ambiguous_dates.csv"), state=store)
    assert any("read day-first" in n for n in plan.notes)
    apply_import(store, plan)
    assert contacts(store)["Gus Grant"]["last_contact"] == "2026-04-03"
    # Forced month-first, both dates fall earlier than the stored ones: a last contact never goes back.
    plan = plan_import(fx("contacts_ambiguous_dates.csv"), state=store, dates="mdy")
    assert plan.summary() == "0 to create, 0 to update, 2 unchanged, 0 refused"


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("2026-12-31", None, dt.date(2026, 12, 31)),
        ("2026-12-31 10:00", None, dt.date(2026, 12, 31)),
        ("2026-12-31T10:00:00Z", None, dt.date(2026, 12, 31)),
        ("31/12/2026", None, dt.date(2026, 12, 31)),
        ("31.12.2026", None, dt.date(2026, 12, 31)),
        ("31/12/2026 23:59", None, dt.date(2026, 12, 31)),
        ("12/31/2026 11:00 PM", None, dt.date(2026, 12, 31)),
        ("03/04/2026", "dmy", dt.date(2026, 4, 3)),
        ("03/04/2026", "mdy", dt.date(2026, 3, 4)),
        ("3/4/26", "dmy", dt.date(2026, 4, 3)),
        ("31 Dec 2026", None, dt.date(2026, 12, 31)),
        ("Dec 31, 2026", None, dt.date(2026, 12, 31)),
    ],
)
def test_dates(text: str, order: str | None, expected: dt.date) -> None:
    assert parse_date(text, order) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("31/02/2026", "not a real date"),
        ("2026-02-30", "not a real date"),
        ("13/13/2026", "not a real date"),
        ("soon", "not a date"),
        ("03/04/2026", "ambiguous"),  # order None: the file proved both orders
    ],
)
def test_not_dates(text: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_date(text, None)


def test_quoted_newlines_keep_line_numbers(store: Store) -> None:
    table = read_table(fx("quoted_newlines.csv").read_bytes())
    assert [r.line for r in table.rows] == [2, 5, 6]
    plan = plan_import(fx("quoted_newlines.csv"), state=store, mapping=["Description=notes"])
    assert [r.describe() for r in plan.refused] == ["line 5: revenue: 'abc' is not an amount"]
    apply_import(store, plan, skip_bad=True)
    got = accounts(store)
    assert got["Northwind"]["notes"] == "Long-standing client.\nSecond line of the note.\nThird line, with a comma"
    assert got["Fabrikam"]["notes"] == 'Quote "inside" and\na newline'
    assert got["Fabrikam"]["revenue"] == 2000.0


def test_empty_rows_are_skipped_and_line_numbers_stay_right() -> None:
    table = read_table(fx("empty_rows.csv").read_bytes())
    assert [r.line for r in table.rows] == [3, 6, 8]
    assert table.skipped_empty == 5
    plan = plan_text(fx("empty_rows.csv").read_bytes(), None, None, Existing())
    assert plan.summary() == "2 to create, 0 to update, 0 unchanged, 1 refused"
    assert [r.describe() for r in plan.refused] == ["line 8: name: must not be empty"]


def test_refused_rows_name_line_field_and_reason() -> None:
    plan = plan_text(fx("refused_rows.csv").read_bytes(), None, None, Existing())
    assert [r.describe() for r in plan.refused] == [
        "line 3: name: must not be empty",
        "line 4: revenue: 'abc' is not an amount",
        "line 5: last_review: '31/02/2026' is not a real date",
    ]
    assert [r.line for r in plan.of("create")] == [2, 6]


def test_windows_1252_file() -> None:
    plan = plan_text(fx("excel_cp1252.csv").read_bytes(), None, None, Existing())
    assert plan.table.encoding == "Windows-1252"
    assert [r.values["name"] for r in plan.rows] == ["Müller & Söhne", "Café Crème"]
    assert [r.values["revenue"] for r in plan.rows] == [2500.0, 99.5]


def test_excel_sep_line() -> None:
    table = read_table(fx("excel_sep_line.csv").read_bytes())
    assert table.delimiter == ";"
    assert table.header == ["Account Name", "Annual Revenue"]
    assert [r.line for r in table.rows] == [3]


# ------------------------------------------------------------------ columns and kinds


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["Record ID", "Company name", "Annual Revenue"], "accounts"),
        (["Account ID", "Account Name", "Type"], "accounts"),
        (["Record ID", "First Name", "Last Name", "Associated Company"], "contacts"),
        (["Contact ID", "First Name", "Last Name", "Account Name", "Account ID"], "contacts"),
        (["Foo", "Bar"], None),
    ],
)
def test_detect_kind(header: list[str], kind: str | None) -> None:
    assert detect_kind(header) == kind


def test_column_names_ignore_case_spacing_and_punctuation() -> None:
    plan = plan_text("ACCOUNT_NAME,annualrevenue,  Account Owner \nX,5,Y\n", None, None, Existing())
    assert plan.rows[0].values == Account(name="X", revenue=5, owner="Y").to_doc()


def test_map_overrides_and_ignores() -> None:
    text = "Firma,Umsatz,Company name\nACME,100,Wrong\n"
    plan = plan_text(text, "accounts", ["Firma=name", "Umsatz=revenue", "Company name="], Existing())
    assert plan.rows[0].values["name"] == "ACME"
    assert plan.rows[0].values["revenue"] == 100.0
    assert "Company name" in plan.columns.ignored
    with pytest.raises(MappingError, match="not a field of accounts"):
        plan_text(text, "accounts", ["Firma=nom"], Existing())
    with pytest.raises(MappingError, match="no column 'Nope'"):
        plan_text(text, "accounts", ["Nope=name"], Existing())
    with pytest.raises(UnknownKind, match="cannot tell from its columns whether the file holds accounts"):
        plan_text("Foo,Bar\n1,2\n", None, None, Existing())
    with pytest.raises(ImportFileError, match="no column gives the account name"):
        plan_text("Foo,Bar\n1,2\n", "accounts", None, Existing())


def test_bad_csv_is_a_file_error_with_its_line() -> None:
    with pytest.raises(ImportFileError, match="line 3: not valid CSV"):
        read_table('name,revenue\nA,1\nB,"2\n')
    with pytest.raises(ImportFileError, match="empty"):
        read_table(b"\n\n")


def test_extra_cells_are_refused() -> None:
    plan = plan_text("name,revenue\nA,1,surprise\nB,2,\n", "accounts", None, Existing())
    assert [r.describe() for r in plan.refused] == ["line 2: row has 3 cells; the header has 2"]
    assert len(plan.of("create")) == 1


# ------------------------------------------------------------------ matching and re-import


def test_reimport_changes_nothing(store: Store) -> None:
    imported(store, "salesforce_accounts_semicolon.csv")
    seq = store.seq
    plan = plan_import(fx("salesforce_accounts_semicolon.csv"), state=store)
    assert plan.summary() == "0 to create, 0 to update, 4 unchanged, 0 refused"
    result = apply_import(store, plan)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert store.seq == seq


def test_contacts_reimport_changes_nothing(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    imported(store, "hubspot_contacts_dayfirst.csv")
    seq = store.seq
    result = apply_import(store, plan_import(fx("hubspot_contacts_dayfirst.csv"), state=store))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 4)
    assert store.seq == seq


def test_match_by_name_adopts_the_crm_id_and_keeps_the_kam_fields(store: Store) -> None:
    pf = Portfolio(store)
    mine, _ = pf.save(Account(name="ACME  gmbh", tier="key", revenue=5, cadence="quarterly", notes="mine"))
    plan = plan_import(fx("hubspot_companies_bom.csv"), state=store)
    update = plan.of("update")[0]
    assert update.record_id == mine.id
    assert set(update.values) == {"crm_id", "industry", "owner", "revenue"}
    apply_import(store, plan)
    acme = store.get("accounts", mine.id)  # type: ignore[arg-type]
    assert acme is not None
    assert (acme["crm_id"], acme["tier"], acme["cadence"], acme["notes"]) == ("5001", "key", "quarterly", "mine")
    assert acme["name"] == "ACME  gmbh"  # matched by name: the name itself stays
    assert store.count("accounts") == 3


def test_match_by_crm_id_renames(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    text = "Record ID,Company name\n5001,Acme Group\n"
    plan = plan_text(text, None, None, Existing(dict(store.all("accounts"))))
    assert plan.of("update")[0].values == {"name": "Acme Group"}


def test_empty_cell_never_clears_and_dates_never_go_back(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    imported(store, "hubspot_contacts_dayfirst.csv")
    text = (
        "Record ID,First Name,Last Name,Job Title,Associated Company,Last Activity Date\n"
        "9001,Anna,Schmidt,,Acme GmbH,2026-01-01\n"
    )
    plan = plan_text(text, None, None, Existing(dict(store.all("accounts")), dict(store.all("stakeholders"))))
    assert plan.summary() == "0 to create, 0 to update, 1 unchanged, 0 refused"


def test_different_crm_id_under_the_same_name_is_refused(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    plan = plan_text("Record ID,Company name\n999,Acme GmbH\n", None, None, Existing(dict(store.all("accounts"))))
    assert [r.describe() for r in plan.refused] == [
        "line 2: crm_id: the account named 'Acme GmbH' has CRM id 5001, not 999"
    ]


def test_duplicates_within_the_file_are_refused() -> None:
    plan = plan_text("Record ID,Company name\n1,A\n1,B\n,C\n,c\n", None, None, Existing())
    assert [r.describe() for r in plan.refused] == [
        "line 3: crm_id: 1 appears again (first on line 2)",
        "line 5: name: 'c' appears again (first on line 4)",
    ]


def test_contact_without_its_account_is_refused(store: Store) -> None:
    plan = plan_import(fx("hubspot_contacts_dayfirst.csv"), state=store)
    assert plan.refused[0].describe() == "line 2: account: no account named 'Acme GmbH' (import the accounts first)"
    with pytest.raises(ImportRefused):
        apply_import(store, plan)
    assert store.seq == 0


def test_contact_on_another_account_is_refused_not_moved(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    imported(store, "hubspot_contacts_dayfirst.csv")
    text = "Record ID,First Name,Last Name,Associated Company\n9001,Anna,Schmidt,Globex Corp\n"
    plan = plan_text(text, None, None, Existing(dict(store.all("accounts")), dict(store.all("stakeholders"))))
    assert "is on 'Acme GmbH' in kamtui" in plan.refused[0].describe()


def test_contact_matched_by_name_within_its_account(store: Store) -> None:
    imported(store, "hubspot_companies_bom.csv")
    acme = next(i for i, d in store.all("accounts") if d["name"] == "Acme GmbH")
    pf = Portfolio(store)
    anna, _ = pf.save(Stakeholder(account_id=acme, name="anna schmidt", role="champion", friendliness=2))
    imported(store, "hubspot_contacts_dayfirst.csv")
    doc = store.get("stakeholders", anna.id)  # type: ignore[arg-type]
    assert doc is not None
    assert (doc["crm_id"], doc["title"], doc["role"], doc["friendliness"]) == ("9001", "CFO", "champion", 2)
    assert store.count("stakeholders") == 4


# ------------------------------------------------------------------ applying


def test_refused_rows_write_nothing_unless_skip_bad(store: Store) -> None:
    plan = plan_import(fx("refused_rows.csv"), state=store)
    with pytest.raises(ImportRefused) as info:
        apply_import(store, plan)
    assert len(info.value.refused) == 3
    assert store.seq == 0 and store.count("accounts") == 0
    result = apply_import(store, plan, skip_bad=True)
    assert (result.created, result.skipped) == (2, 3)
    assert store.seq == 1  # one transaction


def test_apply_replans_when_the_database_moved(store: Store) -> None:
    plan = plan_import(fx("hubspot_companies_bom.csv"), state=store)
    Portfolio(store).save(Account(name="Initech", crm_id="5003"))
    result = apply_import(store, plan)
    assert (result.created, result.updated) == (2, 1)
    assert store.count("accounts") == 3


def test_apply_through_a_portfolio_can_be_undone(store: Store) -> None:
    pf = Portfolio(store)
    result = apply_import(pf, plan_import(fx("hubspot_companies_bom.csv"), state=pf))
    assert result.change is not None and store.count("accounts") == 3
    pf.undo(result.change)
    assert store.count("accounts") == 0


def test_progress_is_reported_with_increasing_counts(store: Store) -> None:
    rows = "".join(f"{i},Company {i},{i * 10}\n" for i in range(1, 3001))
    path = store.path.parent / "big.csv"
    path.write_text("Record ID,Company name,Annual Revenue\n" + rows)
    seen: list[tuple[int, int]] = []
    plan = plan_import(path, state=store, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (3000, 3000)
    assert all(total == 3000 for _, total in seen)
    assert [d for d, _ in seen] == sorted({d for d, _ in seen}) and len(seen) > 10
    written: list[int] = []
    apply_import(store, plan, progress=lambda done, total: written.append(done))
    assert written[-1] == 3000 and written == sorted(written) and len(written) > 10
    assert store.count("accounts") == 3000 and store.seq == 1


# ------------------------------------------------------------------ the command line


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_dry_run_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.json"
    rc, out, err = run(capsys, "import", "--db", str(db), str(fx("refused_rows.csv")), "--dry-run")
    assert rc == 2 and err == ""
    assert not db.exists()  # a dry run never creates the database
    assert "dry run: 2 to create, 0 to update, 0 unchanged, 3 refused; nothing written" in out
    assert "refused  line 4: revenue: 'abc' is not an amount" in out
    assert "create   line 2: Good One" in out
    Store(db).close()
    before = db.read_bytes()
    rc, out, _ = run(capsys, "import", "--db", str(db), str(fx("hubspot_companies_bom.csv")), "--dry-run")
    assert rc == 0 and "3 to create" in out
    assert db.read_bytes() == before
    journal = db.with_name("k.json.journal")
    assert not journal.exists() or journal.stat().st_size == 0


def test_cli_import_then_reimport(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "k.json")
    rc, out, err = run(capsys, "import", "--db", db, str(fx("hubspot_companies_bom.csv")))
    assert (rc, err) == (0, "")
    assert out == "hubspot_companies_bom.csv: 3 created, 0 updated, 0 unchanged, 0 skipped\n"
    rc, out, _ = run(capsys, "import", "--db", db, str(fx("hubspot_companies_bom.csv")))
    assert out == "hubspot_companies_bom.csv: 0 created, 0 updated, 3 unchanged, 0 skipped\n"
    contacts, day = str(fx("hubspot_contacts_dayfirst.csv")), FIXTURES_TODAY.isoformat()
    rc, out, _ = run(capsys, "--today", day, "import", "--db", db, contacts, "--kind", "contacts")
    assert (rc, out) == (0, "hubspot_contacts_dayfirst.csv: 4 created, 0 updated, 0 unchanged, 0 skipped\n")


def test_cli_refused_rows_exit_2_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.json"
    rc, out, err = run(capsys, "import", "--db", str(db), str(fx("refused_rows.csv")))
    assert rc == 2 and out == ""
    assert err.splitlines() == [
        "kamtui: refused_rows.csv: line 3: name: must not be empty",
        "kamtui: refused_rows.csv: line 4: revenue: 'abc' is not an amount",
        "kamtui: refused_rows.csv: line 5: last_review: '31/02/2026' is not a real date",
        "kamtui: 3 row(s) refused; nothing was written (fix them, or pass --skip-bad to import the rest)",
    ]
    with Store(db) as s:
        assert s.seq == 0
    rc, out, err = run(capsys, "import", "--db", str(db), str(fx("refused_rows.csv")), "--skip-bad")
    assert rc == 0 and "2 created" in out and len(err.splitlines()) == 3


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--map", "name=bogus"), 1),
        (("--map", "Nope=name"), 1),
        (("--map", "no-equals-sign"), 1),
        (("--kind", "leads"), 1),
        (("--dates", "ymd"), 1),
    ],
)
def test_cli_usage_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], code: int) -> None:
    rc, out, err = run(capsys, "import", "--db", str(tmp_path / "k.json"), str(fx("refused_rows.csv")), *args)
    assert rc == code and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("kamtui: ")


def test_cli_data_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text('name\n"unterminated\n')
    for path in (tmp_path / "missing.csv", bad, tmp_path):
        rc, out, err = run(capsys, "import", "--db", str(tmp_path / "k.json"), str(path))
        assert rc == 2 and out == "" and len(err.splitlines()) == 1, err


def test_import_command_does_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from kamtui.cli import main\n"
        f"rc = main(['import', '--db', {str(tmp_path / 'k.json')!r}, {str(fx('hubspot_companies_bom.csv'))!r}])\n"
        "assert rc == 0, rc\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_command_line_asks_for_kind_when_the_columns_do_not_tell(tmp_path: Path) -> None:
    import subprocess
    import sys

    odd = tmp_path / "odd.csv"
    odd.write_text("Foo,Bar\n1,2\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "kamtui", "import", str(odd), "--dry-run", "--db", str(tmp_path / "k.json")],
        capture_output=True,
        text=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin", "KAMTUI_CONFIG": "/dev/null"},
    )
    assert run.returncode != 0 and run.stdout == ""
    assert run.stderr.count("\n") == 1 and run.stderr.rstrip().endswith("; pass --kind accounts, contacts or deals")
