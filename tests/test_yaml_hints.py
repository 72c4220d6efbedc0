"""YAML that means something else than HR meant: a clause cut by « #», a text starting with a YAML
sign, a clause with «: » — each one line saying to put the clause in quotes."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import assert_clean_failure, copy_project, line_of, run_cli

ROLE = "roles/kam-manager.yaml"


def insert_duty(project: Path, raw_line: str) -> int:
    path = project / ROLE
    text = path.read_text(encoding="utf-8").replace("\nduties:\n", f"\nduties:\n{raw_line}\n", 1)
    path.write_text(text, encoding="utf-8")
    return line_of(text, raw_line)


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("  - Соблюдает режим коммерческой тайны #1 организации.", "комментарий YAML"),
        ("  - {{ role.title }} ведет переговоры.", "текст начинается с «{»"),
        ("  - [Важно] ведет переговоры.", "текст начинается с «[»"),
        ("  - Осуществляет: мерчандайзинг.", "возьмите весь пункт в кавычки"),
    ],
)
def test_one_line_that_says_to_quote_the_clause(tmp_path: Path, raw: str, words: str) -> None:
    project = copy_project(tmp_path / "project")
    line = insert_duty(project, raw)

    lines = assert_clean_failure(run_cli("-C", project, "check"))

    assert len(lines) == 1, lines
    assert lines[0].startswith(f"{ROLE}:{line}: "), lines
    assert words in lines[0], lines
    assert "кавычки" in lines[0]


@pytest.mark.parametrize(
    "raw",
    ['  - "Соблюдает режим коммерческой тайны #1."', "  - Номер#1 без пробела.", "  - 'Осуществляет: мерчандайзинг.'"],
)
def test_quoted_or_harmless_text_is_fine(tmp_path: Path, raw: str) -> None:
    project = copy_project(tmp_path / "project")
    insert_duty(project, raw)
    result = run_cli("-C", project, "check")
    assert result.exit_code == 0, result.output


def test_a_comment_after_a_shared_clause_marker_is_fine(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    path = project / ROLE
    text = path.read_text(encoding="utf-8").replace("\nrights:\n", "\nrights:\n  - use: common   # общие права\n", 1)
    path.write_text(text, encoding="utf-8")
    (project / "roles" / "_common.yaml").write_text(
        (project / "roles" / "_common.yaml").read_text(encoding="utf-8") + "rights:\n  - Общее право.\n",
        encoding="utf-8",
    )
    result = run_cli("-C", project, "check")
    assert result.exit_code == 0, result.output
