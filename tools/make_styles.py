"""Regenerate ``jobdesc/templates/styles.docx``, the Word styles file the documents are built on.

HR may restyle a copy (``jobdesc templates copy styles.docx``) directly in Word or LibreOffice; this script is only
the origin of the shipped file: ``python tools/make_styles.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from jobdesc.render.docx_writer import STYLE_IDS, normalise_zip  # noqa: E402

FONT = "Times New Roman"
# Centres of the blanks of the receipt (signature, its decoding, date) and of their captions: the
# first blank starts the line, 12 underscores of 12 pt wide, so its caption is centred at 1.27 cm.
RECEIPT_TABS_CM = (1.27, 7.6, 14.0)


def _fonts(style, size: float, bold: bool = False, italic: bool = False) -> None:  # noqa: ANN001
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attr), None)
    style.font.size = Pt(size)
    style.font.bold = bold
    style.font.italic = italic
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "ru-RU")
    lang.set(qn("w:eastAsia"), "ru-RU")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)


def _paragraph(
    styles,
    style_id: str,
    name: str,
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align=WD_ALIGN_PARAGRAPH.JUSTIFY,
    indent: float = 1.25,
    before: float = 0,
    after: float = 0,
    keep_next: bool = False,
    hyphenate: bool = True,
):  # noqa: ANN001, ANN202
    style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.element.set(qn("w:styleId"), style_id)
    style.base_style = styles["Normal"]
    style.quick_style = True
    _fonts(style, size, bold, italic)
    fmt = style.paragraph_format
    fmt.alignment = align
    fmt.first_line_indent = Cm(indent)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    fmt.keep_with_next = keep_next
    fmt.widow_control = True
    if not hyphenate:  # headings, requisites and signatures are never hyphenated
        ppr = style.element.get_or_add_pPr()
        ppr.insert_element_before(OxmlElement("w:suppressAutoHyphens"), *_AFTER_SUPPRESS_HYPHENS)
    return style


# What follows w:suppressAutoHyphens in w:pPr (the schema fixes the order).
_AFTER_SUPPRESS_HYPHENS = tuple(
    f"w:{name}"
    for name in (
        "kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi adjustRightInd snapToGrid "
        "spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection textAlignment "
        "textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ).split()
)


def _hyphenation(document) -> None:  # noqa: ANN001
    """Automatic hyphenation on (w:autoHyphenation in the settings), so justified lines have no wide gaps."""
    settings = document.settings.element
    for name in ("autoHyphenation", "consecutiveHyphenLimit", "hyphenationZone"):
        for old in settings.findall(qn(f"w:{name}")):
            settings.remove(old)
    hyphenation = OxmlElement("w:autoHyphenation")
    limit = OxmlElement("w:consecutiveHyphenLimit")
    limit.set(qn("w:val"), "2")
    zone = OxmlElement("w:hyphenationZone")
    zone.set(qn("w:val"), "357")  # 0.63 cm, Word's default
    # The schema's order: … autoHyphenation, consecutiveHyphenLimit, hyphenationZone … before doNotHyphenateCaps.
    anchor = next(
        (
            settings.find(qn(f"w:{name}"))
            for name in (
                "doNotHyphenateCaps",
                "showEnvelope",
                "summaryLength",
                "clickAndTypeStyle",
                "defaultTableStyle",
                "evenAndOddHeaders",
                "bookFoldRevPrinting",
                "bookFoldPrinting",
                "bookFoldPrintingSheets",
                "drawingGridHorizontalSpacing",
                "drawingGridVerticalSpacing",
                "displayHorizontalDrawingGridEvery",
                "displayVerticalDrawingGridEvery",
                "doNotUseMarginsForDrawingGridOrigin",
                "drawingGridHorizontalOrigin",
                "drawingGridVerticalOrigin",
                "doNotShadeFormData",
                "noPunctuationKerning",
                "characterSpacingControl",
            )
            if settings.find(qn(f"w:{name}")) is not None
        ),
        None,
    )
    for element in (hyphenation, limit, zone):
        if anchor is not None:
            anchor.addprevious(element)
        else:
            settings.append(element)


KEEP_STYLES = {
    "Normal",
    "Header",
    "HeaderChar",
    "Footer",
    "FooterChar",
    "DefaultParagraphFont",
    "TableNormal",
    "NoList",
    "TableGrid",
}
DROP_PARTS = ("stylesWithEffects", "customXml", "webSettings", "thumbnail", "numbering")


def _prune(document) -> None:  # noqa: ANN001
    """Keep the styles file small: only the styles documents use, no thumbnail or extras."""
    styles = document.styles.element
    for style in styles.findall(qn("w:style")):
        style_id = style.get(qn("w:styleId"))
        if style_id not in KEEP_STYLES and not style_id.startswith("JD"):
            styles.remove(style)
    for owner in (document.part, document.part.package):
        for rid, rel in list(owner.rels.items()):
            if any(name in rel.reltype or name in (rel.target_ref or "") for name in DROP_PARTS):
                del owner.rels[rid]


def build(path: Path) -> None:
    """Write the styles file to ``path``."""
    document = Document()
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    styles = document.styles
    normal = styles["Normal"]
    _fonts(normal, 14)
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    normal.paragraph_format.first_line_indent = Cm(1.25)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    names = {
        "title": "ДИ: заголовок",
        "section": "ДИ: раздел",
        "clause": "ДИ: пункт",
        "subclause": "ДИ: подпункт",
        "item": "ДИ: перечисление",
        "body": "ДИ: текст",
        "requisite": "ДИ: реквизит",
        "approval": "ДИ: гриф утверждения",
        "copy_mark": "ДИ: отметка экземпляра",
        "center": "ДИ: текст по центру",
        "signature": "ДИ: подпись",
        "receipt": "ДИ: расписка",
        "table": "ДИ: текст таблицы",
        "header": "ДИ: колонтитул",
    }
    ids = STYLE_IDS
    _paragraph(
        styles,
        ids["title"],
        names["title"],
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
        before=12,
        after=12,
        keep_next=True,
        hyphenate=False,
    )
    _paragraph(
        styles,
        ids["section"],
        names["section"],
        bold=True,
        align=WD_ALIGN_PARAGRAPH.CENTER,
        indent=0,
        before=12,
        after=6,
        keep_next=True,
        hyphenate=False,
    )
    _paragraph(styles, ids["clause"], names["clause"])
    _paragraph(styles, ids["subclause"], names["subclause"])
    _paragraph(styles, ids["item"], names["item"])
    _paragraph(styles, ids["body"], names["body"])
    _paragraph(styles, ids["requisite"], names["requisite"], align=WD_ALIGN_PARAGRAPH.LEFT, indent=0, hyphenate=False)
    _paragraph(styles, ids["approval"], names["approval"], align=WD_ALIGN_PARAGRAPH.LEFT, indent=0, hyphenate=False)
    _paragraph(
        styles,
        ids["copy_mark"],
        names["copy_mark"],
        size=11,
        italic=True,
        align=WD_ALIGN_PARAGRAPH.RIGHT,
        indent=0,
        after=12,
        hyphenate=False,
    )
    _paragraph(
        styles, ids["center"], names["center"], align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, after=12, hyphenate=False
    )
    signature = _paragraph(
        styles,
        ids["signature"],
        names["signature"],
        align=WD_ALIGN_PARAGRAPH.LEFT,
        indent=0,
        before=24,
        hyphenate=False,
    )
    signature.paragraph_format.tab_stops.add_tab_stop(Cm(18), WD_TAB_ALIGNMENT.RIGHT)
    # Blanks to fill by hand and, on the next line, their captions centred under them.
    receipt = _paragraph(
        styles,
        ids["receipt"],
        names["receipt"],
        size=12,
        align=WD_ALIGN_PARAGRAPH.LEFT,
        indent=0,
        hyphenate=False,
    )
    for position in RECEIPT_TABS_CM:
        receipt.paragraph_format.tab_stops.add_tab_stop(Cm(position), WD_TAB_ALIGNMENT.CENTER)
    _paragraph(styles, ids["table"], names["table"], size=12, align=WD_ALIGN_PARAGRAPH.LEFT, indent=0, hyphenate=False)
    _paragraph(
        styles, ids["header"], names["header"], size=12, align=WD_ALIGN_PARAGRAPH.CENTER, indent=0, hyphenate=False
    )

    grid = styles.add_style("ДИ: таблица", WD_STYLE_TYPE.TABLE)
    grid.element.set(qn("w:styleId"), ids["grid"])
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "4")
        element.set(qn("w:space"), "0")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    tbl_pr = grid.element.find(qn("w:tblPr"))
    if tbl_pr is None:
        tbl_pr = OxmlElement("w:tblPr")
        grid.element.append(tbl_pr)
    tbl_pr.append(borders)

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin, section.right_margin = Mm(20), Mm(10)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.header_distance, section.footer_distance = Mm(10), Mm(10)

    _hyphenation(document)
    _prune(document)
    props = document.core_properties
    props.title = "Стили должностных инструкций jobdesc"
    props.author = props.last_modified_by = "jobdesc"
    props.revision = 1
    import datetime as dt

    props.created = props.modified = dt.datetime(2026, 1, 1)
    props.comments = props.keywords = props.subject = props.category = ""
    import io

    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(normalise_zip(buffer.getvalue()))


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "jobdesc" / "templates" / "styles.docx"
    build(target)
    print(target)
