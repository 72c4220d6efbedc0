"""Russian typesetting of a rendered document: non-breaking spaces where a line must not break.

Applied to the Markdown a template produced (data values are escaped there, so a dot may
stand as ``\\.`` and an underscore as ``\\_``): the sign «№» stays with its number, a date in
words stays on one line, «г.» stays with the year before it and with the city after it, and
«от», «с», «до», «по» stay with the number or date after them.
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
_MONTHS = "января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
_BLANK = r"(?:\\?_)+"  # a run of underscores, each perhaps escaped
_RULES = (
    (re.compile(r"№[ \t]+(?=[\w«])"), "№" + NBSP),  # «№ 15-к», «№ п/п»
    (re.compile(rf"\b(\d{{1,2}}) ({_MONTHS}) (\d{{4}})\b"), rf"\1{NBSP}\2{NBSP}\3"),  # «2 марта 2026»
    (re.compile(rf"(«{_BLANK}») ({_BLANK}) (20{_BLANK})"), rf"\1{NBSP}\2{NBSP}\3"),  # «___» ______ 20__
    (re.compile(r"(\d|_) (г\\?\.)"), rf"\1{NBSP}\2"),  # «2026 г.», «20___ г.»
    (re.compile(r"(?<![\w.\\])(г\\?\.) (?=[А-ЯЁ])"), rf"\1{NBSP}"),  # «г. Москва»
    (re.compile(r"(?<!\w)([Оо]т|[Сс]|[Дд]о|[Пп]о) (?=\d)"), rf"\1{NBSP}"),  # «от 02.03.2026», «с 2 марта»
)


def typeset(source: str) -> str:
    """``source`` with non-breaking spaces after «№», inside dates and around «г.»."""
    for pattern, replacement in _RULES:
        source = pattern.sub(replacement, source)
    return source
