"""Document model → DOCX bytes, on top of python-docx and the project's styles file.

Each copy is a section of its own: it starts on a new page and restarts page numbering, and
page numbers stand centred at the top from the copy's second page. Paragraph styles are
referred to by the style ids below; fonts, sizes, spacing and margins come from the styles
file, so HR restyles the documents in Word without touching code.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from jobdesc.render.document import Block, Box, Clause, Document, Heading, Inline, ListItem, PageBreak, Paragraph, Run, Table

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
    "table": "JDTableText",
    "header": "JDHeader",
    "grid": "JDTable",
}
FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
TEXT_WIDTH_TWIPS = 10205  # 180 mm: A4 less 20 + 10 mm margins
REQUISITES_SHARE = 0.52
ROW_TWIPS = 454  # 0.8 cm: room to write a name and sign by hand
BOX_STYLES = {"copy-mark": "copy_mark", "requisites": "requisite", "approval": "approval",
              "signature": "signature", "center": "center"}


@dataclass(frozen=True)
class Properties:
    """Document properties (File → Properties), taken from the data, never from the clock."""

    title: str
    subject: str
    author: str
    keywords: str = ""
    revision: int = 1
    date: dt.date | None = None


@dataclass(frozen=True)
class Revisions:
    """Author and date of the tracked changes in a redline."""

    author: str
    date: dt.date | None = None


def write_docx(copies: Sequence[Document], styles: Path, properties: Properties, mark: str | None = None,
               revisions: Revisions | None = None) -> bytes:
    """The DOCX file of ``copies`` (each a section of its own), as reproducible bytes.

    ``mark`` («ПРОЕКТ») is printed at the top of every page; ``revisions`` gives author and
    date to runs marked ``ins``/``del`` (Word's tracked changes).
    """
    import docx
    from docx.enum.section import WD_SECTION

    document = docx.Document(str(styles))
    body = document.element.body
    for child in list(body):
        if not child.tag.endswith("}sectPr"):
            body.remove(child)
    _number_pages(document.sections[0], mark)
    for index, copy in enumerate(copies):
        if index:
            document.add_section(WD_SECTION.NEW_PAGE)
        _Writer(document, revisions).write(copy.blocks)
    _set_properties(document, properties)
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


def _number_pages(section, mark: str | None) -> None:  # noqa: ANN001
    """Page numbers centred at the top, none on the first page, restarting at 1; ``mark`` on every page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    paragraph = header.paragraphs[0]
    paragraph._p.get_or_add_pPr().style = STYLE_IDS["header"]
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    section.first_page_header.is_linked_to_previous = False
    if mark:
        first = section.first_page_header.paragraphs[0]._p
        for p in (first, header.add_paragraph()._p):
            p.get_or_add_pPr().style = STYLE_IDS["header"]
            _add_run(p, mark, bold=True, italic=False)
    sect_pr = section._sectPr
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        sect_pr.append(numbering)
        _reorder_sect_pr(sect_pr)
    numbering.set(qn("w:start"), "1")


_SECT_PR_ORDER = ["headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                  "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                  "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange"]


def _reorder_sect_pr(sect_pr) -> None:  # noqa: ANN001
    """Children of w:sectPr in the order the schema requires."""
    children = sorted(sect_pr, key=lambda el: _SECT_PR_ORDER.index(el.tag.split("}")[1]))
    for child in children:
        sect_pr.append(child)


class _Writer:
    """Appends blocks to the body of a python-docx document."""

    def __init__(self, document, revisions: Revisions | None = None) -> None:  # noqa: ANN001
        self.document = document
        self.body = document.element.body
        self.page_break = False
        self.revisions = revisions or Revisions("jobdesc")
        self.revision_id = 0

    def _tracked(self, kind: str):  # noqa: ANN202
        """A new w:ins or w:del element with id, author and date."""
        from docx.oxml import OxmlElement
        from docx.oxml.ns import qn

        self.revision_id += 1
        element = OxmlElement(f"w:{kind}")
        element.set(qn("w:id"), str(self.revision_id))
        element.set(qn("w:author"), self.revisions.author)
        if self.revisions.date:
            element.set(qn("w:date"), f"{self.revisions.date.isoformat()}T00:00:00Z")
        return element

    def write(self, blocks: Sequence[Block]) -> None:
        index = 0
        while index < len(blocks):
            block = blocks[index]
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if isinstance(block, Box) and block.kind == "requisites" and isinstance(following, Box) and following.kind == "approval":
                self._requisites_and_approval(block, following)
                index += 2
                continue
            self._block(block)
            index += 1

    def _block(self, block: Block) -> None:
        if isinstance(block, PageBreak):
            self.page_break = True
        elif isinstance(block, Heading):
            self._paragraph("title" if block.level == 1 else "section", block.runs, prefix=block.number)
        elif isinstance(block, Clause):
            self._paragraph("clause" if block.depth == 1 else "subclause", block.runs, prefix=block.number)
        elif isinstance(block, ListItem):
            self._paragraph("item", block.runs, prefix="–")
        elif isinstance(block, Paragraph):
            self._paragraph("body", block.runs)
        elif isinstance(block, Box):
            for line in block.lines:
                self._paragraph(BOX_STYLES[block.kind], line)
        elif isinstance(block, Table):
            self._table(block)

    def _paragraph(self, style: str, runs: Inline, prefix: str | None = None, container=None):  # noqa: ANN001, ANN202
        p = (container if container is not None else self.body).add_p()
        ppr = p.get_or_add_pPr()
        ppr.style = STYLE_IDS[style]
        if self.page_break and container is None:
            ppr.pageBreakBefore_val = True
            self.page_break = False
        if prefix:
            _add_run(p, prefix + " ", bold=False, italic=False)
        self._runs(p, runs)
        changes = {run.change for run in runs}
        if runs and len(changes) == 1 and None not in changes:
            self._mark_paragraph(ppr, changes.pop())
        return p

    def _runs(self, p, runs: Inline) -> None:  # noqa: ANN001
        for run in runs:
            if run.change is None:
                _add_run(p, run.text, run.bold, run.italic)
                continue
            wrapper = self._tracked(run.change)
            p.append(wrapper)
            _add_run(wrapper, run.text, run.bold, run.italic, deleted=run.change == "del")

    def _mark_paragraph(self, ppr, change: str) -> None:  # noqa: ANN001
        """The paragraph mark itself inserted or deleted: the whole paragraph comes or goes."""
        from docx.oxml import OxmlElement

        rpr = ppr.find(qn_("w:rPr"))
        if rpr is None:
            rpr = OxmlElement("w:rPr")
            ppr.append(rpr)
        rpr.append(self._tracked(change))

    def _page_break_paragraph(self) -> None:
        if self.page_break:
            from docx.enum.text import WD_BREAK

            p = self.body.add_p()
            p.add_r().add_br().type = WD_BREAK.PAGE
            self.page_break = False

    def _requisites_and_approval(self, requisites: Box, approval: Box) -> None:
        self._page_break_paragraph()
        left = round(TEXT_WIDTH_TWIPS * REQUISITES_SHARE)
        table = self._new_table(1, [left, TEXT_WIDTH_TWIPS - left], grid=False)
        for cell, box in zip(table.rows[0].cells, (requisites, approval)):
            cell._tc.remove(cell._tc.p_lst[0])
            for line in box.lines:
                self._paragraph(BOX_STYLES[box.kind], line, container=cell._tc)

    def _table(self, block: Table) -> None:
        self._page_break_paragraph()
        columns = max(len(row) for row in block.rows)
        weights = [_column_weight([_text(row[c]) for row in block.rows if c < len(row)]) for c in range(columns)]
        total = sum(weights)
        widths = [TEXT_WIDTH_TWIPS * w // total for w in weights]
        table = self._new_table(len(block.rows), widths, grid=True)
        for row_index, (row, source) in enumerate(zip(table.rows, block.rows)):
            header = row_index < block.header_rows
            if header:
                _row_property(row, "w:tblHeader")
            else:
                _row_height(row, ROW_TWIPS)
            if block.change:
                row._tr.get_or_add_trPr().append(self._tracked(block.change))
            for cell, runs in zip(row.cells, source):
                p = cell._tc.p_lst[0]
                ppr = p.get_or_add_pPr()
                ppr.style = STYLE_IDS["table"]
                runs = tuple(Run(r.text, r.bold or header, r.italic, r.change or block.change) for r in runs)
                self._runs(p, runs)
                if block.change:
                    self._mark_paragraph(ppr, block.change)

    def _new_table(self, rows: int, widths: list[int], grid: bool):  # noqa: ANN202
        from docx.shared import Twips

        table = self.document.add_table(rows=rows, cols=len(widths))
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        if grid:
            tbl_pr.style = STYLE_IDS["grid"]
        for column, width in zip(table.columns, widths):
            column.width = Twips(width)
        for row in table.rows:
            for cell, width in zip(row.cells, widths):
                cell.width = Twips(width)
        return table


def _column_weight(texts: list[str]) -> int:
    """A column's share of the width: room for its longest word, and a third of its longest text."""
    longest_word = max((len(word) for text in texts for word in text.split()), default=0)
    longest_text = max((len(text) for text in texts), default=0)
    return max(6, longest_word + 1, longest_text // 3)


def _text(runs: Inline) -> str:
    return "".join(run.text for run in runs)


def qn_(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _add_run(parent, text: str, bold: bool, italic: bool, deleted: bool = False) -> None:  # noqa: ANN001
    """A w:r with ``text`` under ``parent`` (a w:p, w:ins or w:del); deleted text is w:delText."""
    from docx.oxml import OxmlElement

    r = OxmlElement("w:r")
    parent.append(r)
    if bold or italic:
        rpr = r.get_or_add_rPr()
        if bold:
            rpr.get_or_add_b()
        if italic:
            rpr.get_or_add_i()
    r.text = text
    if deleted:
        for t in r.findall(qn_("w:t")):
            t.tag = qn_("w:delText")


def _row_property(row, tag: str) -> None:  # noqa: ANN001
    from docx.oxml import OxmlElement

    row._tr.get_or_add_trPr().append(OxmlElement(tag))


def _row_height(row, twips: int) -> None:  # noqa: ANN001
    from docx.enum.table import WD_ROW_HEIGHT_RULE
    from docx.shared import Twips

    row.height = Twips(twips)
    row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST


def _set_properties(document, properties: Properties) -> None:  # noqa: ANN001
    core = document.core_properties
    core.title = properties.title
    core.subject = properties.subject
    core.author = core.last_modified_by = properties.author
    core.keywords = properties.keywords
    core.comments = ""
    core.revision = properties.revision
    moment = dt.datetime.combine(properties.date or dt.date(2000, 1, 1), dt.time())
    core.created = core.modified = moment
    core.last_printed = moment


def normalise_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and attributes, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_ZIP_TIME)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 0
            target.writestr(entry, source.read(info.filename))
    return buffer.getvalue()
