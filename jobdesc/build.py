"""The pipeline from a loaded role to written documents: render → write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jobdesc.errors import JobdescError, Problem, ProblemsError
from jobdesc.fsutil import atomic_write
from jobdesc.model import Role
from jobdesc.project import Project
from jobdesc.render.document import Document
from jobdesc.render.markdown import MarkdownError, parse
from jobdesc.render.templates import JOB_DESCRIPTION, STYLES_FILE, TemplateProblem, render_markdown


@dataclass(frozen=True)
class Approval:
    """What the approval block shows; empty fields print as blanks to fill by hand."""

    date: dt.date | None = None


def render_role(project: Project, role: Role, copies: int | None = None, approval: Approval = Approval()) -> list[Document]:
    """The document model of each copy of ``role``'s job description."""
    settings = project.config.document
    total = copies or settings.copies
    return [
        render_template(project, JOB_DESCRIPTION, {
            "org": project.config.organisation,
            "approver": project.config.approver,
            "settings": settings,
            "role": role,
            "copy": {"number": number, "total": total},
            "approval": approval,
            "doc": {"date": approval.date},
        })
        for number in range(1, total + 1)
    ]


def render_template(project: Project, name: str, context: dict) -> Document:
    """One template of the project rendered and read into the document model."""
    source = render_markdown(project.templates, name, context)
    try:
        return parse(source)
    except MarkdownError as exc:
        raise TemplateProblem(Problem(f"templates/{name}", None, "", str(exc))) from None


def styles_path(project: Project) -> Path:
    return project.templates / STYLES_FILE


def check_styles(project: Project) -> list[Problem]:
    """Problems with ``templates/styles.docx``: missing, not a DOCX, or lacking a style."""
    import zipfile

    from jobdesc.render.docx_writer import STYLE_IDS

    path = styles_path(project)
    shown = f"templates/{STYLES_FILE}"
    try:
        with zipfile.ZipFile(path) as package:
            styles_xml = package.read("word/styles.xml").decode("utf-8")
            package.read("word/document.xml")
    except FileNotFoundError:
        return [Problem(shown, None, "", "файл стилей не найден")]
    except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError):
        return [Problem(shown, None, "", "файл стилей поврежден или это не DOCX: сохраните его заново в Word (.docx)")]
    return [
        Problem(shown, None, "", f"нет стиля {style_id} (нужен для «{purpose}»)")
        for purpose, style_id in STYLE_IDS.items()
        if f'w:styleId="{style_id}"' not in styles_xml
    ]


def document_bytes(project: Project, role: Role, copies: list[Document], approval: Approval = Approval()) -> bytes:
    """The DOCX bytes of the given copies of ``role``."""
    from jobdesc.render.docx_writer import Properties, write_docx

    org = project.config.organisation
    properties = Properties(
        title=f"Должностная инструкция {role.title_genitive}",
        subject=role.department,
        author=org.short_name,
        keywords=role.number or "",
        date=approval.date,
    )
    try:
        return write_docx(copies, styles_path(project), properties)
    except Exception as exc:  # python-docx raises many kinds on a broken styles file
        problems = check_styles(project)
        if problems:
            raise ProblemsError(problems) from None
        raise JobdescError(f"templates/{STYLES_FILE}: не удается собрать документ: {exc}") from exc


def build(project: Project, out: Path, copies: int | None = None, split: bool = False) -> list[Path]:
    """Render every loaded role and write its DOCX files into ``out``; returns the paths written.

    All documents are rendered before any is written, so a mistake writes nothing.
    """
    problems = check_styles(project)
    if problems:
        raise ProblemsError(problems)
    pending: list[tuple[Path, bytes]] = []
    for role in project.roles.values():
        try:
            documents = render_role(project, role, copies)
        except TemplateProblem as exc:
            problems.append(exc.problem)
            continue
        if split and len(documents) > 1:
            for number, document in enumerate(documents, start=1):
                pending.append((out / f"{role.id}.copy{number}.docx", document_bytes(project, role, [document])))
        else:
            pending.append((out / f"{role.id}.docx", document_bytes(project, role, documents)))
    if problems:
        raise ProblemsError(problems)
    for path, data in pending:
        atomic_write(path, data)
    return [path for path, _ in pending]
