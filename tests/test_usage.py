"""Command-line mistakes: one Russian line naming the option, exit code 1; --help in Russian."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from helpers import run_cli

from jobdesc.cli.main import main

run = run_cli


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            ("build", "--copies", "3"),
            "недопустимое значение --copies: 3, допустимо от 1 до 2 (справка: jobdesc build --help)",
        ),
        (("bogus",), "нет команды «bogus» (справка: jobdesc --help)"),
        (("diff",), "не указан аргумент ID (справка: jobdesc diff --help)"),
        (("forms",), "не указан аргумент ID (справка: jobdesc forms --help)"),
        (("approve", "--date", "2026-12-01"), "не указан аргумент ID (справка: jobdesc approve --help)"),
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


def test_a_date_must_be_written_as_dd_mm_yyyy_or_yyyy_mm_dd() -> None:
    result = run("approve", "kam-manager", "--date", "20261201")
    assert result.exit_code == 1
    assert result.stderr == "--date: «20261201» — не дата: пишите ДД.ММ.ГГГГ или ГГГГ-ММ-ДД (например 27.11.2026)\n"


def _commands(group, prefix: tuple[str, ...] = ()):  # noqa: ANN001, ANN202 - click objects
    import click

    for name, command in group.commands.items():
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("args", [(), *_commands(main)], ids=lambda args: " ".join(args) or "jobdesc")
def test_every_help_has_russian_headings(args: tuple[str, ...]) -> None:
    """Every --help: Russian headings and value names, none of click's English ones."""
    result = CliRunner().invoke(main, [*args, "--help"], prog_name="jobdesc")

    assert result.exit_code == 0, result.output
    assert result.output.startswith("Использование: jobdesc")
    assert "Параметры:" in result.output
    for english in ("Usage:", "Options:", "Commands:", "DIRECTORY", " TEXT", "INTEGER", "[OPTIONS]", "ROLE"):
        assert english not in result.output, (english, result.output)
