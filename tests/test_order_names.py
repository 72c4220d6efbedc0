"""Issue 19, point 6: the order names each instruction it amends by its date and number, each
«Изменения» is marked «Приложение № N к приказу от … № …», and the preamble gives a reason: one
that says what changed by default (instructions brought into line with their unit's regulation),
``approve --reason`` to give another."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from helpers import assert_clean_failure, copy_project, latest_edition, run_cli

from jobdesc.commands.textconv import docx_text


def _lines(path: Path) -> list[str]:
    return [" ".join(line.replace("\u00a0", " ").split()) for line in docx_text(path).splitlines()]


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("shipped") / "project", editions="all")
    out = root / "output"
    assert run_cli("-C", root, "build", "--out", out).exit_code == 0
    return out


def test_the_order_names_each_amended_instruction_by_date_and_number(shipped: Path) -> None:
    order = _lines(shipped / "orders" / "112-ОД.docx")
    assert (
        "2. Утвердить и ввести в действие с 1 декабря 2026 г. Изменения № 1 в должностную инструкцию менеджера по "
        "работе с ключевыми клиентами, утвержденную 20.11.2026 № ДИ-014 (приложение № 2 к настоящему приказу)."
    ) in order, order


def test_each_amendment_is_marked_as_an_appendix_of_its_order(shipped: Path) -> None:
    for name, number in (("kam-head", 1), ("kam-manager", 2)):
        text = " ".join(_lines(shipped / f"{name}.amendment-1.docx")[:3])
        assert f"Приложение № {number} к приказу от 27.11.2026 № 112-ОД УТВЕРЖДЕНЫ приказом" in text, text


def _edited(tmp_path: Path) -> Path:
    root = copy_project(tmp_path / "project", editions="all")
    role = root / "roles" / "kam-manager.yaml"
    role.write_text(
        role.read_text("utf-8").replace(
            "  - Правилами составления и исполнения договоров поставки продукции.\n",
            "  - Правилами составления и исполнения договоров поставки продукции.\n"
            "  - Положением об отделе по работе с ключевыми клиентами.\n",
        ),
        "utf-8",
    )
    policy = root / "policies" / "kam-department.yaml"
    policy.write_text(
        policy.read_text("utf-8").replace(
            "      - Отдел подчиняется непосредственно коммерческому директору.\n",
            "      - Отдел подчиняется непосредственно коммерческому директору.\n"
            "      - Отдел ведет учет ключевых клиентов и истории работы с ними в CRM-системе организации.\n",
        ),
        "utf-8",
    )
    return root


def test_an_instruction_approved_with_its_units_regulation_is_brought_into_line_with_it(tmp_path: Path) -> None:
    root = _edited(tmp_path)
    approved = run_cli(
        "-C", root, "approve", "kam-manager", "kam-department", "--date", "2026-12-10", "--order", "120-ОД"
    )
    assert approved.exit_code == 0, approved.output
    out = tmp_path / "out"
    assert run_cli("-C", root, "build", "--out", out).exit_code == 0
    order = _lines(out / "orders" / "120-ОД.docx")
    preamble = order[order.index("ПРИКАЗЫВАЮ:") - 1]
    assert preamble == (
        "В связи с изменением Положения об отделе по работе с ключевыми клиентами, в целях приведения должностной "
        "инструкции менеджера по работе с ключевыми клиентами в соответствие с Положением и в соответствии со "
        "статьями 8 и 22 Трудового кодекса Российской Федерации,"
    )


def test_the_reason_given_at_approval_is_the_preamble_and_is_kept_in_the_edition(tmp_path: Path) -> None:
    root = _edited(tmp_path)
    reason = "В связи с передачей отделу функции ведения учета ключевых клиентов в CRM-системе."
    following = latest_edition(root, "kam-department") + 1
    approved = run_cli(
        "-C", root, "approve", "kam-manager", "kam-department", "--date", "2026-12-10", "--order", "120-ОД",
        "--reason", reason,
    )  # fmt: skip
    assert approved.exit_code == 0, approved.output
    record = yaml.safe_load(
        (root / "policies" / "kam-department.editions" / f"{following:03d}.yaml").read_text("utf-8")
    )
    assert record["order"]["reason"] == reason.rstrip(".")
    assert run_cli("-C", root, "check").exit_code == 0, "the fingerprint covers the reason"
    out = tmp_path / "out"
    assert run_cli("-C", root, "build", "--out", out).exit_code == 0
    order = _lines(out / "orders" / "120-ОД.docx")
    assert order[order.index("ПРИКАЗЫВАЮ:") - 1] == (
        "В связи с передачей отделу функции ведения учета ключевых клиентов в CRM-системе, руководствуясь "
        "статьями 8 и 22 Трудового кодекса Российской Федерации,"
    )


def test_a_reason_without_an_order_is_refused(tmp_path: Path) -> None:
    root = _edited(tmp_path)
    lines = assert_clean_failure(
        run_cli("-C", root, "approve", "kam-manager", "--date", "2026-12-10", "--reason", "В целях порядка")
    )
    assert lines == ["--reason указана без --order: основание печатается в приказе — укажите и номер приказа"]


def test_the_order_gives_its_task_to_a_named_executor_who_signs_it_too(shipped: Path) -> None:
    """Issue 19, point 14: «Начальнику отдела кадров Лебедевой И.С.», the executor on the list,
    the acknowledgment table's header repeated on every page, numbers unbroken at their hyphen."""
    from helpers import docx_part

    order = _lines(shipped / "orders" / "112-ОД.docx")
    assert any(line.startswith("3. Начальнику отдела кадров Лебедевой И.С. ознакомить") for line in order), order
    start = order.index("С приказом ознакомлены:")
    assert "1 | Лебедева Ирина Сергеевна | Начальник отдела кадров |" in order[start + 2], order[start:]
    xml = docx_part(shipped / "orders" / "112-ОД.docx", "word/document.xml").decode()
    table = xml[xml.rindex("<w:tbl>") :]
    assert "<w:tblHeader/>" in table[: table.index("</w:tr>")], "the header row repeats on a new page"
    assert "ДИ<w:noBreakHyphen/>014" in xml.replace("</w:t><w:noBreakHyphen/><w:t>", "<w:noBreakHyphen/>")


def test_no_row_of_the_acknowledgment_table_is_split_between_pages(shipped: Path) -> None:
    """Order 125-ОД's table starts near the foot of page 1: the executor's row was cut in two
    («Лебедева Ирина» on page 1, «Сергеевна» on page 2). Every row is kept whole (``w:cantSplit``)."""
    from helpers import docx_part

    xml = docx_part(shipped / "orders" / "125-ОД.docx", "word/document.xml").decode()
    table = xml[xml.rindex("<w:tbl>") :]
    rows = table.count("<w:tr>") + table.count("<w:tr ")
    assert rows >= 11 and table.count("<w:cantSplit/>") == rows


@pytest.mark.parametrize(
    ("name", "dative"),
    [
        ("Лебедева Ирина Сергеевна", "Лебедевой\u00a0И.С."),
        ("Воронцов Андрей Павлович", "Воронцову\u00a0А.П."),
        ("Достоевский Федор Михайлович", "Достоевскому\u00a0Ф.М."),
        ("Белых Анна Ивановна", "Белых\u00a0А.И."),
    ],
)
def test_a_name_in_the_dative(name: str, dative: str) -> None:
    from jobdesc.language.names import surname_initials_dative

    assert surname_initials_dative(name) == dative
