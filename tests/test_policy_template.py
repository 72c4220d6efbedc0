"""The department regulation (policies/kam-department.yaml): its schema and the policy.md.j2 document."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from helpers import ACK_TITLE, COPY_MARK_1, REPO_ROOT
from jsonschema import Draft202012Validator

from jobdesc.commands.textconv import docx_text
from jobdesc.documents.compose import document_bytes, render_document
from jobdesc.editions.store import Order
from jobdesc.errors import Problem
from jobdesc.people.staff import collect_staff
from jobdesc.project.loader import Project, load_checked, load_project, policy_from_data
from jobdesc.project.model import Policy
from jobdesc.project.yamlio import loads
from jobdesc.render.context import Approval, Registration

POLICY = REPO_ROOT / "policies" / "kam-department.yaml"
SCHEMA = REPO_ROOT / "jobdesc" / "schema" / "policy.schema.json"
SCHEMA_NAME = "policy.schema.json"
TEMPLATE = "policy.md.j2"
STAFF = REPO_ROOT / "tests" / "data" / "staff"  # staff.yaml of the shipped roles (an accounting export's people)
KIND_WORDS = {"nominative": "положение", "genitive": "положения", "accusative": "положение"}
APPROVED = dt.date(2026, 11, 20)
ORDER = Order("15-к", APPROVED)
SECTIONS = (
    "Общие положения",
    "Структура и численность",
    "Задачи",
    "Функции",
    "Права",
    "Ответственность",
    "Взаимоотношения с другими подразделениями",
    "Заключительные положения",
)


# ---- the regulation, loaded and rendered as the application does it --------------------------


def policy_data() -> dict:
    return yaml.safe_load(POLICY.read_text(encoding="utf-8"))


def shipped_project() -> Project:
    """The shipped project, its staff taken from tests/data/staff (the holders of the positions)."""
    project = load_project(REPO_ROOT)
    problems: list[Problem] = []
    project.staff = collect_staff(STAFF, None, problems)
    assert not problems, problems
    return project


def load_policy(project: Project, data: dict | None = None, policy_id: str = "kam-department") -> Policy:
    """The regulation as ``jobdesc`` loads it: validated, its unit's positions computed from the
    roles whose ``department`` is ``policy_id``."""
    if data is None:
        return project.policies[policy_id]
    problems: list[Problem] = []
    shown = f"policies/{policy_id}.yaml"
    located = loads(yaml.safe_dump(data, allow_unicode=True), shown)
    policy = policy_from_data(policy_id, located, shown, problems, project.graph)
    assert policy is not None, problems
    return policy


def render_policy_docx(
    approval: Approval, data: dict | None = None, copies: int = 1, policy_id: str = "kam-department"
) -> bytes:
    """Every copy of the regulation rendered (``jobdesc.documents.compose``) and written as one DOCX."""
    project = shipped_project()
    policy = load_policy(project, data, policy_id)
    documents = render_document(project, policy, copies, approval)
    return document_bytes(project, policy.title, policy, documents, approval)


def document_text(
    tmp_path: Path, approval: Approval, data: dict | None = None, copies: int = 1, policy_id: str = "kam-department"
) -> str:
    path = tmp_path / "kam-department.docx"
    path.write_bytes(render_policy_docx(approval, data, copies, policy_id))
    return docx_text(path)


def approved(order: Order | None = ORDER) -> Approval:
    return Approval(date=APPROVED, order=order, edition=1, effective=APPROVED)


@pytest.fixture(scope="module")
def text(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shipped regulation, edition 1 approved by order № 15-к, one copy."""
    return document_text(tmp_path_factory.mktemp("policy"), approved())


@pytest.fixture(scope="module")
def lines(text: str) -> list[str]:
    return text.splitlines()


def index_of(lines: list[str], start: str, after: int = 0) -> int:
    """The first line from ``after`` on that starts with ``start``."""
    for number in range(after, len(lines)):
        if lines[number].startswith(start):
            return number
    raise AssertionError(f"no line starts with {start!r}")


# ---- the schema ---------------------------------------------------------------------------------


def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_shipped_regulation_fits_the_schema() -> None:
    from jobdesc.project.validate import _fast_validator

    assert list(validator().iter_errors(policy_data())) == []
    _fast_validator(SCHEMA_NAME)(policy_data())  # the compiled schema (jobdesc check's fast path) agrees


def test_the_shipped_regulation_points_editors_at_the_schema() -> None:
    first = POLICY.read_text(encoding="utf-8").splitlines()[0]
    prefix = "# yaml-language-server: $schema="
    assert first.startswith(prefix)
    assert (POLICY.parent / first[len(prefix) :]).resolve() == SCHEMA.resolve()


def _broken(change) -> dict:  # noqa: ANN001
    data = policy_data()
    change(data)
    return data


BROKEN = {
    "no title": lambda d: d.pop("title"),
    "a type that is no kind of regulation": lambda d: d.update(type="приказ"),
    "no sections": lambda d: d.update(sections=[]),
    "a section without clauses": lambda d: d["sections"][2].update(clauses=[]),
    "positions without the unit": lambda d: d.pop("unit"),
    "a table with a clause text": lambda d: d["sections"][6]["clauses"][1].update(text="Таблица:"),
    "sub-clauses without a lead-in": lambda d: d["sections"][0]["clauses"][7].pop("text"),
    "an unknown field": lambda d: d.update(approved="2026-11-20"),
    "a blank clause": lambda d: d["sections"][2]["clauses"].append("  "),
    "a table without rows": lambda d: d["sections"][6]["clauses"][1]["table"].update(rows=[]),
}


@pytest.mark.parametrize("mistake", list(BROKEN))
def test_the_schema_refuses(mistake: str) -> None:
    from fastjsonschema import JsonSchemaException

    from jobdesc.project.validate import _fast_validator

    data = _broken(BROKEN[mistake])

    assert list(validator().iter_errors(data)), mistake
    with pytest.raises(JsonSchemaException):  # the compiled schema (jobdesc check's fast path) agrees
        _fast_validator(SCHEMA_NAME)(data)


def test_an_empty_structure_section_is_allowed_when_it_lists_the_positions() -> None:
    data = _broken(lambda d: d["sections"][1].update(clauses=[]))

    assert list(validator().iter_errors(data)) == []


def problems_of(text: str) -> list[str]:
    """``jobdesc check``'s messages for a policy file with this text (file:line: field: message)."""
    problems: list[Problem] = []
    load_checked(text.encode("utf-8"), "policies/kam-department.yaml", SCHEMA_NAME, problems)
    return [f"{p.path}:{p.line}: {p.field}: {p.message}" for p in problems]


def test_a_missing_title_is_reported_in_russian_with_the_file() -> None:
    source = POLICY.read_text(encoding="utf-8").replace("title: Положение об отделе", "titel: Положение об отделе")

    assert problems_of(source) == ["policies/kam-department.yaml:5: titel: неизвестное поле (возможно, title)"]


@pytest.mark.parametrize(
    "mistake, field, message",
    [
        ("positions without the unit", "unit", "обязательное поле отсутствует"),
        ("a table with a clause text", "sections[7].clauses[2]", "недопустимое значение 'text'; допустимо: table"),
        ("sub-clauses without a lead-in", "sections[1].clauses[8].text", "обязательное поле отсутствует"),
        ("a section without clauses", "sections[3].clauses", "список пуст: нужен хотя бы один пункт"),
        ("a blank clause", "sections[3].clauses[7]", "пустой текст"),
    ],
)
def test_shape_mistakes_are_named_by_field(mistake: str, field: str, message: str) -> None:
    source = yaml.safe_dump(_broken(BROKEN[mistake]), allow_unicode=True, sort_keys=False)

    (problem,) = problems_of(source)
    assert problem.split(": ", 1)[1] == f"{field}: {message}"


def test_a_table_row_with_a_cell_too_few_is_reported_with_its_line(tmp_path: Path) -> None:
    """A column added to the heading and not to the rows would print every cell under the wrong heading."""
    from helpers import copy_project, run_cli

    project = copy_project(tmp_path / "project")
    path = project / "policies" / "kam-department.yaml"
    text = path.read_text(encoding="utf-8")
    heading = "columns: [Подразделение, Отдел получает, Отдел предоставляет]"
    assert text.count(heading) == 1
    path.write_text(
        text.replace(heading, "columns: [Подразделение, Отдел получает, Отдел предоставляет, Срок]"), "utf-8"
    )
    first_row = next(n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "rows:") + 1

    result = run_cli("-C", project, "check")

    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if "rows[1]" in line]
    assert lines == [
        f"policies/kam-department.yaml:{first_row}: sections[7].clauses[2].table.rows[1]: "
        "в строке таблицы ячеек: 3, а столбцов: 4 — по ячейке на столбец"
    ], result.stderr
    assert "Traceback" not in result.output


def test_a_bad_type_is_reported_with_the_kinds_allowed() -> None:
    source = POLICY.read_text(encoding="utf-8").replace("type: положение", "type: приказ")

    (message,) = problems_of(source)
    assert message.startswith("policies/kam-department.yaml:6: type: недопустимое значение 'приказ'; допустимо: ")
    assert "положение, регламент, порядок, правила" in message


# ---- the document -------------------------------------------------------------------------------


def _texts(data: dict):  # noqa: ANN202
    for section in data["sections"]:
        clauses = section["clauses"]
        for index, clause in enumerate(clauses):
            if isinstance(clause, str):
                before_table = index + 1 < len(clauses) and "table" in clauses[index + 1]
                yield clause, ":" if before_table else "."
            elif "table" in clause:
                yield from ((cell, "") for row in clause["table"]["rows"] for cell in row)
            else:
                yield clause["text"], ":"
                yield from ((item, ".") for item in clause["items"])


def test_clauses_are_written_as_the_role_files_are() -> None:
    """A clause starts with a capital letter and ends with «.»; a lead-in (of sub-clauses or of a
    table) ends with «:»; a table cell starts with a capital letter and has no full stop."""
    wrong = [
        text
        for text, end in _texts(policy_data())
        if not text[:1].isupper() or (text[-1:] != end if end else text.endswith("."))
    ]
    assert wrong == []
    assert not [text for text, _ in _texts(policy_data()) if "  " in text or text != text.strip()]


def test_requisites_and_approval_stamp(lines: list[str]) -> None:
    """Organisation, kind, date and number, place on the left; the stamp on the right (one table row)."""
    requisites, stamp = lines[0].split(" | ")
    assert requisites == (
        "Общество с ограниченной ответственностью «Северный ветер» (ООО «Северный ветер»)  "
        "ПОЛОЖЕНИЕ 20.11.2026 №\u00a0П-003 г.\u00a0Москва"
    )
    assert stamp == "УТВЕРЖДЕНО приказом генерального директора от\u00a020.11.2026 №\u00a015-к"
    assert lines[1] == "об отделе по работе с ключевыми клиентами", "the heading is the title without its kind"
    assert lines[2] == "Редакция №\u00a01, утверждена приказом от\u00a020.11.2026 №\u00a015-к"


def test_one_copy_has_no_copy_mark(text: str) -> None:
    assert "Экземпляр" not in text
    assert "Второй экземпляр" not in text


def test_two_copies_are_marked(tmp_path: Path) -> None:
    text = document_text(tmp_path, approved(), copies=2)

    assert COPY_MARK_1 in text
    assert "Экземпляр №\u00a02 — передается в подразделение" in text
    assert text.count(ACK_TITLE) == 2


def test_sections_are_numbered_in_order(lines: list[str]) -> None:
    found = [index_of(lines, f"{n}. {title}") for n, title in enumerate(SECTIONS, start=1)]

    assert found == sorted(found)
    assert lines[found[0] + 1].startswith("1.1. Настоящее Положение определяет статус")


def test_functions_have_numbered_clauses_and_sub_clauses(lines: list[str]) -> None:
    start = index_of(lines, "4. Функции")
    assert lines[start + 1] == "4.1. В области планирования продаж:"
    assert lines[start + 2].startswith("4.1.1. Разработка годового и квартальных планов продаж Отдела")
    index_of(lines, "4.2. В области работы с ключевыми клиентами:", start)
    index_of(lines, "4.5. В области организации работы Отдела:", start)
    index_of(lines, "4.5.5. Разработка предложений по совершенствованию", start)


def test_structure_lists_the_positions_computed_from_the_roles(lines: list[str]) -> None:
    start = index_of(lines, "2. Структура и численность")

    assert lines[start + 1 : start + 5] == [
        "2.1. В состав отдела по работе с ключевыми клиентами входят следующие должности:",
        "2.1.1. Начальник отдела по работе с ключевыми клиентами (руководитель подразделения) — подчиняется "
        "непосредственно коммерческому директору.",
        "2.1.2. Менеджер по работе с ключевыми клиентами — подчиняется непосредственно начальнику отдела по "
        "работе с ключевыми клиентами.",
        "2.2. Структура и штатная численность Отдела утверждаются генеральным директором в штатном расписании "
        "организации по представлению коммерческого директора исходя из задач и функций Отдела и объема работ.",
    ]


def test_a_new_role_of_the_department_appears_in_the_structure(tmp_path: Path) -> None:
    """Positions are not typed in the regulation: a role with the same department is listed."""
    from helpers import copy_project

    root = copy_project(tmp_path / "project", editions=False)
    source = (root / "roles" / "kam-manager.yaml").read_text(encoding="utf-8")
    senior = source.replace(
        "title: Менеджер по работе с ключевыми клиентами", "title: Старший менеджер по работе с ключевыми клиентами"
    )
    (root / "roles" / "kam-senior.yaml").write_text(senior, encoding="utf-8")
    project = load_project(root)
    policy = project.policies["kam-department"]
    path = tmp_path / "policy.docx"
    path.write_bytes(document_bytes(project, "П", policy, render_document(project, policy, 1, approved()), approved()))
    text = docx_text(path)

    assert "2.1.2. Менеджер по работе с ключевыми клиентами — подчиняется" in text
    assert "2.1.3. Старший менеджер по работе с ключевыми клиентами — подчиняется непосредственно" in text


def test_a_unit_without_roles_refers_to_the_staff_schedule(tmp_path: Path) -> None:
    """No role names the regulation as its department: no list of positions, no head's signature."""
    data = policy_data()
    data["unit"] = "Отдел маркетинга"
    del data["head"]

    lines = document_text(tmp_path, approved(), data, policy_id="marketing-department").splitlines()

    start = index_of(lines, "2. Структура и численность")
    assert (
        lines[start + 1]
        == "2.1. Перечень должностей отдела маркетинга устанавливается штатным расписанием организации."
    )
    assert lines[start + 2].startswith("2.2. Структура и штатная численность Отдела")
    assert not [line for line in lines if line.startswith("Начальник отдела по работе с ключевыми клиентами\t")]


def test_relationships_table_and_numbering_around_it(lines: list[str]) -> None:
    start = index_of(lines, "7. Взаимоотношения с другими подразделениями")
    assert lines[start + 1] == (
        "7.1. Отдел взаимодействует с руководством и структурными подразделениями организации по следующим вопросам:"
    )
    assert lines[start + 2] == "Подразделение | Отдел получает | Отдел предоставляет"
    rows = [line.split(" | ")[0] for line in lines[start + 3 : start + 9]]
    assert rows == [
        "Коммерческий директор",
        "Отдел маркетинга",
        "Финансовая служба и бухгалтерия",
        "Юридический отдел",
        "Служба логистики и склад",
        "Отдел кадров",
    ]
    marketing = lines[start + 4].split(" | ")
    assert marketing[1].startswith("Результаты исследований рынка и конкурентов;")
    assert marketing[2].startswith("Сведения о потребностях ключевых клиентов")
    assert lines[start + 9].startswith("7.2. Взаимодействие Отдела с клиентами"), "numbering goes on after the table"


def test_final_provisions_signature_and_acknowledgment_sheet(lines: list[str]) -> None:
    final = index_of(lines, "8. Заключительные положения")
    index_of(lines, "8.4. Начальник Отдела и работники Отдела знакомятся с настоящим Положением", final)
    head = index_of(lines, "Начальник отдела по работе с ключевыми клиентами\t", final)
    assert lines[head].endswith(" Д.О.\u00a0Кузнецов"), "the head of the unit signs the regulation"
    signature = index_of(lines, "Начальник отдела кадров", final)
    assert signature == head + 1
    assert lines[signature].endswith(" И.С.\u00a0Лебедева")
    sheet = index_of(lines, ACK_TITLE, signature)
    assert lines[sheet + 1] == (
        "с Положением об отделе по работе с ключевыми клиентами от\u00a020.11.2026 №\u00a0П-003, редакция №\u00a01"
    )
    assert lines[sheet + 3 : sheet + 6] == [
        "1 | Кузнецов Дмитрий Олегович | Начальник отдела по работе с ключевыми клиентами |  |",
        "2 | Соколова Анна Викторовна | Менеджер по работе с ключевыми клиентами |  |",
        "3 | Громов Павел Сергеевич | Менеджер по работе с ключевыми клиентами |  |",
    ]


def test_a_reference_copy_has_no_stamp_and_ends_with_the_registration_sheet(tmp_path: Path) -> None:
    """Edition 2 as «Текст в редакции Изменений № 1»: dated as edition 1, no signatures, no sheet to sign."""
    later = dt.date(2027, 2, 1)
    row = Registration(1, "2.4, 4.2.5", "приказ от 25.01.2027 №\u00a03-к", later)
    reference = Approval(APPROVED, None, ORDER, 2, later, (row,), purpose="reference", changed=later)

    lines = document_text(tmp_path, reference).splitlines()

    assert not [line for line in lines if line.startswith(("УТВЕРЖДЕНО", "УТВЕРЖДАЮ"))]
    heading = lines.index("об отделе по работе с ключевыми клиентами")
    assert lines[heading + 1 : heading + 3] == [
        "Текст в редакции Изменений №\u00a01",
        "(редакция №\u00a02, действует с\u00a01\u00a0февраля\u00a02027\u00a0г.)",
    ]
    sheet = index_of(lines, "ЛИСТ РЕГИСТРАЦИИ ИЗМЕНЕНИЙ")
    assert lines[sheet + 1] == "Положения об отделе по работе с ключевыми клиентами от\u00a020.11.2026 №\u00a0П-003"
    assert lines[sheet + 3].startswith("1 | 2.4, 4.2.5 | приказ от\u00a025.01.2027")
    assert ACK_TITLE not in lines
    assert not [line for line in lines if line.startswith("Начальник отдела кадров")], "no drafter's signature"


def test_a_draft_has_no_edition_and_says_project(tmp_path: Path) -> None:
    text = document_text(tmp_path, Approval())

    assert "УТВЕРЖДАЮ" in text, "not approved by an order: the director's stamp"
    assert "Редакция" not in text
    assert "с Положением об отделе по работе с ключевыми клиентами №\u00a0П-003 (проект)" in text


@pytest.mark.parametrize(
    "kind, title, stamp, heading",
    [
        ("положение", "Положение о коммерческой тайне", "УТВЕРЖДЕНО", "о коммерческой тайне"),
        ("регламент", "Регламент работы с претензиями клиентов", "УТВЕРЖДЕН", "работы с претензиями клиентов"),
        ("порядок", "Порядок предоставления скидок клиентам", "УТВЕРЖДЕН", "предоставления скидок клиентам"),
        ("правила", "Правила внутреннего трудового распорядка", "УТВЕРЖДЕНЫ", "внутреннего трудового распорядка"),
        ("инструкция", "Инструкция по делопроизводству", "УТВЕРЖДЕНА", "по делопроизводству"),
        ("политика", "Политика обработки персональных данных", "УТВЕРЖДЕНА", "обработки персональных данных"),
    ],
    ids=["polozhenie", "reglament", "poryadok", "pravila", "instruktsiya", "politika"],
)
def test_the_stamp_agrees_with_the_kind(tmp_path: Path, kind: str, title: str, stamp: str, heading: str) -> None:
    data = policy_data()
    data.update(type=kind, title=title)
    assert list(validator().iter_errors(data)) == []

    lines = document_text(tmp_path, approved(), data).splitlines()

    requisites, approval = lines[0].split(" | ")
    assert f"»)  {kind.upper()} 20.11.2026" in requisites
    assert approval.split()[0] == stamp
    assert lines[1] == heading


def test_a_title_not_starting_with_its_kind_is_the_heading_whole(tmp_path: Path) -> None:
    data = policy_data()
    data.update(title="Отдел по работе с ключевыми клиентами: задачи и функции")

    text = document_text(tmp_path, approved(), data)

    assert "\nОтдел по работе с ключевыми клиентами: задачи и функции\n" in text
    assert "с Положением «Отдел по работе с ключевыми клиентами: задачи и функции» от\u00a020.11.2026" in text
