"""staff.yaml: the employees on each position, checked with file and line."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from helpers import assert_clean_failure, line_of, run_cli

from jobdesc.people.staff import Employee, load_staff

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


EXPORT = DATA / "shtatnaya-rasstanovka.csv"  # «Штатная расстановка» of 1С:ЗУП saved as CSV, Windows-1251


def test_import_from_a_windows_1251_export(project: Path) -> None:
    result = run_cli("-C", project, "staff", "import", EXPORT)
    assert result.exit_code == 0, result.output
    assert result.stdout == "staff.yaml: 4 работника\n"
    assert (
        f"внимание: {EXPORT}:9: Должность: «Менеджер по работе с ключевыми  клиентами (KAM)» сопоставлена с ролью kam-manager"
        in result.stderr
    )
    assert (
        f"внимание: {EXPORT}: должность «Главный бухгалтер» — нет роли с таким наименованием, пропущено строк: 1 "
        "(если так в учетной системе называется одна из ролей — например, прежним наименованием, — добавьте в ее "
        'файл строку «staff_names: ["Главный бухгалтер"]» и повторите импорт)\n' in result.stderr
    )
    staff = load_staff(project)
    assert [(e.name, e.number, e.role, e.hired.isoformat()) for e in staff] == [
        ("Кузнецов Дмитрий Олегович", "0000007", "kam-head", "2022-09-01"),
        ("Соколова Анна Викторовна", "0000012", "kam-manager", "2023-04-03"),
        ("Громов Павел Сергеевич", "0000019", "kam-manager", "2026-12-07"),
        ("Лебедева Ольга Игоревна", "0000023", "kam-manager", "2025-01-15"),
    ]
    assert run_cli("-C", project, "check").exit_code == 0


def test_import_from_utf8_with_and_without_bom(project: Path, tmp_path: Path) -> None:
    text = EXPORT.read_bytes().decode("cp1251")
    for name, data in (("bom.csv", b"\xef\xbb\xbf" + text.encode()), ("plain.csv", text.encode())):
        (tmp_path / name).write_bytes(data)
        result = run_cli("-C", project, "staff", "import", tmp_path / name)
        assert result.exit_code == 0, result.output
        assert [e.name for e in load_staff(project)][:2] == ["Кузнецов Дмитрий Олегович", "Соколова Анна Викторовна"]


def test_bad_rows_are_each_named_and_nothing_is_written(project: Path, tmp_path: Path) -> None:
    before = with_staff(project).read_bytes()
    lines = EXPORT.read_bytes().decode("cp1251").split("\r\n")
    lines[5] = lines[5].replace("Кузнецов Дмитрий Олегович", "")
    lines[6] = lines[6].replace("03.04.2023", "31.04.2023")
    lines[7] = lines[7].replace("0000019", "0000023")
    bad = tmp_path / "export.csv"
    bad.write_bytes("\r\n".join(lines).encode("cp1251"))
    errors = assert_clean_failure(run_cli("-C", project, "staff", "import", bad))
    assert errors == [
        f"{bad}:6: ФИО: пусто",
        f"{bad}:7: Дата приема: «31.04.2023» — не дата (ДД.ММ.ГГГГ или ГГГГ-ММ-ДД)",
        f"{bad}:9: Табельный номер: табельный номер 0000023 уже был в строке 8",
    ]
    assert (project / "staff.yaml").read_bytes() == before


def test_an_export_without_the_columns_is_refused(project: Path, tmp_path: Path) -> None:
    bad = tmp_path / "list.csv"
    bad.write_text("Сотрудник;Табельный номер;Подразделение\nИванов Иван Иванович;1;Склад\n", encoding="utf-8")
    errors = assert_clean_failure(run_cli("-C", project, "staff", "import", bad))
    assert errors == [f"{bad}:1: в заголовке нет столбца: Должность, Дата приема"]
    assert not (project / "staff.yaml").exists()


def ack_rows(path: Path) -> list[list[list[str]]]:
    """The rows (cell texts) of every acknowledgment table of a DOCX, one list per copy."""
    import docx
    from helpers import ACK_HEADER

    tables = []
    for table in docx.Document(str(path)).tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        if tuple(rows[0][:5]) == ACK_HEADER:  # copy 1 has the receipt column too
            tables.append([row[:5] for row in rows[1:]])
    return tables


def test_build_prefills_the_acknowledgment_sheet_with_the_holders(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run = run_cli("-C", project, "build", "--out", out)
    assert run.exit_code == 0, run.output
    blank = ack_rows(out / "kam-manager.docx")
    assert len(blank) == 2 and all(len(rows) == 10 and not any(row[1] for row in rows) for rows in blank)
    with_staff(project)
    run = run_cli("-C", project, "build", "--out", out)  # staff.yaml changed: the sheets are rebuilt
    assert run.exit_code == 0, run.output
    assert "output" not in run.stdout and "kam-manager.docx" in run.stdout
    for rows in ack_rows(out / "kam-manager.docx"):  # both copies
        assert rows[:2] == [
            ["1", "Соколова Анна Викторовна", "Менеджер по работе с ключевыми клиентами", "", ""],
            ["2", "Громов Павел Сергеевич", "Менеджер по работе с ключевыми клиентами", "", ""],
        ]
        assert rows[2:] == [[str(n), "", "", "", ""] for n in range(3, 11)]  # the pen's rows up to 10
    head = ack_rows(out / "kam-head.docx")[0]
    assert head[0] == ["1", "Кузнецов Дмитрий Олегович", "Начальник отдела по работе с ключевыми клиентами", "", ""]


def test_a_broken_staff_file_fails_the_build_with_its_line(project: Path, tmp_path: Path) -> None:
    path = with_staff(project)
    path.write_text(path.read_text(encoding="utf-8").replace("kam-head", "kam-chief"), encoding="utf-8")
    lines = assert_clean_failure(run_cli("-C", project, "build", "--out", tmp_path / "out"))
    assert "staff.yaml:5: employees[1].role: роли kam-chief нет (roles/kam-chief.yaml)" in lines


def test_per_employee_writes_a_named_copy_2_for_each_holder(project: Path, tmp_path: Path) -> None:
    from helpers import COPY_MARK_1, COPY_MARK_2

    from jobdesc.commands.textconv import docx_text

    with_staff(project)
    out = tmp_path / "out"
    run = run_cli("-C", project, "build", "--out", out, "--per-employee")
    assert run.exit_code == 0, run.output
    named = sorted(p.name for p in out.glob("*.copy2.*.docx"))
    assert named == [
        "kam-head.copy2.0000007.docx",
        "kam-manager.copy2.0000012.docx",
        "kam-manager.copy2.0000019.docx",
    ]
    copy = out / "kam-manager.copy2.0000019.docx"
    text = docx_text(copy)
    assert COPY_MARK_2 in text and COPY_MARK_1 not in text
    (rows,) = ack_rows(copy)
    assert rows[0] == ["1", "Громов Павел Сергеевич", "Менеджер по работе с ключевыми клиентами", "", ""]
    assert "Соколова" not in text
    assert not any(row[1] for row in rows[1:])
    run = run_cli("-C", project, "build", "--out", out)  # without the option the named copies go
    assert run.exit_code == 0, run.output
    assert not list(out.glob("*.copy2.*.docx"))
