"""Issue 12, item 10: the exports carry the whole account plan. Markdown shows the dated business
items (stale marked), the opportunities, the KPIs with their status, the team, the stakeholders
an objective or action concerns and why attitudes changed; the JSON export round-trips every
record; the CSV export gains opportunities and KPIs tables, defused like the others."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.model import Account, TeamMember
from kamtui.report.csv_tables import KPI_COLUMNS, OPPORTUNITY_COLUMNS, csv_paths, render_csv
from kamtui.report.markdown import render_markdown
from kamtui.report.plans import AccountPlan
from kamtui.store import Store
from kamtui.store.exchange import dump_json, import_json
from tests.cli_run import kamtui_run
from tests.hostile import STORABLE_NAMES
from tests.test_brief import plan
from tests.test_export import _plain_tables
from tests.ui_fixtures import TODAY

markdown_it = pytest.importorskip("markdown_it")


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")


def full_plan(text: str = "") -> AccountPlan:
    """The brief's test account, with a team, notes and an objective-less opportunity."""
    p = plan(text)
    acc = dataclasses.replace(
        p.account,
        team=[TeamMember(text or "dev", text or "solutions engineer")],
        sponsor=text or "Vera COO",
        notes=text or "Fleet renewal in March",
        criteria={"revenue_potential": 4, "solvency": 3},
    )
    objectives = [dataclasses.replace(p.objectives[0], stakeholders=[11, 10])]
    actions = [dataclasses.replace(p.actions[0], stakeholders=[11]), *p.actions[1:]]
    opps = [*p.opportunities, dataclasses.replace(p.opportunities[1], id=52, objective_id=None, reason=text or "price")]
    kpis = [dataclasses.replace(p.kpis[0], history=p.kpis[0].history), *p.kpis[1:]]
    kpis[0] = kpis[0].with_reading(92, TODAY)
    return dataclasses.replace(
        p, account=acc, objectives=objectives, actions=actions, opportunities=opps, kpis=tuple(kpis)
    )


def data_file(path: Path, p: AccountPlan) -> Path:
    """The plan as a data file, ids and links as given."""
    tables: dict[str, dict[str, Any]] = {}
    records: list[Any] = [p.account, *p.stakeholders, *p.objectives, *p.actions, *p.reviews]
    records += [*p.opportunities, *p.kpis, *p.interactions]
    for r in records:
        tables.setdefault(r.TABLE, {})[str(r.id)] = r.to_doc()
    path.write_text(json.dumps(tables), encoding="utf-8")
    return path


# ----------------------------------------------------------------------------- JSON


def test_json_export_round_trips_the_whole_plan(tmp_path: Path) -> None:
    src = data_file(tmp_path / "src.json", full_plan())
    dump = tmp_path / "dump.json"
    run = kamtui_run(tmp_path, "export", "--format", "json", "-o", dump, "--db", src)
    assert run.rc == 0, run
    new = tmp_path / "new.json"
    run = kamtui_run(tmp_path, "import-json", dump, "--db", new)
    assert run.rc == 0 and "nothing imported" not in run.err, run
    a, b = Store(src, user="x"), Store(new, user="x")
    try:
        before, after = _plain_tables(a), _plain_tables(b)
    finally:
        a.close(compact=False)
        b.close(compact=False)
    assert after == before
    assert {t: len(rows) for t, rows in after.items() if rows} == {
        "accounts": 1,
        "stakeholders": 3,
        "objectives": 1,
        "actions": 3,
        "reviews": 2,
        "opportunities": 3,
        "kpis": 3,
        "interactions": 3,
    }
    acc = after["accounts"][1]
    assert acc["business"]["swot"]["threats"][0] == {"text": "Driver shortage", "updated": "2026-01-27"}
    assert acc["team"] == [{"member": "dev", "role": "solutions engineer"}] and acc["notes"]
    assert after["stakeholders"][11]["friendliness_history"][-1]["reason"] == "price rise"
    assert after["objectives"][30]["stakeholders"] == [11, 10] and after["actions"][40]["stakeholders"] == [11]
    assert after["opportunities"][52]["objective_id"] is None  # no objective: no broken link
    assert after["kpis"][60]["history"] == [{"date": TODAY.isoformat(), "value": 92}]
    again = kamtui_run(tmp_path, "import-json", dump, "--db", new)
    assert again.rc == 0 and "0 added, 0 updated, 19 unchanged" in again.out, again


def test_json_export_of_the_store_is_stable(tmp_path: Path) -> None:
    src = data_file(tmp_path / "src.json", full_plan(STORABLE_NAMES[0]))
    fresh = tmp_path / "fresh.json"
    with Store(src, user="x") as a:
        text = dump_json(a)
    (tmp_path / "e.json").write_text(text, encoding="utf-8")
    with Store(fresh, user="x") as b:
        import_json(b, tmp_path / "e.json")
        again = json.loads(dump_json(b))
    first = json.loads(text)
    meta = ("rev", "updated_at", "updated_by")
    for table, rows in first.items():
        for key, doc in rows.items():
            assert {k: v for k, v in again[table][key].items() if k not in meta} == {
                k: v for k, v in doc.items() if k not in meta
            }


# ------------------------------------------------------------------------- Markdown


def test_markdown_carries_the_whole_plan() -> None:
    md = render_markdown([full_plan()], TODAY)
    assert "Account team: dev (solutions engineer)." in md and "executive sponsor Vera COO" in md
    assert "Fleet renewal in March" in md
    assert "- Cut empty miles (updated 2026-10-24)" in md
    assert "**Financial health:** Healthy (updated 2025-10-19, stale)" in md
    assert "- Threats: Driver shortage (updated 2026-01-27, stale); Fuel prices (updated 2026-11-13)" in md
    assert "Projected value (revenue + weighted pipeline): 2.2M." in md
    assert "| Opportunity | Stage | Probability | Value | Weighted | Close date | Owner | Objective | Reason |" in md
    assert "| Rotterdam hub | propose | 50% | 500k | 250k | 2027-01-22 | ana | Grow the fleet deal | - |" in md
    assert "| Won deal | won | 100% | 100k | - | 2026-10-04 | - | - | price |" in md
    assert "| On-time delivery | 2027 | 95 % | 92 % | higher is better | off track | 2026-11-23 |" in md
    assert "| Claims | - | 10 | 4 | lower is better | on track | - |" in md
    assert "| Unread | - | 1 | - | higher is better | no reading | - |" in md
    assert "KPIs: 3, 1 off track." in md
    assert "| Grow the fleet deal | - | - | open | 1 of 3 actions done (33%) | Cleo CFO, Lou Low |" in md
    assert "- [ ] Send the proposal (owner ana, concerns Cleo CFO, due 2026-11-17, overdue by 6 days)" in md
    assert "Attitude changes:" in md
    assert "- Cleo CFO: unfriendly (-1) on 2026-11-08 by ana: price rise" in md
    assert "- Cleo CFO: friendly (+1) on 2026-05-07 by ana" in md


@pytest.mark.parametrize("name", ["a | b | c", "# heading", "<b>x</b>", "\x1b[2J", "x\ny", "[link](http://x)"])
def test_markdown_of_hostile_plan_text_renders_as_itself(name: str) -> None:
    md = render_markdown([full_plan(name)], TODAY)
    assert "\x1b" not in md
    tokens = markdown_it.MarkdownIt().enable("table").parse(md)
    # Every table keeps its columns: a stored "|" never adds a cell.
    rows: list[int] = []
    cells = 0
    for tok in tokens:
        if tok.type == "tr_open":
            cells = 0
        elif tok.type in ("td_open", "th_open"):
            cells += 1
        elif tok.type == "tr_close":
            rows.append(cells)
    assert rows and set(rows) <= {5, 6, 7, 8, 9}
    assert not any(t.type == "html_inline" or t.type == "html_block" for t in tokens)
    assert not any(t.type == "link_open" for tok in tokens for t in (tok.children or []))


# ------------------------------------------------------------------------------ CSV


def test_csv_gains_opportunities_and_kpis_tables_defused() -> None:
    plans = [full_plan(), full_plan("=HYPERLINK(1)")]
    plans[1] = dataclasses.replace(plans[1], account=Account.from_doc(plans[1].account.to_doc(), 2))
    tables = render_csv(plans, TODAY)
    opps = list(csv.DictReader(io.StringIO(tables["opportunities"])))
    kpis = list(csv.DictReader(io.StringIO(tables["kpis"])))
    assert tuple(opps[0]) == OPPORTUNITY_COLUMNS and tuple(kpis[0]) == KPI_COLUMNS
    assert len(opps) == 6 and len(kpis) == 6
    first = opps[0]
    assert first["title"] == "Rotterdam hub" and first["stage"] == "propose" and first["open"] == "yes"
    assert (first["value"], first["probability"], first["probability_set"], first["weighted"]) == (
        "500000.0",
        "50",
        "no",
        "250000.0",
    )
    assert first["objective"] == "Grow the fleet deal" and first["owner"] == "ana"
    assert kpis[0]["status"] == "off track" and kpis[0]["actual"] == "92.0" and kpis[0]["direction"] == "higher"
    hostile = [r for r in opps + kpis if r["account_id"] == "2"]
    assert hostile and all(r["account"] == "'=HYPERLINK(1)" for r in hostile)
    for row in opps + kpis:
        assert not any(str(v).startswith(("=", "+", "@")) for v in row.values())


def test_cli_csv_writes_five_linked_files(tmp_path: Path) -> None:
    src = data_file(tmp_path / "src.json", full_plan())
    out = tmp_path / "out" / "p.csv"
    out.parent.mkdir()
    run = kamtui_run(tmp_path, "export", "--format", "csv", "-o", out, "--db", src, "--today", TODAY.isoformat())
    assert run.rc == 0, run
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(p.name for p in csv_paths(out).values())
    assert len(list(out.parent.iterdir())) == 5
    kpis = out.with_name("p-kpis.csv").read_text(encoding="utf-8")
    assert kpis.startswith("id,account_id,account,name,") and "off track" in kpis
    run = kamtui_run(tmp_path, "export", "--format", "csv", "--table", "opportunities", "--db", src)
    assert run.rc == 0 and run.out.startswith("id,account_id,account,title,stage,") and "Rotterdam hub" in run.out
