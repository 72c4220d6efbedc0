"""Running jobdesc on hostile input in a child process: bounded memory, a generous timeout.

A hang shows up as :class:`subprocess.TimeoutExpired` (the timeout is far above what any case
needs: it is not a speed test); runaway memory shows up as a failure, because the child may use
at most :data:`MEMORY_ABOVE_NORMAL` more address space than a normal build of the shipped project
(measured once, the same way). On systems without ``resource`` the memory is not limited.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helpers import copy_project

MEMORY_ABOVE_NORMAL = 200 * 1024 * 1024
HANG_TIMEOUT = 120  # seconds; every case ends in a few

# Runs jobdesc's CLI and, at exit, prints the peak address space the process used.
_MEASURED = (
    "import atexit, sys\n"
    "def peak():\n"
    "    for line in open('/proc/self/status'):\n"
    "        if line.startswith('VmPeak:'):\n"
    "            sys.stderr.write('VMPEAK ' + line.split()[1] + '\\n')\n"
    "atexit.register(peak)\n"
    "from jobdesc.cli.main import main\n"
    "main(prog_name='jobdesc')\n"
)
_PLAIN = "from jobdesc.cli.main import main\nmain(prog_name='jobdesc')\n"


def can_limit_memory() -> bool:
    return sys.platform.startswith("linux")


_PEAK: list[int] = []  # measured once per test session


def normal_peak(base: Path) -> int:
    """Peak address space (bytes) of ``jobdesc build`` of the shipped project (measured once, in ``base``)."""
    if not _PEAK:
        _PEAK.append(_measure(base))
    return _PEAK[0]


def _measure(base: Path) -> int:
    project = copy_project(base / "normal-project", overrides=True)
    done = subprocess.run(
        [sys.executable, "-c", _MEASURED, "-C", str(project), "build", "--out", str(base / "normal-out")],
        capture_output=True,
        text=True,
        timeout=HANG_TIMEOUT,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(re.search(r"VMPEAK (\d+)", done.stderr).group(1)) * 1024


def run_jobdesc(*args: str | Path, base: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    """``jobdesc ARGS`` in a child process, its memory limited when the platform allows."""
    limit = normal_peak(base) + MEMORY_ABOVE_NORMAL if can_limit_memory() else None

    def restrict() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    return subprocess.run(
        [sys.executable, "-c", _PLAIN, *map(str, args)],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=HANG_TIMEOUT,
        check=False,
        preexec_fn=restrict if limit else None,  # noqa: PLW1509 - nothing else runs threads here
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
    )


def one_clear_line(done: subprocess.CompletedProcess) -> str:
    """Exit 1, no traceback, nothing on stdout, one line on stderr (returned)."""
    stderr = done.stderr.decode("utf-8", errors="replace")
    assert done.returncode == 1, (done.returncode, stderr[-3000:])
    assert "Traceback" not in stderr, stderr[-3000:]
    assert "Error" not in stderr, stderr[-3000:]
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith("внимание: ")]
    problems = [line for line in lines if not line.startswith(("Документов: ", "не собрано"))]
    assert len(problems) == 1, lines
    return problems[0]
