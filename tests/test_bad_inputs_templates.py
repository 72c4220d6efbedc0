"""Runaway templates: templates are code HR edits, so each limit ends in one line naming the template.

Each case adds a few lines to a shipped template and runs ``jobdesc build`` (and ``check``, which
renders every role too) in a child process whose memory is limited to a normal build's plus
200 MiB (see ``hostile.py``). It must exit 1 with one Russian line ``templates/NAME:LINE: …``
— the template and the line of the runaway code, never the role — and write no document.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import copy_project
from hostile import one_clear_line, run_jobdesc

MAIN = "templates/job-description.md.j2"
APPROVAL = "templates/approval.md.j2"  # included by the main template: the message names it, not the main one

# name: (template, code added at its end, words of the message)
CASES = {
    "nested-loops": (
        MAIN,
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        ("повторений", "цикл"),
    ),
    "nested-loops-over-a-long-text": (
        MAIN,
        "{% set s = 'ab' * 50000 %}{% for c in s %}{% for d in s %}{{ d }}{% endfor %}{% endfor %}",
        ("повторений",),
    ),
    "string-repetition": (MAIN, "{{ 'a' * 10**9 }}", ("слишком длинный",)),
    "list-repetition": (MAIN, "{{ ([1, 2] * 10**9)|length }}", ("слишком длинный",)),
    "doubling-by-concatenation": (
        MAIN,
        "{% set ns = namespace(s='ab') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
        ("слишком длинный",),
    ),
    "doubling-by-addition": (
        MAIN,
        "{% set ns = namespace(s=[1]) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}",
        ("слишком длинный",),
    ),
    "power-folded-at-compile-time": (MAIN, "{{ 10 ** (10 ** 10) }}", ("степень",)),
    "huge-range": (MAIN, "{% for i in range(10**10) %}{% endfor %}", ("range", "100000")),
    "huge-width": (MAIN, "{{ 'a'|center(10**9) }}", ("слишком большое число",)),
    "huge-format-width": (MAIN, "{{ '%0999999999d' % 1 }}", ("ширина",)),
    "huge-str-format-width": (MAIN, "{{ '{:>999999999}'.format(1) }}", ("ширина",)),
    "replace-every-gap": (MAIN, "{{ ('a' * 100000)|replace('', 'b' * 100000) }}", ("слишком длинный",)),
    "many-texts-below-the-length-limit": (
        MAIN,
        "{% set ns = namespace(l=[]) %}{% set big = 'a' * 999999 %}"
        "{% for i in range(100000) %}{% set _ = ns.l.append(big ~ 'x') %}{% endfor %}",
        ("слишком много текста",),
    ),
    "join-with-a-long-separator": (MAIN, "{{ ('a' * 999999)|list|join('b' * 999999) }}", ("слишком длинный",)),
    "indent-of-many-lines": (MAIN, "{{ ('\\n' * 999999)|indent(100000) }}", ("слишком длинный",)),
    "expandtabs": (MAIN, "{{ ('\\t' * 999999).expandtabs(100000) }}", ("слишком длинный",)),
    "macro-calling-itself": (APPROVAL, "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(1) }}", ("вызов",)),
    "template-including-itself": (APPROVAL, '{% include "approval.md.j2" %}', ("сам себя",)),
    # issue 21: what repr, join, format and map build is counted
    "star-width": (MAIN, '{{ "%*s" % (999999999, "x") }}', ("ширина",)),
    "format-map-nested-width": (MAIN, '{{ "{a:>{w}}".format_map({"a": 1, "w": 999999999}) }}', ("ширина",)),
    "text-of-a-shared-list": (MAIN, "{{ [[0] * 99999] * 99999 }}", ("слишком длинный",)),
    "nested-namespace-lists": (
        MAIN,
        "{% set ns = namespace(l=[0] * 99999) %}{% set ns.m = [ns.l] * 99999 %}{{ ns.m|string|length }}",
        ("слишком длинный",),
    ),
    "map-center": (MAIN, '{{ range(99999)|map("center", 99999)|join }}', ("слишком",)),
    "join-of-a-repeated-long-text": (MAIN, "{% set a = 'a' * 999999 %}{{ ([a] * 99999)|join }}", ("слишком длинный",)),
    "genitive-of-a-megabyte": (MAIN, "{{ ('Менеджер ' * 100000)|genitive }}", ("фильтр genitive",)),
    "inflect-of-a-megabyte": (MAIN, "{{ ('Менеджер ' * 100000)|inflect('datv') }}", ("фильтр inflect",)),
}


def break_template(project: Path, template: str, code: str) -> int:
    """Append ``code`` as the last line of the template; its line number."""
    path = project / template
    text = path.read_text(encoding="utf-8")
    if not text.endswith("\n"):
        text += "\n"
    path.write_text(text + code + "\n", encoding="utf-8")
    return text.count("\n") + 1


@pytest.mark.parametrize("name", CASES)
def test_runaway_template_stops_with_one_line(name: str, tmp_path: Path) -> None:
    template, code, words = CASES[name]
    project = copy_project(tmp_path / "project", overrides=True, linked=False)
    line = break_template(project, template, code)
    out = tmp_path / "out"

    message = one_clear_line(run_jobdesc("-C", project, "build", "--out", out, base=tmp_path))

    assert message.startswith(f"{template}:{line}: ошибка в шаблоне: "), message
    for word in words:
        assert word in message, (word, message)
    assert "roles/" not in message
    assert not out.exists() or [p.name for p in out.glob("*.docx")] == []


@pytest.mark.parametrize("name", ["power-folded-at-compile-time", "nested-loops", "template-including-itself"])
def test_check_stops_too(name: str, tmp_path: Path) -> None:
    template, code, _ = CASES[name]
    project = copy_project(tmp_path / "project", overrides=True)
    line = break_template(project, template, code)

    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert message.startswith(f"{template}:{line}: ошибка в шаблоне: "), message


def test_each_document_has_a_wall_clock_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A loop within every count limit but slow per step stops at the document's time limit."""
    from click.testing import CliRunner

    from jobdesc.cli.main import main
    from jobdesc.render import templates

    monkeypatch.setattr(templates, "RENDER_SECONDS", 0)  # any rendering is over the limit at its first step
    project = copy_project(tmp_path / "project", overrides=True)
    line = break_template(project, MAIN, "{% for i in range(10) %}{{ i }}{% endfor %}")
    templates.environment.cache_clear()

    result = CliRunner().invoke(main, ["-C", str(project), "build", "--out", str(tmp_path / "out")])

    assert result.exit_code == 1, result.output
    assert f"{MAIN}:" in result.stderr
    assert "не собран за 0 с" in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not list((tmp_path / "out").glob("*.docx"))
    del line


def test_ordinary_loops_and_arithmetic_still_work(tmp_path: Path) -> None:
    """The limits leave room for what a real template does: loops over clauses, sums, small powers."""
    from click.testing import CliRunner

    from jobdesc.cli.main import main
    from jobdesc.commands.textconv import docx_text

    project = copy_project(tmp_path / "project", overrides=True)
    break_template(
        project,
        MAIN,
        "{% for i in range(3) %}{{ i * 2 }}-{% endfor %}{{ 2 ** 10 }} {{ '%05d' % 7 }} {{ 'ab' * 3 }}"
        " {{ [1] + [2] }} {{ 'x' ~ 'y' }} {{ '{:03}'.format(7) }}",
    )

    result = CliRunner().invoke(main, ["-C", str(project), "build", "kam-manager", "--out", str(tmp_path / "out")])

    assert result.exit_code == 0, result.output
    text = docx_text(tmp_path / "out" / "kam-manager.docx")
    assert "0-2-4-1024 00007 ababab [1, 2] xy 007" in text, text[-500:]


@pytest.mark.parametrize(
    "code",
    [
        "{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}",
        "{% for i in [1] %}" * 30 + "x" + "{% endfor %}" * 30,  # Python allows 20 nested blocks
        "{% if true %}" * 300 + "x" + "{% endif %}" * 300,
    ],
    ids=["brackets", "loops", "conditions"],
)
def test_nesting_too_deep_for_python_is_a_template_error(code: str, tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project", overrides=True)
    line = break_template(project, MAIN, code)

    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert (
        message
        == f"{MAIN}:{line}: ошибка в шаблоне: слишком глубокая вложенность (скобок, циклов или блоков): упростите шаблон"
    )


NESTED_BOXES = "\n::: center\n::: center\nтекст\n:::\n:::\n"  # the inner box opens two lines below the returned one
BOX_MESSAGE = (
    "рамка внутри рамки («::: center», а предыдущая «::: …» не закрыта): закройте ее строкой «:::» перед новой"
)


@pytest.mark.parametrize("template", [MAIN, APPROVAL])
def test_a_box_inside_a_box_is_named_at_its_template_and_line(template: str, tmp_path: Path) -> None:
    """«разметка container_box_close не поддерживается (строка 0…)» said nothing, and a mistake of
    markup in an included template was blamed on the main one, at a line of the output (issue 21)."""
    project = copy_project(tmp_path / "project", overrides=True, linked=False)
    line = break_template(project, template, NESTED_BOXES) + 2

    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert message == f"{template}:{line}: {BOX_MESSAGE}"


def test_markup_in_a_parent_template_is_named_there(tmp_path: Path) -> None:
    """``{% extends %}``: a mistake in the parent's own text names the parent; one in the child's
    block names the child — each at its line."""
    project = copy_project(tmp_path / "project", overrides=True, linked=False)
    main = project / MAIN
    (project / "templates" / "base.md.j2").write_text(
        main.read_text(encoding="utf-8") + "{% block extra %}{% endblock %}\n", encoding="utf-8"
    )
    main.write_text('{% extends "base.md.j2" %}\n{% block extra %}\nтекст\n{% endblock %}\n', encoding="utf-8")
    line = break_template(project, "templates/base.md.j2", NESTED_BOXES) + 2

    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert message == f"templates/base.md.j2:{line}: {BOX_MESSAGE}"

    main.write_text(
        '{% extends "base.md.j2" %}\n{% block extra %}\n::: center\n::: center\nx\n:::\n:::\n{% endblock %}\n',
        encoding="utf-8",
    )
    (project / "templates" / "base.md.j2").write_text(
        (project / "templates" / "base.md.j2").read_text(encoding="utf-8").replace(NESTED_BOXES, ""), encoding="utf-8"
    )
    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert message == f"{MAIN}:4: {BOX_MESSAGE}"


MACROS = "templates/macros.md.j2"


@pytest.mark.parametrize(
    ("code", "line", "words"),
    [
        ("{% macro sign(x) %}\n{{ x.nosuch.deeper }}\n{% endmacro %}\n", 2, "у «role» нет поля «nosuch»"),
        ("{% macro sign(x) %}\n{{ x( }}\n{% endmacro %}\n", 2, "неожиданный символ «}», ожидалось «)»"),
    ],
)
def test_a_mistake_in_an_imported_template_is_named_there(code: str, line: int, words: str, tmp_path: Path) -> None:
    """``{% import %}``: a mistake inside a macro of the imported template names that template and line."""
    project = copy_project(tmp_path / "project", overrides=True, linked=False)
    (project / MACROS).write_text(code, encoding="utf-8")
    main = project / MAIN
    main.write_text(
        '{% import "macros.md.j2" as m %}\n' + main.read_text(encoding="utf-8") + "{{ m.sign(role) }}\n",
        encoding="utf-8",
    )

    message = one_clear_line(run_jobdesc("-C", project, "check", base=tmp_path))

    assert message.startswith(f"{MACROS}:{line}: ошибка в шаблоне: "), message
    assert words in message, message
