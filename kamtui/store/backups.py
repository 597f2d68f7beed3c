"""Earlier snapshots, kept beside the data as ``FILE.backups/FILE.<time>.seq<N>``.

Each compaction hard-links the snapshot it replaces into the folder (no copy: a link costs
nothing at any size) and keeps the newest :data:`BACKUPS_KEPT`. When a file cannot be read,
the error names :func:`newest_good_backup`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from pathlib import Path

from kamtui.i18n import _
from kamtui.store.codec import parse_snapshot
from kamtui.store.errors import UnsafePath

BACKUPS_KEPT = 10


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + ".backups")


def keep(path: Path, seq: int) -> None:
    """Hard-link the snapshot at ``path`` (holding edits up to ``seq``) into its backup folder
    (created 0700) and drop all but the newest :data:`BACKUPS_KEPT`. A file system without hard
    links keeps no backup: the journal still protects the data."""
    folder = backup_dir(path)
    folder.mkdir(mode=0o700, exist_ok=True)
    if folder.is_symlink():
        raise UnsafePath(_("refusing {path}: it is a symbolic link").format(path=folder))
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    try:
        os.link(path, folder / f"{path.name}.{stamp}.seq{seq}")
    except OSError:
        return
    backups = sorted(p for p in folder.iterdir() if p.name.startswith(path.name + "."))
    for old in backups[:-BACKUPS_KEPT]:
        with contextlib.suppress(OSError):
            old.unlink()


def newest_good_backup(path: Path) -> Path | None:
    """The newest backup of ``path`` that parses, None if there is none."""
    folder = backup_dir(path)
    try:
        candidates = sorted((p for p in folder.iterdir() if p.name.startswith(path.name + ".")), reverse=True)
    except OSError:
        return None
    for p in candidates:
        try:
            parse_snapshot(p.read_bytes())
        except (OSError, ValueError):
            continue
        return p
    return None
