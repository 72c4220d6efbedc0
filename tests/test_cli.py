"""The command line: help, version, finding the project, and clean one-line failures of ``build``."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from helpers import assert_clean_failure, build_into, files_in, leftovers, line_of, override_templates, run_cli

import jobdesc
from jobdesc.cli.main import main

TEMPLATE = "templates/job-description.md.j2"


def test_main_help() -> None:
    result = run_cli("--help")
    assert result.exit_code == 0, result.output
    for name in ("check", "build"):
        assert name in result.stdout


@pytest.mark.parametrize("command", sorted(main.commands))
def test_every_command_has_help(command: str) -> None:
    result = run_cli(command, "--help")
    assert result.exit_code == 0, result.output
    assert command in result.stdout
    assert result.stderr == ""


def test_version() -> None:
    result = run_cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"jobdesc {jobdesc.__version__}\n"


def test_directory_option_from_another_folder(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    result = run_cli("-C", project, "check")

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Ошибок нет")


def test_project_found_from_a_subfolder(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project / "roles")

    result = run_cli("check")

    assert result.exit_code == 0, result.output


@pytest.mark.parametrize("command", ["check", "build"])
def test_outside_a_project(command: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.chdir(empty)

    lines = assert_clean_failure(run_cli(command))

    assert len(lines) == 1, lines
    assert "jobdesc.yaml" in lines[0]
    assert files_in(empty) == []


def test_build_prints_each_file_written(project: Path) -> None:
    result = run_cli("-C", project, "build")

    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "output/kam-head.docx",
        "output/kam-manager.docx",
        "output/kam-department.docx",
    ], "roles first, then regulations, each by id"
    assert files_in(project / "output") == ["kam-department.docx", "kam-head.docx", "kam-manager.docx"]
    for name in files_in(project / "output"):
        assert zipfile.is_zipfile(project / "output" / name)


def test_build_named_role_only(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build_into(project, out, "kam-head")
    assert result.stdout.splitlines() == [str(out / "kam-head.docx")]
    assert files_in(out) == ["kam-head.docx"]


def test_rebuild_replaces_files_and_leaves_no_temporary_files(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_into(project, out)
    (out / "kam-head.docx").write_bytes(b"old")
    build_into(project, out)
    assert files_in(out) == ["kam-department.docx", "kam-head.docx", "kam-manager.docx"]
    assert zipfile.is_zipfile(out / "kam-head.docx")
    assert leftovers(out) == []


@pytest.mark.parametrize("roles", [["unknown-role"], ["kam-manager", "unknown-role"]])
def test_build_unknown_role(project: Path, tmp_path: Path, roles: list[str]) -> None:
    out = tmp_path / "out"

    lines = assert_clean_failure(run_cli("-C", project, "build", *roles, "--out", out))

    assert len(lines) == 1, lines
    assert "unknown-role" in lines[0]
    assert files_in(out) == []


def test_build_into_a_path_under_a_file(project: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file.txt"
    blocker.write_text("not a folder", encoding="utf-8")

    lines = assert_clean_failure(run_cli("-C", project, "build", "--out", blocker / "out"))

    assert len(lines) == 1, lines
    assert "file.txt" in lines[0]
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_a_role_that_fails_half_way_writes_none_of_its_files(project: Path, tmp_path: Path) -> None:
    """One role's failure does not stop the others (issue 4), and leaves nothing of its own."""
    out = tmp_path / "out"
    (out / "kam-manager.docx").mkdir(parents=True)  # the manager's document cannot be written

    result = run_cli("-C", project, "build", "--out", out)

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    errors = [line for line in result.stderr.splitlines() if "kam-manager.docx" in line]
    assert errors and "на этом месте папка" in errors[0], result.stderr
    assert result.stdout.splitlines() == [str(out / "kam-head.docx"), str(out / "kam-department.docx")]
    assert files_in(out) == ["kam-department.docx", "kam-head.docx"]
    assert (out / "kam-manager.docx").is_dir()
    assert leftovers(out) == []


def test_a_role_with_several_files_writes_all_or_none(project: Path, tmp_path: Path) -> None:
    """Edition 2 gives kam-manager two files; when the second cannot be written, neither is."""
    path = project / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("\nduties:\n", "\nduties:\n  - Ведет переговоры с ключевыми клиентами.\n", 1), encoding="utf-8"
    )
    approved = run_cli("-C", project, "approve", "kam-manager", "--date", "2026-12-01", "--same-function")
    assert approved.exit_code == 0, approved.output
    out = tmp_path / "out"
    (out / "kam-manager.amendment-1.docx").mkdir(parents=True)

    result = run_cli("-C", project, "build", "--out", out, "kam-manager")

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{out / 'kam-manager.amendment-1.docx'}: не удается записать" in result.stderr, result.stderr
    assert not (out / "kam-manager.docx").exists(), "the role's other file is not written either"
    assert leftovers(out) == []


def test_a_broken_role_is_listed_and_the_others_are_built(project: Path, tmp_path: Path) -> None:
    path = project / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8").replace("\ncategory: specialists\n", "\ncategory: chief\n", 1)
    path.write_text(text, encoding="utf-8")
    out = tmp_path / "out"

    result = run_cli("-C", project, "build", "--out", out)

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"roles/kam-manager.yaml:{line_of(text, 'category:')}: category: ") for line in lines), (
        lines
    )
    assert "не собрано документов: 1" in lines[-1]
    assert files_in(out) == ["kam-department.docx", "kam-head.docx"], "the other documents are built"
    assert not any(name.startswith("kam-manager") for name in files_in(out))


def insert_into_template(project: Path, before: str, new_line: str) -> int:
    """Insert ``new_line`` before the first line starting with ``before``; returns its line number."""
    path = override_templates(project, "job-description.md.j2")
    text = path.read_text(encoding="utf-8")
    number = line_of(text, before)
    lines = text.split("\n")
    lines.insert(number - 1, new_line)
    path.write_text("\n".join(lines), encoding="utf-8")
    return number


@pytest.mark.parametrize("command", ["check", "build"])
def test_template_typo(project: Path, tmp_path: Path, command: str) -> None:
    line = insert_into_template(project, "## Права", "{{ role.dutes }}")
    args = ["build", "kam-head", "kam-manager", "--out", tmp_path / "out"] if command == "build" else ["check"]

    lines = assert_clean_failure(run_cli("-C", project, *args))

    errors = template_errors(lines, command)
    assert errors[0].startswith(f"{TEMPLATE}:{line}: "), lines
    assert "dutes" in errors[0]
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize(
    ("expression", "attribute"),
    [
        ("role.__class__.__mro__", "__class__"),
        ("role.requirements.__dict__", "__dict__"),
        ("approval.__module__", "__module__"),  # text, as a field would be
        ("org.__doc__", "__doc__"),
        ("role.forms.__class__", "__class__"),
    ],
)
def test_template_reaching_for_the_internals_of_jobdescs_own_data(
    project: Path, tmp_path: Path, expression: str, attribute: str
) -> None:
    """A role's, an approval's fields are read quickly; what starts with «_» still goes through the sandbox."""
    line = insert_into_template(project, "## Права", f"{{{{ role.requirements.education }}}} {{{{ {expression} }}}}")

    lines = assert_clean_failure(run_cli("-C", project, "build", "kam-manager", "--out", tmp_path / "out"))

    errors = template_errors(lines, "build")
    assert errors[0].startswith(f"{TEMPLATE}:{line}: "), lines
    assert attribute in errors[0] and "песочнице" in errors[0], errors[0]
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize("command", ["check", "build"])
def test_template_reaching_for_python_internals(project: Path, tmp_path: Path, command: str) -> None:
    line = insert_into_template(project, "## Права", "{{ ''.__class__.__mro__[1].__subclasses__() }}")
    args = ["build", "kam-head", "kam-manager", "--out", tmp_path / "out"] if command == "build" else ["check"]

    lines = assert_clean_failure(run_cli("-C", project, *args))

    errors = template_errors(lines, command)
    assert errors[0].startswith(f"{TEMPLATE}:{line}: "), lines
    assert "__class__" in errors[0]
    assert "subclasses" not in result_text(errors)
    assert files_in(tmp_path / "out") == []


def template_errors(lines: list[str], command: str) -> list[str]:
    """The lines naming the template: the only line of ``check``; for ``build``, the same mistake
    may be reported once per role but nothing else may be wrong."""
    if command == "check":
        assert len(lines) == 1, lines
        return lines
    errors = [line for line in lines if line.startswith(f"{TEMPLATE}:")]
    assert errors, lines
    assert len(set(errors)) == 1, errors
    return errors


def result_text(lines: list[str]) -> str:
    """What the error printed after the location (the location holds the template line itself)."""
    return "\n".join(line.split(": ", 1)[1] for line in lines)


@pytest.mark.parametrize("command", ["check", "build"])
def test_template_syntax_error(project: Path, tmp_path: Path, command: str) -> None:
    insert_into_template(project, "## Права", "{% if role.rights %}")
    args = ["build", "kam-head", "kam-manager", "--out", tmp_path / "out"] if command == "build" else ["check"]

    lines = assert_clean_failure(run_cli("-C", project, *args))

    errors = template_errors(lines, command)
    assert errors[0].startswith(f"{TEMPLATE}:"), lines
    assert files_in(tmp_path / "out") == []


@pytest.mark.parametrize("command", ["check", "build"])
@pytest.mark.parametrize("damage", ["empty", "not-a-zip", "no-styles-part", "no-jd-style"])
def test_broken_styles_file(project: Path, tmp_path: Path, command: str, damage: str) -> None:
    styles = override_templates(project, "styles.docx")
    if damage == "empty":
        styles.write_bytes(b"")
    elif damage == "not-a-zip":
        styles.write_bytes(b"this is not a docx")
    else:
        with zipfile.ZipFile(styles) as source:
            parts = {name: source.read(name) for name in source.namelist()}
        if damage == "no-styles-part":
            del parts["word/styles.xml"]
        else:
            parts["word/styles.xml"] = parts["word/styles.xml"].replace(b'w:styleId="JDClause"', b'w:styleId="Other"')
        with zipfile.ZipFile(styles, "w") as target:
            for name, data in parts.items():
                target.writestr(name, data)
    args = ["build", "kam-head", "kam-manager", "--out", tmp_path / "out"] if command == "build" else ["check"]

    lines = assert_clean_failure(run_cli("-C", project, *args))

    assert all(line.startswith("templates/styles.docx") for line in lines), lines
    if damage == "no-jd-style":
        assert lines == [line for line in lines if "JDClause" in line] and len(lines) == 1, lines
    else:
        assert len(lines) == 1, lines
    assert files_in(tmp_path / "out") == []


def test_status_lists_the_roles_that_load_and_the_problems_of_the_others(project: Path) -> None:
    path = project / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8").replace("\ncategory: specialists\n", "\ncategory: chief\n", 1)
    path.write_text(text, encoding="utf-8")

    result = run_cli("-C", project, "status")

    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert [line.split(";")[0] for line in result.stdout.splitlines()] == [
        "kam-head: редакция № 1 от 20.11.2026",
        "kam-department: редакция № 1 от 20.11.2026",
    ]
    assert result.stderr.startswith(f"roles/kam-manager.yaml:{line_of(text, 'category:')}: category: ")
