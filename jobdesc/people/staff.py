"""``staff.yaml``: the employees holding each position (personal data, kept out of shared repositories)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

from jobdesc.disk import cache
from jobdesc.disk.fsutil import refuse_output
from jobdesc.disk.reading import MAX_FILE_BYTES, InputRefused, read_steady
from jobdesc.errors import JobdescError, Problem, ProblemsError
from jobdesc.project.layout import CONFIG_FILE

STAFF_FILE = "staff.yaml"
STAFF_SCHEMA = "staff.schema.json"
SAFE_NUMBER = re.compile(r"^[0-9A-Za-zА-Яа-яЁё_-]+$")  # a personnel number that can be part of a file name


def number_refused(number: str) -> str:
    """Why a personnel number is refused (it becomes part of an acknowledgment's file name)."""
    return (
        f"табельный номер «{number}»: допустимы буквы, цифры, «-» и «_» — номер становится частью имени "
        "файла ознакомления"
    )


@dataclass(frozen=True)
class Employee:
    """One employee: full name, personnel number (табельный номер), role id, hire date."""

    name: str
    number: str
    role: str
    hired: dt.date
    line: int | None = None  # where in staff.yaml the entry starts


PRIVATE_KEY = "private"  # jobdesc.yaml: the folder of the HR department's private repository


def private_setting(root: Path) -> str | None:
    """``private:`` of the project's ``jobdesc.yaml`` (``None`` when not set, or when the file is
    broken: the loader says how)."""
    try:
        data = read_steady(root / CONFIG_FILE, MAX_FILE_BYTES, root)
    except InputRefused:
        return None
    key = (str(root), data)
    if key not in _SETTINGS:
        _SETTINGS.clear()  # one project per command
        _SETTINGS[key] = _private_of(data)
    return _SETTINGS[key]


_SETTINGS: dict[tuple[str, bytes], str | None] = {}
PRIVATE_CACHE = "private"  # the kind of cache entry of private: by jobdesc.yaml's bytes


def _private_of(data: bytes) -> str | None:
    """``private:`` of ``jobdesc.yaml``'s bytes, kept in jobdesc's cache on disk under their digest
    (a no-op build then loads no YAML)."""
    name = cache.key("private", cache.source_digest("people/staff", "project/yamlio"), hashlib.sha256(data).hexdigest())
    stored = cache.load(PRIVATE_CACHE, name)
    if stored is not None:
        try:
            remembered = json.loads(stored)
        except ValueError:
            remembered = False  # damaged: read anew
        if remembered is None or isinstance(remembered, str):
            return remembered
    # lazy: PyYAML loads only when jobdesc.yaml is new to the cache
    from jobdesc.project.yamlio import YamlProblem, load_bytes

    try:
        config = load_bytes(data, CONFIG_FILE)
    except YamlProblem:
        config = None
    value = config.get(PRIVATE_KEY) if isinstance(config, dict) else None
    found = value.strip() if isinstance(value, str) and value.strip() else None
    cache.store(PRIVATE_CACHE, name, json.dumps(found).encode("utf-8"))
    return found


def personal_folder(root: Path) -> Path:
    """Where ``staff.yaml`` and ``acks/`` are: the folder ``private:`` names (relative to the
    project), else the project itself."""

    setting = private_setting(root)
    if setting is None:
        return root
    return Path(os.path.normpath(os.path.join(os.path.abspath(root), os.path.expanduser(setting))))


def personal_shown(root: Path, path: Path) -> str:
    """How messages name ``path`` (``staff.yaml``, a file of ``acks/``): from the project, or from
    the private folder as ``private:`` names it (``../hr-private/acks/…``)."""
    setting = private_setting(root)
    if setting is None:
        return path.relative_to(root).as_posix()
    return f"{setting.rstrip('/')}/{path.relative_to(personal_folder(root)).as_posix()}"


def misplaced(root: Path, name: str) -> Problem | None:
    """``staff.yaml`` or ``acks`` (``name``) in the project while ``private:`` says they are kept
    elsewhere: which of the two is meant cannot be told, and the project's repository is shared."""
    setting = private_setting(root)
    if setting is None or personal_folder(root) == root:
        return None
    here = root / name
    if not here.exists() and not here.is_symlink():
        return None
    return Problem(
        name,
        None,
        "",
        f"лежит в папке проекта, а jobdesc.yaml держит персональные данные в {setting} ({PRIVATE_KEY}): "
        f"перенесите {name} туда — общий репозиторий видят все",
    )


def staff_path(root: Path) -> Path:
    return personal_folder(root) / STAFF_FILE


def collect_staff(root: Path, role_ids: set[str] | None, problems: list[Problem]) -> list[Employee]:
    """The employees of ``staff.yaml`` (none when there is no such file); problems appended.

    ``role_ids``: the roles of the project, to report an employee on an unknown one (``None``: not checked).
    """
    # lazy: the loader brings PyYAML, which a no-op build does not load
    from jobdesc.project.loader import load_checked
    from jobdesc.project.validate import field_path

    wrong = misplaced(root, STAFF_FILE)
    if wrong is not None:
        problems.append(wrong)
        return []
    path = staff_path(root)
    if not path.exists() and not path.is_symlink():
        return []
    found: list[Problem] = []
    shown = personal_shown(root, path)
    # a link inside the project (or the private folder) is fine; out of it, refused
    data = load_checked(path, shown, STAFF_SCHEMA, found, personal_folder(root))
    if data is None:
        problems.extend(found)
        return []
    employees: list[Employee] = []
    seen: dict[str, int | None] = {}
    entries = data["employees"]
    for index, entry in enumerate(entries):
        line = entries.item_lines[index]
        lines = entry.key_lines
        where = field_path(["employees", index])
        try:
            hired = dt.date.fromisoformat(entry["hired"])
        except ValueError:
            found.append(Problem(shown, lines["hired"], f"{where}.hired", f"несуществующая дата {entry['hired']}"))
            continue
        number = entry["number"].strip()
        if not SAFE_NUMBER.match(number):
            found.append(Problem(shown, lines["number"], f"{where}.number", number_refused(number)))
            continue
        if number in seen:
            found.append(
                Problem(
                    shown,
                    lines["number"],
                    f"{where}.number",
                    f"табельный номер {number} уже указан в строке {seen[number]}",
                )
            )
            continue
        seen[number] = lines["number"]
        if role_ids is not None and entry["role"] not in role_ids:
            found.append(
                Problem(
                    shown,
                    lines["role"],
                    f"{where}.role",
                    f"роли {entry['role']} нет (roles/{entry['role']}.yaml)",
                )
            )
            continue
        employees.append(Employee(" ".join(entry["name"].split()), number, entry["role"], hired, line))
    problems.extend(found)
    return employees


def load_staff(root: Path) -> list[Employee]:
    """The employees of the project at ``root`` (an empty list without ``staff.yaml``).

    A broken file, an unknown role or a repeated personnel number raise :class:`ProblemsError`.
    """
    # lazy: the loader brings PyYAML, which a no-op build does not load
    from jobdesc.project.loader import role_files

    path = staff_path(root)
    if (not path.exists() and not path.is_symlink()) and misplaced(root, STAFF_FILE) is None:
        return []  # without listing the roles (a folder of thousands of files, per document)
    problems: list[Problem] = []
    employees = collect_staff(root, {path.stem for path in role_files(root)}, problems)
    if problems:
        raise ProblemsError(problems)
    return employees


def holders(employees: list[Employee], role_id: str) -> list[Employee]:
    """The employees holding role ``role_id``, in order of hiring, then name."""
    return sorted((e for e in employees if e.role == role_id), key=lambda e: (e.hired, e.name, e.number))


def require_personal_folder(root: Path) -> Path:
    """:func:`personal_folder`, which must exist when ``private:`` names it (a command that writes
    personal data, or needs it: ``staff import``, ``ack``)."""
    folder = personal_folder(root)
    if folder != root and not folder.is_dir():
        raise JobdescError(
            f"{private_setting(root)}: папки нет ({PRIVATE_KEY} в jobdesc.yaml) — склонируйте туда закрытый "
            "репозиторий отдела кадров или поправьте путь"
        )
    return folder


def private_target(root: Path, path: Path) -> Path:
    """Where to write ``path`` (``staff.yaml``, a file of ``acks/``): in the folder ``private:``
    names (which must exist), or in the project; through a symbolic link that stays inside that
    folder, to the file it leads to, so the link stays; a link out of it is refused, naming it."""
    folder = require_personal_folder(root)
    name = path.relative_to(folder).parts[0]
    wrong = misplaced(root, name)
    if wrong is not None:
        raise JobdescError(f"{wrong.path}: {wrong.message}")
    real = Path(os.path.realpath(path))
    if real != Path(os.path.abspath(path)):
        refuse_output(folder, path, "")  # out of the folder, or into the project's inputs: one line naming the link
    return real
