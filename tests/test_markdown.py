"""The Markdown reader (template output → document model) and :func:`escape` of data text.

The reader numbers sections («1.») and clauses («1.1.», «1.1.1.») itself; data from role files
goes through ``escape`` and must come out literally in the model and in the built DOCX.
"""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import pytest
from helpers import NS, build_into, copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from jobdesc.documents.compose import render_document
from jobdesc.project.loader import load_project
from jobdesc.render.document import Box, Clause, Heading, ListItem, PageBreak, Paragraph, Table, plain
from jobdesc.render.markdown import MarkdownError, escape, parse


def kinds(document) -> list[str]:  # noqa: ANN001
    return [type(block).__name__ for block in document.blocks]


def numbered(document) -> list[tuple[str, str]]:  # noqa: ANN001
    """(number, text) of every heading and clause."""
    return [
        (block.number or "", plain(block.runs)) for block in document.blocks if isinstance(block, (Heading, Clause))
    ]


SOURCE = """\
# Заголовок

1. До разделов

## Первый

1. Пункт а
1. Пункт б
   1. Подпункт б1
   1. Подпункт б2
      1. Подподпункт
   1. Подпункт б3
1. Пункт в

Абзац между пунктами.

1. Пункт г
   1. Подпункт г1

- Тире

## Второй

1. Пункт д
   1. Подпункт д1
"""


def test_sections_and_clauses_are_numbered() -> None:
    document = parse(SOURCE)

    assert numbered(document) == [
        ("", "Заголовок"),
        ("1.", "До разделов"),
        ("1.", "Первый"),
        ("1.1.", "Пункт а"),
        ("1.2.", "Пункт б"),
        ("1.2.1.", "Подпункт б1"),
        ("1.2.2.", "Подпункт б2"),
        ("1.2.2.1.", "Подподпункт"),
        ("1.2.3.", "Подпункт б3"),
        ("1.3.", "Пункт в"),
        ("1.4.", "Пункт г"),  # continues after the paragraph
        ("1.4.1.", "Подпункт г1"),  # sub-clauses restart under each clause
        ("2.", "Второй"),
        ("2.1.", "Пункт д"),  # restarts in each section
        ("2.1.1.", "Подпункт д1"),
    ]


def test_heading_levels_and_clause_depths() -> None:
    document = parse(SOURCE)
    headings = [(b.level, b.text) for b in document.blocks if isinstance(b, Heading)]
    assert headings == [(1, "Заголовок"), (2, "1. Первый"), (2, "2. Второй")]
    depths = {b.number: b.depth for b in document.clauses()}
    assert depths["1.1."] == 1
    assert depths["1.2.1."] == 2
    assert depths["1.2.2.1."] == 3


def test_paragraphs_and_dashes() -> None:
    document = parse(SOURCE)
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert paragraphs == ["Абзац между пунктами."]
    items = [b for b in document.blocks if isinstance(b, ListItem)]
    assert [(b.text, b.depth) for b in items] == [("– Тире", 1)]


def test_numbers_written_by_the_author_are_ignored() -> None:
    document = parse("## Р\n\n5. а\n7. б\n\n   3. в\n")
    assert [c.number for c in document.clauses()] == ["1.1.", "1.2.", "1.2.1."]


def test_second_paragraph_of_an_item_is_not_a_clause() -> None:
    document = parse("## Р\n\n1. Первый\n\n   Продолжение.\n1. Второй\n")
    assert [(type(b).__name__, b.text) for b in document.blocks[1:]] == [
        ("Clause", "1.1. Первый"),
        ("Paragraph", "Продолжение."),
        ("Clause", "1.2. Второй"),
    ]


def test_a_paragraph_after_a_table_inside_an_item_is_not_a_clause() -> None:
    """«Изменения» give a table inside an item and close the quote after it: «».» stays a
    paragraph of that item, and the next item is numbered on."""
    blocks = parse(
        "1. Таблицу раздела 7 изложить:\n\n   | А | Б |\n   |---|---|\n   | 1 | 2 |\n\n   ».\n1. Далее.\n"
    ).blocks
    kinds = [type(block).__name__ for block in blocks]
    assert kinds == ["Clause", "Table", "Paragraph", "Clause"], kinds
    assert plain(blocks[2].runs) == "»." and blocks[3].number == "2."


def test_dashes_inside_a_clause() -> None:
    document = parse("## Р\n\n1. Пункт:\n   - раз\n   - два\n1. Следующий\n")
    assert [b.text for b in document.blocks[1:]] == ["1.1. Пункт:", "– раз", "– два", "1.2. Следующий"]
    assert [b.depth for b in document.blocks if isinstance(b, ListItem)] == [2, 2]


@pytest.mark.parametrize("kind", ["copy-mark", "requisites", "approval", "signature", "center"])
def test_boxes(kind: str) -> None:
    document = parse(f"::: {kind}\nПервая строка\n**Вторая**\n\nТретья\n:::\n")
    assert kinds(document) == ["Box"]
    box = document.blocks[0]
    assert box.kind == kind
    assert [plain(line) for line in box.lines] == ["Первая строка", "Вторая", "", "Третья"], (
        "lines of a paragraph follow each other; paragraphs are set apart by an empty line"
    )
    assert box.lines[1][0].bold


def test_unknown_box_kind_is_not_a_box() -> None:
    document = parse("::: sidebar\nтекст\n:::\n")
    assert not any(isinstance(b, Box) for b in document.blocks)


def test_table() -> None:
    document = parse("| № | Ф.И.О. |\n|---|---|\n| 1 |  |\n| 2 | Иванов |\n")
    assert kinds(document) == ["Table"]
    table = document.blocks[0]
    assert table.header_rows == 1
    assert [[plain(cell) for cell in row] for row in table.rows] == [["№", "Ф.И.О."], ["1", ""], ["2", "Иванов"]]
    assert table.text == "| № | Ф.И.О. |\n| 1 |  |\n| 2 | Иванов |"


def test_page_break() -> None:
    document = parse("## Р\n\n1. а\n\n---\n\n# Лист\n")
    assert kinds(document) == ["Heading", "Clause", "PageBreak", "Heading"]
    assert isinstance(document.blocks[2], PageBreak)


def test_bold_and_italic_runs() -> None:
    document = parse("Обычный **жирный** и *курсив*.\n")
    runs = document.blocks[0].runs
    assert [(r.text, r.bold, r.italic) for r in runs] == [
        ("Обычный ", False, False),
        ("жирный", True, False),
        (" и ", False, False),
        ("курсив", False, True),
        (".", False, False),
    ]


@pytest.mark.parametrize(
    ("source", "words"),
    [("> цитата\n", "цитата"), ("    код\n", "код"), ("```\nкод\n```\n", "код"), ("<div>x</div>\n", "x")],
)
def test_markup_the_model_lacks_is_an_error_or_plain_text(source: str, words: str) -> None:
    """Quotes, code and HTML blocks are refused or read as text, never silently dropped."""
    try:
        document = parse(source)
    except MarkdownError:
        return
    assert words in document.text()
    assert all(isinstance(block, Paragraph) for block in document.blocks)


def test_document_text_one_block_per_line() -> None:
    document = parse("# Т\n\n## Р\n\n1. а\n   1. б\n")
    assert document.text() == "Т\n1. Р\n1.1. а\n1.1.1. б\n"


# --- escape: data is literal text -------------------------------------------------------------

LITERALS = [
    "*звезда*",
    "_x_",
    "# решетка",
    "<b>жирный</b>",
    "{{ var }}",
    "&amp;",
    "[ссылка](http://x)",
    "1. пункт",
    "- тире",
    "**двойные**",
    "`код`",
    "> цитата",
    "+ плюс",
    "1) скобка",
    "a | b",
    "\\обратная\\",
    "&#x41; и &nbsp;",
    "<http://x.ru>",
    "::: approval",
    "---",
    "~~~",
    "| № | столбец |",
    "!",
]


@pytest.mark.parametrize("text", LITERALS)
def test_escape_makes_text_literal_in_the_model(text: str) -> None:
    document = parse(f"## Р\n\n1. {escape(text)}\n1. В середине: {escape(text)} — конец\n")
    assert [c.text for c in document.clauses()] == [f"1.1. {text}", f"1.2. В середине: {text} — конец"]
    assert all(not run.bold and not run.italic for c in document.clauses() for run in c.runs)


@pytest.mark.parametrize("text", LITERALS)
def test_escape_in_a_table_cell_and_a_box(text: str) -> None:
    document = parse(f"| a | b |\n|---|---|\n| {escape(text)} | x |\n\n::: approval\n{escape(text)}\n:::\n")
    table, box = document.blocks
    assert isinstance(table, Table)
    assert plain(table.rows[1][0]) == text
    assert box.text == text


def test_escape_collapses_whitespace() -> None:
    messy = "  много   пробелов\nи\tстрок  "
    assert parse("1. " + escape(messy) + "\n").clauses()[0].text == "1. много пробелов и строк"


def _normal(text: str) -> str:
    return re.sub(r"[ \t\r\n]+", " ", text).strip()


_ALPHABET = st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from(
    list("*_#<>{}&[]()`\\!|~-+.:;=\"' \n\t1")
)


@settings(max_examples=300, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(_ALPHABET, min_size=1, max_size=40))
def test_escape_round_trips_any_text(text: str) -> None:
    if not _normal(text):
        return
    document = parse(f"## Р\n\n1. {escape(text)}\n")
    assert len(document.clauses()) == 1
    assert plain(document.clauses()[0].runs) == _normal(text)


_MARKUP = st.text(st.sampled_from(list("*_\\\n.!()[]<>&`~ aбв")), max_size=30)


@settings(max_examples=400, database=None, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.one_of(_MARKUP, _MARKUP.map(escape), st.text(_ALPHABET, max_size=30).map(escape)))
def test_literal_text_reads_as_markdown_it_reads_it(content: str) -> None:
    """The shortcut for text that is only characters and escapes gives markdown-it's own runs."""
    from markdown_it.token import Token

    from jobdesc.render.markdown import _parser, _runs, _token_runs

    content = content.strip()  # as a paragraph's inline content is
    token = Token("inline", "", 0, content=content)
    for line_breaks in (False, True):
        children = _parser(inline=True).parseInline(content)[0].children or []
        assert _token_runs(token, line_breaks) == _runs(children, line_breaks)


# --- the same text through a role, the templates and the DOCX ------------------------------


@pytest.fixture(scope="module")
def literal_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A project whose kam-manager rights start with the literal texts (each alone and in a sentence)."""
    base = tmp_path_factory.mktemp("literal")
    project = copy_project(base / "project")
    path = project / "roles" / "kam-manager.yaml"
    items = "".join(f"  - {json.dumps(t, ensure_ascii=False)}\n" for t in literal_items())
    text = path.read_text(encoding="utf-8").replace("\nrights:\n", "\nrights:\n" + items, 1)
    path.write_text(text, encoding="utf-8")
    out = base / "out"
    build_into(project, out, "kam-manager", "--draft")  # the working text, not the approved edition
    return project, out


def literal_items() -> list[str]:
    return [*LITERALS, *(f"Право на {t} без разметки" for t in LITERALS)]


def test_role_text_is_literal_in_the_model(literal_build: tuple[Path, Path]) -> None:
    project, _ = literal_build
    loaded = load_project(project)
    for document in render_document(loaded, loaded.roles["kam-manager"]):
        rights = [c.text for c in document.clauses() if c.number.startswith("3.")]
        expected = [f"3.{n}. {t}" for n, t in enumerate(literal_items(), start=1)]
        assert rights[: len(expected)] == expected


def test_role_text_is_literal_in_the_docx(literal_build: tuple[Path, Path]) -> None:
    _, out = literal_build
    with zipfile.ZipFile(out / "kam-manager.draft.docx") as package:
        root = etree.fromstring(package.read("word/document.xml"))
    texts = ["".join(t.text or "" for t in p.iter(f"{{{NS['w']}}}t")) for p in root.iter(f"{{{NS['w']}}}p")]
    for number, item in enumerate(literal_items(), start=1):
        # once in each of the two copies
        assert texts.count(f"3.{number}. {item}") == 2, (number, item)
