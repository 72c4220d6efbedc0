"""Russian language helpers: genitive job titles, dates in words, initials."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from jobdesc.language import ru
from jobdesc.language.titles import genitive_title

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
    assert genitive_title(title) == genitive


def test_genitive_title_is_used_in_the_role(project) -> None:  # noqa: ANN001
    from jobdesc.project.loader import load_project

    roles = load_project(project).roles
    assert roles["kam-manager"].title_genitive == "менеджера по работе с ключевыми клиентами"
    assert roles["kam-head"].title_genitive == "начальника отдела по работе с ключевыми клиентами"


def test_title_genitive_override_wins(project) -> None:  # noqa: ANN001
    from jobdesc.project.loader import load_project

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


# --- job titles in every shape (jobdesc.language.titles); the long list of real titles is test_titles.py ---


@pytest.mark.parametrize(
    ("title", "genitive", "dative", "instrumental"),
    [
        ("Вице-президент", "вице-президента", "вице-президенту", "вице-президентом"),
        ("Бренд-менеджер", "бренд-менеджера", "бренд-менеджеру", "бренд-менеджером"),
        ("Офис-менеджер", "офис-менеджера", "офис-менеджеру", "офис-менеджером"),
        ("Контент-менеджер", "контент-менеджера", "контент-менеджеру", "контент-менеджером"),
        ("Инженер-программист", "инженера-программиста", "инженеру-программисту", "инженером-программистом"),
        ("HR-менеджер", "HR-менеджера", "HR-менеджеру", "HR-менеджером"),
        ("Дежурный", "дежурного", "дежурному", "дежурным"),
        ("Рабочий", "рабочего", "рабочему", "рабочим"),
        ("Заведующая канцелярией", "заведующей канцелярией", "заведующей канцелярией", "заведующей канцелярией"),
        (
            "Главный бухгалтер — начальник бухгалтерии",
            "главного бухгалтера — начальника бухгалтерии",
            "главному бухгалтеру — начальнику бухгалтерии",
            "главным бухгалтером — начальником бухгалтерии",
        ),
        ("Главный бухгалтер и кассир", "главного бухгалтера и кассира", "главному бухгалтеру и кассиру", None),
        (
            "Рабочий по комплексному обслуживанию и ремонту зданий",
            "рабочего по комплексному обслуживанию и ремонту зданий",
            "рабочему по комплексному обслуживанию и ремонту зданий",
            None,
        ),
        (
            "Начальник отдела кадров и делопроизводства",
            "начальника отдела кадров и делопроизводства",
            "начальнику отдела кадров и делопроизводства",
            None,
        ),
        ("Машинист крана (крановщик)", "машиниста крана (крановщика)", "машинисту крана (крановщику)", None),
    ],
)
def test_title_shapes(title: str, genitive: str, dative: str, instrumental: str | None) -> None:
    from jobdesc.language.titles import title_forms

    forms = title_forms(title)
    assert (forms.genitive, forms.dative) == (genitive, dative)
    if instrumental:
        assert forms.instrumental == instrumental
    assert forms.doubts == ()


def test_public_inflect_and_gender_of() -> None:
    from jobdesc.language.titles import gender_of, inflect

    assert inflect("Заведующий складом", "datv") == "Заведующему складом", "capitals are kept"
    assert inflect("Главная медицинская сестра", "творительный") == "Главной медицинской сестрой"
    assert inflect("Менеджер по продажам", "винительный") == "Менеджера по продажам", "a person: accs = gent"
    assert gender_of("Главная медицинская сестра") == "f"
    assert gender_of("работница, назначенная приказом директора") == "f"
    assert gender_of("работник, назначенный приказом директора") == "m"
    with pytest.raises(ValueError, match="неизвестный падеж"):
        inflect("Водитель", "звательный")


@pytest.mark.parametrize(
    ("title", "doubt"),
    [
        ("Мерчендайзер", "нет в словаре"),
        ("Data scientist", "главное слово"),
        ("Судья", "и мужского, и женского рода"),
    ],
)
def test_doubtful_titles_say_so(title: str, doubt: str) -> None:
    from jobdesc.language.titles import title_forms

    forms = title_forms(title)
    assert any(doubt in text for text in forms.doubts), forms.doubts


def _set_title(project: Path, role: str, title: str, *extra: str) -> Path:
    path = project / "roles" / f"{role}.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[at : at + 1] = [f"title: {title}", *extra]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _draft_text(project: Path, role: str) -> str:
    from helpers import run_cli

    result = run_cli("-C", project, "build", "--draft", "--out", project / "out", role)
    assert result.exit_code == 0, result.output
    return run_cli("textconv", project / "out" / f"{role}.draft.docx").stdout


def test_gender_override_changes_every_agreeing_phrase(project: Path) -> None:
    _set_title(project, "kam-head", "Руководитель отдела по работе с ключевыми клиентами", "gender: f")
    path = project / "roles" / "kam-head.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "substitute: работник, назначенный", "substitute: работница, назначенная"
        ),
        encoding="utf-8",
    )
    import yaml

    substitute = yaml.safe_load(path.read_text(encoding="utf-8"))["substitute"]  # whatever follows «назначенная»
    assert substitute.startswith("работница, назначенная ")
    text = _draft_text(project, "kam-head")
    assert "Руководитель отдела по работе с ключевыми клиентами должна знать:" in text
    assert "Руководитель отдела по работе с ключевыми клиентами должна уметь:" in text
    assert "На время отсутствия руководителя отдела по работе с ключевыми клиентами ее обязанности" in text
    assert f"{substitute}, которая приобретает" in " ".join(text.split())
    assert "возложенных на нее обязанностей" in text
    assert "должен знать" not in text


def test_check_warns_on_a_doubtful_title_with_the_line_to_add(project: Path) -> None:
    from helpers import run_cli

    _set_title(project, "kam-manager", "Мерчендайзер по работе с ключевыми клиентами")
    result = run_cli("-C", project, "check")
    assert result.exit_code == 0, "a warning does not fail check"
    warnings = result.stderr.splitlines()
    expected = "title_genitive: мерчендайзера по работе с ключевыми клиентами"
    assert any(
        line.startswith("roles/kam-manager.yaml:2: title: родительный падеж вычислен как") and f"«{expected}»" in line
        for line in warnings
    ), warnings
    assert any("«title_dative: мерчендайзеру по работе с ключевыми клиентами»" in line for line in warnings)
    assert "Предупреждений: 2" in result.stdout

    _set_title(
        project,
        "kam-manager",
        "Мерчендайзер по работе с ключевыми клиентами",
        expected,
        "title_dative: мерчендайзеру по работе с ключевыми клиентами",
    )
    result = run_cli("-C", project, "check")
    assert (result.exit_code, result.stderr) == (0, ""), "the confirmed forms silence the warning"


def test_check_warns_on_a_title_of_either_gender(project: Path) -> None:
    from helpers import run_cli

    _set_title(project, "kam-head", "Судья")
    result = run_cli("-C", project, "check")
    assert result.stderr.splitlines() == [
        "roles/kam-head.yaml:2: title: род должности определен как мужской, но «Судья» бывает и мужского, "
        "и женского рода; добавьте в роль строку «gender: m» (или «gender: f»)"
    ]
    _set_title(project, "kam-head", "Судья", "gender: f")
    assert run_cli("-C", project, "check").stderr == ""


def test_approve_refuses_a_doubtful_title(project: Path) -> None:
    from helpers import assert_clean_failure, run_cli

    _set_title(project, "kam-manager", "Мерчендайзер по работе с ключевыми клиентами")
    lines = assert_clean_failure(run_cli("-C", project, "approve", "kam-manager", "--date", "2026-12-01"))
    assert "title_genitive: мерчендайзера по работе с ключевыми клиентами" in lines[0]
    assert not (project / "roles" / "kam-manager.editions" / "002.yaml").exists()


def test_forms_command_prints_every_form(project: Path) -> None:
    from helpers import run_cli

    _set_title(project, "kam-head", "Главная медицинская сестра", "title_dative: главной медсестре")
    result = run_cli("-C", project, "forms", "kam-head")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Именительный:  Главная медицинская сестра",
        "Родительный:   главной медицинской сестры  [title_genitive]",
        "Дательный:     главной медсестре (из роли)  [title_dative]",
        "Винительный:   главную медицинскую сестру",
        "Творительный:  главной медицинской сестрой  [title_instrumental]",
        "Предложный:    главной медицинской сестре",
        "Род:           женский (должна знать)  [gender: f]",
    ]
    _set_title(project, "kam-head", "Мерчендайзер")
    out = run_cli("-C", project, "forms", "kam-head").stdout
    assert "Родительный:   мерчендайзера (проверьте)  [title_genitive]" in out
    assert "Внимание: слова «Мерчендайзер» нет в словаре: форма угадана по окончанию" in out


def test_reports_to_a_role_id_prints_its_title_in_the_dative(project: Path) -> None:
    from helpers import assert_clean_failure, run_cli

    path = project / "roles" / "kam-manager.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nreports_to: ", "\nreports_to: kam-head\n# было: ", 1), encoding="utf-8")
    _set_title(project, "kam-head", "Заведующая отделом по работе с ключевыми клиентами")
    assert "подчиняется непосредственно заведующей отделом по работе с ключевыми клиентами." in _draft_text(
        project, "kam-manager"
    )

    path.write_text(text.replace("\nreports_to: ", "\nreports_to: kam-boss\n# было: ", 1), encoding="utf-8")
    lines = assert_clean_failure(run_cli("-C", project, "check"))
    assert lines[0].startswith("roles/kam-manager.yaml:6: reports_to: роли kam-boss нет"), lines


def test_gender_must_be_m_or_f(project: Path) -> None:
    from helpers import assert_clean_failure, run_cli

    _set_title(project, "kam-head", "Начальник отдела по работе с ключевыми клиентами", "gender: ж")
    lines = assert_clean_failure(run_cli("-C", project, "check"))
    assert lines == ["roles/kam-head.yaml:3: gender: недопустимое значение 'ж'; допустимо: m, f"]
