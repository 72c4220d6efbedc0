"""The pieces of a Word document as the importer maps them: lines with their numbers taken off,
the words that name sections and categories, the patterns of numbers, stamps and dates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from jobdesc.sources.word import Table

MONTHS = {
    name: number
    for number, name in enumerate(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split(), 1
    )
}
POLICY_TYPES = ("положение", "регламент", "порядок", "правила", "инструкция", "политика")
CATEGORIES = {"руководителей": "managers", "специалистов": "specialists", "технических исполнителей": "technical"}
ROLE_SECTIONS = (  # heading words → the role field
    ("общие положения", "general"),
    ("требования к квалификации", "requirements"),
    ("квалификационные требования", "requirements"),
    ("должностные обязанности", "duties"),
    ("функциональные обязанности", "duties"),
    ("обязанности", "duties"),
    ("функции", "duties"),
    ("права", "rights"),
    ("ответственность", "responsibility"),
    ("взаимоотношения", "relationships"),
    ("связи по должности", "relationships"),
    ("взаимодействие", "relationships"),
    ("критерии оценки", "performance_criteria"),
    ("показатели", "performance_criteria"),
    ("оценка работы", "performance_criteria"),
    ("условия работы", "working_conditions"),
    ("режим работы", "working_conditions"),
    ("заключительные положения", "final_provisions"),
    ("должен знать", "knowledge"),
    ("знания", "knowledge"),
)
SECTION_WORDS = (
    *(words for words, _ in ROLE_SECTIONS),
    "структура",
    "задачи",
    "основные задачи",
    "функции",
    "руководство",
    "организация работы",
)
_TYPED = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,3})*)(?P<end>[.)])?\s+(?P<text>\S.*)$", re.S)
_CHAPTER = re.compile(r"^(?:Раздел|РАЗДЕЛ|Глава|ГЛАВА)\s+(?P<num>\d{1,2}|[IVXХ]{1,5})\.?\s+(?P<text>\S.*)$", re.S)
_ROMAN = re.compile(r"^(?P<num>[IVXХ]{1,5})[.)]?\s+(?P<text>\S.*)$", re.S)
_LETTER = re.compile(r"^(?P<num>[а-яa-z])\)\s*(?P<text>\S.*)$", re.S)
_DASH = re.compile(r"^(?P<num>[-–—•·▪●◦])\s*(?P<text>\S.*)$", re.S)
_STAMP = re.compile(r"^(УТВЕРЖДАЮ|УТВЕРЖДЕН[АОЫ]?|СОГЛАСОВАНО)\b")
_DATE_WORDS = re.compile(r"«?\s*(\d{1,2})\s*»?\s+([а-я]+)\s+(\d{4})\s*(?:г\.?|года)?")
_DATE_NUMERIC = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b")
_ORDER = re.compile(r"приказом.*?от\s+(?P<date>.+?)\s*№\s*(?P<number>\S+)", re.S)
_NUMBER_LINE = re.compile(r"^(?:\d{2}\.\d{2}\.\d{4}|_{2,}|«_*»\s*_+\s*\d*\s*г?\.?)?\s*№\s*(?P<number>\S.*)$")


def normal(text: str) -> str:
    """Whitespace of ``text`` (non-breaking spaces, tabs, line breaks) as single spaces, trimmed."""
    return " ".join(text.replace("\u00a0", " ").split())


@dataclass
class Piece:
    """One non-empty paragraph or table cell of the source and what became of it."""

    text: str
    fate: str = ""  # "data", "comment" or the reason it was left out


@dataclass
class Line:
    """A body paragraph prepared for mapping: its number (typed or automatic) taken off."""

    piece: Piece
    text: str
    number: str = ""
    style: str = ""  # "decimal", "roman", "letter", "dash" or ""
    depth: int = 0  # components of a decimal number: «2.3.» → 2
    level: int = 0  # Word's list level of an automatic number
    emphasis: bool = False  # a heading style, bold, or capitals
    table: Table | None = None
    cells: list[Piece] = field(default_factory=list)


@dataclass
class Approval:
    """The stamp of the source: when and by whom it was approved, and the order if any."""

    date: dt.date
    position: str = ""
    name: str = ""
    order_number: str = ""
    order_date: dt.date | None = None
