"""Reading a CRM export: its encoding, delimiter and rows, each with the line it starts on.

:func:`read_table` decodes the bytes (UTF-8 with or without a byte-order mark, UTF-16 or UTF-32
with one, else Windows-1252; a binary file, or UTF-16 without a mark, is refused saying so),
picks the delimiter (an Excel ``sep=;`` line, else whichever of ``, ; TAB |`` the header line
holds most of, outside quotes), and parses the rows, keeping the physical line each record
starts on: quoted newlines span lines, and empty rows (blank lines, or only empty cells) are
skipped without shifting later line numbers. :func:`repeated_column` says what is wrong when a
column the import reads shares its name with another (checked once the columns are mapped).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from kamtui.domain.errors import ImportFileError
from kamtui.domain.importer.columns import column_key
from kamtui.i18n import N_, _


@dataclass(slots=True)
class Row:
    line: int  # the physical line the record starts on, 1-based, the header being line 1 or later
    cells: list[str]


@dataclass(slots=True)
class Table:
    header: list[str]
    rows: list[Row]
    delimiter: str
    encoding: str
    header_line: int = 1
    skipped_empty: int = 0


DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}


# Files that are not text, by their first bytes: what each is, for the message.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF8", N_("a GIF image")),
    (b"%PDF-", N_("a PDF document")),
    (b"\x1f\x8b", N_("a gzip-compressed file")),
    (b"PK\x03\x04", N_("a zip archive or an Excel workbook; save it from Excel as CSV")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", N_("an old Excel or Office document; save it as CSV")),
    (b"SQLite format 3\x00", N_("an SQLite database")),
    (b"\x7fELF", N_("a program")),
)
_SAMPLE = 8192  # the bytes looked at to tell text from binary
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\v\x1a")  # control bytes a text file may hold (\x1a: DOS end of file)


def _utf16_without_bom(sample: bytes) -> str | None:
    """ "UTF-16LE" or "UTF-16BE" if ``sample`` reads as mostly-ASCII UTF-16 without a byte-order mark."""
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even, odd = sample[0 : 2 * pairs : 2], sample[1 : 2 * pairs : 2]
    if odd.count(0) >= 0.9 * pairs and even.count(0) < 0.1 * pairs:
        return "UTF-16LE"
    if even.count(0) >= 0.9 * pairs and odd.count(0) < 0.1 * pairs:
        return "UTF-16BE"
    return None


def _not_text(data: bytes) -> str | None:
    """Why ``data`` (without a byte-order mark) is not a text file, or None if it may be one."""
    for magic, what in _SIGNATURES:
        if data.startswith(magic):
            return _("not a text CSV file (looks binary: {what})").format(what=_(what))
    sample = data[:_SAMPLE]
    if (utf16 := _utf16_without_bom(sample)) is not None:
        return _(
            "looks like {encoding} text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)"
        ).format(encoding=utf16)
    if 0 in sample:
        return _("not a text CSV file (looks binary: a NUL byte at byte {n})").format(n=sample.index(0) + 1)
    controls = sum(1 for b in sample if b < 0x20 and b not in _TEXT_CONTROLS)
    if controls * 10 > len(sample):
        return _("not a text CSV file (looks binary: too many control characters)")
    return None


def _decode_with_bom(data: bytes, bom: bytes, codec: str, name: str) -> str:
    try:
        return data[len(bom) :].decode(codec)
    except UnicodeDecodeError as exc:
        at = exc.start + len(bom) + 1
        if exc.reason == "truncated data":
            why = _("the file ends in the middle of a character")
        else:
            why = _("at byte {n}").format(n=at)
        raise ImportFileError(
            _("starts with a {name} byte-order mark but is not valid {name} ({why}); save it again as UTF-8").format(
                name=name, why=why
            )
        ) from None


def decode(data: bytes) -> tuple[str, str]:
    """The text and a description of its encoding. Raises ImportFileError for a file that is not
    text (an image, an archive, a workbook) or not in the encoding its byte-order mark names."""
    if data.startswith(codecs.BOM_UTF8):
        return _decode_with_bom(data, codecs.BOM_UTF8, "utf-8", "UTF-8"), "UTF-8 with BOM"
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be")):
        if data.startswith(bom):  # before UTF-16: UTF-32LE's mark starts with UTF-16LE's
            return _decode_with_bom(data, bom, codec, "UTF-32"), "UTF-32"
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _decode_with_bom(data, bom, codec, "UTF-16"), "UTF-16"
    if (why := _not_text(data)) is not None:
        raise ImportFileError(why)
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


def _times(n: int) -> str:
    if n == 2:
        return _("twice")
    if n == 3:
        return _("three times")
    return _("{n} times").format(n=n)


def _and(items: list[str]) -> str:
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def repeated_column(header: Sequence[str], used: Collection[int]) -> str | None:
    """What is wrong if a column the import reads (``used``: their indexes) shares its name with
    another (as the import reads names: case, spaces and punctuation ignored), or None. Neither
    kamtui nor ``--map`` could tell such columns apart. Columns the import leaves alone may share
    a name (a CRM report's two "Created Date", of the account and of the deal)."""
    seen: dict[str, list[int]] = {}
    for i, name in enumerate(header):
        if key := column_key(name):  # unnamed columns are ignored, however many
            seen.setdefault(key, []).append(i)
    for at in seen.values():
        if len(at) > 1 and any(i in used for i in at):
            names = [header[i] for i in at]
            places = _and([str(i + 1) for i in at])
            if len(set(names)) == 1:
                return _("column {name} appears {times} (columns {places}); rename or remove all but one").format(
                    name=repr(names[0]), times=_times(len(at)), places=places
                )
            spelt = _and([f"{i + 1} {header[i]!r}" for i in at])
            return _(
                "columns {columns} are one column to kamtui (case, spaces and punctuation ignored); "
                "rename or remove all but one"
            ).format(columns=spelt)
    return None


def _count_outside_quotes(line: str, ch: str) -> int:
    n, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            n += 1
    return n


def sniff_delimiter(header_line: str) -> str:
    """The delimiter the header line holds most of (outside quotes); a comma on a tie or none."""
    counts = {d: _count_outside_quotes(header_line, d) for d in DELIMITER_NAMES}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > counts[","] else ","


_SEP_LINE = re.compile(r"sep=(.)\s*", re.IGNORECASE)


def read_table(data: bytes | str) -> Table:
    """Parse CSV bytes (or text) into a header and non-empty rows with their line numbers."""
    if isinstance(data, str):
        text, encoding = data.removeprefix("\ufeff"), "text"
    else:
        text, encoding = decode(data)
    text = text.removeprefix("\ufeff")
    lines = text.splitlines()
    first = 0
    while first < len(lines) and not lines[first].strip():
        first += 1
    if first == len(lines):
        raise ImportFileError(_("the file is empty"))
    m = _SEP_LINE.fullmatch(lines[first])
    if m:  # Excel's "sep=;" hint line
        delimiter = m.group(1)
        # Drop the hint line but keep line numbers: replace it with an empty line.
        head, _hint, rest = text.partition(lines[first])
        text = head + rest
    else:
        delimiter = sniff_delimiter(lines[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header: list[str] | None = None
    header_line = 1
    rows: list[Row] = []
    skipped = 0
    last = 0
    try:
        for cells in reader:
            start = last + 1
            last = reader.line_num
            if not any(c.strip() for c in cells):
                if header is not None:
                    skipped += 1
                continue
            if header is None:
                header = [c.strip().removeprefix("\ufeff").strip() for c in cells]
                header_line = start
                continue
            rows.append(Row(start, cells))
    except csv.Error as exc:
        raise ImportFileError(_("line {n}: not valid CSV ({why})").format(n=last + 1, why=exc)) from None
    if header is None:
        raise ImportFileError(_("the file has no header row"))
    return Table(header, rows, delimiter, encoding, header_line, skipped)
