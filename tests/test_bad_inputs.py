"""A corpus of broken projects: ``jobdesc build`` refuses each with exit 1 and a line naming the file.

Every case copies the shipped project, breaks one thing and runs ``jobdesc -C DIR build``. It must
exit 1 through click (no traceback), name the file (with ``:LINE`` and the field where there is
one) on stderr, and write nothing of what is broken: a broken role writes none of its documents
(the other roles are still built: one role's failure does not stop the batch), a broken
project-wide file (``jobdesc.yaml``, templates, styles) writes nothing at all. A few inputs that
look odd but are fine (BOM, CRLF, «ё», typographic quotes, a very long clause) must build.
"""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from helpers import copy_project, run_cli

REPO = Path(__file__).resolve().parent.parent
ROLE = "roles/kam-manager.yaml"
HEAD = "roles/kam-head.yaml"
TEMPLATE = "templates/job-description.md.j2"


@dataclass
class Expect:
    """Where the problem is: file (as printed), line and field when known, words of the message."""

    path: str
    line: int | None = None
    field: str | None = None
    words: tuple[str, ...] = ()
    role: str | None = "kam-manager"  # whose documents must not be written; None: nothing may be written
    args: tuple[str, ...] = ()
    better: tuple[str, ...] = ()  # what a clearer message would say (checked by test_message_quality)


CASES: dict[str, Callable[[Path], Expect]] = {}


def case(name: str):  # noqa: ANN201
    def register(function: Callable[[Path], Expect]) -> Callable[[Path], Expect]:
        CASES[name] = function
        return function

    return register


def shipped_project(target: Path) -> Path:
    """A copy of the shipped jobdesc.yaml, roles/ (without editions), every template overridden."""
    return copy_project(target, editions=False, overrides=True)


def read(project: Path, relative: str = ROLE) -> str:
    return (project / relative).read_text(encoding="utf-8")


def write(project: Path, relative: str, text: str) -> None:
    (project / relative).write_bytes(text.encode("utf-8"))


def line_of(text: str, needle: str) -> int:
    """1-based line of the first occurrence of ``needle``."""
    index = text.index(needle)
    return text.count("\n", 0, index) + 1


def replace(project: Path, old: str, new: str, relative: str = ROLE) -> int:
    """Replace the first ``old`` in the file by ``new``; the line where ``new`` starts."""
    text = read(project, relative)
    assert old in text, old
    text = text.replace(old, new, 1)
    write(project, relative, text)
    return line_of(text, new)


def build(project: Path, *args: str):  # noqa: ANN201
    return run_cli("-C", project, "build", *args)


# --- YAML syntax -------------------------------------------------------------------------------


@case("unclosed-quote")
def _(project: Path) -> Expect:
    line = replace(project, "title: Менеджер", 'title: "Менеджер')
    # the line printed is where the parser gave up (far below), not where the quote opens
    return Expect(ROLE, None, words=("кавычк",), better=(f"{ROLE}:{line}:",))


@case("unclosed-flow-list")
def _(project: Path) -> Expect:
    replace(project, "rights:\n  - Выступать", "rights: [Выступать,\n  - Выступать")
    return Expect(ROLE, None, words=("YAML",))


@case("tab-indent")
def _(project: Path) -> Expect:
    line = replace(project, "\n  by: приказом", "\n\tby: приказом") + 1
    return Expect(ROLE, line, words=("табуляц",))


@case("wrong-indentation-of-a-key")
def _(project: Path) -> Expect:
    line = replace(project, "\n  on_proposal_of:", "\n     on_proposal_of:") + 1
    return Expect(ROLE, line, words=("YAML",))


@case("wrong-indentation-of-a-list-item")
def _(project: Path) -> Expect:
    line = replace(project, "\n  - Реальную ситуацию", "\n - Реальную ситуацию") + 1
    return Expect(ROLE, line, words=("YAML",))


@case("colon-and-space-in-unquoted-title")
def _(project: Path) -> Expect:
    line = replace(project, "title: Менеджер по работе", "title: Менеджер: по работе")
    return Expect(ROLE, line, words=("двоеточие",))


@case("colon-and-space-in-unquoted-clause")
def _(project: Path) -> Expect:
    line = replace(project, "  - Соблюдает режим коммерческой тайны.", "  - Соблюдает режим: коммерческой тайны.")
    # read as a mapping {"Соблюдает режим": ...}; the message talks of unknown fields title/items
    return Expect(ROLE, line, "duties[10]", better=("кавычк",))


@case("duplicate-top-level-key")
def _(project: Path) -> Expect:
    line = replace(project, "category: specialists\n", "category: specialists\ncategory: managers\n") + 1
    return Expect(ROLE, line, words=("category", "повторяется"))


@case("duplicate-nested-key")
def _(project: Path) -> Expect:
    line = replace(project, "  education: высшее\n", "  education: высшее\n  education: среднее\n") + 1
    return Expect(ROLE, line, words=("education", "повторяется"))


@case("non-text-key")
def _(project: Path) -> Expect:
    line = replace(project, "category: specialists\n", "category: specialists\n1: один\n") + 1
    return Expect(ROLE, line, words=("ключ",))


@case("document-is-a-list")
def _(project: Path) -> Expect:
    write(project, ROLE, "- title: Менеджер\n")
    return Expect(ROLE, 1, words=("набор полей",))


@case("document-is-plain-text")
def _(project: Path) -> Expect:
    write(project, ROLE, "Менеджер по работе с ключевыми клиентами\n")
    return Expect(ROLE, None, words=("набор полей",))


@case("two-documents-in-one-file")
def _(project: Path) -> Expect:
    write(project, ROLE, read(project) + "---\ntitle: Другой\n")
    return Expect(ROLE, None, words=("YAML",))


# --- shape: types, empty lists, unknown and missing keys --------------------------------------


@case("number-for-title")
def _(project: Path) -> Expect:
    line = replace(project, "title: Менеджер по работе с ключевыми клиентами", "title: 42")
    return Expect(ROLE, line, "title", ("текст",))


@case("string-for-duties")
def _(project: Path) -> Expect:
    text = read(project)
    start = text.index("duties:\n")
    end = text.index("\nrights:")
    text = text[:start] + "duties: Продает продукцию.\n" + text[end:]
    write(project, ROLE, text)
    return Expect(ROLE, line_of(text, "duties:"), "duties", ("список",))


@case("mapping-for-rights")
def _(project: Path) -> Expect:
    text = read(project)
    start = text.index("rights:\n")
    end = text.index("\nresponsibility:")
    text = text[:start] + "rights:\n  выступать: от имени организации\n" + text[end:]
    write(project, ROLE, text)
    return Expect(ROLE, line_of(text, "rights:"), "rights", ("список",))


@case("list-in-a-list")
def _(project: Path) -> Expect:
    line = replace(project, "  - Соблюдает режим коммерческой тайны.", "  - - Соблюдает режим коммерческой тайны.")
    return Expect(ROLE, line, "duties[10]", ("текст",))


@case("empty-duties")
def _(project: Path) -> Expect:
    text = read(project)
    start = text.index("duties:\n")
    end = text.index("\nrights:")
    text = text[:start] + "duties: []\n" + text[end:]
    write(project, ROLE, text)
    return Expect(ROLE, line_of(text, "duties:"), "duties", ("пуст",))


@case("empty-knowledge-without-items")
def _(project: Path) -> Expect:
    text = read(project)
    start = text.index("knowledge:\n")
    end = text.index("\nguiding_documents:")
    text = text[:start] + "knowledge:\n" + text[end:]
    write(project, ROLE, text)
    return Expect(ROLE, line_of(text, "knowledge:"), "knowledge", ("список",))


@case("empty-subsection-items")
def _(project: Path) -> Expect:
    text = read(project)
    start = text.index("    items:\n      - Приходит на встречи")
    end = text.index("\nrights:")
    text = text[:start] + "    items: []\n" + text[end:]
    write(project, ROLE, text)
    duties = yaml.safe_load(text)["duties"]  # the emptied subsection's place, wherever it stands
    at = next(n for n, duty in enumerate(duties) if isinstance(duty, dict) and duty.get("items") == [])
    return Expect(ROLE, line_of(text, "    items: []"), f"duties[{at + 1}].items", ("пуст",))  # counted from 1


@case("blank-title")
def _(project: Path) -> Expect:
    line = replace(project, "title: Менеджер по работе с ключевыми клиентами", 'title: "   "')
    return Expect(ROLE, line, "title", ("пуст",))


@case("unknown-top-level-key")
def _(project: Path) -> Expect:
    line = replace(project, "\nduties:\n", "\ndutes:\n") + 1
    return Expect(ROLE, line, "dutes", ("неизвестное поле", "duties"))


@case("unknown-nested-key-appointment-bye")
def _(project: Path) -> Expect:
    line = replace(project, "  by: приказом", "  bye: приказом")
    return Expect(ROLE, line, "appointment.bye", ("неизвестное поле", "by"))


@case("unknown-nested-key-requirements-educaton")
def _(project: Path) -> Expect:
    line = replace(project, "  education: высшее", "  educaton: высшее")
    return Expect(ROLE, line, "requirements.educaton", ("неизвестное поле", "education"))


@case("missing-required-field")
def _(project: Path) -> Expect:
    text = read(project).replace("department: kam-department\n", "", 1)
    write(project, ROLE, text)
    return Expect(ROLE, 2, "department", ("обязательное",))


@case("unknown-category")
def _(project: Path) -> Expect:
    line = replace(project, "category: specialists", "category: workers")
    return Expect(ROLE, line, "category", ("workers", "specialists"))


@case("use-common-unknown-value")
def _(project: Path) -> Expect:
    line = replace(project, "final_provisions:\n  - use: common", "final_provisions:\n  - use: everything") + 1
    return Expect(ROLE, line, "final_provisions[1].use", ("common",))


@case("use-common-for-a-field-common-lacks")
def _(project: Path) -> Expect:
    line = replace(project, "knowledge:\n  - Теорию", "knowledge:\n  - use: common\n  - Теорию") + 1
    return Expect(ROLE, line, "knowledge[1]", ("_common.yaml", "knowledge"))


@case("common-file-unknown-key")
def _(project: Path) -> Expect:
    line = replace(project, "\nresponsibility:\n", "\nresponsibilty:\n", "roles/_common.yaml") + 1
    return Expect("roles/_common.yaml", line, "responsibilty", ("неизвестное поле",), role=None)


# --- what a file is: name, size, encoding, tags, aliases ---------------------------------------


@case("uppercase-file-name")
def _(project: Path) -> Expect:
    (project / ROLE).rename(project / "roles" / "Kam-Manager.yaml")
    return Expect("roles/Kam-Manager.yaml", None, words=("строчные",), role="Kam-Manager")


@case("file-named-dotdot-yaml")
def _(project: Path) -> Expect:
    (project / ROLE).rename(project / "roles" / "..yaml")
    return Expect("roles/..yaml", None, words=("строчные",), role=".")


@case("spaces-in-file-name")
def _(project: Path) -> Expect:
    (project / ROLE).rename(project / "roles" / "kam manager.yaml")
    return Expect("roles/kam manager.yaml", None, words=("строчные",), role="kam manager")


@case("underscore-inside-file-name")
def _(project: Path) -> Expect:
    (project / ROLE).rename(project / "roles" / "kam_manager.yaml")
    return Expect("roles/kam_manager.yaml", None, words=("строчные",), role="kam_manager")


@case("yml-extension")
def _(project: Path) -> Expect:
    (project / ROLE).rename(project / "roles" / "kam-manager.yml")
    return Expect("roles/kam-manager.yml", None, words=(".yaml",))


@case("role-file-is-a-folder")
def _(project: Path) -> Expect:
    (project / ROLE).unlink()
    (project / ROLE).mkdir()
    return Expect(ROLE, None)


@case("empty-file")
def _(project: Path) -> Expect:
    write(project, ROLE, "")
    return Expect(ROLE, None, words=("пуст",))


@case("only-comments")
def _(project: Path) -> Expect:
    write(project, ROLE, "# yaml-language-server: $schema=../jobdesc/schema/role.schema.json\n# TODO: написать\n")
    return Expect(ROLE, None, words=("пуст",))


@case("huge-file")
def _(project: Path) -> Expect:
    write(project, ROLE, read(project) + ("# " + "я" * 1000 + "\n") * 600)
    return Expect(ROLE, None, words=("большой",))


@case("billion-laughs")
def _(project: Path) -> Expect:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for n in range(ord("b"), ord("j")):
        previous = chr(n - 1)
        lines.append(f"{chr(n)}: &{chr(n)} [" + ",".join([f"*{previous}"] * 9) + "]")
    write(project, ROLE, read(project) + "\n".join(lines) + "\n")
    return Expect(ROLE, None, words=("*alias",))


@case("alias-of-a-clause")
def _(project: Path) -> Expect:
    text = read(project).replace(
        "  - Соблюдает режим коммерческой тайны.", "  - &secret Соблюдает режим коммерческой тайны.", 1
    )
    text = text.replace("rights:\n", "rights:\n  - *secret\n", 1)
    write(project, ROLE, text)
    # the line printed is the anchor's (&secret) or the alias's (*secret); either shows the spot
    return Expect(ROLE, None, words=("*alias",))


@case("merge-key")
def _(project: Path) -> Expect:
    text = read(project).replace("appointment:\n", "appointment: &app\n", 1)
    text = text.replace("substitute:", "extra:\n  <<: *app\nsubstitute:", 1)
    write(project, ROLE, text)
    return Expect(ROLE, None, words=("YAML",))


@case("python-tag")
def _(project: Path) -> Expect:
    marker = project / "pwned"
    line = replace(
        project,
        "title: Менеджер по работе с ключевыми клиентами",
        f"title: !!python/object/apply:os.system ['touch {marker}']",
    )
    return Expect(ROLE, line, words=("тег",))


@case("python-name-tag")
def _(project: Path) -> Expect:
    line = replace(project, "number: ДИ-014", "number: !!python/name:os.system")
    return Expect(ROLE, line, words=("тег",))


@case("binary-garbage")
def _(project: Path) -> Expect:
    (project / ROLE).write_bytes(bytes(range(256)) * 16)
    return Expect(ROLE, None, words=("двоичные",))


@case("windows-1251")
def _(project: Path) -> Expect:
    (project / ROLE).write_bytes(read(project).encode("cp1251"))
    return Expect(ROLE, 2, words=("UTF-8", "1251"))


@case("utf-16")
def _(project: Path) -> Expect:
    (project / ROLE).write_bytes(read(project).encode("utf-16"))
    return Expect(ROLE, None, better=("UTF-16", "UTF-8"))


@case("deep-nesting")
def _(project: Path) -> Expect:
    write(project, ROLE, read(project) + "deep: " + "[" * 20000 + "]" * 20000 + "\n")
    return Expect(ROLE, None)


# --- editions -----------------------------------------------------------------------------------


def approve(project: Path) -> Path:
    result = run_cli("-C", project, "approve", "kam-manager", "--date", "2026-01-15")
    assert result.exit_code == 0, result.output
    return project / "roles" / "kam-manager.editions" / "001.yaml"


@case("impossible-date-in-edition")
def _(project: Path) -> Expect:
    record = approve(project)
    relative = record.relative_to(project).as_posix()
    line = replace(project, "approved: '2026-01-15'", "approved: '2026-02-30'", relative)
    return Expect(relative, line, "approved", ("2026-02-30",))


@case("tampered-edition")
def _(project: Path) -> Expect:
    record = approve(project)
    relative = record.relative_to(project).as_posix()
    replace(project, "Соблюдает режим коммерческой тайны.", "Соблюдает режим тайны.", relative)
    return Expect(relative, line_of(read(project, relative), "fingerprint:"), "fingerprint", ("отпечаток",))


@case("edition-of-another-role")
def _(project: Path) -> Expect:
    record = approve(project)
    relative = record.relative_to(project).as_posix()
    line = replace(project, "role: kam-manager", "role: kam-head", relative)
    return Expect(relative, line, "role", ("kam-head",))


# --- templates and styles ----------------------------------------------------------------------


@case("template-syntax-error")
def _(project: Path) -> Expect:
    line = replace(project, "## Общие положения", "## Общие положения {% if %}", TEMPLATE)
    return Expect(TEMPLATE, line, words=("шаблон",), role=None)


@case("template-unknown-filter")
def _(project: Path) -> Expect:
    line = replace(project, "## Общие положения", "## Общие положения {{ role.title|shout }}", TEMPLATE)
    return Expect(TEMPLATE, line, words=("shout",), role=None)


@case("template-undefined-variable")
def _(project: Path) -> Expect:
    line = replace(project, "## Общие положения", "## Общие положения {{ role.salary }}", TEMPLATE)
    return Expect(TEMPLATE, line, words=("salary",))


@case("template-python-internals")
def _(project: Path) -> Expect:
    line = replace(project, "## Общие положения", "## Общие положения {{ ''.__class__ }}", TEMPLATE)
    return Expect(TEMPLATE, line, words=("__class__",))


@case("template-mro")
def _(project: Path) -> Expect:
    line = replace(project, "## Общие положения", "## Общие положения {{ role.title.__class__.__mro__ }}", TEMPLATE)
    return Expect(TEMPLATE, line, words=("__class__",))


@case("template-subclasses")
def _(project: Path) -> Expect:
    line = replace(
        project, "## Общие положения", "## Общие положения {{ ''.__class__.__mro__[1].__subclasses__() }}", TEMPLATE
    )
    return Expect(TEMPLATE, line, words=("__class__",))


@case("template-division-by-zero")
def _(project: Path) -> Expect:
    line = replace(project, "## Общие положения", "## Общие положения {{ 1 // 0 }}", TEMPLATE)
    return Expect(TEMPLATE, line)


@case("template-includes-a-missing-template")
def _(project: Path) -> Expect:
    line = replace(project, '{% include "approval.md.j2" %}', '{% include "approvals.md.j2" %}', TEMPLATE)
    return Expect(TEMPLATE, line, words=("approvals.md.j2",))


@case("template-not-utf8")
def _(project: Path) -> Expect:
    path = project / TEMPLATE
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1251"))
    return Expect(TEMPLATE, None, words=("UTF-8",), role=None)


@case("template-in-a-subfolder-syntax-error")
def _(project: Path) -> Expect:
    (project / "templates" / "parts").mkdir()
    write(project, "templates/parts/note.md.j2", "Примечание.\n{% if %}\n")
    return Expect("templates/parts/note.md.j2", 2, words=("шаблон",), role=None)


@case("templates-is-a-file")
def _(project: Path) -> Expect:
    shutil.rmtree(project / "templates")
    write(project, "templates", "не папка\n")
    return Expect("templates", None, words=("папк",), role=None)


@case("corrupt-styles-file")
def _(project: Path) -> Expect:
    (project / "templates" / "styles.docx").write_bytes(os.urandom(4096))
    return Expect("templates/styles.docx", None, words=("DOCX",), role=None)


@case("styles-without-a-jd-style")
def _(project: Path) -> Expect:
    path = project / "templates" / "styles.docx"
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/styles.xml"] = parts["word/styles.xml"].replace(b'w:styleId="JDClause"', b'w:styleId="Other"')
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return Expect("templates/styles.docx", None, words=("JDClause",), role=None)


# --- jobdesc.yaml, the command line, the output folder -----------------------------------------


@case("config-missing-organisation")
def _(project: Path) -> Expect:
    text = read(project, "jobdesc.yaml")
    start = text.index("organisation:")
    end = text.index("approver:")
    write(project, "jobdesc.yaml", text[:start] + text[end:])
    return Expect("jobdesc.yaml", None, "organisation", ("обязательное",), role=None)


@case("config-unknown-key")
def _(project: Path) -> Expect:
    line = replace(project, "approver:\n", "aprover:\n  position: x\napprover:\n", "jobdesc.yaml")
    return Expect("jobdesc.yaml", line, "aprover", ("неизвестное поле",), role=None)


@case("config-three-copies")
def _(project: Path) -> Expect:
    line = replace(project, "  copies: 2", "  copies: 3", "jobdesc.yaml")
    return Expect("jobdesc.yaml", line, "document.copies", ("3",), role=None)


@case("config-yaml-error")
def _(project: Path) -> Expect:
    replace(project, "  city: Москва", "  city: [Москва", "jobdesc.yaml")
    return Expect("jobdesc.yaml", None, words=("YAML",), role=None)


@case("config-empty")
def _(project: Path) -> Expect:
    write(project, "jobdesc.yaml", "")
    return Expect("jobdesc.yaml", None, words=("пуст",), role=None)


@case("no-config")
def _(project: Path) -> Expect:
    (project / "jobdesc.yaml").unlink()
    return Expect("jobdesc.yaml", None, words=("не найден",), role=None)


@case("no-roles-at-all")
def _(project: Path) -> Expect:
    for name in ("kam-manager.yaml", "kam-head.yaml"):
        (project / "roles" / name).unlink()
    return Expect("roles", None, words=("нет ни одного",), role=None)


@case("unknown-role-on-the-command-line")
def _(project: Path) -> Expect:
    return Expect("roles/kam-director.yaml", None, words=("такой роли нет",), role=None, args=("kam-director",))


@case("out-under-a-regular-file")
def _(project: Path) -> Expect:
    blocker = project / "blocker"
    blocker.write_text("не папка", encoding="utf-8")
    return Expect(str(blocker / "out"), None, role=None, args=("--out", str(blocker / "out")))


# --- the test --------------------------------------------------------------------------------


def documents_of(out: Path, role: str | None) -> list[str]:
    """Files in ``out`` that belong to ``role`` (every file when ``role`` is None)."""
    if not out.is_dir():
        return []
    names = sorted(p.name for p in out.rglob("*") if p.is_file())
    if role is None:
        return names
    return [name for name in names if name.split(".")[0] == role]


def test_the_corpus_is_large_enough() -> None:
    assert len(CASES) >= 40


@pytest.mark.parametrize("name", CASES)
def test_broken_input_is_refused_clearly(name: str, tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    expect = CASES[name](project)
    out = project / "output"

    result = build(project, *expect.args)

    assert result.exit_code == 1, (result.exit_code, result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    stderr = result.stderr
    where = f"{expect.path}:{expect.line}:" if expect.line else f"{expect.path}"
    assert where in stderr, stderr
    if expect.field:
        assert re.search(rf"{re.escape(expect.path)}(:\d+)?: {re.escape(expect.field)}[.\[:]", stderr), stderr
    for word in expect.words:
        assert word in stderr, (word, stderr)
    assert documents_of(out, expect.role) == [], "nothing of what is broken is written"
    assert not (project / "pwned").exists()


ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?: [A-Za-z']+){2,}")
# Messages known to fall short: a case listed here is expected to fail (strict), so a fix shows
# up as a failure to remove it from the list.
KNOWN_UNCLEAR: dict[str, str] = {}


def _quality_params():  # noqa: ANN202
    for name in CASES:
        reason = KNOWN_UNCLEAR.get(name)
        yield pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=reason)) if reason else name


@pytest.mark.parametrize("name", list(_quality_params()))
def test_message_quality(name: str, tmp_path: Path) -> None:
    """Each problem is printed once, in Russian, saying what a person needs to fix it."""
    project = shipped_project(tmp_path / "project")
    expect = CASES[name](project)

    result = build(project, *expect.args)

    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == len(set(lines)), f"a problem printed twice: {lines}"
    problems = [line.replace(str(tmp_path), "") for line in lines if not line.startswith("внимание: ")]
    english = [line for line in problems if ENGLISH.search(line)]
    assert english == [], english
    for word in expect.better:
        assert word in result.stderr, (word, result.stderr)


def test_summary_counts_the_roles_not_built(tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    CASES["template-undefined-variable"](project)

    result = build(project)

    assert result.exit_code == 1
    assert "не собрано документов: 2" in result.stderr, result.stderr


# --- odd but fine ------------------------------------------------------------------------------


def built_text(project: Path, role: str = "kam-manager") -> str:
    from jobdesc.commands.textconv import docx_text

    result = build(project, role)
    assert result.exit_code == 0, (result.output, result.exception)
    return " ".join(docx_text(project / "output" / f"{role}.docx").split())


def test_utf8_bom_is_fine(tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    (project / ROLE).write_bytes(b"\xef\xbb\xbf" + (project / ROLE).read_bytes())

    assert "Менеджер по работе с ключевыми клиентами относится к категории специалистов" in built_text(project)


def test_crlf_line_endings_are_fine(tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    for relative in (ROLE, "roles/_common.yaml", "jobdesc.yaml"):
        write(project, relative, read(project, relative).replace("\n", "\r\n"))

    text = built_text(project)

    assert "Соблюдает режим коммерческой тайны." in text
    assert "Уставом организации." in text
    assert "\r" not in text


def test_trailing_spaces_are_fine(tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    write(project, ROLE, read(project).replace("\n", "   \n"))

    assert "2.10. Соблюдает режим коммерческой тайны. " in built_text(project) + " "


def test_yo_and_typographic_quotes_are_fine(tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    clause = "Ведёт учёт по форме „Журнал“ и «Реестр „ключевых“ клиентов» — ежемесячно."
    replace(project, "  - Соблюдает режим коммерческой тайны.", f"  - {clause}")

    assert f"2.10. {clause}" in built_text(project)


def test_a_very_long_clause_is_fine(tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    clause = "Ведет " + " ".join(f"переговоры{n}" for n in range(3000)) + "."
    replace(project, "  - Соблюдает режим коммерческой тайны.", f"  - {clause}")

    assert f"2.10. {clause}" in built_text(project)


def test_underscore_files_are_shared_not_roles(tmp_path: Path) -> None:
    project = shipped_project(tmp_path / "project")
    write(project, "roles/_notes.yaml", "заметки: не роль\n")

    result = build(project)

    assert result.exit_code == 0, result.output
    assert not any(p.name.startswith("_") for p in (project / "output").iterdir())
