"""Issue 19, point 13: ``check`` warns when the documents of a unit disagree — a function of the
department regulation that no duty of the unit's roles takes on, an instruction naming a unit that
no regulation describes or names, an instruction whose guiding documents leave out its unit's
regulation. Warnings: ``check`` exits 0 and says them on stderr; with ``--strict`` they are errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_project, line_of, run_cli

POLICY = "policies/kam-department.yaml"
MANAGER = "roles/kam-manager.yaml"
PLANNING = "          - Разработка планов развития ключевых клиентов, их утверждение начальником Отдела и контроль их выполнения.\n"
FUNCTION = "Ведение архива судебных решений по спорам о банкротстве контрагентов."
REGULATION = "  - Положением об отделе по работе с ключевыми клиентами.\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", editions="all")


def _check(root: Path, *args: str) -> tuple[int, list[str], str]:
    result = run_cli("-C", root, "check", *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.stderr.splitlines(), result.stdout


def _edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_shipped_project_is_consistent(project: Path) -> None:
    """Every function of the shipped regulation is some role's duty, both roles name the unit by its
    regulation and are guided by it: no warning at all."""
    code, stderr, stdout = _check(project, "--strict")
    assert code == 0 and stderr == [], stderr
    assert "Предупреждений" not in stdout


def test_a_function_no_duty_takes_on_is_named_with_its_line(project: Path) -> None:
    _edit(project, POLICY, PLANNING, PLANNING + f"          - {FUNCTION}\n")
    line = line_of((project / POLICY).read_text(encoding="utf-8"), f"          - {FUNCTION}")

    code, stderr, stdout = _check(project)

    assert code == 0, stderr
    assert stderr == [
        f"{POLICY}:{line}: sections[4].clauses[1].items[5]: функцию «{FUNCTION}» не выполняет ни одна должность "
        "подразделения: ни одна обязанность в их инструкциях ей не соответствует — добавьте обязанность или уберите "
        "функцию"
    ]
    assert "Предупреждений: 1" in stdout
    assert _check(project, "--strict")[0] == 1
    # given to the manager as a duty, the function is taken on: the warning goes
    _edit(
        project,
        MANAGER,
        "\nduties:\n",
        "\nduties:\n  - Ведет архив судебных решений по спорам о банкротстве контрагентов.\n",
    )
    assert _check(project)[1] == []


def test_an_instruction_naming_an_unknown_unit_is_warned(project: Path) -> None:
    source = (project / MANAGER).read_text(encoding="utf-8")
    analyst = source.replace(
        "title: Менеджер по работе с ключевыми клиентами", "title: Аналитик по работе с ключевыми клиентами"
    ).replace("department: kam-department", "department: Отдел продаж ключевым клиентам")
    (project / "roles" / "kam-analyst.yaml").write_text(analyst, encoding="utf-8")
    line = line_of(analyst, "department:")

    code, stderr, _ = _check(project)

    assert code == 0, stderr
    assert stderr == [
        f"roles/kam-analyst.yaml:{line}: department: подразделение «Отдел продаж ключевым клиентам» не описано ни "
        "одним положением проекта и не названо в них — проверьте наименование (одно на все документы) или укажите "
        "идентификатор положения"
    ]
    # a unit the regulation names (its table of relationships) is a known name
    path = project / "roles" / "kam-analyst.yaml"
    path.write_text(analyst.replace("Отдел продаж ключевым клиентам", "Отдел маркетинга"), encoding="utf-8")
    assert _check(project)[1] == []


def test_guiding_documents_without_the_units_regulation_are_warned(project: Path) -> None:
    _edit(project, MANAGER, REGULATION, "")
    line = line_of((project / MANAGER).read_text(encoding="utf-8"), "guiding_documents:")

    code, stderr, _ = _check(project)

    assert code == 0, stderr
    assert stderr == [
        f"{MANAGER}:{line}: guiding_documents: среди документов, которыми руководствуется работник, нет положения "
        "его подразделения — добавьте «Положением об отделе по работе с ключевыми клиентами.»"
    ]
