"""Reading an input file safely: a regular file, of bounded size, and inside the project.

A role that is a named pipe would hang ``read()``, ``/dev/zero`` or a huge sparse file would be
read whole before any size check, and a symbolic link to a file outside the project would put
that file's text into a document or a message. :func:`read_input` refuses each of these before
reading, and reads at most ``limit + 1`` bytes of what it accepts.

This module is the one door to a project's files: :class:`ProjectFiles`, which a loaded project
owns, reads each file once per command through :func:`read_input` and keeps what was read (and
what was made of it: parsed YAML, checked editions) until the command forgets it. No other
module opens a project file (a test reads the package's source to keep it so).
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

from jobdesc.errors import InputRefused

T = TypeVar("T")

_READ_ERRORS = {
    errno.EACCES: "нет прав на чтение файла",
    errno.EPERM: "нет прав на чтение файла",
    errno.ENOENT: "файл не найден",
    errno.ENOTDIR: "часть пути — файл, а не папка",
    errno.EISDIR: "это папка, а не файл",
    errno.ELOOP: "символические ссылки замкнуты в кольцо (ссылка указывает сама на себя)",
    errno.ENAMETOOLONG: "слишком длинное имя файла",
    errno.EIO: "ошибка чтения с диска",
}


def describe_read(exc: OSError, path: Path | None = None) -> str:
    """Why a file could not be read, in Russian (a dangling symbolic link is named as such)."""
    if exc.errno == errno.ENOENT and path is not None and os.path.islink(path):
        return "символическая ссылка ведет на несуществующий файл"
    return _READ_ERRORS.get(exc.errno or 0, exc.strerror or str(exc))


def size_words(size: int) -> str:
    """«1,5 МБ» for messages about limits."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} МБ".replace(".", ",")
    return f"{max(1, round(size / 1024))} КБ"


def read_input(path: Path, limit: int, inside: Path | None = None) -> bytes:
    """The bytes of ``path`` (at most ``limit``); :class:`InputRefused` for anything else.

    ``inside``: the folder the file (after following symbolic links) must be in.
    """
    check_regular(path, limit, inside)
    flags = os.O_RDONLY | getattr(os, "O_BINARY", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        raise InputRefused(describe_read(exc, path)) from None
    try:
        _check(os.fstat(handle), limit)  # the file may have been swapped since the first look
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    except OSError as exc:
        raise InputRefused(describe_read(exc, path)) from None
    finally:
        os.close(handle)
    data = b"".join(chunks)
    if len(data) > limit:
        raise InputRefused(f"файл слишком большой (больше {size_words(limit)})")
    return data


_STEADY: dict[str, tuple[tuple[int, int, int, int], bytes]] = {}  # path → (inode, size, time), bytes
STEADY_NAMES = frozenset({"jobdesc.yaml"})  # read by the project and, for one setting, by code below it


def read_steady(path: Path, limit: int, inside: Path | None = None) -> bytes:
    """:func:`read_input`, kept for the rest of the process while the file is unchanged (the same
    file, size and time): ``jobdesc.yaml``, read for its ``private`` setting before the project is
    loaded, is then read by the project (:meth:`ProjectFiles.read`) without being opened again."""
    key = os.path.abspath(path)
    try:
        info = os.stat(path)
    except OSError:
        return read_input(path, limit, inside)  # the refusal, in words
    signature = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)
    kept = _STEADY.get(key)
    if kept is not None and kept[0] == signature and len(kept[1]) <= limit:
        if inside is not None and not _within(path, inside):
            raise InputRefused(f"{_link_words(path, inside)} ведет за пределы проекта: такие файлы не читаются")
        return kept[1]
    data = read_input(path, limit, inside)
    _STEADY[key] = (signature, data)
    return data


def check_regular(path: Path, limit: int | None = None, inside: Path | None = None) -> None:
    """Refuse what :func:`read_input` would refuse, without reading (for files read by libraries)."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputRefused(describe_read(exc, path)) from None
    _check(info, limit)
    if inside is not None and not _within(path, inside):
        raise InputRefused(f"{_link_words(path, inside)} ведет за пределы проекта: такие файлы не читаются")


def _check(info: os.stat_result, limit: int | None) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise InputRefused("это папка, а не файл")
    if not stat.S_ISREG(info.st_mode):
        kind = "именованный канал (FIFO)" if stat.S_ISFIFO(info.st_mode) else "устройство или особый файл"
        raise InputRefused(f"это не обычный файл, а {kind}: такие файлы не читаются")
    if limit is not None and info.st_size > limit:
        size, most = size_words(info.st_size), size_words(limit)
        if size == most:  # «1,0 МБ, предел 1,0 МБ» says nothing
            size, most = f"{info.st_size} байт", f"{limit} байт"
        raise InputRefused(f"файл слишком большой ({size}, предел {most})")


def _within(path: Path, folder: Path) -> bool:
    try:
        Path(os.path.realpath(path)).relative_to(os.path.realpath(folder))
    except ValueError:
        return False
    return True


def _link_words(path: Path, folder: Path) -> str:
    """«символическая ссылка roles/x.editions (→ /elsewhere)»: the first link on the way from
    ``folder`` down to ``path``; not named again when it is the file itself (its name is the message's)."""
    start = Path(os.path.abspath(folder))
    named = Path(os.path.abspath(path))
    link = named
    if named.is_relative_to(start):
        current = start
        for part in named.relative_to(start).parts:
            current = current / part
            if current.is_symlink():
                link = current
                break
    shown = (
        "" if link == named else " " + (link.relative_to(start).as_posix() if link.is_relative_to(start) else str(link))
    )
    try:
        target = os.readlink(link)
    except OSError:
        return f"символическая ссылка{shown}"
    return f"символическая ссылка{shown} (→ {target})"


def is_dir(entry: os.DirEntry) -> bool:
    """``os.path.isdir`` of a listed entry: a link in a loop, or one that cannot be followed, is no
    folder (``DirEntry.is_dir`` raises for it, and a listing stopped there hid its other entries)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def is_file(entry: os.DirEntry) -> bool:
    """``os.path.isfile`` of a listed entry (see :func:`is_dir`)."""
    try:
        return entry.is_file()
    except OSError:
        return False


class ProjectFiles:
    """The files of one project, each read once per command through :func:`read_input`.

    :meth:`read` keeps the bytes (or the refusal) by path, up to :data:`KEEP_BYTES` in all (past
    that a file is read again when asked again, so memory stays bounded on a first build of
    thousands of documents); :meth:`derived` keeps what a reader made of them (a parsed YAML file,
    a checked edition), by the reader's name and the path; :meth:`digest` keeps a file's sha256.
    A batch :meth:`forget` s a document's own files once it is written.
    """

    def __init__(self, keep_bytes: int | None = None) -> None:
        self._bytes: dict[str, bytes | InputRefused] = {}
        self._derived: dict[tuple[str, str], object] = {}
        self._readers: dict[str, set[str]] = {}  # path → the readers that made something of it
        self._kept = 0
        self._budget = KEEP_BYTES if keep_bytes is None else keep_bytes
        self._refused_under: dict[str, int] = {}  # the limit a kept refusal was made under
        self.opened: dict[str, int] = {}  # how often each path was opened
        self._entries: dict[str, list[tuple[str, os.DirEntry]]] = {}

    def entries(self, folder: str | Path) -> list[tuple[str, os.DirEntry]]:
        """The entries of a folder by name, sorted, listed on the first call only (``OSError`` as
        :func:`os.scandir`'s). A ``DirEntry`` keeps its ``stat()``: the verification of editions
        and the digests of a build look at each edition record once."""
        key = os.fspath(folder)
        found = self._entries.get(key)
        if found is None:
            with os.scandir(key) as listing:
                found = self._entries[key] = sorted((entry.name, entry) for entry in listing)  # names are unique
        return found

    def read(self, path: Path, limit: int, inside: Path | None = None) -> bytes:
        """The bytes of ``path`` (see :func:`read_input`), read on the first call only."""
        key = os.fspath(path)
        found = self._bytes.get(key)
        if isinstance(found, InputRefused) and self._refused_under.get(key) != limit:
            found = None  # refused under another limit (a template hashed under the digest's): looked at again
        if found is None:
            self.opened[key] = self.opened.get(key, 0) + 1
            try:
                steady = os.path.basename(key) in STEADY_NAMES or os.path.abspath(path) in _STEADY
                found = read_steady(path, limit, inside) if steady else read_input(path, limit, inside)
            except InputRefused as exc:
                found = exc
            size = len(found) if isinstance(found, bytes) else 0
            if isinstance(found, bytes) and (DIGEST, key) not in self._derived:  # never read again for it
                self._derived[(DIGEST, key)] = hashlib.sha256(found).hexdigest()
                self._readers.setdefault(key, set()).add(DIGEST)
            if self._kept + size <= self._budget:
                self._bytes[key] = found
                self._kept += size
                if isinstance(found, InputRefused):
                    self._refused_under[key] = limit
        elif isinstance(found, bytes):
            if len(found) > limit:
                raise InputRefused(f"файл слишком большой ({size_words(len(found))}, предел {size_words(limit)})")
            if inside is not None and not _within(path, inside):
                raise InputRefused(f"{_link_words(path, inside)} ведет за пределы проекта: такие файлы не читаются")
        if isinstance(found, InputRefused):
            raise InputRefused(found.reason)
        return found

    def derived(self, reader: str, path: Path, make: Callable[[], T]) -> T:
        """What ``reader`` made of ``path`` (``make()``, called on the first request only; a
        fresh copy of it each time once :meth:`freeze` kept it compact)."""
        key = (reader, os.fspath(path))
        if key not in self._derived:
            self._derived[key] = make()
            self._readers.setdefault(key[1], set()).add(reader)
        found = self._derived[key]
        return found.thaw() if isinstance(found, _Frozen) else found  # type: ignore[return-value]

    def freeze(self, path: Path) -> None:
        """Keep what was made of ``path`` compact until it is forgotten: a compressed pickle, a
        tenth of the parsed data in memory, given back by :meth:`derived` as a copy for the cost
        of a tenth of parsing it again (what cannot be pickled is let go, made again when asked)."""
        name = os.fspath(path)
        for reader in list(self._readers.get(name, ())):
            key = (reader, name)
            if reader == DIGEST or isinstance(self._derived[key], _Frozen):
                continue
            try:
                self._derived[key] = _Frozen(self._derived[key])
            except Exception:  # noqa: BLE001 - pickle's kinds (PicklingError, TypeError …): let go instead
                del self._derived[key]
                self._readers[name].discard(reader)

    def digest(self, path: Path, limit: int) -> str:
        """The sha256 of a file's bytes (kept after :meth:`forget`: a build's orders hash the
        editions its documents read); ``"-"`` for no such file, ``"?"`` for one not read."""
        if not os.path.isfile(path):
            return "-"

        def make() -> str:
            try:
                return hashlib.sha256(self.read(path, limit)).hexdigest()
            except InputRefused:
                return "?"

        return self.derived(DIGEST, path, make)

    def release(self, path: Path) -> None:
        """Let go of what was made of ``path``, keeping its bytes and what :meth:`freeze` kept
        (parsed again when needed: a parsed file is several times its size)."""
        self._let_go(os.fspath(path), frozen_too=False)

    def forget(self, paths: Iterable[Path]) -> None:
        """Drop the bytes of ``paths`` and what was made of them, their digests aside (a built
        document's own files)."""
        names = {os.fspath(path) for path in paths}
        for name in names:
            found = self._bytes.pop(name, None)
            self._kept -= len(found) if isinstance(found, bytes) else 0
        for name in names:
            self._let_go(name)

    def _let_go(self, name: str, frozen_too: bool = True) -> None:
        """Drop what readers made of the file ``name``, its digest aside (looked up by the file, so
        a build of thousands of documents letting go of each one's files stays linear)."""
        readers = self._readers.get(name)
        if not readers:
            return
        for reader in [reader for reader in readers if reader != DIGEST]:
            if frozen_too or not isinstance(self._derived[(reader, name)], _Frozen):
                del self._derived[(reader, name)]
                readers.discard(reader)

    def __getstate__(self) -> dict:
        """A worker process gets the door, not what the parent read (it reads what it needs)."""
        return {
            "_bytes": {},
            "_derived": {},
            "_readers": {},
            "_kept": 0,
            "_budget": self._budget,
            "_refused_under": {},
            "opened": {},
            "_entries": {},  # listed again in the worker (a DirEntry cannot be pickled)
        }


class _Frozen:
    """Something made of a file, kept as a compressed pickle (see :meth:`ProjectFiles.freeze`)."""

    __slots__ = ("blob",)

    def __init__(self, value: object) -> None:
        # lazy: pickle loads only for a first build of thousands of documents (a no-op build skips it)
        import pickle
        import zlib

        self.blob = zlib.compress(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), 1)

    def thaw(self) -> object:
        # lazy: as above
        import pickle
        import zlib

        return pickle.loads(zlib.decompress(self.blob))  # noqa: S301 - made by this process, just now


MAX_FILE_BYTES = 1024 * 1024  # a project's YAML file (a role, an edition, jobdesc.yaml …)
KEEP_BYTES = 16 * 1024 * 1024  # bytes of project files kept between their readers in one command
DIGEST = "sha256"
