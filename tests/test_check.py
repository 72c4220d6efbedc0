"""``jobdesc check``: every validation problem at once, one line each, ``PATH:LINE: field: message``."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import assert_clean_failure, copy_project, line_of, run_cli


def role_path(project: Path, role: str = "kam-manager") -> Path:
    return project / "roles" / f"{role}.yaml"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def write(path: Path, text: str) -> None:
    path.write_bytes(text.encode("utf-8"))


def replace_block(text: str, key: str, new: str) -> str:
    """Replace the top-level ``key:`` line and its indented lines by ``new`` (lines, no final newline)."""
    lines = text.split("\n")
    start = line_of(text, f"{key}:") - 1
    end = start + 1
    while end < len(lines) and lines[end].startswith((" ", "\t")):
        end += 1
    return "\n".join(lines[:start] + new.split("\n") + lines[end:])


def check(project: Path) -> list[str]:
    return assert_clean_failure(run_cli("-C", project, "check"))


def test_clean_project_one_line_summary(project: Path) -> None:
    result = run_cli("-C", project, "check")

    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("Ошибок нет"), lines
    assert "2 роли" in lines[0]


def test_misspelt_key_is_exactly_one_line(project: Path) -> None:
    path = role_path(project)
    text = read(path).replace("\nduties:\n", "\ndutes:\n", 1)
    write(path, text)
    line = line_of(text, "dutes:")

    lines = check(project)

    # the misspelling explains the missing «duties»: one line, not two
    assert lines == [f"roles/kam-manager.yaml:{line}: dutes: неизвестное поле (возможно, duties)"]


def test_misspelt_optional_key(project: Path) -> None:
    path = role_path(project)
    text = read(path).replace("\nrelationships:\n", "\nrelationship:\n", 1)
    write(path, text)
    line = line_of(text, "relationship:")

    lines = check(project)

    assert lines == [f"roles/kam-manager.yaml:{line}: relationship: неизвестное поле (возможно, relationships)"]


def test_unknown_key_far_from_any_lists_the_known_ones(project: Path) -> None:
    path = role_path(project)
    text = read(path) + "zzz: 1\n"
    write(path, text)
    line = line_of(text, "zzz:")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{line}: zzz: неизвестное поле"), lines
    assert "duties" in lines[0]


def test_misspelt_nested_key(project: Path) -> None:
    path = role_path(project, "kam-head")
    text = read(path).replace("\n  on_proposal_of: ", "\n  on_proposal: ", 1)
    write(path, text)
    line = line_of(text, "  on_proposal:")

    lines = check(project)

    assert lines == [
        f"roles/kam-head.yaml:{line}: appointment.on_proposal: неизвестное поле (возможно, on_proposal_of)"
    ]


def test_wrong_type_text_instead_of_list(project: Path) -> None:
    path = role_path(project, "kam-head")
    text = replace_block(read(path), "knowledge", "knowledge: Основы трудового законодательства Российской Федерации.")
    write(path, text)
    line = line_of(text, "knowledge:")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-head.yaml:{line}: knowledge: ожидается "), lines
    assert "список" in lines[0]


def test_wrong_type_list_instead_of_text(project: Path) -> None:
    path = role_path(project, "kam-head")
    text = read(path).replace("\nsubstitute: работник", "\nsubstitute:\n  - работник", 1)
    write(path, text)
    line = line_of(text, "substitute:")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-head.yaml:{line}: substitute: ожидается "), lines
    assert "текст" in lines[0]


def test_wrong_type_of_a_list_item(project: Path) -> None:
    path = role_path(project)
    text = read(path).replace("\nrights:\n", "\nrights:\n  - 42\n", 1)
    write(path, text)
    line = line_of(text, "  - 42")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{line}: rights[1]: ожидается "), lines


def test_wrong_enum_value(project: Path) -> None:
    path = role_path(project)
    text = read(path).replace("\ncategory: specialists\n", "\ncategory: specialist\n", 1)
    write(path, text)
    line = line_of(text, "category:")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{line}: category: "), lines
    for allowed in ("managers", "specialists", "technical"):
        assert allowed in lines[0]


def test_empty_required_list(project: Path) -> None:
    path = role_path(project)
    text = replace_block(read(path), "rights", "rights: []")
    write(path, text)
    line = line_of(text, "rights:")

    lines = check(project)

    assert lines == [f"roles/kam-manager.yaml:{line}: rights: список пуст: нужен хотя бы один пункт"]


def test_empty_text_item(project: Path) -> None:
    path = role_path(project)
    text = read(path).replace("\nrights:\n", '\nrights:\n  - "  "\n', 1)
    write(path, text)
    line = line_of(text, '  - "  "')

    lines = check(project)

    assert lines == [f"roles/kam-manager.yaml:{line}: rights[1]: пустой текст"]


def test_missing_required_field(project: Path) -> None:
    path = role_path(project)
    text = replace_block(read(path), "department", "")
    write(path, text)
    mapping_line = next(n for n, line in enumerate(text.splitlines(), start=1) if line and not line.startswith("#"))

    lines = check(project)

    assert lines == [f"roles/kam-manager.yaml:{mapping_line}: department: обязательное поле отсутствует"]


def test_missing_nested_required_field(project: Path) -> None:
    path = role_path(project, "kam-head")
    text = read(path)
    text = "\n".join(line for line in text.split("\n") if not line.startswith("  by: "))
    write(path, text)
    line = line_of(text, "appointment:")

    lines = check(project)

    assert lines == [f"roles/kam-head.yaml:{line}: appointment.by: обязательное поле отсутствует"]


def test_use_common_for_a_field_missing_from_common(project: Path) -> None:
    path = role_path(project)
    text = read(path).replace("\nskills:\n", "\nskills:\n  - use: common\n", 1)
    write(path, text)
    line = line_of(text, "  - use: common", start=line_of(text, "skills:"))

    lines = check(project)

    assert lines == [f"roles/kam-manager.yaml:{line}: skills[1]: в roles/_common.yaml нет поля skills"]


def test_use_with_another_value(project: Path) -> None:
    path = role_path(project)
    text = read(path)
    start = line_of(text, "responsibility:")
    line = line_of(text, "  - use: common", start=start)
    lines_of_text = text.split("\n")
    lines_of_text[line - 1] = "  - use: shared"
    write(path, "\n".join(lines_of_text))

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"roles/kam-manager.yaml:{line}: responsibility[1]"), lines


def test_common_file_problem(project: Path) -> None:
    path = project / "roles" / "_common.yaml"
    text = read(path).replace("\nfinal_provisions:\n", "\nfinal_provision:\n", 1)
    write(path, text)
    line = line_of(text, "final_provision:")

    lines = check(project)

    assert lines == [f"roles/_common.yaml:{line}: final_provision: неизвестное поле (возможно, final_provisions)"]


def test_config_unknown_key(project: Path) -> None:
    path = project / "jobdesc.yaml"
    text = read(path) + "colour: blue\n"
    write(path, text)
    line = line_of(text, "colour:")

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"jobdesc.yaml:{line}: colour: неизвестное поле"), lines


def test_config_misspelt_required_key_is_one_line(project: Path) -> None:
    path = project / "jobdesc.yaml"
    text = read(path).replace("\napprover:\n", "\naprover:\n", 1)
    write(path, text)
    line = line_of(text, "aprover:")

    lines = check(project)

    assert lines == [f"jobdesc.yaml:{line}: aprover: неизвестное поле (возможно, approver)"]


def test_config_nested_problems(project: Path) -> None:
    path = project / "jobdesc.yaml"
    text = read(path)
    text = text.replace("\n  copies: 2\n", "\n  copise: 2\n", 1)
    text = text.replace("\n  acknowledgment_rows: 10\n", "\n  acknowledgment_rows: 0\n", 1)
    write(path, text)

    lines = check(project)

    assert lines == [
        f"jobdesc.yaml:{line_of(text, '  copise:')}: document.copise: неизвестное поле (возможно, copies)",
        f"jobdesc.yaml:{line_of(text, '  acknowledgment_rows:')}: document.acknowledgment_rows: "
        "значение 0 вне допустимых пределов",
    ]


def test_missing_config_file_is_outside_a_project(project: Path) -> None:
    (project / "jobdesc.yaml").unlink()

    lines = check(project)

    assert len(lines) == 1, lines
    assert "jobdesc.yaml" in lines[0]


def test_several_problems_in_several_files_at_once(project: Path) -> None:
    head = role_path(project, "kam-head")
    head_text = read(head).replace("\ncategory: managers\n", "\ncategory: boss\n", 1)
    head_text = replace_block(head_text, "rights", "rights: []")
    write(head, head_text)
    manager = role_path(project)
    manager_text = read(manager).replace("\nskills:\n", "\nskils:\n", 1)
    manager_text = replace_block(manager_text, "knowledge", "knowledge: все")
    write(manager, manager_text)
    config = project / "jobdesc.yaml"
    config_text = read(config) + "colour: blue\n"
    write(config, config_text)

    lines = check(project)

    where = [re.match(r"^([^:]+):(\d+): ([^:]+):", line).groups() for line in lines]
    assert where == [
        ("jobdesc.yaml", str(line_of(config_text, "colour:")), "colour"),
        ("roles/kam-head.yaml", str(line_of(head_text, "category:")), "category"),
        ("roles/kam-head.yaml", str(line_of(head_text, "rights:")), "rights"),
        ("roles/kam-manager.yaml", str(line_of(manager_text, "knowledge:")), "knowledge"),
        ("roles/kam-manager.yaml", str(line_of(manager_text, "skils:")), "skils"),
    ], lines


def test_yaml_errors_and_shape_errors_together(project: Path) -> None:
    head = role_path(project, "kam-head")
    head_text = read(head).replace("\ntitle: ", "\ntitle: [", 1)
    write(head, head_text)
    manager = role_path(project)
    manager_text = replace_block(read(manager), "rights", "rights: []")
    write(manager, manager_text)

    lines = check(project)

    assert len(lines) == 2, lines
    assert lines[0].startswith("roles/kam-head.yaml:"), lines
    assert (
        lines[1]
        == f"roles/kam-manager.yaml:{line_of(manager_text, 'rights:')}: rights: список пуст: нужен хотя бы один пункт"
    )


def test_no_roles(project: Path) -> None:
    for path in [*(project / "roles").glob("kam-*.yaml"), *(project / "policies").glob("*.yaml")]:
        path.unlink()

    lines = check(project)

    assert len(lines) == 1, lines
    assert lines[0].startswith("roles"), lines


def test_git_that_cannot_run_is_a_message_not_an_assertion(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A ``git`` on PATH that cannot be executed (PermissionError) is as no git: the editions are
    checked by their fingerprints, no traceback (the verification thread once died and an
    assertion followed)."""
    from jobdesc.editions import provenance

    root = copy_project(tmp_path / "project", editions="all")

    def refused(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise PermissionError(13, "Permission denied", "git")

    monkeypatch.setattr(provenance.subprocess, "run", refused)
    result = run_cli("-C", root, "check")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0 and result.output.startswith("Ошибок нет"), result.output
