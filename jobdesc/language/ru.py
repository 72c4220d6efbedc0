"""Russian language helpers: dates in words, initials, lower-casing; job titles are in :mod:`jobdesc.language.titles`."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

NBSP = "\u00a0"
BLANK_DATE = "«___» ____________ 20___ г."
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)


_NUMERIC_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})(\s+\d{1,2}:\d{2}(?::\d{2})?)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
DATE_FORMS = "ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"


def parse_date(text: str, time_allowed: bool = False) -> dt.date:
    """A date as Russians write it (ДД.ММ.ГГГГ) or ISO (ГГГГ-ММ-ДД); ``time_allowed``: the time 1С
    writes after the date is ignored. ``ValueError`` otherwise."""
    text = text.strip()
    found = _NUMERIC_DATE.match(text)
    if found and (time_allowed or not found[4]):
        return dt.date(int(found[3]), int(found[2]), int(found[1]))
    found = _ISO_DATE.match(text)
    if found:
        return dt.date(int(found[1]), int(found[2]), int(found[3]))
    raise ValueError(text)


def date_words(day: dt.date | None) -> str:
    """«27 ноября 2026 г.» (non-breaking spaces keep it on one line); a blank form when there is no date."""
    if day is None:
        return BLANK_DATE
    return f"{day.day}{NBSP}{MONTHS_GENITIVE[day.month - 1]}{NBSP}{day.year}{NBSP}г."


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
def _morph():  # noqa: ANN202 - pymorphy3 is imported only when a title is inflected
    import pymorphy3

    return pymorphy3.MorphAnalyzer()


_PATRONYMIC_ENDINGS = (("оглы", "m"), ("улы", "m"), ("кызы", "f"), ("гызы", "f"))


def person_gender(full_name: str) -> str | None:
    """``m`` or ``f`` from a full name «Фамилия Имя Отчество»: the patronymic, else the first name, as
    pymorphy3 reads them; ``None`` when the name does not tell («Саша», a foreign name)."""
    words = full_name.lower().replace("ё", "е").split()[1:]
    for word in reversed(words):  # the patronymic first: it always tells
        for ending, gender in _PATRONYMIC_ENDINGS:
            if word == ending or word.endswith(ending):
                return gender
    for tag in ("Patr", "Name"):
        for word in reversed(words):
            for parse in _morph().parse(word):
                if tag in parse.tag and "nomn" in parse.tag and parse.tag.gender in ("masc", "femn"):
                    return "m" if parse.tag.gender == "masc" else "f"
    return None


def for_person(full_name: str, masculine: str, feminine: str) -> str:
    """The word agreed with the person's gender: «ознакомлен» / «ознакомлена»; «ознакомлен(а)» when
    the name does not tell."""
    gender = person_gender(full_name)
    if gender is None:
        return f"{masculine}({feminine.removeprefix(masculine)})" if feminine.startswith(masculine) else masculine
    return masculine if gender == "m" else feminine


def inflect(title: str, case: str) -> str:
    """A job title in a case («gent», «datv», … or «родительный», …), capitals kept (see :mod:`jobdesc.language.titles`)."""
    from jobdesc.language.titles import inflect as inflect_title

    return inflect_title(title, case)


def gender_of(title: str) -> str:
    """``m`` or ``f``: the gender of a job title's head word (see :mod:`jobdesc.language.titles`)."""
    from jobdesc.language.titles import gender_of as title_gender

    return title_gender(title)


def genitive_title(title: str) -> str:
    """The title in the genitive, first letter lower-cased for use inside a sentence.

    «Старший менеджер по продажам» → «старшего менеджера по продажам»; «HR-менеджер» keeps its
    capitals. See :func:`jobdesc.language.titles.inflect` for the rules.
    """
    from jobdesc.language.titles import inflect

    return lower_first(inflect(title, "gent"))


def _keep_case(original: str, inflected: str) -> str:
    """Put the original's capitals back on pymorphy's lower-cased form."""
    return "".join(ch.upper() if i < len(original) and original[i].isupper() else ch for i, ch in enumerate(inflected))


def lower_first(text: str) -> str:
    """The first letter in lower case, unless the first word is an abbreviation («HR-менеджер»)."""
    first = text.split(maxsplit=1)[0] if text else ""
    if len(first) > 1 and (first[1].isupper() or not first[0].isalpha()):
        return text
    return text[:1].lower() + text[1:]
