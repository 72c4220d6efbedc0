"""What ``check`` rendered before and what it found, kept on disk by the digest of its inputs.

``check`` renders every output of a project, and the pre-commit hook runs it on every commit,
where most documents are as they were. What it found for a document (usually nothing) is kept
in jobdesc's cache on disk (:mod:`jobdesc.disk.cache`) under a digest of everything that render
depends on, the same inputs an incremental build trusts (:mod:`jobdesc.build.inputs`): jobdesc's
code and libraries, ``jobdesc.yaml``, the shared clauses, ``staff.yaml``, the templates and the
styles file (and whether each of the project's templates can be read at all: a link out of the
project, a pipe; linked subfolders too), the document's source, its editions and the sources of
the documents linked with it (and of the regulations of a role's unit, named as text too: their
head's visa), and every edition record of the project (the appendix numbers of orders); the
orders, every document's source besides (an order's sheet lists a unit as it is now). A changed
input is a new digest: that document is rendered again, never answered from a stale entry.
"""

from __future__ import annotations

import hashlib
import json
import os

from jobdesc.build.inputs import DIGEST_LIMIT, document_digest, shared_digest, template_files
from jobdesc.disk import cache
from jobdesc.disk.reading import InputRefused
from jobdesc.documents.options import Options
from jobdesc.errors import Problem
from jobdesc.project.kinds import edition_folders, kind_of
from jobdesc.project.loader import Project
from jobdesc.project.model import Document, Role

KIND = "checked"


class CheckMemory:
    """The findings of earlier checks of a project's documents, by the digest of their inputs
    (a project's folder in the cache that keeps one run's entries, :class:`~jobdesc.disk.cache.Shelf`)."""

    def __init__(self, project: Project) -> None:
        self.project = project
        self.shelf = cache.Shelf(KIND, project.root)
        self.recalled: set[str] = set()  # Markdown read by the renders answered from memory (kept too)
        files = project.files
        root = project.root
        every_edition = hashlib.sha256()
        for kind, doc_id in edition_folders(root):
            folder = root / kind.folder / f"{doc_id}.editions"
            try:
                names = sorted(e.name for e in os.scandir(folder) if e.name.endswith(".yaml"))
            except OSError as exc:  # reported by the editions' own check; never answered from memory
                names = [f"unreadable {exc.errno} {os.urandom(8).hex()}"]
            for name in names:
                every_edition.update(
                    f"{kind.folder}/{doc_id}/{name}\0{files.digest(folder / name, DIGEST_LIMIT)}\0".encode()
                )
        self.shared = cache.key(
            "check", shared_digest(root, Options(), files), _templates_stamp(project), every_edition.hexdigest()
        )

    def key(self, what: str, document: Document | None = None, *extra: str) -> str:
        """The entry of ``what`` (``outputs``, ``templates`` …) for ``document`` (or the project)."""
        if document is None:
            return cache.key(self.shared, what, *extra)
        project = self.project
        nodes = project.graph.nodes
        others = project.graph.dependencies(document.id)
        if isinstance(document, Role):  # its visa: the head of its unit's regulation, a unit named as text too
            for policy in project.graph.unit_policies(document.department):
                others += [policy.id, str(policy.data.get("head"))]
        linked = [node.path for other in sorted(set(others)) if (node := nodes.get(other)) and node.path]
        path = kind_of(document).path(project.root, document.id)
        digest, _ = document_digest(self.shared, project.root, path, {}, linked, None, project.files)
        return cache.key(digest, what, *extra)

    def orders_key(self) -> str:
        """The entry of the orders: every edition record (in :attr:`shared`) and every document's
        source, for an order's sheet names the holders of a regulation's unit as it is now (the
        roles whose ``department`` names it, their titles)."""
        files = self.project.files
        sources = sorted((node.shown, node.path) for node in self.project.graph.nodes.values() if node.path)
        return self.key("orders", None, *(f"{shown}\0{files.digest(path, DIGEST_LIMIT)}" for shown, path in sources))

    def recall(self, key: str) -> tuple[list[Problem], dict] | None:
        """The problems found under ``key`` and what else was noted, or ``None``."""
        stored = self.shelf.load(key)
        if stored is None:
            return None
        try:
            data = json.loads(stored)
            problems = [Problem(str(p), q, str(f), str(m), str(s)) for p, q, f, m, s in data["problems"]]
            return problems, dict(data["notes"])
        except (ValueError, KeyError, TypeError):
            return None  # damaged, or of another jobdesc: found anew

    def keep(self, key: str, problems: list[Problem], notes: dict | None = None) -> None:
        """Remember what was found under ``key``."""
        data = {"problems": [[p.path, p.line, p.field, p.message, p.severity] for p in problems], "notes": notes or {}}
        self.shelf.store(key, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def _templates_stamp(project: Project) -> str:
    """How each file of the project's templates folder reads through the door: its digest, or why
    it is refused (a link out of the project, not a regular file, too big), so that a template
    that became unreadable is never answered from a check that could read it."""
    stamp = hashlib.sha256()
    folder = project.templates
    for name, path in template_files(folder, project.root):  # through linked subfolders too, as the loader reads
        try:
            seen = hashlib.sha256(project.files.read(path, DIGEST_LIMIT, project.root)).hexdigest()
        except InputRefused as exc:
            seen = f"refused: {exc.reason}"
        stamp.update(f"{name}\0{seen}\0".encode())
    if folder.is_symlink():
        stamp.update(f"link → {os.readlink(folder)}".encode())
    return stamp.hexdigest()
