"""``jobdesc build`` over many documents: incremental, on every core, one document's failure isolated.

A document (a role's job description, a regulation) is rebuilt only when something its files
depend on changed: its source and edition records, the sources of the documents linked with it
(its department's regulation, whom it reports to, who reports to it, and so on), ``jobdesc.yaml``,
``roles/_common.yaml``, the templates and styles file, the build options, or jobdesc itself. The digests of the last build are kept in
``<out>/.jobdesc-manifest.json``. Each document's files are rendered in memory and then written
atomically, so a failed document leaves nothing half-written and its old files untouched.

The files of documents that no longer exist, the files a document no longer has (an amendment) and
those that other ``--copies``/``--split-copies`` made are removed, each one named in the report.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeGuard

from jobdesc import __version__
from jobdesc.build.inputs import (
    DIGEST_LIMIT,
    EDITIONS_KEYS,
    document_digest,
    editions_key,
    file_bytes,
    shared_digest,
    trusted_stat,
)
from jobdesc.disk.fsutil import (
    DeferredWrites,
    atomic_write,
    atomic_write_all,
    describe,
    remove_stale_temporaries,
    remove_written,
)
from jobdesc.disk.reading import ProjectFiles, is_file
from jobdesc.documents.options import Options
from jobdesc.editions.journal import recover_approval
from jobdesc.editions.provenance import require_genuine
from jobdesc.errors import JobdescError, Problem, ProblemsError
from jobdesc.people.staff import STAFF_FILE, staff_path
from jobdesc.project.kinds import BY_NAME, POLICY, ROLE, Kind, document_files, edition_folders
from jobdesc.project.layout import select_documents
from jobdesc.project.links import Graph, facts, links_of, read_source, unit_named
from jobdesc.project.located import LocatedDict

if TYPE_CHECKING:
    from jobdesc.project.loader import Project

MANIFEST = ".jobdesc-manifest.json"
PARALLEL_FROM = 8  # documents; fewer are built in this process (starting workers costs more)
# Sources read for the link index keep their parsed data for their own build while their bytes add
# up to this (parsed data weighs about ten times its bytes); the others are parsed again when built.
KEEP_PARSED_BYTES = 4 * 1024 * 1024
ORPHAN_CHECK_SECONDS = 0.5  # how often a worker looks whether the build that started it is alive


@dataclass
class Report:
    """What a build did."""

    written: list[Path] = field(default_factory=list)  # files (re)written
    kept: list[Path] = field(default_factory=list)  # files rebuilt byte for byte as they were: not rewritten
    removed: list[tuple[Path, str]] = field(default_factory=list)  # obsolete files removed, and why
    # every file of the built and up-to-date documents (paths as strings: thousands of them)
    current: list[str] = field(default_factory=list)
    up_to_date: int = 0
    built: int = 0
    failed: list[Problem] = field(default_factory=list)
    failed_documents: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> str:
        """«Документов: 5 (собрано: 3, без изменений: 2, с ошибками: 0); файлов записано: 11 за 0,4 с»:
        the documents add up; files rebuilt as they were are counted apart."""
        failed = len(self.failed_documents)
        total = self.built + self.up_to_date + failed
        files = f"файлов записано: {len(self.written)}"
        if self.kept:
            files += f", совпали с прежними и не переписаны: {len(self.kept)}"
        seconds = f"{self.seconds:.1f}".replace(".", ",")
        return (
            f"Документов: {total} (собрано: {self.built}, без изменений: {self.up_to_date}, с ошибками: {failed}); "
            f"{files} за {seconds} с"
        )


@dataclass(frozen=True)
class _Result:
    doc_id: str
    written: tuple[tuple[str, str], ...] = ()  # (file name, sha256 of its bytes)
    kept: tuple[str, ...] = ()  # of those, the files that held these bytes already (not rewritten)
    warnings: tuple[str, ...] = ()
    approved: int | None = None  # the edition whose text the working text is (None: changes pending, or a draft)
    problems: tuple[Problem, ...] = ()
    ordered: bool = False  # an edition approved by an order: its files may carry «Приложение № N к приказу …»


def run(
    root: Path,
    only: list[str] | None,
    out: Path,
    options: Options,
    force: bool = False,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Build the documents of the project at ``root`` into ``out``; see the module docstring."""
    started = time.perf_counter()
    out_folder = os.fspath(out)
    EDITIONS_KEYS.clear()  # the editions as they are now
    problems: list[Problem] = []
    recover_approval(root)  # before the folders are listed: an approval killed half-way is rolled back
    read = ProjectFiles()  # every project file this build reads, each once; each folder listed once
    every = document_files(root, read)
    files = select_documents(root, only, problems, every)
    if problems:
        raise ProblemsError(problems)
    require_genuine(root, read)  # nothing of a forged or lost edition reaches paper
    manifest, orders_before, links_before, pdfs_before = _read_manifest(out)
    pdfs = dict(pdfs_before)  # the PDFs `build --pdf` made, by name in out/, with their sha256
    taken: dict[str, list[int] | None] = {}  # size and time of each source, taken once
    shared = shared_digest(root, options, read)  # first: the templates it reads stay read for rendering
    known: dict[str, LocatedDict] = {}  # what linked documents read of each source parsed for the index
    links = _link_index(every, links_before, taken, read, known)
    graph = Graph.from_links([(kind, path, links[f"{kind.folder}/{path.name}"][2]) for kind, path in every], read)
    endorsing = _endorsing(every, links)
    for node in graph.nodes.values():
        if node.path is not None and str(node.path) in known:
            node.remember(known[str(node.path)])
    before = {key: dict(entry) if isinstance(entry, dict) else entry for key, entry in manifest.items()}
    report = Report()
    warnings: dict[str, list[str]] = {}  # by document, printed in document order however they were built
    stale: list[tuple[tuple[str, Path], str]] = []
    up_to_date: list[tuple[str, dict]] = []
    inputs: dict[str, dict] = {}  # size and time of each document's files, taken before they were read
    sources = {path.stem: path for _, path in every}
    options_key = options.key()
    unhashed: dict[str, tuple[Path, list[Path]]] = {}  # rebuilt whatever their digest: hashed after

    def hashed_now(doc_id: str) -> str:
        """The digest of a document rebuilt whatever its digest (its files' kept digests once read)."""
        path, linked = unhashed[doc_id]
        return document_digest(shared, root, path, {}, linked, taken, read)[0]

    for kind, path in files:
        stem = path.stem
        entry = manifest.get(f"{stem}|{options_key}")
        entry = entry if isinstance(entry, dict) else {}
        others = graph.dependencies(stem) + endorsing.get(stem, [])
        linked = [sources[other] for other in sorted(set(others)) if other in sources]
        rebuilt = force or not entry.get("digest")  # (a first build, --force)
        digest, inputs[stem] = document_digest(shared, root, path, entry, linked, taken, read, hashed=not rebuilt)
        if not force and entry.get("digest") == digest and _intact(out, entry) and not _renumbered(root, entry, read):
            up_to_date.append((stem, entry))
            if (entry.get("shared"), entry.get("inputs")) != (shared, inputs[stem]):
                entry.update(shared=shared, inputs=inputs[stem])
        else:
            stale.append(((kind.name, path), digest))
            if not digest:
                unhashed[stem] = (path, linked)
    if unhashed and not _in_process(jobs, len(stale)):  # workers read the files: hashed here first
        stale = [(source, digest or hashed_now(source[1].stem)) for source, digest in stale]

    # A document's digest covers jobdesc.yaml, the shared clauses, the templates and the styles:
    # when every document is as last built, they are as in a build that checked them.
    project, common = None, None
    if stale or not out.is_dir():
        # lazy: the loader and the renderer (PyYAML, the model, Jinja) cost a no-op build most of its start
        from jobdesc.documents.compose import check_styles, check_templates
        from jobdesc.project.loader import open_project

        project, common = open_project(root, problems, graph)
        if project is not None:
            problems.extend(check_templates(project))
            problems.extend(check_styles(project))
            stale_ids = {path.stem for (_, path), _ in stale}
            problems.extend(p for p in project.graph.cycles() if Path(p.path).stem in stale_ids)
        if problems:
            raise ProblemsError(problems)
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ProblemsError([Problem(str(out), None, "", f"не удается создать папку: {describe(exc)}")]) from None
        written_before = {name for entry in before.values() for name in _names(entry)}
        remove_stale_temporaries(  # only a temporary of a file a build writes: a user's look-alike stays
            out, lambda name: name in written_before or name.split(".", 1)[0] in sources
        )
    for doc_id, entry in up_to_date:
        report.up_to_date += 1
        report.current.extend(os.path.join(out_folder, name) for name in entry["files"])
        warnings[doc_id] = [str(w) for w in entry.get("warnings", ())]
        if progress:
            progress(1)

    seen: set[Problem] = set(report.failed)  # a document with 50,000 problems: not quadratic
    for result, digest in _results(project, common, out, options, stale, jobs):
        key = f"{result.doc_id}|{options.key()}"
        if result.problems:
            report.failed_documents.append(result.doc_id)
            for problem in result.problems:
                if problem not in seen:
                    seen.add(problem)
                    report.failed.append(problem)
            if isinstance(manifest.get(key), dict):  # its old files stay, and are rebuilt next time
                manifest[key] = {**manifest[key], "digest": ""}
        else:
            if not digest:  # built here: hashed from the bytes its build read (each file opened once)
                digest = hashed_now(result.doc_id)
            report.built += 1
            report.written.extend(out / name for name, _ in result.written if name not in result.kept)
            report.kept.extend(out / name for name in result.kept)
            report.current.extend(os.path.join(out_folder, name) for name, _ in result.written)
            warnings[result.doc_id] = list(result.warnings)
            manifest[key] = {
                "digest": digest,
                "files": dict(result.written),
                "warnings": list(result.warnings),
                "shared": shared,
                "inputs": inputs.get(result.doc_id, {}),
                "stats": {},  # taken by the next build: files written just now are too recent to trust
                **({"approved": result.approved} if result.approved is not None else {}),
                **({"editions": editions_key(root, read)} if result.ordered else {}),
            }
        if progress:
            progress(1)
    report.removed = _remove_obsolete(out, manifest, before, options, set(sources), pdfs)
    orders = orders_before
    if not only and not options.draft:  # orders are the project's, and of approved editions only
        orders = _build_orders(root, project, out, shared, orders_before, force, report, inputs, read, pdfs)
    link_cache = {name: entry for name, entry in links.items()}
    if manifest != before or orders != orders_before or link_cache != links_before or pdfs != pdfs_before:
        atomic_write(
            out / MANIFEST,
            json.dumps(
                {"jobdesc": __version__, "roles": manifest, "orders": orders, "links": link_cache, "pdfs": pdfs},
                ensure_ascii=False,
                indent=1,
                sort_keys=True,
            ).encode("utf-8"),
        )
    report.warnings = [w for _, path in files for w in warnings.get(path.stem, ())]
    report.seconds = time.perf_counter() - started
    return report


GONE_ORDER = "этого приказа в редакциях больше нет"


def _remove_pdf(out: Path, name: str, pdfs: dict[str, str]) -> list[Path]:
    """Remove the PDF of the removed document ``name`` if ``build --pdf`` made it: recorded in
    the manifest, with the same sha256 (a user's own PDF, or one changed since, stays); forget it."""
    pdf = Path(name).with_suffix(".pdf").as_posix()
    digest = pdfs.pop(pdf, None)
    return [out / pdf] if digest is not None and remove_written(out / pdf, digest) else []


def record_pdfs(out: Path, made: list[Path]) -> None:
    """Record in the manifest of ``out`` the PDFs ``build --pdf`` just made (their sha256), so
    that a later build removes a PDF with its document, and never a PDF it did not make."""
    if not made:
        return
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))  # door: the manifest jobdesc wrote in output/
    except (OSError, ValueError):
        return  # no manifest: the next build starts afresh, and removes no PDF
    if not isinstance(data, dict):
        return
    recorded = data.get("pdfs")
    pdfs: dict[str, str] = recorded if isinstance(recorded, dict) else {}
    for path in made:
        try:
            name = path.relative_to(out).as_posix()
            digest = hashlib.sha256(path.read_bytes()).hexdigest()  # door: a PDF just made in output/
        except (OSError, ValueError):
            continue
        pdfs[name] = digest
    data["pdfs"] = pdfs
    atomic_write(out / MANIFEST, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))


def _build_orders(
    root: Path,
    project: Project | None,
    out: Path,
    shared: str,
    entry: dict,
    force: bool,
    report: Report,
    documents: dict[str, dict],
    read: ProjectFiles,
    pdfs: dict[str, str],
) -> dict:
    """Write the approval orders (``out/orders/``) when the editions, templates or config changed
    since the last build; remove those no edition names any more. Returns the manifest entry.

    ``documents``: the size and time of every document's files, as :func:`document_digest` took them; the
    orders depend on the edition records among them, on the sources (an order approving a regulation
    is read by its unit as it is now: the roles whose ``department`` names it, their titles) and on
    ``staff.yaml`` (who signs).
    """
    stats = {name: stat for files in documents.values() for name, stat in files.items()}
    sources: dict[str, dict[str, os.DirEntry]] = {}  # each kind's folder, as listed once in the build
    for kind, doc_id in edition_folders(root, read):  # a deleted document's editions: its orders stay
        if kind.folder not in sources:
            sources[kind.folder] = dict(read.entries(root / kind.folder))
        source = sources[kind.folder].get(f"{doc_id}.yaml")
        if source is None or not is_file(source):  # os.path.isfile of kind.path, without a Path
            folder = f"{kind.folder}/{doc_id}.editions"
            for name, _ in read.entries(root / folder):  # listed already by the verification of editions
                if name.endswith(".yaml") and not name.startswith("."):
                    stats[f"{folder}/{name}"] = trusted_stat(root / folder / name)
    staff = staff_path(root)  # in the project, or in the private folder jobdesc.yaml names
    if staff.is_file():
        stats[STAFF_FILE] = trusted_stat(staff)  # the only name without a folder
    known = _stats_digest(stats)  # the manifest keeps a digest of the stats: one line, not one per edition
    if entry.get("shared") == shared and None not in stats.values() and known == entry.get("inputs"):
        digest = str(entry.get("digest"))
    else:
        hashed = hashlib.sha256(shared.encode())
        for name in sorted(stats):
            path = staff if name == STAFF_FILE else root / name
            hashed.update(name.encode() + b"\0" + read.digest(path, DIGEST_LIMIT).encode())
        digest = hashed.hexdigest()
        known = known if None not in stats.values() else ""  # a file too recent to trust: read next time too
    if not force and entry.get("digest") == digest and _intact(out, entry):
        report.current.extend(os.path.join(out, name) for name in entry["files"])
        report.up_to_date += len(entry["files"])  # each order is a document
        return {**entry, "shared": shared, "inputs": known}
    # lazy: as open_project in run() (the orders unchanged, a no-op build loads neither)
    from jobdesc.documents.orders import order_files
    from jobdesc.project.loader import open_project

    problems: list[Problem] = []
    if project is None:
        project, _ = open_project(root, problems)
    try:
        if project is None:
            raise ProblemsError(problems)
        files = order_files(project, out)
        if files:
            if (out / "orders").is_symlink():  # output/orders → /etc: never written through
                raise JobdescError(
                    f"{out / 'orders'}: символическая ссылка (→ {os.readlink(out / 'orders')}) — jobdesc не пишет "
                    "через ссылки; уберите ее"
                )
            try:
                (out / "orders").mkdir(parents=True, exist_ok=True)
            except FileExistsError:
                raise JobdescError(
                    f"{out / 'orders'}: это файл, а не папка — переименуйте его, чтобы собрать приказы"
                ) from None
        written = set(atomic_write_all(files, keep_identical=True))
    except Exception as exc:  # noqa: BLE001 - as for a document: reported, the old orders kept
        found = exc.problems if isinstance(exc, ProblemsError) else [Problem("", None, "", _message(exc))]
        report.failed.extend(p for p in found if p not in report.failed)
        report.failed_documents.append("orders")
        return {**entry, "digest": ""}  # the old orders stay, and are rebuilt next time
    names = {path.relative_to(out).as_posix(): hashlib.sha256(data).hexdigest() for path, data in files}
    report.built += len(names)
    report.written.extend(path for path, _ in files if path in written)
    report.kept.extend(path for path, _ in files if path not in written)
    report.current.extend(os.path.join(out, name) for name in names)
    recorded = entry.get("files")
    old_files = recorded if isinstance(recorded, dict) else {}
    for name in sorted(_names(entry) - set(names)):
        if remove_written(out / name, str(old_files.get(name, ""))):
            report.removed.append((out / name, GONE_ORDER))
            report.removed.extend((pdf, GONE_ORDER) for pdf in _remove_pdf(out, name, pdfs))
    return {"digest": digest, "files": names, "shared": shared, "inputs": known, "stats": {}}


def _stats_digest(stats: dict) -> str:
    return hashlib.sha256(json.dumps(stats, sort_keys=True).encode()).hexdigest()


def _message(exc: Exception) -> str:
    return f"приказы: {getattr(exc, 'message', None) or str(exc) or type(exc).__name__}"


def _orders_entry(entry: object) -> dict:
    """The orders entry of the manifest (files inside ``orders/`` only), or an empty one."""
    files = entry.get("files") if isinstance(entry, dict) else None
    if not isinstance(files, dict) or not all(
        isinstance(name, str)
        and isinstance(value, str)
        and re.fullmatch(r"orders/[^/\\\0]+\.docx", name)
        and name.split("/")[1] not in (".docx", "..docx")
        for name, value in files.items()
    ):
        return {}
    return entry if isinstance(entry, dict) else {}


GONE_SOURCE = "роли или положения больше нет"
GONE_DOCUMENT = "этого документа у роли или положения больше нет"
APPROVED_DRAFT = "проект, текст которого теперь утвержден (редакция № {0})"


def other_options(old_key: str, new_key: str) -> str:
    """Why a file built with other options goes: «собран с --per-employee, а эта сборка — без --per-employee»."""

    def said(key: str) -> dict[str, str]:
        values = dict(part.split("=", 1) for part in key.split(";") if "=" in part)
        return {
            "copies": f"с --copies {values['copies']}" if values.get("copies", "None") != "None" else "без --copies",
            "split": "с --split-copies" if values.get("split") == "True" else "без --split-copies",
            "per_employee": "с --per-employee" if values.get("per_employee") == "True" else "без --per-employee",
        }

    old, new = said(old_key), said(new_key)
    changed = [name for name in ("per_employee", "split", "copies") if old[name] != new[name]]
    if not changed:
        return "собран с другими параметрами сборки"
    return f"собран {', '.join(old[n] for n in changed)}, а эта сборка — {', '.join(new[n] for n in changed)}"


def _remove_obsolete(
    out: Path, manifest: dict, before: dict, options: Options, existing: set[str], pdfs: dict[str, str]
) -> list[tuple[Path, str]]:
    """Remove (and forget) the files the last builds made that no current document is: those of
    documents that no longer exist, files a rebuilt document no longer has, and files of the same
    documents built with other copies options. Returns each removed file with the reason."""
    current = options.key()
    doomed: dict[str, str] = {}  # file name → why
    for key, entry in list(manifest.items()):
        doc_id, _, key_options = key.partition("|")
        old = before.get(key)
        if doc_id not in existing:
            reason = GONE_SOURCE
        elif key == current_key(doc_id, current) and isinstance(old, dict) and old is not entry:
            if old.get("files") != entry.get("files"):  # (thousands of documents, most as they were)
                for name in _names(old) - _names(entry):  # rebuilt: what it no longer has
                    doomed.setdefault(name, GONE_DOCUMENT)
            continue
        elif (
            _draft(key_options)
            and not options.draft
            and isinstance(manifest.get(current_key(doc_id, current)), dict)
            and isinstance(manifest[current_key(doc_id, current)].get("approved"), int)
        ):  # a draft of the text approved since: «ПРОЕКТ» beside the signed documents misleads
            reason = APPROVED_DRAFT.format(manifest[current_key(doc_id, current)]["approved"])
        elif (
            key_options != current
            and _draft(key_options) == options.draft
            and isinstance(manifest.get(current_key(doc_id, current)), dict)
            and manifest[current_key(doc_id, current)].get("digest")
        ):
            reason = other_options(key_options, current)
        else:
            continue
        for name in _names(entry):
            doomed.setdefault(name, reason)
        del manifest[key]
    if not doomed:
        return []
    digests: dict[str, str] = {}  # file name → the sha256 it was written with
    for entry in before.values():
        if isinstance(entry, dict) and isinstance(entry.get("files"), dict):
            digests.update((name, str(digest)) for name, digest in entry["files"].items())
    kept = {name for entry in manifest.values() for name in _names(entry)}
    removed: list[tuple[Path, str]] = []
    for name, reason in sorted(doomed.items()):
        if name in kept:
            continue
        if remove_written(out / name, digests.get(name, "")):
            removed.append((out / name, reason))
            removed.extend((pdf, reason) for pdf in _remove_pdf(out, name, pdfs))
    return removed


def current_key(doc_id: str, options_key: str) -> str:
    return f"{doc_id}|{options_key}"


def _names(entry: object) -> set[str]:
    files = entry.get("files") if isinstance(entry, dict) else None
    return {str(name) for name in files} if isinstance(files, dict) else set()


def _draft(options_key: str) -> bool:
    return options_key.endswith(";draft=True")


def _results(
    project: Project | None,
    common: dict | None,
    out: Path,
    options: Options,
    stale: list[tuple[tuple[str, Path], str]],
    jobs: int | None,
) -> Iterator[tuple[_Result, str]]:
    """Build the stale documents here, or in worker processes when there are many."""
    if not stale:
        return
    assert project is not None and common is not None  # loaded (or the build stopped) when a document is stale
    digests = [digest for _, digest in stale]
    paths = [path for path, _ in stale]
    if _in_process(jobs, len(stale)):
        _init(project, common, out, options)
        writes = _STATE["writes"] = DeferredWrites()  # one sync for many documents (workers fsync each file)
        restore = _collect_garbage_rarely()
        try:
            for source, digest in zip(paths, digests):
                result = _build_one(source)
                if writes.full:
                    writes.flush()
                yield result, digest
            writes.flush()  # before the manifest names the files and the orders are built
        finally:
            writes.discard()  # stopped half-way: what was not renamed goes, the old files stay
            del _STATE["writes"]
            restore()  # the caller's collector as it was
        return
    jobs = min(jobs or 8, _cores(), len(stale))  # never more workers than cores or documents
    # lazy: worker processes are started only for many stale documents
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    for _, path in paths:  # the workers parse their documents: what the link index kept goes
        project.files.release(path)

    context = multiprocessing.get_context()  # the platform's own start method (spawn on macOS and Windows)
    chunk = max(1, min(16, len(paths) // (jobs * 8)))
    with ProcessPoolExecutor(
        jobs,
        mp_context=context,
        initializer=_init,
        initargs=(project, common, out, options, os.getpid(), _in_main_thread()),
    ) as pool:
        try:
            yield from zip(pool.map(_build_one, paths, chunksize=chunk), digests)
        except BaseException:  # Ctrl-C: the documents not begun are not begun; the others end cleanly
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def _in_process(jobs: int | None, stale: int) -> bool:
    """Whether ``stale`` documents are built in this process (else by worker processes): one
    worker at most, or too few documents to pay for starting workers."""
    return min(jobs or 8, _cores(), stale) < 2 or stale < PARALLEL_FROM


def _cores() -> int:
    """The processor cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


_STATE: dict = {}


def _init(
    project: Project, common: dict, out: Path, options: Options, parent: int | None = None, kernel: bool = False
) -> None:
    _STATE.update(project=project, common=common, out=out, options=options)
    if parent is not None:  # a worker process: it renders until the pool ends
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle: no worker tracebacks
        _collect_garbage_rarely()
        _exit_with_parent(parent, kernel)


def _collect_garbage_rarely() -> Callable[[], None]:
    """Fewer runs of Python's cycle collector while documents render: they allocate many
    short-lived objects and make no garbage cycles worth finding often (about 5% of a batch's
    time). Returns the function that gives the collector back as it was."""
    threshold, freeze = gc.get_threshold(), gc.get_freeze_count() == 0
    if freeze:  # the project and the modules loaded so far are never garbage: not scanned again
        gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])

    def restore() -> None:
        gc.set_threshold(*threshold)
        if freeze:
            gc.unfreeze()

    return restore


GC_THRESHOLD = 50_000  # allocations between two collections of the youngest generation (Python's default: 700)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _exit_with_parent(parent: int, kernel: bool) -> None:
    """A worker ends as soon as the build that started it is gone (even when it was killed).

    A watchdog thread checks the parent process every :data:`ORPHAN_CHECK_SECONDS`; on Linux,
    when the workers were started from the main thread (whose end is the process's end), the
    kernel also sends SIGKILL the moment the parent dies.
    """
    if kernel:
        _ask_kernel_to_kill_orphan()
    if os.getppid() != parent:
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent and _parent_alive(parent):
            time.sleep(ORPHAN_CHECK_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="jobdesc-orphan-watchdog", daemon=True).start()


def _ask_kernel_to_kill_orphan() -> None:
    """``prctl(PR_SET_PDEATHSIG, SIGKILL)`` on Linux; elsewhere the watchdog does the work."""
    if not sys.platform.startswith("linux"):
        return
    try:
        # lazy: ctypes only for this request to Linux
        import ctypes
        import signal

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, int(signal.SIGKILL), 0, 0, 0)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _parent_alive(parent: int) -> bool:
    """Whether process ``parent`` still exists (on Windows the parent id is not reset when it dies)."""
    if sys.platform != "win32":
        return True  # getppid() changes when the parent dies
    # lazy: Windows only
    import ctypes

    kernel = ctypes.windll.kernel32
    handle = kernel.OpenProcess(0x1000 | 0x00100000, False, parent)  # QUERY_LIMITED_INFORMATION | SYNCHRONIZE
    if not handle:
        return False
    try:
        return kernel.WaitForSingleObject(handle, 0) == 0x102  # WAIT_TIMEOUT: still running
    finally:
        kernel.CloseHandle(handle)


def _build_one(source: tuple[str, Path]) -> _Result:
    """Load, render and write one document; every problem is returned, never raised."""
    # lazy: what renders a document is imported once something is to be built (see run())
    from jobdesc.build.document import document_files
    from jobdesc.documents.orders import ordered_editions
    from jobdesc.project.loader import load_document

    project, out, options = _STATE["project"], _STATE["out"], _STATE["options"]
    problems: list[Problem] = []
    kind_name, path = source
    kind = BY_NAME[kind_name]
    document = load_document(kind, path, _STATE["common"], project.graph, problems)
    if document is None:
        return _Result(path.stem, problems=tuple(problems))
    warnings: list[str] = []
    facts: dict[str, int] = {}
    try:
        files = document_files(project, document, out, options, warnings, facts)
        writes = _STATE.get("writes")
        written = set(
            writes.write_all(files, keep_identical=True) if writes else atomic_write_all(files, keep_identical=True)
        )
    except ProblemsError as exc:
        return _Result(document.id, problems=tuple(exc.problems))
    except JobdescError as exc:  # an output file that cannot be written
        return _Result(document.id, problems=(Problem("", None, "", exc.message),))
    except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the batch
        message = getattr(exc, "message", None) or str(exc)
        return _Result(document.id, problems=(Problem(kind.shown(path.stem), None, "", message),))
    finally:
        project.units.clear()  # rendered units are per document; the links are the project's
        if document is not None and not options.draft:
            ordered_editions(project, kind, document.id, [])  # kept for the orders, built last
        project.files.forget(_own_files(path))
    return _Result(
        document.id,
        tuple((target.name, hashlib.sha256(data).hexdigest()) for target, data in files),
        tuple(target.name for target, _ in files if target not in written),
        tuple(warnings),
        facts.get("approved"),
        ordered=bool(facts.get("ordered")),
    )


def _renumbered(root: Path, entry: dict, files: ProjectFiles) -> bool:
    """Whether a document approved by an order was built when the project had other editions: its
    appendix number in that order («Приложение № N к приказу …») may have changed since."""
    return "editions" in entry and entry["editions"] != editions_key(root, files)


def _own_files(source: Path) -> list[Path]:
    """A document's source and its edition files: what its build alone reads (the sources of
    linked documents stay read for the others)."""
    folder = source.with_name(f"{source.stem}.editions")
    try:
        editions = [folder / entry.name for entry in os.scandir(folder)]
    except OSError:
        editions = []
    return [source, *editions]


def _intact(out: Path, entry: dict) -> bool:
    """Every file of the last build is still there, byte for byte.

    A file with the size and modification time recorded for it is taken as unchanged; any
    other is read and its digest compared (and, when equal, its size and time recorded).
    """
    files, recorded = entry.get("files"), entry.get("stats")
    if not isinstance(files, dict):
        return False
    recorded = recorded if isinstance(recorded, dict) else {}
    stats = None  # a copy of the recorded ones, once one of them changes
    folder = os.fspath(out)
    for name, digest in files.items():
        path = os.path.join(folder, name)
        current = trusted_stat(path)
        if current is not None and current == recorded.get(name):
            continue
        if hashlib.sha256(file_bytes(Path(path))).hexdigest() != digest:
            return False
        if current is not None:
            stats = stats if stats is not None else dict(recorded)
            stats[name] = current
    if stats is not None and stats != entry.get("stats"):
        entry["stats"] = stats
    return True


def _endorsing(sources: list[tuple[Kind, Path]], index: dict[str, list]) -> dict[str, list[str]]:
    """The regulations (and their heads) whose head endorses each role (its visa,
    :meth:`~jobdesc.project.links.Graph.unit_policies`): those of its unit, whether its
    ``department`` links a regulation or names the unit as text, by role id."""
    units: dict[str, list[str]] = {}  # a unit's name → its regulations and their heads
    named: dict[str, str] = {}  # a document's id → the unit it names (a regulation: its own)
    for kind, path in sources:
        _, _, links, unit = index[f"{kind.folder}/{path.name}"]
        if unit:
            named[path.stem] = unit
            if kind is POLICY:
                units.setdefault(unit, []).extend([path.stem, *links.values()])
    found: dict[str, list[str]] = {}
    for kind, path in sources:
        if kind is ROLE:
            links = index[f"{kind.folder}/{path.name}"][2]
            unit = named.get(links["department"], "") if "department" in links else named.get(path.stem, "")
            if unit in units:
                found[path.stem] = units[unit]
    return found


def _link_index(
    sources: list[tuple[Kind, Path]],
    cached: dict,
    taken: dict[str, list[int] | None],
    files: ProjectFiles,
    known: dict[str, LocatedDict],
) -> dict[str, list]:
    """The links of every document source, by its manifest name: ``[size, time, {field: id}, unit]``
    (``unit``: the unit it names as text, :func:`~jobdesc.project.links.unit_named`).

    A source with the size and time recorded at the last build keeps its recorded links; only
    the others are read (a no-op build at thousands of documents reads none). Each source read
    is parsed once in the build: its :func:`~jobdesc.project.links.facts` go into ``known`` (by
    path) for the documents linked with it, and its parsed data is kept for its own build, as it
    is for the first :data:`KEEP_PARSED_BYTES` of them and compact beyond (a compressed pickle,
    :meth:`ProjectFiles.freeze`). The size and time of each source go into ``taken`` (by path),
    for the digests.
    """
    index: dict[str, list] = {}
    kept = 0  # bytes of the sources whose parsed data is kept whole for their build
    for kind, path in sources:
        name = f"{kind.folder}/{path.name}"
        file = str(path)
        stat = taken[file] = trusted_stat(file)
        old = cached.get(name)
        if stat is not None and _indexed(old) and old[:2] == stat:
            index[name] = old
            continue
        data = read_source(path, name, path.parent.parent, files)
        index[name] = [*(stat or [0, 0]), links_of(kind, data), unit_named(kind, data)]
        if data is not None:
            known[file] = facts(data)
        size = stat[0] if stat is not None else KEEP_PARSED_BYTES + 1
        if kept + size <= KEEP_PARSED_BYTES:
            kept += size  # its build takes it as parsed (and lets it go)
        else:
            files.freeze(path)  # memory stays flat; its build takes a copy
    return index


def _indexed(entry: object) -> TypeGuard[list]:
    """Whether a link index entry of the manifest has its shape (a damaged one: the source is read again)."""
    return (
        isinstance(entry, list)
        and len(entry) == 4
        and isinstance(entry[2], dict)
        and all(isinstance(key, str) and isinstance(value, str) for key, value in entry[2].items())
        and (entry[3] is None or isinstance(entry[3], str))
    )


def _read_manifest(out: Path) -> tuple[dict, dict, dict, dict[str, str]]:
    """The documents' entries of the last build's manifest (its key ``roles``, kept for
    compatibility; malformed entries left out: those documents are rebuilt), its orders entry
    (see :func:`_orders_entry`), its links and the PDFs it recorded; empty when there is none."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))  # door: the manifest jobdesc wrote in output/
    except (OSError, ValueError):
        return {}, {}, {}, {}
    if not isinstance(data, dict):
        return {}, {}, {}, {}
    documents = data["roles"] if isinstance(data.get("roles"), dict) else {}
    links = data["links"] if isinstance(data.get("links"), dict) else {}
    pdfs = data["pdfs"] if isinstance(data.get("pdfs"), dict) else {}
    return (
        {key: entry for key, entry in documents.items() if _well_formed(entry)},
        _orders_entry(data.get("orders")),
        links,
        {name: digest for name, digest in pdfs.items() if isinstance(digest, str) and ".." not in name.split("/")},
    )


def _well_formed(entry: object) -> bool:
    """A manifest entry as :func:`run` writes it: a digest, file names with digests, warnings."""
    if not isinstance(entry, dict) or not isinstance(entry.get("digest"), str):
        return False
    files, warnings = entry.get("files"), entry.get("warnings", [])
    if not isinstance(files, dict) or not isinstance(warnings, list):
        return False
    for name, digest in files.items():  # loops, not all(): thousands of entries in a no-op build
        if not isinstance(digest, str) or name != os.path.basename(name) or name in ("", ".", "..") or "\0" in name:
            return False  # (a NUL: no file has it, and os.stat raises ValueError for it)
    for warning in warnings:
        if not isinstance(warning, str):
            return False
    return True
