"""Which files a project's documents make, and from what — without writing any.

For each document (a job description, a regulation) the plan lists its outputs: the last
approved edition (or the working text as a draft), «Изменения № N» between editions, the
approved original the changes amend, and named copies for each employee. An output renders
only when asked: ``check`` renders every output to the document model, ``build`` writes their
bytes, ``status`` and the tests read the list.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache, partial
from pathlib import Path

from jobdesc.documents.compose import (
    amendment_title,
    approval_of,
    compare,
    copies_of,
    document_bytes,
    edition_approval,
    holder_employees,
    render_amendment,
    render_document,
    title,
)
from jobdesc.documents.options import Options
from jobdesc.editions.diff import describe_counts
from jobdesc.editions.store import Edition, editions_dir, form_of, in_force_from, load_editions
from jobdesc.errors import Problem, ProblemsError
from jobdesc.project.kinds import kind_of
from jobdesc.project.loader import Project
from jobdesc.project.model import CHANGES, NEW_EDITION, Document
from jobdesc.render.context import Annex, Approval
from jobdesc.render.document import Document as Rendered


@dataclass(frozen=True)
class Output:
    """One file a document makes: where, its title, and how to render it (on demand)."""

    path: Path
    title: str
    document: Document  # whose text it prints (the edition's, or the working text)
    approval: Approval
    render: Callable[[], list[Rendered]] = field(repr=False, compare=False)
    inputs: tuple[Path, ...] = ()  # the project's files it is made from (besides config, templates, staff)

    def bytes(self, project: Project) -> bytes:
        """The DOCX bytes (a template mistake raises :class:`~jobdesc.errors.TemplateProblem`)."""
        return document_bytes(project, self.title, self.document, self.render(), self.approval)

    def check(self) -> None:
        """Render to the document model only (``check``)."""
        self.render()


def plan_document(
    project: Project,
    document: Document,
    out: Path,
    options: Options,
    warnings: list[str],
    facts: dict[str, int] | None = None,
) -> list[Output]:
    """The outputs of one document; a broken edition record raises :class:`ProblemsError`.

    ``warnings`` gets a line when the document was never approved or has unapproved changes;
    ``facts["approved"]``: the number of the edition whose text the working text is, if it is one;
    ``facts["ordered"]``: set when an order approved one of its editions (an appendix of that order).
    """
    found: list[Problem] = []
    editions = load_editions(project.root, document.id, found, kind_of(document), project.files)
    if found:
        raise ProblemsError(found)
    outputs = _outputs(project, document, out, options, editions, warnings, facts if facts is not None else {})
    inputs = document_inputs(project, document)
    return [replace(output, inputs=inputs) for output in outputs]


def document_inputs(project: Project, document: Document) -> tuple[Path, ...]:
    """The files a document's outputs are made from: its source, its edition records and the
    sources of the documents its text depends on (:meth:`~jobdesc.project.links.Graph.dependencies`:
    its department's regulation, whom it reports to, who reports to it …). Shared by every
    document: jobdesc.yaml, roles/_common.yaml, staff.yaml, the templates and styles."""
    kind = kind_of(document)
    folder = editions_dir(project.root, document.id, kind)
    editions = sorted(folder.glob("*.yaml")) if folder.is_dir() else []
    nodes = project.graph.nodes
    linked = [
        node.path for other in project.graph.dependencies(document.id) if (node := nodes.get(other)) and node.path
    ]
    return (kind.path(project.root, document.id), *editions, *linked)


def _outputs(
    project: Project,
    document: Document,
    out: Path,
    options: Options,
    editions: list[Edition],
    warnings: list[str],
    facts: dict[str, int],
) -> list[Output]:
    """The outputs (this may render: the changes pending). Each edition is built in the form it was
    approved in (:func:`~jobdesc.editions.store.form_of`); the draft, in the form of the next approval."""
    forms = project.config.document.amendments
    if not editions:
        if not options.draft:
            warnings.append(
                f"{document.id}: нет утвержденной редакции — собран проект "
                f"(утвердить: jobdesc approve {document.id} --date ДД.ММ.ГГГГ)"
            )
        return _draft(project, document, out, options)
    last = editions[-1]
    if any(edition.order for edition in editions):  # an appendix of its order: rebuilt when the order's items change
        facts["ordered"] = 1
    # lazy: jobdesc.editions.versions and what it imports (7 modules) load only for the commands that get here
    from jobdesc.editions.versions import requisite_changes

    pending = [] if last.content == document.as_dict() else compare(project, last.document, document)
    if options.draft:
        outputs = _draft(project, document, out, options)
        if (pending or requisite_changes(last.document, document)) and forms.of(document.kind_name) != NEW_EDITION:
            outputs += _amendment(project, out, editions, document, Approval(draft=True), options)
        return outputs
    approval = edition_approval(project, editions, last.number)
    approved = last.document
    reference = approval.purpose == "reference"
    if not reference:  # approved whole by an order: its appendix, as the order says
        approval = replace(approval, annex=_annex(project, document.id, approval))
    outputs = _text(project, out / document.id, approved, approval, options, 1 if reference else None)
    if not reference:
        outputs += _per_employee(
            project,
            out / document.id,
            title(approved),
            approved,
            approval,
            options,
            lambda holder: render_document(project, approved, 2, approval, holder),
        )
    amended = in_force_from(editions, forms)
    if reference:  # the approved document the «Изменения» amend, as signed
        outputs += _original(project, out, editions[: amended.number], options)
    for previous, current in zip(editions[amended.number - 1 :], editions[amended.number :]):  # those in force
        if form_of(current, forms) == CHANGES:
            outputs += _amendment(
                project, out, editions[: previous.number], current.document, approval_of(current), options
            )
    described = ([describe_counts(pending)] if pending else []) + requisite_changes(last.document, document)
    if not described:
        facts["approved"] = last.number
    if described:
        warnings.append(
            f"{document.id}: есть неутвержденные изменения ({', '.join(described)}) — собрана редакция "
            f"№ {last.number}; проект: jobdesc build --draft"
        )
    return outputs


def _original(project: Project, out: Path, editions: list[Edition], options: Options) -> list[Output]:
    """``ID.edition-N.docx``: the last of ``editions`` (the one the «Изменения» after it amend: edition 1,
    or one approved whole) as approved (copies, approval block, acknowledgment sheet).

    It stays in force: an employee signs it together with «Изменения № 1–N», so ``--per-employee``
    gives each holder a copy 2 of it too.
    """
    first = editions[-1]
    stem = out / f"{first.doc_id}.edition-{first.number}"
    approval = edition_approval(project, editions, first.number)
    approval = replace(approval, annex=_annex(project, first.doc_id, approval))  # as the order approved it
    return _text(project, stem, first.document, approval, options) + _per_employee(
        project,
        stem,
        title(first.document),
        first.document,
        approval,
        options,
        lambda holder: render_document(project, first.document, 2, approval, holder),
    )


def _draft(project: Project, document: Document, out: Path, options: Options) -> list[Output]:
    """The working text marked «ПРОЕКТ»: ``ID.draft.docx`` (``ID.docx`` for a document never approved)."""
    stem = out / (f"{document.id}.draft" if options.draft else document.id)
    return _text(project, stem, document, Approval(draft=True), options)


def _text(
    project: Project, stem: Path, document: Document, approval: Approval, options: Options, copies: int | None = None
) -> list[Output]:
    """The file(s) of a document's text with ``approval``: its copies, rendered on demand."""
    return _copies(
        project,
        stem,
        title(document),
        document,
        approval,
        options,
        lambda n: render_document(project, document, n, approval),
        copies,
    )


def _amendment(
    project: Project, out: Path, editions: list[Edition], document: Document, approval: Approval, options: Options
) -> list[Output]:
    """«Изменения № N» to the last of ``editions`` (→ the text of ``document``): approved, or a draft."""
    previous = editions[-1]
    amended = in_force_from(editions, project.config.document.amendments)  # the document they amend
    name = amendment_title(previous)
    stem = out / (f"{document.id}.amendment-{previous.number}" + (".draft" if approval.draft else ""))
    outputs = _copies(
        project,
        stem,
        name,
        document,
        approval,
        options,
        lambda n: render_amendment(
            project, previous, document, approval, n, amended, annex=_annex(project, previous.doc_id, approval)
        ),
    )
    if not approval.draft:
        outputs += _per_employee(
            project,
            stem,
            name,
            document,
            approval,
            options,
            lambda holder: render_amendment(
                project,
                previous,
                document,
                approval,
                2,
                amended,
                holder,
                _annex(project, previous.doc_id, approval),
            ),
        )
    return outputs


def _annex(project: Project, doc_id: str, approval: Approval) -> Annex | None:
    """«Приложение № N к приказу …»: approved «Изменения», or an edition approved whole, as an
    appendix of the order that approved them."""
    if approval.order is None or approval.edition is None:
        return None
    from jobdesc.documents.orders import appendix_of  # lazy: orders load only for what an order approved

    found = appendix_of(project, doc_id, approval.edition)
    return None if found is None else Annex(found["number"], found["order"])


def _copies(
    project: Project,
    stem: Path,
    name: str,
    document: Document,
    approval: Approval,
    options: Options,
    render: Callable[[int], list[Rendered]],
    copies: int | None = None,
) -> list[Output]:
    """The file of all copies, or with ``--split-copies`` one file per copy."""
    total = copies or copies_of(project, document, options.copies)
    if options.split and total > 1:
        rendered = cache(lambda: render(total))  # the copies are rendered together, once
        return [
            Output(
                stem.with_name(f"{stem.name}.copy{n}.docx"),
                name,
                document,
                approval,
                partial(_one_copy, rendered, n),
            )
            for n in range(1, total + 1)
        ]
    return [Output(stem.with_name(f"{stem.name}.docx"), name, document, approval, lambda: render(total))]


def _one_copy(rendered: Callable[[], list[Rendered]], number: int) -> list[Rendered]:
    return [rendered()[number - 1]]


def _per_employee(
    project: Project,
    stem: Path,
    name: str,
    document: Document,
    approval: Approval,
    options: Options,
    render: Callable,
) -> list[Output]:
    """``--per-employee``: copy 2 of a signed document for each holder, ``STEM.copy2.ТАБ_НОМЕР.docx``."""
    if not options.per_employee or not approval.signed or copies_of(project, document, options.copies) < 2:
        return []
    return [
        Output(
            stem.with_name(f"{stem.name}.copy2.{employee.number}.docx"),
            name,
            document,
            approval,
            partial(render, employee),
        )
        for employee in holder_employees(project, document)
    ]
