"""Processes jobdesc starts end with it: build workers after a SIGKILL, LibreOffice on a timeout or Ctrl-C.

The LibreOffice cases use a stand-in ``soffice`` on PATH (a shell script) that behaves like the
real one where it matters here: it starts a helper process (as ``soffice`` starts ``soffice.bin``),
creates its profile folder, converts some documents and hangs on the one named in ``FAKE_SLOW``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from helpers import copy_project
from hostile import HANG_TIMEOUT

from jobdesc.cli.main import main

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc, uses POSIX signals")

FAKE_SOFFICE = """#!/bin/sh
# A stand-in for LibreOffice: a helper process, a profile folder, PDFs, and a hang on $FAKE_SLOW.
outdir=""
next_is_outdir=""
echo $$ >> "$FAKE_LOG/pids"
for arg in "$@"; do
  case "$arg" in
    -env:UserInstallation=file://*) profile="${arg#-env:UserInstallation=file://}"; mkdir -p "$profile/user"
       echo "$profile" > "$FAKE_LOG/profile" ;;
  esac
  if [ -n "$next_is_outdir" ]; then outdir="$arg"; next_is_outdir=""; fi
  [ "$arg" = "--outdir" ] && next_is_outdir=1
done
sleep 1000 &
echo $! >> "$FAKE_LOG/pids"
for arg in "$@"; do
  case "$arg" in
    *.docx)
      stem=$(basename "$arg" .docx)
      if [ "$stem" = "$FAKE_SLOW" ]; then echo hanging > "$FAKE_LOG/hanging"; sleep 1000; fi
      printf '%%PDF-1.4 stand-in\\n' > "$outdir/$stem.pdf" ;;
  esac
done
"""


def alive(pid: int) -> bool:
    """Running (a zombie nobody has reaped yet counts as ended)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stream:
            return stream.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def wait_until(condition, seconds: float = HANG_TIMEOUT) -> bool:  # noqa: ANN001
    """Poll ``condition`` (generous limit: this is about ending at all, not about speed)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def children(pid: int) -> set[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="utf-8") as stream:
            return {int(p) for p in stream.read().split()}
    except FileNotFoundError:
        return set()


def test_workers_end_when_the_build_is_killed(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", linked=False)
    source = (project / "roles/kam-manager.yaml").read_text(encoding="utf-8")
    for number in range(40):
        (project / f"roles/role-{number:02}.yaml").write_text(source, encoding="utf-8")
    build = subprocess.Popen(
        [sys.executable, "-m", "jobdesc", "-C", str(project), "build", "--jobs", "2", "--out", str(tmp_path / "out")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until(lambda: len(children(build.pid)) >= 2 or build.poll() is not None)
        workers = children(build.pid)
        assert len(workers) >= 2 and build.poll() is None, "the build ended before its workers were seen"
        build.kill()
        build.wait()
        assert wait_until(lambda: not any(alive(pid) for pid in workers)), [p for p in workers if alive(p)]
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()


@pytest.fixture
def fake_soffice(tmp_path: Path) -> dict:
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "soffice"
    script.write_text(FAKE_SOFFICE, encoding="utf-8")
    script.chmod(0o755)
    log = tmp_path / "log"
    log.mkdir()
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}", "FAKE_LOG": str(log)}


def pids(env: dict) -> list[int]:
    path = Path(env["FAKE_LOG"]) / "pids"
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def test_a_libreoffice_timeout_names_the_slow_document_and_stops_it(
    tmp_path: Path, fake_soffice: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobdesc.build import pdf

    monkeypatch.setattr(pdf, "TIMEOUT_SECONDS", 1)
    monkeypatch.setattr(pdf, "PER_FILE_SECONDS", 0)
    project = copy_project(tmp_path / "project", linked=False)
    out = tmp_path / "out"
    env = {**fake_soffice, "FAKE_SLOW": "kam-manager"}  # the second of the batch; kam-head converts

    result = CliRunner().invoke(main, ["-C", str(project), "build", "--pdf", "--out", str(out)], env=env)

    assert result.exit_code == 1, result.output
    problems = [line for line in result.stderr.splitlines() if "LibreOffice" in line]
    assert problems == [
        f"{out / 'kam-manager.docx'}: LibreOffice не сделал PDF за 1 с и остановлен — PDF не создан"
        " (готовы раньше: 1 из 2, но не записаны)"
    ], result.stderr
    assert (Path(env["FAKE_LOG"]) / "hanging").exists()
    started = pids(env)
    assert len(started) == 2
    assert not any(alive(pid) for pid in started), "soffice and its helper are stopped"
    profile = Path((Path(env["FAKE_LOG"]) / "profile").read_text().strip())
    assert profile.name.startswith("jobdesc-soffice-") and not profile.exists()
    assert not list(out.glob("*.pdf")) and not list(out.glob(".pdf-*"))


def test_ctrl_c_stops_libreoffice_and_removes_its_profile(tmp_path: Path, fake_soffice: dict) -> None:
    project = copy_project(tmp_path / "project", linked=False)
    env = {**os.environ, **fake_soffice, "FAKE_SLOW": "kam-head"}
    build = subprocess.Popen(
        [sys.executable, "-m", "jobdesc", "-C", str(project), "build", "--pdf", "--out", str(tmp_path / "out")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert wait_until(lambda: (Path(env["FAKE_LOG"]) / "hanging").exists() or build.poll() is not None)
        assert build.poll() is None, build.communicate()
        build.send_signal(signal.SIGINT)  # to jobdesc alone, as `kill -INT` does
        _, stderr = build.communicate(timeout=HANG_TIMEOUT)
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    assert build.returncode != 0
    assert b"Traceback" not in stderr, stderr.decode()
    started = pids(env)
    assert len(started) == 2
    assert wait_until(lambda: not any(alive(pid) for pid in started), 30), "soffice and its helper are stopped"
    profile = Path((Path(env["FAKE_LOG"]) / "profile").read_text().strip())
    assert not profile.exists()


def test_killing_jobdesc_during_pdf_leaves_no_libreoffice_behind(tmp_path: Path, fake_soffice: dict) -> None:
    project = copy_project(tmp_path / "project", linked=False)
    out = tmp_path / "out"
    env = {**os.environ, **fake_soffice, "FAKE_SLOW": "kam-head"}
    build = subprocess.Popen(
        [sys.executable, "-m", "jobdesc", "-C", str(project), "build", "--pdf", "--out", str(out)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert wait_until(lambda: (Path(env["FAKE_LOG"]) / "hanging").exists() or build.poll() is not None)
        assert build.poll() is None
        build.kill()  # SIGKILL: jobdesc can clean up nothing itself
        build.wait()
    finally:
        if build.poll() is None:
            build.kill()
            build.wait()
    started = pids(env)
    assert len(started) == 2
    assert wait_until(lambda: not any(alive(pid) for pid in started), 30), "soffice and its helper are stopped"
    profile = Path((Path(env["FAKE_LOG"]) / "profile").read_text().strip())
    assert wait_until(lambda: not profile.exists(), 30)
    assert wait_until(lambda: not list(out.glob(".pdf-*")), 30)
