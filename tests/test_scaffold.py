"""``jobdesc new``: a skeleton that passes ``check``, a copy of a role, and every refusal."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from helpers import copy_project, run_cli

REPO = Path(__file__).resolve().parent.parent
# A project outside jobdesc's repository: the schema is written into the project's .jobdesc/.
SCHEMA_LINE = "# yaml-language-server: $schema=../.jobdesc/role.schema.json"


run = run_cli


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", editions=False)


def assert_refused(result, *needles: str) -> str:  # noqa: ANN001
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    for needle in needles:
        assert needle in lines[0], lines
    return lines[0]


def roles_in(project: Path) -> list[str]:
    return sorted(p.name for p in (project / "roles").iterdir())


def test_new_skeleton_passes_check(project: Path) -> None:
    result = run("-C", project, "new", "sales-rep", "--title", "Торговый представитель")

    assert result.exit_code == 0, result.output
    assert result.stdout == "roles/sales-rep.yaml\n"
    text = (project / "roles" / "sales-rep.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == SCHEMA_LINE
    assert (project / ".jobdesc" / "role.schema.json").is_file(), "the schema line resolves in the project"
    checked = run("-C", project, "check")
    assert checked.exit_code == 0, checked.output
    assert "3 роли" in checked.stdout


@pytest.mark.parametrize(
    ("args", "written"),
    [
        (["sales-rep", "--title", "Торговый представитель"], "roles/sales-rep.yaml"),
        (["sales-department", "--policy", "--title", "Положение об отделе продаж"], "policies/sales-department.yaml"),
    ],
)
def test_new_skeleton_names_no_schema_file_the_project_lacks(project: Path, args: list[str], written: str) -> None:
    """Outside jobdesc's repository there is no jobdesc/schema/: every schema file a comment of the
    skeleton names is one the editor finds from the file's folder."""
    import re

    assert run("-C", project, "new", *args).exit_code == 0
    path = project / written
    named = re.findall(r"[\w./-]+\.schema\.json", path.read_text(encoding="utf-8"))
    assert named, "the skeleton says where its fields are described"
    for name in named:
        assert (path.parent / name).is_file(), f"{written} names {name}, which is not there"


def section_titles(path: Path) -> list[str]:
    return [section["title"] for section in yaml.safe_load(path.read_text(encoding="utf-8"))["sections"]]


@pytest.mark.parametrize(
    "title", ["Положение об отделе продаж", "Положение о службе безопасности", "Положение о бухгалтерии"]
)
def test_new_policy_of_a_unit_has_the_sections_of_a_department_regulation(project: Path, title: str) -> None:
    result = run("-C", project, "new", "unit-rules", "--policy", "--title", title)

    assert result.exit_code == 0, result.output
    path = project / "policies" / "unit-rules.yaml"
    assert section_titles(path)[:3] == ["Общие положения", "Структура и численность", "Задачи"]
    assert 'unit: "[' in path.read_text(encoding="utf-8"), "the unit's name is asked for"
    checked = run("-C", project, "check")
    assert checked.exit_code == 0, checked.output


@pytest.mark.parametrize(
    "title",
    [
        "Положение о коммерческой тайне",
        "Положение об оплате труда работников",
        "Правила внутреннего трудового распорядка",
        "Политика в отношении обработки персональных данных",
    ],
)
def test_new_policy_on_a_subject_is_no_department_regulation(project: Path, title: str) -> None:
    """A regulation on a subject has no «Структура и численность» and no unit guessed from its title
    («# unit: трудового распорядка» was one)."""
    result = run("-C", project, "new", "local-act", "--policy", "--title", title)

    assert result.exit_code == 0, result.output
    path = project / "policies" / "local-act.yaml"
    assert section_titles(path) == ["Общие положения", "[Наименование раздела]", "Заключительные положения"]
    unit_line = next(line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("# unit:"))
    assert title.split(" ", 2)[2] not in unit_line, unit_line
    assert run("-C", project, "check").exit_code == 0


def test_approve_names_the_line_of_a_placeholder_left(project: Path) -> None:
    assert (
        run("-C", project, "new", "sales-department", "--policy", "--title", "Положение об отделе продаж").exit_code
        == 0
    )
    lines = (project / "policies" / "sales-department.yaml").read_text(encoding="utf-8").splitlines()
    unit_line = next(n for n, line in enumerate(lines, start=1) if line.startswith("unit:"))

    line = assert_refused(run("-C", project, "approve", "sales-department", "--date", "2026-12-01"))

    assert line.startswith(f"policies/sales-department.yaml:{unit_line}: unit: в тексте осталась заготовка"), line
    assert not (project / "policies" / "sales-department.editions").exists()


def test_new_policy_refuses_a_role_to_copy_in_russian(project: Path) -> None:
    result = run(
        "-C", project, "new", "x-pol", "--policy", "--from", "kam-manager", "--title", "Положение об отделе продаж"
    )

    assert_refused(result, "policies/kam-manager.yaml: такого положения нет (--from)")
    assert not (project / "policies" / "x-pol.yaml").exists()


def test_new_policy_refuses_a_title_without_its_type(project: Path) -> None:
    line = assert_refused(run("-C", project, "new", "sales", "--policy", "--title", "Отдел продаж"), "--title")

    assert "«Положение …»" in line, line
    assert not (project / "policies" / "sales.yaml").exists()


def test_new_skeleton_has_every_required_field_and_shared_clauses(project: Path) -> None:
    run("-C", project, "new", "sales-rep", "--title", "Торговый представитель")

    data = yaml.safe_load((project / "roles" / "sales-rep.yaml").read_text(encoding="utf-8"))

    required = yaml.safe_load((REPO / "jobdesc" / "schema" / "role.schema.json").read_text(encoding="utf-8"))[
        "required"
    ]
    assert set(required) <= set(data)
    assert data["title"] == "Торговый представитель"
    assert data["category"] == "specialists"
    for key in ("guiding_documents", "responsibility", "final_provisions"):
        assert {"use": "common"} in data[key], key


def test_new_skeleton_builds(project: Path) -> None:
    run("-C", project, "new", "sales-rep", "--title", "Торговый представитель")

    result = run("-C", project, "build", "sales-rep", "--out", project / "out")

    assert result.exit_code == 0, result.output
    assert (project / "out" / "sales-rep.docx").is_file()


def test_new_skeleton_without_common_file_uses_placeholders(project: Path) -> None:
    (project / "roles" / "_common.yaml").unlink()
    for role in ("kam-manager", "kam-head"):
        (project / "roles" / f"{role}.yaml").unlink()
    shutil.rmtree(project / "policies")  # its head is gone

    result = run("-C", project, "new", "sales-rep", "--title", "Торговый представитель")

    assert result.exit_code == 0, result.output
    data = yaml.safe_load((project / "roles" / "sales-rep.yaml").read_text(encoding="utf-8"))
    assert all(isinstance(item, str) for item in data["responsibility"])
    assert run("-C", project, "check").exit_code == 0


@pytest.mark.parametrize(
    "title", ['Менеджер: по "работе" #1', "  Старший   менеджер\n по продажам  ", "{{ role }} — 'x'"]
)
def test_new_quotes_the_title(project: Path, title: str) -> None:
    result = run("-C", project, "new", "x1", "--title", title)

    assert result.exit_code == 0, result.output
    data = yaml.safe_load((project / "roles" / "x1.yaml").read_text(encoding="utf-8"))
    assert data["title"] == " ".join(title.split())
    assert run("-C", project, "check").exit_code == 0


def test_new_from_copies_the_text_with_the_new_title(project: Path) -> None:
    result = run(
        "-C",
        project,
        "new",
        "kam-senior",
        "--title",
        "Старший менеджер по работе с ключевыми клиентами",
        "--from",
        "kam-manager",
    )

    assert result.exit_code == 0, result.output
    assert result.stdout == "roles/kam-senior.yaml\n"
    old = (project / "roles" / "kam-manager.yaml").read_text(encoding="utf-8").splitlines()
    new = (project / "roles" / "kam-senior.yaml").read_text(encoding="utf-8").splitlines()
    assert [line for line in old if line.startswith("number:")], "the source has a registration number"
    expected = [
        line.replace(
            "title: Менеджер по работе с ключевыми клиентами", "title: Старший менеджер по работе с ключевыми клиентами"
        )
        for line in old
        if not line.startswith("number:")
    ]
    assert new == expected, "only the title changes; the copy gets no registration number of its own"
    assert run("-C", project, "check").exit_code == 0


def test_new_from_drops_title_genitive_and_keeps_comments(project: Path) -> None:
    source = project / "roles" / "kam-manager.yaml"
    text = source.read_text(encoding="utf-8").replace(
        "number: ДИ-014\n",
        "title_genitive: >\n  менеджера по работе\n  с ключевыми клиентами\n# комментарий остается\nnumber: ДИ-014\n",
    )
    source.write_text(text, encoding="utf-8")

    result = run("-C", project, "new", "kam-2", "--title", "Менеджер проектов", "--from", "kam-manager")

    assert result.exit_code == 0, result.output
    copied = (project / "roles" / "kam-2.yaml").read_text(encoding="utf-8")
    assert "title_genitive" not in copied
    assert "менеджера по работе" not in copied
    assert "# комментарий остается\ncategory:" in copied
    assert "ДИ-014" not in copied, "the copy does not take the source's registration number"
    assert yaml.safe_load(copied)["title"] == "Менеджер проектов"
    assert run("-C", project, "check").exit_code == 0


def test_new_from_adds_the_schema_line_when_missing(project: Path) -> None:
    source = project / "roles" / "kam-head.yaml"
    source.write_text("\n".join(source.read_text(encoding="utf-8").splitlines()[1:]) + "\n", encoding="utf-8")

    result = run("-C", project, "new", "head-2", "--title", "Начальник отдела продаж", "--from", "kam-head")

    assert result.exit_code == 0, result.output
    assert (project / "roles" / "head-2.yaml").read_text(encoding="utf-8").splitlines()[0] == SCHEMA_LINE


def test_new_refuses_to_overwrite(project: Path) -> None:
    before = (project / "roles" / "kam-manager.yaml").read_bytes()

    result = run("-C", project, "new", "kam-manager", "--title", "Кто-то")

    assert_refused(result, "roles/kam-manager.yaml", "существует")
    assert (project / "roles" / "kam-manager.yaml").read_bytes() == before


def test_new_refuses_an_id_taken_by_a_yml_file(project: Path) -> None:
    (project / "roles" / "old-role.yml").write_text("title: x\n", encoding="utf-8")

    assert_refused(run("-C", project, "new", "old-role", "--title", "Кто-то"), "roles/old-role.yml")


@pytest.mark.parametrize(
    "role_id",
    [
        "",
        "..",
        "../evil",
        "a/b",
        "a\\b",
        "Kam",
        "kam_manager",
        "kam manager",
        "-kam",
        "kam-",
        "kam--x",
        "_common",
        "кам",
        "kam.yaml",
        "/tmp/x",
    ],
)
def test_new_refuses_invalid_id(project: Path, role_id: str) -> None:
    before = roles_in(project)

    result = run("-C", project, "new", "--title", "Кто-то", "--", role_id)

    assert_refused(result, "идентификатор")
    assert roles_in(project) == before
    assert not (project / "evil.yaml").exists()


@pytest.mark.parametrize("source", ["nope", "_common", "../jobdesc", "KAM-MANAGER"])
def test_new_refuses_unknown_from(project: Path, source: str) -> None:
    before = roles_in(project)

    result = run("-C", project, "new", "x", "--title", "Кто-то", "--from", source)

    assert_refused(result, "такой роли нет")
    assert roles_in(project) == before


def test_new_refuses_a_broken_source(project: Path) -> None:
    (project / "roles" / "kam-manager.yaml").write_text("title: [\n", encoding="utf-8")

    result = run("-C", project, "new", "x", "--title", "Кто-то", "--from", "kam-manager")

    assert_refused(result, "roles/kam-manager.yaml:")
    assert not (project / "roles" / "x.yaml").exists()


def test_new_refuses_an_empty_title(project: Path) -> None:
    assert_refused(run("-C", project, "new", "x", "--title", "   "), "--title")
    assert not (project / "roles" / "x.yaml").exists()


def test_new_creates_roles_folder(project: Path) -> None:
    shutil.rmtree(project / "roles")
    shutil.rmtree(project / "policies")  # its head would be gone

    result = run("-C", project, "new", "first", "--title", "Бухгалтер")

    assert result.exit_code == 0, result.output
    assert run("-C", project, "check").exit_code == 0


def test_new_outside_a_project(tmp_path: Path) -> None:
    result = run("-C", tmp_path, "new", "x", "--title", "Кто-то")

    assert_refused(result, "jobdesc.yaml")


def test_new_when_roles_is_a_file(project: Path) -> None:
    shutil.rmtree(project / "roles")
    (project / "roles").write_text("не папка", encoding="utf-8")

    assert_refused(run("-C", project, "new", "x", "--title", "Кто-то"), "roles: ", "папк")
