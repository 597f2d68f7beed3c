"""A CSV file refused as a whole says, in one line naming the file, what is wrong with it: a
column named twice (which, at which positions), a binary file, an encoding it does not hold to;
and it writes nothing, not even an empty database."""

from __future__ import annotations

import codecs
import gzip
from pathlib import Path

import pytest

from kamtui.cli import main
from kamtui.domain.importer import ImportFileError, read_table
from kamtui.domain.importer.match import Existing
from kamtui.domain.importer.plan import plan_text
from kamtui.store import Store

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
TEXT = "Name,Industry\nAcme,Retail\n"

BAD_FILES = [
    pytest.param(
        b"Name,Industry,Name\nAcme,Retail,Foo\n",
        "line 1: column 'Name' appears twice (columns 1 and 3)",
        id="name-twice",
    ),
    pytest.param(
        b"Record ID,Company Name,Industry,Company Name\n1,Acme,Retail,Foo\n",
        "line 1: column 'Company Name' appears twice (columns 2 and 4)",
        id="company-name-twice",
    ),
    pytest.param(
        b"Company Name,Industry,company_name,Company name\nAcme,Retail,Foo,Bar\n",
        "line 1: columns 1 'Company Name', 3 'company_name' and 4 'Company name' are one column to kamtui",
        id="same-key-thrice",
    ),
    pytest.param(PNG, "not a text CSV file (looks binary: a PNG image)", id="png"),
    pytest.param(gzip.compress(TEXT.encode()), "not a text CSV file (looks binary: a gzip-compressed file)", id="gzip"),
    pytest.param(
        b"PK\x03\x04" + bytes(60), "not a text CSV file (looks binary: a zip archive or an Excel workbook", id="xlsx"
    ),
    pytest.param(
        bytes(range(1, 32)) * 8, "not a text CSV file (looks binary: too many control characters)", id="controls"
    ),
    pytest.param(b"Name\nAcme\x00\x01\x02", "not a text CSV file (looks binary: a NUL byte at byte 10)", id="nul"),
    pytest.param(
        TEXT.encode("utf-16-le"),
        "looks like UTF-16LE text without a byte-order mark; save it as UTF-8",
        id="utf16le-no-bom",
    ),
    pytest.param(
        TEXT.encode("utf-16-be"),
        "looks like UTF-16BE text without a byte-order mark; save it as UTF-8",
        id="utf16be-no-bom",
    ),
    pytest.param(
        TEXT.encode("utf-16") + b"\x00",
        "starts with a UTF-16 byte-order mark but is not valid UTF-16 (the file ends in the middle of a character)",
        id="utf16-odd-length",
    ),
    pytest.param(
        codecs.BOM_UTF8 + b"Name\nAc\xffme\n",
        "starts with a UTF-8 byte-order mark but is not valid UTF-8 (at byte 11)",
        id="utf8-bom-not-utf8",
    ),
]


@pytest.mark.parametrize(("data", "why"), BAD_FILES)
def test_the_reader_says_what_is_wrong(data: bytes, why: str) -> None:
    with pytest.raises(ImportFileError) as exc:
        plan_text(data, None, None, Existing())
    assert str(exc.value).startswith(why)


def test_columns_the_import_leaves_alone_may_share_a_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CRM report may name two columns alike (the account's and the deal's "Created Date"): a
    file is refused only when a column kamtui reads is one of them."""
    src = tmp_path / "report.csv"
    src.write_text("Name,Created Date,Industry,created_date\nAcme,2026-01-02,Retail,2026-03-04\n")
    db = tmp_path / "k.json"
    assert main(["import", "--db", str(db), str(src)]) == 0
    capsys.readouterr()
    with Store(db) as s:
        assert [(d["name"], d["industry"]) for _, d in s.all("accounts")] == [("Acme", "Retail")]
    # mapped with --map, the column is read, and its twin makes it ambiguous
    assert main(["import", "--db", str(db), "--map", "Created Date=notes", str(src)]) == 2
    assert "columns 2 'Created Date' and 4 'created_date' are one column to kamtui" in capsys.readouterr().err


@pytest.mark.parametrize(("data", "why"), BAD_FILES)
def test_the_command_line_says_it_in_one_line_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, why: str
) -> None:
    src = tmp_path / "crm export.csv"
    src.write_bytes(data)
    db = tmp_path / "k.json"
    rc = main(["import", "--db", str(db), str(src)])
    out, err = capsys.readouterr()
    assert rc == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith(f"kamtui: {src}: {why}"), err
    assert not db.exists()  # not even an empty database
    Store(db).close()
    before = db.read_bytes()
    assert main(["import", "--db", str(db), str(src)]) == 2
    assert db.read_bytes() == before


def test_text_with_a_byte_order_mark_still_reads() -> None:
    for encoding in ("utf-16", "utf-16-be", "utf-32", "utf-8-sig"):
        data = TEXT.encode(encoding)
        if encoding == "utf-16-be":
            data = codecs.BOM_UTF16_BE + data
        table = read_table(data)
        assert (table.header, table.rows[0].cells) == (["Name", "Industry"], ["Acme", "Retail"]), encoding


def test_unnamed_columns_may_repeat_and_latin_text_is_not_binary() -> None:
    table = read_table(b"Name,,Industry,,\nAcme,,Retail,,\n")
    assert table.header == ["Name", "", "Industry", "", ""]
    table = read_table("Name\nCafé Müller\n".encode("cp1252"))
    assert table.rows[0].cells == ["Café Müller"] and table.encoding == "Windows-1252"


def test_a_good_file_still_creates_the_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "a.csv"
    src.write_text(TEXT)
    db = tmp_path / "k.json"
    assert main(["import", "--db", str(db), str(src)]) == 0
    assert capsys.readouterr().out == "a.csv: 1 created, 0 updated, 0 unchanged, 0 skipped\n"
    with Store(db) as s:
        assert [d["name"] for _, d in s.all("accounts")] == ["Acme"]
