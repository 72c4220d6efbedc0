"""Markdown (the templates' output) → :class:`~jobdesc.render.document.Document`.

The conventions, for template writers: ``#`` a centred title, ``##`` a numbered section,
ordered list items are clauses (``1.`` for every item: numbers are computed), nested ordered
lists are sub-clauses, ``-`` items are dashes, ``---`` starts a new page, tables are tables,
and ``::: approval`` … ``:::`` (also ``copy-mark``, ``requisites``, ``signature``, ``center``)
places a block of lines. Values from the data are escaped (:func:`escape`), so they never
become markup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from jobdesc.errors import MarkdownError
from jobdesc.render.document import (
    BOX_KINDS,
    Block,
    Box,
    Clause,
    Document,
    Heading,
    Inline,
    ListItem,
    PageBreak,
    Paragraph,
    Run,
    Table,
)

_ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")
_ESCAPED = {chr(code): "\\" + chr(code) for code in range(0x21, 0x7F) if not chr(code).isalnum()}
_SPACES = re.compile(r"[ \t\r\n\x0b\x0c\x85\u2028\u2029]+")
_ODD_SPACES = re.compile(r"[\t\r\n\x0b\x0c\x85\u2028\u2029]|  ")  # what _SPACES changes


@lru_cache(maxsize=8192)  # the copies of a document, and roles, print the same values
def escape(text: str) -> str:
    """Data text made literal in CommonMark: every ASCII punctuation mark backslash-escaped."""
    # (``str.translate`` to strings is slow on Cyrillic: one regex pass is not, with a function
    # as the replacement (a template with a group is slower still); a backslash escaped is a
    # backslash doubled)
    if _ODD_SPACES.search(text):
        text = _SPACES.sub(" ", text)
    return _ASCII_PUNCTUATION.sub(_escaped, text)


def _escaped(match: re.Match) -> str:
    return _ESCAPED[match[0]]


# Rules the templates do not use are off: fewer rules, faster parsing, and nothing that
# could turn text into a link, HTML or code.
_UNUSED_RULES = [
    "code",
    "fence",
    "blockquote",
    "html_block",
    "lheading",
    "reference",
    "backticks",
    "link",
    "image",
    "autolink",
    "html_inline",
    "entity",
]
CHUNK_CACHE_SIZE = 256  # chunks; a chunk of tokens weighs tens of kilobytes


@lru_cache(maxsize=2)
def _parser(inline: bool = False):  # noqa: ANN202, FBT001
    """The block parser (inline content is read later, :func:`_token_runs`), or the inline one."""
    return _new_parser(() if inline else ("inline",))


def _new_parser(unused: tuple[str, ...]):  # noqa: ANN202
    """CommonMark with tables and ``:::`` boxes, without :data:`_UNUSED_RULES` and ``unused``."""
    # lazy: brings markdown-it-py; loaded only by the commands that get here
    from markdown_it import MarkdownIt
    from mdit_py_plugins.container import container_plugin

    md = MarkdownIt("commonmark", {"typographer": False}).enable("table")
    md.use(container_plugin, name="box", validate=lambda params, *_: params.strip() in BOX_KINDS)
    return md.disable([*_UNUSED_RULES, *unused])


# markdown-it tries each block rule at each line (and each line of a list item again); most
# chunks are lists of clauses, in which most rules can never start. A rule is left out of a
# chunk's parser when no line of the chunk could start it (a rule that cannot match returns
# False and changes nothing, so the tokens are the same; tests/test_fast_paths.py).
_HR = re.compile(r"([*_-])[ \t]*\1[ \t]*\1")  # three marks, spaces between: a rule (---)


def _chunk_parser(chunk: str):  # noqa: ANN202
    """The block parser with only the rules ``chunk`` may need."""
    unused = ["text_join"]  # joins inline children, which the block parser leaves empty (see _content_runs)
    if "|" not in chunk:  # a table's header row has one
        unused.append("table")
    if ":::" not in chunk:
        unused.append("container_box")
    if "#" not in chunk:
        unused.append("heading")
    if _HR.search(chunk) is None:
        unused.append("hr")
    if "\r" not in chunk and "\0" not in chunk:  # CommonMark's line ends and NUL already
        unused.append("normalize")
    return _lean_parser(tuple(unused))


@lru_cache(maxsize=64)
def _lean_parser(unused: tuple[str, ...]):  # noqa: ANN202
    """The block parser without the rules ``unused`` (a few such parsers serve every chunk)."""
    return _new_parser(("inline", *unused))


# Inline content that is only text and backslash escapes (what :func:`escape` makes of data):
# no emphasis, no line break. The other inline rules are off, so markdown-it reads it as one
# text run with the escapes resolved; anything else goes to markdown-it itself.
# (Read left to right, a backslash either starts an escape or makes the text not literal; so
# the text is literal when, the escapes taken out, no backslash, «*», «_» or line break is left.)
_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")  # split by it: text, escaped mark, text, mark, …, text
_NOT_LITERAL = re.compile(r"[\\*_\n]")


def _literal(content: str) -> bool:
    """Whether inline content is only text and backslash escapes."""
    return _literal_text(content) is not None


def _literal_text(content: str) -> str | None:
    """The text of inline content that is only text and backslash escapes (each escape its mark), else None."""
    if "\\" not in content:
        return None if _NOT_LITERAL.search(content) else content
    parts = _ESCAPE.split(content)
    return None if _NOT_LITERAL.search("".join(parts[::2])) else "".join(parts)


def _token_runs(token, line_breaks: bool) -> Inline:  # noqa: ANN001, FBT001
    """The runs of an ``inline`` token's content."""
    return _content_runs(token.content, line_breaks)


def _content_runs(content: str, line_breaks: bool) -> Inline:  # noqa: FBT001
    """The runs of inline content."""
    text = _literal_text(content)
    if text is not None:
        return (Run(text),) if text else ()
    children = _parser(inline=True).parseInline(content)[0].children
    return _runs(children or [], line_breaks)


def parse(source: str) -> Document:
    """Read template output into a document with computed clause numbers.

    The blocks of a chunk depend only on its text and the numbering where it starts, so the
    copies of a document (and roles that share sections) read each such chunk once.
    """
    reader = _Reader([])
    lines = 0  # of the chunks before this one
    for chunk in _chunks(source):
        key = (chunk, reader.section, tuple(reader.counters))
        cached = _CHUNK_BLOCKS.get(key)
        if cached is None:
            start = len(reader.blocks)
            events = _chunk_events(chunk)
            if events is None or not reader.read_events(events):
                reader.tokens, reader.pos = _chunk_tokens(chunk), 0
                try:
                    reader.read()
                except MarkdownError as exc:  # its line in the whole text, not in the chunk
                    raise MarkdownError(exc.message, exc.line + lines if exc.line else None) from None
            if len(_CHUNK_BLOCKS) >= CHUNK_CACHE_SIZE:
                _CHUNK_BLOCKS.clear()
            cached = _CHUNK_BLOCKS[key] = (tuple(reader.blocks[start:]), reader.section, tuple(reader.counters))
        else:
            reader.blocks.extend(cached[0])
        reader.section, reader.counters = cached[1], list(cached[2])
        lines += chunk.count("\n") + 1
    return Document(tuple(reader.blocks))


_CHUNK_BLOCKS: dict = {}


@lru_cache(maxsize=CHUNK_CACHE_SIZE)
def _chunk_tokens(chunk: str) -> tuple:
    """markdown-it's tokens of one chunk; the copies of a document share most chunks."""
    return tuple(_chunk_parser(chunk).parse(chunk))


@lru_cache(maxsize=CHUNK_CACHE_SIZE)
def _chunk_events(chunk: str) -> tuple | None:
    """pulldown-cmark's events of a plain chunk, or None (the chunk is markdown-it's).

    A plain chunk (:func:`_plain`: lists, paragraphs, headings and rules of literal text, which
    is most of a document) is read by pulldown-cmark, some forty times faster than markdown-it;
    any other chunk, and any chunk in which pulldown-cmark finds more than these
    (:meth:`_Reader.read_events`), by markdown-it.
    """
    if not _plain(chunk):
        return None
    events = _pulldown()
    return None if events is None else tuple(events(chunk))


# A plain chunk has none of: emphasis marks (whose rules differ between CommonMark 0.30 and 0.31
# around symbols), what markdown-it is told not to read here (links, code, HTML, entities:
# ``[`<>&``), NUL, table cells, ``:::`` boxes, tabs, whitespace other than spaces and line ends
# (markdown-it strips a paragraph's Unicode whitespace, CommonMark only its spaces), escaped or
# not (the test is the quicker for it; an escaped one is rare in data), nor a backslash that
# escapes nothing; nor a line of ``=`` or ``-`` right under a text line (a setext heading in
# CommonMark, a paragraph or a rule to markdown-it).
# (a character class) every character str.isspace() knows but the space and the line end (tests/test_fast_paths.py)
_ODD_WHITESPACE = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_NOT_PLAIN = re.compile("[*_\\[\\]`<>&|\0" + _ODD_WHITESPACE + "]")
_STRAY_BACKSLASH = re.compile(r"\\(?![!-/:-@\[-`{-~])")
_UNDERLINE = re.compile(r"\n *(?:=+|-+) *$", re.MULTILINE)


def _plain(chunk: str) -> bool:
    """Whether pulldown-cmark reads ``chunk`` as markdown-it does here (see :data:`_NOT_PLAIN`)."""
    return (
        _NOT_PLAIN.search(chunk) is None
        and ":::" not in chunk
        and _STRAY_BACKSLASH.search(chunk) is None
        and not any(_under_text(chunk, line.start() + 1) for line in _UNDERLINE.finditer(chunk))
        and (_INDENTED.search(chunk) is None or _indents_agree(chunk))
    )


def _under_text(chunk: str, start: int) -> bool:
    """Whether the line starting at ``start`` comes right under a line with text."""
    above = chunk[chunk.rfind("\n", 0, start - 1) + 1 : start]
    return not above.isspace()


_INDENTED = re.compile(r"\n {4}")  # (the first line is under no list item)
# a list item's marker and the spaces up to its text (none: the item opens with a blank line)
_ITEM_START = re.compile(r" *(?:[-+]|[0-9]{1,9}[.)])( {1,4}(?=\S)| *$)")


def _indents_agree(chunk: str) -> bool:
    """Whether no line indented by four spaces or more, yet less than the text of the list item
    above it, could start a block: markdown-it starts it, pulldown-cmark continues the item's text."""
    column = 0  # where the text of the last list item starts
    for line in chunk.split("\n"):
        text = line.lstrip(" ")
        indent = len(line) - len(text)
        if 4 <= indent < column and text[:1] in _BLOCK_STARTS:
            return False
        column = _item_column(line) or column
    return True


def _item_column(line: str) -> int:
    """Where the text of the innermost list item opened on ``line`` starts (``1. - текст``: two),
    never less (an item opened by a blank line: one column after its marker, or after the spaces
    that follow it); 0 when the line opens none."""
    column = 0
    item = _ITEM_START.match(line)
    while item is not None:
        column = max(item.end(), item.start(1) + 1)
        item = _ITEM_START.match(line, item.end())
    return column


_BLOCK_STARTS = frozenset("#-+=0123456789")


def _text_runs(pieces: list[str]) -> Inline:
    """The runs of a paragraph's text pieces (a hard break is its own run of ``"\\n"``)."""
    text = "".join(pieces)
    if "\n" not in text:
        return (Run(text),) if text else ()
    runs: list[Run] = []
    for line in text.split("\n"):
        if line:
            runs.append(Run(line))
        runs.append(Run("\n"))
    return tuple(runs[:-1])


@lru_cache(maxsize=1)
def _pulldown():  # noqa: ANN202
    """pyromark's ``events`` (pulldown-cmark, compiled), or None: it has wheels for Python 3.11
    and later, and markdown-it reads every chunk without it."""
    try:
        from pyromark import events  # lazy: as markdown-it, loaded only by the commands that read Markdown
    except ImportError:  # pragma: no cover - Python 3.10
        return None
    return events


def _chunks(source: str) -> list[str]:
    """Split at blank lines followed by an unindented line, outside ``:::`` blocks.

    Such a split never changes how CommonMark reads the text (no block continues across it
    without indentation), and lets the chunk cache serve text that repeats.
    """
    chunks: list[str] = []
    current: list[str] = []
    in_box = blank = False
    for line in source.split("\n"):
        if blank and not in_box and line[:1] not in ("", " ") and current:
            chunks.append("\n".join(current))
            current = []
        current.append(line)
        if line.startswith(":::"):
            in_box = not in_box and line.strip() != ":::"
        blank = not line.strip()
    if current:
        chunks.append("\n".join(current))
    return chunks


class _Reader:
    """Walks markdown-it's token stream and numbers sections and clauses."""

    def __init__(self, tokens: Sequence) -> None:
        self.tokens = tokens
        self.pos = 0
        self.blocks: list[Block] = []
        self.section = 0
        self.counters: list[int] = []
        self.lists: list[str] = []

    def read(self) -> Document:
        while self.pos < len(self.tokens):
            self._block(self.tokens[self.pos])
        return Document(tuple(self.blocks))

    def _block(self, token) -> None:  # noqa: ANN001
        kind = token.type
        self.pos += 1
        if kind == "list_item_open" or kind == "list_item_close":  # the commonest first: clauses are items
            pass
        elif kind == "paragraph_open":
            runs = _content_runs(self.tokens[self.pos].content, False)
            self.pos += 2  # inline, paragraph_close
            self._paragraph(runs, self._continues_item())
        elif kind == "ordered_list_open" or kind == "bullet_list_open":
            self.lists.append("ordered" if kind == "ordered_list_open" else "bullet")
        elif kind == "ordered_list_close" or kind == "bullet_list_close":
            self.lists.pop()
        elif kind == "heading_open":
            self._heading(token)
        elif kind == "hr":
            self.blocks.append(PageBreak())
        elif kind == "table_open":
            self._table()
        elif kind.startswith("container_") and kind.endswith("_open"):
            self._box(token.info.strip().split()[0])
        else:
            raise MarkdownError(f"разметка «{kind}» не поддерживается", _line(token) or None)

    def read_events(self, events: tuple) -> bool:
        """Read pulldown-cmark's events of a plain chunk as :meth:`read` reads markdown-it's tokens
        (its tight lists' items have no paragraph events; a new clause starts unless the block
        before was a paragraph). False, and nothing read, on anything else (the chunk is markdown-it's)."""
        blocks, section, counters, lists = len(self.blocks), self.section, list(self.counters), list(self.lists)
        pieces: list[str] = []  # the text of the paragraph or heading being read; "\n" a hard break
        loose = False  # inside a paragraph pulldown-cmark marked (a heading, or a loose list's item)
        after = False  # the block before was a paragraph
        level = 0
        for event in events:
            if type(event) is dict:
                ((kind, value),) = event.items()
                if kind == "Text":
                    pieces.append(value)
                    continue
            elif event == "SoftBreak":
                pieces.append(" ")
                continue
            elif event == "HardBreak":
                pieces.append("\n")
                continue
            else:
                kind, value = event, None
            if pieces and not loose:  # the text of a tight list's item ends where its next block starts
                self._paragraph(_text_runs(pieces), after)
                pieces, after = [], True
            if kind == "Start" and value == "Item" or kind == "End" and value == "Item":
                after = False
            elif kind == "Start" and value == "Paragraph":
                loose = True
            elif kind == "End" and value == "Paragraph":
                self._paragraph(_text_runs(pieces), after)
                pieces, loose, after = [], False, True
            elif type(value) is dict and "List" in value:
                if kind == "Start":
                    self.lists.append("bullet" if value["List"] is None else "ordered")
                else:
                    self.lists.pop()
                after = False
            elif type(value) is dict and "Heading" in value:
                if kind == "Start":
                    level, loose = int(value["Heading"]["level"][1]), True
                else:
                    self._add_heading(_text_runs(pieces), level)
                    pieces, loose, after = [], False, False
            elif kind == "Rule":
                self.blocks.append(PageBreak())
                after = False
            else:  # what markdown-it reads otherwise, or what jobdesc does not read: undone
                del self.blocks[blocks:]
                self.section, self.counters, self.lists = section, counters, lists
                return False
        if pieces:
            self._paragraph(_text_runs(pieces), after)
        return True

    def _heading(self, token) -> None:  # noqa: ANN001
        runs = self._inline()
        self.pos += 1  # heading_close
        self._add_heading(runs, int(token.tag[1]))

    def _add_heading(self, runs: Inline, level: int) -> None:
        number = None
        if level == 2:
            self.section += 1
            self.counters = []
            number = f"{self.section}."
        self.blocks.append(Heading(runs, level, number))

    def _paragraph(self, runs: Inline, continues: bool) -> None:  # noqa: FBT001
        """A paragraph: a clause, a dash, or plain text (``continues``: a second paragraph of a list item)."""
        lists = self.lists
        if not lists:
            self.blocks.append(Paragraph(runs))
            return
        if lists[-1] == "bullet":
            self.blocks.append(ListItem(runs, depth=len(lists)))
            return
        if continues:
            self.blocks.append(Paragraph(runs))
            return
        ordered_depth = lists.count("ordered")
        counters = self.counters
        del counters[ordered_depth:]
        while len(counters) < ordered_depth:
            counters.append(0)
        counters[-1] += 1
        prefix = f"{self.section}." if self.section else ""
        self.blocks.append(Clause(prefix + ".".join(map(str, counters)) + ".", runs, ordered_depth))

    def _continues_item(self) -> bool:
        """A second paragraph inside the same list item (after a paragraph or a table) is not a new clause."""
        before = self.tokens[self.pos - 4] if self.pos >= 4 else None
        return before is not None and before.type in ("paragraph_close", "table_close")

    def _inline(self) -> Inline:
        token = self.tokens[self.pos]
        self.pos += 1
        return _token_runs(token, line_breaks=False)

    def _table(self) -> None:
        rows: list[tuple[Inline, ...]] = []
        header_rows = 0
        cells: list[Inline] = []
        in_head = False
        while True:
            token = self.tokens[self.pos]
            self.pos += 1
            if token.type == "table_close":
                break
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_close":
                rows.append(tuple(cells))
                cells = []
                header_rows += in_head
            elif token.type == "inline":
                cells.append(_token_runs(token, line_breaks=True))
        self.blocks.append(Table(tuple(rows), header_rows))

    def _box(self, kind: str) -> None:
        lines: list[Inline] = []
        while True:
            token = self.tokens[self.pos]
            self.pos += 1
            if token.type.startswith("container_") and token.type.endswith("_close"):
                break
            if token.type.startswith("container_") and token.type.endswith("_open"):
                raise MarkdownError(
                    f"рамка внутри рамки («::: {token.info.strip()}», а предыдущая «::: …» не закрыта): "
                    "закройте ее строкой «:::» перед новой",
                    _line(token) or None,
                )
            if token.type == "paragraph_open" and lines:
                lines.append(())  # paragraphs of a box are set apart by an empty line
            elif token.type == "inline":
                lines.extend(_split_lines(_token_runs(token, line_breaks=True)))
        self.blocks.append(Box(kind, tuple(lines)))


def _line(token) -> int:  # noqa: ANN001
    return token.map[0] + 1 if token.map else 0


def _runs(children: list, line_breaks: bool) -> Inline:
    """Inline tokens → runs; a line break is a run of ``"\\n"`` when ``line_breaks``."""
    runs: list[Run] = []
    bold = italic = False
    for child in children:
        kind = child.type
        if kind == "strong_open":
            bold = True
        elif kind == "strong_close":
            bold = False
        elif kind == "em_open":
            italic = True
        elif kind == "em_close":
            italic = False
        elif kind in ("softbreak", "hardbreak"):
            text = "\n" if line_breaks or kind == "hardbreak" else " "
            runs.append(Run(text, bold, italic))
        elif kind in ("text", "code_inline", "html_inline"):
            runs.append(Run(child.content, bold, italic))
    return _merge(runs)


def _merge(runs: list[Run]) -> Inline:
    """Join neighbouring runs of the same formatting."""
    merged: list[Run] = []
    for run in runs:
        if (
            merged
            and (merged[-1].bold, merged[-1].italic) == (run.bold, run.italic)
            and "\n" not in (run.text, merged[-1].text)
        ):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic)
        elif run.text:
            merged.append(run)
    return tuple(merged)


def _split_lines(runs: Inline) -> list[Inline]:
    lines: list[list[Run]] = [[]]
    for run in runs:
        if run.text == "\n":
            lines.append([])
        else:
            lines[-1].append(run)
    return [tuple(line) for line in lines]
