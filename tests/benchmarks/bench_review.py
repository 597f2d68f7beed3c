"""Keystrokes of a morning review: the demo's whole due queue, reviewed in the guided loop by a
scripted keyboard (Textual's Pilot), acting on every troubled account's actions and contacts.

The script, per account: each late or due action is ticked (space: the cursor then sits on the
next item), each person to contact gets a logged call (l, a one-line summary, ctrl+s), the
risks are read, and enter records the review. Keys are counted apart from the typed text; a
"screen change" is any moment the loop's bar is not on top other than a form it opened.

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
                while True:
                    entry = loop.selected()
                    if entry is None or entry.kind not in ("action", *PERSON_KINDS):
                        break
                    if entry.kind == "action":
                        await press(pilot, "space")
                    else:
                        await press(pilot, "l")
                        if not isinstance(app.screen, FormScreen):
                            break
                        await pilot.press(*SUMMARY)
                        typed += len(SUMMARY)
                        await press(pilot, "ctrl+s")
                    acted += 1
                    if app.screen is not loop:
                        changes += 1
                        break
                    if loop.account_id != account:
                        break
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
        "keys_per_account": keys / accounts if accounts else 0.0,
        "max_keys_one_account": max(per_account, default=0),
        "typed": typed,
        "acted_on": acted,
        "screen_changes": changes,
    }


def _is_summary(screen: object) -> bool:
    from kamtui.ui.guided import SummaryScreen

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
