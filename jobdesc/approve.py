"""Recording the director's approval of a role's current text as its next edition."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jobdesc import signing
from jobdesc.build import compare
from jobdesc.check import check_project
from jobdesc.editions import Edition, Order, new_edition, require_editions, write_edition
from jobdesc.errors import JobdescError, split_warnings
from jobdesc.lint import placeholders
from jobdesc.model import Person
from jobdesc.versions import requisite_changes


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
    role_id: str,
    date: dt.date,
    order: str | None = None,
    order_date: dt.date | None = None,
    effective: dt.date | None = None,
    approver: str | None = None,
    sign: bool = False,
) -> tuple[Edition, Path]:
    """Record the next edition of ``role_id``; refuses a broken project or a text the reader sees unchanged.

    ``sign``: also sign the edition with git's signing key (``NNN.yaml.sig``).
    """
    if order is not None and not order.strip():
        raise JobdescError("--order: пустой номер приказа")
    if order is None and order_date is not None:
        raise JobdescError("--order-date указана без --order: укажите и номер приказа")
    if order_date is not None and order_date > date:
        raise JobdescError(
            f"--order-date: приказ от {order_date:%d.%m.%Y} не может быть позже даты утверждения {date:%d.%m.%Y}"
        )
    project, found = check_project(root)
    problems, warnings = split_warnings(found)
    # never approve a title form the dictionary is unsure of: it would be fixed in the edition
    problems += [p for p in warnings if p.field == "title" and p.path == f"roles/{role_id}.yaml"]
    if problems:
        more = f" (и еще ошибок: {len(problems) - 1}, все — в jobdesc check)" if len(problems) > 1 else ""
        raise JobdescError(f"{role_id}: утверждение невозможно, в проекте ошибка — {problems[0]}{more}")
    assert project is not None  # a project that does not load has problems
    if role_id not in project.roles:
        raise JobdescError(f"roles/{role_id}.yaml: такой роли нет")
    role = project.roles[role_id]
    placeholder = next(placeholders(role.as_dict()), None)
    if placeholder:
        raise JobdescError(
            f"roles/{role_id}.yaml: {placeholder}: в тексте осталась заготовка в [скобках] — "
            "замените ее перед утверждением"
        )
    person = parse_approver(approver, project.config.approver) if approver is not None else project.config.approver
    basis = Order(order.strip(), order_date or date) if order is not None else None
    editions = require_editions(project.root, role_id)
    if editions and not compare(project, editions[-1].role, role) and not requisite_changes(editions[-1].role, role):
        raise JobdescError(
            f"{role_id}: в тексте документа нет изменений со времени редакции № {editions[-1].number} — утверждать нечего"
        )
    edition = new_edition(role, editions, date, person, basis, effective)
    signer = (lambda data: signing.sign(project.root, data)) if sign else None
    return edition, write_edition(project.root, edition, signer)
