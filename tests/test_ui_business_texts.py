"""The Business pane's text builders (issue 12, items 1 and 4), without an App: the sections,
staleness in words, the SWOT as blocks or a 2x2 grid, hostile text, the notes, deletes."""

from __future__ import annotations

import datetime as dt

from rich.text import Text

from kamtui.domain.business import Business, BusinessItem
from kamtui.domain.model import TeamMember
from kamtui.ui.business_forms import without
from kamtui.ui.business_texts import (
    GRID_MIN_WIDTH,
    NOTES_MAX_LINES,
    BizLine,
    age_words,
    arrange,
    business_view,
    cell,
    notes_lines,
    updated_note,
)
from tests.hostile import STORABLE_NAMES
from tests.test_ui_business import sample_account
from tests.ui_fixtures import TODAY, d


def test_age_and_staleness_are_said_in_words() -> None:
    assert age_words(1) == "1 day" and age_words(20) == "2 weeks"
    assert age_words(250) == "8 months" and age_words(800) == "2 years"
    assert updated_note(d(-3), TODAY).plain == "2026-11-20"
    assert updated_note(d(-250), TODAY).plain == "2026-03-18 · stale: 8 months"
    assert updated_note(d(-250), TODAY, compact=True).plain == "stale: 8 months"
    assert updated_note(None, TODAY).plain == "date unknown"
    assert updated_note(d(-180), TODAY).plain == "2026-05-27"  # STALE_AFTER_DAYS is still fresh
    assert updated_note(d(-3), TODAY, compact=True).plain == "20 Nov"  # the year is today's


def test_the_view_names_every_section_and_marks_stale_items() -> None:
    view = business_view(sample_account(), TODAY)
    text = "\n".join(r.plain for r in arrange(view, 70).rows)
    for title in (
        "Goals (2)",
        "Financial health: Profitable, 4% growth",
        "Current initiatives (1)",
        "SWOT",
        "Strengths (1)",
        "Weaknesses (1)",
        "Opportunities (0)",
        "Threats (1)",
        "Our team (2)",
        "ana · key account manager",
        "Executive sponsor: Vera COO",
        "Notes",
        "CFO prefers email.",
    ):
        assert title in text, title
    assert "date unknown" in text  # the goal without a date
    assert "stale: 8 months" in text  # the financial health
    assert "stale: 13 months" in text  # the threat
    assert "none: a adds one" in text  # no opportunity yet
    assert view.subtitle == "3 of 7 stale · SWOT 1 of 3"


def test_the_swot_is_a_grid_when_wide_and_blocks_when_narrow_with_the_same_cursor_order() -> None:
    view = business_view(sample_account(), TODAY)
    narrow, wide = arrange(view, GRID_MIN_WIDTH - 1), arrange(view, 100)
    assert narrow.keys == wide.keys  # the cursor walks the same items at any width
    assert all(r.cell_len == GRID_MIN_WIDTH - 1 for r in narrow.rows)
    assert all(r.cell_len == 100 for r in wide.rows)
    rows = [r.plain for r in wide.rows]
    top = next(r for r in rows if "Strengths" in r)
    assert "Weaknesses" in top and top.index("Strengths") < top.index("│") < top.index("Weaknesses")
    bottom = next(r for r in rows if "Opportunities (0)" in r)
    assert "Threats (1)" in bottom
    # Strengths' and Weaknesses' headers share a row, each cursor on its own half of it.
    s, w = wide.keys.index("h:strengths"), wide.keys.index("h:weaknesses")
    assert wide.targets[s] == wide.targets[w]
    assert wide.spans[s][1] <= wide.spans[w][0] and wide.spans[w][1] == 100
    assert not any("│" in r.plain for r in narrow.rows)
    assert all(x == (0, GRID_MIN_WIDTH - 1) for x in narrow.spans)


def test_a_cell_keeps_its_date_whole_and_cuts_the_text() -> None:
    line = BizLine("i:goals:0", True, Text("  • " + "long goal " * 10), updated_note(d(-2), TODAY))
    shown = cell(line, 40)
    assert shown.cell_len == 40 and shown.plain.endswith("2026-11-21") and "…" in shown.plain
    stale = BizLine("x", True, Text("  • a long threat text here"), *_notes(d(-300)))
    assert cell(stale, 36).plain.endswith("  stale: 9 months")  # the compact note when room is short
    assert cell(stale, 80).plain.endswith("2026-01-27 · stale: 9 months")


def _notes(day: dt.date) -> tuple[Text, Text]:
    return updated_note(day, TODAY), updated_note(day, TODAY, compact=True)


def test_hostile_text_is_shown_cleaned_as_data() -> None:
    acc = sample_account(
        team=[TeamMember(n, n) for n in STORABLE_NAMES[:12]],
        sponsor="\x1b]0;owned\x07",
        business=Business(goals=[BusinessItem(n, TODAY) for n in STORABLE_NAMES]),
        notes="\x1b[2J[bold]notes\u202e",
    )
    for width in (40, 70, 120):
        rows = arrange(business_view(acc, TODAY), width).rows
        text = "".join(r.plain for r in rows)
        assert not any(c in text for c in "\x1b\x07\x9b\x00\u202e"), width
        assert "[bold]x" in text and "[@click=app.quit]x[/]" in text  # markup shown as typed
        assert all(r.cell_len == width for r in rows)
        assert all(not r.spans or r.spans[0].start >= 0 for r in rows)


def test_notes_are_wrapped_and_cut_with_what_is_left_said() -> None:
    lines = notes_lines("word " * 400, 40)
    assert lines[0].key == "notes" and len(lines) == NOTES_MAX_LINES + 2
    assert "more lines: e shows them all" in lines[-1].text.plain
    assert all(x.selectable for x in lines)  # the cursor walks through them: they scroll into view
    assert [x.text.plain for x in notes_lines("", 40)] == ["Notes", "  none: e writes them"]
    assert [x.text.plain for x in notes_lines("a\n\nb", 40)[1:]] == ["  a", "  ", "  b"]


def test_without_removes_one_thing_and_names_where_the_cursor_goes() -> None:
    acc = sample_account()
    found = without(acc, "i:goals:1")
    assert found is not None
    new, question, then = found
    assert [x.text for x in new.business.goals] == ["Grow in APAC"] and then == "i:goals:0"
    assert question == "Delete goal Cut costs by 10%?"
    assert new.business.goals[0].updated == d(-10)  # what stays keeps its date
    found = without(acc, "i:strengths:0")
    assert found is not None and found[2] == "h:strengths" and found[0].business.swot["strengths"] == []
    found = without(acc, "m:0")
    assert found is not None and [m.member for m in found[0].team] == ["Sam Li"]
    assert without(acc, "h:goals") is None and without(acc, "e:opportunities") is None
    assert without(sample_account(sponsor=""), "sponsor") is None
