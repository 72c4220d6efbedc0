"""What HR reads when reviewing: status of every document, the history of one, and diffs."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jobdesc.disk.fsutil import atomic_write
from jobdesc.documents.compose import amendment_items, compare, positions_of
from jobdesc.editions import amendments
from jobdesc.editions.diff import Change, describe_counts
from jobdesc.editions.provenance import require_genuine
from jobdesc.editions.store import Edition, form_words, require_editions
from jobdesc.editions.versions import pair, requisite_changes
from jobdesc.errors import Problem, ProblemsError
from jobdesc.language.ru import initials_surname
from jobdesc.people.staff import holders, load_staff
from jobdesc.project.kinds import find_kind, kind_of, words_of
from jobdesc.project.lint import placeholders
from jobdesc.project.loader import Project, collect_project, load_project, load_shared
from jobdesc.project.model import AmendmentForms, Document
from jobdesc.render.templates import TemplateProblem


@dataclass(frozen=True)
class StatusRow:
    doc_id: str
    edition: Edition | None
    pending: list[Change]
    requisites: tuple[str, ...] = ()  # changes outside the clauses: the document number
    placeholders: int = 0  # «[…]» texts of ``jobdesc new`` still in the document
    unbuilt: tuple[str, ...] = ()  # files of the plan missing from output/
    approved_word: str = "утверждена"  # agrees with the kind: «утверждена» (инструкция), «утверждено» (положение)
    signers: tuple[str, ...] = ()  # the roles whose holders sign the document

    def line(self) -> str:
        todo = f"; заготовок в [скобках]: {self.placeholders} (где — в jobdesc check)" if self.placeholders else ""
        if self.unbuilt:
            shown = ", ".join(self.unbuilt[:2]) + (f" и еще {len(self.unbuilt) - 2}" if len(self.unbuilt) > 2 else "")
            todo += f"; не собрано: {shown} (jobdesc build)"
        if self.edition is None:
            return f"{self.doc_id}: не {self.approved_word} (проект){todo}"
        if self.pending or self.requisites:
            counted = [describe_counts(self.pending)] if self.pending else []
            state = f"неутвержденные изменения: {', '.join([*counted, *self.requisites])}"
        else:
            state = "без изменений"
        return f"{self.doc_id}: редакция № {self.edition.number} от {self.edition.approved:%d.%m.%Y}; {state}{todo}"


def status(root: Path) -> tuple[list[StatusRow], list[Problem]]:
    """For every document that loads: the last edition, the working text's changes since and the
    files of the build plan not yet in ``output/``; and the problems of those that do not load
    (one broken document does not hide the others)."""
    # lazy: history and diff, which share this module, do not plan builds
    from jobdesc.documents.options import Options
    from jobdesc.documents.plan import plan_document

    project, problems = collect_project(root)
    if project is None:
        raise ProblemsError(problems)
    require_genuine(project.root)
    rows = []
    out = project.root / "output"
    for doc_id, document in project.documents.items():
        try:
            editions = require_editions(project.root, doc_id, kind_of(document), project.files)
            last = editions[-1] if editions else None
            outputs = plan_document(project, document, out, Options(), [])
            rows.append(
                StatusRow(
                    doc_id,
                    last,
                    compare(project, last.document, document) if last else [],
                    tuple(requisite_changes(last.document, document)) if last else (),
                    len(list(placeholders(document.as_dict()))),
                    tuple(o.path.name for o in outputs if not o.path.exists()) if out.is_dir() else (),
                    words_of(document).approved.lower(),
                    tuple(role_id for role_id, _ in positions_of(document, project)),
                )
            )
        except ProblemsError as exc:
            problems.extend(exc.problems)
        except TemplateProblem as exc:
            problems.append(exc.problem)
    return rows, problems


def history(project: Project, doc_id: str) -> list[str]:
    """One line per edition: number, dates, approver, order, changes from the previous one."""
    editions = require_editions(project.root, doc_id, find_kind(project.root, doc_id), project.files)
    forms = project.config.document.amendments
    lines = []
    for index, edition in enumerate(editions):
        approver = f"{edition.approver.position} {initials_surname(edition.approver.name)}"
        order = f"; {edition.order.describe()}" if edition.order else ""
        effective = f"; действует с {edition.effective:%d.%m.%Y}" if edition.effective != edition.approved else ""
        form = f"; {words}" if (words := form_words(edition, forms)) else ""
        changes = "первая редакция" if index == 0 else _counts(project, editions[index - 1].document, edition.document)
        lines.append(
            f"№ {edition.number}  {edition.approved:%d.%m.%Y}  {approver}{order}{effective}{form}  — {changes}"
        )
    return lines


def _counts(project: Project, old: Document, new: Document) -> str:
    """«изменено 2», with a changed document number named too."""
    clauses = compare(project, old, new)
    parts = ([describe_counts(clauses)] if clauses else []) + requisite_changes(old, new)
    return ", ".join(parts) or describe_counts(clauses)


def diff_json(label_from: str, label_to: str, changes: list[Change], requisites: Sequence[str] = ()) -> str:
    """``requisites``: changes outside the clauses (the document number), as lines for people."""
    return json.dumps(
        {"from": label_from, "to": label_to, "changes": [c.as_dict() for c in changes], "requisites": list(requisites)},
        ensure_ascii=False,
        indent=2,
    )


def diff_amendment(items: list[amendments.Item]) -> list[str]:
    """The amendment's items numbered, each added paragraph (and each row of a table) on a line of its own."""
    return [
        line
        for n, item in enumerate(items, start=1)
        for line in (
            f"{n}. {item.text}",
            *(f"   {row}" for paragraph in item.lines()[1:] for row in paragraph.split("\n")),
        )
    ]


def agreements_needed(root: Path, rows: list[StatusRow]) -> list[str]:
    """Who needs an additional agreement to the employment contract: the holders (hired by the date
    it came into force) of a role whose last edition added duties under ``approve --agreement``."""
    staff = load_staff(root)
    lines = []
    for row in rows:
        last = row.edition
        if last is None or last.consent != "agreement":
            continue
        for employee in holders(staff, row.doc_id):
            if employee.hired <= last.effective:
                lines.append(
                    f"{row.doc_id}: {employee.name} ({employee.number}) — нужно дополнительное соглашение к трудовому "
                    f"договору: редакция № {last.number} от {last.approved:%d.%m.%Y} добавила обязанности (ст. 72 ТК РФ)"
                )
    return lines


def status_report(root: Path) -> tuple[list[str], list[Problem], list[Problem]]:
    """``jobdesc status``: a line a document, then who has not signed and who needs an agreement;
    the problems that stop it (after the documents' lines); the warnings (for standard error)."""
    from jobdesc.people.acks import unsigned  # lazy: of this module's commands only `status` reads acknowledgments

    rows, problems = status(root)
    lines = [row.line() for row in rows]
    if problems:
        return lines, problems, []
    config, _ = load_shared(root, problems)
    signers = {row.doc_id: list(row.signers) for row in rows}
    signatures, warnings = unsigned(
        root, [row.doc_id for row in rows], config.document.amendments if config else AmendmentForms(), signers
    )
    return lines + signatures + agreements_needed(root, rows), [], warnings


def write_redline(
    root: Path, doc_id: str, source: str | None, target: str | None, out: Path, author: str | None
) -> str:
    """``jobdesc redline``: version ``target`` of the document as tracked changes against ``source``,
    written to ``out``; the line that says so."""
    from jobdesc.documents.redline import check_output, redline_docx  # lazy: only `redline` writes tracked changes

    check_output(root, out)
    project = load_project(root, [doc_id])
    old, new = pair(project, doc_id, source, target)
    atomic_write(out, redline_docx(project, old, new, author))
    return f"{out}: {old.label} → {new.label}, исправления в режиме рецензирования"


def diff_report(root: Path, doc_id: str, source: str | None, target: str | None, fmt: str, show: Callable) -> str:
    """``jobdesc diff``: the differences of two versions of a document as printed — ``json``, the
    ``amendment`` items, or ``text`` (the requisites, then the clauses as ``show`` gives them)."""

    project = load_project(root, [doc_id])
    old, new = pair(project, doc_id, source, target)
    changes = compare(project, old.document, new.document, full=True)  # the title and lead-ins too
    requisites = requisite_changes(old.document, new.document)
    if fmt == "json":
        return diff_json(old.label, new.label, changes, requisites) + "\n"
    heading = f"{doc_id}: {old.label} → {new.label}\n"
    if fmt == "amendment":
        return heading + "\n".join(diff_amendment(amendment_items(project, old.document, new.document))) + "\n"
    return heading + "".join(f"~ {line}\n" for line in requisites) + "\n".join(show(changes)) + "\n"
