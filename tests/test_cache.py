"""jobdesc's cache on disk changes nothing but time: empty, filled, damaged or unusable, the
documents are the same bytes and ``check`` says the same."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import REPO_ROOT, copy_project, files_in


def _run(project: Path, cache: Path, *args: str) -> subprocess.CompletedProcess:
    """``jobdesc ARGS`` in a fresh process (nothing cached in memory) with ``cache`` as its cache."""
    env = {
        **os.environ,
        "JOBDESC_CACHE_DIR": str(cache),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.run(
        [sys.executable, "-m", "jobdesc", "-C", str(project), *args], capture_output=True, text=True, env=env
    )


def _build(project: Path, cache: Path, out: Path) -> dict[str, bytes]:
    result = _run(project, cache, "build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    checked = _run(project, cache, "check")
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.startswith("Ошибок нет: 2 роли"), checked.stdout
    return {name: (out / name).read_bytes() for name in files_in(out)}


def test_cache_changes_no_byte(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", editions="all")  # amendments and reference copies too
    cache = tmp_path / "cache"

    empty = _build(project, cache, tmp_path / "empty")
    kinds = sorted(path.name.split("-")[0] for path in cache.iterdir())
    assert kinds == ["jinja", "packages", "schemas", "titles"]
    assert _build(project, cache, tmp_path / "filled") == empty

    for path in cache.rglob("*"):  # every entry damaged: each is computed anew, never trusted
        if path.is_file():
            path.write_bytes(b"\x00not what was stored")
    assert _build(project, cache, tmp_path / "damaged") == empty

    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    assert _build(project, blocked / "cache", tmp_path / "unusable") == empty
    assert len(empty) == 8 and all(
        data.startswith(b"PK") for data in empty.values()
    )  # 2 × (reference, edition 1, amendment) + the order
