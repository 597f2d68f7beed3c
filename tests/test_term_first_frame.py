"""The first frame a terminal receives is the whole first screen.

Textual renders the first screen inside the batch its start-up holds and drops that frame;
widgets that do not change again were then missing until the next full frame (Today's title
came ~20 ms after its list). Read from a real pseudo-terminal: the bytes kamtui writes carry
Today's title before its first group, i.e. in the same (first) frame, not after it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.test_cli_demo_signals import Session

pytestmark = pytest.mark.skipif(not hasattr(os, "openpty"), reason="needs a pseudo-terminal")

TITLE = "Today · ".encode()
FIRST_GROUP = b"Reviews due"  # the demo's first group on Today


def test_todays_first_frame_has_its_title(tmp_path: Path) -> None:
    session = Session(tmp_path)  # kamtui --demo at 120x40
    try:
        session.read_until(FIRST_GROUP)
        out = session.screen
        assert TITLE in out[: out.index(FIRST_GROUP)], "Today's list was drawn before its title"
    finally:
        session.close()
