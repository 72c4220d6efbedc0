"""The journal of an approval, so that one killed half-way is rolled back: all editions or none.

Before it writes any edition, ``approve`` records here the files it will write with their
sha256; after the last one it removes the journal. A journal left behind (the process was killed)
is rolled back by the next command that reads editions: each file it names that is there byte for
byte as it would have been written is removed, with its signature. Imports only :mod:`jobdesc.disk`.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from jobdesc.disk.fsutil import atomic_write, project_lock
from jobdesc.disk.reading import InputRefused, read_input
from jobdesc.errors import JobdescError

JOURNAL = ".jobdesc/approval-journal.json"
MAX_EDITION_BYTES = 1024 * 1024  # yamlio.MAX_FILE_BYTES: a bigger file is none an approval wrote


def begin(root: Path, files: list[tuple[Path, bytes]]) -> Path:
    """Record ``files`` (path, bytes) before any is written; returns the journal's path."""
    entries = {path.relative_to(root).as_posix(): hashlib.sha256(data).hexdigest() for path, data in files}
    path = root / JOURNAL
    atomic_write(path, json.dumps({"editions": entries}, ensure_ascii=False, indent=1).encode("utf-8"))
    return path


def recover_approval(root: Path, locked: bool = False) -> list[str]:
    """Roll back an approval killed before it wrote all its editions; returns the files removed.
    An approval still running (it holds the project's lock) is left alone; ``locked``: the caller
    holds the lock."""
    path = root / JOURNAL
    if not os.path.isfile(path):
        return []
    if not locked:
        try:
            with project_lock(root, wait=0):
                return recover_approval(root, locked=True)
        except JobdescError:
            return []  # an approval is writing right now
    try:
        files = json.loads(read_input(path, MAX_EDITION_BYTES, root))["editions"]
        assert isinstance(files, dict)
    except (InputRefused, ValueError, KeyError, TypeError, AssertionError):
        files = {}
    removed = []
    for name, digest in files.items():
        edition = root / str(name)
        if ".." in Path(str(name)).parts or not str(name).endswith(".yaml") or os.path.islink(edition):
            continue
        try:
            if hashlib.sha256(read_input(edition, MAX_EDITION_BYTES, root)).hexdigest() == digest:
                edition.with_name(edition.name + ".sig").unlink(missing_ok=True)
                edition.unlink()
                removed.append(str(name))
        except (InputRefused, OSError):
            continue
    path.unlink(missing_ok=True)
    return removed
