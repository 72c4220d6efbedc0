"""``jobdesc textconv FILE``: the text of a DOCX for ``git diff``."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest
from editions_helpers import copy_project, docx_paragraphs, jd, ok, refused


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("Первый абзац")
    paragraph = document.add_paragraph("Жирный ")
    paragraph.add_run("и курсив").italic = True
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.text = f"я{r}{c}"
    document.add_paragraph("После\tтаблицы")
    path = tmp_path / "sample.docx"
    document.save(path)
    return path


def test_textconv_prints_paragraphs_and_table_rows(sample: Path) -> None:
    result = ok(jd("textconv", sample))
    assert result.stdout == "Первый абзац\nЖирный и курсив\nя00 | я01 | я02\nя10 | я11 | я12\nПосле\tтаблицы\n"
    assert result.stderr == ""


def test_textconv_of_a_built_document(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    ok(jd("-C", root, "build", "kam-manager", "--copies", "1"))
    path = root / "output" / "kam-manager.docx"
    lines = ok(jd("textconv", path)).stdout.splitlines()
    assert "№\u00a0п/п | Ф.И.О. работника | Должность | Дата ознакомления | Подпись" in lines
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in lines
    assert (
        "2.1. Определяет размер скидок (колонки прайс-листа) исходя из правил и нормативов, установленных в организации."
        in lines
    )
    # every body paragraph outside tables is one line, in order
    outside = [line for line in lines if " | " not in line and line.strip()]
    paragraphs = docx_paragraphs(path)
    assert all(line in paragraphs for line in outside)
    positions = [paragraphs.index(line) for line in outside]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    "name, content",
    [
        ("notes.txt", b"just text\n"),
        ("empty.docx", b""),
        ("fake.docx", b"PK\x03\x04 not really a zip"),
    ],
)
def test_textconv_refuses_a_non_docx_file(tmp_path: Path, name: str, content: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    line = refused(jd("textconv", path))
    assert name in line


def test_textconv_refuses_a_zip_without_a_document(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("hello.txt", "hi")
    assert "other.docx" in refused(jd("textconv", path))


def test_textconv_refuses_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.docx"
    assert "missing.docx" in refused(jd("textconv", path))


def test_textconv_prints_a_nested_table_once(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "внешняя"
    inner = table.cell(0, 1).add_table(rows=2, cols=2)
    for r in range(2):
        for c in range(2):
            inner.cell(r, c).text = f"вложенная{r}{c}"
    document.add_paragraph("После")
    path = tmp_path / "nested.docx"
    document.save(path)
    out = ok(jd("textconv", path)).stdout
    assert out.count("внешняя") == 1
    for r in range(2):
        for c in range(2):
            assert out.count(f"вложенная{r}{c}") == 1, out
    assert out.splitlines()[-1] == "После"


def test_textconv_prints_paragraphs_inside_content_controls(tmp_path: Path) -> None:
    """Body-level w:sdt (content controls, common in Word forms and cover pages) hold ordinary paragraphs."""
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.add_paragraph("До")
    paragraph = document.add_paragraph("В элементе управления")
    sdt, content = OxmlElement("w:sdt"), OxmlElement("w:sdtContent")
    paragraph._p.addprevious(sdt)
    sdt.append(content)
    content.append(paragraph._p)
    document.add_paragraph("После")
    path = tmp_path / "sdt.docx"
    document.save(path)
    assert ok(jd("textconv", path)).stdout == "До\nВ элементе управления\nПосле\n"
