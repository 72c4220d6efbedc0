"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import sys
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from jobdesc.errors import JobdescError

if TYPE_CHECKING:
    from filelock import BaseFileLock

_OS_ERRORS = {
    errno.EACCES: "нет прав на запись",
    errno.EPERM: "нет прав на запись",
    errno.ENOTDIR: "часть пути — файл, а не папка",
    errno.EISDIR: "на этом месте папка, а не файл",
    errno.ENOSPC: "нет места на диске",
    errno.EROFS: "диск только для чтения",
    errno.ENOENT: "нет такой папки",
    errno.EEXIST: "файл уже существует",
    errno.EPIPE: "получатель вывода закрыт",
    errno.EFBIG: "файл слишком большой для диска",
    errno.EDQUOT: "исчерпана квота на диске",
    errno.E2BIG: "слишком длинные аргументы команды",
}


def describe(exc: OSError) -> str:
    """An operating-system error in Russian."""
    known = _OS_ERRORS.get(exc.errno) if exc.errno is not None else None
    return known or exc.strerror or str(exc)


def shown(path: Path, root: Path) -> str:
    """A path as a command names it: relative to the project's folder when inside it, else as given."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


STALE_SECONDS = 600
TEMPORARY_MARK = ".jobdesc-"  # in the name of every temporary jobdesc writes, and of no other file
_OWN_TEMPORARY = re.compile(r"^\..+\.jobdesc-[a-z0-9_]{8}\.tmp$")


def is_own_temporary(name: str) -> bool:
    """Whether ``name`` is that of a temporary file jobdesc writes (``.NAME.jobdesc-XXXXXXXX.tmp``)."""
    return bool(_OWN_TEMPORARY.match(name))


def remove_stale_temporaries(folder: Path, ours: Callable[[str], bool] = lambda name: True) -> None:
    """jobdesc's own temporaries a killed build left behind (older than ten minutes, so no live
    build's), of a file the build writes (``ours``: the name of the file a temporary was for, e.g.
    a name in the manifest or of a project's document); any other file, whatever its name, is left alone."""
    for path in folder.glob(f".*{TEMPORARY_MARK}*.tmp") if folder.is_dir() else ():
        try:
            info = path.lstat()
            if (
                is_own_temporary(path.name)
                and ours(path.name[1:].rsplit(TEMPORARY_MARK, 1)[0])
                and stat.S_ISREG(info.st_mode)
                and time.time() - info.st_mtime > STALE_SECONDS
            ):
                path.unlink()
        except OSError:
            pass


def atomic_write_all(files: list[tuple[Path, bytes]], keep_identical: bool = False) -> list[Path]:
    """Write several files so that either all are replaced or none is; returns those written.

    Every file is written to a temporary beside it first; only when all are written, and no
    target is in the way, are they renamed into place. ``keep_identical``: a file that already
    holds exactly these bytes is left as it is (its modification time too, so what was made
    from it — a PDF — stays current).
    """
    temporaries = _temporaries(files, keep_identical, sync=True)
    _rename_into_place(temporaries)
    return [path for _, path in temporaries]


def _rename_into_place(temporaries: list[tuple[str, Path]], sync: bool = False) -> None:
    """Rename each temporary onto its file (after putting their data on disk, with ``sync``);
    whatever is not renamed is removed, and a failure is one line naming the file."""
    current = temporaries[0][1] if temporaries else Path()
    try:
        if sync:
            _sync([temporary for temporary, _ in temporaries])
        for temporary, current in temporaries:
            os.replace(temporary, current)
    except OSError as exc:
        raise JobdescError(f"{current}: не удается записать: {describe(exc)}") from None
    finally:
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)


def _temporaries(files: list[tuple[Path, bytes]], keep_identical: bool, sync: bool) -> list[tuple[str, Path]]:
    """Each file written to a temporary beside it (``sync``: its data on disk), as (temporary,
    target); a file already holding its bytes skipped under ``keep_identical``. A file that cannot
    be written, or a folder where a target should be, raises :class:`JobdescError` and leaves no
    temporary behind."""
    temporaries: list[tuple[str, Path]] = []
    current = files[0][0] if files else Path()
    try:
        for current, data in files:
            if keep_identical and _holds(current, data):
                continue
            temporaries.append((_write_temporary(current, data, sync=sync), current))
        for _, current in temporaries:  # what would stop a rename half-way, before any rename
            if current.is_dir():
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(current))
    except BaseException as exc:  # a write that failed, or Ctrl-C: no temporary is left behind
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise JobdescError(f"{current}: не удается записать: {describe(exc)}") from None
        raise
    return temporaries


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file (not a link) with exactly ``data``."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with open(path, "rb") as stream:  # door: an output file jobdesc may write over (regular, size checked)
            return stream.read(len(data) + 1) == data
    except OSError:
        return False


class DeferredWrites:
    """Many documents written as :func:`atomic_write_all` writes them, with one sync of the disk for
    many files instead of one ``fsync`` a file (a batch of documents): each file goes to a temporary
    beside it at once; a file is renamed into place only after the sync has put its data on disk
    (:meth:`flush`, when :attr:`full` and at the end), so a reader sees the old file or the whole new one."""

    LIMIT = 64  # files between two syncs

    def __init__(self) -> None:
        self.pending: list[tuple[str, Path]] = []  # (temporary, target), written but not yet renamed

    def write_all(self, files: list[tuple[Path, bytes]], keep_identical: bool = False) -> list[Path]:
        """The files of one document to their temporaries (renamed by the next :meth:`flush`); those written.
        A file that cannot be written raises :class:`JobdescError`, and none of the document's is kept."""
        temporaries = _temporaries(files, keep_identical, sync=False)
        self.pending.extend(temporaries)
        return [path for _, path in temporaries]

    @property
    def full(self) -> bool:
        """Whether :attr:`LIMIT` files wait for their sync."""
        return len(self.pending) >= self.LIMIT

    def flush(self) -> None:
        """Put the pending files' data on disk, then rename each into place."""
        pending, self.pending = self.pending, []
        _rename_into_place(pending, sync=True)

    def discard(self) -> None:
        """Remove the temporaries not renamed (the build stopped): the old files stay as they were."""
        pending, self.pending = self.pending, []
        for temporary, _ in pending:
            Path(temporary).unlink(missing_ok=True)


def _sync(paths: list[str]) -> None:
    """The data of ``paths`` on disk: on Linux one ``syncfs`` of each file system they are on
    (which returns when its data is written: the output folder's, not every disk of the machine as
    ``sync`` would), elsewhere, or when it fails, an ``fsync`` of each file."""
    if not paths:
        return
    syncfs = _syncfs() if sys.platform.startswith("linux") else None
    if syncfs is not None:
        done: set[int] = set()
        try:
            for path in paths:
                device = os.stat(path).st_dev
                if device in done:
                    continue
                handle = os.open(path, os.O_RDONLY)
                try:
                    if syncfs(handle) != 0:
                        raise OSError(_ctypes_errno(), "syncfs failed")
                finally:
                    os.close(handle)
                done.add(device)
            return
        except OSError:
            pass  # each file then, as without syncfs
    for path in paths:
        handle = os.open(path, os.O_RDWR)  # Windows flushes only a file open for writing
        try:
            os.fsync(handle)
        finally:
            os.close(handle)


@cache
def _syncfs() -> Callable[[int], int] | None:
    """Linux's ``syncfs(fd)`` from the C library (Python's ``os`` has no binding), or ``None``."""
    # lazy: ctypes loads only for a batch that writes in its own process, on Linux
    import ctypes

    try:
        function = ctypes.CDLL(None, use_errno=True).syncfs
    except (OSError, AttributeError):
        return None
    function.argtypes = [ctypes.c_int]
    function.restype = ctypes.c_int
    return function


def _ctypes_errno() -> int:
    """The C library's ``errno`` after a call made through :func:`_syncfs`."""
    import ctypes  # lazy: loaded already by _syncfs

    return ctypes.get_errno()


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    atomic_write_all([(path, data)])


def _write_temporary(path: Path, data: bytes, sync: bool = True) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where a folder of the path should be
        raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(path.parent)) from None
    import tempfile  # lazy: tempfile brings shutil, bz2, lzma and random (4 ms); a no-op build writes nothing

    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{TEMPORARY_MARK}", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            if sync:
                os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return temporary


def create_new(path: Path, data: bytes) -> None:
    """Write a new file whole, atomically, failing with ``FileExistsError`` if ``path`` exists.

    The data goes to a temporary beside ``path`` first, then is hard-linked into place: of two
    processes creating the same file at once exactly one succeeds, and a reader never sees half
    of it. (``os.replace`` would silently replace the other's file.)
    """
    temporary = _write_temporary(path, data)
    try:
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError as exc:  # no hard links on this file system: an exclusive create instead
            if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
                raise
            with open(path, "xb") as stream:
                stream.write(data)
                stream.flush()
                os.fsync(stream.fileno())
    finally:
        Path(temporary).unlink(missing_ok=True)


# The places of a project no document is ever written into (or deleted from): its inputs, the
# acknowledgments with personal data, git's own folder and jobdesc's schemas.
PROTECTED = (
    "jobdesc.yaml", "roles", "policies", "templates", "profstandards", "acks", "staff.yaml", ".git", ".jobdesc"
)  # fmt: skip


def refuse_output(root: Path, out: Path, option: str = "--out") -> None:
    """Refuse ``out`` (``option``: how the user named it, «» for the default ``output/``; a folder of documents, or a file of one) when it is the project's folder, is
    among the project's inputs (:data:`PROTECTED`), or leads out of the project through a
    symbolic link while named inside it (``output`` → ``/etc``): one line naming the place."""
    project = Path(os.path.realpath(root))
    named = Path(os.path.abspath(out))
    target = Path(os.path.realpath(out))
    if target == project:
        raise JobdescError(
            f"{option}: {out}: это папка самого проекта — документы пишутся в отдельную папку, например output/"
        )
    for part in PROTECTED:
        place = project / part
        if target == place or place in target.parents:
            raise JobdescError(
                f"{option}: {out}: это место файлов проекта ({part}) — jobdesc не пишет туда документы; "
                "выберите другую папку, например output/"
            )
    if named.is_relative_to(os.path.abspath(root)) and not target.is_relative_to(project):
        link = _first_link(Path(os.path.abspath(root)), named)
        shown = link.relative_to(os.path.abspath(root)).as_posix() if link else str(out)
        raise JobdescError(
            f"{option + ': ' if option else ''}{shown}: символическая ссылка ведет за пределы проекта ({os.path.realpath(link or out)}) — "
            "jobdesc не пишет через такие ссылки; уберите ссылку или укажите папку явно"
        )


def _first_link(root: Path, path: Path) -> Path | None:
    """The first symbolic link on the way from ``root`` down to ``path``."""
    current = root
    for part in path.relative_to(root).parts:
        current = current / part
        if current.is_symlink():
            return current
    return None


def remove_written(path: Path, digest: str | None) -> bool:
    """Delete a file a build wrote: only a regular file (not a link) whose sha256 is ``digest``
    (``None``: a PDF made beside a DOCX that was just removed the same way); whether it was removed.
    A file someone put in its place, or a manifest naming a file jobdesc never wrote, is left alone."""
    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        if digest is not None:
            if info.st_size > 512 * 1024 * 1024:
                return False
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:  # door: a file jobdesc wrote in output/
                return False
        path.unlink()
    except OSError:
        return False  # left where it is; the next build tries again
    return True


LOCK_SECONDS = 60  # how long an approval waits for another one in the same project
LOCK_FILE = ".jobdesc/approval.lock"  # the approvals' lock (its content is nothing: the lock is the operating system's)


class project_lock:  # noqa: N801 - used as a context manager, like open()
    """One approval at a time in a project: the operating system's exclusive lock on
    :data:`LOCK_FILE` (``flock`` on POSIX, ``LockFileEx`` on Windows, through the ``filelock``
    library), released when the process ends, even when killed. ``wait``: seconds
    (:data:`LOCK_SECONDS` when not given). Where the lock cannot be taken at all (a read-only
    folder, a file system without locks), approvals are kept apart by their exclusive file
    creation only."""

    def __init__(self, root: Path, what: str = "утверждение", wait: float | None = None) -> None:
        self.root, self.what = root, what
        self.wait = LOCK_SECONDS if wait is None else wait
        self.lock: BaseFileLock | None = None

    def __enter__(self) -> project_lock:
        from filelock import FileLock, Timeout  # lazy: only an approval takes the lock

        path = self.root / LOCK_FILE
        refuse_link(self.root, path)  # a cloned .jobdesc → elsewhere: no lock file made there
        lock = FileLock(path, timeout=self.wait, fallback_to_soft=False)  # a soft lock outlives a killed process
        try:
            path.parent.mkdir(exist_ok=True)
            lock.acquire()
        except Timeout:
            raise JobdescError(
                f"{self.root}: идет другое {self.what} в этом проекте (ждали {self.wait:.0f} с) — повторите позже"
            ) from None
        except (OSError, NotImplementedError):  # a read-only folder, a file system without locks
            return self
        self.lock = lock
        return self

    def __exit__(self, *exc: object) -> None:
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def refuse_link(root: Path, path: Path) -> None:
    """Refuse writing ``path`` when it, or a folder on the way to it from ``root``, is a symbolic
    link (dangling or not): a cloned repository may carry one that leads anywhere."""
    link = _first_link(Path(os.path.abspath(root)), Path(os.path.abspath(path)))
    if link is not None:
        shown = link.relative_to(os.path.abspath(root)).as_posix()
        try:
            target = os.readlink(link)
        except OSError:
            target = "?"
        raise JobdescError(
            f"{shown}: символическая ссылка (→ {target}) — jobdesc не пишет через ссылки; уберите ее и повторите"
        )
