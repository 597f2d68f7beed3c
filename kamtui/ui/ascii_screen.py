"""The TUI under a locale that cannot write Unicode (``LC_ALL=C`` with ``PYTHONUTF8=0``).

Textual draws through the process's standard streams (its Linux driver writes to
``sys.__stderr__``), in their encoding. Under ``LC_ALL=C`` that is ASCII, and a stream writes what
ASCII cannot hold with its error handler: Python's ``backslashreplace`` on stderr, which turned
a ``·`` into the four characters ``\\xb7`` and pushed the rest of the line to the right; the
reports' handler (``...`` for ``…``, ``?`` for a border) would shift it as well. Textual has
placed every cell before it writes, so while the TUI runs such a stream writes each character
as ASCII of exactly its width (:func:`kamtui.domain.marks.cell_stand_in`: kamtui's marks as
ASCII marks, borders as ``+ - |``). A terminal that can write the marks is left alone.
"""

from __future__ import annotations

import codecs
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager

from kamtui.domain.marks import cell_stand_in, encodes_marks

ERRORS = "kamtui-cells"  # the codec error handler installed while the TUI runs


def _cells(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    return "".join(cell_stand_in(ch) for ch in exc.object[exc.start : exc.end]), exc.end


codecs.register_error(ERRORS, _cells)


@contextmanager
def ascii_where_needed(*streams: object) -> Iterator[None]:
    """While the block runs, each of ``streams`` (by default the standard output and error the
    TUI may draw through) whose encoding cannot write kamtui's marks writes every character as
    ASCII of its width; afterwards each writes as it did before."""
    fitted = [
        (s, s.errors)
        for s in (streams or (sys.__stdout__, sys.__stderr__))
        if isinstance(s, io.TextIOWrapper) and not encodes_marks(s.encoding)
    ]
    for stream, _ in fitted:
        stream.reconfigure(errors=ERRORS)
    try:
        yield
    finally:
        for stream, errors in fitted:
            stream.reconfigure(errors=errors)
