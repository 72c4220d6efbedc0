"""The text of a DOCX file, for ``git diff`` of documents (``jobdesc textconv``)."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from jobdesc.disk.reading import InputRefused, check_regular
from jobdesc.errors import JobdescError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


MAX_DOCUMENT_XML = 16 * 1024 * 1024  # bytes of word/document.xml once inflated (a 300-page document: a few MB)


def docx_text(path: Path) -> str:
    """Paragraphs of the body in order (table cells separated by « | »), tracked insertions shown, deletions not."""
    # lazy: brings lxml; loaded only by the commands that get here
    from lxml import etree

    try:
        check_regular(path)
    except InputRefused as exc:
        raise JobdescError(f"{path}: {exc.reason}") from None
    try:
        with zipfile.ZipFile(path) as package:
            xml = _document_xml(path, package)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError):
        raise JobdescError(f"{path}: это не документ DOCX") from None
    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError:
        raise JobdescError(f"{path}: это не документ DOCX (текст документа поврежден)") from None
    body = root.find(f"{W}body")
    if body is None:
        raise JobdescError(f"{path}: это не документ DOCX (нет текста документа)")
    lines = list(_lines(body))
    return "\n".join(lines).strip("\n") + "\n"


def _document_xml(path: Path, package: zipfile.ZipFile) -> bytes:
    """``word/document.xml``, refused before inflating when it is encrypted, oddly packed or too big."""
    try:
        entry = package.getinfo("word/document.xml")
    except KeyError:
        raise JobdescError(f"{path}: это не документ DOCX (нет word/document.xml)") from None
    if entry.flag_bits & 0x1:
        raise JobdescError(f"{path}: документ зашифрован — снимите пароль в Word и сохраните заново")
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise JobdescError(
            f"{path}: документ упакован неподдерживаемым способом сжатия — сохраните его заново в Word (.docx)"
        )
    too_big = (
        f"{path}: текст документа слишком большой (больше {MAX_DOCUMENT_XML // (1024 * 1024)} МБ после распаковки)"
    )
    if entry.file_size > MAX_DOCUMENT_XML:
        raise JobdescError(too_big)
    try:
        with package.open(entry) as stream:  # the size recorded may lie: read no more than the limit
            data = stream.read(MAX_DOCUMENT_XML + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, ValueError, zlib.error):
        raise JobdescError(f"{path}: это не документ DOCX (архив поврежден)") from None
    if len(data) > MAX_DOCUMENT_XML:
        raise JobdescError(too_big)
    return data


def _lines(container) -> Iterator[str]:  # noqa: ANN001
    """One line per paragraph and per table row, in order; content controls are looked into."""
    for element in container:
        if element.tag == f"{W}p":
            yield _paragraph(element)
        elif element.tag == f"{W}tbl":
            for row in element.findall(f"{W}tr"):
                cells = [" ".join(_lines(cell)) for cell in row.findall(f"{W}tc")]
                yield " | ".join(cells).rstrip()
        elif element.tag in (f"{W}sdt", f"{W}customXml", f"{W}smartTag"):
            content = element.find(f"{W}sdtContent")
            yield from _lines(content if content is not None else element)


def _paragraph(p) -> str:  # noqa: ANN001
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}noBreakHyphen"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        elif node.tag == f"{W}noBreakHyphen":  # «ДИ-014» that never breaks at its hyphen
            parts.append("-")
        else:
            parts.append("\t" if node.tag == f"{W}tab" else "\n")
    return "".join(parts)
