"""Document model → DOCX bytes, on top of python-docx and the project's styles file.

Each copy is a section of its own: it starts on a new page and restarts page numbering, and
page numbers stand centred at the top from the copy's second page. Paragraph styles are
referred to by the style ids below; fonts, sizes, spacing and margins come from the styles
file, so HR restyles the documents in Word without touching code.

python-docx builds the package once per styles file (:class:`Package`: styles, headers,
section properties); each document then only adds its body (:mod:`jobdesc.render.wordml`)
and its properties to a zip of the other parts compressed once per process.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import marshal
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from jobdesc.render import wordml
from jobdesc.render.document import Document
from jobdesc.render.wordml import STYLE_IDS, Revisions  # noqa: F401 - STYLE_IDS for tools/make_styles.py

FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
COMPRESS_LEVEL = 1  # five times faster than the default on document.xml, files about a third larger
DOCUMENT_PART = "word/document.xml"
CORE_PART = "docProps/core.xml"


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
class Package:
    """Everything of a DOCX but the body and the properties, made once per styles file."""

    parts: tuple[tuple[str, bytes], ...]
    document_head: str
    section_break: str
    document_tail: str
    core: bytes

    @classmethod
    def from_styles(cls, styles: bytes, mark: str | None) -> Package:
        """Open the styles file's bytes with python-docx, set up page numbers (and ``mark``), serialise."""
        # lazy: brings python-docx, lxml; loaded only by the commands that get here
        import docx

        document = docx.Document(io.BytesIO(styles))
        body = document.element.body
        for child in list(body):
            if not child.tag.endswith("}sectPr"):
                body.remove(child)
        _number_pages(document.sections[0], mark)
        document.core_properties.title = ""  # makes sure the core properties part exists
        buffer = io.BytesIO()
        document.save(buffer)
        with zipfile.ZipFile(buffer) as package:
            parts = tuple((name, package.read(name)) for name in package.namelist())
        xml = dict(parts)[DOCUMENT_PART].decode("utf-8")
        start = xml.index("<w:body>") + len("<w:body>")
        end = xml.index("</w:body>")
        sect_pr = xml[start:end]  # the body holds only the section properties now
        # Every copy's section carries the same properties and header references, so that a
        # single copy, and each copy of several, has its page numbers.
        return cls(
            parts, xml[:start], f"<w:p><w:pPr>{sect_pr}</w:pPr></w:p>", sect_pr + xml[end:], dict(parts)[CORE_PART]
        )


@lru_cache(maxsize=8)
def package_for(styles: bytes, mark: str | None = None) -> Package:
    """The package of a styles file's bytes, made once per process: by python-docx, or read from
    jobdesc's cache on disk when these bytes have been made into a package before by the same code
    and libraries."""
    # lazy: jobdesc.disk.cache and what it imports (5 modules) load only for the commands that get here
    from jobdesc.disk import cache

    name = cache.key(
        hashlib.sha256(styles).hexdigest(),
        mark or "",
        cache.package_stamp("docx"),
        cache.package_stamp("lxml"),
        cache.source_digest("render/docx_writer", "render/wordml"),
    )
    stored = cache.load("packages", name)
    if stored is not None:
        try:
            parts, head, section_break, tail, core = marshal.loads(stored)
            return Package(tuple(tuple(part) for part in parts), head, section_break, tail, core)
        except (ValueError, TypeError, EOFError):
            pass  # a damaged entry: made anew
    package = Package.from_styles(styles, mark)
    fields = (package.parts, package.document_head, package.section_break, package.document_tail, package.core)
    cache.store("packages", name, marshal.dumps(fields))
    return package


def write_docx(
    copies: Sequence[Document],
    styles: bytes,
    properties: Properties,
    mark: str | None = None,
    revisions: Revisions | None = None,
) -> bytes:
    """The DOCX file of ``copies`` (each a section of its own), as reproducible bytes.

    ``mark`` («ПРОЕКТ») is printed at the top of every page; ``revisions`` gives author and
    date to runs marked ``ins``/``del`` (Word's tracked changes).
    """
    package = package_for(styles, mark)
    writer = wordml.BodyWriter(revisions)
    body = package.section_break.join(writer.blocks(copy.blocks) for copy in copies)
    document = (package.document_head + body + package.document_tail).encode("utf-8")
    buffer = io.BytesIO(_static_zip(package))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as target:  # appended after the static parts
        target.writestr(_entry(CORE_PART), _core(package.core, properties), compresslevel=COMPRESS_LEVEL)
        target.writestr(_entry(DOCUMENT_PART), document, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


@lru_cache(maxsize=8)
def _static_zip(package: Package) -> bytes:
    """A zip of the parts every document of ``package`` shares (styles, numbering, settings, fonts,
    theme, headers, relationships), compressed once per process: each document is this zip with
    its properties and its body appended (``zipfile``'s own append mode), last in the package."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in package.parts:
            if name not in (DOCUMENT_PART, CORE_PART):
                target.writestr(_entry(name), data, compresslevel=COMPRESS_LEVEL)
    return buffer.getvalue()


def _entry(name: str) -> zipfile.ZipInfo:
    entry = zipfile.ZipInfo(name, date_time=FIXED_ZIP_TIME)
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    entry.create_system = 0
    return entry


# A value python-docx writes as it is: no character lxml escapes («&», «<», «>», CR) or refuses,
# none of the slot marks below, at most python-docx's 255 characters.
_PLAIN_VALUE = re.compile(r"[^&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ue000\ue001\ufffe\uffff]{0,255}")
_SLOT_REVISION = 987654321
_SLOT_DATE = dt.date(1234, 5, 6)
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%SZ"  # as python-docx writes W3CDTF dates


def _core(template: bytes, properties: Properties) -> bytes:
    """docProps/core.xml with the document's properties: the bytes python-docx writes.

    python-docx parses and serialises the part once per styles file and set of empty values,
    with marks in the slots (:func:`_core_pattern`); each document then fills the slots. Values
    that python-docx would escape, refuse or reject go through python-docx itself.
    """
    texts = (properties.title, properties.subject, properties.author, properties.keywords)
    revision = properties.revision
    if not (
        all(isinstance(text, str) and _PLAIN_VALUE.fullmatch(text) for text in texts)
        and type(revision) is int
        and revision >= 1
    ):
        return _core_docx(template, properties)
    xml = _core_pattern(template, tuple(not text for text in texts))
    for index, text in enumerate(texts):
        xml = xml.replace(f"\ue000{index}\ue001", text)
    moment = dt.datetime.combine(properties.date or dt.date(2000, 1, 1), dt.time())
    slot_moment = dt.datetime.combine(_SLOT_DATE, dt.time())
    xml = xml.replace(f">{_SLOT_REVISION}<", f">{revision}<")
    return xml.replace(slot_moment.strftime(_DATE_FORMAT), moment.strftime(_DATE_FORMAT)).encode("utf-8")


@lru_cache(maxsize=64)
def _core_pattern(template: bytes, empty: tuple[bool, ...]) -> str:
    """docProps/core.xml made by python-docx with a mark in each slot (an empty value stays empty:
    its element is written self-closed)."""
    # lazy: jobdesc.disk.cache and what it imports (5 modules) load only for the commands that get here
    from jobdesc.disk import cache

    name = cache.key(
        hashlib.sha256(template).hexdigest(),
        repr(empty),
        cache.package_stamp("docx"),
        cache.package_stamp("lxml"),
        cache.source_digest("render/docx_writer"),
    )
    marks = ["" if blank else f"\ue000{index}\ue001" for index, blank in enumerate(empty)]
    stored = cache.load("packages", name)  # a cold build need not import python-docx
    try:
        pattern_text = stored.decode("utf-8") if stored is not None else ""
    except UnicodeDecodeError:
        pattern_text = ""
    slots = [*filter(None, marks), f">{_SLOT_REVISION}<", f">{_SLOT_DATE:%Y-%m-%d}T00:00:00Z<"]
    if pattern_text.startswith("<?xml") and all(slot in pattern_text for slot in slots):
        return pattern_text  # (a damaged entry is made anew)
    title, subject, author, keywords = marks
    properties = Properties(title, subject, author, keywords, revision=_SLOT_REVISION, date=_SLOT_DATE)
    pattern = _core_docx(template, properties)
    cache.store("packages", name, pattern)
    return pattern.decode("utf-8")


def _core_docx(template: bytes, properties: Properties) -> bytes:
    """docProps/core.xml with the document's properties (python-docx's core properties element)."""
    # lazy: brings python-docx, lxml; loaded only by the commands that get here
    from docx.oxml.coreprops import CT_CoreProperties
    from docx.oxml.parser import parse_xml
    from lxml import etree

    core = parse_xml(template)
    assert isinstance(core, CT_CoreProperties)  # python-docx's element class for <cp:coreProperties>
    core.title_text = properties.title
    core.subject_text = properties.subject
    core.author_text = properties.author
    core.lastModifiedBy_text = properties.author
    core.keywords_text = properties.keywords
    core.comments_text = ""
    core.revision_number = properties.revision
    moment = dt.datetime.combine(properties.date or dt.date(2000, 1, 1), dt.time())
    core.created_datetime = core.modified_datetime = core.lastPrinted_datetime = moment
    return etree.tostring(core, xml_declaration=True, encoding="UTF-8", standalone=True)


def _number_pages(section, mark: str | None) -> None:  # noqa: ANN001
    """Page numbers centred at the top, none on the first page, restarting at 1; ``mark`` on every page."""
    # lazy: brings python-docx, lxml; loaded only by the commands that get here
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
    from docx.oxml import OxmlElement, parse_xml
    from docx.oxml.ns import nsdecls, qn

    section.different_first_page_header_footer = True
    header = section.header
    header.is_linked_to_previous = False
    section.first_page_header.is_linked_to_previous = False
    page = f'<w:fldSimple {nsdecls("w")} w:instr=" PAGE "><w:r><w:t>2</w:t></w:r></w:fldSimple>'
    tab = f"<w:r {nsdecls('w')}><w:tab/></w:r>"
    label = f"<w:r {nsdecls('w')}><w:rPr><w:b/></w:rPr><w:t>{wordml.escape(mark or '')}</w:t></w:r>"
    for paragraph, pieces in ((header.paragraphs[0], [page]), (section.first_page_header.paragraphs[0], [])):
        paragraph._p.get_or_add_pPr().style = STYLE_IDS["header"]
        if mark:  # the mark at the right margin, the page number still centred, on one line
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
            width = section.page_width - section.left_margin - section.right_margin
            paragraph.paragraph_format.tab_stops.add_tab_stop(width // 2, WD_TAB_ALIGNMENT.CENTER)
            paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT)
            pieces = [tab, *pieces, tab, label]
        for piece in pieces:
            paragraph._p.append(parse_xml(piece))
    sect_pr = section._sectPr
    numbering = sect_pr.find(qn("w:pgNumType"))
    if numbering is None:
        numbering = OxmlElement("w:pgNumType")
        sect_pr.append(numbering)
        _reorder_sect_pr(sect_pr)
    numbering.set(qn("w:start"), "1")


_SECT_PR_ORDER = [
    "headerReference",
    "footerReference",
    "footnotePr",
    "endnotePr",
    "type",
    "pgSz",
    "pgMar",
    "paperSrc",
    "pgBorders",
    "lnNumType",
    "pgNumType",
    "cols",
    "formProt",
    "vAlign",
    "noEndnote",
    "titlePg",
    "textDirection",
    "bidi",
    "rtlGutter",
    "docGrid",
    "printerSettings",
    "sectPrChange",
]


def _reorder_sect_pr(sect_pr) -> None:  # noqa: ANN001
    """Children of w:sectPr in the order the schema requires."""
    for child in sorted(sect_pr, key=lambda el: _SECT_PR_ORDER.index(el.tag.split("}")[1])):
        sect_pr.append(child)


def normalise_zip(data: bytes) -> bytes:
    """The same zip with fixed entry times and attributes, so equal content gives equal bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(_entry(info.filename), source.read(info.filename))
    return buffer.getvalue()
