"""A .docx read as people write it: paragraphs with the numbers Word shows, tables, headers and footers.

python-docx gives the paragraphs and tables; the automatic numbers (``numbering.xml``: levels,
formats such as ``1.1.`` and ``а)``, restarts) are computed here, since python-docx does not.
The file is checked before it is opened: a zip bomb, an encrypted or a non-Word file is refused
with :class:`~jobdesc.errors.InputRefused`.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field

from jobdesc.errors import InputRefused

MAX_UNPACKED = 200 * 1024 * 1024  # all parts together, unpacked
MAX_RATIO = 200  # unpacked / packed of one part: far above any real document
MAX_PARTS = 5000
CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_RUSSIAN_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"  # Word's russianLower skips ё, й, ъ, ы, ь


@dataclass(frozen=True)
class Paragraph:
    """One paragraph: its text (typed numbers included), the automatic number Word shows before
    it (``label``, empty if none) and its level, style and look."""

    text: str
    label: str = ""
    level: int = 0
    style: str = ""
    heading: int = 0  # 1 for «Heading 1» / «Заголовок 1» …, 0 otherwise
    bold: bool = False
    bullet: bool = False  # the automatic label is a bullet, not a number


@dataclass(frozen=True)
class Table:
    """A table: the text of each cell, row by row (a merged cell once)."""

    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class WordDocument:
    """The body in order, and the text of the headers and footers (left out of an import)."""

    blocks: tuple[Paragraph | Table, ...]
    margins: tuple[str, ...] = field(default=())
    boxes: tuple[str, ...] = field(default=())  # text boxes (drawn shapes with text) of the body


def refuse_unsafe(data: bytes) -> None:
    """Refuse what is not a .docx to open: an encrypted file, an old binary document, a zip bomb."""
    if data.startswith(CFB_MAGIC):
        if "EncryptionInfo".encode("utf-16-le") in data:
            raise InputRefused("файл зашифрован паролем — снимите пароль в Word и повторите")
        raise InputRefused("документ Word 97–2003 (.doc) внутри файла с другим расширением — переименуйте его в .doc")
    if not data.startswith(b"PK"):
        raise InputRefused("это не документ Word (.docx)")
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise InputRefused("файл поврежден: это не архив .docx") from None
    parts = package.infolist()
    if len(parts) > MAX_PARTS:
        raise InputRefused(f"в файле слишком много частей ({len(parts)}) — это не документ Word")
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise InputRefused("файл распаковывается в слишком большой объем (zip-бомба?) — не читается")
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise InputRefused(f"часть {part.filename} сжата слишком сильно (zip-бомба?) — файл не читается")
    if "word/document.xml" not in package.namelist():
        raise InputRefused("это не документ Word (.docx): в архиве нет word/document.xml")


def read_docx(data: bytes) -> WordDocument:
    """The document in ``data``; :class:`InputRefused` for anything that is not a readable .docx."""
    # lazy: brings python-docx, lxml; loaded only by the commands that get here
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    refuse_unsafe(data)
    try:
        document = docx.Document(io.BytesIO(data))
        numbering = _Numbering(document)
        styles = _Styles(document)
        blocks: list[Paragraph | Table] = []
        for element in _body_elements(document.element.body):
            if element.tag == _W + "p":
                blocks.append(_paragraph(DocxParagraph(element, document), numbering, styles))
            else:
                blocks.append(_table(DocxTable(element, document)))
        margins = tuple(_margins(document))
        boxes = tuple(  # a box is stored twice (DrawingML and its VML fallback): once each
            dict.fromkeys(
                text
                for box in document.element.body.iter(_W + "txbxContent")
                for p in box.iter(_W + "p")
                if (text := text_of(p)).strip()
            )
        )
    except InputRefused:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure inside a hostile file is one message
        raise InputRefused(f"файл поврежден: {type(exc).__name__}") from None
    return WordDocument(tuple(blocks), margins, boxes)


_TEXT = {_W + "t": None, _W + "tab": "\t", _W + "br": "\n", _W + "cr": "\n", _W + "noBreakHyphen": "-"}
_SKIPPED = {_W + "del", _W + "moveFrom", _W + "txbxContent"}  # deleted text, and text boxes (paragraphs of their own)


def text_of(paragraph) -> str:  # noqa: ANN001 - a w:p element
    """The text Word shows in a paragraph: runs at any depth (tracked insertions, fields such as a page
    number, smart tags, hyperlinks), deleted text left out. python-docx reads direct runs only."""
    parts: list[str] = []
    for node in paragraph.iter(*_TEXT):
        parent = node.getparent()
        while parent is not None and parent is not paragraph and parent.tag not in _SKIPPED:
            parent = parent.getparent()
        if parent is paragraph:
            fixed = _TEXT[node.tag]
            parts.append(fixed if fixed is not None else node.text or "")
    return "".join(parts)


def _body_elements(body):  # noqa: ANN001, ANN202 - lxml elements
    """Paragraphs and tables in order, content controls (``w:sdt``) opened."""
    for child in body.iterchildren():
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _body_elements(content)


def _paragraph(paragraph, numbering: _Numbering, styles: _Styles) -> Paragraph:  # noqa: ANN001 - docx Paragraph
    ppr = paragraph._p.pPr
    style_id = _val(ppr, "pStyle") if ppr is not None else None
    style = styles.paragraph(style_id)
    found = re.match(r"(?:Heading|Заголовок)\s*(\d)", style.name, re.I)
    runs = [run for run in paragraph.runs if run.text.strip()]
    bold = bool(runs) and all(styles.run_bold(run._r, style) for run in runs)
    label, level, bullet = numbering.label(ppr, style, styles)
    return Paragraph(text_of(paragraph._p), label, level, style.name, int(found.group(1)) if found else 0, bold, bullet)


@dataclass(frozen=True)
class _Style:
    name: str = ""
    bold: bool | None = None
    num: tuple[str | None, int | None] = (None, None)
    based_on: str | None = None


class _Styles:
    """The styles part read once (python-docx looks a style up by scanning them all, per paragraph)."""

    def __init__(self, document) -> None:  # noqa: ANN001 - docx.Document
        self.styles: dict[str, _Style] = {}
        self.default = _Style()
        for element in document.styles.element.iterchildren(_W + "style"):
            name = element.find(_W + "name")
            rpr = element.find(_W + "rPr")
            bold = rpr.find(_W + "b") if rpr is not None else None
            style = _Style(
                name.get(_W + "val", "") if name is not None else "",
                None if bold is None else bold.get(_W + "val", "true") not in ("0", "false", "off"),
                _num_pr(element.find(_W + "pPr")),
                _val(element, "basedOn"),
            )
            self.styles[element.get(_W + "styleId", "")] = style
            if element.get(_W + "type") == "paragraph" and element.get(_W + "default") in ("1", "true"):
                self.default = style

    def paragraph(self, style_id: str | None) -> _Style:
        return self.styles.get(style_id or "", self.default)

    def chain(self, style: _Style | None):  # noqa: ANN201 - an iterator of _Style
        """``style`` and the styles it is based on (a loop in a broken file is cut)."""
        seen: set[int] = set()
        while style is not None and id(style) not in seen:
            seen.add(id(style))
            yield style
            style = self.styles.get(style.based_on) if style.based_on else None

    def run_bold(self, run, paragraph: _Style) -> bool:  # noqa: ANN001 - a w:r element
        rpr = run.find(_W + "rPr")
        if rpr is not None:
            bold = rpr.find(_W + "b")
            if bold is not None:
                return bold.get(_W + "val", "true") not in ("0", "false", "off")
            run_style = _val(rpr, "rStyle")
            for style in self.chain(self.styles.get(run_style or "")):
                if style.bold is not None:
                    return style.bold
        return next((style.bold for style in self.chain(paragraph) if style.bold is not None), False)


def _table(table) -> Table:  # noqa: ANN001 - docx.table.Table
    rows = []
    for row in table.rows:
        cells: list[str] = []
        seen: list[object] = []
        for cell in row.cells:
            if any(cell._tc is other for other in seen):
                continue
            seen.append(cell._tc)
            cells.append("\n".join(text_of(p) for p in cell._tc.iter(_W + "p")))  # nested tables too
        rows.append(tuple(cells))
    return Table(tuple(rows))


def _margins(document) -> list[str]:  # noqa: ANN001
    """The text of every header and footer (page numbers included)."""
    texts: list[str] = []
    for section in document.sections:
        for part in (
            section.header,
            section.footer,
            section.first_page_header,
            section.first_page_footer,
            section.even_page_header,
            section.even_page_footer,
        ):
            if part.is_linked_to_previous:
                continue
            texts.extend(text for p in part.paragraphs if (text := text_of(p._p)).strip())
            texts.extend(cell for t in part.tables for row in _table(t).rows for cell in row if cell.strip())
    return texts


class _Numbering:
    """The numbers Word shows: counters per abstract list, formats and texts per level."""

    def __init__(self, document) -> None:  # noqa: ANN001 - docx.Document
        self.abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError):
            return
        for abstract in root.iterchildren(_W + "abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in abstract.iterchildren(_W + "lvl"):
                levels[int(lvl.get(_W + "ilvl", "0"))] = (
                    _val(lvl, "numFmt") or "decimal",
                    _val(lvl, "lvlText") or "",
                    int(_val(lvl, "start") or 1),
                )
            self.abstract[abstract.get(_W + "abstractNumId", "")] = levels
        for num in root.iterchildren(_W + "num"):
            overrides = {
                int(o.get(_W + "ilvl", "0")): int(_val(o, "startOverride") or 1)
                for o in num.iterchildren(_W + "lvlOverride")
                if o.find(_W + "startOverride") is not None
            }
            self.nums[num.get(_W + "numId", "")] = (_val(num, "abstractNumId") or "", overrides)

    def label(self, ppr, style: _Style, styles: _Styles) -> tuple[str, int, bool]:  # noqa: ANN001 - w:pPr
        """(label, level, is a bullet) of a paragraph; ("", 0, False) when it has no automatic number."""
        num_id, level = _num_pr(ppr)
        for based in styles.chain(style):  # numbering given by the paragraph's style
            if num_id is not None:
                break
            num_id, style_level = based.num
            level = level if level is not None else style_level
        if not num_id or num_id == "0" or num_id not in self.nums:
            return "", 0, False
        level = level or 0
        abstract_id, overrides = self.nums[num_id]
        levels = self.abstract.get(abstract_id, {})
        if level not in levels:
            return "", level, False
        counters = self.counters.setdefault(abstract_id, {})
        if num_id not in self.started:
            self.started.add(num_id)
            for lvl, start in overrides.items():
                counters[lvl] = start - 1
        fmt, text, start = levels[level]
        counters[level] = counters.get(level, start - 1) + 1
        for deeper in [lvl for lvl in counters if lvl > level]:
            del counters[deeper]
        if fmt == "bullet":
            return "•", level, True

        def number(found: re.Match) -> str:
            lvl = int(found.group(1)) - 1
            lvl_fmt, _, lvl_start = levels.get(lvl, ("decimal", "", 1))
            return _format(counters.get(lvl, lvl_start), lvl_fmt)

        return re.sub(r"%(\d)", number, text).strip(), level, False


def _val(element, name: str) -> str | None:  # noqa: ANN001
    if element is None:
        return None
    found = element.find(_W + name)
    return found.get(_W + "val") if found is not None else None


def _num_pr(ppr) -> tuple[str | None, int | None]:  # noqa: ANN001
    if ppr is None or ppr.find(_W + "numPr") is None:
        return None, None
    numpr = ppr.find(_W + "numPr")
    level = _val(numpr, "ilvl")
    return _val(numpr, "numId"), int(level) if level is not None else None


def _format(value: int, fmt: str) -> str:
    """``value`` in a numFmt of Word: decimal, letters (Latin or Russian), Roman."""
    if fmt in ("lowerLetter", "upperLetter", "russianLower", "russianUpper"):
        letters = _RUSSIAN_LETTERS if fmt.startswith("russian") else "abcdefghijklmnopqrstuvwxyz"
        letter = letters[(value - 1) % len(letters)] * ((value - 1) // len(letters) + 1)
        return letter.upper() if fmt.endswith("Upper") or fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        roman = to_roman(value)
        return roman.lower() if fmt == "lowerRoman" else roman
    if fmt == "none":
        return ""
    if fmt == "decimalZero":
        return f"{value:02d}"
    return str(value)


def to_roman(value: int) -> str:
    """1 → I, 4 → IV, 14 → XIV."""
    out = ""
    for number, letters in (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ):
        while value >= number:
            out += letters
            value -= number
    return out
