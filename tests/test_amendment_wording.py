"""The wording and order of amendment items, from clause-level changes (jobdesc.amendments)."""

from __future__ import annotations

from jobdesc.amendments import items
from jobdesc.diff import Unit, diff


def section(number: int, title: str) -> Unit:
    return Unit(f"{number}.", title, 0)


def clauses(section_number: int, *texts: str) -> list[Unit]:
    return [Unit(f"{section_number}.{n}.", text, 1) for n, text in enumerate(texts, start=1)]


def test_removed_then_renumbered_then_added_with_unambiguous_numbers() -> None:
    old = [section(2, "Обязанности"), *clauses(2, "А.", "Б.", "В.", "Г.")]
    new = [section(2, "Обязанности"), *clauses(2, "А.", "В.", "Г.", "Д.")]
    assert items(diff(old, new)) == [
        "Пункт 2.2 исключить.",
        "Пункты 2.3–2.4 считать соответственно пунктами 2.2–2.3.",
        "Раздел 2 дополнить пунктом 2.4 следующего содержания: «Д.».",
    ]


def test_a_changed_clause_whose_number_moves_is_renumbered_too() -> None:
    old = [
        section(2, "Обязанности"),
        *clauses(2, "Первая обязанность.", "Вторая обязанность работника.", "Третья обязанность работника."),
    ]
    new = [
        section(2, "Обязанности"),
        *clauses(2, "Вторая обязанность работника.", "Третья обязанность работника отдела."),
    ]
    assert items(diff(old, new)) == [
        "Пункт 2.3 изложить в следующей редакции: «Третья обязанность работника отдела.».",
        "Пункт 2.1 исключить.",
        "Пункты 2.2–2.3 считать соответственно пунктами 2.1–2.2.",
    ]


def test_a_new_section_in_the_middle_is_one_item_after_the_renumbering() -> None:
    old = [section(1, "Общие положения"), *clauses(1, "А."), section(2, "Заключительные положения"), *clauses(2, "Б.")]
    new = [
        section(1, "Общие положения"),
        *clauses(1, "А."),
        section(2, "Условия работы"),
        *clauses(2, "Разъездной характер работы."),
        section(3, "Заключительные положения"),
        *clauses(3, "Б."),
    ]
    assert items(diff(old, new)) == [
        "Раздел 2 считать разделом 3.",
        "Дополнить инструкцию разделом 2 следующего содержания: «2. Условия работы 2.1. Разъездной характер работы.».",
    ]


def test_inner_quotes_become_low_quotes() -> None:
    old = [section(1, "Общие"), *clauses(1, "Работает в ООО «Альфа».")]
    new = [section(1, "Общие"), *clauses(1, "Работает в ООО «Альфа» и ООО «Бета».")]
    assert items(diff(old, new)) == ["Пункт 1.1 изложить в следующей редакции: «Работает в ООО „Альфа“ и ООО „Бета“.»."]


def test_the_basis_names_the_order_as_written() -> None:
    import datetime as dt

    from jobdesc.build import basis
    from jobdesc.editions import Edition, Order
    from jobdesc.model import Person

    edition = Edition(
        "kam-manager",
        2,
        dt.date(2026, 12, 1),
        Person("Генеральный директор", "Иванов Иван Иванович"),
        dt.date(2026, 12, 1),
        {},
        "",
        Order("15-К", dt.date(2026, 12, 1)),
    )
    assert basis(edition) == "Приказ от 01.12.2026 №\u00a015-К"
