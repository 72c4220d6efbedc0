"""The text of a DOCX file, for ``git diff`` of documents (``jobdesc textconv``)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from jobdesc.errors import JobdescError

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path) -> str:
    """Paragraphs of the body in order (table cells separated by « | »), tracked insertions shown, deletions not."""
    from lxml import etree

    try:
        with zipfile.ZipFile(path) as package:
            root = etree.fromstring(package.read("word/document.xml"))
    except FileNotFoundError:
        raise JobdescError(f"{path}: файл не найден") from None
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, OSError):
        raise JobdescError(f"{path}: это не документ DOCX") from None
    lines: list[str] = []
    body = root.find(f"{W}body")
    for element in body:
        if element.tag == f"{W}p":
            lines.append(_paragraph(element))
        elif element.tag == f"{W}tbl":
            for row in element.iter(f"{W}tr"):
                cells = [" ".join(_paragraph(p) for p in cell.iter(f"{W}p")) for cell in row.iter(f"{W}tc")]
                lines.append(" | ".join(cells).rstrip())
    return "\n".join(lines).strip("\n") + "\n"


def _paragraph(p) -> str:  # noqa: ANN001
    parts = []
    for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
        if node.tag == f"{W}t":
            parts.append(node.text or "")
        else:
            parts.append("\t" if node.tag == f"{W}tab" else "\n")
    return "".join(parts)
