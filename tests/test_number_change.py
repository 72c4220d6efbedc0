"""A changed registration number (``number``) is a change to approve: status, diff, build and approve see it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from editions_helpers import MANAGER, edition_record, git_project, jd, ok, refused, replace_once, role_file


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = git_project(tmp_path / "project")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    replace_once(role_file(root), "number: ДИ-014\n", "number: ДИ-021\n")
    return root


def test_status_shows_the_number_change(project: Path) -> None:
    lines = ok(jd("-C", project, "status")).stdout.splitlines()
    manager = next(line for line in lines if line.startswith(f"{MANAGER}:"))
    assert manager.endswith("; неутвержденные изменения: номер документа: ДИ-014 → ДИ-021"), manager


def test_diff_shows_the_number_change(project: Path) -> None:
    text = ok(jd("-C", project, "diff", MANAGER)).stdout.splitlines()
    assert text[1] == "~ номер документа: ДИ-014 → ДИ-021", text
    data = json.loads(ok(jd("-C", project, "diff", MANAGER, "--format", "json")).stdout)
    assert data["requisites"] == ["номер документа: ДИ-014 → ДИ-021"]
    assert data["changes"] == []


def test_build_warns_of_the_unapproved_number(project: Path, tmp_path: Path) -> None:
    result = ok(jd("-C", project, "build", MANAGER, "--out", tmp_path / "out"))
    assert "есть неутвержденные изменения (номер документа: ДИ-014 → ДИ-021)" in result.stderr


def test_approve_records_the_new_number(project: Path) -> None:
    ok(jd("-C", project, "approve", MANAGER, "--date", "2026-02-01"))
    assert edition_record(project, MANAGER, 2)["content"]["number"] == "ДИ-021"
    status = ok(jd("-C", project, "status")).stdout
    assert f"{MANAGER}: редакция № 2 от 01.02.2026; без изменений" in status


def test_approve_without_any_change_is_refused(project: Path) -> None:
    replace_once(role_file(project), "number: ДИ-021\n", "number: ДИ-014\n")
    line = refused(jd("-C", project, "approve", MANAGER, "--date", "2026-02-01"))
    assert "утверждать нечего" in line


def test_the_amendment_and_history_name_the_number_change(project: Path, tmp_path: Path) -> None:
    ok(jd("-C", project, "approve", MANAGER, "--date", "2026-02-01"))
    history = ok(jd("-C", project, "history", MANAGER)).stdout.splitlines()
    assert history[1].endswith("— номер документа: ДИ-014 → ДИ-021"), history
    ok(jd("-C", project, "build", MANAGER, "--out", tmp_path / "out"))
    text = ok(jd("textconv", tmp_path / "out" / f"{MANAGER}.amendment-1.docx")).stdout
    assert "1. Регистрационный номер должностной инструкции «ДИ-014» заменить номером «ДИ-021»." in text
