"""staff.yaml: the employees on each position, checked with file and line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from helpers import assert_clean_failure, line_of, run_cli

from jobdesc.staff import Employee, load_staff

DATA = Path(__file__).parent / "data" / "staff"


def with_staff(project: Path) -> Path:
    shutil.copy2(DATA / "staff.yaml", project / "staff.yaml")
    return project / "staff.yaml"


def test_load_staff_reads_the_shipped_sample(project: Path) -> None:
    with_staff(project)
    staff = load_staff(project)
    assert [e.name for e in staff] == [
        "Кузнецов Дмитрий Олегович",
        "Соколова Анна Викторовна",
        "Громов Павел Сергеевич",
    ]
    assert staff[1] == Employee("Соколова Анна Викторовна", "0000012", "kam-manager", dt.date(2023, 4, 3), 7)


def test_no_staff_file_is_no_employee(project: Path) -> None:
    assert load_staff(project) == []
    assert run_cli("-C", project, "check").exit_code == 0


def test_check_accepts_the_sample(project: Path) -> None:
    with_staff(project)
    result = run_cli("-C", project, "check")
    assert result.exit_code == 0, result.output


def test_check_reports_unknown_role_and_repeated_number(project: Path) -> None:
    path = with_staff(project)
    text = path.read_text(encoding="utf-8")
    text = text.replace('"0000019"', '"0000012"').replace("role: kam-head", "role: kam-heda")
    path.write_text(text, encoding="utf-8")
    lines = assert_clean_failure(run_cli("-C", project, "check"))
    repeated = line_of(text, '    number: "0000012"', line_of(text, "  - name: Громов"))
    assert f"staff.yaml:{repeated}: employees[3].number: табельный номер 0000012 уже указан в строке 8" in lines
    role_line = line_of(text, "    role: kam-heda")
    assert f"staff.yaml:{role_line}: employees[1].role: роли kam-heda нет (roles/kam-heda.yaml)" in lines
    assert len(lines) == 2


def test_check_reports_an_impossible_date_and_a_misspelt_field(project: Path) -> None:
    path = with_staff(project)
    text = path.read_text(encoding="utf-8").replace('"2023-04-03"', '"2023-02-30"')
    path.write_text(text, encoding="utf-8")
    lines = assert_clean_failure(run_cli("-C", project, "check"))
    bad = line_of(text, '    hired: "2023-02-30"')
    assert lines == [f"staff.yaml:{bad}: employees[2].hired: несуществующая дата 2023-02-30"]
    path.write_text(text.replace("    hired:", "    hried:", 1), encoding="utf-8")
    lines = assert_clean_failure(run_cli("-C", project, "check"))
    assert any(line.startswith("staff.yaml:6: employees[1].hried: неизвестное поле") for line in lines), lines
