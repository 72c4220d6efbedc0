"""The approval model of ``jobdesc.yaml`` (``document.amendments``), and the copies and sheets.

``changes`` (the default) is covered end to end by ``test_amendments.py``; here: ``new-edition``,
edition 1 in both models, and a wrong value in ``jobdesc.yaml``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from editions_helpers import (
    MANAGER,
    MANAGER_GENITIVE,
    docx_paragraphs,
    git_project,
    jd,
    ok,
    replace_once,
    role_file,
    textconv_lines,
)
from helpers import copy_project, set_amendments

NBSP = "\u00a0"
CHANGED_FROM = "нестандартных ситуаций"
CHANGED_TO = "сложных ситуаций"


def set_model(root: Path, model: str) -> None:
    set_amendments(root, model)


def two_editions(root: Path) -> None:
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    replace_once(role_file(root), CHANGED_FROM, CHANGED_TO)
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-03-02", "--order", "15-к", "--effective", "2026-03-10"))


@pytest.fixture(scope="module")
def new_edition(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = git_project(tmp_path_factory.mktemp("new-edition") / "project")
    set_model(root, "new-edition")
    two_editions(root)
    return root


def test_new_edition_builds_no_amendment(new_edition: Path) -> None:
    written = ok(jd("-C", new_edition, "build", MANAGER, "--force")).stdout.splitlines()
    assert written == ["output/kam-manager.docx"]


def test_new_edition_is_approved_and_names_the_edition_it_replaces(new_edition: Path) -> None:
    ok(jd("-C", new_edition, "build", MANAGER))
    lines = textconv_lines(new_edition / "output" / "kam-manager.docx")
    approvals = [line for line in lines if "УТВЕРЖДЕНА" in line]
    assert len(approvals) == 2 and all(f"от{NBSP}02.03.2026 №{NBSP}15-к" in line for line in approvals), approvals
    assert (
        f"Редакция №{NBSP}2, утверждена приказом от{NBSP}02.03.2026 №{NBSP}15-к, вводится в действие "
        f"с{NBSP}10{NBSP}марта{NBSP}2026{NBSP}г. взамен редакции №{NBSP}1, утвержденной "
        f"15{NBSP}января{NBSP}2026{NBSP}г." in lines
    )
    assert "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ" not in lines
    subject = f"с должностной инструкцией {MANAGER_GENITIVE} от{NBSP}02.03.2026 №{NBSP}ДИ-014, редакция №{NBSP}2"
    assert lines.count(subject) == 2, [line for line in lines if line.startswith("с должностной")]
    assert any(CHANGED_TO in line for line in lines)


def test_new_edition_draft_has_no_amendment(new_edition: Path) -> None:
    replace_once(role_file(new_edition), CHANGED_TO, "особых ситуаций")
    try:
        written = ok(jd("-C", new_edition, "build", MANAGER, "--draft")).stdout.splitlines()
        assert written == ["output/kam-manager.draft.docx"]
    finally:
        replace_once(role_file(new_edition), "особых ситуаций", CHANGED_TO)


@pytest.mark.parametrize("model", ["changes", "new-edition"])
def test_edition_one_is_approved_with_its_acknowledgment_sheet_in_both_models(tmp_path: Path, model: str) -> None:
    root = git_project(tmp_path / "project")
    set_model(root, model)
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15"))
    assert ok(jd("-C", root, "build", MANAGER)).stdout.splitlines() == ["output/kam-manager.docx"]
    lines = textconv_lines(root / "output" / "kam-manager.docx")
    assert sum("УТВЕРЖДАЮ" in line for line in lines) == 2
    assert lines.count(f"Редакция №{NBSP}1, утверждена 15{NBSP}января{NBSP}2026{NBSP}г.") == 2
    subject = f"с должностной инструкцией {MANAGER_GENITIVE} от{NBSP}15.01.2026 №{NBSP}ДИ-014, редакция №{NBSP}1"
    assert lines.count(subject) == 2
    assert "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ" not in lines


def test_changes_model_is_the_default_and_approves_only_the_amendment(tmp_path: Path) -> None:
    root = git_project(tmp_path / "project")
    two_editions(root)
    written = sorted(ok(jd("-C", root, "build", MANAGER)).stdout.splitlines())
    # edition 1 stays in force (its own approval, not of the change): signed with «Изменения № 1»
    assert written == [
        "output/kam-manager.amendment-1.docx",
        "output/kam-manager.docx",
        "output/kam-manager.edition-1.docx",
    ]
    approved = [
        name
        for name in ("kam-manager.docx", "kam-manager.amendment-1.docx")
        if any(p.startswith(("УТВЕРЖДЕН", "УТВЕРЖДАЮ")) for p in docx_paragraphs(root / "output" / name))
    ]
    assert approved == ["kam-manager.amendment-1.docx"], "exactly one document carries the approval"
    signed = [
        name
        for name in ("kam-manager.docx", "kam-manager.amendment-1.docx")
        if "ЛИСТ ОЗНАКОМЛЕНИЯ" in docx_paragraphs(root / "output" / name)
    ]
    assert signed == approved, "and that is the one the employee signs"


def test_unknown_approval_model_is_one_clear_line(tmp_path: Path) -> None:
    root = git_project(tmp_path / "project")
    set_model(root, "sometimes")
    result = jd("-C", root, "check")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("jobdesc.yaml:") and "amendments" in lines[0], lines
    assert "changes" in lines[0] and "new-edition" in lines[0], lines


@pytest.mark.parametrize(
    ("setting", "field", "said"),
    [
        (
            "sometimes",
            "document.amendments",
            "'sometimes'; допустимо: changes, new-edition или поля instructions:, policies:",
        ),
        ("\n    policies: foo", "document.amendments.policies", "'foo'; допустимо: changes, new-edition"),
        ("\n    policy: new-edition", "document.amendments.policy", "неизвестное поле (возможно, policies)"),
        ("changes\n  visas: yes", "document.visas", "True; допустимо: false или список"),
        # a list given, one of its visas wrong: that visa's mistake, not «допустимо: … список»
        ("changes\n  visas:\n    - name: Орлова М. П.", "document.visas[1].position", "обязательное поле отсутствует"),
    ],
)
def test_a_setting_of_a_word_or_of_fields_names_what_it_accepts(
    tmp_path: Path, setting: str, field: str, said: str
) -> None:
    root = git_project(tmp_path / "project")
    set_amendments(root, setting)
    result = jd("-C", root, "check")
    assert result.exit_code == 1
    [line] = result.stderr.splitlines()
    assert line.startswith("jobdesc.yaml:") and f": {field}: " in line and line.endswith(said), line


def test_amendments_per_kind_the_regulation_in_a_new_edition_the_instructions_by_changes(tmp_path: Path) -> None:
    """The shipped setting: instructions amended by «Изменения», the regulation approved whole."""
    root = copy_project(tmp_path / "project", editions="all")
    ok(jd("-C", root, "build"))
    out = root / "output"
    regulation = [p.replace("\u00a0", " ") for p in docx_paragraphs(out / "kam-department.docx")]
    assert any(p.startswith("Редакция № 2, утверждена приказом от 04.12.2026 № 125-ОД") for p in regulation)
    assert not (out / "kam-department.amendment-1.docx").exists()
    assert not (out / "kam-department.edition-1.docx").exists()
    assert (out / "kam-manager.amendment-1.docx").exists() and (out / "kam-manager.edition-1.docx").exists()
    set_amendments(root, "changes")  # one word: the regulation by «Изменения» too
    ok(jd("-C", root, "build"))
    assert (out / "kam-department.amendment-1.docx").exists() and (out / "kam-department.edition-1.docx").exists()
