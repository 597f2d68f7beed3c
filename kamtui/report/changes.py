"""``kamtui due --changes``: what changed on each account due for review since its last review
(kamtui.domain.changes), as text or JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kamtui.domain import formats
from kamtui.domain.changes import Moved, summary
from kamtui.domain.text import cell_width, clean
from kamtui.i18n import _, pgettext


@dataclass(frozen=True, slots=True)
class AccountChanges:
    account_id: int
    account: str
    since: dt.date | None  # the last review; None: never reviewed
    changes: tuple[Moved, ...]


def _kind_word(kind: str) -> str:
    """A change's kind as the text's first column shows it ("health", "deal")."""
    words = {
        "health": pgettext("change", "health"),
        "attitude": pgettext("change", "attitude"),
        "interaction": pgettext("change", "interaction"),
        "done": pgettext("change", "done"),
        "late": pgettext("change", "late"),
        "deal": pgettext("change", "deal"),
        "kpi": pgettext("change", "kpi"),
    }
    return words.get(kind, kind)


def render_changes_text(blocks: Sequence[AccountChanges]) -> str:
    """One block per account: its name and the last review's date with a count per kind, then
    one line per change (stored text cleaned for the terminal)."""
    out = ["", _("What changed since the last review")]
    if not blocks:
        out.append("  " + _("(no account due for review)"))
    for b in blocks:
        head = clean(b.account)
        if b.since is None:
            out.append(f"{head} · " + _("never reviewed"))
            continue
        counts = summary(b.changes)
        since = _("since {date}: {changes}").format(date=formats.date(b.since), changes=counts or _("nothing changed"))
        out.append(f"{head} · {since}")
        for m in b.changes:
            when = f"{formats.date(m.date)} " if m.date is not None and m.kind != "health" else ""
            word = _kind_word(m.kind)
            out.append(f"  {word}{' ' * max(1, 12 - cell_width(word))}{when}{clean(m.text)}")
    return "\n".join(out) + "\n"


def changes_json(blocks: Sequence[AccountChanges]) -> list[dict[str, object]]:
    return [
        {
            "account_id": b.account_id,
            "account": b.account,
            "since": b.since.isoformat() if b.since else None,
            "changes": [
                {"kind": m.kind, "date": m.date.isoformat() if m.date else None, "text": m.text} for m in b.changes
            ],
        }
        for b in blocks
    ]
