"""``changes`` model: once «Изменения № 1» exist, ``build`` still writes the approved edition 1
(``ROLE.edition-1.docx``), the instruction an employee signs together with the amendments."""

from __future__ import annotations

from pathlib import Path

import docx
from helpers import (
    ACK_TITLE,
    COPY_MARK_1,
    COPY_MARK_2,
    SHIPPED_ROLES,
    build_into,
    copy_project,
    docx_part,
    files_in,
    latest_edition,
    orders_of,
    run_cli,
    set_amendments,
)

NUMBERS = {"kam-manager": "ДИ-014", "kam-head": "ДИ-015"}


def _paragraphs(path: Path) -> list[str]:
    return [paragraph.text for paragraph in docx.Document(str(path)).paragraphs]


def test_the_approved_original_is_built_beside_the_reference_copy(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "all", editions="all")
    build_into(root, root / "output")
    amended = SHIPPED_ROLES  # instructions: «Изменения»; the regulation: a new edition (no original beside it)
    assert all(latest_edition(root, name) >= 2 for name in [*amended, "kam-department"]), "every one has changed"
    assert files_in(root / "output") == sorted(
        [f"{name}{suffix}.docx" for name in amended for suffix in ("", ".edition-1")]
        + [f"{name}.amendment-{n}.docx" for name in amended for n in range(1, latest_edition(root, name))]
        + ["kam-department.docx"]
        + [f"orders/{number}.docx" for number in orders_of(root)]  # the orders that approved them
    )
    assert orders_of(root) == ["112-ОД", "125-ОД"]
    first = copy_project(tmp_path / "first")  # edition 1 only: ROLE.docx is the approved edition 1
    build_into(first, first / "output")
    for role in SHIPPED_ROLES:
        original = root / "output" / f"{role}.edition-1.docx"
        assert original.read_bytes() == (first / "output" / f"{role}.docx").read_bytes()
        text = _paragraphs(original)
        assert text.count(COPY_MARK_1) == text.count(COPY_MARK_2) == 1
        assert text.count("Редакция №\u00a01, утверждена 20\u00a0ноября\u00a02026\u00a0г.") == 2
        assert text.count(ACK_TITLE) == 2
        number = NUMBERS[role]
        assert sum(line.endswith(f"№\u00a0{number}, редакция №\u00a01") for line in text) == 2  # its acknowledgment
        assert "УТВЕРЖДАЮ" in docx_part(original, "word/document.xml").decode("utf-8")
        reference = _paragraphs(root / "output" / f"{role}.docx")
        amendments = "1" if latest_edition(root, role) == 2 else f"1–{latest_edition(root, role) - 1}"
        assert ACK_TITLE not in reference and f"Текст в редакции Изменений №\u00a0{amendments}" in reference


def test_no_original_without_amendments_and_none_in_new_edition_mode(tmp_path: Path) -> None:
    first = copy_project(tmp_path / "first")
    build_into(first, first / "output")
    assert not [name for name in files_in(first / "output") if ".edition-" in name]

    root = copy_project(tmp_path / "all", editions="all")
    out = root / "output"
    build_into(root, out)
    set_amendments(root, "new-edition")
    result = run_cli("-C", root, "build", "--out", out)
    assert result.exit_code == 0, (result.output, result.exception)
    # each new edition replaces the one before as a whole: the old text and the amendments go
    assert files_in(out) == sorted(
        [f"{role}.docx" for role in SHIPPED_ROLES]
        + ["kam-department.docx"]
        + [f"orders/{number}.docx" for number in orders_of(root)]
    )
    removed = [line for line in result.stderr.splitlines() if line.startswith("удален устаревший файл ")]
    assert (
        "удален устаревший файл output/kam-head.edition-1.docx: этого документа у роли или положения больше нет"
        in removed
    )
