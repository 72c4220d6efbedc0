"""Issue 19, point 15: the grammatical gender of the title, not the holder's, governs agreement —
in the template («должна знать») and in the shared clauses of roles/_common.yaml («ставших {ему|ей}
известными»)."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_project, run_cli

from jobdesc.commands.textconv import docx_text


@pytest.mark.parametrize(
    ("title", "must", "pronoun"),
    [
        ("Главная медицинская сестра", "Главная медицинская сестра должна знать:", "ставших ей известными"),
        ("Главный бухгалтер", "Главный бухгалтер должен знать:", "ставших ему известными"),
    ],
)
def test_shared_clauses_agree_with_the_title(tmp_path: Path, title: str, must: str, pronoun: str) -> None:
    root = copy_project(tmp_path / "project", editions=False, linked=False)
    source = (root / "roles" / "kam-manager.yaml").read_text("utf-8")
    start = source.index("title: ")
    end = source.index("\n", start)
    (root / "roles" / "other.yaml").write_text(source[:start] + f"title: {title}" + source[end:], "utf-8")
    out = tmp_path / "out"
    result = run_cli("-C", root, "build", "other", "--out", out)
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.replace("\u00a0", " ").split()) for line in docx_text(out / "other.docx").splitlines()]
    assert any(line.endswith(must) for line in lines), must
    text = "\n".join(lines)
    assert pronoun in text and "{" not in text
