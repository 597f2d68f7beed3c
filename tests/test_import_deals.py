"""`kamtui import` of HubSpot deals and Salesforce opportunities (issue 12, item 10): each quirk
has its row in tests/fixtures/import/{hubspot_deals_bom,salesforce_opportunities_semicolon}.csv."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kamtui.cli import main
from kamtui.domain.deals import Opportunity, Stage
from kamtui.domain.importer import Existing, ImportFileError, detect_kind, plan_text, read_table
from kamtui.domain.importer.deals import parse_probability, parse_stage, probability_fractions
from kamtui.store import Store
from kamtui.store.importer import ImportRefused, apply_import, plan_import
from kamtui.store.portfolio import Portfolio
from kamtui.ui.app import KamApp
from kamtui.ui.forms import FormScreen
from kamtui.ui.import_screen import ImportPreview
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, build_portfolio

FIXTURES = Path(__file__).parent / "fixtures" / "import"
HUBSPOT = FIXTURES / "hubspot_deals_bom.csv"
SALESFORCE = FIXTURES / "salesforce_opportunities_semicolon.csv"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store(tmp_path / "k.json", user="tester")
    yield s
    s.close(compact=False)


def with_accounts(store: Store) -> Store:
    for name in ("hubspot_companies_bom.csv", "salesforce_accounts_semicolon.csv"):
        apply_import(store, plan_import(FIXTURES / name, state=store))
    return store


def deals(store: Store) -> dict[str, dict[str, Any]]:
    return {str(d["title"]): d for _, d in store.all("opportunities")}


def account_id(store: Store, name: str) -> int:
    return next(i for i, d in store.all("accounts") if d["name"] == name)


# ------------------------------------------------------------------ HubSpot


def test_hubspot_deals_are_recognised_and_mapped(store: Store) -> None:
    with_accounts(store)
    table = read_table(HUBSPOT.read_bytes())
    assert table.encoding == "UTF-8 with BOM" and table.header[0] == "Record ID"
    plan = plan_import(HUBSPOT, state=store)
    assert plan.kind == "deals"
    assert "probability: every value is between 0 and 1" in " ".join(plan.notes)
    assert [r.describe() for r in plan.refused] == [
        "line 5: value: 'lots' is not an amount",
        "line 7: account: no account named 'Hooli Inc' (import the accounts first)",
        "line 8: stage: 'verbal yes' is not a stage kamtui knows (HubSpot's default pipeline, Salesforce's "
        "standard stages, or kamtui's: open, prospect, qualify, propose, negotiate, commit, won, lost)",
    ]
    with pytest.raises(ImportRefused):
        apply_import(store, plan)
    assert store.count("opportunities") == 0
    apply_import(store, plan, skip_bad=True)
    got = deals(store)
    assert set(got) == {
        "Acme line retrofit",
        "Acme spare parts 2026",
        "Globex pilot",
        "Initech support",
        "Globex data feed",
    }
    retrofit = Opportunity.from_doc(got["Acme line retrofit"])
    assert retrofit.account_id == account_id(store, "Acme GmbH")
    assert (retrofit.stage, retrofit.value, retrofit.close_date) == (Stage.COMMIT, 125000.0, dt.date(2026, 6, 30))
    assert (retrofit.probability, retrofit.owner) == (90, "Dana Kim")
    assert got["Acme line retrofit"]["crm_id"] == "7001"
    assert got["Acme spare parts 2026"]["value"] == 48500.0  # "48,500": thousands, as the file's "125,000.00"
    assert got["Acme spare parts 2026"]["stage"] == "won"
    assert got["Globex pilot"]["stage"] == "prospect" and got["Globex pilot"]["probability"] == 20
    lost = got["Initech support"]
    assert (lost["stage"], lost["reason"], lost["probability"]) == ("lost", "Chose a cheaper supplier", 0)
    data_feed = Opportunity.from_doc(got["Globex data feed"])
    assert data_feed.stage is Stage.PROPOSE and data_feed.probability is None  # none given: the stage's default
    assert data_feed.chance == 50


def test_deal_reimport_changes_nothing_and_follows_the_crm(store: Store) -> None:
    with_accounts(store)
    apply_import(store, plan_import(HUBSPOT, state=store), skip_bad=True)
    again = apply_import(store, plan_import(HUBSPOT, state=store), skip_bad=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    moved = HUBSPOT.read_text(encoding="utf-8-sig").replace(
        '7003,Globex pilot,appointmentscheduled,"12,000.50",2026-09-15',
        '7003,Globex pilot (renamed),closedwon,"14,000.00",2026-10-01',
    )
    existing = Existing(dict(store.all("accounts")), {}, None, dict(store.all("opportunities")))
    plan = plan_text(moved, None, None, existing)
    [update] = plan.of("update")
    assert update.label == "Globex pilot (renamed)"  # matched by its CRM id: it follows the CRM's title
    assert update.values == {
        "title": "Globex pilot (renamed)",
        "stage": "won",
        "value": 14000.0,
        "close_date": "2026-10-01",
    }
    assert update.seen["stage"] == "prospect"


def test_deals_without_crm_ids_match_by_account_title_and_close_date(store: Store) -> None:
    with_accounts(store)
    pf = Portfolio(store)
    acme = account_id(store, "Acme GmbH")
    kept, _ = pf.save(Opportunity(acme, "Line retrofit", 100_000, Stage.PROPOSE, dt.date(2026, 6, 30), owner="ana"))
    text = (
        "Deal Name,Deal Stage,Amount,Close Date,Associated Company\n"
        "LINE RETROFIT,contractsent,100000,2026-06-30,acme gmbh\n"
        "Line retrofit,contractsent,100000,2026-09-30,Acme GmbH\n"
        "Spare parts,closedwon,5000,2026-01-02,Acme GmbH\n"
        "Spare parts,closedwon,5000,2026-01-02,Acme GmbH\n"
    )
    path = store.path.parent / "deals.csv"
    path.write_text(text)
    plan = plan_import(path, state=store)
    assert [(r.line, r.action) for r in plan.rows] == [(2, "update"), (3, "create"), (4, "create"), (5, "refused")]
    assert plan.rows[0].record_id == kept.id and plan.rows[0].values == {"stage": "commit"}
    assert plan.rows[3].describe() == "line 5: title: 'Spare parts' appears again (first on line 4)"
    apply_import(store, plan, skip_bad=True)
    doc = store.get("opportunities", kept.id)  # type: ignore[arg-type]
    assert doc is not None and (doc["title"], doc["owner"], doc["stage"]) == ("Line retrofit", "ana", "commit")
    again = apply_import(store, plan_import(path, state=store), skip_bad=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_deal_on_another_account_is_refused_not_moved(store: Store) -> None:
    with_accounts(store)
    apply_import(store, plan_import(HUBSPOT, state=store), skip_bad=True)
    text = "Record ID,Deal Name,Associated Company\n7001,Acme line retrofit,Initech\n"
    existing = Existing(dict(store.all("accounts")), {}, None, dict(store.all("opportunities")))
    plan = plan_text(text, None, None, existing)
    assert plan.refused[0].describe() == (
        "line 2: account: the deal 'Acme line retrofit' is on 'Acme GmbH' in kamtui; move it there, then import again"
    )


# ------------------------------------------------------------------ Salesforce


def test_salesforce_opportunities_semicolons_decimal_commas_day_first(store: Store) -> None:
    with_accounts(store)
    plan = plan_import(SALESFORCE, state=store)
    assert plan.kind == "deals" and plan.table.delimiter == ";"
    assert [r.describe() for r in plan.refused] == [
        "line 5: value: '12,5 k' is not an amount",
        "line 7: account: no account named 'Nordlicht KG' (import the accounts first)",
        "line 8: stage: 'Verbal Commit' is not a stage kamtui knows (HubSpot's default pipeline, Salesforce's "
        "standard stages, or kamtui's: open, prospect, qualify, propose, negotiate, commit, won, lost)",
    ]
    apply_import(store, plan, skip_bad=True)
    got = deals(store)
    press = got["Press line modernisation"]
    assert press["account_id"] == account_id(store, "Müller Maschinenbau AG")  # by its Account ID
    assert (press["value"], press["stage"], press["close_date"], press["probability"]) == (
        1250000.0,
        "negotiate",
        "2026-06-30",
        90,
    )
    assert got["Service contract 2026"]["value"] == 84000.5
    assert got["Risk analytics pilot"]["value"] == 45000.0  # "€ 45.000": the file's decimal comma
    assert got["Risk analytics pilot"]["stage"] == "propose"
    assert got["Loyalty app"]["stage"] == "lost"
    maintenance = got["Maintenance"]
    assert maintenance["close_date"] == "2026-04-03"  # day-first, proved by 30/06/2026
    assert (maintenance["stage"], maintenance["probability"]) == ("qualify", 20)  # "20 %"
    again = apply_import(store, plan_import(SALESFORCE, state=store), skip_bad=True)
    assert (again.created, again.updated, again.unchanged, again.skipped) == (0, 0, 5, 3)


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        ("appointmentscheduled", Stage.PROSPECT),
        ("Appointment Scheduled", Stage.PROSPECT),
        ("qualifiedtobuy", Stage.QUALIFY),
        ("presentationscheduled", Stage.PROPOSE),
        ("Decision maker bought-in", Stage.NEGOTIATE),
        ("contractsent", Stage.COMMIT),
        ("closedwon", Stage.WON),
        ("Closed Lost", Stage.LOST),
        ("Prospecting", Stage.PROSPECT),
        ("Qualification", Stage.QUALIFY),
        ("Needs Analysis", Stage.QUALIFY),
        ("Value Proposition", Stage.PROPOSE),
        ("Id. Decision Makers", Stage.PROPOSE),
        ("Perception Analysis", Stage.PROPOSE),
        ("Proposal/Price Quote", Stage.PROPOSE),
        ("Negotiation/Review", Stage.NEGOTIATE),
        ("Closed Won", Stage.WON),
        ("negotiate", Stage.NEGOTIATE),
        ("open", Stage.OPEN),
    ],
)
def test_stage_names(text: str, stage: Stage) -> None:
    assert parse_stage(text) is stage


def test_probabilities() -> None:
    assert probability_fractions(["0.2", "", "1", "0"], ".")
    assert not probability_fractions(["0.2", "60"], ".")
    assert not probability_fractions(["1%"], ".")
    assert not probability_fractions(["", "  "], ".")
    assert parse_probability("0.25", ".", True) == 25
    assert parse_probability("1", ".", True) == 100
    assert parse_probability("1", ".", False) == 1
    assert parse_probability("62,5 %", ",", True) == 62
    with pytest.raises(ValueError, match="not a probability"):
        parse_probability("120", ".", False)
    with pytest.raises(ValueError, match="not a probability"):
        parse_probability("high", ".", False)


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        (["Record ID", "Deal Name", "Deal Stage", "Amount", "Associated Company"], "deals"),
        (["Opportunity Name", "Account Name", "Stage", "Amount", "Close Date"], "deals"),
        (["Record ID", "First Name", "Last Name", "Associated Company"], "contacts"),
        (["Account ID", "Account Name", "Type"], "accounts"),
    ],
)
def test_detect_kind_tells_deals_apart(header: list[str], kind: str) -> None:
    assert detect_kind(header) == kind


def test_a_deal_file_needs_a_title_and_an_account_column() -> None:
    with pytest.raises(ImportFileError, match="no column gives the deal name; use --map COLUMN=title"):
        plan_text("Foo,Amount\n1,2\n", "deals", None, Existing())
    with pytest.raises(ImportFileError, match="no column links deals to their account"):
        plan_text("Deal Name,Amount\nX,2\n", None, None, Existing())


def test_empty_account_and_title_are_refused() -> None:
    plan = plan_text("Deal Name,Associated Company,Amount\n,Acme,5\nX,,5\n", None, None, Existing())
    assert [r.describe() for r in plan.refused] == [
        "line 2: title: must not be empty",
        "line 3: account: empty; a deal needs its account",
    ]


def test_deal_import_undoes_through_a_portfolio(store: Store) -> None:
    with_accounts(store)
    pf = Portfolio(store)
    result = apply_import(pf, plan_import(SALESFORCE, state=pf), skip_bad=True)
    assert result.change is not None and store.count("opportunities") == 5
    pf.undo(result.change)
    assert store.count("opportunities") == 0


# ------------------------------------------------------------------ the command line


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_dry_run_then_import_then_reimport(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "k.json")
    for name in ("hubspot_companies_bom.csv", "salesforce_accounts_semicolon.csv"):
        assert run(capsys, "import", "--db", db, str(FIXTURES / name))[0] == 0
    before = Path(db).read_bytes()
    rc, out, err = run(capsys, "import", "--db", db, str(SALESFORCE), "--dry-run")
    assert rc == 2 and err == ""
    assert "salesforce_opportunities_semicolon.csv: 8 rows of deals, semicolon-separated, UTF-8" in out
    assert "Opportunity Name -> title" in out and "Stage -> stage" in out and "Account ID -> account_crm_id" in out
    assert "create   line 2: Press line modernisation" in out
    assert "refused  line 7: account: no account named 'Nordlicht KG' (import the accounts first)" in out
    assert "dry run: 5 to create, 0 to update, 0 unchanged, 3 refused; nothing written" in out
    assert Path(db).read_bytes() == before
    rc, out, err = run(capsys, "import", "--db", db, str(SALESFORCE))
    assert rc == 2 and out == ""
    assert err.splitlines()[-1].startswith("kamtui: 3 row(s) refused; nothing was written")
    assert "kamtui: salesforce_opportunities_semicolon.csv: line 5: value: '12,5 k' is not an amount" in err
    rc, out, err = run(capsys, "import", "--db", db, str(SALESFORCE), "--skip-bad")
    assert rc == 0 and out == "salesforce_opportunities_semicolon.csv: 5 created, 0 updated, 0 unchanged, 3 skipped\n"
    assert len(err.splitlines()) == 3
    rc, out, _ = run(capsys, "import", "--db", db, str(SALESFORCE), "--skip-bad", "--dry-run")
    assert rc == 0 and "dry run: 0 to create, 0 to update, 5 unchanged, 3 refused" in out
    rc, out, err = run(capsys, "import", "--db", db, str(FIXTURES / "refused_rows.csv"), "--kind", "deals")
    assert rc == 2 and out == "" and len(err.splitlines()) == 1
    assert "refused_rows.csv: no column links deals to their account" in err


# ------------------------------------------------------------------ the TUI


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_deal_import_from_the_tui(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")
    path = tmp_path / "k.json"
    build_portfolio(path)
    csv = tmp_path / "deals.csv"
    csv.write_text(
        "Opportunity Name;Account Name;Stage;Amount;Close Date\n"
        "Renewal 2027;ACME Corp;Negotiation/Review;120.000,00;31/03/2027\n"
        "Pilot;Nobody Ltd;Prospecting;5.000;01/02/2027\n"
    )
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            await pilot.press("I")
            await settle(app, pilot)
            assert isinstance(app.screen, FormScreen)
            app.screen.query_one("#f-path").value = str(csv)  # type: ignore[attr-defined]
            app.screen.query_one("#f-kind").value = "deals"  # type: ignore[attr-defined]  # refused if not an option
            await settle(app, pilot)
            await pilot.press("ctrl+s")
            await settle(app, pilot)
            assert isinstance(app.screen, ImportPreview)
            text = screen_text(app)
            assert "of deals" in text and "line 3: account: no account named 'Nobody Ltd'" in text
            await pilot.press("s")
            await settle(app, pilot)
            assert not isinstance(app.screen, ImportPreview)
            [doc] = [d for _, d in store.all("opportunities")]
            assert (doc["title"], doc["stage"], doc["value"]) == ("Renewal 2027", "negotiate", 120000.0)
            await pilot.press("u")
            await settle(app, pilot)
            assert store.count("opportunities") == 0
    finally:
        store.close(compact=False)
