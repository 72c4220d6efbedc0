"""The sections of a job description read from Word mapped to the role fields, and the title's nominative."""

from __future__ import annotations

import itertools
import re
from typing import TYPE_CHECKING

from jobdesc.project.model import CLAUSE_LISTS
from jobdesc.sources.word_lines import CATEGORIES, ROLE_SECTIONS, Line

if TYPE_CHECKING:
    from jobdesc.sources.word_import import _Reader

LISTS = {
    "knowledge": re.compile(r"(должен|должна|должны) знать:?$"),
    "guiding_documents": re.compile(r"руководству(ется|ются).*:$"),
    "skills": re.compile(r"(должен|должна|должны) уметь:?$"),
    "personal_qualities": re.compile(r"^Личные качества.*:$"),
}
INLINE = {  # the same lists written in one paragraph, items separated by «;»
    "knowledge": re.compile(r"(?:должен|должна|должны) знать:\s*(?P<items>\S.*)$"),
    "guiding_documents": re.compile(r"руководству(?:ется|ются)[^:]*:\s*(?P<items>\S.*)$"),
    "skills": re.compile(r"(?:должен|должна|должны) уметь:\s*(?P<items>\S.*)$"),
    "personal_qualities": re.compile(r"^Личные качества[^:]*:\s*(?P<items>\S.*)$"),
}
REQUIREMENTS = (("Образование: ", "education"), ("Опыт работы: ", "experience"), ("Иностранные языки: ", "languages"))
INTRO = "вводная фраза пункта (jobdesc печатает свою)"
_FUNCTION = {"PREP", "CONJ", "PRCL"}


def nominative(phrase: str, case: str = "gent") -> tuple[str, bool]:
    """The nominative of ``phrase`` given in ``case`` («менеджера по продажам» → «менеджер по
    продажам») and whether it is unsure: candidates from the dictionary, each checked by
    inflecting it back with :func:`jobdesc.language.titles.inflect`; of those that check, the one
    that changes the most words («главная медицинская сестра», not «главная медицинской сестры»)."""
    # lazy: jobdesc.language.titles and what it imports (8 modules) load only for the commands that get here
    from jobdesc.language.titles import _morph, inflect

    morph = _morph()
    words = phrase.split()
    options: list[list[str]] = []
    for word in words:
        if len(options) >= 4 or morph.parse(word)[0].tag.POS in _FUNCTION:
            break
        parts = [_part_forms(morph, part, case) for part in word.split("-")]
        options.append(list(dict.fromkeys("-".join(combination) for combination in itertools.product(*parts))))
    rest = words[len(options) :]
    matches: list[tuple[int, str]] = []
    for combination in itertools.product(*options):
        candidate = " ".join([*combination, *rest])
        if inflect(candidate, case).lower() == phrase.lower() and candidate not in [m for _, m in matches]:
            changed = sum(  # hyphenated parts counted one by one: «врач-терапевт», not «врача-терапевт»
                new != old for pair in zip(combination, words) for new, old in zip(*(w.split("-") for w in pair))
            )
            matches.append((changed, candidate))
    if not matches:
        return phrase, True
    matches.sort(key=lambda match: -match[0])
    best = [candidate for changed, candidate in matches if changed == matches[0][0]]
    return best[0], len(best) > 1


def _part_forms(morph, part: str, case: str) -> list[str]:  # noqa: ANN001 - pymorphy3.MorphAnalyzer
    """``part`` and its nominatives from the dictionary, where it can be in ``case``; capitals kept."""
    found = [part]
    for parse in morph.parse(part):
        if case in parse.tag:
            form = parse.inflect({"nomn", "sing"} if "sing" in parse.tag else {"nomn"})
            if form is not None:
                word = form.word.upper() if part.isupper() else form.word
                word = word[:1].upper() + word[1:] if part[:1].isupper() and not part.isupper() else word
                if word not in found:
                    found.append(word)
    return found


def role_data(reader: _Reader, sections: list[tuple[str, list[Line]]]) -> None:
    """Fill ``reader.result`` with the role's data."""
    result = reader.result
    genitive = (
        reader.heading[:1].lower() + reader.heading[1:] if not reader.heading.isupper() else reader.heading.lower()
    )
    data: dict = {"title": ""}
    if reader.number:
        data["number"] = reader.number
    lists: dict[str, list] = {}
    requirements: dict = {}
    previous = "general"  # the field before: an unknown section's text is kept after it, in its place
    for index, (name, lines) in enumerate(sections):
        target = _field(name)
        heading = reader.section_pieces.get(index)
        if heading is not None:
            heading.fate = "заголовок раздела (jobdesc печатает свой)"
        if target is None:
            if heading is not None:
                heading.fate = "comment"
            for line in lines:
                _comment(reader, line, previous, f"{name}: ")
            if not lines:
                result.comments.setdefault(previous, []).append(name)
            result.warnings.append(f"раздел «{name}» — нет такого поля в роли; текст сохранен комментарием в файле")
            continue
        previous = target if target not in ("knowledge", "requirements") else "general"
        clauses = reader.clauses(lines)
        if (
            clauses
            and not clauses[0][0].number
            and clauses[0][0].text.endswith(":")
            and not clauses[0][1]
            and len(clauses) > 1
        ):
            clauses[0][0].piece.fate = "вводная фраза раздела (jobdesc печатает свою)"
            clauses = clauses[1:]
        for first, subs in clauses:
            if target in ("general", "requirements", "knowledge"):
                _general(reader, data, lists, requirements, first, subs, target)
            else:
                _listed(reader, lists, target, first, subs)
    # lazy: jobdesc.language.titles and what it imports (8 modules) load only for the commands that get here
    from jobdesc.language.titles import inflect

    title = data.pop("_nominative", "")  # «Кассир относится к категории …» names it, if it inflects back
    if title and inflect(title, "gent").lower() != genitive.lower():
        title = ""
    doubt = False
    if not title:
        title, doubt = nominative(genitive)
    data["title"] = title[:1].upper() + title[1:]
    if inflect(data["title"], "gent").lower() == genitive.lower() and reader.heading_piece is not None:
        reader.heading_piece.fate = "наименование в родительном падеже (jobdesc склоняет наименование сам)"
    if inflect(data["title"], "gent").lower() != genitive.lower() or doubt:
        data["title_genitive"] = genitive
        result.warnings.append(
            f"title: именительный падеж «{data['title']}» восстановлен из «{genitive}» неуверенно — проверьте (jobdesc forms)"
        )
    for key, placeholder in (
        ("category", "specialists"),
        ("department", "[подразделение]"),
        ("reports_to", "[кому подчиняется, в дательном падеже]"),
    ):
        if key not in data:
            data[key] = placeholder
            result.warnings.append(f"{key}: не найдено в документе — заполните")
    data.setdefault("appointment", {"by": "[чьим приказом назначается]"})
    if "appointment" not in lists and data["appointment"]["by"].startswith("["):
        result.warnings.append("appointment: не найдено в документе — заполните")
    if "education" not in requirements:
        requirements = {"education": "[образование]", **requirements}
        result.warnings.append("requirements.education: не найдено в документе — заполните")
    data["requirements"] = requirements
    for key in CLAUSE_LISTS:  # in the order of the document
        if lists.get(key):
            data[key] = lists[key]
        elif key in ("knowledge", "duties", "rights", "responsibility"):
            data[key] = [f"[{key}]"]
            result.warnings.append(f"{key}: раздел не найден в документе — заполните")
    result.data = data


def _field(name: str) -> str | None:
    if not name:
        return "general"
    lowered = name.lower()
    for words, target in ROLE_SECTIONS:
        if lowered.startswith(words) or (words in lowered and len(lowered) < 60):
            return target
    return None


def _comment(reader: _Reader, line: Line, where: str, prefix: str = "") -> None:
    pieces = line.cells if line.table is not None else [line.piece]
    for piece in pieces:
        if not piece.fate:
            piece.fate = "comment"
            text = line.text if line.table is None else piece.text  # a paragraph without its number
            reader.result.comments.setdefault(where, []).append(prefix + text)


def _take(line: Line) -> str:
    line.piece.fate = "data"
    return line.text


def _listed(reader: _Reader, lists: dict[str, list], target: str, first: Line, subs: list[Line]) -> None:
    out = lists.setdefault(target, [])
    if first.table is not None:
        _comment(reader, first, target)
        reader.result.warnings.append(f"{target}: таблица сохранена комментарием — в роли таблиц нет")
        return
    if subs and target == "duties":
        out.append({"title": _take(first).rstrip(":"), "items": [_take(s) for s in subs]})
        return
    out.append(_take(first))
    if subs:
        out.extend(_take(s) for s in subs)
        reader.result.warnings.append(f"{target}: подпункты пункта «{first.text[:40]}…» перенесены пунктами")


def _general(
    reader: _Reader, data: dict, lists: dict[str, list], requirements: dict, first: Line, subs: list[Line], target: str
) -> None:
    """A clause of «Общие положения»: a sentence jobdesc builds from fields, a list, or a comment."""
    if first.table is not None:
        if not _requirements_table(first, requirements):
            _comment(reader, first, "requirements")
        return
    text = first.text
    found = re.match(
        r"^(?P<t>.+?) относится к категории (?P<c>руководителей|специалистов|технических исполнителей)"
        r"(?: и входит в структурное подразделение «(?P<d>.+)»)?\.$",
        text,
    )
    if found:
        data["_nominative"] = found["t"]
        data["category"] = CATEGORIES[found["c"]]
        if found["d"]:
            data["department"] = found["d"]
        _take(first)
        return
    found = re.search(
        r"назначается на должность и освобождается от (?:нее|должности) (?P<by>.+?)(?: по представлению (?P<p>.+?))?\.$",
        text,
    )
    if found:
        data["appointment"] = {"by": found["by"], **({"on_proposal_of": found["p"]} if found["p"] else {})}
        lists["appointment"] = []
        _take(first)
        return
    found = re.search(r"подчиняется непосредственно (?P<r>.+?)\.$", text)
    if found:
        data["reports_to"] = found["r"]
        _take(first)
        return
    found = re.match(r"^В подчинении .+? наход(?:ятся|ится) (?P<s>.+?)\.$", text)
    if found:
        data["subordinates"] = found["s"]
        _take(first)
        return
    found = re.match(
        r"^На время отсутствия .+? (?:его|ее) обязанности исполняет (?P<s>.+?), (?:который|которая) приобретает", text
    )
    if found:
        data["substitute"] = found["s"]
        _take(first)
        return
    if re.search(r"назначается лицо.*(требованиям|требования):$", text) and subs:
        first.piece.fate = INTRO
        for sub in subs:
            for prefix, key in REQUIREMENTS:
                if sub.text.startswith(prefix) and key not in requirements:
                    requirements[key] = sub.text[len(prefix) :].rstrip(".")
                    break
            else:
                requirements.setdefault("other", []).append(sub.text)
            sub.piece.fate = "data"
        return
    for key, pattern in LISTS.items():
        if pattern.search(text) and subs:
            first.piece.fate = INTRO
            lists.setdefault(key, []).extend(_take(s) for s in subs)
            return
        inline = INLINE[key].search(text)
        if inline and not subs:  # «Бухгалтер должен знать: законодательство …; формы …; порядок ….»
            items = [item.strip() for item in inline.group("items").split(";") if item.strip()]
            lists.setdefault(key, []).extend(f"{item};" for item in items[:-1])
            lists[key].append(items[-1])
            first.piece.fate = "data"
            return
    if target == "knowledge":
        lists.setdefault("knowledge", []).append(_take(first))
        lists["knowledge"].extend(_take(s) for s in subs)
        return
    if target == "requirements":
        requirements.setdefault("other", []).append(_take(first))
        requirements["other"].extend(_take(s) for s in subs)
        return
    found = re.search(r"назначается лицо,?\s+(?P<r>.+?)\.?$", text)
    if found and "education" not in requirements:
        parts = re.fullmatch(
            r"имеющее (?P<e>.+?) образование(?: и (?P<x>(?:стаж|опыт) .+)| (?P<n>без предъявления требований к стажу работы))?",
            found["r"],
        )
        if parts:  # the qualification handbook's sentence: education and experience
            requirements["education"] = parts["e"]
            if parts["x"] or parts["n"]:
                requirements["experience"] = parts["x"] or parts["n"]
        else:
            requirements["education"] = found["r"]
            reader.result.warnings.append(
                "requirements.education: требования перенесены одной строкой — разделите на поля"
            )
        _take(first)
        for sub in subs:
            requirements.setdefault("other", []).append(_take(sub))
        return
    _comment(reader, first, "general", "")
    for sub in subs:
        _comment(reader, sub, "general", "")
    reader.result.warnings.append(
        f"пункт «{text[:50]}…» общих положений — нет такого поля в роли; сохранен комментарием"
    )


def _requirements_table(line: Line, requirements: dict) -> bool:
    """A two-column table «Образование | высшее» of requirements."""
    table = line.table
    if table is None or any(len(row) != 2 for row in table.rows):
        return False
    keys = {
        "образование": "education",
        "опыт работы": "experience",
        "стаж работы": "experience",
        "иностранные языки": "languages",
    }
    pieces = iter(line.cells)  # the non-empty cells, row by row
    for row in table.rows:
        name, value = (" ".join(c.split()) for c in row)
        cells = [next(pieces) for text in (name, value) if text]
        key = keys.get(name.lower().rstrip(":"))
        fate = "data"
        if key and key not in requirements and value:
            requirements[key] = value
            cells[0].fate = f"название поля requirements.{key}"
            cells = cells[1:]
        elif name.lower().startswith("требовани"):
            fate = "заголовок таблицы требований"
        elif name and value:
            requirements.setdefault("other", []).append(f"{name}: {value}")
        elif name or value:
            requirements.setdefault("other", []).append(name or value)
        for cell in cells:
            cell.fate = fate
    return True
