"""The Spanish catalog, kept with Babel's tools (issue 15).

    python -m tests.i18n_catalog missing [PATH...]   msgids in the code (PATH: files or folders,
                                                      default kamtui/) with no Spanish translation
    python -m tests.i18n_catalog build                compile kamtui.po (and any parts/*.po) to kamtui.mo
    python -m tests.i18n_catalog merge                fold parts/*.po into kamtui.po, sorted, and build

The catalog is ``kamtui/locale/es/LC_MESSAGES/kamtui.po``; ``kamtui.mo`` beside it is what the
app reads, committed, and checked against the ``.po`` by the test suite.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kamtui"
ES = PACKAGE / "locale" / "es"
PO = ES / "LC_MESSAGES" / "kamtui.po"
MO = ES / "LC_MESSAGES" / "kamtui.mo"
PARTS = ES / "parts"

FIXED = dt.datetime(2026, 12, 3, tzinfo=dt.UTC)
Key = str | tuple[str, str]  # a msgid, or (context, msgid) for pgettext


def _key(message: str | tuple[str, ...], context: str | None) -> Key:
    msgid = message if isinstance(message, str) else message[0]
    return (context, msgid) if context else msgid


def extracted(paths: Iterable[Path] = (PACKAGE,)) -> Iterator[tuple[Key, str | tuple[str, ...], Path, int]]:
    """(key, message, file, line) of every string the code marks for the catalog."""
    for path in paths:
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for file in files:
            for lineno, message, _comments, context in extract_from_file(
                "python", str(file), keywords=DEFAULT_KEYWORDS
            ):
                yield _key(message, context), message, file, lineno


def catalog_files() -> list[Path]:
    return [p for p in (PO, *sorted(PARTS.glob("*.po"))) if p.exists()]


def read(path: Path) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale="es", domain="kamtui")


def merged() -> Catalog:
    """Every catalog file in one: the main .po, then each part (a later translation wins)."""
    found: dict[tuple[str | tuple[str, ...], str | None], tuple[str | tuple[str, ...], bool]] = {}
    for path in catalog_files():
        for m in read(path):
            if m.id:
                found[(m.id, m.context)] = (m.string, m.fuzzy)
    out = Catalog(
        locale="es",
        domain="kamtui",
        header_comment="# Spanish for kamtui: python -m tests.i18n_catalog missing | build | merge",
        project="kamtui",
        version="",
        copyright_holder="the kamtui authors",
        msgid_bugs_address="",
        creation_date=FIXED,  # the compiled catalog depends on the translations alone
        revision_date=FIXED,
        last_translator="the kamtui authors",
        language_team="Spanish",
        fuzzy=False,
    )
    for (msgid, context), (string, fuzzy) in found.items():
        out.add(msgid, string, context=context, flags=("fuzzy",) if fuzzy else ())
    return out


def translated(cat: Catalog, key: Key) -> bool:
    msgid, context = (key[1], key[0]) if isinstance(key, tuple) else (key, None)
    m = cat.get(msgid, context)
    if m is None or m.fuzzy:
        return False
    strings = m.string if isinstance(m.string, tuple) else (m.string,)
    return all(strings)


def missing(paths: Iterable[Path] = (PACKAGE,)) -> list[tuple[Key, Path, int]]:
    cat = merged()
    return [(key, file, line) for key, _m, file, line in extracted(paths) if not translated(cat, key)]


def compiled(cat: Catalog | None = None) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, cat if cat is not None else merged(), use_fuzzy=False)
    return buf.getvalue()


def build() -> None:
    tmp = MO.with_suffix(f".{os.getpid()}.tmp")  # whole or not at all: others may be reading it
    tmp.write_bytes(compiled())
    os.replace(tmp, MO)


def merge() -> None:
    cat = merged()
    cat.fuzzy = False
    with PO.open("wb") as fh:
        write_po(fh, cat, width=0, sort_output=True, omit_header=False, no_location=True)
    for part in PARTS.glob("*.po"):
        part.unlink()
    build()


def main(argv: list[str]) -> int:
    command, rest = (argv[0], argv[1:]) if argv else ("missing", [])
    if command == "missing":
        gaps = missing([Path(p) for p in rest] or [PACKAGE])
        for key, file, line in gaps:
            print(f"{file.relative_to(ROOT)}:{line}: {key!r}")
        print(f"{len(gaps)} missing", file=sys.stderr)
        return 1 if gaps else 0
    if command == "build":
        build()
        return 0
    if command == "merge":
        merge()
        return 0
    print(__doc__, file=sys.stderr)
    return 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
