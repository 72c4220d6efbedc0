"""No half-written documents: ``jobdesc build`` killed part-way leaves only whole files.

A project of ~40 roles is built once, every role is then changed, and a second build is killed
with SIGKILL (the whole process group, workers included) at several moments. Afterwards every
``.docx`` in the output folder must be a complete package that python-docx opens; a document of
the first build must be byte-identical to its old self or a complete new one; temporary files
left by the kill must not look like documents.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from helpers import unlinked

REPO = Path(__file__).resolve().parent.parent
ROLES = 40
OLD_DUTY = "Соблюдает режим коммерческой тайны."
NEW_DUTY = "Соблюдает режим коммерческой тайны и защиты персональных данных."

pytestmark = pytest.mark.skipif(
    not hasattr(signal, "SIGKILL") or not hasattr(os, "killpg"), reason="needs POSIX process groups and SIGKILL"
)


def make_project(target: Path) -> Path:
    target.mkdir(parents=True)
    shutil.copy2(REPO / "jobdesc.yaml", target / "jobdesc.yaml")
    roles = target / "roles"
    roles.mkdir()
    shutil.copy2(REPO / "roles" / "_common.yaml", roles / "_common.yaml")
    text = unlinked((REPO / "roles" / "kam-manager.yaml").read_text(encoding="utf-8"))
    for n in range(1, ROLES + 1):
        (roles / f"kam-manager-{n:02d}.yaml").write_text(text, encoding="utf-8")
    return target


def jobdesc(project: Path, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
    return subprocess.Popen(
        [sys.executable, "-m", "jobdesc", "-C", str(project), "build", *args],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )


def documents(out: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(out.glob("*.docx"))}


def assert_whole_docx(path: Path) -> str:
    """``path`` is a complete DOCX that python-docx opens; its text."""
    import docx

    with zipfile.ZipFile(path) as package:
        assert package.testzip() is None, f"{path.name}: a damaged member"
        assert "word/document.xml" in package.namelist()
    document = docx.Document(str(path))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.fixture(scope="module")
def first_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, bytes]]:
    """A project of many roles, built once completely; the documents of that build."""
    base = tmp_path_factory.mktemp("atomic")
    project = make_project(base / "template-project")
    process = jobdesc(project)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode("utf-8", "replace")
    old = documents(project / "output")
    assert len(old) == ROLES
    return project, old


def kill_group(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait(timeout=30)
    if process.stderr is not None:
        process.stderr.close()
    time.sleep(0.2)  # let orphaned workers of the group be reaped by the kernel


def wait_for_first_change(out: Path, old: dict[str, bytes], process: subprocess.Popen, limit: float = 60) -> None:
    """Poll until one document differs from the first build (or the build ends)."""
    stamps = {name: (out / name).stat().st_mtime_ns for name in old}
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and process.poll() is None:
        for name, stamp in stamps.items():
            try:
                if (out / name).stat().st_mtime_ns != stamp:
                    return
            except FileNotFoundError:
                return
        time.sleep(0.002)


@pytest.mark.parametrize("moment", ["first-new-file", "0.05s", "0.3s", "0.8s", "sequential-first-new-file"])
def test_killed_build_leaves_only_whole_documents(
    moment: str, first_build: tuple[Path, dict[str, bytes]], tmp_path: Path
) -> None:
    template, old = first_build
    project = tmp_path / "project"
    shutil.copytree(template, project)
    for path in (project / "roles").glob("kam-manager-*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace(OLD_DUTY, NEW_DUTY), encoding="utf-8")
    out = project / "output"

    process = jobdesc(project, *(["--jobs", "1"] if moment.startswith("sequential") else []))
    if moment.endswith("first-new-file"):
        wait_for_first_change(out, old, process)
    else:
        time.sleep(float(moment.rstrip("s")))
    kill_group(process)

    leftovers = sorted(p.name for p in out.iterdir() if p.name.endswith(".tmp"))
    for name in leftovers:
        assert name.startswith(".") and not name.endswith(".docx"), name
    new = documents(out)
    assert set(new) == set(old), "no document vanished, no odd file appeared"
    changed = 0
    for name, data in new.items():
        text = assert_whole_docx(out / name)
        if data != old[name]:
            changed += 1
            assert NEW_DUTY in text, f"{name}: neither the old document nor a complete new one"
        else:
            assert OLD_DUTY in text
    manifest = out / ".jobdesc-manifest.json"
    if manifest.exists():
        json.loads(manifest.read_text(encoding="utf-8"))  # whole, never half-written

    # a build after the crash finishes the job
    process = jobdesc(project)
    _, stderr = process.communicate(timeout=300)
    assert process.returncode == 0, stderr.decode("utf-8", "replace")
    for name in documents(out):
        assert NEW_DUTY in assert_whole_docx(out / name)


def _record_disk_calls(monkeypatch: pytest.MonkeyPatch, syncfs_result: int = 0) -> list[tuple[str, str]]:
    """Every sync of a file system (``syncfs``, answering ``syncfs_result``), fsync and rename
    jobdesc makes, in order: ("sync"|"fsync"|"replace", target name)."""
    from jobdesc.disk import fsutil

    calls: list[tuple[str, str]] = []
    real_replace, real_fsync = os.replace, os.fsync

    def syncfs(handle: int) -> int:
        calls.append(("sync", ""))
        return syncfs_result

    monkeypatch.setattr(fsutil, "_syncfs", lambda: syncfs)
    monkeypatch.setattr(os, "sync", lambda: calls.append(("sync of every disk", "")))

    def fsync(handle: int) -> None:
        calls.append(("fsync", ""))
        real_fsync(handle)

    def replace(source: str | Path, target: str | Path) -> None:
        calls.append(("replace", Path(target).name))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    return calls


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="one sync of the disk on Linux")
def test_a_batch_puts_its_documents_on_disk_together_and_renames_each_after(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import run_cli

    from jobdesc.disk.fsutil import DeferredWrites

    project = make_project(tmp_path / "project")
    monkeypatch.setattr(DeferredWrites, "LIMIT", 16)
    calls = _record_disk_calls(monkeypatch)
    result = run_cli("-C", project, "build", "--jobs", "1")
    assert result.exit_code == 0, result.stderr

    documents_calls = [(what, name) for what, name in calls if what == "sync" or name.endswith(".docx")]
    # 40 documents: synced and renamed 16, 16 and 8 at a time, never one renamed before its sync
    assert [what for what, _ in documents_calls] == (["sync"] + ["replace"] * 16) * 2 + ["sync"] + ["replace"] * 8
    assert sorted(name for what, name in documents_calls if what == "replace") == sorted(documents(project / "output"))
    assert [name for what, name in calls if what == "replace"][-1] == ".jobdesc-manifest.json"
    assert calls[-2:] == [("fsync", ""), ("replace", ".jobdesc-manifest.json")]  # the manifest as before: its own fsync
    for name in documents(project / "output"):
        assert_whole_docx(project / "output" / name)
    assert not [p.name for p in (project / "output").iterdir() if p.name.endswith(".tmp")]


def test_a_batch_stopped_half_way_renames_only_what_reached_the_disk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import run_cli

    from jobdesc.build import batch
    from jobdesc.disk.fsutil import DeferredWrites

    project = make_project(tmp_path / "project")
    monkeypatch.setattr(DeferredWrites, "LIMIT", 16)
    real_build_one = batch._build_one
    built: list[str] = []

    def build_one(source):  # noqa: ANN001, ANN202 - the batch's own signature
        if len(built) == 20:
            raise KeyboardInterrupt  # Ctrl-C in the 21st document
        built.append(source[1].stem)
        return real_build_one(source)

    monkeypatch.setattr(batch, "_build_one", build_one)
    result = run_cli("-C", project, "build", "--jobs", "1")
    assert result.exit_code != 0

    out = project / "output"
    assert sorted(documents(out)) == sorted(f"{stem}.docx" for stem in built[:16])  # the first sync's, whole
    for name in documents(out):
        assert_whole_docx(out / name)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]  # the four written after it: removed


def test_deferred_writes_fsync_each_file_where_there_is_no_sync_that_waits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobdesc.disk import fsutil

    writes = fsutil.DeferredWrites()
    (tmp_path / "a.docx").write_bytes(b"old")
    written = writes.write_all([(tmp_path / "a.docx", b"new a"), (tmp_path / "b.docx", b"new b")])
    assert written == [tmp_path / "a.docx", tmp_path / "b.docx"]
    assert (tmp_path / "a.docx").read_bytes() == b"old" and not (tmp_path / "b.docx").exists()  # not yet renamed

    calls = _record_disk_calls(monkeypatch)
    monkeypatch.setattr(fsutil.sys, "platform", "darwin")  # macOS's sync may return before the data is written
    writes.flush()

    assert calls == [("fsync", ""), ("fsync", ""), ("replace", "a.docx"), ("replace", "b.docx")]
    assert (tmp_path / "a.docx").read_bytes() == b"new a" and (tmp_path / "b.docx").read_bytes() == b"new b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.docx", "b.docx"]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="syncfs is Linux's")
def test_deferred_writes_sync_the_output_file_system_once_or_each_file_when_that_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobdesc.disk import fsutil

    for result, expected in ((0, ["sync"]), (-1, ["sync", "fsync", "fsync"])):
        writes = fsutil.DeferredWrites()
        writes.write_all([(tmp_path / "a.docx", b"new a"), (tmp_path / "b.docx", b"new b")])
        calls = _record_disk_calls(monkeypatch, result)
        writes.flush()
        assert [what for what, _ in calls if what != "replace"] == expected  # never a sync of every disk
        assert (tmp_path / "a.docx").read_bytes() == b"new a" and (tmp_path / "b.docx").read_bytes() == b"new b"
        monkeypatch.undo()


def test_syncfs_is_the_c_library_s_on_linux() -> None:
    from jobdesc.disk import fsutil

    if sys.platform.startswith("linux"):
        syncfs = fsutil._syncfs()
        assert syncfs is not None
        handle = os.open(".", os.O_RDONLY)
        try:
            assert syncfs(handle) == 0
        finally:
            os.close(handle)
