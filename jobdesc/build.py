"""The pipeline from loaded roles to written documents: render → write.

``jobdesc build`` renders the last approved edition of each role (with the amendment
documents between editions); a role never approved, or ``--draft``, renders the working text
marked «ПРОЕКТ».
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
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
from jobdesc.render.templates import STYLES_FILE, TemplateProblem, render_markdown, shown_name, template_file
from jobdesc.render.typeset import typeset
from jobdesc.staff import Employee

JOB_DESCRIPTION = "job-description.md.j2"
AMENDMENT = "amendment.md.j2"
DRAFT_MARK = "ПРОЕКТ"
NEW_EDITION = "new-edition"  # jobdesc.yaml document.amendments: an order approves each edition as a whole


@dataclass(frozen=True)
class Registration:
    """A row of the «Лист регистрации изменений»."""

    number: int
    clauses: str
    basis: str
    effective: dt.date


@dataclass(frozen=True)
class Approval:
    """What the approval block and the edition line show; empty fields print as blanks.

    ``purpose``: ``approved`` (an approved or draft document) or ``reference`` (the
    consolidated text of «Изменения № 1–N»: no approval block, no acknowledgment sheet).
    ``redline``: rendered for a redline (no copy mark, no acknowledgment sheet).
    ``replaces``: the edition an edition approved as a whole replaces (``new-edition``).
    """

    date: dt.date | None = None
    approver: Person | None = None
    order: Order | None = None
    edition: int | None = None
    effective: dt.date | None = None
    registrations: tuple[Registration, ...] = ()
    draft: bool = False
    purpose: str = "approved"
    replaces: Edition | None = None
    changed: dt.date | None = None  # a reference copy: when its last amendment was approved
    redline: bool = False

    @property
    def signed(self) -> bool:
        """A copy the employee signs: it has a copy mark and an acknowledgment sheet."""
        return self.purpose == "approved" and not self.redline


def approval_of(edition: Edition, registrations: tuple[Registration, ...] = ()) -> Approval:
    return Approval(edition.approved, edition.approver, edition.order, edition.number, edition.effective, registrations)


def edition_approval(project: Project, editions: list[Edition], number: int) -> Approval:
    """Edition ``number`` as the project's approval model builds it.

    ``changes``: edition 1 is approved; a later one is the reference copy «Текст в редакции
    Изменений № 1–N» (dated and numbered as edition 1, ending with the registration sheet).
    ``new-edition``: every edition is approved; a later one names the edition it replaces.
    """
    edition = editions[number - 1]
    if number == 1:
        return approval_of(edition)
    if project.config.document.amendments == NEW_EDITION:
        return replace(approval_of(edition), replaces=editions[number - 2])
    first = editions[0]
    return Approval(
        first.approved,
        first.approver,
        first.order,
        edition.number,
        edition.effective,
        registrations(amendment_steps(project, editions[:number])),
        purpose="reference",
        changed=edition.approved,
    )


def render_role(
    project: Project,
    role: Role,
    copies: int | None = None,
    approval: Approval = Approval(),
    holder: Employee | None = None,
) -> list[Document]:
    """The document model of each copy of ``role``'s job description (``holder``: only copy 2, named for them)."""
    return _render_copies(project, JOB_DESCRIPTION, {"role": role, "approval": approval}, copies, holder)


def _render_copies(
    project: Project, name: str, context: dict, copies: int | None, holder: Employee | None = None
) -> list[Document]:
    """Every copy; with ``holder``, only copy 2 (the employee's), its sheet naming that employee alone."""
    settings = project.config.document
    total = copies or settings.copies
    role = context["role"]
    people = holders_of(project, role) if holder is None else [{"name": holder.name, "position": role.title}]
    base = {
        "holders": people,
        "org": project.config.organisation,
        "approver": context["approval"].approver or project.config.approver,
        "settings": settings,
        **context,
    }
    numbers = range(1, total + 1) if holder is None else [2]
    return [render_template(project, name, {**base, "copy": {"number": n, "total": total}}) for n in numbers]


def holders_of(project: Project, role: Role) -> list[dict]:
    """Who holds the position (``staff.yaml``), for the acknowledgment sheet: name and position."""
    from jobdesc.staff import holders, load_staff

    if "staff" not in project.cache:
        project.cache["staff"] = load_staff(project.root)
    return [{"name": e.name, "position": role.title} for e in holders(project.cache["staff"], role.id)]


def render_template(project: Project, name: str, context: dict) -> Document:
    """One template of the project rendered and read into the document model."""
    source = typeset(render_markdown(project.templates, name, context))
    try:
        return parse(source)
    except MarkdownError as exc:
        shown = shown_name(project.templates, template_file(project.templates, name))
        raise TemplateProblem(Problem(shown, None, "", str(exc))) from None


def compare(project: Project, old: Role, new: Role) -> list:
    """Clause-level changes from ``old`` to ``new`` as rendered by the project's template."""
    return diff(_units(project, old), _units(project, new))


def _units(project: Project, role: Role, full: bool = False) -> list:
    """The sections and clauses of a role as rendered (once per role text and project); ``full``
    adds the title and the lead-in paragraphs."""
    key = ("units", role, full)
    if key not in project.cache:
        project.cache[key] = units(render_role(project, role, copies=1)[0], full)
    return project.cache[key]


def amendment_items(project: Project, old: Role, new: Role) -> list[amendments.Item]:
    """The items of the amendment that turns ``old`` into ``new`` as rendered by the project's template."""
    rename = None
    if old.title != new.title:
        rename = amendments.Rename((old.title, old.title_genitive), (new.title, new.title_genitive))
    from jobdesc.versions import requisite_items

    items = amendments.items(_units(project, old, True), _units(project, new, True), rename)
    return items + [amendments.Item(text) for text in requisite_items(old, new)]


MAX_STYLES_INFLATED = 64 * 1024 * 1024  # bytes of all parts of templates/styles.docx once inflated


def styles_path(project: Project) -> Path:
    """The project's ``templates/styles.docx``, else the shipped one."""
    return template_file(project.templates, STYLES_FILE)


def check_styles(project: Project) -> list[Problem]:
    """Problems with the styles file in use: missing, not a DOCX, or lacking a style."""
    import zipfile

    from jobdesc.reading import InputRefused, check_regular, describe_read
    from jobdesc.render.docx_writer import STYLE_IDS

    path = styles_path(project)
    shown = shown_name(project.templates, path)
    try:
        check_regular(path, inside=project.root if path.is_relative_to(project.templates) else None)
        with zipfile.ZipFile(path) as package:
            if sum(entry.file_size for entry in package.infolist()) > MAX_STYLES_INFLATED:
                return [
                    Problem(
                        shown, None, "", "файл стилей слишком большой после распаковки: сохраните его заново в Word"
                    )
                ]
            styles_xml = package.read("word/styles.xml").decode("utf-8")
            package.read("word/document.xml")
    except FileNotFoundError:
        return [Problem(shown, None, "", "файл стилей не найден")]
    except InputRefused as exc:
        return [Problem(shown, None, "", exc.reason if path.exists() else "файл стилей не найден")]
    except PermissionError as exc:
        return [Problem(shown, None, "", describe_read(exc))]
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
        date=approval.changed or approval.date,
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
    copies = options.copies
    if not editions:
        if not options.draft:
            warnings.append(
                f"{role.id}: нет утвержденной редакции — собран проект (утвердить: jobdesc approve {role.id} --date ГГГГ-ММ-ДД)"
            )
        return _draft_files(project, role, out, options)
    last = editions[-1]
    pending = [] if last.content == role.as_dict() else compare(project, last.role, role)
    if options.draft:
        files = _draft_files(project, role, out, options)
        from jobdesc.versions import requisite_changes

        if (pending or requisite_changes(last.role, role)) and project.config.document.amendments != NEW_EDITION:
            files += _amendment_files(project, out, editions, role, Approval(draft=True), options)
        return files
    approval = edition_approval(project, editions, last.number)
    files = _copies_files(
        project,
        out / role.id,
        _title(last.role),
        last.role,
        render_role(project, last.role, 1 if approval.purpose == "reference" else copies, approval),
        approval,
        options,
    )
    if approval.purpose != "reference":
        files += _employee_copies(
            project,
            out / role.id,
            _title(last.role),
            last.role,
            approval,
            options,
            lambda holder: render_role(project, last.role, 2, approval, holder),
        )
    if approval.purpose == "reference":  # the approved instruction the «Изменения» amend, as signed
        files += _original_files(project, out, editions[0], options)
    if project.config.document.amendments != NEW_EDITION:
        for previous, current in zip(editions, editions[1:]):
            done = editions[: previous.number]
            files += _amendment_files(project, out, done, current.role, approval_of(current), options)
    from jobdesc.versions import requisite_changes

    described = ([describe_counts(pending)] if pending else []) + requisite_changes(last.role, role)
    if described:
        warnings.append(
            f"{role.id}: есть неутвержденные изменения ({', '.join(described)}) — собрана редакция "
            f"№ {last.number}; проект: jobdesc build --draft"
        )
    return files


def _original_files(project: Project, out: Path, first: Edition, options: Options) -> list[tuple[Path, bytes]]:
    """``ROLE.edition-1.docx``: edition 1 as approved (copies, approval block, acknowledgment sheet).

    In ``changes`` mode it stays in force: an employee signs it together with «Изменения № 1–N».
    """
    approval = approval_of(first)
    documents = render_role(project, first.role, options.copies, approval)
    stem = out / f"{first.role_id}.edition-{first.number}"
    return _copies_files(project, stem, _title(first.role), first.role, documents, approval, options)


def _draft_files(project: Project, role: Role, out: Path, options: Options) -> list[tuple[Path, bytes]]:
    """The working text marked «ПРОЕКТ»: ``ROLE.draft.docx`` (``ROLE.docx`` for a role never approved)."""
    approval = Approval(draft=True)
    stem = out / (f"{role.id}.draft" if options.draft else role.id)
    documents = render_role(project, role, options.copies, approval)
    return _copies_files(project, stem, _title(role), role, documents, approval, options)


def _amendment_files(
    project: Project,
    out: Path,
    editions: list[Edition],
    role: Role,
    approval: Approval,
    options: Options,
) -> list[tuple[Path, bytes]]:
    """«Изменения № N» to the last of ``editions`` (→ the text of ``role``): approved, or a draft."""
    previous = editions[-1]
    title = f"Изменения № {previous.number} в должностную инструкцию {previous.role.title_genitive}"
    name = f"{role.id}.amendment-{previous.number}" + (".draft" if approval.draft else "")
    documents = render_amendment(project, previous, role, approval, options.copies, editions[0])
    files = _copies_files(project, out / name, title, role, documents, approval, options)
    if not approval.draft:
        files += _employee_copies(
            project,
            out / name,
            title,
            role,
            approval,
            options,
            lambda holder: render_amendment(project, previous, role, approval, 2, editions[0], holder),
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
        Registration(
            previous.number,
            amendments.summary(changes).text(),
            f"Изменения № {previous.number} ({basis(current)[:1].lower()}{basis(current)[1:]})",
            current.effective,
        )
        for previous, current, changes in steps
    )


def basis(edition: Edition) -> str:
    """«Приказ от 01.12.2026 № 15-к» or «Утверждено 01.12.2026»."""
    if edition.order:
        text = edition.order.describe()
        return text[:1].upper() + text[1:]
    return f"Утверждено {edition.approved:%d.%m.%Y}"


def render_amendment(
    project: Project,
    previous: Edition,
    role: Role,
    approval: Approval,
    copies: int | None,
    first: Edition | None = None,
    holder: Employee | None = None,
) -> list[Document]:
    """The copies of «Изменения № N»: edition N → ``role`` (edition N + 1, or the working text).

    ``first``: edition 1, the instruction the changes amend (its date and number are cited).
    """
    context = {
        "role": role,
        "previous": previous,
        "first": first or previous,
        "amendment": {
            "number": previous.number,
            "registration": amendment_registration(previous),
            "clauses": amendment_items(project, previous.role, role),
        },
        "approval": approval,
    }
    return _render_copies(project, AMENDMENT, context, copies, holder)


def amendment_registration(previous: Edition) -> str | None:
    """The registration number of «Изменения № N»: the instruction's number and N («ДИ-014/1»)."""
    number = previous.role.number
    return f"{number}/{previous.number}" if number else None


def _copies_files(
    project: Project,
    stem: Path,
    title: str,
    role: Role,
    documents: list[Document],
    approval: Approval,
    options: Options,
) -> list[tuple[Path, bytes]]:
    if options.model_only:
        return []
    if options.split and len(documents) > 1:
        return [
            (stem.with_name(f"{stem.name}.copy{n}.docx"), document_bytes(project, title, role, [document], approval))
            for n, document in enumerate(documents, start=1)
        ]
    return [(stem.with_name(f"{stem.name}.docx"), document_bytes(project, title, role, documents, approval))]


def _employee_copies(
    project: Project,
    stem: Path,
    title: str,
    role: Role,
    approval: Approval,
    options: Options,
    render: Callable[[Employee], list[Document]],
) -> list[tuple[Path, bytes]]:
    """``--per-employee``: copy 2 of a signed document for each holder, ``STEM.copy2.ТАБ_НОМЕР.docx``."""
    if not options.per_employee or not approval.signed or (options.copies or project.config.document.copies) < 2:
        return []
    from jobdesc.staff import holders

    holders_of(project, role)  # staff.yaml loaded (and checked) once
    return [
        (
            stem.with_name(f"{stem.name}.copy2.{employee.number}.docx"),
            document_bytes(project, title, role, render(employee), approval),
        )
        for employee in holders(project.cache["staff"], role.id)
    ]
