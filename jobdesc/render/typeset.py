"""Russian typesetting of a rendered document: non-breaking spaces where a line must not break.

Applied to the Markdown a template produced (data values are escaped there, so a dot may
stand as ``\\.`` and an underscore as ``\\_``): the sign «№» stays with its number, a date in
words stays on one line, «г.» stays with the year before it and with the city after it, and
«от», «с», «до», «по» stay with the number or date after them.
"""

from __future__ import annotations

import re
from functools import lru_cache

from jobdesc.language.ru import MONTHS_GENITIVE as MONTHS
from jobdesc.language.ru import NBSP

_BLANK = r"(?:\\?_)+"  # a run of underscores, each perhaps escaped
_PREPOSITIONS = ("от", "с", "до", "по")
# Each pattern starts with a literal, so that the search is fast; the context before it is
# checked in the replacement.
_NUMBER_SIGN = re.compile(r"№[ \t]+(?=[\w«])")  # «№ 15-к», «№ п/п»
_DATE = re.compile(rf" ({'|'.join(MONTHS)}) (?=\d{{4}}\b)")  # «2 марта 2026»
_BLANK_DATE = re.compile(rf"(«{_BLANK}») ({_BLANK}) (20{_BLANK})")  # «___» ______ 20__
_YEAR = re.compile(r" (?=г\\?\.)")  # «2026 г.», «20___ г.»
_CITY = re.compile(r"г(\\?\.) (?=[А-ЯЁ])")  # «г. Москва»
# «от 02.03.2026», «с 2 марта»: a preposition that is a word of its own (no letter, digit, dot or
# backslash just before it) and a space before a digit
_WORDS = "|".join(word for p in _PREPOSITIONS for word in (p, p.capitalize()))
_PREPOSITION_NUMBER = re.compile(rf"(?<![^\W_])(?<![.\\])({_WORDS}) (?=\d)")
# found fast (the one above starts with a lookbehind): a space before a digit, then the word before
# it (a pattern that starts with the words is tried at every letter)
_PREPOSITION_NUMBER_HERE = re.compile(r" \d(?:" + "|".join(rf"(?<={word} \d)" for word in _WORDS.split("|")) + ")")
_BLOCKS = re.compile(r"(\n\n+)")
# the hyphen of a registration or order number («ДИ-014», «П-003», «112-ОД», «15-к») never breaks
# (a hyphen escaped for Markdown, «ДИ\\-014», loses its backslash: the non-breaking one is no markup)
_NUMBER_HYPHEN = re.compile(r"(?<![^\W\d_])(\b[А-ЯЁA-Z]{1,4})\\?-(?=\d)|(\d)\\?-(?=[А-ЯЁA-Zа-яё]{1,4}\b)")
# what every such number has, a hyphen beside a digit (the digit perhaps before an escaping backslash),
# found fast (the one above looks behind): the pattern starts with the hyphen, which the search skips to
_HYPHEN_BY_DIGIT = re.compile(r"-(?:(?=\d)|(?<=\d-)|(?<=\d\\-))")
NON_BREAKING_HYPHEN = "\u2011"


def typeset(source: str) -> str:
    """``source`` with non-breaking spaces after «№», inside dates, around «г.» and after short prepositions."""
    return "".join(_block(piece) for piece in _BLOCKS.split(source))


@lru_cache(maxsize=8192)
def _block(text: str) -> str:
    """One paragraph of Markdown typeset (paragraphs repeat across copies and roles: cached)."""
    text = _NUMBER_SIGN.sub("№" + NBSP, text)
    if "-" in text and _HYPHEN_BY_DIGIT.search(text):
        text = _NUMBER_HYPHEN.sub(lambda m: (m.group(1) or m.group(2)) + NON_BREAKING_HYPHEN, text)
    text = _DATE.sub(lambda m: _after(m, r"(?<!\d)\d{1,2}$", f"{NBSP}{m.group(1)}{NBSP}"), text)
    if "«" in text:
        text = _BLANK_DATE.sub(rf"\1{NBSP}\2{NBSP}\3", text)
    if "г." in text or "г\\." in text:  # what _YEAR and _CITY need
        text = _YEAR.sub(lambda m: _after(m, r"[\d_]$", NBSP), text)
        text = _CITY.sub(lambda m: _after(m, r"(?<![\w.\\])$", f"г{m.group(1)}{NBSP}", before=m.start()), text)
    return _PREPOSITION_NUMBER.sub(rf"\1{NBSP}", text) if _PREPOSITION_NUMBER_HERE.search(text) else text


def _after(match: re.Match, context: str, replacement: str, before: int | None = None) -> str:
    """``replacement`` when the text before the match ends with ``context``, else the match unchanged."""
    end = match.start() if before is None else before
    return replacement if re.search(context, match.string[max(0, end - 8) : end]) else match.group(0)
