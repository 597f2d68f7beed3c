"""Text cells a spreadsheet opens safely: no formula injection, no raw control characters.

The rule (documented in the README's import and export section), applied to every text cell
of a CSV export; numbers are written as numbers and never changed (an amount of -5 is a
number, not a formula):

* **Control characters are made visible**, as the TUI shows them (:func:`kamtui.domain.text.clean`):
  ESC becomes ``^[``, DEL ``^?``, other C0 controls caret notation, C1 controls (0x80-0x9F)
  ``?``, bidi embeddings, overrides and isolates ``␣``. Tabs and line breaks are text a cell
  may hold and stay (a CR or CRLF becomes a plain newline). This is the one lossy step: a
  JSON export keeps every character.
* **Formula starts get a leading single quote** (the OWASP advice for CSV injection): a cell
  whose first character is ``=``, ``+``, ``-``, ``@``, tab or CR, or whose first character after
  leading whitespace (spreadsheets skip it) is one of ``= + - @``, is written as ``'`` + the
  cell. So is a cell that already starts with a quote followed by such a cell, which makes the
  rule reversible: :func:`unquote_formula` gives the original text back, and the CSV importer
  applies it so that a kamtui export imports back unchanged ("'t Hoen" keeps its quote).
"""

from __future__ import annotations

from kamtui.domain.text import clean

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def needs_quote(text: str) -> bool:
    """Whether a spreadsheet could read ``text`` as a formula (or it is a quoted one)."""
    while True:
        if text.startswith(FORMULA_START) or text.lstrip().startswith(FORMULA_START[:4]):
            return True
        if not text.startswith("'"):
            return False
        text = text[1:]


def visible_controls(text: str) -> str:
    """``text`` with each control character (tabs and line breaks aside) made visible."""
    if text.isprintable():
        return text  # fast path: nothing to do
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join("\t".join(clean(part, terminal=False) for part in line.split("\t")) for line in lines)


def csv_text(text: str) -> str:
    """``text`` as a CSV text cell: control characters visible, a formula start quoted."""
    text = visible_controls(text)
    return "'" + text if needs_quote(text) else text


def unquote_formula(cell: str) -> str:
    """The text :func:`csv_text` quoted (without control characters): its leading quote removed."""
    return cell[1:] if cell.startswith("'") and needs_quote(cell[1:]) else cell
