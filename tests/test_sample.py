"""The sample generator and the curated demo portfolio."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from kamtui.domain.cadence import next_review
from kamtui.domain.model import ENTITIES, DecisionRole, Horizon, Stakeholder
from kamtui.domain.queue import build_queue, counts
from kamtui.sample.demo import DEMO_ANCHOR, DEMO_TABLE, demo_file, materialize_demo, repo_demo_path
from kamtui.sample.demo_build import build_demo
from kamtui.sample.generator import generate
from kamtui.store import Store

TODAY = dt.date(2026, 3, 10)
STAMPS = ("updated_at", "updated_by")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _strip(data: dict[str, Any]) -> dict[str, Any]:
    """Without the time stamps, and without the snapshot's checksum (it covers them)."""
    return {
        table: {key: {f: v for f, v in doc.items() if f not in STAMPS and f != "crc32"} for key, doc in docs.items()}
        for table, docs in data.items()
    }


def _docs(data: dict[str, Any], table: str) -> list[tuple[int, dict[str, Any]]]:
    return [(int(k), d) for k, d in data[table].items()]


@pytest.fixture(scope="module")
def thousand(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("gen") / "k.json"
    generate(path, 1000, 7, TODAY)
    return _load(path)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[dt.date, dict[str, Any]]:
    today = DEMO_ANCHOR + dt.timedelta(days=100)
    path = materialize_demo(tmp_path_factory.mktemp("demo") / "demo.json", today)
    return today, _load(path)


# ------------------------------------------------------------------ generator


def test_generator_is_deterministic(tmp_path: Path, thousand: dict[str, Any]) -> None:
    again = tmp_path / "again.json"
    generate(again, 1000, 7, TODAY)
    assert _strip(_load(again)) == _strip(thousand)
    other = tmp_path / "other.json"
    generate(other, 1000, 8, TODAY)
    assert _strip(_load(other)) != _strip(thousand)


def test_generator_leaves_a_plain_private_store_file(tmp_path: Path) -> None:
    path = tmp_path / "small.json"
    generate(path, 20, 1, TODAY)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["small.json"]
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    with Store(path) as store:
        assert store.count("accounts") == 20


def test_generator_mix_is_realistic(thousand: dict[str, Any]) -> None:
    accounts = thousand["accounts"]
    assert len(accounts) == 1000
    tiers = Counter(d["tier"] for d in accounts.values())
    assert 15 <= tiers["key"] <= 50
    assert 45 <= tiers["candidate"] <= 100
    assert tiers["regular"] >= 850
    assert {d["cadence"] for d in accounts.values() if d["tier"] == "regular"} == {""}
    assert {d["cadence"] for d in accounts.values() if d["tier"] == "candidate"} == {"quarterly"}
    assert any(d["cadence"].startswith("FREQ=") for d in accounts.values() if d["tier"] == "key")
    owners = Counter(d["owner"] for d in accounts.values())
    assert {"ana", "ben", "chloe", "dev"} <= set(owners)
    assert len({d["industry"] for d in accounts.values()}) >= 10
    # A Pareto-like revenue curve: the top 20% of accounts carry most of the revenue.
    revenue = sorted((d["revenue"] for d in accounts.values()), reverse=True)
    assert sum(revenue[:200]) > 0.6 * sum(revenue)

    by_account: dict[str, Counter[int]] = {
        t: Counter(d["account_id"] for d in thousand[t].values()) for t in ENTITIES if t != "accounts"
    }
    for key, doc in accounts.items():
        aid = int(key)
        people = by_account["stakeholders"][aid]
        if doc["tier"] == "key":
            assert 3 <= people <= 8
            assert 4 <= by_account["reviews"][aid] <= 10
            assert doc["business"]["swot"]["strengths"] and doc["team"] and doc["criteria"]
        elif doc["tier"] == "candidate":
            assert 2 <= people <= 4
        else:
            assert 1 <= people <= 3
    key_ids = {int(k) for k, d in accounts.items() if d["tier"] == "key"}
    horizons = Counter(d["horizon"] for d in thousand["objectives"].values() if d["account_id"] in key_ids)
    assert set(horizons) == {"short", "medium", "long"}
    actions = thousand["actions"].values()
    assert any(a["done"] for a in actions)
    assert any(not a["done"] and a["due"] < TODAY.isoformat() for a in actions)
    stages = Counter(d["stage"] for d in thousand["opportunities"].values())
    assert stages["won"] and stages["lost"] and stages["open"]
    regular_won = {d["account_id"] for d in thousand["opportunities"].values() if d["stage"] == "won"} - key_ids
    assert len(regular_won) > 500  # enough buying history for RFM


def test_every_generated_doc_validates(thousand: dict[str, Any]) -> None:
    for table, cls in ENTITIES.items():
        for key, doc in thousand[table].items():
            entity = cls.from_doc({k: v for k, v in doc.items() if k not in ("rev", *STAMPS)}, int(key))
            assert entity.to_doc() == {k: v for k, v in doc.items() if k not in ("rev", *STAMPS)}


def test_generated_references_are_consistent(thousand: dict[str, Any]) -> None:
    accounts = set(thousand["accounts"])
    for table in ENTITIES:
        if table != "accounts":
            assert all(str(d["account_id"]) in accounts for d in thousand[table].values())
    stakeholders = thousand["stakeholders"]
    last_seen: dict[int, str] = {}
    for it in thousand["interactions"].values():
        for sid in it["stakeholders"]:
            assert stakeholders[str(sid)]["account_id"] == it["account_id"]
            last_seen[sid] = max(last_seen.get(sid, ""), it["date"])
    for sid, day in last_seen.items():
        assert stakeholders[str(sid)]["last_contact"] == day
    for a in thousand["actions"].values():
        assert thousand["objectives"][str(a["objective_id"])]["account_id"] == a["account_id"]
    newest: dict[int, str] = {}
    for r in thousand["reviews"].values():
        newest[r["account_id"]] = max(newest.get(r["account_id"], ""), r["date"])
    for key, doc in thousand["accounts"].items():
        assert doc["last_review"] == newest.get(int(key))


# ---------------------------------------------------------------------- CLI


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kamtui.sample", *args], capture_output=True, text=True, check=False)


def test_cli_refuses_an_existing_file(tmp_path: Path) -> None:
    out = tmp_path / "exists.json"
    out.write_text("keep me")
    result = _cli("--accounts", "5", "--seed", "1", "--out", str(out))
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert "exists" in result.stderr and "Traceback" not in result.stderr
    assert out.read_text() == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["exists.json"]


@pytest.mark.parametrize(
    "args",
    [("--accounts", "-1"), ("--accounts", "many"), ("--today", "2026-02-30"), ("--bogus",), ()],
)
def test_cli_bad_arguments_exit_1(tmp_path: Path, args: tuple[str, ...]) -> None:
    extra = ("--out", str(tmp_path / "x.json")) if args else ()
    result = _cli(*args, *extra)
    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.json").exists()


def test_cli_writes_a_portfolio(tmp_path: Path) -> None:
    out = tmp_path / "p.json"
    result = _cli("--accounts", "30", "--seed", "3", "--out", str(out), "--today", "2026-01-15")
    assert result.returncode == 0, result.stderr
    assert len(_load(out)["accounts"]) == 30


# --------------------------------------------------------------------- demo


def test_committed_demo_matches_build_demo(tmp_path: Path) -> None:
    committed = repo_demo_path()
    assert committed.is_file(), "run: python -m kamtui.sample --demo-source"
    assert demo_file() == committed
    fresh = tmp_path / "demo.json"
    build_demo(fresh, DEMO_ANCHOR)
    assert _strip(_load(committed)) == _strip(_load(fresh)), (
        "demo.json drifted; run python -m kamtui.sample --demo-source"
    )
    assert _load(committed)[DEMO_TABLE] == {"1": {"anchor": DEMO_ANCHOR.isoformat()}}
    assert sorted(p.name for p in committed.parent.iterdir() if p.name.startswith("demo.json")) == ["demo.json"]


def test_demo_docs_validate() -> None:
    data = _load(demo_file())
    for table, cls in ENTITIES.items():
        for key, doc in data[table].items():
            cls.from_doc({k: v for k, v in doc.items() if k not in ("rev", *STAMPS)}, int(key))
    tiers = Counter(d["tier"] for d in data["accounts"].values())
    assert len(data["accounts"]) >= 25
    assert tiers["key"] >= 8 and tiers["candidate"] >= 5 and tiers["regular"] >= 8
    assert len({d["industry"] for d in data["accounts"].values()}) >= 10


def _all_dates(data: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    out = []
    for table, cls in ENTITIES.items():
        for key, doc in data[table].items():
            for name in cls.DATE_FIELDS:
                if doc.get(name):
                    out.append((table, key, name, doc[name]))
            for i, change in enumerate(doc.get("friendliness_history", ())):
                out.append((table, key, f"friendliness_history[{i}]", change["date"]))
    return out


def test_materialize_shifts_every_date(demo: tuple[dt.date, dict[str, Any]], tmp_path: Path) -> None:
    today, shifted = demo
    original = _all_dates(_load(demo_file()))
    moved = dict(((t, k, n), v) for t, k, n, v in _all_dates(shifted))
    assert len(original) == len(moved) > 300
    for table, key, name, value in original:
        assert dt.date.fromisoformat(moved[(table, key, name)]) == dt.date.fromisoformat(value) + dt.timedelta(100)
    assert shifted[DEMO_TABLE]["1"]["anchor"] == today.isoformat()
    # Everything else is unchanged.
    base = _load(demo_file())
    for table in ("accounts", "stakeholders", "objectives"):
        for key, doc in base[table].items():
            assert (
                shifted[table][key]["name" if "name" in doc else "title"] == doc["name" if "name" in doc else "title"]
            )


def test_materialized_demo_is_a_private_store_file(tmp_path: Path) -> None:
    dest = tmp_path / "sub" / "demo.json"
    dest.parent.mkdir()
    dest.with_name("demo.json.journal").write_text('{"seq": 99, "ops": []}\n')
    materialize_demo(dest, DEMO_ANCHOR + dt.timedelta(days=3), me="zoe")
    assert stat.S_IMODE(os.stat(dest).st_mode) == 0o600
    assert not dest.with_name("demo.json.journal").exists()
    with Store(dest, user="zoe") as store:
        owners = {d["owner"] for _, d in store.all("accounts")}
        assert "zoe" in owners and "ana" not in owners
        store.insert("reviews", {"account_id": 1, "date": "2026-01-18"})


def test_demo_covers_the_relationship_map(demo: tuple[dt.date, dict[str, Any]]) -> None:
    today, data = demo
    key_ids = {int(k) for k, d in data["accounts"].items() if d["tier"] == "key"}
    people = [Stakeholder.from_doc({k: v for k, v in d.items() if k not in ("rev", *STAMPS)}, int(i))
              for i, d in data["stakeholders"].items()]  # fmt: skip
    key_people = [p for p in people if p.account_id in key_ids]
    assert {p.role for p in key_people} == set(DecisionRole)
    assert {p.friendliness for p in key_people} == {-2, -1, 0, 1, 2}
    per_account = Counter(p.account_id for p in key_people)
    assert all(3 <= per_account[a] <= 8 for a in key_ids)
    assert any(
        p.role is DecisionRole.DECISION_MAKER and p.influence.value == "high" and p.friendliness == -2 for p in people
    )
    assert any(p.role is DecisionRole.CHAMPION and p.left for p in people)
    assert any(
        p.contact_every_days and p.last_contact and (today - p.last_contact).days > p.contact_every_days
        for p in people
        if not p.left
    )
    for p in people:  # the history ends on the current attitude
        if p.friendliness_history:
            assert p.friendliness_history[-1].value == p.friendliness
    # A single-threaded key account: only one stakeholder has ever been contacted.
    contacted = Counter(p.account_id for p in key_people if p.last_contact is not None)
    assert any(contacted[a] == 1 for a in key_ids)


def test_demo_plans_reviews_and_queue(demo: tuple[dt.date, dict[str, Any]]) -> None:
    today, data = demo
    key_ids = {int(k) for k, d in data["accounts"].items() if d["tier"] == "key"}
    horizons = {d["horizon"] for d in data["objectives"].values()}
    assert horizons == {h.value for h in Horizon}
    actions = list(data["actions"].values())
    assert any(a["done"] for a in actions)
    assert any(not a["done"] and dt.date.fromisoformat(a["due"]) < today for a in actions)

    queue = build_queue(_docs(data, "accounts"), _docs(data, "actions"), _docs(data, "stakeholders"), today)
    c = counts(queue)
    assert c["review"] and c["action"] and c["contact"]
    dues = [
        next_review(d["cadence"], dt.date.fromisoformat(d["last_review"]), today)
        for d in data["accounts"].values()
        if d["cadence"] and d["last_review"]
    ]
    assert any(due is not None and due < today for due in dues)  # overdue, not only due today

    trends = []
    for aid in key_ids:
        reviews = sorted((d for d in data["reviews"].values() if d["account_id"] == aid), key=lambda d: d["date"])
        assert 6 <= len(reviews) <= 10
        assert data["accounts"][str(aid)]["last_review"] == reviews[-1]["date"]
        trends.append(reviews[-1]["health"] - reviews[0]["health"])
    assert any(t > 0 for t in trends) and any(t < 0 for t in trends)
    stages = {d["stage"] for d in data["opportunities"].values()}
    assert {"won", "lost", "prospect", "qualify", "propose", "negotiate", "commit"} <= stages
    assert len(data["interactions"]) > 50
