"""Approval orders: ``approve`` of several roles under one order, and ``build`` → ``output/orders/``.

The shipped project has edition 1 of both roles approved by «УТВЕРЖДАЮ» (no order), edition 2 of
both approved by order 112-ОД of 27.11.2026 (in force from 01.12.2026), and edition 3 of both with
edition 2 of the department's regulation by order 125-ОД of 04.12.2026 (in force from 07.12.2026).
Tests of generic behaviour start from the project's last edition (``latest_edition``), not from these numbers.
"""

from __future__ import annotations

from pathlib import Path

import helpers
import pytest
from editions_helpers import HEAD, MANAGER, MANAGER_GENITIVE, docx_paragraphs, edition_file, jd, ok, refused, role_file

NBSP = "\u00a0"
HEAD_GENITIVE = "начальника отдела по работе с ключевыми клиентами"
CHANGED_FROM = "нестандартных ситуаций"
CHANGED_TO = "сложных ситуаций"


def text(path: Path) -> list[str]:
    """The order's paragraphs, non-breaking spaces read as spaces."""
    return [p.replace(NBSP, " ") for p in docx_paragraphs(path)]


def orders_in(out: Path) -> list[str]:
    folder = out / "orders"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project with both editions, built once."""
    root = helpers.copy_project(tmp_path_factory.mktemp("shipped"), editions="all")
    ok(jd("-C", root, "build"))
    return root


def test_shipped_order_112_changes_both_instructions(shipped: Path) -> None:
    out = shipped / "output"
    assert orders_in(out) == ["112-ОД.docx", "125-ОД.docx"]  # edition 1 was approved without an order
    lines = text(out / "orders" / "112-ОД.docx")
    assert lines[:5] == [
        "Общество с ограниченной ответственностью «Северный ветер»",
        "(ООО «Северный ветер»)",
        "ПРИКАЗ",
        "27.11.2026 № 112-ОД",
        "г. Москва",
    ]
    assert lines[5] == f"О внесении изменений в должностные инструкции {HEAD_GENITIVE} и {MANAGER_GENITIVE}"
    assert lines[6] == (  # the preamble ends with a comma before «ПРИКАЗЫВАЮ:» («В целях …, ПРИКАЗЫВАЮ:»)
        "В целях уточнения должностных обязанностей, прав и ответственности работников и в соответствии со "
        "статьями 8 и 22 Трудового кодекса Российской Федерации,"
    )
    assert lines[7] == "ПРИКАЗЫВАЮ:"
    assert lines[8:12] == [
        f"1. Утвердить и ввести в действие с 1 декабря 2026 г. Изменения № 1 в должностную инструкцию "
        f"{HEAD_GENITIVE}, утвержденную 20.11.2026 № ДИ-015 (приложение № 1 к настоящему приказу).",
        f"2. Утвердить и ввести в действие с 1 декабря 2026 г. Изменения № 1 в должностную инструкцию "
        f"{MANAGER_GENITIVE}, утвержденную 20.11.2026 № ДИ-014 (приложение № 2 к настоящему приказу).",
        "3. Начальнику отдела кадров Лебедевой И.С. ознакомить с настоящим приказом и приложениями к нему "
        f"работников, занимающих должности {HEAD_GENITIVE} и {MANAGER_GENITIVE}, под подпись в срок до "
        "1 декабря 2026 г.",
        "4. Контроль за исполнением настоящего приказа оставляю за собой.",
    ]
    assert lines[12] == "Генеральный директор\t____________ А.П. Воронцов"
    assert lines[13] == "С приказом ознакомлены:"
    assert lines[14:19] == ["№ п/п", "Ф.И.О.", "Должность", "Дата", "Подпись"]
    # the executor of the order (document.drafted_by) signs first, then blank rows for the staff
    assert lines[19:23] == ["1", "Лебедева Ирина Сергеевна", "Начальник отдела кадров", "2"]
    assert lines[22:] == [str(n) for n in range(2, 11)]
    assert not any("Экземпляр" in line for line in lines)  # one copy, kept by the employer


def test_shipped_order_125_changes_both_instructions_and_the_regulation(shipped: Path) -> None:
    """Issue 19, points 1 and 16: the lawyer's corrections approved as «Изменения № 2» of both
    instructions, each named by its date and number, and the regulation in a new edition
    (``amendments: policies: new-edition``), its edition 1 declared void."""
    lines = text(shipped / "output" / "orders" / "125-ОД.docx")
    assert lines[3] == "04.12.2026 № 125-ОД"
    assert lines[5] == (
        "Об утверждении Положения об отделе по работе с ключевыми клиентами в новой редакции и о внесении "
        f"изменений в должностные инструкции {HEAD_GENITIVE} и {MANAGER_GENITIVE}"
    )
    start = lines.index("ПРИКАЗЫВАЮ:") + 1
    assert lines[start : start + 7] == [
        f"1. Утвердить и ввести в действие с 7 декабря 2026 г. Изменения № 2 в должностную инструкцию {HEAD_GENITIVE}, "
        "утвержденную 20.11.2026 № ДИ-015, в редакции Изменений № 1 (приложение № 1 к настоящему приказу).",
        f"2. Утвердить и ввести в действие с 7 декабря 2026 г. Изменения № 2 в должностную инструкцию "
        f"{MANAGER_GENITIVE}, утвержденную 20.11.2026 № ДИ-014, в редакции Изменений № 1 (приложение № 2 к "
        "настоящему приказу).",
        "3. Утвердить и ввести в действие с 7 декабря 2026 г. Положение об отделе по работе с ключевыми клиентами в "
        "новой редакции (приложение № 3 к настоящему приказу).",
        "4. Признать утратившим силу с 7 декабря 2026 г. Положение об отделе по работе с ключевыми клиентами в "
        "редакции № 1, утвержденное 20.11.2026 № П-003.",  # its number, as item 1 names the instruction's
        f"5. Установить, что обязанности, которые вводятся в должностную инструкцию {MANAGER_GENITIVE}, не изменяют "
        "трудовую функцию работника и определенные сторонами условия трудовых договоров; дополнительные соглашения "
        "к трудовым договорам не заключаются.",
        "6. Начальнику отдела кадров Лебедевой И.С. ознакомить с настоящим приказом и приложениями к нему "
        f"работников, занимающих должности {HEAD_GENITIVE} и {MANAGER_GENITIVE}, под подпись в срок до "
        "7 декабря 2026 г.",
        "7. Контроль за исполнением настоящего приказа оставляю за собой.",
    ]
    # each annex says whose it is, and the regulation's approval agrees with its clause 8.1
    for name, annex in (("kam-head", 1), ("kam-manager", 2)):
        annexed = " ".join(text(shipped / "output" / f"{name}.amendment-2.docx"))
        assert f"Приложение № {annex} к приказу от 04.12.2026 № 125-ОД" in annexed, name
        assert "УТВЕРЖДЕНЫ приказом генерального директора от 04.12.2026 № 125-ОД" in annexed, name
    regulation = text(shipped / "output" / "kam-department.docx")
    assert not [line for line in regulation if "УТВЕРЖДАЮ" in line], "approved by the order, not by a stamp"
    assert "Приложение № 3 к приказу от 04.12.2026 № 125-ОД" in " ".join(regulation), "the order's item 3 names it so"
    assert (
        "Редакция № 2, утверждена приказом от 04.12.2026 № 125-ОД, вводится в действие с 7 декабря 2026 г. "
        "взамен редакции № 1, утвержденной 20 ноября 2026 г." in regulation
    )
    assert (
        "8.1. Настоящее Положение утверждается приказом генерального директора и вводится в действие с даты, "
        "указанной в приказе." in regulation
    )


def test_no_order_no_order_document(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p")  # edition 1 only: «УТВЕРЖДАЮ»
    ok(jd("-C", root, "build"))
    assert orders_in(root / "output") == []


def test_first_editions_under_one_order(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions=False)
    result = ok(jd("-C", root, "approve", HEAD, MANAGER, "--date", "2026-01-15", "--order", "15/к"))
    assert result.stdout.splitlines() == [
        "roles/kam-head.editions/001.yaml: редакция № 1 утверждена 15.01.2026",
        "roles/kam-manager.editions/001.yaml: редакция № 1 утверждена 15.01.2026",
    ]
    ok(jd("-C", root, "build"))
    assert orders_in(root / "output") == ["15_к.docx"]  # the number made safe for a file name
    lines = text(root / "output" / "orders" / "15_к.docx")
    assert "15.01.2026 № 15/к" in lines
    assert f"Об утверждении должностных инструкций {HEAD_GENITIVE} и {MANAGER_GENITIVE}" in lines
    assert (
        f"2. Утвердить и ввести в действие с 15 января 2026 г. должностную инструкцию {MANAGER_GENITIVE} "
        "(приложение № 2 к настоящему приказу)." in lines
    )
    # in force from the order's own date: a week to acknowledge
    assert any(line.endswith("под подпись в срок до 22 января 2026 г.") for line in lines)
    # the instructions themselves carry the order in their approval block
    assert "от 15.01.2026 № 15/к" in " ".join(text(root / "output" / f"{MANAGER}.docx"))


def test_one_role_one_instruction(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions=False)
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-15", "--order", "3-к", "--effective", "2026-02-01"))
    ok(jd("-C", root, "build"))
    lines = text(root / "output" / "orders" / "3-к.docx")
    assert f"Об утверждении должностной инструкции {MANAGER_GENITIVE}" in lines
    assert lines[lines.index("ПРИКАЗЫВАЮ:") - 1] == (
        "В целях регламентации трудовой деятельности работников, разграничения их обязанностей, прав и "
        "ответственности и в соответствии со статьями 8 и 22 Трудового кодекса Российской Федерации,"
    )
    assert any(line.startswith("1. Утвердить и ввести в действие с 1 февраля 2026 г. должностную") for line in lines)
    assert any(f"занимающих должность {MANAGER_GENITIVE}, под подпись в срок до 1 февраля 2026 г." in x for x in lines)


def test_new_edition_model_declares_the_old_edition_void(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions="all")
    helpers.set_amendments(root, "new-edition")
    ok(jd("-C", root, "build"))
    lines = text(root / "output" / "orders" / "112-ОД.docx")
    assert f"Об утверждении должностных инструкций {HEAD_GENITIVE} и {MANAGER_GENITIVE} в новой редакции" in lines
    assert (
        f"2. Утвердить и ввести в действие с 1 декабря 2026 г. должностную инструкцию {MANAGER_GENITIVE} "
        "в новой редакции (приложение № 2 к настоящему приказу)." in lines
    )
    assert (
        f"4. Признать утратившей силу с 1 декабря 2026 г. должностную инструкцию {MANAGER_GENITIVE} "
        "в редакции № 1, утвержденную 20.11.2026 № ДИ-014." in lines
    )
    assert lines[lines.index("ПРИКАЗЫВАЮ:") + 6] == "6. Контроль за исполнением настоящего приказа оставляю за собой."


def test_same_number_other_date_is_refused(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions=False)
    ok(jd("-C", root, "approve", HEAD, "--date", "2026-01-15", "--order", "15-к"))
    line = refused(jd("-C", root, "approve", MANAGER, "--date", "2026-01-20", "--order", "15-к"))
    assert "15-к" in line and "15.01.2026" in line and "20.01.2026" in line
    assert "roles/kam-head.editions/001.yaml" in line
    assert not edition_file(root, MANAGER, 1).exists()
    # the same order (number and date) may approve another role later
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-01-20", "--order", "15-к", "--order-date", "2026-01-15"))


def test_several_roles_all_or_none(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions="all")
    following = helpers.latest_edition(root, HEAD) + 1
    text_before = role_file(root, HEAD).read_text(encoding="utf-8")
    role_file(root, HEAD).write_text(text_before.replace("обеспечивает", "организует", 1), encoding="utf-8")
    assert role_file(root, HEAD).read_text(encoding="utf-8") != text_before
    # kam-manager is as its last edition: nothing to approve, so kam-head is not approved either
    line = refused(jd("-C", root, "approve", HEAD, MANAGER, "--date", "2026-12-10", "--order", "130-ОД"))
    assert line.startswith(f"{MANAGER}: ")
    assert not edition_file(root, HEAD, following).exists()


def test_role_named_twice_or_twice_under_one_order_is_refused(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions="all")
    latest = helpers.latest_edition(root, MANAGER)
    number, date = helpers.edition_order(root, MANAGER, latest)  # the order of the edition in force
    iso = "-".join(reversed(date.split(".")))
    line = refused(jd("-C", root, "approve", MANAGER, MANAGER, "--date", "2026-12-10", "--order", "130-ОД"))
    assert "дважды" in line
    data = role_file(root, MANAGER).read_text(encoding="utf-8")
    assert CHANGED_FROM in data
    role_file(root, MANAGER).write_text(data.replace(CHANGED_FROM, CHANGED_TO, 1), encoding="utf-8")
    line = refused(jd("-C", root, "approve", MANAGER, "--date", "2026-12-10", "--order", number))
    assert number in line and date in line  # another date: refused before anything else
    line = refused(jd("-C", root, "approve", MANAGER, "--date", "2026-12-10", "--order", number, "--order-date", iso))
    assert f"уже утвердил редакцию № {latest}" in line
    assert not edition_file(root, MANAGER, latest + 1).exists()


def test_orders_follow_the_editions(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions="all")
    out = root / "output"
    ok(jd("-C", root, "build"))
    recorded = [f"{number}.docx" for number in helpers.orders_of(root)]
    assert recorded and orders_in(out) == recorded
    order = out / "orders" / recorded[0]
    first = order.read_bytes()
    result = ok(jd("-C", root, "build"))
    assert "orders" not in result.stdout  # nothing changed: not rewritten
    order.unlink()
    result = ok(jd("-C", root, "build"))
    assert result.stdout.splitlines() == [f"output/orders/{recorded[0]}"]
    assert order.read_bytes() == first  # byte-reproducible
    # a new order: written beside the old ones
    latest = helpers.latest_edition(root, MANAGER)
    data = role_file(root, MANAGER).read_text(encoding="utf-8")
    role_file(root, MANAGER).write_text(data.replace(CHANGED_FROM, CHANGED_TO, 1), encoding="utf-8")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-12-10", "--order", "130-ОД"))
    ok(jd("-C", root, "build"))
    assert orders_in(out) == sorted([*recorded, "130-ОД.docx"])
    assert "в должностную инструкцию" in text(out / "orders" / "130-ОД.docx")[5]
    assert f"Изменения № {latest} в должностную инструкцию" in " ".join(text(out / "orders" / "130-ОД.docx"))
    # editions gone (a branch without them): the orders they named go too
    for later in root.glob("*/*.editions/*.yaml"):
        if later.name != "001.yaml":
            later.unlink()
    result = ok(jd("-C", root, "build"))
    assert orders_in(out) == []
    for name in [*recorded, "130-ОД.docx"]:
        assert f"удален устаревший файл output/orders/{name}: этого приказа в редакциях больше нет" in result.stderr


def test_template_mistake_in_order_names_the_template(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions="all")
    template = helpers.override_templates(root, "order.md.j2")
    template.write_text(template.read_text(encoding="utf-8").replace("{{ order.number }}", "{{ order.numbr }}"))
    result = jd("-C", root, "build")
    assert result.exit_code == 1
    assert "templates/order.md.j2" in result.stderr
    assert "Traceback" not in result.output


def test_check_reports_one_number_with_two_dates(tmp_path: Path) -> None:
    """Two branches approved under one number with different dates, then merged: check and build say so."""
    root = helpers.copy_project(tmp_path / "p", editions=False)
    ok(jd("-C", root, "approve", HEAD, "--date", "2026-01-15", "--order", "15-к"))
    other = helpers.copy_project(tmp_path / "other", editions=False)
    ok(jd("-C", other, "approve", MANAGER, "--date", "2026-01-20", "--order", "15-к"))
    (root / "roles" / "kam-manager.editions").mkdir()
    edition_file(root, MANAGER, 1).write_bytes(edition_file(other, MANAGER, 1).read_bytes())
    result = jd("-C", root, "check")
    assert result.exit_code == 1
    assert (
        "roles/kam-manager.editions/001.yaml: order.date: приказ № 15-к от 20.01.2026, а в "
        "roles/kam-head.editions/001.yaml тот же номер от 15.01.2026: один номер — один приказ"
    ) in result.stderr.replace(NBSP, " ")
    result = jd("-C", root, "build")
    assert result.exit_code == 1
    assert "один номер — один приказ" in result.stderr
    assert (root / "output" / f"{MANAGER}.docx").is_file()  # the roles are built all the same
    assert orders_in(root / "output") == []


def test_holders_of_the_positions_sign_the_order(tmp_path: Path) -> None:
    """With staff records (``staff.yaml``), the table names the holders hired by the order's date."""
    root = helpers.copy_project(tmp_path / "p", editions="all")
    (root / "staff.yaml").write_text(
        "employees:\n"
        "  - {name: Соколова Мария Андреевна, number: '0017', role: kam-manager, hired: '2025-03-03'}\n"
        "  - {name: Белов Олег Игоревич, number: '0009', role: kam-head, hired: '2024-09-16'}\n"
        "  - {name: Крылов Павел Сергеевич, number: '0031', role: kam-manager, hired: '2026-11-30'}\n",
        encoding="utf-8",
    )
    ok(jd("-C", root, "build"))
    lines = text(root / "output" / "orders" / "112-ОД.docx")
    start = lines.index("Подпись") + 1
    assert lines[start : start + 7] == [
        "1",
        "Белов Олег Игоревич",
        "Начальник отдела по работе с ключевыми клиентами",
        "2",
        "Соколова Мария Андреевна",
        "Менеджер по работе с ключевыми клиентами",
        "3",
    ]
    assert "Крылов Павел Сергеевич" not in lines  # hired after the order: signs on hiring (ст. 68 ТК РФ)
    assert lines[-1] == "10"


def test_a_deleted_roles_order_stays_as_signed_until_its_editions_go(tmp_path: Path) -> None:
    """Order 112-ОД approved amendments to both roles. Deleting the head's role file (its approved
    editions kept, as an archive) leaves the signed order whole; deleting its editions too changes
    it. After each step ``output/`` is what a ``--force`` build makes."""
    import shutil

    root = helpers.copy_project(tmp_path / "p", editions="all", linked=False)
    out = root / "output"
    ok(jd("-C", root, "build"))
    order = out / "orders" / "112-ОД.docx"
    signed = order.read_bytes()

    def forced() -> bytes:
        fresh = tmp_path / "fresh"
        shutil.rmtree(fresh, ignore_errors=True)
        ok(jd("-C", root, "build", "--force", "--out", fresh))
        return (fresh / "orders" / "112-ОД.docx").read_bytes()

    role_file(root, HEAD).unlink()
    ok(jd("-C", root, "build"))

    assert order.read_bytes() == signed == forced()
    assert f"Изменения № 1 в должностную инструкцию {HEAD_GENITIVE}" in " ".join(text(order))

    shutil.rmtree(root / "roles" / f"{HEAD}.editions")
    ok(jd("-C", root, "build"))

    assert order.read_bytes() == forced()
    assert HEAD_GENITIVE not in " ".join(text(order))


def test_a_deleted_roles_order_number_stays_taken(tmp_path: Path) -> None:
    root = helpers.copy_project(tmp_path / "p", editions="all", linked=False)
    for number in range(2, helpers.latest_edition(root, MANAGER) + 1):
        edition_file(root, MANAGER, number).unlink()  # order 112-ОД is now the head's alone
    role_file(root, HEAD).unlink()  # its editions kept
    data = role_file(root, MANAGER).read_text(encoding="utf-8")
    role_file(root, MANAGER).write_text(data.replace(CHANGED_FROM, CHANGED_TO, 1), encoding="utf-8")

    line = refused(jd("-C", root, "approve", MANAGER, "--date", "2026-12-10", "--order", "112-ОД"))

    assert line.startswith("--order: приказ № 112-ОД уже записан от 27.11.2026"), line


def test_first_edition_approved_by_order_keeps_its_annex_mark_once_amended(tmp_path: Path) -> None:
    """Edition 1 approved as appendix № 2 of an order stays so in ``ID.edition-1.docx`` after «Изменения»;
    the reference copy is no appendix of any order."""
    root = helpers.copy_project(tmp_path / "p", editions=False)
    ok(jd("-C", root, "approve", HEAD, MANAGER, "--date", "2026-01-15", "--order", "15/к"))
    data = role_file(root, MANAGER).read_text(encoding="utf-8")
    role_file(root, MANAGER).write_text(data.replace(CHANGED_FROM, CHANGED_TO, 1), encoding="utf-8")
    ok(jd("-C", root, "approve", MANAGER, "--date", "2026-02-10"))
    ok(jd("-C", root, "build"))
    original = " ".join(text(root / "output" / f"{MANAGER}.edition-1.docx"))
    assert "Приложение № 2 к приказу от 15.01.2026 № 15/к" in original
    assert "Приложение №" not in " ".join(text(root / "output" / f"{MANAGER}.docx"))


def test_an_appendix_number_follows_a_document_added_to_its_order(tmp_path: Path) -> None:
    """Another instruction approved later under the same order shifts the appendix numbers: the
    instructions already built say the new ones without ``--force``."""
    root = helpers.copy_project(tmp_path / "p", editions=False)
    ok(jd("-C", root, "approve", HEAD, MANAGER, "--date", "2026-01-15", "--order", "15/к"))
    ok(jd("-C", root, "build"))
    assert "Приложение № 2 к приказу от 15.01.2026 № 15/к" in " ".join(text(root / "output" / f"{MANAGER}.docx"))
    (root / "roles" / "kam-extra.yaml").write_bytes(role_file(root, MANAGER).read_bytes())  # sorts first: items 1-3
    ok(jd("-C", root, "approve", "kam-extra", "--date", "2026-01-15", "--order", "15/к"))
    result = ok(jd("-C", root, "build"))
    order = " ".join(text(root / "output" / "orders" / "15_к.docx"))
    assert f"инструкцию {MANAGER_GENITIVE} (приложение № 3 к настоящему приказу)" in order
    assert "Приложение № 3 к приказу от 15.01.2026 № 15/к" in " ".join(text(root / "output" / f"{MANAGER}.docx"))
    assert "Приложение № 2 к приказу от 15.01.2026 № 15/к" in " ".join(text(root / "output" / f"{HEAD}.docx"))
    assert f"output/{MANAGER}.docx" in result.stdout.splitlines()
    assert not ok(jd("-C", root, "build")).stdout  # then as before: nothing to rebuild
