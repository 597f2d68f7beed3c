"""Reading a CRM export: its encoding, delimiter and rows, each with the line it starts on.

:func:`read_table` decodes the bytes (UTF-8 with or without a byte-order mark, UTF-16 with one,
else Windows-1252), picks the delimiter (an Excel ``sep=;`` line, else whichever of
``, ; TAB |`` the header line holds most of, outside quotes), and parses the rows, keeping the
physical line each record starts on: quoted newlines span lines, and empty rows (blank lines,
or only empty cells) are skipped without shifting later line numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass

from kamtui.domain.errors import ImportFileError


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


def decode(data: bytes) -> tuple[str, str]:
    """The text and a description of its encoding."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict"), "UTF-8 with BOM"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


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
        raise ImportFileError("the file is empty")
    m = _SEP_LINE.fullmatch(lines[first])
    if m:  # Excel's "sep=;" hint line
        delimiter = m.group(1)
        # Drop the hint line but keep line numbers: replace it with an empty line.
        head, _, rest = text.partition(lines[first])
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
        raise ImportFileError(f"line {last + 1}: not valid CSV ({exc})") from None
    if header is None:
        raise ImportFileError("the file has no header row")
    return Table(header, rows, delimiter, encoding, header_line, skipped)
