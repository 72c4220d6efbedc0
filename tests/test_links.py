"""The organisation's links (issue 10 item 3), as the user meets them: ``check`` and ``build``
refuse a broken or circular link with ``PATH:LINE: field: message``; the built documents print
the texts the links compute (the superior in the dative, the head's subordinates, the positions of
the unit); renaming a title makes every document naming it «changed», and one order approves
their amendments."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from editions_helpers import commit_all, git
from helpers import (
    REPO_ROOT,
    assert_clean_failure,
    build_into,
    copy_project,
    edition_order,
    latest_edition,
    latest_line,
    line_of,
    run_cli,
    set_amendments,
)

HEAD = "roles/kam-head.yaml"
MANAGER = "roles/kam-manager.yaml"
POLICY = "policies/kam-department.yaml"
STAFF = REPO_ROOT / "tests" / "data" / "staff" / "staff.yaml"  # the holders of the shipped positions

HEAD_TITLE = "Начальник отдела по работе с ключевыми клиентами"
RENAMED = "Руководитель отдела по работе с ключевыми клиентами"
SENIOR_TITLE = "Ведущий менеджер по работе с ключевыми клиентами"


def edit(root: Path, shown: str, old: str, new: str) -> int:
    """Replace the one line of ``shown`` starting with ``old`` by ``new``; returns its number."""
    path = root / shown
    text = path.read_text(encoding="utf-8")
    number = line_of(text, old)
    lines = text.splitlines(keepends=True)
    lines[number - 1] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    return number


def paragraphs(path: Path) -> list[str]:
    """The document's text as ``jobdesc textconv`` shows it (numbers, table rows «a | b»), one
    paragraph a line, no-break spaces as spaces."""
    result = run_cli("textconv", path)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout.replace("\u00a0", " ").splitlines()


# ---------------------------------------------------------------------------- broken links


def _department_names_no_regulation(root: Path) -> list[str]:
    line = edit(root, MANAGER, "department:", "department: kam-sales")
    return [
        f"{MANAGER}:{line}: department: положения kam-sales нет (policies/kam-sales.yaml): укажите идентификатор "
        "положения об отделе или наименование подразделения в именительном падеже"
    ]


def _department_names_a_role(root: Path) -> list[str]:
    line = edit(root, MANAGER, "department:", "department: kam-head")
    return [
        f"{MANAGER}:{line}: department: kam-head — это роль ({HEAD}), а нужен идентификатор: положение (policies/…)"
    ]


def _reports_to_a_missing_role(root: Path) -> list[str]:
    line = edit(root, MANAGER, "reports_to:", "reports_to: commercial-director")
    return [
        f"{MANAGER}:{line}: reports_to: роли commercial-director нет (roles/commercial-director.yaml): укажите "
        "идентификатор роли или должность в дательном падеже («коммерческому директору»)"
    ]


def _a_circle_of_two(root: Path) -> list[str]:
    line = edit(root, HEAD, "reports_to:", "reports_to: kam-manager")
    manager_line = line_of((root / MANAGER).read_text(encoding="utf-8"), "reports_to:")
    return [
        f"{HEAD}:{line}: reports_to: подчинение по кругу (kam-head → kam-manager → kam-head): "
        "у кого-то в цепочке должен быть руководитель вне ее",
        f"{MANAGER}:{manager_line}: reports_to: подчинение по кругу (kam-manager → kam-head → kam-manager): "
        "у кого-то в цепочке должен быть руководитель вне ее",
    ]


def _a_role_reporting_to_itself(root: Path) -> list[str]:
    line = edit(root, HEAD, "reports_to:", "reports_to: kam-head")
    return [
        f"{HEAD}:{line}: reports_to: роль подчиняется сама себе: укажите ее руководителя — идентификатор роли "
        "или должность в дательном падеже («коммерческому директору»)"
    ]


def _head_names_a_missing_role(root: Path) -> list[str]:
    line = edit(root, POLICY, "head:", "head: kam-director")
    return [
        f"{POLICY}:{line}: head: роли kam-director нет (roles/kam-director.yaml): "
        "укажите идентификатор роли руководителя"
    ]


def _head_outside_the_unit(root: Path) -> list[str]:
    # the head's role names its unit in words, not by the regulation's id: it is not of the unit
    edit(root, HEAD, "department:", "department: Отдел по работе с ключевыми клиентами")
    line = line_of((root / POLICY).read_text(encoding="utf-8"), "head:")
    return [
        f"{POLICY}:{line}: head: руководитель kam-head не входит в подразделение: у роли нет department: kam-department"
    ]


def _an_id_of_a_role_and_a_regulation(root: Path) -> list[str]:
    # the regulation filed under the id of the role of its head
    shutil.copy2(root / POLICY, root / "policies" / "kam-head.yaml")
    return [
        "policies/kam-head.yaml: идентификатор kam-head уже занят: roles/kam-head.yaml — "
        "у каждого документа свой идентификатор (имя файла)"
    ]


BROKEN = {
    "department names no regulation": (_department_names_no_regulation, "kam-manager"),
    "department names a role": (_department_names_a_role, "kam-manager"),
    "reports_to names a missing role": (_reports_to_a_missing_role, "kam-manager"),
    "a circle of two roles": (_a_circle_of_two, "kam-head"),
    "a role reporting to itself": (_a_role_reporting_to_itself, "kam-head"),
    "head names a missing role": (_head_names_a_missing_role, "kam-department"),
    "head outside the unit": (_head_outside_the_unit, "kam-department"),
    "one id, a role and a regulation": (_an_id_of_a_role_and_a_regulation, None),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_check_reports_a_broken_link_with_file_and_line(tmp_path: Path, case: str) -> None:
    root = copy_project(tmp_path / "project")
    expected = BROKEN[case][0](root)
    lines = assert_clean_failure(run_cli("-C", root, "check"))
    errors = [line for line in lines if not line.startswith("внимание")]
    for message in expected:
        assert message in errors, (message, lines)
        assert errors.count(message) == 1, lines
    assert len(errors) == len(expected), lines  # the link's own lines, nothing in the wake of it


@pytest.mark.parametrize("case", list(BROKEN))
def test_build_refuses_a_broken_link_without_writing_the_document(tmp_path: Path, case: str) -> None:
    root = copy_project(tmp_path / "project")
    expected = BROKEN[case][0](root)
    out = tmp_path / "out"
    result = run_cli("-C", root, "build", "--out", out)
    assert result.exit_code == 1, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    for message in expected:
        assert message in result.stderr.splitlines(), result.stderr
    broken = BROKEN[case][1]
    if broken is not None:
        assert not list(out.glob(f"{broken}.*")), sorted(p.name for p in out.iterdir())
    assert not list(out.rglob("*.tmp"))


def test_a_link_written_as_words_is_no_link(tmp_path: Path) -> None:
    """«reports_to: коммерческому директору» is text; only an id (latin, hyphens) is a link."""
    root = copy_project(tmp_path / "project")
    edit(root, MANAGER, "reports_to:", "reports_to: коммерческому директору")
    edit(root, MANAGER, "department:", "department: Коммерческая служба")
    result = run_cli("-C", root, "check")
    assert result.exit_code == 0, result.output


# ---------------------------------------------------------------------------- computed texts


def _senior_manager(root: Path) -> None:
    """A second position of the department reporting to the head: ``jobdesc new --from``."""
    result = run_cli("-C", root, "new", "kam-senior-manager", "--title", SENIOR_TITLE, "--from", "kam-manager")
    assert result.exit_code == 0, (result.output, result.exception)
    text = (root / "roles" / "kam-senior-manager.yaml").read_text(encoding="utf-8")
    assert "department: kam-department" in text and "reports_to: kam-head" in text


@pytest.fixture(scope="module")
def department(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The shipped project (no editions) with a second position reporting to the head, built."""
    base = tmp_path_factory.mktemp("department")
    root = copy_project(base / "project", editions=False)
    shutil.copy2(STAFF, root / "staff.yaml")
    before = base / "before"
    build_into(root, before)
    _senior_manager(root)
    build_into(root, root / "output")
    return before, root / "output"


def test_the_head_names_its_subordinates(department: tuple[Path, Path]) -> None:
    before, _ = department
    text = paragraphs(before / "kam-head.docx")
    assert (
        "1.4. В подчинении начальника отдела по работе с ключевыми клиентами находятся менеджеры по работе с "
        "ключевыми клиентами."
    ) in text, text[:20]
    assert (
        "1.3. Менеджер по работе с ключевыми клиентами подчиняется непосредственно начальнику отдела по работе с "
        "ключевыми клиентами."
    ) in paragraphs(before / "kam-manager.docx")


def test_a_second_role_reporting_to_the_head_joins_its_subordinates(department: tuple[Path, Path]) -> None:
    _, after = department
    text = paragraphs(after / "kam-head.docx")
    assert (
        "1.4. В подчинении начальника отдела по работе с ключевыми клиентами находятся менеджеры по работе с "
        "ключевыми клиентами и ведущие менеджеры по работе с ключевыми клиентами."
    ) in text, text[:20]
    senior = paragraphs(after / "kam-senior-manager.docx")
    assert (
        "1.3. Ведущий менеджер по работе с ключевыми клиентами подчиняется непосредственно начальнику отдела по "
        "работе с ключевыми клиентами."
    ) in senior


def _structure(text: list[str]) -> list[str]:
    start = text.index("2. Структура и численность")
    return text[start + 1 : text.index("3. Задачи")]


def test_the_regulation_lists_the_positions_head_first(department: tuple[Path, Path]) -> None:
    before, after = department
    assert _structure(paragraphs(before / "kam-department.docx"))[:3] == [
        "2.1. В состав отдела по работе с ключевыми клиентами входят следующие должности:",
        "2.1.1. Начальник отдела по работе с ключевыми клиентами (руководитель подразделения) — подчиняется "
        "непосредственно коммерческому директору.",
        "2.1.2. Менеджер по работе с ключевыми клиентами — подчиняется непосредственно начальнику отдела по работе "
        "с ключевыми клиентами.",
    ]
    structure = _structure(paragraphs(after / "kam-department.docx"))
    assert structure[3] == (
        "2.1.3. Ведущий менеджер по работе с ключевыми клиентами — подчиняется непосредственно начальнику отдела "
        "по работе с ключевыми клиентами."
    )
    assert structure[4].startswith("2.2. Структура и штатная численность Отдела")


# ---------------------------------------------------------------------------- a renamed title


@pytest.fixture(scope="module")
def renamed(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The shipped project with all its editions, in git; the head's title renamed, the three
    documents naming it approved under one order and built."""
    root = copy_project(tmp_path_factory.mktemp("renamed") / "project", editions="all")
    set_amendments(root, "changes")  # the regulation's «Изменения», not a new edition
    shutil.copy2(STAFF, root / "staff.yaml")
    git(root, "init", "-q")
    commit_all(root, "the shipped project")
    latest = {doc_id: latest_edition(root, doc_id) for doc_id in ("kam-head", "kam-manager", "kam-department")}
    in_force = {doc_id: latest_line(root, doc_id) for doc_id in latest}
    edit(root, HEAD, "title:", f"title: {RENAMED}")
    status = run_cli("-C", root, "status")
    approve = run_cli(
        "-C",
        root,
        "approve",
        "kam-head",
        "kam-manager",
        "kam-department",
        "--date",
        "2026-12-10",
        "--order",
        "15-к",
        "--effective",
        "2026-12-15",
    )
    assert approve.exit_code == 0, (approve.output, approve.exception)
    build = run_cli("-C", root, "build")
    assert build.exit_code == 0, (build.output, build.exception)
    return {
        "root": root,
        "out": root / "output",
        "status": status,
        "approve": approve,
        "latest": latest,  # the last edition of each before order 15-к: it approves «Изменения № latest»
        "in_force": in_force,
    }


def _amended_by(count: int) -> str:
    """«№ 1» or «№ 1–N»: the amendments a document is «в редакции» of."""
    return "№ 1" if count == 1 else f"№ 1–{count}"


def test_renaming_a_title_changes_every_document_naming_it(renamed: dict) -> None:
    status = renamed["status"]
    assert status.exit_code == 0, status.output
    lines = status.stdout.splitlines()
    for doc_id in ("kam-head", "kam-manager", "kam-department"):
        line = next(line for line in lines if line.startswith(f"{doc_id}: "))
        assert "неутвержденные изменения" in line, lines
    for doc_id in ("kam-manager", "kam-department"):
        line = next(line for line in lines if line.startswith(f"{doc_id}: "))
        assert line.startswith(f"{doc_id}: {renamed['in_force'][doc_id]}; "), line


def test_one_order_approves_the_three_amendments(renamed: dict) -> None:
    """Each item names the document as it is before its «Изменения» (they rename the position),
    as the amendment itself does; the heading repeats «в» before the regulation."""
    text = paragraphs(renamed["out"] / "orders" / "15-к.docx")
    assert "ПРИКАЗ" in text and "10.12.2026 № 15-к" in text
    assert (
        "О внесении изменений в должностные инструкции начальника отдела по работе с ключевыми клиентами "
        "и менеджера по работе с ключевыми клиентами и в Положение об отделе по работе с ключевыми клиентами"
    ) in text, text
    assert text[text.index("ПРИКАЗЫВАЮ:") - 1] == (  # what changed: the instructions follow their regulation
        "В связи с изменением Положения об отделе по работе с ключевыми клиентами, в целях приведения "
        "должностных инструкций начальника отдела по работе с ключевыми клиентами и менеджера по работе с "
        "ключевыми клиентами в соответствие с Положением и в соответствии со статьями 8 и 22 Трудового кодекса "
        "Российской Федерации,"
    )
    head, manager, policy = (renamed["latest"][doc_id] for doc_id in ("kam-head", "kam-manager", "kam-department"))
    assert head >= 2 and manager >= 2, "the instructions were amended before: the order says so"
    policy_in_force = f", в редакции Изменений {_amended_by(policy - 1)}" if policy > 1 else ""
    items = [line for line in text if line[:3] in ("1. ", "2. ", "3. ")]
    assert items == [
        f"1. Утвердить и ввести в действие с 15 декабря 2026 г. Изменения № {head} в должностную инструкцию "
        "начальника отдела по работе с ключевыми клиентами, утвержденную 20.11.2026 № ДИ-015, в редакции "
        f"Изменений {_amended_by(head - 1)} (приложение № 1 к настоящему приказу).",
        f"2. Утвердить и ввести в действие с 15 декабря 2026 г. Изменения № {manager} в должностную инструкцию "
        "менеджера по работе с ключевыми клиентами, утвержденную 20.11.2026 № ДИ-014, в редакции Изменений "
        f"{_amended_by(manager - 1)} (приложение № 2 к настоящему приказу).",
        f"3. Утвердить и ввести в действие с 15 декабря 2026 г. Изменения № {policy} в Положение об отделе по работе "
        f"с ключевыми клиентами, утвержденное 20.11.2026 № П-003{policy_in_force} (приложение № 3 к настоящему приказу).",
    ], text


def test_the_order_lists_the_holders_to_acknowledge_it(renamed: dict) -> None:
    from editions_helpers import document_root

    root = document_root(renamed["out"] / "orders" / "15-к.docx")
    text = paragraphs(renamed["out"] / "orders" / "15-к.docx")
    assert "С приказом ознакомлены:" in text
    W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    rows = [
        ["".join(t.text or "" for t in cell.iter(f"{W}t")) for cell in row.iter(f"{W}tc")]
        for row in root.iter(f"{W}tr")
    ]
    people = [row[1:3] for row in rows[1:] if row[1]]
    assert people == [
        ["Кузнецов Дмитрий Олегович", RENAMED],
        ["Соколова Анна Викторовна", "Менеджер по работе с ключевыми клиентами"],
        ["Громов Павел Сергеевич", "Менеджер по работе с ключевыми клиентами"],
        ["Лебедева Ирина Сергеевна", "Начальник отдела кадров"],  # the executor of the order
    ], rows


def test_the_regulation_gets_its_amendment(renamed: dict) -> None:
    number = renamed["latest"]["kam-department"]
    text = paragraphs(renamed["out"] / f"kam-department.amendment-{number}.docx")
    assert f"ИЗМЕНЕНИЯ № {number}" in "\n".join(text)
    assert "в Положение об отделе по работе с ключевыми клиентами" in text
    in_force = f", в редакции Изменений {_amended_by(number - 1)}" if number > 1 else ""
    assert (
        f"В Положение об отделе по работе с ключевыми клиентами (от 20.11.2026 № П-003{in_force}) вносятся "
        "следующие изменения:"
    ) in text
    assert (
        "1. Подпункт 2.1.1 изложить в следующей редакции: «2.1.1. Руководитель отдела по работе с ключевыми "
        "клиентами (руководитель подразделения) — подчиняется непосредственно коммерческому директору.»."
    ) in text
    assert (
        "2. Подпункт 2.1.2 изложить в следующей редакции: «2.1.2. Менеджер по работе с ключевыми клиентами — "
        "подчиняется непосредственно руководителю отдела по работе с ключевыми клиентами.»."
    ) in text


def test_the_regulations_amendment_is_acknowledged_by_the_whole_unit(renamed: dict) -> None:
    number = renamed["latest"]["kam-department"]
    text = paragraphs(renamed["out"] / f"kam-department.amendment-{number}.docx")
    sheet = text[text.index("ЛИСТ ОЗНАКОМЛЕНИЯ") :]
    assert sheet[1] == (
        f"с изменениями № {number} от 10.12.2026 № П-003/{number} в Положение об отделе по работе с ключевыми клиентами"
    )
    people = [line.split(" | ")[1:3] for line in sheet if line[:1].isdigit() and line.split(" | ")[1].strip()]
    assert people == [
        ["Кузнецов Дмитрий Олегович", RENAMED],
        ["Соколова Анна Викторовна", "Менеджер по работе с ключевыми клиентами"],
        ["Громов Павел Сергеевич", "Менеджер по работе с ключевыми клиентами"],
    ], sheet


def test_the_subordinate_gets_its_amendment(renamed: dict) -> None:
    text = paragraphs(renamed["out"] / f"kam-manager.amendment-{renamed['latest']['kam-manager']}.docx")
    assert (
        "1. Пункт 1.3 изложить в следующей редакции: «1.3. Менеджер по работе с ключевыми клиентами подчиняется "
        "непосредственно руководителю отдела по работе с ключевыми клиентами.»."
    ) in text
    head = paragraphs(renamed["out"] / f"kam-head.amendment-{renamed['latest']['kam-head']}.docx")
    assert (
        "1. По всему тексту слова «начальник отдела по работе с ключевыми клиентами» в соответствующем падеже "
        "заменить словами «руководитель отдела по работе с ключевыми клиентами» в соответствующем падеже."
    ) in head


def test_after_the_approval_nothing_is_changed(renamed: dict) -> None:
    status = run_cli("-C", renamed["root"], "status")
    lines = status.stdout.splitlines()
    for doc_id, latest in renamed["latest"].items():
        line = next(line for line in lines if line.startswith(f"{doc_id}: "))
        assert line == f"{doc_id}: редакция № {latest + 1} от 10.12.2026; без изменений", lines


def test_a_new_edition_replaces_the_one_of_the_old_title(tmp_path: Path) -> None:
    """``amendments: new-edition``: the order approves the instruction of the new title and
    repeals the one of the old title."""
    root = copy_project(tmp_path / "project", editions="all")
    set_amendments(root, "new-edition")
    replaced = latest_edition(root, "kam-head")
    number, date = edition_order(root, "kam-head", replaced)
    edit(root, HEAD, "title:", f"title: {RENAMED}")
    for args in (
        ("approve", "kam-head", "kam-manager", "--date", "2026-12-10", "--order", "16-к", "--effective", "2026-12-15"),
        ("build",),
    ):
        result = run_cli("-C", root, *args)
        assert result.exit_code == 0, (args, result.output, result.exception)
    text = paragraphs(root / "output" / "orders" / "16-к.docx")
    assert (
        "1. Утвердить и ввести в действие с 15 декабря 2026 г. должностную инструкцию руководителя отдела по работе "
        "с ключевыми клиентами в новой редакции (приложение № 1 к настоящему приказу)."
    ) in text, text
    assert (
        "3. Признать утратившей силу с 15 декабря 2026 г. должностную инструкцию начальника отдела по работе "
        f"с ключевыми клиентами в редакции № {replaced}, утвержденную приказом от {date} № {number} (рег. № ДИ-015)."
    ) in text, text


def test_renaming_the_unit_changes_every_document_of_it(tmp_path: Path) -> None:
    """The unit's name lives in the regulation (``unit``); each role of the unit prints it in
    clause 1.1, the regulation in clause 2.1: renaming it changes all three documents."""
    root = copy_project(tmp_path / "project", editions="all")
    set_amendments(root, "changes")  # the regulation's «Изменения», not a new edition
    latest = {doc_id: latest_edition(root, doc_id) for doc_id in ("kam-manager", "kam-department")}
    edit(root, POLICY, "unit:", "unit: Отдел ключевых клиентов")
    lines = run_cli("-C", root, "status").stdout.splitlines()
    for doc_id in ("kam-head", "kam-manager", "kam-department"):
        line = next(line for line in lines if line.startswith(f"{doc_id}: "))
        assert line.endswith("неутвержденные изменения: изменено 1"), lines
    for args in (
        ("approve", "kam-head", "kam-manager", "kam-department", "--date", "2026-12-10", "--order", "17-к"),
        ("build",),
    ):
        result = run_cli("-C", root, *args)
        assert result.exit_code == 0, (args, result.output, result.exception)
    out = root / "output"
    assert (
        "1. Пункт 1.1 изложить в следующей редакции: «1.1. Менеджер по работе с ключевыми клиентами относится к "
        "категории специалистов и входит в структурное подразделение „Отдел ключевых клиентов“.»."
    ) in paragraphs(out / f"kam-manager.amendment-{latest['kam-manager']}.docx")
    assert (
        "1. Абзац первый пункта 2.1 изложить в следующей редакции: «В состав отдела ключевых клиентов входят "
        "следующие должности:»."
    ) in paragraphs(out / f"kam-department.amendment-{latest['kam-department']}.docx")


def _order_text(root: Path, number: str, *approve: str) -> list[str]:
    for args in (("approve", *approve, "--order", number), ("build",)):
        result = run_cli("-C", root, *args)
        assert result.exit_code == 0, (args, result.output, result.exception)
    return paragraphs(root / "output" / "orders" / f"{number}.docx")


def test_an_order_approving_a_job_description_and_a_regulation_first(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project", editions=False)
    text = _order_text(root, "101-ОД", "kam-head", "kam-manager", "kam-department", "--date", "2026-11-20")
    heading = text.index("ПРИКАЗЫВАЮ:") - 2
    assert text[heading : heading + 2] == [
        "Об утверждении должностных инструкций начальника отдела по работе с ключевыми клиентами и менеджера по "
        "работе с ключевыми клиентами и Положения об отделе по работе с ключевыми клиентами",
        "В целях регламентации деятельности структурных подразделений, разграничения обязанностей, прав и "
        "ответственности работников и в соответствии со статьями 8 и 22 Трудового кодекса Российской Федерации,",
    ]
    assert (
        "3. Утвердить и ввести в действие с 20 ноября 2026 г. Положение об отделе по работе с ключевыми клиентами "
        "(приложение № 3 к настоящему приказу)."
    ) in text


def test_an_order_amending_the_regulation_alone(tmp_path: Path) -> None:
    """The unit's staff read it; the preamble speaks of the units, and of article 8 alone."""
    root = copy_project(tmp_path / "project", editions="all")
    set_amendments(root, "changes")  # the regulation's «Изменения», not a new edition
    policy = root / POLICY
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "- Отдел подчиняется непосредственно коммерческому директору.",
            "- Отдел подчиняется непосредственно коммерческому директору организации.",
        ),
        encoding="utf-8",
    )
    text = _order_text(root, "18-к", "kam-department", "--date", "2026-12-20")
    heading = text.index("ПРИКАЗЫВАЮ:") - 2
    assert text[heading : heading + 2] == [
        "О внесении изменений в Положение об отделе по работе с ключевыми клиентами",
        "В целях уточнения задач, функций и ответственности структурных подразделений и в соответствии со "
        "статьей 8 Трудового кодекса Российской Федерации,",
    ]
    assert (
        "2. Начальнику отдела кадров Лебедевой И.С. ознакомить с настоящим приказом и приложением к нему "
        "работников, занимающих должности начальника отдела по работе с ключевыми клиентами и менеджера по работе "
        "с ключевыми клиентами, под подпись в срок до 27 декабря 2026 г."
    ) in text


@pytest.mark.parametrize("inside", ["", "hr/documents"])
def test_a_diff_from_a_git_revision_resolves_links_as_they_were_then(tmp_path: Path, inside: str) -> None:
    """The unit renamed in the regulation since a commit: ``diff --from`` that commit shows clause
    1.1 of the manager changed, as it was then and is now (resolved with today's regulation, the
    old text would print the new name and hide the change) — also for a project in a folder of
    the repository."""
    repository = tmp_path / "repo"
    project = copy_project(repository / inside if inside else repository)
    git(repository, "init", "-q")
    commit_all(repository, "the shipped project")
    regulation = project / "policies" / "kam-department.yaml"
    text = regulation.read_text(encoding="utf-8")
    assert "\nunit: Отдел по работе с ключевыми клиентами\n" in text
    regulation.write_text(text.replace("\nunit: Отдел по работе", "\nunit: Отдел продаж по работе"), encoding="utf-8")
    commit_all(repository, "the unit renamed")

    result = run_cli("-C", project, "diff", "kam-manager", "--from", "HEAD~1")
    assert result.exit_code == 0, result.output
    assert "~ 1.1.  " in result.output, result.output
    assert "«Отдел {+продаж +}по работе с ключевыми клиентами»" in result.output, result.output
    assert "Итого: изменено 1." in result.output
    same = run_cli("-C", project, "diff", "kam-manager", "--from", "HEAD")
    assert "Итого: без изменений." in same.output, same.output


def test_a_diff_from_a_revision_with_a_newline_in_a_file_name_reads_every_other_document(tmp_path: Path) -> None:
    """A file name with a line break (possible in git, never a document id) is one line for
    ``ls-tree -z`` but two for ``git cat-file --batch``: the answers must not shift onto the
    documents after it (the regulation read as nothing, a role as another's data)."""
    project = copy_project(tmp_path / "repo")
    git(project, "init", "-q")
    (project / "policies" / "a\nb.yaml").write_text("title: x\n", encoding="utf-8")
    commit_all(project, "the shipped project and a stray file")
    (project / "policies" / "a\nb.yaml").unlink()

    result = run_cli("-C", project, "diff", "kam-manager", "--from", "HEAD")
    assert result.exit_code == 0, result.output
    assert "Итого: без изменений." in result.output, result.output


def test_a_broken_link_at_a_revision_names_the_file_at_that_revision(tmp_path: Path) -> None:
    """The regulation did not exist yet at the revision: the manager's link to it is reported on
    the file as it was then («roles/kam-manager.yaml@HEAD~1:LINE: department: …»), with its line."""
    project = copy_project(tmp_path / "project")
    shutil.move(project / "policies", tmp_path / "policies")
    git(project, "init", "-q")
    commit_all(project, "roles first")
    shutil.move(tmp_path / "policies", project / "policies")
    commit_all(project, "the regulation")

    result = run_cli("-C", project, "diff", "kam-manager", "--from", "HEAD~1")
    line = line_of((project / "roles" / "kam-manager.yaml").read_text(encoding="utf-8"), "department:")
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"roles/kam-manager.yaml@HEAD~1:{line}: department: "), result.output
