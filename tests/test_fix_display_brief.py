"""The meeting brief (`b`) wraps a bulleted line with its bullet kept at the start of its text
and the continuation lines under that text: a SWOT threat of a long run of emoji or one long
word left its "- " alone on a line, the text starting on the next at the left edge."""

from __future__ import annotations

import re

import pytest
from textual.app import App

from kamtui.domain.brief import Brief, Section, hanging
from kamtui.ui.brief_screen import BriefScreen
from tests.test_ui import screen_text

EMOJI = "🔥" * 70
WORD = "Supercalifragilistic" * 8
THREATS = (f"- {EMOJI} (updated 2026-11-01)", f"- {WORD} (date unknown: stale)", "- short one (updated 2026-11-02)")


def test_the_lead_of_a_line_is_its_bullet_or_indent() -> None:
    assert hanging("- a threat") == ("- ", "a threat")
    assert hanging("  attitude: warming") == ("  ", "attitude: warming")
    assert hanging("Goals:") == ("", "Goals:")
    assert hanging("-5% margin") == ("", "-5% margin")  # not a bullet: no space after the dash


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_long_bulleted_line_keeps_its_bullet_and_hangs_under_it(size: tuple[int, int]) -> None:
    brief = Brief("Meeting brief: Acme", "key account", (Section("Threats (SWOT)", THREATS),))
    app: App[None] = App()
    async with app.run_test(size=size) as pilot:
        await app.push_screen(BriefScreen(brief))
        await pilot.pause()
        lines = screen_text(app).splitlines()
    for start in ("🔥", "Supercal"):
        i = next(n for n, line in enumerate(lines) if start in line)
        bullet = re.search(r"- " + re.escape(start), lines[i])
        assert bullet, f"the bullet is not with its text: {lines[i - 1]!r} / {lines[i]!r}"
        assert not re.search(r"[│┃▌█ ]- *[│┃▐█]?\s*$", lines[i - 1]), lines[i - 1]  # no bullet left alone above
        text_at = bullet.start() + 2
        following = lines[i + 1]  # the text goes on under itself, not under the bullet
        assert following[:text_at].strip(" │┃▌▐█▊▎") == "", following
        assert following[text_at] != " ", following
    assert any("- short one (updated 2026-11-02)" in line for line in lines)
