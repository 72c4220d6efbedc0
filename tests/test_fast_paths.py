"""The hot paths of a batch that stand in for a library: each must give what the library gives.

* the Markdown reader makes the tokens of the commonest chunks (a heading, a paragraph, a tight
  list of clauses and sub-clauses) itself; markdown-it reads every other chunk;
* the DOCX writer fills the slots of ``docProps/core.xml`` that python-docx made once.

Generated inputs (hypothesis) include what must fall back: escapes, spaces at either end,
digits and punctuation at the start, blank lines inside a list, deeper indentation, «#» at the end.
"""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jobdesc.render import docx_writer
from jobdesc.render import markdown as md
from jobdesc.render import typeset as typeset_module
from jobdesc.render.markdown import escape, parse


def library_tokens(chunk: str) -> list[tuple[str, str, str, str]]:
    return [(t.type, t.tag, t.content, t.info) for t in md._parser().parse(chunk)]


def own_tokens(chunk: str) -> list[tuple[str, str, str, str]] | None:
    plan = md._plain_lines(chunk)
    return None if plan is None else [(t.type, t.tag, t.content, t.info) for t in md._plain_tokens(plan)]


WORDS = st.sampled_from(
    [
        "Пункт",
        "текст",
        "№",
        "\u00a0",
        "\\.",
        "\\#",
        "\\-",
        "\\\\",
        "1.",
        "2024",
        "#",
        "-",
        "*",
        "_",
        "|",
        ":::",
        "  ",
        "\t",
    ]
)
TEXT = st.lists(WORDS, min_size=1, max_size=6).map(" ".join) | st.text(min_size=1, max_size=12)
LINE = st.tuples(st.sampled_from(["1. ", "   1. ", "", "# ", "## ", "1.  ", "    1. ", "2. ", "- ", "  "]), TEXT).map(
    "".join
)
CLAUSE_LINE = st.tuples(
    st.sampled_from(["1. ", "   1. "]),
    st.sampled_from(["Пункт", "\\(", "«", "a", "\u00a0"]),
    st.lists(WORDS, max_size=5).map("".join),
).map("".join)
CHUNK = st.tuples(
    st.lists(LINE, min_size=1, max_size=8) | st.lists(CLAUSE_LINE, min_size=1, max_size=10),
    st.sampled_from(["", "\n", "\n\n"]),
).map(lambda parts: "\n".join(parts[0]) + parts[1])


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHUNK)
@example("1. Пункт\n   1. Подпункт\n   1. Еще\n1. Снова\n\n")
@example("## Общие положения\n")
@example("# менеджера \\(направления 1\\)\n\n")
@example("1. Пункт\n\n1. После пустой строки\n")
@example("1. Пункт #\n")
@example("   1. Подпункт без пункта\n")
def test_own_tokens_are_markdown_its(chunk: str) -> None:
    tokens = own_tokens(chunk)
    if tokens is not None:
        assert tokens == library_tokens(chunk)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(CHUNK, st.integers(min_value=0, max_value=3), st.lists(st.integers(min_value=0, max_value=4), max_size=3))
@example("1. Пункт\n   1. Подпункт\n1. Еще\n", 2, [3, 1])
@example("## Раздел\n", 1, [2, 2])
def test_plain_chunks_read_as_markdown_it_s_tokens_are_read(chunk: str, section: int, counters: list[int]) -> None:
    """The reader's blocks and numbering after a plain chunk, read directly or from markdown-it's tokens."""
    plan = md._plain_lines(chunk)
    if plan is None:
        return
    ours, theirs = md._Reader([]), md._Reader(md._parser().parse(chunk))
    for reader in (ours, theirs):
        reader.section, reader.counters = section, list(counters)
    ours.read_plain(plan)
    theirs.read()
    assert (ours.blocks, ours.section, ours.counters) == (theirs.blocks, theirs.section, theirs.counters)


def test_the_common_chunks_take_the_own_path() -> None:
    """The chunks that make most of a job description do not go to markdown-it."""
    clause = "Менеджер по работе с ключевыми клиентами \\(направление 1\\) должен знать:"
    for chunk in (
        f"1. {clause}\n   1. Теорию и практику \\(участок 1\\.1\\)\\.\n   1. Методику\\.\n1. {clause}\n\n",
        "## Должностные обязанности\n",
        "Менеджер выполняет следующие должностные обязанности:\n",
    ):
        assert own_tokens(chunk) == library_tokens(chunk)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=30), min_size=1, max_size=6))
def test_documents_of_escaped_data_are_the_same_either_way(texts: list[str]) -> None:
    """A template-like source of escaped data: the model is the same as markdown-it alone makes."""
    lines = ["# " + escape(texts[0]), "", "## Раздел", ""]
    lines += [("   1. " if i % 3 == 2 else "1. ") + escape(text) for i, text in enumerate(texts)]
    source = "\n".join(lines) + "\n"
    md._CHUNK_BLOCKS.clear()
    md._chunk_tokens.cache_clear()
    ours = parse(source)
    md._CHUNK_BLOCKS.clear()
    md._chunk_tokens.cache_clear()
    original = md._plain_lines
    md._plain_lines = lambda chunk: None
    try:
        assert parse(source) == ours
    finally:
        md._plain_lines = original
        md._CHUNK_BLOCKS.clear()
        md._chunk_tokens.cache_clear()


def core_bytes(function, properties: docx_writer.Properties) -> bytes | str:  # noqa: ANN001
    package = docx_writer.package_for(docx_writer.Path(__file__).parent.parent / "jobdesc/templates/styles.docx")
    try:
        return function(package.core, properties)
    except ValueError as exc:
        return f"ValueError: {exc}"


@settings(max_examples=400, deadline=None)
@given(
    st.tuples(st.text(max_size=300), st.text(max_size=40), st.text(max_size=40), st.text(max_size=20)),
    st.integers(min_value=-1, max_value=100),
    st.none() | st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
)
@example(("Должностная инструкция", "Отдел", "ООО «Ромашка»", "ДИ-014"), 2, dt.date(2026, 11, 20))
@example(("a & b <c>", "x\ry", "", ""), 1, None)
def test_core_properties_are_python_docx_s(texts: tuple[str, str, str, str], revision: int, date) -> None:  # noqa: ANN001
    properties = docx_writer.Properties(*texts, revision=revision, date=date)
    assert core_bytes(docx_writer._core, properties) == core_bytes(docx_writer._core_docx, properties)


INLINE = st.lists(st.sampled_from([*"\\*_\n.()a ф#", "\\\\", "\\.", "\\*"]), max_size=20).map("".join)


@settings(max_examples=1000, deadline=None)
@given(INLINE)
@example("текст \\(участок 1\\.2\\)\\.")
@example("a\\")
@example("\\\\\\a")
def test_literal_inline_text_reads_as_markdown_it_reads_it(content: str) -> None:
    """Inline content taken as literal text gives the runs markdown-it's inline parser gives."""
    if md._literal(content):
        token = md._Token("inline", content=content)
        children = md._parser(inline=True).parseInline(content)[0].children or []
        assert md._token_runs(token, line_breaks=True) == md._runs(children, line_breaks=True)


def escape_by_replace(text: str) -> str:
    """:func:`escape` as it was written before: a backslash doubled, then each mark escaped."""
    text = md._SPACES.sub(" ", text) if md._ODD_SPACES.search(text) else text
    text = text.replace("\\", "\\\\")
    for char in set("!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~").intersection(text):
        text = text.replace(char, "\\" + char)
    return text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=0x450), max_size=40))
def test_escape_is_the_replacements_it_stands_for(text: str) -> None:
    assert escape(text) == escape_by_replace(text)


def prepositions_by_scanning(text: str) -> str:
    """The non-breaking space after «от», «с», «до», «по» before a number, as it was found: each
    space before a digit, the letters before it scanned back."""
    words = {"от", "с", "до", "по", "От", "С", "До", "По"}

    def word_before(end: int) -> str:
        start = end
        while start > 0 and text[start - 1].isalpha():
            start -= 1
        if start > 0 and (text[start - 1].isalnum() or text[start - 1] in ".\\"):
            return ""
        return text[start:end]

    return re.sub(r" (?=\d)", lambda m: "\u00a0" if word_before(m.start()) in words else " ", text)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["от", "с", "до", "по", "От", "С", "ПО", " ", "1", "_", ".", "\\", "«", "a", "б", "\u00a0", "\u0301"]
        ),
        max_size=12,
    ).map("".join)
)
@example("с 2 марта, до 5 апреля, дос 3, 5от 1, \\.от 2, «от 3")
def test_prepositions_found_in_one_pass(text: str) -> None:
    assert typeset_module._PREPOSITION_NUMBER.sub("\\1\u00a0", text) == prepositions_by_scanning(text)
