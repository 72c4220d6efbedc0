"""Real job titles (tests/data/titles.tsv): their cases and gender, checked in the built DOCX."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest
from helpers import W, copy_project
from hypothesis import given, settings
from hypothesis import strategies as st

from jobdesc.language.titles import title_forms

DATA = Path(__file__).parent / "data" / "titles.tsv"
ROWS = [
    tuple(line.rstrip("\n").split("\t"))
    for line in DATA.read_text(encoding="utf-8").splitlines()
    if line.strip() and not line.startswith("#")
]
# A clause in the test copy of the template that names the position in the dative (as
# «reports_to» does) and agrees with it: what a template author writes, no Python.
DATIVE_CLAUSE = (
    "1. Поручения {{ role.forms.dative }} дает коммерческий директор; "
    '{{ g(role, "он", "она") }} {{ g(role, "обязан", "обязана") }} их исполнять.\n'
)


def test_the_list_is_long_and_real() -> None:
    assert len(ROWS) >= 80
    assert all(len(row) == 5 and row[3] in ("m", "f") and row[4] for row in ROWS), "title, gen, dat, m/f, source"
    assert len({row[0] for row in ROWS}) == len(ROWS), "no title twice"
    assert {row[3] for row in ROWS} == {"m", "f"}


@pytest.mark.parametrize(("title", "genitive", "dative", "gender", "source"), ROWS, ids=[r[0] for r in ROWS])
def test_forms(title: str, genitive: str, dative: str, gender: str, source: str) -> None:
    forms = title_forms(title)
    assert (forms.genitive, forms.dative, forms.gender) == (genitive, dative, gender)
    assert forms.doubts == (), "a title from the list is read one way"


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory):  # noqa: ANN201
    """The shipped project with one clause added to the template, loaded once."""
    from jobdesc.project.loader import load_project

    root = copy_project(tmp_path_factory.mktemp("titles") / "project", overrides=True)
    template = root / "templates" / "job-description.md.j2"
    text = template.read_text(encoding="utf-8")
    anchor = "{% if role.subordinates %}\n"
    template.write_text(text.replace(anchor, DATIVE_CLAUSE + anchor, 1), encoding="utf-8")
    project = load_project(root)
    return project, project.roles["kam-head"]


def _docx_paragraphs(project, role) -> list[str]:  # noqa: ANN001
    import docx

    from jobdesc.documents.compose import document_bytes, render_document
    from jobdesc.render.context import Approval

    copies = render_document(project, role, copies=1, approval=Approval())
    data = document_bytes(project, role.title, role, copies, Approval())
    body = docx.Document(io.BytesIO(data)).element.body
    return ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p")]  # tables included


@pytest.mark.parametrize(("title", "genitive", "dative", "gender", "source"), ROWS, ids=[r[0] for r in ROWS])
def test_built_document(workshop, title: str, genitive: str, dative: str, gender: str, source: str) -> None:  # noqa: ANN001
    from jobdesc.language.titles import genitive_title

    project, shipped = workshop
    role = dataclasses.replace(shipped, id="probe", title=title, title_genitive=genitive_title(title))
    paragraphs = _docx_paragraphs(project, role)
    text = "\n".join(paragraphs)
    must = "должна" if gender == "f" else "должен"
    his = "ее" if gender == "f" else "его"
    assert "ДОЛЖНОСТНАЯ ИНСТРУКЦИЯ" in paragraphs
    assert genitive in paragraphs, "the heading: the title in the genitive"
    assert f"На должность {genitive} назначается лицо, отвечающее следующим требованиям:" in text
    assert f"{title} {must} знать:" in text
    assert f"{title} {must} уметь:" in text
    assert f"На время отсутствия {genitive} {his} обязанности исполняет" in text
    assert f"Поручения {dative} дает коммерческий директор; {'она обязана' if gender == 'f' else 'он обязан'}" in text
    assert f"с должностной инструкцией {genitive}" in text


SIMPLE = [row[0] for row in ROWS if not any(mark in row[0] for mark in "()-—")]
TAILS = [  # dependent phrases of real titles: they never change, whatever the case
    "по работе с ключевыми клиентами",
    "отдела кадров",
    "службы безопасности",
    "по охране труда",
    "филиала",
    "по медицинской части",
    "общей практики",
]


@given(st.sampled_from(SIMPLE), st.sampled_from(TAILS), st.sampled_from(["gent", "datv", "accs", "ablt", "loct"]))
@settings(max_examples=300, deadline=None)
def test_a_dependent_phrase_never_changes(title: str, tail: str, case: str) -> None:
    from jobdesc.language.titles import gender_of, inflect

    assert inflect(f"{title} {tail}", case) == f"{inflect(title, case)} {tail}"
    assert gender_of(f"{title} {tail}") == gender_of(title)
    assert inflect(f"{title} {tail}", "nomn") == f"{title} {tail}"
