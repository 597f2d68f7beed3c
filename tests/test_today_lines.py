"""Today's list lines are made to fit the width, so the list measures each as one line rather
than wrapping it (Textual's wrap measured every line again, half the cost of showing a big
queue), but where the list is narrower than a line is made, it wraps them; the note under a cut
group is wrapped when made, its whole hint shown at any width."""

from __future__ import annotations

from pathlib import Path

import pytest

import kamtui.ui.today
from kamtui.sample import materialize_demo
from kamtui.store import Store
from kamtui.ui.app import KamApp
from kamtui.ui.today import TodayList, TodayScreen
from tests.test_ui import screen_text, settle
from tests.ui_fixtures import TODAY

HINT = "kamtui due --format plain lists them all"


@pytest.fixture(autouse=True)
def _user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "tester")
    monkeypatch.setenv("KAMTUI_CONFIG", "/dev/null")
    monkeypatch.setattr(kamtui.ui.today, "GROUP_LIMIT", 1)  # every group of two items or more is cut


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (44, 30), (30, 24)])
async def test_each_item_is_one_line_and_the_hint_is_whole(tmp_path: Path, size: tuple[int, int]) -> None:
    path = materialize_demo(tmp_path / "demo.json", TODAY)
    app = KamApp(Store(path, user="tester"), today=TODAY)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TodayScreen)
        ol = screen.query_one(TodayList)
        notes = [o for o in ol.options if "more, less urgent" in str(o.prompt)]
        assert notes, "the demo has a group of two items or more"
        two_lines = [o for o in notes if "\n" in str(o.prompt)]
        assert bool(two_lines) == (size[0] < 100)  # wrapped here only when narrow
        # One line per item and heading, a note as many as it was made of: nothing wrapped by the
        # list; but where it is narrower than the 40 columns a line is made to, it wraps them, so
        # that no line loses its title.
        made = sum(str(o.prompt).count("\n") for o in notes)
        narrow = size[0] - 4 < kamtui.ui.today.LINE_MIN
        assert ol.styles.text_wrap == ("wrap" if narrow else "nowrap")
        if narrow:
            assert ol.virtual_size.height > ol.option_count + made
            first = next(o for o in screen.items if o.kind == "review")
            assert first.detail.split()[0] in screen_text(app)
        else:
            assert ol.virtual_size.height == ol.option_count + made
        ol.highlighted = ol.option_count - 1  # the last note on screen
        await settle(app, pilot)
        shown = screen_text(app)
        assert HINT in " ".join(shown.split()), shown  # whole, over two lines or more where narrow
        assert not any(line.rstrip().endswith("…") for line in shown.splitlines() if "more, less" in line)
    app.store.close(compact=False)
