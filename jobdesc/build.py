"""The pipeline from loaded roles to written documents: render → write.

``jobdesc build`` renders the last approved edition of each role (with the amendment
documents between editions); a role never approved, or ``--draft``, renders the working text
marked «ПРОЕКТ».
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from jobdesc import amendments
from jobdesc.diff import describe_counts, diff, units
from jobdesc.editions import Edition, Order, load_editions
from jobdesc.errors import Problem, ProblemsError
from jobdesc.model import Person, Role
from jobdesc.options import Options
from jobdesc.project import Project
from jobdesc.render.document import Document
from jobdesc.render.markdown import MarkdownError, parse
from jobdesc.render.templates import STYLES_FILE, TemplateProblem, render_markdown

JOB_DESCRIPTION = "job-description.md.j2"
AMENDMENT = "amendment.md.j2"
DRAFT_MARK = "ПРОЕКТ"


@dataclass(frozen=True)
class Registration:
    """A row of the «Лист регистрации изменений»."""

    number: int
    clauses: str
    basis: str
    effective: dt.date


@dataclass(frozen=True)
class Approval:
    """What the approval block and the edition line show; empty fields print as blanks."""

    date: dt.date | None = None
    approver: Person | None = None
    order: Order | None = None
    edition: int | None = None
    effective: dt.date | None = None
    registrations: tuple[Registration, ...] = ()
    draft: bool = False


def approval_of(edition: Edition, registrations: tuple[Registration, ...] = ()) -> Approval:
    return Approval(edition.approved, edition.approver, edition.order, edition.number, edition.effective, registrations)


def render_role(
    project: Project, role: Role, copies: int | None = None, approval: Approval = Approval()
) -> list[Document]:
    """The document model of each copy of ``role``'s job description."""
    return _render_copies(project, JOB_DESCRIPTION, {"role": role, "approval": approval}, copies)


def _render_copies(project: Project, name: str, context: dict, copies: int | None) -> list[Document]:
    settings = project.config.document
    total = copies or settings.copies
    base = {
        "org": project.config.organisation,
        "approver": context["approval"].approver or project.config.approver,
        "settings": settings,
        **context,
    }
    return [
        render_template(project, name, {**base, "copy": {"number": n, "total": total}}) for n in range(1, total + 1)
    ]


def render_template(project: Project, name: str, context: dict) -> Document:
    """One template of the project rendered and read into the document model."""
    source = render_markdown(project.templates, name, context)
    try:
        return parse(source)
    except MarkdownError as exc:
        raise TemplateProblem(Problem(f"templates/{name}", None, "", str(exc))) from None


def compare(project: Project, old: Role, new: Role) -> list:
    """Clause-level changes from ``old`` to ``new`` as rendered by the project's template."""
    return diff(_units(project, old), _units(project, new))


def _units(project: Project, role: Role) -> list:
    """The sections and clauses of a role as rendered (once per role text and project)."""
    key = ("units", role)
    if key not in project.cache:
        project.cache[key] = units(render_role(project, role, copies=1)[0])
    return project.cache[key]


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
    missing = [
        Problem(shown, None, "", f"нет стиля {style_id} (нужен для «{purpose}»)")
        for purpose, style_id in STYLE_IDS.items()
        if f'w:styleId="{style_id}"' not in styles_xml
    ]
    if missing:
        return missing
    try:
        from jobdesc.render.docx_writer import package_for

        package_for(path)  # what every document is built on, made (and cached) once
    except Exception:  # noqa: BLE001 - python-docx and lxml raise many kinds on a broken file
        return [
            Problem(
                shown,
                None,
                "",
                "файл стилей поврежден (не читается как документ Word): сохраните его заново в Word (.docx)",
            )
        ]
    return []


def document_bytes(project: Project, title: str, role: Role, copies: list[Document], approval: Approval) -> bytes:
    """The DOCX bytes of the given copies (the styles file has passed :func:`check_styles`)."""
    from jobdesc.render.docx_writer import Properties, write_docx

    properties = Properties(
        title=title,
        subject=role.department,
        author=project.config.organisation.short_name,
        keywords=role.number or "",
        revision=approval.edition or 1,
        date=approval.date,
    )
    return write_docx(copies, styles_path(project), properties, mark=DRAFT_MARK if approval.draft else None)


def role_documents(
    project: Project, role: Role, out: Path, options: Options, warnings: list[str]
) -> list[tuple[Path, bytes]]:
    """Every file of one role (its job description and amendments), rendered in memory.

    Problems (a broken edition record, a template mistake) raise :class:`ProblemsError`.
    """
    found: list[Problem] = []
    editions = load_editions(project.root, role.id, found)
    if found:
        raise ProblemsError(found)
    try:
        return _role_files(project, role, out, options, editions, warnings)
    except TemplateProblem as exc:
        raise ProblemsError([exc.problem]) from None


def _role_files(
    project: Project, role: Role, out: Path, options: Options, editions: list[Edition], warnings: list[str]
) -> list[tuple[Path, bytes]]:
    copies, split = options.copies, options.split
    if options.draft or not editions:
        if not editions and not options.draft:
            warnings.append(
                f"{role.id}: нет утвержденной редакции — собран проект (утвердить: jobdesc approve {role.id} --date ГГГГ-ММ-ДД)"
            )
        approval = Approval(draft=True)
        stem = out / (f"{role.id}.draft" if options.draft else role.id)
        return _copies_files(
            project, stem, _title(role), role, render_role(project, role, copies, approval), approval, split
        )
    steps = amendment_steps(project, editions)
    last = editions[-1]
    approval = approval_of(last, registrations(steps))
    files = _copies_files(
        project,
        out / role.id,
        _title(last.role),
        last.role,
        render_role(project, last.role, copies, approval),
        approval,
        split,
    )
    for previous, current, changes in steps:
        title = f"Изменения № {previous.number} в должностную инструкцию {previous.role.title_genitive}"
        files += _copies_files(
            project,
            out / f"{role.id}.amendment-{previous.number}",
            title,
            current.role,
            render_amendment(project, previous, current, changes, copies),
            approval_of(current),
            split,
        )
    pending = [] if last.content == role.as_dict() else compare(project, last.role, role)
    if pending:
        warnings.append(
            f"{role.id}: есть неутвержденные изменения ({describe_counts(pending)}) — собрана редакция "
            f"№ {last.number}; проект: jobdesc build --draft"
        )
    return files


def _title(role: Role) -> str:
    return f"Должностная инструкция {role.title_genitive}"


def amendment_steps(project: Project, editions: list[Edition]) -> list[tuple[Edition, Edition, list]]:
    """Each amendment: the edition it changes, the edition it makes, and the clause changes."""
    return [
        (previous, current, compare(project, previous.role, current.role))
        for previous, current in zip(editions, editions[1:])
    ]


def registrations(steps: list[tuple[Edition, Edition, list]]) -> tuple[Registration, ...]:
    """The rows of the «Лист регистрации изменений» for these amendments."""
    return tuple(
        Registration(previous.number, amendments.summary(changes).text(), basis(current), current.effective)
        for previous, current, changes in steps
    )


def edition_approval(project: Project, editions: list[Edition], number: int) -> Approval:
    """What edition ``number`` shows when built: its approval and the amendments before it."""
    return approval_of(editions[number - 1], registrations(amendment_steps(project, editions[:number])))


def basis(edition: Edition) -> str:
    """«Приказ от 01.12.2026 № 15-к» or «Утверждено 01.12.2026»."""
    if edition.order:
        text = edition.order.describe()
        return text[:1].upper() + text[1:]
    return f"Утверждено {edition.approved:%d.%m.%Y}"


def render_amendment(
    project: Project, previous: Edition, current: Edition, changes: list, copies: int | None
) -> list[Document]:
    """The copies of «Изменения № N»: edition N → N + 1."""
    context = {
        "role": current.role,
        "previous": previous,
        "amendment": {"number": previous.number, "clauses": amendments.items(changes)},
        "approval": approval_of(current),
    }
    return _render_copies(project, AMENDMENT, context, copies)


def _copies_files(
    project: Project, stem: Path, title: str, role: Role, documents: list[Document], approval: Approval, split: bool
) -> list[tuple[Path, bytes]]:
    if split and len(documents) > 1:
        return [
            (stem.with_name(f"{stem.name}.copy{n}.docx"), document_bytes(project, title, role, [document], approval))
            for n, document in enumerate(documents, start=1)
        ]
    return [(stem.with_name(f"{stem.name}.docx"), document_bytes(project, title, role, documents, approval))]
