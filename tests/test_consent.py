"""Issue 19, point 7: an edition that adds duties is never approved silently (ст. 72, 74 ТК РФ):
``approve`` asks for ``--same-function`` (printed in the order) or ``--agreement`` (the order tells
HR to prepare additional agreements, and ``status`` lists the employees who need one)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from helpers import REPO_ROOT, assert_clean_failure, copy_project, files_in, run_cli

from jobdesc.commands.textconv import docx_text

DUTY = (
    "  - Готовит проекты договоров поставки с ключевыми клиентами и передает их на согласование в юридический отдел.\n"
)


def _project(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project", editions="all")
    shutil.copy2(REPO_ROOT / "tests" / "data" / "staff" / "staff.yaml", root / "staff.yaml")
    role = root / "roles" / "kam-manager.yaml"
    role.write_text(role.read_text("utf-8").replace("\nduties:\n", "\nduties:\n" + DUTY, 1), "utf-8")
    return root


def _lines(path: Path) -> list[str]:
    return [" ".join(line.replace("\u00a0", " ").split()) for line in docx_text(path).splitlines()]


def test_added_duties_are_never_approved_silently(tmp_path: Path) -> None:
    root = _project(tmp_path)
    before = files_in(root / "roles")
    lines = assert_clean_failure(
        run_cli("-C", root, "approve", "kam-manager", "--date", "2026-12-10", "--order", "120-ОД")
    )
    assert lines == [
        "kam-manager: редакция добавляет обязанности (пункт 2.1) — укажите --same-function (трудовая функция и "
        "определенные сторонами условия трудового договора не изменяются; это будет сказано в приказе) или "
        "--agreement (нужны дополнительные соглашения к трудовым договорам, ст. 72 ТК РФ)"
    ]
    assert files_in(root / "roles") == before


def test_same_function_is_stated_in_the_order(tmp_path: Path) -> None:
    root = _project(tmp_path)
    args = ("approve", "kam-manager", "--date", "2026-12-10", "--order", "120-ОД", "--same-function")
    assert run_cli("-C", root, *args).exit_code == 0
    record = yaml.safe_load((root / "roles" / "kam-manager.editions" / "003.yaml").read_text("utf-8"))
    assert record["consent"] == "same-function"
    assert run_cli("-C", root, "check").exit_code == 0, "the fingerprint covers it"
    out = tmp_path / "out"
    assert run_cli("-C", root, "build", "--out", out).exit_code == 0
    assert (
        "2. Установить, что обязанности, которые вводятся в должностную инструкцию менеджера по работе с ключевыми "
        "клиентами, не изменяют трудовую функцию работника и определенные сторонами условия трудовых договоров; "
        "дополнительные соглашения к трудовым договорам не заключаются."
    ) in _lines(out / "orders" / "120-ОД.docx")


def test_an_agreement_is_ordered_and_status_lists_who_needs_one(tmp_path: Path) -> None:
    root = _project(tmp_path)
    args = ("approve", "kam-manager", "--date", "2026-12-10", "--order", "120-ОД", "--agreement")
    assert run_cli("-C", root, *args).exit_code == 0
    out = tmp_path / "out"
    assert run_cli("-C", root, "build", "--out", out).exit_code == 0
    order = _lines(out / "orders" / "120-ОД.docx")
    assert any(
        line.startswith(
            "2. Начальнику отдела кадров Лебедевой И.С. подготовить дополнительные соглашения к трудовым договорам "
            "работников, занимающих должность менеджера по работе с ключевыми клиентами, об изменении их трудовых "
            "обязанностей (статья 72 Трудового кодекса Российской Федерации)"
        )
        for line in order
    ), order
    status = run_cli("-C", root, "status").stdout.splitlines()
    needed = [line for line in status if "дополнительное соглашение" in line]
    assert needed and all(line.startswith("kam-manager: ") for line in needed), status
    assert any("Соколова Анна Викторовна (0000012)" in line for line in needed), needed
