"""A профессиональный стандарт read from Минтруд's ``XMLCardInfo`` XML into typed data.

The XML is parsed with defusedxml: no DTD, no entities, no network, and the file is read through
the one door with a size limit, so a hostile file is refused in one line before it costs anything.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element, ParseError

from jobdesc.disk.reading import read_input
from jobdesc.errors import InputRefused, JobdescError

MAX_STANDARD_BYTES = 4 * 1024 * 1024  # the largest published standards are about 1 MB
ROOT = "XMLCardInfo"
MAX_DEPTH = 64  # the published files nest about 12 deep
EMPTY = {"", "-", "—", "–"}  # how the files say «nothing here»


_LOOKALIKES = str.maketrans("АВСЕНКМОРТХасеорх", "ABCEHKMOPTXaceopx")


def code_key(code: str) -> str:
    """A ТФ or ОТФ code as compared: Latin letters for their Cyrillic lookalikes (a code typed on a
    Russian keyboard, «В/01.5», is «B/01.5»), no spaces, upper case."""
    return "".join(code.split()).translate(_LOOKALIKES).upper()


class NotAStandard(JobdescError):
    """A file that is not a профстандарт in Минтруд's XML (one line: the file and why)."""


@dataclass(frozen=True)
class Code:
    """A classifier entry: ОКЗ, ОКПДТР, ЕКС: its code (may be empty for ЕКС) and name."""

    code: str
    name: str


@dataclass(frozen=True)
class WorkFunction:
    """A трудовая функция (ТФ): «B/01.5» with its actions, skills and knowledge."""

    code: str
    name: str
    level: str
    actions: tuple[str, ...]
    skills: tuple[str, ...]
    knowledge: tuple[str, ...]


@dataclass(frozen=True)
class GeneralFunction:
    """An обобщенная трудовая функция (ОТФ): «B», its qualification level, the titles it allows,
    what it requires of a person, its classifier codes and its ТФ."""

    code: str
    name: str
    level: str
    titles: tuple[str, ...]
    education: tuple[str, ...]
    experience: tuple[str, ...]
    admission: tuple[str, ...]
    okz: tuple[Code, ...]
    okpdtr: tuple[Code, ...]
    eks: tuple[Code, ...]
    functions: tuple[WorkFunction, ...]

    def function(self, code: str) -> WorkFunction | None:
        """The ТФ of this code («B/01.5»; a Cyrillic «В» too), or ``None``."""
        return next((tf for tf in self.functions if code_key(tf.code) == code_key(code)), None)


@dataclass(frozen=True)
class Standard:
    """One профессиональный стандарт: «06.013 Специалист по информационным ресурсам», approved by
    order «629н» of 08.09.2014, with its ОТФ."""

    code: str
    name: str
    registration: str
    order: str
    approved: dt.date
    okz: tuple[Code, ...]
    general: tuple[GeneralFunction, ...]

    def function(self, code: str) -> GeneralFunction | None:
        """The ОТФ of this letter («B»; any case, a Cyrillic «В» too), or ``None``."""
        return next((otf for otf in self.general if code_key(otf.code) == code_key(code)), None)

    @property
    def version(self) -> str:
        """The version as files and roles name it: the order's date, ``2014-09-08``."""
        return self.approved.isoformat()

    @property
    def order_words(self) -> str:
        """«приказ Минтруда России от 08.09.2014 № 629н»."""
        return f"приказ Минтруда России от {self.approved:%d.%m.%Y} №\u00a0{self.order}"


def read_standard(path: Path, shown: str | None = None, inside: Path | None = None) -> Standard:
    """The standard in the XML file ``path``; :class:`NotAStandard` (one line naming the file) for
    anything else: unreadable, too big, not XML, with a DTD or entities, not ``XMLCardInfo``."""
    shown = shown or str(path)
    try:
        data = read_input(path, MAX_STANDARD_BYTES, inside)
    except InputRefused as exc:
        raise NotAStandard(f"{shown}: {exc.reason}") from None
    return parse_standard(data, shown)


def parse_standard(data: bytes, shown: str) -> Standard:
    """The standard in the bytes ``data`` of the file ``shown`` (see :func:`read_standard`)."""
    # lazy: brings defusedxml; loaded only by the commands that get here
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    if len(data) > MAX_STANDARD_BYTES:
        raise NotAStandard(f"{shown}: файл слишком большой для профстандарта (предел 4 МБ)")
    root: Element | None = None
    depth = 0
    try:  # read as a stream: a file nested deeper than any standard is refused as soon as it is seen
        for event, element in iterparse(
            io.BytesIO(data), events=("start", "end"), forbid_dtd=True, forbid_entities=True, forbid_external=True
        ):
            depth += 1 if event == "start" else -1
            root = element if root is None else root
            if depth > MAX_DEPTH:
                raise NotAStandard(
                    f"{shown}: элементы XML вложены глубже {MAX_DEPTH} уровней — это не профстандарт Минтруда"
                )
    except DefusedXmlException:
        raise NotAStandard(
            f"{shown}: в XML есть объявление DTD или сущностей (<!DOCTYPE>, <!ENTITY>) — такие файлы не читаются: "
            "профстандарты Минтруда их не содержат"
        ) from None
    except ParseError as exc:
        line = exc.position[0] if getattr(exc, "position", None) else None
        where = f"{shown}:{line}" if line else shown
        raise NotAStandard(
            f"{where}: это не XML (файл поврежден или это другой формат): {_parse_reason(exc)}"
        ) from None
    if root is None:
        raise NotAStandard(f"{shown}: это не XML (файл пуст)")
    if _local(root.tag) != ROOT:
        raise NotAStandard(
            f"{shown}: это не профстандарт в формате Минтруда: корневой элемент <{_local(root.tag)}>, "
            f"а ожидается <{ROOT}>"
        )
    standards = [el for el in root.iter() if _local(el.tag) == "ProfessionalStandart"]
    if len(standards) != 1:
        raise NotAStandard(
            f"{shown}: в файле {'нет ни одного профстандарта' if not standards else f'{len(standards)} профстандартов'}"
            " (<ProfessionalStandart>) — нужен файл одного стандарта"
        )
    return _standard(standards[0], shown)


def _parse_reason(exc: ParseError) -> str:
    text = str(exc).split(":", 1)[0]
    return {
        "no element found": "файл обрывается",
        "not well-formed (invalid token)": "недопустимый знак",
        "mismatched tag": "теги не совпадают",
        "syntax error": "синтаксическая ошибка",
        "unclosed token": "незакрытый тег",
        "junk after document element": "лишний текст после корневого элемента",
    }.get(text, text)


def _local(tag: object) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(node: Element, name: str) -> Element | None:
    return next((el for el in node if _local(el.tag) == name), None)


def _text(node: Element | None, name: str) -> str:
    found = _child(node, name) if node is not None else None
    return _clean(found.text) if found is not None and found.text else ""


def _clean(text: str) -> str:
    return " ".join(text.split())


def _items(node: Element | None, group: str) -> tuple[str, ...]:
    """The texts of the children of ``group`` (a line break inside one text separates two items,
    as in files where two were pasted into one); «-» and empty ones dropped, repeats too."""
    parent = _child(node, group) if node is not None else None
    found: list[str] = []
    for element in parent if parent is not None else ():
        for line in re.split(r"[\r\n]+", element.text or ""):
            text = _clean(line)
            if text not in EMPTY and text not in found:
                found.append(text)
    return tuple(found)


def _codes(node: Element | None, group: str, unit: str, code: str, name: str) -> tuple[Code, ...]:
    parent = _child(node, group) if node is not None else None
    found: list[Code] = []
    for element in parent if parent is not None else ():
        if _local(element.tag) != unit:
            continue
        entry = Code(_text(element, code).rstrip(".").strip("-").strip(), _text(element, name))
        if (entry.code or entry.name) and entry not in found:
            found.append(entry)
    return tuple(found)


def _required(node: Element, name: str, shown: str, what: str) -> str:
    text = _text(node, name)
    if not text:
        raise NotAStandard(f"{shown}: нет {what} (<{name}>) — файл неполный")
    return text


def _standard(node: Element, shown: str) -> Standard:
    first = _child(node, "FirstSection")
    code = _text(first, "CodeKindProfessionalActivity")
    if not re.fullmatch(r"\d{2}\.\d{3}", code):
        raise NotAStandard(
            f"{shown}: код вида профессиональной деятельности «{code}» (<CodeKindProfessionalActivity>) — "
            "ожидается вида 06.013"
        )
    when = _required(node, "DateOfApproval", shown, "даты приказа")
    try:
        approved = dt.datetime.strptime(when, "%d.%m.%Y").date()
    except ValueError:
        raise NotAStandard(f"{shown}: дата приказа «{when}» (<DateOfApproval>) — ожидается ДД.ММ.ГГГГ") from None
    third = _child(node, "ThirdSection")
    functions = _child(third, "WorkFunctions") if third is not None else None
    group = _child(functions, "GeneralizedWorkFunctions") if functions is not None else None
    general = tuple(
        _general(el, shown)
        for el in (group if group is not None else ())
        if _local(el.tag) == "GeneralizedWorkFunction"
    )
    if not general:
        raise NotAStandard(f"{shown}: в стандарте нет ни одной обобщенной трудовой функции (<GeneralizedWorkFunction>)")
    employment = _child(first, "EmploymentGroup") if first is not None else None
    return Standard(
        code=code,
        name=_required(node, "NameProfessionalStandart", shown, "наименования стандарта"),
        registration=_text(node, "RegistrationNumber"),
        order=_required(node, "OrderNumber", shown, "номера приказа"),
        approved=approved,
        okz=_codes(employment, "ListOKZ", "UnitOKZ", "CodeOKZ", "NameOKZ"),
        general=general,
    )


def _general(node: Element, shown: str) -> GeneralFunction:
    code = _required(node, "CodeOTF", shown, "кода ОТФ")
    plus = _child(node, "OtherCharacteristicPlus")
    parent = _child(node, "ParticularWorkFunctions")
    return GeneralFunction(
        code=code,
        name=_text(node, "NameOTF"),
        level=_text(node, "LevelOfQualification"),
        titles=_items(node, "PossibleJobTitles"),
        education=_items(node, "EducationalRequirements"),
        experience=_items(node, "RequirementsWorkExperiences"),
        admission=_items(node, "SpecialConditionsForAdmissionToWork"),
        okz=_codes(plus, "ListOKZ", "UnitOKZ", "CodeOKZ", "NameOKZ"),
        okpdtr=_codes(plus, "ListOKPDTR", "UnitOKPDTR", "CodeOKPDTR", "NameOKPDTR"),
        eks=_codes(plus, "ListEKS", "UnitEKS", "CodeEKS", "NameEKS"),
        functions=tuple(
            _function(el, shown)
            for el in (parent if parent is not None else ())
            if _local(el.tag) == "ParticularWorkFunction"
        ),
    )


def _function(node: Element, shown: str) -> WorkFunction:
    return WorkFunction(
        code=_required(node, "CodeTF", shown, "кода трудовой функции"),
        name=_text(node, "NameTF"),
        level=_text(node, "SubQualification"),
        actions=_items(node, "LaborActions"),
        skills=_items(node, "RequiredSkills"),
        knowledge=_items(node, "NecessaryKnowledges"),
    )
