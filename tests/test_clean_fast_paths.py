"""clean()'s quick answers (ASCII, Latin text, no-break spaces) are what its full pass gives:
each string of the hostile corpus, and of text as kamtui's Spanish writes it, cleaned both ways."""

from __future__ import annotations

import pytest

from kamtui.domain.text import clean
from tests.hostile import HOSTILE_NAMES

SPANISH = [
    "3\xa0sem. de retraso",
    "1,2\xa0M\xa0€",
    "hace 2\u202fdías",
    "Álvarez · reunión ▲",
    "Ñandú\xa0S.A.",
    "3\xa0sem.\x1b[31m",  # a control after a no-break space: still made visible
    "a\xa0\u200bb",  # a zero width space after one: marked
    "x\xa0\u2028y",  # a line separator: a space
    "emoji\xa0\U0001f44d\U0001f3fd",  # a skin tone: dropped
    "\u3164\xa0filler",
    "soft\xa0hy\xadphen",
    "bidi\xa0\u202eevil",
    "東京\xa0支社",
]


@pytest.mark.parametrize("text", [*HOSTILE_NAMES, *SPANISH])
@pytest.mark.parametrize("terminal", [True, False])
def test_a_quick_answer_is_the_full_passs(text: str, terminal: bool) -> None:
    # A newline at the end takes the full pass (it is no printable character); it becomes a space.
    assert clean(text, terminal=terminal) == clean(text + "\n", terminal=terminal)[:-1]
    assert clean(text, one_line=False, terminal=terminal) == clean(text + "\r", one_line=False, terminal=terminal)


def test_no_break_spaces_are_shown_as_they_are() -> None:
    assert clean("3\xa0sem.") == "3\xa0sem." and clean("2\u202fd") == "2\u202fd"
    assert clean("3\xa0sem.\x1b") == "3\xa0sem.^["
