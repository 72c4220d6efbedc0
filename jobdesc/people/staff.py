"""``staff.yaml``: the employees holding each position (personal data, kept out of shared repositories)."""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path

from jobdesc.disk.fsutil import refuse_output
from jobdesc.errors import Problem, ProblemsError

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


def staff_path(root: Path) -> Path:
    return root / STAFF_FILE


def collect_staff(root: Path, role_ids: set[str] | None, problems: list[Problem]) -> list[Employee]:
    """The employees of ``staff.yaml`` (none when there is no such file); problems appended.

    ``role_ids``: the roles of the project, to report an employee on an unknown one (``None``: not checked).
    """
    # lazy: the loader brings PyYAML, which a no-op build does not load
    from jobdesc.project.loader import load_checked
    from jobdesc.project.validate import field_path

    path = staff_path(root)
    if not path.exists() and not path.is_symlink():
        return []
    found: list[Problem] = []
    # a link into a private repository cloned inside the project (README) is fine; out of it, refused
    data = load_checked(path, STAFF_FILE, STAFF_SCHEMA, found, root)
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
            found.append(Problem(STAFF_FILE, lines["hired"], f"{where}.hired", f"несуществующая дата {entry['hired']}"))
            continue
        number = entry["number"].strip()
        if not SAFE_NUMBER.match(number):
            found.append(Problem(STAFF_FILE, lines["number"], f"{where}.number", number_refused(number)))
            continue
        if number in seen:
            found.append(
                Problem(
                    STAFF_FILE,
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
                    STAFF_FILE,
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
    if not path.exists() and not path.is_symlink():
        return []  # without listing the roles (a folder of thousands of files, per document)
    problems: list[Problem] = []
    employees = collect_staff(root, {path.stem for path in role_files(root)}, problems)
    if problems:
        raise ProblemsError(problems)
    return employees


def holders(employees: list[Employee], role_id: str) -> list[Employee]:
    """The employees holding role ``role_id``, in order of hiring, then name."""
    return sorted((e for e in employees if e.role == role_id), key=lambda e: (e.hired, e.name, e.number))


def private_target(root: Path, path: Path) -> Path:
    """Where to write ``path`` (``staff.yaml``, a file of ``acks/``): through a symbolic link into a
    private repository cloned inside the project (README), to the file it leads to, so the link
    stays; a link out of the project is refused, naming it."""
    real = Path(os.path.realpath(path))
    if real != Path(os.path.abspath(path)):
        refuse_output(root, path, "")  # out of the project, or into its inputs: one line naming the link
    return real
