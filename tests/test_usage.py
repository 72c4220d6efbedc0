"""Command-line mistakes: one Russian line naming the option, exit code 1; --help in Russian."""

from __future__ import annotations

import pytest
from helpers import run_cli

run = run_cli


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("build", "--copies", "3"),
            "недопустимое значение --copies: 3, допустимо от 1 до 2 (справка: jobdesc build --help)",
        ),
        (("bogus",), "нет команды «bogus» (справка: jobdesc --help)"),
        (("diff",), "не указан аргумент ROLE (справка: jobdesc diff --help)"),
        (("redline", "kam-manager"), "не указан параметр --out (справка: jobdesc redline --help)"),
        (
            ("diff", "kam-manager", "--format", "xml"),
            "недопустимое значение --format: «xml», допустимо: text, json, amendment (справка: jobdesc diff --help)",
        ),
        (
            ("build", "--jobs", "x"),
            "недопустимое значение --jobs: «x» — не целое число (справка: jobdesc build --help)",
        ),
        (("build", "--nope"), "нет параметра --nope"),
    ],
)
def test_a_command_line_mistake_is_one_russian_line(args: tuple[str, ...], expected: str) -> None:
    result = run(*args)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith(expected), lines


@pytest.mark.parametrize("command", ["build", "check", "diff", "approve"])
def test_help_is_in_russian(command: str) -> None:
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Показать эту справку и выйти." in result.stdout
    assert "Show this message" not in result.stdout


def test_a_date_must_be_written_as_yyyy_mm_dd() -> None:
    result = run("approve", "kam-manager", "--date", "20261201")
    assert result.exit_code == 1
    assert result.stderr == "--date: «20261201» — не дата в виде ГГГГ-ММ-ДД (например 2026-11-27)\n"
