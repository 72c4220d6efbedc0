"""A test oracle: reads «Изменения № N» as a lawyer does and applies them to edition N's text.

The interpreter knows only the printed text: the paragraphs of edition N (title, numbered
section headings, lead-in paragraphs, clauses «2.11.3. …», and tables when read with
:func:`docx_text`) and the items of the amendment as printed in its DOCX. A section's tables are
kept in their place: after so many clauses of their section. No item names that place, so an
item that adds or removes a clause of a section with a table is refused (such a section is given
anew as a whole). It applies the items one after another, literally, and refuses any item
that names a unit that is not there, creates a number that already exists, or is not one of
the standard formulas. The caller compares the result with edition N + 1's printed text.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from functools import lru_cache

Label = tuple[int, ...]

_NUMBERED = re.compile(r"(\d+(?:\.\d+)*)\. (.*)")
_N = r"(\d+(?:\.\d+)*)"
_NOUN_DEPTH = {
    "Раздел": 1,
    "Разделы": 1,
    "разделом": 1,
    "разделами": 1,
    "Пункт": 2,
    "Пункты": 2,
    "пунктом": 2,
    "пунктами": 2,
    "пункта": 2,
}
# The oracle's own Russian, as a lawyer reads it: not imported from jobdesc.editions.amendments,
# where a wrong or misordered word would then be read back the same way and agreed with.
_ORDINALS = tuple("первый второй третий четвертый пятый".split())  # «Абзац второй раздела 3 …»
_TABLE_ORDINALS = tuple("Первую Вторую Третью Четвертую Пятую Шестую Седьмую Восьмую Девятую Десятую".split())
_ITEM = re.compile(
    r"(\d+)\. ((?:Пункт|Подпункт|Раздел|Абзац|Наименование|Дополнить|По всему тексту|Таблицу|"
    + "|".join(_TABLE_ORDINALS)
    + r")\w* .*)"
)
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")


class Refused(AssertionError):
    """An item that cannot be applied as written."""


def label(number: str) -> Label:
    return tuple(int(part) for part in number.split("."))


def printed(number: Label) -> str:
    return ".".join(str(n) for n in number)


def _depth_of(noun: str, number: Label) -> None:
    expected = _NOUN_DEPTH.get(noun)
    if expected is None:  # подпункт, подпунктом, …
        ok = len(number) >= 3
    else:
        ok = len(number) == expected
    if not ok:
        raise Refused(f"«{noun}» не подходит к номеру {printed(number)}")


def unquote(text: str) -> str:
    return text.replace("„", "«").replace("“", "»")


@dataclass
class Text:
    """The structured text of a job description as printed."""

    title: str
    headings: dict[int, str] = field(default_factory=dict)
    leads: dict[int, list[str]] = field(default_factory=dict)
    clauses: dict[Label, str] = field(default_factory=dict)
    # a section's tables: (how many of its clauses stand before the table, the TABLE line)
    tables: dict[int, list[tuple[int, str]]] = field(default_factory=dict)

    @classmethod
    def parse(cls, lines: list[str]) -> Text:
        text = cls(lines[0])
        section = None
        for line in lines[1:]:
            match = _NUMBERED.fullmatch(line)
            if line.startswith(TABLE):
                if section is None:
                    raise AssertionError(f"таблица вне разделов: {line!r}")
                text.tables.setdefault(section, []).append((text.top_clauses(section), line))
            elif match and "." not in match.group(1):
                section = int(match.group(1))
                text.headings[section] = match.group(2)
                text.leads[section] = []
            elif match:
                text.clauses[label(match.group(1))] = match.group(2)
            elif section is not None:
                text.leads[section].append(line)
            else:
                raise AssertionError(f"не понимаю строку текста: {line!r}")
        return text

    def lines(self) -> list[str]:
        """The text as printed: numbers in order; refused if a clause has lost its parent."""
        for number in self.clauses:
            parent = number[:-1]
            if len(parent) == 1 and parent[0] not in self.headings or len(parent) > 1 and parent not in self.clauses:
                raise Refused(f"пункт {printed(number)} остался без раздела или пункта {printed(parent)}")
        result = [self.title]
        for section in sorted(self.headings):
            result.append(f"{section}. {self.headings[section]}")
            result.extend(self.leads[section])
            tables = self.tables.get(section, [])
            result.extend(line for before, line in tables if before == 0)
            for top in sorted(n for n in self.clauses if len(n) == 2 and n[0] == section):
                result.extend(f"{printed(n)}. {self.clauses[n]}" for n in sorted(self.clauses) if n[:2] == top)
                result.extend(line for before, line in tables if before == top[1])  # after the clause and its parts
        return result

    def top_clauses(self, section: int) -> int:
        """How many clauses the section has (sub-clauses not counted)."""
        return sum(1 for number in self.clauses if len(number) == 2 and number[0] == section)

    def unmovable(self, number: Label) -> None:
        """Refuse to add or remove a clause of a section with a table: no item says on which side of it."""
        if len(number) == 2 and self.tables.get(number[0]):
            raise Refused(f"пункт {printed(number)} добавлен или исключен в разделе с таблицей: ее место неясно")

    def exists(self, number: Label) -> bool:
        return number[0] in self.headings if len(number) == 1 else number in self.clauses

    def has_parts(self, number: Label) -> bool:
        return any(other[: len(number)] == number and len(other) > len(number) for other in self.clauses)

    def require(self, number: Label) -> None:
        if not self.exists(number):
            raise Refused(f"{printed(number)} нет в тексте")

    def take(self, number: Label, clauses: bool = True) -> dict:
        """Remove a unit with everything under it; returns it for renumbering. ``clauses`` false:
        a section without its clauses (read literally, «Раздел 7 считать разделом 8» renumbers the
        section, not the clauses 7.1, 7.2, …)."""
        self.require(number)
        unit: dict = {"clauses": {}}
        if len(number) == 1:
            unit["heading"] = self.headings.pop(number[0])
            unit["leads"] = self.leads.pop(number[0])
            unit["tables"] = self.tables.pop(number[0], [])
            if not clauses:
                return unit
        for other in [n for n in self.clauses if n[: len(number)] == number]:
            unit["clauses"][other[len(number) :]] = self.clauses.pop(other)
        return unit

    def put(self, number: Label, unit: dict) -> None:
        if self.exists(number):
            raise Refused(f"номер {printed(number)} уже есть в тексте")
        if len(number) == 1:
            self.headings[number[0]] = unit["heading"]
            self.leads[number[0]] = unit["leads"]
            if unit["tables"]:
                self.tables[number[0]] = unit["tables"]
        for rest, text in unit["clauses"].items():
            self.clauses[number + rest] = text

    def replace_words(self, forms: dict[str, str]) -> None:
        pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)) + r")(?!\w)",
            re.IGNORECASE,
        )

        def swap(match: re.Match) -> str:
            found = match.group(0)
            new = forms[found.lower()]
            return new[:1].upper() + new[1:] if found[:1].isupper() else new

        def sub(text: str) -> str:
            return pattern.sub(swap, text)

        self.title = sub(self.title)
        self.headings = {k: sub(v) for k, v in self.headings.items()}
        self.leads = {k: [sub(v) for v in vs] for k, vs in self.leads.items()}
        self.clauses = {k: sub(v) for k, v in self.clauses.items()}


# ---------------------------------------------------------------------------- reading documents


def docx_paragraphs(data: bytes) -> list[str]:
    """The paragraphs of a DOCX, as python-docx reads them."""
    import docx

    return [paragraph.text for paragraph in docx.Document(io.BytesIO(data)).paragraphs]


TABLE = "TABLE "  # a table read by :func:`docx_text`: this prefix, then its rows of cells as JSON


def docx_text(data: bytes) -> list[str]:
    """The paragraphs and tables of a DOCX in their order, a table as one line: ``TABLE [[cells…], …]``."""
    import json

    import docx
    from docx.table import Table

    return [
        TABLE + json.dumps([[cell.text for cell in row.cells] for row in part.rows], ensure_ascii=False)
        if isinstance(part, Table)
        else part.text
        for part in docx.Document(io.BytesIO(data)).iter_inner_content()
    ]


def body(paragraphs: list[str]) -> list[str]:
    """From the title to the last clause of the last section (one copy)."""
    start = next(i for i, line in enumerate(paragraphs) if re.match(r"1\. \S", line))
    title = start - 1
    while paragraphs[title].startswith(("Редакция №", "(редакция №", "Текст в редакции")):  # lines under the title
        title -= 1
    end = start
    while end < len(paragraphs):
        line = paragraphs[end]
        if not line.strip() or "\t" in line or line.startswith("ЛИСТ "):
            break
        end += 1
    return [paragraphs[title], *paragraphs[start:end]]


def items(paragraphs: list[str]) -> list[list[str]]:
    """The items of the first copy of an amendment: each its paragraphs, item number dropped."""
    start = next(i for i, line in enumerate(paragraphs) if line.endswith("вносятся следующие изменения:")) + 1
    end = next(i for i in range(start, len(paragraphs)) if paragraphs[i].startswith("Изменения вводятся в действие"))
    result: list[list[str]] = []
    for line in paragraphs[start:end]:
        match = _ITEM.fullmatch(line)
        if match:
            if int(match.group(1)) != len(result) + 1:
                raise Refused(f"пункты изменений идут не по порядку: {line!r}")
            result.append([match.group(2)])
        elif result and line.strip():
            result[-1].append(line)
        elif line.strip():
            raise Refused(f"абзац вне пунктов изменений: {line!r}")
    return result


# ---------------------------------------------------------------------------- applying items


def apply(text: Text, item: list[str], inflect) -> None:  # noqa: ANN001 - inflect(title, case) -> str
    """Apply one item (its paragraphs) to ``text``, as written."""
    head, rest = item[0], item[1:]
    if not rest:
        for pattern, action in _ONE_PARAGRAPH:
            match = re.fullmatch(pattern, head)
            if match:
                action(text, match, inflect)
                return
    match = re.fullmatch(
        rf"(Раздел|Пункт|Подпункт) {_N} дополнить (пунктом|подпунктом|пунктами|подпунктами) {_N}(?:–{_N})? "
        r"следующего содержания:(.*)",
        head,
    )
    if match:
        _add(text, match, rest)
        return
    match = re.fullmatch(r"Дополнить разделом (\d+) следующего содержания:", head)
    if match and rest:
        _add_section(text, int(match.group(1)), rest)
        return
    match = re.fullmatch(r"Раздел (\d+) изложить в следующей редакции:", head)
    if match and rest:  # read literally: the section, everything in it, has this wording now
        text.take((int(match.group(1)),))
        _add_section(text, int(match.group(1)), rest)
        return
    match = re.fullmatch(r"Раздел (\d+) считать разделом (\d+) и изложить его в следующей редакции:", head)
    if match and rest:  # the section, everything in it, goes; the new one takes the new number
        text.take((int(match.group(1)),))
        _add_section(text, int(match.group(2)), rest)
        return
    match = re.fullmatch(rf"(Пункт|Подпункт) {_N} изложить в следующей редакции:", head)
    if match and rest:  # the clause, sub-clauses and all, has these paragraphs now
        _restate(text, match.group(1), label(match.group(2)), rest)
        return
    match = re.fullmatch(r"(Таблицу|\w+ таблицу) раздела (\d+) изложить в следующей редакции:", head)
    if match and len(rest) == 1 and rest[0].startswith(TABLE):
        _table(text, match.group(1), int(match.group(2)), rest[0])
        return
    raise Refused(f"не стандартная формулировка: {item!r}")


def _rename(text: Text, match: re.Match, inflect) -> None:  # noqa: ANN001
    old, new = unquote(match.group(1)), unquote(match.group(2))
    forms: dict[str, str] = {}
    for case in _CASES:  # a form shared by two cases (genitive, accusative) keeps the first
        forms.setdefault(inflect(old, case).lower(), inflect(new, case))
    forms = {k: v[:1].lower() + v[1:] if not v[1:2].isupper() else v for k, v in forms.items()}
    text.replace_words(forms)


def _reword(text: Text, match: re.Match, _inflect) -> None:  # noqa: ANN001
    noun, number, wording = match.group(1), label(match.group(2)), unquote(match.group(3))
    _depth_of(noun, number)
    text.require(number)
    prefix = f"{printed(number)}. "
    if not wording.startswith(prefix):
        raise Refused(f"новая редакция {printed(number)} не начинается со своего номера: {wording!r}")
    if len(number) == 1:
        raise Refused("раздел целиком не излагается в новой редакции в этих тестах")
    text.take(number)  # read literally: the clause, sub-clauses and all, has this wording now
    text.clauses[number] = wording[len(prefix) :]


def _first_paragraph(text: Text, match: re.Match, _inflect) -> None:  # noqa: ANN001
    noun, number, wording = match.group(1), label(match.group(2)), unquote(match.group(3))
    _depth_of("Пункт" if noun == "пункта" else "Подпункт", number)
    text.require(number)
    text.clauses[number] = wording


def _heading(text: Text, match: re.Match, _inflect) -> None:  # noqa: ANN001
    number = label(match.group(1))
    text.require(number)
    text.headings[number[0]] = unquote(match.group(2))


def _lead(text: Text, match: re.Match, _inflect) -> None:  # noqa: ANN001
    index, section = _ORDINALS.index(match.group(1)), int(match.group(2))
    text.require((section,))
    if index >= len(text.leads[section]):
        raise Refused(f"в разделе {section} нет абзаца {match.group(1)}")
    text.leads[section][index] = unquote(match.group(3))


def _run(first: Label, last: Label) -> list[Label]:
    if first[:-1] != last[:-1] or last[-1] <= first[-1]:
        raise Refused(f"{printed(first)}–{printed(last)} — не последовательные номера одного уровня")
    return [first[:-1] + (n,) for n in range(first[-1], last[-1] + 1)]


def _remove(text: Text, match: re.Match, _inflect) -> None:  # noqa: ANN001
    numbers = [label(match.group(2))] if match.lastindex == 2 else _run(label(match.group(2)), label(match.group(3)))
    for number in numbers:
        _depth_of(match.group(1), number)
        text.unmovable(number)
        text.take(number)


def _renumber_section(text: Text, match: re.Match, _inflect) -> None:  # noqa: ANN001
    """«Раздел 7 считать разделом 8[, пункты 7.1–7.5 — соответственно пунктами 8.2–8.6, пункт 7.6 — пунктом 8.1].»:
    the section and exactly the clauses named (each with its sub-clauses), all at once."""
    source, target, named = int(match.group(1)), int(match.group(2)), match.group(3) or ""
    sources: list[Label] = []
    targets: list[Label] = []
    for piece in filter(None, named.split(", ")):
        found = re.fullmatch(rf"пункт {_N} — пунктом {_N}", piece) or re.fullmatch(
            rf"пункты {_N}–{_N} — соответственно пунктами {_N}–{_N}", piece
        )
        if not found:
            raise Refused(f"не стандартная формулировка: {piece!r}")
        numbers = [label(g) for g in found.groups()]
        if len(numbers) == 2:
            sources.append(numbers[0])
            targets.append(numbers[1])
        else:
            sources.extend(_run(numbers[0], numbers[1]))
            targets.extend(_run(numbers[2], numbers[3]))
    if len(sources) != len(targets):
        raise Refused("разное число номеров в «соответственно»")
    if any(len(n) != 2 or n[0] != source for n in sources) or any(len(n) != 2 or n[0] != target for n in targets):
        raise Refused(f"пункты не из раздела {source} или не в раздел {target}: {named!r}")
    section = text.take((source,), clauses=False)
    units = [text.take(number) for number in sources]
    text.put((target,), section)
    for number, unit in zip(targets, units):
        text.put(number, unit)


def _renumber(text: Text, match: re.Match, _inflect) -> None:  # noqa: ANN001
    groups = match.groups()
    if len(groups) == 4:
        sources, targets = [label(groups[1])], [label(groups[3])]
    else:
        sources, targets = _run(label(groups[1]), label(groups[2])), _run(label(groups[4]), label(groups[5]))
    if len(sources) != len(targets):
        raise Refused("разное число номеров в «считать соответственно»")
    for number in sources:
        _depth_of(groups[0], number)
    for number in targets:
        _depth_of(groups[-2] if len(groups) == 4 else groups[3], number)
    if groups[0].startswith("Раздел"):  # literally the sections only: their clauses keep their numbers
        units = [text.take(number, clauses=False) for number in sources]
    else:
        units = [text.take(number) for number in sources]
    for number, unit in zip(targets, units):
        text.put(number, unit)


_ONE_PARAGRAPH = [
    (
        r"По всему тексту слова «(.+)» в соответствующем падеже заменить словами «(.+)» в соответствующем падеже\.",
        _rename,
    ),
    (r"Наименование раздела (\d+) изложить в следующей редакции: «(.*)»\.", _heading),
    (r"Абзац (первый|второй|третий) раздела (\d+) изложить в следующей редакции: «(.*)»\.", _lead),
    (rf"Абзац первый (пункта|подпункта) {_N} изложить в следующей редакции: «(.*)»\.", _first_paragraph),
    (rf"(Пункт|Подпункт|Раздел) {_N} изложить в следующей редакции: «(.*)»\.", _reword),
    (rf"(Пункт|Подпункт|Раздел) {_N} исключить\.", _remove),
    (rf"(Пункты|Подпункты|Разделы) {_N}–{_N} исключить\.", _remove),
    (r"Раздел (\d+) считать разделом (\d+)((?:, пункт.*)?)\.", _renumber_section),
    (rf"(Пункт|Подпункт) {_N} считать (пунктом|подпунктом) {_N}\.", _renumber),
    (
        rf"(Пункты|Подпункты|Разделы) {_N}–{_N} считать соответственно (пунктами|подпунктами|разделами) {_N}–{_N}\.",
        _renumber,
    ),
]


def _pieces(inline: str, paragraphs: list[str]) -> list[str]:
    """The quoted wording of an addition: «…» «…». inline, or paragraphs «first … last»."""
    if inline:
        if paragraphs or not inline.startswith(" «") or not inline.endswith("»."):
            raise Refused(f"дополнение не в кавычках: {inline!r}")
        body = inline[1:-1]
        pieces = re.findall(r"«([^«»]*)»", body)
        if len(pieces) != 1 or f"«{pieces[0]}»" != body:  # each added clause is a paragraph of its own
            raise Refused(f"дополнение не одним пунктом в кавычках: {inline!r}")
        return [unquote(p) for p in pieces]
    if not paragraphs or not paragraphs[0].startswith("«") or not paragraphs[-1].endswith("»."):
        raise Refused(f"абзацы дополнения не в кавычках: {paragraphs!r}")
    lines = list(paragraphs)
    lines[0] = lines[0][1:]
    lines[-1] = lines[-1][:-2]
    if not lines[-1] and len(lines) > 1 and lines[-2].startswith(TABLE):  # the quote closed after a table
        lines.pop()
    if any("«" in line or "»" in line for line in lines):  # inner quotes, table cells too, are „…“
        raise Refused(f"лишние кавычки в дополнении: {paragraphs!r}")
    return [unquote(line) for line in lines]


def _add(text: Text, match: re.Match, paragraphs: list[str]) -> None:
    container_noun, container = match.group(1), label(match.group(2))
    noun, first = match.group(3), label(match.group(4))
    last = label(match.group(5)) if match.group(5) else first
    _depth_of(container_noun, container)
    text.require(container)
    if (match.group(5) is None) != noun.endswith("ом"):
        raise Refused("число не согласовано с количеством номеров")
    announced = [first] if first == last else _run(first, last)
    pieces = _pieces(match.group(6), paragraphs)
    tops: list[Label] = []
    for piece in pieces:
        found = _NUMBERED.fullmatch(piece)
        if not found:
            raise Refused(f"абзац дополнения без номера: {piece!r}")
        number = label(found.group(1))
        if number[:-1] == container:
            tops.append(number)
        elif not any(number[: len(top)] == top for top in tops):
            raise Refused(f"{printed(number)} не входит в дополняемые пункты")
        if number[:-1] != container and not text.exists(number[:-1]) and number[:-1] not in tops:
            raise Refused(f"нет пункта {printed(number[:-1])} для {printed(number)}")
        if text.exists(number):
            raise Refused(f"номер {printed(number)} уже есть в тексте")
        if number[:-1] == container:
            _depth_of(noun, number)
            text.unmovable(number)
        text.clauses[number] = found.group(2)
    if tops != announced:
        raise Refused(f"объявлены {announced}, добавлены {tops}")


def _restate(text: Text, noun: str, number: Label, paragraphs: list[str]) -> None:
    """A clause given anew: its paragraphs «2.12. …», «2.12.1. …», … replace it and all under it."""
    text.require(number)
    _depth_of(noun, number)
    lines = _pieces("", paragraphs)
    text.take(number)
    for index, line in enumerate(lines):
        found = _NUMBERED.fullmatch(line)
        if not found:
            raise Refused(f"абзац без номера в новой редакции {printed(number)}: {line!r}")
        clause = label(found.group(1))
        if (clause == number) != (index == 0) or clause[: len(number)] != number:
            raise Refused(f"{printed(clause)} не на своем месте в новой редакции {printed(number)}")
        if clause != number and clause[:-1] not in text.clauses:
            raise Refused(f"нет пункта {printed(clause[:-1])} для {printed(clause)}")
        if clause in text.clauses:
            raise Refused(f"номер {printed(clause)} повторяется")
        text.clauses[clause] = found.group(2)


def _table(text: Text, which: str, section: int, table: str) -> None:
    text.require((section,))
    tables = text.tables.get(section, [])
    if which == "Таблицу":
        if len(tables) != 1:
            raise Refused(f"«Таблицу раздела {section}», а таблиц в разделе {len(tables)}")
        index = 0
    else:
        index = _TABLE_ORDINALS.index(which.split()[0])
        if index >= len(tables) or len(tables) < 2:
            raise Refused(f"«{which} раздела {section}», а таблиц в разделе {len(tables)}")
    tables[index] = (tables[index][0], table)


def _add_section(text: Text, number: int, paragraphs: list[str]) -> None:
    if text.exists((number,)):
        raise Refused(f"раздел {number} уже есть")
    lines = _pieces("", paragraphs)
    heading = _NUMBERED.fullmatch(lines[0])
    if not heading or heading.group(1) != str(number):
        raise Refused(f"раздел {number} начинается не с наименования: {lines[0]!r}")
    text.headings[number] = heading.group(2)
    text.leads[number] = []
    for line in lines[1:]:
        found = _NUMBERED.fullmatch(line)
        if line.startswith(TABLE):
            text.tables.setdefault(number, []).append((text.top_clauses(number), line))
            continue
        if not found:
            if any(n[0] == number for n in text.clauses):
                raise Refused(f"абзац без номера после пунктов раздела {number}: {line!r}")
            text.leads[number].append(line)
            continue
        clause = label(found.group(1))
        if clause[0] != number or len(clause) < 2 or (len(clause) > 2 and clause[:-1] not in text.clauses):
            raise Refused(f"{printed(clause)} не на своем месте в разделе {number}")
        if clause in text.clauses:
            raise Refused(f"номер {printed(clause)} повторяется")
        text.clauses[clause] = found.group(2)


# ---------------------------------------------------------------------------- the title in any case


@lru_cache(maxsize=1)
def _morph():  # noqa: ANN202
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


def _restore_case(original: str, inflected: str) -> str:
    return "".join(ch.upper() if i < len(original) and original[i].isupper() else ch for i, ch in enumerate(inflected))


def _is_nominal(word: str) -> bool:
    return any(p.tag.POS in {"NOUN", "ADJF", "PRTF"} and "nomn" in p.tag for p in _morph().parse(word))


def inflect_title(title: str, case: str) -> str:
    """The title in a grammatical case: leading adjectives and the head noun inflect, the rest stays.

    The genitive is the one the documents print (:func:`jobdesc.language.titles.genitive_title`).
    """
    from jobdesc.language.titles import genitive_title

    if case == "nomn":
        return title
    if case == "gent":
        return genitive_title(title)
    morph = _morph()
    words = title.split()
    attributes: list[int] = []
    for index, word in enumerate(words):
        parses = [p for p in morph.parse(word) if "nomn" in p.tag]
        noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
        attribute = next((p for p in parses if p.tag.POS in {"ADJF", "PRTF"}), None)
        if attribute is not None and index + 1 < len(words) and (noun is None or _is_nominal(words[index + 1])):
            attributes.append(index)
            continue
        if noun is None:
            return title
        head = noun.inflect({case})
        if head is None:
            return title
        words[index] = _restore_case(word, head.word)
        for position in attributes:
            parse = next(p for p in morph.parse(words[position]) if p.tag.POS in {"ADJF", "PRTF"} and "nomn" in p.tag)
            wanted = {case, noun.tag.number or "sing"}
            if noun.tag.number == "sing" and noun.tag.gender:
                wanted.add(noun.tag.gender)
            if case == "accs" and "anim" in noun.tag:
                wanted.add("anim")
            inflected = parse.inflect(wanted)
            if inflected is not None:
                words[position] = _restore_case(words[position], inflected.word)
        return " ".join(words)
    return title


def check(before: list[str], amendment: list[str], after: list[str], *later: list[str]) -> None:
    """Apply the amendment's items to ``before`` (then those of each ``later`` amendment, in order);
    the result must be ``after`` (printed paragraphs)."""
    text = Text.parse(body(before))
    for each in (amendment, *later):
        for item in items(each):
            try:
                apply(text, item, inflect_title)
            except Refused as exc:
                raise Refused(f"{exc}\nпункт: {item}") from None
    expected = body(after)
    result = text.lines()
    if result != expected:
        import difflib

        raise AssertionError(
            "после изменений текст не тот:\n" + "\n".join(difflib.unified_diff(expected, result, lineterm="", n=1))
        )


LIST_EDITS = ("reword", "delete", "insert", "move")  # what :func:`edit_items` does to a list of texts


def edit_items(draw, items: list, action: str, at: int, text) -> None:  # noqa: ANN001 - hypothesis's draw, a text strategy
    """One edit of a list of sub-clauses for the property tests: ``reword`` item ``at`` (``text(draw,
    old)``), ``delete`` it (one is always left), ``insert`` a new one (``text(draw)``) or ``move`` it."""
    from hypothesis import strategies as st

    if action == "reword":
        items[at] = text(draw, items[at])
    elif action == "delete" and len(items) > 1:
        items.pop(at)
    elif action == "insert":
        items.insert(draw(st.integers(0, len(items))), text(draw))
    elif action == "move":
        items.insert(draw(st.integers(0, len(items) - 1)), items.pop(at))
