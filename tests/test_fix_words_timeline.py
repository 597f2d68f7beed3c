"""The timeline shows an attitude change as before → after, also for a stakeholder whose
attitude had no recorded history yet (the demo's, an import's): the change keeps what it was."""

from __future__ import annotations

import datetime as dt

from kamtui.domain.changes import changes_since
from kamtui.domain.model import Stakeholder
from kamtui.domain.timeline import timeline


def test_first_recorded_change_shows_before_and_after() -> None:
    s = Stakeholder(account_id=1, name="Mateo Vasquez", friendliness=1, id=3)
    changed = s.with_friendliness(2, dt.date(2026, 5, 1), "ana", "met at expo")
    events = timeline([], [], [changed], [])
    assert [e.text for e in events] == ["Mateo Vasquez: friendly → champion · met at expo"]


def test_the_before_survives_a_save_and_reload() -> None:
    s = Stakeholder(account_id=1, name="Rosa Díaz", friendliness=0, id=4)
    changed = s.with_friendliness(-2, dt.date(2026, 5, 1), "ana", "cut our budget")
    reloaded = Stakeholder.from_doc(changed.to_doc(), 4)
    assert [e.text for e in timeline([], [], [reloaded], [])] == ["Rosa Díaz: neutral → hostile · cut our budget"]


def test_changes_since_review_name_the_first_recorded_change_too() -> None:
    s = Stakeholder(account_id=1, name="Rosa Díaz", friendliness=0, id=4)
    changed = s.with_friendliness(-2, dt.date(2026, 5, 1), "ana", "cut our budget")
    moved = changes_since(dt.date(2026, 4, 1), dt.date(2026, 5, 2), stakeholders=[changed])
    assert [m.text for m in moved] == ["Rosa Díaz: neutral → hostile (cut our budget)"]
