"""``kamtui due --owner NAME`` for an owner no account has: one line naming the owners there
are, exit 2 (as ``export --account`` for an account there is not), never "Nothing due" (a
typo in a login script read as an all-clear). Real subprocesses, as a script meets them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from kamtui.cli import main
from kamtui.domain.model import Account
from kamtui.domain.owners import owners
from kamtui.sample import generate
from kamtui.store import Store
from kamtui.store.documents import Documents
from tests.cli_run import TODAY_ARGS, assert_one_error, kamtui_run, sealed_env
from tests.ui_fixtures import build_portfolio

TODAY = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Globex (ben, quarterly), Initech (tester, no cadence, nothing due), ACME Corp (ana, monthly)."""
    path = tmp_path_factory.mktemp("owner") / "kamtui.json"
    build_portfolio(path)
    return path


def _due(tmp: Path, db: Path, *args: str) -> tuple[int, str, str]:
    run = kamtui_run(tmp, "due", "--db", db, *TODAY_ARGS, *args, env=sealed_env(tmp, KAMTUI_CONFIG="/dev/null"))
    return run.rc, run.out, run.err


@pytest.mark.parametrize("fmt", ["table", "plain", "json"])
@pytest.mark.parametrize(
    ("owner", "said"),
    [
        ("nosuch", "no account is owned by 'nosuch'"),
        ("", "no account is without an owner"),
        ("  ", "no account is without an owner"),
    ],
    ids=["typo", "empty", "blank"],
)
def test_an_owner_of_no_account_is_an_error_naming_the_owners(
    tmp_path: Path, db: Path, owner: str, said: str, fmt: str
) -> None:
    before = db.read_bytes()
    run = kamtui_run(
        tmp_path, "due", "--db", db, *TODAY_ARGS, "--owner", owner, "--format", fmt,
        env=sealed_env(tmp_path, KAMTUI_CONFIG="/dev/null"),
    )  # fmt: skip
    line = assert_one_error(run, 2)
    assert line == f"kamtui: {said}; owners: ana (1), ben (1), tester (1)"
    assert run.out == ""
    assert db.read_bytes() == before


@pytest.mark.parametrize(("owner", "nothing"), [("tester", True), (" TESTER ", True), ("ben", True), ("Ana", False)])
def test_an_owner_found_is_not_an_error_even_with_nothing_due(
    tmp_path: Path, db: Path, owner: str, nothing: bool
) -> None:
    """Initech (tester) has no cadence, Globex (ben) nothing due today: found all the same."""
    rc, out, err = _due(tmp_path, db, "--owner", owner)
    assert (rc, err) == (0, "")
    assert (out == "Nothing due. Enjoy the day.\n") is nothing, out


def test_the_empty_owner_finds_the_accounts_without_one(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    build_portfolio(path)
    store = Store(path, user="t")
    try:
        store.insert("accounts", Account(name="Orphan", tier="regular", owner="").to_doc())
    finally:
        store.close()
    rc, out, err = _due(tmp_path, path, "--owner", "")
    assert (rc, out, err) == (0, "Nothing due. Enjoy the day.\n", "")
    rc, out, err = _due(tmp_path, path, "--owner", "zoe")
    assert rc == 2 and out == ""
    assert err == "kamtui: no account is owned by 'zoe'; owners: ana (1), ben (1), tester (1), (no owner) (1)\n"


def test_a_file_without_accounts_says_so(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    Store(path, user="t").close()
    rc, out, err = _due(tmp_path, path, "--owner", "ana")
    assert (rc, out) == (2, "")
    assert err == "kamtui: no account is owned by 'ana': there are no accounts yet\n"
    assert _due(tmp_path, path) == (0, "Nothing due. Enjoy the day.\n", "")  # no --owner: nothing to doubt


def test_many_owners_are_counted_not_all_named(tmp_path: Path) -> None:
    path = tmp_path / "k.json"
    store = Store(path, user="t")
    try:
        for i in range(12):
            for _ in range(12 - i):
                store.insert("accounts", Account(name=f"A{i}", tier="regular", owner=f"kam{i:02d}").to_doc())
        store.insert("accounts", Account(name="Shouty", tier="regular", owner=" KAM00 ").to_doc())
    finally:
        store.close()
    rc, out, err = _due(tmp_path, path, "--owner", "kam99")
    assert (rc, out) == (2, "")
    named = ", ".join(f"kam{i:02d} ({12 - i + (i == 0)})" for i in range(8))
    assert err == f"kamtui: no account is owned by 'kam99'; owners: {named} and 4 more\n"


@pytest.mark.parametrize("order", [1, -1])
def test_an_owner_is_named_by_the_spelling_most_accounts_use_whatever_their_order(order: int) -> None:
    """A store need not hand accounts back in the order they were added (a compaction can hold
    the newest ahead): the name shown for an owner must not depend on it."""
    names = ["kam00"] * 3 + [" KAM00 ", "Kam00"] + ["BEN", "ben", "Ben"]
    found = owners(names[::order])
    assert [(o.key, o.label, o.accounts) for o in found] == [("kam00", "kam00", 5), ("ben", "Ben", 3)]


def test_an_owner_found_in_the_queue_parses_no_more_of_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The owner check costs nothing when the queue has an item: no account the quick view
    leaves unparsed (no cadence, not named by a due action or contact) is parsed for it."""
    path = tmp_path / "gen.json"
    generate(path, 300, seed=5, today=TODAY)
    store = Store(path, create=False, read_only=True)
    try:
        owner_of = {i: str(d.get("owner") or "") for i, d in store.all("accounts")}
    finally:
        store.close(compact=False)
    parsed: list[str] = []
    real = Documents._parse_lazy

    def spy(self: Documents, table: str, key: str) -> dict[str, Any] | None:
        if table == "accounts":
            parsed.append(key)
        return real(self, table, key)

    monkeypatch.setattr(Documents, "_parse_lazy", spy)
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")
    argv = ["due", "--db", str(path), "--today", TODAY.isoformat(), "--format", "json"]
    assert main(argv) == 0
    everyone = set(parsed)
    first = json.loads(capsys.readouterr().out)["items"][0]
    owner = owner_of[first["account_id"]]
    assert owner and len(everyone) < len(owner_of)  # the quick view left accounts unparsed
    parsed.clear()
    assert main([*argv, "--owner", f" {owner.upper()} "]) == 0
    assert json.loads(capsys.readouterr().out)["items"]
    assert set(parsed) <= everyone
