"""Versions of a document to compare: an approved edition, a git revision, or the working file."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from jobdesc.disk import git
from jobdesc.disk.reading import MAX_FILE_BYTES
from jobdesc.editions.amendments import quote
from jobdesc.editions.store import Edition, require_editions
from jobdesc.errors import JobdescError, Problem, ProblemsError
from jobdesc.project.kinds import KINDS, POLICY, ROLE, Kind, find_kind, words_of
from jobdesc.project.links import Graph, Node, links_of
from jobdesc.project.loader import COMMON_FILE, ROLES_DIR, Project, load_checked, policy_from_data, role_from_data
from jobdesc.project.model import Document, Policy
from jobdesc.project.validate import COMMON_SCHEMA
from jobdesc.project.words import dative_words
from jobdesc.project.yamlio import LocatedDict, YamlProblem, load_bytes

WORKING = "working"
MAX_REVISION = 256  # characters: a hash, a branch or tag, HEAD~3, a date — never more


@dataclass(frozen=True)
class Version:
    """A document's text at some point, with a label for people."""

    label: str
    document: Document
    edition: Edition | None = None


def requisite_changes(old: Document, new: Document) -> list[str]:
    """What changed outside the clauses, which a clause diff cannot see: a regulation's name
    (a role's title is in its clauses) and the registration number printed in the requisites
    («ДИ-014 → ДИ-016»)."""
    found = [f"наименование: «{old.title}» → «{new.title}»"] if _renamed_regulation(old, new) else []
    if old.number != new.number:
        found.append(f"номер документа: {old.number or 'без номера'} → {new.number or 'без номера'}")
    return found


def _renamed_regulation(old: Document, new: Document) -> bool:
    return isinstance(old, Policy) and isinstance(new, Policy) and old.title != new.title


def requisite_items(old: Document, new: Document) -> list[str]:
    """The amendment items for :func:`requisite_changes` («Наименование положения изложить …»,
    «Регистрационный номер … заменить …»)."""
    if not _renamed_regulation(old, new):
        return _number_items(old, new)

    words = words_of(old).genitive.lower()  # named as it was: «Наименование положения …»
    return [f"Наименование {words} изложить в следующей редакции: {quote(new.title)}.", *_number_items(old, new)]


def _number_items(old: Document, new: Document) -> list[str]:
    if old.number == new.number:
        return []
    words = words_of(new).genitive
    words = words if words.islower() else words.lower()  # «Положения» inside a sentence: «положения»
    if old.number and new.number:
        return [f"Регистрационный номер {words} «{old.number}» заменить номером «{new.number}»."]
    if new.number:
        dative = dative_words(words_of(new))
        dative = dative if dative.islower() else dative.lower()  # as the genitive: «положению»
        return [f"Присвоить {dative} регистрационный номер «{new.number}»."]
    return [f"Регистрационный номер {words} «{old.number}» исключить."]


def pair(project: Project, doc_id: str, source: str | None, target: str | None) -> tuple[Version, Version]:
    """The two versions to compare: ``source`` defaults to the last edition, ``target`` to the working file."""
    editions = require_editions(project.root, doc_id, find_kind(project.root, doc_id), project.files)
    if source is None and not editions:
        raise JobdescError(f"{doc_id}: утвержденных редакций нет — укажите --from (ревизию git)")
    old = resolve(project, doc_id, str(len(editions)) if source is None else source, editions)
    return old, resolve(project, doc_id, target, editions)


def resolve(project: Project, doc_id: str, spec: str | None, editions: list[Edition]) -> Version:
    """``spec``: an edition number, ``working`` (or nothing), or a git revision."""
    if spec in (None, WORKING):
        if doc_id not in project.documents:
            raise JobdescError(f"{ROLES_DIR}/{doc_id}.yaml: такой роли нет")
        return Version("рабочий текст", project.documents[doc_id])
    if not spec.strip():
        raise JobdescError("пустая версия: укажите номер редакции, ревизию git или working")
    if spec.isascii() and spec.isdigit():
        number = int(spec)
        if not 1 <= number <= len(editions):
            have = f"есть редакции 1–{len(editions)}" if editions else "утвержденных редакций нет"
            raise JobdescError(f"{doc_id}: редакции № {number} нет ({have})")
        edition = editions[number - 1]
        return Version(f"редакция № {number}", edition.document, edition)
    return Version(f"git {spec}", _from_git(project, doc_id, spec))


def _from_git(project: Project, doc_id: str, revision: str) -> Document:
    """The document file (and the shared clauses) as they were at a git revision; its links are
    resolved against the documents as they were at that revision too (a unit renamed since then
    is a change, as it was)."""
    kind = find_kind(project.root, doc_id) or ROLE
    shown = f"{kind.shown(doc_id)}@{revision}"
    prefix = _prefix(project.root, revision)
    text = _git_show(project.root, revision, prefix + kind.shown(doc_id))
    if text is None:
        raise JobdescError(f"{shown}: в git нет такой ревизии или файла документа в ней")
    problems: list[Problem] = []
    data = load_checked(text, shown, kind.schema, problems)
    graph = graph_at(project.root, revision, prefix)
    if kind is POLICY:
        policy = policy_from_data(doc_id, data, shown, problems, graph) if data is not None else None
        if policy is None:
            raise ProblemsError(_at_revision(problems, kind.shown(doc_id), shown))
        return policy
    common_text = _git_show(project.root, revision, f"{prefix}{ROLES_DIR}/{COMMON_FILE}")
    common = (
        load_checked(common_text, f"{ROLES_DIR}/{COMMON_FILE}@{revision}", COMMON_SCHEMA, problems)
        if common_text is not None
        else LocatedDict()
    )
    role = (
        role_from_data(doc_id, data, common, shown, problems, graph)
        if data is not None and common is not None
        else None
    )
    if role is None:
        raise ProblemsError(_at_revision(problems, kind.shown(doc_id), shown))
    return role


def _at_revision(problems: list[Problem], working: str, shown: str) -> list[Problem]:
    """Problems of the document's file at a revision named as such («roles/x.yaml@HEAD~1:5: …»),
    not as the working file (the links report the file by the document's id)."""
    return [replace(problem, path=shown) if problem.path == working else problem for problem in problems]


def graph_at(root: Path, revision: str, prefix: str) -> Graph:
    """The links between the project's documents as they were at a git revision (``prefix``: the
    project's folder in the repository): every document file of that commit, read with one
    ``git cat-file`` by object id (a file too big to be a document is left out, as on disk)."""
    listed = _run_git(root, "ls-tree", "-r", "-z", "-l", "--full-name", revision, "--", *(k.folder for k in KINDS))
    wanted: list[tuple[Kind, str, str]] = []  # kind, document id, object id
    for entry in listed.stdout.decode("utf-8", "surrogateescape").split("\0") if listed.returncode == 0 else []:
        info, _, name = entry.partition("\t")  # «MODE TYPE OBJECT SIZE», a tab, the path
        fields = info.split()
        if len(fields) != 4 or fields[1] != "blob" or not fields[3].isdigit() or int(fields[3]) > MAX_FILE_BYTES:
            continue
        path = PurePosixPath(name)
        kind = next((k for k in KINDS if name == f"{prefix}{k.folder}/{path.name}"), None)
        if kind is not None and path.suffix == ".yaml" and not path.stem.startswith("_"):
            wanted.append((kind, path.stem, fields[2]))
    blobs = _cat_file(root, "".join(f"{oid}\n" for *_, oid in wanted).encode("ascii")) if wanted else []
    nodes: dict[str, Node] = {}
    for (kind, doc_id, _), blob in zip(wanted, blobs):
        if doc_id in nodes or blob is None:
            continue  # an id taken twice: reported when the project loads
        try:
            data = load_bytes(blob, f"{kind.shown(doc_id)}@{revision}")
        except YamlProblem:
            data = None  # a broken file links nothing
        loaded = data if isinstance(data, LocatedDict) else LocatedDict()
        nodes[doc_id] = Node(kind, doc_id, None, links_of(kind, data), loaded)
    return Graph(nodes)


def _run_git(root: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess:
    """``git ARGS`` in ``root`` (its exit code is the caller's to read); a clear error without git
    or when it does not answer."""
    return git.run(root, *args, data=data, purpose="сравнение с ревизией невозможно")


def _cat_file(root: Path, query: bytes) -> list[bytes | None]:
    """The contents of each object id line of ``query``, in order (``None`` for a missing one):
    ``git cat-file --batch`` answers each with a line «OID TYPE SIZE», the bytes and a newline."""
    out, position = _run_git(root, "cat-file", "--batch", data=query).stdout, 0
    found: list[bytes | None] = []
    while position < len(out):
        end = out.index(b"\n", position)
        header = out[position:end].split()
        position = end + 1
        if len(header) < 3 or header[-1] == b"missing":
            found.append(None)
            continue
        size = int(header[2])
        found.append(out[position : position + size])
        position += size + 1
    return found


def _prefix(root: Path, revision: str) -> str:
    """The project's folder in its git repository («» at the top); a revision no git accepts and a
    project outside a repository are refused with a clear line."""
    if revision.startswith("-"):
        raise JobdescError(f"недопустимая ревизия git: {revision}")
    if len(revision) > MAX_REVISION:
        raise JobdescError(
            f"ревизия git «{revision[:40]}…» длиннее {MAX_REVISION} символов: укажите хеш коммита, ветку или тег"
        )
    if ":" in re.sub(r"@\{[^}]*\}", "", revision):  # HEAD:../x names a file of a revision (a date in @{…} may hold «:»)
        raise JobdescError(
            f"ревизия git «{revision}» — с «:» это файл в ревизии, а нужен один коммит (например, HEAD~1 или хеш коммита)"
        )
    if ".." in revision:
        raise JobdescError(
            f"ревизия git «{revision}» — это диапазон коммитов, а нужен один коммит (например, HEAD~1 или хеш коммита)"
        )
    done = _run_git(root, "rev-parse", "--show-prefix")
    if done.returncode != 0:
        if b"dubious ownership" in done.stderr:
            raise JobdescError(
                f"{root}: git отказывается работать с репозиторием другого владельца (dubious ownership); если ему "
                f"можно доверять: git config --global --add safe.directory {root}"
            )
        raise JobdescError(f"{root}: это не репозиторий git — сравнение с ревизией {revision} невозможно")
    return done.stdout.decode("utf-8", "surrogateescape").strip()


def _git_show(root: Path, revision: str, path: str) -> bytes | None:
    """A file's bytes at a revision (``path`` from the top of the repository); ``None`` if absent."""
    shown = _run_git(root, "show", f"{revision}:{path}")
    return shown.stdout if shown.returncode == 0 else None
