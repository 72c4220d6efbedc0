"""The acknowledgment register: who signed which edition or «Изменения № N», and when.

One file per signature, ``acks/ID/НОМЕР.edition-N.yaml`` or ``….amendment-N.yaml`` (ID: a role's
or a regulation's; a regulation is signed by the holders of every position of its unit), created
exclusively (never overwritten) and fingerprinted (sha256 of the record) like editions, so that
``check`` finds a changed record. The records hold personal data, like ``staff.yaml``.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from jobdesc.disk.fsutil import create_new, describe
from jobdesc.editions.store import Edition, fingerprint, in_force_from, load_editions, require_editions
from jobdesc.errors import WARNING, JobdescError, Problem, ProblemsError
from jobdesc.language.names import for_person
from jobdesc.people.staff import (
    SAFE_NUMBER,
    Employee,
    holders,
    load_staff,
    misplaced,
    personal_folder,
    personal_shown,
    private_target,
    require_personal_folder,
    staff_path,
)
from jobdesc.project.kinds import ROLE, find_kind
from jobdesc.project.loader import load_checked
from jobdesc.project.model import AmendmentForms

ACKS_DIR = "acks"
ACK_SCHEMA = "ack.schema.json"
EDITION, AMENDMENT = "edition", "amendment"


@dataclass(frozen=True)
class Document:
    """A document an employee signs: edition N or «Изменения № N» of a job description or a regulation, and when it takes effect."""

    kind: str
    number: int
    approved: dt.date
    effective: dt.date

    def describe(self) -> str:
        """«редакцией № 1 от 20.11.2026» (after «ознакомлен с»)."""
        if self.kind == EDITION:
            return f"редакцией № {self.number} от {self.approved:%d.%m.%Y}"
        return f"изменениями № {self.number} от {self.approved:%d.%m.%Y}"

    def nominative(self) -> str:
        """«редакция № 1 от 20.11.2026», «изменения № 1 от 10.12.2026»."""
        word = "редакция" if self.kind == EDITION else "изменения"
        return f"{word} № {self.number} от {self.approved:%d.%m.%Y}"

    def genitive(self) -> str:
        """«редакции № 1 от 20.11.2026», «изменений № 1 от 10.12.2026»."""
        word = "редакции" if self.kind == EDITION else "изменений"
        return f"{word} № {self.number} от {self.approved:%d.%m.%Y}"

    @property
    def option(self) -> str:
        """How ``ack`` names it: «--edition 1», «--amendment 1»."""
        return f"--{self.kind} {self.number}"

    @property
    def key(self) -> str:
        return f"{self.kind}-{self.number}"


@dataclass(frozen=True)
class Ack:
    """One recorded signature (``doc_id``: the id of the document signed, a role's or a regulation's)."""

    doc_id: str
    employee: str
    name: str
    kind: str
    number: int
    signed: dt.date
    path: str


def documents_in_force(editions: list[Edition], forms: AmendmentForms) -> list[Document]:
    """What a holder of the position signs: the last edition approved whole (edition 1, or one
    approved as a ``new-edition``) and each «Изменения № N» approved after it, each edition in
    the form it was approved in (:func:`~jobdesc.editions.store.form_of`)."""
    if not editions:
        return []
    whole = in_force_from(editions, forms)
    return [Document(EDITION, whole.number, whole.approved, whole.effective)] + [
        Document(AMENDMENT, previous.number, current.approved, current.effective)
        for previous, current in zip(editions[whole.number - 1 :], editions[whole.number :])
    ]


def ack_path(root: Path, doc_id: str, employee: str, kind: str, number: int) -> Path:
    return personal_folder(root) / ACKS_DIR / doc_id / f"{employee}.{kind}-{number}.yaml"


def record_of(doc_id: str, employee: Employee, kind: str, number: int, signed: dt.date, key: str = "role") -> dict:
    record: dict = {
        key: doc_id,
        "employee": employee.number,
        "name": employee.name,
        "document": kind,
        "number": number,
        "signed": signed.isoformat(),
    }
    record["fingerprint"] = fingerprint(record)
    return record


def record_bytes(record: dict) -> bytes:
    header = (
        "# Ознакомление под подпись — персональные данные. Запись не изменяется:\n"
        "# jobdesc check сверяет отпечаток (fingerprint).\n"
    )
    body = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in record.items())
    return (header + body).encode("utf-8")


def record_ack(
    root: Path,
    doc_id: str,
    employee_number: str,
    signed: dt.date,
    kind: str | None,
    number: int | None,
    forms: AmendmentForms,
    positions: list[str] | None = None,
) -> tuple[Path, Document, Employee]:
    """Record that the employee signed the document (default: the latest one in force); append-only.

    ``positions``: the roles whose holders sign it (a role's own; a regulation's, its unit's).
    """
    positions = positions if positions is not None else [doc_id]
    require_personal_folder(root)  # the private folder jobdesc.yaml names is there
    staff = load_staff(root)
    employee = next((e for e in staff if e.number == employee_number), None)
    if employee is None:
        raise JobdescError(f"--employee: работника с табельным номером {employee_number} нет в staff.yaml")
    if employee.role not in positions:
        expected = doc_id if positions == [doc_id] else f"подразделения ({', '.join(positions) or 'нет должностей'})"
        raise JobdescError(
            f"--employee: {employee.name} ({employee.number}) по staff.yaml занимает должность роли {employee.role}, "
            f"а не {expected}"
        )
    if not SAFE_NUMBER.match(employee.number):
        raise JobdescError(
            f"--employee: табельный номер «{employee.number}» нельзя сделать частью имени файла "
            "(допустимы буквы, цифры, «-» и «_»)"
        )

    editions = require_editions(root, doc_id)
    documents = documents_in_force(editions, forms)
    if not documents:
        raise JobdescError(f"{doc_id}: нет утвержденной редакции — знакомить не с чем (jobdesc approve {doc_id} …)")
    if kind is None:
        document = default_document(doc_id, documents, signed)
    else:
        found = next((d for d in documents if d.kind == kind and d.number == number), None)
        if found is None:
            offered = ", ".join(f"{d.nominative()} ({d.option})" for d in documents)
            what = f"редакции № {number}, с которой" if kind == EDITION else f"изменений № {number}, с которыми"
            raise JobdescError(f"{doc_id}: нет {what} знакомят; есть: {offered}")
        document = found
    if signed < document.approved:
        them = "ними" if document.kind == AMENDMENT else "ней"
        earlier = [d for d in documents if d.approved <= signed]
        hint = ""
        if earlier:
            verb = "утверждены" if earlier[-1].kind == AMENDMENT else "утверждена"
            hint = f"; к этой дате {verb} {earlier[-1].nominative()} ({earlier[-1].option})"
        raise JobdescError(
            f"--date: {signed:%d.%m.%Y} — раньше утверждения {document.genitive()} ({doc_id}): "
            f"ознакомиться с {them} тогда было нельзя{hint}"
        )
    path = ack_path(root, doc_id, employee.number, document.kind, document.number)

    private_target(root, path.parent)  # acks/ linked out of the project: refused, nothing written
    shown = personal_shown(root, path)
    try:
        key = (find_kind(root, doc_id) or ROLE).name
        create_new(path, record_bytes(record_of(doc_id, employee, document.kind, document.number, signed, key)))
    except FileExistsError:
        others = [
            d
            for d in documents
            if d != document and not ack_path(root, doc_id, employee.number, d.kind, d.number).exists()
        ]
        hint = f"; еще не записаны: {', '.join(f'{d.nominative()} ({d.option})' for d in others)}" if others else ""
        raise JobdescError(
            f"{shown}: {employee.name} уже {for_person(employee.name, 'ознакомлен', 'ознакомлена')} с "
            f"{document.describe()} — запись есть и не перезаписывается{hint}"
        ) from None
    except OSError as exc:
        raise JobdescError(f"{shown}: не удается записать: {describe(exc)}") from None
    return path, document, employee


def default_document(doc_id: str, documents: list[Document], signed: dt.date) -> Document:
    """The document an ``ack`` without ``--edition``/``--amendment`` records: the last one approved by
    the date of the signature (one approved but not yet in force is signed before it takes effect)."""
    approved = [d for d in documents if d.approved <= signed]
    if not approved:
        first = documents[0]
        raise JobdescError(
            f"--date: {signed:%d.%m.%Y} — раньше утверждения {first.genitive()} ({doc_id}), первого документа, "
            "с которым знакомят: ознакомиться с ним тогда было нельзя"
        )
    return approved[-1]


def load_acks(root: Path, problems: list[Problem]) -> list[Ack]:
    """Every record of ``acks/``; a broken or changed one is a problem (and is left out)."""

    wrong = misplaced(root, ACKS_DIR)
    if wrong is not None:
        problems.append(wrong)
        return []
    base = personal_folder(root)  # the project, or the private folder jobdesc.yaml names
    folder = base / ACKS_DIR
    acks: list[Ack] = []
    for path in sorted(folder.glob("*/*.yaml")) if folder.is_dir() else ():
        shown = personal_shown(root, path)
        data = load_checked(path, shown, ACK_SCHEMA, problems, base)  # a link only inside it (README)
        if data is None:
            continue
        if fingerprint(dict(data)) != data["fingerprint"]:  # a flat record
            problems.append(
                Problem(
                    shown,
                    data.key_lines["fingerprint"],
                    "fingerprint",
                    "запись об ознакомлении изменена после записи (отпечаток не совпадает) — верните ее из git",
                )
            )
            continue
        try:
            signed = dt.date.fromisoformat(data["signed"])
        except ValueError:
            problems.append(Problem(shown, data.key_lines["signed"], "signed", f"несуществующая дата {data['signed']}"))
            continue
        owner = data.get("role") or data.get("policy")
        expected = f"{data['employee']}.{data['document']}-{data['number']}.yaml"
        if path.parent.name != owner or path.name != expected:
            problems.append(
                Problem(shown, None, "", f"запись о {owner}/{expected} лежит не в своем файле — верните ее из git")
            )
            continue
        approved = _approved(root, owner, data["document"], data["number"])
        if approved is not None and signed < approved:
            problems.append(
                Problem(
                    shown,
                    data.key_lines["signed"],
                    "signed",
                    f"ознакомление {signed:%d.%m.%Y} — раньше утверждения документа ({approved:%d.%m.%Y}): "
                    "так быть не может — верните запись из git",
                )
            )
            continue
        acks.append(Ack(owner, data["employee"], data["name"], data["document"], data["number"], signed, shown))
    return acks


def _approved(root: Path, doc_id: str, kind: str, number: int) -> dt.date | None:
    """When the signed document was approved (edition N; «Изменения № N» come with edition N + 1)."""
    editions = load_editions(root, doc_id, [])
    index = number - 1 if kind == EDITION else number
    return editions[index].approved if 0 <= index < len(editions) else None


def former_signers(staff: list[Employee], acks: list[Ack]) -> list[str]:
    """One line per person who signed (records in ``acks/``) but is not in ``staff.yaml`` any more."""
    present = {employee.number for employee in staff}
    gone: dict[str, list[Ack]] = {}
    for ack in acks:
        if ack.employee not in present:
            gone.setdefault(ack.employee, []).append(ack)
    return [
        f"{records[0].path}: {records[0].name} ({number}) нет в staff.yaml, а записей об ознакомлении — "
        f"{len(records)} (acks/…/{number}.*.yaml): они хранятся как доказательство; если работник не уволен, "
        "верните его в staff.yaml (после переименования должности — добавьте прежнее наименование в staff_names роли)"
        for number, records in gone.items()
    ]


def unsigned(
    root: Path, doc_ids: list[str], forms: AmendmentForms, positions: dict[str, list[str]] | None = None
) -> tuple[list[str], list[Problem]]:
    """Lines of who has not signed what is in force (with the date by which they must), and
    warnings where a document in force at hiring was signed after the hire date (ст. 68 ТК РФ).

    ``positions``: by document id, the roles whose holders sign it (default: the role itself).
    """
    problems: list[Problem] = []
    staff = load_staff(root)
    acks = load_acks(root, problems)
    if problems:
        raise ProblemsError(problems)
    signed = {(a.doc_id, a.employee, a.kind, a.number): a for a in acks}
    lines: list[str] = []
    warnings: list[Problem] = []
    if staff_path(root).exists():
        warnings.extend(Problem("", None, "", line, WARNING) for line in former_signers(staff, acks))
    for doc_id in doc_ids:
        found: list[Problem] = []
        editions = load_editions(root, doc_id, found)
        documents = documents_in_force(editions, forms)
        signers = [e for position in (positions or {}).get(doc_id, [doc_id]) for e in holders(staff, position)]
        for employee in signers:
            for document in documents:
                ack = signed.get((doc_id, employee.number, document.kind, document.number))
                at_hiring = document.effective <= employee.hired
                if ack is None:
                    due = max(employee.hired, document.effective)
                    lines.append(
                        f"{doc_id}: {employee.name} ({employee.number}) не "
                        f"{for_person(employee.name, 'ознакомлен', 'ознакомлена')} с {document.describe()}"
                        f" — срок: до {due:%d.%m.%Y}"
                        + (" (до подписания трудового договора, ст. 68 ТК РФ)" if at_hiring else "")
                    )
                elif at_hiring and ack.signed > employee.hired:
                    warnings.append(
                        Problem(
                            ack.path,
                            None,
                            "",
                            f"{employee.name} {for_person(employee.name, 'ознакомлен', 'ознакомлена')} "
                            f"{ack.signed:%d.%m.%Y} с {document.describe()}, "
                            f"позже приема на работу {employee.hired:%d.%m.%Y}: с документом, действующим при "
                            "приеме, знакомят до подписания трудового договора (ст. 68 ТК РФ)",
                            WARNING,
                        )
                    )
    return lines, warnings
