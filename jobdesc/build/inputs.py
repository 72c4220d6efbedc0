"""What a document's files are made from, as digests: the inputs of incremental builds and of
``check``'s memory of what it rendered.

A document's digest covers its source, its edition records and the sources of the documents
linked with it; the shared digest covers what every document depends on: jobdesc's own code and
the libraries that shape the output, the options, ``jobdesc.yaml``, ``roles/_common.yaml``,
``staff.yaml``, the templates and the styles file. A file whose size and time are as recorded is
taken as unchanged (:func:`trusted_stat`), unless it changed too recently to trust its time.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
import time
from pathlib import Path

from jobdesc import __version__
from jobdesc.disk import cache
from jobdesc.disk.reading import InputRefused, ProjectFiles, read_input
from jobdesc.documents.options import Options
from jobdesc.people.staff import staff_path
from jobdesc.project.kinds import edition_folders
from jobdesc.project.layout import COMMON_FILE, CONFIG_FILE, ROLES_DIR, TEMPLATES_DIR
from jobdesc.render import PACKAGE_TEMPLATES

DIGEST_LIMIT = 16 * 1024 * 1024  # bytes of an input read for a digest (inputs loaded are smaller still)


EDITIONS_KEYS: dict[str, str] = {}  # by project root, once per build (no edition is approved during one)


def editions_key(root: Path, files: ProjectFiles | None = None) -> str:
    """The digest of the names of every edition file of the project: an order's appendix numbers
    (which document is «Приложение № N») change only when an edition is added or removed.
    ``files``: the command's listings, when it has them."""
    if str(root) not in EDITIONS_KEYS:
        listed = files or ProjectFiles()
        names = [
            f"{kind.folder}/{doc_id}/{name}"
            for kind, doc_id in edition_folders(root, listed)
            for name, _ in listed.entries(root / kind.folder / f"{doc_id}.editions")
            if name.endswith(".yaml") and not name.startswith(".")
        ]
        EDITIONS_KEYS[str(root)] = hashlib.sha256("\n".join(sorted(names)).encode()).hexdigest()
    return EDITIONS_KEYS[str(root)]


RACY_NS = 2_000_000_000  # a file changed this recently may change again within the same time stamp


def trusted_stat(path: str | Path) -> list[int] | None:
    """Size and modification time (ns) of a file; ``None`` when missing or changed too recently to trust."""
    try:
        return trusted(os.stat(path))
    except OSError:
        return None


def trusted(stat: os.stat_result) -> list[int] | None:
    """Size and modification time (ns) of a file's ``stat``; ``None`` when changed too recently to trust."""
    if stat.st_mtime_ns > time.time_ns() - RACY_NS:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def shared_digest(root: Path, options: Options, files: ProjectFiles) -> str:
    """What every document depends on: jobdesc itself, the options, config, shared clauses, templates."""
    digest = hashlib.sha256()
    digest.update(f"{__version__}|{options.key()}|{code_digest()}".encode())
    for path in (root / CONFIG_FILE, root / ROLES_DIR / COMMON_FILE, staff_path(root)):  # staff: the sheets
        digest.update(files.digest(path, DIGEST_LIMIT).encode())
    own = root / TEMPLATES_DIR
    if (own.exists() or own.is_symlink()) and not own.is_dir():  # refused by check and build
        digest.update(b"project/ is not a folder\0")
    for name, _ in template_files(PACKAGE_TEMPLATES, PACKAGE_TEMPLATES):  # the project's own, walked or not
        if "__pycache__" not in name.split("/"):  # (templates → a folder out of the project: refused if there)
            digest.update(f"overridden/{name}\0{os.path.lexists(own / name)}\0".encode())
    for layer, folder in (("project", own), ("shipped", PACKAGE_TEMPLATES)):
        for name, path in template_files(folder, root if layer == "project" else folder):
            if "__pycache__" not in name.split("/"):
                # the project's own through the door (kept: the templates are read from it once)
                seen = files.digest(path, DIGEST_LIMIT).encode() if layer == "project" else file_bytes(path)
                digest.update(f"{layer}/{name}".encode() + b"\0" + seen)
    return digest.hexdigest()


def template_files(folder: Path, inside: Path) -> list[tuple[str, Path]]:
    """Every file of a templates folder but its folders, by its name there (``parts/head.md.j2``),
    sorted: its subfolders too, and those a symbolic link leads to inside ``inside`` (the project:
    the loader reads through them), each folder once. A link out of the project (whose files the
    loader refuses) or to a folder holding the templates folder (``up`` → ``..``: the whole
    project, or ``/``) is not followed: it is listed as a file, refused when read."""
    found: list[tuple[str, Path]] = []
    bound, own = os.path.realpath(inside), os.path.realpath(folder)
    if not _within(own, bound) or (own == bound and folder != inside):  # templates → / or → .: not walked
        return []
    walked = {own}  # each folder once: a second way to it is named, not walked
    for top, folders, names in os.walk(folder, followlinks=True):
        relative = os.path.relpath(top, folder)
        prefix = "" if relative == "." else f"{Path(relative).as_posix()}/"
        followed = []
        for name in sorted(folders):
            target = os.path.realpath(os.path.join(top, name))
            linked_out = os.path.islink(os.path.join(top, name)) and not _within(target, bound)
            if linked_out or _within(own, target) or target in walked:
                names.append(name)
            else:
                walked.add(target)
                followed.append(name)
        folders[:] = followed
        found += [(prefix + name, Path(top, name)) for name in names]
    return sorted(found)


def _within(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def input_files(
    root: Path,
    path: Path,
    linked: list[Path] = (),  # type: ignore[assignment]
    files: ProjectFiles | None = None,
    stats: dict[str, list[int] | None] | None = None,
) -> list[tuple[str, str]]:
    """The files a document's files are made from: its source, its edition records and the
    sources of the documents linked with it, each as its name in the manifest
    (``roles/ID.yaml``, ``roles/ID.editions/001.yaml``) and its path (strings: at thousands of
    documents, making ``Path`` objects costs more than the ``stat`` calls). ``stats`` gets the
    size and time of the edition records (:func:`trusted_stat`), from the folder's listing in
    ``files`` (whose entries keep their ``stat``: the verification of editions took it already)."""
    source = os.fspath(path)
    top, name = os.path.split(source)
    kind_folder = os.path.basename(top)
    folder = f"{os.path.splitext(name)[0]}.editions"  # editions.editions_dir, without importing YAML
    where = os.path.join(top, folder)
    try:
        listed = (files or ProjectFiles()).entries(where)
    except OSError:  # no editions (or not a folder)
        listed = []
    records = [(record, entry) for record, entry in listed if record.endswith(".yaml") and not record.startswith(".")]
    if stats is not None:
        for record, entry in records:
            try:
                stats[f"{kind_folder}/{folder}/{record}"] = trusted(entry.stat())
            except OSError:
                stats[f"{kind_folder}/{folder}/{record}"] = None
    return [
        (f"{kind_folder}/{name}", source),
        *((f"{kind_folder}/{folder}/{record}", os.path.join(where, record)) for record, _ in records),
        *((_manifest_name(os.fspath(other)), os.fspath(other)) for other in linked),
    ]


def _manifest_name(path: str) -> str:
    """``roles/ID.yaml`` of a source's path."""
    top, name = os.path.split(path)
    return f"{os.path.basename(top)}/{name}"


def document_digest(
    shared: str,
    root: Path,
    path: Path,
    entry: dict,
    linked: list[Path] = (),  # type: ignore[assignment]
    taken: dict[str, list[int] | None] | None = None,
    files: ProjectFiles | None = None,
    hashed: bool = True,
) -> tuple[str, dict]:
    """The digest of everything a document's files depend on, and the size and time of those files.

    When the shared inputs are as at the last build and each of the files has the size and time
    recorded then, the recorded digest is the digest: the files are not read. ``taken``: the
    size and time of sources taken already in this build (by path). Not ``hashed``: the files
    are not read for it either, and the digest is ``""`` (a document rebuilt whatever it is:
    its digest is taken after its build, from the bytes its build read).
    """
    files = files or ProjectFiles()
    listed: dict[str, list[int] | None] = {}
    inputs = input_files(root, path, linked, files, listed)
    taken = taken or {}
    stats = {  # before reading: a later change shows
        name: listed[name] if name in listed else taken[file] if file in taken else trusted_stat(file)
        for name, file in inputs
    }
    if entry.get("shared") == shared and None not in stats.values() and stats == entry.get("inputs"):
        return str(entry["digest"]), stats
    if not hashed:
        return "", stats
    digest = hashlib.sha256(shared.encode())
    digest.update(files.digest(path, DIGEST_LIMIT).encode())
    for name, other in inputs[1:]:
        digest.update(name.encode() + b"\0" + files.digest(Path(other), DIGEST_LIMIT).encode())
    return digest.hexdigest(), stats  # None: a file too recent to trust, read again next time


CODE_CACHE = "code"  # the kind of cache entry of the digest of jobdesc's code (:func:`code_digest`)
RENDERING_PACKAGES = (
    "python-docx",
    "lxml",
    "jinja2",
    "markdown-it-py",
    "mdit-py-plugins",
    "pymorphy3",
    "pymorphy3-dicts-ru",
    "pyyaml",
)


def code_digest() -> str:
    """A digest of jobdesc's own source and of the libraries that shape the output. It is kept in
    the cache on disk under the size and time of every source file: the files are read again
    only when one of them changed (or changed too recently to be trusted by its time)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # the package jobdesc/
    versions = installed_versions()
    libraries = "".join(
        f"{name}=={versions.get(normal_name(name)) or installed_version(name)};" for name in RENDERING_PACKAGES
    )
    sources: list[tuple[tuple[str, ...], str]] = []
    for folder, folders, names in os.walk(package):
        folders[:] = [name for name in folders if name != "__pycache__"]
        relative = os.path.relpath(folder, package)
        parts = () if relative == "." else tuple(relative.split(os.sep))
        sources += [((*parts, name), os.path.join(folder, name)) for name in names if name.endswith((".py", ".json"))]
    sources.sort()  # as paths sort: by their parts
    stamps, recent = [], time.time_ns() - RACY_NS
    for parts, path in sources:
        info = os.stat(path)
        stamps.append(f"{'/'.join(parts)}\0{info.st_size}\0{info.st_mtime_ns}")
        if info.st_mtime_ns > recent:
            stamps = []  # a file just written: read, not trusted by its time
            break
    name = cache.key("code", libraries, *stamps) if stamps else ""
    stored = cache.load(CODE_CACHE, name) if name else None
    if stored is not None and re.fullmatch(rb"[0-9a-f]{64}", stored):
        return stored.decode("ascii")
    digest = hashlib.sha256(libraries.encode())
    for parts, path in sources:
        with open(path, "rb") as source:  # door: jobdesc's own source
            digest.update("/".join(parts).encode() + b"\0" + source.read())
    if name:
        cache.store(CODE_CACHE, name, digest.hexdigest().encode("ascii"))
    return digest.hexdigest()


def normal_name(name: str) -> str:
    """A distribution name as the names of ``*.dist-info`` folders spell it (PEP 503, 427)."""
    return re.sub(r"[-_.]+", "_", name).lower()


def installed_versions() -> dict[str, str]:
    """Versions of the installed distributions, from the ``NAME-VERSION.dist-info`` folder names
    on ``sys.path`` (the first wins, as for imports): importing importlib.metadata costs more."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = [item.name for item in os.scandir(entry or ".") if item.name.endswith(".dist-info")]
        except OSError:
            continue
        for folder in names:
            name, _, version = folder.removesuffix(".dist-info").rpartition("-")
            found.setdefault(normal_name(name), version)
    return found


def installed_version(name: str) -> str:
    """The version of a distribution installed otherwise (an egg, a zip): importlib.metadata's answer."""
    # lazy: importlib.metadata costs more than the folder names read above
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "?"


def file_bytes(path: Path) -> bytes:
    """A file's bytes for a digest: only a regular file is read, and only up to the input limit
    (a project's own file is hashed through :meth:`ProjectFiles.digest`, which keeps it read)."""
    try:
        return read_input(path, DIGEST_LIMIT) if path.is_file() else b"-"
    except (OSError, InputRefused):
        return b"?"
