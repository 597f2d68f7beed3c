"""What changed since the last review: a pure function, its words, the guided review's line and
the reviews pane's list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from kamtui.domain.changes import changes_since, summary
from kamtui.domain.deals import Kpi, KpiReading, Opportunity, Stage
from kamtui.domain.model import Action, FriendlinessChange, Interaction, InteractionKind, Stakeholder
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.store.agenda import account_changes
from kamtui.store.portfolio import Portfolio
from kamtui.ui.change_texts import changes_line, changes_text
from tests.ui_fixtures import TODAY

REVIEW = TODAY - dt.timedelta(days=30)
D = dt.timedelta


def _rosa() -> Stakeholder:
    history = [
        FriendlinessChange(REVIEW - D(days=90), 2),
        FriendlinessChange(REVIEW - D(days=5), 1, "ana", "said before the review"),
        FriendlinessChange(REVIEW + D(days=10), -1, "ana", "price rise"),
    ]
    return Stakeholder(account_id=1, name="Rosa", friendliness=-1, friendliness_history=history, id=7)


def test_everything_after_the_review_day_and_nothing_before() -> None:
    actions = [
        Action(account_id=1, objective_id=1, text="Sent deck", done=True, done_at=REVIEW + D(days=3), done_by="ana"),
        Action(account_id=1, objective_id=1, text="Old done", done=True, done_at=REVIEW, done_by="ana"),
        Action(account_id=1, objective_id=1, text="Call CFO", due=REVIEW + D(days=5)),
        Action(account_id=1, objective_id=1, text="Late before", due=REVIEW - D(days=5)),
        Action(account_id=1, objective_id=1, text="Future", due=TODAY + D(days=5)),
    ]
    talks = [
        Interaction(account_id=1, date=REVIEW + D(days=1), kind=InteractionKind.CALL, stakeholders=[7], summary="ok"),
        Interaction(account_id=1, date=REVIEW, kind=InteractionKind.MEETING, summary="the review's own"),
    ]
    deals = [
        Opportunity(account_id=1, title="Renewal", value=1_200_000, stage=Stage.WON, close_date=REVIEW + D(days=2)),
        Opportunity(account_id=1, title="Upsell", value=50_000, stage=Stage.PROPOSE, close_date=REVIEW + D(days=4)),
        Opportunity(account_id=1, title="Later", value=5, stage=Stage.PROPOSE, close_date=TODAY + D(days=4)),
    ]
    kpi = Kpi(
        account_id=1, name="NPS", target=40, actual=31, history=[KpiReading(REVIEW + D(days=7), 31)], period="2026"
    )
    moved = changes_since(
        REVIEW, TODAY, stakeholders=[_rosa()], interactions=talks, actions=actions, opportunities=deals, kpis=[kpi]
    )
    texts = [(m.kind, m.text) for m in moved]
    assert texts == [
        ("attitude", "Rosa: friendly → unfriendly (price rise)"),
        ("interaction", "call with Rosa: ok"),
        ("done", "Sent deck (by ana)"),
        ("late", f"Call CFO (due {(REVIEW + D(days=5)).isoformat()})"),
        ("deal", f"slipped: Upsell was to close {(REVIEW + D(days=4)).isoformat()}"),
        ("deal", "won: Renewal 1.2M"),
        ("kpi", "NPS: 31 (target 40) off track"),
    ]
    assert (
        summary(moved)
        == "1 attitude change · 1 interaction · 1 action done · 1 newly late · 2 deals moved · 1 KPI reading"
    )
    assert changes_since(TODAY, TODAY, stakeholders=[_rosa()], actions=actions) == []


def test_the_texts_clean_what_is_stored_and_stay_in_width() -> None:
    evil = Stakeholder(
        account_id=1,
        name="\x1b[31mMallory[b]",
        friendliness=-2,
        id=3,
        friendliness_history=[
            FriendlinessChange(REVIEW - D(days=1), 0),
            FriendlinessChange(REVIEW + D(days=1), -2, reason="[red]x"),
        ],
    )
    moved = changes_since(REVIEW, TODAY, stakeholders=[evil])
    line = changes_line(REVIEW, moved, TODAY, 60)
    assert "\x1b" not in line.plain and "[b]" in line.plain and len(line.plain) <= 60
    full = changes_text(REVIEW, moved, TODAY, 200).plain
    assert full.startswith("Since the last review (") and "[red]x" in full
    assert changes_line(None, [], TODAY, 60).plain == ""
    assert "nothing changed" in changes_line(REVIEW, [], TODAY, 60).plain


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    return materialize_demo(tmp_path / "demo.json", TODAY)


def test_logging_an_interaction_shows_up_as_a_change_of_the_demo_account(demo: Path) -> None:
    store = Store(demo, user="tester")
    try:
        p = Portfolio(store, lambda: TODAY)
        account_id = next(i for i, d in store.all("accounts") if d["name"] == "Solano Retail Group")
        since, before = account_changes(p, account_id, TODAY)
        assert since is not None and any(m.kind == "attitude" for m in before)
        person = p.stakeholders(account_id)[0]
        assert person.id is not None
        p.log_interaction(
            Interaction(
                account_id=account_id,
                date=TODAY,
                kind=InteractionKind.CALL,
                stakeholders=[person.id],
                summary="checked in",
                by="tester",
            )
        )
        _, after = account_changes(p, account_id, TODAY)
        assert len(after) == len(before) + 1
        assert any(m.kind == "interaction" and m.text.endswith("checked in") for m in after)
    finally:
        store.close(compact=False)


def test_kamtui_due_changes_prints_each_due_account_in_text_and_json(demo: Path, tmp_path: Path) -> None:
    import json

    from tests.cli_run import kamtui_run

    plain = kamtui_run(tmp_path, "due", "--db", demo, "--today", TODAY.isoformat(), "--changes", "--format", "plain")
    assert plain.rc == 0 and plain.err == ""
    section = plain.out.split("What changed since the last review\n", 1)[1]
    assert "Solano Retail Group · since " in section and "attitude" in section
    as_json = kamtui_run(tmp_path, "due", "--db", demo, "--today", TODAY.isoformat(), "--changes", "--format", "json")
    doc = json.loads(as_json.out)
    due = [it["account_id"] for it in doc["items"] if it["kind"] == "review"]
    assert [b["account_id"] for b in doc["changes"]] == due  # every account due for review, in the queue's order
    solano = next(b for b in doc["changes"] if b["account"] == "Solano Retail Group")
    assert {c["kind"] for c in solano["changes"]} >= {"attitude", "interaction", "late"}
    without = kamtui_run(tmp_path, "due", "--db", demo, "--today", TODAY.isoformat(), "--format", "json")
    assert "changes" not in json.loads(without.out)  # the default document is unchanged
