"""Benchmark: ``jobdesc import`` of a folder of Word documents (issue 17: 1,000 in under a minute on 2 cores).

    python bench/import_bench.py               # 1,000 documents
    python bench/import_bench.py --documents 200

The documents are the .docx files of ``tests/data/word/`` copied round-robin into a temporary
folder (each made distinct by a zip comment: a copy of a file already read is skipped), imported into a copy of the shipped project (each gets its own id; a stamp becomes
edition 1). Never part of the test suite: the figure depends on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
import zipfile
from pathlib import Path

from jobdesc.sources.importing import import_paths

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=1000)
    args = parser.parse_args()
    sources = sorted((ROOT / "tests" / "data" / "word").glob("*.docx"))
    with tempfile.TemporaryDirectory() as work:
        project = Path(work) / "project"
        project.mkdir()
        shutil.copy(ROOT / "jobdesc.yaml", project)
        for folder in ("roles", "policies"):
            shutil.copytree(ROOT / folder, project / folder)
        folder = Path(work) / "word"
        folder.mkdir()
        for number in range(args.documents):
            copy = folder / f"{number:05d}.docx"
            shutil.copy(sources[number % len(sources)], copy)
            with zipfile.ZipFile(copy, "a") as package:  # each file its own bytes: copies are skipped
                package.comment = f"{number}".encode()
        started, cpu = time.perf_counter(), _cpu()
        results = import_paths(project, [folder])
        elapsed, cpu = time.perf_counter() - started, _cpu() - cpu
    failed = sum(1 for result in results if result.error)
    print(
        f"{args.documents} documents on {os.cpu_count()} cores: {elapsed:.1f} s "
        f"({elapsed / args.documents * 1000:.0f} ms each, {failed} failed); load {os.getloadavg()[0]:.1f}; "
        f"CPU {cpu:.1f} s — on idle cores about {cpu / (os.cpu_count() or 1):.0f} s"
    )


def _cpu() -> float:
    """CPU seconds of this process and its finished workers (a figure the machine's load does not inflate)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


if __name__ == "__main__":
    main()
