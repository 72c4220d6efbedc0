"""Word documents made for the import tests: automatic multilevel numbering, typed numbers, Roman
sections, a stamp in a borderless table, a requirements table, headers and footers."""

from __future__ import annotations

import io

import docx
from docx.oxml import parse_xml

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# one abstract list: 1. / 1.1. / а)
MULTILEVEL = f"""<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="90">
  <w:multiLevelType w:val="multilevel"/>
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="russianLower"/><w:lvlText w:val="%3)"/></w:lvl>
</w:abstractNum>"""
ROMAN = f"""<w:abstractNum xmlns:w="{W_NS}" w:abstractNumId="91">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl>
</w:abstractNum>"""


def numbered_document() -> docx.Document:
    """An empty document whose numbering part has the lists 90 (numId 90) and 91 (numId 91)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    for xml, ident in ((MULTILEVEL, 90), (ROMAN, 91)):
        numbering.insert(0, parse_xml(xml))
        numbering.append(
            parse_xml(f'<w:num xmlns:w="{W_NS}" w:numId="{ident}"><w:abstractNumId w:val="{ident}"/></w:num>')
        )
    return document


def number(paragraph, num_id: int, level: int) -> None:  # noqa: ANN001 - docx paragraph
    """Give ``paragraph`` the automatic number of list ``num_id`` at ``level``."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:numPr xmlns:w="{W_NS}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def stamp_table(document, lines: list[str], left: list[str] | None = None) -> None:  # noqa: ANN001
    """The «УТВЕРЖДАЮ» block in the right cell of a borderless two-cell table."""
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "\n".join(left or [])
    table.cell(0, 1).text = "\n".join(lines)


def to_bytes(document) -> bytes:  # noqa: ANN001
    stream = io.BytesIO()
    document.save(stream)
    return stream.getvalue()
