"""The built DOCX as LibreOffice lays it out: converted to PDF, read back with poppler.

Skipped only when ``soffice`` is not installed. Runs by default (marked ``slow`` for ``-m 'not slow'``).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import ACK_TITLE, build_into, copy_project
from helpers import COPY_MARK_1 as DOCX_MARK_1
from helpers import COPY_MARK_2 as DOCX_MARK_2

# pdftotext prints a non-breaking space as a space
COPY_MARK_1, COPY_MARK_2 = (mark.replace("\u00a0", " ") for mark in (DOCX_MARK_1, DOCX_MARK_2))

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not on PATH"),
]


def run(*args: str, timeout: int = 60) -> str:
    result = subprocess.run(list(args), capture_output=True, text=True, timeout=timeout, check=False)
    assert result.returncode == 0, (args, result.stdout, result.stderr)
    return result.stdout


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    for tool in ("pdftotext", "pdfinfo"):
        assert shutil.which(tool), f"{tool} (poppler-utils) is needed next to LibreOffice"
    base = tmp_path_factory.mktemp("libreoffice")
    out = base / "out"
    build_into(copy_project(base / "project"), out, "kam-manager")
    profile = base / "profile"
    pdf_dir = base / "pdf"
    run(
        "soffice",
        "--headless",
        "--norestore",
        f"-env:UserInstallation={profile.as_uri()}",
        "--convert-to",
        "pdf",
        "--outdir",
        str(pdf_dir),
        str(out / "kam-manager.docx"),
        timeout=180,
    )
    path = pdf_dir / "kam-manager.pdf"
    assert path.is_file(), "LibreOffice wrote no PDF"
    return path


def pages(pdf: Path) -> int:
    match = re.search(r"^Pages:\s+(\d+)$", run("pdfinfo", str(pdf)), flags=re.MULTILINE)
    assert match
    return int(match.group(1))


def page_text(pdf: Path, page: int) -> str:
    return run("pdftotext", "-layout", "-f", str(page), "-l", str(page), str(pdf), "-")


def test_pdf_text(pdf: Path) -> None:
    text = run("pdftotext", str(pdf), "-")
    for phrase in ("УТВЕРЖДАЮ", "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ", COPY_MARK_1, COPY_MARK_2):
        assert phrase in text, phrase
    assert text.count(ACK_TITLE) == 2
    assert text.index(COPY_MARK_1) < text.index(COPY_MARK_2)


def test_each_copy_starts_on_its_own_page(pdf: Path) -> None:
    count = pages(pdf)
    assert count >= 4
    assert count % 2 == 0, count
    half = count // 2
    assert COPY_MARK_1 in page_text(pdf, 1)
    second_start = page_text(pdf, half + 1)
    assert "Экземпляр № 2" in second_start
    assert "УТВЕРЖДАЮ" in second_start
    assert ACK_TITLE in page_text(pdf, half)
    assert ACK_TITLE in page_text(pdf, count)


def first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def test_page_numbers_from_page_two_restarting_per_copy(pdf: Path) -> None:
    count = pages(pdf)
    half = count // 2
    for start in (1, half + 1):
        assert not first_line(page_text(pdf, start)).isdigit(), "no number on a copy's first page"
        for offset in range(1, half):
            assert first_line(page_text(pdf, start + offset)) == str(offset + 1), (start, offset)
