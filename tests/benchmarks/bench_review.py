"""Keystrokes of a morning review: the demo's whole due queue, reviewed in the guided loop by a
scripted keyboard (Textual's Pilot), acting on every troubled account's actions and contacts.

The script, per account: its late and due actions are ticked (X ticks all listed, space the
one selected when there is one), the people to contact get one logged contact (L logs one with
everyone listed, l with the one selected; a one-line summary, ctrl+s), the risks are read, and
enter records the review. An item is selected by its number only when the cursor is not on it
(counted). Keys are counted apart from the typed text; "keys per account" counts the keys
spent in the loop on each account, "keys in all" adds the R that opens the loop. A "screen
change" is any moment the loop's bar is not on top other than a form it opened.

Run alone: ``python tests/benchmarks/bench_review.py`` (prints JSON), or through run.py.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

SUMMARY = "called: agreed next steps"  # the text typed for each logged contact
PERSON_KINDS = ("contact", "losing_touch")


async def _review(path: Path) -> dict[str, Any]:
    import datetime as dt

    from kamtui.store import Store
    from kamtui.ui.app import KamApp
    from kamtui.ui.forms import FormScreen
    from kamtui.ui.guided import GuidedReviewScreen

    today = dt.date.fromisoformat(os.environ.get("KAMTUI_BENCH_TODAY", dt.date.today().isoformat()))
    store = Store(path, user="bench")
    app = KamApp(store, today=today)
    keys = typed = changes = accounts = acted = 0
    per_account: list[int] = []

    async def settle(pilot: Any) -> None:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()

    async def press(pilot: Any, *k: str) -> None:
        nonlocal keys
        keys += len(k)
        await pilot.press(*k)
        await settle(pilot)

    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            await press(pilot, "R")  # counted: opening the loop is part of the review
            loop = app.screen
            assert isinstance(loop, GuidedReviewScreen), type(loop)
            while app.screen is loop:
                before, account = keys, loop.account_id

                def listed(kinds: tuple[str, ...]) -> list[Any]:
                    return [e for e in loop.agenda.items if e.kind in kinds]

                async def select(entry: Any) -> None:
                    chosen = loop.selected()
                    if chosen is None or chosen.number != entry.number:
                        await press(pilot, str(entry.number))

                actions = listed(("action",))
                if len(actions) > 1:
                    await press(pilot, "X")
                elif actions:
                    await select(actions[0])
                    await press(pilot, "space")
                acted += len(actions)
                people = list(dict.fromkeys(e.stakeholder_id for e in listed(PERSON_KINDS)))
                if people:
                    if len(people) > 1:
                        await press(pilot, "L")
                    else:
                        await select(listed(PERSON_KINDS)[0])
                        await press(pilot, "l")
                    if isinstance(app.screen, FormScreen):
                        await pilot.press(*SUMMARY)
                        typed += len(SUMMARY)
                        await press(pilot, "ctrl+s")
                    acted += len(people)
                if app.screen is not loop or loop.account_id != account:
                    changes += 1
                    break
                if listed(("action", *PERSON_KINDS)):
                    raise RuntimeError(f"account {account}: the script left items of its own kinds unacted")
                await press(pilot, "enter")
                accounts += 1
                per_account.append(keys - before)
                if app.screen is not loop and not _is_summary(app.screen):
                    changes += 1
    finally:
        store.close(compact=False)
    return {
        "accounts": accounts,
        "keys": keys,
        "keys_per_account": (keys - 1) / accounts if accounts else 0.0,  # the R that opens the loop apart
        "max_keys_one_account": max(per_account, default=0),
        "typed": typed,
        "acted_on": acted,
        "screen_changes": changes,
    }


def _is_summary(screen: object) -> bool:
    from kamtui.ui.guided_summary import SummaryScreen

    return isinstance(screen, SummaryScreen)


def run() -> dict[str, Any]:
    """The scripted review over a fresh copy of the demo, dated today."""
    import datetime as dt

    from kamtui.sample import materialize_demo

    os.environ.setdefault("KAMTUI_CONFIG", "/dev/null")
    with tempfile.TemporaryDirectory(prefix="kamtui-review-") as tmp:
        today = dt.date.fromisoformat(os.environ.get("KAMTUI_BENCH_TODAY", dt.date.today().isoformat()))
        path = materialize_demo(Path(tmp) / "demo.json", today)
        return asyncio.run(_review(path))


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
