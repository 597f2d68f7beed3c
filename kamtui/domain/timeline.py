"""An account's activity timeline: interactions, reviews, attitude changes and actions done."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kamtui.domain.model import Action, Interaction, Review, Stakeholder, friendliness_label
from kamtui.i18n import _


@dataclass(frozen=True, slots=True)
class Event:
    date: dt.date
    kind: str  # meeting, call, email, visit, event, review, attitude, done
    text: str
    by: str = ""


def timeline(
    interactions: Sequence[Interaction],
    reviews: Sequence[Review],
    stakeholders: Sequence[Stakeholder],
    actions: Sequence[Action],
) -> list[Event]:
    """Newest first."""
    names = {s.id: s.name for s in stakeholders}
    events: list[Event] = []
    for i in interactions:
        who = ", ".join(names.get(sid, "?") for sid in i.stakeholders)
        text = _("with {who}: {summary}").format(who=who, summary=i.summary) if who else i.summary
        events.append(Event(i.date, i.kind.value, text, i.by))
    for r in reviews:
        # The review's 1-5 "health" is its overall score: not the account's 0-100 health.
        scores = _("engagement {engagement}, loyalty {loyalty}, satisfaction {satisfaction}, overall {overall}")
        text = scores.format(engagement=r.engagement, loyalty=r.loyalty, satisfaction=r.satisfaction, overall=r.health)
        text += " · " + r.notes if r.notes else ""
        if r.seconds is not None:  # taken in the guided review: how long, and what was done during it
            text += " · " + _("took {duration}").format(duration=duration_words(r.seconds))
            if r.done:
                text += " · " + _("done: {what}").format(what="; ".join(r.done))
            else:
                text += " · " + _("nothing else done")
        events.append(Event(r.date, "review", text, r.reviewer))
    for s in stakeholders:
        previous: int | None = None
        for change in s.friendliness_history:
            why = f" · {change.reason}" if change.reason else ""
            if change.was is not None:  # recorded with the change: also the first one of a history
                previous = change.was
            if previous is not None and change.value != previous:
                label = f"{friendliness_label(previous)} → {friendliness_label(change.value)}"
                events.append(Event(change.date, "attitude", f"{s.name}: {label}{why}", change.by))
            elif previous is None:
                events.append(
                    Event(change.date, "attitude", f"{s.name}: {friendliness_label(change.value)}{why}", change.by)
                )
            previous = change.value
    for a in actions:
        if a.done and a.done_at:
            events.append(Event(a.done_at, "done", a.text, a.done_by))
    events.sort(key=lambda e: e.date, reverse=True)
    return events


def duration_words(seconds: int) -> str:
    """``95`` -> "1m 35s"; under a minute in seconds, an hour and more in hours and minutes."""
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m {secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h {minutes:02d}m"
