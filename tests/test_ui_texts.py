"""The panes' text builders, tested without an App: entities in, styled text out.

Stored text is data: cleaned of control characters and appended as text, never markup."""

from __future__ import annotations

import json
import subprocess
import sys

from rich.text import Text

from kamtui.domain.health import Health
from kamtui.domain.model import Account, Action, Objective, Review, Stakeholder
from kamtui.domain.queue import QueueItem
from kamtui.domain.timeline import Event
from kamtui.ui import texts
from kamtui.ui.activity import timeline_text
from kamtui.ui.today_texts import queue_line
from tests.ui_fixtures import TODAY, d

HOSTILE = "[bold]Evil\x1b[31m Corp[/]"


def styles_of(text: Text, part: str) -> set[str]:
    """The styles of the spans covering ``part`` of ``text``."""
    start = text.plain.index(part)
    end = start + len(part)
    return {str(s.style) for s in text.spans if s.start <= start and s.end >= end}


def acme(**changes: object) -> Account:
    values: dict[str, object] = {
        "name": "ACME Corp",
        "tier": "key",
        "industry": "Manufacturing",
        "owner": "ana",
        "sponsor": "Vera COO",
        "revenue": 1_200_000,
        "cadence": "monthly",
        "last_review": d(-40),
    }
    values.update(changes)
    return Account(id=1, **values)  # type: ignore[arg-type]


def person(name: str, friendliness: int, influence: str = "medium", **more: object) -> Stakeholder:
    values: dict[str, object] = {"role": "influencer", **more}
    return Stakeholder(account_id=1, name=name, influence=influence, friendliness=friendliness, **values)  # type: ignore[arg-type]


def review(days: int, score: int, notes: str = "") -> Review:
    return Review(
        account_id=1,
        date=d(days),
        reviewer="ana",
        engagement=score,
        loyalty=score,
        satisfaction=3,
        health=3,
        notes=notes,
    )


def test_the_builders_load_without_textual() -> None:
    probe = "import kamtui.ui.texts, sys, json; print(json.dumps(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert not any(m == "textual" or m.startswith("textual.") for m in json.loads(out.stdout))


def test_header_names_the_account_and_how_it_is_doing() -> None:
    h = Health(72, {}, (60, 72))
    text = texts.header_text(acme(), h, [person("Dana", -2, "high", role="decision_maker")], TODAY)
    first, second = text.plain.split("\n")
    assert first == "ACME Corp · KEY · owner ana · sponsor Vera COO · 1.2M"
    assert second.startswith("health 72 ▲") and "review 9d late" in second and "map RED" in second
    assert "bold red" in styles_of(text, "9d late")
    assert "bold green" in styles_of(text, "72 ▲")
    no_cadence = texts.header_text(acme(cadence=""), Health(None, {}, ()), [], TODAY).plain
    assert "health -" in no_cadence and "no review cadence" in no_cadence and "map" not in no_cadence


def test_stored_text_is_cleaned_and_never_markup() -> None:
    text = texts.header_text(acme(name=HOSTILE, owner="[/]"), Health(None, {}, ()), [], TODAY)
    assert text.plain.startswith("[bold]Evil^[[31m Corp[/] · KEY · owner [/]")
    line = texts.action_line(Action(account_id=1, objective_id=1, text=HOSTILE, owner="x\x07"), TODAY)
    assert "[bold]Evil^[[31m Corp[/]" in line.plain and "\x1b" not in line.plain and "\x07" not in line.plain


def test_action_line_says_when_and_who() -> None:
    late = texts.action_line(
        Action(account_id=1, objective_id=1, text="Send the ROI case", owner="ana", due=d(-3)), TODAY
    )
    assert late.plain == "  [ ] 3d late  Send the ROI case  ana"
    assert "bold red" in styles_of(late, "3d late") and "bold" in styles_of(late, "Send the ROI case")
    done = Action(account_id=1, objective_id=1, text="Call", done=True, done_at=d(-1), done_by="ben", due=d(-3))
    line = texts.action_line(done, TODAY)
    assert line.plain == f"  [x] Call  done {d(-1).isoformat()} by ben"
    assert "dim strike" in styles_of(line, "Call")
    undated = texts.action_line(Action(account_id=1, objective_id=1, text="Someday"), TODAY)
    assert undated.plain == "  [ ] -        Someday"


def test_objective_line_counts_its_actions_and_flags_risk() -> None:
    o = Objective(account_id=1, title="Win the renewal", horizon="short", owner="ana", due=d(30), status="at_risk")
    line = texts.objective_line(o, 1, 2)
    assert line.plain == f"◆ Win the renewal  1/2 · ana · due {d(30).isoformat()} · at risk"
    assert "red" in styles_of(line, "1/2 · ana")
    assert texts.plan_summary(1, 2, 1) == "1/2 done · 1 overdue" and texts.plan_summary(0, 0, 0) == "0/0 done"


def test_cadence_text_in_words_with_next_review_and_risks() -> None:
    reviews = [review(-100, 4), review(-70, 3), review(-40, 2, "budget freeze")]
    text = texts.cadence_text(acme(), reviews, TODAY)
    plain = text.plain
    assert plain.startswith("Cadence every month\nLast    2026-10-14 (40d)\nNext    2026-11-14  9d late")
    assert "engagement down in two reviews" in plain
    assert plain.endswith("Note    budget freeze")
    assert "bold red" in styles_of(text, "9d late")
    rrule = texts.cadence_text(acme(cadence="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"), [], TODAY).plain
    assert "\n        FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" in rrule and rrule.endswith(
        "No reviews yet: press r to record one."
    )
    none = texts.cadence_text(acme(cadence="", last_review=None), [], TODAY).plain
    assert "Last    never" in none and "Next    -" in none


def test_review_history_trends_and_last_scores() -> None:
    assert texts.review_history([]).plain == ""
    history = texts.review_history([review(-100, 4), review(-70, 3), review(-40, 2)]).plain.split("\n")
    assert history[0].startswith("engagement") and history[0].endswith(" 2 ▼")
    assert history[2].startswith("satisfaction") and history[2].endswith(" 3 ▶")
    assert history[4].strip() == "eng loy sat hlth"
    assert history[5] == f"{d(-40).isoformat():<13}  2   2   3   3 "
    assert texts.reviews_count(1) == "1 review" and texts.reviews_count(3) == "3 reviews"


def test_influence_matrix_marks_the_hostile_powerful_corner() -> None:
    people = [
        person("Dana Decider", -2, "high"),
        person("Carl Champion", 2),
        person("Gone Away", -2, "high", left=True),
    ]
    matrix = texts.influence_matrix(people)
    rows = matrix.plain.split("\n")
    assert rows[0].startswith("infl.  ") and len(rows) == 4
    assert "Dana" in rows[1] and "Gone" not in matrix.plain  # people who left are not on the map
    assert "bold white on red" in styles_of(matrix, "Dana")
    assert "green" in styles_of(matrix, "Carl")
    assert "Dana+1" in texts.influence_matrix([*people, person("Dora Doubter", -2, "high")]).plain


def test_relationship_warnings_in_words() -> None:
    assert texts.relationship_warnings([], TODAY).plain.startswith("No stakeholders yet")
    covered = [person(n, 2, last_contact=TODAY, coverage="regular") for n in ("Carl", "Cora")]
    assert texts.relationship_warnings(covered, TODAY).plain == "✓ no relationship warnings"
    hostile = texts.relationship_warnings([person("Dana Decider", -2, "high", role="decision_maker")], TODAY)
    assert "▲ decision maker Dana Decider is hostile" in hostile.plain


def test_stakeholder_table_narrows_its_columns_and_words() -> None:
    assert texts.stakeholder_columns(100)[-1] == "Ours" and "Att" in texts.stakeholder_columns(60)
    s = person("Quincy Longname-Smythe the Third", 1, "high", contact_every_days=30, last_contact=d(-45), left=True)
    wide, compact = texts.stakeholder_cells(s, TODAY, False), texts.stakeholder_cells(s, TODAY, True)
    assert wide["Name"].plain == "Quincy Longname-Smyth… (left)" and compact["Name"].plain == "Quincy Long… (left)"
    assert wide["Last"].plain == "45d" and "bold red" in str(wide["Last"].style)  # past its contact cadence
    assert wide["Infl"].plain == "high" and compact["Infl"].plain == "high" and compact["Role"].plain == "influencer"


def test_queue_and_timeline_lines() -> None:
    item = QueueItem(
        kind="action",
        account_id=1,
        account=HOSTILE,
        owner="ana",
        title="Send the ROI case",
        detail="ana",
        due=d(-3),
        days_late=3,
        severity=2,
    )
    line = queue_line(item, TODAY, 100)
    assert line.plain.startswith("!! 3d late   [bold]Evil^[[31m Corp[/]") and "Send the ROI case  ana" in line.plain
    events = [Event(date=d(-1), kind="call", text="Called [b]Dana[/b]", by="ana")]
    assert timeline_text(events).plain == f"{d(-1).isoformat()}  call     Called [b]Dana[/b]  (ana)"
    assert timeline_text([]).plain.startswith("Nothing logged yet")


def test_an_action_a_year_late_or_far_ahead_keeps_its_text_apart() -> None:
    """ "11mo late" filled the when column and ran into the text; 9999-12-31 drew "in 97070mo"."""
    import datetime as dt

    from kamtui.domain.model import Action
    from kamtui.ui.texts import action_line

    today = dt.date(2026, 12, 2)
    for due in (today - dt.timedelta(days=340), dt.date(9999, 12, 31), dt.date(1, 1, 1)):
        action = Action(account_id=1, objective_id=1, text="Send the case")
        action.due = due  # past the dates the model keeps (1970-2100): the line holds whatever it is given
        line = action_line(action, today).plain
        assert " Send the case" in line and len(line.split("Send")[0]) <= 16, line
