"""Russian language helpers: dates in words, initials, genitive job titles."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

NBSP = "\u00a0"
BLANK_DATE = "«___» ____________ 20___ г."


def date_words(day: dt.date | None) -> str:
    """«27 ноября 2026 г.» (non-breaking spaces keep it on one line); a blank form when there is no date."""
    if day is None:
        return BLANK_DATE
    from babel.dates import format_date

    return f"{format_date(day, 'd MMMM y', locale='ru')} г.".replace(" ", NBSP)


def date_numeric(day: dt.date | None) -> str:
    """«27.11.2026»; a blank line when there is no date."""
    return "____________" if day is None else day.strftime("%d.%m.%Y")


def initials_surname(full_name: str) -> str:
    """«Иванов Иван Иванович» → «И.И. Иванов» (non-breaking space before the surname)."""
    parts = full_name.split()
    if len(parts) < 2:
        return full_name
    surname, *given = parts
    return "".join(f"{name[0]}." for name in given) + NBSP + surname


@lru_cache(maxsize=1)
def _morph():  # noqa: ANN202 - pymorphy3 is imported only when a genitive is computed
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_ATTRIBUTES = {"ADJF", "PRTF"}


def genitive_title(title: str) -> str:
    """The title in the genitive: leading adjectives and the head noun inflect, the rest stays.

    «Старший менеджер по продажам» → «старшего менеджера по продажам». The first letter is
    lower-cased unless the first word is an abbreviation («HR-менеджер» → «HR-менеджера»).
    """
    words = title.split()
    morph = _morph()
    attributes: list[int] = []
    for index, word in enumerate(words):
        parses = [p for p in morph.parse(word) if "nomn" in p.tag]
        noun = next((p for p in parses if p.tag.POS == "NOUN"), None)
        attribute = next((p for p in parses if p.tag.POS in _ATTRIBUTES), None)
        if attribute is not None and index + 1 < len(words) and (noun is None or _next_is_noun(words[index + 1])):
            attributes.append(index)
            continue
        if noun is None:
            return lower_first(title)
        head = noun.inflect({"gent"})
        if head is None:
            return lower_first(title)
        words[index] = _keep_case(word, head.word)
        for position in attributes:
            parse = next(p for p in morph.parse(words[position]) if p.tag.POS in _ATTRIBUTES and "nomn" in p.tag)
            grammemes = {"gent", noun.tag.number or "sing"}
            if noun.tag.number == "sing" and noun.tag.gender:
                grammemes.add(noun.tag.gender)
            inflected = parse.inflect(grammemes)
            if inflected is not None:
                words[position] = _keep_case(words[position], inflected.word)
        return lower_first(" ".join(words))
    return lower_first(title)


def _next_is_noun(word: str) -> bool:
    return any(p.tag.POS in {"NOUN", "ADJF", "PRTF"} and "nomn" in p.tag for p in _morph().parse(word))


def _keep_case(original: str, inflected: str) -> str:
    """Put the original's capitals back on pymorphy's lower-cased form."""
    return "".join(ch.upper() if i < len(original) and original[i].isupper() else ch for i, ch in enumerate(inflected))


def lower_first(text: str) -> str:
    """The first letter in lower case, unless the first word is an abbreviation («HR-менеджер»)."""
    first = text.split(maxsplit=1)[0] if text else ""
    if len(first) > 1 and (first[1].isupper() or not first[0].isalpha()):
        return text
    return text[:1].lower() + text[1:]
