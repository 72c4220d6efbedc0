"""The body of a WordprocessingML document from the document model, as XML text.

This is the per-document hot path of a batch, so it writes markup directly (python-docx
builds the rest of the package once, see :mod:`jobdesc.render.docx_writer`). Every piece of
text passes through :func:`escape`; the elements are those python-docx itself would write.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from jobdesc.render.document import Block, Box, Clause, Heading, Inline, ListItem, PageBreak, Paragraph, Run, Table

STYLE_IDS = {
    "title": "JDTitle",
    "section": "JDSection",
    "clause": "JDClause",
    "subclause": "JDSubclause",
    "item": "JDItem",
    "body": "JDBody",
    "requisite": "JDRequisite",
    "approval": "JDApproval",
    "copy_mark": "JDCopyMark",
    "center": "JDCenter",
    "signature": "JDSignature",
    "receipt": "JDReceipt",
    "table": "JDTableText",
    "header": "JDHeader",
    "grid": "JDTable",
}
BOX_STYLES = {
    "copy-mark": "copy_mark",
    "requisites": "requisite",
    "approval": "approval",
    "signature": "signature",
    "receipt": "receipt",
    "center": "center",
}
TEXT_WIDTH_TWIPS = 10205  # 180 mm: A4 less 20 + 10 mm margins
REQUISITES_SHARE = 0.52
ROW_TWIPS = 454  # 0.8 cm: room to write a name and sign by hand

_XML_TEXT = str.maketrans(
    {
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        **{code: None for code in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF]},
    }
)
_PIECES = re.compile("(\t|\n|\u2011)")  # a tab, a line break, a non-breaking hyphen («ДИ-014»)
_BREAKS = re.compile(r"[ \t\n]+")  # where a line may break (not at a non-breaking space)
BLOCK_CACHE_SIZE = 4096
_BLOCK_XML: dict[tuple[Block, bool, bool], str] = {}


_XML_SPECIAL = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    """Text safe inside an XML element (characters XML cannot hold are dropped)."""
    # most text has nothing to escape: a search is many times faster than ``translate`` on Cyrillic
    return text.translate(_XML_TEXT) if _XML_SPECIAL.search(text) else text


@dataclass(frozen=True)
class Revisions:
    """Author and date of the tracked changes in a redline."""

    author: str
    date: dt.date | None = None


class BodyWriter:
    """Turns blocks into body XML; numbers tracked changes across the whole document."""

    def __init__(self, revisions: Revisions | None = None) -> None:
        self.revisions = revisions or Revisions("jobdesc")
        self.revision_id = 0
        # Without tracked changes a block's XML depends on the block alone: the copies of a
        # document, and roles sharing clauses, reuse it.
        self.cache = _BLOCK_XML if revisions is None else {}
        # The copies of one document hold the same block objects: the XML of a block seen in an
        # earlier copy is found by identity, without hashing the block's runs again (the blocks
        # stay alive as long as the writer, so an id is not reused meanwhile).
        self.seen: dict[int, tuple[Block, bool, bool, str]] | None = {} if revisions is None else None

    def blocks(self, blocks: Sequence[Block]) -> str:
        """The XML of a copy's blocks (requisites followed by approval share a table)."""
        out: list[str] = []
        page_break = False
        count = len(blocks)
        closing = _closing(blocks)
        cache, seen = self.cache, self.seen
        index = 0
        while index < count:
            block = blocks[index]
            following = blocks[index + 1] if index + 1 < count else None
            if isinstance(block, PageBreak):
                page_break = True
                index += 1
                continue
            if isinstance(block, (Table, Box)) and page_break and not _starts_with_paragraph(block, following):
                out.append('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
                page_break = False
            if (
                isinstance(block, Box)
                and block.kind == "requisites"
                and isinstance(following, Box)
                and following.kind == "approval"
            ):
                out.append(self._layout_table(block, following))
                index += 2
                continue
            keep = _leads_in(block, following) or index in closing
            known = seen.get(id(block)) if seen is not None else None
            if known is not None and known[0] is block and known[1] == page_break and known[2] == keep:
                xml = known[3]
            else:
                key = (block, page_break, keep)
                cached = cache.get(key)
                if cached is None:
                    if len(cache) >= BLOCK_CACHE_SIZE:
                        cache.clear()
                    cached = cache[key] = self._block(block, page_break, keep)
                xml = cached
                if seen is not None:
                    seen[id(block)] = (block, page_break, keep, xml)
            out.append(xml)
            page_break = False
            index += 1
        return "".join(out)

    def _block(self, block: Block, page_break: bool, keep: bool = False) -> str:
        if isinstance(block, Heading):
            return self.paragraph("title" if block.level == 1 else "section", block.runs, block.number, page_break)
        if isinstance(block, Clause):
            style = "clause" if block.depth == 1 else "subclause"
            return self.paragraph(style, block.runs, block.number, page_break, keep=keep)
        if isinstance(block, ListItem):
            return self.paragraph("item", block.runs, "–", page_break, keep=keep)
        if isinstance(block, Paragraph):
            return self.paragraph("body", block.runs, None, page_break, keep=keep)
        if isinstance(block, Box):
            last = len(block.lines) - 1
            together = block.kind in _KEPT_TOGETHER
            return "".join(
                self.paragraph(
                    BOX_STYLES[block.kind], line, None, page_break and i == 0, keep=keep if i == last else together
                )
                for i, line in enumerate(block.lines)
            )
        if isinstance(block, Table):
            return self._table(block)
        raise TypeError(f"unknown block {block!r}")

    def paragraph(
        self,
        style: str,
        runs: Inline,
        prefix: str | None = None,
        page_break: bool = False,
        change: str | None = None,
        keep: bool = False,
    ) -> str:
        """A w:p of a JD style; a paragraph whose runs are all inserted (deleted) is marked so.

        ``keep``: kept on one page with the next paragraph (a lead-in never ends a page).
        """
        if change is None and runs:
            first = runs[0].change  # None in most documents: nothing more to look at
            if first is not None and all(run.change == first for run in runs):
                change = first
        ppr = f'<w:pStyle w:val="{STYLE_IDS[style]}"/>'
        if keep:
            ppr += "<w:keepNext/>"
        if page_break:
            ppr += "<w:pageBreakBefore/>"
        if change:
            ppr += f"<w:rPr>{self._tracked_mark(change)}</w:rPr>"
        text = _run(prefix + " ", False, False) if prefix else ""
        return f"<w:p><w:pPr>{ppr}</w:pPr>{text}{self.runs(runs)}</w:p>"

    def runs(self, runs: Inline) -> str:
        parts = []
        for run in runs:
            if run.change is None:
                parts.append(_run(run.text, run.bold, run.italic))
            else:
                tag = "w:ins" if run.change == "ins" else "w:del"
                inner = _run(run.text, run.bold, run.italic, deleted=run.change == "del")
                parts.append(f"<{tag} {self._revision()}>{inner}</{tag}>")
        return "".join(parts)

    def _revision(self) -> str:
        self.revision_id += 1
        attributes = f'w:id="{self.revision_id}" w:author="{_attr(self.revisions.author)}"'
        if self.revisions.date:
            attributes += f' w:date="{self.revisions.date.isoformat()}T00:00:00Z"'
        return attributes

    def _tracked_mark(self, change: str) -> str:
        tag = "w:ins" if change == "ins" else "w:del"
        return f"<{tag} {self._revision()}/>"

    def _layout_table(self, requisites: Box, approval: Box) -> str:
        left = round(TEXT_WIDTH_TWIPS * REQUISITES_SHARE)
        widths = [left, TEXT_WIDTH_TWIPS - left]
        cells = [
            "".join(self.paragraph(BOX_STYLES[box.kind], line) for line in box.lines) or "<w:p/>"
            for box in (requisites, approval)
        ]
        return _table_xml(widths, [("", [_cell(w, c) for w, c in zip(widths, cells)])], style=None)

    def _table(self, block: Table) -> str:
        columns = max(len(row) for row in block.rows)
        texts = [[_plain(row[c]) for row in block.rows if c < len(row)] for c in range(columns)]
        widths = _column_widths([_column_weight(t) for t in texts], [_word_twips(t) for t in texts])
        rows = []
        for index, source in enumerate(block.rows):
            header = index < block.header_rows
            # a row is never split between pages (a signature row half on the next page is not signable)
            trpr = "<w:cantSplit/>" + ("<w:tblHeader/>" if header else f'<w:trHeight w:val="{ROW_TWIPS}"/>')
            if block.change:
                trpr += self._tracked_mark(block.change)
            cells = []
            for column, width in enumerate(widths):
                runs = source[column] if column < len(source) else ()
                runs = tuple(Run(r.text, r.bold or header, r.italic, r.change or block.change) for r in runs)
                cells.append(_cell(width, self.paragraph("table", runs, change=block.change)))
            rows.append((trpr, cells))
        return _table_xml(widths, rows, style=STYLE_IDS["grid"])


_KEPT_TOGETHER = ("approval", "signature", "receipt")  # boxes whose lines stay on one page


def _leads_in(block: Block, following: Block | None) -> bool:
    """A lead-in: a clause followed by its sub-clauses, or text ending with «:» followed by what it introduces."""
    if isinstance(block, Clause) and isinstance(following, Clause):
        return following.depth > block.depth
    if isinstance(block, Box) and isinstance(following, Box):  # «Второй экземпляр получил(а) на руки:»
        return block.text.rstrip().endswith(":")
    if isinstance(block, (Clause, Paragraph, ListItem)) and isinstance(following, (Clause, ListItem, Table)):
        return _ends_with_colon(block)
    return False


def _ends_with_colon(block: Clause | Paragraph | ListItem) -> bool:
    """``block.text.rstrip().endswith(":")``, read from the end of its runs without joining them."""
    for run in reversed(block.runs):
        if run.change == "del":  # not in the text
            continue
        tail = run.text.rstrip()
        if tail:
            return tail[-1] == ":"
    return block.text.rstrip().endswith(":")  # runs of spaces only: the number or dash decides


_TEXT_BLOCKS = (Clause, Paragraph, ListItem)


def _closing(blocks: Sequence[Block]) -> set[int]:
    """The indices of the last two text blocks before each signature: kept with what follows, so
    that a signature never stands alone at the top of a page (it takes the end of the text with it)."""
    found: set[int] = set()
    for index, block in enumerate(blocks):
        if isinstance(block, Box) and block.kind == "signature":
            for before in (index - 1, index - 2):
                if before < 0 or not isinstance(blocks[before], _TEXT_BLOCKS):
                    break
                found.add(before)
    return found


def _starts_with_paragraph(block: Table | Box, following: Block | None) -> bool:
    """A box that is not laid out as a table can carry the page break itself."""
    if isinstance(block, Table):
        return False
    return not (block.kind == "requisites" and isinstance(following, Box) and following.kind == "approval")


def _run(text: str, bold: bool, italic: bool, deleted: bool = False) -> str:
    rpr = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    rpr = f"<w:rPr>{rpr}</w:rPr>" if rpr else ""
    tag = "w:delText" if deleted else "w:t"
    if "\t" not in text and "\n" not in text and "\u2011" not in text:  # one piece (most runs)
        if not text:
            return f"<w:r>{rpr}</w:r>"
        space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
        return f"<w:r>{rpr}<{tag}{space}>{escape(text)}</{tag}></w:r>"
    content = []
    for piece in _PIECES.split(text):
        if piece == "\t":
            content.append("<w:tab/>")
        elif piece == "\n":
            content.append("<w:br/>")
        elif piece == "\u2011":
            content.append("<w:noBreakHyphen/>")
        elif piece:
            space = ' xml:space="preserve"' if piece[0].isspace() or piece[-1].isspace() else ""
            content.append(f"<{tag}{space}>{escape(piece)}</{tag}>")
    return f"<w:r>{rpr}{''.join(content)}</w:r>"


def _attr(text: str) -> str:
    return escape(text).replace('"', "&quot;")


def _cell(width: int, content: str) -> str:
    return f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{content}</w:tc>'


def _table_xml(widths: list[int], rows: list[tuple[str, list[str]]], style: str | None) -> str:
    style_xml = f'<w:tblStyle w:val="{style}"/>' if style else ""
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    body = "".join(f"<w:tr>{f'<w:trPr>{trpr}</w:trPr>' if trpr else ''}{''.join(cells)}</w:tr>" for trpr, cells in rows)
    return (
        f'<w:tbl><w:tblPr>{style_xml}<w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" '
        f'w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>{body}</w:tbl>'
    )


def _column_weight(texts: list[str]) -> int:
    """A column's share of the width: room for its longest word (in bold), and a third of its longest text."""
    # a non-breaking space joins its neighbours into one word that must fit («№ изменения»)
    longest_word = max((len(word) for text in texts for word in _BREAKS.split(text)), default=0)
    longest_text = max((len(text) for text in texts), default=0)
    return max(6, longest_word + 3, longest_text // 3)  # + 3: the cell margins and bold headers


CHAR_TWIPS = 130  # a bold 12 pt Cyrillic letter, on average (Times New Roman)
CELL_MARGINS_TWIPS = 260  # left and right cell margins (108 each), and a little air


def _word_twips(texts: list[str]) -> int:
    """The width a column needs so that its longest word (bold in the header) is not broken."""
    longest_word = max((len(word) for text in texts for word in _BREAKS.split(text)), default=0)
    return longest_word * CHAR_TWIPS + CELL_MARGINS_TWIPS


def _column_widths(weights: list[int], minimums: list[int]) -> list[int]:
    """Share the text width by weight, but give every column at least its minimum (when all fit)."""
    if sum(minimums) > TEXT_WIDTH_TWIPS:
        minimums = [0] * len(weights)
    fixed: dict[int, int] = {}
    while True:
        free = [c for c in range(len(weights)) if c not in fixed]
        if not free:
            return [fixed[c] for c in range(len(weights))]
        room = TEXT_WIDTH_TWIPS - sum(fixed.values())
        total = sum(weights[c] for c in free)
        shares = {c: room * weights[c] // total for c in free}
        short = {c: minimums[c] for c in free if shares[c] < minimums[c]}
        if not short:
            return [fixed.get(c, shares.get(c, 0)) for c in range(len(weights))]
        fixed.update(short)


def _plain(runs: Inline) -> str:
    return "".join(run.text for run in runs)
