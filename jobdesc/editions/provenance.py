"""Whether the approved editions are the files that were approved: git history and signatures.

The fingerprint inside an edition finds an accidental change, not a forgery (whoever rewrites
the text can recompute it). In a git repository each edition file must be byte-identical to
the version of the commit that added it, and added only once; an edition not yet committed is
reported as a note. An ``NNN.yaml.sig`` beside an edition is verified (:mod:`jobdesc.editions.signing`).
"""

from __future__ import annotations

import os
import re
import stat
import subprocess
import threading
import time
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from jobdesc.disk import cache, git
from jobdesc.disk.reading import MAX_FILE_BYTES, InputRefused, ProjectFiles, is_dir, is_file, read_input
from jobdesc.editions.journal import recover_approval
from jobdesc.errors import JobdescError, Problem, ProblemsError
from jobdesc.project.kinds import KINDS

SIGNATURE_BYTES = 64 * 1024  # an SSH or OpenPGP signature is a few hundred bytes
ACKS_DIR = "acks"  # people.acks.ACKS_DIR: editions import nothing above them


def edition_files(root: Path) -> list[Path]:
    """Every ``roles/*.editions/*.yaml`` and ``policies/*.editions/*.yaml`` of the project (each
    folder listed once, without a ``Path`` per entry: a no-op build at thousands of documents)."""
    files: list[Path] = []
    for kind in KINDS:
        folder = os.path.join(root, kind.folder)
        for name in _listed(folder, lambda entry: entry.name.endswith(".editions") and is_dir(entry)):
            editions = os.path.join(folder, name)
            found = _listed(editions, lambda entry: entry.name.endswith(".yaml") and is_file(entry))
            files += [Path(editions, name) for name in sorted(found, key=_edition_name_order)]
    return files


def _signed_files(root: Path) -> list[Path]:
    """The files of :func:`recorded_files` with a signature beside them (``NNN.yaml.sig``), each
    folder listed once and a ``Path`` made only for those."""
    folders = [
        os.path.join(root, kind.folder, name)
        for kind in KINDS
        for name in _listed(
            os.path.join(root, kind.folder), lambda entry: entry.name.endswith(".editions") and is_dir(entry)
        )
    ]
    folders += [os.path.join(root, ACKS_DIR, name) for name in _listed(os.path.join(root, ACKS_DIR), is_dir)]
    signed: list[Path] = []
    for folder in folders:
        names = _listed(folder, lambda entry: True)
        if any(name.endswith(".yaml.sig") for name in names):
            present = set(names)
            signed += [
                Path(folder, name)
                for name in names
                if name.endswith(".yaml") and f"{name}.sig" in present and os.path.isfile(os.path.join(folder, name))
            ]
    return signed


def _listed(folder: str, wanted: Callable[[os.DirEntry], bool]) -> list[str]:
    """The sorted names of the entries of ``folder`` that are ``wanted`` (none when it cannot be listed)."""
    try:
        with os.scandir(folder) as entries:
            return sorted(entry.name for entry in entries if wanted(entry))
    except OSError:
        return []


def recorded_files(root: Path) -> list[Path]:
    """The files that are never changed once written: every edition and every acknowledgment
    (``acks/ID/*.yaml``), in that order."""
    acks = root / ACKS_DIR
    found = sorted(p for p in acks.glob("*/*.yaml") if p.is_file()) if acks.is_dir() else []
    return edition_files(root) + found


def _edition_name_order(name: str) -> tuple[int, int, str]:
    """store.edition_order (editions import no module that imports them back): by number."""
    stem = name.split(".", 1)[0]
    return (0, int(stem), name) if stem.isascii() and stem.isdigit() else (1, 0, name)


class Verification:
    """The check of every edition file against git, begun at once: git runs in a thread of its
    own while the caller goes on (``check`` renders the documents meanwhile). ``where``: git's
    answer to :func:`_where`, when the caller has asked it already (``asked``). ``remembered``: a
    verification of the same commit and record files that found nothing, not even a note, is
    taken from the cache on disk (and one that finds nothing is kept there)."""

    def __init__(
        self,
        root: Path,
        where: subprocess.CompletedProcess | None = None,
        asked: bool = False,
        remembered: bool = False,
        files: ProjectFiles | None = None,
    ) -> None:
        self.root = root
        recover_approval(root)  # an approval killed half-way is rolled back before anything is read
        self._where, self._asked = where, asked
        self._stamp: str | None = None
        if remembered:
            self._where, self._asked = (where, True) if asked else (_where(root), True)
            committed = self._where is not None and self._where.returncode == 0
            self._stamp = _stamp(root, self._where, files or ProjectFiles()) if committed else None
        self._history: _History | None = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if self._stamp is not None and cache.load(VERIFIED, self._stamp) == _VERDICT:
            self.files: list[Path] = []
            return  # verified before, nothing found: git is not asked again
        self.files = recorded_files(root)
        # started even without editions: git may know of editions that are gone
        self._thread = threading.Thread(target=self._read_history, daemon=True)
        self._thread.start()

    def _read_history(self) -> None:
        try:
            where = self._where if self._asked else _where(self.root)
            self._history = _read_history(self.root, self.files, where)
        except BaseException as exc:  # noqa: BLE001 - raised where the answer is asked for
            self._error = exc

    def wait(self) -> None:
        """Wait for git (a caller that stops early leaves no thread behind)."""
        if self._thread is not None:
            self._thread.join()

    def problems(self, notes: list[str], skip: AbstractSet[str] = frozenset()) -> list[Problem]:
        """Problems of the edition files against git history and their signatures (waiting for
        git if it is still running); notes appended. ``skip``: files (as shown) already reported
        broken, not checked again."""
        if self._thread is None:
            return []
        self.wait()
        if self._error is not None:
            raise self._error
        if self._history is None:  # the thread either answers or records why not
            raise JobdescError(f"{self.root}: git не ответил — подлинность редакций не проверена")
        files = [path for path in self.files if _shown(self.root, path) not in skip] if skip else self.files
        problems = _gone(self.root, self._history)
        if files:
            found: list[str] = []
            problems += _against_git(self.root, files, self._history, found)
            problems += _signatures(self.root, files, found)
            notes += found
            if self._stamp is not None and not (problems or found or skip):
                cache.store(VERIFIED, self._stamp, _VERDICT)
        return problems


def _shown(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _git(root: Path, *args: str, data: bytes | None = None) -> subprocess.CompletedProcess | None:
    """``git ARGS`` in ``root``; ``None`` when git is not installed (as without git: README says
    so); a git that cannot run or answer stops the command, naming why."""
    return git.answer(root, *args, data=data, purpose="подлинность редакций не проверена")


@dataclass(frozen=True)
class _History:
    """What git says of the edition files: whether there is a repository with a commit, the
    commits that added each file, the file each first added, and each file as it is now."""

    repository: bool
    committed: bool = False
    prefix: str = ""  # the project's folder inside the repository
    added: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    blobs: dict[tuple[str, str], str] = field(default_factory=dict)
    current: dict[Path, str] = field(default_factory=dict)


def _where(root: Path) -> subprocess.CompletedProcess | None:
    """One run of git: inside a work tree? the folder's prefix, and the commit of HEAD (exit code 1
    without one); ``None`` when git is not installed."""
    return _git(root, "rev-parse", "--is-inside-work-tree", "--show-prefix", "--verify", "--quiet", "HEAD")


def _read_history(root: Path, files: list[Path], where: subprocess.CompletedProcess | None) -> _History:
    """Ask git about ``files`` (and their signatures), given its answer to :func:`_where`: three
    more runs of git at most."""
    if where is None or where.returncode not in (0, 1) or not where.stdout.startswith(b"true"):
        return _History(repository=False)  # not a repository: only the fingerprints are checked (README says so)
    prefix = (where.stdout.decode("utf-8", "surrogateescape").splitlines() + ["", ""])[1]
    if where.returncode != 0:
        return _History(repository=True, prefix=prefix)
    # every commit that added a file under roles/ or policies/, oldest first, renames seen as additions
    log = _git(
        root,
        "-c",
        "core.quotePath=false",
        "log",
        "--reverse",
        "--no-renames",
        "--diff-filter=A",
        "--format=commit %H %as",
        "--name-only",
        "-z",
        "HEAD",
        "--",
        *(f"{kind.folder}/" for kind in KINDS),
        f"{ACKS_DIR}/",
    )
    if log is None or log.returncode != 0:
        raise JobdescError(f"{root}: git не смог прочитать историю — подлинность редакций не проверена")
    added = _additions(log.stdout.decode("utf-8", "surrogateescape"))
    wanted = _wanted(root, files, prefix)
    found = {name: commits for name, commits in added.items() if name in wanted}
    blobs = _blob_ids(root, [(commits[0][0], name) for name, commits in found.items()])
    current = _working_ids(root, [wanted[name] for name in found])
    return _History(True, True, prefix, added, blobs, current)


_RECORD = re.compile(r"^(?P<folder>[^/]+)/(?P<owner>[^/]+?)(?P<editions>\.editions)?/(?P<name>[^/]+\.yaml)$")


def _gone(root: Path, history: _History) -> list[Problem]:
    """An edition or acknowledgment git once added that is no longer there, while its document is."""
    if not history.committed:
        return []
    folders = {kind.folder: kind for kind in KINDS}
    problems: list[Problem] = []
    for name, commits in history.added.items():
        if not name.startswith(history.prefix):
            continue
        found = _RECORD.match(name[len(history.prefix) :])
        if found is None or found["name"].startswith("."):
            continue
        folder, owner = found["folder"], found["owner"]
        if found["editions"] and folder in folders:
            what = "утвержденная редакция"
            documents = [root / folder / f"{owner}.yaml"]
        elif folder == ACKS_DIR and not found["editions"]:
            what = "запись об ознакомлении"
            documents = [root / kind.folder / f"{owner}.yaml" for kind in KINDS]
        else:
            continue
        path = root / name[len(history.prefix) :]
        if os.path.lexists(path) or not any(d.is_file() for d in documents):
            continue  # there; or the whole document is gone (a position abolished)
        first, date = commits[0]
        problems.append(
            Problem(
                _shown(root, path),
                None,
                "",
                f"{what} удалена, а git ее знает (добавлена в коммите {first[:10]} от {date}): они не удаляются "
                f"— верните файл: git checkout {first[:10]} -- {name}",
            )
        )
    return problems


def _wanted(root: Path, files: list[Path], prefix: str) -> dict[str, Path]:
    """The name in the repository of each file and of each signature beside one."""
    signatures = [path.with_name(path.name + ".sig") for path in files]
    return {prefix + _shown(root, path): path for path in files + [p for p in signatures if os.path.lexists(p)]}


def _against_git(root: Path, files: list[Path], history: _History, notes: list[str]) -> list[Problem]:
    if not history.repository:
        return []
    if not history.committed:
        notes.extend(f"{_shown(root, p)}: редакция еще не закоммичена в git" for p in files)
        return []
    prefix, added = history.prefix, history.added
    signatures = [path.with_name(path.name + ".sig") for path in files]
    wanted = _wanted(root, files, prefix)
    found = {name: commits for name, commits in added.items() if name in wanted}
    problems: list[Problem] = []
    for path in signatures:
        name = prefix + _shown(root, path)
        if name in added and not os.path.lexists(path):
            first, date = added[name][0]
            problems.append(
                Problem(
                    _shown(root, path),
                    None,
                    "",
                    f"подпись редакции удалена (добавлена в git в коммите {first[:10]} от {date}) — "
                    f"верните ее: git checkout {first[:10]} -- {name}",
                )
            )
    for name, path in wanted.items():
        shown = _shown(root, path)
        commits = found.get(name)
        if not commits:
            if shown.startswith(f"{ACKS_DIR}/"):
                continue  # personal data: often kept out of the shared repository on purpose (README)
            what = "подпись" if path.suffix == ".sig" else "редакция"
            notes.append(f"{shown}: {what} еще не закоммичена в git — закоммитьте ее вместе с утверждением")
            continue
        first, date = commits[0]
        if len(commits) > 1:
            again = ", ".join(f"{c[:10]} от {d}" for c, d in commits[1:])
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    f"файл добавлен в git не один раз (впервые — в коммите {first[:10]} от {date}, снова — в {again}): "
                    "утвержденную редакцию удаляли и записывали заново",
                )
            )
        if history.blobs.get((first, name)) != history.current.get(path):
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    f"файл отличается от добавленного в git в коммите {first[:10]} от {date}: утвержденные "
                    f"редакции не меняются — верните файл: git checkout {first[:10]} -- {name}",
                )
            )
    return problems


def _additions(log: str) -> dict[str, list[tuple[str, str]]]:
    """File name → the (commit, date) of each commit that added it, oldest first."""
    added: dict[str, list[tuple[str, str]]] = {}
    commit = ("", "")
    for record in log.split("\0"):
        for line in record.split("\n"):
            line = line.strip("\n")
            if line.startswith("commit "):
                _, sha, date = (line.split(" ") + ["", ""])[:3]
                commit = (sha, date)
            elif line:
                added.setdefault(line, []).append(commit)
    return added


def _blob_ids(root: Path, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """The object id of each ``commit:path`` (one ``git cat-file`` for all)."""
    if not wanted:
        return {}
    query = "".join(f"{commit}:{name}\n" for commit, name in wanted).encode("utf-8", "surrogateescape")
    done = _git(root, "cat-file", "--batch-check=%(objectname)", data=query)
    if done is None or done.returncode != 0:
        raise JobdescError(f"{root}: git не смог прочитать историю — подлинность редакций не проверена")
    answers = done.stdout.decode("ascii", "replace").splitlines()
    return {key: answer.strip() for key, answer in zip(wanted, answers)}


def _working_ids(root: Path, paths: list[Path]) -> dict[Path, str]:
    """The object id git would give each file now, through its clean filters (``core.autocrlf``
    on Windows turns CRLF back into the LF of the commit): one ``git hash-object`` for all."""
    regular = []
    for path in paths:  # git would read a link to /dev/zero or a FIFO for ever: such a file is «changed»
        try:
            if stat.S_ISREG(os.lstat(path).st_mode):
                regular.append(path)
        except OSError:
            pass
    paths = regular
    if not paths:
        return {}
    # as arguments relative to the project (its own path may hold a line break, which would
    # split a line of --stdin-paths), a few hundred at a time
    answers: list[str] = []
    for start in range(0, len(paths), 500):
        chunk = [os.path.relpath(path, root) for path in paths[start : start + 500]]
        done = _git(root, "hash-object", "--", *chunk)
        if done is None or done.returncode != 0:
            raise JobdescError(f"{root}: git не смог прочитать файлы редакций — подлинность редакций не проверена")
        answers += done.stdout.decode("ascii", "replace").splitlines()
    return {path: answer.strip() for path, answer in zip(paths, answers)}


def _signatures(root: Path, files: list[Path], notes: list[str]) -> list[Problem]:
    # lazy: only when an edition is signed
    from jobdesc.editions.signing import verify

    problems: list[Problem] = []
    for path in files:
        if not os.path.lexists(f"{path}.sig"):  # no Path made for each of thousands of editions
            continue
        signature = path.with_name(path.name + ".sig")
        shown = _shown(root, signature)
        try:  # a FIFO, a link to /dev/zero or out of the project, a huge file: refused, not «unsigned»
            read_input(signature, SIGNATURE_BYTES, root)
            edition = read_input(path, MAX_FILE_BYTES, root)
        except InputRefused as exc:
            problems.append(Problem(shown, None, "", f"подпись не прочитана: {exc.reason}"))
            continue
        verdict = verify(root, edition, signature)
        if verdict.problem:
            problems.append(Problem(shown, None, "", f"{verdict.problem} — редакция или подпись изменены"))
        elif verdict.note:
            notes.append(f"{shown}: {verdict.note}")
    return problems


_GENUINE: dict[str, tuple[Problem, ...]] = {}
VERIFIED = "verified"  # the kind of cache entry of a clean verification (:mod:`jobdesc.disk.cache`)
_VERDICT = b"genuine\n"
RACY_NS = 2_000_000_000  # a file changed this recently may change again within the same time stamp


def require_genuine(root: Path, files: ProjectFiles | None = None) -> None:
    """Stop the command (:class:`ProblemsError`) when an edition or acknowledgment is not the file
    git recorded, is gone though git knew it, or fails its signature: ``build``, ``status`` and
    the other readers of editions put nothing of a forged one on paper. Once per command
    (:func:`forget` starts afresh). ``files``: the command's project files, whose folder
    listings (and the stat of each entry) a build's digests then take as they are."""
    key = str(root.resolve())  # once per command: status asks for each of a thousand documents
    if key not in _GENUINE:
        _GENUINE[key] = _genuine_problems(root, files or ProjectFiles())
    if _GENUINE[key]:
        raise ProblemsError(list(_GENUINE[key]))


def _genuine_problems(root: Path, files: ProjectFiles) -> tuple[Problem, ...]:
    """The problems of :class:`Verification`; none, without asking git more than :func:`_where`,
    when a clean verification of the same commit and the same record files is in the cache on disk."""
    recover_approval(root)  # an approval killed half-way is rolled back before anything is read
    where = _where(root)
    if where is None or where.returncode != 0 or not where.stdout.startswith(b"true"):
        # no commit (or no git): git has nothing more to say, and a record fails only by its signature
        found = _signatures(root, _signed_files(root), [])
        return tuple(p for p in found if p.severity != "warning")
    found = Verification(root, where, asked=True, remembered=True, files=files).problems([])
    return tuple(p for p in found if p.severity != "warning")


def _stamp(root: Path, where: subprocess.CompletedProcess | None, files: ProjectFiles) -> str | None:
    """The name of the cache entry of a clean verification: git's answer to :func:`_where` (the
    commit of HEAD: the history, the files it added and their object ids), the documents there
    are, and the name, size, times, inode and device of every entry of every ``*.editions``
    folder and ``acks/`` folder (a file edited, replaced, added or removed changes them; its
    change time cannot be set back). ``None``, and git asked in full, when something cannot be
    trusted this way: a signature (its key's trust lives outside the project), a file changed in
    the last seconds, an entry that is not a regular file, a folder that cannot be read; and
    when there is no commit (git has nothing more to say then)."""
    if where is None or where.returncode != 0 or not where.stdout.startswith(b"true"):
        return None  # no commit to verify against: git is asked once, and only signatures are checked
    parts = [where.stdout.decode("utf-8", "surrogateescape")]
    parts += [str(root.resolve()), cache.source_digest("editions/provenance", "editions/journal", "project/kinds")]
    recent = time.time_ns() - RACY_NS

    def entry_stamp(shown: str, entry: os.DirEntry) -> str | None:
        info = entry.stat(follow_symlinks=False)
        if (
            entry.name.endswith(".sig")
            or not stat.S_ISREG(info.st_mode)
            or max(info.st_mtime_ns, info.st_ctime_ns) > recent
        ):
            return None
        return f"{shown}\0{info.st_size}\0{info.st_mtime_ns}\0{info.st_ctime_ns}\0{info.st_ino}\0{info.st_dev}"

    try:
        folders: list[tuple[str, os.DirEntry]] = []
        for kind in KINDS:
            names = _names(root / kind.folder, files)
            parts.append(kind.folder + "\0" + "\0".join(name for name, _ in names))  # the documents there are
            folders += [(f"{kind.folder}/{name}", entry) for name, entry in names if name.endswith(".editions")]
        for name, entry in _names(root / ACKS_DIR, files):
            if entry.is_dir(follow_symlinks=False):
                folders.append((f"{ACKS_DIR}/{name}", entry))
            else:
                parts.append(entry_stamp(f"{ACKS_DIR}/{name}", entry) or "")
                if not parts[-1]:
                    return None
        for shown, folder in folders:
            if not folder.is_dir(follow_symlinks=False):
                return None  # a link: the check in full says what it is
            for name, entry in _names(folder.path, files):
                parts.append(entry_stamp(f"{shown}/{name}", entry) or "")
                if not parts[-1]:
                    return None
    except OSError:
        return None
    return cache.key(*parts)


def _names(folder: str | Path, files: ProjectFiles) -> list[tuple[str, os.DirEntry]]:
    """The entries of a folder, sorted by name (none when it does not exist)."""
    try:
        return files.entries(folder)
    except FileNotFoundError:
        if os.path.lexists(folder):  # a link to nowhere: not «no folder»
            raise
        return []


def forget() -> None:
    """Forget what was verified (a command run in the same process again asks git afresh)."""
    _GENUINE.clear()
