"""The hot paths of a batch that stand in for a library: each must give what the library gives.

The DOCX writer fills the slots of ``docProps/core.xml`` that python-docx made once; escaping,
typesetting and the test for literal inline text do in one pass what they did in several.
Markdown's plain chunks are read by pulldown-cmark (pyromark) instead of markdown-it: each must
give the blocks markdown-it gives. (A reader of our own was tried on the speed branch and left
out: jobdesc does not hand-roll a parser a maintained library provides.)
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from jobdesc.render import docx_writer
from jobdesc.render import markdown as md
from jobdesc.render import typeset as typeset_module
from jobdesc.render.markdown import escape


def core_bytes(function, properties: docx_writer.Properties) -> bytes | str:  # noqa: ANN001
    styles = Path(__file__).parent.parent / "jobdesc/templates/styles.docx"
    package = docx_writer.package_for(styles.read_bytes())
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
        children = md._parser(inline=True).parseInline(content)[0].children or []
        assert md._content_runs(content, line_breaks=True) == md._runs(children, line_breaks=True)


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


# --- markdown-it with only the block rules a chunk may need -------------------------------


def role_texts() -> list[str]:
    """Every text of the shipped roles and regulations (clauses, titles, names)."""
    import yaml

    texts: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for folder in ("roles", "policies"):
        for path in sorted((REPO / folder).glob("*.yaml")):
            walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return texts


REPO = Path(__file__).resolve().parent.parent
ROLE_TEXTS = role_texts()
# what the templates put before a text on a line, and lines of markup alone
PREFIXES = ["", "1. ", "   1. ", "      1. ", "1) ", "- ", "* ", "+ ", "  ", "    ", "## ", "# ", "| ", "\t", ">"]
MARKUP_LINES = [
    "",
    " ",
    "---",
    "***",
    "_ _ _",
    "-- -",
    "____________ И\\.С\\. Лебедева",
    "| a | b |",
    "|---|---|",
    "| 1 |  |",
    "::: center",
    "::: approval",
    ":::",
    "::::",
    "# Заголовок #",
    "1.",
    "1. ",
    "  - ",
    "текст\r",
    "\rтекст",
    "а\0б",
    "**жирный** и *курсив*",
    "=====",
]
TEXT = st.sampled_from(ROLE_TEXTS) | st.sampled_from(ROLE_TEXTS).map(escape) | st.sampled_from(MARKUP_LINES)
LINE = st.tuples(st.sampled_from(PREFIXES), TEXT).map("".join) | st.sampled_from(MARKUP_LINES)
CHUNK = st.lists(LINE, min_size=1, max_size=12).map("\n".join)


def block_tokens(parser, chunk: str) -> list[dict]:  # noqa: ANN001
    return [token.as_dict() for token in parser.parse(chunk)]


@settings(max_examples=1500, deadline=None)
@given(CHUNK)
@example("1. Пункт\n   1. Подпункт \\(участок 1\\.1\\)\\.\n1. Пункт")
@example("::: center\nРедакция № 1\n:::")
@example("| a | b |\n|---|---|\n| 1 | 2 |")
@example("1. текст\n---\n1. текст")
@example("1. - - -")
@example("текст\r\n---")
def test_a_chunks_parser_gives_the_tokens_of_the_full_one(chunk: str) -> None:
    """The block rules left out of a chunk's parser (:func:`jobdesc.render.markdown._chunk_parser`)
    could not have matched anywhere in it: its tokens are the full parser's."""
    assert block_tokens(md._chunk_parser(chunk), chunk) == block_tokens(md._parser(), chunk)


def test_every_chunk_of_the_shipped_documents_parses_as_with_the_full_parser() -> None:
    from unittest import mock

    from jobdesc.documents import compose
    from jobdesc.project.loader import load_project

    sources: list[str] = []
    real_parse = compose.parse

    def recording(source: str):  # noqa: ANN202
        sources.append(source)
        return real_parse(source)

    project = load_project(REPO)
    with mock.patch.object(compose, "parse", recording):
        for document in (*project.roles.values(), *project.policies.values()):
            compose.render_document(project, document)
    chunks = {chunk for source in sources for chunk in md._chunks(source)}
    assert len(chunks) > 20
    assert {len(md._chunk_parser(chunk).block.ruler.getRules("")) for chunk in chunks} != {6}  # some are lean
    for chunk in chunks:
        assert block_tokens(md._chunk_parser(chunk), chunk) == block_tokens(md._parser(), chunk), chunk
    if md._pulldown() is None:
        return
    compiled = {chunk: read_events(chunk) for chunk in chunks}
    assert sum(read is not None for read in compiled.values()) > len(chunks) / 2  # most are plain
    for chunk, read in compiled.items():
        if read is not None:
            assert read == read_blocks(tuple(md._parser().parse(chunk))), chunk


# Plain chunks (what pulldown-cmark reads, jobdesc.render.markdown._plain): lists, paragraphs,
# headings and rules, with the spacing that tells a tight list from a loose one, a continuation
# from a new block, a setext underline from a rule, and a hard break from a soft one.
PLAIN_PREFIXES = [
    "",
    "1. ",
    "   1. ",
    "      1. ",
    "2) ",
    "10. ",
    "- ",
    "+ ",
    "   - ",
    " ",
    "  ",
    "   ",
    "    ",
    "## ",
    "# ",
    "###### ",
    "  1. ",  # an item opened by a blank line, text under it
    " 10.",
    "1) 2026. ",  # items opened on one line
    "- 1. ",
]
PLAIN_TEXTS = [
    "текст",
    "Пункт \\(участок 1\\.2\\)\\.",
    "текст  ",
    "1.",
    "-",
    "=",
    "---",
    "- - -",
    "#",
    "2026 г\\.",
    "a \\# b #",
    "",
]
PLAIN_LINE = st.tuples(
    st.sampled_from(PLAIN_PREFIXES), st.sampled_from(PLAIN_TEXTS) | st.sampled_from(ROLE_TEXTS).map(escape)
).map("".join)
PLAIN_CHUNK = st.lists(PLAIN_LINE, min_size=1, max_size=14).map("\n".join)


def numbered_reader(tokens=()) -> md._Reader:  # noqa: ANN001
    """A reader numbering from section 2, clause 2.3, inside a bulleted list."""
    reader = md._Reader(tokens)
    reader.section, reader.counters, reader.lists = 2, [3], ["bullet"]
    return reader


def read_blocks(tokens) -> object:  # noqa: ANN001
    """What the reader makes of markdown-it's block tokens."""
    reader = numbered_reader(tokens)
    try:
        reader.read()
    except md.MarkdownError as exc:
        return f"MarkdownError: {exc.message}"
    return reader.blocks, reader.section, reader.counters, reader.lists


def read_events(chunk: str) -> object:
    """What the reader makes of pulldown-cmark's events of ``chunk``; None when they are not read."""
    events = md._chunk_events(chunk)
    reader = numbered_reader()
    if events is None or not reader.read_events(events):
        assert (reader.blocks, reader.section, reader.counters, reader.lists) == ([], 2, [3], ["bullet"])  # undone
        return None
    return reader.blocks, reader.section, reader.counters, reader.lists


@pytest.mark.skipif(md._pulldown() is None, reason="pyromark has wheels for Python 3.11 and later")
@settings(max_examples=3000, deadline=None)
@given(PLAIN_CHUNK | CHUNK)
@example("1. Пункт\n   1. Подпункт \\(участок 1\\.1\\)\\.\n1. Пункт")
@example("1. a\n\n   b\n1. c")
@example("1. a\n   - b\n\n   c")
@example("текст  \nтекст")
@example("текст\n---")
@example("текст\n=")
@example("    текст")
@example("1.     текст")
@example("## ")
@example("- \n  текст")
@example("  1. \n     текст\n    # ")  # an item opened by a blank line: the heading is lazy text to pulldown-cmark
@example(" 10.\n      текст\n    # ")  # the same, no space after the marker
@example("1) 2026. текст\n        ## ")  # items opened on one line: the heading is under the inner one
def test_pulldown_cmark_reads_a_plain_chunk_as_markdown_it_does(chunk: str) -> None:
    """A chunk :func:`jobdesc.render.markdown._plain` lets pulldown-cmark read gives the blocks,
    the section and the clause numbers that markdown-it's tokens give; pulldown-cmark's finding
    anything else (code, a quote) sends the chunk back to markdown-it."""
    read = read_events(chunk)
    if read is not None:
        assert read == read_blocks(tuple(md._parser().parse(chunk)))


@pytest.mark.skipif(md._pulldown() is None, reason="pyromark has wheels for Python 3.11 and later")
def test_a_plain_chunk_with_more_than_pulldown_cmark_may_read_goes_back_to_markdown_it() -> None:
    """Code, which markdown-it is told not to read, found after a paragraph: the paragraph (a dash
    here) is undone and the chunk read by markdown-it (four-space-indented text is a paragraph)."""
    chunk = "Текст\n\n    текст с отступом"
    assert md._plain(chunk)
    assert read_events(chunk) is None
    assert md.parse(chunk).blocks == (
        md.Paragraph((md.Run("Текст"),)),
        md.Paragraph((md.Run("текст с отступом"),)),
    )


def test_a_chunk_with_any_whitespace_but_spaces_and_line_ends_is_not_plain() -> None:
    """markdown-it strips a paragraph's Unicode whitespace, CommonMark only its spaces and tabs."""
    odd = [chr(code) for code in range(0x110000) if chr(code).isspace() and chr(code) not in " \n"]
    assert len(odd) == 27
    assert not any(md._plain(f"1. Пункт{char}текст") for char in odd)
    assert md._plain("1. Пункт текст\n")
