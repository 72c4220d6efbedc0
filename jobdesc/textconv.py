"""The text of a DOCX file, for ``git diff`` of documents (``jobdesc textconv``)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from jobdesc.errors import JobdescError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    """Paragraphs of the body in order (table cells separated by « | »), tracked insertions shown, deletions not."""
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            parser = etree.XMLParser(resolve_entities=False, no_network=True)
            root = etree.fromstring(package.read("word/document.xml"), parser)
    except FileNotFoundError:
        raise JobdescError(f"{path}: файл не найден") from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError):
        raise JobdescError(f"{path}: это не документ DOCX") from None
    body = root.find(f"{W}body")
    if body is None:
        raise JobdescError(f"{path}: это не документ DOCX (нет текста документа)")
    lines = list(_lines(body))
    return "\n".join(lines).strip("\n") + "\n"


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
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == f"{W}tab" else "\n")
    return "".join(parts)
