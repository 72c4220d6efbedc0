"""Issue 19 as LibreOffice lays it out (converted to PDF, read back with poppler): the annex mark
over the stamp, the receipt column of the acknowledgment sheet on one page, the change register
of the reference text, the reference mark on every page, the visa block kept on one page."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from helpers import build_into, copy_project

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing"
    ),
]


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    base = tmp_path_factory.mktemp("lawyer")
    out = base / "out"
    build_into(copy_project(base / "project", editions="all"), out, "kam-manager")
    names = ["kam-manager.amendment-1.docx", "kam-manager.docx", "kam-manager.edition-1.docx"]
    subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation={(base / 'profile').as_uri()}",
         "--convert-to", "pdf", "--outdir", str(base / "pdf"), *(str(out / n) for n in names)],
        capture_output=True, timeout=240, check=True,
    )  # fmt: skip
    found = {}
    for name in names:
        pdf = base / "pdf" / name.replace(".docx", ".pdf")
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        found[name] = [" ".join(page.replace("\u00a0", " ").split()) for page in text.split("\f")[:-1]]
    return found


def test_the_annex_mark_stands_over_the_stamp_on_page_one(pages: dict[str, list[str]]) -> None:
    first = pages["kam-manager.amendment-1.docx"][0]
    assert "Приложение № 2 к приказу от 27.11.2026 № 112-ОД УТВЕРЖДЕНЫ" in first, first[:400]


def test_the_receipt_column_is_on_the_employers_sheet_on_one_page(pages: dict[str, list[str]]) -> None:
    sheets = [page for page in pages["kam-manager.amendment-1.docx"] if "ЛИСТ ОЗНАКОМЛЕНИЯ" in page]
    assert len(sheets) == 2
    assert "Второй экземпляр получил(а): дата, подпись" in sheets[0] and " 10 " in sheets[0] + " "
    assert "Второй экземпляр" not in sheets[1]


def test_the_register_and_the_reference_mark(pages: dict[str, list[str]]) -> None:
    reference = pages["kam-manager.docx"]
    assert all("СПРАВОЧНЫЙ ТЕКСТ" in page for page in reference)
    assert "Справочный текст, не подписывается" in reference[0]
    register = next(page for page in reference if "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ" in page)
    assert "8.2 (прежний 7.1)" in register and "исключены: 1.9.15, 4.5" in register, register


def test_the_visa_block_stays_on_one_page(pages: dict[str, list[str]]) -> None:
    visas = [page for page in pages["kam-manager.edition-1.docx"] if "СОГЛАСОВАНО:" in page]
    assert len(visas) == 2, "one block a copy"
    for page in visas:
        block = page[page.index("СОГЛАСОВАНО:") :]
        assert "Начальник отдела по работе с ключевыми клиентами" in block and "Юрисконсульт" in block, block
