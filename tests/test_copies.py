"""The copies of a document share the template's output that cannot depend on ``copy``
(jobdesc.render.copies): every copy must read as if the template had been rendered for it alone."""

from __future__ import annotations

import contextlib
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from jobdesc.documents import compose
from jobdesc.project.loader import load_project
from jobdesc.render import templates
from jobdesc.render.copies import SharedOutput

REPO = Path(__file__).resolve().parent.parent

# Statements of a template: what reads ``copy``, what assigns from it, and every way state passes
# from one statement to another (a name, a list changed by a method, a namespace, a cycler, a
# macro, an included template that changes a list), each use guarded so that any order renders.
STATEMENTS = [
    "Экземпляр № {{ copy.number }} из {{ copy.total }}\n",
    "{% if copy.number == 1 %}хранится у работодателя{% else %}выдается работнику{% endif %}\n",
    "{% set n = copy.number %}",
    "{% set t = role.title %}",
    "{% set t = role.title ~ ' ' ~ copy.number %}",
    "{% if t is defined %}{{ t }}{% endif %} {% if n is defined %}{{ n }}{% endif %}\n",
    "{% set items = [] %}",
    "{% if items is defined %}{{ items.append(copy.number) or '' }}{% endif %}",
    "{% if items is defined %}{{ items|join(',') }}{% endif %}\n",
    "{% set ns = namespace(x=0) %}",
    "{% if ns is defined %}{% set ns.x = ns.x + copy.number %}{% endif %}",
    "{% if ns is defined %}{{ ns.x }}{% endif %}\n",
    "{% set c = cycler('первый', 'второй') %}",
    "{% if c is defined %}{{ c.next() }}{% endif %}\n",
    "{% macro m() %}{{ copy.number }}{% endmacro %}",
    "{% if m is defined %}{{ m() }}{% endif %}\n",
    "{% macro plain() %}{{ role.title }}{% endmacro %}",
    "{% if plain is defined %}{{ plain() }}{% endif %}\n",
    "{% include 'part.md.j2' %}",
    "{% for duty in role.duties %}1. {{ duty }} ({{ loop.index }})\n{% endfor %}",
    "## Общие положения\n\n1. {{ role.title }} относится к категории специалистов.\n",
    "{{ role.title|upper }}, {{ role.duties|length }}\n",
    "{% with k = copy.number %}{{ k }}{% endwith %}\n",
    "{% import 'macros.md.j2' as lib with context %}",
    "{% if lib is defined %}{{ lib.number() }}{% endif %}\n",
    "{% from 'macros.md.j2' import number with context %}",
    "{% if number is defined %}{{ number() }}{% endif %}\n",
    SELF_INCLUDE
    := "{% if nested is not defined %}{% with nested = 1 %}{% include 'doc.md.j2' %}{% endwith %}{% endif %}",
    "{% if nested is defined %}включенный{% else %}свой{% endif %} текст\n",
    "\n",
    "{% set role = {'title': 'Другая должность', 'duties': []} %}",
    "{% set g = role.duties|reverse %}",  # an iterator: read, it is used up
    "{% if g is defined %}{% for duty in g %}{{ duty }} {% endfor %}{% endif %}\n",
]
PART = (
    "{% if items is defined %}{{ items.append(copy.number) or '' }}{% endif %}"
    "{% if ns is defined %}{% set ns.x = ns.x + copy.number %}{% endif %}"
    "Часть для экземпляра № {{ copy.number }}\n"
)
MACROS = "{% macro number() %}№ {{ copy.number }}{% endmacro %}"
ROLE = {"title": "Менеджер по работе с ключевыми клиентами", "duties": ["Ведет переговоры.", "Готовит отчеты."]}


def render_copies(folder: Path, total: int, share: bool) -> list[str]:
    """Each copy's output (or its error), the copies sharing output when ``share``, else each
    rendered alone by the template compiled without shared runs (as before them)."""
    shared = SharedOutput("doc.md.j2") if share else None
    real = templates.environment
    unshared = mock.patch.object(templates, "environment", lambda folder, read: real(folder, read, share_copies=False))
    outputs = []
    with contextlib.nullcontext() if share else unshared:
        for number in range(1, total + 1):
            context = {"role": ROLE, "copy": {"number": number, "total": total}}
            try:
                outputs.append(templates.render_markdown(folder, "doc.md.j2", context, shared=shared))
            except templates.TemplateProblem as exc:
                outputs.append(f"TemplateProblem: {exc}")
    return outputs


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=10), st.integers(min_value=2, max_value=3))
@example(["{% set items = [] %}", STATEMENTS[8], STATEMENTS[7], STATEMENTS[8]], 2)
@example(["{% set ns = namespace(x=0) %}", STATEMENTS[11], STATEMENTS[10], STATEMENTS[11]], 2)
@example(["{% set items = [] %}", STATEMENTS[8], "{% include 'part.md.j2' %}", STATEMENTS[8]], 2)
@example(["{% set c = cycler('первый', 'второй') %}", STATEMENTS[13], STATEMENTS[1], STATEMENTS[13]], 2)
@example(["{% set t = role.title ~ ' ' ~ copy.number %}", STATEMENTS[5]], 2)
@example(["{% set ns = namespace(x=0) %}", STATEMENTS[11], "{% include 'part.md.j2' %}", STATEMENTS[11]], 2)
@example([STATEMENTS[1], "{% if nested is defined %}включенный{% else %}свой{% endif %} текст\n", SELF_INCLUDE], 2)
@example(
    ["{% import 'macros.md.j2' as lib with context %}", "{% if lib is defined %}{{ lib.number() }}{% endif %}\n"], 2
)
def test_copies_sharing_output_read_as_copies_rendered_alone(
    tmp_path_factory: pytest.TempPathFactory, statements: list[str], total: int
) -> None:
    folder = tmp_path_factory.mktemp("templates")
    (folder / "doc.md.j2").write_text("".join(statements), encoding="utf-8")
    (folder / "part.md.j2").write_text(PART, encoding="utf-8")
    (folder / "macros.md.j2").write_text(MACROS, encoding="utf-8")
    assert render_copies(folder, total, share=True) == render_copies(folder, total, share=False)


def test_a_statement_that_reads_copy_is_rendered_for_each_copy_and_the_rest_once(tmp_path: Path) -> None:
    (tmp_path / "doc.md.j2").write_text(
        "Экземпляр № {{ copy.number }}\n{% for duty in role.duties %}1. {{ duty }}\n{% endfor %}", encoding="utf-8"
    )
    shared = SharedOutput("doc.md.j2")
    for number in (1, 2):
        context = {"role": ROLE, "copy": {"number": number, "total": 2}}
        text = templates.render_markdown(tmp_path, "doc.md.j2", context, shared=shared)
        assert text == f"Экземпляр № {number}\n1. Ведет переговоры\\.\n1. Готовит отчеты\\.\n"
    assert shared.usable
    assert list(shared.outputs.values()) == ["1. Ведет переговоры\\.\n1. Готовит отчеты\\.\n"]


def test_a_change_of_an_object_in_the_first_copy_stops_the_sharing(tmp_path: Path) -> None:
    (tmp_path / "doc.md.j2").write_text(
        "{% set seen = [] %}{{ seen.append(copy.number) or '' }}{{ role.title }} {{ seen|join }}\n", encoding="utf-8"
    )
    shared = SharedOutput("doc.md.j2")
    texts = [
        templates.render_markdown(
            tmp_path, "doc.md.j2", {"role": ROLE, "copy": {"number": n, "total": 2}}, shared=shared
        )
        for n in (1, 2)
    ]
    assert texts == [f"{ROLE['title']} 1\n", f"{ROLE['title']} 2\n"]
    assert not shared.usable


def test_every_shipped_document_reads_the_same_with_its_copies_sharing() -> None:
    """The shipped job descriptions share their whole text but the copy mark and the sheet; every
    copy of every shipped document is what rendering it alone gives."""
    project = load_project(REPO)
    made: list[SharedOutput] = []

    class Recorded(SharedOutput):
        def __init__(self, template: str) -> None:
            super().__init__(template)
            made.append(self)

    documents = [*project.roles.values(), *project.policies.values()]
    real = templates.environment
    unshared = mock.patch.object(templates, "environment", lambda folder, read: real(folder, read, share_copies=False))
    with unshared:  # each copy alone, by the templates compiled without shared runs (as before them)
        alone = {document.id: compose.render_document(project, document) for document in documents}
    with mock.patch.object(compose, "SharedOutput", Recorded):
        for document in documents:
            assert compose.render_document(project, document) == alone[document.id], document.id
    job_descriptions = [shared for shared in made if shared.template == "job-description.md.j2"]
    assert len(job_descriptions) == len(project.roles) >= 2
    for shared in job_descriptions:
        assert shared.usable
        assert sum(map(len, shared.outputs.values())) > 10_000  # the instruction's text, rendered once


@pytest.mark.parametrize(
    "body",
    [
        pytest.param('{% set big = "ж" * 999999 %}{% for i in range(99999) %}{{ big }}{% endfor %}', id="a value"),
        pytest.param("{% for i in range(99999) %}" + "ж" * 300_000 + "{% endfor %}", id="static text"),
        pytest.param("{% for i in range(99999) %}{{ '" + "ж" * 300_000 + "' }}{% endfor %}", id="a constant"),
    ],
)
def test_a_shared_run_that_would_print_too_much_stops_at_the_limit_before_it_is_joined(
    tmp_path: Path, body: str
) -> None:
    """A shared run's output is joined in memory before it is streamed: what it prints counts
    against the document's budget as it is made (the streamed render stopped at 10 million
    characters; gigabytes must not be joined first)."""
    (tmp_path / "doc.md.j2").write_text(body, encoding="utf-8")
    shared = SharedOutput("doc.md.j2")
    with pytest.raises(templates.TemplateProblem) as raised:
        templates.render_markdown(tmp_path, "doc.md.j2", {"copy": {"number": 1, "total": 2}}, shared=shared)
    assert "слишком много текста" in str(raised.value), str(raised.value)


@pytest.mark.parametrize(
    "source",
    [
        # a run of statements writing more than a call may return (MAX_LENGTH): a document as before
        "{% for i in range(70000) %}1. {{ role.title }} {{ i }}\n{% endfor %}Экземпляр № {{ copy.number }}\n",
        # a macro calling itself 49 deep inside a shared run: as deep as before (MAX_DEPTH)
        "{% macro r(n) %}{% if n > 0 %}{{ r(n - 1) }}{% else %}дно{% endif %}{% endmacro %}"
        "{% if true %}{{ r(49) }}{% endif %}\nЭкземпляр № {{ copy.number }}\n",
    ],
)
def test_a_shared_run_is_held_to_the_limits_as_its_statements_were(tmp_path: Path, source: str) -> None:
    (tmp_path / "doc.md.j2").write_text(source, encoding="utf-8")
    alone = render_copies(tmp_path, 2, share=False)
    assert not any(text.startswith("TemplateProblem") for text in alone)
    assert render_copies(tmp_path, 2, share=True) == alone


def test_an_iterator_a_shared_run_uses_up_is_used_up_in_every_copy(tmp_path: Path) -> None:
    """``|reverse`` (and ``|map``, ``|select``…) gives an iterator: reading it changes it, without a call."""
    (tmp_path / "doc.md.j2").write_text(
        "{% set duties = role.duties|reverse %}\n{% for duty in duties %}1. {{ duty }}\n{% endfor %}\n"
        "Экземпляр № {{ copy.number }}: {{ duties|join(', ') }}\n",
        encoding="utf-8",
    )
    alone = render_copies(tmp_path, 2, share=False)
    assert alone[1].endswith("Экземпляр № 2: \n")
    assert render_copies(tmp_path, 2, share=True) == alone


def test_a_name_given_a_random_value_is_each_copys_own(tmp_path: Path) -> None:
    """A random value drawn by a statement that is not shared is each copy's: a shared statement
    printing it would print the first copy's in every copy."""
    import random
    import re

    (tmp_path / "doc.md.j2").write_text(
        "{% set pick = range(1000)|list|random %}\n{% if true %}Выбрано: {{ pick }}.{% endif %}\n\n"
        "Экземпляр № {{ copy.number }}: {{ pick }}.\n",
        encoding="utf-8",
    )
    shared = SharedOutput("doc.md.j2")
    picks = []
    for number in (1, 2):
        random.seed(number)  # 137 and 978
        context = {"role": ROLE, "copy": {"number": number, "total": 2}}
        text = templates.render_markdown(tmp_path, "doc.md.j2", context, shared=shared)
        first, second = re.findall(r"(\d+)\.", text)
        assert first == second, text
        picks.append(first)
    assert picks[0] != picks[1]


@pytest.mark.parametrize("method", ["pop()", "clear()"])
def test_a_list_emptied_by_a_shared_run_stops_the_sharing_with_jinja_before_3_1_5(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, method: str
) -> None:
    """Jinja 3.1.0–3.1.4 (``jinja2>=3.1``) did not count a list's ``pop`` and ``clear`` as changes."""
    import collections.abc

    from jinja2 import sandbox

    before = [
        (kind, names - {"pop", "clear"} if kind is collections.abc.MutableSequence else names)
        for kind, names in sandbox._mutable_spec
    ]
    monkeypatch.setattr(sandbox, "_mutable_spec", tuple(before))
    (tmp_path / "doc.md.j2").write_text(
        "{% set items = [1, 2, 3] %}\n{% if true %}{{ items." + method + " }}{% endif %}\n\n"
        "Экземпляр № {{ copy.number }}: {{ items|join(', ') }}\n",
        encoding="utf-8",
    )
    alone = render_copies(tmp_path, 2, share=False)
    assert "Экземпляр № 2: 1\\, 2\n" in alone[1] or alone[1].endswith("Экземпляр № 2: \n")
    assert render_copies(tmp_path, 2, share=True) == alone


def test_a_name_of_the_context_assigned_later_in_the_template_reads_as_before(tmp_path: Path) -> None:
    """Inside a shared run (a macro to Jinja), a name the template assigns later is its own variable,
    not yet set, where the statement alone reads the context's."""
    (tmp_path / "doc.md.j2").write_text(
        "{% if true %}{{ role.title }}{% endif %}\n\nЭкземпляр № {{ copy.number }}\n"
        "{% set role = {'title': 'Другая должность'} %}{{ role.title }}\n",
        encoding="utf-8",
    )
    alone = render_copies(tmp_path, 2, share=False)
    assert alone[1] == f"{ROLE['title']}\nЭкземпляр № 2\nДругая должность\n"
    assert render_copies(tmp_path, 2, share=True) == alone
