"""Benchmark: ``jobdesc import`` of a folder of Word documents (issue 17: 1,000 in under a minute on 2 cores).

    python bench/import_bench.py               # 1,000 documents
    python bench/import_bench.py --documents 200

The documents are the .docx files of ``tests/data/word/`` copied round-robin into a temporary
folder, imported into a copy of the shipped project (each gets its own id; a stamp becomes
edition 1). Never part of the test suite: the figure depends on the machine and its load.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
import time
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
            shutil.copy(sources[number % len(sources)], folder / f"{number:05d}.docx")
        started = time.perf_counter()
        results = import_paths(project, [folder])
        elapsed = time.perf_counter() - started
    failed = sum(1 for result in results if result.error)
    print(
        f"{args.documents} documents on {os.cpu_count()} cores: {elapsed:.1f} s "
        f"({elapsed / args.documents * 1000:.0f} ms each, {failed} failed); load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
