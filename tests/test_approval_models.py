"""Issue 19, point 1: a regulation is approved by one of two coherent models (``document.approval``
in ``jobdesc.yaml``): by order — «УТВЕРЖДЕНО приказом … от … № …», the order in ``output/orders/``,
«… утверждается приказом … и вводится в действие с даты, указанной в приказе» — or by the
director's stamp «УТВЕРЖДАЮ» with «… вводится в действие с даты его утверждения». ``approve``
keeps to the model, ``check`` refuses a text or a project's own template that contradicts it."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import (
    assert_clean_failure,
    copy_project,
    files_in,
    latest_edition,
    line_of,
    override_templates,
    run_cli,
    set_amendments,
)

from jobdesc.commands.textconv import docx_text

POLICY = "policies/kam-department.yaml"
OLD_ENTRY = (
    "      - Настоящее Положение утверждается приказом генерального директора и вводится в действие с даты, "
    "указанной в приказе.\n"
)
ENTRY_ORDER = "Настоящее Положение утверждается приказом генерального директора и вводится в действие с даты, указанной в приказе."
ENTRY_STAMP = "Настоящее Положение утверждается генеральным директором и вводится в действие с даты его утверждения."


SHIPPED_ENTRY = "    entry: order"  # the shipped regulation's final provisions start with the entry clause


def _project(tmp_path: Path, model: str | None, entry: str | None = None) -> Path:
    """The shipped project under approval model ``model`` (``None``: no rule); the regulation's
    final provisions with ``entry: ENTRY``, or (``None``) with the clause written out in the file."""
    import re

    root = copy_project(tmp_path / "project", editions="all")
    config = root / "jobdesc.yaml"
    text = re.sub(r"  approval:\n    policies: \w+\n", "", config.read_text("utf-8"))
    config.write_text(text, "utf-8")
    set_amendments(root, "changes" if model is None else f"changes\n  approval:\n    policies: {model}")
    policy = root / POLICY
    lines = policy.read_text("utf-8").splitlines(keepends=True)
    at = next(n for n, line in enumerate(lines) if line.startswith(SHIPPED_ENTRY))
    if entry is None:
        lines[at : at + 2] = [lines[at + 1], OLD_ENTRY]
    else:
        lines[at] = f"    entry: {entry}\n"
    policy.write_text("".join(lines), "utf-8")
    return root


def _lines(path: Path) -> list[str]:
    return [" ".join(line.replace("\u00a0", " ").split()) for line in docx_text(path).splitlines()]


def test_check_refuses_a_regulation_that_says_order_under_the_stamp_model(tmp_path: Path) -> None:
    root = _project(tmp_path, "stamp")
    lines = assert_clean_failure(run_cli("-C", root, "check"))
    line = line_of((root / POLICY).read_text("utf-8"), OLD_ENTRY.rstrip("\n"))
    assert lines[0] == (
        f"{POLICY}:{line}: пункт 8.1: «утверждается приказом» — а документы этого вида утверждаются грифом "
        "«УТВЕРЖДАЮ» (без приказа) (document.approval.policies: stamp в jobdesc.yaml): исправьте текст или "
        "модель утверждения"
    ), lines


@pytest.mark.parametrize(("model", "wording"), [("order", ENTRY_ORDER), ("stamp", ENTRY_STAMP)])
def test_the_entry_clause_follows_the_model(tmp_path: Path, model: str, wording: str) -> None:
    root = _project(tmp_path, model, entry=model)
    result = run_cli("-C", root, "check")
    assert result.exit_code == 0, result.output
    out = tmp_path / "out"
    assert run_cli("-C", root, "build", "--draft", "--out", out).exit_code == 0
    text = _lines(out / "kam-department.draft.docx")
    assert f"8.1. {wording}" in text, [line for line in text if line.startswith("8.")]


def test_check_refuses_an_entry_of_the_other_model(tmp_path: Path) -> None:
    root = _project(tmp_path, "order", entry="stamp")
    lines = assert_clean_failure(run_cli("-C", root, "check"))
    line = line_of((root / POLICY).read_text("utf-8"), "    entry: stamp")
    assert lines[0].startswith(
        f"{POLICY}:{line}: sections[7].entry: stamp, а документы этого вида утверждаются приказом"
    )


def test_check_refuses_a_projects_own_template_that_contradicts_the_model(tmp_path: Path) -> None:
    root = _project(tmp_path, "order", entry="order")
    template = override_templates(root, "policy.md.j2")
    text = template.read_text("utf-8")
    template.write_text(
        text.replace(
            "{% for clause in section.clauses %}",
            "1. Вводится в действие с даты его утверждения.\n{% for clause in section.clauses %}",
            1,
        ),
        "utf-8",
    )
    lines = assert_clean_failure(run_cli("-C", root, "check"))
    assert lines[0].startswith("templates/policy.md.j2:"), lines
    assert "«с даты его утверждения» — а документы этого вида утверждаются приказом" in lines[0]


def test_approve_keeps_to_the_model_and_the_order_is_built(tmp_path: Path) -> None:
    root = _project(tmp_path, "order", entry="order")
    policy = root / POLICY
    policy.write_text(
        policy.read_text("utf-8").replace(
            "      - Отдел подчиняется непосредственно коммерческому директору.\n",
            "      - Отдел подчиняется непосредственно коммерческому директору.\n"
            "      - Отдел ведет учет ключевых клиентов и истории работы с ними в CRM-системе организации.\n",
        ),
        "utf-8",
    )
    amendment_number = latest_edition(root, "kam-department")  # «Изменения № N» make edition N + 1
    before = files_in(root / "policies")
    lines = assert_clean_failure(run_cli("-C", root, "approve", "kam-department", "--date", "2026-12-10"))
    assert lines == [
        "kam-department: документы этого вида утверждаются приказом (document.approval.policies: order в "
        "jobdesc.yaml) — укажите --order НОМЕР (и --order-date, если приказ издан раньше)"
    ]
    assert files_in(root / "policies") == before, "nothing written"
    approved = run_cli("-C", root, "approve", "kam-department", "--date", "2026-12-10", "--order", "140-ОД")
    assert approved.exit_code == 0, approved.output
    out = tmp_path / "out"
    assert run_cli("-C", root, "build", "--out", out).exit_code == 0
    assert (out / "orders" / "140-ОД.docx").is_file()
    amendment = _lines(out / f"kam-department.amendment-{amendment_number}.docx")
    assert "УТВЕРЖДЕНЫ приказом генерального директора от 10.12.2026 № 140-ОД" in " ".join(amendment)
    reference = _lines(out / "kam-department.docx")
    assert f"8.1. {ENTRY_ORDER}" in reference


def test_approve_under_the_stamp_model_refuses_an_order(tmp_path: Path) -> None:
    root = _project(tmp_path, "stamp", entry="stamp")
    lines = assert_clean_failure(
        run_cli("-C", root, "approve", "kam-department", "--date", "2026-12-10", "--order", "140-ОД")
    )
    assert lines[0].startswith("kam-department: документы этого вида утверждаются грифом «УТВЕРЖДАЮ» (без приказа)")
