"""``build --pdf`` writes PDF/A-2b, ``--pdf-plain`` a plain PDF; the build report comes before PDF failures."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import assert_clean_failure, copy_project, run_cli
from lxml import etree
from test_pdf import HAS_SOFFICE, calls, fake_soffice, posix_only  # noqa: F401 - fake_soffice is a fixture

PDFAID = "http://www.aiim.org/pdfa/ns/id/"
XMP = re.compile(rb"<x:xmpmeta\b.*?</x:xmpmeta>", re.DOTALL)


def pdfa_identification(path: Path) -> dict[str, str]:
    """``part`` and ``conformance`` of the PDF/A identification in the PDF's XMP metadata (empty: none)."""
    found = XMP.search(path.read_bytes())
    if not found:
        return {}
    root = etree.fromstring(found.group(0))
    values = {}
    for description in root.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description"):
        for name in ("part", "conformance"):
            value = description.get(f"{{{PDFAID}}}{name}")
            element = description.find(f"{{{PDFAID}}}{name}")
            if element is not None:
                value = element.text
            if value:
                values[name] = value.strip()
    return values


@pytest.fixture
def shipped(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "project", linked=False)


@pytest.mark.slow
@pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice (soffice) is not installed")
def test_build_pdf_writes_pdfa_2b_and_pdf_plain_a_plain_pdf(shipped: Path) -> None:
    result = run_cli("-C", shipped, "build", "--pdf")
    assert result.exit_code == 0, (result.output, result.exception)
    pdfs = sorted((shipped / "output").glob("*.pdf"))
    assert [p.name for p in pdfs] == [p.with_suffix(".pdf").name for p in sorted((shipped / "output").glob("*.docx"))]
    for path in pdfs:
        assert pdfa_identification(path) == {"part": "2", "conformance": "B"}, path
    assert "PDF/A-2b" in result.stderr
    assert "не PDF/A" not in result.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdfs[0]), "-"], capture_output=True, check=True, text=True).stdout
        assert "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ" in text

    plain = run_cli("-C", shipped, "build", "--pdf-plain")

    assert plain.exit_code == 0, (plain.output, plain.exception)
    assert sorted(plain.stdout.splitlines()) == [f"output/{p.name}" for p in pdfs], "each PDF/A is redone as plain"
    for path in pdfs:
        assert path.read_bytes().startswith(b"%PDF-")
        assert pdfa_identification(path) == {}, path


@posix_only
def test_the_export_filter_asks_for_pdfa_unless_plain(shipped: Path, fake_soffice: Path) -> None:  # noqa: F811
    assert run_cli("-C", shipped, "build", "--pdf-plain").exit_code == 0
    assert run_cli("-C", shipped, "build", "--pdf").exit_code == 0, "a plain PDF is redone as PDF/A"

    assert "не PDF/A — нужен LibreOffice 7.4" in run_cli("-C", shipped, "build", "--pdf", "--force").stderr, (
        "a LibreOffice that ignores the options (the stand-in writes no XMP) is named"
    )
    plain, archival, _ = calls(fake_soffice)
    assert archival[archival.index("--convert-to") + 1] == (
        'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'
    )
    assert plain[plain.index("--convert-to") + 1] == "pdf"


@posix_only
def test_a_pdf_failure_comes_after_the_whole_build_report(
    shipped: Path,
    fake_soffice: Path,  # noqa: F811 - the fixture
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    role = shipped / "roles" / "kam-head.yaml"
    role.write_text(role.read_text(encoding="utf-8").replace("category: managers", "category: chiefs"), "utf-8")
    monkeypatch.setenv("FAKE_EXIT", "81")

    result = run_cli("-C", shipped, "build", "--pdf")

    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["output/kam-manager.docx"], "the documents written are listed"
    lines = result.stderr.splitlines()
    assert any(line.startswith("roles/kam-head.yaml:") for line in lines), lines
    summary = next(
        i for i, line in enumerate(lines) if line.startswith("Документов: ") and "файлов записано: 1 " in line
    )
    assert "LibreOffice" in lines[-1] and "81" in lines[-1], lines
    assert summary < len(lines) - 1, "the PDF failure is the last line, after the report"


def test_pdf_and_pdf_plain_together_are_refused(shipped: Path) -> None:
    lines = assert_clean_failure(run_cli("-C", shipped, "build", "--pdf", "--pdf-plain"))
    assert len(lines) == 1 and "--pdf-plain" in lines[0], lines
    assert not (shipped / "output").exists()
