"""The commands about employees: ``staff import`` (staff.yaml from the personnel export) and
``ack`` (an acknowledgment under signature), with the lines they print."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from jobdesc.disk.fsutil import shown
from jobdesc.language.names import for_person
from jobdesc.language.ru import plural
from jobdesc.people.staff import personal_shown
from jobdesc.project.loader import load_project

Lines = tuple[list[str], list[str]]  # for standard output, for standard error


def import_staff(root: Path, file: Path) -> Lines:
    """``jobdesc staff import FILE``: staff.yaml written from the export; the count of employees,
    and a warning for each position skipped and each employee dropped."""
    # lazy: a command imports only what it runs (`ack` reads no export)
    from jobdesc.people.staff_import import import_staff as staff_from_export

    roles = load_project(root).roles
    titles = {role_id: role.title for role_id, role in roles.items()}
    aliases = {role_id: role.staff_names for role_id, role in roles.items() if role.staff_names}
    path, imported = staff_from_export(root, file, str(file), titles, aliases)
    errors = [f"внимание: {warning}" for warning in imported.warnings]
    for position, rows in imported.skipped.items():
        line = json.dumps([position], ensure_ascii=False)
        hint = (
            f" (если так в учетной системе называется одна из ролей — например, прежним наименованием, — "
            f"добавьте в ее файл строку «staff_names: {line}» и повторите импорт)"
        )
        errors.append(
            f"внимание: {file}: должность «{position}» — нет роли с таким наименованием, пропущено строк: {rows}{hint}"
        )
    for employee, records in imported.dropped:
        errors.append(
            f"внимание: {shown(path, root)}: {employee.name} ({employee.number}) нет в выгрузке — "
            f"{for_person(employee.name, 'удален', 'удалена')} из staff.yaml; записей об ознакомлении в acks/: "
            f"{records} — они остаются (если должность переименована, добавьте прежнее наименование в staff_names роли)"
        )
    count = len(imported.employees)
    return [f"{shown(path, root)}: {count} {plural(count, 'работник', 'работника', 'работников')}"], errors


def acknowledge(
    root: Path, doc_id: str, employee: str, date: dt.date, edition: int | None, amendment: int | None
) -> Lines:
    """``jobdesc ack``: the acknowledgment recorded (append-only), the line that says so, and a
    warning when its date is in the future."""
    # lazy: a command imports only what it runs (`staff import` renders nothing, records no acknowledgment)
    from jobdesc.documents.compose import positions_of
    from jobdesc.people.acks import AMENDMENT, EDITION, record_ack

    kind = EDITION if edition is not None else AMENDMENT if amendment is not None else None
    project = load_project(root, [doc_id])
    signers = [role_id for role_id, _ in positions_of(project.documents[doc_id], project)]
    path, document, person = record_ack(
        project.root,
        doc_id,
        employee,
        date,
        kind,
        edition or amendment,
        project.config.document.amendments,
        signers,
    )
    signed = for_person(person.name, "ознакомлен", "ознакомлена")
    done = f"{personal_shown(project.root, path)}: {person.name} {signed} {date:%d.%m.%Y} с {document.describe()}"
    errors = []
    if date > dt.date.today():
        errors.append(
            f"внимание: --date {date:%d.%m.%Y} — дата в будущем (сегодня {dt.date.today():%d.%m.%Y}); "
            "если это опечатка, запись не исправить командой: удалите файл и запишите заново"
        )
    return [done], errors
