"""Small amounts keep their meaning: 1,500 was shown as '2k' (a third more than it is)."""

from __future__ import annotations

import pytest

from kamtui.domain.text import money


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (1500, "1.5k"),
        (1499, "1.5k"),
        (1000, "1k"),
        (2500, "2.5k"),
        (-1500, "-1.5k"),
        (9940, "9.9k"),
        (9960, "10k"),  # not "10.0k"
        (999.5, "1k"),
        (10_500, "10k"),
    ],
)
def test_amounts_under_ten_thousand_show_a_decimal(value: float, shown: str) -> None:
    assert money(value) == shown
