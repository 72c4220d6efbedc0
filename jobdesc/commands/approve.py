"""Recording the director's approval of a document's current text (a role's, a regulation's) as its next edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jobdesc.commands.approval_model import require_model
from jobdesc.commands.check import check_project
from jobdesc.disk.fsutil import project_lock
from jobdesc.documents.compose import _units, compare
from jobdesc.editions import signing
from jobdesc.editions.journal import recover_approval
from jobdesc.editions.store import (
    Edition,
    Order,
    begin_approval,
    new_edition,
    require_editions,
    write_edition,
)
from jobdesc.editions.versions import requisite_changes
from jobdesc.errors import JobdescError, split_warnings
from jobdesc.project.kinds import ROLE, edition_folders, kind_of
from jobdesc.project.lint import lint_project, placeholders
from jobdesc.project.loader import Project
from jobdesc.project.model import Document, Person


def parse_approver(text: str, default: Person) -> Person:
    """«Должность, Фамилия Имя Отчество» or just the name (the position from ``jobdesc.yaml``)."""
    position, _, name = text.rpartition(",")
    words = name.split()
    if not 2 <= len(words) <= 4 or not all(word[:1].isupper() for word in words):
        raise JobdescError(
            f"--approver: «{text}» — нужны фамилия, имя и отчество с заглавных букв, "
            "при необходимости с должностью впереди через запятую: «Генеральный директор, Иванов Иван Иванович»"
        )
    return Person(position.strip() or default.position, " ".join(words))


def approve(
    root: Path,
    doc_id: str,
    date: dt.date,
    order: str | None = None,
    order_date: dt.date | None = None,
    effective: dt.date | None = None,
    approver: str | None = None,
    sign: bool = False,
) -> tuple[Edition, Path]:
    """Record the next edition of ``doc_id``; refuses a broken project or a text the reader sees unchanged.

    ``sign``: also sign the edition with git's signing key (``NNN.yaml.sig``).
    """
    return approve_all(root, [doc_id], date, order, order_date, effective, approver, sign)[0]


def approve_all(
    root: Path,
    doc_ids: list[str],
    date: dt.date,
    order: str | None = None,
    order_date: dt.date | None = None,
    effective: dt.date | None = None,
    approver: str | None = None,
    sign: bool = False,
    reason: str | None = None,
    consent: str | None = None,
) -> list[tuple[Edition, Path]]:
    """Record the next edition of each of ``doc_ids`` under one approval (one order): all or none.

    Every document is checked before anything is written; should a write still fail (another
    approval at the same moment), the editions this call wrote are removed again.
    """
    if order is not None and not order.strip():
        raise JobdescError("--order: пустой номер приказа")
    if order is None and reason is not None:
        raise JobdescError("--reason указана без --order: основание печатается в приказе — укажите и номер приказа")
    if reason is not None:
        reason = " ".join(reason.split()).rstrip(" .,;:")
        if not reason or not reason[:1].isupper():
            raise JobdescError(
                "--reason: основание приказа начинается с заглавной буквы: «В целях …» или «В связи с …»"
            )
    if order is None and order_date is not None:
        raise JobdescError("--order-date указана без --order: укажите и номер приказа")
    if order_date is not None and order_date > date:
        raise JobdescError(
            f"--order-date: приказ от {order_date:%d.%m.%Y} не может быть позже даты утверждения {date:%d.%m.%Y}"
        )
    twice = next((doc_id for n, doc_id in enumerate(doc_ids) if doc_id in doc_ids[:n]), None)
    if twice is not None:
        raise JobdescError(f"{twice}: документ назван дважды — одна редакция на документ в одном утверждении")
    check_dates(date, effective)
    if order is not None and len(order.strip()) > MAX_ORDER:
        raise JobdescError(
            f"--order: номер приказа «{order.strip()[:20]}…» длиннее {MAX_ORDER} символов — укажите номер, "
            "например «15-к»"
        )
    with project_lock(root):  # one approval at a time: the order number and edition numbers are checked and taken
        recover_approval(root, locked=True)
        return _approve_locked(root, doc_ids, date, order, order_date, effective, approver, sign, reason, consent)


MAX_ORDER = 50  # characters of an order number («15-к», «ОД-2026/118»)
FUTURE_DAYS = 366  # an approval dated further ahead locks out every approval before it


def check_dates(date: dt.date, effective: dt.date | None) -> None:
    """Refuse an approval dated more than a year ahead (``9999-12-31`` would lock out every later
    approval, which may not be dated before it)."""
    limit = dt.date.today() + dt.timedelta(days=FUTURE_DAYS)
    for option, day in (("--date", date), ("--effective", effective)):
        if day is not None and day > limit:
            raise JobdescError(
                f"{option}: {day:%d.%m.%Y} — больше года вперед от сегодняшнего дня: после такой редакции "
                "ни одну следующую нельзя утвердить раньше; проверьте дату"
            )


def _approve_locked(
    root: Path,
    doc_ids: list[str],
    date: dt.date,
    order: str | None,
    order_date: dt.date | None,
    effective: dt.date | None,
    approver: str | None,
    sign: bool,
    reason: str | None,
    consent: str | None,
) -> list[tuple[Edition, Path]]:
    """:func:`approve_all` under the project's lock."""
    project, found = check_project(root)
    problems, warnings = split_warnings(found)
    for doc_id in doc_ids:
        # never approve a title form the dictionary is unsure of: it would be fixed in the edition
        problems += [p for p in warnings if p.field == "title" and p.path == f"roles/{doc_id}.yaml"]
    if problems:
        more = f" (и еще ошибок: {len(problems) - 1}, все — в jobdesc check)" if len(problems) > 1 else ""
        raise JobdescError(f"{', '.join(doc_ids)}: утверждение невозможно, в проекте ошибка — {problems[0]}{more}")
    assert project is not None  # a project that does not load has problems
    person = parse_approver(approver, project.config.approver) if approver is not None else project.config.approver
    basis = Order(order.strip(), order_date or date, reason) if order is not None else None
    if basis is not None:
        check_order(root, basis)
    pending = [_next_edition(project, doc_id, date, person, basis, effective, consent) for doc_id in doc_ids]
    for doc_id in doc_ids:  # a text that cannot be approved at all is named first
        require_model(project, doc_id, basis is not None)
    signer = (lambda data: signing.sign(project.root, data)) if sign else None
    written: list[tuple[Edition, Path]] = []
    journal = begin_approval(project.root, pending)  # a killed approval is rolled back by the next command
    try:
        for edition in pending:
            written.append((edition, write_edition(project.root, edition, signer)))
    except JobdescError as exc:
        for _, path in written:  # all or none: what this approval wrote goes
            path.with_name(path.name + ".sig").unlink(missing_ok=True)
            path.unlink(missing_ok=True)
        journal.unlink(missing_ok=True)
        if written:
            raise JobdescError(f"{exc.message} (ничего не утверждено: редакции других документов удалены)") from None
        raise
    journal.unlink(missing_ok=True)
    return written


def _next_edition(
    project: Project,
    doc_id: str,
    date: dt.date,
    person: Person,
    basis: Order | None,
    effective: dt.date | None,
    consent: str | None = None,
) -> Edition:
    """The edition ``doc_id`` would get, or the reason it cannot be approved."""
    if doc_id not in project.documents:
        raise JobdescError(f"roles/{doc_id}.yaml: такой роли нет (и положения policies/{doc_id}.yaml тоже)")
    document = project.documents[doc_id]
    kind = kind_of(document)
    placeholder = next(placeholders(document.as_dict()), None)
    if placeholder:
        shown = kind.shown(doc_id)
        where = f"{shown}: {placeholder}"  # in the text as resolved; in the file itself, with its line:
        for problem in lint_project(project.root, project.files):
            if problem.path == shown and problem.line and problem.message.startswith("осталась заготовка"):
                where = f"{shown}:{problem.line}: {problem.field}"
                break
        raise JobdescError(f"{where}: в тексте осталась заготовка в [скобках] — замените ее перед утверждением")
    editions = require_editions(project.root, doc_id, kind, project.files)
    if (
        editions
        and not compare(project, editions[-1].document, document)
        and not requisite_changes(editions[-1].document, document)
    ):
        raise JobdescError(
            f"{doc_id}: в тексте документа нет изменений со времени редакции № {editions[-1].number} — утверждать нечего"
        )
    if basis is not None:
        same = next((e for e in editions if e.order is not None and e.order.number == basis.number), None)
        if same is not None:
            raise JobdescError(
                f"{doc_id}: приказ № {basis.number} уже утвердил редакцию № {same.number} этого документа — "
                "новую редакцию утверждает другой приказ"
            )
    added = added_duties(project, editions[-1].document, document) if editions and kind is ROLE else []
    if added and consent is None:
        shown = ", ".join(added[:5]) + (" …" if len(added) > 5 else "")
        raise JobdescError(
            f"{doc_id}: редакция добавляет обязанности ({'пункт' if len(added) == 1 else 'пункты'} {shown}) — укажите --same-function (трудовая "
            "функция и определенные сторонами условия трудового договора не изменяются; это будет сказано в "
            "приказе) или --agreement (нужны дополнительные соглашения к трудовым договорам, ст. 72 ТК РФ)"
        )
    return new_edition(
        document,
        editions,
        date,
        person,
        basis,
        effective,
        consent=consent if added else None,
        forms=project.config.document.amendments,
    )


DUTIES_SECTION = "должностные обязанности"


def added_duties(project: Project, old: Document, new: Document) -> list[str]:
    """The numbers of clauses added to the section of duties (as rendered) from ``old`` to ``new``."""
    sections = {u.number: u.text.strip().lower() for u in _units(project, new) if u.is_section}
    return [
        change.new.number.rstrip(".")
        for change in compare(project, old, new)
        if change.kind in ("added", "moved")
        and change.new is not None
        and not change.new.is_section
        and sections.get(change.new.number.split(".")[0] + ".") == DUTIES_SECTION
    ]


def check_order(root: Path, basis: Order) -> None:
    """Refuse an order number already recorded with another date (one number, one order)."""
    for kind, doc_id in edition_folders(root):  # a deleted document's orders are taken too
        for edition in require_editions(root, doc_id, kind):
            if edition.order is not None and edition.order.number == basis.number and edition.order != basis:
                raise JobdescError(
                    f"--order: приказ № {basis.number} уже записан от {edition.order.date:%d.%m.%Y} "
                    f"({edition.shown}), а не от {basis.date:%d.%m.%Y}: "
                    "укажите --order-date той же даты или другой номер"
                )
