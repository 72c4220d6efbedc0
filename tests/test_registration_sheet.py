"""The «Лист регистрации изменений» of the shipped reference copy, as laid out in the DOCX."""

from __future__ import annotations

import re
from pathlib import Path

from helpers import W, build_into, copy_project, docx_part
from lxml import etree

BOLD_12PT_LETTER_TWIPS = 120  # the narrowest a bold 12 pt Cyrillic letter is, on average
CELL_MARGINS_TWIPS = 216  # Word's default left and right cell margins


def _registration_table(docx: Path) -> etree._Element:
    tree = etree.fromstring(docx_part(docx, "word/document.xml"))
    for table in tree.iter(f"{W}tbl"):
        first = "".join(table.find(f"{W}tr").itertext())
        if first.startswith("№\u00a0изменения"):
            return table
    raise AssertionError("no registration sheet in the document")


def test_no_header_word_of_the_registration_sheet_is_broken(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", editions="all")
    build_into(project, project / "output")
    table = _registration_table(project / "output" / "kam-manager.docx")
    widths = [int(col.get(f"{W}w")) for col in table.iter(f"{W}gridCol")]
    header = ["".join(cell.itertext()) for cell in table.find(f"{W}tr").iter(f"{W}tc")]
    assert len(widths) == len(header) == 6
    for width, text in zip(widths, header):
        longest = max(len(word) for word in re.split(r"[ \t\n]+", text))
        assert width >= longest * BOLD_12PT_LETTER_TWIPS + CELL_MARGINS_TWIPS, (text, width)
