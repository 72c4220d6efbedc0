"""Atomic file writes: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import errno
import os
import re
import tempfile
from pathlib import Path

from jobdesc.errors import JobdescError

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


STALE_SECONDS = 600
TEMPORARY_MARK = ".jobdesc-"  # in the name of every temporary jobdesc writes, and of no other file
_OWN_TEMPORARY = re.compile(r"^\..+\.jobdesc-[a-z0-9_]{8}\.tmp$")


def is_own_temporary(name: str) -> bool:
    """Whether ``name`` is that of a temporary file jobdesc writes (``.NAME.jobdesc-XXXXXXXX.tmp``)."""
    return bool(_OWN_TEMPORARY.match(name))


def remove_stale_temporaries(folder: Path) -> None:
    """jobdesc's own temporaries a killed build left behind (older than ten minutes, so no live
    build's); any other file, whatever its name, is left alone."""
    import stat
    import time

    for path in folder.glob(f".*{TEMPORARY_MARK}*.tmp") if folder.is_dir() else ():
        try:
            info = path.lstat()
            if (
                is_own_temporary(path.name)
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
    temporaries: list[tuple[str, Path]] = []
    current = files[0][0] if files else Path()
    try:
        for current, data in files:
            if keep_identical and _holds(current, data):
                continue
            temporaries.append((_write_temporary(current, data), current))
        for _, current in temporaries:  # what would stop a rename half-way, before any rename
            if current.is_dir():
                raise IsADirectoryError(errno.EISDIR, "is a directory", str(current))
        for temporary, current in temporaries:
            os.replace(temporary, current)
    except OSError as exc:
        raise JobdescError(f"{current}: не удается записать: {describe(exc)}") from None
    finally:
        for temporary, _ in temporaries:
            Path(temporary).unlink(missing_ok=True)
    return [path for _, path in temporaries]


def _holds(path: Path, data: bytes) -> bool:
    """Whether ``path`` is a regular file (not a link) with exactly ``data``."""
    import stat

    try:
        info = os.lstat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size != len(data):
            return False
        with open(path, "rb") as stream:
            return stream.read(len(data) + 1) == data
    except OSError:
        return False


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename."""
    atomic_write_all([(path, data)])


def _write_temporary(path: Path, data: bytes) -> str:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:  # a file stands where a folder of the path should be
        raise NotADirectoryError(errno.ENOTDIR, "not a directory", str(path.parent)) from None
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}{TEMPORARY_MARK}", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
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
