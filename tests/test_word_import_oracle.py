"""The round-trip oracle on generated documents: import(build(x)) gives back x's data."""

from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from helpers import copy_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobdesc.build.document import document_files
from jobdesc.documents.options import Options
from jobdesc.project.loader import load_project
from jobdesc.sources.word import read_docx
from jobdesc.sources.word_import import import_word

WORDS = (
    "ведет учет документов организации контролирует исполнение договоров поставки готовит отчеты "
    "о работе отдела участвует в совещаниях согласует графики проверяет счета поставщиков и клиентов "
    "оформляет заявки на закупку материалов по складу"
).split()
TITLES = ["Бухгалтер", "Кассир", "Менеджер по продажам", "Инженер-программист", "Заведующий складом", "Экономист"]
words = st.lists(st.sampled_from(WORDS), min_size=2, max_size=9).map(" ".join)
sentence = words.map(lambda text: text[:1].upper() + text[1:] + ".")
phrase = words.map(lambda text: text[:1].upper() + text[1:])
clauses = st.lists(sentence, min_size=1, max_size=4)
optional = st.one_of(st.none(), clauses)


@st.composite
def roles(draw: st.DrawFn) -> dict:
    """Role data in the schema: every field, sub-clauses of duties, optional fields left out at random."""
    role: dict = {
        "title": draw(st.sampled_from(TITLES)),
        "category": draw(st.sampled_from(["managers", "specialists", "technical"])),
        "department": draw(st.sampled_from(["Бухгалтерия", "Отдел продаж", "Склад"])),
        "reports_to": draw(st.sampled_from(["главному бухгалтеру", "генеральному директору"])),
        "appointment": {"by": "приказом генерального директора"},
        "requirements": {"education": draw(st.sampled_from(["высшее", "среднее профессиональное"]))},
        "knowledge": draw(clauses),
        "duties": draw(
            st.lists(
                st.one_of(sentence, st.fixed_dictionaries({"title": phrase, "items": clauses})), min_size=1, max_size=4
            )
        ),
        "rights": draw(clauses),
        "responsibility": draw(clauses),
    }
    if draw(st.booleans()):
        role["appointment"]["on_proposal_of"] = "главного бухгалтера"
    if draw(st.booleans()):
        role["substitute"] = "работник, назначенный приказом генерального директора"
    if draw(st.booleans()):
        role["requirements"]["experience"] = "не менее одного года"
    for name in ("guiding_documents", "skills", "relationships", "performance_criteria", "final_provisions"):
        value = draw(optional)
        if value:
            role[name] = value
    return role


@st.composite
def policies(draw: st.DrawFn) -> dict:
    """A regulation: sections of clauses, clauses with sub-clauses, and tables."""
    table = st.integers(1, 3).flatmap(
        lambda width: st.fixed_dictionaries(
            {
                "columns": st.lists(phrase, min_size=width, max_size=width),
                "rows": st.lists(st.lists(phrase, min_size=width, max_size=width), min_size=1, max_size=3),
            }
        )
    )
    clause = st.one_of(
        sentence,
        st.fixed_dictionaries({"text": phrase.map(lambda t: t + ":"), "items": clauses}),
        st.fixed_dictionaries({"table": table}),
    )
    names = ["Общие положения", "Задачи", "Функции", "Права", "Ответственность"]
    count = draw(st.integers(1, len(names)))
    sections = [
        {"title": name, "clauses": [draw(sentence), *draw(st.lists(clause, max_size=3))]} for name in names[:count]
    ]
    return {"title": "Положение о бухгалтерии", "type": "положение", "sections": sections}


def _round_trip(data: dict, folder: str) -> tuple[dict, dict]:
    kind = "policies" if "sections" in data else "roles"
    root = copy_project(Path(folder) / "project", editions=False, linked=False)
    (root / kind).mkdir(exist_ok=True)
    (root / kind / "generated.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    project = load_project(root, only=["generated"])
    document = project.documents["generated"]
    files = document_files(project, document, root / "out", Options(copies=1), [])
    imported = import_word(read_docx(files[0][1]))
    assert imported.approval is None  # never approved: built as a draft, imported as one
    return document.as_dict(), imported.data


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roles())
def test_import_of_a_built_role_gives_its_data(role: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        expected, got = _round_trip(role, folder)
    expected.pop("title_genitive", None)
    assert got == expected


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(policies())
def test_import_of_a_built_regulation_gives_its_data(policy: dict) -> None:
    with tempfile.TemporaryDirectory() as folder:
        expected, got = _round_trip(policy, folder)
    assert got == expected
