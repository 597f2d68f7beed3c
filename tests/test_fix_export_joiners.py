"""The file exports (Markdown, iCalendar, the brief written to a file or a pipe) keep stored text
as it is: a family emoji keeps its zero width joiners, a heart its variation selector. Only the
terminal drops them (:func:`kamtui.domain.text.clean`); a file still shows controls and bidi
marks visibly, and an iCalendar line is folded between graphemes, not inside one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import pytest

from kamtui.cli import main
from kamtui.domain.brief import build_brief, render_brief
from kamtui.domain.model import Account, Action, DecisionRole, Objective, Stakeholder
from kamtui.report.ical import fold, render_ics
from kamtui.report.markdown import render_markdown
from kamtui.report.plans import AccountPlan
from kamtui.store import Store

TODAY = dt.date(2026, 11, 23)
STAMP = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # MAN ZWJ WOMAN ZWJ GIRL
HEART = "\u2764\ufe0f"  # HEAVY BLACK HEART, emoji presentation
NAME = f"{FAMILY} Family {HEART} Co"
PERSON = f"Ana {HEART} Ruiz \U0001f44d\U0001f3fd"  # a thumb with a skin tone


def _plan(name: str = NAME, person: str = PERSON) -> AccountPlan:
    acc = Account(name=name, owner=person, sponsor=person, cadence="monthly", id=1)
    sh = Stakeholder(account_id=1, name=person, role=DecisionRole.DECISION_MAKER, id=1)
    obj = Objective(account_id=1, title=name, id=1)
    act = Action(account_id=1, objective_id=1, text=f"Call {person}", owner=person, due=TODAY, id=1)
    return AccountPlan(acc, stakeholders=[sh], objectives=[obj], actions=[act])


def test_markdown_keeps_joiners_and_selectors() -> None:
    md = render_markdown([_plan()], TODAY)
    assert f"## {NAME}\n" in md
    assert PERSON in md and f"Call {PERSON}" in md


def test_markdown_still_shows_controls_and_bidi_marks_visibly() -> None:
    md = render_markdown([_plan(f"{FAMILY}\x1b[2J\u202eCo")], TODAY)
    assert f"## {FAMILY}^\\[\\[2J\u2423Co\n" in md  # ESC as ^[ and RLO as a mark, each "[" escaped
    assert "\x1b" not in md and "\u202e" not in md


def test_ics_keeps_joiners_and_selectors() -> None:
    raw = render_ics([_plan()], TODAY, stamp=STAMP)
    events = {str(e.get("uid")): e for e in icalendar.Calendar.from_ical(raw).walk("VEVENT")}
    assert str(events["kamtui-review-1@kamtui"].get("summary")) == f"Review: {NAME}"
    assert f"Owner: {PERSON}." in str(events["kamtui-review-1@kamtui"].get("description"))
    assert str(events["kamtui-action-1@kamtui"].get("summary")) == f"Action: Call {PERSON} ({NAME})"


@pytest.mark.parametrize(
    "grapheme",
    [FAMILY, HEART, "\U0001f1ea\U0001f1f8", "\U0001f44d\U0001f3fd", "e\u0301\u0302", "1\ufe0f\u20e3"],
    ids=["family", "heart", "flag", "skin-tone", "combining", "keycap"],
)
@pytest.mark.parametrize("pad", range(60, 76))
def test_ics_folds_between_graphemes(grapheme: str, pad: int) -> None:
    line = "SUMMARY:" + "x" * pad + grapheme + " tail" * 20
    physical = fold(line).split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 for p in physical)
    assert "".join(p[1:] if n else p for n, p in enumerate(physical)) == line
    assert sum(grapheme in p for p in physical) == 1  # whole on one line, wherever 75 octets fell


def test_ics_a_grapheme_longer_than_a_line_is_still_folded() -> None:
    line = "SUMMARY:" + "a" + "\u0301" * 100
    physical = fold(line).split("\r\n")[:-1]
    assert all(len(p.encode()) <= 75 for p in physical)
    assert "".join(p[1:] if n else p for n, p in enumerate(physical)) == line


def test_the_brief_keeps_joiners_in_a_file_and_drops_them_on_a_terminal() -> None:
    text = render_brief(build_brief(_plan(), TODAY, terminal=False))
    assert text.startswith(f"Meeting brief: {NAME}\n") and PERSON in text
    shown = render_brief(build_brief(_plan(), TODAY))  # the TUI and a terminal: as before
    assert shown.startswith("Meeting brief: \U0001f468\U0001f469\U0001f467 Family \u2764 Co\n")
    assert "\u200d" not in shown and "\ufe0f" not in shown


def test_cli_exports_keep_the_stored_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "k.json"
    with Store(db, user="t") as store:
        store.insert("accounts", {"name": NAME, "owner": PERSON, "tier": "key", "cadence": "monthly"})
    base = ["--today", TODAY.isoformat(), "export", "--db", str(db)]
    assert main([*base, "--format", "md"]) == 0
    assert f"## {NAME}\n" in capsys.readouterr().out
    assert main([*base, "--format", "brief", "--account", "\U0001f468"]) == 0  # to a pipe: as stored
    assert capsys.readouterr().out.startswith(f"Meeting brief: {NAME}\n")
    out = tmp_path / "brief.txt"
    assert main([*base, "--format", "brief", "--account", "\U0001f468", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith(f"Meeting brief: {NAME}\n")
    ics = tmp_path / "k.ics"
    assert main([*base, "--format", "ics", "-o", str(ics)]) == 0
    cal = icalendar.Calendar.from_ical(ics.read_bytes())
    assert [str(e.get("summary")) for e in cal.walk("VEVENT")] == [f"Review: {NAME}"]
