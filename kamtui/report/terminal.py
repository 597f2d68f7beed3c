"""What the terminal can show: kamtui's marks, or ASCII stand-ins for the reports.

Which marks there are and what stands for them is decided in :mod:`kamtui.domain.marks` (the
TUI uses the same decision). Under a locale whose encoding cannot write them (``LC_ALL=C`` with
``PYTHONUTF8=0`` gives Python an ASCII stdout; a bare ``LANG=C`` does not, Python coerces it to
UTF-8), a print would raise UnicodeEncodeError.
:func:`fit_stream` makes such a stream write each mark as its ASCII stand-in
(:data:`ASCII_MARKS`) and any other character it cannot encode (an ``é`` of the user's data)
as ``?``; :func:`unicode_ok` tells a renderer to choose ASCII itself where the width matters
(the table's ellipsis) or an escaped form where nothing may be lost (JSON).
"""

from __future__ import annotations

import codecs
import io
from typing import IO, Any

from kamtui.domain.marks import ASCII_MARKS, encodes_marks

__all__ = ["ASCII_MARKS", "ERRORS", "fit_stream", "unicode_ok"]

ERRORS = "kamtui-ascii"  # the codec error handler fit_stream installs


def unicode_ok(stream: IO[Any]) -> bool:
    """Whether ``stream``'s encoding can write every one of kamtui's marks (a stream without an
    encoding, such as io.StringIO, holds any text)."""
    return encodes_marks(getattr(stream, "encoding", None))


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
