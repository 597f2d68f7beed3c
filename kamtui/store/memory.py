"""Memory a big file's state freed, given back to the system.

When another session compacts a big file, a session reads it again and lets the state it held
go (kamtui.store.store.Store.refresh, then the screens' rows). The C allocator keeps most of
what that frees for later use rather than returning it: measured at 50,000 accounts, a session
went from ~225 MB to ~390 MB after a few such reads, and back to ~265 MB once asked to give
the free memory back (glibc's ``malloc_trim``). Where there is no such call (another C
library), nothing is done.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from typing import Any

_trim: Any = None  # malloc_trim, once looked up; False where there is none


def give_back() -> bool:
    """Ask the C allocator to return the memory it holds free to the system (a few ms; the
    interpreter lock is let go meanwhile). Whether it could be asked."""
    global _trim
    if _trim is None:
        try:
            _trim = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
        except (OSError, AttributeError):
            _trim = False
        else:
            _trim.argtypes, _trim.restype = [ctypes.c_size_t], ctypes.c_int
    if _trim is False:
        return False
    _trim(0)
    return True
