"""A big data file is parsed by msgspec (kamtui.store.doctext.loads), as json.loads would parse it.

Where msgspec accepts a text it must give exactly what json.loads gives (types included: an int
stays an int, -0.0 stays a float, the last of a repeated key wins, in the first one's place);
what it refuses, json decides. A file that opened before opens the same. A small file never
imports msgspec (its import would cost more than it saves).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamtui.store import Store, codec, doctext
from tests.hostile import HOSTILE_NAMES

_leaves = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
_values = st.recursive(_leaves, lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(), kids, max_size=4))


def _same(a: Any, b: Any) -> bool:
    """Equal, and of the same types all the way down (1 == 1.0 == True in Python, not in JSON)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


@settings(max_examples=300, deadline=None)
@given(_values, st.booleans())
def test_loads_gives_what_json_gives(value: object, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    try:
        expected = json.loads(raw.decode("utf-8"))
    except ValueError:  # a lone surrogate text() made: not UTF-8, refused by both
        with pytest.raises(ValueError):
            doctext.loads(raw, fast=True)
        return
    assert _same(doctext.loads(raw, fast=True), expected)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_text_reads_back_byte_for_byte(name: str) -> None:
    doc = {"name": name, "notes": name * 3, "n": 1, "x": -0.0, "big": 2**70}
    for ascii_only in (False, True):
        raw = json.dumps({"1": doc}, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
        assert _same(doctext.loads(raw, fast=True), json.loads(raw.decode("utf-8", "surrogatepass")))


@pytest.mark.parametrize(
    "text",
    [
        b'{"a": NaN}',
        b'{"a": Infinity, "b": -Infinity}',
        b'{"a": "\\ud800"}',  # a lone surrogate, escaped: json reads it, msgspec refuses it
        b'{"a": 1e400}',
        b'{"a": 1, "a": 2, "b": 3}',
    ],
)
def test_what_msgspec_refuses_json_decides(text: bytes) -> None:
    expected = json.loads(text)
    got = doctext.loads(text, fast=True)
    assert json.dumps(got) == json.dumps(expected) and list(got) == list(expected)


@pytest.mark.parametrize("text", [b"", b"{", b'{"a": 1} x', b'{"a": "\xff"}', b'{"a": "\x01"}', b"\xef\xbb\xbf{}"])
def test_what_neither_accepts_is_a_value_error(text: bytes) -> None:
    for fast in (True, False):
        with pytest.raises(ValueError):
            doctext.loads(text, fast)


def test_a_file_with_nan_opens_as_before(tmp_path: Path) -> None:
    """A TinyDB file another script wrote with NaN opens (json's verdict), as before msgspec."""
    path = tmp_path / "nan.json"
    path.write_text('{"accounts": {"1": {"name": "A", "score": NaN}}}')
    store = Store(path, create=False)
    try:
        doc = store.get("accounts", 1)
        assert doc is not None and math.isnan(doc["score"])
    finally:
        store.close(compact=False)


def test_a_big_file_is_parsed_by_msgspec_a_small_one_never_imports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert isinstance(doctext.msgspec_decoder(), msgspec.json.Decoder)
    seen: list[int] = []

    class Spy:
        def decode(self, buf: Any) -> Any:
            seen.append(len(buf))
            return msgspec.json.decode(buf)

    monkeypatch.setattr(doctext, "_decoder", Spy())
    raw = json.dumps({"accounts": {str(i): {"name": f"A{i}"} for i in range(30)}}).encode()
    codec.parse_snapshot(raw)
    assert seen == []  # small: json
    monkeypatch.setattr(codec, "MSGSPEC_ABOVE", 10)
    assert codec.parse_snapshot(raw) == json.loads(raw)
    assert seen == [len(raw)]
    path = tmp_path / "small.json"
    path.write_bytes(raw)
    code = (
        f"import sys; from kamtui.store import Store; Store({str(path)!r}, create=False); "
        "print('msgspec' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
