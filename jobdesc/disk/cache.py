"""A cache on disk of what is slow to compute and depends only on its inputs.

Each entry is found by a digest of everything that shapes it (the input, the versions of the
libraries, jobdesc's own code that computes it), so a changed input or a new version is a new
entry and a stale one is never read back. The cache lives in ``$JOBDESC_CACHE_DIR``, else
``$XDG_CACHE_HOME/jobdesc``, else ``~/.cache/jobdesc``; it may be deleted at any time. A cache
that cannot be read or written is not a problem: the value is computed as without it.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from functools import cache
from importlib.util import find_spec
from pathlib import Path


@cache
def cache_dir() -> Path | None:
    """The folder of the cache; ``None`` when there is no home to put it in."""
    configured = os.environ.get("JOBDESC_CACHE_DIR")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME")
    if base:
        return Path(base) / "jobdesc"
    try:
        return Path.home() / ".cache" / "jobdesc"
    except RuntimeError:  # no home directory
        return None


@cache
def package_stamp(package: str, file: str = "__init__.py") -> str:
    """A digest of a file of an installed package that holds its version (``version.py``), read
    without importing the package; ``""`` when it is not installed."""
    try:
        spec = find_spec(package)
        locations = list(spec.submodule_search_locations or ()) if spec else []
        version = (Path(locations[0]) / file).read_bytes() if locations else b""  # door: an installed package's file
        return hashlib.sha256(version).hexdigest() if locations else ""
    except (OSError, ImportError, ValueError):
        return ""


def file_stamp(path: str) -> str:
    """A digest of a file (``""`` when it cannot be read)."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()  # door: a library's file (a dictionary's meta.json)
    except OSError:
        return ""


@cache
def source_digest(*modules: str) -> str:
    """A digest of the source files of jobdesc's ``modules`` (``"language/titles"``, ``"render/templates"``)."""
    digest = hashlib.sha256()
    package = Path(__file__).parent.parent  # the package jobdesc/
    for module in modules:
        source = (package / f"{module}.py").read_bytes()  # door: jobdesc's own source
        digest.update(module.encode() + b"\0" + source + b"\0")
    return digest.hexdigest()


def key(*parts: str) -> str:
    """The name of an entry: a digest of all ``parts``."""
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def load(kind: str, name: str) -> bytes | None:
    """The bytes stored under ``name``, or ``None``."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / kind / name).read_bytes()  # door: jobdesc's cache on disk, not the project
    except (OSError, ValueError):
        return None


def store(kind: str, name: str, data: bytes) -> None:
    """Keep ``data`` under ``name`` (written whole or not at all; failures are ignored)."""
    folder = cache_dir()
    if folder is None:
        return
    target = folder / kind / name
    temporary = target.with_name(f".{name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(data)
        os.replace(temporary, target)
    except OSError:
        try:
            temporary.unlink(missing_ok=True)
        except OSError:
            pass


def folder(kind: str) -> Path | None:
    """A folder of the cache for a library that keeps its own files there (Jinja's bytecode)."""
    base = cache_dir()
    if base is None:
        return None
    try:
        (base / kind).mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return base / kind


UNUSED_DAYS = 30  # a project's folder no run has used for this long goes (moved, deleted, temporary clones)
_PROJECT_FOLDER = re.compile(r"[0-9a-f]{32}")  # the names :class:`Shelf` gives


class Shelf:
    """A project's own folder of entries of one ``kind`` (``<cache>/KIND/<project>``) that keeps
    what one run used: after a run, :meth:`forget_unused` removes the entries that run did not
    use, and the folders of projects no run has used for :data:`UNUSED_DAYS` days."""

    def __init__(self, kind: str, root: Path) -> None:
        self.kind = f"{kind}/{key(str(root.resolve()))[:32]}"
        self.folder = folder(self.kind)
        if self.folder is not None:
            try:  # in use from now: another project's run, ending meanwhile, leaves it
                os.utime(self.folder)
            except OSError:
                pass
        self.used: set[str] = set()
        self.trace: set[str] | None = None  # when a set: the names loaded, for a caller that asks

    def load(self, name: str) -> bytes | None:
        """The entry ``name`` (used by this run, so kept), or ``None``."""
        if self.folder is None:
            return None
        self.used.add(name)
        if self.trace is not None:
            self.trace.add(name)
        return load(self.kind, name)

    def store(self, name: str, data: bytes) -> None:
        """Keep ``data`` as the entry ``name`` (used by this run)."""
        if self.folder is not None:
            self.used.add(name)
            store(self.kind, name, data)

    def forget_unused(self) -> None:
        """Remove the entries this run did not use, and the folders of projects unused for
        :data:`UNUSED_DAYS` days (only folders named as this class names them)."""
        if self.folder is None:
            return
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            if name not in self.used:
                try:
                    os.unlink(self.folder / name)
                except OSError:
                    pass
        try:
            os.utime(self.folder)  # used today
            others = [
                path
                for path in self.folder.parent.iterdir()
                if path != self.folder and _PROJECT_FOLDER.fullmatch(path.name)  # only jobdesc's own
            ]
        except OSError:
            return
        unused_since = time.time() - UNUSED_DAYS * 86400
        for other in others:
            try:
                stale = other.stat().st_mtime < unused_since
            except OSError:
                continue
            if stale:
                import shutil  # lazy: shutil brings bz2 and lzma (5 ms), for a folder removed once a month

                shutil.rmtree(other, ignore_errors=True)
