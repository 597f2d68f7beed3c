"""The first screen (Today, and the account list and panes mounted behind it) imports only what
it shows: the forms, the other screens and the exporters are imported when first used.

Each is memory the TUI would hold from its start: at 25 accounts the forms are ~1 MB of RSS,
the other screens (guided review, help, import, brief, pipeline, portfolio, the palette's
commands) ~2 MB, of ~45 MB. A real process, headless: another test's imports cannot hide one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.ui_fixtures import TODAY, build_portfolio

# Imported when first used, never by the first screen.
LATER = (
    "kamtui.ui.forms",
    "kamtui.ui.entity_forms",
    "kamtui.ui.business_forms",
    "kamtui.ui.deal_forms",
    "kamtui.ui.kpi_forms",
    "kamtui.ui.review_forms",
    "kamtui.ui.criteria_form",
    "kamtui.ui.ticklist",
    "kamtui.ui.guided",
    "kamtui.ui.guided_summary",
    "kamtui.ui.help",
    "kamtui.ui.import_screen",
    "kamtui.ui.brief_screen",
    "kamtui.ui.pipeline_screen",
    "kamtui.ui.portfolio_screen",
    "kamtui.ui.commands",
    "kamtui.domain.brief",
    "kamtui.domain.importer",
    "kamtui.store.importer",
    "kamtui.store.exchange",
    "kamtui.report.markdown",
    "kamtui.report.csv_tables",
    "kamtui.report.ical",
    "kamtui.report.plans",
    "textual.widgets._selection_list",
    "textual.widgets._text_area",
)

PROBE = """
import asyncio, datetime as dt, json, sys
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.today import TodayScreen

async def first_screen() -> None:
    app = KamApp(Store(sys.argv[1], user="t"), today=dt.date.fromisoformat(sys.argv[2]))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(400):
            await pilot.pause(0.01)
            if isinstance(app.screen, TodayScreen) and app.main.ready:
                break
        assert isinstance(app.screen, TodayScreen) and app.main.ready, "the first screen never settled"
        print(json.dumps(sorted(sys.modules)))
        app.exit()

asyncio.run(first_screen())
"""


def test_first_screen_leaves_forms_screens_and_exporters_unimported(tmp_path: Path) -> None:
    db = tmp_path / "k.json"
    build_portfolio(db)
    done = subprocess.run(
        [sys.executable, "-c", PROBE, str(db), TODAY.isoformat()], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert "kamtui.ui.panes.stakeholders" in loaded  # the panes behind Today were mounted
    assert sorted(m for m in LATER if m in loaded) == []
