"""Exports: JSON round trip through the store, the ICS feed checked by an independent parser and
dateutil, Markdown checked by a CommonMark parser, CSV safe for spreadsheets, and the CLI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from dateutil.rrule import rruleset, rrulestr

from kamtui.cli import main
from kamtui.domain.cadence import PRESETS, parse_cadence
from kamtui.domain.model import (
    Account,
    Action,
    Business,
    Objective,
    Review,
    Stakeholder,
)
from kamtui.domain.text import clean
from kamtui.report.csv_tables import csv_cell, csv_paths, render_csv
from kamtui.report.ical import SCHEDULE_LENGTH, fold, render_ics, review_series
from kamtui.report.markdown import md_text, render_markdown
from kamtui.report.plans import AccountPlan, select_account
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.store.exchange import ExchangeError, dump_json, import_data, import_json
from kamtui.store.schema import META_FIELDS
from tests.hostile import STORABLE_NAMES

icalendar = pytest.importorskip("icalendar")
markdown_it = pytest.importorskip("markdown_it")

TODAY = dt.date(2026, 11, 23)
STAMP = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
# Markdown and table syntax that must come out as plain text.
MARKDOWN_TRAPS = [
    "# heading",
    "## two",
    "text #",
    "- item",
    "+ plus",
    "* star",
    "1. one",
    "2) two",
    "> quote",
    "===",
    "---",
    "`code`",
    "``` fence",
    "*bold* and _it_",
    "<b>html</b> <!-- c -->",
    "a | b | c",
    "&amp; &copy; &#65;",
    "~~strike~~",
    "    indented",
    "![img](http://x/y.png)",
    "[link](http://x)",
    "trailing\\",
]


# --------------------------------------------------------------------------- helpers


def _plain_tables(store: Store) -> dict[str, dict[int, dict[str, Any]]]:
    from kamtui.domain.model import TABLES

    return {t: {i: {k: v for k, v in d.items() if k not in META_FIELDS} for i, d in store.all(t)} for t in TABLES}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize_demo(tmp_path_factory.mktemp("demo") / "demo.json", TODAY)


def _account(i: int, name: str = "", **kw: Any) -> Account:
    return Account(name=name or f"Account {i}", id=i, **kw)


# ------------------------------------------------------------------------------ JSON


def test_json_export_reimports_to_the_same_portfolio(demo: Path, tmp_path: Path) -> None:
    src = Store(demo, user="a")
    try:
        text = dump_json(src)
        expected = _plain_tables(src)
    finally:
        src.close(compact=False)
    (tmp_path / "export.json").write_text(text, encoding="utf-8")
    assert sum(len(t) for t in expected.values()) > 500

    fresh = Store(tmp_path / "fresh.json", user="b")
    try:
        first = import_json(fresh, tmp_path / "export.json")
        assert first.inserted == sum(len(t) for t in expected.values())
        assert (first.updated, first.unchanged) == (0, 0)
        assert _plain_tables(fresh) == expected
        seq = fresh.seq
        again = import_json(fresh, tmp_path / "export.json")
        assert (again.inserted, again.updated, again.unchanged) == (0, 0, first.inserted)
        assert fresh.seq == seq  # nothing committed at all
        # The round trip of an export of the imported store gives the same documents back.
        assert json.loads(dump_json(fresh)).keys() == json.loads(text).keys()
    finally:
        fresh.close()
    reopened = Store(tmp_path / "fresh.json", user="c")
    try:
        assert _plain_tables(reopened) == expected
    finally:
        reopened.close(compact=False)


def test_json_import_restores_edited_records_and_never_deletes(demo: Path, tmp_path: Path) -> None:
    src = Store(demo, user="a")
    text = dump_json(src)
    src.close(compact=False)
    data = json.loads(text)
    store = Store(tmp_path / "db.json", user="b")
    try:
        import_data(store, data)
        store.update("accounts", 1, {"name": "Renamed", "owner": "zoe"})
        extra = store.insert("accounts", {"name": "Only here"})
        result = import_data(store, data)
        assert (result.inserted, result.updated) == (0, 1)
        account = store.get("accounts", 1)
        assert account is not None and account["name"] == data["accounts"]["1"]["name"]
        assert store.get("accounts", extra) is not None
    finally:
        store.close(compact=False)


def test_json_export_of_one_account_holds_its_records_only(demo: Path, tmp_path: Path) -> None:
    src = Store(demo, user="a")
    try:
        data = json.loads(dump_json(src, account_id=1))
        children = {t: {i for i, _ in src.children(t, 1)} for t in ("stakeholders", "actions", "reviews")}
    finally:
        src.close(compact=False)
    assert list(data["accounts"]) == ["1"]
    for table, ids in children.items():
        assert {int(k) for k in data[table]} == ids
    store = Store(tmp_path / "one.json", user="b")
    try:
        import_data(store, data)
        assert store.count("accounts") == 1
    finally:
        store.close(compact=False)


@pytest.mark.parametrize(
    ("mutate", "why"),
    [
        (lambda d: d["accounts"]["1"].update(tier="platinum"), "tier"),
        (lambda d: d["accounts"]["1"].pop("name"), "name: is required"),
        (lambda d: d["stakeholders"].update({"9": {"account_id": 999, "name": "X"}}), "account 999"),
        (lambda d: d["actions"].update({"9": {"account_id": 1, "objective_id": 77, "text": "X"}}), "objective 77"),
        (lambda d: d.update(widgets={}), "unknown table"),
        (lambda d: d.update(_export={"1": {"schema": 99}}), "newer kamtui"),
        (lambda d: d["accounts"].update({"0": {"name": "zero"}}), "positive"),
    ],
)
def test_json_import_refuses_bad_files_and_writes_nothing(mutate: Any, why: str, tmp_path: Path) -> None:
    data: dict[str, Any] = {
        "accounts": {"1": {"name": "ACME", "cadence": "monthly"}},
        "objectives": {"2": {"account_id": 1, "title": "Grow"}},
        "actions": {"3": {"account_id": 1, "objective_id": 2, "text": "Call"}},
        "stakeholders": {},
    }
    mutate(data)
    store = Store(tmp_path / "db.json", user="b")
    try:
        with pytest.raises(ExchangeError, match=why):
            import_data(store, data)
        assert store.seq == 0
    finally:
        store.close(compact=False)


def test_json_import_of_a_broken_file_says_why(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]")
    store = Store(tmp_path / "db.json", user="b")
    try:
        with pytest.raises(ExchangeError, match="not a kamtui export"):
            import_json(store, bad)
        with pytest.raises(ExchangeError, match="cannot read"):
            import_json(store, tmp_path / "missing.json")
    finally:
        store.close(compact=False)


# ------------------------------------------------------------------------------- ICS

# Last reviews that hit every month-end case: 31st into 30-day months and February, leap days.
_LAST_REVIEWS = [
    dt.date(2026, 1, 31),
    dt.date(2026, 1, 30),
    dt.date(2026, 1, 29),
    dt.date(2026, 1, 28),
    dt.date(2026, 3, 31),
    dt.date(2026, 5, 31),
    dt.date(2026, 7, 31),
    dt.date(2026, 8, 31),
    dt.date(2026, 11, 30),
    dt.date(2026, 12, 31),
    dt.date(2027, 11, 29),
    dt.date(2028, 2, 29),
    dt.date(2026, 11, 23),
]
_RRULES = [
    "FREQ=MONTHLY;BYDAY=1TU",
    "FREQ=WEEKLY;INTERVAL=3;BYDAY=TH",
    "FREQ=WEEKLY;BYDAY=MO,TH",
    "FREQ=MONTHLY;BYMONTHDAY=-1",
    "FREQ=MONTHLY;INTERVAL=2;BYDAY=-1FR",
    "FREQ=MONTHLY;BYMONTHDAY=31",
    "FREQ=MONTHLY;BYMONTHDAY=1,15",  # the 15th is never due in kamtui: listed as dates
    "FREQ=DAILY;INTERVAL=10",
    "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
    "FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=MONTHLY;UNTIL=20270415",  # ends: the calendar ends with it
    "FREQ=WEEKLY;INTERVAL=2;UNTIL=20270101",
]


def _review_cases() -> list[tuple[str, dt.date]]:
    return [(c, last) for c in [*PRESETS, *_RRULES] for last in _LAST_REVIEWS]


def _expand_events(events: list[Any], count: int) -> list[dt.date]:
    """The first ``count`` dates of the union of the events' recurrence sets (DTSTART, RRULE, RDATE)."""
    rs = rruleset()
    for ev in events:
        start = ev.get("dtstart").dt
        assert isinstance(start, dt.date) and not isinstance(start, dt.datetime), "review events are all-day"
        anchor = dt.datetime.combine(start, dt.time())
        rs.rdate(anchor)
        rule = ev.get("rrule")
        if rule is not None:
            rs.rrule(rrulestr(rule.to_ical().decode(), dtstart=anchor))
        rdates = ev.get("rdate")
        for group in rdates if isinstance(rdates, list) else [rdates] if rdates is not None else []:
            for item in group.dts:
                rs.rdate(dt.datetime.combine(item.dt, dt.time()))
    out = []
    for x in rs:
        out.append(x.date())
        if len(out) == count:
            break
    return out


def _reviews_by_account(cal: Any) -> dict[int, list[Any]]:
    found: dict[int, list[Any]] = defaultdict(list)
    for ev in cal.walk("VEVENT"):
        m = re.fullmatch(r"kamtui-review-(\d+)(?:-part\d+)?@kamtui", str(ev.get("uid")))
        if m:
            found[int(m.group(1))].append(ev)
    return found


def test_ics_review_series_expand_to_kamtuis_own_dates() -> None:
    cases = _review_cases()
    plans = [AccountPlan(_account(i, cadence=c, last_review=last)) for i, (c, last) in enumerate(cases, start=1)]
    text = render_ics(plans, TODAY, stamp=STAMP)
    cal = icalendar.Calendar.from_ical(text)
    by_account = _reviews_by_account(cal)
    for i, (c, last) in enumerate(cases, start=1):
        want = parse_cadence(c).occurrences(last, 12)
        events = by_account.get(i, [])
        if not want:
            assert events == [], c
            continue
        got = _expand_events(events, 12)
        assert got == want, f"{c} from {last}: {len(events)} event(s)"
        for ev in events:
            assert ev.get("dtstart").dt == want[0] or ev is not events[0]
            assert str(ev.get("summary")) == f"Review: Account {i}"
            alarm = ev.walk("VALARM")
            assert alarm and str(alarm[0].get("action")) == "DISPLAY"


@pytest.mark.parametrize("preset", ["monthly", "quarterly", "weekly", "biweekly"])
def test_ics_presets_match_for_every_last_review_of_two_years(preset: str) -> None:
    """Every day of 2027-2028 (leap year included) as the last review, 12 reviews on."""
    cadence = parse_cadence(preset)
    days = [dt.date(2027, 1, 1) + dt.timedelta(days=n) for n in range(0, 731, 1 if "month" in preset else 5)]
    for last in days:
        want = cadence.occurrences(last, 12)
        parts = review_series(cadence, want[0])
        assert 1 <= len(parts) <= 4  # 31st, 30th, 29 February, 28th
        assert all(p.rule is not None for p in parts), "presets always fit RRULEs"
        rs = rruleset()
        for p in parts:
            assert p.rule is not None
            rs.rrule(rrulestr(p.rule, dtstart=dt.datetime.combine(p.start, dt.time())))
        got = [x.date() for _, x in zip(range(SCHEDULE_LENGTH), rs, strict=False)]
        assert got[:12] == want, last
        assert got == cadence.occurrences(last, SCHEDULE_LENGTH)


def test_ics_month_end_series_is_split_where_the_day_changes() -> None:
    parts = review_series(parse_cadence("monthly"), dt.date(2026, 8, 31))
    assert [(p.start, p.rule) for p in parts] == [
        (dt.date(2026, 8, 31), "FREQ=MONTHLY;INTERVAL=1;UNTIL=20260831"),
        (dt.date(2026, 9, 30), "FREQ=MONTHLY;INTERVAL=1;UNTIL=20270130"),
        (dt.date(2027, 2, 28), "FREQ=MONTHLY;INTERVAL=1"),
    ]
    assert review_series(parse_cadence("monthly"), dt.date(2026, 11, 23))[0].rule == "FREQ=MONTHLY;INTERVAL=1"
    # Reviewed on the 15th, the 1st-and-15th rule is next due on the 1st, then monthly on the 1st:
    # no RRULE says that, so the dates are listed.
    [listed] = review_series(parse_cadence("FREQ=MONTHLY;BYMONTHDAY=1,15"), dt.date(2026, 9, 15))
    assert listed.rule is None and listed.rdates[:3] == (
        dt.date(2026, 10, 1),
        dt.date(2026, 11, 1),
        dt.date(2026, 12, 1),
    )
    assert len(listed.rdates) == SCHEDULE_LENGTH - 1


def test_ics_is_rfc5545_shaped_with_folding_and_crlf() -> None:
    a = _account(7, "Acme, Inc; \\ the " + "long name " * 20, cadence="monthly", last_review=TODAY, owner="ana")
    obj = Objective(account_id=7, title="Grow", id=8)
    acts = [
        Action(account_id=7, objective_id=8, text="Call; then, write\nback", due=TODAY, id=9),
        Action(account_id=7, objective_id=8, text="Done already", due=TODAY, done=True, id=10),
        Action(account_id=7, objective_id=8, text="No date", id=11),
    ]
    raw = render_ics([AccountPlan(a, objectives=[obj], actions=acts)], TODAY, stamp=STAMP)
    assert raw.endswith("\r\n") and "\n" not in raw.replace("\r\n", "")
    for line in raw.split("\r\n"):
        assert len(line.encode()) <= 75
    assert "SUMMARY:Review: Acme\\, Inc\\; \\\\ the long name" in raw.replace("\r\n ", "")
    cal = icalendar.Calendar.from_ical(raw)
    events = {str(e.get("uid")): e for e in cal.walk("VEVENT")}
    assert set(events) == {"kamtui-review-7@kamtui", "kamtui-action-9@kamtui"}
    act = events["kamtui-action-9@kamtui"]
    assert str(act.get("summary")) == f"Action: Call; then, write back ({clean(a.name)})"
    assert act.get("dtstart").dt == TODAY
    assert act.get("dtstamp").dt == STAMP
    assert act.walk("VALARM")[0].get("trigger").dt == -dt.timedelta(days=1)
    review = events["kamtui-review-7@kamtui"]
    assert review.get("dtstart").dt == dt.date(2026, 12, 23)
    assert "Owner: ana." in str(review.get("description")).split("\n")


def test_ics_never_reviewed_account_is_due_today_and_no_cadence_means_no_event() -> None:
    plans = [AccountPlan(_account(1, cadence="weekly")), AccountPlan(_account(2, last_review=TODAY))]
    cal = icalendar.Calendar.from_ical(render_ics(plans, TODAY, stamp=STAMP))
    events = list(cal.walk("VEVENT"))
    assert [str(e.get("uid")) for e in events] == ["kamtui-review-1@kamtui"]
    assert events[0].get("dtstart").dt == TODAY
    assert _expand_events(events, 3) == [TODAY, TODAY + dt.timedelta(7), TODAY + dt.timedelta(14)]


def test_fold_never_splits_a_character() -> None:
    line = "SUMMARY:" + "日本語👨\u200d👩\u200d👧é" * 30
    folded = fold(line)
    physical = folded.split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 for p in physical)
    assert "".join(p[1:] if n else p for n, p in enumerate(physical)) == line


def test_ics_hostile_names_survive_escaping() -> None:
    names = STORABLE_NAMES + MARKDOWN_TRAPS
    plans = []
    for i, name in enumerate(names, start=1):
        obj = Objective(account_id=i, title=name, id=10_000 + i)
        act = Action(account_id=i, objective_id=obj.id or 0, text=name, due=TODAY, owner=name, id=20_000 + i)
        plans.append(AccountPlan(_account(i, name, cadence="monthly", owner=name), objectives=[obj], actions=[act]))
    raw = render_ics(plans, TODAY, stamp=STAMP)
    assert not [ch for ch in raw.replace("\r\n", "") if ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0]
    for line in raw.split("\r\n"):
        assert len(line.encode()) <= 75
    cal = icalendar.Calendar.from_ical(raw)
    events = {str(e.get("uid")): e for e in cal.walk("VEVENT")}
    for i, plan in enumerate(plans, start=1):
        name = plan.account.name  # as stored: the model trims surrounding blanks
        shown = clean(name, terminal=False)  # a file keeps joiners; controls and bidi marks are made visible
        assert str(events[f"kamtui-review-{i}@kamtui"].get("summary")) == f"Review: {shown}"
        action = events[f"kamtui-action-{20_000 + i}@kamtui"]
        assert str(action.get("summary")) == f"Action: {shown} ({shown})"
        assert f"Owner: {shown}." in str(action.get("description"))


# -------------------------------------------------------------------------- Markdown


def _inline_text(token: Any) -> str:
    kinds = {c.type for c in token.children or []}
    assert kinds <= {"text", "softbreak", "hardbreak", "code_inline"}, kinds  # no emphasis, links, html
    return "".join(c.content for c in token.children or [])


def _plan(i: int, name: str) -> AccountPlan:
    a = _account(
        i,
        name,
        tier="key",
        owner=name,
        sponsor=name,
        industry=name,
        cadence="monthly",
        last_review=TODAY - dt.timedelta(days=40),
        notes=f"{name}\n{name}",
        business=Business(goals=[name], financial_health=name, initiatives=[name], swot={"threats": [name]}),
    )
    sh = Stakeholder(account_id=i, name=name, title=name, role="decision_maker", friendliness=-2, owner=name, id=i)
    obj = Objective(account_id=i, title=name, owner=name, due=TODAY, id=i)
    act = Action(account_id=i, objective_id=i, text=name, owner=name, due=TODAY - dt.timedelta(days=2), id=i)
    rev = Review(account_id=i, date=TODAY - dt.timedelta(days=40), reviewer=name, notes=name, id=i)
    return AccountPlan(a, stakeholders=[sh], objectives=[obj], actions=[act], reviews=[rev])


def test_markdown_has_the_four_parts_and_user_text_renders_as_itself() -> None:
    names = STORABLE_NAMES + MARKDOWN_TRAPS
    plans = [_plan(i, n) for i, n in enumerate(names, start=1)]
    text = render_markdown(plans, TODAY)
    assert not [ch for ch in text if ch != "\n" and (ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0)]
    tokens = markdown_it.MarkdownIt("commonmark").enable("table").parse(text)
    assert not [t for t in tokens if t.type in ("html_block", "code_block", "fence", "blockquote_open")]
    headings = [(t.tag, _inline_text(tokens[n + 1])) for n, t in enumerate(tokens) if t.type == "heading_open"]
    assert [h for h in headings if h[0] == "h1"] == [("h1", "Account plans")]
    assert [h[1] for h in headings if h[0] == "h2"] == [" ".join(clean(n, terminal=False).split()) for n in names]
    per_account = [h[1] for h in headings if h[0] == "h3"]
    assert per_account[:5] == [
        "1. Relationships",
        "2. The client's business",
        "3. Objectives",
        "4. Strategy and actions",
        "Reviews",
    ]
    assert len(per_account) == 5 * len(names)
    # Every table row has as many cells as its header: no pipe in user text split a row.
    rows: list[list[str]] = []
    cells: list[str] = []
    for n, t in enumerate(tokens):
        if t.type == "tr_open":
            cells = []
        elif t.type in ("td_open", "th_open"):
            cells.append(_inline_text(tokens[n + 1]))
        elif t.type == "tr_close":
            rows.append(cells)
    stakeholder_rows = [r for r in rows if len(r) == 8 and r[2] == "decision maker"]
    assert [r[0] for r in stakeholder_rows] == [" ".join(clean(n, terminal=False).split()) for n in names]
    assert all(r[1] == r[0] == r[7] for r in stakeholder_rows)
    # Checklists: one unticked action per account, its text intact.
    items = [
        _inline_text(tokens[n + 2])
        for n, t in enumerate(tokens)
        if t.type == "list_item_open" and tokens[n + 2].content.startswith("[ ]")
    ]
    assert len(items) == len(names)
    for item, name in zip(items, names, strict=True):
        assert item.startswith(f"[ ] {' '.join(clean(name, terminal=False).split())} (owner ")
        assert "overdue by 2 days" in item
    assert "hostile and no contact" in text or "hostile" in text


def test_markdown_of_the_demo_reads_well(demo: Path) -> None:
    from kamtui.report.plans import load_plans
    from kamtui.store.portfolio import Portfolio

    store = Store(demo, user="a")
    try:
        plans = load_plans(Portfolio(store, lambda: TODAY), TODAY)
    finally:
        store.close(compact=False)
    text = render_markdown(plans, TODAY)
    assert text.count("\n## ") == len(plans) == 28
    assert "| Name | Title | Role | Influence | Attitude | Coverage | Last contact | Owner |" in text
    assert "- [x] " in text and "- [ ] " in text
    assert "health " in text and "Relationship warnings:" in text


def test_md_text_escapes() -> None:
    assert md_text("a|b") == "a\\|b"
    assert md_text("# x") == "\\# x"
    assert md_text("1. x") == "1\\. x"
    assert md_text("- x") == "\\- x"
    assert md_text("R&D &amp;") == "R&D \\&amp;"
    assert md_text("x\x1b[2J") == "x^\\[\\[2J"


# ------------------------------------------------------------------------------- CSV


def test_csv_tables_link_by_id_and_defuse_formulas() -> None:
    names = ["=1+1", "+SUM(A1)", "-2", "@cmd", "\tTab", 'ok, "quoted"\nnew line', *STORABLE_NAMES[:5]]
    plans = [_plan(i, n) for i, n in enumerate(names, start=1)]
    tables = render_csv(plans, TODAY)
    parsed = {k: list(csv.DictReader(io.StringIO(v))) for k, v in tables.items()}
    assert [r["name"] for r in parsed["accounts"]] == [str(csv_cell(p.account.name)) for p in plans]
    assert parsed["accounts"][0]["name"] == "'=1+1" and parsed["accounts"][2]["name"] == "'-2"
    assert parsed["accounts"][5]["name"] == 'ok, "quoted"\nnew line'
    account_ids = {r["id"] for r in parsed["accounts"]}
    assert {r["account_id"] for r in parsed["stakeholders"]} == account_ids
    assert {r["account_id"] for r in parsed["actions"]} == account_ids
    assert parsed["stakeholders"][0]["friendliness"] == "-2"  # numbers stay numbers
    assert parsed["accounts"][0]["last_review"] == "2026-10-14"
    assert parsed["accounts"][0]["next_review"] == "2026-11-14"
    for table in parsed.values():
        for row in table:
            assert not any(str(v).startswith(("=", "+", "@")) for v in row.values())


def test_csv_paths() -> None:
    assert csv_paths(Path("out/p.csv")) == {
        "accounts": Path("out/p.csv"),
        "stakeholders": Path("out/p-stakeholders.csv"),
        "actions": Path("out/p-actions.csv"),
        "opportunities": Path("out/p-opportunities.csv"),
        "kpis": Path("out/p-kpis.csv"),
    }
    assert csv_paths(Path("plain"))["actions"] == Path("plain-actions.csv")


# ------------------------------------------------------------------ choosing accounts


def test_select_account_exact_then_unique_prefix() -> None:
    pool = [_account(1, "Acme"), _account(2, "Acme Labs"), _account(3, "Globex"), _account(4, "globe trotters")]
    assert select_account(pool, "Acme").id == 1
    assert select_account(pool, "acme l").id == 2
    assert select_account(pool, "GLOBEX").id == 3
    with pytest.raises(LookupError, match="fits 2 accounts: 'globe trotters', 'Globex'"):
        select_account(pool, "glob")
    with pytest.raises(LookupError, match="no account named 'Acne'; did you mean 'Acme'"):
        select_account(pool, "Acne")
    with pytest.raises(LookupError, match=r"2 accounts are named 'Twin': 'Twin' \(id 5\), 'Twin' \(id 6\)"):
        select_account([_account(5, "Twin"), _account(6, "Twin")], "Twin")


# ------------------------------------------------------------------------------- CLI


def _run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    rc = main(argv)
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_export_formats_files_and_errors(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", str(demo), "--today", TODAY.isoformat()]
    rc, out, err = _run(["export", "--format", "md", "--account", "northwind", *db], capsys)
    assert (rc, err) == (0, "") and out.startswith("# Account plan\n") and "## Northwind Freight Systems" in out

    rc, out, err = _run(["export", "--format", "ics", *db], capsys)
    assert rc == 0 and icalendar.Calendar.from_ical(out).walk("VEVENT")

    rc, out, err = _run(["export", "--format", "csv", *db], capsys)
    assert rc == 0 and out.startswith("id,name,tier,") and len(out.splitlines()) == 29

    target = tmp_path / "p.csv"
    rc, out, err = _run(["export", "--format", "csv", "-o", str(target), *db], capsys)
    assert rc == 0 and sorted(p.name for p in tmp_path.iterdir()) == [
        "p-actions.csv",
        "p-kpis.csv",
        "p-opportunities.csv",
        "p-stakeholders.csv",
        "p.csv",
    ]
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    before = target.read_bytes()
    rc, out, err = _run(["export", "--format", "csv", "-o", str(target), *db], capsys)
    assert rc == 1 and err.count("\n") == 1 and "--force" in err and target.read_bytes() == before
    rc, out, err = _run(
        ["export", "--format", "csv", "-o", str(target), "--force", "--account", "Aldermoor Hotels", *db], capsys
    )
    assert rc == 0 and len(target.read_text().splitlines()) == 2

    rc, out, err = _run(["export", "--format", "md", "--account", "zzz", *db], capsys)
    assert rc == 2 and err == "kamtui: no account named 'zzz'\n"
    rc, out, err = _run(["export", "--format", "md", "--account", "b", *db], capsys)
    assert rc == 2 and err.count("\n") == 1 and "'Bluebell Bakeries'" in err and "'Brightwater Utilities'" in err
    rc, out, err = _run(["export", *db], capsys)
    assert rc == 1 and "--format" in err and err.count("\n") == 1
    rc, out, err = _run(["export", "--format", "md", "--table", "actions", *db], capsys)
    assert rc == 1
    rc, out, err = _run(["export", "--format", "md", "--db", str(tmp_path / "none.json")], capsys)
    assert rc == 2 and err.count("\n") == 1


def test_cli_json_export_and_import_round_trip(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump.json"
    rc, out, err = _run(["export", "--format", "json", "-o", str(dump), "--db", str(demo)], capsys)
    assert rc == 0, err
    new = tmp_path / "new.json"
    rc, out, err = _run(["import-json", str(dump), "--db", str(new)], capsys)
    assert rc == 0 and "578 added, 0 updated, 0 unchanged" in out
    rc, out, err = _run(["import-json", str(dump), "--db", str(new)], capsys)
    assert rc == 0 and "0 added, 0 updated, 578 unchanged" in out
    a, b = Store(demo, user="x"), Store(new, user="x")
    try:
        assert _plain_tables(a) == _plain_tables(b)
    finally:
        a.close(compact=False)
        b.close(compact=False)
    broken = tmp_path / "broken.json"
    broken.write_text('{"accounts": {"1": {"tier": "gold"}}}')
    rc, out, err = _run(["import-json", str(broken), "--db", str(new)], capsys)
    assert rc == 2 and err.count("\n") == 1 and "nothing imported" in err


def test_cli_export_never_loads_textual(demo: Path) -> None:
    code = (
        "import sys; from kamtui.cli import main; "
        f"rc = main(['export', '--format', 'md', '--db', {str(demo)!r}]); "
        "print('textual' in sys.modules, 'rich' in sys.modules, rc, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "False False 0"
