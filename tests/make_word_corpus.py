"""Write the documents of ``tests/word_corpus.py`` to ``tests/data/word/`` in their Word shapes.

Run from the repository: ``python tests/make_word_corpus.py`` (the .doc needs LibreOffice). The
files are kept in git; the import tests read them, they do not make them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from word_corpus import CORPUS, Doc  # noqa: E402
from word_samples import W_NS, number, numbered_document, stamp_table, to_bytes  # noqa: E402

OUT = Path(__file__).resolve().parent / "data" / "word"
ORG = "Общество с ограниченной ответственностью «Альфа»"
STAMP_DATE = "«5» февраля 2023 г."
ORDER_LINE = "от 15.01.2024 № 7-к"
ROMAN = ["I", "II", "III", "IV", "V", "VI"]
LETTERS = "абвгдежзиклмн"
RELATIONS = [
    ("Подразделение", "Отдел получает", "Отдел предоставляет"),
    ("Бухгалтерия", "Сведения об оплате счетов поставщиков", "Счета и документы о поступлении материалов"),
    ("Склад", "Сведения об остатках материалов", "Графики поставок"),
]


def restarting_num(document, abstract: int, ident: int) -> int:  # noqa: ANN001
    """A new list instance of ``abstract`` that starts again at 1."""
    document.part.numbering_part.element.append(
        parse_xml(
            f'<w:num xmlns:w="{W_NS}" w:numId="{ident}"><w:abstractNumId w:val="{abstract}"/>'
            f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/></w:lvlOverride></w:num>'
        )
    )
    return ident


def page_field(paragraph) -> None:  # noqa: ANN001
    """«Страница N» with a real PAGE field."""
    paragraph.add_run("Страница ")
    paragraph._p.append(
        parse_xml(f'<w:fldSimple xmlns:w="{W_NS}" w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>')
    )


def write(doc: Doc) -> bytes:
    document = numbered_document()
    if "header" in doc.extras:
        document.sections[0].header.paragraphs[0].text = "ООО «Альфа»"
        page_field(document.sections[0].footer.paragraphs[0])
    word = {"role": "УТВЕРЖДЕНА", "policy": "УТВЕРЖДЕНО"}[doc.kind]
    if doc.title.startswith(("Регламент", "Порядок")):
        word = "УТВЕРЖДЕН"
    if doc.title.startswith("Правила"):
        word = "УТВЕРЖДЕНЫ"
    if doc.stamp == "table":
        stamp_table(
            document, ["УТВЕРЖДАЮ", "Генеральный директор ООО «Альфа»", "____________ П.П. Сидоров", STAMP_DATE], [ORG]
        )
    elif doc.stamp == "paragraphs":
        document.add_paragraph(ORG)
        for text in ("УТВЕРЖДАЮ", "Генеральный директор", "____________ П.П. Сидоров", STAMP_DATE):
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif doc.stamp == "order":
        document.add_paragraph(ORG)
        for text in (word, "приказом генерального директора", ORDER_LINE):
            document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        document.add_paragraph(ORG)
    kind_word = "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ" if doc.kind == "role" else doc.title.split()[0].upper()
    if doc.shape == "roman":
        heading = document.add_paragraph(f"{kind_word} {doc.heading.upper()}")
        heading.runs[0].bold = True
    else:
        document.add_paragraph(kind_word).runs[0].bold = True
        document.add_paragraph(doc.heading)
    document.add_paragraph("г. Москва")
    next_num = 200
    for index, (name, clauses) in enumerate(doc.sections, 1):
        shape = doc.shape
        if shape == "auto":
            paragraph = document.add_paragraph()
            paragraph.add_run(name).bold = True
            number(paragraph, 90, 0)
        elif shape == "roman":
            document.add_paragraph(f"{ROMAN[index - 1]}. {name.upper()}")
        elif shape == "heading":
            document.add_paragraph(f"{index}. {name}", style="Heading 1")
        elif shape == "bold":
            document.add_paragraph().add_run(name).bold = True
        elif shape == "caps":
            document.add_paragraph(name.upper())
        elif shape in ("typed", "paren"):
            document.add_paragraph(f"{index}. {name}")
        num = restarting_num(document, 90, next_num) if shape == "caps" else 0
        next_num += 1
        for position, clause in enumerate(clauses, 1):
            text, subs = (clause, []) if isinstance(clause, str) else clause
            if shape == "auto":
                number(document.add_paragraph(text), 90, 1)
            elif shape == "caps":
                number(document.add_paragraph(text), num, 0)
            elif shape == "bold":
                document.add_paragraph(f"{position}. {text}")
            elif shape == "paren":
                document.add_paragraph(f"{index}.{position}) {text}")
            else:
                document.add_paragraph(f"{index}.{position}. {text}")
            if (
                doc.kind == "role"
                and name == "Общие положения"
                and position == 3
                and "requirements-table" in doc.extras
            ):
                table = document.add_table(rows=3, cols=2)
                for row, cells in enumerate(
                    [
                        ("Требование", "Содержание"),
                        ("Опыт работы", "не менее одного года в планово-экономической службе"),
                        ("Знание программ", "1С:Предприятие, MS Excel"),
                    ]
                ):
                    table.cell(row, 0).text, table.cell(row, 1).text = cells
            for sub_position, sub in enumerate(subs, 1):
                if shape == "auto":
                    number(document.add_paragraph(sub), 90, 2)
                elif shape in ("roman", "caps"):
                    document.add_paragraph(f"– {sub}")
                elif shape == "bold":
                    document.add_paragraph(f"{LETTERS[sub_position - 1]}) {sub}")
                elif shape == "paren":
                    document.add_paragraph(f"{index}.{position}.{sub_position}) {sub}")
                else:
                    document.add_paragraph(f"{index}.{position}.{sub_position}. {sub}")
    if "relations-table" in doc.extras:
        table = document.add_table(rows=3, cols=3)
        for row, cells in enumerate(RELATIONS):
            for column, text in enumerate(cells):
                table.cell(row, column).text = text
    document.add_paragraph("")
    document.add_paragraph("Начальник отдела кадров\t____________ Е.В. Смирнова")
    if doc.kind == "role":
        document.add_paragraph("С инструкцией ознакомлен(а): ____________ «___» ________ 20__ г.")
    if "ack" in doc.extras:
        document.add_page_break()
        document.add_paragraph("ЛИСТ ОЗНАКОМЛЕНИЯ")
        table = document.add_table(rows=6, cols=4)
        for column, text in enumerate(("№ п/п", "Ф.И.О.", "Дата ознакомления", "Подпись")):
            table.cell(0, column).text = text
    return to_bytes(document)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for doc in CORPUS:
        data = write(doc)
        if not doc.file.endswith(".docx"):
            with tempfile.TemporaryDirectory() as work:
                source = Path(work) / (Path(doc.file).stem + ".docx")
                source.write_bytes(data)
                subprocess.run(
                    ["soffice", "--headless", "--convert-to", Path(doc.file).suffix[1:], "--outdir", work, str(source)],
                    check=True,
                    capture_output=True,
                    timeout=180,
                )
                shutil.copy(Path(work) / doc.file, OUT / doc.file)
        else:
            (OUT / doc.file).write_bytes(data)
        print(OUT / doc.file)


if __name__ == "__main__":
    main()
