"""The account list's red-risk flag (⚑) and the stakeholder pane judge an account with the same
rules and the same thresholds: those of the config file, not the defaults."""

from __future__ import annotations

from pathlib import Path

import pytest

from kamtui.domain.model import Account, Stakeholder
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.panes.stakeholders import StakeholderPane
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY, d


def build(path: Path, silent_days: int) -> int:
    """One account whose decision maker is unfriendly and was last contacted ``silent_days`` ago:
    a red risk once that is at least ``key_player_silence_days``, else an amber one."""
    store = Store(path, user="tester")
    account_id = store.insert("accounts", Account(name="Hooli", tier="key", owner="ana").to_doc())
    for person in (
        Stakeholder(
            account_id=account_id,
            name="Gavin Belson",
            role="decision_maker",
            influence="medium",
            friendliness=-1,
            coverage="regular",
            last_contact=d(-silent_days),
        ),
        Stakeholder(
            account_id=account_id,
            name="Jared Dunn",
            role="champion",
            influence="medium",
            friendliness=2,
            coverage="in_depth",
            last_contact=d(-3),
        ),
    ):
        store.insert("stakeholders", person.to_doc())
    store.close(compact=False)
    return account_id


@pytest.mark.parametrize(
    ("silent_days", "configured", "red"),
    [
        (30, 20, True),  # silent long enough by the config (not by the default 60 days)
        (70, 100, False),  # silent long enough by the default, not by the config
    ],
    ids=["flagged-by-config", "unflagged-by-config"],
)
@pytest.mark.parametrize("size", [(120, 40), (80, 24)], ids=["120x40", "80x24"])
async def test_list_flag_uses_the_configured_thresholds_like_the_panes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    silent_days: int,
    configured: int,
    red: bool,
    size: tuple[int, int],
) -> None:
    monkeypatch.setenv("USER", "tester")
    config = tmp_path / "config.toml"
    config.write_text(f"[thresholds]\nkey_player_silence_days = {configured}\n")
    monkeypatch.setenv("KAMTUI_CONFIG", str(config))
    path = tmp_path / "k.json"
    account_id = build(path, silent_days)
    store = Store(path, user="tester")
    app = KamApp(store, today=TODAY, start="accounts")
    try:
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            assert app.session.thresholds.key_player_silence_days == configured
            await pilot.press("1")
            await settle(app, pilot)
            text = screen_text(app)
            pane = app.query_one(StakeholderPane)
            assert [s.name for s in pane.items] == ["Jared Dunn", "Gavin Belson"]
            # The pane: red (▲) when silent past the configured threshold, amber (△) otherwise.
            assert ("▲ decision maker Gavin Belson" in text) is red, text
            assert ("△ decision maker Gavin Belson" in text) is not red, text
            # The list agrees, in its row model and on screen.
            row = app.session.rows.ensure_health(app.session.rows.rows[account_id])
            assert row.red_risk is red
            listed = next(line.split("▕")[0] for line in text.splitlines() if "Hooli" in line.split("▕")[0])
            assert ("⚑" in listed.split("Hooli")[0]) is red, listed
    finally:
        store.close(compact=False)
