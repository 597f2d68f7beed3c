"""An account whose stored owner is null belongs to nobody ("", "(no owner)") in every part of
Today's queue. The risk alerts, off-track KPIs and plan hygiene read it as the text "None" while
the reviews (build_queue) and ``kamtui due --owner``'s check read it as "": ``--owner None``
listed that account's risk alert, and ``--owner ""`` left it out. Real subprocesses on a file
written as another program would (a null owner is not what kamtui writes)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from kamtui.domain.model import Account, Objective
from kamtui.store import Store
from kamtui.store.portfolio import Portfolio
from kamtui.store.today import today_queue
from tests.cli_run import assert_one_error, kamtui_run, sealed_env
from tests.raw import write_raw_documents

TODAY = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Orphan: a null owner, a monthly cadence, last reviewed two years ago (a review due and a
    red "review very late" alert), and an objective no action serves (plan hygiene)."""
    path = tmp_path_factory.mktemp("null-owner") / "kamtui.json"
    Store(path, user="t").close()
    doc = Account(name="Orphan", tier="key", owner="", cadence="monthly", last_review=TODAY.replace(year=2024)).to_doc()
    doc["owner"] = None
    (aid,) = write_raw_documents(path, {"accounts": [doc]})
    objective = Objective(account_id=aid, title="Win the renewal", horizon="short", owner="x", due=TODAY).to_doc()
    write_raw_documents(path, {"objectives": [objective]}, first_id=aid + 100)
    return path


def _due(tmp: Path, db: Path, *args: str) -> tuple[int, list[dict[str, object]], str]:
    env = sealed_env(tmp, KAMTUI_CONFIG="/dev/null")
    run = kamtui_run(tmp, "due", "--db", db, "--today", TODAY.isoformat(), "--format", "json", *args, env=env)
    items = json.loads(run.out)["items"] if run.rc == 0 else []
    return run.rc, items, run.err


def test_everyone_sees_all_of_the_orphan_s_items(tmp_path: Path, db: Path) -> None:
    rc, items, err = _due(tmp_path, db)
    assert (rc, err) == (0, "")
    assert sorted(str(it["kind"]) for it in items) == ["plan", "review", "risk"]


@pytest.mark.parametrize("owner", ["", "  "])
def test_the_empty_owner_gets_every_item_of_an_account_with_a_null_owner(tmp_path: Path, db: Path, owner: str) -> None:
    rc, items, err = _due(tmp_path, db, "--owner", owner)
    assert (rc, err) == (0, "")
    assert sorted(str(it["kind"]) for it in items) == ["plan", "review", "risk"]


@pytest.mark.parametrize("owner", ["None", "none", " NONE "])
def test_owner_none_does_not_match_a_null_owner(tmp_path: Path, db: Path, owner: str) -> None:
    before = db.read_bytes()
    env = sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null")
    run = kamtui_run(tmp_path, "due", "--db", db, "--today", TODAY.isoformat(), "--owner", owner, env=env)
    line = assert_one_error(run, 2)
    assert line == f"kamtui: no account is owned by '{owner.strip()}'; owners: (no owner) (1)"
    assert run.out == ""
    assert db.read_bytes() == before


def test_the_queue_itself_reads_a_null_owner_as_empty(db: Path) -> None:
    store = Store(db, create=False, read_only=True)
    try:
        portfolio = Portfolio(store, lambda: TODAY)
        assert today_queue(portfolio, TODAY, owner="None") == []
        assert sorted(it.kind for it in today_queue(portfolio, TODAY, owner="")) == ["plan", "review", "risk"]
    finally:
        store.close(compact=False)
