"""Helpers shared by the test modules (the fixtures are in ``conftest.py``)."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner, Result

from jobdesc.cli import main

REPO_ROOT = Path(__file__).resolve().parent.parent
PROJECT_PARTS = ("jobdesc.yaml", "roles", "templates")
SHIPPED_ROLES = ("kam-head", "kam-manager")

COPY_MARK_1 = "Экземпляр №\u00a01 — хранится у работодателя"
COPY_MARK_2 = "Экземпляр №\u00a02 — выдается работнику"
ACK_TITLE = "ЛИСТ ОЗНАКОМЛЕНИЯ"
ACK_HEADER = ("№\u00a0п/п", "Ф.И.О. работника", "Должность", "Дата ознакомления", "Подпись")

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
NS = {"w": W_NS}


def copy_project(target: Path) -> Path:
    """Copy the shipped ``jobdesc.yaml``, ``roles/`` and ``templates/`` into ``target``."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        source = REPO_ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part)
        else:
            shutil.copy2(source, target / part)
    return target


def run_cli(*args: str | Path, env: dict | None = None) -> Result:
    """``jobdesc ARGS`` in-process; stdout and stderr are kept apart (click >= 8.2)."""
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def assert_clean_failure(result: Result) -> list[str]:
    """Exit 1 through click's error path (no traceback); returns the stderr lines."""
    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    assert "Traceback" not in result.stderr
    assert result.stdout == "", f"a failed command prints nothing on stdout, got {result.stdout!r}"
    lines = result.stderr.splitlines()
    assert lines, "a failure must say what is wrong on stderr"
    return lines


def line_of(text: str, needle: str, start: int = 1) -> int:
    """1-based number of the first line of ``text`` (from line ``start`` on) that starts with ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if number >= start and line.startswith(needle):
            return number
    raise AssertionError(f"{needle!r} not found in the text")


def build_into(project_dir: Path, out: Path, *extra: str) -> Result:
    """``jobdesc -C project_dir build --out out EXTRA``, which must succeed."""
    result = run_cli("-C", project_dir, "build", "--out", out, *extra)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def docx_part(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as package:
        return package.read(name)


def files_in(folder: Path) -> list[str]:
    """The documents under ``folder`` (relative, sorted): every file but hidden bookkeeping files.

    Empty when the folder does not exist. Temporary files left behind are found by :func:`leftovers`.
    """
    if not folder.exists():
        return []
    return sorted(
        p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")
    )


def leftovers(folder: Path) -> list[str]:
    """Temporary files (``*.tmp``) left in ``folder`` by an interrupted or failed write."""
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.rglob("*") if p.name.endswith(".tmp"))
