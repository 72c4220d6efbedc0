"""Shipped templates and a project's overrides: what is built, what rebuilds, what is checked."""

from __future__ import annotations

from pathlib import Path

from helpers import PACKAGE_TEMPLATES, build_into, override_templates, run_cli

from jobdesc.commands.textconv import docx_text

ROLE = "kam-manager"
EXTRA = "Настоящая инструкция хранится в отделе кадров."


def build_text(project: Path, out: Path) -> tuple[list[str], str]:
    """Build one copy of the role; the files written (stdout) and the document's text."""
    result = build_into(project, out, ROLE, "--copies", "1")
    return result.stdout.splitlines(), docx_text(out / f"{ROLE}.docx")


def test_a_project_without_templates_builds_from_the_package(project: Path, tmp_path: Path) -> None:
    assert not (project / "templates").exists()
    _, text = build_text(project, tmp_path / "out")
    assert "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ" in text
    assert (PACKAGE_TEMPLATES / "job-description.md.j2").is_file()


def test_an_override_of_an_included_template_is_used(project: Path, tmp_path: Path) -> None:
    """The project's approval.md.j2 replaces the shipped one, and can include it by «jobdesc/»."""
    path = project / "templates" / "approval.md.j2"
    path.parent.mkdir()
    path.write_text(f'{{% include "jobdesc/approval.md.j2" %}}\n\n{EXTRA}\n', encoding="utf-8")

    _, text = build_text(project, tmp_path / "out")

    assert EXTRA in text
    assert "УТВЕРЖДАЮ" in text, "the shipped block is still there"


def test_a_new_override_rebuilds_without_force(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_text(project, out)
    path = override_templates(project, "approval.md.j2")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{EXTRA}\n", encoding="utf-8")

    written, text = build_text(project, out)

    assert len(written) == 1, "the new override rebuilds the role"
    assert EXTRA in text


def test_a_template_in_a_subfolder_is_part_of_the_build(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    main = override_templates(project, "job-description.md.j2")
    anchor = '{% include "acknowledgment.md.j2" %}'
    text = main.read_text(encoding="utf-8")
    assert anchor in text
    main.write_text(text.replace(anchor, '{% include "parts/storage.md.j2" %}\n\n' + anchor, 1), encoding="utf-8")
    part = project / "templates" / "parts" / "storage.md.j2"
    part.parent.mkdir()
    part.write_text("Первая редакция примечания.\n", encoding="utf-8")
    _, first = build_text(project, out)
    assert "Первая редакция примечания." in first

    part.write_text(f"{EXTRA}\n", encoding="utf-8")
    written, second = build_text(project, out)

    assert len(written) == 1, "the change in the subfolder rebuilds the role"
    assert EXTRA in second and "Первая редакция примечания." not in second


def test_removing_an_override_goes_back_to_the_shipped_template(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    _, shipped = build_text(project, out)
    path = override_templates(project, "approval.md.j2")
    path.write_text(f"{EXTRA}\n", encoding="utf-8")
    _, changed = build_text(project, out)
    path.unlink()

    _, back = build_text(project, out)

    assert EXTRA in changed and "УТВЕРЖДАЮ" not in changed
    assert back == shipped


def test_check_names_a_broken_override_in_the_project(project: Path) -> None:
    path = override_templates(project, "acknowledgment.md.j2")
    path.write_text(path.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")

    result = run_cli("-C", project, "check")

    assert result.exit_code == 1
    assert result.stderr.startswith("templates/acknowledgment.md.j2:"), result.stderr
