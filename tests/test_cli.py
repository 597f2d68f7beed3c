"""The command line as a user meets it: ``kamtui due`` and ``kamtui check`` as real subprocesses
in a sealed environment (tests.cli_run): the report, owners, hostile names, which database.
The doors (missing, corrupt, symlinked files, a bad config) and the TUI's entry points are in
tests/test_cli_entry.py.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

import kamtui
from kamtui.domain.model import Account, Action, Objective, Stakeholder
from kamtui.domain.text import clean
from kamtui.store import Store
from tests.cli_run import TODAY_ARGS, Run, assert_one_error, default_db, kamtui_run, sealed_env
from tests.hostile import STORABLE_NAMES
from tests.ui_fixtures import TODAY, build_portfolio, d

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cli"
GROUPS = ("Reviews due", "Plan actions due", "Stakeholders to contact", "Risk alerts", "Plan hygiene", "Losing touch")

# What must never reach a terminal from stored text: C0/C1 controls (newline aside), bidi
# embeddings/overrides/isolates and marks, and the Unicode line/paragraph separators.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


def _unsafe(text: str, allowed: str = "\n") -> list[str]:
    return sorted(
        {
            repr(ch)
            for ch in text
            if ch not in allowed and (unicodedata.category(ch) == "Cc" or ch in _BIDI or ch in "\u2028\u2029")
        }
    )


# ------------------------------------------------------------------------------ data


@pytest.fixture(scope="module")
def two_owner_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    """The ui_fixtures portfolio plus a late action on ben's Globex, so owners have something to filter."""
    path = tmp_path_factory.mktemp("owners") / "kamtui.json"
    ids = build_portfolio(path)
    store = Store(path, user="tester")
    try:
        g = ids["globex"]
        ids["globex_objective"] = store.insert(
            "objectives", Objective(account_id=g, title="Expand to EMEA", horizon="short").to_doc()
        )
        ids["globex_action"] = store.insert(
            "actions",
            Action(
                account_id=g, objective_id=ids["globex_objective"], text="Call procurement", owner="ben", due=d(-1)
            ).to_doc(),
        )
    finally:
        store.close()
    return path, ids


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """build_portfolio with hostile names, plus one late account per hostile name (name = owner = contact = action).

    build_portfolio only uses the first eleven names (all markup); the extra accounts put every
    storable name, escapes and bidi tricks included, into every column of ``kamtui due``.
    """
    path = tmp_path_factory.mktemp("hostile") / "kamtui.json"
    build_portfolio(path, names=STORABLE_NAMES)
    store = Store(path, user="tester")
    try:
        for name in STORABLE_NAMES:
            acc = store.insert(
                "accounts",
                Account(
                    name=name, tier="key", owner=name, cadence="monthly", last_review=d(-60), revenue=1000
                ).to_doc(),
            )
            store.insert(
                "stakeholders",
                Stakeholder(
                    account_id=acc,
                    name=name,
                    title=name,
                    role="decision_maker",
                    influence="high",
                    friendliness=-2,
                    last_contact=d(-90),
                    contact_every_days=30,
                ).to_doc(),
            )
            obj = store.insert("objectives", Objective(account_id=acc, title=name, horizon="short").to_doc())
            store.insert("actions", Action(account_id=acc, objective_id=obj, text=name, owner=name, due=d(-2)).to_doc())
    finally:
        store.close()
    return path


def _stored(path: Path) -> dict[str, dict[int, dict[str, Any]]]:
    store = Store(path, create=False)
    try:
        return {t: dict(store.all(t)) for t in ("accounts", "stakeholders", "actions")}
    finally:
        store.close(compact=False)


def _items(run: Run) -> list[dict[str, Any]]:
    assert run.rc == 0, run
    doc = json.loads(run.out)
    assert doc["today"] == TODAY.isoformat()
    items: list[dict[str, Any]] = doc["items"]
    return items


# ------------------------------------------------------------------------------ basics and usage errors


def test_version(tmp_path: Path) -> None:
    run = kamtui_run(tmp_path, "--version")
    assert run.rc == 0
    assert re.fullmatch(r"kamtui \d+\.\d+\.\d+\n", run.out), run.out
    assert run.out == f"kamtui {kamtui.__version__}\n"
    assert run.err == ""


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["due", "--days", "-1"],
        ["due", "--days", "x"],
        ["due", "--format", "xml"],
        ["due", "--today", "2025-02-30"],
        ["--demo", "--db", "X"],
        ["--today", "2025-02-30"],
    ],
    ids=["unknown-command", "negative-days", "days-not-int", "unknown-format", "due-bad-today", "demo-db", "bad-today"],
)
def test_usage_errors_exit_1_with_one_line(tmp_path: Path, args: list[str]) -> None:
    run = kamtui_run(tmp_path, *args)
    assert_one_error(run, 1)
    assert run.out == ""
    # A refused command line never creates anything: not the default database, not "X".
    assert not default_db(tmp_path).parent.exists()
    assert not (tmp_path / "X").exists()


# ------------------------------------------------------------------------------ due: the report


def test_due_table_groups_with_counts(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]) -> None:
    run = kamtui_run(tmp_path, "due", "--db", fixture_db[0], *TODAY_ARGS)
    assert run.rc == 0, run
    assert run.err == ""
    assert "\x1b" not in run.out  # stdout is a pipe: never colour
    lines = run.out.splitlines()
    # The counts in fewer words: the groups' full titles would not fit 100 columns.
    assert lines[0] == ("kamtui: 2026-11-23: 1 review, 1 action, 1 contact, 2 risk alerts, 1 plan flag, 1 losing touch")
    headers = [line for line in lines if re.fullmatch(r"[A-Z][a-z ]+ \(\d+\)", line)]
    assert headers == [
        "Reviews due (1)",
        "Plan actions due (1)",
        "Stakeholders to contact (1)",
        "Risk alerts (2)",
        "Plan hygiene (1)",
        "Losing touch (1)",
    ]
    rows = [line for line in lines[1:] if line and line not in headers]
    assert len(rows) == 7
    assert all("ACME Corp" in row for row in rows)
    # The plan flag (an objective with no action) and Uma, never contacted and without a cadence, are amber.
    assert [row[:2] for row in rows] == ["!!", "!!", "!!", "!!", "!!", "! ", "! "]
    assert "objective 'Become the platform standard' has no" in rows[-2]
    assert "Uma User: never contacted, default every 90d" in rows[-1]
    assert any("Send the ROI case" in row and "3d late" in row for row in rows)
    assert any("Dana Decider" in row for row in rows)
    assert all(len(line) <= 100 for line in lines)


def test_due_json_and_plain(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]) -> None:
    db, ids = fixture_db
    items = _items(kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--format", "json"))
    assert [it["kind"] for it in items] == ["review", "action", "contact", "risk", "risk", "plan", "losing_touch"]
    assert {it["account_id"] for it in items} == {ids["acme"]}
    assert {it["account"] for it in items} == {"ACME Corp"}
    by_kind = {it["kind"]: it for it in items}
    assert by_kind["review"]["due"] == d(-9).isoformat() and by_kind["review"]["days_late"] == 9
    assert by_kind["action"]["target_id"] == ids["late_action"]
    assert by_kind["action"]["title"] == "Send the ROI case"
    assert by_kind["contact"]["target_id"] == ids["hostile_dm"]
    assert by_kind["contact"]["title"] == "Dana Decider"
    assert by_kind["plan"]["title"] == "objective 'Become the platform standard' has no open action"
    assert by_kind["losing_touch"]["title"] == "Uma User"  # no cadence of her own: the default one (low influence)
    assert by_kind["losing_touch"]["detail"] == "never contacted, default every 90d (low influence)"
    assert [it["severity"] for it in items] == [2, 2, 2, 2, 2, 1, 1]

    plain = kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--format", "plain")
    assert plain.rc == 0 and plain.err == ""
    rows = [line.split("\t") for line in plain.out.splitlines()]
    assert len(rows) == len(items)
    assert all(len(row) == 7 for row in rows)
    assert [row[0] for row in rows] == [it["kind"] for it in items]
    assert [row[1] for row in rows] == [it["due"] or "" for it in items]
    assert [row[3] for row in rows] == ["ACME Corp"] * len(items)
    assert rows[1][5] == "Send the ROI case"


def test_due_owner_filter_is_case_insensitive(tmp_path: Path, two_owner_db: tuple[Path, dict[str, int]]) -> None:
    db, ids = two_owner_db
    everyone = _items(kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--format", "json"))
    assert {it["account_id"] for it in everyone} == {ids["acme"], ids["globex"]}

    ana = _items(kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--format", "json", "--owner", "ANA"))
    assert ana and {it["account_id"] for it in ana} == {ids["acme"]}
    assert len(ana) == len(everyone) - 1

    ben = _items(kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--format", "json", "--owner", " Ben "))
    assert [(it["kind"], it["target_id"]) for it in ben] == [("action", ids["globex_action"])]

    # tester owns Initech, with nothing due: an all-clear. zoe owns nothing: not an all-clear.
    idle = kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--owner", "tester")
    assert idle.rc == 0 and idle.out == "Nothing due. Enjoy the day.\n"
    nobody = kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--owner", "zoe")
    assert assert_one_error(nobody, 2) == "kamtui: no account is owned by 'zoe'; owners: ana (1), ben (1), tester (1)"
    assert nobody.out == ""


def test_due_days_looks_ahead(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]) -> None:
    db, ids = fixture_db
    items = _items(kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--format", "json", "--days", "30"))
    targets = {(it["kind"], it["target_id"]) for it in items}
    # Today's seven, plus the action due in 10 days and the champion's contact due in 25.
    assert ("action", ids["late_action"]) in targets
    assert ("action", ids["open_action"]) in targets
    assert ("contact", ids["champion"]) in targets
    assert len(items) == 9
    ahead = {it["target_id"]: it for it in items}
    assert ahead[ids["open_action"]]["due"] == d(10).isoformat()
    assert ahead[ids["open_action"]]["days_late"] <= 0
    assert ahead[ids["champion"]]["due"] == d(25).isoformat()

    # Nothing beyond the window: Globex's quarterly review (80 days out) stays away.
    assert ids["globex"] not in {it["account_id"] for it in items}


def _run_on_pty(tmp: Path, args: list[str | Path], **extra: str) -> bytes:
    """Run kamtui with stdout on a pseudo-terminal; returns what the terminal received."""
    master, slave = os.openpty()
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "kamtui", *map(str, args)],
            stdout=slave,
            stderr=subprocess.PIPE,
            env=sealed_env(tmp, **{"TERM": "xterm-256color", **extra}),
            cwd=tmp,
        )
        os.close(slave)
        slave = -1
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        return b"".join(chunks)
    finally:
        os.close(master)
        if slave != -1:
            os.close(slave)


@pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")
def test_due_colour_only_on_a_terminal_and_never_with_no_color(
    tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]
) -> None:
    args: list[str | Path] = ["due", "--db", fixture_db[0], *TODAY_ARGS]
    assert b"\x1b[31m" in _run_on_pty(tmp_path, args)
    plain = _run_on_pty(tmp_path, args, NO_COLOR="1")
    assert b"\x1b" not in plain
    assert b"Reviews due (1)" in plain
    assert b"\x1b" not in _run_on_pty(tmp_path, args, TERM="dumb")


def test_due_does_not_import_textual(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]) -> None:
    run = kamtui_run(tmp_path, "due", "--db", fixture_db[0], *TODAY_ARGS, pyflags=("-X", "importtime"))
    assert run.rc == 0
    modules = {line.rsplit("|", 1)[-1].strip() for line in run.err_lines if line.startswith("import time:")}
    assert "kamtui.report.due" in modules  # the probe saw the report being imported
    assert not {m for m in modules if m.split(".")[0] in ("textual", "rich")}


# ------------------------------------------------------------------------------ hostile names


def test_hostile_names_plain_and_table_show_no_control_characters(tmp_path: Path, hostile_db: Path) -> None:
    stored = _stored(hostile_db)
    items = _items(kamtui_run(tmp_path, "due", "--db", hostile_db, *TODAY_ARGS, "--format", "json"))

    plain = kamtui_run(tmp_path, "due", "--db", hostile_db, *TODAY_ARGS, "--format", "plain")
    assert plain.rc == 0 and plain.err == ""
    assert _unsafe(plain.out, allowed="\n\t") == []
    rows = [line.split("\t") for line in plain.out.splitlines()]
    assert len(rows) == len(items)  # no name broke a line
    assert all(len(row) == 7 for row in rows)  # no name added a column
    for row, it in zip(rows, items, strict=True):
        assert row[3] == clean(stored["accounts"][it["account_id"]]["name"])

    table = kamtui_run(tmp_path, "due", "--db", hostile_db, *TODAY_ARGS)
    assert table.rc == 0 and table.err == ""
    assert _unsafe(table.out) == []
    lines = table.out.splitlines()
    headers = [line for line in lines if re.fullmatch(r"(?:" + "|".join(GROUPS) + r") \(\d+\)", line)]
    assert len(headers) == 6
    assert len([line for line in lines[1:] if line and line not in headers]) == len(items)


def test_hostile_names_round_trip_through_json(tmp_path: Path, hostile_db: Path) -> None:
    stored = _stored(hostile_db)
    items = _items(kamtui_run(tmp_path, "due", "--db", hostile_db, *TODAY_ARGS, "--format", "json"))
    assert {it["kind"] for it in items} == {"review", "action", "contact", "risk", "plan", "losing_touch"}
    for it in items:
        account = stored["accounts"][it["account_id"]]
        assert it["account"] == account["name"]
        if it["kind"] == "review":
            assert it["owner"] == account["owner"]
        elif it["kind"] == "action":
            assert it["title"] == stored["actions"][it["target_id"]]["text"]
            assert it["owner"] == stored["actions"][it["target_id"]]["owner"]
        elif it["kind"] in ("contact", "losing_touch"):
            assert it["title"] == stored["stakeholders"][it["target_id"]]["name"]
    # Every stored name came back exactly (the model strips outer whitespace when storing, so
    # compare with what is stored): each account under review, and each late action.
    assert {a["name"] for a in stored["accounts"].values() if a.get("cadence")} == {it["account"] for it in items}
    late = {a["text"] for a in stored["actions"].values() if a["due"] and a["due"] <= TODAY.isoformat()}
    assert late == {it["title"] for it in items if it["kind"] == "action"}
    assert len(late) == len(STORABLE_NAMES)  # ... and that is every hostile name


def test_hostile_names_json_text_has_no_raw_control_characters(tmp_path: Path, hostile_db: Path) -> None:
    run = kamtui_run(tmp_path, "due", "--db", hostile_db, *TODAY_ARGS, "--format", "json")
    assert run.rc == 0
    assert _unsafe(run.out) == []


# ------------------------------------------------------------------------------ which database


def test_db_precedence_flag_over_env_over_default(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]) -> None:
    default = default_db(tmp_path)
    from_env = tmp_path / "home" / "env.json"
    from_flag = tmp_path / "flag.json"
    for p in (default, from_env, from_flag):
        p.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(fixture_db[0], p)

    def checked(run: Run) -> str:
        assert run.rc == 0, run
        return run.out.split(": OK (")[0]

    assert checked(kamtui_run(tmp_path, "check")) == str(default)
    with_env = sealed_env(tmp_path, KAMTUI_DB="~/env.json")
    assert checked(kamtui_run(tmp_path, "check", env=with_env)) == str(from_env)
    assert checked(kamtui_run(tmp_path, "check", "--db", from_flag, env=with_env)) == str(from_flag)
    assert checked(kamtui_run(tmp_path, "--db", from_flag, "check", env=with_env)) == str(from_flag)


def test_due_follows_env_and_never_creates_the_file(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]) -> None:
    missing = tmp_path / "nowhere" / "team.json"
    env = sealed_env(tmp_path, KAMTUI_DB=str(missing))
    run = kamtui_run(tmp_path, "due", *TODAY_ARGS, env=env)
    assert str(missing) in assert_one_error(run, 2)
    assert not missing.parent.exists()
    assert not default_db(tmp_path).parent.exists()

    # --db wins over a KAMTUI_DB that points nowhere; the env path is not even looked at.
    run = kamtui_run(tmp_path, "due", "--db", fixture_db[0], *TODAY_ARGS, "--format", "plain", env=env)
    assert run.rc == 0 and run.err == ""
    assert len(run.out.splitlines()) == 7
    assert not missing.parent.exists()


# ------------------------------------------------------------------------------ check


def test_check_ok(tmp_path: Path, fixture_db: tuple[Path, dict[str, int]]) -> None:
    db = tmp_path / "team.json"
    shutil.copyfile(fixture_db[0], db)
    before = db.read_bytes()
    run = kamtui_run(tmp_path, "check", "--db", db)
    assert run.rc == 0 and run.err == ""
    assert run.out.splitlines() == [
        f"{db}: OK (3 accounts, 3 stakeholders, 2 objectives, 2 actions, 3 reviews, 0 interactions, "
        "0 opportunities, 0 KPIs)"
    ]
    assert db.read_bytes() == before


def test_check_lists_each_problem_and_leaves_the_file_alone(tmp_path: Path) -> None:
    db = tmp_path / "bad.json"
    shutil.copyfile(FIXTURES / "bad_documents.json", db)
    before = db.read_bytes()
    run = kamtui_run(tmp_path, "check", "--db", db)
    assert run.rc == 2
    assert "Traceback" not in run.err
    problems = run.out.splitlines()
    assert len(problems) == 3, problems
    assert any(p.startswith("accounts/2: tier:") and "'gold'" in p for p in problems)
    assert any(p.startswith("stakeholders/4: account 999") and "does not exist" in p for p in problems)
    assert any(p.startswith("reviews/5: engagement:") and "7" in p for p in problems)
    assert not any(p.startswith(("accounts/1", "stakeholders/3", "reviews/6")) for p in problems)
    assert run.err_lines == [
        f"{db}: 3 problem(s) in 2 accounts, 2 stakeholders, 0 objectives, 0 actions, 2 reviews, "
        "0 interactions, 0 opportunities, 0 KPIs"
    ]
    assert db.read_bytes() == before

    # `due` still shows what it can from the same file.
    due = kamtui_run(tmp_path, "due", "--db", db, *TODAY_ARGS, "--days", "30", "--format", "plain")
    assert due.rc == 0, due
    rows = [line.split("\t") for line in due.out.splitlines()]
    # Its review, and its champion, never contacted and without a cadence of her own: losing touch.
    assert [(row[0], row[3]) for row in rows] == [("review", "Good Co"), ("losing_touch", "Good Co")]
    assert db.read_bytes() == before
