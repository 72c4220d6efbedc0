"""The README documents every command and option, and its Quick start is the CI's test command."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from jobdesc.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(main.commands))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"jobdesc {name}" in README, f"README does not mention `jobdesc {name}`"


@pytest.mark.parametrize(
    ("command", "option"),
    [
        (name, flag)
        for name, command in sorted(main.commands.items())
        for param in command.params
        for flag in param.opts
        if flag.startswith("--") and flag != "--help"
    ],
)
def test_every_option_is_in_the_readme(command: str, option: str) -> None:
    rows = [line for line in README.splitlines() if line.startswith(f"| `jobdesc {command}")]
    assert rows, f"README's command table has no row for `jobdesc {command}`"
    assert option in rows[0], f"README's row for `jobdesc {command}` does not mention {option}"


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    block = re.search(r"## Быстрый старт.*?```sh\n(.*?)```", README, re.S)
    assert block, "the README opens with a Quick start code block"
    commands = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(commands) == 2
    assert "jobdesc build" in commands[0]
    assert "pytest" in commands[1]
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
