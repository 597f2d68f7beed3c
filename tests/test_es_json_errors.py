"""A file that is not JSON is refused in the user's language: Python's json parser words its
reason in English whatever the locale (`no es JSON válido: Expecting value`), so each reason it
gives is a message of kamtui's catalog."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kamtui.store import codec
from tests.cli_run import assert_one_error, kamtui_run

BROKEN = {
    "": "Expecting value",
    "nul": "Expecting value",
    "{": "Expecting property name enclosed in double quotes",
    '{"a" 1}': "Expecting ':' delimiter",
    '{"a": 1 "b": 2}': "Expecting ',' delimiter",
    '{"a": "abc': "Unterminated string starting at",
    '{"a": "a\x01"}': "Invalid control character at",
    '{"a": "\\q"}': "Invalid \\escape",
    '{"a": "\\u12"}': "Invalid \\uXXXX escape",
}


def test_every_reason_json_gives_has_its_message() -> None:
    for text, reason in BROKEN.items():
        with pytest.raises(json.JSONDecodeError) as caught:
            json.loads(text)
        assert caught.value.msg == reason  # json still says what this table expects
        assert reason in codec._JSON_ERRORS


@pytest.mark.parametrize(
    ("text", "spanish"), [("{", "se esperaba un nombre de propiedad"), ("nul", "se esperaba un valor")]
)
def test_check_says_why_in_spanish(tmp_path: Path, text: str, spanish: str) -> None:
    db = tmp_path / "nj.json"
    db.write_text(text + " " * 10)
    english = assert_one_error(kamtui_run(tmp_path, "check", "--db", db), 2)
    assert "not valid JSON: Expecting" in english
    line = assert_one_error(kamtui_run(tmp_path, "--lang", "es", "check", "--db", db), 2)
    assert "no es JSON válido: " + spanish in line, line
    assert "Expecting" not in line
