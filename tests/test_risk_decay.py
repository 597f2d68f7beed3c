"""The relationship risks that weigh silence (issue 13, item 2): hostile blockers, silent economic
buyers, cooling and faded champions, silent key players; the "losing touch" queue group; the
[risk] table of the config; the red-risk pre-filter's promise; and the demo showing each rule."""

from __future__ import annotations

import dataclasses
import gc
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.cli import main
from kamtui.domain.contact import DEFAULT_RISK_RULES, RiskRules
from kamtui.domain.errors import ValidationError
from kamtui.domain.model import Account, DecisionRole, Level, Stakeholder
from kamtui.domain.queue import KIND_TITLES, Thresholds, build_queue, counts
from kamtui.domain.risk import Risk, may_have_red_risk, risk_items, stakeholder_risks
from kamtui.sample.demo import DEMO_ANCHOR, materialize_demo
from kamtui.store import Store
from kamtui.store.config import load_thresholds
from kamtui.store.errors import StoreError
from kamtui.store.portfolio import Portfolio
from kamtui.store.today import today_queue
from tests.stakeholders import TODAY, Role, ago, sh

NEW_RULES = ("blocker_hostile", "economic_buyer_silent", "champion_cooling", "champion_faded", "key_player_silent")


def healthy() -> list[Stakeholder]:
    return [
        sh(101, "Chloe", role=Role.CHAMPION, friendliness=2),
        sh(102, "Ed", role=Role.ECONOMIC_BUYER, influence=Level.HIGH, friendliness=1),
    ]


def only(risks: list[Risk], rule: str) -> list[Risk]:
    return [r for r in risks if r.rule == rule]


DEFAULTS = Thresholds()


def new(people: list[Stakeholder], th: Thresholds = DEFAULTS) -> list[tuple[str, int, str]]:
    return [(r.rule, r.severity, r.message) for r in stakeholder_risks(people, TODAY, th) if r.rule in NEW_RULES]


def test_a_healthy_map_raises_none_of_the_new_rules() -> None:
    assert new(healthy()) == []


# ---------------------------------------------------------------- hostile blocker


@pytest.mark.parametrize(
    ("friendliness", "contact", "expected"),
    [
        (-1, 44, (1, "blocker Ivo is unfriendly")),
        (-1, 45, (2, "blocker Ivo is unfriendly and no contact in 45 days")),
        (-2, 1, (2, "blocker Ivo is hostile")),
        (-2, 70, (2, "blocker Ivo is hostile and no contact in 70 days")),
        (-1, None, (2, "blocker Ivo is unfriendly and never contacted")),
    ],
)
def test_hostile_or_unfriendly_blocker(friendliness: int, contact: int | None, expected: tuple[int, str]) -> None:
    ivo = sh(7, "Ivo", role=Role.BLOCKER, friendliness=friendliness, contact=contact, every=30)
    assert new([*healthy(), ivo]) == [("blocker_hostile", *expected)]


def test_a_neutral_blocker_or_one_who_left_is_no_blocker_risk() -> None:
    people = [*healthy(), sh(7, role=Role.BLOCKER, every=30), sh(8, role=Role.BLOCKER, friendliness=-2, left=True)]
    assert only(stakeholder_risks(people, TODAY), "blocker_hostile") == []


def test_blocker_silence_days_is_configurable() -> None:
    th = Thresholds(risk=RiskRules(blocker_silence_days=10))
    ivo = sh(7, "Ivo", role=Role.BLOCKER, friendliness=-1, contact=10, every=30)
    assert new([*healthy(), ivo], th) == [("blocker_hostile", 2, "blocker Ivo is unfriendly and no contact in 10 days")]


# ---------------------------------------------------------------- economic buyer


@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        (None, [("economic_buyer_silent", 2, "economic buyer Eve never contacted")]),
        (44, []),
        (45, [("economic_buyer_silent", 2, "economic buyer Eve silent 45 days (limit 45)")]),
    ],
)
def test_economic_buyer_never_contacted_or_silent(contact: int | None, expected: list[Any]) -> None:
    eve = sh(7, "Eve", role=Role.ECONOMIC_BUYER, friendliness=1, contact=contact, every=90)
    assert new([healthy()[0], eve]) == expected


def test_a_hostile_silent_economic_buyer_is_warned_once() -> None:
    eve = sh(7, "Eve", role=Role.ECONOMIC_BUYER, friendliness=-2, contact=None)
    risks = stakeholder_risks([healthy()[0], eve], TODAY)
    about_eve = [r.rule for r in risks if r.stakeholder_id == 7]
    assert about_eve == ["key_player_hostile_silent"]


# ---------------------------------------------------------------- champion cooling


def test_a_champion_who_cooled_is_amber_with_the_reason() -> None:
    rosa = sh(7, "Rosa", role=Role.CHAMPION, friendliness=1, history=[(300, 2, "First"), (20, 1, "Courted")])
    assert new([*healthy(), rosa]) == [
        ("champion_cooling", 1, f"champion Rosa cooled from champion to friendly on {ago(20).isoformat()}: Courted")
    ]


@pytest.mark.parametrize(
    ("role", "now", "history", "expected"),
    [
        (Role.CHAMPION, 1, [(300, 2, ""), (181, 1, "")], None),  # older than the window: old news
        (Role.CHAMPION, 1, [(300, 2, ""), (180, 1, "")], 1),
        (Role.CHAMPION, 2, [(300, 2, ""), (60, 1, ""), (10, 2, "")], None),  # came back
        (Role.INFLUENCER, 0, [(300, 2, ""), (60, 0, "")], 1),  # a champion by attitude
        (Role.INFLUENCER, 0, [(300, 1, ""), (60, 0, "")], None),  # never a champion
        (Role.CHAMPION, 0, [(300, 1, ""), (60, 0, "")], 1),  # a champion by role
        (Role.INFLUENCER, -1, [(300, 2, ""), (60, -1, "")], 2),  # now against us: red
        (Role.CHAMPION, 1, [(60, 1, "")], None),  # one entry: nothing to compare it with
    ],
)
def test_champion_cooling_window_and_who_counts(
    role: DecisionRole, now: int, history: list[tuple[int, int, str]], expected: int | None
) -> None:
    p = sh(7, "Rosa", role=role, friendliness=now, history=history)
    risks = only(stakeholder_risks([*healthy(), p], TODAY), "champion_cooling")
    assert [r.severity for r in risks] == ([] if expected is None else [expected])


def test_cooling_window_is_configurable() -> None:
    th = Thresholds(risk=RiskRules(cooling_window_days=30))
    rosa = sh(7, "Rosa", role=Role.CHAMPION, friendliness=1, history=[(300, 2, ""), (31, 1, "")])
    assert only(stakeholder_risks([*healthy(), rosa], TODAY, th), "champion_cooling") == []


# ---------------------------------------------------------------- champion faded or gone


@pytest.mark.parametrize(("days", "faded"), [(80, False), (81, True), (None, True)])
def test_the_only_champion_fades_with_silence(days: int | None, faded: bool) -> None:
    people = [sh(1, "Luc", role=Role.COACH, friendliness=2, contact=days, every=365), healthy()[1]]
    risks = only(stakeholder_risks(people, TODAY), "champion_faded")
    assert len(risks) == int(faded)
    if faded:
        when = "never contacted" if days is None else f"no contact in {days} days"
        assert (risks[0].severity, risks[0].stakeholder_id) == (1, 1)
        assert (
            risks[0].message == f"no champion counts any more: Luc {when} (an attitude's weight halves every 40 days)"
        )
    assert "no_champion" not in [r.rule for r in stakeholder_risks(people, TODAY)]


def test_one_fresh_champion_is_enough_and_the_half_life_is_configurable() -> None:
    people = [sh(1, "Luc", friendliness=2, contact=100), *healthy()]
    assert only(stakeholder_risks(people, TODAY), "champion_faded") == []
    people = [sh(1, "Luc", friendliness=2, contact=100, every=365), healthy()[1]]
    assert only(stakeholder_risks(people, TODAY), "champion_faded")  # 2 x 0.5 ** (100 / 40) = 0.35
    assert not only(stakeholder_risks(people, TODAY, Thresholds(risk=RiskRules(half_life_days=50))), "champion_faded")
    assert only(stakeholder_risks(people, TODAY, Thresholds(risk=RiskRules(half_life_days=49))), "champion_faded")


def test_a_champion_who_left_is_gone_red() -> None:
    risks = stakeholder_risks([*healthy(), sh(9, "Lea", role=Role.CHAMPION, friendliness=2, left=True)], TODAY)
    [r] = [r for r in risks if r.stakeholder_id == 9]
    assert (r.rule, r.severity, r.message) == ("champion_left", 2, "champion Lea has left the company")


# ---------------------------------------------------------------- key player silent


@pytest.mark.parametrize(
    ("who", "days", "expected"),
    [
        ({"role": Role.TECHNICAL_BUYER}, 45, None),
        (
            {"role": Role.TECHNICAL_BUYER},
            46,
            "Kim (technical buyer) silent 46 days, past the default cadence of 45d",
        ),
        ({"influence": Level.HIGH}, 31, "Kim (user) silent 31 days, past the default cadence of 30d (high influence)"),
        (
            {"role": Role.DECISION_MAKER},
            None,
            "Kim (decision maker) never contacted, past the default cadence of 30d",
        ),
        ({"influence": Level.MEDIUM}, 300, None),  # not a key player: the losing-touch group lists them
    ],
)
def test_key_player_silent_past_the_default_cadence(
    who: dict[str, Any], days: int | None, expected: str | None
) -> None:
    kim = sh(7, "Kim", friendliness=1, contact=days, **who)
    assert new([*healthy(), kim]) == ([] if expected is None else [("key_player_silent", 1, expected)])


def test_one_silence_warning_per_person() -> None:
    own = sh(7, "Kim", role=Role.DECISION_MAKER, friendliness=1, contact=90, every=30)  # key_player_quiet
    champ = sh(8, "Cy", role=Role.CHAMPION, friendliness=2, contact=61)  # champion_quiet
    risks = stakeholder_risks([*healthy(), own, champ], TODAY)
    assert [r.rule for r in risks if r.stakeholder_id == 7] == ["key_player_quiet"]
    assert [r.rule for r in risks if r.stakeholder_id == 8] == ["champion_quiet"]


def test_the_default_cadences_are_configurable_for_the_rule() -> None:
    th = Thresholds(risk=dataclasses.replace(DEFAULT_RISK_RULES, cadence_high=60))
    kim = sh(7, "Kim", influence=Level.HIGH, friendliness=1, contact=59)
    assert new([*healthy(), kim], th) == []


# ---------------------------------------------------------------- losing touch


def person(sid: int, name: str, **kw: Any) -> tuple[int, dict[str, Any]]:
    return sid, {"account_id": 1, "name": name, **kw}


def test_people_without_a_cadence_are_due_by_the_default_one_losing_touch() -> None:
    accounts = [(1, {"name": "Acme", "owner": "ana", "cadence": "quarterly", "last_review": TODAY.isoformat()})]
    people = [
        person(20, "Eve", role="economic_buyer", last_contact=ago(31).isoformat()),
        person(21, "Uma", influence="low", last_contact=ago(90).isoformat()),  # exactly due: amber
        person(22, "Ned", influence="low", last_contact=ago(89).isoformat()),  # not yet
        person(23, "Tia", role="technical_buyer", influence="high"),  # never contacted: amber
        person(24, "Old", last_contact=ago(91).isoformat(), contact_every_days=None),  # 60 x 1.5 = 90: red
        person(25, "Own", contact_every_days=30, last_contact=ago(31).isoformat()),
        person(26, "Gone", last_contact=ago(400).isoformat(), left=True),
    ]
    items = build_queue(accounts, [], people, TODAY)
    got = [(it.kind, it.title, it.detail, it.severity, it.days_late, it.target_id) for it in items]
    assert got == [
        ("contact", "Own", "last contact 31d ago, every 30d", 1, 1, 25),
        ("losing_touch", "Old", "last contact 91d ago, default every 60d (medium influence)", 2, 31, 24),
        ("losing_touch", "Eve", "last contact 31d ago, default every 30d (economic buyer)", 1, 1, 20),
        ("losing_touch", "Tia", "never contacted, default every 30d (high influence)", 1, 0, 23),
        ("losing_touch", "Uma", "last contact 90d ago, default every 90d (low influence)", 1, 0, 21),
    ]
    # An account not under review (no review cadence) keeps its people off the list: the
    # ones with a cadence of their own are still due.
    unreviewed = [(1, {"name": "Acme", "owner": "ana", "cadence": ""})]
    assert [(it.kind, it.title) for it in build_queue(unreviewed, [], people, TODAY)] == [("contact", "Own")]
    assert KIND_TITLES["losing_touch"] == "Losing touch" and counts(items)["losing_touch"] == 4
    only_contacts = build_queue(accounts, [], people, TODAY, kinds=frozenset({"contact"}))
    assert [it.title for it in only_contacts] == ["Own"]
    soon = build_queue(accounts, [], people, TODAY, days=1, kinds=frozenset({"losing_touch"}))
    assert "Ned" in [it.title for it in soon]


def test_cli_due_lists_the_losing_touch_group(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.ui_fixtures import TODAY as UI_TODAY
    from tests.ui_fixtures import build_portfolio

    db = tmp_path / "k.json"
    build_portfolio(db)
    try:
        assert main(["due", "--db", str(db), "--today", UI_TODAY.isoformat(), "--format", "table"]) == 0
    finally:
        gc.enable()  # `due` switches the cyclic collector off for its short life: not for the tests after it
    out = capsys.readouterr().out
    assert "Losing touch (" in out
    assert "losing touch" in out.splitlines()[0]  # the summary counts it
    line = next(ln for ln in out.splitlines() if "Uma User" in ln)
    assert "never contacted, default every" in line


# ---------------------------------------------------------------- the config's [risk] table


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_risk_table_overrides_and_keeps_the_rest(tmp_path: Path) -> None:
    th = load_thresholds(
        write(
            tmp_path,
            "[thresholds]\nchampion_silence_days = 30\n[risk]\nhalf_life_days = 60\nsupporter_min = 0.75\n"
            'coverage_roles = ["champion", "coach"]\ncadence_low = 120\ncadence_blocker = 20.0\n',
        )
    )
    assert th.champion_silence_days == 30
    r = th.risk
    assert (r.half_life_days, r.supporter_min, r.cadence_low) == (60.0, 0.75, 120)
    assert r.coverage_roles == (Role.CHAMPION, Role.COACH)
    assert dict(r.role_cadence)[Role.BLOCKER] == 20 and dict(r.role_cadence)[Role.ECONOMIC_BUYER] == 30
    assert r.blocker_silence_days == DEFAULT_RISK_RULES.blocker_silence_days
    assert load_thresholds(write(tmp_path, "[thresholds]\n")).risk == DEFAULT_RISK_RULES


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("half_lif_days = 40", "unknown [risk] setting 'half_lif_days'; known: blocker_silence_days"),
        ("half_life_days = 0", "[risk] half_life_days must be a positive number, not 0"),
        ("half_life_days = inf", "[risk] half_life_days must be a positive number, not inf"),
        ('cadence_high = "30"', "[risk] cadence_high must be a positive number, not '30'"),
        ("cadence_high = 30.5", "[risk] cadence_high must be a whole number of days, not 30.5"),
        ("cadence_boss = 30", "unknown [risk] setting 'cadence_boss'"),
        ("cadence_champion = -3", "[risk] cadence_champion must be a positive number, not -3"),
        ("cold_weight = 1.5", "[risk] cold_weight must be a weight from 0 to 1, not 1.5"),
        ("coverage_roles = []", "[risk] coverage_roles must be a list of roles such as"),
        ('coverage_roles = "champion"', "[risk] coverage_roles must be a list of roles such as"),
        (
            'coverage_roles = ["champion", "boss"]',
            "[risk] coverage_roles: 'boss' is not a buying role; known: economic_buyer",
        ),
        ('coverage_roles = ["coach", "coach"]', "[risk] coverage_roles names a role twice"),
    ],
)
def test_a_bad_risk_setting_is_one_line_naming_the_file(tmp_path: Path, text: str, says: str) -> None:
    path = write(tmp_path, f"[risk]\n{text}\n")
    with pytest.raises(StoreError) as info:
        load_thresholds(path)
    message = str(info.value)
    assert "\n" not in message and message.startswith(f"{path}: ")
    assert says in message


def test_risk_not_a_table_and_risk_is_not_a_threshold(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"\[risk\] must be a table"):
        load_thresholds(write(tmp_path, "risk = 3\n"))
    with pytest.raises(StoreError, match="unknown threshold 'risk'"):
        load_thresholds(write(tmp_path, "[thresholds]\nrisk = 3\n"))


# ---------------------------------------------------------------- the pre-filter's promise

_stakeholder = st.fixed_dictionaries(
    {"account_id": st.just(1), "name": st.just("S")},
    optional={
        "role": st.sampled_from(
            ["economic_buyer", "blocker", "champion", "influencer", " Blocker", "Economic Buyer", 3]
        ),
        "influence": st.sampled_from(["high", "medium", "low"]),
        "friendliness": st.sampled_from([-2, -1, 0, 1, 2, "hostile", None]),
        "left": st.sampled_from([False, True]),
        "last_contact": st.sampled_from([None, "", "2026-06-14", "2026-05-01", "2026-05-02", "2025-01-01", "bad"]),
        "contact_every_days": st.sampled_from([None, 30]),
        "friendliness_history": st.sampled_from(
            [
                [],
                [{"date": "2026-01-01", "value": 2}, {"date": "2026-06-01", "value": -1}],
                [{"date": "2026-01-01", "value": 1}, {"date": "2026-06-01", "value": -2, "reason": "x"}],
            ]
        ),
    },
)


@settings(max_examples=600, deadline=None)
@given(stakeholders=st.lists(_stakeholder, max_size=3), eb_days=st.sampled_from([45, 44, 10]))
def test_prefilter_never_clears_an_account_with_a_new_red_risk(
    stakeholders: list[dict[str, Any]], eb_days: int
) -> None:
    thresholds = Thresholds(risk=RiskRules(economic_buyer_silence_days=eb_days))
    try:
        people = [Stakeholder.from_doc(d, i) for i, d in enumerate(stakeholders, 1)]
    except (ValidationError, TypeError):
        return
    red = [r for r in risk_items(1, Account(name="A"), people, [], TODAY, thresholds) if r.severity >= 2]
    if red:
        assert may_have_red_risk({"name": "A"}, stakeholders, TODAY, thresholds), red


@pytest.mark.parametrize(
    "stakeholder",
    [
        {"role": "blocker", "friendliness": -2, "last_contact": "2026-06-14"},
        {"role": "economic_buyer", "friendliness": 1},
        {"role": "economic_buyer", "friendliness": 1, "last_contact": "2026-05-01"},
        {
            "friendliness": -1,
            "friendliness_history": [{"date": "2026-01-01", "value": 2}, {"date": "2026-06-01", "value": -1}],
        },
    ],
)
def test_prefilter_keeps_each_new_red_rule(stakeholder: dict[str, Any]) -> None:
    doc = {"account_id": 1, "name": "S", **stakeholder}
    people = [Stakeholder.from_doc(doc, 1)]
    assert any(r.severity >= 2 for r in risk_items(1, Account(name="A"), people, [], TODAY))
    assert may_have_red_risk({"name": "A"}, [doc], TODAY)


# ---------------------------------------------------------------- the demo


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return materialize_demo(tmp_path_factory.mktemp("demo") / "demo.json", DEMO_ANCHOR)


def test_the_demo_shows_each_new_risk_and_a_losing_touch_group(demo: Path) -> None:
    store = Store(demo, create=False)
    try:
        p = Portfolio(store, lambda: DEMO_ANCHOR)
        seen: dict[str, set[str]] = {}
        for aid, doc in store.all("accounts"):
            for r in stakeholder_risks(p.stakeholders(aid), DEMO_ANCHOR):
                seen.setdefault(r.rule, set()).add(doc["name"])
        for rule in (*NEW_RULES, "champion_left"):
            assert seen.get(rule), rule
        assert "Vireo Pharmaceuticals" in seen["champion_faded"]
        assert "Solano Retail Group" in seen["champion_cooling"]
        assert "Brightwater Utilities" in seen["economic_buyer_silent"]
        assert "Meridian Health Partners" in seen["blocker_hostile"]
        queue = today_queue(p, DEMO_ANCHOR)
        touch = [it for it in queue if it.kind == "losing_touch"]
        assert touch and all("default every" in it.detail for it in touch)
        # Nobody current is silently never due: every one without a cadence, due, is listed.
        listed = {it.target_id for it in touch}
        for sid, d in store.all("stakeholders"):
            if not d.get("left") and d.get("contact_every_days") is None and not d.get("last_contact"):
                assert sid in listed, d["name"]
        red = {it.title for it in queue if it.kind == "risk"}
        assert any(t.startswith("blocker ") for t in red) and any(t.startswith("economic buyer ") for t in red)
    finally:
        store.close(compact=False)


async def test_today_lists_losing_touch_and_opens_the_person(tmp_path: Path) -> None:
    from kamtui.ui.app import KamApp
    from kamtui.ui.panes.stakeholders import StakeholderPane
    from kamtui.ui.today import TodayScreen
    from tests.test_ui import screen_text, settle
    from tests.ui_fixtures import TODAY as UI_TODAY
    from tests.ui_fixtures import build_portfolio

    db = tmp_path / "k.json"
    ids = build_portfolio(db)
    store = Store(db, user="tester")
    try:
        app = KamApp(store, today=UI_TODAY)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, TodayScreen)
            [uma] = [it for it in screen.items if it.kind == "losing_touch"]
            assert (uma.title, uma.detail) == ("Uma User", "never contacted, default every 90d (low influence)")
            text = screen_text(app)
            assert "Losing touch (1)" in text and "1 losing touch" in text
            await pilot.press("G")  # the last item: losing touch is the last group
            await pilot.press("enter")
            await settle(app, pilot)
            pane = app.query_one(StakeholderPane)
            person = pane.current()
            assert person is not None and person.name == "Uma User" and person.account_id == ids["acme"]
    finally:
        store.close(compact=False)
