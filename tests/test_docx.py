"""The built DOCX: approval block, copies as sections, page numbers, margins, tables, styles."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import docx
import pytest
from helpers import (
    ACK_HEADER,
    ACK_TITLE,
    COPY_MARK_1,
    COPY_MARK_2,
    NS,
    PACKAGE_TEMPLATES,
    SHIPPED_ROLES,
    W,
    build_into,
    copy_project,
    files_in,
)
from lxml import etree

NBSP = "\u00a0"


def xml(path: Path, part: str = "word/document.xml") -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read(part))


def text_of(element: etree._Element) -> str:
    return "".join(t.text or "" if t.tag == f"{W}t" else "-" for t in element.iter(f"{W}t", f"{W}noBreakHyphen"))


def style_of(p: etree._Element) -> str | None:
    style = p.find("w:pPr/w:pStyle", NS)
    return None if style is None else style.get(f"{W}val")


def body_blocks(path: Path) -> list[tuple[int, etree._Element]]:
    """(section index, element) for each paragraph and table of the body, in order."""
    body = xml(path).find("w:body", NS)
    result = []
    section = 0
    for child in body:
        if child.tag in (f"{W}p", f"{W}tbl"):
            result.append((section, child))
            if child.tag == f"{W}p" and child.find("w:pPr/w:sectPr", NS) is not None:
                section += 1
    return result


def paragraphs(path: Path) -> list[tuple[int, etree._Element]]:
    """(section index, w:p) for every paragraph, tables' included, in order."""
    result = []
    for section, block in body_blocks(path):
        if block.tag == f"{W}p":
            result.append((section, block))
        else:
            result.extend((section, p) for p in block.iter(f"{W}p"))
    return result


def sect_prs(path: Path) -> list[etree._Element]:
    body = xml(path).find("w:body", NS)
    return list(body.iter(f"{W}sectPr"))


def styles_xml() -> etree._Element:
    return xml(PACKAGE_TEMPLATES / "styles.docx", "word/styles.xml")


def style_ids(root: etree._Element) -> set[str]:
    return {s.get(f"{W}styleId") for s in root.iter(f"{W}style")}


@pytest.fixture(scope="module", params=SHIPPED_ROLES)
def built_docx(request: pytest.FixtureRequest, built: Path) -> Path:
    return built / f"{request.param}.docx"


def test_build_writes_one_file_per_document(built: Path) -> None:
    assert files_in(built) == sorted([f"{role}.docx" for role in SHIPPED_ROLES] + ["kam-department.docx"])


def test_approval_block_on_page_one_in_a_table(built_docx: Path) -> None:
    blocks = body_blocks(built_docx)
    first_section_heading = next(
        i for i, (_, b) in enumerate(blocks) if b.tag == f"{W}p" and style_of(b) == "JDSection"
    )
    tables = [(i, b) for i, (_, b) in enumerate(blocks[:first_section_heading]) if b.tag == f"{W}tbl"]
    assert len(tables) == 1, "the requisites and the approval stamp share one borderless table"
    _, table = tables[0]
    cells = table.findall("w:tr/w:tc", NS)
    assert len(cells) == 2
    left = [text_of(p) for p in cells[0].iter(f"{W}p")]
    right = [text_of(p) for p in cells[1].iter(f"{W}p")]
    assert left[:2] == ["Общество с ограниченной ответственностью «Северный ветер»", "(ООО «Северный ветер»)"], left
    assert "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ" in left
    assert "г.\u00a0Москва" in left, "«г.» stays with the city"
    assert right[0] == "УТВЕРЖДАЮ"
    assert right[1] == "Генеральный директор ООО\u00a0«Северный\u00a0ветер»", (
        "the organisation name never breaks across lines"
    )
    assert right[2].endswith(f"А.П.{NBSP}Воронцов")
    assert re.fullmatch(r"\d{1,2}\u00a0[а-я]+\u00a0\d{4}\u00a0г\.", right[3]), right[3]
    # no page break, section break or heading before it: page 1
    for _, block in blocks[: tables[0][0]]:
        assert block.find(".//w:br[@w:type='page']", NS) is None
        assert block.find("w:pPr/w:sectPr", NS) is None
        assert style_of(block) == "JDCopyMark"


def test_title_in_the_genitive_after_the_approval_block(built: Path) -> None:
    titles = [text_of(p) for _, p in paragraphs(built / "kam-manager.docx") if style_of(p) == "JDTitle"]
    assert titles[0] == "менеджера по работе с ключевыми клиентами"


def test_copy_marks_in_order_in_different_sections(built_docx: Path) -> None:
    marks = [(section, text_of(p)) for section, p in paragraphs(built_docx) if text_of(p).startswith("Экземпляр №")]
    assert marks == [(0, COPY_MARK_1), (1, COPY_MARK_2)]


def test_two_sections_each_restarting_page_numbers(built_docx: Path) -> None:
    sections = sect_prs(built_docx)
    assert len(sections) == 2
    body = xml(built_docx).find("w:body", NS)
    assert body[-1].tag == f"{W}sectPr", "the last section's properties close the body"
    for sect_pr in sections:
        kind = sect_pr.find("w:type", NS)
        assert kind is None or kind.get(f"{W}val") == "nextPage"
        assert sect_pr.find("w:titlePg", NS) is not None
        numbering = sect_pr.find("w:pgNumType", NS)
        assert numbering is not None and numbering.get(f"{W}start") == "1"


def test_page_size_and_margins(built_docx: Path) -> None:
    template = xml(PACKAGE_TEMPLATES / "styles.docx").find("w:body/w:sectPr", NS)
    for sect_pr in sect_prs(built_docx):
        size = sect_pr.find("w:pgSz", NS)
        assert (size.get(f"{W}w"), size.get(f"{W}h")) == ("11906", "16838")
        margins = sect_pr.find("w:pgMar", NS)
        got = {side: margins.get(f"{W}{side}") for side in ("left", "right", "top", "bottom")}
        assert got == {"left": "1134", "right": "567", "top": "1134", "bottom": "1134"}
        shipped = template.find("w:pgMar", NS)
        assert got == {side: shipped.get(f"{W}{side}") for side in got}, "margins come from styles.docx"


def _has_page_field(part: etree._Element) -> bool:
    simple = any("PAGE" in (f.get(f"{W}instr") or "").split() for f in part.iter(f"{W}fldSimple"))
    complex_ = any("PAGE" in (t.text or "").split() for t in part.iter(f"{W}instrText"))
    return simple or complex_


def test_page_numbers_in_the_header_from_page_two(built_docx: Path) -> None:
    document = docx.Document(str(built_docx))
    assert len(document.sections) == 2
    for section in document.sections:
        assert section.different_first_page_header_footer
        header = (
            section.header._element
            if not section.header.is_linked_to_previous
            else document.sections[0].header._element
        )
        first = (
            section.first_page_header._element
            if not section.first_page_header.is_linked_to_previous
            else document.sections[0].first_page_header._element
        )
        assert _has_page_field(header), "page numbers on every page but the first"
        assert not _has_page_field(first), "no page number on the first page of a copy"
        page_paragraph = next(p for p in header.iter(f"{W}p") if _has_page_field(p))
        style = page_paragraph.find("w:pPr/w:pStyle", NS)
        jc = page_paragraph.find("w:pPr/w:jc", NS)
        centred = (jc is not None and jc.get(f"{W}val") == "center") or (
            style is not None and _style_alignment(style.get(f"{W}val")) == "center"
        )
        assert centred, "the page number is centred"


def _style_alignment(style_id: str) -> str | None:
    for style in styles_xml().iter(f"{W}style"):
        if style.get(f"{W}styleId") == style_id:
            jc = style.find("w:pPr/w:jc", NS)
            return None if jc is None else jc.get(f"{W}val")
    return None


def test_header_part_has_a_page_field(built_docx: Path) -> None:
    with zipfile.ZipFile(built_docx) as package:
        headers = [
            etree.fromstring(package.read(n)) for n in package.namelist() if re.fullmatch(r"word/header\d*\.xml", n)
        ]
    assert any(_has_page_field(h) for h in headers)


def acknowledgment_tables(path: Path) -> list[tuple[int, etree._Element]]:
    found = []
    for section, block in body_blocks(path):
        if block.tag != f"{W}tbl":
            continue
        first_row = block.find("w:tr", NS)
        if tuple(text_of(tc) for tc in first_row.findall("w:tc", NS))[:5] == ACK_HEADER:  # copy 1: and the receipt
            found.append((section, block))
    return found


def test_two_acknowledgment_tables(built_docx: Path) -> None:
    tables = acknowledgment_tables(built_docx)
    assert [section for section, _ in tables] == [0, 1]
    for _, table in tables:
        rows = table.findall("w:tr", NS)
        assert rows[0].find("w:trPr/w:tblHeader", NS) is not None, "the header row repeats on every page"
        assert all(row.find("w:trPr/w:tblHeader", NS) is None for row in rows[1:])
        assert len(rows) == 1 + 10  # acknowledgment_rows in jobdesc.yaml
        assert [text_of(row.find("w:tc", NS)) for row in rows[1:]] == [str(n) for n in range(1, 11)]


def test_acknowledgment_sheet_starts_a_new_page(built_docx: Path) -> None:
    sheets = [(section, p) for section, p in paragraphs(built_docx) if text_of(p) == ACK_TITLE]
    assert [section for section, _ in sheets] == [0, 1]
    for _, p in sheets:
        before = p.find("w:pPr/w:pageBreakBefore", NS)
        previous = p.getprevious()
        breaks = before is not None and before.get(f"{W}val") in (None, "1", "true", "on")
        breaks = breaks or (previous is not None and previous.find(".//w:br[@w:type='page']", NS) is not None)
        assert breaks


def test_paragraph_styles(built_docx: Path) -> None:
    known = style_ids(etree.fromstring(zipfile.ZipFile(built_docx).read("word/styles.xml")))
    used = {}
    for _, p in paragraphs(built_docx):
        style = style_of(p)
        if p.find("w:pPr/w:sectPr", NS) is not None and not text_of(p):
            continue  # the empty paragraph that carries a section break
        assert style is not None and style.startswith("JD"), (style, text_of(p))
        assert style in known
        used.setdefault(style, []).append(text_of(p))
    assert {
        "JDTitle",
        "JDSection",
        "JDClause",
        "JDSubclause",
        "JDBody",
        "JDRequisite",
        "JDApproval",
        "JDCopyMark",
        "JDTableText",
        "JDCenter",
        "JDSignature",
    } <= set(used)
    for _, p in paragraphs(built_docx):
        text = text_of(p)
        if re.match(r"\d+\.\d+\.\d+\. ", text):
            assert style_of(p) == "JDSubclause", text
        elif re.match(r"\d+\.\d+\. ", text):
            assert style_of(p) == "JDClause", text
        elif re.match(r"\d+\. \D", text):
            assert style_of(p) == "JDSection", text
    assert "1. Общие положения" in used["JDSection"]


def test_styles_exist_in_the_styles_file() -> None:
    from jobdesc.render.docx_writer import STYLE_IDS

    assert set(STYLE_IDS.values()) <= style_ids(styles_xml())


def test_body_text_is_justified_with_a_first_line_indent() -> None:
    root = styles_xml()
    by_id = {s.get(f"{W}styleId"): s for s in root.iter(f"{W}style")}

    def resolved(style_id: str, tag: str, attr: str) -> str | None:
        while style_id:
            node = by_id[style_id].find(f"w:pPr/w:{tag}", NS)
            if node is not None and node.get(f"{W}{attr}") is not None:
                return node.get(f"{W}{attr}")
            based = by_id[style_id].find("w:basedOn", NS)
            style_id = None if based is None else based.get(f"{W}val")
        return None

    for style_id in ("Normal", "JDClause"):
        assert resolved(style_id, "jc", "val") == "both", style_id
        assert resolved(style_id, "ind", "firstLine") == "709", style_id  # 1.25 cm


def test_document_properties(built: Path) -> None:
    properties = docx.Document(str(built / "kam-manager.docx")).core_properties
    assert properties.title == "Должностная инструкция менеджера по работе с ключевыми клиентами"
    assert properties.author == "ООО «Северный ветер»"
    assert properties.keywords == "ДИ-014"


@pytest.fixture(scope="module")
def one_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("one-copy")
    out = base / "out"
    build_into(copy_project(base / "project"), out, "--copies", "1", "kam-manager")
    return out


def assert_numbered_pages(path: Path) -> None:
    """Every section of the file has its own header with the page number (none on its first page)."""
    for section in docx.Document(str(path)).sections:
        assert not section.header.is_linked_to_previous, "the section references its header"
        assert _has_page_field(section.header._element)
        assert not _has_page_field(section.first_page_header._element)


def test_every_copy_references_its_page_numbers(built_docx: Path) -> None:
    assert_numbered_pages(built_docx)


def test_one_copy(one_copy: Path) -> None:
    path = one_copy / "kam-manager.docx"
    assert_numbered_pages(path)
    assert files_in(one_copy) == ["kam-manager.docx"]
    assert len(sect_prs(path)) == 1
    assert len(acknowledgment_tables(path)) == 1
    marks = [text_of(p) for _, p in paragraphs(path) if text_of(p).startswith("Экземпляр №")]
    assert marks == [COPY_MARK_1]


@pytest.fixture(scope="module")
def split_copies(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    base = tmp_path_factory.mktemp("split")
    out = base / "out"
    result = build_into(copy_project(base / "project"), out, "--split-copies", "kam-manager")
    return out, result.stdout.splitlines()


def test_split_copies(split_copies: tuple[Path, list[str]]) -> None:
    out, printed = split_copies
    assert files_in(out) == ["kam-manager.copy1.docx", "kam-manager.copy2.docx"]
    assert sorted(Path(line).name for line in printed) == files_in(out)
    for number, mark in ((1, COPY_MARK_1), (2, COPY_MARK_2)):
        path = out / f"kam-manager.copy{number}.docx"
        assert_numbered_pages(path)
        assert len(sect_prs(path)) == 1
        assert len(acknowledgment_tables(path)) == 1
        marks = [text_of(p) for _, p in paragraphs(path) if text_of(p).startswith("Экземпляр №")]
        assert marks == [mark]
        sect_pr = sect_prs(path)[0]
        assert sect_pr.find("w:titlePg", NS) is not None
        assert sect_pr.find("w:pgNumType", NS).get(f"{W}start") == "1"
