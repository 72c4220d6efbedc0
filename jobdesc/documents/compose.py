"""A project's documents in the document model: each copy of a job description or regulation,
«Изменения № N», the clause changes between editions, and their DOCX bytes.

This is the application's side of rendering: it knows projects, editions and staff, and hands
the templates their context (:mod:`jobdesc.render.context`); :mod:`jobdesc.render` below it
knows none of these.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import replace
from functools import cache
from pathlib import Path

from jinja2 import TemplateSyntaxError

from jobdesc.disk.reading import InputRefused, describe_read, read_input
from jobdesc.editions import amendments
from jobdesc.editions.diff import diff, units
from jobdesc.editions.store import Edition, form_of, in_force_from
from jobdesc.errors import Problem
from jobdesc.people.staff import Employee, holders, load_staff
from jobdesc.project.kinds import ROLE, kind_of, names_of, words_of
from jobdesc.project.loader import Project
from jobdesc.project.model import FIRST, NEW_EDITION, Document, Policy, Role
from jobdesc.project.words import agreement_of
from jobdesc.render.context import DRAFT_MARK, REFERENCE_MARK, Annex, Approval, Registration
from jobdesc.render.copies import SharedOutput
from jobdesc.render.document import Document as Rendered
from jobdesc.render.markdown import MarkdownError, parse
from jobdesc.render.templates import (
    STYLES_FILE,
    TemplateProblem,
    environment,
    origin,
    render_markdown,
    shown_name,
    shown_template,
    template_file,
    template_names,
    translate,
)
from jobdesc.render.typeset import typeset

AMENDMENT = "amendment.md.j2"
UNAPPROVED = Approval()  # a working text: no date, no approver, no edition


def approval_of(edition: Edition, registrations: tuple[Registration, ...] = ()) -> Approval:
    return Approval(edition.approved, edition.approver, edition.order, edition.number, edition.effective, registrations)


def edition_approval(project: Project, editions: list[Edition], number: int) -> Approval:
    """Edition ``number`` as it was approved (:func:`~jobdesc.editions.store.form_of`).

    Edition 1 is approved. One approved as ``changes`` is the reference copy «Текст в редакции
    Изменений № 1–N» (dated and numbered as the edition they amend, ending with the registration
    sheet); one approved as a ``new-edition`` is approved whole and names the edition it replaces.
    """
    forms = project.config.document.amendments
    edition = editions[number - 1]
    form = form_of(edition, forms)
    if form == FIRST:
        return approval_of(edition)
    if form == NEW_EDITION:
        return replace(approval_of(edition), replaces=editions[number - 2])
    amended = in_force_from(editions[:number], forms)
    return Approval(
        amended.approved,
        amended.approver,
        amended.order,
        edition.number,
        edition.effective,
        registrations(amendment_steps(project, editions[amended.number - 1 : number])),
        purpose="reference",
        changed=edition.approved,
    )


def title(document: Document) -> str:
    """The document's name as a title: «Должностная инструкция менеджера …», «Положение об отделе …»."""
    name = names_of(document).nominative
    return name[:1].upper() + name[1:]


def amendment_title(previous: Edition) -> str:
    """«Изменения № 1 в должностную инструкцию менеджера …»."""
    return f"Изменения № {previous.number} в {names_of(previous.document).accusative}"


def copies_of(project: Project, document: Document, copies: int | None = None) -> int:
    """How many copies a file of ``document`` holds: a job description comes in the copies of
    ``jobdesc.yaml`` (the employer's and the employee's); a regulation, one kept by the employer."""
    if copies:
        return copies
    return project.config.document.copies if kind_of(document).signed_copies else 1


def _context(document: Document) -> dict:
    """What every template of a document gets about it, under the kind's own name too."""
    context: dict[str, object] = {"document": document, "names": names_of(document), "words": words_of(document)}
    if isinstance(document, Policy):
        context.update(policy=document, positions=document.positions, agreement=agreement_of(words_of(document)))
    else:
        context["role"] = document
    return context


def render_document(
    project: Project,
    document: Document,
    copies: int | None = None,
    approval: Approval = UNAPPROVED,
    holder: Employee | None = None,
) -> list[Rendered]:
    """Each copy of ``document`` in the document model (``holder``: only copy 2, named for them)."""
    context = {**_context(document), "approval": approval, "annex": approval.annex}
    return _render_copies(project, kind_of(document).template, context, document, copies, holder)


def _render_copies(
    project: Project,
    name: str,
    context: dict,
    document: Document,
    copies: int | None,
    holder: Employee | None = None,
) -> list[Rendered]:
    """Every copy; with ``holder``, only copy 2 (the employee's), its sheet naming that employee alone."""
    settings = project.config.document
    total = copies_of(project, document, copies)
    people = (
        holders_of(project, document)
        if holder is None
        else [{"name": holder.name, "position": holder_position(project, document, holder)}]
    )
    base = {
        "visas": visas_of(project, document),
        "holders": people,
        "org": project.config.organisation,
        "approver": context["approval"].approver or project.config.approver,
        "settings": settings,
        **context,
    }
    numbers = range(1, total + 1) if holder is None else [2]
    shared = SharedOutput(name) if len(numbers) > 1 else None  # the text every copy has, rendered once
    return [render_template(project, name, {**base, "copy": {"number": n, "total": total}}, shared) for n in numbers]


LAWYER = "Юрисконсульт"  # the default visa besides the head of the unit


def visas_of(project: Project, document: Document) -> list[dict]:
    """The visas under ``document`` (``document.visas`` of ``jobdesc.yaml``; by default the head of
    the unit — for an instruction of one of its employees — and the lawyer): position and name."""
    configured = project.config.document.visas
    if configured is not None:
        return [{"position": visa.position, "name": visa.name} for visa in configured]
    found: list[dict] = []
    if isinstance(document, Role):  # read from the graph: a build may have loaded this role alone
        graph = project.graph
        for node in graph.unit_policies(document.department)[:1]:
            head = graph.nodes.get(str(node.data.get("head")))
            if head is not None and head.id != document.id and head.kind is ROLE and head.data.get("title"):
                found.append({"position": str(head.data["title"]), "name": None})
    found.append({"position": LAWYER, "name": None})
    return found


def staff_of(project: Project) -> list[Employee]:
    """``staff.yaml``, loaded (and checked) once per project."""
    if project.staff is None:
        project.staff = load_staff(project.root)
    return project.staff


def positions_of(document: Document, project: Project | None = None) -> list[tuple[str, str]]:
    """The positions whose holders sign ``document``: (role id, title). A regulation is signed by
    the unit as it is now (the roles whose ``department`` names it, head first), when ``project``
    is given — an edition's list is the unit as it was approved."""
    if isinstance(document, Policy):
        if project is None:
            return [(position.id, position.title) for position in document.positions]
        members = [node for node in project.graph.incoming(document.id, "department") if node.kind is ROLE]
        members.sort(key=lambda node: (node.id != document.head, node.id))
        return [(node.id, node.text("title") or node.id) for node in members]
    return [(document.id, document.title)]


def holders_of(project: Project, document: Document) -> list[dict]:
    """Who signs the document's acknowledgment sheet (``staff.yaml``): the holders of the position,
    or of every position of a regulation's unit; name and position."""
    staff = staff_of(project)
    return [
        {"name": employee.name, "position": title}
        for role_id, title in positions_of(document, project)
        for employee in holders(staff, role_id)
    ]


def holder_employees(project: Project, document: Document) -> list[Employee]:
    """The employees of :func:`holders_of`, for ``--per-employee``."""
    staff = staff_of(project)
    return [employee for role_id, _ in positions_of(document, project) for employee in holders(staff, role_id)]


def holder_position(project: Project, document: Document, employee: Employee) -> str:
    return next((title for role_id, title in positions_of(document, project) if role_id == employee.role), "")


def render_template(project: Project, name: str, context: dict, shared: SharedOutput | None = None) -> Rendered:
    """One template of the project rendered and read into the document model (``shared``: what
    the copies of one document share, :mod:`jobdesc.render.copies`)."""
    source = typeset(render_markdown(project.templates, name, context, project.files.read, shared))
    try:
        return project.recall.read(source) if project.recall else parse(source)
    except MarkdownError as exc:  # named at the line of the template (included, imported…) that wrote it
        found = origin(project.templates, name, context, exc.line, project.files.read) if exc.line else None
        if found is not None:
            raise TemplateProblem(Problem(found[0], found[1], "", exc.message)) from None
        shown = shown_name(project.templates, template_file(project.templates, name))
        raise TemplateProblem(Problem(shown, None, "", exc.at_output_line())) from None


def compare(project: Project, old: Document, new: Document, full: bool = False) -> list:
    """Clause-level changes from ``old`` to ``new`` as rendered by the project's template; ``full``
    also compares the title and the sections' lead-in paragraphs (``diff`` shows them)."""
    return diff(_units(project, old, full), _units(project, new, full))


def _units(project: Project, document: Document, full: bool = False) -> list:
    """The sections and clauses of a document as rendered (once per text and project); ``full``
    adds the title and the lead-in paragraphs."""
    key = ("units", document, full)
    if key not in project.units:
        text = ("text", document)  # one rendering serves both readings
        if text not in project.units:
            project.units[text] = render_document(project, document, copies=1)[0]
        project.units[key] = units(project.units[text], full)
    return project.units[key]


def amendment_items(project: Project, old: Document, new: Document) -> list[amendments.Item]:
    """The items of the amendment that turns ``old`` into ``new`` as rendered by the project's template."""
    rename = None
    if isinstance(old, Role) and isinstance(new, Role) and old.title != new.title:
        rename = amendments.Rename((old.title, old.title_genitive), (new.title, new.title_genitive))
    # lazy: jobdesc.editions.versions and what it imports (7 modules) load only for the commands that get here
    from jobdesc.editions.versions import requisite_items

    items = amendments.items(_units(project, old, True), _units(project, new, True), rename)
    return items + [amendments.Item(text) for text in requisite_items(old, new)]


MAX_STYLES_INFLATED = 64 * 1024 * 1024  # bytes of all parts of templates/styles.docx once inflated
MAX_STYLES_BYTES = 16 * 1024 * 1024  # bytes of templates/styles.docx (fonts may be embedded)


def styles_path(project: Project) -> Path:
    """The project's ``templates/styles.docx``, else the shipped one."""
    return template_file(project.templates, STYLES_FILE)


def styles_bytes(project: Project) -> bytes:
    """The bytes of the styles file in use, read once per command: the project's through the door
    (refused as :class:`~jobdesc.errors.InputRefused`), the shipped one as the package's file."""
    path = styles_path(project)
    if path.is_relative_to(project.templates):
        return project.files.read(path, MAX_STYLES_BYTES, project.root)
    return _shipped_styles(path)


@cache
def _shipped_styles(path: Path) -> bytes:
    return read_input(path, MAX_STYLES_BYTES)  # door: the package's own styles file


def check_styles(project: Project) -> list[Problem]:
    """Problems with the styles file in use: missing, not a DOCX, or lacking a style."""
    path = styles_path(project)
    shown = shown_name(project.templates, path)
    try:
        data = styles_bytes(project)
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            if sum(entry.file_size for entry in package.infolist()) > MAX_STYLES_INFLATED:
                return [
                    Problem(
                        shown, None, "", "файл стилей слишком большой после распаковки: сохраните его заново в Word"
                    )
                ]
            styles_xml = package.read("word/styles.xml").decode("utf-8")
            package.read("word/document.xml")
    except InputRefused as exc:
        return [Problem(shown, None, "", exc.reason if os.path.lexists(path) else "файл стилей не найден")]
    except (zipfile.BadZipFile, KeyError, OSError, UnicodeDecodeError):
        return [Problem(shown, None, "", "файл стилей поврежден или это не DOCX: сохраните его заново в Word (.docx)")]
    from jobdesc.render.docx_writer import STYLE_IDS, package_for  # lazy: status and diff write no DOCX

    missing = [
        Problem(shown, None, "", f"нет стиля {style_id} (нужен для «{purpose}»)")
        for purpose, style_id in STYLE_IDS.items()
        if f'w:styleId="{style_id}"' not in styles_xml
    ]
    if missing:
        return missing
    try:
        package_for(data)  # what every document is built on, made (and cached) once
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


def document_bytes(
    project: Project, name: str, document: Document, copies: list[Rendered], approval: Approval
) -> bytes:
    """The DOCX bytes of the given copies (the styles file has passed :func:`check_styles`)."""
    from jobdesc.render.docx_writer import Properties, write_docx  # lazy: status and diff write no DOCX

    properties = Properties(
        title=name,
        subject=document.department,
        author=project.config.organisation.short_name,
        keywords=document.number or "",
        revision=approval.edition or 1,
        date=approval.changed or approval.date,
    )
    mark = DRAFT_MARK if approval.draft else REFERENCE_MARK if approval.purpose == "reference" else None
    return write_docx(copies, styles_bytes(project), properties, mark=mark)


def amendment_steps(project: Project, editions: list[Edition]) -> list[tuple[Edition, Edition, list]]:
    """Each amendment: the edition it changes, the edition it makes, and the clause changes."""
    return [
        (previous, current, compare(project, previous.document, current.document))
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
    document: Document,
    approval: Approval,
    copies: int | None,
    first: Edition | None = None,
    holder: Employee | None = None,
    annex: Annex | None = None,
) -> list[Rendered]:
    """The copies of «Изменения № N»: edition N → ``document`` (edition N + 1, or the working text).

    ``first``: edition 1, the document the changes amend (its date and number are cited);
    ``annex``: ``{"number": N, "order": Order}`` when an order approved them («Приложение № N к приказу …»).
    """
    context = {
        **_context(document),
        "previous": previous,
        "previous_names": names_of(previous.document),
        "first": first or previous,
        "amendment": {
            "number": previous.number,
            "registration": amendment_registration(previous),
            "clauses": amendment_items(project, previous.document, document),
        },
        "approval": approval,
        "annex": annex,
    }
    return _render_copies(project, AMENDMENT, context, document, copies, holder)


def amendment_registration(previous: Edition) -> str | None:
    """The registration number of «Изменения № N»: the document's number and N («ДИ-014/1»)."""
    number = previous.document.number
    return f"{number}/{previous.number}" if number else None


def check_templates(project: Project) -> list[Problem]:
    """Syntax errors in every template in use: the project's ``templates/`` over the shipped ones."""
    env = environment(project.templates, project.files.read)
    problems = []
    if project.templates.exists() and not project.templates.is_dir():
        return [Problem("templates", None, "", "это файл, а должна быть папка шаблонов")]
    for name in template_names(project.templates):
        shown = shown_template(project.templates, name)
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            problems.append(Problem(shown, exc.lineno, "", f"ошибка в шаблоне: {translate(exc.message or '')}"))
        except TemplateProblem as exc:  # not a regular file, too big, a link out of the project, not UTF-8
            problems.append(exc.problem)
        except UnicodeDecodeError:
            problems.append(Problem(shown, None, "", "файл не в кодировке UTF-8"))
        except OSError as exc:
            problems.append(Problem(shown, None, "", describe_read(exc)))
    return problems
