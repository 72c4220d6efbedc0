"""The wording and order of amendment items (jobdesc.editions.amendments), checked word for word and by
applying them with the test oracle (tests/amendment_oracle.py) to the old text."""

from __future__ import annotations

import pytest
from amendment_oracle import Refused, Text, apply, inflect_title
from hypothesis import given, settings
from hypothesis import strategies as st

from jobdesc.editions.amendments import Rename, items
from jobdesc.editions.diff import Unit

TITLE = "менеджера по работе с ключевыми клиентами"


def section(number: int, heading: str, lead: str | None = None) -> list[Unit]:
    result = [Unit(f"{number}.", heading, 0)]
    if lead:
        result.append(Unit(f"{number}.", lead, 1, "lead"))
    return result


def clauses(prefix: str, *texts: str, depth: int = 1) -> list[Unit]:
    return [Unit(f"{prefix}.{n}.", text, depth) for n, text in enumerate(texts, start=1)]


def printed(units: list[Unit]) -> list[str]:
    return [u.text if u.part else f"{u.number} {u.text}" for u in units]


def wording(old: list[Unit], new: list[Unit], rename: Rename | None = None) -> list[str]:
    """The items as printed, one line per paragraph; and they must turn ``old`` into ``new``."""
    result = items([Unit("", TITLE, 0, "title"), *old], [Unit("", TITLE, 0, "title"), *new], rename)
    text = Text.parse([TITLE, *printed(old)])
    for item in result:
        apply(text, item.lines(), inflect_title)
    assert text.lines() == [TITLE, *printed(new)]
    return [line for item in result for line in item.lines()]


DUTIES = [f"Обязанность номер {n} работника отдела." for n in range(1, 17)]


def test_an_extended_clause_is_reworded_not_removed_and_added() -> None:
    old = [
        *section(2, "Должностные обязанности"),
        *clauses("2", "А.", "Б.", "Осуществляет мерчандайзинг продукции организации."),
    ]
    new = [
        *section(2, "Должностные обязанности"),
        *clauses(
            "2", "А.", "Б.", "Осуществляет мерчандайзинг продукции организации в торговых точках ключевых клиентов."
        ),
    ]
    assert wording(old, new) == [
        "Пункт 2.3 изложить в следующей редакции: «2.3. Осуществляет мерчандайзинг продукции организации в "
        "торговых точках ключевых клиентов.»."
    ]


def test_a_clause_replaced_at_the_same_place_is_reworded_whatever_its_similarity() -> None:
    old = [*section(2, "Должностные обязанности"), *clauses("2", "А.", "Соблюдает режим коммерческой тайны.", "В.")]
    new = [*section(2, "Должностные обязанности"), *clauses("2", "А.", "Ведет учет договоров в CRM-системе.", "В.")]
    assert wording(old, new) == ["Пункт 2.2 изложить в следующей редакции: «2.2. Ведет учет договоров в CRM-системе.»."]


CONTRACTS = "Ведет учет договоров с ключевыми клиентами."


@pytest.mark.parametrize(
    "rewritten, expected",
    [
        (  # half its words kept (similarity 0.5, the threshold): the clause is reworded
            "Ведет учет договоров и дополнительных соглашений.",
            [
                "Пункт 2.2 изложить в следующей редакции: «2.2. Ведет учет договоров и дополнительных соглашений.».",
                "Пункт 2.3 считать пунктом 2.4.",
                "Раздел 2 дополнить пунктом 2.3 следующего содержания: «2.3. Организует участие в тендерах.».",
            ],
        ),
        (  # a little less alike (0.46): another clause, so the old one goes and both new ones come
            "Ведет учет договоров и дополнительных соглашений клиентов.",
            [
                "Пункт 2.2 исключить.",
                "Пункт 2.3 считать пунктом 2.4.",
                "Раздел 2 дополнить пунктами 2.2–2.3 следующего содержания:",
                "«2.2. Ведет учет договоров и дополнительных соглашений клиентов.",
                "2.3. Организует участие в тендерах.».",
            ],
        ),
    ],
    ids=["half-alike", "less-alike"],
)
def test_a_clause_among_new_ones_is_reworded_only_if_half_its_words_stay(rewritten: str, expected: list[str]) -> None:
    """Where one clause becomes two, the aligner pairs the old clause with a new one only as
    alike as :data:`jobdesc.editions.diff.SIMILAR` (0.5): the threshold decides the wording."""
    old = [*section(2, "Должностные обязанности"), *clauses("2", "А.", CONTRACTS, "В.")]
    new = [
        *section(2, "Должностные обязанности"),
        *clauses("2", "А.", rewritten, "Организует участие в тендерах.", "В."),
    ]
    assert wording(old, new) == expected


def test_a_reworded_lead_in_of_a_section_is_named_by_its_place() -> None:
    def lead(text: str) -> Unit:
        return Unit("2.", text, 1, "lead")

    first, second = "Работник отдела продаж:", "Соблюдает порядок работы с ключевыми клиентами:"
    old = [*section(2, "Должностные обязанности"), lead(first), lead(second), *clauses("2", "А.", "Б.")]
    new = [
        *section(2, "Должностные обязанности"),
        lead(first),
        lead("Соблюдает новый порядок работы с ключевыми клиентами:"),
        *clauses("2", "А.", "Б."),
    ]
    assert wording(old, new) == [
        "Абзац второй раздела 2 изложить в следующей редакции: «Соблюдает новый порядок работы с ключевыми клиентами:»."
    ]
    new[1:3] = [lead("Работник коммерческого отдела:"), lead(second)]
    assert wording(old, new) == [
        "Абзац первый раздела 2 изложить в следующей редакции: «Работник коммерческого отдела:»."
    ]


def test_renumbering_downwards_starts_from_the_last_clause() -> None:
    old = [*section(2, "Должностные обязанности"), *clauses("2", *DUTIES)]
    new_order = [*DUTIES[:11], "Новая обязанность первая.", *DUTIES[11:14], "Новая обязанность вторая.", *DUTIES[14:]]
    new = [*section(2, "Должностные обязанности"), *clauses("2", *new_order)]
    assert wording(old, new) == [
        "Пункты 2.15–2.16 считать соответственно пунктами 2.17–2.18.",
        "Пункты 2.12–2.14 считать соответственно пунктами 2.13–2.15.",
        "Раздел 2 дополнить пунктом 2.12 следующего содержания: «2.12. Новая обязанность первая.».",
        "Раздел 2 дополнить пунктом 2.16 следующего содержания: «2.16. Новая обязанность вторая.».",
    ]


def test_sub_clauses_follow_their_renumbered_clause() -> None:
    subs = ["Планирование продаж.", "Составление графика встреч.", "Проведение переговоров."]
    old = [
        *section(2, "Должностные обязанности"),
        Unit("2.1.", "Соблюдает режим коммерческой тайны.", 1),
        Unit("2.2.", "Индивидуальная работа с ключевыми клиентами включает:", 1),
        *clauses("2.2", *subs, depth=2),
    ]
    new = [
        *section(2, "Должностные обязанности"),
        Unit("2.1.", "Индивидуальная работа с ключевыми клиентами включает:", 1),
        *clauses("2.1", *subs, "Обучение партнеров методам увеличения продаж.", depth=2),
    ]
    assert wording(old, new) == [
        "Пункт 2.1 исключить.",
        "Пункт 2.2 считать пунктом 2.1.",
        "Пункт 2.1 дополнить подпунктом 2.1.4 следующего содержания: «2.1.4. Обучение партнеров методам увеличения "
        "продаж.».",
    ]


def test_a_removed_section_takes_its_clauses_with_it() -> None:
    old = [
        *section(1, "Общие положения"),
        *clauses("1", "А."),
        *section(2, "Взаимоотношения (связи по должности)"),
        *clauses("2", "Б.", "В."),
        *section(3, "Заключительные положения"),
        *clauses("3", "Г."),
    ]
    new = [
        *section(1, "Общие положения"),
        *clauses("1", "А."),
        *section(2, "Заключительные положения"),
        *clauses("2", "Г."),
    ]
    assert wording(old, new) == ["Раздел 2 исключить.", "Раздел 3 считать разделом 2, пункт 3.1 — пунктом 2.1."]


def test_the_lead_in_of_a_clause_with_sub_clauses_is_its_first_paragraph() -> None:
    old = [
        *section(2, "Должностные обязанности"),
        Unit("2.1.", "При работе с ключевыми клиентами не допускает:", 1),
        *clauses("2.1", "Опозданий.", "Споров и возражений.", depth=2),
    ]
    new = [
        *section(2, "Должностные обязанности"),
        Unit("2.1.", "При работе с клиентами не допускает:", 1),
        *clauses("2.1", "Опозданий.", "Споров и возражений.", depth=2),
    ]
    assert wording(old, new) == [
        "Абзац первый пункта 2.1 изложить в следующей редакции: «При работе с клиентами не допускает:»."
    ]


def test_a_new_section_in_the_middle_comes_paragraph_by_paragraph_after_the_renumbering() -> None:
    old = [
        *section(1, "Общие положения"),
        *clauses("1", "А."),
        *section(2, "Заключительные положения"),
        *clauses("2", "Б."),
    ]
    new = [
        *section(1, "Общие положения"),
        *clauses("1", "А."),
        *section(2, "Условия работы", "Работнику устанавливаются следующие условия работы:"),
        *clauses("2", "Разъездной характер работы.", "Работа в ООО «Альфа»."),
        *section(3, "Заключительные положения"),
        *clauses("3", "Б."),
    ]
    assert wording(old, new) == [
        "Раздел 2 считать разделом 3, пункт 2.1 — пунктом 3.1.",
        "Дополнить разделом 2 следующего содержания:",
        "«2. Условия работы",
        "Работнику устанавливаются следующие условия работы:",
        "2.1. Разъездной характер работы.",
        "2.2. Работа в ООО „Альфа“.».",
    ]


def test_several_new_clauses_are_one_item_each_clause_its_own_paragraph() -> None:
    old = [*section(3, "Права"), *clauses("3", "А.")]
    new = [*section(3, "Права"), *clauses("3", "А.", "Б в ООО «Альфа».", "В.")]
    assert wording(old, new) == [
        "Раздел 3 дополнить пунктами 3.2–3.3 следующего содержания:",
        "«3.2. Б в ООО „Альфа“.",
        "3.3. В.».",
    ]


def test_inner_quotes_become_low_quotes() -> None:
    old = [*section(1, "Общие"), *clauses("1", "Работает в ООО «Альфа».")]
    new = [*section(1, "Общие"), *clauses("1", "Работает в ООО «Альфа» и ООО «Бета».")]
    assert wording(old, new) == [
        "Пункт 1.1 изложить в следующей редакции: «1.1. Работает в ООО „Альфа“ и ООО „Бета“.»."
    ]


def test_a_renamed_position_is_one_item_for_every_case_of_the_title() -> None:
    title, genitive = "Менеджер по работе с ключевыми клиентами", TITLE
    new_title, new_genitive = "Старший менеджер по работе с ключевыми клиентами", "старшего " + TITLE
    old = [
        *section(1, "Общие положения"),
        *clauses(
            "1",
            f"{title} относится к категории специалистов.",
            f"На время отсутствия {genitive} его замещает работник.",
        ),
        *section(2, "Права", f"{title} имеет право:"),
        *clauses("2", "Получать информацию."),
    ]
    new = [
        *section(1, "Общие положения"),
        *clauses(
            "1",
            f"{new_title} относится к категории специалистов.",
            f"На время отсутствия {new_genitive} его замещает работник.",
        ),
        *section(2, "Права", f"{new_title} имеет право:"),
        *clauses("2", "Получать информацию."),
    ]
    result = items(
        [Unit("", genitive, 0, "title"), *old],
        [Unit("", new_genitive, 0, "title"), *new],
        Rename((title, genitive), (new_title, new_genitive)),
    )
    assert [item.text for item in result] == [
        "По всему тексту слова «менеджер по работе с ключевыми клиентами» в соответствующем падеже заменить словами "
        "«старший менеджер по работе с ключевыми клиентами» в соответствующем падеже."
    ]
    text = Text.parse([genitive, *printed(old)])
    apply(text, result[0].lines(), inflect_title)
    assert text.lines() == [new_genitive, *printed(new)]


# --------------------------------------------------------------------------- the oracle refuses


def test_the_oracle_refuses_the_defects_the_issue_lists() -> None:
    base = [*section(2, "Должностные обязанности"), *clauses("2", *DUTIES)]
    bad = [
        # two clauses 2.15 after the first item
        [
            "Пункты 2.12–2.14 считать соответственно пунктами 2.13–2.15.",
            "Пункты 2.15–2.16 считать соответственно пунктами 2.17–2.18.",
        ],
        # a removed clause is removed again
        ["Пункт 2.5 исключить.", "Пункт 2.5 исключить."],
        # a number that exists
        ["Раздел 2 дополнить пунктом 2.3 следующего содержания: «2.3. Новая.»."],
        # a formula that is not one of the standard ones
        ["Пункт 2.3 признать утратившим силу."],
    ]
    for script in bad:
        text = Text.parse([TITLE, *printed(base)])
        with pytest.raises(Refused):
            for item in script:
                apply(text, [item], inflect_title)


# --------------------------------------------------------------------------- deeper than the shipped template


@st.composite
def outlines(draw) -> list:  # noqa: ANN001
    """A tree of sections with clauses three levels deep; leaves are short distinct texts."""
    counter = iter(range(10**6))

    def level(depth: int) -> list:
        size = draw(st.integers(0 if depth > 1 else 1, 3 if depth < 3 else 2))
        return [[f"Текст {next(counter)}.", level(depth + 1) if depth < 3 else []] for _ in range(size)]

    return [[f"Раздел {next(counter)}", level(1)] for _ in range(draw(st.integers(1, 4)))]


def flatten(outline: list) -> list[Unit]:
    result: list[Unit] = []

    def walk(nodes: list, prefix: str, depth: int) -> None:
        for n, (text, children) in enumerate(nodes, start=1):
            number = f"{prefix}{n}."
            result.append(Unit(number, text, depth))
            walk(children, number, depth + 1)

    walk(outline, "", 0)
    return result


def _all_lists(outline: list) -> list[list]:
    found = [outline]
    for _text, children in outline:
        found.extend(_all_lists(children))
    return found


@st.composite
def edited_outlines(draw) -> tuple[list, list]:  # noqa: ANN001
    import copy

    old = draw(outlines())
    new = copy.deepcopy(old)
    counter = iter(range(10**6, 2 * 10**6))
    for _ in range(draw(st.integers(1, 6))):
        lists = _all_lists(new)
        target = draw(st.sampled_from(lists))
        action = draw(st.sampled_from(["reword", "delete", "insert", "move"]))
        if action == "insert" or not target:
            target.insert(draw(st.integers(0, len(target))), [f"Новый текст {next(counter)}.", []])
        elif action == "reword":
            entry = draw(st.sampled_from(target))
            entry[0] = entry[0].rstrip(".") + " и еще кое-что."
        elif action == "delete" and (target is not new or len(new) > 1):
            target.pop(draw(st.integers(0, len(target) - 1)))
        elif action == "move":
            entry = target.pop(draw(st.integers(0, len(target) - 1)))
            destination = draw(st.sampled_from(_all_lists(new)))
            if destination is new and not entry[0].startswith("Раздел"):
                destination = target
            destination.insert(draw(st.integers(0, len(destination))), entry)
            if not new:
                new.append(entry)
    return old, new


@settings(max_examples=150, deadline=None)
@given(edited_outlines())
def test_amendments_hold_three_levels_deep(pair: tuple[list, list]) -> None:
    old, new = (flatten(outline) for outline in pair)
    wording(old, new)


def test_the_readme_example_is_what_the_program_writes_and_applies() -> None:
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
    example = readme[readme.index("Пример. В редакции 1 раздел 2") : readme.index("Проверка вручную.")]
    shown = [" ".join(item.split()) for item in re.findall(r"^\d+\. (.+?)(?=^\d+\. |\Z)", example, re.M | re.S)]
    duties = [f"Обязанность {n}." for n in range(1, 17)]
    duties[2] = "Осуществляет мерчандайзинг продукции организации."
    new = [
        *duties[:2],
        "Осуществляет мерчандайзинг продукции организации в торговых точках ключевых клиентов.",
        *duties[3:6],
        *duties[7:11],
        "Организует участие в тендерах.",
        *duties[11:14],
        "Ведет учет договоров в программе «1С:Предприятие».",
        *duties[14:],
    ]
    old_units = [*section(2, "Должностные обязанности"), *clauses("2", *duties)]
    new_units = [*section(2, "Должностные обязанности"), *clauses("2", *new)]
    assert wording(old_units, new_units) == shown


# --------------------------------------------------------------------------- issue 19: read literally


def test_a_renumbered_section_names_its_clauses_in_the_same_item() -> None:
    """«Раздел 2 считать разделом 3» alone leaves clauses 2.1–2.3 where they were: one item says both."""
    old = [*section(1, "Общие"), *clauses("1", "А."), *section(2, "Права"), *clauses("2", "Б.", "В.", "Г.")]
    new = [
        *section(1, "Общие"),
        *clauses("1", "А."),
        *section(2, "Условия работы"),
        *clauses("2", "Разъездной характер работы."),
        *section(3, "Права"),
        *clauses("3", "Б.", "В.", "Г.", "Д."),
    ]
    assert wording(old, new) == [
        "Раздел 2 считать разделом 3, пункты 2.1–2.3 — соответственно пунктами 3.1–3.3.",
        "Дополнить разделом 2 следующего содержания:",
        "«2. Условия работы",
        "2.1. Разъездной характер работы.».",
        "Раздел 3 дополнить пунктом 3.4 следующего содержания: «3.4. Д.».",
    ]


def test_clauses_a_renumbered_section_loses_go_before_it_moves() -> None:
    old = [*section(1, "Общие"), *clauses("1", "А."), *section(2, "Права"), *clauses("2", "Б.", "В.", "Г.")]
    new = [
        *section(1, "Новый"),
        *clauses("1", "Е."),
        *section(2, "Общие"),
        *clauses("2", "А."),
        *section(3, "Права"),
        *clauses("3", "Б.", "Г."),
    ]
    assert wording(old, new) == [
        "Пункт 2.2 исключить.",
        "Раздел 2 считать разделом 3, пункт 2.1 — пунктом 3.1, пункт 2.3 — пунктом 3.2.",
        "Раздел 1 считать разделом 2, пункт 1.1 — пунктом 2.1.",
        "Дополнить разделом 1 следующего содержания:",
        "«1. Новый",
        "1.1. Е.».",
    ]


def test_the_oracle_reads_section_renumbering_literally() -> None:
    """Today's defect: «Раздел 7 считать разделом 8.», then «Пункты 8.1–8.5 считать …» — there are
    no clauses 8.1–8.5 after the first item, they are still 7.1–7.5."""
    base = [*section(7, "Заключительные положения"), *clauses("7", "А.", "Б.", "В.", "Г.", "Д.")]
    text = Text.parse([TITLE, *printed(base)])
    apply(text, ["Раздел 7 считать разделом 8."], inflect_title)
    with pytest.raises(Refused):
        apply(text, ["Пункты 8.1–8.5 считать соответственно пунктами 8.2–8.6."], inflect_title)
    with pytest.raises(Refused, match="остался без раздела"):
        text.lines()


def test_the_oracle_refuses_several_added_clauses_in_one_paragraph() -> None:
    base = [*section(3, "Права"), *clauses("3", "А.")]
    text = Text.parse([TITLE, *printed(base)])
    with pytest.raises(Refused):
        apply(text, ["Раздел 3 дополнить пунктами 3.2–3.3 следующего содержания: «3.2. Б.» «3.3. В.»."], inflect_title)


def test_a_section_whose_clauses_mostly_change_number_is_given_anew() -> None:
    old = [*section(7, "Заключительные положения"), *clauses("7", "А.", "Б.", "В.", "Г.", "Д.")]
    new = [*section(7, "Заключительные положения"), *clauses("7", "Новый.", "А.", "Б.", "В.", "Г.", "Д.")]
    assert wording(old, new) == [
        "Раздел 7 изложить в следующей редакции:",
        "«7. Заключительные положения",
        *(f"7.{n}. {t}" for n, t in enumerate(["Новый.", "А.", "Б.", "В.", "Г."], start=1)),
        "7.6. Д.».",
    ]


def test_a_renumbered_section_given_anew_is_one_item() -> None:
    old = [*section(1, "Общие"), *clauses("1", "А."), *section(2, "Права"), *clauses("2", "Б.", "В.", "Г.")]
    new = [
        *section(1, "Общие"),
        *clauses("1", "А."),
        *section(2, "Условия"),
        *clauses("2", "Е."),
        *section(3, "Права"),
        *clauses("3", "Ж.", "Б.", "В.", "Г."),
    ]
    assert wording(old, new)[:2] == [
        "Раздел 2 считать разделом 3 и изложить его в следующей редакции:",
        "«3. Права",
    ]


def test_a_clause_restated_piece_by_piece_is_given_anew() -> None:
    """Eight items for 2.12 (its first paragraph and seven sub-clauses) become one."""
    lead = "При общении с клиентами соблюдает нормы делового этикета:"
    subs = [f"Правило {n}." for n in range(1, 8)]
    old = [*section(2, "Обязанности"), *clauses("2", "А."), Unit("2.2.", lead, 1), *clauses("2.2", *subs, depth=2)]
    new_subs = [s.rstrip(".") + " без исключений." for s in subs]
    new = [
        *section(2, "Обязанности"),
        *clauses("2", "А."),
        Unit("2.2.", lead.replace(":", ", в том числе:"), 1),
        *clauses("2.2", *new_subs, depth=2),
    ]
    result = wording(old, new)
    assert result[0] == "Пункт 2.2 изложить в следующей редакции:"
    assert result[1] == "«2.2. " + lead.replace(":", ", в том числе:")
    assert result[-1] == "2.2.7. Правило 7 без исключений.».", "each sub-clause its own paragraph"
    assert len(result) == 9


def test_a_clause_with_a_few_changes_is_still_amended_piece_by_piece() -> None:
    subs = [f"Правило {n}." for n in range(1, 8)]
    old = [*section(2, "Обязанности"), Unit("2.1.", "Соблюдает:", 1), *clauses("2.1", *subs, depth=2)]
    new = [*section(2, "Обязанности"), Unit("2.1.", "Соблюдает:", 1), *clauses("2.1", *subs[:6], "Новое.", depth=2)]
    assert wording(old, new) == ["Подпункт 2.1.7 изложить в следующей редакции: «2.1.7. Новое.»."]


def test_the_register_names_each_clause_once_by_its_new_number() -> None:
    from jobdesc.editions.amendments import summary
    from jobdesc.editions.diff import diff

    old = [
        *section(1, "Общие"),
        *clauses("1", "А.", "Перенесенный пункт.", "Б."),
        *section(2, "Заключительные"),
        *clauses("2", "В.", "Г.", "Д."),
    ]
    new = [
        *section(1, "Общие"),
        *clauses("1", "Б."),
        *section(2, "Условия"),
        *clauses("2", "Е."),
        *section(3, "Заключительные"),
        *clauses("3", "В.", "Г. Иначе.", "Д.", "Перенесенный пункт."),
    ]
    assert summary(diff(old, new)).text() == (
        "изменены: 3.2 (прежний 2.2); введены: 2, 2.1; перенесены: 3.4 (прежний 1.2); исключены: 1.1"
    )
