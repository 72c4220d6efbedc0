"""Property: «Изменения № N», read item by item from the DOCX and applied to edition N's printed
text, give edition N + 1's printed text (tests/amendment_oracle.py is the reader).

Random edit scripts on both shipped roles and on a deeper role (four subsections of duties,
every optional section): clauses and sub-clauses reworded, deleted, inserted and moved at any
level, subsections and sections added and removed, the position renamed, shared clauses of
roles/_common.yaml changed. Rendering is in-process, one copy, as ``jobdesc build`` does it.
"""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import yaml
from amendment_oracle import LIST_EDITS, check, docx_paragraphs, edit_items, inflect_title
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jobdesc.documents.compose import document_bytes, render_amendment, render_document
from jobdesc.editions.store import Edition
from jobdesc.language.titles import genitive_title
from jobdesc.project.loader import load_project
from jobdesc.project.model import CLAUSE_LISTS, Person, Role
from jobdesc.render.context import Approval

REPO = Path(__file__).resolve().parent.parent
PROJECT = load_project(REPO)
DAY = dt.date(2026, 3, 2)
DIRECTOR = Person("Генеральный директор", "Воронцов Алексей Петрович")

# Wording from Russian HR practice (the seed article, domain notes §5): new clauses and rewrites.
POOL = [
    "Контролирует исполнение договоров, дебиторскую задолженность и платежную дисциплину клиентов.",
    "Организует участие в тендерах и подготовку коммерческих предложений.",
    "Урегулирует претензии и конфликтные ситуации с ключевыми клиентами.",
    "Анализирует рынок, конкурентов и результаты продаж, готовит отчеты коммерческому директору.",
    "Обеспечивает полноту и достоверность сведений о клиентах в CRM-системе.",
    "Ведет учет договоров в программе «1С:Предприятие».",
    "Согласовывает цены, скидки и условия договоров в пределах своих полномочий.",
    "Участвует в отраслевых выставках и конференциях, представляя продукцию организации.",
    "Разъездной характер работы.",
    "Представлять организацию во взаимоотношениях с клиентами по доверенности.",
    "За недостоверность представляемых отчетов.",
    "Доля ключевых клиентов в выручке отдела.",
]
SUBSECTION_TITLES = [
    "Работа с дебиторской задолженностью включает",
    "Подготовка к переговорам с ключевыми клиентами включает",
    "Работа с тендерами включает",
]
TITLES = [
    "Старший менеджер по работе с ключевыми клиентами",
    "Ведущий менеджер по работе с ключевыми клиентами",
    "Менеджер по продажам",
    "Руководитель отдела продаж",
    "Специалист по работе с ключевыми клиентами",
]
LISTS = [key for key in CLAUSE_LISTS if key != "duties"]  # the duties are edited apart
REQUIRED = {"knowledge", "rights", "responsibility", "duties"}
OPTIONAL_SECTIONS = {
    "relationships": ["Взаимодействует с отделом логистики по вопросам исполнения заказов клиентов."],
    "performance_criteria": ["Выполнение плана продаж отдела."],
    "working_conditions": ["Разъездной характер работы.", "Режим рабочего времени — пятидневная рабочая неделя."],
    "final_provisions": ["Изменения в настоящую должностную инструкцию вносятся приказом генерального директора."],
}


def deep_role() -> dict:
    """The head's role with four subsections of duties and every optional section."""
    data = copy.deepcopy(PROJECT.roles["kam-head"].as_dict())
    duties = data["duties"]
    groups = [{"title": title, "items": POOL[i * 3 : i * 3 + 3]} for i, title in enumerate(SUBSECTION_TITLES)]
    data["duties"] = duties[:3] + [groups[0]] + duties[3:6] + groups[1:] + duties[6:]
    data.setdefault("skills", ["Вести сложные деловые переговоры."])
    data.setdefault("personal_qualities", ["Стрессоустойчивость.", "Лидерские качества."])
    data.setdefault("requirements", {}).setdefault("other", ["Водительское удостоверение категории B."])
    for key, clauses in OPTIONAL_SECTIONS.items():
        data.setdefault(key, list(clauses))
    return data


BASES = {
    "kam-manager": PROJECT.roles["kam-manager"].as_dict(),
    "kam-head": PROJECT.roles["kam-head"].as_dict(),
    "deep": deep_role(),
}
COMMON_TEXTS = [
    text for values in yaml.safe_load((REPO / "roles/_common.yaml").read_text("utf-8")).values() for text in values
]


def _role(role_id: str, data: dict) -> Role:
    return Role.from_dict(role_id, data, data["title_genitive"])


def _edition(role: Role, number: int) -> Edition:
    return Edition(role.id, number, DAY, DIRECTOR, DAY, role.as_dict(), "", None)


def printed_role(role: Role) -> list[str]:
    document = render_document(PROJECT, role, 1, Approval())
    return docx_paragraphs(document_bytes(PROJECT, "ДИ", role, document, Approval()))


def printed_amendment(old: Role, new: Role) -> list[str]:
    documents = render_amendment(PROJECT, _edition(old, 1), new, Approval(), 1)
    return docx_paragraphs(document_bytes(PROJECT, "Изменения", new, documents, Approval()))


# ---------------------------------------------------------------------------- edit scripts


def _text(draw, old: str | None = None) -> str:  # noqa: ANN001
    """A rewrite of ``old`` (extended, punctuation or one word changed) or a clause of the pool."""
    choice = draw(st.integers(0, 3 if old else 0))
    if choice == 1:
        return old.rstrip(".") + " в пределах своей компетенции."
    if choice == 2:
        return old.rstrip(".") + ";" if old.endswith(".") else old + "."
    if choice == 3:
        words = old.split()
        position = draw(st.integers(0, len(words) - 1))
        words[position] = draw(st.sampled_from(["организации", "отдела", "клиентов", "руководства"]))
        return " ".join(words)
    return draw(st.sampled_from(POOL))


def _list(data: dict, draw, non_empty: bool = False) -> tuple[list, str]:  # noqa: ANN001
    keys = [k for k in LISTS if data.get(k)] + ["duties"]
    key = draw(st.sampled_from(keys))
    return data[key], key


def _edit(data: dict, draw) -> None:  # noqa: ANN001
    kind = draw(
        st.sampled_from(
            ["reword", "delete", "insert", "move", "move_across", "sub", "subsection", "section", "title", "common"]
            + ["mention", "field"]
        )
    )
    if kind == "field":  # the fields the template turns into clauses 1.1–1.5.N
        name = draw(st.sampled_from(["reports_to", "substitute", "experience", "languages", "other", "subordinates"]))
        requirements = data["requirements"]
        if name in ("experience", "languages"):
            if requirements.pop(name, None) is None:
                requirements[name] = "не менее трех лет в области продаж"
        elif name == "other":
            requirements.setdefault("other", []).insert(0, "Водительское удостоверение категории B.")
        elif name == "reports_to":
            data[name] = "коммерческому директору"
        elif data.pop(name, None) is None:
            data[name] = "менеджеры по работе с ключевыми клиентами" if name == "subordinates" else "заместитель"
        return
    if kind == "mention":  # the title in another case, which «в соответствующем падеже» also changes
        case, phrase = draw(
            st.sampled_from([("datv", "Работники отдела подчиняются {}."), ("ablt", "Отчеты подписываются {}.")])
        )
        title = inflect_title(data["title"], case)
        values, _ = _list(data, draw)
        values.insert(draw(st.integers(0, len(values))), phrase.format(title[:1].lower() + title[1:]))
        return
    if kind == "title":
        title = draw(st.sampled_from([t for t in TITLES if t != data["title"]]))
        data["title"], data["title_genitive"] = title, genitive_title(title)
        return
    if kind == "common":
        old = draw(st.sampled_from(COMMON_TEXTS))
        new = _text(draw, old)
        for key in LISTS:
            if data.get(key):
                data[key] = [new if item == old else item for item in data[key]]
        return
    if kind == "section":
        key = draw(st.sampled_from(sorted(OPTIONAL_SECTIONS)))
        if data.get(key):
            data.pop(key)
        else:
            data[key] = list(OPTIONAL_SECTIONS[key])
        return
    if kind in ("sub", "subsection"):
        duties = data["duties"]
        groups = [i for i, d in enumerate(duties) if isinstance(d, dict)]
        if kind == "subsection" or not groups:
            if groups and draw(st.booleans()):
                duties.pop(draw(st.sampled_from(groups)))
            else:
                position = draw(st.integers(0, len(duties)))
                count = draw(st.integers(1, 3))
                duties.insert(
                    position,
                    {"title": draw(st.sampled_from(SUBSECTION_TITLES)), "items": draw(st.permutations(POOL))[:count]},
                )
            return
        group = duties[draw(st.sampled_from(groups))]
        items = group["items"]
        action = draw(st.sampled_from(["reword", "delete", "insert", "move", "out", "in", "title"]))
        index = draw(st.integers(0, len(items) - 1))
        if action in LIST_EDITS:
            edit_items(draw, items, action, index, _text)
        elif action == "out" and len(items) > 1:
            duties.insert(draw(st.integers(0, len(duties))), items.pop(index))
        elif action == "in":
            plain = [i for i, d in enumerate(duties) if isinstance(d, str)]
            if len(plain) > 1:
                items.insert(draw(st.integers(0, len(items))), duties.pop(draw(st.sampled_from(plain))))
        elif action == "title":
            group["title"] = _text(draw, group["title"] + ".").rstrip(".;")
        return
    values, key = _list(data, draw)
    index = draw(st.integers(0, len(values) - 1))
    plain = isinstance(values[index], str)
    if kind == "reword" and plain:
        values[index] = _text(draw, values[index])
    elif kind == "delete" and (len(values) > 1 or key not in REQUIRED):
        values.pop(index)
        if not values:
            data.pop(key)
    elif kind == "insert":
        values.insert(draw(st.integers(0, len(values))), _text(draw))
    elif kind == "move":
        values.insert(draw(st.integers(0, len(values) - 1)), values.pop(index))
    elif kind == "move_across" and plain and (len(values) > 1 or key not in REQUIRED):
        target_values, _ = _list(data, draw)
        if target_values is not values:
            target_values.insert(draw(st.integers(0, len(target_values))), values.pop(index))
            if not values:
                data.pop(key)


@st.composite
def edited(draw, base: str) -> tuple[dict, dict]:  # noqa: ANN001
    before = copy.deepcopy(BASES[base])
    for _ in range(draw(st.integers(0, 2))):  # edition N itself may differ from the shipped text
        _edit(before, draw)
    after = copy.deepcopy(before)
    for _ in range(draw(st.integers(1, 8))):
        _edit(after, draw)
    return before, after


def _check(base: str, pair: tuple[dict, dict]) -> None:
    before, after = (_role(base, data) for data in pair)
    check(printed_role(before), printed_amendment(before, after), printed_role(after))


SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(edited("kam-manager"))
def test_amendments_turn_one_edition_into_the_next_manager(pair: tuple[dict, dict]) -> None:
    _check("kam-manager", pair)


@SETTINGS
@given(edited("kam-head"))
def test_amendments_turn_one_edition_into_the_next_head(pair: tuple[dict, dict]) -> None:
    _check("kam-head", pair)


@SETTINGS
@given(edited("deep"))
def test_amendments_turn_one_edition_into_the_next_deep_role(pair: tuple[dict, dict]) -> None:
    _check("deep", pair)


def test_a_renamed_position_also_changes_the_title_in_other_cases() -> None:
    before = copy.deepcopy(BASES["kam-manager"])
    before["relationships"].append("Отчеты о переговорах подписываются менеджером по работе с ключевыми клиентами.")
    after = copy.deepcopy(before)
    after["title"] = "Старший менеджер по работе с ключевыми клиентами"
    after["title_genitive"] = genitive_title(after["title"])
    _check("kam-manager", (before, after))  # the clause keeps «менеджером»: it is worded anew
    after["relationships"][-1] = after["relationships"][-1].replace("менеджером", "старшим менеджером")
    _check("kam-manager", (before, after))
