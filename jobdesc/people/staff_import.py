"""``jobdesc staff import``: ``staff.yaml`` from a staff-list export of an accounting system (1С).

The export is a semicolon-separated table in Windows-1251 or UTF-8 (with or without a BOM), as
«Штатная расстановка» or «Список сотрудников» saved to CSV; title lines above the header are
skipped. A position is matched to a role by its title: exactly, else by similarity (a warning).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from jobdesc.errors import WARNING, JobdescError, Problem, ProblemsError
from jobdesc.language import ru
from jobdesc.language.invisible import describe, first_hidden
from jobdesc.people.staff import (
    SAFE_NUMBER,
    Employee,
    collect_staff,
    load_staff,
    number_refused,
    personal_folder,
    private_target,
    staff_path,
)

NAME, NUMBER, POSITION, HIRED = "name", "number", "position", "hired"
HEADERS = {  # normalised header → column
    "фио": NAME,
    "ф.и.о.": NAME,
    "ф. и. о.": NAME,
    "сотрудник": NAME,
    "работник": NAME,
    "фамилия, имя, отчество": NAME,
    "фамилия имя отчество": NAME,
    "табельный номер": NUMBER,
    "таб. номер": NUMBER,
    "таб. №": NUMBER,
    "табельный №": NUMBER,
    "таб.номер": NUMBER,
    "должность": POSITION,
    "должность (профессия)": POSITION,
    "дата приема": HIRED,
    "дата приема на работу": HIRED,
    "принят": HIRED,
}
REQUIRED = (NAME, NUMBER, POSITION, HIRED)
SHOWN = {NAME: "ФИО", NUMBER: "Табельный номер", POSITION: "Должность", HIRED: "Дата приема"}
SIMILAR = 85  # rapidfuzz score (0–100) from which a position is taken for a role's title
HEADER_SEARCH = 20  # lines at the top of the file where the header row is looked for
MAX_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True)
class Imported:
    """The result of an import: the employees, warnings (similar titles) and the positions skipped."""

    employees: list[Employee]
    warnings: list[Problem]
    skipped: dict[str, int]  # position → rows: no role has that title
    dropped: tuple[tuple[Employee, int], ...] = ()  # who was in staff.yaml with acknowledgments, and how many


def normal(text: str) -> str:
    """A title or header compared loosely: case, «ё», spaces and quotes do not matter."""
    return " ".join(text.replace("ё", "е").replace("Ё", "Е").replace("\u00a0", " ").split()).casefold().strip("\"'«»")


def decode(data: bytes, shown: str = "") -> str:
    """UTF-8 (a BOM dropped), else Windows-1251 — what 1С and Excel write; one clear line for a
    file that is neither (binary bytes) or mixes them (a UTF-8 header over Windows-1251 rows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        before = data[: exc.start]
        if any(byte >= 0x80 for byte in before):  # UTF-8 letters above, something else from here on
            raise JobdescError(
                f"{shown}:{line}: строка не в кодировке UTF-8, а строки выше — в UTF-8: файл в смешанной "
                "кодировке; сохраните выгрузку заново целиком в одной кодировке (UTF-8 или Windows-1251)"
            ) from None
    try:
        return data.decode("cp1251")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise JobdescError(
            f"{shown}:{line}: это не текстовый файл CSV (байты не в кодировке UTF-8 или Windows-1251) — "
            "сохраните отчет как CSV с разделителем «;»"
        ) from None


def parse_date(text: str) -> dt.date:
    """ДД.ММ.ГГГГ (optionally with the time 1С adds) or ГГГГ-ММ-ДД; ``ValueError`` otherwise."""
    return ru.parse_date(text, time_allowed=True)


def read_staff_csv(
    source: Path, shown: str, titles: dict[str, str], aliases: dict[str, tuple[str, ...]] | None = None
) -> Imported:
    """The employees of a staff-list export whose positions are roles (``titles``: role id → title;
    ``aliases``: role id → the other names a staff export may use, a role's ``staff_names``).

    Every bad row is reported (``ProblemsError``, one line each: ``FILE:LINE: column: message``).
    """
    # lazy: jobdesc.disk.reading and what it imports (5 modules) load only for the commands that get here
    from jobdesc.disk.reading import InputRefused, describe_read, read_input

    try:
        text = decode(read_input(source, MAX_BYTES), shown)
    except InputRefused as exc:
        raise JobdescError(f"{shown}: {exc.reason}") from None
    except OSError as exc:
        raise JobdescError(f"{shown}: {describe_read(exc)}") from None
    if "\0" in text:
        raise JobdescError(f"{shown}: это не текстовый файл CSV (сохраните отчет как CSV с разделителем «;»)")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";", quotechar='"')
    columns = _header(reader, shown)
    by_title = _names(titles, aliases or {})
    problems: list[Problem] = []
    warnings: list[Problem] = []
    skipped: dict[str, int] = {}
    employees: list[Employee] = []
    seen: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            values = {key: (row[index].strip() if index < len(row) else "") for key, index in columns.items()}
            found = [Problem(shown, line, SHOWN[key], "пусто") for key in REQUIRED if not values[key]]
            if found:
                problems.extend(found)
                continue
            try:
                hired = parse_date(values[HIRED])
            except ValueError:
                problems.append(
                    Problem(shown, line, SHOWN[HIRED], f"«{values[HIRED]}» — не дата (ДД.ММ.ГГГГ или ГГГГ-ММ-ДД)")
                )
                continue
            hidden = next(((key, c) for key in REQUIRED if (c := first_hidden(values[key])) is not None), None)
            if hidden is not None:
                problems.append(
                    Problem(shown, line, SHOWN[hidden[0]], f"{describe(hidden[1])}: удалите его в учетной системе")
                )
                continue
            number = values[NUMBER]
            if not SAFE_NUMBER.match(number):
                problems.append(Problem(shown, line, SHOWN[NUMBER], number_refused(number)))
                continue
            if number in seen:
                problems.append(
                    Problem(shown, line, SHOWN[NUMBER], f"табельный номер {number} уже был в строке {seen[number]}")
                )
                continue
            seen[number] = line
            role_id = _role_for(values[POSITION], by_title, titles, shown, line, warnings)
            if role_id is None:
                skipped[values[POSITION]] = skipped.get(values[POSITION], 0) + 1
                continue
            employees.append(Employee(" ".join(values[NAME].split()), number, role_id, hired, line))
    except csv.Error as exc:
        problems.append(Problem(shown, reader.line_num, "", f"таблица CSV повреждена: {_csv_reason(exc)}"))
    if problems:
        raise ProblemsError(problems)
    return Imported(employees, warnings, skipped)


def _names(titles: dict[str, str], aliases: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every name a role goes by (its title, its ``staff_names``), compared loosely → the role; a name
    two roles claim is refused: the employees would go to either."""
    by_name: dict[str, str] = {}
    for role_id, names in sorted((role_id, (title, *aliases.get(role_id, ()))) for role_id, title in titles.items()):
        for index, name in enumerate(names):
            other = by_name.setdefault(normal(name), role_id)
            if other != role_id:
                field = "title" if index == 0 else "staff_names"
                raise JobdescError(
                    f"roles/{role_id}.yaml: {field}: «{name}» — так же называется роль {other}: по выгрузке "
                    "нельзя понять, чья это должность; оставьте это наименование одной роли"
                )
    return by_name


def _header(reader: Any, shown: str) -> dict[str, int]:  # noqa: ANN401 - csv's reader has no public type
    """The columns of the first row (among the top lines) that names them all."""
    try:
        for row in reader:
            columns: dict[str, int] = {}
            for index, cell in enumerate(row):
                key = HEADERS.get(normal(cell))
                if key is not None and key not in columns:
                    columns[key] = index
            if NAME in columns and NUMBER in columns:
                missing = [SHOWN[key] for key in REQUIRED if key not in columns]
                if missing:
                    raise JobdescError(f"{shown}:{reader.line_num}: в заголовке нет столбца: {', '.join(missing)}")
                return columns
            if reader.line_num >= HEADER_SEARCH:
                break
    except csv.Error as exc:
        raise JobdescError(f"{shown}:{reader.line_num}: таблица CSV повреждена: {_csv_reason(exc)}") from None
    raise JobdescError(
        f"{shown}: не найдена строка заголовка со столбцами «ФИО» (или «Сотрудник»), «Табельный номер», "
        "«Должность», «Дата приема»; разделитель столбцов — «;»"
    )


def _csv_reason(exc: csv.Error) -> str:
    """The csv module's English reason in Russian."""
    reason = str(exc)
    if "field larger than field limit" in reason:
        return (
            f'в ячейке больше {csv.field_size_limit()} знаков (возможно, кавычка «"» открыта и не закрыта) — '
            "это не выгрузка штатной расстановки"
        )
    if "NUL" in reason:
        return "в файле нулевые байты — это не текстовый файл CSV"
    if "new-line character seen in unquoted field" in reason:
        return "перевод строки внутри ячейки без кавычек"
    return reason


def _role_for(
    position: str, by_title: dict[str, str], titles: dict[str, str], shown: str, line: int, warnings: list[Problem]
) -> str | None:
    """The role whose title is ``position``: exact (loosely), else the most similar above :data:`SIMILAR`."""
    exact = by_title.get(normal(position))
    if exact is not None:
        return exact
    # lazy: brings rapidfuzz; loaded only by the commands that get here
    from rapidfuzz import fuzz, process

    names = sorted(by_title)  # every name a role goes by: its title and its staff_names
    best = process.extractOne(normal(position), names, scorer=fuzz.token_sort_ratio, score_cutoff=SIMILAR)
    if best is None:
        return None
    role_id = by_title[best[0]]
    warnings.append(
        Problem(
            shown,
            line,
            SHOWN[POSITION],
            f"«{position}» сопоставлена с ролью {role_id} («{titles[role_id]}») по сходству ({best[1]:.0f}%) — "
            "проверьте staff.yaml",
            WARNING,
        )
    )
    return role_id


def staff_yaml(employees: list[Employee]) -> bytes:
    """The text of ``staff.yaml`` for these employees."""

    def quoted(text: str) -> str:  # a JSON string is a YAML double-quoted scalar: «0000019» stays text
        return json.dumps(text, ensure_ascii=False)

    body = "employees:\n" + "".join(
        f"  - name: {quoted(e.name)}\n    number: {quoted(e.number)}\n    role: {e.role}\n"
        f"    hired: {quoted(e.hired.isoformat())}\n"
        for e in employees
    )
    if not employees:
        body = "employees: []\n"
    head = (
        "# Работники на должностях — ПЕРСОНАЛЬНЫЕ ДАННЫЕ (152-ФЗ): не кладите этот файл в общий репозиторий.\n"
        "# Заполнен командой jobdesc staff import; правки вручную сохраняются до следующего импорта.\n"
    )
    return (head + body).encode("utf-8")


def _dropped(root: Path, employees: list[Employee]) -> tuple[tuple[Employee, int], ...]:
    """Who is in the current ``staff.yaml`` with acknowledgment records but not among ``employees``."""
    # lazy: brings PyYAML; loaded only by the commands that get here
    from jobdesc.people.acks import ACKS_DIR

    try:
        before = load_staff(root)
    except ProblemsError:
        return ()  # a broken staff.yaml is replaced whole; check named its problems
    kept = {employee.number for employee in employees}
    folder = personal_folder(root) / ACKS_DIR
    return tuple(
        (employee, count)
        for employee in before
        if employee.number not in kept and (count := len(list(folder.glob(f"*/{employee.number}.*.yaml")))) > 0
    )


def import_staff(
    root: Path, source: Path, shown: str, titles: dict[str, str], aliases: dict[str, tuple[str, ...]] | None = None
) -> tuple[Path, Imported]:
    """Read the export and write ``staff.yaml`` atomically (nothing is written when a row is bad)."""
    # lazy: jobdesc.disk.fsutil and what it imports (15 modules) load only for the commands that get here
    from jobdesc.disk.fsutil import atomic_write
    from jobdesc.people.staff import require_personal_folder
    from jobdesc.project.yamlio import MAX_FILE_BYTES

    require_personal_folder(root)  # before the export is read: the private folder jobdesc.yaml names is there
    imported = read_staff_csv(source, shown, titles, aliases)

    path = staff_path(root)
    target = private_target(root, path)  # staff.yaml → private/staff.yaml stays a link
    if not imported.employees:
        before = collect_staff(root, None, [])
        if before:
            skipped = sum(imported.skipped.values())
            raise JobdescError(
                f"{shown}: в выгрузке нет ни одного работника на должностях ролей проекта"
                + (f" (строк с другими должностями: {skipped})" if skipped else "")
                + f" — staff.yaml не заменен (работников в нем: {len(before)}): проверьте, та ли это выгрузка"
            )
    imported = replace(imported, dropped=_dropped(root, imported.employees))
    data = staff_yaml(imported.employees)
    if len(data) > MAX_FILE_BYTES:
        raise JobdescError(
            f"{shown}: staff.yaml вышел бы больше {MAX_FILE_BYTES // (1024 * 1024)} МБ ({len(imported.employees)} "
            "работников), а такой файл jobdesc check не примет — не записан"
        )
    atomic_write(target, data)
    return path, imported
