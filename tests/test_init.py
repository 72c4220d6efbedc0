"""``jobdesc init`` and ``jobdesc templates``: an organisation's project outside this repository."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from helpers import REPO_ROOT, assert_clean_failure, run_cli

from jobdesc.commands.textconv import docx_text

SCHEMA_PREFIX = "# yaml-language-server: $schema="
PLACEHOLDER_FIELDS = [
    "organisation.name",
    "organisation.short_name",
    "organisation.city",
    "approver.position",
    "approver.name",
]
EXPECTED = [
    ".gitattributes",
    ".gitignore",
    ".jobdesc/config.schema.json",
    ".jobdesc/policy.schema.json",
    ".jobdesc/role.schema.json",
    ".pre-commit-config.yaml",
    "jobdesc.yaml",
    "roles/_common.yaml",
    "roles/kam-manager.yaml",
]


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and ".git" not in p.parts)


def fill_in(project: Path) -> None:
    """Replace the placeholders of jobdesc.yaml by the organisation of the shipped project."""
    own = yaml.safe_load((REPO_ROOT / "jobdesc.yaml").read_text(encoding="utf-8"))
    text = (project / "jobdesc.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    for section in ("organisation", "approver"):
        for key, value in data[section].items():
            text = text.replace(f'"{value}"', own[section][key], 1)
    (project / "jobdesc.yaml").write_text(text, encoding="utf-8")


def schema_target(role_file: Path) -> Path:
    first = role_file.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(SCHEMA_PREFIX), first
    return (role_file.parent / first[len(SCHEMA_PREFIX) :]).resolve()


def test_init_makes_a_project_that_check_sends_back_to_the_placeholders(tmp_path: Path) -> None:
    project = tmp_path / "hr"

    result = run_cli("init", project)

    assert result.exit_code == 0, (result.output, result.exception)
    assert sorted(result.stdout.splitlines()) == EXPECTED
    assert tree(project) == EXPECTED
    assert 'git config diff.jobdesc.textconv "jobdesc textconv"' in result.stderr, "the line to run is printed"
    assert (project / ".gitignore").read_text(
        encoding="utf-8"
    ) == "output/\n.jobdesc/approval-journal.json\n.jobdesc/approval.lock\n"
    assert (project / ".gitattributes").read_text(encoding="utf-8") == "*.docx diff=jobdesc\n"
    hooks = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert hooks["repos"][0]["hooks"][0]["entry"].endswith("exec jobdesc check --strict'")

    lines = assert_clean_failure(run_cli("-C", project, "check"))

    text = (project / "jobdesc.yaml").read_text(encoding="utf-8").splitlines()
    assert [line.split(": ")[1] for line in lines] == PLACEHOLDER_FIELDS
    for line in lines:
        number = int(line.split(":")[1])
        assert "[" in text[number - 1], (line, text[number - 1])


def test_filled_in_it_checks_and_builds_from_the_shipped_templates(tmp_path: Path) -> None:
    project = tmp_path / "hr"
    assert run_cli("init", project).exit_code == 0
    fill_in(project)

    checked = run_cli("-C", project, "check")
    built = run_cli("-C", project, "build")

    assert checked.exit_code == 0, checked.output
    assert checked.stdout == "Ошибок нет: 1 роль, ее редакции, шаблоны, стили и jobdesc.yaml в порядке.\n"
    assert built.exit_code == 0, built.output
    assert built.stdout == "output/kam-manager.docx\n"
    text = docx_text(project / "output" / "kam-manager.docx")
    assert "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ" in text and "Северный ветер" in text
    assert not (project / "templates").exists()


def test_init_in_a_git_repository_sets_up_textconv(tmp_path: Path) -> None:
    if not shutil.which("git"):
        pytest.skip("git is not installed")
    project = tmp_path / "hr"
    project.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=project, check=True)
    (project / ".gitignore").write_text("*.tmp", encoding="utf-8")

    result = run_cli("init", project)

    assert result.exit_code == 0, result.output
    configured = subprocess.run(
        ["git", "config", "diff.jobdesc.textconv"], cwd=project, capture_output=True, text=True, check=True
    )
    assert configured.stdout.strip() == "jobdesc textconv"
    assert (project / ".gitignore").read_text(encoding="utf-8") == (
        "*.tmp\noutput/\n.jobdesc/approval-journal.json\n.jobdesc/approval.lock\n"
    ), "the user's lines stay"
    ignored = subprocess.run(  # an approval's journal and lock are never committed; the schemas are
        [
            "git",
            "check-ignore",
            ".jobdesc/approval-journal.json",
            ".jobdesc/approval.lock",
            ".jobdesc/role.schema.json",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ignored.stdout.splitlines() == [".jobdesc/approval-journal.json", ".jobdesc/approval.lock"]


def test_init_into_the_folder_of_dash_c(tmp_path: Path) -> None:
    result = run_cli("-C", tmp_path / "hr", "init")

    assert result.exit_code == 0, result.output
    assert tree(tmp_path / "hr") == EXPECTED


def test_init_refuses_an_existing_project_and_changes_nothing(tmp_path: Path) -> None:
    project = tmp_path / "hr"
    assert run_cli("init", project).exit_code == 0
    (project / "roles" / "kam-manager.yaml").write_text("changed\n", encoding="utf-8")
    before = {name: (project / name).read_bytes() for name in tree(project)}

    lines = assert_clean_failure(run_cli("init", project))

    assert len(lines) == 1 and "jobdesc.yaml" in lines[0], lines
    assert {name: (project / name).read_bytes() for name in tree(project)} == before


@pytest.mark.parametrize(
    ("make", "said"),
    [
        (
            lambda path: path.write_bytes(b"\xff\xfe output/\n"),
            ".gitignore: файл не в кодировке UTF-8 — ничего не изменено",
        ),
        (lambda path: __import__("os").mkfifo(path), ".gitignore: не удается прочитать файл: это не обычный файл"),
    ],
)
def test_a_gitignore_init_cannot_read_is_one_line_and_nothing_written(tmp_path: Path, make, said: str) -> None:  # noqa: ANN001
    """``init`` reads the folder's own ``.gitignore`` through the door, before it writes anything."""
    project = tmp_path / "hr"
    project.mkdir()
    make(project / ".gitignore")

    lines = assert_clean_failure(run_cli("init", project))

    assert len(lines) == 1 and lines[0].startswith(said), lines
    assert sorted(path.name for path in project.iterdir()) == [".gitignore"]


def test_the_schema_line_resolves_in_the_project_and_check_keeps_it_current(tmp_path: Path) -> None:
    project = tmp_path / "hr"
    assert run_cli("init", project).exit_code == 0
    fill_in(project)
    schema = run_cli("schema", "role").stdout

    example = schema_target(project / "roles" / "kam-manager.yaml")
    assert example == (project / ".jobdesc" / "role.schema.json").resolve()
    assert example.read_text(encoding="utf-8") == schema
    assert run_cli("-C", project, "new", "sales-rep", "--title", "Торговый представитель").exit_code == 0
    assert schema_target(project / "roles" / "sales-rep.yaml") == example
    config_line = (project / "jobdesc.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert (project / config_line[len(SCHEMA_PREFIX) :]).read_text(encoding="utf-8") == run_cli(
        "schema", "config"
    ).stdout

    example.write_text("{}\n", encoding="utf-8")  # the schema of an older jobdesc
    assert run_cli("-C", project, "check").exit_code == 0

    assert example.read_text(encoding="utf-8") == schema


def test_templates_copy_lists_copies_and_refuses_to_overwrite(tmp_path: Path) -> None:
    project = tmp_path / "hr"
    assert run_cli("init", project).exit_code == 0
    fill_in(project)

    listed = run_cli("-C", project, "templates", "copy")
    copied = run_cli("-C", project, "templates", "copy", "approval.md.j2")
    again = run_cli("-C", project, "templates", "copy", "approval.md.j2")
    unknown = run_cli("-C", project, "templates", "copy", "approvals.md.j2")
    relisted = run_cli("-C", project, "templates")

    assert listed.exit_code == 0
    assert "job-description.md.j2" in listed.stdout.splitlines()
    assert "styles.docx" in listed.stdout.splitlines()
    assert copied.stdout == "templates/approval.md.j2\n"
    assert (project / "templates" / "approval.md.j2").read_bytes() == (
        REPO_ROOT / "jobdesc" / "templates" / "approval.md.j2"
    ).read_bytes()
    assert "templates/approval.md.j2" in assert_clean_failure(again)[0]
    assert "approval.md.j2" in assert_clean_failure(unknown)[0]
    assert "approval.md.j2  (заменен файлом templates/ проекта)" in relisted.stdout.splitlines()


def test_the_starter_is_the_shipped_example() -> None:
    """``jobdesc/starter/`` follows ``roles/``: regenerate with ``python tools/update_starter.py``."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("update_starter", REPO_ROOT / "tools" / "update_starter.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    for name, data in module.starter_files().items():
        assert (REPO_ROOT / "jobdesc" / "starter" / name).read_bytes() == data, (
            f"run python tools/update_starter.py ({name})"
        )


def test_approve_waits_for_the_placeholders_to_be_filled_in(tmp_path: Path) -> None:
    """An approved edition is never changed, so it must not record «[Фамилия Имя Отчество]»."""
    project = tmp_path / "hr"
    assert run_cli("init", project).exit_code == 0

    lines = assert_clean_failure(run_cli("-C", project, "approve", "kam-manager", "--date", "2026-12-01"))

    assert "jobdesc.yaml:5: organisation.name: заготовка" in lines[0], lines
    assert not (project / "roles" / "kam-manager.editions").exists()
    fill_in(project)
    assert run_cli("-C", project, "approve", "kam-manager", "--date", "2026-12-01").exit_code == 0
