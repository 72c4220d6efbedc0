"""Worker processes build what one process builds, whatever the platform's start method."""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import REPO_ROOT, build_into, copy_project, files_in, run_cli

from jobdesc.build.batch import PARALLEL_FROM

ROLES = PARALLEL_FROM + 2


def many_roles(target: Path) -> Path:
    """The shipped project with enough copies of a role to be built by worker processes."""
    project = copy_project(target, editions=False, linked=False)
    text = (project / "roles" / "kam-manager.yaml").read_text(encoding="utf-8")
    for n in range(1, ROLES + 1):
        (project / "roles" / f"kam-manager-{n:02d}.yaml").write_text(text, encoding="utf-8")
    return project


def contents(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in files_in(out)}


@pytest.mark.skipif("spawn" not in multiprocessing.get_all_start_methods(), reason="no spawn start method")
def test_workers_started_by_spawn_build_the_same_files(tmp_path: Path) -> None:
    """spawn is the default on macOS and Windows (jobdesc no longer forces fork); the default
    elsewhere is used by the rest of the suite."""
    method = "spawn"
    project = many_roles(tmp_path / "project")
    serial = tmp_path / "serial"
    build_into(project, serial, "--jobs", "1")
    parallel = tmp_path / "parallel"
    script = (
        "import multiprocessing, sys\n"
        f"multiprocessing.set_start_method({method!r})\n"
        "from jobdesc.cli.main import main\n"
        "main(sys.argv[1:], prog_name='jobdesc')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}

    result = subprocess.run(
        [sys.executable, "-c", script, "-C", str(project), "build", "--jobs", "2", "--out", str(parallel)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == ROLES + 2
    assert contents(parallel) == contents(serial)
    shutil.rmtree(parallel)


def test_an_in_process_build_leaves_the_callers_garbage_collector_alone(tmp_path: Path) -> None:
    """A small build renders in the calling process: the collector's threshold and frozen objects
    (set for rendering, :func:`jobdesc.build.batch._collect_garbage_rarely`) are given back as they
    were, for the test process or a program using jobdesc."""
    root = copy_project(tmp_path / "project", editions="all")
    threshold, frozen = gc.get_threshold(), gc.get_freeze_count()
    try:
        result = run_cli("-C", root, "build")
        assert result.exit_code == 0, result.output
        assert (gc.get_threshold(), gc.get_freeze_count()) == (threshold, frozen)
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_a_workers_door_lists_folders(tmp_path: Path) -> None:
    """A worker started by spawn (macOS, Windows) gets the project's files pickled, without what the
    parent read: its door lists a folder as the parent's does (it had no listings: AttributeError)."""
    import pickle

    from jobdesc.disk.reading import ProjectFiles

    (tmp_path / "kam-manager.yaml").write_text("title: x\n", encoding="utf-8")
    parent = ProjectFiles()
    assert [name for name, _ in parent.entries(tmp_path)] == ["kam-manager.yaml"]

    worker = pickle.loads(pickle.dumps(parent))  # noqa: S301 - made just now

    assert [name for name, _ in worker.entries(tmp_path)] == ["kam-manager.yaml"]
