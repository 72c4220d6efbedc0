"""Ctrl-C and runaway parallelism (issue 21): Ctrl-C at any moment is «Прервано.» and exit code 1,
never a traceback (not even from a worker) and never a temporary left behind; ``--jobs`` is
capped by the cores and the documents."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import copy_project, run_cli

from jobdesc.build import batch

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="POSIX signals")

ROLES = batch.PARALLEL_FROM + 4


def many_roles(target: Path) -> Path:
    project = copy_project(target, editions=False, linked=False)
    text = (project / "roles" / "kam-manager.yaml").read_text(encoding="utf-8")
    for n in range(1, ROLES + 1):
        (project / "roles" / f"kam-manager-{n:02d}.yaml").write_text(text, encoding="utf-8")
    return project


def interrupted(args: list[str], after: float, until: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m jobdesc ARGS`` sent SIGINT (to its whole process group, as a terminal does)
    ``after`` s after jobdesc's own code began (Python reports each import: the time Python itself
    takes to start varies with the machine's load, and a Ctrl-C inside it is Python's, README), or
    as soon as a DOCX appears in ``until``. The import reports are left out of the stderr returned."""
    import threading

    process = subprocess.Popen(
        [sys.executable, "-X", "importtime", "-m", "jobdesc", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        # as from a terminal, even when the tests run in the background (a shell's `&` ignores Ctrl-C)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),  # noqa: PLW1509 - no threads yet
    )
    loaded, started = threading.Event(), threading.Event()
    lines: list[bytes] = []

    def read() -> None:
        for line in process.stderr:
            if not line.startswith(b"import time:"):
                lines.append(line)
            elif loaded.is_set():  # the first module imported inside jobdesc.cli.run
                started.set()
            elif line.rstrip().endswith(b"| jobdesc.cli"):
                loaded.set()
        started.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    started.wait(timeout=120)
    time.sleep(after)
    while until is not None and process.poll() is None and not list(until.glob("*.docx")):
        time.sleep(0.005)
    try:
        os.killpg(process.pid, signal.SIGINT)
    except ProcessLookupError:
        pass
    stdout = process.stdout.read()
    process.wait(timeout=120)
    reader.join(timeout=120)
    process.stdout.close()
    process.stderr.close()
    return subprocess.CompletedProcess(process.args, process.returncode, stdout, b"".join(lines))


def test_ctrl_c_while_the_commands_load_is_no_traceback() -> None:
    """Ctrl-C while Python loads jobdesc's commands (the first tenth of a second of every run)."""
    script = (
        "import sys\n"
        "class Interrupt:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'jobdesc.cli.main':\n"
        "            raise KeyboardInterrupt\n"
        "sys.meta_path.insert(0, Interrupt())\n"
        "sys.argv[0] = 'jobdesc'\n"
        "from jobdesc.cli import run\n"
        "run()\n"
    )
    done = subprocess.run([sys.executable, "-c", script, "check"], capture_output=True, timeout=120, check=False)
    assert (done.returncode, done.stderr.decode("utf-8")) == (1, "Прервано.\n")


@pytest.mark.parametrize("after", [0.0, 0.05, 0.15, 0.3, 0.6])
def test_ctrl_c_during_approve_is_no_traceback_and_no_half_edition(tmp_path: Path, after: float) -> None:
    """From the first moment of jobdesc's code on: «Прервано.» and exit code 1 — never Python's own
    end by SIGINT after that line (it was, one run in three: see the next test)."""
    project = copy_project(tmp_path / "project", editions=False)
    done = interrupted(["-C", str(project), "approve", "kam-manager", "--date", "2026-12-01"], after)
    stderr = done.stderr.decode("utf-8", "replace")
    editions = project / "roles" / "kam-manager.editions"
    written = sorted(p.name for p in editions.iterdir()) if editions.exists() else []
    if done.returncode == 0:  # the approval was quicker than the Ctrl-C
        assert written == ["001.yaml"], written
    else:
        assert (done.returncode, stderr.strip()) == (1, "Прервано."), (done.returncode, stderr)
        assert written == [], written


SITE_INTERRUPT = """
import sys
class Interrupt:
    def find_spec(self, name, path=None, target=None):
        if name == {module!r}:
            exec("raise KeyboardInterrupt")  # as when Ctrl-C lands in a dataclass being made
sys.meta_path.insert(0, Interrupt())
"""


@pytest.mark.parametrize("module", ["jobdesc.cli.main", "jobdesc.commands.approve"])
def test_ctrl_c_inside_code_python_runs_from_a_string_is_exit_code_1(tmp_path: Path, module: str) -> None:
    """A KeyboardInterrupt that passes through ``exec`` of a string (dataclasses and namedtuples
    are made so while modules load) made Python end itself by SIGINT after jobdesc had printed
    «Прервано.» and chosen exit code 1 (``python -m jobdesc``): CPython's mark of an unhandled
    Ctrl-C stayed set. Here the Ctrl-C is made to land there every time: while the commands load,
    and inside a command."""
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "sitecustomize.py").write_text(SITE_INTERRUPT.format(module=module), encoding="utf-8")
    project = copy_project(tmp_path / "project", editions=False)
    done = subprocess.run(
        [sys.executable, "-m", "jobdesc", "-C", str(project), "approve", "kam-manager", "--date", "2026-12-01"],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", "PYTHONPATH": str(tmp_path / "site")},
    )
    assert (done.returncode, done.stderr.decode("utf-8").strip()) == (1, "Прервано.")  # after click's new line
    assert not (project / "roles" / "kam-manager.editions").exists()


def test_ctrl_c_in_a_parallel_build_is_one_line_and_leaves_no_temporary(tmp_path: Path) -> None:
    project = many_roles(tmp_path / "project")
    out = tmp_path / "out"
    done = interrupted(["-C", str(project), "build", "--jobs", "2", "--out", str(out)], 0.0, until=out)
    assert done.returncode == 1, done.stderr.decode("utf-8", "replace")  # stopped half-way
    stderr = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
    assert done.returncode in (0, 1), (done.returncode, stderr)
    leftovers = [p.name for p in out.rglob("*.tmp")] if out.exists() else []
    assert leftovers == []


def test_jobs_are_capped_by_cores_and_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import concurrent.futures

    started: list[int] = []
    real = concurrent.futures.ProcessPoolExecutor

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, workers: int, *args: object, **kwargs: object) -> None:
            started.append(workers)
            super().__init__(workers, *args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Counting)
    monkeypatch.setattr(batch, "_cores", lambda: 2)
    project = many_roles(tmp_path / "project")

    done = run_cli("-C", project, "build", "--jobs", "64", "--out", tmp_path / "out")

    assert done.exit_code == 0, done.output
    assert started == [2]


def test_two_approvals_with_one_order_number_at_once_leave_a_valid_project(tmp_path: Path) -> None:
    """Two `approve` processes at once, one order number with two dates: one is refused (the
    project's lock makes the second see the first), and `check` passes."""
    import datetime as dt

    from helpers import copy_project as copy

    today = dt.date.today()
    for round_ in range(2):
        project = copy(tmp_path / f"project-{round_}", editions=False)
        commands = [
            [
                sys.executable,
                "-m",
                "jobdesc",
                "-C",
                str(project),
                "approve",
                doc,
                "--date",
                day.isoformat(),
                "--order",
                "7-к",
            ]
            for doc, day in (("kam-manager", today), ("kam-head", today - dt.timedelta(days=1)))
        ]
        runs = [subprocess.Popen(c, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for c in commands]
        outputs = [run.communicate(timeout=120) for run in runs]
        codes = sorted(run.returncode for run in runs)
        assert codes == [0, 1], (codes, outputs)
        assert run_cli("-C", project, "check").exit_code == 0


HOLD_LOCK = """
import sys
from filelock import FileLock
lock = FileLock(sys.argv[1])
lock.acquire()
print("held", flush=True)
sys.stdin.read()
"""


def test_an_approval_waits_for_the_lock_another_process_holds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The approvals' lock is an operating-system lock on ``.jobdesc/approval.lock`` taken through
    ``filelock`` (``flock`` here, ``LockFileEx`` on Windows: the same code): while another
    process holds it, `approve` waits, then says so in one line and writes nothing; once it is
    released (the holder ended), `approve` goes ahead."""
    from jobdesc.disk import fsutil

    project = copy_project(tmp_path / "project", editions=False)
    (project / ".jobdesc").mkdir()
    monkeypatch.setattr(fsutil, "LOCK_SECONDS", 0.3)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(project / fsutil.LOCK_FILE)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline() == b"held\n"
        refused = run_cli("-C", project, "approve", "kam-manager", "--date", "2026-12-01")
    finally:
        holder.communicate(b"", timeout=60)
    assert refused.exit_code == 1
    assert refused.stderr == (f"{project}: идет другое утверждение в этом проекте (ждали 0 с) — повторите позже\n"), (
        refused.stderr
    )
    assert not (project / "roles" / "kam-manager.editions").exists()
    assert run_cli("-C", project, "approve", "kam-manager", "--date", "2026-12-01").exit_code == 0


def test_the_lock_file_is_not_made_through_a_link(tmp_path: Path) -> None:
    """A cloned `.jobdesc` that is a link out of the project: no lock file is made there."""
    project = copy_project(tmp_path / "project", editions=False)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (project / ".jobdesc").symlink_to(elsewhere)
    result = run_cli("-C", project, "approve", "kam-manager", "--date", "2026-12-01")
    assert result.exit_code == 1
    assert result.stderr.startswith(".jobdesc: символическая ссылка (→ "), result.stderr
    assert list(elsewhere.iterdir()) == []
