"""Reproducible builds: the same input gives byte-identical DOCX files, whatever the clock or zone."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import docx
import pytest
from helpers import REPO_ROOT, SHIPPED_ROLES, build_into, copy_project, files_in


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped project built in-process, then again in a fresh process with another TZ,
    another hash seed and newer file times."""
    base = tmp_path_factory.mktemp("determinism")
    project = copy_project(base / "project", linked=False)
    first = base / "first"
    build_into(project, first)

    later = dt.datetime(2031, 6, 15, 12, 0).timestamp()
    for path in project.rglob("*"):
        os.utime(path, (later, later))
    second = base / "second"
    env = {
        **os.environ,
        "TZ": "Pacific/Kiritimati",
        "PYTHONHASHSEED": "12345",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")])),
    }
    result = subprocess.run(
        [sys.executable, "-m", "jobdesc", "-C", str(project), "build", "--out", str(second)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return first, second


def test_two_builds_are_byte_identical(two_builds: tuple[Path, Path]) -> None:
    first, second = two_builds
    names = files_in(first)
    assert names == [f"{role}.docx" for role in sorted(SHIPPED_ROLES)]
    assert files_in(second) == names
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_zip_entries_have_a_fixed_time(two_builds: tuple[Path, Path]) -> None:
    first, _ = two_builds
    for name in files_in(first):
        with zipfile.ZipFile(first / name) as package:
            infos = package.infolist()
            assert infos
            assert {info.date_time for info in infos} == {(1980, 1, 1, 0, 0, 0)}, name
            assert package.testzip() is None


def test_core_properties_carry_no_build_time(two_builds: tuple[Path, Path]) -> None:
    first, _ = two_builds
    now = dt.datetime.now(dt.timezone.utc)
    for name in files_in(first):
        properties = docx.Document(str(first / name)).core_properties
        for field in ("created", "modified", "last_printed"):
            value = getattr(properties, field)
            if value is None:
                continue
            if value.tzinfo is None:
                value = value.replace(tzinfo=dt.timezone.utc)
            assert abs(value - now) > dt.timedelta(days=2), (name, field, value)
        with zipfile.ZipFile(first / name) as package:
            core = package.read("docProps/core.xml").decode("utf-8")
        assert dt.date.today().isoformat() not in core
        assert dt.datetime.now(dt.timezone.utc).date().isoformat() not in core


def test_worker_processes_give_the_same_bytes(tmp_path: Path) -> None:
    """A batch large enough for worker processes builds exactly what one process builds."""
    from jobdesc.build.batch import PARALLEL_FROM

    project = copy_project(tmp_path / "project", linked=False)
    source = (project / "roles" / "kam-manager.yaml").read_text(encoding="utf-8")
    for index in range(PARALLEL_FROM + 2):
        text = source.replace(
            "title: Менеджер по работе с ключевыми клиентами",
            f"title: Менеджер по работе с ключевыми клиентами (направление {index + 1})",
        )
        (project / "roles" / f"kam-{index + 1:02d}.yaml").write_text(text, encoding="utf-8")
    one, two = tmp_path / "one", tmp_path / "two"
    build_into(project, one, "--jobs", "1")
    build_into(project, two, "--jobs", "2")
    names = files_in(one)
    assert len(names) == PARALLEL_FROM + 4 and names == files_in(two)
    for name in names:
        assert (one / name).read_bytes() == (two / name).read_bytes(), name
