"""Typesetting: non-breaking spaces, lead-ins kept with what they introduce, hyphenation."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from helpers import NS, W, build_into, copy_project
from lxml import etree

from jobdesc.render.typeset import typeset

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("приказ № 15-к", f"приказ №{NBSP}15\u2011к"),  # the number never breaks at its hyphen
        ("с 2 марта 2026 г\\.", f"с{NBSP}2{NBSP}марта{NBSP}2026{NBSP}г\\."),
        ("до 31 декабря 2026 г.", f"до{NBSP}31{NBSP}декабря{NBSP}2026{NBSP}г."),
        ("«\\_\\_\\_» \\_\\_\\_\\_ 20\\_\\_ г\\.", f"«\\_\\_\\_»{NBSP}\\_\\_\\_\\_{NBSP}20\\_\\_{NBSP}г\\."),
        ("г. Москва", f"г.{NBSP}Москва"),
        ("от 02\\.03\\.2026", f"от{NBSP}02\\.03\\.2026"),
        ("| № | столбец |", "| № | столбец |"),  # a sign standing alone keeps its spaces
        ("по работе с ключевыми клиентами", "по работе с ключевыми клиентами"),
        ("5 марта", "5 марта"),  # a day and month without a year may break (not a date of a document)
    ],
)
def test_typeset(source: str, expected: str) -> None:
    assert typeset(source) == expected


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("typeset")
    out = base / "out"
    build_into(copy_project(base / "project"), out)
    return out


def body(path: Path) -> etree._Element:
    with zipfile.ZipFile(path) as package:
        return etree.fromstring(package.read("word/document.xml")).find("w:body", NS)


def text_of(p: etree._Element) -> str:
    return "".join(t.text or "" if t.tag == f"{W}t" else "-" for t in p.iter(f"{W}t", f"{W}noBreakHyphen"))


def keeps(p: etree._Element) -> bool:
    return p.find("w:pPr/w:keepNext", NS) is not None


def test_lead_ins_are_kept_with_the_next_paragraph(built: Path) -> None:
    paragraphs = [p for p in body(built / "kam-head.docx").iter(f"{W}p") if text_of(p)]
    texts = [text_of(p) for p in paragraphs]
    rights = next(p for p in paragraphs if text_of(p).endswith("имеет право:"))
    assert keeps(rights)
    requirements = next(p for p in paragraphs if text_of(p).endswith("следующим требованиям:"))
    assert re.match(r"1\.\d+\. ", text_of(requirements)) and keeps(requirements), "a clause with sub-clauses"
    plain = [p for p, text in zip(paragraphs, texts) if re.match(r"2\.\d+\. .*\.$", text)]
    assert plain and not any(keeps(p) for p in plain), "an ordinary clause may end a page"


def test_hyphenation_is_on_for_text_and_off_for_headings(built: Path) -> None:
    with zipfile.ZipFile(built / "kam-manager.docx") as package:
        settings = etree.fromstring(package.read("word/settings.xml"))
        styles = etree.fromstring(package.read("word/styles.xml"))
    assert settings.find("w:autoHyphenation", NS) is not None
    suppressed = {
        style.get(f"{W}styleId")
        for style in styles.iter(f"{W}style")
        if style.find("w:pPr/w:suppressAutoHyphens", NS) is not None
    }
    assert {"JDSection", "JDTitle", "JDApproval", "JDRequisite", "JDTableText"} <= suppressed
    assert not {"JDClause", "JDSubclause", "JDBody", "Normal"} & suppressed


def pdf_pages(docx: Path, tmp: Path) -> list[str]:
    subprocess.run(
        [
            "soffice",
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp / 'profile').as_uri()}",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp),
            str(docx),
        ],
        capture_output=True,
        timeout=180,
        check=True,
    )
    pdf = tmp / docx.with_suffix(".pdf").name
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing"
)
@pytest.mark.parametrize("role", ["kam-head", "kam-manager"])
def test_no_page_ends_with_a_heading_or_a_lead_in(built: Path, tmp_path: Path, role: str) -> None:
    pages = pdf_pages(built / f"{role}.docx", tmp_path)
    assert len(pages) >= 4
    for number, page in enumerate(pages, start=1):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        last = lines[-1]
        assert not last.endswith(":"), (number, last)
        assert not re.fullmatch(r"\d+\. [А-ЯЁ][^.]*", last), (number, last)  # «3. Права»


@pytest.fixture(scope="module")
def amended(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("amended")
    out = base / "out"
    build_into(copy_project(base / "project", editions="all"), out)
    return out


def test_the_end_of_the_text_is_kept_with_the_signature(amended: Path) -> None:
    """The last item and «Изменения вводятся в действие …» keep with the drafter's signature, so that
    a signature never opens a page alone."""
    paragraphs = [p for p in body(amended / "kam-manager.amendment-1.docx").iter(f"{W}p") if text_of(p)]
    signature = next(i for i, p in enumerate(paragraphs) if text_of(p).startswith("Начальник отдела кадров"))
    last_item, in_force = paragraphs[signature - 2 : signature]
    assert text_of(in_force).startswith("Изменения вводятся в действие")
    assert keeps(last_item) and keeps(in_force)
    assert not keeps(paragraphs[signature - 3]), "only the end of the text moves with it"


@pytest.mark.slow
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftotext") is None, reason="LibreOffice or poppler missing"
)
def test_no_signature_stands_alone_on_a_page(amended: Path, tmp_path: Path) -> None:
    for name in ("kam-manager.amendment-1.docx", "kam-head.amendment-1.docx"):
        for page in pdf_pages(amended / name, tmp_path):
            lines = [line.strip() for line in page.splitlines() if line.strip()]
            if any(line.startswith("Начальник отдела кадров") for line in lines):
                before = lines[: next(i for i, line in enumerate(lines) if line.startswith("Начальник отдела кадров"))]
                numbered = [line for line in before if re.match(r"«?\d+(?:\.\d+)*\. ", line)]
                assert numbered, (name, lines)  # an item of the text is on the signature's page


def test_the_quick_searches_never_skip_a_number_or_a_preposition(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each replacement is tried only where a quick search finds what it needs: the text comes out
    as when every replacement is tried everywhere."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from jobdesc.render import typeset as module

    pieces = st.sampled_from(
        ["-", "\\-", "\\", "1", "2026", " ", "от", "с", "до", "по", "По", "С", "ДИ", "к", "а", "."]
    )

    @settings(max_examples=500, deadline=None)
    @given(st.lists(pieces, max_size=12).map("".join))
    def same(text: str) -> None:
        quick = module._block.__wrapped__(text)
        with monkeypatch.context() as everywhere:
            everywhere.setattr(module, "_HYPHEN_BY_DIGIT", re.compile(""))
            everywhere.setattr(module, "_PREPOSITION_NUMBER_HERE", re.compile(""))
            assert module._block.__wrapped__(text) == quick

    same()
