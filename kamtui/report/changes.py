"""``kamtui due --changes``: what changed on each account due for review since its last review
(kamtui.domain.changes), as text or JSON."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from kamtui.domain.changes import Moved, summary
from kamtui.domain.text import clean


@dataclass(frozen=True, slots=True)
class AccountChanges:
    account_id: int
    account: str
    since: dt.date | None  # the last review; None: never reviewed
    changes: tuple[Moved, ...]


def render_changes_text(blocks: Sequence[AccountChanges]) -> str:
    """One block per account: its name and the last review's date with a count per kind, then
    one line per change (stored text cleaned for the terminal)."""
    out = ["", "What changed since the last review"]
    if not blocks:
        out.append("  (no account due for review)")
    for b in blocks:
        head = clean(b.account)
        if b.since is None:
            out.append(f"{head} · never reviewed")
            continue
        counts = summary(b.changes)
        out.append(f"{head} · since {b.since.isoformat()}: {counts or 'nothing changed'}")
        for m in b.changes:
            when = f"{m.date.isoformat()} " if m.date is not None and m.kind != "health" else ""
            out.append(f"  {m.kind:<11} {when}{clean(m.text)}")
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
