"""Approval orders (приказы): one order of the director approves one or more documents.

An order is identified by its number and date, as recorded in the editions it approved
(``order:`` of ``roles/*.editions/NNN.yaml``). ``jobdesc build`` writes each order found in the
editions to ``output/orders/NUMBER.docx`` from the template ``order.md.j2``: one copy, kept in
the employer's files.

The documents an order approves are described by kind (:class:`Kind`): the words that name a
kind («должностную инструкцию», «должностной инструкции», …) are data, so that a second kind of
document (a department regulation) is a second :class:`Kind`, not a second template.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from jobdesc.editions import Edition, Order, load_editions
from jobdesc.errors import Problem, ProblemsError
from jobdesc.model import Person
from jobdesc.project import ROLES_DIR, Project, role_files

ORDER_TEMPLATE = "order.md.j2"
ORDERS_DIR = "orders"  # inside the output folder
FIRST, CHANGES, NEW_EDITION = "first", "changes", "new-edition"
ACKNOWLEDGE_DAYS = 7  # days to acknowledge the staff when a document is in force from the order's own date


@dataclass(frozen=True)
class Kind:
    """The words that name a kind of document in an order («утвердить должностную инструкцию …»)."""

    accusative: str  # «должностную инструкцию»
    genitive: str  # «должностной инструкции»
    plural_accusative: str  # «должностные инструкции»
    plural_genitive: str  # «должностных инструкций»
    replaced: str  # what a new edition makes void: «утратившей силу» agrees with it


JOB_DESCRIPTION = Kind(
    "должностную инструкцию",
    "должностной инструкции",
    "должностные инструкции",
    "должностных инструкций",
    "утратившей силу",
)


@dataclass(frozen=True)
class Item:
    """One document an order approves: an edition of a document of some kind."""

    kind: Kind
    subject: str  # whose document, in the genitive: «менеджера по работе с ключевыми клиентами»
    edition: Edition
    previous: Edition | None  # the edition it amends (``changes``) or replaces (``new-edition``)
    mode: str  # FIRST, CHANGES or NEW_EDITION
    appendix: int  # «приложение № N к настоящему приказу»

    @property
    def effective(self) -> dt.date:
        return self.edition.effective

    @property
    def amendment(self) -> int | None:
        """The number of «Изменения № N» this item approves (``changes``): N = the edition amended."""
        return self.previous.number if self.mode == CHANGES and self.previous else None


@dataclass(frozen=True)
class ApprovalOrder:
    """An order and the documents it approves, in the order of the project's roles."""

    order: Order
    approver: Person
    items: tuple[Item, ...]

    @property
    def number(self) -> str:
        return self.order.number

    @property
    def date(self) -> dt.date:
        return self.order.date

    @property
    def deadline(self) -> dt.date:
        """By when the staff read the documents under signature: the first day any is in force,
        or a week after the order when one is in force from the order's own date."""
        first = min(item.effective for item in self.items)
        return first if first > self.date else self.date + dt.timedelta(days=ACKNOWLEDGE_DAYS)

    def modes(self, mode: str) -> list[Item]:
        """The items approved in ``mode`` (for the template's heading)."""
        return [item for item in self.items if item.mode == mode]


def collect_orders(project: Project, problems: list[Problem]) -> list[ApprovalOrder]:
    """Every order recorded in the editions of the project's roles, by date and number.

    The same order number with two dates is a problem (appended; that order is left out).
    """
    found: dict[str, list[tuple[Edition, Edition | None, str]]] = {}
    for path in role_files(project.root):
        editions = load_editions(project.root, path.stem, problems)
        for previous, edition in zip([None, *editions], editions):
            if edition.order is not None:
                found.setdefault(edition.order.number, []).append((edition, previous, path.stem))
    orders: list[ApprovalOrder] = []
    for number, entries in found.items():
        dates = {edition.order.date for edition, _, _ in entries if edition.order}
        if len(dates) > 1:
            problems.append(order_conflict(number, entries))
            continue
        items = tuple(
            Item(JOB_DESCRIPTION, edition.role.title_genitive, edition, previous, _mode(project, previous), n)
            for n, (edition, previous, _) in enumerate(entries, start=1)
        )
        orders.append(ApprovalOrder(Order(number, dates.pop()), entries[0][0].approver, items))
    return sorted(orders, key=lambda o: (o.date, o.number))


def order_conflict(number: str, entries: list[tuple[Edition, Edition | None, str]]) -> Problem:
    """One line naming two editions that give order ``number`` different dates."""
    first, _, first_role = entries[0]
    other, _, other_role = next(entry for entry in entries if entry[0].order != first.order)
    assert first.order is not None and other.order is not None
    return Problem(
        f"{ROLES_DIR}/{other_role}.editions/{other.number:03d}.yaml",
        None,
        "order.date",
        f"приказ № {number} от {other.order.date:%d.%m.%Y}, а в {ROLES_DIR}/{first_role}.editions/"
        f"{first.number:03d}.yaml тот же номер от {first.order.date:%d.%m.%Y}: один номер — один приказ",
    )


def _mode(project: Project, previous: Edition | None) -> str:
    if previous is None:
        return FIRST
    return NEW_EDITION if project.config.document.amendments == NEW_EDITION else CHANGES


def holders(project: Project, order: ApprovalOrder) -> list[dict[str, str]]:
    """Who signs «С приказом ознакомлены»: the employees of ``staff.yaml`` holding the positions
    the order concerns, hired by the order's date (Ф.И.О. and position; none without staff)."""
    from jobdesc.staff import holders as role_holders
    from jobdesc.staff import load_staff

    if "staff" not in project.cache:
        project.cache["staff"] = load_staff(project.root)
    return [
        {"name": employee.name, "position": item.edition.role.title}
        for item in order.items
        for employee in role_holders(project.cache["staff"], item.edition.role_id)
        if employee.hired <= order.date
    ]


def file_name(number: str) -> str:
    """The order's file name: its number with characters a file system refuses replaced («15/к» → «15_к.docx»)."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", number).strip(" .") or "_"
    return f"{safe}.docx"


def order_files(project: Project, out: Path, model_only: bool = False) -> list[tuple[Path, bytes]]:
    """Every order of the project rendered in memory (``out/orders/NUMBER.docx``).

    A broken edition record, an order number with two dates or a template mistake raise
    :class:`ProblemsError`. ``model_only`` (``check``): rendered to the document model, no DOCX
    written (the files come back empty).
    """
    from jobdesc.build import render_template, styles_path
    from jobdesc.render.templates import TemplateProblem

    problems: list[Problem] = []
    orders = collect_orders(project, problems)
    if problems:
        raise ProblemsError(problems)
    files: list[tuple[Path, bytes]] = []
    taken: set[str] = set()
    for order in orders:
        name = file_name(order.number)
        stem = name.removesuffix(".docx")
        while name.casefold() in taken:  # «15/к» and «15:к» (or «15-К» on a case-blind disk)
            stem += "_"
            name = f"{stem}.docx"
        taken.add(name.casefold())
        context = {
            "org": project.config.organisation,
            "settings": project.config.document,
            "order": order,
            "approver": order.approver,
            "holders": holders(project, order),
        }
        try:
            document = render_template(project, ORDER_TEMPLATE, context)
        except TemplateProblem as exc:
            raise ProblemsError([exc.problem]) from None
        if model_only:
            files.append((out / ORDERS_DIR / name, b""))
            continue
        from jobdesc.render.docx_writer import Properties, write_docx

        properties = Properties(
            title=f"Приказ от {order.date:%d.%m.%Y} № {order.number}",
            subject=order.items[0].kind.plural_genitive.capitalize(),
            author=project.config.organisation.short_name,
            keywords=order.number,
            date=order.date,
        )
        files.append((out / ORDERS_DIR / name, write_docx([document], styles_path(project), properties)))
    return files
