"""Writing an export to files: all of them or none, never replacing one without ``--force``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from kamtui.i18n import _
from kamtui.store.files import AtomicFile, refuse_to_replace


def write_new_files(contents: Mapping[Path, str], *, force: bool = False) -> None:
    """Write each file whole (:class:`~kamtui.store.files.AtomicFile`: a temp file beside it,
    fsynced, renamed over it), refusing to replace any unless ``force``.

    Files are created readable by their owner only (0600), like the database they come from;
    text is UTF-8, written as given (no newline translation: CSV ends its rows with CRLF).

    Every target is checked before anything is written. Raises FileExistsError naming the
    first file that exists, IsADirectoryError for a directory, UnsafePath (a StoreError: exit 2)
    for anything else that is not a regular file, even with ``force`` (a device, a FIFO, a
    socket, a symlink to one: a rename would put a regular file in its place). Every file is written and
    synced before the first is renamed into place, so a full disk or a missing folder leaves
    none of them; the OSError then names the file (never the temp file beside it).
    """
    for path in contents:
        if path.is_dir():
            raise IsADirectoryError(_("{path} is a directory; give a file name").format(path=path))
        refuse_to_replace(path)  # a device, a FIFO: not even --force renames a file over it
        if not force and (path.exists() or path.is_symlink()):
            raise FileExistsError(_("{path} exists; pass --force to replace it").format(path=path))
    temps: list[AtomicFile] = []
    try:
        for path, text in contents.items():
            tmp = AtomicFile(path)
            temps.append(tmp)
            tmp.write(text.encode("utf-8"))
            tmp.sync()
        for tmp in temps:
            tmp.commit()
    finally:
        for tmp in temps:
            tmp.discard()
