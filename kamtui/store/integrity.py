"""What vouches for a snapshot written by kamtui: the CRC-32 its ``_meta`` records, of every byte
after ``_meta``, then of the table offsets and of each summary ``_meta`` holds (see
:func:`kamtui.store.writing.snapshot_chunks`); a partial read computes it on a thread of its own.
"""

from __future__ import annotations

import json
import threading
import zlib
from collections.abc import Mapping
from typing import Any

CRC_THREAD_ABOVE = 1_000_000  # bytes: below, a thread costs more than the CRC (~1 ms per 2 MB)


class Crc:
    """``zlib.crc32(data)`` computed on a thread of its own (see kamtui.store.codec.parse_tables)."""

    def __init__(self, data: memoryview) -> None:
        self._crc = 0
        self._thread = threading.Thread(target=self._run, args=(data,), name="kamtui-crc", daemon=True)
        self._thread.start()

    def _run(self, data: memoryview) -> None:
        self._crc = zlib.crc32(data)

    def value(self) -> int:
        self._thread.join()
        return self._crc


def snapshot_crc(
    rest: bytes | memoryview, heads: object, rest_crc: int | None = None, extra: Mapping[str, Any] | None = None
) -> int:
    """The CRC-32 ``_meta`` records: of the bytes after it (``rest_crc`` when already known),
    then of its list of table offsets, then of each summary it holds (by name)."""
    crc = zlib.crc32(rest) if rest_crc is None else rest_crc
    crc = crc if heads is None else zlib.crc32(json.dumps(heads).encode(), crc)
    extra = extra or {}
    for key in sorted(extra):
        crc = zlib.crc32(json.dumps(extra[key], sort_keys=True).encode(), crc)
    return crc
