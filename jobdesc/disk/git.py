"""The one place jobdesc runs git: one time limit, one environment, one message when git cannot run.

Every reader of git history (provenance of editions, ``diff --from``, signing keys, ``init``)
calls :func:`run` (git's answer, or :class:`GitUnavailable`) or :func:`answer` (``None`` when
git cannot run, for callers that then do without it).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from jobdesc.errors import JobdescError

TIMEOUT = 120  # seconds; a git that answers nothing in this time is stopped


class GitUnavailable(JobdescError):
    """git is not installed (``missing``), cannot be started, or did not answer in time."""

    def __init__(self, message: str, missing: bool = False) -> None:
        super().__init__(message)
        self.missing = missing


def _environment() -> dict[str, str]:
    """git's messages in English whatever the locale (callers read them), never a prompt."""
    return {**os.environ, "LC_ALL": "C", "LANGUAGE": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def run(root: Path, *args: str, data: bytes | None = None, purpose: str = "") -> subprocess.CompletedProcess:
    """``git ARGS`` in ``root`` (its exit code is the caller's to read); :class:`GitUnavailable`
    with one Russian line (``purpose``: what cannot be done without git) otherwise."""
    tail = f": {purpose}" if purpose else ""
    try:
        return subprocess.run(
            ["git", *args],
            cwd=root,
            input=data,
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            env=_environment(),
            stdin=None if data is not None else subprocess.DEVNULL,
        )
    except FileNotFoundError:
        raise GitUnavailable(f"git не найден — установите git{tail}", missing=True) from None
    except PermissionError:  # a git that may not be run is as none (README: without git, fingerprints only)
        raise GitUnavailable(f"git не запускается (нет прав на запуск){tail}", missing=True) from None
    except subprocess.TimeoutExpired:
        raise GitUnavailable(f"git не ответил за {TIMEOUT} с{tail}") from None
    except (OSError, ValueError) as exc:  # an argument too long, a NUL byte in a path
        from jobdesc.disk.fsutil import describe  # lazy: fsutil (tempfile) only when git cannot start

        reason = describe(exc) if isinstance(exc, OSError) else "недопустимый символ в пути или аргументе"
        raise GitUnavailable(f"git не запускается ({reason}){tail}") from None


def answer(root: Path, *args: str, data: bytes | None = None, purpose: str = "") -> subprocess.CompletedProcess | None:
    """``git ARGS`` in ``root``; ``None`` when git is not installed (the caller does without it);
    a git that is there but cannot run or answer is :class:`GitUnavailable` all the same."""
    try:
        return run(root, *args, data=data, purpose=purpose)
    except GitUnavailable as exc:
        if exc.missing:
            return None
        raise
