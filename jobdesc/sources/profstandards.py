"""The профстандарты stored in a project (``profstandards/CODE_YYYY-MM-DD.xml``): add, list, find.

Each version of a standard is a file of its own, named by its code and the date of its order, so
a newer version is stored beside the old one and roles can name the version they follow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from jobdesc.disk.reading import ProjectFiles, read_input
from jobdesc.errors import InputRefused, JobdescError, Problem
from jobdesc.sources.profstandard import MAX_STANDARD_BYTES, NotAStandard, Standard, parse_standard, read_standard

FOLDER = "profstandards"
_NAME = re.compile(r"^(\d{2}\.\d{3})_(\d{4}-\d{2}-\d{2})\.xml$")


@dataclass(frozen=True)
class Stored:
    """A standard kept in the project, and its file as the user names it."""

    standard: Standard
    shown: str


@dataclass(frozen=True)
class Added:
    """What ``profstandard add`` did with one file: the standard, where it is, whether it was new."""

    standard: Standard
    shown: str
    new: bool
    replaces: Standard | None = None  # the newest version stored before, when this one is later


def file_name(standard: Standard) -> str:
    """``06.013_2014-09-08.xml``."""
    return f"{standard.code}_{standard.version}.xml"


def add_standards(root: Path, sources: list[tuple[Path, str]]) -> list[Added]:
    """Store the standards in ``sources`` (path, name as shown) as ``profstandards/CODE_DATE.xml``.

    Every file is read and checked before any is written, so a bad one stores none. The same
    version again is no change; another file claiming a stored version is refused.
    """
    # lazy: jobdesc.disk.fsutil and what it imports (14 modules) load only for the commands that get here
    from jobdesc.disk.fsutil import atomic_write_all

    versions = stored_versions(root)
    planned: dict[Path, bytes] = {}
    added: list[Added] = []
    for source, shown in sources:
        try:
            data = read_input(source, MAX_STANDARD_BYTES)
        except InputRefused as exc:
            raise NotAStandard(f"{shown}: {exc.reason}") from None
        standard = parse_standard(data, shown)
        target = root / FOLDER / file_name(standard)
        target_shown = f"{FOLDER}/{target.name}"
        kept = planned.get(target)
        if kept is not None and kept != data:
            raise JobdescError(
                f"{shown}: стандарт {standard.code} от {standard.approved:%d.%m.%Y} уже есть среди добавляемых "
                "файлов, но файл отличается: добавьте один из них"
            )
        if kept is None and target.exists():
            kept = read_input(target, MAX_STANDARD_BYTES, root)
        if kept is not None and kept != data:
            raise JobdescError(
                f"{shown}: стандарт {standard.code} от {standard.approved:%d.%m.%Y} уже сохранен ({target_shown}), "
                "но файл отличается: сохраненная версия не заменяется — удалите ее сами, если она неверна"
            )
        if kept is not None:
            added.append(Added(standard, target_shown, new=False))
            continue
        planned[target] = data
        older = [s.standard for s in versions.get(standard.code, [])]
        newest = max(older, key=lambda s: s.approved) if older else None
        later = newest is not None and newest.approved < standard.approved
        added.append(Added(standard, target_shown, new=True, replaces=newest if later else None))
    if planned:
        atomic_write_all(sorted(planned.items()))  # all stored, or none
    return added


def stored_versions(
    root: Path, problems: list | None = None, files: ProjectFiles | None = None, codes: set[str] | None = None
) -> dict[str, list[Stored]]:
    """Every stored standard by code, its versions oldest first. A file that does not read is
    skipped (and named in ``problems`` when given). ``files``: the project's door, when the
    command has one (each file then read and parsed once). ``codes``: read only the files of these
    standards (``check`` reads what its roles name; the other files' names are checked only)."""
    folder = root / FOLDER
    found: dict[str, list[Stored]] = {}
    for path in sorted(folder.iterdir()) if folder.is_dir() else ():
        shown = f"{FOLDER}/{path.name}"
        if path.name.startswith(".") or path.suffix.lower() != ".xml":
            continue
        named = _NAME.match(path.name)
        if codes is not None and named is None and problems is not None:
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    "имя не вида КОД_ГГГГ-ММ-ДД.xml: файл не читается; добавляйте стандарты командой "
                    "jobdesc profstandard add",
                    "warning",
                )
            )
        if codes is not None and (named is None or named.group(1) not in codes):
            continue
        try:
            standard = (
                read_standard(path, shown, root)
                if files is None
                else files.derived("profstandard", path, partial(_parsed, files, path, shown, root))
            )
        except NotAStandard as exc:
            if problems is not None:
                problems.append(Problem(shown, None, "", str(exc).removeprefix(f"{shown}: ")))
            continue
        if path.name != file_name(standard) and problems is not None:
            problems.append(
                Problem(
                    shown,
                    None,
                    "",
                    f"в файле стандарт {standard.code} от {standard.approved:%d.%m.%Y}: файл должен называться "
                    f"{file_name(standard)} (так его сохраняет jobdesc profstandard add)",
                )
            )
            continue
        found.setdefault(standard.code, []).append(Stored(standard, shown))
    for versions in found.values():
        versions.sort(key=lambda stored: stored.standard.approved)
    return found


def _parsed(files: ProjectFiles, path: Path, shown: str, root: Path) -> Standard:
    try:
        return parse_standard(files.read(path, MAX_STANDARD_BYTES, root), shown)
    except InputRefused as exc:
        raise NotAStandard(f"{shown}: {exc.reason}") from None


def find_standard(root: Path, code: str, version: str | None = None) -> Stored:
    """The stored standard ``code`` (``version``: the order's date ``YYYY-MM-DD``; the newest by default)."""
    versions = stored_versions(root).get(code.strip())
    if not versions:
        raise JobdescError(
            f"профстандарт {code} не сохранен в проекте: сначала jobdesc profstandard add ФАЙЛ.xml "
            "(XML с сайта Минтруда, профстандарт.рф)"
        )
    if version is None:
        return versions[-1]
    for stored in versions:
        if stored.standard.version == version:
            return stored
    known = ", ".join(f"{s.standard.approved:%d.%m.%Y}" for s in versions)
    raise JobdescError(f"профстандарт {code}: версии от {version} нет в проекте (сохранены: {known})")
