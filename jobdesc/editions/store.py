"""Approved editions: immutable records of a document's text as the director approved it.

Edition N of role ``kam-manager`` is ``roles/kam-manager.editions/NNN.yaml`` (of regulation
``kam-department``, ``policies/kam-department.editions/NNN.yaml``). It holds the approval
(date, approver, order, effective date), the whole resolved text of the document and a
sha256 fingerprint of all of it, so that any edition can be rebuilt without git and an
accidental change is found by ``jobdesc check`` (a forgery, by git history or a signature:
:mod:`jobdesc.editions.provenance`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import overload

import yaml

from jobdesc.disk.fsutil import create_new, describe
from jobdesc.disk.reading import ProjectFiles
from jobdesc.editions.journal import begin, recover_approval
from jobdesc.errors import JobdescError, Problem, ProblemsError
from jobdesc.project.kinds import KINDS, ROLE, Kind, find_kind, kind_of, words_of
from jobdesc.project.loader import load_checked
from jobdesc.project.model import CHANGES, FIRST, AmendmentForms, Document, Person, Policy, Role
from jobdesc.project.validate import check_shape
from jobdesc.project.yamlio import LocatedDict

EDITION_SCHEMA = "edition.schema.json"


@dataclass(frozen=True)
class Order:
    """The director's order that approved an edition."""

    number: str
    date: dt.date
    reason: str | None = field(default=None, compare=False)  # the preamble of the order («В целях …»)

    def describe(self) -> str:
        """«приказ от 01.12.2026 № 15-к» (the number never leaves its sign)."""
        return f"приказ от {self.date:%d.%m.%Y} №\u00a0{self.number}"


@dataclass(frozen=True)
class Edition:
    """One approved edition of a document (a role's job description, a regulation)."""

    doc_id: str
    number: int
    approved: dt.date
    approver: Person
    effective: dt.date
    content: dict
    fingerprint: str
    order: Order | None = None
    kind: Kind = ROLE
    source: dict | None = None  # imported: {"file": the Word file's name, "sha256": its hash}
    consent: str | None = None  # an edition adding duties: «same-function» or «agreement» (ст. 72 ТК РФ)
    form: str | None = (
        None  # edition 2 on: approved as «changes» or as a «new-edition» (None: recorded before forms were)
    )

    @cached_property
    def document(self) -> Document:
        """The document as approved."""
        if self.kind is ROLE:
            return Role.from_dict(self.doc_id, self.content, self.content["title_genitive"])
        return Policy.from_dict(self.doc_id, self.content)

    @property
    def shown(self) -> str:
        """The edition's file as the user names it: ``roles/kam-manager.editions/002.yaml``."""
        return f"{self.kind.folder}/{self.doc_id}.editions/{self.number:03d}.yaml"

    def record(self) -> dict:
        """The edition as stored, fingerprint included."""
        record: dict = {
            "edition": self.number,
            self.kind.name: self.doc_id,
            "approved": self.approved.isoformat(),
            "approver": {"position": self.approver.position, "name": self.approver.name},
        }
        if self.order:
            record["order"] = {"number": self.order.number, "date": self.order.date.isoformat()}
            if self.order.reason:
                record["order"]["reason"] = self.order.reason
        record["effective"] = self.effective.isoformat()
        if self.source:
            record["source"] = dict(self.source)
        if self.consent:
            record["consent"] = self.consent
        if self.form:
            record["form"] = self.form
        record["fingerprint"] = self.fingerprint
        record["content"] = self.content
        return record


def editions_dir(root: Path, doc_id: str, kind: Kind | None = None) -> Path:
    """``roles/ID.editions`` or ``policies/ID.editions``: the folder of the kind the id is of."""
    kind = kind or find_kind(root, doc_id) or ROLE
    return root / kind.folder / f"{doc_id}.editions"


def edition_path(root: Path, doc_id: str, number: int, kind: Kind | None = None) -> Path:
    return editions_dir(root, doc_id, kind) / f"{number:03d}.yaml"


def edition_order(path: Path) -> tuple[int, int, str]:
    """Sort key of the files of an editions folder: by edition number (``999.yaml`` before
    ``1000.yaml``), names that are not numbers after them."""
    stem = path.name.split(".", 1)[0]
    return (0, int(stem), path.name) if stem.isascii() and stem.isdigit() else (1, 0, path.name)


def fingerprint(record: dict) -> str:
    """sha256 of the canonical JSON of a record, its ``fingerprint`` field left out."""
    payload = {key: value for key, value in record.items() if key != "fingerprint"}
    canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def load_editions(
    root: Path, doc_id: str, problems: list[Problem], kind: Kind | None = None, files: ProjectFiles | None = None
) -> list[Edition]:
    """The document's editions in order; integrity problems (tampering, gaps, order) are appended.
    ``files``: the project's files (:attr:`Project.files`), which read each edition once per command."""
    files = files or ProjectFiles()
    kind = kind or find_kind(root, doc_id) or ROLE
    folder = editions_dir(root, doc_id, kind)
    if not folder.is_dir():
        return []
    editions: list[Edition] = []
    for path in sorted(folder.iterdir(), key=edition_order):
        shown = f"{kind.folder}/{folder.name}/{path.name}"
        if path.name.startswith(".") or path.suffix != ".yaml":
            continue
        edition = _load_edition(path, shown, doc_id, problems, kind, files)
        if edition is None:
            return []
        expected = len(editions) + 1
        if edition.number != expected or path.stem != f"{edition.number:03d}":
            problems.append(
                Problem(
                    shown,
                    None,
                    "edition",
                    f"{doc_id}: ожидалась редакция № {expected} в файле {expected:03d}.yaml (пропуск или беспорядок в редакциях)",
                )
            )
            return []
        if editions and edition.approved < editions[-1].approved:
            problems.append(
                Problem(
                    shown,
                    None,
                    "approved",
                    f"{doc_id}: редакция № {edition.number} утверждена раньше редакции № {editions[-1].number}",
                )
            )
            return []
        editions.append(edition)
    return editions


def require_editions(
    root: Path, doc_id: str, kind: Kind | None = None, files: ProjectFiles | None = None
) -> list[Edition]:
    """The document's editions; an integrity problem, or any edition of the project that git or its
    signature shows forged or lost, stops the command (:class:`ProblemsError`)."""
    # lazy: jobdesc.editions.provenance and what it imports (9 modules) load only for the commands that get here
    from jobdesc.editions.provenance import require_genuine

    recover_approval(root)  # an approval killed half-way: all or none
    require_genuine(root)

    problems: list[Problem] = []
    editions = load_editions(root, doc_id, problems, kind, files)
    if problems:
        raise ProblemsError(problems)
    return editions


def _load_edition(
    path: Path, shown: str, doc_id: str, problems: list[Problem], kind: Kind, files: ProjectFiles
) -> Edition | None:
    """One edition file read and checked, once per command however often the command asks
    (a build and its orders, or ``check``, load every document's editions more than once)."""

    def read() -> tuple[Edition | None, tuple[Problem, ...]]:
        found: list[Problem] = []
        return _read_edition(path, shown, doc_id, found, kind, files), tuple(found)

    edition, found = files.derived(f"edition:{doc_id}", path, read)
    problems.extend(found)
    return edition


def _read_edition(
    path: Path, shown: str, doc_id: str, problems: list[Problem], kind: Kind, files: ProjectFiles
) -> Edition | None:
    root = path.parents[2]  # roles/ID.editions/NNN.yaml: an edition never leads out of its project
    data = load_checked(path, shown, EDITION_SCHEMA, problems, root, files)
    if data is None:
        return None
    owner = next((other for other in KINDS if other.name in data), None)
    if owner is not kind:
        field = owner.name if owner else kind.name
        problems.append(
            Problem(shown, data.key_lines.get(field, data.line), field, f"нужно поле {kind.name}: {doc_id}")
        )
        return None
    found = [
        Problem(p.path, p.line, f"content.{p.field}" if p.field else "content", p.message)
        # the record's texts, the content's among them, were checked by load_checked
        for p in check_shape(data["content"], kind.schema, shown, texts_checked=True)
    ]
    if not found and kind is ROLE and "title_genitive" not in data["content"]:
        found = [Problem(shown, data.line, "content.title_genitive", "обязательное поле отсутствует")]
    if not found and data[kind.name] != doc_id:
        found = [
            Problem(shown, data.key_lines[kind.name], kind.name, f"редакция другого документа ({data[kind.name]})")
        ]
    if not found:
        dates = {key: _date(data, key, shown, found) for key in ("approved", "effective")}
        if "order" in data:
            dates["order"] = _date(data["order"], "date", shown, found, "order.date")
    if found:
        problems.extend(found)
        return None
    plain = _plain(data)  # the record as plain dicts and lists: fingerprinted, and its content kept
    if fingerprint(plain) != data["fingerprint"]:
        problems.append(
            Problem(
                shown,
                data.key_lines["fingerprint"],
                "fingerprint",
                f"{doc_id}: редакция № {data['edition']} изменена после утверждения (отпечаток не совпадает); "
                "утвержденные редакции не меняются — верните файл из git",
            )
        )
        return None
    valid = {key: date for key, date in dates.items() if date is not None}  # all of them: a bad one returned above
    order = Order(data["order"]["number"], valid["order"], data["order"].get("reason")) if "order" in data else None
    return Edition(
        doc_id,
        data["edition"],
        valid["approved"],
        Person(**data["approver"]),
        valid["effective"],
        plain["content"],
        data["fingerprint"],
        order,
        kind,
        plain["source"] if "source" in data else None,
        data.get("consent"),
        data.get("form"),
    )


def _date(data: LocatedDict, key: str, shown: str, found: list[Problem], field: str | None = None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(data[key])
    except ValueError:
        found.append(Problem(shown, data.key_lines[key], field or key, f"несуществующая дата {data[key]}"))
        return None


@overload
def _plain(value: dict) -> dict: ...
@overload
def _plain(value: object) -> object: ...
def _plain(value: object) -> object:
    """Located YAML containers as plain dicts and lists."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def new_edition(
    document: Document,
    previous: list[Edition],
    approved: dt.date,
    approver: Person,
    order: Order | None = None,
    effective: dt.date | None = None,
    source: dict | None = None,
    consent: str | None = None,
    forms: AmendmentForms | None = None,
) -> Edition:
    """The next edition of ``document``; refuses an unchanged text or a date before the last edition's.

    ``source``: the Word file the text was imported from (``file``, ``sha256``), kept in the edition.
    ``forms``: ``document.amendments`` of ``jobdesc.yaml``; an edition after the first records the
    form of its kind (:attr:`Edition.form`), which it keeps whatever the setting becomes.
    """
    content = document.as_dict()
    if previous:
        last = previous[-1]
        if last.content == content:
            raise JobdescError(
                f"{document.id}: текст не изменился со времени редакции № {last.number} — утверждать нечего"
            )
        if approved < last.approved:
            raise JobdescError(
                f"{document.id}: дата {approved:%d.%m.%Y} раньше даты редакции № {last.number} ({last.approved:%d.%m.%Y})"
            )
    effective = effective or approved
    if effective < approved:
        raise JobdescError(f"{document.id}: дата введения в действие {effective:%d.%m.%Y} раньше даты утверждения")
    kind = kind_of(document)
    form = (forms or AmendmentForms()).of(kind.name) if previous else None
    draft = Edition(
        document.id, len(previous) + 1, approved, approver, effective, content, "", order, kind, source, consent, form
    )
    return Edition(
        document.id,
        draft.number,
        approved,
        approver,
        effective,
        content,
        fingerprint(draft.record()),
        order,
        kind,
        source,
        consent,
        form,
    )


def form_of(edition: Edition, forms: AmendmentForms) -> str:
    """How ``edition`` was approved: ``first`` (edition 1), else the form it records, else (an edition
    approved before forms were recorded) the form ``jobdesc.yaml`` sets for its kind, as then."""
    if edition.number == 1:
        return FIRST
    return edition.form or forms.of(edition.kind.name)


def form_words(edition: Edition, forms: AmendmentForms) -> str:
    """How ``history`` and ``approve`` say the form of an edition: «Изменения № 1», «новая редакция
    целиком»; empty for edition 1."""
    form = form_of(edition, forms)
    if form == FIRST:
        return ""
    return f"Изменения № {edition.number - 1}" if form == CHANGES else "новая редакция целиком"


def in_force_from(editions: list[Edition], forms: AmendmentForms) -> Edition:
    """The last of ``editions`` approved whole (edition 1, or one approved as a ``new-edition``):
    the document the «Изменения» approved after it amend."""
    return next((e for e in reversed(editions) if form_of(e, forms) != CHANGES), editions[0])


def edition_bytes(edition: Edition) -> bytes:
    """The file of an edition as stored (a comment header, then the record)."""
    header = (
        f"# Редакция № {edition.number} {words_of(edition.document).genitive.lower()} «{edition.content['title']}».\n"
        "# Утвержденная редакция не изменяется: jobdesc check сверяет отпечаток (fingerprint).\n"
    )
    body = yaml.safe_dump(edition.record(), allow_unicode=True, sort_keys=False, width=10**6, default_flow_style=False)
    return (header + body).encode("utf-8")


def write_edition(root: Path, edition: Edition, sign: Callable[[bytes], bytes] | None = None) -> Path:
    """Store a new edition; never overwrites an existing one, never writes one ``check`` would reject.

    The file is created exclusively: of two approvals of one document at once, the second fails.
    ``sign`` (the edition's bytes → a detached signature) adds ``NNN.yaml.sig`` beside it.
    """
    path = edition_path(root, edition.doc_id, edition.number, edition.kind)
    shown = path.relative_to(root).as_posix()
    problems = check_shape(edition.record(), EDITION_SCHEMA, shown)
    if problems:
        raise JobdescError(f"{edition.doc_id}: утверждение не записано — {problems[0].field}: {problems[0].message}")
    if path.exists():
        raise JobdescError(f"{shown}: редакция уже существует и не перезаписывается")
    data = edition_bytes(edition)
    signature = sign(data) if sign is not None else None
    try:
        create_new(path, data)
    except FileExistsError:
        raise JobdescError(
            f"{shown}: редакцию № {edition.number} только что записало другое утверждение — "
            "эта не записана; посмотрите jobdesc history и повторите, если нужно"
        ) from None
    except OSError as exc:
        raise JobdescError(f"{shown}: не удается записать: {describe(exc)}") from None
    if signature is not None:
        try:
            create_new(path.with_name(path.name + ".sig"), signature)
        except OSError as exc:
            path.unlink(missing_ok=True)  # an approval is recorded signed as asked, or not at all
            raise JobdescError(f"{shown}.sig: не удается записать подпись: {describe(exc)}") from None
    return path


def begin_approval(root: Path, editions: list[Edition]) -> Path:
    """The journal of an approval about to write ``editions`` (see :mod:`jobdesc.editions.journal`)."""
    return begin(root, [(edition_path(root, e.doc_id, e.number, e.kind), edition_bytes(e)) for e in editions])
