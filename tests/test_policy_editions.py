"""The department regulation's editions: «Изменения № N в Положение …», read item by item from
the DOCX and applied to edition N's printed text (tests/amendment_oracle.py), give edition
N + 1's printed text — for the shipped regulation changed through the CLI, and for random edits
of its sections, clauses, sub-clauses and of the positions computed from the roles.

The oracle reads the tables too (:func:`docx_text`): the relationships table of section 7 gets
cells reworded and rows added or dropped («Таблицу раздела 7 изложить в следующей редакции:»),
and a section gains or loses a table (the section is then given anew as a whole).
"""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path

import pytest
from amendment_oracle import check, docx_paragraphs, docx_text, edit_items, items
from editions_helpers import commit_all, git
from helpers import REPO_ROOT, copy_project, latest_edition, latest_line, run_cli, set_amendments
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobdesc.documents.compose import (
    amendment_items,
    approval_of,
    compare,
    document_bytes,
    render_amendment,
    render_document,
)
from jobdesc.editions.store import Edition, require_editions
from jobdesc.project.kinds import POLICY
from jobdesc.project.loader import load_project
from jobdesc.project.model import Person, Policy
from jobdesc.render.context import Approval

PROJECT = load_project(REPO_ROOT)
DAY = dt.date(2026, 12, 10)
DIRECTOR = Person("Генеральный директор", "Воронцов Андрей Павлович")
STAFF = REPO_ROOT / "tests" / "data" / "staff" / "staff.yaml"
POLICY_FILE = "policies/kam-department.yaml"


def printed_edition(root: Path, doc_id: str, number: int) -> list[str]:
    """Edition ``number`` of a regulation as approved (one copy), rendered in-process: its
    paragraphs and tables."""
    project = load_project(root)
    edition = require_editions(root, doc_id, POLICY)[number - 1]
    approval = approval_of(edition)
    documents = render_document(project, edition.document, 1, approval)
    return docx_text(document_bytes(project, edition.document.title, edition.document, documents, approval))


# ---------------------------------------------------------------------------- the shipped regulation


def replace_line(path: Path, old: str, new: str) -> None:
    """Replace the one line of ``path`` that contains ``old`` (``new``: its whole new text, or «» to drop it)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if old in line]
    assert len(found) == 1, (old, found)
    lines[found[0]] = new + "\n" if new else ""
    path.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("title", "dative"),
    [
        ("Политика в отношении обработки персональных данных", "политике"),
        ("Правила внутреннего трудового распорядка", "правилам"),
        ("Положение о коммерческой тайне", "положению"),
    ],
)
def test_a_number_given_later_is_given_to_the_regulation_in_the_dative(tmp_path: Path, title: str, dative: str) -> None:
    """«Присвоить политике регистрационный номер …»: the dative of the regulation's type, in lower
    case like «Регистрационный номер политики …» of the same amendment (not «Присвоить Политики»)."""
    project = copy_project(tmp_path / "project", linked=False)
    assert run_cli("-C", project, "new", "local-act", "--policy", "--title", title).exit_code == 0
    path = project / "policies" / "local-act.yaml"
    text = path.read_text(encoding="utf-8").replace('"[Пункт раздела.]"', "Общее требование настоящего документа.")
    path.write_text(text.replace('"[Наименование раздела]"', "Основные требования"), encoding="utf-8")
    approved = run_cli("-C", project, "approve", "local-act", "--date", "2026-12-01", "--order", "120-ОД")
    assert approved.exit_code == 0, approved.output
    replace_line(path, "# number:", "number: ЛНА-7")

    result = run_cli("-C", project, "diff", "local-act", "--format", "amendment")

    assert result.exit_code == 0, result.output
    assert f"1. Присвоить {dative} регистрационный номер «ЛНА-7»." in result.stdout.splitlines(), result.stdout


def test_a_renamed_regulation_is_a_change_with_its_own_amendment_item(tmp_path: Path) -> None:
    """The regulation's name is printed in no clause: renaming it is still a change to approve
    («без изменений» and «утверждать нечего» before), and its amendment says what the new name is."""
    project = copy_project(tmp_path / "project", editions="all")  # the text is as its last edition
    set_amendments(project, "changes")  # the regulation's «Изменения», not a new edition
    in_force, following = latest_line(project, "kam-department"), latest_edition(project, "kam-department") + 1
    policy = project / POLICY_FILE
    replace_line(policy, "title: Положение об отделе", "title: Положение об отделе ключевых клиентов")

    status = run_cli("-C", project, "status")
    approved = run_cli("-C", project, "approve", "kam-department", "--date", "2026-12-10", "--order", "15-к")
    built = run_cli("-C", project, "build", "--out", project / "output")

    assert status.exit_code == 0, status.output
    assert (
        f"kam-department: {in_force}; неутвержденные изменения: наименование: «Положение об отделе "
        "по работе с ключевыми клиентами» → «Положение об отделе ключевых клиентов»"
    ) in status.stdout.splitlines(), status.stdout
    assert approved.exit_code == 0, approved.output
    assert built.exit_code == 0, built.output
    text = docx_paragraphs((project / "output" / f"kam-department.amendment-{following - 1}.docx").read_bytes())
    assert "в Положение об отделе по работе с ключевыми клиентами" in text, text  # amended under its old name
    assert "1. Наименование положения изложить в следующей редакции: «Положение об отделе ключевых клиентов»." in [
        " ".join(p.split()) for p in text
    ], text


@pytest.fixture(scope="module")
def amended(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped project in git; the regulation edited (a clause reworded, a task dropped, a
    function and a final provision added) and the head renamed; all approved by order 15-к, built."""
    root = copy_project(tmp_path_factory.mktemp("amended") / "project", editions="all")
    set_amendments(root, "changes")  # the regulation's «Изменения», not a new edition
    shutil.copy2(STAFF, root / "staff.yaml")
    git(root, "init", "-q")
    commit_all(root, "the shipped project")
    policy = root / POLICY_FILE
    replace_line(
        policy,
        "- Отдел подчиняется непосредственно коммерческому директору.",
        "      - Отдел подчиняется непосредственно коммерческому директору организации.",
    )
    replace_line(policy, "- Увеличение доли ключевых клиентов в выручке", "")
    replace_line(
        policy,
        "- Мониторинг кредитоспособности и надежности клиентов.",
        "          - Мониторинг кредитоспособности и надежности клиентов.\n"
        "          - Участие в проверке контрагентов перед заключением договоров в порядке, установленном в "
        "организации.",
    )
    replace_line(
        policy,
        "- Подлинник настоящего Положения хранится в отделе кадров",
        "      - Подлинник настоящего Положения хранится в отделе кадров, копия — у начальника Отдела.\n"
        "      - Контроль за соблюдением настоящего Положения осуществляет коммерческий директор.",
    )
    replace_line(
        root / "roles" / "kam-head.yaml",
        "title: Начальник отдела",
        "title: Руководитель отдела по работе с ключевыми клиентами",
    )
    for args in (
        ("approve", "kam-head", "kam-manager", "kam-department", "--date", "2026-12-10", "--order", "15-к"),
        ("build",),
    ):
        result = run_cli("-C", root, *args)
        assert result.exit_code == 0, (args, result.output, result.exception)
    return root, root / "output"


def _amendments(out: Path, latest: int) -> list[list[str]]:
    """«Изменения № 1» … «№ latest − 1» of the regulation as built (paragraphs and tables)."""
    return [docx_text((out / f"kam-department.amendment-{n}.docx").read_bytes()) for n in range(1, latest)]


def test_the_regulations_amendment_turns_its_edition_into_the_next(amended: tuple[Path, Path]) -> None:
    root, out = amended
    latest = latest_edition(root, "kam-department")  # the one approved by order 15-к
    *earlier, amendment = _amendments(out, latest)
    found = items(amendment)
    assert len(found) >= 5, found  # 1.4, 3.4, 4.3.4, 8.6, the two positions
    check(
        printed_edition(root, "kam-department", latest - 1), amendment, printed_edition(root, "kam-department", latest)
    )
    # the reference copy «Текст в редакции Изменений № 1–N» prints edition 1 with every amendment applied
    reference = docx_text((out / "kam-department.docx").read_bytes())
    every = [*earlier, amendment]
    check(printed_edition(root, "kam-department", 1), every[0], reference, *every[1:])


def test_the_amendment_is_named_after_the_regulation(amended: tuple[Path, Path]) -> None:
    root, out = amended
    last = latest_edition(root, "kam-department") - 1
    amendment = docx_paragraphs((out / f"kam-department.amendment-{last}.docx").read_bytes())
    assert "в Положение об отделе по работе с ключевыми клиентами" in amendment
    assert not any("должностную инструкцию" in line for line in amendment), amendment
    assert any(line.startswith("Изменения вводятся в действие с") for line in amendment)


# ---------------------------------------------------------------------------- random edits


POOL = [  # clauses of department regulations (the seed article's regulation, domain notes §5)
    "Отдел ведет учет договоров с ключевыми клиентами в программе «1С:Предприятие».",
    "Участие в отраслевых выставках и конференциях, представление продукции организации.",
    "Подготовка предложений по условиям программ лояльности для ключевых клиентов.",
    "Отдел представляет коммерческому директору ежемесячный отчет о выполнении плана продаж.",
    "Организация обучения менеджеров Отдела методам ведения переговоров.",
    "Контроль соблюдения стандартов обслуживания ключевых клиентов.",
    "Согласование с финансовой службой условий отсрочки платежа для ключевых клиентов.",
    "Работники Отдела несут ответственность в соответствии с их должностными инструкциями.",
]
LEADS = [
    "В области работы с дебиторской задолженностью",
    "В области маркетинга и программ лояльности",
    "В области обучения работников Отдела",
]
SECTIONS = {
    "Порядок взаимодействия с клиентами": [
        "Отдел ведет переговоры с ключевыми клиентами от имени организации в пределах выданных доверенностей.",
        "Переписка с ключевыми клиентами ведется в CRM-системе организации.",
    ],
    "Оценка деятельности Отдела": [
        "Деятельность Отдела оценивается по выполнению плана продаж по ключевым клиентам.",
    ],
}
TITLES = [
    "Руководитель отдела по работе с ключевыми клиентами",
    "Старший менеджер по работе с ключевыми клиентами",
    "Ведущий менеджер по работе с ключевыми клиентами",
    "Специалист по работе с ключевыми клиентами",
]
BASE = PROJECT.policies["kam-department"].as_dict()


def _text(draw, old: str | None = None) -> str:  # noqa: ANN001
    """A rewrite of ``old`` (extended, one word changed) or a clause of the pool."""
    choice = draw(st.integers(0, 2 if old else 0))
    if choice == 1:
        return old.rstrip(".:") + " в порядке, установленном в организации."
    if choice == 2:
        words = old.split()
        position = draw(st.integers(0, len(words) - 1))
        words[position] = draw(st.sampled_from(["организации", "Отдела", "клиентов", "руководства"]))
        return " ".join(words)
    return draw(st.sampled_from(POOL))


def _editable(clauses: list) -> list[int]:
    return [i for i, clause in enumerate(clauses) if not (isinstance(clause, dict) and "table" in clause)]


def _edit(data: dict, draw) -> None:  # noqa: ANN001
    sections = data["sections"]
    kind = draw(
        st.sampled_from(
            [
                "reword",
                "delete",
                "insert",
                "move",
                "move_across",
                "sub",
                "group",
                "heading",
                "section",
                "position",
                "table",
            ]
        )
    )
    if kind == "table":
        _edit_table(data, draw)
        return
    if kind == "position":  # the computed list of section 2: a position renamed, added or gone
        positions = data["positions"]
        action = draw(st.sampled_from(["rename", "add", "remove"]))
        if action == "rename":
            index = draw(st.integers(0, len(positions) - 1))
            positions[index]["title"] = draw(st.sampled_from([t for t in TITLES if t != positions[index]["title"]]))
        elif action == "add":
            title = draw(st.sampled_from(TITLES))
            superior = "начальнику отдела по работе с ключевыми клиентами"
            positions.append({"id": f"kam-extra-{len(positions)}", "title": title, "reports_to": superior})
        elif len(positions) > 1:
            positions.pop(draw(st.integers(1, len(positions) - 1)))
        return
    if kind == "section":
        extra = [i for i, s in enumerate(sections) if s["title"] in SECTIONS]
        if extra and draw(st.booleans()):
            sections.pop(draw(st.sampled_from(extra)))
        else:
            title = draw(st.sampled_from(sorted(SECTIONS)))
            if all(s["title"] != title for s in sections):
                sections.insert(draw(st.integers(1, len(sections))), {"title": title, "clauses": list(SECTIONS[title])})
        return
    section = sections[draw(st.integers(0, len(sections) - 1))]
    if kind == "heading":
        section["title"] = draw(st.sampled_from(["Основные задачи", "Основные функции", "Права Отдела", "Задачи"]))
        return
    clauses = section["clauses"]
    editable = _editable(clauses)
    if kind == "insert" or not editable:
        clauses.insert(draw(st.integers(0, len(clauses))), _text(draw))
        return
    index = draw(st.sampled_from(editable))
    clause = clauses[index]
    if kind == "group":  # a lead-in with sub-clauses appears or goes
        if isinstance(clause, dict):
            clauses.pop(index)
        else:
            count = draw(st.integers(1, 3))
            clauses.insert(
                index, {"text": draw(st.sampled_from(LEADS)) + ":", "items": draw(st.permutations(POOL))[:count]}
            )
    elif kind == "sub" and isinstance(clause, dict):
        subs = clause["items"]
        action = draw(st.sampled_from(["reword", "delete", "insert", "move", "lead"]))
        at = draw(st.integers(0, len(subs) - 1))
        if action == "lead":
            clause["text"] = draw(st.sampled_from(LEADS)) + ":"
        else:
            edit_items(draw, subs, action, at, _text)
    elif kind == "reword" and isinstance(clause, str):
        clauses[index] = _text(draw, clause)
    elif kind == "delete" and (len(clauses) > 1 or section.get("positions")):
        clauses.pop(index)
    elif kind == "move":
        clauses.insert(draw(st.sampled_from(editable)), clauses.pop(index))
    elif kind == "move_across" and len(clauses) > 1:
        other = sections[draw(st.integers(0, len(sections) - 1))]["clauses"]
        other.insert(draw(st.integers(0, len(other))), clauses.pop(index))


ROWS = [  # rows of a regulation's table of relationships with other departments
    ["Отдел закупок", "Сведения о сроках поступления продукции", "Прогноз потребности ключевых клиентов"],
    ["Служба безопасности", "Заключения о проверке контрагентов", "Сведения о новых ключевых клиентах"],
    ["Отдел информационных технологий", "Доступ к CRM-системе и ее сопровождение", "Заявки на доработку CRM-системы"],
    [
        "Отдел продаж «Регионы»",
        "Сведения о клиентах, переходящих в категорию ключевых",
        "Планы продаж по «сетевым» клиентам",
    ],
]
SMALL_TABLE = {
    "columns": ["Показатель", "Периодичность"],
    "rows": [["Выполнение плана продаж", "ежемесячно"], ["Дебиторская задолженность", "еженедельно"]],
}


def _edit_table(data: dict, draw) -> None:  # noqa: ANN001
    """A cell reworded, a row added, dropped or moved; a table added, dropped or moved (within
    its section or to another)."""
    sections = data["sections"]
    tables = [
        clause["table"]
        for section in sections
        for clause in section["clauses"]
        if isinstance(clause, dict) and "table" in clause
    ]
    action = draw(st.sampled_from(["cell", "add_row", "drop_row", "move_row", "add_table", "drop_table", "move_table"]))
    if action == "add_table" or not tables:
        section = sections[draw(st.integers(0, len(sections) - 1))]
        section["clauses"].insert(draw(st.integers(0, len(section["clauses"]))), {"table": copy.deepcopy(SMALL_TABLE)})
        return
    table = draw(st.sampled_from(tables))
    rows = table["rows"]
    if action in ("drop_table", "move_table"):
        for section in sections:
            section["clauses"] = [
                c for c in section["clauses"] if not (isinstance(c, dict) and c.get("table") is table)
            ]
        if action == "move_table":  # to another place in its section or in another one
            section = sections[draw(st.integers(0, len(sections) - 1))]
            section["clauses"].insert(draw(st.integers(0, len(section["clauses"]))), {"table": table})
        return
    at = draw(st.integers(0, len(rows) - 1))
    if action == "cell":
        column = draw(st.integers(0, len(rows[at]) - 1))
        rows[at][column] = _text(draw, rows[at][column] or "пусто")
    elif action == "add_row":
        width = len(table["columns"])
        rows.insert(draw(st.integers(0, len(rows))), (draw(st.sampled_from(ROWS)) + [""] * width)[:width])
    elif action == "drop_row" and len(rows) > 1:
        rows.pop(at)
    elif action == "move_row":
        rows.insert(draw(st.integers(0, len(rows) - 1)), rows.pop(at))


@st.composite
def edited(draw) -> tuple[dict, dict]:  # noqa: ANN001
    before = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(0, 2))):  # edition N itself may differ from the shipped text
        _edit(before, draw)
    after = copy.deepcopy(before)
    for _ in range(draw(st.integers(1, 8))):
        _edit(after, draw)
    return before, after


def printed_policy(policy: Policy) -> list[str]:
    documents = render_document(PROJECT, policy, 1, Approval())
    return docx_text(document_bytes(PROJECT, policy.title, policy, documents, Approval()))


def printed_amendment(old: Policy, new: Policy) -> list[str]:
    previous = Edition(old.id, 1, DAY, DIRECTOR, DAY, old.as_dict(), "", None, POLICY)
    documents = render_amendment(PROJECT, previous, new, Approval(), 1)
    return docx_text(document_bytes(PROJECT, "Изменения", new, documents, Approval()))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edited())
def test_amendments_turn_one_edition_of_the_regulation_into_the_next(pair: tuple[dict, dict]) -> None:
    before, after = (Policy.from_dict("kam-department", data) for data in pair)
    check(printed_policy(before), printed_amendment(before, after), printed_policy(after))


def test_a_changed_table_cell_is_a_change_that_gets_its_item(tmp_path: Path) -> None:
    """One cell of the relationships table edited: ``status`` and ``diff`` see it, ``approve``
    approves it, «Изменения № 1» give the table anew (the oracle applies them to edition 1 and
    gets edition 2, tables read too), and the registration sheet names the table."""
    root = copy_project(tmp_path / "project", editions="all")
    set_amendments(root, "changes")  # the regulation's «Изменения», not a new edition
    in_force, latest = latest_line(root, "kam-department"), latest_edition(root, "kam-department")
    replace_line(
        root / POLICY_FILE,
        "- Результаты исследований рынка и конкурентов;",
        "              - Результаты исследований рынка, конкурентов и цен; планы маркетинговых мероприятий, "
        "акций и программ лояльности; рекламные и презентационные материалы",
    )
    status = run_cli("-C", root, "status")
    assert f"kam-department: {in_force}; неутвержденные изменения: изменено 1" in status.output, status.output
    diff = run_cli("-C", root, "diff", "kam-department")
    assert "~ 7. таблица  | Отдел маркетинга | Результаты исследований рынка{+, конкурентов+} и " in diff.output
    assert "Коммерческий директор" not in diff.output, diff.output  # the rows not changed are left out
    for args in (
        ("approve", "kam-department", "--date", "2026-12-10", "--order", "120-ОД", "--effective", "2026-12-15"),
        ("build",),
    ):
        result = run_cli("-C", root, *args)
        assert result.exit_code == 0, (args, result.output)

    out = root / "output"
    *earlier, amendment = _amendments(out, latest + 1)
    assert items(amendment)[0][0] == "Таблицу раздела 7 изложить в следующей редакции:", items(amendment)
    assert any("Результаты исследований рынка, конкурентов и цен" in line for line in items(amendment)[0][1:])
    check(
        printed_edition(root, "kam-department", latest), amendment, printed_edition(root, "kam-department", latest + 1)
    )
    reference = docx_text((out / "kam-department.docx").read_bytes())
    every = [*earlier, amendment]
    check(printed_edition(root, "kam-department", 1), every[0], reference, *every[1:])
    assert any("изменены: таблица раздела 7" in line for line in reference), reference[-40:]


# ---------------------------------------------------------------------------- tables among the clauses


def _pair(edit) -> tuple[Policy, Policy]:  # noqa: ANN001
    before, after = copy.deepcopy(BASE), copy.deepcopy(BASE)
    edit(before, after)
    return Policy.from_dict("kam-department", before), Policy.from_dict("kam-department", after)


def _relationships(data: dict) -> list:
    return data["sections"][6]["clauses"]  # section 7: clause 7.1, the table, clause 7.2


def test_a_table_moved_before_the_first_clause_of_its_section_gets_an_item() -> None:
    """The table now stands before 7.1: ``status`` and ``diff`` report it moved, and «Изменения»
    give section 7 anew (no item can move an unnumbered table; an amendment with no item at all
    was approved before)."""

    def edit(_: dict, after: dict) -> None:
        clauses = _relationships(after)
        clauses.insert(0, clauses.pop(1))

    old, new = _pair(edit)
    assert printed_policy(old) != printed_policy(new)
    assert [c.kind for c in compare(PROJECT, old, new)] == ["moved"]
    texts = [item.text for item in amendment_items(PROJECT, old, new)]
    assert texts == ["Раздел 7 изложить в следующей редакции:"], texts


def test_a_clause_moved_across_a_table_is_placed_by_its_amendment() -> None:
    """7.2 moved above the table: «Пункт 7.2 исключить. Раздел 7 дополнить пунктом 7.2 …» would not
    say on which side of the unnumbered table it stands; section 7 is given anew."""

    def edit(_: dict, after: dict) -> None:
        clauses = _relationships(after)
        clauses.insert(1, clauses.pop(2))

    old, new = _pair(edit)
    texts = [item.text for item in amendment_items(PROJECT, old, new)]
    assert texts == ["Раздел 7 изложить в следующей редакции:"], texts


@pytest.mark.parametrize(
    ("tables", "wording"),
    [
        (6, "Шестую таблицу раздела 8 изложить в следующей редакции:"),
        (11, "Раздел 8 изложить в следующей редакции:"),  # more tables than ordinals: the section anew
    ],
)
def test_the_last_of_many_tables_of_a_section_is_named_by_its_place(tables: int, wording: str) -> None:
    """The last of six tables changed: «Шестую таблицу раздела 8 …»; of eleven — the section is
    given anew (a traceback once the ordinals ran out)."""

    def edit(before: dict, after: dict) -> None:
        for data in (before, after):
            for n in range(tables):
                table = copy.deepcopy(SMALL_TABLE)
                table["rows"][0][0] = f"Показатель {n + 1}"
                data["sections"][7]["clauses"].append({"table": table})
        after["sections"][7]["clauses"][-1]["table"]["rows"][0][1] = "ежеквартально"

    old, new = _pair(edit)
    texts = [item.text for item in amendment_items(PROJECT, old, new)]
    assert texts == [wording], texts
    check(printed_policy(old), printed_amendment(old, new), printed_policy(new))
