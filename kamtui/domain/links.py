"""The people an objective or an action concerns, and what is wrong with them, in words.

An open objective or action about someone is flagged when that person:

- is hostile or unfriendly (friendliness below neutral): ``Rosa Díaz is hostile``;
- has gone silent: past their own contact cadence (contact every N days) or, without one, a
  key player (high influence, economic buyer or decision maker) not contacted for the key
  player silence threshold (60 days by default): ``Rosa Díaz silent 70d``, or never contacted;
- has left the company.

Pure: stakeholders in, words out (stored names as they are: the screen cleans them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from kamtui.domain.model import Stakeholder, friendliness_label
from kamtui.domain.queue import DEFAULT_THRESHOLDS, Thresholds
from kamtui.i18n import _


def silence_limit(s: Stakeholder, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> int | None:
    """After how many days without contact this person counts as silent (None: never)."""
    if s.contact_every_days:
        return s.contact_every_days
    return thresholds.key_player_silence_days if s.is_key_player else None


def person_flags(s: Stakeholder, today: dt.date, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[str]:
    """What is wrong with this person for a plan that concerns them, in words (none: [])."""
    if s.left:
        return [_("{name} has left").format(name=s.name)]
    flags: list[str] = []
    if s.friendliness < 0:
        flags.append(_("{name} is {attitude}").format(name=s.name, attitude=friendliness_label(s.friendliness)))
    limit = silence_limit(s, thresholds)
    if limit is not None:
        if s.last_contact is None:
            flags.append(_("{name} never contacted").format(name=s.name))
        elif (since := (today - s.last_contact).days) > limit:
            flags.append(_("{name} silent {days}d").format(name=s.name, days=since))
    return flags


def link_flags(
    ids: Iterable[int],
    people: Mapping[int, Stakeholder],
    today: dt.date,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> dict[int, list[str]]:
    """The flags of each person ``ids`` names who has any (an id no longer on the account is
    left out)."""
    out: dict[int, list[str]] = {}
    for sid in ids:
        s = people.get(sid)
        flags = [] if s is None else person_flags(s, today, thresholds)
        if flags:
            out[sid] = flags
    return out
