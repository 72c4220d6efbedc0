"""Reading a .docx: the automatic numbers Word shows (numbering.xml), styles, tables, headers and footers."""

from __future__ import annotations

import docx
import pytest
from word_samples import number, numbered_document, to_bytes

from jobdesc.errors import InputRefused
from jobdesc.sources.word import Paragraph, Table, read_docx, to_roman


def _labels(document: docx.Document) -> list[str]:
    return [f"{b.label} {b.text}".strip() for b in read_docx(to_bytes(document)).blocks if isinstance(b, Paragraph)]


def test_multilevel_numbers_restart_below_a_new_higher_number() -> None:
    document = numbered_document()
    for text, level in (("A", 0), ("a1", 1), ("a1x", 2), ("a1y", 2), ("a2", 1), ("B", 0), ("b1", 1), ("b1x", 2)):
        number(document.add_paragraph(text), 90, level)
    assert _labels(document) == ["1. A", "1.1. a1", "а) a1x", "б) a1y", "1.2. a2", "2. B", "2.1. b1", "а) b1x"]


def test_roman_numbers_and_a_list_restarted_by_start_override() -> None:
    from docx.oxml import parse_xml
    from word_samples import W_NS

    document = numbered_document()
    for text in ("Общие положения", "Обязанности"):
        number(document.add_paragraph(text), 91, 0)
    document.part.numbering_part.element.append(
        parse_xml(
            f'<w:num xmlns:w="{W_NS}" w:numId="92"><w:abstractNumId w:val="91"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    number(document.add_paragraph("Снова"), 92, 0)
    assert _labels(document) == ["I. Общие положения", "II. Обязанности", "I. Снова"]


def test_numbering_given_by_a_style_and_bullets() -> None:
    document = docx.Document()
    document.add_paragraph("первый", style="List Number")
    document.add_paragraph("второй", style="List Number")
    document.add_paragraph("пункт", style="List Bullet")
    blocks = read_docx(to_bytes(document)).blocks
    assert [(b.label, b.bullet) for b in blocks if isinstance(b, Paragraph)] == [
        ("1.", False),
        ("2.", False),
        ("•", True),
    ]


def test_headings_bold_tables_and_margins() -> None:
    document = docx.Document()
    document.add_paragraph("Раздел", style="Heading 1")
    document.add_paragraph().add_run("Полужирный").bold = True
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Объединенная"
    table.cell(1, 0).text, table.cell(1, 1).text = "А", "Б"
    document.sections[0].footer.paragraphs[0].text = "Страница"
    read = read_docx(to_bytes(document))
    heading, bold, grid = read.blocks
    assert isinstance(heading, Paragraph) and heading.heading == 1
    assert isinstance(bold, Paragraph) and bold.bold and not bold.heading
    assert isinstance(grid, Table) and grid.rows == (("Объединенная",), ("А", "Б"))
    assert read.margins == ("Страница",)


@pytest.mark.parametrize(("data", "message"), [(b"", "это не документ Word"), (b"%PDF-1.7", "это не документ Word")])
def test_what_is_not_a_docx_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(InputRefused, match=message):
        read_docx(data)


def test_roman() -> None:
    assert [to_roman(n) for n in (1, 4, 9, 14, 40, 1999)] == ["I", "IV", "IX", "XIV", "XL", "MCMXCIX"]


def test_tracked_insertions_and_fields_are_read_and_deletions_left_out() -> None:
    from docx.oxml import parse_xml
    from word_samples import W_NS

    document = docx.Document()
    paragraph = document.add_paragraph("1.1. Ведет ")
    for xml in (
        f'<w:ins xmlns:w="{W_NS}" w:id="1" w:author="HR"><w:r><w:t xml:space="preserve">кассовые </w:t></w:r></w:ins>',
        f'<w:del xmlns:w="{W_NS}" w:id="2" w:author="HR"><w:r><w:delText>старые </w:delText></w:r></w:del>',
        f'<w:hyperlink xmlns:w="{W_NS}"><w:r><w:t xml:space="preserve">операции </w:t></w:r></w:hyperlink>',
        f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:t>№ 5</w:t></w:r></w:fldSimple>',
    ):
        paragraph._p.append(parse_xml(xml))
    (block,) = read_docx(to_bytes(document)).blocks
    assert isinstance(block, Paragraph) and block.text == "1.1. Ведет кассовые операции № 5"


def test_text_boxes_are_read_apart_once() -> None:
    from docx.oxml import parse_xml
    from word_samples import W_NS

    document = docx.Document()
    paragraph = document.add_paragraph("Текст")
    box = "<w:txbxContent><w:p><w:r><w:t>Надпись</w:t></w:r></w:p></w:txbxContent>"
    for _ in range(2):  # DrawingML and its VML fallback
        paragraph._p.append(parse_xml(f'<w:r xmlns:w="{W_NS}"><w:pict>{box}</w:pict></w:r>'))
    read = read_docx(to_bytes(document))
    (block,) = read.blocks
    assert isinstance(block, Paragraph) and block.text == "Текст"
    assert read.boxes == ("Надпись",)
