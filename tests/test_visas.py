"""Issue 19, point 12: approval visas («СОГЛАСОВАНО»), a requisite of ГОСТ Р 7.0.97, under the text
of instructions and regulations: by default the head of the unit (for an employee's instruction)
and the lawyer; ``document.visas`` in ``jobdesc.yaml`` names others or (``false``) none."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_project, run_cli

from jobdesc.commands.textconv import docx_text


def _visas(path: Path) -> list[list[str]]:
    """The lines of each «СОГЛАСОВАНО» block of a document (one per copy)."""
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in docx_text(path).splitlines()]
    blocks = []
    for start, line in enumerate(lines):
        if line == "СОГЛАСОВАНО:":
            end = next(i for i in range(start + 1, len(lines) + 1) if i == len(lines) or lines[i].startswith("ЛИСТ"))
            blocks.append([line for line in lines[start + 1 : end] if line])
    return blocks


def _built(tmp_path: Path, visas: str | None = None) -> Path:
    root = copy_project(tmp_path / "project", editions="all")
    if visas is not None:
        config = root / "jobdesc.yaml"
        config.write_text(config.read_text("utf-8").replace("  acknowledgment_rows:", f"{visas}  acknowledgment_rows:"))
    out = tmp_path / "out"
    result = run_cli("-C", root, "build", "--out", out)
    assert result.exit_code == 0, result.output
    return out


BLANK = "____________ ________________ «___» ____________ 20___ г."


def test_default_visas_the_head_of_the_unit_and_the_lawyer(tmp_path: Path) -> None:
    out = _built(tmp_path)
    manager = _visas(out / "kam-manager.edition-1.docx")
    assert manager == [["Начальник отдела по работе с ключевыми клиентами", BLANK, "Юрисконсульт", BLANK]] * 2
    assert _visas(out / "kam-head.edition-1.docx") == [["Юрисконсульт", BLANK]] * 2, "the head does not endorse his own"
    assert _visas(out / "kam-manager.docx") == [], "the reference text is not signed"
    assert _visas(out / "kam-department.docx") == [["Юрисконсульт", BLANK]], (
        "the regulation's edition 2, approved as a whole (amendments: policies: new-edition), is signed"
    )


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        (
            "  visas:\n    - position: Главный юрисконсульт\n      name: Орлова Мария Петровна\n",
            [["Главный юрисконсульт", "____________ М.П. Орлова «___» ____________ 20___ г."]] * 2,
        ),
        ("  visas: false\n", []),
    ],
)
def test_visas_named_in_the_config(tmp_path: Path, setting: str, expected: list) -> None:
    assert _visas(_built(tmp_path, setting) / "kam-manager.edition-1.docx") == expected
