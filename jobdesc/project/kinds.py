"""Kinds of documents a project keeps: job descriptions (``roles/``) and local regulations (``policies/``).

A kind is where its files live, the schema they follow, the template that prints them and the
words that name a document of the kind in another document («утвердить должностную инструкцию
…», «Изменения № 1 в Положение об отделе …»). Every command reaches a document through its kind,
so a second kind is a second :class:`Kind`, not a second copy of the commands.
"""

from __future__ import annotations

import errno
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from jobdesc.disk.reading import ProjectFiles, describe_read, is_dir
from jobdesc.errors import JobdescError
from jobdesc.project.words import JOB_DESCRIPTION, POLICY_TYPES, Words

if TYPE_CHECKING:  # the model's dataclasses cost 12 ms at start: a no-op build builds none of them
    from jobdesc.project.model import Document


@dataclass(frozen=True)
class Kind:
    """A kind of document: its folder, schema, template and what people call it."""

    name: str  # «role», «policy» (``jobdesc schema``, messages)
    folder: str  # ``roles``, ``policies``
    schema: str  # the JSON Schema file of its source files
    template: str  # the template printing one copy
    label: str  # what one file of it is, for messages: «роль», «положение»
    label_genitive: str  # «роли», «положения»
    example: str  # an id for messages: «kam-manager»
    signed_copies: bool  # job descriptions come in the copies of jobdesc.yaml; a regulation in one

    def path(self, root: Path, doc_id: str) -> Path:
        return root / self.folder / f"{doc_id}.yaml"

    def shown(self, doc_id: str) -> str:
        """The source file as the user names it: ``roles/kam-manager.yaml``."""
        return f"{self.folder}/{doc_id}.yaml"

    def files(self, root: Path, listed: ProjectFiles | None = None) -> list[Path]:
        """The source files of this kind, sorted by id (``_``-files are shared, not documents);
        ``listed``: the command's listings, when it has them."""
        folder = root / self.folder
        try:
            names = [name for name, _ in (listed or ProjectFiles()).entries(folder) if source_name(name)]
        except (FileNotFoundError, NotADirectoryError):
            return []
        except OSError as exc:  # a link in a loop, no permission: not «no documents»
            raise unlistable(self.folder, exc) from None
        return [
            folder / name for name in sorted(names, key=os.path.normcase)
        ]  # as paths sort, without making them first


def unlistable(folder: str, exc: OSError) -> JobdescError:
    """«policies: не удается прочитать папку: …»: a folder of documents that cannot be listed."""
    reason = "нет прав на чтение папки" if exc.errno in (errno.EACCES, errno.EPERM) else describe_read(exc)
    return JobdescError(f"{folder}: не удается прочитать папку: {reason}")


def source_name(name: str) -> bool:
    """A document file's name (``Path.suffix`` rules: «.yaml» alone has no suffix), not a ``_``-file."""
    return name.endswith((".yaml", ".yml")) and name not in (".yaml", ".yml") and not name.startswith("_")


ROLE = Kind(
    "role", "roles", "role.schema.json", "job-description.md.j2", "роль", "роли", "kam-manager", signed_copies=True
)
POLICY = Kind(
    "policy",
    "policies",
    "policy.schema.json",
    "policy.md.j2",
    "положение",
    "положения",
    "kam-department",
    signed_copies=False,
)
KINDS = (ROLE, POLICY)
BY_NAME = {kind.name: kind for kind in KINDS}


def kind_of(document: Document) -> Kind:
    return BY_NAME[document.kind_name]


def find_kind(root: Path, doc_id: str) -> Kind | None:
    """The kind whose folder holds ``doc_id`` (its file or its editions); ``None`` when none does."""
    for kind in KINDS:
        folder = root / kind.folder
        if (folder / f"{doc_id}.yaml").exists() or (folder / f"{doc_id}.editions").is_dir():
            return kind
    return None


def edition_folders(root: Path, files: ProjectFiles | None = None) -> list[tuple[Kind, str]]:
    """Every document id with approved editions (``roles/ID.editions``), its source file still
    there or not (a deleted document's orders stay as signed): roles first, then policies, each in
    the order of :meth:`Kind.files`. ``files``: the command's listings, when it has them."""
    found: list[tuple[Kind, str]] = []
    for kind in KINDS:
        try:
            listed = (files or ProjectFiles()).entries(root / kind.folder)
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as exc:
            raise unlistable(kind.folder, exc) from None
        ids = [
            name.removesuffix(".editions")
            for name, entry in listed
            if name.endswith(".editions") and name != ".editions" and is_dir(entry)  # a link in a loop: none
        ]
        found += [(kind, doc_id) for doc_id in sorted(ids, key=lambda doc_id: os.path.normcase(f"{doc_id}.yaml"))]
    return found


def document_files(root: Path, listed: ProjectFiles | None = None) -> list[tuple[Kind, Path]]:
    """The source files of every kind: roles first, then policies, each sorted by id."""
    return [(kind, path) for kind in KINDS for path in kind.files(root, listed)]


def words_of(document: Document) -> Words:
    """The words naming ``document``'s kind (a regulation's, by its type)."""
    if document.kind_name == POLICY.name:
        return POLICY_TYPES[document.type]  # type: ignore[union-attr]
    assert document.kind_name == ROLE.name
    return JOB_DESCRIPTION


@dataclass(frozen=True)
class Names:
    """A document's whole name in the cases other documents need: «должностную инструкцию менеджера …»."""

    nominative: str
    genitive: str
    accusative: str
    instrumental: str


def names_of(document: Document) -> Names:
    """«должностная инструкция менеджера …» / «Положение об отделе …», in four cases."""
    words, subject = words_of(document), document.subject
    return Names(
        f"{words.nominative} {subject}",
        f"{words.genitive} {subject}",
        f"{words.accusative} {subject}",
        f"{words.instrumental} {subject}",
    )
