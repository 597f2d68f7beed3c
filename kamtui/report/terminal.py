"""What the terminal can show: the one place that decides between kamtui's marks and ASCII.

kamtui writes a few marks of its own: ``…`` (text cut), ``·`` (between the parts of a detail),
``▲ ▼ ▶`` (health trends), ``␣`` (a bidi control made visible), ``→``. Under a locale whose
encoding cannot write them (``LANG=C`` with ``PYTHONUTF8=0`` gives Python an ASCII stdout), a
print would raise UnicodeEncodeError. :func:`fit_stream` makes such a stream write each mark as
its ASCII stand-in (:data:`ASCII_MARKS`) and any other character it cannot encode (an ``é`` of
the user's data) as ``?``; :func:`unicode_ok` tells a renderer to choose ASCII itself where the
width matters (the table's ellipsis) or an escaped form where nothing may be lost (JSON).
"""

from __future__ import annotations

import codecs
import io
from typing import IO, Any

ASCII_MARKS = {
    "\u2026": "...",  # …
    "\u00b7": "-",  # ·
    "\u25b2": "^",  # ▲
    "\u25bc": "v",  # ▼
    "\u25b6": ">",  # ▶
    "\u2423": "_",  # ␣
    "\u2192": "->",  # →
}
ERRORS = "kamtui-ascii"  # the codec error handler fit_stream installs


def unicode_ok(stream: IO[Any]) -> bool:
    """Whether ``stream``'s encoding can write every one of kamtui's marks (a stream without an
    encoding, such as io.StringIO, holds any text)."""
    encoding = getattr(stream, "encoding", None)
    if encoding is None:
        return True
    try:
        "".join(ASCII_MARKS).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _stand_ins(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    return "".join(ASCII_MARKS.get(ch, "?") for ch in text), exc.end


codecs.register_error(ERRORS, _stand_ins)


def fit_stream(stream: IO[Any]) -> None:
    """Make ``stream`` write what its encoding cannot as ASCII stand-ins instead of raising.
    Nothing changes for a stream that can write the marks (any UTF-8 terminal or pipe)."""
    if not unicode_ok(stream) and isinstance(stream, io.TextIOWrapper):
        stream.reconfigure(errors=ERRORS)
