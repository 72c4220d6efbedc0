"""``--version``, shell completion (click's ``_JOBDESC_COMPLETE``) and the pre-commit hook manifest."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import copy_project, run_cli

from jobdesc import __version__
from jobdesc.cli.main import main

REPO = Path(__file__).resolve().parent.parent


def complete(env: dict[str, str]):  # noqa: ANN201
    return run_cli(env=env)


def test_version() -> None:
    result = run_cli("--version")

    assert result.exit_code == 0
    assert re.fullmatch(r"jobdesc \d+\.\d+\.\d+\n", result.stdout), result.stdout
    assert result.stdout == f"jobdesc {__version__}\n"


@pytest.mark.parametrize(
    ("shell", "marker"),
    [("bash", "_jobdesc_completion"), ("zsh", "#compdef jobdesc"), ("fish", "complete --no-files --command jobdesc")],
)
def test_completion_script(shell: str, marker: str) -> None:
    result = complete({"_JOBDESC_COMPLETE": f"{shell}_source"})

    assert result.exit_code == 0, result.output
    assert marker in result.stdout
    assert "_JOBDESC_COMPLETE" in result.stdout


def test_completion_script_from_a_fresh_interpreter() -> None:
    env = {
        **os.environ,
        "_JOBDESC_COMPLETE": "bash_source",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }

    result = subprocess.run(
        [sys.executable, "-c", "from jobdesc.cli.main import main; main(prog_name='jobdesc')"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "_jobdesc_completion" in result.stdout


def test_completion_of_commands() -> None:
    result = complete({"_JOBDESC_COMPLETE": "bash_complete", "COMP_WORDS": "jobdesc sch", "COMP_CWORD": "1"})

    assert result.stdout.splitlines() == ["plain,schema"]


def test_completion_of_schema_kinds() -> None:
    result = complete({"_JOBDESC_COMPLETE": "bash_complete", "COMP_WORDS": "jobdesc schema c", "COMP_CWORD": "2"})

    assert result.stdout.splitlines() == ["plain,config"]


def test_completion_of_role_ids_for_new_from(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", editions=False)

    result = complete(
        {
            "_JOBDESC_COMPLETE": "bash_complete",
            "COMP_WORDS": f"jobdesc -C {project} new x --from kam-",
            "COMP_CWORD": "6",
        }
    )

    assert result.stdout.splitlines() == ["plain,kam-head", "plain,kam-manager", "plain,kam-department"]


def test_completion_of_role_ids_outside_a_project(tmp_path: Path) -> None:
    result = complete(
        {"_JOBDESC_COMPLETE": "bash_complete", "COMP_WORDS": f"jobdesc -C {tmp_path} new x --from ", "COMP_CWORD": "6"}
    )

    assert result.exit_code == 0
    assert result.stdout.strip() == ""


def test_pre_commit_hook_manifest() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))

    hook = next(h for h in hooks if h["id"] == "jobdesc-check")
    assert hook["entry"] == "jobdesc check --strict"  # warnings stop the commit too
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    files = re.compile(hook["files"])
    for path in (
        "roles/kam-manager.yaml",
        "roles/kam-manager.editions/001.yaml",
        "templates/styles.docx",
        "jobdesc.yaml",
        "policies/kam-department.yaml",
        "staff.yaml",
        "acks/kam-manager/0000012.edition-1.yaml",
    ):
        assert files.search(path), path
    for path in (
        "jobdesc.yaml.bak",
        "README.md",
        "jobdesc/cli/main.py",
        "output/kam-manager.docx",
        "tests/roles/x.yaml",
    ):
        assert not files.search(path), path
    command = hook["entry"].split()
    assert command[0] == "jobdesc"
    assert command[1] in main.commands
