"""Approval orders (приказы): one order of the director approves one or more documents.

An order is identified by its number and date, as recorded in the editions it approved
(``order:`` of ``roles/*.editions/NNN.yaml`` and ``policies/*.editions/NNN.yaml``). ``jobdesc
build`` writes each order found in the editions to ``output/orders/NUMBER.docx`` from the
template ``order.md.j2``: one copy, kept in the employer's files.

The documents an order approves are named by their kind's words (:class:`jobdesc.project.words.Words`:
«должностную инструкцию», «Положение», …) and whose or what they are («менеджера …», «об отделе
…»), so one order may approve job descriptions and regulations together.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from pathlib import Path

from jobdesc.editions.store import Edition, Order, editions_dir, form_of, in_force_from, load_editions
from jobdesc.errors import Problem, ProblemsError
from jobdesc.language.titles import genitive_title
from jobdesc.people.staff import holders as role_holders
from jobdesc.project.kinds import Kind, edition_folders, names_of, words_of
from jobdesc.project.loader import Project
from jobdesc.project.model import CHANGES, FIRST, Person, Policy
from jobdesc.project.words import Words

ORDER_TEMPLATE = "order.md.j2"
ORDERS_DIR = "orders"  # inside the output folder
ACKNOWLEDGE_DAYS = 7  # days to acknowledge the staff when a document is in force from the order's own date


@dataclass(frozen=True)
class Item:
    """One document an order approves: an edition of a document of some kind."""

    kind: Words  # the words naming its kind: «должностную инструкцию», «Положение»
    subject: str  # whose or what: «менеджера по работе с ключевыми клиентами», «об отделе …»
    edition: Edition
    previous: Edition | None  # the edition it amends (``changes``) or replaces (``new-edition``)
    mode: str  # FIRST, CHANGES or NEW_EDITION
    appendix: int  # «приложение № N к настоящему приказу»
    first: Edition | None = None  # the edition amended documents are named by: edition 1, or the last approved whole

    @property
    def approved_as(self) -> str:
        """How the document an item amends is identified: «утвержденную 20.11.2026 № ДИ-014», or
        «утвержденное приказом от 01.12.2026 № 15-к (рег. № П-003)» (its edition 1, or the last
        approved whole); empty for a first edition."""
        if self.mode == FIRST or self.first is None:
            return ""
        return self._approved(self.first)

    @property
    def replaced_as(self) -> str:
        """How the edition a new edition replaces is identified, as :attr:`approved_as` names the
        amended one: «утвержденное 20.11.2026 № П-003»; empty for a first edition."""
        return "" if self.previous is None else self._approved(self.previous)

    def _approved(self, edition: Edition) -> str:
        number = edition.document.number
        if edition.order is not None:
            text = f"{self.kind.approved_accusative} приказом от {edition.order.date:%d.%m.%Y} № {edition.order.number}"
            return text + (f" (рег. № {number})" if number else "")
        return f"{self.kind.approved_accusative} {edition.approved:%d.%m.%Y}" + (f" № {number}" if number else "")

    @property
    def effective(self) -> dt.date:
        return self.edition.effective

    @property
    def name(self) -> str:
        """The document's name in the accusative: «должностную инструкцию менеджера …»."""
        return names_of(self.edition.document).accusative

    @property
    def amendment(self) -> int | None:
        """The number of «Изменения № N» this item approves (``changes``): N = the edition amended."""
        return self.previous.number if self.mode == CHANGES and self.previous else None


@dataclass(frozen=True)
class ApprovalOrder:
    """An order and the documents it approves, in the order of the project's documents."""

    order: Order
    approver: Person
    items: tuple[Item, ...]

    @property
    def number(self) -> str:
        return self.order.number

    @property
    def reason(self) -> str | None:
        """The preamble given at approval (``approve --reason``), if any."""
        return next((i.edition.order.reason for i in self.items if i.edition.order and i.edition.order.reason), None)

    @property
    def aligned(self) -> list[tuple[Item, list[Item]]]:
        """Each changed regulation of the order with the job descriptions of its unit in the same order:
        they are brought into line with it («В целях приведения должностных инструкций … в соответствие с …»)."""
        found = []
        for item in self.items:
            document = item.edition.document
            if isinstance(document, Policy) and document.unit and item.mode != FIRST:
                roles = [
                    other
                    for other in self.items
                    if not isinstance(other.edition.document, Policy)
                    and getattr(other.edition.document, "department", None) == document.unit
                ]
                if roles:
                    found.append((item, roles))
        return found

    @property
    def positions(self) -> list[str]:
        """The positions whose holders read the order, in the genitive, each once: those the job
        descriptions are of, and the positions of a regulation's unit."""
        found: dict[str, str] = {}
        for item in self.items:
            document = item.edition.document
            if isinstance(document, Policy):
                for position in document.positions:
                    found.setdefault(position.id, genitive_title(position.title))
            else:
                found.setdefault(document.id, document.title_genitive)
        return list(found.values())

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

    def groups(self, mode: str) -> list[list[Item]]:
        """The items approved in ``mode``, grouped by kind of document (job descriptions, then
        each type of regulation), for a heading such as «Об утверждении должностных инструкций
        … и Положения об отделе …»."""
        found: dict[Words, list[Item]] = {}
        for item in self.modes(mode):
            found.setdefault(item.kind, []).append(item)
        return list(found.values())


def collect_orders(project: Project, problems: list[Problem]) -> list[ApprovalOrder]:
    """Every order recorded in the editions of the project's documents, by date and number.

    The same order number with two dates is a problem (appended; that order is left out).
    """
    found: dict[str, list[tuple[Edition, Edition | None, Edition]]] = {}
    for kind, doc_id in edition_folders(project.root):  # a deleted document's too: an order stays as signed
        for edition, previous, amended in ordered_editions(project, kind, doc_id, problems):
            assert edition.order is not None
            found.setdefault(edition.order.number, []).append((edition, previous, amended))
    forms = project.config.document.amendments
    orders: list[ApprovalOrder] = []
    for number, entries in found.items():
        dates = {edition.order.date for edition, _, _ in entries if edition.order}
        if len(dates) > 1:
            problems.append(order_conflict(number, entries))
            continue
        items = tuple(
            _item(edition, previous, form_of(edition, forms), n, amended)
            for n, (edition, previous, amended) in enumerate(entries, start=1)
        )
        orders.append(ApprovalOrder(Order(number, dates.pop()), entries[0][0].approver, items))
    return sorted(orders, key=lambda o: (o.date, o.number))


def ordered_editions(
    project: Project, kind: Kind, doc_id: str, problems: list[Problem]
) -> list[tuple[Edition, Edition | None, Edition]]:
    """The editions of a document that an order approved, each with the edition before it and the
    edition the document is named by when they amend it (:func:`~jobdesc.editions.store.in_force_from`:
    edition 1, or the last approved whole); read once per command (a build keeps them when it lets
    the document's other files go)."""

    def read() -> tuple[list[tuple[Edition, Edition | None, Edition]], tuple[Problem, ...]]:
        found: list[Problem] = []
        editions = load_editions(project.root, doc_id, found, kind, project.files)
        forms = project.config.document.amendments
        # Kept to the end of a build: only the editions an order names (and those naming the document
        # they amend), each without the document made of it (made again if an order needs it) — at
        # thousands of documents those would be most of a build's memory.
        kept = {id(edition): replace(edition) for edition in editions}
        entries = [
            (
                kept[id(edition)],
                None if previous is None else kept[id(previous)],
                kept[id(in_force_from(editions[: edition.number - 1] or editions[:1], forms))],
            )
            for previous, edition in zip([None, *editions], editions)
            if edition.order
        ]
        return entries, tuple(found)

    entries, found = project.files.derived("ordered-editions", editions_dir(project.root, doc_id, kind), read)
    problems.extend(found)
    return entries


def _item(edition: Edition, previous: Edition | None, mode: str, appendix: int, first: Edition | None) -> Item:
    """«Изменения № N в» the document as it is named before them: a renamed position's amendments
    are to the instruction of the old title (they rename it); a new edition is named by its own."""
    named = previous if mode == CHANGES and previous is not None else edition
    return Item(words_of(named.document), named.document.subject, edition, previous, mode, appendix, first)


def appendix_of(project: Project, doc_id: str, number: int) -> dict | None:
    """Edition ``number`` of ``doc_id`` as an appendix of the order that approved it:
    ``{"number": N, "order": Order}`` («Приложение № N к приказу от … № …»), or ``None``."""
    for order in collect_orders(project, []):  # the editions are read once per command (ordered_editions)
        for item in order.items:
            if item.edition.doc_id == doc_id and item.edition.number == number:
                return {"number": item.appendix, "order": order.order}
    return None


def order_conflict(number: str, entries: list[tuple[Edition, Edition | None, Edition]]) -> Problem:
    """One line naming two editions that give order ``number`` different dates."""
    first = entries[0][0]
    other = next(entry[0] for entry in entries if entry[0].order != first.order)
    assert first.order is not None and other.order is not None
    return Problem(
        other.shown,
        None,
        "order.date",
        f"приказ № {number} от {other.order.date:%d.%m.%Y}, а в {first.shown} "
        f"тот же номер от {first.order.date:%d.%m.%Y}: один номер — один приказ",
    )


def holders(project: Project, order: ApprovalOrder) -> list[dict[str, str]]:
    """Who signs «С приказом ознакомлены»: the employees of ``staff.yaml`` holding the positions
    the order concerns (those of a regulation's unit too), hired by the order's date, each once
    (Ф.И.О. and position), then the executor of the order (``document.drafted_by``)."""
    # lazy: brings Jinja; loaded only by the commands that get here
    from jobdesc.documents.compose import positions_of, staff_of

    staff = staff_of(project)
    people: dict[str, dict[str, str]] = {}
    for item in order.items:
        for role_id, title in positions_of(item.edition.document, project):
            for employee in role_holders(staff, role_id):
                if employee.hired <= order.date:
                    people.setdefault(employee.number, {"name": employee.name, "position": title})
    executor = project.config.document.drafted_by  # who is told to acknowledge the staff signs too
    if executor is not None and all(person["name"] != executor.name for person in people.values()):
        people[""] = {"name": executor.name, "position": executor.position}
    return list(people.values())


def file_name(number: str) -> str:
    """The order's file name: its number with characters a file system refuses replaced («15/к» → «15_к.docx»)."""
    safe = re.sub(r'[\\/:*?"<>|\x00-\x1f]', "_", number).strip(" .") or "_"
    return f"{safe}.docx"


@dataclass(frozen=True)
class OrderOutput:
    """The file of one order: where, and how to render it (on demand)."""

    path: Path
    order: ApprovalOrder
    project: Project

    def render(self):  # noqa: ANN201 - jobdesc.render.document.Document
        # lazy: brings Jinja; loaded only by the commands that get here
        from jobdesc.documents.compose import render_template

        context = {
            "org": self.project.config.organisation,
            "settings": self.project.config.document,
            "order": self.order,
            "approver": self.order.approver,
            "holders": holders(self.project, self.order),
        }
        return render_template(self.project, ORDER_TEMPLATE, context)  # a mistake: TemplateProblem

    def check(self) -> None:
        self.render()

    def bytes(self) -> bytes:
        # lazy: brings Jinja; loaded only by the commands that get here
        from jobdesc.documents.compose import styles_bytes
        from jobdesc.render.docx_writer import Properties, write_docx

        order = self.order
        properties = Properties(
            title=f"Приказ от {order.date:%d.%m.%Y} № {order.number}",
            subject="; ".join(dict.fromkeys(item.kind.plural_genitive.capitalize() for item in order.items)),
            author=self.project.config.organisation.short_name,
            keywords=order.number,
            date=order.date,
        )
        return write_docx([self.render()], styles_bytes(self.project), properties)


def plan_orders(project: Project, out: Path) -> list[OrderOutput]:
    """Every order of the project, to be rendered as ``out/orders/NUMBER.docx``.

    A broken edition record or an order number with two dates raise :class:`ProblemsError`.
    """
    problems: list[Problem] = []
    orders = collect_orders(project, problems)
    if problems:
        raise ProblemsError(problems)
    outputs: list[OrderOutput] = []
    taken: set[str] = set()
    for order in orders:
        name = file_name(order.number)
        stem = name.removesuffix(".docx")
        while name.casefold() in taken:  # «15/к» and «15:к» (or «15-К» on a case-blind disk)
            stem += "_"
            name = f"{stem}.docx"
        taken.add(name.casefold())
        outputs.append(OrderOutput(out / ORDERS_DIR / name, order, project))
    return outputs


def order_files(project: Project, out: Path) -> list[tuple[Path, bytes]]:
    """Every order of the project rendered in memory (``out/orders/NUMBER.docx``)."""
    return [(output.path, output.bytes()) for output in plan_orders(project, out)]
