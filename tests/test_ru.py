"""Russian language helpers: genitive job titles, dates in words, initials."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jobdesc import ru

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("title", "genitive"),
    [
        ("Старший менеджер по продажам", "старшего менеджера по продажам"),
        ("Начальник отдела по работе с ключевыми клиентами", "начальника отдела по работе с ключевыми клиентами"),
        ("Менеджер по работе с ключевыми клиентами", "менеджера по работе с ключевыми клиентами"),
        ("Главный бухгалтер", "главного бухгалтера"),
        ("Заместитель генерального директора", "заместителя генерального директора"),
        ("Генеральный директор", "генерального директора"),
        ("Начальник отдела кадров", "начальника отдела кадров"),
        ("Ведущий инженер-программист", "ведущего инженера-программиста"),
        ("Главная медицинская сестра", "главной медицинской сестры"),
        ("Водитель", "водителя"),
        ("HR-менеджер", "HR-менеджера"),
        ("Старший HR-менеджер", "старшего HR-менеджера"),
    ],
)
def test_genitive_title(title: str, genitive: str) -> None:
    assert ru.genitive_title(title) == genitive


def test_genitive_title_is_used_in_the_role(project) -> None:  # noqa: ANN001
    from jobdesc.project import load_project

    roles = load_project(project).roles
    assert roles["kam-manager"].title_genitive == "менеджера по работе с ключевыми клиентами"
    assert roles["kam-head"].title_genitive == "начальника отдела по работе с ключевыми клиентами"


def test_title_genitive_override_wins(project) -> None:  # noqa: ANN001
    from jobdesc.project import load_project

    path = project / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8").replace("\nnumber: ", "\ntitle_genitive: КАМ-менеджера\nnumber: ", 1)
    path.write_text(text, encoding="utf-8")

    assert load_project(project).roles["kam-manager"].title_genitive == "КАМ-менеджера"


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2026, 11, 27), "27 ноября 2026 г."),
        (dt.date(2026, 3, 7), "7 марта 2026 г."),
        (dt.date(2025, 1, 1), "1 января 2025 г."),
        (dt.date(2026, 5, 9), "9 мая 2026 г."),
        (dt.date(2026, 8, 18), "18 августа 2026 г."),
    ],
)
def test_date_words(day: dt.date, words: str) -> None:
    assert ru.date_words(day) == words.replace(" ", "\u00a0"), "a date never breaks across lines"


def test_date_words_blank_form() -> None:
    blank = ru.date_words(None)
    assert re.fullmatch(r"«_{2,}» _{4,} 20_{2,} г\.", blank), blank


def test_date_numeric() -> None:
    assert ru.date_numeric(dt.date(2026, 3, 7)) == "07.03.2026"
    assert ru.date_numeric(dt.date(2026, 11, 27)) == "27.11.2026"
    assert set(ru.date_numeric(None)) == {"_"}


@pytest.mark.parametrize(
    ("name", "signature"),
    [
        ("Воронцов Андрей Павлович", f"А.П.{NBSP}Воронцов"),
        ("Лебедева Ирина Сергеевна", f"И.С.{NBSP}Лебедева"),
        ("Иванов Иван", f"И.{NBSP}Иванов"),
        ("  Петров   Петр  Петрович ", f"П.П.{NBSP}Петров"),
    ],
)
def test_initials_with_non_breaking_space(name: str, signature: str) -> None:
    result = ru.initials_surname(name)
    assert result == signature
    assert " " not in result
