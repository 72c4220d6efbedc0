"""Outputs stay true: after any change, ``output/`` holds exactly what a ``--force`` build makes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from helpers import build_into, copy_project, files_in, override_templates, run_cli

ROLE = "kam-manager"
DUTY = "Соблюдает режим коммерческой тайны."


def fresh(project: Path, tmp_path: Path, *options: str) -> dict[str, bytes]:
    """What a ``--force`` build of the project makes in an empty folder, file by file."""
    out = tmp_path / "fresh"
    shutil.rmtree(out, ignore_errors=True)
    build_into(project, out, "--force", *options)
    return {name: (out / name).read_bytes() for name in files_in(out)}


def contents(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in files_in(out)}


def manifest_files(out: Path) -> set[str]:
    data = json.loads((out / ".jobdesc-manifest.json").read_text(encoding="utf-8"))
    return {name for entry in data["roles"].values() for name in entry["files"]}


def removed_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("удален устаревший файл ")]


def test_a_deleted_role_loses_its_documents(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", linked=False)
    out = project / "output"
    build_into(project, out)
    (project / "roles" / "kam-head.yaml").unlink()
    shutil.rmtree(project / "roles" / "kam-head.editions")

    result = build_into(project, out)

    assert removed_lines(result.stderr) == [
        "удален устаревший файл output/kam-head.docx: роли или положения больше нет"
    ]
    assert files_in(out) == [f"{ROLE}.docx"]
    assert manifest_files(out) == {f"{ROLE}.docx"}
    assert contents(out) == fresh(project, tmp_path)


def test_a_deleted_regulation_loses_its_documents_and_is_called_so(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", linked=False)
    made = run_cli("-C", project, "new", "sales-department", "--policy", "--title", "Положение об отделе продаж")
    assert made.exit_code == 0, made.output
    out = project / "output"
    build_into(project, out)
    assert (out / "sales-department.docx").is_file()
    (project / "policies" / "sales-department.yaml").unlink()

    result = build_into(project, out)

    assert removed_lines(result.stderr) == [
        "удален устаревший файл output/sales-department.docx: роли или положения больше нет"
    ]
    assert contents(out) == fresh(project, tmp_path)


def test_split_copies_and_back(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    out = project / "output"
    build_into(project, out, ROLE)

    split = build_into(project, out, ROLE, "--split-copies")

    assert removed_lines(split.stderr) == [
        f"удален устаревший файл output/{ROLE}.docx: собран без --split-copies, а эта сборка — с --split-copies"
    ]
    assert files_in(out) == [f"{ROLE}.copy1.docx", f"{ROLE}.copy2.docx"]

    back = build_into(project, out, ROLE)

    assert sorted(removed_lines(back.stderr)) == [
        f"удален устаревший файл output/{ROLE}.copy{n}.docx: собран с --split-copies, а эта сборка — без --split-copies"
        for n in (1, 2)
    ]
    assert contents(out) == fresh(project, tmp_path, ROLE)


def test_one_copy_per_file_then_two_copies(tmp_path: Path) -> None:
    """``--copies 1 --split-copies`` makes ROLE.docx; ``--copies 2`` makes the same name anew: nothing removed."""
    project = copy_project(tmp_path / "project")
    out = project / "output"
    build_into(project, out, ROLE, "--split-copies")
    build_into(project, out, ROLE, "--copies", "1", "--split-copies")
    assert files_in(out) == [f"{ROLE}.docx"]

    result = build_into(project, out, ROLE, "--copies", "2")

    assert removed_lines(result.stderr) == []
    assert contents(out) == fresh(project, tmp_path, ROLE, "--copies", "2")


def test_an_amendment_that_no_longer_exists_is_removed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    out = project / "output"
    role = project / "roles" / f"{ROLE}.yaml"
    text = role.read_text(encoding="utf-8")
    assert DUTY in text
    role.write_text(text.replace(DUTY, "Соблюдает режим коммерческой тайны и защиты персональных данных."), "utf-8")
    # the copy's source adds duties to edition 1 (the shipped later editions): stated, as approve asks
    approved = run_cli("-C", project, "approve", ROLE, "--date", "2026-12-01", "--same-function")
    assert approved.exit_code == 0, approved.output
    build_into(project, out)
    assert f"{ROLE}.amendment-1.docx" in files_in(out)
    (project / "roles" / f"{ROLE}.editions" / "002.yaml").unlink()  # the approval taken back (git revert)

    result = build_into(project, out)

    assert removed_lines(result.stderr) == [
        f"удален устаревший файл output/{ROLE}.{name}.docx: этого документа у роли или положения больше нет"
        for name in ("amendment-1", "edition-1")
    ]
    assert contents(out) == fresh(project, tmp_path)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_every_kind_of_change_matches_a_force_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", linked=False)
    out = project / "output"
    steps = [
        lambda: None,
        lambda: edit(project / "roles" / f"{ROLE}.yaml", DUTY, "Соблюдает режим коммерческой тайны организации."),
        lambda: edit(project / "roles" / "_common.yaml", "Уставом организации.", "Уставом общества."),
        lambda: edit(project / "jobdesc.yaml", "city: Москва", "city: Казань"),
        lambda: override_templates(project, "acknowledgment.md.j2").write_text("Ознакомлен.\n", encoding="utf-8"),
        lambda: (project / "templates" / "acknowledgment.md.j2").unlink(),
        lambda: shutil.rmtree(project / "roles" / "kam-head.editions"),
        lambda: (project / "roles" / "kam-head.yaml").rename(project / "roles" / "kam-chief.yaml"),
    ]
    for step in steps:
        step()
        build_into(project, out)
        assert contents(out) == fresh(project, tmp_path)


def test_a_role_that_fails_keeps_its_files_until_it_is_deleted(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", linked=False)
    out = project / "output"
    build_into(project, out)
    role = project / "roles" / "kam-head.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("category: managers", "category: chiefs"), "utf-8")
    failed = run_cli("-C", project, "build", "--out", out)
    assert failed.exit_code == 1
    assert "kam-head.docx" in files_in(out), "a failed role's old document stays"
    role.unlink()

    result = build_into(project, out)

    assert removed_lines(result.stderr) == [
        "удален устаревший файл output/kam-head.docx: роли или положения больше нет"
    ]


def test_a_change_to_a_linked_document_rebuilds_the_documents_that_name_it(tmp_path: Path) -> None:
    """kam-manager reports to kam-head and belongs to kam-department: renaming the head's position
    changes the manager's text (whom it reports to) and the regulation's list of positions, though
    neither file changed. The incremental build must match a --force build, warnings included."""
    project = copy_project(tmp_path / "project")
    out = project / "output"
    build_into(project, out, "--draft")
    build_into(project, out)
    head = project / "roles" / "kam-head.yaml"
    old, new = "title: Начальник отдела по работе с ключевыми клиентами", "title: Руководитель отдела продаж"
    head.write_text(head.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    drafts = build_into(project, out, "--draft")
    approved = build_into(project, out)

    assert contents(out) == fresh(project, tmp_path, "--draft") | fresh(project, tmp_path)
    assert "kam-manager.draft.docx" in drafts.stdout and "kam-department.draft.docx" in drafts.stdout
    for role in ("kam-manager", "kam-head", "kam-department"):
        assert f"внимание: {role}: есть неутвержденные изменения" in approved.stderr, (role, approved.stderr)
