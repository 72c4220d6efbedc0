"""Issue 22, a day of HR work: what a new user tripped on in an own project, point by point."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from helpers import run_cli

# --- 2. the pre-commit hook that init writes ----------------------------------------------------


def _hook(project: Path) -> dict:
    config = yaml.safe_load((project / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return config["repos"][0]["hooks"][0]


def test_the_hook_of_init_watches_every_file_check_reads_and_is_strict(tmp_path: Path) -> None:
    assert run_cli("init", tmp_path / "hr").exit_code == 0
    hook = _hook(tmp_path / "hr")
    files = re.compile(hook["files"])
    for path in ("policies/sales.yaml", "staff.yaml", "acks/kam-manager/0000012.edition-1.yaml", "jobdesc.yaml"):
        assert files.search(path), path
    for path in ("output/kam-manager.docx", "README.md", "jobdesc.yaml.bak"):
        assert not files.search(path), path
    assert hook["entry"].endswith("jobdesc check --strict'")


def test_the_hook_of_init_says_how_to_fix_a_jobdesc_not_on_path(tmp_path: Path) -> None:
    assert run_cli("init", tmp_path / "hr").exit_code == 0
    command = shlex.split(_hook(tmp_path / "hr")["entry"])

    lonely = subprocess.run(command, cwd=tmp_path / "hr", env={"PATH": "/usr/bin:/bin"}, capture_output=True, text=True)
    assert lonely.returncode == 1
    assert "jobdesc не найден: включите виртуальное окружение" in lonely.stderr
    assert "not found" not in lonely.stderr

    path = os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    found = subprocess.run(
        command, cwd=tmp_path / "hr", env={**os.environ, "PATH": path}, capture_output=True, text=True
    )
    assert found.returncode == 1  # the placeholders of jobdesc.yaml: check ran, and failed
    assert "jobdesc.yaml:" in found.stderr and "заготовка" in found.stderr
