"""Benchmark: jobdesc on a generated project of N roles, side by side with docxtpl.

    python bench/bench.py            # 1,000 roles
    python bench/bench.py --roles 200

Needs the bench extra (``pip install -e '.[bench]'``, which brings docxtpl). Prints per-document
times, batch wall time, peak memory of the whole process tree, an incremental rebuild, cold
start-up times, and the same content rendered with docxtpl one document at a time. Never part
of the test suite: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
TARGETS = {
    "per_doc_ms": 10.0,
    "batch_s": 15.0,
    "peak_mib": 200.0,
    "incremental_s": 1.0,
    "help_ms": 150.0,
    "build_two_ms": 600.0,
}


def make_project(folder: Path, count: int) -> list[dict]:
    """A project of ``count`` roles varied from the shipped ones; returns their data."""
    shutil.copy(REPO / "jobdesc.yaml", folder / "jobdesc.yaml")
    roles = folder / "roles"
    roles.mkdir()
    shutil.copy(REPO / "roles" / "_common.yaml", roles / "_common.yaml")
    sources = [
        yaml.safe_load((REPO / "roles" / name).read_text(encoding="utf-8"))
        for name in ("kam-manager.yaml", "kam-head.yaml")
    ]
    made = []
    for index in range(count):
        data = dict(sources[index % 2])
        data["title"] = f"{data['title']} (направление {index + 1})"
        data["title_genitive"] = f"{data.get('title_genitive') or _genitive(data['title'])}"
        data["number"] = f"ДИ-{index + 1:04d}"
        shift = index % len(data["rights"])
        data["rights"] = data["rights"][shift:] + data["rights"][:shift]
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10**6)
        (roles / f"role-{index + 1:04d}.yaml").write_text(text, encoding="utf-8")
        made.append(data)
    return made


def _genitive(title: str) -> str:
    from jobdesc.ru import genitive_title

    head, _, rest = title.partition(" (")
    return genitive_title(head) + (f" ({rest}" if rest else "")


def per_document_ms(folder: Path, limit: int) -> list[float]:
    """Render + write each of the first ``limit`` roles in this process, one at a time (warm)."""
    from jobdesc.build import Options, role_documents
    from jobdesc.project import load_project

    project = load_project(folder)
    roles = list(project.roles.values())[:limit]
    out = folder / "bench-out"
    role_documents(project, roles[0], out, Options(), [])  # warm-up: imports, caches
    times = []
    for role in roles:
        started = time.perf_counter()
        files = role_documents(project, role, out, Options(), [])
        times.append((time.perf_counter() - started) * 1000)
        assert files and len(files[0][1]) > 10_000
    return times


class TreeMemory:
    """Peak RSS of a process and all its descendants, sampled from /proc."""

    def __init__(self, pid: int) -> None:
        self.pid, self.peak, self._stop = pid, 0, threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, sum(_rss(pid) for pid in _tree(self.pid)))
            time.sleep(0.02)

    def stop(self) -> float:
        self._stop.set()
        self.thread.join()
        return self.peak / 1024 / 1024


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    ppid = int(stat.read().rsplit(")", 1)[1].split()[1])
            except OSError:
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, stack = [], [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def timed_build(folder: Path, *args: str) -> tuple[float, float, str]:
    """Wall seconds, peak MiB of the process tree, and stderr of ``jobdesc build``."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "jobdesc", "-C", str(folder), "build", *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "CI": "1"},
    )
    memory = TreeMemory(process.pid) if Path("/proc").is_dir() else None
    _, err = process.communicate()
    wall = time.perf_counter() - started
    peak = memory.stop() if memory else float("nan")
    if process.returncode != 0:
        raise SystemExit(f"build failed:\n{err}")
    return wall, peak, err.strip().splitlines()[-1]


def cold_ms(command: list[str], runs: int = 5, cwd: Path | None = None) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def docxtpl_ms(folder: Path, roles: list[dict], limit: int) -> list[float]:
    """The same content, one document at a time, with docxtpl and a template this benchmark makes."""
    from docx import Document
    from docxtpl import DocxTemplate

    template = folder / "docxtpl-template.docx"
    document = Document(str(REPO / "jobdesc" / "templates" / "styles.docx"))
    lines = [
        "{{ org }}",
        "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ",
        "№ {{ number }}",
        "УТВЕРЖДАЮ",
        "{{ approver }}",
        "{{ title_genitive }}",
        "1. Общие положения",
        "{%p for item in knowledge %}",
        "1.{{ loop.index }}. {{ item }}",
        "{%p endfor %}",
        "2. Должностные обязанности",
        "{%p for item in duties %}",
        "2.{{ loop.index }}. {{ item }}",
        "{%p endfor %}",
        "3. Права",
        "{%p for item in rights %}",
        "3.{{ loop.index }}. {{ item }}",
        "{%p endfor %}",
        "4. Ответственность",
        "{%p for item in responsibility %}",
        "4.{{ loop.index }}. {{ item }}",
        "{%p endfor %}",
        "5. Критерии оценки",
        "{%p for item in criteria %}",
        "5.{{ loop.index }}. {{ item }}",
        "{%p endfor %}",
        "ЛИСТ ОЗНАКОМЛЕНИЯ",
    ]
    for line in lines:
        document.add_paragraph(line)
    document.save(str(template))
    times = []
    for data in roles[:limit]:
        duties = [d if isinstance(d, str) else f"{d['title']}: " + " ".join(d["items"]) for d in data["duties"]]
        context = {
            "org": "ООО «Северный ветер»",
            "number": data["number"],
            "approver": "А.П. Воронцов",
            "title_genitive": data["title_genitive"],
            "knowledge": data["knowledge"],
            "duties": duties,
            "rights": data["rights"],
            "responsibility": [r for r in data["responsibility"] if isinstance(r, str)],
            "criteria": data.get("performance_criteria", []),
        }
        started = time.perf_counter()
        doc = DocxTemplate(str(template))
        doc.render(context)
        doc.save(io.BytesIO())
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--roles", type=int, default=1000, help="roles in the generated project (default 1000)")
    parser.add_argument("--sample", type=int, default=200, help="documents timed one by one (default 200)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="jobdesc-bench-") as temp:
        folder = Path(temp)
        roles = make_project(folder, args.roles)
        rows: list[tuple[str, str, str]] = []

        doc_times = per_document_ms(folder, min(args.sample, args.roles))
        tpl_times = docxtpl_ms(folder, roles, min(args.sample, args.roles))
        jd, tpl = statistics.mean(doc_times), statistics.mean(tpl_times)
        rows.append(
            (
                "jobdesc, one two-copy document (mean / median, warm, one core)",
                f"{jd:.1f} / {statistics.median(doc_times):.1f} ms",
                f"≤ {TARGETS['per_doc_ms']:.0f} ms",
            )
        )
        rows.append(
            (
                "docxtpl, same content, one copy (mean / median)",
                f"{tpl:.1f} / {statistics.median(tpl_times):.1f} ms",
                "peer",
            )
        )
        rows.append(("ratio jobdesc / docxtpl (jobdesc writes twice the pages)", f"{jd / tpl:.2f}", ""))

        wall, peak, summary = timed_build(folder)
        rows.append(
            (f"full build of {args.roles} roles, wall (all cores)", f"{wall:.2f} s", f"≤ {TARGETS['batch_s']:.0f} s")
        )
        rows.append(("  per document in the batch", f"{wall / args.roles * 1000:.1f} ms", ""))
        rows.append(
            (
                "peak memory of the build (RSS, whole process tree)",
                f"{peak:.0f} MiB",
                f"≤ {TARGETS['peak_mib']:.0f} MiB",
            )
        )
        wall2, _, summary2 = timed_build(folder)
        rows.append(("incremental rebuild, nothing changed", f"{wall2:.2f} s", f"≤ {TARGETS['incremental_s']:.0f} s"))

        help_ms = cold_ms([sys.executable, "-m", "jobdesc", "--help"])
        shipped = Path(temp) / "shipped"
        shutil.copytree(REPO, shipped, ignore=shutil.ignore_patterns("output", ".git", ".venv", "bench", "tests"))
        build_ms = cold_ms([sys.executable, "-m", "jobdesc", "-C", str(shipped), "build", "--force"])
        rows.append(("jobdesc --help, cold", f"{help_ms:.0f} ms", f"≤ {TARGETS['help_ms']:.0f} ms"))
        rows.append(
            (
                "jobdesc build of the two shipped roles, cold",
                f"{build_ms:.0f} ms",
                f"≤ {TARGETS['build_two_ms']:.0f} ms",
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"jobdesc benchmark: {args.roles} roles, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    for what, figure, target in rows:
        print(f"{what:<{width}}  {figure:>16}  {target}")
    print(f"build said: {summary}")
    print(f"rebuild said: {summary2}")


if __name__ == "__main__":
    main()
